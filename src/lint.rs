//! Consistency checks on well-formed content: the kind of error that slips
//! into annual reports. They warn (the build goes on, unless `--strict`), and
//! each warning is also shown to readers on the page it concerns, because a
//! transparency site that publishes an inconsistency without a word is not
//! transparent.

use crate::data::{Dataset, Direction, Indicator, IndicatorResult, Measure, Results, Status, TargetKind, YearTarget};
use crate::diagnostic::{Finding, Kind};
use crate::thai::{ThaiDate, format_number};
use std::collections::BTreeMap;

/// What a finding is about, so that the site can show it where it belongs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// One indicator in one fiscal year (year `None`: across years).
    Indicator { id: String, year: Option<i32> },
    /// One strategy in one fiscal year.
    Strategy { id: String, year: i32 },
    /// A fiscal year as a whole.
    Year(i32),
    /// The plan as a whole.
    Plan,
}

/// A lint warning and what it is about.
#[derive(Debug, Clone)]
pub struct Observation {
    pub subject: Subject,
    pub finding: Finding,
}

/// How far a percentage may be from its counts and still be the same figure
/// rounded to `decimals` places.
fn tolerance(decimals: u8) -> f64 {
    0.5 * 10f64.powi(-i32::from(decimals)) + 1e-9
}

fn n(v: f64, decimals: u8) -> String {
    format_number(v, decimals)
}

/// Runs every consistency check over the dataset.
pub fn lint(data: &Dataset) -> Vec<Observation> {
    let mut out = Vec::new();
    let plan = &data.plan.data;
    let strategies = strategy_index(plan);
    let label = |ind: &Indicator| indicator_label(strategies.get(ind.id.as_str()).copied(), ind);
    check_declared(data, &mut out);
    for (i, ind) in plan.indicators.iter().enumerate() {
        check_final_target(data, i, ind, &label(ind), &mut out);
    }
    for res in &data.results {
        let year = res.data.year;
        for (i, ir) in res.data.indicators.iter().enumerate() {
            let Some(ind) = plan.indicators.iter().find(|x| x.id == ir.indicator) else { continue };
            let base = format!("/indicators/{i}");
            let ctx = Ctx { res, base: &base, ind, ir, year, label: label(ind) };
            ctx.percent(&mut out);
            ctx.status(&mut out);
            ctx.statements(&mut out);
            ctx.events(&mut out);
        }
        check_missing_results(data, res, &label, &mut out);
        check_stated_counts(data, res, &mut out);
        check_projects(res, &mut out);
        check_policy(res, &mut out);
    }
    check_cumulative(data, &label, &mut out);
    out.sort_by(|a, b| {
        (a.finding.file.as_str(), a.finding.line, a.finding.column, &a.finding.message).cmp(&(
            b.finding.file.as_str(),
            b.finding.line,
            b.finding.column,
            &b.finding.message,
        ))
    });
    out
}

struct Ctx<'a> {
    res: &'a crate::data::Loaded<Results>,
    base: &'a str,
    ind: &'a Indicator,
    ir: &'a IndicatorResult,
    year: i32,
    label: String,
}

/// "ยุทธศาสตร์ 3 ตัวชี้วัด 1.1": how the source names an indicator.
fn indicator_label(strategy: Option<&str>, ind: &Indicator) -> String {
    match strategy {
        Some(s) => format!("ยุทธศาสตร์ {s} ตัวชี้วัด {}", ind.code),
        None => format!("ตัวชี้วัด {} ({})", ind.code, ind.id),
    }
}

