//! One story for every `Store` implementation. It speaks only the store traits, and runs on
//! SQLite (a temporary file) always and on PostgreSQL when `TEST_POSTGRES_URL` names a server
//! (`scripts/test.sh` starts one). Each run gets a database of its own.

use backend::audit::{ActorKind, AuditAction, AuditActor, GENESIS_HASH, NewAuditEvent, Outcome};
use backend::crypto::Sealed;
use backend::store::postgres::PgStore;
use backend::store::sqlite::SqliteStore;
use backend::store::{
    AuditQuery, Cursor, NewToken, NewUser, OwnerFilter, RevisionRecord, SecretOwner, SecretQuery,
    SecretRecord, SortKey, Store, StoreError, TokenOwner, Tx,
};
use backend::token::{PlainToken, TokenKind};
use domain::{
    AccessLevel, ApplicationName, Description, ModelName, ModelUuid, RevisionNumber, RotatePolicy,
    SecretId, SecretName, Timestamp, UserName,
};

struct TestStore {
    store: Box<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn stores() -> Vec<TestStore> {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("conformance.db").display());
    let sqlite = SqliteStore::connect(&url).await.expect("sqlite");
    let mut all = vec![TestStore {
        store: Box::new(sqlite),
        _dir: dir,
    }];
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            let store = PgStore::connect(&fresh_postgres_database(&url).await)
                .await
                .expect("postgres");
            all.push(TestStore {
                store: Box::new(store),
                _dir: tempfile::tempdir().expect("tempdir"),
            });
        }
        _ => eprintln!("TEST_POSTGRES_URL not set: PostgreSQL store not tested in this run"),
    }
    all
}

