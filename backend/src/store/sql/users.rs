//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_user_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{Timestamp, UserId, UserName};

            use $crate::store::sql::rows::UserRow;
            use $crate::store::{NewUser, StoreResult, UserRecord, UserTx};

            const USER_COLUMNS: &str = "select id, name, password_hash, superuser, group_superuser, created_at, sessions_valid_after from app_user";

            #[async_trait]
            impl UserTx for $tx {
                async fn insert_user(&mut self, u: &NewUser) -> StoreResult<UserId> {
                    let id: i64 = sqlx::query_scalar(
                        "insert into app_user (name, password_hash, superuser, created_at, updated_at) \
                         values ($1, $2, $3, $4, $5) returning id",
                    )
                    .bind(u.name.as_str())
                    .bind(&u.password_hash)
                    .bind(u.superuser)
                    .bind(u.now.millis())
                    .bind(u.now.millis())
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(UserId(id))
                }

                async fn user(&mut self, id: UserId) -> StoreResult<Option<UserRecord>> {
                    let row: Option<UserRow> = sqlx::query_as(&format!("{USER_COLUMNS} where id = $1"))
                        .bind(id.0)
                        .fetch_optional(self.conn().await?)
                        .await?;
                    row.map(UserRow::into_record).transpose()
                }

                async fn user_by_name(&mut self, name: &UserName) -> StoreResult<Option<UserRecord>> {
                    let row: Option<UserRow> = sqlx::query_as(&format!("{USER_COLUMNS} where name = $1"))
                        .bind(name.as_str())
                        .fetch_optional(self.conn().await?)
                        .await?;
                    row.map(UserRow::into_record).transpose()
                }

                async fn users(&mut self) -> StoreResult<Vec<UserRecord>> {
                    let rows: Vec<UserRow> = sqlx::query_as(&format!("{USER_COLUMNS} order by name"))
                        .fetch_all(self.conn().await?)
                        .await?;
                    rows.into_iter().map(UserRow::into_record).collect()
                }

                async fn set_superuser(
                    &mut self,
                    id: UserId,
                    superuser: bool,
                    now: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query("update app_user set superuser = $1, updated_at = $2 where id = $3")
                        .bind(superuser)
                        .bind(now.millis())
                        .bind(id.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn set_password_hash(
                    &mut self,
                    id: UserId,
                    hash: &str,
                    now: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query("update app_user set password_hash = $1, updated_at = $2 where id = $3")
                        .bind(hash)
                        .bind(now.millis())
                        .bind(id.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn set_sessions_valid_after(&mut self, id: UserId, cutoff: Timestamp) -> StoreResult<()> {
                    sqlx::query("update app_user set sessions_valid_after = $1, updated_at = $2 where id = $3")
                        .bind(cutoff.millis())
                        .bind(cutoff.millis())
                        .bind(id.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_user_tx;
