//! The frame of every signed-in page: the bar with the product, the models link, the user and
//! the sign-out button.

use leptos::prelude::*;

use crate::components::return_here::ReturnHere;
use leptos_router::components::{A, Outlet};

use crate::api::auth::{Logout, whoami};
use crate::components::toast::ToastRegion;
use crate::types::Me;

/// Who is signed in, for pages that show or hide things by it.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Me, crate::error::AppError>>);

#[component]
pub fn Layout() -> impl IntoView {
    let me = Resource::new(|| (), |()| whoami());
    provide_context(CurrentUser(me));
    let logout = ServerAction::<Logout>::new();
    view! {
            <header class="topbar">
                <A href="/models" attr:class="brand">
                    "Strongbox"
                </A>
                <nav aria-label="Main">
                    <A href="/models">"Models"</A>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            me.await.ok().filter(|me| me.superuser).map(|_| view! { <A href="/admin/users">"Users"</A> })
                        })}
                    </Suspense>
                </nav>
                <div class="spacer"></div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        me.await.ok().map(|me| view! { <A href="/account" attr:class="whoami" attr:title="Your tokens">{me.name}</A> })
                    })}
                </Suspense>
                <ActionForm action=logout>
    <ReturnHere />
                    <button type="submit" class="button subtle">
                        "Sign out"
                    </button>
                </ActionForm>
            </header>
            <main class="page">
                <ToastRegion />
            <Outlet />
            </main>
        }
}
