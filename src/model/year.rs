//! The annual reports: a page per fiscal year with its summary, the progress
//! chart, the strategy map, the year's findings and each strategy's section;
//! when the report is too long for one page, each strategy's section on its
//! own page, linked in order from the year's page.

use super::context::{Ctx, progress_chart};
use super::strategy::StrategyYears;
use super::views::*;
use super::{MAX_CHART_ROWS, narrative, reports_split};
use crate::charts::{self, MapStrategy};
use crate::content::{self, Links, Page, Role};
use crate::lint::Subject;
use crate::routes;
use crate::rules::Tally;
use std::collections::HashMap;

pub(super) fn build(ctx: &Ctx<'_>, strategy_years: &StrategyYears) -> Vec<YearView> {
    let index = ctx.index;
    index.data.results.iter().enumerate().map(|(file, _)| year(ctx, strategy_years, file)).collect()
}

fn year(ctx: &Ctx<'_>, strategy_years: &StrategyYears, file: usize) -> YearView {
    let f = &ctx.f;
    let index = ctx.index;
    let plan = index.plan;
    let r = &index.data.results[file].data;
    let year = r.year;
    let doc_file = r.document.as_ref().map(|d| d.file.as_str());
    let split = reports_split(index.plan);
    let tally = Tally::of(
        plan.indicators.iter().enumerate().map(|(i, ind)| (ind, index.result(file, i).map(|(_, r)| r))),
        year,
    );
    let strategies: Vec<YearStrategy> = plan
        .strategies
        .iter()
        .enumerate()
        .map(|(s, strategy)| {
            let mut section = strategy_years[s][file].clone();
            if split {
                // The rows and narrative are on the section's own page; this
                // one summarises.
                section.narrative_html = None;
                for issue in &mut section.issues {
                    issue.rows.clear();
                }
            }
            YearStrategy {
                id: strategy.id.clone(),
                title: ctx.strategy_title(&strategy.id),
                name: strategy.name.clone(),
                path: routes::strategy(&strategy.id),
                year: section,
            }
        })
        .collect();
    let progress_rows: Vec<ProgressTableRow> = plan
        .strategies
        .iter()
        .enumerate()
        .map(|(s, strategy)| ProgressTableRow {
            strategy: link(
                format!("{} {}", ctx.strategy_title(&strategy.id), strategy.name),
                routes::strategy(&strategy.id),
            ),
            short: ctx.strategy_title(&strategy.id),
            tally: ctx.tally_view(ctx.tally(s, file)),
        })
        .collect();
    // A bar per strategy reads to a couple of dozen; beyond, the chart shows
    // the whole plan and the table beside it each strategy.
    let chart_rows: Vec<(String, Tally)> = if plan.strategies.len() > MAX_CHART_ROWS {
        vec![(plan.name.clone(), tally)]
    } else {
        plan.strategies
            .iter()
            .enumerate()
            .map(|(s, strategy)| {
                (format!("{} {}", ctx.strategy_title(&strategy.id), strategy.name), ctx.tally(s, file))
            })
            .collect()
    };
    let progress_chart = progress_chart(
        ctx,
        format!("chart-progress-{year}"),
        format!("{} {}", f.l("chart_progress_title"), f.num.fiscal_year(year)),
        &chart_rows,
    );
    YearView {
        split,
        year,
        year_text: f.num.year(year),
        fiscal_year_text: f.num.fiscal_year(year),
        span_text: f.num.fiscal_span(year),
        path: routes::year(year),
        tally: ctx.tally_view(tally),
        stated: r.stated.as_ref().map(|s| StatedView {
            indicators: s.indicators.map(|n| f.count(n)),
            with_target: s.with_target.map(|n| f.count(n)),
            met: s.met.map(|n| f.count(n)),
            exceeded: s.exceeded.map(|n| f.count(n)),
            source: ctx.source_link(doc_file, s.source.as_ref()),
        }),
        strategies,
        progress_chart,
        progress_rows,
        map_chart: strategy_map_chart(ctx, year),
        pages: narrative::links(ctx.inp.pages, Some(year)),
        // A split report shows its indicators' findings on their sections.
        observations: ctx.observations_in_year(year, |s| !split || !matches!(s, Subject::Indicator { .. })),
        projects_text: r.projects.as_ref().map(|p| f.count(p.total)),
        projects_source: r.projects.as_ref().and_then(|p| ctx.source_link(doc_file, p.source.as_ref())),
        policy: r.policy.as_ref().map(|p| PolicyView {
            stated_issues_text: p.stated_issues.map(|n| f.count(n)),
            stated_recommendations_text: p.stated_recommendations.map(|n| f.count(n)),
            issues: p
                .issues
                .iter()
                .enumerate()
                .map(|(i, is)| PolicyIssueView {
                    number_text: f.count(i + 1),
                    name: is.name.clone(),
                    stated_count_text: is.stated_count.map(|n| f.count(n)),
                    recommendations: is
                        .recommendations
                        .iter()
                        .enumerate()
                        .map(|(j, r)| {
                            let n = if is.recommendations.len() > 1 {
                                f.d(&format!("{}.{}", i + 1, j + 1))
                            } else {
                                String::new()
                            };
                            (n, r.clone())
                        })
                        .collect(),
                })
                .collect(),
            source: ctx.source_link(doc_file, p.source.as_ref()),
        }),
        document: r
            .document
            .as_ref()
            .and_then(|d| ctx.inp.documents.get(&d.file))
            .map(|d| link(d.title.clone(), d.path.clone())),
    }
}

