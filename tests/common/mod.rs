//! Helpers shared by the whole-site tests: building sites, reading their pages
//! as text, and finding their links.
#![allow(dead_code)]

use prongsai::site::{self, Options, Site};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default site (the repository root), built once per test binary.
pub fn default_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| match site::build(&repo(), &cached()) {
        Ok(s) => s,
        Err(f) => {
            panic!("the default site must build:\n{}", f.findings().iter().map(|x| x.to_string()).collect::<String>())
        }
    })
}

/// Build options with a cache of PNGs and search indexes shared by every
/// test binary of a run (in Cargo's temporary folder for tests, never in the
/// repository): drawing the default site's images in each binary would take
/// minutes, and a cached file is byte-identical to a fresh one (tested in
/// tests/reach.rs).
pub fn cached() -> Options {
    Options {
        cache: true,
        cache_dir: Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("prongsai-cache")),
        ..Options::default()
    }
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    copy_tree(from, to, &[]);
}

/// Copies every file under `from` into `to`, keeping relative paths, except
/// the relative paths in `skip`.
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walkable tree");
        let rel = entry.path().strip_prefix(from).expect("under the root");
        if entry.file_type().is_dir() || skip.iter().any(|s| rel == Path::new(s)) {
            continue;
        }
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("a file has a parent")).expect("create folder");
        std::fs::copy(entry.path(), &dest).unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
    }
}

/// A copy of the default site's inputs (content, themes, seeds) in a temporary folder.
pub fn default_site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for sub in ["content", "themes", "seeds"] {
        copy_dir(&repo().join(sub), &dir.path().join(sub));
    }
    dir
}

/// A fixture site from `tests/fixtures/<name>` in a temporary folder, with
/// the repository's default theme (so fixtures never hold a stale theme).
pub fn fixture_site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    copy_dir(&repo().join("themes/default"), &dir.path().join("themes/default"));
    dir
}

/// Every file under `dir` (links not followed), by relative path, with its
/// bytes: to show that a command changed nothing.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable tree"))
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

pub fn page(site: &Site, path: &str) -> String {
    String::from_utf8(site.files.get(path).unwrap_or_else(|| panic!("no {path} in the site")).clone()).unwrap()
}

/// The HTML pages of a site.
pub fn html_pages(site: &Site) -> BTreeMap<&str, String> {
    site.files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), String::from_utf8(b.clone()).unwrap()))
        .collect()
}

/// Reads the visible text of HTML: tags removed, entities decoded, white
/// space folded. Text inside inline SVG (chart labels) counts as visible.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with Thai digits turned into ASCII and all spaces removed: for
/// comparing wording regardless of how lines wrapped in the source.
pub fn squash(s: &str) -> String {
    prongsai::thai::to_arabic_digits(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every `href="…"` and `src="…"` value in a page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(0);
            out.push(rest[..end].replace("&amp;", "&").replace("&#x2f;", "/"));
            rest = &rest[end..];
        }
    }
    out
}

/// A page without the site's own script (`site.js`: search, and the address
/// in embed codes), the one script a page may load; nothing else needs it.
pub fn without_site_script(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<script src=\"") {
        let end = rest[i..].find("</script>").map_or(rest.len(), |e| i + e + "</script>".len());
        let tag = &rest[i..end];
        out.push_str(&rest[..i]);
        if !(tag.ends_with("site.js\" defer></script>") && tag.matches('"').count() == 2) {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Every `id="…"` in a page.
pub fn ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let end = rest.find('"').unwrap_or(0);
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// Resolves a relative link from the page at `from` (a site path like
/// "strategies/1/index.html") to a site path, or None if it leaves the site.
pub fn resolve(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if link.ends_with('/') || link.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}
