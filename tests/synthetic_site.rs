//! A synthetic plan (`prongsai::synthetic`) is a valid site: it checks with
//! no error and few warnings, builds, and the written site is complete
//! (a page for every indicator, strategy and year, every relative link
//! resolves). And it is the same every time it is generated.

mod common;

use common::{html_pages, ids, links, resolve};
use prongsai::output::Output;
use prongsai::site::{self, Options};
use prongsai::synthetic::{self, RESULT_YEARS};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Enough to have 10 strategies, every measure, target kind and status, and
/// a few deliberate inconsistencies; small enough for a debug build.
const INDICATORS: usize = 300;

#[test]
fn a_synthetic_plan_checks_builds_and_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    synthetic::generate(&root, INDICATORS).unwrap();
    // Share images and chart PNGs of the overview, reports and pages only,
    // as a plan of thousands has: 600 indicator PNGs in a debug build are
    // minutes (tests/reach.rs draws the default site's every one).
    let site_toml = root.join("content/site.toml");
    let config = std::fs::read_to_string(&site_toml).unwrap();
    // A search index in parts of 100 pages, as a plan of thousands has in parts of 1,000.
    std::fs::write(&site_toml, format!("{config}\n[outputs]\npng_max_indicators = 100\nsearch_part_pages = 100\n"))
        .unwrap();

    let (inputs, findings, _) = site::check(&root, &Options::default());
    let errors: Vec<String> = findings.iter().filter(|f| f.is_error()).map(|f| f.to_string()).collect();
    assert!(errors.is_empty(), "the synthetic plan must check without errors:\n{}", errors.join("\n"));
    let inputs = inputs.expect("loaded");
    let plan = &inputs.data.plan.data;
    assert_eq!(plan.indicators.len(), INDICATORS);
    // Statuses follow from the values: only the few inconsistencies put in
    // on purpose are reported (about one numeric result in 450; allow 1 %).
    let results = INDICATORS * RESULT_YEARS.len();
    assert!(
        findings.len() * 100 <= results,
        "{} warnings for {results} results:\n{}",
        findings.len(),
        findings.iter().map(|f| f.to_string()).collect::<String>()
    );

    let built = site::build(&root, &Options::default()).unwrap_or_else(|f| panic!("{:?}", f.findings()));
    let out = dir.path().join("public");
    Output::resolve(&root, &out, false).unwrap().write(&built.files).unwrap();

    let mut missing = Vec::new();
    let mut expect = |rel: String| {
        if !out.join(&rel).is_file() {
            missing.push(rel);
        }
    };
    for ind in &plan.indicators {
        expect(format!("indicators/{}/index.html", ind.id));
    }
    for s in &plan.strategies {
        expect(format!("strategies/{}/index.html", s.id));
    }
    for y in RESULT_YEARS {
        expect(format!("years/{y}/index.html"));
        expect(format!("years/{y}/analysis/index.html"));
        expect(format!("years/{y}/policy/index.html"));
    }
    for rel in ["index.html", "strategies/index.html", "indicators/index.html", "years/index.html", "404.html"] {
        expect(rel.to_string());
    }
    assert!(missing.is_empty(), "pages missing from the output:\n{}", missing.join("\n"));

    // Every relative href and src of every page names a file of the written
    // output, and every #fragment an id on that page.
    let mut page_ids: HashMap<String, Vec<String>> = HashMap::new();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (path, html) in html_pages(&built) {
        if path == "404.html" {
            continue; // links from the base path by design (served at any depth)
        }
        for link in links(&html) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (target, fragment) = link.split_once('#').map_or((link.as_str(), None), |(t, f)| (t, Some(f)));
            let resolved = if target.is_empty() { path.to_string() } else { resolve(path, target).unwrap_or_default() };
            if resolved.is_empty() || !out.join(&resolved).is_file() {
                broken.push(format!("{path} → {link}"));
                continue;
            }
            if let Some(f) = fragment {
                let known = page_ids.entry(resolved.clone()).or_insert_with(|| {
                    ids(&String::from_utf8_lossy(&std::fs::read(out.join(&resolved)).unwrap_or_default()))
                });
                if !known.iter().any(|id| id == f) {
                    broken.push(format!("{path} → {link} (no id {f})"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > INDICATORS * 10, "only {checked} links checked");

    // A plan this large indexes each page's own text: a strategy page's
    // name, goals and narrative, not the names of the indicators it lists
    // (each has its own record), which made most of the index's cost.
    let indexed = indexed_text(&built);
    let strategy = &plan.strategies[0];
    let text = &indexed[&format!("/strategies/{}/", strategy.id)];
    assert!(text.contains(&strategy.name) && text.contains(&strategy.goals[0]), "{text}");
    let listed: Vec<&str> = plan
        .indicators
        .iter()
        .filter(|i| i.id.starts_with(&format!("{}-", strategy.id)))
        .map(|i| i.name.as_str())
        .collect();
    assert!(listed.len() > 5);
    for name in &listed {
        assert!(!text.contains(name), "the strategy page's index holds its indicator {name}");
    }
    let id = &plan.indicators[0].id;
    assert!(indexed[&format!("/indicators/{id}/")].contains(&plan.indicators[0].name));
    assert_eq!(indexed.keys().filter(|u| u.starts_with("/indicators/") && u.len() > 12).count(), INDICATORS);

    // The index is in parts of at most 100 pages, every part listed in the
    // first part's parts.json (which the search page merges), each page in one.
    let text = |path: &str| String::from_utf8_lossy(&built.files[path]).into_owned();
    let parts: Vec<String> = serde_json::from_str(&text("pagefind/parts.json")).unwrap();
    let mut dirs = vec!["pagefind/".to_string()];
    dirs.extend(parts.iter().map(|p| format!("pagefind/{p}")));
    let mut pages = 0;
    for dir in &dirs {
        let entry: serde_json::Value = serde_json::from_str(&text(&format!("{dir}pagefind-entry.json"))).unwrap();
        let count = entry["languages"]["th"]["page_count"].as_u64().unwrap();
        assert!((1..=100).contains(&count), "{dir}: {count} pages");
        pages += count as usize;
    }
    assert_eq!(pages, indexed.len(), "every indexed page in exactly one listed part");
    assert!(dirs.len() >= 4, "{dirs:?}");
    let search_page = text("search/index.html");
    assert!(search_page.contains(r#"data-index="../pagefind/""#), "the search page loads the parts");
    // Only the first part has Pagefind's script.
    let scripts: Vec<&String> = built.files.keys().filter(|p| p.ends_with("/pagefind.js")).collect();
    assert_eq!(scripts, ["pagefind/pagefind.js"]);
}

/// The text the search index holds for each page, by URL ("/strategies/1/"), with Pagefind's
/// word breaks (zero-width spaces) taken out.
fn indexed_text(built: &site::Site) -> HashMap<String, String> {
    use std::io::Read;
    let mut out = HashMap::new();
    for (path, bytes) in &built.files {
        if !(path.starts_with("pagefind/") && path.contains("/fragment/")) {
            continue;
        }
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut raw).unwrap();
        let json = &raw[raw.iter().position(|&b| b == b'{').unwrap()..];
        let fragment: serde_json::Value = serde_json::from_slice(json).unwrap();
        let text = fragment["content"].as_str().unwrap().replace('\u{200b}', "");
        let url = fragment["url"].as_str().unwrap();
        out.insert(url.strip_suffix("index.html").unwrap_or(url).to_string(), text);
    }
    out
}

#[test]
fn generating_twice_gives_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    synthetic::generate(&a, 120).unwrap();
    synthetic::generate(&b, 120).unwrap();
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    assert_eq!(digest(&fa), digest(&fb));
    for (rel, bytes) in &fa {
        assert!(bytes == &fb[rel], "{rel} differs between two generations");
    }
    // A different size is a different plan.
    let c = dir.path().join("c");
    synthetic::generate(&c, 121).unwrap();
    assert_ne!(digest(&fa), digest(&files(&c)));
}

#[test]
fn generating_refuses_zero_and_an_existing_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    assert!(synthetic::generate(dir.path(), 0).is_err());
    synthetic::generate(dir.path(), 5).unwrap();
    let again = synthetic::generate(dir.path(), 5).unwrap_err();
    assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
}

/// Every file under `root`, by relative path.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// One hash of every path and its bytes.
fn digest(files: &BTreeMap<String, Vec<u8>>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut h);
    h.finish()
}

/// The same plan in Thai and (stand-in) English: every page in both
/// languages, nothing reported untranslated, the English pages' Thai (the
/// quotations of the source) marked.
#[test]
fn a_synthetic_plan_in_two_languages_builds_both() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    synthetic::generate_in(&root, INDICATORS, &["en"]).unwrap();
    // Pages only: the PNGs and the search index of 1,300 pages in a debug
    // build are minutes, and tests/reach.rs covers them.
    let site_toml = root.join("content/site.toml");
    let config = std::fs::read_to_string(&site_toml).unwrap();
    std::fs::write(
        &site_toml,
        format!("{config}\n[outputs]\nsearch = false\nshare_images = false\nchart_downloads = false\n"),
    )
    .unwrap();
    let built = site::build(&root, &Options::default()).unwrap_or_else(|f| panic!("{:?}", f.findings()));
    assert!(!built.warnings.iter().any(|w| w.kind.code() == "missing-translation"), "every text translated");
    let pages: Vec<&String> = built.files.keys().filter(|p| p.ends_with("index.html")).collect();
    let thai: Vec<&&String> = pages.iter().filter(|p| !p.starts_with("en/")).collect();
    assert_eq!(pages.len(), thai.len() * 2, "every page in both languages");
    for p in &thai {
        assert!(built.files.contains_key(&format!("en/{p}")), "no English for {p}");
    }
    let html = String::from_utf8(built.files[&format!("en/indicators/{}/index.html", "1-1.1")].clone()).unwrap();
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(html.contains("hreflang=\"th\""));
}

