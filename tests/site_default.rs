//! Whole-site tests of the default site: the FY2566 evaluation of the NHRC
//! plan, built from `content/` at the repository root.

mod common;

use common::*;
use prongsai::data::{Measure, TargetKind};
use prongsai::output::Output;
use prongsai::site::{self, Options};
use prongsai::thai::{Numerals, ThaiDate, to_arabic_digits};
use std::collections::{BTreeMap, BTreeSet};

fn inputs() -> site::Inputs {
    site::load(&repo(), &Options::default()).unwrap_or_else(|f| panic!("{f:?}"))
}

fn seed() -> String {
    std::fs::read_to_string(repo().join("seeds/000_ad9f215da3f2159d.txt")).unwrap()
}

/// Page text with digits made ASCII and spaces removed.
fn page_squashed(path: &str) -> String {
    squash(&text(&page(default_site(), path)))
}

fn assert_on(path: &str, what: &str, needle: &str) {
    let hay = page_squashed(path);
    let n = squash(needle);
    assert!(hay.contains(&n), "{path} should show {what}: {needle}");
}

#[test]
fn every_strategy_issue_objective_and_indicator_is_on_the_site() {
    let inputs = inputs();
    let plan = &inputs.data.plan.data;
    assert_eq!(plan.strategies.len(), 4);
    assert_eq!(plan.issues.len(), 10);
    assert_eq!(plan.objectives.len(), 13);
    assert_eq!(plan.indicators.len(), 19);
    assert_on("index.html", "the vision", &plan.vision);
    assert_on("index.html", "the goal", &plan.goal);
    for s in &plan.strategies {
        let path = format!("strategies/{}/index.html", s.id);
        assert_on(&path, "its name", &s.name);
        assert_on("index.html", "each strategy", &s.name);
        assert_on("years/2566/index.html", "each strategy", &s.name);
        for g in &s.goals {
            assert_on(&path, "its goals", g);
        }
    }
    for is in &plan.issues {
        let path = format!("strategies/{}/index.html", is.strategy);
        assert_on(&path, "its issues", &format!("ประเด็นยุทธศาสตร์ที่ {} {}", is.id, is.name));
        assert_on("years/2566/index.html", "every issue", &is.name);
    }
    for o in &plan.objectives {
        let strategy = &plan.issues.iter().find(|i| i.id == o.issue).unwrap().strategy;
        assert_on(&format!("strategies/{strategy}/index.html"), "its objectives", &o.name);
    }
    for ind in &plan.indicators {
        let path = format!("indicators/{}/index.html", ind.id);
        assert_on(&path, "its name", &ind.name);
        assert_on(&path, "its unit", &ind.unit);
        assert_on("years/2566/index.html", "every indicator", &ind.name);
        assert_on("indicators/index.html", "every indicator", &ind.name);
    }
}