/// Creates an empty database beside the one `url` names and returns its URL.
async fn fresh_postgres_database(url: &str) -> String {
    use sqlx::Connection as _;
    let mut admin = sqlx::PgConnection::connect(url)
        .await
        .expect("connect to TEST_POSTGRES_URL");
    let name = format!("conformance_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("create database {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    let (server, _) = url.rsplit_once('/').expect("URL ends in a database name");
    format!("{server}/{name}")
}

type TxFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreError>> + Send + 'a>>;

/// Runs `write` in a transaction of its own and expects a uniqueness conflict. A transaction
/// that failed is abandoned: PostgreSQL refuses anything further in it, so callers never continue.
async fn expect_conflict<F>(store: &dyn Store, write: F)
where
    F: for<'a> FnOnce(&'a mut dyn Tx) -> TxFuture<'a>,
{
    let mut tx = store.write().await.expect("tx");
    let result = write(&mut *tx).await;
    assert!(
        matches!(result, Err(StoreError::Conflict(_))),
        "expected a conflict, got {result:?}"
    );
}

const T0: Timestamp = Timestamp(1_767_225_600_000);

fn user_name(s: &str) -> UserName {
    UserName::parse(s).expect("user")
}

fn app(s: &str) -> ApplicationName {
    ApplicationName::parse(s).expect("app")
}

fn sid(n: u8) -> SecretId {
    SecretId::from_parts(1_767_225_600 + u32::from(n), [n; 8])
}

fn secret(
    id: SecretId,
    model: domain::ModelId,
    owner: SecretOwner,
    name: Option<&str>,
    at: i64,
) -> SecretRecord {
    SecretRecord {
        id,
        model_id: model,
        owner,
        name: name.map(|n| SecretName::parse(n).expect("name")),
        description: Description::parse("").expect("d"),
        auto_prune: false,
        rotate_policy: RotatePolicy::Never,
        next_rotate_at: None,
        latest_revision: RevisionNumber::FIRST,
        revision_counter: RevisionNumber::FIRST,
        created_at: Timestamp(T0.0 + at),
        updated_at: Timestamp(T0.0 + at),
    }
}

fn sealed(tag: u8) -> Sealed {
    Sealed {
        ciphertext: vec![tag; 16],
        nonce: vec![1; 12],
        wrapped_key: vec![tag; 48],
        key_nonce: vec![2; 12],
        master_key_id: "key-a".into(),
    }
}

async fn model(tx: &mut dyn Tx, name: &str) -> backend::store::ModelRecord {
    let uuid = ModelUuid(uuid::Uuid::new_v4());
    tx.insert_model(uuid, &ModelName::parse(name).expect("model"), T0)
        .await
        .expect("model")
}

#[tokio::test]
async fn users_models_and_memberships() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let new = NewUser {
            name: user_name("alice"),
            password_hash: "$argon2id$x".into(),
            superuser: false,
            now: T0,
        };
        let alice = tx.insert_user(&new).await.expect("insert");
        tx.commit().await.expect("commit");
        expect_conflict(&*s.store, |tx| {
            Box::pin(async move { tx.insert_user(&new).await.map(drop) })
        })
        .await;

        let mut tx = s.store.write().await.expect("tx");
        let found = tx
            .user_by_name(&user_name("alice"))
            .await
            .expect("q")
            .expect("found");
        assert_eq!((found.id, found.superuser), (alice, false));
        tx.set_superuser(alice, true, T0).await.expect("flag");
        assert!(tx.user(alice).await.expect("q").expect("found").superuser);
        let prod = model(&mut *tx, "prod").await;
        let staging = model(&mut *tx, "staging").await;
        assert_eq!(
            tx.model_by_name(&prod.name).await.expect("q"),
            Some(prod.clone())
        );
        tx.set_member(prod.id, alice, AccessLevel::Read, T0)
            .await
            .expect("member");
        tx.set_member(prod.id, alice, AccessLevel::Admin, T0)
            .await
            .expect("upsert");
        tx.set_member(staging.id, alice, AccessLevel::Write, T0)
            .await
            .expect("member");
        assert_eq!(
            tx.member_access(prod.id, alice).await.expect("q"),
            Some(AccessLevel::Admin)
        );
        let levels: Vec<_> = tx
            .memberships(alice)
            .await
            .expect("q")
            .into_iter()
            .map(|(m, l)| (m.name.to_string(), l))
            .collect();
        assert_eq!(
            levels,
            [
                ("prod".to_owned(), AccessLevel::Admin),
                ("staging".to_owned(), AccessLevel::Write)
            ]
        );
        assert!(tx.remove_member(prod.id, alice).await.expect("rm"));
        assert!(!tx.remove_member(prod.id, alice).await.expect("rm again"));
        assert_eq!(tx.members(prod.id).await.expect("q"), []);
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn uncommitted_writes_vanish() {
    for s in stores().await {
        {
            let mut tx = s.store.write().await.expect("tx");
            model(&mut *tx, "ghost").await;
        }
        let mut tx = s.store.read().await.expect("tx");
        assert_eq!(
            tx.models().await.expect("q"),
            [],
            "a dropped transaction rolls back"
        );
    }
}

#[tokio::test]
async fn applications_tokens_and_cascades() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let prod = model(&mut *tx, "prod").await;
        let staging = model(&mut *tx, "staging").await;
        let mysql = tx
            .insert_application(prod.id, &app("mysql"), T0)
            .await
            .expect("app");
        tx.insert_application(staging.id, &app("mysql"), T0)
            .await
            .expect("same name, other model");
        tx.commit().await.expect("commit");
        let dup = prod.id;
        expect_conflict(&*s.store, |tx| {
            Box::pin(async move {
                tx.insert_application(dup, &app("mysql"), T0)
                    .await
                    .map(drop)
            })
        })
        .await;
        let mut tx = s.store.write().await.expect("tx");
        let plain = PlainToken::generate(TokenKind::Application);
        let token = tx
            .insert_token(&NewToken {
                owner: TokenOwner::Application(mysql.id),
                hash: plain.hash(),
                label: "ci".into(),
                now: T0,
            })
            .await
            .expect("token");
        assert_eq!(
            tx.token_by_hash(&plain.hash()).await.expect("q"),
            Some(token.clone())
        );
        assert_eq!(tx.application_tokens(mysql.id).await.expect("q"), [token]);
        let s1 = secret(
            sid(1),
            prod.id,
            SecretOwner::Application(mysql.id),
            Some("cert"),
            0,
        );
        tx.insert_secret(&s1).await.expect("app secret");
        tx.delete_application(mysql.id).await.expect("delete");
        assert_eq!(
            tx.token_by_hash(&plain.hash()).await.expect("q"),
            None,
            "tokens go with the app"
        );
        assert_eq!(
            tx.secret(prod.id, &s1.id).await.expect("q"),
            None,
            "so do its own secrets"
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn secrets_revisions_grants_and_tracking() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let prod = model(&mut *tx, "prod").await;
        let mysql = tx
            .insert_application(prod.id, &app("mysql"), T0)
            .await
            .expect("app");
        let user_secret = secret(sid(1), prod.id, SecretOwner::Model, Some("db"), 0);
        tx.insert_secret(&user_secret).await.expect("insert");
        tx.commit().await.expect("commit");
        let clash = secret(sid(2), prod.id, SecretOwner::Model, Some("db"), 0);
        expect_conflict(&*s.store, |tx| {
            Box::pin(async move { tx.insert_secret(&clash).await })
        })
        .await;
        let mut tx = s.store.write().await.expect("tx");
        let label = secret(
            sid(3),
            prod.id,
            SecretOwner::Application(mysql.id),
            Some("db"),
            0,
        );
        tx.insert_secret(&label)
            .await
            .expect("an application's label may equal a user secret's name");
        let db = SecretName::parse("db").expect("n");
        assert_eq!(
            tx.secret_by_name(prod.id, SecretOwner::Model, &db)
                .await
                .expect("q")
                .map(|s| s.id),
            Some(sid(1))
        );
        assert_eq!(
            tx.secret_by_name(prod.id, SecretOwner::Application(mysql.id), &db)
                .await
                .expect("q")
                .map(|s| s.id),
            Some(sid(3))
        );

        for n in 1..=3 {
            let r = RevisionNumber::new(n).expect("n");
            let rec = RevisionRecord {
                secret_id: sid(1),
                revision: r,
                checksum: format!("sum{n}"),
                expire_at: None,
                sealed: sealed(n as u8),
                created_at: T0,
            };
            tx.insert_revision(&rec).await.expect("revision");
        }
        let revs: Vec<_> = tx
            .revisions(&sid(1))
            .await
            .expect("q")
            .into_iter()
            .map(|m| (m.revision.get(), m.checksum))
            .collect();
        assert_eq!(
            revs,
            [(1, "sum1".into()), (2, "sum2".into()), (3, "sum3".into())]
        );
        let two = RevisionNumber::new(2).expect("2");
        assert_eq!(
            tx.revision(&sid(1), two)
                .await
                .expect("q")
                .map(|r| r.sealed),
            Some(sealed(2))
        );
        tx.delete_revision(&sid(1), two).await.expect("delete");
        assert_eq!(tx.revisions(&sid(1)).await.expect("q").len(), 2);

        let mut updated = user_secret.clone();
        updated.description = Description::parse("primary db").expect("d");
        updated.auto_prune = true;
        updated.latest_revision = RevisionNumber::new(3).expect("3");
        updated.revision_counter = RevisionNumber::new(3).expect("3");
        tx.update_secret(&updated).await.expect("update");
        assert_eq!(tx.secret(prod.id, &sid(1)).await.expect("q"), Some(updated));

        assert!(
            tx.insert_grant(&sid(1), mysql.id, "alice", T0)
                .await
                .expect("grant")
        );
        assert!(
            !tx.insert_grant(&sid(1), mysql.id, "bob", T0)
                .await
                .expect("again"),
            "granting twice is a no-op"
        );
        assert!(tx.has_grant(&sid(1), mysql.id).await.expect("q"));
        let review = tx.model_grants(prod.id).await.expect("q");
        assert_eq!(
            (review.len(), review[0].grant.granted_by.as_str()),
            (1, "alice")
        );
        let three = RevisionNumber::new(3).expect("3");
        tx.track(&sid(1), mysql.id, RevisionNumber::FIRST, T0)
            .await
            .expect("track");
        tx.track(&sid(1), mysql.id, three, T0).await.expect("move");
        assert_eq!(
            tx.consumer(&sid(1), mysql.id).await.expect("q"),
            Some(three)
        );
        assert_eq!(tx.consumed_secrets(mysql.id).await.expect("q"), [sid(1)]);
        assert_eq!(
            tx.readable_secrets(mysql.id).await.expect("q").len(),
            2,
            "granted plus owned"
        );
        tx.untrack(&sid(1), mysql.id).await.expect("untrack");
        assert_eq!(tx.consumers(&sid(1)).await.expect("q"), []);
        assert!(tx.delete_grant(&sid(1), mysql.id).await.expect("revoke"));
        tx.delete_secret(&sid(1)).await.expect("delete");
        assert_eq!(
            tx.revisions(&sid(1)).await.expect("q"),
            [],
            "revisions go with the secret"
        );
        tx.commit().await.expect("commit");
    }
}

