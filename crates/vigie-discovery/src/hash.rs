//! The hasher of the readers' own maps.
//!
//! Readers index what they read (descriptors, install paths, names and
//! versions) in hash maps, several per file, with short string keys. The
//! standard SipHash-1-3 costs more than the rest of the lookup on such keys
//! (about 5% of an estate scan), so these maps use `foldhash` (the hasher
//! hashbrown itself defaults to). Its `RandomState` is seeded per process
//! and per map, so colliding keys cannot be computed ahead of time from a
//! hostile file (HashDoS); it is not a cryptographic hash, and a map lives
//! only for the reading of one file.

/// Builds the seeded fast hashers.
pub(crate) type FastState = foldhash::fast::RandomState;
/// `HashMap` with the fast seeded hasher.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, FastState>;
/// `HashSet` with the fast seeded hasher.
pub(crate) type HashSet<K> = std::collections::HashSet<K, FastState>;

/// An empty map with room for `n` entries.
pub(crate) fn map_with_capacity<K, V>(n: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(n, FastState::default())
}
