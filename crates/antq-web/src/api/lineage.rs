//! `/api/v1/former-units`, `/api/v1/units/{code}/lineage`, `/api/v1/unit-generations` and
//! `/api/v1/unit-successions/export`: the history of the administrative map (issue 16).

use antq_app::former_stats::FormerStatsQuery;
use antq_app::lineage::{self, FormerHit, FormerSearch, FormerView, Step};
use antq_domain::succession::{FormerLevel, Generation};
use antq_domain::table::StatTable;
use axum::Json;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use axum::routing::get;

use super::activities::FormatParam;
use super::interchange::{download, format_or_xlsx};
use super::{ApiPath, ApiQuery, ErrorBody, Paging, list_type};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes};

list_type!(FormerList, FormerHit);

/// Routes of the map's history.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/former-units", get(list), &[(Method::GET, READ)])
        .route("/former-units/{generation}/{level}/{code}", get(get_one), &[(Method::GET, READ)])
        .route("/units/{code}/lineage", get(of_unit), &[(Method::GET, READ)])
        .route("/unit-generations", get(generations), &[(Method::GET, READ)])
        .route("/unit-successions/export", get(export), &[(Method::GET, READ)])
        .route("/stats/former", get(former_stats), &[(Method::GET, READ)])
        .route("/stats/former/export", get(former_stats_export), &[(Method::GET, READ)])
}

/// The movement's figures of a year (models, ratings, "An toàn về ANTT", teams and members,
/// reports, activities, commendations, cameras) by the place recorded before 1 July 2025; a
/// row `""` holds what was recorded in the current map, so totals equal today's.
#[utoipa::path(get, path = "/api/v1/stats/former", tag = "stats", params(FormerStatsQuery),
    responses((status = 200, body = StatTable), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn former_stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<FormerStatsQuery>,
) -> Result<Json<StatTable>, ApiError> {
    Ok(Json(antq_app::former_stats::movement(&s.ctx, &a, &q).await?))
}

/// The same table as an XLSX or CSV file.
#[utoipa::path(get, path = "/api/v1/stats/former/export", tag = "stats", params(FormerStatsQuery, FormatParam),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn former_stats_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<FormerStatsQuery>,
    ApiQuery(f): ApiQuery<FormatParam>,
) -> Result<Response, ApiError> {
    Ok(former_stats_file(&s, &a, &q, f.format.as_deref()).await?)
}

/// The file of the table (shared with the page's download links).
pub async fn former_stats_file(
    s: &AppState,
    a: &antq_app::Actor,
    q: &FormerStatsQuery,
    format: Option<&str>,
) -> Result<Response, antq_app::AppError> {
    let format = format_or_xlsx(format)?;
    let t = antq_app::former_stats::movement(&s.ctx, a, q).await?;
    Ok(download(antq_app::activities::stats::table_file(&t, format), format, "thong-ke-dia-gioi-cu"))
}

/// Former units matching the filters (a former name with or without diacritics, a code),
/// each with what it became.
#[utoipa::path(get, path = "/api/v1/former-units", tag = "units", params(FormerSearch, Paging),
    responses((status = 200, body = FormerList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<FormerSearch>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<FormerList>, ApiError> {
    Ok(Json(lineage::search(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// A former unit: where it was and what it became.
#[utoipa::path(get, path = "/api/v1/former-units/{generation}/{level}/{code}", tag = "units",
    params(("generation" = String, Path, description = "Bản đồ (`truoc_2025`)"),
        ("level" = String, Path, description = "`province`, `district` hoặc `commune`"),
        ("code" = String, Path, description = "Mã của thời đó")),
    responses((status = 200, body = FormerView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((generation, level, code)): ApiPath<(String, String, String)>,
) -> Result<Json<FormerView>, ApiError> {
    let level = FormerLevel::from_code(&level).ok_or(antq_app::AppError::NotFound("đơn vị hành chính cũ"))?;
    Ok(Json(lineage::former(&s.ctx, &a, &generation, level, &code).await?))
}

/// What a current unit came from.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Lineage {
    /// Every former unit that went into it, whole or in part.
    pub came_from: Vec<Step>,
}

/// The former units a current unit was formed from.
#[utoipa::path(get, path = "/api/v1/units/{code}/lineage", tag = "units", params(("code" = String, Path, description = "Mã đơn vị")),
    responses((status = 200, body = Lineage), (status = 404, body = ErrorBody)))]
pub async fn of_unit(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Lineage>, ApiError> {
    Ok(Json(Lineage { came_from: lineage::came_from(&s.ctx, &a, &code).await? }))
}

/// The maps antq knows.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Generations {
    /// Oldest first; the current one last.
    pub generations: Vec<Generation>,
}

/// The administrative maps, oldest first.
#[utoipa::path(get, path = "/api/v1/unit-generations", tag = "units",
    responses((status = 200, body = Generations), (status = 401, body = ErrorBody)))]
pub async fn generations(State(s): State<AppState>, ApiActor(a): ApiActor) -> Result<Json<Generations>, ApiError> {
    Ok(Json(Generations { generations: lineage::generations(&s.ctx, &a).await? }))
}

/// Which map's succession to export.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct GenerationParam {
    /// The map that ended (default `truoc_2025`).
    pub generation: Option<String>,
}

/// The whole succession of a map into the next, with the names at both ends.
#[utoipa::path(get, path = "/api/v1/unit-successions/export", tag = "units", params(GenerationParam, FormatParam),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(g): ApiQuery<GenerationParam>,
    ApiQuery(f): ApiQuery<FormatParam>,
) -> Result<Response, ApiError> {
    let format = format_or_xlsx(f.format.as_deref())?;
    let bytes = lineage::succession_file(&s.ctx, &a, g.generation.as_deref(), format).await?;
    Ok(download(bytes, format, "ke-thua-dvhc"))
}
