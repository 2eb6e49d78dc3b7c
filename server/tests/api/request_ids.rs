//! Every answer carries a request id: the caller's when it sent a usable one, else a new one.
//! An internal error shows the user that id as its reference, and the log line that holds the
//! error's cause carries it too, so the id a user quotes finds the cause.

use axum::http::StatusCode;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use crate::TestApi;

#[tokio::test]
async fn answers_carry_the_callers_id_or_a_new_one() {
    let api = TestApi::new().await;
    let own = api
        .call_tagged("GET", "/api/v1/models", None, "lb-7f3a:42")
        .await;
    assert_eq!(own.request_id.as_deref(), Some("lb-7f3a:42"));

    let made = api.call("GET", "/healthz", None, None).await;
    let first = made.request_id.expect("an id on every answer");
    assert!(
        first.len() == 32 && first.chars().all(|c| c.is_ascii_hexdigit()),
        "{first}"
    );
    let again = api.call("GET", "/healthz", None, None).await;
    assert_ne!(
        again.request_id.as_deref(),
        Some(first.as_str()),
        "one id per request"
    );

    // An id that could forge a log line or run on for pages is replaced, not echoed.
    for bad in ["two words", &"x".repeat(200)] {
        let r = api.call_tagged("GET", "/healthz", None, bad).await;
        let id = r.request_id.expect("an id");
        assert_ne!(id, bad);
        assert_eq!(id.len(), 32);
    }
}

/// What the server logs while the test runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn an_internal_error_is_referenced_by_its_request_id_in_the_answer_and_the_log() {
    // A global subscriber, not a scoped one: a span's interest is cached per callsite, and
    // a test on another thread that reaches the request span first with no subscriber of its
    // own would leave it disabled for this one too (seen failing).
    static LOGS: OnceLock<Captured> = OnceLock::new();
    let logs = LOGS
        .get_or_init(|| {
            let logs = Captured::default();
            let writer = logs.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("the only global subscriber");
            tracing::callsite::rebuild_interest_cache();
            logs
        })
        .clone();
    let api = TestApi::new().await;
    let admin = api.login("admin").await;
    let r = api
        .call(
            "POST",
            "/api/v1/models/prod/secrets",
            Some(&admin),
            Some(json!({"name": "db", "content": {"password": "s3cret"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // Content that no longer decrypts: the server cannot answer, and says only a reference.
    api.corrupt_ciphertext().await;

    let r = api
        .call_tagged_with(
            "POST",
            "/api/v1/models/prod/secrets/db/reveal",
            Some(&admin),
            Some(json!({})),
            "support-case-1234",
        )
        .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", r.body);
    assert_eq!(
        r.body["message"],
        "internal error; reference support-case-1234"
    );
    assert_eq!(r.request_id.as_deref(), Some("support-case-1234"));
    let text = String::from_utf8(logs.0.lock().expect("lock").clone()).expect("utf-8");
    let line = text
        .lines()
        .find(|l| l.contains("internal error") && l.contains("reference=support-case-1234"))
        .unwrap_or_else(|| panic!("no internal error logged: {text}"));
    assert!(
        line.contains("request_id=support-case-1234") && line.contains("reveal"),
        "the cause is logged under the request and its use case: {line}"
    );
}
