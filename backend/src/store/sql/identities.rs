//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_identity_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{AccessLevel, ModelId, ModelName, Timestamp, UserId};

            use $crate::store::sql::rows::{UserRow, access_level};
            use $crate::store::{
                CliApproval, CliDecision, GroupMembership, Identity, IdentityTx, ProviderFlow,
                StoreResult, UserRecord, stored,
            };

            type ApprovalRow = (String, String, String, i64, String, Option<i64>);

            fn approval(row: ApprovalRow) -> StoreResult<CliApproval> {
                let (poll_hash, user_code, label, created_at, decision, user) = row;
                Ok(CliApproval {
                    poll_hash,
                    user_code,
                    label,
                    created_at: Timestamp(created_at),
                    decision: stored("approval decision", CliDecision::from_columns(&decision, user))?,
                })
            }

            const APPROVAL_COLUMNS: &str =
                "poll_hash, user_code, label, created_at, decision, user_id";

            #[async_trait]
            impl IdentityTx for $tx {
                async fn insert_provider_flow(&mut self, f: &ProviderFlow) -> StoreResult<()> {
                    sqlx::query(
                        "insert into oidc_flow (state_hash, nonce, pkce_verifier, return_to, created_at) \
                         values ($1, $2, $3, $4, $5)",
                    )
                    .bind(&f.state_hash)
                    .bind(&f.nonce)
                    .bind(&f.pkce_verifier)
                    .bind(&f.return_to)
                    .bind(f.created_at.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn take_provider_flow(
                    &mut self,
                    state_hash: &str,
                    since: Timestamp,
                ) -> StoreResult<Option<ProviderFlow>> {
                    sqlx::query("delete from oidc_flow where created_at < $1")
                        .bind(since.millis())
                        .execute(self.conn().await?)
                        .await?;
                    let row: Option<(String, String, String, i64)> = sqlx::query_as(
                        "delete from oidc_flow where state_hash = $1 \
                         returning nonce, pkce_verifier, return_to, created_at",
                    )
                    .bind(state_hash)
                    .fetch_optional(self.conn().await?)
                    .await?;
                    Ok(row.map(|(nonce, pkce_verifier, return_to, created_at)| ProviderFlow {
                        state_hash: state_hash.to_owned(),
                        nonce,
                        pkce_verifier,
                        return_to,
                        created_at: Timestamp(created_at),
                    }))
                }

                async fn user_by_identity(&mut self, id: &Identity) -> StoreResult<Option<UserRecord>> {
                    let row: Option<UserRow> = sqlx::query_as(
                        "select u.id, u.name, u.password_hash, u.superuser, u.group_superuser, \
                         u.created_at, u.sessions_valid_after from user_identity i \
                         join app_user u on u.id = i.user_id where i.issuer = $1 and i.subject = $2",
                    )
                    .bind(&id.issuer)
                    .bind(&id.subject)
                    .fetch_optional(self.conn().await?)
                    .await?;
                    row.map(UserRow::into_record).transpose()
                }

                async fn link_identity(
                    &mut self,
                    id: &Identity,
                    user: UserId,
                    now: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "insert into user_identity (issuer, subject, user_id, linked_at) values ($1, $2, $3, $4)",
                    )
                    .bind(&id.issuer)
                    .bind(&id.subject)
                    .bind(user.0)
                    .bind(now.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn identities(&mut self, user: UserId) -> StoreResult<Vec<Identity>> {
                    let rows: Vec<(String, String)> = sqlx::query_as(
                        "select issuer, subject from user_identity where user_id = $1 order by issuer, subject",
                    )
                    .bind(user.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(issuer, subject)| Identity { issuer, subject })
                        .collect())
                }

                async fn group_memberships(&mut self, user: UserId) -> StoreResult<Vec<GroupMembership>> {
                    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
                        "select m.id, m.name, g.access, g.groups from model_group_member g \
                         join model m on m.id = g.model_id where g.user_id = $1 order by m.name",
                    )
                    .bind(user.0)
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter()
                        .map(|(id, name, access, groups)| {
                            Ok(GroupMembership {
                                model_id: ModelId(id),
                                model_name: stored("model name", ModelName::parse(&name))?,
                                access: access_level(&access)?,
                                groups,
                            })
                        })
                        .collect()
                }

                async fn set_group_member(
                    &mut self,
                    model: ModelId,
                    user: UserId,
                    access: AccessLevel,
                    groups: &str,
                    now: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "insert into model_group_member (model_id, user_id, access, groups, updated_at) \
                         values ($1, $2, $3, $4, $5) on conflict (model_id, user_id) do update set \
                         access = excluded.access, groups = excluded.groups, updated_at = excluded.updated_at",
                    )
                    .bind(model.0)
                    .bind(user.0)
                    .bind(access.as_str())
                    .bind(groups)
                    .bind(now.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn remove_group_member(&mut self, model: ModelId, user: UserId) -> StoreResult<()> {
                    sqlx::query("delete from model_group_member where model_id = $1 and user_id = $2")
                        .bind(model.0)
                        .bind(user.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn insert_cli_approval(
                    &mut self,
                    a: &CliApproval,
                    since: Timestamp,
                ) -> StoreResult<i64> {
                    sqlx::query("delete from cli_approval where created_at < $1")
                        .bind(since.millis())
                        .execute(self.conn().await?)
                        .await?;
                    let (decision, user) = a.decision.columns();
                    sqlx::query(&format!(
                        "insert into cli_approval ({APPROVAL_COLUMNS}) values ($1, $2, $3, $4, $5, $6)"
                    ))
                    .bind(&a.poll_hash)
                    .bind(&a.user_code)
                    .bind(&a.label)
                    .bind(a.created_at.millis())
                    .bind(decision)
                    .bind(user)
                    .execute(self.conn().await?)
                    .await?;
                    let (count,): (i64,) = sqlx::query_as("select count(*) from cli_approval")
                        .fetch_one(self.conn().await?)
                        .await?;
                    Ok(count)
                }

                async fn cli_approval_by_code(
                    &mut self,
                    user_code: &str,
                    since: Timestamp,
                ) -> StoreResult<Option<CliApproval>> {
                    let row: Option<ApprovalRow> = sqlx::query_as(&format!(
                        "select {APPROVAL_COLUMNS} from cli_approval where user_code = $1 and created_at >= $2"
                    ))
                    .bind(user_code)
                    .bind(since.millis())
                    .fetch_optional(self.conn().await?)
                    .await?;
                    row.map(approval).transpose()
                }

                async fn decide_cli_approval(
                    &mut self,
                    user_code: &str,
                    since: Timestamp,
                    decision: CliDecision,
                ) -> StoreResult<bool> {
                    let (decision, user) = decision.columns();
                    let done = sqlx::query(
                        "update cli_approval set decision = $1, user_id = $2 \
                         where user_code = $3 and created_at >= $4 and decision = 'pending'",
                    )
                    .bind(decision)
                    .bind(user)
                    .bind(user_code)
                    .bind(since.millis())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(done.rows_affected() == 1)
                }

                async fn take_decided_cli_approval(
                    &mut self,
                    poll_hash: &str,
                    since: Timestamp,
                ) -> StoreResult<Option<CliApproval>> {
                    // Delete first: of two collections at once, only one gets the row.
                    let decided: Option<ApprovalRow> = sqlx::query_as(&format!(
                        "delete from cli_approval where poll_hash = $1 and created_at >= $2 \
                         and decision <> 'pending' returning {APPROVAL_COLUMNS}"
                    ))
                    .bind(poll_hash)
                    .bind(since.millis())
                    .fetch_optional(self.conn().await?)
                    .await?;
                    if decided.is_some() {
                        return decided.map(approval).transpose();
                    }
                    let pending: Option<ApprovalRow> = sqlx::query_as(&format!(
                        "select {APPROVAL_COLUMNS} from cli_approval where poll_hash = $1 and created_at >= $2"
                    ))
                    .bind(poll_hash)
                    .bind(since.millis())
                    .fetch_optional(self.conn().await?)
                    .await?;
                    pending.map(approval).transpose()
                }

                async fn set_group_superuser(
                    &mut self,
                    user: UserId,
                    superuser: bool,
                    now: Timestamp,
                ) -> StoreResult<()> {
                    sqlx::query("update app_user set group_superuser = $1, updated_at = $2 where id = $3")
                        .bind(superuser)
                        .bind(now.millis())
                        .bind(user.0)
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_identity_tx;
