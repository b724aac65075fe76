//! The test harness: the real app on port 0 with a fresh database.

use antq_app::{Actor, AppCtx, Settings, accounts};
use antq_store::Backend;
use antq_store::testing::TestDb;
use antq_web::{AppState, WebSettings};
use serde_json::Value;

/// A running app.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Use-case context over the same database (to create users, read state).
    pub ctx: AppCtx,
    /// The database guard (dropped last).
    _db: TestDb,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    /// Starts the app on `backend`; `None` when PostgreSQL is not configured.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, Settings::default(), WebSettings::default()).await
    }

    /// Starts the app with the given settings.
    pub async fn spawn_with(backend: Backend, settings: Settings, web: WebSettings) -> Option<TestApp> {
        let db = TestDb::new(backend).await?;
        let ctx = AppCtx::new(db.db.clone(), settings, antq_app::keys::IdentityKey::generate().0);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        // The server sees every client at 127.0.0.1, so the limits apply to the tests as a whole.
        let state = AppState::new(ctx.clone(), web);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(antq_web::serve(listener, state, async {
            let _ = rx.await;
        }));
        Some(TestApp { base, ctx, _db: db, shutdown: Some(tx) })
    }

    /// The SQLite database file (`None` on PostgreSQL).
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        self._db.url.strip_prefix("sqlite://").map(std::path::PathBuf::from)
    }

    /// Absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates an account and returns an API token for it.
    pub async fn token(&self, username: &str, role: &str, unit: &str) -> String {
        self.user(username, role, unit).await;
        let o = accounts::TokenOptions { name: "test".into(), ..Default::default() };
        accounts::create_token(&self.ctx, &Actor::cli(), username, &o).await.unwrap()
    }

    /// Creates an account with the password `mat-khau-du-dai-123`.
    pub async fn user(&self, username: &str, role: &str, unit: &str) {
        let a = accounts::NewAccount {
            username: username.into(),
            display_name: Some(format!("Cán bộ {username}")),
            role: role.into(),
            unit_code: unit.into(),
            password: PASSWORD.into(),
        };
        accounts::create_user(&self.ctx, &Actor::cli(), &a).await.unwrap();
    }

    /// An API client authenticated with `token`.
    pub fn api(&self, token: &str) -> Api {
        Api { base: self.base.clone(), token: token.to_string(), http: reqwest::Client::new() }
    }

    /// POSTs JSON without credentials (a citizen's front end).
    pub async fn public_post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = reqwest::Client::new().post(self.url(path)).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// A cookie-keeping browser-like client.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Password of accounts made by [`TestApp::user`].
pub const PASSWORD: &str = "mat-khau-du-dai-123";

/// JSON API client.
pub struct Api {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Api {
    /// GET → (status, JSON body).
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// Every item of a paged list, page after page, checking that the pages add up to `total`.
    pub async fn all_items(&self, path: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        for page in 1.. {
            let (s, b) = self.get(&format!("{path}{sep}per_page=200&page={page}")).await;
            assert_eq!(s, 200, "{path} page {page}: {b}");
            let rows = b["items"].as_array().unwrap_or_else(|| panic!("{path} is not a paged list: {b}"));
            let total = b["total"].as_i64().unwrap_or_else(|| panic!("{path} has no total: {b}"));
            items.extend(rows.iter().cloned());
            if rows.is_empty() || items.len() as i64 >= total {
                assert_eq!(items.len() as i64, total, "{path}: the pages add up to the total");
                break;
            }
        }
        items
    }

    /// GET raw bytes.
    pub async fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let r = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
    }

    /// POST JSON.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r =
            self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.token).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// PATCH JSON.
    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        let r =
            self.http.patch(format!("{}{path}", self.base)).bearer_auth(&self.token).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> (u16, Value) {
        let r = self.http.delete(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// The bearer token, for hand-made requests.
    pub fn token_for_raw_requests(&self) -> String {
        self.token.clone()
    }

    /// POST raw bytes.
    pub async fn post_bytes(&self, path: &str, body: Vec<u8>) -> (u16, Value) {
        let r =
            self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.token).body(body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

/// A browser: cookies kept, redirects not followed (tests look at them).
pub struct Browser {
    base: String,
    /// The HTTP client.
    pub http: reqwest::Client,
}

impl Browser {
    /// GET → (status, body, Location header).
    pub async fn get(&self, path: &str) -> (u16, String, Option<String>) {
        let r = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        let loc = r.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        (r.status().as_u16(), r.text().await.unwrap(), loc)
    }

    /// POST a form → (status, body, Location header).
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String, Option<String>) {
        let r = self.http.post(format!("{}{path}", self.base)).form(form).send().await.unwrap();
        let loc = r.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        (r.status().as_u16(), r.text().await.unwrap(), loc)
    }

    /// Logs in through the login form; returns the CSRF token of the session.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let (_, page, _) = self.get("/login").await;
        let pre = hidden(&page, "_csrf");
        let (status, _, loc) = self
            .post("/login", &[("_csrf", &pre), ("username", username), ("password", password), ("next", "/")])
            .await;
        assert_eq!((status, loc.as_deref()), (303, Some("/")), "login failed");
        let (_, home, _) = self.get("/").await;
        meta_csrf(&home)
    }
}

/// Value of a hidden input in a page.
pub fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no hidden {name}")) + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// The CSRF token in the page's meta tag.
pub fn meta_csrf(page: &str) -> String {
    let marker = "<meta name=\"csrf-token\" content=\"";
    let start = page.find(marker).expect("csrf meta") + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// Runs each test body on SQLite and, when configured, PostgreSQL.
#[macro_export]
macro_rules! app_tests {
    ($($name:ident($app:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn body($app: &$crate::support::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::TestApp::spawn(antq_store::Backend::Sqlite).await.unwrap();
                body(&app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::support::TestApp::spawn(antq_store::Backend::Postgres).await {
                    Some(app) => body(&app).await,
                    None => eprintln!("TEST_POSTGRES_URL not set: PostgreSQL variant skipped"),
                }
            }
        }
    )*};
}
