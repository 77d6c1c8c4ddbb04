//! Synthetic plans for benchmarks and scale tests: [`generate`] writes a
//! complete site folder with any number of indicators.
//!
//! The shape is the one the scale issue measured: about 5 indicators per
//! objective, 2 objectives per issue, 3 issues per strategy; a target for each
//! fiscal year of the plan (2566–2570); results for 2566, 2567 and 2568 with
//! counts, dated events and summaries; a narrative page per strategy per year,
//! and a policy and an analysis page per year. The text is put together from
//! the wording of the default content (ร้อยละของ…, จำนวนหน่วยงานที่…,
//! การส่งเสริมและคุ้มครองสิทธิมนุษยชน…), so pages have the length and the
//! line-breaking work of real Thai pages.
//!
//! Output is byte-identical for the same number of indicators: the only
//! source of variety is a fixed PRNG (splitmix64) seeded by what is being
//! made and its index, never by the time or by N, so the first 1,000
//! indicators of a 50,000-indicator plan are those of a 1,000-indicator plan.
//!
//! Statuses are derived from values and targets with [`crate::rules::judge`],
//! the rule `check` applies, so they agree by construction. On purpose, about
//! one numeric result in 450 is also stated with a different figure elsewhere
//! "in the source" (a `statements` entry and a note), so that the consistency
//! findings of the year pages have something to show; those are the only
//! warnings `check` gives. No source document is cited (`document` and
//! `source.line` are optional), so no `seeds/` folder is needed.

use crate::data::{
    Count, Declared, Direction, Event, Indicator, IndicatorResult, Issue, Measure, Objective, Organization, Period,
    Plan, Policy, PolicyIssue, Projects, Results, SourceRef, StatedCounts, Statement, Status, Strategy, StrategyReport,
    Target, TargetKind, YearTarget,
};
use crate::rules::judge;
use crate::thai::{format_number, to_thai_digits};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// The plan's fiscal years.
pub const PERIOD: Period = Period { from: 2566, to: 2570 };
/// The fiscal years that have results.
pub const RESULT_YEARS: [i32; 3] = [2566, 2567, 2568];

const OBJECTIVES_PER_ISSUE: usize = 2;
const ISSUES_PER_STRATEGY: usize = 3;
const OBJECTIVES_PER_STRATEGY: usize = OBJECTIVES_PER_ISSUE * ISSUES_PER_STRATEGY;

/// Writes a synthetic site with `indicators` indicators into `dir`:
/// `content/` (site.toml, plan.json, results/2566–2568.json, pages/) and
/// `themes/default/` (a copy of this repository's theme, because a site's
/// theme is always read from `<root>/themes/<name>`).
///
/// `dir` is created if needed; it must not already hold a `content/` folder
/// (a leftover plan of another size would mix with this one).
pub fn generate(dir: &Path, indicators: usize) -> io::Result<()> {
    generate_in(dir, indicators, &[])
}

/// [`generate`], with the site in each of `languages` too: every text of
/// the data and every page translated by [`pseudo_translation`], and the
/// language in `site.toml`. For measuring what a second language costs.
pub fn generate_in(dir: &Path, indicators: usize, languages: &[&str]) -> io::Result<()> {
    if indicators == 0 {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "a synthetic plan needs at least one indicator"));
    }
    let content = dir.join("content");
    if content.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists: generate into an empty folder", content.display()),
        ));
    }
    let plan = plan(indicators);
    let years = results(&plan);

    std::fs::create_dir_all(content.join("results"))?;
    let mut site = site_toml(indicators);
    for lang in languages {
        let t = |key: &str| {
            let line = site.lines().find_map(|l| l.strip_prefix(&format!("{key} = "))).unwrap_or("\"\"");
            format!("{key} = {}\n", pseudo_translation(line))
        };
        site.push_str(&format!("\n[languages.{lang}]\n{}{}{}", t("title"), t("description"), t("footer")));
    }
    write_file(&content.join("site.toml"), site.as_bytes())?;
    let translated = |value: &mut serde_json::Value, schema: &crate::document::Schema| {
        for lang in languages {
            crate::data::add_translation(schema, value, lang, &pseudo_translation);
        }
    };
    let mut json = serde_json::to_value(&plan.plan).map_err(io::Error::other)?;
    translated(&mut json, crate::data::plan_schema());
    write_json(&content.join("plan.json"), &json)?;
    for y in &years {
        let mut json = serde_json::to_value(&y.results).map_err(io::Error::other)?;
        translated(&mut json, crate::data::results_schema());
        write_json(&content.join(format!("results/{}.json", y.results.year)), &json)?;
    }
    for (rel, text) in pages(&plan, &years) {
        let path = content.join("pages").join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_file(&path, text.as_bytes())?;
        for lang in languages {
            let rel = format!("{}.{lang}.md", rel.trim_end_matches(".md"));
            write_file(&content.join("pages").join(rel), pseudo_translation(&text).as_bytes())?;
        }
    }
    copy_theme(&dir.join("themes"))
}

/// A stand-in translation: each Thai letter a Latin one (words of at most
/// six), Thai digits Arabic, everything else as it is (Markdown, TOML and
/// JSON syntax, numbers, links). As long as the Thai, and wrapping at spaces
/// as English does.
pub fn pseudo_translation(text: &str) -> String {
    let mut out = String::with_capacity(text.len() / 2);
    let mut run = 0;
    for c in text.chars() {
        match c {
            '๐'..='๙' => {
                out.push(char::from(b'0' + (c as u32 - '๐' as u32) as u8));
                run = 0;
            }
            // Vowel and tone marks above and below: no letter of their own.
            '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}' => {}
            '\u{0E00}'..='\u{0E7F}' => {
                if run == 6 {
                    out.push(' ');
                    run = 0;
                }
                out.push(char::from(b'a' + (c as u32 % 26) as u8));
                run += 1;
            }
            c => {
                out.push(c);
                run = 0;
            }
        }
    }
    out
}

/// A small, fast, fixed PRNG (splitmix64): the same seed gives the same
/// numbers on every machine and Rust version, which `rand` does not promise.
#[derive(Debug, Clone)]
struct Rng(u64);

// One stream per kind of thing made, so that adding a draw for one kind
// never shifts the numbers of another.
const STRUCTURE: u64 = 1;
const STRATEGY: u64 = 2;
const ISSUE: u64 = 3;
const OBJECTIVE: u64 = 4;
const INDICATOR: u64 = 5;
const RESULT: u64 = 6;
const YEAR: u64 = 7;

