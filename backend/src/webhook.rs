//! Webhooks as Standard Webhooks (<https://www.standardwebhooks.com>) define them: which targets
//! are allowed, how a message is signed, and what posts it. The posting itself is the server's
//! (an HTTP client); the services decide what to post and when.

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use domain::ValidationError;
use hmac::Mac as _;
use std::net::IpAddr;

/// Longest URL accepted.
const MAX_URL: usize = 2048;

/// Where an application's events are posted: an absolute `http` or `https` URL without
/// credentials or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget(url::Url);

impl WebhookTarget {
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let refuse = |reason| ValidationError::WebhookUrl {
            url: text.chars().take(100).collect(),
            reason,
        };
        if text.len() > MAX_URL {
            return Err(refuse("longer than 2048 bytes"));
        }
        let url = url::Url::parse(text).map_err(|_| refuse("not an absolute URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refuse("use http or https"));
        }
        if url.host().is_none() {
            return Err(refuse("no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse(
                "credentials in a URL are kept in plain text; use the signature",
            ));
        }
        if url.fragment().is_some() {
            return Err(refuse("a fragment is never sent"));
        }
        Ok(WebhookTarget(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn url(&self) -> &url::Url {
        &self.0
    }

    /// The host's address when the URL names one, or `localhost`'s: what can be refused
    /// before any lookup.
    fn literal_addresses(&self) -> Vec<IpAddr> {
        match self.0.host() {
            Some(url::Host::Ipv4(a)) => vec![IpAddr::V4(a)],
            Some(url::Host::Ipv6(a)) => vec![IpAddr::V6(a)],
            Some(url::Host::Domain(d)) if is_localhost(d) => vec![IpAddr::from([127, 0, 0, 1])],
            _ => Vec::new(),
        }
    }
}

/// `localhost` and the names under it (RFC 6761), with or without the final dot.
fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Which addresses webhooks may reach. Loopback, link-local (where cloud metadata services
/// answer), unspecified, multicast and broadcast addresses are refused unless `allow_local`:
/// a webhook must not become a way to reach the server's own neighbourhood.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    pub allow_local: bool,
}

impl TargetPolicy {
    /// Why `address` is refused, or `None`.
    pub fn refusal(&self, address: IpAddr) -> Option<&'static str> {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
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
                    url: target.as_str().chars().take(100).collect(),
                    reason,
                });
            }
        }
        Ok(())
    }
}

/// One message, signed, ready to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookMessage {
    /// `webhook-id`: the same on every attempt, so a receiver can drop a repeat.
    pub id: String,
    /// `webhook-timestamp`: seconds since the epoch, of this attempt.
    pub timestamp: i64,
    /// `webhook-signature`.
    pub signature: String,
    /// JSON: `{"type", "timestamp", "data"}`; metadata only, never a secret's content.
    pub body: String,
}

impl WebhookMessage {
    pub fn signed(key: &[u8], id: String, timestamp: i64, body: String) -> Self {
        let signature = signature(key, &id, timestamp, body.as_bytes());
        WebhookMessage {
            id,
            timestamp,
            signature,
            body,
        }
    }
}

/// `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the key.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(key)
        .expect("HMAC takes a key of any length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The key as Standard Webhooks' libraries take it: `whsec_` and the key in base64.
pub fn secret_text(key: &[u8]) -> String {
    format!("whsec_{}", STANDARD.encode(key))
}

/// Posts a message. `Err` carries why it failed, in words for the webhook's status.
#[async_trait]
pub trait WebhookTransport: Send + Sync {
    async fn post(&self, target: &WebhookTarget, message: &WebhookMessage) -> Result<(), String>;
}
