//! `strongbox import vault --address URL --mount M [--path P] [--all-versions]`: a Vault or
//! OpenBao KV v2 mount, walked with LIST on its metadata, each secret read (every version
//! still there with `--all-versions`, oldest first), and sent to the same import as `import
//! juju`. The token comes from VAULT_TOKEN or BAO_TOKEN, as the `vault` and `bao` CLIs take it.

use std::collections::BTreeMap;

use api_types::import::ImportSecret;
use api_types::secrets::ContentInput;
use serde_json::Value;

use super::{ClientError, ClientResult};

pub struct VaultMount {
    http: reqwest::Client,
    address: String,
    token: String,
    mount: String,
}

/// A secret's path in the mount as a Strongbox name: `team/db` is `team-db`. A name that
/// breaks Strongbox's rules is refused by the server, naming the rule.
fn name_of(path: &str) -> String {
    path.trim_matches('/').replace('/', "-")
}

/// A Vault value as Strongbox content: text as it is, anything else as its JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl VaultMount {
    pub fn new(address: &str, mount: &str) -> ClientResult<Self> {
        let token = ["VAULT_TOKEN", "BAO_TOKEN"]
            .into_iter()
            .find_map(|v| std::env::var(v).ok().filter(|t| !t.is_empty()))
            .ok_or_else(|| {
                ClientError::new(
                    "set VAULT_TOKEN (or BAO_TOKEN) to a token that may list and read the mount",
                )
            })?;
        let http = reqwest::Client::builder()
            .user_agent("strongbox-import")
            .build()
            .map_err(|e| ClientError::new(e.to_string()))?;
        Ok(VaultMount {
            http,
            address: address.trim_end_matches('/').to_owned(),
            token,
            mount: mount.trim_matches('/').to_owned(),
        })
    }

    /// `GET /v1/{mount}/{path}`: the body, or `None` for a 404.
    async fn get(&self, path: &str) -> ClientResult<Option<Value>> {
        let url = format!("{}/v1/{}/{path}", self.address, self.mount);
        let answer = self
            .http
            .get(&url)
            .header("X-Vault-Token", &self.token)
            .send()
            .await
            .map_err(|e| ClientError::new(format!("cannot reach {}: {e}", self.address)))?;
        let status = answer.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(ClientError::new(format!(
                "{url}: {status}: {}",
                body["errors"]
            )));
        }
        Ok(Some(body))
    }

    /// Every secret's path under `start`, depth first, in name order.
    pub async fn walk(&self, start: &str) -> ClientResult<Vec<String>> {
        let mut found = Vec::new();
        let mut folders = vec![start.trim_matches('/').to_owned()];
        while let Some(folder) = folders.pop() {
            let listed = self.get(&format!("metadata/{folder}?list=true")).await?;
            let Some(listed) = listed else {
                // Not a folder: the path names one secret.
                if !folder.is_empty() {
                    found.push(folder);
                }
                continue;
            };
            let prefix = if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            };
            let mut keys: Vec<String> = listed["data"]["keys"]
                .as_array()
                .map(|k| {
                    k.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            keys.sort();
            for key in keys.into_iter().rev() {
                match key.strip_suffix('/') {
                    Some(sub) => folders.push(format!("{prefix}{sub}")),
                    None => found.push(format!("{prefix}{key}")),
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// One secret with its versions (all still there, or the latest), oldest first.
    pub async fn secret(
        &self,
        path: &str,
        all_versions: bool,
    ) -> ClientResult<Option<ImportSecret>> {
        let Some(metadata) = self.get(&format!("metadata/{path}")).await? else {
            return Ok(None);
        };
        let mut versions: Vec<i64> = metadata["data"]["versions"]
            .as_object()
            .map(|v| {
                v.iter()
                    .filter(|(_, m)| {
                        m["destroyed"] != Value::Bool(true)
                            && m["deletion_time"].as_str().unwrap_or_default().is_empty()
                    })
                    .filter_map(|(n, _)| n.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        versions.sort_unstable();
        if !all_versions {
            versions = versions.last().copied().into_iter().collect();
        }
        let mut revisions = Vec::new();
        for version in versions {
            let Some(read) = self.get(&format!("data/{path}?version={version}")).await? else {
                continue;
            };
            let values: BTreeMap<String, String> = read["data"]["data"]
                .as_object()
                .map(|d| d.iter().map(|(k, v)| (k.clone(), text_of(v))).collect())
                .unwrap_or_default();
            revisions.push(ContentInput {
                content: values,
                content_base64: BTreeMap::new(),
            });
        }
        if revisions.is_empty() {
            return Ok(None);
        }
        Ok(Some(ImportSecret {
            name: name_of(path),
            description: String::new(),
            origin: format!("{}/{path}", self.mount),
            revisions,
        }))
    }
}