#[test]
fn every_target_and_result_figure_is_on_its_pages() {
    let inputs = inputs();
    let plan = &inputs.data.plan.data;
    let num = Numerals::default();
    for ind in &plan.indicators {
        let path = format!("indicators/{}/index.html", ind.id);
        let d = ind.decimals();
        assert_on(&path, "the five-year target", &num.number(ind.target.value, d));
        if let Some(t) = &ind.target.text {
            assert_on(&path, "the five-year target as the source words it", t);
        }
        for (year, t) in &ind.targets {
            match t.kind {
                TargetKind::Numeric => {
                    assert_on(&path, &format!("the {year} target"), &num.number(t.value.unwrap(), d))
                }
                TargetKind::Milestone => assert_on(&path, &format!("the {year} target"), t.text.as_deref().unwrap()),
                TargetKind::NotAssessed => {
                    assert_on(&path, &format!("the {year} first year"), &num.year(t.first_year.unwrap()))
                }
            }
        }
    }
    for res in &inputs.data.results {
        let year = res.data.year;
        for r in &res.data.indicators {
            let ind = plan.indicators.iter().find(|i| i.id == r.indicator).unwrap();
            let d = ind.decimals();
            let path = format!("indicators/{}/index.html", ind.id);
            let year_page = format!("years/{year}/index.html");
            if let Some(v) = r.value {
                assert_on(&path, "the result", &num.number(v, d));
                assert_on(&year_page, "the result", &num.number(v, d));
            }
            if let Some(c) = &r.count {
                let counts = format!("{} จาก {}", c.done, c.total);
                assert_on(&path, "the counts behind the result", &counts);
                assert_on(&year_page, "the counts behind the result", &counts);
            }
            for st in &r.statements {
                assert_on(&path, "each other statement of the result", &st.place);
                if let Some(v) = st.value {
                    assert_on(&path, "each other statement's figure", &num.number(v, d));
                }
                if let Some(c) = &st.count {
                    assert_on(&path, "each other statement's counts", &format!("{} จาก {}", c.done, c.total));
                }
            }
            for ev in &r.events {
                assert_on(&path, "each event", &ev.text);
                let date = num.date(ThaiDate::parse(&ev.date).unwrap());
                for part in date.split(' ') {
                    assert_on(&path, "each event's day, month and year", part);
                }
            }
            if let Some(n) = &r.note {
                // Notes are Markdown; their words are on the page.
                assert_on(&path, "the editor's note", n.split('"').next().unwrap());
            }
        }
        for s in &res.data.strategies {
            if let Some(p) = s.projects {
                assert_on(
                    &format!("strategies/{}/index.html", s.strategy),
                    "the project count",
                    &format!("{p} โครงการ"),
                );
            }
        }
        if let Some(p) = &res.data.projects {
            assert_on(&format!("years/{year}/index.html"), "the total of projects", &format!("{} โครงการ", p.total));
        }
        if let Some(policy) = &res.data.policy {
            for issue in &policy.issues {
                assert_on(&format!("years/{year}/policy/index.html"), "each policy issue", &issue.name);
                for rec in &issue.recommendations {
                    assert_on(&format!("years/{year}/policy/index.html"), "each recommendation", rec);
                }
            }
        }
    }
}

/// Numbers as written in a text: runs of digits (Thai or Arabic), with a
/// decimal point or thousands comma between digits, in ASCII.
fn numbers(s: &str) -> BTreeSet<String> {
    let s = to_arabic_digits(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == '.' || chars[i] == ',') && i + 1 < chars.len() && chars[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            out.insert(chars[start..i].iter().collect::<String>().replace(',', ""));
        } else {
            i += 1;
        }
    }
    out
}

/// The source document is the default content: every number it states (a
/// target, a result, a count, a date, a section number) must be readable
/// somewhere on the built site. The page that reproduces the document itself
/// does not count.
#[test]
fn every_number_in_the_source_document_is_on_the_site() {
    let site_numbers: BTreeSet<String> = html_pages(default_site())
        .iter()
        // The Thai pages alone (the English mirror repeats them).
        .filter(|(p, _)| !p.starts_with("sources/") && !p.starts_with("en/"))
        .flat_map(|(_, html)| numbers(&text(html)))
        .collect();
    let stated = numbers(&seed());
    assert!(stated.len() >= 75, "the document states 79 distinct numbers; found only {}", stated.len());
    let missing: Vec<String> = stated.into_iter().filter(|n| !site_numbers.contains(n)).collect();
    assert!(missing.is_empty(), "numbers of the source document not on the site: {missing:?}");
}

/// Names in the content are the source's words: each strategy, issue,
/// objective and indicator name occurs in the source document (white space
/// aside, as the PDF's table cells wrap lines with spaces).
#[test]
fn names_in_the_content_are_the_sources_words() {
    let seed = squash(&seed());
    let inputs = inputs();
    let plan = &inputs.data.plan.data;
    let names = plan
        .strategies
        .iter()
        .map(|s| &s.name)
        .chain(plan.issues.iter().map(|i| &i.name))
        .chain(plan.objectives.iter().map(|o| &o.name))
        .chain(plan.indicators.iter().map(|i| &i.name))
        .chain([&plan.vision, &plan.goal]);
    for name in names {
        assert!(seed.contains(&squash(name)), "not in the source document: {name}");
    }
}

