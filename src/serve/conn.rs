//! Connections: the accept loop, reading requests and writing responses.
//!
//! Why this is ours and not tiny_http's: tiny_http 0.12 hands each
//! connection to an internal pool that queues it for an idle thread
//! whenever its idle count is above zero, but a burst of accepts sees the
//! same idle threads counted for every queued connection, and a pool thread
//! keeps a kept-alive connection until it closes, so connections queued
//! behind it wait (after 7 s idle, 15–29 of a 10 s `wrk -c50` run's requests
//! timed out). The pool is private, so it cannot be fixed from outside. Its
//! responses also leave in several small writes on a socket without
//! TCP_NODELAY, so each one after the first on a connection waited ~44 ms
//! for the client's delayed ACK.
//!
//! So: one thread per connection (no queue, so no lost wake-up), capped at
//! [`super::Options::max_connections`] open connections (more get 503 and
//! are closed); TCP_NODELAY on every accepted socket; each response written
//! with one `write_all`. Requests are parsed with httparse. HTTP/1.1 keeps
//! the connection open unless the client says `Connection: close`;
//! HTTP/1.0 closes unless it says `Connection: keep-alive`. A request head
//! must arrive whole within [`HEAD_TIMEOUT`] and fit in [`MAX_HEAD`] bytes;
//! a kept-alive connection with no new request for the idle timeout is
//! closed. GET and HEAD carry no body: a short one is read and dropped, a
//! longer one or a chunked one is refused and the connection closed.

use super::{Shared, http, live};
use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A request head (request line and header fields) longer than this is
/// refused with 431. Browsers send a few hundred bytes; cookies set by other
/// programs on `localhost` can add a few kilobytes.
pub const MAX_HEAD: usize = 64 * 1024;
/// Header fields in one request at most (a browser sends about 15).
const MAX_HEADERS: usize = 64;
/// A GET or HEAD body up to this size is read and dropped; a longer one is 413.
const MAX_IGNORED_BODY: usize = 8 * 1024;
/// From the first byte of a request to the end of its head: a client that
/// trickles its head slower than this holds a thread for nothing.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A response (or event) the client does not take within this time ends the
/// connection.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// After answering on a connection that will close, what the client still
/// sends is read and dropped for at most this long (up to [`LINGER_BYTES`]):
/// closing a socket with unread data resets the connection, and the client
/// could lose the answer it has not read yet.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1024 * 1024;
/// Connection threads only route a request and copy a page from memory.
const STACK_SIZE: usize = 256 * 1024;

/// A parsed request.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub method: Method,
    /// The request target as sent: not decoded, query included.
    pub target: String,
    /// The `Host` field, if any.
    pub host: Option<String>,
    /// The client wants the connection kept open after the answer.
    pub keep_alive: bool,
    /// HTTP/1.1 (else 1.0, which closes unless asked not to).
    http11: bool,
    body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Head,
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    None,
    Length(u64),
    Chunked,
}

/// Why a request was refused before it reached the site.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refused {
    #[error("malformed request: {0}")]
    Malformed(httparse::Error),
    #[error("the request head is longer than {MAX_HEAD} bytes")]
    HeadTooLarge,
    #[error("more than {MAX_HEADERS} header fields")]
    TooManyHeaders,
    #[error("not HTTP/1.0 or HTTP/1.1")]
    Version,
    #[error("the request head did not arrive within {HEAD_TIMEOUT:?}")]
    HeadTimeout,
    #[error("conflicting or invalid message framing: {0}")]
    Framing(&'static str),
    #[error("a GET or HEAD request with a body longer than {MAX_IGNORED_BODY} bytes")]
    BodyTooLarge,
}

impl Refused {
    fn status(&self) -> u16 {
        match self {
            Refused::Malformed(_) | Refused::Framing(_) => 400,
            Refused::HeadTooLarge | Refused::TooManyHeaders => 431,
            Refused::Version => 505,
            Refused::HeadTimeout => 408,
            Refused::BodyTooLarge => 413,
        }
    }

