//! The SQLite primitives of users, sessions, tokens and the audit log (schema version 4):
//! each one statement; the rules are `access.rs`'s.

use rusqlite::{OptionalExtension, Row, params};

use super::{Db, SqliteStore, json_column};
use crate::access::{
    AccessStorage, AuditEntry, AuditRecord, ExternalIdentity, NewToken, NewUser, Role,
    SessionRecord, TokenRecord, UserChange, UserRecord,
};
use crate::{Error, Result};

const USER_COLUMNS: &str =
    "id, name, password_hash, role, disabled, issuer, subject, created_at, last_login";

fn user_from_row(r: &Row<'_>) -> rusqlite::Result<UserRecord> {
    let role: String = r.get(3)?;
    let role = Role::parse(&role).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            3,
            rusqlite::types::Type::Text,
            format!("role {role:?}").into(),
        )
    })?;
    let issuer: Option<String> = r.get(5)?;
    let subject: Option<String> = r.get(6)?;
    Ok(UserRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        password_hash: r.get(2)?,
        role,
        disabled: r.get(4)?,
        identity: issuer
            .zip(subject)
            .map(|(issuer, subject)| ExternalIdentity { issuer, subject }),
        created_at: r.get(7)?,
        last_login: r.get(8)?,
    })
}

const TOKEN_COLUMNS: &str = "id, prefix, hash, name, scopes, created_by, created_at, expires_at, \
     last_used, revoked_at";

fn token_from_row(r: &Row<'_>) -> rusqlite::Result<TokenRecord> {
    Ok(TokenRecord {
        id: r.get(0)?,
        prefix: r.get(1)?,
        hash: r.get(2)?,
        name: r.get(3)?,
        scopes: json_column(r, 4)?,
        created_by: r.get(5)?,
        created_at: r.get(6)?,
        expires_at: r.get(7)?,
        last_used: r.get(8)?,
        revoked_at: r.get(9)?,
    })
}

fn session_from_row(r: &Row<'_>) -> rusqlite::Result<SessionRecord> {
    Ok(SessionRecord {
        id_hash: r.get(0)?,
        user_id: r.get(1)?,
        csrf: r.get(2)?,
        created_at: r.get(3)?,
        expires_at: r.get(4)?,
    })
}

impl SqliteStore {
    fn one<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        p: P,
        row: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>> {
        self.conn
            .prepare_cached(sql)
            .db()?
            .query_row(p, row)
            .optional()
            .db()
    }

    fn all<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        p: P,
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.conn.prepare_cached(sql).db()?;
        let rows = st.query_map(p, row).db()?;
        rows.collect::<rusqlite::Result<Vec<_>>>().db()
    }

    fn run<P: rusqlite::Params>(&self, sql: &str, p: P) -> Result<usize> {
        self.conn.prepare_cached(sql).db()?.execute(p).db()
    }
}

impl AccessStorage for SqliteStore {
    fn atomically(
        &mut self,
        f: &mut dyn FnMut(&mut dyn AccessStorage) -> Result<()>,
    ) -> Result<()> {
        // IMMEDIATE: take the write lock first, so that a concurrent writer waits on the
        // busy timeout instead of failing the transaction half-way.
        self.conn.execute_batch("BEGIN IMMEDIATE").db()?;
        match f(self) {
            Ok(()) => self.conn.execute_batch("COMMIT").db(),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn insert_user(&mut self, u: &NewUser) -> Result<i64> {
        self.run(
            "INSERT INTO users(name, password_hash, role, issuer, subject, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                u.name,
                u.password_hash,
                u.role.as_str(),
                u.identity.as_ref().map(|i| &i.issuer),
                u.identity.as_ref().map(|i| &i.subject),
                u.created_at
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn update_user(&mut self, id: i64, c: &UserChange) -> Result<()> {
        self.run(
            "UPDATE users SET password_hash = coalesce(?2, password_hash),
                              role = coalesce(?3, role),
                              disabled = coalesce(?4, disabled)
             WHERE id = ?1",
            params![id, c.password_hash, c.role.map(Role::as_str), c.disabled],
        )?;
        Ok(())
    }

    fn set_last_login(&mut self, id: i64, at: &str) -> Result<()> {
        self.run(
            "UPDATE users SET last_login = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }

    fn user_by_name(&self, name: &str) -> Result<Option<UserRecord>> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"),
            [name],
            user_from_row,
        )
    }

    fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
            [id],
            user_from_row,
        )
    }

    fn user_by_identity(&self, i: &ExternalIdentity) -> Result<Option<UserRecord>> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE issuer = ?1 AND subject = ?2"),
            [&i.issuer, &i.subject],
            user_from_row,
        )
    }

