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

/// Pages waiting to be indexed at most: enough to keep the indexer busy while
/// the next pages render, few enough that a large site's pages are not held.
const QUEUE: usize = 64;

/// The index being built on its own thread.
pub struct Indexer {
    tx: Option<SyncSender<(String, String)>>,
    thread: Option<JoinHandle<Result<Vec<IndexFile>, SearchError>>>,
}

impl Indexer {
    /// Starts the indexer. `keep_index_url`: results link to
    /// `…/index.html` (a site whose links end in `index.html`).
    pub fn start(keep_index_url: bool) -> Indexer {
        let (tx, rx) = sync_channel::<(String, String)>(QUEUE);
        let thread = std::thread::Builder::new()
            .name("pagefind".into())
            .spawn(move || index(rx, keep_index_url))
            .map_err(|e| SearchError::Runtime(e.to_string()));
        match thread {
            Ok(t) => Indexer { tx: Some(tx), thread: Some(t) },
            // No thread: `finish` reports it.
            Err(_) => Indexer { tx: None, thread: None },
        }
    }

    /// Adds a page: its root-relative URL path ("/indicators/3-1.1/") and
    /// its HTML. Waits while the queue is full.
    pub fn add(&self, url: String, html: String) {
        if let Some(tx) = &self.tx {
            // A closed channel means the indexer stopped on an error, which
            // `finish` returns.
            let _ = tx.send((url, html));
        }
    }

    /// Builds the index from every page added; returns its files, under
    /// `pagefind/`.
    pub fn finish(mut self) -> Result<Vec<IndexFile>, SearchError> {
        drop(self.tx.take());
        match self.thread.take() {
            Some(t) => t.join().map_err(|_| SearchError::Runtime("the indexing thread panicked".into()))?,
            None => Err(SearchError::Runtime("could not start the indexing thread".into())),
        }
    }
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
        let ix = Indexer::start(false);
        ix.add("/a/".into(), page("การร้องเรียน", "ร้อยละของเรื่องร้องเรียนที่ได้รับการตรวจสอบ"));
        ix.add("/b/".into(), page("การส่งเสริม", "การส่งเสริมสิทธิมนุษยชน"));
        let files = ix.finish().unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
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
        let build = || {
            let ix = Indexer::start(true);
            for i in 0..20 {
                ix.add(format!("/p{i}/index.html"), page(&format!("หน้า {i}"), "ยุทธศาสตร์ ตัวชี้วัด ผลการดำเนินงาน"));
            }
            ix.finish().unwrap()
        };
        assert_eq!(build(), build());
    }
}
