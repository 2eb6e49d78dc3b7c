//! Each signed-in page as a lazy route: its code is split into a wasm chunk of its own, which the
//! browser fetches when the page is first shown (the server names it in a `modulepreload`). So
//! the sign-in page and the secrets table do not carry the admin pages (ADR 0012).
//!
//! Written out one by one: `#[lazy_route]` names each chunk by where it is written, so a
//! `macro_rules!` would give every page the same name.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::components::browser::mark_hydrated_when_mounted;

use crate::pages::{
    access::AccessPage, account::AccountPage, application::ApplicationPage,
    applications::ApplicationsPage, audit::AuditPage, model_overview::ModelOverviewPage,
    models::ModelsPage, secret::SecretPage, secrets::SecretsPage, users::UsersPage,
};

pub struct ModelsRoute;

#[lazy_route]
impl LazyRoute for ModelsRoute {
    fn data() -> Self {
        ModelsRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <ModelsPage /> })
    }
}

pub struct OverviewRoute;

#[lazy_route]
impl LazyRoute for OverviewRoute {
    fn data() -> Self {
        OverviewRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <ModelOverviewPage /> })
    }
}

pub struct SecretsRoute;

#[lazy_route]
impl LazyRoute for SecretsRoute {
    fn data() -> Self {
        SecretsRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <SecretsPage /> })
    }
}

pub struct SecretRoute;

#[lazy_route]
impl LazyRoute for SecretRoute {
    fn data() -> Self {
        SecretRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <SecretPage /> })
    }
}

pub struct ApplicationsRoute;

#[lazy_route]
impl LazyRoute for ApplicationsRoute {
    fn data() -> Self {
        ApplicationsRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <ApplicationsPage /> })
    }
}

pub struct ApplicationRoute;

#[lazy_route]
impl LazyRoute for ApplicationRoute {
    fn data() -> Self {
        ApplicationRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <ApplicationPage /> })
    }
}

pub struct AccessRoute;

#[lazy_route]
impl LazyRoute for AccessRoute {
    fn data() -> Self {
        AccessRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <AccessPage /> })
    }
}

pub struct AuditRoute;

#[lazy_route]
impl LazyRoute for AuditRoute {
    fn data() -> Self {
        AuditRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <AuditPage /> })
    }
}

pub struct UsersRoute;

#[lazy_route]
impl LazyRoute for UsersRoute {
    fn data() -> Self {
        UsersRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <UsersPage /> })
    }
}

pub struct AccountRoute;

#[lazy_route]
impl LazyRoute for AccountRoute {
    fn data() -> Self {
        AccountRoute
    }
    fn view(_this: Self) -> AnyView {
        routed(view! { <AccountPage /> })
    }
}

/// A lazy page's view, marked hydrated once it is.
fn routed(page: impl IntoView + 'static) -> AnyView {
    mark_hydrated_when_mounted();
    page.into_any()
}
