//! Secrets brought in from a Juju model or a Vault mount (issue 27): each one created with its
//! revisions, oldest first, through the same add and update as the API's (so encryption, the
//! revision rules and their audit events are theirs), plus one `secret-import` event that
//! says where it came from. An import that stopped part way is resumed by running it again:
//! a secret whose latest revision holds one of the imported revisions gets only the ones after
//! it, so nothing is added twice.

use api_types::import::{ImportOutcome, ImportReport, ImportRequest, ImportedSecret};
use domain::{Description, ModelName, SecretContent, SecretName, ValidationError};

use super::secrets::write_permission;
use super::{Caller, NewSecret, SecretRef, SecretUpdate, Services, Subject};
use crate::audit::AuditAction;
use crate::error::{ServiceError, ServiceResult};
use crate::store::{SecretOwner, SecretRecord};

/// One secret to import, checked.
struct Checked {
    name: SecretName,
    description: Description,
    revisions: Vec<SecretContent>,
}

/// What importing one secret comes to, before anything is written.
enum Plan {
    Create,
    /// Add these revisions (indices into the imported ones) to the secret.
    Add(SecretRecord, std::ops::Range<usize>),
    Unchanged,
    Clash,
}

fn report(
    name: &str,
    origin: &str,
    outcome: ImportOutcome,
    added: usize,
    message: String,
) -> ImportedSecret {
    ImportedSecret {
        name: name.to_owned(),
        origin: origin.to_owned(),
        outcome,
        revisions_added: u32::try_from(added).unwrap_or(u32::MAX),
        message,
    }
}

/// A refusal in words that name the rule, as Juju states it.
fn refusal(e: &ValidationError) -> String {
    match e {
        ValidationError::KeyNotValid(_) => format!(
            "{e}: Juju's rule is lowercase letters, digits and single hyphens, starting with a letter, at least 3 characters"
        ),
        _ => e.to_string(),
    }
}

impl Services {
    /// Imports `request.secrets` into `model` as user secrets. People who may write secrets
    /// there only; each secret is reported, and a storage failure stops the import there.
    #[tracing::instrument(skip_all)]
    pub async fn import_secrets(
        &self,
        caller: &Caller,
        model: &ModelName,
        request: ImportRequest,
    ) -> ServiceResult<ImportReport> {
        let action = AuditAction::SecretImport;
        let (tx, scope) = self
            .reading(caller, model, write_permission(caller), action)
            .await?;
        drop(tx);
        let mut done = Vec::with_capacity(request.secrets.len());
        for item in request.secrets {
            let (name, origin) = (item.name.clone(), item.origin.clone());
            let checked = match check(item) {
                Ok(c) => c,
                Err(e) => {
                    done.push(report(
                        &name,
                        &origin,
                        ImportOutcome::Refused,
                        0,
                        refusal(&e),
                    ));
                    continue;
                }
            };
            let plan = self.plan_import(&scope, &checked, request.update).await;
            let outcome = match plan {
                Err(e) => Err(e),
                Ok(plan) if request.dry_run => Ok(dry(&checked, plan)),
                Ok(plan) => {
                    self.apply_import(caller, &scope, &checked, plan, &origin, request.source)
                        .await
                }
            };
            match outcome {
                Ok((outcome, added, message)) => {
                    done.push(report(&name, &origin, outcome, added, message));
                }
                Err(ServiceError::Invalid(e)) => {
                    done.push(report(
                        &name,
                        &origin,
                        ImportOutcome::Refused,
                        0,
                        refusal(&e),
                    ));
                }
                Err(e) => {
                    let message = e.classify().message;
                    done.push(report(&name, &origin, ImportOutcome::Failed, 0, message));
                    break;
                }
            }
        }
        Ok(ImportReport {
            dry_run: request.dry_run,
            secrets: done,
        })
    }

