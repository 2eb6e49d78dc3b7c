//! `strongbox login URL --web`: sign in by approving the command line in the dashboard.

use api_types::auth::{WebLoginCollect, WebLoginCollected, WebLoginRequest, WebLoginStarted};
use reqwest::Method;

use super::{Client, ClientResult};

impl Client {
    /// Asks the server for a sign-in to approve in the dashboard; the token will be `label`.
    pub async fn start_web_login(&self, label: &str) -> ClientResult<WebLoginStarted> {
        let body = WebLoginRequest {
            label: label.to_owned(),
        };
        self.call_with(Method::POST, "/login/web", &body).await
    }

    /// Whether the sign-in was approved: `pending` until it is, then the token, once.
    pub async fn collect_web_login(&self, poll_secret: &str) -> ClientResult<WebLoginCollected> {
        let body = WebLoginCollect {
            poll_secret: poll_secret.to_owned(),
        };
        self.call_with(Method::POST, "/login/web/collect", &body)
            .await
    }
}
