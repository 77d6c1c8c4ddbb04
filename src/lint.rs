//! Consistency checks on well-formed content: the kind of error that slips
//! into annual reports. They warn (the build goes on, unless `--strict`), and
//! each warning is also shown to readers on the page it concerns, because a
//! transparency site that publishes an inconsistency without a word is not
//! transparent.

use crate::data::{Dataset, Indicator, IndicatorResult, Measure, Results, Status, TargetKind, YearTarget};
use crate::diagnostic::{Finding, Kind};
use crate::index::Index;
use crate::rules::{Tally, direction_word, judge, status_word};
use crate::thai::{ThaiDate, format_number};

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
    /// Lines of the source document the finding cites, for an editor's
    /// finding (the lint's own cite the data file's line in `finding`).
    pub cites: Vec<u32>,
}

/// How far a percentage may be from its counts and still be the same figure
/// rounded to `decimals` places.
fn tolerance(decimals: u8) -> f64 {
    0.5 * 10f64.powi(-i32::from(decimals)) + 1e-9
}

fn n(v: f64, decimals: u8) -> String {
    format_number(v, decimals)
}

/// Where a figure comes from, in words: "ตารางสรุปผลการดำเนินงาน (บรรทัดที่ 305)".
fn cited(source: Option<&crate::data::SourceRef>, otherwise: &str) -> String {
    match source {
        Some(s) => match (&s.section, s.line) {
            (Some(sec), Some(l)) => format!("{sec} (บรรทัดที่ {l})"),
            (Some(sec), None) => sec.clone(),
            (None, Some(l)) => format!("เอกสารต้นทาง บรรทัดที่ {l}"),
            (None, None) => otherwise.to_string(),
        },
        None => otherwise.to_string(),
    }
}

/// " (บรรทัดที่ 230)" after a place in the source, when the line is known.
fn line_of(line: Option<u32>) -> String {
    line.map_or(String::new(), |l| format!(" (บรรทัดที่ {l})"))
}

/// Runs every consistency check over the dataset.
pub fn lint(data: &Dataset) -> Vec<Observation> {
    lint_indexed(&Index::new(data))
}

/// [`lint`] over an index the caller already has.
pub fn lint_indexed(index: &Index<'_>) -> Vec<Observation> {
    let mut out = Vec::new();
    let data = index.data;
    let plan = &data.plan.data;
    let labels: Vec<String> = plan
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| indicator_label(index.strategy_of(i).map(|s| s.id.as_str()), ind))
        .collect();
    check_declared(data, &mut out);
    for (i, ind) in plan.indicators.iter().enumerate() {
        check_final_target(data, i, ind, &labels[i], &mut out);
        check_target_units(data, i, ind, &labels[i], &mut out);
    }
    for (file, res) in data.results.iter().enumerate() {
        let year = res.data.year;
        for (r, ir) in res.data.indicators.iter().enumerate() {
            let Some(i) = index.indicator_at(&ir.indicator) else { continue };
            let base = format!("/indicators/{r}");
            let ctx = Ctx { res, base: &base, ind: &plan.indicators[i], ir, year, label: &labels[i] };
            ctx.percent(&mut out);
            ctx.status(&mut out);
            ctx.statements(&mut out);
            ctx.events(&mut out);
            ctx.unit(&mut out);
        }
        check_editor_findings(index, file, &mut out);
        check_missing_results(index, file, &labels, &mut out);
        check_stated_counts(index, file, &mut out);
        check_projects(res, &mut out);
        check_policy(res, &mut out);
    }
    check_cumulative(index, &labels, &mut out);
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
    label: &'a str,
}

