//! The ready model: everything a template shows, computed and formatted here
//! (digits, eras, dates, statuses, links, charts) so that templates only lay
//! it out. A view is built once per entity and shared by every page that
//! shows it.
//!
//! One builder per page kind ([`indicator`], [`strategy`], [`year`],
//! [`narrative`], [`source`], [`overview`]) over a shared [`context::Ctx`]
//! that holds the plan's indexes and the formatter; [`build`] calls them in
//! order. Every lookup goes through the index, so the model grows linearly
//! with the plan.

mod context;
mod indicator;
mod narrative;
mod overview;
mod source;
mod strategy;
mod views;
mod year;

pub use indicator::Indicators;
pub use views::*;

use crate::config::Config;
use crate::content::{Page, Texts};
use crate::data::{Dataset, Plan};
use crate::diagnostic::SourceFile;
use crate::index::Index;
use crate::lint::Observation;
use std::collections::{BTreeMap, HashSet};

/// The most indicators one page lists. A results row with its summary is
/// about 1.5 KB of HTML and a screenful on a phone; 60 rows is a long but
/// still usable page (about 100 KB, a few seconds on a slow 3G line) and
/// covers a plan of a dozen strategies (the default plan has 19 indicators).
/// Beyond it, a year's report puts each strategy's section on its own page
/// (`/years/<year>/strategies/<id>/`), lists of all indicators show each
/// strategy's count and link to it, and a strategy with more indicators than
/// this shows a tally and chart per issue instead of a row per indicator.
pub const MAX_ROWS_PER_PAGE: usize = 60;

/// The most strategies a chart draws one by one (a bar, a box of the map).
/// The default plan has 4; a plan of hundreds would make a chart of several
/// megabytes that no one can read, so above this the charts draw the whole
/// plan and leave each strategy to the table beside them.
pub const MAX_CHART_ROWS: usize = 20;

/// Whether the plan's yearly reports are split into a page per strategy.
pub fn reports_split(plan: &Plan) -> bool {
    plan.indicators.len() > MAX_ROWS_PER_PAGE
}

/// A source document the content cites, loaded.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    pub title: String,
    pub file: SourceFile,
    /// Root-relative page path, "sources/<name>/".
    pub path: String,
}

/// Everything the model is built from.
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub data: &'a Dataset,
    pub index: &'a Index<'a>,
    pub pages: &'a [Page],
    pub documents: &'a BTreeMap<String, SourceDoc>,
    pub observations: &'a [Observation],
    /// Every path the site will have, root-relative ("strategies/1/",
    /// "data/indicators.csv"), for making internal links relative.
    pub paths: &'a HashSet<String>,
    /// Every Markdown text, rendered once when its links were checked.
    pub texts: &'a Texts,
}

/// Builds the model, and what makes each indicator's page when it is
/// rendered. Internal links were checked by `site::check` before this runs,
/// so nothing here can fail.
pub fn build<'a>(inp: &'a Inputs<'a>) -> (Model, Indicators<'a>) {
    let ctx = context::Ctx::new(inp);
    let results = indicator::results(&ctx);
    let strategy_years = strategy::years(&ctx, &results);
    let strategies = strategy::build(&ctx, &strategy_years);
    let years = year::build(&ctx, &strategy_years);
    let year_sections = year::sections(&ctx, &strategy_years);
    let (narratives, overview_html) = narrative::build(inp, &years);
    let sources = source::build(&ctx.f, inp);
    let overview = overview::build(&ctx, &strategies, &years, overview_html);
    let model = Model {
        site: overview::site(&ctx, &years),
        overview,
        strategies,
        years,
        year_sections,
        narratives,
        sources,
        pretty: inp.config.site.data.pretty_urls,
        footers: overview::footers(inp),
    };
    (model, Indicators::new(ctx, results))
}
