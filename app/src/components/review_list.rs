//! The review as a list: one row per grant, with a checkbox per row for an admin's bulk
//! revoke. Picking grants is a GET form that opens the confirmation dialog with them in the
//! URL, so it works with and without JavaScript; the dialog's form revokes them together.

use leptos::prelude::*;
use leptos_router::components::Form;

use crate::api::review::{LIST_PAGE, RevokeReviewGrants};
use crate::components::dialog::Dialog;
use crate::components::error_view::{FieldError, last_error};
use crate::components::review_state::{ReviewState, flag_label};
use crate::components::time::RelativeTime;
use crate::types::{ReviewPageData, ReviewRow};

#[component]
pub fn ReviewList(model: String, state: ReviewState, page: ReviewPageData) -> impl IntoView {
    let admin = page.can.sign_off_review;
    if page.rows.is_empty() {
        let text = if page.considered == 0 {
            "No application holds a grant that this filter selects."
        } else {
            "No grant has the flags this filter asks for."
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    let previous = (page.offset > 0)
        .then(|| state.href(&[("offset", page.offset.saturating_sub(LIST_PAGE).to_string())]));
    let next = (page.offset + LIST_PAGE < page.total)
        .then(|| state.href(&[("offset", (page.offset + LIST_PAGE).to_string())]));
    let stale_href = state.href(&[
        ("select", "stale".to_owned()),
        ("dialog", "revoke".to_owned()),
    ]);
    let table = view! {
        <table class="table review">
            <caption class="sr-only">"Grants and their usage"</caption>
            <thead>
                <tr>
                    {admin.then(|| view! { <th scope="col"><span class="sr-only">"Select"</span></th> })}
                    <th scope="col">"Application"</th>
                    <th scope="col">"Secret"</th>
                    <th scope="col">"Last read"</th>
                    <th scope="col" class="num secondary">"Reads (30 d)"</th>
                    <th scope="col" class="secondary">"Revision"</th>
                    <th scope="col">"Flags"</th>
                    <th scope="col" class="secondary">"Granted"</th>
                </tr>
            </thead>
            <tbody>
                {page.rows.iter().map(|r| view! { <Row model=model.clone() row=r.clone() admin /> }).collect_view()}
            </tbody>
        </table>
    };
    view! {
        {if admin {
            let hidden = state.filter_pairs();
            view! {
                <Form method="GET" action="" attr:class="bulk">
                    {hidden.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v /> }).collect_view()}
                    <input type="hidden" name="dialog" value="revoke" />
                    <div class="toolbar">
                        <button type="submit" class="button danger">"Revoke selected…"</button>
                        <a href=stale_href class="button">"Revoke all stale in this filter…"</a>
                    </div>
                    {table}
                </Form>
                <RevokeDialog model=model.clone() state=state.clone() grants=page.to_revoke.clone() />
            }.into_any()
        } else {
            table.into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {previous.map(|h| view! { <a href=h>"← Previous"</a> })}
            <span class="muted">{format!("{}–{} of {}", page.offset + 1, (page.offset + LIST_PAGE).min(page.total), page.total)}</span>
            {next.map(|h| view! { <a href=h rel="next">"Next →"</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn Row(model: String, row: ReviewRow, admin: bool) -> impl IntoView {
    let secret_href = format!("/models/{model}/secrets/{}", row.secret_id);
    let app_href = format!("/models/{model}/applications/{}", row.application);
    let label = row.secret_label();
    let select_label = format!("Select {} / {label}", row.application);
    let revision = match row.tracked {
        None => view! { <span class="muted">{format!("— of {}", row.latest)}</span> }.into_any(),
        Some(t) if t >= row.latest => view! { <span>{format!("{t} (latest)")}</span> }.into_any(),
        Some(t) => view! {
            <span>
                {format!("{t} of {} · behind by {}", row.latest, row.latest - t)}
                {row.behind_since.map(|at| view! { " since "<RelativeTime at /> })}
            </span>
        }
        .into_any(),
    };
    view! {
        <tr>
            {admin.then(|| view! {
                <td><input type="checkbox" name="grant" value=row.key() aria-label=select_label /></td>
            })}
            <td><a href=app_href>{row.application.clone()}</a></td>
            <td><a href=secret_href>{label}</a></td>
            <td>{match row.last_read_at {
                Some(at) => view! { <RelativeTime at /> }.into_any(),
                None => view! { <span class="muted">"never"</span> }.into_any(),
            }}</td>
            <td class="num secondary">{row.reads_30d}</td>
            <td class="secondary">{revision}</td>
            <td><Flags row=row.clone() /></td>
            <td class="secondary">{row.granted_by.clone()}" · "<RelativeTime at=row.granted_at /></td>
        </tr>
    }
}

/// The grant's flags as words with a symbol; "in use" when it has none.
#[component]
pub fn Flags(row: ReviewRow) -> impl IntoView {
    if row.flags.is_empty() {
        return view! { <span class="flag flag-ok"><span aria-hidden="true">"✓"</span>" in use"</span> }.into_any();
    }
    row.flags
        .into_iter()
        .map(|flag| {
            let (symbol, words) = flag_label(flag);
            view! {
                <span class=format!("flag flag-{}", flag.as_str())><span aria-hidden="true">{symbol}</span>" "{words}</span>
            }
        })
        .collect_view()
        .into_any()
}

#[component]
fn RevokeDialog(model: String, state: ReviewState, grants: Vec<ReviewRow>) -> impl IntoView {
    let action = ServerAction::<RevokeReviewGrants>::new();
    let error = last_error(action.value());
    let error_text = Signal::derive(move || error.get().map(|e| e.to_string()));
    let back = format!("/models/{model}/access{}", state.href(&[]));
    let count = grants.len();
    let grants_word = if count == 1 { "grant" } else { "grants" };
    view! {
        <Dialog name="revoke" title="Revoke grants">
            {if grants.is_empty() {
                view! { <div><p>"No grants are selected. Check the grants to revoke, then choose “Revoke selected…”."</p></div> }.into_any()
            } else {
                view! {
                    <ActionForm action=action attr:class="form">
                        <input type="hidden" name="model" value=model.clone() />
                        <input type="hidden" name="back" value=back />
                        <p>{format!("{count} {grants_word} will be revoked together, in one change. Each application hears at once and can no longer read the secret.")}</p>
                        <ul class="revoke-list">
                            {grants.iter().enumerate().map(|(i, g)| view! {
                                <li>
                                    <input type="hidden" name=format!("grants[{i}]") value=g.key() />
                                    <strong>{g.application.clone()}</strong>" — "{g.secret_label()}
                                </li>
                            }).collect_view()}
                        </ul>
                        <FieldError message=error_text />
                        <div class="actions">
                            <button type="submit" class="button danger" disabled=move || action.pending().get()>
                                {format!("Revoke {count} {grants_word}")}
                            </button>
                        </div>
                    </ActionForm>
                }.into_any()
            }}
        </Dialog>
    }
}
