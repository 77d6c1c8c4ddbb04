//! `prongsai serve`: a preview that rebuilds on every save and reloads the
//! browser by itself.
//!
//! The site is built in memory and served from memory: `public/` is never
//! touched, so a preview cannot leave a half-built site where deployments come
//! from. The parts, one file each:
//! - [`watch`]: which files the build reads, and which file events mean
//!   "rebuild" (editor temp files never do);
//! - [`conn`]: the accept loop and the connections (one thread each,
//!   capped; HTTP/1.1 keep-alive; limits on what a request may send);
//! - [`http`]: what a request gets (GET and HEAD only, no request path
//!   leaves the in-memory site, loopback Host names only);
//! - [`live`]: the Server-Sent Events hub, the reload script and the error
//!   overlay.
//!
//! This file ties them together. One builder thread owns the watcher: it
//! rebuilds the whole site, swaps the new file map in, and only then tells the
//! browsers which paths changed, so a reload never lands on content that is
//! not being served yet.
//!
//! Why full rebuilds and no dependency tracking: a warm in-process build of
//! the default site takes about 11 ms in release on the 2-core reference
//! machine (median of 20; 28–29 ms cold; `cargo run --release --example
//! reload_latency` prints it), small next to the debounce delay and far below
//! what an editor can notice. Diffing the old and new file maps then gives
//! the exact set of changed outputs for free.

pub mod conn;
pub mod http;
pub mod live;
pub mod watch;

use crate::diagnostic::Finding;
use crate::site;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The port `prongsai serve` listens on unless told otherwise (Zola's too).
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after a busy one are tried before giving up.
const PORT_TRIES: u16 = 20;

/// After a folder appears, the build runs once more this much later: a file
/// written right after `mkdir -p` can be missed by the watcher (inotify adds
/// the new folder's watch after the file is already there).
const FOLDER_RECHECK: Duration = Duration::from_millis(300);

/// How the preview learns that files changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watching {
    /// The operating system reports changes (inotify, FSEvents,
    /// ReadDirectoryChangesW). Fast; fails on some network drives and WSL.
    Native,
    /// Every file's modification time is compared at this interval. Works
    /// everywhere, at the cost of the interval in latency.
    Poll(Duration),
    /// No watching: the site is built once at start (for tests of the HTTP side).
    Off,
}

/// What `Server::start` needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder (holds `content/`, `themes/`, …).
    pub root: PathBuf,
    /// The address to listen on. A loopback address also turns on the Host
    /// check against DNS rebinding.
    pub bind: IpAddr,
    /// The port; 0 lets the system choose a free one.
    pub port: u16,
    /// When the port is busy, try the next ones (and say so) instead of failing.
    pub next_free_port: bool,
    /// Lint warnings stop the build, as in `build --strict`.
    pub strict: bool,
    pub watching: Watching,
    /// How long the files must be quiet before a rebuild: one save makes a
    /// burst of events, and several quick saves should make one rebuild.
    pub debounce: Duration,
    /// Open connections allowed at once, event streams included; more are
    /// answered 503 and closed. Each has its own thread.
    pub max_connections: usize,
    /// A kept-alive connection with no new request for this long is closed.
    pub idle_timeout: Duration,
    /// Open live-reload connections allowed at once; more get 503.
    pub max_event_streams: usize,
    /// How often an idle event stream gets a comment, to notice closed tabs.
    pub ping_interval: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            next_free_port: true,
            strict: false,
            watching: Watching::Native,
            debounce: Duration::from_millis(75),
            // A browser opens at most 6 connections to a host; this leaves
            // room for many tabs and devices, and bounds threads and sockets.
            max_connections: 256,
            idle_timeout: Duration::from_secs(30),
            max_event_streams: 32,
            ping_interval: Duration::from_secs(15),
        }
    }
}

