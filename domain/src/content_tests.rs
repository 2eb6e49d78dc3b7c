use super::*;

fn bytes(key: &str, value: &str) -> ContentEntry {
    ContentEntry::Bytes {
        key: key.into(),
        value: value.as_bytes().to_vec(),
    }
}

fn err(entries: Vec<ContentEntry>) -> String {
    SecretContent::from_entries(entries)
        .map(|_| ())
        .unwrap_err()
        .to_string()
}

#[test]
fn key_rule_matches_juju_regex() {
    for ok in ["foo", "abc", "a-b-c", "a1b", "token", "my-key-2", "x9z"] {
        assert!(SecretKey::parse(ok).is_ok(), "{ok} should be valid");
    }
    for bad in [
        "fo", "", "Foo", "1ab", "a--b", "ab-", "a_b", "-ab", "a-b", "ab c", "ключ",
    ] {
        assert_eq!(
            SecretKey::parse(bad),
            Err(ValidationError::KeyNotValid(bad.into())),
            "{bad} should be invalid"
        );
    }
    assert_eq!(
        SecretKey::parse("fo").unwrap_err().to_string(),
        "key \"fo\" not valid"
    );
}

#[test]
fn args_split_like_juju() {
    let arg = ContentArg::parse("token=34ae35facd4").expect("valid");
    assert_eq!(
        (arg.key.as_str(), arg.source, arg.value.as_str()),
        ("token", ValueSource::Plain, "34ae35facd4")
    );
    let arg = ContentArg::parse("key#base64=AA==").expect("valid");
    assert_eq!(
        (arg.key.as_str(), arg.source, arg.value.as_str()),
        ("key", ValueSource::Base64, "AA==")
    );
    let arg = ContentArg::parse("cert#file=/tmp/a=b").expect("valid");
    assert_eq!(
        (arg.source, arg.value.as_str()),
        (ValueSource::File, "/tmp/a=b")
    );
    let arg = ContentArg::parse("url=a=b").expect("value keeps later '='");
    assert_eq!(arg.value, "a=b");
}

#[test]
fn bad_args_name_the_problem() {
    let msg = |a: &str| ContentArg::parse(a).unwrap_err().to_string();
    assert_eq!(msg("token"), "key value \"token\" not valid");
    assert_eq!(msg("=value"), "key value \"=value\" not valid");
    assert_eq!(msg("token=="), "key value \"token==\" not valid");
    assert_eq!(msg("fo=bar"), "key \"fo\" not valid");
    assert_eq!(msg("Bad_Key#base64=AA=="), "key \"Bad_Key\" not valid");
}

#[test]
fn content_rules() {
    assert_eq!(err(vec![]), "empty secret value not valid");
    assert_eq!(
        err(vec![ContentEntry::Base64 {
            key: "cert".into(),
            value: "not base64!".into()
        }]),
        "value for key \"cert\" is not valid base64"
    );
    assert_eq!(
        err(vec![bytes("token", "a"), bytes("token", "b")]),
        "duplicate key \"token\""
    );
    assert_eq!(
        err(vec![bytes("ok-key", "x"), bytes("BAD", "y")]),
        "key \"BAD\" not valid"
    );
}

#[test]
fn size_limits_are_measured_on_base64() {
    // 749,997 bytes encode to 999,996 base64 characters: with the key "big", the largest
    // content allowed. The key's bytes count in the total.
    let at_limit = vec![b'a'; 749_997];
    assert!(
        SecretContent::from_entries(vec![ContentEntry::Bytes {
            key: "big".into(),
            value: at_limit
        }])
        .is_ok()
    );
    assert_eq!(
        err(vec![ContentEntry::Bytes {
            key: "big".into(),
            value: vec![b'a'; 750_000]
        }]),
        "base64 encoded secret content too large: 1000003 bytes"
    );
    let over = vec![b'a'; 750_001];
    assert_eq!(
        err(vec![ContentEntry::Bytes {
            key: "big".into(),
            value: over
        }]),
        "base64 encoded secret content for key \"big\" too large: 1000004 bytes"
    );
    let half = vec![b'a'; 400_000];
    assert_eq!(
        err(vec![
            ContentEntry::Bytes {
                key: "one".into(),
                value: half.clone()
            },
            ContentEntry::Bytes {
                key: "two".into(),
                value: half
            },
        ]),
        "base64 encoded secret content too large: 1066678 bytes"
    );
}

#[test]
fn key_names_are_bounded_in_length_and_number() {
    let long = "a".repeat(1_500_000);
    let e = err(vec![bytes(&long, "v")]);
    assert_eq!(
        e,
        format!(
            "key \"{}…\" too long: 1500000 bytes, at most 128",
            "a".repeat(32)
        )
    );
    assert!(SecretKey::parse(&"a".repeat(128)).is_ok());
    let many: Vec<_> = (0..257).map(|i| bytes(&format!("key{i}"), "v")).collect();
    assert_eq!(err(many), "too many keys: 257, at most 256");
    let most: Vec<_> = (0..256).map(|i| bytes(&format!("key{i}"), "v")).collect();
    assert!(SecretContent::from_entries(most).is_ok());
}

#[test]
fn canonical_json_is_jujus_sorted_map_of_base64_values() {
    let c = SecretContent::from_entries(vec![bytes("token", "s3cret"), bytes("api-key", "x")])
        .expect("valid");
    assert_eq!(
        c.canonical_json().expect("serializes"),
        br#"{"api-key":"eA==","token":"czNjcmV0"}"#.to_vec()
    );
    let reordered =
        SecretContent::from_entries(vec![bytes("api-key", "x"), bytes("token", "s3cret")])
            .expect("valid");
    assert_eq!(
        reordered.canonical_json().expect("serializes"),
        c.canonical_json().expect("serializes"),
        "order of entry does not matter"
    );
}

#[test]
fn debug_never_shows_values() {
    let c = SecretContent::from_entries(vec![bytes("token", "hunter2-canary")]).expect("valid");
    let shown = format!("{c:?} {:?}", bytes("token", "hunter2-canary"));
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!shown.contains("aHVudGVy"), "{shown}");
    assert!(shown.contains("token"));
}

#[test]
fn diff_names_keys_only() {
    let old = SecretContent::from_entries(vec![
        bytes("keep", "1"),
        bytes("gone", "2"),
        bytes("edit", "3"),
    ])
    .expect("valid");
    let new = SecretContent::from_entries(vec![
        bytes("keep", "1"),
        bytes("edit", "4"),
        bytes("fresh", "5"),
    ])
    .expect("valid");
    let d = new.diff_from(&old);
    let names = |v: &Vec<SecretKey>| v.iter().map(|k| k.as_str().to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&d.added), ["fresh"]);
    assert_eq!(names(&d.removed), ["gone"]);
    assert_eq!(names(&d.changed), ["edit"]);
    assert_eq!(names(&d.unchanged), ["keep"]);
}
