//! Indicator pages, and each result's view (shown on the indicator's page,
//! its strategy's page and the year's report), built once.

use super::context::{Ctx, nice_scale, plain};
use super::views::*;
use crate::charts::{self, YearPoint};
use crate::data::{Indicator, Measure, TargetKind};
use crate::lint::Subject;
use crate::routes;
use crate::thai::ThaiDate;
use rayon::prelude::*;

/// Every result's view, per results file and indicator position.
pub(super) struct ResultViews(Vec<Vec<Option<std::sync::Arc<ResultView>>>>);

impl ResultViews {
    pub fn get(&self, file: usize, indicator: usize) -> Option<&std::sync::Arc<ResultView>> {
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
                    .map(|i| {
                        index
                            .result(file, i)
                            .map(|(r, _)| std::sync::Arc::new(result_view(ctx, &index.plan.indicators[i], file, r)))
                    })
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
    results: std::sync::Arc<ResultViews>,
    /// Each fiscal year of the plan and its results file, if any.
    files: Vec<(i32, Option<usize>)>,
}

impl<'a> Indicators<'a> {
    pub(super) fn new(ctx: Ctx<'a>, results: std::sync::Arc<ResultViews>) -> Indicators<'a> {
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
        let t = &ind.target;
        let five_year = f.target_value(ind, t.value, Some(t.direction), t.unit.as_deref(), t.direction_inferred);
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
            five_year_target_text: five_year.0,
            five_year_target_inferred: five_year.1,
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
            // Loading checked the dates; a range is two <time> elements, each
            // with its machine-readable date.
            let (date_text, range) = match (from, to) {
                (Some(a), Some(b)) => f.num.date_range_parts(a, b),
                (Some(a), None) => (f.num.date(a), None),
                _ => (e.date.clone(), None),
            };
            let (range_sep, end_text) = range.map_or((None, None), |(sep, b)| (Some(sep), Some(b)));
            EventView {
                date_text,
                datetime: from.map_or_else(String::new, ThaiDate::iso),
                end_datetime: to.filter(|_| end_text.is_some()).map(ThaiDate::iso),
                end_text,
                range_sep,
                text: e.text.clone(),
                amount_text: e.amount.map(|a| f.count(a)),
            }
        })
        .collect();
    let statements = ir
        .statements
        .iter()
        .map(|s| StatementView {
            place: s.place.clone(),
            value_text: s.value.map(|v| f.value_in(ind, v, ir.unit.as_deref())),
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
        value_text: ir.value.map(|v| f.value_in(ind, v, ir.unit.as_deref())),
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
            // Only figures in the indicator's own unit are drawn on its axis.
            let same_unit = |u: &Option<String>| u.as_ref().is_none_or(|u| *u == ind.unit);
            let value = r.filter(|r| same_unit(&r.unit)).and_then(|r| r.value);
            YearPoint {
                label: f.num.year(y),
                target: t.filter(|t| t.kind == TargetKind::Numeric && same_unit(&t.unit)).and_then(|t| t.value),
                target_text: f.short_target(ind, t),
                value,
                value_text: value.map(|v| f.number(ind, v)),
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
                (Some(v), Some(st)) => s.push_str(&format!(", {} {v} ({})", f.l("result"), ctx.words.word(st))),
                // A status that only repeats the target's own words says nothing more.
                (None, Some(st)) if ctx.words.word(st) == p.target_text => {}
                (None, Some(st)) => s.push_str(&format!(", {} {}", f.l("status"), ctx.words.word(st))),
                _ => s.push_str(&format!(", {}", f.l("no_result"))),
            }
            s
        })
        .collect();
    desc.push(format!("{} {}", f.l("five_year_target"), f.value_in(ind, ind.target.value, ind.target.unit.as_deref())));
    let final_text = format!("{} {}", f.l("chart_final_target"), f.number(ind, ind.target.value));
    let series = charts::IndicatorSeries {
        years: points,
        final_target: ind.target.value,
        final_text,
        scale_max,
        ticks,
        no_result: f.l("no_result"),
    };
    let desc = desc.join("; ");
    let svg = ctx.chart(&("indicator", &id, &title, &desc, &series, &ctx.breaker), || {
        charts::indicator(&id, &title, &desc, &series, &ctx.breaker)
    });
    let mut table = vec![vec![
        f.l("year"),
        f.l("target"),
        format!("{} ({})", f.l("target"), f.l("chart_data_words")),
        f.l("result"),
        f.l("status"),
        f.l("unit"),
    ]];
    for (y, p) in plan.period.years().zip(&series.years) {
        let t = ind.targets.get(&y.to_string());
        let r = ctx.index.result_in(y, i);
        table.push(vec![
            y.to_string(),
            p.target.map(plain).unwrap_or_default(),
            t.map(|t| f.target(ind, t).text).unwrap_or_default(),
            p.value.map(plain).unwrap_or_default(),
            r.map(|r| f.l(&format!("status_{}", r.status.key()))).unwrap_or_default(),
            ind.unit.clone(),
        ]);
    }
    ChartView { id, title, svg, key: format!("indicators/{}", ind.id), table, png: ctx.entity_pngs() }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, Built, assert_accessible};
    use crate::data::IndicatorResult;
    use crate::routes;
    use crate::thai::{Digits, to_arabic_digits};
    use std::collections::HashSet;