/// Why the preview could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("ไม่พบโฟลเดอร์เว็บไซต์ {}: {reason}", path.display())]
    Root { path: PathBuf, reason: String },
    #[error("พอร์ต {port} ถึง {last} ที่ {bind} มีโปรแกรมอื่นใช้อยู่ทั้งหมด: ปิดโปรแกรมนั้น หรือเลือกพอร์ตอื่นด้วย --port")]
    PortsBusy { bind: IpAddr, port: u16, last: u16 },
    #[error("พอร์ต {port} ที่ {bind} มีโปรแกรมอื่นใช้อยู่: ปิดโปรแกรมนั้น หรือเลือกพอร์ตอื่นด้วย --port")]
    PortBusy { bind: IpAddr, port: u16 },
    #[error("เปิดเซิร์ฟเวอร์ที่ {addr} ไม่ได้: {reason}")]
    Bind { addr: SocketAddr, reason: String },
    #[error("เริ่มเฝ้าดูไฟล์ไม่ได้: {0}")]
    Watch(String),
    #[error("เริ่มเธรดของเซิร์ฟเวอร์ไม่ได้: {0}")]
    Thread(#[from] std::io::Error),
}

/// What the preview tells the person running it. `Display` gives the Thai
/// text the command prints; tests look at the variants.
#[derive(Debug, Clone)]
pub enum Notice {
    /// The server is listening at `url`.
    Listening {
        url: String,
        /// The port asked for, when it was busy and another was taken.
        busy_port: Option<u16>,
        /// Bound to an address other computers can reach.
        exposed: bool,
    },
    /// What is watched, and how.
    Watching { how: Watching, dirs: Vec<String> },
    /// Native watching failed; polling took over.
    FellBackToPolling { reason: String, interval: Duration },
    /// A build succeeded and its site is being served.
    Built {
        first: bool,
        files: usize,
        /// Output paths that differ from the previous site.
        changed: usize,
        elapsed: Duration,
        /// Input files whose change started this build (root-relative).
        inputs: Vec<String>,
    },
    /// Warnings that differ from the previous build's.
    Warnings(Vec<Finding>),
    /// A build failed; the last good site is still served.
    Failed { findings: Vec<Finding>, serving_previous: bool },
    /// The watcher reported a problem (changes may be missed).
    WatchProblem(String),
    /// The build stopped on a bug in prongsai (the panic message was printed
    /// above); the last good site is still served.
    BuildCrashed,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Listening { url, busy_port, exposed } => {
                if let Some(p) = busy_port {
                    writeln!(f, "พอร์ต {p} มีโปรแกรมอื่นใช้อยู่ จึงใช้พอร์ตถัดไปที่ว่างแทน")?;
                }
                writeln!(f, "ดูตัวอย่างเว็บไซต์ได้ที่ {url}")?;
                if *exposed {
                    writeln!(
                        f,
                        "เครื่องอื่นในเครือข่ายเดียวกันเปิดดูได้ด้วย (ใช้ที่อยู่ IP ของเครื่องนี้แทน {url}); ใช้ --bind 127.0.0.1 ถ้าต้องการให้ดูได้เฉพาะเครื่องนี้"
                    )?;
                }
                write!(f, "กด Ctrl+C เพื่อหยุด")
            }
            Notice::Watching { how, dirs } => {
                let list = dirs.join(", ");
                match how {
                    Watching::Native => write!(f, "เฝ้าดูการแก้ไขไฟล์ใน {list}: บันทึกไฟล์แล้วหน้าเว็บจะโหลดใหม่เอง"),
                    Watching::Poll(d) => {
                        write!(f, "ตรวจการแก้ไขไฟล์ใน {list} ทุก {} วินาที: บันทึกไฟล์แล้วหน้าเว็บจะโหลดใหม่เอง", seconds(*d))
                    }
                    Watching::Off => write!(f, "ไม่ได้เฝ้าดูการแก้ไขไฟล์"),
                }
            }
            Notice::FellBackToPolling { reason, interval } => write!(
                f,
                "เฝ้าดูไฟล์แบบปกติไม่ได้ ({reason}) จึงเปลี่ยนเป็นตรวจไฟล์ทุก {} วินาทีแทน (เหมือน --poll)",
                seconds(*interval)
            ),
            Notice::Built { first: true, files, elapsed, .. } => {
                write!(f, "สร้างเว็บไซต์แล้ว: {files} ไฟล์ ใน {} ms", millis(*elapsed))
            }
            Notice::Built { first: false, changed, elapsed, inputs, .. } => {
                let what = match inputs.len() {
                    0 => String::new(),
                    1..=3 => format!(" ({})", inputs.join(", ")),
                    n => format!(" ({} และอีก {} ไฟล์)", inputs[..3].join(", "), n - 3),
                };
                if *changed == 0 {
                    write!(f, "สร้างใหม่แล้ว{what}: ไม่มีหน้าไหนเปลี่ยน ({} ms)", millis(*elapsed))
                } else {
                    write!(f, "สร้างใหม่แล้ว{what}: เปลี่ยน {changed} ไฟล์ ({} ms)", millis(*elapsed))
                }
            }
            Notice::Warnings(findings) => {
                for finding in findings {
                    writeln!(f, "{finding}")?;
                }
                write!(f, "คำเตือน {} รายการ (เว็บไซต์ยังสร้างได้)", findings.len())
            }
            Notice::Failed { findings, serving_previous } => {
                for finding in findings {
                    writeln!(f, "{finding}")?;
                }
                let errors = findings.iter().filter(|x| x.is_error()).count();
                write!(f, "สร้างเว็บไซต์ไม่สำเร็จ: ข้อผิดพลาด {errors} รายการ")?;
                if *serving_previous {
                    write!(f, " เบราว์เซอร์ยังแสดงเว็บไซต์ที่สร้างได้ครั้งล่าสุด")?;
                }
                write!(f, " แก้ไฟล์แล้วบันทึก ระบบจะสร้างใหม่เอง")
            }
            Notice::BuildCrashed => write!(
                f,
                "สร้างเว็บไซต์ไม่สำเร็จเพราะข้อบกพร่องใน prongsai เอง (ไม่ใช่ในเนื้อหา): ยังแสดงเว็บไซต์ที่สร้างได้ครั้งล่าสุด กรุณาแจ้งข้อความด้านบนให้ผู้ดูแล prongsai"
            ),
            Notice::WatchProblem(reason) => {
                write!(f, "เฝ้าดูไฟล์มีปัญหา: {reason} (การแก้ไขบางครั้งอาจไม่ถูกเห็น ถ้าเป็นบ่อยให้เริ่มใหม่ด้วย --poll)")
            }
        }
    }
}

