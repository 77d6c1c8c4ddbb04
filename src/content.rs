//! Narrative pages: Markdown with TOML front matter under `content/pages/`,
//! and the Markdown renderer every narrative text goes through (pages and the
//! result summaries in the JSON data alike).
//!
//! A page's place on the site follows its path: `pages/years/2566/analysis.md`
//! becomes `/years/2566/analysis/`. Two kinds of file are not pages of their own:
//! `pages/_index.md` is the overview's narrative, and a file whose front
//! matter names a `strategy` and a `year` is that strategy's narrative for the
//! year, shown on the strategy page and in the year's report.

use crate::data::Loaded;
use crate::diagnostic::{Finding, Kind, SourceFile};
use crate::document::{Schema, parse_toml};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

/// Where narrative pages live, relative to the site root.
pub const PAGES_DIR: &str = "content/pages";

/// ส่วนหัวของหน้า (front matter), between `+++` lines at the top of a Markdown file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// ชื่อหน้า (title).
    #[schemars(length(min = 1))]
    pub title: String,
    /// คำอธิบายสั้น ๆ สำหรับเครื่องมือค้นหาและรายการหน้า.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// แม่แบบที่ใช้ (ชื่อไฟล์ในโฟลเดอร์ templates ของธีม ไม่ต้องมี .html), ค่าปริยาย "page".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    /// ลำดับในรายการ: น้อยมาก่อน.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// ปีงบประมาณที่หน้านี้สังกัด (แสดงในรายงานประจำปีนั้น).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// รหัสยุทธศาสตร์: หน้านี้เป็นคำบรรยายของยุทธศาสตร์นั้นในปี year (ต้องมี year ด้วย).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// วันที่เผยแพร่ แบบ ปปปป-ดด-วว ปี พ.ศ. เช่น 2567-01-15: ใช้ลงวันที่ในฟีด (atom.xml); ไม่ระบุแต่มี year ใช้วันเผยแพร่ผลของปีนั้น.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// true: ยังไม่เผยแพร่ (ร่าง).
    #[serde(default)]
    pub draft: bool,
}

pub fn front_matter_schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| Schema::new(crate::data::schema_json::<FrontMatter>()))
}

/// What a Markdown file is on the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// `pages/_index.md`: the narrative on the overview.
    Overview,
    /// A strategy's narrative for a fiscal year.
    StrategyNarrative { strategy: String, year: i32 },
    /// A page of its own at `url` (root-relative, ends in `/`).
    Standalone { url: String },
}

/// A Markdown file, loaded.
#[derive(Debug, Clone)]
pub struct Page {
    pub front: Loaded<FrontMatter>,
    /// Byte range of the Markdown body in `front.src.text`.
    pub body: Range<usize>,
    pub role: Role,
    /// The language of a translation (`analysis.en.md`); `None` for a page in
    /// the site's main language.
    pub lang: Option<String>,
}

impl Page {
    pub fn src(&self) -> &SourceFile {
        &self.front.src
    }
    pub fn layout(&self) -> &str {
        self.front.data.layout.as_deref().unwrap_or("page")
    }
}

/// Loads every Markdown file under `content/pages`, in path order. Problems
/// in one file do not stop the others from being read.
pub fn load_pages(root: &Path) -> (Vec<Page>, Vec<Finding>) {
    load_pages_in(root, &[])
}

/// [`load_pages`], with the translations into `langs` (`analysis.en.md`,
/// the same slug as `analysis.md`, as Zola and Hugo name them).
pub fn load_pages_in(root: &Path, langs: &[String]) -> (Vec<Page>, Vec<Finding>) {
    load_pages_cached(root, langs, None)
}

/// What a page file gave when loaded: the page (`None` for a draft) or its
/// findings.
pub type PageLoad = Result<Option<Page>, Vec<Finding>>;

/// Page files by path, each with the fingerprint of its bytes (and the
/// site's languages) and what loading it gave: the preview's session keeps
/// them, so that a save parses only the pages whose text changed.
pub type PageCache = crate::files::Kept<PageLoad>;

