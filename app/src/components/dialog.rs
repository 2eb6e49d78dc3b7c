//! Dialogs are native `<dialog>` elements. With JavaScript they open as modals (focus trapped,
//! Esc closes); without it, the page is loaded with `?dialog=<name>` and renders the dialog open.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::browser::{close_dialog, open_dialog};

/// Whether the URL asks for this dialog to be open.
pub fn dialog_requested(name: &'static str) -> Memo<bool> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("dialog").as_deref() == Some(name))
}

/// A link that opens the dialog: a real link without JavaScript, a modal with it.
#[component]
pub fn DialogOpener(
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(optional, into)] class: String,
    /// More query for the no-JavaScript link, e.g. `app=mysql`.
    #[prop(optional, into)]
    query: String,
) -> impl IntoView {
    let href = if query.is_empty() {
        format!("?dialog={name}")
    } else {
        format!("?dialog={name}&{query}")
    };
    let id = format!("dialog-{name}");
    let key_id = id.clone();
    view! {
        <a
            href=href
            on:keydown=move |ev| {
                // A link answers Enter; a button also answers Space.
                if ev.key() == " " {
                    ev.prevent_default();
                    open_dialog(&key_id);
                }
            }
            class=format!("button {class}")
            role="button"
            on:click=move |ev| {
                ev.prevent_default();
                open_dialog(&id);
            }
        >
            {label}
        </a>
    }
}

#[component]
pub fn Dialog(
    name: &'static str,
    #[prop(into)] title: String,
    children: Children,
) -> impl IntoView {
    let open = dialog_requested(name);
    let id = format!("dialog-{name}");
    let close_id = id.clone();
    view! {
        <dialog id=id class="dialog" open=move || open.get() aria-labelledby=format!("dialog-{name}-title")>
            <header class="dialog-header">
                <h2 id=format!("dialog-{name}-title")>{title}</h2>
                <a
                    href="?"
                    class="close"
                    aria-label="Close"
                    on:click=move |ev| {
                        ev.prevent_default();
                        close_dialog(&close_id);
                    }
                >
                    "×"
                </a>
            </header>
            {children()}
        </dialog>
    }
}
