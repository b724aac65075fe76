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
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Rows per page (1–200, default 25).
    pub per_page: Option<u32>,
}

super::list_type!(UnitList, Unit);

/// Current units matching the filters, provinces first, then by name.
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
    let page = antq_domain::page::PageRequest::new(p.page, p.per_page);
    Ok(Json(antq_app::units::search_page(&s.ctx, &a, p.q, level, p.parent, page).await?.into()))
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

/// What a province officer may change on a commune.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct UnitPatch {
    /// Remote or island commune: 48 h instead of 24 h to transfer a crime report (TTLT 01/2017).
    pub remote: Option<bool>,
}

/// Marks a commune of the caller's province remote or island (or not); audited.
#[utoipa::path(patch, path = "/api/v1/units/{code}", tag = "units", params(("code" = String, Path, description = "Mã xã")),
    request_body = UnitPatch,
    responses((status = 200, body = Unit), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(code): ApiPath<String>,
    super::ApiJson(p): super::ApiJson<UnitPatch>,
) -> Result<Json<Unit>, ApiError> {
    match p.remote {
        Some(remote) => Ok(Json(antq_app::units::set_remote(&s.ctx, &a, &code, remote).await?)),
        None => Ok(Json(antq_app::units::get(&s.ctx, &a, &code).await?)),
    }
}
