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
