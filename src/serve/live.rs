//! Live reload: the Server-Sent Events hub, the events, the script that
//! listens to them, and the error overlay.
//!
//! Events (each `data:` is one line of JSON):
//! - `hello` on connect: `{instance, version, overlay}`: the page compares
//!   with what it was served at and reloads if it missed something (the
//!   server restarted, or a tab was in the background);
//! - `reload` after a good build is in place: `{instance, previous, version,
//!   changed}`: a page reloads only if its own path or a file it embeds is
//!   in `changed`; a stylesheet alone is swapped without a reload;
//! - `broken` when a build fails: `{instance, version, overlay}`.
//!
//! `overlay` is HTML rendered here, with every string from the findings
//! escaped, so the browser never builds markup from untrusted text.

use super::conn::{Answer, Reply};
use super::{Shared, State};
use crate::diagnostic::{Finding, Severity};
use crate::escape::html as escape;
use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use unicode_width::UnicodeWidthChar;

/// Where the page's script listens.
pub const EVENTS_PATH: &str = "/__prongsai/events";
/// Where the page's script is served from.
pub const SCRIPT_PATH: &str = "/__prongsai/live.js";
/// The script `prongsai serve` adds to pages (never `build`).
pub const SCRIPT: &str = include_str!("live.js");
/// The element id of the overlay, for the script and the tests.
pub const OVERLAY_ID: &str = "prongsai-overlay";

/// Findings shown in the overlay at most; the terminal has them all.
const OVERLAY_MAX: usize = 20;

/// The open event streams. Each stream has its connection's thread and a channel;
/// broadcasting only queues, so a slow browser delays nobody else.
pub struct Hub {
    inner: Mutex<HubInner>,
    max: usize,
}

#[derive(Default)]
struct HubInner {
    next_id: u64,
    clients: Vec<(u64, Sender<Arc<str>>)>,
    closed: bool,
}

/// Why a stream was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Full,
    Closed,
}

