//! What applications hear of the secrets they read (issue 13): Juju's `secret-changed`,
//! `secret-removed`, and `access-revoked` when a grant goes. The log is written in the
//! transaction of the change; consumers read it through here, as it stands at delivery.

use domain::{EventCursor, EventKind, SecretId};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

use super::{Caller, Services};
use crate::audit::AuditAction;
use crate::crypto::CursorPosition;
use crate::error::ServiceResult;

/// Wakes a consumer when this node commits events, when any node does (PostgreSQL), when the
/// server shuts down, or when the slow poll is due.
pub struct EventWaiter {
    local: watch::Receiver<EventSignal>,
    others: Option<watch::Receiver<u64>>,
    poll: Duration,
}

impl EventWaiter {
    /// Until something may have happened, or `deadline`.
    pub async fn wait(&mut self, deadline: Instant) {
        let EventWaiter {
            local,
            others,
            poll,
        } = self;
        let due = deadline.min(Instant::now() + *poll);
        let from_others = async {
            if let Some(others) = others
                && others.changed().await.is_ok()
            {
                return;
            }
            std::future::pending::<()>().await;
        };
        tokio::select! {
            _ = local.changed() => {}
            () = from_others => {}
            () = tokio::time::sleep_until(due) => {}
        }
    }

    /// The server is shutting down: end the stream.
    pub fn closing(&self) -> bool {
        self.local.borrow().closing
    }
}

/// Events a consumer gets in one answer at most.
pub(crate) const BATCH: u32 = 500;
/// How long events are kept; a cursor older than that gets `resync`.
pub const RETENTION_MS: i64 = 7 * 24 * 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppEvent {
    /// The cursor after this event; `None` for what a connection reports on its own (the
    /// secrets found behind, `resync`), which moves no cursor.
    pub cursor: Option<EventCursor>,
    pub kind: EventKind,
    pub secret: Option<SecretId>,
    /// The revision a `secret-expired` is about.
    pub revision: Option<domain::RevisionNumber>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBatch {
    pub events: Vec<AppEvent>,
    /// Where to continue from: past every event looked at, delivered or not.
    pub next: EventCursor,
}

/// What wakes the consumers' streams on this node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventSignal {
    /// Moves on each commit that wrote events.
    pub written: u64,
    /// The server is shutting down: streams end, so that it can.
    pub closing: bool,
}

/// Where to continue after reading `logged` (at most [`BATCH`] events after `after`) when the
/// counter stood at `head`: past everything looked at, or, for a full batch, after its last.
pub(crate) fn next_cursor(logged: &[crate::store::AppEventRecord], after: i64, head: i64) -> i64 {
    match logged.last() {
        Some(last) if logged.len() == BATCH as usize => last.seq,
        _ => head.max(after),
    }
}

impl Services {
    /// Wakes the consumers' streams on this node to look again: events were written, or a
    /// token or application went.
    pub(crate) fn wake_event_streams(&self) {
        self.event_wakeups.send_modify(|s| s.written += 1);
    }

    /// Wakes the streams on every node after a token or an application went, so that theirs
    /// look again and end at once. On another node that would otherwise wait for its 5 s poll;
    /// if the wake-up cannot be sent, it still does.
    pub(crate) async fn wake_event_streams_everywhere(&self) {
        self.wake_event_streams();
        if let Err(e) = self.store.wake_other_nodes().await {
            tracing::warn!(error = %e, "other nodes' event streams were not woken");
        }
    }

    /// Ends every event stream (at shutdown; consumers reconnect with their cursor).
    pub fn close_event_streams(&self) {
        self.event_wakeups.send_modify(|s| s.closing = true);
    }

    /// What a consumer waits on between looks at the log. Take it before the first look, so
    /// that nothing committed in between goes unnoticed.
    pub fn event_waiter(&self) -> EventWaiter {
        EventWaiter {
            local: self.event_wakeups.subscribe(),
            others: self.store.event_notifications(),
            // A look now and then for what no wake-up announced: another process's write on
            // SQLite cannot happen (the serve lock), a lost notification on PostgreSQL can.
            poll: Duration::from_secs(if self.store.serves_alone() { 30 } else { 5 }),
        }
    }

    /// The application's events after `cursor`. On `connect`, first a `secret-changed` for
    /// each secret it is behind on (so a consumer that missed events heals), and `resync` if
    /// events after `cursor` were pruned, or if the cursor does not open here (another
    /// application's, forged, sealed under a master key since rotated away) or stands ahead of
    /// the log (a restored database): those continue from now. Several changes of one secret
    /// come as one event.
    #[tracing::instrument(skip_all)]
    pub async fn app_events(
        &self,
        caller: &Caller,
        cursor: Option<&EventCursor>,
        connect: bool,
    ) -> ServiceResult<EventBatch> {
        let app = &self
            .calling_application(caller, AuditAction::SecretView)
            .await?;
        let mut tx = self.store.read().await?;
        let head = tx.event_head().await?;
        let position = cursor.map(|c| match self.keys.open_cursor(*app, c) {
            CursorPosition::After(seq) if seq <= head.seq => Some(seq),
            _ => None,
        });
        let mut events = Vec::new();
        if connect {
            let lost = match position {
                Some(Some(seq)) => seq < head.pruned_through,
                Some(None) => true,
                None => false,
            };
            if lost {
                events.push(AppEvent {
                    cursor: None,
                    kind: EventKind::Resync,
                    secret: None,
                    revision: None,
                });
            }
            for secret in tx.behind(*app).await? {
                events.push(AppEvent {
                    cursor: None,
                    kind: EventKind::SecretChanged,
                    secret: Some(secret),
                    revision: None,
                });
            }
        }
        let after = position.flatten().unwrap_or(head.seq);
        let logged = tx.events_after(*app, after, BATCH).await?;
        let next = next_cursor(&logged, after, head.seq);
        for e in logged {
            // A change already reported in this answer is not reported again.
            let repeat = e.kind == EventKind::SecretChanged
                && events
                    .iter()
                    .any(|o| o.kind == e.kind && o.secret.as_ref() == Some(&e.secret));
            if !repeat {
                events.push(AppEvent {
                    cursor: Some(self.keys.seal_cursor(*app, e.seq)?),
                    kind: e.kind,
                    secret: Some(e.secret),
                    revision: e.revision,
                });
            }
        }
        Ok(EventBatch {
            events,
            next: self.keys.seal_cursor(*app, next)?,
        })
    }

    /// Drops events past the retention; run now and then by the server.
    #[tracing::instrument(skip_all)]
    pub async fn prune_app_events(&self) -> ServiceResult<u64> {
        let before = self.clock.now().plus_millis(-RETENTION_MS);
        let mut tx = self.store.write().await?;
        let pruned = tx.prune_events(before).await?;
        tx.commit().await?;
        Ok(pruned)
    }
}