    /// An indicator's result in a fiscal year, found by scanning the files.
    fn scanned<'a>(b: &'a Built, id: &str, year: i32) -> Option<&'a IndicatorResult> {
        let file = b.inputs.data.results.iter().find(|r| r.data.year == year)?;
        file.data.indicators.iter().find(|r| r.indicator == id)
    }

    /// The id of the strategy an indicator's objective → issue → strategy
    /// chain leads to, found by scanning the plan.
    fn scanned_strategy<'a>(b: &'a Built, objective: &str) -> &'a str {
        let plan = b.plan();
        let o = plan.objectives.iter().find(|o| o.id == objective).expect("objective");
        &plan.issues.iter().find(|is| is.id == o.issue).expect("issue").strategy
    }

    /// Every page: its path, a year per plan year in order, a result exactly
    /// where the year's file has one, its strategy, an accessible chart.
    fn assert_pages(name: &str, b: &Built) {
        let plan = b.plan();
        assert_eq!(b.indicators.len(), plan.indicators.len(), "{name}");
        assert!(!b.indicators.is_empty(), "{name}");
        let plan_years: Vec<i32> = plan.period.years().collect();
        let mut chart_ids = HashSet::new();
        for (i, ind) in plan.indicators.iter().enumerate() {
            let v = b.indicators.view(i);
            let at = format!("{name}: {}", ind.id);
            assert_eq!(v.reference.id, ind.id, "{at}");
            assert_eq!(v.reference.path, routes::indicator(&ind.id), "{at}");
            assert_eq!(b.indicators.path(i), v.reference.path, "{at}");
            let sid = scanned_strategy(b, &ind.objective);
            assert_eq!(v.reference.strategy_id, sid, "{at}");
            assert_eq!(v.strategy.path, routes::strategy(sid), "{at}");
            assert_eq!(v.years.iter().map(|y| y.year).collect::<Vec<_>>(), plan_years, "{at}");
            for y in &v.years {
                let at = format!("{at} {}", y.year);
                assert_eq!(y.path, routes::year(y.year), "{at}");
                assert_eq!(y.reported, b.inputs.data.results.iter().any(|r| r.data.year == y.year), "{at}");
                let expected = scanned(b, &ind.id, y.year);
                assert_eq!(y.result.as_ref().map(|r| r.status.key), expected.map(|r| r.status.key()), "{at}");
                assert_eq!(y.target.is_some(), ind.targets.contains_key(&y.year.to_string()), "{at}");
            }
            assert_accessible(&v.chart);
            assert!(chart_ids.insert(v.chart.id.clone()), "{at}: chart id {} repeats", v.chart.id);
        }
    }

    #[test]
    fn default_site_has_a_page_per_indicator_with_each_plan_year() {
        let b = testing::default_site();
        assert_pages("default", b);
        // The default content reports one year of five: the others are there,
        // unreported.
        let v = b.indicators.view(0);
        assert_eq!(v.years.iter().filter(|y| y.reported).count(), b.inputs.data.results.len());
        assert!(v.years.iter().any(|y| !y.reported && y.result.is_none()));
    }

    #[test]
    fn synthetic_sites_have_a_page_per_indicator_with_each_plan_year() {
        assert_pages("split", testing::split_site());
        assert_pages("small", testing::small_site());
    }

    #[test]
    fn a_result_missing_from_its_years_file_is_absent_only_there() {
        // The second indicator's 2567 result names an indicator the plan does
        // not have: 2567 is reported, but this indicator has no result in it.
        let b = testing::synthetic_with(12, |site| {
            let file = site.data.results.iter_mut().find(|r| r.data.year == 2567).expect("2567");
            let id = site.data.plan.data.indicators[1].id.clone();
            std::sync::Arc::make_mut(&mut file.data)
                .indicators
                .iter_mut()
                .find(|r| r.indicator == id)
                .expect("its result")
                .indicator = "not-in-the-plan".into();
        });
        assert_pages("missing result", &b);
        let v = b.indicators.view(1);
        let got: Vec<(i32, bool, bool)> = v.years.iter().map(|y| (y.year, y.reported, y.result.is_some())).collect();
        assert_eq!(
            got,
            [(2566, true, true), (2567, true, false), (2568, true, true), (2569, false, false), (2570, false, false)]
        );
        assert!(b.indicators.view(0).years[1].result.is_some(), "its neighbour keeps its 2567 result");
    }

    #[test]
    fn figures_are_in_the_sites_digits() {
        let thai = testing::default_site();
        assert_eq!(thai.inputs.config.site.data.digits, Digits::Thai);
        let arabic = testing::build(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), |site| {
            std::sync::Arc::make_mut(&mut site.config.site.data).digits = Digits::Arabic;
        });
        let is_thai_digit = |c: char| ('๐'..='๙').contains(&c);
        for i in 0..thai.indicators.len() {
            let (t, a) = (thai.indicators.view(i), arabic.indicators.view(i));
            let mut figures = vec![(&t.five_year_target_text, &a.five_year_target_text)];
            for (ty, ay) in t.years.iter().zip(&a.years) {
                figures.push((&ty.year_text, &ay.year_text));
                if let (Some(tr), Some(ar)) = (&ty.result, &ay.result) {
                    figures.extend(tr.value_text.as_ref().zip(ar.value_text.as_ref()));
                    figures.extend(tr.count_text.as_ref().zip(ar.count_text.as_ref()));
                }
            }
            for (t, a) in figures {
                assert!(!t.contains(|c: char| c.is_ascii_digit()), "{t:?} has ASCII digits");
                assert!(t.contains(is_thai_digit), "{t:?} states no figure");
                assert!(!a.contains(is_thai_digit), "{a:?} has Thai digits");
                assert_eq!(&to_arabic_digits(t), a, "the same text, other digits");
            }
        }
    }
}
