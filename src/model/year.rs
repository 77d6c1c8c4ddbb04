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
            let section = if split {
                // The rows and narrative are on the section's own page; this
                // one summarises.
                std::sync::Arc::new(strategy_years[s][file].summary())
            } else {
                strategy_years[s][file].clone()
            };
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
        format!("years/{year}/progress"),
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
                    year: {
                        let narrative = narratives.get(&(strategy.id.as_str(), year)).copied();
                        let make = || deeper(ctx, (*strategy_years[s][file]).clone(), &strategy.id, file, narrative);
                        match ctx.inp.kept {
                            // Besides what the base covers, it reads its
                            // narrative's page (rendered again from deeper).
                            Some((kept, _)) => {
                                let made_from = crate::fingerprint::of(&narrative.map(|p| &p.src().text));
                                super::kept_view(&kept.sections, (s, file), made_from, make)
                            }
                            None => std::sync::Arc::new(make()),
                        }
                    },
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
    let lang = &ctx.inp.config.language().prefix;
    let root = routes::to_root(&format!("{lang}{}", routes::year_strategy(view.year, sid)));
    let links = Links {
        root: &root,
        known: ctx.inp.paths,
        pretty: ctx.inp.config.site.data.pretty_urls,
        digits: ctx.inp.config.site.data.digits,
        lang,
    };
    for row in view.issues.iter_mut().flat_map(|is| std::sync::Arc::make_mut(&mut is.rows).iter_mut()) {
        let (Some(result), Some(i)) = (row.result.as_mut(), index.indicator_at(&row.indicator.id)) else { continue };
        if let Some((_, ir)) = index.result(file, i) {
            std::sync::Arc::make_mut(result).summary_html =
                content::render(&ir.summary, &links, &format!("r-{}-", ir.indicator)).html;
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
    let mut table = vec![vec![f.l("strategy"), f.l("issue"), f.l("objectives"), f.l("indicators")]];
    for (si, s) in plan.strategies.iter().enumerate() {
        for (is, issue) in index.issues_of(si) {
            let objectives = index.objectives_of(is).count();
            let indicators = index.indicators_of_issue(is).len();
            table.push(vec![
                format!("{} {} {}", f.l("strategy_n"), s.id, s.name),
                format!("{} {}", issue.id, issue.name),
                objectives.to_string(),
                indicators.to_string(),
            ]);
        }
    }
    let (vision, goal) = ((f.l("vision"), &plan.vision), (f.l("goal"), &plan.goal));
    let svg = ctx.chart(&("map", &id, &title, &desc, &vision, &goal, &strategies, &ctx.breaker), || {
        charts::strategy_map(&id, &title, &desc, (&vision.0, vision.1), (&goal.0, goal.1), &strategies, &ctx.breaker)
    });
    ChartView { id, title, svg, key: format!("years/{year}/map"), table, png: true }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, Built, assert_accessible, count};
    use super::super::{MAX_ROWS_PER_PAGE, TallyView};
    use crate::routes;

    fn numbers(t: &TallyView) -> [u32; 7] {
        [&t.indicators, &t.with_target, &t.achieved, &t.exceeded, &t.met_only, &t.not_met, &t.not_assessed]
            .map(|s| count(s))
    }

    /// What holds of every site: a view per results file in year order, each
    /// strategy in plan order, tallies that add up, accessible charts.
    fn assert_years(name: &str, b: &Built) {
        let plan = b.plan();
        let years = &b.model.years;
        let files: Vec<i32> = b.inputs.data.results.iter().map(|r| r.data.year).collect();
        assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), files, "{name}: one view per results file");
        assert!(files.windows(2).all(|w| w[0] < w[1]), "{name}: in year order");
        let plan_ids: Vec<&str> = plan.strategies.iter().map(|s| s.id.as_str()).collect();
        for y in years {
            let at = format!("{name} {}", y.year);
            assert_eq!(y.path, routes::year(y.year), "{at}");
            assert_eq!(y.split, plan.indicators.len() > MAX_ROWS_PER_PAGE, "{at}");
            assert_eq!(y.strategies.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), plan_ids, "{at}");
            assert_eq!(y.progress_rows.len(), plan.strategies.len(), "{at}");
            let total = numbers(&y.tally);
            assert_eq!(total[0] as usize, plan.indicators.len(), "{at}: every indicator counted");
            let mut sum = [0; 7];
            for (s, row) in y.strategies.iter().zip(&y.progress_rows) {
                assert_eq!(s.path, routes::strategy(&s.id), "{at}");
                assert_eq!(row.strategy.path, s.path, "{at}");
                assert_eq!(s.year.year, y.year, "{at}");
                let n = numbers(&s.year.tally);
                assert_eq!(numbers(&row.tally), n, "{at}: strategy {}: the table and the section agree", s.id);
                for (a, b) in sum.iter_mut().zip(n) {
                    *a += b;
                }
            }
            assert_eq!(sum, total, "{at}: the strategies' tallies add up to the year's");
            assert_accessible(&y.progress_chart);
            assert_accessible(&y.map_chart);
        }
    }

    #[test]
    fn default_site_report_is_one_page() {
        let b = testing::default_site();
        assert_years("default", b);
        assert!(b.model.year_sections.is_empty());
        for y in &b.model.years {
            assert!(!y.split);
            // Rows and narratives stay on the year's page.
            for s in &y.strategies {
                assert!(s.year.issues.iter().all(|is| !is.rows.is_empty()), "strategy {}", s.id);
                assert!(s.year.narrative_html.is_some() && s.year.report_path.is_none(), "strategy {}", s.id);
            }
        }
    }

    #[test]
    fn a_small_synthetic_report_is_one_page() {
        let b = testing::small_site();
        assert!(b.plan().indicators.len() <= MAX_ROWS_PER_PAGE);
        assert_years("small", b);
        assert!(b.model.year_sections.is_empty());
        let rows = |y: &super::YearView| {
            y.strategies.iter().flat_map(|s| &s.year.issues).map(|is| is.rows.len()).sum::<usize>()
        };
        assert!(b.model.years.iter().all(|y| rows(y) == b.plan().indicators.len()));
    }

    #[test]
    fn a_large_report_has_a_page_per_strategy_linked_in_plan_order() {
        let b = testing::split_site();
        let plan = b.plan();
        assert!(plan.indicators.len() > MAX_ROWS_PER_PAGE);
        assert_years("split", b);
        let sections = &b.model.year_sections;
        assert_eq!(sections.len(), b.model.years.len() * plan.strategies.len());
        // Year by year, strategy by strategy.
        let mut sections = sections.iter();
        for y in &b.model.years {
            let of_year: Vec<_> = sections.by_ref().take(plan.strategies.len()).collect();
            for (k, (section, strategy)) in of_year.iter().zip(&plan.strategies).enumerate() {
                let at = format!("{} strategy {}", y.year, strategy.id);
                assert_eq!(section.year, y.year, "{at}");
                assert_eq!(section.path, routes::year_strategy(y.year, &strategy.id), "{at}");
                assert_eq!(section.report.path, y.path, "{at}");
                assert_eq!(section.strategy.id, strategy.id, "{at}");
                assert_eq!(y.strategies[k].year.report_path.as_ref(), Some(&section.path), "{at}: the year links it");
                // A chain: each links the one before and after, the ends nothing.
                let previous = k.checked_sub(1).map(|j| of_year[j].path.clone());
                let next = of_year.get(k + 1).map(|s| s.path.clone());
                assert_eq!(section.previous.as_ref().map(|l| l.path.clone()), previous, "{at}");
                assert_eq!(section.next.as_ref().map(|l| l.path.clone()), next, "{at}");
                // The section has the rows and narrative the year's page leaves out.
                let rows: usize = section.strategy.year.issues.iter().map(|is| is.rows.len()).sum::<usize>();
                assert_eq!(rows as u32, count(&section.strategy.year.tally.indicators), "{at}");
                assert!(rows > 0 && section.strategy.year.narrative_html.is_some(), "{at}");
                let summary = &y.strategies[k].year;
                assert!(summary.issues.iter().all(|is| is.rows.is_empty()), "{at}");
                assert!(summary.narrative_html.is_none(), "{at}");
                assert_eq!(numbers(&summary.tally), numbers(&section.strategy.year.tally), "{at}");
            }
            // Following `next` from the first section visits every strategy once.
            let mut path = Some(of_year[0].path.clone());
            let mut visited = Vec::new();
            while let Some(p) = path {
                let section = of_year.iter().find(|s| s.path == p).expect("a link to a section of the year");
                visited.push(section.strategy.id.as_str());
                path = section.next.as_ref().map(|l| l.path.clone());
            }
            assert_eq!(visited, plan.strategies.iter().map(|s| s.id.as_str()).collect::<Vec<_>>());
        }
    }

    /// The relative links of some HTML that do not point into the page.
    fn hrefs(html: &str) -> Vec<&str> {
        let all = html.split("href=\"").skip(1).filter_map(|h| h.split('"').next());
        all.filter(|h| !h.starts_with('#') && !h.contains("://")).collect()
    }

    #[test]
    fn a_split_sections_texts_link_from_its_own_depth() {
        // A section is two folders deeper than the pages its texts were first
        // rendered for: its links climb to the root from there. The synthetic
        // narratives link other pages; one summary is made to.
        let dir = tempfile::tempdir().expect("temp dir");
        crate::synthetic::generate(dir.path(), 130).expect("synthetic site");
        let file = dir.path().join("content/results/2566.json");
        let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let first = &mut json["indicators"][0];
        assert_eq!(first["indicator"], "1-1.1");
        first["summary"] = format!("{} ดู[ตัวชี้วัด ๑.๒](@/indicators/1-1.2/)", first["summary"].as_str().unwrap()).into();
        std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();
        let b = testing::build(dir.path(), |_| {});

        let section = &b.model.year_sections[0];
        assert_eq!(section.path, routes::year_strategy(2566, "1"));
        let root = routes::to_root(&section.path);
        let summaries: String = section
            .strategy
            .year
            .issues
            .iter()
            .flat_map(|is| is.rows.iter())
            .filter_map(|r| r.result.as_ref())
            .map(|r| r.summary_html.as_str())
            .collect();
        let narrative = section.strategy.year.narrative_html.as_deref().expect("a narrative");
        for (what, html) in [("summaries", summaries.as_str()), ("narrative", narrative)] {
            let hrefs = hrefs(html);
            assert!(!hrefs.is_empty(), "{what}: no link");
            for href in hrefs {
                assert!(href.starts_with(&root) && !href[root.len()..].starts_with("../"), "{what}: {href}");
            }
        }
        // The strategy's own page, two folders deep, keeps the first rendering.
        let page = &b.model.strategies[0].years.iter().find(|y| y.year == 2566).expect("2566").issues[0].rows[0];
        let html = &page.result.as_ref().expect("a result").summary_html;
        assert_eq!(hrefs(html), ["../../indicators/1-1.2/index.html"]);
    }
}
