//! `/api/v1/rules`, `/api/v1/criteria-sets`, `/api/v1/rating-rounds`, `/api/v1/ratings`,
//! `/api/v1/rating-follow-ups` and `/api/v1/stats/ratings`.

use antq_app::interchange::ImportReport;
use antq_app::stats::RatingsBy;
use antq_app::{AppError, rating_files, ratings, rules};
use antq_domain::FieldErrors;
use antq_domain::rating::{
    CriteriaSet, CriteriaSetInput, FollowUpInput, Rating, RatingInput, RatingsPivot, Round, RoundInput, Sheet,
    SheetAction, SheetView,
};
use antq_domain::rules::{Rule, RuleInput};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::interchange::{ImportParams, ImportReportBody, TemplateParams, download, format_or_xlsx};
use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type};
use antq_domain::page::Page;

list_type!(RuleList, Rule);
list_type!(CriteriaSetList, CriteriaSet);
list_type!(RoundList, Round);
list_type!(RatingList, Rating);
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{APPROVE, READ, Routes, TAXONOMY, WRITE};

/// Routes of rules and ratings.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/rules", get(list_rules).post(add_rule), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route(
            "/criteria-sets",
            get(list_criteria_sets).post(add_criteria_set),
            &[(Method::GET, READ), (Method::POST, TAXONOMY)],
        )
        .route("/rating-rounds", get(list_rounds).post(open_round), &[(Method::GET, READ), (Method::POST, APPROVE)])
        .route("/rating-rounds/{id}", get(get_round), &[(Method::GET, READ)])
        .route("/rating-rounds/{id}/approve", post(approve_round), &[(Method::POST, APPROVE)])
        .route("/rating-rounds/{id}/ratings", post(rate), &[(Method::POST, WRITE)])
        .route("/rating-rounds/{id}/template", get(template), &[(Method::GET, READ)])
        .route(
            "/rating-rounds/{id}/import",
            post(import).layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/rating-rounds/{id}/units/{unit}", get(get_sheet), &[(Method::GET, READ)])
        .route("/rating-rounds/{id}/units/{unit}/submit", post(submit), &[(Method::POST, WRITE)])
        .route("/rating-rounds/{id}/units/{unit}/review", post(review), &[(Method::POST, APPROVE)])
        .route("/ratings/{id}", get(get_rating).patch(patch_rating), &[(Method::GET, READ), (Method::PATCH, WRITE)])
        .route("/ratings/{id}/follow-up", post(follow_up), &[(Method::POST, WRITE)])
        .route("/rating-follow-ups", get(follow_ups), &[(Method::GET, READ)])
        .route("/stats/ratings", get(stats), &[(Method::GET, READ)])
        .route("/stats/ratings/export", get(stats_export), &[(Method::GET, READ)])
}

