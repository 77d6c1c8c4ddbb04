//! A closed-loop keep-alive load test of `prongsai serve`. A benchmark, not
//! a test:
//!
//! ```text
//! cargo run --release --example load_test                          # 50 connections, 30 s, after 10 s idle
//! cargo run --release --example load_test -- --connections 10 --seconds 10 --idle 0
//! cargo run --release --example load_test -- --path /strategies/1/ # one page only
//! cargo run --release --example load_test -- --addr 127.0.0.1:1111 # a `prongsai serve` already running
//! ```
//!
//! It copies the default site into a temporary folder, starts the preview
//! server on a free loopback port (no watching), warms it up with the same
//! number of connections for two seconds, lets it idle, and then runs the
//! load: each connection is a thread that sends a request, reads the whole
//! answer (by Content-Length), and sends the next at once, alternating
//! between `/` and `/strategies/1/` unless `--path` says otherwise. A
//! request that takes more than two seconds counts as a timeout (the
//! connection is then dropped and opened again); a wrong status, a closed
//! connection or a malformed answer counts as an error. Figures are given
//! for the first second after the idle time, where a server whose threads
//! went to sleep would stall, and for the whole run.
//!
//! Everything stays on the loopback interface and stops by itself. The load
//! generator shares the CPU with the server, so on a 2-core machine the
//! figures are a lower bound; `wrk` (see README) loads the server harder.

mod common;

use common::*;
use prongsai::serve::{Options, Server, Watching};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Slower than this is a timeout: nothing on a loopback preview should take
/// a human-noticeable time.
const TIMEOUT: Duration = Duration::from_secs(2);
/// How long the warm-up runs before the idle time.
const WARM_UP: Duration = Duration::from_secs(2);
/// The part of the run reported separately, right after the idle time.
const AFTER_IDLE: Duration = Duration::from_secs(1);

struct Args {
    connections: usize,
    seconds: u64,
    idle: u64,
    paths: Vec<String>,
    addr: Option<SocketAddr>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { connections: 50, seconds: 30, idle: 10, paths: Vec::new(), addr: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--connections" | "-c" => args.connections = value()?.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--seconds" | "-d" => args.seconds = value()?.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--idle" => args.idle = value()?.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--path" => args.paths.push(value()?),
            "--addr" => {
                let addr: SocketAddr = value()?.parse().map_err(|e| format!("{flag}: {e}"))?;
                // A load generator aimed at someone else's machine is not a test.
                if !addr.ip().is_loopback() {
                    return Err("--addr must be a loopback address (127.0.0.1 or [::1])".into());
                }
                args.addr = Some(addr);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if args.paths.is_empty() {
        args.paths = vec!["/".into(), "/strategies/1/".into()];
    }
    args.connections = args.connections.clamp(1, 1000);
    args.seconds = args.seconds.clamp(1, 600);
    args.idle = args.idle.min(600);
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!("machine: {}", machine());

    let site = copy_default_site();
    let server = match args.addr {
        Some(_) => None,
        None => {
            let options = Options {
                root: site.path().to_path_buf(),
                port: 0,
                next_free_port: false,
                watching: Watching::Off,
                ..Options::default()
            };
            match Server::start(options, |_| {}) {
                Ok(s) => {
                    // Measure the site, not the page shown while it builds.
                    s.wait_first_build(std::time::Duration::from_secs(600));
                    Some(s)
                }
                Err(e) => {
                    eprintln!("the server did not start: {e}");
                    std::process::exit(1);
                }
            }
        }
    };
    let addr = args.addr.or(server.as_ref().map(Server::addr)).expect("an address");
    println!(
        "server: {addr}, {} connections, paths {}, {} s after {} s idle",
        args.connections,
        args.paths.join(" "),
        args.seconds,
        args.idle
    );

    let warm = run(addr, args.connections, &args.paths, WARM_UP);
    println!("warm-up ({} s):       {}", WARM_UP.as_secs(), Summary::of(&warm, None, WARM_UP));
    if args.idle > 0 {
        println!("idle {} s …", args.idle);
        std::thread::sleep(Duration::from_secs(args.idle));
    }
    let duration = Duration::from_secs(args.seconds);
    let samples = run(addr, args.connections, &args.paths, duration);
    let label = if args.idle > 0 { "first second after idle" } else { "first second" };
    println!("{label}: {}", Summary::of(&samples, Some(AFTER_IDLE), AFTER_IDLE));
    println!("whole run ({} s):     {}", args.seconds, Summary::of(&samples, None, duration));
    if args.paths.len() > 1 {
        for (i, path) in args.paths.iter().enumerate() {
            let only: Vec<Sample> = samples.iter().filter(|s| s.path == i).cloned().collect();
            println!("  {path}: {}", Summary::of(&only, None, duration));
        }
    }
    if let Some(s) = server {
        s.shutdown();
    }
}

/// One request: when it started (from the start of the run), how long it
/// took, and how it ended.
#[derive(Clone)]
struct Sample {
    start: Duration,
    latency: Duration,
    path: usize,
    outcome: Outcome,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Error,
    Timeout,
}

/// Runs `connections` closed-loop clients for `duration`; every request's sample.
fn run(addr: SocketAddr, connections: usize, paths: &[String], duration: Duration) -> Vec<Sample> {
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let requests: Arc<Vec<Vec<u8>>> = Arc::new(
        paths
            .iter()
            .map(|p| format!("GET {p} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUser-Agent: load_test\r\n\r\n", addr.port()))
            .map(String::into_bytes)
            .collect(),
    );
    let clients: Vec<_> = (0..connections)
        .map(|i| {
            let (stop, requests) = (stop.clone(), requests.clone());
            std::thread::spawn(move || client(addr, i, &requests, started, &stop))
        })
        .collect();
    std::thread::sleep(duration);
    stop.store(true, Ordering::SeqCst);
    clients.into_iter().flat_map(|c| c.join().unwrap_or_default()).collect()
}

fn client(addr: SocketAddr, index: usize, requests: &[Vec<u8>], started: Instant, stop: &AtomicBool) -> Vec<Sample> {
    let mut samples = Vec::new();
    let mut conn: Option<Connection> = None;
    // Connections start on different paths so both are loaded at once.
    let mut next = index;
    while !stop.load(Ordering::Relaxed) {
        let path = next % requests.len();
        next += 1;
        let begin = Instant::now();
        let outcome = match conn.as_mut() {
            Some(c) => c.exchange(&requests[path]),
            None => Connection::open(addr).and_then(|mut c| {
                let r = c.exchange(&requests[path]);
                conn = Some(c);
                r
            }),
        };
        let latency = begin.elapsed();
        let outcome = match outcome {
            Ok(()) if latency > TIMEOUT => Outcome::Timeout,
            Ok(()) => Outcome::Ok,
            Err(Failure::Timeout) => Outcome::Timeout,
            Err(Failure::Error) => Outcome::Error,
        };
        if outcome != Outcome::Ok {
            conn = None;
        }
        samples.push(Sample { start: begin.duration_since(started), latency, path, outcome });
    }
    samples
}

enum Failure {
    Timeout,
    Error,
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => Failure::Timeout,
            _ => Failure::Error,
        }
    }
}

struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    fn open(addr: SocketAddr) -> Result<Connection, Failure> {
        let stream = TcpStream::connect_timeout(&addr, TIMEOUT)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(TIMEOUT))?;
        Ok(Connection { stream, buffer: Vec::with_capacity(64 * 1024) })
    }

    /// Sends one request and reads its whole answer; a 200 is success.
    fn exchange(&mut self, request: &[u8]) -> Result<(), Failure> {
        self.stream.write_all(request)?;
        self.buffer.clear();
        let mut chunk = [0u8; 64 * 1024];
        let head_end = loop {
            if let Some(p) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            self.fill(&mut chunk)?;
        };
        let head = std::str::from_utf8(&self.buffer[..head_end]).map_err(|_| Failure::Error)?;
        let ok = head.split_whitespace().nth(1) == Some("200");
        let header = |wanted: &str| {
            head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case(wanted).then(|| value.trim().to_string())
            })
        };
        let length = header("content-length").and_then(|v| v.parse::<usize>().ok());
        let chunked = header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
        let complete = match (length, chunked) {
            (Some(length), false) => {
                while self.buffer.len() < head_end + length {
                    self.fill(&mut chunk)?;
                }
                self.buffer.len() == head_end + length
            }
            // Only for servers that chunk large pages (tiny_http's own
            // connection handling did above 32 KB); prongsai's sends a length.
            (None, true) => self.read_chunked(head_end, &mut chunk)?,
            _ => false,
        };
        if !ok || !complete {
            return Err(Failure::Error);
        }
        Ok(())
    }

    fn fill(&mut self, chunk: &mut [u8]) -> Result<(), Failure> {
        let n = self.stream.read(chunk)?;
        if n == 0 {
            return Err(Failure::Error);
        }
        self.buffer.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Reads a chunked body that starts at `at`; whether it ended cleanly
    /// with nothing after it.
    fn read_chunked(&mut self, mut at: usize, chunk: &mut [u8]) -> Result<bool, Failure> {
        loop {
            let line_end = loop {
                if let Some(p) = self.buffer[at..].windows(2).position(|w| w == b"\r\n") {
                    break at + p;
                }
                self.fill(chunk)?;
            };
            let size = std::str::from_utf8(&self.buffer[at..line_end])
                .ok()
                .and_then(|l| usize::from_str_radix(l.split(';').next().unwrap_or("").trim(), 16).ok());
            let Some(size) = size else { return Ok(false) };
            // The chunk and its CRLF (the last, empty chunk: just the final CRLF).
            let end = line_end + 2 + size + 2;
            while self.buffer.len() < end {
                self.fill(chunk)?;
            }
            if size == 0 {
                return Ok(self.buffer.len() == end);
            }
            at = end;
        }
    }
}

struct Summary {
    requests: usize,
    per_second: f64,
    ok: Vec<Duration>,
    errors: usize,
    timeouts: usize,
}

impl Summary {
    /// The samples that started within `window` of the start (all when
    /// `None`), over a period of `span`.
    fn of(samples: &[Sample], window: Option<Duration>, span: Duration) -> Summary {
        let chosen: Vec<&Sample> = samples.iter().filter(|s| window.is_none_or(|w| s.start < w)).collect();
        let mut ok: Vec<Duration> = chosen.iter().filter(|s| s.outcome == Outcome::Ok).map(|s| s.latency).collect();
        ok.sort();
        Summary {
            requests: chosen.len(),
            per_second: ok.len() as f64 / span.as_secs_f64(),
            ok,
            errors: chosen.iter().filter(|s| s.outcome == Outcome::Error).count(),
            timeouts: chosen.iter().filter(|s| s.outcome == Outcome::Timeout).count(),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = |q: f64| {
            if self.ok.is_empty() {
                return f64::NAN;
            }
            ms(self.ok[((self.ok.len() - 1) as f64 * q).round() as usize])
        };
        write!(
            f,
            "{} requests, {:.0} requests/s, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {} errors, {} timeouts",
            self.requests,
            self.per_second,
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0),
            self.errors,
            self.timeouts
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
