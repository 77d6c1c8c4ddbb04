//! Site configuration (`content/site.toml`) and theme configuration
//! (`themes/<name>/theme.toml`).
//!
//! Every word the site prints that is not content (ยุทธศาสตร์, ตัวชี้วัด, the
//! status words…) is a label: the theme gives defaults and the site may
//! override any of them, so another Thai public body can publish its own plan
//! with its own words and no change to code.

use crate::data::Loaded;
use crate::diagnostic::{Finding, Kind, SourceFile, closest};
use crate::document::{Schema, escape, parse_toml};
use crate::thai::{Digits, Era, Numerals, Words};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// Where the site configuration lives, relative to the site root.
pub const SITE_FILE: &str = "content/site.toml";

/// การตั้งค่าเว็บไซต์ (site configuration).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// ชื่อเว็บไซต์ (site title).
    #[schemars(length(min = 1))]
    pub title: String,
    /// คำอธิบายเว็บไซต์ สำหรับเครื่องมือค้นหาและการแชร์ (description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ที่อยู่เต็มของเว็บไซต์เมื่อเผยแพร่ เช่น "https://www.example.go.th/nhrc/" ใช้ทำลิงก์ canonical และ sitemap; ลิงก์ภายในเป็นแบบสัมพัทธ์เสมอ.
    #[serde(default)]
    pub base_url: String,
    /// ภาษาของเนื้อหา (language), ค่าปริยาย "th".
    #[serde(default = "default_language")]
    pub language: String,
    /// ชื่อธีมในโฟลเดอร์ themes/ (theme), ค่าปริยาย "default".
    #[serde(default = "default_theme")]
    pub theme: String,
    /// ตัวเลขที่ใช้แสดง: "thai" (๐–๙) หรือ "arabic" (0–9).
    #[serde(default)]
    pub digits: Digits,
    /// ศักราชของปี: "be" (พ.ศ.) หรือ "ce" (ค.ศ.).
    #[serde(default)]
    pub era: Era,
    /// true: ลิงก์ภายในลงท้ายด้วย "/" (ต้องมีเว็บเซิร์ฟเวอร์); false (ค่าปริยาย): ลงท้ายด้วย "index.html" เปิดจากดิสก์ได้.
    #[serde(default)]
    pub pretty_urls: bool,
    /// ข้อความท้ายหน้า (footer), เขียนแบบ Markdown ได้.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    /// คำที่ใช้บนเว็บไซต์ แทนค่าปริยายของธีม เช่น strategy = "ยุทธศาสตร์" (labels).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// คำที่ห้ามตัดขึ้นบรรทัดใหม่กลางคำในป้ายของแผนภาพ เช่น ["สิทธิมนุษยชน", "ค่าเป้าหมาย"] (terms chart labels never break inside; the organisation's names and the theme's words are kept whole too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep_together: Vec<String>,
    /// ภาษาอื่นของเว็บไซต์ นอกจากภาษาหลัก (languages) เช่น [languages.en] title = "…": แต่ละภาษามีหน้าครบทุกหน้าที่ /<รหัสภาษา>/ (a second language: every page again under /<code>/).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// สิ่งที่เว็บไซต์เผยแพร่เพิ่มจากหน้าเว็บ: การค้นหา ภาพสำหรับแชร์ ไฟล์ดาวน์โหลดของแผนภูมิ หน้าฝัง (embed) และฟีด ปิดได้ทีละอย่าง (outputs).
    #[serde(default)]
    pub outputs: Outputs,
}

/// ภาษาหนึ่งของเว็บไซต์ (one more language of the site).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// ชื่อภาษาในภาษานั้น สำหรับปุ่มเปลี่ยนภาษา เช่น "English" (the language's own name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// ชื่อเว็บไซต์ในภาษานี้ (site title).
    #[schemars(length(min = 1))]
    pub title: String,
    /// คำอธิบายเว็บไซต์ในภาษานี้ (description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ข้อความท้ายหน้าในภาษานี้ (footer), Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    /// ตัวเลขของภาษานี้, ค่าปริยาย "arabic".
    #[serde(default = "arabic")]
    pub digits: Digits,
    /// ศักราชของภาษานี้, ค่าปริยาย "ce" (ปีงบประมาณเขียนเป็น FY2023 (B.E. 2566)).
    #[serde(default = "ce")]
    pub era: Era,
    /// คำที่ใช้บนเว็บไซต์ในภาษานี้ แทนคำแปลของธีม (labels).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

fn arabic() -> Digits {
    Digits::Arabic
}

fn ce() -> Era {
    Era::Ce
}

