//! `server.trusted-proxies`: the proxies whose `X-Forwarded-For` the server believes, as
//! address blocks (`10.0.0.0/8`, `::1/128`; a bare address is a block of one).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// A block of addresses: a network and the length of its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// True when `ip` is in the block. An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`,
    /// as a dual-stack socket gives it) is taken as the IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                (u32::from(n) ^ u32::from(a)) & mask == 0
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                (u128::from(n) ^ u128::from(a)) & mask == 0
            }
            _ => false,
        }
    }
}

impl FromStr for Cidr {
    type Err = String;

    /// `ADDRESS/PREFIX` or `ADDRESS`; the error says what is wrong.
    fn from_str(text: &str) -> Result<Cidr, String> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("{address:?} is not an IP address"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && !p.starts_with('+') => n,
                _ => return Err(format!("the prefix {p:?} is not a number from 0 to {max}")),
            },
        };
        Ok(Cidr { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::Cidr;

    fn ip(text: &str) -> std::net::IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn blocks_contain_their_addresses_only() {
        let ten: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(ten.contains(ip("10.255.0.1")));
        assert!(ten.contains(ip("::ffff:10.1.2.3")), "IPv4 mapped into IPv6");
        assert!(!ten.contains(ip("11.0.0.1")));
        assert!(!ten.contains(ip("::1")));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert_eq!(one.to_string(), "127.0.0.1/32");
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        let loopback6: Cidr = "::1".parse().unwrap();
        assert!(loopback6.contains(ip("::1")) && !loopback6.contains(ip("::2")));
        // Host bits past the prefix do not matter.
        assert!(
            "10.1.2.3/8"
                .parse::<Cidr>()
                .unwrap()
                .contains(ip("10.9.9.9"))
        );
    }

    #[test]
    fn a_bad_block_says_why() {
        for (text, why) in [
            ("10.0.0.0/33", "prefix \"33\""),
            ("::/129", "prefix \"129\""),
            ("10.0.0.0/", "prefix \"\""),
            ("10.0.0.0/+8", "prefix \"+8\""),
            ("10.0.0/8", "\"10.0.0\" is not an IP address"),
            ("localhost", "\"localhost\" is not an IP address"),
            ("", "\"\" is not an IP address"),
        ] {
            let e = text.parse::<Cidr>().unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
    }
}
