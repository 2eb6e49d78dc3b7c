//! What the state holds for a secret (its schema), and how a read brings it up to date.

use std::collections::BTreeMap;

use api_types::secrets::SecretDetailJson;
use serde::{Deserialize, Serialize};
use tf_provider::map;
use tf_provider::schema::{AttributeConstraint, AttributeType, Block, Schema};
use tf_provider::value::Value;

use crate::resource_kit::attribute;

#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
pub struct SecretState {
    pub model: Value<String>,
    pub name: Value<String>,
    pub value: Value<BTreeMap<String, String>>,
    /// Write-only: in the configuration only, null in every plan and state.
    pub value_wo: Value<BTreeMap<String, String>>,
    /// Bumped to send `value_wo` again.
    pub value_wo_version: Value<i64>,
    pub info: Value<String>,
    pub auto_prune: Value<bool>,
    pub secret_id: Value<String>,
    pub secret_uri: Value<String>,
    pub revision: Value<i64>,
}

pub fn schema() -> Schema {
    use AttributeConstraint::{Computed, Optional, OptionalComputed, Required};
    use AttributeType::{Bool, Map, Number, String};
    let content = "The key/value pairs; a key ending in #base64 takes a value already in base64.";
    let mut value = attribute(Map(Box::new(String)), Optional, content);
    value.sensitive = true;
    let mut value_wo = attribute(
        Map(Box::new(String)),
        Optional,
        "As `value`, but never stored in the plan or the state (Terraform 1.11 or newer); bump \
         `value_wo_version` to send it again.",
    );
    value_wo.sensitive = true;
    value_wo.write_only = true;
    Schema {
        version: 1,
        block: Block {
            description: "A user secret in a Strongbox model.".into(),
            attributes: map! {
                "model" => attribute(String, Required, "The model; changing it replaces the secret."),
                // Computed as well: a name dropped from the configuration stays as it is on the
                // server (no name can be removed), instead of a change planned for ever.
                "name" => attribute(String, OptionalComputed, "The secret's name; renamed in place."),
                "value" => value,
                "value_wo" => value_wo,
                "value_wo_version" => attribute(Number, Optional, "Bump it to send `value_wo` again."),
                "info" => attribute(String, Optional, "The description; empty clears it."),
                "auto_prune" => attribute(Bool, Optional, "Remove revisions no application tracks any more."),
                "secret_id" => attribute(String, Computed, "The secret's ID."),
                "secret_uri" => attribute(String, Computed, "secret:<ID>, as Juju writes it."),
                "revision" => attribute(Number, Computed, "The latest revision."),
            },
            ..Block::default()
        },
    }
}

/// `prior` brought up to date with what the server shows. An unset optional stays unset
/// while the server holds its default, so a plan after apply is empty.
pub fn observed(prior: SecretState, detail: SecretDetailJson) -> SecretState {
    let secret = detail.secret;
    let drifted = prior.revision != Value::Value(secret.revision);
    let info = match (&prior.info, secret.description.is_empty()) {
        (Value::Null, true) => Value::Null,
        _ => Value::Value(secret.description),
    };
    let auto_prune = match (&prior.auto_prune, secret.auto_prune) {
        (Value::Null, false) => Value::Null,
        _ => Value::Value(secret.auto_prune),
    };
    SecretState {
        name: secret
            .name
            .map_or(Value::Null, |n| Value::Value(n.to_string())),
        // A revision made elsewhere: the value is no longer the one in the state, or (written
        // write-only) the one the configured version sent.
        value: if drifted { Value::Null } else { prior.value },
        value_wo: Value::Null,
        value_wo_version: if drifted {
            Value::Null
        } else {
            prior.value_wo_version
        },
        info,
        auto_prune,
        secret_id: Value::Value(secret.id.to_string()),
        secret_uri: Value::Value(secret.uri.to_string()),
        revision: Value::Value(secret.revision),
        model: prior.model,
    }
}

pub fn text(v: &Value<String>) -> String {
    v.as_ref_option().cloned().unwrap_or_default()
}
