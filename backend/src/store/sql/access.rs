//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_access_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, ModelId, RevisionNumber, SecretId, SecretName, Timestamp};

            use $crate::store::sql::rows::{ApplicationReadRow, app_name, revision, secret_id};
            use $crate::store::{AccessTx, ApplicationRead, ConsumerRecord, GrantRecord, ModelGrantRecord, StoreResult, stored};

            type GrantRow = (i64, String, String, i64);

            fn grant_record((app_id, app, by, at): GrantRow) -> StoreResult<GrantRecord> {
                Ok(GrantRecord {
                    application_id: ApplicationId(app_id),
                    application_name: app_name(&app)?,
                    granted_by: by,
                    granted_at: Timestamp(at),
                })
            }

            #[async_trait]
            impl AccessTx for $tx {
                async fn grants(&mut self, secret: &SecretId) -> StoreResult<Vec<GrantRecord>> {
                    let rows: Vec<GrantRow> = sqlx::query_as(
                        "select a.id, a.name, g.granted_by, g.granted_at from secret_grant g \
                         join application a on a.id = g.application_id where g.secret_id = $1 order by a.name",
                    )
                    .bind(secret.as_str())
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(grant_record).collect()
                }

                async fn application_read(
                    &mut self,
                    model: ModelId,
                    secret: &SecretId,
                    app: ApplicationId,
                    prefer_tracked: bool,
                ) -> StoreResult<Option<ApplicationRead>> {
                    let cache = self.read_cache().cloned();
                    let key = $crate::store::ReadKey { model, secret: secret.clone(), app, prefer_tracked };
                    if let Some(kept) = cache.as_ref().and_then(|c| c.read(&key)) {
                        return Ok(Some(kept));
                    }
                    let at = cache.as_ref().map(|c| c.generation());
                    let row: Option<ApplicationReadRow> = sqlx::query_as(
                        "select s.id, s.model_id, s.owner_application_id, s.name, s.description, s.auto_prune, \
                         s.rotate_policy, s.next_rotate_at, s.latest_revision, s.revision_counter, s.created_at, \
                         s.updated_at, \
                         exists (select 1 from secret_grant g where g.secret_id = s.id and g.application_id = $1) \
                         as granted, t.current_revision as tracked, \
                         r.revision as r_revision, r.checksum as r_checksum, r.expire_at as r_expire_at, \
                         r.ciphertext as r_ciphertext, r.nonce as r_nonce, r.wrapped_key as r_wrapped_key, \
                         r.key_nonce as r_key_nonce, r.master_key_id as r_master_key_id, \
                         r.created_at as r_created_at \
                         from secret s \
                         left join (select c.current_revision from secret_consumer c join secret_revision cr \
                         on cr.secret_id = c.secret_id and cr.revision = c.current_revision \
                         where c.secret_id = $2 and c.application_id = $3) t on true \
                         left join secret_revision r on r.secret_id = s.id and r.revision = \
                         (case when $4 and t.current_revision is not null then t.current_revision \
                         else s.latest_revision end) \
                         where s.model_id = $5 and s.id = $6",
                    )
                    .bind(app.0)
                    .bind(secret.as_str())
                    .bind(app.0)
                    .bind(prefer_tracked)
                    .bind(model.0)
                    .bind(secret.as_str())
                    .fetch_optional(self.conn().await?)
                    .await?;
                    let read = row.map(ApplicationReadRow::into_read).transpose()?;
                    if let (Some(cache), Some(at), Some(read)) = (cache, at, &read) {
                        cache.keep_read(at, key, read);
                    }
                    Ok(read)
                }

                async fn insert_grant(
                    &mut self,
                    secret: &SecretId,
                    app: ApplicationId,
                    by: &str,
                    now: Timestamp,
                ) -> StoreResult<bool> {
                    let done = sqlx::query(
                        // The review columns start from what is already known (migration 0011):
                        // the application may have read or tracked the secret under an earlier grant.
                        "insert into secret_grant (secret_id, application_id, role, granted_by, granted_at, \
                         last_read_at, behind_since) values ($1, $2, 'view', $3, $4, \
                         (select max(u.last_read_at) from grant_usage u where u.application_id = $2 and u.secret_id = $1), \
                         (select case when c.current_revision < s.latest_revision then coalesce( \
                           (select r.created_at from secret_revision r \
                            where r.secret_id = s.id and r.revision > c.current_revision \
                            order by r.revision limit 1), s.updated_at) end \
                          from secret_consumer c join secret s on s.id = c.secret_id \
                          where c.secret_id = $1 and c.application_id = $2)) \
                         on conflict (secret_id, application_id) do nothing",
                    )
                    .bind(secret.as_str())
                    .bind(app.0)
                    .bind(by)
                    .bind(now.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_grant(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<bool> {
                    let done =
                        sqlx::query("delete from secret_grant where secret_id = $1 and application_id = $2")
                            .bind(secret.as_str())
                            .bind(app.0)
                            .execute(self.conn().await?)
                            .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn model_grants(&mut self, model: ModelId) -> StoreResult<Vec<ModelGrantRecord>> {
                    let rows: Vec<(String, Option<String>, i64, String, String, i64)> = sqlx::query_as(
                        "select s.id, s.name, a.id, a.name, g.granted_by, g.granted_at from secret_grant g \
                         join secret s on s.id = g.secret_id join application a on a.id = g.application_id \
                         where s.model_id = $1 order by a.name, s.name, s.id",
                    )
                    .bind(model.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter()
                        .map(|(sid, sname, app_id, app, by, at)| {
                            Ok(ModelGrantRecord {
                                secret_id: secret_id(&sid)?,
                                secret_name: sname
                                    .map(|n| stored("secret name", SecretName::parse(&n)))
                                    .transpose()?,
                                grant: grant_record((app_id, app, by, at))?,
                            })
                        })
                        .collect()
                }

                async fn consumers(&mut self, secret: &SecretId) -> StoreResult<Vec<ConsumerRecord>> {
                    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
                        "select a.id, a.name, c.current_revision, c.updated_at from secret_consumer c \
                         join application a on a.id = c.application_id where c.secret_id = $1 order by a.name",
                    )
                    .bind(secret.as_str())
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter()
                        .map(|(id, name, rev, at)| {
                            Ok(ConsumerRecord {
                                application_id: ApplicationId(id),
                                application_name: app_name(&name)?,
                                current_revision: revision(rev)?,
                                updated_at: Timestamp(at),
                            })
                        })
                        .collect()
                }

                async fn track(
                    &mut self,
                    secret: &SecretId,
                    app: ApplicationId,
                    rev: RevisionNumber,
                    now: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "insert into secret_consumer (secret_id, application_id, current_revision, created_at, updated_at, \
                         event_floor) values ($1, $2, $3, $4, $5, (select seq from app_event_counter where id = 1)) \
                         on conflict (secret_id, application_id) do update set current_revision = excluded.current_revision, \
                         updated_at = excluded.updated_at, event_floor = excluded.event_floor",
                    )
                    .bind(secret.as_str())
                    .bind(app.0)
                    .bind(rev.get())
                    .bind(now.millis())
                    .bind(now.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn untrack(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<()> {
                    sqlx::query("delete from secret_consumer where secret_id = $1 and application_id = $2")
                        .bind(secret.as_str())
                        .bind(app.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn consumed_secrets(&mut self, app: ApplicationId) -> StoreResult<Vec<SecretId>> {
                    let ids: Vec<String> =
                        sqlx::query_scalar("select secret_id from secret_consumer where application_id = $1")
                            .bind(app.0)
                            .fetch_all(self.conn().await?)
                            .await?;
                    ids.iter().map(|s| secret_id(s)).collect()
                }
            }
        };
    };
}
pub(crate) use impl_access_tx;
