//! Strategy pages, and each strategy's fiscal year (its tally, results
//! table, chart and narrative), which its page and the year's report share.

use super::context::{Ctx, Fmt, progress_chart};
use super::indicator::ResultViews;
use super::views::*;
use super::{MAX_ROWS_PER_PAGE, reports_split};
use crate::charts::{self, BulletRow};
use crate::content::Role;
use crate::data::{Indicator, IndicatorResult, Measure, Status, StrategyReport, TargetKind, YearTarget};
use crate::lint::Subject;
use crate::routes;
use rayon::prelude::*;
use std::collections::HashMap;

/// Every strategy's view of every results file: `[strategy][file]`.
// Shared, not copied, by the strategy pages that show them: at scale each is
// dozens of rows with their results.
pub(super) type StrategyYears = Vec<Vec<std::sync::Arc<StrategyYearView>>>;

pub(super) fn years(ctx: &Ctx<'_>, results: &ResultViews) -> StrategyYears {
    let narratives: HashMap<(&str, i32), usize> = ctx
        .inp
        .pages
        .iter()
        .enumerate()
        .filter_map(|(k, p)| match &p.role {
            Role::StrategyNarrative { strategy, year } => Some(((strategy.as_str(), *year), k)),
            _ => None,
        })
        .collect();
    // Each results file's report per strategy, by strategy id: a lookup, not
    // a scan of every strategy for each one.
    let reports: Vec<HashMap<&str, &StrategyReport>> = ctx
        .index
        .data
        .results
        .iter()
        .map(|r| r.data.strategies.iter().rev().map(|sr| (sr.strategy.as_str(), sr)).collect())
        .collect();
    let files = ctx.index.data.results.len();
    (0..ctx.index.plan.strategies.len())
        .into_par_iter()
        .map(|s| {
            (0..files)
                .map(|file| {
                    let report = reports[file].get(ctx.index.plan.strategies[s].id.as_str()).copied();
                    let make = || strategy_year(ctx, results, &narratives, s, file, report);
                    match ctx.inp.kept {
                        // Besides what the base covers, it reads its narrative.
                        Some((kept, _)) => {
                            let year = ctx.index.data.results[file].data.year;
                            let sid = ctx.index.plan.strategies[s].id.as_str();
                            let narrative = narratives.get(&(sid, year)).map(|&k| &ctx.inp.texts.pages[k].html);
                            super::kept_view(&kept.strategy_years, (s, file), crate::fingerprint::of(&narrative), make)
                        }
                        None => std::sync::Arc::new(make()),
                    }
                })
                .collect()
        })
        .collect()
}

