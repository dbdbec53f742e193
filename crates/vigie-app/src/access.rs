//! Who may use vigie: passwords (Argon2id), sessions, API tokens and the first admin, on the
//! store's [`vigie_store::Access`]. The store keeps hashes; the secrets are made and checked
//! here and handed to the front once (a cookie, a token printed or shown once).
//!
//! A token reads `vigie_<prefix>_<secret>`: the prefix (12 hex digits) finds its row, the
//! secret (64 hex digits, 256 bits) is checked against the SHA-256 kept there in constant
//! time. Session ids are 256 random bits, kept as their SHA-256.

use anyhow::{Context, bail};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use vigie_store::{
    AuditEntry, NewToken, NewUser, Role, SessionRecord, Store, TokenRecord, TokenScope, UserRecord,
};

/// The first admin's name.
pub const ADMIN: &str = "admin";

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> anyhow::Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex(&bytes))
}

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The hex SHA-256 of `secret`.
pub fn sha256_hex(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// True when `a` and `b` are equal, in a time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// The Argon2id PHC string of `password` (OWASP's parameters, a random salt).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
        .to_string())
}

/// True when `password` matches the PHC string `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of no password anyone knows, checked for unknown users so that an unknown name
/// and a bad password take the same time.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("vigie decoy password").unwrap_or_default())
}

/// The current time as the store keeps times (RFC 3339 UTC, seconds).
pub fn now() -> String {
    stamp(jiff::Timestamp::now())
}

/// `t` as the store keeps times.
pub fn stamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The user called `name` when `password` is theirs and they may log in. Unknown users,
/// users without a local password, disabled users and bad passwords give the same `None`
/// after the same work.
pub fn check_password(
    store: &dyn Store,
    name: &str,
    password: &str,
) -> anyhow::Result<Option<UserRecord>> {
    let user = store.user(name)?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.as_deref())
        .unwrap_or_else(|| decoy_hash());
    let matches = verify_password(hash, password);
    Ok(user.filter(|u| matches && u.password_hash.is_some() && !u.disabled))
}

/// A new session: its id (for the cookie only) and its record (for the store).
pub struct NewSession {
    /// The session id, 256 random bits in hex: the cookie's value, never stored.
    pub id: String,
    /// What the store keeps.
    pub record: SessionRecord,
}

/// Starts a session of `user` lasting `lifetime`, audited as `audit`.
pub fn start_session(
    store: &mut dyn Store,
    user: &UserRecord,
    lifetime: std::time::Duration,
    audit: &AuditEntry,
) -> anyhow::Result<NewSession> {
    let id = random_hex(32)?;
    let now = jiff::Timestamp::now();
    let lifetime = jiff::SignedDuration::try_from(lifetime).context("session lifetime")?;
    let record = SessionRecord {
        id_hash: sha256_hex(&id),
        user_id: user.id,
        csrf: random_hex(32)?,
        created_at: stamp(now),
        expires_at: stamp(now.checked_add(lifetime).context("session lifetime")?),
    };
    store.start_session(&record, audit)?;
    Ok(NewSession { id, record })
}

/// The live session whose id is `id`, with its user (expired sessions are deleted, disabled
/// users refused).
pub fn session(
    store: &dyn Store,
    id: &str,
    now: &str,
) -> anyhow::Result<Option<(SessionRecord, UserRecord)>> {
    Ok(store
        .session(&sha256_hex(id))?
        .filter(|(s, u)| s.expires_at.as_str() > now && !u.disabled))
}

/// What to make a token for.
pub struct TokenRequest {
    /// What it is for.
    pub name: String,
    /// What it may do.
    pub scopes: Vec<TokenScope>,
    /// Days it lasts (none: until revoked).
    pub expires_days: Option<u32>,
}

/// A token made: the whole token, to show once, and its record.
pub struct CreatedToken {
    /// `vigie_<prefix>_<secret>`: shown once, never stored.
    pub token: String,
    /// What the store keeps.
    pub record: TokenRecord,
}