impl Ctx<'_> {
    fn subject(&self) -> Subject {
        Subject::Indicator { id: self.ind.id.clone(), year: Some(self.year) }
    }

    fn push(&self, out: &mut Vec<Observation>, kind: Kind, field: &str, message: String, help: &str) {
        let pointer = format!("{}{field}", self.base);
        out.push(Observation {
            subject: self.subject(),
            finding: self.res.finding(kind, &pointer, message).with_help(help),
        });
    }

    fn label(&self) -> &str {
        &self.label
    }

    fn target(&self) -> Option<&YearTarget> {
        self.ind.targets.get(&self.year.to_string())
    }

    /// A percentage that does not match its own counts, in the published
    /// figures and in each other statement of the source.
    fn percent(&self, out: &mut Vec<Observation>) {
        if self.ind.measure != Measure::Percent {
            return;
        }
        let d = self.ind.decimals();
        if let (Some(v), Some(c)) = (self.ir.value, &self.ir.count) {
            if c.total > 0 {
                let computed = c.done as f64 / c.total as f64 * 100.0;
                if (computed - v).abs() > tolerance(d) {
                    self.push(
                        out,
                        Kind::PercentMismatch,
                        "/value",
                        format!(
                            "{}: ร้อยละ {} ไม่ตรงกับจำนวน {} จาก {} ซึ่งคิดเป็นร้อยละ {}",
                            self.label(),
                            n(v, d),
                            c.done,
                            c.total,
                            n(computed, d)
                        ),
                        "ตรวจตัวเลขกับเอกสารต้นทาง ถ้าเอกสารระบุไว้เช่นนี้ ให้อธิบายใน note",
                    );
                }
            }
        }
        for (j, st) in self.ir.statements.iter().enumerate() {
            if let (Some(v), Some(c)) = (st.value, &st.count) {
                if c.total > 0 {
                    let computed = c.done as f64 / c.total as f64 * 100.0;
                    if (computed - v).abs() > tolerance(d) {
                        self.push(
                            out,
                            Kind::PercentMismatch,
                            &format!("/statements/{j}/value"),
                            format!(
                                "{}: {} ระบุร้อยละ {} แต่จำนวนที่ระบุคู่กัน ({} จาก {}) คิดเป็นร้อยละ {}",
                                self.label(),
                                st.place,
                                n(v, d),
                                c.done,
                                c.total,
                                n(computed, d)
                            ),
                            "เป็นความคลาดเคลื่อนในเอกสารต้นทาง: บันทึกไว้ตามเอกสาร และอธิบายใน note ว่าเว็บไซต์เผยแพร่ตัวเลขใด",
                        );
                    }
                }
            }
            if let Some(c) = &st.count {
                if c.done > c.total {
                    self.push(
                        out,
                        Kind::CountAboveTotal,
                        &format!("/statements/{j}/count"),
                        format!(
                            "{}: {} ระบุจำนวน {} จากทั้งหมด {} ซึ่งมากกว่าจำนวนทั้งหมด",
                            self.label(),
                            st.place,
                            c.done,
                            c.total
                        ),
                        "เป็นความคลาดเคลื่อนในเอกสารต้นทาง: บันทึกไว้ตามเอกสาร และอธิบายใน note",
                    );
                }
            }
        }
    }

    /// A status that contradicts the year's target and the value.
    fn status(&self, out: &mut Vec<Observation>) {
        let status = self.ir.status;
        let d = self.ind.decimals();
        let Some(target) = self.target() else {
            if status != Status::NotAssessed {
                self.push(
                    out,
                    Kind::StatusContradiction,
                    "/status",
                    format!(
                        "{}: สถานะ \"{}\" แต่แผนไม่ได้กำหนดค่าเป้าหมายของปี {} ไว้",
                        self.label(),
                        status_word(status),
                        self.year
                    ),
                    "เพิ่มค่าเป้าหมายของปีนี้ใน plan.json (targets) หรือเปลี่ยนสถานะเป็น not_assessed",
                );
            }
            return;
        };
        match target.kind {
            TargetKind::NotAssessed => {
                if status != Status::NotAssessed {
                    self.push(
                        out,
                        Kind::StatusContradiction,
                        "/status",
                        format!(
                            "{}: สถานะ \"{}\" แต่ปี {} ไม่มีค่าเป้าหมาย (เริ่มประเมินปี {})",
                            self.label(),
                            status_word(status),
                            self.year,
                            target.first_year.map_or("-".into(), |y| y.to_string())
                        ),
                        "ตัวชี้วัดที่ยังไม่ถึงปีประเมินควรมีสถานะ not_assessed",
                    );
                }
            }
            TargetKind::Milestone => {
                if status == Status::NotAssessed {
                    self.push(
                        out,
                        Kind::StatusContradiction,
                        "/status",
                        format!("{}: สถานะ \"ยังไม่ประเมิน\" แต่ปี {} มีค่าเป้าหมาย", self.label(), self.year),
                        "ใส่สถานะตามผลการประเมิน",
                    );
                }
            }
            TargetKind::Numeric => {
                let (Some(t), Some(dir)) = (target.value, target.direction) else { return };
                let Some(v) = self.ir.value else {
                    if status != Status::NotAssessed {
                        self.push(
                            out,
                            Kind::StatusContradiction,
                            "/status",
                            format!(
                                "{}: สถานะ \"{}\" แต่ไม่มีค่าผลให้เทียบกับค่าเป้าหมาย {}",
                                self.label(),
                                status_word(status),
                                n(t, d)
                            ),
                            "ใส่ค่าผล (value) ที่ใช้ตัดสินสถานะ",
                        );
                    }
                    return;
                };
                let expected = judge(v, t, dir);
                let contradicts = match status {
                    Status::NotAssessed => true,
                    Status::NotMet => expected.achieved(),
                    Status::Met => !expected.achieved(),
                    Status::Exceeded => expected != Status::Exceeded,
                };
                if contradicts {
                    self.push(
                        out,
                        Kind::StatusContradiction,
                        "/status",
                        format!(
                            "{}: สถานะ \"{}\" ขัดกับผล {} เทียบค่าเป้าหมาย{} {} (ควรเป็น \"{}\")",
                            self.label(),
                            status_word(status),
                            n(v, d),
                            direction_word(dir),
                            n(t, d),
                            status_word(expected)
                        ),
                        "ตรวจสถานะ ค่าผล และค่าเป้าหมายกับเอกสารต้นทาง",
                    );
                }
            }
        }
    }

    /// The same figure stated differently in another place of the source.
    fn statements(&self, out: &mut Vec<Observation>) {
        let d = self.ind.decimals();
        let source_name =
            self.ir.source.as_ref().and_then(|s| s.section.clone()).unwrap_or_else(|| "ข้อมูลที่เผยแพร่".into());
        for (j, st) in self.ir.statements.iter().enumerate() {
            let field = |f: &str| format!("/statements/{j}/{f}");
            if let (Some(sv), Some(v)) = (st.value, self.ir.value) {
                if (sv - v).abs() > tolerance(d) {
                    self.push(
                        out,
                        Kind::StatedDifferently,
                        &field("value"),
                        format!(
                            "{}: ผลระบุไว้ต่างกัน: {} ระบุ {} แต่{} ระบุ {}",
                            self.label(),
                            source_name,
                            n(v, d),
                            st.place,
                            n(sv, d)
                        ),
                        "บันทึกทั้งสองค่าตามเอกสาร และอธิบายใน note ว่าเว็บไซต์เผยแพร่ค่าใดเพราะเหตุใด",
                    );
                }
            }
            if let Some(st_target) = st.target {
                let published = self.target().and_then(|t| t.value.or(t.first_value));
                if let Some(t) = published {
                    if (st_target - t).abs() > tolerance(d) {
                        self.push(
                            out,
                            Kind::StatedDifferently,
                            &field("target"),
                            format!(
                                "{}: ค่าเป้าหมายปี {} ระบุไว้ต่างกัน: แผนระบุ {} แต่{} ระบุ {}",
                                self.label(),
                                self.year,
                                n(t, d),
                                st.place,
                                n(st_target, d)
                            ),
                            "บันทึกทั้งสองค่าตามเอกสาร และอธิบายใน note",
                        );
                    }
                }
            }
            if let Some(ss) = st.status {
                let status = self.ir.status;
                let target = self.target();
                if ss != Status::NotAssessed && target.is_none_or(|t| t.kind == TargetKind::NotAssessed) {
                    // The source gives a status where there was nothing to assess.
                    let when =
                        target.and_then(|t| t.first_year).map_or(String::new(), |y| format!(" (เริ่มประเมินปี {y})"));
                    self.push(
                        out,
                        Kind::StatusContradiction,
                        &field("status"),
                        format!(
                            "{}: {} ระบุสถานะ \"{}\" ทั้งที่ปี {} ไม่มีค่าเป้าหมาย{when}",
                            self.label(),
                            st.place,
                            status_word(ss),
                            self.year
                        ),
                        "บันทึกสถานะตามเอกสารไว้ใน statements และเผยแพร่สถานะ not_assessed พร้อมอธิบายใน note",
                    );
                } else if !(ss == status || (ss.achieved() && status.achieved())) {
                    // A table with only "met / not met" columns that ticks
                    // "met" agrees with "exceeded".
                    self.push(
                        out,
                        Kind::StatedDifferently,
                        &field("status"),
                        format!(
                            "{}: สถานะระบุไว้ต่างกัน: เว็บไซต์เผยแพร่ \"{}\" แต่{} ระบุ \"{}\"",
                            self.label(),
                            status_word(status),
                            st.place,
                            status_word(ss)
                        ),
                        "บันทึกทั้งสองตามเอกสาร และอธิบายใน note",
                    );
                }
            }
            if let (Some(sc), Some(c)) = (&st.count, &self.ir.count) {
                if sc.done != c.done || sc.total != c.total {
                    self.push(
                        out,
                        Kind::StatedDifferently,
                        &field("count"),
                        format!(
                            "{}: จำนวนระบุไว้ต่างกัน: {} จาก {} และ {} จาก {} ({})",
                            self.label(),
                            c.done,
                            c.total,
                            sc.done,
                            sc.total,
                            st.place
                        ),
                        "บันทึกทั้งสองค่าตามเอกสาร และอธิบายใน note",
                    );
                }
            }
        }
    }

    /// Dates outside the fiscal year, and amounts that do not add up.
    fn events(&self, out: &mut Vec<Observation>) {
        let fy = self.year;
        for (j, ev) in self.ir.events.iter().enumerate() {
            for (field, text) in [("date", Some(&ev.date)), ("end", ev.end.as_ref())] {
                let Some(Ok(date)) = text.map(|t| ThaiDate::parse(t)) else { continue };
                if date.fiscal_year() != fy {
                    self.push(
                        out,
                        Kind::DateOutsideYear,
                        &format!("/events/{j}/{field}"),
                        format!(
                            "{}: วันที่ {} อยู่นอกปีงบประมาณ {} (1 ต.ค. {} – 30 ก.ย. {}) ที่รายงานผลนี้",
                            self.label(),
                            crate::thai::Numerals { digits: crate::thai::Digits::Arabic, era: crate::thai::Era::Be }
                                .date(date),
                            fy,
                            fy - 1,
                            fy
                        ),
                        "ตรวจปีของวันที่กับเอกสารต้นทาง (อาจพิมพ์ปีผิด) ถ้าเอกสารระบุเช่นนี้จริง ให้บันทึกตามเอกสารและอธิบายใน note",
                    );
                }
            }
        }
        let amounts: Option<Vec<u64>> = self.ir.events.iter().map(|e| e.amount).collect();
        if let (Some(amounts), Some(v)) = (amounts, self.ir.value) {
            if !amounts.is_empty() && self.ind.measure == Measure::Count {
                let sum: u64 = amounts.iter().sum();
                if (sum as f64 - v).abs() > 1e-9 {
                    self.push(
                        out,
                        Kind::TotalMismatch,
                        "/value",
                        format!(
                            "{}: ผลรวมของกิจกรรม ({}) ไม่เท่ากับค่าผล {}",
                            self.label(),
                            amounts.iter().map(u64::to_string).collect::<Vec<_>>().join(" + "),
                            n(v, 0)
                        ),
                        "ตรวจจำนวนในแต่ละกิจกรรม (amount) และค่าผล (value)",
                    );
                }
            }
        }
    }
}

