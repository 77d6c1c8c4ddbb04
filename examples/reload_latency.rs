//! How long from saving a file to the browser being told to reload, and how
//! long a warm full rebuild takes. A benchmark, not a test:
//!
//! ```text
//! cargo run --release --example reload_latency            # 25 saves, native watching
//! cargo run --release --example reload_latency -- 40      # 40 saves
//! cargo run --release --example reload_latency -- 25 --poll
//! cargo run --release --example reload_latency -- 15 --indicators 10000
//! ```
//!
//! With `--indicators N` the site is a synthetic plan of N indicators
//! (`prongsai::synthetic`, on tmpfs when there is one), and two kinds of save
//! are timed: a narrative page (a strategy's page of a year) and one
//! indicator's result (its summary, in the latest results file), each until
//! the reload event names the page it changed.
//!
//! It copies the default site into a temporary folder, times in-process
//! builds (the first, cold, and then warm ones), starts `prongsai serve` on a
//! free loopback port, listens to the live-reload event stream like a
//! browser, and saves `content/pages/plan.md` again and again. Each sample
//! runs from just before the write to the moment the `reload` event naming
//! `plan/index.html` arrives, so it includes the watcher, the debounce
//! delay, the build, the swap and the event.

mod common;

use common::*;
use prongsai::serve::{Options, Server, Watching};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// The allocator the `prongsai` command uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let saves: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(25).max(1);
    let poll = args.iter().any(|a| a == "--poll");
    let indicators: Option<usize> =
        args.iter().position(|a| a == "--indicators").and_then(|k| args.get(k + 1)).and_then(|n| n.parse().ok());
    if args.iter().any(|a| a == "--indicators") && indicators.is_none() {
        eprintln!("--indicators needs a number, e.g. --indicators 10000");
        std::process::exit(2);
    }

    let site = match indicators {
        Some(n) => {
            let shm = std::path::Path::new("/dev/shm");
            let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
            prongsai::synthetic::generate(dir.path(), n).expect("synthetic site");
            dir
        }
        None => copy_default_site(),
    };
    let root = site.path();
    println!("machine: {}", machine());
    match indicators {
        Some(n) => println!("site: a synthetic plan of {n} indicators in {}", root.display()),
        None => println!("site: the default site, copied to {}", root.display()),
    }

    // Warm rebuilds: what every save costs.
    let options = prongsai::site::Options::default();
    let mut builds = Vec::new();
    let mut files = 0;
    // At scale, no builds outside the server: the process's peak memory is
    // then the server's.
    let full_builds = if indicators.is_some() { 0 } else { 23 };
    for _ in 0..full_builds {
        let started = Instant::now();
        match prongsai::site::build(root, &options) {
            Ok(site) => files = site.files.len(),
            Err(failure) => {
                eprintln!("the default site does not build: {} findings", failure.findings().len());
                std::process::exit(1);
            }
        }
        builds.push(started.elapsed());
    }
    if !builds.is_empty() {
        println!("cold build (first in process): {:.1} ms, {files} files", ms(builds[0]));
        let warm: Vec<Duration> = builds[3..].to_vec();
        println!("warm full rebuild over {} builds: {}", warm.len(), summary(&warm));
    }

    // Save → reload event, through the real server.
    let watching = if poll { Watching::Poll(prongsai::serve::watch::DEFAULT_POLL) } else { Watching::Native };
    let serve = Options { root: root.to_path_buf(), port: 0, next_free_port: false, watching, ..Options::default() };
    let debounce = serve.debounce;
    let started = Instant::now();
    let server = match Server::start(serve, |_| {}) {
        Ok(s) => {
            // Saves are timed against a built site.
            s.wait_first_build(std::time::Duration::from_secs(600));
            println!("the server's first build: {:.1} ms", ms(started.elapsed()));
            s
        }
        Err(e) => {
            eprintln!("the server did not start: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "watching: {}, debounce {} ms",
        if poll { "polling every 0.5 s" } else { "native (inotify on Linux)" },
        debounce.as_millis()
    );
    let mut events = EventStream::open(server.addr());
    events.wait_for(|name, _| name == "hello");

    if indicators.is_none() {
        let latencies =
            saves_of(&mut events, saves, &root.join("content/pages/plan.md"), "plan/index.html", |text, i| {
                format!("{text}\nบันทึกครั้งที่ {i}\n")
            });
        println!("save → reload event over {saves} saves: {}", summary(&latencies));
    } else {
        // The synthetic plan's first strategy, in its first year.
        let year = std::fs::read_dir(root.join("content/pages/years"))
            .expect("narrative years")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .min()
            .expect("a narrative year");
        let narrative = root.join(format!("content/pages/years/{year}/strategies/1.md"));
        let latencies = saves_of(&mut events, saves, &narrative, "strategies/1/index.html", |text, i| {
            format!("{text}\nบันทึกครั้งที่ {i}\n")
        });
        println!("narrative page save → reload event over {saves} saves: {}", summary(&latencies));

        let results = std::fs::read_dir(root.join("content/results"))
            .expect("results")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .max()
            .expect("a results file");
        let file = root.join("content/results").join(&results);
        let text = std::fs::read_to_string(&file).expect("read results");
        let first = text.find("\"indicator\": \"").expect("an indicator's result") + "\"indicator\": \"".len();
        let id = &text[first..first + text[first..].find('"').expect("id")];
        let page = format!("indicators/{id}/index.html");
        let latencies = saves_of(&mut events, saves, &file, &page, |text, i| {
            text.replacen("\"summary\": \"", &format!("\"summary\": \"บันทึกครั้งที่ {i} "), 1)
        });
        println!("one result's save ({id} in {results}) → reload event over {saves} saves: {}", summary(&latencies));
    }
    let status = server.status();
    println!("builds run by the server: {} (one at start)", status.builds);
    // The server keeps the whole site in memory, with what it needs to
    // rebuild only what changed: its peak is this process's.
    if let Some(peak) = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_string())))
    {
        println!("peak resident memory of this process (the server, its builds and this client): {peak}");
    }
    server.shutdown();
}

