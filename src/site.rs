//! The build, in order: load → validate → lint → model → render → write.
//!
//! [`build_into`] lists the steps in one place and times each. Each page is
//! handed to a [`Sink`] as soon as it is rendered, so memory does not grow
//! with the size of the output: `build` writes into a staging folder beside
//! the output ([`crate::output`]) that is swapped in only when everything is
//! written, so a failed build leaves the previous `public/` as it was; `serve`
//! and tests keep the site in memory ([`build`]).

use crate::cache::Cache;
use crate::config::{self, Config};
use crate::content::{self, Page, Role, Texts};
use crate::data::{self, Dataset, Loaded, Plan, Results};
use crate::diagnostic::{self, Finding, Kind, SourceFile};
use crate::index::Index;
use crate::lint::{self, Observation};
use crate::model::{self, Model, SourceDoc};
use crate::output::{Memory, Sink, WriteError};
use crate::raster::{self, Raster};
use crate::render::Renderer;
use crate::routes;
use crate::search::Indexer;
use minijinja::{Value, context};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

pub const PLAN_FILE: &str = "content/plan.json";
pub const RESULTS_DIR: &str = "content/results";
pub const SITE_STATIC: &str = "static";

/// A built site: every output file, by root-relative path.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Lint warnings (the build went on).
    pub warnings: Vec<Finding>,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What a build reports besides its files.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Lint warnings (the build went on).
    pub warnings: Vec<Finding>,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
    /// How many files were written.
    pub files: usize,
}

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content, theme or configuration: all of them, sorted.
    Content(Vec<Finding>),
    /// A file could not be written.
    Write(WriteError),
}

impl Failure {
    /// The content's problems (none for a write failure).
    pub fn findings(&self) -> &[Finding] {
        match self {
            Failure::Content(f) => f,
            Failure::Write(_) => &[],
        }
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Failure {
        Failure::Write(e)
    }
}

impl From<Finding> for Failure {
    fn from(f: Finding) -> Failure {
        Failure::Content(vec![f])
    }
}

/// Build options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides `base_url` in site.toml.
    pub base_url: Option<String>,
    /// Lint warnings stop the build.
    pub strict: bool,
    /// Told how far the build has got (a terminal's progress bar, the
    /// preview's "building" page).
    pub progress: Progress,
    /// Keep PNGs and the search index in the site's `.prongsai-cache/` and
    /// take them from there when their inputs did not change (`build` and
    /// `serve` do; tests build without writing beside the sources).
    pub cache: bool,
    /// Where the cache is, when not in the site folder (tests share one).
    pub cache_dir: Option<std::path::PathBuf>,
}

/// How far a build has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A step has started; its name is in Thai, for people.
    Step(&'static str),
    /// Pages rendered and written so far, of all.
    Pages { done: usize, total: usize },
}

/// Where a build reports its [`Stage`]s; by default nowhere. Called from
/// the build's threads, so it must be quick.
#[derive(Clone, Default)]
pub struct Progress(Option<std::sync::Arc<dyn Fn(Stage) + Send + Sync>>);

impl Progress {
    pub fn new(f: impl Fn(Stage) + Send + Sync + 'static) -> Progress {
        Progress(Some(std::sync::Arc::new(f)))
    }

    fn report(&self, stage: Stage) {
        if let Some(f) = &self.0 {
            f(stage);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Progress(reported)" } else { "Progress(none)" })
    }
}

/// Everything read from disk, checked for form.
pub struct Inputs {
    pub config: Config,
    pub data: Dataset,
    /// The pages in the site's main language.
    pub pages: Vec<Page>,
    /// Their translations into the site's other languages (`x.en.md`).
    pub translated_pages: Vec<Page>,
    /// The site in each of its other languages.
    pub translated: Vec<Translated>,
    pub documents: BTreeMap<String, SourceDoc>,
    pub renderer: Renderer,
    /// The theme's and the site's static files, by output path.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// The theme's fonts (`fonts/*.ttf`, `*.otf`), which PNG images are
    /// drawn with; read only when the site makes PNGs.
    pub fonts: Vec<Vec<u8>>,
    /// Every path the site will have, root-relative: what internal links may
    /// point at.
    pub paths: HashSet<String>,
    /// Of `paths`, made when first asked for (see [`Inputs::paths_fingerprint`]).
    paths_fingerprint: std::sync::OnceLock<u128>,
    /// The site folder the inputs were read from.
    pub root: std::path::PathBuf,
}

impl Inputs {
    /// A fingerprint of the site's paths, for the preview's session: what
    /// links are made against, read by both the page texts and the model.
    fn paths_fingerprint(&self) -> u128 {
        *self.paths_fingerprint.get_or_init(|| paths_fingerprint(&self.paths))
    }
}

/// What the site is made from in one of its other languages.
pub struct Translated {
    /// Its title, labels, digits, era, where its pages go.
    pub config: Config,
    /// Every text in it, or in Thai where it has no translation.
    pub data: Dataset,
    /// The main language's pages, each replaced by its translation where
    /// there is one.
    pub pages: Vec<Page>,
    /// Its Markdown rendered (by [`check`]).
    pub texts: Texts,
}

impl Translated {
    fn new(config: Config, data: &Dataset, pages: &[Page], translated_pages: &[Page]) -> Translated {
        let code = config.language().code.clone();
        let translations: HashMap<&Role, &Page> = translated_pages
            .iter()
            .filter(|p| p.lang.as_deref() == Some(code.as_str()))
            .map(|p| (&p.role, p))
            .collect();
        let pages = pages.iter().map(|p| (*translations.get(&p.role).unwrap_or(&p)).clone()).collect();
        Translated { data: data.in_language(&code), config, pages, texts: Texts::default() }
    }

    fn lang(&self) -> LangInputs<'_> {
        LangInputs { config: &self.config, data: &self.data, pages: &self.pages }
    }
}

/// Step 1: read every input. Problems in one file do not hide problems in
/// another: all are returned together.
pub fn load(root: &Path, options: &Options) -> Result<Inputs, Vec<Finding>> {
    load_with(root, options, None)
}

/// What a [`Session`] keeps of the last build's loading and checking.
/// Content files are kept by path, with a fingerprint of their text: every
/// file is read again on each build, but only those whose text changed are
/// parsed again (parsing the plan and results is most of the loading time of
/// a large plan). The checks of the data, its lint and its rendered texts
/// are kept with a fingerprint of the data (and of whatever else each reads).
#[derive(Default)]
struct Kept {
    plan: LoadCache<Plan>,
    results: LoadCache<Results>,
    data_checks: Memo<Vec<Finding>>,
    lint: Memo<Arc<Vec<Observation>>>,
    data_texts: Memo<DataTexts>,
    pages: content::PageCache,
    /// Each page's Markdown as rendered, by file, with the fingerprint of
    /// what it was rendered from (its text and the site's paths).
    page_texts: Mutex<HashMap<String, (u128, RenderedPage)>>,
}

/// A page's Markdown rendered, and its broken links.
type RenderedPage = (content::Rendered, Vec<Finding>);

/// One thing made, with the fingerprint of what it was made from.
type Memo<T> = Mutex<Option<(u128, T)>>;

/// What `slot` holds if it was made from `made_from`, else made now and kept.
fn memo<T: Clone>(slot: &Memo<T>, made_from: u128, make: impl FnOnce() -> T) -> T {
    if let Some((was, kept)) = &*slot.lock().unwrap_or_else(PoisonError::into_inner) {
        if *was == made_from {
            return kept.clone();
        }
    }
    let made = make();
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some((made_from, made.clone()));
    made
}

/// A fingerprint of the data: the plan's and each results file's text.
fn data_fingerprint(data: &Dataset) -> u128 {
    crate::fingerprint::of(&(
        data.plan.src.fingerprint(),
        data.results.iter().map(|r| r.src.fingerprint()).collect::<Vec<_>>(),
    ))
}

/// A fingerprint of a set of paths that does not depend on the set's order
/// (the sum of each path's): sorting tens of thousands of paths on each
/// save of the preview costs more than hashing them.
fn paths_fingerprint(paths: &HashSet<String>) -> u128 {
    paths.iter().fold(0u128, |sum, path| sum.wrapping_add(crate::fingerprint::of(path.as_str())))
}

/// Loaded files (or why they could not be) by path.
type LoadCache<T> = crate::files::Kept<Result<Loaded<T>, Vec<Finding>>>;

/// Reads and loads one JSON content file, or takes it from `cache` if its
/// text is the same as when it was cached.
fn load_json_cached<T: serde::de::DeserializeOwned + Clone>(
    root: &Path,
    rel: &str,
    schema: &crate::document::Schema,
    langs: &[String],
    cache: Option<&LoadCache<T>>,
) -> Result<Loaded<T>, Vec<Finding>> {
    let Some(cache) = cache else {
        return data::read_source(root, rel)
            .map_err(|f| vec![f])
            .and_then(|src| data::load_json_in(src, schema, langs));
    };
    // An unchanged file is neither decoded nor parsed again (unless the
    // site's languages changed).
    crate::files::read_kept(root, rel, crate::fingerprint::of(langs), cache, |bytes| {
        let src = crate::diagnostic::SourceFile::decode(rel, bytes).map_err(|f| vec![f])?;
        data::load_json_in(src, schema, langs)
    })
    .map_err(|f| vec![f])?
}

