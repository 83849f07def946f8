//! Which network addresses a webhook may be sent to.
//!
//! A webhook makes this server POST wherever an admin says. Unchecked, an
//! admin account (or whoever has taken one over) could aim it at the server
//! itself, at services on its private network, or at the cloud metadata
//! service on 169.254.169.254, and read the answers in the delivery log.
//! This is the one rule: registration checks every address a webhook's host
//! leads to, and every delivery checks again, connecting only to addresses
//! that passed (see `service::webhook_target`).
//!
//! Refused unless QANDA_WEBHOOK_ALLOW_PRIVATE is on (internal receivers):
//! - loopback: 127.0.0.0/8, ::1
//! - private: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16
//! - shared (carrier-grade NAT, also used inside some clouds): 100.64.0.0/10
//! - link-local, where metadata services live: 169.254.0.0/16, fe80::/10
//! - unique-local and the old site-local: fc00::/7, fec0::/10
//! - set aside for protocols, benchmarks and documentation: 192.0.0.0/24,
//!   192.0.2.0/24, 198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24,
//!   2001::/23 (Teredo and other protocol assignments), 2001:db8::/32,
//!   64:ff9b:1::/48 (local-use NAT64)
//!
//! Refused whatever the setting, since no receiver can be there:
//! - unspecified, "this network": 0.0.0.0/8, :: (connecting to 0.0.0.0
//!   reaches this machine on Linux)
//! - multicast: 224.0.0.0/4, ff00::/8
//! - reserved and broadcast: 240.0.0.0/4 (255.255.255.255 included),
//!   100::/64 (discard-only), and IPv6 outside 2000::/3 not named above
//!
//! IPv6 addresses that carry an IPv4 address are judged by that address:
//! IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d),
//! IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4
//! (2002:AABB:CCDD::). Everything else, the public internet, is allowed.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What kind of address that is not on the public internet an address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    Loopback,
    Private,
    SharedCarrier,
    LinkLocal,
    UniqueLocal,
    SpecialPurpose,
    Unspecified,
    Multicast,
    Reserved,
}

impl AddressKind {
    /// Whether QANDA_WEBHOOK_ALLOW_PRIVATE lets webhooks reach it: internal
    /// networks can hold receivers; unspecified, multicast and reserved
    /// addresses cannot.
    pub fn is_internal(self) -> bool {
        !matches!(
            self,
            AddressKind::Unspecified | AddressKind::Multicast | AddressKind::Reserved
        )
    }

    /// For messages: "127.0.0.1 is {this}".
    pub fn describe(self) -> &'static str {
        match self {
            AddressKind::Loopback => "a loopback address (this server itself)",
            AddressKind::Private => "a private network address",
            AddressKind::SharedCarrier => "a shared (carrier-grade NAT) address, not a public one",
            AddressKind::LinkLocal => {
                "a link-local address (the local network segment, where cloud metadata services answer)"
            }
            AddressKind::UniqueLocal => "a private (unique-local) IPv6 address",
            AddressKind::SpecialPurpose => {
                "an address set aside for documentation, benchmarks or network protocols"
            }
            AddressKind::Unspecified => "an unspecified (\"this host\") address",
            AddressKind::Multicast => "a multicast address",
            AddressKind::Reserved => "a reserved or broadcast address",
        }
    }
}

/// What kind of non-public address `ip` is; `None` for a public one.
pub fn classify(ip: IpAddr) -> Option<AddressKind> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<AddressKind> {
    let [a, b, c, _] = ip.octets();
    let kind = match (a, b, c) {
        (0, _, _) => AddressKind::Unspecified,
        (10, _, _) => AddressKind::Private,
        (100, 64..=127, _) => AddressKind::SharedCarrier,
        (127, _, _) => AddressKind::Loopback,
        (169, 254, _) => AddressKind::LinkLocal,
        (172, 16..=31, _) => AddressKind::Private,
        (192, 0, 0) | (192, 0, 2) | (198, 18..=19, _) | (198, 51, 100) | (203, 0, 113) => {
            AddressKind::SpecialPurpose
        }
        (192, 168, _) => AddressKind::Private,
        (224..=239, _, _) => AddressKind::Multicast,
        (240..=255, _, _) => AddressKind::Reserved,
        _ => return None,
    };
    Some(kind)
}

