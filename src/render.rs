//! Templates: minijinja, loaded from the theme's `templates/` with the site's
//! own `templates/` taking precedence name by name, so a site overrides any
//! template by providing one with the same name.
//!
//! All templates are read and compiled before anything renders, so a broken
//! template is reported with its file and line even if no page uses it yet.

use crate::diagnostic::{Finding, Kind, SourceFile};
use minijinja::{Environment, State, UndefinedBehavior, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Where a site puts templates that override the theme's.
pub const SITE_TEMPLATES: &str = "templates";

/// The templates the build renders pages with (besides each page's layout),
/// so a theme without one of them is reported before anything is built.
pub const PAGE_TEMPLATES: &[&str] = &[
    "overview.html",
    "strategies.html",
    "indicators.html",
    "years.html",
    "strategy.html",
    "indicator.html",
    "year.html",
    "year_section.html",
    "source.html",
    "page.html",
    "404.html",
    "search.html",
    "embed.html",
];

/// The compiled templates.
pub struct Renderer {
    env: Environment<'static>,
    /// Template name → file, relative to the site root.
    files: BTreeMap<String, SourceFile>,
}

impl Renderer {
    /// A fingerprint of every template: a page rendered with the same
    /// context and the same templates is the same page.
    pub fn fingerprint(&self) -> u128 {
        crate::fingerprint::of(&self.files.iter().map(|(name, f)| (name, &f.text)).collect::<Vec<_>>())
    }

    /// Reads every template of the theme and the site, site first.
    pub fn new(root: &Path, theme_dir: &str) -> Result<Renderer, Vec<Finding>> {
        let mut files: BTreeMap<String, SourceFile> = BTreeMap::new();
        let mut findings = Vec::new();
        for dir in [format!("{theme_dir}/templates"), SITE_TEMPLATES.to_string()] {
            for crate::files::Entry { rel, name } in crate::files::walk(root, &dir, &mut findings) {
                match crate::data::read_source(root, &rel) {
                    // Later directories (the site's) replace earlier ones (the theme's).
                    Ok(src) => {
                        files.insert(name, src);
                    }
                    Err(f) => findings.push(f),
                }
            }
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.add_function("url", url);
        // HTML escaping of &, <, >, " and ', as the spec requires; minijinja
        // also writes every "/" as "&#x2f;", which makes pages needlessly
        // hard to read and to search.
        env.set_formatter(|out, state, value| {
            if *state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
                out.write_str(&crate::escape::html(&value.to_string())).map_err(minijinja::Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        for (name, src) in &files {
            if let Err(e) = env.add_template_owned(name.clone(), src.text.clone()) {
                findings.push(template_finding(&e, src));
            }
        }
        for name in PAGE_TEMPLATES {
            if !files.contains_key(*name) {
                findings.push(
                    Finding::new(
                        Kind::TemplateMissing,
                        format!("{theme_dir}/templates/{name}"),
                        format!("ไม่มีแม่แบบ {name} ทั้งในธีมและในโฟลเดอร์ {SITE_TEMPLATES}/ ของเว็บไซต์"),
                    )
                    .with_help(format!(
                        "สร้างไฟล์ {theme_dir}/templates/{name} หรือ {SITE_TEMPLATES}/{name} (คัดลอกจาก themes/default/templates/ ได้)"
                    )),
                );
            }
        }
        // A template that extends, includes or imports one that does not
        // exist would fail only when a page using it renders.
        for src in files.values() {
            for Reference { offset, name: target, .. } in referenced_templates(&src.text) {
                if !files.contains_key(&target) {
                    let tag_end = src.text[offset..].find("%}").map_or(src.text.len(), |e| offset + e + 2);
                    findings.push(
                        Finding::new(
                            Kind::TemplateMissing,
                            src.path.clone(),
                            format!("แม่แบบนี้อ้างถึงแม่แบบ {target} ซึ่งไม่มีทั้งในธีมและในโฟลเดอร์ {SITE_TEMPLATES}/"),
                        )
                        .with_help(format!(
                            "แก้ชื่อแม่แบบให้ตรงกับไฟล์ที่มี หรือสร้างไฟล์ {SITE_TEMPLATES}/{target} (หรือ {theme_dir}/templates/{target})"
                        ))
                        .at(src, offset..tag_end),
                    );
                }
            }
        }
        findings.extend(cycles(&files));
        if !findings.is_empty() {
            return Err(findings);
        }
        Ok(Renderer { env, files })
    }

    /// Whether a template of this name (with `.html`) exists.
    pub fn has_template(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Whether a page may name this layout (template name without `.html`).
    pub fn has_layout(&self, layout: &str) -> bool {
        self.layouts().iter().any(|l| l == layout)
    }

    /// Layouts a page may name: the theme's page templates, not its
    /// skeleton (a template others extend that extends nothing itself, like
    /// base.html), its partials (`_…`), nor the templates the build renders
    /// its own pages with (a page rendered with year.html would lack the
    /// year it shows).
    pub fn layouts(&self) -> Vec<String> {
        let extends =
            |src: &SourceFile| referenced_templates(&src.text).into_iter().find(|r| r.tag == "extends").map(|r| r.name);
        let parents: std::collections::BTreeSet<String> = self.files.values().filter_map(extends).collect();
        self.files
            .iter()
            .filter(|(name, _)| !name.starts_with('_') && !name.contains('/'))
            .filter(|(name, _)| name.as_str() == "page.html" || !PAGE_TEMPLATES.contains(&name.as_str()))
            .filter(|(name, src)| !(parents.contains(name.as_str()) && extends(src).is_none()))
            .filter_map(|(name, _)| name.strip_suffix(".html"))
            .map(String::from)
            .collect()
    }

    /// Renders a template; a failure names the template file and line.
    pub fn render(&self, template: &str, ctx: Value) -> Result<String, Finding> {
        let tmpl = self.env.get_template(template).map_err(|_| {
            Finding::new(
                Kind::TemplateMissing,
                format!("templates/{template}"),
                format!("ไม่มีแม่แบบ {template} ในธีมหรือในโฟลเดอร์ templates ของเว็บไซต์"),
            )
            .with_help(format!("สร้างไฟล์ {template} หรือคัดลอกจาก themes/default/templates/"))
        })?;
        tmpl.render(ctx).map_err(|e| self.render_finding(template, &e))
    }

    /// A render error at the place it happened. An error inside an included
    /// or parent template reaches us wrapped, once per template it passed
    /// through ("error in _sidebar.html"): unwrap it to the innermost error,
    /// point at that template's line, and name the chain that led there.
    fn render_finding(&self, template: &str, e: &minijinja::Error) -> Finding {
        let mut chain = vec![e];
        while let Some(inner) =
            chain.last().and_then(|e| std::error::Error::source(*e)).and_then(|s| s.downcast_ref::<minijinja::Error>())
        {
            chain.push(inner);
        }
        let innermost = chain.last().copied().unwrap_or(e);
        let name = innermost.name().or(e.name()).unwrap_or(template).to_string();
        let mut f = match self.files.get(&name) {
            Some(src) => template_finding(innermost, src),
            None => Finding::new(Kind::TemplateError, name, describe(innermost))
                .with_help("แก้แม่แบบตามข้อความนี้ (ดูไวยากรณ์ของ minijinja/Jinja2)"),
        };
        if chain.len() > 1 {
            let steps: Vec<String> = chain
                .iter()
                .filter_map(|e| {
                    Some(match e.line() {
                        Some(line) => format!("{} บรรทัด {line}", e.name()?),
                        None => e.name()?.to_string(),
                    })
                })
                .collect();
            f.message.push_str(&format!(" — ลำดับแม่แบบ: {}", steps.join(" → ")));
        }
        f
    }
}

fn template_finding(e: &minijinja::Error, src: &SourceFile) -> Finding {
    let mut f = Finding::new(Kind::TemplateError, src.path.clone(), describe(e))
        .with_help("แก้แม่แบบตามข้อความนี้ (ดูไวยากรณ์ของ minijinja/Jinja2)");
    // The engine knows the exact place for syntax errors; otherwise the line.
    match (e.range(), e.line()) {
        (Some(r), Some(line)) if r.start < src.text.len() && src.line_col(r.start).0 == line as u32 => {
            f = f.at(src, r.start..r.end.max(r.start + 1))
        }
        (_, Some(line)) => f = f.at_line(src, line as u32),
        _ => {}
    }
    f
}

/// The template engine's error in Thai; its own detail (for whoever writes
/// templates) follows in brackets.
fn describe(e: &minijinja::Error) -> String {
    use minijinja::ErrorKind as E;
    let what = match e.kind() {
        E::SyntaxError => "ไวยากรณ์ของแม่แบบไม่ถูกต้อง",
        E::TemplateNotFound => "ไม่พบแม่แบบที่อ้างถึง",
        E::UndefinedError => "แม่แบบใช้ค่าที่ไม่มีในข้อมูลของหน้านี้",
        E::UnknownFilter => "แม่แบบใช้ตัวกรอง (filter) ที่ไม่มี",
        E::UnknownFunction => "แม่แบบใช้ฟังก์ชันที่ไม่มี",
        E::UnknownTest => "แม่แบบใช้การทดสอบ (test) ที่ไม่มี",
        E::UnknownMethod => "แม่แบบเรียกใช้เมธอดที่ไม่มี",
        E::UnknownBlock => "แม่แบบเรียกใช้บล็อกที่ไม่มี",
        E::BadEscape => "แม่แบบมีเครื่องหมาย \\ ที่ไม่ถูกต้องในข้อความ",
        E::TooManyArguments | E::MissingArgument => "จำนวนค่าที่ส่งให้ฟังก์ชันหรือตัวกรองไม่ถูกต้อง",
        E::InvalidOperation | E::NonPrimitive | E::NonKey | E::CannotUnpack => "แม่แบบทำสิ่งที่ทำกับค่านี้ไม่ได้",
        _ => "แม่แบบผิดพลาด",
    };
    match e.detail() {
        Some(detail) => format!("{what} ({detail})"),
        None => format!("{what} ({})", e.kind()),
    }
}

/// Templates that include, extend or import themselves, directly or through
/// others: rendering them would recurse until the engine gives up with an
/// error that names only the last template. Each cycle is reported once, at
/// the tag in its first template (by name) that starts it, with the chain.
fn cycles(files: &BTreeMap<String, SourceFile>) -> Vec<Finding> {
    let edges: BTreeMap<&str, Vec<Reference>> =
        files.iter().map(|(name, src)| (name.as_str(), referenced_templates(&src.text))).collect();
    let mut reported = std::collections::BTreeSet::new();
    let mut findings = Vec::new();
    // Depth-first from every template; `path` is the chain being followed.
    fn visit<'a>(
        name: &'a str,
        edges: &'a BTreeMap<&str, Vec<Reference>>,
        path: &mut Vec<(&'a str, usize)>,
        done: &mut std::collections::BTreeSet<&'a str>,
        found: &mut Vec<Vec<(&'a str, usize)>>,
    ) {
        if done.contains(name) {
            return;
        }
        for r in edges.get(name).into_iter().flatten() {
            let Some((target, _)) = edges.get_key_value(r.name.as_str()) else { continue };
            path.push((name, r.offset));
            if let Some(start) = path.iter().position(|(n, _)| n == target) {
                found.push(path[start..].to_vec());
            } else {
                visit(target, edges, path, done, found);
            }
            path.pop();
        }
        done.insert(name);
    }
    let mut found = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    for name in edges.keys() {
        visit(name, &edges, &mut Vec::new(), &mut done, &mut found);
    }
    for cycle in found {
        // The same cycle is found from each of its templates: start it at the
        // smallest name so it is reported once.
        let first = (0..cycle.len()).min_by_key(|&i| cycle[i].0).unwrap_or(0);
        let cycle: Vec<(&str, usize)> = cycle[first..].iter().chain(&cycle[..first]).copied().collect();
        let names: Vec<&str> = cycle.iter().map(|(n, _)| *n).collect();
        if !reported.insert(names.clone()) {
            continue;
        }
        let (name, offset) = cycle[0];
        let src = &files[name];
        let chain = names.iter().chain(std::iter::once(&name)).copied().collect::<Vec<_>>().join(" → ");
        let tag_end = src.text[offset..].find("%}").map_or(src.text.len(), |e| offset + e + 2);
        let message = if names.len() == 1 {
            format!("แม่แบบ {name} อ้างถึงตัวเอง ({chain}) จึงสร้างหน้าไม่สิ้นสุด")
        } else {
            format!("แม่แบบอ้างถึงกันเป็นวง: {chain} จึงสร้างหน้าไม่สิ้นสุด")
        };
        findings.push(
            Finding::new(Kind::TemplateError, src.path.clone(), message)
                .with_help("ลบคำสั่ง include/extends/import ที่ทำให้วนกลับ หรือย้ายส่วนที่ใช้ร่วมกันไปไว้ในแม่แบบแยก")
                .at(src, offset..tag_end),
        );
    }
    findings
}

/// A template named by another one.
struct Reference {
    /// Byte offset of the tag.
    offset: usize,
    /// `extends`, `include`, `import` or `from`.
    tag: &'static str,
    name: String,
}

/// Templates named by `extends`, `include`, `import` and `from` tags with a
/// literal name, and where each tag starts. Names chosen at render time, lists
/// and `ignore missing` includes are left to the engine.
fn referenced_templates(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = text[pos..].find('{') {
        let start = pos + found;
        let rest = &text[start..];
        if rest.starts_with("{#") {
            pos = rest.find("#}").map_or(text.len(), |e| start + e + 2);
            continue;
        }
        if !rest.starts_with("{%") {
            pos = start + 1;
            continue;
        }
        let Some(end) = rest.find("%}") else { break };
        let inner = rest[2..end].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        pos = start + end + 2;
        let (word, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        if word == "raw" {
            pos = text[pos..].find("endraw").map_or(text.len(), |e| pos + e);
            continue;
        }
        let tag = match word {
            "extends" => "extends",
            "include" => "include",
            "import" => "import",
            "from" => "from",
            _ => continue,
        };
        if args.contains("ignore missing") {
            continue;
        }
        let args = args.trim_start();
        let Some(quote) = args.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        if let Some(close) = args[1..].find(quote) {
            out.push(Reference { offset: start, tag, name: args[1..1 + close].to_string() });
        }
    }
    out
}

/// `url(path)`: a root-relative site path made relative to the page being
/// rendered (its `root`), ending in `index.html` unless the site uses pretty
/// URLs, so links work under any subpath and from disk.
fn url(state: &State, path: String) -> Value {
    let root = state.lookup("root").map(|v| v.to_string()).unwrap_or_default();
    let pretty = state.lookup("pretty").is_some_and(|v| v.is_true());
    let lang = state.lookup("lang_prefix").map(|v| v.to_string()).unwrap_or_default();
    // Escaped here for an attribute value; minijinja's own escaping would
    // also write every "/" as "&#x2f;", which is valid but unreadable.
    Value::from_safe_string(crate::escape::html(&crate::content::link_in(&root, &lang, &path, pretty)))
}

/// Marks each run of Thai script on a page in another language as Thai
/// (`<span lang="th">`), unless it is already inside an element marked so:
/// a text with no translation shows in Thai, a quotation of the Thai source
/// is Thai, and a screen reader must switch voice for both (WCAG 3.1.2).
/// Elements whose content is text only (`title`, `script`, `style`,
/// `textarea`, an SVG's `desc`) are left as they are, and inside an SVG only
/// the text of `text` elements is marked (with `tspan`).
pub fn mark_thai(html: &str) -> String {
    const VOID: [&str; 13] =
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
    const RAW: [&str; 6] = ["script", "style", "title", "textarea", "desc", "template"];
    let is_thai = |c: char| ('\u{0E00}'..='\u{0E7F}').contains(&c);
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    // Open elements: name, whether they are (or are inside) Thai.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            mark_text(rest, &open, &mut out, is_thai);
            break;
        };
        mark_text(&rest[..lt], &open, &mut out, is_thai);
        rest = &rest[lt..];
        // Comments and declarations are copied as they are.
        let end = if rest.starts_with("<!--") { rest.find("-->").map_or(rest.len(), |e| e + 3) } else { tag_end(rest) };
        let tag = &rest[..end];
        out.push_str(tag);
        rest = &rest[end..];
        if tag.starts_with("<!") || tag.starts_with("<?") {
            continue;
        }
        if let Some(name) = tag.strip_prefix("</") {
            let name = tag_name(name);
            if let Some(at) = open.iter().rposition(|(n, _)| *n == name) {
                open.truncate(at);
            }
            continue;
        }
        let name = tag_name(&tag[1..]);
        if VOID.contains(&name.as_str()) || tag.ends_with("/>") {
            continue;
        }
        let thai = match attribute(tag, "lang") {
            Some(lang) => lang == "th" || lang.starts_with("th-"),
            None => open.last().is_some_and(|(_, t)| *t),
        };
        if RAW.contains(&name.as_str()) {
            // Copy its text untouched, up to its end tag.
            let close = format!("</{name}");
            let e = rest.find(&close).unwrap_or(rest.len());
            out.push_str(&rest[..e]);
            rest = &rest[e..];
        }
        open.push((name, thai));
    }
    out
}

/// Writes `text` to `out`, each Thai run wrapped unless it is in Thai already.
fn mark_text(text: &str, open: &[(String, bool)], out: &mut String, is_thai: impl Fn(char) -> bool) {
    let in_thai = open.last().is_some_and(|(_, t)| *t);
    let in_svg = open.iter().any(|(n, _)| n == "svg");
    let svg_text = open.last().is_some_and(|(n, _)| n == "text" || n == "tspan");
    if in_thai || !text.chars().any(&is_thai) || (in_svg && !svg_text) {
        out.push_str(text);
        return;
    }
    let wrapper = if in_svg { "tspan" } else { "span" };
    // A run goes from a Thai letter to the last Thai letter before the next
    // Latin one, taking in the spaces, digits and punctuation between.
    let mut i = 0;
    while i < text.len() {
        let Some(start) = text[i..].find(&is_thai).map(|s| s + i) else {
            out.push_str(&text[i..]);
            break;
        };
        out.push_str(&text[i..start]);
        let stop = text[start..].find(|c: char| c.is_ascii_alphabetic()).map_or(text.len(), |s| s + start);
        let last =
            text[start..stop].char_indices().filter(|(_, c)| is_thai(*c)).last().map(|(j, c)| start + j + c.len_utf8());
        let end = last.unwrap_or(stop);
        out.push_str(&format!("<{wrapper} lang=\"th\">{}</{wrapper}>", &text[start..end]));
        i = end;
    }
}

/// Where the tag at the start of `s` ends (after its `>`), quotes respected.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The lower-case name at the start of a tag's text ("div class=…" → "div").
fn tag_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The value of attribute `name` in a start tag, if it has it.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut at = 0;
    while let Some(i) = tag[at..].find(name).map(|i| i + at) {
        at = i + name.len();
        let before = tag[..i].chars().last();
        let rest = &tag[at..];
        if before.is_some_and(char::is_whitespace) && rest.starts_with('=') {
            let v = &rest[1..];
            let (q, v) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &v[1..]),
                _ => (None, v),
            };
            let end = match q {
                Some(q) => v.find(q),
                None => v.find(|c: char| c.is_whitespace() || c == '>'),
            };
            return Some(&v[..end.unwrap_or(v.len())]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_runs_are_marked_outside_thai_elements() {
        let html = "<html lang=\"en\"><head><title>ไทย</title><script>let a = \"ก\";</script></head><body>\
                    <p>The project โครงการสมัชชา สิทธิ 5 ประเด็น ended.</p><blockquote lang=\"th\"><p>ยกมา</p></blockquote>\
                    <img alt=\"x\"><p>ข้อ <b>หนึ่ง</b></p><svg><title>ก</title><text>ชื่อ</text><g>ข</g></svg></body></html>";
        let marked = mark_thai(html);
        assert!(marked.contains("<title>ไทย</title>") && marked.contains("let a = \"ก\";"), "{marked}");
        assert!(marked.contains("The project <span lang=\"th\">โครงการสมัชชา สิทธิ 5 ประเด็น</span> ended."), "{marked}");
        assert!(marked.contains("<blockquote lang=\"th\"><p>ยกมา</p></blockquote>"), "{marked}");
        assert!(marked.contains("<p><span lang=\"th\">ข้อ</span> <b><span lang=\"th\">หนึ่ง</span></b></p>"), "{marked}");
        assert!(marked.contains("<text><tspan lang=\"th\">ชื่อ</tspan></text><g>ข</g>"), "{marked}");
        assert_eq!(mark_thai("<p>No Thai here &amp; there</p>"), "<p>No Thai here &amp; there</p>");
    }

    #[test]
    fn referenced_templates_are_found_with_their_place() {
        let text = "{% extends \"base.html\" %}\n{#- {% include \"no.html\" %} #}\n{%- import '_m.html' as m -%}\n\
                    {% include \"x.html\" ignore missing %}{% include [a, b] %}{% raw %}{% include \"r.html\" %}{% endraw %}\n\
                    {% from \"f.html\" import g %}{{ '{' }}";
        let found: Vec<(&str, String)> = referenced_templates(text).into_iter().map(|r| (r.tag, r.name)).collect();
        assert_eq!(found, [("extends", "base.html".into()), ("import", "_m.html".into()), ("from", "f.html".into())]);
        assert_eq!(referenced_templates(text)[1].offset, text.find("{%- import").unwrap());
    }
}
