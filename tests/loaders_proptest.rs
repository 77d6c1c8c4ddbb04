//! Random and mutated input to every loader, and to the whole `check`: no
//! panic, only findings, and every finding well formed (a message, a help
//! text for errors, a line that exists in the file it names).
//!
//! The mutations start from the real default content: a byte deleted,
//! inserted or replaced, the file cut short, a JSON value swapped for one of
//! another type, Thai text and combining marks inserted, a byte-order mark,
//! Windows line endings. `PROPTEST_CASES=1000 cargo test --test
//! loaders_proptest` runs longer.

use prongsai::config::{self, SiteConfig, ThemeConfig};
use prongsai::content;
use prongsai::data::{self, Dataset, Loaded, Plan, Results};
use prongsai::diagnostic::{Finding, Severity, SourceFile};
use prongsai::site::{self, Options};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const PLAN: &str = "content/plan.json";
const RESULTS: &str = "content/results/2566.json";
const SITE: &str = "content/site.toml";
const THEME: &str = "themes/default/theme.toml";
const PAGE: &str = "content/pages/years/2566/strategies/1.md";
const INDEX_PAGE: &str = "content/pages/_index.md";

/// Cases per property: fewer for the whole-site check, which reads and
/// compiles everything each time. `PROPTEST_CASES` overrides both.
fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default_cases);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

/// Text that tends to break parsers and position arithmetic.
const SNIPPETS: &[&str] = &[
    "ก",
    "น้ำ",
    "\u{0E31}\u{0E48}\u{0E49}", // a lone vowel and two tone marks
    "\u{0301}\u{0301}",         // combining acute accents
    "๒๕๖๖",
    "\u{FEFF}",
    "\u{200B}",
    "\r\n",
    "\n",
    "\t",
    "\0",
    "\"",
    "\\",
    "\\u00",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "=",
    "+++\n",
    "[labels]\n",
    "@/nope/",
    "](@/indicators/x/)",
    "{{ x }",
    "1e999",
    "-0",
    "99999999999999999999999",
    "\u{1F600}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(Index, usize),
    InsertByte(Index, u8),
    ReplaceByte(Index, u8),
    Truncate(Index),
    InsertText(Index, &'static str),
    SwapJsonValue(Index, Value),
    Bom,
    Crlf,
}

fn any_json_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[a-z0-9%._ -]{0,12}".prop_map(Value::from),
        "[ก-๙]{0,8}".prop_map(Value::from),
        Just(Value::from("66.36%")),
        Just(Value::from("2566-02-30")),
        Just(Value::from("not_assessed")),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!({ "id": "1", "kind": "numeric" })),
        Just(serde_json::json!([{ "line": 0 }])),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 1..8usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::InsertByte(i, b)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::ReplaceByte(i, b)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), proptest::sample::select(SNIPPETS)).prop_map(|(i, s)| Mutation::InsertText(i, s)),
        (any::<Index>(), any_json_value()).prop_map(|(i, v)| Mutation::SwapJsonValue(i, v)),
        Just(Mutation::Bom),
        Just(Mutation::Crlf),
    ]
}

/// Every value's JSON pointer, the root included.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                pointers(child, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::Delete(i, n) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            let end = (at + n).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::InsertByte(i, b) => {
            let at = i.index(bytes.len() + 1);
            bytes.insert(at, *b);
        }
        Mutation::ReplaceByte(i, b) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Mutation::Truncate(i) => {
            let at = i.index(bytes.len() + 1);
            bytes.truncate(at);
        }
        Mutation::InsertText(i, s) => {
            // At a character boundary when the text is UTF-8, so that the
            // result exercises the parsers rather than only the decoder.
            let mut at = i.index(bytes.len() + 1);
            if let Ok(text) = std::str::from_utf8(bytes) {
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
            }
            bytes.splice(at..at, s.bytes());
        }
        Mutation::SwapJsonValue(i, v) => {
            let Ok(mut doc) = serde_json::from_slice::<Value>(bytes) else { return };
            let mut all = Vec::new();
            pointers(&doc, String::new(), &mut all);
            let target = &all[i.index(all.len())];
            if let Some(slot) = doc.pointer_mut(target) {
                *slot = v.clone();
            }
            *bytes = serde_json::to_vec_pretty(&doc).expect("a value serialises");
        }
        Mutation::Bom => {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
        Mutation::Crlf => {
            let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n").replace('\n', "\r\n");
            *bytes = text.into_bytes();
        }
        _ => {}
    }
}

fn mutated(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(mutation(), 1..4).prop_map(move |ms| {
        let mut bytes = base.to_vec();
        for m in &ms {
            apply(&mut bytes, m);
        }
        bytes
    })
}