fn classify_v6(ip: Ipv6Addr) -> Option<AddressKind> {
    let s = ip.segments();
    if ip.is_unspecified() {
        return Some(AddressKind::Unspecified);
    }
    if ip.is_loopback() {
        return Some(AddressKind::Loopback);
    }
    if let Some(v4) = embedded_v4(ip) {
        return classify_v4(v4);
    }
    let kind = match s[0] {
        0x0064 if s[1] == 0xff9b && s[2] == 0x0001 => AddressKind::SpecialPurpose,
        0x2001 if s[1] < 0x0200 || s[1] == 0x0db8 => AddressKind::SpecialPurpose,
        0xfc00..=0xfdff => AddressKind::UniqueLocal,
        0xfe80..=0xfebf => AddressKind::LinkLocal,
        0xfec0..=0xfeff => AddressKind::UniqueLocal,
        0xff00..=0xffff => AddressKind::Multicast,
        0x2000..=0x3fff => return None,
        _ => AddressKind::Reserved,
    };
    Some(kind)
}

/// The IPv4 address an IPv6 address stands for, where it stands for one.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        // Mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, compatible ::a.b.c.d.
        [0, 0, 0, 0, 0, 0xffff, _, _]
        | [0, 0, 0, 0, 0xffff, 0, _, _]
        | [0, 0, 0, 0, 0, 0, _, _] => Some(low),
        // The well-known NAT64 prefix: a translator sends it to a.b.c.d.
        [0x0064, 0xff9b, 0, 0, 0, 0, _, _] => Some(low),
        // 6to4: 2002:AABB:CCDD::/48 is relayed to AA.BB.CC.DD.
        [0x2002, high, low16, ..] => Some(Ipv4Addr::new(
            (high >> 8) as u8,
            high as u8,
            (low16 >> 8) as u8,
            low16 as u8,
        )),
        _ => None,
    }
}

/// An address a webhook may not be sent to, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusedAddress {
    pub ip: IpAddr,
    pub kind: AddressKind,
}

impl fmt::Display for RefusedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is {}", self.ip, self.kind.describe())
    }
}

impl std::error::Error for RefusedAddress {}

/// Where this server's webhooks may be sent (QANDA_WEBHOOK_ALLOW_PRIVATE).
/// The default refuses everything but the public internet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookTargets {
    /// Also internal addresses: loopback, private, link-local, unique-local,
    /// shared and special-purpose ones.
    pub allow_private: bool,
}

