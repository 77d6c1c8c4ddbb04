//! The search index: Pagefind, as a library, fed the pages the build renders.
//!
//! Pagefind's extended build segments Thai into words with ICU4X at index
//! time (the browser segments the query with `Intl.Segmenter`), which is what
//! makes a word from the middle of a Thai sentence findable. What is indexed
//! is marked in the theme's templates (`data-pagefind-body` on the main
//! content, `-ignore` on what repeats on every page, `-filter` and `-meta` on
//! indicator pages), not chosen here.
//!
//! Its API is async: the [`Indexer`] runs it on a small current-thread tokio
//! runtime on a thread of its own, and the build hands it each page as it is
//! written, in the order of the pages (the index's bytes follow the order
//! pages are added, and builds must be byte-identical). Pages wait in a short
//! queue, so memory does not grow with the site.

use crate::cache::{Cache, Key};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Why the index could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("สร้างดัชนีค้นหา (Pagefind) ไม่ได้: {0}")]
    Pagefind(String),
    #[error("สร้างดัชนีค้นหาไม่ได้: {0}")]
    Runtime(String),
}

/// A file of the index, by root-relative path ("pagefind/pagefind.js").
pub type IndexFile = (String, Vec<u8>);

/// Files of Pagefind's bundle the site does not use (by name prefix).
const UNUSED_UI: [&str; 4] = ["pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight."];

/// Files of Pagefind's bundle that only the index a page loads first needs.
const SCRIPT: [&str; 3] = ["pagefind.js", "pagefind-worker.js", "wasm."];

/// Pages waiting to be indexed at most: enough to keep the indexer busy while
/// the next pages render, few enough that a large site's pages are not held.
const QUEUE: usize = 64;

/// Pages waiting for a part of a large plan's index at most.
const PART_QUEUE: usize = 1000;

/// A site with at most this much HTML to index is held until the end and
/// its index taken from the cache when the same pages were indexed before
/// (the default site has about 1 MB); a larger one streams to Pagefind as it
/// renders, so its pages are never all held.
const CACHE_MAX_BYTES: usize = 8 << 20;

/// The index being built.
pub struct Indexer {
    state: std::sync::Mutex<State>,
    keep_index_url: bool,
    cache: Cache,
    /// [`CACHE_MAX_BYTES`], smaller in tests.
    hold_max: usize,
}

enum State {
    /// A small site so far: its pages, in order.
    Holding { pages: Vec<(String, String)>, bytes: usize },
    /// Pages go to Pagefind's thread as they come.
    Streaming(Thread),
    /// A large plan's index, made in parts (see [`Parts`]).
    Parts(Parts),
}

struct Thread {
    tx: Option<SyncSender<(String, String)>>,
    handle: JoinHandle<Result<Vec<IndexFile>, SearchError>>,
}

impl Thread {
    /// Indexes the pages it is sent into files under `dir` ("pagefind/"); a
    /// part merged into another index (`primary` false) has no script.
    fn start(keep_index_url: bool, dir: String, primary: bool, queue: usize) -> Result<Thread, SearchError> {
        let (tx, rx) = sync_channel::<(String, String)>(queue);
        let handle = std::thread::Builder::new()
            .name("pagefind".into())
            .spawn(move || index(rx, keep_index_url, &dir, primary))
            .map_err(|e| SearchError::Runtime(e.to_string()))?;
        Ok(Thread { tx: Some(tx), handle })
    }

    fn send(&self, page: (String, String)) {
        // A closed channel means the indexer stopped on an error, which
        // `finish` returns.
        if let Some(tx) = &self.tx {
            let _ = tx.send(page);
        }
    }

    /// No more pages: Pagefind makes the index while the build goes on.
    fn close(&mut self) {
        self.tx = None;
    }

    fn finish(mut self) -> Result<Vec<IndexFile>, SearchError> {
        self.close();
        self.handle.join().map_err(|_| SearchError::Runtime("the indexing thread panicked".into()))?
    }
}

/// A large plan's index in parts of at most `size` pages, each a Pagefind
/// index of its own that the search page merges (`mergeIndex`) when it
/// loads: Pagefind holds every page of an index, and then its whole index,
/// in memory until it writes it (at 10,000 indicators 2.7 GB and 27 s in
/// one), so one index cannot stay within bounded memory. A part is made
/// while the next one takes pages, so at most two are held, and the two
/// cores share the work.
///
/// Each language has its own index, since Pagefind takes the languages of
/// a page's search from the first index loaded: the main language's under
/// `pagefind/`, another's under `pagefind/<prefix>` ("pagefind/en/"). The
/// first part of each is a whole index with Pagefind's script; the others
/// sit in `part-2/`, `part-3/`, … beside it, listed in its `parts.json`.
struct Parts {
    size: usize,
    keep_index_url: bool,
    /// The language prefix ("" or "en/") of the part taking pages.
    lang: Option<String>,
    /// That part's number in its language (from 1) and its pages so far.
    number: usize,
    pages: usize,
    open: Option<Thread>,
    /// The part before, being made.
    closing: Option<Thread>,
    files: Vec<IndexFile>,
    /// Each language's folder and how many parts it has.
    counts: Vec<(String, usize)>,
}

