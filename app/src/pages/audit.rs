//! `/models/{model}/audit`: the model's audit log, filterable by actor, action and secret.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::audit::audit_log;
use crate::components::error_view::ErrorView;
use crate::components::model_tabs::{ModelTabs, model_title};
use crate::components::secret_sections::AuditTrail;

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let filter = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (
            get("actor"),
            get("action"),
            get("secret"),
            get("before").and_then(|b| b.parse::<i64>().ok()),
        )
    });
    let page = Resource::new(
        move || (model.get(), filter.get()),
        |(model, (actor, action, secret, before))| audit_log(model, actor, action, secret, before),
    );
    view! {
        <Title text=model_title("Audit", model) />
        <h1>"Audit"<span class="muted">" in "{model}</span></h1>
        <ModelTabs model />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (actor, action, secret, _) = filter.get_untracked();
                match page.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(p) => {
                        let older = p.next_before.map(|b| {
                            let mut q = vec![format!("before={b}")];
                            for (k, v) in [("actor", &actor), ("action", &action), ("secret", &secret)] {
                                if let Some(v) = v {
                                    q.push(format!("{k}={}", crate::components::url::encode(v)));
                                }
                            }
                            format!("?{}", q.join("&"))
                        });
                        view! {
                            <form method="get" class="search" role="search">
                                <label>"Actor" <input name="actor" value=actor.clone().unwrap_or_default() placeholder="alice, prod/mysql, system" /></label>
                                <label>
                                    "Action"
                                    <select name="action">
                                        <option value="">"Any"</option>
                                        {p.actions.iter().map(|a| {
                                            let selected = action.as_deref() == Some(a.as_str());
                                            view! { <option value=a.clone() selected=selected>{a.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <label>"Secret" <input name="secret" value=secret.clone().unwrap_or_default() placeholder="secret:… or ID" /></label>
                                <button type="submit" class="button">"Filter"</button>
                            </form>
                            <AuditTrail events=p.rows />
                            <nav class="pager" aria-label="Pages">
                                <span></span>
                                {older.map(|h| view! { <a href=h>"Older events →"</a> })}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
