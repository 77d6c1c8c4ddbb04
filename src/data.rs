//! The content format: the plan (`content/plan.json`) and one results file per
//! fiscal year (`content/results/<year>.json`), their JSON Schemas, loading,
//! and the checks that make a build stop.
//!
//! The Rust types are the format: the published JSON Schemas are generated
//! from them, and the same schemas check every file before serde reads it, so
//! an editor gets the same complaint in VS Code and from `prongsai check`.
//! Doc comments on fields become the schema descriptions editors see on hover,
//! so they are written for editors, in Thai with the English term.

use crate::diagnostic::{Finding, Kind, SourceFile, closest};
use crate::document::{Located, Schema, escape};
use crate::thai::ThaiDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

/// แผนยุทธศาสตร์ (the strategic plan): its strategies, strategic issues,
/// objectives and indicators, with five-year and yearly targets.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// ที่อยู่ของ JSON Schema สำหรับตัวแก้ไข เช่น VS Code (ใช้เพื่อเติมคำและตรวจขณะพิมพ์ การสร้างเว็บไซต์ไม่ได้ใช้ช่องนี้).
    // Read and dropped: editors' pointer, never published (nor kept, so
    // that the typed data can be shared as loaded).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none", deserialize_with = "drop_schema")]
    #[schemars(with = "Option<String>")]
    pub schema: Option<String>,
    /// หน่วยงานเจ้าของแผน (the organisation).
    pub organization: Organization,
    /// ชื่อแผน (the plan's full name).
    #[schemars(with = "NonEmptyText")]
    pub name: String,
    /// ช่วงปีงบประมาณของแผน เป็นปี พ.ศ. (fiscal years, Buddhist era).
    pub period: Period,
    /// วิสัยทัศน์ (vision).
    #[schemars(with = "NonEmptyText")]
    pub vision: String,
    /// เป้าประสงค์ (goal).
    #[schemars(with = "NonEmptyText")]
    pub goal: String,
    /// เอกสารต้นทางที่ข้อมูลในไฟล์นี้มาจาก (source document); `line` ในช่อง `source` อ้างถึงบรรทัดของเอกสารนี้.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Document>,
    /// จำนวนที่เอกสารต้นทางประกาศไว้ (counts the source declares), ตรวจเทียบกับรายการจริง.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<Declared>,
    /// ยุทธศาสตร์ (strategies), ตามลำดับที่แสดง.
    pub strategies: Vec<Strategy>,
    /// ประเด็นยุทธศาสตร์ (strategic issues).
    pub issues: Vec<Issue>,
    /// วัตถุประสงค์เชิงยุทธศาสตร์ (strategic objectives).
    pub objectives: Vec<Objective>,
    /// ตัวชี้วัด (indicators).
    pub indicators: Vec<Indicator>,
}

/// หน่วยงาน (organisation).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// ชื่อเต็ม (full name).
    #[schemars(with = "NonEmptyText")]
    pub name: String,
    /// ชื่อย่อ เช่น "กสม." (short name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Text>")]
    pub short: Option<String>,
}

/// ช่วงปีงบประมาณ (a range of fiscal years, Buddhist era).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// ปีงบประมาณแรก พ.ศ. เช่น 2566.
    pub from: i32,
    /// ปีงบประมาณสุดท้าย พ.ศ. เช่น 2570.
    pub to: i32,
}

impl Period {
    pub fn years(&self) -> impl Iterator<Item = i32> + use<> {
        self.from..=self.to
    }
    pub fn contains(&self, year: i32) -> bool {
        (self.from..=self.to).contains(&year)
    }
}

/// เอกสารต้นทาง (a source document kept in the repository).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// ชื่อเอกสาร (title).
    #[schemars(with = "NonEmptyText")]
    pub title: String,
    /// ที่อยู่ไฟล์ข้อความของเอกสาร นับจากโฟลเดอร์ของเว็บไซต์ เช่น "seeds/evaluation-2566.txt".
    #[schemars(length(min = 1))]
    pub file: String,
}

/// ที่มาในเอกสารต้นทาง (where in the source document a fact comes from).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// ส่วนของเอกสาร เช่น "ตารางสรุปผลการดำเนินงาน" (section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Text>")]
    pub section: Option<String>,
    /// เลขบรรทัดในไฟล์เอกสารต้นทาง (line in the document's text file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub line: Option<u32>,
}

/// จำนวนที่เอกสารต้นทางประกาศไว้ (declared counts).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    /// จำนวนยุทธศาสตร์.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategies: Option<u32>,
    /// จำนวนประเด็นยุทธศาสตร์.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<u32>,
    /// จำนวนวัตถุประสงค์เชิงยุทธศาสตร์.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objectives: Option<u32>,
    /// จำนวนตัวชี้วัด.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators: Option<u32>,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ยุทธศาสตร์ (a strategy).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// รหัส ใช้ในที่อยู่เว็บ /strategies/<id>/ เช่น "1" (letters, digits, . - _).
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"))]
    pub id: String,
    /// ชื่อยุทธศาสตร์ (name).
    #[schemars(with = "NonEmptyText")]
    pub name: String,
    /// เป้าหมายของยุทธศาสตร์ (goals), ถ้ามี.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<Text>")]
    pub goals: Vec<String>,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ประเด็นยุทธศาสตร์ (a strategic issue).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// รหัสตามเอกสาร เช่น "1.1".
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"))]
    pub id: String,
    /// รหัสยุทธศาสตร์ที่ประเด็นนี้สังกัด (id of its strategy).
    pub strategy: String,
    /// ชื่อประเด็น (name).
    #[schemars(with = "NonEmptyText")]
    pub name: String,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// วัตถุประสงค์เชิงยุทธศาสตร์ (a strategic objective).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// รหัสไม่ซ้ำ เช่น "1-1" (ยุทธศาสตร์ 1 ข้อ 1).
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"))]
    pub id: String,
    /// เลขข้อตามเอกสาร เช่น "1".
    #[schemars(length(min = 1))]
    pub code: String,
    /// รหัสประเด็นยุทธศาสตร์ที่วัตถุประสงค์นี้สังกัด (id of its issue).
    pub issue: String,
    /// ข้อความวัตถุประสงค์ (name).
    #[schemars(with = "NonEmptyText")]
    pub name: String,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ลักษณะของค่าที่วัด (what an indicator measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// ร้อยละ 0–100.
    Percent,
    /// จำนวนนับ (หน่วยงาน คน โครงการ เรื่อง แห่ง…).
    Count,
    /// ระดับ (ระดับ 1–5).
    Level,
}

/// ทิศทางของค่าเป้าหมาย (target direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// ไม่ต่ำกว่า (at least).
    #[default]
    AtLeast,
    /// ไม่เกิน (at most).
    AtMost,
    /// เท่ากับ (exactly).
    Exactly,
}

