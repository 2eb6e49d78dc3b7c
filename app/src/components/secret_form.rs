//! The Add secret dialog: name, description, key/value rows (a value may come from a file or be
//! base64 already), or a pasted YAML/JSON/.env document. Errors appear next to their field.

use domain::error::Field;
use leptos::prelude::*;

use crate::components::return_here::ReturnHere;

use crate::api::secrets::AddSecret;
use crate::components::dialog::Dialog;
use crate::components::error_view::FieldError;
use crate::error::{field_error, form_error};

/// Rows a form starts with; JavaScript can add more.
const INITIAL_ROWS: usize = 3;

#[component]
pub fn AddSecretDialog(model: String, action: ServerAction<AddSecret>) -> impl IntoView {
    let rows = RwSignal::new(INITIAL_ROWS);
    let result = action.value();
    let error_for = move |fields: &'static [Field]| {
        Signal::derive(move || fields.iter().find_map(|f| field_error(&result.get(), *f)))
    };
    let general = Signal::derive(move || {
        form_error(
            &result.get(),
            &[
                Field::Name,
                Field::Description,
                Field::Key,
                Field::Value,
                Field::Content,
            ],
        )
    });
    view! {
            <Dialog name="add" title="Add secret">
                <ActionForm action=action attr:class="form" attr:id="add-secret-form">
    <ReturnHere />
                    <input type="hidden" name="model" value=model />
                    <label>
                        "Name"
                        <input name="name" autocomplete="off" placeholder="db-password" />
                    </label>
                    <FieldError message=error_for(&[Field::Name]) />
                    <label>
                        "Description"
                        <textarea name="description" rows="2"></textarea>
                    </label>
                    <FieldError message=error_for(&[Field::Description]) />
                    <fieldset class="entries">
                        <legend>"Keys and values"</legend>
                        <p class="hint">
                            "Keys: lowercase letters, digits and single dashes, at least 3 characters, starting with a letter."
                        </p>
                        {move || (0..rows.get()).map(|i| view! { <EntryRow index=i /> }).collect_view()}
                        <button type="button" class="button subtle" on:click=move |_| rows.update(|n| *n += 1)>
                            "Add key/value pair"
                        </button>
                    </fieldset>
                    <FieldError message=error_for(&[Field::Key, Field::Value]) />
                    <label>
                        "Or paste YAML, JSON or .env"
                        <textarea name="document" rows="4" class="mono" placeholder="password: s3cret"></textarea>
                    </label>
                    <FieldError message=error_for(&[Field::Content]) />
                    <FieldError message=general />
                    <div class="actions">
                        <button type="submit" class="button primary" disabled=move || action.pending().get()>
                            {move || if action.pending().get() { "Adding…" } else { "Add secret" }}
                        </button>
                    </div>
                </ActionForm>
            </Dialog>
        }
}

#[component]
fn EntryRow(index: usize) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let is_base64 = RwSignal::new(false);
    let file_name = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| read_file_into(ev, value, is_base64, file_name);
    view! {
        <div class="entry">
            <input name=format!("entries[{index}][key]") placeholder="key" aria-label=format!("Key {}", index + 1)
                autocomplete="off" class="mono" />
            <textarea name=format!("entries[{index}][value]") rows="1" placeholder="value"
                aria-label=format!("Value {}", index + 1) class="mono"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            <label class="check">
                <input type="checkbox" name=format!("entries[{index}][base64]")
                    prop:checked=move || is_base64.get()
                    on:change=move |ev| is_base64.set(event_target_checked(&ev)) />
                "value is base64"
            </label>
            <label class="file">
                <span>{move || file_name.get().unwrap_or_else(|| "from file…".into())}</span>
                <input type="file" aria-label=format!("Value {} from a file", index + 1) on:change=on_file />
            </label>
        </div>
    }
}

/// Reads the chosen file in the browser and puts it in the row as base64.
fn read_file_into(
    ev: leptos::ev::Event,
    value: RwSignal<String>,
    is_base64: RwSignal<bool>,
    file_name: RwSignal<Option<String>>,
) {
    #[cfg(target_arch = "wasm32")]
    {
        use base64::Engine as _;
        use wasm_bindgen::JsCast as _;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        file_name.set(Some(file.name()));
        leptos::task::spawn_local(async move {
            if let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                value.set(base64::engine::general_purpose::STANDARD.encode(bytes));
                is_base64.set(true);
            }
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (ev, value, is_base64, file_name);
}