/// The status a value earns against a target.
pub fn judge(value: f64, target: f64, dir: Direction) -> Status {
    let eps = 1e-9;
    match dir {
        Direction::AtLeast if value > target + eps => Status::Exceeded,
        Direction::AtLeast if value >= target - eps => Status::Met,
        Direction::AtMost if value < target - eps => Status::Exceeded,
        Direction::AtMost if value <= target + eps => Status::Met,
        Direction::Exactly if (value - target).abs() <= eps => Status::Met,
        _ => Status::NotMet,
    }
}

pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Exceeded => "สูงกว่าค่าเป้าหมาย",
        Status::Met => "บรรลุ",
        Status::NotMet => "ไม่บรรลุ",
        Status::NotAssessed => "ยังไม่ประเมิน",
    }
}

pub fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::AtLeast => "ไม่ต่ำกว่า",
        Direction::AtMost => "ไม่เกิน",
        Direction::Exactly => "เท่ากับ",
    }
}

/// Counts the source declares for the plan against what the plan lists.
fn check_declared(data: &Dataset, out: &mut Vec<Observation>) {
    let plan = &data.plan;
    let Some(dec) = &plan.data.declared else { return };
    let p = &plan.data;
    let actual = [
        ("strategies", "ยุทธศาสตร์", dec.strategies, p.strategies.len()),
        ("issues", "ประเด็นยุทธศาสตร์", dec.issues, p.issues.len()),
        ("objectives", "วัตถุประสงค์", dec.objectives, p.objectives.len()),
        ("indicators", "ตัวชี้วัด", dec.indicators, p.indicators.len()),
    ];
    for (field, word, declared, count) in actual {
        if let Some(d) = declared {
            if d as usize != count {
                out.push(Observation {
                    subject: Subject::Plan,
                    finding: plan
                        .finding(
                            Kind::TotalMismatch,
                            &format!("/declared/{field}"),
                            format!("เอกสารระบุว่ามี{word} {d} แต่แผนมีรายการ {count}"),
                        )
                        .with_help("ตรวจว่าบันทึกครบทุกรายการ"),
                });
            }
        }
    }
}

