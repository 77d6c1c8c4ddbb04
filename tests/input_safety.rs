//! Inputs stay inside the site and nothing is skipped silently: symbolic
//! links that leave the site, link loops and file names that are not UTF-8
//! are findings that name the file, and the build refuses to publish. These
//! cases need links and raw file names, so the tests make them at run time.
#![cfg(unix)]

mod common;
mod sites;

use prongsai::diagnostic::Finding;
use prongsai::site::{self, Options};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::Path;

fn findings(root: &Path) -> Vec<Finding> {
    site::check(root, &Options::default()).1
}

fn kinds(findings: &[Finding]) -> Vec<(&'static str, String)> {
    findings.iter().map(|f| (f.kind.code(), f.file.clone())).collect()
}

/// A file outside the site that must never reach its output.
fn secret() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    std::fs::write(&path, "SECRET-OUTSIDE-THE-SITE\n").unwrap();
    (dir, path)
}

#[test]
fn a_source_document_linked_from_outside_is_refused_and_not_published() {
    let site = sites::site(None);
    let (_keep, secret) = secret();
    std::fs::remove_file(site.path().join("seeds/doc.txt")).unwrap();
    symlink(&secret, site.path().join("seeds/doc.txt")).unwrap();
    let found = findings(site.path());
    assert_eq!(kinds(&found), [("outside-site", "seeds/doc.txt".to_string())], "{found:#?}");
    assert!(found[0].message.contains(&secret.display().to_string()), "names the target: {}", found[0].message);
    let failure = site::build(site.path(), &Options::default()).expect_err("must not build");
    assert!(failure.findings().iter().any(|f| f.kind.code() == "outside-site"));
}

#[test]
fn links_out_of_every_input_folder_are_refused() {
    let (_keep, secret) = secret();
    let outside_dir = tempfile::tempdir().unwrap();
    std::fs::write(outside_dir.path().join("leak.css"), "body{}").unwrap();
    // (what is linked, how, what the finding names)
    type Case<'a> = (&'a str, &'a dyn Fn(&Path), &'a str);
    let cases: [Case; 5] = [
        ("a page", &|root| symlink(&secret, root.join("content/pages/leak.md")).unwrap(), "content/pages/leak.md"),
        (
            "a results file",
            &|root| symlink(&secret, root.join("content/results/2567.json")).unwrap(),
            "content/results/2567.json",
        ),
        ("the site's static folder", &|root| symlink(outside_dir.path(), root.join("static")).unwrap(), "static"),
        (
            "a theme template",
            &|root| symlink(&secret, root.join("themes/default/templates/_leak.html")).unwrap(),
            "themes/default/templates/_leak.html",
        ),
        (
            "the site configuration",
            &|root| {
                std::fs::remove_file(root.join("content/site.toml")).unwrap();
                symlink(&secret, root.join("content/site.toml")).unwrap()
            },
            "content/site.toml",
        ),
    ];
    for (what, make, file) in cases {
        let site = sites::site(None);
        make(site.path());
        let found = findings(site.path());
        assert!(
            found.iter().any(|f| f.kind.code() == "outside-site" && f.file == file),
            "{what}: expected outside-site at {file}, got {:?}",
            kinds(&found)
        );
        assert!(found.iter().all(|f| !f.message.contains("SECRET")), "{what}: the secret leaked into a message");
    }
}

#[test]
fn links_that_stay_inside_the_site_are_followed() {
    let site = sites::site(None);
    let root = site.path();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::rename(root.join("content/pages/about.md"), root.join("shared/about.md")).unwrap();
    symlink("../../shared/about.md", root.join("content/pages/about.md")).unwrap();
    assert_eq!(kinds(&findings(root)), []);
    let built = site::build(root, &Options::default()).expect("builds");
    assert!(built.files.contains_key("about/index.html"));
}

#[test]
fn a_theme_may_be_a_link_to_a_shared_copy() {
    let site = sites::site(None);
    let shared = tempfile::tempdir().unwrap();
    let theme = shared.path().join("default");
    std::fs::rename(site.path().join("themes/default"), &theme).unwrap();
    symlink(&theme, site.path().join("themes/default")).unwrap();
    assert_eq!(kinds(&findings(site.path())), []);
    // …but a file inside it that leads elsewhere is still refused.
    let (_keep, secret) = secret();
    symlink(&secret, theme.join("static/leak.txt")).unwrap();
    assert_eq!(kinds(&findings(site.path())), [("outside-site", "themes/default/static/leak.txt".to_string())]);
}

#[test]
fn a_link_loop_is_reported_once_and_not_followed() {
    let site = sites::site(None);
    symlink("..", site.path().join("content/pages/years/again")).unwrap();
    let found = findings(site.path());
    assert_eq!(kinds(&found), [("link-loop", "content/pages/years/again".to_string())], "{found:#?}");
}

#[test]
fn a_name_that_is_not_utf8_is_an_error_naming_the_folder() {
    let site = sites::site(None);
    // "ผลงาน.md" saved by a tool that writes names in TIS-620.
    let name = OsStr::from_bytes(b"\xBC\xC5\xA7\xD2\xB9.md");
    std::fs::copy(site.path().join("content/pages/about.md"), site.path().join("content/pages").join(name)).unwrap();
    let found = findings(site.path());
    assert_eq!(kinds(&found), [("file-name", "content/pages".to_string())], "{found:#?}");
    let f = &found[0];
    assert!(f.message.contains("BC C5 A7 D2 B9"), "shows the bytes: {}", f.message);
    assert!(f.message.contains("ผลงาน.md"), "reads it as TIS-620: {}", f.message);
    assert!(f.help.as_deref().unwrap_or("").contains("convmv"), "says how to rename: {:?}", f.help);
}

#[test]
fn a_folder_name_that_is_not_utf8_is_reported_once() {
    let site = sites::site(None);
    let dir = site.path().join("static").join(OsStr::from_bytes(b"\xC3\xD9\xBB"));
    std::fs::create_dir_all(&dir).unwrap();
    for n in ["a.png", "b.png"] {
        std::fs::write(dir.join(n), "x").unwrap();
    }
    let found = findings(site.path());
    assert_eq!(kinds(&found), [("file-name", "static".to_string())], "{found:#?}");
    assert!(found[0].message.contains("โฟลเดอร์"), "{}", found[0].message);
}

#[test]
fn a_dangling_link_is_reported_not_skipped() {
    let site = sites::site(None);
    symlink("nowhere.md", site.path().join("content/pages/gone.md")).unwrap();
    let found = findings(site.path());
    assert_eq!(kinds(&found), [("io", "content/pages/gone.md".to_string())], "{found:#?}");
    // An editor's lock file (Emacs makes `.#name` links to nowhere) is not content.
    let site = sites::site(None);
    symlink("user@host.123", site.path().join("content/pages/.#about.md")).unwrap();
    assert_eq!(kinds(&findings(site.path())), []);
}
