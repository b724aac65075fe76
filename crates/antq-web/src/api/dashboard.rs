//! `/api/v1/dashboard` (the charts of the caller's scope) and `/api/v1/map` (a figure by
//! province, or by commune of a province with its cameras) — C13.

use antq_app::dashboard::{self, Charts, MapData, MapQuery};
use axum::Json;
use axum::extract::State;
use axum::http::Method;
use axum::routing::get;

use super::{ApiQuery, ErrorBody};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes};

/// Routes of the dashboard and the map.
pub fn routes() -> Routes {
    Routes::new(true).route("/dashboard", get(charts), &[(Method::GET, READ)]).route(
        "/map",
        get(map),
        &[(Method::GET, READ)],
    )
}

/// The dashboard's charts for the caller's scope: models by type, ratings by year, crime
/// reports received and handled by month (roles that read their counts), force coverage.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "stats",
    responses((status = 200, body = Charts), (status = 403, body = ErrorBody)))]
pub async fn charts(State(s): State<AppState>, ApiActor(a): ApiActor) -> Result<Json<Charts>, ApiError> {
    Ok(Json(dashboard::charts(&s.ctx, &a).await?))
}

/// A figure (`kpi`) by province, or by commune of `province` with the province's cameras that
/// have coordinates (at most 5,000; `cameras_total` counts them all).
#[utoipa::path(get, path = "/api/v1/map", tag = "stats", params(MapQuery),
    responses((status = 200, body = MapData), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn map(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<MapQuery>,
) -> Result<Json<MapData>, ApiError> {
    Ok(Json(dashboard::map(&s.ctx, &a, &q).await?))
}