fn base(rel: &'static str) -> &'static [u8] {
    static FILES: OnceLock<std::collections::HashMap<&'static str, &'static [u8]>> = OnceLock::new();
    FILES.get_or_init(|| {
        [PLAN, RESULTS, SITE, THEME, PAGE, INDEX_PAGE]
            .into_iter()
            .map(|rel| (rel, &*Box::leak(read(rel).into_boxed_slice())))
            .collect()
    })[rel]
}

/// What every finding must be, given the lines of the file it names.
fn assert_well_formed(f: &Finding, line_count: usize) -> Result<(), TestCaseError> {
    prop_assert!(!f.message.trim().is_empty(), "empty message: {:?}", f);
    if f.severity == Severity::Error {
        prop_assert!(f.help.as_deref().is_some_and(|h| !h.trim().is_empty()), "an error without help: {:?}", f);
    }
    if let Some(line) = f.line {
        prop_assert!(line >= 1 && line as usize <= line_count, "line {} of {} lines: {:?}", line, line_count, f);
    }
    if let Some(column) = f.column {
        prop_assert!(column >= 1, "column 0: {:?}", f);
    }
    if let Some(ex) = &f.excerpt {
        prop_assert!(!ex.lines.is_empty());
        prop_assert_eq!(Some(ex.lines.last().unwrap().0), f.line);
    }
    prop_assert!(f.to_string().contains(&f.location()));
    Ok(())
}

fn assert_all(findings: &[Finding], src: &SourceFile) -> Result<(), TestCaseError> {
    prop_assert!(!findings.is_empty(), "a failure must say why");
    for f in findings {
        prop_assert_eq!(&f.file, &src.path);
        assert_well_formed(f, src.line_count())?;
    }
    Ok(())
}

/// Decodes; a decoding finding must point inside the raw bytes.
fn decode(path: &str, bytes: Vec<u8>) -> Result<Option<SourceFile>, TestCaseError> {
    let raw_lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    match SourceFile::decode(path, bytes) {
        Ok(src) => Ok(Some(src)),
        Err(f) => {
            prop_assert_eq!(f.kind.code(), "invalid-utf8");
            prop_assert!(f.message.contains("ตำแหน่งไบต์"));
            assert_well_formed(&f, raw_lines)?;
            Ok(None)
        }
    }
}

fn original_results() -> &'static Loaded<Results> {
    static R: OnceLock<Loaded<Results>> = OnceLock::new();
    R.get_or_init(|| {
        let src = SourceFile::decode(RESULTS, read(RESULTS)).unwrap();
        data::load_json(src, data::results_schema()).expect("the default results load")
    })
}

fn original_plan() -> &'static Loaded<Plan> {
    static P: OnceLock<Loaded<Plan>> = OnceLock::new();
    P.get_or_init(|| {
        let src = SourceFile::decode(PLAN, read(PLAN)).unwrap();
        data::load_json(src, data::plan_schema()).expect("the default plan loads")
    })
}

/// Validation and lint over a dataset with a loaded (possibly mutated) file:
/// findings about either file must point inside it.
fn validate_and_lint(data: Dataset) -> Result<(), TestCaseError> {
    let findings = data::validate(&data, &Default::default());
    let lints = prongsai::lint::lint(&data, &Default::default());
    for f in findings.iter().chain(lints.iter().map(|o| &o.finding)) {
        let lines = if f.file == data.plan.src.path {
            data.plan.src.line_count()
        } else {
            data.results.iter().find(|r| r.src.path == f.file).map(|r| r.src.line_count()).unwrap_or(0)
        };
        prop_assert!(lines > 0, "a finding about an unknown file: {:?}", f);
        assert_well_formed(f, lines)?;
    }
    Ok(())
}

fn plan_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let Some(src) = decode(PLAN, bytes)? else { return Ok(()) };
    match data::load_json::<Plan>(src.clone(), data::plan_schema()) {
        Err(findings) => assert_all(&findings, &src),
        Ok(plan) => validate_and_lint(Dataset { plan, results: vec![original_results().clone()] }),
    }
}

fn results_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let Some(src) = decode(RESULTS, bytes)? else { return Ok(()) };
    match data::load_json::<Results>(src.clone(), data::results_schema()) {
        Err(findings) => assert_all(&findings, &src),
        Ok(results) => validate_and_lint(Dataset { plan: original_plan().clone(), results: vec![results] }),
    }
}

fn site_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let Some(src) = decode(SITE, bytes)? else { return Ok(()) };
    if let Err(findings) = config::load_toml::<SiteConfig>(src.clone(), config::site_schema()) {
        assert_all(&findings, &src)?;
    }
    Ok(())
}

fn theme_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let Some(src) = decode(THEME, bytes)? else { return Ok(()) };
    if let Err(findings) = config::load_toml::<ThemeConfig>(src.clone(), config::theme_schema()) {
        assert_all(&findings, &src)?;
    }
    Ok(())
}