    /// Compares the imported revisions with a secret of the same name, if there is one.
    async fn plan_import(
        &self,
        scope: &super::Scope,
        checked: &Checked,
        update: bool,
    ) -> ServiceResult<Plan> {
        let mut tx = self.store.read().await?;
        let Some(existing) = tx
            .secret_by_name(scope.model.id, SecretOwner::Model, &checked.name)
            .await?
        else {
            return Ok(Plan::Create);
        };
        let latest = tx.revision(&existing.id, existing.latest_revision).await?;
        drop(tx);
        let last = checked.revisions.len();
        let mut held = None;
        if let Some(stored) = &latest {
            for (i, content) in checked.revisions.iter().enumerate().rev() {
                if self.holds(&scope.model, stored, content)? {
                    held = Some(i);
                    break;
                }
            }
        }
        Ok(match held {
            Some(i) if i + 1 == last => Plan::Unchanged,
            // An import that stopped part way: the revisions after the one it reached.
            Some(i) => Plan::Add(existing, i + 1..last),
            None if update => Plan::Add(existing, last - 1..last),
            None => Plan::Clash,
        })
    }

    async fn apply_import(
        &self,
        caller: &Caller,
        scope: &super::Scope,
        checked: &Checked,
        plan: Plan,
        origin: &str,
        source: api_types::import::ImportSource,
    ) -> ServiceResult<(ImportOutcome, usize, String)> {
        let model = &scope.model.name;
        let (secret, range, outcome) = match plan {
            Plan::Unchanged | Plan::Clash => return Ok(dry(checked, plan)),
            Plan::Create => {
                let new = NewSecret {
                    name: Some(checked.name.clone()),
                    description: checked.description.clone(),
                    content: checked.revisions[0].clone(),
                    rotate_policy: domain::RotatePolicy::Never,
                    expire_at: None,
                };
                let created = self.add_secret(caller, model, new).await?;
                (created, 1..checked.revisions.len(), ImportOutcome::Created)
            }
            Plan::Add(existing, range) => (existing, range, ImportOutcome::Updated),
        };
        let mut added = usize::from(outcome == ImportOutcome::Created);
        let target = SecretRef::uri(secret.id.to_uri());
        for content in &checked.revisions[range] {
            let update = SecretUpdate {
                content: Some(content.clone()),
                ..SecretUpdate::default()
            };
            let done = self.update_secret(caller, model, &target, update).await?;
            added += usize::from(done.new_revision.is_some());
        }
        let source = match source {
            api_types::import::ImportSource::Juju => "Juju secret",
            api_types::import::ImportSource::Vault => "Vault secret",
        };
        let (_, scope) = self
            .reading(
                caller,
                model,
                write_permission(caller),
                AuditAction::SecretImport,
            )
            .await?;
        let detail = format!("imported from {source} {origin}: {added} revision(s)");
        let subject = Subject::secret(&scope.model, &secret.id).detail(detail);
        self.journaled(caller, AuditAction::SecretImport, subject)
            .await?;
        Ok((outcome, added, String::new()))
    }
}

/// The outcome a plan would have, written nowhere.
fn dry(checked: &Checked, plan: Plan) -> (ImportOutcome, usize, String) {
    match plan {
        Plan::Create => (
            ImportOutcome::Created,
            checked.revisions.len(),
            String::new(),
        ),
        Plan::Add(_, range) => (ImportOutcome::Updated, range.len(), String::new()),
        Plan::Unchanged => (ImportOutcome::Unchanged, 0, String::new()),
        Plan::Clash => (
            ImportOutcome::Clash,
            0,
            format!(
                "a secret named \"{}\" exists with other content; --update adds the imported content as a new revision",
                checked.name
            ),
        ),
    }
}

/// Every rule checked before anything is written: the name, the description, each revision.
fn check(item: api_types::import::ImportSecret) -> Result<Checked, ValidationError> {
    let name = SecretName::parse(&item.name)?;
    let description = Description::parse(&item.description)?;
    if item.revisions.is_empty() {
        return Err(ValidationError::EmptyContent);
    }
    let revisions = item
        .revisions
        .into_iter()
        .map(api_types::secrets::ContentInput::into_content)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Checked {
        name,
        description,
        revisions,
    })
}
