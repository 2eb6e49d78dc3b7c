//! Strongbox's back end: the service layer (every use case, with its authorization check), the
//! encryption of secret content, the audit chain, and the store that holds all SQL.
//!
//! Layering: `service` → `store` (trait) → `store::sqlite`. Nothing outside `store` writes SQL.

pub mod audit;
pub mod clock;
pub mod crypto;
pub mod error;
mod journal;
pub mod password;
pub mod request_id;
pub mod service;
pub mod store;
pub mod token;
pub mod vault_policy;
pub mod webhook;
pub mod wire;

pub use clock::{Clock, SystemClock};
pub use crypto::{Keyring, MasterKey};
pub use error::{Conflict, Forbidden, InternalError, Missing, ServiceError, ServiceResult};
pub use service::{Actor, Caller, Services, UserChange};
pub use store::{Store, StoreError};
