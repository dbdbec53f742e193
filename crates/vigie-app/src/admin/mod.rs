//! Administration: users, API tokens and the audit log, as an admin of a front manages them
//! ([`knowledge`]: what the knowledge index holds and covers).
//!
//! Every write here is made by an [`Actor`] (a user's name or `token:<prefix>`, and where
//! from) and is recorded in the audit log in the same transaction as the write (the store's
//! [`vigie_store::Access`] guarantees it). The rules a front must not be able to break are
//! here, not in the fronts: an admin cannot disable themselves, and the last active admin
//! can be neither disabled nor demoted ([`Refusal`]). The store's writer is one handle, so
//! a check and its write are not interleaved with another admin's.

pub mod knowledge;

use vigie_store::{AuditEntry, AuditRecord, Role, Store, TokenRecord, TokenScope, UserRecord};

use crate::access::{CreatedToken, MIN_PASSWORD, TokenRequest, random_hex};

/// Who makes a write, and from where.
#[derive(Clone, Debug)]
pub struct Actor {
    /// A user's name, or `token:<prefix>`.
    pub name: String,
    /// The client's address, when over the network.
    pub ip: Option<String>,
}

impl Actor {
    /// The audit entry of `action` on `target` by this actor, now.
    pub fn entry(&self, action: &str, target: &str, detail: Option<String>) -> AuditEntry {
        AuditEntry {
            at: crate::access::now(),
            actor: self.name.clone(),
            action: action.to_owned(),
            target: target.to_owned(),
            ip: self.ip.clone(),
            detail,
        }
    }
}

/// Why an administrative write is refused: the request is understood but may not be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// An admin may not disable themselves.
    SelfDisable,
    /// The last active admin may be neither disabled nor given a lesser role.
    LastAdmin,
    /// There is no user of that name.
    NoSuchUser,
    /// There is no live token with that prefix.
    NoSuchToken,
    /// The password is shorter than [`MIN_PASSWORD`].
    ShortPassword,
    /// The store refuses it (a name taken or not acceptable), with its reason.
    Invalid(String),
}

impl Refusal {
    /// A stable code, for the fronts' texts.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::SelfDisable => "self_disable",
            Refusal::LastAdmin => "last_admin",
            Refusal::NoSuchUser => "no_such_user",
            Refusal::NoSuchToken => "no_such_token",
            Refusal::ShortPassword => "short_password",
            Refusal::Invalid(_) => "invalid",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::SelfDisable => f.write_str("an admin cannot disable themselves"),
            Refusal::LastAdmin => f.write_str(
                "this is the last active admin: make another admin first, then try again",
            ),
            Refusal::NoSuchUser => f.write_str("no such user"),
            Refusal::NoSuchToken => f.write_str("no live token with this prefix"),
            Refusal::ShortPassword => {
                write!(f, "a password has at least {MIN_PASSWORD} characters")
            }
            Refusal::Invalid(why) => f.write_str(why),
        }
    }
}

/// The result of an administrative write: done, refused, or failed (the store broke).
pub type Outcome<T> = anyhow::Result<Result<T, Refusal>>;

/// A store error that is a refusal of the request (`Invalid`), else the error itself.
fn refused<T>(e: vigie_store::Error) -> Outcome<T> {
    match e {
        vigie_store::Error::Invalid(why) => Ok(Err(Refusal::Invalid(why))),
        other => Err(other.into()),
    }
}

/// Every user, by name.
pub fn users(store: &dyn Store) -> anyhow::Result<Vec<UserRecord>> {
    Ok(store.users()?)
}

/// Where a user logs in from: `local` (a password), `oidc` (an identity provider) or
/// `both`.
pub fn origin(u: &UserRecord) -> &'static str {
    match (u.password_hash.is_some(), u.identity.is_some()) {
        (true, true) => "both",
        (false, true) => "oidc",
        _ => "local",
    }
}

/// A local user added: its record, and the password when it was generated (to show once).
pub struct AddedUser {
    /// What the store keeps.
    pub user: UserRecord,
    /// The generated password, when none was given: shown once, never stored.
    pub generated: Option<String>,
}

