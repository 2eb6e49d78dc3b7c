//! Calls to `/api/v1`. A server error becomes its message, as the server worded it.

use serde_json::Value;

use super::{ClientConfig, ClientError, ClientResult};

pub struct Api {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

impl Api {
    pub fn new(base: &str, token: Option<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        Api {
            base: base.trim_end_matches('/').to_owned(),
            token,
            agent,
        }
    }

    pub fn from_config(config: &ClientConfig) -> ClientResult<Self> {
        Ok(Api::new(&config.server()?, Some(config.token()?)))
    }

    pub fn get(&self, path: &str) -> ClientResult<Value> {
        self.send("GET", path, None)
    }

    pub fn post(&self, path: &str, body: &Value) -> ClientResult<Value> {
        self.send("POST", path, Some(body))
    }

    pub fn patch(&self, path: &str, body: &Value) -> ClientResult<Value> {
        self.send("PATCH", path, Some(body))
    }

    pub fn delete(&self, path: &str) -> ClientResult<Value> {
        self.send("DELETE", path, None)
    }

    fn send(&self, method: &str, path: &str, body: Option<&Value>) -> ClientResult<Value> {
        let url = format!("{}/api/v1{path}", self.base);
        let unreachable =
            |e: ureq::Error| ClientError::new(format!("cannot reach {}: {e}", self.base));
        let auth = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let response = match (method, body) {
            ("GET", _) => with_auth(self.agent.get(&url), auth.as_deref()).call(),
            ("DELETE", _) => with_auth(self.agent.delete(&url), auth.as_deref()).call(),
            ("PATCH", Some(b)) => with_auth(self.agent.patch(&url), auth.as_deref()).send_json(b),
            (_, b) => with_auth(self.agent.post(&url), auth.as_deref())
                .send_json(b.cloned().unwrap_or(Value::Null)),
        }
        .map_err(unreachable)?;
        let status = response.status().as_u16();
        let text = response.into_body().read_to_string().map_err(unreachable)?;
        let value: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        if (200..300).contains(&status) {
            Ok(value)
        } else {
            let message = value["message"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("the server answered {status}"));
            Err(ClientError::new(message))
        }
    }
}

fn with_auth<B>(req: ureq::RequestBuilder<B>, auth: Option<&str>) -> ureq::RequestBuilder<B> {
    match auth {
        Some(a) => req.header("Authorization", a),
        None => req,
    }
}

pub use domain::url::encode_component as encode;
