use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    crate::components::browser::mark_hydrated_when_mounted();
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p>
                <a href="/models">"Back to your models"</a>
            </p>
        </main>
    }
}
