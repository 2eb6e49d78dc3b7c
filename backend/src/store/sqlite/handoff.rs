//! The next write's BEGIN and lookups, sent in the same round trip as this write's COMMIT
//! (ADR 0021).
//!
//! Writes queue for the one writer connection. A write that will look something up registers
//! what it is about while it waits; the write that holds the connection appends
//! `begin immediate` and the first waiter's lookups to its COMMIT, and leaves the transaction
//! begun, with what it read, for that waiter. Whoever takes the connection next and is not
//! that waiter (the waiter gave up, the journal came first) rolls the transaction back, as it
//! does any transaction left open on the connection.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use super::WriterSlot;
use crate::store::{ReadAhead, WriteAbout};

/// Who waits for the writer, and the transaction begun for one of them.
#[derive(Default)]
pub(super) struct Handoff {
    next_ticket: u64,
    waiting: VecDeque<(u64, WriteAbout)>,
    begun: Option<(u64, ReadAhead)>,
}

pub(super) type SharedHandoff = Arc<Mutex<Handoff>>;

/// A write waiting for the writer connection; leaves the queue when dropped.
pub(super) struct Ticket {
    id: u64,
    writer: WriterSlot,
}

impl WriterSlot {
    fn handoff(&self) -> std::sync::MutexGuard<'_, Handoff> {
        self.handoff.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a write about `about` as waiting for the connection.
    pub(super) fn wait_as(&self, about: &WriteAbout) -> Ticket {
        let mut handoff = self.handoff();
        handoff.next_ticket += 1;
        let id = handoff.next_ticket;
        handoff.waiting.push_back((id, about.clone()));
        Ticket {
            id,
            writer: self.clone(),
        }
    }

    /// The first waiter, for the holder to begin its transaction.
    pub(super) fn first_waiting(&self) -> Option<(u64, WriteAbout)> {
        self.handoff().waiting.front().cloned()
    }

    /// The transaction now open on the connection was begun for waiter `id`, and read `ahead`.
    /// If that waiter has given up meanwhile, the transaction is ended as soon as the
    /// connection is back: nobody else would end it until the next write.
    pub(super) fn begun_for(&self, id: u64, ahead: ReadAhead) {
        let mut handoff = self.handoff();
        if handoff.waiting.iter().any(|(waiting, _)| *waiting == id) {
            handoff.begun = Some((id, ahead));
            return;
        }
        drop(handoff);
        self.end_soon();
    }

    /// What was read for `ticket`, if the open transaction was begun for it; else forgets it.
    pub(super) fn begun(&self, ticket: Option<&Ticket>) -> Option<ReadAhead> {
        let (id, ahead) = self.handoff().begun.take()?;
        (ticket.map(|t| t.id) == Some(id)).then_some(ahead)
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut handoff = self.writer.handoff();
        handoff.waiting.retain(|(id, _)| *id != self.id);
        let abandoned = matches!(&handoff.begun, Some((id, _)) if *id == self.id);
        drop(handoff);
        // Begun for this write, which gave up before taking it: end it now, so that the write
        // lock is not held until the next write comes.
        if abandoned {
            self.writer.end_soon();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Asker;
    use crate::store::sqlite::SqliteStore;
    use std::time::Duration;

    #[tokio::test]
    async fn a_transaction_begun_for_a_write_that_gave_up_is_ended() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("handoff.db").display());
        let store = SqliteStore::connect_serving(&url).await.expect("sqlite");
        let about = WriteAbout {
            model: domain::ModelName::parse("prod").expect("name"),
            asker: Asker::User(domain::UserId(1)),
            secret: None,
        };
        let mut conn = store.writer.take().await.expect("writer");
        store.writer.in_use();
        sqlx::query("begin immediate")
            .execute(&mut *conn)
            .await
            .expect("begin");
        // The write it was begun for gave up while the COMMIT that began it was on its way.
        let gone = store.writer.wait_as(&about);
        let id = gone.id;
        drop(gone);
        store.writer.begun_for(id, ReadAhead::default());
        drop(conn);
        // Nobody will take that transaction: it must end now, not hold the write lock until
        // the next write (another connection's busy wait gives up after 10 s).
        tokio::time::timeout(
            Duration::from_secs(2),
            sqlx::query("create table probe (x integer)").execute(store.pool()),
        )
        .await
        .expect("the write lock was let go")
        .expect("create");
    }
}
