//! An application's content read where its answers may come from this node's memory while
//! other nodes write too (PostgreSQL; docs/adr/0028). The read is checked in its audit group
//! commit against every change committed before; one that relied on something changed since
//! is not recorded, and is made again from the database with the token looked up afresh. A
//! refusal, and a read that moves the tracking, are likewise never decided from memory.

use domain::ModelName;

use super::vault_read::ReadSurface;
use super::{Caller, ReadMode, RevealedContent, SecretRef, Services};
use crate::error::{InternalError, ServiceError, ServiceResult};
use crate::store::StoreError;

impl Services {
    /// `read_content` through `surface`, which its audit event names.
    pub async fn read_content_through(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        mode: ReadMode,
        surface: ReadSurface,
    ) -> ServiceResult<RevealedContent> {
        match self.read_once(caller, model, secret, mode, surface).await {
            Err(ServiceError::Internal(InternalError::Store(StoreError::Stale))) => {
                let fresh = self.caller_from_the_database(caller).await?;
                self.read_once(&fresh, model, secret, mode, surface).await
            }
            answered => answered,
        }
    }

    /// `caller` again, its token looked up in the database: a revoked token is refused here.
    async fn caller_from_the_database(&self, caller: &Caller) -> ServiceResult<Caller> {
        let Some(remembered) = &caller.remembered else {
            return Ok(caller.clone());
        };
        let tx = self.store.single().await?;
        let fresh = self.holder_of(remembered.token.clone(), tx, None).await?;
        Ok(fresh.with_source(caller.source.clone()))
    }
}
