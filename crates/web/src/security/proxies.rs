//! The reverse proxies whose `X-Forwarded-For` is believed (`NOK_TRUSTED_PROXIES`): single addresses and
//! networks in CIDR notation, comma-separated. Empty by default: then the header is never read.

use ipnet::IpNet;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `ip` (an IPv4-mapped IPv6 address counts as its IPv4 address) is one of the proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// `"10.0.0.0/8, 192.168.1.10, ::1"`; blanks around entries and empty entries are ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| {
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(|ip| IpNet::from(ip.to_canonical())))
                    .map(|net| net.trunc())
                    .map_err(|_| format!("«{e}» is neither an IP address nor a network in CIDR notation"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list: Vec<String> = self.0.iter().map(IpNet::to_string).collect();
        f.write_str(&list.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::TrustedProxies;

    #[test]
    fn parses_addresses_and_networks() {
        let t: TrustedProxies = " 10.0.0.0/8, 192.168.1.10 ,, fd00::/8, ::1 ".parse().unwrap();
        assert_eq!(t.to_string(), "10.0.0.0/8,192.168.1.10/32,fd00::/8,::1/128");
        assert!(t.contains("10.1.2.3".parse().unwrap()));
        assert!(t.contains("::ffff:10.1.2.3".parse().unwrap()));
        assert!(t.contains("192.168.1.10".parse().unwrap()));
        assert!(!t.contains("192.168.1.11".parse().unwrap()));
        assert!(t.contains("fd12::1".parse().unwrap()));
        assert!(!t.contains("2001:db8::1".parse().unwrap()));
        assert!("".parse::<TrustedProxies>().unwrap().is_empty());
    }

    #[test]
    fn host_bits_in_a_network_are_dropped() {
        let t: TrustedProxies = "10.1.2.3/16".parse().unwrap();
        assert_eq!(t.to_string(), "10.1.0.0/16");
    }

    #[test]
    fn refuses_junk() {
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0", "*"] {
            assert!(bad.parse::<TrustedProxies>().is_err(), "{bad}");
        }
    }
}
