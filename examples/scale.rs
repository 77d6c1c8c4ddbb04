//! Scale benchmark: builds synthetic plans of growing size with the real
//! `prongsai build` and prints, side by side, wall time, CPU time, peak
//! memory, output size and the `cp -r` floor of the same output.
//!
//!   cargo build --release && cargo run --release --example scale
//!   cargo run --release --example scale -- 1000 5000 --timeout 300
//!   cargo run --release --example scale -- --sizes 1000,10000 --max-memory 8000
//!   cargo run --release --example scale -- 1000 5000 --english   # in Thai and English
//!
//! Sizes default to 1000 10000 50000 indicators. For each size, the plan is
//! written by `prongsai::synthetic::generate` into a folder on tmpfs
//! (`/dev/shm`, else the temporary folder), so that the disk is not what is
//! measured, and `target/release/prongsai build --root SITE --out OUT` runs as
//! a child process. Its CPU time (user + system) and peak resident memory are
//! that child's own (`wait4`), not the benchmark's. A run is killed when it
//! passes `--timeout` seconds (default 600) or `--max-memory` MB of resident
//! memory (default: half the memory available at the start: the machine is
//! shared, and swap-less machines kill the largest process, which may not be
//! ours); its row then says so. The `cp -r` floor is the fastest of three
//! copies of the output. Temporary folders are removed at the end (not on
//! Ctrl-C: then remove `prongsai-scale-*` from `/dev/shm` yourself).

mod common;

#[cfg(target_os = "linux")]
fn main() {
    linux::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("the scale benchmark measures child processes with Linux interfaces (wait4, /proc): run it on Linux");
    std::process::exit(2);
}

#[cfg(target_os = "linux")]
mod linux {
    use crate::common::{load, machine};
    use clap::Parser;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::{Duration, Instant};

