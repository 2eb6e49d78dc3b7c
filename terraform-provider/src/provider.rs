//! The provider block: where the server is, the token, and a CA file for an internal TLS
//! proxy, each from the configuration or else from the variable the CLI reads.

use std::collections::HashMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use strongbox_client::{Client, ClientError};
use tf_provider::schema::{AttributeConstraint, AttributeType, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{Diagnostics, DynamicDataSource, DynamicResource, Provider, map};

use crate::access::AccessResource;
use crate::application::ApplicationResource;
use crate::diagnose::error;
use crate::resource_kit::{Shared, attribute};
use crate::secret::SecretResource;
use crate::secret_data::SecretDataSource;

#[derive(Default)]
pub struct Strongbox {
    client: Shared,
}

#[derive(Serialize, Deserialize, Default)]
pub struct Config {
    url: Value<String>,
    token: Value<String>,
    ca_file: Value<String>,
}

/// The configured value, else the environment variable's, else `None`.
fn setting(configured: Value<String>, variable: &str) -> Option<String> {
    configured
        .as_option()
        .or_else(|| std::env::var(variable).ok())
        .filter(|v| !v.is_empty())
}

#[async_trait]
impl Provider for Strongbox {
    type Config<'a> = Config;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        use AttributeConstraint::Optional;
        let mut token = attribute(
            AttributeType::String,
            Optional,
            "A personal access token (`strongbox login` makes one). Default: STRONGBOX_TOKEN.",
        );
        token.sensitive = true;
        Some(Schema {
            version: 1,
            block: Block {
                description: "Strongbox: secrets, grants and applications as code.".into(),
                attributes: map! {
                    "url" => attribute(AttributeType::String, Optional, "The server, e.g. https://strongbox.internal. Default: STRONGBOX_SERVER."),
                    "token" => token,
                    "ca_file" => attribute(AttributeType::String, Optional, "A PEM file of certificates to trust beside the system's. Default: STRONGBOX_CA_FILE."),
                },
                ..Block::default()
            },
        })
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        _terraform_version: String,
        config: Config,
    ) -> Option<()> {
        let Some(url) = setting(config.url, "STRONGBOX_SERVER") else {
            let detail = "Set `url` in the provider block or the STRONGBOX_SERVER variable.";
            error(diags, "No Strongbox server", detail, Some("url"));
            return None;
        };
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            let detail = format!(
                "`url` (or STRONGBOX_SERVER) must start with https:// or http://, not {url:?}."
            );
            error(diags, "Not a server URL", detail, Some("url"));
            return None;
        }
        let Some(token) = setting(config.token, "STRONGBOX_TOKEN") else {
            let detail = "Set `token` in the provider block or the STRONGBOX_TOKEN variable.";
            error(diags, "No Strongbox token", detail, Some("token"));
            return None;
        };
        let ca_file = setting(config.ca_file, "STRONGBOX_CA_FILE");
        let client = match Client::new(&url, Some(token), ca_file.as_deref().map(AsRef::as_ref)) {
            Ok(c) => c,
            Err(e) => {
                let detail = format!("{e} (`ca_file` or STRONGBOX_CA_FILE)");
                error(diags, "Unusable CA file", detail, Some("ca_file"));
                return None;
            }
        };
        // One cheap call, so a wrong URL or token is named here rather than on every resource.
        if let Err(e) = client.models().await {
            let (attribute, summary, variable) = match &e {
                ClientError::Api { status: 401, .. } => {
                    ("token", "Token refused", "STRONGBOX_TOKEN")
                }
                _ => ("url", "Cannot reach Strongbox", "STRONGBOX_SERVER"),
            };
            let detail = format!("{e} (`{attribute}` or {variable})");
            error(diags, summary, detail, Some(attribute));
            return None;
        }
        let _ = self.client.set(client);
        Some(())
    }

    fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(map! {
            "secret" => SecretResource::new(self.client.clone()),
            "access_secret" => AccessResource::new(self.client.clone()),
            "application" => ApplicationResource::new(self.client.clone()),
        })
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(map! {
            "secret" => SecretDataSource::new(self.client.clone()),
        })
    }
}
