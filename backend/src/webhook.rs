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

    /// The URL as the audit log records it: its query (which may carry a receiver's token)
    /// left out, `?…` in its place.
    pub fn redacted(&self) -> String {
        let mut shown = self.0.clone();
        let had_query = shown.query().is_some();
        shown.set_query(None);
        // Refused at parse; cleared again so that no later change can leak them.
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        let mut text = shown.to_string();
        if had_query {
            text.push_str("?…");
        }
        text
    }

    /// The host's address when the URL names one, or `localhost`'s: what can be refused
    /// before any lookup.
    fn literal_addresses(&self) -> Vec<IpAddr> {
        match self.0.host() {
            Some(url::Host::Ipv4(a)) => vec![IpAddr::V4(a)],
            Some(url::Host::Ipv6(a)) => vec![IpAddr::V6(a)],
            Some(url::Host::Domain(d)) if target_policy::is_localhost(d) => {
                vec![IpAddr::from([127, 0, 0, 1])]
            }
            _ => Vec::new(),
        }
    }
}

mod target_policy;
pub use target_policy::TargetPolicy;

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

/// Why a post failed, as the webhook's status shows it to the people who can see it: a class,
/// never the operating system's words or the addresses a name resolved to, which would make
/// the webhook a port scanner and a resolver for whoever can set one. The detail goes to the
/// server's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryFailure {
    /// The receiver's host refused the connection.
    Refused,
    /// No answer in time (connecting, or waiting for the receiver).
    TimedOut,
    /// The receiver's name did not resolve.
    DnsFailed,
    /// The TLS handshake failed (certificate, protocol).
    TlsFailed,
    /// The address is one webhooks may not reach (the name resolved to it, say).
    NotAllowed,
    /// The receiver answered with this HTTP status, not a 2xx.
    Status(u16),
    /// Any other failure to connect or to send.
    ConnectionFailed,
}

impl std::fmt::Display for DeliveryFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliveryFailure::Refused => f.write_str("connection refused"),
            DeliveryFailure::TimedOut => f.write_str("timed out"),
            DeliveryFailure::DnsFailed => f.write_str("DNS lookup failed"),
            DeliveryFailure::TlsFailed => f.write_str("TLS handshake failed"),
            DeliveryFailure::NotAllowed => f.write_str("the address is not allowed for webhooks"),
            DeliveryFailure::Status(code) => write!(f, "the receiver answered HTTP {code}"),
            DeliveryFailure::ConnectionFailed => f.write_str("the connection failed"),
        }
    }
}

/// Posts a message.
#[async_trait]
pub trait WebhookTransport: Send + Sync {
    async fn post(
        &self,
        target: &WebhookTarget,
        message: &WebhookMessage,
    ) -> Result<(), DeliveryFailure>;
}
