//! `data "strongbox_secret"`: a secret's metadata by name or ID, with read access only (the
//! juju provider's data source reveals, so it needs admin).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint, AttributeType, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics, map};

use crate::diagnose::{answered, error};
use crate::resource_kit::{Shared, attribute, client};

#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
pub struct SecretData {
    model: Value<String>,
    name: Value<String>,
    secret_id: Value<String>,
    secret_uri: Value<String>,
    revision: Value<i64>,
    info: Value<String>,
    owner: Value<String>,
}

pub struct SecretDataSource {
    client: Shared,
}

impl SecretDataSource {
    pub fn new(client: Shared) -> Self {
        SecretDataSource { client }
    }
}

#[async_trait]
impl DataSource for SecretDataSource {
    type State<'a> = SecretData;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        use AttributeConstraint::{Computed, OptionalComputed, Required};
        use AttributeType::{Number, String};
        Some(Schema {
            version: 1,
            block: Block {
                description: "A secret's metadata, found by name or ID.".into(),
                attributes: map! {
                    "model" => attribute(String, Required, "The model."),
                    "name" => attribute(String, OptionalComputed, "The secret's name (or give secret_id)."),
                    "secret_id" => attribute(String, OptionalComputed, "The secret's ID (or give name)."),
                    "secret_uri" => attribute(String, Computed, "secret:<ID>."),
                    "revision" => attribute(Number, Computed, "The latest revision."),
                    "info" => attribute(String, Computed, "The description."),
                    "owner" => attribute(String, Computed, "`model`, or the owning application."),
                },
                ..Block::default()
            },
        })
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: SecretData,
        _meta: ValueEmpty,
    ) -> Option<SecretData> {
        let client = client(&self.client, diags)?;
        let model = config.model.as_ref_option()?.clone();
        let wanted = match (
            config.secret_id.as_ref_option(),
            config.name.as_ref_option(),
        ) {
            (Some(id), None) => id.clone(),
            (None, Some(name)) => name.clone(),
            _ => {
                let detail = "Give exactly one of `name` and `secret_id`.";
                error(diags, "Which secret?", detail, Some("name"));
                return None;
            }
        };
        let shown = client.show_secret(&model, &wanted).await;
        let secret = answered(diags, "read the secret", shown)?.secret;
        Some(SecretData {
            model: Value::Value(model),
            name: secret
                .name
                .map_or(Value::Null, |n| Value::Value(n.to_string())),
            secret_id: Value::Value(secret.id.to_string()),
            secret_uri: Value::Value(secret.uri.to_string()),
            revision: Value::Value(secret.revision),
            info: Value::Value(secret.description),
            owner: Value::Value(secret.owner),
        })
    }
}
