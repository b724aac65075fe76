//! `/api/v1/teams`, `/api/v1/members`, `/api/v1/force/…` and `/api/v1/stats/force`: the
//! base-level security force (C8).

use antq_app::AppError;
use antq_app::force::allowance::{AllowanceSheet, parse_month};
use antq_app::force::medal::MedalLine;
use antq_app::force::members::{MemberQuery, MemberView};
use antq_app::force::ratings::SheetView;
use antq_app::force::stats::{ForceBy, ForceStats};
use antq_app::force::teams::{TeamQuery, TeamView};
use antq_app::force::{alerts, allowance, courses, medal, members, ratings, stats, teams};
use antq_domain::FieldErrors;
use antq_domain::force::course::{Course, Trainee};
use antq_domain::force::course::{CourseInput, ResultInput};
use antq_domain::force::member::{ForceEvent, MemberDocument};
use antq_domain::force::rating::ForceRatingInput;
use antq_domain::force::rating::ForceSheet;
use antq_domain::force::{MemberInput, MemberStepInput, TeamInput, TeamStepInput};
use antq_domain::ids::{CourseId, ForceTeamId, MemberId};
use antq_domain::rating::SheetAction;
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type, merge_patch};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes, WRITE};

list_type!(TeamList, TeamView);
list_type!(MemberList, MemberView);

