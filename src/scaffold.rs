//! New content from nothing: a new fiscal year of an existing site
//! (`prongsai new-year`), and a new site for another organisation
//! (`prongsai init`). Both write only files that do not exist yet.

use crate::data::{self, Loaded, Plan};
use crate::sheet::{SheetError, target_text, write_atomically};
use crate::site::{PLAN_FILE, RESULTS_DIR};
use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};

/// The default theme, the editor settings and the NHRC default site, carried
/// in the binary so that `init` works wherever prongsai is installed.
static THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
static VSCODE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/.vscode");
static EXAMPLE_CONTENT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/content");
static EXAMPLE_SEEDS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/seeds");

/// What `new-year` wrote.
#[derive(Debug)]
pub struct NewYear {
    /// The results file, relative to the site root.
    pub results: String,
    /// How many indicators wait for a result in it.
    pub pending: usize,
    /// Narrative pages written, relative to the site root.
    pub pages: Vec<String>,
    /// Narrative pages that existed already and were left as they were.
    pub kept: Vec<String>,
}

/// Starts fiscal year `year`: a results file listing every indicator of the
/// plan as pending with its target, and the year's narrative pages as drafts.
/// Refuses a year that has a results file already.
pub fn new_year(root: &Path, year: i32) -> Result<NewYear, SheetError> {
    let plan = load_plan(root)?;
    let period = plan.data.period;
    if !period.contains(year) {
        return Err(SheetError::Refused(format!(
            "ปีงบประมาณ {year} อยู่นอกช่วงของแผน ({}–{}): ตรวจปีให้ถูก หรือขยายช่วงปีของแผนใน {PLAN_FILE} (period)",
            period.from, period.to
        )));
    }
    let rel = format!("{RESULTS_DIR}/{year}.json");
    if root.join(&rel).exists() {
        return Err(SheetError::Refused(format!(
            "มีไฟล์ผลของปี {year} อยู่แล้ว ({rel}): new-year ไม่เขียนทับ แก้ไฟล์นั้นต่อ หรือกรอกผ่านตาราง (prongsai sheet export {year} ผล-{year}.xlsx)"
        )));
    }
    let config = crate::config::load(root, None).map_err(SheetError::Findings)?;
    let numerals = config.numerals();

    // The narrative pages first: the results file is what marks the year as
    // started, so it is written last.
    let dir = format!("content/pages/years/{year}");
    let y = numerals.year(year);
    let mut pages: Vec<(String, String)> = plan
        .data
        .strategies
        .iter()
        .map(|s| {
            let title = format!("ยุทธศาสตร์ที่ {}: การประเมินผลปีงบประมาณ พ.ศ. {y}", numerals.digits(&s.id));
            let front =
                format!("title = {}\nstrategy = {}\nyear = {year}\ndraft = true", toml_str(&title), toml_str(&s.id));
            (format!("{dir}/strategies/{}.md", s.id), page(&front, &format!("ยุทธศาสตร์ที่ {} ปีงบประมาณ {y}", s.id)))
        })
        .collect();
    for (name, title, weight) in [
        ("analysis", format!("การวิเคราะห์ผลการขับเคลื่อนยุทธศาสตร์ ปีงบประมาณ พ.ศ. {y}"), 2),
        ("problems", "ปัญหาและอุปสรรคในการขับเคลื่อนยุทธศาสตร์".to_string(), 3),
        ("recommendations", "ข้อเสนอแนะ".to_string(), 4),
    ] {
        let front = format!("title = {}\nyear = {year}\nweight = {weight}\ndraft = true", toml_str(&title));
        pages.push((format!("{dir}/{name}.md"), page(&front, &title)));
    }
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for (rel, text) in pages {
        if root.join(&rel).exists() {
            kept.push(rel);
            continue;
        }
        write_new(root, &rel, text.as_bytes())?;
        written.push(rel);
    }

    let schema = root.join("schemas/results.schema.json").is_file();
    let text = results_text(&plan.data, year, schema);
    write_new(root, &rel, text.as_bytes())?;
    Ok(NewYear { results: rel, pending: plan.data.indicators.len(), pages: written, kept })
}

