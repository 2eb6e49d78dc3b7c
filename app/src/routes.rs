//! The route table.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::Layout;
use crate::pages::{
    access::AccessPage, account::AccountPage, applications::ApplicationsPage, audit::AuditPage,
    login::LoginPage, models::ModelsPage, not_found::NotFound, secret::SecretPage,
    secrets::SecretsPage, users::UsersPage,
};

#[component]
pub fn App() -> impl IntoView {
    crate::provide_app_context();
    Effect::new(|_| crate::components::browser::mark_hydrated());
    // Async rendering: every page arrives complete, so it reads and works without JavaScript.
    let ssr = SsrMode::Async;
    view! {
        <Title text="Strongbox" />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage ssr=ssr.clone() />
                <ParentRoute path=path!("") view=Layout ssr=ssr.clone()>
                    <Route path=path!("") view=ModelsPage ssr=ssr.clone() />
                    <Route path=path!("/models") view=ModelsPage ssr=ssr.clone() />
                    <Route path=path!("/models/:model/secrets") view=SecretsPage ssr=ssr.clone() />
                    <Route path=path!("/models/:model/secrets/:id") view=SecretPage ssr=ssr.clone() />
                    <Route path=path!("/models/:model/applications") view=ApplicationsPage ssr=ssr.clone() />
                    <Route path=path!("/models/:model/access") view=AccessPage ssr=ssr.clone() />
                    <Route path=path!("/models/:model/audit") view=AuditPage ssr=ssr.clone() />
                    <Route path=path!("/admin/users") view=UsersPage ssr=ssr.clone() />
                    <Route path=path!("/account") view=AccountPage ssr=ssr.clone() />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
