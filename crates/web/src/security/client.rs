//! The client's address, only ever used hashed.
//!
//! Normally the peer address of the connection. Behind a reverse proxy listed in `NOK_TRUSTED_PROXIES`
//! (see [`super::proxies`]) it is the right-most entry of `X-Forwarded-For` that is not itself a trusted
//! proxy: everything to the left of it was written by the client and is ignored. From any other peer the
//! header is ignored, and a malformed header counts for nothing (the peer address is used).

use super::proxies::TrustedProxies;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The client address (`unknown` when served without connection info, as in tests).
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let ip = client_addr(peer, &parts.headers, &state.config.trusted_proxies);
        Ok(ClientIp(ip.map_or_else(|| "unknown".into(), |ip| ip.to_string())))
    }
}

/// The client address of a request from `peer` with these headers.
pub fn client_addr(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &TrustedProxies) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    if !trusted.contains(peer) {
        return Some(peer);
    }
    Some(forwarded_client(headers, trusted).unwrap_or(peer))
}

/// Walks `X-Forwarded-For` (all its header lines, in order) from the right, past the trusted proxies:
/// the first other address is the client. `None` when the header is missing or an entry read before the
/// client's is malformed. When every entry is a trusted proxy, the left-most one is the client.
fn forwarded_client(headers: &HeaderMap, trusted: &TrustedProxies) -> Option<IpAddr> {
    let mut entries = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        entries.extend(value.to_str().ok()?.split(','));
    }
    let mut last = None;
    for entry in entries.into_iter().rev() {
        let ip = parse_entry(entry)?;
        if !trusted.contains(ip) {
            return Some(ip);
        }
        last = Some(ip);
    }
    last
}

/// `203.0.113.7`, `2001:db8::1`, or either with a port (`203.0.113.7:41000`, `[2001:db8::1]:41000`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let ip = entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::{TrustedProxies, client_addr};
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    const PROXY: &str = "10.0.0.5";

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(xff: &[&[u8]]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_bytes(v).unwrap());
        }
        h
    }

    fn resolve(trusted: &str, peer: &str, xff: &[&[u8]]) -> IpAddr {
        let trusted: TrustedProxies = trusted.parse().unwrap();
        client_addr(Some(ip(peer)), &headers(xff), &trusted).unwrap()
    }

    #[test]
    fn no_proxy_configured_ignores_the_header() {
        assert_eq!(resolve("", PROXY, &[b"203.0.113.7"]), ip(PROXY));
        assert_eq!(resolve("", "198.51.100.1", &[b"203.0.113.7, 10.0.0.5"]), ip("198.51.100.1"));
    }

    #[test]
    fn untrusted_peer_ignores_the_header() {
        assert_eq!(resolve("10.0.0.0/24", "198.51.100.1", &[b"203.0.113.7"]), ip("198.51.100.1"));
    }

    #[test]
    fn trusted_peer_gives_the_rightmost_untrusted_entry() {
        assert_eq!(resolve("10.0.0.0/24", PROXY, &[b"203.0.113.7"]), ip("203.0.113.7"));
        // A chain of trusted proxies (a CDN node in front of the local balancer) is walked past.
        assert_eq!(resolve("10.0.0.0/24, 192.0.2.0/28", PROXY, &[b"203.0.113.7, 192.0.2.3"]), ip("203.0.113.7"));
        // Several header lines are one list, in order.
        assert_eq!(resolve("10.0.0.0/24", PROXY, &[b"198.51.100.9", b"203.0.113.7, 10.0.0.2"]), ip("203.0.113.7"));
        // Ports and IPv6, IPv4-mapped peers.
        assert_eq!(resolve(PROXY, PROXY, &[b"[2001:db8::7]:41000"]), ip("2001:db8::7"));
        assert_eq!(resolve(PROXY, "::ffff:10.0.0.5", &[b"203.0.113.7:41000"]), ip("203.0.113.7"));
        // Only proxies in the list: the left-most is the client.
        assert_eq!(resolve("10.0.0.0/24", PROXY, &[b"10.0.0.9, 10.0.0.2"]), ip("10.0.0.9"));
    }

    #[test]
    fn spoofed_left_entries_are_ignored() {
        // The client wrote «1.2.3.4, 10.0.0.9» itself; the proxy appended the real address.
        let xff: &[&[u8]] = &[b"1.2.3.4, 10.0.0.9, 203.0.113.7"];
        assert_eq!(resolve("10.0.0.0/24", PROXY, xff), ip("203.0.113.7"));
        assert_eq!(resolve("10.0.0.0/24", PROXY, &[b"junk, <script>, 203.0.113.7"]), ip("203.0.113.7"));
    }

    #[test]
    fn malformed_header_gives_the_peer_address() {
        let trusted = "10.0.0.0/24";
        for xff in [&b"not-an-ip"[..], b"203.0.113.7, unknown", b"203.0.113.7,,", b"", b" , ", b"\xff\xfe"] {
            assert_eq!(resolve(trusted, PROXY, &[xff]), ip(PROXY), "{xff:?}");
        }
        assert_eq!(resolve(trusted, PROXY, &[]), ip(PROXY));
    }

    #[test]
    fn no_connection_info_is_unknown() {
        assert_eq!(client_addr(None, &headers(&[b"203.0.113.7"]), &TrustedProxies::default()), None);
    }
}
