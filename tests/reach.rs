//! What helps the default site travel (issue 9): the Atom feed, the sitemap,
//! share cards (Open Graph tags and their PNGs), chart downloads and embed
//! pages, the search index, and turning each of them off in `site.toml`.
//! Search itself is tested in a real browser: tests/browser/search.test.mjs.

mod common;

use common::*;
use prongsai::site::{self, Options, Site};
use std::collections::{BTreeMap, BTreeSet};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// A chart's embed page, in either language.
fn is_embed(path: &str) -> bool {
    path.trim_start_matches("en/").starts_with("embed/")
}

fn built_with(dir: &std::path::Path, base_url: Option<&str>) -> Site {
    let options = Options { base_url: base_url.map(String::from), ..common::cached() };
    site::build(dir, &options).unwrap_or_else(|f| panic!("{:?}", f.findings()))
}

fn with_base() -> &'static Site {
    static SITE: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
    SITE.get_or_init(|| built_with(&repo(), Some("https://example.go.th/nhrc/")))
}

/// Every HTML page a reader comes to: not the 404 page, not embeds.
fn reader_pages(site: &Site) -> Vec<&str> {
    site.files.keys().map(String::as_str).filter(|p| p.ends_with("index.html") && !is_embed(p)).collect()
}

fn attr<'a>(html: &'a str, property: &str) -> Option<&'a str> {
    let key = format!("<meta property=\"{property}\" content=\"");
    let start = html.find(&key)? + key.len();
    Some(&html[start..start + html[start..].find('"')?])
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    (u32::from_be_bytes(bytes[16..20].try_into().unwrap()), u32::from_be_bytes(bytes[20..24].try_into().unwrap()))
}

/// An RFC 3339 date-time as the feed writes it.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 25
        && [4, 7].iter().all(|&i| b[i] == b'-')
        && b[10] == b'T'
        && [13, 16, 22].iter().all(|&i| b[i] == b':')
        && (b[19] == b'+' || b[19] == b'-')
        && s.chars().enumerate().all(|(i, c)| [4, 7, 10, 13, 16, 19, 22].contains(&i) || c.is_ascii_digit())
}

/// The feed checked against RFC 4287's rules with an XML parser: the Atom
/// namespace, exactly one id, title and updated per feed and entry, an
/// author, RFC 3339 dates, unique ids, an alternate link per entry. Returns
/// (entry id, link) pairs.
fn check_atom(xml: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    fn children<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
        n.children().filter(|c| c.is_element() && c.tag_name().name() == name).collect()
    }
    let one = |n: roxmltree::Node<'_, '_>, name: &str| {
        let found = children(n, name);
        assert_eq!(found.len(), 1, "exactly one <{name}> in <{}>", n.tag_name().name());
        found[0].text().unwrap_or_default().to_string()
    };
    for name in ["id", "title", "updated"] {
        assert!(!one(feed, name).is_empty());
    }
    assert!(is_rfc3339(&one(feed, "updated")));
    assert_eq!(children(feed, "author").len(), 1);
    assert!(children(feed, "link").iter().any(|l| l.attribute("rel") == Some("self")));
    let mut out = Vec::new();
    for entry in children(feed, "entry") {
        let id = one(entry, "id");
        assert!(id.starts_with("https://") || id.starts_with("urn:uuid:"), "an absolute IRI: {id}");
        assert!(!one(entry, "title").is_empty());
        assert!(is_rfc3339(&one(entry, "updated")), "{id}");
        let link = children(entry, "link")
            .into_iter()
            .find(|l| l.attribute("rel") == Some("alternate"))
            .and_then(|l| l.attribute("href"))
            .expect("an alternate link")
            .to_string();
        out.push((id, link));
    }
    let ids: BTreeSet<&String> = out.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), out.len(), "entry ids are unique");
    out
}

