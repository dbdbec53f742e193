//! Output files (`-o FILE` of every command, the PDF of a report): written whole or not at
//! all, and never through a planted link.
//!
//! An [`OutputFile`] is a fresh temporary file in the target's folder, created exclusively
//! under a random name (`.<name>.<random>.partial`; a link or file already there is never
//! opened, so two outputs never share one), renamed onto the target by
//! [`OutputFile::commit`]. Dropped without it (an error), it is removed and the target is
//! untouched. A target that is a folder is refused before anything is created; a link at
//! the target itself is replaced, not followed.
//!
//! A target that is not a file but a stream is written through, never replaced: a
//! character device (`-o /dev/null`, a terminal), a named pipe (`-o >(gzip > x.gz)`), or
//! any path of the kernel's `/dev` and `/proc` (`-o /dev/stdout`, appended to). Renaming a
//! file onto `/dev/null`, as root, would turn the machine's null device into a regular
//! file that every later program writes into and reads back. A block device or a socket
//! is refused.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tempfile::NamedTempFile;

/// A file being written; [`commit`](OutputFile::commit) puts it at its target.
pub struct OutputFile {
    file: BufWriter<Sink>,
    target: PathBuf,
}

/// Where the bytes go: a temporary file renamed onto the target, or the target itself
/// when it is a stream.
enum Sink {
    Replace(NamedTempFile),
    Through(File),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Replace(f) => f.write(buf),
            Sink::Through(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Replace(f) => f.flush(),
            Sink::Through(f) => f.flush(),
        }
    }
}

/// Opens `target` to write through when it is a stream (see the module's text); `None`
/// when it is a regular file, a link to one, or absent, to be replaced whole.
fn stream_target(target: &Path) -> anyhow::Result<Option<File>> {
    let kernel = {
        let absolute = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
        absolute.starts_with("/dev") || absolute.starts_with("/proc")
    };
    let meta = match std::fs::metadata(target) {
        Ok(meta) => meta,
        // Absent, or a link that leads nowhere: a new file, or the link replaced.
        Err(_) if !kernel => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot write {}", target.display())),
    };
    if meta.is_dir() {
        bail!(
            "{} is a folder: give a file name to write to",
            target.display()
        );
    }
    #[cfg(unix)]
    let stream = {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_block_device() || kind.is_socket() {
            bail!(
                "{} is a block device or a socket: vigie writes to a file, a character device \
                 (such as /dev/null) or a pipe",
                target.display()
            );
        }
        kind.is_char_device() || kind.is_fifo()
    };
    #[cfg(not(unix))]
    let stream = !meta.is_file();
    if !stream && !kernel {
        return Ok(None);
    }
    // Append: a pipe or a device ignores it, and `-o /dev/stdout >> log` keeps the log.
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(target)
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(Some(file))
}

