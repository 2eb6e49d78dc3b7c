//! Server functions. Each is thin: find the caller, call one service, convert the answer.
//! They are a public HTTP API, so none trusts the page that calls it: the services check roles.

pub mod access;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod changes;
pub mod cli_sign_in;
pub mod models;
pub mod reveal;
pub mod review;
pub mod secrets;
pub mod tokens;
pub mod users;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod ssr;
