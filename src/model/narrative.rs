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

#[cfg(test)]
mod tests {
    use super::super::testing;
    use crate::content::Role;
    use crate::routes;

    #[test]
    fn default_site_narratives_keep_their_paths_and_link_their_year() {
        let b = testing::default_site();
        let (pages, texts) = (b.inputs.pages, &b.inputs.texts.pages);
        let standalone: Vec<usize> =
            (0..pages.len()).filter(|&k| matches!(pages[k].role, Role::Standalone { .. })).collect();
        let narratives = &b.model.narratives;
        assert_eq!(narratives.len(), standalone.len(), "a view per page of its own, none per strategy narrative");
        assert!(narratives.len() >= 5, "plan.md and four pages of 2566");
        for (n, &k) in narratives.iter().zip(&standalone) {
            let page = &pages[k];
            // The address follows the file's path: pages/years/2566/analysis.md
            // is years/2566/analysis/.
            let rel = page.src().path.strip_prefix("content/pages/").and_then(|p| p.strip_suffix(".md"));
            assert_eq!(n.path, format!("{}/", rel.expect("a page under content/pages")), "{}", page.src().path);
            assert_eq!(n.title, page.front.data.title);
            assert_eq!(n.layout, page.layout());
            assert_eq!(n.html, texts[k].html, "{}: rendered once, when its links were checked", n.path);
            assert!(n.headings.iter().all(|h| h.level <= 3), "{}", n.path);
            let report = page.front.data.year.and_then(|y| b.model.years.iter().find(|v| v.year == y));
            match (page.front.data.year, &n.year) {
                (Some(y), Some(link)) => {
                    assert_eq!(link.path, routes::year(y), "{}", n.path);
                    assert_eq!(link.title, report.expect("a report").fiscal_year_text);
                    assert!(b.inputs.paths.contains(&link.path), "{}: links a page the site has", n.path);
                    assert_eq!(n.policy.is_some(), report.is_some_and(|r| r.policy.is_some()), "{}", n.path);
                }
                (None, None) => assert!(n.policy.is_none(), "{}", n.path),
                (y, link) => panic!("{}: year {y:?}, link {link:?}", n.path),
            }
        }
        let paths: Vec<&str> = narratives.iter().map(|n| n.path.as_str()).collect();
        for p in ["plan/", "years/2566/analysis/", "years/2566/policy/"] {
            assert!(paths.contains(&p), "{p} in {paths:?}");
        }
        assert!(!paths.iter().any(|p| p.contains("/strategies/")), "strategy narratives are shown on other pages");
        // The overview's narrative is pages/_index.md.
        let index = pages.iter().position(|p| p.role == Role::Overview).expect("_index.md");
        assert_eq!(b.model.overview.narrative_html.as_ref(), Some(&texts[index].html));
    }

    #[test]
    fn a_year_lists_its_pages_by_weight() {
        let b = testing::default_site();
        let y = b.model.years.iter().find(|y| y.year == 2566).expect("2566");
        let listed: Vec<&str> = y.pages.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            listed,
            ["years/2566/policy/", "years/2566/analysis/", "years/2566/problems/", "years/2566/recommendations/"]
        );
        for l in &y.pages {
            let n = b.model.narratives.iter().find(|n| n.path == l.path).expect("a narrative");
            assert_eq!(l.title, n.title);
        }
        let overview: Vec<&str> = b.model.overview.pages.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(overview, ["plan/"], "pages of no year are listed on the overview");
    }

    #[test]
    fn a_page_of_a_year_without_a_report_links_no_report() {
        // plan.md moved to 2567, a year of the plan the content has no results for.
        let b = testing::build(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), |site| {
            let page = site.pages.iter_mut().find(|p| p.role == Role::Standalone { url: "plan/".into() });
            std::sync::Arc::make_mut(&mut page.expect("plan.md").front.data).year = Some(2567);
        });
        let n = b.model.narratives.iter().find(|n| n.path == "plan/").expect("plan/");
        assert!(n.year.is_none() && n.policy.is_none(), "years/2567/ is not a page of the site");
        assert!(!b.inputs.paths.contains(&routes::year(2567)));
    }
}
