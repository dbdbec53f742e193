//! The ignore files of a walk (`.ignore`, `.gitignore`, `.git/info/exclude`), read by vigie
//! with a bound instead of by the `ignore` crate, which reads them whole: a committed
//! `.gitignore` of three million short lines compiled into 4 GB of globs, one 100 MB line
//! into 7.5 GB.
//!
//! A file over [`MAX_IGNORE_FILE_SIZE`], with a line over [`MAX_IGNORE_LINE`] or more than
//! [`MAX_IGNORE_PATTERNS`] patterns, a link (git does not follow one either) or anything but a
//! regular file is skipped whole, with an `ignore-file-skipped` warning naming it: none of its
//! patterns apply, so the walk reads more, never less, than the repository asked for.
//!
//! Matching is the `ignore` crate's, level by level as its walker does: the nearest folder's
//! match wins, and a match of an `.ignore` (at any level) before one of a `.gitignore`, before
//! one of `.git/info/exclude`.

use std::path::Path;
use std::sync::Arc;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use vigie_model::{Code, Diagnostic};

/// Ignore files larger than this are not read (the largest real ones are tens of KiB).
pub const MAX_IGNORE_FILE_SIZE: u64 = 256 * 1024;

/// An ignore file with a longer line is not read: each pattern becomes a regular expression.
pub const MAX_IGNORE_LINE: usize = 4096;

/// An ignore file with more patterns is not read: each costs about a KiB compiled.
pub const MAX_IGNORE_PATTERNS: usize = 20_000;

/// The rules in force in one folder: its own ignore files', then its parents'.
pub(crate) struct Rules {
    parent: Option<Arc<Rules>>,
    ignore: Gitignore,
    gitignore: Gitignore,
    exclude: Gitignore,
}

impl Rules {
    /// Whether the entry at `path` (below the folder of these rules) is ignored.
    pub(crate) fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        let (mut ignore, mut gitignore, mut exclude) = (Match::None, Match::None, Match::None);
        let mut level = Some(self);
        while let Some(l) = level {
            if ignore.is_none() {
                ignore = l.ignore.matched(path, is_dir);
            }
            if gitignore.is_none() {
                gitignore = l.gitignore.matched(path, is_dir);
            }
            if exclude.is_none() {
                exclude = l.exclude.matched(path, is_dir);
            }
            level = l.parent.as_deref();
        }
        ignore.or(gitignore).or(exclude).is_ignore()
    }
}

