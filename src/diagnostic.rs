//! Findings: what `check`, `build` and `serve` report about the content.
//!
//! One type serves the terminal, `--format json` and the browser overlay, so an
//! editor sees the same file, line, field and advice wherever they look.
//! Messages are Thai and plain: the people who edit the data are not
//! programmers.

use serde::Serialize;
use std::fmt;
use unicode_width::UnicodeWidthStr;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build stops: the site would be wrong or could not be made.
    Error,
    /// The build goes on (unless `--strict`): the content is probably wrong.
    Warning,
}

/// What kind of problem a finding is. The kebab-case code is stable: tests,
/// `--format json` and the README refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A file could not be read at all.
    Io,
    /// A file is not valid UTF-8.
    InvalidUtf8,
    /// JSON that does not parse.
    JsonSyntax,
    /// TOML (site configuration or front matter) that does not parse.
    TomlSyntax,
    /// A Markdown file whose `+++` front matter is not closed.
    FrontMatter,
    /// The same key twice in one JSON object.
    DuplicateKey,
    /// A required field is absent.
    MissingField,
    /// A field holds the wrong type of value (text where a number belongs…).
    WrongType,
    /// A field the format does not have, usually a typo.
    UnknownField,
    /// A value outside the allowed set or form.
    InvalidValue,
    /// Two things share an id.
    DuplicateId,
    /// A reference to an id that does not exist.
    UnknownReference,
    /// A fiscal year outside the plan's period.
    YearOutsidePlan,
    /// A value that cannot be true: a negative count, a count above its total…
    ImpossibleValue,
    /// A template the theme needs is missing.
    TemplateMissing,
    /// A template does not parse or fails to render.
    TemplateError,
    /// Front matter names a layout no template provides.
    UnknownLayout,
    /// A Markdown link to a page that does not exist.
    BrokenLink,
    /// An input reached through a symbolic link that leads outside the site.
    OutsideSite,
    /// A symbolic link that leads back into a folder above it.
    LinkLoop,
    /// A file or folder name that is not valid UTF-8.
    FileName,
    /// Two inputs that would be written to the same output path, or an input
    /// that would replace a page the build makes itself.
    OutputConflict,
    // The kinds below are lint warnings: consistency checks on content that is
    // well formed.
    /// A percentage that does not match its own counts.
    PercentMismatch,
    /// A status that contradicts the target and the value.
    StatusContradiction,
    /// The same figure stated differently in two places.
    StatedDifferently,
    /// A cumulative indicator that goes down from one year to the next.
    CumulativeDecrease,
    /// A date outside the fiscal year it is reported under.
    DateOutsideYear,
    /// Parts that do not add up to their stated total.
    TotalMismatch,
    /// A year with a numeric target but no result.
    MissingResult,
    /// A count larger than its total, as stated by the source.
    CountAboveTotal,
    /// A result or target counted in another unit than its indicator's.
    UnitDiffers,
    /// An inconsistency of the source stated by the editor in the data.
    EditorFinding,
    /// A text or label with no translation into one of the site's languages
    /// (the page shows the Thai instead).
    MissingTranslation,
}