    fn reply(&self) -> Reply {
        let thai = match self {
            Refused::HeadTooLarge | Refused::TooManyHeaders => "ส่วนหัวของคำขอยาวเกินไป",
            Refused::HeadTimeout => "คำขอมาไม่ครบในเวลาที่กำหนด",
            Refused::BodyTooLarge => "คำขอแบบ GET และ HEAD ต้องไม่มีเนื้อหา",
            Refused::Version => "รองรับเฉพาะ HTTP/1.0 และ HTTP/1.1",
            Refused::Malformed(_) | Refused::Framing(_) => "คำขอไม่ถูกต้อง",
        };
        Reply::text(self.status(), format!("{thai} ({self})\n"))
    }
}

/// An answer, written in one piece by [`Reply::encode`].
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Header fields beyond those every response carries.
    pub extra: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply { status, content_type, body, extra: Vec::new() }
    }

    pub fn text(status: u16, body: impl Into<String>) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", body.into().into_bytes())
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.extra.push((name, value.into()));
        self
    }

    /// Status line, header fields and (unless `head_only`) the body, in one
    /// buffer. `connection` is the `Connection` field's value, if one is due.
    pub fn encode(&self, head_only: bool, connection: Option<&str>) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 320);
        let date = httpdate::fmt_http_date(std::time::SystemTime::now());
        let _ = write!(
            out,
            "HTTP/1.1 {} {}\r\nDate: {date}\r\nServer: prongsai\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.extra {
            // Values come from this program (a percent-encoded Location, a
            // number); a line break would split the response, so never.
            if !value.contains(['\r', '\n']) {
                let _ = write!(out, "{name}: {value}\r\n");
            }
        }
        if let Some(c) = connection {
            let _ = write!(out, "Connection: {c}\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !head_only {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// What the site makes of a request.
pub(crate) enum Answer {
    Reply(Reply),
    /// A live-reload stream: the connection becomes the stream.
    Events(live::Subscription),
}

/// The open connections: counted for the cap, and kept (as a second handle
/// on each socket) so that shutdown can close them, which wakes a thread
/// blocked reading an idle connection at once.
pub(crate) struct Connections {
    inner: Mutex<Open>,
    emptied: Condvar,
    max: usize,
}

#[derive(Default)]
struct Open {
    next_id: u64,
    sockets: HashMap<u64, TcpStream>,
    closed: bool,
}

impl Connections {
    pub fn new(max: usize) -> Connections {
        Connections { inner: Mutex::new(Open::default()), emptied: Condvar::new(), max: max.max(1) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a connection, or `None` when full or closed.
    fn enter(&self, stream: &TcpStream) -> Option<u64> {
        let mut open = self.lock();
        if open.closed || open.sockets.len() >= self.max {
            return None;
        }
        let handle = stream.try_clone().ok()?;
        open.next_id += 1;
        let id = open.next_id;
        open.sockets.insert(id, handle);
        Some(id)
    }

    fn leave(&self, id: u64) {
        let mut open = self.lock();
        open.sockets.remove(&id);
        if open.sockets.is_empty() {
            self.emptied.notify_all();
        }
    }

    pub fn len(&self) -> usize {
        self.lock().sockets.len()
    }

    /// Closes every connection and refuses new ones; waits up to `patience`
    /// for their threads to finish.
    pub fn close_all(&self, patience: Duration) {
        let deadline = Instant::now() + patience;
        let mut open = self.lock();
        open.closed = true;
        for socket in open.sockets.values() {
            let _ = socket.shutdown(Shutdown::Both);
        }
        while !open.sockets.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            open = self.emptied.wait_timeout(open, left).unwrap_or_else(PoisonError::into_inner).0;
        }
    }
}

/// Accepts connections until the server stops, each on a thread of its own.
pub(crate) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let accepted = listener.accept();
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if matches!(e.kind(), ErrorKind::Interrupted | ErrorKind::ConnectionAborted) => continue,
            // Out of file descriptors or similar: wait a moment rather than spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        // Answers leave at once instead of waiting for the client's
        // delayed ACK of the previous one (~40 ms on Linux).
        let _ = stream.set_nodelay(true);
        let Some(id) = shared.connections.enter(&stream) else {
            refuse_busy(stream);
            continue;
        };
        let for_thread = shared.clone();
        let spawned =
            std::thread::Builder::new().name(format!("prongsai-conn-{id}")).stack_size(STACK_SIZE).spawn(move || {
                serve(stream, &for_thread);
                for_thread.connections.leave(id);
            });
        if spawned.is_err() {
            // The closure, and the socket with it, is gone: forget the slot.
            shared.connections.leave(id);
        }
    }
}

/// Wakes the accept loop so it sees the stop flag: one connection to itself.
pub(crate) fn wake(addr: SocketAddr) -> bool {
    let target = super::reachable(addr);
    TcpStream::connect_timeout(&target, Duration::from_secs(1)).is_ok()
}

/// Over the cap: 503 and close, from the accept thread, so a flood of
/// connections makes no threads. What the client already sent is read
/// first (briefly), so closing does not reset the connection before the
/// answer arrives.
fn refuse_busy(mut stream: TcpStream) {
    let mut scratch = [0u8; 4096];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(20)));
    let _ = stream.read(&mut scratch);
    let reply = Reply::text(503, "มีการเชื่อมต่อมากเกินไป ลองใหม่อีกครั้ง\n").with("Retry-After", "1");
    let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
    let _ = stream.write_all(&reply.encode(false, Some("close")));
    let _ = stream.shutdown(Shutdown::Write);
    if stream.set_nonblocking(true).is_ok() {
        while matches!(stream.read(&mut scratch), Ok(n) if n > 0) {}
    }
}

