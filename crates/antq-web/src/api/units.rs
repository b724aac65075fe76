//! `/api/v1/units`: the official administrative units.

use antq_domain::unit::{Unit, UnitLevel};
use axum::Json;
use axum::extract::State;

use super::{ApiPath, ApiQuery, ErrorBody};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;

/// Search parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct UnitParams {
    /// Text in the name, any case, with or without diacritics ("khanh hoa").
    pub q: Option<String>,
    /// `province` or `commune`.
    pub level: Option<String>,
    /// Province code: only its communes.
    pub parent: Option<String>,
    /// Most rows (default 100, at most 5000).
    pub limit: Option<i64>,
}

/// Current units matching the filters.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UnitList {
    /// Units.
    pub items: Vec<Unit>,
    /// Count of `items`.
    pub total: i64,
}

#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitParams),
    responses((status = 200, body = UnitList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<UnitParams>,
) -> Result<Json<UnitList>, ApiError> {
    let level = match p.level.as_deref().filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => Some(UnitLevel::parse_loose(l).ok_or_else(|| {
            antq_app::AppError::Invalid(antq_domain::FieldErrors::single(
                "level",
                "level phải là province hoặc commune.",
            ))
        })?),
    };
    let items = antq_app::units::search(&s.ctx, &a, p.q, level, p.parent, p.limit.unwrap_or(100)).await?;
    Ok(Json(UnitList { total: items.len() as i64, items }))
}

#[utoipa::path(get, path = "/api/v1/units/{code}", tag = "units", params(("code" = String, Path, description = "Mã đơn vị")),
    responses((status = 200, body = Unit), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Unit>, ApiError> {
    Ok(Json(antq_app::units::get(&s.ctx, &a, &code).await?))
}
