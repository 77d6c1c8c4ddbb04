//! 128-bit fingerprints of what a piece of output was made from, so that the
//! preview can tell that an input is unchanged without keeping a copy of it.
//! XXH3 at 128 bits: fast enough to fingerprint every page of a large site
//! on each save, and wide enough that two different inputs do not collide in
//! practice, which matters because a collision would leave a stale page in
//! the preview.

use std::hash::{Hash, Hasher};
use xxhash_rust::xxh3::Xxh3;

/// A fingerprint of something hashable.
pub fn of(value: &(impl Hash + ?Sized)) -> u128 {
    let mut h = Fingerprinter::default();
    value.hash(&mut h);
    h.finish128()
}

/// A fingerprint of a value's serialised form: CBOR, which writes each
/// field's name, each string's length and each value's type, so two
/// different values never write the same bytes (`Hash` impls do not promise
/// that: minijinja hashes `none` and an empty list alike), and copies
/// strings as they are (JSON would escape them, which costs more than the
/// hash).
pub fn of_serialized(value: &impl serde::Serialize) -> u128 {
    struct Feed(Fingerprinter);
    impl std::io::Write for Feed {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // The serialiser writes in small pieces; the hash is fastest on large ones.
    let mut feed = std::io::BufWriter::with_capacity(16 * 1024, Feed(Fingerprinter::default()));
    // A value that cannot be written gets a fingerprint of its own, so it
    // is never taken for another.
    if ciborium::into_writer(value, &mut feed).is_err() {
        return one_of_a_kind();
    }
    match feed.into_inner() {
        Ok(feed) => feed.0.finish128(),
        Err(_) => one_of_a_kind(),
    }
}

/// A fingerprint that matches nothing else made in this process.
fn one_of_a_kind() -> u128 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    of(&("unfingerprintable", std::process::id(), n))
}

/// Feeds values in one by one, then [`Fingerprinter::finish128`].
#[derive(Default, Clone)]
pub struct Fingerprinter(Xxh3);

impl Fingerprinter {
    pub fn finish128(&self) -> u128 {
        self.0.digest128()
    }
}

impl Hasher for Fingerprinter {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_inputs_give_equal_fingerprints_and_different_differ() {
        assert_eq!(super::of("ผลการดำเนินงาน"), super::of("ผลการดำเนินงาน"));
        assert_ne!(super::of("ผลการดำเนินงาน"), super::of("ผลการดำเนินงาน "));
        // Boundaries count: ("ab", "c") is not ("a", "bc").
        assert_ne!(super::of(&("ab", "c")), super::of(&("a", "bc")));
    }
}