#[test]
fn the_feed_is_valid_atom_with_the_year_and_its_pages() {
    let site = default_site();
    let xml = std::str::from_utf8(&site.files["atom.xml"]).unwrap();
    let entries = check_atom(xml);
    let links: Vec<&str> = entries.iter().map(|(_, l)| l.as_str()).collect();
    // The year's results, then the year's narrative pages (all dated by the
    // year: the results file gives no date, so its fiscal year's last day).
    assert_eq!(links[0], "years/2566/", "{links:?}");
    for page in ["years/2566/analysis/", "years/2566/policy/", "years/2566/problems/", "years/2566/recommendations/"] {
        assert!(links.contains(&page), "{page} in {links:?}");
    }
    for link in &links {
        assert!(site.files.contains_key(&format!("{link}index.html")), "{link} is a page");
    }
    assert!(xml.contains("<updated>2023-09-30T00:00:00+07:00</updated>"));
    // Linked from every page.
    for path in reader_pages(site) {
        let html = page(site, path);
        assert!(
            html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
            "{path} does not link the feed"
        );
    }
}

#[test]
fn with_an_address_the_feed_uses_it_for_ids_and_links() {
    let xml = std::str::from_utf8(&with_base().files["atom.xml"]).unwrap();
    assert!(xml.contains("xml:base=\"https://example.go.th/nhrc/\""));
    let entries = check_atom(xml);
    assert!(entries.iter().any(|(id, _)| id == "https://example.go.th/nhrc/years/2566/"));
}

#[test]
fn dates_in_results_and_front_matter_date_the_feed_and_bad_ones_are_findings() {
    let dir = default_site_copy();
    let results = dir.path().join("content/results/2566.json");
    let text = std::fs::read_to_string(&results).unwrap();
    std::fs::write(&results, text.replacen("\"year\": 2566,", "\"year\": 2566,\n  \"published\": \"2567-01-15\",", 1))
        .unwrap();
    let page = dir.path().join("content/pages/years/2566/problems.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("+++\n", "+++\ndate = \"2567-02-01\"\n", 1)).unwrap();
    let site = built_with(dir.path(), None);
    let xml = std::str::from_utf8(&site.files["atom.xml"]).unwrap();
    let entries = check_atom(xml);
    assert_eq!(entries[0].1, "years/2566/problems/", "the newest first");
    assert_eq!(entries[1].1, "years/2566/");
    assert!(xml.contains("<updated>2024-02-01T00:00:00+07:00</updated>"));
    assert!(xml.contains("<published>2024-01-15T00:00:00+07:00</published>"));

    std::fs::write(&page, text.replacen("+++\n", "+++\ndate = \"2024-02-01\"\n", 1)).unwrap();
    let f = site::build(dir.path(), &Options::default()).unwrap_err();
    let f = f.findings().iter().find(|f| f.kind == prongsai::diagnostic::Kind::InvalidValue).expect("a finding");
    assert_eq!(f.file, "content/pages/years/2566/problems.md");
    assert!(f.message.contains("2024-02-01") && f.message.contains("ค.ศ."), "{}", f.message);
}

