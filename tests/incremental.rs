//! Incremental rebuilds (what `serve` does on each save) against full builds:
//! after every edit of a scripted sequence of every kind (content, results,
//! plan, configuration, labels, templates, static files, a new folder, a
//! deleted file, a broken file and its repair), the session's site must be
//! byte for byte the full build's, its list of changed files must be exactly
//! the files that differ from the previous good site, and a failed build must
//! fail with the full build's findings.

mod common;

use common::{copy_dir, default_site_copy, repo};
use prongsai::site::{self, Failure, Options, Session};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Files = BTreeMap<String, Vec<u8>>;

/// As `build` and `serve` build: with the PNG and search-index cache (in the
/// temporary copy), so that a full build per step takes a fraction of a
/// second instead of drawing every image again.
fn options() -> Options {
    Options { cache: true, ..Options::default() }
}

fn full(root: &Path) -> Result<site::Site, Failure> {
    site::build(root, &options())
}

/// The files a session and a full build must agree on: all but the search
/// index, which the preview makes once when it starts and keeps (indexing
/// every page again would take longer than the rest of a rebuild).
fn compared(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Files {
    files.into_iter().filter(|(p, _)| !p.starts_with("pagefind/")).collect()
}

/// One step: an edit, then the session and a full build must agree.
struct Steps {
    session: Session,
    /// The last good site, to check the session's list of changed files.
    last_good: Files,
    steps: usize,
}

impl Steps {
    fn new(root: &Path) -> Steps {
        let mut steps = Steps { session: Session::default(), last_good: Files::new(), steps: 0 };
        steps.check(root, "the first build");
        steps
    }

    fn check(&mut self, root: &Path, what: &str) {
        self.steps += 1;
        let full = full(root);
        let incremental = self.session.build(root, &options());
        match (full, incremental) {
            (Ok(mut full), Ok(mut inc)) => {
                full.files = compared(full.files);
                inc.changed.retain(|p| !p.starts_with("pagefind/"));
                let inc_files = compared(inc.files.iter().map(|(k, v)| (k.clone(), v.to_vec())));
                let full_paths: BTreeSet<&String> = full.files.keys().collect();
                let inc_paths: BTreeSet<&String> = inc_files.keys().collect();
                assert_eq!(
                    inc_paths.symmetric_difference(&full_paths).collect::<Vec<_>>(),
                    Vec::<&&String>::new(),
                    "after {what}: the files differ"
                );
                for (path, bytes) in &full.files {
                    assert!(inc_files[path] == *bytes, "after {what}: {path} differs from the full build's");
                }
                assert_eq!(inc.warnings, full.warnings, "after {what}: the warnings differ");
                let expected: Vec<String> = full
                    .files
                    .keys()
                    .chain(self.last_good.keys())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .filter(|p| full.files.get(*p) != self.last_good.get(*p))
                    .cloned()
                    .collect();
                assert_eq!(inc.changed, expected, "after {what}: the changed files are not the ones that changed");
                self.last_good = full.files;
            }
            (Err(full), Err(inc)) => {
                assert_eq!(inc.findings(), full.findings(), "after {what}: the failures differ");
                assert!(!full.findings().is_empty(), "after {what}: a failure without findings");
            }
            (Ok(_), Err(e)) => panic!("after {what}: only the incremental build failed: {:?}", e.findings()),
            (Err(e), Ok(_)) => panic!("after {what}: only the full build failed: {:?}", e.findings()),
        }
    }
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {rel}: {e}"));
    let changed = f(text.clone());
    assert_ne!(changed, text, "the edit of {rel} changed nothing");
    std::fs::write(&path, changed).unwrap_or_else(|e| panic!("write {rel}: {e}"));
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
    std::fs::write(path, text).expect("write");
}

#[test]
fn incremental_builds_equal_full_builds_after_every_kind_of_edit() {
    let dir = default_site_copy();
    let root = dir.path();
    // Without search: its index is not compared (see `compared`), and
    // indexing every page again in each full build is most of this test's
    // time. `a_session_makes_only_what_an_edit_changed` builds with it.
    edit(root, "content/site.toml", |t| format!("{t}\n[outputs]\nsearch = false\n"));
    let mut s = Steps::new(root);

    edit(root, "content/pages/plan.md", |t| format!("{t}\nย่อหน้าที่เพิ่มเข้ามา\n"));
    s.check(root, "a narrative page's body");
    edit(root, "content/pages/_index.md", |t| format!("{t}\nข้อความหน้าแรก\n"));
    s.check(root, "the overview's text");
    edit(root, "content/pages/years/2566/strategies/1.md", |t| format!("{t}\nบันทึกยุทธศาสตร์ที่ ๑\n"));
    s.check(root, "a strategy's narrative of a year (embedded in other pages)");
    edit(root, "content/pages/years/2566/analysis.md", |t| t.replacen("title = \"", "title = \"(ฉบับแก้ไข) ", 1));
    s.check(root, "a page's front-matter title");
    edit(root, "content/results/2566.json", |t| {
        t.replacen("\"summary\": {\n        \"th\": \"", "\"summary\": {\n        \"th\": \"แก้ไข: ", 1)
    });
    s.check(root, "one result's summary");
    edit(root, "content/results/2566.json", |t| t.replacen("\"en\": \"", "\"en\": \"Edited: ", 1));
    s.check(root, "one text's English");
    edit(root, "content/results/2566.json", |t| {
        let at = t.find("\"status\": \"").expect("a status");
        let (head, tail) = t.split_at(at);
        let end = tail[11..].find('"').expect("status end") + 11;
        format!("{head}\"status\": \"not_met\"{}", &tail[end + 1..])
    });
    s.check(root, "one result's status");
    edit(root, "content/plan.json", |t| t.replacen("\"th\": \"สร้างพลัง", "\"th\": \"(แก้) สร้างพลัง", 1));
    s.check(root, "a strategy's name in the plan");
    edit(root, "content/site.toml", |t| t.replacen("title = \"", "title = \"[ทดลอง] ", 1));
    s.check(root, "the site's title");
    edit(root, "content/results/2566.json", |t| {
        t.replacen(
            "\"summary\": {\n        \"th\": \"",
            "\"summary\": {\n        \"th\": \"ดูหมายเหตุ[^1]\\n\\n[^1]: ที่มาของตัวเลข\\n\\n",
            1,
        )
    });
    s.check(root, "a footnote in a result's summary");
    edit(root, "content/site.toml", |t| t.replacen("digits = \"thai\"", "digits = \"arabic\"", 1));
    s.check(root, "the site's digits");
    edit(root, "themes/default/theme.toml", |t| t.replacen(" = \"", " = \"~", 1));
    s.check(root, "a label of the theme");
    edit(root, "themes/default/theme.toml", |t| {
        t.replacen("says_count_above_total = \"", "says_count_above_total = \"(!) ", 1)
    });
    s.check(root, "the wording of a finding (in the open data too)");
    edit(root, "themes/default/templates/base.html", |t| t.replacen("</body>", "<!-- แก้แม่แบบ --></body>", 1));
    s.check(root, "the base template");
    edit(root, "themes/default/static/style.css", |t| format!("{t}\n/* แก้ CSS */\n"));
    s.check(root, "the theme's CSS");
    write(root, "static/images/new/logo.txt", "โลโก้");
    s.check(root, "a static file in a new folder");
    write(root, "content/pages/extra/notes/index.md", "+++\ntitle = \"บันทึกเพิ่มเติม\"\n+++\n\nดู[แผน](@/plan/)\n");
    s.check(root, "a page in a new folder");
    edit(root, "content/pages/extra/notes/index.md", |t| t.replace("@/plan/", "@/no-such-page/"));
    s.check(root, "a broken link (the build fails)");
    edit(root, "content/pages/extra/notes/index.md", |t| t.replace("@/no-such-page/", "@/plan/"));
    s.check(root, "the broken link repaired");
    std::fs::remove_file(root.join("content/pages/extra/notes/index.md")).expect("delete");
    s.check(root, "a deleted page");
    edit(root, "content/results/2566.json", |t| t.replacen('{', "{,", 1));
    s.check(root, "a results file that is not JSON (the build fails)");
    edit(root, "content/results/2566.json", |t| t.replacen("{,", "{", 1));
    s.check(root, "the results file repaired");
    write(
        root,
        "templates/strategy.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ strategy.name }}</h1>{% endblock %}",
    );
    s.check(root, "a site template that overrides the theme's");
    std::fs::remove_file(root.join("templates/strategy.html")).expect("delete");
    s.check(root, "the site template deleted");
    let seed = std::fs::read_dir(root.join("seeds")).expect("seeds").next().expect("a seed").expect("entry");
    let seed = format!("seeds/{}", seed.file_name().to_string_lossy());
    edit(root, &seed, |t| t.replacen('\n', " (แก้)\n", 1));
    s.check(root, "the source document");
    std::fs::remove_file(root.join("static/images/new/logo.txt")).expect("delete");
    s.check(root, "a static file deleted");

    // Back to the repository's inputs: the same site as a fresh full build.
    for sub in ["content", "themes", "seeds"] {
        std::fs::remove_dir_all(root.join(sub)).expect("remove");
        copy_dir(&repo().join(sub), &root.join(sub));
    }
    s.check(root, "every input restored");
    assert!(s.steps > 20, "the sequence must have at least 20 edits");
}

/// The point of a session: a narrative page's edit makes that page and the
/// pages that show it, not the whole site; an edit of one result makes its
/// indicator's page and the pages that list it, not every indicator's.
#[test]
fn a_session_makes_only_what_an_edit_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    prongsai::synthetic::generate(root, 300).expect("synthetic site");
    // PNGs of the overview, reports and pages only (as a plan of thousands
    // has): 600 indicator and strategy PNGs would be most of the time of a
    // test about what a rebuild reuses.
    edit(root, "content/site.toml", |t| format!("{t}\n[outputs]\npng_max_indicators = 100\n"));
    let mut session = Session::default();
    let first = session.build(root, &options()).unwrap_or_else(|e| panic!("{:?}", e.findings()));
    let pages = first.files.keys().filter(|p| p.ends_with(".html")).count();
    assert_eq!(first.made, first.files.len(), "the first build makes everything");

    let again = session.build(root, &options()).expect("builds");
    assert!(again.changed.is_empty(), "nothing changed, yet {:?}", again.changed);
    // The 404 page and the sitemap are always made; nothing else.
    assert!(again.made <= 2, "an unchanged site made {} files again", again.made);

    let year = std::fs::read_dir(root.join("content/pages/years"))
        .expect("years")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .min()
        .expect("a year");
    edit(root, &format!("content/pages/years/{year}/strategies/1.md"), |t| format!("{t}\nแก้ไข\n"));
    let narrative = session.build(root, &options()).expect("builds");
    assert!(narrative.changed.contains(&"strategies/1/index.html".to_string()), "{:?}", narrative.changed);
    assert!(narrative.made < pages / 10, "a narrative edit made {} of {pages} pages", narrative.made);

    edit(root, &format!("content/results/{year}.json"), |t| t.replacen("\"summary\": \"", "\"summary\": \"แก้ไข ", 1));
    let result = session.build(root, &options()).expect("builds");
    let indicator_pages = result.files.keys().filter(|p| p.starts_with("indicators/") && p.ends_with(".html")).count();
    let made_indicators =
        result.changed.iter().filter(|p| p.starts_with("indicators/") && p.ends_with(".html")).count();
    assert!(made_indicators >= 1 && made_indicators < indicator_pages / 10, "{made_indicators} of {indicator_pages}");
    assert!(result.made < pages / 10, "one result's edit made {} of {pages} pages", result.made);
}