/// สิ่งที่เผยแพร่เพิ่ม เปิดทั้งหมดเป็นค่าปริยาย (outputs).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// ช่องค้นหาและหน้าค้นหา (ดัชนี Pagefind ในโฟลเดอร์ pagefind/).
    #[serde(default = "yes")]
    pub search: bool,
    /// ภาพ PNG ขนาด 1200×630 ของแต่ละหน้าสำหรับแชร์ (Open Graph) ป้าย og:/twitter: มีเสมอ.
    #[serde(default = "yes")]
    pub share_images: bool,
    /// แผนที่มีตัวชี้วัดมากกว่านี้วาดภาพ PNG เฉพาะของหน้าภาพรวม รายงานประจำปี และหน้าเนื้อหา: หน้ายุทธศาสตร์และหน้าตัวชี้วัดใช้ภาพแชร์ของหน้าภาพรวม และแผนภูมิของหน้าเหล่านั้นมีให้ดาวน์โหลดเฉพาะ SVG กับ CSV (ภาพ PNG ภาพหนึ่งใช้เวลาหลายสิบมิลลิวินาที).
    #[serde(default = "default_png_max_indicators")]
    pub png_max_indicators: usize,
    /// แผนที่มีตัวชี้วัดมากกว่า png_max_indicators แบ่งดัชนีค้นหาเป็นส่วน ส่วนละไม่เกินเท่านี้หน้า (หน้าค้นหาโหลดทุกส่วนรวมกัน): ส่วนใหญ่ขึ้นใช้หน่วยความจำตอนสร้างมากขึ้น ส่วนเล็กลงทำให้การค้นหาหนึ่งครั้งโหลดไฟล์มากขึ้น.
    #[serde(default = "default_search_part_pages")]
    pub search_part_pages: usize,
    /// ไฟล์ดาวน์โหลดใต้แผนภูมิ: SVG, PNG และข้อมูล CSV.
    #[serde(default = "yes")]
    pub chart_downloads: bool,
    /// หน้าฝังแผนภูมิ (/embed/…) พร้อมโค้ด iframe ให้คัดลอก.
    #[serde(default = "yes")]
    pub embeds: bool,
    /// ฟีด Atom ของการเผยแพร่ (atom.xml): ผลประจำปีใหม่และหน้าเนื้อหาใหม่.
    #[serde(default = "yes")]
    pub feed: bool,
}

fn yes() -> bool {
    true
}

fn default_png_max_indicators() -> usize {
    500
}

fn default_search_part_pages() -> usize {
    1000
}

impl Outputs {
    /// Whether strategy and indicator pages get PNGs of their own (share
    /// images, chart downloads) in a plan of this many indicators.
    pub fn entity_pngs(&self, indicators: usize) -> bool {
        indicators <= self.png_max_indicators
    }

    /// The pages per part of the search index of a plan of this many
    /// indicators (see `search::Parts`); `None`: one index for the site.
    pub fn search_parts(&self, indicators: usize) -> Option<usize> {
        (self.search && !self.entity_pngs(indicators)).then_some(self.search_part_pages.max(1))
    }
}

impl Default for Outputs {
    fn default() -> Outputs {
        Outputs {
            search: true,
            share_images: true,
            png_max_indicators: default_png_max_indicators(),
            search_part_pages: default_search_part_pages(),
            chart_downloads: true,
            embeds: true,
            feed: true,
        }
    }
}

fn default_language() -> String {
    "th".into()
}

fn default_theme() -> String {
    "default".into()
}

impl SiteConfig {
    pub fn numerals(&self) -> Numerals {
        Numerals { digits: self.digits, era: self.era, words: Words::of(&self.language) }
    }
}

/// การตั้งค่าธีม (theme configuration).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// ชื่อธีม.
    pub name: String,
    /// คำอธิบายธีม.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// คำที่ธีมใช้ (labels) ซึ่งเว็บไซต์เปลี่ยนได้ใน site.toml [labels].
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// คำแปลของคำที่ธีมใช้ ต่อภาษา เช่น [translations.en] strategy = "Strategy" (the labels in other languages; a missing one falls back to the label above).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
}

pub fn site_schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| Schema::new(crate::data::schema_json::<SiteConfig>()))
}

pub fn theme_schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| Schema::new(crate::data::schema_json::<ThemeConfig>()))
}

/// Loads a TOML file against its schema.
pub fn load_toml<T: serde::de::DeserializeOwned>(src: SourceFile, schema: &Schema) -> Result<Loaded<T>, Vec<Finding>> {
    let doc = parse_toml(&src, 0..src.text.len())?;
    crate::data::typed(doc, src, schema)
}

