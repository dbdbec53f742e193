//! Where a command writes its result: standard output, or the file of `-o`, written whole
//! through `vigie_app::output::OutputFile` (a fresh temporary file beside it, renamed into
//! place by [`Output::finish`]; an error before that leaves the target untouched).

use std::io::{self, BufWriter, StdoutLock, Write};
use std::path::Path;

use vigie_app::output::OutputFile;

/// Standard output or an `-o` file.
pub enum Output {
    /// No `-o`.
    Stdout(BufWriter<StdoutLock<'static>>),
    /// `-o FILE`.
    File(OutputFile),
}

impl Output {
    /// The file `path` when given (refused when it is a folder), else standard output.
    pub fn open(path: Option<&Path>) -> anyhow::Result<Output> {
        Ok(match path {
            Some(path) => Output::File(OutputFile::create(path)?),
            None => Output::Stdout(BufWriter::new(io::stdout().lock())),
        })
    }

    /// Flushes standard output, or puts the file in place.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::File(f) => f.commit(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File(f) => f.flush(),
        }
    }
}
