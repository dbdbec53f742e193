//! Small shared helpers: byte spans into the version text and numeric comparison of digit
//! strings of any length (no overflow, no allocation).

use std::cmp::Ordering;

/// A byte range of the original version text (`start..end`). Versions are at most
/// [`crate::MAX_VERSION_LEN`] bytes, so `u16` is enough and keeps keys small.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u16,
    pub end: u16,
}

impl Span {
    pub const EMPTY: Span = Span { start: 0, end: 0 };

    pub fn new(start: usize, end: usize) -> Span {
        // Callers only build spans of texts shorter than MAX_VERSION_LEN.
        Span {
            start: u16::try_from(start).unwrap_or(u16::MAX),
            end: u16::try_from(end).unwrap_or(u16::MAX),
        }
    }

    pub fn get(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    pub fn bytes(self, text: &str) -> &[u8] {
        self.get(text).as_bytes()
    }

    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }
}

/// Compares two ASCII digit strings numerically: leading zeros are ignored, a longer
/// significant part is larger, else byte order.
pub(crate) fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let a = trim_zeros(a);
    let b = trim_zeros(b);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Whether a digit string is zero (empty counts as zero).
pub(crate) fn is_zero(a: &[u8]) -> bool {
    a.iter().all(|&c| c == b'0')
}

fn trim_zeros(a: &[u8]) -> &[u8] {
    let n = a.iter().take_while(|&&c| c == b'0').count();
    a.get(n..).unwrap_or(&[])
}

/// Whether every byte is an ASCII digit (false for the empty string).
pub(crate) fn all_digits(a: &[u8]) -> bool {
    !a.is_empty() && a.iter().all(u8::is_ascii_digit)
}

/// Length of the leading run of bytes satisfying `f`.
pub(crate) fn run(a: &[u8], f: impl Fn(u8) -> bool) -> usize {
    a.iter().take_while(|&&c| f(c)).count()
}

/// Case-insensitive (ASCII) byte-order comparison.
pub(crate) fn cmp_ignore_case(a: &[u8], b: &[u8]) -> Ordering {
    a.iter()
        .map(u8::to_ascii_lowercase)
        .cmp(b.iter().map(u8::to_ascii_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_compare_numerically() {
        assert_eq!(cmp_digits(b"010", b"9"), Ordering::Greater);
        assert_eq!(cmp_digits(b"000", b""), Ordering::Equal);
        assert_eq!(
            cmp_digits(b"123456789012345678901234567890", b"99"),
            Ordering::Greater
        );
        assert_eq!(cmp_digits(b"0042", b"42"), Ordering::Equal);
    }
}
