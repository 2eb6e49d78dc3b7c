//! Makes the tokens and finds (or writes) the secrets a plan reads, through each system's own
//! API, as an operator would.

use rand::SeedableRng as _;
use rand::seq::SliceRandom as _;
use serde_json::{Value, json};

use super::{Call, Plan, Shape, Target};
use crate::fail;

async fn call(client: &reqwest::Client, url: &str, header: (&str, &str), c: &Call) -> Value {
    let method =
        reqwest::Method::from_bytes(c.method.as_bytes()).unwrap_or_else(|_| fail("method"));
    let mut request = client
        .request(method, format!("{url}{}", c.path))
        .header(header.0, header.1);
    if let Some(body) = &c.body {
        request = request
            .header("content-type", "application/json")
            .body(body.clone());
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| fail(&e.to_string()));
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        fail(&format!("{} {}: {status} {text}", c.method, c.path));
    }
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn get(path: String) -> Call {
    Call {
        method: "GET".into(),
        path,
        body: None,
    }
}

fn with_body(method: &str, path: String, body: Value) -> Call {
    Call {
        method: method.into(),
        path,
        body: Some(body.to_string()),
    }
}

/// Popularity is not the name order: the same seeded shuffle for both systems.
fn shuffled<T>(mut items: Vec<T>) -> Vec<T> {
    items.shuffle(&mut rand::rngs::StdRng::seed_from_u64(28));
    items
}

