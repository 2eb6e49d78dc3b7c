//! What `secrets` and `show-secret` print: Juju's `secretDisplayDetails`, its table, and the
//! detail view with revisions, grants and revealed content, fields in Juju's order.

use api_types::secrets::{ContentJson, SecretDetailJson, SecretJson};
use domain::RotatePolicy;
use serde_json::{Map, Value, json};

use super::ClientResult;
use super::output::{Format, structured, table};

fn owner_of(item: &SecretJson) -> String {
    match item.owner.as_str() {
        "model" => "<model>".to_owned(),
        app => app.to_owned(),
    }
}

/// One secret as Juju's `secretDisplayDetails`.
fn display(item: &SecretJson) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("revision".into(), json!(item.revision));
    if item.rotation != RotatePolicy::Never {
        m.insert("rotation".into(), json!(item.rotation));
    }
    let owner = owner_of(item);
    m.insert("owner".into(), json!(owner));
    if !item.description.is_empty() {
        m.insert("description".into(), json!(item.description));
    }
    if let Some(n) = &item.name {
        m.insert(
            if owner == "<model>" { "name" } else { "label" }.into(),
            json!(n),
        );
    }
    m.insert("created".into(), json!(item.created.to_rfc3339()));
    m.insert("updated".into(), json!(item.updated.to_rfc3339()));
    m
}

/// `secrets`: Juju's table, or a map from ID to details; by owner, then newest revision first.
pub fn listing(mut items: Vec<SecretJson>, format: Format) -> ClientResult<String> {
    items.sort_by(|a, b| {
        owner_of(a)
            .cmp(&owner_of(b))
            .then(b.revision.cmp(&a.revision))
    });
    if format != Format::Tabular {
        let map: Map<String, Value> = items
            .iter()
            .map(|i| (i.id.to_string(), Value::Object(display(i))))
            .collect();
        return structured(&Value::Object(map), format);
    }
    let now = domain::Timestamp::from_datetime(time::OffsetDateTime::now_utc());
    let rows: Vec<[String; 6]> = items
        .iter()
        .map(|i| {
            let owner = owner_of(i);
            let name = match &i.name {
                Some(n) if owner == "<model>" => n.to_string(),
                _ => "-".to_owned(),
            };
            let updated = i.updated.user_friendly(now);
            [
                i.id.to_string(),
                name,
                owner,
                i.rotation.to_string(),
                i.revision.to_string(),
                updated,
            ]
        })
        .collect();
    let headers = [
        "ID",
        "Name",
        "Owner",
        "Rotation",
        "Revision",
        "Last updated",
    ];
    Ok(table(&headers, &rows, &[4]))
}

/// `show-secret`: the details, always with the rotation after the revision; with `content`,
/// the checksum after the revision and the values last; with `revisions`, their metadata.
pub fn shown(
    detail: &SecretDetailJson,
    revision: Option<i64>,
    content: Option<&ContentJson>,
    revisions: bool,
    format: Format,
) -> ClientResult<String> {
    let mut top = Map::new();
    let entry = shown_entry(detail, revision, content, revisions);
    top.insert(detail.secret.id.to_string(), Value::Object(entry));
    structured(&Value::Object(top), format.structured())
}

/// One secret as `show-secret` prints it, under its ID.
pub fn shown_entry(
    detail: &SecretDetailJson,
    revision: Option<i64>,
    content: Option<&ContentJson>,
    revisions: bool,
) -> Map<String, Value> {
    let mut details = display(&detail.secret);
    let mut m = Map::new();
    let latest = details.shift_remove("revision").unwrap_or_default();
    m.insert("revision".into(), revision.map_or(latest, |r| json!(r)));
    if let Some(c) = content {
        m.insert("checksum".into(), json!(c.checksum));
    }
    let rotation = details.shift_remove("rotation");
    m.insert(
        "rotation".into(),
        rotation.unwrap_or_else(|| json!("never")),
    );
    m.extend(details);
    if let Some(c) = content {
        m.insert("content".into(), json!(c.content));
    }
    if revisions {
        let list: Vec<Value> = detail
            .revisions
            .iter()
            .map(|r| {
                let mut entry = json!({"revision": r.revision, "backend": "internal", "created": r.created.to_rfc3339(), "updated": r.created.to_rfc3339()});
                if r.obsolete {
                    entry["obsolete"] = json!(true);
                }
                entry
            })
            .collect();
        m.insert("revisions".into(), json!(list));
    }
    let access: Vec<Value> = detail
        .access
        .iter()
        .map(|a| json!({"target": a.target, "scope": a.scope, "role": a.role}))
        .collect();
    if !access.is_empty() {
        m.insert("access".into(), json!(access));
    }
    m
}
