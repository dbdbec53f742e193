//! The SQLite backend: [`SqliteStore`] on an embedded file (or in memory). It implements the
//! storage primitives (`storage.rs`; the `Store` comes from them), the streaming writer
//! (`writer.rs`), the import (`import.rs`), lists and postings (`lists.rs`), and the schema
//! with its migrations (`schema.rs`). Nothing of this module is public: fronts reach it
//! through [`crate::open`], and rusqlite's errors become [`Error::Backend`] through
//! [`Db::db`]. All of vigie's SQL is here.

mod access;
mod finding_sets;
mod import;
mod ingest;
mod lists;
mod schema;
mod storage;
#[cfg(test)]
mod tests;
mod writer;

pub(crate) use writer::Fill;
use writer::SqliteWriter;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Row, params};

use crate::{BackendError, Error, Result, SnapshotId, SnapshotMeta};

/// rusqlite's results as the store's: the error wrapped opaquely in [`Error::Backend`]. A
/// crate-private conversion rather than a `From` impl, which would put rusqlite in the
/// public API (trait impls are always public).
pub(crate) trait Db<T> {
    /// The value, or the engine's error as [`Error::Backend`].
    fn db(self) -> Result<T>;
}

impl<T> Db<T> for rusqlite::Result<T> {
    fn db(self) -> Result<T> {
        self.map_err(|e| Error::Backend(BackendError::new(e)))
    }
}

/// The store in one SQLite database file.
/// What a snapshot list was read at: see [`SqliteStore::snapshot_list`].
pub(crate) type SnapshotListAt = (i64, Option<i64>, u64);

pub(crate) struct SqliteStore {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
    /// The snapshot list last read, with what it was read at (the number of snapshots, the
    /// latest id, the connection's own changes): a committed snapshot never changes, so
    /// while these stand the list (whose counts cost a scan of each snapshot's rows) is
    /// answered again without reading it.
    pub(crate) snapshot_list:
        std::cell::RefCell<Option<(SnapshotListAt, Vec<crate::SnapshotInfo>)>>,
}

impl SqliteStore {
    /// Opens (creating it and its folder if needed) and migrates the database at `path`.
    pub(crate) fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = Connection::open(path).db()?;
        schema::prepare(&mut conn)?;
        Ok(SqliteStore {
            conn,
            path: Some(path.to_path_buf()),
            snapshot_list: Default::default(),
        })
    }

    /// Opens an existing store to read it. Nothing is written (no migration, no setting), and
    /// every read of the connection is in one transaction, so that a command sees one
    /// consistent store even while a scan commits. A missing file, an empty one and a database
    /// without vigie's schema are [`Error::Empty`], left as they are (no file created, no
    /// schema written); a store of an older schema is migrated first, through
    /// [`SqliteStore::open`]. A store in a folder this process cannot write is opened
    /// immutable (see [`read_only_connection`]).
    pub(crate) fn open_read_only(path: &Path) -> Result<SqliteStore> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::Empty),
            Err(e) => return Err(e.into()),
            Ok(m) if m.is_file() && m.len() == 0 => return Err(Error::Empty),
            Ok(_) => {}
        }
        let mut conn = read_only_connection(path)?;
        match schema::stored_version(&conn)? {
            0 => return Err(Error::Empty),
            v if v < schema::current_version() => {
                drop(conn);
                drop(SqliteStore::open(path)?);
                conn = read_only_connection(path)?;
            }
            _ => {}
        }
        schema::prepare_reader(&conn)?;
        conn.execute_batch("BEGIN").db()?;
        Ok(SqliteStore {
            conn,
            path: Some(path.to_path_buf()),
            snapshot_list: Default::default(),
        })
    }

    /// A store in memory (tests, dry runs).
    pub(crate) fn in_memory() -> Result<SqliteStore> {
        let mut conn = Connection::open_in_memory().db()?;
        schema::prepare(&mut conn)?;
        Ok(SqliteStore {
            conn,
            path: None,
            snapshot_list: Default::default(),
        })
    }
}

/// A connection reading the database at `path`, whose first read has succeeded.
///
/// A database in WAL mode (every store) is read with a shared-memory file beside it, which
/// SQLite creates when missing; in a folder this process cannot write (a read-only folder or
/// mount, another user's store) it cannot, and the first read fails with `SQLITE_CANTOPEN`.
/// The database is then opened `immutable=1`: read without that file and without locks. That
/// is sound there because no writer can change it either: a writer needs the folder for its
/// write-ahead log. (A log left in such a folder by a crash is not read: the last commits it
/// holds are not seen, and the file itself is consistent.)
fn read_only_connection(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).db()?;
    match schema::stored_version(&conn) {
        Err(Error::Backend(e)) if cannot_open(&e) => {}
        _ => return Ok(conn),
    }
    drop(conn);
    let uri = immutable_uri(path);
    Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI).db()
}

/// True when SQLite could not open or make a file it needed beside the database
/// (`SQLITE_CANTOPEN`, or `SQLITE_READONLY_DIRECTORY` and its kin: a read-only connection
/// writes nothing else).
fn cannot_open(e: &BackendError) -> bool {
    let code = e
        .get_ref()
        .downcast_ref::<rusqlite::Error>()
        .and_then(rusqlite::Error::sqlite_error_code);
    matches!(
        code,
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

/// The URI of `path` opened immutable: `file:` and the path's bytes, all but the unreserved
/// ones percent-encoded (a `?`, `#` or `%` in a folder name stays part of the path).
fn immutable_uri(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// A count column (never negative) as `u64`.
pub(crate) fn count_at(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
}

/// A JSON text column decoded, the error naming the column.
pub(crate) fn json_column<T: serde::de::DeserializeOwned>(
    r: &Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Inserts a snapshot row with a given id (import).
pub(crate) fn insert_snapshot(
    conn: &Connection,
    id: SnapshotId,
    meta: &SnapshotMeta,
) -> Result<()> {
    conn.execute(
        "INSERT INTO snapshots(id, taken_at, tool_version, roots, label) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id,
            meta.taken_at,
            meta.tool_version,
            serde_json::to_string(&meta.roots)?,
            meta.label
        ],
    ).db()?;
    Ok(())
}

/// Writes (or rewrites) the directory of `snapshot` from its projects, in the caller's
/// transaction (commit, import, migration 3).
pub(crate) fn store_directory(tx: &Connection, snapshot: SnapshotId) -> Result<()> {
    let mut st = tx
        .prepare_cached(
            "SELECT id, list_id, path, name FROM projects
             WHERE snapshot_id = ?1 AND list_id IS NOT NULL",
        )
        .db()?;
    let mut rows = st
        .query_map([snapshot], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()?;
    let data = crate::directory::encode(&mut rows);
    tx.prepare_cached(
        "INSERT OR REPLACE INTO snapshot_directory(snapshot_id, data) VALUES (?1, ?2)",
    )
    .db()?
    .execute(params![snapshot, data])
    .db()?;
    Ok(())
}

/// Column `i` of `r` as a blob.
pub(crate) fn blob<'a>(r: &'a Row<'_>, i: usize) -> Result<&'a [u8]> {
    r.get_ref(i)
        .db()?
        .as_blob()
        .map_err(|e| Error::Corrupt(format!("column {i}: {e}")))
}