/// For a cumulative indicator, the last year's target is the five-year target.
fn check_final_target(data: &Dataset, i: usize, ind: &Indicator, label: &str, out: &mut Vec<Observation>) {
    let plan = &data.plan;
    let last = plan.data.period.to;
    if !ind.cumulative {
        return;
    }
    let Some(t) = ind.targets.get(&last.to_string()) else { return };
    let Some(v) = t.value else { return };
    if (v - ind.target.value).abs() > tolerance(ind.decimals()) {
        out.push(Observation {
            subject: Subject::Indicator { id: ind.id.clone(), year: None },
            finding: plan
                .finding(
                    Kind::StatedDifferently,
                    &format!("/indicators/{i}/targets/{last}/value"),
                    format!(
                        "{label}: เป็นค่าสะสม แต่ค่าเป้าหมายปีสุดท้าย ({last}) คือ {} ไม่เท่ากับค่าเป้าหมายเมื่อสิ้นแผน {}",
                        n(v, ind.decimals()),
                        n(ind.target.value, ind.decimals())
                    ),
                )
                .with_help("ตรวจว่าค่าเป้าหมายถูกปรับหรือไม่ และอธิบายใน note"),
        });
    }
}

/// A year with a numeric target but no result.
fn check_missing_results(
    data: &Dataset,
    res: &crate::data::Loaded<Results>,
    label: &dyn Fn(&Indicator) -> String,
    out: &mut Vec<Observation>,
) {
    let year = res.data.year;
    for ind in &data.plan.data.indicators {
        let Some(t) = ind.targets.get(&year.to_string()) else { continue };
        if t.kind != TargetKind::Numeric {
            continue;
        }
        let result = res.data.indicators.iter().position(|r| r.indicator == ind.id);
        let missing = match result {
            None => true,
            Some(i) => res.data.indicators[i].value.is_none(),
        };
        if missing {
            let pointer = result.map_or("/indicators".to_string(), |i| format!("/indicators/{i}"));
            out.push(Observation {
                subject: Subject::Indicator { id: ind.id.clone(), year: Some(year) },
                finding: res
                    .finding(
                        Kind::MissingResult,
                        &pointer,
                        format!("{} มีค่าเป้าหมายตัวเลขในปี {year} แต่ไม่มีค่าผล", label(ind)),
                    )
                    .with_help("เพิ่มผล (value) ของตัวชี้วัดนี้ หรือถ้ายังไม่มีผล ให้ระบุสถานะ not_assessed พร้อม note"),
            });
        }
    }
}