/// The sections of every split report, in order: year by year, strategy by
/// strategy, each linking the one before and after.
pub(super) fn sections(ctx: &Ctx<'_>, strategy_years: &StrategyYears) -> Vec<YearSectionView> {
    let f = &ctx.f;
    let index = ctx.index;
    let plan = index.plan;
    let mut out = Vec::new();
    if !reports_split(plan) {
        return out;
    }
    let narratives: HashMap<(&str, i32), &Page> = ctx
        .inp
        .pages
        .iter()
        .filter_map(|p| match &p.role {
            Role::StrategyNarrative { strategy, year } => Some(((strategy.as_str(), *year), p)),
            _ => None,
        })
        .collect();
    for (file, res) in index.data.results.iter().enumerate() {
        let year = res.data.year;
        let title = |s: usize| {
            let strategy = &plan.strategies[s];
            link(
                format!("{} {}", ctx.strategy_title(&strategy.id), strategy.name),
                routes::year_strategy(year, &strategy.id),
            )
        };
        for (s, strategy) in plan.strategies.iter().enumerate() {
            out.push(YearSectionView {
                path: routes::year_strategy(year, &strategy.id),
                year,
                fiscal_year_text: f.num.fiscal_year(year),
                report: link(format!("{} {}", f.l("report_title"), f.num.fiscal_year(year)), routes::year(year)),
                strategy: YearStrategy {
                    id: strategy.id.clone(),
                    title: ctx.strategy_title(&strategy.id),
                    name: strategy.name.clone(),
                    path: routes::strategy(&strategy.id),
                    year: deeper(
                        ctx,
                        strategy_years[s][file].clone(),
                        &strategy.id,
                        file,
                        narratives.get(&(strategy.id.as_str(), year)).copied(),
                    ),
                },
                observations: index
                    .indicators_of_strategy(s)
                    .iter()
                    .flat_map(|&i| {
                        ctx.observations_of(&Subject::Indicator { id: plan.indicators[i].id.clone(), year: Some(year) })
                    })
                    .collect(),
                previous: s.checked_sub(1).map(title),
                next: (s + 1 < plan.strategies.len()).then(|| title(s + 1)),
            });
        }
    }
    out
}

/// A strategy's year as its own report page shows it: that page is deeper
/// than the pages the texts were rendered for, so its links to other pages
/// are made again from there (the only texts rendered twice, and only in a
/// split report).
fn deeper(
    ctx: &Ctx<'_>,
    mut view: StrategyYearView,
    sid: &str,
    file: usize,
    narrative: Option<&Page>,
) -> StrategyYearView {
    let index = ctx.index;
    let root = routes::to_root(&routes::year_strategy(view.year, sid));
    let links = Links { root: &root, known: ctx.inp.paths, pretty: ctx.inp.config.site.data.pretty_urls };
    for row in view.issues.iter_mut().flat_map(|is| is.rows.iter_mut()) {
        let (Some(result), Some(i)) = (row.result.as_mut(), index.indicator_at(&row.indicator.id)) else { continue };
        if let Some((_, ir)) = index.result(file, i) {
            result.summary_html = content::render(&ir.summary, &links, &format!("r-{}-", ir.indicator)).html;
        }
    }
    if let Some(page) = narrative {
        let prefix = format!("s{sid}-{}-", view.year);
        view.narrative_html = Some(content::render_page(page, &links, &prefix).0.html);
    }
    view
}

/// The strategy map: vision, goal, and each strategy with its issues.
fn strategy_map_chart(ctx: &Ctx<'_>, year: i32) -> ChartView {
    let f = &ctx.f;
    let index = ctx.index;
    let plan = index.plan;
    // Beyond a couple of dozen strategies the map would be metres long: it
    // keeps the vision and goal, and the table beside it lists the strategies.
    let drawn = if plan.strategies.len() > MAX_CHART_ROWS { 0 } else { plan.strategies.len() };
    let strategies: Vec<MapStrategy> = plan.strategies[..drawn]
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let issues: Vec<String> = index.issues_of(si).map(|(_, i)| format!("{} {}", f.d(&i.id), i.name)).collect();
            let objectives = index.objective_count(si);
            let indicators = index.indicators_of_strategy(si).len();
            MapStrategy {
                heading: format!("{} {}", f.l("strategy_n"), f.d(&s.id)),
                name: s.name.clone(),
                footer: format!(
                    "{} {} {} · {} {} {}",
                    f.l("objectives"),
                    f.count(objectives),
                    f.l("items_unit"),
                    f.l("indicators"),
                    f.count(indicators),
                    f.l("indicators_unit")
                ),
                issues,
            }
        })
        .collect();
    let id = format!("chart-map-{year}");
    let title = format!("{} {}", f.l("chart_map_title"), plan.name);
    let desc = format!(
        "{}: {}. {}: {}. {}",
        f.l("vision"),
        plan.vision,
        f.l("goal"),
        plan.goal,
        strategies
            .iter()
            .map(|s| format!("{} {}: {}", s.heading, s.name, s.issues.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let svg = charts::strategy_map(
        &id,
        &title,
        &desc,
        (&f.l("vision"), &plan.vision),
        (&f.l("goal"), &plan.goal),
        &strategies,
    );
    ChartView { id, title, svg }
}
