//! `/api/v1/models`, `/api/v1/model-types` and `/api/v1/stats/models`.

use antq_app::models::{ListQuery, ModelDetail};
use antq_app::stats::LabelledCounts;
use antq_app::stats::ModelGroup;
use antq_domain::ids::{ModelId, ModelTypeId, SiteId};
use antq_domain::model::{DocumentInput, ModelDocument};
use antq_domain::model::{
    EventInput, Model, ModelEvent, ModelInput, ModelType, ModelTypeInput, Site, SiteInput, TeamInput, TransitionInput,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type, merge_patch};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;

list_type!(ModelList, Model);
list_type!(ModelTypeList, ModelType);

/// Filters of the model list.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ModelParams {
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Model type id.
    pub type_id: Option<i64>,
    /// State code (de_xuat, xay_dung, da_ra_mat, hoat_dong, can_cung_co, da_thanh_loai).
    pub state: Option<String>,
    /// Level code (tinh, xa, khu_dan_cu, co_so).
    pub level: Option<String>,
    /// Text in the name.
    pub q: Option<String>,
    /// Former district code: models recorded there before 1 July 2025.
    pub former_district: Option<String>,
    /// Former commune code: models recorded there before 1 July 2025.
    pub former_commune: Option<String>,
    /// Page number.
    pub page: Option<u32>,
    /// Rows per page.
    pub per_page: Option<u32>,
}

impl ModelParams {
    /// Filters and paging.
    pub fn split(self) -> (ListQuery, Paging) {
        (
            ListQuery {
                province: self.province,
                commune: self.commune,
                type_id: self.type_id,
                state: self.state,
                level: self.level,
                q: self.q,
                former_district: self.former_district,
                former_commune: self.former_commune,
            },
            Paging { page: self.page, per_page: self.per_page },
        )
    }
}

#[utoipa::path(get, path = "/api/v1/models", tag = "models", params(ModelParams),
    responses((status = 200, body = ModelList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ModelParams>,
) -> Result<Json<ModelList>, ApiError> {
    let (q, paging) = p.split();
    Ok(Json(antq_app::models::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/models", tag = "models", request_body = ModelInput,
    responses((status = 201, body = Model), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<ModelInput>,
) -> Result<(StatusCode, Json<Model>), ApiError> {
    Ok((StatusCode::CREATED, Json(antq_app::models::create(&s.ctx, &a, &b).await?)))
}

/// The model with its sites (and teams), events and history.
#[utoipa::path(get, path = "/api/v1/models/{id}", tag = "models", params(("id" = i64, Path)),
    responses((status = 200, body = Model, description = "Mô hình, kèm `sites`, `events`, `history`"), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ModelDetail>, ApiError> {
    Ok(Json(antq_app::models::detail(&s.ctx, &a, ModelId(id)).await?))
}

/// Changes fields (merge patch). The state changes only through transitions.
#[utoipa::path(patch, path = "/api/v1/models/{id}", tag = "models", params(("id" = i64, Path)), request_body = ModelInput,
    responses((status = 200, body = Model), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<Model>, ApiError> {
    let current = antq_app::models::get(&s.ctx, &a, ModelId(id)).await?;
    let input: ModelInput = merge_patch(&ModelInput::from(&current), &patch)?;
    Ok(Json(antq_app::models::update(&s.ctx, &a, ModelId(id), &input).await?))
}

/// Moves the model along its lifecycle: đề xuất → xây dựng → ra mắt → hoạt động ⇄ cần củng cố → đã thanh loại.
#[utoipa::path(post, path = "/api/v1/models/{id}/transitions", tag = "models", params(("id" = i64, Path)), request_body = TransitionInput,
    responses((status = 200, body = Model), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody, description = "Chuyển trạng thái không được phép")))]
pub async fn transition(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<TransitionInput>,
) -> Result<Json<Model>, ApiError> {
    Ok(Json(antq_app::models::transition(&s.ctx, &a, ModelId(id), &b).await?))
}

#[utoipa::path(post, path = "/api/v1/models/{id}/events", tag = "models", params(("id" = i64, Path)), request_body = EventInput,
    responses((status = 201, body = ModelEvent), (status = 422, body = ErrorBody)))]
pub async fn add_event(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<ModelEvent>), ApiError> {
    Ok((StatusCode::CREATED, Json(antq_app::models::add_event(&s.ctx, &a, ModelId(id), &b).await?)))
}

#[utoipa::path(post, path = "/api/v1/models/{id}/sites", tag = "models", params(("id" = i64, Path)), request_body = SiteInput,
    responses((status = 201, body = Site), (status = 422, body = ErrorBody)))]
