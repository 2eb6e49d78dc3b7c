//! A credential in the clear, right after it was made: a token or a signing secret. It is in
//! no page and no URL, only in the answer that made it.

use leptos::prelude::*;

use super::browser::copy_to_clipboard;

#[component]
pub fn ShownOnce(
    heading: String,
    value: String,
    /// What the value is for, before the warning.
    #[prop(optional)]
    purpose: Option<&'static str>,
) -> impl IntoView {
    let copied = value.clone();
    view! {
        <section class="card token" role="status">
            <h2>{heading}</h2>
            <p>{purpose}"Copy it now: it is shown only this once."</p>
            <p><code class="value">{value}</code>" "
                <button type="button" class="button subtle" on:click=move |_| copy_to_clipboard(&copied)>"Copy"</button>
            </p>
        </section>
    }
}
