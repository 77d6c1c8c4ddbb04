//! Indicator pages, and each result's view (shown on the indicator's page,
//! its strategy's page and the year's report), built once.

use super::context::{Ctx, nice_scale};
use super::views::*;
use crate::charts::{self, YearPoint};
use crate::data::{Indicator, Measure, TargetKind};
use crate::lint::Subject;
use crate::routes;
use crate::thai::ThaiDate;
use rayon::prelude::*;

/// Every result's view, per results file and indicator position.
pub(super) struct ResultViews(Vec<Vec<Option<ResultView>>>);

impl ResultViews {
    pub fn get(&self, file: usize, indicator: usize) -> Option<&ResultView> {
        self.0[file][indicator].as_ref()
    }
}

pub(super) fn results(ctx: &Ctx<'_>) -> ResultViews {
    let index = ctx.index;
    ResultViews(
        (0..index.data.results.len())
            .map(|file| {
                (0..index.plan.indicators.len())
                    .into_par_iter()
                    .map(|i| index.result(file, i).map(|(r, _)| result_view(ctx, &index.plan.indicators[i], file, r)))
                    .collect()
            })
            .collect(),
    )
}

/// Indicator pages, made one at a time while they are rendered: at scale
/// they are most of the model (a chart and every year's result each), and
/// none of them is needed by another page.
pub struct Indicators<'a> {
    ctx: Ctx<'a>,
    results: ResultViews,
    /// Each fiscal year of the plan and its results file, if any.
    files: Vec<(i32, Option<usize>)>,
}