/// "ยุทธศาสตร์ที่ 3 ตัวชี้วัดที่ 1.1": how the source names an indicator.
fn indicator_label(strategy: Option<&str>, ind: &Indicator) -> String {
    match strategy {
        Some(s) => format!("ยุทธศาสตร์ที่ {s} ตัวชี้วัดที่ {}", ind.code),
        None => format!("ตัวชี้วัดที่ {} ({})", ind.code, ind.id),
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
            cites: Vec::new(),
        });
    }

    fn label(&self) -> &str {
        self.label
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
                                "{}: {}{} ระบุร้อยละ {} แต่จำนวนที่ระบุคู่กัน ({} จาก {}) คิดเป็นร้อยละ {}",
                                self.label(),
                                st.place,
                                line_of(st.line),
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
                            "{}: {}{} ระบุจำนวน {} จากทั้งหมด {} ซึ่งมากกว่าจำนวนทั้งหมด",
                            self.label(),
                            st.place,
                            line_of(st.line),
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
                        "{}: สถานะ “{}” แต่แผนไม่ได้กำหนดค่าเป้าหมายของปี {} ไว้",
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
                            "{}: สถานะ “{}” แต่ปี {} ไม่มีค่าเป้าหมาย (เริ่มประเมินปี {})",
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
                        format!("{}: สถานะ “ยังไม่ประเมิน” แต่ปี {} มีค่าเป้าหมาย", self.label(), self.year),
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
                                "{}: สถานะ “{}” แต่ไม่มีค่าผลให้เทียบกับค่าเป้าหมาย {}",
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
                            "{}: สถานะ “{}” ขัดกับผล {} เทียบค่าเป้าหมาย{} {} (ควรเป็น “{}”)",
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
        let source_name = cited(self.ir.source.as_ref(), "ข้อมูลที่เผยแพร่");
        for (j, st) in self.ir.statements.iter().enumerate() {
            let field = |f: &str| format!("/statements/{j}/{f}");
            if let (Some(sv), Some(v)) = (st.value, self.ir.value) {
                if (sv - v).abs() > tolerance(d) {
                    self.push(
                        out,
                        Kind::StatedDifferently,
                        &field("value"),
                        format!(
                            "{}: ผลระบุไว้ต่างกัน: {} ระบุ {} แต่{}{} ระบุ {}",
                            self.label(),
                            source_name,
                            n(v, d),
                            st.place,
                            line_of(st.line),
                            n(sv, d)
                        ),
                        "บันทึกทั้งสองค่าตามเอกสาร และอธิบายใน note ว่าเว็บไซต์เผยแพร่ค่าใดเพราะเหตุใด",
                    );
                }
            }
            if let Some(st_target) = st.target {
                let published = self.target().and_then(|t| t.value.or(t.first_value).map(|v| (v, t)));
                if let Some((t, yt)) = published {
                    if (st_target - t).abs() > tolerance(d) {
                        self.push(
                            out,
                            Kind::StatedDifferently,
                            &field("target"),
                            format!(
                                "{}: ค่าเป้าหมายปี {} ระบุไว้ต่างกัน: {} ระบุ {} แต่{}{} ระบุ {}",
                                self.label(),
                                self.year,
                                cited(yt.source.as_ref(), "ค่าเป้าหมายใน plan.json"),
                                n(t, d),
                                st.place,
                                line_of(st.line),
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
                            "{}: {} ระบุสถานะ “{}” ทั้งที่ปี {} ไม่มีค่าเป้าหมาย{when}",
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
                            "{}: สถานะระบุไว้ต่างกัน: เว็บไซต์เผยแพร่ “{}” แต่{} ระบุ “{}”",
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

    /// A result counted in another unit than its indicator's: the figure is
    /// published as the source counts it, and the reader is told it does not
    /// measure the indicator as defined.
    fn unit(&self, out: &mut Vec<Observation>) {
        if let Some(u) = self.ir.unit.as_deref().filter(|u| *u != self.ind.unit) {
            self.push(
                out,
                Kind::UnitDiffers,
                "/unit",
                format!(
                    "{}: ผลปี {} นับเป็น “{u}” แต่ตัวชี้วัดนับเป็น “{}” จึงเทียบกับค่าเป้าหมายของตัวชี้วัดโดยตรงไม่ได้",
                    self.label(),
                    self.year,
                    self.ind.unit
                ),
                "บันทึกหน่วยตามเอกสาร และอธิบายใน note ว่าสิ่งที่นับสัมพันธ์กับหน่วยของตัวชี้วัดอย่างไร",
            );
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
                    cites: Vec::new(),
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
            cites: Vec::new(),
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

/// Targets the source writes in another unit than the indicator's.
fn check_target_units(data: &Dataset, i: usize, ind: &Indicator, label: &str, out: &mut Vec<Observation>) {
    let plan = &data.plan;
    let differs = |u: &Option<String>| u.as_deref().filter(|u| *u != ind.unit).map(str::to_string);
    let mut push = |pointer: String, year: Option<i32>, what: String, u: String| {
        out.push(Observation {
            cites: Vec::new(),
            subject: Subject::Indicator { id: ind.id.clone(), year },
            finding: plan
                .finding(
                    Kind::UnitDiffers,
                    &pointer,
                    format!("{label}: {what}เขียนหน่วยเป็น “{u}” แต่ตัวชี้วัดนับเป็น “{}”", ind.unit),
                )
                .with_help("บันทึกหน่วยตามเอกสาร และอธิบายใน note ว่าหมายถึงหน่วยเดียวกันหรือไม่"),
        });
    };
    if let Some(u) = differs(&ind.target.unit) {
        push(format!("/indicators/{i}/target/unit"), None, "ค่าเป้าหมายเมื่อสิ้นแผน".into(), u);
    }
    for (year, t) in &ind.targets {
        if let Some(u) = differs(&t.unit) {
            push(format!("/indicators/{i}/targets/{year}/unit"), year.parse().ok(), format!("ค่าเป้าหมายปี {year} "), u);
        }
    }
}

/// Inconsistencies the editor states, which no figure of the data lets the
/// lint judge (a claim of "more than 37 %", a period written two ways): shown
/// and counted like the lint's own.
fn check_editor_findings(index: &Index<'_>, file: usize, out: &mut Vec<Observation>) {
    let res = &index.data.results[file];
    let year = res.data.year;
    for (k, ef) in res.data.findings.iter().enumerate() {
        let subject = match (&ef.indicator, &ef.strategy) {
            (Some(id), _) => Subject::Indicator { id: id.clone(), year: Some(year) },
            (None, Some(id)) => Subject::Strategy { id: id.clone(), year },
            (None, None) => Subject::Year(year),
        };
        out.push(Observation {
            subject,
            finding: res
                .finding(Kind::EditorFinding, &format!("/findings/{k}/text"), ef.text.clone())
                .with_help("ข้อสังเกตของผู้จัดทำข้อมูล: แก้ได้ที่ findings ในไฟล์ผลของปีนี้"),
            cites: ef.lines.clone(),
        });
    }
}

/// A year with a numeric target but no result.
fn check_missing_results(index: &Index<'_>, file: usize, labels: &[String], out: &mut Vec<Observation>) {
    let res = &index.data.results[file];
    let year = res.data.year;
    let key = year.to_string();
    for (i, ind) in index.plan.indicators.iter().enumerate() {
        let Some(t) = ind.targets.get(&key) else { continue };
        if t.kind != TargetKind::Numeric {
            continue;
        }
        let result = index.result(file, i);
        if result.is_none_or(|(_, r)| r.value.is_none()) {
            let pointer = result.map_or("/indicators".to_string(), |(r, _)| format!("/indicators/{r}"));
            out.push(Observation {
                cites: Vec::new(),
                subject: Subject::Indicator { id: ind.id.clone(), year: Some(year) },
                finding: res
                    .finding(
                        Kind::MissingResult,
                        &pointer,
                        format!("{} มีค่าเป้าหมายตัวเลขในปี {year} แต่ไม่มีค่าผล", labels[i]),
                    )
                    .with_help("เพิ่มผล (value) ของตัวชี้วัดนี้ หรือถ้ายังไม่มีผล ให้ระบุสถานะ not_assessed พร้อม note"),
            });
        }
    }
}

/// Per-strategy and overall counts as the source states them, against the counts of the data.
fn check_stated_counts(index: &Index<'_>, file: usize, out: &mut Vec<Observation>) {
    let plan = index.plan;
    let res = &index.data.results[file];
    let year = res.data.year;
    let tally_of = |indicators: &mut dyn Iterator<Item = usize>| {
        Tally::of(indicators.map(|i| (&plan.indicators[i], index.result(file, i).map(|(_, r)| r))), year)
    };
    let tally_for = |sid: Option<&str>| match sid {
        None => tally_of(&mut (0..plan.indicators.len())),
        Some(s) => {
            tally_of(&mut index.strategy_at(s).map_or(&[][..], |s| index.indicators_of_strategy(s)).iter().copied())
        }
    };
    let mut compare =
        |stated: &crate::data::StatedCounts, tally: Tally, pointer: &str, who: String, subject: Subject| {
            let pairs = [
                ("indicators", "ตัวชี้วัด", stated.indicators, tally.indicators),
                ("with_target", "ตัวชี้วัดที่มีค่าเป้าหมายในปีนี้", stated.with_target, tally.with_target),
                ("met", "ตัวชี้วัดที่บรรลุหรือสูงกว่าค่าเป้าหมาย", stated.met, tally.achieved),
                ("exceeded", "ตัวชี้วัดที่สูงกว่าค่าเป้าหมาย", stated.exceeded, tally.exceeded),
            ];
            let where_ = match stated.source.as_ref().map(|src| (&src.section, src.line)) {
                Some((Some(sec), Some(l))) => format!(" ({sec}, บรรทัดที่ {l})"),
                Some((Some(sec), None)) => format!(" ({sec})"),
                Some((None, Some(l))) => format!(" (บรรทัดที่ {l})"),
                _ => String::new(),
            };
            for (field, word, s, actual) in pairs {
                if let Some(s) = s {
                    if s != actual {
                        let extra = if field == "met" && tally.not_assessed > 0 {
                            format!(" ({} ตัวชี้วัดยังไม่ประเมินในปีนี้)", tally.not_assessed)
                        } else {
                            String::new()
                        };
                        out.push(Observation {
                            cites: Vec::new(),
                            subject: subject.clone(),
                            finding: res
                                .finding(
                                    Kind::TotalMismatch,
                                    &format!("{pointer}/{field}"),
                                    format!("{who}: เอกสารสรุปว่ามี{word} {s}{where_} แต่ข้อมูลรายตัวชี้วัดนับได้ {actual}{extra}"),
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
                format!("ยุทธศาสตร์ที่ {} ปี {year}", sr.strategy),
                Subject::Strategy { id: sr.strategy.clone(), year },
            );
        }
    }
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
            cites: Vec::new(),
            subject: Subject::Year(year),
            finding: res
                .finding(
                    Kind::TotalMismatch,
                    "/projects/total",
                    format!(
                        "ปี {year}: โครงการรายยุทธศาสตร์รวมกันได้ {sum} ({}) แต่จำนวนโครงการทั้งหมดระบุ {}",
                        parts.iter().map(|(s, p)| format!("ยุทธศาสตร์ที่ {s}: {p}")).collect::<Vec<_>>().join(", "),
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
            cites: Vec::new(),
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
                        "ประเด็น “{}”: ระบุ {c} เรื่อง แต่ระบุชื่อข้อเสนอแนะไว้ {} เรื่อง",
                        issue.name,
                        issue.recommendations.len()
                    ),
                );
            }
        }
    }
}

/// A cumulative indicator that goes down from one year to the next.
fn check_cumulative(index: &Index<'_>, labels: &[String], out: &mut Vec<Observation>) {
    for (i, ind) in index.plan.indicators.iter().enumerate().filter(|(_, ind)| ind.cumulative) {
        let mut prev: Option<(i32, f64)> = None;
        for (file, res) in index.data.results.iter().enumerate() {
            let Some((r, result)) = index.result(file, i) else { continue };
            let Some(v) = result.value else { continue };
            if let Some((py, pv)) = prev {
                if v + 1e-9 < pv {
                    out.push(Observation {
                        cites: Vec::new(),
                        subject: Subject::Indicator { id: ind.id.clone(), year: Some(res.data.year) },
                        finding: res
                            .finding(
                                Kind::CumulativeDecrease,
                                &format!("/indicators/{r}/value"),
                                format!(
                                    "{} เป็นค่าสะสม แต่ลดลงจาก {} (ปี {py}) เป็น {} (ปี {})",
                                    labels[i],
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
    fn tolerance_follows_stated_decimals() {
        // 73 of 110 is 66.3636…: "66.36" is right to two decimals, "66.4" is not.
        let computed = 73.0 / 110.0 * 100.0;
        assert!((computed - 66.36f64).abs() <= tolerance(2));
        assert!((computed - 66.4f64).abs() > tolerance(2));
    }
}
