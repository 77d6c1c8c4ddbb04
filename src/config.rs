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
use crate::thai::{Digits, Era, Numerals};
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
    /// สิ่งที่เว็บไซต์เผยแพร่เพิ่มจากหน้าเว็บ: การค้นหา ภาพสำหรับแชร์ ไฟล์ดาวน์โหลดของแผนภูมิ หน้าฝัง (embed) และฟีด ปิดได้ทีละอย่าง (outputs).
    #[serde(default)]
    pub outputs: Outputs,
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

impl Outputs {
    /// Whether strategy and indicator pages get PNGs of their own (share
    /// images, chart downloads) in a plan of this many indicators.
    pub fn entity_pngs(&self, indicators: usize) -> bool {
        indicators <= self.png_max_indicators
    }
}

impl Default for Outputs {
    fn default() -> Outputs {
        Outputs {
            search: true,
            share_images: true,
            png_max_indicators: default_png_max_indicators(),
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
        Numerals { digits: self.digits, era: self.era }
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
}

impl Config {
    pub fn numerals(&self) -> Numerals {
        self.site.data.numerals()
    }

    /// A label by key; a missing key shows itself, so a theme bug is visible.
    pub fn label(&self, key: &str) -> String {
        self.labels.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

/// Loads `content/site.toml` and its theme. A label the site overrides must
/// exist in the theme: anything else is a typo.
pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Vec<Finding>> {
    let src = crate::data::read_source(root, SITE_FILE).map_err(|f| vec![f])?;
    let mut site: Loaded<SiteConfig> = load_toml(src, site_schema())?;
    if let Some(url) = base_url {
        site.data.base_url = url.to_string();
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
    let mut labels = theme.data.labels.clone();
    for (key, value) in &site.data.labels {
        if !labels.contains_key(key) {
            let help = match closest(key, labels.keys().map(String::as_str)) {
                Some(s) => format!("หมายถึง \"{s}\" หรือไม่? ดูชื่อที่ใช้ได้ใน {theme_file}"),
                None => format!("ดูชื่อที่ใช้ได้ใน {theme_file} [labels]"),
            };
            findings.push(
                site.doc
                    .finding_at_key(
                        &site.src,
                        Kind::UnknownField,
                        &format!("/labels/{}", escape(key)),
                        format!("ธีมไม่มีคำชื่อ \"{key}\""),
                    )
                    .with_help(help),
            );
        } else {
            labels.insert(key.clone(), value.clone());
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
    Ok(Config { site, theme, labels, theme_dir })
}
