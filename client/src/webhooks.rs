//! An application's webhook.

use api_types::webhooks::{WebhookBody, WebhookJson, WebhookSetJson};
use reqwest::Method;

use super::{Client, ClientResult, segment};

impl Client {
    /// Sets the application's webhook; the answer carries the signing secret, this once.
    pub async fn set_webhook(
        &self,
        model: &str,
        application: &str,
        url: &str,
    ) -> ClientResult<WebhookSetJson> {
        let body = WebhookBody {
            url: url.to_owned(),
        };
        self.call_with(Method::PUT, &webhook_path(model, application), &body)
            .await
    }

    pub async fn webhook(&self, model: &str, application: &str) -> ClientResult<WebhookJson> {
        self.call(Method::GET, &webhook_path(model, application))
            .await
    }

    /// Starts a disabled webhook again from the event it stopped at.
    pub async fn enable_webhook(
        &self,
        model: &str,
        application: &str,
    ) -> ClientResult<WebhookJson> {
        let path = format!("{}/enable", webhook_path(model, application));
        self.call(Method::POST, &path).await
    }

    pub async fn remove_webhook(&self, model: &str, application: &str) -> ClientResult<()> {
        self.call(Method::DELETE, &webhook_path(model, application))
            .await
    }
}

fn webhook_path(model: &str, application: &str) -> String {
    format!(
        "/models/{}/applications/{}/webhook",
        segment(model),
        segment(application)
    )
}
