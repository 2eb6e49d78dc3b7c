//! Shared SQL for both databases; see `store/sql.rs`. Juju's vault backend (ADR 0030).

macro_rules! impl_juju_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{
                JujuBackendId, JujuBackendName, JujuOwner, ModelId, Timestamp, VaultMountPath,
                VaultPolicyName, VaultTokenId,
            };
            use sqlx::QueryBuilder;

            use $crate::store::{
                JujuBackendRecord, JujuTx, NewVaultToken, StoreResult, TokenPowers,
                VaultMountRecord, VaultPolicyRecord, VaultTokenRecord, stored,
            };
            use $crate::store::ModelRecord;
            use $crate::store::sql::rows::ModelRow;
            use $crate::token::TokenHash;

            type TokenRow = (i64, i64, Option<i64>, String, String, Option<String>, bool, i64, Option<i64>);
            type PolicyRow = (i64, String, String, i64, i64);
            type MountRow = (String, i64, i64, i64);

            const TOKEN_COLUMNS: &str = "t.id, t.backend_id, t.parent_id, t.accessor, t.display_name, \
                 t.policies, t.default_policy, t.created_at, t.expires_at";
            const POLICY_COLUMNS: &str = "backend_id, name, body, created_at, updated_at";
            const MOUNT_COLUMNS: &str = "path, backend_id, model_id, created_at";

            fn token(row: TokenRow) -> StoreResult<VaultTokenRecord> {
                let (id, backend, parent, accessor, display_name, policies, default_policy, created_at, expires_at) = row;
                let powers = match policies {
                    None => TokenPowers::Backend,
                    Some(json) => {
                        let names: Vec<String> = stored("token policies", serde_json::from_str(&json))?;
                        TokenPowers::Policies {
                            names: names
                                .iter()
                                .map(|n| stored("token policy name", VaultPolicyName::parse(n)))
                                .collect::<StoreResult<_>>()?,
                            default_policy,
                        }
                    }
                };
                Ok(VaultTokenRecord {
                    id: VaultTokenId(id),
                    backend: JujuBackendId(backend),
                    parent: parent.map(VaultTokenId),
                    accessor,
                    display_name,
                    powers,
                    created_at: Timestamp(created_at),
                    expires_at: expires_at.map(Timestamp),
                })
            }

            fn policy(row: PolicyRow) -> StoreResult<VaultPolicyRecord> {
                let (backend, name, body, created_at, updated_at) = row;
                Ok(VaultPolicyRecord {
                    backend: JujuBackendId(backend),
                    name: stored("policy name", VaultPolicyName::parse(&name))?,
                    body,
                    created_at: Timestamp(created_at),
                    updated_at: Timestamp(updated_at),
                })
            }

            fn mount(row: MountRow) -> StoreResult<VaultMountRecord> {
                let (path, backend, model, created_at) = row;
                Ok(VaultMountRecord {
                    path: stored("mount path", VaultMountPath::parse(&path))?,
                    backend: JujuBackendId(backend),
                    model: ModelId(model),
                    created_at: Timestamp(created_at),
                })
            }

            /// The token and every token made from it, however deep.
            const TREE: &str = "with recursive tree(id) as (select id from vault_token where id = $1 \
                 union select t.id from vault_token t join tree on t.parent_id = tree.id) ";

            #[async_trait]
            impl JujuTx for $tx {
                async fn insert_juju_backend(&mut self, name: &JujuBackendName, now: Timestamp) -> StoreResult<JujuBackendId> {
                    let (id,): (i64,) = sqlx::query_as(
                        "insert into juju_backend (name, created_at) values ($1, $2) returning id",
                    )
                    .bind(name.as_str())
                    .bind(now.millis())
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(JujuBackendId(id))
                }

                async fn juju_backend_by_name(&mut self, name: &JujuBackendName) -> StoreResult<Option<JujuBackendRecord>> {
                    let row: Option<(i64, i64)> =
                        sqlx::query_as("select id, created_at from juju_backend where name = $1")
                            .bind(name.as_str())
                            .fetch_optional(self.conn().await?)
                            .await?;
                    Ok(row.map(|(id, created_at)| JujuBackendRecord {
                        id: JujuBackendId(id),
                        name: name.clone(),
                        created_at: Timestamp(created_at),
                    }))
                }

                async fn insert_vault_token(&mut self, t: &NewVaultToken) -> StoreResult<VaultTokenId> {
                    let (policies, default_policy) = match &t.powers {
                        TokenPowers::Backend => (None, false),
                        TokenPowers::Policies { names, default_policy } => {
                            let names: Vec<&str> = names.iter().map(VaultPolicyName::as_str).collect();
                            (Some(serde_json::to_string(&names).expect("names serialize")), *default_policy)
                        }
                    };
                    let (id,): (i64,) = sqlx::query_as(
                        "insert into vault_token (backend_id, parent_id, token_hash, accessor, display_name, \
                         policies, default_policy, created_at, expires_at) \
                         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
                    )
                    .bind(t.backend.0)
                    .bind(t.parent.map(|p| p.0))
                    .bind(&t.hash.0)
                    .bind(&t.accessor)
                    .bind(&t.display_name)
                    .bind(policies)
                    .bind(default_policy)
                    .bind(t.now.millis())
                    .bind(t.expires_at.map(Timestamp::millis))
                    .fetch_one(self.conn().await?)
                    .await?;
                    Ok(VaultTokenId(id))
                }

                async fn live_vault_token(&mut self, hash: &TokenHash, now: Timestamp) -> StoreResult<Option<VaultTokenRecord>> {
                    let sql = format!(
                        "with recursive chain(id, parent_id, expires_at) as ( \
                         select id, parent_id, expires_at from vault_token where token_hash = $1 \
                         union all select p.id, p.parent_id, p.expires_at from vault_token p \
                         join chain c on p.id = c.parent_id) \
                         select {TOKEN_COLUMNS} from vault_token t where t.token_hash = $1 \
                         and not exists (select 1 from chain where expires_at <= $2)"
                    );
                    let row: Option<TokenRow> = sqlx::query_as(&sql)
                        .bind(&hash.0)
                        .bind(now.millis())
                        .fetch_optional(self.conn().await?)
                        .await?;
                    row.map(token).transpose()
                }

                async fn revoke_vault_token(&mut self, id: VaultTokenId) -> StoreResult<u64> {
                    let (count,): (i64,) = sqlx::query_as(&format!("{TREE}select count(*) from tree"))
                        .bind(id.0)
                        .fetch_one(self.conn().await?)
                        .await?;
                    sqlx::query("delete from vault_token where id = $1")
                        .bind(id.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(count as u64)
                }

                async fn revoke_backend_vault_tokens(&mut self, backend: JujuBackendId) -> StoreResult<u64> {
                    // Counted first: SQLite's cascade removes a child before the delete reaches
                    // it, so the rows the delete itself affects are fewer than the tokens gone.
                    let (count,): (i64,) =
                        sqlx::query_as("select count(*) from vault_token where backend_id = $1")
                            .bind(backend.0)
                            .fetch_one(self.conn().await?)
                            .await?;
                    sqlx::query("delete from vault_token where backend_id = $1")
                        .bind(backend.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(count as u64)
                }

                async fn remove_expired_vault_tokens(&mut self, now: Timestamp) -> StoreResult<u64> {
                    let (count,): (i64,) = sqlx::query_as(
                        "with recursive tree(id) as (select id from vault_token where expires_at <= $1 \
                         union select t.id from vault_token t join tree on t.parent_id = tree.id) \
                         select count(*) from tree",
                    )
                    .bind(now.millis())
                    .fetch_one(self.conn().await?)
                    .await?;
                    sqlx::query("delete from vault_token where expires_at <= $1")
                        .bind(now.millis())
                        .execute(self.conn().await?)
                        .await?;
                    Ok(count as u64)
                }

                async fn put_vault_policy(&mut self, p: &VaultPolicyRecord) -> StoreResult<bool> {
                    let known: Option<(String,)> =
                        sqlx::query_as("select name from vault_policy where backend_id = $1 and name = $2")
                            .bind(p.backend.0)
                            .bind(p.name.as_str())
                            .fetch_optional(self.conn().await?)
                            .await?;
                    sqlx::query(
                        "insert into vault_policy (backend_id, name, body, created_at, updated_at) \
                         values ($1, $2, $3, $4, $5) on conflict (backend_id, name) \
                         do update set body = excluded.body, updated_at = excluded.updated_at",
                    )
                    .bind(p.backend.0)
                    .bind(p.name.as_str())
                    .bind(&p.body)
                    .bind(p.created_at.millis())
                    .bind(p.updated_at.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(known.is_none())
                }

                async fn vault_policy(&mut self, backend: JujuBackendId, name: &VaultPolicyName) -> StoreResult<Option<VaultPolicyRecord>> {
                    let row: Option<PolicyRow> = sqlx::query_as(&format!(
                        "select {POLICY_COLUMNS} from vault_policy where backend_id = $1 and name = $2"
                    ))
                    .bind(backend.0)
                    .bind(name.as_str())
                    .fetch_optional(self.conn().await?)
                    .await?;
                    row.map(policy).transpose()
                }

                async fn vault_policies_named(&mut self, backend: JujuBackendId, names: &[VaultPolicyName]) -> StoreResult<Vec<VaultPolicyRecord>> {
                    if names.is_empty() {
                        return Ok(Vec::new());
                    }
                    let mut sql = QueryBuilder::<$db>::new(format!(
                        "select {POLICY_COLUMNS} from vault_policy where backend_id = "
                    ));
                    sql.push_bind(backend.0).push(" and name in (");
                    let mut each = sql.separated(", ");
                    for name in names {
                        each.push_bind(name.as_str().to_owned());
                    }
                    sql.push(") order by name");
                    let rows: Vec<PolicyRow> = sql.build_query_as().fetch_all(self.conn().await?).await?;
                    rows.into_iter().map(policy).collect()
                }

                async fn vault_policy_names(&mut self, backend: JujuBackendId) -> StoreResult<Vec<VaultPolicyName>> {
                    let rows: Vec<(String,)> =
                        sqlx::query_as("select name from vault_policy where backend_id = $1 order by name")
                            .bind(backend.0)
                            .fetch_all(self.conn().await?)
                            .await?;
                    rows.iter()
                        .map(|(n,)| stored("policy name", VaultPolicyName::parse(n)))
                        .collect()
                }

                async fn delete_vault_policy(&mut self, backend: JujuBackendId, name: &VaultPolicyName) -> StoreResult<bool> {
                    let done = sqlx::query("delete from vault_policy where backend_id = $1 and name = $2")
                        .bind(backend.0)
                        .bind(name.as_str())
                        .execute(self.conn().await?)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn insert_vault_mount(&mut self, m: &VaultMountRecord) -> StoreResult<()> {
                    sqlx::query(&format!("insert into vault_mount ({MOUNT_COLUMNS}) values ($1, $2, $3, $4)"))
                        .bind(m.path.as_str())
                        .bind(m.backend.0)
                        .bind(m.model.0)
                        .bind(m.created_at.millis())
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn vault_mount(&mut self, path: &VaultMountPath) -> StoreResult<Option<VaultMountRecord>> {
                    let row: Option<MountRow> =
                        sqlx::query_as(&format!("select {MOUNT_COLUMNS} from vault_mount where path = $1"))
                            .bind(path.as_str())
                            .fetch_optional(self.conn().await?)
                            .await?;
                    row.map(mount).transpose()
                }

                async fn vault_mounts(&mut self, backend: JujuBackendId) -> StoreResult<Vec<VaultMountRecord>> {
                    let rows: Vec<MountRow> = sqlx::query_as(&format!(
                        "select {MOUNT_COLUMNS} from vault_mount where backend_id = $1 order by path"
                    ))
                    .bind(backend.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(mount).collect()
                }

                async fn vault_mount_at(
                    &mut self,
                    backend: JujuBackendId,
                    candidates: &[VaultMountPath],
                ) -> StoreResult<Option<(VaultMountRecord, ModelRecord)>> {
                    if candidates.is_empty() {
                        return Ok(None);
                    }
                    let mut q = QueryBuilder::<$db>::new(
                        "select m.path, m.backend_id, m.model_id, m.created_at, d.uuid, d.name, d.created_at \
                         from vault_mount m join model d on d.id = m.model_id where m.backend_id = ",
                    );
                    q.push_bind(backend.0).push(" and m.path in (");
                    let mut paths = q.separated(", ");
                    for path in candidates {
                        paths.push_bind(path.as_str());
                    }
                    q.push(") order by length(m.path) desc limit 1");
                    let row: Option<(String, i64, i64, i64, String, String, i64)> =
                        q.build_query_as().fetch_optional(self.conn().await?).await?;
                    row.map(|(path, backend, model, created_at, uuid, name, model_created_at)| {
                        let model = ModelRow { id: model, uuid, name, created_at: model_created_at };
                        Ok((mount((path, backend, model.id, created_at))?, model.into_record()?))
                    })
                    .transpose()
                }

                async fn juju_owner_of_model(&mut self, model: ModelId) -> StoreResult<Option<JujuOwner>> {
                    let row: Option<(String, String)> = sqlx::query_as(
                        "select b.name, m.path from vault_mount m \
                         join juju_backend b on b.id = m.backend_id where m.model_id = $1",
                    )
                    .bind(model.0)
                    .fetch_optional(self.conn().await?)
                    .await?;
                    row.map(|(backend, mount)| {
                        Ok(JujuOwner {
                            backend: stored("backend name", JujuBackendName::parse(&backend))?,
                            mount: stored("mount path", VaultMountPath::parse(&mount))?,
                        })
                    })
                    .transpose()
                }
            }
        };
    };
}

pub(crate) use impl_juju_tx;