fn strategy_year(
    ctx: &Ctx<'_>,
    results: &ResultViews,
    narratives: &HashMap<(&str, i32), usize>,
    s: usize,
    file: usize,
    report: Option<&StrategyReport>,
) -> StrategyYearView {
    let f = &ctx.f;
    let index = ctx.index;
    let plan = index.plan;
    let res = &index.data.results[file].data;
    let year = res.year;
    let key = year.to_string();
    let sid = plan.strategies[s].id.as_str();
    let inds = index.indicators_of_strategy(s);
    let summarised = inds.len() > MAX_ROWS_PER_PAGE;
    let issues: Vec<IssueRows> = index
        .issues_of(s)
        .map(|(is, issue)| IssueRows {
            code_text: f.d(&issue.id),
            name: issue.name.clone(),
            count_text: f.count(index.indicators_of_issue(is).len()),
            rows: index
                .indicators_of_issue(is)
                .iter()
                .map(|&i| {
                    let ind = &plan.indicators[i];
                    Row {
                        indicator: ctx.indicator_ref(i),
                        target: ind.targets.get(&key).map(|t| f.target(ind, t)),
                        result: results.get(file, i).cloned(),
                    }
                })
                .collect::<Vec<_>>()
                .into(),
        })
        .collect();
    let chart_id = format!("chart-s{sid}-{year}");
    let chart_key = format!("strategies/{sid}/{year}");
    let title = format!("{} {} {}", f.l("chart_strategy_title"), f.d(sid), f.num.fiscal_year(year));
    // A bar per indicator stays readable to a few dozen; beyond, a bar per
    // issue says the same at a glance, and the table has the detail.
    let (chart, issue_tallies) = if summarised {
        let rows: Vec<(String, crate::rules::Tally)> = index
            .issues_of(s)
            .map(|(is, issue)| {
                let t = crate::rules::Tally::of(
                    index
                        .indicators_of_issue(is)
                        .iter()
                        .map(|&i| (&plan.indicators[i], index.result(file, i).map(|(_, r)| r))),
                    year,
                );
                (format!("{} {} {}", f.l("issue_n"), f.d(&issue.id), issue.name), t)
            })
            .collect();
        let tallies = rows.iter().map(|(label, t)| (label.clone(), ctx.tally_view(*t))).collect();
        let chart = ChartView { png: ctx.entity_pngs(), ..progress_chart(ctx, chart_id, chart_key, title, &rows) };
        (chart, tallies)
    } else {
        let rows: Vec<BulletRow> = inds
            .iter()
            .map(|&i| {
                let ind = &plan.indicators[i];
                bullet_row(f, ind, ind.targets.get(&key), index.result(file, i).map(|(_, r)| r))
            })
            .collect();
        let desc = charts::bullets_desc(&rows, &ctx.words, &f.l("indicator_n"));
        let svg = ctx.chart(&("bullets", &chart_id, &title, &desc, &rows, &ctx.words, &ctx.breaker), || {
            charts::bullets(&chart_id, &title, &desc, &rows, &ctx.words, &ctx.breaker)
        });
        let mut table =
            vec![vec![f.l("indicator"), f.l("name_label"), f.l("target"), f.l("result"), f.l("status"), f.l("unit")]];
        for &i in inds.iter() {
            let ind = &plan.indicators[i];
            let t = ind.targets.get(&key);
            let r = index.result(file, i).map(|(_, r)| r);
            table.push(vec![
                ind.code.clone(),
                ind.name.clone(),
                t.map(|t| f.target(ind, t).text).unwrap_or_default(),
                r.and_then(|r| r.value).map(super::context::plain).unwrap_or_default(),
                ctx.words.word(r.map_or(Status::NotAssessed, |r| r.status)).to_string(),
                ind.unit.clone(),
            ]);
        }
        (ChartView { id: chart_id, title, svg, key: chart_key, table, png: ctx.entity_pngs() }, Vec::new())
    };
    StrategyYearView {
        year,
        fiscal_year_text: f.num.fiscal_year(year),
        year_path: routes::year(year),
        report_path: reports_split(index.plan).then(|| routes::year_strategy(year, sid)),
        tally: ctx.tally_view(ctx.tally(s, file)),
        summarised,
        issue_tallies,
        issues,
        chart: std::sync::Arc::new(chart),
        narrative_html: narratives.get(&(sid, year)).map(|&k| ctx.inp.texts.pages[k].html.clone()),
        projects_text: report.and_then(|r| r.projects).map(|n| f.count(n)),
        next_year_projects_text: report.and_then(|r| r.next_year_projects).map(|n| f.count(n)),
        observations: ctx.observations_of(&Subject::Strategy { id: sid.to_string(), year }),
    }
}

