//! Requests in text, parsed into what the use cases take.

use api_types::admin::AuditParams;
use api_types::applications::{OwnSecret, OwnUpdate};
use api_types::secrets::{AddSecret, ContentInput, ListParams, UpdateSecret};
use domain::expiry::parse_expiry;
use domain::{
    Description, RevisionNumber, RotatePolicy, SecretContent, SecretName, Timestamp,
    ValidationError,
};

use super::{actor_from_param, descending_from_param};
use crate::audit::AuditAction;
use crate::service::{NewSecret, SecretUpdate};
use crate::store::{AuditQuery, Cursor, OwnerFilter, SecretQuery, SortKey};

/// An update's content: none given means "keep the content".
fn changed_content(content: ContentInput) -> Result<Option<SecretContent>, ValidationError> {
    (!content.is_empty())
        .then(|| content.into_content())
        .transpose()
}

/// A name as a form or a body gives it: blank means none.
fn optional_name(name: Option<&str>) -> Result<Option<SecretName>, ValidationError> {
    name.filter(|n| !n.is_empty())
        .map(SecretName::parse)
        .transpose()
}

impl SecretQuery {
    /// One page of a model's secrets, as the URL asks for it. `limit` 0 is the default page.
    pub fn from_params(p: &ListParams) -> Result<SecretQuery, ValidationError> {
        let after = p
            .after
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(|a| Cursor::decode(a).ok_or(ValidationError::PageCursor))
            .transpose()?;
        Ok(SecretQuery {
            search: p.search.clone(),
            owner: OwnerFilter::from_param(p.owner.as_deref())?,
            sort: SortKey::from_param(p.sort.as_deref())?,
            descending: descending_from_param(p.order.as_deref())?,
            after,
            limit: p.limit.unwrap_or(0),
        })
    }
}

impl AuditQuery {
    /// A page of a model's audit log, newest first, as the URL asks for it.
    pub fn from_params(p: &AuditParams) -> Result<AuditQuery, ValidationError> {
        Ok(AuditQuery {
            actor: actor_from_param(p.actor.as_deref()),
            action: AuditAction::from_param(p.action.as_deref())?,
            before: p.before,
            limit: p.limit.unwrap_or(0),
            ..AuditQuery::default()
        })
    }
}

impl NewSecret {
    /// A user secret (Juju's `secret-add`): never rotated, never expiring. The content comes
    /// parsed, but its error is reported after the name's and the description's, as a form
    /// reads from the top.
    pub fn user(
        name: Option<&str>,
        description: &str,
        content: Result<SecretContent, ValidationError>,
    ) -> Result<NewSecret, ValidationError> {
        Ok(NewSecret {
            name: optional_name(name)?,
            description: Description::parse(description)?,
            content: content?,
            rotate_policy: RotatePolicy::Never,
            expire_at: None,
        })
    }

    /// A user secret from the API's body.
    pub fn from_request(req: AddSecret) -> Result<NewSecret, ValidationError> {
        let content = req.content.into_content();
        NewSecret::user(req.name.as_deref(), &req.description, content)
    }

    /// An application's own secret; an expiry given as a duration counts from `now`.
    pub fn own(req: OwnSecret, now: Timestamp) -> Result<NewSecret, ValidationError> {
        Ok(NewSecret {
            name: optional_name(req.label.as_deref())?,
            description: Description::parse(&req.description)?,
            content: req.content.into_content()?,
            rotate_policy: req
                .rotate
                .as_deref()
                .map(str::parse)
                .transpose()?
                .unwrap_or_default(),
            expire_at: req
                .expire
                .as_deref()
                .map(|e| parse_expiry(e, now))
                .transpose()?,
        })
    }
}

impl SecretUpdate {
    /// A user secret's update from the API's body.
    pub fn from_request(req: UpdateSecret) -> Result<SecretUpdate, ValidationError> {
        Ok(SecretUpdate {
            content: changed_content(req.content)?,
            name: optional_name(req.name.as_deref())?,
            description: req
                .description
                .as_deref()
                .map(Description::parse)
                .transpose()?,
            auto_prune: req.auto_prune,
            expected_revision: req.expected_revision.map(RevisionNumber::new).transpose()?,
            ..SecretUpdate::default()
        })
    }

    /// An application's update of its own secret (Juju's `secret-set`).
    pub fn own(req: OwnUpdate, now: Timestamp) -> Result<SecretUpdate, ValidationError> {
        Ok(SecretUpdate {
            content: changed_content(req.content)?,
            name: optional_name(req.label.as_deref())?,
            description: req
                .description
                .as_deref()
                .map(Description::parse)
                .transpose()?,
            rotate_policy: req.rotate.as_deref().map(str::parse).transpose()?,
            expire_at: req
                .expire
                .as_deref()
                .map(|e| parse_expiry(e, now))
                .transpose()?,
            expected_revision: req.expected_revision.map(RevisionNumber::new).transpose()?,
            auto_prune: None,
        })
    }
}