#[test]
fn adding_a_year_keeps_every_permalink() {
    // A second year of results (2567, a copy of 2566 with its year): every
    // feed entry, chart download and embed of the one-year site is still
    // there at the same address, with the same id.
    let dir = default_site_copy();
    let before = built_with(dir.path(), Some("https://example.go.th/nhrc/"));
    let text = std::fs::read_to_string(dir.path().join("content/results/2566.json")).unwrap();
    let next = text.replacen("\"year\": 2566", "\"year\": 2567", 1);
    std::fs::write(dir.path().join("content/results/2567.json"), next).unwrap();
    let after = built_with(dir.path(), Some("https://example.go.th/nhrc/"));
    let feed = |s: &Site| check_atom(std::str::from_utf8(&s.files["atom.xml"]).unwrap());
    let (old, new) = (feed(&before), feed(&after));
    for entry in &old {
        assert!(new.contains(entry), "{entry:?} kept");
    }
    assert!(new.iter().any(|(_, l)| l == "years/2567/"), "the new year is in the feed");
    let kept = |s: &Site| -> BTreeSet<String> {
        s.files.keys().filter(|k| k.starts_with("charts/") || is_embed(k)).cloned().collect()
    };
    let missing: Vec<_> = kept(&before).difference(&kept(&after)).cloned().collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn the_sitemap_lists_every_page_and_no_embed() {
    let site = with_base();
    let xml = std::str::from_utf8(&site.files["sitemap.xml"]).unwrap();
    let doc = roxmltree::Document::parse(xml).unwrap();
    let locs: BTreeSet<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    let pages: BTreeSet<String> = reader_pages(site)
        .iter()
        .map(|p| format!("https://example.go.th/nhrc/{}", p.strip_suffix("index.html").unwrap()))
        .collect();
    let locs: BTreeSet<String> = locs.into_iter().map(String::from).collect();
    assert_eq!(locs, pages);
    assert!(locs.contains("https://example.go.th/nhrc/search/"));
    // Embeds are for other sites' pages, not search engines.
    for (path, bytes) in site.files.iter().filter(|(p, _)| is_embed(p)) {
        assert!(std::str::from_utf8(bytes).unwrap().contains("<meta name=\"robots\" content=\"noindex\">"), "{path}");
    }
}

#[test]
fn every_page_has_share_tags_and_its_card_is_a_1200_by_630_png() {
    let site = with_base();
    for path in reader_pages(site) {
        let html = page(site, path);
        let title = attr(&html, "og:title").unwrap_or_else(|| panic!("{path}: no og:title"));
        assert!(!title.is_empty());
        let url = attr(&html, "og:url").unwrap_or_else(|| panic!("{path}: no og:url"));
        assert_eq!(url, format!("https://example.go.th/nhrc/{}", path.strip_suffix("index.html").unwrap()));
        let image = attr(&html, "og:image").unwrap_or_else(|| panic!("{path}: no og:image"));
        let file = image.strip_prefix("https://example.go.th/nhrc/").unwrap_or_else(|| panic!("{path}: {image}"));
        let png = site.files.get(file).unwrap_or_else(|| panic!("{path}: {file} missing"));
        assert_eq!(png_size(png), (1200, 630), "{file}");
        assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"), "{path}");
    }
    // Pages with a chart get a card of their own.
    for path in ["", "strategies/3/", "indicators/3-1.1/", "years/2566/"] {
        let html = page(site, &format!("{path}index.html"));
        assert_eq!(attr(&html, "og:image"), Some(format!("https://example.go.th/nhrc/share/{path}card.png").as_str()));
    }
}

#[test]
fn without_an_address_share_images_are_linked_relatively() {
    let html = page(default_site(), "indicators/3-1.1/index.html");
    assert_eq!(attr(&html, "og:image"), Some("../../share/indicators/3-1.1/card.png"));
    assert!(attr(&html, "og:url").is_none());
}

#[test]
fn every_chart_has_its_downloads_and_embed_page_linked() {
    let site = default_site();
    let mut charts = BTreeMap::new();
    for path in reader_pages(site) {
        let html = page(site, path);
        for (i, _) in html.match_indices("<figure class=\"chart-figure\"") {
            let figure = &html[i..i + html[i..].find("</figure>").unwrap()];
            let tools =
                &figure[figure.find("<div class=\"chart-tools\"").unwrap_or_else(|| panic!("{path}: no tools"))..];
            let hrefs: Vec<String> = tools
                .split("href=\"")
                .skip(1)
                .filter_map(|rest| resolve(path, &rest[..rest.find('"').unwrap()]))
                .collect();
            assert_eq!(hrefs.len(), 4, "{path}: {hrefs:?}");
            for h in &hrefs {
                assert!(site.files.contains_key(h), "{path} links {h}, which is missing");
            }
            charts.insert(hrefs[0].clone(), hrefs);
        }
    }
    // 19 indicators, 4 strategies × 1 year, the year's progress and map; in
    // Thai and in English (`charts/en/…`, drawn with the English labels).
    assert_eq!(charts.len(), (19 + 4 + 2) * 2, "{:?}", charts.keys());
    assert_eq!(charts.keys().filter(|k| k.starts_with("charts/en/")).count(), 19 + 4 + 2);
    let en = std::str::from_utf8(&site.files["charts/en/indicators/3-1.1.svg"]).unwrap();
    assert!(en.contains("End-of-plan target") && !en.contains("ค่าเป้าหมาย"), "the English chart is English");
    for hrefs in charts.values() {
        let [svg, png, csv, embed] = [&hrefs[0], &hrefs[1], &hrefs[2], &hrefs[3]];
        let svg = std::str::from_utf8(&site.files[svg]).unwrap();
        assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg"));
        roxmltree::Document::parse(svg).expect("a chart's SVG is well-formed XML");
        assert_eq!(png_size(&site.files[png]).0, 1200);
        let csv = &site.files[csv];
        assert_eq!(&csv[..3], b"\xEF\xBB\xBF", "CSV starts with a BOM");
        let rows: Vec<csv::StringRecord> =
            csv::Reader::from_reader(&csv[3..]).records().collect::<Result<_, _>>().expect("valid CSV");
        assert!(!rows.is_empty());
        let embed = std::str::from_utf8(&site.files[embed]).unwrap();
        assert!(embed.contains("role=\"img\"") && embed.contains("target=\"_top\""));
        assert!(!embed.contains("<nav"), "an embed has no navigation");
    }
    let csv = std::str::from_utf8(&site.files["charts/indicators/3-1.1.csv"][3..]).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("2566,60,") && l.contains(",66.36,")), "{csv}");
}