/// Every figure in the data is on the line of the source it cites (or the
/// few lines after, where a table cell continues).
#[test]
fn figures_in_the_data_are_on_the_lines_they_cite() {
    let seed = seed();
    let lines: Vec<&str> = seed.lines().collect();
    let window = |line: u32| -> String {
        let start = line as usize - 1;
        squash(&lines[start..(start + 4).min(lines.len())].join(" "))
    };
    let has = |line: u32, v: f64, d: u8| {
        let w = window(line);
        let formatted = prongsai::thai::format_number(v, d);
        w.contains(&formatted) || w.contains(&formatted.replace(',', ""))
    };
    let inputs = inputs();
    let plan = &inputs.data.plan.data;
    let mut checked = 0;
    for ind in &plan.indicators {
        let d = ind.decimals();
        let line = ind.source.as_ref().and_then(|s| s.line).expect("every indicator cites its line");
        assert!(has(line, ind.target.value, d), "{}: five-year target {} not on line {line}", ind.id, ind.target.value);
        checked += 1;
        for (year, t) in &ind.targets {
            let Some(line) = t.source.as_ref().and_then(|s| s.line) else { continue };
            for v in [t.value, t.first_value].into_iter().flatten() {
                assert!(has(line, v, d), "{} {year}: target {v} not on line {line}", ind.id);
                checked += 1;
            }
        }
    }
    for res in &inputs.data.results {
        for r in &res.data.indicators {
            let ind = plan.indicators.iter().find(|i| i.id == r.indicator).unwrap();
            let d = ind.decimals();
            // A result may be stated in the table or in another place it cites.
            let mut cited: Vec<u32> = r.source.iter().filter_map(|s| s.line).collect();
            cited.extend(r.statements.iter().filter_map(|s| s.line));
            if let Some(v) = r.value {
                assert!(cited.iter().any(|&l| has(l, v, d)), "{}: result {v} not on lines {cited:?}", r.indicator);
                checked += 1;
            }
            if let Some(c) = &r.count {
                for n in [c.done, c.total] {
                    assert!(cited.iter().any(|&l| has(l, n as f64, 0)), "{}: count {n} not on {cited:?}", r.indicator);
                    checked += 1;
                }
            }
            for st in &r.statements {
                let line = st.line.expect("statements cite their line");
                for v in [st.value, st.target].into_iter().flatten() {
                    assert!(has(line, v, d), "{}: stated {v} not on line {line}", r.indicator);
                    checked += 1;
                }
                if let Some(c) = &st.count {
                    assert!(has(line, c.done as f64, 0) && has(line, c.total as f64, 0), "{}: {c:?}", r.indicator);
                    checked += 1;
                }
            }
            for ev in &r.events {
                let line = ev.source.as_ref().and_then(|s| s.line).expect("events cite their line");
                let date = Numerals::default().date(ThaiDate::parse(&ev.date).unwrap());
                let w = window(line);
                for part in date.split(' ') {
                    assert!(w.contains(&squash(part)), "{}: date {} ({part}) not on line {line}", r.indicator, ev.date);
                }
                if let Some(a) = ev.amount.filter(|a| *a > 1) {
                    assert!(has(line, a as f64, 0), "{}: amount {a} not on line {line}", r.indicator);
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "only {checked} figures checked");
}

#[test]
fn internal_links_and_anchors_resolve_inside_the_site() {
    let site = default_site();
    let pages = html_pages(site);
    let mut broken = Vec::new();
    let mut count = 0;
    for (path, html) in &pages {
        if *path == "404.html" {
            continue; // absolute links by design: checked in the subpath test
        }
        for link in links(html) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
                continue;
            }
            count += 1;
            let (target, fragment) = link.split_once('#').map_or((link.as_str(), None), |(t, f)| (t, Some(f)));
            assert!(!target.starts_with('/'), "{path}: link {link} is not relative");
            let resolved = if target.is_empty() { path.to_string() } else { resolve(path, target).unwrap_or_default() };
            let Some(bytes) = site.files.get(&resolved) else {
                broken.push(format!("{path} → {link}"));
                continue;
            };
            if let Some(f) = fragment {
                let html = String::from_utf8_lossy(bytes);
                if !ids(&html).iter().any(|id| id == f) {
                    broken.push(format!("{path} → {link} (no id {f})"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(count > 500, "only {count} links checked");
}

#[test]
fn builds_are_byte_identical() {
    // A build from nothing, and the one every test reads (its images and
    // search index taken from the shared cache): the same bytes.
    let a = site::build(&repo(), &Options::default()).unwrap();
    let b = default_site();
    assert_eq!(a.files.keys().collect::<Vec<_>>(), b.files.keys().collect::<Vec<_>>());
    for (path, bytes) in &a.files {
        assert!(bytes == &b.files[path], "{path} differs between two builds");
    }
    // And on disk.
    let dir = tempfile::tempdir().unwrap();
    Output::resolve(&common::repo(), &dir.path().join("one"), false).unwrap().write(&a.files).unwrap();
    Output::resolve(&common::repo(), &dir.path().join("two"), false).unwrap().write(&b.files).unwrap();
    for path in a.files.keys() {
        let one = std::fs::read(dir.path().join("one").join(path)).unwrap();
        let two = std::fs::read(dir.path().join("two").join(path)).unwrap();
        assert_eq!(one, two, "{path}");
    }
}

#[test]
fn a_site_published_under_a_subpath_keeps_working() {
    let options = Options { base_url: Some("https://example.go.th/nhrc/".into()), ..common::cached() };
    let site = site::build(&repo(), &options).unwrap();
    for (path, html) in html_pages(&site) {
        if path == "404.html" {
            // Served for any missing URL at any depth: links are absolute,
            // under the subpath.
            for link in links(&html) {
                assert!(
                    link.starts_with("/nhrc/") || link.starts_with('#') || link.starts_with("http"),
                    "404.html: {link}"
                );
            }
            continue;
        }
        let dir = path.trim_end_matches("index.html");
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"https://example.go.th/nhrc/{dir}\">")),
            "{path} lacks its canonical link"
        );
        for link in links(&html) {
            assert!(!link.starts_with('/'), "{path}: {link} would break under a subpath");
        }
    }
    let sitemap = String::from_utf8(site.files["sitemap.xml"].clone()).unwrap();
    assert!(sitemap.contains("<loc>https://example.go.th/nhrc/indicators/3-1.1/</loc>"));
    assert!(!default_site().files.contains_key("sitemap.xml"), "no sitemap without an address");
}

#[test]
fn pages_are_thai_first_and_need_no_script_or_external_resource() {
    for (path, html) in html_pages(default_site()) {
        // The English mirror says its own language; it is tested in tests/languages.rs.
        let lang = if path.starts_with("en/") { "en" } else { "th" };
        assert!(html.starts_with(&format!("<!doctype html>\n<html lang=\"{lang}\">")), "{path}");
        assert!(html.contains("<meta charset=\"utf-8\">"), "{path}");
        assert!(html.contains("name=\"viewport\""), "{path}");
        // Only the site's own script, for search (which cannot work
        // without one) and embed codes; every page reads without it.
        assert!(!without_site_script(&html).contains("<script"), "{path} has a script: nothing else needs JavaScript");
        for link in links(&html) {
            assert!(!link.starts_with("//"), "{path}: {link}");
            if link.starts_with("http") {
                // Only links a reader follows, never resources the page loads.
                assert!(
                    !link.ends_with(".css") && !link.ends_with(".js") && !link.contains("fonts."),
                    "{path}: {link}"
                );
            }
        }
    }
    let css = String::from_utf8(default_site().files["style.css"].clone()).unwrap();
    assert!(css.contains("\"Sarabun\", \"Noto Sans Thai\""), "a Thai font stack");
    assert!(!css.contains("@import") && !css.contains("url(http"), "no external fonts or styles");
}

#[test]
fn thai_digits_buddhist_years_and_dates_as_configured() {
    let ind = page(default_site(), "indicators/3-1.1/index.html");
    assert!(ind.contains("ร้อยละ ๖๖.๓๖"));
    assert!(ind.contains("ปีงบประมาณ พ.ศ. ๒๕๖๖"));
    let ev = page(default_site(), "indicators/1-3.1/index.html");
    assert!(ev.contains("๒๑ ธันวาคม ๒๕๖๖"), "Thai dates");
    // A range is two <time> elements, each with its machine-readable date.
    assert!(
        ev.contains(
            "<time datetime=\"2023-05-31\">๓๑ พฤษภาคม</time> – <time datetime=\"2023-06-02\">๒ มิถุนายน ๒๕๖๖</time>"
        ),
        "Thai date ranges"
    );
    let unit = page(default_site(), "indicators/1-4.1/index.html");
    assert!(
        unit.contains("<time datetime=\"2022-11-25\">๒๕</time>–<time datetime=\"2022-11-26\">๒๖ พฤศจิกายน ๒๕๖๕</time>")
    );
    let year = page(default_site(), "years/2566/index.html");
    assert!(year.contains("๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖"), "the span of the fiscal year");
}

#[test]
fn charts_are_accessible_svg_with_a_table_beside_them() {
    let (mut charts, mut embeds) = (0, 0);
    for (path, html) in html_pages(default_site()) {
        let mut rest = html.as_str();
        while let Some(i) = rest.find("<figure class=\"chart-figure\"") {
            let fig_end = rest[i..].find("</figure>").unwrap() + i;
            let figure = &rest[i..fig_end];
            let svg_start = figure.find("<svg").expect("a chart figure holds an svg");
            let open = &figure[svg_start..figure[svg_start..].find('>').unwrap() + svg_start];
            assert!(open.contains("role=\"img\""), "{path}: {open}");
            assert!(open.contains("viewBox=\"0 0 400 "), "{path}: fluid width");
            assert!(!open.contains(" width="), "{path}: no fixed width");
            let labelled = open.split("aria-labelledby=\"").nth(1).unwrap().split('"').next().unwrap();
            for id in labelled.split(' ') {
                let tag = figure.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("{path}: no {id}"));
                let content = &figure[figure[tag..].find('>').unwrap() + tag + 1..];
                let content = &content[..content.find('<').unwrap()];
                assert!(content.trim().chars().count() > 10, "{path}: {id} states the data: {content}");
            }
            // Each status glyph in a chart is a shape, not only a colour; the
            // figure or what follows it has a real table of the same data
            // (an embed is the chart alone: its page, linked, has the table).
            let after: String = rest[fig_end..].chars().take(400).collect();
            if path.trim_start_matches("en/").starts_with("embed/") {
                embeds += 1;
            } else {
                assert!(figure.contains("<table") || after.contains("<table"), "{path}: a table beside the chart");
                charts += 1;
            }
            rest = &rest[fig_end..];
        }
    }
    // 19 indicators, 4 strategies, the year's progress and map, the
    // overview's progress; in Thai and in English.
    assert_eq!(charts, (19 + 4 + 2 + 1) * 2);
    // An embed page for each chart but the overview's (the year's own), in both languages.
    assert_eq!(embeds, (19 + 4 + 2) * 2);
}

#[test]
fn every_indicator_has_a_chart_of_every_plan_year() {
    for ind in &inputs().data.plan.data.indicators {
        let html = page(default_site(), &format!("indicators/{}/index.html", ind.id));
        let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
        for year in ["๒๕๖๖", "๒๕๖๗", "๒๕๖๘", "๒๕๖๙", "๒๕๗๐"] {
            assert!(svg.contains(&format!(">\n{year}\n</text>")), "{}: year {year} on the chart", ind.id);
        }
        if ind.measure == Measure::Percent {
            assert!(svg.contains(">\n๑๐๐\n</text>"), "{}: a percentage axis goes to 100", ind.id);
        }
    }
}

#[test]
fn discrepancies_of_the_source_are_shown_where_they_occur() {
    // 73 of 110 and 66.36 in the table, 69.80 in section 5.
    let p = page(default_site(), "indicators/3-1.1/index.html");
    assert!(p.contains("ร้อยละ ๖๖.๓๖") && p.contains("ร้อยละ ๖๙.๘๐"));
    assert!(p.contains("ตัวเลขระบุไว้ต่างกัน"));
    // A count above its total.
    let p = page(default_site(), "indicators/3-2.1/index.html");
    assert!(p.contains("๑๒๒ จาก ๑๒๑"));
    assert!(p.contains("จำนวนมากกว่าจำนวนทั้งหมด"));
    // A date outside the fiscal year.
    let p = page(default_site(), "indicators/1-3.1/index.html");
    assert!(p.contains("วันที่อยู่นอกปีงบประมาณ"));
    // A five-year target revised from 15 to 10.
    let p = page(default_site(), "indicators/2-2.2/index.html");
    assert!(p.contains("๑๕ หน่วยงาน") && p.contains("๑๐ หน่วยงาน"));
    // A result counted in another unit than its indicator's is shown in the
    // source's unit, with the finding.
    let p = page(default_site(), "indicators/1-5.1/index.html");
    assert!(p.contains("๖ กิจกรรม") && !p.contains("๖ โครงการ"));
    assert!(p.contains("หน่วยนับต่างจากตัวชี้วัด"));
    // An editor's finding, with links to the lines it cites.
    let p = page(default_site(), "indicators/3-3.2/index.html");
    assert!(p.contains("ข้อสังเกตของผู้จัดทำข้อมูล"));
    assert!(p.contains("sources/000_ad9f215da3f2159d/index.html#L311"));
    // The year's report lists every finding of the year: the lint's and the editor's.
    let site = default_site();
    let of_2566 = site
        .warnings
        .iter()
        .filter(|w| w.file == "content/results/2566.json" || w.field.as_deref().is_some_and(|f| f.contains("2566")))
        .count();
    let y = page(site, "years/2566/index.html");
    assert_eq!(y.matches("<li class=\"finding ").count(), of_2566, "all findings of 2566 on the report");
    assert_eq!(y.matches("finding-editor-finding").count(), 8, "the editor's findings of content/results/2566.json");
}

#[test]
fn open_data_is_complete_and_opens_in_excel() {
    let site = default_site();
    let csv_bytes = &site.files["data/indicators.csv"];
    assert!(csv_bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM for Excel");
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "strategy_id");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 19 * 5, "one row per indicator and plan year");
    let row = rows.iter().find(|r| &r[6] == "3-1.1" && &r[13] == "2566").unwrap();
    let by_name: BTreeMap<&str, &str> = headers.iter().zip(row.iter()).collect();
    assert_eq!(by_name["value"], "66.36");
    assert_eq!(by_name["count_done"], "73");
    assert_eq!(by_name["count_total"], "110");
    assert_eq!(by_name["status"], "exceeded");
    assert_eq!(by_name["value_unit"], "ร้อยละ");
    // A result counted in another unit says so.
    let row = rows.iter().find(|r| &r[6] == "1-4.1" && &r[13] == "2566").unwrap();
    let by_name: BTreeMap<&str, &str> = headers.iter().zip(row.iter()).collect();
    assert_eq!((by_name["value"], by_name["value_unit"], by_name["unit"]), ("9", "กิจกรรม", "โครงการ"));

    let json: serde_json::Value = serde_json::from_slice(&site.files["data/prongsai.json"]).unwrap();
    assert_eq!(json["plan"]["indicators"].as_array().unwrap().len(), 19);
    assert_eq!(json["results"][0]["indicators"].as_array().unwrap().len(), 19);
    let lint = site.warnings.iter().filter(|w| w.kind.code() != "missing-translation").count();
    assert_eq!(json["findings"].as_array().unwrap().len(), lint);
    // The site is in Thai and English: the texts again in English, in
    // columns of their own and in the JSON.
    let en: BTreeMap<&str, &str> = headers.iter().zip(row.iter()).collect();
    assert_eq!((en["unit_en"], en["value_unit_en"]), ("projects", "activities"), "{en:?}");
    assert_eq!(json["languages"]["en"]["plan"]["indicators"].as_array().unwrap().len(), 19);
    assert_eq!(json["languages"]["en"]["plan"]["indicators"][0]["id"], json["plan"]["indicators"][0]["id"]);
}

/// Every text the site copies from its content (plan, results, Markdown
/// pages, site settings) and every word of the theme's labels, each as it
/// reads on a page (Markdown rendered, white space folded), longest first.
/// What is left of a page without them is what the site composes.
fn copied_texts() -> Vec<String> {
    use pulldown_cmark::{Event, Parser};
    fn markdown_texts(md: &str, out: &mut Vec<String>) {
        for e in Parser::new_ext(md, pulldown_cmark::Options::all()) {
            if let Event::Text(t) | Event::Code(t) = e {
                out.push(t.to_string());
            }
        }
        out.push(md.to_string());
    }
    // Fields that hold ids and codes, not text: "1" must not erase every 1.
    const NOT_TEXT: [&str; 13] = [
        "id",
        "code",
        "strategy",
        "issue",
        "objective",
        "indicator",
        "file",
        "$schema",
        "date",
        "end",
        "kind",
        "direction",
        "measure",
    ];
    fn walk(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if !NOT_TEXT.contains(&key) && key != "status" => markdown_texts(s, out),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, key, out)),
            serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| walk(x, k, out)),
            _ => {}
        }
    }
    let inp = inputs();
    let mut out = Vec::new();
    walk(&serde_json::to_value(&inp.data.plan.data).unwrap(), "", &mut out);
    for r in &inp.data.results {
        walk(&serde_json::to_value(&r.data).unwrap(), "", &mut out);
    }
    for p in &inp.pages {
        markdown_texts(&p.src().text[p.body.clone()], &mut out);
        walk(&serde_json::to_value(&p.front.data).unwrap(), "", &mut out);
    }
    walk(&serde_json::to_value(&inp.config.site.data).unwrap(), "", &mut out);
    out.extend(inp.config.labels.values().cloned());
    let mut out: Vec<String> = out
        .into_iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| s.chars().any(|c| c.is_ascii_alphanumeric()))
        .collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// The text a page composes itself: its visible text and its reader-facing