impl WebhookTargets {
    /// Whether a webhook may be sent to `ip`.
    pub fn check(self, ip: IpAddr) -> Result<(), RefusedAddress> {
        match classify(ip) {
            Some(kind) if !(self.allow_private && kind.is_internal()) => {
                Err(RefusedAddress { ip, kind })
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(ip: &str) -> Option<AddressKind> {
        classify(ip.parse().unwrap_or_else(|_| panic!("{ip} parses")))
    }

    #[test]
    fn every_refused_range_has_its_kind_at_both_ends() {
        use AddressKind::*;
        let cases: &[(&str, AddressKind)] = &[
            ("0.0.0.0", Unspecified),
            ("0.255.255.255", Unspecified),
            ("10.0.0.0", Private),
            ("10.1.2.3", Private),
            ("10.255.255.255", Private),
            ("100.64.0.0", SharedCarrier),
            ("100.127.255.255", SharedCarrier),
            ("127.0.0.1", Loopback),
            ("127.255.255.254", Loopback),
            ("169.254.0.0", LinkLocal),
            ("169.254.169.254", LinkLocal),
            ("169.254.255.255", LinkLocal),
            ("172.16.0.0", Private),
            ("172.31.255.255", Private),
            ("192.0.0.0", SpecialPurpose),
            ("192.0.0.255", SpecialPurpose),
            ("192.0.2.1", SpecialPurpose),
            ("192.168.0.0", Private),
            ("192.168.255.255", Private),
            ("198.18.0.0", SpecialPurpose),
            ("198.19.255.255", SpecialPurpose),
            ("198.51.100.7", SpecialPurpose),
            ("203.0.113.9", SpecialPurpose),
            ("224.0.0.0", Multicast),
            ("239.255.255.255", Multicast),
            ("240.0.0.0", Reserved),
            ("255.255.255.255", Reserved),
            ("::", Unspecified),
            ("::1", Loopback),
            ("fc00::", UniqueLocal),
            ("fc00::1", UniqueLocal),
            ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", UniqueLocal),
            ("fe80::", LinkLocal),
            ("fe80::1", LinkLocal),
            ("febf:ffff::1", LinkLocal),
            ("fec0::1", UniqueLocal),
            ("ff00::", Multicast),
            ("ff02::1", Multicast),
            ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Multicast),
            ("100::", Reserved),
            ("100::ffff:ffff:ffff:ffff", Reserved),
            ("2001::1", SpecialPurpose),
            ("2001:1ff:ffff::1", SpecialPurpose),
            ("2001:db8::1", SpecialPurpose),
            ("64:ff9b:1::1", SpecialPurpose),
            ("4000::1", Reserved),
            ("1::1", Reserved),
            ("101::1", Reserved),
            ("fbff::1", Reserved),
        ];
        for (ip, expected) in cases {
            assert_eq!(kind(ip), Some(*expected), "{ip}");
        }
    }

    #[test]
    fn public_addresses_next_to_the_refused_ranges_are_allowed() {
        for ip in [
            "1.0.0.0",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.0",
            "93.184.216.34",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.0",
            "192.0.3.0",
            "192.88.99.1",
            "192.167.255.255",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "198.51.99.255",
            "203.0.112.255",
            "223.255.255.255",
            "2000::1",
            "2001:200::1",
            "2001:4860:4860::8888",
            "2001:db9::1",
            "2606:2800:220:1:248:1893:25c8:1946",
            "3fff:ffff::1",
        ] {
            assert_eq!(kind(ip), None, "{ip}");
        }
    }

    #[test]
    fn ipv6_forms_of_an_ipv4_address_are_judged_by_it() {
        use AddressKind::*;
        for (ip, expected) in [
            ("::ffff:127.0.0.1", Some(Loopback)),
            ("::ffff:7f00:1", Some(Loopback)),
            ("::ffff:10.1.2.3", Some(Private)),
            ("::ffff:169.254.169.254", Some(LinkLocal)),
            ("::ffff:0.0.0.0", Some(Unspecified)),
            ("::ffff:224.0.0.1", Some(Multicast)),
            ("::ffff:93.184.216.34", None),
            ("::ffff:0:127.0.0.1", Some(Loopback)),
            ("::ffff:0:93.184.216.34", None),
            ("::127.0.0.1", Some(Loopback)),
            ("::10.0.0.1", Some(Private)),
            ("::93.184.216.34", None),
            ("64:ff9b::127.0.0.1", Some(Loopback)),
            ("64:ff9b::169.254.169.254", Some(LinkLocal)),
            ("64:ff9b::93.184.216.34", None),
            ("2002:7f00:1::", Some(Loopback)),
            ("2002:a9fe:a9fe::1", Some(LinkLocal)),
            ("2002:c0a8:101::1", Some(Private)),
            ("2002:5db8:d822::1", None),
        ] {
            assert_eq!(kind(ip), expected, "{ip}");
        }
    }

    #[test]
    fn the_setting_lets_internal_addresses_through_but_never_the_impossible_ones() {
        let strict = WebhookTargets::default();
        let internal = WebhookTargets {
            allow_private: true,
        };
        let internal_addresses = [
            "127.0.0.1",
            "10.1.2.3",
            "100.64.0.1",
            "169.254.169.254",
            "192.168.1.1",
            "198.18.0.1",
            "::1",
            "::ffff:127.0.0.1",
            "fc00::1",
            "fe80::1",
        ];
        let impossible_addresses = [
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "ff02::1",
            "::ffff:0.0.0.0",
            "100::1",
        ];
        let every_address = internal_addresses.iter().chain(&impossible_addresses);
        for ip in every_address.map(|ip| ip.parse::<IpAddr>().unwrap()) {
            assert!(strict.check(ip).is_err(), "{ip}");
            let internal_allowed = internal_addresses.contains(&ip.to_string().as_str());
            assert_eq!(internal.check(ip).is_ok(), internal_allowed, "{ip}");
        }
        let public: IpAddr = "93.184.216.34".parse().unwrap();
        assert_eq!(strict.check(public), Ok(()));
        assert_eq!(internal.check(public), Ok(()));
    }

    #[test]
    fn a_refusal_says_what_the_address_is() {
        let refused = WebhookTargets::default()
            .check("169.254.169.254".parse().unwrap())
            .unwrap_err();
        assert_eq!(refused.kind, AddressKind::LinkLocal);
        assert!(
            refused
                .to_string()
                .starts_with("169.254.169.254 is a link-local address"),
            "{refused}"
        );
    }

    /// The url crate reads the numeric host forms browsers accept, so the
    /// rule sees the address a connection would go to.
    #[test]
    fn numeric_host_forms_become_the_address_they_mean() {
        for raw in [
            "http://2130706433/",
            "http://0x7f.1/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://0x7f000001/",
            "http://127.0.0.1./",
        ] {
            let url = url::Url::parse(raw).unwrap();
            assert_eq!(
                url.host(),
                Some(url::Host::Ipv4(Ipv4Addr::LOCALHOST)),
                "{raw}"
            );
        }
        let url = url::Url::parse("http://[::ffff:127.0.0.1]/").unwrap();
        let Some(url::Host::Ipv6(ip)) = url.host() else {
            panic!("{url}");
        };
        assert_eq!(classify(IpAddr::V6(ip)), Some(AddressKind::Loopback));
    }
}