/// ตัวชี้วัด (an indicator).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// รหัสไม่ซ้ำ ใช้ในที่อยู่เว็บ /indicators/<id>/ เช่น "3-1.1" (ยุทธศาสตร์ 3 ตัวชี้วัด 1.1).
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"))]
    pub id: String,
    /// เลขตัวชี้วัดตามที่เอกสารใช้ เช่น "1.1".
    #[schemars(length(min = 1))]
    pub code: String,
    /// รหัสวัตถุประสงค์ที่ตัวชี้วัดนี้สังกัด (id of its objective).
    pub objective: String,
    /// ชื่อตัวชี้วัด (name).
    #[schemars(with = "NonEmptyText")]
    pub name: String,
    /// หน่วยนับ เช่น "ร้อยละ" "หน่วยงาน" "คน" "โครงการ" "เรื่อง" "ระดับ" "แห่ง" (unit).
    #[schemars(with = "NonEmptyText")]
    pub unit: String,
    /// ลักษณะค่า: percent (ร้อยละ), count (จำนวน), level (ระดับ).
    pub measure: Measure,
    /// true ถ้าเป็นค่าสะสม (cumulative) ข้ามปี.
    #[serde(default)]
    pub cumulative: bool,
    /// จำนวนทศนิยมที่แสดง (decimals shown); ค่าปริยาย 2 สำหรับร้อยละ 0 สำหรับอื่น ๆ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 4))]
    pub decimals: Option<u8>,
    /// ค่าเป้าหมายเมื่อสิ้นแผน (five-year target).
    pub target: Target,
    /// ค่าเป้าหมายรายปี: ชื่อช่องคือปีงบประมาณ พ.ศ. เช่น "2566" (yearly targets by fiscal year).
    #[serde(default)]
    pub targets: BTreeMap<String, YearTarget>,
    /// หมายเหตุของผู้จัดทำข้อมูล (editor's note), แสดงบนหน้าตัวชี้วัด.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Text>")]
    pub note: Option<String>,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

impl Indicator {
    pub fn decimals(&self) -> u8 {
        self.decimals.unwrap_or(if self.measure == Measure::Percent { 2 } else { 0 })
    }
}

/// ค่าเป้าหมายเมื่อสิ้นแผน (a five-year target).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// ค่าเป้าหมาย (value).
    pub value: f64,
    /// ทิศทาง: at_least (ไม่ต่ำกว่า), at_most (ไม่เกิน), exactly (เท่ากับ).
    #[serde(default)]
    pub direction: Direction,
    /// ถ้อยคำตามเอกสาร เช่น "50 หน่วย/จังหวัด" (wording as the source states it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Text>")]
    pub text: Option<String>,
    /// หน่วยตามที่เอกสารเขียนไว้ ถ้าต่างจากหน่วยนับของตัวชี้วัด เช่น "หน่วย/จังหวัด" (the source's unit, when it is not the indicator's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<NonEmptyText>")]
    pub unit: Option<String>,
    /// true เมื่อเอกสารไม่ได้เขียนทิศทาง (เช่น "ไม่ต่ำกว่า") และผู้จัดทำข้อมูลอนุมานเอง (the direction is the editor's inference).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub direction_inferred: bool,
}

/// ชนิดของค่าเป้าหมายรายปี (kind of yearly target).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// ค่าตัวเลข ต้องมี value และ direction.
    Numeric,
    /// ผลสำเร็จเชิงคุณภาพที่เขียนเป็นถ้อยคำ ต้องมี text เช่น "การหา Baseline".
    Milestone,
    /// ปีนี้ยังไม่ประเมิน ต้องมี first_year (ปีที่เริ่มประเมิน).
    NotAssessed,
}

/// ค่าเป้าหมายของปีงบประมาณหนึ่ง (one fiscal year's target).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearTarget {
    /// numeric (ตัวเลข), milestone (ถ้อยคำ), not_assessed (ยังไม่ประเมินปีนี้).
    pub kind: TargetKind,
    /// ค่าเป้าหมาย สำหรับ numeric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// ทิศทาง สำหรับ numeric: at_least (ไม่ต่ำกว่า), at_most (ไม่เกิน), exactly (เท่ากับ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// ถ้อยคำตามเอกสาร (wording as the source states it); จำเป็นสำหรับ milestone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Text>")]
    pub text: Option<String>,
    /// ปีงบประมาณที่เริ่มประเมิน สำหรับ not_assessed (first assessed in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_year: Option<i32>,
    /// ค่าเป้าหมายในปีที่เริ่มประเมิน ตามที่เอกสารระบุ สำหรับ not_assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_value: Option<f64>,
    /// หน่วยตามที่เอกสารเขียนไว้ ถ้าต่างจากหน่วยนับของตัวชี้วัด เช่น "หน่วย/องค์กร".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<NonEmptyText>")]
    pub unit: Option<String>,
    /// true เมื่อเอกสารไม่ได้เขียนทิศทาง และผู้จัดทำข้อมูลอนุมานเอง.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub direction_inferred: bool,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ผลการดำเนินงานของปีงบประมาณหนึ่ง (one fiscal year's results).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Results {
    /// ที่อยู่ของ JSON Schema สำหรับตัวแก้ไข เช่น VS Code (ใช้เพื่อเติมคำและตรวจขณะพิมพ์ การสร้างเว็บไซต์ไม่ได้ใช้ช่องนี้).
    // Read and dropped: editors' pointer, never published (nor kept, so
    // that the typed data can be shared as loaded).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none", deserialize_with = "drop_schema")]
    #[schemars(with = "Option<String>")]
    pub schema: Option<String>,
    /// ปีงบประมาณ พ.ศ. ต้องตรงกับชื่อไฟล์ เช่น 2566 ในไฟล์ results/2566.json.
    pub year: i32,
    /// เอกสารต้นทางของผลปีนี้ (source document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Document>,
    /// วันที่เผยแพร่ผลของปีนี้ แบบ ปปปป-ดด-วว ปี พ.ศ. เช่น 2567-01-15: ใช้ลงวันที่ในฟีด (atom.xml); ไม่ระบุใช้วันสิ้นปีงบประมาณ (30 กันยายน).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// ผลรายตัวชี้วัด (results by indicator).
    pub indicators: Vec<IndicatorResult>,
    /// ตัวชี้วัดที่ยังรอผลของปีนี้ (indicators still awaiting a result), สร้างโดย `prongsai new-year`: เมื่อได้ผลแล้ว ย้ายไปเป็นรายการใน indicators (หรือนำเข้าจากตารางด้วย `prongsai sheet import`). เว็บไซต์ไม่แสดงรายการเหล่านี้ และ `check` เตือนว่ายังไม่มีผล.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<Pending>,
    /// ข้อมูลรายยุทธศาสตร์: จำนวนโครงการ และสรุปที่เอกสารระบุ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strategies: Vec<StrategyReport>,
    /// สรุปภาพรวมตามที่เอกสารระบุ (overall counts as the source states them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<StatedCounts>,
    /// จำนวนโครงการเชิงยุทธศาสตร์ทั้งหมดของปี.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<Projects>,
    /// ข้อเสนอแนะเชิงนโยบายของปี (policy recommendations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    /// ข้อสังเกตของผู้จัดทำข้อมูล: ความไม่สอดคล้องในเอกสารที่ตรวจจากตัวเลขไม่ได้ (editor's findings, with the source line).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<EditorFinding>,
}

/// ข้อสังเกตของผู้จัดทำข้อมูลหนึ่งข้อ (one inconsistency of the source the editor states).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditorFinding {
    /// รหัสตัวชี้วัดใน plan.json ที่ข้อสังเกตนี้เกี่ยวข้อง (ถ้ามี).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// รหัสยุทธศาสตร์ที่ข้อสังเกตนี้เกี่ยวข้อง (ถ้ามี และไม่ได้ระบุ indicator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// ข้อสังเกต เป็นประโยคภาษาไทย.
    #[schemars(with = "NonEmptyText")]
    pub text: String,
    /// บรรทัดในเอกสารต้นทางที่ข้อสังเกตอ้างถึง (อย่างน้อยหนึ่งบรรทัด).
    #[schemars(length(min = 1))]
    pub lines: Vec<u32>,
}

