//! Group commit for the audit events that reads and refusals leave behind.
//!
//! A read changes nothing but the audit chain, yet every event must be durable before the
//! content is handed out. Committing each in a write transaction of its own made every read
//! queue for the single writer. Here requests put their events on a queue; one task takes
//! whatever has gathered, appends it all in one write transaction, and only then answers each
//! request. Under load a group grows, so the number of commits stays flat (ADR 0010).
//!
//! An application's read also counts towards its grant's usage: the group adds one tally per
//! application, secret and day to the same commit, so counting costs reads no write of their
//! own (ADR 0024).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

use domain::{ApplicationId, SecretId};

use crate::audit::NewAuditEvent;
use crate::store::{Store, StoreError, StoreResult, UsageTally, usage_day};

/// Events in one commit at most, so one group's transaction stays short.
const MAX_GROUP: usize = 256;
/// Requests waiting for a group at most; past this, callers wait for a place in the queue.
const QUEUE: usize = 4096;

type Done = oneshot::Sender<Result<(), Arc<StoreError>>>;

struct Entry {
    event: NewAuditEvent,
    /// The application and secret whose usage the event is a read of.
    read_by: Option<(ApplicationId, SecretId)>,
    done: Done,
}

pub(crate) struct Journal {
    store: Arc<dyn Store>,
    /// Started on first use, so that building the services needs no runtime.
    queue: OnceLock<mpsc::Sender<Entry>>,
}

impl Journal {
    pub(crate) fn new(store: Arc<dyn Store>) -> Self {
        Journal {
            store,
            queue: OnceLock::new(),
        }
    }

    /// Appends `event` to the audit chain; returns once the group holding it has committed.
    /// A caller that gives up waiting does not stop the commit: the event is still recorded.
    pub(crate) async fn record(&self, event: NewAuditEvent) -> StoreResult<()> {
        self.record_read(event, None).await
    }

    /// `record`, counting the event as a read of `read_by`'s secret by its application.
    pub(crate) async fn record_read(
        &self,
        event: NewAuditEvent,
        read_by: Option<(ApplicationId, SecretId)>,
    ) -> StoreResult<()> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            tokio::spawn(commit_groups(self.store.clone(), receiver));
            sender
        });
        let (done, committed) = oneshot::channel();
        queue
            .send(Entry {
                event,
                read_by,
                done,
            })
            .await
            .map_err(|_| StoreError::JournalStopped)?;
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Group(e)),
            Err(_) => Err(StoreError::JournalStopped),
        }
    }
}

async fn commit_groups(store: Arc<dyn Store>, mut queue: mpsc::Receiver<Entry>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut group, MAX_GROUP).await > 0 {
        let usage = tally(&group);
        let (events, waiting): (Vec<_>, Vec<_>) =
            group.drain(..).map(|e| (e.event, e.done)).unzip();
        let outcome = store
            .append_audit_group(&events, &usage)
            .await
            .map_err(Arc::new);
        match &outcome {
            Ok(()) => {
                for event in &events {
                    metrics::counter!("strongbox_audit_events_total", "outcome" => event.outcome.to_string(), "path" => "journal")
                        .increment(1);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, events = events.len(), "audit group commit failed");
            }
        }
        for done in waiting {
            // The requester may have gone; its event is committed all the same.
            let _ = done.send(outcome.clone());
        }
    }
}

/// The group's reads, one tally per application, secret and day.
fn tally(group: &[Entry]) -> Vec<UsageTally> {
    let mut tallies: HashMap<(ApplicationId, &SecretId, i64), UsageTally> = HashMap::new();
    for entry in group {
        let Some((app, secret)) = &entry.read_by else {
            continue;
        };
        let at = entry.event.at;
        let day = usage_day(at);
        tallies
            .entry((*app, secret, day))
            .and_modify(|t| {
                t.reads += 1;
                t.last_read_at = t.last_read_at.max(at);
            })
            .or_insert_with(|| UsageTally::one_read(*app, secret, at));
    }
    tallies.into_values().collect()
}