fn millis(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

fn seconds(d: Duration) -> String {
    let s = format!("{:.1}", d.as_secs_f64());
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Where notices go: the command prints them, tests collect them.
pub type NoticeSink = Arc<dyn Fn(&Notice) + Send + Sync>;

/// What the server serves right now. Replaced whole, never edited in place:
/// a request sees one consistent site.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    /// Counts the swaps that changed some file; pages carry the version they
    /// were served at, so a browser can tell when it missed an update.
    pub version: u64,
    /// The last good site (empty until the first build succeeds).
    pub files: Arc<site::Files>,
    /// Whether any build has succeeded yet.
    pub built: bool,
    /// The problems of the latest build, when it failed.
    pub broken: Option<Arc<Broken>>,
}

/// A failed build, as the browser shows it.
#[derive(Debug)]
pub(crate) struct Broken {
    pub findings: Vec<Finding>,
    /// The overlay, rendered once (all strings escaped).
    pub overlay: String,
}

/// What the connections, the event streams and the builder share.
pub(crate) struct Shared {
    state: RwLock<Arc<State>>,
    pub hub: live::Hub,
    pub connections: conn::Connections,
    pub idle_timeout: Duration,
    pub stop: AtomicBool,
    /// Refuse Host names that are not loopback (DNS rebinding).
    pub loopback_only: bool,
    /// Differs per server process, so a page can tell that the server restarted.
    pub instance: String,
    pub ping_interval: Duration,
    builds: AtomicU64,
    /// Where the build in progress has got, for the page shown before the
    /// first build is ready.
    progress: std::sync::Mutex<site::Stage>,
}

impl Shared {
    fn set_progress(&self, stage: site::Stage) {
        *self.progress.lock().unwrap_or_else(PoisonError::into_inner) = stage;
    }

    pub fn progress(&self) -> site::Stage {
        *self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn state(&self) -> Arc<State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn replace(&self, f: impl FnOnce(&State) -> State) -> (Arc<State>, Arc<State>) {
        let mut guard = self.state.write().unwrap_or_else(PoisonError::into_inner);
        let old = guard.clone();
        let new = Arc::new(f(&old));
        *guard = new.clone();
        (old, new)
    }
}

/// A snapshot of the preview, for tests and tools.
#[derive(Debug, Clone)]
pub struct Status {
    /// See [`State::version`]: bumps when a build changes some output file.
    pub version: u64,
    /// Builds run so far, failed ones included.
    pub builds: u64,
    /// The findings of the latest build if it failed, else empty.
    pub errors: Vec<Finding>,
    /// Output files being served.
    pub files: usize,
    /// Open live-reload connections.
    pub event_streams: usize,
    /// Open connections, event streams included.
    pub connections: usize,
}

/// A running preview. Dropping it (or [`Server::shutdown`]) stops the
/// watcher, the builder and the accept loop and closes every connection,
/// event streams included.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    /// The accept loop; it owns the listening socket.
    accept: Option<JoinHandle<()>>,
    threads: Vec<JoinHandle<()>>,
    wake_builder: Option<mpsc::Sender<watch::Batch>>,
}

impl Server {
    /// Binds, builds the site once, starts watching and serving, and returns.
    /// A first build that fails still starts the server: the browser shows
    /// the problems and reloads when they are fixed.
    pub fn start(options: Options, notices: impl Fn(&Notice) + Send + Sync + 'static) -> Result<Server, StartError> {
        let notices: NoticeSink = Arc::new(notices);
        let root = std::path::absolute(&options.root)
            .map_err(|e| StartError::Root { path: options.root.clone(), reason: e.to_string() })?;
        if !root.is_dir() {
            return Err(StartError::Root {
                path: options.root.clone(), reason: "ไม่ใช่โฟลเดอร์หรือไม่มีอยู่".into()
            });
        }

        let (listener, busy_port) = bind(options.bind, options.port, options.next_free_port)?;
        let addr = listener.local_addr().map_err(|e| StartError::Bind {
            addr: SocketAddr::new(options.bind, options.port),
            reason: e.to_string(),
        })?;

        let shared = Arc::new(Shared {
            state: RwLock::new(Arc::new(State::default())),
            hub: live::Hub::new(options.max_event_streams),
            connections: conn::Connections::new(options.max_connections),
            idle_timeout: options.idle_timeout,
            stop: AtomicBool::new(false),
            loopback_only: options.bind.is_loopback(),
            instance: instance_id(),
            ping_interval: options.ping_interval,
            builds: AtomicU64::new(0),
            progress: std::sync::Mutex::new(site::Stage::Step("เริ่มต้น")),
        });

        // The site is built for the address it is previewed at: canonical
        // links and the 404 page's absolute links then work in the preview.
        let url = preview_url(addr);
        let shown = shared.clone();
        let build_options = site::Options {
            base_url: Some(url.clone()),
            strict: options.strict,
            progress: site::Progress::new(move |stage| shown.set_progress(stage)),
            cache: true,
            cache_dir: None,
        };
        // Watch before the first build, so a save during it is not missed
        // (it only costs one more build that changes nothing).
        let (tx, rx) = mpsc::channel::<watch::Batch>();
        let watcher = match options.watching {
            Watching::Off => None,
            how => Some(start_watcher(&root, how, options.debounce, tx.clone(), &notices)?),
        };
        let mut builder = Builder {
            root: root.clone(),
            options: build_options,
            shared: shared.clone(),
            notices: notices.clone(),
            warnings: Vec::new(),
            session: site::Session::default(),
        };

        // The handle exists before any thread does: if starting one fails,
        // returning drops it, and that stops the ones already running.
        let mut server =
            Server { addr, shared: shared.clone(), accept: None, threads: Vec::new(), wake_builder: Some(tx) };
        // Serve from the first moment: until the first build is ready (seconds
        // for a plan of thousands of indicators), every page is a "building"
        // page that shows how far it has got and reloads when it is done.
        let accepting = shared.clone();
        server.accept = Some(
            std::thread::Builder::new()
                .name("prongsai-accept".into())
                .spawn(move || conn::accept_loop(listener, accepting))?,
        );
        server.threads.push(std::thread::Builder::new().name("prongsai-builder".into()).spawn(move || {
            builder.rebuild(Vec::new());
            builder.run(rx, watcher)
        })?);

        notices(&Notice::Listening { url, busy_port, exposed: !options.bind.is_loopback() });
        Ok(server)
    }

    /// Waits until the first build has finished (succeeded or failed), at
    /// most `timeout`; whether it has.
    pub fn wait_first_build(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.shared.builds.load(Ordering::SeqCst) == 0 {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }

    /// The address actually bound (the port may differ from the one asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address to open in a browser, ending in `/`.
    pub fn url(&self) -> String {
        preview_url(self.addr)
    }

    pub fn status(&self) -> Status {
        let state = self.shared.state();
        Status {
            version: state.version,
            builds: self.shared.builds.load(Ordering::SeqCst),
            errors: state.broken.as_ref().map(|b| b.findings.clone()).unwrap_or_default(),
            files: state.files.len(),
            event_streams: self.shared.hub.len(),
            connections: self.shared.connections.len(),
        }
    }

    /// Rebuilds now, as if a file had changed (for tools and tests; watching
    /// does this by itself).
    pub fn rebuild(&self) {
        if let Some(tx) = &self.wake_builder {
            let _ = tx.send(Ok(Vec::new()));
        }
    }

    /// Blocks until the server stops (for the command: until Ctrl+C).
    pub fn wait(mut self) {
        for t in self.accept.take().into_iter().chain(self.threads.drain(..)) {
            let _ = t.join();
        }
    }

    /// Stops everything and waits for the threads to end.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Closing the hub ends every event stream at its next wake-up.
        self.shared.hub.close();
        self.wake_builder = None;
        // The accept loop blocks in accept(): one connection wakes it, it
        // sees the flag and ends, dropping the listening socket. If even
        // that connection fails, the thread is left to end at the next one
        // rather than hanging the caller.
        if let Some(accept) = self.accept.take() {
            if conn::wake(self.addr) {
                let _ = accept.join();
            }
        }
        // Idle kept-alive connections wait in read(): closing their sockets
        // wakes them.
        self.shared.connections.close_all(Duration::from_secs(2));
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds the port, or the next free one when allowed.
fn bind(ip: IpAddr, port: u16, next_free: bool) -> Result<(TcpListener, Option<u16>), StartError> {
    let tries = if next_free && port != 0 { PORT_TRIES } else { 1 };
    let mut last = port;
    for i in 0..tries {
        let Some(p) = port.checked_add(i) else { break };
        last = p;
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(listener) => return Ok((listener, (i > 0).then_some(port))),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                let reason = match e.kind() {
                    std::io::ErrorKind::PermissionDenied => {
                        "ไม่มีสิทธิ์ใช้พอร์ตนี้ (พอร์ตต่ำกว่า 1024 ต้องใช้สิทธิ์ผู้ดูแลระบบ)".to_string()
                    }
                    std::io::ErrorKind::AddrNotAvailable => "เครื่องนี้ไม่มีที่อยู่นี้".to_string(),
                    _ => e.to_string(),
                };
                return Err(StartError::Bind { addr: SocketAddr::new(ip, p), reason });
            }
        }
    }
    if tries > 1 {
        Err(StartError::PortsBusy { bind: ip, port, last })
    } else {
        Err(StartError::PortBusy { bind: ip, port })
    }
}

/// Where this computer reaches a server bound to `addr`: an unspecified
/// bind address (0.0.0.0, ::) is reached at loopback.
fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port()),
        IpAddr::V6(v6) if v6.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), addr.port())
        }
        _ => addr,
    }
}