impl Rng {
    fn new(stream: u64, index: u64) -> Rng {
        let mut r = Rng(stream.wrapping_mul(0xD134_2543_DE82_EF95) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

// Wording, from the default content (the NHRC plan and its FY2566 evaluation)
// and the shapes of its sentences. `{d}` is a rights domain, `{r}` a region.

const DOMAINS: &[&str] = &[
    "สิทธิในกระบวนการยุติธรรม",
    "สิทธิชุมชนและสิ่งแวดล้อม",
    "สิทธิและสถานะบุคคล",
    "สิทธิเด็กและเยาวชน",
    "สิทธิผู้สูงอายุ",
    "สิทธิคนพิการ",
    "สิทธิแรงงาน",
    "สิทธิในสุขภาพ",
    "สิทธิในการศึกษา",
    "สิทธิในที่ดินและทรัพยากรธรรมชาติ",
    "สิทธิของกลุ่มชาติพันธุ์",
    "สิทธิความเท่าเทียมทางเพศ",
];

const REGIONS: &[&str] =
    &["ภาคเหนือ", "ภาคตะวันออกเฉียงเหนือ", "ภาคกลาง", "ภาคตะวันออก", "ภาคตะวันตก", "ภาคใต้", "ภาคใต้ชายแดน"];

const PROVINCES: &[&str] = &[
    "เชียงใหม่",
    "เชียงราย",
    "น่าน",
    "ตาก",
    "พิษณุโลก",
    "ขอนแก่น",
    "อุบลราชธานี",
    "นครราชสีมา",
    "อุดรธานี",
    "ชลบุรี",
    "ระยอง",
    "กาญจนบุรี",
    "สงขลา",
    "ปัตตานี",
    "ยะลา",
    "นราธิวาส",
    "สุราษฎร์ธานี",
    "นครศรีธรรมราช",
    "ภูเก็ต",
    "พังงา",
];

const STRATEGY_NAMES: &[&str] = &[
    "สร้างพลังความร่วมมือส่งเสริมวัฒนธรรมด้าน{d}",
    "ยกระดับความสามารถการเฝ้าระวังสถานการณ์ด้าน{d}",
    "เพิ่มประสิทธิภาพการคุ้มครองและการเสนอแนะมาตรการด้าน{d}",
    "พัฒนาองค์กรให้เป็นองค์กรสมรรถนะสูงเพื่อขับเคลื่อนงานด้าน{d}",
    "ส่งเสริมการมีส่วนร่วมของภาคีเครือข่ายในการคุ้มครอง{d}",
];

const GOALS: &[&str] = &[
    "จำนวนองค์กรที่มีแนวปฏิบัติด้าน{d}เพิ่มขึ้น",
    "ความเข้าใจด้าน{d}ของประชาชนเพิ่มขึ้น",
    "อัตราการดำเนินการคุ้มครองผู้ถูกละเมิด{d}ตามระยะเวลามาตรฐานเพิ่มขึ้น",
    "มีดัชนีและข้อมูลสถานการณ์ด้าน{d}ที่ทันสมัยและเข้าถึงได้",
];

const ISSUE_NAMES: &[&str] = &[
    "ส่งเสริมให้องค์กรทั้งภาครัฐและเอกชนมีการดำเนินการสอดคล้องกับหลัก{d}",
    "สร้างกลไกให้สังคมเกิดการเรียนรู้ด้าน{d}",
    "ส่งเสริมและพัฒนาผู้นำและเครือข่ายด้าน{d}ทั้งในและต่างประเทศ",
    "พัฒนาระบบการจัดการเรื่องร้องเรียน และช่วยเหลือเยียวยาผู้ถูกละเมิด{d}",
    "พัฒนากลไกการประเมินผลกระทบด้าน{d}",
    "สร้างกระบวนการสื่อสาร และความเข้าใจด้าน{d}",
    "ขยายศักยภาพการดำเนินงานด้าน{d}ระดับภูมิภาคใน{r}",
];

const OBJECTIVE_NAMES: &[&str] = &[
    "เพิ่มจำนวนหน่วยงานที่มีการกำหนดนโยบาย และแนวปฏิบัติ ด้าน{d}",
    "เสริมสร้างความเข้าใจด้าน{d}กับประชาชน กลุ่มเสี่ยง",
    "ส่งเสริมและพัฒนาผู้นำด้าน{d}ในชุมชน โดยร่วมมือกับภาคประชาสังคม",
    "พัฒนากลไกการประเมินผลกระทบด้าน{d} สำหรับรับรองการดำเนินงานองค์กรทั้งภาครัฐและเอกชน",
    "พัฒนาและผลักดันให้หน่วยงานของรัฐและเอกชน นำข้อเสนอแนะไปสู่การปฏิบัติเพื่อแก้ไข และป้องกันการละเมิด{d}",
    "พัฒนาระบบการบริหารจัดการตามเกณฑ์คุณภาพการบริหารจัดการภาครัฐ เพื่อสนับสนุนงานด้าน{d}",
    "สร้างกระบวนการสื่อสารเชิงรุกต่อภาคีเครือข่ายด้าน{d}ใน{r}",
];

/// Percentages behind which there are counts: what is counted, and its unit.
const SHARES: &[(&str, &str)] = &[
    ("คำร้องที่ตรวจสอบการละเมิดสิทธิมนุษยชนแล้วเสร็จทันระยะเวลาที่กำหนด", "คำร้อง"),
    ("เรื่องร้องเรียนที่ประสานการคุ้มครองได้ตามเวลามาตรฐาน", "เรื่อง"),
    ("ข้อเสนอแนะจากการตรวจสอบที่หน่วยงานที่เกี่ยวข้องนำไปพิจารณาดำเนินการ", "ฉบับ"),
    ("ประชาชนกลุ่มเสี่ยงที่มีความเข้าใจเรื่องสิทธิมนุษยชน", "คน"),
    ("บุคลากรที่มีสมรรถนะตามมาตรฐานประจำตำแหน่ง", "คน"),
    ("ประชาชนกลุ่มเป้าหมายที่รับรู้บทบาทภารกิจและผลการดำเนินงาน", "คน"),
    ("หน่วยงานภาครัฐที่นำแนวปฏิบัติด้านสิทธิมนุษยชนไปใช้", "หน่วยงาน"),
    ("ผู้เข้าร่วมโครงการที่นำความรู้ไปใช้ประโยชน์", "คน"),
    ("สถานศึกษาที่จัดกิจกรรมส่งเสริมสิทธิมนุษยชน", "แห่ง"),
    ("ผู้เสียหายที่ได้รับการช่วยเหลือเยียวยาตามเวลามาตรฐาน", "ราย"),
];

/// Percentages without counts (surveys, project progress).
const RATES: &[&str] = &[
    "ความสำเร็จของการพัฒนาดัชนีสิทธิมนุษยชน",
    "ความสมบูรณ์ของระบบเฝ้าระวังสถานการณ์ด้วยเทคโนโลยีสารสนเทศ",
    "ความสำเร็จของการศึกษาและจัดทำเครื่องมือการประเมินผลกระทบด้านสิทธิมนุษยชน",
    "ความผูกพันและทุ่มเทของบุคลากรต่อสำนักงาน",
    "ความพึงพอใจของผู้รับบริการ",
    "การนำข้อเสนอเชิงนโยบายไปสู่การปฏิบัติจริง",
];

/// Percentages where lower is better (direction at_most).
const LAGS: &[(&str, &str)] = &[
    ("เรื่องร้องเรียนที่ค้างดำเนินการเกินระยะเวลาที่กำหนด", "เรื่อง"),
    ("คำร้องที่ต้องส่งกลับเพื่อแก้ไขเอกสารไม่ครบถ้วน", "คำร้อง"),
    ("กิจกรรมที่ดำเนินการล่าช้ากว่าแผน", "กิจกรรม"),
];

/// Counts: unit, what is counted.
const TALLIES: &[(&str, &str)] = &[
    ("หน่วยงาน", "หน่วยงานที่มีนโยบายหรือแนวทางดำเนินการเกี่ยวกับสิทธิมนุษยชน"),
    ("คน", "ผู้นำด้านสิทธิมนุษยชนที่ร่วมดำเนินการอย่างสม่ำเสมอ"),
    ("โครงการ", "โครงการความร่วมมือกับภาคประชาสังคมที่ประสบความสำเร็จตามเป้าหมาย"),
    ("โครงการ", "โครงการความร่วมมือกับหน่วยงานด้านสิทธิมนุษยชนของต่างประเทศที่ประสบความสำเร็จตามเป้าหมาย"),
    ("เรื่อง", "ข้อเสนอแนะในการแก้ไขปรับปรุงกฎหมาย กฎ ระเบียบ หรือคำสั่งใด ๆ เสนอต่อหน่วยงานที่เกี่ยวข้อง"),
    ("หน่วยงาน", "หน่วยงานที่นำเครื่องมือไปใช้ในการประเมินผลกระทบด้านสิทธิมนุษยชน"),
    ("แห่ง", "ศูนย์ประสานงานด้านสิทธิมนุษยชนในภูมิภาค"),
    ("เครือข่าย", "เครือข่ายสิทธิมนุษยชนที่ได้รับการพัฒนาศักยภาพ"),
    ("หลักสูตร", "หลักสูตรและสื่อการเรียนรู้ด้านสิทธิมนุษยชนที่เผยแพร่"),
    ("ครั้ง", "เวทีรับฟังความคิดเห็นของผู้มีส่วนได้ส่วนเสีย"),
];

const LEVELS: &[&str] = &[
    "ในการพัฒนาองค์กร เพื่อให้ได้รับการรับรองคุณภาพการบริหารมาตรฐาน",
    "ของการพัฒนาระบบการจัดการเรื่องร้องเรียน",
    "ของการขับเคลื่อนแผนปฏิบัติการด้านสิทธิมนุษยชน",
    "ในการพัฒนาระบบเทคโนโลยีสารสนเทศเพื่อการบริหาร",
    "ของการบูรณาการความร่วมมือกับภาคีเครือข่าย",
];

const MILESTONES: &[&str] = &[
    "การศึกษาและกำหนดแนวทางในการดำเนินงานด้าน{d}",
    "การหาข้อมูลเพื่อใช้เป็นฐานสำหรับการกำหนดค่าเป้าหมาย (Baseline)",
    "การจัดทำแผนการดำเนินงานและกรอบการติดตามผลด้าน{d}",
    "การศึกษารูปแบบและกำหนดกรอบตัวชี้วัดด้าน{d}",
];

const ACTORS: &[&str] = &["สำนักงาน", "สำนักส่งเสริมสิทธิมนุษยชน", "สำนักคุ้มครองสิทธิมนุษยชน", "สำนักนโยบายและยุทธศาสตร์", "คณะทำงาน"];

const ACTIVITIES: &[&str] = &[
    "ได้ดำเนินการภายใต้โครงการส่งเสริมและคุ้มครอง{d} ร่วมกับภาคีเครือข่ายใน{r}",
    "ได้ศึกษาแนวทางและกำหนดกรอบการดำเนินงานด้าน{d} เพื่อใช้เป็นฐานในการกำหนดค่าเป้าหมายในปีต่อไป",
    "ได้ประสานความร่วมมือกับหน่วยงานภาครัฐ ภาคเอกชน และภาคประชาสังคม ในการขับเคลื่อนงานด้าน{d}",
    "ได้จัดทำแผนการดำเนินงานประจำปี และติดตามผลการดำเนินงานด้าน{d}เป็นรายไตรมาส",
    "ได้จัดทำและพัฒนาเครื่องมือ สื่อ และหลักสูตรในการส่งเสริมและสร้างความตระหนักด้าน{d}",
];

const EVENTS: &[&str] = &[
    "จัดประชุมเชิงปฏิบัติการ เรื่อง การส่งเสริมและคุ้มครอง{d} ณ จังหวัด{p}",
    "จัดเวทีรับฟังความคิดเห็นของภาคีเครือข่ายด้าน{d} ณ จังหวัด{p}",
    "ลงพื้นที่ติดตามสถานการณ์ด้าน{d} ณ จังหวัด{p}",
    "จัดอบรมหลักสูตรผู้นำด้าน{d} ณ จังหวัด{p}",
    "ประชุมหารือร่วมกับหน่วยงานที่เกี่ยวข้องเพื่อติดตามการดำเนินการตามข้อเสนอแนะด้าน{d} ณ จังหวัด{p}",
];

const SHORTFALLS: &[&str] = &[
    "ข้อจำกัดด้านงบประมาณ",
    "การปรับแผนการดำเนินงานระหว่างปี",
    "ความล่าช้าในการประสานงานกับหน่วยงานภายนอก",
    "จำนวนเรื่องที่เข้าสู่การพิจารณาสูงกว่าที่คาดการณ์",
    "ข้อจำกัดด้านอัตรากำลังของบุคลากร",
];

const RECOMMENDATIONS: &[&str] = &[
    "ข้อเสนอแนะในการเสริมสร้างความเข้มแข็งในการบังคับใช้กฎหมายที่เกี่ยวข้องกับ{d}",
    "ข้อเสนอแนะในการขับเคลื่อนแนวทางการคุ้มครอง{d}ให้มีประสิทธิภาพ",
    "ข้อเสนอแนะในการปรับปรุงกฎ ระเบียบ และแนวปฏิบัติที่เกี่ยวข้องกับ{d}",
    "ข้อเสนอแนะในการพัฒนากลไกการเข้าถึงความยุติธรรมในประเด็น{d}",
];

/// Fills `{d}` (domain) and `{r}` (region) in a phrase.
fn fill(template: &str, domain: &str, region: &str) -> String {
    template.replace("{d}", domain).replace("{r}", region)
}

/// A number as the default content writes it in text: Thai digits.
fn th(v: impl std::fmt::Display) -> String {
    to_thai_digits(&v.to_string())
}

/// A figure with its indicator's decimals, in Thai digits.
fn th_figure(v: f64, decimals: u8) -> String {
    to_thai_digits(&format_number(v, decimals))
}

/// Rounds as the figures of the source are rounded: to `decimals` places.
fn round_to(v: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(i32::from(decimals));
    (v * f).round() / f
}

/// What an indicator is, beyond its plan entry: what generating its results needs.
#[derive(Debug, Clone)]
struct Spec {
    strategy: usize,
    domain: &'static str,
    region: &'static str,
    /// The unit of the counts behind a percentage, when it has counts.
    count_unit: Option<&'static str>,
    /// The numeric target of each plan year (whatever the year's kind).
    values: [f64; 5],
}

/// The plan with what the results need to know about each indicator.
struct Generated {
    plan: Plan,
    specs: Vec<Spec>,
}

/// How many indicators each objective has: 4 to 6, about 5.
fn objective_sizes(indicators: usize) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut left = indicators;
    while left > 0 {
        let size = (Rng::new(STRUCTURE, sizes.len() as u64).range(4, 6) as usize).min(left);
        sizes.push(size);
        left -= size;
    }
    sizes
}

fn plan(indicators: usize) -> Generated {
    let sizes = objective_sizes(indicators);
    let n_issues = sizes.len().div_ceil(OBJECTIVES_PER_ISSUE);
    let n_strategies = n_issues.div_ceil(ISSUES_PER_STRATEGY);

    let mut strategies = Vec::with_capacity(n_strategies);
    let mut strategy_domains = Vec::with_capacity(n_strategies);
    for s in 0..n_strategies {
        let mut rng = Rng::new(STRATEGY, s as u64);
        // Strategies take the domains in turn, so neighbouring strategies differ.
        let domain = DOMAINS[s % DOMAINS.len()];
        let region = rng.pick(REGIONS);
        let mut goals = vec![fill(rng.pick(GOALS), domain, region)];
        if rng.chance(50) {
            let second = fill(rng.pick(GOALS), domain, region);
            if second != goals[0] {
                goals.push(second);
            }
        }
        strategies.push(Strategy {
            id: (s + 1).to_string(),
            name: fill(rng.pick(STRATEGY_NAMES), domain, region),
            goals,
            source: Some(SourceRef {
                section: Some("แผนที่ยุทธศาสตร์".into()), line: None
            }),
        });
        strategy_domains.push(domain);
    }

    let mut issues = Vec::with_capacity(n_issues);
    for i in 0..n_issues {
        let s = i / ISSUES_PER_STRATEGY;
        let mut rng = Rng::new(ISSUE, i as u64);
        issues.push(Issue {
            id: format!("{}.{}", s + 1, i % ISSUES_PER_STRATEGY + 1),
            strategy: (s + 1).to_string(),
            name: fill(rng.pick(ISSUE_NAMES), strategy_domains[s], rng.pick(REGIONS)),
            source: None,
        });
    }

    let mut objectives = Vec::with_capacity(sizes.len());
    let mut inds = Vec::with_capacity(indicators);
    let mut specs = Vec::with_capacity(indicators);
    for (j, &size) in sizes.iter().enumerate() {
        let issue = &issues[j / OBJECTIVES_PER_ISSUE];
        let s = j / OBJECTIVES_PER_STRATEGY;
        // Objectives are numbered within their strategy, as in the source
        // ("1-1" … "1-5"), and indicators within their objective ("1.1", "1.2").
        let number = j % OBJECTIVES_PER_STRATEGY + 1;
        let mut rng = Rng::new(OBJECTIVE, j as u64);
        let domain = strategy_domains[s];
        let objective_id = format!("{}-{number}", s + 1);
        objectives.push(Objective {
            id: objective_id.clone(),
            code: number.to_string(),
            issue: issue.id.clone(),
            name: fill(rng.pick(OBJECTIVE_NAMES), domain, rng.pick(REGIONS)),
            source: None,
        });
        for k in 1..=size {
            let index = inds.len();
            let (ind, spec) = indicator(index, s, domain, &objective_id, number, k);
            inds.push(ind);
            specs.push(spec);
        }
    }

    let plan = Plan {
        schema: None,
        organization: Organization {
            name: "หน่วยงานตัวอย่างด้านสิทธิมนุษยชน (ข้อมูลสังเคราะห์)".into(), short: None
        },
        name: format!("แผนยุทธศาสตร์หน่วยงานตัวอย่าง (ข้อมูลสังเคราะห์ {} ตัวชี้วัด) พ.ศ. ๒๕๖๖ - ๒๕๗๐", th(indicators)),
        period: PERIOD,
        vision: "สร้างเสริมวัฒนธรรมเคารพสิทธิมนุษยชน โดยพลังความร่วมมือจากทุกภาคส่วน".into(),
        goal: "สังคมไทยตระหนักและเคารพในสิทธิมนุษยชน".into(),
        document: None,
        declared: Some(Declared {
            strategies: Some(strategies.len() as u32),
            issues: Some(issues.len() as u32),
            objectives: Some(objectives.len() as u32),
            indicators: Some(inds.len() as u32),
            source: None,
        }),
        strategies,
        issues,
        objectives,
        indicators: inds,
    };
    Generated { plan, specs }
}

/// One indicator: its plan entry and its spec. Mostly percentages, then
/// counts, a few levels; yearly targets mostly numeric, some first years a
/// milestone, some indicators not assessed until 2567 or 2568.
fn indicator(
    index: usize,
    s: usize,
    domain: &'static str,
    objective: &str,
    number: usize,
    k: usize,
) -> (Indicator, Spec) {
    let mut rng = Rng::new(INDICATOR, index as u64);
    let region = rng.pick(REGIONS);
    let qualifier =
        if rng.chance(60) { format!(" ด้าน{domain}") } else { format!(" ในพื้นที่{region}") };
    let kind = rng.range(0, 99);
    let mut count_unit = None;
    let mut direction = Direction::AtLeast;
    let mut cumulative = false;
    // Targets for 2566..=2570, rising (falling for at_most) to the five-year target.
    let (name, unit, measure, values): (String, &str, Measure, [f64; 5]) = match kind {
        0..=34 => {
            let (what, unit) = SHARES[rng.range(0, SHARES.len() as u64 - 1) as usize];
            count_unit = Some(unit);
            let last = [80.0, 85.0, 90.0, 95.0, 100.0][rng.range(0, 4) as usize];
            (format!("ร้อยละของ{what}{qualifier}"), "ร้อยละ", Measure::Percent, rising(last, 5.0))
        }
        35..=51 => {
            let what = rng.pick(RATES);
            let last = [80.0, 90.0, 100.0][rng.range(0, 2) as usize];
            (format!("ร้อยละ{what}{qualifier}"), "ร้อยละ", Measure::Percent, rising(last, 5.0))
        }
        52..=56 => {
            let (what, unit) = LAGS[rng.range(0, LAGS.len() as u64 - 1) as usize];
            count_unit = Some(unit);
            direction = Direction::AtMost;
            let last = [5.0, 10.0][rng.range(0, 1) as usize];
            (format!("ร้อยละของ{what}{qualifier}"), "ร้อยละ", Measure::Percent, rising(last, -5.0))
        }
        57..=89 => {
            let (unit, what) = TALLIES[rng.range(0, TALLIES.len() as u64 - 1) as usize];
            cumulative = rng.chance(40);
            let values = if cumulative {
                let last = rng.range(10, 100) as f64;
                [1.0, 2.0, 3.0, 4.0, 5.0].map(|y| (last * y / 5.0).ceil())
            } else {
                let base = rng.range(3, 30) as f64;
                let step = (base / 5.0).floor().max(1.0);
                [0.0, 1.0, 2.0, 3.0, 4.0].map(|y| base + y * step)
            };
            (format!("จำนวน{what}{qualifier}"), unit, Measure::Count, values)
        }
        _ => {
            let what = rng.pick(LEVELS);
            (format!("ระดับความสำเร็จ{what}{qualifier}"), "ระดับ", Measure::Level, [1.0, 2.0, 3.0, 4.0, 5.0])
        }
    };
    let fmt_target = |v: f64| match measure {
        Measure::Percent => format!("ร้อยละ {}", th_figure(v, 0)),
        Measure::Level => format!("ระดับ {}", th_figure(v, 0)),
        Measure::Count => format!("{} {unit}", th_figure(v, 0)),
    };
    let word = match direction {
        Direction::AtMost => "ไม่เกิน",
        _ => "ไม่ต่ำกว่า",
    };

    // Which years have a numeric target: 80 % all; 12 % a milestone first;
    // 8 % not assessed until 2567 or 2568.
    let pattern = rng.range(0, 99);
    let first_numeric = match pattern {
        0..=79 => PERIOD.from,
        80..=91 => PERIOD.from + 1,
        _ => PERIOD.from + rng.range(1, 2) as i32,
    };
    let milestone = fill(rng.pick(MILESTONES), domain, region);
    let mut targets = BTreeMap::new();
    for (y, &v) in PERIOD.years().zip(values.iter()) {
        let t = if y >= first_numeric {
            YearTarget {
                kind: TargetKind::Numeric,
                value: Some(v),
                direction: Some(direction),
                // "ไม่ต่ำกว่าร้อยละ ๖๐", "ไม่ต่ำกว่า ๔ เรื่อง", as the source writes them.
                text: Some(match measure {
                    Measure::Count => format!("{word} {}", fmt_target(v)),
                    _ => format!("{word}{}", fmt_target(v)),
                }),
                first_year: None,
                first_value: None,
                unit: None,
                direction_inferred: false,
                source: None,
            }
        } else if pattern < 92 {
            YearTarget {
                kind: TargetKind::Milestone,
                value: None,
                direction: None,
                text: Some(milestone.clone()),
                first_year: None,
                first_value: None,
                unit: None,
                direction_inferred: false,
                source: None,
            }
        } else {
            let first_value = values[(first_numeric - PERIOD.from) as usize];
            YearTarget {
                kind: TargetKind::NotAssessed,
                value: None,
                direction: None,
                text: Some(format!(
                    "เริ่มประเมินผลในปี พ.ศ. {} กำหนดค่าเป้าหมาย {}",
                    th(first_numeric),
                    fmt_target(first_value)
                )),
                first_year: Some(first_numeric),
                first_value: Some(first_value),
                unit: None,
                direction_inferred: false,
                source: None,
            }
        };
        targets.insert(y.to_string(), t);
    }

    let id = format!("{}-{number}.{k}", s + 1);
    let ind = Indicator {
        id,
        code: format!("{number}.{k}"),
        objective: objective.to_string(),
        name,
        unit: unit.to_string(),
        measure,
        cumulative,
        // The defaults (2 for percentages, 0 otherwise) are what the figures use.
        decimals: None,
        target: Target {
            value: values[4],
            direction,
            text: Some(fmt_target(values[4])),
            unit: None,
            direction_inferred: false,
        },
        targets,
        note: None,
        source: Some(SourceRef {
            section: Some("ตัวชี้วัดระดับยุทธศาสตร์".into()), line: None
        }),
    };
    (ind, Spec { strategy: s, domain, region, count_unit, values })
}

/// Five yearly targets that end at `last`, `step` apart, within 0..=100.
fn rising(last: f64, step: f64) -> [f64; 5] {
    [4.0, 3.0, 2.0, 1.0, 0.0].map(|back| (last - back * step).clamp(0.0, 100.0))
}

/// One year's results, with the tallies the narrative pages quote.
struct Year {
    results: Results,
    /// Per strategy: how many indicators, with a target, achieved, exceeded, not met.
    tallies: Vec<Tally>,
    /// Per strategy: indicators that did not meet their target (ids and codes).
    shortfalls: Vec<Vec<(String, String)>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    indicators: u32,
    with_target: u32,
    achieved: u32,
    exceeded: u32,
    not_met: u32,
}

fn results(g: &Generated) -> Vec<Year> {
    let plan = &g.plan;
    let n_strategies = plan.strategies.len();
    let mut years: Vec<Year> = RESULT_YEARS
        .iter()
        .map(|&year| Year {
            results: Results {
                schema: None,
                year,
                document: None,
                published: None,
                indicators: Vec::with_capacity(plan.indicators.len()),
                pending: Vec::new(),
                strategies: Vec::new(),
                stated: None,
                projects: None,
                policy: None,
                findings: Vec::new(),
            },
            tallies: vec![Tally::default(); n_strategies],
            shortfalls: vec![Vec::new(); n_strategies],
        })
        .collect();

    for (i, (ind, spec)) in plan.indicators.iter().zip(&g.specs).enumerate() {
        // A cumulative count never goes down from one year to the next.
        let mut previous: Option<f64> = None;
        for (y, year) in years.iter_mut().enumerate() {
            let fy = year.results.year;
            let mut rng = Rng::new(RESULT, (i * RESULT_YEARS.len() + y) as u64);
            let target = &ind.targets[&fy.to_string()];
            let r = result(&mut rng, ind, spec, target, fy, &mut previous);
            let tally = &mut year.tallies[spec.strategy];
            tally.indicators += 1;
            if target.kind != TargetKind::NotAssessed {
                tally.with_target += 1;
            }
            match r.status {
                Status::Exceeded => {
                    tally.achieved += 1;
                    tally.exceeded += 1;
                }
                Status::Met => tally.achieved += 1,
                Status::NotMet => {
                    tally.not_met += 1;
                    year.shortfalls[spec.strategy].push((ind.id.clone(), ind.code.clone()));
                }
                Status::NotAssessed => {}
            }
            year.results.indicators.push(r);
        }
    }

    for year in &mut years {
        let fy = year.results.year;
        let mut total = Tally::default();
        let mut projects = 0;
        for (s, t) in year.tallies.iter().enumerate() {
            let mut rng = Rng::new(YEAR, (fy as u64) << 32 | s as u64);
            let p = rng.range(1, 20) as u32;
            projects += p;
            year.results.strategies.push(StrategyReport {
                strategy: (s + 1).to_string(),
                projects: Some(p),
                next_year_projects: (fy == RESULT_YEARS[RESULT_YEARS.len() - 1]).then(|| rng.range(1, 20) as u32),
                stated: Some(stated(t)),
            });
            total.indicators += t.indicators;
            total.with_target += t.with_target;
            total.achieved += t.achieved;
            total.exceeded += t.exceeded;
        }
        year.results.stated = Some(stated(&total));
        year.results.projects = Some(Projects { total: projects, source: None });
        year.results.policy = Some(policy(fy));
    }
    years
}

fn stated(t: &Tally) -> StatedCounts {
    StatedCounts {
        indicators: Some(t.indicators),
        with_target: Some(t.with_target),
        met: Some(t.achieved),
        exceeded: Some(t.exceeded),
        source: Some(SourceRef {
            section: Some("สรุปผลการดำเนินงานรายยุทธศาสตร์".into()), line: None
        }),
    }
}

/// The year's policy recommendations: 3 to 5 issues of 1 to 3 recommendations,
/// counts as stated agreeing with the lists.
fn policy(fy: i32) -> Policy {
    let mut rng = Rng::new(YEAR, fy as u64);
    let n = rng.range(3, 5) as usize;
    let start = rng.range(0, DOMAINS.len() as u64 - 1) as usize;
    let issues: Vec<PolicyIssue> = (0..n)
        .map(|i| {
            let domain = DOMAINS[(start + i) % DOMAINS.len()];
            let count = rng.range(1, 3) as usize;
            let recommendations: Vec<String> =
                (0..count).map(|r| fill(RECOMMENDATIONS[(i + r) % RECOMMENDATIONS.len()], domain, "")).collect();
            PolicyIssue { name: domain.to_string(), stated_count: Some(count as u32), recommendations, source: None }
        })
        .collect();
    Policy {
        stated_issues: Some(issues.len() as u32),
        stated_recommendations: Some(issues.iter().map(|i| i.recommendations.len() as u32).sum()),
        issues,
        source: Some(SourceRef {
            section: Some("สรุปผลการดำเนินงานตามนโยบาย".into()), line: None
        }),
    }
}

/// One indicator's result in one year. The outcome is drawn first (45 %
/// exceeded, 20 % met, 35 % not met), a value is made to fit it, and the
/// status published is what `judge` says of that value: the two agree.
fn result(
    rng: &mut Rng,
    ind: &Indicator,
    spec: &Spec,
    target: &YearTarget,
    fy: i32,
    previous: &mut Option<f64>,
) -> IndicatorResult {
    let actor = rng.pick(ACTORS);
    let activity = format!("{actor}{}", fill(rng.pick(ACTIVITIES), spec.domain, spec.region));
    let decimals = ind.decimals();
    let mut value = None;
    let mut count = None;
    let mut statements = Vec::new();
    let mut note = None;
    let (status, finding) = match target.kind {
        TargetKind::NotAssessed => (
            Status::NotAssessed,
            format!(
                "ตัวชี้วัดนี้เริ่มประเมินผลในปีงบประมาณ พ.ศ. {} ในปีนี้อยู่ระหว่างเตรียมการและเก็บข้อมูลพื้นฐาน",
                th(target.first_year.unwrap_or(fy))
            ),
        ),
        TargetKind::Milestone => {
            let text = target.text.clone().unwrap_or_default();
            if rng.chance(85) {
                (Status::Met, format!("{text}แล้วเสร็จตามแผน"))
            } else {
                (Status::NotMet, format!("{text}ยังไม่แล้วเสร็จ เนื่องจาก{}", rng.pick(SHORTFALLS)))
            }
        }
        TargetKind::Numeric => {
            let t = target.value.unwrap_or(spec.values[4]);
            let dir = target.direction.unwrap_or_default();
            // +1 when more is better, -1 when less is.
            let better = if dir == Direction::AtMost { -1.0 } else { 1.0 };
            let outcome = rng.range(0, 99);
            let v = match ind.measure {
                Measure::Percent => {
                    let delta = rng.range(50, 1500) as f64 / 100.0;
                    let wanted = match outcome {
                        0..=44 => t + better * delta,
                        45..=64 => t,
                        _ => t - better * delta,
                    }
                    .clamp(0.0, 100.0);
                    match spec.count_unit {
                        Some(unit) => {
                            // A total whose share of `t` is a whole number
                            // when the target must be met exactly.
                            let total = if (45..65).contains(&outcome) {
                                (if t % 5.0 == 0.0 { 20 } else { 100 }) * rng.range(1, 15)
                            } else {
                                rng.range(20, 400)
                            };
                            let done = ((wanted * total as f64 / 100.0).round() as u64).min(total);
                            count = Some(Count { done, total, unit: Some(unit.to_string()) });
                            // As `check` computes it, so the two agree.
                            round_to(done as f64 / total as f64 * 100.0, decimals)
                        }
                        None => round_to(wanted, decimals),
                    }
                }
                Measure::Count => {
                    let spread = (t / 2.0).floor().max(1.0) as u64;
                    let v = match outcome {
                        0..=44 => t + rng.range(1, spread) as f64,
                        45..=64 => t,
                        _ => (t - rng.range(1, spread) as f64).max(0.0),
                    };
                    if ind.cumulative { v.max(previous.unwrap_or(0.0)) } else { v }
                }
                Measure::Level => match outcome {
                    0..=44 => (t + 1.0).min(5.0),
                    45..=64 => t,
                    _ => (t - 1.0).max(0.0),
                },
            };
            *previous = Some(v);
            value = Some(v);
            let status = judge(v, t, dir);
            let figure = match (&count, ind.measure) {
                (Some(c), _) => {
                    let unit = c.unit.as_deref().unwrap_or("");
                    format!(
                        "ดำเนินการแล้วเสร็จ {} {unit} จากทั้งหมด {} {unit} คิดเป็นร้อยละ {}",
                        th(c.done),
                        th(c.total),
                        th_figure(v, decimals)
                    )
                }
                (None, Measure::Percent) => format!("ผลการดำเนินงานคิดเป็นร้อยละ {}", th_figure(v, decimals)),
                (None, Measure::Count) => format!("รวมทั้งสิ้น {} {}", th_figure(v, 0), ind.unit),
                (None, Measure::Level) => format!("ผลการดำเนินงานอยู่ในระดับ {}", th_figure(v, 0)),
            };
            let verdict = match status {
                Status::Exceeded => "ซึ่งสูงกว่าค่าเป้าหมายที่กำหนด".to_string(),
                Status::Met => "ซึ่งเป็นไปตามค่าเป้าหมายที่กำหนด".to_string(),
                _ => format!("ซึ่งยังไม่บรรลุค่าเป้าหมาย เนื่องจาก{}", rng.pick(SHORTFALLS)),
            };
            // Another part of the "source" states the result too: mostly the
            // same figure; else one time in 400 (so about 1 in 450), a different one (a finding).
            if rng.chance(10) {
                statements.push(Statement {
                    place: "บทสรุปผู้บริหาร".into(),
                    line: None,
                    value: Some(v),
                    target: Some(t),
                    count: count.as_ref().map(|c| crate::data::StatedCount { done: c.done, total: c.total }),
                    status: Some(status),
                    quote: None,
                });
            } else if rng.range(0, 399) == 0 {
                let other = if ind.measure == Measure::Percent { round_to(v * 0.97, decimals) } else { v + 1.0 };
                statements.push(Statement {
                    place: "ส่วนที่ ๕ ข้อ ๑)".into(),
                    line: None,
                    value: Some(other),
                    target: None,
                    count: None,
                    status: None,
                    quote: Some(format!("ผลการดำเนินงาน {}", th_figure(other, decimals))),
                });
                note = Some(format!(
                    "ตารางสรุปผลการดำเนินงานระบุ {} ส่วนที่ ๕ ระบุ {} เว็บไซต์เผยแพร่ตัวเลขของตารางสรุปผลการดำเนินงาน",
                    th_figure(v, decimals),
                    th_figure(other, decimals)
                ));
            }
            (status, format!("{figure} {verdict}"))
        }
    };

    let mut summary = format!("{activity}\n\n{finding}");
    let bullets = if rng.chance(40) { rng.range(2, 3) } else { 0 };
    if bullets > 0 {
        summary.push_str("\n\nกิจกรรมสำคัญ ได้แก่\n");
        for _ in 0..bullets {
            let p = rng.pick(PROVINCES);
            summary.push_str(&format!("\n- {}", rng.pick(EVENTS).replace("{d}", spec.domain).replace("{p}", p)));
        }
    }

    let events = events(rng, ind, spec, fy, value, status);
    IndicatorResult {
        indicator: ind.id.clone(),
        status,
        value,
        unit: None,
        count,
        summary,
        events,
        statements,
        note,
        source: Some(SourceRef {
            section: Some("ตารางสรุปผลการดำเนินงาน".into()), line: None
        }),
    }
}

/// 1 to 3 dated activities within the fiscal year (1 October of the year
/// before to 30 September), in date order. For a yearly count, each carries
/// its share of the value, and the shares add up to it.
fn events(rng: &mut Rng, ind: &Indicator, spec: &Spec, fy: i32, value: Option<f64>, status: Status) -> Vec<Event> {
    let roll = rng.range(0, 9);
    let n = match roll {
        // Most indicators not assessed yet have nothing dated to show.
        _ if status == Status::NotAssessed && roll <= 5 => 0,
        0..=4 => 1,
        5..=7 => 2,
        _ => 3,
    };
    let mut dates: Vec<(i32, u8, u8)> = (0..n)
        .map(|_| {
            let month = (rng.range(0, 11) as u8 + 9) % 12 + 1; // October first
            let year = if month >= 10 { fy - 1 } else { fy };
            // Up to the 26th, so that an end date two days on is valid in any month.
            (year, month, rng.range(1, 26) as u8)
        })
        .collect();
    dates.sort();
    let amounts: Option<Vec<u64>> = match value {
        Some(v) if ind.measure == Measure::Count && !ind.cumulative && n > 0 && v as usize >= n => {
            let total = v as u64;
            let mut left = total;
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                let rest = (n - i - 1) as u64;
                let a = if rest == 0 { left } else { rng.range(1, left - rest) };
                out.push(a);
                left -= a;
            }
            Some(out)
        }
        _ => None,
    };
    dates
        .iter()
        .enumerate()
        .map(|(i, &(y, m, d))| {
            let end = rng.chance(25).then(|| format!("{y:04}-{m:02}-{:02}", d + rng.range(1, 2) as u8));
            let text = rng.pick(EVENTS).replace("{d}", spec.domain).replace("{p}", rng.pick(PROVINCES));
            let amount = amounts.as_ref().map(|a| a[i]);
            let text = match amount {
                Some(a) => format!("{text} จำนวน {} {}", th(a), ind.unit),
                None => text,
            };
            Event { date: format!("{y:04}-{m:02}-{d:02}"), end, text, amount, source: None }
        })
        .collect()
}

/// content/site.toml: the default site's settings, a title that says the
/// data is synthetic, and a footer that cites no document.
fn site_toml(indicators: usize) -> String {
    let title = format!("ผลการดำเนินงานตามแผนยุทธศาสตร์ (ข้อมูลสังเคราะห์ {} ตัวชี้วัด) พ.ศ. ๒๕๖๖–๒๕๗๐", th(indicators));
    let description =
        "ข้อมูลสังเคราะห์สำหรับทดสอบความเร็วและขนาดของ prongsai: ค่าเป้าหมายและผลการดำเนินงานรายปี ไม่ใช่ข้อมูลจริงของหน่วยงานใด";
    let footer = "ข้อมูลสังเคราะห์ สร้างด้วย prongsai::synthetic เพื่อทดสอบความเร็ว · ข้อมูลเปิด: [JSON](@/data/prongsai.json) · [CSV](@/data/indicators.csv)";
    format!(
        "# ข้อมูลสังเคราะห์ (synthetic): สร้างโดย prongsai::synthetic::generate\n\
         title = {}\ndescription = {}\nbase_url = \"\"\nlanguage = \"th\"\ntheme = \"default\"\n\
         digits = \"thai\"\nera = \"be\"\nfooter = {}\n\n[labels]\n",
        toml_string(&title),
        toml_string(description),
        toml_string(footer)
    )
}

/// A TOML basic string. JSON's string escapes (\" \\ \n \uXXXX) are all
/// valid TOML escapes, so serde_json's quoting is TOML's.
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A Markdown page with TOML front matter.
fn page(front: &[(&str, String)], body: &str) -> String {
    let mut out = String::from("+++\n");
    for (key, value) in front {
        out.push_str(&format!("{key} = {value}\n"));
    }
    out.push_str("+++\n\n");
    out.push_str(body);
    out.push('\n');
    out
}

/// The narrative: the overview's, and per result year an analysis page, a
/// policy page and each strategy's narrative. Paths are under content/pages/.
fn pages(g: &Generated, years: &[Year]) -> Vec<(String, String)> {
    let plan = &g.plan;
    let mut out = Vec::new();
    let last = RESULT_YEARS[RESULT_YEARS.len() - 1];
    out.push((
        "_index.md".to_string(),
        page(
            &[("title", toml_string("ภาพรวม"))],
            &format!(
                "แผนยุทธศาสตร์นี้เป็น**ข้อมูลสังเคราะห์**สำหรับทดสอบความเร็วของการสร้างเว็บไซต์ มีวิสัยทัศน์ “{}” \
                 ผ่านการขับเคลื่อนงานใน {} ยุทธศาสตร์ {} ประเด็นยุทธศาสตร์ วัตถุประสงค์เชิงยุทธศาสตร์ {} ข้อ \
                 และตัวชี้วัดระดับยุทธศาสตร์ {} ตัวชี้วัด\n\n\
                 อ่านเพิ่มเติม: [ยุทธศาสตร์ทั้งหมด](@/strategies/) · [ตัวชี้วัดทั้งหมด](@/indicators/) · \
                 [รายงานประจำปีงบประมาณ พ.ศ. {}](@/years/{last}/)",
                plan.vision,
                th(plan.strategies.len()),
                th(plan.issues.len()),
                th(plan.objectives.len()),
                th(plan.indicators.len()),
                th(last),
            ),
        ),
    ));
    for year in years {
        let fy = year.results.year;
        let total = year.tallies.iter().fold(Tally::default(), |a, t| Tally {
            indicators: a.indicators + t.indicators,
            with_target: a.with_target + t.with_target,
            achieved: a.achieved + t.achieved,
            exceeded: a.exceeded + t.exceeded,
            not_met: a.not_met + t.not_met,
        });
        let mut analysis = format!(
            "## การประเมินผลการดำเนินงานตามยุทธศาสตร์ ปีงบประมาณ พ.ศ. {}\n\n\
             ในปีงบประมาณ พ.ศ. {} มีตัวชี้วัดที่มีค่าเป้าหมาย {} ตัวชี้วัด จากทั้งหมด {} ตัวชี้วัด \
             บรรลุค่าเป้าหมาย {} ตัวชี้วัด โดยสูงกว่าค่าเป้าหมาย {} ตัวชี้วัด และยังไม่บรรลุค่าเป้าหมาย {} ตัวชี้วัด \
             รายละเอียดอยู่ใน[รายงานประจำปี](@/years/{fy}/)\n\n## ผลรายยุทธศาสตร์\n",
            th(fy),
            th(fy),
            th(total.with_target),
            th(total.indicators),
            th(total.achieved),
            th(total.exceeded),
            th(total.not_met),
        );
        for (s, t) in year.tallies.iter().enumerate() {
            analysis.push_str(&format!(
                "\n- [ยุทธศาสตร์ที่ {}](@/strategies/{}/): บรรลุค่าเป้าหมาย {} จาก {} ตัวชี้วัด",
                th(s + 1),
                s + 1,
                th(t.achieved),
                th(t.with_target)
            ));
        }
        out.push((
            format!("years/{fy}/analysis.md"),
            page(
                &[
                    ("title", toml_string(&format!("การวิเคราะห์ผลการขับเคลื่อนยุทธศาสตร์ ปีงบประมาณ พ.ศ. {}", th(fy)))),
                    ("description", toml_string("การประเมินผลและการวิเคราะห์ผลการขับเคลื่อนยุทธศาสตร์ (ข้อมูลสังเคราะห์)")),
                    ("year", fy.to_string()),
                    ("weight", "2".into()),
                ],
                &analysis,
            ),
        ));
        let policy = year.results.policy.as_ref().map_or(0, |p| p.issues.len());
        out.push((
            format!("years/{fy}/policy.md"),
            page(
                &[
                    ("title", toml_string(&format!("สรุปผลการดำเนินงานตามนโยบาย ปีงบประมาณ พ.ศ. {}", th(fy)))),
                    ("layout", toml_string("policy")),
                    ("year", fy.to_string()),
                    ("weight", "1".into()),
                ],
                &format!(
                    "เพื่อส่งเสริมสนับสนุนการขับเคลื่อนตามยุทธศาสตร์ หน่วยงานได้กำหนดให้มีการขับเคลื่อนการดำเนินงาน\
                     เชิงประเด็นสิทธิมนุษยชนตามนโยบาย {} ประเด็น โดยมีข้อเสนอแนะผ่านกระบวนการมีส่วนร่วมของทุกภาคส่วน ดังนี้",
                    th(policy)
                ),
            ),
        ));
        for (s, strategy) in plan.strategies.iter().enumerate() {
            out.push((
                format!("years/{fy}/strategies/{}.md", strategy.id),
                page(
                    &[
                        (
                            "title",
                            toml_string(&format!(
                                "ยุทธศาสตร์ที่ {}: การประเมินผลปีงบประมาณ พ.ศ. {}",
                                th(&strategy.id),
                                th(fy)
                            )),
                        ),
                        ("strategy", toml_string(&strategy.id)),
                        ("year", fy.to_string()),
                    ],
                    &narrative(plan, s, fy, &year.tallies[s], &year.shortfalls[s]),
                ),
            ));
        }
    }
    out
}

/// A strategy's narrative for a year, in the default content's words: its
/// issues, how many indicators met their targets, links to the ones that did
/// not, problems and recommendations.
fn narrative(plan: &Plan, s: usize, fy: i32, t: &Tally, shortfalls: &[(String, String)]) -> String {
    let strategy = &plan.strategies[s];
    let mut rng = Rng::new(YEAR, (fy as u64) << 40 | s as u64);
    let issues: Vec<String> = plan.issues[s * ISSUES_PER_STRATEGY..]
        .iter()
        .take_while(|i| i.strategy == strategy.id)
        .map(|i| format!("**ประเด็นยุทธศาสตร์ที่ {}** {}", th(&i.id), i.name))
        .collect();
    let goals: Vec<String> = strategy.goals.iter().map(|g| format!("“{g}”")).collect();
    let mut out = format!(
        "ยุทธศาสตร์ที่ {} {} เพื่อมุ่งสู่เป้าหมาย {} ผ่านการขับเคลื่อนประเด็นหลักที่สำคัญ {} ประเด็น ประกอบด้วย {}\n\n",
        th(&strategy.id),
        strategy.name,
        goals.join(" และ "),
        th(issues.len()),
        issues.join(" "),
    );
    out.push_str(&format!(
        "การประเมินผลสัมฤทธิ์ตามค่าเป้าหมายปีงบประมาณ พ.ศ. {} จำนวน {} ตัวชี้วัด มีผลการดำเนินงาน**บรรลุค่าเป้าหมาย** {} ตัวชี้วัด \
         โดยมีผลการดำเนินการสูงกว่าค่าเป้าหมาย จำนวน {} ตัวชี้วัด",
        th(fy),
        th(t.with_target),
        th(t.achieved),
        th(t.exceeded),
    ));
    if shortfalls.is_empty() {
        out.push_str(" และไม่มีตัวชี้วัดที่ไม่บรรลุค่าเป้าหมาย\n");
    } else {
        let links: Vec<String> =
            shortfalls.iter().take(3).map(|(id, code)| format!("[ตัวชี้วัด {}](@/indicators/{id}/)", th(code))).collect();
        out.push_str(&format!(
            " ส่วนตัวชี้วัดที่ยังไม่บรรลุค่าเป้าหมาย จำนวน {} ตัวชี้วัด เช่น {}\n",
            th(shortfalls.len()),
            links.join(" ")
        ));
    }
    out.push_str("\n## ปัญหาและอุปสรรค\n");
    for _ in 0..rng.range(1, 3) {
        out.push_str(&format!("\n- {}", rng.pick(SHORTFALLS)));
    }
    out.push_str("\n\n## ข้อเสนอแนะ\n\n");
    out.push_str(&format!(
        "ควรเร่งรัดการดำเนินงานร่วมกับภาคีเครือข่าย และติดตามผลการดำเนินงานเป็นรายไตรมาส เพื่อให้บรรลุค่าเป้าหมายในปีงบประมาณ พ.ศ. {}",
        th(fy + 1)
    ));
    out
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    std::fs::write(path, bytes)
}

/// Writes JSON as people write it: pretty, in the types' field order, and
/// whole numbers without ".0" (the types hold every figure as f64, which
/// serde_json writes as `80.0`).
fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut w = io::BufWriter::new(std::fs::File::create(path)?);
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Whole(serde_json::ser::PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// serde_json's pretty formatter, except that a whole f64 is written as an integer.
struct Whole<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for Whole<'_> {
    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        if value.fract() == 0.0 && value.abs() < 1e15 {
            write!(w, "{}", value as i64)
        } else {
            self.0.write_f64(w, value)
        }
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Copies this repository's themes into `to`: a site reads its theme from
/// `<root>/themes/<name>` only (see `config::load`), so it must be there.
fn copy_theme(to: &Path) -> io::Result<()> {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    for entry in walkdir::WalkDir::new(&from).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(&from).map_err(io::Error::other)?;
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_is_the_issues() {
        let g = plan(1000);
        let p = &g.plan;
        assert_eq!(p.indicators.len(), 1000);
        let per_objective = p.indicators.len() as f64 / p.objectives.len() as f64;
        assert!((4.5..=5.5).contains(&per_objective), "{per_objective}");
        assert_eq!(p.issues.len(), p.objectives.len().div_ceil(2));
        assert_eq!(p.strategies.len(), p.issues.len().div_ceil(3));
        assert_eq!(p.indicators[0].id, "1-1.1");
        assert_eq!(p.objectives[6].id, "2-1");
        assert_eq!(p.issues[3].id, "2.1");
    }

    #[test]
    fn a_smaller_plan_is_the_start_of_a_larger_one() {
        let small = plan(50);
        let large = plan(500);
        for (a, b) in small.plan.indicators.iter().zip(&large.plan.indicators).take(45) {
            assert_eq!(serde_json::to_string(a).unwrap(), serde_json::to_string(b).unwrap());
        }
    }

    #[test]
    fn statuses_agree_with_values_and_events_fall_in_their_year() {
        let g = plan(400);
        for year in results(&g) {
            let fy = year.results.year;
            for r in &year.results.indicators {
                let ind = g.plan.indicators.iter().find(|i| i.id == r.indicator).unwrap();
                let t = &ind.targets[&fy.to_string()];
                if let (TargetKind::Numeric, Some(v)) = (t.kind, r.value) {
                    assert_eq!(judge(v, t.value.unwrap(), t.direction.unwrap()), r.status, "{}", r.indicator);
                }
                if let Some(c) = &r.count {
                    assert!(c.done <= c.total && c.total > 0);
                    let computed = c.done as f64 / c.total as f64 * 100.0;
                    assert!((computed - r.value.unwrap()).abs() <= 0.005 + 1e-9, "{}", r.indicator);
                }
                for e in &r.events {
                    let d = crate::thai::ThaiDate::parse(&e.date).unwrap();
                    assert_eq!(d.fiscal_year(), fy, "{}", e.date);
                    if let Some(end) = &e.end {
                        assert!(crate::thai::ThaiDate::parse(end).unwrap() >= d);
                    }
                }
            }
        }
    }
}
