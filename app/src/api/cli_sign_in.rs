//! `/approve-cli`: a signed-in person approves a command line's sign-in (`strongbox login
//! URL --web`) after checking its code.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::WaitingCommandLine;

#[server]
pub async fn cli_sign_in(code: String) -> Result<WaitingCommandLine, AppError> {
    use super::ssr::{context, fail};
    let (services, caller) = context().await?;
    let request = services.cli_approval(&caller, &code).await.map_err(fail)?;
    Ok(WaitingCommandLine {
        code: request.user_code,
        label: request.label,
        requested: request.created_at,
    })
}

/// Approves (`approve` true) or denies the waiting command line; returns the decision.
#[server]
pub async fn decide_cli_sign_in(code: String, approve: bool) -> Result<bool, AppError> {
    use super::ssr::{context, fail};
    let (services, caller) = context().await?;
    services
        .decide_cli_approval(&caller, &code, approve)
        .await
        .map_err(fail)?;
    Ok(approve)
}
