//! What a write on the serving store changed that an application's read looks up, so that its
//! commit forgets only that from the read cache instead of everything (docs/adr/0029).
//!
//! The same changes as PostgreSQL's `cache_change` triggers (migration 0016, docs/adr/0028),
//! recorded by TEMP triggers on the writer connection into a TEMP table: only the serving
//! process has a read cache, and only its writer connection writes what the cache holds
//! (docs/adr/0017). A temporary table is part of the transaction: a rollback takes its rows
//! back with the rest. Each commit reads and empties it in the COMMIT's round trip.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, SqliteConnection};

use crate::store::read_cache::CacheChange;
use crate::store::{StoreError, StoreResult};

/// The TEMP triggers, created once on the writer connection of a serving store: for each, when
/// it fires and what it records. A rotation re-wraps every revision and a model rename touches
/// every read in it: one "everything" row per transaction, not one per row.
const RECORDERS: [(&str, &str, &str); 15] = [
    (
        "token_update",
        "update on main.api_token when old.application_id is not null",
        APP_OF_TOKEN,
    ),
    (
        "token_delete",
        "delete on main.api_token when old.application_id is not null",
        APP_OF_TOKEN,
    ),
    ("application_update", "update on main.application", APP),
    ("application_delete", "delete on main.application", APP),
    ("secret_update", "update on main.secret", SECRET),
    ("secret_delete", "delete on main.secret", SECRET),
    ("grant_insert", "insert on main.secret_grant", NEW_PART),
    ("grant_delete", "delete on main.secret_grant", OLD_PART),
    (
        "consumer_insert",
        "insert on main.secret_consumer",
        NEW_PART,
    ),
    (
        "consumer_update",
        "update on main.secret_consumer",
        NEW_PART,
    ),
    (
        "consumer_delete",
        "delete on main.secret_consumer",
        OLD_PART,
    ),
    (
        "revision_delete",
        "delete on main.secret_revision",
        OLD_PART,
    ),
    (
        "revision_update",
        "update on main.secret_revision",
        EVERYTHING,
    ),
    ("model_update", "update on main.model", EVERYTHING),
    ("model_delete", "delete on main.model", EVERYTHING),
];
const APP_OF_TOKEN: &str = "(application_id) values (old.application_id)";
const APP: &str = "(application_id) values (old.id)";
const SECRET: &str = "(secret_id) values (old.id)";
const NEW_PART: &str = "(secret_id) values (new.secret_id)";
const OLD_PART: &str = "(secret_id) values (old.secret_id)";
const EVERYTHING: &str = "(application_id, secret_id) values (null, null)";
const EVERYTHING_ONCE: &str = " when not exists (select 1 from temp.cache_change \
     where application_id is null and secret_id is null)";

/// The transaction's changes as one row (a batch returns each statement's first row only).
pub(super) const CHANGES: &str = "select \
     coalesce(max(application_id is null and secret_id is null), 0) as everything, \
     (select json_group_array(distinct application_id) from temp.cache_change \
      where application_id is not null) as applications, \
     (select json_group_array(distinct secret_id) from temp.cache_change \
      where secret_id is not null) as secrets \
     from temp.cache_change";

/// Sent after [`CHANGES`], before the COMMIT.
pub(super) const FORGET: &str = "delete from temp.cache_change";

pub(super) async fn record_on(writer: &mut SqliteConnection) -> StoreResult<()> {
    let mut sql = String::from(
        "create temp table if not exists cache_change (application_id integer, secret_id text);",
    );
    for (name, on, what) in RECORDERS {
        // One "everything" row per transaction is enough.
        let once = if what == EVERYTHING {
            EVERYTHING_ONCE
        } else {
            ""
        };
        // Inside a trigger the table is named without its schema; TEMP is searched first.
        sql.push_str(&format!(
            "create temp trigger if not exists cc_{name} after {on}{once} \
             begin insert into cache_change {what}; end;"
        ));
    }
    sqlx::raw_sql(&sql).execute(writer).await?;
    Ok(())
}

/// What [`CHANGES`] read; no row (which cannot happen) is everything.
pub(super) fn changes_in(row: Option<&SqliteRow>) -> StoreResult<Vec<CacheChange>> {
    let Some(row) = row else {
        return Ok(vec![CacheChange::Everything]);
    };
    if row.try_get::<i64, _>("everything")? != 0 {
        return Ok(vec![CacheChange::Everything]);
    }
    let listed = |column: &'static str| -> StoreResult<Vec<serde_json::Value>> {
        let text: String = row.try_get(column)?;
        serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            what: column,
            problem: e.to_string(),
        })
    };
    let applications = listed("applications")?
        .into_iter()
        .map(|a| CacheChange::of(a.as_i64(), None));
    let secrets = listed("secrets")?
        .into_iter()
        .map(|s| CacheChange::of(None, s.as_str().map(str::to_owned)));
    Ok(applications.chain(secrets).collect())
}
