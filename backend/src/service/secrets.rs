//! Adding, listing and showing secrets.

use domain::{
    ApplicationName, Description, ModelName, Permission, RevisionNumber, RotatePolicy,
    SecretContent, SecretId, SecretName, Timestamp, ValidationError,
};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::{Actor, Caller, Scope, Services, Subject};
use crate::audit::AuditAction;
use crate::error::{Conflict, ServiceError, ServiceResult};
use crate::store::{
    Cursor, GrantRecord, ModelRecord, RevisionMeta, SecretOwner, SecretQuery, SecretRecord,
    SecretSummary, SortKey, Tx,
};

use super::SecretRef;

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

pub struct NewSecret {
    pub name: Option<SecretName>,
    pub description: Description,
    pub content: SecretContent,
    /// Only for application-owned secrets, as in Juju.
    pub rotate_policy: RotatePolicy,
    pub expire_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretPage {
    pub items: Vec<SecretSummary>,
    /// Pass back as `after` for the next page; `None` on the last page.
    pub next: Option<Cursor>,
    /// What the caller may do in the model, from the same check: the page offers just these.
    pub capabilities: domain::Capabilities,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub meta: RevisionMeta,
    pub latest: bool,
    /// Neither the latest nor tracked by any application.
    pub obsolete: bool,
    pub tracked_by: Vec<ApplicationName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretDetails {
    pub model: ModelRecord,
    pub secret: SecretRecord,
    pub owner_name: Option<ApplicationName>,
    pub revisions: Vec<RevisionView>,
    pub grants: Vec<GrantRecord>,
}

/// The owner a caller's new secrets get, and the owner whose names it looks up.
pub(crate) fn own_secrets(caller: &Caller) -> SecretOwner {
    match &caller.actor {
        Actor::Application { id, .. } => SecretOwner::Application(*id),
        Actor::User { .. } | Actor::System | Actor::JujuToken(_) => SecretOwner::Model,
    }
}

/// What a caller needs to write secrets: people need `write`; applications write their own.
pub(crate) fn write_permission(caller: &Caller) -> Permission {
    match caller.actor {
        Actor::Application { .. } => Permission::WriteOwnSecrets,
        Actor::User { .. } | Actor::System | Actor::JujuToken(_) => Permission::WriteSecrets,
    }
}

fn new_secret_id(now: Timestamp) -> SecretId {
    let mut unique = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut unique);
    let seconds = u32::try_from(now.millis() / 1000).unwrap_or(u32::MAX);
    SecretId::from_parts(seconds, unique)
}

impl Services {
    #[tracing::instrument(skip_all)]
    pub async fn add_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        new: NewSecret,
    ) -> ServiceResult<SecretRecord> {
        let (mut tx, scope) = self
            .writing(
                caller,
                model,
                write_permission(caller),
                AuditAction::SecretAdd,
            )
            .await?;
        let owner = own_secrets(caller);
        if owner == SecretOwner::Model
            && (new.rotate_policy != RotatePolicy::Never || new.expire_at.is_some())
        {
            return Err(ValidationError::RotationOnUserSecret.into());
        }
        if let Some(name) = &new.name
            && tx
                .secret_by_name(scope.model.id, owner, name)
                .await?
                .is_some()
        {
            return Err(ServiceError::Conflict(Conflict::SecretName(
                name.to_string(),
            )));
        }
        let now = self.clock.now();
        let record = SecretRecord {
            id: new_secret_id(now),
            model_id: scope.model.id,
            owner,
            name: new.name,
            description: new.description,
            auto_prune: false,
            rotate_policy: new.rotate_policy,
            next_rotate_at: new.rotate_policy.next_rotation(now),
            latest_revision: RevisionNumber::FIRST,
            revision_counter: RevisionNumber::FIRST,
            created_at: now,
            updated_at: now,
        };
        tx.insert_secret(&record).await?;
        self.write_revision(
            &mut *tx,
            &scope.model,
            &record.id,
            RevisionNumber::FIRST,
            &new.content,
            new.expire_at,
        )
        .await?;
        let keys: Vec<_> = new.content.keys().map(|k| k.as_str()).collect();
        let subject = Subject::secret(&scope.model, &record.id)
            .revision(RevisionNumber::FIRST)
            .detail(format!("keys: {}", keys.join(", ")));
        self.succeeded(&mut *tx, caller, AuditAction::SecretAdd, subject)
            .await?;
        tx.commit().await?;
        Ok(record)
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_secrets(
        &self,
        caller: &Caller,
        model: &ModelName,
        query: &SecretQuery,
    ) -> ServiceResult<SecretPage> {
        let (mut tx, scope) = self
            .viewing_on(self.store.single().await?, caller, model)
            .await?;
        let limit = if query.limit == 0 {
            DEFAULT_PAGE
        } else {
            query.limit.min(MAX_PAGE)
        };
        let mut items = tx
            .list_secrets(
                scope.model.id,
                &SecretQuery {
                    limit: limit + 1,
                    ..query.clone()
                },
            )
            .await?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items
                .last()
                .map(|last| cursor_after(query.sort, &last.secret))
        } else {
            None
        };
        Ok(SecretPage {
            items,
            next,
            capabilities: self.capabilities_in(&mut *tx, &scope).await?,
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn show_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
    ) -> ServiceResult<SecretDetails> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
        self.details_in(&mut *tx, scope, secret).await
    }

    /// The secret's details, read in `tx` for a caller who may view `scope`'s model.
    pub(super) async fn details_in(
        &self,
        tx: &mut dyn Tx,
        scope: Scope,
        secret: &SecretRef,
    ) -> ServiceResult<SecretDetails> {
        let record = self
            .find_secret(tx, &scope, secret, SecretOwner::Model)
            .await?;
        let owner_name = match record.owner {
            SecretOwner::Model => None,
            SecretOwner::Application(id) => tx.application(id).await?.map(|a| a.name),
        };
        let consumers = tx.consumers(&record.id).await?;
        let revisions = tx
            .revisions(&record.id)
            .await?
            .into_iter()
            .map(|meta| {
                let tracked_by: Vec<_> = consumers
                    .iter()
                    .filter(|c| c.current_revision == meta.revision)
                    .map(|c| c.application_name.clone())
                    .collect();
                let latest = meta.revision == record.latest_revision;
                RevisionView {
                    obsolete: !latest && tracked_by.is_empty(),
                    latest,
                    tracked_by,
                    meta,
                }
            })
            .collect();
        let grants = tx.grants(&record.id).await?;
        Ok(SecretDetails {
            model: scope.model,
            secret: record,
            owner_name,
            revisions,
            grants,
        })
    }
}

fn cursor_after(sort: SortKey, last: &SecretRecord) -> Cursor {
    let id = last.id.clone();
    match sort {
        // The stored key the list is ordered by (ADR 0025), not the name itself.
        SortKey::Name => Cursor::Text(
            last.name
                .as_ref()
                .map(|n| domain::natural_order::natural_sort_key(n.as_str()))
                .unwrap_or_default(),
            id,
        ),
        SortKey::Created => Cursor::Time(last.created_at, id),
        SortKey::Updated => Cursor::Time(last.updated_at, id),
    }
}

impl Services {
    /// Which keys were added, removed or changed between two revisions. Names only: anyone who
    /// may see the secret may see this, and it reveals no value, so it is not a reveal.
    #[tracing::instrument(skip_all)]
    pub async fn diff_revisions(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        (from, to): (RevisionNumber, RevisionNumber),
    ) -> ServiceResult<domain::content::KeyDiff> {
        let (mut tx, scope) = self.viewing(caller, model).await?;
        let record = self
            .find_secret(&mut *tx, &scope, secret, SecretOwner::Model)
            .await?;
        let mut open = async |n: RevisionNumber| -> ServiceResult<SecretContent> {
            let stored = tx.revision(&record.id, n).await?.ok_or_else(|| {
                ServiceError::NotFound(crate::error::Missing::Revision {
                    revision: n,
                    uri: record.id.uri(),
                })
            })?;
            self.open_revision(&scope.model, &stored)
        };
        let older = open(from).await?;
        let newer = open(to).await?;
        Ok(newer.diff_from(&older))
    }
}