impl Parts {
    fn new(size: usize, keep_index_url: bool) -> Parts {
        Parts {
            size: size.max(1),
            keep_index_url,
            lang: None,
            number: 0,
            pages: 0,
            open: None,
            closing: None,
            files: Vec::new(),
            counts: Vec::new(),
        }
    }

    fn add(&mut self, lang: &str, url: String, html: String) -> Result<(), SearchError> {
        let same_lang = self.lang.as_deref() == Some(lang);
        if !same_lang || self.pages == self.size {
            self.close()?;
            if same_lang {
                self.number += 1;
            } else {
                self.end_language();
                self.lang = Some(lang.to_string());
                self.number = 1;
            }
            let dir = part_dir(lang, self.number);
            // The whole part may wait: the build renders on while Pagefind
            // indexes, and the next part starts (on the other core) as soon
            // as this one has all its pages. At 10,000 indicators that took
            // the build from 21 to 18 s, with no more memory.
            let queue = self.size.min(PART_QUEUE);
            self.open = Some(Thread::start(self.keep_index_url, dir, self.number == 1, queue)?);
            self.pages = 0;
        }
        if let Some(open) = &self.open {
            open.send((url, html));
        }
        self.pages += 1;
        Ok(())
    }

    /// The part taking pages takes no more; the one before it must be made
    /// first, so that no more than two are held.
    fn close(&mut self) -> Result<(), SearchError> {
        if let Some(previous) = self.closing.take() {
            self.files.extend(previous.finish()?);
        }
        if let Some(mut open) = self.open.take() {
            open.close();
            self.closing = Some(open);
        }
        Ok(())
    }

    fn end_language(&mut self) {
        if let Some(lang) = self.lang.take() {
            self.counts.push((part_dir(&lang, 1), self.number));
        }
    }

    fn finish(mut self) -> Result<Vec<IndexFile>, SearchError> {
        // Once to close the open part (making the one before it), once to
        // make that last part.
        self.close()?;
        self.close()?;
        self.end_language();
        for (dir, count) in std::mem::take(&mut self.counts) {
            let parts: Vec<String> = (2..=count).map(|n| format!("part-{n}/")).collect();
            let json = serde_json::to_vec(&parts).map_err(|e| SearchError::Runtime(e.to_string()))?;
            self.files.push((format!("{dir}{PARTS_FILE}"), json));
        }
        self.files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(self.files)
    }
}

/// The list of a language's other parts, in its first part's folder.
pub const PARTS_FILE: &str = "parts.json";

/// The folder of part `number` of the index of the language with prefix
/// `lang`: "pagefind/", "pagefind/part-2/", "pagefind/en/part-3/".
fn part_dir(lang: &str, number: usize) -> String {
    let base = format!("{}{lang}", crate::routes::PAGEFIND);
    if number == 1 { base } else { format!("{base}part-{number}/") }
}

impl Indexer {
    /// Starts the index. `keep_index_url`: results link to `…/index.html`
    /// (a site whose links end in `index.html`).
    ///
    /// `parts`: make the index in parts of that many pages (see [`Parts`]);
    /// `None`, one index for the whole site.
    pub fn start(keep_index_url: bool, cache: Cache, parts: Option<usize>) -> Indexer {
        let state = match parts {
            Some(size) => State::Parts(Parts::new(size, keep_index_url)),
            None => State::Holding { pages: Vec::new(), bytes: 0 },
        };
        Indexer { state: std::sync::Mutex::new(state), keep_index_url, cache, hold_max: CACHE_MAX_BYTES }
    }

