//! How a download reports its progress (the binary draws it with indicatif).

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// New bytes were downloaded and checked.
    Downloaded,
    /// The server answered `304 Not Modified`: the previous file was linked or copied.
    Reused,
    /// An optional source answered `404 Not Found`: no file.
    Absent,
    /// The download failed (the whole sync fails with it).
    Failed,
}

/// Receives the progress of a download, one file at a time: `start`, any number of
/// `advance`, then `finish`.
pub trait Progress {
    /// A file starts: its mirror path, and its size when the server announced it.
    fn start(&self, path: &str, total: Option<u64>);
    /// `bytes` more bytes of the current file arrived.
    fn advance(&self, bytes: u64);
    /// The current file is done.
    fn finish(&self, path: &str, outcome: Outcome);
}

/// A [`Progress`] that shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _path: &str, _total: Option<u64>) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self, _path: &str, _outcome: Outcome) {}
}