fn load_with(root: &Path, options: &Options, loads: Option<&Kept>) -> Result<Inputs, Vec<Finding>> {
    let mut findings = Vec::new();
    let config = config::load(root, options.base_url.as_deref()).map_err(|f| findings.extend(f)).ok();
    let langs: Vec<String> = config.iter().flat_map(|c| c.languages.iter().skip(1).map(|l| l.code.clone())).collect();

    // The plan and each year's results are independent files, and reading
    // them with the position of every value is most of the loading time of a
    // large plan: read them side by side. Findings keep file order.
    let result_files: Vec<String> = crate::files::walk(root, RESULTS_DIR, &mut findings)
        .into_iter()
        .map(|e| e.rel)
        .filter(|rel| rel.ends_with(".json"))
        .collect();
    let (plan, loaded) = rayon::join(
        || load_json_cached(root, PLAN_FILE, data::plan_schema(), &langs, loads.map(|l| &l.plan)),
        || {
            result_files
                .par_iter()
                .map(|rel| load_json_cached(root, rel, data::results_schema(), &langs, loads.map(|l| &l.results)))
                .collect::<Vec<_>>()
        },
    );
    if let Some(loads) = loads {
        // A results file deleted is forgotten.
        loads.results.lock().unwrap_or_else(PoisonError::into_inner).retain(|rel, _| result_files.contains(rel));
    }
    let plan: Option<Loaded<Plan>> = plan.map_err(|f| findings.extend(f)).ok();
    let mut results: Vec<Loaded<Results>> = Vec::new();
    for r in loaded {
        match r {
            Ok(r) => results.push(r),
            Err(f) => findings.extend(f),
        }
    }
    results.sort_by_key(|r| r.data.year);

    let (pages, page_findings) = content::load_pages_cached(root, &langs, loads.map(|l| &l.pages));
    findings.extend(page_findings);
    let (translated_pages, pages): (Vec<Page>, Vec<Page>) = pages.into_iter().partition(|p| p.lang.is_some());

    let renderer = config.as_ref().and_then(|c| Renderer::new(root, &c.theme_dir).map_err(|f| findings.extend(f)).ok());

    // Source documents the data cites.
    let mut documents = BTreeMap::new();
    let doc_refs = plan
        .iter()
        .filter_map(|p| p.data.document.clone().map(|d| (d, p.doc.clone(), p.src.clone())))
        .chain(results.iter().filter_map(|r| r.data.document.clone().map(|d| (d, r.doc.clone(), r.src.clone()))));
    for (doc, located, src) in doc_refs {
        if documents.contains_key(&doc.file) {
            continue;
        }
        // The document is published on the site: it must come from inside it.
        let inside = Path::new(&doc.file).components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            findings.push(
                located
                    .finding(
                        &src,
                        Kind::InvalidValue,
                        "/document/file",
                        format!("ที่อยู่เอกสารต้นทาง \"{}\" ชี้ออกนอกโฟลเดอร์ของเว็บไซต์", doc.file),
                    )
                    .with_help("เก็บเอกสารไว้ในโฟลเดอร์ของเว็บไซต์ แล้วเขียนที่อยู่นับจากโฟลเดอร์นั้น เช่น seeds/เอกสาร.txt (ไม่มี / นำหน้าและไม่มี ..)"),
            );
            continue;
        }
        match data::read_source(root, &doc.file) {
            Ok(file) => {
                // The page of a document is named after its file.
                let stem = Path::new(&doc.file).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                let url_safe =
                    !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
                let slug = if url_safe { stem.to_string() } else { crate::thai::slug(stem) };
                documents.insert(
                    doc.file.clone(),
                    SourceDoc { title: doc.title.clone(), file, path: routes::source(&slug) },
                );
            }
            // A document that is there but not UTF-8, or that is a link out of
            // the site, says so in its own name.
            Err(f) if matches!(f.kind, Kind::InvalidUtf8 | Kind::OutsideSite) => {
                if !findings.contains(&f) {
                    findings.push(f);
                }
            }
            Err(_) => findings.push(
                located
                    .finding(&src, Kind::UnknownReference, "/document/file", format!("ไม่พบไฟล์เอกสารต้นทาง {}", doc.file))
                    .with_help("ตรวจที่อยู่ไฟล์ (นับจากโฟลเดอร์ของเว็บไซต์) เช่น seeds/เอกสาร.txt"),
            ),
        }
    }

    let statics = config.as_ref().and_then(|c| static_files(root, &c.theme_dir).map_err(|f| findings.extend(f)).ok());

    let fonts = config.as_ref().map(|c| theme_fonts(root, c, &mut findings)).unwrap_or_default();

    match (config, plan, renderer, statics) {
        (Some(config), Some(plan), Some(renderer), Some(statics)) if findings.is_empty() => {
            let data = Dataset { plan, results };
            let paths = site_paths(&data, &pages, &documents, &statics);
            let translated = config
                .other_languages()
                .into_iter()
                .map(|c| Translated::new(c, &data, &pages, &translated_pages))
                .collect();
            Ok(Inputs {
                config,
                data,
                pages,
                translated_pages,
                translated,
                documents,
                renderer,
                statics,
                fonts,
                paths,
                paths_fingerprint: std::sync::OnceLock::new(),
                root: root.to_path_buf(),
            })
        }
        _ => Err(findings),
    }
}

/// Step 2: the checks that stop a build, beyond the form of each file.
pub fn validate(inputs: &Inputs) -> Vec<Finding> {
    validate_with(inputs, None)
}

fn validate_with(inputs: &Inputs, kept: Option<(&Kept, u128)>) -> Vec<Finding> {
    let data_checks = || {
        let sources: std::collections::HashMap<String, SourceFile> =
            inputs.documents.iter().map(|(k, d)| (k.clone(), d.file.clone())).collect();
        data::validate(&inputs.data, &sources)
    };
    let mut findings = match kept {
        // The data's checks read the data and the source documents it cites.
        Some((kept, data)) => {
            let documents: Vec<(&String, &String)> = inputs.documents.iter().map(|(k, d)| (k, &d.file.text)).collect();
            memo(&kept.data_checks, crate::fingerprint::of(&(data, documents)), data_checks)
        }
        None => data_checks(),
    };
    let plan = &inputs.data.plan.data;
    let generated: HashSet<String> = generated_pages(&inputs.data).collect();
    let generated = |url: &str| {
        routes::LISTS.contains(&url)
            || generated.contains(url)
            || routes::GENERATED_DIRS.iter().any(|d| url.starts_with(d))
    };
    let strategy_ids: HashSet<&str> = plan.strategies.iter().map(|s| s.id.as_str()).collect();
    let mut narratives: BTreeMap<(String, i32), &str> = BTreeMap::new();
    for page in inputs.pages.iter().chain(&inputs.translated_pages) {
        let fm = &page.front.data;
        if let Some(text) = &fm.date {
            if let Err(reason) = crate::thai::ThaiDate::parse(text) {
                findings.push(
                    page.front
                        .finding(Kind::InvalidValue, "/date", format!("วันที่ \"{text}\" ใช้ไม่ได้: {reason}"))
                        .with_help("เขียนวันที่แบบ ปปปป-ดด-วว ปี พ.ศ. ในเครื่องหมายคำพูด เช่น date = \"2567-01-15\""),
                );
            }
        }
        if page.lang.is_some() {
            continue;
        }
        if let Some(y) = fm.year {
            if !plan.period.contains(y) {
                findings.push(
                    page.front
                        .finding(
                            Kind::YearOutsidePlan,
                            "/year",
                            format!("ปี {y} อยู่นอกช่วงของแผน ({}–{})", plan.period.from, plan.period.to),
                        )
                        .with_help("ใช้ปีงบประมาณ พ.ศ. ในช่วงของแผน"),
                );
            }
        }
        match &page.role {
            Role::StrategyNarrative { strategy, year } => {
                if !strategy_ids.contains(strategy.as_str()) {
                    let ids: Vec<&str> = plan.strategies.iter().map(|s| s.id.as_str()).collect();
                    findings.push(
                        page.front
                            .finding(
                                Kind::UnknownReference,
                                "/strategy",
                                format!("ไม่มียุทธศาสตร์รหัส \"{strategy}\" ในแผน"),
                            )
                            .with_help(format!("ใช้รหัสที่มี: {}", ids.join(", "))),
                    );
                }
                if let Some(other) = narratives.insert((strategy.clone(), *year), &page.src().path) {
                    findings.push(
                        page.front
                            .finding(
                                Kind::DuplicateId,
                                "/strategy",
                                format!("ยุทธศาสตร์ {strategy} ปี {year} มีคำบรรยายอยู่แล้วใน {other}"),
                            )
                            .with_help("รวมเป็นไฟล์เดียว"),
                    );
                }
            }
            Role::Standalone { url } if generated(url) => findings.push(
                Finding::new(Kind::OutputConflict, page.src().path.clone(), format!("หน้านี้จะทับหน้าที่ระบบสร้างเองที่ /{url}"))
                    .with_help("ย้ายหรือเปลี่ยนชื่อไฟล์ เพื่อให้หน้าอยู่ที่ที่อยู่อื่น"),
            ),
            _ => {}
        }
        if let Some(layout) = &page.front.data.layout {
            if !inputs.renderer.has_layout(layout) {
                let layouts = inputs.renderer.layouts();
                let help = match diagnostic::closest(layout, layouts.iter().map(String::as_str)) {
                    Some(s) => format!("หมายถึง \"{s}\" หรือไม่? layout ที่ใช้ได้: {}", layouts.join(", ")),
                    None => format!("layout ที่ใช้ได้: {}", layouts.join(", ")),
                };
                let message = if inputs.renderer.has_template(&format!("{layout}.html")) {
                    format!("แม่แบบ \"{layout}\" ใช้เป็น layout ของหน้าเนื้อหาไม่ได้ (เป็นโครงของหน้าอื่นหรือหน้าที่ระบบสร้างเอง)")
                } else {
                    format!("ไม่มีแม่แบบ (layout) ชื่อ \"{layout}\"")
                };
                findings.push(page.front.finding(Kind::UnknownLayout, "/layout", message).with_help(help));
            }
        }
    }
    findings
}

/// Runs load, validate and lint: what `check` reports. Errors first would
/// hide nothing: every finding is returned, sorted by file and line.
pub fn check(root: &Path, options: &Options) -> (Option<Inputs>, Vec<Finding>, Vec<Observation>) {
    let (inputs, findings, observations, _) = check_and_render(root, options, None);
    (inputs, findings, Arc::unwrap_or_clone(observations))
}

/// [`check`], keeping the Markdown it rendered to check the links: the
/// build uses it as it is, so no text is rendered twice.
fn check_and_render(
    root: &Path,
    options: &Options,
    loads: Option<&Kept>,
) -> (Option<Inputs>, Vec<Finding>, Arc<Vec<Observation>>, Texts) {
    let inputs = match load_with(root, options, loads) {
        Ok(i) => i,
        Err(mut f) => {
            diagnostic::sort(&mut f);
            return (None, f, Arc::default(), Texts::default());
        }
    };
    let kept = loads.map(|kept| (kept, data_fingerprint(&inputs.data)));
    let mut findings = validate_with(&inputs, kept);
    findings.extend(output_conflicts(&inputs));
    findings.extend(translation_checks(&inputs));
    let (link_findings, texts) = internal_links(&inputs, kept);
    findings.extend(link_findings);
    let mut inputs = inputs;
    for t in &mut inputs.translated {
        let (link_findings, texts) = internal_links_in(&t.lang(), &inputs.paths, None);
        // A broken link in a Thai text that stands in for its translation is
        // already reported once.
        let new: Vec<Finding> = link_findings.into_iter().filter(|f| !findings.contains(f)).collect();
        findings.extend(new);
        t.texts = texts;
    }
    let observations = match kept {
        _ if findings.iter().any(Finding::is_error) => Arc::default(),
        // Lint reads the data and the labels it words its findings with.
        Some((kept, data)) => {
            let made_from = crate::fingerprint::of(&(data, &inputs.config.labels));
            memo(&kept.lint, made_from, || Arc::new(lint::lint(&inputs.data, &inputs.config.labels)))
        }
        None => Arc::new(lint::lint(&inputs.data, &inputs.config.labels)),
    };
    findings.extend(observations.iter().map(|o| {
        let mut f = o.finding.clone();
        if options.strict {
            f.severity = diagnostic::Severity::Error;
        }
        f
    }));
    diagnostic::sort(&mut findings);
    (Some(inputs), findings, observations, texts)
}

