//! Webhooks: what is posted, signed how, retried when, disabled after, and who may set one.

use crate::support::*;
use async_trait::async_trait;
use backend::ServiceError;
use backend::service::{RETRY_DELAYS_SECS, ReadMode, SecretUpdate};
use backend::webhook::{DeliveryFailure, WebhookMessage, WebhookTarget, WebhookTransport};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::Mac as _;
use std::collections::VecDeque;
use std::sync::Mutex;

/// Records every post; answers with the scripted failures first, then success.
#[derive(Default)]
struct Receiver {
    posts: Mutex<Vec<(String, WebhookMessage)>>,
    failures: Mutex<VecDeque<DeliveryFailure>>,
}

#[async_trait]
impl WebhookTransport for Receiver {
    async fn post(
        &self,
        target: &WebhookTarget,
        message: &WebhookMessage,
    ) -> Result<(), DeliveryFailure> {
        self.posts
            .lock()
            .expect("lock")
            .push((target.as_str().to_owned(), message.clone()));
        match self.failures.lock().expect("lock").pop_front() {
            Some(reason) => Err(reason),
            None => Ok(()),
        }
    }
}

impl Receiver {
    fn fail(&self, times: usize) {
        let mut failures = self.failures.lock().expect("lock");
        failures.extend((0..times).map(|_| DeliveryFailure::Status(503)));
    }

    fn ids(&self) -> Vec<String> {
        let posts = self.posts.lock().expect("lock");
        posts.iter().map(|(_, m)| m.id.clone()).collect()
    }

    fn last(&self) -> WebhookMessage {
        let posts = self.posts.lock().expect("lock");
        posts.last().expect("a post").1.clone()
    }
}

/// What a receiver does with Standard Webhooks' rules, written out here rather than taken
/// from the server: HMAC-SHA256 of `id.timestamp.body` under the key after `whsec_`.
fn verifies(secret: &str, m: &WebhookMessage) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ prefix"))
        .expect("base64 key");
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).expect("key");
    mac.update(format!("{}.{}.{}", m.id, m.timestamp, m.body).as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    m.signature == format!("v1,{expected}")
}

async fn tracked_secret(w: &World) {
    let s = &w.h.services;
    s.add_secret(&w.writer, &w.model, new_secret("db", "password=one"))
        .await
        .expect("secret");
    s.grant_secret(&w.writer, &w.model, &sref("db"), &[app_name("mysql")])
        .await
        .expect("grant");
    mysql_reads_db(w, ReadMode::Tracked).await;
}

/// `mysql` reads `db` by its URI, as an application does.
async fn mysql_reads_db(w: &World, mode: ReadMode) {
    let s = &w.h.services;
    let id = s
        .show_secret(&w.reader, &w.model, &sref("db"))
        .await
        .expect("show")
        .secret
        .id;
    s.read_content(&w.app, &w.model, &sref(&id.uri()), mode)
        .await
        .expect("mysql reads");
}

async fn update(w: &World, text: &str) {
    let change = SecretUpdate {
        content: Some(content(text)),
        ..SecretUpdate::default()
    };
    w.h.services
        .update_secret(&w.writer, &w.model, &sref("db"), change)
        .await
        .expect("update");
}

