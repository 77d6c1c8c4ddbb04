//! The preview server's connections, over raw sockets: keep-alive after
//! idle time (tiny_http's pool stalled there), requests that arrive in
//! pieces or several at once, limits on what a request may send, HTTP/1.0,
//! the connection cap and shutdown.

mod common;
mod serve_support;

use prongsai::serve::Options;
use serve_support::*;
use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Per request in the load-shaped tests: generous, since the point is that
/// nothing stalls (a stall lasted until other connections closed), not speed.
const DEADLINE: Duration = Duration::from_secs(5);

fn full_page(reply: &Reply, what: &str) {
    assert_eq!(reply.status, 200, "{what}");
    assert!(reply.text().trim_end().ends_with("</html>"), "{what}: the whole page");
}

/// `connections` threads, each doing `requests` GETs on its connection.
fn burst(connections: Vec<KeepAlive>, requests: usize) -> Vec<KeepAlive> {
    let threads: Vec<_> = connections
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            std::thread::spawn(move || {
                for r in 0..requests {
                    let path = if (i + r) % 2 == 0 { "/" } else { "/strategies/1/" };
                    let started = Instant::now();
                    let reply = c.get(path).unwrap_or_else(|e| panic!("connection {i}, request {r} ({path}): {e}"));
                    full_page(&reply, path);
                    assert!(started.elapsed() < DEADLINE, "connection {i}, request {r} took {:?}", started.elapsed());
                }
                c
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().expect("a client thread")).collect()
}

#[test]
fn after_idle_fifty_keep_alive_connections_all_get_answers() {
    let site = copy_site();
    let (server, _log) = start_unwatched(site.path());
    let addr = server.addr();
    let open = |n| (0..n).map(|_| KeepAlive::open(addr, DEADLINE)).collect::<Vec<_>>();

    // Warm: 50 connections, a few requests each, left open.
    let kept = burst(open(50), 3);
    // Idle longer than tiny_http's pool threads lived (5 s).
    std::thread::sleep(Duration::from_secs(6));
    // The kept connections and 50 new ones at once.
    let mut all = kept;
    all.extend(open(50));
    let all = burst(all, 4);
    assert_eq!(all.len(), 100);
    drop(all);
    wait_for("the connections to close", || (server.status().connections == 0).then_some(()));
    server.shutdown();
}

#[test]
fn requests_in_pieces_and_in_a_row() {
    let site = copy_site();
    let (server, _log) = start_unwatched(site.path());
    let addr = server.addr();

    // A head that arrives byte by byte.
    let mut slow = KeepAlive::open(addr, PATIENCE);
    let request = format!("GET /strategies/1/ HTTP/1.1\r\nHost: {}\r\nUser-Agent: slow\r\n\r\n", slow.host);
    for byte in request.as_bytes() {
        slow.send(&[*byte]);
        std::thread::sleep(Duration::from_millis(3));
    }
    full_page(&slow.read_reply().unwrap(), "a request sent byte by byte");
    full_page(&slow.get("/").unwrap(), "the same connection afterwards");

    // Three requests in one write: three answers, in order.
    let mut piped = KeepAlive::open(addr, PATIENCE);
    let host = piped.host.clone();
    let requests = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\n\r\nGET /style.css HTTP/1.1\r\nHost: {host}\r\n\r\n\
         GET /strategies/1/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    );
    piped.send(requests.as_bytes());
    let first = piped.read_reply().unwrap();
    assert_eq!(first.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(first.text().contains("data-page=\"index.html\""), "the first answer is for /");
    let css = piped.read_reply().unwrap();
    assert_eq!((css.status, css.header("Content-Type")), (200, Some("text/css; charset=utf-8")));
    let last = piped.read_reply().unwrap();
    full_page(&last, "third in a row");
    assert!(last.text().contains("data-page=\"strategies/1/index.html\""), "the third answer is for /strategies/1/");
    assert_eq!(last.header("Connection"), Some("close"));
    assert!(piped.closed_by_server());

    // A HEAD in a row: its answer has a length but no body.
    let mut piped = KeepAlive::open(addr, PATIENCE);
    piped.send(format!("HEAD /favicon.svg HTTP/1.1\r\nHost: {host}\r\n\r\nGET /favicon.svg HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
    let mut all = Vec::new();
    let _ = std::io::Read::read_to_end(&mut piped.stream, &mut all);
    let text = String::from_utf8_lossy(&all);
    assert_eq!(text.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{text}");
    assert_eq!(text.matches("<svg").count(), 1, "only the GET has a body: {text}");
    assert!(text.contains("Connection: close\r\n"));
    server.shutdown();
}

#[test]
fn limits_on_what_a_request_sends() {
    let site = copy_site();
    let (server, _log) = start_unwatched(site.path());
    let addr = server.addr();
    let host = format!("127.0.0.1:{}", addr.port());

    // A 100 KB header field: refused, and the connection closed.
    let big = format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: {}\r\n\r\n", "a".repeat(100 * 1024));
    let reply = raw(addr, big.as_bytes());
    assert_eq!(reply.status, 431);
    assert_eq!(reply.header("Connection"), Some("close"));

    // A GET with a short body: the body is skipped and the next request answered.
    let mut c = KeepAlive::open(addr, PATIENCE);
    c.send(format!("GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\n\r\nhello").as_bytes());
    full_page(&c.read_reply().unwrap(), "a GET with a short body");
    full_page(&c.get("/strategies/1/").unwrap(), "the request after it");
    // A long one: 413 and closed.
    c.send(format!("GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100000\r\n\r\n").as_bytes());
    assert_eq!(c.read_reply().unwrap().status, 413);
    assert!(c.closed_by_server());

    // Other methods with a body: 405, and closed (the body is not read).
    let mut c = KeepAlive::open(addr, PATIENCE);
    c.send(format!("POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 3\r\n\r\nabc").as_bytes());
    let refused = c.read_reply().unwrap();
    assert_eq!((refused.status, refused.header("Connection")), (405, Some("close")));
    assert!(c.closed_by_server());

    // Ambiguous framing and garbage: 400 and closed.
    for bad in [
        format!("GET / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
        format!("GET / HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\n\r\n"),
        "GET / HTTP/1.1\r\nBad Header\r\n\r\n".to_string(),
        // The start of a TLS handshake: https:// typed for an http:// preview.
        "\x16\x03\x01\x02\x00\x01\x00\x01\x03\x03\r\n\r\n".to_string(),
    ] {
        let reply = raw(addr, bad.as_bytes());
        assert_eq!(reply.status, 400, "{bad:?}");
        assert_eq!(reply.header("Connection"), Some("close"), "{bad:?}");
    }
    let reply = raw(addr, b"GET / HTTP/2.0\r\n\r\n");
    assert_eq!(reply.status, 505);

    // The server is fine afterwards.
    assert_eq!(get(addr, "/").status, 200);
    server.shutdown();
}

#[test]
fn http_1_0_closes_unless_asked_and_idle_connections_close() {
    let site = copy_site();
    let root = site.path();
    let options =
        Options { idle_timeout: Duration::from_millis(300), watching: prongsai::serve::Watching::Off, ..options(root) };
    let (server, _log) = start(options);
    let addr = server.addr();
    let host = format!("127.0.0.1:{}", addr.port());

    let mut c = KeepAlive::open(addr, PATIENCE);
    c.send(format!("GET / HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes());
    let reply = c.read_reply().unwrap();
    full_page(&reply, "HTTP/1.0");
    assert_eq!(reply.header("Connection"), Some("close"));
    let started = Instant::now();
    assert!(c.closed_by_server());
    assert!(started.elapsed() < Duration::from_millis(250), "closed at once, not at the idle timeout");

    // HTTP/1.0 with keep-alive stays open, and says so.
    let mut c = KeepAlive::open(addr, PATIENCE);
    for _ in 0..2 {
        c.send(format!("GET / HTTP/1.0\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n").as_bytes());
        let reply = c.read_reply().unwrap();
        full_page(&reply, "HTTP/1.0 keep-alive");
        assert_eq!(reply.header("Connection"), Some("keep-alive"));
    }
    // Then, idle past the timeout, it is closed by the server.
    let started = Instant::now();
    assert!(c.closed_by_server());
    assert!(started.elapsed() >= Duration::from_millis(200), "not before the idle timeout");
    server.shutdown();
}

#[test]
fn connections_over_the_cap_get_503_and_shutdown_closes_the_rest() {
    let site = copy_site();
    let root = site.path();
    let options = Options { max_connections: 4, watching: prongsai::serve::Watching::Off, ..options(root) };
    let (server, _log) = start(options);
    let addr: SocketAddr = server.addr();

    let mut open: Vec<KeepAlive> = (0..4).map(|_| KeepAlive::open(addr, PATIENCE)).collect();
    for c in &mut open {
        full_page(&c.get("/").unwrap(), "under the cap");
    }
    let over = get(addr, "/");
    assert_eq!(over.status, 503);
    assert_eq!(over.header("Connection"), Some("close"));
    assert_eq!(over.header("Retry-After"), Some("1"));

    // A closed connection frees its place.
    drop(open.pop());
    wait_for("a free place", || (server.status().connections < 4).then_some(()));
    let mut again = KeepAlive::open(addr, PATIENCE);
    full_page(&again.get("/").unwrap(), "after one closed");
    open.push(again);

    // Shutdown closes idle kept-alive connections at once.
    let started = Instant::now();
    server.shutdown();
    assert!(started.elapsed() < Duration::from_secs(5), "shutdown took {:?}", started.elapsed());
    for c in &mut open {
        let _ = c.stream.write_all(b"");
        assert!(c.closed_by_server(), "a kept-alive connection is closed by shutdown");
    }
    assert!(std::net::TcpStream::connect(addr).is_err(), "the port is closed");
}
