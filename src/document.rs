//! Parsing content files into values that remember where each part came from.
//!
//! JSON is parsed with jsonc-parser (strict JSON: no comments, no trailing
//! commas) because it returns an AST with byte ranges and structured syntax
//! errors; TOML with the `toml` crate's spanned parser. Both become a
//! `serde_json::Value` plus a map from JSON pointer to source range, so the
//! structural check (the published JSON Schema) and the semantic checks can
//! name the file, line and field of every problem.

use crate::diagnostic::{Finding, Kind, SourceFile, closest};
use serde_json::{Map, Number, Value};
// Where each value stands, by JSON pointer: a plan of thousands of indicators
// has millions of values, and the standard hasher was most of the time spent
// reading one (FxHash is a fraction of the cost for these short keys).
type Spans = rustc_hash::FxHashMap<String, NodeSpan>;
use std::ops::Range;

/// A parsed document and where each of its values stands in the source.
#[derive(Debug, Clone, Default)]
pub struct Located {
    pub value: Value,
    spans: Spans,
}

#[derive(Debug, Clone)]
struct NodeSpan {
    /// The property name, for values inside an object.
    key: Option<Range<usize>>,
    value: Range<usize>,
}

impl Located {
    /// The byte range of the value at `pointer`, or of its nearest ancestor
    /// that exists (a missing field is reported at the object that lacks it).
    pub fn value_range(&self, pointer: &str) -> Range<usize> {
        let mut p = pointer;
        loop {
            if let Some(span) = self.spans.get(p) {
                return span.value.clone();
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 0..0,
            }
        }
    }

    /// The byte range of the property name at `pointer` (falls back to the value).
    pub fn key_range(&self, pointer: &str) -> Range<usize> {
        match self.spans.get(pointer).and_then(|s| s.key.clone()) {
            Some(k) => k,
            None => self.value_range(pointer),
        }
    }

    /// A finding at the value of `pointer`, with the field named as in the file.
    pub fn finding(&self, src: &SourceFile, kind: Kind, pointer: &str, message: impl Into<String>) -> Finding {
        Finding::new(kind, src.path.clone(), message).with_field(field_name(pointer)).at(src, self.value_range(pointer))
    }

    /// A finding at the property name of `pointer`.
    pub fn finding_at_key(&self, src: &SourceFile, kind: Kind, pointer: &str, message: impl Into<String>) -> Finding {
        Finding::new(kind, src.path.clone(), message).with_field(field_name(pointer)).at(src, self.key_range(pointer))
    }
}

/// Escapes one JSON pointer segment.
pub fn escape(segment: &str) -> std::borrow::Cow<'_, str> {
    // Almost no key has either character: borrow rather than copy.
    if segment.contains(['~', '/']) { segment.replace('~', "~0").replace('/', "~1").into() } else { segment.into() }
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Turns a JSON pointer into the field name as an editor reads it:
/// `/indicators/3/value` → `indicators[3].value`.
pub fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = unescape(seg);
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) && !out.is_empty() && seg.len() < 4 {
            out.push_str(&format!("[{seg}]"));
        } else if out.is_empty() {
            out.push_str(&seg);
        } else if seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !seg.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('.');
            out.push_str(&seg);
        } else {
            out.push_str(&format!("[\"{seg}\"]"));
        }
    }
    out
}

/// Parses strict JSON. A syntax error becomes a finding with line, column and
/// a plain explanation; a key that appears twice in one object too.
pub fn parse_json(src: &SourceFile) -> Result<Located, Vec<Finding>> {
    use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    // jsonc-parser lets a line break or a tab stand inside a string; strict
    // JSON (and VS Code) does not. A string that runs past the end of its
    // line is also what a forgotten closing quote looks like, and the parser
    // would report that lines later, so it is checked first.
    let bad_string = control_in_string(&src.text);
    let parsed = parse_to_ast(&src.text, &CollectOptions::default(), &options);
    if let Some((start, c)) = bad_string {
        if parsed.as_ref().err().is_none_or(|e| start < e.range().end) {
            return Err(vec![control_in_string_finding(src, start, c)]);
        }
    }
    let parsed = parsed.map_err(|e| {
        let r = e.range();
        let (message, help) = json_syntax_message(e.kind());
        vec![
            Finding::new(Kind::JsonSyntax, src.path.clone(), message)
                .with_help(help)
                .at(src, r.start..r.end.max(r.start + 1)),
        ]
    })?;
    let Some(root) = parsed.value else {
        return Err(vec![
            Finding::new(Kind::JsonSyntax, src.path.clone(), "ไฟล์ว่างเปล่า ไม่มีข้อมูล JSON")
                .with_help("ใส่ข้อมูลตามรูปแบบใน README หรือลบไฟล์นี้ออก"),
        ]);
    };
    let mut spans = Spans::default();
    // Keys given twice and numbers too large to hold: reported together.
    let mut problems = Vec::new();
    let value = convert_json(&root, String::new(), None, &mut spans, &mut problems, src);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Located { value, spans })
}

