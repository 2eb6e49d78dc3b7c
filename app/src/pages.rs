//! One routed page per file.

pub mod access;
pub mod account;
pub mod application;
pub mod application_webhook;
pub mod applications;
pub mod approve_cli;
pub mod audit;
pub mod login;
pub mod model_overview;
pub mod models;
pub mod not_found;
pub mod secret;
pub mod secrets;
pub mod users;
