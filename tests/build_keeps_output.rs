//! A failed build leaves the previous output exactly as it was: every file
//! byte for byte, nothing added, and no temporary folder left beside it.

mod common;
mod sites;

use common::snapshot;

use std::path::Path;
use std::process::Command;

fn build(root: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .expect("the binary runs");
    (o.status.code().expect("exited"), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// What sits beside the output folder, apart from the output itself.
fn beside(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != name)
        .map(|n| n.to_string_lossy().into_owned())
        .collect()
}

fn failed_build_keeps(break_site: impl Fn(&Path)) {
    let site = sites::site(None);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    let (code, err) = build(site.path(), &out);
    assert_eq!(code, 0, "the base site builds: {err}");
    let before = snapshot(&out);
    assert!(before.contains_key("index.html") && before.len() > 10, "{:?}", before.keys());
    assert!(beside(&out).is_empty(), "{:?}", beside(&out));

    break_site(site.path());
    let (code, err) = build(site.path(), &out);
    assert_eq!(code, 1, "the broken site must not build: {err}");
    assert!(err.contains("ไม่ได้สร้างเว็บไซต์"), "{err}");

    let after = snapshot(&out);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "the file list changed");
    for (path, bytes) in &before {
        assert!(&after[path] == bytes, "{path} changed");
    }
    assert!(beside(&out).is_empty(), "left beside the output: {:?}", beside(&out));
}

#[test]
fn broken_content_leaves_previous_output_byte_identical() {
    failed_build_keeps(|site| sites::apply("22-count-above-total", site));
}

/// A template that compiles but fails while rendering: the build stops after
/// `check` passed, which is later than content errors.
#[test]
fn render_failure_leaves_previous_output_byte_identical() {
    failed_build_keeps(|site| {
        let templates = site.join("templates");
        std::fs::create_dir_all(&templates).unwrap();
        let page = std::fs::read_to_string(site.join("themes/default/templates/page.html")).unwrap();
        let failing =
            page.replace("<h1>{{ page.title }}</h1>", "<h1>{{ page.title }}</h1>{{ page.title.no_such_thing.deeper }}");
        assert_ne!(page, failing, "page.html changed: update this test");
        std::fs::write(templates.join("page.html"), failing).unwrap();
    });
}

#[test]
fn missing_site_file_leaves_previous_output_byte_identical() {
    failed_build_keeps(|site| std::fs::remove_file(site.join("content/site.toml")).unwrap());
}
