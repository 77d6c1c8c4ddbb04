//! The HTTP side: what a request gets from the in-memory site. (Reading
//! requests and writing answers is [`super::conn`].)
//!
//! - GET and HEAD only; anything else is 405.
//! - The request target must be a plain path (`/…`). It is split into
//!   segments and each is percent-decoded on its own, so an encoded `/`
//!   (`%2f`) cannot join two segments; `.` and `..` (encoded or not), NUL and
//!   other control characters, backslashes, empty segments, absolute-form
//!   targets (`http://host/…`) and very long targets are 404. What is left is
//!   a key of the in-memory file map: there is no filesystem path to escape
//!   from (Zola's CVE-2023-40274 was a `root.join(url)`).
//! - Bound to loopback, a request must name a loopback host (`localhost`,
//!   `127.x.x.x`, `[::1]`, any port): a page on another site that rebinds its
//!   DNS name to 127.0.0.1 gets 403, not the preview.
//! - Every response says `Cache-Control: no-store`: a preview must never
//!   show yesterday's page from the browser's cache.

use super::conn::{Answer, Method, Reply, Request};
use super::live;
use super::{Shared, State};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

/// Longer request targets are refused: no page of a site is that deep.
pub const MAX_TARGET: usize = 2048;

/// Characters escaped in a `Location` path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\');

/// A request path that stays inside the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    /// Decoded segments, none empty, `.` or `..`.
    pub segments: Vec<String>,
    /// The path ended in `/` (or was `/`).
    pub folder: bool,
}

impl SitePath {
    /// The key in the file map: a folder means its `index.html`.
    pub fn key(&self) -> String {
        let mut key = self.segments.join("/");
        if self.folder {
            if !key.is_empty() {
                key.push('/');
            }
            key.push_str("index.html");
        }
        key
    }

    /// The same path with a `/` added, encoded for a `Location` header.
    fn as_folder_location(&self) -> String {
        let mut out = String::new();
        for s in &self.segments {
            out.push('/');
            out.extend(utf8_percent_encode(s, SEGMENT));
        }
        out.push('/');
        out
    }
}

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The live-reload event stream.
    Events,
    /// The live-reload script.
    Script,
    /// A path inside the site.
    Site(SitePath),
    /// Anything else: never a file.
    Rejected,
}

/// Routes a raw request target (as sent: not decoded, with the query).
pub fn route(raw: &str) -> Target {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    match path {
        live::EVENTS_PATH => Target::Events,
        live::SCRIPT_PATH => Target::Script,
        _ => parse_path(raw).map_or(Target::Rejected, Target::Site),
    }
}

/// Parses a raw request target into a path inside the site, or `None` for
/// anything that is not a plain, normal path.
pub fn parse_path(raw: &str) -> Option<SitePath> {
    if raw.len() > MAX_TARGET || !raw.starts_with('/') {
        return None;
    }
    let path = raw.split(['?', '#']).next().unwrap_or("");
    if path.contains('\\') {
        return None;
    }
    let inner = &path[1..];
    let parts: Vec<&str> = inner.split('/').collect();
    let folder = inner.is_empty() || inner.ends_with('/');
    let mut segments = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            // Only the trailing `/` may leave an empty segment; `//` is not normal.
            if i + 1 == parts.len() {
                continue;
            }
            return None;
        }
        let decoded = percent_decode_str(part).decode_utf8().ok()?;
        if decoded == "." || decoded == ".." || decoded.chars().any(|c| c == '/' || c == '\\' || c.is_control()) {
            return None;
        }
        segments.push(decoded.into_owned());
    }
    Some(SitePath { segments, folder })
}

/// Whether a `Host` header names this computer.
pub fn host_is_loopback(host: Option<&str>) -> bool {
    let Some(host) = host.map(str::trim) else { return false };
    let name = if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else { return false };
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return false;
        }
        inside
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        }
    };
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix('.').unwrap_or(&name);
    name == "localhost"
        || name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || (host.starts_with('[') && name.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback()))
}

fn is_port(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u16>().is_ok()
}

