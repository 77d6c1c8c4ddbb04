//! The preview server is safe to run: requests are sent raw, over a
//! TcpStream, so no client library normalises `..` away before the server
//! sees it.

mod common;
mod serve_support;

use serve_support::*;
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A file next to the site that a traversal would reach, looking like
/// /etc/passwd so a leak is unmistakable.
fn plant_secret(site: &std::path::Path) {
    let parent = site.parent().unwrap();
    let _ = std::fs::write(parent.join("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    std::fs::create_dir_all(site.join("static")).unwrap();
}

#[test]
fn traversal_attempts_never_leave_the_site() {
    let outer = tempfile::tempdir().unwrap();
    let site = outer.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let copy = copy_site();
    for sub in ["content", "themes", "seeds"] {
        std::fs::rename(copy.path().join(sub), site.join(sub)).unwrap();
    }
    plant_secret(&site);
    let (server, _log) = start_unwatched(&site);
    let addr = server.addr();
    let host = format!("127.0.0.1:{}", addr.port());

    let long = format!("/{}etc/passwd", "../".repeat(3000));
    let attempts: Vec<String> = [
        "/../../../etc/passwd",
        "/../passwd",
        "/..",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/..%2fpasswd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/%2e%2e%5c..",
        "/..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "/\\..\\passwd",
        "/index.html%00",
        "/%00../../etc/passwd",
        "/style.css%00.html",
        "/./../passwd",
        "/strategies/../../passwd",
        "//etc/passwd",
        "/%252e%252e/passwd",
        "/%c0%ae%c0%ae/passwd",
        "http://evil/etc/passwd",
        "http://127.0.0.1/../passwd",
        "file:///etc/passwd",
        "*",
        "etc/passwd",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([long, format!("/{}", "a".repeat(100_000))])
    .collect();
    for target in &attempts {
        let reply = raw(addr, format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
        let shown: String = target.chars().take(60).collect();
        let body = reply.text();
        assert!(!body.contains("root:"), "{shown} leaked a file outside the site");
        // 404 from the server; a malformed or oversized request line is
        // refused before routing (400/431): never a 2xx or 3xx.
        assert!(
            reply.status == 404 || (400..500).contains(&reply.status) && reply.status != 403,
            "{shown}: status {}",
            reply.status
        );
        if target.starts_with('/') && target.len() < 2048 && !target.contains('\\') {
            assert_eq!(reply.status, 404, "{shown}");
            assert_eq!(reply.header("Cache-Control"), Some("no-store"), "{shown}");
        }
    }

    // A raw NUL byte in the request line.
    let reply =
        raw(addr, format!("GET /\0/../passwd HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
    assert!(!reply.text().contains("root:") && reply.status != 200, "raw NUL: {}", reply.status);

    // The server still answers normally afterwards.
    assert_eq!(get(addr, "/").status, 200);
    server.shutdown();
}

#[test]
fn host_methods_types_and_caching() {
    let site = copy_site();
    let root = site.path();
    // Files of every kind the site may carry, through the site's static/.
    let statics = root.join("static");
    std::fs::create_dir_all(statics.join("fonts")).unwrap();
    std::fs::write(statics.join("fonts/Sarabun.woff2"), b"wOF2").unwrap();
    std::fs::write(statics.join("fonts/Sarabun.ttf"), b"\0\x01\0\0").unwrap();
    std::fs::write(statics.join("logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(statics.join("favicon.ico"), b"\0\0\x01\0").unwrap();
    std::fs::write(statics.join("robots.txt"), "User-agent: *\n").unwrap();
    std::fs::write(statics.join("app.js"), "console.log(1)\n").unwrap();
    let (server, _log) = start_unwatched(root);
    let addr = server.addr();
    let port = addr.port();

    // DNS rebinding: a foreign Host gets 403, loopback names pass.
    for host in ["evil.example", &format!("evil.example:{port}"), "localhost.evil.example", "192.168.1.10"] {
        let r = request(addr, "GET", "/", host);
        assert_eq!(r.status, 403, "Host: {host}");
        assert!(!r.text().contains("<html"), "no page for Host: {host}");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), "localhost".into()]
    {
        assert_eq!(request(addr, "GET", "/", &host).status, 200, "Host: {host}");
    }
    let no_host = raw(addr, b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 403, "a request without Host");

    // Methods.
    let local = format!("localhost:{port}");
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let r = request(addr, method, "/", &local);
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("Allow"), Some("GET, HEAD"), "{method}");
    }
    let head = request(addr, "HEAD", "/style.css", &local);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("Content-Length").is_some_and(|l| l != "0"));

    // Content types, and no-store on everything.
    for (path, want) in [
        ("/", "text/html; charset=utf-8"),
        ("/strategies/1/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/data/prongsai.json", "application/json"),
        ("/data/indicators.csv", "text/csv; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/__prongsai/live.js", "text/javascript; charset=utf-8"),
        ("/fonts/Sarabun.woff2", "font/woff2"),
        ("/fonts/Sarabun.ttf", "font/ttf"),
        ("/logo.png", "image/png"),
        ("/favicon.ico", "image/vnd.microsoft.icon"),
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(want), "{path}");
        assert_eq!(r.header("Cache-Control"), Some("no-store"), "{path}");
    }

    // Folders: index.html; a folder without the slash is redirected so that
    // relative links keep working; no listings; the site's 404 page.
    let index = get(addr, "/strategies/1/");
    assert!(index.text().contains("</html>"));
    let redirect = get(addr, "/strategies/1");
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.header("Location"), Some("/strategies/1/"));
    let not_found_page = String::from_utf8(
        prongsai::site::build(root, &prongsai::site::Options::default()).unwrap().files["404.html"].clone(),
    )
    .unwrap();
    let title = not_found_page.split("<h1>").nth(1).and_then(|s| s.split("</h1>").next()).unwrap();
    let listing = get(addr, "/data/");
    assert_eq!(listing.status, 404, "no directory listing");
    assert!(listing.text().contains(title), "a folder without index.html gets the 404 page, not a listing");
    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(missing.header("Cache-Control"), Some("no-store"));
    assert!(missing.text().contains(title), "the site's own 404 page");
    assert!(missing.text().contains("data-missing=\"1\""), "a 404 page reloads when the page appears");

    // The live script is only in served HTML, never in build output.
    let built = prongsai::site::build(root, &prongsai::site::Options::default()).unwrap();
    assert!(built.files.values().all(|f| !String::from_utf8_lossy(f).contains("__prongsai")));
    assert!(!get(addr, "/style.css").text().contains("__prongsai"));
    assert!(!root.join("public").exists(), "serve never writes public/");
    server.shutdown();
}

#[test]
fn event_streams_hold_no_worker_and_are_capped() {
    let site = copy_site();
    let root = site.path();
    // Every connection has its own thread: if a stream held one that page
    // requests need, the requests below would hang.
    let options = prongsai::serve::Options {
        max_event_streams: 3,
        ping_interval: Duration::from_millis(200),
        watching: prongsai::serve::Watching::Off,
        ..options(root)
    };
    let (server, _log) = start(options);
    let addr = server.addr();
    let mut streams: Vec<Events> = (0..3).map(|_| Events::open(addr)).collect();
    for s in &mut streams {
        assert_eq!(s.status, 200);
        s.wait("hello", |e| e.name == "hello");
    }
    wait_for("three streams", || (server.status().event_streams == 3).then_some(()));

    // A fourth is refused, plainly.
    let refused = get(addr, "/__prongsai/events");
    assert_eq!(refused.status, 503);
    assert!(refused.text().contains("แท็บ"), "{}", refused.text());

    // A slow client that never finishes its request blocks nobody.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: local").unwrap();

    let started = Instant::now();
    for _ in 0..5 {
        assert_eq!(get(addr, "/").status, 200);
    }
    assert!(started.elapsed() < PATIENCE);

    // A closed tab is noticed at the next ping and its place freed.
    drop(streams.pop());
    let replacement = wait_for("a closed stream's place to be freed", || {
        let s = Events::open(addr);
        (s.status == 200).then_some(s)
    });
    streams.push(replacement);
    drop(slow);
    server.shutdown();
}
