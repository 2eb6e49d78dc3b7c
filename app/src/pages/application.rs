//! `/models/{model}/applications/{app}`: one application. What it can read, its tokens and
//! webhook (the applications screen's row, in full), and its usage of each grant.

use api_types::review::ReviewParams;
use leptos::prelude::*;

use super::applications::{Actions, ApplicationRow};
use crate::api::review::{ReviewView, review_page};
use crate::components::error_view::ErrorView;
use crate::components::review_list::Flags;
use crate::components::time::RelativeTime;
use crate::types::ApplicationsPage as PageData;

#[component]
pub fn ApplicationPage() -> impl IntoView {
    view! { <super::applications::ApplicationsScreen /> }
}

#[component]
pub fn OneApplication(
    model: String,
    app: String,
    page: PageData,
    actions: Actions,
) -> impl IntoView {
    let admin = page.can.manage_applications;
    let Some(found) = page.applications.into_iter().find(|a| a.name == app) else {
        return view! { <p class="empty">{format!("There is no application \"{app}\" in this model.")}</p> }.into_any();
    };
    view! {
        <p><a href=format!("/models/{model}/applications")>"← All applications"</a></p>
        <table class="table">
            <thead><tr><th>"Application"</th><th>"Can read"</th><th>"Tokens"</th><th>"Webhook"</th><th>"Added"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
            <tbody><ApplicationRow model=model.clone() app=found admin actions /></tbody>
        </table>
        <Usage model app />
    }
    .into_any()
}

/// The application's grants and how it uses them, from the access review.
#[component]
fn Usage(model: String, app: String) -> impl IntoView {
    let params = ReviewParams {
        application: Some(app.clone()),
        ..ReviewParams::default()
    };
    let review_href = format!("/models/{model}/access?application={app}");
    let data = Resource::new(
        move || (model.clone(), params.clone()),
        |(model, params)| review_page(model, params, ReviewView::default()),
    );
    view! {
        <section class="card" aria-labelledby="usage-heading">
            <h2 id="usage-heading">"Usage of its grants"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(page) if page.rows.is_empty() => view! { <p>"It holds no grants."</p> }.into_any(),
                        Ok(page) => view! {
                            <table class="table usage">
                                <thead><tr><th>"Secret"</th><th>"Last read"</th><th class="num secondary">"Reads (30 d)"</th><th class="secondary">"Revision"</th><th>"Flags"</th></tr></thead>
                                <tbody>
                                    {page.rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.secret_label()}</td>
                                            <td>{match r.last_read_at {
                                                Some(at) => view! { <RelativeTime at /> }.into_any(),
                                                None => view! { <span class="muted">"never"</span> }.into_any(),
                                            }}</td>
                                            <td class="num secondary">{r.reads_30d}</td>
                                            <td class="secondary">{match r.tracked {
                                                Some(t) => format!("{t} of {}", r.latest),
                                                None => format!("— of {}", r.latest),
                                            }}</td>
                                            <td><Flags row=r.clone() /></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href=review_href>"Review these grants →"</a></p>
        </section>
    }
}
