//! The error body every failed request answers with.

use domain::error::{ErrorCode, Field};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A stable code to branch on; the status follows from it.
    pub error: ErrorCode,
    /// What went wrong, in words meant for people.
    pub message: String,
    /// The part of the request at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_reads_the_code_and_the_field_without_parsing_text() {
        let with: ErrorBody = serde_json::from_str(
            r#"{"error":"conflict","message":"secret with name \"db\" already exists","field":"name"}"#,
        )
        .expect("body");
        assert_eq!(
            (with.error, with.field),
            (ErrorCode::Conflict, Some(Field::Name))
        );
        let without: ErrorBody =
            serde_json::from_str(r#"{"error":"internal","message":"internal error; reference 1"}"#)
                .expect("body");
        assert_eq!((without.error, without.field), (ErrorCode::Internal, None));
        assert!(
            serde_json::from_str::<ErrorBody>(r#"{"error":"nope","message":"x"}"#).is_err(),
            "an unknown code is an error, not a guess"
        );
    }
}
