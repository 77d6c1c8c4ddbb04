//! Narrative pages: the Markdown pages with their own address (analysis,
//! problems, recommendations, policy…).

use super::Inputs;
use super::views::*;
use crate::content::{Page, Role};

/// Every standalone page, in the order of `inp.pages`, and the overview's
/// narrative. Their HTML was rendered once, when their links were checked.
pub(super) fn build(inp: &Inputs<'_>, years: &[YearView]) -> (Vec<NarrativeView>, Option<String>) {
    let mut narratives = Vec::new();
    let mut overview_html = None;
    for (page, rendered) in inp.pages.iter().zip(&inp.texts.pages) {
        match &page.role {
            Role::Overview => overview_html = Some(rendered.html.clone()),
            Role::Standalone { url } => {
                let fm = &page.front.data;
                let year = fm.year.and_then(|y| years.iter().find(|v| v.year == y));
                narratives.push(NarrativeView {
                    title: fm.title.clone(),
                    description: fm.description.clone(),
                    path: url.clone(),
                    layout: page.layout().to_string(),
                    html: rendered.html.clone(),
                    headings: rendered.headings.iter().filter(|h| h.level <= 3).cloned().collect(),
                    year: year.map(|y| link(y.fiscal_year_text.clone(), y.path.clone())),
                    policy: year.and_then(|y| y.policy.clone()),
                    weight: fm.weight.unwrap_or(0),
                });
            }
            Role::StrategyNarrative { .. } => {}
        }
    }
    (narratives, overview_html)
}

/// Links to the standalone narrative pages of a year (or, with `None`, of no
/// year), by weight then title.
pub(super) fn links(pages: &[Page], year: Option<i32>) -> Vec<Link> {
    let mut v: Vec<(i64, String, String)> = pages
        .iter()
        .filter(|p| p.front.data.year == year)
        .filter_map(|p| match &p.role {
            Role::Standalone { url } => {
                Some((p.front.data.weight.unwrap_or(0), p.front.data.title.clone(), url.clone()))
            }
            _ => None,
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, t, u)| link(t, u)).collect()
}
