//! `/api/v1/activities` (C10), `/api/v1/activity-kinds`, `/api/v1/opinions`,
//! `/api/v1/commendations` (C11) and their statistics.

use antq_app::activities::stats::ActivityStatsQuery;
use antq_app::activities::{self, ActivityDetail, ActivityQuery, OpinionQuery};
use antq_app::commendations::{self, CommendationQuery, CommendationStatsQuery};
use antq_domain::activity::opinion::{AnswerInput, Opinion, OpinionInput};
use antq_domain::activity::{Activity, ActivityDocument, ActivityInput, ActivityKind, ActivityKindInput};
use antq_domain::commendation::{Commendation, CommendationInput, CommendationStepInput};
use antq_domain::page::Page;
use antq_domain::table::StatTable;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::force::MedalParams;
use super::interchange::{download, format_or_xlsx};
use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type, merge_patch};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes, TAXONOMY, WRITE};

list_type!(ActivityList, Activity);
list_type!(ActivityKindList, ActivityKind);
list_type!(OpinionList, Opinion);
list_type!(CommendationList, Commendation);
list_type!(MedalProposalList, antq_app::force::medal::MedalLine);

/// Routes of activities and commendations. Decisions reserved to the province are guarded as
/// writes and checked again in `antq-app`.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/activity-kinds", get(list_kinds).post(create_kind), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route("/activity-kinds/{id}", axum::routing::patch(patch_kind), &[(Method::PATCH, TAXONOMY)])
        .route("/activities", get(list).post(create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/activities/{id}", get(get_one).patch(patch), &[(Method::GET, READ), (Method::PATCH, WRITE)])
        .route("/activities/{id}/opinions", post(add_opinion), &[(Method::POST, WRITE)])
        .route("/activities/{id}/opinions/{opinion_id}/answer", post(answer), &[(Method::POST, WRITE)])
        .route(
            "/activities/{id}/documents",
            post(add_document).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/activities/{id}/documents/{document_id}", get(document_file), &[(Method::GET, READ)])
        .route("/opinions", get(opinions), &[(Method::GET, READ)])
        .route("/stats/activities", get(stats), &[(Method::GET, READ)])
        .route("/stats/activities/export", get(stats_export), &[(Method::GET, READ)])
        .route(
            "/commendations",
            get(list_commendations).post(create_commendation),
            &[(Method::GET, READ), (Method::POST, WRITE)],
        )
        .route("/commendations/{id}", get(get_commendation), &[(Method::GET, READ)])
        .route("/commendations/{id}/steps", post(commendation_step), &[(Method::POST, WRITE)])
        .route("/commendations/medal-proposals", get(medal_proposals), &[(Method::GET, READ)])
        .route("/stats/commendations", get(commendation_stats), &[(Method::GET, READ)])
        .route("/stats/commendations/export", get(commendation_stats_export), &[(Method::GET, READ)])
}

#[utoipa::path(get, path = "/api/v1/activity-kinds", tag = "activities", params(Paging), responses((status = 200, body = ActivityKindList)))]
pub async fn list_kinds(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<ActivityKindList>, ApiError> {
    Ok(Json(Page::slice(activities::kinds(&s.ctx, &a).await?, paging.request()).into()))
}

/// Adds a kind (a province's own; national for administrators).
#[utoipa::path(post, path = "/api/v1/activity-kinds", tag = "activities", request_body = ActivityKindInput,
    responses((status = 201, body = ActivityKind), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_kind(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<ActivityKindInput>,
) -> Result<(StatusCode, Json<ActivityKind>), ApiError> {
    Ok((StatusCode::CREATED, Json(activities::create_kind(&s.ctx, &a, &b).await?)))
}

/// Renames a kind or stops offering it (`name`, `active`).
#[utoipa::path(patch, path = "/api/v1/activity-kinds/{id}", tag = "activities", params(("id" = i64, Path)), request_body = ActivityKindInput,
    responses((status = 200, body = ActivityKind), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_kind(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ActivityKindInput>,
) -> Result<Json<ActivityKind>, ApiError> {
    Ok(Json(activities::update_kind(&s.ctx, &a, id, &b).await?))
}

#[utoipa::path(get, path = "/api/v1/activities", tag = "activities", params(ActivityQuery, Paging),
    responses((status = 200, body = ActivityList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ActivityQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<ActivityList>, ApiError> {
    Ok(Json(activities::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// Records an activity; the fields its kind's shape needs are required.
#[utoipa::path(post, path = "/api/v1/activities", tag = "activities", request_body = ActivityInput,
    responses((status = 201, body = ActivityDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<ActivityInput>,
) -> Result<(StatusCode, Json<ActivityDetail>), ApiError> {
    Ok((StatusCode::CREATED, Json(activities::create(&s.ctx, &a, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = i64, Path)),
    responses((status = 200, body = ActivityDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ActivityDetail>, ApiError> {
    Ok(Json(activities::detail(&s.ctx, &a, id).await?))
}

/// Changes an activity (JSON merge patch of its fields); `updated_at`, when sent, must be the
/// one read, or the answer is 409.
#[utoipa::path(patch, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = i64, Path)), request_body = ActivityInput,
    responses((status = 200, body = ActivityDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<ActivityDetail>, ApiError> {
    let current = activities::get(&s.ctx, &a, id).await?;
    let seen = match patch.get("updated_at") {
        None => None,
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(|_| {
            antq_app::AppError::Invalid(antq_domain::FieldErrors::single(
                "updated_at",
                "updated_at không hợp lệ (RFC 3339).",
            ))
        })?),
    };
    let input: ActivityInput = merge_patch(&current.to_input(), &patch)?;
    Ok(Json(activities::update(&s.ctx, &a, id, &input, seen).await?))
}

/// Records an opinion raised at a conference: answered on the spot (`answer`) or tasked to a
/// unit (`tasked_unit`) with its deadline (`due_on`).
#[utoipa::path(post, path = "/api/v1/activities/{id}/opinions", tag = "activities", params(("id" = i64, Path)), request_body = OpinionInput,
    responses((status = 201, body = Opinion), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_opinion(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<OpinionInput>,
) -> Result<(StatusCode, Json<Opinion>), ApiError> {
    Ok((StatusCode::CREATED, Json(activities::add_opinion(&s.ctx, &a, id, &b).await?)))
}

/// Records the answer to a waiting opinion.
#[utoipa::path(post, path = "/api/v1/activities/{id}/opinions/{opinion_id}/answer", tag = "activities",
    params(("id" = i64, Path), ("opinion_id" = i64, Path)), request_body = AnswerInput,
    responses((status = 200, body = Opinion), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, opinion)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<AnswerInput>,
) -> Result<Json<Opinion>, ApiError> {
    Ok(Json(activities::answer_opinion(&s.ctx, &a, id, opinion, &b).await?))
}

/// Adds a document (multipart: `title`, `file`).
#[utoipa::path(post, path = "/api/v1/activities/{id}/documents", tag = "activities", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "title, file"),
    responses((status = 201, body = ActivityDocument), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_document(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> Result<(StatusCode, Json<ActivityDocument>), ApiError> {
    let (title, upload) = super::antt::read_upload(form).await?;
    let doc = activities::add_document(&s.ctx, &a, id, title.as_deref().unwrap_or(""), upload).await?;
    Ok((StatusCode::CREATED, Json(doc)))
}

#[utoipa::path(get, path = "/api/v1/activities/{id}/documents/{document_id}", tag = "activities", params(("id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 200, description = "Tệp", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn document_file(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, doc)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (d, bytes) = activities::document(&s.ctx, &a, id, doc).await?;
    let name = d.file_name.unwrap_or_else(|| format!("tai-lieu-{}", d.id));
    Ok(crate::documents::download(&name, d.content_type.as_deref().unwrap_or("application/octet-stream"), bytes))
}

/// Opinions waiting for an answer in scope (`overdue=true`: only those past their deadline).
#[utoipa::path(get, path = "/api/v1/opinions", tag = "activities", params(OpinionQuery, Paging),
    responses((status = 200, body = OpinionList), (status = 403, body = ErrorBody)))]
pub async fn opinions(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<OpinionQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<OpinionList>, ApiError> {
    Ok(Json(activities::waiting_opinions(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// Format of a statistics download.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct FormatParam {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

/// Activities by place, kind or month of a year (sessions, participants, opinions raised,
/// answered and overdue, commitments, publications, trainees, tips), or the items handed in.
#[utoipa::path(get, path = "/api/v1/stats/activities", tag = "stats", params(ActivityStatsQuery),
    responses((status = 200, body = StatTable), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ActivityStatsQuery>,
) -> Result<Json<StatTable>, ApiError> {
    Ok(Json(activities::stats::table(&s.ctx, &a, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/stats/activities/export", tag = "stats", params(ActivityStatsQuery, FormatParam),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn stats_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ActivityStatsQuery>,
    ApiQuery(f): ApiQuery<FormatParam>,
) -> Result<Response, ApiError> {
    let format = format_or_xlsx(f.format.as_deref())?;
    Ok(download(activities::stats::export(&s.ctx, &a, &q, format).await?, format, "thong-ke-hoat-dong"))
}

#[utoipa::path(get, path = "/api/v1/commendations", tag = "commendations", params(CommendationQuery, Paging),
    responses((status = 200, body = CommendationList), (status = 403, body = ErrorBody)))]
pub async fn list_commendations(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CommendationQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<CommendationList>, ApiError> {
    Ok(Json(commendations::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// Files a proposal, or records an award already decided (`decision_no`, `decided_on`). A
/// second Kỷ niệm chương of the same form for a person is 409.
#[utoipa::path(post, path = "/api/v1/commendations", tag = "commendations", request_body = CommendationInput,
    responses((status = 201, body = Commendation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_commendation(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<CommendationInput>,
) -> Result<(StatusCode, Json<Commendation>), ApiError> {
    Ok((StatusCode::CREATED, Json(commendations::create(&s.ctx, &a, &b).await?)))
}

/// A commendation and the steps the caller may take.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CommendationBody {
    /// The commendation.
    #[serde(flatten)]
    pub commendation: Commendation,
    /// Step codes allowed to the caller now.
    pub actions: Vec<String>,
    /// Where it was recorded before 1 July 2025, if it was.
    pub former: Option<antq_app::lineage::Recorded>,
}

#[utoipa::path(get, path = "/api/v1/commendations/{id}", tag = "commendations", params(("id" = i64, Path)),
    responses((status = 200, body = CommendationBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_commendation(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CommendationBody>, ApiError> {
    let c = commendations::get(&s.ctx, &a, id).await?;
    let actions = commendations::actions(&a, &c).iter().map(|x| x.code().to_string()).collect();
    let former = antq_app::lineage::recorded(&s.ctx, antq_app::lineage::Placed::Commendations, id).await?;
    Ok(Json(CommendationBody { commendation: c, actions, former }))
}

/// A step: `submit`, `return` (`comment`), `decide` (`decision_no`, `decided_on`, optional
/// `authority`, `cash_vnd`) or `refuse` (`comment`).
#[utoipa::path(post, path = "/api/v1/commendations/{id}/steps", tag = "commendations", params(("id" = i64, Path)), request_body = CommendationStepInput,
    responses((status = 200, body = Commendation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn commendation_step(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CommendationStepInput>,
) -> Result<Json<Commendation>, ApiError> {
    Ok(Json(commendations::step(&s.ctx, &a, id, &b).await?))
}

/// Members eligible for the Kỷ niệm chương «Bảo vệ an ninh Tổ quốc» who hold none and have
/// none proposed.
#[utoipa::path(get, path = "/api/v1/commendations/medal-proposals", tag = "commendations", params(MedalParams, Paging),
    responses((status = 200, body = MedalProposalList), (status = 403, body = ErrorBody)))]
pub async fn medal_proposals(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<MedalParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<MedalProposalList>, ApiError> {
    let lines = commendations::medal_proposals(&s.ctx, &a, p.commune.as_deref()).await?;
    Ok(Json(Page::slice(lines, paging.request()).into()))
}

/// Decided commendations of a year by form × recipient kind, or by place × level.
#[utoipa::path(get, path = "/api/v1/stats/commendations", tag = "stats", params(CommendationStatsQuery),
    responses((status = 200, body = StatTable), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn commendation_stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CommendationStatsQuery>,
) -> Result<Json<StatTable>, ApiError> {
    Ok(Json(commendations::stats(&s.ctx, &a, &q).await?))
}

#[utoipa::path(get, path = "/api/v1/stats/commendations/export", tag = "stats", params(CommendationStatsQuery, FormatParam),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream")))]
pub async fn commendation_stats_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CommendationStatsQuery>,
    ApiQuery(f): ApiQuery<FormatParam>,
) -> Result<Response, ApiError> {
    let format = format_or_xlsx(f.format.as_deref())?;
    let t = commendations::stats(&s.ctx, &a, &q).await?;
    Ok(download(activities::stats::table_file(&t, format), format, "thong-ke-khen-thuong"))
}
