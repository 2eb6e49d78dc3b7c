//! Diagnostics as Terraform shows them: a summary, the server's own message, and the attribute
//! at fault. Built field by field: the crate's constructors capture a backtrace into the text
//! whenever RUST_BACKTRACE is set, and a user wants the message.

use std::borrow::Cow;

use domain::error::ErrorCode;
use strongbox_client::ClientError;
use tf_provider::{AttributePath, Diagnostic, Diagnostics};

/// An error about `attribute` (the whole block when `None`).
pub fn error(
    diags: &mut Diagnostics,
    summary: impl Into<Cow<'static, str>>,
    detail: impl Into<Cow<'static, str>>,
    attribute: Option<&str>,
) {
    let attribute = match attribute {
        Some(name) => AttributePath::new(name.to_owned()),
        None => AttributePath::root(),
    };
    diags.add_error(Diagnostic {
        summary: summary.into(),
        detail: detail.into(),
        attribute,
    });
}

/// A failed call: what was being done, and what the server (or the network) said.
pub fn failed(diags: &mut Diagnostics, doing: &str, e: &ClientError) {
    let attribute = e.field().and_then(field_attribute);
    error(diags, format!("Cannot {doing}"), e.to_string(), attribute);
}

/// The call's answer, or `None` with its failure recorded.
pub fn answered<T>(
    diags: &mut Diagnostics,
    doing: &str,
    result: Result<T, ClientError>,
) -> Option<T> {
    result.map_err(|e| failed(diags, doing, &e)).ok()
}

/// A removal that finds nothing left to remove did what was asked; any other failure is
/// recorded and gives `None`.
pub fn removed(
    diags: &mut Diagnostics,
    doing: &str,
    result: Result<(), ClientError>,
) -> Option<()> {
    match result {
        Err(e) if e.code() != Some(ErrorCode::NotFound) => {
            failed(diags, doing, &e);
            None
        }
        _ => Some(()),
    }
}

/// What a read found: the thing, nothing (it was removed elsewhere), or a failure, recorded.
pub enum Found<T> {
    Here(T),
    Gone,
    Failed,
}

pub fn found<T>(diags: &mut Diagnostics, doing: &str, result: Result<T, ClientError>) -> Found<T> {
    match result {
        Ok(v) => Found::Here(v),
        Err(e) if e.code() == Some(ErrorCode::NotFound) => Found::Gone,
        Err(e) => {
            failed(diags, doing, &e);
            Found::Failed
        }
    }
}

/// An import identifier, `<model>:<name>` (a secret's ID works for its name), split in two;
/// otherwise the error in the words terraform-provider-juju uses.
pub fn import_id(diags: &mut Diagnostics, id: &str) -> Option<(String, String)> {
    match id.split_once(':') {
        Some((model, name)) if !model.is_empty() && !name.is_empty() => {
            Some((model.to_owned(), name.to_owned()))
        }
        _ => {
            let detail =
                format!("Expected import identifier with format: <model>:<name>. Got: {id:?}");
            error(diags, "Unexpected Import Identifier", detail, None);
            None
        }
    }
}

/// The resource attribute a server-side field corresponds to, where there is one.
fn field_attribute(field: domain::error::Field) -> Option<&'static str> {
    use domain::error::Field;
    match field {
        Field::Name => Some("name"),
        Field::Description => Some("info"),
        Field::Content | Field::Key | Field::Value => Some("value"),
        Field::Model => Some("model"),
        Field::Application => Some("applications"),
        Field::Uri => Some("secret_id"),
        Field::Revision
        | Field::RotatePolicy
        | Field::User
        | Field::Password
        | Field::Access
        | Field::Query
        | Field::Url => None,
    }
}
