//! The overview page, and what every page shows: the site's name, the plan,
//! the navigation and the footer.

use super::context::Ctx;
use super::views::*;
use super::{Inputs, narrative};
use crate::content::{self, Links};
use crate::lint::Subject;
use crate::routes;
use std::collections::BTreeMap;

pub(super) fn build(
    ctx: &Ctx<'_>,
    strategies: &[StrategyView],
    years: &[YearView],
    narrative_html: Option<String>,
) -> OverviewView {
    OverviewView {
        narrative_html,
        latest: years.last().cloned(),
        strategies: strategies
            .iter()
            .map(|s| StrategyCard {
                title: s.title.clone(),
                name: s.name.clone(),
                path: s.path.clone(),
                goals: s.goals.clone(),
                indicator_count_text: s.indicator_count_text.clone(),
                latest: s.years.first().map(|y| y.tally.clone()),
            })
            .collect(),
        pages: narrative::links(ctx.inp.pages, None),
        observations: ctx.observations_of(&Subject::Plan),
    }
}

pub(super) fn site(ctx: &Ctx<'_>, years: &[YearView]) -> SiteView {
    let f = &ctx.f;
    let cfg = ctx.inp.config;
    let plan = ctx.index.plan;
    SiteView {
        summarised: plan.indicators.len() > super::MAX_ROWS_PER_PAGE,
        title: cfg.site.data.title.clone(),
        description: cfg.site.data.description.clone(),
        lang: cfg.site.data.language.clone(),
        base_url: cfg.site.data.base_url.clone(),
        labels: cfg.labels.clone(),
        organization: plan.organization.name.clone(),
        organization_short: plan.organization.short.clone(),
        plan: PlanView {
            name: plan.name.clone(),
            period_text: format!(
                "{} {}–{}",
                f.num.era_prefix(),
                f.num.year(plan.period.from),
                f.num.year(plan.period.to)
            ),
            vision: plan.vision.clone(),
            goal: plan.goal.clone(),
            counts: vec![
                (f.l("strategies"), f.count(plan.strategies.len())),
                (f.l("issues"), f.count(plan.issues.len())),
                (f.l("objectives"), f.count(plan.objectives.len())),
                (f.l("indicators"), f.count(plan.indicators.len())),
            ],
        },
        nav: {
            let mut nav = vec![
                link(f.l("nav_overview"), routes::HOME),
                link(f.l("strategies"), routes::STRATEGIES),
                link(f.l("indicators"), routes::INDICATORS),
            ];
            if let Some(y) = years.last() {
                nav.push(link(format!("{} {}", f.l("nav_report"), y.year_text), y.path.clone()));
            }
            nav
        },
        years: years.iter().map(|y| link(y.fiscal_year_text.clone(), y.path.clone())).collect(),
        downloads: vec![link(f.l("download_json"), routes::DATA_JSON), link(f.l("download_csv"), routes::DATA_CSV)],
        outputs: cfg.site.data.outputs.clone(),
    }
}

/// The footer's links are relative like every other: one rendering per
/// depth of page, and one from the base path for 404.html. (A handful of
/// renderings of one short text; every other text is rendered once.)
pub(super) fn footers(inp: &Inputs<'_>) -> BTreeMap<String, String> {
    let cfg = inp.config;
    let mut footers = BTreeMap::new();
    if let Some(text) = cfg.site.data.footer.as_deref() {
        let known = inp.paths;
        let pretty = cfg.site.data.pretty_urls;
        let lang = &cfg.language().prefix;
        let deepest = known.iter().map(|p| routes::depth(p)).max().unwrap_or(0);
        let roots = (0..=deepest)
            .map(|d| routes::up(d + routes::depth(lang)))
            .chain([routes::base_path(&cfg.site.data.base_url)]);
        for root in roots {
            let links = Links { root: &root, known, pretty, digits: cfg.site.data.digits, lang };
            let html = content::render(text, &links, "footer-").html;
            footers.insert(root, html);
        }
    }
    footers
}

#[cfg(test)]
mod tests {
    use super::super::MAX_ROWS_PER_PAGE;
    use super::super::testing::{self, Built, count};
    use crate::routes;
    use std::collections::HashSet;

