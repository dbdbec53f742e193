//! Generations of the data directory: each sync builds `generations/<id>.partial`, renames it
//! to `generations/<id>` when complete, then points `CURRENT` at it with one atomic rename.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::GenerationError;
use crate::fsutil;

const GENERATIONS: &str = "generations";
const CURRENT: &str = "CURRENT";
const LOCK: &str = "sync.lock";
const PARTIAL: &str = ".partial";
/// `CURRENT` holds one id and a newline; anything longer is not ours.
const MAX_CURRENT_SIZE: u64 = 256;
/// Tries at a fresh id when one is taken (two syncs in the same millisecond).
const ID_TRIES: usize = 8;

/// The data directory and its generations.
#[derive(Debug, Clone)]
pub struct Generations {
    data_dir: PathBuf,
    generations_dir: PathBuf,
}

/// A complete generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    id: String,
    dir: PathBuf,
}

impl Generation {
    /// Its id (`YYYYMMDDTHHMMSSmmmZ-xxxxxxxx`).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Its folder, `<data>/generations/<id>`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    /// Its mirror, `<data>/generations/<id>/mirror`.
    pub fn mirror_dir(&self) -> PathBuf {
        self.dir.join("mirror")
    }
    /// Its compiled index, `<data>/generations/<id>/index`.
    pub fn index_dir(&self) -> PathBuf {
        self.dir.join("index")
    }
}

/// A generation being built, in `<data>/generations/<id>.partial`. It holds the data
/// directory's lock until it is committed or dropped; dropped without [`commit`], it is
/// removed.
///
/// [`commit`]: PartialGeneration::commit
#[derive(Debug)]
pub struct PartialGeneration {
    id: String,
    dir: PathBuf,
    generations: Generations,
    done: bool,
    _lock: File,
}

impl PartialGeneration {
    /// Its future id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Where the mirror is downloaded (created empty).
    pub fn mirror_dir(&self) -> PathBuf {
        self.dir.join("mirror")
    }
    /// Where the caller writes the compiled index (created empty).
    pub fn index_dir(&self) -> PathBuf {
        self.dir.join("index")
    }

    /// Makes the generation durable (every file fsynced), renames it to `<id>`, and points
    /// `CURRENT` at it atomically. On failure `CURRENT` still names the previous generation.
    pub fn commit(mut self) -> Result<Generation, GenerationError> {
        fsutil::sync_tree(&self.dir)?;
        let target = self.generations.generations_dir.join(&self.id);
        fs::rename(&self.dir, &target).map_err(|e| GenerationError::io("rename", &target, e))?;
        self.done = true;
        let committed = fsutil::sync_dir(&self.generations.generations_dir).and_then(|()| {
            let line = format!("{}\n", self.id);
            fsutil::write_atomic(&self.generations.current_file(), line.as_bytes())
        });
        if let Err(e) = committed {
            // Not in use unless CURRENT was switched before the failure: then keep it.
            if !matches!(self.generations.current_id(), Ok(Some(id)) if id == self.id) {
                let _ = fs::remove_dir_all(&target);
            }
            return Err(e.into());
        }
        Ok(Generation {
            id: self.id.clone(),
            dir: target,
        })
    }
}

impl Drop for PartialGeneration {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// What [`Generations::gc`] removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GcReport {
    /// Ids of the complete generations removed.
    pub removed: Vec<String>,
    /// Ids of the stale partial generations removed.
    pub removed_partial: Vec<String>,
}

