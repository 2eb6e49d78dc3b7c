//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_application_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, ApplicationName, ModelId, Timestamp, TokenId, UserId};

            use $crate::store::sql::rows::ApplicationRow;
            use $crate::store::{
                ApplicationRecord, ApplicationTx, NewToken, StoreError, StoreResult, TokenHolder, TokenOwner,
                TokenRecord, stored,
            };
            use $crate::token::TokenHash;

            const APP_COLUMNS: &str = "select id, model_id, name, created_at from application";
            const TOKEN_COLUMNS: &str = "select id, application_id, user_id, label, created_at from api_token";

            type TokenRow = (i64, Option<i64>, Option<i64>, String, i64);

            fn token_record((id, app, user, label, created_at): TokenRow) -> StoreResult<TokenRecord> {
                let owner = match (app, user) {
                    (Some(a), None) => TokenOwner::Application(ApplicationId(a)),
                    (None, Some(u)) => TokenOwner::User(UserId(u)),
                    _ => {
                        return Err(StoreError::Corrupt {
                            what: "token owner",
                            problem: "not exactly one".into(),
                        });
                    }
                };
                Ok(TokenRecord {
                    id: TokenId(id),
                    owner,
                    label,
                    created_at: Timestamp(created_at),
                })
            }

            /// A token's holder: an application with its model, or a user (the other kind's
            /// columns null, and all null when the holder went between the two rows).
            #[derive(sqlx::FromRow)]
            struct HolderRow {
                app_id: Option<i64>,
                app_name: Option<String>,
                model_id: Option<i64>,
                model_uuid: Option<String>,
                model_name: Option<String>,
                model_created_at: Option<i64>,
                user_id: Option<i64>,
                user_name: Option<String>,
            }

            fn token_holder(row: HolderRow) -> StoreResult<Option<TokenHolder>> {
                Ok(match row {
                    HolderRow {
                        app_id: Some(id),
                        app_name: Some(name),
                        model_id: Some(model_id),
                        model_uuid: Some(uuid),
                        model_name: Some(model_name),
                        model_created_at: Some(created_at),
                        user_id: None,
                        ..
                    } => Some(TokenHolder::Application {
                        id: ApplicationId(id),
                        name: stored("application name", ApplicationName::parse(&name))?,
                        model: $crate::store::sql::rows::ModelRow {
                            id: model_id,
                            uuid,
                            name: model_name,
                            created_at,
                        }
                        .into_record()?,
                    }),
                    HolderRow {
                        app_id: None,
                        user_id: Some(id),
                        user_name: Some(name),
                        ..
                    } => Some(TokenHolder::User {
                        id: UserId(id),
                        name: stored("user name", domain::UserName::parse(&name))?,
                    }),
                    // The holder went between the token's row and its own: no holder.
                    _ => None,
                })
            }

            #[async_trait]
            impl ApplicationTx for $tx {
                async fn insert_application(
                    &mut self,
                    model: ModelId,
                    name: &ApplicationName,
                    now: Timestamp,
                ) -> StoreResult<ApplicationRecord> {
                    let id: i64 = sqlx::query_scalar(
                        "insert into application (model_id, name, created_at, updated_at) values ($1, $2, $3, $4) returning id",
                    )
                    .bind(model.0)
                    .bind(name.as_str())
                    .bind(now.millis())
                    .bind(now.millis())
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(ApplicationRecord {
                        id: ApplicationId(id),
                        model_id: model,
                        name: name.clone(),
                        created_at: now,
                    })
                }

                async fn application(&mut self, id: ApplicationId) -> StoreResult<Option<ApplicationRecord>> {
                    let row: Option<ApplicationRow> = sqlx::query_as(&format!("{APP_COLUMNS} where id = $1"))
                        .bind(id.0)
                        .fetch_optional(self.conn().await?)
                        .await?;
                    row.map(ApplicationRow::into_record).transpose()
                }

                async fn application_by_name(
                    &mut self,
                    model: ModelId,
                    name: &ApplicationName,
                ) -> StoreResult<Option<ApplicationRecord>> {
                    let row: Option<ApplicationRow> =
                        sqlx::query_as(&format!("{APP_COLUMNS} where model_id = $1 and name = $2"))
                            .bind(model.0)
                            .bind(name.as_str())
                            .fetch_optional(self.conn().await?)
                            .await?;
                    row.map(ApplicationRow::into_record).transpose()
                }

                async fn applications(&mut self, model: ModelId) -> StoreResult<Vec<ApplicationRecord>> {
                    let rows: Vec<ApplicationRow> =
                        sqlx::query_as(&format!("{APP_COLUMNS} where model_id = $1 order by name"))
                            .bind(model.0)
                            .fetch_all(self.conn().await?)
                            .await?;
                    rows.into_iter().map(ApplicationRow::into_record).collect()
                }

                async fn delete_application(&mut self, id: ApplicationId) -> StoreResult<()> {
                    // grant_usage has no foreign keys (migration 0009); SQLite may give a new
                    // application this one's id.
                    sqlx::query("delete from grant_usage where application_id = $1")
                        .bind(id.0)
                        .execute(self.conn().await?)
                        .await?;
                    sqlx::query("delete from application where id = $1")
                        .bind(id.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn insert_token(&mut self, t: &NewToken) -> StoreResult<TokenRecord> {
                    let (app, user) = match t.owner {
                        TokenOwner::Application(a) => (Some(a.0), None),
                        TokenOwner::User(u) => (None, Some(u.0)),
                    };
                    let id: i64 = sqlx::query_scalar(
                        "insert into api_token (application_id, user_id, token_hash, label, created_at, updated_at) \
                         values ($1, $2, $3, $4, $5, $6) returning id",
                    )
                    .bind(app)
                    .bind(user)
                    .bind(&t.hash.0)
                    .bind(&t.label)
                    .bind(t.now.millis())
                    .bind(t.now.millis())
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(TokenRecord {
                        id: TokenId(id),
                        owner: t.owner,
                        label: t.label.clone(),
                        created_at: t.now,
                    })
                }

                async fn token_by_hash(&mut self, hash: &TokenHash) -> StoreResult<Option<TokenRecord>> {
                    let row: Option<TokenRow> =
                        sqlx::query_as(&format!("{TOKEN_COLUMNS} where token_hash = $1"))
                            .bind(&hash.0)
                            .fetch_optional(self.conn().await?)
                            .await?;
                    row.map(token_record).transpose()
                }

                async fn token_holder(&mut self, hash: &TokenHash) -> StoreResult<Option<TokenHolder>> {
                    let cache = self.read_cache().cloned();
                    if let Some(kept) = cache.as_ref().and_then(|c| c.holder(hash)) {
                        return Ok(Some(kept));
                    }
                    let at = cache.as_ref().map(|c| c.generation());
                    let row: Option<HolderRow> = sqlx::query_as(
                        "select t.application_id as app_id, a.name as app_name, m.id as model_id, \
                         m.uuid as model_uuid, m.name as model_name, m.created_at as model_created_at, \
                         t.user_id, u.name as user_name from api_token t \
                         left join application a on a.id = t.application_id \
                         left join model m on m.id = a.model_id \
                         left join app_user u on u.id = t.user_id where t.token_hash = $1",
                    )
                    .bind(&hash.0)
                    .fetch_optional(self.conn().await?)
                    .await?;
                    let holder = row.map(token_holder).transpose()?.flatten();
                    if let (Some(cache), Some(at), Some(holder)) = (cache, at, &holder) {
                        cache.keep_holder(at, hash, holder);
                    }
                    Ok(holder)
                }

                async fn tokens_of(&mut self, owner: TokenOwner) -> StoreResult<Vec<TokenRecord>> {
                    let (column, id) = match owner {
                        TokenOwner::Application(a) => ("application_id", a.0),
                        TokenOwner::User(u) => ("user_id", u.0),
                    };
                    let rows: Vec<TokenRow> = sqlx::query_as(&format!(
                        "{TOKEN_COLUMNS} where {column} = $1 order by id"
                    ))
                    .bind(id)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(token_record).collect()
                }

                async fn delete_token(&mut self, token: &TokenRecord) -> StoreResult<()> {
                    sqlx::query("delete from api_token where id = $1")
                        .bind(token.id.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn personal_tokens(&mut self) -> StoreResult<Vec<TokenRecord>> {
                    let rows: Vec<TokenRow> =
                        sqlx::query_as(&format!("{TOKEN_COLUMNS} where user_id is not null order by id"))
                            .fetch_all(self.conn().await?)
                            .await?;
                    rows.into_iter().map(token_record).collect()
                }

                async fn delete_tokens_of(&mut self, owner: TokenOwner) -> StoreResult<u64> {
                    let (column, id) = match owner {
                        TokenOwner::Application(a) => ("application_id", a.0),
                        TokenOwner::User(u) => ("user_id", u.0),
                    };
                    let done = sqlx::query(&format!("delete from api_token where {column} = $1"))
                        .bind(id)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(done.rows_affected())
                }
            }
        };
    };
}
pub(crate) use impl_application_tx;
