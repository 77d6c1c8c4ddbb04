//! The English mirror (issue 12): every Thai page has its English
//! counterpart under `en/` and back, the switcher and `hreflang` alternates
//! resolve, the English indicator pages carry every figure of the Thai ones,
//! Thai on an English page is always marked `lang="th"`, untranslated texts
//! fall back to Thai with a warning, and a site of one language builds as if
//! languages did not exist.

mod common;

use common::{default_site, default_site_copy, html_pages, page, text};
use prongsai::site::{self, Options, Site};
use scraper::{Html, Node};
use std::collections::{BTreeMap, BTreeSet};

/// Every page of a site (a folder's index.html) but the one 404 page and
/// the charts' embed pages (a chart alone, for another site's iframe).
fn pages(site: &Site) -> BTreeSet<&str> {
    site.files
        .keys()
        .map(String::as_str)
        .filter(|p| p.ends_with("index.html") && !p.trim_start_matches("en/").starts_with("embed/"))
        .collect()
}

/// `href` (relative to the page at `from`) as a root-relative file path.
fn resolve(from: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let path = parts.join("/");
    if href.ends_with('/') || href.is_empty() {
        format!("{path}/index.html").trim_start_matches('/').to_string()
    } else {
        path
    }
}

/// Each `(attribute value)` of the elements `selector` selects.
fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}

#[test]
fn every_thai_page_has_its_english_counterpart_and_back() {
    let site = default_site();
    let all = pages(site);
    let thai: BTreeSet<&str> = all.iter().copied().filter(|p| !p.starts_with("en/")).collect();
    let english: BTreeSet<String> = all.iter().filter_map(|p| p.strip_prefix("en/")).map(str::to_string).collect();
    assert!(thai.len() > 30, "{thai:?}");
    let thai: BTreeSet<String> = thai.into_iter().map(str::to_string).collect();
    assert_eq!(thai, english, "the same pages in both languages");
    // Nothing else is written twice: the open data, the style sheet, the
    // search index and the 404 page are the site's, not a language's (the
    // feed, share images and chart downloads have English of their own).
    let en_files: Vec<&String> = site.files.keys().filter(|p| p.starts_with("en/")).collect();
    assert!(en_files.iter().all(|p| p.ends_with("index.html") || *p == "en/atom.xml"), "{en_files:?}");
    for (thai, english) in
        [("atom.xml", "en/atom.xml"), ("charts/indicators/3-1.1.csv", "charts/en/indicators/3-1.1.csv")]
    {
        assert!(site.files.contains_key(thai) && site.files.contains_key(english), "{english}");
    }
}

#[test]
fn switcher_links_and_hreflang_alternates_resolve() {
    let site = default_site();
    let pages = pages(site);
    for (path, html) in html_pages(site) {
        if !pages.contains(path) {
            continue;
        }
        let english = path.starts_with("en/");
        let counterpart = if english { path["en/".len()..].to_string() } else { format!("en/{path}") };
        // The switcher: the current language as text, the other as a link to the same page.
        let links = attrs(&html, "nav.languages a", "href");
        assert_eq!(links.len(), 1, "{path}: one other language");
        assert_eq!(resolve(path, &links[0]), counterpart, "{path}: the switcher goes to the same page");
        let current = attrs(&html, "nav.languages [aria-current]", "lang");
        assert_eq!(current, [if english { "en" } else { "th" }], "{path}");
        // hreflang: both languages and x-default (the Thai), each an existing page.
        let alternates: BTreeMap<String, String> = {
            let doc = Html::parse_document(&html);
            let sel = scraper::Selector::parse("link[rel=alternate][hreflang]").unwrap();
            doc.select(&sel)
                .map(|e| (e.value().attr("hreflang").unwrap().into(), e.value().attr("href").unwrap().into()))
                .collect()
        };
        let keys: Vec<&str> = alternates.keys().map(String::as_str).collect();
        assert_eq!(keys, ["en", "th", "x-default"], "{path}");
        let thai_page = if english { counterpart.clone() } else { path.to_string() };
        for (lang, href) in &alternates {
            let target = resolve(path, href);
            assert!(site.files.contains_key(&target), "{path}: hreflang {lang} → {href} ({target}) is not a page");
            let expected = if lang == "en" { format!("en/{thai_page}") } else { thai_page.clone() };
            assert_eq!(target, expected, "{path}: hreflang {lang}");
        }
        if english {
            // The English says it is a translation, and links to the Thai.
            let note = attrs(&html, "p.translation-note a", "href");
            assert_eq!(note.len(), 1, "{path}");
            assert_eq!(resolve(path, &note[0]), counterpart, "{path}");
        }
    }
}

