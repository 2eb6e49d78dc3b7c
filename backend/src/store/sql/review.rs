//! Shared SQL for both databases; see `store/sql.rs`.

/// Usage rows in one upsert: 5 parameters each, well under SQLite's limit.
pub(crate) const USAGE_ROWS_PER_STATEMENT: usize = 1_000;

macro_rules! impl_review_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, ModelId, SecretId, SecretName, Timestamp};
            use sqlx::QueryBuilder;

            use $crate::store::sql::rows::{app_name, revision, secret_id};
            use $crate::store::sql::USAGE_ROWS_PER_STATEMENT;
            use $crate::store::{
                GrantSetState, GrantUsageRecord, NewSignOff, OwnerFilter, ReviewAppCounts, ReviewFilter,
                ReviewTx, ReviewWindow, SignOffRecord, StoreResult, UsageTally, stored,
            };
            use domain::ReviewFlag;

            #[derive(sqlx::FromRow)]
            struct CountsRow {
                application_id: i64,
                application_name: String,
                live_token: bool,
                total: i64,
                never_read: i64,
                stale: i64,
                behind: i64,
                selected: i64,
            }

            /// ` where …`: the model's grants under the filter's application, secret and owner
            /// terms (`a` is the grantee application, `g` the grant).
            fn push_scope(sql: &mut QueryBuilder<'static, $db>, f: &ReviewFilter) {
                sql.push(" where a.model_id = ").push_bind(f.model.0);
                if let Some(app) = f.application {
                    sql.push(" and g.application_id = ").push_bind(app.0);
                }
                if let Some(secret) = &f.secret {
                    sql.push(" and g.secret_id = ").push_bind(secret.as_str().to_owned());
                }
                match &f.owner {
                    OwnerFilter::Any => {}
                    OwnerFilter::Model => {
                        sql.push(" and exists (select 1 from secret os where os.id = g.secret_id \
                                  and os.owner_application_id is null)");
                    }
                    OwnerFilter::Application(name) => {
                        sql.push(" and exists (select 1 from secret os join application oa \
                                  on oa.id = os.owner_application_id where os.id = g.secret_id and oa.name = ")
                            .push_bind(name.as_str().to_owned())
                            .push(")");
                    }
                }
            }

            /// Whether grant `g` carries any of the filter's flags (true when it names none);
            /// the terms `ReviewFilter::flags_of` mirrors.
            fn push_selected(sql: &mut QueryBuilder<'static, $db>, f: &ReviewFilter) {
                if f.flags.is_empty() {
                    sql.push("1 = 1");
                    return;
                }
                sql.push("(");
                for (i, flag) in f.flags.iter().enumerate() {
                    if i > 0 {
                        sql.push(" or ");
                    }
                    match flag {
                        ReviewFlag::NeverRead => {
                            sql.push("g.last_read_at is null");
                        }
                        ReviewFlag::Stale => {
                            sql.push("coalesce(g.last_read_at, g.granted_at) < ")
                                .push_bind(f.stale_before.millis());
                        }
                        ReviewFlag::Behind => {
                            sql.push("g.behind_since is not null");
                        }
                        ReviewFlag::NoToken => {
                            sql.push("not exists (select 1 from api_token t where t.application_id = g.application_id)");
                        }
                    }
                }
                sql.push(")");
            }

            #[derive(sqlx::FromRow)]
            struct ReviewRow {
                secret_id: String,
                secret_name: Option<String>,
                owner: Option<String>,
                application_id: i64,
                application_name: String,
                granted_by: String,
                granted_at: i64,
                last_read_at: Option<i64>,
                recent_reads: i64,
                tracked: Option<i64>,
                latest: i64,
                behind_since: Option<i64>,
                live_token: bool,
            }

            impl ReviewRow {
                fn into_record(self) -> StoreResult<GrantUsageRecord> {
                    Ok(GrantUsageRecord {
                        secret_id: secret_id(&self.secret_id)?,
                        secret_name: self
                            .secret_name
                            .map(|n| stored("secret name", SecretName::parse(&n)))
                            .transpose()?,
                        owner: self.owner.as_deref().map(app_name).transpose()?,
                        application_id: ApplicationId(self.application_id),
                        application_name: app_name(&self.application_name)?,
                        granted_by: self.granted_by,
                        granted_at: Timestamp(self.granted_at),
                        last_read_at: self.last_read_at.map(Timestamp),
                        recent_reads: self.recent_reads,
                        tracked: self.tracked.map(revision).transpose()?,
                        latest: revision(self.latest)?,
                        behind_since: self.behind_since.map(Timestamp),
                        live_token: self.live_token,
                    })
                }
            }

            type SignOffRow = (i64, String, i64, String, String, i64);

            impl $tx {
                /// Appends one statement adding `chunk` (at most
                /// [`USAGE_ROWS_PER_STATEMENT`] tallies) to the usage counts.
                pub(crate) fn push_usage_upsert(sql: &mut QueryBuilder<'static, $db>, chunk: &[UsageTally]) {
                    sql.push("insert into grant_usage (application_id, secret_id, day, reads, last_read_at) ");
                    sql.push_values(chunk, |mut row, t| {
                        row.push_bind(t.application.0)
                            .push_bind(t.secret.as_str().to_owned())
                            .push_bind(t.day)
                            .push_bind(t.reads)
                            .push_bind(t.last_read_at.millis());
                    });
                    sql.push(
                        " on conflict (application_id, secret_id, day) do update set \
                         reads = grant_usage.reads + excluded.reads, last_read_at = case \
                         when excluded.last_read_at > grant_usage.last_read_at then excluded.last_read_at \
                         else grant_usage.last_read_at end",
                    );
                }
            }

            #[async_trait]
            impl ReviewTx for $tx {
                async fn record_usage(&mut self, usage: &[UsageTally]) -> StoreResult<()> {
                    for chunk in usage.chunks(USAGE_ROWS_PER_STATEMENT) {
                        self.write_later(|sql| <$tx>::push_usage_upsert(sql, chunk)).await?;
                    }
                    Ok(())
                }

                async fn forget_usage(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<()> {
                    sqlx::query("delete from grant_usage where secret_id = $1 and application_id = $2")
                        .bind(secret.as_str())
                        .bind(app.0)
                        .execute(self.conn().await?)
                        .await?;
                    sqlx::query("update secret_grant set last_read_at = null where secret_id = $1 and application_id = $2")
                        .bind(secret.as_str())
                        .bind(app.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn review_counts(&mut self, filter: &ReviewFilter) -> StoreResult<Vec<ReviewAppCounts>> {
                    // One pass over the review index of each application's grants: the flag
                    // terms read only the grant's own columns (migration 0011).
                    let mut sql = QueryBuilder::<$db>::new(
                        "select g.application_id, a.name as application_name, \
                         exists (select 1 from api_token t where t.application_id = g.application_id) as live_token, \
                         count(*) as total, \
                         cast(sum(case when g.last_read_at is null then 1 else 0 end) as bigint) as never_read, \
                         cast(sum(case when coalesce(g.last_read_at, g.granted_at) < ",
                    );
                    sql.push_bind(filter.stale_before.millis());
                    sql.push(
                        " then 1 else 0 end) as bigint) as stale, \
                         cast(sum(case when g.behind_since is not null then 1 else 0 end) as bigint) as behind, \
                         cast(sum(case when ",
                    );
                    push_selected(&mut sql, filter);
                    sql.push(" then 1 else 0 end) as bigint) as selected from application a \
                              join secret_grant g on g.application_id = a.id");
                    push_scope(&mut sql, filter);
                    sql.push(" group by g.application_id, a.name");
                    let rows: Vec<CountsRow> = sql.build_query_as().fetch_all(self.conn().await?).await?;
                    rows.into_iter()
                        .map(|r| {
                            Ok(ReviewAppCounts {
                                application_id: ApplicationId(r.application_id),
                                application_name: app_name(&r.application_name)?,
                                live_token: r.live_token,
                                total: r.total,
                                never_read: r.never_read,
                                stale: r.stale,
                                behind: r.behind,
                                selected: r.selected,
                            })
                        })
                        .collect()
                }

                async fn review_grants(
                    &mut self,
                    filter: &ReviewFilter,
                    window: Option<ReviewWindow>,
                ) -> StoreResult<Vec<GrantUsageRecord>> {
                    // The window is chosen from the grant rows alone; the usage sums and joins
                    // are made for the rows it keeps.
                    let mut sql = QueryBuilder::<$db>::new(
                        "select p.secret_id, s.name as secret_name, o.name as owner, \
                         p.application_id, a.name as application_name, p.granted_by, p.granted_at, p.last_read_at, \
                         cast(coalesce((select sum(u.reads) from grant_usage u \
                          where u.application_id = p.application_id and u.secret_id = p.secret_id and u.day >= ",
                    );
                    sql.push_bind(filter.recent_from_day);
                    sql.push(
                        "), 0) as bigint) as recent_reads, \
                         c.current_revision as tracked, s.latest_revision as latest, p.behind_since, \
                         exists (select 1 from api_token t where t.application_id = p.application_id) as live_token \
                         from (select g.secret_id, g.application_id, g.granted_by, g.granted_at, g.last_read_at, \
                         g.behind_since, coalesce(ks.name_sort, '') as name_key \
                         from application a join secret_grant g on g.application_id = a.id \
                         join secret ks on ks.id = g.secret_id",
                    );
                    push_scope(&mut sql, filter);
                    sql.push(" and ");
                    push_selected(&mut sql, filter);
                    if let Some(w) = window {
                        sql.push(" and g.application_id = ").push_bind(w.application.0);
                        sql.push(" order by name_key, g.secret_id limit ").push_bind(w.limit);
                        sql.push(" offset ").push_bind(w.offset);
                    }
                    sql.push(
                        ") p join secret s on s.id = p.secret_id join application a on a.id = p.application_id \
                         left join application o on o.id = s.owner_application_id \
                         left join secret_consumer c on c.secret_id = p.secret_id and c.application_id = p.application_id \
                         order by p.application_id, p.name_key, p.secret_id",
                    );
                    let rows: Vec<ReviewRow> = sql.build_query_as().fetch_all(self.conn().await?).await?;
                    rows.into_iter().map(ReviewRow::into_record).collect()
                }

                async fn grant_set(&mut self, model: ModelId) -> StoreResult<GrantSetState> {
                    let (count, last): (i64, Option<i64>) = sqlx::query_as(
                        "select count(*), max(g.granted_at) from application a \
                         join secret_grant g on g.application_id = a.id where a.model_id = $1",
                    )
                    .bind(model.0)
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(GrantSetState { count, last_granted_at: last.map(Timestamp) })
                }

                async fn insert_sign_off(&mut self, new: &NewSignOff) -> StoreResult<SignOffRecord> {
                    let id: i64 = sqlx::query_scalar(
                        "insert into access_review_sign_off (model_id, reviewed_by, reviewed_at, note, \
                         grant_digest, grant_count) values ($1, $2, $3, $4, $5, $6) returning id",
                    )
                    .bind(new.model.0)
                    .bind(&new.reviewed_by)
                    .bind(new.reviewed_at.millis())
                    .bind(&new.note)
                    .bind(&new.grant_digest)
                    .bind(new.grant_count)
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(SignOffRecord {
                        id,
                        reviewed_by: new.reviewed_by.clone(),
                        reviewed_at: new.reviewed_at,
                        note: new.note.clone(),
                        grant_digest: new.grant_digest.clone(),
                        grant_count: new.grant_count,
                    })
                }

                async fn sign_offs(&mut self, model: ModelId, limit: i64) -> StoreResult<Vec<SignOffRecord>> {
                    let rows: Vec<SignOffRow> = sqlx::query_as(
                        "select id, reviewed_by, reviewed_at, note, grant_digest, grant_count \
                         from access_review_sign_off where model_id = $1 order by reviewed_at desc, id desc limit $2",
                    )
                    .bind(model.0)
                    .bind(limit)
                    .fetch_all(self.conn().await?)
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(id, reviewed_by, at, note, grant_digest, grant_count)| SignOffRecord {
                            id,
                            reviewed_by,
                            reviewed_at: Timestamp(at),
                            note,
                            grant_digest,
                            grant_count,
                        })
                        .collect())
                }
            }
        };
    };
}
pub(crate) use impl_review_tx;