fn convert_json(
    node: &jsonc_parser::ast::Value<'_>,
    pointer: String,
    key: Option<Range<usize>>,
    spans: &mut Spans,
    problems: &mut Vec<Finding>,
    src: &SourceFile,
) -> Value {
    use jsonc_parser::ast::Value as J;
    use jsonc_parser::common::Ranged;
    let range = node.range();
    let value = match node {
        J::StringLit(s) => Value::String(s.value.to_string()),
        J::NumberLit(n) => match n.value.parse::<Number>() {
            Ok(number) => Value::Number(whole(number)),
            Err(_) => {
                problems.push(
                    Finding::new(Kind::ImpossibleValue, src.path.clone(), format!("ตัวเลข {} ใหญ่เกินกว่าจะใช้ได้", n.value))
                        .with_field(field_name(&pointer))
                        .with_help("ตรวจตัวเลขกับเอกสารต้นทาง")
                        .at(src, range.start..range.end),
                );
                Value::Null
            }
        },
        J::BooleanLit(b) => Value::Bool(b.value),
        J::NullKeyword(_) => Value::Null,
        J::Array(a) => Value::Array(
            a.elements
                .iter()
                .enumerate()
                .map(|(i, el)| convert_json(el, format!("{pointer}/{i}"), None, spans, problems, src))
                .collect(),
        ),
        J::Object(o) => {
            let mut map = Map::new();
            for prop in &o.properties {
                let name = prop.name.as_str().to_string();
                let key_range = prop.name.range();
                let child = format!("{pointer}/{}", escape(&name));
                if map.contains_key(&name) {
                    problems.push(
                        Finding::new(
                            Kind::DuplicateKey,
                            src.path.clone(),
                            format!("ช่อง \"{name}\" ซ้ำกันสองครั้งในวัตถุเดียวกัน จะใช้ได้เพียงค่าเดียว"),
                        )
                        .with_field(field_name(&child))
                        .with_help(format!("ลบ \"{name}\" ที่ซ้ำออกให้เหลือค่าเดียว"))
                        .at(src, key_range.start..key_range.end),
                    );
                }
                let v = convert_json(&prop.value, child, Some(key_range.start..key_range.end), spans, problems, src);
                map.insert(name, v);
            }
            Value::Object(map)
        }
    };
    // Inserted last, so the pointer moves in instead of being copied.
    spans.insert(pointer, NodeSpan { key, value: range.start..range.end });
    value
}

/// The first control character (a line break, a tab…) inside a JSON string:
/// the byte offset of the string's opening quote and the character.
fn control_in_string(text: &str) -> Option<(usize, char)> {
    let mut in_string: Option<usize> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match in_string {
            None if c == '"' => in_string = Some(i),
            None => {}
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(_) if c == '"' => in_string = None,
            Some(start) if (c as u32) < 0x20 => return Some((start, c)),
            Some(_) => {}
        }
    }
    None
}

fn control_in_string_finding(src: &SourceFile, start: usize, c: char) -> Finding {
    let (message, help) = if c == '\n' {
        (
            "ข้อความที่เริ่มตรงนี้ไม่ได้ปิดด้วยเครื่องหมายคำพูด \" ก่อนจบบรรทัด",
            "ใส่ \" ปิดท้ายข้อความ ถ้าต้องการขึ้นบรรทัดใหม่ในข้อความ ให้เขียน \\n แทนการกด Enter",
        )
    } else if c == '\t' {
        ("ข้อความนี้มีแท็บ (Tab) อยู่ข้างใน ซึ่ง JSON ไม่อนุญาต", "แทนแท็บด้วยการเว้นวรรค หรือเขียนเป็น \\t")
    } else {
        ("ข้อความนี้มีอักขระควบคุมที่มองไม่เห็นอยู่ข้างใน ซึ่ง JSON ไม่อนุญาต", "ลบอักขระนั้นออก (มักติดมาจากการคัดลอกข้อความ)")
    };
    Finding::new(Kind::JsonSyntax, src.path.clone(), message).with_help(help).at(src, start..start + 1)
}

