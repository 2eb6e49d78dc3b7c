//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_overview_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ModelId, SecretName, Timestamp};

            use $crate::store::sql::rows::{app_name, secret_id};
            use $crate::store::{DueSoonRecord, ModelCounts, OverviewTx, StoreResult, stored};

            type DueRow = (String, Option<String>, String, Option<i64>, Option<i64>);

            #[async_trait]
            impl OverviewTx for $tx {
                async fn model_counts(&mut self, model: ModelId) -> StoreResult<ModelCounts> {
                    // The grants are counted by the review's tallies (migration 0012).
                    let (secrets, applications): (i64, i64) = sqlx::query_as(
                        "select (select count(*) from secret where model_id = $1), \
                         (select count(*) from application where model_id = $2)",
                    )
                    .bind(model.0)
                    .bind(model.0)
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(ModelCounts { secrets, applications })
                }

                async fn due_before(&mut self, model: ModelId, before: Timestamp) -> StoreResult<Vec<DueSoonRecord>> {
                    let rows: Vec<DueRow> = sqlx::query_as(
                        "select s.id, s.name, a.name, s.next_rotate_at, r.expire_at from secret s \
                         join application a on a.id = s.owner_application_id \
                         left join secret_revision r on r.secret_id = s.id and r.revision = s.latest_revision \
                         where s.model_id = $1 and (s.next_rotate_at <= $2 or r.expire_at <= $3) \
                         order by coalesce(s.next_rotate_at, r.expire_at), s.id limit 50",
                    )
                    .bind(model.0)
                    .bind(before.millis())
                    .bind(before.millis())
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter()
                        .map(|(id, name, owner, rotate, expire)| {
                            Ok(DueSoonRecord {
                                secret_id: secret_id(&id)?,
                                label: name.map(|n| stored("secret label", SecretName::parse(&n))).transpose()?,
                                owner: app_name(&owner)?,
                                rotate_at: rotate.map(Timestamp),
                                expire_at: expire.map(Timestamp),
                            })
                        })
                        .collect()
                }
            }
        };
    };
}
pub(crate) use impl_overview_tx;
