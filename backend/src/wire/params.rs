//! One parser for each list parameter that arrives as text (sort, order, owner, read mode, audit
//! actor and action), shared by the API and the dashboard, so that both answer a value the same
//! way. An absent or empty parameter means the default.

use domain::{ApplicationName, ValidationError};

use crate::audit::{ActorKind, AuditAction};
use crate::service::ReadMode;
use crate::store::{OwnerFilter, SortKey};

/// The parameter's text, trimmed; `None` when absent or empty.
pub(super) fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl SortKey {
    /// `name` (the default), `created` or `updated`.
    pub fn from_param(value: Option<&str>) -> Result<SortKey, ValidationError> {
        match given(value) {
            None | Some("name") => Ok(SortKey::Name),
            Some("created") => Ok(SortKey::Created),
            Some("updated") => Ok(SortKey::Updated),
            Some(other) => Err(ValidationError::QueryValue {
                parameter: "sort",
                value: other.to_owned(),
                allowed: "name, created or updated",
            }),
        }
    }
}

/// Whether an `order` parameter asks for descending order: `asc` (the default) or `desc`.
pub fn descending_from_param(value: Option<&str>) -> Result<bool, ValidationError> {
    match given(value) {
        None | Some("asc") => Ok(false),
        Some("desc") => Ok(true),
        Some(other) => Err(ValidationError::QueryValue {
            parameter: "order",
            value: other.to_owned(),
            allowed: "asc or desc",
        }),
    }
}

impl ReadMode {
    /// How an application reads: `peek`, `refresh`, or the tracked revision (the default).
    pub fn from_param(value: Option<&str>) -> Result<ReadMode, ValidationError> {
        match given(value) {
            None => Ok(ReadMode::Tracked),
            Some("peek") => Ok(ReadMode::Peek),
            Some("refresh") => Ok(ReadMode::Refresh),
            Some(other) => Err(ValidationError::QueryValue {
                parameter: "mode",
                value: other.to_owned(),
                allowed: "peek or refresh",
            }),
        }
    }
}

impl OwnerFilter {
    /// `model` for user secrets, an application's name for its own, nothing for all.
    pub fn from_param(value: Option<&str>) -> Result<OwnerFilter, ValidationError> {
        match given(value) {
            None => Ok(OwnerFilter::Any),
            Some("model") => Ok(OwnerFilter::Model),
            Some(app) => Ok(OwnerFilter::Application(ApplicationName::parse(app)?)),
        }
    }
}

/// An audit filter's actor: `system`, `<model>/<application>` for an application, or a user
/// name.
pub fn actor_from_param(value: Option<&str>) -> Option<(ActorKind, String)> {
    let actor = given(value)?;
    let kind = match actor {
        "system" => ActorKind::System,
        a if a.contains('/') => ActorKind::Application,
        _ => ActorKind::User,
    };
    Some((kind, actor.to_owned()))
}

impl AuditAction {
    /// One of the audit log's action names, e.g. `secret-reveal`.
    pub fn from_param(value: Option<&str>) -> Result<Option<AuditAction>, ValidationError> {
        given(value)
            .map(|a| {
                AuditAction::parse(a).ok_or_else(|| ValidationError::AuditAction(a.to_owned()))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_value_is_named_and_an_empty_one_is_the_default() {
        assert_eq!(SortKey::from_param(Some("")), Ok(SortKey::Name));
        assert_eq!(SortKey::from_param(Some(" updated ")), Ok(SortKey::Updated));
        assert_eq!(
            SortKey::from_param(Some("size")).map_err(|e| e.to_string()),
            Err("sort \"size\" not valid: use name, created or updated".to_owned())
        );
        assert_eq!(descending_from_param(None), Ok(false));
        assert_eq!(
            descending_from_param(Some("down")).map_err(|e| e.to_string()),
            Err("order \"down\" not valid: use asc or desc".to_owned())
        );
        assert_eq!(
            OwnerFilter::from_param(Some(" model")),
            Ok(OwnerFilter::Model)
        );
        assert_eq!(
            actor_from_param(Some("prod/mysql")),
            Some((ActorKind::Application, "prod/mysql".to_owned()))
        );
        assert_eq!(actor_from_param(Some(" ")), None);
        assert_eq!(
            AuditAction::from_param(Some("nope")).map_err(|e| e.to_string()),
            Err("there is no audit action \"nope\"".to_owned())
        );
    }
}
