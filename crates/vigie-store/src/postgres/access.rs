//! The PostgreSQL primitives of users, sessions, tokens and the audit log: each one
//! statement; the rules are `access.rs`'s. They live in the database, so every server on
//! it sees the same users, sessions, tokens and log.

use postgres::Row;

use super::{PgStore, count, get, json};
use crate::access::{
    AccessStorage, AuditEntry, AuditRecord, ExternalIdentity, NewToken, NewUser, Role,
    SessionRecord, TokenRecord, UserChange, UserRecord,
};
use crate::{Error, Result};

const USER_COLUMNS: &str =
    "id, name, password_hash, role, disabled, issuer, subject, created_at, last_login";

fn user_from_row(r: &Row) -> Result<UserRecord> {
    let role: &str = get(r, 3)?;
    let role = Role::parse(role).ok_or_else(|| Error::Corrupt(format!("role {role:?}")))?;
    let issuer: Option<String> = get(r, 5)?;
    let subject: Option<String> = get(r, 6)?;
    Ok(UserRecord {
        id: get(r, 0)?,
        name: get(r, 1)?,
        password_hash: get(r, 2)?,
        role,
        disabled: get(r, 4)?,
        identity: issuer
            .zip(subject)
            .map(|(issuer, subject)| ExternalIdentity { issuer, subject }),
        created_at: get(r, 7)?,
        last_login: get(r, 8)?,
    })
}

const TOKEN_COLUMNS: &str = "id, prefix, hash, name, scopes, created_by, created_at, expires_at, \
     last_used, revoked_at";

fn token_from_row(r: &Row) -> Result<TokenRecord> {
    Ok(TokenRecord {
        id: get(r, 0)?,
        prefix: get(r, 1)?,
        hash: get(r, 2)?,
        name: get(r, 3)?,
        scopes: json(r, 4)?,
        created_by: get(r, 5)?,
        created_at: get(r, 6)?,
        expires_at: get(r, 7)?,
        last_used: get(r, 8)?,
        revoked_at: get(r, 9)?,
    })
}

fn session_from_row(r: &Row) -> Result<SessionRecord> {
    Ok(SessionRecord {
        id_hash: get(r, 0)?,
        user_id: get(r, 1)?,
        csrf: get(r, 2)?,
        created_at: get(r, 3)?,
        expires_at: get(r, 4)?,
    })
}

impl PgStore {
    /// Runs a statement; the rows it changed.
    fn run(&self, sql: &str, params: super::Params<'_>) -> Result<u64> {
        self.writable()?;
        self.c().execute(sql, params)
    }

    /// The id a statement `RETURNING id` gave.
    fn returning_id(&self, sql: &str, params: super::Params<'_>) -> Result<i64> {
        self.writable()?;
        get(&self.c().query_one(sql, params)?, 0)
    }
}

impl AccessStorage for PgStore {
    fn atomically(
        &mut self,
        f: &mut dyn FnMut(&mut dyn AccessStorage) -> Result<()>,
    ) -> Result<()> {
        self.writable()?;
        self.c().begin()?;
        match f(self) {
            Ok(()) => self.c().commit(),
            Err(e) => {
                self.c().rollback();
                Err(e)
            }
        }
    }

