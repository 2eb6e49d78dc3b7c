//! Models, applications, tokens, members, grants and the audit log.

use domain::{ApplicationName, ModelName, ModelUuid, SecretId, SecretName, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameBody {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelCreated {
    pub name: ModelName,
    pub uuid: ModelUuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationJson {
    pub name: ApplicationName,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub created: Timestamp,
    /// Ids of the secrets it owns or was granted.
    pub readable: Vec<SecretId>,
    pub tokens: Vec<TokenJson>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenJson {
    pub id: i64,
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub created: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LabelBody {
    #[serde(default)]
    pub label: String,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTokenJson {
    pub id: i64,
    /// Shown this once; send it as `Authorization: Bearer …`.
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberBody {
    /// read, write or admin.
    #[cfg_attr(feature = "openapi", schema(value_type = domain::AccessLevel))]
    pub access: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantJson {
    pub application: ApplicationName,
    pub secret: SecretId,
    pub secret_name: Option<SecretName>,
    pub granted_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub granted_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct AuditParams {
    /// A user name, `model/app` for an application, or `system`.
    pub actor: Option<String>,
    /// e.g. `secret-reveal`.
    pub action: Option<String>,
    /// Events older than this sequence number.
    pub before: Option<i64>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditJson {
    pub seq: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub outcome: String,
    pub secret: Option<SecretId>,
    pub revision: Option<i64>,
    pub detail: String,
    pub source: Option<String>,
}
