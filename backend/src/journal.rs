//! Group commit for the audit events that reads and refusals leave behind.
//!
//! A read changes nothing but the audit chain, yet every event must be durable before the
//! content is handed out. Committing each in a write transaction of its own made every read
//! queue for the single writer. Here requests put their events on a queue; one task takes
//! whatever has gathered, appends it all in one write transaction, and only then answers each
//! request. Under load a group grows, so the number of commits stays flat (ADR 0010).
//!
//! An application's read also counts towards its grant's usage. The journal adds the reads up
//! in memory, per application, secret and day, and writes the sums about once a second, or at
//! once when the review asks: writing them with every group cost reads 6-10 % of their rate
//! (ADR 0024).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

use domain::{ApplicationId, SecretId};

use crate::audit::NewAuditEvent;
use crate::store::{Appended, GroupEvent, Relied, Store, StoreError, StoreResult, UsageTally};

/// Events in one commit at most, so one group's transaction stays short.
const MAX_GROUP: usize = 256;
/// Requests waiting for a group at most; past this, callers wait for a place in the queue.
const QUEUE: usize = 4096;

/// How long reads are added up in memory, at most, before their counts are written.
const USAGE_EVERY: Duration = Duration::from_secs(1);

type Done = oneshot::Sender<Result<(), Arc<StoreError>>>;

enum Entry {
    Event {
        event: NewAuditEvent,
        /// The application and secret whose usage the event is a read of.
        read_by: Option<(ApplicationId, SecretId)>,
        /// For a read answered from this node's memory (PostgreSQL): how far the node had
        /// followed other nodes' changes before its lookups.
        since: Option<u64>,
        done: Done,
    },
    /// Asks for the reads counted so far to be written; answered once they are.
    WriteUsage(Done),
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
        self.record_read(event, None, None).await
    }

    /// `record`, counting the event as a read of `read_by`'s secret by its application. A read
    /// answered from memory, looked up `since` that change, which relied on something another
    /// node has changed after it, is not recorded:
    /// `StoreError::Stale`, and the caller reads again from the database.
    pub(crate) async fn record_read(
        &self,
        event: NewAuditEvent,
        read_by: Option<(ApplicationId, SecretId)>,
        since: Option<u64>,
    ) -> StoreResult<()> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            tokio::spawn(commit_groups(self.store.clone(), receiver));
            sender
        });
        let (done, committed) = oneshot::channel();
        let entry = Entry::Event {
            event,
            read_by,
            since,
            done,
        };
        queue
            .send(entry)
            .await
            .map_err(|_| StoreError::JournalStopped)?;
        answered(committed).await
    }

    /// Writes the reads this node has counted but not yet written; returns once they are, so
    /// the store then holds every read that finished before this was called.
    pub(crate) async fn write_usage(&self) -> StoreResult<()> {
        // Not started: no read has been counted on this node.
        let Some(queue) = self.queue.get() else {
            return Ok(());
        };
        let (done, written) = oneshot::channel();
        queue
            .send(Entry::WriteUsage(done))
            .await
            .map_err(|_| StoreError::JournalStopped)?;
        answered(written).await
    }
}

async fn answered(answer: oneshot::Receiver<Result<(), Arc<StoreError>>>) -> StoreResult<()> {
    match answer.await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) if matches!(*e, StoreError::Stale) => Err(StoreError::Stale),
        Ok(Err(e)) => Err(StoreError::Group(e)),
        Err(_) => Err(StoreError::JournalStopped),
    }
}

async fn commit_groups(store: Arc<dyn Store>, mut queue: mpsc::Receiver<Entry>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    let mut usage = CountedReads::default();
    let mut every = tokio::time::interval(USAGE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            received = queue.recv_many(&mut group, MAX_GROUP) => {
                if received == 0 {
                    break;
                }
                let asked = commit_group(&*store, &mut group, &mut usage).await;
                if !asked.is_empty() {
                    let outcome = usage.write(&*store).await;
                    for done in asked {
                        let _ = done.send(outcome.clone());
                    }
                }
            }
            _ = every.tick(), if !usage.is_empty() => {
                let _ = usage.write(&*store).await;
            }
        }
    }
    let _ = usage.write(&*store).await;
}

/// Commits the group's events in one transaction and answers their requests; counts the reads
/// among them once committed (a read whose event failed handed nothing out). Returns those
/// who asked for the counts to be written.
async fn commit_group(
    store: &dyn Store,
    group: &mut Vec<Entry>,
    usage: &mut CountedReads,
) -> Vec<Done> {
    let mut events = Vec::with_capacity(group.len());
    let mut reads = Vec::new();
    let mut waiting = Vec::with_capacity(group.len());
    let mut asked = Vec::new();
    for entry in group.drain(..) {
        match entry {
            Entry::Event {
                event,
                read_by,
                since,
                done,
            } => {
                let relied = since
                    .zip(read_by.clone())
                    .map(|(since, (application, secret))| Relied {
                        since,
                        application,
                        secret,
                    });
                let read =
                    read_by.map(|(app, secret)| UsageTally::one_read(app, &secret, event.at));
                reads.push(read);
                events.push(GroupEvent { event, relied });
                waiting.push(done);
            }
            Entry::WriteUsage(done) => asked.push(done),
        }
    }
    if events.is_empty() {
        return asked;
    }
    let appended = store.append_audit_group(&events).await.map_err(Arc::new);
    if let Err(e) = &appended {
        tracing::error!(error = %e, events = events.len(), "audit group commit failed");
    }
    let stale = Arc::new(StoreError::Stale);
    for (i, done) in waiting.into_iter().enumerate() {
        let outcome = match &appended {
            Ok(kept) if kept.get(i) == Some(&Appended::Committed) => {
                let event = &events[i].event;
                metrics::counter!("strongbox_audit_events_total", "outcome" => event.outcome.to_string(), "path" => "journal")
                    .increment(1);
                usage.add(reads[i].take());
                Ok(())
            }
            Ok(_) => Err(stale.clone()),
            Err(e) => Err(e.clone()),
        };
        // The requester may have gone; its event is committed all the same.
        let _ = done.send(outcome);
    }
    asked
}

/// Reads counted but not yet written, one tally per application, secret and day.
#[derive(Default)]
struct CountedReads(HashMap<(ApplicationId, SecretId, i64), UsageTally>);

impl CountedReads {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn add(&mut self, reads: impl IntoIterator<Item = UsageTally>) {
        for read in reads {
            let key = (read.application, read.secret.clone(), read.day);
            match self.0.get_mut(&key) {
                Some(t) => {
                    t.reads += read.reads;
                    t.last_read_at = t.last_read_at.max(read.last_read_at);
                }
                None => {
                    self.0.insert(key, read);
                }
            }
        }
    }

    /// Writes the counts in one transaction; kept for the next try if that fails, so a
    /// passing database error loses no reads.
    async fn write(&mut self, store: &dyn Store) -> Result<(), Arc<StoreError>> {
        if self.is_empty() {
            return Ok(());
        }
        let tallies: Vec<UsageTally> = std::mem::take(&mut self.0).into_values().collect();
        match store.add_usage(&tallies).await {
            Ok(()) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, tallies = tallies.len(), "writing read counts failed; kept for the next try");
                self.add(tallies);
                Err(Arc::new(e))
            }
        }
    }
}
