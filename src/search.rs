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

/// Pages waiting to be indexed at most: enough to keep the indexer busy while
/// the next pages render, few enough that a large site's pages are not held.
const QUEUE: usize = 64;

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
}

struct Thread {
    tx: SyncSender<(String, String)>,
    handle: JoinHandle<Result<Vec<IndexFile>, SearchError>>,
}

impl Thread {
    fn start(keep_index_url: bool) -> Result<Thread, SearchError> {
        let (tx, rx) = sync_channel::<(String, String)>(QUEUE);
        let handle = std::thread::Builder::new()
            .name("pagefind".into())
            .spawn(move || index(rx, keep_index_url))
            .map_err(|e| SearchError::Runtime(e.to_string()))?;
        Ok(Thread { tx, handle })
    }

    fn finish(self) -> Result<Vec<IndexFile>, SearchError> {
        drop(self.tx);
        self.handle.join().map_err(|_| SearchError::Runtime("the indexing thread panicked".into()))?
    }
}

impl Indexer {
    /// Starts the index. `keep_index_url`: results link to `…/index.html`
    /// (a site whose links end in `index.html`).
    pub fn start(keep_index_url: bool, cache: Cache) -> Indexer {
        let state = State::Holding { pages: Vec::new(), bytes: 0 };
        Indexer { state: std::sync::Mutex::new(state), keep_index_url, cache, hold_max: CACHE_MAX_BYTES }
    }

    /// Adds a page: its root-relative URL path ("/indicators/3-1.1/") and
    /// its HTML. Waits while Pagefind's queue is full. Called in page order.
    pub fn add(&self, url: String, html: String) -> Result<(), SearchError> {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let State::Holding { pages, bytes } = &mut *state {
            *bytes += url.len() + html.len();
            pages.push((url, html));
            if *bytes <= self.hold_max {
                return Ok(());
            }
            let held = std::mem::take(pages);
            let thread = Thread::start(self.keep_index_url)?;
            for page in held {
                // A closed channel means the indexer stopped on an error,
                // which `finish` returns.
                let _ = thread.tx.send(page);
            }
            *state = State::Streaming(thread);
            return Ok(());
        }
        if let State::Streaming(thread) = &*state {
            let _ = thread.tx.send((url, html));
        }
        Ok(())
    }

    /// Builds the index from every page added, or takes it from the cache;
    /// returns its files, under `pagefind/`.
    pub fn finish(self) -> Result<Vec<IndexFile>, SearchError> {
        let state = self.state.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        match state {
            State::Streaming(thread) => thread.finish(),
            State::Holding { pages, .. } => {
                let mut key = Key::new("search");
                key.add(&[u8::from(self.keep_index_url)]);
                for (url, html) in &pages {
                    key.add(url.as_bytes()).add(html.as_bytes());
                }
                if let Some(files) = self.cache.get("search", &key).and_then(|b| decode(&b)) {
                    return Ok(files);
                }
                let thread = Thread::start(self.keep_index_url)?;
                for page in pages {
                    let _ = thread.tx.send(page);
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

fn index(rx: Receiver<(String, String)>, keep_index_url: bool) -> Result<Vec<IndexFile>, SearchError> {
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
            })
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                (format!("{}{name}", crate::routes::PAGEFIND), f.contents)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> String {
        format!(
            "<!doctype html><html lang=\"th\"><head><title>{title}</title></head><body><nav>เมนู</nav><main data-pagefind-body><h1>{title}</h1><p>{body}</p></main></body></html>"
        )
    }

    #[test]
    fn thai_pages_make_an_index_with_its_script() {
        let ix = Indexer::start(false, Cache::none());
        ix.add("/a/".into(), page("การร้องเรียน", "ร้อยละของเรื่องร้องเรียนที่ได้รับการตรวจสอบ")).unwrap();
        ix.add("/b/".into(), page("การส่งเสริม", "การส่งเสริมสิทธิมนุษยชน")).unwrap();
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
            let ix = Indexer::start(true, cache);
            for i in 0..20 {
                let html = page(&format!("หน้า {i}"), "ยุทธศาสตร์ ตัวชี้วัด ผลการดำเนินงาน");
                ix.add(format!("/p{i}/index.html"), html).unwrap();
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
        let mut ix = Indexer::start(false, Cache::none());
        ix.hold_max = 2000;
        for (url, html) in pages.iter().cloned() {
            ix.add(url, html).unwrap();
        }
        assert!(matches!(*ix.state.lock().unwrap(), State::Streaming(_)), "more than the cache holds");
        let streamed = ix.finish().unwrap();
        let entry = &streamed.iter().find(|(n, _)| n == "pagefind/pagefind-entry.json").unwrap().1;
        assert!(String::from_utf8_lossy(entry).contains("\"page_count\":40"));
    }

    #[test]
    fn the_cache_entry_format_round_trips() {
        let files = vec![("pagefind/a.js".to_string(), b"abc".to_vec()), ("pagefind/b".to_string(), Vec::new())];
        assert_eq!(decode(&encode(&files)), Some(files));
        assert_eq!(decode(b"\x05\0\0\0\0\0\0\0ab"), None, "a cut entry is a miss, not a panic");
    }
}
