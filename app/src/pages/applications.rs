//! `/models/{model}/applications`: the applications, with what a list needs (what each can
//! read, how many tokens, its webhook's state); admins add and remove them. Each links to
//! `/models/{model}/applications/{app}` (the same screen for one application), which holds its
//! tokens (made, shown once, revoked), its webhook and its usage.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::application_webhook::{NewWebhookSecretPanel, WebhookActions, WebhookCell};
use crate::api::applications::{
    AddApplication, CreateToken, RemoveApplication, RevokeToken, list_applications,
};
use crate::components::error_view::{ErrorView, FieldError, last_error};
use crate::components::model_tabs::{ModelTabs, model_title};
use crate::components::return_here::ReturnHere;
use crate::components::shown_once::ShownOnce;
use crate::components::time::RelativeTime;
use crate::types::{ApplicationView, ApplicationsPage as PageData, TokenJson};

#[derive(Clone, Copy)]
pub struct Actions {
    add: ServerAction<AddApplication>,
    remove: ServerAction<RemoveApplication>,
    token: ServerAction<CreateToken>,
    revoke: ServerAction<RevokeToken>,
    webhook: WebhookActions,
}

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    view! { <ApplicationsScreen /> }
}

/// The list, or with an `app` in the route, that one application's page.
#[component]
pub fn ApplicationsScreen() -> impl IntoView {
    let params = use_params_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let only = Memo::new(move |_| params.read().get("app"));
    let actions = Actions {
        add: ServerAction::new(),
        remove: ServerAction::new(),
        token: ServerAction::new(),
        revoke: ServerAction::new(),
        webhook: WebhookActions::default(),
    };
    {
        use crate::components::toast::toast_on_success;
        toast_on_success(actions.add.value(), "Application added.");
        toast_on_success(actions.remove.value(), "Application removed.");
        toast_on_success(actions.revoke.value(), "Token revoked.");
        toast_on_success(actions.webhook.change.value(), "Webhook changed.");
    }
    let data = Resource::new(
        move || {
            (
                model.get(),
                actions.add.version().get(),
                actions.remove.version().get(),
                actions.token.version().get(),
                actions.revoke.version().get(),
                actions.webhook.set.version().get(),
                actions.webhook.change.version().get(),
            )
        },
        |(model, ..)| list_applications(model),
    );
    let error = {
        let errors = [
            last_error(actions.add.value()),
            last_error(actions.remove.value()),
            last_error(actions.token.value()),
            last_error(actions.revoke.value()),
            last_error(actions.webhook.set.value()),
            last_error(actions.webhook.change.value()),
        ];
        Signal::derive(move || errors.iter().find_map(Get::get).map(|e| e.to_string()))
    };
    let heading = move || only.get().unwrap_or_else(|| "Applications".to_owned());
    view! {
        <Title text=model_title("Applications", model) />
        <h1>{heading}<span class="muted">" in "{model}</span></h1>
        <ModelTabs model />
        <FieldError message=error />
        <NewTokenPanel action=actions.token />
        <NewWebhookSecretPanel action=actions.webhook.set />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(page) => match only.get_untracked() {
                        None => view! { <Applications model=model.get_untracked() page actions /> }.into_any(),
                        Some(app) => view! { <super::application::OneApplication model=model.get_untracked() app page actions /> }.into_any(),
                    },
                }
            })}
        </Suspense>
    }
}

/// The token just made, in the clear.
#[component]
fn NewTokenPanel(action: ServerAction<CreateToken>) -> impl IntoView {
    move || {
        action.value().get().and_then(Result::ok).map(|t| {
            view! { <ShownOnce heading=format!("New token for {}", t.owner) value=t.token /> }
        })
    }
}