/// What [`build_into`] makes the model from, for the model's unit tests:
/// the checked inputs (their locations forgotten, as the build does), the
/// lint observations and the rendered texts. Panics if the content has errors.
#[cfg(test)]
pub(crate) fn model_inputs(root: &Path) -> (Inputs, Vec<Observation>, Texts) {
    let (inputs, findings, observations, texts) = check_and_render(root, &Options::default(), None);
    let errors: Vec<String> = findings.iter().filter(|f| f.is_error()).map(Finding::to_string).collect();
    assert!(errors.is_empty(), "{} must build:\n{}", root.display(), errors.concat());
    let mut inputs = inputs.expect("inputs load when there are no errors");
    inputs.data.drop_editing_aids();
    (inputs, Arc::unwrap_or_clone(observations), texts)
}

/// The most texts without a translation named one by one per file and
/// language: a plan not translated yet would otherwise give thousands.
const MISSING_TRANSLATIONS_NAMED: usize = 20;

/// What is not translated into each of the site's other languages (labels,
/// texts of the data, pages), as warnings, and translated pages that
/// translate no page (errors).
fn translation_checks(inputs: &Inputs) -> Vec<Finding> {
    let config = &inputs.config;
    if config.languages.len() < 2 {
        return Vec::new();
    }
    let mut findings = config.missing_translations();
    let mut data_file = |doc: &crate::document::Located, src: &SourceFile, lang: &str, missing: &[String]| {
        for pointer in missing.iter().take(MISSING_TRANSLATIONS_NAMED) {
            findings.push(
                doc.finding(
                    src,
                    Kind::MissingTranslation,
                    pointer,
                    format!("ข้อความนี้ยังไม่มีคำแปลภาษา {lang} หน้าภาษานั้นจะแสดงภาษาไทยแทน"),
                )
                .with_help(format!("เขียนเป็น {{\"th\": \"…\", \"{lang}\": \"…\"}} แทนข้อความเดียว")),
            );
        }
        if missing.len() > MISSING_TRANSLATIONS_NAMED {
            findings.push(
                Finding::new(
                    Kind::MissingTranslation,
                    src.path.clone(),
                    format!("และอีก {} ข้อความในไฟล์นี้ที่ยังไม่มีคำแปลภาษา {lang}", missing.len() - MISSING_TRANSLATIONS_NAMED),
                )
                .with_help(format!("เขียนแต่ละข้อความเป็น {{\"th\": \"…\", \"{lang}\": \"…\"}}")),
            );
        }
    };
    let plan = &inputs.data.plan;
    for t in &plan.translations {
        data_file(&plan.doc, &plan.src, &t.lang, &t.missing);
    }
    for r in &inputs.data.results {
        for t in &r.translations {
            data_file(&r.doc, &r.src, &t.lang, &t.missing);
        }
    }
    let mut translated: BTreeMap<(&str, &Role), &str> = BTreeMap::new();
    let originals: HashSet<&Role> = inputs.pages.iter().map(|p| &p.role).collect();
    for page in &inputs.translated_pages {
        let lang = page.lang.as_deref().unwrap_or_default();
        if !originals.contains(&page.role) {
            findings.push(
                Finding::new(Kind::UnknownReference, page.src().path.clone(), format!("หน้านี้เป็นคำแปลภาษา {lang} ของหน้าที่ไม่มี"))
                    .with_help(format!(
                        "หน้าแปลใช้ชื่อเดียวกับหน้าภาษาไทยในโฟลเดอร์เดียวกัน ต่อด้วย .{lang}.md เช่น analysis.md กับ analysis.{lang}.md: เพิ่มหน้าภาษาไทย หรือแก้ชื่อไฟล์"
                    )),
            );
        } else if let Some(other) = translated.insert((lang, &page.role), &page.src().path) {
            findings.push(
                Finding::new(
                    Kind::OutputConflict,
                    page.src().path.clone(),
                    format!("{} และ {other} เป็นคำแปลภาษา {lang} ของหน้าเดียวกัน จึงใช้ได้เพียงไฟล์เดียว", page.src().path),
                )
                .with_help("รวมเป็นไฟล์เดียว"),
            );
        }
    }
    for lang in config.languages.iter().skip(1) {
        for page in &inputs.pages {
            if !translated.contains_key(&(lang.code.as_str(), &page.role)) {
                findings.push(
                    Finding::new(
                        Kind::MissingTranslation,
                        page.src().path.clone(),
                        format!("หน้านี้ยังไม่มีคำแปลภาษา {} หน้าภาษานั้นจะแสดงภาษาไทยแทน", lang.code),
                    )
                    .with_help(format!("เพิ่มไฟล์ชื่อเดียวกันที่ลงท้ายด้วย .{}.md ในโฟลเดอร์เดียวกัน", lang.code)),
                );
            }
        }
    }
    findings
}

/// The pages the build generates from the data (besides the lists in
/// [`routes::LISTS`]): a Markdown page may not take their address.
fn generated_pages(data: &Dataset) -> impl Iterator<Item = String> + '_ {
    let plan = &data.plan.data;
    let split = model::reports_split(plan);
    plan.strategies
        .iter()
        .map(|s| routes::strategy(&s.id))
        .chain(plan.indicators.iter().map(|i| routes::indicator(&i.id)))
        .chain(data.results.iter().map(|r| routes::year(r.data.year)))
        .chain(
            data.results
                .iter()
                .filter(move |_| split)
                .flat_map(move |r| plan.strategies.iter().map(move |s| routes::year_strategy(r.data.year, &s.id))),
        )
}

/// Inputs that would be written to the same output path: one would silently
/// win. Each finding names both files. (A page that would replace a page the
/// build makes itself is found by [`validate`], two results files for one year
/// by [`data::validate`].)
fn output_conflicts(inputs: &Inputs) -> Vec<Finding> {
    let mut findings = Vec::new();
    let conflict = |file: &str, other: &str, url: &str| {
        Finding::new(Kind::OutputConflict, file, format!("{file} และ {other} จะเป็นหน้าเดียวกันที่ /{url} จึงใช้ได้เพียงไฟล์เดียว"))
            .with_help("รวมเป็นไฟล์เดียว หรือเปลี่ยนชื่อไฟล์ใดไฟล์หนึ่ง")
    };
    // `years/2566/analysis.md` and `years/2566/analysis/index.md`.
    let mut pages: BTreeMap<&str, &str> = BTreeMap::new();
    for page in &inputs.pages {
        if let Role::Standalone { url } = &page.role {
            if let Some(other) = pages.insert(url, &page.src().path) {
                findings.push(conflict(&page.src().path, other, url));
            }
        }
    }
    // Two source documents whose names make the same page, or a page at a
    // source document's address.
    let mut sources: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, doc) in &inputs.documents {
        if let Some(other) = sources.insert(&doc.path, file) {
            findings.push(conflict(file, other, &doc.path));
        }
        if let Some(page) = pages.get(doc.path.as_str()) {
            findings.push(conflict(page, file, &doc.path));
        }
    }
    // A static file with the name of a page or data file the build writes.
    let mut generated: Vec<String> =
        inputs.paths.iter().filter(|p| p.is_empty() || p.ends_with('/')).map(|p| routes::file(p)).collect();
    generated.extend(
        [routes::DATA_JSON, routes::DATA_CSV, routes::SITEMAP, routes::NOT_FOUND, routes::FEED].map(String::from),
    );
    // Every file under the folders the build fills itself (search index,
    // chart downloads, embeds, share images).
    generated
        .extend(inputs.statics.keys().filter(|k| routes::GENERATED_DIRS.iter().any(|d| k.starts_with(d))).cloned());
    generated.sort();
    generated.dedup();
    for name in generated.iter().filter(|g| inputs.statics.contains_key(g.as_str())) {
        let site_file = format!("{SITE_STATIC}/{name}");
        let file = if inputs.root.join(&site_file).is_file() {
            site_file
        } else {
            format!("{}/static/{name}", inputs.config.theme_dir)
        };
        findings.push(
            Finding::new(Kind::OutputConflict, file, format!("ไฟล์นี้จะทับหน้าหรือไฟล์ที่ระบบสร้างเองที่ /{name}"))
                .with_help("ย้ายหรือเปลี่ยนชื่อไฟล์ในโฟลเดอร์ static/ ให้ไม่ตรงกับหน้าที่ระบบสร้าง"),
        );
    }
    findings
}

/// Every path the site will have, root-relative ("", "strategies/1/",
/// "data/indicators.csv", "style.css").
fn site_paths(
    data: &Dataset,
    pages: &[Page],
    documents: &BTreeMap<String, SourceDoc>,
    statics: &BTreeMap<String, Vec<u8>>,
) -> HashSet<String> {
    let mut paths: HashSet<String> =
        [routes::HOME, routes::STRATEGIES, routes::INDICATORS, routes::YEARS].iter().map(|p| p.to_string()).collect();
    paths.extend(generated_pages(data));
    paths.extend(documents.values().map(|d| d.path.clone()));
    paths.extend(pages.iter().filter_map(|p| match &p.role {
        Role::Standalone { url } => Some(url.clone()),
        _ => None,
    }));
    paths.extend([routes::DATA_JSON.to_string(), routes::DATA_CSV.to_string()]);
    paths.extend(statics.keys().cloned());
    paths
}

/// A text of the data rendered, and its broken links.
type RenderedField = (String, Vec<Finding>);

/// Every text of the data rendered (see [`Texts`]), and their broken links.
#[derive(Clone)]
struct DataTexts {
    findings: Vec<Finding>,
    indicator_notes: Arc<Vec<Option<String>>>,
    summaries: Arc<Vec<Vec<String>>>,
    result_notes: Arc<Vec<Vec<Option<String>>>>,
}

/// Internal links (`@/…`) in every Markdown text, checked against the paths
/// the site will have, so that `check` finds what the build would. Each text
/// is rendered as the page showing it needs (its root, its anchor prefix), so
/// the model takes the HTML from here instead of rendering again.
fn internal_links(inputs: &Inputs, kept: Option<(&Kept, u128)>) -> (Vec<Finding>, Texts) {
    let lang = LangInputs { config: &inputs.config, data: &inputs.data, pages: &inputs.pages };
    internal_links_in(&lang, &inputs.paths, kept.map(|kept| (kept, inputs.paths_fingerprint())))
}

/// What one language of the site is made from: its configuration (title,
/// labels, digits), its data (each text in that language) and its pages.
struct LangInputs<'a> {
    config: &'a Config,
    data: &'a Dataset,
    pages: &'a [Page],
}

