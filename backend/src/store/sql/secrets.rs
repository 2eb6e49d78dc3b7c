//! Shared SQL for both databases; see `store/sql.rs`.

/// `%term%` for LIKE and ILIKE with a backslash escape, their own wildcards escaped.
pub(crate) fn like_pattern(term: &str) -> String {
    let escaped = term
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// How a search term narrows the secrets list.
pub(crate) enum SearchPlan {
    /// The ids of every secret the term matches, as a JSON array: few enough to sort.
    Matches(String),
    /// Test each secret in page order until the page is full.
    Scan,
}

macro_rules! impl_secret_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ApplicationId, ModelId, SecretId, SecretName};
            use sqlx::QueryBuilder;

            use $crate::store::sql::rows::{SECRET_COLUMNS, SecretRow, SummaryRow};
            use $crate::store::{
                Cursor, OwnerFilter, SecretOwner, SecretQuery, SecretRecord, SecretSummary, SecretTx, SortKey,
                StoreResult,
            };

            fn summary_select() -> String {
                format!(
                    "select {SECRET_COLUMNS}, a.name as owner_name, \
                     (select count(*) from secret_grant g where g.secret_id = s.id) as grant_count \
                     from secret s left join application a on a.id = s.owner_application_id"
                )
            }

            fn owner_id(owner: SecretOwner) -> Option<i64> {
                match owner {
                    SecretOwner::Model => None,
                    SecretOwner::Application(a) => Some(a.0),
                }
            }

            /// The name's natural sort key (ADR 0025); none for a secret without a name.
            fn name_sort(s: &SecretRecord) -> Option<String> {
                s.name.as_ref().map(|n| domain::natural_order::natural_sort_key(n.as_str()))
            }

            fn sort_expr(key: SortKey) -> &'static str {
                match key {
                    SortKey::Name => "coalesce(s.name_sort, '')",
                    SortKey::Created => "s.created_at",
                    SortKey::Updated => "s.updated_at",
                }
            }

            #[async_trait]
            impl SecretTx for $tx {
                async fn insert_secret(&mut self, s: &SecretRecord) -> StoreResult<()> {
                    sqlx::query(
                        "insert into secret (id, model_id, owner_application_id, name, description, auto_prune, \
                         rotate_policy, next_rotate_at, latest_revision, revision_counter, created_at, updated_at, \
                         name_sort) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    )
                    .bind(s.id.as_str())
                    .bind(s.model_id.0)
                    .bind(owner_id(s.owner))
                    .bind(s.name.as_ref().map(SecretName::as_str))
                    .bind(s.description.as_str())
                    .bind(s.auto_prune)
                    .bind(s.rotate_policy.as_str())
                    .bind(s.next_rotate_at.map(|t| t.millis()))
                    .bind(s.latest_revision.get())
                    .bind(s.revision_counter.get())
                    .bind(s.created_at.millis())
                    .bind(s.updated_at.millis())
                    .bind(name_sort(s))
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn secret(&mut self, model: ModelId, id: &SecretId) -> StoreResult<Option<SecretRecord>> {
                    if let Some(found) = self.read_ahead().and_then(|a| a.secret(model, id)) {
                        return Ok(Some(found));
                    }
                    let row: Option<SecretRow> = sqlx::query_as(&format!(
                        "select {SECRET_COLUMNS} from secret s where s.model_id = $1 and s.id = $2"
                    ))
                    .bind(model.0)
                    .bind(id.as_str())
                    .fetch_optional(self.conn().await?)
                    .await?;
                    row.map(SecretRow::into_record).transpose()
                }

                async fn secret_by_name(
                    &mut self,
                    model: ModelId,
                    owner: SecretOwner,
                    name: &SecretName,
                ) -> StoreResult<Option<SecretRecord>> {
                    let row: Option<SecretRow> = sqlx::query_as(&format!(
                        "select {SECRET_COLUMNS} from secret s where s.model_id = $1 and s.name = $2 \
                         and s.owner_application_id is not distinct from $3"
                    ))
                    .bind(model.0)
                    .bind(name.as_str())
                    .bind(owner_id(owner))
                    .fetch_optional(self.conn().await?)
                    .await?;
                    row.map(SecretRow::into_record).transpose()
                }

                async fn update_secret(&mut self, s: &SecretRecord) -> StoreResult<()> {
                    self.write_later($crate::store::sql::HeldWrite::SecretUpdate, |sql| {
                        sql.push("update secret set name = ")
                            .push_bind(s.name.as_ref().map(|n| n.as_str().to_owned()))
                            .push(", description = ")
                            .push_bind(s.description.as_str().to_owned())
                            .push(", auto_prune = ")
                            .push_bind(s.auto_prune)
                            .push(", rotate_policy = ")
                            .push_bind(s.rotate_policy.as_str())
                            .push(", next_rotate_at = ")
                            .push_bind(s.next_rotate_at.map(|t| t.millis()))
                            .push(", latest_revision = ")
                            .push_bind(s.latest_revision.get())
                            .push(", revision_counter = ")
                            .push_bind(s.revision_counter.get())
                            .push(", updated_at = ")
                            .push_bind(s.updated_at.millis())
                            .push(", name_sort = ")
                            .push_bind(name_sort(s))
                            .push(" where id = ")
                            .push_bind(s.id.as_str().to_owned());
                    })
                    .await
                }

                async fn unsorted_names(&mut self, limit: i64) -> StoreResult<Vec<(SecretId, String)>> {
                    let rows: Vec<(String, String)> = sqlx::query_as(
                        "select id, name from secret where name is not null and name_sort is null limit $1",
                    )
                    .bind(limit)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(|(id, name)| Ok(($crate::store::sql::rows::secret_id(&id)?, name))).collect()
                }

                async fn set_name_sort(&mut self, id: &SecretId, key: &str) -> StoreResult<()> {
                    sqlx::query("update secret set name_sort = $1 where id = $2")
                        .bind(key)
                        .bind(id.as_str())
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn model_revision_keys(
                    &mut self,
                    model: ModelId,
                ) -> StoreResult<Vec<(SecretId, domain::RevisionNumber)>> {
                    let rows: Vec<(String, i64)> = sqlx::query_as(
                        "select r.secret_id, r.revision from secret_revision r \
                         join secret s on s.id = r.secret_id where s.model_id = $1 \
                         order by r.secret_id, r.revision",
                    )
                    .bind(model.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.iter()
                        .map(|(id, n)| {
                            Ok((
                                $crate::store::stored("secret id", SecretId::parse(id))?,
                                $crate::store::stored("revision", domain::RevisionNumber::new(*n))?,
                            ))
                        })
                        .collect()
                }

                async fn delete_secret(&mut self, id: &SecretId) -> StoreResult<()> {
                    // grant_usage has no foreign keys (migration 0009).
                    sqlx::query("delete from grant_usage where secret_id = $1")
                        .bind(id.as_str())
                        .execute(self.conn().await?)
                        .await?;
                    sqlx::query("delete from secret where id = $1")
                        .bind(id.as_str())
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn list_secrets(
                    &mut self,
                    model: ModelId,
                    q: &SecretQuery,
                ) -> StoreResult<Vec<SecretSummary>> {
                    let search = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty());
                    let plan = match search {
                        Some(term) => self.search_plan(term).await?,
                        None => $crate::store::sql::SearchPlan::Scan,
                    };
                    // Known matches drive the query: `+` keeps SQLite from walking the model's
                    // sort index and testing every secret against them (ADR 0011).
                    let model_column = match plan {
                        $crate::store::sql::SearchPlan::Matches(_) => "+s.model_id",
                        $crate::store::sql::SearchPlan::Scan => "s.model_id",
                    };
                    let mut sql = QueryBuilder::<$db>::new(summary_select());
                    sql.push(format!(" where {model_column} = ")).push_bind(model.0);
                    match &q.owner {
                        OwnerFilter::Any => {}
                        OwnerFilter::Model => {
                            sql.push(" and s.owner_application_id is null");
                        }
                        OwnerFilter::Application(name) => {
                            sql.push(" and a.name = ")
                                .push_bind(name.as_str().to_owned());
                        }
                    }
                    if let Some(term) = search {
                        <$tx>::push_search(&mut sql, term, plan);
                    }
                    let expr = sort_expr(q.sort);
                    let (cmp, dir) = if q.descending {
                        ("<", "desc")
                    } else {
                        (">", "asc")
                    };
                    match &q.after {
                        Some(Cursor::Text(v, id)) => {
                            sql.push(format!(" and ({expr}, s.id) {cmp} ("))
                                .push_bind(v.clone());
                            sql.push(", ").push_bind(id.as_str().to_owned()).push(")");
                        }
                        Some(Cursor::Time(t, id)) => {
                            sql.push(format!(" and ({expr}, s.id) {cmp} ("))
                                .push_bind(t.millis());
                            sql.push(", ").push_bind(id.as_str().to_owned()).push(")");
                        }
                        None => {}
                    }
                    sql.push(format!(" order by {expr} {dir}, s.id {dir} limit "))
                        .push_bind(i64::from(q.limit));
                    let rows: Vec<SummaryRow> = sql.build_query_as().fetch_all(self.conn().await?).await?;
                    rows.into_iter().map(SummaryRow::into_summary).collect()
                }

                async fn readable_secrets(&mut self, app: ApplicationId) -> StoreResult<Vec<SecretSummary>> {
                    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
                        "{} where s.owner_application_id = $1 or exists (select 1 from secret_grant g \
                         where g.secret_id = s.id and g.application_id = $2) order by s.id",
                        summary_select()
                    ))
                    .bind(app.0)
                    .bind(app.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(SummaryRow::into_summary).collect()
                }
            }
        };
    };
}
pub(crate) use impl_secret_tx;
