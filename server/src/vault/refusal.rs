//! Errors as Vault gives them: `{"errors": [...]}` with Content-Type exactly
//! `application/json`. A bad or missing token and an ungranted secret are 403 "permission
//! denied" (never 401, which hvac treats as fatal); a missing secret is 404 with no errors
//! (never 412, which Vault's Go client retries). Internal errors carry only a reference.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use backend::ServiceError;
use domain::error::ErrorCode;

pub struct VaultError {
    status: StatusCode,
    errors: Vec<String>,
}

impl VaultError {
    pub fn permission_denied() -> Self {
        VaultError {
            status: StatusCode::FORBIDDEN,
            errors: vec!["permission denied".into()],
        }
    }

    pub fn not_found() -> Self {
        VaultError {
            status: StatusCode::NOT_FOUND,
            errors: Vec::new(),
        }
    }

    pub fn method_not_allowed() -> Self {
        VaultError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            errors: vec!["unsupported operation".into()],
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        VaultError {
            status: StatusCode::BAD_REQUEST,
            errors: vec![message.into()],
        }
    }
}

impl From<ServiceError> for VaultError {
    fn from(e: ServiceError) -> Self {
        // A token whose policies lack the capability: Vault's words differ from those for a
        // token it does not know.
        if let ServiceError::Forbidden(backend::Forbidden::VaultPolicy) = e {
            return VaultError {
                status: StatusCode::FORBIDDEN,
                errors: vec!["1 error occurred:\n\t* permission denied\n\n".into()],
            };
        }
        let failure = e.classify();
        match failure.code {
            ErrorCode::Unauthenticated | ErrorCode::Forbidden => VaultError::permission_denied(),
            ErrorCode::NotFound => VaultError::not_found(),
            ErrorCode::Busy => VaultError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                errors: vec![failure.message],
            },
            ErrorCode::Internal => VaultError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                errors: vec![failure.message],
            },
            _ => VaultError::bad_request(failure.message),
        }
    }
}

impl IntoResponse for VaultError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "errors": self.errors });
        (self.status, Json(body)).into_response()
    }
}
