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

/// A page of current units and, for a text search, the former units of that name.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UnitList {
    /// Current units of this page.
    pub items: Vec<Unit>,
    /// Current units matching in all.
    pub total: i64,
    /// Page number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
    /// With `q`: the first former units (before 1 July 2025) of that name, each with what it
    /// became; every one of them pages at `former_next`.
    pub former: Vec<antq_app::lineage::FormerHit>,
    /// Former units matching in all.
    pub former_total: i64,
    /// Where to read all of them (`/api/v1/former-units?q=…`), when there are any.
    pub former_next: Option<String>,
}

/// Former units shown beside a text search of current units.
const FORMER_FIRST: u32 = 20;

/// Current units matching the filters, provinces first, then by name; with `q`, also the
/// former units of that name and what they are now.
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
    let q = p.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(String::from);
    let found = antq_app::units::search_page(&s.ctx, &a, q.clone(), level, p.parent, page).await?;
    // Former names are registry data: listed for those who may read the registry.
    let may_read = a.require(antq_domain::access::Permission::ReadRegistry).is_ok();
    let former = match &q {
        Some(t) if may_read => {
            let f = antq_app::lineage::FormerSearch { q: Some(t.clone()), ..Default::default() };
            let first = antq_domain::page::PageRequest::new(Some(1), Some(FORMER_FIRST));
            antq_app::lineage::search(&s.ctx, &a, &f, first).await?
        }
        _ => antq_domain::page::Page { items: Vec::new(), total: 0, page: 1, per_page: FORMER_FIRST },
    };
    let former_next = (former.total > 0)
        .then(|| format!("/api/v1/former-units?{}", crate::ui::query_string(&[("q", q.clone().unwrap_or_default())])));
    Ok(Json(UnitList {
        items: found.items,
        total: found.total,
        page: found.page,
        per_page: found.per_page,
        former: former.items,
        former_total: former.total,
        former_next,
    }))
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
