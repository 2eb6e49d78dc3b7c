//! `testkit::pg::TestDatabase` cleans up after itself.

use testkit::pg::TestDatabase;

#[tokio::test]
async fn a_test_database_is_gone_when_its_test_is_done() {
    let Some(admin_url) = testkit::postgres_url("the test database clean-up test") else {
        return;
    };
    let database = TestDatabase::create(&admin_url).await;
    let name = database.name().to_owned();
    let pool = sqlx::PgPool::connect(&database.url).await.expect("connect");
    let exists = |pool: sqlx::PgPool, name: String| async move {
        sqlx::query_scalar::<_, i64>("select count(*) from pg_database where datname = $1")
            .bind(name)
            .fetch_one(&pool)
            .await
            .expect("count")
    };
    assert_eq!(exists(pool.clone(), name.clone()).await, 1);
    // Dropped with a connection still open, as a test that fails half way leaves it.
    drop(database);
    let admin = sqlx::PgPool::connect(&admin_url).await.expect("admin");
    assert_eq!(exists(admin, name).await, 0, "the database was left behind");
    drop(pool);
}
