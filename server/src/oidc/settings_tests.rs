//! The OpenID flags: what resolves, and how a bad value is named.

use super::*;

fn with_issuer(dir: &std::path::Path) -> OidcSettings {
    let secret = dir.join("secret");
    std::fs::write(&secret, "s3cret\n").expect("write");
    OidcSettings {
        oidc_issuer: Some("https://id.example.com/realms/main".into()),
        oidc_client_id: Some("strongbox".into()),
        oidc_client_secret_file: Some(secret),
        oidc_redirect_url: Some("https://sb.example.com/auth/oidc/callback".into()),
        oidc_display_name: "Keycloak".into(),
        oidc_username_claim: "preferred_username".into(),
        oidc_groups_claim: "groups".into(),
        oidc_groups: vec!["ops=prod:write".into(), "team=a=b=prod:read".into()],
        ..OidcSettings::default()
    }
}

fn error(s: OidcSettings) -> String {
    s.resolve().map(|_| ()).unwrap_err().to_string()
}

#[test]
fn a_provider_is_resolved_with_its_secret_and_mappings() {
    let dir = tempfile::tempdir().expect("dir");
    let c = with_issuer(dir.path()).resolve().expect("valid");
    let p = c.provider.expect("provider");
    assert_eq!(p.client_secret, "s3cret");
    assert_eq!(p.roles.mappings[1].group, "team=a=b", "the last = splits");
    assert_eq!(p.roles.mappings[0].level, AccessLevel::Write);
    assert!(c.password);
}

#[test]
fn bad_provider_settings_are_named() {
    let dir = tempfile::tempdir().expect("dir");
    let s = || with_issuer(dir.path());
    assert!(
        error(OidcSettings {
            oidc_issuer: Some("http://id.example.com".into()),
            ..s()
        })
        .contains("must use https (plain http is accepted only on loopback)")
    );
    assert!(
        OidcSettings {
            oidc_issuer: Some("http://127.0.0.1:9000".into()),
            ..s()
        }
        .resolve()
        .is_ok()
    );
    assert!(
        error(OidcSettings {
            oidc_redirect_url: Some("https://sb.example.com/callback".into()),
            ..s()
        })
        .starts_with("--oidc-redirect-url / STRONGBOX_OIDC_REDIRECT_URL: its path must be")
    );
    assert!(
        error(OidcSettings {
            oidc_groups: vec!["ops=prod:owner".into()],
            ..s()
        })
        .contains("the level must be read, write or admin")
    );
    assert!(
        error(OidcSettings {
            oidc_client_id: None,
            ..s()
        })
        .starts_with("--oidc-client-id / STRONGBOX_OIDC_CLIENT_ID: needed")
    );
    assert!(
        error(OidcSettings {
            password_sign_in: OnOff::Off,
            ..OidcSettings::default()
        })
        .contains("no one could sign in")
    );
}

#[test]
fn the_client_secret_stays_out_of_debug_output() {
    let dir = tempfile::tempdir().expect("dir");
    let config = with_issuer(dir.path()).resolve().expect("valid");
    let shown = format!("{config:?}");
    assert!(shown.contains("id.example.com"), "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
}
