//! The hidden field that tells the server where a plain form post came from (see the server's
//! `form_return` middleware): the page's path and query, without an earlier error's parameters.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn ReturnHere() -> impl IntoView {
    let location = use_location();
    let here = move || {
        let path = location.pathname.get();
        let query: Vec<String> = location
            .query
            .get()
            .into_iter()
            .filter(|(k, _)| k != "__err" && k != "__path")
            .map(|(k, v)| format!("{k}={}", crate::components::url::encode(&v)))
            .collect();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.join("&"))
        }
    };
    view! { <input type="hidden" name="__return" value=here /> }
}
