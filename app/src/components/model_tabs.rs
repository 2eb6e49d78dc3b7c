//! The tabs of a model: Overview, Secrets, Applications, Access, Audit.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ModelTabs(#[prop(into)] model: Signal<String>) -> impl IntoView {
    let tab = move |path: &'static str, label: &'static str| {
        view! { <A href=move || format!("/models/{}/{path}", model.get())>{label}</A> }
    };
    view! {
        <nav class="tabs" aria-label="Model">
            <A href=move || format!("/models/{}", model.get()) exact=true>"Overview"</A>
            {tab("secrets", "Secrets")}
            {tab("applications", "Applications")}
            {tab("access", "Access")}
            {tab("audit", "Audit")}
        </nav>
    }
}

/// Says that Juju owns the model, through which backend and mount, and why the page offers no
/// change (ADR 0030).
#[component]
pub fn JujuOwnedNote(owner: Option<domain::JujuOwner>) -> impl IntoView {
    owner.map(|owner| {
        view! {
            <p class="hint" role="note" data-juju-backend=owner.backend.to_string()>
                "Juju owns this model through the secret backend "<strong>{owner.backend.to_string()}</strong>
                " (mount "<code>{owner.mount.to_string()}</code>"): its secrets change only through Juju, and are read-only here."
            </p>
        }
    })
}

/// The title of one of a model's pages. The server writes the page's head after the first chunk
/// of the body; Leptos may have disposed the page by then (seen once in a browser test, as a
/// panic that dropped the connection), so a gone model leaves the plain product name.
pub fn model_title(
    page: &'static str,
    model: Memo<String>,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || {
        model.try_get().map_or_else(
            || "Strongbox".to_owned(),
            |m| format!("{page} · {m} · Strongbox"),
        )
    }
}
