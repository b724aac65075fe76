//! `/api/v1/pivot`: a pivot table over any registry, with the list behind each cell, and its
//! XLSX export with merged headers (C13).

use antq_app::pivot::{self, Pivot, PivotQuery};
use axum::Json;
use axum::extract::State;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{ApiQuery, ErrorBody};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes};

/// Routes of the pivot.
pub fn routes() -> Routes {
    Routes::new(true).route("/pivot", get(table), &[(Method::GET, READ)]).route(
        "/pivot/export",
        get(export),
        &[(Method::GET, READ)],
    )
}

/// Counts or sums of a registry (`source`) by `rows` × `cols` (province, commune, year, month,
/// and the registry's own codes), in the caller's scope, with the list page behind each cell.
#[utoipa::path(get, path = "/api/v1/pivot", tag = "stats", params(PivotQuery),
    responses((status = 200, body = Pivot), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn table(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PivotQuery>,
) -> Result<Json<Pivot>, ApiError> {
    Ok(Json(pivot::pivot(&s.ctx, &a, &q).await?))
}

/// The same table as XLSX, headers merged.
#[utoipa::path(get, path = "/api/v1/pivot/export", tag = "stats", params(PivotQuery),
    responses((status = 200, description = "Tệp XLSX", content_type = "application/octet-stream"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PivotQuery>,
) -> Result<Response, ApiError> {
    let p = pivot::pivot(&s.ctx, &a, &q).await?;
    let name = format!("attachment; filename=\"antq-bang-tong-hop-{}.xlsx\"", p.source);
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        pivot::xlsx(&p),
    )
        .into_response())
}
