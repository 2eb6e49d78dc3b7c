//! `/admin/users`: for superusers. Users, the superuser flag, model memberships, password
//! resets and ending a user's sessions.

use domain::AccessLevel;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::users::{
    CreateUser, EndSessions, ResetPassword, RevokeUserToken, SetMembership, SetSuperuser,
    list_users,
};
use crate::components::error_view::{ErrorView, FieldError, last_error};
use crate::components::return_here::ReturnHere;
use crate::components::time::RelativeTime;
use crate::types::{UserView, UsersPage as PageData};

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateUser>,
    superuser: ServerAction<SetSuperuser>,
    membership: ServerAction<SetMembership>,
    password: ServerAction<ResetPassword>,
    sessions: ServerAction<EndSessions>,
    revoke: ServerAction<RevokeUserToken>,
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let a = Actions {
        create: ServerAction::new(),
        superuser: ServerAction::new(),
        membership: ServerAction::new(),
        password: ServerAction::new(),
        sessions: ServerAction::new(),
        revoke: ServerAction::new(),
    };
    {
        use crate::components::toast::toast_on_success;
        toast_on_success(a.create.value(), "User created.");
        toast_on_success(a.superuser.value(), "Superuser flag changed.");
        toast_on_success(a.membership.value(), "Membership saved.");
        toast_on_success(a.revoke.value(), "Token revoked.");
    }
    let data = Resource::new(
        move || {
            (
                a.create.version().get(),
                a.superuser.version().get(),
                a.membership.version().get(),
                a.password.version().get(),
                a.sessions.version().get(),
                a.revoke.version().get(),
            )
        },
        |_| list_users(),
    );
    let error = {
        let errs = [
            last_error(a.create.value()),
            last_error(a.superuser.value()),
            last_error(a.membership.value()),
            last_error(a.password.value()),
            last_error(a.sessions.value()),
            last_error(a.revoke.value()),
        ];
        Signal::derive(move || errs.iter().find_map(|e| e.get()).map(|e| e.to_string()))
    };
    let done = {
        let p = a.password.value();
        let s = a.sessions.value();
        Signal::derive(move || match (p.get(), s.get()) {
            (Some(Ok(())), _) => Some("Password reset; sessions and personal tokens ended."),
            (_, Some(Ok(()))) => Some("Sessions and personal tokens ended."),
            _ => None,
        })
    };
    view! {
        <Title text="Users · Strongbox" />
        <h1>"Users"</h1>
        <FieldError message=error />
        {move || done.get().map(|m| view! { <p class="note" role="status">{m}</p> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(page) => view! { <Users page actions=a /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card">
            <h2>"Create a user"</h2>
            <ActionForm action=a.create attr:class="inline-form">
                <ReturnHere />
                <label>"User name" <input name="name" required autocomplete="off" /></label>
                <label>"Password" <input type="password" name="password" required minlength="8" autocomplete="new-password" /></label>
                <label class="check"><input type="checkbox" name="superuser" />"Superuser"</label>
                <button type="submit" class="button primary">"Create user"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Users(page: PageData, actions: Actions) -> impl IntoView {
    view! {
        <table class="table users">
            <thead><tr><th>"User"</th><th>"Superuser"</th><th>"Models"</th><th>"Created"</th><th>"Personal tokens"</th><th title="A new password, or ending sessions, also revokes the user's personal tokens">"Password and sessions"</th></tr></thead>
            <tbody>
                {page.users.into_iter().map(|u| view! { <UserRow user=u models=page.models.clone() actions /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn UserRow(user: UserView, models: Vec<String>, actions: Actions) -> impl IntoView {
    let name = user.name.clone();
    let memberships = user
        .memberships
        .iter()
        .map(|(m, l)| view! { <span class="chip">{format!("{m}: {l}")}</span> })
        .collect_view();
    // Access from provider groups is matched at each sign-in: shown, never edited here.
    let from_groups = user
        .group_memberships
        .iter()
        .map(|(m, l, groups)| {
            let title = format!("From the provider group(s) {groups}; follows the groups at each sign-in");
            view! { <span class="chip group" title=title>{format!("{m}: {l} (group {groups})")}</span> }
        })
        .collect_view();
    let identities = (!user.identities.is_empty()).then(|| {
        let who = user.identities.join(", ");
        view! { <div class="hint">"Signs in through a provider: " {who}</div> }
    });
    let group_superuser = user
        .group_superuser
        .then(|| view! { <div class="hint">"Superuser by a provider group"</div> });
    view! {
        <tr>
            <td>{user.name.clone()}{identities}</td>
            <td>{superuser_form(&name, user.superuser, actions.superuser)}{group_superuser}</td>
            <td>{memberships}{from_groups}{membership_form(&name, models, actions.membership)}</td>
            <td><RelativeTime at=user.created /></td>
            <td>{tokens_cell(&name, &user.tokens, actions.revoke)}</td>
            <td>{password_form(&name, actions.password)}{sessions_form(&name, actions.sessions)}</td>
        </tr>
    }
}

fn superuser_form(
    name: &str,
    superuser: bool,
    action: ServerAction<SetSuperuser>,
) -> impl IntoView + use<> {
    let name = name.to_owned();
    view! {
        <ActionForm action=action attr:class="inline">
            <ReturnHere />
            <input type="hidden" name="name" value=name />
            <input type="hidden" name="superuser" value=(!superuser).to_string() />
            <span class=if superuser { "badge on" } else { "badge off" }>{if superuser { "yes" } else { "no" }}</span>" "
            <button type="submit" class="button small">{if superuser { "Remove flag" } else { "Make superuser" }}</button>
        </ActionForm>
    }
}

fn membership_form(
    name: &str,
    models: Vec<String>,
    action: ServerAction<SetMembership>,
) -> impl IntoView + use<> {
    let (model_label, level_label) = (format!("Model for {name}"), format!("Level for {name}"));
    let name = name.to_owned();
    let levels = ["none", "read", "write", "admin"];
    view! {
        <ActionForm action=action attr:class="inline">
            <ReturnHere />
            <input type="hidden" name="name" value=name />
            <select name="model" aria-label=model_label>
                {models.into_iter().map(|m| view! { <option value=m.clone()>{m.clone()}</option> }).collect_view()}
            </select>
            <select name="level" aria-label=level_label>
                {levels.into_iter().map(|l| view! { <option value=l selected=l == AccessLevel::Read.as_str()>{l}</option> }).collect_view()}
            </select>
            <button type="submit" class="button small">"Set"</button>
        </ActionForm>
    }
}

fn password_form(name: &str, action: ServerAction<ResetPassword>) -> impl IntoView + use<> {
    let label = format!("New password for {name}");
    let name = name.to_owned();
    view! {
        <ActionForm action=action attr:class="inline">
            <ReturnHere />
            <input type="hidden" name="name" value=name />
            <input type="password" name="password" minlength="8" required placeholder="new password" autocomplete="new-password" aria-label=label />
            <button type="submit" class="button small">"Reset"</button>
        </ActionForm>
    }
}

fn sessions_form(name: &str, action: ServerAction<EndSessions>) -> impl IntoView + use<> {
    let label = format!("End the sessions of {name}");
    let name = name.to_owned();
    view! {
        <ActionForm action=action attr:class="inline">
            <ReturnHere />
            <input type="hidden" name="name" value=name />
            <button type="submit" class="button small" aria-label=label
                title="Signs the user out everywhere and revokes their personal tokens">"End sessions"</button>
        </ActionForm>
    }
}

/// The user's personal tokens, each with a way to revoke it.
fn tokens_cell(
    name: &str,
    tokens: &[crate::types::TokenJson],
    action: ServerAction<RevokeUserToken>,
) -> impl IntoView + use<> {
    if tokens.is_empty() {
        return view! { <span class="muted">"none"</span> }.into_any();
    }
    tokens
        .iter()
        .map(|t| {
            let label = if t.label.is_empty() {
                format!("token {}", t.id)
            } else {
                t.label.clone()
            };
            let aria = format!("Revoke {label} of {name}");
            let (name, id, created) = (name.to_owned(), t.id.to_string(), t.created);
            view! {
                <ActionForm action=action attr:class="inline">
                    <ReturnHere />
                    <input type="hidden" name="name" value=name />
                    <input type="hidden" name="token" value=id />
                    <span class="chip">{label}" "<RelativeTime at=created /></span>
                    <button type="submit" class="button small" aria-label=aria>"Revoke"</button>
                </ActionForm>
            }
        })
        .collect_view()
        .into_any()
}