/// Creates a token, audited as `audit` (whose `target` is replaced by the token's prefix).
pub fn create_token(
    store: &mut dyn Store,
    req: &TokenRequest,
    audit: &AuditEntry,
) -> anyhow::Result<CreatedToken> {
    let prefix = random_hex(6)?;
    let secret = random_hex(32)?;
    let now = jiff::Timestamp::now();
    let expires_at = match req.expires_days {
        None => None,
        Some(d) => Some(stamp(
            now.checked_add(jiff::SignedDuration::from_hours(24 * i64::from(d)))
                .context("token expiry")?,
        )),
    };
    let new = NewToken {
        prefix: prefix.clone(),
        hash: sha256_hex(&secret),
        name: req.name.clone(),
        scopes: req.scopes.clone(),
        created_by: audit.actor.clone(),
        created_at: stamp(now),
        expires_at,
    };
    let audit = AuditEntry {
        target: prefix.clone(),
        ..audit.clone()
    };
    let record = store.create_token(&new, &audit)?;
    Ok(CreatedToken {
        token: format!("vigie_{prefix}_{secret}"),
        record,
    })
}

/// The live token that `presented` is, if any (unknown, malformed, expired and revoked
/// tokens are all `None`).
pub fn check_token(
    store: &dyn Store,
    presented: &str,
    now: &str,
) -> anyhow::Result<Option<TokenRecord>> {
    let Some((prefix, secret)) = presented
        .strip_prefix("vigie_")
        .and_then(|rest| rest.split_once('_'))
    else {
        return Ok(None);
    };
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(None);
    }
    let hash = sha256_hex(secret);
    let Some(token) = store
        .token(prefix)?
        .filter(|t| same(&t.hash, &hash) && t.live_at(now))
    else {
        return Ok(None);
    };
    // A token made by a user who is now disabled is refused with the user's sessions.
    if store.user(&token.created_by)?.is_some_and(|u| u.disabled) {
        return Ok(None);
    }
    Ok(Some(token))
}

/// The first admin, when the store has no user yet: with `password` when given, else a
/// random one, which is returned (for the front to show once) along with the user.
pub fn ensure_admin(
    store: &mut dyn Store,
    password: Option<&str>,
) -> anyhow::Result<Option<(UserRecord, Option<String>)>> {
    if !store.users()?.is_empty() {
        return Ok(None);
    }
    let (password, generated) = match password {
        Some(p) if p.chars().count() >= 12 => (p.to_owned(), false),
        Some(_) => bail!("VIGIE_ADMIN_PASSWORD: at least 12 characters"),
        None => (random_hex(12)?, true),
    };
    let now = now();
    let user = store.create_user(
        &NewUser {
            name: ADMIN.into(),
            password_hash: Some(hash_password(&password)?),
            role: Role::Admin,
            identity: None,
            created_at: now.clone(),
        },
        &AuditEntry {
            at: now,
            actor: "system".into(),
            action: "user.create".into(),
            target: ADMIN.into(),
            ip: None,
            detail: Some("first start".into()),
        },
    )?;
    Ok(Some((user, generated.then_some(password))))
}

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// Adds a local user with `password` (at least [`MIN_PASSWORD`] characters), audited as
/// `audit` (whose target becomes the user's name).
pub fn add_user(
    store: &mut dyn Store,
    name: &str,
    password: &str,
    role: Role,
    audit: &AuditEntry,
) -> anyhow::Result<UserRecord> {
    if password.chars().count() < MIN_PASSWORD {
        bail!("a password has at least {MIN_PASSWORD} characters");
    }
    let user = store.create_user(
        &NewUser {
            name: name.to_owned(),
            password_hash: Some(hash_password(password)?),
            role,
            identity: None,
            created_at: audit.at.clone(),
        },
        &AuditEntry {
            target: name.to_owned(),
            detail: Some(format!("role {}", role.as_str())),
            ..audit.clone()
        },
    )?;
    Ok(user)
}

/// Who a provider says is logging in, already verified (ID token signature, issuer,
/// audience, nonce) by the front.
pub struct ExternalLogin<'a> {
    /// Issuer and subject.
    pub identity: vigie_store::ExternalIdentity,
    /// The name the provider suggests (preferred user name, else e-mail), if any.
    pub preferred_name: Option<&'a str>,
    /// The role its groups map to; `None`: no mapped group and no default role.
    pub role: Option<Role>,
    /// The provider's name, for the audit log.
    pub provider: &'a str,
    /// From which address.
    pub ip: Option<String>,
}

/// Why an external login is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// None of the user's groups is mapped, and there is no default role.
    NoRole,
    /// The user is disabled.
    Disabled,
}

