//! The PostgreSQL backend: [`PgStore`] on a database server, selected by a `postgres://`
//! URL. It implements the same storage primitives as the SQLite backend (`storage.rs`), the
//! streaming writer, the ingest and the import (`writer.rs`), users, sessions, tokens and the
//! audit log (`access.rs`), and the schema with its migrations (`schema.rs`). Nothing of this
//! module is public: fronts reach it through [`crate::open`], and the driver's errors become
//! [`Error::Backend`] through [`Pg::pg`].
//!
//! The driver is `postgres` (the synchronous face of `tokio-postgres`): the store's traits
//! are synchronous, as SQLite is, and a server calls them on tokio's blocking pool. Each
//! [`PgStore`] is one connection; statements are prepared once per connection and kept.
//!
//! What made the SQLite store small and fast is kept as it is: component lists stored once
//! per content (the same blobs), finding sets, per-package postings for who-uses, snapshot
//! directories. Rows are written in batches (`unnest` of arrays: one round trip for a
//! project's new packages, a set's findings, the postings of a snapshot).
//!
//! Writers of snapshots (scan, ingest, re-audit, retention, import) take a transaction-level
//! advisory lock of the store first (`lock_writes`): they are serial, as SQLite's are, so
//! that "the latest snapshot" read inside a writer stays the latest until it commits, on
//! one server or several.

mod access;
mod schema;
mod storage;
mod writer;

use std::cell::{RefCell, RefMut};
use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};

use crate::location::Mode;
use crate::{BackendError, Error, Result, SnapshotInfo};

/// Parameters of a statement.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// The driver's results as the store's: the error wrapped opaquely in [`Error::Backend`].
pub(crate) trait Pg<T> {
    /// The value, or the driver's error as [`Error::Backend`].
    fn pg(self) -> Result<T>;
}

impl<T> Pg<T> for std::result::Result<T, postgres::Error> {
    fn pg(self) -> Result<T> {
        self.map_err(backend)
    }
}

/// A driver error as the store's.
pub(crate) fn backend(e: postgres::Error) -> Error {
    Error::Backend(BackendError::new(e))
}

/// True when `e` is a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION)
}

/// A connection and its prepared statements. A connection found closed (the server
/// restarted, an administrator ended it) is opened again before the next statement, unless
/// a write transaction was under way on it: that transaction is lost whole (the server rolled
/// it back), and its writer is told so until it rolls back.
pub(crate) struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
    url: String,
    /// Read-only: every connection reads in one [`READ_BEGIN`] transaction.
    read_only: bool,
    /// A write transaction is under way ([`Conn::begin`] to [`Conn::commit`] or
    /// [`Conn::rollback`]).
    in_transaction: bool,
}

impl Conn {
    fn open(url: &str, read_only: bool) -> Result<Conn> {
        let mut conn = Conn {
            client: connect(url)?,
            statements: HashMap::new(),
            url: url.to_owned(),
            read_only,
            in_transaction: false,
        };
        conn.settle()?;
        Ok(conn)
    }

    /// The session's settings, and a reader's transaction.
    fn settle(&mut self) -> Result<()> {
        // Statements that wait on a lock held by a stuck server end instead of hanging.
        self.client
            .batch_execute("SET lock_timeout = '300s'")
            .pg()?;
        if self.read_only {
            self.client.batch_execute(READ_BEGIN).pg()?;
        }
        Ok(())
    }

    /// Opens the connection again when it was closed (see the type's doc).
    fn ensure_open(&mut self) -> Result<()> {
        if !self.client.is_closed() {
            return Ok(());
        }
        if self.in_transaction {
            return Err(Error::Backend(BackendError::new(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "the connection to PostgreSQL was lost during a write: nothing of it was kept",
            ))));
        }
        self.client = connect(&self.url)?;
        self.statements.clear();
        self.settle()
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        self.ensure_open()?;
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(sql).pg()?;
        self.statements.insert(sql.to_owned(), st.clone());
        Ok(st)
    }

    /// Begins a write transaction.
    pub(crate) fn begin(&mut self) -> Result<()> {
        self.batch("BEGIN")?;
        self.in_transaction = true;
        Ok(())
    }

    /// Commits the write transaction (over, whatever the outcome).
    pub(crate) fn commit(&mut self) -> Result<()> {
        let done = self.client.batch_execute("COMMIT").pg();
        self.in_transaction = false;
        done
    }

    /// Rolls the write transaction back (nothing to do on a lost connection: the server
    /// did).
    pub(crate) fn rollback(&mut self) {
        if self.in_transaction && !self.client.is_closed() {
            let _ = self.client.batch_execute("ROLLBACK");
        }
        self.in_transaction = false;
    }

    /// Runs `f` in a write transaction: committed when it returns `Ok`, else rolled back.
    pub(crate) fn transaction<T>(&mut self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        self.begin()?;
        match f(self) {
            Ok(v) => {
                self.commit()?;
                Ok(v)
            }
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    /// A reader ends its read transaction and starts another (on a new connection when
    /// the old one was lost).
    pub(crate) fn refresh(&mut self) -> Result<()> {
        if self.client.is_closed() {
            return self.ensure_open();
        }
        self.batch(&format!("COMMIT; {READ_BEGIN}"))
    }

    pub(crate) fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let st = self.statement(sql)?;
        self.client.query(&st, params).pg()
    }

    pub(crate) fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        let st = self.statement(sql)?;
        self.client.query_opt(&st, params).pg()
    }

    pub(crate) fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row> {
        let st = self.statement(sql)?;
        self.client.query_one(&st, params).pg()
    }

    /// Runs a statement; the rows it changed.
    pub(crate) fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64> {
        let st = self.statement(sql)?;
        self.client.execute(&st, params).pg()
    }

    /// [`Conn::query_one`] keeping the driver's error (to tell a constraint from a
    /// failure).
    pub(crate) fn query_one_raw(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<std::result::Result<Row, postgres::Error>> {
        let st = self.statement(sql)?;
        Ok(self.client.query_one(&st, params))
    }

    /// Runs statements without parameters (DDL, settings).
    pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
        self.ensure_open()?;
        self.client.batch_execute(sql).pg()
    }

    /// Takes the store's write lock until the end of the current transaction (see the
    /// module's doc): every writer of snapshots calls it first.
    pub(crate) fn lock_writes(&mut self) -> Result<()> {
        self.query_one(
            "SELECT pg_advisory_xact_lock(1986357079, hashtext(current_schema()))",
            &[],
        )
        .map(|_| ())
    }
}

