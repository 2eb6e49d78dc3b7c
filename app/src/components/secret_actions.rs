//! Dialogs that change who may read a secret, or remove it: Grant access, Revoke access and
//! Remove secret. Each says plainly what will happen before it happens.

use leptos::prelude::*;

use crate::api::access::{RevokeGrant, SetGrants};
use crate::api::changes::RemoveSecret;
use crate::components::dialog::Dialog;
use crate::components::error_view::{FieldError, last_error};
use crate::components::return_here::ReturnHere;
use crate::types::SecretDetail;

fn error_text<S>(value: S) -> Signal<Option<String>>
where
    S: Get<Value = Option<Result<(), crate::error::AppError>>> + Send + Sync + 'static,
{
    let error = last_error(value);
    Signal::derive(move || error.get().map(|e| e.to_string()))
}

#[component]
pub fn GrantDialog(
    model: String,
    detail: SecretDetail,
    action: ServerAction<SetGrants>,
) -> impl IntoView {
    let granted: Vec<String> = detail
        .grants
        .iter()
        .map(|g| g.application.clone())
        .collect();
    let apps = detail.applications.clone();
    view! {
        <Dialog name="grant" title="Grant access">
            <ActionForm action=action attr:class="form">
                <ReturnHere />
                <input type="hidden" name="model" value=model />
                <input type="hidden" name="id" value=detail.row.id.clone() />
                {if apps.is_empty() {
                    view! { <p class="empty">"There are no applications in this model."</p> }.into_any()
                } else {
                    view! {
                        <p>"Checked applications can read this secret. Unchecking one revokes its access."</p>
                        <fieldset class="checklist">
                            <legend>"Applications"</legend>
                            {apps.into_iter().enumerate().map(|(i, app)| {
                                let checked = granted.contains(&app);
                                view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("applications[{i}]") value=app.clone() checked=checked />
                                        {app.clone()}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    }.into_any()
                }}
                <FieldError message=error_text(action.value()) />
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Saving…" } else { "Save access" }}
                    </button>
                </div>
            </ActionForm>
        </Dialog>
    }
}

#[component]
pub fn RevokeDialog(
    model: String,
    detail: SecretDetail,
    /// The application chosen in the grants table.
    application: RwSignal<String>,
    action: ServerAction<RevokeGrant>,
) -> impl IntoView {
    let secret = detail
        .row
        .name
        .clone()
        .unwrap_or_else(|| detail.row.uri.clone());
    view! {
        <Dialog name="revoke" title="Revoke access">
            <ActionForm action=action attr:class="form">
                <ReturnHere />
                <input type="hidden" name="model" value=model />
                <input type="hidden" name="id" value=detail.row.id.clone() />
                <input type="hidden" name="application" prop:value=move || application.get() />
                <p>
                    <strong>{move || application.get()}</strong>" will no longer be able to read "<strong>{secret}</strong>
                    ". Revisions only it was tracking become obsolete."
                </p>
                <FieldError message=error_text(action.value()) />
                <div class="actions">
                    <button type="submit" class="button danger" disabled=move || action.pending().get()>
                        "Revoke access"
                    </button>
                </div>
            </ActionForm>
        </Dialog>
    }
}

#[component]
pub fn RemoveDialog(
    model: String,
    detail: SecretDetail,
    action: ServerAction<RemoveSecret>,
) -> impl IntoView {
    let name = detail
        .row
        .name
        .clone()
        .unwrap_or_else(|| detail.row.uri.clone());
    let count = detail.revisions.len();
    let grantees: Vec<String> = detail
        .grants
        .iter()
        .map(|g| g.application.clone())
        .collect();
    let choice = RwSignal::new("all".to_owned());
    let all_loses = format!(
        "All {count} revision{} of {name} will be deleted{}. This cannot be undone.",
        if count == 1 { "" } else { "s" },
        if grantees.is_empty() {
            String::new()
        } else {
            format!(", and {} will lose access", grantees.join(", "))
        },
    );
    view! {
        <Dialog name="remove" title="Remove secret">
            <ActionForm action=action attr:class="form">
                <ReturnHere />
                <input type="hidden" name="model" value=model />
                <input type="hidden" name="id" value=detail.row.id.clone() />
                <label>
                    "What to remove"
                    <select name="revision" on:change=move |ev| choice.set(event_target_value(&ev))>
                        <option value="all" selected=true>"The whole secret (all revisions)"</option>
                        {detail.revisions.iter().map(|r| {
                            let label = if r.latest { format!("Only revision {} (latest)", r.revision) } else { format!("Only revision {}", r.revision) };
                            view! { <option value=r.revision.to_string()>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <p class="warning" role="note">
                    {move || if choice.get() == "all" {
                        all_loses.clone()
                    } else if count == 1 {
                        format!("Revision {} is the only one: removing it deletes {name}. This cannot be undone.", choice.get())
                    } else {
                        format!("Revision {} of {name} will be deleted. This cannot be undone.", choice.get())
                    }}
                </p>
                <FieldError message=error_text(action.value()) />
                <div class="actions">
                    <button type="submit" class="button danger" disabled=move || action.pending().get()>"Remove"</button>
                </div>
            </ActionForm>
        </Dialog>
    }
}
