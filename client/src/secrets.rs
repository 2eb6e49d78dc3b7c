//! The calls, one method per operation, named as python-libjuju and the CLI name them where
//! they have a name.

use api_types::auth::{LoginRequest, LoginResponse};
use api_types::secrets::{
    AddSecret, Applications, Changed, ContentJson, Created, ListParams, RevealRequest,
    SecretDetailJson, SecretPageJson, UpdateSecret, Updated,
};
use reqwest::Method;

use super::{Client, ClientResult, segment};

impl Client {
    /// A personal token for `username`, labelled `label` in their token list.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        label: &str,
    ) -> ClientResult<LoginResponse> {
        let body = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
            label: label.to_owned(),
        };
        self.call_with(Method::POST, "/login", &body).await
    }

    /// One page of a model's secrets.
    pub async fn list_secrets(
        &self,
        model: &str,
        query: &ListParams,
    ) -> ClientResult<SecretPageJson> {
        let path = format!("/models/{}/secrets", segment(model));
        self.send(self.request(Method::GET, &path).query(query))
            .await
    }

    pub async fn add_secret(&self, model: &str, secret: &AddSecret) -> ClientResult<Created> {
        let path = format!("/models/{}/secrets", segment(model));
        self.call_with(Method::POST, &path, secret).await
    }

    /// A secret's metadata, revisions and grants; `secret` is a name, an ID or a URI.
    pub async fn show_secret(&self, model: &str, secret: &str) -> ClientResult<SecretDetailJson> {
        self.call(Method::GET, &secret_path(model, secret)).await
    }

    pub async fn update_secret(
        &self,
        model: &str,
        secret: &str,
        update: &UpdateSecret,
    ) -> ClientResult<Updated> {
        self.call_with(Method::PATCH, &secret_path(model, secret), update)
            .await
    }

    /// Removes the secret, or only `revision` of it.
    pub async fn remove_secret(
        &self,
        model: &str,
        secret: &str,
        revision: Option<i64>,
    ) -> ClientResult<()> {
        let request = self.request(Method::DELETE, &secret_path(model, secret));
        let request = match revision {
            Some(r) => request.query(&[("revision", r)]),
            None => request,
        };
        self.send(request).await
    }

    /// An admin's audited read of a revision's content (the latest without `revision`).
    pub async fn reveal_secret(
        &self,
        model: &str,
        secret: &str,
        revision: Option<i64>,
    ) -> ClientResult<ContentJson> {
        let path = format!("{}/reveal", secret_path(model, secret));
        self.call_with(Method::POST, &path, &RevealRequest { revision })
            .await
    }

    /// Grants `applications` view on the secret; returns those that had no grant yet.
    pub async fn grant_secret(
        &self,
        model: &str,
        secret: &str,
        applications: &[String],
    ) -> ClientResult<Changed> {
        self.access(model, secret, "grant", applications).await
    }

    /// Revokes `applications`' view; returns those that had a grant.
    pub async fn revoke_secret(
        &self,
        model: &str,
        secret: &str,
        applications: &[String],
    ) -> ClientResult<Changed> {
        self.access(model, secret, "revoke", applications).await
    }

    async fn access(
        &self,
        model: &str,
        secret: &str,
        verb: &str,
        applications: &[String],
    ) -> ClientResult<Changed> {
        let path = format!("{}/{verb}", secret_path(model, secret));
        let body = Applications {
            applications: applications.to_vec(),
        };
        self.call_with(Method::POST, &path, &body).await
    }

    /// An application reads what it was granted (Juju's `secret-get`): the tracked revision,
    /// or with `mode` `peek` the latest, or with `refresh` the latest, tracked from now on.
    pub async fn read_secret(&self, secret: &str, mode: Option<&str>) -> ClientResult<ContentJson> {
        let path = format!("/app/secrets/{}", segment(secret));
        let request = self.request(Method::GET, &path);
        let request = match mode {
            Some(m) => request.query(&[("mode", m)]),
            None => request,
        };
        self.send(request).await
    }

    /// The secrets the calling application owns or was granted (`GET /app/secrets`).
    pub async fn readable_secrets(&self) -> ClientResult<Vec<api_types::secrets::SecretJson>> {
        self.call(Method::GET, "/app/secrets").await
    }

    /// The application's events after `since` (all new ones from now without it), waiting up
    /// to `wait` seconds for one (`GET /app/events`).
    pub async fn app_events(
        &self,
        since: Option<&domain::EventCursor>,
        wait: u32,
    ) -> ClientResult<api_types::applications::EventPageJson> {
        let mut request = self
            .request(Method::GET, "/app/events")
            .query(&[("wait", wait)]);
        if let Some(since) = since {
            request = request.query(&[("since", since.as_str())]);
        }
        self.send(request).await
    }
}

fn secret_path(model: &str, secret: &str) -> String {
    format!("/models/{}/secrets/{}", segment(model), segment(secret))
}
