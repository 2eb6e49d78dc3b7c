//! `/approve-cli?code=…`: the person checks that the code here is the one their terminal shows,
//! then approves the command line (it receives a personal token of theirs) or denies it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::cli_sign_in::{DecideCliSignIn, cli_sign_in};
use crate::components::error_view::{ErrorView, FieldError, last_error};
use crate::components::return_here::ReturnHere;
use crate::components::time::RelativeTime;

#[component]
pub fn ApproveCliPage() -> impl IntoView {
    crate::components::browser::mark_hydrated_when_mounted();
    let decide = ServerAction::<DecideCliSignIn>::new();
    let query = use_query_map();
    let code = move || query.read().get("code").unwrap_or_default();
    let request = Resource::new(code, cli_sign_in);
    let error = {
        let e = last_error(decide.value());
        Signal::derive(move || e.get().map(|e| e.to_string()))
    };
    let decided = move || decide.value().get().and_then(Result::ok);
    view! {
        <Title text="Approve a command line · Strongbox" />
        <h1>"Approve a command-line sign-in"</h1>
        <FieldError message=error />
        {move || decided().map(|approved| if approved {
            view! { <p class="note" role="status">"Approved. The command line is signed in as you; you can close this page."</p> }.into_any()
        } else {
            view! { <p class="note" role="status">"Denied. The command line was not signed in."</p> }.into_any()
        })}
        <Show when=move || decided().is_none()>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match request.await {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(r) => {
                            let (shown, approve_code, deny_code) = (r.code.clone(), r.code.clone(), r.code);
                            view! {
                            <div class="card">
                                <p>"A command line asks to sign in as you, as “" <strong>{r.label.clone()}</strong> "”, "
                                    <RelativeTime at=r.requested /> "."</p>
                                <p>"Check that your terminal shows this code:"</p>
                                <p class="cli-code" aria-label="Code">{shown}</p>
                                <p class="hint">"Approve only if you started " <code>"strongbox login --web"</code>
                                    " yourself, just now. The command line receives a personal token that acts as you; "
                                    "you can revoke it under " <a href="/account">"Your tokens"</a> "."</p>
                                <div class="actions">
                                    {decision_form(decide, approve_code, true)}
                                    {decision_form(decide, deny_code, false)}
                                </div>
                            </div>
                        }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Show>
    }
}

/// The Approve or Deny button for `code`.
fn decision_form(
    decide: ServerAction<DecideCliSignIn>,
    code: String,
    approve: bool,
) -> impl IntoView {
    let (text, class) = if approve {
        ("Approve", "button primary")
    } else {
        ("Deny", "button")
    };
    view! {
        <ActionForm action=decide attr:class="inline">
            <ReturnHere />
            <input type="hidden" name="code" value=code />
            <input type="hidden" name="approve" value=approve.to_string() />
            <button type="submit" class=class>{text}</button>
        </ActionForm>
    }
}
