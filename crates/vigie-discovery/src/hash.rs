//! A fast, seeded hasher for the readers' own maps.
//!
//! Readers index what they read (descriptors, install paths, names and
//! versions) in hash maps, several per file, with short string keys. The
//! standard SipHash-1-3 costs more than the rest of the lookup on such keys
//! (about 5% of an estate scan). This hasher does one 64x64->128 folded
//! multiply per 16 bytes, in the manner of wyhash and foldhash.
//!
//! The keys come from hostile files, so the hasher is seeded: every map
//! gets two random 64-bit keys (drawn from the standard `RandomState`), and
//! both enter every multiply, so colliding keys cannot be computed ahead of
//! time (HashDoS). It is not a cryptographic hash, and the maps are only a
//! reader's for the length of one file. (The `foldhash` crate does the same;
//! this avoids a new dependency.)

use std::hash::{BuildHasher, Hasher, RandomState};

/// `HashMap` with the fast seeded hasher.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, FastState>;
/// `HashSet` with the fast seeded hasher.
pub(crate) type HashSet<K> = std::collections::HashSet<K, FastState>;

/// An empty map with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(n, FastState::default())
}

/// Builds [`FastHasher`]s, with keys drawn at random for each map.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FastState {
    k0: u64,
    k1: u64,
}

impl Default for FastState {
    fn default() -> FastState {
        // `RandomState::new` is random per process and different for each
        // call; its SipHash of two constants gives two independent keys.
        let r = RandomState::new();
        FastState {
            k0: r.hash_one(0x243f_6a88_85a3_08d3_u64),
            k1: r.hash_one(0x1319_8a2e_0370_7344_u64),
        }
    }
}

impl BuildHasher for FastState {
    type Hasher = FastHasher;

    fn build_hasher(&self) -> FastHasher {
        FastHasher {
            acc: self.k0,
            k0: self.k0,
            k1: self.k1,
        }
    }
}

pub(crate) struct FastHasher {
    acc: u64,
    k0: u64,
    k1: u64,
}

/// The 128-bit product of `a` and `b`, its two halves xor-ed.
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

#[inline]
fn u64_at(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(s) = b.get(i..i + 8) {
        w.copy_from_slice(s);
    }
    u64::from_le_bytes(w)
}

#[inline]
fn u32_at(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(i..i + 4) {
        w.copy_from_slice(s);
    }
    u64::from(u32::from_le_bytes(w))
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let len = bytes.len();
        let first = |i: usize| bytes.get(i).copied().map_or(0, u64::from);
        // Two words that, with the length, tell apart any two inputs of up
        // to 16 bytes (overlapping reads cover every byte).
        let (lo, hi, acc) = if len <= 16 {
            let (lo, hi) = if len >= 8 {
                (u64_at(bytes, 0), u64_at(bytes, len - 8))
            } else if len >= 4 {
                (u32_at(bytes, 0), u32_at(bytes, len - 4))
            } else if len > 0 {
                ((first(0) << 16) | (first(len / 2) << 8) | first(len - 1), 0)
            } else {
                (0, 0)
            };
            (lo, hi, self.acc)
        } else {
            let mut acc = self.acc;
            let mut i = 0;
            while len - i > 16 {
                acc = fold_mul(u64_at(bytes, i) ^ self.k1, u64_at(bytes, i + 8) ^ acc);
                i += 16;
            }
            (u64_at(bytes, len - 16), u64_at(bytes, len - 8), acc)
        };
        // The length turns the (secret) accumulator: xor-ing it into a word
        // instead would let a byte difference cancel a length difference.
        self.acc = fold_mul(lo ^ acc.rotate_left(len as u32), hi ^ self.k1);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.acc = fold_mul(self.acc ^ i, self.k1 | 1);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        fold_mul(self.acc, self.k0 | 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_different_keys_spread() {
        let s = FastState::default();
        let words: Vec<String> = (0..20_000)
            .map(|i| format!("pkg-{i}@^{}.0", i % 7))
            .collect();
        let mut hashes: Vec<u64> = words.iter().map(|w| s.hash_one(w.as_str())).collect();
        for (w, h) in words.iter().zip(&hashes) {
            assert_eq!(s.hash_one(w.as_str()), *h);
        }
        // Every length from 0 to 40, every byte position matters.
        let base = [b'a'; 40];
        for len in 0..=40 {
            let h = s.hash_one(&base[..len]);
            for i in 0..len {
                let mut other = base;
                other[i] = b'b';
                assert_ne!(s.hash_one(&other[..len]), h, "len {len} byte {i}");
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), words.len());
        // Keys of neighbouring lengths whose bytes differ where the
        // overlapping reads meet (a length xor-ed into a word collided here).
        for len in 1..40 {
            for c in 0u8..=255 {
                let a = vec![c; len];
                let mut b = vec![c; len + 1];
                b[0] = c ^ 1;
                let (ha, hb) = (s.hash_one(&a[..]), s.hash_one(&b[..]));
                assert_ne!(ha, hb, "len {len} byte {c}");
            }
        }
        let digits: Vec<String> = (0..200_000).map(|i| format!("pkg-{i}@^0.0")).collect();
        let mut hd: Vec<u64> = digits.iter().map(|w| s.hash_one(w.as_str())).collect();
        hd.sort_unstable();
        hd.dedup();
        assert_eq!(hd.len(), digits.len());
        // The low bits (bucket) and the top 7 bits (hashbrown's tag) spread.
        let low: std::collections::HashSet<u64> = words
            .iter()
            .map(|w| s.hash_one(w.as_str()) & 0xfff)
            .collect();
        assert!(low.len() > 3500, "{}", low.len());
        let top: std::collections::HashSet<u64> =
            words.iter().map(|w| s.hash_one(w.as_str()) >> 57).collect();
        assert_eq!(top.len(), 128);
    }

    #[test]
    fn integers_and_tuples() {
        let s = FastState::default();
        let mut seen = std::collections::HashSet::new();
        for a in 0u32..200 {
            for b in 0u32..200 {
                assert!(seen.insert(s.hash_one((a, b))));
            }
        }
    }

    #[test]
    fn maps_are_seeded_differently() {
        let (a, b) = (FastState::default(), FastState::default());
        assert_ne!(a.hash_one("left-pad"), b.hash_one("left-pad"));
    }

    #[test]
    fn works_as_a_map() {
        let mut m: HashMap<&str, usize> = map_with_capacity(4);
        for (i, k) in ["a", "b", "", "a/b/c/d/e/f/g/h/i/j/k/l"].iter().enumerate() {
            m.insert(k, i);
        }
        assert_eq!(m.get("a/b/c/d/e/f/g/h/i/j/k/l"), Some(&3));
        assert_eq!(m.get(""), Some(&2));
        assert_eq!(m.get("c"), None);
    }
}
