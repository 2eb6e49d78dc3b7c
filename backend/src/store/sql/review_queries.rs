//! Shared SQL for both databases; see `store/sql.rs`. The access review's reads (ADR 0024):
//! flags are terms on the grant's own columns (migration 0011), unfiltered counts come from
//! per-application tallies (migration 0012), and a page reads only its windows.

macro_rules! impl_review_query_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, ModelId, ReviewFlag, SecretId, SecretName, Timestamp};
            use sqlx::QueryBuilder;

            use $crate::store::sql::rows::{app_name, revision, secret_id};
            use $crate::store::{
                GrantSetState, GrantUsageRecord, OwnerFilter, ReviewAppCounts, ReviewFilter,
                ReviewQueryTx, ReviewRows, StoreResult, stored,
            };

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

            /// Counts from `review_tally` (migration 0012) when the filter is at most an
            /// application: only "stale", which moves with the clock, reads index ranges.
            fn tallied_counts(f: &ReviewFilter) -> QueryBuilder<'static, $db> {
                let mut sql = QueryBuilder::<$db>::new(
                    "select a.id as application_id, a.name as application_name, \
                     exists (select 1 from api_token t where t.application_id = a.id) as live_token, \
                     r.grants as total, r.grants - r.read_grants as never_read, \
                     (select count(*) from secret_grant g where g.application_id = a.id and g.last_read_at < ",
                );
                sql.push_bind(f.stale_before.millis());
                sql.push(
                    ") + (select count(*) from secret_grant g where g.application_id = a.id \
                     and g.last_read_at is null and g.granted_at < ",
                );
                sql.push_bind(f.stale_before.millis());
                sql.push(
                    ") as stale, r.behind, r.grants as selected \
                     from application a join review_tally r on r.application_id = a.id where a.model_id = ",
                );
                sql.push_bind(f.model.0);
                sql.push(" and r.grants > 0");
                if let Some(app) = f.application {
                    sql.push(" and a.id = ").push_bind(app.0);
                }
                sql
            }

            /// Counts in one pass over the review index of each application's grants: the
            /// flag terms read only the grant's own columns (migration 0011).
            fn scanned_counts(f: &ReviewFilter) -> QueryBuilder<'static, $db> {
                let mut sql = QueryBuilder::<$db>::new(
                    "select g.application_id, a.name as application_name, \
                     exists (select 1 from api_token t where t.application_id = g.application_id) as live_token, \
                     count(*) as total, \
                     cast(sum(case when g.last_read_at is null then 1 else 0 end) as bigint) as never_read, \
                     cast(sum(case when coalesce(g.last_read_at, g.granted_at) < ",
                );
                sql.push_bind(f.stale_before.millis());
                sql.push(
                    " then 1 else 0 end) as bigint) as stale, \
                     cast(sum(case when g.behind_since is not null then 1 else 0 end) as bigint) as behind, \
                     cast(sum(case when ",
                );
                push_selected(&mut sql, f);
                sql.push(" then 1 else 0 end) as bigint) as selected from application a \
                          join secret_grant g on g.application_id = a.id");
                push_scope(&mut sql, f);
                sql.push(" group by g.application_id, a.name");
                sql
            }

            #[async_trait]
            impl ReviewQueryTx for $tx {
                async fn review_counts(&mut self, filter: &ReviewFilter) -> StoreResult<Vec<ReviewAppCounts>> {
                    let tallied = filter.flags.is_empty()
                        && filter.secret.is_none()
                        && filter.owner == OwnerFilter::Any;
                    let mut sql = if tallied { tallied_counts(filter) } else { scanned_counts(filter) };
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
                    rows: ReviewRows,
                ) -> StoreResult<Vec<GrantUsageRecord>> {
                    // The window is chosen from the grant rows alone; the usage sums and joins
                    // are made for the rows it keeps.
                    let mut sql = QueryBuilder::<$db>::new(
                        "select p.secret_id, s.name as secret_name, o.name as owner, \
                         p.application_id, a.name as application_name, p.granted_by, p.granted_at, \
                         (select max(u.last_read_at) from grant_usage u \
                          where u.application_id = p.application_id and u.secret_id = p.secret_id) as last_read_at, \
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
                    match rows {
                        ReviewRows::All => {}
                        ReviewRows::Window(w) => {
                            sql.push(" and g.application_id = ").push_bind(w.application.0);
                            sql.push(" order by name_key, g.secret_id limit ").push_bind(w.limit);
                            sql.push(" offset ").push_bind(w.offset);
                        }
                        ReviewRows::Crossing { applications, secrets } => {
                            sql.push(" and g.application_id in (");
                            let mut ids = sql.separated(", ");
                            for app in applications {
                                ids.push_bind(app.0);
                            }
                            sql.push(") and g.secret_id in (");
                            let mut ids = sql.separated(", ");
                            for secret in secrets {
                                ids.push_bind(secret.as_str().to_owned());
                            }
                            sql.push(")");
                        }
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

                async fn review_secrets(
                    &mut self,
                    filter: &ReviewFilter,
                    offset: i64,
                    limit: i64,
                ) -> StoreResult<Vec<(SecretId, Option<SecretName>)>> {
                    // Walks the model's secrets in name order and stops at the window's end:
                    // each step is one probe for a selected grant of the secret.
                    let mut sql = QueryBuilder::<$db>::new("select s.id, s.name from secret s where s.model_id = ");
                    sql.push_bind(filter.model.0);
                    sql.push(" and exists (select 1 from secret_grant g join application a on a.id = g.application_id");
                    push_scope(&mut sql, filter);
                    sql.push(" and g.secret_id = s.id and ");
                    push_selected(&mut sql, filter);
                    sql.push(") order by coalesce(s.name_sort, ''), s.id limit ").push_bind(limit);
                    sql.push(" offset ").push_bind(offset);
                    let rows: Vec<(String, Option<String>)> = sql.build_query_as().fetch_all(self.conn().await?).await?;
                    rows.into_iter()
                        .map(|(id, name)| {
                            let name = name.map(|n| stored("secret name", SecretName::parse(&n))).transpose()?;
                            Ok((secret_id(&id)?, name))
                        })
                        .collect()
                }

                async fn review_secret_count(&mut self, filter: &ReviewFilter) -> StoreResult<i64> {
                    let mut sql = QueryBuilder::<$db>::new(
                        "select count(distinct g.secret_id) from application a join secret_grant g on g.application_id = a.id",
                    );
                    push_scope(&mut sql, filter);
                    sql.push(" and ");
                    push_selected(&mut sql, filter);
                    Ok(sql.build_query_scalar().fetch_one(self.conn().await?).await?)
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
            }
        };
    };
}
pub(crate) use impl_review_query_tx;
