//! The preview loop end to end, against a real server on a free loopback
//! port and a temporary copy of the default site: fetch a page, save a
//! change, see the reload event and the new content; break a JSON file, see
//! the error (terminal, event, overlay) while the last good page is still
//! served; fix it, see the recovery. Then what real editors do: atomic
//! saves, vim and JetBrains saves, temp files, new folders, deletes,
//! renames, bursts.

mod common;
mod serve_support;

use serve_support::*;
use std::path::Path;
use std::time::{Duration, Instant};

const PLAN_PAGE: &str = "plan/index.html";

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

#[test]
fn edit_break_fix_loop() {
    let site = copy_site();
    let root = site.path();
    let (server, log) = start(options(root));
    let addr = server.addr();

    // A page, with the live-reload script and no overlay.
    let page = get(addr, "/plan/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("แนวทางการขับเคลื่อน"), "{html}");
    assert!(html.contains("<script src=\"/__prongsai/live.js\""), "the live script is injected");
    assert!(!html.contains("prongsai-overlay"));

    let mut events = Events::open(addr);
    assert_eq!(events.status, 200);
    let hello = events.wait("hello", |e| e.name == "hello");
    assert!(hello.data["overlay"].is_null());
    let version = hello.data["version"].as_u64().unwrap();

    // Save a change: one reload event naming the page, and the new text is
    // served the moment the event arrives (the site is swapped in first).
    let plan_md = root.join("content/pages/plan.md");
    append(&plan_md, "\nข้อความทดสอบการโหลดใหม่ ๗๗๓๑\n");
    // (The first build's own reload may reach a client that connected just
    // after the site was swapped in, with the hello already at its version:
    // that one is not about this save.)
    let reload = events.wait("reload for the plan page", |e| {
        e.name == "reload" && lists(e, PLAN_PAGE) && e.data["previous"].as_u64() >= Some(version)
    });
    assert_eq!(reload.data["previous"].as_u64(), Some(version));
    assert!(reload.data["version"].as_u64().unwrap() > version);
    assert!(!lists(&reload, "index.html"), "an unrelated page must not reload: {:?}", reload.data);
    let after = get(addr, "/plan/").text();
    assert!(after.contains("ข้อความทดสอบการโหลดใหม่ ๗๗๓๑"), "new content served when the event arrives");

    // Break the results JSON (a missing comma after line 3).
    let results = root.join("content/results/2566.json");
    let good = std::fs::read_to_string(&results).unwrap();
    assert!(good.contains("\"year\": 2566,\n"));
    std::fs::write(&results, good.replacen("\"year\": 2566,\n", "\"year\": 2566\n", 1)).unwrap();
    let broken = events.wait("broken", |e| e.name == "broken");
    let overlay = broken.data["overlay"].as_str().unwrap().to_string();
    let status = server.status();
    let finding = status.errors.iter().find(|f| f.file == "content/results/2566.json").expect("a finding for the file");
    let line = finding.line.expect("the finding has a line");
    assert!((3..=4).contains(&line), "line {line}");
    assert!(overlay.contains("content/results/2566.json"), "{overlay}");
    assert!(overlay.contains(&format!("บรรทัด {line}")), "{overlay}");
    assert!(overlay.contains("<mark>"), "the offending spot is marked: {overlay}");
    assert!(
        log.contains(&format!("content/results/2566.json:{line}")),
        "the terminal shows the finding: {:?}",
        log.lines()
    );

    // The last good page is still served, with the overlay already in it.
    let during = get(addr, "/plan/");
    assert_eq!(during.status, 200);
    let during = during.text();
    assert!(during.contains("ข้อความทดสอบการโหลดใหม่ ๗๗๓๑"), "last good content");
    assert!(during.contains("id=\"prongsai-overlay\""), "overlay injected server-side");
    assert!(during.contains(&format!("บรรทัด {line}")));
    // A new connection hears about the problem at once.
    let mut late = Events::open(addr);
    let hello = late.wait("hello while broken", |e| e.name == "hello");
    assert!(hello.data["overlay"].as_str().is_some_and(|o| o.contains("content/results/2566.json")));

    // Fix it: the overlay goes, by event and in served pages.
    std::fs::write(&results, &good).unwrap();
    let fixed = events.wait("reload after the fix", |e| e.name == "reload");
    assert!(fixed.data["changed"].is_array());
    assert!(server.status().errors.is_empty());
    let recovered = get(addr, "/plan/").text();
    assert!(!recovered.contains("prongsai-overlay"));
    assert!(recovered.contains("ข้อความทดสอบการโหลดใหม่ ๗๗๓๑"));

    // A stylesheet change names only the stylesheet: pages swap it in place.
    append(&root.join("themes/default/static/style.css"), "\n.prongsai-test { color: red; }\n");
    let css = events.wait("reload for the stylesheet", |e| e.name == "reload" && lists(e, "style.css"));
    assert_eq!(css.data["changed"].as_array().unwrap().len(), 1, "{:?}", css.data);

    // Shutting down closes the port and every connection, open event
    // streams included.
    server.shutdown();
    assert!(std::net::TcpStream::connect(addr).is_err(), "the port is closed");
    // Events sent before the shutdown may still be unread; then the end.
    let deadline = Instant::now() + PATIENCE;
    while late.next(deadline).is_some() {}
    assert!(Instant::now() < deadline, "the event stream was not closed");
}

#[test]
fn what_editors_do() {
    let site = copy_site();
    let root = site.path();
    let (server, log) = start(options(root));
    let addr = server.addr();
    let plan_md = root.join("content/pages/plan.md");
    let original = std::fs::read_to_string(&plan_md).unwrap();
    let served = |marker: &str| get(addr, "/plan/").text().contains(marker);

    // Atomic save: write a temp file beside it, rename it over.
    let tmp = root.join("content/pages/.plan.md.tmp4021");
    std::fs::write(&tmp, format!("{original}\nบันทึกแบบอะตอม ๑\n")).unwrap();
    std::fs::rename(&tmp, &plan_md).unwrap();
    wait_for("the atomic save", || served("บันทึกแบบอะตอม ๑").then_some(()));

    // vim: probe file 4913, rename the original to a ~ backup, write anew,
    // delete the backup.
    let probe = root.join("content/pages/4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    let backup = root.join("content/pages/plan.md~");
    std::fs::rename(&plan_md, &backup).unwrap();
    std::fs::write(&plan_md, format!("{original}\nบันทึกแบบ vim ๒\n")).unwrap();
    std::fs::remove_file(&backup).unwrap();
    wait_for("the vim save", || (served("บันทึกแบบ vim ๒") && server.status().errors.is_empty()).then_some(()));

    // JetBrains "safe write".
    let jb_tmp = root.join("content/pages/plan.md___jb_tmp___");
    let jb_old = root.join("content/pages/plan.md___jb_old___");
    std::fs::write(&jb_tmp, format!("{original}\nบันทึกแบบ JetBrains ๓\n")).unwrap();
    std::fs::rename(&plan_md, &jb_old).unwrap();
    std::fs::rename(&jb_tmp, &plan_md).unwrap();
    std::fs::remove_file(&jb_old).unwrap();
    wait_for("the JetBrains save", || {
        (served("บันทึกแบบ JetBrains ๓") && server.status().errors.is_empty()).then_some(())
    });

    // Temp files alone never start a build. Let the builds settle, leave
    // temp files, give the watcher time to (wrongly) react, then make a real
    // change: exactly one more build.
    let settled = settle(&server);
    for name in [".plan.md.swp", ".plan.md.swx", "plan.md~", "#plan.md#", "4913", "x.md___jb_tmp___"] {
        std::fs::write(root.join("content/pages").join(name), "x").unwrap();
    }
    std::fs::write(root.join("themes/default/static/.goutputstream-XYZ1"), "x").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    std::fs::write(&plan_md, format!("{original}\nหลังไฟล์ชั่วคราว ๔\n")).unwrap();
    wait_for("the change after the temp files", || served("หลังไฟล์ชั่วคราว ๔").then_some(()));
    let after = settle(&server);
    assert_eq!(after, settled + 1, "temp files started a build: {:?}", log.lines());
    assert!(!log.lines().iter().any(|l| l.contains("4913") || l.contains(".swp")), "{:?}", log.lines());

    // A new folder with a page in it, written right after mkdir -p.
    let dir = root.join("content/pages/newdir/sub");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("page.md"), "+++\ntitle = \"หน้าใหม่ในโฟลเดอร์ใหม่\"\n+++\n\nเนื้อหาในโฟลเดอร์ใหม่ ๕\n").unwrap();
    wait_for("the page in a new folder", || {
        let r = get(addr, "/newdir/sub/page/");
        (r.status == 200 && r.text().contains("เนื้อหาในโฟลเดอร์ใหม่ ๕")).then_some(())
    });

    // Renaming a page moves it; deleting removes it (the 404 page answers).
    std::fs::rename(dir.join("page.md"), dir.join("renamed.md")).unwrap();
    wait_for("the renamed page", || {
        (get(addr, "/newdir/sub/renamed/").status == 200 && get(addr, "/newdir/sub/page/").status == 404).then_some(())
    });
    std::fs::remove_file(dir.join("renamed.md")).unwrap();
    wait_for("the deleted page", || (get(addr, "/newdir/sub/renamed/").status == 404).then_some(()));

    // A burst of saves makes one build (two at most if the burst straddles
    // a debounce tick), not twenty.
    let before = settle(&server);
    for i in 0..20 {
        std::fs::write(&plan_md, format!("{original}\nบันทึกรัว ๆ {i}\n")).unwrap();
    }
    wait_for("the last save of the burst", || served("บันทึกรัว ๆ 19").then_some(()));
    let burst = settle(&server) - before;
    assert!((1..=3).contains(&burst), "{burst} builds for a burst of 20 saves");

    server.shutdown();
}

/// Waits until no build has run for a while, and returns the count.
fn settle(server: &prongsai::serve::Server) -> u64 {
    let quiet = Duration::from_millis(700);
    let mut last = server.status().builds;
    let mut since = Instant::now();
    wait_for("the builds to settle", || {
        let now = server.status().builds;
        if now != last {
            last = now;
            since = Instant::now();
        }
        (since.elapsed() >= quiet).then_some(last)
    })
}

#[test]
fn polling_sees_changes_too() {
    let site = copy_site();
    let root = site.path();
    let options = prongsai::serve::Options {
        watching: prongsai::serve::Watching::Poll(Duration::from_millis(100)),
        ..options(root)
    };
    let (server, log) = start(options);
    assert!(log.contains("ทุก 0.1 วินาที"), "{:?}", log.lines());
    let mut events = Events::open(server.addr());
    let hello = events.wait("hello", |e| e.name == "hello");
    let version = hello.data["version"].as_u64();
    append(&root.join("content/pages/plan.md"), "\nตรวจแบบวนดู ๖\n");
    events.wait("reload by polling", |e| {
        e.name == "reload" && lists(e, PLAN_PAGE) && e.data["previous"].as_u64() >= version
    });
    assert!(get(server.addr(), "/plan/").text().contains("ตรวจแบบวนดู ๖"));
    server.shutdown();
}

#[test]
fn a_site_that_never_built_shows_its_problems_and_recovers() {
    let site = copy_site();
    let root = site.path();
    let plan = root.join("content/plan.json");
    let good = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, "{ \"organization\": ").unwrap();
    let (server, log) = start(options(root));
    // The terminal is told right after the build is counted: wait for it
    // rather than race it (it lost under load).
    wait_for("the terminal notice", || log.contains("content/plan.json").then_some(()));
    let page = get(server.addr(), "/");
    assert_eq!(page.status, 503);
    assert!(page.text().contains("id=\"prongsai-overlay\"") && page.text().contains("content/plan.json"));

    let mut events = Events::open(server.addr());
    events.wait("hello", |e| e.name == "hello" && e.data["overlay"].is_string());
    std::fs::write(&plan, good).unwrap();
    let reload = events.wait("the first good build", |e| e.name == "reload");
    assert!(lists(&reload, "index.html") && lists(&reload, "404.html"), "{:?}", reload.data);
    assert_eq!(get(server.addr(), "/").status, 200);
    server.shutdown();
}

