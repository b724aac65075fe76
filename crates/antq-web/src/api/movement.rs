//! `/api/v1/classifications` (QĐ 510), `/api/v1/exemplars` and `/api/v1/stats/classification`.

use antq_app::AppError;
use antq_app::movement;
use antq_domain::FieldErrors;
use antq_domain::antt::RegistrationInput;
use antq_domain::exemplar::{Exemplar, ExemplarInput, ExemplarResultInput};
use antq_domain::movement::{
    Classification, ClassificationDecisionInput, ClassificationStats, ClassificationStep, ScoresInput,
};
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};

use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type};
use antq_domain::page::Page;

list_type!(ClassificationList, Classification);
list_type!(ExemplarList, Exemplar);
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{APPROVE, READ, Routes, WRITE};

/// Routes of classifications and exemplars. Steps reserved to the province for a commune
/// are guarded as writes and checked again in `antq-app`.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/classifications", get(list).post(start), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/classifications/{id}", get(get_one), &[(Method::GET, READ)])
        .route("/classifications/{id}/scores", post(score), &[(Method::POST, WRITE)])
        .route("/classifications/{id}/steps", post(step), &[(Method::POST, WRITE)])
        .route("/classifications/{id}/decision", post(decide), &[(Method::POST, WRITE)])
        .route("/exemplars", get(list_exemplars).post(register_exemplar), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/exemplars/{id}", get(get_exemplar), &[(Method::GET, READ)])
        .route("/exemplars/{id}/result", post(decide_exemplar), &[(Method::POST, APPROVE)])
        .route("/stats/classification", get(stats), &[(Method::GET, READ)])
}

/// Year and commune.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct YearParams {
    /// Year (default: this year).
    pub year: Option<i32>,
    /// Commune code.
    pub commune: Option<String>,
}

impl YearParams {
    /// The year, checked.
    pub fn year(&self, today: chrono::NaiveDate) -> Result<i32, AppError> {
        super::checked_year(self.year, today)
    }
}

