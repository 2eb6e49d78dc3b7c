//! Posting webhooks over HTTP: one client, guarded against server-side request forgery, and the
//! task that hands it what is due.

use async_trait::async_trait;
use backend::Services;
use backend::webhook::{TargetPolicy, WebhookMessage, WebhookTarget, WebhookTransport};
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
            .dns_resolver(Arc::new(GuardedResolver { policy }))
            .build()?;
        Ok(HttpTransport { client, policy })
    }
}

#[async_trait]
impl WebhookTransport for HttpTransport {
    async fn post(&self, target: &WebhookTarget, m: &WebhookMessage) -> Result<(), String> {
        // A URL that names an address is not resolved, so it is checked here.
        self.policy.check(target).map_err(|e| e.to_string())?;
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
            .map_err(|e| reasons(&e))?;
        match answer.status() {
            s if s.is_success() => Ok(()),
            s => Err(format!("the receiver answered {s}")),
        }
    }
}

/// An error and its causes, in one line: reqwest's own message says only "error sending
/// request".
fn reasons(e: &(dyn std::error::Error + 'static)) -> String {
    let mut words = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        words.push_str(": ");
        words.push_str(&c.to_string());
        cause = c.source();
    }
    words
}

struct GuardedResolver {
    policy: TargetPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| policy.refusal(a.ip()).is_none())
                .collect();
            match (allowed.is_empty(), found.first()) {
                (false, _) => Ok(Box::new(allowed.into_iter()) as Addrs),
                (true, Some(first)) => Err(format!(
                    "{host} resolves to {}, {}",
                    first.ip(),
                    policy.refusal(first.ip()).unwrap_or("refused")
                )
                .into()),
                (true, None) => Err(format!("{host} has no address").into()),
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
        let allowed = resolve(TargetPolicy { allow_local: true }, "localhost")
            .await
            .expect("allowed");
        assert!(allowed.iter().all(|a| a.ip().is_loopback()), "{allowed:?}");
    }
}
