//! Posting webhooks over HTTP: one client, guarded against server-side request forgery, and the
//! task that hands it what is due.

use async_trait::async_trait;
use backend::Services;
use backend::webhook::{
    DeliveryFailure, TargetPolicy, WebhookMessage, WebhookTarget, WebhookTransport,
};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// A receiver has this long to answer a post.
const POST_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the dispatcher looks when nothing wakes it: for retries that fall due.
const LOOK_EVERY: Duration = Duration::from_secs(1);
/// The least time between two looks. Every update with events wakes the dispatcher; under
/// thousands of updates a second it looks a few times a second instead of once per update,
/// and a wake-up in the gap is kept by the waiter, so none is missed.
const LEAST_GAP: Duration = Duration::from_millis(200);

pub struct HttpTransport {
    client: reqwest::Client,
    policy: TargetPolicy,
}

impl HttpTransport {
    /// No proxy (it would connect for us, past the address check), no redirects (a receiver
    /// could send us anywhere), and names resolved only to addresses the policy allows.
    pub fn new(policy: TargetPolicy) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(POST_TIMEOUT)
            .user_agent(concat!("Strongbox-Webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver {
                policy: policy.clone(),
            }))
            .build()?;
        Ok(HttpTransport { client, policy })
    }
}

#[async_trait]
impl WebhookTransport for HttpTransport {
    async fn post(
        &self,
        target: &WebhookTarget,
        m: &WebhookMessage,
    ) -> Result<(), DeliveryFailure> {
        // A URL that names an address is not resolved, so it is checked here.
        if let Err(e) = self.policy.check(target) {
            tracing::warn!(url = %target.redacted(), error = %e, "webhook target refused");
            return Err(DeliveryFailure::NotAllowed);
        }
        let answer = self
            .client
            .post(target.url().clone())
            .header("content-type", "application/json")
            .header("webhook-id", &m.id)
            .header("webhook-timestamp", m.timestamp.to_string())
            .header("webhook-signature", &m.signature)
            .body(m.body.clone())
            .send()
            .await
            .map_err(|e| {
                // The words and addresses stay in the server's log; the status gets a class.
                tracing::warn!(url = %target.redacted(), error = %reasons(&e), "webhook post failed");
                classify(&e)
            })?;
        match answer.status() {
            s if s.is_success() => Ok(()),
            s => Err(DeliveryFailure::Status(s.as_u16())),
        }
    }
}

/// The class of a failed post, from the error and its causes.
fn classify(e: &reqwest::Error) -> DeliveryFailure {
    if e.is_timeout() {
        return DeliveryFailure::TimedOut;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<AddressNotAllowed>() {
            return DeliveryFailure::NotAllowed;
        }
        if c.is::<LookupFailed>() {
            return DeliveryFailure::DnsFailed;
        }
        if c.is::<rustls::Error>() {
            return DeliveryFailure::TlsFailed;
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return DeliveryFailure::Refused,
                std::io::ErrorKind::TimedOut => return DeliveryFailure::TimedOut,
                _ => {}
            }
        }
        cause = c.source();
    }
    DeliveryFailure::ConnectionFailed
}

/// An error and its causes, in one line, for the log: reqwest's own message says only "error
/// sending request".
pub(crate) fn reasons(e: &(dyn std::error::Error + 'static)) -> String {
    let mut words = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        words.push_str(": ");
        words.push_str(&c.to_string());
        cause = c.source();
    }
    words
}

/// The resolver's refusal: the name resolves only to addresses the policy refuses.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to {address}, {reason}")]
struct AddressNotAllowed {
    host: String,
    address: std::net::IpAddr,
    reason: &'static str,
}

/// The name did not resolve.
#[derive(Debug, thiserror::Error)]
#[error("{host}: {cause}")]
struct LookupFailed {
    host: String,
    cause: String,
}

struct GuardedResolver {
    policy: TargetPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let looked_up = tokio::net::lookup_host((host.clone(), 0)).await;
            let found: Vec<SocketAddr> = match looked_up {
                Ok(found) => found.collect(),
                Err(e) => {
                    let cause = e.to_string();
                    return Err(Box::new(LookupFailed { host, cause }) as _);
                }
            };
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| policy.refusal(a.ip()).is_none())
                .collect();
            match (allowed.is_empty(), found.first()) {
                (false, _) => Ok(Box::new(allowed.into_iter()) as Addrs),
                (true, Some(first)) => Err(Box::new(AddressNotAllowed {
                    reason: policy.refusal(first.ip()).unwrap_or("refused"),
                    address: first.ip(),
                    host,
                }) as _),
                (true, None) => Err(Box::new(LookupFailed {
                    host,
                    cause: "no address".into(),
                }) as _),
            }
        })
    }
}

/// Posts what is due: at once when events are written (on any node), and every second for
/// retries.
pub async fn dispatch(services: Services, transport: HttpTransport) {
    let mut waiter = services.event_waiter();
    loop {
        if let Err(e) = services.deliver_webhooks(&transport).await {
            tracing::warn!(error = %e, "delivering webhooks failed");
        }
        if waiter.closing() {
            return;
        }
        tokio::time::sleep(LEAST_GAP).await;
        waiter.wait(tokio::time::Instant::now() + LOOK_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn resolve(policy: TargetPolicy, name: &str) -> Result<Vec<SocketAddr>, String> {
        let name: Name = name.parse().expect("name");
        match (GuardedResolver { policy }).resolve(name).await {
            Ok(addrs) => Ok(addrs.collect()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused_unless_allowed() {
        let refused = resolve(TargetPolicy::default(), "localhost")
            .await
            .expect_err("refused");
        assert!(refused.contains("loopback"), "{refused}");
        let allowed = resolve(
            TargetPolicy {
                allow_local: true,
                deny: Vec::new(),
            },
            "localhost",
        )
        .await
        .expect("allowed");
        assert!(allowed.iter().all(|a| a.ip().is_loopback()), "{allowed:?}");
    }
}
