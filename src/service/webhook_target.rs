//! The address rule (`domain::WebhookTargets`) applied to webhook URLs:
//! when a webhook is registered, to every address its host leads to; and at
//! every delivery, by the HTTP client's resolver, which hands the client only
//! the addresses that passed. The client connects to exactly those, with no
//! second lookup, so a name that leads to a public address when checked and
//! to 127.0.0.1 a moment later (DNS rebinding) gets nowhere.

use std::error::Error;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use url::{Host, Url};

use crate::domain::{RefusedAddress, WebhookTargets};

/// Longest a registration waits for the host's addresses.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// A webhook URL leads to an address the rule refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedTarget {
    /// The host's name, when the URL named it rather than giving an address.
    pub name: Option<String>,
    pub address: RefusedAddress,
}

impl RefusedTarget {
    /// What an admin can do about it.
    pub fn advice(&self) -> &'static str {
        if self.address.kind.is_internal() {
            "Webhooks are sent only to public internet addresses. If this receiver \
             is meant to be on an internal network, the server must be started \
             with QANDA_WEBHOOK_ALLOW_PRIVATE=true."
        } else {
            "No receiver can be there: enter the address of a web server."
        }
    }
}

impl fmt::Display for RefusedTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(
                f,
                "{name} leads to {}, which is {}",
                self.address.ip,
                self.address.kind.describe()
            ),
            None => write!(f, "{}", self.address),
        }
    }
}

impl Error for RefusedTarget {}

/// The host of `url` when it is an IP address.
fn literal(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        Host::Domain(_) => None,
    }
}

/// Checks a URL whose host is an IP address. Deliveries need this as well as
/// the resolver: the HTTP client connects to an address it is given without
/// asking the resolver. Other URLs (and ones that do not parse, which the
/// client then refuses) pass here.
pub fn check_literal(url: &str, targets: WebhookTargets) -> Result<(), RefusedTarget> {
    match Url::parse(url).ok().as_ref().and_then(literal) {
        Some(ip) => targets.check(ip).map_err(|address| RefusedTarget {
            name: None,
            address,
        }),
        None => Ok(()),
    }
}

/// Registration's check: the URL's address, or every address its host name
/// leads to now (one refused address is enough to refuse it, though a
/// delivery would only skip it). A name that cannot be looked up now passes:
/// it may resolve later, and every delivery checks again.
pub async fn check_url(url: &str, targets: WebhookTargets) -> Result<(), RefusedTarget> {
    check_literal(url, targets)?;
    let Ok(parsed) = Url::parse(url) else {
        return Ok(());
    };
    let Some(Host::Domain(name)) = parsed.host() else {
        return Ok(());
    };
    let Ok(Ok(found)) = tokio::time::timeout(LOOKUP_TIMEOUT, lookup(name)).await else {
        return Ok(());
    };
    for ip in found {
        targets.check(ip).map_err(|address| RefusedTarget {
            name: Some(name.to_owned()),
            address,
        })?;
    }
    Ok(())
}

/// The system's answer for a name (getaddrinfo, on tokio's blocking pool,
/// as the HTTP client's default resolver does).
async fn lookup(name: &str) -> std::io::Result<Vec<IpAddr>> {
    Ok(tokio::net::lookup_host((name, 0))
        .await?
        .map(|a| a.ip())
        .collect())
}

/// Of the addresses `name` resolved to, the ones a delivery may connect to;
/// refused (naming the first refused address) when there were some and
/// none is allowed.
pub fn allowed(
    name: &str,
    found: Vec<IpAddr>,
    targets: WebhookTargets,
) -> Result<Vec<IpAddr>, RefusedTarget> {
    let mut first_refused = None;
    let mut allowed = Vec::with_capacity(found.len());
    for ip in found {
        match targets.check(ip) {
            Ok(()) => allowed.push(ip),
            Err(address) => {
                first_refused.get_or_insert(address);
            }
        }
    }
    match first_refused {
        Some(address) if allowed.is_empty() => Err(RefusedTarget {
            name: Some(name.to_owned()),
            address,
        }),
        _ => Ok(allowed),
    }
}

/// The delivery client's resolver: looks the name up and keeps only the
/// addresses the rule allows.
#[derive(Debug, Clone, Copy)]
pub struct CheckingResolver(pub WebhookTargets);

impl reqwest::dns::Resolve for CheckingResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let targets = self.0;
        let name = name.as_str().to_owned();
        Box::pin(async move {
            let found = lookup(&name).await?;
            if found.is_empty() {
                return Err(format!("{name} has no addresses").into());
            }
            let addrs = allowed(&name, found, targets)?;
            // Port 0: the client puts in the URL's port.
            let addrs: reqwest::dns::Addrs =
                Box::new(addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// The refusal behind an HTTP client error, if the resolver refused.
pub fn refusal_in<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a RefusedTarget> {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(refused) = error.downcast_ref::<RefusedTarget>() {
            return Some(refused);
        }
        cause = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AddressKind;

    const STRICT: WebhookTargets = WebhookTargets {
        allow_private: false,
    };

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|ip| ip.parse().unwrap()).collect()
    }

    #[test]
    fn a_delivery_keeps_only_the_allowed_addresses_of_a_name() {
        assert_eq!(
            allowed("mixed.test", ips(&["10.0.0.1", "93.184.216.34"]), STRICT),
            Ok(ips(&["93.184.216.34"]))
        );
        let refused = allowed("inside.test", ips(&["127.0.0.1", "::1"]), STRICT).unwrap_err();
        assert_eq!(refused.address.kind, AddressKind::Loopback);
        assert_eq!(
            refused.to_string(),
            "inside.test leads to 127.0.0.1, which is a loopback address (this server itself)"
        );
        let internal = WebhookTargets {
            allow_private: true,
        };
        assert_eq!(
            allowed("inside.test", ips(&["127.0.0.1"]), internal),
            Ok(ips(&["127.0.0.1"]))
        );
    }

    #[test]
    fn literal_hosts_are_checked_without_a_lookup() {
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://[::1]/",
            "http://[::ffff:7f00:1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://0x7f.1/",
        ] {
            let refused = check_literal(url, STRICT).unwrap_err();
            assert_eq!(refused.name, None, "{url}");
        }
        assert_eq!(check_literal("http://93.184.216.34/hook", STRICT), Ok(()));
        assert_eq!(check_literal("https://example.org/hook", STRICT), Ok(()));
    }

    /// The HTTP client reports the resolver's refusal as the cause of its
    /// error, where the worker finds it. Nothing is sent: the resolver
    /// refuses before any connection.
    #[tokio::test]
    async fn the_client_stops_at_the_resolver_and_says_why() {
        let client = reqwest::Client::builder()
            .dns_resolver(std::sync::Arc::new(CheckingResolver(STRICT)))
            .no_proxy()
            .build()
            .unwrap();
        let error = client
            .post("http://localhost:9/hook")
            .send()
            .await
            .unwrap_err();
        let refused = refusal_in(&error).expect("the resolver's refusal");
        assert_eq!(refused.name.as_deref(), Some("localhost"));
        assert_eq!(refused.address.kind, AddressKind::Loopback);
    }
}
