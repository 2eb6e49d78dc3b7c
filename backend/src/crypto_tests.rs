use super::*;
use std::os::unix::fs::PermissionsExt as _;

fn binding<'a>(model: &'a ModelUuid, secret: &'a SecretId, revision: i64) -> Binding<'a> {
    Binding {
        model,
        secret,
        revision: RevisionNumber::new(revision).expect("positive"),
    }
}

#[test]
fn sealed_content_opens_only_with_its_own_binding() {
    let key = MasterKey::generate();
    let model = ModelUuid(uuid::Uuid::new_v4());
    let secret = SecretId::from_parts(1, [1; 8]);
    let other = SecretId::from_parts(1, [2; 8]);
    let sealed = seal(&key, &binding(&model, &secret, 1), b"canary").expect("seal");
    assert_eq!(
        open(&key, &binding(&model, &secret, 1), &sealed)
            .expect("open")
            .as_slice(),
        b"canary"
    );
    assert!(!sealed.ciphertext.windows(6).any(|w| w == b"canary"));

    for wrong in [binding(&model, &secret, 2), binding(&model, &other, 1)] {
        let err = open(&key, &wrong, &sealed).expect_err("moved ciphertext must not open");
        assert!(
            err.to_string().contains("does not belong to this revision"),
            "{err}"
        );
    }
    let other_model = ModelUuid(uuid::Uuid::new_v4());
    assert!(open(&key, &binding(&other_model, &secret, 1), &sealed).is_err());
    assert!(
        open(
            &MasterKey::generate(),
            &binding(&model, &secret, 1),
            &sealed
        )
        .is_err()
    );
}

#[test]
fn rewrap_changes_only_the_key_wrapping() {
    let old = MasterKey::generate();
    let new = MasterKey::generate();
    let model = ModelUuid(uuid::Uuid::new_v4());
    let secret = SecretId::from_parts(1, [1; 8]);
    let b = binding(&model, &secret, 3);
    let sealed = seal(&old, &b, b"value").expect("seal");
    let moved = rewrap(&old, &new, &b, &sealed).expect("rewrap");
    assert_eq!(moved.ciphertext, sealed.ciphertext);
    assert_eq!(moved.master_key_id, new.id());
    assert_eq!(open(&new, &b, &moved).expect("open").as_slice(), b"value");
    assert!(open(&old, &b, &moved).is_err());
}

#[test]
fn key_file_is_private_and_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("data").join("master.key");
    let ring = Keyring::open(&path, true).expect("creates the key");
    let mode = std::fs::metadata(&path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let first = ring.primary().expect("a key").id().to_owned();
    let again = Keyring::open(&path, true).expect("reads it back");
    assert_eq!(again.primary().expect("a key").id(), first);
    assert!(format!("{:?}", again.primary()).contains("redacted"));

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let err = Keyring::open(&path, true)
        .map(|_| ())
        .expect_err("world-readable key refused");
    assert!(err.to_string().contains("chmod 600"), "{err}");
}

#[test]
fn unknown_key_ids_reload_the_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("master.key");
    let ring = Keyring::open(&path, true).expect("key");
    let next = MasterKey::generate();
    write_key_file(&ring.files().next, &next).expect("write next");
    assert_eq!(
        ring.key(next.id()).expect("found after reload").id(),
        next.id()
    );
    let err = ring.key("0000").expect_err("unknown");
    assert!(
        err.to_string().contains("master key 0000 is not available"),
        "{err}"
    );
}

#[test]
fn keyed_checksums_belong_to_their_revision_and_survive_rewrapping() {
    let key = MasterKey::generate();
    let model = ModelUuid(uuid::Uuid::new_v4());
    let secret = SecretId::from_parts(1, [1; 8]);
    let b = binding(&model, &secret, 1);
    let content = br#"{"pin":"MTIzNA=="}"#;
    let one = seal(&key, &b, content).expect("seal");
    let two = seal(&key, &b, content).expect("seal");
    let sum = keyed_checksum(&key, &b, &one, content).expect("sum");
    assert_eq!(sum.len(), 64);
    assert_eq!(sum, keyed_checksum(&key, &b, &one, content).expect("again"));
    assert_ne!(
        sum,
        hex::encode(Sha256::digest(content)),
        "not the unkeyed hash a reader could test guesses against"
    );
    assert_ne!(
        sum,
        keyed_checksum(&key, &b, &two, content).expect("other data key"),
        "each revision keys its own"
    );
    assert_ne!(
        sum,
        keyed_checksum(&key, &b, &one, b"{}").expect("other content")
    );
    let new = MasterKey::generate();
    let rewrapped = rewrap(&key, &new, &b, &one).expect("rewrap");
    assert_eq!(
        keyed_checksum(&new, &b, &rewrapped, content).expect("after rotation"),
        sum
    );
}