/// [`internal_links`] for one language of the site, whose pages are under
/// its prefix (one folder deeper for "en/").
///
/// `kept`: the preview's session, with the fingerprints of the data and of
/// `known`.
fn internal_links_in(
    inputs: &LangInputs<'_>,
    known: &HashSet<String>,
    kept: Option<((&Kept, u128), u128)>,
) -> (Vec<Finding>, Texts) {
    let plan = &inputs.data.plan.data;
    let pretty = inputs.config.site.data.pretty_urls;
    let digits = inputs.config.site.data.digits;
    let lang = inputs.config.language().prefix.as_str();
    let to_root = |path: &str| routes::to_root(&format!("{lang}{path}"));
    // Texts from the data show on indicator, strategy and year pages, which
    // are all two folders deep.
    let entity_root = to_root(&routes::indicator("_"));
    let data_links = content::Links { root: &entity_root, known, pretty, digits, lang };

    let mut findings = Vec::new();
    // The preview renders again only the pages whose text (or the site's
    // paths, which decide which links are broken) changed.
    let page_texts = kept.map(|((kept, _), known_fp)| (&kept.page_texts, known_fp));
    let kept = kept.map(|(kept, _)| kept);
    // Side by side (a large plan has a narrative per strategy and year);
    // findings stay in page order.
    let rendered: Vec<RenderedPage> = inputs
        .pages
        .par_iter()
        .map(|page| {
            let (root, prefix) = match &page.role {
                Role::Overview => (to_root(routes::HOME), String::new()),
                Role::Standalone { url } => (to_root(url), String::new()),
                Role::StrategyNarrative { strategy, year } => (entity_root.clone(), format!("s{strategy}-{year}-")),
            };
            let render =
                || content::render_page(page, &content::Links { root: &root, known, pretty, digits, lang }, &prefix);
            let Some((cache, known_fp)) = page_texts else {
                return render();
            };
            let src = page.src();
            let made_from = crate::fingerprint::of(&(
                (src.fingerprint(), page.body.start, page.body.end),
                (&root, &prefix, known_fp, pretty, digits as u8, lang),
            ));
            let lock = || cache.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((was, rendered)) = lock().get(&src.path) {
                if *was == made_from {
                    return rendered.clone();
                }
            }
            let rendered = render();
            lock().insert(src.path.clone(), (made_from, rendered.clone()));
            rendered
        })
        .collect();
    if let Some((cache, _)) = page_texts {
        // A page deleted is forgotten.
        let paths: HashSet<&str> = inputs.pages.iter().map(|p| p.src().path.as_str()).collect();
        cache.lock().unwrap_or_else(PoisonError::into_inner).retain(|path, _| paths.contains(path.as_str()));
    }
    let pages: Vec<content::Rendered> = rendered
        .into_iter()
        .map(|(page, broken)| {
            findings.extend(broken);
            page
        })
        .collect();
    // Markdown inside data and configuration: the finding points at the link
    // itself when the text is written plainly, else at the whole value.
    let text_field = |text: &str,
                      prefix: &str,
                      pointer: &dyn Fn() -> String,
                      doc: &crate::document::Located,
                      src: &SourceFile|
     -> (String, Vec<Finding>) {
        let rendered = content::render(text, &data_links, prefix);
        let findings = rendered
            .broken
            .iter()
            .map(|(_, target)| {
                let pointer = pointer();
                let value = doc.value_range(&pointer);
                let at = src.text.get(value.clone()).and_then(|v| v.find(target.as_str())).map(|i| value.start + i);
                let f = Finding::new(Kind::BrokenLink, src.path.clone(), format!("ลิงก์ {target} ชี้ไปยังหน้าที่ไม่มีในเว็บไซต์"))
                    .with_field(crate::document::field_name(&pointer))
                    .with_help("ตรวจที่อยู่: ลิงก์ภายในเขียนแบบ @/strategies/1/ หรือ @/indicators/<รหัส>/");
                match at {
                    Some(start) => f.at(src, start..start + target.len()),
                    None => f.at(src, value),
                }
            })
            .collect();
        (rendered.html, findings)
    };
    // The data's texts: many at scale, and made from the data, the paths,
    // the URL style and the digits alone, so a session keeps them while
    // those stay.
    let data_texts = || {
        let mut findings = Vec::new();
        let plan_file = &inputs.data.plan;
        let indicator_notes: Vec<Option<String>> = plan
            .indicators
            .par_iter()
            .enumerate()
            .map(|(i, ind)| {
                ind.note.as_ref().map(|note| {
                    let pointer = || format!("/indicators/{i}/note");
                    text_field(note, &format!("n-{}-", ind.id), &pointer, &plan_file.doc, &plan_file.src)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| {
                t.map(|(html, f)| {
                    findings.extend(f);
                    html
                })
            })
            .collect();
        let mut summaries = Vec::new();
        let mut result_notes = Vec::new();
        for res in &inputs.data.results {
            let rendered: Vec<(RenderedField, Option<RenderedField>)> = res
                .data
                .indicators
                .par_iter()
                .enumerate()
                .map(|(i, ir)| {
                    let prefix = format!("r-{}-", ir.indicator);
                    let summary =
                        text_field(&ir.summary, &prefix, &|| format!("/indicators/{i}/summary"), &res.doc, &res.src);
                    let note = ir
                        .note
                        .as_ref()
                        .map(|note| text_field(note, &prefix, &|| format!("/indicators/{i}/note"), &res.doc, &res.src));
                    (summary, note)
                })
                .collect();
            let mut file_summaries = Vec::with_capacity(rendered.len());
            let mut file_notes = Vec::with_capacity(rendered.len());
            for ((summary, f), note) in rendered {
                findings.extend(f);
                file_summaries.push(summary);
                file_notes.push(note.map(|(html, f)| {
                    findings.extend(f);
                    html
                }));
            }
            summaries.push(file_summaries);
            result_notes.push(file_notes);
        }
        DataTexts {
            findings,
            indicator_notes: Arc::new(indicator_notes),
            summaries: Arc::new(summaries),
            result_notes: Arc::new(result_notes),
        }
    };
    let DataTexts { findings: data_findings, indicator_notes, summaries, result_notes } = match kept {
        Some((kept, data)) => {
            let mut paths: Vec<&String> = known.iter().collect();
            paths.sort();
            memo(&kept.data_texts, crate::fingerprint::of(&(data, paths, pretty, format!("{digits:?}"))), data_texts)
        }
        None => data_texts(),
    };
    findings.extend(data_findings);
    let site = &inputs.config.site;
    if let Some(footer) = &site.data.footer {
        // The footer shows at every depth: the model renders it once per depth.
        findings.extend(text_field(footer, "footer-", &|| "/footer".to_string(), &site.doc, &site.src).1);
    }
    (findings, Texts { pages, indicator_notes, summaries, result_notes })
}

/// The whole build, in memory.
pub fn build(root: &Path, options: &Options) -> Result<Site, Failure> {
    let memory = Memory::default();
    let report = build_into(root, options, &memory)?;
    Ok(Site { files: memory.into_files(), warnings: report.warnings, timings: report.timings })
}

/// The whole build, every file handed to `sink` as soon as it is made.
pub fn build_into(root: &Path, options: &Options, sink: &dyn Sink) -> Result<Report, Failure> {
    build_with(root, options, sink, None).map(|(report, _)| report)
}

/// Output files by root-relative path, shared between the preview's
/// successive sites: an unchanged file is one allocation for all of them.
pub type Files = imbl::OrdMap<String, Arc<Stored>>;

/// A file of the preview's site as its session keeps it: LZ4-compressed
/// when that makes it smaller. The preview serves from memory, and at 10,000
/// indicators the site is 950 MB (HTML, SVG and CSV, which shrink three to
/// five times); decompressing a page to serve it takes microseconds (it was
/// copied before), and a save compares only the files it made again. Compression is
/// deterministic, so two files are equal exactly when what is kept is.
#[derive(PartialEq, Eq)]
pub struct Stored {
    data: Vec<u8>,
    compressed: bool,
    len: usize,
}

/// The session's sink: each file compressed as it is made, on the thread
/// that made it, so that the site is never held whole uncompressed.
#[derive(Default)]
struct Packed(Mutex<HashMap<String, Arc<Stored>>>);

impl Sink for Packed {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        let file = Arc::new(Stored::new(bytes));
        self.0.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_string(), file);
        Ok(())
    }
}

/// Files smaller than this are kept as they are.
const COMPRESS_FROM: usize = 512;

impl Stored {
    pub fn new(bytes: Vec<u8>) -> Stored {
        let len = bytes.len();
        if len >= COMPRESS_FROM {
            let packed = lz4_flex::block::compress_prepend_size(&bytes);
            if packed.len() < len - len / 8 {
                return Stored { data: packed, compressed: true, len };
            }
        }
        Stored { data: bytes, compressed: false, len }
    }

    /// The file's bytes.
    pub fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        if !self.compressed {
            return std::borrow::Cow::Borrowed(&self.data);
        }
        // Compressed here from bytes in memory: it cannot fail to decompress.
        std::borrow::Cow::Owned(
            lz4_flex::block::decompress_size_prepended(&self.data).expect("the session's own LZ4 block decompresses"),
        )
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.bytes().into_owned()
    }

    /// The length of the file (not of what is kept).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stored({} bytes, {} kept)", self.len, self.data.len())
    }
}

/// Builds again and again, as the preview does. It keeps the last good
/// site's files, with a fingerprint of what made each one (its template and
/// everything the template was given), and the charts drawn: a rebuild still
/// reads, checks and models everything, but renders, draws and writes only
/// what changed. What it builds is what a full build would (a test checks
/// it after a sequence of edits of every kind).
#[derive(Default)]
pub struct Session {
    files: Arc<Files>,
    made_from: HashMap<String, MadeFrom>,
    charts: crate::charts::Cache,
    loads: Kept,
    model: model::Kept,
    /// The search index's files, once the first build made them.
    search_index: Option<Vec<String>>,
    /// Every file of the last site, in the order the build wrote them.
    written: Vec<String>,
}

