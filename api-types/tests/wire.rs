//! The contract's typed fields keep the wire format clients already read: times as RFC 3339,
//! IDs, URIs and names as plain text. A value the rules refuse fails to decode, naming the rule.

use api_types::secrets::SecretJson;
use serde_json::json;

fn listed() -> serde_json::Value {
    json!({
        "id": "cjt5s4lp3des77vsgehg",
        "uri": "secret:cjt5s4lp3des77vsgehg",
        "name": "db-password",
        "owner": "<model>",
        "description": "",
        "revision": 2,
        "auto_prune": false,
        "rotation": "never",
        "granted_to": 1,
        "created": "2026-01-01T00:00:00.5Z",
        "updated": "2026-01-02T03:04:05.189Z"
    })
}

#[test]
fn a_secret_row_decodes_to_types_and_encodes_to_the_same_text() {
    let row: SecretJson = serde_json::from_value(listed()).expect("decodes");
    assert_eq!(row.id.as_str(), "cjt5s4lp3des77vsgehg");
    assert_eq!(row.uri.id, row.id);
    assert_eq!(row.name.as_ref().map(|n| n.as_str()), Some("db-password"));
    assert_eq!(
        row.updated.millis() - row.created.millis(),
        97_445_000 - 500 + 189
    );
    let encoded = serde_json::to_value(&row).expect("encodes");
    assert_eq!(encoded["uri"], "secret:cjt5s4lp3des77vsgehg");
    assert_eq!(encoded["updated"], "2026-01-02T03:04:05.189Z");
    let again: SecretJson = serde_json::from_value(encoded).expect("round trip");
    assert_eq!(again, row);
}

#[test]
fn values_the_rules_refuse_do_not_decode() {
    for (field, bad, says) in [
        ("name", json!(" padded"), "white space"),
        ("id", json!("short"), "\"short\" not valid"),
        ("uri", json!("vault:cjt5s4lp3des77vsgehg"), "vault"),
        ("created", json!("yesterday"), "RFC 3339"),
    ] {
        let mut row = listed();
        row[field] = bad;
        let error = serde_json::from_value::<SecretJson>(row)
            .expect_err(field)
            .to_string();
        assert!(error.contains(says), "{field}: {error}");
    }
}
