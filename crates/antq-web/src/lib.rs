//! antq's web layer: server-rendered pages (askama + htmx), the JSON API under `/api/v1`
//! with its OpenAPI document, embedded assets, and the HTTP concerns (auth extraction,
//! CSRF, security headers, request ids). Use-cases live in `antq-app`; this crate only
//! translates between HTTP and them.

mod api;
mod assets;
mod auth;
mod documents;
mod error;
mod i18n;
mod middleware;
mod ratelimit;
mod routes;
mod tls;
mod ui;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use antq_app::AppCtx;
use axum::Router;
use tokio::net::TcpListener;

pub use api::openapi_json;
pub use routes::{Guard, RouteRule};
pub use tls::load_config as load_tls_config;

/// Settings of the HTTP server.
#[derive(Clone, Debug)]
pub struct WebSettings {
    /// Mark cookies `Secure` (when served over HTTPS or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Largest request body, bytes (imports are the largest).
    pub body_limit: usize,
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// Requests per second allowed to one client without credentials (average).
    pub public_rate: u32,
    /// Burst allowed to one client without credentials.
    pub public_burst: u32,
    /// Served over HTTPS: send `Strict-Transport-Security`.
    pub hsts: bool,
    /// Crime reports, lookups and messages one client without credentials may send per
    /// minute (average), on top of the general limit.
    pub public_report_per_minute: u32,
    /// Burst of those.
    pub public_report_burst: u32,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            secure_cookies: false,
            body_limit: 64 * 1024 * 1024,
            request_timeout: Duration::from_secs(120),
            public_rate: 20,
            public_burst: 200,
            hsts: false,
            public_report_per_minute: 6,
            public_report_burst: 20,
        }
    }
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The use-case context.
    pub ctx: AppCtx,
    /// HTTP settings.
    pub web: Arc<WebSettings>,
    /// Rate limit of requests without credentials.
    pub limiter: Arc<ratelimit::Limiter>,
    /// Stricter limit of citizens' report submissions, lookups and messages.
    pub report_limiter: Arc<ratelimit::Limiter>,
}

impl AppState {
    /// The state for a context and settings.
    pub fn new(ctx: AppCtx, web: WebSettings) -> Self {
        let limiter = Arc::new(ratelimit::Limiter::new(f64::from(web.public_rate), f64::from(web.public_burst)));
        let report_limiter = Arc::new(ratelimit::Limiter::new(
            f64::from(web.public_report_per_minute) / 60.0,
            f64::from(web.public_report_burst),
        ));
        AppState { ctx, web: Arc::new(web), limiter, report_limiter }
    }
}

/// The complete route table: pages, API and assets, each method with its guard.
fn route_table() -> routes::Routes {
    use axum::http::Method;
    use routes::{Guard, Routes};
    let public = &[(Method::GET, Guard::Public)];
    Routes::new(false)
        .merge(ui::routes())
        .nest("/api/v1", api::routes())
        .route("/healthz", axum::routing::get(api::healthz), public)
        .route("/assets/{*path}", axum::routing::get(assets::serve), public)
        .route(
            "/favicon.ico",
            axum::routing::get(|| async { axum::response::Redirect::permanent("/assets/favicon.svg") }),
            public,
        )
}

/// Every route of the router with the guard of each method (for the authorisation tests).
pub fn route_rules() -> Vec<RouteRule> {
    route_table().into_parts().1
}

/// The complete router: pages, API, assets and middleware. `main`, the tests and the
/// benchmarks all build the app through this one function.
pub fn router(state: AppState) -> Router {
    let web = state.web.clone();
    let (routes, _) = route_table().into_parts();
    let app = routes
        .fallback(ui::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .with_state(state);
    middleware::apply(app, &web)
}

/// Serves the router on an already-bound listener until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<tls::ClientAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves HTTPS with `config` on an already-bound listener until `shutdown` completes.
pub async fn serve_tls(
    listener: TcpListener,
    config: Arc<rustls::ServerConfig>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tls::TlsListener::new(listener, config)?;
    axum::serve(listener, router(state).into_make_service_with_connect_info::<tls::ClientAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