    fn all_users(&self) -> Result<Vec<UserRecord>> {
        self.all(
            &format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"),
            [],
            user_from_row,
        )
    }

    fn insert_session(&mut self, s: &SessionRecord) -> Result<()> {
        self.run(
            "INSERT INTO sessions(id_hash, user_id, csrf, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![s.id_hash, s.user_id, s.csrf, s.created_at, s.expires_at],
        )?;
        Ok(())
    }

    fn session_by_hash(&self, id_hash: &str) -> Result<Option<SessionRecord>> {
        self.one(
            "SELECT id_hash, user_id, csrf, created_at, expires_at FROM sessions
             WHERE id_hash = ?1",
            [id_hash],
            session_from_row,
        )
    }

    fn delete_session(&mut self, id_hash: &str) -> Result<bool> {
        Ok(self.run("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])? > 0)
    }

    fn delete_user_sessions(&mut self, user_id: i64) -> Result<u64> {
        Ok(self.run("DELETE FROM sessions WHERE user_id = ?1", [user_id])? as u64)
    }

    fn delete_sessions_until(&mut self, now: &str) -> Result<u64> {
        Ok(self.run("DELETE FROM sessions WHERE expires_at <= ?1", [now])? as u64)
    }

    fn insert_token(&mut self, t: &NewToken) -> Result<i64> {
        self.run(
            "INSERT INTO api_tokens(prefix, hash, name, scopes, created_by, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                t.prefix,
                t.hash,
                t.name,
                serde_json::to_string(&t.scopes)?,
                t.created_by,
                t.created_at,
                t.expires_at
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn token_by_prefix(&self, prefix: &str) -> Result<Option<TokenRecord>> {
        self.one(
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE prefix = ?1"),
            [prefix],
            token_from_row,
        )
    }

    fn all_tokens(&self) -> Result<Vec<TokenRecord>> {
        self.all(
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id"),
            [],
            token_from_row,
        )
    }

    fn set_token_revoked(&mut self, id: i64, at: &str) -> Result<bool> {
        Ok(self.run(
            "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, at],
        )? > 0)
    }

    fn set_token_used(&mut self, id: i64, at: &str) -> Result<()> {
        self.run(
            "UPDATE api_tokens SET last_used = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }

    fn insert_audit(&mut self, e: &AuditEntry) -> Result<i64> {
        self.run(
            "INSERT INTO audit_log(at, actor, action, target, ip, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![e.at, e.actor, e.action, e.target, e.ip, e.detail],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn audit_count_rows(
        &self,
        actor: Option<&str>,
        action: Option<&str>,
        prefix: Option<&str>,
    ) -> Result<u64> {
        // A prefix compared as text (`substr`), not `LIKE`: `_` and `%` are not wildcards.
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM audit_log
                 WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2)
                   AND (?3 IS NULL OR substr(action, 1, length(?3)) = ?3)",
                params![actor, action, prefix],
                |r| r.get(0),
            )
            .db()?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn audit_rows(&self, before: Option<i64>, limit: usize) -> Result<Vec<AuditRecord>> {
        let limit = i64::try_from(limit).map_err(|_| Error::Invalid("limit".into()))?;
        self.all(
            "SELECT id, at, actor, action, target, ip, detail FROM audit_log
             WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2",
            params![before, limit],
            |r| {
                Ok(AuditRecord {
                    id: r.get(0)?,
                    entry: AuditEntry {
                        at: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        target: r.get(4)?,
                        ip: r.get(5)?,
                        detail: r.get(6)?,
                    },
                })
            },
        )
    }
}
