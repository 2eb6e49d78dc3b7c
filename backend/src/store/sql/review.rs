//! Shared SQL for both databases; see `store/sql.rs`.

/// Usage rows in one upsert: 5 parameters each, well under SQLite's limit.
pub(crate) const USAGE_ROWS_PER_STATEMENT: usize = 1_000;

macro_rules! impl_review_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, ModelId, SecretId, SecretName, Timestamp};
            use sqlx::QueryBuilder;

            use $crate::store::sql::rows::{app_name, revision, secret_id};
            use $crate::store::sql::USAGE_ROWS_PER_STATEMENT;
            use $crate::store::{
                GrantUsageRecord, NewSignOff, ReviewScope, ReviewTx, SignOffRecord, StoreResult,
                UsageTally, stored,
            };

            #[derive(sqlx::FromRow)]
            struct ReviewRow {
                secret_id: String,
                secret_name: Option<String>,
                owner: Option<String>,
                application_id: i64,
                application_name: String,
                granted_by: String,
                granted_at: i64,
                last_read_at: Option<i64>,
                recent_reads: i64,
                tracked: Option<i64>,
                latest: i64,
                behind_since: Option<i64>,
                live_token: bool,
            }

            impl ReviewRow {
                fn into_record(self) -> StoreResult<GrantUsageRecord> {
                    Ok(GrantUsageRecord {
                        secret_id: secret_id(&self.secret_id)?,
                        secret_name: self
                            .secret_name
                            .map(|n| stored("secret name", SecretName::parse(&n)))
                            .transpose()?,
                        owner: self.owner.as_deref().map(app_name).transpose()?,
                        application_id: ApplicationId(self.application_id),
                        application_name: app_name(&self.application_name)?,
                        granted_by: self.granted_by,
                        granted_at: Timestamp(self.granted_at),
                        last_read_at: self.last_read_at.map(Timestamp),
                        recent_reads: self.recent_reads,
                        tracked: self.tracked.map(revision).transpose()?,
                        latest: revision(self.latest)?,
                        behind_since: self.behind_since.map(Timestamp),
                        live_token: self.live_token,
                    })
                }
            }

            type SignOffRow = (i64, String, i64, String, String, i64);

            impl $tx {
                /// Appends one statement adding `chunk` (at most
                /// [`USAGE_ROWS_PER_STATEMENT`] tallies) to the usage counts.
                pub(crate) fn push_usage_upsert(sql: &mut QueryBuilder<'static, $db>, chunk: &[UsageTally]) {
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
                        self.write_later(|sql| <$tx>::push_usage_upsert(sql, chunk)).await?;
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

                async fn grant_usage(&mut self, scope: &ReviewScope) -> StoreResult<Vec<GrantUsageRecord>> {
                    // One pass over the model's grants; each correlated lookup is an index probe
                    // (grant_usage's key, secret_revision's key, api_token's application index).
                    let rows: Vec<ReviewRow> = sqlx::query_as(
                        "select s.id as secret_id, s.name as secret_name, o.name as owner, \
                         a.id as application_id, a.name as application_name, g.granted_by, g.granted_at, \
                         (select max(u.last_read_at) from grant_usage u \
                          where u.application_id = g.application_id and u.secret_id = g.secret_id) as last_read_at, \
                         cast(coalesce((select sum(u.reads) from grant_usage u \
                          where u.application_id = g.application_id and u.secret_id = g.secret_id \
                          and u.day >= $1), 0) as bigint) as recent_reads, \
                         c.current_revision as tracked, s.latest_revision as latest, \
                         (select min(r.created_at) from secret_revision r \
                          where r.secret_id = s.id and r.revision > c.current_revision) as behind_since, \
                         exists (select 1 from api_token t where t.application_id = g.application_id) as live_token \
                         from secret_grant g join secret s on s.id = g.secret_id \
                         join application a on a.id = g.application_id \
                         left join application o on o.id = s.owner_application_id \
                         left join secret_consumer c on c.secret_id = g.secret_id and c.application_id = g.application_id \
                         where s.model_id = $2 and ($3 is null or g.application_id = $3) \
                         and ($4 is null or g.secret_id = $4)",
                    )
                    .bind(scope.recent_from_day)
                    .bind(scope.model.0)
                    .bind(scope.application.map(|a| a.0))
                    .bind(scope.secret.as_ref().map(|s| s.as_str().to_owned()))
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(ReviewRow::into_record).collect()
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