/// The configuration the build runs with: site settings, the theme, and the
/// merged labels.
#[derive(Debug, Clone)]
pub struct Config {
    pub site: Loaded<SiteConfig>,
    pub theme: Loaded<ThemeConfig>,
    /// Theme labels with the site's overrides applied.
    pub labels: BTreeMap<String, String>,
    /// `themes/<name>`, relative to the site root.
    pub theme_dir: String,
    /// Every language of the site, the main one first.
    pub languages: Vec<Language>,
    /// Which of `languages` this configuration is for (`site` and `labels`
    /// are that language's: see [`Config::for_language`]).
    pub current: usize,
}

/// One language of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Language {
    /// "th", "en".
    pub code: String,
    /// Its own name, for the language switcher: "ไทย", "English".
    pub name: String,
    /// Where its pages are, root-relative: "" for the main language, "en/".
    pub prefix: String,
}

/// A language's own name, where the site does not give one.
fn language_name(code: &str) -> String {
    match code {
        "th" => "ไทย".into(),
        "en" => "English".into(),
        other => other.to_string(),
    }
}

impl Config {
    pub fn numerals(&self) -> Numerals {
        self.site.data.numerals()
    }

    /// A label by key; a missing key shows itself, so a theme bug is visible.
    pub fn label(&self, key: &str) -> String {
        self.labels.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    /// The language this configuration is for.
    pub fn language(&self) -> &Language {
        &self.languages[self.current]
    }

    /// The main language's configuration (Thai).
    pub fn is_main(&self) -> bool {
        self.current == 0
    }

    /// The configuration of the site's other language `code`: its title,
    /// description, footer, digits, era and labels (the theme's translation,
    /// then the site's own, falling back to the main language's label).
    pub fn for_language(&self, code: &str) -> Option<Config> {
        let current = self.languages.iter().position(|l| l.code == code)?;
        if current == 0 {
            return Some(self.clone());
        }
        let lang = self.site.data.languages.get(code)?;
        let mut site = self.site.clone();
        let d = std::sync::Arc::make_mut(&mut site.data);
        d.title = lang.title.clone();
        d.description = lang.description.clone();
        d.footer = lang.footer.clone();
        d.digits = lang.digits;
        d.era = lang.era;
        d.language = code.to_string();
        // The main language's words do not break chart labels of another.
        d.keep_together = Vec::new();
        let mut labels = self.labels.clone();
        if let Some(t) = self.theme.data.translations.get(code) {
            labels.extend(t.iter().filter(|(k, _)| self.labels.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())));
        }
        labels.extend(
            lang.labels.iter().filter(|(k, _)| self.labels.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())),
        );
        Some(Config {
            site,
            theme: self.theme.clone(),
            labels,
            theme_dir: self.theme_dir.clone(),
            languages: self.languages.clone(),
            current,
        })
    }

    /// Every other language's configuration.
    pub fn other_languages(&self) -> Vec<Config> {
        self.languages.iter().skip(1).filter_map(|l| self.for_language(&l.code)).collect()
    }

    /// Warnings for each label with no translation into each other
    /// language: the pages show the main language's word there.
    pub fn missing_translations(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for lang in self.languages.iter().skip(1) {
            let theme = self.theme.data.translations.get(&lang.code);
            let site = self.site.data.languages.get(&lang.code).map(|l| &l.labels);
            for key in self.labels.keys() {
                let has = |m: Option<&BTreeMap<String, String>>| m.is_some_and(|m| m.contains_key(key));
                if !has(theme) && !has(site) {
                    out.push(
                        Finding::new(
                            Kind::MissingTranslation,
                            self.theme.src.path.clone(),
                            format!("คำ \"{key}\" ยังไม่มีคำแปลภาษา {} หน้าภาษานั้นจะแสดงคำภาษาไทยแทน", lang.code),
                        )
                        .with_help(format!(
                            "เพิ่ม {key} = \"…\" ใน [translations.{0}] ของ {1} หรือใน [languages.{0}.labels] ของ {SITE_FILE}",
                            lang.code, self.theme.src.path
                        )),
                    );
                }
            }
        }
        out
    }

    /// The terms chart labels never break inside: the site's `keep_together`,
    /// the theme's words (a label of one word whole, a longer label word by
    /// word) and whatever the caller adds (the organisation's names).
    pub fn keep_together(&self, more: impl IntoIterator<Item = String>) -> crate::thai::Breaker {
        let words = self.labels.values().flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>());
        crate::thai::Breaker::new(self.site.data.keep_together.iter().cloned().chain(words).chain(more))
    }
}