    fn insert_user(&mut self, u: &NewUser) -> Result<i64> {
        self.returning_id(
            "INSERT INTO users(name, password_hash, role, issuer, subject, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &u.name,
                &u.password_hash,
                &u.role.as_str(),
                &u.identity.as_ref().map(|i| &i.issuer),
                &u.identity.as_ref().map(|i| &i.subject),
                &u.created_at,
            ],
        )
    }

    fn update_user(&mut self, id: i64, c: &UserChange) -> Result<()> {
        self.run(
            "UPDATE users SET password_hash = coalesce($2, password_hash),
                              role = coalesce($3, role),
                              disabled = coalesce($4, disabled)
             WHERE id = $1",
            &[
                &id,
                &c.password_hash,
                &c.role.map(Role::as_str),
                &c.disabled,
            ],
        )?;
        Ok(())
    }

    fn set_last_login(&mut self, id: i64, at: &str) -> Result<()> {
        self.run(
            "UPDATE users SET last_login = $2 WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(())
    }

    fn user_by_name(&self, name: &str) -> Result<Option<UserRecord>> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"),
            &[&name],
            user_from_row,
        )
    }

    fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"),
            &[&id],
            user_from_row,
        )
    }

    fn user_by_identity(&self, i: &ExternalIdentity) -> Result<Option<UserRecord>> {
        self.one(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE issuer = $1 AND subject = $2"),
            &[&i.issuer, &i.subject],
            user_from_row,
        )
    }

    fn all_users(&self) -> Result<Vec<UserRecord>> {
        self.rows(
            &format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"),
            &[],
            user_from_row,
        )
    }

    fn insert_session(&mut self, s: &SessionRecord) -> Result<()> {
        self.run(
            "INSERT INTO sessions(id_hash, user_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &s.id_hash,
                &s.user_id,
                &s.csrf,
                &s.created_at,
                &s.expires_at,
            ],
        )?;
        Ok(())
    }

    fn session_by_hash(&self, id_hash: &str) -> Result<Option<SessionRecord>> {
        self.one(
            "SELECT id_hash, user_id, csrf, created_at, expires_at FROM sessions
             WHERE id_hash = $1",
            &[&id_hash],
            session_from_row,
        )
    }

    fn delete_session(&mut self, id_hash: &str) -> Result<bool> {
        Ok(self.run("DELETE FROM sessions WHERE id_hash = $1", &[&id_hash])? > 0)
    }

    fn delete_user_sessions(&mut self, user_id: i64) -> Result<u64> {
        self.run("DELETE FROM sessions WHERE user_id = $1", &[&user_id])
    }

    fn delete_sessions_until(&mut self, now: &str) -> Result<u64> {
        self.run("DELETE FROM sessions WHERE expires_at <= $1", &[&now])
    }

    fn insert_token(&mut self, t: &NewToken) -> Result<i64> {
        self.returning_id(
            "INSERT INTO api_tokens(prefix, hash, name, scopes, created_by, created_at,
             expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                &t.prefix,
                &t.hash,
                &t.name,
                &serde_json::to_string(&t.scopes)?,
                &t.created_by,
                &t.created_at,
                &t.expires_at,
            ],
        )
    }

    fn token_by_prefix(&self, prefix: &str) -> Result<Option<TokenRecord>> {
        self.one(
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE prefix = $1"),
            &[&prefix],
            token_from_row,
        )
    }

    fn all_tokens(&self) -> Result<Vec<TokenRecord>> {
        self.rows(
            &format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id"),
            &[],
            token_from_row,
        )
    }

    fn set_token_revoked(&mut self, id: i64, at: &str) -> Result<bool> {
        Ok(self.run(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id, &at],
        )? > 0)
    }

    fn set_token_used(&mut self, id: i64, at: &str) -> Result<()> {
        self.run(
            "UPDATE api_tokens SET last_used = $2 WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(())
    }

    fn insert_audit(&mut self, e: &AuditEntry) -> Result<i64> {
        self.returning_id(
            "INSERT INTO audit_log(at, actor, action, target, ip, detail)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[&e.at, &e.actor, &e.action, &e.target, &e.ip, &e.detail],
        )
    }

    fn audit_count_rows(
        &self,
        actor: Option<&str>,
        action: Option<&str>,
        prefix: Option<&str>,
    ) -> Result<u64> {
        // A prefix compared as text (`left`), not `LIKE`: `_` and `%` are not wildcards.
        let row = self.c().query_one(
            "SELECT count(*) FROM audit_log
             WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
               AND ($3::text IS NULL OR left(action, length($3)) = $3)",
            &[&actor, &action, &prefix],
        )?;
        count(&row, 0)
    }

    fn audit_rows(&self, before: Option<i64>, limit: usize) -> Result<Vec<AuditRecord>> {
        let limit = i64::try_from(limit).map_err(|_| Error::Invalid("limit".into()))?;
        self.rows(
            "SELECT id, at, actor, action, target, ip, detail FROM audit_log
             WHERE $1::bigint IS NULL OR id < $1 ORDER BY id DESC LIMIT $2",
            &[&before, &limit],
            |r| {
                Ok(AuditRecord {
                    id: get(r, 0)?,
                    entry: AuditEntry {
                        at: get(r, 1)?,
                        actor: get(r, 2)?,
                        action: get(r, 3)?,
                        target: get(r, 4)?,
                        ip: get(r, 5)?,
                        detail: get(r, 6)?,
                    },
                })
            },
        )
    }
}
