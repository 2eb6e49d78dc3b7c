//! `/models/{model}/secrets`: the secrets table. Search, owner filter, sort and page live in the
//! URL, so a view can be shared; the controls are a plain GET form, so they work without JS.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::applications::application_names;
use crate::api::secrets::{AddSecret, list_secrets};
use crate::components::browser::{copy_to_clipboard, submit_form_of};
use crate::components::dialog::DialogOpener;
use crate::components::error_view::ErrorView;
use crate::components::model_tabs::{JujuOwnedNote, ModelTabs, model_title};
use crate::components::secret_form::AddSecretDialog;
use crate::components::time::RelativeTime;
use crate::types::{Owner, SecretRow, SecretsPageData};

/// The URL's view state.
#[derive(Clone, PartialEq, Default)]
struct ViewState {
    q: String,
    owner: String,
    sort: String,
    dir: String,
    after: String,
}

#[component]
pub fn SecretsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let state = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        ViewState {
            q: get("q"),
            owner: get("owner"),
            sort: get("sort"),
            dir: get("dir"),
            after: get("after"),
        }
    });
    let add = ServerAction::<AddSecret>::new();
    let data = Resource::new(
        move || (model.get(), state.get()),
        |(model, s)| {
            let opt = |v: String| (!v.is_empty()).then_some(v);
            list_secrets(
                model,
                opt(s.q),
                opt(s.owner),
                opt(s.sort),
                opt(s.dir),
                opt(s.after),
            )
        },
    );
    view! {
        <Title text=model_title("Secrets", model) />
        <div class="page-head">
            <h1>"Secrets"<span class="muted">" in "{model}</span></h1>
        </div>
        <ModelTabs model />
        <SearchForm model state=state.get_untracked() />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(page) => view! { <SecretsView model=model.get_untracked() state=state.get_untracked() page add /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SecretsView(
    model: String,
    state: ViewState,
    page: SecretsPageData,
    add: ServerAction<AddSecret>,
) -> impl IntoView {
    let writer = page.can.write_secrets;
    let next_href = page.next.as_ref().map(|after| page_href(&state, after));
    let first_href = (!state.after.is_empty()).then(|| page_href(&state, ""));
    let filtered = !state.q.is_empty() || !state.owner.is_empty();
    view! {
        <JujuOwnedNote owner=page.can.juju_owner.clone() />
        {writer.then(|| view! { <div class="toolbar add"><DialogOpener name="add" label="Add secret" class="primary" /></div> })}
        {writer.then(|| view! { <AddSecretDialog model=model.clone() action=add /> })}
        {if page.rows.is_empty() {
            let message = if filtered { "No secrets match this search." } else { "There are no secrets in this model yet." };
            view! { <p class="empty">{message}</p> }.into_any()
        } else {
            view! { <SecretsTable model=model.clone() rows=page.rows /> }.into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {first_href.map(|h| view! { <a href=h>"← First page"</a> })}
            {next_href.map(|h| view! { <a href=h rel="next">"Next page →"</a> })}
        </nav>
    }
}

fn page_href(s: &ViewState, after: &str) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("q", &s.q),
        ("owner", &s.owner),
        ("sort", &s.sort),
        ("dir", &s.dir),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", crate::components::url::encode(v)));
        }
    }
    if !after.is_empty() {
        parts.push(format!("after={}", crate::components::url::encode(after)));
    }
    format!("?{}", parts.join("&"))
}

/// Search, owner filter and sort. A GET form, so it works without JavaScript; with it, the
/// results follow the typing (after a short pause) without reloading the page.
#[component]
fn SearchForm(model: Memo<String>, state: ViewState) -> impl IntoView {
    let apps = Resource::new(move || model.get(), application_names);
    let owner = state.owner.clone();
    let sort = state.sort.clone();
    let dir = state.dir.clone();
    let typed = RwSignal::new(0u32);
    let on_type = move |ev: leptos::ev::Event| {
        let n = typed.get_untracked() + 1;
        typed.set(n);
        set_timeout(
            move || {
                if typed.get_untracked() == n {
                    submit_form_of(&ev);
                }
            },
            std::time::Duration::from_millis(300),
        );
    };
    view! {
        <Form method="get" action="" attr:class="search toolbar" attr:role="search" noscroll=true>
            <label class="grow">
                <span class="sr-only">"Search"</span>
                <input type="search" name="q" value=state.q placeholder="Search name, ID, description, owner or grantee" on:input=on_type />
            </label>
            <label>
                "Owner"
                <select name="owner" on:change=move |ev| submit_form_of(&ev)>
                    <option value="" selected=owner.is_empty()>"Anyone"</option>
                    <option value="model" selected=owner == "model">"Model (user secrets)"</option>
                    <Transition fallback=|| ()>
                        {move || {
                            let owner = owner.clone();
                            Suspend::new(async move {
                                apps.await.unwrap_or_default().into_iter().map(|a| {
                                    let selected = owner == a;
                                    view! { <option value=a.clone() selected=selected>{a.clone()}</option> }
                                }).collect_view()
                            })
                        }}
                    </Transition>
                </select>
            </label>
            <label>
                "Sort"
                <select name="sort" on:change=move |ev| submit_form_of(&ev)>
                    <option value="name" selected=sort.is_empty() || sort == "name">"Name"</option>
                    <option value="created" selected=sort == "created">"Created"</option>
                    <option value="updated" selected=sort == "updated">"Updated"</option>
                </select>
            </label>
            <label>
                "Order"
                <select name="dir" on:change=move |ev| submit_form_of(&ev)>
                    <option value="asc" selected=dir != "desc">"Ascending"</option>
                    <option value="desc" selected=dir == "desc">"Descending"</option>
                </select>
            </label>
            <button type="submit" class="button">"Apply"</button>
        </Form>
    }
}

#[component]
fn SecretsTable(model: String, rows: Vec<SecretRow>) -> impl IntoView {
    view! {
        <table class="table secrets">
            <thead>
                <tr>
                    <th>"Name"</th><th class="secondary">"ID"</th><th>"Owner"</th><th class="num">"Revision"</th>
                    <th class="description">"Description"</th><th class="num secondary">"Granted to"</th><th class="secondary">"Created"</th><th>"Updated"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! { <SecretTableRow model=model.clone() row /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn SecretTableRow(model: String, row: SecretRow) -> impl IntoView {
    let href = format!("/models/{model}/secrets/{}", row.id);
    let uri = row.uri.clone();
    let owned_by_app = matches!(row.owner, Owner::Application(_));
    view! {
        <tr class:readonly=owned_by_app>
            <td>
                <a href=href.clone()>{row.name.clone().unwrap_or_else(|| "(unnamed)".into())}</a>
                {owned_by_app.then(|| view! {
                    <span class="note" title="This secret can only be modified by the application.">" ⓘ"</span>
                })}
            </td>
            <td class="mono secondary">
                <a href=href>{row.id.clone()}</a>
                <button type="button" class="icon" title="Copy secret URI" aria-label=format!("Copy {uri}")
                    on:click=move |_| copy_to_clipboard(&uri)>"Copy"</button>
            </td>
            <td>{row.owner.label()}</td>
            <td class="num">{row.revision}</td>
            <td class="description">{domain::names::show_format_characters(&row.description).into_owned()}</td>
            <td class="num secondary">{row.granted_to}</td>
            <td class="secondary"><RelativeTime at=row.created /></td>
            <td><RelativeTime at=row.updated /></td>
        </tr>
    }
}
