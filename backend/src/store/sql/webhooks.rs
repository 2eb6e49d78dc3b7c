//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_webhook_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, Timestamp};

            use $crate::store::{
                NewWebhook, StoreResult, WebhookProgress, WebhookRecord, WebhookTx, WrappedKey,
            };

            const COLUMNS: &str = "application_id, url, wrapped_key, key_nonce, master_key_id, \
                 delivered_through, failures, next_attempt_at, disabled_at, last_error, last_success_at, created_at";

            /// Enabled, due, not held by a node, and with something to post: events after the
            /// cursor, or a cursor behind what was pruned (it gets `resync`).
            const DUE: &str = "w.disabled_at is null and w.next_attempt_at <= $1 and w.lease_until <= $1 \
                 and (exists (select 1 from app_event e where e.application_id = w.application_id \
                 and e.seq > w.delivered_through) \
                 or w.delivered_through < (select pruned_through from app_event_counter where id = 1))";

            #[derive(sqlx::FromRow)]
            struct WebhookRow {
                application_id: i64,
                url: String,
                wrapped_key: Vec<u8>,
                key_nonce: Vec<u8>,
                master_key_id: String,
                delivered_through: i64,
                failures: i64,
                next_attempt_at: i64,
                disabled_at: Option<i64>,
                last_error: Option<String>,
                last_success_at: Option<i64>,
                created_at: i64,
            }

            impl WebhookRow {
                fn into_record(self) -> WebhookRecord {
                    WebhookRecord {
                        application: ApplicationId(self.application_id),
                        url: self.url,
                        key: WrappedKey {
                            wrapped: self.wrapped_key,
                            nonce: self.key_nonce,
                            master_key_id: self.master_key_id,
                        },
                        progress: WebhookProgress {
                            cursor: self.delivered_through,
                            failures: u32::try_from(self.failures).unwrap_or(u32::MAX),
                            next_attempt_at: Timestamp(self.next_attempt_at),
                            disabled_at: self.disabled_at.map(Timestamp),
                            last_error: self.last_error,
                            last_success_at: self.last_success_at.map(Timestamp),
                        },
                        created_at: Timestamp(self.created_at),
                    }
                }
            }

            #[async_trait]
            impl WebhookTx for $tx {
                async fn put_webhook(&mut self, w: &NewWebhook) -> StoreResult<()> {
                    sqlx::query(
                        "insert into app_webhook (application_id, url, wrapped_key, key_nonce, master_key_id, \
                         delivered_through, created_at, updated_at) \
                         select $1, $2, $3, $4, $5, seq, $6, $6 from app_event_counter where id = 1 \
                         on conflict (application_id) do update set url = excluded.url, \
                         wrapped_key = excluded.wrapped_key, key_nonce = excluded.key_nonce, \
                         master_key_id = excluded.master_key_id, delivered_through = excluded.delivered_through, failures = 0, \
                         next_attempt_at = 0, lease_until = 0, disabled_at = null, last_error = null, \
                         last_success_at = null, created_at = excluded.created_at, updated_at = excluded.updated_at",
                    )
                    .bind(w.application.0)
                    .bind(&w.url)
                    .bind(&w.key.wrapped)
                    .bind(&w.key.nonce)
                    .bind(&w.key.master_key_id)
                    .bind(w.now.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn webhook(&mut self, app: ApplicationId) -> StoreResult<Option<WebhookRecord>> {
                    let row: Option<WebhookRow> = sqlx::query_as(&format!(
                        "select {COLUMNS} from app_webhook where application_id = $1"
                    ))
                    .bind(app.0)
                    .fetch_optional(self.conn().await?)
                    .await?;
                    Ok(row.map(WebhookRow::into_record))
                }

                async fn delete_webhook(&mut self, app: ApplicationId) -> StoreResult<bool> {
                    let done = sqlx::query("delete from app_webhook where application_id = $1")
                        .bind(app.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn webhooks_due(&mut self, now: Timestamp) -> StoreResult<bool> {
                    let due: bool = sqlx::query_scalar(&format!(
                        "select exists (select 1 from app_webhook w where {DUE})"
                    ))
                    .bind(now.millis())
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(due)
                }

                async fn claim_webhooks(
                    &mut self,
                    now: Timestamp,
                    until: Timestamp,
                    limit: u32,
                ) -> StoreResult<Vec<WebhookRecord>> {
                    // The hold is checked again on the row itself, so that two nodes cannot
                    // both take one webhook.
                    let rows: Vec<WebhookRow> = sqlx::query_as(&format!(
                        "update app_webhook set lease_until = $2 where lease_until <= $1 and application_id in \
                         (select w.application_id from app_webhook w where {DUE} \
                         order by w.next_attempt_at limit $3) returning {COLUMNS}"
                    ))
                    .bind(now.millis())
                    .bind(until.millis())
                    .bind(i64::from(limit))
                    .fetch_all(self.conn().await?)
                    .await?;
                    Ok(rows.into_iter().map(WebhookRow::into_record).collect())
                }

                async fn set_webhook_progress(
                    &mut self,
                    app: ApplicationId,
                    p: &WebhookProgress,
                    now: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "update app_webhook set delivered_through = $2, failures = $3, next_attempt_at = $4, \
                         disabled_at = $5, last_error = $6, last_success_at = $7, lease_until = 0, \
                         updated_at = $8 where application_id = $1",
                    )
                    .bind(app.0)
                    .bind(p.cursor)
                    .bind(i64::from(p.failures))
                    .bind(p.next_attempt_at.millis())
                    .bind(p.disabled_at.map(Timestamp::millis))
                    .bind(p.last_error.as_deref())
                    .bind(p.last_success_at.map(Timestamp::millis))
                    .bind(now.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn webhook_keys(&mut self) -> StoreResult<Vec<(ApplicationId, WrappedKey)>> {
                    let rows: Vec<(i64, Vec<u8>, Vec<u8>, String)> = sqlx::query_as(
                        "select application_id, wrapped_key, key_nonce, master_key_id from app_webhook \
                         order by application_id",
                    )
                    .fetch_all(self.conn().await?)
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(app, wrapped, nonce, master_key_id)| {
                            (ApplicationId(app), WrappedKey { wrapped, nonce, master_key_id })
                        })
                        .collect())
                }

                async fn set_webhook_key(&mut self, app: ApplicationId, key: &WrappedKey) -> StoreResult<()> {
                    sqlx::query(
                        "update app_webhook set wrapped_key = $2, key_nonce = $3, master_key_id = $4 \
                         where application_id = $1",
                    )
                    .bind(app.0)
                    .bind(&key.wrapped)
                    .bind(&key.nonce)
                    .bind(&key.master_key_id)
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_webhook_tx;
