//! Where a model's access review stands: "last reviewed … by …" and the grant changes since.

use leptos::prelude::*;

use crate::components::time::RelativeTime;
use crate::types::ReviewStatusView;

#[component]
pub fn ReviewStatusSummary(model: String, status: ReviewStatusView) -> impl IntoView {
    let summary = match &status.last {
        None => view! { <p>"This model's grants have never been signed off."</p> }.into_any(),
        Some(last) => {
            let note = (!last.note.is_empty())
                .then(|| view! { <blockquote>{last.note.clone()}</blockquote> });
            view! {
                <p class="last-review">
                    "Last reviewed "<RelativeTime at=last.reviewed_at />" by "<strong>{last.reviewed_by.clone()}</strong>
                    {format!(" ({} grants).", last.grant_count)}
                </p>
                {note}
            }.into_any()
        }
    };
    let changes = status.last.is_some().then(|| {
        if status.changes.is_empty() && status.unchanged {
            view! { <p class="muted">"No grant has changed since."</p> }.into_any()
        } else {
            view! {
                <details open>
                    <summary>{match status.changes.len() {
                        1 => "1 grant change since".to_owned(),
                        n => format!("{n} grant changes since"),
                    }}</summary>
                    <ul class="changes">
                        {status.changes.iter().map(|c| {
                            let sign = if c.added { "+ " } else { "− " };
                            let href = c.secret_id.as_ref().map(|id| format!("/models/{model}/secrets/{id}"));
                            view! {
                                <li>
                                    <span aria-hidden="true">{sign}</span>{c.detail.clone()}" on "
                                    <a href=href>{c.secret_id.clone().unwrap_or_default()}</a>
                                    " by "{c.actor.clone()}" "<RelativeTime at=c.at />
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            }.into_any()
        }
    });
    view! {
        {summary}
        {changes}
    }
}
