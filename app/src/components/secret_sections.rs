//! The read-only parts of the secret page: revision history, grants, key diff, audit trail.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::reveal::diff_revisions;
use crate::components::dialog::DialogOpener;
use crate::components::error_view::ErrorView;
use crate::components::time::RelativeTime;
use crate::types::{AuditJson, BehindRow, GrantRow, RevisionRow};

#[component]
pub fn Revisions(revisions: Vec<RevisionRow>) -> impl IntoView {
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

/// Which applications were told of a newer revision and have not read it yet (Juju's
/// `secret-changed` pending), longest first.
#[component]
pub fn Behind(behind: Vec<BehindRow>, latest: i64) -> impl IntoView {
    let empty = behind.is_empty();
    let rows = behind
        .into_iter()
        .map(|b| {
            view! {
                <tr>
                    <td>{b.application}</td>
                    <td class="num">{b.tracked}</td>
                    <td class="num">{latest}</td>
                    <td><RelativeTime at=b.since /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableSection title="Applications behind" empty=empty.then_some("Every application that reads this secret has the latest revision.")>
            <thead><tr><th>"Application"</th><th class="num">"Tracks"</th><th class="num">"Latest"</th><th>"Behind since"</th></tr></thead>
            <tbody>{rows}</tbody>
        </TableSection>
    }
}

/// A titled section with a table, or the sentence that says there is nothing to list.
#[component]
fn TableSection(
    title: &'static str,
    empty: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section>
            <h2>{title}</h2>
            {match empty {
                Some(text) => view! { <p class="empty">{text}</p> }.into_any(),
                None => view! { <table class="table">{children()}</table> }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn Grants(
    grants: Vec<GrantRow>,
    can_revoke: bool,
    /// Called with the application whose Revoke button was pressed, before the dialog opens.
    #[prop(into)]
    on_revoke: Callback<String>,
) -> impl IntoView {
    let empty = grants.is_empty();
    let rows = grants.into_iter().map(|g| {
        let app = g.application.clone();
        view! {
            <tr>
                <td>{g.application.clone()}</td>
                <td>{g.granted_by}</td>
                <td><RelativeTime at=g.granted_at /></td>
                <td class="row-actions">
                    {can_revoke.then(|| view! {
                        <span on:click=move |_| on_revoke.run(app.clone())>
                            <DialogOpener name="revoke" label=format!("Revoke {}", g.application) query=format!("app={}", crate::components::url::encode(&g.application)) class="small" />
                        </span>
                    })}
                </td>
            </tr>
        }
    }).collect_view();
    view! {
        <TableSection title="Access" empty=empty.then_some("No application has been granted this secret.")>
            <thead><tr><th>"Application"</th><th>"Granted by"</th><th>"Granted"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </TableSection>
    }
}

#[component]
pub fn AuditTrail(events: Vec<AuditJson>) -> impl IntoView {
    view! {
        <section>
            <h2>"Audit trail"</h2>
            {if events.is_empty() {
                view! { <p class="empty">"Nothing has been recorded yet."</p> }.into_any()
            } else {
                view! {
                    <table class="table audit">
                        <thead><tr><th>"When"</th><th>"Who"</th><th>"Action"</th><th>"Outcome"</th><th class="num secondary">"Revision"</th><th class="secondary">"Detail"</th></tr></thead>
                        <tbody>
                            {events.into_iter().map(|e| {
                                let denied = e.outcome == "denied";
                                view! {
                                <tr class:denied=denied>
                                    <td><RelativeTime at=e.at /></td>
                                    <td>{e.actor}</td>
                                    <td>{e.action}</td>
                                    <td>{e.outcome}</td>
                                    <td class="num secondary">{e.revision.map(|r| r.to_string()).unwrap_or_default()}</td>
                                    <td class="secondary">{e.detail}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// Which keys changed between two revisions. A GET form, so it works without JavaScript and the
/// comparison can be linked to.
#[component]
pub fn Diff(model: String, id: String, revisions: Vec<i64>) -> impl IntoView {
    let query = use_query_map();
    let pick = move |k: &str| query.read().get(k).and_then(|v| v.parse::<i64>().ok());
    let newest = revisions.first().copied().unwrap_or(1);
    let oldest = revisions.get(1).copied().unwrap_or(newest);
    let wanted = Memo::new(move |_| (pick("from").unwrap_or(oldest), pick("to").unwrap_or(newest)));
    let compare = Memo::new(move |_| query.read().get("from").is_some());
    let diff = Resource::new(
        move || (compare.get(), wanted.get()),
        move |(go, (from, to))| {
            let (model, id) = (model.clone(), id.clone());
            async move {
                if go {
                    Some(diff_revisions(model, id, from, to).await)
                } else {
                    None
                }
            }
        },
    );
    let several = revisions.len() > 1;
    let options = move |selected: i64| {
        revisions.iter().map(|n| view! { <option value=n.to_string() selected=*n == selected>{n.to_string()}</option> }).collect_view()
    };
    several.then(|| view! {
        <section>
            <h2>"Compare revisions"</h2>
            <form method="get" class="inline-form">
                <label>"From" <select name="from">{options(wanted.get_untracked().0)}</select></label>
                <label>"To" <select name="to">{options(wanted.get_untracked().1)}</select></label>
                <button type="submit" class="button">"Compare"</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match diff.await {
                        None => ().into_any(),
                        Some(Err(e)) => view! { <ErrorView error=e /> }.into_any(),
                        Some(Ok(d)) => view! {
                            <ul class="diff" aria-label=format!("Changes from revision {} to {}", d.from, d.to)>
                                {d.added.into_iter().map(|k| view! { <li class="added"><span class="badge on">"added"</span>" "<code>{k}</code></li> }).collect_view()}
                                {d.removed.into_iter().map(|k| view! { <li class="removed"><span class="badge danger">"removed"</span>" "<code>{k}</code></li> }).collect_view()}
                                {d.changed.into_iter().map(|k| view! { <li class="changed"><span class="badge warn">"changed"</span>" "<code>{k}</code></li> }).collect_view()}
                                {d.unchanged.into_iter().map(|k| view! { <li class="unchanged"><span class="badge">"unchanged"</span>" "<code>{k}</code></li> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    })
}
