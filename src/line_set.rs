//! Sets of line indexes. The rules keep many (evidence lines, ends, captions, tables) and ask them for
//! each line; with std's SipHash, hashing those small integers was a fifth of the heuristic's time. A
//! multiply-shift hash is enough: an index is a line's place in the document, not text a page could
//! pick to collide.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default)]
pub struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn write_u64(&mut self, value: u64) {
        // Fibonacci hashing: the golden ratio's odd multiplier spreads consecutive indexes over every bit.
        self.0 = (self.0 ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26);
    }
}

/// A set of line indexes.
pub type LineSet = HashSet<usize, BuildHasherDefault<IndexHasher>>;

#[cfg(test)]
mod tests {
    use super::LineSet;

    #[test]
    fn a_line_set_is_a_set() {
        let set: LineSet = [3, 1, 4, 1, 5, 9, 2, 6].into_iter().collect();
        assert_eq!(set.len(), 7);
        assert!(set.contains(&9) && !set.contains(&7));
        let many: LineSet = (0..100_000).step_by(3).collect();
        assert_eq!((0..100_000).filter(|i| many.contains(i)).count(), 33_334);
    }
}