/// The Content-Type of a file in the site, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "ico" => "image/vnd.microsoft.icon",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Answers one request.
pub(crate) fn handle(rq: &Request, shared: &Arc<Shared>) -> Answer {
    if shared.loopback_only && !host_is_loopback(rq.host.as_deref()) {
        let body = "ไม่อนุญาต: ตัวอย่างเว็บไซต์นี้เปิดได้จากเครื่องนี้เท่านั้น ที่ http://localhost หรือ http://127.0.0.1\n";
        return Answer::Reply(Reply::text(403, body));
    }
    let head = match rq.method {
        Method::Get => false,
        Method::Head => true,
        Method::Other(_) => {
            let body = "ตัวอย่างเว็บไซต์รับเฉพาะคำขอแบบ GET และ HEAD\n";
            return Answer::Reply(Reply::text(405, body).with("Allow", "GET, HEAD"));
        }
    };
    match route(&rq.target) {
        Target::Events => live::open_stream(shared, head),
        Target::Script => Answer::Reply(Reply::new(200, "text/javascript; charset=utf-8", live::SCRIPT.into())),
        Target::Site(path) => Answer::Reply(serve_site(shared, &path)),
        Target::Rejected => Answer::Reply(not_found(shared, &shared.state(), "")),
    }
}

fn serve_site(shared: &Arc<Shared>, path: &SitePath) -> Reply {
    let state = shared.state();
    let key = path.key();
    if !state.built && state.broken.is_none() {
        // The first build is still running: say how far it has got; the page
        // reloads when the site is ready (the live-reload script, or the
        // refresh for a browser without scripts).
        let page = inject(building_page(shared.progress()).as_bytes(), &state, &shared.instance, &key, true);
        return Reply::new(503, "text/html; charset=utf-8", page).with("Retry-After", "1");
    }
    if !state.built {
        // No build has succeeded yet: a page that shows the problems and
        // reloads once they are fixed.
        let page = inject(PROBLEMS_PAGE.as_bytes(), &state, &shared.instance, &key, true);
        return Reply::new(503, "text/html; charset=utf-8", page);
    }
    if let Some(body) = state.files.get(&key) {
        let ctype = content_type(&key);
        let body = if ctype.starts_with("text/html") {
            inject(&body.bytes(), &state, &shared.instance, &key, false)
        } else {
            body.to_vec()
        };
        Reply::new(200, ctype, body)
    } else if !path.folder && state.files.contains_key(&format!("{key}/index.html")) {
        // Pages link relatively: `/plan` must become `/plan/` or every link
        // on it would point one folder too high.
        Reply::text(302, "").with("Location", path.as_folder_location())
    } else {
        not_found(shared, &state, &key)
    }
}

/// The site's own `404.html` with status 404 (no directory listings, ever).
fn not_found(shared: &Arc<Shared>, state: &State, key: &str) -> Reply {
    let body = match state.files.get("404.html") {
        Some(page) => inject(&page.bytes(), state, &shared.instance, key, true),
        None => inject(FALLBACK_404.as_bytes(), state, &shared.instance, key, true),
    };
    Reply::new(404, "text/html; charset=utf-8", body)
}

/// Adds the live-reload script, and the overlay while the build is broken,
/// before the last `</body>` (or at the end).
pub(crate) fn inject(html: &[u8], state: &State, instance: &str, page: &str, missing: bool) -> Vec<u8> {
    let tag = live::script_tag(instance, state.version, page, missing);
    let overlay = state.broken.as_ref().map_or("", |b| b.overlay.as_str());
    let at = rfind_ascii_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + overlay.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(overlay.as_bytes());
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len()).rev().find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

const PROBLEMS_PAGE: &str = "<!doctype html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>ยังสร้างเว็บไซต์ไม่ได้</title>\n</head>\n\
<body style=\"font-family:'Sarabun','Noto Sans Thai','Leelawadee UI','Thonburi','Tahoma',sans-serif;line-height:1.7\">\n\
<p>ยังสร้างเว็บไซต์ไม่ได้: แก้ไฟล์ตามรายการข้อผิดพลาดแล้วบันทึก หน้านี้จะโหลดใหม่เอง</p>\n</body>\n</html>\n";

