//! How a failed load looks.

use leptos::prelude::*;

use domain::error::Field;

use crate::error::AppError;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let sign_in = matches!(error, AppError::Unauthenticated);
    view! {
        <div class="alert" role="alert">
            <p>{error.to_string()}</p>
            {sign_in.then(|| view! { <a href="/login">"Sign in"</a> })}
        </div>
    }
}

/// A message under a form field, or nothing.
#[component]
pub fn FieldError(message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
    }
}

/// The message of `error` when it is about one of `fields`.
pub fn error_for(
    error: Signal<Option<AppError>>,
    fields: &'static [Field],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        error
            .get()
            .filter(|e| e.field().is_some_and(|f| fields.contains(&f)))
            .map(|e| e.to_string())
    })
}

/// The last result's error, if it failed.
pub fn last_error<T, S>(result: S) -> Signal<Option<AppError>>
where
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || result.get().and_then(Result::err))
}

/// The message of `error` when it belongs to none of `fields`.
pub fn other_error(
    error: Signal<Option<AppError>>,
    fields: &'static [Field],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        error
            .get()
            .filter(|e| !e.field().is_some_and(|f| fields.contains(&f)))
            .map(|e| e.to_string())
    })
}