impl Hub {
    pub fn new(max: usize) -> Hub {
        Hub { inner: Mutex::new(HubInner::default()), max }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HubInner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a stream, or refuses when `max` are open.
    pub fn subscribe(&self) -> Result<(u64, Receiver<Arc<str>>), Refusal> {
        let mut inner = self.lock();
        if inner.closed {
            return Err(Refusal::Closed);
        }
        if inner.clients.len() >= self.max {
            return Err(Refusal::Full);
        }
        let (tx, rx) = mpsc::channel();
        inner.next_id += 1;
        let id = inner.next_id;
        inner.clients.push((id, tx));
        Ok((id, rx))
    }

    pub fn unsubscribe(&self, id: u64) {
        self.lock().clients.retain(|(i, _)| *i != id);
    }

    /// Queues an event for every stream.
    pub fn broadcast(&self, event: String) {
        let event: Arc<str> = event.into();
        self.lock().clients.retain(|(_, tx)| tx.send(event.clone()).is_ok());
    }

    /// Ends every stream and refuses new ones (shutdown).
    pub fn close(&self) {
        let mut inner = self.lock();
        inner.closed = true;
        inner.clients.clear();
    }

    pub fn len(&self) -> usize {
        self.lock().clients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn event(name: &str, data: serde_json::Value) -> String {
    // serde_json's compact form has no newline, so it is one `data:` line.
    format!("event: {name}\ndata: {data}\n\n")
}

pub(crate) fn hello_event(instance: &str, state: &State) -> String {
    let overlay = state.broken.as_ref().map(|b| b.overlay.as_str());
    event("hello", serde_json::json!({ "instance": instance, "version": state.version, "overlay": overlay }))
}

pub fn reload_event(instance: &str, previous: u64, version: u64, changed: &[String]) -> String {
    event(
        "reload",
        serde_json::json!({ "instance": instance, "previous": previous, "version": version, "changed": changed }),
    )
}

pub fn broken_event(instance: &str, version: u64, overlay: &str) -> String {
    event("broken", serde_json::json!({ "instance": instance, "version": version, "overlay": overlay }))
}

/// A registered event stream, waiting for its connection to take it.
pub(crate) struct Subscription {
    id: u64,
    rx: Receiver<Arc<str>>,
}

/// Answers `GET /__prongsai/events`: a subscription (the connection then
/// becomes the stream, on its own thread like every connection), or 503
/// when too many are open.
pub(crate) fn open_stream(shared: &Arc<Shared>, head: bool) -> Answer {
    if head {
        return Answer::Reply(Reply::new(200, "text/event-stream; charset=utf-8", Vec::new()));
    }
    match shared.hub.subscribe() {
        Ok((id, rx)) => Answer::Events(Subscription { id, rx }),
        Err(Refusal::Full) => {
            let message = format!(
                "เปิดหน้าตัวอย่างไว้หลายแท็บเกินไป (สูงสุด {} แท็บที่โหลดใหม่อัตโนมัติได้): ปิดแท็บที่ไม่ใช้แล้วโหลดหน้านี้ใหม่\n",
                shared.hub.max
            );
            Answer::Reply(Reply::text(503, message).with("Retry-After", "10"))
        }
        Err(Refusal::Closed) => Answer::Reply(Reply::text(503, "เซิร์ฟเวอร์กำลังหยุด\n")),
    }
}

/// One event stream: the headers, `hello`, then every event and a ping
/// comment when idle, until the browser goes away or the server stops.
pub(crate) fn stream(mut out: TcpStream, subscription: Subscription, shared: &Shared) {
    struct Leave<'a>(&'a Hub, u64);
    impl Drop for Leave<'_> {
        fn drop(&mut self) {
            self.0.unsubscribe(self.1);
        }
    }
    let Subscription { id, rx } = subscription;
    let _leave = Leave(&shared.hub, id);
    // The stream never ends by itself, so it has no length: it is written
    // by hand, event by event, and the connection closes with it.
    let head = "HTTP/1.1 200 OK\r\n\
        Content-Type: text/event-stream; charset=utf-8\r\n\
        Cache-Control: no-store\r\n\
        X-Content-Type-Options: nosniff\r\n\
        Connection: close\r\n\r\n\
        retry: 1000\n\n";
    // Subscribed before reading the state: an event that lands in between
    // is queued, so nothing is missed (at worst it repeats what hello said).
    let hello = hello_event(&shared.instance, &shared.state());
    if send(&mut out, &format!("{head}{hello}")).is_err() {
        return;
    }
    loop {
        let sent = match rx.recv_timeout(shared.ping_interval) {
            Ok(event) => send(&mut out, &event),
            Err(RecvTimeoutError::Timeout) if shared.stop.load(Ordering::SeqCst) => break,
            // A comment: browsers ignore it, and a closed tab shows up as a
            // failed write (BrokenPipe) instead of a thread waiting forever.
            Err(RecvTimeoutError::Timeout) => send(&mut out, ": ping\n\n"),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if sent.is_err() {
            break;
        }
    }
}

/// One write per event: the socket has TCP_NODELAY, so it leaves at once.
fn send(out: &mut TcpStream, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())
}

/// The `<script>` tag added before `</body>`: the page's own path and the
/// version it was served at let the script decide when to reload.
pub fn script_tag(instance: &str, version: u64, page: &str, missing: bool) -> String {
    format!(
        "<script src=\"{SCRIPT_PATH}\" data-instance=\"{}\" data-version=\"{version}\" data-page=\"{}\"{}></script>\n",
        escape(instance),
        escape(page),
        if missing { " data-missing=\"1\"" } else { "" }
    )
}

/// The overlay: what failed, where, the offending lines with the marked
/// part, and how to fix it. Thai-first typography, one column on a phone.
/// `have_site` says whether an earlier build succeeded, i.e. whether the
/// page behind the overlay is the last good version or a placeholder.
pub fn overlay_html(findings: &[Finding], have_site: bool) -> String {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let mut html = String::with_capacity(4096);
    html.push_str(&format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alertdialog\" aria-labelledby=\"{OVERLAY_ID}-title\" lang=\"th\">\n<style>{OVERLAY_CSS}</style>\n"
    ));
    html.push_str("<div class=\"po-box\">\n<div class=\"po-head\">");
    html.push_str(&format!("<h2 id=\"{OVERLAY_ID}-title\">สร้างเว็บไซต์ไม่สำเร็จ: พบข้อผิดพลาด {errors} รายการ</h2>"));
    html.push_str(
        "<button type=\"button\" class=\"po-close\" data-prongsai-close aria-label=\"ซ่อนกล่องนี้\">×</button></div>\n",
    );
    let behind = if have_site {
        "หน้าที่อยู่ด้านหลังคือเนื้อหาที่สร้างได้ครั้งล่าสุด"
    } else {
        "ยังไม่มีเว็บไซต์ที่สร้างได้"
    };
    html.push_str(&format!(
        "<p class=\"po-note\">{behind} แก้ไฟล์ตามรายการนี้แล้วบันทึก หน้าเว็บจะโหลดใหม่เอง</p>\n<ol class=\"po-list\">\n"
    ));
    // Errors first: they are what stops the build.
    let mut shown: Vec<&Finding> = findings.iter().filter(|f| f.is_error()).collect();
    shown.extend(findings.iter().filter(|f| !f.is_error()));
    for finding in shown.iter().take(OVERLAY_MAX) {
        html.push_str(&finding_html(finding));
    }
    html.push_str("</ol>\n");
    if shown.len() > OVERLAY_MAX {
        html.push_str(&format!(
            "<p class=\"po-note\">และอีก {} รายการ: ดูทั้งหมดในหน้าต่างที่สั่ง prongsai serve</p>\n",
            shown.len() - OVERLAY_MAX
        ));
    }
    html.push_str("</div>\n</div>\n");
    html
}