/// สถานะผลการดำเนินงาน (status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// สูงกว่าค่าเป้าหมาย.
    Exceeded,
    /// บรรลุค่าเป้าหมาย.
    Met,
    /// ไม่บรรลุค่าเป้าหมาย.
    NotMet,
    /// ยังไม่ประเมิน (ไม่มีค่าเป้าหมายในปีนี้).
    NotAssessed,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Exceeded, Status::Met, Status::NotMet, Status::NotAssessed];

    /// Met or exceeded.
    pub fn achieved(self) -> bool {
        matches!(self, Status::Exceeded | Status::Met)
    }

    pub fn key(self) -> &'static str {
        match self {
            Status::Exceeded => "exceeded",
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::NotAssessed => "not_assessed",
        }
    }
}

/// ผลของตัวชี้วัดหนึ่งในปีนี้ (one indicator's result).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorResult {
    /// รหัสตัวชี้วัดใน plan.json (indicator id).
    pub indicator: String,
    /// สถานะที่เว็บไซต์เผยแพร่: exceeded (สูงกว่าค่าเป้าหมาย), met (บรรลุ), not_met (ไม่บรรลุ), not_assessed (ยังไม่ประเมิน).
    pub status: Status,
    /// ค่าผลการดำเนินงาน (value), ถ้ามี.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// หน่วยของค่าผลตามที่เอกสารนับ ถ้าต่างจากหน่วยนับของตัวชี้วัด เช่น "กิจกรรม" ในตัวชี้วัดที่นับเป็นโครงการ (ใช้กับ statements ด้วย).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<NonEmptyText>")]
    pub unit: Option<String>,
    /// จำนวนที่อยู่เบื้องหลังค่าร้อยละ เช่น 73 จาก 110 คำร้อง.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Count>,
    /// สรุปผลการดำเนินงาน (summary); เขียนแบบ Markdown ได้.
    #[schemars(with = "NonEmptyText")]
    pub summary: String,
    /// กิจกรรมที่มีวันที่ (dated activities).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// ที่อื่นในเอกสารที่กล่าวถึงผลนี้ ซึ่งอาจระบุตัวเลขต่างกัน (other statements of this result).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
    /// หมายเหตุของผู้จัดทำข้อมูล เช่น เหตุผลที่เลือกเผยแพร่ตัวเลขหนึ่ง (editor's note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Text>")]
    pub note: Option<String>,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ตัวชี้วัดที่ยังรอผล (an indicator whose result for the year is not in yet).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// รหัสตัวชี้วัดใน plan.json (indicator id).
    pub indicator: String,
    /// ค่าเป้าหมายของปีนี้ตามแผน แสดงไว้ให้ผู้กรอกเห็นเท่านั้น (the year's target as the plan states it, for the editor; the site reads targets from plan.json).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// จำนวนที่ทำได้จากทั้งหมด (a count and its total).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Count {
    /// จำนวนที่ทำได้ (done), เช่น 73.
    pub done: u64,
    /// จำนวนทั้งหมด (total), เช่น 110.
    pub total: u64,
    /// หน่วยของจำนวน เช่น "คำร้อง" "ฉบับ".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Text>")]
    pub unit: Option<String>,
}

/// กิจกรรมที่มีวันที่ (a dated activity).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// วันที่ แบบ ปปปป-ดด-วว ปี พ.ศ. เช่น "2565-12-21".
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub date: String,
    /// วันสุดท้าย ถ้ากิจกรรมกินเวลาหลายวัน แบบเดียวกับ date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub end: Option<String>,
    /// รายละเอียดกิจกรรม.
    #[schemars(with = "NonEmptyText")]
    pub text: String,
    /// จำนวนที่กิจกรรมนี้นับเข้าในผล เช่น ผู้เข้าร่วม 90 คน (ถ้าระบุทุกกิจกรรม ผลรวมต้องเท่ากับ value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ข้อความในเอกสารที่กล่าวถึงผลเดียวกัน (another place that states this result).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// ตำแหน่งในเอกสาร เช่น "ส่วนที่ ๕ ข้อ ๑)".
    #[serde(rename = "where")]
    #[schemars(with = "NonEmptyText")]
    pub place: String,
    /// เลขบรรทัดในไฟล์เอกสารต้นทาง.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub line: Option<u32>,
    /// ค่าผลที่ระบุในตำแหน่งนี้.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// ค่าเป้าหมายของปีที่ระบุในตำแหน่งนี้.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// จำนวนที่ระบุในตำแหน่งนี้ (อาจเป็นไปไม่ได้ เช่น มากกว่าทั้งหมด: บันทึกตามเอกสาร).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<StatedCount>,
    /// สถานะที่ระบุในตำแหน่งนี้.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// ข้อความที่ยกมาจากเอกสาร (quotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// จำนวนตามที่เอกสารระบุ (a count as stated, possibly inconsistent).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StatedCount {
    /// จำนวนที่ทำได้ตามที่ระบุ.
    pub done: u64,
    /// จำนวนทั้งหมดตามที่ระบุ.
    pub total: u64,
}

/// ข้อมูลรายยุทธศาสตร์ของปี (a strategy's figures for the year).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategyReport {
    /// รหัสยุทธศาสตร์.
    pub strategy: String,
    /// จำนวนโครงการที่สนับสนุนและขับเคลื่อนในปีนี้.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<u32>,
    /// จำนวนโครงการที่วางแผนไว้สำหรับปีถัดไป.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_year_projects: Option<u32>,
    /// สรุปตามที่เอกสารระบุ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<StatedCounts>,
}

/// จำนวนตัวชี้วัดตามที่เอกสารสรุปไว้ (counts as the source states them).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct StatedCounts {
    /// จำนวนตัวชี้วัดที่ประเมิน.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators: Option<u32>,
    /// จำนวนตัวชี้วัดที่มีค่าเป้าหมายในปีนี้.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_target: Option<u32>,
    /// จำนวนที่บรรลุหรือสูงกว่าค่าเป้าหมาย.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met: Option<u32>,
    /// จำนวนที่สูงกว่าค่าเป้าหมาย.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exceeded: Option<u32>,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// จำนวนโครงการเชิงยุทธศาสตร์ทั้งหมด (total strategic projects).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Projects {
    /// จำนวนรวม.
    pub total: u32,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ข้อเสนอแนะเชิงนโยบาย (policy recommendations).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// จำนวนประเด็นที่เอกสารระบุ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_issues: Option<u32>,
    /// จำนวนเรื่อง (ข้อเสนอแนะ) ที่เอกสารระบุ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_recommendations: Option<u32>,
    /// ประเด็นและข้อเสนอแนะ.
    pub issues: Vec<PolicyIssue>,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ประเด็นนโยบายหนึ่ง (one policy issue).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyIssue {
    /// ชื่อประเด็น.
    #[schemars(with = "NonEmptyText")]
    pub name: String,
    /// จำนวนเรื่องที่เอกสารระบุสำหรับประเด็นนี้.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_count: Option<u32>,
    /// ข้อเสนอแนะที่เอกสารระบุชื่อไว้.
    #[serde(default)]
    #[schemars(with = "Vec<Text>")]
    pub recommendations: Vec<String>,
    /// ที่มา.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// ข้อความ: เขียนเป็นภาษาไทยอย่างเดียว หรือแยกตามภาษา {"th": "…", "en": "…"} เมื่อเว็บไซต์มีหลายภาษา (a text: Thai, or a map of languages with Thai required).
///
/// Only the schema's: the Rust field stays a `String`, the text in one
/// language, because a file is read once per language of the site, each
/// map replaced by its language's text first (see [`localize`]).
pub struct Text;

/// A [`Text`] that may not be empty.
pub struct NonEmptyText;

fn text_schema(min: u64) -> schemars::Schema {
    schemars::json_schema!({
        "anyOf": [
            { "type": "string", "minLength": min },
            {
                "type": "object",
                "description": "ข้อความแยกตามภาษา: \"th\" ต้องมี ภาษาอื่นใส่ตามรหัสภาษา เช่น \"en\" (the text per language)",
                "patternProperties": { "^[a-z]{2,3}$": { "type": "string", "minLength": min } },
                "required": ["th"],
                "additionalProperties": false
            }
        ]
    })
}

impl JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        TEXT_DEF.into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        text_schema(0)
    }
}

