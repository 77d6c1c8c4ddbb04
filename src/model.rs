//! The ready model: everything a template shows, computed and formatted here
//! (digits, eras, dates, statuses, links, charts) so that templates only lay
//! it out. A view is built once per entity and shared by every page that
//! shows it.

use crate::charts::{self, BulletRow, MapStrategy, ProgressRow, StatusWords, YearPoint};
use crate::config::Config;
use crate::content::{self, Links, Page, Role};
use crate::data::{
    Dataset, Direction, Indicator, IndicatorResult, Measure, Plan, Results, Status, TargetKind, YearTarget,
};
use crate::diagnostic::SourceFile;
use crate::lint::{Observation, Subject, Tally, strategy_index};
use crate::thai::{Numerals, ThaiDate};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// A link: a title and a root-relative path (templates make it relative).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub title: String,
    pub path: String,
}

fn link(title: impl Into<String>, path: impl Into<String>) -> Link {
    Link { title: title.into(), path: path.into() }
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub lang: String,
    pub base_url: String,
    pub labels: BTreeMap<String, String>,
    pub organization: String,
    pub organization_short: Option<String>,
    pub plan: PlanView,
    pub nav: Vec<Link>,
    pub years: Vec<Link>,
    pub downloads: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub name: String,
    pub period_text: String,
    pub vision: String,
    pub goal: String,
    pub counts: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub key: &'static str,
    pub word: String,
    pub glyph: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceLink {
    pub text: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    pub kind: &'static str,
    /// The target in plain words, e.g. "ไม่ต่ำกว่าร้อยละ ๖๐".
    pub text: String,
    /// The wording of the source, where it differs.
    pub source_text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub date_text: String,
    pub text: String,
    pub amount_text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementView {
    pub place: String,
    pub value_text: Option<String>,
    pub target_text: Option<String>,
    pub count_text: Option<String>,
    pub status: Option<StatusView>,
    pub quote: Option<String>,
    pub source: Option<SourceLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObservationView {
    pub kind: &'static str,
    pub kind_word: String,
    pub message: String,
    /// Where the data says it: file and line, for editors and the curious.
    pub location: String,
    pub subject: Option<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    pub status: StatusView,
    pub value_text: Option<String>,
    pub count_text: Option<String>,
    pub summary_html: String,
    pub events: Vec<EventView>,
    pub statements: Vec<StatementView>,
    pub note_html: Option<String>,
    pub source: Option<SourceLink>,
    pub observations: Vec<ObservationView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRef {
    pub id: String,
    pub code_text: String,
    /// "ยุทธศาสตร์ที่ ๓ ตัวชี้วัดที่ ๑.๑".
    pub long_code: String,
    pub name: String,
    pub path: String,
    pub strategy_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorYearView {
    pub year: i32,
    pub year_text: String,
    pub fiscal_year_text: String,
    pub path: String,
    pub target: Option<TargetView>,
    pub result: Option<ResultView>,
    pub reported: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub svg: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub code_text: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    #[serde(flatten)]
    pub reference: IndicatorRef,
    pub unit: String,
    pub measure: Measure,
    pub cumulative: bool,
    pub strategy: Link,
    pub strategy_code_text: String,
    pub issue: Named,
    pub objective: Named,
    pub five_year_target_text: String,
    pub five_year_target_source: Option<String>,
    pub years: Vec<IndicatorYearView>,
    pub chart: ChartView,
    pub note_html: Option<String>,
    pub observations: Vec<ObservationView>,
    pub source: Option<SourceLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TallyView {
    pub indicators: String,
    pub with_target: String,
    pub achieved: String,
    pub exceeded: String,
    pub met_only: String,
    pub not_met: String,
    pub not_assessed: String,
    pub achieved_percent: Option<String>,
    pub counts: Vec<(StatusView, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub indicator: IndicatorRef,
    pub target: Option<TargetView>,
    pub result: Option<ResultView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueRows {
    pub code_text: String,
    pub name: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StrategyYearView {
    pub year: i32,
    pub fiscal_year_text: String,
    pub year_path: String,
    pub tally: TallyView,
    pub issues: Vec<IssueRows>,
    pub chart: ChartView,
    pub narrative_html: Option<String>,
    pub projects_text: Option<String>,
    pub next_year_projects_text: Option<String>,
    pub observations: Vec<ObservationView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    pub code_text: String,
    pub name: String,
    pub indicators: Vec<IndicatorRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    pub code_text: String,
    pub name: String,
    pub objectives: Vec<ObjectiveView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StrategyView {
    pub id: String,
    pub code_text: String,
    pub title: String,
    pub name: String,
    pub path: String,
    pub goals: Vec<String>,
    pub issues: Vec<IssueView>,
    pub indicator_count_text: String,
    pub years: Vec<StrategyYearView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    pub stated_issues_text: Option<String>,
    pub stated_recommendations_text: Option<String>,
    pub issues: Vec<PolicyIssueView>,
    pub source: Option<SourceLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyIssueView {
    pub number_text: String,
    pub name: String,
    pub stated_count_text: Option<String>,
    /// (number as the source writes it, e.g. "๔.๔", or "" for a lone one; text).
    pub recommendations: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatedView {
    pub indicators: Option<String>,
    pub with_target: Option<String>,
    pub met: Option<String>,
    pub exceeded: Option<String>,
    pub source: Option<SourceLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    pub year: i32,
    pub year_text: String,
    pub fiscal_year_text: String,
    pub span_text: String,
    pub path: String,
    pub tally: TallyView,
    pub stated: Option<StatedView>,
    pub strategies: Vec<YearStrategy>,
    pub progress_chart: ChartView,
    pub progress_rows: Vec<ProgressTableRow>,
    pub map_chart: ChartView,
    pub pages: Vec<Link>,
    pub observations: Vec<ObservationView>,
    pub projects_text: Option<String>,
    pub projects_source: Option<SourceLink>,
    pub policy: Option<PolicyView>,
    pub document: Option<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgressTableRow {
    pub strategy: Link,
    /// "ยุทธศาสตร์ที่ ๑", for narrow table cells.
    pub short: String,
    pub tally: TallyView,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearStrategy {
    pub id: String,
    pub title: String,
    pub name: String,
    pub path: String,
    pub year: StrategyYearView,
}

#[derive(Debug, Clone, Serialize)]
pub struct NarrativeView {
    pub title: String,
    pub description: Option<String>,
    pub path: String,
    pub layout: String,
    pub html: String,
    pub headings: Vec<content::Heading>,
    pub year: Option<Link>,
    pub policy: Option<PolicyView>,
    pub weight: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceLine {
    pub number: u32,
    pub number_text: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceDocView {
    pub title: String,
    pub path: String,
    pub file: String,
    pub lines: Vec<SourceLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverviewView {
    pub narrative_html: Option<String>,
    pub latest: Option<YearView>,
    pub strategies: Vec<StrategyCard>,
    pub pages: Vec<Link>,
    pub observations: Vec<ObservationView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StrategyCard {
    pub title: String,
    pub name: String,
    pub path: String,
    pub goals: Vec<String>,
    pub indicator_count_text: String,
    pub latest: Option<TallyView>,
}

/// The whole model of the site.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub site: SiteView,
    pub overview: OverviewView,
    pub strategies: Vec<StrategyView>,
    pub indicators: Vec<IndicatorView>,
    pub years: Vec<YearView>,
    pub narratives: Vec<NarrativeView>,
    pub sources: Vec<SourceDocView>,
    pub pretty: bool,
    /// The footer rendered for each `root` a page can have.
    pub footers: BTreeMap<String, String>,
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
    pub pages: &'a [Page],
    pub documents: &'a BTreeMap<String, SourceDoc>,
    pub observations: &'a [Observation],
    /// Every path the site will have, root-relative ("strategies/1/",
    /// "data/indicators.csv"), for making internal links relative.
    pub paths: &'a HashSet<String>,
}

/// Formatting with the site's digits, era and labels.
struct Fmt<'a> {
    num: Numerals,
    cfg: &'a Config,
}

impl Fmt<'_> {
    fn d(&self, s: &str) -> String {
        self.num.digits(s)
    }
    fn count(&self, n: impl ToString) -> String {
        self.num.digits(&n.to_string())
    }
    fn l(&self, key: &str) -> String {
        self.cfg.label(key)
    }
    fn number(&self, ind: &Indicator, v: f64) -> String {
        self.num.number(v, ind.decimals())
    }
    /// "ร้อยละ ๖๖.๓๖", "๑๒๐ คน", "ระดับ ๕".
    fn value(&self, ind: &Indicator, v: f64) -> String {
        let n = self.number(ind, v);
        match ind.measure {
            Measure::Percent | Measure::Level => format!("{} {n}", ind.unit),
            Measure::Count => format!("{n} {}", ind.unit),
        }
    }
    fn direction(&self, d: Direction) -> String {
        self.l(match d {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
            Direction::Exactly => "exactly",
        })
    }
    /// "ไม่ต่ำกว่าร้อยละ ๖๐", "ไม่ต่ำกว่า ๑๕ หน่วยงาน": Thai writes no space
    /// between words, but a number needs one before it.
    fn directed(&self, d: Direction, ind: &Indicator, v: f64) -> String {
        let value = self.value(ind, v);
        let space = if value.starts_with(|c: char| c.is_numeric()) { " " } else { "" };
        format!("{}{space}{}", self.direction(d), value)
    }
    fn symbol(d: Direction) -> &'static str {
        match d {
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
            Direction::Exactly => "=",
        }
    }
    fn status(&self, s: Status) -> StatusView {
        StatusView { key: s.key(), word: self.l(&format!("status_{}", s.key())), glyph: charts::status_style(s).2 }
    }
    fn target(&self, ind: &Indicator, t: &YearTarget) -> TargetView {
        let (kind, text) = match t.kind {
            TargetKind::Numeric => (
                "numeric",
                match (t.value, t.direction) {
                    (Some(v), Some(d)) => self.directed(d, ind, v),
                    (Some(v), None) => self.value(ind, v),
                    _ => String::new(),
                },
            ),
            TargetKind::Milestone => ("milestone", t.text.clone().unwrap_or_default()),
            TargetKind::NotAssessed => (
                "not_assessed",
                match (t.first_year, t.first_value) {
                    (Some(y), Some(v)) => format!(
                        "{} ({} {} {} {})",
                        self.l("status_not_assessed"),
                        self.l("first_assessed"),
                        self.num.year(y),
                        self.l("target"),
                        self.value(ind, v)
                    ),
                    (Some(y), None) => {
                        format!("{} ({} {})", self.l("status_not_assessed"), self.l("first_assessed"), self.num.year(y))
                    }
                    _ => self.l("status_not_assessed"),
                },
            ),
        };
        let source_text = t.text.clone().filter(|s| s != &text && t.kind != TargetKind::Milestone);
        TargetView { kind, text, source_text }
    }
    fn short_target(&self, ind: &Indicator, t: Option<&YearTarget>) -> String {
        match t {
            None => "–".into(),
            Some(t) => match (t.kind, t.value, t.direction) {
                (TargetKind::Numeric, Some(v), Some(d)) => format!("{} {}", Self::symbol(d), self.number(ind, v)),
                (TargetKind::Numeric, Some(v), None) => self.number(ind, v),
                (TargetKind::Milestone, ..) => self.l("chart_milestone"),
                _ => self.l("status_not_assessed"),
            },
        }
    }
}

/// Builds the model. Findings are Markdown links to pages that do not exist.
/// Builds the model. Internal links were checked by `site::check` before
/// this runs, so rendering cannot fail.
pub fn build(inp: &Inputs<'_>) -> Model {
    let cfg = inp.config;
    let f = Fmt { num: cfg.numerals(), cfg };
    let plan = &inp.data.plan.data;
    let pretty = cfg.site.data.pretty_urls;
    let strategy_of = strategy_index(plan);

    let known = inp.paths;
    let links2 = Links { root: "../../", known, pretty };

    let observation_view = |o: &Observation| -> ObservationView {
        let subject = match &o.subject {
            Subject::Indicator { id, .. } => plan
                .indicators
                .iter()
                .find(|i| &i.id == id)
                .map(|i| link(format!("{} {}", f.l("indicator_n"), f.d(&i.code)), format!("indicators/{id}/"))),
            Subject::Strategy { id, .. } => {
                Some(link(format!("{} {}", f.l("strategy_n"), f.d(id)), format!("strategies/{id}/")))
            }
            Subject::Year(y) => Some(link(f.num.fiscal_year(*y), format!("years/{y}/"))),
            Subject::Plan => None,
        };
        ObservationView {
            kind: o.finding.kind.code(),
            kind_word: f.l(&format!("finding_{}", o.finding.kind.code().replace('-', "_"))),
            message: f.d(&o.finding.message),
            location: o.finding.location(),
            subject,
        }
    };

    let source_link = |doc_file: Option<&str>, s: Option<&crate::data::SourceRef>| -> Option<SourceLink> {
        let s = s?;
        let doc = doc_file.and_then(|d| inp.documents.get(d));
        let mut parts = Vec::new();
        if let Some(sec) = &s.section {
            parts.push(sec.clone());
        }
        if let Some(line) = s.line {
            parts.push(format!("{} {}", f.l("line"), f.count(line)));
        }
        let path = match (doc, s.line) {
            (Some(d), Some(line)) => format!("{}#L{line}", d.path),
            (Some(d), None) => d.path.clone(),
            _ => String::new(),
        };
        Some(SourceLink { text: parts.join(", "), path })
    };

    let indicator_ref = |ind: &Indicator| -> IndicatorRef {
        let sid = strategy_of.get(ind.id.as_str()).copied().unwrap_or_default();
        IndicatorRef {
            id: ind.id.clone(),
            code_text: f.d(&ind.code),
            long_code: format!("{} {} {} {}", f.l("strategy_n"), f.d(sid), f.l("indicator_n"), f.d(&ind.code)),
            name: ind.name.clone(),
            path: format!("indicators/{}/", ind.id),
            strategy_id: sid.to_string(),
        }
    };

    let markdown = |text: &str, prefix: &str| -> String { content::render(text, &links2, prefix).html };

    // Results by (indicator, year), with their view.
    let mut results: BTreeMap<(String, i32), ResultView> = BTreeMap::new();
    for res in &inp.data.results {
        let year = res.data.year;
        let doc_file = res.data.document.as_ref().map(|d| d.file.as_str());
        for ir in &res.data.indicators {
            let Some(ind) = plan.indicators.iter().find(|x| x.id == ir.indicator) else { continue };
            let mut view =
                result_view(&f, ind, ir, doc_file, &source_link, &|t| markdown(t, &format!("r-{}-", ind.id)));
            view.observations = inp
                .observations
                .iter()
                .filter(
                    |o| matches!(&o.subject, Subject::Indicator { id, year: Some(y) } if *id == ind.id && *y == year),
                )
                .map(&observation_view)
                .collect();
            results.insert((ind.id.clone(), year), view);
        }
    }

    let years_with_results: Vec<i32> = inp.data.results.iter().map(|r| r.data.year).collect();

    // Indicators.
    let indicator_views: Vec<IndicatorView> = plan
        .indicators
        .par_iter()
        .map(|ind| {
            let reference = indicator_ref(ind);
            let objective = plan.objectives.iter().find(|o| o.id == ind.objective);
            let issue = objective.and_then(|o| plan.issues.iter().find(|i| i.id == o.issue));
            let strategy = issue.and_then(|i| plan.strategies.iter().find(|s| s.id == i.strategy));
            let years: Vec<IndicatorYearView> = plan
                .period
                .years()
                .map(|y| IndicatorYearView {
                    year: y,
                    year_text: f.num.year(y),
                    fiscal_year_text: f.num.fiscal_year(y),
                    path: format!("years/{y}/"),
                    target: ind.targets.get(&y.to_string()).map(|t| f.target(ind, t)),
                    result: results.get(&(ind.id.clone(), y)).cloned(),
                    reported: years_with_results.contains(&y),
                })
                .collect();
            let chart = indicator_chart(&f, ind, plan, &results_raw(inp.data, &ind.id));
            let five_year_target_text = f.directed(ind.target.direction, ind, ind.target.value);
            IndicatorView {
                strategy: strategy
                    .map_or_else(|| link("", ""), |s| link(s.name.clone(), format!("strategies/{}/", s.id))),
                strategy_code_text: strategy.map_or_else(String::new, |s| f.d(&s.id)),
                issue: issue.map_or_else(
                    || Named { code_text: String::new(), name: String::new() },
                    |i| Named { code_text: f.d(&i.id), name: i.name.clone() },
                ),
                objective: objective.map_or_else(
                    || Named { code_text: String::new(), name: String::new() },
                    |o| Named { code_text: f.d(&o.code), name: o.name.clone() },
                ),
                unit: ind.unit.clone(),
                measure: ind.measure,
                cumulative: ind.cumulative,
                five_year_target_source: ind.target.text.clone(),
                five_year_target_text,
                years,
                chart,
                note_html: ind.note.as_deref().map(|n| markdown(n, &format!("n-{}-", ind.id))),
                observations: inp
                    .observations
                    .iter()
                    .filter(|o| matches!(&o.subject, Subject::Indicator { id, year: None } if *id == ind.id))
                    .map(&observation_view)
                    .collect(),
                source: source_link(plan.document.as_ref().map(|d| d.file.as_str()), ind.source.as_ref()),
                reference,
            }
        })
        .collect();

    let words = StatusWords { words: Status::ALL.map(|s| f.l(&format!("status_{}", s.key()))) };

    // Strategy narratives, by (strategy, year).
    let mut narratives: BTreeMap<(String, i32), String> = BTreeMap::new();
    for page in inp.pages {
        if let Role::StrategyNarrative { strategy, year } = &page.role {
            let (r, _) = content::render_page(page, &links2, &format!("s{strategy}-{year}-"));
            narratives.insert((strategy.clone(), *year), r.html);
        }
    }

    let tally_view = |t: Tally| -> TallyView {
        let counts = [
            (Status::Exceeded, t.exceeded),
            (Status::Met, t.achieved - t.exceeded),
            (Status::NotMet, t.not_met),
            (Status::NotAssessed, t.not_assessed),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| (f.status(s), f.count(n)))
        .collect();
        TallyView {
            indicators: f.count(t.indicators),
            with_target: f.count(t.with_target),
            achieved: f.count(t.achieved),
            exceeded: f.count(t.exceeded),
            met_only: f.count(t.achieved - t.exceeded),
            not_met: f.count(t.not_met),
            not_assessed: f.count(t.not_assessed),
            achieved_percent: (t.with_target > 0)
                .then(|| f.num.number(f64::from(t.achieved) / f64::from(t.with_target) * 100.0, 2)),
            counts,
        }
    };

    let result_lookup = |res: &Results, id: &str| res.indicators.iter().find(|r| r.indicator == id).cloned();

    // Strategy × year views, shared by strategy pages and year pages.
    let strategy_year = |sid: &str, res: &crate::data::Loaded<Results>| -> StrategyYearView {
        let year = res.data.year;
        let inds: Vec<&Indicator> =
            plan.indicators.iter().filter(|i| strategy_of.get(i.id.as_str()) == Some(&sid)).collect();
        let raw: Vec<Option<IndicatorResult>> = inds.iter().map(|i| result_lookup(&res.data, &i.id)).collect();
        let tally = Tally::of(inds.iter().copied().zip(raw.iter().map(Option::as_ref)), year);
        let issues = plan
            .issues
            .iter()
            .filter(|is| is.strategy == sid)
            .map(|is| IssueRows {
                code_text: f.d(&is.id),
                name: is.name.clone(),
                rows: inds
                    .iter()
                    .filter(|ind| plan.objectives.iter().any(|o| o.id == ind.objective && o.issue == is.id))
                    .map(|ind| Row {
                        indicator: indicator_ref(ind),
                        target: ind.targets.get(&year.to_string()).map(|t| f.target(ind, t)),
                        result: results.get(&(ind.id.clone(), year)).cloned(),
                    })
                    .collect(),
            })
            .collect();
        let rows: Vec<BulletRow> = inds
            .iter()
            .zip(&raw)
            .map(|(ind, r)| bullet_row(&f, ind, ind.targets.get(&year.to_string()), r.as_ref()))
            .collect();
        let title = format!("{} {} {}", f.l("chart_strategy_title"), f.d(sid), f.num.fiscal_year(year));
        let desc = rows
            .iter()
            .map(|r| {
                format!(
                    "{} {}: {}. {}",
                    f.l("indicator_n"),
                    r.code,
                    words.word(r.status),
                    r.bullet.as_ref().map_or(r.note.clone(), |b| format!("{} {}", b.value_text, b.target_text))
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let chart_id = format!("chart-s{sid}-{year}");
        let svg = charts::bullets(&chart_id, &title, &desc, &rows, &words);
        let report = res.data.strategies.iter().find(|s| s.strategy == sid);
        StrategyYearView {
            year,
            fiscal_year_text: f.num.fiscal_year(year),
            year_path: format!("years/{year}/"),
            tally: tally_view(tally),
            issues,
            chart: ChartView { id: chart_id, title, svg },
            narrative_html: narratives.get(&(sid.to_string(), year)).cloned(),
            projects_text: report.and_then(|r| r.projects).map(|n| f.count(n)),
            next_year_projects_text: report.and_then(|r| r.next_year_projects).map(|n| f.count(n)),
            observations: inp
                .observations
                .iter()
                .filter(|o| matches!(&o.subject, Subject::Strategy { id, year: y } if id == sid && *y == year))
                .map(&observation_view)
                .collect(),
        }
    };

    // Each strategy's year is shown on its strategy page and in the year's
    // report: build it (and its chart) once.
    let strategy_years: BTreeMap<(String, i32), StrategyYearView> = plan
        .strategies
        .par_iter()
        .flat_map_iter(|s| inp.data.results.iter().map(move |res| (s, res)))
        .map(|(s, res)| ((s.id.clone(), res.data.year), strategy_year(&s.id, res)))
        .collect();

    let strategy_views: Vec<StrategyView> = plan
        .strategies
        .iter()
        .map(|s| {
            let issues = plan
                .issues
                .iter()
                .filter(|is| is.strategy == s.id)
                .map(|is| IssueView {
                    code_text: f.d(&is.id),
                    name: is.name.clone(),
                    objectives: plan
                        .objectives
                        .iter()
                        .filter(|o| o.issue == is.id)
                        .map(|o| ObjectiveView {
                            code_text: f.d(&o.code),
                            name: o.name.clone(),
                            indicators: plan
                                .indicators
                                .iter()
                                .filter(|i| i.objective == o.id)
                                .map(&indicator_ref)
                                .collect(),
                        })
                        .collect(),
                })
                .collect();
            let count =
                plan.indicators.iter().filter(|i| strategy_of.get(i.id.as_str()) == Some(&s.id.as_str())).count();
            StrategyView {
                id: s.id.clone(),
                code_text: f.d(&s.id),
                title: format!("{} {}", f.l("strategy_n"), f.d(&s.id)),
                name: s.name.clone(),
                path: format!("strategies/{}/", s.id),
                goals: s.goals.clone(),
                issues,
                indicator_count_text: f.count(count),
                years: inp
                    .data
                    .results
                    .iter()
                    .rev()
                    .map(|res| strategy_years[&(s.id.clone(), res.data.year)].clone())
                    .collect(),
            }
        })
        .collect();

    // Years.
    let year_views: Vec<YearView> = inp
        .data
        .results
        .iter()
        .map(|res| {
            let r = &res.data;
            let year = r.year;
            let doc_file = r.document.as_ref().map(|d| d.file.as_str());
            let all: Vec<(&Indicator, Option<IndicatorResult>)> =
                plan.indicators.iter().map(|i| (i, result_lookup(r, &i.id))).collect();
            let tally = Tally::of(all.iter().map(|(i, r)| (*i, r.as_ref())), year);
            let strategies: Vec<YearStrategy> = plan
                .strategies
                .iter()
                .map(|s| YearStrategy {
                    id: s.id.clone(),
                    title: format!("{} {}", f.l("strategy_n"), f.d(&s.id)),
                    name: s.name.clone(),
                    path: format!("strategies/{}/", s.id),
                    year: strategy_years[&(s.id.clone(), year)].clone(),
                })
                .collect();
            let progress_rows: Vec<ProgressTableRow> = plan
                .strategies
                .iter()
                .map(|s| {
                    let t = Tally::of(
                        all.iter()
                            .filter(|(i, _)| strategy_of.get(i.id.as_str()) == Some(&s.id.as_str()))
                            .map(|(i, r)| (*i, r.as_ref())),
                        year,
                    );
                    (s, t)
                })
                .map(|(s, t)| ProgressTableRow {
                    strategy: link(
                        format!("{} {} {}", f.l("strategy_n"), f.d(&s.id), s.name),
                        format!("strategies/{}/", s.id),
                    ),
                    short: format!("{} {}", f.l("strategy_n"), f.d(&s.id)),
                    tally: tally_view(t),
                })
                .collect();
            let chart_rows: Vec<ProgressRow> = plan
                .strategies
                .iter()
                .map(|s| {
                    let t = Tally::of(
                        all.iter()
                            .filter(|(i, _)| strategy_of.get(i.id.as_str()) == Some(&s.id.as_str()))
                            .map(|(i, r)| (*i, r.as_ref())),
                        year,
                    );
                    ProgressRow {
                        label: format!("{} {} {}", f.l("strategy_n"), f.d(&s.id), s.name),
                        counts: [t.exceeded, t.achieved - t.exceeded, t.not_met, t.not_assessed],
                        total_text: format!("{} {}", f.count(t.indicators), f.l("indicators_unit")),
                    }
                })
                .collect();
            let progress_title = format!("{} {}", f.l("chart_progress_title"), f.num.fiscal_year(year));
            let progress_desc = chart_rows
                .iter()
                .map(|row| {
                    let parts: Vec<String> = Status::ALL
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| row.counts[*k] > 0)
                        .map(|(k, s)| format!("{} {}", words.word(*s), f.count(row.counts[k])))
                        .collect();
                    format!("{}: {} {}", row.label, row.total_text, parts.join(" "))
                })
                .collect::<Vec<_>>()
                .join("; ");
            let progress_id = format!("chart-progress-{year}");
            let progress_svg =
                charts::progress(&progress_id, &progress_title, &progress_desc, &chart_rows, &words, &|n| f.count(n));
            let map_chart = strategy_map_chart(&f, plan, year);
            let pages = narrative_links(inp.pages, Some(year));
            YearView {
                year,
                year_text: f.num.year(year),
                fiscal_year_text: f.num.fiscal_year(year),
                span_text: f.num.fiscal_span(year),
                path: format!("years/{year}/"),
                tally: tally_view(tally),
                stated: r.stated.as_ref().map(|s| StatedView {
                    indicators: s.indicators.map(|n| f.count(n)),
                    with_target: s.with_target.map(|n| f.count(n)),
                    met: s.met.map(|n| f.count(n)),
                    exceeded: s.exceeded.map(|n| f.count(n)),
                    source: source_link(doc_file, s.source.as_ref()),
                }),
                strategies,
                progress_chart: ChartView { id: progress_id, title: progress_title, svg: progress_svg },
                progress_rows,
                map_chart,
                pages,
                observations: inp
                    .observations
                    .iter()
                    .filter(|o| match &o.subject {
                        Subject::Indicator { year: Some(y), .. }
                        | Subject::Strategy { year: y, .. }
                        | Subject::Year(y) => *y == year,
                        _ => false,
                    })
                    .map(&observation_view)
                    .collect(),
                projects_text: r.projects.as_ref().map(|p| f.count(p.total)),
                projects_source: r.projects.as_ref().and_then(|p| source_link(doc_file, p.source.as_ref())),
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
                    source: source_link(doc_file, p.source.as_ref()),
                }),
                document: r
                    .document
                    .as_ref()
                    .and_then(|d| inp.documents.get(&d.file))
                    .map(|d| link(d.title.clone(), d.path.clone())),
            }
        })
        .collect();

    // Narrative pages.
    let mut narrative_views = Vec::new();
    let mut overview_html = None;
    for page in inp.pages {
        match &page.role {
            Role::Overview => {
                let (r, _) = content::render_page(page, &Links { root: "", known, pretty }, "");
                overview_html = Some(r.html);
            }
            Role::Standalone { url } => {
                let root = "../".repeat(url.matches('/').count());
                let (r, _) = content::render_page(page, &Links { root: &root, known, pretty }, "");
                let fm = &page.front.data;
                let year = fm.year.and_then(|y| year_views.iter().find(|v| v.year == y));
                narrative_views.push(NarrativeView {
                    title: fm.title.clone(),
                    description: fm.description.clone(),
                    path: url.clone(),
                    layout: page.layout().to_string(),
                    html: r.html,
                    headings: r.headings.into_iter().filter(|h| h.level <= 3).collect(),
                    year: year.map(|y| link(y.fiscal_year_text.clone(), y.path.clone())),
                    policy: year.and_then(|y| y.policy.clone()),
                    weight: fm.weight.unwrap_or(0),
                });
            }
            Role::StrategyNarrative { .. } => {}
        }
    }

    let sources: Vec<SourceDocView> = inp
        .documents
        .values()
        .map(|d| SourceDocView {
            title: d.title.clone(),
            path: d.path.clone(),
            file: d.file.path.clone(),
            lines: (1..=d.file.line_count() as u32)
                .map(|n| SourceLine {
                    number: n,
                    number_text: f.count(n),
                    text: d.file.line_text(n).unwrap_or("").to_string(),
                })
                .collect(),
        })
        .collect();

    let latest = year_views.last().cloned();
    let overview = OverviewView {
        narrative_html: overview_html,
        strategies: strategy_views
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
        pages: narrative_links(inp.pages, None),
        observations: inp.observations.iter().filter(|o| o.subject == Subject::Plan).map(&observation_view).collect(),
        latest,
    };

    let site = SiteView {
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
                link(f.l("nav_overview"), ""),
                link(f.l("strategies"), "strategies/"),
                link(f.l("indicators"), "indicators/"),
            ];
            if let Some(y) = year_views.last() {
                nav.push(link(format!("{} {}", f.l("nav_report"), y.year_text), y.path.clone()));
            }
            nav
        },
        years: year_views.iter().map(|y| link(y.fiscal_year_text.clone(), y.path.clone())).collect(),
        downloads: vec![
            link(f.l("download_json"), crate::export::JSON_PATH),
            link(f.l("download_csv"), crate::export::CSV_PATH),
        ],
    };

    // The footer's links are relative like every other: one rendering per
    // depth of page, and one from the base path for 404.html.
    let mut footers = BTreeMap::new();
    if let Some(text) = cfg.site.data.footer.as_deref() {
        let deepest = known.iter().map(|p| p.matches('/').count()).max().unwrap_or(0);
        let roots = (0..=deepest).map(|d| "../".repeat(d)).chain([crate::site::base_path(&cfg.site.data.base_url)]);
        for root in roots {
            let html = content::render(text, &Links { root: &root, known, pretty }, "footer-").html;
            footers.insert(root, html);
        }
    }

    Model {
        site,
        overview,
        strategies: strategy_views,
        indicators: indicator_views,
        years: year_views,
        narratives: narrative_views,
        sources,
        pretty,
        footers,
    }
}

/// Links to the standalone narrative pages of a year (or, with `None`, of no
/// year), by weight then title.
fn narrative_links(pages: &[Page], year: Option<i32>) -> Vec<Link> {
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

/// Makes a source reference (in a file citing a document) into a link.
type SourceLinker<'a> = dyn Fn(Option<&str>, Option<&crate::data::SourceRef>) -> Option<SourceLink> + 'a;

fn result_view(
    f: &Fmt<'_>,
    ind: &Indicator,
    ir: &IndicatorResult,
    doc_file: Option<&str>,
    source_link: &SourceLinker<'_>,
    markdown: &dyn Fn(&str) -> String,
) -> ResultView {
    let unit = |u: &Option<String>| u.clone().unwrap_or_default();
    let count_text = ir.count.as_ref().map(|c| {
        format!("{} {} {} {}", f.count(c.done), f.l("of"), f.count(c.total), unit(&c.unit)).trim_end().to_string()
    });
    let events = ir
        .events
        .iter()
        .map(|e| {
            let from = ThaiDate::parse(&e.date).ok();
            let to = e.end.as_deref().and_then(|t| ThaiDate::parse(t).ok());
            let date_text = match (from, to) {
                (Some(a), Some(b)) => f.num.date_range(a, b),
                (Some(a), None) => f.num.date(a),
                _ => e.date.clone(),
            };
            EventView { date_text, text: e.text.clone(), amount_text: e.amount.map(|a| f.count(a)) }
        })
        .collect();
    let statements = ir
        .statements
        .iter()
        .map(|s| StatementView {
            place: s.place.clone(),
            value_text: s.value.map(|v| f.value(ind, v)),
            target_text: s.target.map(|v| f.value(ind, v)),
            count_text: s.count.as_ref().map(|c| format!("{} {} {}", f.count(c.done), f.l("of"), f.count(c.total))),
            status: s.status.map(|st| f.status(st)),
            quote: s.quote.clone(),
            source: source_link(doc_file, Some(&crate::data::SourceRef { section: None, line: s.line }))
                .filter(|_| s.line.is_some()),
        })
        .collect();
    ResultView {
        status: f.status(ir.status),
        value_text: ir.value.map(|v| f.value(ind, v)),
        count_text,
        summary_html: markdown(&ir.summary),
        events,
        statements,
        note_html: ir.note.as_deref().map(markdown),
        source: source_link(doc_file, ir.source.as_ref()),
        observations: Vec::new(),
    }
}

/// (year, target, result) for each year of the plan, raw.
fn results_raw(data: &Dataset, id: &str) -> BTreeMap<i32, IndicatorResult> {
    data.results
        .iter()
        .filter_map(|r| r.data.indicators.iter().find(|x| x.indicator == id).map(|x| (r.data.year, x.clone())))
        .collect()
}

/// A round upper bound and tick step for a count axis.
fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 1.0);
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let step = if step < 1.0 { 1.0 } else { step };
    ((max / step).ceil() * step, step)
}

fn indicator_chart(f: &Fmt<'_>, ind: &Indicator, plan: &Plan, results: &BTreeMap<i32, IndicatorResult>) -> ChartView {
    let points: Vec<YearPoint> = plan
        .period
        .years()
        .map(|y| {
            let t = ind.targets.get(&y.to_string());
            let r = results.get(&y);
            YearPoint {
                label: f.num.year(y),
                target: t.filter(|t| t.kind == TargetKind::Numeric).and_then(|t| t.value),
                target_text: f.short_target(ind, t),
                value: r.and_then(|r| r.value),
                value_text: r.and_then(|r| r.value).map(|v| f.number(ind, v)),
                status: r.map(|r| r.status),
            }
        })
        .collect();
    let (scale_max, step) = match ind.measure {
        Measure::Percent => (100.0, 25.0),
        _ => {
            let max = points
                .iter()
                .flat_map(|p| [p.target, p.value])
                .flatten()
                .chain([ind.target.value])
                .fold(0.0f64, f64::max);
            nice_scale(max * 1.1)
        }
    };
    let mut ticks = Vec::new();
    let mut v = 0.0;
    while v <= scale_max + 1e-9 {
        ticks.push((v, f.num.number(v, 0)));
        v += step;
    }
    let id = format!("chart-{}", ind.id);
    let title = format!("{} {} ({})", f.l("chart_indicator_title"), f.d(&ind.code), ind.unit);
    let mut desc: Vec<String> = points
        .iter()
        .map(|p| {
            let mut s = format!("{} {}: {} {}", f.l("year"), p.label, f.l("target"), p.target_text);
            match (&p.value_text, p.status) {
                (Some(v), Some(st)) => {
                    s.push_str(&format!(", {} {v} ({})", f.l("result"), f.l(&format!("status_{}", st.key()))))
                }
                (None, Some(st)) => s.push_str(&format!(", {}", f.l(&format!("status_{}", st.key())))),
                _ => s.push_str(&format!(", {}", f.l("no_result"))),
            }
            s
        })
        .collect();
    desc.push(format!("{} {}", f.l("five_year_target"), f.value(ind, ind.target.value)));
    let final_text = format!("{} {}", f.l("chart_final_target"), f.number(ind, ind.target.value));
    let series = charts::IndicatorSeries {
        years: points,
        final_target: ind.target.value,
        final_text,
        scale_max,
        ticks,
        no_result: f.l("no_result"),
    };
    let svg = charts::indicator(&id, &title, &desc.join("; "), &series);
    ChartView { id, title, svg }
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

fn strategy_map_chart(f: &Fmt<'_>, plan: &Plan, year: i32) -> ChartView {
    let strategies: Vec<MapStrategy> = plan
        .strategies
        .iter()
        .map(|s| {
            let issues: Vec<String> = plan
                .issues
                .iter()
                .filter(|i| i.strategy == s.id)
                .map(|i| format!("{} {}", f.d(&i.id), i.name))
                .collect();
            let objectives = plan
                .objectives
                .iter()
                .filter(|o| plan.issues.iter().any(|i| i.id == o.issue && i.strategy == s.id))
                .count();
            let indicators = plan
                .indicators
                .iter()
                .filter(|ind| {
                    plan.objectives.iter().any(|o| {
                        o.id == ind.objective && plan.issues.iter().any(|i| i.id == o.issue && i.strategy == s.id)
                    })
                })
                .count();
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
