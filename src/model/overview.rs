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
        let deepest = known.iter().map(|p| routes::depth(p)).max().unwrap_or(0);
        let roots = (0..=deepest).map(routes::up).chain([routes::base_path(&cfg.site.data.base_url)]);
        for root in roots {
            let html = content::render(text, &Links { root: &root, known, pretty }, "footer-").html;
            footers.insert(root, html);
        }
    }
    footers
}
