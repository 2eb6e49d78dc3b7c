//! The models a caller can see.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelJson {
    pub name: domain::ModelName,
    pub uuid: domain::ModelUuid,
    /// The caller's level.
    pub access: domain::AccessLevel,
}
