//! `/api/v1/areas` and `/api/v1/establishments`.

use antq_app::areas::ListQuery;
use antq_domain::area::{Area, AreaInput};
use antq_domain::establishment::{Establishment, EstablishmentInput};
use antq_domain::ids::{AreaId, EstablishmentId};
use antq_domain::model::parse_date;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type, merge_patch};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;

list_type!(AreaList, Area);
list_type!(EstablishmentList, Establishment);

/// Filters of the area and establishment lists.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct RegistryParams {
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Text in the name (diacritics optional).
    pub q: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Include retired rows.
    #[serde(default)]
    pub include_retired: bool,
    /// Page number.
    pub page: Option<u32>,
    /// Rows per page.
    pub per_page: Option<u32>,
}

impl RegistryParams {
    fn split(self) -> (ListQuery, Paging) {
        (
            ListQuery {
                province: self.province,
                commune: self.commune,
                q: self.q,
                kind: self.kind,
                include_retired: self.include_retired,
            },
            Paging { page: self.page, per_page: self.per_page },
        )
    }
}

/// A new area: its commune and fields.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NewArea {
    /// Commune code.
    pub commune_code: String,
    /// Fields.
    #[serde(flatten)]
    pub fields: AreaInput,
}

/// A new establishment: its commune and fields.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NewEstablishment {
    /// Commune code.
    pub commune_code: String,
    /// Fields.
    #[serde(flatten)]
    pub fields: EstablishmentInput,
}

/// Reads `valid_to` from a PATCH body: absent → no change; null → restore; a date → retire.
fn retirement(patch: &serde_json::Value) -> Result<Option<Option<chrono::NaiveDate>>, ApiError> {
    match patch.get("valid_to") {
        None => Ok(None),
        Some(serde_json::Value::Null) => Ok(Some(None)),
        Some(serde_json::Value::String(s)) => parse_date(s).map(|d| Some(Some(d))).ok_or_else(|| {
            ApiError(antq_app::AppError::Invalid(antq_domain::FieldErrors::single(
                "valid_to",
                "Ngày thôi hiệu lực không đúng định dạng.",
            )))
        }),
        Some(_) => Err(ApiError(antq_app::AppError::Invalid(antq_domain::FieldErrors::single(
            "valid_to",
            "valid_to phải là ngày hoặc null.",
        )))),
    }
}

fn has_field_changes(patch: &serde_json::Value) -> bool {
    patch.as_object().is_some_and(|m| m.keys().any(|k| k != "valid_to"))
}

#[utoipa::path(get, path = "/api/v1/areas", tag = "areas", params(RegistryParams),
    responses((status = 200, body = AreaList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_areas(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<RegistryParams>,
) -> Result<Json<AreaList>, ApiError> {
    let (q, paging) = p.split();
    Ok(Json(antq_app::areas::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/areas", tag = "areas", request_body = NewArea,
    responses((status = 201, body = Area), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_area(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NewArea>,
) -> Result<(StatusCode, Json<Area>), ApiError> {
    Ok((StatusCode::CREATED, Json(antq_app::areas::create(&s.ctx, &a, &b.commune_code, &b.fields).await?)))
}

#[utoipa::path(get, path = "/api/v1/areas/{id}", tag = "areas", params(("id" = i64, Path)),
    responses((status = 200, body = Area), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_area(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Area>, ApiError> {
    Ok(Json(antq_app::areas::get(&s.ctx, &a, AreaId(id)).await?))
}

/// Changes fields (merge patch); `"valid_to": "YYYY-MM-DD"` retires the area, `null` restores it.
#[utoipa::path(patch, path = "/api/v1/areas/{id}", tag = "areas", params(("id" = i64, Path)), request_body = AreaInput,
    responses((status = 200, body = Area), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_area(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<Area>, ApiError> {
    let id = AreaId(id);
    let current = antq_app::areas::get(&s.ctx, &a, id).await?;
    let retire = retirement(&patch)?;
    let mut out = current.clone();
    if has_field_changes(&patch) {
        let input: AreaInput = merge_patch(&AreaInput::from(&current), &patch)?;
        out = antq_app::areas::update(&s.ctx, &a, id, &input).await?;
    }
    if let Some(on) = retire {
        out = antq_app::areas::set_retired(&s.ctx, &a, id, on).await?;
    }
    Ok(Json(out))
}

#[utoipa::path(get, path = "/api/v1/establishments", tag = "establishments", params(RegistryParams),
    responses((status = 200, body = EstablishmentList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_establishments(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<RegistryParams>,
) -> Result<Json<EstablishmentList>, ApiError> {
    let (q, paging) = p.split();
    Ok(Json(antq_app::establishments::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/establishments", tag = "establishments", request_body = NewEstablishment,
    responses((status = 201, body = Establishment), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_establishment(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NewEstablishment>,
) -> Result<(StatusCode, Json<Establishment>), ApiError> {
    Ok((StatusCode::CREATED, Json(antq_app::establishments::create(&s.ctx, &a, &b.commune_code, &b.fields).await?)))
}

#[utoipa::path(get, path = "/api/v1/establishments/{id}", tag = "establishments", params(("id" = i64, Path)),
    responses((status = 200, body = Establishment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_establishment(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Establishment>, ApiError> {
    Ok(Json(antq_app::establishments::get(&s.ctx, &a, EstablishmentId(id)).await?))
}

/// Changes fields (merge patch); `"valid_to"` retires or restores.
#[utoipa::path(patch, path = "/api/v1/establishments/{id}", tag = "establishments", params(("id" = i64, Path)), request_body = EstablishmentInput,
    responses((status = 200, body = Establishment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_establishment(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<Establishment>, ApiError> {
    let id = EstablishmentId(id);
    let current = antq_app::establishments::get(&s.ctx, &a, id).await?;
    let retire = retirement(&patch)?;
    let mut out = current.clone();
    if has_field_changes(&patch) {
        let input: EstablishmentInput = merge_patch(&EstablishmentInput::from(&current), &patch)?;
        out = antq_app::establishments::update(&s.ctx, &a, id, &input).await?;
    }
    if let Some(on) = retire {
        out = antq_app::establishments::set_retired(&s.ctx, &a, id, on).await?;
    }
    Ok(Json(out))
}