fn json_syntax_message(kind: &jsonc_parser::errors::ParseErrorKind) -> (String, String) {
    use jsonc_parser::ParseStringErrorKind as S;
    use jsonc_parser::errors::ParseErrorKind as K;
    let (m, h): (&str, &str) = match kind {
        K::TrailingCommasNotAllowed => ("มีเครื่องหมายจุลภาค , เกินมาหลังรายการสุดท้าย", "ลบ , ที่อยู่ก่อน } หรือ ] ออก"),
        K::ExpectedComma => ("ขาดเครื่องหมายจุลภาค , ระหว่างสองรายการ", "ใส่ , ตรงนี้ (ระหว่างรายการหรือระหว่างช่อง)"),
        K::CommentsNotAllowed | K::UnterminatedCommentBlock => {
            ("JSON ไม่อนุญาตให้มีหมายเหตุ (// หรือ /* */)", "ลบหมายเหตุออก หรือย้ายไปไว้ในช่อง \"note\"")
        }
        K::SingleQuotedStringsNotAllowed => ("ข้อความใน JSON ต้องอยู่ในเครื่องหมายคำพูดคู่ \" \" ไม่ใช่ ' '", "เปลี่ยน ' เป็น \""),
        K::ExpectedColonAfterObjectKey => ("ขาดเครื่องหมาย : หลังชื่อช่อง", "เขียนเป็น \"ชื่อช่อง\": ค่า"),
        K::ExpectedObjectValue => ("ไม่มีค่าหลังเครื่องหมาย :", "ใส่ค่าหลัง : เช่น ตัวเลข ข้อความในเครื่องหมายคำพูด หรือ [ ] { }"),
        K::ExpectedStringObjectProperty | K::UnexpectedWord => {
            ("ชื่อช่องหรือข้อความต้องอยู่ในเครื่องหมายคำพูดคู่ \" \"", "ใส่ \" ครอบข้อความ เช่น \"unit\": \"ร้อยละ\"")
        }
        K::UnterminatedArray => ("รายการ [ เปิดไว้แต่ไม่ได้ปิดด้วย ]", "เพิ่ม ] ให้ครบคู่"),
        K::UnterminatedObject => ("วัตถุ { เปิดไว้แต่ไม่ได้ปิดด้วย }", "เพิ่ม } ให้ครบคู่"),
        K::UnexpectedCloseBrace | K::UnexpectedCloseBracket => {
            ("พบวงเล็บปิดที่ไม่มีวงเล็บเปิดคู่กัน", "ตรวจว่า { } และ [ ] เปิดปิดครบคู่")
        }
        K::UnexpectedColon => {
            ("พบเครื่องหมาย : ในที่ที่ไม่ควรมี", "ตรวจบรรทัดก่อนหน้า: อาจลืมปิดรายการด้วย ] หรือวัตถุด้วย } หรือลืมเครื่องหมายคำพูดรอบชื่อช่อง")
        }
        K::UnexpectedTokenInObject => (
            "ในวัตถุ { } ตรงนี้ควรเป็นชื่อช่องในเครื่องหมายคำพูด แต่พบอย่างอื่น (มักเป็นเครื่องหมาย , ซ้ำกันสองตัว)",
            "ลบเครื่องหมายที่เกินออก หรือเขียนเป็น \"ชื่อช่อง\": ค่า",
        ),
        K::UnexpectedToken => (
            "พบเครื่องหมายที่ไม่ควรอยู่ตรงนี้",
            "ตรวจว่าค่าเป็นตัวเลข ข้อความในเครื่องหมายคำพูด true/false หรือ [ ] { } และคั่นด้วย , ครั้งเดียว",
        ),
        K::UnexpectedComma => ("พบเครื่องหมายจุลภาค , ในที่ที่ไม่ควรมี (อาจเป็น , ซ้ำกันสองตัว)", "ลบ , ที่เกินออก"),
        K::String(S::UnterminatedStringLiteral) => ("ข้อความที่เริ่มตรงนี้ไม่ได้ปิดด้วยเครื่องหมายคำพูด \"", "ใส่ \" ปิดท้ายข้อความ"),
        K::String(_) => (
            "ข้อความในเครื่องหมายคำพูดมี \\ ที่ไม่ถูกต้อง",
            "ถ้าต้องการเครื่องหมาย \\ ในข้อความให้เขียน \\\\ และถ้าต้องการ \" ให้เขียน \\\"",
        ),
        K::MultipleRootJsonValues => ("พบข้อมูลเกินมาหลังจบ JSON", "ไฟล์หนึ่งมีข้อมูลชุดเดียว: ลบส่วนที่เกินหลัง } สุดท้ายออก"),
        K::NestingDepthExceeded => ("ข้อมูลซ้อนกันลึกเกินไป", "ตรวจว่า { } และ [ ] เปิดปิดครบคู่"),
        K::NonFiniteNumbersNotAllowed
        | K::HexadecimalNumbersNotAllowed
        | K::UnaryPlusNumbersNotAllowed
        | K::BareDecimalPointNumbersNotAllowed
        | K::ExpectedDigit
        | K::ExpectedDigitFollowingNegativeSign
        | K::ExpectedPlusMinusOrDigitInNumberLiteral => {
            ("ตัวเลขเขียนไม่ถูกต้อง", "เขียนตัวเลขอารบิกแบบ 66.36 หรือ 120 (ไม่มี + นำหน้า ไม่มีจุดลอย ไม่มีเครื่องหมาย %)")
        }
    };
    (m.to_string(), h.to_string())
}

/// `2566.0` as the whole number 2566. JSON Schema (and VS Code) count it as
/// an integer, so the loaders must read it as one too.
fn whole(n: Number) -> Number {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 => {
            // 2^63 and 2^64: the first floats beyond each integer type.
            if (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
                Number::from(f as i64)
            } else if (0.0..1.844_674_407_370_955_2e19).contains(&f) {
                Number::from(f as u64)
            } else {
                n
            }
        }
        _ => n,
    }
}

/// Parses TOML that starts at byte `offset` of `src` (front matter sits
/// inside a Markdown file). Dates become strings.
pub fn parse_toml(src: &SourceFile, range: Range<usize>) -> Result<Located, Vec<Finding>> {
    use toml::de::DeTable;
    let text = &src.text[range.clone()];
    let offset = range.start;
    let table = DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let range = offset + span.start..offset + span.end.max(span.start + 1);
        let (kind, message, help) = toml_syntax_message(e.message().trim(), src, range.clone());
        vec![Finding::new(kind, src.path.clone(), message).with_help(help).at(src, range)]
    })?;
    let mut spans = Spans::default();
    let root_span = table.span();
    spans.insert(String::new(), NodeSpan { key: None, value: offset + root_span.start..offset + root_span.end });
    let value = convert_toml_table(table.get_ref(), "", offset, &mut spans);
    Ok(Located { value, spans })
}

