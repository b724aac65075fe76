//! Who is calling: API tokens and session cookies resolved once per request, CSRF checked
//! for every unsafe method, and the extractors handlers use.

use antq_app::{Actor, AppError, accounts};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::error::ApiError;

/// Session cookie name.
pub const SESSION_COOKIE: &str = "antq_session";
/// Cookie holding the anti-forgery token of forms shown before login (double submit).
pub const PRE_COOKIE: &str = "antq_pre";
/// Form field / query parameter carrying the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// Header carrying the CSRF token (htmx requests).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller authenticated.
#[derive(Clone, Debug)]
pub enum Via {
    /// Browser session (token in the cookie; CSRF token for forms).
    Session {
        /// The raw session token (to log out).
        token: String,
        /// The session's CSRF token.
        csrf: String,
    },
    /// `Authorization: Bearer` API token.
    Token,
}

/// The authenticated caller, stored in the request extensions by [`authenticate`].
#[derive(Clone, Debug)]
pub struct Auth {
    /// Who.
    pub actor: Actor,
    /// How.
    pub via: Via,
}

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`, `Secure` when asked.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(a) = max_age {
        c.push_str(&format!("; Max-Age={a}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

fn query_param(uri: &axum::http::Uri, name: &str) -> Option<String> {
    url::form_urlencoded::parse(uri.query()?.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The request id, when it is a plausible one (it is copied into audit entries, so a
/// client-chosen value must stay short and plain).
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(crate::middleware::REQUEST_ID)?.to_str().ok()?;
    (v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))).then(|| v.to_string())
}

/// The client's address as the server saw it (never stored: throttling and rate limits only).
pub fn client_addr(parts_ext: &axum::http::Extensions) -> Option<std::net::IpAddr> {
    parts_ext.get::<axum::extract::ConnectInfo<crate::tls::ClientAddr>>().map(|c| c.0.0.ip())
}

/// Resolves the caller and enforces CSRF. Runs on every request except static assets.
/// Requests without valid credentials are rate-limited per client.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/assets/") || path == "/healthz" || path == "/favicon.ico" {
        return next.run(req).await;
    }
    let is_api = path.starts_with("/api/");
    let (parts, body) = req.into_parts();
    let mut auth = None;
    if let Some(token) = bearer(&parts.headers) {
        match accounts::token_actor(&state.ctx, token).await {
            Ok(actor) => auth = Some(Auth { actor, via: Via::Token }),
            Err(e) => {
                if let Err(wait) = state.limiter.check(client_addr(&parts.extensions)) {
                    return error_response(true, wait);
                }
                return ApiError(e).into_response();
            }
        }
    } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
        match accounts::session(&state.ctx, &token).await {
            Ok((actor, csrf)) => auth = Some(Auth { actor, via: Via::Session { token, csrf } }),
            Err(AppError::Unauthenticated) => {}
            Err(e) => return error_response(is_api, e),
        }
    }
    if auth.is_none()
        && let Err(wait) = state.limiter.check(client_addr(&parts.extensions))
    {
        return error_response(is_api, wait);
    }
    if let Some(a) = auth.as_mut() {
        a.actor.request_id = request_id(&parts.headers);
    }
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    // CSRF protects ambient credentials (cookies). API calls carrying none have nothing to
    // forge: they go on to the route guard, which answers 401.
    let no_credentials = is_api && auth.is_none() && cookie(&parts.headers, SESSION_COOKIE).is_none();
    let req = if safe || no_credentials || matches!(auth, Some(Auth { via: Via::Token, .. })) {
        Request::from_parts(parts, body)
    } else {
        let expected = match &auth {
            Some(Auth { via: Via::Session { csrf, .. }, .. }) => Some(csrf.clone()),
            _ => cookie(&parts.headers, PRE_COOKIE),
        };
        let cross_site = parts.headers.get("sec-fetch-site").is_some_and(|v| v == "cross-site");
        let mut provided = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| query_param(&parts.uri, CSRF_FIELD));
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let body = if provided.is_none() && is_form {
            match axum::body::to_bytes(body, 1024 * 1024).await {
                Ok(bytes) => {
                    provided =
                        url::form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned());
                    Body::from(bytes)
                }
                Err(_) => {
                    return error_response(
                        is_api,
                        AppError::Invalid(antq_domain::FieldErrors::single("body", "Nội dung gửi lên quá lớn.")),
                    );
                }
            }
        } else {
            body
        };
        let ok = !cross_site
            && matches!((&expected, &provided), (Some(e), Some(p)) if !e.is_empty() && subtle_eq(e.as_bytes(), p.as_bytes()));
        if !ok {
            return error_response(
                is_api,
                AppError::Forbidden(
                    "Yêu cầu không hợp lệ hoặc phiên làm việc đã hết hạn (CSRF). Hãy tải lại trang rồi thử lại.".into(),
                ),
            );
        }
        Request::from_parts(parts, body)
    };
    let mut req = req;
    if let Some(a) = auth {
        req.extensions_mut().insert(a);
    }
    next.run(req).await
}

fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An error from the middleware, as JSON for the API and as a page otherwise.
pub fn error_response(is_api: bool, e: AppError) -> Response {
    if is_api { ApiError(e).into_response() } else { crate::error::PageError::bare(e).into_response() }
}

/// The caller of an API endpoint; 401 without credentials.
pub struct ApiActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiActor {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts.extensions.get::<Auth>().map(|a| ApiActor(a.actor.clone())).ok_or(ApiError(AppError::Unauthenticated))
    }
}

/// The logged-in user of a page, with the CSRF token its forms carry; redirects to the login
/// page otherwise.
pub struct PageActor {
    /// Who.
    pub actor: Actor,
    /// CSRF token for forms.
    pub csrf: String,
    /// Raw session token (for logout).
    pub session: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageActor {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        match parts.extensions.get::<Auth>() {
            Some(Auth { actor, via: Via::Session { token, csrf } }) => {
                Ok(PageActor { actor: actor.clone(), csrf: csrf.clone(), session: Some(token.clone()) })
            }
            Some(Auth { actor, via: Via::Token }) => {
                Ok(PageActor { actor: actor.clone(), csrf: String::new(), session: None })
            }
            None => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let target = format!(
                    "/login?next={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Whether the request came from htmx (render the fragment only).
pub struct HxRequest(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for HxRequest {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(HxRequest(parts.headers.get("hx-request").is_some_and(|v| v == "true")))
    }
}
