//! The route table.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

use crate::components::layout::Layout;
use crate::lazy_pages::{
    AccessRoute, AccountRoute, ApplicationRoute, ApplicationsRoute, AuditRoute, ModelsRoute,
    OverviewRoute, SecretRoute, SecretsRoute, UsersRoute,
};
use crate::pages::{approve_cli::ApproveCliPage, login::LoginPage, not_found::NotFound};

#[component]
pub fn App() -> impl IntoView {
    crate::provide_app_context();
    // Async rendering: every page arrives complete, so it reads and works without JavaScript.
    let ssr = SsrMode::Async;
    view! {
        <Title text="Strongbox" />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage ssr=ssr.clone() />
                <ParentRoute path=path!("") view=Layout ssr=ssr.clone()>
                    <Route path=path!("") view={Lazy::<ModelsRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/models") view={Lazy::<ModelsRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/models/:model") view={Lazy::<OverviewRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/models/:model/secrets") view={Lazy::<SecretsRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/models/:model/secrets/:id") view={Lazy::<SecretRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/models/:model/applications") view={Lazy::<ApplicationsRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/models/:model/applications/:app") view={Lazy::<ApplicationRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/models/:model/access") view={Lazy::<AccessRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/models/:model/audit") view={Lazy::<AuditRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/users") view={Lazy::<UsersRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=ssr.clone() />
                    <Route path=path!("/approve-cli") view=ApproveCliPage ssr=ssr.clone() />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