impl JsonSchema for NonEmptyText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        NON_EMPTY_TEXT_DEF.into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        text_schema(1)
    }
}

const TEXT_DEF: &str = "Text";
const NON_EMPTY_TEXT_DEF: &str = "NonEmptyText";

/// Calls `f` with every text of `value` (where `schema` has a [`Text`]) and
/// its JSON pointer.
fn visit_texts(
    root: &Value,
    schema: &Value,
    value: &mut Value,
    pointer: &mut String,
    f: &mut dyn FnMut(&str, &mut Value),
) {
    let mut schema = schema;
    while let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
        if name == TEXT_DEF || name == NON_EMPTY_TEXT_DEF {
            f(pointer, value);
            return;
        }
        match root.get("$defs").and_then(|d| d.get(name)) {
            Some(s) => schema = s,
            None => return,
        }
    }
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let sub = schema
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()));
                if let Some(sub) = sub {
                    pointer.push('/');
                    pointer.push_str(&escape(key));
                    visit_texts(root, sub, v, pointer, f);
                    pointer.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, v) in items.iter_mut().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    visit_texts(root, sub, v, pointer, f);
                    pointer.truncate(len);
                }
            }
        }
        _ => {}
    }
}

/// Makes every text of `value` the text in `lang` (a map of languages
/// becomes its `lang` text, or its Thai where it has none); returns where
/// the Thai was used instead, unless `lang` is the main language.
fn localize(schema: &Value, value: &mut Value, lang: &str, main: &str) -> Vec<String> {
    let mut missing = Vec::new();
    visit_texts(schema, schema, value, &mut String::new(), &mut |pointer, v| {
        let text = match v {
            Value::Object(map) => match map.get(lang).or_else(|| map.get(main)) {
                Some(t) => {
                    if lang != main && !map.contains_key(lang) {
                        missing.push(pointer.to_string());
                    }
                    t.clone()
                }
                None => return,
            },
            _ => {
                if lang != main && v.is_string() {
                    missing.push(pointer.to_string());
                }
                return;
            }
        };
        *v = text;
    });
    missing
}

/// Writes every text of `value` (a content file of `schema`) as a map of
/// languages: its Thai, and `translate` of it in `lang` (a map that has
/// `lang` already keeps it). For generated content: the synthetic plans of
/// the benchmarks and tests.
pub fn add_translation(schema: &Schema, value: &mut Value, lang: &str, translate: &dyn Fn(&str) -> String) {
    visit_texts(&schema.json, &schema.json, value, &mut String::new(), &mut |_, v| match v {
        Value::String(thai) => {
            let mut map = serde_json::Map::new();
            map.insert(MAIN_LANGUAGE.into(), Value::String(thai.clone()));
            map.insert(lang.into(), Value::String(translate(thai)));
            *v = Value::Object(map);
        }
        Value::Object(map) if !map.contains_key(lang) => {
            let thai = map.get(MAIN_LANGUAGE).and_then(Value::as_str).unwrap_or_default();
            let text = translate(thai);
            map.insert(lang.into(), Value::String(text));
        }
        _ => {}
    });
}

/// A content file read in another language of the site.
#[derive(Debug, Clone)]
pub struct Translation<T> {
    /// "en".
    pub lang: String,
    pub data: std::sync::Arc<T>,
    /// The texts with no translation into it (the Thai stands in), by pointer.
    pub missing: Vec<String>,
}

/// The main language of content files: a map of languages must have it.
pub const MAIN_LANGUAGE: &str = "th";

/// A JSON Schema generated from a content type, as published in `schemas/`.
/// `Option` fields are optional, not nullable: `null` is a mistake to report.
pub fn schema_json<T: JsonSchema>() -> Value {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.transforms.push(Box::new(NoNull));
    let generator = settings.into_generator();
    let schema = generator.into_root_schema_for::<T>();
    schema.to_value()
}

/// Removes the `null` alternative schemars adds to `Option` fields.
#[derive(Debug, Clone)]
struct NoNull;

impl schemars::transform::Transform for NoNull {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        if let Some(obj) = schema.as_object_mut() {
            if let Some(Value::Array(types)) = obj.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let t = types[0].clone();
                    obj.insert("type".into(), t);
                }
            }
            if let Some(Value::Array(any)) = obj.get("anyOf").cloned() {
                let rest: Vec<Value> =
                    any.into_iter().filter(|s| s.get("type") != Some(&Value::from("null"))).collect();
                if rest.len() == 1 {
                    obj.remove("anyOf");
                    if let Value::Object(inner) = &rest[0] {
                        for (k, v) in inner {
                            obj.entry(k.clone()).or_insert(v.clone());
                        }
                    }
                }
            }
            if let Some(Value::Array(options)) = obj.get_mut("enum") {
                options.retain(|o| !o.is_null());
            }
            // schemars names the Rust number type ("uint64", "int32"…): editors
            // ignore it and so does the validator, so a year of 99999999999
            // would pass the schema and fail later with a programmer's message.
            // Turn it into the bounds it means.
            if let Some(Value::String(format)) = obj.get("format").cloned() {
                let bounds: Option<(i64, u64)> = match format.as_str() {
                    "uint8" => Some((0, u8::MAX.into())),
                    "uint16" => Some((0, u16::MAX.into())),
                    "uint32" => Some((0, u32::MAX.into())),
                    "uint64" | "uint" => Some((0, u64::MAX)),
                    "int8" => Some((i8::MIN.into(), i8::MAX as u64)),
                    "int16" => Some((i16::MIN.into(), i16::MAX as u64)),
                    "int32" => Some((i32::MIN.into(), i32::MAX as u64)),
                    "int64" | "int" => Some((i64::MIN, i64::MAX as u64)),
                    _ => None,
                };
                if let Some((min, max)) = bounds {
                    obj.entry("minimum").or_insert(min.into());
                    obj.entry("maximum").or_insert(max.into());
                }
                if bounds.is_some() || format == "double" || format == "float" {
                    obj.remove("format");
                }
            }
        }
        schemars::transform::transform_subschemas(self, schema);
    }
}

/// The compiled schemas, made once per process.
pub fn plan_schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| Schema::new(schema_json::<Plan>()))
}

pub fn results_schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| Schema::new(schema_json::<Results>()))
}

/// A content file after loading: the typed data, where each value came from,
/// and the text (for excerpts in later findings).
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// Shared: the preview's session keeps what it loaded, and each save's
    /// build reads it without copying (at scale, tens of megabytes).
    pub data: std::sync::Arc<T>,
    /// Where each value stands in `src`. The parsed value itself is dropped
    /// once the typed data is read: at scale it is hundreds of megabytes.
    /// Shared, as is the text: the preview's session keeps the files it
    /// loaded, and a build takes them from it without copying either.
    pub doc: std::sync::Arc<Located>,
    pub src: std::sync::Arc<SourceFile>,
    /// The source lines the file cites, collected before its parsed value
    /// was dropped, for the check that each line exists.
    pub cited: Cited,
    /// The file in each other language of the site, in the site's order.
    pub translations: Vec<Translation<T>>,
}

