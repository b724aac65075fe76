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
mod ui;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use antq_app::AppCtx;
use axum::Router;
use tokio::net::TcpListener;

pub use api::openapi_json;

/// Settings of the HTTP server.
#[derive(Clone, Debug)]
pub struct WebSettings {
    /// Mark cookies `Secure` (when served over HTTPS or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Largest request body, bytes (imports are the largest).
    pub body_limit: usize,
    /// Per-request timeout.
    pub request_timeout: Duration,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings { secure_cookies: false, body_limit: 64 * 1024 * 1024, request_timeout: Duration::from_secs(120) }
    }
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The use-case context.
    pub ctx: AppCtx,
    /// HTTP settings.
    pub web: Arc<WebSettings>,
}

/// The complete router: pages, API, assets and middleware. `main`, the tests and the
/// benchmarks all build the app through this one function.
pub fn router(state: AppState) -> Router {
    let web = state.web.clone();
    let app = Router::new()
        .merge(ui::routes())
        .nest("/api/v1", api::routes())
        .route("/healthz", axum::routing::get(api::healthz))
        .route("/assets/{*path}", axum::routing::get(assets::serve))
        .route(
            "/favicon.ico",
            axum::routing::get(|| async { axum::response::Redirect::permanent("/assets/favicon.svg") }),
        )
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
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