/// Every strategy's page, in plan order; the latest year first.
pub(super) fn build(ctx: &Ctx<'_>, years: &StrategyYears) -> Vec<StrategyView> {
    let f = &ctx.f;
    let index = ctx.index;
    index
        .plan
        .strategies
        .iter()
        .enumerate()
        .map(|(s, strategy)| StrategyView {
            id: strategy.id.clone(),
            code_text: f.d(&strategy.id),
            title: ctx.strategy_title(&strategy.id),
            name: strategy.name.clone(),
            path: routes::strategy(&strategy.id),
            goals: strategy.goals.clone(),
            issues: index
                .issues_of(s)
                .map(|(is, issue)| IssueView {
                    code_text: f.d(&issue.id),
                    name: issue.name.clone(),
                    objectives: index
                        .objectives_of(is)
                        .map(|(o, objective)| ObjectiveView {
                            code_text: f.d(&objective.code),
                            name: objective.name.clone(),
                            indicators: index
                                .indicators_of_objective(o)
                                .iter()
                                .map(|&i| ctx.indicator_ref(i))
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            indicator_count_text: f.count(index.indicators_of_strategy(s).len()),
            years: years[s].iter().rev().cloned().collect(),
        })
        .collect()
}

/// Each strategy as the lists show it (see [`super::Model::listed`]).
pub(super) fn listed(strategies: &[StrategyView]) -> Vec<StrategyView> {
    strategies
        .iter()
        .map(|s| StrategyView {
            years: s
                .years
                .first()
                .map(|latest| std::sync::Arc::new(StrategyYearView { narrative_html: None, ..(**latest).clone() }))
                .into_iter()
                .collect(),
            ..s.clone()
        })
        .collect()
}

fn bullet_row(f: &Fmt<'_>, ind: &Indicator, t: Option<&YearTarget>, r: Option<&IndicatorResult>) -> BulletRow {
    let status = r.map_or(Status::NotAssessed, |r| r.status);
    let numeric_target = t
        .filter(|t| t.kind == TargetKind::Numeric && t.unit.as_ref().is_none_or(|u| *u == ind.unit))
        .and_then(|t| t.value.map(|v| (v, t.direction.unwrap_or_default())));
    // A result counted in another unit is written, never drawn against the
    // indicator's target.
    let unit = r.and_then(|r| r.unit.as_deref());
    let comparable = unit.is_none_or(|u| u == ind.unit);
    let value = r.and_then(|r| r.value);
    let bullet = match (numeric_target, value.filter(|_| comparable)) {
        (Some((tv, dir)), Some(v)) => {
            // A percentage runs to 100; a count runs to the larger of the
            // result and the target it is judged by, so the bar reads as
            // "this much of, or beyond, the target" and nothing else.
            let (scale_max, scale_text) = match ind.measure {
                Measure::Percent => (100.0, f.value(ind, 100.0)),
                _ => (v.max(tv), f.value(ind, v.max(tv))),
            };
            Some(charts::Bullet {
                value: v,
                target: tv,
                scale_max,
                value_text: format!("{} {}", f.l("result"), f.value(ind, v)),
                target_text: format!("{} {} {}", f.l("target_short"), Fmt::symbol(dir), f.number(ind, tv)),
                scale_text: format!("{} {scale_text}", f.l("chart_scale")),
            })
        }
        _ => None,
    };
    let note = match t {
        Some(t) => format!("{}: {}", f.l("target"), f.target(ind, t).text),
        None => format!("{}: –", f.l("target")),
    };
    let result_text = match (&bullet, value) {
        (None, Some(v)) => Some(format!("{} {}", f.l("result"), f.value_in(ind, v, unit))),
        _ => None,
    };
    BulletRow { code: f.d(&ind.code), name: ind.name.clone(), status, bullet, note, result_text }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, Built, assert_accessible, count};
    use super::super::{MAX_ROWS_PER_PAGE, TallyView};
    use crate::data::Status;
    use crate::routes;

    /// The ids of the plan's indicators whose objective → issue → strategy
    /// chain leads to `sid`, in plan order, by scanning the plan.
    fn scanned(b: &Built, sid: &str) -> Vec<String> {
        let plan = b.plan();
        plan.indicators
            .iter()
            .filter(|ind| {
                let o = plan.objectives.iter().find(|o| o.id == ind.objective);
                let is = o.and_then(|o| plan.issues.iter().find(|is| is.id == o.issue));
                is.is_some_and(|is| is.strategy == sid)
            })
            .map(|ind| ind.id.clone())
            .collect()
    }

    /// A tally's counts as numbers: (indicators, with target, achieved,
    /// exceeded, met only, not met, not assessed).
    fn numbers(t: &TallyView) -> [u32; 7] {
        [&t.indicators, &t.with_target, &t.achieved, &t.exceeded, &t.met_only, &t.not_met, &t.not_assessed]
            .map(|s| count(s))
    }

    fn assert_strategies(name: &str, b: &Built) {
        let plan = b.plan();
        let model = &b.model;
        let ids: Vec<&str> = model.strategies.iter().map(|s| s.id.as_str()).collect();
        let plan_ids: Vec<&str> = plan.strategies.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, plan_ids, "{name}: one view per strategy, in plan order");
        let mut latest_first: Vec<i32> = b.inputs.data.results.iter().map(|r| r.data.year).collect();
        latest_first.reverse();
        for s in &model.strategies {
            let at = format!("{name}: strategy {}", s.id);
            assert_eq!(s.path, routes::strategy(&s.id), "{at}");
            let expected = scanned(b, &s.id);
            // The plan's tree on the page: issues, objectives, indicators.
            let listed: Vec<String> = s
                .issues
                .iter()
                .flat_map(|is| &is.objectives)
                .flat_map(|o| &o.indicators)
                .map(|r| r.id.clone())
                .collect();
            assert_eq!(listed, expected, "{at}: its indicators");
            assert_eq!(count(&s.indicator_count_text) as usize, expected.len(), "{at}");
            assert_eq!(s.years.iter().map(|y| y.year).collect::<Vec<_>>(), latest_first, "{at}: latest year first");
            for y in &s.years {
                let at = format!("{at}, {}", y.year);
                // The rows of the year's table: the same indicators.
                let rows: Vec<String> =
                    y.issues.iter().flat_map(|is| is.rows.iter()).map(|r| r.indicator.id.clone()).collect();
                assert_eq!(rows, expected, "{at}: its rows");
                for row in y.issues.iter().flat_map(|is| is.rows.iter()) {
                    assert_eq!(row.indicator.strategy_id, s.id, "{at}");
                    assert_eq!(row.indicator.path, routes::indicator(&row.indicator.id), "{at}");
                }
                // Each indicator counted once, under exactly one status.
                let [n, with_target, achieved, exceeded, met_only, not_met, not_assessed] = numbers(&y.tally);
                assert_eq!(n as usize, expected.len(), "{at}");
                assert_eq!(achieved + not_met + not_assessed, n, "{at}");
                assert_eq!(exceeded + met_only, achieved, "{at}");
                assert!(with_target <= n, "{at}");
                assert_eq!(y.tally.counts.iter().map(|(_, c)| count(c)).sum::<u32>(), n, "{at}");
                // …and as the results files say.
                let file = b.inputs.data.results.iter().find(|r| r.data.year == y.year).expect("its file");
                let status_of =
                    |id: &String| file.data.indicators.iter().find(|r| &r.indicator == id).map(|r| r.status);
                let with = |s: Status| expected.iter().filter(|id| status_of(id) == Some(s)).count() as u32;
                assert_eq!(exceeded, with(Status::Exceeded), "{at}");
                assert_eq!(met_only, with(Status::Met), "{at}");
                assert_eq!(not_met, with(Status::NotMet), "{at}");
                assert_eq!(y.year_path, routes::year(y.year), "{at}");
                assert_eq!(y.summarised, expected.len() > MAX_ROWS_PER_PAGE, "{at}");
                assert_accessible(&y.chart);
            }
        }
    }

    #[test]
    fn default_site_strategies() {
        let b = testing::default_site();
        assert_strategies("default", b);
        for s in &b.model.strategies {
            for y in &s.years {
                assert!(!y.summarised && y.issue_tallies.is_empty(), "a row per indicator");
                assert_eq!(y.report_path, None, "19 indicators: the year's report is one page");
                assert!(y.narrative_html.is_some(), "strategy {}: the content has its narrative", s.id);
            }
        }
    }

    #[test]
    fn synthetic_strategies() {
        for (name, b) in [("split", testing::split_site()), ("small", testing::small_site())] {
            assert_strategies(name, b);
            let split = b.plan().indicators.len() > MAX_ROWS_PER_PAGE;
            for s in &b.model.strategies {
                for y in &s.years {
                    assert!(!y.summarised && y.issue_tallies.is_empty(), "{name}: ~30 indicators a strategy");
                    let section = split.then(|| routes::year_strategy(y.year, &s.id));
                    assert_eq!(y.report_path, section, "{name}: strategy {} {}", s.id, y.year);
                }
            }
        }
    }

    #[test]
    fn a_strategy_with_more_indicators_than_a_page_lists_is_summarised_by_issue() {
        // Every issue moved under the first strategy: 130 indicators there,
        // none in the others.
        let b = testing::synthetic_with(130, |site| {
            let first = site.data.plan.data.strategies[0].id.clone();
            for is in &mut std::sync::Arc::make_mut(&mut site.data.plan.data).issues {
                is.strategy = first.clone();
            }
        });
        assert_strategies("one large strategy", &b);
        let plan = b.plan();
        let (large, rest) = b.model.strategies.split_first().expect("strategies");
        for y in &large.years {
            assert!(y.summarised);
            // A tally per issue, in plan order, together the strategy's.
            assert_eq!(y.issue_tallies.len(), plan.issues.len());
            for ((label, _), is) in y.issue_tallies.iter().zip(&plan.issues) {
                assert!(label.contains(&is.name), "{label} names issue {}", is.id);
            }
            let mut sum = [0; 7];
            for (_, t) in &y.issue_tallies {
                for (s, n) in sum.iter_mut().zip(numbers(t)) {
                    *s += n;
                }
            }
            assert_eq!(sum, numbers(&y.tally), "{}: the issues' tallies add up to the strategy's", y.year);
            // The chart is a bar per issue, not per indicator: its description
            // states one row per issue, under the issue's label.
            assert_accessible(&y.chart);
            let desc = y.chart.svg.split("-desc\">").nth(1).and_then(|d| d.split("</desc>").next()).expect("desc");
            let rows: Vec<&str> = desc.split("; ").collect();
            assert_eq!(rows.len(), plan.issues.len(), "{desc}");
            for (row, (label, _)) in rows.iter().zip(&y.issue_tallies) {
                assert!(row.starts_with(&format!("{}: ", crate::escape::html(label))), "{row}");
            }
            assert_eq!(y.report_path, Some(routes::year_strategy(y.year, &large.id)));
        }
        for s in rest {
            for y in &s.years {
                assert!(!y.summarised && y.issue_tallies.is_empty() && count(&y.tally.indicators) == 0);
            }
        }
    }
}
