//! What every builder shares: the formatter, the indexes of the plan, and
//! what is computed once and shown on several pages (each result's view,
//! each observation's view, each strategy's tally per year).

use super::Inputs;
use super::views::*;
use crate::charts::{self, StatusWords};
use crate::config::Config;
use crate::data::{Direction, Indicator, Measure, SourceRef, Status, TargetKind, YearTarget};
use crate::index::Index;
use crate::lint::{Observation, Subject};
use crate::routes;
use crate::rules::Tally;
use crate::thai::Numerals;
use std::collections::BTreeMap;

/// Formatting with the site's digits, era and labels.
pub(super) struct Fmt<'a> {
    pub num: Numerals,
    pub cfg: &'a Config,
}

impl Fmt<'_> {
    pub fn d(&self, s: &str) -> String {
        self.num.digits(s)
    }
    pub fn count(&self, n: impl ToString) -> String {
        self.num.digits(&n.to_string())
    }
    pub fn l(&self, key: &str) -> String {
        self.cfg.label(key)
    }
    pub fn number(&self, ind: &Indicator, v: f64) -> String {
        self.num.number(v, ind.decimals())
    }
    /// "ร้อยละ ๖๖.๓๖", "๑๒๐ คน", "ระดับ ๕".
    pub fn value(&self, ind: &Indicator, v: f64) -> String {
        self.value_in(ind, v, None)
    }
    /// [`Fmt::value`] in the unit the source counted in, where it is not the
    /// indicator's ("๙ กิจกรรม" for an indicator counted in โครงการ).
    pub fn value_in(&self, ind: &Indicator, v: f64, unit: Option<&str>) -> String {
        let n = self.number(ind, v);
        let unit = unit.unwrap_or(&ind.unit);
        // Thai writes "ร้อยละ ๖๖.๓๖" and "ระดับ ๕" but "๑๒๐ คน"; English
        // puts every unit but a level after the number ("66.36 percent").
        match (ind.measure, self.num.words) {
            (Measure::Level, _) | (Measure::Percent, crate::thai::Words::Thai) => format!("{unit} {n}"),
            _ => format!("{n} {unit}"),
        }
    }
    pub fn direction(&self, d: Direction) -> String {
        self.l(match d {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
            Direction::Exactly => "exactly",
        })
    }
    /// "ไม่ต่ำกว่าร้อยละ ๖๐", "ไม่ต่ำกว่า ๑๕ หน่วยงาน": Thai writes no space
    /// between words, but a number needs one before it.
    pub fn directed_in(&self, d: Direction, ind: &Indicator, v: f64, unit: Option<&str>) -> String {
        let value = self.value_in(ind, v, unit);
        let thai = self.num.words == crate::thai::Words::Thai;
        let space = if !thai || value.starts_with(|c: char| c.is_numeric()) { " " } else { "" };
        format!("{}{space}{}", self.direction(d), value)
    }
    pub fn symbol(d: Direction) -> &'static str {
        match d {
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
            Direction::Exactly => "=",
        }
    }
    pub fn status(&self, s: Status) -> StatusView {
        StatusView { key: s.key(), word: self.l(&format!("status_{}", s.key())), glyph: charts::status_style(s).2 }
    }
    /// A target's value and direction in words, the direction left out where
    /// the source does not write it: the note says the editor inferred it.
    pub fn target_value(
        &self,
        ind: &Indicator,
        v: f64,
        d: Option<Direction>,
        unit: Option<&str>,
        inferred: bool,
    ) -> (String, Option<String>) {
        match d {
            Some(d) if inferred => {
                (self.value_in(ind, v, unit), Some(format!("{} “{}”", self.l("direction_inferred"), self.direction(d))))
            }
            Some(d) => (self.directed_in(d, ind, v, unit), None),
            None => (self.value_in(ind, v, unit), None),
        }
    }
    pub fn target(&self, ind: &Indicator, t: &YearTarget) -> TargetView {
        let unit = t.unit.as_deref();
        let mut inferred_text = None;
        let (kind, text) = match t.kind {
            TargetKind::Numeric => (
                "numeric",
                match t.value {
                    Some(v) => {
                        let (text, inferred) = self.target_value(ind, v, t.direction, unit, t.direction_inferred);
                        inferred_text = inferred;
                        text
                    }
                    None => String::new(),
                },
            ),
            TargetKind::Milestone => ("milestone", t.text.clone().unwrap_or_default()),
            TargetKind::NotAssessed => (
                "not_assessed",
                match (t.first_year, t.first_value) {
                    (Some(y), Some(v)) => format!(
                        "{} ({} {} {} {})",
                        self.l("status_not_assessed"),
                        self.l("first_assessed"),
                        self.num.year(y),
                        self.l("target"),
                        self.value_in(ind, v, unit)
                    ),
                    (Some(y), None) => {
                        format!("{} ({} {})", self.l("status_not_assessed"), self.l("first_assessed"), self.num.year(y))
                    }
                    _ => self.l("status_not_assessed"),
                },
            ),
        };
        let source_text = t.text.clone().filter(|s| s != &text && t.kind != TargetKind::Milestone);
        TargetView { kind, text, source_text, inferred_text }
    }
    pub fn short_target(&self, ind: &Indicator, t: Option<&YearTarget>) -> String {
        match t {
            None => "–".into(),
            Some(t) => match (t.kind, t.value, t.direction) {
                (TargetKind::Numeric, Some(v), Some(d)) => format!("{} {}", Self::symbol(d), self.number(ind, v)),
                (TargetKind::Numeric, Some(v), None) => self.number(ind, v),
                (TargetKind::Milestone, ..) => self.l("chart_milestone"),
                _ => self.l("status_not_assessed"),
            },
        }
    }
}

