//! Open data: the whole dataset as JSON, and one CSV row per indicator and
//! fiscal year. The CSV starts with a UTF-8 byte-order mark so that Excel
//! opens Thai correctly.

use crate::data::{Dataset, Plan, Results, TargetKind};
use crate::diagnostic::Finding;
use crate::index::Index;
use crate::lint::Observation;
use serde::Serialize;

#[derive(Serialize)]
struct Export<'a> {
    /// What this file is.
    about: &'a str,
    plan: &'a Plan,
    results: Vec<&'a Results>,
    /// Inconsistencies the consistency checks found in the data.
    findings: Vec<&'a Finding>,
    /// The plan and results again in each of the site's other languages.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    languages: std::collections::BTreeMap<&'a str, Translated<'a>>,
}

#[derive(Serialize)]
struct Translated<'a> {
    plan: &'a Plan,
    results: Vec<&'a Results>,
}

/// The dataset as pretty-printed JSON (serde_json escapes everything JSON
/// must), written from the typed data to `out` as it is made: at scale the
/// file is larger than anything else the build holds. The editors'
/// `$schema` pointers are not in it: they are dropped when a file is read.
pub fn json_to(
    data: &Dataset,
    languages: &[(&str, &Dataset)],
    observations: &[Observation],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let export = Export {
        about: "prongsai: แผนยุทธศาสตร์ ค่าเป้าหมาย และผลการดำเนินงานรายปี (plan, targets and yearly results)",
        plan: &data.plan.data,
        results: data.results.iter().map(|r| &*r.data).collect(),
        findings: observations.iter().map(|o| &o.finding).collect(),
        languages: languages
            .iter()
            .map(|(code, d)| {
                (*code, Translated { plan: &d.plan.data, results: d.results.iter().map(|r| &*r.data).collect() })
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &export)?;
    out.write_all(b"\n")
}

/// The CSV's columns of text, which a site in several languages has again
/// in each other language (`indicator_en`).
const TEXT_COLUMNS: [&str; 8] =
    ["strategy", "issue", "objective", "indicator", "unit", "target_text", "value_unit", "count_unit"];

/// The texts of [`TEXT_COLUMNS`] for indicator `i` in plan year `year`
/// (results file `file`), from `index` (one language's data).
fn texts(index: &Index<'_>, i: usize, year: i32, file: Option<usize>) -> [String; 8] {
    let ind = &index.plan.indicators[i];
    let t = ind.targets.get(&year.to_string());
    let r = file.and_then(|file| index.result(file, i)).map(|(_, r)| r);
    [
        index.strategy_of(i).map(|s| s.name.clone()).unwrap_or_default(),
        index.issue_of(i).map(|i| i.name.clone()).unwrap_or_default(),
        index.objective_of(i).map(|o| o.name.clone()).unwrap_or_default(),
        ind.name.clone(),
        ind.unit.clone(),
        t.and_then(|t| t.text.clone()).unwrap_or_default(),
        // The unit the source counted the value in, which may not be the indicator's.
        r.filter(|r| r.value.is_some()).map(|r| r.unit.clone().unwrap_or_else(|| ind.unit.clone())).unwrap_or_default(),
        r.and_then(|r| r.count.as_ref()).and_then(|c| c.unit.clone()).unwrap_or_default(),
    ]
}

/// One row per indicator and plan year; the texts again in each of the
/// site's other `languages` (each index over that language's data), in
/// columns at the end.
pub fn csv(index: &Index<'_>, languages: &[(&str, &Index<'_>)]) -> Vec<u8> {
    let plan = index.plan;
    let mut w = csv::Writer::from_writer(Vec::from(&b"\xEF\xBB\xBF"[..]));
    let header = [
        "strategy_id",
        "strategy",
        "issue_id",
        "issue",
        "objective_id",
        "objective",
        "indicator_id",
        "indicator_code",
        "indicator",
        "unit",
        "measure",
        "cumulative",
        "five_year_target",
        "fiscal_year",
        "target_kind",
        "target_direction",
        "target_value",
        "target_text",
        "status",
        "value",
        "value_unit",
        "count_done",
        "count_total",
        "count_unit",
        "source_line",
    ];
    let more = languages.iter().flat_map(|(code, _)| TEXT_COLUMNS.iter().map(move |c| format!("{c}_{code}")));
    w.write_record(header.iter().map(|h| h.to_string()).chain(more)).expect("writing to memory");
    // Shortest form that reads back as the same number: 66.36, 120.
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    // Each plan year's results file, if there is one.
    let files: Vec<Option<usize>> =
        plan.period.years().map(|y| index.data.results.iter().position(|r| r.data.year == y)).collect();
    for (i, ind) in plan.indicators.iter().enumerate() {
        let objective = index.objective_of(i);
        let issue = index.issue_of(i);
        let strategy = index.strategy_of(i);
        let sid = index.strategy_id_of(i);
        for (year, file) in plan.period.years().zip(&files) {
            let t = ind.targets.get(&year.to_string());
            let r = file.and_then(|file| index.result(file, i)).map(|(_, r)| r);
            let record = [
                sid.to_string(),
                strategy.map(|s| s.name.clone()).unwrap_or_default(),
                issue.map(|i| i.id.clone()).unwrap_or_default(),
                issue.map(|i| i.name.clone()).unwrap_or_default(),
                objective.map(|o| o.id.clone()).unwrap_or_default(),
                objective.map(|o| o.name.clone()).unwrap_or_default(),
                ind.id.clone(),
                ind.code.clone(),
                ind.name.clone(),
                ind.unit.clone(),
                enum_name(&ind.measure),
                ind.cumulative.to_string(),
                num(Some(ind.target.value)),
                year.to_string(),
                t.map(|t| enum_name(&t.kind)).unwrap_or_default(),
                t.and_then(|t| t.direction).map(|d| enum_name(&d)).unwrap_or_default(),
                num(t.and_then(|t| if t.kind == TargetKind::Numeric { t.value } else { t.first_value })),
                t.and_then(|t| t.text.clone()).unwrap_or_default(),
                r.map(|r| r.status.key().to_string()).unwrap_or_default(),
                num(r.and_then(|r| r.value)),
                // The unit the source counted the value in, which may not be the indicator's.
                r.filter(|r| r.value.is_some())
                    .map(|r| r.unit.clone().unwrap_or_else(|| ind.unit.clone()))
                    .unwrap_or_default(),
                r.and_then(|r| r.count.as_ref()).map(|c| c.done.to_string()).unwrap_or_default(),
                r.and_then(|r| r.count.as_ref()).map(|c| c.total.to_string()).unwrap_or_default(),
                r.and_then(|r| r.count.as_ref()).and_then(|c| c.unit.clone()).unwrap_or_default(),
                r.and_then(|r| r.source.as_ref()).and_then(|s| s.line).map(|l| l.to_string()).unwrap_or_default(),
            ];
            let more = languages.iter().flat_map(|(_, other)| texts(other, i, year, *file));
            w.write_record(record.into_iter().chain(more)).expect("writing to memory");
        }
    }
    w.into_inner().expect("flushing to memory")
}

/// A chart's data (header first) as CSV, with the byte-order mark Excel
/// needs to show Thai.
pub fn chart_csv(table: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::from(&b"\xEF\xBB\xBF"[..]));
    for row in table {
        w.write_record(row).expect("writing to memory");
    }
    w.into_inner().expect("flushing to memory")
}

fn enum_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}