/// `http://127.0.0.1:1111/`; an unspecified bind address (0.0.0.0) is shown
/// as loopback, which is where a browser on this computer finds it.
fn preview_url(addr: SocketAddr) -> String {
    match reachable(addr).ip() {
        IpAddr::V4(v4) => format!("http://{v4}:{}/", addr.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}/", addr.port()),
    }
}

/// Unique enough to tell two server processes apart on one computer.
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{:x}-{:x}", std::process::id(), nanos)
}

fn start_watcher(
    root: &Path,
    how: Watching,
    debounce: Duration,
    tx: mpsc::Sender<watch::Batch>,
    notices: &NoticeSink,
) -> Result<watch::Watcher, StartError> {
    let docs = watch::cited_documents(root);
    let started = watch::Watcher::start(root, how, debounce, tx.clone(), &docs);
    let watcher = match (started, how) {
        (Ok(w), _) => w,
        // inotify runs out of watches, or the filesystem has no notifications:
        // polling always works, so fall back rather than refuse to preview.
        (Err(e), Watching::Native) => {
            let interval = watch::DEFAULT_POLL;
            notices(&Notice::FellBackToPolling { reason: e.to_string(), interval });
            watch::Watcher::start(root, Watching::Poll(interval), debounce, tx, &docs)
                .map_err(|e| StartError::Watch(e.to_string()))?
        }
        (Err(e), _) => return Err(StartError::Watch(e.to_string())),
    };
    notices(&Notice::Watching { how: watcher.how(), dirs: watcher.described() });
    Ok(watcher)
}

