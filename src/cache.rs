//! What the build keeps between builds: PNGs and the search index, by a hash
//! of everything that makes them, in `.prongsai-cache/` in the site folder
//! (as Hugo keeps processed images in `resources/_gen/`).
//!
//! Drawing a PNG takes tens of milliseconds and indexing for search about a
//! hundred more, against some fifty for the whole rest of the default site's
//! build: without the cache, every build would be many times slower for
//! pictures and an index that did not change. An entry's name is the hash of
//! its inputs, so a hit gives exactly the bytes a fresh run would, and builds
//! stay byte-identical. The cache is only ever an aid: an entry that cannot
//! be read or written is made afresh, and deleting the folder loses nothing.

use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// The cache's folder, in the site folder.
pub const DIR: &str = ".prongsai-cache";

/// Changed whenever what is cached is made differently for the same inputs
/// (another renderer, another index format), so old entries are not used.
const FORMAT: &str = concat!("prongsai ", env!("CARGO_PKG_VERSION"), " cache 1");

/// Where cached files go; nowhere for a build that must not write beside
/// its sources.
#[derive(Debug, Clone, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
}

/// A key being made from the inputs of a cached file.
pub struct Key(SipHasher13);

impl Key {
    pub fn new(kind: &str) -> Key {
        let mut h = SipHasher13::new_with_keys(0x7072_6f6e_6773_6169, 0x6361_6368_6531_0000);
        h.write(FORMAT.as_bytes());
        h.write(&[0]);
        h.write(kind.as_bytes());
        h.write(&[0]);
        Key(h)
    }

    /// Adds one input; inputs are length-prefixed, so ("ab", "c") and
    /// ("a", "bc") differ.
    pub fn add(&mut self, bytes: &[u8]) -> &mut Key {
        self.0.write(&(bytes.len() as u64).to_le_bytes());
        self.0.write(bytes);
        self
    }

    pub fn hex(&self) -> String {
        format!("{:032x}", self.0.finish128().as_u128())
    }
}

impl Cache {
    /// The cache of the site at `root`.
    pub fn at(root: &Path) -> Cache {
        Cache { dir: Some(root.join(DIR)) }
    }

    /// The cache in the folder `dir` (tests share one between sites).
    pub fn in_dir(dir: &Path) -> Cache {
        Cache { dir: Some(dir.to_path_buf()) }
    }

    /// No cache: everything is made afresh.
    pub fn none() -> Cache {
        Cache { dir: None }
    }

    fn path(&self, kind: &str, key: &Key) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(kind).join(key.hex()))
    }

    pub fn get(&self, kind: &str, key: &Key) -> Option<Vec<u8>> {
        std::fs::read(self.path(kind, key)?).ok()
    }

    /// Stores an entry: written to a temporary file and renamed, so a reader
    /// (another thread, another build) never sees half of it.
    pub fn put(&self, kind: &str, key: &Key, bytes: &[u8]) {
        let Some(path) = self.path(kind, key) else { return };
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) {
            use std::io::Write;
            if tmp.write_all(bytes).is_ok() {
                let _ = tmp.persist(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_every_input_and_its_boundaries() {
        let k = |parts: &[&[u8]]| {
            let mut key = Key::new("png");
            for p in parts {
                key.add(p);
            }
            key.hex()
        };
        assert_eq!(k(&[b"ab", b"c"]), k(&[b"ab", b"c"]));
        assert_ne!(k(&[b"ab", b"c"]), k(&[b"a", b"bc"]));
        assert_ne!(k(&[b"ab"]), Key::new("search").add(b"ab").hex());
        assert_eq!(k(&[b"x"]).len(), 32);
    }

    #[test]
    fn entries_round_trip_and_no_cache_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let mut key = Key::new("png");
        key.add(b"svg");
        assert_eq!(cache.get("png", &key), None);
        cache.put("png", &key, b"bytes");
        assert_eq!(cache.get("png", &key).as_deref(), Some(&b"bytes"[..]));
        Cache::none().put("png", &key, b"x");
        assert_eq!(Cache::none().get("png", &key), None);
    }
}