#[test]
fn with_an_address_alternates_and_the_sitemap_are_absolute() {
    let options = Options { base_url: Some("https://example.go.th/nhrc/".into()), ..common::cached() };
    let site = site::build(&common::repo(), &options).expect("builds");
    let html = page(&site, "en/indicators/3-1.1/index.html");
    let hrefs = attrs(&html, "link[rel=alternate][hreflang]", "href");
    assert_eq!(
        hrefs,
        [
            "https://example.go.th/nhrc/indicators/3-1.1/",
            "https://example.go.th/nhrc/en/indicators/3-1.1/",
            "https://example.go.th/nhrc/indicators/3-1.1/"
        ]
    );
    assert_eq!(attrs(&html, "link[rel=canonical]", "href"), ["https://example.go.th/nhrc/en/indicators/3-1.1/"]);
    let sitemap = String::from_utf8(site.files["sitemap.xml"].clone()).unwrap();
    let locs = sitemap.matches("<loc>").count();
    assert_eq!(locs, pages(&site).len(), "every page of both languages");
    assert!(sitemap.contains(
        "<url><loc>https://example.go.th/nhrc/en/strategies/1/</loc>\
         <xhtml:link rel=\"alternate\" hreflang=\"th\" href=\"https://example.go.th/nhrc/strategies/1/\"/>\
         <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.go.th/nhrc/en/strategies/1/\"/>\
         <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.go.th/nhrc/strategies/1/\"/></url>"
    ));
}

/// The numbers of a text, Thai digits read as Arabic ("๖๖.๓๖" → "66.36";
/// "1,234" → "1234").
fn figures(text: &str) -> BTreeSet<String> {
    let text = prongsai::thai::to_arabic_digits(text).replace(',', "");
    let mut out = BTreeSet::new();
    let mut cur = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.insert(cur.trim_end_matches('.').to_string());
            cur.clear();
        }
    }
    out
}

#[test]
fn every_figure_of_a_thai_indicator_page_is_on_its_english_page() {
    let site = default_site();
    let mut checked = 0;
    for path in pages(site).into_iter().filter(|p| p.starts_with("indicators/") && p.matches('/').count() == 2) {
        let thai = figures(&text(&page(site, path)));
        let english = figures(&text(&page(site, &format!("en/{path}"))));
        // A Buddhist-era year is written in the common era in English
        // ("FY2023 (B.E. 2566)" names both, a chart's axis only the first).
        let missing: Vec<&String> = thai
            .iter()
            .filter(|n| !english.contains(*n))
            .filter(|n| {
                let ce = n.parse::<i32>().ok().filter(|y| (2400..2700).contains(y)).map(|y| (y - 543).to_string());
                !ce.is_some_and(|ce| english.contains(&ce))
            })
            .collect();
        assert!(missing.is_empty(), "{path}: figures of the Thai page not on the English one: {missing:?}");
        checked += 1;
    }
    assert_eq!(checked, 19);
}

/// Every text node of `html` with Thai letters whose nearest `lang` is not
/// Thai (what a screen reader would read in the wrong voice).
fn unmarked_thai(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Text(t) = node.value() else { continue };
        if !t.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)) {
            continue;
        }
        let lang = node.ancestors().find_map(|a| a.value().as_element().and_then(|e| e.attr("lang")));
        // `<title>` takes no markup: the page title is the English one.
        let in_title = node.parent().and_then(|p| p.value().as_element().map(|e| e.name() == "title")).unwrap_or(false);
        if lang != Some("th") && !in_title {
            out.push(t.to_string());
        }
    }
    out
}