/// Adds a local user with `password`, or a generated one (24 hex digits) when `None`.
pub fn add_user(
    store: &mut dyn Store,
    by: &Actor,
    name: &str,
    password: Option<&str>,
    role: Role,
) -> Outcome<AddedUser> {
    let (password, generated) = match password {
        Some(p) if p.chars().count() < MIN_PASSWORD => return Ok(Err(Refusal::ShortPassword)),
        Some(p) => (p.to_owned(), false),
        None => (random_hex(12)?, true),
    };
    let entry = by.entry("user.create", name, None);
    match crate::access::add_user(store, name, &password, role, &entry) {
        Ok(user) => Ok(Ok(AddedUser {
            user,
            generated: generated.then_some(password),
        })),
        Err(e) => match e.downcast::<vigie_store::Error>() {
            Ok(e) => refused(e),
            Err(e) => Err(e),
        },
    }
}

/// True when `user` is an active admin other than `name`.
fn other_active_admin(users: &[UserRecord], name: &str) -> bool {
    users
        .iter()
        .any(|u| u.name != name && u.role == Role::Admin && !u.disabled)
}

/// Disables (which ends their sessions) or enables the user called `name`.
pub fn set_disabled(
    store: &mut dyn Store,
    by: &Actor,
    name: &str,
    disabled: bool,
) -> Outcome<UserRecord> {
    let users = store.users()?;
    let Some(user) = users.iter().find(|u| u.name == name) else {
        return Ok(Err(Refusal::NoSuchUser));
    };
    if disabled {
        if by.name == name {
            return Ok(Err(Refusal::SelfDisable));
        }
        if user.role == Role::Admin && !user.disabled && !other_active_admin(&users, name) {
            return Ok(Err(Refusal::LastAdmin));
        }
    }
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    let change = vigie_store::UserChange {
        disabled: Some(disabled),
        ..Default::default()
    };
    match store.change_user(name, &change, &by.entry(action, name, None)) {
        Ok(u) => Ok(Ok(u)),
        Err(e) => refused(e),
    }
}

/// Gives the user called `name` the role `role`.
pub fn set_role(store: &mut dyn Store, by: &Actor, name: &str, role: Role) -> Outcome<UserRecord> {
    let users = store.users()?;
    let Some(user) = users.iter().find(|u| u.name == name) else {
        return Ok(Err(Refusal::NoSuchUser));
    };
    if user.role == Role::Admin
        && role != Role::Admin
        && !user.disabled
        && !other_active_admin(&users, name)
    {
        return Ok(Err(Refusal::LastAdmin));
    }
    let detail = Some(format!("{} -> {}", user.role.as_str(), role.as_str()));
    let change = vigie_store::UserChange {
        role: Some(role),
        ..Default::default()
    };
    match store.change_user(name, &change, &by.entry("user.role", name, detail)) {
        Ok(u) => Ok(Ok(u)),
        Err(e) => refused(e),
    }
}

/// What a token is made for: a user's role (its scopes, [`Role::scopes`]) or CI's push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Acts as a user of this role.
    Role(Role),
    /// May only push inventories and SBOMs (`ingest` is no role of a user).
    Ingest,
}

impl TokenKind {
    /// Every kind, in the order a form offers them.
    pub const ALL: [TokenKind; 4] = [
        TokenKind::Role(Role::Viewer),
        TokenKind::Role(Role::Triager),
        TokenKind::Role(Role::Admin),
        TokenKind::Ingest,
    ];

    /// `viewer`, `triager`, `admin` or `ingest`.
    pub fn parse(s: &str) -> Option<TokenKind> {
        if s == "ingest" {
            Some(TokenKind::Ingest)
        } else {
            Role::parse(s).map(TokenKind::Role)
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Role(r) => r.as_str(),
            TokenKind::Ingest => "ingest",
        }
    }

    /// The scopes of a token of this kind.
    pub fn scopes(self) -> Vec<TokenScope> {
        match self {
            TokenKind::Role(r) => r.scopes(),
            TokenKind::Ingest => vec![TokenScope::Ingest],
        }
    }

    /// The kind a token's scopes amount to: the most its scopes allow as a user, else
    /// ingest when it may push, else none (a metrics-only token).
    pub fn of(scopes: &[TokenScope]) -> Option<TokenKind> {
        if scopes.contains(&TokenScope::Admin) {
            Some(TokenKind::Role(Role::Admin))
        } else if scopes.contains(&TokenScope::Triage) {
            Some(TokenKind::Role(Role::Triager))
        } else if scopes.contains(&TokenScope::Read) {
            Some(TokenKind::Role(Role::Viewer))
        } else if scopes.contains(&TokenScope::Ingest) {
            Some(TokenKind::Ingest)
        } else {
            None
        }
    }
}

