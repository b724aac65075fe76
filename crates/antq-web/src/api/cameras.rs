//! `/api/v1/cameras` (C3), `/api/v1/camera-centres` and `/api/v1/stats/cameras`.

use antq_app::cameras::{self, CameraDetail, CameraQuery, CoverageQuery};
use antq_domain::camera::{Camera, CameraInput, Centre, CentreInput, StatusChangeInput};
use antq_domain::page::Page;
use antq_domain::table::StatTable;
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, patch, post};

use super::activities::FormatParam;
use super::interchange::{download, format_or_xlsx};
use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type, merge_patch};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes, WRITE};

list_type!(CameraList, Camera);
list_type!(CentreList, Centre);

/// Routes of cameras and monitoring centres.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/cameras", get(list).post(create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/cameras/{id}", get(get_one).patch(patch_one), &[(Method::GET, READ), (Method::PATCH, WRITE)])
        .route("/cameras/{id}/status", post(change_status), &[(Method::POST, WRITE)])
        .route("/camera-centres", get(centres).post(create_centre), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/camera-centres/{id}", patch(patch_centre), &[(Method::PATCH, WRITE)])
        .route("/stats/cameras", get(stats), &[(Method::GET, READ)])
        .route("/stats/cameras/export", get(stats_export), &[(Method::GET, READ)])
}

/// Camera points in scope; `broken_days=N` lists those broken for at least N days, longest first.
#[utoipa::path(get, path = "/api/v1/cameras", tag = "cameras", params(CameraQuery, Paging),
    responses((status = 200, body = CameraList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CameraQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<CameraList>, ApiError> {
    Ok(Json(cameras::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// Records a camera point (coordinates in decimal degrees, WGS84, inside Vietnam).
#[utoipa::path(post, path = "/api/v1/cameras", tag = "cameras", request_body = CameraInput,
    responses((status = 201, body = CameraDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<CameraInput>,
) -> Result<(StatusCode, Json<CameraDetail>), ApiError> {
    Ok((StatusCode::CREATED, Json(cameras::create(&s.ctx, &a, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/cameras/{id}", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = CameraDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CameraDetail>, ApiError> {
    Ok(Json(cameras::detail(&s.ctx, &a, id).await?))
}

/// Changes a camera's fields (JSON merge patch); its status changes through `/status`.
#[utoipa::path(patch, path = "/api/v1/cameras/{id}", tag = "cameras", params(("id" = i64, Path)), request_body = CameraInput,
    responses((status = 200, body = CameraDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<serde_json::Value>,
) -> Result<Json<CameraDetail>, ApiError> {
    let current = cameras::get(&s.ctx, &a, id).await?;
    let input: CameraInput = merge_patch(&CameraInput::from(&current), &p)?;
    Ok(Json(cameras::update(&s.ctx, &a, id, &input).await?))
}

/// Records a dated status change: `hong`, `hoat_dong` (repaired) or `da_thao` (final).
#[utoipa::path(post, path = "/api/v1/cameras/{id}/status", tag = "cameras", params(("id" = i64, Path)), request_body = StatusChangeInput,
    responses((status = 200, body = CameraDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_status(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<StatusChangeInput>,
) -> Result<Json<CameraDetail>, ApiError> {
    Ok(Json(cameras::change_status(&s.ctx, &a, id, &b).await?))
}

#[utoipa::path(get, path = "/api/v1/camera-centres", tag = "cameras", params(Paging),
    responses((status = 200, body = CentreList), (status = 403, body = ErrorBody)))]
pub async fn centres(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<CentreList>, ApiError> {
    Ok(Json(Page::slice(cameras::centres(&s.ctx, &a).await?, paging.request()).into()))
}

/// Registers a monitoring centre of a province (`unit_code` of 2 digits) or a commune (5).
#[utoipa::path(post, path = "/api/v1/camera-centres", tag = "cameras", request_body = CentreInput,
    responses((status = 201, body = Centre), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_centre(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<CentreInput>,
) -> Result<(StatusCode, Json<Centre>), ApiError> {
    Ok((StatusCode::CREATED, Json(cameras::create_centre(&s.ctx, &a, &b).await?)))
}

#[utoipa::path(patch, path = "/api/v1/camera-centres/{id}", tag = "cameras", params(("id" = i64, Path)), request_body = CentreInput,
    responses((status = 200, body = Centre), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_centre(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CentreInput>,
) -> Result<Json<Centre>, ApiError> {
    Ok(Json(cameras::update_centre(&s.ctx, &a, id, &b).await?))
}

/// Coverage: cameras working, broken, removed; communes with a working camera out of all; money
/// mobilised by source — the country by province, a province by commune.
#[utoipa::path(get, path = "/api/v1/stats/cameras", tag = "stats", params(CoverageQuery),
    responses((status = 200, body = StatTable), (status = 403, body = ErrorBody)))]
pub async fn stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CoverageQuery>,
) -> Result<Json<StatTable>, ApiError> {
    Ok(Json(cameras::coverage(&s.ctx, &a, &q).await?.0))
}

#[utoipa::path(get, path = "/api/v1/stats/cameras/export", tag = "stats", params(CoverageQuery, FormatParam),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn stats_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CoverageQuery>,
    ApiQuery(f): ApiQuery<FormatParam>,
) -> Result<Response, ApiError> {
    let format = format_or_xlsx(f.format.as_deref())?;
    let (t, _) = cameras::coverage(&s.ctx, &a, &q).await?;
    Ok(download(antq_app::activities::stats::table_file(&t, format), format, "thong-ke-camera"))
}