fn finding_html(f: &Finding) -> String {
    let (class, label) = match f.severity {
        Severity::Error => ("po-error", "ข้อผิดพลาด"),
        Severity::Warning => ("po-warning", "คำเตือน"),
    };
    let mut where_ = format!("<code class=\"po-file\">{}</code>", escape(&f.file));
    if let Some(line) = f.line {
        where_.push_str(&format!(" บรรทัด {line}"));
        if let Some(col) = f.column {
            where_.push_str(&format!(" ตำแหน่ง {col}"));
        }
    }
    if let Some(field) = &f.field {
        where_.push_str(&format!(" <span class=\"po-field\">ช่อง <code>{}</code></span>", escape(field)));
    }
    let mut html = format!(
        "<li class=\"po-finding {class}\">\n<p class=\"po-where\"><span class=\"po-tag\">{label}</span> {where_}</p>\n<p class=\"po-msg\">{}</p>\n",
        escape(&f.message)
    );
    if let Some(ex) = &f.excerpt {
        html.push_str("<pre class=\"po-code\">");
        let last = ex.lines.len().saturating_sub(1);
        for (i, (n, text)) in ex.lines.iter().enumerate() {
            if i == last {
                let (before, marked, after) = split_cells(text, ex.marker_start, ex.marker_width.max(1));
                let marked = if marked.is_empty() { "\u{a0}".to_string() } else { escape(marked) };
                html.push_str(&format!(
                    "<span class=\"po-line po-hit\"><span class=\"po-ln\">{n}</span>{}<mark>{marked}</mark>{}</span>",
                    escape(before),
                    escape(after)
                ));
            } else {
                // No newline between lines: each is a block already, and in a
                // `pre` a newline would add an empty line.
                html.push_str(&format!(
                    "<span class=\"po-line\"><span class=\"po-ln\">{n}</span>{}</span>",
                    escape(text)
                ));
            }
        }
        html.push_str("</pre>\n");
    }
    if let Some(help) = &f.help {
        html.push_str(&format!("<p class=\"po-help\"><strong>วิธีแก้:</strong> {}</p>\n", escape(help)));
    }
    html.push_str(&format!("<p class=\"po-kind\">{}</p>\n</li>\n", escape(f.kind.code())));
    html
}

