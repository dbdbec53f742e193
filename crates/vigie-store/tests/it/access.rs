//! Users, sessions, tokens and the audit log: every write audited in its own transaction,
//! validation, expiry compared by the caller's clock, and a reader's refreshed view.

use vigie_store::{
    AuditEntry, Error, ExternalIdentity, JobClaim, Mode, NewToken, NewUser, Role, SessionRecord,
    TokenScope, UserChange,
};

use crate::common::{Backend, TestStore};

fn audit(action: &str, target: &str) -> AuditEntry {
    AuditEntry {
        at: "2026-01-02T03:04:05Z".into(),
        actor: "cli".into(),
        action: action.into(),
        target: target.into(),
        ip: Some("127.0.0.1".into()),
        detail: None,
    }
}

fn user(name: &str, role: Role) -> NewUser {
    NewUser {
        name: name.into(),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        role,
        identity: None,
        created_at: "2026-01-01T00:00:00Z".into(),
    }
}

fn token(prefix: &str, scopes: Vec<TokenScope>, expires: Option<&str>) -> NewToken {
    NewToken {
        prefix: prefix.into(),
        hash: "ab".repeat(32),
        name: "ci".into(),
        scopes,
        created_by: "admin".into(),
        created_at: "2026-01-01T00:00:00Z".into(),
        expires_at: expires.map(str::to_owned),
    }
}

fn actions(s: &dyn vigie_store::Store) -> Vec<String> {
    let mut log = s.audit_log(None, 100).unwrap();
    log.reverse();
    log.into_iter().map(|r| r.entry.action).collect()
}

pub(crate) fn every_write_is_audited(b: &Backend) {
    let mut s = b.fresh();
    let alice = s
        .create_user(&user("alice", Role::Viewer), &audit("user.create", "alice"))
        .unwrap();
    assert_eq!(alice.role, Role::Viewer);
    assert!(!alice.disabled);
    let session = SessionRecord {
        id_hash: "h1".into(),
        user_id: alice.id,
        csrf: "c1".into(),
        created_at: "2026-01-02T03:04:05Z".into(),
        expires_at: "2026-01-02T11:04:05Z".into(),
    };
    s.start_session(&session, &audit("session.login", "alice"))
        .unwrap();
    let (found, who) = s.session("h1").unwrap().unwrap();
    assert_eq!(found, session);
    assert_eq!(who.name, "alice");
    assert_eq!(who.last_login.as_deref(), Some("2026-01-02T03:04:05Z"));
    assert!(
        s.end_session("h1", Some(&audit("session.logout", "alice")))
            .unwrap()
    );
    assert!(s.session("h1").unwrap().is_none());
    // Ending a session that is gone writes nothing.
    assert!(
        !s.end_session("h1", Some(&audit("session.logout", "alice")))
            .unwrap()
    );
    s.create_token(
        &token("abc123", vec![TokenScope::Read], None),
        &audit("token.create", "abc123"),
    )
    .unwrap();
    assert!(
        s.revoke_token("abc123", &audit("token.revoke", "abc123"))
            .unwrap()
    );
    assert!(
        !s.revoke_token("abc123", &audit("token.revoke", "abc123"))
            .unwrap()
    );
    s.change_user(
        "alice",
        &UserChange {
            role: Some(Role::Triager),
            ..UserChange::default()
        },
        &audit("user.change", "alice"),
    )
    .unwrap();
    assert_eq!(s.user("alice").unwrap().unwrap().role, Role::Triager);
    assert_eq!(
        actions(&*s.store),
        [
            "user.create",
            "session.login",
            "session.logout",
            "token.create",
            "token.revoke",
            "user.change"
        ]
    );
    let newest = s.audit_log(None, 1).unwrap();
    assert_eq!(newest.len(), 1);
    let before = s.audit_log(Some(newest[0].id), 100).unwrap();
    assert_eq!(before.len(), 5);
    assert_eq!(before[0].entry.ip.as_deref(), Some("127.0.0.1"));
}

pub(crate) fn a_refused_write_leaves_no_entry(b: &Backend) {
    let mut s = b.fresh();
    s.create_user(&user("bob", Role::Admin), &audit("user.create", "bob"))
        .unwrap();
    for name in ["bob", "", " bob", "a\nb", &"x".repeat(65)] {
        let e = s
            .create_user(&user(name, Role::Viewer), &audit("user.create", name))
            .unwrap_err();
        assert!(matches!(e, Error::Invalid(_)), "{name:?}: {e}");
    }
    let e = s
        .create_token(&token("p1", vec![], None), &audit("token.create", "p1"))
        .unwrap_err();
    assert!(matches!(e, Error::Invalid(_)));
    let e = s
        .create_token(
            &token("no_under", vec![TokenScope::Read], None),
            &audit("token.create", "x"),
        )
        .unwrap_err();
    assert!(matches!(e, Error::Invalid(_)));
    assert_eq!(actions(&*s.store), ["user.create"]);
}