/// A site built by a [`Session`].
pub struct Rebuilt {
    pub files: Arc<Files>,
    /// Output files added, removed or changed since the last good build,
    /// in path order.
    pub changed: Vec<String>,
    /// Files made anew (the rest were the last build's, unchanged).
    pub made: usize,
    pub warnings: Vec<Finding>,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Session {
    /// The source documents the plan and results cite, as last loaded
    /// (the preview watches their folders).
    pub fn cited_documents(&self) -> std::collections::BTreeSet<String> {
        let plan = self.loads.plan.lock().unwrap_or_else(PoisonError::into_inner);
        let results = self.loads.results.lock().unwrap_or_else(PoisonError::into_inner);
        let plan = plan.values().filter_map(|k| k.value().as_ref().ok()?.data.document.as_ref());
        let results = results.values().filter_map(|k| k.value().as_ref().ok()?.data.document.as_ref());
        plan.map(|d| d.file.clone()).chain(results.map(|d| d.file.clone())).collect()
    }

    /// Builds the site; on failure, the session keeps the last good site.
    pub fn build(&mut self, root: &Path, options: &Options) -> Result<Rebuilt, Failure> {
        let fresh = Packed::default();
        let reuse = Reuse {
            search_index: self.search_index.as_deref(),
            before: &self.made_from,
            now: Mutex::default(),
            charts: &self.charts,
            loads: &self.loads,
            model: &self.model,
        };
        let (mut report, written) = build_with(root, options, &fresh, Some(&reuse))?;
        let t = Instant::now();
        let mut fresh = fresh.0.into_inner().unwrap_or_else(PoisonError::into_inner);
        let made_from = reuse.now.into_inner().unwrap_or_else(PoisonError::into_inner);
        let made = fresh.len();
        let mut changed = Vec::new();
        let files: Files = if written == self.written {
            // The usual save: the same files, a few of them made anew. The
            // map is persistent: the server keeps serving the last one while
            // this one shares all but the new files' paths of its tree.
            let mut files = (*self.files).clone();
            for (path, file) in fresh {
                if files.get(&path).is_none_or(|old| *old != file) {
                    changed.push(path.clone());
                }
                files.insert(path, file);
            }
            files
        } else {
            // Collected, then made into a map at once.
            let mut entries = Vec::with_capacity(written.len());
            let mut were_there = 0;
            for path in &written {
                let old = self.files.get(path);
                were_there += usize::from(old.is_some());
                let file = match fresh.remove(path) {
                    Some(file) => {
                        if old.is_none_or(|old| **old != *file) {
                            changed.push(path.clone());
                        }
                        file
                    }
                    // Skipped because it was made from the same inputs last time.
                    None => match old {
                        Some(old) => old.clone(),
                        None => {
                            // Cannot happen: a file is skipped only when the last
                            // build made it. Should it, build everything anew
                            // rather than serve a site with a file missing.
                            *self = Session::default();
                            return self.build(root, options);
                        }
                    },
                };
                entries.push((path.clone(), file));
            }
            let files: Files = entries.into_iter().collect();
            // Files of the last site that this one does not have: none when it
            // has as many, all of them there before.
            if were_there != files.len() || files.len() != self.files.len() {
                changed.extend(self.files.keys().filter(|p| !files.contains_key(*p)).cloned());
            }
            let index: Vec<String> = files.keys().filter(|p| p.starts_with(routes::PAGEFIND)).cloned().collect();
            self.search_index = (!index.is_empty()).then_some(index);
            self.written = written;
            files
        };
        changed.sort();
        self.made_from = made_from;
        self.files = Arc::new(files);
        self.charts.sweep();
        report.timings.push(("keep the site's files", t.elapsed()));
        Ok(Rebuilt { files: self.files.clone(), changed, made, warnings: report.warnings, timings: report.timings })
    }
}

/// What a file was made from: its context (template included), and for a
/// page whose inputs are known without making its view, those inputs.
#[derive(Debug, Clone)]
struct MadeFrom {
    inputs: Option<u128>,
    made_from: u128,
    /// The files made with a page (its share image, its charts' downloads
    /// and embed pages): kept with it when it is skipped.
    extras: Arc<Vec<String>>,
}

/// What a [`Session`] lends a build: the fingerprints of the last good
/// build's files, to skip making what would come out the same, and its charts.
struct Reuse<'a> {
    /// The search index's files, as the preview's first build made them.
    search_index: Option<&'a [String]>,
    before: &'a HashMap<String, MadeFrom>,
    now: Mutex<HashMap<String, MadeFrom>>,
    charts: &'a crate::charts::Cache,
    loads: &'a Kept,
    model: &'a model::Kept,
}

impl Reuse<'_> {
    /// Whether the file at `path`, made from what `made_from` fingerprints,
    /// would be what the last build made; records the fingerprint either way.
    fn unchanged(&self, path: &str, made_from: u128) -> bool {
        self.unchanged_from(path, None, made_from)
    }

    /// Whether the page at `path`, whose inputs `inputs` fingerprints, is
    /// the one the last build made from the same inputs; if so it is kept.
    fn inputs_unchanged(&self, path: &str, inputs: u128) -> bool {
        match self.before.get(path) {
            Some(before) if before.inputs == Some(inputs) => {
                self.now.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_string(), before.clone());
                true
            }
            _ => false,
        }
    }

    /// [`Reuse::unchanged`], recording the page's inputs as well: changed
    /// inputs may still make the same context (an edit of one result changes
    /// every indicator's inputs but only one indicator's view).
    fn unchanged_from(&self, path: &str, inputs: Option<u128>, made_from: u128) -> bool {
        let before = self.before.get(path).filter(|before| before.made_from == made_from);
        let extras = before.map(|b| b.extras.clone()).unwrap_or_default();
        self.now
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), MadeFrom { inputs, made_from, extras });
        before.is_some()
    }

    /// The files made with the page at `path` when it was last made.
    fn extras_of(&self, path: &str) -> Arc<Vec<String>> {
        self.before.get(path).map(|b| b.extras.clone()).unwrap_or_default()
    }

    /// Records the files made with the page at `path` now.
    fn set_extras(&self, path: &str, extras: Vec<String>) {
        if let Some(m) = self.now.lock().unwrap_or_else(PoisonError::into_inner).get_mut(path) {
            m.extras = Arc::new(extras);
        }
    }
}

/// Puts a file into `sink` unless `reuse` says the last build made the same
/// from the same inputs.
fn put_unless_unchanged(
    sink: &dyn Sink,
    reuse: Option<&Reuse>,
    path: &str,
    made_from: impl FnOnce() -> u128,
    make: impl FnOnce(&dyn Sink) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    match reuse {
        Some(reuse) if reuse.unchanged(path, made_from()) => Ok(()),
        _ => make(sink),
    }
}

/// [`build_into`], skipping what `reuse` says is unchanged; also returns
/// every file the site has, made now or not.
fn build_with(
    root: &Path,
    options: &Options,
    sink: &dyn Sink,
    reuse: Option<&Reuse>,
) -> Result<(Report, Vec<String>), Failure> {
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, t.elapsed()));
        t = Instant::now();
    };

    options.progress.report(Stage::Step("อ่านและตรวจเนื้อหา"));
    let (inputs, findings, observations, texts) = check_and_render(root, options, reuse.map(|r| r.loads));
    lap("load, validate, lint", &mut timings);
    let Some(mut inputs) = inputs else { return Err(Failure::Content(findings)) };
    if findings.iter().any(Finding::is_error) {
        return Err(Failure::Content(findings));
    }
    let warnings = findings;
    // What the open data is made from: the data files as read (and, for the
    // JSON, the labels its lint findings are worded with; see below). Only
    // worth computing when a session may skip the export.
    let data_made_from = reuse.map(|_| data_fingerprint(&inputs.data));
    // Everything the model reads but the Markdown pages: the plan, the
    // results (and so their lint observations and rendered texts), the
    // configuration and labels, the source documents, and the paths links are
    // made against. The pages are what an editor changes most, and most of
    // the model does not read them (see `model::Kept`, `render_pages`).
    let model_base = data_made_from.map(|data| {
        let config = &inputs.config;
        crate::fingerprint::of(&(
            data,
            (&config.site.src.text, &config.theme.src.text, &config.theme_dir, &options.base_url),
            inputs.documents.iter().map(|(k, d)| (k, &d.title, &d.path, &d.file.text)).collect::<Vec<_>>(),
            inputs.paths_fingerprint(),
        ))
    });
    inputs.data.drop_editing_aids();
    for t in &mut inputs.translated {
        t.data.drop_editing_aids();
    }

    let index = Index::new(&inputs.data);
    let model_inputs = model::Inputs {
        config: &inputs.config,
        data: &inputs.data,
        index: &index,
        pages: &inputs.pages,
        documents: &inputs.documents,
        observations: &observations,
        paths: &inputs.paths,
        texts: &texts,
        charts: reuse.map(|r| r.charts),
        kept: reuse.map(|r| (r.model, model_base.unwrap_or_default())),
    };
    options.progress.report(Stage::Step("คำนวณผลและวาดแผนภูมิ"));
    let (model, indicators) = model::build(&model_inputs);
    lap("model and charts", &mut timings);

    options.progress.report(Stage::Step("สร้างหน้าเว็บ"));
    let reuse_pages = reuse.map(|reuse| (reuse, model_base.unwrap_or_default()));
    let outputs = &inputs.config.site.data.outputs;
    let cache = match (&options.cache_dir, options.cache) {
        (Some(dir), true) => Cache::in_dir(dir),
        (None, true) => Cache::at(root),
        (_, false) => Cache::none(),
    };
    let raster = (outputs.share_images || outputs.chart_downloads).then(|| Raster::new(&inputs.fonts, cache.clone()));
    // The preview indexes for search once, when it starts, and keeps that
    // index: indexing every page again takes longer than the rest of a
    // rebuild (see README, Preview).
    let kept_index = reuse.and_then(|r| r.search_index).filter(|_| outputs.search);
    let indicator_count = inputs.data.plan.data.indicators.len();
    let search_parts = outputs.search_parts(indicator_count);
    let indexer = (outputs.search && kept_index.is_none()).then(|| Indexer::start(!model.pretty, cache, search_parts));
    let extras = Extras {
        outputs,
        raster: raster.as_ref(),
        indexer: indexer.as_ref(),
        entity_pngs: outputs.entity_pngs(indicator_count),
        search_parts: search_parts.is_some(),
    };
    let mut written = render_pages(
        &model,
        &indicators,
        &inputs.renderer,
        &inputs.config,
        sink,
        reuse_pages,
        &options.progress,
        &extras,
    )?;
    if outputs.feed {
        let entries = crate::feed::entries(&model, &inputs.data, &inputs.pages);
        sink.put(routes::FEED, crate::feed::atom(&model, &inputs.data.plan.data.name, &entries, ""))?;
        written.push(routes::FEED.to_string());
    }
    lap("render and write pages", &mut timings);
    // The site again in each other language, under its prefix ("en/").
    let translated_indexes: Vec<Index> = inputs.translated.iter().map(|t| Index::new(&t.data)).collect();
    for (t, index) in inputs.translated.iter().zip(&translated_indexes) {
        let words = t.config.numerals().words;
        let observations = lint::lint_indexed(index, &lint::Words(&t.config.labels, words));
        let model_inputs = model::Inputs {
            config: &t.config,
            data: &t.data,
            index,
            pages: &t.pages,
            documents: &inputs.documents,
            observations: &observations,
            paths: &inputs.paths,
            texts: &t.texts,
            charts: reuse.map(|r| r.charts),
            kept: None,
        };
        let (model, indicators) = model::build(&model_inputs);
        written.extend(render_pages(
            &model,
            &indicators,
            &inputs.renderer,
            &t.config,
            sink,
            reuse_pages,
            &options.progress,
            &extras,
        )?);
        if outputs.feed {
            let lang = &t.config.language().prefix;
            let entries = crate::feed::entries(&model, &t.data, &t.pages);
            let feed = format!("{lang}{}", routes::FEED);
            sink.put(&feed, crate::feed::atom(&model, &t.data.plan.data.name, &entries, lang))?;
            written.push(feed);
        }
    }
    lap("other languages", &mut timings);
    match (indexer, kept_index) {
        (Some(indexer), _) => {
            options.progress.report(Stage::Step("สร้างดัชนีค้นหา"));
            for (path, bytes) in indexer.finish().map_err(|e| write_error(routes::PAGEFIND, e))? {
                sink.put(&path, bytes)?;
                written.push(path);
            }
            lap("search index", &mut timings);
        }
        (None, Some(kept)) => written.extend(kept.iter().cloned()),
        (None, None) => {}
    }
    options.progress.report(Stage::Step("เขียนข้อมูลเปิดและไฟล์ประกอบ"));

    let data_made_from = || data_made_from.unwrap_or_default();
    // The JSON has the lint's findings, which are worded with the labels.
    let json_made_from = || crate::fingerprint::of(&(data_made_from(), &inputs.config.labels));
    put_unless_unchanged(sink, reuse, routes::DATA_JSON, json_made_from, |sink| {
        let languages: Vec<(&str, &Dataset)> =
            inputs.translated.iter().map(|t| (t.config.language().code.as_str(), &t.data)).collect();
        sink.put_with(routes::DATA_JSON, &|out| crate::export::json_to(&inputs.data, &languages, &observations, out))
    })?;
    put_unless_unchanged(sink, reuse, routes::DATA_CSV, data_made_from, |sink| {
        let languages: Vec<(&str, &Index)> = inputs
            .translated
            .iter()
            .zip(&translated_indexes)
            .map(|(t, index)| (t.config.language().code.as_str(), index))
            .collect();
        sink.put(routes::DATA_CSV, crate::export::csv(&index, &languages))
    })?;
    for (path, bytes) in &inputs.statics {
        put_unless_unchanged(
            sink,
            reuse,
            path,
            || crate::fingerprint::of(bytes),
            |sink| sink.put(path, bytes.clone()),
        )?;
    }
    written.extend([routes::DATA_JSON, routes::DATA_CSV].map(String::from));
    written.extend(inputs.statics.keys().cloned());
    if let Some(sitemap) = sitemap(&model, &inputs.config.languages, &written) {
        sink.put(routes::SITEMAP, sitemap)?;
        written.push(routes::SITEMAP.to_string());
    }
    lap("data files and assets", &mut timings);

    if reuse.is_some() {
        // Freeing a large plan's inputs, texts and model takes a tenth of a
        // second that the preview's reader would wait for: free them on the
        // side. (What borrows the inputs goes first.)
        drop(indicators);
        drop(model);
        drop(index);
        std::thread::spawn(move || drop((inputs, texts, observations)));
    }
    Ok((Report { warnings, timings, files: written.len() }, written))
}

