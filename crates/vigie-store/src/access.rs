//! Who may use vigie: users with a role, their sessions, API tokens with scopes, and the
//! append-only audit log of every write.
//!
//! The store keeps what it is given: password hashes (Argon2id PHC strings), hashes of
//! session ids and of token secrets, never a secret itself; hashing, generating and checking
//! secrets is the application core's (`vigie_app::access`). Like everything else here the
//! store reads no clock: times are RFC 3339 UTC strings (`2026-01-02T03:04:05Z`) given by the
//! caller, so they compare as text.
//!
//! Every write of this module that a person makes (a user created or changed, a session
//! started or ended, a token created or revoked) takes the [`AuditEntry`] that records it,
//! and the row and its entry are written in one transaction: there is no write without its
//! entry. The log has no update or delete, in the API or (SQLite) in the database.
//!
//! A user is local (a password hash) or external (an [`ExternalIdentity`], issuer and subject
//! of an OpenID Connect provider, whose groups the caller maps to a [`Role`]), or both.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What a user may do. Each role may do everything the roles before it may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads everything.
    Viewer,
    /// Reads, and records triage decisions.
    Triager,
    /// Everything, including users and tokens.
    Admin,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Triager, Role::Admin];

    /// The stored and printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Triager => "triager",
            Role::Admin => "admin",
        }
    }

    /// The role named `s`.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The scopes a token made for this role gets by default.
    pub fn scopes(self) -> Vec<TokenScope> {
        match self {
            Role::Viewer => vec![TokenScope::Read],
            Role::Triager => vec![TokenScope::Read, TokenScope::Triage],
            Role::Admin => TokenScope::ALL.to_vec(),
        }
    }
}

/// What an API token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Read the estate.
    Read,
    /// Record triage decisions.
    Triage,
    /// Push inventories and SBOMs.
    Ingest,
    /// Manage users and tokens.
    Admin,
    /// Read the Prometheus metrics.
    Metrics,
}

impl TokenScope {
    /// Every scope.
    pub const ALL: [TokenScope; 5] = [
        TokenScope::Read,
        TokenScope::Triage,
        TokenScope::Ingest,
        TokenScope::Admin,
        TokenScope::Metrics,
    ];

    /// The stored and printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Triage => "triage",
            TokenScope::Ingest => "ingest",
            TokenScope::Admin => "admin",
            TokenScope::Metrics => "metrics",
        }
    }

    /// The scope named `s`.
    pub fn parse(s: &str) -> Option<TokenScope> {
        TokenScope::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A user's identity at an external provider (OpenID Connect: issuer URL and subject).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalIdentity {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The user's subject at that provider.
    pub subject: String,
}

/// A user to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    /// Login name, unique (1 to 64 characters, no control character or surrounding space).
    pub name: String,
    /// The Argon2id PHC string of a local password; `None`: no local login.
    pub password_hash: Option<String>,
    /// What the user may do.
    pub role: Role,
    /// The external identity, when the user logs in through a provider.
    pub identity: Option<ExternalIdentity>,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A stored user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    /// The backend's id.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// The Argon2id PHC string of the local password, if any.
    #[serde(skip)]
    pub password_hash: Option<String>,
    /// What the user may do.
    pub role: Role,
    /// A disabled user cannot log in and its sessions and tokens are refused.
    pub disabled: bool,
    /// The external identity, if any.
    pub identity: Option<ExternalIdentity>,
    /// When it was created.
    pub created_at: String,
    /// When it last logged in.
    pub last_login: Option<String>,
}

/// A change to a user; `None` fields are kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserChange {
    /// A new password hash.
    pub password_hash: Option<String>,
    /// A new role.
    pub role: Option<Role>,
    /// Disable (which ends its sessions) or enable.
    pub disabled: Option<bool>,
}

/// A login session. The id itself is only ever in the user's cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// The hash of the session id (hex SHA-256).
    pub id_hash: String,
    /// The user's id.
    pub user_id: i64,
    /// The session's synchronizer token, which every form it posts must carry.
    pub csrf: String,
    /// When it started.
    pub created_at: String,
    /// When it ends.
    pub expires_at: String,
}

/// A token to create. The secret itself is never stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewToken {
    /// The public part of the token, unique, which finds it (ASCII letters and digits).
    pub prefix: String,
    /// The hash of its secret part (hex SHA-256).
    pub hash: String,
    /// What it is for.
    pub name: String,
    /// What it may do (at least one).
    pub scopes: Vec<TokenScope>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// When it stops working, if ever.
    pub expires_at: Option<String>,
}

