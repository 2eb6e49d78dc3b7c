//! Times shown relative ("5 minutes ago"), with the exact time on hover.

use domain::Timestamp;
use leptos::prelude::*;

use super::browser::now_ms;

#[component]
pub fn RelativeTime(at: Timestamp) -> impl IntoView {
    let exact = at.to_rfc3339();
    let relative = at.user_friendly(Timestamp(now_ms()));
    view! {
        <time datetime=exact.clone() title=exact>
            {relative}
        </time>
    }
}