/// Computed counts of a set of results: how many indicators, with a target
/// this year, met or exceeded, exceeded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub indicators: u32,
    pub with_target: u32,
    pub achieved: u32,
    pub exceeded: u32,
    pub not_met: u32,
    pub not_assessed: u32,
}

impl Tally {
    pub fn of<'a>(items: impl Iterator<Item = (&'a Indicator, Option<&'a IndicatorResult>)>, year: i32) -> Tally {
        let mut t = Tally::default();
        for (ind, r) in items {
            t.indicators += 1;
            let has_target = ind.targets.get(&year.to_string()).is_some_and(|t| t.kind != TargetKind::NotAssessed);
            if has_target {
                t.with_target += 1;
            }
            match r.map(|r| r.status) {
                Some(Status::Exceeded) => {
                    t.achieved += 1;
                    t.exceeded += 1;
                }
                Some(Status::Met) => t.achieved += 1,
                Some(Status::NotMet) => t.not_met += 1,
                Some(Status::NotAssessed) | None => t.not_assessed += 1,
            }
        }
        t
    }
}

/// Per-strategy and overall counts as the source states them, against the counts of the data.
fn check_stated_counts(data: &Dataset, res: &crate::data::Loaded<Results>, out: &mut Vec<Observation>) {
    let plan = &data.plan.data;
    let year = res.data.year;
    let strategy_of = strategy_index(plan);
    let results: BTreeMap<&str, &IndicatorResult> =
        res.data.indicators.iter().map(|r| (r.indicator.as_str(), r)).collect();
    let tally_for = |sid: Option<&str>| {
        Tally::of(
            plan.indicators
                .iter()
                .filter(|ind| sid.is_none_or(|s| strategy_of.get(ind.id.as_str()).copied() == Some(s)))
                .map(|ind| (ind, results.get(ind.id.as_str()).copied())),
            year,
        )
    };
    let mut compare =
        |stated: &crate::data::StatedCounts, tally: Tally, pointer: &str, who: String, subject: Subject| {
            let pairs = [
                ("indicators", "ตัวชี้วัด", stated.indicators, tally.indicators),
                ("with_target", "ตัวชี้วัดที่มีค่าเป้าหมายในปีนี้", stated.with_target, tally.with_target),
                ("met", "ตัวชี้วัดที่บรรลุหรือสูงกว่าค่าเป้าหมาย", stated.met, tally.achieved),
                ("exceeded", "ตัวชี้วัดที่สูงกว่าค่าเป้าหมาย", stated.exceeded, tally.exceeded),
            ];
            for (field, word, s, actual) in pairs {
                if let Some(s) = s {
                    if s != actual {
                        let extra = if field == "met" && tally.not_assessed > 0 {
                            format!(" ({} ตัวชี้วัดยังไม่ประเมินในปีนี้)", tally.not_assessed)
                        } else {
                            String::new()
                        };
                        out.push(Observation {
                            subject: subject.clone(),
                            finding: res
                                .finding(
                                    Kind::TotalMismatch,
                                    &format!("{pointer}/{field}"),
                                    format!("{who}: เอกสารสรุปว่ามี{word} {s} แต่ข้อมูลรายตัวชี้วัดนับได้ {actual}{extra}"),
                                )
                                .with_help(
                                    "ตรวจสรุปของเอกสารกับผลรายตัวชี้วัด: บันทึกตัวเลขสรุปตามเอกสาร และให้ผลรายตัวชี้วัดเป็นไปตามหลักฐาน",
                                ),
                        });
                    }
                }
            }
        };
    if let Some(stated) = &res.data.stated {
        compare(stated, tally_for(None), "/stated", format!("ภาพรวมปี {year}"), Subject::Year(year));
    }
    for (i, sr) in res.data.strategies.iter().enumerate() {
        if let Some(stated) = &sr.stated {
            compare(
                stated,
                tally_for(Some(sr.strategy.as_str())),
                &format!("/strategies/{i}/stated"),
                format!("ยุทธศาสตร์ {} ปี {year}", sr.strategy),
                Subject::Strategy { id: sr.strategy.clone(), year },
            );
        }
    }
}