    /// Adds a page: the prefix of its language ("" for the main language,
    /// "en/"), its root-relative URL path ("/indicators/3-1.1/") and its
    /// HTML. Waits while Pagefind's queue is full. Called in page order.
    pub fn add(&self, lang: &str, url: String, html: String) -> Result<(), SearchError> {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let State::Parts(parts) = &mut *state {
            return parts.add(lang, url, html);
        }
        if let State::Holding { pages, bytes } = &mut *state {
            *bytes += url.len() + html.len();
            pages.push((url, html));
            if *bytes <= self.hold_max {
                return Ok(());
            }
            let held = std::mem::take(pages);
            let thread = Thread::start(self.keep_index_url, crate::routes::PAGEFIND.into(), true, QUEUE)?;
            for page in held {
                thread.send(page);
            }
            *state = State::Streaming(thread);
            return Ok(());
        }
        if let State::Streaming(thread) = &*state {
            thread.send((url, html));
        }
        Ok(())
    }

    /// Builds the index from every page added, or takes it from the cache;
    /// returns its files, under `pagefind/`.
    pub fn finish(self) -> Result<Vec<IndexFile>, SearchError> {
        let state = self.state.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        match state {
            State::Streaming(thread) => thread.finish(),
            State::Parts(parts) => parts.finish(),
            State::Holding { pages, .. } => {
                let mut key = Key::new("search");
                key.add(&[u8::from(self.keep_index_url)]);
                for (url, html) in &pages {
                    key.add(url.as_bytes()).add(html.as_bytes());
                }
                if let Some(files) = self.cache.get("search", &key).and_then(|b| decode(&b)) {
                    return Ok(files);
                }
                let thread = Thread::start(self.keep_index_url, crate::routes::PAGEFIND.into(), true, QUEUE)?;
                for page in pages {
                    thread.send(page);
                }
                let files = thread.finish()?;
                self.cache.put("search", &key, &encode(&files));
                Ok(files)
            }
        }
    }
}

/// The index's files as one cache entry: for each, its name's length and
/// name, then its length and bytes.
fn encode(files: &[IndexFile]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        out.extend((name.len() as u64).to_le_bytes());
        out.extend(name.as_bytes());
        out.extend((bytes.len() as u64).to_le_bytes());
        out.extend(bytes);
    }
    out
}

fn decode(mut b: &[u8]) -> Option<Vec<IndexFile>> {
    let take = |b: &mut &[u8]| -> Option<Vec<u8>> {
        let len = usize::try_from(u64::from_le_bytes(b.get(..8)?.try_into().ok()?)).ok()?;
        let part = b.get(8..8 + len)?.to_vec();
        *b = &b[8 + len..];
        Some(part)
    };
    let mut files = Vec::new();
    while !b.is_empty() {
        let name = String::from_utf8(take(&mut b)?).ok()?;
        files.push((name, take(&mut b)?));
    }
    Some(files)
}