/// A file's citations of its source document.
#[derive(Debug, Clone, Default)]
pub struct Cited {
    /// `document.file`, as written.
    pub document: Option<String>,
    /// Every `line`, with the pointer of the field.
    pub lines: Vec<(String, u64)>,
}

impl<T> Loaded<T> {
    /// A finding at the value `pointer` of this file.
    pub fn finding(&self, kind: Kind, pointer: &str, message: impl Into<String>) -> Finding {
        self.doc.finding(&self.src, kind, pointer, message)
    }
}

/// Reads a text file under the site root (never through a link that leaves
/// it); errors name the file.
pub fn read_source(root: &Path, rel: &str) -> Result<SourceFile, Finding> {
    SourceFile::decode(rel, crate::files::read(root, rel)?)
}

/// Loads one JSON content file: decode, parse, check against its schema,
/// then read into its type. Every problem found is returned, not just the first.
pub fn load_json<T: DeserializeOwned>(src: SourceFile, schema: &Schema) -> Result<Loaded<T>, Vec<Finding>> {
    load_json_in(src, schema, &[])
}

/// [`load_json`], reading the file also in each of the site's other
/// languages `langs`.
pub fn load_json_in<T: DeserializeOwned>(
    src: SourceFile,
    schema: &Schema,
    langs: &[String],
) -> Result<Loaded<T>, Vec<Finding>> {
    let doc = crate::document::parse_json(&src)?;
    typed_in(doc, src, schema, langs)
}

/// Checks a parsed document (JSON or TOML) against its schema, then reads it
/// into its type.
pub fn typed<T: DeserializeOwned>(doc: Located, src: SourceFile, schema: &Schema) -> Result<Loaded<T>, Vec<Finding>> {
    typed_in(doc, src, schema, &[])
}

/// [`typed`], and in each language of `langs`.
pub fn typed_in<T: DeserializeOwned>(
    doc: Located,
    src: SourceFile,
    schema: &Schema,
    langs: &[String],
) -> Result<Loaded<T>, Vec<Finding>> {
    let findings = schema.check(&doc, &src);
    if !findings.is_empty() {
        return Err(findings);
    }
    let mut doc = doc;
    let mut translations = Vec::with_capacity(langs.len());
    for lang in langs {
        let mut value = doc.value.clone();
        let missing = localize(&schema.json, &mut value, lang, MAIN_LANGUAGE);
        match T::deserialize(&value) {
            Ok(data) => translations.push(Translation { lang: lang.clone(), data: std::sync::Arc::new(data), missing }),
            Err(e) => return Err(vec![unreadable(&src.path, &e)]),
        }
    }
    // A map of languages always has the Thai: a file without one has only
    // plain texts and is read as it is.
    if src.text.contains("\"th\"") {
        localize(&schema.json, &mut doc.value, MAIN_LANGUAGE, MAIN_LANGUAGE);
    }
    // Read from the parsed value in place: a copy of it is the size of the
    // file several times over.
    match T::deserialize(&doc.value) {
        Ok(data) => {
            let document = doc.value.get("document").and_then(|d| d.get("file")).and_then(Value::as_str);
            let mut cited = Cited { document: document.map(str::to_string), lines: Vec::new() };
            collect_lines(&doc.value, &mut String::new(), &mut cited.lines);
            doc.value = Value::Null;
            let data = std::sync::Arc::new(data);
            Ok(Loaded { data, doc: std::sync::Arc::new(doc), src: std::sync::Arc::new(src), cited, translations })
        }
        // The schema and the type come from the same definitions, so this is
        // a bug in prongsai rather than in the content; still say where.
        Err(e) => Err(vec![unreadable(&src.path, &e)]),
    }
}

/// Reads an editor's `$schema` pointer and keeps nothing of it.
fn drop_schema<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| None)
}

/// A file that passed its schema but still could not be read into its type:
/// a gap between the schema and the type, so a prongsai bug, said as such.
pub fn unreadable(path: &str, e: &serde_json::Error) -> Finding {
    Finding::new(Kind::InvalidValue, path, "อ่านข้อมูลในไฟล์นี้ไม่ได้ แม้รูปแบบจะถูกต้องตามที่ตรวจได้")
        .with_help(format!("นี่เป็นข้อบกพร่องของ prongsai: โปรดแจ้งผู้ดูแลพร้อมไฟล์นี้ (รายละเอียดสำหรับผู้ดูแล: {e})"))
}

/// The plan and every year's results, loaded.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub plan: Loaded<Plan>,
    /// Sorted by year.
    pub results: Vec<Loaded<Results>>,
}

impl Dataset {
    /// The dataset in the site's other language `lang`: each file read in
    /// it (its texts translated, or the Thai where a text has none), with
    /// the same positions and text for findings.
    pub fn in_language(&self, lang: &str) -> Dataset {
        fn one<T: Clone>(l: &Loaded<T>, lang: &str) -> Loaded<T> {
            let data =
                l.translations.iter().find(|t| t.lang == lang).map_or_else(|| l.data.clone(), |t| t.data.clone());
            Loaded { data, doc: l.doc.clone(), src: l.src.clone(), cited: l.cited.clone(), translations: Vec::new() }
        }
        Dataset { plan: one(&self.plan, lang), results: self.results.iter().map(|r| one(r, lang)).collect() }
    }

    /// Drops what only the checks use, once every finding has been made:
    /// the parsed documents with their positions (at scale the largest
    /// thing in memory) and the other languages' copies. The typed data is
    /// all later steps read. (The editors' `$schema` pointers are not kept
    /// when a file is read.)
    pub fn drop_editing_aids(&mut self) {
        self.plan.doc = Default::default();
        // Each other language's copy was taken when its site was made.
        self.plan.translations = Vec::new();
        for r in &mut self.results {
            r.doc = Default::default();
            r.translations = Vec::new();
        }
    }
}

/// Where a plan entity sits in plan.json, for findings.
fn ptr(list: &str, i: usize, field: &str) -> String {
    if field.is_empty() { format!("/{list}/{i}") } else { format!("/{list}/{i}/{}", escape(field)) }
}

