//! `/models/{model}/secrets/{id}`: one secret — its metadata with the auto-prune state, the
//! revision history, the grants and its audit trail.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::access::{RevokeGrant, SetGrants};
use crate::api::changes::{RemoveSecret, UpdateSecret};
use crate::api::secrets::show_secret;
use crate::components::browser::copy_to_clipboard;
use crate::components::dialog::DialogOpener;
use crate::components::error_view::ErrorView;
use crate::components::model_tabs::JujuOwnedNote;
use crate::components::reveal::RevealDialog;
use crate::components::secret_actions::{GrantDialog, RemoveDialog, RevokeDialog};
use crate::components::secret_form::UpdateSecretDialog;
use crate::components::secret_sections::{AuditTrail, Behind, Diff, Grants, Revisions};
use crate::components::time::RelativeTime;
use crate::types::{Owner, SecretDetail};

/// The page's actions; the data reloads when one succeeds.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateSecret>,
    grants: ServerAction<SetGrants>,
    revoke: ServerAction<RevokeGrant>,
    remove: ServerAction<RemoveSecret>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            update: ServerAction::new(),
            grants: ServerAction::new(),
            revoke: ServerAction::new(),
            remove: ServerAction::new(),
        }
    }

    /// A number that goes up after each successful action, so the page reloads then and not
    /// after a refusal (reloading would close the dialog that shows the error).
    fn reloads(self) -> RwSignal<usize> {
        use crate::components::toast::toast_on_success;
        toast_on_success(self.update.value(), "Secret updated.");
        toast_on_success(self.grants.value(), "Access saved.");
        toast_on_success(self.revoke.value(), "Access revoked.");
        toast_on_success(self.remove.value(), "Removed.");
        let reload = RwSignal::new(0);
        let bump = move |ok: bool| {
            if ok {
                reload.update(|n| *n += 1);
            }
        };
        Effect::new(move |_| bump(matches!(self.update.value().get(), Some(Ok(())))));
        Effect::new(move |_| bump(matches!(self.grants.value().get(), Some(Ok(())))));
        Effect::new(move |_| bump(matches!(self.revoke.value().get(), Some(Ok(())))));
        Effect::new(move |_| bump(matches!(self.remove.value().get(), Some(Ok(())))));
        reload
    }
}

#[component]
pub fn SecretPage() -> impl IntoView {
    let params = use_params_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let actions = Actions::new();
    let reload = actions.reloads();
    let detail = Resource::new(
        move || (model.get(), id.get(), reload.get()),
        |(m, i, _)| show_secret(m, i),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(d) => view! { <SecretView model=model.get_untracked() detail=d actions /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SecretView(model: String, detail: SecretDetail, actions: Actions) -> impl IntoView {
    let row = detail.row.clone();
    let title = row.name.clone().unwrap_or_else(|| row.id.clone());
    let uri = row.uri.clone();
    let copy_uri = uri.clone();
    let app_owned = matches!(row.owner, Owner::Application(_));
    let can_change = detail.changeable;
    let query = leptos_router::hooks::use_query_map();
    let revoke_app = RwSignal::new(query.read_untracked().get("app").unwrap_or_default());
    view! {
        <Title text=format!("{title} · {model} · Strongbox") />
        <nav class="crumbs"><a href=format!("/models/{model}/secrets")>"Secrets"</a>" / "{title.clone()}</nav>
        <div class="page-head">
            <h1>{title}</h1>
            <SecretToolbar detail=detail.clone() />
        </div>
        {app_owned.then(|| view! { <p class="note">"This secret can only be modified by the application."</p> })}
        <JujuOwnedNote owner=detail.can.juju_owner.clone() />
        <dl class="meta">
            <dt>"URI"</dt>
            <dd class="mono">{uri}" "
                <button type="button" class="icon" title="Copy secret URI" on:click=move |_| copy_to_clipboard(&copy_uri)>"Copy"</button>
            </dd>
            <dt>"Owner"</dt><dd>{row.owner.label()}</dd>
            <dt>"Description"</dt><dd>{if row.description.is_empty() { "—".to_owned() } else { domain::names::show_format_characters(&row.description).into_owned() }}</dd>
            <dt>"Latest revision"</dt><dd>{row.revision}</dd>
            <dt>"Auto-prune"</dt>
            <dd>
                <span class=if row.auto_prune { "badge on" } else { "badge off" }>{if row.auto_prune { "on" } else { "off" }}</span>
                <span class="muted">{if row.auto_prune {
                    " obsolete revisions are removed automatically"
                } else {
                    " obsolete revisions are kept until removed"
                }}</span>
            </dd>
            <dt>"Rotation"</dt><dd>{row.rotation.to_string()}</dd>
            <dt>"Created"</dt><dd><RelativeTime at=row.created /></dd>
            <dt>"Updated"</dt><dd><RelativeTime at=row.updated /></dd>
        </dl>
        <Revisions revisions=detail.revisions.clone() />
        <Diff model=model.clone() id=detail.row.id.clone() revisions=detail.revisions.iter().map(|r| r.revision).collect() />
        <Behind behind=detail.behind.clone() latest=row.revision />
        <Grants grants=detail.grants.clone() can_revoke=can_change on_revoke=move |app: String| revoke_app.set(app) />
        <AuditTrail events=detail.audit.clone() />
        {can_change.then(|| view! {
            <UpdateSecretDialog model=model.clone() row=detail.row.clone() action=actions.update />
            <GrantDialog model=model.clone() detail=detail.clone() action=actions.grants />
            <RevokeDialog model=model.clone() detail=detail.clone() application=revoke_app action=actions.revoke />
            <RemoveDialog model=model.clone() detail=detail.clone() action=actions.remove />
        })}
        {detail.can.reveal_content.then(|| view! { <RevealDialog model=model.clone() detail=detail.clone() /> })}
    }
}

/// What the user may do here, as the server says: writers change user secrets; only admins
/// reveal. Application-owned secrets offer no changes at all.
#[component]
fn SecretToolbar(detail: SecretDetail) -> impl IntoView {
    let writer = detail.changeable;
    let admin = detail.can.reveal_content;
    view! {
        <div class="toolbar-buttons">
            {admin.then(|| view! { <DialogOpener name="reveal" label="Reveal" /> })}
            {writer.then(|| view! {
                <DialogOpener name="update" label="Update" />
                <DialogOpener name="grant" label="Grant access" />
                <DialogOpener name="remove" label="Remove" class="danger" />
            })}
        </div>
    }
}