/// The shared state of one model build.
pub(super) struct Ctx<'a> {
    pub f: Fmt<'a>,
    pub inp: &'a Inputs<'a>,
    pub index: &'a Index<'a>,
    pub words: StatusWords,
    /// Breaks chart labels into lines, keeping the site's terms whole.
    pub breaker: crate::thai::Breaker,
    /// One view per observation, in `inp.observations` order.
    observations: Vec<ObservationView>,
    /// Observations (positions) by what they are about, and by fiscal year.
    by_subject: BTreeMap<&'a Subject, Vec<usize>>,
    by_year: BTreeMap<i32, Vec<usize>>,
    /// Per strategy, per results file: its tally, counted once and shown on
    /// the strategy's page, in the year's report and in the progress chart.
    tallies: Vec<Vec<Tally>>,
}

impl<'a> Ctx<'a> {
    /// A chart, from the earlier build's cache when its inputs are the same.
    /// `inputs` must hold everything `draw` reads.
    pub fn chart(&self, inputs: &impl serde::Serialize, draw: impl FnOnce() -> String) -> String {
        match self.inp.charts {
            Some(cache) => cache.draw(inputs, draw),
            None => draw(),
        }
    }

    /// Strategy and indicator charts have a PNG download (see
    /// `Outputs::png_max_indicators`).
    pub fn entity_pngs(&self) -> bool {
        self.inp.config.site.data.outputs.entity_pngs(self.index.plan.indicators.len())
    }