#[test]
fn embed_links_work_under_a_subpath() {
    // Relative links: the embed page of an indicator chart links back up to
    // the page and the stylesheet from its own depth.
    let html = page(with_base(), "embed/indicators/3-1.1/index.html");
    assert!(html.contains("href=\"../../../style.css\""), "{html}");
    assert!(html.contains("href=\"../../../indicators/3-1.1/index.html\" target=\"_top\""));
    let page_html = page(with_base(), "indicators/3-1.1/index.html");
    assert!(page_html.contains("&lt;iframe src=\"https://example.go.th/nhrc/embed/indicators/3-1.1/\""));
}

#[test]
fn the_search_index_holds_the_content_pages() {
    let site = default_site();
    let entry: serde_json::Value = serde_json::from_slice(&site.files["pagefind/pagefind-entry.json"]).unwrap();
    let th = &entry["languages"]["th"];
    // Every page with data-pagefind-body: all but the lists, the source
    // document, the search page itself, the 404 page and embeds.
    let searchable = reader_pages(site)
        .iter()
        .filter(|p| !p.starts_with("en/") && page(site, p).contains("data-pagefind-body"))
        .count();
    assert_eq!(th["page_count"], searchable, "{entry}");
    // The English pages have an index of their own, searched from their own
    // search page (Pagefind picks it by the page's lang).
    assert_eq!(entry["languages"]["en"]["page_count"], searchable, "{entry}");
    assert_eq!(searchable, 1 + 4 + 19 + 1 + 5, "overview, strategies, indicators, the year, narratives");
    assert!(site.files.contains_key("pagefind/pagefind.js"));
    // Navigation and chart tools are not content.
    let html = page(site, "indicators/3-1.1/index.html");
    assert!(html.contains("<nav class=\"crumbs\" aria-label=\"ตำแหน่งของหน้านี้ในเว็บไซต์\" data-pagefind-ignore>"));
    assert!(html.contains("<div class=\"chart-tools\" data-pagefind-ignore>"));
    assert!(html.contains("<span data-pagefind-filter=\"status\">"));
}

