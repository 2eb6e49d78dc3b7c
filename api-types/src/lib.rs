//! The `/api/v1` contract: the JSON shapes the server answers and its clients send, with the
//! error body. No I/O and no server code: a client depends on this and `domain` only. The
//! OpenAPI schemas come with the `openapi` feature.
//!

/// A `Debug` that names the type and never prints its fields: they hold secret values,
/// passwords or tokens, which must not reach a log through `{:?}`.
macro_rules! redacted_debug {
    ($($ty:ty),+ $(,)?) => {
        $(impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($ty), " { .. }"))
            }
        })+
    };
}

pub mod admin;
pub mod applications;
pub mod auth;
pub mod error;
pub mod import;
pub mod models;
pub mod review;
pub mod secrets;
pub mod users;
pub mod webhooks;

pub use domain::error::{ErrorCode, Field};

redacted_debug!(
    secrets::ContentInput,
    secrets::ContentJson,
    secrets::AddSecret,
    secrets::UpdateSecret,
    import::ImportRequest,
    import::ImportSecret,
    applications::OwnSecret,
    applications::OwnUpdate,
    auth::LoginRequest,
    auth::LoginResponse,
    admin::NewTokenJson,
    users::NewUser,
    users::UserChange,
    webhooks::WebhookSetJson,
);

#[cfg(test)]
mod tests {
    #[test]
    fn debug_output_never_holds_a_secret_password_or_token() {
        let login = crate::auth::LoginRequest {
            username: "alice".to_owned(),
            password: "hunter2-password".to_owned(),
            label: String::new(),
        };
        let content = crate::secrets::ContentInput {
            content: [("password".to_owned(), "s3cret-value".to_owned())].into(),
            content_base64: Default::default(),
        };
        let token = crate::admin::NewTokenJson {
            id: 1,
            token: "sbxa_the-token".to_owned(),
        };
        let printed = format!("{login:?} {content:?} {token:?}");
        for secret in ["hunter2-password", "s3cret-value", "sbxa_the-token"] {
            assert!(!printed.contains(secret), "{printed}");
        }
    }
}