/// The checks that stop a build: duplicate ids, references to things that
/// do not exist, years outside the plan, impossible values, targets that
/// lack what their kind needs, source lines past the end of the document.
pub fn validate(data: &Dataset, documents: &HashMap<String, SourceFile>) -> Vec<Finding> {
    let mut out = Vec::new();
    let plan = &data.plan;
    let p = &plan.data;

    if p.period.from > p.period.to {
        out.push(
            plan.finding(
                Kind::ImpossibleValue,
                "/period",
                format!("ช่วงปีกลับด้าน: เริ่ม {} แต่จบ {}", p.period.from, p.period.to),
            )
            .with_help("ให้ from เป็นปีแรกและ to เป็นปีสุดท้าย"),
        );
    }
    for (field, year) in [("from", p.period.from), ("to", p.period.to)] {
        if year < 2400 {
            out.push(
                plan.finding(Kind::InvalidValue, &format!("/period/{field}"), format!("ปี {year} ดูเหมือนเป็น ค.ศ."))
                    .with_help(format!("ใช้ปี พ.ศ. เช่น {}", year + crate::thai::BE_OFFSET)),
            );
        }
    }

    let strategy_ids = unique_ids(plan, "strategies", p.strategies.iter().map(|s| s.id.as_str()), &mut out);
    let issue_ids = unique_ids(plan, "issues", p.issues.iter().map(|s| s.id.as_str()), &mut out);
    let objective_ids = unique_ids(plan, "objectives", p.objectives.iter().map(|s| s.id.as_str()), &mut out);
    let indicator_ids = unique_ids(plan, "indicators", p.indicators.iter().map(|s| s.id.as_str()), &mut out);

    for (i, issue) in p.issues.iter().enumerate() {
        check_ref(
            plan,
            &ptr("issues", i, "strategy"),
            &issue.strategy,
            &strategy_ids,
            "ยุทธศาสตร์",
            "strategies",
            &mut out,
        );
    }
    for (i, o) in p.objectives.iter().enumerate() {
        check_ref(plan, &ptr("objectives", i, "issue"), &o.issue, &issue_ids, "ประเด็นยุทธศาสตร์", "issues", &mut out);
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        check_ref(
            plan,
            &ptr("indicators", i, "objective"),
            &ind.objective,
            &objective_ids,
            "วัตถุประสงค์",
            "objectives",
            &mut out,
        );
        check_indicator(plan, i, ind, &mut out);
    }
    check_source_lines(plan, documents, &mut out);

    let index = crate::index::Index::new(data);
    let mut seen_years: HashMap<i32, &str> = HashMap::new();
    for res in &data.results {
        let r = &res.data;
        if let Some(stem) = Path::new(&res.src.path).file_stem().and_then(|s| s.to_str()) {
            if stem != r.year.to_string() {
                out.push(
                    res.finding(Kind::InvalidValue, "/year", format!("ไฟล์ชื่อ {stem} แต่ระบุปี {}", r.year))
                        .with_help(format!("ตั้งชื่อไฟล์เป็น results/{}.json หรือแก้ year ให้ตรงกับชื่อไฟล์", r.year)),
                );
            }
        }
        if !p.period.contains(r.year) {
            out.push(
                res.finding(
                    Kind::YearOutsidePlan,
                    "/year",
                    format!("ปีงบประมาณ {} อยู่นอกช่วงของแผน ({}–{})", r.year, p.period.from, p.period.to),
                )
                .with_help("ตรวจปีให้ถูก หรือขยายช่วงปีของแผนใน plan.json (period)"),
            );
        }
        if let Some(text) = &r.published {
            if let Err(reason) = ThaiDate::parse(text) {
                out.push(
                    res.finding(Kind::InvalidValue, "/published", format!("วันที่ \"{text}\" ใช้ไม่ได้: {reason}"))
                        .with_help("เขียนวันที่แบบ ปปปป-ดด-วว ปี พ.ศ. เช่น 2567-01-15"),
                );
            }
        }
        if let Some(other) = seen_years.insert(r.year, &res.src.path) {
            out.push(
                res.finding(Kind::DuplicateId, "/year", format!("มีผลของปี {} อยู่แล้วในไฟล์ {other}", r.year))
                    .with_help("รวมเป็นไฟล์เดียวต่อปี"),
            );
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, ir) in r.indicators.iter().enumerate() {
            let base = ptr("indicators", i, "");
            if check_ref(
                res,
                &format!("{base}/indicator"),
                &ir.indicator,
                &indicator_ids,
                "ตัวชี้วัด",
                "indicators",
                &mut out,
            ) {
                if let Some(first) = seen.insert(&ir.indicator, i) {
                    out.push(
                        res.finding(
                            Kind::DuplicateId,
                            &format!("{base}/indicator"),
                            format!(
                                "ตัวชี้วัด \"{}\" มีผลสองรายการในปีเดียวกัน (รายการแรกคือ indicators[{first}])",
                                ir.indicator
                            ),
                        )
                        .with_help("รวมเป็นรายการเดียว"),
                    );
                }
            }
            let indicator = index.indicator(&ir.indicator);
            check_result_values(res, &base, ir, indicator, &mut out);
        }
        // A pending entry is a placeholder: it must name an indicator of the
        // plan that has no result yet, or the editor would fill in one of two
        // places and the other would silently win.
        let mut waiting: HashMap<&str, usize> = HashMap::new();
        for (i, pending) in r.pending.iter().enumerate() {
            let at = format!("{}/indicator", ptr("pending", i, ""));
            if !check_ref(res, &at, &pending.indicator, &indicator_ids, "ตัวชี้วัด", "indicators", &mut out)
            {
                continue;
            }
            if let Some(first) = waiting.insert(&pending.indicator, i) {
                out.push(
                    res.finding(
                        Kind::DuplicateId,
                        &at,
                        format!("ตัวชี้วัด \"{}\" อยู่ในรายการรอผลสองครั้ง (ครั้งแรกคือ pending[{first}])", pending.indicator),
                    )
                    .with_help("ลบรายการที่ซ้ำออก"),
                );
            } else if let Some(&first) = seen.get(pending.indicator.as_str()) {
                out.push(
                    res.finding(
                        Kind::DuplicateId,
                        &at,
                        format!(
                            "ตัวชี้วัด \"{}\" มีผลแล้วใน indicators[{first}] แต่ยังอยู่ในรายการรอผล (pending)",
                            pending.indicator
                        ),
                    )
                    .with_help("ลบรายการนี้ออกจาก pending เมื่อใส่ผลใน indicators แล้ว"),
                );
            }
        }
        for (i, sr) in r.strategies.iter().enumerate() {
            check_ref(
                res,
                &ptr("strategies", i, "strategy"),
                &sr.strategy,
                &strategy_ids,
                "ยุทธศาสตร์",
                "strategies",
                &mut out,
            );
        }
        for (i, ef) in r.findings.iter().enumerate() {
            if let Some(id) = &ef.indicator {
                check_ref(res, &ptr("findings", i, "indicator"), id, &indicator_ids, "ตัวชี้วัด", "indicators", &mut out);
            }
            if let Some(id) = &ef.strategy {
                check_ref(res, &ptr("findings", i, "strategy"), id, &strategy_ids, "ยุทธศาสตร์", "strategies", &mut out);
            }
        }
        check_source_lines(res, documents, &mut out);
    }
    out
}

fn unique_ids<'a, T>(
    file: &Loaded<T>,
    list: &str,
    ids: impl Iterator<Item = &'a str>,
    out: &mut Vec<Finding>,
) -> HashSet<&'a str> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(first) = seen.insert(id, i) {
            out.push(
                file.finding(Kind::DuplicateId, &ptr(list, i, "id"), format!("รหัส \"{id}\" ซ้ำกับ {list}[{first}]"))
                    .with_help("รหัสต้องไม่ซ้ำกัน: เปลี่ยนรหัสของรายการใดรายการหนึ่ง"),
            );
        }
    }
    seen.into_keys().collect()
}

/// Checks that `id` names an existing entity; returns whether it does.
fn check_ref<T>(
    file: &Loaded<T>,
    pointer: &str,
    id: &str,
    known: &HashSet<&str>,
    what: &str,
    list: &str,
    out: &mut Vec<Finding>,
) -> bool {
    if known.contains(id) {
        return true;
    }
    let mut sorted: Vec<&str> = known.iter().copied().collect();
    sorted.sort();
    let help = match closest(id, sorted.iter().copied()) {
        Some(s) => format!("หมายถึง \"{s}\" หรือไม่? รหัสต้องตรงกับ id ใน {list} ของ plan.json"),
        None => format!("ใช้รหัสที่มีใน {list} ของ plan.json: {}", sorted.join(", ")),
    };
    out.push(file.finding(Kind::UnknownReference, pointer, format!("ไม่มี{what}รหัส \"{id}\" ในแผน")).with_help(help));
    false
}