fn index(
    rx: Receiver<(String, String)>,
    keep_index_url: bool,
    dir: &str,
    primary: bool,
) -> Result<Vec<IndexFile>, SearchError> {
    let rt = tokio::runtime::Builder::new_current_thread().build().map_err(|e| SearchError::Runtime(e.to_string()))?;
    rt.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder().keep_index_url(keep_index_url).build();
        let mut index =
            pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| SearchError::Pagefind(e.to_string()))?;
        // Receiving blocks this thread between pages; nothing else runs on
        // this runtime, so that is all it has to wait for.
        while let Ok((url, html)) = rx.recv() {
            index.add_html_file(None, Some(url), html).await.map_err(|e| SearchError::Pagefind(e.to_string()))?;
        }
        let files = index.get_files().await.map_err(|e| SearchError::Pagefind(e.to_string()))?;
        let mut out: Vec<IndexFile> = files
            .into_iter()
            // Pagefind's own ready-made interfaces (about 430 KB): the theme
            // has its own search page with Thai labels, so they would only
            // be published, never loaded.
            .filter(|f| {
                let name = f.filename.to_string_lossy();
                !UNUSED_UI.iter().any(|u| name.starts_with(u))
                    // A part merged into the first takes its script,
                    // worker and WebAssembly from there.
                    && (primary || !SCRIPT.iter().any(|u| name.starts_with(u)))
            })
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (format!("{dir}{name}"), f.contents)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn page(title: &str, body: &str) -> String {
        format!(
            "<!doctype html><html lang=\"th\"><head><title>{title}</title></head><body><nav>เมนู</nav><main data-pagefind-body><h1>{title}</h1><p>{body}</p></main></body></html>"
        )
    }

    #[test]
    fn thai_pages_make_an_index_with_its_script() {
        let ix = Indexer::start(false, Cache::none(), None);
        ix.add("", "/a/".into(), page("การร้องเรียน", "ร้อยละของเรื่องร้องเรียนที่ได้รับการตรวจสอบ")).unwrap();
        ix.add("", "/b/".into(), page("การส่งเสริม", "การส่งเสริมสิทธิมนุษยชน")).unwrap();
        let files = ix.finish().unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(!names.iter().any(|n| n.contains("-ui.")), "no unused interface: {names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(".pf_fragment")), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with(".pf_index")), "{names:?}");
        let entry = &files.iter().find(|(n, _)| n == "pagefind/pagefind-entry.json").unwrap().1;
        let entry = String::from_utf8_lossy(entry);
        assert!(entry.contains("\"th\""), "{entry}");
        assert!(entry.contains("\"page_count\":2"), "{entry}");
    }

    #[test]
    fn the_same_pages_make_the_same_bytes() {
        let build = |cache: Cache| {
            let ix = Indexer::start(true, cache, None);
            for i in 0..20 {
                let html = page(&format!("หน้า {i}"), "ยุทธศาสตร์ ตัวชี้วัด ผลการดำเนินงาน");
                ix.add("", format!("/p{i}/index.html"), html).unwrap();
            }
            ix.finish().unwrap()
        };
        let fresh = build(Cache::none());
        assert_eq!(fresh, build(Cache::none()));
        // Through the cache: stored the first time, the same files after.
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(build(Cache::at(dir.path())), fresh);
        assert!(dir.path().join(".prongsai-cache/search").read_dir().unwrap().count() == 1);
        assert_eq!(build(Cache::at(dir.path())), fresh);
    }

    #[test]
    fn a_large_site_streams_and_makes_the_same_index() {
        let pages: Vec<(String, String)> =
            (0..40).map(|i| (format!("/p{i}/"), page(&format!("หน้า {i}"), "ยุทธศาสตร์ ตัวชี้วัด"))).collect();
        let mut ix = Indexer::start(false, Cache::none(), None);
        ix.hold_max = 2000;
        for (url, html) in pages.iter().cloned() {
            ix.add("", url, html).unwrap();
        }
        assert!(matches!(*ix.state.lock().unwrap(), State::Streaming(_)), "more than the cache holds");
        let streamed = ix.finish().unwrap();
        let entry = &streamed.iter().find(|(n, _)| n == "pagefind/pagefind-entry.json").unwrap().1;
        assert!(String::from_utf8_lossy(entry).contains("\"page_count\":40"));
    }

    #[test]
    fn a_large_plan_makes_an_index_in_parts_per_language() {
        let ix = Indexer::start(false, Cache::none(), Some(3));
        for i in 0..7 {
            ix.add("", format!("/p{i}/"), page(&format!("หน้า {i}"), "ยุทธศาสตร์ ตัวชี้วัด")).unwrap();
        }
        for i in 0..2 {
            let html = page(&format!("Page {i}"), "strategy indicator").replace("lang=\"th\"", "lang=\"en\"");
            ix.add("en/", format!("/en/p{i}/"), html).unwrap();
        }
        let files: BTreeMap<String, Vec<u8>> = ix.finish().unwrap().into_iter().collect();
        let text = |name: &str| String::from_utf8_lossy(&files[name]).into_owned();
        // Thai: 7 pages in parts of 3, 3 and 1; English: one part of 2.
        assert_eq!(text("pagefind/parts.json"), r#"["part-2/","part-3/"]"#);
        assert_eq!(text("pagefind/en/parts.json"), "[]");
        for (dir, count) in [("pagefind/", 3), ("pagefind/part-2/", 3), ("pagefind/part-3/", 1), ("pagefind/en/", 2)] {
            let entry = text(&format!("{dir}pagefind-entry.json"));
            assert!(entry.contains(&format!("\"page_count\":{count}")), "{dir}: {entry}");
        }
        assert!(text("pagefind/en/pagefind-entry.json").contains("\"en\""));
        // The script only in each language's first part.
        assert!(files.contains_key("pagefind/pagefind.js") && files.contains_key("pagefind/en/pagefind.js"));
        let script_dirs: std::collections::BTreeSet<&str> = files
            .keys()
            .filter(|n| n.ends_with("/pagefind.js") || n.contains("/wasm."))
            .map(|n| &n[..=n.rfind('/').unwrap()])
            .collect();
        assert_eq!(script_dirs.into_iter().collect::<Vec<_>>(), ["pagefind/", "pagefind/en/"]);
    }

    #[test]
    fn the_cache_entry_format_round_trips() {
        let files = vec![("pagefind/a.js".to_string(), b"abc".to_vec()), ("pagefind/b".to_string(), Vec::new())];
        assert_eq!(decode(&encode(&files)), Some(files));
        assert_eq!(decode(b"\x05\0\0\0\0\0\0\0ab"), None, "a cut entry is a miss, not a panic");
    }
}