impl Generations {
    /// Opens (creating it if needed) the data directory `data_dir`.
    pub fn open(data_dir: impl Into<PathBuf>) -> Result<Generations, GenerationError> {
        let data_dir = data_dir.into();
        let generations_dir = data_dir.join(GENERATIONS);
        fs::create_dir_all(&generations_dir)
            .map_err(|e| GenerationError::io("create", &generations_dir, e))?;
        Ok(Generations {
            data_dir,
            generations_dir,
        })
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn current_file(&self) -> PathBuf {
        self.data_dir.join(CURRENT)
    }

    /// The id in `CURRENT`, checked, or `None` when there is no `CURRENT`.
    fn current_id(&self) -> Result<Option<String>, GenerationError> {
        let path = self.current_file();
        let bytes = match vigie_fs::read_bounded(&path, MAX_CURRENT_SIZE) {
            Ok(b) => b,
            Err(vigie_fs::ReadError::NotFound) => return Ok(None),
            Err(e) => return Err(GenerationError::io("read", &path, e.into())),
        };
        let text = String::from_utf8_lossy(&bytes);
        let id = text.strip_suffix('\n').unwrap_or(&text);
        if !is_id(id) {
            let content = text.chars().take(100).collect();
            return Err(GenerationError::BadCurrent { path, content });
        }
        Ok(Some(id.to_string()))
    }

    /// The generation in use: `None` before the first sync; an error when `CURRENT` is
    /// damaged or names a missing generation.
    pub fn current(&self) -> Result<Option<Generation>, GenerationError> {
        let Some(id) = self.current_id()? else {
            return Ok(None);
        };
        let dir = self.generations_dir.join(&id);
        if !dir.is_dir() {
            return Err(GenerationError::MissingCurrent {
                id,
                dir: self.generations_dir.clone(),
            });
        }
        Ok(Some(Generation { id, dir }))
    }

    /// The complete generations, oldest first (partial ones and foreign entries are skipped).
    pub fn list(&self) -> Result<Vec<Generation>, GenerationError> {
        let mut out: Vec<Generation> = self
            .entries()?
            .into_iter()
            .filter(|(_, partial)| !partial)
            .map(|(id, _)| Generation {
                dir: self.generations_dir.join(&id),
                id,
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// `(id, is_partial)` of every folder of `generations/` named like a generation.
    fn entries(&self) -> Result<Vec<(String, bool)>, GenerationError> {
        let dir = &self.generations_dir;
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).map_err(|e| GenerationError::io("list", dir, e))? {
            let entry = entry.map_err(|e| GenerationError::io("list", dir, e))?;
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            match name.strip_suffix(PARTIAL) {
                Some(id) if is_id(id) => out.push((id.to_string(), true)),
                None if is_id(name) => out.push((name.to_string(), false)),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Takes the data directory's lock, or fails with [`GenerationError::Busy`].
    fn lock(&self) -> Result<File, GenerationError> {
        let path = self.data_dir.join(LOCK);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| GenerationError::io("open", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(TryLockError::WouldBlock) => Err(GenerationError::Busy { path }),
            Err(TryLockError::Error(e)) => Err(GenerationError::io("lock", &path, e)),
        }
    }

    /// Starts a new generation: takes the lock and creates `<id>.partial` with empty
    /// `mirror/` and `index/` folders.
    pub fn begin(&self) -> Result<PartialGeneration, GenerationError> {
        let lock = self.lock()?;
        let mut last_err = None;
        for _ in 0..ID_TRIES {
            let id = new_id();
            let dir = self.generations_dir.join(format!("{id}{PARTIAL}"));
            match fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) => {
                    last_err = Some(GenerationError::io("create", &dir, e));
                    continue;
                }
            }
            // From here on, dropping `partial` removes the folder.
            let partial = PartialGeneration {
                id,
                dir,
                generations: self.clone(),
                done: false,
                _lock: lock,
            };
            for sub in [partial.mirror_dir(), partial.index_dir()] {
                fs::create_dir(&sub).map_err(|e| GenerationError::io("create", &sub, e))?;
            }
            return Ok(partial);
        }
        Err(last_err.unwrap_or_else(|| {
            let e = std::io::Error::other("no free generation id");
            GenerationError::io("create", &self.generations_dir, e)
        }))
    }

    /// Removes the complete generations but the `keep` newest and the current one, every
    /// partial generation (left by a crash: a running sync holds the lock, and then this
    /// fails with [`GenerationError::Busy`]) and stale temporary `CURRENT` files.
    pub fn gc(&self, keep: usize) -> Result<GcReport, GenerationError> {
        let _lock = self.lock()?;
        let mut report = GcReport::default();
        let mut complete = Vec::new();
        for (id, partial) in self.entries()? {
            if partial {
                let dir = self.generations_dir.join(format!("{id}{PARTIAL}"));
                fs::remove_dir_all(&dir).map_err(|e| GenerationError::io("remove", &dir, e))?;
                report.removed_partial.push(id);
            } else {
                complete.push(id);
            }
        }
        self.remove_stale_current_temps();
        let current = self.current_id()?;
        complete.sort_by(|a, b| b.cmp(a));
        for id in complete.into_iter().skip(keep) {
            if current.as_deref() == Some(id.as_str()) {
                continue;
            }
            let dir = self.generations_dir.join(&id);
            fs::remove_dir_all(&dir).map_err(|e| GenerationError::io("remove", &dir, e))?;
            report.removed.push(id);
        }
        report.removed.sort();
        report.removed_partial.sort();
        Ok(report)
    }

    /// Removes `CURRENT.tmp-*` left by a crash between write and rename (best effort).
    fn remove_stale_current_temps(&self) {
        let Ok(entries) = fs::read_dir(&self.data_dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_str().is_some_and(|n| n.starts_with("CURRENT.tmp-")) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// A new id: UTC time to the millisecond, then 8 random hex digits.
fn new_id() -> String {
    let now = jiff::Timestamp::now();
    let millis = now.subsec_millisecond().clamp(0, 999);
    format!(
        "{}{millis:03}Z-{}",
        now.strftime("%Y%m%dT%H%M%S"),
        fsutil::random_hex8()
    )
}

/// Whether `s` has the shape of an id: `DDDDDDDDTDDDDDDDDDZ-hhhhhhhh`.
pub(crate) fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 28
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 => c == b'T',
            18 => c == b'Z',
            19 => c == b'-',
            20.. => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_documented_shape_and_sort_by_time() {
        let a = new_id();
        assert!(is_id(&a), "{a}");
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_id();
        assert!(a < b, "{a} !< {b}");
        // Worked by hand: 2026-08-22 10:30:00.123 UTC, suffix 0badf00d.
        assert!(is_id("20260822T103000123Z-0badf00d"));
        for bad in [
            "",
            "20260822T103000123Z-0BADF00D",
            "20260822T103000123Z-0badf00",
            "20260822-103000123Z-0badf00d",
            "../../etc/passwd-0000000000",
            "20260822T103000123Z-0badf00d\n",
        ] {
            assert!(!is_id(bad), "{bad:?}");
        }
    }
}