fn check_indicator(plan: &Loaded<Plan>, i: usize, ind: &Indicator, out: &mut Vec<Finding>) {
    let period = plan.data.period;
    let base = ptr("indicators", i, "");
    check_magnitude(plan, &format!("{base}/target/value"), ind.target.value, ind, out);
    for (year, t) in &ind.targets {
        let tp = format!("{base}/targets/{}", escape(year));
        match year.parse::<i32>() {
            Ok(y) if period.contains(y) => {}
            _ => {
                let mut f = plan.doc.finding_at_key(
                    &plan.src,
                    Kind::YearOutsidePlan,
                    &tp,
                    format!("ปี \"{year}\" ไม่อยู่ในช่วงของแผน ({}–{})", period.from, period.to),
                );
                f.help = Some("ชื่อช่องใน targets ต้องเป็นปีงบประมาณ พ.ศ. ในช่วงของแผน เช่น \"2566\"".into());
                out.push(f);
            }
        }
        match t.kind {
            TargetKind::Numeric => {
                match t.value {
                    None => out.push(
                        plan.finding(Kind::MissingField, &tp, "ค่าเป้าหมายชนิด numeric ต้องมี \"value\"")
                            .with_field(crate::document::field_name(&format!("{tp}/value")))
                            .with_help("เพิ่ม \"value\": ตัวเลข และ \"direction\": \"at_least\""),
                    ),
                    Some(v) => check_magnitude(plan, &format!("{tp}/value"), v, ind, out),
                }
                if t.direction.is_none() {
                    out.push(
                        plan.finding(Kind::MissingField, &tp, "ค่าเป้าหมายชนิด numeric ต้องมี \"direction\"")
                            .with_field(crate::document::field_name(&format!("{tp}/direction")))
                            .with_help("เพิ่ม \"direction\": \"at_least\" (ไม่ต่ำกว่า), \"at_most\" (ไม่เกิน) หรือ \"exactly\" (เท่ากับ)"),
                    );
                }
            }
            TargetKind::Milestone => {
                if t.text.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    out.push(
                        plan.finding(
                            Kind::MissingField,
                            &tp,
                            "ค่าเป้าหมายชนิด milestone ต้องมี \"text\" ที่บอกว่าต้องทำอะไรให้สำเร็จ",
                        )
                        .with_field(crate::document::field_name(&format!("{tp}/text")))
                        .with_help("เพิ่ม \"text\": \"ถ้อยคำค่าเป้าหมายตามเอกสาร\""),
                    );
                }
            }
            TargetKind::NotAssessed => match t.first_year {
                None => out.push(
                    plan.finding(
                        Kind::MissingField,
                        &tp,
                        "ค่าเป้าหมายชนิด not_assessed ต้องบอก \"first_year\" ว่าเริ่มประเมินปีใด",
                    )
                    .with_field(crate::document::field_name(&format!("{tp}/first_year")))
                    .with_help("เพิ่ม \"first_year\": ปี พ.ศ. เช่น 2568"),
                ),
                Some(fy) if !period.contains(fy) => out.push(
                    plan.finding(
                        Kind::YearOutsidePlan,
                        &format!("{tp}/first_year"),
                        format!("ปีที่เริ่มประเมิน {fy} อยู่นอกช่วงของแผน ({}–{})", period.from, period.to),
                    )
                    .with_help("ตรวจปีให้ถูก (ปี พ.ศ.)"),
                ),
                Some(_) => {}
            },
        }
    }
}