pub(crate) fn disabling_a_user_ends_its_sessions(b: &Backend) {
    let mut s = b.fresh();
    let carol = s
        .create_user(
            &user("carol", Role::Triager),
            &audit("user.create", "carol"),
        )
        .unwrap();
    for (h, exp) in [
        ("old", "2026-01-01T00:00:00Z"),
        ("new", "2026-12-01T00:00:00Z"),
    ] {
        let session = SessionRecord {
            id_hash: h.into(),
            user_id: carol.id,
            csrf: "c".into(),
            created_at: "2025-12-31T00:00:00Z".into(),
            expires_at: exp.into(),
        };
        s.start_session(&session, &audit("session.login", "carol"))
            .unwrap();
    }
    assert_eq!(s.purge_sessions("2026-06-01T00:00:00Z").unwrap(), 1);
    assert!(s.session("old").unwrap().is_none());
    assert!(s.session("new").unwrap().is_some());
    let changed = s
        .change_user(
            "carol",
            &UserChange {
                disabled: Some(true),
                ..UserChange::default()
            },
            &audit("user.disable", "carol"),
        )
        .unwrap();
    assert!(changed.disabled);
    assert!(s.session("new").unwrap().is_none());
    assert!(matches!(
        s.change_user("nobody", &UserChange::default(), &audit("user.change", "x")),
        Err(Error::Invalid(_))
    ));
}

pub(crate) fn tokens_keep_scopes_expiry_and_last_use(b: &Backend) {
    let mut s = b.fresh();
    let t = s
        .create_token(
            &token(
                "k9",
                vec![TokenScope::Read, TokenScope::Ingest],
                Some("2026-02-01T00:00:00Z"),
            ),
            &audit("token.create", "k9"),
        )
        .unwrap();
    assert!(t.allows(TokenScope::Ingest) && !t.allows(TokenScope::Admin));
    assert!(t.live_at("2026-01-31T23:59:59Z"));
    assert!(!t.live_at("2026-02-01T00:00:00Z"));
    s.token_used(t.id, "2026-01-05T00:00:00Z").unwrap();
    let again = s.token("k9").unwrap().unwrap();
    assert_eq!(again.last_used.as_deref(), Some("2026-01-05T00:00:00Z"));
    assert_eq!(again.hash, "ab".repeat(32));
    s.revoke_token("k9", &audit("token.revoke", "k9")).unwrap();
    let revoked = s.token("k9").unwrap().unwrap();
    assert!(!revoked.live_at("2026-01-03T00:00:00Z"));
    assert_eq!(s.tokens().unwrap().len(), 1);
    assert!(s.token("zz").unwrap().is_none());
}

pub(crate) fn an_external_identity_finds_its_user(b: &Backend) {
    let mut s = b.fresh();
    let identity = ExternalIdentity {
        issuer: "https://id.example".into(),
        subject: "42".into(),
    };
    let mut u = user("dana", Role::Viewer);
    u.password_hash = None;
    u.identity = Some(identity.clone());
    s.create_user(&u, &audit("user.create", "dana")).unwrap();
    let found = s.user_by_identity(&identity).unwrap().unwrap();
    assert_eq!(found.name, "dana");
    assert_eq!(found.password_hash, None);
    assert_eq!(s.users().unwrap().len(), 1);
}

/// A reader opened before a write sees it once refreshed (a server's pooled handles).
pub(crate) fn a_refreshed_reader_sees_new_writes(b: &Backend) {
    let mut s = b.fresh();
    let mut reader = s.reopen(Mode::ReadOnly).unwrap();
    assert!(reader.user("erin").unwrap().is_none());
    s.create_user(&user("erin", Role::Viewer), &audit("user.create", "erin"))
        .unwrap();
    reader.refresh().unwrap();
    assert!(reader.user("erin").unwrap().is_some());
    // And a reader cannot write.
    assert!(
        reader
            .create_user(&user("fay", Role::Viewer), &audit("user.create", "fay"))
            .is_err()
    );
}

on_backends! {
    any: [
        a_scheduled_job_is_run_by_one_holder_at_a_time,
        every_write_is_audited,
        a_refused_write_leaves_no_entry,
        disabling_a_user_ends_its_sessions,
        tokens_keep_scopes_expiry_and_last_use,
        an_external_identity_finds_its_user,
    ],
    persistent: [
        a_refreshed_reader_sees_new_writes,
    ],
}

/// Scheduled jobs: one holder at a time, due again when finished, taken over when a
/// holder's lease ends (a server killed in the middle of its job).
pub(crate) fn a_scheduled_job_is_run_by_one_holder_at_a_time(b: &Backend) {
    let mut s = b.fresh();
    let t = |m: u32| format!("2026-12-08T10:{m:02}:00Z");
    let claim = |s: &mut TestStore, name: &str, holder: &str, now: u32, until: u32| {
        let (now, until) = (t(now), t(until));
        s.claim_job(&JobClaim {
            name,
            holder,
            now: &now,
            lease_until: &until,
            first_due: &now,
        })
        .unwrap()
    };
    // Never seen: due at once, to the first who asks.
    assert!(claim(&mut s, "sync", "server-a", 0, 30));
    assert!(!claim(&mut s, "sync", "server-b", 1, 31));
    // Another job is independent.
    assert!(claim(&mut s, "reaudit", "server-b", 1, 31));
    // Finished: nobody runs it again before it is due.
    assert!(s.finish_job("sync", "server-a", &t(10)).unwrap());
    assert!(!claim(&mut s, "sync", "server-b", 5, 35));
    assert!(claim(&mut s, "sync", "server-b", 10, 40));
    // server-b dies holding it: once the lease is over, server-a takes it.
    assert!(!claim(&mut s, "sync", "server-a", 40, 50));
    assert!(claim(&mut s, "sync", "server-a", 41, 51));
    // The dead holder's late finish changes nothing.
    assert!(!s.finish_job("sync", "server-b", &t(45)).unwrap());
    assert!(!claim(&mut s, "sync", "server-b", 42, 52));
}