impl<'a> Indicators<'a> {
    pub(super) fn new(ctx: Ctx<'a>, results: ResultViews) -> Indicators<'a> {
        let index = ctx.index;
        let files =
            index.plan.period.years().map(|y| (y, index.data.results.iter().position(|r| r.data.year == y))).collect();
        Indicators { ctx, results, files }
    }

    /// How many indicators the plan has.
    pub fn len(&self) -> usize {
        self.ctx.index.plan.indicators.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where the plan's `i`-th indicator's page is.
    pub fn path(&self, i: usize) -> String {
        routes::indicator(&self.ctx.index.plan.indicators[i].id)
    }

    /// The page of the plan's `i`-th indicator.
    pub fn view(&self, i: usize) -> IndicatorView {
        let (ctx, results) = (&self.ctx, &self.results);
        let f = &ctx.f;
        let index = ctx.index;
        let plan = index.plan;
        let ind = &plan.indicators[i];
        let objective = index.objective_of(i);
        let issue = index.issue_of(i);
        let strategy = index.strategy_of(i);
        let years = self
            .files
            .iter()
            .map(|&(y, file)| IndicatorYearView {
                year: y,
                year_text: f.num.year(y),
                fiscal_year_text: f.num.fiscal_year(y),
                path: routes::year(y),
                target: ind.targets.get(&y.to_string()).map(|t| f.target(ind, t)),
                result: file.and_then(|file| results.get(file, i)).cloned(),
                reported: file.is_some(),
            })
            .collect();
        IndicatorView {
            reference: ctx.indicator_ref(i),
            strategy: strategy.map_or_else(|| link("", ""), |s| link(s.name.clone(), routes::strategy(&s.id))),
            strategy_code_text: strategy.map_or_else(String::new, |s| f.d(&s.id)),
            issue: issue.map_or_else(
                || Named { code_text: String::new(), name: String::new() },
                |i| Named { code_text: f.d(&i.id), name: i.name.clone() },
            ),
            objective: objective.map_or_else(
                || Named { code_text: String::new(), name: String::new() },
                |o| Named { code_text: f.d(&o.code), name: o.name.clone() },
            ),
            unit: ind.unit.clone(),
            measure: ind.measure,
            cumulative: ind.cumulative,
            five_year_target_source: ind.target.text.clone(),
            five_year_target_text: f.directed(ind.target.direction, ind, ind.target.value),
            years,
            chart: chart(ctx, i),
            note_html: ctx.inp.texts.indicator_notes[i].clone(),
            observations: ctx.observations_of(&Subject::Indicator { id: ind.id.clone(), year: None }),
            source: ctx.source_link(plan.document.as_ref().map(|d| d.file.as_str()), ind.source.as_ref()),
        }
    }
}

fn result_view(ctx: &Ctx<'_>, ind: &Indicator, file: usize, r: usize) -> ResultView {
    let f = &ctx.f;
    let res = &ctx.index.data.results[file];
    let ir = &res.data.indicators[r];
    let doc_file = res.data.document.as_ref().map(|d| d.file.as_str());
    let texts = ctx.inp.texts;
    let unit = |u: &Option<String>| u.clone().unwrap_or_default();
    let count_text = ir.count.as_ref().map(|c| {
        format!("{} {} {} {}", f.count(c.done), f.l("of"), f.count(c.total), unit(&c.unit)).trim_end().to_string()
    });
    let events = ir
        .events
        .iter()
        .map(|e| {
            let from = ThaiDate::parse(&e.date).ok();
            let to = e.end.as_deref().and_then(|t| ThaiDate::parse(t).ok());
            let date_text = match (from, to) {
                (Some(a), Some(b)) => f.num.date_range(a, b),
                (Some(a), None) => f.num.date(a),
                _ => e.date.clone(),
            };
            EventView { date_text, text: e.text.clone(), amount_text: e.amount.map(|a| f.count(a)) }
        })
        .collect();
    let statements = ir
        .statements
        .iter()
        .map(|s| StatementView {
            place: s.place.clone(),
            value_text: s.value.map(|v| f.value(ind, v)),
            target_text: s.target.map(|v| f.value(ind, v)),
            count_text: s.count.as_ref().map(|c| format!("{} {} {}", f.count(c.done), f.l("of"), f.count(c.total))),
            status: s.status.map(|st| f.status(st)),
            quote: s.quote.clone(),
            source: ctx
                .source_link(doc_file, Some(&crate::data::SourceRef { section: None, line: s.line }))
                .filter(|_| s.line.is_some()),
        })
        .collect();
    ResultView {
        status: f.status(ir.status),
        value_text: ir.value.map(|v| f.value(ind, v)),
        count_text,
        summary_html: texts.summaries[file][r].clone(),
        events,
        statements,
        note_html: texts.result_notes[file][r].clone(),
        source: ctx.source_link(doc_file, ir.source.as_ref()),
        observations: ctx.observations_of(&Subject::Indicator { id: ind.id.clone(), year: Some(res.data.year) }),
    }
}

/// Targets and results across the plan's years, with the five-year target.
fn chart(ctx: &Ctx<'_>, i: usize) -> ChartView {
    let f = &ctx.f;
    let plan = ctx.index.plan;
    let ind = &plan.indicators[i];
    let points: Vec<YearPoint> = plan
        .period
        .years()
        .map(|y| {
            let t = ind.targets.get(&y.to_string());
            let r = ctx.index.result_in(y, i);
            YearPoint {
                label: f.num.year(y),
                target: t.filter(|t| t.kind == TargetKind::Numeric).and_then(|t| t.value),
                target_text: f.short_target(ind, t),
                value: r.and_then(|r| r.value),
                value_text: r.and_then(|r| r.value).map(|v| f.number(ind, v)),
                status: r.map(|r| r.status),
            }
        })
        .collect();
    let (scale_max, step) = match ind.measure {
        Measure::Percent => (100.0, 25.0),
        _ => {
            let max = points
                .iter()
                .flat_map(|p| [p.target, p.value])
                .flatten()
                .chain([ind.target.value])
                .fold(0.0f64, f64::max);
            nice_scale(max * 1.1)
        }
    };
    let mut ticks = Vec::new();
    let mut v = 0.0;
    while v <= scale_max + 1e-9 {
        ticks.push((v, f.num.number(v, 0)));
        v += step;
    }
    let id = format!("chart-{}", ind.id);
    let title = format!("{} {} ({})", f.l("chart_indicator_title"), f.d(&ind.code), ind.unit);
    let mut desc: Vec<String> = points
        .iter()
        .map(|p| {
            let mut s = format!("{} {}: {} {}", f.l("year"), p.label, f.l("target"), p.target_text);
            match (&p.value_text, p.status) {
                (Some(v), Some(st)) => {
                    s.push_str(&format!(", {} {v} ({})", f.l("result"), f.l(&format!("status_{}", st.key()))))
                }
                (None, Some(st)) => s.push_str(&format!(", {}", f.l(&format!("status_{}", st.key())))),
                _ => s.push_str(&format!(", {}", f.l("no_result"))),
            }
            s
        })
        .collect();
    desc.push(format!("{} {}", f.l("five_year_target"), f.value(ind, ind.target.value)));
    let final_text = format!("{} {}", f.l("chart_final_target"), f.number(ind, ind.target.value));
    let series = charts::IndicatorSeries {
        years: points,
        final_target: ind.target.value,
        final_text,
        scale_max,
        ticks,
        no_result: f.l("no_result"),
    };
    let svg = charts::indicator(&id, &title, &desc.join("; "), &series);
    ChartView { id, title, svg }
}
