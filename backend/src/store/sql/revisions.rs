//! Shared SQL for both databases; see `store/sql.rs`.

macro_rules! impl_revision_tx {
    ($tx:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use domain::{ModelUuid, RevisionNumber, SecretId, Timestamp};

            use $crate::store::sql::rows::{REVISION_COLUMNS, RevisionRow};
            use $crate::crypto::Sealed;
            use $crate::store::{
                KeyTx, RevisionMeta, RevisionRecord, RevisionTx, SealedRow, StoreResult, stored,
            };


            const SEALED_COLUMNS: &str = "select r.secret_id, r.revision, r.checksum, r.expire_at, r.ciphertext, r.nonce, \
                 r.wrapped_key, r.key_nonce, r.master_key_id, r.created_at, m.uuid as model_uuid \
                 from secret_revision r join secret s on s.id = r.secret_id join model m on m.id = s.model_id";

            #[derive(sqlx::FromRow)]
            struct SealedRowData {
                #[sqlx(flatten)]
                revision: RevisionRow,
                model_uuid: String,
            }

            fn sealed_row(r: SealedRowData) -> StoreResult<SealedRow> {
                let model_uuid = stored("model uuid", r.model_uuid.parse::<ModelUuid>())?;
                let rec = r.revision.into_record()?;
                Ok(SealedRow {
                    secret_id: rec.secret_id,
                    model_uuid,
                    revision: rec.revision,
                    sealed: rec.sealed,
                })
            }

            #[async_trait]
            impl RevisionTx for $tx {
                async fn insert_revision(&mut self, r: &RevisionRecord) -> StoreResult<()> {
                    self.write_later($crate::store::sql::HeldWrite::NewRevision, |sql| {
                        sql.push(
                            "insert into secret_revision (secret_id, revision, checksum, expire_at, ciphertext, nonce, \
                             wrapped_key, key_nonce, master_key_id, created_at, checksum_keyed) ",
                        );
                        sql.push_values([r], |mut row, r| {
                            row.push_bind(r.secret_id.as_str().to_owned())
                                .push_bind(r.revision.get())
                                .push_bind(r.checksum.clone())
                                .push_bind(r.expire_at.map(Timestamp::millis))
                                .push_bind(r.sealed.ciphertext.clone())
                                .push_bind(r.sealed.nonce.clone())
                                .push_bind(r.sealed.wrapped_key.clone())
                                .push_bind(r.sealed.key_nonce.clone())
                                .push_bind(r.sealed.master_key_id.clone())
                                .push_bind(r.created_at.millis())
                                .push("1");
                        });
                    })
                    .await
                }

                async fn revision(
                    &mut self,
                    secret: &SecretId,
                    n: RevisionNumber,
                ) -> StoreResult<Option<RevisionRecord>> {
                    if let Some(found) = self.read_ahead().and_then(|a| a.revision(secret, n)) {
                        return Ok(Some(found));
                    }
                    let row: Option<RevisionRow> = sqlx::query_as(&format!(
                        "{REVISION_COLUMNS} where secret_id = $1 and revision = $2"
                    ))
                    .bind(secret.as_str())
                    .bind(n.get())
                    .fetch_optional(self.conn().await?)
                    .await?;
                    row.map(RevisionRow::into_record).transpose()
                }

                async fn revisions(&mut self, secret: &SecretId) -> StoreResult<Vec<RevisionMeta>> {
                    let rows: Vec<RevisionRow> = sqlx::query_as(&format!(
                        "{REVISION_COLUMNS} where secret_id = $1 order by revision"
                    ))
                    .bind(secret.as_str())
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(RevisionRow::into_meta).collect()
                }

                async fn delete_revision(&mut self, secret: &SecretId, n: RevisionNumber) -> StoreResult<()> {
                    sqlx::query("delete from secret_revision where secret_id = $1 and revision = $2")
                        .bind(secret.as_str())
                        .bind(n.get())
                        .execute(self.conn().await?)
                        .await?;
                    Ok(())
                }

                async fn sealed_page(
                    &mut self,
                    after: Option<(SecretId, RevisionNumber)>,
                    limit: u32,
                ) -> StoreResult<Vec<SealedRow>> {
                    let (after_id, after_rev) = after.map_or((String::new(), 0), |(id, n)| {
                        (id.as_str().to_owned(), n.get())
                    });
                    let rows: Vec<SealedRowData> = sqlx::query_as(&format!(
                        "{SEALED_COLUMNS} where (r.secret_id, r.revision) > ($1, $2) \
                         order by r.secret_id, r.revision limit $3"
                    ))
                    .bind(after_id)
                    .bind(after_rev)
                    .bind(i64::from(limit))
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(sealed_row).collect()
                }

                async fn unkeyed_revisions(&mut self, limit: u32) -> StoreResult<Vec<SealedRow>> {
                    let rows: Vec<SealedRowData> = sqlx::query_as(&format!(
                        "{SEALED_COLUMNS} where r.checksum_keyed = 0 order by r.secret_id, r.revision limit $1"
                    ))
                    .bind(i64::from(limit))
                    .fetch_all(self.conn().await?)
                    .await?;
                    rows.into_iter().map(sealed_row).collect()
                }

                async fn set_keyed_checksum(
                    &mut self,
                    secret: &SecretId,
                    n: RevisionNumber,
                    checksum: &str,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "update secret_revision set checksum = $1, checksum_keyed = 1 \
                         where secret_id = $2 and revision = $3",
                    )
                    .bind(checksum)
                    .bind(secret.as_str())
                    .bind(n.get())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }

                async fn update_wrapped_key(
                    &mut self,
                    secret: &SecretId,
                    n: RevisionNumber,
                    s: &Sealed,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "update secret_revision set wrapped_key = $1, key_nonce = $2, master_key_id = $3 \
                         where secret_id = $4 and revision = $5",
                    )
                    .bind(&s.wrapped_key)
                    .bind(&s.key_nonce)
                    .bind(&s.master_key_id)
                    .bind(secret.as_str())
                    .bind(n.get())
                    .execute(self.conn().await?)
                    .await?;
                    Ok(())
                }
            }

            #[async_trait]
            impl KeyTx for $tx {
                async fn master_key_id(&mut self) -> StoreResult<Option<String>> {
                    if let Some(known) = self.read_ahead().and_then(|a| a.master_key_id.clone()) {
                        return Ok(known);
                    }
                    Ok(
                        sqlx::query_scalar("select current_key_id from master_key_state where id = 1")
                            .fetch_optional(self.conn().await?)
                            .await?,
                    )
                }

                async fn set_master_key_id(&mut self, id: &str, now: Timestamp) -> StoreResult<()> {
                    sqlx::query(
                        "insert into master_key_state (id, current_key_id, updated_at) values (1, $1, $2) \
                         on conflict (id) do update set current_key_id = excluded.current_key_id, updated_at = excluded.updated_at",
                    )
                    .bind(id)
                    .bind(now.millis())
                    .execute(self.conn().await?)
                    .await?;
                    if let Some(ahead) = self.read_ahead() {
                        ahead.master_key_id = Some(Some(id.to_owned()));
                    }
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_revision_tx;
