//! Every address of the site, in one place. Paths are root-relative and
//! `/`-separated: a page is a directory ending in `/` ("strategies/1/"), a
//! file is its name ("data/indicators.csv"). Templates make them relative to
//! the page being rendered (`url()`), so the site works under any subpath and
//! from disk.
//!
//! Ids go into paths as they are: the schemas allow only ASCII letters,
//! digits, `.`, `-` and `_` in ids (and a letter or digit first, so never
//! `..`), which need no percent-encoding. Source documents are named by a
//! slug that keeps Thai letters (browsers show them as written).

/// The overview.
pub const HOME: &str = "";
/// The list of strategies.
pub const STRATEGIES: &str = "strategies/";
/// Every indicator.
pub const INDICATORS: &str = "indicators/";
/// The annual reports.
pub const YEARS: &str = "years/";
/// Folder of the source documents' pages.
pub const SOURCES: &str = "sources/";
/// Folder of the open data.
pub const DATA: &str = "data/";
/// The whole dataset as JSON.
pub const DATA_JSON: &str = "data/prongsai.json";
/// One CSV row per indicator and fiscal year.
pub const DATA_CSV: &str = "data/indicators.csv";
/// For search engines, when the site knows its address.
pub const SITEMAP: &str = "sitemap.xml";
/// Served for any missing address, at any depth.
pub const NOT_FOUND: &str = "404.html";
/// The Atom feed of updates.
pub const FEED: &str = "atom.xml";
/// The search page.
pub const SEARCH: &str = "search/";
/// The search index and Pagefind's script (written by Pagefind).
pub const PAGEFIND: &str = "pagefind/";
/// Folder of the charts' downloads (SVG, PNG, CSV).
pub const CHARTS: &str = "charts/";
/// Folder of the charts' embed pages.
pub const EMBED: &str = "embed/";
/// Folder of the pages' share images.
pub const SHARE: &str = "share/";

/// The pages listing what the site generates, and the folders that hold
/// generated pages and files: a Markdown page may not take one of these
/// addresses, nor a static file a path under the generated folders.
pub const LISTS: [&str; 11] =
    [HOME, STRATEGIES, INDICATORS, YEARS, DATA, SOURCES, SEARCH, PAGEFIND, CHARTS, EMBED, SHARE];

/// The folders whose every file the build writes itself.
pub const GENERATED_DIRS: [&str; 4] = [PAGEFIND, CHARTS, EMBED, SHARE];

/// A chart's download, by its key and extension: ("indicators/3-1.1", "svg")
/// → "charts/indicators/3-1.1.svg".
pub fn chart_file(key: &str, ext: &str) -> String {
    format!("{CHARTS}{key}.{ext}")
}

/// A chart's embed page.
pub fn embed(key: &str) -> String {
    format!("{EMBED}{key}/")
}

/// A page's share image: "indicators/3-1.1/" → "share/indicators/3-1.1/card.png".
pub fn share_image(page: &str) -> String {
    format!("{SHARE}{page}card.png")
}

/// A strategy's page.
pub fn strategy(id: &str) -> String {
    format!("{STRATEGIES}{id}/")
}

/// An indicator's page.
pub fn indicator(id: &str) -> String {
    format!("{INDICATORS}{id}/")
}

/// A fiscal year's report.
pub fn year(year: i32) -> String {
    format!("{YEARS}{year}/")
}

/// One strategy's section of a fiscal year's report, on its own page when the
/// report is too long for one (see `model::MAX_ROWS_PER_PAGE`).
pub fn year_strategy(year: i32, strategy: &str) -> String {
    format!("{YEARS}{year}/{STRATEGIES}{strategy}/")
}

/// A source document's page.
pub fn source(slug: &str) -> String {
    format!("{SOURCES}{slug}/")
}

/// A line of a source document's page.
pub fn source_line(page: &str, line: u32) -> String {
    format!("{page}#L{line}")
}

/// From a page (or file) to the site root: "" for the overview, "../" per
/// folder otherwise ("indicators/3-1.1/" → "../../").
pub fn to_root(path: &str) -> String {
    up(depth(path))
}

/// From a page `depth` folders deep to the site root.
pub fn up(depth: usize) -> String {
    "../".repeat(depth)
}

/// How many folders deep a path is.
pub fn depth(path: &str) -> usize {
    path.matches('/').count()
}

/// The file a page is written to: "strategies/1/" → "strategies/1/index.html".
pub fn file(path: &str) -> String {
    format!("{path}index.html")
}

/// The page a written file is, for the sitemap: "strategies/1/index.html" →
/// "strategies/1/"; other files are not pages.
pub fn page_of_file(file: &str) -> Option<&str> {
    file.strip_suffix("index.html").filter(|p| p.is_empty() || p.ends_with('/'))
}

/// The path part of the base URL: "https://x.go.th/nhrc/" → "/nhrc/". Pages
/// that are served at any depth (404.html) link from it.
pub fn base_path(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
    let rest = if base_url.starts_with('/') { base_url.trim_start_matches('/') } else { rest };
    let p = rest.trim_matches('/');
    if p.is_empty() { "/".into() } else { format!("/{p}/") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_root_climbs_one_folder_per_level() {
        assert_eq!(to_root(HOME), "");
        assert_eq!(to_root(STRATEGIES), "../");
        assert_eq!(to_root(&strategy("1")), "../../");
        assert_eq!(to_root(&indicator("3-1.1")), "../../");
        assert_eq!(to_root(&year(2566)), "../../");
        assert_eq!(to_root("years/2566/analysis/"), "../../../");
        assert_eq!(to_root(&year_strategy(2566, "1")), "../../../../");
        assert_eq!(to_root(DATA_CSV), "../");
        assert_eq!(to_root("style.css"), "");
        assert_eq!(to_root(NOT_FOUND), "");
    }

    #[test]
    fn pages_and_their_files() {
        assert_eq!(strategy("1"), "strategies/1/");
        assert_eq!(indicator("3-1.1"), "indicators/3-1.1/");
        assert_eq!(year(2566), "years/2566/");
        assert_eq!(year_strategy(2566, "2"), "years/2566/strategies/2/");
        assert_eq!(source("000_ad9f"), "sources/000_ad9f/");
        assert_eq!(source_line("sources/a/", 304), "sources/a/#L304");
        assert_eq!(file(HOME), "index.html");
        assert_eq!(file(&strategy("1")), "strategies/1/index.html");
        assert_eq!(page_of_file("index.html"), Some(""));
        assert_eq!(page_of_file("strategies/1/index.html"), Some("strategies/1/"));
        assert_eq!(page_of_file("data/indicators.csv"), None);
        assert_eq!(page_of_file("notindex.html"), None);
    }

    #[test]
    fn ids_the_schema_allows_need_no_percent_encoding() {
        // Letters, digits, '.', '-' and '_' are unreserved in URLs (RFC 3986),
        // so the path is the address as written.
        for id in ["1", "3-1.1", "A_b.c-D", "x..y", "2566"] {
            for path in [strategy(id), indicator(id)] {
                assert!(
                    path.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b)),
                    "{path} needs encoding"
                );
                assert_eq!(depth(&path), 2, "{path}: an id never adds a folder");
            }
        }
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("https://example.go.th/"), "/");
        assert_eq!(base_path("https://example.go.th/nhrc/"), "/nhrc/");
        assert_eq!(base_path("https://example.go.th/a/b"), "/a/b/");
        assert_eq!(base_path("/nhrc/"), "/nhrc/");
    }
}
