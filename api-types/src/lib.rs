//! The `/api/v1` contract: the JSON shapes the server answers and its clients send, with the
//! error body. No I/O and no server code: a client depends on this and `domain` only. The
//! OpenAPI schemas come with the `openapi` feature.
//!

pub mod admin;
pub mod applications;
pub mod auth;
pub mod error;
pub mod models;
pub mod secrets;
pub mod users;

pub use domain::error::{ErrorCode, Field};