/// The longest life given to a token, in days (ten years).
pub const MAX_TOKEN_DAYS: u32 = 3650;

/// Every token, oldest first (the store never gives a secret; the hash is not serialised).
pub fn tokens(store: &dyn Store) -> anyhow::Result<Vec<TokenRecord>> {
    Ok(store.tokens()?)
}

/// Makes a token of `kind` named `name`, lasting `expires_days` (none: until revoked); the
/// whole token is in the answer only.
pub fn create_token(
    store: &mut dyn Store,
    by: &Actor,
    name: &str,
    kind: TokenKind,
    expires_days: Option<u32>,
) -> Outcome<CreatedToken> {
    if expires_days.is_some_and(|d| d == 0 || d > MAX_TOKEN_DAYS) {
        return Ok(Err(Refusal::Invalid(format!(
            "a token lasts 1 to {MAX_TOKEN_DAYS} days"
        ))));
    }
    let scopes = kind.scopes();
    let detail = format!(
        "{} (scopes {}){}",
        kind.as_str(),
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        expires_days
            .map(|d| format!(", {d} days"))
            .unwrap_or_default()
    );
    let req = TokenRequest {
        name: name.to_owned(),
        scopes,
        expires_days,
    };
    match crate::access::create_token(store, &req, &by.entry("token.create", "", Some(detail))) {
        Ok(made) => Ok(Ok(made)),
        Err(e) => match e.downcast::<vigie_store::Error>() {
            Ok(e) => refused(e),
            Err(e) => Err(e),
        },
    }
}

/// Revokes the live token with `prefix`.
pub fn revoke_token(store: &mut dyn Store, by: &Actor, prefix: &str) -> Outcome<()> {
    if store.revoke_token(prefix, &by.entry("token.revoke", prefix, None))? {
        Ok(Ok(()))
    } else {
        Ok(Err(Refusal::NoSuchToken))
    }
}

/// What of the audit log to read.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Only entries before this id (the keyset cursor), newest first.
    pub before: Option<i64>,
    /// Only entries by this actor (exact).
    pub actor: Option<String>,
    /// Only entries of this action (exact, or every action of a family when it ends in a
    /// dot: `user.`).
    pub action: Option<String>,
    /// At most this many.
    pub limit: usize,
}

/// A page of the audit log.
#[derive(Clone, Debug, Default)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditRecord>,
    /// The cursor of the next page (`before`), when more may follow.
    pub next: Option<i64>,
    /// How many entries the filters keep, over every page.
    pub total: u64,
}

/// Entries read from the store at a time while filtering.
const AUDIT_BATCH: usize = 500;
/// Entries a filtered page reads at most before it stops and hands its cursor on, so that
/// a filter matching nothing costs a bounded read.
const AUDIT_SCAN: usize = 20 * AUDIT_BATCH;

