//! Login, logout, the first-run setup page and the language switch.

use antq_app::AppError;
use antq_app::accounts::{self, NewAccount};
use antq_domain::FieldErrors;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::{Chrome, Opt, PageResult, render, render_status};
use crate::AppState;
use crate::auth::{PRE_COOKIE, PageActor, SESSION_COOKIE, cookie, set_cookie};
use crate::i18n::{LANG_COOKIE, Tr};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    pre: String,
    next: String,
    username: String,
    error: Option<String>,
}

/// The pre-login anti-forgery token: the cookie's value, or a new one to set.
pub(super) fn pre_token(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, PRE_COOKIE).filter(|v| v.len() == 64) {
        Some(v) => (v, false),
        None => (accounts::random_secret(), true),
    }
}

pub(super) fn with_pre_cookie(mut res: Response, token: &str, fresh: bool, secure: bool) -> Response {
    if fresh {
        res.headers_mut().append(header::SET_COOKIE, set_cookie(PRE_COOKIE, token, None, secure));
    }
    res
}

/// Where to go after login: only local paths.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[derive(serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn login_page(State(s): State<AppState>, tr: Tr, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let (pre, fresh) = pre_token(&headers);
    let page = LoginPage {
        c: Chrome::anonymous(tr, tr.t("login.title")),
        pre: pre.clone(),
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        error: None,
    };
    with_pre_cookie(render(&page), &pre, fresh, s.web.secure_cookies)
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    code: Option<String>,
    next: Option<String>,
}

/// A redirect that sets the session cookie of a fresh session.
fn session_redirect(s: &AppState, to: &str, session: &accounts::Session) -> Response {
    let mut res = Redirect::to(to).into_response();
    let max_age = s.ctx.settings.session_idle.as_secs() as i64;
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &session.token, Some(max_age), s.web.secure_cookies));
    res
}

/// `POST /login`: opens a session (a fresh token: sessions rotate at every login; a session
/// cookie the browser still held is ended).
pub async fn login(
    State(s): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> Response {
    let attempt = accounts::LoginAttempt {
        username: f.username.clone(),
        password: f.password.clone(),
        code: f.code.clone(),
        client: crate::auth::client_addr(&ext).map(|a| a.to_string()),
        request_id: crate::auth::request_id(&headers),
    };
    match accounts::login(&s.ctx, &attempt).await {
        Ok(session) => {
            if let Some(old) = cookie(&headers, SESSION_COOKIE)
                && let Ok((actor, _)) = accounts::session(&s.ctx, &old).await
            {
                let _ = accounts::logout(&s.ctx, &actor, &old).await;
            }
            session_redirect(&s, &safe_next(f.next.as_deref()), &session)
        }
        Err(e) => {
            let (pre, fresh) = pre_token(&headers);
            let status = if matches!(e, AppError::TooManyAttempts(_)) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            let error = match &e {
                AppError::Unauthenticated => tr.t("login.failed").to_string(),
                AppError::TooManyAttempts(secs) => tr.t("login.throttled").replace("{secs}", &secs.to_string()),
                other => other.to_string(),
            };
            let page = LoginPage {
                c: Chrome::anonymous(tr, tr.t("login.title")),
                pre: pre.clone(),
                next: safe_next(f.next.as_deref()),
                username: f.username,
                error: Some(error),
            };
            let res = render_status(&page, status);
            crate::error::with_retry_after(with_pre_cookie(res, &pre, fresh, s.web.secure_cookies), &e)
        }
    }
}

/// `POST /logout`.
pub async fn logout(State(s): State<AppState>, p: PageActor) -> Response {
    if let Some(token) = &p.session {
        let _ = accounts::logout(&s.ctx, &p.actor, token).await;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), s.web.secure_cookies));
    res
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    c: Chrome,
    pre: String,
    secret: String,
    username: String,
    display_name: String,
    provinces: Vec<Opt>,
    errors: FieldErrors,
}

async fn province_opts(s: &AppState, selected: &str) -> Vec<Opt> {
    let all = antq_app::units::provinces(&s.ctx).await.unwrap_or_default();
    all.into_iter().map(|u| Opt { selected: u.code == selected, label: u.full_name(), value: u.code }).collect()
}

/// `GET /setup/{secret}`: the first administrator chooses a password.
pub async fn setup_page(
    State(s): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    Path(secret): Path<String>,
) -> PageResult {
    if !accounts::setup_secret_valid(&s.ctx, &secret).await.unwrap_or(false) {
        return Ok(super::error_page(tr, StatusCode::NOT_FOUND, tr.t("setup.invalid")));
    }
    let (pre, fresh) = pre_token(&headers);
    let page = SetupPage {
        c: Chrome::anonymous(tr, tr.t("setup.title")),
        pre: pre.clone(),
        secret,
        username: "admin".into(),
        display_name: String::new(),
        provinces: province_opts(&s, "01").await,
        errors: FieldErrors::new(),
    };
    Ok(with_pre_cookie(render(&page), &pre, fresh, s.web.secure_cookies))
}

#[derive(serde::Deserialize)]
pub struct SetupForm {
    username: String,
    display_name: Option<String>,
    unit_code: String,
    password: String,
    password2: String,
}

/// `POST /setup/{secret}`: creates the first administrator and logs them in.
pub async fn setup(
    State(s): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(f): Form<SetupForm>,
) -> PageResult {
    let account = NewAccount {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        role: "admin".into(),
        unit_code: f.unit_code.clone(),
        password: f.password.clone(),
    };
    let result = if f.password != f.password2 {
        Err(AppError::Invalid(FieldErrors::single("password", tr.t("setup.mismatch"))))
    } else {
        accounts::complete_setup(&s.ctx, &secret, &account).await
    };
    match result {
        Ok(_) => {
            let attempt = accounts::LoginAttempt {
                username: f.username.clone(),
                password: f.password.clone(),
                request_id: crate::auth::request_id(&headers),
                ..Default::default()
            };
            let session = accounts::login(&s.ctx, &attempt).await.map_err(crate::error::PageError::from)?;
            Ok(session_redirect(&s, "/", &session))
        }
        Err(AppError::Invalid(errors)) => {
            let (pre, fresh) = pre_token(&headers);
            let page = SetupPage {
                c: Chrome::anonymous(tr, tr.t("setup.title")),
                pre: pre.clone(),
                secret,
                username: f.username,
                display_name: f.display_name.unwrap_or_default(),
                provinces: province_opts(&s, &f.unit_code).await,
                errors,
            };
            Ok(with_pre_cookie(
                render_status(&page, StatusCode::UNPROCESSABLE_ENTITY),
                &pre,
                fresh,
                s.web.secure_cookies,
            ))
        }
        Err(e) => Err(crate::error::PageError { err: e, lang: tr.lang }),
    }
}

/// `GET /lang/{vi|en}`: remembers the language and goes back.
pub async fn set_lang(State(s): State<AppState>, Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let lang = if lang == "en" { "en" } else { "vi" };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .map(|u| format!("{}{}", u.path(), u.query().map(|q| format!("?{q}")).unwrap_or_default()))
        .unwrap_or_else(|| "/".into());
    let mut res = Redirect::to(&safe_next(Some(&back))).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang, Some(365 * 24 * 3600), s.web.secure_cookies));
    res
}