fn load_plan(root: &Path) -> Result<Loaded<Plan>, SheetError> {
    let src = data::read_source(root, PLAN_FILE).map_err(|f| SheetError::Findings(vec![f]))?;
    data::load_json(src, data::plan_schema()).map_err(SheetError::Findings)
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn page(front: &str, what: &str) -> String {
    format!("+++\n{front}\n+++\n\nเขียนคำบรรยายของ{what}ที่นี่ (Markdown) แล้วลบบรรทัด draft = true ในส่วนหัวเพื่อเผยแพร่หน้านี้\n")
}

/// A results file with no result yet: every indicator pending, with the
/// year's target for the person who fills it in. Written in the layout of
/// the hand-written files (one short object per line).
fn results_text(plan: &Plan, year: i32, schema: bool) -> String {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::from("{\n");
    if schema {
        out.push_str("  \"$schema\": \"../../schemas/results.schema.json\",\n");
    }
    out.push_str(&format!("  \"year\": {year},\n  \"indicators\": []"));
    if !plan.indicators.is_empty() {
        let pending: Vec<String> = plan
            .indicators
            .iter()
            .map(|ind| {
                format!("    {{ \"indicator\": {}, \"target\": {} }}", json(&ind.id), json(&target_text(ind, year)))
            })
            .collect();
        out.push_str(&format!(",\n  \"pending\": [\n{}\n  ]", pending.join(",\n")));
    }
    out.push_str("\n}\n");
    out
}

/// Writes a file that must not exist yet, creating its folders.
fn write_new(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), SheetError> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| SheetError::Io { path: dir.to_path_buf(), reason: crate::files::io_reason(&e) })?;
    }
    write_atomically(&path, bytes)
}

/// Writes the JSON Schemas of the content files into `out`; returns how many.
pub fn write_schemas(out: &Path) -> Result<usize, SheetError> {
    std::fs::create_dir_all(out)
        .map_err(|e| SheetError::Io { path: out.to_path_buf(), reason: crate::files::io_reason(&e) })?;
    let schemas = data::published_schemas();
    for (name, schema) in &schemas {
        let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
        text.push('\n');
        write_atomically(&out.join(name), text.as_bytes())?;
    }
    Ok(schemas.len())
}

/// What `init` wrote.
#[derive(Debug)]
pub struct Initialised {
    pub root: PathBuf,
    pub files: usize,
}

/// Creates a new site in `dir` (which must not exist or be empty): the
/// default theme, the schemas and editor settings, and either a small
/// starting plan with one year of results, or (`example`) the NHRC site.
pub fn init(dir: &Path, example: bool) -> Result<Initialised, SheetError> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| SheetError::Io { path: dir.to_path_buf(), reason: crate::files::io_reason(&e) })?
            .next()
            .is_none();
        if !empty {
            return Err(SheetError::Refused(format!(
                "{} มีไฟล์อยู่แล้ว: init สร้างเว็บไซต์ใหม่ได้เฉพาะในโฟลเดอร์ที่ยังไม่มีหรือว่างเปล่า เลือกโฟลเดอร์ใหม่",
                dir.display()
            )));
        }
    }
    let mut files = 0;
    let mut put = |rel: &str, bytes: &[u8]| -> Result<(), SheetError> {
        write_new(dir, rel, bytes)?;
        files += 1;
        Ok(())
    };
    copy_dir(&THEME, "themes/default", &mut put)?;
    copy_dir(&VSCODE, ".vscode", &mut put)?;
    if example {
        copy_dir(&EXAMPLE_CONTENT, "content", &mut put)?;
        copy_dir(&EXAMPLE_SEEDS, "seeds", &mut put)?;
    } else {
        put("content/site.toml", STARTER_SITE.as_bytes())?;
        put("content/plan.json", STARTER_PLAN.as_bytes())?;
        put("content/results/2568.json", STARTER_RESULTS.as_bytes())?;
        put("content/pages/_index.md", STARTER_OVERVIEW.as_bytes())?;
    }
    put("README.md", STARTER_README.as_bytes())?;
    put(".gitignore", b"public/\n")?;
    files += write_schemas(&dir.join("schemas"))?;
    Ok(Initialised { root: dir.to_path_buf(), files })
}

/// Writes one file of a new site, by path relative to it.
type Put<'a> = dyn FnMut(&str, &[u8]) -> Result<(), SheetError> + 'a;

fn copy_dir(from: &Dir<'_>, to: &str, put: &mut Put<'_>) -> Result<(), SheetError> {
    // include_dir lists entries in the order the file system gave them:
    // sort, so that what init writes does not depend on the machine.
    let mut entries: Vec<_> = from.entries().iter().collect();
    entries.sort_by_key(|e| e.path().to_path_buf());
    for entry in entries {
        match entry {
            include_dir::DirEntry::Dir(d) => copy_dir(d, to, put)?,
            include_dir::DirEntry::File(f) => {
                let rel = format!("{to}/{}", f.path().to_string_lossy().replace('\\', "/"));
                put(&rel, f.contents())?;
            }
        }
    }
    Ok(())
}

const STARTER_SITE: &str = r#"#:schema ../schemas/site.schema.json
# การตั้งค่าเว็บไซต์: แก้ชื่อ คำอธิบาย และส่วนท้ายเป็นของหน่วยงานของท่าน

