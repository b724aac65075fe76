//! `/api/v1/unit-changes`: loading and applying a change of the administrative map (issue 16).
//! National administrators only.

use antq_app::unit_changes::{self, ChangeView, Checked, Upload};
use antq_domain::FieldErrors;
use antq_domain::unit_change::{Applied, ChangeHeader, ChangeStep, UnitChange};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use axum::routing::{get, post};

use super::activities::FormatParam;
use super::interchange::{download, format_or_xlsx};
use super::{ApiPath, ApiQuery, ErrorBody, Paging, list_type};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{Routes, USERS};

list_type!(UnitChangeList, UnitChange);
list_type!(ChangeStepList, ChangeStep);

/// Routes.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/unit-changes", get(list).post(upload), &[(Method::GET, USERS), (Method::POST, USERS)])
        .route("/unit-changes/template", get(template), &[(Method::GET, USERS)])
        .route("/unit-changes/{id}", get(get_one), &[(Method::GET, USERS)])
        .route("/unit-changes/{id}/steps", get(steps), &[(Method::GET, USERS)])
        .route("/unit-changes/{id}/apply", post(apply), &[(Method::POST, USERS)])
        .route("/unit-changes/{id}/cancel", post(cancel), &[(Method::POST, USERS)])
}

/// What the file names once, and whether to save it.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct UploadParams {
    /// Id of the new map (letters, digits, `_`).
    pub generation: String,
    /// Name of the new map.
    pub name: String,
    /// Số hiệu of the resolution.
    pub legal_basis: String,
    /// First day of the new map (YYYY-MM-DD).
    pub effective_on: String,
    /// `csv` or `xlsx` (default).
    pub format: Option<String>,
    /// Only check (default true); `false` saves it as pending when it holds.
    pub dry_run: Option<bool>,
}

/// The check of an upload, and the id when it was saved.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UploadResult {
    /// Id of the saved change (not on a dry run).
    pub id: Option<i64>,
    /// What it does, or its faults.
    pub check: Checked,
}

/// Checks a change table sent as the body (nothing written) or, with `dry_run=false`, saves it
/// as pending. 422 with every fault by row when it does not hold.
#[utoipa::path(post, path = "/api/v1/unit-changes", tag = "units", params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Tệp CSV hoặc XLSX"),
    responses((status = 200, body = UploadResult), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<UploadParams>,
    body: Bytes,
) -> Result<Json<UploadResult>, ApiError> {
    let format = format_or_xlsx(p.format.as_deref())?;
    let day = chrono::NaiveDate::parse_from_str(p.effective_on.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError(antq_app::AppError::Invalid(FieldErrors::single("effective_on", "Ngày phải có dạng NNNN-TT-NN.")))
    })?;
    let header = ChangeHeader { generation: p.generation, name: p.name, legal_basis: p.legal_basis, effective_on: day };
    let u = Upload { header, file_name: "api", bytes: &body, format };
    if p.dry_run == Some(false) {
        let (id, check) = unit_changes::load(&s.ctx, &a, &u).await?;
        return Ok(Json(UploadResult { id: Some(id), check }));
    }
    let (check, ..) = unit_changes::check(&s.ctx, &a, &u).await?;
    if !check.errors.is_empty() {
        return Err(ApiError(antq_app::AppError::Invalid(FieldErrors::single("file", check.errors.join(" ")))));
    }
    Ok(Json(UploadResult { id: None, check }))
}

/// The loaded changes, newest first.
#[utoipa::path(get, path = "/api/v1/unit-changes", tag = "units", params(Paging),
    responses((status = 200, body = UnitChangeList), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(pg): ApiQuery<Paging>,
) -> Result<Json<UnitChangeList>, ApiError> {
    Ok(Json(unit_changes::list(&s.ctx, &a, pg.request()).await?.into()))
}

/// The empty table.
#[utoipa::path(get, path = "/api/v1/unit-changes/template", tag = "units", params(FormatParam),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn template(ApiActor(_a): ApiActor, ApiQuery(f): ApiQuery<FormatParam>) -> Result<Response, ApiError> {
    let format = format_or_xlsx(f.format.as_deref())?;
    Ok(download(unit_changes::template(format), format, "sap-xep-don-vi-hanh-chinh-mau"))
}

/// One change; a pending one is checked again against today's map.
#[utoipa::path(get, path = "/api/v1/unit-changes/{id}", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, body = ChangeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ChangeView>, ApiError> {
    Ok(Json(unit_changes::show(&s.ctx, &a, id).await?))
}

/// The rows of a change, in file order.
#[utoipa::path(get, path = "/api/v1/unit-changes/{id}/steps", tag = "units", params(("id" = i64, Path), Paging),
    responses((status = 200, body = ChangeStepList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn steps(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(pg): ApiQuery<Paging>,
) -> Result<Json<ChangeStepList>, ApiError> {
    Ok(Json(unit_changes::steps(&s.ctx, &a, id, pg.request()).await?.into()))
}

/// Applies a pending change whose day has come; 409 before its day, once applied, or when
/// rows would collide (nothing is then changed).
#[utoipa::path(post, path = "/api/v1/unit-changes/{id}/apply", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, body = Applied), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn apply(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Applied>, ApiError> {
    Ok(Json(unit_changes::apply(&s.ctx, &a, id).await?))
}

/// Cancels a pending change; 409 otherwise.
#[utoipa::path(post, path = "/api/v1/unit-changes/{id}/cancel", tag = "units", params(("id" = i64, Path)),
    responses((status = 204, description = "Đã hủy"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::http::StatusCode, ApiError> {
    unit_changes::cancel(&s.ctx, &a, id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
