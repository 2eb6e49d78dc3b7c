//! Validation errors. Where Juju has a message for a rule, the text here is Juju's, to the letter,
//! because scripts written against `juju` match on it.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    #[error("key value \"{0}\" not valid")]
    KeyValueNotValid(String),
    #[error("key \"{0}\" not valid")]
    KeyNotValid(String),
    #[error("key \"{key}…\" too long: {size} bytes, at most {max}")]
    KeyTooLong {
        key: String,
        size: usize,
        max: usize,
    },
    #[error("request too large: {size} bytes, at most {max}")]
    RequestTooLarge { size: usize, max: usize },
    #[error("too many keys: {count}, at most {max}")]
    TooManyKeys { count: usize, max: usize },
    #[error("empty secret value not valid")]
    EmptyContent,
    #[error("base64 encoded secret content for key \"{key}\" too large: {size} bytes")]
    ValueTooLarge { key: String, size: usize },
    #[error("base64 encoded secret content too large: {size} bytes")]
    ContentTooLarge { size: usize },
    #[error("value for key \"{0}\" is not valid base64")]
    InvalidBase64(String),
    #[error("duplicate key \"{0}\"")]
    DuplicateKey(String),
    #[error("secret URI scheme \"{0}\" not valid")]
    UriScheme(String),
    #[error("secret URI \"{0}\" not valid")]
    Uri(String),
    #[error("host controller UUID \"{0}\" not valid")]
    HostUuid(String),
    #[error("rotate policy \"{0}\" not valid")]
    RotatePolicy(String),
    #[error("secret name \"{name}\" not valid: {reason}")]
    SecretName { name: String, reason: &'static str },
    #[error("model name \"{0}\" not valid")]
    ModelName(String),
    #[error("application name \"{0}\" not valid")]
    ApplicationName(String),
    #[error("user name \"{0}\" not valid")]
    UserName(String),
    #[error("description too long: {size} bytes (at most {max})")]
    DescriptionTooLong { size: usize, max: usize },
    #[error("access level \"{0}\" not valid: use read, write or admin")]
    AccessLevel(String),
    #[error("revision must be a positive integer")]
    Revision,
    #[error("secret document not valid: {0}")]
    Document(String),
    #[error("password must be at least {min} characters")]
    PasswordTooShort { min: usize },
    #[error("password must be at most {max} characters")]
    PasswordTooLong { max: usize },
    #[error("at least one attribute to update must be specified")]
    NothingToUpdate,
    #[error("rotate policy and expiry apply only to secrets owned by an application")]
    RotationOnUserSecret,
    #[error("application-owned secrets do not support auto prune")]
    AutoPruneOnApplicationSecret,
    #[error("missing secret URI or application name")]
    NoApplications,
    #[error("expire time or duration \"{0}\" not valid")]
    Expiry(String),
    #[error("negative expire duration \"{0}\" not valid")]
    NegativeExpiry(String),
    /// A list's query parameter (sort, order) with a value it does not take.
    #[error("{parameter} \"{value}\" not valid: use {allowed}")]
    QueryValue {
        parameter: &'static str,
        value: String,
        allowed: &'static str,
    },
    /// A page cursor (`after`) that is not one the server handed out.
    #[error("the page cursor (`after`) is not valid; start from the first page")]
    PageCursor,
    #[error("there is no audit action \"{0}\"")]
    AuditAction(String),
    #[error("webhook URL \"{url}\" not valid: {reason}")]
    WebhookUrl { url: String, reason: &'static str },
    /// An event cursor that is not of the form the server hands out.
    #[error(
        "event cursor \"{0}\" not valid: pass the `next` (or an event's `id`) of an earlier answer, or none"
    )]
    EventCursor(String),
    /// A format or bidirectional control character (Unicode category Cf) in a name: it would
    /// make two different names look the same, or show one reordered.
    #[error(
        "{what} contains {code}, an invisible formatting character; names cannot hold these (it would make two names look alike)"
    )]
    FormatCharacter { what: &'static str, code: String },
    #[error("note too long: {size} characters, at most {max}")]
    NoteTooLong { size: usize, max: usize },
    #[error("select at least one grant to revoke")]
    NoGrantsSelected,
    #[error("token label too long: {size} characters, at most {max}")]
    LabelTooLong { size: usize, max: usize },
    #[error(
        "policy name \"{0}\" not valid: use 1 to 128 characters without white space or control characters"
    )]
    VaultPolicyName(String),
    #[error("mount path \"{path}\" not valid: {reason}")]
    VaultMountPath { path: String, reason: &'static str },
    #[error(
        "Juju backend name \"{0}\" not valid: use lowercase letters, digits and dashes, starting with a letter or digit, at most 63"
    )]
    JujuBackendName(String),
    #[error(transparent)]
    VaultRequest(#[from] crate::vault_refusal::VaultRefusal),
}

