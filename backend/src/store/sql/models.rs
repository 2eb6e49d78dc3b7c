//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_model_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{AccessLevel, ModelId, ModelName, ModelUuid, Timestamp, UserId};

            use $crate::store::sql::rows::{ModelRow, STANDING_SELECT, StandingRow, access_level};
            use $crate::store::{Asker, MemberRecord, ModelRecord, ModelTx, Standing, StoreResult, stored};

            const MODEL_COLUMNS: &str = "select id, uuid, name, created_at from model";

            #[async_trait]
            impl ModelTx for $tx {
                async fn insert_model(
                    &mut self,
                    uuid: ModelUuid,
                    name: &ModelName,
                    now: Timestamp,
                ) -> StoreResult<ModelRecord> {
                    let id: i64 = sqlx::query_scalar(
                        "insert into model (uuid, name, created_at, updated_at) values ($1, $2, $3, $4) returning id",
                    )
                    .bind(uuid.to_string())
                    .bind(name.as_str())
                    .bind(now.millis())
                    .bind(now.millis())
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(ModelRecord {
                        id: ModelId(id),
                        uuid,
                        name: name.clone(),
                        created_at: now,
                    })
                }

                async fn model(&mut self, id: ModelId) -> StoreResult<Option<ModelRecord>> {
                    let row: Option<ModelRow> = sqlx::query_as(&format!("{MODEL_COLUMNS} where id = $1"))
                        .bind(id.0)
                        .fetch_optional(self.conn().await?)
                        .await?;
                    row.map(ModelRow::into_record).transpose()
                }

                async fn model_by_name(&mut self, name: &ModelName) -> StoreResult<Option<ModelRecord>> {
                    let row: Option<ModelRow> = sqlx::query_as(&format!("{MODEL_COLUMNS} where name = $1"))
                        .bind(name.as_str())
                        .fetch_optional(self.conn().await?)
                        .await?;
                    row.map(ModelRow::into_record).transpose()
                }

                async fn model_with_standing(
                    &mut self,
                    name: &ModelName,
                    asker: Asker,
                ) -> StoreResult<Option<(ModelRecord, Standing)>> {
                    if let Some(known) = self.read_ahead().and_then(|a| a.standing(name, asker)) {
                        return Ok(known);
                    }
                    let (user, app) = match asker {
                        Asker::User(u) => (Some(u.0), None),
                        Asker::Application(a) => (None, Some(a.0)),
                    };
                    let row: Option<StandingRow> = sqlx::query_as(STANDING_SELECT)
                    .bind(user)
                    .bind(user)
                    .bind(app)
                    .bind(name.as_str())
                    .fetch_optional(self.conn().await?)
                    .await?;
                    row.map(|r| r.into_parts(asker)).transpose()
                }

                async fn models(&mut self) -> StoreResult<Vec<ModelRecord>> {
                    let rows: Vec<ModelRow> = sqlx::query_as(&format!("{MODEL_COLUMNS} order by name"))
                        .fetch_all(self.conn().await?)
                        .await?;
                    rows.into_iter().map(ModelRow::into_record).collect()
                }

                async fn delete_model(&mut self, id: ModelId) -> StoreResult<bool> {
                    // grant_usage has no foreign keys (migration 0009).
                    sqlx::query(
                        "delete from grant_usage where secret_id in (select id from secret where model_id = $1) \
                         or application_id in (select id from application where model_id = $1)",
                    )
                    .bind(id.0)
                    .execute(self.conn().await?)
                    .await?;
                    let done = sqlx::query("delete from model where id = $1")
                        .bind(id.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn set_member(
                    &mut self,
                    model: ModelId,
                    user: UserId,
                    access: AccessLevel,
                    now: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "insert into model_member (model_id, user_id, access, created_at, updated_at) \
                         values ($1, $2, $3, $4, $5) \
                         on conflict (model_id, user_id) do update set access = excluded.access, updated_at = excluded.updated_at",
                    )
                    .bind(model.0)
                    .bind(user.0)
                    .bind(access.as_str())
                    .bind(now.millis())
                    .bind(now.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn remove_member(&mut self, model: ModelId, user: UserId) -> StoreResult<bool> {
                    let done = sqlx::query("delete from model_member where model_id = $1 and user_id = $2")
                        .bind(model.0)
                        .bind(user.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn members(&mut self, model: ModelId) -> StoreResult<Vec<MemberRecord>> {
                    let rows: Vec<(i64, String, String)> = sqlx::query_as(
                        "select u.id, u.name, m.access from model_member m join app_user u on u.id = m.user_id \
                         where m.model_id = $1 order by u.name",
                    )
                    .bind(model.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter()
                        .map(|(id, name, access)| {
                            Ok(MemberRecord {
                                user_id: UserId(id),
                                user_name: stored("user name", domain::UserName::parse(&name))?,
                                access: access_level(&access)?,
                            })
                        })
                        .collect()
                }

                async fn memberships(&mut self, user: UserId) -> StoreResult<Vec<(ModelRecord, AccessLevel)>> {
                    #[derive(sqlx::FromRow)]
                    struct Row {
                        #[sqlx(flatten)]
                        model: ModelRow,
                        access: Option<String>,
                        group_access: Option<String>,
                    }
                    // By an admin's hand or by provider groups, whichever is higher (ADR 0026).
                    let rows: Vec<Row> = sqlx::query_as(
                        "select m.id, m.uuid, m.name, m.created_at, mm.access, gm.access as group_access \
                         from model m \
                         left join model_member mm on mm.model_id = m.id and mm.user_id = $1 \
                         left join model_group_member gm on gm.model_id = m.id and gm.user_id = $1 \
                         where mm.user_id is not null or gm.user_id is not null order by m.name",
                    )
                    .bind(user.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter()
                        .map(|r| {
                            let by_hand = r.access.as_deref().map(access_level).transpose()?;
                            let by_group = r.group_access.as_deref().map(access_level).transpose()?;
                            let access = by_hand.max(by_group).ok_or_else(|| {
                                $crate::store::StoreError::Corrupt {
                                    what: "membership",
                                    problem: "neither by hand nor by group".into(),
                                }
                            })?;
                            Ok((r.model.into_record()?, access))
                        })
                        .collect()
                }

                async fn all_memberships(&mut self) -> StoreResult<Vec<(UserId, ModelName, AccessLevel)>> {
                    let rows: Vec<(i64, String, String)> = sqlx::query_as(
                        "select mm.user_id, m.name, mm.access from model_member mm \
                         join model m on m.id = mm.model_id order by m.name",
                    )
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter()
                        .map(|(user, model, access)| {
                            Ok((UserId(user), stored("model name", ModelName::parse(&model))?, access_level(&access)?))
                        })
                        .collect()
                }
            }
        };
    };
}
pub(crate) use impl_model_tx;
