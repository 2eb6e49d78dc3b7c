//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_event_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, EventKind, ModelId, RevisionNumber, SecretId, Timestamp};

            use $crate::store::sql::rows::{revision, secret_id};
            use $crate::store::{AppEventRecord, DueSecret, EventHead, EventTx, RowsChanged, StoreError, StoreResult};

            type DueRow = (String, i64, i64, Option<i64>);

            fn due(rows: Vec<DueRow>) -> StoreResult<Vec<DueSecret>> {
                rows.into_iter()
                    .map(|(secret, model, owner, rev)| {
                        Ok(DueSecret {
                            secret: secret_id(&secret)?,
                            model: ModelId(model),
                            owner: ApplicationId(owner),
                            revision: rev.map(revision).transpose()?,
                        })
                    })
                    .collect()
            }

            /// Who may be told about a secret's change: an application still granted it that
            /// tracks another revision than the latest. (As in Juju, an owner is not told of
            /// its own secret's changes; it made them.)
            const BEHIND: &str = "exists (select 1 from secret s join secret_consumer c \
                 on c.secret_id = s.id and c.application_id = $1 \
                 join secret_grant g on g.secret_id = s.id and g.application_id = $1 \
                 where s.id = e.secret_id and c.current_revision <> s.latest_revision)";

            #[async_trait]
            impl EventTx for $tx {
                async fn announce_change(
                    &mut self,
                    secret: &SecretId,
                    latest: RevisionNumber,
                    at: Timestamp,
                ) -> StoreResult<RowsChanged> {
                    self.write_counted($crate::store::sql::HeldWrite::ChangeAnnounced, |sql| {
                        sql.push(
                            "with k as materialized (select seq from app_event_counter where id = 1) \
                             insert into app_event (seq, application_id, kind, secret_id, at) \
                             select k.seq + row_number() over (order by c.application_id), \
                             c.application_id, 'secret-changed', s.id, ",
                        )
                        .push_bind(at.millis())
                        .push(
                            " from k, secret s \
                             join secret_consumer c on c.secret_id = s.id where s.id = ",
                        )
                        .push_bind(secret.as_str().to_owned())
                        .push(" and c.current_revision <> ")
                        .push_bind(latest.get())
                        .push(
                            " and (s.owner_application_id is null or s.owner_application_id <> c.application_id) \
                             and not exists (select 1 from app_event e where e.application_id = c.application_id \
                             and e.secret_id = s.id and e.kind = 'secret-changed' and e.seq > c.event_floor)",
                        );
                    })
                    .await
                }

                async fn announce_to(
                    &mut self,
                    app: ApplicationId,
                    kind: EventKind,
                    secret: &SecretId,
                    revision: Option<RevisionNumber>,
                    at: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "insert into app_event (seq, application_id, kind, secret_id, revision, at) \
                         select seq + 1, $1, $2, $3, $4, $5 from app_event_counter where id = 1",
                    )
                    .bind(app.0)
                    .bind(kind.as_str())
                    .bind(secret.as_str())
                    .bind(revision.map(RevisionNumber::get))
                    .bind(at.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn announce_removal(&mut self, secret: &SecretId, at: Timestamp) -> StoreResult<u64> {
                    let written = sqlx::query(
                        "with k as materialized (select seq from app_event_counter where id = 1) \
                         insert into app_event (seq, application_id, kind, secret_id, at) \
                         select k.seq + row_number() over (order by a.app), a.app, 'secret-removed', $1, $2 \
                         from k, (select application_id as app from secret_grant \
                         where secret_id = $1 union select application_id from secret_consumer \
                         where secret_id = $1) a where true",
                    )
                    .bind(secret.as_str())
                    .bind(at.millis())
                    .execute(self.conn().await?)
                    .await?
                    .rows_affected();
                    Ok(written)
                }

                async fn events_after(
                    &mut self,
                    app: ApplicationId,
                    after: i64,
                    limit: u32,
                ) -> StoreResult<Vec<AppEventRecord>> {
                    let rows: Vec<(i64, String, String, Option<i64>, i64)> = sqlx::query_as(&format!(
                        "select e.seq, e.kind, e.secret_id, e.revision, e.at from app_event e \
                         where e.application_id = $1 and e.seq > $2 \
                         and (e.kind <> 'secret-changed' or {BEHIND}) order by e.seq limit $3"
                    ))
                    .bind(app.0)
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter()
                        .map(|(seq, kind, secret, rev, at)| {
                            Ok(AppEventRecord {
                                seq,
                                kind: EventKind::parse_stored(&kind).ok_or(StoreError::Corrupt {
                                    what: "event kind",
                                    problem: kind.clone(),
                                })?,
                                secret: secret_id(&secret)?,
                                revision: rev.map(revision).transpose()?,
                                at: Timestamp(at),
                            })
                        })
                        .collect()
                }

                async fn due_rotations(&mut self, now: Timestamp) -> StoreResult<Vec<DueSecret>> {
                    let rows: Vec<DueRow> = sqlx::query_as(
                        "select id, model_id, owner_application_id, cast(null as bigint) from secret \
                         where owner_application_id is not null and next_rotate_at <= $1 order by id",
                    )
                    .bind(now.millis())
                    .fetch_all(self.conn().await?)
                    .await?;
                    due(rows)
                }

                async fn due_expiries(
                    &mut self,
                    now: Timestamp,
                    told_before: Timestamp,
                ) -> StoreResult<Vec<DueSecret>> {
                    let rows: Vec<DueRow> = sqlx::query_as(
                        "select s.id, s.model_id, s.owner_application_id, r.revision \
                         from secret s join secret_revision r on r.secret_id = s.id \
                         and r.revision = s.latest_revision \
                         where s.owner_application_id is not null and r.expire_at <= $1 \
                         and (r.expire_notice_at is null or r.expire_notice_at <= $2) order by s.id",
                    )
                    .bind(now.millis())
                    .bind(told_before.millis())
                    .fetch_all(self.conn().await?)
                    .await?;
                    due(rows)
                }

                async fn set_next_rotation(&mut self, secret: &SecretId, at: Timestamp) -> StoreResult<()> {
                    sqlx::query("update secret set next_rotate_at = $1 where id = $2")
                        .bind(at.millis())
                        .bind(secret.as_str())
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn set_expiry_told(
                    &mut self,
                    secret: &SecretId,
                    revision: RevisionNumber,
                    at: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "update secret_revision set expire_notice_at = $1 where secret_id = $2 and revision = $3",
                    )
                    .bind(at.millis())
                    .bind(secret.as_str())
                    .bind(revision.get())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn behind(&mut self, app: ApplicationId) -> StoreResult<Vec<SecretId>> {
                    let ids: Vec<String> = sqlx::query_scalar(&format!(
                        "select e.secret_id from secret_consumer e where e.application_id = $1 \
                         and {BEHIND} order by e.secret_id"
                    ))
                    .bind(app.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    ids.iter().map(|id| secret_id(id)).collect()
                }

                async fn event_head(&mut self) -> StoreResult<EventHead> {
                    let (seq, pruned_through): (i64, i64) = sqlx::query_as(
                        "select seq, pruned_through from app_event_counter where id = 1",
                    )
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(EventHead { seq, pruned_through })
                }

                async fn prune_events(&mut self, before: Timestamp) -> StoreResult<u64> {
                    sqlx::query(
                        "update app_event_counter set pruned_through = coalesce((select max(seq) \
                         from app_event where at < $1), pruned_through) where id = 1",
                    )
                    .bind(before.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(sqlx::query("delete from app_event where at < $1")
                        .bind(before.millis())
                        .execute(self.conn().await?)
                        .await?
                        .rows_affected())
                }
            }
        };
    };
}
pub(crate) use impl_event_tx;