#[test]
fn template_errors_and_unknown_indicators_reach_the_browser() {
    let site = copy_site();
    let root = site.path();
    let (server, log) = start(options(root));
    let mut events = Events::open(server.addr());
    events.wait("hello", |e| e.name == "hello");

    // A template that does not parse: the overlay names the template and line.
    let template = root.join("themes/default/templates/page.html");
    let good_template = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, good_template.replacen("{% block content %}", "{% block content %}\n{% if %}", 1))
        .unwrap();
    let broken = events.wait("broken template", |e| e.name == "broken");
    let overlay = broken.data["overlay"].as_str().unwrap();
    assert!(overlay.contains("themes/default/templates/page.html"), "{overlay}");
    assert!(overlay.contains("บรรทัด 3"), "{overlay}");
    // The terminal is told right after the browsers: wait for it rather than race it.
    wait_for("the terminal notice", || log.contains("themes/default/templates/page.html:3").then_some(()));
    std::fs::write(&template, &good_template).unwrap();
    events.wait("recovery from the template", |e| e.name == "reload");

    // Results for an indicator the plan does not have.
    let results = root.join("content/results/2566.json");
    let good = std::fs::read_to_string(&results).unwrap();
    std::fs::write(&results, good.replacen("\"indicator\": \"1-1.1\"", "\"indicator\": \"9-9.9\"", 1)).unwrap();
    let broken = events.wait("unknown indicator", |e| e.name == "broken");
    let overlay = broken.data["overlay"].as_str().unwrap();
    assert!(overlay.contains("content/results/2566.json") && overlay.contains("9-9.9"), "{overlay}");
    let line = good.lines().position(|l| l.contains("\"indicator\": \"1-1.1\"")).unwrap() + 1;
    assert!(overlay.contains(&format!("บรรทัด {line}")), "{overlay}");
    std::fs::write(&results, &good).unwrap();
    events.wait("recovery from the indicator", |e| e.name == "reload");
    assert!(server.status().errors.is_empty());
    server.shutdown();
}

