//! Sign-in to the dashboard through an OpenID provider (issue 26, ADR 0026). The protocol and
//! the ID token's checks come from the `openidconnect` crate; what the provider vouches for
//! goes to the sign-in service, which finds or makes the user and sets their access from groups.

mod settings;

pub use settings::{CALLBACK_PATH, OidcSettings, OnOff, ProviderConfig, SignInConfig};
mod claims;
mod provider;
mod refusal;

pub use provider::{Provider, state_hash};
pub use refusal::Refusal;
mod routes;
mod sign_out;

pub use routes::routes;
pub use sign_out::origin;