impl Kind {
    /// The stable code, e.g. `unknown-field`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Io => "io",
            Kind::InvalidUtf8 => "invalid-utf8",
            Kind::JsonSyntax => "json-syntax",
            Kind::TomlSyntax => "toml-syntax",
            Kind::FrontMatter => "front-matter",
            Kind::DuplicateKey => "duplicate-key",
            Kind::MissingField => "missing-field",
            Kind::WrongType => "wrong-type",
            Kind::UnknownField => "unknown-field",
            Kind::InvalidValue => "invalid-value",
            Kind::DuplicateId => "duplicate-id",
            Kind::UnknownReference => "unknown-reference",
            Kind::YearOutsidePlan => "year-outside-plan",
            Kind::ImpossibleValue => "impossible-value",
            Kind::TemplateMissing => "template-missing",
            Kind::TemplateError => "template-error",
            Kind::UnknownLayout => "unknown-layout",
            Kind::BrokenLink => "broken-link",
            Kind::OutsideSite => "outside-site",
            Kind::LinkLoop => "link-loop",
            Kind::FileName => "file-name",
            Kind::OutputConflict => "output-conflict",
            Kind::PercentMismatch => "percent-mismatch",
            Kind::StatusContradiction => "status-contradiction",
            Kind::StatedDifferently => "stated-differently",
            Kind::CumulativeDecrease => "cumulative-decrease",
            Kind::DateOutsideYear => "date-outside-year",
            Kind::TotalMismatch => "total-mismatch",
            Kind::MissingResult => "missing-result",
            Kind::CountAboveTotal => "count-above-total",
            Kind::UnitDiffers => "unit-differs",
            Kind::EditorFinding => "editor-finding",
            Kind::MissingTranslation => "missing-translation",
        }
    }

    /// Lint kinds are warnings; everything else stops the build.
    pub fn default_severity(self) -> Severity {
        match self {
            Kind::PercentMismatch
            | Kind::StatusContradiction
            | Kind::StatedDifferently
            | Kind::CumulativeDecrease
            | Kind::DateOutsideYear
            | Kind::TotalMismatch
            | Kind::MissingResult
            | Kind::CountAboveTotal
            | Kind::UnitDiffers
            | Kind::EditorFinding
            | Kind::MissingTranslation => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub kind: Kind,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line, where the problem has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The field as it is named in the file, e.g. `indicators[3].value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The cell of a spreadsheet (`prongsai sheet import`), where the
    /// problem is in one: the file has rows and columns rather than lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Cell>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What would fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The offending lines of the source, with a marker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<Excerpt>,
}

/// A spreadsheet cell, as the spreadsheet names it: row 7, column "E".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub row: u32,
    pub column: String,
}

/// Spreadsheet column letters of a 1-based column number: 1 → A, 27 → AA.
pub fn column_letters(column: u32) -> String {
    let mut n = column;
    let mut letters = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        letters.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Lines of a source file around a finding, and where to put the marker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excerpt {
    /// (line number, text) pairs, the finding's line last.
    pub lines: Vec<(u32, String)>,
    /// Display column (0-based, in terminal cells) where the marker starts.
    pub marker_start: usize,
    /// Width of the marker in terminal cells (at least 1).
    pub marker_width: usize,
}

impl Finding {
    /// A finding about a whole file (no position).
    pub fn new(kind: Kind, file: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            severity: kind.default_severity(),
            kind,
            file: file.into(),
            line: None,
            column: None,
            field: None,
            cell: None,
            message: message.into(),
            help: None,
            excerpt: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Finding {
        self.field = Some(field.into());
        self
    }

    /// Places the finding at a byte range of `source`, adding line, column
    /// and an excerpt.
    pub fn at(mut self, source: &SourceFile, range: std::ops::Range<usize>) -> Finding {
        let (line, column) = source.line_col(range.start);
        self.line = Some(line);
        self.column = Some(column);
        self.excerpt = Some(source.excerpt(range));
        self
    }

    /// Places the finding on a 1-based line of `source` (no column).
    pub fn at_line(mut self, source: &SourceFile, line: u32) -> Finding {
        self.line = Some(line);
        if let Some(start) = source.line_start(line) {
            let end = source.text[start..].find('\n').map_or(source.text.len(), |e| start + e);
            let mut excerpt = source.excerpt(start..end);
            excerpt.marker_start = 0;
            self.excerpt = Some(excerpt);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Places the finding at a cell of a spreadsheet (1-based row, column
    /// letters as the spreadsheet shows them).
    pub fn at_cell(mut self, row: u32, column: u32) -> Finding {
        self.line = Some(row);
        self.column = Some(column);
        self.cell = Some(Cell { row, column: column_letters(column) });
        self
    }

    /// Where, as `file:line:column`, or `file: แถว 7 คอลัมน์ E` in a spreadsheet.
    pub fn location(&self) -> String {
        if let Some(cell) = &self.cell {
            return format!("{}: แถว {} คอลัมน์ {}", self.file, cell.row, cell.column);
        }
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }
}

/// Findings are reported sorted by file, then line, then column.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.file.as_str(), a.line.unwrap_or(0), a.column.unwrap_or(0), a.kind.code(), &a.message).cmp(&(
            b.file.as_str(),
            b.line.unwrap_or(0),
            b.column.unwrap_or(0),
            b.kind.code(),
            &b.message,
        ))
    });
}

impl fmt::Display for Finding {
    /// Renders like rustc: headline, location, excerpt with a marker, help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "ข้อผิดพลาด",
            Severity::Warning => "คำเตือน",
        };
        writeln!(f, "{label}[{}]: {}", self.kind.code(), self.message)?;
        match &self.field {
            Some(field) => writeln!(f, "  --> {}  ({field})", self.location())?,
            None => writeln!(f, "  --> {}", self.location())?,
        }
        if let Some(ex) = &self.excerpt {
            let gutter = ex.lines.iter().map(|(n, _)| n.to_string().len()).max().unwrap_or(1);
            writeln!(f, "{:gutter$} |", "")?;
            for (n, text) in &ex.lines {
                writeln!(f, "{n:>gutter$} | {text}")?;
            }
            writeln!(f, "{:gutter$} | {}{}", "", " ".repeat(ex.marker_start), "^".repeat(ex.marker_width.max(1)))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = วิธีแก้: {help}")?;
        }
        Ok(())
    }
}

/// A text file as the loaders read it, kept for positions and excerpts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// The text, without a byte-order mark and with `\r\n` turned into `\n`.
    pub text: String,
    line_starts: Vec<usize>,
    /// Of `path` and `text`, made when first asked for (nothing changes a
    /// source file once read): the preview keeps an unchanged file between
    /// saves, so each save need not hash tens of megabytes of JSON again.
    fingerprint: std::sync::OnceLock<u128>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { path: path.into(), text, line_starts, fingerprint: std::sync::OnceLock::new() }
    }

    /// A fingerprint of the file's path and text.
    pub fn fingerprint(&self) -> u128 {
        *self.fingerprint.get_or_init(|| crate::fingerprint::of(&(&self.path, &self.text)))
    }

    /// Decodes file bytes the way Thai editors on any system save them: a
    /// UTF-8 byte-order mark and Windows line endings are accepted. Invalid
    /// UTF-8 is a finding with its byte offset, line and column.
    pub fn decode(path: impl Into<String>, bytes: Vec<u8>) -> Result<SourceFile, Finding> {
        let path = path.into();
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => bytes,
        };
        match String::from_utf8(bytes) {
            Ok(text) => {
                let text = if text.contains('\r') { text.replace("\r\n", "\n") } else { text };
                Ok(SourceFile::new(path, text))
            }
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
                let line = valid.matches('\n').count() as u32 + 1;
                let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
                let mut finding = Finding::new(
                    Kind::InvalidUtf8,
                    path,
                    format!("ไฟล์นี้ไม่ได้เข้ารหัสเป็น UTF-8: พบไบต์ที่อ่านไม่ได้ที่ตำแหน่งไบต์ {offset}"),
                )
                .with_help(
                    "บันทึกไฟล์ใหม่เป็น UTF-8 (ใน Notepad: บันทึกเป็น… → การเข้ารหัส UTF-8; ใน VS Code: คลิกการเข้ารหัสที่แถบล่าง → Save with Encoding → UTF-8)",
                );
                finding.line = Some(line);
                finding.column = Some(column);
                Err(finding)
            }
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let idx = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[idx];
        let col = self.text[start..floor_char(&self.text, offset)].chars().count();
        (idx as u32 + 1, col as u32 + 1)
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.line_starts.get((line as usize).checked_sub(1)?).copied()
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let start = self.line_start(line)?;
        let end = self.text[start..].find('\n').map_or(self.text.len(), |e| start + e);
        Some(&self.text[start..end])
    }

    /// The finding's line and the one before it, with a marker under the range
    /// (clipped to the first line of the range).
    pub fn excerpt(&self, range: std::ops::Range<usize>) -> Excerpt {
        let (line, _) = self.line_col(range.start);
        let line_text = self.line_text(line).unwrap_or("");
        let start = self.line_start(line).unwrap_or(0);
        let col_start = floor_char(&self.text, range.start.max(start)) - start;
        let end = range.end.min(start + line_text.len()).max(start + col_start);
        let col_end = floor_char(&self.text, end) - start;
        let mut lines = Vec::new();
        if line > 1 {
            if let Some(prev) = self.line_text(line - 1) {
                if !prev.trim().is_empty() {
                    lines.push((line - 1, prev.to_string()));
                }
            }
        }
        lines.push((line, line_text.to_string()));
        Excerpt {
            lines,
            marker_start: UnicodeWidthStr::width(&line_text[..col_start]),
            marker_width: UnicodeWidthStr::width(&line_text[col_start..col_end]).max(1),
        }
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let f = SourceFile::decode("a.json", b"\xEF\xBB\xBF{\r\n  \"a\": 1\r\n}\r\n".to_vec()).unwrap();
        assert_eq!(f.text, "{\n  \"a\": 1\n}\n");
        assert_eq!(f.line_col(4), (2, 3));
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        let err = SourceFile::decode("a.json", b"{\n \"a\": \"\xff\"}".to_vec()).unwrap_err();
        assert_eq!(err.kind, Kind::InvalidUtf8);
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains(" 9"), "{}", err.message);
    }

    #[test]
    fn excerpt_marks_thai_by_display_width() {
        let f = SourceFile::new("a", "x\n\"ชื่อ\": \"ค่า\"\n".to_string());
        let start = f.text.find("\"ค่า").unwrap();
        let ex = f.excerpt(start..start + "\"ค่า\"".len());
        assert_eq!(ex.lines.last().unwrap().0, 2);
        // "ชื่อ" is 4 chars but 3 cells: the marker lines up with what a terminal shows.
        assert_eq!(ex.marker_start, UnicodeWidthStr::width("\"ชื่อ\": "));
    }

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("vaule", ["value", "status", "count"]), Some("value"));
        assert_eq!(closest("zzz", ["value", "status"]), None);
    }

    #[test]
    fn display_looks_like_rustc() {
        let f = SourceFile::new("content/a.json", "{\n  \"vaule\": 1\n}".into());
        let finding = Finding::new(Kind::UnknownField, "content/a.json", "ไม่รู้จักช่อง \"vaule\"")
            .with_field("vaule")
            .with_help("เปลี่ยนเป็น \"value\"")
            .at(&f, 4..11);
        let text = finding.to_string();
        assert!(text.contains("content/a.json:2:3"), "{text}");
        assert!(text.contains("  ^^^^^^^"), "{text}");
    }
}