/// The rules in force in `dir`: `parent`'s and those of `dir`'s own ignore files (the same
/// `Arc` when it has none). What cannot be read is a warning in `diags`.
pub(crate) fn folder_rules(
    dir: &Path,
    parent: Option<Arc<Rules>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<Rules>> {
    let ignore = matcher(dir, &dir.join(".ignore"), diags);
    let gitignore = matcher(dir, &dir.join(".gitignore"), diags);
    // `.git` as a folder only: a worktree's `.git` file points outside the tree.
    let git = dir.join(".git");
    let exclude = match std::fs::symlink_metadata(&git) {
        Ok(m) if m.is_dir() => matcher(dir, &git.join("info").join("exclude"), diags),
        _ => None,
    };
    if ignore.is_none() && gitignore.is_none() && exclude.is_none() {
        return parent;
    }
    Some(Arc::new(Rules {
        parent,
        ignore: ignore.unwrap_or_else(Gitignore::empty),
        gitignore: gitignore.unwrap_or_else(Gitignore::empty),
        exclude: exclude.unwrap_or_else(Gitignore::empty),
    }))
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_owned()
}

/// The matcher of the ignore file at `path` (rooted at `dir`), `None` when there is none or
/// it is skipped.
fn matcher(dir: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Gitignore> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let skipped = |why: String, diags: &mut Vec<Diagnostic>| {
        diags.push(Diagnostic::warning(
            display(path),
            Code::IgnoreFileSkipped,
            format!("{why}: none of its patterns apply"),
        ));
    };
    if meta.file_type().is_symlink() {
        skipped("a link, not followed".to_owned(), diags);
        return None;
    }
    let bytes = match vigie_fs::read_bounded(path, MAX_IGNORE_FILE_SIZE) {
        Ok(b) => b,
        Err(vigie_fs::ReadError::TooLarge { .. }) => {
            skipped(
                format!("larger than {} KiB", MAX_IGNORE_FILE_SIZE / 1024),
                diags,
            );
            return None;
        }
        Err(e) => {
            skipped(format!("not read ({e})"), diags);
            return None;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if let Some(n) = text.lines().position(|l| l.len() > MAX_IGNORE_LINE) {
        skipped(
            format!("line {} is longer than {MAX_IGNORE_LINE} bytes", n + 1),
            diags,
        );
        return None;
    }
    let patterns = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count();
    if patterns > MAX_IGNORE_PATTERNS {
        skipped(format!("more than {MAX_IGNORE_PATTERNS} patterns"), diags);
        return None;
    }
    let mut builder = GitignoreBuilder::new(dir);
    let mut bad = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Err(e) = builder.add_line(Some(path.to_path_buf()), line) {
            bad.push(format!("line {}: {e}", n + 1));
        }
    }
    if let Some(first) = bad.first() {
        diags.push(Diagnostic::warning(
            display(path),
            Code::IgnoreFileSkipped,
            format!(
                "{} pattern(s) do not parse and do not apply ({first})",
                bad.len()
            ),
        ));
    }
    match builder.build() {
        Ok(m) => Some(m),
        Err(e) => {
            skipped(format!("its patterns do not compile ({e})"), diags);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_of(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        (dir, Vec::new())
    }

    #[test]
    fn nearest_folder_wins_and_ignore_files_come_before_gitignore() {
        let (dir, mut diags) = rules_of(&[
            (".gitignore", "*.log\nbuild/\n"),
            ("a/.gitignore", "!keep.log\n"),
            ("b/.ignore", "!*.log\n"),
            ("c/.ignore", "x.txt\n"),
            ("c/.gitignore", "!x.txt\n"),
        ]);
        let root = folder_rules(dir.path(), None, &mut diags);
        let p = |rel: &str| dir.path().join(rel);
        let sub = |name: &str, diags: &mut Vec<Diagnostic>| {
            folder_rules(&p(name), root.clone(), diags).unwrap()
        };
        let root = root.clone().unwrap();
        assert!(root.ignored(&p("x.log"), false));
        assert!(root.ignored(&p("build"), true));
        assert!(!root.ignored(&p("build"), false));
        let a = sub("a", &mut diags);
        assert!(!a.ignored(&p("a/keep.log"), false));
        assert!(a.ignored(&p("a/other.log"), false));
        assert!(!sub("b", &mut diags).ignored(&p("b/x.log"), false));
        assert!(sub("c", &mut diags).ignored(&p("c/x.txt"), false));
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn oversized_long_lined_or_linked_files_are_skipped_whole() {
        let many: String = (0..=MAX_IGNORE_PATTERNS)
            .map(|i| format!("f{i}\n"))
            .collect();
        let long = format!("x.txt\n{}\n", "a".repeat(MAX_IGNORE_LINE + 1));
        let big = format!("x.txt\n{}", "#\n".repeat(MAX_IGNORE_FILE_SIZE as usize));
        for (text, why) in [
            (many.as_str(), "more than 20000 patterns"),
            (long.as_str(), "line 2 is longer than 4096 bytes"),
            (big.as_str(), "larger than 256 KiB"),
        ] {
            let (dir, mut diags) = rules_of(&[(".gitignore", text)]);
            assert!(folder_rules(dir.path(), None, &mut diags).is_none());
            assert_eq!(diags.len(), 1);
            assert_eq!(diags[0].code, "ignore-file-skipped");
            assert!(diags[0].file.ends_with(".gitignore"), "{:?}", diags[0]);
            assert!(diags[0].message.contains(why), "{}", diags[0].message);
        }
        #[cfg(unix)]
        {
            let (dir, mut diags) = rules_of(&[("elsewhere", "x.txt\n")]);
            std::os::unix::fs::symlink("elsewhere", dir.path().join(".gitignore")).unwrap();
            assert!(folder_rules(dir.path(), None, &mut diags).is_none());
            assert!(diags[0].message.contains("a link"), "{diags:?}");
        }
    }
}