impl OutputFile {
    /// Starts writing `target`: a fresh temporary file in its folder. Fails, naming it, when
    /// `target` is a folder or its folder does not exist.
    pub fn create(target: &Path) -> anyhow::Result<OutputFile> {
        if let Some(file) = stream_target(target)? {
            return Ok(OutputFile {
                file: BufWriter::new(Sink::Through(file)),
                target: target.to_path_buf(),
            });
        }
        let Some(name) = target.file_name() else {
            bail!("{} is not a file name", target.display());
        };
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(name);
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".partial");
        // The mode a new file usually gets (0666 less the umask), not the temporary
        // file's 0600: the output is a report meant to be read.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot write {}", target.display()))?;
        Ok(OutputFile {
            file: BufWriter::new(Sink::Replace(file)),
            target: target.to_path_buf(),
        })
    }

    /// The target.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes the file and renames it onto the target (replacing a file or a link there,
    /// never writing through it); a stream is only flushed.
    pub fn commit(self) -> anyhow::Result<()> {
        let target = self.target;
        let sink = self
            .file
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", target.display()))?;
        let file = match sink {
            Sink::Replace(file) => file,
            Sink::Through(_) => return Ok(()),
        };
        file.as_file()
            .sync_all()
            .with_context(|| format!("cannot write {}", target.display()))?;
        // On failure the error holds the temporary file, removed when it is dropped.
        file.persist(&target)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", target.display()))?;
        Ok(())
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn written_whole_on_commit_and_not_at_all_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        let mut out = OutputFile::create(&target).unwrap();
        out.write_all(b"{}\n").unwrap();
        assert!(!target.exists());
        out.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"{}\n");

        let mut out = OutputFile::create(&target).unwrap();
        out.write_all(b"half").unwrap();
        drop(out);
        assert_eq!(std::fs::read(&target).unwrap(), b"{}\n");
        assert_eq!(names(dir.path()), ["a.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_replaced_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let target = dir.path().join("out.sarif");
        std::os::unix::fs::symlink(&victim, &target).unwrap();
        // The name the old code wrote through, planted.
        std::os::unix::fs::symlink(&victim, dir.path().join("out.partial")).unwrap();
        let mut out = OutputFile::create(&target).unwrap();
        out.write_all(b"report").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "report");
        assert!(!std::fs::symlink_metadata(&target).unwrap().is_symlink());
    }

    #[cfg(unix)]
    fn is_char_device(path: &Path) -> bool {
        use std::os::unix::fs::FileTypeExt;
        std::fs::symlink_metadata(path)
            .unwrap()
            .file_type()
            .is_char_device()
    }

    #[cfg(unix)]
    #[test]
    fn the_null_device_is_written_through_never_replaced() {
        // Directly, and through a link: as root, a rename onto /dev/null would make it a
        // regular file that every later program writes into.
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        for target in [Path::new("/dev/null"), &link] {
            let mut out = OutputFile::create(target).unwrap();
            out.write_all(&[b'x'; 100_000]).unwrap();
            out.commit().unwrap();
            assert!(is_char_device(Path::new("/dev/null")));
        }
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(names(dir.path()), ["out.json"]);
        assert!(std::fs::read(&link).unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_through() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("report.pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut out = OutputFile::create(&fifo).unwrap();
        out.write_all(&body).unwrap();
        out.commit().unwrap();
        assert_eq!(reader.join().unwrap(), body);
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo());
        assert_eq!(names(dir.path()), ["report.pipe"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_socket_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sock");
        let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let Err(e) = OutputFile::create(&path) else {
            panic!("a socket accepted")
        };
        let message = format!("{e:#}");
        assert!(message.contains("s.sock"), "{message}");
        assert!(message.contains("socket"), "{message}");
        assert_eq!(names(dir.path()), ["s.sock"]);
    }

    #[test]
    fn a_folder_is_refused_by_name_and_nothing_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let Err(e) = OutputFile::create(dir.path()) else {
            panic!("a folder accepted")
        };
        let message = format!("{e:#}");
        assert!(
            message.contains(&dir.path().display().to_string()),
            "{message}"
        );
        assert!(message.contains("folder"), "{message}");
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn two_outputs_of_one_folder_have_their_own_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = OutputFile::create(&dir.path().join("a.sarif")).unwrap();
        let mut b = OutputFile::create(&dir.path().join("a.json")).unwrap();
        let mut again = OutputFile::create(&dir.path().join("a.json")).unwrap();
        a.write_all(b"sarif").unwrap();
        b.write_all(b"json").unwrap();
        again.write_all(b"json again").unwrap();
        a.flush().unwrap();
        b.flush().unwrap();
        again.flush().unwrap();
        assert_eq!(names(dir.path()).len(), 3, "{:?}", names(dir.path()));
        a.commit().unwrap();
        b.commit().unwrap();
        drop(again);
        assert_eq!(names(dir.path()), ["a.json", "a.sarif"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.sarif")).unwrap(),
            "sarif"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.json")).unwrap(),
            "json"
        );
    }
}