/// A TOML parser message in plain Thai, with what to do. The parser's own
/// words stay in brackets only when there is no translation.
fn toml_syntax_message(msg: &str, src: &SourceFile, range: Range<usize>) -> (Kind, String, String) {
    let what = msg.split(", expected").next().unwrap_or(msg).trim();
    let (line, _) = src.line_col(range.start);
    let line_text = src.line_text(line).unwrap_or("").trim();
    // `digits = thai` → `digits = "thai"`: show the line as it should be.
    let quoted = line_text.split_once('=').and_then(|(k, v)| {
        let (k, v) = (k.trim(), v.trim());
        (!k.is_empty() && !v.is_empty() && !v.starts_with(['"', '\'', '[', '{'])).then(|| format!("{k} = \"{v}\""))
    });
    let plain = |m: &str, h: &str| (Kind::TomlSyntax, format!("TOML ไม่ถูกต้อง: {m}"), h.to_string());
    let empty_value = line_text.split_once('=').is_some_and(|(k, v)| !k.trim().is_empty() && v.trim().is_empty());
    match what {
        "invalid boolean" | "string values must be quoted" if empty_value => {
            plain("ไม่มีค่าหลังเครื่องหมาย =", "ใส่ค่าหลัง = เช่น ข้อความในเครื่องหมายคำพูด \" \" หรือลบบรรทัดนี้ออก")
        }
        "invalid boolean" | "string values must be quoted" => plain(
            "ค่านี้ไม่ใช่ข้อความในเครื่องหมายคำพูด ตัวเลข หรือ true/false",
            &match quoted {
                Some(q) => format!("ถ้าเป็นข้อความ ให้ใส่เครื่องหมายคำพูด: {q}"),
                None => "ถ้าเป็นข้อความ ให้ใส่เครื่องหมายคำพูด \" \" ครอบ".into(),
            },
        ),
        "invalid basic string" | "invalid literal string" => plain(
            "ข้อความไม่ได้ปิดด้วยเครื่องหมายคำพูดก่อนจบบรรทัด",
            "ใส่เครื่องหมายคำพูดปิดท้ายข้อความ (ข้อความหลายบรรทัดเขียนใน \"\"\" … \"\"\")",
        ),
        "duplicate key" => {
            let key = src.text.get(range).unwrap_or("").trim_matches(['[', ']', '"', '\'']).trim().to_string();
            (
                Kind::DuplicateKey,
                format!("\"{key}\" ซ้ำกับที่มีอยู่แล้วในตารางเดียวกัน จะใช้ได้เพียงค่าเดียว"),
                format!("ลบ \"{key}\" ที่ซ้ำออกให้เหลือค่าเดียว"),
            )
        }
        "key with no value" => plain("ชื่อนี้ไม่มีค่า: ขาดเครื่องหมาย = และค่า", "เขียนเป็น ชื่อ = ค่า"),
        "unquoted keys cannot be empty" => plain("ไม่มีชื่อหน้าเครื่องหมาย =", "เขียนเป็น ชื่อ = ค่า"),
        "invalid unquoted key" => plain(
            "ชื่อที่ไม่มีเครื่องหมายคำพูดใช้ได้เฉพาะอักษรอังกฤษ ตัวเลข - และ _",
            "ใช้ชื่อตามรูปแบบใน README หรือใส่เครื่องหมายคำพูดครอบชื่อ",
        ),
        "unclosed table" => plain("หัวข้อตาราง [ ไม่ได้ปิดด้วย ]", "เขียนเป็น [ชื่อ] ในบรรทัดเดียว"),
        "unclosed array" => plain("รายการ [ ไม่ได้ปิดด้วย ]", "เพิ่ม ] ให้ครบคู่"),
        "unclosed inline table" => plain("ตาราง { ไม่ได้ปิดด้วย }", "เพิ่ม } ให้ครบคู่ (ตาราง { } ต้องอยู่ในบรรทัดเดียว)"),
        "unexpected key or value" => plain("มีข้อความเกินมาหลังค่า", "หนึ่งบรรทัดมี ชื่อ = ค่า ได้คู่เดียว หมายเหตุให้ขึ้นต้นด้วย #"),
        "missing escaped value" | "invalid escape sequence" | "invalid unicode escape sequence" => plain(
            "เครื่องหมาย \\ ในข้อความต้องตามด้วยอักษรที่กำหนด",
            "ถ้าต้องการ \\ ให้เขียน \\\\ หรือใช้เครื่องหมายคำพูดเดี่ยว ' ' ครอบข้อความ",
        ),
        w if w.contains("date") || w.contains("time") => {
            plain("วันที่หรือเวลาไม่ถูกต้อง", "วันที่ในไฟล์นี้ให้เขียนเป็นข้อความในเครื่องหมายคำพูด เช่น \"2566-12-21\"")
        }
        w if w.contains("float") || w.contains("integer") || w.contains("leading zero") || w.contains("number") => {
            plain("ตัวเลขเขียนไม่ถูกต้อง", "เขียนตัวเลขอารบิก เช่น 2566 หรือ 66.36 (ไม่มีเลข 0 นำหน้า)")
        }
        _ => (
            Kind::TomlSyntax,
            format!("TOML ไม่ถูกต้องตรงนี้ ({msg})"),
            "ตรวจรูปแบบ ชื่อ = ค่า: ข้อความอยู่ในเครื่องหมายคำพูด \" \" ตัวเลขและ true/false ไม่ต้องมี หัวข้อตารางเขียนเป็น [ชื่อ]".into(),
        ),
    }
}

