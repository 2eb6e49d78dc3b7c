//! A write transaction's BEGIN, sent with what the transaction will look up first, in one
//! round trip to the connection's thread (ADR 0021).

use futures::TryStreamExt as _;
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{Either, FromRow as _, Row as _};
use std::sync::LazyLock;

use super::{SqliteStore, SqliteTx};
use crate::store::sql::rows::{
    REVISION_COLUMNS, RevisionRow, SECRET_COLUMNS, STANDING_SELECT, SecretRow, StandingRow,
};
use crate::store::{Asker, ReadAhead, StoreResult, Tx, WriteAbout};

/// The BEGIN and what every write may need: the audit chain's head and the current master key.
const BEGIN: &str = "begin immediate; \
     select (select seq from audit_head where id = 1) as head_seq, \
     (select hash from audit_head where id = 1) as head_hash, \
     (select current_key_id from master_key_state where id = 1) as key_id";

/// The BEGIN, then the model and the asker's standing (`$1`–`$4`), the secret with ID `$5` in
/// that model, and its latest revision.
static BEGIN_WITH_LOOKUPS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{BEGIN}; {STANDING_SELECT}; \
         select {SECRET_COLUMNS} from secret s where s.id = $5 \
         and s.model_id = (select id from model where name = $4); \
         {REVISION_COLUMNS} where secret_id = $5 \
         and revision = (select latest_revision from secret where id = $5)"
    )
});

impl SqliteStore {
    /// A write transaction on the writer connection: `BEGIN IMMEDIATE` and the first lookups
    /// in one round trip.
    pub(super) async fn begin_writing(
        &self,
        about: Option<&WriteAbout>,
    ) -> StoreResult<Box<dyn Tx>> {
        let conn = self.writer_connection().await?;
        // Marked first: if this is cancelled once the BEGIN has run, the next holder ends it.
        self.writer.in_use();
        let mut tx = SqliteTx {
            conn,
            open: true,
            lookups: None,
            invalidates: self.cache.clone(),
            writer: Some(self.writer.clone()),
            ahead: None,
            pending: None,
        };
        tx.ahead = Some(begin_and_read(&mut tx.conn, about).await?);
        Ok(Box::new(tx))
    }
}

async fn begin_and_read(
    conn: &mut SqliteConnection,
    about: Option<&WriteAbout>,
) -> StoreResult<ReadAhead> {
    let query = match about {
        None => sqlx::query(BEGIN),
        Some(about) => {
            let (user, app) = match about.asker {
                Asker::User(u) => (Some(u.0), None),
                Asker::Application(a) => (None, Some(a.0)),
            };
            sqlx::query(BEGIN_WITH_LOOKUPS.as_str())
                .bind(user)
                .bind(user)
                .bind(app)
                .bind(about.model.as_str())
                .bind(about.secret.as_ref().map(|s| s.as_str()))
        }
    };
    // Each statement's rows, in order; sqlx reports the end of every statement. `fetch_many`
    // is deprecated only because other drivers cannot run several statements (ADR 0019).
    let mut rows: [Option<SqliteRow>; 5] = Default::default();
    let mut statement = 0;
    #[allow(deprecated)]
    let mut steps = query.fetch_many(&mut *conn);
    while let Some(step) = steps.try_next().await? {
        match step {
            Either::Left(_) => statement += 1,
            Either::Right(row) => {
                if let Some(slot) = rows.get_mut(statement) {
                    *slot = Some(row);
                }
            }
        }
    }
    drop(steps);
    let [_, keepers, standing, secret, latest] = rows;
    let mut ahead = ReadAhead::default();
    if let Some(row) = keepers {
        let seq: Option<i64> = row.try_get("head_seq")?;
        let hash: Option<String> = row.try_get("head_hash")?;
        ahead.audit_head = Some(seq.zip(hash));
        ahead.master_key_id = Some(row.try_get("key_id")?);
    }
    let Some(about) = about else {
        return Ok(ahead);
    };
    let standing = standing
        .map(|r| StandingRow::from_row(&r)?.into_parts(about.asker))
        .transpose()?;
    let secret = secret
        .map(|r| SecretRow::from_row(&r)?.into_record())
        .transpose()?;
    let latest = latest
        .map(|r| RevisionRow::from_row(&r)?.into_record())
        .transpose()?;
    Ok(ahead.with_lookups(about, standing, secret, latest))
}
