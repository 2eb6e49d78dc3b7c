//! The read-ahead's statements and the reading of their rows, the same on both databases
//! (ADR 0021): the audit head and the current master key, then, for a write about a secret,
//! the model with the asker's standing, the secret, and its latest revision. Each database
//! sends them with its BEGIN its own way; `$1`–`$5` stand for [`about_value`].

use std::sync::LazyLock;

use sqlx::{ColumnIndex, Database, Decode, Encode, FromRow, QueryBuilder, Row, Type};

use super::rows::{
    REVISION_COLUMNS, RevisionRow, SECRET_COLUMNS, STANDING_SELECT, SecretRow, StandingRow,
};
use crate::store::{Asker, ReadAhead, StoreResult, WriteAbout};

/// What every write may need: the audit chain's head and the current master key.
pub(crate) const KEEPERS: &str = "select (select seq from audit_head where id = 1) as head_seq, \
     (select hash from audit_head where id = 1) as head_hash, \
     (select current_key_id from master_key_state where id = 1) as key_id";

/// The lookups for a write about a secret, in the order [`read_rows`] reads them: the model
/// with the asker's standing (`$1`–`$4`), the secret with ID `$5` in the model named `$4`,
/// and its latest revision.
pub(crate) static LOOKUPS: LazyLock<[String; 3]> = LazyLock::new(|| {
    [
        STANDING_SELECT.to_owned(),
        format!(
            "select {SECRET_COLUMNS} from secret s where s.id = $5 \
             and s.model_id = (select id from model where name = $4)"
        ),
        format!(
            "{REVISION_COLUMNS} where secret_id = $5 \
             and revision = (select latest_revision from secret where id = $5)"
        ),
    ]
});

/// The value a lookup's `$n` stands for.
enum AboutValue {
    Id(Option<i64>),
    Text(Option<String>),
}

fn about_value(about: &WriteAbout, n: usize) -> AboutValue {
    let (user, app) = match about.asker {
        Asker::User(u) => (Some(u.0), None),
        Asker::Application(a) => (None, Some(a.0)),
    };
    match n {
        1 | 2 => AboutValue::Id(user),
        3 => AboutValue::Id(app),
        4 => AboutValue::Text(Some(about.model.as_str().to_owned())),
        _ => AboutValue::Text(about.secret.as_ref().map(|s| s.as_str().to_owned())),
    }
}

/// A piece of a lookup's text: as written, or the place of `$n`.
enum Part<'t> {
    Text(&'t str),
    Value(usize),
}

/// Walks `text`, handing on its pieces in order.
fn each_part<'t>(text: &'t str, mut part: impl FnMut(Part<'t>)) {
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        part(Part::Text(&rest[..at]));
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse() {
            Ok(n) => part(Part::Value(n)),
            Err(_) => part(Part::Text("$")),
        }
        rest = &after[digits..];
    }
    part(Part::Text(rest));
}

/// Appends `text` with each `$n` in it bound for `about`. (A held batch on SQLite numbers its
/// parameters in order across all its statements, as the builder does.)
pub(crate) fn push_bound<DB>(sql: &mut QueryBuilder<'static, DB>, text: &str, about: &WriteAbout)
where
    DB: Database,
    Option<i64>: for<'q> Encode<'q, DB> + Type<DB>,
    Option<String>: for<'q> Encode<'q, DB> + Type<DB>,
{
    each_part(text, |part| match part {
        Part::Text(t) => {
            sql.push(t);
        }
        Part::Value(n) => match about_value(about, n) {
            AboutValue::Id(v) => {
                sql.push_bind(v);
            }
            AboutValue::Text(v) => {
                sql.push_bind(v);
            }
        },
    });
}

/// What [`KEEPERS`] and then [`LOOKUPS`] read, `row(i)` being the first row of statement `i`
/// (the keepers', then each lookup's), if any.
pub(crate) fn read_rows<'a, R>(
    row: impl Fn(usize) -> Option<&'a R>,
    about: Option<&WriteAbout>,
) -> StoreResult<ReadAhead>
where
    R: Row + 'a,
    &'static str: ColumnIndex<R>,
    for<'r> Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> StandingRow: FromRow<'r, R>,
    for<'r> SecretRow: FromRow<'r, R>,
    for<'r> RevisionRow: FromRow<'r, R>,
{
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
