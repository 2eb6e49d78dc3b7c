//! Shared SQL for both databases; see `store/sql.rs`.

/// Usage rows in one upsert: 5 parameters each, well under SQLite's limit.
pub(crate) const USAGE_ROWS_PER_STATEMENT: usize = 1_000;

macro_rules! impl_review_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, ModelId, SecretId, Timestamp};
            use sqlx::QueryBuilder;

            use $crate::store::sql::USAGE_ROWS_PER_STATEMENT;
            use $crate::store::{NewSignOff, ReviewTx, SignOffRecord, StoreResult, UsageTally};

            type SignOffRow = (i64, String, i64, String, String, i64);

            impl $tx {
                /// Appends one statement adding `chunk` (at most
                /// [`USAGE_ROWS_PER_STATEMENT`] tallies) to the usage counts.
                fn push_usage_upsert(sql: &mut QueryBuilder<'static, $db>, chunk: &[UsageTally]) {
                    sql.push("insert into grant_usage (application_id, secret_id, day, reads, last_read_at) ");
                    sql.push_values(chunk, |mut row, t| {
                        row.push_bind(t.application.0)
                            .push_bind(t.secret.as_str().to_owned())
                            .push_bind(t.day)
                            .push_bind(t.reads)
                            .push_bind(t.last_read_at.millis());
                    });
                    sql.push(
                        " on conflict (application_id, secret_id, day) do update set \
                         reads = grant_usage.reads + excluded.reads, last_read_at = case \
                         when excluded.last_read_at > grant_usage.last_read_at then excluded.last_read_at \
                         else grant_usage.last_read_at end",
                    );
                }
            }

            #[async_trait]
            impl ReviewTx for $tx {
                async fn record_usage(&mut self, usage: &[UsageTally]) -> StoreResult<()> {
                    for chunk in usage.chunks(USAGE_ROWS_PER_STATEMENT) {
                        self.write_later($crate::store::sql::HeldWrite::UsageTallies, |sql| <$tx>::push_usage_upsert(sql, chunk)).await?;
                    }
                    Ok(())
                }

                async fn forget_usage(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<()> {
                    sqlx::query("delete from grant_usage where secret_id = $1 and application_id = $2")
                        .bind(secret.as_str())
                        .bind(app.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn insert_sign_off(&mut self, new: &NewSignOff) -> StoreResult<SignOffRecord> {
                    let id: i64 = sqlx::query_scalar(
                        "insert into access_review_sign_off (model_id, reviewed_by, reviewed_at, note, \
                         grant_digest, grant_count) values ($1, $2, $3, $4, $5, $6) returning id",
                    )
                    .bind(new.model.0)
                    .bind(&new.reviewed_by)
                    .bind(new.reviewed_at.millis())
                    .bind(&new.note)
                    .bind(&new.grant_digest)
                    .bind(new.grant_count)
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(SignOffRecord {
                        id,
                        reviewed_by: new.reviewed_by.clone(),
                        reviewed_at: new.reviewed_at,
                        note: new.note.clone(),
                        grant_digest: new.grant_digest.clone(),
                        grant_count: new.grant_count,
                    })
                }

                async fn sign_offs(&mut self, model: ModelId, limit: i64) -> StoreResult<Vec<SignOffRecord>> {
                    let rows: Vec<SignOffRow> = sqlx::query_as(
                        "select id, reviewed_by, reviewed_at, note, grant_digest, grant_count \
                         from access_review_sign_off where model_id = $1 order by reviewed_at desc, id desc limit $2",
                    )
                    .bind(model.0)
                    .bind(limit)
                    .fetch_all(self.conn().await?)
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(id, reviewed_by, at, note, grant_digest, grant_count)| SignOffRecord {
                            id,
                            reviewed_by,
                            reviewed_at: Timestamp(at),
                            note,
                            grant_digest,
                            grant_count,
                        })
                        .collect())
                }
            }
        };
    };
}
pub(crate) use impl_review_tx;