/// The user an external identity logs in as: found by (issuer, subject), or created on its
/// first login (named after `preferred_name`, made unique), its role set from its groups at
/// every login. Each write is audited; a refusal is audited as `session.login-failed`.
pub fn external_user(
    store: &mut dyn Store,
    login: &ExternalLogin<'_>,
) -> anyhow::Result<Result<UserRecord, Refusal>> {
    let at = now();
    let entry = |actor: &str, action: &str, target: &str, detail: String| AuditEntry {
        at: at.clone(),
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        ip: login.ip.clone(),
        detail: Some(detail),
    };
    let found = store.user_by_identity(&login.identity)?;
    let shown = found
        .as_ref()
        .map_or(login.identity.subject.as_str(), |u| u.name.as_str())
        .to_owned();
    let refuse = |store: &mut dyn Store, why: Refusal, text: &str| -> anyhow::Result<_> {
        store.append_audit(&entry(
            &shown,
            "session.login-failed",
            &shown,
            format!("{}: {text}", login.provider),
        ))?;
        Ok(Err(why))
    };
    if found.as_ref().is_some_and(|u| u.disabled) {
        return refuse(store, Refusal::Disabled, "user disabled");
    }
    let Some(role) = login.role else {
        return refuse(store, Refusal::NoRole, "no group mapped to a role");
    };
    let user = match found {
        Some(u) if u.role == role => u,
        Some(u) => store.change_user(
            &u.name,
            &vigie_store::UserChange {
                role: Some(role),
                ..Default::default()
            },
            &entry(
                &u.name,
                "user.role",
                &u.name,
                format!(
                    "{} -> {} (groups at {})",
                    u.role.as_str(),
                    role.as_str(),
                    login.provider
                ),
            ),
        )?,
        None => {
            let name = free_name(&*store, login)?;
            store.create_user(
                &NewUser {
                    name: name.clone(),
                    password_hash: None,
                    role,
                    identity: Some(login.identity.clone()),
                    created_at: at.clone(),
                },
                &entry(
                    &name,
                    "user.create",
                    &name,
                    format!(
                        "first login through {}, role {}",
                        login.provider,
                        role.as_str()
                    ),
                ),
            )?
        }
    };
    Ok(Ok(user))
}

/// A user name not yet taken for a new external user: the provider's suggestion when it
/// is an acceptable name, else (or when taken) made unique with a digest of the identity.
fn free_name(store: &dyn Store, login: &ExternalLogin<'_>) -> anyhow::Result<String> {
    let digest = sha256_hex(&format!(
        "{}\n{}",
        login.identity.issuer, login.identity.subject
    ));
    let suggested = login
        .preferred_name
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.chars().any(char::is_control))
        .map(|n| n.chars().take(48).collect::<String>());
    let candidates = match suggested {
        Some(n) => vec![
            n.clone(),
            format!("{n}-{}", &digest[..8]),
            format!("{n}-{}", &digest[..16]),
        ],
        None => vec![format!("oidc-{}", &digest[..12])],
    };
    for name in candidates {
        if store.user(&name)?.is_none() {
            return Ok(name);
        }
    }
    bail!("no free user name for {}", login.identity.subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "correct horsf"));
        assert!(!verify_password("not a hash", "correct horse"));
    }

    #[test]
    fn a_token_is_checked_by_prefix_and_hash() {
        let mut store =
            vigie_store::open(&vigie_store::Location::Memory, vigie_store::Mode::ReadWrite)
                .unwrap();
        let audit = AuditEntry {
            at: now(),
            actor: "cli".into(),
            action: "token.create".into(),
            target: String::new(),
            ip: None,
            detail: None,
        };
        let made = create_token(
            &mut *store,
            &TokenRequest {
                name: "ci".into(),
                scopes: vec![TokenScope::Ingest],
                expires_days: Some(1),
            },
            &audit,
        )
        .unwrap();
        assert!(
            made.token
                .starts_with(&format!("vigie_{}_", made.record.prefix))
        );
        assert_eq!(made.token.len(), "vigie_".len() + 12 + 1 + 64);
        let now = now();
        assert!(check_token(&*store, &made.token, &now).unwrap().is_some());
        let mut wrong = made.token.clone();
        wrong.pop();
        wrong.push('x');
        for bad in [wrong.as_str(), "vigie__x", "nope", "vigie_zz_zz", ""] {
            assert!(check_token(&*store, bad, &now).unwrap().is_none(), "{bad}");
        }
        // A day and a second later it has expired.
        let later = stamp(jiff::Timestamp::now() + jiff::SignedDuration::from_secs(86_401));
        assert!(check_token(&*store, &made.token, &later).unwrap().is_none());
    }
}