/// 120 secrets: names `s000`…`s119`, every third granted to `mysql`, every tenth owned by it.
async fn populate(tx: &mut dyn Tx) -> (domain::ModelId, domain::ApplicationId) {
    let prod = model(tx, "prod").await;
    let mysql = tx
        .insert_application(prod.id, &app("mysql"), T0)
        .await
        .expect("app");
    for i in 0..120u8 {
        let owner = if i % 10 == 0 {
            SecretOwner::Application(mysql.id)
        } else {
            SecretOwner::Model
        };
        let mut s = secret(
            sid(i),
            prod.id,
            owner,
            Some(&format!("s{i:03}")),
            i64::from(119 - i),
        );
        if i == 7 {
            s.description = Description::parse("The 100%_real database").expect("d");
        }
        tx.insert_secret(&s).await.expect("insert");
        if i % 3 == 0 {
            tx.insert_grant(&sid(i), mysql.id, "alice", T0)
                .await
                .expect("grant");
        }
    }
    (prod.id, mysql.id)
}

fn query(
    search: Option<&str>,
    owner: OwnerFilter,
    sort: SortKey,
    descending: bool,
    after: Option<Cursor>,
    limit: u32,
) -> SecretQuery {
    SecretQuery {
        search: search.map(str::to_owned),
        owner,
        sort,
        descending,
        after,
        limit,
    }
}

