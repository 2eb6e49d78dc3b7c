//! The API contract's shapes (`api-types`) on the services' side, in one place for both edges:
//! requests as they arrive in text, parsed once into the use cases' inputs, and the records the
//! use cases answer with, converted once into the contract's answers. The HTTP API and the
//! dashboard's server functions both call these, so the same input is read the same way and the
//! same record looks the same on either.

mod params;
mod requests;
mod review;
mod views;

pub use params::{actor_from_param, descending_from_param};
pub use review::{ReviewFormat, review_csv, review_json, sign_off_json};
pub use views::{audit_json, content_json, detail_json, secret_json, summary_json, token_json};