/// [`load_pages_in`], side by side, taking from `cache` each file whose
/// bytes are as they were (and keeping what it loads there). Pages and
/// findings stay in path order.
pub fn load_pages_cached(root: &Path, langs: &[String], cache: Option<&PageCache>) -> (Vec<Page>, Vec<Finding>) {
    use rayon::prelude::*;
    let mut findings = Vec::new();
    let files: Vec<String> = crate::files::walk(root, PAGES_DIR, &mut findings)
        .into_iter()
        .map(|e| e.rel)
        .filter(|rel| rel.ends_with(".md"))
        .collect();
    let salt = crate::fingerprint::of(langs);
    let loads: Vec<PageLoad> = files
        .par_iter()
        .map(|rel| {
            let Some(cache) = cache else {
                return crate::data::read_source(root, rel)
                    .map_err(|f| vec![f])
                    .and_then(|src| parse_page_in(src, langs));
            };
            crate::files::read_kept(root, rel, salt, cache, |bytes| {
                SourceFile::decode(rel.as_str(), bytes).map_err(|f| vec![f]).and_then(|src| parse_page_in(src, langs))
            })
            .map_err(|f| vec![f])?
        })
        .collect();
    if let Some(cache) = cache {
        // A page deleted is forgotten.
        let files: std::collections::HashSet<&String> = files.iter().collect();
        cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|rel, _| files.contains(rel));
    }
    let mut pages = Vec::new();
    for load in loads {
        match load {
            Ok(Some(page)) => pages.push(page),
            Ok(None) => {}
            Err(mut f) => findings.append(&mut f),
        }
    }
    (pages, findings)
}

/// Splits front matter from the body and reads it. `None` for drafts.
pub fn parse_page(src: SourceFile) -> Result<Option<Page>, Vec<Finding>> {
    parse_page_in(src, &[])
}

/// [`parse_page`], knowing the site's other languages: `x.en.md` is the
/// English of `x.md`.
pub fn parse_page_in(src: SourceFile, langs: &[String]) -> Result<Option<Page>, Vec<Finding>> {
    let text = src.text.clone();
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(vec![
            Finding::new(Kind::FrontMatter, src.path.clone(), "หน้านี้ไม่มีส่วนหัว (front matter) ที่บรรทัดแรก")
                .with_help("เริ่มไฟล์ด้วยบรรทัด +++ ตามด้วย title = \"ชื่อหน้า\" แล้วปิดด้วยบรรทัด +++")
                .at_line(&src, 1),
        ]);
    }
    let fm_start = first.len() + 1;
    let mut offset = fm_start;
    let mut fm_end = None;
    for line in text[fm_start.min(text.len())..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            fm_end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((fm_end, body_start)) = fm_end else {
        return Err(vec![
            Finding::new(Kind::FrontMatter, src.path.clone(), "ส่วนหัว (front matter) เปิดด้วย +++ แต่ไม่มีบรรทัด +++ ปิด")
                .with_help("เพิ่มบรรทัด +++ หลังบรรทัดสุดท้ายของส่วนหัว")
                .at_line(&src, 1),
        ]);
    };
    let doc = parse_toml(&src, fm_start.min(fm_end)..fm_end)?;
    let findings = front_matter_schema().check(&doc, &src);
    if !findings.is_empty() {
        return Err(findings);
    }
    let data: FrontMatter =
        FrontMatter::deserialize(&doc.value).map_err(|e| vec![crate::data::unreadable(&src.path, &e)])?;
    if data.draft {
        return Ok(None);
    }
    let front = Loaded {
        data: std::sync::Arc::new(data),
        doc: std::sync::Arc::new(doc),
        src: std::sync::Arc::new(src),
        cited: crate::data::Cited::default(),
        translations: Vec::new(),
    };
    let rel = front.src.path.trim_start_matches(PAGES_DIR).trim_start_matches('/');
    let lang = langs.iter().find(|l| rel.ends_with(&format!(".{l}.md"))).cloned();
    // `x.en.md` on a site without English: a translation with nowhere to go,
    // not a page at /x.en/ (nor a second narrative of the same strategy).
    let stem = rel.trim_end_matches(".md");
    if let Some((_, code)) =
        stem.rsplit_once('.').filter(|(_, c)| c.len() == 2 && c.bytes().all(|b| b.is_ascii_lowercase()))
    {
        if lang.is_none() {
            return Err(vec![
                Finding::new(
                    Kind::UnknownReference,
                    front.src.path.clone(),
                    format!("ไฟล์นี้เป็นคำแปลภาษา {code} แต่เว็บไซต์ไม่มีภาษา {code}"),
                )
                .with_help(format!(
                    "เพิ่ม [languages.{code}] ใน content/site.toml (ดู README หัวข้อ Two languages) หรือเปลี่ยนชื่อไฟล์ไม่ให้ลงท้ายด้วย .{code}.md"
                )),
            ]);
        }
    }
    let rel = match &lang {
        Some(l) => format!("{}.md", &rel[..rel.len() - l.len() - ".md".len() - 1]),
        None => rel.to_string(),
    };
    let rel = rel.as_str();
    let role = match (&front.data.strategy, front.data.year) {
        (Some(s), Some(y)) => Role::StrategyNarrative { strategy: s.clone(), year: y },
        (Some(_), None) => {
            return Err(vec![
                front
                    .finding(
                        Kind::MissingField,
                        "/strategy",
                        "หน้าที่ระบุ strategy ต้องระบุ year ด้วย (เป็นคำบรรยายของยุทธศาสตร์ในปีใด)",
                    )
                    .with_help("เพิ่ม year = 2566 (ปีงบประมาณ พ.ศ.)"),
            ]);
        }
        _ if rel == "_index.md" => Role::Overview,
        _ => {
            let stem = rel.trim_end_matches(".md");
            let stem = stem.strip_suffix("/_index").or_else(|| stem.strip_suffix("/index")).unwrap_or(stem);
            Role::Standalone { url: format!("{stem}/") }
        }
    };
    Ok(Some(Page { front, body: body_start..text.len(), role, lang }))
}

