//! Build-time benchmark: how long `prongsai build` takes on a site, per step.
//!
//!   cargo run --release --example build_time [-- SITE_ROOT [RUNS]]
//!
//! Prints the first (cold: ICU model loaded, caches empty) build in this
//! process, then the median, minimum and maximum of the following (warm)
//! builds in memory, and of a build written to disk (tmpfs when /dev/shm
//! exists, to measure the builder rather than the disk), with the machine.

mod common;

use common::*;
use prongsai::output::Output;
use prongsai::site::{self, Options};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(30);
    // As `build` and `serve` run: PNGs and the search index kept in the
    // site's .prongsai-cache/ (the first build here fills it if it is empty;
    // delete the folder to measure a first build).
    let options = Options { cache: true, ..Options::default() };

    let t = Instant::now();
    let first = site::build(&root, &options).unwrap_or_else(|f| panic!("{:?}", f.findings()));
    let cold = t.elapsed();

    let mut total = Vec::new();
    let mut steps: Vec<Vec<Duration>> = vec![Vec::new(); first.timings.len()];
    for _ in 0..runs {
        let t = Instant::now();
        let built = site::build(&root, &options).expect("builds");
        total.push(t.elapsed());
        for (i, (_, d)) in built.timings.iter().enumerate() {
            steps[i].push(*d);
        }
    }
    let shm = PathBuf::from("/dev/shm");
    let out_base = if shm.is_dir() { shm } else { std::env::temp_dir() };
    let out = out_base.join(format!("prongsai-bench-{}", std::process::id()));
    let mut written = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let built = site::build(&root, &options).expect("builds");
        Output::resolve(&root, &out, false).expect("a safe output").write(&built.files).expect("writes");
        written.push(t.elapsed());
    }
    let _ = std::fs::remove_dir_all(&out);

    println!("site: {} ({} files)", root.display(), first.files.len());
    println!("machine: {}", machine());
    println!("cold build (first in process): {:.1} ms", ms(cold));
    println!("warm build in memory, {runs} runs: {}", stats(&mut total));
    println!("warm build written to {}, {runs} runs: {}", out_base.display(), stats(&mut written));
    for (i, (name, _)) in first.timings.iter().enumerate() {
        println!("  {name}: {}", stats(&mut steps[i]));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(v: &mut [Duration]) -> String {
    v.sort();
    let median = v[v.len() / 2];
    format!("median {:.1} ms (min {:.1}, max {:.1})", ms(median), ms(v[0]), ms(v[v.len() - 1]))
}