    fn assert_overview(name: &str, b: &Built) {
        let plan = b.plan();
        let model = &b.model;
        let cards = &model.overview.strategies;
        // Every strategy once, in plan order.
        let paths: Vec<String> = cards.iter().map(|c| c.path.clone()).collect();
        let expected: Vec<String> = plan.strategies.iter().map(|s| routes::strategy(&s.id)).collect();
        assert_eq!(paths, expected, "{name}");
        assert_eq!(paths.iter().collect::<HashSet<_>>().len(), plan.strategies.len(), "{name}");
        let latest = model.years.last().expect("a results file");
        assert_eq!(model.overview.latest.as_ref().map(|y| y.year), Some(latest.year), "{name}");
        for ((card, strategy), view) in cards.iter().zip(&plan.strategies).zip(&model.strategies) {
            let at = format!("{name}: strategy {}", strategy.id);
            assert_eq!((&card.name, &card.goals), (&strategy.name, &strategy.goals), "{at}");
            assert_eq!(card.indicator_count_text, view.indicator_count_text, "{at}");
            // Where it stands in the latest year, as the year's report says.
            let in_report = latest.strategies.iter().find(|s| s.id == strategy.id).expect("in the report");
            let card_tally = card.latest.as_ref().expect("a latest tally");
            assert_eq!(card_tally.indicators, in_report.year.tally.indicators, "{at}");
            assert_eq!(card_tally.achieved, in_report.year.tally.achieved, "{at}");
            assert_eq!(card_tally.not_met, in_report.year.tally.not_met, "{at}");
        }
        // What every page shows.
        let site = &model.site;
        assert_eq!(site.summarised, plan.indicators.len() > MAX_ROWS_PER_PAGE, "{name}");
        let counts: Vec<u32> = site.plan.counts.iter().map(|(_, n)| count(n)).collect();
        let sizes = [plan.strategies.len(), plan.issues.len(), plan.objectives.len(), plan.indicators.len()];
        assert_eq!(counts, sizes.map(|n| n as u32), "{name}");
        let years: Vec<&str> = site.years.iter().map(|l| l.path.as_str()).collect();
        let reports: Vec<String> = b.inputs.data.results.iter().map(|r| routes::year(r.data.year)).collect();
        assert_eq!(years, reports, "{name}: a link per report");
        let nav: Vec<&str> = site.nav.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(nav, [routes::HOME, routes::STRATEGIES, routes::INDICATORS, &latest.path], "{name}");
        assert_eq!(
            site.downloads.iter().map(|l| l.path.as_str()).collect::<Vec<_>>(),
            [routes::DATA_JSON, routes::DATA_CSV]
        );
        for l in site.nav.iter().chain(&site.years).chain(&site.downloads).chain(&model.overview.pages) {
            assert!(b.inputs.paths.contains(&l.path), "{name}: {} is not a page of the site", l.path);
        }
    }

    #[test]
    fn the_overview_lists_every_strategy_once() {
        for (name, b) in testing::sites() {
            assert_overview(name, b);
        }
    }

    #[test]
    fn a_footer_per_depth_links_from_there() {
        for (name, b) in testing::sites() {
            let footers = &b.model.footers;
            let deepest = b.inputs.paths.iter().map(|p| routes::depth(p)).max().expect("paths");
            let mut roots: Vec<String> = (0..=deepest).map(routes::up).collect();
            roots.push(routes::base_path(&b.inputs.config.site.data.base_url));
            roots.sort();
            assert_eq!(footers.keys().cloned().collect::<Vec<_>>(), roots, "{name}");
            for (root, html) in footers {
                let hrefs: Vec<&str> = html.split("href=\"").skip(1).filter_map(|h| h.split('"').next()).collect();
                assert!(!hrefs.is_empty(), "{name}: the footer links the open data");
                for href in hrefs.iter().filter(|h| !h.contains("://")) {
                    let rest = href.strip_prefix(root.as_str());
                    assert!(rest.is_some_and(|r| !r.starts_with("../")), "{name}: {href} from {root:?}");
                }
            }
        }
    }
}