/// How internal links are written: relative to the page, so the site works
/// under any subpath and from disk.
#[derive(Debug, Clone, Copy)]
pub struct Links<'a> {
    /// From the page to the site root: "", "../", "../../"…
    pub root: &'a str,
    /// Every path the site will have, root-relative ("strategies/1/", "data/x.csv").
    pub known: &'a HashSet<String>,
    /// Link directories as `dir/index.html` (works from disk) or `dir/`.
    pub pretty: bool,
    /// The site's digits, for the numbers the renderer composes (footnote marks).
    pub digits: crate::thai::Digits,
    /// Where the page's language has its pages: "" for the main language,
    /// "en/" (see [`link_in`]).
    pub lang: &'a str,
}

impl Links<'_> {
    /// The relative URL of a root-relative site path.
    pub fn url(&self, path: &str) -> String {
        link_in(self.root, self.lang, path, self.pretty)
    }
}

/// `root` + `path`, with `index.html` for directories unless pretty URLs.
pub fn link(root: &str, path: &str, pretty: bool) -> String {
    link_in(root, "", path, pretty)
}

/// [`link`] from a page in the language whose pages are under `lang`
/// ("en/"): a link to a page goes to that language's page, a link to a file
/// (the open data, a style sheet) to the one file every language shares.
pub fn link_in(root: &str, lang: &str, path: &str, pretty: bool) -> String {
    let (path, fragment) = path.split_once('#').map_or((path, None), |(p, f)| (p, Some(f)));
    let is_page = path.is_empty() || path.ends_with('/');
    let mut out = if is_page { format!("{root}{lang}{path}") } else { format!("{root}{path}") };
    if !pretty && (path.is_empty() || path.ends_with('/')) {
        out.push_str("index.html");
    }
    if out.is_empty() {
        out.push_str("./");
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// A heading, for a page's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Markdown rendered to HTML.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Internal links (`@/path`) to pages that do not exist: byte range in the
    /// Markdown, and the target.
    pub broken: Vec<(Range<usize>, String)>,
}

/// Renders Markdown. Raw HTML is shown as text, never passed through: what an
/// editor types cannot inject a script. Headings get ids that keep Thai
/// intact, prefixed with `id_prefix` so that several texts can share a page.
/// Links written `@/indicators/3-1.1/` point at site pages and are checked.
pub fn render(markdown: &str, links: &Links<'_>, id_prefix: &str) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let parser = Parser::new_ext(markdown, options).into_offset_iter();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut broken = Vec::new();
    let mut headings = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut heading_start: Option<usize> = None;
    let mut footnotes: HashMap<String, usize> = HashMap::new();
    let numerals = crate::thai::Numerals { digits: links.digits, ..Default::default() };

    for (event, range) in parser {
        let event = match event {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => Event::Start(Tag::Link {
                link_type,
                dest_url: resolve(dest_url, links, &range, &mut broken),
                title,
                id,
            }),
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => Event::Start(Tag::Image {
                link_type,
                dest_url: resolve(dest_url, links, &range, &mut broken),
                title,
                id,
            }),
            // Footnote marks are written here rather than by pulldown-cmark,
            // which numbers them in Arabic digits whatever the site's digits.
            Event::FootnoteReference(label) => {
                let n = footnote_number(&mut footnotes, &label);
                Event::InlineHtml(
                    format!(
                        "<sup class=\"footnote-reference\"><a href=\"#{}\">{}</a></sup>",
                        crate::escape::html(&format!("{id_prefix}fn-{label}")),
                        numerals.digits(&n.to_string())
                    )
                    .into(),
                )
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = footnote_number(&mut footnotes, &label);
                Event::Html(
                    format!(
                        "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{}</sup>",
                        crate::escape::html(&format!("{id_prefix}fn-{label}")),
                        numerals.digits(&n.to_string())
                    )
                    .into(),
                )
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>\n".into()),
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                event
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = heading_start.take() {
                    let text: String = events[start + 1..]
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    if let Event::Start(Tag::Heading { level, id, classes, attrs }) = &events[start] {
                        let base = id
                            .as_ref()
                            .map_or_else(|| format!("{id_prefix}{}", crate::thai::slug(&text)), |i| i.to_string());
                        let n = used_ids.entry(base.clone()).or_insert(0);
                        *n += 1;
                        let unique = if *n == 1 { base } else { format!("{base}-{n}") };
                        headings.push(Heading {
                            level: heading_level(*level),
                            id: unique.clone(),
                            text: text.trim().to_string(),
                        });
                        events[start] = Event::Start(Tag::Heading {
                            level: *level,
                            id: Some(unique.into()),
                            classes: classes.clone(),
                            attrs: attrs.clone(),
                        });
                    }
                }
                event
            }
            other => other,
        };
        events.push(event);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered { html, headings, broken }
}

/// A footnote's number: the order in which its label first appears.
fn footnote_number(numbers: &mut HashMap<String, usize>, label: &str) -> usize {
    let next = numbers.len() + 1;
    *numbers.entry(label.to_string()).or_insert(next)
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn resolve<'a>(
    dest: CowStr<'a>,
    links: &Links<'_>,
    range: &Range<usize>,
    broken: &mut Vec<(Range<usize>, String)>,
) -> CowStr<'a> {
    // A link that runs code when clicked is never what an editor meant.
    let scheme: String = dest.trim_start().chars().take_while(|c| *c != ':').collect::<String>().to_ascii_lowercase();
    if dest.contains(':') && ["javascript", "vbscript", "data"].contains(&scheme.trim()) {
        return CowStr::from("#");
    }
    let Some(path) = dest.strip_prefix("@/") else { return dest };
    let (p, fragment) = path.split_once('#').map_or((path, None), |(p, f)| (p, Some(f)));
    let mut p = p.trim_start_matches('/').to_string();
    if p.ends_with("index.html") {
        p.truncate(p.len() - "index.html".len());
    }
    if !p.is_empty() && !p.ends_with('/') && !links.known.contains(&p) {
        p.push('/');
    }
    if !p.is_empty() && !links.known.contains(&p) {
        broken.push((range.clone(), dest.to_string()));
        return dest;
    }
    let target = match fragment {
        Some(f) => format!("{p}#{f}"),
        None => p,
    };
    links.url(&target).into()
}

/// Every Markdown text of the site, rendered once when its links are checked
/// (as the page showing it needs: its root, its anchor prefix), so that the
/// model takes the HTML instead of rendering it again.
#[derive(Debug, Default)]
pub struct Texts {
    /// Each page's body, in the order of the pages.
    pub pages: Vec<Rendered>,
    /// Each indicator's note, in plan order. (These are shared with the
    /// preview's session, which keeps them while the data is unchanged.)
    pub indicator_notes: std::sync::Arc<Vec<Option<String>>>,
    /// Each result's summary, `[results file][result]`, as in the data.
    pub summaries: std::sync::Arc<Vec<Vec<String>>>,
    /// Each result's note, likewise.
    pub result_notes: std::sync::Arc<Vec<Vec<Option<String>>>>,
}

/// Renders a page's body, turning broken internal links into findings at
/// their line.
pub fn render_page(page: &Page, links: &Links<'_>, id_prefix: &str) -> (Rendered, Vec<Finding>) {
    let src = page.src();
    let rendered = render(&src.text[page.body.clone()], links, id_prefix);
    let findings = rendered
        .broken
        .iter()
        .map(|(r, target)| {
            let start = page.body.start + r.start;
            Finding::new(Kind::BrokenLink, src.path.clone(), format!("ลิงก์ {target} ชี้ไปยังหน้าที่ไม่มีในเว็บไซต์"))
                .with_help("ตรวจที่อยู่: ลิงก์ภายในเขียนแบบ @/strategies/1/ หรือ @/indicators/<รหัส>/")
                .at(src, start..page.body.start + r.end)
        })
        .collect();
    (rendered, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(paths: &[&str]) -> HashSet<String> {
        paths.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn raw_html_is_escaped() {
        let k = known(&[]);
        let r = render(
            "ก <script>alert(1)</script> & \"x\"\n\n<div>y</div>",
            &Links { root: "", known: &k, pretty: false, digits: crate::thai::Digits::Arabic, lang: "" },
            "",
        );
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<div>"));
    }

    #[test]
    fn headings_keep_thai_and_are_unique() {
        let k = known(&[]);
        let r = render(
            "## ยุทธศาสตร์ที่ ๑\n\n## ยุทธศาสตร์ที่ ๑\n",
            &Links { root: "", known: &k, pretty: false, digits: crate::thai::Digits::Arabic, lang: "" },
            "p-",
        );
        assert!(r.html.contains("id=\"p-ยุทธศาสตร์ที่-๑\""), "{}", r.html);
        assert!(r.html.contains("id=\"p-ยุทธศาสตร์ที่-๑-2\""));
        assert_eq!(r.headings.len(), 2);
    }

    #[test]
    fn internal_links_are_relative_and_checked() {
        let k = known(&["indicators/3-1.1/", "data/indicators.csv"]);
        let links = Links { root: "../../", known: &k, pretty: false, digits: crate::thai::Digits::Arabic, lang: "" };
        let r = render(
            "[ก](@/indicators/3-1.1/) [ข](@/indicators/3-1.1#t) [ค](@/data/indicators.csv) [ง](@/nope/)",
            &links,
            "",
        );
        assert!(r.html.contains("href=\"../../indicators/3-1.1/index.html\""), "{}", r.html);
        assert!(r.html.contains("href=\"../../indicators/3-1.1/index.html#t\""), "{}", r.html);
        assert!(r.html.contains("href=\"../../data/indicators.csv\""));
        assert_eq!(r.broken.len(), 1);
        assert_eq!(r.broken[0].1, "@/nope/");
    }

    #[test]
    fn footnotes_do_not_collide_between_texts() {
        let k = known(&[]);
        let links = Links { root: "", known: &k, pretty: false, digits: crate::thai::Digits::Arabic, lang: "" };
        let a = render("ก[^1]\n\n[^1]: หมายเหตุ", &links, "a-");
        assert!(a.html.contains("a-fn-1"), "{}", a.html);
    }

    #[test]
    fn front_matter_is_split_and_checked() {
        let src = SourceFile::new("content/pages/x.md", "+++\ntitle = \"ก\"\nlayotu = \"page\"\n+++\nbody".into());
        let err = parse_page(src).unwrap_err();
        assert_eq!(err[0].kind, Kind::UnknownField);
        assert_eq!(err[0].line, Some(3));
        let src = SourceFile::new("content/pages/years/2566/analysis.md", "+++\ntitle = \"ก\"\n+++\nbody\n".into());
        let page = parse_page(src).unwrap().unwrap();
        assert_eq!(page.role, Role::Standalone { url: "years/2566/analysis/".into() });
        assert_eq!(&page.src().text[page.body.clone()], "body\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let src = SourceFile::new("content/pages/x.md", "+++\ntitle = \"ก\"\nbody".into());
        assert_eq!(parse_page(src).unwrap_err()[0].kind, Kind::FrontMatter);
    }
}
