//! `/api/v1/antt` ("An toàn về ANTT" recognition) and `/api/v1/stats/recognition`.

use antq_app::AppError;
use antq_app::antt::{self, AnttQuery};
use antq_domain::FieldErrors;
use antq_domain::antt::{
    AnttDocument, AnttRecord, CommuneConditions, DecisionInput, EvaluationInput, RecognitionStats, RegistrationInput,
    RevocationInput,
};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::interchange::{download, format_or_xlsx};
use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes, WRITE};

/// Routes of the recognition API. Steps whose permission depends on the subject (a commune's
/// own decision is the province's) are guarded as writes and checked again in `antq-app`.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/antt", get(list).post(register), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/antt/conditions", get(conditions), &[(Method::GET, READ)])
        .route("/antt/{id}", get(get_one), &[(Method::GET, READ)])
        .route("/antt/{id}/evaluation", post(evaluate), &[(Method::POST, WRITE)])
        .route("/antt/{id}/submit", post(submit), &[(Method::POST, WRITE)])
        .route("/antt/{id}/appraisal", post(appraise), &[(Method::POST, WRITE)])
        .route("/antt/{id}/decision", post(decide), &[(Method::POST, WRITE)])
        .route("/antt/{id}/revocation", post(revoke), &[(Method::POST, WRITE)])
        .route(
            "/antt/{id}/documents",
            post(add_document).layer(DefaultBodyLimit::max(12 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/antt/{id}/documents/{document_id}", get(document_file), &[(Method::GET, READ)])
        .route("/stats/recognition", get(stats), &[(Method::GET, READ)])
        .route("/stats/recognition/export", get(stats_export), &[(Method::GET, READ)])
}

/// Record filters.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct AnttParams {
    /// Year.
    pub year: Option<i32>,
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Subject: khu_dan_cu, xa, co_quan, doanh_nghiep, co_so_giao_duc.
    pub subject: Option<String>,
    /// State: da_dang_ky, da_tu_danh_gia, da_nop_ho_so, dang_tham_dinh, dat, chua_dat, da_thu_hoi.
    pub state: Option<String>,
}

super::list_type!(AnttList, AnttRecord);

/// Records in scope, newest year first.
#[utoipa::path(get, path = "/api/v1/antt", tag = "antt", params(AnttParams, Paging), responses((status = 200, body = AnttList)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<AnttParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<AnttList>, ApiError> {
    let q = AnttQuery { year: p.year, province: p.province, commune: p.commune, subject: p.subject, state: p.state };
    Ok(Json(antt::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// Registers a residential area (`area_id`), an establishment (`establishment_id`) or a commune
/// (`commune_code`) for a year: in quarter I; a residential area with 100 % of households.
#[utoipa::path(post, path = "/api/v1/antt", tag = "antt", request_body = RegistrationInput,
    responses((status = 201, body = AnttRecord), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<RegistrationInput>,
) -> Result<(StatusCode, Json<AnttRecord>), ApiError> {
    Ok((StatusCode::CREATED, Json(antt::register(&s.ctx, &a, &b).await?)))
}

/// A record with its documents, criteria set, period and (communes) computed conditions.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AnttDetailBody {
    /// The record.
    pub record: AnttRecord,
    /// Dossier documents.
    pub documents: Vec<AnttDocument>,
    /// Criteria set of the checklist.
    pub criteria_set: Option<antq_domain::rating::CriteriaSet>,
    /// Evaluation period `[first day, last day]`.
    pub period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// A commune's conditions.
    pub conditions: Option<CommuneConditions>,
}

#[utoipa::path(get, path = "/api/v1/antt/{id}", tag = "antt", params(("id" = i64, Path)),
    responses((status = 200, body = AnttDetailBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AnttDetailBody>, ApiError> {
    let d = antt::detail(&s.ctx, &a, id).await?;
    Ok(Json(AnttDetailBody {
        record: d.record,
        documents: d.documents,
        criteria_set: d.criteria_set,
        period: d.period,
        conditions: d.conditions,
    }))
}

/// Commune and year of the conditions.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ConditionsParams {
    /// Commune code.
    pub commune: Option<String>,
    /// Year.
    pub year: Option<i32>,
}

/// A commune's computed conditions (TT 124 Điều 5: registered and recognised shares, effective models).
#[utoipa::path(get, path = "/api/v1/antt/conditions", tag = "antt", params(ConditionsParams),
    responses((status = 200, body = CommuneConditions), (status = 422, body = ErrorBody)))]
pub async fn conditions(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ConditionsParams>,
) -> Result<Json<CommuneConditions>, ApiError> {
    use chrono::Datelike;
    let Some(code) = p.commune.filter(|c| !c.trim().is_empty()) else {
        return Err(AppError::Invalid(FieldErrors::single("commune", "Chọn xã.")).into());
    };
    let (province, commune) = antq_app::units::commune_place(&s.ctx, &code, "commune").await?;
    a.require_in_scope(antq_domain::access::Permission::ReadRegistry, &province, Some(&commune))?;
    let year = p.year.unwrap_or(s.ctx.today().year());
    Ok(Json(antt::conditions(&s.ctx, &province, &commune, year).await?))
}

#[utoipa::path(post, path = "/api/v1/antt/{id}/evaluation", tag = "antt", params(("id" = i64, Path)), request_body = EvaluationInput,
    responses((status = 200, body = AnttRecord), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn evaluate(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<EvaluationInput>,
) -> Result<Json<AnttRecord>, ApiError> {
    Ok(Json(antt::evaluate(&s.ctx, &a, id, &b).await?))
}

/// Files the dossier (at least one document).
#[utoipa::path(post, path = "/api/v1/antt/{id}/submit", tag = "antt", params(("id" = i64, Path)),
    responses((status = 200, body = AnttRecord), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AnttRecord>, ApiError> {
    Ok(Json(antt::submit(&s.ctx, &a, id).await?))
}

/// Starts the appraisal (a commune's own: province officers).
#[utoipa::path(post, path = "/api/v1/antt/{id}/appraisal", tag = "antt", params(("id" = i64, Path)),
    responses((status = 200, body = AnttRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn appraise(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AnttRecord>, ApiError> {
    Ok(Json(antt::appraise(&s.ctx, &a, id).await?))
}

/// Records the decision (`dat` needs every criterion; a commune also its computed conditions
/// or an `override_reason`).
#[utoipa::path(post, path = "/api/v1/antt/{id}/decision", tag = "antt", params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = AnttRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DecisionInput>,
) -> Result<Json<AnttRecord>, ApiError> {
    Ok(Json(antt::decide(&s.ctx, &a, id, &b).await?))
}

#[utoipa::path(post, path = "/api/v1/antt/{id}/revocation", tag = "antt", params(("id" = i64, Path)), request_body = RevocationInput,
    responses((status = 200, body = AnttRecord), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revoke(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RevocationInput>,
) -> Result<Json<AnttRecord>, ApiError> {
    Ok(Json(antt::revoke(&s.ctx, &a, id, &b).await?))
}

/// Reads `title` and `file` of a multipart upload.
pub(crate) async fn read_upload(mut form: Multipart) -> Result<(Option<String>, antq_app::models::Upload), AppError> {
    let (mut title, mut upload) = (None, antq_app::models::Upload { name: String::new(), bytes: Vec::new() });
    loop {
        match form.next_field().await {
            Ok(Some(f)) => match f.name().unwrap_or("") {
                "title" => title = f.text().await.ok(),
                "file" => {
                    upload.name = f.file_name().unwrap_or("").to_string();
                    upload.bytes = f.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                }
                _ => {}
            },
            Ok(None) => return Ok((title, upload)),
            Err(e) => {
                return Err(AppError::Invalid(FieldErrors::single("file", format!("Không đọc được tệp tải lên: {e}"))));
            }
        }
    }
}

/// Adds a dossier document (multipart: `title`, `file`; PDF, PNG, JPEG, DOCX, XLSX ≤ 10 MB).
#[utoipa::path(post, path = "/api/v1/antt/{id}/documents", tag = "antt", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "`title`, `file`"),
    responses((status = 201, body = AnttDocument), (status = 422, body = ErrorBody)))]
pub async fn add_document(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> Result<(StatusCode, Json<AnttDocument>), ApiError> {
    let (title, upload) = read_upload(form).await?;
    Ok((StatusCode::CREATED, Json(antt::add_document(&s.ctx, &a, id, title.as_deref(), upload).await?)))
}

#[utoipa::path(get, path = "/api/v1/antt/{id}/documents/{document_id}", tag = "antt", params(("id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 200, description = "Tệp", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn document_file(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, doc)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (name, ctype, bytes) = antt::document_file(&s.ctx, &a, id, doc).await?;
    Ok(crate::documents::download(&name, &ctype, bytes))
}

/// Year and format of the recognition statistics.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct RecognitionParams {
    /// Year (default: this year).
    pub year: Option<i32>,
    /// `place` (default: rows by place and subject type) or `subject` (one row per subject type).
    pub by: Option<String>,
    /// `xlsx` (default) or `csv`, for the export.
    pub format: Option<String>,
}

impl RecognitionParams {
    fn year(&self, today: chrono::NaiveDate) -> Result<i32, AppError> {
        super::checked_year(self.year, today)
    }
}

/// Subjects, registered and recognised by place and subject type, with rates.
#[utoipa::path(get, path = "/api/v1/stats/recognition", tag = "stats", params(RecognitionParams),
    responses((status = 200, body = RecognitionStats), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<RecognitionParams>,
) -> Result<Json<RecognitionStats>, ApiError> {
    let year = p.year(s.ctx.today())?;
    let mut stats = antq_app::stats::recognition(&s.ctx, &a, year).await?;
    match p.by.as_deref().unwrap_or("place") {
        "place" | "province" | "commune" => {}
        "subject" => {
            stats.rows = stats.totals.clone();
            stats.by = "subject".into();
        }
        _ => return Err(AppError::Invalid(FieldErrors::single("by", "by phải là place hoặc subject.")).into()),
    }
    Ok(Json(stats))
}

#[utoipa::path(get, path = "/api/v1/stats/recognition/export", tag = "stats", params(RecognitionParams),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn stats_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<RecognitionParams>,
) -> Result<Response, ApiError> {
    Ok(recognition_file(&s, &a, &p).await?)
}

/// The recognition statistics file (shared with the page's download link).
pub async fn recognition_file(s: &AppState, a: &antq_app::Actor, p: &RecognitionParams) -> Result<Response, AppError> {
    let year = p.year(s.ctx.today())?;
    let format = format_or_xlsx(p.format.as_deref())?;
    let bytes = antq_app::stats::recognition_export(&s.ctx, a, year, format).await?;
    Ok(download(bytes, format, &format!("an-toan-antt-{year}")))
}
