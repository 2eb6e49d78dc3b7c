//! The secrets list: keyset pages, sorting, filters and search.

use crate::*;

/// 120 secrets: names `s000`…`s119`, every third granted to `mysql`, every tenth owned by it.
async fn populate(tx: &mut dyn Tx) -> (domain::ModelId, domain::ApplicationId) {
    let (prod, mysql) = prod_with_mysql(tx).await;
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
            // A name cursor carries the name's sort key (ADR 0025).
            let name = last.secret.name.clone().expect("named");
            after = Some(Cursor::Text(
                domain::natural_order::natural_sort_key(name.as_str()),
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