/// attributes (aria-label, title, alt), without what it copies from the content.
fn composed(html: &str, copied: &[String]) -> String {
    // A chart label wrapped into lines: a line that is part of a copied text
    // is copied too.
    let mut kept = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<text") {
        kept.push_str(&rest[..i]);
        let end = rest[i..].find("</text>").map_or(rest.len(), |e| i + e + "</text>".len());
        let element = &rest[i..end];
        let line = text(element);
        let line = line.trim_end_matches('…');
        if !copied.iter().any(|c| c.contains(line)) {
            kept.push_str(element);
        }
        rest = &rest[end..];
    }
    kept.push_str(rest);
    let html = kept.as_str();
    let mut t = text(html);
    for attr in ["aria-label=\"", "title=\"", "alt=\""] {
        for part in html.split(attr).skip(1) {
            t.push(' ');
            t.push_str(&text(part.split('"').next().unwrap_or("")));
        }
    }
    for c in copied {
        if t.contains(c.as_str()) {
            t = t.replace(c.as_str(), " ");
        }
    }
    t
}

#[test]
fn composed_text_is_thai_in_the_sites_digits() {
    let copied = copied_texts();
    for (path, html) in html_pages(default_site()) {
        // The source document is shown as it is; the English mirror writes
        // Arabic digits (tests/languages.rs).
        if path.starts_with("sources/") || path.starts_with("en/") {
            continue;
        }
        // The language switcher names each language in itself ("English",
        // marked lang="en").
        let mut html = match (html.find("<nav class=\"languages\""), html.find("</header>")) {
            (Some(a), Some(b)) if a < b => format!("{}{}", &html[..a], &html[b..]),
            _ => html,
        };
        // A chart's embed code is HTML for another site, not text to read.
        while let Some(a) = html.find("<textarea") {
            let b = html[a..].find("</textarea>").map_or(html.len(), |b| a + b + "</textarea>".len());
            html.replace_range(a..b, "");
        }
        let t = composed(&html, &copied);
        let arabic: Vec<&str> = t.split_whitespace().filter(|w| w.contains(|c: char| c.is_ascii_digit())).collect();
        assert!(arabic.is_empty(), "{path}: Arabic digits in text the site composes: {arabic:?}");
        let latin: Vec<&str> =
            t.split_whitespace().filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() > 1).collect();
        assert!(latin.is_empty(), "{path}: English or code words in text the site composes: {latin:?}");
    }
}

