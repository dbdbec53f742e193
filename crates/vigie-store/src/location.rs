//! Where a store lives and how it is opened: the one place that picks a backend.

use std::path::{Path, PathBuf};

use crate::{Error, Result, Store};

/// Where a store lives: a file (SQLite), memory, or a PostgreSQL server.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A database file, created (with its folder) when missing and opened to write.
    Path(PathBuf),
    /// A fresh, empty store in memory, gone when dropped (tests, dry runs).
    Memory,
    /// A PostgreSQL database, by its connection URL (`postgres://user@host:5432/db`, with
    /// libpq's parameters such as `?sslmode=` or `?options=-csearch_path%3Dvigie`). The
    /// URL may hold a password: it is never printed (see the [`Display`](std::fmt::Display)
    /// of a location).
    Postgres(String),
}

impl Location {
    /// A store in the file at `path`.
    pub fn path(path: impl Into<PathBuf>) -> Location {
        Location::Path(path.into())
    }

    /// The location a user wrote (`--db`, `[store] url`): a `postgres://` or
    /// `postgresql://` URL is a PostgreSQL server; `sqlite:PATH` (or `sqlite://PATH`) and
    /// anything else a file path. An empty text, or a URL of another scheme
    /// (`mysql://…`), is refused with what is accepted.
    pub fn parse(text: &str) -> Result<Location> {
        let lower = text.get(..16).unwrap_or(text).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_owned()));
        }
        let path = if lower.starts_with("sqlite://") {
            &text[9..]
        } else if lower.starts_with("sqlite:") {
            &text[7..]
        } else {
            if let Some((scheme, _)) = text.split_once("://")
                && !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                return Err(Error::Invalid(format!(
                    "store {:?}: unknown scheme {scheme:?} (a file path, sqlite:PATH or postgres://…)",
                    redact(text)
                )));
            }
            text
        };
        if path.is_empty() {
            return Err(Error::Invalid(
                "store: an empty location (a file path, sqlite:PATH or postgres://…)".into(),
            ));
        }
        Ok(Location::Path(PathBuf::from(path)))
    }

    /// The backend's name, as `vigie store stats` shows it.
    pub fn backend(&self) -> &'static str {
        match self {
            Location::Path(_) | Location::Memory => "sqlite",
            Location::Postgres(_) => "postgresql",
        }
    }
}

/// The URL with its password, if any, replaced by `***` (what is printed of it).
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let mut out = format!("{scheme}://");
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            match userinfo.split_once(':') {
                Some((user, _)) => out.push_str(&format!("{user}:***")),
                None => out.push_str(userinfo),
            }
            out.push('@');
            out.push_str(host);
        }
        None => out.push_str(authority),
    }
    // A `password=` parameter of the query.
    match tail.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_owned(),
                })
                .collect();
            out.push_str(&params.join("&"));
        }
        None => out.push_str(tail),
    }
    out
}

/// The location as it may be printed: a path as it is, a URL without its password.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Path(p) => write!(f, "{}", p.display()),
            Location::Memory => f.write_str(":memory:"),
            Location::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

/// As [`Display`](std::fmt::Display): never the password.
impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Path(p) => f.debug_tuple("Path").field(p).finish(),
            Location::Memory => f.write_str("Memory"),
            Location::Postgres(_) => f.debug_tuple("Postgres").field(&self.to_string()).finish(),
        }
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::Path(path.to_path_buf())
    }
}

/// How a store is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// To read and write: created when missing, its schema brought up to date.
    ReadWrite,
    /// To read only: nothing is written, and every read is in one transaction, so that a
    /// command sees one consistent store even while a scan commits. A missing file, an empty
    /// one, or a database without vigie's schema is [`Error::Empty`](crate::Error::Empty),
    /// left untouched; a store of an older schema is migrated first. A store in a folder the
    /// process cannot write is still read (opened immutable: no writer can change it there).
    /// Writes ([`Store::begin_snapshot`], [`Store::retain`], ...) fail.
    ReadOnly,
}

/// Opens the store at `location` in `mode`.
pub fn open(location: &Location, mode: Mode) -> Result<Box<dyn Store>> {
    Ok(match (location, mode) {
        (Location::Path(p), Mode::ReadWrite) => Box::new(crate::sqlite::SqliteStore::open(p)?),
        (Location::Path(p), Mode::ReadOnly) => {
            Box::new(crate::sqlite::SqliteStore::open_read_only(p)?)
        }
        (Location::Memory, Mode::ReadWrite) => Box::new(crate::sqlite::SqliteStore::in_memory()?),
        // A fresh memory store holds nothing to read.
        (Location::Memory, Mode::ReadOnly) => return Err(crate::Error::Empty),
        (Location::Postgres(url), mode) => Box::new(crate::postgres::PgStore::open(url, mode)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_parse_by_scheme() {
        assert_eq!(
            Location::parse("vigie.db").unwrap(),
            Location::path("vigie.db")
        );
        assert_eq!(
            Location::parse("sqlite:/var/lib/vigie.db").unwrap(),
            Location::path("/var/lib/vigie.db")
        );
        assert_eq!(
            Location::parse("sqlite:///var/lib/vigie.db").unwrap(),
            Location::path("/var/lib/vigie.db")
        );
        assert!(matches!(
            Location::parse("PostgreSQL://h/db").unwrap(),
            Location::Postgres(_)
        ));
        assert!(Location::parse("mysql://h/db").is_err());
        assert!(Location::parse("").is_err());
        assert!(Location::parse("sqlite:").is_err());
        // A path with a colon but no scheme stays a path.
        assert_eq!(
            Location::parse("backup:2026.db").unwrap(),
            Location::path("backup:2026.db")
        );
    }

    #[test]
    fn a_password_is_never_printed() {
        for url in [
            "postgres://vigie:s3cret@db.example:5432/vigie",
            "postgres://vigie@db/vigie?sslmode=require&password=s3cret",
            "postgresql://vigie:s3cret@db",
        ] {
            let l = Location::parse(url).unwrap();
            for shown in [l.to_string(), format!("{l:?}")] {
                assert!(!shown.contains("s3cret"), "{shown}");
                assert!(shown.contains("vigie"), "{shown}");
            }
        }
        let err = Location::parse("mysql://u:s3cret@h/db")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cret"), "{err}");
    }
}