/// One page to render: where it goes and with which template, and how to make
/// its content. The content is made only when the page is rendered and
/// dropped once it is written: a template value is a deep copy of its view,
/// and indicator views are made per page, so memory stays flat however many
/// pages there are.
struct PageJob<'a> {
    path: String,
    template: String,
    /// What the page is made from, when known without making its view: then
    /// a session compares that, not a fingerprint of its view.
    made_from: Option<u128>,
    content: Box<dyn Fn() -> PageContent<'a> + Send + Sync + 'a>,
    /// Goes into the search index.
    searchable: bool,
}

/// A page's own part of the template context.
struct PageContent<'a> {
    title: String,
    description: Option<String>,
    breadcrumbs: Vec<model::Link>,
    key: &'static str,
    view: Box<dyn PageView + 'a>,
    /// The charts whose downloads and embed page this page makes (a chart
    /// shown on several pages belongs to one).
    charts: Vec<model::ChartView>,
    share: Share,
    /// What the search index gets instead of the whole page (a large plan's
    /// indicator pages: see [`search_record`]).
    search: Option<String>,
}

/// A page's view, typed: made into a template value only if the page is
/// rendered, and fingerprinted as it is (cheaper than its template value).
trait PageView: Send + Sync {
    fn value(&self) -> Value;
    fn fingerprint(&self) -> u128;
}

impl<T: serde::Serialize + Send + Sync> PageView for T {
    fn value(&self) -> Value {
        sv(self)
    }
    fn fingerprint(&self) -> u128 {
        crate::fingerprint::of_serialized(self)
    }
}

impl<'a> PageJob<'a> {
    /// Says what the page is made from (see [`PageJob::made_from`]).
    fn made_from(self, made_from: Option<u128>) -> PageJob<'a> {
        PageJob { made_from, ..self }
    }

    /// A page whose title and links are known up front.
    #[allow(clippy::too_many_arguments)]
    fn new<T: serde::Serialize + Sync>(
        path: &str,
        template: &str,
        title: String,
        description: Option<String>,
        breadcrumbs: Vec<model::Link>,
        key: &'static str,
        view: &'a T,
    ) -> PageJob<'a> {
        PageJob {
            path: path.to_string(),
            template: template.to_string(),
            made_from: None,
            content: Box::new(move || PageContent {
                title: title.clone(),
                description: description.clone(),
                breadcrumbs: breadcrumbs.clone(),
                key,
                view: Box::new(view),
                charts: Vec::new(),
                share: Share::Plain,
                search: None,
            }),
            searchable: true,
        }
    }

    /// Not in the search index.
    fn unsearchable(mut self) -> Self {
        self.searchable = false;
        self
    }

    /// Adds to what the page's content is made with: its charts, its card.
    fn with(mut self, extra: impl Fn(&mut PageContent<'a>) + Send + Sync + 'a) -> Self {
        let inner = self.content;
        self.content = Box::new(move || {
            let mut c = inner();
            extra(&mut c);
            c
        });
        self
    }
}

