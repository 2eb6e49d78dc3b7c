//! Posting applications' events to their webhooks: in order, signed, at least once, retried
//! with backoff and jitter, and disabled (audited) when the last retry fails too.

use domain::EventKind;
use rand::Rng as _;
use serde_json::json;

use super::events::{BATCH, next_cursor};
use super::{Caller, Services, Subject};
use crate::audit::AuditAction;
use crate::crypto::unwrap_webhook_key;
use crate::error::ServiceResult;
use crate::store::{WebhookProgress, WebhookRecord};
use crate::webhook::{WebhookMessage, WebhookTarget, WebhookTransport};

/// The waits after each failure in a row, as Standard Webhooks suggests (5 s up to 10 h, about
/// a day in all); the failure after the last one disables the webhook.
pub const RETRY_DELAYS_SECS: [i64; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
/// How long a node holds the webhooks it took: longer than a turn of posts takes.
const LEASE_MS: i64 = 120_000;
/// How long one turn posts to a webhook at most: half the lease, so the turn ends (and records
/// how far it got) before another node could take the webhook.
const TURN: std::time::Duration = std::time::Duration::from_millis(LEASE_MS as u64 / 2);
/// Webhooks one node posts to at once.
const CLAIM: u32 = 16;

/// One message to post, and the event it moves the cursor to once delivered.
struct Outgoing {
    seq: Option<i64>,
    message: WebhookMessage,
}

impl Services {
    /// Posts what is due to every webhook this node can take; run every second and on new
    /// events by each server. Returns how many messages were delivered.
    #[tracing::instrument(skip_all)]
    pub async fn deliver_webhooks(&self, transport: &dyn WebhookTransport) -> ServiceResult<usize> {
        let now = self.clock.now();
        // Usually nothing is due: look without the write lock first.
        if !self.store.single().await?.webhooks_due(now).await? {
            return Ok(0);
        }
        let mut tx = self.store.write().await?;
        let claimed = tx
            .claim_webhooks(now, now.plus_millis(LEASE_MS), CLAIM)
            .await?;
        tx.commit().await?;
        let turns = claimed.iter().map(|w| self.deliver_to(w, transport));
        let mut delivered = 0;
        for turn in futures::future::join_all(turns).await {
            delivered += turn?;
        }
        Ok(delivered)
    }

    async fn deliver_to(
        &self,
        webhook: &WebhookRecord,
        transport: &dyn WebhookTransport,
    ) -> ServiceResult<usize> {
        let mut progress = webhook.progress.clone();
        let mut delivered = 0;
        let failure = match self.outgoing(webhook).await {
            Err(e) => Some(e),
            Ok((target, messages, next)) => {
                // Well inside the lease: a slow receiver must not keep posting once another
                // node may have taken the webhook. What is left goes in the next turn.
                let turn_ends = tokio::time::Instant::now() + TURN;
                let mut failure = None;
                let mut finished = true;
                for out in messages {
                    if tokio::time::Instant::now() >= turn_ends {
                        finished = false;
                        break;
                    }
                    if let Err(reason) = transport.post(&target, &out.message).await {
                        failure = Some(reason.to_string());
                        break;
                    }
                    delivered += 1;
                    progress.cursor = out.seq.unwrap_or(progress.cursor);
                }
                if failure.is_none() && finished {
                    progress.cursor = next;
                }
                failure
            }
        };
        let now = self.clock.now();
        let mut tx = self.store.write().await?;
        match failure {
            None => {
                progress.failures = 0;
                progress.next_attempt_at = domain::Timestamp(0);
                progress.last_error = None;
                if delivered > 0 {
                    progress.last_success_at = Some(now);
                }
            }
            Some(reason) => {
                progress.failures += 1;
                progress.last_error = Some(reason.clone());
                match RETRY_DELAYS_SECS.get(progress.failures as usize - 1) {
                    Some(delay) => {
                        let jitter = rand::thread_rng().gen_range(0.9..1.1);
                        progress.next_attempt_at =
                            now.plus_millis((*delay as f64 * 1000.0 * jitter) as i64);
                    }
                    None => {
                        progress.disabled_at = Some(now);
                        self.audit_disabled(&mut *tx, webhook, &progress, &reason)
                            .await?;
                    }
                }
            }
        }
        tx.set_webhook_progress(webhook.application, &progress, now)
            .await?;
        tx.commit().await?;
        Ok(delivered)
    }

    async fn audit_disabled(
        &self,
        tx: &mut dyn crate::store::Tx,
        webhook: &WebhookRecord,
        progress: &WebhookProgress,
        reason: &str,
    ) -> ServiceResult<()> {
        let Some(app) = tx.application(webhook.application).await? else {
            return Ok(());
        };
        let Some(model) = tx.model(app.model_id).await? else {
            return Ok(());
        };
        let detail = format!(
            "webhook of {} disabled after {} failures in a row; last: {reason}",
            app.name, progress.failures
        );
        let subject = Subject::model(&model).detail(detail);
        self.succeeded(tx, &Caller::system(), AuditAction::WebhookDisabled, subject)
            .await
    }

    /// The messages due to `webhook`, signed, and the cursor once all are delivered. A failure
    /// here (a key that no longer opens, a URL edited in the database) is the attempt's failure.
    async fn outgoing(
        &self,
        webhook: &WebhookRecord,
    ) -> Result<(WebhookTarget, Vec<Outgoing>, i64), String> {
        let target = WebhookTarget::parse(&webhook.url).map_err(|e| e.to_string())?;
        let key = self
            .keys
            .key(&webhook.key.master_key_id)
            .and_then(|master| unwrap_webhook_key(&master, webhook.application, &webhook.key))
            .map_err(|e| e.to_string())?;
        let stored = async {
            let mut tx = self.store.read().await?;
            let app = tx.application(webhook.application).await?;
            let model = match &app {
                Some(app) => tx.model(app.model_id).await?,
                None => None,
            };
            let head = tx.event_head().await?;
            let logged = tx
                .events_after(webhook.application, webhook.progress.cursor, BATCH)
                .await?;
            Ok::<_, crate::store::StoreError>((app, model, head, logged))
        };
        let (app, model, head, logged) = stored.await.map_err(|e| {
            tracing::error!(error = %e, "webhook events could not be read");
            "the events could not be read".to_owned()
        })?;
        let (Some(app), Some(model)) = (app, model) else {
            return Err("the application is gone".to_owned());
        };
        let now = self.clock.now();
        // The body's time is the event's, so every attempt posts the same body; the header's
        // is the attempt's, which receivers check for freshness.
        let sign = |id: String, kind: EventKind, at: domain::Timestamp, data: serde_json::Value| {
            let body = json!({"type": kind.as_str(), "timestamp": at.to_rfc3339(), "data": data});
            WebhookMessage::signed(&key, id, now.millis() / 1000, body.to_string())
        };
        let about = json!({"application": app.name.as_str(), "model": model.name.as_str()});
        let mut messages = Vec::new();
        let cursor = webhook.progress.cursor;
        // Ids are keyed digests, not positions: the log's numbers are shared by every
        // application and would tell a receiver how much happens elsewhere.
        let id_of = |label: &str, seq: i64| {
            self.keys
                .event_id(label, webhook.application, seq)
                .map_err(|e| e.to_string())
        };
        if cursor < head.pruned_through {
            let id = id_of("resync", head.pruned_through)?;
            messages.push(Outgoing {
                seq: None,
                message: sign(id, EventKind::Resync, now, about.clone()),
            });
        }
        for e in &logged {
            let id = id_of("evt", e.seq)?;
            let mut data = about.clone();
            data["id"] = json!(id);
            data["secret"] = json!(e.secret.as_str());
            data["uri"] = json!(e.secret.uri());
            data["revision"] = json!(e.revision.map(domain::RevisionNumber::get));
            messages.push(Outgoing {
                seq: Some(e.seq),
                message: sign(id, e.kind, e.at, data),
            });
        }
        Ok((target, messages, next_cursor(&logged, cursor, head.seq)))
    }
}
