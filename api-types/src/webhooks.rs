//! An application's webhook (`/api/v1/models/{model}/applications/{application}/webhook`).

use domain::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookBody {
    /// An `http` or `https` URL. Loopback and link-local addresses are refused unless the
    /// server runs with `--webhook-allow-local`.
    pub url: String,
}

/// A webhook's state: never its signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookJson {
    /// Shown to model admins only: a URL may carry the receiver's own token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// False once every retry failed; `POST …/webhook/enable` starts it again.
    pub enabled: bool,
    /// Failed attempts in a row.
    pub failures: u32,
    /// When the next attempt is due after a failure.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339_option")]
    pub retry_at: Option<Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339_option")]
    pub disabled_at: Option<Timestamp>,
    pub last_error: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339_option")]
    pub last_success: Option<Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub created: Timestamp,
}

/// A webhook just set, with its signing key: shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookSetJson {
    #[serde(flatten)]
    pub webhook: WebhookJson,
    /// `whsec_…`: the key Standard Webhooks' libraries verify the `webhook-signature` with.
    pub signing_secret: String,
}