/// Maps each indicator id to its strategy id (indicator → objective → issue → strategy).
pub fn strategy_index(plan: &crate::data::Plan) -> BTreeMap<&str, &str> {
    plan.indicators
        .iter()
        .filter_map(|ind| {
            let o = plan.objectives.iter().find(|o| o.id == ind.objective)?;
            let is = plan.issues.iter().find(|is| is.id == o.issue)?;
            Some((ind.id.as_str(), is.strategy.as_str()))
        })
        .collect()
}

/// Projects per strategy against the stated total.
fn check_projects(res: &crate::data::Loaded<Results>, out: &mut Vec<Observation>) {
    let Some(projects) = &res.data.projects else { return };
    let parts: Vec<(String, u32)> =
        res.data.strategies.iter().filter_map(|s| s.projects.map(|p| (s.strategy.clone(), p))).collect();
    if parts.is_empty() {
        return;
    }
    let sum: u32 = parts.iter().map(|(_, p)| p).sum();
    if sum != projects.total {
        let year = res.data.year;
        out.push(Observation {
            subject: Subject::Year(year),
            finding: res
                .finding(
                    Kind::TotalMismatch,
                    "/projects/total",
                    format!(
                        "ปี {year}: โครงการรายยุทธศาสตร์รวมกันได้ {sum} ({}) แต่จำนวนโครงการทั้งหมดระบุ {}",
                        parts.iter().map(|(s, p)| format!("ยุทธศาสตร์ {s}: {p}")).collect::<Vec<_>>().join(", "),
                        projects.total
                    ),
                )
                .with_help("ตรวจจำนวนโครงการกับเอกสาร (โครงการหนึ่งอาจนับซ้ำในหลายยุทธศาสตร์): บันทึกตามเอกสารและอธิบายในเนื้อหา"),
        });
    }
}