fn page_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let Some(src) = decode(PAGE, bytes)? else { return Ok(()) };
    match content::parse_page(src.clone()) {
        Err(findings) => assert_all(&findings, &src),
        Ok(Some(page)) => {
            prop_assert!(page.body.end <= src.text.len() && page.body.start <= page.body.end);
            // Rendering the body with every link unknown reports them at
            // places inside the page.
            let known = Default::default();
            let links = content::Links {
                root: "",
                known: &known,
                pretty: false,
                digits: prongsai::thai::Digits::Thai,
                lang: "",
            };
            for f in content::render_page(&page, &links, "").1 {
                assert_well_formed(&f, src.line_count())?;
            }
            Ok(())
        }
        Ok(None) => Ok(()),
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn random_bytes_never_panic_any_loader(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        plan_bytes(bytes.clone())?;
        results_bytes(bytes.clone())?;
        site_bytes(bytes.clone())?;
        theme_bytes(bytes.clone())?;
        page_bytes(bytes)?;
    }

    #[test]
    fn random_text_never_panics_any_loader(text in "\\PC{0,200}") {
        for bytes in [text.clone().into_bytes(), format!("+++\n{text}\n+++\n{text}").into_bytes()] {
            plan_bytes(bytes.clone())?;
            results_bytes(bytes.clone())?;
            site_bytes(bytes.clone())?;
            theme_bytes(bytes.clone())?;
            page_bytes(bytes)?;
        }
    }

    #[test]
    fn json_like_text_never_panics(text in "[\\[\\]{}\":,0-9a-z\\\\ \\n.eE+-]{0,120}") {
        plan_bytes(text.clone().into_bytes())?;
        results_bytes(text.into_bytes())?;
    }

    #[test]
    fn toml_like_text_never_panics(text in "[\\[\\]{}\"'=,.#0-9a-z_ \\n\\\\-]{0,120}") {
        site_bytes(text.clone().into_bytes())?;
        theme_bytes(text.clone().into_bytes())?;
        page_bytes(format!("+++\n{text}\n+++\nbody\n").into_bytes())?;
    }

    #[test]
    fn mutated_plan_never_panics(bytes in mutated(base(PLAN))) {
        plan_bytes(bytes)?;
    }

    #[test]
    fn mutated_results_never_panic(bytes in mutated(base(RESULTS))) {
        results_bytes(bytes)?;
    }

    #[test]
    fn mutated_site_and_theme_never_panic(site in mutated(base(SITE)), theme in mutated(base(THEME))) {
        site_bytes(site)?;
        theme_bytes(theme)?;
    }

    #[test]
    fn mutated_front_matter_never_panics(bytes in mutated(base(PAGE))) {
        page_bytes(bytes)?;
    }
}

/// A copy of the default site, made once per test binary; each case writes
/// one mutated file into it and puts the original back afterwards.
fn scratch_site() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::Builder::new().prefix("prongsai-proptest-").tempdir().unwrap();
        for sub in ["content", "themes", "seeds"] {
            for entry in walkdir::WalkDir::new(repo().join(sub)) {
                let entry = entry.unwrap();
                let rel = entry.path().strip_prefix(repo()).unwrap();
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(dir.path().join(rel)).unwrap();
                } else {
                    std::fs::copy(entry.path(), dir.path().join(rel)).unwrap();
                }
            }
        }
        dir
    })
    .path()
}

/// Runs the whole `check` with one file replaced.
fn check_with(rel: &'static str, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let root = scratch_site();
    std::fs::write(root.join(rel), &bytes).unwrap();
    let (inputs, findings, _) = site::check(root, &Options::default());
    let result = (|| {
        if inputs.is_none() {
            prop_assert!(findings.iter().any(Finding::is_error), "nothing loaded, yet no error");
        }
        for f in &findings {
            let lines = match std::fs::read(root.join(&f.file)) {
                Ok(b) => SourceFile::decode(f.file.clone(), b).map_or(usize::MAX, |s| s.line_count()),
                Err(_) => usize::MAX, // a missing file: no line to check
            };
            assert_well_formed(f, lines)?;
        }
        Ok(())
    })();
    std::fs::write(root.join(rel), base(rel)).unwrap();
    result
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn whole_check_with_mutated_plan(bytes in mutated(base(PLAN))) {
        check_with(PLAN, bytes)?;
    }

    #[test]
    fn whole_check_with_mutated_results(bytes in mutated(base(RESULTS))) {
        check_with(RESULTS, bytes)?;
    }

    #[test]
    fn whole_check_with_mutated_site_config(bytes in mutated(base(SITE))) {
        check_with(SITE, bytes)?;
    }

    #[test]
    fn whole_check_with_mutated_overview_page(bytes in mutated(base(INDEX_PAGE))) {
        check_with(INDEX_PAGE, bytes)?;
    }
}

/// The unmutated default site passes the same checks (so the properties above
/// test the mutations, not a broken starting point).
#[test]
fn the_starting_point_is_clean() {
    let (inputs, findings, _) = site::check(scratch_site(), &Options::default());
    assert!(inputs.is_some());
    assert!(!findings.iter().any(Finding::is_error), "{findings:?}");
}
