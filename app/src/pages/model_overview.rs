//! `/models/{model}`: the model at a glance. What it holds, the grants the access review flags,
//! applications behind the latest revision, rotations and expiries due, the latest audit
//! events, and the review status; each part links to the page that deals with it.

use domain::ReviewFlag;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::review::model_overview;
use crate::components::error_view::ErrorView;
use crate::components::model_tabs::{ModelTabs, model_title};
use crate::components::review_state::flag_label;
use crate::components::review_status::ReviewStatusSummary;
use crate::components::time::RelativeTime;
use crate::types::OverviewData;

#[component]
pub fn ModelOverviewPage() -> impl IntoView {
    let params = use_params_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let data = Resource::new(move || model.get(), model_overview);
    view! {
        <Title text=model_title("Overview", model) />
        <h1>{model}</h1>
        <ModelTabs model />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(o) => view! { <Overview model=model.get_untracked() o /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(model: String, o: OverviewData) -> impl IntoView {
    let access = format!("/models/{model}/access");
    let counts = [
        ("Secrets", o.secrets, format!("/models/{model}/secrets")),
        (
            "Applications",
            o.applications,
            format!("/models/{model}/applications"),
        ),
        ("Grants", o.grants, access.clone()),
    ];
    let flagged: Vec<(ReviewFlag, usize)> = o
        .flag_counts
        .iter()
        .copied()
        .filter(|(_, n)| *n > 0)
        .collect();
    view! {
        <dl class="counts">
            {counts.into_iter().map(|(label, n, href)| view! {
                <div><dt>{label}</dt><dd><a href=href>{n}</a></dd></div>
            }).collect_view()}
        </dl>
        <div class="overview">
            <section class="card" aria-labelledby="review-heading">
                <h2 id="review-heading">"Access review"</h2>
                <ReviewStatusSummary model=model.clone() status=o.status.clone() />
                {if flagged.is_empty() {
                    view! { <p>"No grant is flagged."</p> }.into_any()
                } else {
                    view! {
                        <ul class="flag-counts">
                            {flagged.into_iter().map(|(flag, n)| {
                                let (symbol, words) = flag_label(flag);
                                let href = format!("{access}?flag={}", flag.as_str());
                                view! { <li><a href=href class=format!("flag flag-{}", flag.as_str())><span aria-hidden="true">{symbol}</span>" "{words}": "<strong>{n}</strong></a></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p><a href=access.clone()>"Review access →"</a></p>
            </section>
            <section class="card" aria-labelledby="behind-heading">
                <h2 id="behind-heading">"Applications behind"</h2>
                {if o.behind.is_empty() {
                    view! { <p>"Every application reads the latest revision of what it tracks."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {o.behind.iter().map(|(app, n)| {
                                let href = format!("{access}?flag=behind&application={app}");
                                let what = if *n == 1 { "secret".to_owned() } else { "secrets".to_owned() };
                                view! { <li><a href=href>{app.clone()}</a>{format!(": {n} {what} behind")}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="card" aria-labelledby="due-heading">
                <h2 id="due-heading">"Rotation and expiry due"</h2>
                {if o.due.is_empty() {
                    view! { <p>"Nothing is due in the next 7 days."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {o.due.iter().map(|d| {
                                let href = format!("/models/{model}/secrets/{}", d.secret_id);
                                view! {
                                    <li>
                                        <a href=href>{d.label.clone()}</a>{format!(" (owned by {})", d.owner)}
                                        {d.rotate_at.map(|at| view! { " · rotation due "<RelativeTime at /> })}
                                        {d.expire_at.map(|at| view! { " · expires "<RelativeTime at /> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="card" aria-labelledby="recent-heading">
                <h2 id="recent-heading">"Latest audit events"</h2>
                <ul class="recent">
                    {o.recent.iter().map(|e| view! {
                        <li class:denied=e.denied>
                            <RelativeTime at=e.at />" · "<strong>{e.actor.clone()}</strong>" · "{e.action.clone()}
                            {e.denied.then_some(" (denied)")}
                            {(!e.detail.is_empty()).then(|| format!(" · {}", e.detail))}
                        </li>
                    }).collect_view()}
                </ul>
                <p><a href=format!("/models/{model}/audit")>"All audit events →"</a></p>
            </section>
        </div>
    }
}
