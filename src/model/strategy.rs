//! Strategy pages, and each strategy's fiscal year (its tally, results
//! table, chart and narrative), which its page and the year's report share.

use super::context::{Ctx, Fmt, nice_scale, progress_chart};
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
pub(super) type StrategyYears = Vec<Vec<StrategyYearView>>;

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
                    strategy_year(ctx, results, &narratives, s, file, report)
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
                .collect(),
        })
        .collect();
    let chart_id = format!("chart-s{sid}-{year}");
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
        (progress_chart(ctx, chart_id, title, &rows), tallies)
    } else {
        let rows: Vec<BulletRow> = inds
            .iter()
            .map(|&i| {
                let ind = &plan.indicators[i];
                bullet_row(f, ind, ind.targets.get(&key), index.result(file, i).map(|(_, r)| r))
            })
            .collect();
        let desc = rows
            .iter()
            .map(|r| {
                format!(
                    "{} {}: {}. {}",
                    f.l("indicator_n"),
                    r.code,
                    ctx.words.word(r.status),
                    r.bullet.as_ref().map_or(r.note.clone(), |b| format!("{} {}", b.value_text, b.target_text))
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let svg = charts::bullets(&chart_id, &title, &desc, &rows, &ctx.words);
        (ChartView { id: chart_id, title, svg }, Vec::new())
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
        chart,
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

fn bullet_row(f: &Fmt<'_>, ind: &Indicator, t: Option<&YearTarget>, r: Option<&IndicatorResult>) -> BulletRow {
    let status = r.map_or(Status::NotAssessed, |r| r.status);
    let numeric_target =
        t.filter(|t| t.kind == TargetKind::Numeric).and_then(|t| t.value.map(|v| (v, t.direction.unwrap_or_default())));
    let value = r.and_then(|r| r.value);
    let bullet = match (numeric_target, value) {
        (Some((tv, dir)), Some(v)) => {
            let scale_max = match ind.measure {
                Measure::Percent => 100.0,
                _ => nice_scale(v.max(tv) * 1.2).0,
            };
            Some(charts::Bullet {
                value: v,
                target: tv,
                scale_max,
                value_text: format!("{} {}", f.l("result"), f.value(ind, v)),
                target_text: format!("{} {} {}", f.l("target_short"), Fmt::symbol(dir), f.number(ind, tv)),
            })
        }
        _ => None,
    };
    let mut note = match t {
        Some(t) => format!("{}: {}", f.l("target"), f.target(ind, t).text),
        None => format!("{}: –", f.l("target")),
    };
    if let (None, Some(v)) = (&bullet, value) {
        note.push_str(&format!(" · {} {}", f.l("result"), f.value(ind, v)));
    }
    BulletRow { code: f.d(&ind.code), name: ind.name.clone(), status, bullet, note }
}
