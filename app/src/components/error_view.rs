//! How a failed load looks.

use leptos::prelude::*;

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