pub async fn add_site(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<SiteInput>,
) -> Result<(StatusCode, Json<Site>), ApiError> {
    Ok((StatusCode::CREATED, Json(antq_app::models::add_site(&s.ctx, &a, ModelId(id), &b).await?)))
}

#[utoipa::path(post, path = "/api/v1/models/{id}/sites/{site_id}/teams", tag = "models", params(("id" = i64, Path), ("site_id" = i64, Path)),
    request_body = TeamInput, responses((status = 201, body = Site), (status = 422, body = ErrorBody)))]
pub async fn add_team(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, site_id)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<TeamInput>,
) -> Result<(StatusCode, Json<Site>), ApiError> {
    Ok((StatusCode::CREATED, Json(antq_app::models::add_team(&s.ctx, &a, ModelId(id), SiteId(site_id), &b).await?)))
}

/// Adds a document to a model: multipart form with `title`, `doc_no`, `issued_on` (YYYY-MM-DD)
/// and an optional `file` (PDF, PNG, JPEG, DOCX or XLSX; at most 10 MB).
#[utoipa::path(post, path = "/api/v1/models/{id}/documents", tag = "models", params(("id" = i64, Path)),
    request_body(content = DocumentInput, content_type = "multipart/form-data"),
    responses((status = 201, body = ModelDocument), (status = 422, body = ErrorBody)))]
pub async fn add_document(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    form: axum::extract::Multipart,
) -> Result<(StatusCode, Json<ModelDocument>), ApiError> {
    let (input, file) = crate::documents::read_form(form).await?;
    Ok((StatusCode::CREATED, Json(antq_app::models::add_document(&s.ctx, &a, ModelId(id), &input, file).await?)))
}

/// Downloads the file of a document.
#[utoipa::path(get, path = "/api/v1/models/{id}/documents/{document_id}", tag = "models", params(("id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 200, description = "Tệp", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn document_file(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, doc)): ApiPath<(i64, i64)>,
) -> Result<axum::response::Response, ApiError> {
    let (name, ctype, bytes) = antq_app::models::document_file(&s.ctx, &a, ModelId(id), doc).await?;
    Ok(crate::documents::download(&name, &ctype, bytes))
}