    pub fn new(inp: &'a Inputs<'a>) -> Ctx<'a> {
        let f = Fmt { num: inp.config.numerals(), cfg: inp.config };
        let index = inp.index;
        let words = StatusWords { words: Status::ALL.map(|s| f.l(&format!("status_{}", s.key()))) };
        let mut by_subject: BTreeMap<&Subject, Vec<usize>> = BTreeMap::new();
        let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (k, o) in inp.observations.iter().enumerate() {
            by_subject.entry(&o.subject).or_default().push(k);
            if let Subject::Indicator { year: Some(y), .. } | Subject::Strategy { year: y, .. } | Subject::Year(y) =
                &o.subject
            {
                by_year.entry(*y).or_default().push(k);
            }
        }
        let tallies = (0..index.plan.strategies.len())
            .map(|s| {
                (0..index.data.results.len())
                    .map(|file| {
                        let year = index.data.results[file].data.year;
                        Tally::of(
                            index
                                .indicators_of_strategy(s)
                                .iter()
                                .map(|&i| (&index.plan.indicators[i], index.result(file, i).map(|(_, r)| r))),
                            year,
                        )
                    })
                    .collect()
            })
            .collect();
        let org = &index.plan.organization;
        let breaker = inp.config.keep_together(std::iter::once(org.name.clone()).chain(org.short.clone()));
        let mut ctx = Ctx { f, inp, index, words, breaker, observations: Vec::new(), by_subject, by_year, tallies };
        ctx.observations = inp.observations.iter().map(|o| ctx.observation_view(o)).collect();
        ctx
    }

    fn observation_view(&self, o: &Observation) -> ObservationView {
        let f = &self.f;
        let subject = match &o.subject {
            Subject::Indicator { id, .. } => self
                .index
                .indicator(id)
                .map(|i| link(format!("{} {}", f.l("indicator_n"), f.d(&i.code)), routes::indicator(id))),
            Subject::Strategy { id, .. } => {
                Some(link(format!("{} {}", f.l("strategy_n"), f.d(id)), routes::strategy(id)))
            }
            Subject::Year(y) => Some(link(f.num.fiscal_year(*y), routes::year(*y))),
            Subject::Plan => None,
        };
        let year = match &o.subject {
            Subject::Indicator { year, .. } => *year,
            Subject::Strategy { year, .. } | Subject::Year(year) => Some(*year),
            Subject::Plan => None,
        };
        let doc = year
            .and_then(|y| self.index.data.results.iter().find(|r| r.data.year == y))
            .and_then(|r| r.data.document.as_ref())
            .map(|d| d.file.as_str());
        let cites = o
            .cites
            .iter()
            .filter_map(|&line| self.source_link(doc, Some(&SourceRef { section: None, line: Some(line) })))
            .collect();
        ObservationView {
            cites,
            kind: o.finding.kind.code(),
            kind_word: f.l(&format!("finding_{}", o.finding.kind.code().replace('-', "_"))),
            message: f.d(&o.finding.message),
            location: o.finding.location(),
            subject,
        }
    }

    /// The views of the observations about one subject, in order.
    pub fn observations_of(&self, subject: &Subject) -> Vec<ObservationView> {
        self.by_subject
            .get(subject)
            .map_or_else(Vec::new, |ks| ks.iter().map(|&k| self.observations[k].clone()).collect())
    }

    /// Every observation of a fiscal year (about it, its strategies or its
    /// indicators), filtered, in order.
    pub fn observations_in_year(&self, year: i32, keep: impl Fn(&Subject) -> bool) -> Vec<ObservationView> {
        self.by_year.get(&year).map_or_else(Vec::new, |ks| {
            ks.iter()
                .filter(|&&k| keep(&self.inp.observations[k].subject))
                .map(|&k| self.observations[k].clone())
                .collect()
        })
    }

    /// A strategy's tally in a results file.
    pub fn tally(&self, strategy: usize, file: usize) -> Tally {
        self.tallies[strategy][file]
    }

    /// A source reference of a file citing `doc_file`, as a link to the line.
    pub fn source_link(&self, doc_file: Option<&str>, s: Option<&SourceRef>) -> Option<SourceLink> {
        let f = &self.f;
        let s = s?;
        let doc = doc_file.and_then(|d| self.inp.documents.get(d));
        let mut parts = Vec::new();
        if let Some(sec) = &s.section {
            parts.push(sec.clone());
        }
        if let Some(line) = s.line {
            parts.push(format!("{} {}", f.l("line"), f.count(line)));
        }
        let path = match (doc, s.line) {
            (Some(d), Some(line)) => routes::source_line(&d.path, line),
            (Some(d), None) => d.path.clone(),
            _ => String::new(),
        };
        Some(SourceLink { text: parts.join(", "), path })
    }

    /// How an indicator (by position) is named and linked everywhere.
    pub fn indicator_ref(&self, i: usize) -> IndicatorRef {
        let f = &self.f;
        let ind = &self.index.plan.indicators[i];
        let sid = self.index.strategy_id_of(i);
        IndicatorRef {
            id: ind.id.clone(),
            code_text: f.d(&ind.code),
            long_code: format!("{} {} {} {}", f.l("strategy_n"), f.d(sid), f.l("indicator_n"), f.d(&ind.code)),
            name: ind.name.clone(),
            path: routes::indicator(&ind.id),
            strategy_id: sid.to_string(),
        }
    }

    pub fn tally_view(&self, t: Tally) -> TallyView {
        let f = &self.f;
        let counts = [
            (Status::Exceeded, t.exceeded),
            (Status::Met, t.achieved - t.exceeded),
            (Status::NotMet, t.not_met),
            (Status::NotAssessed, t.not_assessed),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| (f.status(s), f.count(n)))
        .collect();
        TallyView {
            indicators: f.count(t.indicators),
            with_target: f.count(t.with_target),
            achieved: f.count(t.achieved),
            exceeded: f.count(t.exceeded),
            met_only: f.count(t.achieved - t.exceeded),
            not_met: f.count(t.not_met),
            not_assessed: f.count(t.not_assessed),
            achieved_percent: (t.with_target > 0)
                .then(|| f.num.number(f64::from(t.achieved) / f64::from(t.with_target) * 100.0, 2)),
            counts,
        }
    }

    /// "ยุทธศาสตร์ที่ ๑".
    pub fn strategy_title(&self, id: &str) -> String {
        format!("{} {}", self.f.l("strategy_n"), self.f.d(id))
    }
}

