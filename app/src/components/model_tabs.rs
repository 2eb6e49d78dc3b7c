//! The tabs of a model: Secrets, Applications, Access, Audit.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ModelTabs(#[prop(into)] model: Signal<String>) -> impl IntoView {
    let tab = move |path: &'static str, label: &'static str| {
        view! { <A href=move || format!("/models/{}/{path}", model.get())>{label}</A> }
    };
    view! {
        <nav class="tabs" aria-label="Model">
            {tab("secrets", "Secrets")}
            {tab("applications", "Applications")}
            {tab("access", "Access")}
            {tab("audit", "Audit")}
        </nav>
    }
}