/// One connection: requests and answers until either side closes.
fn serve(stream: TcpStream, shared: &Arc<Shared>) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut conn = Conn { stream, buffer: Vec::with_capacity(2048), read_timeout: None };
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let request = match conn.next_request(shared.idle_timeout) {
            Ok(Some(rq)) => rq,
            Ok(None) => return,
            Err(refused) => {
                conn.send_and_close(&refused.reply(), false);
                return;
            }
        };
        let bodiless = matches!(request.method, Method::Get | Method::Head);
        let mut keep_alive = request.keep_alive;
        match request.body {
            Body::None => {}
            Body::Length(n) if bodiless && n <= MAX_IGNORED_BODY as u64 => {
                if !conn.discard(n as usize) {
                    return;
                }
            }
            Body::Length(_) if bodiless => {
                conn.send_and_close(&Refused::BodyTooLarge.reply(), false);
                return;
            }
            Body::Chunked if bodiless => {
                conn.send_and_close(&Refused::Framing("a chunked body on GET or HEAD").reply(), false);
                return;
            }
            // Other methods are refused (405) whatever they carry; the body
            // is not read, so the connection cannot carry another request.
            Body::Length(_) | Body::Chunked => keep_alive = false,
        }
        let head_only = request.method == Method::Head;
        match http::handle(&request, shared) {
            Answer::Reply(reply) if keep_alive => {
                // HTTP/1.0 closes by default: say that it stays open.
                let connection = (!request.http11).then_some("keep-alive");
                if conn.stream.write_all(&reply.encode(head_only, connection)).is_err() {
                    return;
                }
            }
            Answer::Reply(reply) => {
                conn.send_and_close(&reply, head_only);
                return;
            }
            Answer::Events(subscription) => {
                live::stream(conn.stream, subscription, shared);
                return;
            }
        }
    }
}

/// A connection's socket and what was read from it but not yet used.
struct Conn {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// The read timeout set on the socket, to set it only when it changes.
    read_timeout: Option<Duration>,
}