/// Every value of every rule, with legal basis and validity.
#[utoipa::path(get, path = "/api/v1/rules", tag = "rules", params(Paging), responses((status = 200, body = RuleList)))]
pub async fn list_rules(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<RuleList>, ApiError> {
    Ok(Json(Page::slice(rules::list(&s.ctx, &a).await?, paging.request()).into()))
}

/// Adds a value of a rule from a date (the previous value ends the day before). A province's
/// own value needs that province in scope; a national value needs national scope.
#[utoipa::path(post, path = "/api/v1/rules", tag = "rules", request_body = RuleInput,
    responses((status = 201, body = Rule), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_rule(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<RuleInput>,
) -> Result<(StatusCode, Json<Rule>), ApiError> {
    Ok((StatusCode::CREATED, Json(rules::add(&s.ctx, &a, &b).await?)))
}

/// Every version of every criteria set.
#[utoipa::path(get, path = "/api/v1/criteria-sets", tag = "rules", params(Paging), responses((status = 200, body = CriteriaSetList)))]
pub async fn list_criteria_sets(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<CriteriaSetList>, ApiError> {
    Ok(Json(Page::slice(rules::criteria_sets(&s.ctx, &a).await?, paging.request()).into()))
}

/// Adds a version of a model criteria set (national, per province, per model type).
#[utoipa::path(post, path = "/api/v1/criteria-sets", tag = "rules", request_body = CriteriaSetInput,
    responses((status = 201, body = CriteriaSet), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_criteria_set(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<CriteriaSetInput>,
) -> Result<(StatusCode, Json<CriteriaSet>), ApiError> {
    Ok((StatusCode::CREATED, Json(rules::add_criteria_set(&s.ctx, &a, &b).await?)))
}

/// Rating rounds in scope, newest first.
#[utoipa::path(get, path = "/api/v1/rating-rounds", tag = "ratings", params(Paging), responses((status = 200, body = RoundList)))]
pub async fn list_rounds(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<RoundList>, ApiError> {
    Ok(Json(Page::slice(ratings::rounds(&s.ctx, &a).await?, paging.request()).into()))
}

/// Opens the round of a province and year (window from the rule `model_rating_window` when
/// not given); one sheet per commune and one for the province's own models.
#[utoipa::path(post, path = "/api/v1/rating-rounds", tag = "ratings", request_body = RoundInput,
    responses((status = 201, body = Round), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open_round(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<RoundInput>,
) -> Result<(StatusCode, Json<Round>), ApiError> {
    Ok((StatusCode::CREATED, Json(ratings::open_round(&s.ctx, &a, &b).await?)))
}

/// A round with the sheets the caller may see.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RoundDetail {
    /// The round.
    pub round: Round,
    /// Its sheets.
    pub sheets: Vec<Sheet>,
}

#[utoipa::path(get, path = "/api/v1/rating-rounds/{id}", tag = "ratings", params(("id" = i64, Path)),
    responses((status = 200, body = RoundDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_round(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RoundDetail>, ApiError> {
    let (round, sheets) = ratings::sheets(&s.ctx, &a, id).await?;
    Ok(Json(RoundDetail { round, sheets }))
}

/// A partial approval's note.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ApproveInput {
    /// Required when some units with models have not submitted.
    pub note: Option<String>,
}

/// Approves the round: every submitted sheet is approved and locked.
#[utoipa::path(post, path = "/api/v1/rating-rounds/{id}/approve", tag = "ratings", params(("id" = i64, Path)), request_body = ApproveInput,
    responses((status = 200, body = Round), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody, description = "Còn đơn vị chưa nộp")))]
pub async fn approve_round(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ApproveInput>,
) -> Result<Json<Round>, ApiError> {
    Ok(Json(ratings::approve_round(&s.ctx, &a, id, b.note.as_deref()).await?))
}

/// Records a rating. A second rating of the same model (or site) in the round answers 409;
/// a rating outside the scale 422; a rating on a submitted or locked sheet 409.
#[utoipa::path(post, path = "/api/v1/rating-rounds/{id}/ratings", tag = "ratings", params(("id" = i64, Path)), request_body = RatingInput,
    responses((status = 201, body = Rating), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RatingInput>,
) -> Result<(StatusCode, Json<Rating>), ApiError> {
    Ok((StatusCode::CREATED, Json(ratings::rate(&s.ctx, &a, id, &b).await?)))
}

/// The round's file of models and sites to rate, with what is entered.
#[utoipa::path(get, path = "/api/v1/rating-rounds/{id}/template", tag = "ratings", params(("id" = i64, Path), TemplateParams),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn template(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<TemplateParams>,
) -> Result<Response, ApiError> {
    let format = format_or_xlsx(p.format.as_deref())?;
    let bytes = rating_files::template(&s.ctx, &a, id, format).await?;
    Ok(download(bytes, format, &format!("xep-loai-{id}")))
}

/// Imports a filled rating file (body): dry run by default; otherwise every row or none.
#[utoipa::path(post, path = "/api/v1/rating-rounds/{id}/import", tag = "ratings", params(("id" = i64, Path), ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Tệp CSV hoặc XLSX"),
    responses((status = 200, body = ImportReportBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let format = match p.format.as_deref().filter(|f| !f.is_empty()) {
        None => None,
        Some(f) => Some(format_or_xlsx(Some(f))?),
    };
    Ok(Json(rating_files::import(&s.ctx, &a, id, &body, format, p.dry_run.unwrap_or(true)).await?))
}

/// One unit's sheet: models and sites to rate, the criteria sets and the ratings so far.
#[utoipa::path(get, path = "/api/v1/rating-rounds/{id}/units/{unit}", tag = "ratings", params(("id" = i64, Path), ("unit" = String, Path)),
    responses((status = 200, body = SheetView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_sheet(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, unit)): ApiPath<(i64, String)>,
) -> Result<Json<SheetView>, ApiError> {
    Ok(Json(ratings::sheet_view(&s.ctx, &a, id, &unit).await?))
}

/// Submits a sheet for approval (every target rated; too recent ones become "chưa đánh giá").
#[utoipa::path(post, path = "/api/v1/rating-rounds/{id}/units/{unit}/submit", tag = "ratings", params(("id" = i64, Path), ("unit" = String, Path)),
    responses((status = 200, body = Sheet), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, unit)): ApiPath<(i64, String)>,
) -> Result<Json<Sheet>, ApiError> {
    Ok(Json(ratings::submit(&s.ctx, &a, id, &unit).await?))
}

/// A province officer's review of a sheet.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ReviewInput {
    /// `return` (comment required), `approve` or `unlock` (reason required).
    pub action: Option<String>,
    /// Comment or reason.
    pub comment: Option<String>,
}

/// Parses a review action.
pub fn review_action(s: Option<&str>) -> Result<SheetAction, AppError> {
    match s.map(str::trim) {
        Some("return") => Ok(SheetAction::Return),
        Some("approve") => Ok(SheetAction::Approve),
        Some("unlock") => Ok(SheetAction::Unlock),
        _ => Err(AppError::Invalid(FieldErrors::single("action", "action phải là return, approve hoặc unlock."))),
    }
}

/// Returns, approves (locks) or unlocks a sheet.
#[utoipa::path(post, path = "/api/v1/rating-rounds/{id}/units/{unit}/review", tag = "ratings", params(("id" = i64, Path), ("unit" = String, Path)), request_body = ReviewInput,
    responses((status = 200, body = Sheet), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, unit)): ApiPath<(i64, String)>,
    ApiJson(b): ApiJson<ReviewInput>,
) -> Result<Json<Sheet>, ApiError> {
    let action = review_action(b.action.as_deref())?;
    Ok(Json(ratings::review(&s.ctx, &a, id, &unit, action, b.comment.as_deref()).await?))
}

