//! `/models`: the models the user can see, with their level in each.

use leptos::prelude::*;

use crate::components::return_here::ReturnHere;
use leptos_meta::Title;

use crate::api::models::{CreateModel, list_models};
use crate::components::error_view::{ErrorView, FieldError, last_error};
use crate::components::layout::CurrentUser;
use crate::components::time::RelativeTime;

#[component]
pub fn ModelsPage() -> impl IntoView {
    let create = ServerAction::<CreateModel>::new();
    let models = Resource::new(move || create.version().get(), |_| list_models());
    let CurrentUser(me) = expect_context::<CurrentUser>();
    let name_error = {
        let error = last_error(create.value());
        Signal::derive(move || error.get().map(|e| e.to_string()))
    };
    view! {
            <Title text="Models · Strongbox" />
            <h1>"Models"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match models.await {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">"You are not a member of any model yet. Ask an administrator to add you."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <table class="table">
                                <thead><tr><th>"Model"</th><th>"Your access"</th><th>"Created"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|m| view! {
                                        <tr>
                                            <td><a href=format!("/models/{}", m.name)>{m.name.clone()}</a></td>
                                            <td><span class=format!("badge level-{}", m.access)>{m.access.to_string()}</span></td>
                                            <td><RelativeTime at=m.created /></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    me.await.ok().filter(|me| me.superuser).map(|_| view! {
                        <section class="card">
                            <h2>"Create a model"</h2>
                            <ActionForm action=create attr:class="inline-form">
    <ReturnHere />
                                <label>"Name" <input name="name" required pattern="[a-z0-9][a-z0-9-]*" maxlength="63" /></label>
                                <button type="submit" class="button primary">"Create model"</button>
                            </ActionForm>
                            <FieldError message=name_error />
                        </section>
                    })
                })}
            </Suspense>
        }
}
