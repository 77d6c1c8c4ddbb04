//! `prongsai check` on broken sites: each folder under
//! `tests/fixtures/broken/` holds one mistake (only the files it changes, and
//! a `delete.txt` for files it removes) and, in `expect.json`, exactly the
//! findings it must produce: kind, severity, file, line and field, plus the
//! column or words of the message or help where those matter.

mod common;
mod sites;

use prongsai::diagnostic::{Finding, Severity};
use prongsai::site::{self, Options};
use serde::Deserialize;
use std::collections::BTreeSet;

/// One expected finding, as written in `expect.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    kind: String,
    severity: String,
    file: String,
    line: Option<u32>,
    field: Option<String>,
    #[serde(default)]
    column: Option<u32>,
    #[serde(default)]
    message_contains: Option<String>,
    #[serde(default)]
    help_contains: Option<String>,
}

impl Expected {
    fn matches(&self, f: &Finding) -> bool {
        f.kind.code() == self.kind
            && f.file == self.file
            && f.line == self.line
            && f.field == self.field
            && self.column.is_none_or(|c| f.column == Some(c))
    }
}

fn severity(f: &Finding) -> &'static str {
    match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn show(f: &Finding) -> String {
    format!(
        "{{\"kind\": \"{}\", \"severity\": \"{}\", \"file\": \"{}\", \"line\": {}, \"field\": {}, \"column\": {}}}  — {}",
        f.kind.code(),
        severity(f),
        f.file,
        f.line.map_or("null".into(), |l| l.to_string()),
        f.field.as_ref().map_or("null".into(), |x| format!("\"{x}\"")),
        f.column.map_or("null".into(), |l| l.to_string()),
        f.message
    )
}

/// What every finding must have, whatever the mistake.
fn well_formed(f: &Finding) -> Result<(), String> {
    if f.message.trim().is_empty() {
        return Err(format!("empty message: {f:?}"));
    }
    if f.help.as_deref().is_none_or(|h| h.trim().is_empty()) {
        return Err(format!("no help text: {}", show(f)));
    }
    if f.severity != f.kind.default_severity() {
        return Err(format!("severity differs from the kind's without --strict: {}", show(f)));
    }
    // Rust words have no place in an editor's message.
    for jargon in ["f64", "u64", "u32", "i32", "usize", "struct", "enum ", "Option<", "serde", "unwrap"] {
        if f.message.contains(jargon) || f.help.as_deref().unwrap_or("").contains(jargon) {
            return Err(format!("programmer's word {jargon:?} in: {}  / {:?}", f.message, f.help));
        }
    }
    let text = f.to_string();
    if !text.contains(&f.location()) {
        return Err(format!("display lacks the location {}: {text}", f.location()));
    }
    Ok(())
}

/// Compares a fixture's findings with its `expect.json`: the same findings,
/// no more, no fewer.
fn compare(name: &str, findings: &[Finding]) -> Vec<String> {
    let path = sites::fixtures().join("broken").join(name).join("expect.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let expected: Vec<Expected> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}/expect.json does not parse: {e}"));
    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    for e in &expected {
        let found = findings.iter().enumerate().find(|(i, f)| !used.contains(i) && e.matches(f));
        let Some((i, f)) = found else {
            problems.push(format!("{name}: expected {e:?} but it was not reported"));
            continue;
        };
        used.insert(i);
        if severity(f) != e.severity {
            problems.push(format!("{name}: severity {} where {} was expected: {}", severity(f), e.severity, show(f)));
        }
        if let Some(words) = &e.message_contains {
            if !f.message.contains(words.as_str()) {
                problems.push(format!("{name}: message lacks {words:?}: {}", f.message));
            }
        }
        if let Some(words) = &e.help_contains {
            if !f.help.as_deref().unwrap_or("").contains(words.as_str()) {
                problems.push(format!("{name}: help lacks {words:?}: {:?}", f.help));
            }
        }
    }
    for (i, f) in findings.iter().enumerate() {
        if !used.contains(&i) {
            problems.push(format!("{name}: unexpected finding {}", show(f)));
        }
        if let Err(p) = well_formed(f) {
            problems.push(format!("{name}: {p}"));
        }
    }
    problems
}

