//! The secret forms: Add secret and Update secret. Key/value rows (a value may come from a file
//! or be base64 already) or a pasted YAML/JSON/.env document; errors appear next to their field.

use domain::error::Field;
use leptos::prelude::*;

use crate::api::changes::UpdateSecret;
use crate::api::secrets::AddSecret;
use crate::components::dialog::Dialog;
use crate::components::error_view::{FieldError, error_for, last_error, other_error};
use crate::components::return_here::ReturnHere;
use crate::types::SecretRow;

/// Rows a form starts with; JavaScript can add more.
const INITIAL_ROWS: usize = 3;

const FORM_FIELDS: &[Field] = &[
    Field::Name,
    Field::Description,
    Field::Key,
    Field::Value,
    Field::Content,
    Field::Revision,
];

#[component]
pub fn AddSecretDialog(model: String, action: ServerAction<AddSecret>) -> impl IntoView {
    let result = last_error(action.value());
    let general = other_error(result, FORM_FIELDS);
    view! {
        <Dialog name="add" title="Add secret">
            <ActionForm action=action attr:class="form">
                <ReturnHere />
                <input type="hidden" name="model" value=model />
                <label>"Name" <input name="name" autocomplete="off" placeholder="db-password" /></label>
                <FieldError message=error_for(result, &[Field::Name]) />
                <label>"Description" <textarea name="description" rows="2"></textarea></label>
                <FieldError message=error_for(result, &[Field::Description]) />
                <ContentFields
                    legend="Keys and values"
                    entries_error=error_for(result, &[Field::Key, Field::Value])
                    document_error=error_for(result, &[Field::Content])
                />
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

/// Update secret: new content makes a new revision; name, description and auto-prune are shown
/// as they are now. Values are never pre-filled.
#[component]
pub fn UpdateSecretDialog(
    model: String,
    row: SecretRow,
    action: ServerAction<UpdateSecret>,
) -> impl IntoView {
    let result = last_error(action.value());
    let general = other_error(result, FORM_FIELDS);
    let app_owned = matches!(row.owner, crate::types::Owner::Application(_));
    view! {
        <Dialog name="update" title="Update secret">
            <ActionForm action=action attr:class="form">
                <ReturnHere />
                <input type="hidden" name="model" value=model />
                <input type="hidden" name="id" value=row.id.clone() />
                <input type="hidden" name="expected_revision" value=row.revision.to_string() />
                <label>"Name" <input name="name" autocomplete="off" value=row.name.clone().unwrap_or_default() /></label>
                <FieldError message=error_for(result, &[Field::Name]) />
                <label>"Description" <textarea name="description" rows="2" prop:value=row.description.clone()></textarea></label>
                <FieldError message=error_for(result, &[Field::Description]) />
                {(!app_owned).then(|| view! {
                    <label class="check">
                        <input type="checkbox" name="auto_prune" checked=row.auto_prune />
                        "Auto-prune: remove revisions no application tracks any more"
                    </label>
                })}
                <ContentFields
                    legend="New content (leave empty to keep the current values)"
                    entries_error=error_for(result, &[Field::Key, Field::Value])
                    document_error=error_for(result, &[Field::Content])
                />
                <p class="hint">"New content replaces every key of the current revision and becomes revision "{row.revision + 1}"."</p>
                <FieldError message=error_for(result, &[Field::Revision]) />
                <FieldError message=general />
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </ActionForm>
        </Dialog>
    }
}

/// Key/value rows plus the paste box.
#[component]
fn ContentFields(
    legend: &'static str,
    entries_error: Signal<Option<String>>,
    document_error: Signal<Option<String>>,
) -> impl IntoView {
    let rows = RwSignal::new(INITIAL_ROWS);
    view! {
        <fieldset class="entries">
            <legend>{legend}</legend>
            <p class="hint">
                "Keys: lowercase letters, digits and single dashes, at least 3 characters, starting with a letter."
            </p>
            {move || (0..rows.get()).map(|i| view! { <EntryRow index=i /> }).collect_view()}
            <button type="button" class="button subtle" on:click=move |_| rows.update(|n| *n += 1)>
                "Add key/value pair"
            </button>
        </fieldset>
        <FieldError message=entries_error />
        <label>
            "Or paste YAML, JSON or .env"
            <textarea name="content[document]" rows="4" class="mono" placeholder="password: s3cret"></textarea>
        </label>
        <FieldError message=document_error />
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
            <input name=format!("content[entries][{index}][key]") placeholder="key" aria-label=format!("Key {}", index + 1)
                autocomplete="off" class="mono" />
            <textarea name=format!("content[entries][{index}][value]") rows="1" placeholder="value"
                aria-label=format!("Value {}", index + 1) class="mono"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            <label class="check">
                <input type="checkbox" name=format!("content[entries][{index}][base64]") aria-label=format!("Value {} is base64", index + 1)
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
