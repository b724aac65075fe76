//! Test databases for the conformance suite and the integration tests: a fresh SQLite file,
//! or (when `TEST_POSTGRES_URL` is set) a freshly created PostgreSQL database that is dropped
//! again when the guard goes out of scope.

use crate::{Backend, Db};

/// A migrated, seeded database that cleans up after itself.
pub struct TestDb {
    /// The pool.
    pub db: Db,
    /// Its URL (for spawning the binary against the same database).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

/// The PostgreSQL server URL for tests, if configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())
}

impl TestDb {
    /// Creates a migrated database with the geography on `backend`; `None` when PostgreSQL is
    /// asked for but not configured.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let t = Self::empty(backend).await?;
        t.db.migrate().await.expect("migrate");
        crate::seed::load_units_if_empty(&t.db).await.expect("seed units");
        Some(t)
    }

    /// Creates a database without any table (restore targets).
    pub async fn empty(backend: Backend) -> Option<TestDb> {
        let t = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("antq.db").display());
                let db = Db::connect(&url).await.expect("open sqlite");
                TestDb { db, url, _dir: Some(dir), pg_drop: None }
            }
            Backend::Postgres => {
                let admin = postgres_url()?;
                let name = format!("antq_test_{}_{}", std::process::id(), unique());
                let admin_db = Db::connect(&admin).await.expect("connect to TEST_POSTGRES_URL");
                let create = format!("CREATE DATABASE {name}");
                crate::with_db!(&admin_db, p => sqlx::query(sqlx::AssertSqlSafe(create.clone())).execute(p).await.map(|_| ())).expect("create test database");
                admin_db.close().await;
                let url = with_database(&admin, &name);
                let db = Db::connect(&url).await.expect("open test database");
                TestDb { db, url, _dir: None, pg_drop: Some((admin, name)) }
            }
        };
        Some(t)
    }

    /// Runs raw SQL, as someone with direct access to the database could (tamper tests).
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sql.to_string();
        crate::with_db!(&self.db, p => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(p).await.map(|r| r.rows_affected()))
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    (u64::from(nanos) << 16) + N.fetch_add(1, Ordering::Relaxed)
}

/// The same server URL pointing at another database.
fn with_database(url: &str, name: &str) -> String {
    let mut u = url::Url::parse(url).expect("TEST_POSTGRES_URL must be a URL");
    u.set_path(&format!("/{name}"));
    u.to_string()
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.pg_drop.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which is blocked here: clean up on a thread with
        // a runtime of its own, and let FORCE end the connections the test's pool still holds.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                if let Ok(admin_db) = Db::connect(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = crate::with_db!(&admin_db, p => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(p).await.map(|_| ()));
                    admin_db.close().await;
                }
            });
        })
        .join();
    }
}

/// Declares one async test body run on each backend: `sqlite_NAME` always, `postgres_NAME`
/// when `TEST_POSTGRES_URL` is set (it passes trivially otherwise, saying so on stderr).
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident($db:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn body($db: &$crate::testing::TestDb) $body

            #[tokio::test]
            async fn sqlite() {
                let t = $crate::testing::TestDb::new($crate::Backend::Sqlite).await.expect("sqlite");
                body(&t).await;
            }

            #[tokio::test]
            async fn postgres() {
                match $crate::testing::TestDb::new($crate::Backend::Postgres).await {
                    Some(t) => body(&t).await,
                    None => eprintln!("TEST_POSTGRES_URL not set: PostgreSQL variant skipped"),
                }
            }
        }
    )*};
}
