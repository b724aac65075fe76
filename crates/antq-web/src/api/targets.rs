//! `/api/v1/target-indicators`, `/api/v1/targets` and their progress (C12).

use antq_app::targets::{self, Overview, ProgressQuery, ProgressTable, TargetQuery};
use antq_domain::page::Page;
use antq_domain::target::{Indicator, IndicatorInput, Target, TargetInput};
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, patch};

use super::activities::FormatParam;
use super::interchange::{download, format_or_xlsx};
use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type, merge_patch};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes, TAXONOMY};

list_type!(IndicatorList, Indicator);
list_type!(TargetList, Target);

/// Routes of indicators, targets and progress.
pub fn routes() -> Routes {
    Routes::new(true)
        .route(
            "/target-indicators",
            get(indicators).post(create_indicator),
            &[(Method::GET, READ), (Method::POST, TAXONOMY)],
        )
        .route("/target-indicators/{id}", patch(patch_indicator), &[(Method::PATCH, TAXONOMY)])
        .route("/targets", get(list).post(create), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route(
            "/targets/{id}",
            get(get_one).patch(patch_one).delete(delete_one),
            &[(Method::GET, READ), (Method::PATCH, TAXONOMY), (Method::DELETE, TAXONOMY)],
        )
        .route("/stats/targets", get(overview), &[(Method::GET, READ)])
        .route("/stats/targets/communes", get(communes), &[(Method::GET, READ)])
        .route("/stats/targets/communes/export", get(communes_export), &[(Method::GET, READ)])
}

/// The indicators: national ones and the caller's province's, each with its formula, unit
/// and source.
#[utoipa::path(get, path = "/api/v1/target-indicators", tag = "targets", params(Paging),
    responses((status = 200, body = IndicatorList), (status = 403, body = ErrorBody)))]
pub async fn indicators(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<IndicatorList>, ApiError> {
    Ok(Json(Page::slice(targets::indicators(&s.ctx, &a).await?, paging.request()).into()))
}

/// Adds an indicator (a province officer's is the province's, a national user's national); the
/// formula names sources such as `areas_recognised() / areas()`.
#[utoipa::path(post, path = "/api/v1/target-indicators", tag = "targets", request_body = IndicatorInput,
    responses((status = 201, body = Indicator), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_indicator(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<IndicatorInput>,
) -> Result<(StatusCode, Json<Indicator>), ApiError> {
    Ok((StatusCode::CREATED, Json(targets::create_indicator(&s.ctx, &a, &b).await?)))
}

/// Changes an indicator's name, formula, source or `active` (JSON merge patch); code and unit stay.
#[utoipa::path(patch, path = "/api/v1/target-indicators/{id}", tag = "targets", params(("id" = i64, Path)), request_body = IndicatorInput,
    responses((status = 200, body = Indicator), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_indicator(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<serde_json::Value>,
) -> Result<Json<Indicator>, ApiError> {
    let i = targets::indicator(&s.ctx, &a, id).await?;
    let current = IndicatorInput {
        code: Some(i.code),
        name: Some(i.name),
        formula: Some(i.formula),
        unit: Some(i.unit.code().into()),
        source: Some(i.source),
        active: Some(i.active),
    };
    let input: IndicatorInput = merge_patch(&current, &p)?;
    Ok(Json(targets::update_indicator(&s.ctx, &a, id, &input).await?))
}

/// Targets in scope (values in thousandths: 12 models is 12000, 75,5 % is 75500).
#[utoipa::path(get, path = "/api/v1/targets", tag = "targets", params(TargetQuery, Paging),
    responses((status = 200, body = TargetList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<TargetQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<TargetList>, ApiError> {
    Ok(Json(targets::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// Sets a target of a province (`unit_code` of 2 digits) or of a commune (5) for a year; `value`
/// as written (`12`, `1.200`, `75,5`) or a JSON number.
#[utoipa::path(post, path = "/api/v1/targets", tag = "targets", request_body = TargetInput,
    responses((status = 201, body = Target), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<TargetInput>,
) -> Result<(StatusCode, Json<Target>), ApiError> {
    Ok((StatusCode::CREATED, Json(targets::create(&s.ctx, &a, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/targets/{id}", tag = "targets", params(("id" = i64, Path)),
    responses((status = 200, body = Target), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Target>, ApiError> {
    Ok(Json(targets::get(&s.ctx, &a, id).await?))
}

/// Changes a target's `value` or `note` (JSON merge patch).
#[utoipa::path(patch, path = "/api/v1/targets/{id}", tag = "targets", params(("id" = i64, Path)), request_body = TargetInput,
    responses((status = 200, body = Target), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<serde_json::Value>,
) -> Result<Json<Target>, ApiError> {
    let t = targets::get(&s.ctx, &a, id).await?;
    let current = TargetInput {
        year: Some(t.year),
        unit_code: Some(t.commune_code.clone().unwrap_or(t.province_code.clone())),
        indicator_id: Some(t.indicator_id),
        value: Some(antq_domain::target::format_milli(t.unit, t.target_milli)),
        note: t.note,
    };
    let input: TargetInput = merge_patch(&current, &p)?;
    Ok(Json(targets::update(&s.ctx, &a, id, &input).await?))
}

/// Removes a mistaken target (the audit log keeps it).
#[utoipa::path(delete, path = "/api/v1/targets/{id}", tag = "targets", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    targets::delete(&s.ctx, &a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A unit's targets of a year with their value now, computed from the registers, the share
/// reached, whether it is on track for the share of the year elapsed, and how a province's
/// target is split among its communes.
#[utoipa::path(get, path = "/api/v1/stats/targets", tag = "stats", params(ProgressQuery),
    responses((status = 200, body = Overview), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn overview(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> Result<Json<Overview>, ApiError> {
    Ok(Json(targets::overview(&s.ctx, &a, &q).await?))
}

/// Every commune of a province against one indicator (`indicator_id`) or all those with a
/// target this year, worst first.
#[utoipa::path(get, path = "/api/v1/stats/targets/communes", tag = "stats", params(ProgressQuery),
    responses((status = 200, body = ProgressTable), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn communes(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> Result<Json<ProgressTable>, ApiError> {
    Ok(Json(targets::communes(&s.ctx, &a, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/stats/targets/communes/export", tag = "stats", params(ProgressQuery, FormatParam),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn communes_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ProgressQuery>,
    ApiQuery(f): ApiQuery<FormatParam>,
) -> Result<Response, ApiError> {
    let format = format_or_xlsx(f.format.as_deref())?;
    let t = targets::communes(&s.ctx, &a, &q).await?;
    Ok(download(targets::progress_file(&t, format), format, "tien-do-chi-tieu"))
}
