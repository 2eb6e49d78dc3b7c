//! An application's id is never reused (issue 28), as migration 0015 did for tokens: without
//! AUTOINCREMENT SQLite gives a new row the highest id plus one, so removing the newest
//! application handed its id to the next. The table is rebuilt with AUTOINCREMENT once.
//!
//! This is not a migration because it needs foreign keys off: eight tables reference the table
//! with ON DELETE CASCADE, and dropping the old one with them on would delete every token,
//! grant, tracking, event and webhook with it. The pragma only takes effect outside a
//! transaction, and sqlx runs each SQLite migration inside one.

use sqlx::SqliteConnection;

use crate::store::StoreResult;

/// The rebuild. The legacy rename keeps SQLite from re-checking the search triggers, which name
/// the table, while it is briefly missing; the references are by name, so they follow.
const REBUILD: &str = "
pragma foreign_keys = off;
pragma legacy_alter_table = on;
begin immediate;
create table application_new (
    id integer primary key autoincrement,
    model_id integer not null references model (id) on delete cascade,
    name text not null,
    created_at integer not null,
    updated_at integer not null,
    constraint application_model_name_key unique (model_id, name)
);
insert into application_new (id, model_id, name, created_at, updated_at)
    select id, model_id, name, created_at, updated_at from application;
drop table application;
alter table application_new rename to application;
delete from sqlite_sequence where name in ('application', 'application_new');
insert into sqlite_sequence (name, seq)
    values ('application', coalesce((select max(id) from application), 0));
commit;
";

/// Rebuilds the table unless that was done. Foreign keys are on again afterwards, whatever
/// happened; a failure rolls the rebuild back and stops the start.
pub(super) async fn never_reused(conn: &mut SqliteConnection) -> StoreResult<()> {
    let done: bool = sqlx::query_scalar(
        "select coalesce((select instr(lower(sql), 'autoincrement') > 0 from sqlite_schema \
         where type = 'table' and name = 'application'), 1)",
    )
    .fetch_one(&mut *conn)
    .await?;
    if done {
        return Ok(());
    }
    let rebuilt = sqlx::raw_sql(REBUILD).execute(&mut *conn).await;
    if rebuilt.is_err() {
        let _ = sqlx::raw_sql("rollback").execute(&mut *conn).await;
    }
    sqlx::raw_sql("pragma legacy_alter_table = off; pragma foreign_keys = on")
        .execute(&mut *conn)
        .await?;
    rebuilt?;
    Ok(())
}
