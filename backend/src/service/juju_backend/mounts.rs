//! `sys/mounts`: a backend's KV version 1 mounts. Each is a model the backend owns, named after
//! the mount's path (`/` written as `-`), shown read-only in the dashboard.

use domain::{ModelName, ModelUuid, VaultMountPath, VaultRefusal};

use super::bad;
use crate::audit::AuditAction;
use crate::error::ServiceResult;
use crate::service::caller::Subject;
use crate::service::{Caller, Services};
use crate::store::{ModelRecord, VaultMountRecord};

/// `POST sys/mounts/{path}`, as Juju sends it.
#[derive(Debug, Clone, Default)]
pub struct MountRequest {
    pub kind: String,
    /// `options.version`; KV mounts without it are version 1.
    pub version: Option<String>,
}

impl Services {
    /// The backend's mounts, each with its model.
    pub async fn juju_mounts(
        &self,
        caller: &Caller,
    ) -> ServiceResult<Vec<(VaultMountRecord, ModelRecord)>> {
        let holder = self
            .backend_role(caller, AuditAction::VaultSystemRead, "sys/mounts")
            .await?;
        let mut tx = self.store.read().await?;
        let mut all = Vec::new();
        for mount in tx.vault_mounts(holder.backend).await? {
            if let Some(model) = tx.model(mount.model).await? {
                all.push((mount, model));
            }
        }
        Ok(all)
    }

    pub async fn create_juju_mount(
        &self,
        caller: &Caller,
        path: &str,
        request: MountRequest,
    ) -> ServiceResult<()> {
        let action = AuditAction::ModelCreate;
        let holder = self.backend_role(caller, action, "sys/mounts").await?;
        let path = VaultMountPath::from_request(path)?;
        if request.kind != "kv" || request.version.as_deref().is_some_and(|v| v != "1") {
            return Err(bad(VaultRefusal::MountKind(request.kind)));
        }
        let model_name = ModelName::parse(&path.as_str().replace('/', "-"))
            .map_err(|_| bad(VaultRefusal::MountNotAModelName(path.clone())))?;
        let mut tx = self.store.write().await?;
        if tx.vault_mount(&path).await?.is_some() {
            return Err(bad(VaultRefusal::MountInUse(path)));
        }
        if tx.model_by_name(&model_name).await?.is_some() {
            return Err(bad(VaultRefusal::ModelNameTaken(model_name)));
        }
        let now = self.clock.now();
        let model = tx
            .insert_model(ModelUuid(uuid::Uuid::new_v4()), &model_name, now)
            .await?;
        let mount = VaultMountRecord {
            path,
            backend: holder.backend,
            model: model.id,
            created_at: now,
        };
        tx.insert_vault_mount(&mount).await?;
        let subject = Subject::model(&model).detail(format!(
            "model {model_name} created for the Juju backend's mount {}",
            mount.path
        ));
        self.succeeded(&mut *tx, caller, action, subject).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the mount with its model and secrets. A path with no mount of this backend
    /// is left alone, as Vault's unmount of nothing succeeds.
    pub async fn delete_juju_mount(&self, caller: &Caller, path: &str) -> ServiceResult<()> {
        let action = AuditAction::ModelRemove;
        let holder = self.backend_role(caller, action, "sys/mounts").await?;
        let path = VaultMountPath::from_request(path)?;
        let mut tx = self.store.write().await?;
        let Some(mount) = tx.vault_mount(&path).await? else {
            return Ok(());
        };
        if mount.backend != holder.backend {
            return Ok(());
        }
        let Some(model) = tx.model(mount.model).await? else {
            return Ok(());
        };
        tx.delete_model(model.id).await?;
        self.forget_juju_owned(model.id);
        let subject = Subject::model(&model).detail(format!(
            "model {} removed with the Juju backend's mount {path}",
            model.name
        ));
        self.succeeded(&mut *tx, caller, action, subject).await?;
        tx.commit().await?;
        Ok(())
    }
}