/// Policy recommendations: issues and recommendations against the stated counts.
fn check_policy(res: &crate::data::Loaded<Results>, out: &mut Vec<Observation>) {
    let Some(policy) = &res.data.policy else { return };
    let year = res.data.year;
    let mut push = |pointer: String, message: String| {
        out.push(Observation {
            subject: Subject::Year(year),
            finding: res
                .finding(Kind::TotalMismatch, &pointer, message)
                .with_help("ตรวจกับเอกสารต้นทาง: บันทึกตามที่เอกสารระบุ"),
        });
    };
    if let Some(s) = policy.stated_issues {
        if s as usize != policy.issues.len() {
            push(
                "/policy/stated_issues".into(),
                format!("ข้อเสนอแนะเชิงนโยบายปี {year}: ระบุ {s} ประเด็น แต่มีรายการ {} ประเด็น", policy.issues.len()),
            );
        }
    }
    let per_issue: Option<Vec<u32>> = policy.issues.iter().map(|i| i.stated_count).collect();
    if let Some(s) = policy.stated_recommendations {
        match &per_issue {
            // Each issue states its own count: the counts must add up, and
            // each issue's listing is checked below.
            Some(counts) => {
                let sum: u32 = counts.iter().sum();
                if sum != s {
                    push(
                        "/policy/stated_recommendations".into(),
                        format!("ข้อเสนอแนะเชิงนโยบายปี {year}: ระบุรวม {s} เรื่อง แต่จำนวนรายประเด็นรวมกันได้ {sum} เรื่อง"),
                    );
                }
            }
            None => {
                let listed: usize = policy.issues.iter().map(|i| i.recommendations.len()).sum();
                if listed != s as usize {
                    push(
                        "/policy/stated_recommendations".into(),
                        format!("ข้อเสนอแนะเชิงนโยบายปี {year}: ระบุรวม {s} เรื่อง แต่ระบุชื่อข้อเสนอแนะไว้ {listed} เรื่อง"),
                    );
                }
            }
        }
    }
    for (i, issue) in policy.issues.iter().enumerate() {
        if let Some(c) = issue.stated_count {
            if c as usize != issue.recommendations.len() {
                push(
                    format!("/policy/issues/{i}/stated_count"),
                    format!(
                        "ประเด็น \"{}\": ระบุ {c} เรื่อง แต่ระบุชื่อข้อเสนอแนะไว้ {} เรื่อง",
                        issue.name,
                        issue.recommendations.len()
                    ),
                );
            }
        }
    }
}

