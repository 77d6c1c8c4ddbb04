//! Consistency checks on well-formed content: the kind of error that slips
//! into annual reports. They warn (the build goes on, unless `--strict`), and
//! each warning is also shown to readers on the page it concerns, because a
//! transparency site that publishes an inconsistency without a word is not
//! transparent.

use crate::data::{Dataset, Direction, Indicator, IndicatorResult, Measure, Results, Status, TargetKind, YearTarget};
use crate::diagnostic::{Finding, Kind};
use crate::index::Index;
use crate::rules::{Tally, judge};
use crate::thai::{ThaiDate, format_number};
use std::collections::BTreeMap;
use std::fmt::Display;

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

/// The words of the findings: the theme's labels, with the site's overrides.
/// A finding's sentence is a label (`says_*`) with `{name}` placeholders, so
/// that a site rewords it like any other word of the theme; a missing label
/// shows its key and values, so a theme bug is visible.
pub struct Words<'a>(pub &'a BTreeMap<String, String>, pub crate::thai::Words);

impl Words<'_> {
    fn label(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    fn say(&self, key: &str, values: &[(&str, &dyn Display)]) -> String {
        let Some(template) = self.0.get(key) else {
            let shown: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
            return format!("{key}: {}", shown.join(", "));
        };
        let mut out = template.clone();
        for (name, value) in values {
            let slot = format!("{{{name}}}");
            if out.contains(&slot) {
                let shown = value.to_string();
                let is_year = name.starts_with("year") || name.ends_with("_year");
                out = out.replace(&slot, &if is_year { self.year(&shown) } else { shown });
            }
        }
        out
    }

    /// A fiscal year as the findings write it: "2566" in Thai, "2023 (B.E.
    /// 2566)" in English (anything else, such as "-", as it is).
    fn year(&self, be: &str) -> String {
        match (self.1, be.parse::<i32>()) {
            (crate::thai::Words::English, Ok(y)) if (2400..=2800).contains(&y) => {
                format!("{} (B.E. {y})", y - crate::thai::BE_OFFSET)
            }
            _ => be.to_string(),
        }
    }

    fn status(&self, s: Status) -> String {
        self.label(&format!("status_{}", s.key()))
    }

    fn direction(&self, d: Direction) -> String {
        self.label(match d {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
            Direction::Exactly => "exactly",
        })
    }

    /// Where a figure comes from: "ตารางสรุปผลการดำเนินงาน (บรรทัดที่ 305)".
    fn cited(&self, source: Option<&crate::data::SourceRef>, otherwise: &str) -> String {
        match source.map(|s| (&s.section, s.line)) {
            Some((Some(sec), Some(l))) => format!("{sec}{}", self.line_of(Some(l))),
            Some((Some(sec), None)) => sec.clone(),
            Some((None, Some(l))) => format!("{} {} {l}", self.label("source_document"), self.label("line")),
            _ => self.label(otherwise),
        }
    }

    /// " (บรรทัดที่ 230)" after a place in the source, when the line is known.
    fn line_of(&self, line: Option<u32>) -> String {
        line.map_or(String::new(), |l| format!(" ({} {l})", self.label("line")))
    }

    /// "ยุทธศาสตร์ที่ 3 ตัวชี้วัดที่ 1.1": how the source names an indicator.
    fn indicator(&self, strategy: Option<&str>, ind: &Indicator) -> String {
        match strategy {
            Some(s) => format!("{} {s} {} {}", self.label("strategy_n"), self.label("indicator_n"), ind.code),
            None => format!("{} {} ({})", self.label("indicator_n"), ind.code, ind.id),
        }
    }
}

/// Runs every consistency check over the dataset, wording the findings with
/// `labels` (the theme's, with the site's overrides).
pub fn lint(data: &Dataset, labels: &BTreeMap<String, String>) -> Vec<Observation> {
    lint_indexed(&Index::new(data), &Words(labels, crate::thai::Words::Thai))
}

