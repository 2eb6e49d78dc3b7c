//! Signing in and out, and who is signed in.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{Me, SignInChoices};

/// Checks the password, starts a fresh session and goes to `next` (a path on this site).
#[server]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::ssr::{fail, session, set_status, sign_in, state};
    use backend::password::Password;
    use domain::error::Field;

    let state = state()?;
    let user = match state
        .services
        .sign_in(&username, Password::new(password))
        .await
    {
        Ok(user) => user,
        Err(backend::ServiceError::Unauthenticated) => {
            let e = AppError::Invalid {
                field: Some(Field::Password),
                message: "Wrong user name or password.".into(),
            };
            set_status(&e);
            return Err(e);
        }
        Err(e) => return Err(fail(e)),
    };
    let now = state.services.now();
    let session = session().await?;
    sign_in(&session, user.id, &user.name, now).await?;
    let target = next
        .filter(|n| domain::url::local_path(n).is_some())
        .unwrap_or_else(|| "/models".into());
    leptos_axum::redirect(&target);
    Ok(())
}

/// Ends the session and tells the browser to forget this site's cookies and storage; a
/// session begun at the provider goes on to end the provider's session too.
#[server]
pub async fn logout() -> Result<(), AppError> {
    use super::ssr::{end_session, session};
    let session = session().await?;
    let next = end_session(&session).await?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::HeaderName::from_static("clear-site-data"),
            http::HeaderValue::from_static("\"cookies\", \"storage\""),
        );
    }
    leptos_axum::redirect(&next);
    Ok(())
}

/// What the sign-in page offers: the provider's button, the password form, or both.
#[server]
pub async fn choices_for_sign_in() -> Result<SignInChoices, AppError> {
    Ok(super::ssr::state()?.sign_in)
}

#[server]
pub async fn whoami() -> Result<Me, AppError> {
    use super::ssr::{context, fail};
    let (services, caller) = context().await?;
    let backend::Actor::User { id, name } = caller.actor else {
        return Err(super::ssr::reject(AppError::Unauthenticated));
    };
    let superuser = services.is_superuser(id).await.map_err(fail)?;
    Ok(Me {
        name: name.to_string(),
        superuser,
    })
}
