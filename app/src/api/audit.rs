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
    use super::ssr::{context, fail, valid};
    use api_types::admin::AuditParams;
    use backend::audit::AuditAction;
    use backend::store::AuditQuery;
    use backend::wire::audit_json;
    const PAGE: u32 = 100;

    let (services, caller) = context().await?;
    let model = parse_model(&model)?;
    let text = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let params = AuditParams {
        actor,
        action,
        before,
        limit: Some(PAGE),
    };
    let query = AuditQuery {
        // The dashboard's own filter: one secret's events.
        secret: match text(secret) {
            None => None,
            Some(s) => Some(valid(domain::SecretUri::parse(&s))?.id),
        },
        ..valid(AuditQuery::from_params(&params))?
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
