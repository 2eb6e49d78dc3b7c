//! Models and who is a member of them.

use domain::{AccessLevel, ModelName, ModelUuid, Permission, UserName};

use super::{Actor, Caller, Services, Subject, user_named};
use crate::audit::AuditAction;
use crate::error::{Conflict, Forbidden, Missing, ServiceError, ServiceResult};
use crate::store::{MemberRecord, ModelRecord};

impl Services {
    #[tracing::instrument(skip_all)]
    pub async fn create_model(
        &self,
        caller: &Caller,
        name: &ModelName,
    ) -> ServiceResult<ModelRecord> {
        let mut tx = self
            .writing_global(caller, Permission::ManageModels, AuditAction::ModelCreate)
            .await?;
        if tx.model_by_name(name).await?.is_some() {
            return Err(ServiceError::Conflict(Conflict::ModelName(
                name.to_string(),
            )));
        }
        let model = tx
            .insert_model(ModelUuid(uuid::Uuid::new_v4()), name, self.clock.now())
            .await?;
        let subject = Subject::model(&model).detail(format!("model {name} created"));
        self.succeeded(&mut *tx, caller, AuditAction::ModelCreate, subject)
            .await?;
        tx.commit().await?;
        Ok(model)
    }

    /// The models the caller can see, with the caller's level in each. Superusers see all.
    #[tracing::instrument(skip_all)]
    pub async fn visible_models(
        &self,
        caller: &Caller,
    ) -> ServiceResult<Vec<(ModelRecord, AccessLevel)>> {
        let mut tx = self.store.read().await?;
        match &caller.actor {
            Actor::Application { .. } | Actor::JujuToken(_) => {
                Err(ServiceError::Forbidden(Forbidden::AccessLevel))
            }
            Actor::System => all_as_admin(tx.models().await?),
            Actor::User { id, .. } => match tx.user(*id).await? {
                None => Err(ServiceError::Unauthenticated),
                Some(u) if u.is_superuser() => all_as_admin(tx.models().await?),
                Some(_) => Ok(tx.memberships(*id).await?),
            },
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn set_member(
        &self,
        caller: &Caller,
        model: &ModelName,
        user: &UserName,
        access: AccessLevel,
    ) -> ServiceResult<()> {
        let (mut tx, scope) = self
            .writing(
                caller,
                model,
                Permission::ManageMembers,
                AuditAction::MemberSet,
            )
            .await?;
        let member = user_named(&mut *tx, user).await?;
        tx.set_member(scope.model.id, member.id, access, self.clock.now())
            .await?;
        let subject = Subject::model(&scope.model).detail(format!("{user} is now {access}"));
        self.succeeded(&mut *tx, caller, AuditAction::MemberSet, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn remove_member(
        &self,
        caller: &Caller,
        model: &ModelName,
        user: &UserName,
    ) -> ServiceResult<()> {
        let (mut tx, scope) = self
            .writing(
                caller,
                model,
                Permission::ManageMembers,
                AuditAction::MemberRemove,
            )
            .await?;
        let missing = || ServiceError::NotFound(Missing::User(user.to_string()));
        let member = tx.user_by_name(user).await?.ok_or_else(missing)?;
        if !tx.remove_member(scope.model.id, member.id).await? {
            return Err(missing());
        }
        let subject = Subject::model(&scope.model).detail(format!("{user} removed"));
        self.succeeded(&mut *tx, caller, AuditAction::MemberRemove, subject)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn members(
        &self,
        caller: &Caller,
        model: &ModelName,
    ) -> ServiceResult<Vec<MemberRecord>> {
        let (mut tx, scope) = self
            .reading(
                caller,
                model,
                Permission::ManageMembers,
                AuditAction::SecretView,
            )
            .await?;
        Ok(tx.members(scope.model.id).await?)
    }
}

fn all_as_admin(models: Vec<ModelRecord>) -> ServiceResult<Vec<(ModelRecord, AccessLevel)>> {
    Ok(models
        .into_iter()
        .map(|m| (m, AccessLevel::Admin))
        .collect())
}
