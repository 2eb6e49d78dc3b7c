//! The operator's copy of the database (`strongbox admin backup`). The master key is not in
//! it: a backup without its key file cannot be read, by design.

use std::path::Path;

use super::{Actor, Caller, Services};
use crate::error::{Forbidden, ServiceError, ServiceResult};

impl Services {
    /// Writes a consistent copy of the database to `path` while it keeps serving. Only the
    /// server's own console may: there is no HTTP route to it.
    #[tracing::instrument(skip_all)]
    pub async fn backup(&self, caller: &Caller, path: &Path) -> ServiceResult<()> {
        if caller.actor != Actor::System {
            return Err(ServiceError::Forbidden(Forbidden::AccessLevel));
        }
        Ok(self.store.backup_into(path).await?)
    }
}