#[test]
fn base_site_has_no_findings() {
    let dir = sites::site(None);
    let (inputs, findings, observations) = site::check(dir.path(), &Options::default());
    assert!(findings.is_empty(), "{}", findings.iter().map(|f| f.to_string()).collect::<String>());
    assert!(observations.is_empty());
    let inputs = inputs.expect("a clean site loads");
    // The base site exercises what the fixtures break.
    let plan = &inputs.data.plan.data;
    assert_eq!(plan.strategies.len(), 2);
    assert!(plan.indicators.iter().any(|i| i.cumulative));
    assert_eq!(inputs.pages.len(), 3);
    assert_eq!(inputs.documents.len(), 1);
}

#[test]
fn every_broken_fixture_gives_exactly_its_findings() {
    let names = sites::broken_fixtures();
    let mut problems = Vec::new();
    let mut kinds_seen = BTreeSet::new();
    let mut error_fixtures = 0;
    for name in &names {
        let dir = sites::site(Some(name));
        let (_, findings, _) = site::check(dir.path(), &Options::default());
        kinds_seen.extend(findings.iter().map(|f| f.kind.code()));
        if findings.iter().any(Finding::is_error) {
            error_fixtures += 1;
        }
        problems.extend(compare(name, &findings));
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    assert!(error_fixtures >= 25, "only {error_fixtures} fixtures with errors");
    let all = [
        "io",
        "invalid-utf8",
        "json-syntax",
        "toml-syntax",
        "front-matter",
        "duplicate-key",
        "missing-field",
        "wrong-type",
        "unknown-field",
        "invalid-value",
        "duplicate-id",
        "unknown-reference",
        "year-outside-plan",
        "impossible-value",
        "template-missing",
        "template-error",
        "unknown-layout",
        "broken-link",
        "output-conflict",
        // outside-site, link-loop and file-name need symbolic links and
        // non-UTF-8 names, which tests/input_safety.rs makes at run time.
        "percent-mismatch",
        "status-contradiction",
        "stated-differently",
        "cumulative-decrease",
        "date-outside-year",
        "total-mismatch",
        "missing-result",
        "count-above-total",
        "unit-differs",
        "editor-finding",
    ];
    let missing: Vec<&str> = all.iter().copied().filter(|k| !kinds_seen.contains(k)).collect();
    assert!(missing.is_empty(), "no fixture produces {missing:?}");
}

/// The BOM and CRLF fixture proves something only while its files really
/// have them (an editor or a git setting could strip them).
#[test]
fn bom_and_crlf_fixture_still_has_them() {
    let dir = sites::fixtures().join("broken/08-bom-crlf-accepted");
    for file in ["content/results/2566.json", "content/site.toml", "content/pages/about.md"] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file} lost its byte-order mark");
        assert!(bytes.windows(2).any(|w| w == b"\r\n"), "{file} lost its CRLF line endings");
        assert!(!bytes.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'), "{file} mixes line endings");
    }
}

#[test]
fn strict_turns_warnings_into_errors() {
    let dir = sites::site(Some("60-lint-percent-mismatch"));
    let (_, relaxed, _) = site::check(dir.path(), &Options::default());
    let (_, strict, _) = site::check(dir.path(), &Options { strict: true, ..Options::default() });
    assert_eq!(relaxed.len(), 1);
    assert_eq!(relaxed[0].severity, Severity::Warning);
    assert_eq!(strict.len(), 1);
    assert_eq!(strict[0].severity, Severity::Error);
    assert_eq!(strict[0].kind, relaxed[0].kind);
}

/// A warning-only site still builds; the warning travels with the site.
#[test]
fn warnings_do_not_stop_a_build_errors_do() {
    let warn = sites::site(Some("63-lint-cumulative-decrease"));
    let built = site::build(warn.path(), &Options::default()).expect("warnings only: the site builds");
    assert_eq!(built.warnings.len(), 1);
    // Every slot of the theme's wording is filled (the previous year's once was not).
    let message = &built.warnings[0].message;
    assert!(!message.contains('{') && message.contains("2566"), "{message}");
    assert!(site::build(warn.path(), &Options { strict: true, ..Options::default() }).is_err());
    let broken = sites::site(Some("50-broken-link-in-summary"));
    let failure = site::build(broken.path(), &Options::default()).expect_err("a broken link stops the build");
    assert!(failure.findings().iter().any(|f| f.kind.code() == "broken-link"));
}
