//! `<ID>|<name>`: how every command after `add-secret` names a secret. As in Juju, the text is
//! tried as a URI first and taken as a name only if it does not parse.

use domain::{SecretId, SecretName, SecretUri, ValidationError};

use super::{Scope, Services};
use crate::error::{Missing, ServiceError, ServiceResult};
use crate::store::{SecretOwner, SecretRecord, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    text: String,
    target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Uri(SecretUri),
    Name(SecretName),
}

impl SecretRef {
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let target = match SecretUri::parse(text) {
            Ok(uri) => Target::Uri(uri),
            Err(_) => Target::Name(SecretName::parse(text)?),
        };
        Ok(SecretRef {
            text: text.to_owned(),
            target,
        })
    }

    pub fn uri(uri: SecretUri) -> Self {
        SecretRef {
            text: uri.to_string(),
            target: Target::Uri(uri),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The ID a URI names, whatever model it is in; `None` for a name.
    pub(crate) fn named_id(&self) -> Option<&SecretId> {
        match &self.target {
            Target::Uri(uri) => Some(&uri.id),
            Target::Name(_) => None,
        }
    }

    pub(crate) fn not_found(&self) -> ServiceError {
        ServiceError::NotFound(Missing::Secret(self.text.clone()))
    }
}

/// A reference checked against the scope's model.
enum InModel<'a> {
    Id(&'a SecretId),
    Name(&'a SecretName),
}

impl SecretRef {
    /// The ID a URI names, or the name; a URI into another model is refused.
    fn in_model(&self, scope: &Scope) -> ServiceResult<InModel<'_>> {
        match &self.target {
            Target::Uri(uri) if uri.source.is_some_and(|m| m != scope.model.uuid) => {
                Err(self.not_found())
            }
            Target::Uri(uri) => Ok(InModel::Id(&uri.id)),
            Target::Name(name) => Ok(InModel::Name(name)),
        }
    }
}

impl Services {
    /// Looks the secret up in the scope's model. Names are looked up among the secrets of
    /// `name_owner`: user secrets for people, an application's own secrets for it.
    pub(crate) async fn find_secret(
        &self,
        tx: &mut dyn Tx,
        scope: &Scope,
        secret: &SecretRef,
        name_owner: SecretOwner,
    ) -> ServiceResult<SecretRecord> {
        let found = match secret.in_model(scope)? {
            InModel::Id(id) => tx.secret(scope.model.id, id).await?,
            InModel::Name(name) => tx.secret_by_name(scope.model.id, name_owner, name).await?,
        };
        found.ok_or_else(|| secret.not_found())
    }

    /// The ID the reference names: a URI's own, without a query (the secret may still not
    /// exist), or the named secret's.
    pub(crate) async fn secret_id_of(
        &self,
        tx: &mut dyn Tx,
        scope: &Scope,
        secret: &SecretRef,
        name_owner: SecretOwner,
    ) -> ServiceResult<SecretId> {
        match secret.in_model(scope)? {
            InModel::Id(id) => Ok(id.clone()),
            InModel::Name(_) => Ok(self.find_secret(tx, scope, secret, name_owner).await?.id),
        }
    }
}
