//! Substring search on SQLite: the trigram index for rare terms, a scan in page order for
//! common ones (ADR 0011).

use sqlx::{QueryBuilder, Sqlite};

use super::SqliteTx;
use crate::store::StoreResult;
use crate::store::sql::{SearchPlan, like_pattern};

/// A search term in fewer documents than this is looked up in the trigram index and its matches
/// sorted; one in more fills a page within a few thousand secrets in page order (ADR 0011).
const SELECTIVE_MATCHES: i64 = 1000;

/// `term` as an FTS5 phrase, which matches literally: quoted, with inner quotes doubled.
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

impl SqliteTx {
    /// The ids of the secrets whose documents contain `term`, when there are few enough that
    /// sorting them beats walking the model in page order. The trigram index lists up to the cap
    /// in about a millisecond; a term under three characters has no trigram and is scanned.
    pub(in crate::store) async fn search_plan(&mut self, term: &str) -> StoreResult<SearchPlan> {
        if term.chars().count() < 3 {
            return Ok(SearchPlan::Scan);
        }
        let ids: Vec<String> = sqlx::query_scalar(
            "select d.secret_id from secret_search f join secret_search_doc d on d.id = f.rowid \
             where secret_search match $1 limit $2",
        )
        .bind(fts_phrase(term))
        .bind(SELECTIVE_MATCHES)
        .fetch_all(self.conn().await?)
        .await?;
        if ids.len() as i64 >= SELECTIVE_MATCHES {
            return Ok(SearchPlan::Scan);
        }
        Ok(SearchPlan::Matches(
            serde_json::Value::from(ids).to_string(),
        ))
    }

    /// Keeps the secrets whose search document contains `term`, in any case.
    pub(in crate::store) fn push_search(
        sql: &mut QueryBuilder<'_, Sqlite>,
        term: &str,
        plan: SearchPlan,
    ) {
        match plan {
            SearchPlan::Matches(ids) => {
                sql.push(" and s.id in (select value from json_each(")
                    .push_bind(ids)
                    .push("))");
            }
            SearchPlan::Scan => {
                sql.push(
                    " and exists (select 1 from secret_search_doc d where d.secret_id = s.id \
                     and d.doc like ",
                )
                .push_bind(like_pattern(term))
                .push(" escape '\\')");
            }
        }
    }
}