    #[derive(Parser, Debug)]
    #[command(about = "Builds synthetic plans of growing size with `prongsai build` and prints a table")]
    struct Args {
        /// Numbers of indicators to build, in order (default: 1000 10000 50000).
        #[arg(value_parser = clap::value_parser!(u64).range(1..))]
        sizes: Vec<u64>,
        /// The same as a comma-separated list, e.g. --sizes 1000,10000.
        #[arg(long = "sizes", value_name = "N,N,…", value_delimiter = ',', value_parser = clap::value_parser!(u64).range(1..))]
        sizes_option: Vec<u64>,
        /// Seconds a build may take before it is killed and reported as timed out.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Resident memory (MB) a build may use before it is killed (default: half of what is available).
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..))]
        max_memory: Option<u64>,
        /// Keep the generated sites, outputs and build logs (their folder is printed).
        #[arg(long)]
        keep: bool,
        /// Each plan in Thai and English (a stand-in English of every text
        /// and page, `synthetic::generate_in`): what a second language costs.
        #[arg(long)]
        english: bool,
    }

    pub fn main() {
        let args = Args::parse();
        let load_at_start = load();
        let mut sizes: Vec<usize> = args.sizes.iter().chain(&args.sizes_option).map(|&n| n as usize).collect();
        if sizes.is_empty() {
            sizes = vec![1000, 10_000, 50_000];
        }
        let binary = match prongsai_binary() {
            Ok(b) => b,
            Err(message) => {
                eprintln!("error: {message}");
                std::process::exit(2);
            }
        };
        let max_memory_kb = args.max_memory.map(|mb| mb * 1024).unwrap_or_else(|| available_kb() / 2);
        let limits = Limits { time: Duration::from_secs(args.timeout), memory_kb: max_memory_kb };

        let shm = PathBuf::from("/dev/shm");
        let base = if shm.is_dir() { shm } else { std::env::temp_dir() };
        let work = base.join(format!("prongsai-scale-{}", std::process::id()));
        if let Err(e) = std::fs::create_dir_all(&work) {
            eprintln!("error: cannot create {}: {e}", work.display());
            std::process::exit(1);
        }
        eprintln!(
            "prongsai: {}\nwork folder: {}\nlimits per build: {} s, {} MB resident",
            binary.display(),
            work.display(),
            args.timeout,
            max_memory_kb / 1024
        );

        let mut rows = Vec::new();
        for &n in &sizes {
            let row = measure(&binary, &work, n, limits, args.keep, args.english);
            eprintln!("  {}", row.line());
            rows.push(row);
        }
        if args.keep {
            eprintln!("kept: {}", work.display());
        } else {
            let _ = std::fs::remove_dir_all(&work);
        }

        println!();
        println!("Machine: {}, load {load_at_start} at the start and {} at the end", machine(), load());
        println!("Output on {} (tmpfs: the builder is measured, not the disk)", base.display());
        println!();
        println!("| N | build wall s | CPU s | peak MB | output MB | files | largest page | cp -r s | build/cp |");
        println!("|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        for row in &rows {
            println!("{}", row.table_row());
        }
        let growth = growth(&rows);
        if !growth.is_empty() {
            println!();
            println!("Growth exponents (log(t2/t1) / log(N2/N1); 1 = linear, 2 = quadratic):");
            for g in growth {
                println!("  {g}");
            }
        }
    }

    /// target/release/prongsai, next to this example (target/release/examples/scale).
    fn prongsai_binary() -> Result<PathBuf, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this program's path: {e}"))?;
        let dir = exe
            .parent()
            .and_then(Path::parent)
            .ok_or_else(|| format!("{} is not in target/<profile>/examples/", exe.display()))?;
        let binary = dir.join(format!("prongsai{}", std::env::consts::EXE_SUFFIX));
        if !binary.is_file() {
            return Err(format!(
                "{} does not exist: build it first with `cargo build --release` \
                 (the benchmark runs the real binary), then `cargo run --release --example scale`",
                binary.display()
            ));
        }
        // A binary older than the sources would measure yesterday's code.
        let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
        let newest_source = walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
            .into_iter()
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok()?.modified().ok())
            .max();
        if let (Some(built), Some(newest)) = (built, newest_source) {
            if newest > built {
                eprintln!(
                    "warning: {} is older than src/: run `cargo build --release` to measure the current code",
                    binary.display()
                );
            }
        }
        Ok(binary)
    }

    #[derive(Debug, Clone, Copy)]
    struct Limits {
        time: Duration,
        memory_kb: u64,
    }

    /// How a child process ended.
    #[derive(Debug, Clone, PartialEq)]
    enum End {
        Exited(i32),
        Signalled(i32),
        TimedOut,
        OverMemory,
    }

    /// A finished child: its wall time, its own CPU time and peak memory.
    #[derive(Debug, Clone)]
    struct Run {
        wall: Duration,
        cpu: Duration,
        peak_kb: u64,
        end: End,
    }

    /// What the waiting thread and the watchdog share about a running child.
    #[derive(Debug, Default)]
    struct Watch {
        /// The child has exited (it is a zombie until reaped): stop watching.
        finished: bool,
        /// Why the watchdog killed it, if it did.
        stopped: Option<End>,
    }

    /// Runs a command to its end (or its limits) and measures it.
    ///
    /// The child is waited for with `waitid(WNOWAIT)`, which leaves it a
    /// zombie, so its pid cannot be reused while the watchdog may still kill
    /// it; `wait4` then reaps it and gives its own resource usage (CPU, peak
    /// RSS), which `getrusage(RUSAGE_CHILDREN)` would mix across runs.
    fn run(command: &mut Command, limits: Limits) -> std::io::Result<Run> {
        let start = Instant::now();
        let child = command.spawn()?;
        let pid = child.id() as libc::pid_t;
        let state = Arc::new((Mutex::new(Watch::default()), Condvar::new()));
        let watchdog = {
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                let (lock, cvar) = &*state;
                let mut guard = lock.lock().unwrap();
                loop {
                    if guard.finished {
                        return;
                    }
                    let over = if start.elapsed() > limits.time {
                        Some(End::TimedOut)
                    } else if resident_kb(pid).is_some_and(|kb| kb > limits.memory_kb) {
                        Some(End::OverMemory)
                    } else {
                        None
                    };
                    if let Some(why) = over {
                        // Still running or a zombie: the pid is still this child's.
                        unsafe { libc::kill(pid, libc::SIGKILL) };
                        guard.stopped = Some(why);
                        return;
                    }
                    guard = cvar.wait_timeout(guard, Duration::from_millis(100)).unwrap().0;
                }
            })
        };

        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        loop {
            let r = unsafe { libc::waitid(libc::P_PID, pid as libc::id_t, &mut info, libc::WEXITED | libc::WNOWAIT) };
            if r == 0 {
                break;
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
        let wall = start.elapsed();
        let stopped = {
            let (lock, cvar) = &*state;
            let mut guard = lock.lock().unwrap();
            guard.finished = true;
            cvar.notify_all();
            guard.stopped.clone()
        };
        let _ = watchdog.join();

        let mut status = 0;
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        loop {
            let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            if r == pid {
                break;
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
        drop(child); // already reaped: std never waits on drop
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        let end = match stopped {
            Some(why) => why,
            None if libc::WIFEXITED(status) => End::Exited(libc::WEXITSTATUS(status)),
            None => End::Signalled(libc::WTERMSIG(status)),
        };
        Ok(Run {
            wall,
            cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
            // Linux gives ru_maxrss in kilobytes.
            peak_kb: usage.ru_maxrss as u64,
            end,
        })
    }

    /// Resident memory of a running process, from /proc.
    fn resident_kb(pid: libc::pid_t) -> Option<u64> {
        let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
        let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        Some(pages * page.max(1) as u64 / 1024)
    }

    fn available_kb() -> u64 {
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find(|l| l.starts_with("MemAvailable:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse().ok())
            })
            .unwrap_or(8 * 1024 * 1024)
    }

    /// One size's measurements.
    struct Row {
        n: usize,
        generate: Duration,
        input_bytes: u64,
        build: Result<Run, String>,
        output: Option<Output>,
        copy: Option<Result<Duration, String>>,
    }

    struct Output {
        bytes: u64,
        files: u64,
        largest: (String, u64),
    }

    fn measure(binary: &Path, work: &Path, n: usize, limits: Limits, keep: bool, english: bool) -> Row {
        let site = work.join(format!("site-{n}"));
        let out = work.join(format!("out-{n}"));
        let log = work.join(format!("build-{n}.log"));
        let t = Instant::now();
        let languages: &[&str] = if english { &["en"] } else { &[] };
        if let Err(e) = prongsai::synthetic::generate_in(&site, n, languages) {
            let build = Err(format!("could not generate the plan: {e}"));
            return Row { n, generate: t.elapsed(), input_bytes: 0, build, output: None, copy: None };
        }
        let generate = t.elapsed();
        let input_bytes = tree(&site.join("content")).bytes;

        let build = std::fs::File::create(&log).and_then(|log_file| {
            let mut cmd = Command::new(binary);
            cmd.arg("build").arg("--root").arg(&site).arg("--out").arg(&out);
            // Warnings go to a file: a pipe nobody reads would block the build.
            cmd.stdin(Stdio::null()).stdout(log_file.try_clone()?).stderr(log_file);
            run(&mut cmd, limits)
        });
        let build = match build {
            Err(e) => Err(format!("could not run {}: {e}", binary.display())),
            Ok(r) if r.end == End::Exited(0) => Ok(r),
            Ok(r) => {
                if let End::Exited(_) | End::Signalled(_) = r.end {
                    let text = std::fs::read_to_string(&log).unwrap_or_default();
                    let tail: Vec<&str> = text.lines().rev().take(15).collect();
                    eprintln!(
                        "build of N = {n} failed; the end of its output:\n{}",
                        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                    );
                }
                Ok(r)
            }
        };
        let mut row = Row { n, generate, input_bytes, build, output: None, copy: None };
        // Free tmpfs (it is memory) before the next size.
        let remove = |dir: &Path| {
            if !keep {
                let _ = std::fs::remove_dir_all(dir);
            }
        };
        remove(&site);
        if !matches!(&row.build, Ok(r) if r.end == End::Exited(0)) {
            remove(&out);
            return row;
        }
        let output = tree(&out);
        row.output = Some(Output { bytes: output.bytes, files: output.files, largest: output.largest_html });

        // The floor: copying the same files takes this long on this machine.
        let copy = work.join(format!("copy-{n}"));
        let mut best: Option<Result<Duration, String>> = None;
        for _ in 0..3 {
            let _ = std::fs::remove_dir_all(&copy);
            let mut cmd = Command::new("cp");
            cmd.arg("-r").arg(&out).arg(&copy).stdin(Stdio::null());
            let this = match run(&mut cmd, limits) {
                Ok(r) if r.end == End::Exited(0) => Ok(r.wall),
                Ok(r) => Err(format!("cp -r ended with {:?}", r.end)),
                Err(e) => Err(format!("could not run cp: {e}")),
            };
            best = Some(match (best, this) {
                (Some(Ok(a)), Ok(b)) => Ok(a.min(b)),
                (_, this) => this,
            });
            if matches!(best, Some(Err(_))) {
                break;
            }
        }
        row.copy = best;
        let _ = std::fs::remove_dir_all(&copy);
        remove(&out);
        row
    }

    struct Tree {
        bytes: u64,
        files: u64,
        largest_html: (String, u64),
    }

    fn tree(root: &Path) -> Tree {
        let mut t = Tree { bytes: 0, files: 0, largest_html: (String::new(), 0) };
        for e in walkdir::WalkDir::new(root).into_iter().filter_map(Result::ok) {
            if !e.file_type().is_file() {
                continue;
            }
            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
            t.bytes += len;
            t.files += 1;
            let is_html = e.path().extension().is_some_and(|x| x == "html");
            if is_html && len > t.largest_html.1 {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path()).to_string_lossy().into_owned();
                t.largest_html = (rel, len);
            }
        }
        t
    }

    fn mb(bytes: u64) -> f64 {
        bytes as f64 / 1_000_000.0
    }

    impl Row {
        fn build_ok(&self) -> Option<&Run> {
            self.build.as_ref().ok().filter(|r| r.end == End::Exited(0))
        }

        /// A progress line, printed as each size finishes.
        fn line(&self) -> String {
            let made = format!(
                "N = {}: plan generated in {:.1} s ({:.1} MB of content)",
                self.n,
                self.generate.as_secs_f64(),
                mb(self.input_bytes)
            );
            match &self.build {
                Err(e) => format!("{made}; {e}"),
                Ok(r) => format!(
                    "{made}; build {} after {:.1} s, {:.1} s CPU, peak {:.0} MB",
                    self.status_word(r),
                    r.wall.as_secs_f64(),
                    r.cpu.as_secs_f64(),
                    r.peak_kb as f64 / 1024.0
                ),
            }
        }

        fn status_word(&self, r: &Run) -> String {
            match &r.end {
                End::Exited(0) => "done".into(),
                End::Exited(code) => format!("failed (exit {code})"),
                End::Signalled(sig) => format!("killed by signal {sig}"),
                End::TimedOut => "timed out".into(),
                End::OverMemory => "over the memory limit".into(),
            }
        }

        fn table_row(&self) -> String {
            let run = match &self.build {
                Err(e) => return format!("| {} | {e} | | | | | | | |", self.n),
                Ok(r) => r,
            };
            let wall = match &run.end {
                End::Exited(0) => format!("{:.2}", run.wall.as_secs_f64()),
                _ => format!("{} after {:.0} s", self.status_word(run), run.wall.as_secs_f64()),
            };
            let cpu = format!("{:.2}", run.cpu.as_secs_f64());
            let peak = format!("{:.0}", run.peak_kb as f64 / 1024.0);
            let (size, files, largest) = match &self.output {
                Some(o) => (
                    format!("{:.1}", mb(o.bytes)),
                    o.files.to_string(),
                    format!("{} ({:.2} MB)", o.largest.0, mb(o.largest.1)),
                ),
                None => ("–".into(), "–".into(), "–".into()),
            };
            let (copy, ratio) = match (&self.copy, self.build_ok()) {
                (Some(Ok(c)), Some(r)) => {
                    (format!("{:.2}", c.as_secs_f64()), format!("{:.1}×", r.wall.as_secs_f64() / c.as_secs_f64()))
                }
                (Some(Err(e)), _) => (e.clone(), "–".into()),
                _ => ("–".into(), "–".into()),
            };
            format!("| {} | {wall} | {cpu} | {peak} | {size} | {files} | {largest} | {copy} | {ratio} |", self.n)
        }
    }

    /// Time and memory growth between successive sizes that both built.
    fn growth(rows: &[Row]) -> Vec<String> {
        let done: Vec<(usize, &Run)> = rows.iter().filter_map(|r| r.build_ok().map(|run| (r.n, run))).collect();
        done.windows(2)
            .filter(|w| w[1].0 != w[0].0)
            .map(|w| {
                let (n1, a) = w[0];
                let (n2, b) = w[1];
                let k = |x: f64, y: f64| (y / x).ln() / (n2 as f64 / n1 as f64).ln();
                format!(
                    "N {n1} → {n2}: wall time {:.2}, CPU time {:.2}, peak memory {:.2}",
                    k(a.wall.as_secs_f64(), b.wall.as_secs_f64()),
                    k(a.cpu.as_secs_f64(), b.cpu.as_secs_f64()),
                    k(a.peak_kb as f64, b.peak_kb as f64)
                )
            })
            .collect()
    }
}
