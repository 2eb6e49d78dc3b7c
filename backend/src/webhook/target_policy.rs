//! Which addresses a webhook may reach. A webhook is a way to make the server send requests,
//! so it must not reach the server's own neighbourhood: loopback, link-local, the cloud
//! metadata services, and whatever ranges the operator closes (`--webhook-deny`). An IPv6
//! address that carries an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged by the
//! IPv4 address inside it.

use domain::ValidationError;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::WebhookTarget;

/// The cloud providers' instance metadata and platform services, refused always, even with
/// `allow_local`: AWS (IPv4, the ECS task endpoint, the IPv6 endpoint, its DNS and time
/// servers), Alibaba Cloud, Azure's wire server, Oracle Cloud's older endpoint; GCP and Azure
/// answer on 169.254.169.254 too.
const METADATA: [IpAddr; 9] = [
    IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254)),
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2)),
    IpAddr::V4(Ipv4Addr::new(169, 254, 169, 253)),
    IpAddr::V4(Ipv4Addr::new(169, 254, 169, 123)),
    IpAddr::V4(Ipv4Addr::new(100, 100, 100, 200)),
    IpAddr::V4(Ipv4Addr::new(168, 63, 129, 16)),
    IpAddr::V4(Ipv4Addr::new(192, 0, 0, 192)),
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254)),
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0023)),
];

/// `localhost` and the names under it (RFC 6761), with or without the final dot.
pub(super) fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// The IPv4 address an IPv6 address carries, if it is of a form that reaches one: IPv4-mapped
/// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96` and the local-use
/// `64:ff9b:1::/48`), 6to4 (`2002:AABB:CCDD::/48`) and Teredo (`2001:0::/32`, whose client
/// address is stored inverted in the last 32 bits).
fn embedded_ipv4(a: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = a.segments();
    let last32 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if let Some(v4) = a.to_ipv4_mapped() {
        return Some(v4);
    }
    match s {
        // `::` and `::1` are themselves, not IPv4 addresses.
        [0, 0, 0, 0, 0, 0, 0, 0 | 1] => None,
        [0, 0, 0, 0, 0, 0, _, _] => Some(last32),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(last32),
        [0x64, 0xff9b, 1, ..] => Some(last32),
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        )),
        [0x2001, 0, ..] => Some(Ipv4Addr::from(!u32::from(last32))),
        _ => None,
    }
}

/// Which addresses webhooks may reach. Loopback and link-local addresses are refused unless
/// `allow_local`; metadata services, unspecified, multicast and broadcast addresses always;
/// and every range in `deny`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    pub allow_local: bool,
    /// Ranges the operator closes (`--webhook-deny`), private networks say.
    pub deny: Vec<IpNet>,
}

impl TargetPolicy {
    /// Why `address` is refused, or `None`. An address and the IPv4 address it carries are
    /// both judged.
    pub fn refusal(&self, address: IpAddr) -> Option<&'static str> {
        let inner = match address {
            IpAddr::V6(v6) => embedded_ipv4(v6).map(IpAddr::V4),
            IpAddr::V4(_) => None,
        };
        std::iter::once(address)
            .chain(inner)
            .find_map(|a| self.refusal_of(a))
    }

    fn refusal_of(&self, address: IpAddr) -> Option<&'static str> {
        if METADATA.contains(&address) {
            return Some("a cloud metadata service's address");
        }
        if self.deny.iter().any(|net| net.contains(&address)) {
            return Some("in a range closed by --webhook-deny");
        }
        let local = match address {
            IpAddr::V4(a) => a.is_loopback() || a.is_link_local(),
            IpAddr::V6(a) => a.is_loopback() || a.is_unicast_link_local(),
        };
        if local && !self.allow_local {
            return Some(
                "a loopback or link-local address (allowed only with --webhook-allow-local)",
            );
        }
        let never = match address {
            IpAddr::V4(a) => a.is_unspecified() || a.is_multicast() || a.is_broadcast(),
            IpAddr::V6(a) => a.is_unspecified() || a.is_multicast(),
        };
        never.then_some("an unspecified, multicast or broadcast address")
    }

    /// Refuses a target whose URL itself names a refused address.
    pub fn check(&self, target: &WebhookTarget) -> Result<(), ValidationError> {
        for address in target.literal_addresses() {
            if let Some(reason) = self.refusal(address) {
                return Err(ValidationError::WebhookUrl {
                    url: target.redacted().chars().take(100).collect(),
                    reason,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(policy: &TargetPolicy, url: &str) -> Option<&'static str> {
        policy
            .check(&WebhookTarget::parse(url).expect("parses"))
            .err()
            .map(|e| match e {
                ValidationError::WebhookUrl { reason, .. } => reason,
                other => panic!("{other}"),
            })
    }

    #[test]
    fn ipv6_forms_of_a_local_ipv4_address_are_refused() {
        let policy = TargetPolicy::default();
        for url in [
            "http://[::127.0.0.1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[64:ff9b::127.0.0.1]/",
            "http://[64:ff9b:1::7f00:1]/",
            "http://[2002:7f00:1::]/",
            "http://[2002:a9fe:a9fe::1]/",
            // Teredo: the client address 127.0.0.1 stored inverted.
            "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
        ] {
            assert!(refused(&policy, url).is_some(), "{url} was accepted");
        }
        assert_eq!(refused(&policy, "http://[2001:db8::1]/"), None);
        assert_eq!(refused(&policy, "http://[64:ff9b::8.8.8.8]/"), None);
        assert_eq!(refused(&policy, "http://93.184.215.14/"), None);
    }

    #[test]
    fn metadata_services_are_refused_even_where_local_addresses_are_allowed() {
        let policy = TargetPolicy {
            allow_local: true,
            deny: Vec::new(),
        };
        for url in [
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/",
            "http://100.100.100.200/latest/meta-data/",
            "http://169.254.170.2/v2/credentials",
            "http://[::ffff:169.254.169.254]/",
            "http://[64:ff9b::a9fe:a9fe]/",
        ] {
            assert_eq!(
                refused(&policy, url),
                Some("a cloud metadata service's address"),
                "{url}"
            );
        }
        assert_eq!(refused(&policy, "http://127.0.0.1:9/"), None);
    }

    #[test]
    fn operators_close_ranges() {
        let policy = TargetPolicy {
            allow_local: false,
            deny: vec![
                "10.0.0.0/8".parse().expect("net"),
                "fc00::/7".parse().expect("net"),
            ],
        };
        let closed = Some("in a range closed by --webhook-deny");
        assert_eq!(refused(&policy, "http://10.1.2.3/"), closed);
        assert_eq!(refused(&policy, "http://[::ffff:10.1.2.3]/"), closed);
        assert_eq!(refused(&policy, "http://[2002:a01:203::]/"), closed);
        assert_eq!(refused(&policy, "http://[fd12::1]/"), closed);
        assert_eq!(refused(&policy, "http://192.168.1.1/"), None);
    }

    #[test]
    fn the_audit_log_gets_the_url_without_its_query() {
        let target =
            WebhookTarget::parse("https://hooks.example/in?token=s3cret&x=1").expect("url");
        assert_eq!(target.redacted(), "https://hooks.example/in?…");
        let plain = WebhookTarget::parse("https://hooks.example:8443/in").expect("url");
        assert_eq!(plain.redacted(), "https://hooks.example:8443/in");
    }
}