/// Renders every page into `sink`; returns the files written.
#[allow(clippy::too_many_arguments)]
fn render_pages(
    model: &Model,
    indicators: &model::Indicators<'_>,
    renderer: &Renderer,
    config: &Config,
    sink: &dyn Sink,
    reuse: Option<(&Reuse, u128)>,
    progress: &Progress,
    extras: &Extras<'_>,
) -> Result<Vec<String>, Failure> {
    let languages = &config.languages;
    let lang = config.language();
    let main = config.is_main();
    // With what the model is made from besides the pages (see build_with).
    let (reuse, model_base) = match reuse {
        Some((reuse, base)) => (Some(reuse), base),
        None => (None, 0),
    };
    let templates = reuse.map(|_| renderer.fingerprint()).unwrap_or_default();
    let site_made_from = reuse.map(|_| crate::fingerprint::of_serialized(&model.site)).unwrap_or_default();
    // What every page is made from besides the Markdown pages, its own view
    // and its place: for the pages whose views read no page but a strategy's
    // narratives, that and those narratives are all they are made from, which
    // is far cheaper to fingerprint than their views (thousands at scale).
    let base = crate::fingerprint::of(&(model_base, templates, site_made_from, &model.footers, model.pretty));
    let made_from = |what: &dyn Fn(&mut crate::fingerprint::Fingerprinter)| {
        reuse.map(|_| {
            let mut h = crate::fingerprint::Fingerprinter::default();
            std::hash::Hash::hash(&base, &mut h);
            what(&mut h);
            h.finish128()
        })
    };
    use std::hash::Hash;
    let narratives_of = |s: &model::StrategyView, h: &mut crate::fingerprint::Fingerprinter| {
        for y in &s.years {
            y.narrative_html.hash(h);
        }
    };
    let l = |k: &str| model.site.labels.get(k).cloned().unwrap_or_else(|| k.to_string());
    let home = model::Link { title: l("nav_overview"), path: routes::HOME.into() };
    let mut jobs = vec![
        PageJob::new(
            routes::HOME,
            "overview.html",
            model.site.title.clone(),
            model.site.description.clone(),
            vec![],
            "overview",
            &model.overview,
        )
        .with(|c| {
            c.share = Share::Card(raster::Card {
                eyebrow: model.site.organization.clone(),
                title: model.site.plan.name.clone(),
                status: model
                    .overview
                    .latest
                    .as_ref()
                    .map(|y| (None, format!("{} {}: {}", l("year"), y.year_text, tally_words(&y.tally)))),
                chart: model.overview.latest.as_ref().map(|y| y.progress_chart.svg.clone()),
                ..Default::default()
            })
        }),
        // The lists read the model's inputs but no page.
        PageJob::new(
            routes::STRATEGIES,
            "strategies.html",
            l("strategies"),
            None,
            vec![home.clone()],
            "strategies",
            &model.listed,
        )
        .made_from(made_from(&|h| "lists".hash(h)))
        .unsearchable(),
        PageJob::new(
            routes::INDICATORS,
            "indicators.html",
            l("indicators"),
            None,
            vec![home.clone()],
            "strategies",
            &model.listed,
        )
        .made_from(made_from(&|h| "lists".hash(h)))
        .unsearchable(),
        PageJob::new(routes::YEARS, "years.html", l("nav_years"), None, vec![home.clone()], "years", &model.years)
            .unsearchable(),
    ];
    let own_pngs = extras.entity_pngs;
    for s in &model.strategies {
        jobs.push(
            PageJob::new(
                &s.path,
                "strategy.html",
                format!("{}: {}", s.title, s.name),
                s.goals.first().cloned(),
                vec![home.clone(), model::Link { title: l("strategies"), path: routes::STRATEGIES.into() }],
                "strategy",
                s,
            )
            // A strategy's view reads the model's inputs and its narratives.
            .made_from(made_from(&|h| narratives_of(s, h)))
            .with(move |c| {
                c.charts = s.years.iter().map(|y| (*y.chart).clone()).collect();
                if !own_pngs {
                    c.share = Share::Of(routes::HOME.into());
                    return;
                }
                let latest = s.years.first();
                c.share = Share::Card(raster::Card {
                    eyebrow: s.title.clone(),
                    title: s.name.clone(),
                    status: latest.map(|y| {
                        let year_text = model.years.iter().find(|v| v.year == y.year).map(|v| v.year_text.clone());
                        (None, format!("{} {}: {}", l("year"), year_text.unwrap_or_default(), tally_words(&y.tally)))
                    }),
                    chart: latest.map(|y| y.chart.svg.clone()),
                    ..Default::default()
                });
            }),
        );
    }
    let strategy_n = l("strategy_n");
    for i in 0..indicators.len() {
        let (home, strategy_n, year_label) = (home.clone(), strategy_n.clone(), l("year"));
        let lang_code = model.site.lang.clone();
        jobs.push(PageJob {
            path: indicators.path(i),
            template: "indicator.html".into(),
            // An indicator's view reads the model's inputs but no page.
            made_from: made_from(&|h| "indicator".hash(h)),
            content: Box::new(move || {
                let view = indicators.view(i);
                PageContent {
                    title: format!("{}: {}", view.reference.long_code, view.reference.name),
                    description: Some(view.reference.name.clone()),
                    breadcrumbs: vec![
                        home.clone(),
                        model::Link {
                            title: format!("{strategy_n} {}", view.strategy_code_text),
                            path: view.strategy.path.clone(),
                        },
                    ],
                    key: "indicator",
                    share: if own_pngs { indicator_card(&view, &year_label) } else { Share::Of(routes::HOME.into()) },
                    search: (!own_pngs).then(|| search_record(&view, &lang_code, &strategy_n)),
                    charts: vec![view.chart.clone()],
                    view: Box::new(view),
                }
            }),
            searchable: true,
        });
    }
    for y in &model.years {
        let title = format!("{} {}", l("report_title"), y.fiscal_year_text);
        let card_title = title.clone();
        jobs.push(
            PageJob::new(
                &y.path,
                "year.html",
                title,
                None,
                vec![home.clone(), model::Link { title: l("nav_years"), path: routes::YEARS.into() }],
                "year",
                y,
            )
            .with(move |c| {
                c.charts = vec![y.progress_chart.clone(), y.map_chart.clone()];
                c.share = Share::Card(raster::Card {
                    eyebrow: model.site.plan.name.clone(),
                    title: card_title.clone(),
                    status: Some((None, tally_words(&y.tally))),
                    chart: Some(y.progress_chart.svg.clone()),
                    ..Default::default()
                });
            }),
        );
    }
    for section in &model.year_sections {
        jobs.push(
            PageJob::new(
                &section.path,
                "year_section.html",
                format!(
                    "{} {}: {} {}",
                    l("report_title"),
                    section.fiscal_year_text,
                    section.strategy.title,
                    section.strategy.name
                ),
                None,
                vec![
                    home.clone(),
                    model::Link { title: l("nav_years"), path: routes::YEARS.into() },
                    section.report.clone(),
                ],
                "section",
                section,
            )
            // A report section reads the model's inputs and its narrative.
            .made_from(made_from(&|h| section.strategy.year.narrative_html.hash(h)))
            // A report's sections (only in plans too large for one page) show
            // their year's card.
            .with(move |c| c.share = Share::Of(section.report.path.clone())),
        );
    }
    for n in &model.narratives {
        let mut crumbs = vec![home.clone()];
        if let Some(y) = &n.year {
            crumbs.push(y.clone());
        }
        jobs.push(PageJob::new(
            &n.path,
            &format!("{}.html", n.layout),
            n.title.clone(),
            n.description.clone(),
            crumbs,
            "page",
            n,
        ));
    }
    for d in &model.sources {
        jobs.push(
            PageJob::new(&d.path, "source.html", d.title.clone(), None, vec![home.clone()], "doc", d).unsearchable(),
        );
    }
    if extras.outputs.search {
        jobs.push(
            PageJob::new(routes::SEARCH, "search.html", l("search_title"), None, vec![home.clone()], "search", &())
                .unsearchable(),
        );
    }

    let site = sv(&model.site);
    let base_url = model.site.base_url.trim_end_matches('/').to_string();
    let card_footer = match (base_url.split_once("://"), &model.site.organization_short) {
        (Some((_, host)), _) => format!("{} · {host}", model.site.organization),
        (None, Some(short)) => format!("{} ({short})", model.site.organization),
        (None, None) => model.site.organization.clone(),
    };
    let (done, total) = (std::sync::atomic::AtomicUsize::new(0), jobs.len());
    let mut extras_written = Vec::new();
    // In chunks, so that pages reach the search index in the same order in
    // every build (its bytes follow the order), while only a chunk's pages
    // are held for it.
    for chunk in jobs.chunks(SEARCH_CHUNK) {
        let pages = chunk
            .par_iter()
            .map(|job| -> Result<PageDone, Failure> {
                let done = || {
                    let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    // Often enough for a bar to move, rarely enough to cost nothing.
                    if done % 64 == 0 || done == total {
                        progress.report(Stage::Pages { done, total });
                    }
                };
                let file = routes::file(&format!("{}{}", lang.prefix, job.path));
                let inputs = job.made_from.map(|inputs| crate::fingerprint::of(&(inputs, &job.path, &job.template)));
                if let (Some(reuse), Some(inputs)) = (reuse, inputs) {
                    if reuse.inputs_unchanged(&file, inputs) {
                        done();
                        return Ok((None, reuse.extras_of(&file).to_vec()));
                    }
                }
                let root = routes::to_root(&format!("{}{}", lang.prefix, job.path));
                let canonical = (!base_url.is_empty()).then(|| format!("{base_url}/{}{}", lang.prefix, job.path));
                let page = (job.content)();
                let footer = model.footers.get(&root).cloned();
                // The same page in every language of the site, for the switcher and
                // the `hreflang` alternates (absolute when the site knows its address).
                let counterparts: Vec<Counterpart> = if languages.len() < 2 {
                    Vec::new()
                } else {
                    languages
                        .iter()
                        .map(|l| Counterpart {
                            code: l.code.clone(),
                            name: l.name.clone(),
                            href: crate::content::link_in(&root, &l.prefix, &job.path, model.pretty),
                            absolute: (!base_url.is_empty()).then(|| format!("{base_url}/{}{}", l.prefix, job.path)),
                            current: l.code == lang.code,
                        })
                        .collect()
                };
                // The page's share image: its own, another page's, or none.
                let card_page = match &page.share {
                    _ if !extras.outputs.share_images => None,
                    Share::Of(other) => Some(other.clone()),
                    _ => Some(job.path.clone()),
                };
                let image = card_page.as_ref().map(|p| routes::share_image(&format!("{}{p}", lang.prefix)));
                let image_abs =
                    image.as_ref().filter(|_| base_url.starts_with("http")).map(|i| format!("{base_url}/{i}"));
                // Marked for the index whether or not this build indexes (the
                // preview keeps its first index): the page is the same.
                let searchable = job.searchable && extras.outputs.search;
                // A page is its template applied to its context: the same both, the
                // same page. This lists every part of the context below (and what
                // its share image and charts' files are made of).
                let made_from = || {
                    crate::fingerprint::of_serialized(&(
                        (templates, &job.template, site_made_from),
                        (&page.title, &page.description, &job.path, &canonical, &page.breadcrumbs),
                        (&root, model.pretty, &footer, page.key, page.view.fingerprint()),
                        (&lang.prefix, &counterparts),
                        (&image, &image_abs, searchable, &page.charts, &page.search),
                    ))
                };
                if reuse.is_some_and(|reuse| reuse.unchanged_from(&file, inputs, made_from())) {
                    done();
                    return Ok((None, reuse.map(|r| r.extras_of(&file).to_vec()).unwrap_or_default()));
                }
                let meta = context! {
                    title => page.title.clone(),
                    description => page.description,
                    path => job.path.clone(),
                    canonical => canonical,
                    breadcrumbs => sv(&page.breadcrumbs),
                    image => image.clone(),
                    image_abs => image_abs,
                    searchable => searchable,
                    // A large plan's pages index their own text, not the
                    // rows and charts of indicators that have pages of their own.
                    brief => searchable && !extras.entity_pngs,
                    // The search page loads an index in parts (`search::Parts`).
                    search_parts => extras.search_parts,
                };
                let ctx = Value::from_pairs([
                    ("site", site.clone()),
                    ("meta", meta),
                    ("root", Value::from(root.as_str())),
                    ("pretty", Value::from(model.pretty)),
                    ("footer_html", Value::from(footer)),
                    ("lang_prefix", Value::from(lang.prefix.as_str())),
                    ("languages", sv(&counterparts)),
                    (page.key, page.view.value()),
                ]);
                let html = renderer.render(&job.template, ctx)?;
                // Thai that stands in for a missing translation (and quotations
                // of the Thai source) is marked as Thai, so that a screen reader
                // switches voice and a browser picks Thai line breaking.
                let html = if main { html } else { crate::render::mark_thai(&html) };
                let mut extra_files = Vec::new();
                if let (Some(raster), Some(image)) = (extras.raster, &image) {
                    let card = match page.share {
                        Share::Of(_) => None,
                        Share::Card(card) => Some(card),
                        Share::Plain => Some(raster::Card { title: page.title.clone(), ..Default::default() }),
                    };
                    if let Some(mut card) = card {
                        card.site = model.site.title.clone();
                        card.footer = card_footer.clone();
                        sink.put(image, raster.png(&card.svg(), raster::CARD_WIDTH, image).map_err(raster_error)?)?;
                        extra_files.push(image.clone());
                    }
                }
                for chart in &page.charts {
                    extra_files.extend(chart_files(
                        chart,
                        &job.path,
                        &page.title,
                        model,
                        renderer,
                        &site,
                        sink,
                        extras,
                        &lang.prefix,
                    )?);
                }
                let searchable = (searchable && extras.indexer.is_some()).then(|| {
                    let path = format!("{}{}", lang.prefix, job.path);
                    let url = if model.pretty { format!("/{path}") } else { format!("/{}", routes::file(&path)) };
                    (url, page.search.clone().unwrap_or_else(|| html.clone()))
                });
                sink.put(&file, html.into_bytes())?;
                if let Some(reuse) = reuse {
                    reuse.set_extras(&file, extra_files.clone());
                }
                done();
                Ok((searchable, extra_files))
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        for (searchable, extra_files) in pages {
            if let (Some(indexer), Some((url, html))) = (extras.indexer, searchable) {
                indexer.add(&lang.prefix, url, html).map_err(|e| write_error(routes::PAGEFIND, e))?;
            }
            extras_written.extend(extra_files);
        }
    }
    let mut written: Vec<String> =
        jobs.iter().map(|job| routes::file(&format!("{}{}", lang.prefix, job.path))).collect();
    written.extend(extras_written);
    if !main {
        // One 404.html serves the whole site, in the main language.
        return Ok(written);
    }

    // 404.html is served for any missing URL, at any depth: its links must be
    // absolute, from the base URL's path (or the domain root).
    let root_path = routes::base_path(&model.site.base_url);
    let meta = context! { title => l("not_found_title"), description => Value::from(()), path => routes::NOT_FOUND, canonical => Value::from(()), breadcrumbs => Value::from(Vec::<Value>::new()) };
    let footer = model.footers.get(&root_path).cloned();
    let ctx = context! { site => site, meta => meta, footer_html => footer, root => root_path, pretty => model.pretty, overview => sv(&model.overview), lang_prefix => "", languages => Value::from(Vec::<Value>::new()) };
    sink.put(routes::NOT_FOUND, renderer.render("404.html", ctx)?.into_bytes())?;
    written.push(routes::NOT_FOUND.into());
    Ok(written)
}

/// A page in one of the site's languages.
#[derive(serde::Serialize)]
struct Counterpart {
    /// "th", "en".
    code: String,
    /// "ไทย", "English".
    name: String,
    /// Relative to the page being rendered.
    href: String,
    /// With the site's address, when it has one.
    absolute: Option<String>,
    /// The page being rendered.
    current: bool,
}

/// A serialisable view as a template value.
fn sv<T: serde::Serialize>(x: &T) -> Value {
    Value::from(minijinja::value::Serde(x))
}

/// sitemap.xml, when the site knows its address: every page among the
/// files written, in path order.
fn sitemap(model: &Model, languages: &[config::Language], files: &[String]) -> Option<Vec<u8>> {
    let base = model.site.base_url.trim_end_matches('/');
    if !base.starts_with("http") {
        return None;
    }
    let several = languages.len() > 1;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if several {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    let mut files: Vec<&String> = files.iter().collect();
    files.sort();
    let e = |p: &str| crate::escape::html(&format!("{base}/{p}"));
    // Pages readers and crawlers come to: not the embed pages (marked
    // noindex), in any language.
    let language_page = |dir: &str| {
        languages.iter().skip(1).find_map(|l| dir.strip_prefix(l.prefix.as_str())).unwrap_or(dir).to_string()
    };
    for dir in
        files.iter().filter_map(|f| routes::page_of_file(f)).filter(|d| !language_page(d).starts_with(routes::EMBED))
    {
        if !several {
            out.push_str(&format!("  <url><loc>{}</loc></url>\n", e(dir)));
            continue;
        }
        // Every language's page lists all of them, itself included, and the
        // main language's as the default (as search engines ask).
        let page = languages.iter().skip(1).find_map(|l| dir.strip_prefix(l.prefix.as_str())).unwrap_or(dir);
        out.push_str(&format!("  <url><loc>{}</loc>", e(dir)));
        for l in languages {
            out.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                crate::escape::html(&l.code),
                e(&format!("{}{page}", l.prefix))
            ));
        }
        out.push_str(&format!("<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/></url>\n", e(page)));
    }
    out.push_str("</urlset>\n");
    Some(out.into_bytes())
}

/// The theme's `static/` and then the site's, which wins name by name.
fn static_files(root: &Path, theme_dir: &str) -> Result<BTreeMap<String, Vec<u8>>, Vec<Finding>> {
    let mut files = BTreeMap::new();
    let mut findings = Vec::new();
    for dir in [format!("{theme_dir}/static"), SITE_STATIC.to_string()] {
        for entry in crate::files::walk(root, &dir, &mut findings) {
            match crate::files::read(root, &entry.rel) {
                Ok(bytes) => {
                    files.insert(entry.name, bytes);
                }
                Err(f) => findings.push(f),
            }
        }
    }
    if findings.is_empty() { Ok(files) } else { Err(findings) }
}

/// A page's share image.
enum Share {
    /// Its title on a card.
    Plain,
    /// A card with more: what the page is, its chart, its status.
    Card(raster::Card),
    /// The image of another page (by path): in a plan too large for a PNG
    /// per page, a strategy's or an indicator's is the overview's, and a
    /// report section's is its year's.
    Of(String),
}

/// What a large plan's indicator page gives the search index: its code and
/// name (weighted as on the page), where it sits in the plan, its unit and
/// each year's status, without the results' summaries, statements and
/// events. Pagefind takes about 10 ms and several hundred kilobytes of memory
/// per whole indicator page (measured: 25 s and 2.2 GB for 2,000
/// indicators), so beyond `png_max_indicators` the index is kept to what
/// finds an indicator.
fn search_record(view: &model::IndicatorView, lang: &str, strategy_n: &str) -> String {
    use crate::escape::html as e;
    let strategy = format!("{strategy_n} {}", view.strategy_code_text);
    let mut out = format!(
        "<!doctype html><html lang=\"{}\"><head><title>{}</title></head><body><main data-pagefind-body>\
         <p data-pagefind-weight=\"8\" data-pagefind-meta=\"code\">{}</p><h1>{}</h1><p>{strategy} {} · {} {} · {} {}</p>\
         <p data-pagefind-meta=\"unit\">{}</p><div hidden data-pagefind-ignore>\
         <span data-pagefind-filter=\"strategy\">{strategy}</span>",
        e(lang),
        e(&view.reference.name),
        e(&view.reference.long_code),
        e(&view.reference.name),
        e(&view.strategy.title),
        e(&view.issue.code_text),
        e(&view.issue.name),
        e(&view.objective.code_text),
        e(&view.objective.name),
        e(&view.unit),
    );
    for y in &view.years {
        if let Some(r) = &y.result {
            out.push_str(&format!(
                "<span data-pagefind-filter=\"year\">{}</span><span data-pagefind-filter=\"status\">{}</span>",
                e(&y.year_text),
                e(&r.status.word)
            ));
        }
    }
    out.push_str("</div></main></body></html>");
    out
}

/// An indicator's card: its code, name, chart and latest status.
fn indicator_card(view: &model::IndicatorView, year_label: &str) -> Share {
    let latest = view.years.iter().rev().find_map(|y| y.result.as_ref().map(|r| (y, r)));
    Share::Card(raster::Card {
        eyebrow: view.reference.long_code.clone(),
        title: view.reference.name.clone(),
        status: latest.map(|(y, r)| {
            let status = crate::data::Status::ALL.iter().copied().find(|s| s.key() == r.status.key);
            let value = r.value_text.as_ref().map(|v| format!(" {v}")).unwrap_or_default();
            (status, format!("{} {}: {}{value}", year_label, y.year_text, r.status.word))
        }),
        chart: Some(view.chart.svg.clone()),
        ..Default::default()
    })
}

/// "สูงกว่าค่าเป้าหมาย ๓ · บรรลุ ๑": a tally for a card.
fn tally_words(t: &model::TallyView) -> String {
    t.counts.iter().map(|(s, n)| format!("{} {n}", s.word)).collect::<Vec<_>>().join(" · ")
}

/// A page written: what the search index gets (URL path and HTML), and the
/// other files written with it (its share image, its charts' files).
type PageDone = (Option<(String, String)>, Vec<String>);

/// Pages handed to the search index in order, this many at a time.
const SEARCH_CHUNK: usize = 64;

/// What the build makes besides pages, as `site.toml` asks.
struct Extras<'a> {
    outputs: &'a crate::config::Outputs,
    raster: Option<&'a Raster>,
    indexer: Option<&'a Indexer>,
    /// Strategy and indicator pages have their own share images, and their
    /// charts PNGs (else they use the overview's card, and their charts are
    /// SVG and CSV only): a PNG takes tens of milliseconds, too long for
    /// thousands of pages.
    entity_pngs: bool,
    /// The search index is made in parts (see `search::Parts`).
    search_parts: bool,
}

