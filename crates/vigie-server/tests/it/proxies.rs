//! `server.trusted-proxies`: the login limit counts the client that a trusted proxy names in
//! `X-Forwarded-For`, and ignores the header from any other peer.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use vigie_app::config::Config;

use crate::common::{TestServer, ready};

/// A failed login from `peer`, with `forwarded` as `X-Forwarded-For`; its status. Each
/// attempt names another user, so only the address can be what the limit counts.
async fn attempt(s: &TestServer, peer: &str, forwarded: &str, n: usize) -> u16 {
    let mut req = s.login_request(&format!("nobody-{n}"), "wrong").await;
    let peer: SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    req.headers_mut()
        .insert("x-forwarded-for", forwarded.parse().unwrap());
    s.send(req).await.status().as_u16()
}

async fn server(trusted: &[&str]) -> TestServer {
    let mut settings = Config::default().server(None).unwrap();
    settings.trusted_proxies = trusted.iter().map(|t| t.parse().unwrap()).collect();
    ready(settings).await
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_limit_counts_each_forwarded_client() {
    let s = server(&["127.0.0.1/32", "10.0.0.0/8"]).await;
    let proxy = "127.0.0.1:40000";
    for n in 0..5 {
        // What the client wrote itself (left) changes; the address the proxies saw does not.
        let chain = format!("192.0.2.{n}, 198.51.100.7, 10.0.0.2");
        assert_eq!(attempt(&s, proxy, &chain, n).await, 401, "attempt {n}");
    }
    assert_eq!(attempt(&s, proxy, "198.51.100.7", 5).await, 429);
    assert_eq!(
        attempt(&s, proxy, "198.51.100.8", 6).await,
        401,
        "another client behind the same proxy"
    );
    // The audit log names the forwarded client.
    let log = s.store().audit_log(None, 100).unwrap();
    assert!(
        log.iter()
            .any(|r| r.entry.ip.as_deref() == Some("198.51.100.7")),
        "{log:?}"
    );
}

#[tokio::test]
async fn from_an_untrusted_peer_the_header_is_ignored() {
    let s = server(&["10.0.0.0/8"]).await;
    let peer = "203.0.113.9:40000";
    for n in 0..5 {
        let spoofed = format!("198.51.100.{n}");
        assert_eq!(attempt(&s, peer, &spoofed, n).await, 401, "attempt {n}");
    }
    assert_eq!(
        attempt(&s, peer, "198.51.100.200", 5).await,
        429,
        "a new X-Forwarded-For does not make a new client"
    );
    let log = s.store().audit_log(None, 100).unwrap();
    assert!(
        log.iter()
            .filter(|r| r.entry.action == "session.login-failed")
            .all(|r| r.entry.ip.as_deref() == Some("203.0.113.9")),
        "{log:?}"
    );
}
