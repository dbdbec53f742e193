//! Reading the files a reader refers to, without ever leaving the tree.

use std::collections::HashMap;
use std::path::{Component as PathPart, Path, PathBuf};

/// Why a referenced file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("`{0}` is outside the scanned tree")]
    OutsideTree(String),
    #[error("`{0}` does not exist")]
    NotFound(String),
    #[error("`{path}` is larger than the limit of {limit} bytes")]
    TooLarge { path: String, limit: u64 },
    #[error("`{path}` is not a regular file ({what}): not read")]
    NotRegular { path: String, what: &'static str },
    #[error("`{0}` is not UTF-8 text")]
    NotText(String),
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The files of the tree, as readers see them. Paths are the display paths
/// readers get in [`crate::Input::path`], with `/` separators.
pub trait FileSource: Sync {
    /// Reads `rel`, resolved against the folder of the file `from`. Returns the
    /// display path of the file read and its text.
    fn read_relative(&self, from: &str, rel: &str) -> Result<(String, String), SourceError>;

    /// Whether `rel`, resolved against the folder of `from`, is a file of the tree that
    /// [`read_relative`](Self::read_relative) could read, without reading it (a manifest asks
    /// whether a lockfile covers it). A project's scan answers for the files of the project's
    /// own folder from what the walk found there, so that a file the ignore rules leave out,
    /// which the scan does not read, is not there either.
    fn exists(&self, from: &str, rel: &str) -> bool;
}

/// Joins `rel` to the folder of `from` and folds `.` and `..` lexically.
/// `None` when `..` climbs above the start of `from`.
pub fn resolve(from: &str, rel: &str) -> Option<String> {
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let joined = if Path::new(rel).is_absolute() {
        return None;
    } else {
        base.join(rel)
    };
    let mut parts: Vec<String> = Vec::new();
    let mut leading_up = 0usize;
    let mut root = String::new();
    for part in joined.components() {
        match part {
            PathPart::CurDir => {}
            PathPart::ParentDir => {
                if parts.pop().is_none() {
                    if !root.is_empty() {
                        return None;
                    }
                    leading_up += 1;
                }
            }
            PathPart::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            // An absolute `from` (a root given as an absolute path) keeps its
            // root; the real tree check is DiskSource's.
            PathPart::RootDir => root.push('/'),
            PathPart::Prefix(p) => root.push_str(&p.as_os_str().to_string_lossy()),
        }
    }
    if !root.is_empty() {
        return Some(format!("{root}{}", parts.join("/")));
    }
    // `from` may itself start with `../` (a root given as `../data`): allow
    // climbing back only as far as it started.
    let from_up = Path::new(from)
        .components()
        .take_while(|c| matches!(c, PathPart::ParentDir))
        .count();
    if leading_up > from_up {
        return None;
    }
    let mut out = vec!["..".to_owned(); leading_up];
    out.extend(parts);
    Some(out.join("/"))
}

/// Reads files from disk below a set of roots, refusing anything whose real
/// path (links resolved) is outside them, and anything over the size limit.
pub struct DiskSource {
    roots: Vec<PathBuf>,
    max_size: u64,
}

impl DiskSource {
    pub fn new(roots: &[PathBuf], max_size: u64) -> DiskSource {
        let roots = roots.iter().filter_map(|r| r.canonicalize().ok()).collect();
        DiskSource { roots, max_size }
    }

    /// Reads a file by its display path, with the size limit and the tree check.
    pub fn read(&self, path: &str) -> Result<String, SourceError> {
        let real = Path::new(path).canonicalize().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound(path.to_owned()),
            _ => SourceError::Io {
                path: path.to_owned(),
                source: e,
            },
        })?;
        if !self.roots.iter().any(|r| real.starts_with(r)) {
            return Err(SourceError::OutsideTree(path.to_owned()));
        }
        read_limited(path, &real, self.max_size)
    }
}

/// Reads `real` through `vigie_fs`, the one bounded read: a named pipe, a device or a folder
/// is refused at once, and the limit holds while reading.
pub(crate) fn read_limited(display: &str, real: &Path, max: u64) -> Result<String, SourceError> {
    use vigie_fs::ReadError;
    vigie_fs::read_text_bounded(real, max).map_err(|e| match e {
        ReadError::NotFound => SourceError::NotFound(display.to_owned()),
        ReadError::TooLarge { limit } => SourceError::TooLarge {
            path: display.to_owned(),
            limit,
        },
        ReadError::NotText => SourceError::NotText(display.to_owned()),
        ReadError::NotRegular(what) => SourceError::NotRegular {
            path: display.to_owned(),
            what,
        },
        ReadError::Io(source) => SourceError::Io {
            path: display.to_owned(),
            source,
        },
    })
}

impl FileSource for DiskSource {
    fn read_relative(&self, from: &str, rel: &str) -> Result<(String, String), SourceError> {
        let path = resolve(from, rel).ok_or_else(|| SourceError::OutsideTree(rel.to_owned()))?;
        let text = self.read(&path)?;
        Ok((path, text))
    }

    /// A regular file (links followed) whose real path is inside the roots.
    fn exists(&self, from: &str, rel: &str) -> bool {
        resolve(from, rel)
            .and_then(|p| Path::new(&p).canonicalize().ok())
            .is_some_and(|real| self.roots.iter().any(|r| real.starts_with(r)) && real.is_file())
    }
}

/// Files held in memory, for tests and for inputs that are not on disk.
#[derive(Default)]
pub struct MemorySource {
    files: HashMap<String, String>,
}

impl MemorySource {
    pub fn new() -> MemorySource {
        MemorySource::default()
    }

    pub fn with(mut self, path: &str, text: &str) -> MemorySource {
        self.files.insert(path.to_owned(), text.to_owned());
        self
    }
}

impl FileSource for MemorySource {
    fn read_relative(&self, from: &str, rel: &str) -> Result<(String, String), SourceError> {
        let path = resolve(from, rel).ok_or_else(|| SourceError::OutsideTree(rel.to_owned()))?;
        match self.files.get(&path) {
            Some(text) => Ok((path, text.clone())),
            None => Err(SourceError::NotFound(path)),
        }
    }

    fn exists(&self, from: &str, rel: &str) -> bool {
        resolve(from, rel).is_some_and(|p| self.files.contains_key(&p))
    }
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn resolves_within_the_tree() {
        assert_eq!(
            resolve("a/b/req.txt", "dev.txt").as_deref(),
            Some("a/b/dev.txt")
        );
        assert_eq!(
            resolve("a/b/req.txt", "../c.txt").as_deref(),
            Some("a/c.txt")
        );
        assert_eq!(resolve("req.txt", "../c.txt"), None);
        assert_eq!(resolve("a/req.txt", "/etc/passwd"), None);
        assert_eq!(
            resolve("../d/a/pom.xml", "../pom.xml").as_deref(),
            Some("../d/pom.xml")
        );
        assert_eq!(resolve("../d/pom.xml", "../../x"), None);
        assert_eq!(
            resolve("/data/a/pom.xml", "../pom.xml").as_deref(),
            Some("/data/pom.xml")
        );
        assert_eq!(resolve("/pom.xml", "../x"), None);
    }
}