/// A chart's downloads (SVG, PNG, CSV) and embed page, as `site.toml` asks;
/// returns the files written. `page` is the page the chart belongs to.
#[allow(clippy::too_many_arguments)]
fn chart_files(
    chart: &model::ChartView,
    page: &str,
    page_title: &str,
    model: &Model,
    renderer: &Renderer,
    site: &Value,
    sink: &dyn Sink,
    extras: &Extras<'_>,
    lang: &str,
) -> Result<Vec<String>, Failure> {
    let mut files = Vec::new();
    // Each language has its own downloads ("charts/en/indicators/3-1.1.svg")
    // and embed pages ("en/embed/indicators/3-1.1/").
    let key = format!("{lang}{}", chart.key);
    if extras.outputs.chart_downloads {
        let svg_path = routes::chart_file(&key, "svg");
        sink.put(&svg_path, raster::standalone_svg(&chart.svg).into_bytes())?;
        let csv_path = routes::chart_file(&key, "csv");
        sink.put(&csv_path, crate::export::chart_csv(&chart.table))?;
        files.extend([svg_path, csv_path]);
        if let (Some(raster), true) = (extras.raster, chart.png) {
            let png_path = routes::chart_file(&key, "png");
            sink.put(&png_path, raster.png(&chart.svg, raster::CHART_PNG_WIDTH, &png_path).map_err(raster_error)?)?;
            files.push(png_path);
        }
    }
    if extras.outputs.embeds {
        // A page of the language: its links go to that language's pages.
        let path = routes::embed(&chart.key);
        let base = model.site.base_url.trim_end_matches('/');
        let meta = context! {
            title => chart.title.clone(),
            path => path.clone(),
            canonical => (!base.is_empty()).then(|| format!("{base}/{lang}{path}")),
        };
        let ctx = context! {
            site => site.clone(),
            meta => meta,
            root => routes::to_root(&format!("{lang}{path}")),
            pretty => model.pretty,
            lang_prefix => lang,
            chart => sv(chart),
            page => context! { title => page_title, path => page },
        };
        let file = routes::file(&format!("{lang}{path}"));
        let html = renderer.render("embed.html", ctx)?;
        let html = if lang.is_empty() { html } else { crate::render::mark_thai(&html) };
        sink.put(&file, html.into_bytes())?;
        files.push(file);
    }
    Ok(files)
}

fn raster_error(e: crate::raster::RasterError) -> Failure {
    Failure::Content(vec![
        Finding::new(Kind::Io, "themes", e.to_string())
            .with_help("ตรวจแบบอักษรใน themes/<ชื่อธีม>/fonts/ หรือปิดภาพ PNG ใน site.toml: [outputs] share_images = false, chart_downloads = false"),
    ])
}

fn write_error(path: &str, e: crate::search::SearchError) -> Failure {
    Failure::Content(vec![
        Finding::new(Kind::Io, path, e.to_string())
            .with_help("ปิดการค้นหาใน site.toml ได้ด้วย [outputs] search = false แล้วแจ้งปัญหานี้ให้ผู้ดูแล prongsai"),
    ])
}

/// Where a theme keeps the fonts PNG images are drawn with.
pub const THEME_FONTS: &str = "fonts";

/// The theme's fonts, when the site draws PNGs (share images, chart
/// downloads). Without one, Thai text in the PNGs would be blank: an error
/// that says how to add a font or turn the PNGs off.
fn theme_fonts(root: &Path, config: &Config, findings: &mut Vec<Finding>) -> Vec<Vec<u8>> {
    let outputs = &config.site.data.outputs;
    if !outputs.share_images && !outputs.chart_downloads {
        return Vec::new();
    }
    let dir = format!("{}/{THEME_FONTS}", config.theme_dir);
    let mut fonts = Vec::new();
    if root.join(&dir).is_dir() {
        for entry in crate::files::walk(root, &dir, findings) {
            let lower = entry.name.to_ascii_lowercase();
            if !(lower.ends_with(".ttf") || lower.ends_with(".otf")) {
                continue;
            }
            match crate::files::read(root, &entry.rel) {
                Ok(bytes) => fonts.push(bytes),
                Err(f) => findings.push(f),
            }
        }
    }
    if fonts.is_empty() {
        findings.push(
            Finding::new(
                Kind::Io,
                dir.clone(),
                format!("ธีมไม่มีแบบอักษรสำหรับวาดภาพ PNG (ไม่พบไฟล์ .ttf หรือ .otf ใน {dir}/) ภาพแชร์และภาพแผนภูมิจะไม่มีตัวอักษร"),
            )
            .with_help(format!(
                "ใส่แบบอักษรไทยที่เผยแพร่ต่อได้ (เช่น Sarabun, OFL) ไว้ใน {dir}/ หรือปิดใน site.toml: [outputs] share_images = false และ chart_downloads = false"
            )),
        );
    }
    fonts
}
