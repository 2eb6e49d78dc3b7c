//! Shared SQL for both databases; see `store/sql.rs`.

/// Audit rows in one insert: 13 parameters each stays under SQLite's limit of 32,766.
pub(crate) const AUDIT_ROWS_PER_STATEMENT: usize = 1_000;

macro_rules! impl_audit_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ModelUuid, Timestamp};
            use sqlx::QueryBuilder;

            use $crate::store::sql::rows::{revision, secret_id};
            use $crate::audit::{
                ActorKind, AuditAction, AuditActor, AuditEvent, NewAuditEvent, Outcome, chain,
            };
            use $crate::store::sql::AUDIT_ROWS_PER_STATEMENT;
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

            impl $tx {
                /// Appends one statement inserting `chunk` (at most
                /// [`AUDIT_ROWS_PER_STATEMENT`] rows) to `sql`.
                pub(crate) fn push_audit_insert(sql: &mut QueryBuilder<'static, $db>, chunk: &[AuditEvent]) {
                    sql.push(
                        "insert into audit_event (seq, at, actor_kind, actor_name, model_uuid, secret_id, revision, \
                         action, outcome, source, detail, prev_hash, hash) ",
                    );
                    sql.push_values(chunk, |mut row, a| {
                        let e = &a.event;
                        row.push_bind(a.seq)
                            .push_bind(e.at.millis())
                            .push_bind(e.actor.kind.as_str())
                            .push_bind(e.actor.name.clone())
                            .push_bind(e.model.map(|m| m.to_string()))
                            .push_bind(e.secret.as_ref().map(|s| s.as_str().to_owned()))
                            .push_bind(e.revision.map(|r| r.get()))
                            .push_bind(e.action.as_str())
                            .push_bind(e.outcome.as_str())
                            .push_bind(e.source.clone())
                            .push_bind(e.detail.clone())
                            .push_bind(a.prev_hash.clone())
                            .push_bind(a.hash.clone());
                    });
                }
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
                    let mut appended = self.append_audits(std::slice::from_ref(e)).await?;
                    appended.pop().ok_or_else(|| StoreError::Corrupt {
                        what: "audit chain",
                        problem: "append returned nothing".to_owned(),
                    })
                }

                async fn append_audits(&mut self, events: &[NewAuditEvent]) -> StoreResult<Vec<AuditEvent>> {
                    // A write that returns the head: on SQLite it takes the write lock before
                    // anything is read, so a transaction begun with a plain (deferred) BEGIN, as
                    // the journal's are, cannot find its snapshot stale when it inserts.
                    let known = self.read_ahead().and_then(|a| a.audit_head.clone());
                    let head: Option<(i64, String)> = match known {
                        Some(head) => head,
                        None => sqlx::query_as("update audit_head set seq = seq where id = 1 returning seq, hash")
                            .fetch_optional(self.conn().await?)
                            .await?,
                    };
                    let appended = chain(head, events);
                    for chunk in appended.chunks(AUDIT_ROWS_PER_STATEMENT) {
                        self.write_later($crate::store::sql::HeldWrite::AuditEvents, |sql| <$tx>::push_audit_insert(sql, chunk)).await?;
                    }
                    // The head moves with each row: a trigger (migration 0006).
                    if let (Some(ahead), Some(last)) = (self.read_ahead(), appended.last())
                        && ahead.audit_head.is_some()
                    {
                        ahead.audit_head = Some(Some((last.seq, last.hash.clone())));
                    }
                    Ok(appended)
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
                    let rows: Vec<AuditRow> = sql.build_query_as().fetch_all(self.conn().await?).await?;
                    rows.into_iter().map(AuditRow::into_event).collect()
                }

                async fn audit_chain_page(&mut self, after: i64, limit: u32) -> StoreResult<Vec<AuditEvent>> {
                    let rows: Vec<AuditRow> = sqlx::query_as(&format!(
                        "{AUDIT_COLUMNS} where seq > $1 order by seq limit $2"
                    ))
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(AuditRow::into_event).collect()
                }

                async fn audit_head(&mut self) -> StoreResult<Option<(i64, String)>> {
                    Ok(
                        sqlx::query_as("select seq, hash from audit_head where id = 1")
                            .fetch_optional(self.conn().await?)
                            .await?,
                    )
                }
            }
        };
    };
}
pub(crate) use impl_audit_tx;