#[tokio::test]
async fn listing_pages_sorts_filters_and_searches() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let (prod, _) = populate(&mut *tx).await;
        let mut names = Vec::new();
        let mut after = None;
        loop {
            let page = tx
                .list_secrets(
                    prod,
                    &query(None, OwnerFilter::Any, SortKey::Name, false, after, 50),
                )
                .await
                .expect("page");
            let Some(last) = page.last() else { break };
            after = Some(Cursor::Text(
                last.secret.name.clone().expect("named").to_string(),
                last.secret.id.clone(),
            ));
            names.extend(
                page.iter()
                    .map(|p| p.secret.name.clone().expect("named").to_string()),
            );
        }
        let expected: Vec<_> = (0..120).map(|i| format!("s{i:03}")).collect();
        assert_eq!(
            names, expected,
            "keyset pages cover every row once, in order"
        );

        let newest = tx
            .list_secrets(
                prod,
                &query(None, OwnerFilter::Any, SortKey::Created, true, None, 2),
            )
            .await
            .expect("q");
        assert_eq!(
            newest
                .iter()
                .map(|p| p.secret.id.clone())
                .collect::<Vec<_>>(),
            [sid(0), sid(1)]
        );
        let next = Cursor::Time(newest[1].secret.created_at, newest[1].secret.id.clone());
        let more = tx
            .list_secrets(
                prod,
                &query(
                    None,
                    OwnerFilter::Any,
                    SortKey::Created,
                    true,
                    Some(next),
                    1,
                ),
            )
            .await
            .expect("q");
        assert_eq!(more[0].secret.id, sid(2));

        let count = |v: Vec<backend::store::SecretSummary>| v.len();
        let all = |search: &str| {
            query(
                Some(search),
                OwnerFilter::Any,
                SortKey::Name,
                false,
                None,
                500,
            )
        };
        assert_eq!(
            count(tx.list_secrets(prod, &all("S11")).await.expect("q")),
            10,
            "case-insensitive name search"
        );
        assert_eq!(
            count(
                tx.list_secrets(prod, &all(sid(5).as_str()))
                    .await
                    .expect("q")
            ),
            1,
            "id search"
        );
        assert_eq!(
            count(tx.list_secrets(prod, &all("100%_real")).await.expect("q")),
            1,
            "description, wildcards literal"
        );
        assert_eq!(
            count(tx.list_secrets(prod, &all("%")).await.expect("q")),
            1,
            "a lone % matches only a literal %"
        );
        assert_eq!(
            count(tx.list_secrets(prod, &all("mysql")).await.expect("q")),
            48,
            "owner or grantee: 40 granted + 12 owned - 4 both"
        );
        let owned = query(
            None,
            OwnerFilter::Application(app("mysql")),
            SortKey::Name,
            false,
            None,
            500,
        );
        assert_eq!(count(tx.list_secrets(prod, &owned).await.expect("q")), 12);
        let users = query(None, OwnerFilter::Model, SortKey::Name, false, None, 500);
        let user_rows = tx.list_secrets(prod, &users).await.expect("q");
        assert_eq!(user_rows.len(), 108);
        let s003 = user_rows
            .iter()
            .find(|r| r.secret.id == sid(3))
            .expect("s003");
        assert_eq!((s003.grant_count, s003.owner_name.clone()), (1, None));
        let s010 = tx.list_secrets(prod, &all("s010")).await.expect("q");
        assert_eq!(s010[0].owner_name, Some(app("mysql")));
    }
}