/// A page of the audit log, newest first, filtered by actor and action. The store reads by
/// id only: a filtered page reads batches until it has its entries or has read
/// [`AUDIT_SCAN`] entries; then `next` says where to go on (the page may be short, even
/// empty, with a `next`).
pub fn audit_log(store: &dyn Store, q: &AuditQuery) -> anyhow::Result<AuditPage> {
    let keep = |r: &AuditRecord| {
        q.actor.as_deref().is_none_or(|a| r.entry.actor == a)
            && q.action
                .as_deref()
                .is_none_or(|a| match a.strip_suffix('.') {
                    Some(family) => r
                        .entry
                        .action
                        .strip_prefix(family)
                        .is_some_and(|rest| rest.starts_with('.')),
                    None => r.entry.action == a,
                })
    };
    let limit = q.limit.max(1);
    let total = store.audit_count(q.actor.as_deref(), q.action.as_deref())?;
    if q.actor.is_none() && q.action.is_none() {
        let mut entries = store.audit_log(q.before, limit + 1)?;
        let next = (entries.len() > limit).then(|| {
            entries.truncate(limit);
            entries.last().map(|r| r.id)
        });
        return Ok(AuditPage {
            total,
            entries,
            next: next.flatten(),
        });
    }
    let mut entries = Vec::new();
    let mut before = q.before;
    let mut read = 0;
    loop {
        let batch = store.audit_log(before, AUDIT_BATCH)?;
        let exhausted = batch.len() < AUDIT_BATCH;
        for r in batch {
            read += 1;
            before = Some(r.id);
            if keep(&r) {
                entries.push(r);
                if entries.len() == limit {
                    // More may follow: the cursor is this entry.
                    return Ok(AuditPage {
                        total,
                        entries,
                        next: before,
                    });
                }
            }
        }
        if exhausted {
            return Ok(AuditPage {
                total,
                entries,
                next: None,
            });
        }
        if read >= AUDIT_SCAN {
            return Ok(AuditPage {
                total,
                entries,
                next: before,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Box<dyn Store> {
        vigie_store::open(&vigie_store::Location::Memory, vigie_store::Mode::ReadWrite).unwrap()
    }

    fn admin() -> Actor {
        Actor {
            name: "root".into(),
            ip: Some("192.0.2.1".into()),
        }
    }

    #[test]
    fn the_last_active_admin_stays_and_no_admin_disables_themselves() {
        let mut s = store();
        let by = admin();
        add_user(&mut *s, &by, "root", Some("a long password"), Role::Admin)
            .unwrap()
            .unwrap();
        assert_eq!(
            set_disabled(&mut *s, &by, "root", true).unwrap(),
            Err(Refusal::SelfDisable)
        );
        assert_eq!(
            set_role(&mut *s, &by, "root", Role::Viewer).unwrap(),
            Err(Refusal::LastAdmin)
        );
        let other = Actor {
            name: "someone".into(),
            ip: None,
        };
        assert_eq!(
            set_disabled(&mut *s, &other, "root", true).unwrap(),
            Err(Refusal::LastAdmin)
        );
        let made = add_user(&mut *s, &by, "second", None, Role::Admin)
            .unwrap()
            .unwrap();
        let password = made.generated.unwrap();
        assert_eq!(password.len(), 24);
        assert!(
            crate::access::check_password(&*s, "second", &password)
                .unwrap()
                .is_some()
        );
        // Now there are two: one may be demoted, then the other is the last.
        set_role(&mut *s, &by, "second", Role::Viewer)
            .unwrap()
            .unwrap();
        assert_eq!(
            set_role(&mut *s, &by, "root", Role::Triager).unwrap(),
            Err(Refusal::LastAdmin)
        );
        assert!(matches!(
            add_user(&mut *s, &by, "third", Some("short"), Role::Viewer).unwrap(),
            Err(Refusal::ShortPassword)
        ));
        assert!(matches!(
            add_user(&mut *s, &by, "second", None, Role::Viewer).unwrap(),
            Err(Refusal::Invalid(_))
        ));
        let log = audit_log(
            &*s,
            &AuditQuery {
                actor: Some("root".into()),
                action: Some("user.".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        let actions: Vec<&str> = log
            .entries
            .iter()
            .map(|r| r.entry.action.as_str())
            .collect();
        assert_eq!(actions, ["user.role", "user.create", "user.create"]);
        assert!(log.entries.iter().all(|r| r.entry.ip.is_some()));
    }

    #[test]
    fn tokens_by_kind_and_audit_pages() {
        let mut s = store();
        let by = admin();
        let made = create_token(&mut *s, &by, "ci", TokenKind::Ingest, Some(30))
            .unwrap()
            .unwrap();
        assert_eq!(made.record.scopes, vec![TokenScope::Ingest]);
        assert_eq!(TokenKind::of(&made.record.scopes), Some(TokenKind::Ingest));
        assert!(matches!(
            create_token(&mut *s, &by, "x", TokenKind::Ingest, Some(0)).unwrap(),
            Err(Refusal::Invalid(_))
        ));
        revoke_token(&mut *s, &by, &made.record.prefix)
            .unwrap()
            .unwrap();
        assert_eq!(
            revoke_token(&mut *s, &by, &made.record.prefix).unwrap(),
            Err(Refusal::NoSuchToken)
        );
        for kind in TokenKind::ALL {
            assert_eq!(TokenKind::parse(kind.as_str()), Some(kind));
            assert_eq!(TokenKind::of(&kind.scopes()), Some(kind));
        }
        // Pages of one: two entries, then none.
        let first = audit_log(
            &*s,
            &AuditQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(first.entries[0].entry.action, "token.revoke");
        let second = audit_log(
            &*s,
            &AuditQuery {
                before: first.next,
                limit: 1,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(second.entries[0].entry.action, "token.create");
        assert_eq!(second.next, None);
    }
}