fn convert_toml_table(table: &toml::de::DeTable<'_>, pointer: &str, offset: usize, spans: &mut Spans) -> Value {
    let mut map = Map::new();
    for (k, v) in table.iter() {
        let child = format!("{pointer}/{}", escape(k.get_ref()));
        let ks = k.span();
        let value = convert_toml(v, &child, Some(offset + ks.start..offset + ks.end), offset, spans);
        map.insert(k.get_ref().to_string(), value);
    }
    Value::Object(map)
}

fn convert_toml(
    v: &toml::Spanned<toml::de::DeValue<'_>>,
    pointer: &str,
    key: Option<Range<usize>>,
    offset: usize,
    spans: &mut Spans,
) -> Value {
    use toml::de::DeValue as T;
    let s = v.span();
    spans.insert(pointer.to_string(), NodeSpan { key, value: offset + s.start..offset + s.end });
    match v.get_ref() {
        T::String(s) => Value::String(s.to_string()),
        T::Integer(i) => i64::from_str_radix(i.as_str().replace('_', "").trim_start_matches('+'), i.radix())
            .map(|n| Value::Number(n.into()))
            .unwrap_or_else(|_| Value::String(i.as_str().to_string())),
        T::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(|n| Value::Number(whole(n)))
            .unwrap_or_else(|| Value::String(f.as_str().to_string())),
        T::Boolean(b) => Value::Bool(*b),
        T::Datetime(d) => Value::String(d.to_string()),
        T::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, el)| convert_toml(el, &format!("{pointer}/{i}"), None, offset, spans))
                .collect(),
        ),
        T::Table(t) => convert_toml_table(t, pointer, offset, spans),
    }
}

/// A compiled JSON Schema for one kind of content file.
pub struct Schema {
    pub json: Value,
    validator: jsonschema::Validator,
}

impl Schema {
    pub fn new(json: Value) -> Schema {
        let validator = jsonschema::validator_for(&json).expect("schemas generated from our own types compile");
        Schema { json, validator }
    }

    /// Checks a document's structure and reports every problem with its
    /// place, in words for an editor.
    pub fn check(&self, doc: &Located, src: &SourceFile) -> Vec<Finding> {
        use jsonschema::error::{TypeKind, ValidationErrorKind as V};
        let mut out = Vec::new();
        for err in self.validator.iter_errors(&doc.value) {
            let pointer = err.instance_path().as_str().to_string();
            let schema_path = err.schema_path().as_str().to_string();
            let instance = err.instance();
            let shown = show_value(instance);
            match err.kind() {
                V::Required { property } => {
                    let name = property.as_str().unwrap_or_default();
                    let desc = self.property_description(&schema_path, name);
                    let child = format!("{pointer}/{}", escape(name));
                    let mut f = Finding::new(
                        Kind::MissingField,
                        src.path.clone(),
                        format!("ขาดช่อง \"{name}\" ที่ต้องมี{}", in_object(doc, &pointer)),
                    )
                    .with_field(field_name(&child))
                    .at(src, start_of(doc.value_range(&pointer)));
                    f.help = Some(match desc {
                        Some(d) => format!("เพิ่ม \"{name}\": … — {d}"),
                        None => format!("เพิ่มช่อง \"{name}\""),
                    });
                    out.push(f);
                }
                V::AdditionalProperties { unexpected } => {
                    let known = self.property_names(&schema_path);
                    for name in unexpected {
                        let child = format!("{pointer}/{}", escape(name));
                        let suggestion = closest(name, known.iter().map(String::as_str));
                        let help = match suggestion {
                            Some(s) => format!("หมายถึง \"{s}\" หรือไม่? แก้ชื่อช่องให้ถูก"),
                            None if known.is_empty() => "ลบช่องนี้ออก".to_string(),
                            None => format!("ลบช่องนี้ออก หรือใช้ช่องที่รู้จัก: {}", known.join(", ")),
                        };
                        out.push(
                            doc.finding_at_key(
                                src,
                                Kind::UnknownField,
                                &child,
                                format!("ไม่รู้จักช่อง \"{name}\"{}", in_object(doc, &pointer)),
                            )
                            .with_help(help),
                        );
                    }
                }
                V::Type { kind } => {
                    let expected = match kind {
                        TypeKind::Single(t) => thai_type(&t.to_string()).to_string(),
                        TypeKind::Multiple(set) => {
                            set.iter().map(|t| thai_type(&t.to_string())).collect::<Vec<_>>().join(" หรือ ")
                        }
                    };
                    let hint = match (expected.as_str(), instance.as_ref()) {
                        (_, Value::Null) => "ถ้ายังไม่มีค่า ให้ลบช่องนี้ออกทั้งช่อง (ไม่ต้องใส่ null)".to_string(),
                        (e, Value::String(s)) if e.starts_with("ตัวเลข") => number_hint(s),
                        (e, _) if e.starts_with("ข้อความ") => "ใส่ข้อความในเครื่องหมายคำพูด \" \"".to_string(),
                        (e, Value::Number(n)) if e.starts_with("ตัวเลขจำนวนเต็ม") => {
                            format!("ช่องนี้ใช้จำนวนเต็ม ไม่มีทศนิยม เช่น {}", n.as_f64().unwrap_or(0.0).round())
                        }
                        (e, _) => format!("แก้ให้เป็น{e}"),
                    };
                    let found = describe_value(instance);
                    out.push(
                        doc.finding(src, Kind::WrongType, &pointer, format!("ช่องนี้ต้องเป็น{expected} แต่พบ{found}"))
                            .with_help(hint),
                    );
                }
                V::Enum { options } => {
                    let allowed: Vec<(String, Option<String>)> = options
                        .as_array()
                        .map(|a| {
                            a.iter().map(|o| (o.as_str().map_or_else(|| o.to_string(), String::from), None)).collect()
                        })
                        .unwrap_or_default();
                    out.push(self.invalid_choice(doc, src, &pointer, instance, &allowed));
                }
                V::OneOfNotValid { .. } | V::AnyOf { .. } if self.choices(&schema_path).is_some() => {
                    let allowed = self.choices(&schema_path).unwrap_or_default();
                    out.push(self.invalid_choice(doc, src, &pointer, instance, &allowed));
                }
                V::Minimum { limit } | V::ExclusiveMinimum { limit } => {
                    let what = if limit.as_f64() == Some(0.0) {
                        "ติดลบไม่ได้".to_string()
                    } else {
                        format!("ต้องไม่น้อยกว่า {limit}")
                    };
                    out.push(
                        doc.finding(src, Kind::ImpossibleValue, &pointer, format!("ค่า {shown} เป็นไปไม่ได้: ช่องนี้{what}"))
                            .with_help(self.range_help(&schema_path, &pointer)),
                    );
                }
                V::Maximum { limit } | V::ExclusiveMaximum { limit } => out.push(
                    doc.finding(
                        src,
                        Kind::ImpossibleValue,
                        &pointer,
                        format!("ค่า {shown} เป็นไปไม่ได้: ช่องนี้ต้องไม่เกิน {limit}"),
                    )
                    .with_help(self.range_help(&schema_path, &pointer)),
                ),
                V::MinLength { .. } | V::MinItems { .. } => out
                    .push(doc.finding(src, Kind::InvalidValue, &pointer, "ช่องนี้ต้องไม่เว้นว่าง").with_help(
                        self.description_at(&schema_path).map_or("ใส่ค่าในช่องนี้".into(), |d| format!("ใส่{d}")),
                    )),
                V::Pattern { .. } => out.push(
                    doc.finding(src, Kind::InvalidValue, &pointer, format!("ค่า {shown} ไม่อยู่ในรูปแบบที่ช่องนี้ต้องการ"))
                        .with_help(self.description_at(&schema_path).unwrap_or_else(|| "ดูรูปแบบใน README".into())),
                ),
                // Kinds our schemas do not produce; the validator's words are
                // kept so that nothing is hidden.
                _ => out.push(
                    doc.finding(src, Kind::InvalidValue, &pointer, format!("ค่า {shown} ใช้ไม่ได้ในช่องนี้ ({err})"))
                        .with_help(
                            self.description_at(&schema_path)
                                .map_or("ดูรูปแบบของช่องนี้ใน README".into(), |d| format!("ช่องนี้คือ: {d}")),
                        ),
                ),
            }
        }
        out
    }

