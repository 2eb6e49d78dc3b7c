//! What an SQLite database holds, as text to compare before and after: the proof that a refused
//! request changed nothing.

/// Every row of every ordinary table but those in `except`, one line per table. The search
/// index's virtual and shadow tables are left out: they mirror `secret_search_doc`, which is
/// compared.
pub async fn every_row(pool: &sqlx::SqlitePool, except: &[&str]) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "select name from pragma_table_list where schema = 'main' and type = 'table' \
         and name not like 'sqlite_%' order by name",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut out = String::new();
    for table in tables.iter().filter(|t| !except.contains(&t.as_str())) {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("select name from pragma_table_info('{table}')"))
                .fetch_all(pool)
                .await
                .expect("columns");
        let row = columns
            .iter()
            .map(|c| format!("quote({c})"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("select {row} from {table} order by rowid"))
                .fetch_all(pool)
                .await
                .expect("rows");
        out.push_str(&format!("{table}: {rows:?}\n"));
    }
    out
}
