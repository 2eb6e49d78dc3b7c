//! The `/api/v1` contract: the JSON shapes the server answers and its clients send, with the
//! error body. No I/O and no server code: a client depends on this and `domain` only. The
//! OpenAPI schemas come with the `openapi` feature.
//!
//! Moving here shape by shape (issue 9): secrets and errors so far; the rest still lives in
//! `server/src/api/*`.

pub mod error;
pub mod secrets;

pub use domain::error::{ErrorCode, Field};