fn event(action: AuditAction, detail: &str) -> NewAuditEvent {
    NewAuditEvent {
        at: T0,
        actor: AuditActor {
            kind: ActorKind::User,
            name: "alice".into(),
        },
        model: None,
        secret: Some(sid(1)),
        revision: Some(RevisionNumber::FIRST),
        action,
        outcome: Outcome::Success,
        source: Some("127.0.0.1".into()),
        detail: detail.into(),
    }
}

#[tokio::test]
async fn the_audit_chain_links_every_event() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        assert_eq!(tx.audit_head().await.expect("q"), None);
        let first = tx
            .append_audit(&event(AuditAction::SecretAdd, "one"))
            .await
            .expect("append");
        let second = tx
            .append_audit(&event(AuditAction::SecretReveal, "two"))
            .await
            .expect("append");
        tx.commit().await.expect("commit");
        assert_eq!((first.seq, first.prev_hash.as_str()), (1, GENESIS_HASH));
        assert_eq!((second.seq, &second.prev_hash), (2, &first.hash));
        let mut tx = s.store.read().await.expect("tx");
        assert_eq!(
            tx.audit_head().await.expect("q"),
            Some((2, second.hash.clone()))
        );
        assert_eq!(
            tx.audit_chain_page(0, 10).await.expect("q"),
            [first.clone(), second.clone()]
        );
        assert_eq!(
            tx.audit_chain_page(1, 10).await.expect("q"),
            std::slice::from_ref(&second)
        );
        let reveals = AuditQuery {
            action: Some(AuditAction::SecretReveal),
            limit: 10,
            ..AuditQuery::default()
        };
        assert_eq!(
            tx.audit_events(&reveals).await.expect("q"),
            std::slice::from_ref(&second)
        );
        let by_alice = AuditQuery {
            actor: Some((ActorKind::User, "alice".into())),
            limit: 10,
            ..AuditQuery::default()
        };
        assert_eq!(
            tx.audit_events(&by_alice).await.expect("q"),
            [second, first],
            "newest first"
        );
    }
}

#[tokio::test]
async fn master_key_state_and_rewrapping_pages() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        assert_eq!(tx.master_key_id().await.expect("q"), None);
        tx.set_master_key_id("key-a", T0).await.expect("set");
        tx.set_master_key_id("key-b", T0).await.expect("replace");
        assert_eq!(
            tx.master_key_id().await.expect("q").as_deref(),
            Some("key-b")
        );
        let prod = model(&mut *tx, "prod").await;
        for i in 1..=3u8 {
            tx.insert_secret(&secret(sid(i), prod.id, SecretOwner::Model, None, 0))
                .await
                .expect("secret");
            let rec = RevisionRecord {
                secret_id: sid(i),
                revision: RevisionNumber::FIRST,
                checksum: "x".into(),
                expire_at: None,
                sealed: sealed(i),
                created_at: T0,
            };
            tx.insert_revision(&rec).await.expect("revision");
        }
        let first = tx.sealed_page(None, 2).await.expect("page");
        assert_eq!(
            first
                .iter()
                .map(|r| r.secret_id.clone())
                .collect::<Vec<_>>(),
            [sid(1), sid(2)]
        );
        assert_eq!(first[0].model_uuid, prod.uuid);
        let rest = tx
            .sealed_page(Some((sid(2), RevisionNumber::FIRST)), 2)
            .await
            .expect("page");
        assert_eq!(
            rest.iter().map(|r| r.secret_id.clone()).collect::<Vec<_>>(),
            [sid(3)]
        );
        let moved = Sealed {
            wrapped_key: vec![9; 48],
            master_key_id: "key-b".into(),
            ..sealed(3)
        };
        tx.update_wrapped_key(&sid(3), RevisionNumber::FIRST, &moved)
            .await
            .expect("rewrap");
        assert_eq!(
            tx.revision(&sid(3), RevisionNumber::FIRST)
                .await
                .expect("q")
                .map(|r| r.sealed),
            Some(moved)
        );
        tx.commit().await.expect("commit");
        s.store.ready().await.expect("migrations applied");
    }
}
