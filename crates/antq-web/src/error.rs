//! The one place where use-case errors become HTTP responses: JSON for the API, an error
//! page (or a redirect to the login page) for the UI.

use antq_app::AppError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::i18n::{Lang, Tr};

/// Status and stable code of an error.
pub fn status_and_code(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        AppError::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
        AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

fn public_message(e: &AppError) -> String {
    match e {
        AppError::Internal(detail) => {
            tracing::error!(error = %detail, "internal error");
            "Lỗi hệ thống. Vui lòng thử lại hoặc báo quản trị viên (kèm mã yêu cầu).".into()
        }
        AppError::Invalid(_) => "Dữ liệu không hợp lệ; xem chi tiết từng trường.".into(),
        other => other.to_string(),
    }
}

/// An API error: `{"error":{"code","message","fields"}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = status_and_code(&self.0);
        let fields = match &self.0 {
            AppError::Invalid(f) => serde_json::to_value(f).unwrap_or_default(),
            _ => serde_json::json!({}),
        };
        let body = serde_json::json!({"error": {"code": code, "message": public_message(&self.0), "fields": fields}});
        let mut res = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        with_retry_after(res, &self.0)
    }
}

/// A page error: the Vietnamese (or English) error page; unauthenticated users are sent to
/// the login page.
#[derive(Debug)]
pub struct PageError {
    /// The error.
    pub err: AppError,
    /// Language of the page.
    pub lang: Lang,
}

impl PageError {
    /// An error page in Vietnamese, for middleware that has no language at hand.
    pub fn bare(err: AppError) -> Self {
        PageError { err, lang: Lang::Vi }
    }
}

impl From<AppError> for PageError {
    fn from(err: AppError) -> Self {
        PageError::bare(err)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.err, AppError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        let (status, _) = status_and_code(&self.err);
        let tr = Tr { lang: self.lang };
        let message = match &self.err {
            AppError::Invalid(f) => f.summary(),
            e => public_message(e),
        };
        with_retry_after(crate::ui::error_page(tr, status, &message), &self.err)
    }
}

/// Adds `Retry-After` to a 429 or a 503.
pub fn with_retry_after(mut res: Response, e: &AppError) -> Response {
    let secs = match e {
        AppError::TooManyAttempts(secs) => Some(*secs),
        AppError::Unavailable(_) => Some(30),
        _ => None,
    };
    if let Some(secs) = secs {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    res
}
