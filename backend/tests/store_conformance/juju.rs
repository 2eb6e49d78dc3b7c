//! Juju's vault backend: backends, tokens with their parents and expiry, policies, mounts.

use crate::*;
use backend::store::{
    NewVaultToken, TokenPowers, VaultMountRecord, VaultPolicyRecord, VaultTokenRecord,
};
use domain::{JujuBackendId, JujuBackendName, VaultMountPath, VaultPolicyName, VaultTokenId};

fn policy_name(s: &str) -> VaultPolicyName {
    VaultPolicyName::parse(s).expect("policy name")
}

fn new_token(
    backend: JujuBackendId,
    parent: Option<VaultTokenId>,
    name: &str,
    powers: TokenPowers,
    expires_at: Option<i64>,
) -> (PlainToken, NewVaultToken) {
    let plain = PlainToken::generate(TokenKind::Application);
    let new = NewVaultToken {
        backend,
        parent,
        hash: plain.hash(),
        accessor: format!("accessor-{name}"),
        display_name: name.to_owned(),
        powers,
        now: T0,
        expires_at: expires_at.map(|ms| Timestamp(T0.millis() + ms)),
    };
    (plain, new)
}

async fn juju_backend(tx: &mut dyn Tx, name: &str) -> JujuBackendId {
    let name = JujuBackendName::parse(name).expect("backend name");
    tx.insert_juju_backend(&name, T0).await.expect("backend")
}

async fn live(tx: &mut dyn Tx, token: &PlainToken, at_ms: i64) -> Option<VaultTokenRecord> {
    tx.live_vault_token(&token.hash(), Timestamp(T0.millis() + at_ms))
        .await
        .expect("lookup")
}

#[tokio::test]
async fn a_backend_name_is_taken_once() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let name = JujuBackendName::parse("ops").expect("name");
        let id = tx.insert_juju_backend(&name, T0).await.expect("insert");
        let found = tx
            .juju_backend_by_name(&name)
            .await
            .expect("q")
            .expect("found");
        assert_eq!((found.id, found.created_at), (id, T0));
        tx.commit().await.expect("commit");
        expect_conflict(&*s.store, |tx| {
            Box::pin(async move { tx.insert_juju_backend(&name, T0).await.map(|_| ()) })
        })
        .await;
    }
}

