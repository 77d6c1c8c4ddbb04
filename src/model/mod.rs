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
    /// Charts drawn by an earlier build (the preview's); none for `build`.
    pub charts: Option<&'a crate::charts::Cache>,
    /// Views an earlier build made (the preview's), with a fingerprint of
    /// every input above except the Markdown pages; none for `build`.
    pub kept: Option<(&'a Kept, u128)>,
}

/// What the preview keeps of one model for the next (see `site::Session`):
/// the result views, and each strategy's year and its report section, each
/// with a fingerprint of what made it. The pages' Markdown is the input an
/// editor changes most; a strategy's year reads only its own narrative of
/// it, so an edit of one narrative makes one strategy's year again, not all.
#[derive(Default)]
pub struct Kept {
    /// The fingerprint of everything but the pages that the views below
    /// were made with: when it changes, they are all forgotten.
    base: std::sync::Mutex<u128>,
    results: std::sync::Mutex<Option<std::sync::Arc<indicator::ResultViews>>>,
    strategy_years: KeptViews,
    sections: KeptViews,
}

/// Views by (strategy, results file), each with the fingerprint of the
/// narrative it read.
type KeptViews = std::sync::Mutex<std::collections::HashMap<(usize, usize), (u128, std::sync::Arc<StrategyYearView>)>>;

impl Kept {
    /// Forgets everything if the model's inputs other than pages changed.
    fn start(&self, base: u128) {
        let mut was = self.base.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if *was != base {
            *was = base;
            *self.results.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            self.strategy_years.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
            self.sections.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        }
    }
}

/// The view kept in `views` for `at` if it was made from `made_from`, else
/// made now and kept.
fn kept_view(
    views: &KeptViews,
    at: (usize, usize),
    made_from: u128,
    make: impl FnOnce() -> StrategyYearView,
) -> std::sync::Arc<StrategyYearView> {
    if let Some((was, view)) = views.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&at) {
        if *was == made_from {
            return view.clone();
        }
    }
    let view = std::sync::Arc::new(make());
    views.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(at, (made_from, view.clone()));
    view
}

/// Builds the model, and what makes each indicator's page when it is
/// rendered. Internal links were checked by `site::check` before this runs,
/// so nothing here can fail.
pub fn build<'a>(inp: &'a Inputs<'a>) -> (Model, Indicators<'a>) {
    let ctx = context::Ctx::new(inp);
    if let Some((kept, base)) = inp.kept {
        kept.start(base);
    }
    let results = match inp.kept {
        Some((kept, _)) => {
            let mut slot = kept.results.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            slot.get_or_insert_with(|| std::sync::Arc::new(indicator::results(&ctx))).clone()
        }
        None => std::sync::Arc::new(indicator::results(&ctx)),
    };
    let strategy_years = strategy::years(&ctx, &results);
    let strategies = strategy::build(&ctx, &strategy_years);
    let years = year::build(&ctx, &strategy_years);
    let year_sections = year::sections(&ctx, &strategy_years);
    let (narratives, overview_html) = narrative::build(inp, &years);
    let sources = source::build(&ctx.f, inp);
    let overview = overview::build(&ctx, &strategies, &years, overview_html);
    let listed = strategy::listed(&strategies);
    let model = Model {
        site: overview::site(&ctx, &years),
        overview,
        strategies,
        listed,
        years,
        year_sections,
        narratives,
        sources,
        pretty: inp.config.site.data.pretty_urls,
        footers: overview::footers(inp),
    };
    (model, Indicators::new(ctx, results))
}

/// Models of whole sites for the builders' unit tests, made as
/// `site::build_into` makes them (the same load, checks, lint and texts).
#[cfg(test)]
pub(crate) mod testing {
    use super::{Indicators, Inputs, Model};
    use crate::index::Index;
    use std::path::Path;
    use std::sync::OnceLock;

    /// A site's model and what it was made from. Everything is leaked: a few
    /// sites per test run, kept for every test that reads them.
    pub struct Built {
        pub inputs: &'static Inputs<'static>,
        pub model: Model,
        pub indicators: Indicators<'static>,
    }

    impl Built {
        pub fn plan(&self) -> &'static crate::data::Plan {
            &self.inputs.data.plan.data
        }
    }

    /// The model of the site in `root`, after `change` (made to the inputs
    /// once checked, as a test needs them: a label, a moved issue).
    pub fn build(root: &Path, change: impl FnOnce(&mut crate::site::Inputs)) -> Built {
        let (mut site, observations, texts) = crate::site::model_inputs(root);
        change(&mut site);
        let site: &'static crate::site::Inputs = Box::leak(Box::new(site));
        let observations = Box::leak(observations.into_boxed_slice());
        let texts = Box::leak(Box::new(texts));
        let index = Box::leak(Box::new(Index::new(&site.data)));
        let inputs = Box::leak(Box::new(Inputs {
            config: &site.config,
            data: &site.data,
            index,
            pages: &site.pages,
            documents: &site.documents,
            observations,
            paths: &site.paths,
            texts,
            charts: None,
            kept: None,
        }));
        let (model, indicators) = super::build(inputs);
        Built { inputs, model, indicators }
    }

    /// A synthetic site of `n` indicators (see [`crate::synthetic`]), changed.
    pub fn synthetic_with(n: usize, change: impl FnOnce(&mut crate::site::Inputs)) -> Built {
        let dir = tempfile::tempdir().expect("temp dir");
        crate::synthetic::generate(dir.path(), n).expect("synthetic site");
        build(dir.path(), change)
    }

    /// The default site: the repository's content.
    pub fn default_site() -> &'static Built {
        static B: OnceLock<Built> = OnceLock::new();
        B.get_or_init(|| build(Path::new(env!("CARGO_MANIFEST_DIR")), |_| {}))
    }

    /// A synthetic plan of 130 indicators: more than one page lists
    /// ([`super::MAX_ROWS_PER_PAGE`]), so its reports are split.
    pub fn split_site() -> &'static Built {
        static B: OnceLock<Built> = OnceLock::new();
        B.get_or_init(|| synthetic_with(130, |_| {}))
    }

    /// A synthetic plan of 40 indicators: reports on one page.
    pub fn small_site() -> &'static Built {
        static B: OnceLock<Built> = OnceLock::new();
        B.get_or_init(|| synthetic_with(40, |_| {}))
    }

    /// Every site above, for properties that hold of any.
    pub fn sites() -> [(&'static str, &'static Built); 3] {
        [("default", default_site()), ("split", split_site()), ("small", small_site())]
    }

    /// A chart fit for a page: an SVG that says it is an image, with its
    /// title and a description that `aria-labelledby` names.
    pub fn assert_accessible(chart: &super::ChartView) {
        let (id, svg) = (crate::escape::html(&chart.id), &chart.svg);
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"), "{id}: not one SVG element");
        assert!(svg.contains(" role=\"img\""), "{id}: no role=\"img\"");
        let title = format!("<title id=\"{id}-title\">{}</title>", crate::escape::html(&chart.title));
        assert!(!chart.title.is_empty() && svg.contains(&title), "{id}: no {title}");
        assert!(svg.contains(&format!("<desc id=\"{id}-desc\">")), "{id}: no <desc>");
        assert!(svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")), "{id}: not labelled");
    }

    /// A count as the model prints it (either digits), as a number.
    pub fn count(text: &str) -> u32 {
        crate::thai::to_arabic_digits(text).parse().unwrap_or_else(|_| panic!("{text:?} is not a count"))
    }
}