/// Routes of the force.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/teams", get(list_teams).post(create_team), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/teams/{id}", get(get_team).patch(patch_team), &[(Method::GET, READ), (Method::PATCH, WRITE)])
        .route("/teams/{id}/transitions", post(team_transition), &[(Method::POST, WRITE)])
        .route("/members", get(list_members).post(create_member), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/members/{id}", get(get_member).patch(patch_member), &[(Method::GET, READ), (Method::PATCH, WRITE)])
        .route("/members/{id}/transitions", post(member_transition), &[(Method::POST, WRITE)])
        .route(
            "/members/{id}/citizen-id",
            post(citizen_id),
            &[(Method::POST, crate::routes::Guard::Can(antq_domain::access::Permission::ReadPersonalData))],
        )
        .route(
            "/members/{id}/documents",
            post(add_document).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/members/{id}/documents/{document_id}", get(document_file), &[(Method::GET, READ)])
        .route("/force/alerts", get(get_alerts), &[(Method::GET, READ)])
        .route("/stats/force", get(get_stats), &[(Method::GET, READ)])
        .route("/stats/force/export", get(stats_export), &[(Method::GET, READ)])
        .route("/force/rating-sheets", get(list_sheets), &[(Method::GET, READ)])
        .route(
            "/force/rating-sheets/{commune}/{year}",
            get(get_sheet).post(open_sheet),
            &[(Method::GET, READ), (Method::POST, WRITE)],
        )
        .route("/force/rating-sheets/{commune}/{year}/ratings", post(rate), &[(Method::POST, WRITE)])
        .route("/force/rating-sheets/{commune}/{year}/actions", post(sheet_action), &[(Method::POST, WRITE)])
        .route("/force/courses", get(list_courses).post(create_course), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/force/courses/{id}", get(get_course), &[(Method::GET, READ)])
        .route("/force/courses/{id}/trainees", post(add_trainee), &[(Method::POST, WRITE)])
        .route("/force/courses/{id}/trainees/{trainee_id}", post(set_result), &[(Method::POST, WRITE)])
        .route("/force/allowances", get(get_allowance), &[(Method::GET, READ)])
        .route("/force/allowances/export", get(allowance_export), &[(Method::GET, READ)])
        .route("/force/medals", get(get_medals), &[(Method::GET, READ)])
        .route("/force/medals/export", get(medals_export), &[(Method::GET, READ)])
}

#[utoipa::path(get, path = "/api/v1/teams", tag = "force", params(TeamQuery, Paging),
    responses((status = 200, body = TeamList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_teams(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<TeamQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<TeamList>, ApiError> {
    Ok(Json(teams::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// A new team: its commune and fields.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NewTeam {
    /// Commune code.
    pub commune_code: String,
    /// Fields.
    #[serde(flatten)]
    pub fields: TeamInput,
}

#[utoipa::path(post, path = "/api/v1/teams", tag = "force", request_body = NewTeam,
    responses((status = 201, body = TeamView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_team(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NewTeam>,
) -> Result<(StatusCode, Json<TeamView>), ApiError> {
    Ok((StatusCode::CREATED, Json(teams::create(&s.ctx, &a, &b.commune_code, &b.fields).await?)))
}

/// A team with its members (holding a place) and trail.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TeamDetail {
    /// The team.
    #[serde(flatten)]
    pub team: TeamView,
    /// Members holding a place.
    pub members: Vec<MemberView>,
    /// Trail.
    pub events: Vec<ForceEvent>,
    /// Where it was recorded before 1 July 2025, if it was.
    pub former: Option<antq_app::lineage::Recorded>,
}

#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "force", params(("id" = i64, Path)),
    responses((status = 200, body = TeamDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_team(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TeamDetail>, ApiError> {
    let team = teams::view(&s.ctx, &a, ForceTeamId(id)).await?;
    let q = MemberQuery { team: Some(id), ..Default::default() };
    let members = members::list(&s.ctx, &a, &q, antq_domain::page::PageRequest::new(Some(1), Some(200))).await?.items;
    let events = teams::events(&s.ctx, &a, ForceTeamId(id)).await?;
    let former = antq_app::lineage::recorded(&s.ctx, antq_app::lineage::Placed::ForceTeams, id).await?;
    Ok(Json(TeamDetail { team, members, events, former }))
}

/// Changes fields (merge patch of [`TeamInput`]).
#[utoipa::path(patch, path = "/api/v1/teams/{id}", tag = "force", params(("id" = i64, Path)), request_body = TeamInput,
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn patch_team(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<TeamView>, ApiError> {
    let current = teams::get(&s.ctx, &a, ForceTeamId(id)).await?;
    let input: TeamInput = merge_patch(&TeamInput::from(&current), &patch)?;
    Ok(Json(teams::update(&s.ctx, &a, ForceTeamId(id), &input).await?))
}

/// A step: `propose` (`on_date`), `establish` (`on_date`, `decision_no`, `signer`),
/// `propose_dissolution` (`on_date`, `reason`), `cancel_dissolution`, `dissolve` (`on_date`,
/// `decision_no`, `signer`, `reason`).
#[utoipa::path(post, path = "/api/v1/teams/{id}/transitions", tag = "force", params(("id" = i64, Path)), request_body = TeamStepInput,
    responses((status = 200, body = TeamView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn team_transition(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<TeamStepInput>,
) -> Result<Json<TeamView>, ApiError> {
    Ok(Json(teams::step(&s.ctx, &a, ForceTeamId(id), &b).await?))
}

#[utoipa::path(get, path = "/api/v1/members", tag = "force", params(MemberQuery, Paging),
    responses((status = 200, body = MemberList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_members(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<MemberQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<MemberList>, ApiError> {
    Ok(Json(members::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// Enters a member; an ineligible person answers 422 with the rule and its legal basis in `fields`.
#[utoipa::path(post, path = "/api/v1/members", tag = "force", request_body = MemberInput,
    responses((status = 201, body = MemberView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_member(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<MemberInput>,
) -> Result<(StatusCode, Json<MemberView>), ApiError> {
    Ok((StatusCode::CREATED, Json(members::create(&s.ctx, &a, &b).await?)))
}

/// A member with trail and documents.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MemberDetail {
    /// The member.
    #[serde(flatten)]
    pub member: MemberView,
    /// Trail.
    pub events: Vec<ForceEvent>,
    /// Dossier documents.
    pub documents: Vec<MemberDocument>,
}

#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "force", params(("id" = i64, Path)),
    responses((status = 200, body = MemberDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_member(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MemberDetail>, ApiError> {
    let member = members::view(&s.ctx, &a, MemberId(id)).await?;
    let events = members::events(&s.ctx, &a, MemberId(id)).await?;
    let documents = members::documents(&s.ctx, &a, MemberId(id)).await?;
    Ok(Json(MemberDetail { member, events, documents }))
}

/// Changes fields (merge patch of [`MemberInput`]; `citizen_id` replaces the number).
#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "force", params(("id" = i64, Path)), request_body = MemberInput,
    responses((status = 200, body = MemberView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn patch_member(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<MemberView>, ApiError> {
    let current = members::get(&s.ctx, &a, MemberId(id)).await?;
    let input: MemberInput = merge_patch(&MemberInput::from(&current), &patch)?;
    Ok(Json(members::update(&s.ctx, &a, MemberId(id), &input).await?))
}

/// A step: `select`, `propose` (`on_date`), `recognise` (`on_date`, `decision_no`, `signer`,
/// `posted_on`), `reject` (`on_date`, `reason`), `request_termination` (`on_date`, `ground`),
/// `terminate` (`on_date`, `ground`, `decision_no`).
#[utoipa::path(post, path = "/api/v1/members/{id}/transitions", tag = "force", params(("id" = i64, Path)), request_body = MemberStepInput,
    responses((status = 200, body = MemberView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn member_transition(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MemberStepInput>,
) -> Result<Json<MemberView>, ApiError> {
    Ok(Json(members::step(&s.ctx, &a, MemberId(id), &b).await?))
}

/// The full citizen id.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CitizenId {
    /// 12 digits.
    pub citizen_id: String,
}

/// Reads the full citizen id of a member (permission `read_personal_data`; audited).
#[utoipa::path(post, path = "/api/v1/members/{id}/citizen-id", tag = "force", params(("id" = i64, Path)),
    responses((status = 200, body = CitizenId), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn citizen_id(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CitizenId>, ApiError> {
    Ok(Json(CitizenId { citizen_id: members::citizen_id(&s.ctx, &a, MemberId(id)).await? }))
}

/// A dossier document: multipart `title` and `file` (PDF, PNG, JPEG, DOCX, XLSX; 10 MB).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    /// Title.
    title: String,
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(post, path = "/api/v1/members/{id}/documents", tag = "force", params(("id" = i64, Path)),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = MemberDocument), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_document(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    form: axum::extract::Multipart,
) -> Result<(StatusCode, Json<MemberDocument>), ApiError> {
    let (fields, files) = crate::documents::read_multipart(form).await?;
    let title = crate::ui::field(&fields, "title").unwrap_or_default();
    let Some(file) = files.into_iter().next() else {
        return Err(AppError::Invalid(FieldErrors::single("file", "Chưa chọn tệp.")).into());
    };
    let doc = members::add_document(&s.ctx, &a, MemberId(id), &title, &file.name, &file.bytes).await?;
    Ok((StatusCode::CREATED, Json(doc)))
}

#[utoipa::path(get, path = "/api/v1/members/{id}/documents/{document_id}", tag = "force", params(("id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 200, description = "Tệp", content_type = "application/octet-stream"), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn document_file(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, doc)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (d, bytes) = members::document(&s.ctx, &a, MemberId(id), doc).await?;
    Ok(crate::documents::download(&d.file_name, &d.content_type, bytes))
}

/// The unit of the alerts.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct AlertParams {
    /// `mine` (default), a province or a commune code.
    pub unit: Option<String>,
}

/// The alerts of a unit: counts per commune (or province), and every alert by pages.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AlertList {
    /// The unit asked for (province or commune code; empty: the country).
    pub unit: String,
    /// Counts per commune (for a province) or per province (for the country).
    pub counts: Vec<antq_domain::force::quota::AlertCounts>,
    /// Alerts of this page (none for the country: ask a province).
    pub items: Vec<alerts::Alert>,
    /// Alerts in all.
    pub total: i64,
    /// Page number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

#[utoipa::path(get, path = "/api/v1/force/alerts", tag = "force", params(AlertParams, Paging),
    responses((status = 200, body = AlertList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_alerts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<AlertParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<AlertList>, ApiError> {
    let all = alerts::of_unit(&s.ctx, &a, p.unit.as_deref(), None).await?;
    let page = antq_domain::page::Page::slice(all.items, paging.request());
    Ok(Json(AlertList {
        unit: all.unit,
        counts: all.counts,
        items: page.items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Grouping of the statistics.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct StatsParams {
    /// `place` (default), `role`, `age`, `sex` or `education`.
    pub by: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/stats/force", tag = "force", params(StatsParams),
    responses((status = 200, body = ForceStats), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<StatsParams>,
) -> Result<Json<ForceStats>, ApiError> {
    Ok(Json(stats::stats(&s.ctx, &a, ForceBy::parse(p.by.as_deref())?).await?))
}

fn xlsx(bytes: Vec<u8>, name: &str) -> Response {
    crate::api::interchange::download(bytes, antq_interchange::Format::Xlsx, name)
}

#[utoipa::path(get, path = "/api/v1/stats/force/export", tag = "force", params(StatsParams),
    responses((status = 200, description = "Tệp XLSX", content_type = "application/octet-stream"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stats_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<StatsParams>,
) -> Result<Response, ApiError> {
    Ok(xlsx(stats::export(&s.ctx, &a, ForceBy::parse(p.by.as_deref())?).await?, "luc-luong"))
}

/// The year of the rating sheets.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct YearParams {
    /// Year (the period ends on 14/11 of it); this year when absent.
    pub year: Option<i32>,
}

list_type!(SheetList, ForceSheet);

#[utoipa::path(get, path = "/api/v1/force/rating-sheets", tag = "force", params(YearParams, Paging),
    responses((status = 200, body = SheetList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_sheets(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<YearParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<SheetList>, ApiError> {
    let year = super::checked_year(p.year, s.ctx.today())?;
    Ok(Json(antq_domain::page::Page::slice(ratings::sheets(&s.ctx, &a, year).await?, paging.request()).into()))
}

#[utoipa::path(get, path = "/api/v1/force/rating-sheets/{commune}/{year}", tag = "force", params(("commune" = String, Path), ("year" = i32, Path)),
    responses((status = 200, body = SheetView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_sheet(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((c, y)): ApiPath<(String, i32)>,
) -> Result<Json<SheetView>, ApiError> {
    let year = super::checked_year(Some(y), s.ctx.today())?;
    Ok(Json(ratings::sheet(&s.ctx, &a, &c, year).await?))
}

#[utoipa::path(post, path = "/api/v1/force/rating-sheets/{commune}/{year}", tag = "force", params(("commune" = String, Path), ("year" = i32, Path)),
    responses((status = 201, body = SheetView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn open_sheet(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((c, y)): ApiPath<(String, i32)>,
) -> Result<(StatusCode, Json<SheetView>), ApiError> {
    let year = super::checked_year(Some(y), s.ctx.today())?;
    Ok((StatusCode::CREATED, Json(ratings::open(&s.ctx, &a, &c, year).await?)))
}

#[utoipa::path(post, path = "/api/v1/force/rating-sheets/{commune}/{year}/ratings", tag = "force", params(("commune" = String, Path), ("year" = i32, Path)),
    request_body = ForceRatingInput, responses((status = 200, body = SheetView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rate(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((c, y)): ApiPath<(String, i32)>,
    ApiJson(b): ApiJson<ForceRatingInput>,
) -> Result<Json<SheetView>, ApiError> {
    let year = super::checked_year(Some(y), s.ctx.today())?;
    Ok(Json(ratings::rate(&s.ctx, &a, &c, year, &b).await?))
}

/// A sheet action.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct SheetActionInput {
    /// `submit` (commune), `return`, `approve`, `unlock` (province; return and unlock need a comment).
    pub action: String,
    /// Comment.
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/force/rating-sheets/{commune}/{year}/actions", tag = "force", params(("commune" = String, Path), ("year" = i32, Path)),
    request_body = SheetActionInput, responses((status = 200, body = SheetView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn sheet_action(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((c, y)): ApiPath<(String, i32)>,
    ApiJson(b): ApiJson<SheetActionInput>,
) -> Result<Json<SheetView>, ApiError> {
    let year = super::checked_year(Some(y), s.ctx.today())?;
    let action = parse_sheet_action(&b.action)?;
    Ok(Json(ratings::act(&s.ctx, &a, &c, year, action, b.comment.as_deref()).await?))
}

/// Parses a sheet action code.
pub fn parse_sheet_action(s: &str) -> Result<SheetAction, AppError> {
    match s.trim() {
        "submit" => Ok(SheetAction::Submit),
        "return" => Ok(SheetAction::Return),
        "approve" => Ok(SheetAction::Approve),
        "unlock" => Ok(SheetAction::Unlock),
        other => Err(AppError::Invalid(FieldErrors::single(
            "action",
            format!("«{other}» không hợp lệ. Chọn submit, return, approve hoặc unlock."),
        ))),
    }
}

list_type!(CourseList, Course);

#[utoipa::path(get, path = "/api/v1/force/courses", tag = "force", params(Paging), responses((status = 200, body = CourseList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_courses(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<CourseList>, ApiError> {
    Ok(Json(antq_domain::page::Page::slice(courses::list(&s.ctx, &a).await?, paging.request()).into()))
}

/// A new course: of a commune, or of the caller's province when `commune_code` is empty.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NewCourse {
    /// Commune code (empty: a course of the province).
    pub commune_code: Option<String>,
    /// Fields.
    #[serde(flatten)]
    pub fields: CourseInput,
}

#[utoipa::path(post, path = "/api/v1/force/courses", tag = "force", request_body = NewCourse,
    responses((status = 201, body = Course), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_course(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NewCourse>,
) -> Result<(StatusCode, Json<Course>), ApiError> {
    Ok((StatusCode::CREATED, Json(courses::create(&s.ctx, &a, b.commune_code.as_deref(), &b.fields).await?)))
}

/// A course with its trainees.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CourseDetail {
    /// The course.
    #[serde(flatten)]
    pub course: Course,
    /// Trainees the caller may see.
    pub trainees: Vec<Trainee>,
}

#[utoipa::path(get, path = "/api/v1/force/courses/{id}", tag = "force", params(("id" = i64, Path)),
    responses((status = 200, body = CourseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_course(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CourseDetail>, ApiError> {
    let course = courses::get(&s.ctx, &a, CourseId(id)).await?;
    let trainees = courses::trainees(&s.ctx, &a, CourseId(id)).await?;
    Ok(Json(CourseDetail { course, trainees }))
}

/// A trainee to add.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct NewTrainee {
    /// Member id.
    pub member_id: i64,
}

/// Trainees of a course.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TraineeList {
    /// Trainees the caller may see.
    pub items: Vec<Trainee>,
}

#[utoipa::path(post, path = "/api/v1/force/courses/{id}/trainees", tag = "force", params(("id" = i64, Path)), request_body = NewTrainee,
    responses((status = 200, body = TraineeList), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_trainee(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NewTrainee>,
) -> Result<Json<TraineeList>, ApiError> {
    Ok(Json(TraineeList { items: courses::add_trainee(&s.ctx, &a, CourseId(id), MemberId(b.member_id)).await? }))
}

#[utoipa::path(post, path = "/api/v1/force/courses/{id}/trainees/{trainee_id}", tag = "force", params(("id" = i64, Path), ("trainee_id" = i64, Path)),
    request_body = ResultInput, responses((status = 200, body = TraineeList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_result(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, trainee)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<ResultInput>,
) -> Result<Json<TraineeList>, ApiError> {
    Ok(Json(TraineeList { items: courses::set_result(&s.ctx, &a, CourseId(id), trainee, &b).await? }))
}

/// A commune's month.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct AllowanceParams {
    /// Commune code (a commune officer's own by default).
    pub commune: Option<String>,
    /// `YYYY-MM` (this month by default).
    pub month: Option<String>,
}

fn allowance_args(
    s: &AppState,
    a: &antq_app::Actor,
    p: &AllowanceParams,
) -> Result<(String, chrono::NaiveDate), AppError> {
    let commune = p
        .commune
        .clone()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| a.scope.commune().map(Into::into))
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("commune", "Chọn xã.")))?;
    let month = match p.month.as_deref().filter(|m| !m.trim().is_empty()) {
        None => s.ctx.today(),
        Some(m) => {
            parse_month(m).ok_or_else(|| AppError::Invalid(FieldErrors::single("month", "Tháng phải viết YYYY-MM.")))?
        }
    };
    Ok((commune, month))
}

#[utoipa::path(get, path = "/api/v1/force/allowances", tag = "force", params(AllowanceParams),
    responses((status = 200, body = AllowanceSheet), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_allowance(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<AllowanceParams>,
) -> Result<Json<AllowanceSheet>, ApiError> {
    let (commune, month) = allowance_args(&s, &a, &p)?;
    Ok(Json(allowance::sheet(&s.ctx, &a, &commune, month).await?))
}

#[utoipa::path(get, path = "/api/v1/force/allowances/export", tag = "force", params(AllowanceParams),
    responses((status = 200, description = "Tệp XLSX", content_type = "application/octet-stream"), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn allowance_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<AllowanceParams>,
) -> Result<Response, ApiError> {
    let (commune, month) = allowance_args(&s, &a, &p)?;
    Ok(xlsx(allowance::export(&s.ctx, &a, &commune, month).await?, &format!("ho-tro-{}", month.format("%Y-%m"))))
}

/// Where the Kỷ niệm chương report looks.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct MedalParams {
    /// Commune code (the whole scope by default).
    pub commune: Option<String>,
}

list_type!(MedalList, MedalLine);

/// Active members with their standing for the Kỷ niệm chương, eligible first.
#[utoipa::path(get, path = "/api/v1/force/medals", tag = "force", params(MedalParams, Paging), responses((status = 200, body = MedalList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_medals(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<MedalParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<MedalList>, ApiError> {
    let lines = medal::report(&s.ctx, &a, p.commune.as_deref()).await?;
    Ok(Json(antq_domain::page::Page::slice(lines, paging.request()).into()))
}

#[utoipa::path(get, path = "/api/v1/force/medals/export", tag = "force", params(MedalParams),
    responses((status = 200, description = "Tệp XLSX", content_type = "application/octet-stream"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn medals_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<MedalParams>,
) -> Result<Response, ApiError> {
    Ok(xlsx(medal::export(&s.ctx, &a, p.commune.as_deref()).await?, "ky-niem-chuong"))
}