/// [`lint`] for a page in another language: its data, labels and words
/// (the month names of the dates it quotes).
pub fn lint_in(data: &Dataset, labels: &BTreeMap<String, String>, words: crate::thai::Words) -> Vec<Observation> {
    lint_indexed(&Index::new(data), &Words(labels, words))
}

/// [`lint`] over an index the caller already has.
pub fn lint_indexed(index: &Index<'_>, w: &Words<'_>) -> Vec<Observation> {
    let mut out = Vec::new();
    let data = index.data;
    let plan = &data.plan.data;
    let labels: Vec<String> = plan
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| w.indicator(index.strategy_of(i).map(|s| s.id.as_str()), ind))
        .collect();
    check_declared(data, w, &mut out);
    for (i, ind) in plan.indicators.iter().enumerate() {
        check_final_target(data, w, i, ind, &labels[i], &mut out);
        check_target_units(data, w, i, ind, &labels[i], &mut out);
    }
    for (file, res) in data.results.iter().enumerate() {
        let year = res.data.year;
        for (r, ir) in res.data.indicators.iter().enumerate() {
            let Some(i) = index.indicator_at(&ir.indicator) else { continue };
            let base = format!("/indicators/{r}");
            let ctx = Ctx { w, res, base: &base, ind: &plan.indicators[i], ir, year, label: &labels[i] };
            ctx.percent(&mut out);
            ctx.status(&mut out);
            ctx.statements(&mut out);
            ctx.events(&mut out);
            ctx.unit(&mut out);
        }
        check_editor_findings(index, file, &mut out);
        check_missing_results(index, w, file, &labels, &mut out);
        check_stated_counts(index, w, file, &mut out);
        check_projects(res, w, &mut out);
        check_policy(res, w, &mut out);
    }
    check_cumulative(index, w, &labels, &mut out);
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
    w: &'a Words<'a>,
    res: &'a crate::data::Loaded<Results>,
    base: &'a str,
    ind: &'a Indicator,
    ir: &'a IndicatorResult,
    year: i32,
    label: &'a str,
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
                        self.w.say(
                            "says_percent_counts",
                            &[
                                ("subject", &self.label()),
                                ("value", &n(v, d)),
                                ("done", &c.done),
                                ("total", &c.total),
                                ("computed", &n(computed, d)),
                            ],
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
                            self.w.say(
                                "says_percent_counts_stated",
                                &[
                                    ("subject", &self.label()),
                                    ("place", &st.place),
                                    ("line", &self.w.line_of(st.line)),
                                    ("value", &n(v, d)),
                                    ("done", &c.done),
                                    ("total", &c.total),
                                    ("computed", &n(computed, d)),
                                ],
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
                        self.w.say(
                            "says_count_above_total",
                            &[
                                ("subject", &self.label()),
                                ("place", &st.place),
                                ("line", &self.w.line_of(st.line)),
                                ("done", &c.done),
                                ("total", &c.total),
                            ],
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
                    self.w.say(
                        "says_status_without_target",
                        &[("subject", &self.label()), ("status", &self.w.status(status)), ("year", &self.year)],
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
                        self.w.say(
                            "says_status_before_first_year",
                            &[
                                ("subject", &self.label()),
                                ("status", &self.w.status(status)),
                                ("year", &self.year),
                                ("first_year", &target.first_year.map_or("-".into(), |y| y.to_string())),
                            ],
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
                        self.w
                            .say("says_not_assessed_with_target", &[("subject", &self.label()), ("year", &self.year)]),
                        "ใส่สถานะตามผลการประเมิน",
                    );
                }
                // A target in words ("หา Baseline") is reached or not: there
                // is no figure to be above.
                if status == Status::Exceeded {
                    self.push(
                        out,
                        Kind::StatusContradiction,
                        "/status",
                        self.w.say(
                            "says_exceeded_milestone",
                            &[("subject", &self.label()), ("status", &self.w.status(status)), ("year", &self.year)],
                        ),
                        "ค่าเป้าหมายที่เป็นถ้อยคำบรรลุได้แต่สูงกว่าไม่ได้: ถ้าเอกสารระบุเช่นนี้ ให้บันทึกตามเอกสารและอธิบายใน note",
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
                            self.w.say(
                                "says_status_without_value",
                                &[("subject", &self.label()), ("status", &self.w.status(status)), ("target", &n(t, d))],
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
                        self.w.say(
                            "says_status_contradicts",
                            &[
                                ("subject", &self.label()),
                                ("status", &self.w.status(status)),
                                ("value", &n(v, d)),
                                ("direction", &self.w.direction(dir)),
                                ("target", &n(t, d)),
                                ("expected", &self.w.status(expected)),
                            ],
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
        let source_name = self.w.cited(self.ir.source.as_ref(), "says_published");
        for (j, st) in self.ir.statements.iter().enumerate() {
            let field = |f: &str| format!("/statements/{j}/{f}");
            if let (Some(sv), Some(v)) = (st.value, self.ir.value) {
                if (sv - v).abs() > tolerance(d) {
                    self.push(
                        out,
                        Kind::StatedDifferently,
                        &field("value"),
                        self.w.say(
                            "says_value_stated_differently",
                            &[
                                ("subject", &self.label()),
                                ("source", &source_name),
                                ("value", &n(v, d)),
                                ("place", &st.place),
                                ("line", &self.w.line_of(st.line)),
                                ("stated", &n(sv, d)),
                            ],
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
                            self.w.say(
                                "says_target_stated_differently",
                                &[
                                    ("subject", &self.label()),
                                    ("year", &self.year),
                                    ("source", &self.w.cited(yt.source.as_ref(), "says_target_in_plan")),
                                    ("target", &n(t, d)),
                                    ("place", &st.place),
                                    ("line", &self.w.line_of(st.line)),
                                    ("stated", &n(st_target, d)),
                                ],
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
                    let when = target
                        .and_then(|t| t.first_year)
                        .map_or(String::new(), |y| self.w.say("says_first_assessed", &[("year", &y)]));
                    self.push(
                        out,
                        Kind::StatusContradiction,
                        &field("status"),
                        self.w.say(
                            "says_status_stated_without_target",
                            &[
                                ("subject", &self.label()),
                                ("place", &st.place),
                                ("stated", &self.w.status(ss)),
                                ("year", &self.year),
                                ("when", &when),
                            ],
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
                        self.w.say(
                            "says_status_stated_differently",
                            &[
                                ("subject", &self.label()),
                                ("status", &self.w.status(status)),
                                ("place", &st.place),
                                ("stated", &self.w.status(ss)),
                            ],
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
                        self.w.say(
                            "says_count_stated_differently",
                            &[
                                ("subject", &self.label()),
                                ("done", &c.done),
                                ("total", &c.total),
                                ("stated_done", &sc.done),
                                ("stated_total", &sc.total),
                                ("place", &st.place),
                            ],
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
                self.w.say(
                    "says_result_unit_differs",
                    &[
                        ("subject", &self.label()),
                        ("year", &self.year),
                        ("indicator_unit", &self.ind.unit),
                        ("unit", &u),
                    ],
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
                        self.w.say(
                            "says_date_outside_year",
                            &[
                                ("subject", &self.label()),
                                (
                                    "date",
                                    &match self.w.1 {
                                        crate::thai::Words::Thai => crate::thai::Numerals {
                                            digits: crate::thai::Digits::Arabic,
                                            era: crate::thai::Era::Be,
                                            words: self.w.1,
                                        }
                                        .date(date),
                                        // "21 December 2023 (B.E. 2566)", as the
                                        // English of the data writes dates.
                                        crate::thai::Words::English => format!(
                                            "{} (B.E. {})",
                                            crate::thai::Numerals {
                                                digits: crate::thai::Digits::Arabic,
                                                era: crate::thai::Era::Ce,
                                                words: self.w.1,
                                            }
                                            .date(date),
                                            date.year
                                        ),
                                    },
                                ),
                                ("year", &fy),
                                ("year_before", &(fy - 1)),
                                ("year_end", &fy),
                            ],
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
                        self.w.say(
                            "says_amounts_total",
                            &[
                                ("subject", &self.label()),
                                ("amounts", &amounts.iter().map(u64::to_string).collect::<Vec<_>>().join(" + ")),
                                ("value", &n(v, 0)),
                            ],
                        ),
                        "ตรวจจำนวนในแต่ละกิจกรรม (amount) และค่าผล (value)",
                    );
                }
            }
        }
    }
}

/// Counts the source declares for the plan against what the plan lists.
fn check_declared(data: &Dataset, w: &Words<'_>, out: &mut Vec<Observation>) {
    let plan = &data.plan;
    let Some(dec) = &plan.data.declared else { return };
    let p = &plan.data;
    let actual = [
        ("strategies", w.label("strategies"), dec.strategies, p.strategies.len()),
        ("issues", w.label("issues"), dec.issues, p.issues.len()),
        ("objectives", w.label("objectives"), dec.objectives, p.objectives.len()),
        ("indicators", w.label("indicators"), dec.indicators, p.indicators.len()),
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
                            w.say("says_declared", &[("what", &word), ("declared", &d), ("count", &count)]),
                        )
                        .with_help("ตรวจว่าบันทึกครบทุกรายการ"),
                });
            }
        }
    }
}

/// For a cumulative indicator, the last year's target is the five-year target.
fn check_final_target(
    data: &Dataset,
    w: &Words<'_>,
    i: usize,
    ind: &Indicator,
    label: &str,
    out: &mut Vec<Observation>,
) {
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
                    w.say(
                        "says_final_target_differs",
                        &[
                            ("target", &n(v, ind.decimals())),
                            ("final", &n(ind.target.value, ind.decimals())),
                            ("subject", &label),
                            ("year", &last),
                        ],
                    ),
                )
                .with_help("ตรวจว่าค่าเป้าหมายถูกปรับหรือไม่ และอธิบายใน note"),
        });
    }
}

/// Targets the source writes in another unit than the indicator's.
fn check_target_units(
    data: &Dataset,
    w: &Words<'_>,
    i: usize,
    ind: &Indicator,
    label: &str,
    out: &mut Vec<Observation>,
) {
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
                    w.say(
                        "says_target_unit_differs",
                        &[("indicator_unit", &ind.unit), ("subject", &label), ("what", &what), ("unit", &u)],
                    ),
                )
                .with_help("บันทึกหน่วยตามเอกสาร และอธิบายใน note ว่าหมายถึงหน่วยเดียวกันหรือไม่"),
        });
    };
    if let Some(u) = differs(&ind.target.unit) {
        push(format!("/indicators/{i}/target/unit"), None, w.label("five_year_target"), u);
    }
    for (year, t) in &ind.targets {
        if let Some(u) = differs(&t.unit) {
            push(
                format!("/indicators/{i}/targets/{year}/unit"),
                year.parse().ok(),
                format!("{} {}", w.label("year_target"), w.year(year)),
                u,
            );
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

/// An indicator with no result in a year that has a results file, and a
/// numeric target without a value. Warnings, not errors: a year is filled in
/// over weeks (`prongsai new-year` starts it with every indicator pending),
/// and a half-filled year must still preview and build.
fn check_missing_results(index: &Index<'_>, w: &Words<'_>, file: usize, labels: &[String], out: &mut Vec<Observation>) {
    let res = &index.data.results[file];
    let year = res.data.year;
    let key = year.to_string();
    let pending: std::collections::HashMap<&str, usize> =
        res.data.pending.iter().enumerate().map(|(p, e)| (e.indicator.as_str(), p)).rev().collect();
    for (i, ind) in index.plan.indicators.iter().enumerate() {
        let numeric = ind.targets.get(&key).is_some_and(|t| t.kind == TargetKind::Numeric);
        let result = index.result(file, i);
        let (pointer, message, help) = match result {
            Some((_, r)) if !numeric || r.value.is_some() => continue,
            Some((r, _)) => (
                format!("/indicators/{r}"),
                w.say("says_missing_result", &[("subject", &labels[i]), ("year", &year)]),
                "เพิ่มผล (value) ของตัวชี้วัดนี้ หรือถ้ายังไม่มีผล ให้ระบุสถานะ not_assessed พร้อม note",
            ),
            None => {
                let pointer =
                    pending.get(ind.id.as_str()).map_or("/indicators".to_string(), |p| format!("/pending/{p}"));
                let says = if numeric { "says_missing_result" } else { "says_result_not_in" };
                (
                    pointer,
                    w.say(says, &[("subject", &labels[i]), ("year", &year)]),
                    "เพิ่มผลของตัวชี้วัดนี้ใน indicators (หรือกรอกในตารางแล้วนำเข้าด้วย prongsai sheet import) หน้าเว็บแสดงตัวชี้วัดนี้ว่ายังไม่มีผลจนกว่าจะเพิ่ม",
                )
            }
        };
        out.push(Observation {
            cites: Vec::new(),
            subject: Subject::Indicator { id: ind.id.clone(), year: Some(year) },
            finding: res.finding(Kind::MissingResult, &pointer, message).with_help(help),
        });
    }
}

/// Per-strategy and overall counts as the source states them, against the counts of the data.
fn check_stated_counts(index: &Index<'_>, w: &Words<'_>, file: usize, out: &mut Vec<Observation>) {
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
                ("indicators", w.label("says_what_indicators"), stated.indicators, tally.indicators),
                ("with_target", w.label("says_what_with_target"), stated.with_target, tally.with_target),
                ("met", w.label("says_what_met"), stated.met, tally.achieved),
                ("exceeded", w.label("says_what_exceeded"), stated.exceeded, tally.exceeded),
            ];
            let line = w.label("line");
            let where_ = match stated.source.as_ref().map(|src| (&src.section, src.line)) {
                Some((Some(sec), Some(l))) => format!(" ({sec}, {line} {l})"),
                Some((Some(sec), None)) => format!(" ({sec})"),
                Some((None, Some(l))) => format!(" ({line} {l})"),
                _ => String::new(),
            };
            for (field, word, s, actual) in pairs {
                if let Some(s) = s {
                    if s != actual {
                        let extra = if field == "met" && tally.not_assessed > 0 {
                            w.say("says_not_assessed_this_year", &[("count", &tally.not_assessed)])
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
                                    w.say(
                                        "says_summary_differs",
                                        &[
                                            ("who", &who),
                                            ("what", &word),
                                            ("stated", &s),
                                            ("where", &where_),
                                            ("counted", &actual),
                                            ("extra", &extra),
                                        ],
                                    ),
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
        compare(
            stated,
            tally_for(None),
            "/stated",
            w.say("says_year_overall", &[("year", &year)]),
            Subject::Year(year),
        );
    }
    for (i, sr) in res.data.strategies.iter().enumerate() {
        if let Some(stated) = &sr.stated {
            compare(
                stated,
                tally_for(Some(sr.strategy.as_str())),
                &format!("/strategies/{i}/stated"),
                format!("{} {} {} {year}", w.label("strategy_n"), sr.strategy, w.label("year")),
                Subject::Strategy { id: sr.strategy.clone(), year },
            );
        }
    }
}

/// Projects per strategy against the stated total.
fn check_projects(res: &crate::data::Loaded<Results>, w: &Words<'_>, out: &mut Vec<Observation>) {
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
                    w.say(
                        "says_projects_total",
                        &[
                            (
                                "parts",
                                &parts
                                    .iter()
                                    .map(|(s, p)| format!("{} {s}: {p}", w.label("strategy_n")))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                            ("total", &projects.total),
                            ("year", &year),
                            ("sum", &sum),
                        ],
                    ),
                )
                .with_help("ตรวจจำนวนโครงการกับเอกสาร (โครงการหนึ่งอาจนับซ้ำในหลายยุทธศาสตร์): บันทึกตามเอกสารและอธิบายในเนื้อหา"),
        });
    }
}

/// Policy recommendations: issues and recommendations against the stated counts.
fn check_policy(res: &crate::data::Loaded<Results>, w: &Words<'_>, out: &mut Vec<Observation>) {
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
                w.say("says_policy_issues", &[("listed", &policy.issues.len()), ("year", &year), ("stated", &s)]),
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
                        w.say("says_policy_sum", &[("year", &year), ("stated", &s), ("sum", &sum)]),
                    );
                }
            }
            None => {
                let listed: usize = policy.issues.iter().map(|i| i.recommendations.len()).sum();
                if listed != s as usize {
                    push(
                        "/policy/stated_recommendations".into(),
                        w.say("says_policy_listed", &[("year", &year), ("stated", &s), ("listed", &listed)]),
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
                    w.say(
                        "says_policy_issue",
                        &[("issue", &issue.name), ("listed", &issue.recommendations.len()), ("stated", &c)],
                    ),
                );
            }
        }
    }
}