#[tokio::test]
async fn a_token_lives_while_it_and_its_makers_have_not_expired_and_dies_with_them() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let backend = juju_backend(&mut *tx, "ops").await;
        let agent = TokenPowers::Policies {
            names: vec![policy_name("m-read"), policy_name("m-create")],
            default_policy: false,
        };
        let (root, new) = new_token(backend, None, "juju", TokenPowers::Backend, Some(60_000));
        let root_id = tx.insert_vault_token(&new).await.expect("root");
        let (child, new) = new_token(backend, Some(root_id), "unit", agent.clone(), Some(600_000));
        let child_id = tx.insert_vault_token(&new).await.expect("child");
        let (grandchild, new) = new_token(backend, Some(child_id), "sub", agent.clone(), None);
        tx.insert_vault_token(&new).await.expect("grandchild");
        let (orphan, new) = new_token(backend, None, "rotated", TokenPowers::Backend, None);
        let orphan_id = tx.insert_vault_token(&new).await.expect("orphan");

        let found = live(&mut *tx, &child, 0).await.expect("live");
        assert_eq!(found.id, child_id);
        assert_eq!(found.parent, Some(root_id));
        assert_eq!(found.powers, agent);
        assert_eq!(found.display_name, "unit");
        assert_eq!(found.expires_at, Some(Timestamp(T0.millis() + 600_000)));
        assert_eq!(
            live(&mut *tx, &root, 0).await.expect("root").powers,
            TokenPowers::Backend
        );

        // The root expires at 60 s: everything made from it is refused from then on, though
        // the child's own expiry is later and nothing has been cleaned up.
        assert!(live(&mut *tx, &grandchild, 59_999).await.is_some());
        for token in [&root, &child, &grandchild] {
            assert!(live(&mut *tx, token, 60_000).await.is_none());
        }
        assert!(
            live(&mut *tx, &orphan, 60_000).await.is_some(),
            "an orphan is apart"
        );

        assert_eq!(
            tx.remove_expired_vault_tokens(Timestamp(T0.millis() + 60_000))
                .await
                .expect("clean"),
            3,
            "the expired root and the two made from it"
        );
        assert!(live(&mut *tx, &grandchild, 0).await.is_none(), "gone");
        assert_eq!(tx.revoke_vault_token(orphan_id).await.expect("revoke"), 1);
        assert!(live(&mut *tx, &orphan, 0).await.is_none());
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn revoking_a_token_revokes_what_was_made_from_it_and_nothing_else() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let backend = juju_backend(&mut *tx, "ops").await;
        let (_, new) = new_token(backend, None, "juju", TokenPowers::Backend, None);
        let root = tx.insert_vault_token(&new).await.expect("root");
        let (a, new) = new_token(backend, Some(root), "a", TokenPowers::Backend, None);
        let a_id = tx.insert_vault_token(&new).await.expect("a");
        let (a1, new) = new_token(backend, Some(a_id), "a1", TokenPowers::Backend, None);
        tx.insert_vault_token(&new).await.expect("a1");
        let (b, new) = new_token(backend, Some(root), "b", TokenPowers::Backend, None);
        tx.insert_vault_token(&new).await.expect("b");
        assert_eq!(tx.revoke_vault_token(a_id).await.expect("revoke"), 2);
        assert!(live(&mut *tx, &a, 0).await.is_none());
        assert!(live(&mut *tx, &a1, 0).await.is_none());
        assert!(live(&mut *tx, &b, 0).await.is_some(), "a sibling stays");
        // Replacing a backend's token takes all of its tokens, and no other backend's.
        let other = juju_backend(&mut *tx, "other").await;
        let (o, new) = new_token(other, None, "o", TokenPowers::Backend, None);
        tx.insert_vault_token(&new).await.expect("o");
        assert_eq!(
            tx.revoke_backend_vault_tokens(backend).await.expect("all"),
            2
        );
        assert!(live(&mut *tx, &b, 0).await.is_none());
        assert!(
            live(&mut *tx, &o, 0).await.is_some(),
            "another backend's stays"
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn policies_are_put_replaced_listed_and_deleted_per_backend() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let ops = juju_backend(&mut *tx, "ops").await;
        let other = juju_backend(&mut *tx, "other").await;
        let record = |backend, name: &str, body: &str, at: i64| VaultPolicyRecord {
            backend,
            name: policy_name(name),
            body: body.to_owned(),
            created_at: Timestamp(at),
            updated_at: Timestamp(at),
        };
        assert!(
            tx.put_vault_policy(&record(ops, "m-read", "v1", 1))
                .await
                .expect("put")
        );
        assert!(
            !tx.put_vault_policy(&record(ops, "m-read", "v2", 2))
                .await
                .expect("replace")
        );
        assert!(
            tx.put_vault_policy(&record(ops, "m-create", "c", 3))
                .await
                .expect("put")
        );
        assert!(
            tx.put_vault_policy(&record(other, "m-read", "x", 4))
                .await
                .expect("put")
        );

        let read = tx
            .vault_policy(ops, &policy_name("m-read"))
            .await
            .expect("q")
            .expect("there");
        assert_eq!(
            (read.body.as_str(), read.created_at, read.updated_at),
            ("v2", Timestamp(1), Timestamp(2))
        );
        let named = tx
            .vault_policies_named(
                ops,
                &[
                    policy_name("m-read"),
                    policy_name("gone"),
                    policy_name("m-create"),
                ],
            )
            .await
            .expect("named");
        let bodies: Vec<&str> = named.iter().map(|p| p.body.as_str()).collect();
        assert_eq!(
            bodies,
            ["c", "v2"],
            "those that exist, in name order, of this backend only"
        );
        assert_eq!(
            tx.vault_policy_names(ops).await.expect("names"),
            [policy_name("m-create"), policy_name("m-read")]
        );
        assert!(
            tx.delete_vault_policy(ops, &policy_name("m-read"))
                .await
                .expect("delete")
        );
        assert!(
            !tx.delete_vault_policy(ops, &policy_name("m-read"))
                .await
                .expect("again")
        );
        assert!(
            tx.vault_policy(other, &policy_name("m-read"))
                .await
                .expect("q")
                .is_some()
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn a_mount_is_found_by_path_and_by_its_model_and_goes_with_the_model() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let ops = juju_backend(&mut *tx, "ops").await;
        let m = model(&mut *tx, "juju-wordpress-7a91d3").await;
        let n = model(&mut *tx, "mysql-0b1c2d").await;
        let mount = move |path: &str, model| VaultMountRecord {
            path: VaultMountPath::parse(path).expect("path"),
            backend: ops,
            model,
            created_at: T0,
        };
        tx.insert_vault_mount(&mount("juju/wordpress-7a91d3", m.id))
            .await
            .expect("mount");
        tx.insert_vault_mount(&mount("mysql-0b1c2d", n.id))
            .await
            .expect("mount");
        let path = VaultMountPath::parse("juju/wordpress-7a91d3").expect("path");
        assert_eq!(
            tx.vault_mount(&path).await.expect("q"),
            Some(mount("juju/wordpress-7a91d3", m.id))
        );
        assert_eq!(
            tx.juju_owner_of_model(n.id)
                .await
                .expect("q")
                .map(|o| (o.backend.to_string(), o.mount.to_string())),
            Some(("ops".to_owned(), "mysql-0b1c2d".to_owned()))
        );
        let paths: Vec<String> = tx
            .vault_mounts(ops)
            .await
            .expect("list")
            .iter()
            .map(|r| r.path.to_string())
            .collect();
        assert_eq!(paths, ["juju/wordpress-7a91d3", "mysql-0b1c2d"]);
        // The longest mounted prefix of a key's path, with its model; another backend's none.
        let prefixes: Vec<VaultMountPath> =
            ["juju", "juju/wordpress-7a91d3", "juju/wordpress-7a91d3/k-1"]
                .iter()
                .map(|p| VaultMountPath::parse(p).expect("path"))
                .collect();
        let at = tx.vault_mount_at(ops, &prefixes).await.expect("q");
        assert_eq!(
            at.map(|(mount, model)| (mount.path.to_string(), model.id)),
            Some(("juju/wordpress-7a91d3".to_owned(), m.id))
        );
        let other = juju_backend(&mut *tx, "other").await;
        assert!(
            tx.vault_mount_at(other, &prefixes)
                .await
                .expect("q")
                .is_none()
        );
        assert!(
            tx.vault_mount_at(ops, &prefixes[..1])
                .await
                .expect("q")
                .is_none()
        );
        tx.delete_model(m.id).await.expect("delete model");
        assert_eq!(tx.vault_mount(&path).await.expect("q"), None);
        tx.commit().await.expect("commit");
        expect_conflict(&*s.store, |tx| {
            Box::pin(async move { tx.insert_vault_mount(&mount("other", n.id)).await })
        })
        .await;
    }
}
