//! A write transaction's BEGIN, sent with what the transaction will look up first, in one
//! round trip to the connection's thread: its own, or the previous write's COMMIT (ADR 0021).

use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow as _, QueryBuilder, Row as _, Sqlite};
use std::sync::LazyLock;

use super::held::Held;
use super::{SqliteStore, SqliteTx};
use crate::store::sql::rows::{
    REVISION_COLUMNS, RevisionRow, SECRET_COLUMNS, STANDING_SELECT, SecretRow, StandingRow,
};
use crate::store::{Asker, ReadAhead, StoreResult, Tx, WriteAbout};

/// What every write may need: the audit chain's head and the current master key.
const KEEPERS: &str = "select (select seq from audit_head where id = 1) as head_seq, \
     (select hash from audit_head where id = 1) as head_hash, \
     (select current_key_id from master_key_state where id = 1) as key_id";

/// The secret with ID `$5` in the model named `$4`, and its latest revision; `STANDING_SELECT`
/// takes `$1`–`$4`.
static SECRET_SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "select {SECRET_COLUMNS} from secret s where s.id = $5 \
         and s.model_id = (select id from model where name = $4)"
    )
});
static LATEST_SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{REVISION_COLUMNS} where secret_id = $5 \
         and revision = (select latest_revision from secret where id = $5)"
    )
});

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
                read_rows(&rows[at..], about)?
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
        for text in [
            STANDING_SELECT,
            SECRET_SELECT.as_str(),
            LATEST_SELECT.as_str(),
        ] {
            held.push(|sql| push_numbered(sql, text, |sql, n| bind_about(sql, about, n)));
        }
    }
    keepers
}

/// Appends `text`, binding each `$n` in it with `bind`: a held batch numbers its parameters
/// in order across all its statements.
fn push_numbered(
    sql: &mut QueryBuilder<'static, Sqlite>,
    text: &str,
    mut bind: impl FnMut(&mut QueryBuilder<'static, Sqlite>, usize),
) {
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        sql.push(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse() {
            Ok(n) => bind(sql, n),
            Err(_) => {
                sql.push("$");
            }
        }
        rest = &after[digits..];
    }
    sql.push(rest);
}

fn bind_about(sql: &mut QueryBuilder<'static, Sqlite>, about: &WriteAbout, n: usize) {
    let (user, app) = match about.asker {
        Asker::User(u) => (Some(u.0), None),
        Asker::Application(a) => (None, Some(a.0)),
    };
    match n {
        1 | 2 => sql.push_bind(user),
        3 => sql.push_bind(app),
        4 => sql.push_bind(about.model.as_str().to_owned()),
        _ => sql.push_bind(about.secret.as_ref().map(|s| s.as_str().to_owned())),
    };
}

/// What the statements [`push_begin`] appended read, from the first lookup's row on.
pub(super) fn read_rows(
    rows: &[Option<SqliteRow>],
    about: Option<&WriteAbout>,
) -> StoreResult<ReadAhead> {
    let row = |i: usize| rows.get(i).and_then(Option::as_ref);
    let mut ahead = ReadAhead::default();
    if let Some(row) = row(0) {
        let seq: Option<i64> = row.try_get("head_seq")?;
        let hash: Option<String> = row.try_get("head_hash")?;
        ahead.audit_head = Some(seq.zip(hash));
        ahead.master_key_id = Some(row.try_get("key_id")?);
    }
    let Some(about) = about else {
        return Ok(ahead);
    };
    let standing = row(1)
        .map(|r| StandingRow::from_row(r)?.into_parts(about.asker))
        .transpose()?;
    let secret = row(2)
        .map(|r| SecretRow::from_row(r)?.into_record())
        .transpose()?;
    let latest = row(3)
        .map(|r| RevisionRow::from_row(r)?.into_record())
        .transpose()?;
    Ok(ahead.with_lookups(about, standing, secret, latest))
}