/// A cumulative indicator that goes down from one year to the next.
fn check_cumulative(data: &Dataset, label: &dyn Fn(&Indicator) -> String, out: &mut Vec<Observation>) {
    for ind in data.plan.data.indicators.iter().filter(|i| i.cumulative) {
        let mut prev: Option<(i32, f64)> = None;
        for res in &data.results {
            let Some((i, r)) = res.data.indicators.iter().enumerate().find(|(_, r)| r.indicator == ind.id) else {
                continue;
            };
            let Some(v) = r.value else { continue };
            if let Some((py, pv)) = prev {
                if v + 1e-9 < pv {
                    out.push(Observation {
                        subject: Subject::Indicator { id: ind.id.clone(), year: Some(res.data.year) },
                        finding: res
                            .finding(
                                Kind::CumulativeDecrease,
                                &format!("/indicators/{i}/value"),
                                format!(
                                    "{} เป็นค่าสะสม แต่ลดลงจาก {} (ปี {py}) เป็น {} (ปี {})",
                                    label(ind),
                                    n(pv, ind.decimals()),
                                    n(v, ind.decimals()),
                                    res.data.year
                                ),
                            )
                            .with_help("ค่าสะสมต้องไม่ลดลง: ตรวจว่าใส่ค่าของปีนั้นเพียงปีเดียวแทนค่าสะสมหรือไม่"),
                    });
                }
            }
            prev = Some((res.data.year, v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judging_values_against_targets() {
        assert_eq!(judge(66.36, 60.0, Direction::AtLeast), Status::Exceeded);
        assert_eq!(judge(60.0, 60.0, Direction::AtLeast), Status::Met);
        assert_eq!(judge(59.9, 60.0, Direction::AtLeast), Status::NotMet);
        assert_eq!(judge(3.0, 5.0, Direction::AtMost), Status::Exceeded);
        assert_eq!(judge(6.0, 5.0, Direction::AtMost), Status::NotMet);
        assert_eq!(judge(2.0, 2.0, Direction::Exactly), Status::Met);
        assert_eq!(judge(3.0, 2.0, Direction::Exactly), Status::NotMet);
    }

    #[test]
    fn tolerance_follows_stated_decimals() {
        // 73 of 110 is 66.3636…: "66.36" is right to two decimals, "66.4" is not.
        let computed = 73.0 / 110.0 * 100.0;
        assert!((computed - 66.36f64).abs() <= tolerance(2));
        assert!((computed - 66.4f64).abs() > tolerance(2));
    }
}