#[test]
fn chart_labels_never_break_inside_a_term() {
    let inp = inputs();
    let org = &inp.data.plan.data.organization;
    let breaker = inp.config.keep_together(std::iter::once(org.name.clone()).chain(org.short.clone()));
    assert!(breaker.terms().iter().any(|t| t == "กสม."), "the organisation's short name is a term");
    let mut lines_seen = 0;
    for (path, html) in html_pages(default_site()) {
        for svg in html.split("<svg").skip(1) {
            let svg = svg.split("</svg>").next().unwrap();
            // Consecutive <text> elements: where a label wrapped, a term must
            // not run across the junction.
            let texts: Vec<String> = svg
                .split("<text")
                .skip(1)
                .map(|t| text(&format!("<x{}", t.split("</text>").next().unwrap())))
                .collect();
            lines_seen += texts.len();
            for pair in texts.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                let joined = format!("{a}{b}");
                // A term wider than both lines could not have stayed whole.
                let widest = prongsai::thai::text_width_em(a).max(prongsai::thai::text_width_em(b));
                for term in breaker.terms().iter().filter(|t| prongsai::thai::text_width_em(t) <= widest) {
                    for (at, _) in joined.match_indices(term.as_str()) {
                        assert!(
                            !(at < a.len() && a.len() < at + term.len()),
                            "{path}: “{term}” broken across chart lines “{a}” / “{b}”"
                        );
                    }
                }
            }
        }
    }
    assert!(lines_seen > 500, "the charts have their labels ({lines_seen} lines)");
}
