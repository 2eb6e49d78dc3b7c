//! What the state holds for a secret, and how a read brings it up to date.

use std::collections::BTreeMap;

use api_types::secrets::SecretDetailJson;
use serde::{Deserialize, Serialize};
use tf_provider::value::Value;

#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
pub struct SecretState {
    pub model: Value<String>,
    pub name: Value<String>,
    pub value: Value<BTreeMap<String, String>>,
    pub info: Value<String>,
    pub auto_prune: Value<bool>,
    pub secret_id: Value<String>,
    pub secret_uri: Value<String>,
    pub revision: Value<i64>,
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
        name: secret.name.map_or(Value::Null, Value::Value),
        // A revision made elsewhere: the value is no longer the one in the state.
        value: if drifted { Value::Null } else { prior.value },
        info,
        auto_prune,
        secret_id: Value::Value(secret.id),
        secret_uri: Value::Value(secret.uri),
        revision: Value::Value(secret.revision),
        model: prior.model,
    }
}

pub fn text(v: &Value<String>) -> String {
    v.as_ref_option().cloned().unwrap_or_default()
}
