//! Opening the store a front names: the location given (`--db`, `$VIGIE_DB`: a file,
//! `sqlite:FILE` or a `postgres://` URL), else `[store] url` of the configuration, else
//! `vigie.db` in the data directory; and a whole store copied into another ([`copy`]).
//!
//! A location is printed with its `Display`, which never shows a URL's password: in errors,
//! summaries and logs.

use std::path::{Path, PathBuf};

use anyhow::Context;
use vigie_store::{Location, Mode, SnapshotId, Store};

use crate::config::Config;

mod copy;
pub use copy::{CopySummary, copy};

/// Where the store is, as a front was told.
#[derive(Clone, Debug, Default)]
pub struct StoreLocation {
    /// The store named (`--db`, `$VIGIE_DB`, else `[store] url`), if any.
    pub db: Option<Location>,
    /// The data directory given, if any.
    pub data_dir: Option<PathBuf>,
}

/// A location as the user wrote it, `flag` naming where (`--db`, `--to`): a file path,
/// `sqlite:FILE` or a `postgres://` URL; another scheme (`mysql://`) or an empty text is an
/// error naming the flag, never the password.
pub fn parse_location(flag: &str, text: &str) -> anyhow::Result<Location> {
    Location::parse(text).map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

impl StoreLocation {
    /// Where the store is: `given` (`--db`, `$VIGIE_DB`, parsed with [`parse_location`]),
    /// else `[store] url` of `config`, else `vigie.db` in the data directory.
    pub fn new(
        given: Option<Location>,
        config: &Config,
        data_dir: Option<PathBuf>,
    ) -> anyhow::Result<StoreLocation> {
        let db = match given {
            Some(l) => Some(l),
            None => config.store_location()?,
        };
        Ok(StoreLocation { db, data_dir })
    }

    /// [`StoreLocation::new`] with the configuration file `config_file` (none: no
    /// `[store] url`), read even when `given` names the store, so that a broken file is
    /// always said.
    pub fn load(
        given: Option<Location>,
        config_file: Option<&Path>,
        data_dir: Option<PathBuf>,
    ) -> anyhow::Result<StoreLocation> {
        let config = Config::load(config_file, None)?;
        StoreLocation::new(given, &config, data_dir)
    }

    /// The store's location: the one named, else `vigie.db` in the data directory.
    pub fn location(&self) -> anyhow::Result<Location> {
        match &self.db {
            Some(l) => Ok(l.clone()),
            None => Ok(Location::path(
                crate::config::data_dir(self.data_dir.as_deref())?.join("vigie.db"),
            )),
        }
    }

    /// Opens (creating and migrating) the store.
    pub fn open(&self) -> anyhow::Result<Box<dyn Store>> {
        open_at(&self.location()?, Mode::ReadWrite)
    }

    /// Opens the store to read it only: nothing written, one consistent view. A missing or
    /// empty file is "no store at PATH", and stays missing or empty.
    pub fn open_read_only(&self) -> anyhow::Result<Box<dyn Store>> {
        open_at(&self.location()?, Mode::ReadOnly)
    }

    /// Opens the store to read it when there is one: `None` when its file does not exist
    /// (nothing is created), or when a database server's database holds no vigie store. An
    /// existing file that is not a store is an error, as [`StoreLocation::open_read_only`]
    /// says it.
    pub fn open_read_only_if_any(&self) -> anyhow::Result<Option<Box<dyn Store>>> {
        let location = self.location()?;
        let file = match &location {
            Location::Path(p) if !p.exists() => return Ok(None),
            Location::Path(_) => true,
            _ => false,
        };
        match vigie_store::open(&location, Mode::ReadOnly) {
            Err(vigie_store::Error::Empty) if !file => Ok(None),
            opened => named(&location, opened).map(Some),
        }
    }
}

/// Opens the store at `location`; errors name it (a URL without its password). Opened to
/// read, a store that holds nothing is "no store at LOCATION", left as it is.
pub fn open_at(location: &Location, mode: Mode) -> anyhow::Result<Box<dyn Store>> {
    named(location, vigie_store::open(location, mode))
}

/// What opening the store at `location` gave, its errors naming it.
fn named(
    location: &Location,
    opened: vigie_store::Result<Box<dyn Store>>,
) -> anyhow::Result<Box<dyn Store>> {
    match opened {
        Err(vigie_store::Error::Empty) => Err(anyhow::anyhow!(
            "no store at {location} (run `vigie scan` first)"
        )),
        opened => opened.with_context(|| format!("store {location}")),
    }
}

/// The snapshot asked for, or the latest one.
pub fn snapshot<S: Store + ?Sized>(
    store: &S,
    asked: Option<SnapshotId>,
) -> anyhow::Result<SnapshotId> {
    match asked {
        Some(id) => Ok(id),
        None => Ok(store.latest()?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_given_wins_over_the_configuration_which_wins_over_the_data_directory() {
        let config: Config =
            toml::from_str("[store]\nurl = \"sqlite:/srv/configured.db\"").unwrap();
        let data = Some(PathBuf::from("/var/lib/vigie"));
        let at = |given: Option<&str>, config: &Config| {
            let given = given.map(|g| parse_location("--db", g).unwrap());
            StoreLocation::new(given, config, data.clone())
                .unwrap()
                .location()
                .unwrap()
        };
        assert_eq!(
            at(Some("/srv/given.db"), &config),
            Location::path("/srv/given.db")
        );
        assert_eq!(at(None, &config), Location::path("/srv/configured.db"));
        assert_eq!(
            at(None, &Config::default()),
            Location::path("/var/lib/vigie/vigie.db")
        );
        let e = parse_location("--db", "mysql://u:s3cret@h/db")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("--db: ") && !e.contains("s3cret"), "{e}");
    }
}

/// What `vigie store stats` says of a store: where it is, its engine, and its counts and
/// size ([`vigie_store::StoreStats`]: `bytes` is the file for SQLite, the tables and indexes
/// of its schema for PostgreSQL).
#[derive(Clone, Debug, serde::Serialize)]
pub struct StoreReport {
    /// The location, as it may be printed (never a password).
    pub location: String,
    /// `sqlite` or `postgresql`.
    pub backend: &'static str,
    /// Counts and size.
    #[serde(flatten)]
    pub stats: vigie_store::StoreStats,
}

/// The counts and size of the store at `location`, read without writing.
pub fn stats(location: &StoreLocation) -> anyhow::Result<StoreReport> {
    let at = location.location()?;
    let store = location.open_read_only()?;
    Ok(StoreReport {
        location: at.to_string(),
        backend: at.backend(),
        stats: store.stats().with_context(|| format!("store {at}"))?,
    })
}
