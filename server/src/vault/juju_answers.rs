//! The answers of the Vault surface Juju's backend speaks (ADR 0030), shaped as OpenBao 2.7.2
//! gives them where Juju or hvac read them (testkit/juju/openbao-2.7.2.json).

use backend::service::{IssuedVaultToken, JujuTokenHolder, KvValues};
use backend::store::{ModelRecord, VaultMountRecord, VaultPolicyRecord};
use domain::Timestamp;
use serde_json::{Map, Value, json};

use super::answers::envelope;

/// KV version 1 answers reads with Vault's default lease, 32 days.
const KV_LEASE_SECS: u64 = 768 * 3600;

pub fn key_status(installed: Timestamp) -> Value {
    let install_time = installed.to_rfc3339();
    let mut answer = envelope(json!({"term": 1, "install_time": install_time, "encryptions": 0}));
    answer["term"] = json!(1);
    answer["install_time"] = json!(install_time);
    answer
}

pub fn mounts(mounts: &[(VaultMountRecord, ModelRecord)]) -> Value {
    let data: Map<String, Value> = mounts
        .iter()
        .map(|(mount, model)| {
            let entry = json!({
                "accessor": format!("kv_{}", &model.uuid.0.simple().to_string()[..8]),
                "config": {"default_lease_ttl": 0, "force_no_cache": false, "max_lease_ttl": 0},
                "description": format!("Strongbox model {}", model.name),
                "external_entropy_access": false,
                "local": false,
                "options": {"version": "1"},
                "plugin_version": "",
                "running_plugin_version": "",
                "running_sha256": "",
                "seal_wrap": false,
                "type": "kv",
                "uuid": model.uuid.0.to_string(),
            });
            (format!("{}/", mount.path), entry)
        })
        .collect();
    envelope(Value::Object(data))
}

pub fn keys(keys: Vec<String>) -> Value {
    envelope(json!({ "keys": keys }))
}

pub fn policy(p: &VaultPolicyRecord) -> Value {
    envelope(json!({"name": p.name.as_str(), "policy": p.body}))
}

pub fn kv_read(values: KvValues) -> Value {
    let mut answer = envelope(json!(values));
    answer["lease_duration"] = json!(KV_LEASE_SECS);
    answer
}

/// A token made; `asked_ttl` is the TTL as the request gave it, which Vault's warning quotes
/// when it was cut to the maximum.
pub fn token_created(t: &IssuedVaultToken, asked_ttl: &Value) -> Value {
    let mut answer = envelope(Value::Null);
    if t.ttl_capped {
        let asked = asked_ttl
            .as_str()
            .map_or_else(|| asked_ttl.to_string(), str::to_owned);
        answer["warnings"] = json!([format!(
            "TTL of \"{asked}\" exceeded the effective max_ttl of \"768h\"; TTL value is capped accordingly"
        )]);
    }
    answer["auth"] = json!({
        "client_token": t.token.expose(),
        "accessor": t.accessor,
        "policies": t.policies,
        "token_policies": t.policies,
        "metadata": null,
        "lease_duration": t.lease_duration_secs,
        "renewable": false,
        "entity_id": "",
        "token_type": "service",
        "orphan": t.orphan,
        "mfa_requirement": null,
        "num_uses": 0,
    });
    answer
}

pub fn token_lookup(t: &JujuTokenHolder, presented: &str, now: Timestamp) -> Value {
    let policies = t.powers.reported();
    let ttl = t
        .expires_at
        .map(|e| (e.millis() - now.millis()).max(0) / 1000)
        .unwrap_or(0);
    envelope(json!({
        "accessor": t.accessor,
        "display_name": t.display_name,
        "entity_id": "",
        "expire_time": t.expires_at.map(Timestamp::to_rfc3339),
        "explicit_max_ttl": 0,
        "id": presented,
        "meta": null,
        "num_uses": 0,
        "path": "auth/token/create",
        "policies": policies,
        "renewable": false,
        "ttl": ttl,
        "type": "service",
    }))
}
