//! The applications page's webhook column: where an application's events are posted, how
//! delivery goes, and for admins the forms that set, enable and remove it.

use leptos::prelude::*;

use crate::api::webhooks::{ChangeWebhook, SetWebhook};
use crate::components::return_here::ReturnHere;
use crate::components::shown_once::ShownOnce;
use crate::components::time::RelativeTime;
use crate::types::WebhookView;

/// The page's webhook actions.
#[derive(Clone, Copy)]
pub struct WebhookActions {
    pub set: ServerAction<SetWebhook>,
    pub change: ServerAction<ChangeWebhook>,
}

impl Default for WebhookActions {
    fn default() -> Self {
        WebhookActions {
            set: ServerAction::new(),
            change: ServerAction::new(),
        }
    }
}

/// The signing secret just made, in the clear.
#[component]
pub fn NewWebhookSecretPanel(action: ServerAction<SetWebhook>) -> impl IntoView {
    move || {
        action.value().get().and_then(Result::ok).map(|s| {
            let heading = format!("Webhook signing secret for {}", s.application);
            let purpose = "The receiver checks each post's webhook-signature with it. ";
            view! { <ShownOnce heading value=s.secret purpose /> }
        })
    }
}

/// How delivery is going, in words.
fn delivery(w: &WebhookView) -> AnyView {
    let error = w
        .last_error
        .clone()
        .map(|e| view! { <div class="muted">"Last error: "{e}</div> });
    let state = if !w.enabled {
        view! { <span class="badge danger">"disabled after "{w.failures}" failures"</span> }
            .into_any()
    } else if let (true, Some(at)) = (w.failures > 0, w.retry_at) {
        view! { <span class="badge warning">{w.failures}" failed; next try "<RelativeTime at /></span> }.into_any()
    } else if let Some(at) = w.last_success {
        view! { <span class="muted">"delivered "<RelativeTime at /></span> }.into_any()
    } else {
        view! { <span class="muted">"nothing to deliver yet"</span> }.into_any()
    };
    view! { <div>{state}{error}</div> }.into_any()
}

#[component]
pub fn WebhookCell(
    model: String,
    application: String,
    webhook: Option<WebhookView>,
    admin: bool,
    actions: WebhookActions,
) -> impl IntoView {
    let shown = match &webhook {
        None => view! { <span class="muted">"none"</span> }.into_any(),
        Some(w) => {
            let url = match w.url.clone() {
                Some(url) => view! { <code>{url}</code> }.into_any(),
                None => view! { <span class="muted">"set (its URL is shown to admins)"</span> }
                    .into_any(),
            };
            view! { {url}{delivery(w)} }.into_any()
        }
    };
    let forms = admin.then(|| {
        let enable = webhook
            .as_ref()
            .filter(|w| !w.enabled)
            .map(|_| change_form(&model, &application, "enable", "Enable", actions.change));
        let remove = webhook.as_ref().map(|_| {
            change_form(
                &model,
                &application,
                "remove",
                "Remove webhook",
                actions.change,
            )
        });
        let aria = format!("Webhook URL for {application}");
        let (model, application) = (model.clone(), application.clone());
        view! {
            <ActionForm action=actions.set attr:class="inline">
                <ReturnHere />
                <input type="hidden" name="model" value=model />
                <input type="hidden" name="application" value=application />
                <input name="url" type="url" required placeholder="https://…" aria-label=aria />
                <button type="submit" class="button small">"Set webhook"</button>
            </ActionForm>
            {enable}{remove}
        }
    });
    view! { {shown}{forms} }
}

fn change_form(
    model: &str,
    application: &str,
    change: &'static str,
    label: &'static str,
    action: ServerAction<ChangeWebhook>,
) -> impl IntoView + use<> {
    let aria = format!("{label} of {application}");
    let (model, application) = (model.to_owned(), application.to_owned());
    view! {
        <ActionForm action attr:class="inline">
            <ReturnHere />
            <input type="hidden" name="model" value=model />
            <input type="hidden" name="application" value=application />
            <input type="hidden" name="change" value=change />
            <button type="submit" class="button small" aria-label=aria>{label}</button>
        </ActionForm>
    }
}