/// A stored token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    /// The backend's id.
    pub id: i64,
    /// Its public prefix.
    pub prefix: String,
    /// The hash of its secret.
    #[serde(skip)]
    pub hash: String,
    /// What it is for.
    pub name: String,
    /// What it may do.
    pub scopes: Vec<TokenScope>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// When it stops working, if ever.
    pub expires_at: Option<String>,
    /// When it was last accepted.
    pub last_used: Option<String>,
    /// When it was revoked.
    pub revoked_at: Option<String>,
}

impl TokenRecord {
    /// True when it may do `scope`.
    pub fn allows(&self, scope: TokenScope) -> bool {
        self.scopes.contains(&scope)
    }

    /// True when it is neither revoked nor expired at `now` (RFC 3339).
    pub fn live_at(&self, now: &str) -> bool {
        self.revoked_at.is_none() && self.expires_at.as_deref().is_none_or(|e| e > now)
    }
}

/// One entry of the audit log: who did what to what, when, from where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When (RFC 3339).
    pub at: String,
    /// Who: a user name, `token:<prefix>`, `cli`, `system`.
    pub actor: String,
    /// What, as a dotted verb: `user.create`, `session.login`, `token.revoke`, ...
    pub action: String,
    /// On what: a user name, a token prefix, a finding key.
    pub target: String,
    /// From which address, when over the network.
    pub ip: Option<String>,
    /// More, free text (never a secret).
    pub detail: Option<String>,
}

/// A stored audit entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Increasing.
    pub id: i64,
    /// The entry.
    #[serde(flatten)]
    pub entry: AuditEntry,
}

/// Users, sessions, tokens and the audit log (a [`Store`](crate::Store) is one).
pub trait Access {
    /// Creates a user ([`Error::Invalid`] when the name is taken or not acceptable).
    fn create_user(&mut self, user: &NewUser, audit: &AuditEntry) -> Result<UserRecord>;
    /// Changes the user called `name` ([`Error::Invalid`] when there is none).
    fn change_user(
        &mut self,
        name: &str,
        change: &UserChange,
        audit: &AuditEntry,
    ) -> Result<UserRecord>;
    /// The user called `name`.
    fn user(&self, name: &str) -> Result<Option<UserRecord>>;
    /// The user with an external identity.
    fn user_by_identity(&self, identity: &ExternalIdentity) -> Result<Option<UserRecord>>;
    /// Every user, by name.
    fn users(&self) -> Result<Vec<UserRecord>>;
    /// Stores a new session of its user and the user's last login (`audit.at`).
    fn start_session(&mut self, session: &SessionRecord, audit: &AuditEntry) -> Result<()>;
    /// The session whose id hashes to `id_hash`, with its user (expired or not: the caller
    /// compares `expires_at` with its clock).
    fn session(&self, id_hash: &str) -> Result<Option<(SessionRecord, UserRecord)>>;
    /// Deletes a session (logout, with its entry; an expired one, without); false when there
    /// was none.
    fn end_session(&mut self, id_hash: &str, audit: Option<&AuditEntry>) -> Result<bool>;
    /// Deletes the sessions expired at `now`; returns how many.
    fn purge_sessions(&mut self, now: &str) -> Result<u64>;
    /// Creates a token ([`Error::Invalid`] when the prefix is taken or has no scope).
    fn create_token(&mut self, token: &NewToken, audit: &AuditEntry) -> Result<TokenRecord>;
    /// The token with this prefix.
    fn token(&self, prefix: &str) -> Result<Option<TokenRecord>>;
    /// Every token, oldest first.
    fn tokens(&self) -> Result<Vec<TokenRecord>>;
    /// Revokes the token with this prefix at `audit.at`; false when none is live.
    fn revoke_token(&mut self, prefix: &str, audit: &AuditEntry) -> Result<bool>;
    /// Notes that the token was accepted at `at` (not audited: a read).
    fn token_used(&mut self, id: i64, at: &str) -> Result<()>;
    /// Appends an entry to the audit log (writes made elsewhere: triage, failed logins).
    fn append_audit(&mut self, entry: &AuditEntry) -> Result<i64>;
    /// At most `limit` entries, newest first, before the entry `before` when given.
    fn audit_log(&self, before: Option<i64>, limit: usize) -> Result<Vec<AuditRecord>>;
    /// How many entries have the actor `actor` (exact) and the action `action` (exact, or
    /// every action of a family when it ends in a dot: `token.`), each when given.
    fn audit_count(&self, actor: Option<&str>, action: Option<&str>) -> Result<u64>;
}

