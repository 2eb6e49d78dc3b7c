//! A write transaction's first lookups on PostgreSQL, after its BEGIN: the audit head and the
//! current master key travel with the model and the asker's standing, in one statement; then
//! the secret and its latest revision (ADR 0021's read-ahead; docs/adr/0028). The head and the
//! key were two round trips of their own, each costing PostgreSQL more CPU than its statement.
//!
//! Each lookup stays a prepared statement with parameters: sent as one simple query with its
//! values written in, the five cost more to parse and plan each time than the round trips
//! they saved (2.48 ms of PostgreSQL CPU per update instead of 1.90).

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row as _};

use crate::store::sql::read_ahead::{KEEPERS, LOOKUPS, push_bound, read_rows};
use crate::store::{ReadAhead, StoreResult, WriteAbout};

/// Runs the lookups for `about` in the open transaction on `conn`: one round trip, three when
/// the write names its secret by ID (a secret named otherwise is looked up by the write itself).
pub(super) async fn look_up(conn: &mut PgConnection, about: &WriteAbout) -> StoreResult<ReadAhead> {
    let [standing, secret, latest] = &*LOOKUPS;
    // The keepers always have their one row; the model's columns are null when it is missing.
    let keepers =
        format!("select k.*, st.* from ({KEEPERS}) k left join lateral ({standing}) st on true");
    let first = fetch(conn, &keepers, about).await?;
    let (secret, latest) = match about.secret {
        Some(_) => (
            fetch(conn, secret, about).await?,
            fetch(conn, latest, about).await?,
        ),
        None => (None, None),
    };
    let model_found = match &first {
        Some(row) => row.try_get::<Option<i64>, _>("id")?.is_some(),
        None => false,
    };
    read_rows(
        |i| match i {
            0 => first.as_ref(),
            1 if model_found => first.as_ref(),
            2 => secret.as_ref(),
            3 => latest.as_ref(),
            _ => None,
        },
        Some(about),
    )
}

/// The first row of `text` with its `$n` bound for `about`.
async fn fetch(
    conn: &mut PgConnection,
    text: &str,
    about: &WriteAbout,
) -> StoreResult<Option<PgRow>> {
    let mut sql = QueryBuilder::<Postgres>::new("");
    push_bound(&mut sql, text, about);
    Ok(sql.build().fetch_optional(conn).await?)
}