/// Which input a validation error is about, so a form can show the message next to that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Description,
    Content,
    Key,
    Value,
    Uri,
    Revision,
    RotatePolicy,
    Model,
    Application,
    User,
    Password,
    Access,
    /// A list's filter, sort or order.
    Query,
    /// A webhook's URL.
    Url,
}

impl ValidationError {
    /// Whether the input was refused for its size rather than its form.
    /// Whether the request cannot be understood at all (400), rather than breaks a rule (422).
    pub fn is_bad_request(&self) -> bool {
        matches!(
            self,
            ValidationError::PageCursor | ValidationError::VaultRequest(_)
        )
    }

    pub fn is_size(&self) -> bool {
        matches!(
            self,
            ValidationError::ValueTooLarge { .. }
                | ValidationError::ContentTooLarge { .. }
                | ValidationError::RequestTooLarge { .. }
        )
    }

    pub fn field(&self) -> Field {
        use ValidationError as E;
        match self {
            E::KeyValueNotValid(_)
            | E::KeyNotValid(_)
            | E::KeyTooLong { .. }
            | E::DuplicateKey(_) => Field::Key,
            E::ValueTooLarge { .. } | E::InvalidBase64(_) => Field::Value,
            E::EmptyContent
            | E::ContentTooLarge { .. }
            | E::TooManyKeys { .. }
            | E::RequestTooLarge { .. }
            | E::Document(_) => Field::Content,
            E::UriScheme(_) | E::Uri(_) | E::HostUuid(_) => Field::Uri,
            E::RotatePolicy(_) => Field::RotatePolicy,
            E::SecretName { .. } | E::FormatCharacter { .. } => Field::Name,
            E::ModelName(_) => Field::Model,
            E::ApplicationName(_) => Field::Application,
            E::UserName(_) => Field::User,
            E::DescriptionTooLong { .. } => Field::Description,
            E::AccessLevel(_) => Field::Access,
            E::Revision => Field::Revision,
            E::PasswordTooShort { .. } | E::PasswordTooLong { .. } => Field::Password,
            E::NothingToUpdate => Field::Content,
            E::RotationOnUserSecret => Field::RotatePolicy,
            E::AutoPruneOnApplicationSecret => Field::Content,
            E::NoApplications => Field::Application,
            E::Expiry(_) | E::NegativeExpiry(_) => Field::RotatePolicy,
            E::QueryValue { .. } | E::AuditAction(_) | E::EventCursor(_) | E::PageCursor => {
                Field::Query
            }
            E::WebhookUrl { .. } => Field::Url,
            E::NoteTooLong { .. } => Field::Description,
            E::LabelTooLong { .. }
            | E::VaultPolicyName(_)
            | E::VaultMountPath { .. }
            | E::JujuBackendName(_) => Field::Name,
            E::VaultRequest(_) => Field::Query,
            E::NoGrantsSelected => Field::Application,
        }
    }
}

/// The stable code an error crosses the wire with: in the API's error body, and behind the
/// dashboard's messages. Clients branch on it, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    Invalid,
    Conflict,
    TooLarge,
    BadRequest,
    TooManyAttempts,
    /// An application's (or a token's) share of open event streams is taken.
    TooManyStreams,
    Busy,
    Internal,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Invalid => 422,
            ErrorCode::Conflict => 409,
            ErrorCode::TooLarge => 413,
            ErrorCode::BadRequest => 400,
            ErrorCode::TooManyAttempts | ErrorCode::TooManyStreams => 429,
            ErrorCode::Busy => 503,
            ErrorCode::Internal => 500,
        }
    }
}