/// The seeded model `bench` (bench/seed): secret `service-NNNNNN-password` is granted to
/// application `app{NNNNNN % applications + 1}`. Tokens are made for every application.
pub async fn strongbox(url: &str, personal: &str, shape: &Shape) -> Plan {
    let client = reqwest::Client::new();
    let auth = format!("Bearer {personal}");
    let header = ("authorization", auth.as_str());
    let apps = shape.applications;
    let mut tokens: Vec<Vec<String>> = vec![Vec::new(); apps];
    for t in 0..shape.tokens {
        let app = t % apps;
        let path = format!("/api/v1/models/bench/applications/app{:02}/tokens", app + 1);
        let made = call(
            &client,
            url,
            header,
            &with_body("POST", path, json!({"label": format!("mixed-{t}")})),
        )
        .await;
        tokens[app].push(
            made["token"]
                .as_str()
                .unwrap_or_else(|| fail("no token"))
                .to_owned(),
        );
    }
    let mut secrets = Vec::new();
    let mut after: Option<String> = None;
    while secrets.len() < shape.secrets {
        let mut path = "/api/v1/models/bench/secrets?limit=500".to_owned();
        if let Some(a) = &after {
            path.push_str(&format!("&after={a}"));
        }
        let page = call(&client, url, header, &get(path)).await;
        for item in page["items"].as_array().unwrap_or_else(|| fail("no items")) {
            let (Some(id), Some(name)) = (item["id"].as_str(), item["name"].as_str()) else {
                continue;
            };
            let Some(i) = name
                .strip_prefix("service-")
                .and_then(|n| n.get(..6)?.parse::<usize>().ok())
            else {
                continue;
            };
            secrets.push((id.to_owned(), i));
        }
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    secrets.truncate(shape.secrets);
    let mut grant_changes = Vec::new();
    for (id, i) in secrets.iter().take(50) {
        // An application that does not read it through the workload's tokens.
        let other = json!({"applications": [format!("app{:02}", (i + apps / 2) % apps + 1)]});
        grant_changes.push(with_body(
            "POST",
            format!("/api/v1/models/bench/secrets/{id}/grant"),
            other.clone(),
        ));
        grant_changes.push(with_body(
            "POST",
            format!("/api/v1/models/bench/secrets/{id}/revoke"),
            other,
        ));
    }
    // Steady state, as in production: each application has read (and so tracks) its secrets
    // once. The workload's reads then move no tracking; its updates put readers behind.
    for start in (0..secrets.len()).step_by(16) {
        let batch: Vec<_> = secrets[start..(start + 16).min(secrets.len())]
            .iter()
            .map(|(id, i)| {
                let (client, url) = (client.clone(), url.to_owned());
                let auth = format!("Bearer {}", tokens[i % apps][0]);
                let read = get(format!("/api/v1/app/secrets/{id}"));
                tokio::spawn(
                    async move { call(&client, &url, ("authorization", &auth), &read).await },
                )
            })
            .collect();
        for read in batch {
            let _ = read.await;
        }
    }
    let secrets = secrets
        .into_iter()
        .map(|(id, i)| Target {
            read: format!("/api/v1/app/secrets/{id}"),
            tokens: tokens[i % apps].clone(),
            update: with_body(
                "PATCH",
                format!("/api/v1/models/bench/secrets/{id}"),
                json!({"content": {"password": "v{n}"}}),
            ),
        })
        .collect();
    Plan {
        url: url.to_owned(),
        token_header: "authorization".into(),
        token_prefix: "Bearer ".into(),
        secrets: shuffled(secrets),
        admin_token: personal.to_owned(),
        grant_changes,
    }
}

/// KV v2 at `secret/`: secret i at `bench/appN/sI`, readable by a policy per application (the
/// way Vault users give each application its prefix), tokens with that policy.
pub async fn openbao(url: &str, root: &str, shape: &Shape) -> Plan {
    let client = reqwest::Client::new();
    let header = ("x-vault-token", root);
    let apps = shape.applications;
    for app in 1..=apps {
        let policy =
            format!("path \"secret/data/bench/app{app}/*\" {{ capabilities = [\"read\"] }}");
        let path = format!("/v1/sys/policies/acl/app{app}");
        call(
            &client,
            url,
            header,
            &with_body("PUT", path, json!({"policy": policy})),
        )
        .await;
    }
    let mut tokens: Vec<Vec<String>> = vec![Vec::new(); apps];
    for t in 0..shape.tokens {
        let app = t % apps;
        let body = json!({"policies": [format!("app{}", app + 1)], "ttl": "24h"});
        let made = call(
            &client,
            url,
            header,
            &with_body("POST", "/v1/auth/token/create".into(), body),
        )
        .await;
        let token = made["auth"]["client_token"]
            .as_str()
            .unwrap_or_else(|| fail("no token"));
        tokens[app].push(token.to_owned());
    }
    let path_of = |i: usize| format!("bench/app{}/s{i}", i % apps + 1);
    // Sixteen writes at a time.
    for start in (0..shape.secrets).step_by(16) {
        let batch: Vec<_> = (start..(start + 16).min(shape.secrets))
            .map(|i| {
                let (client, url, root) = (client.clone(), url.to_owned(), root.to_owned());
                let body = json!({"data": {"password": format!("s{i}")}});
                let put = with_body("POST", format!("/v1/secret/data/{}", path_of(i)), body);
                tokio::spawn(
                    async move { call(&client, &url, ("x-vault-token", &root), &put).await },
                )
            })
            .collect();
        for write in batch {
            let _ = write.await;
        }
    }
    let grant_changes = (0..50)
        .flat_map(|i| {
            let rule = format!(
                "path \"secret/data/{}\" {{ capabilities = [\"read\"] }}",
                path_of(i)
            );
            let name = format!("/v1/sys/policies/acl/grant{}", i % 5);
            [
                with_body("PUT", name.clone(), json!({"policy": rule})),
                with_body(
                    "PUT",
                    name,
                    json!({"policy": "path \"secret/data/none\" { capabilities = [\"deny\"] }"}),
                ),
            ]
        })
        .collect();
    let secrets = (0..shape.secrets)
        .map(|i| Target {
            read: format!("/v1/secret/data/{}", path_of(i)),
            tokens: tokens[i % apps].clone(),
            update: with_body(
                "POST",
                format!("/v1/secret/data/{}", path_of(i)),
                json!({"data": {"password": "v{n}"}}),
            ),
        })
        .collect();
    Plan {
        url: url.to_owned(),
        token_header: "x-vault-token".into(),
        token_prefix: String::new(),
        secrets: shuffled(secrets),
        admin_token: root.to_owned(),
        grant_changes,
    }
}