    /// A value that is not one of a field's fixed choices, with the closest
    /// choice and what each one means.
    fn invalid_choice(
        &self,
        doc: &Located,
        src: &SourceFile,
        pointer: &str,
        instance: &Value,
        allowed: &[(String, Option<String>)],
    ) -> Finding {
        let given = instance.as_str().unwrap_or_default();
        let listed = allowed
            .iter()
            .map(|(v, d)| match d {
                Some(d) => format!("\"{v}\" = {d}"),
                None => format!("\"{v}\""),
            })
            .collect::<Vec<_>>()
            .join("; ");
        let help = match closest(given, allowed.iter().map(|(v, _)| v.as_str())) {
            Some(s) => format!("หมายถึง \"{s}\" หรือไม่? ค่าที่ใช้ได้: {listed}"),
            None => format!("ใช้ค่าใดค่าหนึ่ง: {listed}"),
        };
        doc.finding(src, Kind::InvalidValue, pointer, format!("ค่า {} ใช้ไม่ได้ในช่องนี้", show_value(instance)))
            .with_help(help)
    }

    /// The fixed choices of a `oneOf`/`anyOf` whose branches are all
    /// constants (how schemars writes an enum with documented variants).
    fn choices(&self, schema_path: &str) -> Option<Vec<(String, Option<String>)>> {
        let branches = self.node(schema_path)?.as_array()?;
        branches
            .iter()
            .map(|b| {
                let b = self.resolve(b).unwrap_or(b);
                let value = b.get("const")?;
                let text = value.as_str().map_or_else(|| value.to_string(), String::from);
                Some((text, b.get("description").and_then(Value::as_str).and_then(first_line)))
            })
            .collect()
    }

    /// What to do about a number out of range: the field's meaning, when the
    /// schema says it.
    fn range_help(&self, schema_path: &str, pointer: &str) -> String {
        let name = pointer.rsplit('/').next().unwrap_or_default();
        match self.owner(schema_path).and_then(|n| n.get("description")).and_then(Value::as_str).and_then(first_line) {
            Some(d) if !name.is_empty() => {
                format!("แก้ตัวเลขให้อยู่ในช่วงที่เป็นไปได้ (ตรวจกับเอกสารต้นทาง) — \"{}\" คือ {d}", unescape(name))
            }
            _ => "แก้ตัวเลขให้อยู่ในช่วงที่เป็นไปได้ (ตรวจกับเอกสารต้นทาง)".into(),
        }
    }

