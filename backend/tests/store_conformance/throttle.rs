//! The sign-in back-off's records, and removing all of an owner's tokens.

use crate::*;
use backend::store::LoginThrottle;

fn row(key: &str, failures: u32, blocked_until: i64, last_failure: i64) -> LoginThrottle {
    LoginThrottle {
        key: key.into(),
        failures,
        blocked_until: Timestamp(blocked_until),
        last_failure: Timestamp(last_failure),
    }
}

#[tokio::test]
async fn throttle_records_are_replaced_cleared_and_forgotten() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        assert_eq!(tx.login_throttle("a").await.expect("q"), None);
        tx.put_login_throttle(&row("a", 1, 10, 10))
            .await
            .expect("put");
        tx.put_login_throttle(&row("a", 4, 2_010, 20))
            .await
            .expect("replace");
        tx.put_login_throttle(&row("b", 1, 5, 5))
            .await
            .expect("put");
        tx.put_login_throttle(&row("c", 9, 900_000, 6))
            .await
            .expect("put");
        assert_eq!(
            tx.login_throttle("a").await.expect("q"),
            Some(row("a", 4, 2_010, 20))
        );
        tx.clear_login_throttle("a").await.expect("clear");
        assert_eq!(tx.login_throttle("a").await.expect("q"), None);
        tx.forget_login_throttles(Timestamp(100))
            .await
            .expect("forget");
        assert_eq!(tx.login_throttle("b").await.expect("q"), None, "stale");
        assert!(
            tx.login_throttle("c").await.expect("q").is_some(),
            "a block still running is kept however old its last failure"
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn all_tokens_of_one_owner_are_deleted_and_no_others() {
    for s in stores().await {
        let mut tx = s.store.write().await.expect("tx");
        let mut users = Vec::new();
        for name in ["alice", "bob"] {
            let new = NewUser {
                name: UserName::parse(name).expect("name"),
                password_hash: "$argon2id$x".into(),
                superuser: false,
                now: T0,
            };
            users.push(tx.insert_user(&new).await.expect("user"));
        }
        for (user, n) in [(users[0], 3), (users[1], 1)] {
            for _ in 0..n {
                let plain = PlainToken::generate(TokenKind::Personal);
                let new = NewToken {
                    owner: TokenOwner::User(user),
                    hash: plain.hash(),
                    label: String::new(),
                    now: T0,
                };
                tx.insert_token(&new).await.expect("token");
            }
        }
        let gone = tx
            .delete_tokens_of(TokenOwner::User(users[0]))
            .await
            .expect("delete");
        assert_eq!(gone, 3);
        assert!(
            tx.tokens_of(TokenOwner::User(users[0]))
                .await
                .expect("q")
                .is_empty()
        );
        assert_eq!(
            tx.tokens_of(TokenOwner::User(users[1]))
                .await
                .expect("q")
                .len(),
            1
        );
        tx.commit().await.expect("commit");
    }
}