/// A cumulative indicator that goes down from one year to the next.
fn check_cumulative(index: &Index<'_>, w: &Words<'_>, labels: &[String], out: &mut Vec<Observation>) {
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
                                w.say(
                                    "says_cumulative_decrease",
                                    &[
                                        ("subject", &labels[i]),
                                        ("previous", &n(pv, ind.decimals())),
                                        ("value", &n(v, ind.decimals())),
                                        ("year", &res.data.year),
                                        ("previous_year", &py),
                                    ],
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

    /// Every sentence of every finding of the default site comes from a
    /// label: with each `says_*` label marked, every message but the
    /// editor's own starts with the mark, and its words are the labels'.
    #[test]
    fn findings_are_worded_by_the_themes_labels() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let inputs = crate::site::load(root, &Default::default()).unwrap_or_else(|f| panic!("{f:?}"));
        let mut labels = inputs.config.labels.clone();
        let says: Vec<String> = labels.keys().filter(|k| k.starts_with("says_")).cloned().collect();
        assert!(says.len() > 20, "the theme words the findings");
        for k in &says {
            let v = labels.get_mut(k).unwrap();
            if !k.starts_with("says_what_") && !k.starts_with("says_first") && !k.starts_with("says_not_assessed_this")
            {
                *v = format!("§{v}");
            }
        }
        let marked = lint(&inputs.data, &labels);
        let plain = lint(&inputs.data, &inputs.config.labels);
        assert_eq!(marked.len(), plain.len());
        assert!(marked.len() >= 30);
        for (m, p) in marked.iter().zip(&plain) {
            if m.finding.kind == Kind::EditorFinding {
                continue;
            }
            assert!(m.finding.message.starts_with('§'), "{} is not from a label", m.finding.message);
            assert_eq!(m.finding.message.trim_start_matches('§'), p.finding.message.replace('§', ""));
        }
        // A site rewords a sentence and names the indicators its own way.
        labels.insert("says_result_unit_differs".into(), "{subject}: นับเป็น{unit} ไม่ใช่{indicator_unit}".into());
        labels.insert("indicator_n".into(), "KPI".into());
        let reworded = lint(&inputs.data, &labels);
        assert!(reworded.iter().any(|o| o.finding.message == "ยุทธศาสตร์ที่ 1 KPI 4.1: นับเป็นกิจกรรม ไม่ใช่โครงการ"));
    }
}
