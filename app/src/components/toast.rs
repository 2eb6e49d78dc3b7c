//! Short confirmations after an action ("Secret updated"), announced to screen readers.

use leptos::prelude::*;
use std::time::Duration;

const SHOWN_FOR: Duration = Duration::from_secs(4);

#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Vec<(u64, String)>>);

impl Toasts {
    pub fn show(self, message: impl Into<String>) {
        let id = self
            .0
            .with_untracked(|t| t.last().map_or(0, |(id, _)| id + 1));
        self.0.update(|t| t.push((id, message.into())));
        let list = self.0;
        set_timeout(
            move || list.update(|t| t.retain(|(i, _)| *i != id)),
            SHOWN_FOR,
        );
    }
}

/// Provides the toasts for the pages below and renders them.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = Toasts(RwSignal::new(Vec::new()));
    provide_context(toasts);
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.0.get() key=|(id, _)| *id let:toast>
                <div class="toast">{toast.1}</div>
            </For>
        </div>
    }
}

/// Shows `message` whenever the action succeeds.
pub fn toast_on_success<T, S>(value: S, message: &'static str)
where
    T: 'static,
    S: Get<Value = Option<Result<T, crate::error::AppError>>> + Send + Sync + 'static,
{
    if let Some(toasts) = use_context::<Toasts>() {
        Effect::new(move |_| {
            if matches!(value.get(), Some(Ok(_))) {
                toasts.show(message);
            }
        });
    }
}