/// A value that cannot be for the indicator's measure: a negative number, a
/// percentage above 100.
fn check_magnitude<T>(file: &Loaded<T>, pointer: &str, v: f64, ind: &Indicator, out: &mut Vec<Finding>) {
    if v < 0.0 {
        out.push(
            file.finding(Kind::ImpossibleValue, pointer, format!("ค่า {v} ติดลบ ซึ่งเป็นไปไม่ได้สำหรับ{}", ind.unit))
                .with_help("ตรวจตัวเลขกับเอกสารต้นทาง"),
        );
    } else if ind.measure == Measure::Percent && v > 100.0 {
        out.push(
            file.finding(Kind::ImpossibleValue, pointer, format!("ร้อยละ {v} เกิน 100 ซึ่งเป็นไปไม่ได้"))
                .with_help("ตรวจตัวเลขกับเอกสารต้นทาง: ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
        );
    }
}

fn check_result_values(
    res: &Loaded<Results>,
    base: &str,
    ir: &IndicatorResult,
    indicator: Option<&Indicator>,
    out: &mut Vec<Finding>,
) {
    if let (Some(v), Some(ind)) = (ir.value, indicator) {
        check_magnitude(res, &format!("{base}/value"), v, ind, out);
    }
    if let Some(c) = &ir.count {
        if c.done > c.total {
            out.push(
                res.finding(
                    Kind::ImpossibleValue,
                    &format!("{base}/count/done"),
                    format!("จำนวนที่ทำได้ ({}) มากกว่าจำนวนทั้งหมด ({}) ซึ่งเป็นไปไม่ได้", c.done, c.total),
                )
                .with_help(
                    "ตรวจตัวเลขกับเอกสารต้นทาง ถ้าเอกสารระบุเช่นนี้จริง ให้ย้ายจำนวนนี้ไปไว้ใน statements (ตามที่เอกสารระบุ) แล้วอธิบายใน note",
                ),
            );
        }
        if c.total == 0 {
            out.push(
                res.finding(Kind::ImpossibleValue, &format!("{base}/count/total"), "จำนวนทั้งหมดเป็น 0 จึงคิดเป็นร้อยละไม่ได้")
                    .with_help("ตรวจตัวเลขกับเอกสารต้นทาง หรือลบ count ออก"),
            );
        }
    }
    for (j, ev) in ir.events.iter().enumerate() {
        for (field, text) in [("date", Some(&ev.date)), ("end", ev.end.as_ref())] {
            if let Some(text) = text {
                if let Err(reason) = ThaiDate::parse(text) {
                    out.push(
                        res.finding(
                            Kind::InvalidValue,
                            &format!("{base}/events/{j}/{field}"),
                            format!("วันที่ \"{text}\" ใช้ไม่ได้: {reason}"),
                        )
                        .with_help("เขียนวันที่แบบ ปปปป-ดด-วว ปี พ.ศ. เช่น 2565-12-21"),
                    );
                }
            }
        }
        if let (Ok(a), Some(Ok(b))) = (ThaiDate::parse(&ev.date), ev.end.as_deref().map(ThaiDate::parse)) {
            if b < a {
                out.push(
                    res.finding(Kind::ImpossibleValue, &format!("{base}/events/{j}/end"), "วันสุดท้ายอยู่ก่อนวันเริ่ม")
                        .with_help("สลับ date กับ end หรือแก้วันที่"),
                );
            }
        }
    }
}

/// Source lines must exist in the file's document; a file that gives lines
/// must name its document.
fn check_source_lines<T: Serialize>(file: &Loaded<T>, documents: &HashMap<String, SourceFile>, out: &mut Vec<Finding>) {
    let doc_file = file.cited.document.as_deref();
    let document = doc_file.and_then(|f| documents.get(f));
    // Counted as editors and `wc -l` count: a final line break does not
    // start another line. Counted once: a results file cites thousands of lines.
    let line_count = document.map(|d| d.text.lines().count());
    for (pointer, line) in file.cited.lines.iter().cloned() {
        match (doc_file, document) {
            (None, _) => {
                out.push(
                    file.finding(Kind::MissingField, &pointer, "อ้างเลขบรรทัดแต่ไฟล์นี้ไม่ได้ระบุเอกสารต้นทาง")
                        .with_field("document")
                        .with_help("เพิ่ม \"document\": { \"title\": …, \"file\": … } ที่ต้นไฟล์"),
                );
                return;
            }
            (Some(_), None) => return, // the missing document is reported once, by the loader
            (Some(_), Some(d)) if line as usize > line_count.unwrap_or(0) => out.push(
                file.finding(
                    Kind::InvalidValue,
                    &pointer,
                    format!("เอกสารต้นทางมีเพียง {} บรรทัด ไม่มีบรรทัดที่ {line}", line_count.unwrap_or(0)),
                )
                .with_help(format!("ตรวจเลขบรรทัดใน {}", d.path)),
            ),
            _ => {}
        }
    }
}

fn collect_lines(v: &Value, pointer: &mut String, out: &mut Vec<(String, u64)>) {
    // One pointer buffer, extended and cut back on the way down and up: a
    // results file has millions of values and only thousands of lines.
    let len = pointer.len();
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                pointer.push('/');
                pointer.push_str(&escape(k));
                if k == "line" {
                    if let Some(n) = child.as_u64() {
                        out.push((pointer.clone(), n));
                    }
                } else if let (true, Some(lines)) = (k == "lines", child.as_array()) {
                    // An editor's finding cites several lines.
                    for (i, n) in lines.iter().enumerate() {
                        if let Some(n) = n.as_u64() {
                            out.push((format!("{pointer}/{i}"), n));
                        }
                    }
                } else {
                    collect_lines(child, pointer, out);
                }
                pointer.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                use std::fmt::Write;
                let _ = write!(pointer, "/{i}");
                collect_lines(child, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Every published schema, by file name, as written to `schemas/`.
pub fn published_schemas() -> Vec<(&'static str, Value)> {
    vec![
        ("plan.schema.json", plan_schema().json.clone()),
        ("results.schema.json", results_schema().json.clone()),
        ("site.schema.json", crate::config::site_schema().json.clone()),
        ("theme.schema.json", crate::config::theme_schema().json.clone()),
        ("front-matter.schema.json", crate::content::front_matter_schema().json.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_have_no_nullable_options() {
        let s = schema_json::<Results>().to_string();
        assert!(!s.contains("\"null\""), "{s}");
    }

    #[test]
    fn schema_rejects_unknown_field_with_suggestion() {
        let src = SourceFile::new(
            "content/results/2566.json",
            "{\n  \"year\": 2566,\n  \"indicators\": [\n    {\"indicator\": \"a\", \"status\": \"met\", \"summary\": \"x\", \"vaule\": 1}\n  ]\n}".into(),
        );
        let err = load_json::<Results>(src, results_schema()).unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err[0].kind, Kind::UnknownField);
        assert_eq!(err[0].line, Some(4));
        assert_eq!(err[0].field.as_deref(), Some("indicators[0].vaule"));
        assert!(err[0].help.as_deref().unwrap().contains("\"value\""));
    }

    #[test]
    fn schema_reports_wrong_type_and_enum() {
        let src = SourceFile::new(
            "r.json",
            "{\"year\": 2566, \"indicators\": [{\"indicator\": \"a\", \"status\": \"achieved\", \"summary\": \"x\", \"value\": \"66.36%\"}]}".into(),
        );
        let err = load_json::<Results>(src, results_schema()).unwrap_err();
        let kinds: Vec<Kind> = err.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&Kind::WrongType), "{err:?}");
        assert!(kinds.contains(&Kind::InvalidValue), "{err:?}");
        let wt = err.iter().find(|f| f.kind == Kind::WrongType).unwrap();
        assert!(wt.help.as_deref().unwrap().contains("66.36"));
    }

    #[test]
    fn schema_reports_missing_field_with_description() {
        let src = SourceFile::new(
            "r.json",
            "{\"year\": 2566, \"indicators\": [{\"indicator\": \"a\", \"summary\": \"x\"}]}".into(),
        );
        let err = load_json::<Results>(src, results_schema()).unwrap_err();
        assert_eq!(err[0].kind, Kind::MissingField);
        assert_eq!(err[0].field.as_deref(), Some("indicators[0].status"));
    }

    #[test]
    fn enum_values_get_the_closest_choice_and_every_meaning() {
        let src = SourceFile::new(
            "r.json",
            "{\"year\": 2566, \"indicators\": [{\"indicator\": \"a\", \"status\": \"not met\", \"summary\": \"x\"}]}"
                .into(),
        );
        let err = load_json::<Results>(src, results_schema()).unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err[0].kind, Kind::InvalidValue);
        assert_eq!(err[0].message, "ค่า \"not met\" ใช้ไม่ได้ในช่องนี้");
        let help = err[0].help.as_deref().unwrap();
        assert!(help.starts_with("หมายถึง \"not_met\" หรือไม่?"), "{help}");
        assert!(help.contains("\"exceeded\" = สูงกว่าค่าเป้าหมาย"), "{help}");
    }

    #[test]
    fn numbers_beyond_their_type_are_caught_by_the_schema() {
        // Without bounds in the schema, these passed the check and failed
        // later with a programmer's message.
        let src = SourceFile::new(
            "r.json",
            "{\"year\": 99999999999, \"indicators\": [{\"indicator\": \"a\", \"status\": \"met\", \"summary\": \"x\", \"count\": {\"done\": 1e30, \"total\": 2}}]}".into(),
        );
        let err = load_json::<Results>(src, results_schema()).unwrap_err();
        let fields: Vec<_> = err.iter().map(|f| (f.kind, f.field.clone().unwrap_or_default())).collect();
        assert!(fields.contains(&(Kind::ImpossibleValue, "year".into())), "{err:?}");
        assert!(fields.contains(&(Kind::ImpossibleValue, "indicators[0].count.done".into())), "{err:?}");
        let src = SourceFile::new("r.json", "{\"year\": 2566.0, \"indicators\": []}".into());
        assert_eq!(load_json::<Results>(src, results_schema()).unwrap().data.year, 2566);
    }

    #[test]
    fn missing_fields_name_the_object_by_its_id() {
        let src = SourceFile::new(
            "r.json",
            "{\"year\": 2566, \"indicators\": [{\"indicator\": \"3-1.1\", \"status\": \"met\"}]}".into(),
        );
        let err = load_json::<Results>(src, results_schema()).unwrap_err();
        assert_eq!(err[0].message, "ขาดช่อง \"summary\" ที่ต้องมี ใน indicators[0] (ตัวชี้วัด \"3-1.1\")");
    }

    #[test]
    fn negative_counts_are_impossible() {
        let src = SourceFile::new(
            "r.json",
            "{\"year\": 2566, \"indicators\": [{\"indicator\": \"a\", \"status\": \"met\", \"summary\": \"x\", \"count\": {\"done\": -1, \"total\": 3}}]}".into(),
        );
        let err = load_json::<Results>(src, results_schema()).unwrap_err();
        assert_eq!(err[0].kind, Kind::ImpossibleValue, "{err:?}");
        assert_eq!(err[0].field.as_deref(), Some("indicators[0].count.done"));
    }
}
