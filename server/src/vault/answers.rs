//! Vault's answer shapes, field for field as OpenBao 2.7.2 gives them
//! (docs/vault-golden/openbao-2.7.2-kv2-reads.txt), from Strongbox's records.

use backend::service::{RevealedContent, VaultMetadata};
use backend::store::{SecretOwner, TokenRecord};
use domain::Timestamp;
use serde_json::{Map, Value, json};

/// The envelope every successful answer has.
pub fn envelope(data: Value) -> Value {
    let request_id = backend::request_id::current().unwrap_or_else(backend::request_id::new_id);
    json!({
        "request_id": request_id,
        "lease_id": "",
        "renewable": false,
        "lease_duration": 0,
        "data": data,
        "wrap_info": null,
        "warnings": null,
        "auth": null,
    })
}

fn owner(owner: &SecretOwner) -> &'static str {
    match owner {
        SecretOwner::Model => "model",
        SecretOwner::Application(_) => "application",
    }
}

/// `GET /v1/{mount}/data/{path}`. Values are the decoded text; a value that is not UTF-8
/// is given in base64 and its key listed in `custom_metadata.base64_keys`.
pub fn kv_read(read: &RevealedContent) -> Value {
    let mut data = Map::new();
    let mut base64_keys = Vec::new();
    let encoded = read.content.encoded();
    for (key, bytes) in read.content.decoded() {
        let value = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                base64_keys.push(key.clone());
                encoded
                    .get(key.as_str())
                    .copied()
                    .unwrap_or_default()
                    .to_owned()
            }
        };
        data.insert(key, Value::String(value));
    }
    let mut custom = json!({
        "uri": read.secret.uri(),
        "owner": owner(&read.owner),
        "latest_revision": read.latest.get().to_string(),
        "tracked_revision": read.tracked.map(|r| r.get().to_string()).unwrap_or_default(),
    });
    if !base64_keys.is_empty() {
        custom["base64_keys"] = Value::String(base64_keys.join(","));
    }
    envelope(json!({
        "data": data,
        "metadata": {
            "created_time": read.created.to_rfc3339(),
            "custom_metadata": custom,
            "deletion_time": "",
            "destroyed": false,
            "version": read.revision.get(),
        },
    }))
}

/// `GET /v1/{mount}/metadata/{path}`: the versions there are, no content.
pub fn kv_metadata(m: &VaultMetadata) -> Value {
    let versions: Map<String, Value> = m
        .revisions
        .iter()
        .map(|r| {
            let version = json!({
                "created_time": r.created_at.to_rfc3339(),
                "deletion_time": "",
                "destroyed": false,
            });
            (r.revision.get().to_string(), version)
        })
        .collect();
    let oldest = m
        .revisions
        .iter()
        .map(|r| r.revision.get())
        .min()
        .unwrap_or(0);
    envelope(json!({
        "cas_required": false,
        "created_time": m.secret.created_at.to_rfc3339(),
        "current_metadata_version": 0,
        "current_version": m.secret.latest_revision.get(),
        "custom_metadata": {
            "uri": m.secret.id.uri(),
            "owner": owner(&m.secret.owner),
        },
        "delete_version_after": "0s",
        "max_versions": 0,
        "metadata_cas_required": false,
        "oldest_version": oldest,
        "updated_time": m.secret.updated_at.to_rfc3339(),
        "versions": versions,
    }))
}

/// `GET /v1/sys/internal/ui/mounts/{path}`: the one KV v2 mount.
pub fn mount(mount: &str) -> Value {
    envelope(json!({
        "accessor": format!("kv_{mount}"),
        "config": {"default_lease_ttl": 0, "force_no_cache": false, "max_lease_ttl": 0},
        "deprecation_status": "supported",
        "description": "Strongbox secrets: MODEL/SECRET, read by application tokens",
        "external_entropy_access": false,
        "local": false,
        "options": {"version": "2"},
        "path": format!("{mount}/"),
        "plugin_version": "",
        "running_plugin_version": "",
        "running_sha256": "",
        "seal_wrap": false,
        "type": "kv",
        "uuid": "",
    }))
}

/// What a token is, by its accessor (`token-ID`): never the token itself.
fn accessor(t: &TokenRecord) -> String {
    format!("token-{}", t.id.0)
}

/// `GET /v1/auth/token/lookup-self`. Strongbox tokens do not expire: `ttl` 0 and
/// `expire_time` null, as Vault says of a token without a TTL. `id` is the token the caller
/// presented, as in Vault: Vault Agent's `token_file` auto-auth takes the token it goes on
/// with from there (it sends the accessor otherwise, and every read is refused). The holder
/// learns nothing it did not send; the accessor names the token everywhere else.
pub fn token_lookup(t: &TokenRecord, holder: &str, presented: &str) -> Value {
    envelope(json!({
        "accessor": accessor(t),
        "creation_time": t.created_at.millis() / 1000,
        "creation_ttl": 0,
        "display_name": format!("token-{holder}"),
        "entity_id": "",
        "expire_time": null,
        "explicit_max_ttl": 0,
        "id": presented,
        "issue_time": t.created_at.to_rfc3339(),
        "meta": {"strongbox_application": holder, "label": t.label},
        "num_uses": 0,
        "orphan": true,
        "path": "auth/token/create",
        "policies": ["default"],
        "renewable": false,
        "ttl": 0,
        "type": "service",
    }))
}

/// `PUT /v1/auth/token/renew-self`: nothing to renew, as for a token without a TTL; the
/// `auth` block says so (lease 0, not renewable), and carries no token.
pub fn renewed(t: &TokenRecord) -> Value {
    let mut answer = envelope(Value::Null);
    answer["auth"] = json!({
        "client_token": "",
        "accessor": accessor(t),
        "policies": ["default"],
        "token_policies": ["default"],
        "metadata": null,
        "lease_duration": 0,
        "renewable": false,
        "entity_id": "",
        "token_type": "service",
        "orphan": true,
        "mfa_requirement": null,
        "num_uses": 0,
    });
    answer
}

/// `GET /v1/sys/health`: initialized, unsealed, active (every Strongbox node serves).
pub fn health(now: Timestamp) -> Value {
    json!({
        "initialized": true,
        "sealed": false,
        "standby": false,
        "replication_performance_mode": "disabled",
        "replication_dr_mode": "disabled",
        "server_time_utc": now.millis() / 1000,
        "version": env!("CARGO_PKG_VERSION"),
        "cluster_name": "strongbox",
        "cluster_id": "",
    })
}