#[test]
fn a_plan_saved_by_notepad_still_has_its_source_document_watched() {
    let site = copy_site();
    let root = site.path();
    // Windows Notepad: a UTF-8 byte-order mark and CRLF line endings. The
    // build accepts both; the watcher must read the file the same way to
    // find the source document it cites.
    let plan = root.join("content/plan.json");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, format!("\u{feff}{}", text.replace('\n', "\r\n"))).unwrap();
    let cited = text.split("\"file\": \"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_string();
    assert!(cited.starts_with("seeds/"), "{cited}");
    // Only plan.json cites it, so only plan.json can make it watched.
    let results = root.join("content/results/2566.json");
    let good = std::fs::read_to_string(&results).unwrap();
    std::fs::write(&results, good.replace(&cited, "seeds/other.txt")).unwrap();
    std::fs::copy(root.join(&cited), root.join("seeds/other.txt")).unwrap();

    let (server, log) = start(options(root));
    assert!(server.status().errors.is_empty(), "the site builds: {:?}", log.lines());
    assert!(log.contains("seeds/"), "seeds/ is watched: {:?}", log.lines());
    let before = settle(&server);
    append(&root.join(&cited), "\nบรรทัดเพิ่มในเอกสารต้นฉบับ\n");
    wait_for("a rebuild after the source document changed", || (server.status().builds > before).then_some(()));
    assert!(log.contains(&cited), "the terminal names the document: {:?}", log.lines());
    server.shutdown();
}

