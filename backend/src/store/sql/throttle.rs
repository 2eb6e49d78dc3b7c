//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_throttle_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::Timestamp;

            use $crate::store::{LoginThrottle, StoreResult, ThrottleTx};

            #[async_trait]
            impl ThrottleTx for $tx {
                async fn login_throttle(&mut self, key: &str) -> StoreResult<Option<LoginThrottle>> {
                    let row: Option<(i64, i64, i64)> = sqlx::query_as(
                        "select failures, blocked_until, last_failure from login_throttle where name_hash = $1",
                    )
                    .bind(key)
                    .fetch_optional(self.conn().await?)
                    .await?;
                    Ok(row.map(|(failures, blocked_until, last_failure)| LoginThrottle {
                        key: key.to_owned(),
                        failures: u32::try_from(failures).unwrap_or(u32::MAX),
                        blocked_until: Timestamp(blocked_until),
                        last_failure: Timestamp(last_failure),
                    }))
                }

                async fn put_login_throttle(&mut self, row: &LoginThrottle) -> StoreResult<()> {
                    sqlx::query(
                        "insert into login_throttle (name_hash, failures, blocked_until, last_failure) \
                         values ($1, $2, $3, $4) on conflict (name_hash) do update set \
                         failures = excluded.failures, blocked_until = excluded.blocked_until, \
                         last_failure = excluded.last_failure",
                    )
                    .bind(&row.key)
                    .bind(i64::from(row.failures))
                    .bind(row.blocked_until.millis())
                    .bind(row.last_failure.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn clear_login_throttle(&mut self, key: &str) -> StoreResult<()> {
                    sqlx::query("delete from login_throttle where name_hash = $1")
                        .bind(key)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn forget_login_throttles(&mut self, before: Timestamp) -> StoreResult<()> {
                    sqlx::query("delete from login_throttle where last_failure < $1 and blocked_until < $1")
                        .bind(before.millis())
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_throttle_tx;
