//! The provider block: where the server is, the token, and a CA file for an internal TLS
//! proxy, each from the configuration or else from the variable the CLI reads.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use strongbox_client::{Client, ClientError};
use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, DynamicDataSource, DynamicResource, Provider, map};

use crate::access::AccessResource;
use crate::application::ApplicationResource;
use crate::diagnose::error;
use crate::secret::SecretResource;
use crate::secret_data::SecretDataSource;

/// The client, set once `configure` has run. Terraform asks for the resources before it
/// configures the provider, so they share this cell.
pub type Shared = Arc<OnceLock<Client>>;

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

/// One schema attribute.
pub fn attribute(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    description: &str,
) -> Attribute {
    Attribute {
        attr_type,
        description: description.to_owned().into(),
        constraint,
        ..Attribute::default()
    }
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

/// The configured client; before `configure` (which Terraform never allows) it is an error.
pub fn client<'c>(shared: &'c Shared, diags: &mut Diagnostics) -> Option<&'c Client> {
    let client = shared.get();
    if client.is_none() {
        error(diags, "The provider is not configured", "", None);
    }
    client
}

/// The attributes, among `(name, before, after)`, whose change means a new object: the paths
/// a plan returns as "requires replace".
pub fn replaced(changes: &[(&'static str, &Value<String>, &Value<String>)]) -> Vec<AttributePath> {
    changes
        .iter()
        .filter(|(_, before, after)| before != after)
        .map(|(name, _, _)| AttributePath::new(*name))
        .collect()
}