/// Owns the watcher; builds, swaps, then announces.
struct Builder {
    root: PathBuf,
    options: site::Options,
    shared: Arc<Shared>,
    notices: NoticeSink,
    /// The warnings last printed, so an unchanged list is not printed again.
    warnings: Vec<Finding>,
    /// The last good build, so that the next makes only what changed.
    session: site::Session,
}

impl Builder {
    fn run(mut self, rx: Receiver<watch::Batch>, mut watcher: Option<watch::Watcher>) {
        let mut recheck: Option<Instant> = None;
        while !self.shared.stop.load(Ordering::SeqCst) {
            let wait = recheck.map_or(Duration::from_millis(200), |at| at.saturating_duration_since(Instant::now()));
            let first = match rx.recv_timeout(wait) {
                Ok(batch) => batch,
                Err(RecvTimeoutError::Timeout) => {
                    if recheck.is_some_and(|at| at <= Instant::now()) {
                        recheck = None;
                        self.rebuild(Vec::new());
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            // Whatever else arrived while the last build ran joins this one:
            // a burst of saves makes one rebuild.
            let mut batches = vec![first];
            batches.extend(rx.try_iter());
            let mut trigger = watch::Trigger::default();
            for batch in batches {
                match batch {
                    Ok(events) if events.is_empty() => trigger.rebuild = true, // Server::rebuild
                    Ok(events) => trigger.merge(watcher.as_ref().map(|w| w.classify(&events)).unwrap_or_default()),
                    Err(errors) => {
                        for e in errors {
                            (self.notices)(&Notice::WatchProblem(e.to_string()));
                        }
                        // An error may mean lost events: rebuilding is cheap and safe.
                        trigger.rebuild = true;
                    }
                }
            }
            if !trigger.rebuild {
                continue;
            }
            self.rebuild(trigger.inputs.into_iter().collect());
            if trigger.new_folder {
                recheck = Some(Instant::now() + FOLDER_RECHECK);
            }
            if let Some(w) = watcher.as_mut() {
                // What the build read, not read again: the last good version
                // of each content file (read when nothing was ever loaded).
                let cited = self.session.cited_documents();
                let docs = if cited.is_empty() {
                    watch::cited_documents(&self.root)
                } else {
                    cited.iter().map(|f| watch::normalize(&self.root.join(f))).collect()
                };
                for problem in w.reconcile(&docs, trigger.rewatch) {
                    (self.notices)(&Notice::WatchProblem(problem));
                }
            }
        }
        if let Some(w) = watcher {
            w.stop();
        }
    }

    /// One full build. On success the new site replaces the old before any
    /// browser hears of it; on failure the old site stays and browsers get
    /// the overlay.
    fn rebuild(&mut self, inputs: Vec<String>) {
        let started = Instant::now();
        // A panic in the build is a bug in prongsai, not in the content; it
        // must not end the preview, which keeps serving the last good site.
        let built =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.session.build(&self.root, &self.options)));
        let elapsed = started.elapsed();
        let Ok(result) = built else {
            // What the session held may be half-updated: start afresh.
            self.session = site::Session::default();
            self.shared.builds.fetch_add(1, Ordering::SeqCst);
            (self.notices)(&Notice::BuildCrashed);
            return;
        };
        let first = self.shared.builds.load(Ordering::SeqCst) == 0;
        match result {
            Ok(built) => {
                let files = built.files.len();
                let changed = built.changed;
                let (old, new) = self.shared.replace(|old| State {
                    version: if changed.is_empty() { old.version } else { old.version + 1 },
                    files: built.files.clone(),
                    built: true,
                    broken: None,
                });
                // The new site is in place: only now may a browser reload.
                if !changed.is_empty() || old.broken.is_some() {
                    self.shared.hub.broadcast(live::reload_event(
                        &self.shared.instance,
                        old.version,
                        new.version,
                        &changed,
                    ));
                }
                (self.notices)(&Notice::Built { first, files, changed: changed.len(), elapsed, inputs });
                if built.warnings != self.warnings {
                    if !built.warnings.is_empty() {
                        (self.notices)(&Notice::Warnings(built.warnings.clone()));
                    }
                    self.warnings = built.warnings;
                }
            }
            Err(failure) => {
                let findings = failure.findings().to_vec();
                let broken = Arc::new(Broken {
                    overlay: live::overlay_html(&findings, self.shared.state().built),
                    findings: findings.clone(),
                });
                let (_, new) = self.shared.replace(|old| State { broken: Some(broken.clone()), ..old.clone() });
                self.shared.hub.broadcast(live::broken_event(&self.shared.instance, new.version, &broken.overlay));
                (self.notices)(&Notice::Failed { findings, serving_previous: new.built });
            }
        }
        // Counted once browsers and the terminal have been told: whoever
        // waits for a build (`wait_first_build`, a client connecting after it)
        // then never gets that build's news late, as if it were the next's.
        self.shared.builds.fetch_add(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_port_moves_on_or_says_so() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        match bind(ip, port, false) {
            Err(e @ StartError::PortBusy { .. }) => assert!(e.to_string().contains(&port.to_string())),
            other => panic!("expected a busy port, got {other:?}"),
        }
        // The next port may be taken by someone else too; what matters is
        // that a different one is bound and the busy one is reported.
        if let Ok((l, busy)) = bind(ip, port, true) {
            assert_ne!(l.local_addr().unwrap().port(), port);
            assert_eq!(busy, Some(port));
        }
    }

    #[test]
    fn preview_url_shows_a_reachable_address() {
        assert_eq!(preview_url("0.0.0.0:1111".parse().unwrap()), "http://127.0.0.1:1111/");
        assert_eq!(preview_url("[::1]:8080".parse().unwrap()), "http://[::1]:8080/");
    }
}