#[utoipa::path(get, path = "/api/v1/model-types", tag = "models", params(Paging), responses((status = 200, body = ModelTypeList)))]
pub async fn list_types(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<ModelTypeList>, ApiError> {
    let items = antq_app::model_types::list(&s.ctx, &a).await?;
    Ok(Json(antq_domain::page::Page::slice(items, paging.request()).into()))
}

#[utoipa::path(post, path = "/api/v1/model-types", tag = "models", request_body = ModelTypeInput,
    responses((status = 201, body = ModelType), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_type(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<ModelTypeInput>,
) -> Result<(StatusCode, Json<ModelType>), ApiError> {
    Ok((StatusCode::CREATED, Json(antq_app::model_types::create(&s.ctx, &a, &b).await?)))
}

#[utoipa::path(patch, path = "/api/v1/model-types/{id}", tag = "models", params(("id" = i64, Path)), request_body = ModelTypeInput,
    responses((status = 200, body = ModelType), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_type(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<ModelType>, ApiError> {
    let t = antq_app::model_types::get(&s.ctx, &a, ModelTypeId(id)).await?;
    let base = ModelTypeInput {
        name: Some(t.name),
        description: t.description,
        legal_basis: t.legal_basis,
        active: Some(t.active),
    };
    let input: ModelTypeInput = merge_patch(&base, &patch)?;
    Ok(Json(antq_app::model_types::update(&s.ctx, &a, ModelTypeId(id), &input).await?))
}

/// Grouping of the model statistics.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct StatsParams {
    /// province | commune | type | state, or the place recorded before 1 July 2025:
    /// legacy_province | legacy_district | legacy_commune
    pub by: Option<String>,
    /// The map of a day (YYYY-MM-DD): before 1 July 2025, `province` and `commune` are the
    /// former ones.
    pub as_of: Option<String>,
}

/// The codes of [`parse_group`].
pub const GROUPS: &[&str] =
    &["province", "commune", "type", "state", "legacy_province", "legacy_district", "legacy_commune"];

/// Parses `by` in the map of `as_of`; returns the group and its code.
pub fn parse_group(by: Option<&str>, as_of: Option<&str>) -> Result<(ModelGroup, &'static str), antq_app::AppError> {
    use antq_domain::succession::FormerLevel;
    let before = antq_app::lineage::before_change(as_of)?;
    let by = match (by.map(str::trim).filter(|b| !b.is_empty()).unwrap_or("province"), before) {
        ("province", true) => "legacy_province",
        ("commune", true) => "legacy_commune",
        (b, _) => b,
    };
    let code = GROUPS.iter().find(|g| **g == by).copied().ok_or_else(|| {
        antq_app::AppError::Invalid(antq_domain::FieldErrors::single(
            "by",
            format!("by «{by}» không hợp lệ; dùng một trong: {}.", GROUPS.join(", ")),
        ))
    })?;
    let group = match code {
        "province" => ModelGroup::Province,
        "commune" => ModelGroup::Commune,
        "type" => ModelGroup::Type,
        "state" => ModelGroup::State,
        "legacy_province" => ModelGroup::Former(FormerLevel::Province),
        "legacy_district" => ModelGroup::Former(FormerLevel::District),
        _ => ModelGroup::Former(FormerLevel::Commune),
    };
    Ok((group, code))
}

/// Counts of models, sites and teams.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ModelStats {
    /// Grouping used.
    pub by: String,
    /// One row per group.
    pub items: Vec<StatsRow>,
    /// Totals.
    pub total: StatsRow,
}

/// One group.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct StatsRow {
    /// Group key.
    pub key: String,
    /// Label.
    pub label: String,
    /// Models.
    pub models: i64,
    /// Sites.
    pub sites: i64,
    /// Teams.
    pub teams: i64,
}

impl From<LabelledCounts> for StatsRow {
    fn from(c: LabelledCounts) -> Self {
        StatsRow { key: c.key, label: c.label, models: c.models, sites: c.sites, teams: c.teams }
    }
}

#[utoipa::path(get, path = "/api/v1/stats/models", tag = "stats", params(StatsParams),
    responses((status = 200, body = ModelStats), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<StatsParams>,
) -> Result<Json<ModelStats>, ApiError> {
    let (by, code) = parse_group(p.by.as_deref(), p.as_of.as_deref())?;
    let rows = antq_app::stats::models(&s.ctx, &a, by).await?;
    let total = StatsRow {
        key: String::new(),
        label: "Tổng cộng".into(),
        models: rows.iter().map(|r| r.models).sum(),
        sites: rows.iter().map(|r| r.sites).sum(),
        teams: rows.iter().map(|r| r.teams).sum(),
    };
    Ok(Json(ModelStats { by: code.into(), items: rows.into_iter().map(Into::into).collect(), total }))
}
