//! One routed page per file.

pub mod login;
pub mod models;
pub mod not_found;
pub mod secret;
pub mod secrets;