/// Loads `content/site.toml` and its theme. A label the site overrides must
/// exist in the theme: anything else is a typo.
pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Vec<Finding>> {
    let src = crate::data::read_source(root, SITE_FILE).map_err(|f| vec![f])?;
    let mut site: Loaded<SiteConfig> = load_toml(src, site_schema())?;
    if let Some(url) = base_url {
        std::sync::Arc::make_mut(&mut site.data).base_url = url.to_string();
    }
    // A theme is a folder directly under themes/: a name with a path in it
    // could read templates from anywhere on the machine.
    let theme = &site.data.theme;
    if theme.is_empty() || theme.starts_with('.') || theme.contains(['/', '\\', ':']) {
        return Err(vec![
            site.finding(
                Kind::InvalidValue,
                "/theme",
                format!("ชื่อธีม \"{theme}\" ต้องเป็นชื่อโฟลเดอร์ในโฟลเดอร์ themes/ เท่านั้น"),
            )
            .with_help("ใช้ชื่อโฟลเดอร์อย่างเดียว ไม่มี / หรือ .. เช่น theme = \"default\""),
        ]);
    }
    let theme_dir = format!("themes/{}", site.data.theme);
    let theme_file = format!("{theme_dir}/theme.toml");
    if !root.join(&theme_dir).is_dir() {
        let mut available: Vec<String> = std::fs::read_dir(root.join("themes"))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        available.sort();
        return Err(vec![
            site.finding(Kind::UnknownReference, "/theme", format!("ไม่มีธีม \"{}\" ในโฟลเดอร์ themes/", site.data.theme))
                .with_help(match closest(&site.data.theme, available.iter().map(String::as_str)) {
                    _ if available.is_empty() => "สร้างโฟลเดอร์ธีม หรือคัดลอก themes/default มา".to_string(),
                    Some(s) => format!("หมายถึง \"{s}\" หรือไม่? ธีมที่มี: {}", available.join(", ")),
                    None => format!("ธีมที่มี: {}", available.join(", ")),
                }),
        ]);
    }
    let theme_src = crate::data::read_source(root, &theme_file).map_err(|f| vec![f])?;
    let theme: Loaded<ThemeConfig> = load_toml(theme_src, theme_schema())?;

    let mut findings = Vec::new();
    // A label the site (or one of its languages) sets that the theme does
    // not have, at `pointer`: a typo, with the closest name the theme has.
    let unknown_label = |pointer: String, key: &str| {
        let help = match closest(key, theme.data.labels.keys().map(String::as_str)) {
            Some(s) => format!("หมายถึง \"{s}\" หรือไม่? ดูชื่อที่ใช้ได้ใน {theme_file}"),
            None => format!("ดูชื่อที่ใช้ได้ใน {theme_file} [labels]"),
        };
        site.doc.finding_at_key(&site.src, Kind::UnknownField, &pointer, format!("ธีมไม่มีคำชื่อ \"{key}\"")).with_help(help)
    };
    let mut labels = theme.data.labels.clone();
    for (key, value) in &site.data.labels {
        if labels.contains_key(key) {
            labels.insert(key.clone(), value.clone());
        } else {
            findings.push(unknown_label(format!("/labels/{}", escape(key)), key));
        }
    }
    for (code, lang) in &site.data.languages {
        let is_tag = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if !is_tag || *code == site.data.language {
            findings.push(
                site.doc
                    .finding_at_key(
                        &site.src,
                        Kind::InvalidValue,
                        &format!("/languages/{}", escape(code)),
                        format!("\"{code}\" ใช้เป็นรหัสภาษาที่สองไม่ได้"),
                    )
                    .with_help(format!(
                        "ใช้รหัสภาษาสองหรือสามตัวอักษรพิมพ์เล็ก (ISO 639-1) ที่ไม่ใช่ภาษาหลัก \"{}\" เช่น [languages.en]",
                        site.data.language
                    )),
            );
        }
        for key in lang.labels.keys().filter(|k| !labels.contains_key(*k)) {
            findings.push(unknown_label(format!("/languages/{}/labels/{}", escape(code), escape(key)), key));
        }
    }
    let url = &site.data.base_url;
    if !url.is_empty() && !["http://", "https://", "/"].iter().any(|p| url.starts_with(p)) {
        findings.push(
            site.finding(
                Kind::InvalidValue,
                "/base_url",
                format!("base_url \"{}\" ต้องขึ้นต้นด้วย https:// หรือ /", site.data.base_url),
            )
            .with_help("เช่น \"https://www.example.go.th/nhrc/\" หรือเว้นว่างไว้"),
        );
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let main = site.data.language.clone();
    let languages = std::iter::once(Language { name: language_name(&main), code: main, prefix: String::new() })
        .chain(site.data.languages.iter().map(|(code, l)| Language {
            code: code.clone(),
            name: l.name.clone().unwrap_or_else(|| language_name(code)),
            prefix: format!("{code}/"),
        }))
        .collect();
    Ok(Config { site, theme, labels, theme_dir, languages, current: 0 })
}
