//! `/api/v1/public/reports`: what a citizen's front end (a future mobile app) calls, without
//! an account. The caller's address is only used, hashed in memory, by the rate limits.

use antq_app::reports::{intake, receipt};
use antq_domain::report::input::{PublicMessageInput, ReceiptInput};
use antq_domain::report::{CitizenView, PublicReportInput};
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Extensions, Method, StatusCode};
use axum::routing::post;

use super::extract::JsonOrMultipart;
use super::reports::FILES_LIMIT;
use super::{ApiJson, ErrorBody};
use crate::AppState;
use crate::error::ApiError;
use crate::routes::{Guard, Routes};

/// Routes of the public report API.
pub fn routes() -> Routes {
    let public = &[(Method::POST, Guard::Public)];
    Routes::new(true)
        .route("/public/reports", post(submit).layer(DefaultBodyLimit::max(FILES_LIMIT)), public)
        .route("/public/reports/lookup", post(lookup), public)
        .route("/public/reports/messages", post(message).layer(DefaultBodyLimit::max(FILES_LIMIT)), public)
}

/// The stricter limit of citizens' report requests (callers with credentials are officers
/// testing the form, and are not limited).
pub fn gate(s: &AppState, ext: &Extensions) -> Result<(), antq_app::AppError> {
    if ext.get::<crate::auth::Auth>().is_some() {
        return Ok(());
    }
    s.report_limiter.check(crate::auth::client_addr(ext))
}

/// Sends a report (JSON, or multipart with the JSON in `report` and files in `files`). The
/// answer is the receipt: keep the secret, it is shown only here.
#[utoipa::path(post, path = "/api/v1/public/reports", tag = "public", security(()), request_body = PublicReportInput,
    responses((status = 201, body = receipt::Receipt), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn submit(
    State(s): State<AppState>,
    ext: Extensions,
    body: JsonOrMultipart<PublicReportInput>,
) -> Result<(StatusCode, Json<receipt::Receipt>), ApiError> {
    gate(&s, &ext)?;
    Ok((StatusCode::CREATED, Json(intake::submit(&s.ctx, &body.value, body.files).await?)))
}

/// The status in plain words and the dialogue. An unknown code and a wrong secret get the
/// same answer (422 on `secret`).
#[utoipa::path(post, path = "/api/v1/public/reports/lookup", tag = "public", security(()), request_body = ReceiptInput,
    responses((status = 200, body = CitizenView), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn lookup(
    State(s): State<AppState>,
    ext: Extensions,
    ApiJson(input): ApiJson<ReceiptInput>,
) -> Result<Json<CitizenView>, ApiError> {
    gate(&s, &ext)?;
    Ok(Json(receipt::lookup(&s.ctx, &input).await?))
}

/// Adds information or answers the officers (JSON, or multipart with the JSON in `message`
/// and files in `files`).
#[utoipa::path(post, path = "/api/v1/public/reports/messages", tag = "public", security(()), request_body = PublicMessageInput,
    responses((status = 200, body = CitizenView), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn message(
    State(s): State<AppState>,
    ext: Extensions,
    body: JsonOrMultipart<PublicMessageInput>,
) -> Result<Json<CitizenView>, ApiError> {
    gate(&s, &ext)?;
    Ok(Json(receipt::add_message(&s.ctx, &body.value, body.files).await?))
}