#[component]
fn Applications(model: String, page: PageData, actions: Actions) -> impl IntoView {
    let admin = page.can.manage_applications;
    let form_model = model.clone();
    view! {
        {admin.then(move || view! {
            <ActionForm action=actions.add attr:class="inline-form card">
                <ReturnHere />
                <input type="hidden" name="model" value=form_model />
                <label>"Application name" <input name="name" required placeholder="mysql" /></label>
                <button type="submit" class="button primary">"Add application"</button>
            </ActionForm>
        })}
        {if page.applications.is_empty() {
            view! { <p class="empty">"There are no applications in this model."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <thead><tr><th>"Application"</th><th>"Can read"</th><th class="num">"Tokens"</th><th class="secondary">"Webhook"</th><th class="secondary">"Added"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                    <tbody>
                        {page.applications.into_iter().map(|a| view! { <ListRow model=model.clone() app=a admin actions /> }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// One application in the list: what a list needs, and the way to its page.
#[component]
fn ListRow(model: String, app: ApplicationView, admin: bool, actions: Actions) -> impl IntoView {
    let href = format!("/models/{model}/applications/{}", app.name);
    let readable = match app.readable.len() {
        0 => "nothing".to_owned(),
        1 => "1 secret".to_owned(),
        n => format!("{n} secrets"),
    };
    let webhook = match &app.webhook {
        None => "none",
        Some(w) if !w.enabled => "disabled",
        Some(w) if w.failures > 0 => "retrying",
        Some(_) => "on",
    };
    let remove = admin.then(|| remove_form(&model, &app.name, actions.remove));
    view! {
        <tr>
            <td><a href=href>{app.name.clone()}</a></td>
            <td>{readable}</td>
            <td class="num">{app.tokens.len()}</td>
            <td class="secondary">{webhook}</td>
            <td class="secondary"><RelativeTime at=app.created /></td>
            <td class="row-actions">{remove}</td>
        </tr>
    }
}

/// One application in full: what it reads, its tokens and its webhook, with their forms.
#[component]
pub fn ApplicationRow(
    model: String,
    app: ApplicationView,
    admin: bool,
    actions: Actions,
) -> impl IntoView {
    let readable = if app.readable.is_empty() {
        view! { <span class="muted">"nothing"</span> }.into_any()
    } else {
        app.readable
            .iter()
            .map(|(id, name)| {
                let href = format!("/models/{model}/secrets/{id}");
                view! { <a class="chip" href=href>{name.clone().unwrap_or_else(|| id.clone())}</a> }
            })
            .collect_view()
            .into_any()
    };
    let name = app.name.clone();
    let tokens = app
        .tokens
        .into_iter()
        .map(|t| token_line(&model, &name, t, admin, actions.revoke))
        .collect_view();
    let new_token = admin.then(|| new_token_form(&model, &name, actions.token));
    let remove = admin.then(|| remove_form(&model, &name, actions.remove));
    let webhook = view! {
        <WebhookCell model=model.clone() application=name.clone() webhook=app.webhook admin actions=actions.webhook />
    };
    view! {
        <tr>
            <td>{app.name}</td>
            <td>{readable}</td>
            <td>{tokens}{new_token}</td>
            <td>{webhook}</td>
            <td><RelativeTime at=app.created /></td>
            <td class="row-actions">{remove}</td>
        </tr>
    }
}

fn token_line(
    model: &str,
    app: &str,
    t: TokenJson,
    admin: bool,
    revoke: ServerAction<RevokeToken>,
) -> impl IntoView + use<> {
    let label = if t.label.is_empty() {
        format!("token {}", t.id)
    } else {
        t.label.clone()
    };
    let aria = format!("Revoke {label} of {app}");
    let (model, app) = (model.to_owned(), app.to_owned());
    let form = admin.then(move || {
        view! {
            <ActionForm action=revoke attr:class="inline">
                <ReturnHere />
                <input type="hidden" name="model" value=model />
                <input type="hidden" name="application" value=app />
                <input type="hidden" name="token" value=t.id.to_string() />
                <button type="submit" class="button small" aria-label=aria>"Revoke"</button>
            </ActionForm>
        }
    });
    view! { <div class="token-row">{label}" · "<RelativeTime at=t.created />{form}</div> }
}

fn new_token_form(
    model: &str,
    app: &str,
    create: ServerAction<CreateToken>,
) -> impl IntoView + use<> {
    let aria = format!("Label for a new token of {app}");
    let (model, app) = (model.to_owned(), app.to_owned());
    view! {
        <ActionForm action=create attr:class="inline">
            <ReturnHere />
            <input type="hidden" name="model" value=model />
            <input type="hidden" name="application" value=app />
            <input name="label" placeholder="label" aria-label=aria />
            <button type="submit" class="button small">"New token"</button>
        </ActionForm>
    }
}

fn remove_form(
    model: &str,
    app: &str,
    remove: ServerAction<RemoveApplication>,
) -> impl IntoView + use<> {
    let aria = format!("Remove application {app}");
    let (model, app) = (model.to_owned(), app.to_owned());
    view! {
        <ActionForm action=remove attr:class="inline">
            <ReturnHere />
            <input type="hidden" name="model" value=model />
            <input type="hidden" name="name" value=app />
            <button type="submit" class="button small danger" aria-label=aria title="Removes its tokens, grants and own secrets">
                "Remove"
            </button>
        </ActionForm>
    }
}