/// The primitives of users, sessions, tokens and the audit log that a backend implements;
/// [`Access`] is written once on them.
pub(crate) trait AccessStorage {
    /// Runs `f` in one transaction: its writes are kept whole when it returns `Ok`, else
    /// none is.
    fn atomically(&mut self, f: &mut dyn FnMut(&mut dyn AccessStorage) -> Result<()>)
    -> Result<()>;
    /// Inserts a user (the name is free); returns its id.
    fn insert_user(&mut self, user: &NewUser) -> Result<i64>;
    /// Updates the fields given.
    fn update_user(&mut self, id: i64, change: &UserChange) -> Result<()>;
    /// Sets the last login.
    fn set_last_login(&mut self, id: i64, at: &str) -> Result<()>;
    /// A user by name.
    fn user_by_name(&self, name: &str) -> Result<Option<UserRecord>>;
    /// A user by id.
    fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>>;
    /// A user by external identity.
    fn user_by_identity(&self, identity: &ExternalIdentity) -> Result<Option<UserRecord>>;
    /// Every user, by name.
    fn all_users(&self) -> Result<Vec<UserRecord>>;
    /// Inserts a session.
    fn insert_session(&mut self, session: &SessionRecord) -> Result<()>;
    /// A session by id hash.
    fn session_by_hash(&self, id_hash: &str) -> Result<Option<SessionRecord>>;
    /// Deletes a session; false when there was none.
    fn delete_session(&mut self, id_hash: &str) -> Result<bool>;
    /// Deletes a user's sessions.
    fn delete_user_sessions(&mut self, user_id: i64) -> Result<u64>;
    /// Deletes the sessions whose `expires_at` is at or before `now`.
    fn delete_sessions_until(&mut self, now: &str) -> Result<u64>;
    /// Inserts a token (the prefix is free); returns its id.
    fn insert_token(&mut self, token: &NewToken) -> Result<i64>;
    /// A token by prefix.
    fn token_by_prefix(&self, prefix: &str) -> Result<Option<TokenRecord>>;
    /// Every token, by id.
    fn all_tokens(&self) -> Result<Vec<TokenRecord>>;
    /// Sets `revoked_at` of a token not yet revoked; false when it was.
    fn set_token_revoked(&mut self, id: i64, at: &str) -> Result<bool>;
    /// Sets `last_used`.
    fn set_token_used(&mut self, id: i64, at: &str) -> Result<()>;
    /// Appends an audit entry; returns its id.
    fn insert_audit(&mut self, entry: &AuditEntry) -> Result<i64>;
    /// Audit entries, newest first.
    fn audit_rows(&self, before: Option<i64>, limit: usize) -> Result<Vec<AuditRecord>>;
    /// The entries of `actor` whose action is `action`, or starts with `prefix`, counted.
    fn audit_count_rows(
        &self,
        actor: Option<&str>,
        action: Option<&str>,
        prefix: Option<&str>,
    ) -> Result<u64>;
}

/// Longest user name.
const MAX_NAME: usize = 64;

/// A user or token name is 1 to [`MAX_NAME`] characters, with no control character and no
/// surrounding space.
fn check_name(what: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME
        && name.trim() == name
        && !name.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "{what} name {name:?}: 1 to {MAX_NAME} characters, no control character or surrounding space"
        )))
    }
}

fn check_audit(e: &AuditEntry) -> Result<()> {
    if e.action.is_empty() || e.actor.is_empty() || e.at.is_empty() {
        return Err(Error::Invalid(
            "an audit entry needs a time, an actor and an action".into(),
        ));
    }
    Ok(())
}

impl<S: crate::storage::Storage> Access for S {
    fn create_user(&mut self, user: &NewUser, audit: &AuditEntry) -> Result<UserRecord> {
        check_name("user", &user.name)?;
        check_audit(audit)?;
        if self.user_by_name(&user.name)?.is_some() {
            return Err(Error::Invalid(format!("user {:?} exists", user.name)));
        }
        let mut id = 0;
        self.atomically(&mut |s| {
            id = s.insert_user(user)?;
            s.insert_audit(audit)?;
            Ok(())
        })?;
        self.user_by_id(id)?
            .ok_or_else(|| Error::Corrupt(format!("user {id} not found after insert")))
    }