/// The preview answers from the first moment: while the first build of a
/// large plan runs, every page is a "building" page that says how far it has
/// got and asks the browser to come back; once built, the site itself.
#[test]
fn pages_answer_while_the_first_build_runs() {
    let dir = tempfile::tempdir().unwrap();
    // Large enough that the first build takes a while in a test build.
    prongsai::synthetic::generate(dir.path(), 2000).unwrap();
    // Without the search index and PNGs, which at this size take a debug
    // build minutes: the building page is what this is about.
    let site_toml = dir.path().join("content/site.toml");
    let mut config = std::fs::read_to_string(&site_toml).unwrap();
    config.push_str("\n[outputs]\nsearch = false\nshare_images = false\nchart_downloads = false\nembeds = false\n");
    std::fs::write(&site_toml, config).unwrap();
    let server = prongsai::serve::Server::start(
        prongsai::serve::Options { watching: prongsai::serve::Watching::Off, ..options(dir.path()) },
        |_| {},
    )
    .expect("the server starts");
    let early = get(server.addr(), "/");
    assert_eq!(early.status, 503, "not the building page (if 200, the build beat the request: make the plan larger)");
    assert_eq!(early.header("Retry-After"), Some("1"));
    let text = early.text();
    assert!(text.contains("กำลังสร้างเว็บไซต์") && text.contains("role=\"status\""), "{text}");
    // The live-reload script reloads it when the site is ready.
    assert!(text.contains("data-instance="), "{text}");

    assert!(server.wait_first_build(PATIENCE));
    let built = get(server.addr(), "/");
    assert_eq!(built.status, 200);
    assert!(!built.text().contains("กำลังสร้างเว็บไซต์"));
    server.shutdown();
}

