//! Models, applications, tokens, members, grants and the audit log.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameBody {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelCreated {
    pub name: String,
    pub uuid: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationJson {
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created: String,
    /// Ids of the secrets it owns or was granted.
    pub readable: Vec<String>,
    pub tokens: Vec<TokenJson>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenJson {
    pub id: i64,
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created: String,
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
    pub application: String,
    pub secret: String,
    pub secret_name: Option<String>,
    pub granted_by: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub granted_at: String,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditJson {
    pub seq: i64,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    pub actor: String,
    pub action: String,
    pub outcome: String,
    pub secret: Option<String>,
    pub revision: Option<i64>,
    pub detail: String,
    pub source: Option<String>,
}
