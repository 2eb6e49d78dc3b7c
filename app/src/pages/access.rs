//! `/models/{model}/access`: the grant review. Which application may read which secret, who
//! granted it and when; narrowed to one application or one secret by the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::access::grant_review;
use crate::components::error_view::ErrorView;
use crate::components::model_tabs::{ModelTabs, model_title};
use crate::components::time::RelativeTime;
use crate::types::GrantReviewRow;

#[component]
pub fn AccessPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let app_filter = Memo::new(move |_| query.read().get("app").unwrap_or_default());
    let secret_filter = Memo::new(move |_| query.read().get("secret").unwrap_or_default());
    let grants = Resource::new(move || model.get(), grant_review);
    view! {
        <Title text=model_title("Access", model) />
        <h1>"Access"<span class="muted">" in "{model}</span></h1>
        <ModelTabs model />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match grants.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(all) => view! {
                        <GrantReview model=model.get_untracked() all app=app_filter.get_untracked() secret=secret_filter.get_untracked() />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GrantReview(
    model: String,
    all: Vec<GrantReviewRow>,
    app: String,
    secret: String,
) -> impl IntoView {
    let mut apps: Vec<String> = all.iter().map(|g| g.application.clone()).collect();
    apps.dedup();
    let mut secrets: Vec<(String, String)> = all
        .iter()
        .map(|g| {
            (
                g.secret_id.clone(),
                g.secret_name.clone().unwrap_or_else(|| g.secret_id.clone()),
            )
        })
        .collect();
    secrets.sort();
    secrets.dedup();
    let shown: Vec<GrantReviewRow> = all
        .into_iter()
        .filter(|g| app.is_empty() || g.application == app)
        .filter(|g| secret.is_empty() || g.secret_id == secret)
        .collect();
    view! {
        <form method="get" class="search" role="search">
            <label>
                "Application"
                <select name="app">
                    <option value="">"All applications"</option>
                    {apps.into_iter().map(|a| { let s = a == app; view! { <option value=a.clone() selected=s>{a.clone()}</option> } }).collect_view()}
                </select>
            </label>
            <label>
                "Secret"
                <select name="secret">
                    <option value="">"All secrets"</option>
                    {secrets.into_iter().map(|(id, name)| { let s = id == secret; view! { <option value=id selected=s>{name}</option> } }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">"Filter"</button>
        </form>
        {if shown.is_empty() {
            view! { <p class="empty">"No application has been granted a secret here."</p> }.into_any()
        } else {
            view! {
                <table class="table grants">
                    <thead><tr><th>"Application"</th><th>"Secret"</th><th>"Granted by"</th><th>"Granted"</th></tr></thead>
                    <tbody>
                        {shown.into_iter().map(|g| {
                            let href = format!("/models/{model}/secrets/{}", g.secret_id);
                            view! {
                            <tr>
                                <td>{g.application}</td>
                                <td><a href=href>{g.secret_name.unwrap_or(g.secret_id)}</a></td>
                                <td>{g.granted_by}</td>
                                <td><RelativeTime at=g.granted_at /></td>
                            </tr>
                        }}).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
