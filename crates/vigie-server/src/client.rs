//! The client's address, which the login limit, the logs and the audit log use: the peer's,
//! or, when the peer is one of `server.trusted-proxies`, the rightmost address of
//! `X-Forwarded-For` that is not itself a trusted proxy. A header from any other peer is
//! ignored, so a client cannot choose the address it is counted under.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use vigie_app::config::Cidr;

use crate::state::AppState;

/// The client's address, put in the request's extensions by [`resolve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client of a connection from `peer` with these `headers`. Each proxy appends the
/// address it was reached from, so the list is read from the right: the addresses of trusted
/// proxies are passed over, and the first other one is the client. An entry that is not an
/// address ends the reading there (what stands left of it cannot be vouched for): the client
/// is then the last trusted proxy read.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    // Several headers are one list, in order.
    let values: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .collect();
    let mut client = peer;
    for entry in values.iter().rev().flat_map(|v| v.rsplit(',')) {
        let Some(ip) = forwarded_ip(entry.trim()) else {
            break;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// An address of `X-Forwarded-For`: bare, or with a port (`1.2.3.4:5678`, `[::1]:5678`).
fn forwarded_ip(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|a| a.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The layer that finds the client's address once per request (from axum's
/// `ConnectInfo<SocketAddr>`; none in tests that send no connection).
pub(crate) async fn resolve(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let trusted = &state.config().settings.trusted_proxies;
        let client = client_addr(peer.ip(), req.headers(), trusted);
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn client(peer: &str, forwarded: &[&str], trusted: &[&str]) -> IpAddr {
        let mut headers = HeaderMap::new();
        for f in forwarded {
            headers.append("x-forwarded-for", f.parse().unwrap());
        }
        let trusted: Vec<Cidr> = trusted.iter().map(|t| t.parse().unwrap()).collect();
        client_addr(ip(peer), &headers, &trusted)
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        assert_eq!(client("203.0.113.5", &["1.2.3.4"], &[]), ip("203.0.113.5"));
        assert_eq!(
            client("203.0.113.5", &["1.2.3.4"], &["10.0.0.0/8"]),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() {
        let trusted = ["127.0.0.1/32", "10.0.0.0/8"];
        assert_eq!(
            client("127.0.0.1", &["198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        // What the client wrote itself stands left of what the proxy appended.
        assert_eq!(
            client("127.0.0.1", &["6.6.6.6, 198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        // Through two proxies (an edge one at 10.1.2.3, then the local one), in one header
        // or two.
        for forwarded in [
            &["6.6.6.6, 198.51.100.7, 10.1.2.3"][..],
            &["6.6.6.6, 198.51.100.7", "10.1.2.3"],
        ] {
            assert_eq!(client("127.0.0.1", forwarded, &trusted), ip("198.51.100.7"));
        }
        // A dual-stack socket's mapped address is the IPv4 one.
        assert_eq!(
            client("::ffff:127.0.0.1", &["198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        // Ports and IPv6 are read.
        assert_eq!(
            client("127.0.0.1", &["198.51.100.7:4711"], &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client("127.0.0.1", &["[2001:db8::1]:443"], &trusted),
            ip("2001:db8::1")
        );
        // Without the header, or with only proxies in it, the farthest proxy read.
        assert_eq!(client("127.0.0.1", &[], &trusted), ip("127.0.0.1"));
        assert_eq!(client("127.0.0.1", &["10.9.9.9"], &trusted), ip("10.9.9.9"));
    }

    #[test]
    fn a_malformed_entry_ends_the_reading() {
        let trusted = ["127.0.0.1/32", "10.0.0.0/8"];
        for bad in [
            "unknown",
            "",
            "1.2.3",
            "1.2.3.4.5",
            "_hidden",
            "198.51.100.7 x",
        ] {
            assert_eq!(
                client("127.0.0.1", &[bad], &trusted),
                ip("127.0.0.1"),
                "{bad:?}"
            );
            // Left of a good address, it is never reached.
            assert_eq!(
                client("127.0.0.1", &[&format!("{bad}, 198.51.100.7")], &trusted),
                ip("198.51.100.7"),
                "{bad:?}"
            );
            // Right of the client, it hides it: the proxy that wrote it is the client.
            assert_eq!(
                client(
                    "127.0.0.1",
                    &[&format!("198.51.100.7, {bad}, 10.1.2.3")],
                    &trusted
                ),
                ip("10.1.2.3"),
                "{bad:?}"
            );
        }
    }
}