#[test]
fn each_output_can_be_turned_off() {
    let dir = default_site_copy();
    let site_toml = dir.path().join("content/site.toml");
    let mut config = std::fs::read_to_string(&site_toml).unwrap();
    config.push_str(
        "\n[outputs]\nsearch = false\nshare_images = false\nchart_downloads = false\nembeds = false\nfeed = false\n",
    );
    std::fs::write(&site_toml, config).unwrap();
    let site = built_with(dir.path(), None);
    let extra: Vec<&String> = site
        .files
        .keys()
        .filter(|k| {
            ["pagefind/", "charts/", "embed/", "share/", "search/"]
                .iter()
                .any(|d| k.trim_start_matches("en/").starts_with(d))
        })
        .collect();
    assert!(extra.is_empty(), "{extra:?}");
    assert!(!site.files.contains_key("atom.xml"));
    for path in reader_pages(&site) {
        let html = page(&site, path);
        for absent in ["og:image", "atom+xml", "site.js", "chart-tools", "data-pagefind", "site-search"] {
            assert!(!html.contains(absent), "{path} has {absent}");
        }
        assert!(html.contains("og:title"), "{path}: share tags stay");
    }
}

#[test]
fn a_theme_without_fonts_is_an_error_unless_pngs_are_off() {
    let dir = default_site_copy();
    std::fs::remove_dir_all(dir.path().join("themes/default/fonts")).unwrap();
    let f = site::build(dir.path(), &Options::default()).unwrap_err();
    let f = &f.findings()[0];
    assert_eq!(f.file, "themes/default/fonts");
    assert!(f.message.contains("แบบอักษร"), "{}", f.message);
    assert!(f.help.as_deref().unwrap_or_default().contains("share_images = false"));
    let site_toml = dir.path().join("content/site.toml");
    let mut config = std::fs::read_to_string(&site_toml).unwrap();
    config.push_str("\n[outputs]\nshare_images = false\nchart_downloads = false\n");
    std::fs::write(&site_toml, config).unwrap();
    built_with(dir.path(), None);
}

#[test]
fn a_build_through_the_cache_is_byte_identical_to_one_without() {
    let dir = default_site_copy();
    let cached = Options { cache: true, ..Options::default() };
    let first = site::build(dir.path(), &cached).unwrap_or_else(|f| panic!("{:?}", f.findings()));
    let cache = dir.path().join(prongsai::cache::DIR);
    assert!(cache.join("png").is_dir() && cache.join("search").is_dir(), "PNGs and the index were kept");
    let second = site::build(dir.path(), &cached).unwrap();
    assert!(first.files == second.files, "a warm build differs from a cold one");
    assert!(first.files == default_site().files, "a build through the cache differs from one without");
}

#[test]
fn hostile_text_stays_text_in_the_feed_cards_downloads_and_embeds() {
    let dir = fixture_site("hostile-site");
    let site = built_with(dir.path(), None);
    check_atom(std::str::from_utf8(&site.files["atom.xml"]).unwrap());
    for (path, bytes) in &site.files {
        if is_embed(path) {
            let html = without_site_script(std::str::from_utf8(bytes).unwrap());
            assert!(!html.contains("<script"), "{path}: a <script> got through");
        } else if path.starts_with("charts/") && path.ends_with(".svg") {
            roxmltree::Document::parse(std::str::from_utf8(bytes).unwrap())
                .unwrap_or_else(|e| panic!("{path} is not well-formed: {e}"));
        } else if path.starts_with("charts/") && path.ends_with(".csv") {
            let rows: Result<Vec<csv::StringRecord>, _> = csv::Reader::from_reader(&bytes[3..]).records().collect();
            assert!(rows.is_ok(), "{path}");
        } else if path.starts_with("share/") {
            assert_eq!(png_size(bytes), (1200, 630), "{path}");
        }
    }
    let ind = page(&site, "indicators/1-1.1/index.html");
    let title = attr(&ind, "og:title").unwrap();
    assert!(title.contains("&lt;script&gt;") && !title.contains('<'), "{title}");
}