    fn change_user(
        &mut self,
        name: &str,
        change: &UserChange,
        audit: &AuditEntry,
    ) -> Result<UserRecord> {
        check_audit(audit)?;
        let user = self
            .user_by_name(name)?
            .ok_or_else(|| Error::Invalid(format!("no user {name:?}")))?;
        self.atomically(&mut |s| {
            s.update_user(user.id, change)?;
            if change.disabled == Some(true) {
                s.delete_user_sessions(user.id)?;
            }
            s.insert_audit(audit)?;
            Ok(())
        })?;
        self.user_by_id(user.id)?
            .ok_or_else(|| Error::Corrupt(format!("user {} gone", user.id)))
    }

    fn user(&self, name: &str) -> Result<Option<UserRecord>> {
        self.user_by_name(name)
    }

    fn user_by_identity(&self, identity: &ExternalIdentity) -> Result<Option<UserRecord>> {
        AccessStorage::user_by_identity(self, identity)
    }

    fn users(&self) -> Result<Vec<UserRecord>> {
        self.all_users()
    }

    fn start_session(&mut self, session: &SessionRecord, audit: &AuditEntry) -> Result<()> {
        check_audit(audit)?;
        self.atomically(&mut |s| {
            s.insert_session(session)?;
            s.set_last_login(session.user_id, &audit.at)?;
            s.insert_audit(audit)?;
            Ok(())
        })
    }

    fn session(&self, id_hash: &str) -> Result<Option<(SessionRecord, UserRecord)>> {
        let Some(session) = self.session_by_hash(id_hash)? else {
            return Ok(None);
        };
        Ok(self.user_by_id(session.user_id)?.map(|u| (session, u)))
    }

    fn end_session(&mut self, id_hash: &str, audit: Option<&AuditEntry>) -> Result<bool> {
        if let Some(a) = audit {
            check_audit(a)?;
        }
        let mut found = false;
        self.atomically(&mut |s| {
            found = s.delete_session(id_hash)?;
            if let (true, Some(a)) = (found, audit) {
                s.insert_audit(a)?;
            }
            Ok(())
        })?;
        Ok(found)
    }

    fn purge_sessions(&mut self, now: &str) -> Result<u64> {
        self.delete_sessions_until(now)
    }

    fn create_token(&mut self, token: &NewToken, audit: &AuditEntry) -> Result<TokenRecord> {
        check_name("token", &token.name)?;
        check_audit(audit)?;
        if token.prefix.is_empty() || !token.prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::Invalid(format!(
                "token prefix {:?}: ASCII letters and digits",
                token.prefix
            )));
        }
        if token.scopes.is_empty() {
            return Err(Error::Invalid("a token needs at least one scope".into()));
        }
        if self.token_by_prefix(&token.prefix)?.is_some() {
            return Err(Error::Invalid(format!(
                "token prefix {:?} exists",
                token.prefix
            )));
        }
        self.atomically(&mut |s| {
            s.insert_token(token)?;
            s.insert_audit(audit)?;
            Ok(())
        })?;
        self.token_by_prefix(&token.prefix)?
            .ok_or_else(|| Error::Corrupt(format!("token {} not found after insert", token.prefix)))
    }

    fn token(&self, prefix: &str) -> Result<Option<TokenRecord>> {
        self.token_by_prefix(prefix)
    }

    fn tokens(&self) -> Result<Vec<TokenRecord>> {
        self.all_tokens()
    }

    fn revoke_token(&mut self, prefix: &str, audit: &AuditEntry) -> Result<bool> {
        check_audit(audit)?;
        let Some(token) = self.token_by_prefix(prefix)? else {
            return Ok(false);
        };
        let mut revoked = false;
        self.atomically(&mut |s| {
            revoked = s.set_token_revoked(token.id, &audit.at)?;
            if revoked {
                s.insert_audit(audit)?;
            }
            Ok(())
        })?;
        Ok(revoked)
    }

    fn token_used(&mut self, id: i64, at: &str) -> Result<()> {
        self.set_token_used(id, at)
    }

    fn append_audit(&mut self, entry: &AuditEntry) -> Result<i64> {
        check_audit(entry)?;
        self.insert_audit(entry)
    }

    fn audit_log(&self, before: Option<i64>, limit: usize) -> Result<Vec<AuditRecord>> {
        self.audit_rows(before, limit)
    }

    fn audit_count(&self, actor: Option<&str>, action: Option<&str>) -> Result<u64> {
        match action {
            Some(a) if a.ends_with('.') => self.audit_count_rows(actor, None, Some(a)),
            a => self.audit_count_rows(actor, a, None),
        }
    }
}
