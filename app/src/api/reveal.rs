//! Plaintext reaches the browser only here: an admin's explicit, audited reveal.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{KeyDiffView, Revealed};

#[server]
pub async fn reveal_secret(
    model: String,
    id: String,
    revision: Option<i64>,
) -> Result<Revealed, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    use crate::types::RevealedValue;
    use backend::service::SecretRef;
    use base64::Engine as _;
    use domain::RevisionNumber;
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let secret = valid(SecretRef::parse(&id))?;
    let revision = valid(revision.map(RevisionNumber::new).transpose())?;
    let revealed = services
        .reveal(&caller, &model, &secret, revision)
        .await
        .map_err(fail)?;
    let values = revealed
        .content
        .decoded()
        .into_iter()
        .map(|(key, bytes)| match String::from_utf8(bytes) {
            Ok(text) => RevealedValue {
                key,
                value: text,
                base64: false,
            },
            Err(e) => RevealedValue {
                key,
                value: base64::engine::general_purpose::STANDARD.encode(e.into_bytes()),
                base64: true,
            },
        })
        .collect();
    Ok(Revealed {
        revision: revealed.revision.get(),
        values,
    })
}

#[server]
pub async fn diff_revisions(
    model: String,
    id: String,
    from: i64,
    to: i64,
) -> Result<KeyDiffView, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{context, fail, valid};
    use backend::service::SecretRef;
    use domain::RevisionNumber;
    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let secret = valid(SecretRef::parse(&id))?;
    let rev = |n| valid(RevisionNumber::new(n));
    let diff = services
        .diff_revisions(&caller, &model, &secret, (rev(from)?, rev(to)?))
        .await
        .map_err(fail)?;
    let names = |keys: Vec<domain::SecretKey>| keys.into_iter().map(|k| k.to_string()).collect();
    Ok(KeyDiffView {
        from,
        to,
        added: names(diff.added),
        removed: names(diff.removed),
        changed: names(diff.changed),
        unchanged: names(diff.unchanged),
    })
}
