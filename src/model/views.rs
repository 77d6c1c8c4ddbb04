//! The views templates receive: every field ready to print (digits, eras,
//! dates, statuses with their words and glyphs, root-relative links, charts
//! as SVG). Field names are the templates' interface: renaming one breaks
//! every theme that overrides a template.

use crate::content;
use crate::data::Measure;
use serde::Serialize;
use std::collections::BTreeMap;

/// A link: a title and a root-relative path (templates make it relative).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub title: String,
    pub path: String,
}

pub(crate) fn link(title: impl Into<String>, path: impl Into<String>) -> Link {
    Link { title: title.into(), path: path.into() }
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// More indicators than one page lists: lists of every indicator show
    /// each strategy's count and link to its page instead.
    pub summarised: bool,
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
    /// What the site publishes besides pages (search, share images, chart
    /// downloads, embeds, feed): templates link only what exists.
    pub outputs: crate::config::Outputs,
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
    /// Says the direction is the editor's inference, where the source does not write one.
    pub inferred_text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub date_text: String,
    /// Machine-readable dates ("2022-11-25"; the end of a range second), for `<time datetime>`.
    pub datetime: String,
    pub end_datetime: Option<String>,
    /// The end of a range in words, when the range is written as two `<time>` elements.
    pub end_text: Option<String>,
    pub range_sep: Option<&'static str>,
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
    /// The source lines an editor's finding cites, each a link.
    pub cites: Vec<SourceLink>,
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
    pub result: Option<std::sync::Arc<ResultView>>,
    pub reported: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub svg: String,
    /// Root-relative name of its downloads and embed page, without
    /// extension ("indicators/3-1.1", "years/2566/progress"): made from ids
    /// and years only, so it never changes when a year is added.
    pub key: String,
    /// The data the chart draws, header first, for its CSV download. Plain
    /// numbers (Arabic digits, a dot) so that spreadsheets read them.
    #[serde(skip)]
    pub table: Vec<Vec<String>>,
    /// It has a PNG download (a large plan's strategy and indicator charts
    /// have SVG and CSV only: see `Outputs::png_max_indicators`).
    pub png: bool,
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
    pub five_year_target_inferred: Option<String>,
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
    /// Shared with the indicator's page and the other tables that show it.
    pub result: Option<std::sync::Arc<ResultView>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueRows {
    pub code_text: String,
    pub name: String,
    /// How many indicators the issue has, in the site's digits.
    pub count_text: String,
    /// Shared by the strategy's page, the lists and the year's report: a
    /// copy of a view does not copy its rows.
    pub rows: std::sync::Arc<Vec<Row>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StrategyYearView {
    pub year: i32,
    pub fiscal_year_text: String,
    pub year_path: String,
    /// This strategy's section of the year's report, when the report is
    /// split into a page per strategy.
    pub report_path: Option<String>,
    pub tally: TallyView,
    /// Too many indicators to list on the strategy's page: it shows a tally
    /// per issue (`issue_tallies`) and the chart a bar per issue; the rows
    /// are on the report page.
    pub summarised: bool,
    pub issue_tallies: Vec<(String, TallyView)>,
    pub issues: Vec<IssueRows>,
    /// Shared by the strategy's page, the year's report and its summary.
    pub chart: std::sync::Arc<ChartView>,
    pub narrative_html: Option<String>,
    pub projects_text: Option<String>,
    pub next_year_projects_text: Option<String>,
    pub observations: Vec<ObservationView>,
}

impl StrategyYearView {
    /// The view without its rows and narrative, for a report that only
    /// summarises it: made without copying the rows (thousands at scale)
    /// only to drop them.
    pub fn summary(&self) -> StrategyYearView {
        StrategyYearView {
            year: self.year,
            fiscal_year_text: self.fiscal_year_text.clone(),
            year_path: self.year_path.clone(),
            report_path: self.report_path.clone(),
            tally: self.tally.clone(),
            summarised: self.summarised,
            issue_tallies: self.issue_tallies.clone(),
            issues: self
                .issues
                .iter()
                .map(|i| IssueRows {
                    code_text: i.code_text.clone(),
                    name: i.name.clone(),
                    count_text: i.count_text.clone(),
                    rows: std::sync::Arc::default(),
                })
                .collect(),
            chart: self.chart.clone(),
            narrative_html: None,
            projects_text: self.projects_text.clone(),
            next_year_projects_text: self.next_year_projects_text.clone(),
            observations: self.observations.clone(),
        }
    }
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
    /// Latest first; shared with the year's report.
    pub years: Vec<std::sync::Arc<StrategyYearView>>,
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
    /// The report is too long for one page: each strategy's section is on
    /// its own page (`YearStrategy::year.report_path`), and this page
    /// summarises and links them in order.
    pub split: bool,
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
    pub year: std::sync::Arc<StrategyYearView>,
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

/// One strategy's section of a fiscal year's report, on its own page.
#[derive(Debug, Clone, Serialize)]
pub struct YearSectionView {
    pub path: String,
    pub year: i32,
    pub fiscal_year_text: String,
    /// The year's report, which links the sections in order.
    pub report: Link,
    pub strategy: YearStrategy,
    /// The findings about this strategy's indicators in the year.
    pub observations: Vec<ObservationView>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
}

/// The whole model of the site.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub site: SiteView,
    pub overview: OverviewView,
    pub strategies: Vec<StrategyView>,
    /// Each strategy as the lists of strategies and indicators show it: its
    /// latest year only, without its narrative. Lists show no more, and what
    /// they are not given cannot make them big (every year of every strategy
    /// at scale) or make them change when a narrative is edited.
    pub listed: Vec<StrategyView>,
    pub years: Vec<YearView>,
    /// The sections of the reports that are split, in order.
    pub year_sections: Vec<YearSectionView>,
    pub narratives: Vec<NarrativeView>,
    pub sources: Vec<SourceDocView>,
    pub pretty: bool,
    /// The footer rendered for each `root` a page can have.
    pub footers: BTreeMap<String, String>,
}
