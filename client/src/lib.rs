//! A typed client for `/api/v1`, async on tokio, over rustls. It speaks the `api-types`
//! contract: requests and answers are its types, and a refusal is the server's error body
//! (code, message, field), never a parsed text. It depends on `domain` and `api-types` only.

mod error;
mod models;
mod review;
mod secrets;
mod web_login;
mod webhooks;

use std::path::Path;

use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use error::{ClientError, ClientResult};

/// One server, and the token the calls carry.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Client {
    /// A client for `server` (e.g. `https://strongbox.internal:8443`). `ca_file` names a PEM
    /// file of certificates to trust beside the system's, for a server behind an internal TLS
    /// proxy.
    pub fn new(server: &str, token: Option<String>, ca_file: Option<&Path>) -> ClientResult<Self> {
        let mut builder = reqwest::Client::builder().user_agent("strongbox-client");
        if let Some(path) = ca_file {
            let problem = |problem: String| ClientError::CaFile {
                path: path.to_owned(),
                problem,
            };
            let pem = std::fs::read(path).map_err(|e| problem(e.to_string()))?;
            let certificates =
                reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| problem(e.to_string()))?;
            if certificates.is_empty() {
                return Err(problem("no PEM certificate in it".to_owned()));
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let http = builder.build().map_err(|source| ClientError::Unreachable {
            server: server.to_owned(),
            source,
        })?;
        Ok(Client {
            base: server.trim_end_matches('/').to_owned(),
            token,
            http,
        })
    }

    /// The same server with another token.
    pub fn with_token(&self, token: String) -> Client {
        Client {
            token: Some(token),
            ..self.clone()
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Sends `request` and reads the answer as `T`, or the server's error body.
    async fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> ClientResult<T> {
        let (status, bytes) = self.exchange(request).await?;
        // An empty success (204) reads as JSON `null`, which `()` accepts.
        let text: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        serde_json::from_slice(text).map_err(|e| ClientError::Unexpected {
            status,
            problem: e.to_string(),
        })
    }

    /// Sends `request` and reads the answer as text (a CSV export), or the server's error body.
    async fn send_text(&self, request: RequestBuilder) -> ClientResult<String> {
        let (status, bytes) = self.exchange(request).await?;
        String::from_utf8(bytes).map_err(|e| ClientError::Unexpected {
            status,
            problem: e.to_string(),
        })
    }

    /// A successful answer's status and body; any other is the server's error body.
    async fn exchange(&self, request: RequestBuilder) -> ClientResult<(u16, Vec<u8>)> {
        let response = request
            .send()
            .await
            .map_err(|source| self.unreachable(source))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|source| self.unreachable(source))?;
        if status.is_success() {
            return Ok((status.as_u16(), bytes.to_vec()));
        }
        match serde_json::from_slice(&bytes) {
            Ok(body) => Err(ClientError::Api {
                status: status.as_u16(),
                body,
            }),
            Err(e) => Err(ClientError::Unexpected {
                status: status.as_u16(),
                problem: e.to_string(),
            }),
        }
    }

    async fn call<T: DeserializeOwned>(&self, method: Method, path: &str) -> ClientResult<T> {
        self.send(self.request(method, path)).await
    }

    async fn call_with<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> ClientResult<T> {
        self.send(self.request(method, path).json(body)).await
    }

    fn unreachable(&self, source: reqwest::Error) -> ClientError {
        ClientError::Unreachable {
            server: self.base.clone(),
            source,
        }
    }
}

/// One path segment, percent-encoded.
fn segment(text: &str) -> String {
    domain::url::encode_component(text)
}
