//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_audit_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ModelUuid, Timestamp};
            use sqlx::QueryBuilder;

            use $crate::store::sql::rows::{revision, secret_id};
            use $crate::audit::{
                ActorKind, AuditAction, AuditActor, AuditEvent, GENESIS_HASH, NewAuditEvent, Outcome,
                chain_hash,
            };
            use $crate::store::{AuditQuery, AuditTx, StoreError, StoreResult, stored};

            const AUDIT_COLUMNS: &str = "select seq, at, actor_kind, actor_name, model_uuid, secret_id, revision, \
                 action, outcome, source, detail, prev_hash, hash from audit_event";

            #[derive(sqlx::FromRow)]
            struct AuditRow {
                seq: i64,
                at: i64,
                actor_kind: String,
                actor_name: String,
                model_uuid: Option<String>,
                secret_id: Option<String>,
                revision: Option<i64>,
                action: String,
                outcome: String,
                source: Option<String>,
                detail: String,
                prev_hash: String,
                hash: String,
            }

            fn known<T>(what: &'static str, v: Option<T>, raw: &str) -> StoreResult<T> {
                v.ok_or_else(|| StoreError::Corrupt {
                    what,
                    problem: format!("unknown value {raw:?}"),
                })
            }

            impl AuditRow {
                fn into_event(self) -> StoreResult<AuditEvent> {
                    Ok(AuditEvent {
                        seq: self.seq,
                        event: NewAuditEvent {
                            at: Timestamp(self.at),
                            actor: AuditActor {
                                kind: known(
                                    "actor kind",
                                    ActorKind::parse(&self.actor_kind),
                                    &self.actor_kind,
                                )?,
                                name: self.actor_name,
                            },
                            model: self
                                .model_uuid
                                .map(|m| stored("model uuid", m.parse::<ModelUuid>()))
                                .transpose()?,
                            secret: self.secret_id.as_deref().map(secret_id).transpose()?,
                            revision: self.revision.map(revision).transpose()?,
                            action: known("action", AuditAction::parse(&self.action), &self.action)?,
                            outcome: known("outcome", Outcome::parse(&self.outcome), &self.outcome)?,
                            source: self.source,
                            detail: self.detail,
                        },
                        prev_hash: self.prev_hash,
                        hash: self.hash,
                    })
                }
            }

            #[async_trait]
            impl AuditTx for $tx {
                async fn append_audit(&mut self, e: &NewAuditEvent) -> StoreResult<AuditEvent> {
                    let (seq, prev_hash) = match self.audit_head().await? {
                        Some((seq, hash)) => (seq + 1, hash),
                        None => (1, GENESIS_HASH.to_owned()),
                    };
                    let hash = chain_hash(seq, &prev_hash, e);
                    sqlx::query(
                        "insert into audit_event (seq, at, actor_kind, actor_name, model_uuid, secret_id, revision, \
                         action, outcome, source, detail, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    )
                    .bind(seq)
                    .bind(e.at.millis())
                    .bind(e.actor.kind.as_str())
                    .bind(&e.actor.name)
                    .bind(e.model.map(|m| m.to_string()))
                    .bind(e.secret.as_ref().map(|s| s.as_str().to_owned()))
                    .bind(e.revision.map(|r| r.get()))
                    .bind(e.action.as_str())
                    .bind(e.outcome.as_str())
                    .bind(&e.source)
                    .bind(&e.detail)
                    .bind(&prev_hash)
                    .bind(&hash)
                    .execute(self.conn())
                    .await?;
                    sqlx::query(
                        "insert into audit_head (id, seq, hash) values (1, $1, $2) \
                         on conflict (id) do update set seq = excluded.seq, hash = excluded.hash",
                    )
                    .bind(seq)
                    .bind(&hash)
                    .execute(self.conn())
                    .await?;
                    Ok(AuditEvent {
                        seq,
                        event: e.clone(),
                        prev_hash,
                        hash,
                    })
                }

                async fn audit_events(&mut self, q: &AuditQuery) -> StoreResult<Vec<AuditEvent>> {
                    let mut sql = QueryBuilder::<$db>::new(AUDIT_COLUMNS);
                    sql.push(" where 1 = 1");
                    if let Some(m) = q.model {
                        sql.push(" and model_uuid = ").push_bind(m.to_string());
                    }
                    if let Some(s) = &q.secret {
                        sql.push(" and secret_id = ")
                            .push_bind(s.as_str().to_owned());
                    }
                    if let Some((kind, name)) = &q.actor {
                        sql.push(" and actor_kind = ").push_bind(kind.as_str());
                        sql.push(" and actor_name = ").push_bind(name.clone());
                    }
                    if let Some(a) = q.action {
                        sql.push(" and action = ").push_bind(a.as_str());
                    }
                    if let Some(before) = q.before {
                        sql.push(" and seq < ").push_bind(before);
                    }
                    sql.push(" order by seq desc limit ")
                        .push_bind(i64::from(q.limit));
                    let rows: Vec<AuditRow> = sql.build_query_as().fetch_all(self.conn()).await?;
                    rows.into_iter().map(AuditRow::into_event).collect()
                }

                async fn audit_chain_page(&mut self, after: i64, limit: u32) -> StoreResult<Vec<AuditEvent>> {
                    let rows: Vec<AuditRow> = sqlx::query_as(&format!(
                        "{AUDIT_COLUMNS} where seq > $1 order by seq limit $2"
                    ))
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(self.conn())
                    .await?;
                    rows.into_iter().map(AuditRow::into_event).collect()
                }

                async fn audit_head(&mut self) -> StoreResult<Option<(i64, String)>> {
                    Ok(
                        sqlx::query_as("select seq, hash from audit_head where id = 1")
                            .fetch_optional(self.conn())
                            .await?,
                    )
                }
            }
        };
    };
}
pub(crate) use impl_audit_tx;