/// A round upper bound and tick step for a count axis.
pub(super) fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 1.0);
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let step = if step < 1.0 { 1.0 } else { step };
    ((max / step).ceil() * step, step)
}

/// A stacked bar per row (a strategy, or an issue of a large strategy):
/// how many indicators exceeded, met, did not meet or were not assessed.
/// A number as a spreadsheet reads it: Arabic digits, a dot, no grouping.
pub(super) fn plain(v: f64) -> String {
    // Shortest form that reads back as the same number, as the open data's CSV.
    v.to_string()
}

pub(super) fn progress_chart(
    ctx: &Ctx<'_>,
    id: String,
    key: String,
    title: String,
    rows: &[(String, Tally)],
) -> ChartView {
    let f = &ctx.f;
    let chart_rows: Vec<charts::ProgressRow> = rows
        .iter()
        .map(|(label, t)| charts::ProgressRow {
            label: label.clone(),
            counts: [t.exceeded, t.achieved - t.exceeded, t.not_met, t.not_assessed],
            total_text: format!("{} {}", f.count(t.indicators), f.l("indicators_unit")),
        })
        .collect();
    let desc = chart_rows
        .iter()
        .map(|row| {
            let parts: Vec<String> = Status::ALL
                .iter()
                .enumerate()
                .filter(|(k, _)| row.counts[*k] > 0)
                .map(|(k, s)| format!("{} {}", ctx.words.word(*s), f.count(row.counts[k])))
                .collect();
            format!("{}: {} {}", row.label, row.total_text, parts.join(" "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let svg = ctx.chart(
        &("progress", &id, &title, &desc, &chart_rows, &ctx.words, format!("{:?}", f.num), &ctx.breaker),
        || charts::progress(&id, &title, &desc, &chart_rows, &ctx.words, &|n| f.count(n), &ctx.breaker),
    );
    let mut table = vec![vec![f.l("chart_data_row"), f.l("indicators")]];
    table[0].extend(Status::ALL.iter().map(|s| ctx.words.word(*s).to_string()));
    for (label, t) in rows {
        let mut row = vec![label.clone(), t.indicators.to_string()];
        row.extend([t.exceeded, t.achieved - t.exceeded, t.not_met, t.not_assessed].map(|n| n.to_string()));
        table.push(row);
    }
    ChartView { id, title, svg, key, table, png: true }
}
