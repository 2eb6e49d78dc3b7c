//! The statements a write transaction holds back, to send in one round trip (ADR 0021): a leaf
//! that both the read-ahead at BEGIN and the held writes build on.

use futures::TryStreamExt as _;
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{Either, QueryBuilder, Sqlite};

use crate::store::{RowsChanged, StoreError, StoreResult};

/// Statements to send in one round trip, and whose changed-row counts someone waits for.
pub(super) struct Held {
    sql: QueryBuilder<'static, Sqlite>,
    statements: usize,
    pub(super) counted: Vec<(usize, RowsChanged)>,
}

impl Held {
    pub(super) fn new() -> Self {
        Held {
            sql: QueryBuilder::new(""),
            statements: 0,
            counted: Vec::new(),
        }
    }

    /// Appends the one statement `push` writes; returns its place.
    pub(super) fn push(&mut self, push: impl FnOnce(&mut QueryBuilder<'static, Sqlite>)) -> usize {
        if self.statements > 0 {
            self.sql.push("; ");
        }
        push(&mut self.sql);
        self.statements += 1;
        self.statements - 1
    }

    /// Sends every statement, and tells each waiting count its own.
    pub(super) async fn send(self, conn: &mut SqliteConnection) -> StoreResult<()> {
        self.send_rows(conn).await.map(drop).map_err(|(_, e)| e)
    }

    /// `send`, returning each statement's row (the statements held return one at most). On
    /// an error, also how many statements had finished before it.
    pub(super) async fn send_rows(
        mut self,
        conn: &mut SqliteConnection,
    ) -> Result<Vec<Option<SqliteRow>>, (usize, StoreError)> {
        let mut rows: Vec<Option<SqliteRow>> = (0..self.statements).map(|_| None).collect();
        let mut statement = 0;
        // sqlx reports each statement's changed rows as it ends. `fetch_many` is deprecated
        // only because other drivers cannot run several statements in one query.
        #[allow(deprecated)]
        let mut steps = self.sql.build().fetch_many(conn);
        loop {
            match steps.try_next().await {
                Ok(Some(Either::Left(done))) => {
                    let counted = self.counted.iter().find(|(at, _)| *at == statement);
                    if let Some((_, count)) = counted {
                        count.set(done.rows_affected());
                    }
                    statement += 1;
                }
                Ok(Some(Either::Right(row))) => {
                    if let Some(slot) = rows.get_mut(statement) {
                        *slot = Some(row);
                    }
                }
                Ok(None) => return Ok(rows),
                Err(e) => return Err((statement, e.into())),
            }
        }
    }
}