#[tokio::test]
async fn a_change_is_posted_signed_and_a_failing_receiver_is_retried_then_disabled() {
    let w = World::new().await;
    let s = &w.h.services;
    let receiver = Receiver::default();
    tracked_secret(&w).await;
    let (status, secret) = s
        .set_webhook(
            &w.admin,
            &w.model,
            &app_name("mysql"),
            "https://hooks.example/sb",
        )
        .await
        .expect("an admin sets the webhook");
    assert!(status.enabled);
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(s.deliver_webhooks(&receiver).await.expect("deliver"), 0);

    update(&w, "password=two").await;
    assert_eq!(s.deliver_webhooks(&receiver).await.expect("deliver"), 1);
    let first = receiver.last();
    assert!(verifies(&secret, &first), "signature: {first:?}");
    let body: serde_json::Value = serde_json::from_str(&first.body).expect("json");
    assert_eq!(body["type"], "secret-changed");
    assert_eq!(body["data"]["application"], "mysql");
    assert_eq!(body["data"]["model"], "prod");
    assert!(!first.body.contains("two"), "metadata only: {}", first.body);
    assert_eq!(
        s.deliver_webhooks(&receiver).await.expect("again"),
        0,
        "posted once"
    );

    // The master key changes: the webhook's key is re-wrapped, the receiver's secret holds.
    w.h.rotate_master_key(&w.superuser).await.expect("rotate");
    mysql_reads_db(&w, ReadMode::Refresh).await;
    update(&w, "password=three").await;
    receiver.fail(RETRY_DELAYS_SECS.len() + 1);
    assert_eq!(s.deliver_webhooks(&receiver).await.expect("deliver"), 0);
    let failed = s
        .webhook(&w.reader, &w.model, &app_name("mysql"))
        .await
        .expect("status");
    assert_eq!(failed.failures, 1);
    assert!(failed.last_error.as_deref().unwrap_or("").contains("503"));
    let now = backend::Clock::now(&*w.h.clock).millis();
    let wait = failed.retry_at.expect("a retry is due").millis() - now;
    assert!(
        (4_500..=5_500).contains(&wait),
        "5 s with jitter, was {wait} ms"
    );
    assert_eq!(s.deliver_webhooks(&receiver).await.expect("early"), 0);
    assert_eq!(
        receiver.ids().len(),
        2,
        "no attempt before the retry is due"
    );

    for delay in RETRY_DELAYS_SECS {
        w.h.clock.advance(delay * 1_100);
        s.deliver_webhooks(&receiver).await.expect("retry");
    }
    let ids = receiver.ids();
    assert_eq!(ids.len(), 2 + RETRY_DELAYS_SECS.len(), "{ids:?}");
    assert!(
        ids[1..].iter().all(|id| *id == ids[1]),
        "one id on every attempt: {ids:?}"
    );
    assert!(
        verifies(&secret, &receiver.last()),
        "signed after the rotation too"
    );
    let disabled = s
        .webhook(&w.reader, &w.model, &app_name("mysql"))
        .await
        .expect("status");
    assert!(!disabled.enabled);
    let audited = "select count(*) from audit_event where action = 'webhook-disabled'";
    assert_eq!(w.h.count(audited).await, 1);
    w.h.clock.advance(100_000_000);
    assert_eq!(s.deliver_webhooks(&receiver).await.expect("off"), 0);
    assert_eq!(
        receiver.ids().len(),
        ids.len(),
        "a disabled webhook posts nothing"
    );

    s.enable_webhook(&w.admin, &w.model, &app_name("mysql"))
        .await
        .expect("enable");
    assert_eq!(s.deliver_webhooks(&receiver).await.expect("again"), 1);
    assert_eq!(
        receiver.last().id,
        ids[1],
        "the event that failed, delivered at last"
    );
}

#[tokio::test]
async fn only_admins_set_webhooks_and_local_or_malformed_targets_are_refused() {
    let w = World::new().await;
    let s = &w.h.services;
    let mysql = app_name("mysql");
    let err = s
        .set_webhook(&w.writer, &w.model, &mysql, "https://hooks.example/")
        .await
        .expect_err("writers cannot");
    assert!(matches!(err, ServiceError::Forbidden(_)), "{err:?}");
    for (url, words) in [
        ("ftp://hooks.example/", "use http or https"),
        ("hooks.example/x", "not an absolute URL"),
        ("https://user:pw@hooks.example/", "credentials"),
        ("http://127.0.0.1:8080/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://LocalHost.:8080/hook", "loopback"),
        ("http://api.localhost/hook", "loopback"),
        ("http://169.254.169.254/latest/meta-data", "metadata"),
        ("http://169.254.1.1/hook", "link-local"),
        ("http://[::1]/hook", "loopback"),
        ("http://[::ffff:127.0.0.1]/hook", "loopback"),
        ("http://0.0.0.0/hook", "unspecified"),
    ] {
        let err = s
            .set_webhook(&w.admin, &w.model, &mysql, url)
            .await
            .expect_err(url);
        assert!(err.to_string().contains(words), "{url}: {err}");
    }
    let none = s
        .webhook(&w.reader, &w.model, &mysql)
        .await
        .expect_err("none");
    assert!(none.to_string().contains("has no webhook"), "{none}");
    s.set_webhook(
        &w.admin,
        &w.model,
        &mysql,
        "https://10.0.0.7/hook?token=t0p",
    )
    .await
    .expect("a private network is allowed: the receiver is often next door");
    let seen = |caller| s.webhook(caller, &w.model, &mysql);
    assert_eq!(
        seen(&w.admin).await.expect("admin").url.as_deref(),
        Some("https://10.0.0.7/hook?token=t0p")
    );
    assert_eq!(
        seen(&w.reader).await.expect("reader").url,
        None,
        "a URL may carry the receiver's token: admins only"
    );
    s.remove_webhook(&w.admin, &w.model, &mysql)
        .await
        .expect("remove");
    assert!(s.webhook(&w.reader, &w.model, &mysql).await.is_err());
}
