//! Sites for the `check` and build tests, assembled in a temporary folder
//! from `tests/fixtures/base-site`, the repository's default theme and one
//! broken fixture's changes.

#![allow(dead_code)] // each test crate uses its own part

pub use crate::common::{copy_tree, repo};
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Every broken fixture, by folder name, sorted.
pub fn broken_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("broken"))
        .expect("tests/fixtures/broken exists")
        .map(|e| e.expect("readable entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Applies a broken fixture to a site folder: its files on top, then the
/// files its `delete.txt` lists removed.
pub fn apply(fixture: &str, site: &Path) {
    let src = fixtures().join("broken").join(fixture);
    assert!(src.is_dir(), "no fixture {fixture}");
    copy_tree(&src, site, &["expect.json", "delete.txt"]);
    if let Ok(list) = std::fs::read_to_string(src.join("delete.txt")) {
        for rel in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let path = site.join(rel);
            assert!(path.exists(), "{fixture}/delete.txt lists {rel}, which the base site does not have");
            if path.is_dir() {
                std::fs::remove_dir_all(&path).expect("remove folder");
            } else {
                std::fs::remove_file(&path).expect("remove file");
            }
        }
    }
}

/// The base site in a temporary folder with the repository's current default
/// theme (so fixtures never hold a stale copy), and a fixture applied.
pub fn site(fixture: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("prongsai-site-").tempdir().expect("temp dir");
    copy_tree(&fixtures().join("base-site"), dir.path(), &[]);
    copy_tree(&repo().join("themes/default"), &dir.path().join("themes/default"), &[]);
    if let Some(name) = fixture {
        apply(name, dir.path());
    }
    dir
}