/// Splits a line at the marker, which is given in terminal cells (as the
/// terminal shows it). Thai vowel and tone marks take no cell: they stay
/// with the letter they sit on, so the mark never cuts a syllable.
pub fn split_cells(text: &str, start: usize, width: usize) -> (&str, &str, &str) {
    let end = start + width;
    let (mut a, mut b) = (text.len(), text.len());
    let mut found_a = false;
    let mut cells = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if w == 0 {
            continue;
        }
        if !found_a && cells >= start {
            a = i;
            found_a = true;
        }
        if cells >= end {
            b = i;
            break;
        }
        cells += w;
    }
    if !found_a {
        a = text.len();
    }
    let b = b.max(a);
    (&text[..a], &text[a..b], &text[b..])
}

/// Scoped under the overlay's id and reset with `all: initial`, so the
/// site's own stylesheet cannot make it unreadable.
const OVERLAY_CSS: &str = r#"
#prongsai-overlay{all:initial;position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(15,15,15,.6);
font-family:"Sarabun","Noto Sans Thai","Leelawadee UI","Thonburi","Tahoma",sans-serif;font-size:16px;line-height:1.7;color:#1a1a1a;
-webkit-text-size-adjust:100%;text-size-adjust:100%}
#prongsai-overlay *{box-sizing:border-box;font-family:inherit;line-height:inherit;letter-spacing:normal;max-width:100%}
#prongsai-overlay .po-box{background:#fff;max-width:52rem;margin:1.5rem auto;padding:1rem 1.25rem 1.25rem;border-top:6px solid #b3261e;border-radius:6px;box-shadow:0 8px 32px rgba(0,0,0,.35)}
#prongsai-overlay .po-head{display:flex;align-items:flex-start;gap:.75rem}
#prongsai-overlay h2{flex:1;margin:0;font-size:1.25rem;font-weight:700;line-height:1.6;color:#b3261e}
#prongsai-overlay .po-close{flex:none;min-width:44px;min-height:44px;border:1px solid #999;border-radius:6px;background:#fff;color:#1a1a1a;font-size:1.5rem;line-height:1;cursor:pointer}
#prongsai-overlay .po-close:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
#prongsai-overlay p{margin:.5rem 0}
#prongsai-overlay .po-note{color:#444}
#prongsai-overlay .po-list{margin:.75rem 0 0;padding:0;list-style:none}
#prongsai-overlay .po-finding{margin:0 0 1rem;padding:.75rem 0 0;border-top:1px solid #ddd}
#prongsai-overlay .po-tag{display:inline-block;padding:0 .5rem;border-radius:4px;background:#b3261e;color:#fff;font-weight:700}
#prongsai-overlay .po-warning .po-tag{background:#8a5300}
#prongsai-overlay .po-where,#prongsai-overlay .po-msg,#prongsai-overlay .po-help{overflow-wrap:anywhere}
#prongsai-overlay .po-msg{font-size:1.0625rem;font-weight:600}
#prongsai-overlay code,#prongsai-overlay pre{font-family:ui-monospace,"DejaVu Sans Mono","Cascadia Mono",Consolas,monospace,"Sarabun","Noto Sans Thai","Leelawadee UI","Thonburi","Tahoma",sans-serif;font-size:.9375rem}
#prongsai-overlay .po-file{font-weight:700}
#prongsai-overlay pre{margin:.5rem 0;padding:.5rem .75rem;background:#f6f6f6;border:1px solid #ddd;border-radius:4px;line-height:1.8;white-space:pre-wrap;overflow-wrap:anywhere}
#prongsai-overlay .po-line{display:block}
#prongsai-overlay .po-ln{display:inline-block;min-width:3ch;margin-right:.75rem;color:#666;text-align:right;user-select:none}
#prongsai-overlay mark{background:#ffd9d6;color:#1a1a1a;text-decoration:underline wavy #b3261e;text-underline-offset:.3em;text-decoration-skip-ink:none}
#prongsai-overlay .po-kind{margin:0;color:#666;font-size:.875rem}
@media (max-width:480px){#prongsai-overlay .po-box{margin:0;min-height:100%;border-radius:0;padding:.75rem .875rem 1rem}#prongsai-overlay h2{font-size:1.125rem}}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Kind, SourceFile};

    #[test]
    fn marker_cells_keep_thai_marks_with_their_letter() {
        // "ชื่อ" is 4 chars and 2 cells: the vowel and tone marks take none.
        let width = unicode_width::UnicodeWidthStr::width("ชื่อ");
        assert_eq!(width, 2);
        let (a, b, c) = split_cells("\"ชื่อ\": 1", 1, width);
        assert_eq!((a, b, c), ("\"", "ชื่อ", "\": 1"));
        let (a, b, c) = split_cells("abc", 3, 1);
        assert_eq!((a, b, c), ("abc", "", ""));
        let (a, b, c) = split_cells("", 0, 1);
        assert_eq!((a, b, c), ("", "", ""));
    }

    #[test]
    fn overlay_escapes_every_string_and_marks_the_spot() {
        let src = SourceFile::new("content/<x>.json", "{\n  \"a\": <script>alert(1)</script>\n}".into());
        let start = src.text.find("<script>").unwrap();
        let finding = Finding::new(Kind::JsonSyntax, "content/<x>.json", "ค่า <script> ไม่ถูกต้อง & \"ผิด\"")
            .with_help("ลบ <b>ออก</b>")
            .with_field("a'b")
            .at(&src, start..start + 8);
        let html = overlay_html(&[finding], true);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("content/&lt;x&gt;.json"), "{html}");
        assert!(html.contains("บรรทัด 2"), "{html}");
        assert!(html.contains("<mark>&lt;script&gt;</mark>"), "{html}");
        assert!(html.contains("a&#39;b"), "{html}");
        assert!(html.contains("&amp; &quot;ผิด&quot;"), "{html}");
        assert!(html.contains("line-height:1.7") && html.contains("\"Noto Sans Thai\""));
    }

    #[test]
    fn events_are_single_data_lines() {
        let e = broken_event("i", 3, "<div>\nline two</div>");
        let data: Vec<&str> = e.lines().filter(|l| l.starts_with("data: ")).collect();
        assert_eq!(data.len(), 1);
        assert!(e.ends_with("\n\n"));
        let json: serde_json::Value = serde_json::from_str(&data[0]["data: ".len()..]).unwrap();
        assert_eq!(json["overlay"], "<div>\nline two</div>");
        let r = reload_event("i", 1, 2, &["style.css".into()]);
        assert!(r.starts_with("event: reload\n"));
    }

    #[test]
    fn hub_caps_streams_and_drops_gone_ones() {
        let hub = Hub::new(2);
        let (a, rx_a) = hub.subscribe().unwrap();
        let (_b, rx_b) = hub.subscribe().unwrap();
        assert_eq!(hub.subscribe().unwrap_err(), Refusal::Full);
        drop(rx_b);
        hub.broadcast("x".into());
        assert_eq!(&*rx_a.recv().unwrap(), "x");
        assert_eq!(hub.len(), 1, "the closed stream is dropped on broadcast");
        hub.unsubscribe(a);
        assert!(hub.is_empty());
        hub.close();
        assert_eq!(hub.subscribe().unwrap_err(), Refusal::Closed);
    }
}
