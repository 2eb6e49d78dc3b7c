//! A model's audit log.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::AuditPage;

/// Newest first, 100 at a time. `actor` is a user name, `model/app` for an application, or
/// `system`; `before` continues from an earlier page.
#[server]
pub async fn audit_log(
    model: String,
    actor: Option<String>,
    action: Option<String>,
    secret: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    use super::secrets::parse_model;
    use super::ssr::{audit_json, context, fail};
    use backend::audit::AuditAction;
    use backend::store::AuditQuery;
    const PAGE: u32 = 100;

    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let text = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let actor = backend::store::actor_from_param(actor.as_deref());
    let action = super::ssr::valid(AuditAction::from_param(action.as_deref()))?;
    let secret = match text(secret) {
        None => None,
        Some(s) => Some(super::ssr::valid(domain::SecretUri::parse(&s))?.id),
    };
    let query = AuditQuery {
        model: None,
        secret,
        actor,
        action,
        before,
        limit: PAGE,
    };
    let events = services
        .audit_events(&caller, &model, query)
        .await
        .map_err(fail)?;
    let next_before = (events.len() == PAGE as usize)
        .then(|| events.last().map(|e| e.seq))
        .flatten();
    Ok(AuditPage {
        rows: events.iter().map(audit_json).collect(),
        next_before,
        actions: AuditAction::ALL.iter().map(ToString::to_string).collect(),
    })
}
