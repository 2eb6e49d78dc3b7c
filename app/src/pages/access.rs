//! `/models/{model}/access`: the access review. Every grant with the usage behind it (last
//! read, reads in 30 days, tracked against latest revision, a live token), flags and filters
//! in the URL, a list or a matrix, an admin's bulk revoke and sign-off, and a CSV download.

use domain::ReviewFlag;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::review::{SignOffReview, review_page};
use crate::components::error_view::{ErrorView, FieldError, last_error};
use crate::components::model_tabs::{ModelTabs, model_title};
use crate::components::review_list::ReviewList;
use crate::components::review_matrix::ReviewMatrix;
use crate::components::review_state::{ReviewState, flag_label, query};
use crate::components::review_status::ReviewStatusSummary;
use crate::types::{ReviewPageData, ReviewStatusView};

#[component]
pub fn AccessPage() -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    let model = Memo::new(move |_| params.read().get("model").unwrap_or_default());
    let state = Memo::new(move |_| ReviewState::from_query(&url.read()));
    let sign_off = ServerAction::<SignOffReview>::new();
    // A sign-off redirects to the same URL; its version makes the page load again.
    let data = Resource::new(
        move || (model.get(), state.get(), sign_off.version().get()),
        |(model, s, _)| review_page(model, s.params(), s.view()),
    );
    view! {
        <Title text=model_title("Access review", model) />
        <h1>"Access review"<span class="muted">" in "{model}</span></h1>
        <ModelTabs model />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(page) => view! {
                        <Review model=model.get_untracked() state=state.get_untracked() page sign_off />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Review(
    model: String,
    state: ReviewState,
    page: ReviewPageData,
    sign_off: ServerAction<SignOffReview>,
) -> impl IntoView {
    let download = format!(
        "/models/{model}/access-review.csv{}",
        query(&state.filter_pairs())
    );
    let list_href = ReviewState {
        matrix: false,
        ..state.filter_only()
    }
    .href(&[]);
    let matrix_href = ReviewState {
        matrix: true,
        ..state.filter_only()
    }
    .href(&[]);
    let admin = page.can.sign_off_review;
    view! {
        <StatusPanel model=model.clone() status=page.status.clone() admin sign_off />
        <FilterForm state=state.clone() page=page.clone() />
        <section class="review-summary" aria-label="What the review found">
            <p>
                {format!("{} of {} grants shown", page.total, page.considered)}
                {format!(" · stale means no read in {} days", page.stale_days)}
            </p>
            <ul class="flag-counts">
                {page.flag_counts.iter().map(|(flag, n)| {
                    let (symbol, words) = flag_label(*flag);
                    view! {
                        <li><a href=state.with_flag(*flag) class=format!("flag flag-{}", flag.as_str())>
                            <span aria-hidden="true">{symbol}</span>" "{words}": "<strong>{*n}</strong>
                        </a></li>
                    }
                }).collect_view()}
            </ul>
            <nav class="view-switch" aria-label="Review view">
                <a href=list_href aria-current=(!state.matrix).then_some("page")>"List"</a>
                <a href=matrix_href aria-current=state.matrix.then_some("page")>"Matrix"</a>
                <a href=download download="" class="button">"Download CSV"</a>
            </nav>
        </section>
        {if state.matrix {
            view! { <ReviewMatrix model=model.clone() state=state.clone() window=page.matrix.clone() /> }.into_any()
        } else {
            view! { <ReviewList model=model.clone() state=state.clone() page=page.clone() /> }.into_any()
        }}
    }
}

/// "Last reviewed … by …", what changed since, and (for admins) the sign-off form.
#[component]
fn StatusPanel(
    model: String,
    status: ReviewStatusView,
    admin: bool,
    sign_off: ServerAction<SignOffReview>,
) -> impl IntoView {
    let error = last_error(sign_off.value());
    let error_text = Signal::derive(move || error.get().map(|e| e.to_string()));
    view! {
        <section class="review-status" aria-label="Review status">
            <ReviewStatusSummary model=model.clone() status />
            {admin.then(|| view! {
                <ActionForm action=sign_off attr:class="form sign-off">
                    <input type="hidden" name="model" value=model.clone() />
                    <label>"Note (optional)"<textarea name="note" rows="2" maxlength="2000"></textarea></label>
                    <FieldError message=error_text />
                    <button type="submit" class="button primary" disabled=move || sign_off.pending().get()>
                        "Sign off review"
                    </button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn FilterForm(state: ReviewState, page: ReviewPageData) -> impl IntoView {
    let stale_days = if state.stale_days.is_empty() {
        page.stale_days.to_string()
    } else {
        state.stale_days.clone()
    };
    view! {
        <Form method="GET" action="" attr:class="search review-filter" attr:role="search">
            {state.matrix.then(|| view! { <input type="hidden" name="view" value="matrix" /> })}
            <fieldset class="flags">
                <legend>"Flags (any of)"</legend>
                {ReviewFlag::ALL.into_iter().map(|flag| {
                    let (symbol, words) = flag_label(flag);
                    view! {
                        <label class="check">
                            <input type="checkbox" name="flag" value=flag.as_str() checked=state.has_flag(flag) />
                            <span aria-hidden="true">{symbol}</span>" "{words}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label>
                "Stale after (days)"
                <input type="number" name="stale_days" min="1" max="3650" value=stale_days />
            </label>
            <label>
                "Application"
                <select name="application">
                    <option value="">"All applications"</option>
                    {page.applications.iter().map(|a| {
                        let selected = *a == state.application;
                        view! { <option value=a.clone() selected=selected>{a.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                "Secret"
                <input type="search" name="secret" value=state.secret.clone() placeholder="name or ID" />
            </label>
            <label>
                "Owner"
                <select name="owner">
                    <option value="">"Any owner"</option>
                    <option value="model" selected=state.owner == "model">"Model (user secrets)"</option>
                    {page.applications.iter().map(|a| {
                        let selected = *a == state.owner;
                        view! { <option value=a.clone() selected=selected>{a.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">"Filter"</button>
        </Form>
    }
}