#[test]
fn thai_on_an_english_page_is_always_marked_as_thai() {
    let site = default_site();
    let mut marked = 0;
    for (path, html) in html_pages(site).into_iter().filter(|(p, _)| p.starts_with("en/")) {
        assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"), "{path}");
        let unmarked = unmarked_thai(&html);
        assert!(unmarked.is_empty(), "{path}: Thai outside lang=\"th\": {unmarked:?}");
        marked += html.matches("lang=\"th\"").count();
    }
    // The quotations of the Thai source and the source document itself are Thai.
    assert!(marked > 0);
    // The default content is translated: outside the source document's own
    // page and the switcher, Thai shows only where a page quotes the source.
    let ind = page(site, "en/indicators/3-1.1/index.html");
    assert!(ind.contains("<span lang=\"th\">ค่าเป้าหมายกำหนดไว้ ร้อยละ ๖๐"), "the quotation is Thai, marked");
    let title_row: Vec<String> = attrs(&ind, "h1", "lang");
    assert!(title_row.is_empty(), "the indicator's name is English");
}

/// The default site with `change` made to its inputs, built.
fn changed_site(change: impl FnOnce(&std::path::Path)) -> (tempfile::TempDir, Result<Site, site::Failure>) {
    let dir = default_site_copy();
    change(dir.path());
    let built = site::build(dir.path(), &common::cached());
    (dir, built)
}

fn edit(path: &std::path::Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let new = f(text.clone());
    assert_ne!(new, text, "{} unchanged", path.display());
    std::fs::write(path, new).unwrap();
}

#[test]
fn an_untranslated_text_shows_in_thai_marked_and_check_names_it() {
    let summary = "ประชาชนกลุ่มเสี่ยงที่มีความรู้";
    let (dir, built) = changed_site(|root| {
        edit(&root.join("content/results/2566.json"), |t| {
            // The English of one summary removed: the map keeps its Thai only.
            let at = t.find(summary).expect("the summary");
            let en = t[at..].find("\"en\": \"").unwrap() + at;
            let end = t[en + 7..].find("\"\n").unwrap() + en + 7;
            let comma = t[..en].rfind(',').unwrap();
            format!("{}{}", &t[..comma], &t[end + 1..])
        });
    });
    let site = built.unwrap_or_else(|f| panic!("{:?}", f.findings()));
    let html = page(&site, "en/indicators/1-2.1/index.html");
    assert!(html.contains(&format!("<span lang=\"th\">{summary}")), "the Thai stands in, marked");
    assert!(unmarked_thai(&html).is_empty());
    let warned: Vec<_> = site
        .warnings
        .iter()
        .filter(|w| w.kind.code() == "missing-translation" && w.file == "content/results/2566.json")
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0].file, "content/results/2566.json");
    assert!(warned[0].line.is_some() && warned[0].message.contains("en"), "{:?}", warned[0]);
    drop(dir);
}

#[test]
fn a_page_without_translation_falls_back_and_a_translation_of_nothing_is_an_error() {
    let (_dir, built) = changed_site(|root| {
        std::fs::remove_file(root.join("content/pages/years/2566/problems.en.md")).ok();
    });
    let site = built.unwrap_or_else(|f| panic!("{:?}", f.findings()));
    let html = page(&site, "en/years/2566/problems/index.html");
    assert!(unmarked_thai(&html).is_empty(), "the Thai page stands in, marked");
    assert!(
        site.warnings.iter().any(|w| w.kind.code() == "missing-translation" && w.file.ends_with("problems.md")),
        "{:?}",
        site.warnings
    );

    let (_dir, built) = changed_site(|root| {
        std::fs::write(root.join("content/pages/years/2566/nothing.en.md"), "+++\ntitle = \"Nothing\"\n+++\nText\n")
            .unwrap();
    });
    let Err(failure) = built else { panic!("a translation of no page stops the build") };
    assert!(failure.findings().iter().any(|f| f.file.ends_with("nothing.en.md") && f.is_error()));
}

/// A page with the parts only a site of several languages has taken out:
/// the alternates in its head and the switcher in its header.
fn without_languages(html: &str) -> String {
    let mut out: String =
        html.split_inclusive('\n').filter(|l| !l.starts_with("<link rel=\"alternate\" hreflang=")).collect();
    if let Some(a) = out.find("\n    <nav class=\"languages\"") {
        let b = out[a..].find("</nav>").map(|b| a + b + "</nav>".len()).expect("the switcher ends");
        out.replace_range(a..b, "");
    }
    out
}

