//! The Strongbox dashboard: server-rendered Leptos pages that hydrate in the browser.
//!
//! Pages call server functions (`api`), which are thin: they find the caller from the session
//! and hand over to `backend`'s services, where every role check happens.

pub mod api;
pub mod components;
pub mod csp;
pub mod error;
pub mod lazy_pages;
pub mod pages;
pub mod routes;
pub mod types;

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};

pub use routes::App;

/// The HTML document around the app. `HydrationScripts` loads the wasm; it carries the CSP nonce.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        leptos::nonce::provide_nonce();
        let provider = use_context::<api::ssr::DashboardState>().and_then(|s| s.provider_origin);
        if let (Some(nonce), Some(res)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) && let Ok(value) =
            http::HeaderValue::from_str(&csp::for_page(nonce.as_inner(), provider.as_deref()))
        {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    let stylesheet = format!("/{}/strongbox.css", options.site_pkg_dir);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="stylesheet" href=stylesheet />
                <link rel="icon" href="data:," />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Everything the app needs in context, for the server's render and for the browser alike.
pub fn provide_app_context() {
    provide_meta_context();
}