/// The page shown while the first build runs.
fn building_page(stage: crate::site::Stage) -> String {
    let doing = match stage {
        crate::site::Stage::Step(step) => step.to_string(),
        crate::site::Stage::Pages { done, total } => format!("สร้างหน้าเว็บแล้ว {done} จาก {total} หน้า"),
    };
    format!(
        "<!doctype html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"refresh\" content=\"1\">\n<title>กำลังสร้างเว็บไซต์…</title>\n</head>\n\
         <body style=\"font-family:'Sarabun','Noto Sans Thai','Leelawadee UI','Thonburi','Tahoma',sans-serif;line-height:1.7\">\n\
         <h1>กำลังสร้างเว็บไซต์…</h1>\n<p role=\"status\">{}</p>\n\
         <p>หน้านี้จะแสดงเว็บไซต์เองเมื่อสร้างเสร็จ</p>\n</body>\n</html>\n",
        crate::escape::html(&doing)
    )
}

const FALLBACK_404: &str = "<!doctype html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>ไม่พบหน้านี้</title>\n</head>\n\
<body>\n<p>ไม่พบหน้านี้ (404) <a href=\"/\">กลับหน้าแรก</a></p>\n</body>\n</html>\n";

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> Option<String> {
        parse_path(raw).map(|p| p.key())
    }

    #[test]
    fn plain_paths_map_to_keys() {
        assert_eq!(key("/"), Some("index.html".into()));
        assert_eq!(key("/?x=1"), Some("index.html".into()));
        assert_eq!(key("/strategies/1/"), Some("strategies/1/index.html".into()));
        assert_eq!(key("/style.css?v=3#x"), Some("style.css".into()));
        assert_eq!(key("/sources/%E0%B8%81/"), Some("sources/ก/index.html".into()));
        assert_eq!(key("/plan"), Some("plan".into()));
    }

    #[test]
    fn anything_leaving_the_site_is_refused() {
        for raw in [
            "/../../../etc/passwd",
            "/..",
            "/a/../../etc/passwd",
            "/./index.html",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/a%2fb",
            "/%2e%2e%5c..",
            "/..\\..\\etc\\passwd",
            "/index.html%00.css",
            "/a%0ab",
            "//etc/passwd",
            "/a//b",
            "http://evil/etc/passwd",
            "*",
            "",
            "etc/passwd",
            "/%ff%fe",
        ] {
            assert_eq!(parse_path(raw), None, "{raw:?} was accepted");
            assert_eq!(route(raw), Target::Rejected, "{raw:?} was routed");
        }
        let long = format!("/{}", "a/".repeat(MAX_TARGET));
        assert_eq!(parse_path(&long), None);
    }

    #[test]
    fn loopback_hosts_only() {
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:80",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
            "127.1.2.3:8",
        ] {
            assert!(host_is_loopback(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "10.0.0.1:1111",
            "[::2]:1111",
            "::1",
            "localhost:notaport",
            "localhost:99999",
            "",
        ] {
            assert!(!host_is_loopback(Some(bad)), "{bad}");
        }
        assert!(!host_is_loopback(None));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a.b/style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("data/indicators.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("fonts/Sarabun.woff2"), "font/woff2");
        assert_eq!(content_type("Makefile"), "application/octet-stream");
    }

    #[test]
    fn injection_goes_before_the_last_body_end() {
        let state = State::default();
        let html = b"<html><body><p>x</p></BODY>\n</html>\n";
        let out = String::from_utf8(inject(html, &state, "i", "a/index.html", false)).unwrap();
        assert!(out.contains("<p>x</p><script src=\"/__prongsai/live.js\""), "{out}");
        assert!(out.ends_with("</BODY>\n</html>\n"));
        let out = String::from_utf8(inject(b"plain", &state, "i", "x\"y", true)).unwrap();
        assert!(out.starts_with("plain<script") && out.contains("x&quot;y") && out.contains("data-missing"));
    }
}