#[test]
fn a_site_of_one_language_has_no_mirror_and_the_same_thai_pages() {
    let one_language = |root: &std::path::Path| {
        edit(&root.join("content/site.toml"), |t| t[..t.find("[languages.en]").unwrap()].to_string());
    };
    // The English pages left behind have nowhere to go: said, not published
    // as Thai pages at /analysis.en/.
    let (_dir, built) = changed_site(one_language);
    let Err(failure) = built else { panic!("translations of a language the site does not have") };
    let files: BTreeSet<&str> = failure.findings().iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files.len(), 10, "{files:?}");
    assert!(files.iter().all(|f| f.ends_with(".en.md")), "{files:?}");
    let (_dir, built) = changed_site(|root| {
        one_language(root);
        for e in walkdir::WalkDir::new(root.join("content/pages")) {
            let e = e.unwrap();
            if e.path().to_string_lossy().ends_with(".en.md") {
                std::fs::remove_file(e.path()).unwrap();
            }
        }
    });
    let one = built.unwrap_or_else(|f| panic!("{:?}", f.findings()));
    assert!(!one.files.keys().any(|p| p.starts_with("en/")), "no /en/");
    assert!(!one.warnings.iter().any(|w| w.kind.code() == "missing-translation"));
    let both = default_site();
    // The English pages and their files, and the search index (which has
    // the English pages too) are what a second language adds.
    let added = |p: &str| ["en/", "charts/en/", "share/en/", "pagefind/"].iter().any(|a| p.starts_with(a));
    let thai: Vec<&String> = both.files.keys().filter(|p| !added(p)).collect();
    let one_files: Vec<&String> = one.files.keys().filter(|p| !p.starts_with("pagefind/")).collect();
    assert_eq!(one_files, thai, "the same files");
    for (path, html) in html_pages(&one) {
        assert!(!html.contains("hreflang") && !html.contains("class=\"languages\""), "{path}");
        if path.ends_with(".html") && path != "404.html" {
            let expected = without_languages(&page(both, path));
            if html != expected {
                let at = html.bytes().zip(expected.bytes()).position(|(a, b)| a != b).unwrap_or(0);
                let from = html.floor_char_boundary(at.saturating_sub(200));
                panic!(
                    "{path} differs at byte {at}:\n{}\n---\n{}",
                    &html[from..html.floor_char_boundary(at + 200)],
                    &expected[expected.floor_char_boundary(from)..expected.floor_char_boundary(at + 200)]
                );
            }
        }
    }
}

#[test]
fn english_findings_write_years_and_dates_in_english() {
    let html = page(default_site(), "en/indicators/1-3.1/index.html");
    assert!(
        html.contains(
            "the date 21 December 2023 (B.E. 2566) is outside fiscal year 2023 (B.E. 2566) \
             (1 October 2022 (B.E. 2565) – 30 September 2023 (B.E. 2566))"
        ),
        "the consistency finding in English"
    );
    // The Thai finding keeps the document's Buddhist-era date.
    assert!(page(default_site(), "indicators/1-3.1/index.html").contains("๒๑ ธันวาคม ๒๕๖๖"));
    let year = page(default_site(), "en/years/2566/index.html");
    assert!(year.contains("FY2023 (B.E. 2566)") && !year.contains("fiscal year 2566"));
}

/// A label that the theme does not have is a typo, whether it is the site's
/// or a language's: an error at its key, naming the closest label.
#[test]
fn an_unknown_label_is_an_error_at_its_key_for_the_site_and_for_a_language() {
    let (_dir, built) = changed_site(|root| {
        edit(&root.join("content/site.toml"), |t| {
            let t = t.replacen("[labels]\n", "[labels]\nnav_overveiw = \"ภาพรวม\"\n", 1);
            format!("{t}\n[languages.en.labels]\nnav_overveiw = \"Overview\"\n")
        });
    });
    let Err(failure) = built else { panic!("an unknown label stops the build") };
    let unknown: Vec<_> = failure.findings().iter().filter(|f| f.kind.code() == "unknown-field").collect();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    let site_toml = std::fs::read_to_string("content/site.toml").unwrap();
    let labels_line = site_toml.lines().position(|l| l == "[labels]").unwrap() as u32 + 2;
    assert_eq!(unknown[0].line, Some(labels_line), "{:?}", unknown[0]);
    assert!(unknown[1].line.is_some_and(|l| l as usize > site_toml.lines().count()), "{:?}", unknown[1]);
    for f in &unknown {
        assert!(f.file == "content/site.toml" && f.is_error(), "{f:?}");
        assert!(f.help.as_deref().is_some_and(|h| h.contains("\"nav_overview\"")), "{f:?}");
    }
}
