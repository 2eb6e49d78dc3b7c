//! A write transaction's BEGIN, sent with what the transaction will look up first, in one
//! round trip to the connection's thread: its own, or the previous write's COMMIT (ADR 0021).

use super::held::Held;
use super::{SqliteStore, SqliteTx};
use crate::store::sql::read_ahead::read_rows;
use crate::store::sql::read_ahead::{KEEPERS, LOOKUPS, push_bound};
use crate::store::{StoreResult, Tx, WriteAbout};

impl SqliteStore {
    /// A write transaction on the writer connection: begun with the last write's COMMIT if
    /// that was for this one, else `BEGIN IMMEDIATE` and the first lookups in one round trip.
    pub(super) async fn begin_writing(
        &self,
        about: Option<&WriteAbout>,
    ) -> StoreResult<Box<dyn Tx>> {
        let ticket = about.map(|a| self.writer.wait_as(a));
        let (conn, handed) = self.writer.take_for(ticket.as_ref()).await?;
        drop(ticket);
        // Marked first: if this is cancelled once the BEGIN has run, the next holder ends it.
        self.writer.in_use();
        let mut tx = SqliteTx::on(conn);
        tx.open = true;
        tx.invalidates = self.cache.clone();
        tx.writer = Some(self.writer.clone());
        let ahead = match handed {
            Some(ahead) => ahead,
            None => {
                let mut held = Held::new();
                let at = push_begin(&mut held, about);
                let rows = held.send_rows(&mut tx.conn).await.map_err(|(_, e)| e)?;
                read_rows(|i| rows.get(at + i).and_then(Option::as_ref), about)?
            }
        };
        tx.ahead = Some(ahead);
        Ok(Box::new(tx))
    }
}

/// Appends `begin immediate` and the lookups for `about`; returns the place of the first
/// lookup, for [`read_rows`].
pub(super) fn push_begin(held: &mut Held, about: Option<&WriteAbout>) -> usize {
    held.push(|sql| {
        sql.push("begin immediate");
    });
    let keepers = held.push(|sql| {
        sql.push(KEEPERS);
    });
    if let Some(about) = about {
        for text in LOOKUPS.iter() {
            held.push(|sql| push_bound(sql, text, about));
        }
    }
    keepers
}
