//! Reveal: an admin chooses a revision and asks for its values. They arrive masked, can be shown
//! one by one and copied, and are dropped from the page again after 30 seconds. This needs
//! JavaScript by design: revealed values never travel in a page or a URL.

use leptos::prelude::*;
use std::time::Duration;

use crate::api::reveal::RevealSecret;
use crate::components::browser::copy_to_clipboard;
use crate::components::dialog::Dialog;
use crate::components::error_view::{FieldError, last_error};
use crate::types::{RevealedValue, SecretDetail};

const VISIBLE_FOR: Duration = Duration::from_secs(30);

#[component]
pub fn RevealDialog(model: String, detail: SecretDetail) -> impl IntoView {
    let reveal = ServerAction::<RevealSecret>::new();
    let error = last_error(reveal.value());
    let error_text = Signal::derive(move || error.get().map(|e| e.to_string()));
    let id = detail.row.id.clone();
    let revisions: Vec<(i64, bool)> = detail
        .revisions
        .iter()
        .map(|r| (r.revision, r.latest))
        .collect();
    let chosen = RwSignal::new(detail.row.revision);
    Effect::new(move |_| {
        if let Some(Ok(_)) = reveal.value().get() {
            set_timeout(move || reveal.value().set(None), VISIBLE_FOR);
        }
    });
    let ask = move |_| {
        reveal.dispatch(RevealSecret {
            model: model.clone(),
            id: id.clone(),
            revision: Some(chosen.get_untracked()),
        });
    };
    view! {
        <Dialog name="reveal" title="Reveal values">
            <div class="form">
                <noscript><p class="note">"Revealing values needs JavaScript."</p></noscript>
                <div class="inline-form">
                    <label>
                        "Revision"
                        <select on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse() { chosen.set(n) }
                        }>
                            {revisions.into_iter().map(|(n, latest)| {
                                let label = if latest { format!("{n} (latest)") } else { n.to_string() };
                                view! { <option value=n.to_string() selected=latest>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="button primary" on:click=ask disabled=move || reveal.pending().get()>
                        {move || if reveal.pending().get() { "Revealing…" } else { "Reveal" }}
                    </button>
                </div>
                <p class="hint">"Every reveal is recorded in the audit log. Values hide again after 30 seconds."</p>
                <FieldError message=error_text />
                {move || reveal.value().get().and_then(Result::ok).map(|r| view! {
                    <p class="muted">"Revision "{r.revision}</p>
                    <dl class="revealed">
                        {r.values.into_iter().map(|v| view! { <RevealedRow value=v /> }).collect_view()}
                    </dl>
                })}
            </div>
        </Dialog>
    }
}

#[component]
fn RevealedRow(value: RevealedValue) -> impl IntoView {
    let shown = RwSignal::new(false);
    let text = value.value.clone();
    let masked = "•".repeat(value.value.chars().count().clamp(8, 24));
    view! {
        <dt class="mono">{value.key.clone()}{value.base64.then_some(" (base64)")}</dt>
        <dd>
            // Shown with its invisible formatting characters spelled out; Copy gives the value.
            <code class="value">{move || if shown.get() { domain::names::show_format_characters(&value.value).into_owned() } else { masked.clone() }}</code>
            <button type="button" class="button subtle" on:click=move |_| shown.update(|s| *s = !*s)>
                {move || if shown.get() { "Hide" } else { "Show" }}
            </button>
            <button type="button" class="button subtle" on:click=move |_| copy_to_clipboard(&text)>"Copy"</button>
        </dd>
    }
}
