//! Models, applications and the caller's own token.

use api_types::admin::{ApplicationJson, LabelBody, ModelCreated, NameBody, NewTokenJson};
use api_types::models::ModelJson;
use reqwest::Method;

use super::{Client, ClientResult, segment};

impl Client {
    /// The models the caller can see, with the caller's level in each.
    pub async fn models(&self) -> ClientResult<Vec<ModelJson>> {
        self.call(Method::GET, "/models").await
    }

    /// Creates a model (superusers).
    pub async fn add_model(&self, name: &str) -> ClientResult<ModelCreated> {
        let body = NameBody {
            name: name.to_owned(),
        };
        self.call_with(Method::POST, "/models", &body).await
    }

    /// The model's applications, with what each may read and its tokens.
    pub async fn applications(&self, model: &str) -> ClientResult<Vec<ApplicationJson>> {
        let path = format!("/models/{}/applications", segment(model));
        self.call(Method::GET, &path).await
    }

    pub async fn add_application(&self, model: &str, name: &str) -> ClientResult<()> {
        let path = format!("/models/{}/applications", segment(model));
        let body = NameBody {
            name: name.to_owned(),
        };
        self.call_with(Method::POST, &path, &body).await
    }

    /// Removes the application with its tokens, grants and own secrets.
    pub async fn remove_application(&self, model: &str, name: &str) -> ClientResult<()> {
        let path = format!("/models/{}/applications/{}", segment(model), segment(name));
        self.call(Method::DELETE, &path).await
    }

    /// A token for the application, returned this once.
    pub async fn create_application_token(
        &self,
        model: &str,
        application: &str,
        label: &str,
    ) -> ClientResult<NewTokenJson> {
        let body = LabelBody {
            label: label.to_owned(),
        };
        let path = tokens_path(model, application);
        self.call_with(Method::POST, &path, &body).await
    }

    /// Revokes one of the application's tokens.
    pub async fn revoke_application_token(
        &self,
        model: &str,
        application: &str,
        token: i64,
    ) -> ClientResult<()> {
        let path = format!("{}/{token}", tokens_path(model, application));
        self.call(Method::DELETE, &path).await
    }

    /// Revokes the token this client carries (logging out).
    pub async fn revoke_current_token(&self) -> ClientResult<()> {
        self.call(Method::DELETE, "/tokens/current").await
    }
}

fn tokens_path(model: &str, application: &str) -> String {
    format!(
        "/models/{}/applications/{}/tokens",
        segment(model),
        segment(application)
    )
}

impl Client {
    /// Imports secrets with their revisions into `model` (what `strongbox import` sends).
    pub async fn import_secrets(
        &self,
        model: &str,
        request: &api_types::import::ImportRequest,
    ) -> ClientResult<api_types::import::ImportReport> {
        let path = format!("/models/{}/import", segment(model));
        self.call_with(Method::POST, &path, request).await
    }
}