impl Conn {
    /// The next request: `Ok(None)` when the client closed or stayed idle
    /// for `idle`; `Err` for a request that must be refused.
    fn next_request(&mut self, idle: Duration) -> Result<Option<Request>, Refused> {
        let mut started = (!self.buffer.is_empty()).then(Instant::now);
        // Where to look for the end of the head next: only new bytes are
        // searched, so a head trickling in byte by byte costs linear time.
        let mut scanned = 0;
        loop {
            if let Some(end) = head_end(&self.buffer, scanned) {
                match parse(&self.buffer[..end])? {
                    Some((request, used)) => {
                        self.buffer.drain(..used);
                        return Ok(Some(request));
                    }
                    // Only blank lines so far (allowed before a request).
                    None => scanned = end,
                }
            } else {
                scanned = self.buffer.len().saturating_sub(3);
            }
            if self.buffer.len() > MAX_HEAD {
                return Err(Refused::HeadTooLarge);
            }
            let wait = match started {
                None => idle,
                Some(at) => HEAD_TIMEOUT.saturating_sub(at.elapsed()),
            };
            if wait.is_zero() {
                return Err(Refused::HeadTimeout);
            }
            self.set_read_timeout(wait);
            let mut chunk = [0u8; 8192];
            match self.stream.read(&mut chunk) {
                // Closed, possibly in the middle of a request: nobody to answer.
                Ok(0) => return Ok(None),
                Ok(n) => {
                    self.buffer.extend_from_slice(&chunk[..n]);
                    started.get_or_insert_with(Instant::now);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    // Idle between requests: close quietly. Half a head: say why.
                    return if started.is_none() { Ok(None) } else { Err(Refused::HeadTimeout) };
                }
                Err(_) => return Ok(None),
            }
        }
    }

    fn set_read_timeout(&mut self, timeout: Duration) {
        // Whole milliseconds: re-setting the same timeout is a system call per read.
        let timeout = Duration::from_millis(timeout.as_millis().max(1) as u64);
        if self.read_timeout != Some(timeout) {
            let _ = self.stream.set_read_timeout(Some(timeout));
            self.read_timeout = Some(timeout);
        }
    }