#[test]
fn a_large_plan_in_two_languages_has_an_index_in_parts_per_language() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    synthetic::generate_in(&root, 60, &["en"]).unwrap();
    // "Large" from 20 indicators, in parts of 40 pages; no PNGs, downloads or
    // embeds (slow in a debug build, and not what this is about).
    let site_toml = root.join("content/site.toml");
    let config = std::fs::read_to_string(&site_toml).unwrap();
    std::fs::write(
        &site_toml,
        format!(
            "{config}\n[outputs]\npng_max_indicators = 20\nsearch_part_pages = 40\nshare_images = false\n\
             chart_downloads = false\nembeds = false\n"
        ),
    )
    .unwrap();
    let built = site::build(&root, &Options::default()).unwrap_or_else(|f| panic!("{:?}", f.findings()));
    let text = |path: &str| String::from_utf8_lossy(&built.files[path]).into_owned();
    let indexed = indexed_text(&built);
    for (dir, lang, search_page, index_attr) in [
        ("pagefind/", "th", "search/index.html", r#"data-index="../pagefind/""#),
        ("pagefind/en/", "en", "en/search/index.html", r#"data-index="../../pagefind/en/""#),
    ] {
        assert!(text(search_page).contains(index_attr), "{search_page} loads its language's index");
        let parts: Vec<String> = serde_json::from_str(&text(&format!("{dir}parts.json"))).unwrap();
        assert!(!parts.is_empty(), "{dir}: more than one part: {parts:?}");
        let mut pages = 0;
        for part in std::iter::once(String::new()).chain(parts) {
            let entry: serde_json::Value =
                serde_json::from_str(&text(&format!("{dir}{part}pagefind-entry.json"))).unwrap();
            let languages = entry["languages"].as_object().unwrap();
            assert_eq!(languages.keys().collect::<Vec<_>>(), [lang], "{dir}{part}: one language");
            let count = languages[lang]["page_count"].as_u64().unwrap();
            assert!((1..=40).contains(&count), "{dir}{part}: {count} pages");
            pages += count as usize;
        }
        let in_lang = indexed.keys().filter(|u| u.starts_with("/en/") == (lang == "en")).count();
        assert_eq!(pages, in_lang, "{dir}: every page of its language in one part");
    }
}
