//! Where a preview save's time goes, step by step, on a synthetic plan: a
//! benchmark, not a test. Builds a session once, then times in-process
//! rebuilds after a narrative edit and after an edit of one result.
//!
//! ```text
//! cargo run --release --example save_steps -- 10000 5
//! SEARCH=1 cargo run --release --example save_steps -- 10000 5 --only narrative
//! ```

use prongsai::site::{Options, Session};
use std::time::Instant;

/// The allocator the `prongsai` command uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(10_000);
    let saves = args.get(1).copied().unwrap_or(5);
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
    let root = dir.path();
    prongsai::synthetic::generate(root, n).expect("synthetic site");
    // The preview indexes for search once, at start, and keeps that index:
    // a save's cost does not include it, so neither does this first build.
    let site_toml = root.join("content/site.toml");
    let config = std::fs::read_to_string(&site_toml).unwrap();
    // With SEARCH=1 the session keeps a search index as the preview does
    // (thousands more files to keep track of on each save).
    if std::env::var_os("SEARCH").is_none() {
        std::fs::write(&site_toml, format!("{config}\n[outputs]\nsearch = false\n")).unwrap();
    }
    let options = Options { cache: true, ..Options::default() };
    let mut session = Session::default();
    let t = Instant::now();
    session.build(root, &options).expect("first build");
    println!("first build: {:.2} s", t.elapsed().as_secs_f64());
    let results = root.join("content/results/2568.json");
    let narrative = root.join("content/pages/years/2568/strategies/1.md");
    // `--only narrative` or `--only result`: one kind of save (for a profiler).
    let only = std::env::args().skip_while(|a| a != "--only").nth(1);
    for (what, path) in [("narrative", narrative), ("one result", results)] {
        if only.as_deref().is_some_and(|o| !what.contains(o)) {
            continue;
        }
        for i in 0..saves {
            let text = std::fs::read_to_string(&path).unwrap();
            let text = if what == "narrative" {
                format!("{text}\nแก้ไขครั้งที่ {i}\n")
            } else {
                text.replacen("\"summary\": \"", &format!("\"summary\": \"บันทึกครั้งที่ {i} "), 1)
            };
            std::fs::write(&path, text).unwrap();
            let t = Instant::now();
            let rebuilt = session.build(root, &options).expect("rebuild");
            let total = t.elapsed();
            let steps: Vec<String> =
                rebuilt.timings.iter().map(|(s, d)| format!("{s} {:.0} ms", d.as_secs_f64() * 1000.0)).collect();
            println!(
                "{what} save {i}: {:.0} ms, {} files changed, {} made; {}",
                total.as_secs_f64() * 1000.0,
                rebuilt.changed.len(),
                rebuilt.made,
                steps.join(", ")
            );
        }
    }
}