    /// Follows a schema path (keyword location, `$ref` included) to the
    /// schema node it names.
    fn node(&self, schema_path: &str) -> Option<&Value> {
        let mut cur = &self.json;
        for seg in schema_path.split('/').skip(1) {
            let seg = unescape(seg);
            if seg == "$ref" {
                cur = self.resolve(cur)?;
                continue;
            }
            cur = match cur {
                Value::Object(m) => m.get(&seg)?,
                Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        self.resolve(cur).or(Some(cur))
    }

    fn resolve<'a>(&'a self, node: &'a Value) -> Option<&'a Value> {
        let r = node.get("$ref")?.as_str()?;
        let mut cur = &self.json;
        for seg in r.trim_start_matches('#').split('/').skip(1) {
            cur = cur.get(unescape(seg))?;
        }
        Some(cur)
    }

    /// The object schema that a keyword location such as `…/required` or
    /// `…/additionalProperties` belongs to.
    fn owner(&self, schema_path: &str) -> Option<&Value> {
        let parent = schema_path.rsplit_once('/').map_or("", |(p, _)| p);
        self.node(parent)
    }

    fn property_names(&self, schema_path: &str) -> Vec<String> {
        self.owner(schema_path)
            .and_then(|n| n.get("properties"))
            .and_then(Value::as_object)
            .map(|m| m.keys().filter(|k| !k.starts_with('$')).cloned().collect())
            .unwrap_or_default()
    }

    fn property_description(&self, schema_path: &str, name: &str) -> Option<String> {
        let prop = self.owner(schema_path)?.get("properties")?.get(name)?;
        let prop = self.resolve(prop).unwrap_or(prop);
        first_line(prop.get("description")?.as_str()?)
    }

    fn description_at(&self, schema_path: &str) -> Option<String> {
        let node = self.owner(schema_path)?;
        first_line(node.get("description")?.as_str()?)
    }
}

fn first_line(s: &str) -> Option<String> {
    s.lines().next().map(|l| l.trim().trim_end_matches('.').to_string()).filter(|l| !l.is_empty())
}

fn start_of(r: Range<usize>) -> Range<usize> {
    r.start..r.start + 1
}

/// " ใน indicators[2] (รหัส "2-1.1")": where an object is, and which one it
/// is when it has an id, so that an editor finds it in a long file.
fn in_object(doc: &Located, pointer: &str) -> String {
    if pointer.is_empty() {
        return String::new();
    }
    let value = doc.value.pointer(pointer);
    let id = ["id", "indicator", "strategy"]
        .iter()
        .find_map(|k| value.and_then(|v| v.get(k)).and_then(Value::as_str).map(|id| (*k, id)));
    match id {
        Some(("indicator", id)) => format!(" ใน {} (ตัวชี้วัด \"{id}\")", field_name(pointer)),
        Some(("strategy", id)) => format!(" ใน {} (ยุทธศาสตร์ \"{id}\")", field_name(pointer)),
        Some((_, id)) => format!(" ใน {} (รหัส \"{id}\")", field_name(pointer)),
        None => format!(" ใน {}", field_name(pointer)),
    }
}

fn thai_type(t: &str) -> &'static str {
    match t {
        "string" => "ข้อความ (ในเครื่องหมายคำพูด)",
        "number" => "ตัวเลข",
        "integer" => "ตัวเลขจำนวนเต็ม",
        "boolean" => "ค่า true หรือ false",
        "array" => "รายการ [ … ]",
        "object" => "วัตถุ { … }",
        "null" => "null",
        _ => "ค่าอื่น",
    }
}

/// How a value looks, for messages: `ข้อความ "66.36%"`, `ตัวเลข 12`.
pub fn describe_value(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            format!("ข้อความ \"{short}{}\"", if s.chars().count() > 40 { "…" } else { "" })
        }
        Value::Number(n) => format!("ตัวเลข {n}"),
        Value::Bool(b) => format!("ค่า {b}"),
        Value::Null => "ค่าว่าง null".into(),
        Value::Array(_) => "รายการ [ … ]".into(),
        Value::Object(_) => "วัตถุ { … }".into(),
    }
}

/// A value as it is written in the file: `"66.36%"`, `12`, `null`.
pub fn show_value(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            format!("\"{short}{}\"", if s.chars().count() > 40 { "…" } else { "" })
        }
        Value::Array(_) => "[ … ]".into(),
        Value::Object(_) => "{ … }".into(),
        other => other.to_string(),
    }
}

/// How to write a number that was written as text: `"66.36%"`, `"๒๕๖๖"`.
fn number_hint(s: &str) -> String {
    let mut parts = vec!["เขียนเป็นตัวเลขโดยไม่มีเครื่องหมายคำพูด".to_string()];
    if s.contains('%') {
        parts.push("ไม่ต้องมี %".into());
    }
    if s.chars().any(|c| ('๐'..='๙').contains(&c)) {
        parts.push("ใช้เลขอารบิก 0–9 แทนเลขไทย".into());
    }
    if s.contains(',') {
        parts.push("ไม่ต้องมีจุลภาคคั่นหลักพัน".into());
    }
    match suggest_number(s) {
        Some(n) => format!("{} เช่น {n}", parts.join(" ")),
        None => parts.join(" "),
    }
}