/// Saves `file` `saves` times, each time as `edit` makes it from the original
/// text, and times each save until the reload event names `page`.
fn saves_of(
    events: &mut EventStream,
    saves: usize,
    file: &std::path::Path,
    page: &str,
    edit: impl Fn(&str, usize) -> String,
) -> Vec<Duration> {
    let original = std::fs::read_to_string(file).expect("read the file to save");
    let mut latencies = Vec::new();
    for i in 0..saves {
        // Let the previous save settle so each sample starts from quiet.
        std::thread::sleep(Duration::from_millis(250));
        let text = edit(&original, i);
        let saved = Instant::now();
        std::fs::write(file, text).expect("save");
        let quoted = format!("\"{page}\"");
        events.wait_for(|name, data| name == "reload" && data.contains(&quoted));
        latencies.push(saved.elapsed());
    }
    std::fs::write(file, original).expect("restore");
    latencies
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(samples: &[Duration]) -> String {
    let mut v: Vec<f64> = samples.iter().map(|d| ms(*d)).collect();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!("median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms", at(0.5), at(0.9), v[0], v[v.len() - 1])
}

/// The live-reload stream, read like a browser does.
struct EventStream {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl EventStream {
    fn open(addr: SocketAddr) -> EventStream {
        let mut stream = TcpStream::connect(addr).expect("connect");
        let request = format!("GET /__prongsai/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", addr.port());
        stream.write_all(request.as_bytes()).expect("send");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
        EventStream { stream, buffer: Vec::new() }
    }

    /// Reads events until one matches (name, raw data line).
    fn wait_for(&mut self, mut matches: impl FnMut(&str, &str) -> bool) {
        loop {
            while let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let block = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
                self.buffer.drain(..end + 2);
                let name = block.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("");
                let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or("");
                if matches(name, data) {
                    return;
                }
            }
            let mut chunk = [0u8; 8192];
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => panic!("the event stream ended or timed out"),
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
            }
        }
    }
}