#[utoipa::path(get, path = "/api/v1/classifications", tag = "classification", params(YearParams, Paging),
    responses((status = 200, body = ClassificationList)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<YearParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<ClassificationList>, ApiError> {
    let year = p.year(s.ctx.today())?;
    Ok(Json(Page::slice(movement::list(&s.ctx, &a, year, p.commune).await?, paging.request()).into()))
}

/// Starts the self-scoring of an area (`area_id`), an establishment (`establishment_id`) or a
/// commune (`commune_code`) for `year`.
#[utoipa::path(post, path = "/api/v1/classifications", tag = "classification", request_body = RegistrationInput,
    responses((status = 201, body = Classification), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<RegistrationInput>,
) -> Result<(StatusCode, Json<Classification>), ApiError> {
    Ok((StatusCode::CREATED, Json(movement::start(&s.ctx, &a, &b).await?)))
}

/// A classification with its score sheet and the deadline countdown.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ClassificationBody {
    /// The classification.
    pub classification: Classification,
    /// Score sheet.
    pub sheet: Option<antq_domain::rating::CriteriaSet>,
    /// Deadline (QĐ 510 Điều 11 khoản 3).
    pub deadline: Option<chrono::NaiveDate>,
    /// Days left (negative: overdue).
    pub days_left: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/classifications/{id}", tag = "classification", params(("id" = i64, Path)),
    responses((status = 200, body = ClassificationBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ClassificationBody>, ApiError> {
    let d = movement::detail(&s.ctx, &a, id).await?;
    Ok(Json(ClassificationBody {
        classification: d.classification,
        sheet: d.sheet,
        deadline: d.deadline,
        days_left: d.days_left,
    }))
}

/// Enters the scores (`{"scores":{"PT.1":8,…}}`); the proposed class follows the bands.
#[utoipa::path(post, path = "/api/v1/classifications/{id}/scores", tag = "classification", params(("id" = i64, Path)), request_body = ScoresInput,
    responses((status = 200, body = Classification), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn score(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ScoresInput>,
) -> Result<Json<Classification>, ApiError> {
    Ok(Json(movement::score(&s.ctx, &a, id, &b).await?))
}

/// A workflow step.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct StepInput {
    /// `propose`, `return` (comment required) or `review`.
    pub step: Option<String>,
    /// Comment.
    pub comment: Option<String>,
}

/// Parses a classification step.
pub fn parse_step(s: Option<&str>) -> Result<ClassificationStep, AppError> {
    match s.map(str::trim) {
        Some("propose") => Ok(ClassificationStep::Propose),
        Some("return") => Ok(ClassificationStep::Return),
        Some("review") => Ok(ClassificationStep::Review),
        _ => Err(AppError::Invalid(FieldErrors::single("step", "step phải là propose, return hoặc review."))),
    }
}

/// Proposes, returns or reviews a classification.
#[utoipa::path(post, path = "/api/v1/classifications/{id}/steps", tag = "classification", params(("id" = i64, Path)), request_body = StepInput,
    responses((status = 200, body = Classification), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn step(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<StepInput>,
) -> Result<Json<Classification>, ApiError> {
    let step = parse_step(b.step.as_deref())?;
    Ok(Json(movement::step(&s.ctx, &a, id, step, b.comment.as_deref()).await?))
}

/// Records the classification decision (`class` defaults to the proposed class).
#[utoipa::path(post, path = "/api/v1/classifications/{id}/decision", tag = "classification", params(("id" = i64, Path)), request_body = ClassificationDecisionInput,
    responses((status = 200, body = Classification), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ClassificationDecisionInput>,
) -> Result<Json<Classification>, ApiError> {
    Ok(Json(movement::decide(&s.ctx, &a, id, &b).await?))
}

#[utoipa::path(get, path = "/api/v1/exemplars", tag = "classification", params(YearParams, Paging), responses((status = 200, body = ExemplarList)))]
pub async fn list_exemplars(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<YearParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<ExemplarList>, ApiError> {
    let year = p.year(s.ctx.today())?;
    Ok(Json(Page::slice(movement::exemplars(&s.ctx, &a, year, p.commune).await?, paging.request()).into()))
}

/// Registers an exemplary unit for a year.
#[utoipa::path(post, path = "/api/v1/exemplars", tag = "classification", request_body = ExemplarInput,
    responses((status = 201, body = Exemplar), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register_exemplar(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<ExemplarInput>,
) -> Result<(StatusCode, Json<Exemplar>), ApiError> {
    Ok((StatusCode::CREATED, Json(movement::register_exemplar(&s.ctx, &a, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/exemplars/{id}", tag = "classification", params(("id" = i64, Path)),
    responses((status = 200, body = Exemplar), (status = 404, body = ErrorBody)))]
pub async fn get_exemplar(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Exemplar>, ApiError> {
    Ok(Json(movement::get_exemplar(&s.ctx, &a, id).await?))
}

/// Records the result (province officers).
#[utoipa::path(post, path = "/api/v1/exemplars/{id}/result", tag = "classification", params(("id" = i64, Path)), request_body = ExemplarResultInput,
    responses((status = 200, body = Exemplar), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_exemplar(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ExemplarResultInput>,
) -> Result<Json<Exemplar>, ApiError> {
    Ok(Json(movement::decide_exemplar(&s.ctx, &a, id, &b).await?))
}

/// Decided movement classes by place and subject type.
#[utoipa::path(get, path = "/api/v1/stats/classification", tag = "stats", params(YearParams),
    responses((status = 200, body = ClassificationStats), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<YearParams>,
) -> Result<Json<ClassificationStats>, ApiError> {
    let year = p.year(s.ctx.today())?;
    Ok(Json(antq_app::stats::classification(&s.ctx, &a, year).await?))
}