/// What a snapshot list was read at: the number of snapshots and the latest id.
type SnapshotListAt = (i64, Option<i64>);

/// The store in a PostgreSQL database (the schema first in the connection's `search_path`,
/// `public` unless the URL says otherwise).
pub(crate) struct PgStore {
    conn: RefCell<Conn>,
    read_only: bool,
    /// The snapshot list last read and what it was read at: a committed snapshot never
    /// changes, so while these stand the list is answered again without reading it.
    snapshot_list: RefCell<Option<(SnapshotListAt, Vec<SnapshotInfo>)>>,
}

/// Connects to `url`, the error naming the server without the password.
fn connect(url: &str) -> Result<Client> {
    let config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
        Error::Invalid(format!(
            "store {}: {e}",
            crate::Location::Postgres(url.to_owned())
        ))
    })?;
    let mut config = config;
    if config.get_application_name().is_none() {
        config.application_name("vigie");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(10));
    }
    // TLS is left to the network (a local socket, a tunnel): `sslmode=require` is refused
    // by the driver without a TLS connector, never silently downgraded.
    config.connect(NoTls).pg()
}

impl PgStore {
    /// Connects to the database at `url` and opens the store in `mode` (see [`Mode`]).
    pub(crate) fn open(url: &str, mode: Mode) -> Result<PgStore> {
        let mut conn = Conn::open(url, false)?;
        match mode {
            Mode::ReadWrite => schema::prepare(&mut conn)?,
            Mode::ReadOnly => match schema::stored_version(&mut conn)? {
                0 => return Err(Error::Empty),
                v if v < schema::current_version() => schema::prepare(&mut conn)?,
                _ => {}
            },
        }
        if mode == Mode::ReadOnly {
            conn.read_only = true;
            conn.settle()?;
        }
        Ok(PgStore {
            conn: RefCell::new(conn),
            read_only: mode == Mode::ReadOnly,
            snapshot_list: RefCell::new(None),
        })
    }

    /// The connection, for one call (never held across a call back into the store).
    pub(crate) fn c(&self) -> RefMut<'_, Conn> {
        self.conn.borrow_mut()
    }

    /// [`Error::Invalid`] when the store was opened to read only.
    pub(crate) fn writable(&self) -> Result<()> {
        if self.read_only {
            return Err(Error::Invalid(
                "the store was opened to read only: nothing can be written".into(),
            ));
        }
        Ok(())
    }

    /// The rows of `sql`, each decoded by `row`.
    pub(crate) fn rows<T>(
        &self,
        sql: &str,
        params: Params<'_>,
        row: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let rows = self.c().query(sql, params)?;
        rows.iter().map(row).collect()
    }

    /// The row of `sql` if any, decoded by `row`.
    pub(crate) fn one<T>(
        &self,
        sql: &str,
        params: Params<'_>,
        row: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let found = self.c().query_opt(sql, params)?;
        found.as_ref().map(row).transpose()
    }
}

/// How a read-only store reads: one consistent view until [`Storage::refresh`].
const READ_BEGIN: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// Column `i` of `r`, the error naming it.
pub(crate) fn get<'a, T: postgres::types::FromSql<'a>>(r: &'a Row, i: usize) -> Result<T> {
    r.try_get(i).pg()
}

/// A count column (never negative) as `u64`.
pub(crate) fn count(r: &Row, i: usize) -> Result<u64> {
    Ok(u64::try_from(get::<i64>(r, i)?).unwrap_or(0))
}

/// A JSON text column decoded, the error naming the column.
pub(crate) fn json<T: serde::de::DeserializeOwned>(r: &Row, i: usize) -> Result<T> {
    let text: &str = get(r, i)?;
    serde_json::from_str(text).map_err(|e| Error::Corrupt(format!("column {i}: {e}")))
}

/// A nullable JSON text column decoded, or the default when NULL or not decodable (what
/// older rows hold).
pub(crate) fn json_or_default<T: serde::de::DeserializeOwned + Default>(
    r: &Row,
    i: usize,
) -> Result<T> {
    let text: Option<&str> = get(r, i)?;
    Ok(text
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default())
}

/// A value as JSON text, `None` when `empty`.
pub(crate) fn json_unless_empty<T: serde::Serialize>(v: &T, empty: bool) -> Result<Option<String>> {
    (!empty)
        .then(|| serde_json::to_string(v))
        .transpose()
        .map_err(Into::into)
}
