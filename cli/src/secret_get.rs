//! `secret-get`: an application reads a secret, as Juju's `secret-get`, and with `--watch`
//! goes on printing each new revision as the application's events announce it.

use api_types::applications::EventJson;
use api_types::secrets::ContentJson;
use domain::{EventKind, SecretId, SecretUri};
use strongbox_client::Client;

use super::connect::with_token;
use super::output::{Format, structured};
use super::{ClientConfig, ClientError, ClientResult, say};

/// How long one long poll waits for events.
const WATCH_WAIT: u32 = 30;

/// `--peek`, `--refresh`, `--watch`.
pub struct ReadHow {
    pub peek: bool,
    pub refresh: bool,
    pub watch: bool,
}

pub async fn secret_get(
    config: &ClientConfig,
    id: Option<String>,
    key: Option<String>,
    how: ReadHow,
    format: Format,
) -> ClientResult<String> {
    let id = id.ok_or_else(|| ClientError::new("require either a secret URI or label"))?;
    if how.peek && how.refresh {
        return Err(ClientError::new(
            "specify one of --peek or --refresh but not both",
        ));
    }
    if how.peek && how.watch {
        return Err(ClientError::new(
            "--watch follows the tracked revision; it cannot be used with --peek",
        ));
    }
    let token = std::env::var("STRONGBOX_APP_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ClientError::new("STRONGBOX_APP_TOKEN is not set: secret-get reads as an application")
        })?;
    let client = with_token(&config.server()?, Some(token), config.ca_file())?;
    let mode = if how.peek {
        Some("peek")
    } else if how.refresh {
        Some("refresh")
    } else {
        None
    };
    // The cursor comes first, so that a revision made during the first read is not missed.
    let cursor = match how.watch {
        true => Some(client.app_events(None, 0).await?.next),
        false => None,
    };
    let read = client.read_secret(&id, mode).await?;
    let text = render(&read, key.as_deref(), format)?;
    let Some(cursor) = cursor else {
        return Ok(text);
    };
    say(text.trim_end_matches('\n'));
    let watched = watched_id(&client, &id).await?;
    watch(&client, &id, &watched, read.revision, cursor, |read| {
        render(read, key.as_deref(), format)
    })
    .await
}

/// Prints each new revision until access is revoked or the secret removed (an error, so the
/// exit status tells), or the connection fails.
async fn watch(
    client: &Client,
    id: &str,
    watched: &SecretId,
    mut shown: i64,
    mut cursor: domain::EventCursor,
    render: impl Fn(&ContentJson) -> ClientResult<String>,
) -> ClientResult<String> {
    loop {
        let page = client.app_events(Some(&cursor), WATCH_WAIT).await?;
        cursor = page.next;
        let about: Vec<&EventJson> = page
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Resync || e.secret.as_ref() == Some(watched))
            .collect();
        for event in about {
            match event.kind {
                EventKind::AccessRevoked => {
                    return Err(ClientError::new(format!("access to {id} was revoked")));
                }
                EventKind::SecretRemoved => {
                    return Err(ClientError::new(format!("secret {id} was removed")));
                }
                // For the owner, to act on; a consumer's watch reads on.
                EventKind::SecretRotate
                | EventKind::SecretExpired
                | EventKind::RevisionObsolete => {}
                EventKind::SecretChanged | EventKind::Resync => {
                    let read = client.read_secret(id, Some("refresh")).await?;
                    if read.revision != shown {
                        shown = read.revision;
                        say(render(&read)?.trim_end_matches('\n'));
                    }
                }
            }
        }
    }
}

/// The ID events name: from the URI, or from the application's own secrets by label.
async fn watched_id(client: &Client, id: &str) -> ClientResult<SecretId> {
    if let Ok(uri) = SecretUri::parse(id) {
        return Ok(uri.id);
    }
    let own = client.readable_secrets().await?;
    own.into_iter()
        .find(|s| s.name.as_ref().is_some_and(|n| n.as_str() == id))
        .map(|s| s.id)
        .ok_or_else(|| ClientError::new(format!("secret \"{id}\" not found")))
}

fn render(read: &ContentJson, key: Option<&str>, format: Format) -> ClientResult<String> {
    match key {
        Some(k) => {
            let (name, values) = match k.strip_suffix("#base64") {
                Some(n) => (n, &read.content_base64),
                None => (k, &read.content),
            };
            values
                .get(name)
                .cloned()
                .ok_or_else(|| ClientError::new(format!("secret key value \"{name}\" not found")))
        }
        None => {
            let content =
                serde_json::to_value(&read.content).map_err(|e| ClientError::new(e.to_string()))?;
            structured(&content, format.structured())
        }
    }
}