    /// Reads and drops a body of `len` bytes; false if it did not arrive.
    fn discard(&mut self, len: usize) -> bool {
        let buffered = len.min(self.buffer.len());
        self.buffer.drain(..buffered);
        let mut left = len - buffered;
        let deadline = Instant::now() + HEAD_TIMEOUT;
        let mut chunk = [0u8; 8192];
        while left > 0 {
            let wait = deadline.saturating_duration_since(Instant::now());
            if wait.is_zero() {
                return false;
            }
            self.set_read_timeout(wait);
            match self.stream.read(&mut chunk[..left.min(8192)]) {
                Ok(0) => return false,
                Ok(n) => left -= n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }

    /// Sends a last answer, then closes without resetting the connection.
    fn send_and_close(&mut self, reply: &Reply, head_only: bool) {
        if self.stream.write_all(&reply.encode(head_only, Some("close"))).is_err() {
            return;
        }
        let _ = self.stream.shutdown(Shutdown::Write);
        let deadline = Instant::now() + LINGER;
        let mut drained = 0;
        let mut chunk = [0u8; 8192];
        while drained < LINGER_BYTES {
            let wait = deadline.saturating_duration_since(Instant::now());
            if wait.is_zero() {
                break;
            }
            self.set_read_timeout(wait);
            match self.stream.read(&mut chunk) {
                Ok(n) if n > 0 => drained += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                _ => break,
            }
        }
    }
}

/// Where the head in `buffer` ends (after its blank line), searching from
/// `from`. A bare `\n` ends a line too, as httparse accepts.
fn head_end(buffer: &[u8], from: usize) -> Option<usize> {
    let from = from.min(buffer.len());
    let mut i = from;
    while i < buffer.len() {
        if buffer[i] == b'\n' {
            if buffer.get(i + 1) == Some(&b'\n') {
                return Some(i + 2);
            }
            if buffer.get(i + 1) == Some(&b'\r') && buffer.get(i + 2) == Some(&b'\n') {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

/// Parses a complete head: the request and the bytes it took, or `None` if
/// the head held only blank lines.
fn parse(head: &[u8]) -> Result<Option<(Request, usize)>, Refused> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut fields);
    let used = match parsed.parse(head) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(Refused::TooManyHeaders),
        Err(httparse::Error::Version) => return Err(Refused::Version),
        Err(e) => return Err(Refused::Malformed(e)),
    };
    let (Some(method), Some(target), Some(minor)) = (parsed.method, parsed.path, parsed.version) else {
        return Err(Refused::Malformed(httparse::Error::Token));
    };
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        other => Method::Other(other.to_string()),
    };
    let mut host = None;
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let (mut close, mut keep) = (false, false);
    for field in parsed.headers.iter() {
        let name = field.name;
        if name.eq_ignore_ascii_case("host") {
            // Two Host fields could pass the loopback check with one and
            // mean the other.
            if host.is_some() {
                return Err(Refused::Framing("two Host fields"));
            }
            let value = std::str::from_utf8(field.value).map_err(|_| Refused::Framing("a Host that is not text"))?;
            host = Some(value.trim().to_string());
        } else if name.eq_ignore_ascii_case("content-length") {
            let value = std::str::from_utf8(field.value).unwrap_or("").trim();
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Refused::Framing("an invalid Content-Length"));
            }
            let n: u64 = value.parse().map_err(|_| Refused::Framing("an invalid Content-Length"))?;
            if length.is_some_and(|l| l != n) {
                return Err(Refused::Framing("two different Content-Length fields"));
            }
            length = Some(n);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = true;
        } else if name.eq_ignore_ascii_case("connection") {
            for token in field.value.split(|b| *b == b',') {
                let token = token.trim_ascii();
                close |= token.eq_ignore_ascii_case(b"close");
                keep |= token.eq_ignore_ascii_case(b"keep-alive");
            }
        }
    }
    let body = match (length, chunked) {
        // Both: the framing is ambiguous (request smuggling).
        (Some(_), true) => return Err(Refused::Framing("both Content-Length and Transfer-Encoding")),
        (_, true) => Body::Chunked,
        (Some(0) | None, false) => Body::None,
        (Some(n), false) => Body::Length(n),
    };
    let http11 = minor == 1;
    let keep_alive = if http11 { !close } else { keep && !close };
    Ok(Some((Request { method, target: target.to_string(), host, keep_alive, http11, body }, used)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(head: &str) -> Result<Request, Refused> {
        parse(head.as_bytes()).map(|r| r.expect("a request").0)
    }

    #[test]
    fn keep_alive_by_version() {
        assert!(one("GET / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap().keep_alive);
        assert!(!one("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap().keep_alive);
        assert!(!one("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive);
        assert!(one("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").unwrap().keep_alive);
        assert!(!one("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n").unwrap().keep_alive);
    }

    #[test]
    fn framing_that_could_smuggle_is_refused() {
        for head in [
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n",
        ] {
            assert!(matches!(one(head), Err(Refused::Framing(_))), "{head:?}");
        }
        assert!(matches!(one("GET / HTTP/2.0\r\n\r\n"), Err(Refused::Version)));
        assert!(matches!(one("GET /\0 HTTP/1.1\r\n\r\n"), Err(Refused::Malformed(_))));
        assert!(matches!(one("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"), Err(Refused::Malformed(_))));
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: y\r\n")).collect();
        assert!(matches!(one(&format!("GET / HTTP/1.1\r\n{many}\r\n")), Err(Refused::TooManyHeaders)));
        assert_eq!(one("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n").unwrap().body, Body::Length(3));
    }

    #[test]
    fn head_end_finds_crlf_and_bare_lf() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nrest", 0), Some(18));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\nrest", 0), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: a\r\n", 0), None);
        // Searching from near the end still finds a blank line split across reads.
        let whole = b"GET / HTTP/1.1\r\n\r\n";
        assert_eq!(head_end(whole, whole.len() - 3 - 1), Some(18));
    }

    #[test]
    fn replies_are_one_buffer_with_the_common_fields() {
        let reply = Reply::text(302, "").with("Location", "/a/").with("X-Bad", "a\r\nSet-Cookie: x");
        let text = String::from_utf8(reply.encode(false, Some("close"))).unwrap();
        assert!(text.starts_with("HTTP/1.1 302 Found\r\nDate: "), "{text}");
        for field in
            ["Cache-Control: no-store\r\n", "Location: /a/\r\n", "Connection: close\r\n", "Content-Length: 0\r\n"]
        {
            assert!(text.contains(field), "{text}");
        }
        assert!(!text.contains("Set-Cookie"), "a value with a line break is never written");
        let head = Reply::text(200, "body").encode(true, None);
        let head = String::from_utf8(head).unwrap();
        assert!(head.contains("Content-Length: 4\r\n") && head.ends_with("\r\n\r\n"));
    }
}
