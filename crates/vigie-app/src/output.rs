//! Output files (`-o FILE` of every command, the PDF of a report): written whole or not at
//! all, and never through a planted link.
//!
//! An [`OutputFile`] is a fresh temporary file in the target's folder, created exclusively
//! under a random name (`.<name>.<random>.partial`; a link or file already there is never
//! opened, so two outputs never share one), renamed onto the target by
//! [`OutputFile::commit`]. Dropped without it (an error), it is removed and the target is
//! untouched. A target that is a folder is refused before anything is created; a link at
//! the target itself is replaced, not followed.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tempfile::NamedTempFile;

/// A file being written; [`commit`](OutputFile::commit) puts it at its target.
pub struct OutputFile {
    file: BufWriter<NamedTempFile>,
    target: PathBuf,
}

impl OutputFile {
    /// Starts writing `target`: a fresh temporary file in its folder. Fails, naming it, when
    /// `target` is a folder or its folder does not exist.
    pub fn create(target: &Path) -> anyhow::Result<OutputFile> {
        if target.is_dir() {
            bail!(
                "{} is a folder: give a file name to write to",
                target.display()
            );
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
            file: BufWriter::new(file),
            target: target.to_path_buf(),
        })
    }

    /// The target.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes the file and renames it onto the target (replacing a file or a link there,
    /// never writing through it).
    pub fn commit(self) -> anyhow::Result<()> {
        let target = self.target;
        let file = self
            .file
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", target.display()))?;
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