#[utoipa::path(get, path = "/api/v1/ratings/{id}", tag = "ratings", params(("id" = i64, Path)),
    responses((status = 200, body = Rating), (status = 404, body = ErrorBody)))]
pub async fn get_rating(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Rating>, ApiError> {
    Ok(Json(ratings::get(&s.ctx, &a, id).await?))
}

/// Changes a rating while its sheet is open (`rating`, `checklist`, `note`).
#[utoipa::path(patch, path = "/api/v1/ratings/{id}", tag = "ratings", params(("id" = i64, Path)), request_body = RatingInput,
    responses((status = 200, body = Rating), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_rating(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RatingInput>,
) -> Result<Json<Rating>, ApiError> {
    Ok(Json(ratings::update(&s.ctx, &a, id, &b).await?))
}

/// Decides on a model rated "cần thanh loại": consolidate or eliminate.
#[utoipa::path(post, path = "/api/v1/ratings/{id}/follow-up", tag = "ratings", params(("id" = i64, Path)), request_body = FollowUpInput,
    responses((status = 200, body = Rating), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn follow_up(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<FollowUpInput>,
) -> Result<Json<Rating>, ApiError> {
    Ok(Json(ratings::decide_follow_up(&s.ctx, &a, id, &b).await?))
}

/// Models and replication sites rated "cần thanh loại" still waiting for a decision.
#[utoipa::path(get, path = "/api/v1/rating-follow-ups", tag = "ratings", params(Paging), responses((status = 200, body = RatingList)))]
pub async fn follow_ups(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<RatingList>, ApiError> {
    Ok(Json(Page::slice(ratings::follow_ups(&s.ctx, &a).await?, paging.request()).into()))
}

/// Year and grouping of the ratings statistics.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct RatingsParams {
    /// Year (default: this year).
    pub year: Option<i32>,
    /// `place` (provinces nationally, communes within a province), `type`, or the place as
    /// recorded before 1 July 2025: `legacy_province`, `legacy_district`, `legacy_commune`.
    pub by: Option<String>,
    /// The map of a day (YYYY-MM-DD): before 1 July 2025, `place` is the former province
    /// (nationally) or district.
    pub as_of: Option<String>,
    /// `xlsx` (default) or `csv`, for the export.
    pub format: Option<String>,
}

impl RatingsParams {
    /// Year and grouping, checked.
    pub fn parse(&self, today: chrono::NaiveDate) -> Result<(i32, RatingsBy), AppError> {
        let year = super::checked_year(self.year, today)?;
        let by = RatingsBy::parse(self.by.as_deref()).ok_or_else(|| {
            AppError::Invalid(FieldErrors::single(
                "by",
                format!("by phải là một trong: {}.", RatingsBy::CODES.join(", ")),
            ))
        })?;
        Ok((year, by.as_of(antq_app::lineage::before_change(self.as_of.as_deref())?)))
    }
}

/// Approved model ratings of a year by place or type × rating, totals and the previous year.
#[utoipa::path(get, path = "/api/v1/stats/ratings", tag = "stats", params(RatingsParams),
    responses((status = 200, body = RatingsPivot), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<RatingsParams>,
) -> Result<Json<RatingsPivot>, ApiError> {
    let (year, by) = p.parse(s.ctx.today())?;
    Ok(Json(antq_app::stats::ratings(&s.ctx, &a, year, by).await?))
}

/// The same table as an XLSX or CSV file.
#[utoipa::path(get, path = "/api/v1/stats/ratings/export", tag = "stats", params(RatingsParams),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn stats_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<RatingsParams>,
) -> Result<Response, ApiError> {
    Ok(ratings_file(&s, &a, &p).await?)
}

/// The ratings statistics file (shared with the page's download link).
pub async fn ratings_file(s: &AppState, a: &antq_app::Actor, p: &RatingsParams) -> Result<Response, AppError> {
    let (year, by) = p.parse(s.ctx.today())?;
    let format = format_or_xlsx(p.format.as_deref())?;
    let bytes = antq_app::stats::ratings_export(&s.ctx, a, year, by, format).await?;
    Ok(download(bytes, format, &format!("xep-loai-mo-hinh-{year}")))
}
