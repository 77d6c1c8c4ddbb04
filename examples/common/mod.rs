//! What the benchmark examples share: the machine they ran on, and a copy of
//! the default site to run against.
#![allow(dead_code)] // each example uses its own part

use std::path::Path;

/// The CPU, core count, memory, system and load: benchmark figures mean
/// little without the machine (and on a shared machine, how busy it was).
pub fn machine() -> String {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, m)| m.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let memory = read("/proc/meminfo")
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(String::new(), |kb| format!(", {:.0} GB RAM", kb as f64 / 1024.0 / 1024.0));
    let os = read("/etc/os-release")
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_string()))
        .unwrap_or_else(|| std::env::consts::OS.into());
    let kernel = read("/proc/sys/kernel/osrelease");
    format!(
        "{cpu}, nproc = {cores}{memory}, {os} ({} {}, {}), load {}",
        std::env::consts::OS,
        kernel.trim(),
        std::env::consts::ARCH,
        load()
    )
}

/// The one-minute load average ("?" where the system does not say).
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// The default site's inputs (content, themes, seeds) in a temporary folder.
pub fn copy_default_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "themes", "seeds"] {
        for entry in walkdir::WalkDir::new(from.join(sub)).into_iter().filter_map(Result::ok) {
            let Ok(rel) = entry.path().strip_prefix(from) else { continue };
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
    }
    dir
}
