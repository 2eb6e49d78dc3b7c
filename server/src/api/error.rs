//! Errors as the API speaks them: `{"error": code, "message": text, "field": …}` with the code's
//! status. The classification is the services' own (`ServiceError::classify`), shared with the
//! dashboard; internal failures carry only a reference id, and the full chain goes to the log.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use backend::ServiceError;
use domain::error::ErrorCode;

pub use api_types::error::ErrorBody;

#[derive(Debug)]
pub struct ApiError {
    body: ErrorBody,
}

impl ApiError {
    pub fn new(error: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            body: ErrorBody {
                error,
                message: message.into(),
                field: None,
            },
        }
    }

    /// The same error, about this input.
    pub fn about(mut self, field: domain::error::Field) -> Self {
        self.body.field = Some(field);
        self
    }

    pub fn unauthenticated() -> Self {
        ApiError::new(
            ErrorCode::Unauthenticated,
            "a valid bearer token is required",
        )
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        if matches!(e, ServiceError::Unauthenticated) {
            return ApiError::unauthenticated();
        }
        let failure = e.classify();
        ApiError {
            body: ErrorBody {
                error: failure.code,
                message: failure.message,
                field: failure.field,
            },
        }
    }
}

impl From<domain::ValidationError> for ApiError {
    fn from(e: domain::ValidationError) -> Self {
        ServiceError::from(e).into()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        // A body that is JSON but not what the endpoint takes (a missing field, a key given
        // twice in content) is invalid input, 422, like any other rule; one that is not JSON
        // at all is a bad request.
        let code = match r {
            JsonRejection::JsonDataError(_) => ErrorCode::Invalid,
            _ if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::TooLarge,
            _ => ErrorCode::BadRequest,
        };
        ApiError::new(code, r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.body.error.status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
