//! `prongsai build --out` never replaces the site's sources or someone
//! else's files: each refusal exits 2 with a Thai message, and every file
//! the site had is byte-identical afterwards. Leftovers of a killed build are
//! removed by the next one; folders prongsai did not make are never touched.

mod common;
mod sites;

use common::snapshot;

use std::path::Path;
use std::process::Command;

/// `prongsai build` run from `cwd` with `args`: exit code and stderr.
fn build_in(cwd: &Path, args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .current_dir(cwd)
        .arg("build")
        .args(args)
        .output()
        .expect("the binary runs");
    (o.status.code().expect("exited"), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A site inside a parent folder that holds something of its own, so that an
/// output that swallowed the parent would show.
fn site_in_parent() -> (tempfile::TempDir, std::path::PathBuf) {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    common::copy_dir(sites::site(None).path(), &root);
    std::fs::write(parent.path().join("neighbour.txt"), "not the site's").unwrap();
    (parent, root)
}

#[test]
fn out_at_the_site_or_above_it_is_refused_and_changes_nothing() {
    let (parent, root) = site_in_parent();
    let before = snapshot(parent.path());
    for (cwd, out) in [
        (root.clone(), "."),
        (root.clone(), ".."),
        (root.clone(), "./"),
        (root.clone(), "content/.."),
        (root.join("content"), "../"),
        (root.clone(), "/"),
    ] {
        let (code, err) = build_in(&cwd, &["--root", root.to_str().unwrap(), "--out", out]);
        assert_eq!(code, 2, "--out {out} from {}: must be refused: {err}", cwd.display());
        assert!(err.contains("โฟลเดอร์ของเว็บไซต์"), "--out {out}: says why: {err}");
        assert_eq!(snapshot(parent.path()), before, "--out {out} changed files");
    }
    // The default: --root . from inside the site writes public/ beside the sources.
    let (code, err) = build_in(&root, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(root.join("public/index.html").is_file());
    let after = snapshot(parent.path());
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{path} changed by a normal build");
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_the_site_is_seen_through() {
    let (parent, root) = site_in_parent();
    std::os::unix::fs::symlink(&root, parent.path().join("alias")).unwrap();
    let before = snapshot(&root);
    let (code, err) = build_in(parent.path(), &["--root", "site", "--out", "alias"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(snapshot(&root), before);
}

#[test]
fn out_inside_an_input_folder_is_refused() {
    let (_parent, root) = site_in_parent();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let before = snapshot(&root);
    for out in ["content", "content/public", "themes", "themes/default/public", "seeds/site", "static", "templates/x"] {
        let (code, err) = build_in(&root, &["--out", out]);
        assert_eq!(code, 2, "--out {out}: {err}");
        assert!(err.contains("โฟลเดอร์ต้นฉบับ"), "--out {out}: {err}");
        assert_eq!(snapshot(&root), before, "--out {out} changed files");
    }
}

#[test]
fn an_existing_file_is_not_replaced_by_a_folder() {
    let (_parent, root) = site_in_parent();
    std::fs::write(root.join("notes.txt"), "an editor's notes").unwrap();
    let (code, err) = build_in(&root, &["--out", "notes.txt", "--force"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("เป็นไฟล์"), "{err}");
    assert_eq!(std::fs::read(root.join("notes.txt")).unwrap(), b"an editor's notes");
}

#[test]
fn a_folder_prongsai_did_not_make_needs_force() {
    let (_parent, root) = site_in_parent();
    std::fs::create_dir(root.join("www")).unwrap();
    std::fs::write(root.join("www/report.docx"), "someone's report").unwrap();
    let (code, err) = build_in(&root, &["--out", "www"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--force"), "says how to go on: {err}");
    assert_eq!(std::fs::read(root.join("www/report.docx")).unwrap(), b"someone's report");

    // An empty folder is fine; prongsai's own output is replaced without --force.
    std::fs::create_dir(root.join("empty")).unwrap();
    assert_eq!(build_in(&root, &["--out", "empty"]).0, 0);
    assert!(root.join("empty").join(prongsai::output::MARKER).is_file());
    assert_eq!(build_in(&root, &["--out", "empty"]).0, 0);

    let (code, err) = build_in(&root, &["--out", "www", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(root.join("www/index.html").is_file() && !root.join("www/report.docx").exists());
}

/// A build killed midway (SIGKILL, power loss) leaves a marked staging folder
/// and possibly the swapped-out old output, named with its process id; the
/// next build removes them. Same-looking folders without the marker stay.
/// (The swapped-out output exists only for the instant of the swap, so it is
/// made here as a killed build would leave it; the next test kills a real one.)
#[test]
fn leftovers_of_a_killed_build_are_removed_and_others_are_not() {
    let (parent, root) = site_in_parent();
    let out = parent.path().join("public");
    assert_eq!(build_in(&root, &["--out", out.to_str().unwrap()]).0, 0);

    // The process id of a build that has ended.
    let mut dead = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    let staging = parent.path().join(format!(".public.new-{pid}-Ab12Cd"));
    let old = parent.path().join(format!(".public.old-{pid}"));
    common::copy_dir(&out, &staging);
    common::copy_dir(&out, &old);
    std::fs::remove_file(staging.join("index.html")).unwrap(); // killed before it got that far
    let foreign = parent.path().join(".public.new-backup");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();

    let (code, err) = build_in(&root, &["--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!staging.exists(), "the killed build's staging folder is still there");
    assert!(!old.exists(), "the killed build's old output is still there");
    assert_eq!(std::fs::read(foreign.join("keep.txt")).unwrap(), b"mine");
    let mut beside: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, [".public.new-backup", "neighbour.txt", "public", "site"]);
}

/// The same with a real kill: a build of a large generated plan is killed
/// (SIGKILL, as a power cut would) while it writes, and the next build
/// removes what it left and publishes a complete site.
#[cfg(unix)]
#[test]
fn a_build_killed_midway_is_cleaned_up_by_the_next() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    // Large enough that a test build takes seconds, so the kill lands midway.
    prongsai::synthetic::generate(&root, 2000).unwrap();
    // Without the search index, which at this size takes most of a debug
    // build's time (the kill needs pages being written, not an index).
    let site_toml = root.join("content/site.toml");
    let mut config = std::fs::read_to_string(&site_toml).unwrap();
    config.push_str("\n[outputs]\nsearch = false\n");
    std::fs::write(&site_toml, config).unwrap();
    let out = parent.path().join("public");
    let mut child = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    let staging = || {
        std::fs::read_dir(parent.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(".public.new-"))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let leftover = loop {
        // Wait for pages to be written into the staging folder, then kill.
        if let Some(dir) = staging().filter(|d| d.join("indicators").is_dir()) {
            break dir;
        }
        assert!(child.try_wait().unwrap().is_none(), "the build ended before it could be killed");
        assert!(std::time::Instant::now() < deadline, "no staging folder appeared");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(leftover.is_dir() && !out.exists(), "the killed build left its staging folder and no output");

    let (code, err) = build_in(parent.path(), &["--root", "site", "--out", "public"]);
    assert_eq!(code, 0, "{err}");
    assert!(!leftover.exists(), "the next build did not remove the killed build's folder");
    assert!(staging().is_none());
    assert!(out.join("index.html").is_file() && out.join(prongsai::output::MARKER).is_file());
}