fn suggest_number(s: &str) -> Option<String> {
    let cleaned: String =
        crate::thai::to_arabic_digits(s).chars().filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
    cleaned.parse::<f64>().ok().map(|_| cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceFile {
        SourceFile::new("t.json", text.to_string())
    }

    #[test]
    fn spans_point_at_values_and_keys() {
        let s = src("{\n  \"a\": [1, {\"b\": \"x\"}]\n}");
        let doc = parse_json(&s).unwrap();
        let r = doc.value_range("/a/1/b");
        assert_eq!(&s.text[r], "\"x\"");
        let k = doc.key_range("/a/1/b");
        assert_eq!(&s.text[k], "\"b\"");
        // A missing child falls back to its parent.
        assert_eq!(&s.text[doc.value_range("/a/1/zz")], "{\"b\": \"x\"}");
    }

    #[test]
    fn syntax_errors_have_line_and_plain_words() {
        let s = src("{\n  \"a\": 1,\n}");
        let err = parse_json(&s).unwrap_err();
        assert_eq!(err[0].kind, Kind::JsonSyntax);
        assert_eq!(err[0].line, Some(2));
        assert!(err[0].message.contains("จุลภาค"));
    }

    #[test]
    fn duplicate_keys_are_found() {
        let s = src("{\"a\": 1,\n \"a\": 2}");
        let err = parse_json(&s).unwrap_err();
        assert_eq!(err[0].kind, Kind::DuplicateKey);
        assert_eq!(err[0].line, Some(2));
    }

    #[test]
    fn field_names_read_like_the_file() {
        assert_eq!(field_name("/indicators/3/value"), "indicators[3].value");
        assert_eq!(field_name("/targets/2566/kind"), "targets[\"2566\"].kind");
        assert_eq!(field_name(""), "");
    }

    #[test]
    fn toml_spans_are_offset_into_the_file() {
        let s = SourceFile::new("p.md", "+++\ntitle = \"ก\"\nweight = 2\n+++\nbody".into());
        let end = s.text.rfind("+++").unwrap();
        let doc = parse_toml(&s, 4..end).unwrap();
        assert_eq!(doc.value["weight"], 2);
        assert_eq!(s.line_col(doc.value_range("/weight").start).0, 3);
    }

    #[test]
    fn strings_may_not_run_past_their_line() {
        // jsonc-parser takes a raw line break inside a string; strict JSON
        // and VS Code do not, and a forgotten quote looks just like it.
        let s = src("{\n  \"a\": \"one\n  two\",\n  \"b\": 1\n}");
        let err = parse_json(&s).unwrap_err();
        assert_eq!(err[0].kind, Kind::JsonSyntax);
        assert_eq!((err[0].line, err[0].column), (Some(2), Some(8)));
        let s = src("{\n  \"a\": \"unclosed,\n  \"b\": 1\n}");
        assert_eq!(parse_json(&s).unwrap_err()[0].line, Some(2));
        let s = src("{\"a\": \"tab\there\"}");
        assert!(parse_json(&s).unwrap_err()[0].message.contains("แท็บ"));
        // Escaped, they are fine.
        assert!(parse_json(&src("{\"a\": \"x\\ny\\\"\"}")).is_ok());
    }

    #[test]
    fn whole_floats_read_as_integers() {
        let doc = parse_json(&src("{\"a\": 2566.0, \"b\": 66.5, \"c\": -0.0, \"d\": 1e300}")).unwrap();
        assert!(doc.value["a"].is_i64() && doc.value["a"] == 2566);
        assert_eq!(doc.value["b"], 66.5);
        assert!(doc.value["c"].is_i64());
        assert!(doc.value["d"].is_f64());
        // Too large for any number type: said, not turned into text.
        let err = parse_json(&src("{\"a\": 1e999}")).unwrap_err();
        assert_eq!(err[0].kind, Kind::ImpossibleValue);
        assert_eq!(err[0].field.as_deref(), Some("a"));
    }

    #[test]
    fn json_syntax_messages_are_thai_only() {
        for text in ["{\"a\": 1,}", "{\"a\": 1 \"b\": 2}", "[1, 2", "{\"a\" 1}", "{a: 1}", "{\"a\": 1} x"] {
            let err = parse_json(&src(text)).unwrap_err();
            assert!(!err[0].message.contains('('), "{text}: {}", err[0].message);
            assert!(err[0].help.is_some());
        }
    }

    #[test]
    fn toml_messages_say_what_to_write() {
        let s = SourceFile::new("site.toml", "title = \"ก\"\ndigits = thai\n".into());
        let err = parse_toml(&s, 0..s.text.len()).unwrap_err();
        assert_eq!((err[0].line, err[0].column), (Some(2), Some(10)));
        assert!(!err[0].message.contains("boolean"), "{}", err[0].message);
        assert!(err[0].help.as_deref().unwrap().contains("digits = \"thai\""));
        let s = SourceFile::new("site.toml", "era = \"be\"\nera = \"ce\"\n".into());
        let err = parse_toml(&s, 0..s.text.len()).unwrap_err();
        assert_eq!(err[0].kind, Kind::DuplicateKey);
        assert_eq!(err[0].line, Some(2));
        assert!(err[0].message.contains("\"era\""), "{}", err[0].message);
        let s = SourceFile::new("site.toml", "title =\n".into());
        let err = parse_toml(&s, 0..s.text.len()).unwrap_err();
        assert!(err[0].message.contains("ไม่มีค่า"), "{}", err[0].message);
    }

    #[test]
    fn toml_errors_have_positions() {
        let s = SourceFile::new("site.toml", "title = \"a\"\nbad line\n".into());
        let err = parse_toml(&s, 0..s.text.len()).unwrap_err();
        assert_eq!(err[0].kind, Kind::TomlSyntax);
        assert_eq!(err[0].line, Some(2));
    }
}