/// What the preview serves after a sequence of edits of every kind (each
/// rebuilt incrementally) is what a full build of the same files makes:
/// every file, byte for byte (pages with the live-reload script the server
/// adds before `</body>`), and nothing more.
#[test]
fn after_edits_the_preview_serves_exactly_a_full_build() {
    let site = copy_site();
    let root = site.path();
    // Without search: the preview keeps the index its first build made
    // (README, Preview), so it would differ from a full build's after an edit.
    append(&root.join("content/site.toml"), "\n[outputs]\nsearch = false\n");
    let (server, log) = start(options(root));
    assert!(server.status().errors.is_empty(), "the site builds: {:?}", log.lines());
    type Edit = Box<dyn Fn(&Path)>;
    let edits: Vec<(&str, Edit)> = vec![
        ("a narrative page", Box::new(|r: &Path| append(&r.join("content/pages/plan.md"), "\nเพิ่มย่อหน้า\n"))),
        (
            "a strategy's narrative",
            Box::new(|r: &Path| append(&r.join("content/pages/years/2566/strategies/2.md"), "\nบันทึกเพิ่ม\n")),
        ),
        (
            "one result",
            Box::new(|r: &Path| {
                let p = r.join("content/results/2566.json");
                let t = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, t.replacen("\"summary\": \"", "\"summary\": \"(แก้) ", 1)).unwrap();
            }),
        ),
        (
            "the base template",
            Box::new(|r: &Path| {
                let p = r.join("themes/default/templates/base.html");
                let t = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, t.replacen("</body>", "<!-- แก้ --></body>", 1)).unwrap();
            }),
        ),
        ("the CSS", Box::new(|r: &Path| append(&r.join("themes/default/static/style.css"), "\n/* แก้ */\n"))),
        (
            "a page in a new folder",
            Box::new(|r: &Path| {
                std::fs::create_dir_all(r.join("content/pages/new")).unwrap();
                std::fs::write(r.join("content/pages/new/index.md"), "+++\ntitle = \"ใหม่\"\n+++\n\nหน้าใหม่\n").unwrap();
            }),
        ),
        ("a page deleted", Box::new(|r: &Path| std::fs::remove_file(r.join("content/pages/new/index.md")).unwrap())),
    ];
    for (what, edit) in &edits {
        let before = settle(&server);
        edit(root);
        wait_for(&format!("a rebuild after {what}"), || (server.status().builds > before).then_some(()));
    }
    settle(&server);
    assert!(server.status().errors.is_empty(), "{:?}", server.status().errors);

    // The preview builds for its own address (canonical links, sitemap).
    let options = prongsai::site::Options { base_url: Some(server.url()), ..Default::default() };
    let full = prongsai::site::build(root, &options).expect("the edited site builds");
    let gone = get(server.addr(), "/new/");
    assert_eq!(gone.status, 404, "a deleted page is still served: {:?}", log.lines());
    assert_eq!(server.status().files, full.files.len(), "the preview serves another number of files");
    let encode = |path: &str| -> String {
        path.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"/._-".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    for (path, bytes) in &full.files {
        let served = get(server.addr(), &format!("/{}", encode(path))).body;
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            let at = html.rfind("</body>").unwrap_or(html.len());
            let served = String::from_utf8_lossy(&served);
            assert!(
                served.starts_with(&html[..at]) && served.ends_with(&html[at..]),
                "/{path} is not the full build's page"
            );
        } else {
            assert!(served == *bytes, "/{path} is not the full build's file");
        }
    }
    server.shutdown();
}
