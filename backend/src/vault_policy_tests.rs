//! Expected answers recorded from OpenBao 2.7.2's `sys/capabilities` for the same policies and
//! paths (2026-12-03), and its parse errors for the same texts.

use super::*;

const P1: &str = r#"path "m/*" {capabilities = ["read"]}
path "m/a-*" {capabilities = ["create", "update"]}
path "m/a-1" {capabilities = ["delete"]}"#;
const P2: &str = r#"path "m/a-*" {capabilities = ["list"]}
path "m/b-*" {capabilities = ["deny"]}
path "m/*" {capabilities = ["update"]}"#;
const P3: &str = r#"path "m/*/b" {capabilities = ["read"]}
path "m/a-*" {capabilities = ["read"]}
path "m/a-*" {capabilities = ["delete"]}"#;

fn names(texts: &[&str], path: &str) -> Vec<&'static str> {
    let policies: Vec<Policy> = texts.iter().map(|t| Policy::parse(t).unwrap()).collect();
    Acl::new(&policies).capabilities(path).names()
}

#[track_caller]
fn answers(texts: &[&str], expected: &[(&str, &[&str])]) {
    for (path, want) in expected {
        assert_eq!(names(texts, path), *want, "at {path}");
    }
}

#[test]
fn an_exact_rule_wins_over_any_prefix_and_the_longest_prefix_over_shorter_ones() {
    answers(
        &[P1],
        &[
            ("m/x", &["read"]),
            ("m/a-1", &["delete"]),
            ("m/a-2", &["create", "update"]),
            ("m/a-", &["create", "update"]),
            ("m/a-1/sub", &["create", "update"]),
            ("m/", &["read"]),
            ("m", &[]),
            ("n/x", &[]),
        ],
    );
}

#[test]
fn rules_of_several_policies_for_one_path_add_up_and_deny_takes_all() {
    answers(
        &[P1, P2],
        &[
            ("m/x", &["read", "update"]),
            ("m/a-1", &["delete"]),
            ("m/a-2", &["create", "update", "list"]),
            ("m/b-1", &[]),
            ("m/", &["read", "update"]),
            ("m", &[]),
        ],
    );
    answers(
        &[P2],
        &[("m/b-1", &[]), ("m/b-1/x", &[]), ("m/c", &["update"])],
    );
}

#[test]
fn a_star_inside_a_path_is_an_ordinary_character_and_one_policy_may_repeat_a_path() {
    answers(
        &[P3],
        &[
            ("m/*/b", &["read"]),
            ("m/x/b", &[]),
            ("m/a-1", &["read", "delete"]),
            ("m/x", &[]),
        ],
    );
}

#[test]
fn no_policy_allows_nothing() {
    assert!(!Acl::new([]).allows("m/x", Capability::Read));
    assert!(Acl::new(&[Policy::parse(P1).unwrap()]).allows("m/x", Capability::Read));
}

#[test]
fn juju_s_policies_parse() {
    for text in [
        r#"path "wordpress-7a91d3/*" {capabilities = ["create"]}"#,
        r#"path "juju/wordpress-7a91d3/d4kq8pbmp25c77ukat9g-*" {capabilities = ["create", "read", "update", "delete", "list"]}"#,
    ] {
        Policy::parse(text).unwrap();
    }
}

#[test]
fn bad_policies_are_refused_with_vault_s_words_or_a_reason() {
    let refused = |text: &str| Policy::parse(text).unwrap_err().to_string();
    assert_eq!(
        refused(r#"path "a/*" {capabilities = ["fly"]}"#),
        r#"failed to parse policy: path "a/*": path "a/*": invalid capability "fly""#
    );
    assert!(refused(r#"path "a/*" {capabilities = "#).starts_with("failed to parse policy: "));
    assert_eq!(
        refused("path \"a/*\" {\n  capabilities = [\"read\"]\n  color = \"red\"\n}"),
        r#"failed to parse policy: path "a/*": invalid key "color""#
    );
    assert_eq!(
        refused(r#"foo "a" {capabilities = ["read"]}"#),
        r#"failed to parse policy: invalid key "foo""#
    );
    // Vault accepts these; Strongbox would not enforce them, so it says so.
    assert!(refused(r#"path "a/+/b" {capabilities = ["read"]}"#).contains("segment wildcard"));
    assert!(
        refused(
            "path \"a/*\" {\n  capabilities = [\"read\"]\n  allowed_parameters = {\"k\" = []}\n}"
        )
        .contains("does not enforce \"allowed_parameters\"")
    );
    assert!(refused(r#"path "a/*" {capabilities = "read"}"#).contains("must be a list"));
}
