//! Helpers shared by the `serve` integration tests: a temporary copy of the
//! default site, a raw HTTP client (no normalisation of the target, so
//! traversal attempts reach the server as written) and an SSE reader.
//! Everything waits with deadlines, never with a sleep that hopes.
#![allow(dead_code)]

use prongsai::serve::{Notice, Options, Server, Watching};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: the machine is shared with two compiling colleagues.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A copy of the default site's inputs in a temporary folder, with a warm
/// build cache (`.prongsai-cache/`: its share images, chart PNGs and search
/// index), as a site that has been built before has: without it every
/// server of every test would draw and index the whole site at once.
pub fn copy_site() -> tempfile::TempDir {
    let dir = crate::common::default_site_copy();
    crate::common::copy_dir(warm_cache(), &dir.path().join(prongsai::cache::DIR));
    dir
}

/// The default site's build cache, made once per test binary.
fn warm_cache() -> &'static Path {
    static CACHE: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> = std::sync::OnceLock::new();
    &CACHE
        .get_or_init(|| {
            let dir = crate::common::default_site_copy();
            let options = prongsai::site::Options { cache: true, ..Default::default() };
            prongsai::site::build(dir.path(), &options).expect("the default site builds");
            let cache = dir.path().join(prongsai::cache::DIR);
            (dir, cache)
        })
        .1
}

/// Notices the server printed, as text.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    pub fn contains(&self, needle: &str) -> bool {
        self.lines().iter().any(|l| l.contains(needle))
    }
}

pub fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        port: 0,
        next_free_port: false,
        debounce: Duration::from_millis(50),
        ..Options::default()
    }
}

pub fn start(options: Options) -> (Server, Log) {
    let log = Log::default();
    let sink = log.clone();
    let server = Server::start(options, move |n: &Notice| sink.0.lock().unwrap().push(n.to_string()))
        .expect("the server starts");
    // Tests start from a built site; the building page has a test of its own.
    assert!(server.wait_first_build(PATIENCE), "the first build did not finish");
    (server, log)
}

pub fn start_unwatched(root: &Path) -> (Server, Log) {
    start(Options { watching: Watching::Off, ..options(root) })
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends bytes as they are and reads the whole answer (the request should
/// say `Connection: close`).
pub fn raw(addr: SocketAddr, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request).expect("send");
    let mut bytes = Vec::new();
    // A server may close while we still send (e.g. a refused long request):
    // what was received is the answer.
    let _ = stream.read_to_end(&mut bytes);
    parse_reply(&bytes)
}

pub fn parse_reply(bytes: &[u8]) -> Reply {
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let body = bytes.get(split + 4..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    Reply { status, headers, body }
}

/// `GET target` with a loopback Host.
pub fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target, &format!("127.0.0.1:{}", addr.port()))
}

pub fn request(addr: SocketAddr, method: &str, target: &str, host: &str) -> Reply {
    raw(addr, format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
}

/// Polls until `check` gives a value or the deadline passes.
pub fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One Server-Sent Event.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: serde_json::Value,
}

/// A live-reload connection read over a raw socket.
pub struct Events {
    stream: TcpStream,
    buffer: Vec<u8>,
    pub status: u16,
}

impl Events {
    pub fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        let request = format!(
            "GET /__prongsai/events HTTP/1.1\r\nHost: localhost:{}\r\nAccept: text/event-stream\r\n\r\n",
            addr.port()
        );
        stream.write_all(request.as_bytes()).expect("send");
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let mut events = Events { stream, buffer: Vec::new(), status: 0 };
        let deadline = Instant::now() + PATIENCE;
        while !events.buffer.windows(4).any(|w| w == b"\r\n\r\n") {
            assert!(Instant::now() < deadline, "no answer to the event stream request");
            if !events.fill() {
                break;
            }
        }
        let split = events.buffer.windows(4).position(|w| w == b"\r\n\r\n").map_or(events.buffer.len(), |p| p + 4);
        events.status = parse_reply(&events.buffer[..split]).status;
        events.buffer.drain(..split);
        events
    }

    /// Reads what is there; false once the server closed the stream.
    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 8192];
        match self.stream.read(&mut chunk) {
            Ok(0) => false,
            Ok(n) => {
                self.buffer.extend_from_slice(&chunk[..n]);
                true
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => true,
            Err(_) => false,
        }
    }

    /// The next event (comments and `retry:` skipped), or None if the
    /// stream ends or the deadline passes.
    pub fn next(&mut self, deadline: Instant) -> Option<Event> {
        loop {
            while let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let block = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
                self.buffer.drain(..end + 2);
                let mut name = None;
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event: ") {
                        name = Some(n.to_string());
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data.push_str(d);
                    }
                }
                if let Some(name) = name {
                    let data = serde_json::from_str(&data).expect("event data is JSON");
                    return Some(Event { name, data });
                }
            }
            if Instant::now() >= deadline || !self.fill() {
                return None;
            }
        }
    }

    /// Skips events until one matches.
    pub fn wait(&mut self, what: &str, mut matches: impl FnMut(&Event) -> bool) -> Event {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.next(deadline) {
                Some(e) if matches(&e) => return e,
                Some(_) => continue,
                None => panic!("no event {what} before the deadline (or the stream closed)"),
            }
        }
    }
}

/// Whether `changed` in a reload event lists `path`.
pub fn lists(event: &Event, path: &str) -> bool {
    event.data["changed"].as_array().is_some_and(|a| a.iter().any(|p| p == path))
}

/// A kept-alive connection: requests one after another on one socket,
/// answers read by their Content-Length.
pub struct KeepAlive {
    pub stream: TcpStream,
    buffer: Vec<u8>,
    pub host: String,
}

impl KeepAlive {
    /// Connects; every read gives up after `patience`.
    pub fn open(addr: SocketAddr, patience: Duration) -> KeepAlive {
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_nodelay(true).unwrap();
        stream.set_read_timeout(Some(patience)).unwrap();
        KeepAlive { stream, buffer: Vec::new(), host: format!("127.0.0.1:{}", addr.port()) }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send");
    }

    /// `GET target` on this connection, and its answer.
    pub fn get(&mut self, target: &str) -> Result<Reply, String> {
        let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", self.host);
        self.stream.write_all(request.as_bytes()).map_err(|e| format!("send: {e}"))?;
        self.read_reply()
    }

    /// Reads one whole answer (head, then Content-Length bytes of body).
    pub fn read_reply(&mut self) -> Result<Reply, String> {
        let head_end = loop {
            if let Some(p) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            self.fill()?;
        };
        let head = parse_reply(&self.buffer[..head_end]);
        let length: usize = head.header("Content-Length").and_then(|l| l.parse().ok()).ok_or("no Content-Length")?;
        while self.buffer.len() < head_end + length {
            self.fill()?;
        }
        let body = self.buffer[head_end..head_end + length].to_vec();
        self.buffer.drain(..head_end + length);
        Ok(Reply { body, ..head })
    }

    /// Whether the server closed the connection (reads until it does, or
    /// until the read timeout: then false).
    pub fn closed_by_server(&mut self) -> bool {
        loop {
            match self.fill() {
                Ok(()) => continue,
                Err(e) => return e == "closed",
            }
        }
    }

    fn fill(&mut self) -> Result<(), String> {
        let mut chunk = [0u8; 16 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(0) => Err("closed".into()),
            Ok(n) => {
                self.buffer.extend_from_slice(&chunk[..n]);
                Ok(())
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                Err("timed out".into())
            }
            // A reset after the server closed is a close too.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => Err("closed".into()),
            Err(e) => Err(format!("read: {e}")),
        }
    }
}
