//! A PostgreSQL database of a test's own, beside the one `TEST_POSTGRES_URL` names, dropped when
//! the test is done with it.

/// Dropped (with its connections) when this goes out of scope.
pub struct TestDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl TestDatabase {
    pub async fn create(admin_url: &str) -> TestDatabase {
        use sqlx::Connection as _;
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("connect to TEST_POSTGRES_URL");
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("create database {name}"))
            .execute(&mut admin)
            .await
            .expect("create database");
        let (server, _) = admin_url
            .rsplit_once('/')
            .expect("URL ends in a database name");
        TestDatabase {
            url: format!("{server}/{name}"),
            admin_url: admin_url.to_owned(),
            name,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    /// `drop` cannot await, and may run inside the test's runtime: a thread of its own, with a
    /// runtime of its own, drops the database (`with (force)` ends the test's connections).
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                use sqlx::Connection as _;
                let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                sqlx::query(&format!("drop database if exists {name} with (force)"))
                    .execute(&mut admin)
                    .await
                    .map(|_| ())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("test database {} was not dropped: {dropped:?}", self.name);
        }
    }
}
