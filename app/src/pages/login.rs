//! `/login`.

use domain::error::Field;
use leptos::prelude::*;

use crate::components::return_here::ReturnHere;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{Login, choices_for_sign_in};
use crate::components::error_view::{FieldError, error_for, last_error, other_error};

#[component]
pub fn LoginPage() -> impl IntoView {
    crate::components::browser::mark_hydrated_when_mounted();
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = last_error(login.value());
    let password_error = error_for(error, &[Field::Password]);
    let general_error = other_error(error, &[Field::Password]);
    // Why a sign-in through the provider came back unfinished, in one sentence.
    let provider_error = move || {
        query
            .read()
            .get("sign_in_error")
            .and_then(|code| domain::sign_in::ProviderFailure::parse(&code))
            .map(|f| f.sentence())
    };
    let choices = Resource::new(|| (), |_| choices_for_sign_in());
    let provider_link = move || {
        let next = next();
        if next.is_empty() {
            "/auth/oidc/login".to_owned()
        } else {
            format!("/auth/oidc/login?next={}", domain::url::encode_path(&next))
        }
    };
    view! {
        <Title text="Sign in · Strongbox" />
        <main class="login">
            <h1>"Strongbox"</h1>
            {move || provider_error().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <Suspense>
                {move || Suspend::new(async move {
                    let choices = choices.await.unwrap_or_default();
                    let provider = choices.provider.map(|name| view! {
                        // `rel="external"`: the route is the server's, so the client router
                        // must let the browser load it rather than look for an app page.
                        <a class="button primary provider" href=provider_link rel="external">
                            {format!("Sign in with {name}")}
                        </a>
                    });
                    let form = choices.password.then(|| view! {
                        <ActionForm action=login attr:class="card form">
                            <ReturnHere />
                            <input type="hidden" name="next" value=next />
                            <label>
                                "User name"
                                <input name="username" autocomplete="username" required autofocus />
                            </label>
                            <label>
                                "Password"
                                <input type="password" name="password" autocomplete="current-password" required />
                            </label>
                            <FieldError message=password_error />
                            <FieldError message=general_error />
                            <button type="submit" class="button primary" disabled=move || login.pending().get()>
                                {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                            </button>
                        </ActionForm>
                    });
                    view! { {provider} {form} }
                })}
            </Suspense>
        </main>
    }
}
