//! The reader shared by every CVSS version: a `NAME:VALUE/NAME:VALUE/…` list into value indices.

use super::{CvssError, CvssVersion, clip};

/// The index recorded for a metric absent from the vector.
pub(super) const ABSENT: u8 = u8::MAX;

/// One metric of a version: its abbreviation, its values in a fixed order, whether a vector
/// must carry it.
pub(super) struct MetricDef {
    /// The abbreviation, case-sensitive (`AV`, `Au`, `MSI`, …).
    pub name: &'static str,
    /// `name` packed by [`key`], compared instead of the string.
    name_key: u64,
    /// The values it takes, packed by [`key`]; a parsed value is recorded as its position here.
    values: &'static [u64],
    /// A base metric, which every vector must give.
    pub mandatory: bool,
}

/// Shorthand for the metric tables; `values` are packed with [`key`].
pub(super) const fn def(name: &'static str, values: &'static [u64], mandatory: bool) -> MetricDef {
    MetricDef {
        name,
        name_key: key(name),
        values,
        mandatory,
    }
}

/// A short string packed into an integer, so that names and values compare as one word:
/// its length in the top byte, its bytes below. Strings over 7 bytes (no metric name or
/// value is) all pack to `u64::MAX`, which no table holds.
pub(super) const fn key(s: &str) -> u64 {
    let bytes = s.as_bytes();
    if bytes.len() > 7 {
        return u64::MAX;
    }
    let mut k = (bytes.len() as u64) << 56;
    let mut i = 0;
    while i < bytes.len() {
        k |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

/// A list of values packed with [`key`], for the metric tables.
macro_rules! values {
    ($($v:literal),+ $(,)?) => {
        &[$($crate::cvss::fields::key($v)),+]
    };
}
pub(super) use values;

/// Reads `body` (the vector after its prefix) against `defs`: for each metric, the position
/// of its value in `defs[i].values`, or [`ABSENT`]. Fails on the first field that is not
/// `NAME:VALUE`, names an unknown metric, repeats one or gives an unknown value, then on the
/// first mandatory metric missing. Allocates nothing unless it fails.
pub(super) fn read<const N: usize>(
    body: &str,
    defs: &[MetricDef; N],
    version: CvssVersion,
) -> Result<[u8; N], CvssError> {
    let mut found = [ABSENT; N];
    let mut next = 0;
    let bytes = body.as_bytes();
    let mut start = 0;
    while !bytes.is_empty() {
        let field = scan(bytes, start);
        let text = || body.get(start..field.end).unwrap_or_default();
        if field.colon.is_none() {
            return Err(CvssError::MalformedField {
                version,
                field: clip(text()),
            });
        }
        // Vectors list their metrics in the specification's order, which is the tables'
        // order: try the metric after the last one found before searching them all.
        let position = match defs.get(next) {
            Some(def) if def.name_key == field.name => Some(next),
            _ => defs.iter().position(|def| def.name_key == field.name),
        };
        let Some((def, slot)) = position.and_then(|i| Some((defs.get(i)?, found.get_mut(i)?)))
        else {
            let name = text().split(':').next().unwrap_or_default();
            return Err(CvssError::UnknownMetric {
                version,
                metric: clip(name),
            });
        };
        next = position.map_or(0, |i| i + 1);
        if *slot != ABSENT {
            return Err(CvssError::DuplicateMetric {
                version,
                metric: def.name,
            });
        }
        let Some(index) = def.values.iter().position(|v| *v == field.value) else {
            let value = text().split_once(':').map(|(_, v)| v).unwrap_or_default();
            return Err(CvssError::InvalidValue {
                version,
                metric: def.name,
                value: clip(value),
            });
        };
        // Value lists have at most a handful of entries.
        *slot = u8::try_from(index).unwrap_or(ABSENT);
        if field.end >= bytes.len() {
            break;
        }
        start = field.end + 1;
    }
    for (def, slot) in defs.iter().zip(found.iter()) {
        if def.mandatory && *slot == ABSENT {
            return Err(CvssError::MissingMetric {
                version,
                metric: def.name,
            });
        }
    }
    Ok(found)
}

/// The weight of a value index in a table of the same order (0.0 if out of range, which the
/// tables' alignment with the value lists rules out).
pub(super) fn weight(table: &[f64], index: u8) -> f64 {
    table.get(usize::from(index)).copied().unwrap_or(0.0)
}

/// One `NAME:VALUE` field, read in a single pass over its bytes (`str::split` goes through
/// the general pattern searcher, several times slower on fields of three to six bytes).
struct Field {
    /// Where it ends: the index of the next `/`, or the end of the body.
    end: usize,
    /// Where its first `:` is, if it has one.
    colon: Option<usize>,
    /// The name (before the first `:`) packed as by [`key`].
    name: u64,
    /// The value (after the first `:`) packed as by [`key`].
    value: u64,
}

/// Reads the field that starts at `start`.
fn scan(bytes: &[u8], start: usize) -> Field {
    let mut colon = None;
    let (mut name, mut name_len) = (0u64, 0usize);
    let (mut value, mut value_len) = (0u64, 0usize);
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        if b == b'/' {
            break;
        }
        if colon.is_some() {
            pack(&mut value, &mut value_len, b);
        } else if b == b':' {
            colon = Some(i);
        } else {
            pack(&mut name, &mut name_len, b);
        }
        i += 1;
    }
    Field {
        end: i,
        colon,
        name: finish(name, name_len),
        value: finish(value, value_len),
    }
}

/// Adds a byte to a key being built.
fn pack(k: &mut u64, len: &mut usize, b: u8) {
    if *len < 7 {
        *k |= u64::from(b) << (8 * *len);
    }
    *len += 1;
}

/// The key of `len` bytes packed in `k`, as [`key`] gives it.
fn finish(k: u64, len: usize) -> u64 {
    if len > 7 {
        u64::MAX
    } else {
        // `len` is at most 7 here.
        k | ((len as u64) << 56)
    }
}
