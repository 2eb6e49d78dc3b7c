//! `/account`: the signed-in person's personal access tokens, for scripts and the CLI. A new
//! token is shown once, right after it is made.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::tokens::{CreateMyToken, RevokeMyToken, my_tokens};
use crate::components::error_view::{ErrorView, FieldError, last_error};
use crate::components::return_here::ReturnHere;
use crate::components::shown_once::ShownOnce;
use crate::components::time::RelativeTime;

#[component]
pub fn AccountPage() -> impl IntoView {
    let create = ServerAction::<CreateMyToken>::new();
    let revoke = ServerAction::<RevokeMyToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| my_tokens(),
    );
    let error = {
        let (c, r) = (last_error(create.value()), last_error(revoke.value()));
        Signal::derive(move || c.get().or(r.get()).map(|e| e.to_string()))
    };
    view! {
        <Title text="Your tokens · Strongbox" />
        <h1>"Personal access tokens"</h1>
        <p class="hint">"A token acts as you in the API and the command line, with your access in each model. "
            "`strongbox login` makes one for you."</p>
        <FieldError message=error />
        {move || create.value().get().and_then(Result::ok).map(|t| {
            view! { <ShownOnce heading="New token".to_owned() value=t.token /> }
        })}
        <ActionForm action=create attr:class="inline-form card">
            <ReturnHere />
            <label>"Label" <input name="label" placeholder="laptop" /></label>
            <button type="submit" class="button primary">"Create token"</button>
        </ActionForm>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">"You have no personal tokens."</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="table">
                            <thead><tr><th>"Label"</th><th>"Created"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|t| {
                                    let label = if t.label.is_empty() { format!("token {}", t.id) } else { t.label.clone() };
                                    let aria = format!("Revoke {label}");
                                    view! {
                                        <tr>
                                            <td>{label}</td>
                                            <td><RelativeTime at=t.created /></td>
                                            <td class="row-actions">
                                                <ActionForm action=revoke attr:class="inline">
                                                    <ReturnHere />
                                                    <input type="hidden" name="token" value=t.id.to_string() />
                                                    <button type="submit" class="button small" aria-label=aria>"Revoke"</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