title = "ผลการดำเนินงานตามแผนยุทธศาสตร์ (ชื่อหน่วยงาน) พ.ศ. ๒๕๖๘–๒๕๗๒"
description = "ค่าเป้าหมายและผลการดำเนินงานรายปีตามแผนยุทธศาสตร์ของหน่วยงาน"
# ที่อยู่เว็บไซต์เมื่อเผยแพร่ เช่น "https://www.example.go.th/plan/" (เว้นว่างได้)
base_url = ""
language = "th"
theme = "default"
# ตัวเลข: "thai" (๐–๙) หรือ "arabic" (0–9); ศักราช: "be" (พ.ศ.) หรือ "ce" (ค.ศ.)
digits = "thai"
era = "be"
footer = "จัดทำโดย (ชื่อหน่วยงาน) จากรายงานผลการดำเนินงานประจำปี"
"#;

const STARTER_PLAN: &str = r#"{
  "$schema": "../schemas/plan.schema.json",
  "organization": { "name": "ชื่อเต็มของหน่วยงาน", "short": "ชื่อย่อ" },
  "name": "แผนยุทธศาสตร์ของหน่วยงาน พ.ศ. ๒๕๖๘ - ๒๕๗๒",
  "period": { "from": 2568, "to": 2572 },
  "vision": "วิสัยทัศน์ของหน่วยงาน",
  "goal": "เป้าประสงค์ของแผน",
  "strategies": [
    { "id": "1", "name": "ชื่อยุทธศาสตร์ที่ ๑", "goals": ["เป้าหมายของยุทธศาสตร์"] }
  ],
  "issues": [
    { "id": "1.1", "strategy": "1", "name": "ชื่อประเด็นยุทธศาสตร์" }
  ],
  "objectives": [
    { "id": "1-1", "code": "1", "issue": "1.1", "name": "วัตถุประสงค์เชิงยุทธศาสตร์" }
  ],
  "indicators": [
    {
      "id": "1-1.1",
      "code": "1.1",
      "objective": "1-1",
      "name": "ร้อยละของเรื่องที่ดำเนินการแล้วเสร็จภายในเวลาที่กำหนด",
      "unit": "ร้อยละ",
      "measure": "percent",
      "target": { "value": 80, "direction": "at_least", "text": "ร้อยละ ๘๐" },
      "targets": {
        "2568": { "kind": "numeric", "value": 60, "direction": "at_least", "text": "ไม่ต่ำกว่าร้อยละ ๖๐" },
        "2569": { "kind": "numeric", "value": 65, "direction": "at_least" },
        "2570": { "kind": "numeric", "value": 70, "direction": "at_least" },
        "2571": { "kind": "numeric", "value": 75, "direction": "at_least" },
        "2572": { "kind": "numeric", "value": 80, "direction": "at_least" }
      }
    },
    {
      "id": "1-1.2",
      "code": "1.2",
      "objective": "1-1",
      "name": "จำนวนครั้งของการเผยแพร่ความรู้แก่ประชาชน",
      "unit": "ครั้ง",
      "measure": "count",
      "target": { "value": 20, "direction": "at_least", "text": "๒๐ ครั้ง" },
      "targets": {
        "2568": { "kind": "numeric", "value": 4, "direction": "at_least" },
        "2569": { "kind": "numeric", "value": 4, "direction": "at_least" },
        "2570": { "kind": "numeric", "value": 4, "direction": "at_least" },
        "2571": { "kind": "numeric", "value": 4, "direction": "at_least" },
        "2572": { "kind": "numeric", "value": 4, "direction": "at_least" }
      }
    }
  ]
}
"#;

const STARTER_RESULTS: &str = r#"{
  "$schema": "../../schemas/results.schema.json",
  "year": 2568,
  "indicators": [
    {
      "indicator": "1-1.1",
      "status": "exceeded",
      "value": 65,
      "count": { "done": 13, "total": 20, "unit": "เรื่อง" },
      "summary": "ตัวอย่าง: ดำเนินการแล้วเสร็จภายในเวลาที่กำหนด ๑๓ เรื่อง จาก ๒๐ เรื่อง คิดเป็นร้อยละ ๖๕"
    },
    {
      "indicator": "1-1.2",
      "status": "met",
      "value": 4,
      "summary": "ตัวอย่าง: จัดกิจกรรมเผยแพร่ความรู้ ๔ ครั้ง"
    }
  ]
}
"#;

const STARTER_OVERVIEW: &str = r#"+++
title = "ภาพรวม"
+++

เขียนความเป็นมาของแผนยุทธศาสตร์ของหน่วยงานที่นี่ (Markdown) ข้อความนี้แสดงในหน้าแรกของเว็บไซต์
"#;

const STARTER_README: &str = include_str!("scaffold_readme.md");
