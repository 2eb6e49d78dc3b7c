//! The models a caller can see.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelJson {
    pub name: String,
    pub uuid: String,
    /// The caller's level.
    pub access: domain::AccessLevel,
}
