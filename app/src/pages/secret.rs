//! `/models/{model}/secrets/{id}`: one secret — its metadata with the auto-prune state, the
//! revision history, the grants and its audit trail.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::secrets::show_secret;
use crate::components::browser::copy_to_clipboard;
use crate::components::error_view::ErrorView;
use crate::components::time::RelativeTime;
use crate::types::{AuditRow, GrantRow, Owner, RevisionRow, SecretDetail};

#[component]
pub fn SecretPage() -> impl IntoView {
    let params = use_params_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let detail = Resource::new(move || (model.get(), id.get()), |(m, i)| show_secret(m, i));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(d) => view! { <SecretView model=model.get_untracked() detail=d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SecretView(model: String, detail: SecretDetail) -> impl IntoView {
    let row = detail.row.clone();
    let title = row.name.clone().unwrap_or_else(|| row.id.clone());
    let uri = row.uri.clone();
    let copy_uri = uri.clone();
    let app_owned = matches!(row.owner, Owner::Application(_));
    view! {
        <Title text=format!("{title} · {model} · Strongbox") />
        <nav class="crumbs"><a href=format!("/models/{model}/secrets")>"Secrets"</a>" / "{title.clone()}</nav>
        <h1>{title}</h1>
        {app_owned.then(|| view! { <p class="note">"This secret can only be modified by the application."</p> })}
        <dl class="meta">
            <dt>"URI"</dt>
            <dd class="mono">{uri}" "
                <button type="button" class="icon" title="Copy secret URI" on:click=move |_| copy_to_clipboard(&copy_uri)>"⧉"</button>
            </dd>
            <dt>"Owner"</dt><dd>{row.owner.label()}</dd>
            <dt>"Description"</dt><dd>{if row.description.is_empty() { "—".to_owned() } else { row.description.clone() }}</dd>
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
        <Revisions revisions=detail.revisions />
        <Grants grants=detail.grants />
        <AuditTrail events=detail.audit />
    }
}

#[component]
fn Revisions(revisions: Vec<RevisionRow>) -> impl IntoView {
    view! {
        <section>
            <h2>"Revisions"</h2>
            <table class="table">
                <thead><tr><th class="num">"Revision"</th><th>"Created"</th><th>"Status"</th><th>"Tracked by"</th><th>"Checksum"</th></tr></thead>
                <tbody>
                    {revisions.into_iter().map(|r| view! {
                        <tr>
                            <td class="num">{r.revision}</td>
                            <td><RelativeTime at=r.created /></td>
                            <td>{status(&r)}</td>
                            <td>{if r.tracked_by.is_empty() { "—".to_owned() } else { r.tracked_by.join(", ") }}</td>
                            <td class="mono">{r.checksum.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn status(r: &RevisionRow) -> impl IntoView + use<> {
    match (r.latest, r.obsolete) {
        (true, _) => view! { <span class="badge on">"latest"</span> }.into_any(),
        (false, true) => view! { <span class="badge off">"obsolete"</span> }.into_any(),
        (false, false) => view! { <span class="badge">"tracked"</span> }.into_any(),
    }
}

#[component]
fn Grants(grants: Vec<GrantRow>) -> impl IntoView {
    view! {
        <section>
            <h2>"Access"</h2>
            {if grants.is_empty() {
                view! { <p class="empty">"No application has been granted this secret."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th>"Application"</th><th>"Granted by"</th><th>"Granted"</th></tr></thead>
                        <tbody>
                            {grants.into_iter().map(|g| view! {
                                <tr><td>{g.application}</td><td>{g.granted_by}</td><td><RelativeTime at=g.granted_at /></td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn AuditTrail(events: Vec<AuditRow>) -> impl IntoView {
    view! {
        <section>
            <h2>"Audit trail"</h2>
            {if events.is_empty() {
                view! { <p class="empty">"Nothing has been recorded yet."</p> }.into_any()
            } else {
                view! {
                    <table class="table audit">
                        <thead><tr><th>"When"</th><th>"Who"</th><th>"Action"</th><th>"Outcome"</th><th class="num">"Revision"</th><th>"Detail"</th></tr></thead>
                        <tbody>
                            {events.into_iter().map(|e| {
                                let denied = e.outcome == "denied";
                                view! {
                                <tr class:denied=denied>
                                    <td><RelativeTime at=e.at /></td>
                                    <td>{e.actor}</td>
                                    <td>{e.action}</td>
                                    <td>{e.outcome}</td>
                                    <td class="num">{e.revision.map(|r| r.to_string()).unwrap_or_default()}</td>
                                    <td>{e.detail}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
