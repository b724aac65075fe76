//! `/api/v1/reports` (officers: intake, queue, handling, dialogue, identity) and
//! `/api/v1/stats/reports` (counts, for every role that may read them).

use antq_app::reports::receipt::Receipt;
use antq_app::reports::stats::StatsQuery;
use antq_app::reports::{self, QueueQuery, UnitLoad, handling, intake};
use antq_domain::report::input::MessageInput;
use antq_domain::report::stats::ReportStats;
use antq_domain::report::{
    ClockRules, Countdown, Identity, IdentityRequest, IntakeInput, Report, ReportAction, ReportAttachment, ReportEdit,
    ReportEvent, ReportListItem, ReportMessage, StepInput,
};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::extract::JsonOrMultipart;
use super::interchange::{download, format_or_xlsx};
use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type, merge_patch};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{Guard, Routes};
use antq_domain::access::Permission;

/// Read report content.
pub const CONTENT: Guard = Guard::Can(Permission::ReadReportContent);
/// Receive and handle reports.
pub const HANDLE: Guard = Guard::Can(Permission::WriteReports);
/// Read a reporter's identity.
pub const IDENTITY: Guard = Guard::Can(Permission::ReadReporterIdentity);
/// Read report counts.
pub const COUNTS: Guard = Guard::Can(Permission::ReadReportCounts);

/// Largest body of a request carrying report files.
pub const FILES_LIMIT: usize = intake::MAX_FILES * intake::MAX_FILE_BYTES + 1024 * 1024;

/// Routes of the officers' report API.
pub fn routes() -> Routes {
    Routes::new(true)
        .route(
            "/reports",
            get(list).post(create).layer(DefaultBodyLimit::max(FILES_LIMIT)),
            &[(Method::GET, CONTENT), (Method::POST, HANDLE)],
        )
        .route("/reports/overdue", get(overdue), &[(Method::GET, CONTENT)])
        .route("/reports/{id}", get(get_one).patch(patch), &[(Method::GET, CONTENT), (Method::PATCH, HANDLE)])
        .route("/reports/{id}/transitions", post(transition), &[(Method::POST, HANDLE)])
        .route("/reports/{id}/messages", post(message), &[(Method::POST, HANDLE)])
        .route("/reports/{id}/identity", post(identity), &[(Method::POST, IDENTITY)])
        .route(
            "/reports/{id}/attachments",
            post(add_files).layer(DefaultBodyLimit::max(FILES_LIMIT)),
            &[(Method::POST, HANDLE)],
        )
        .route("/reports/{id}/attachments/{attachment_id}", get(attachment), &[(Method::GET, CONTENT)])
        .route("/stats/reports", get(stats), &[(Method::GET, COUNTS)])
        .route("/stats/reports/export", get(stats_export), &[(Method::GET, COUNTS)])
}

list_type!(ReportList, ReportListItem);
list_type!(UnitLoadList, UnitLoad);

/// Filters of a queue.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct QueueParams {
    /// `mine` (default: the caller's unit; for a province officer the province's own queue),
    /// `all` (every unit in scope), or a unit code.
    pub unit: Option<String>,
    /// Include closed reports (newest first).
    #[serde(default)]
    pub all_states: bool,
    /// Only reports past their running deadline.
    #[serde(default)]
    pub overdue: bool,
    /// State code.
    pub state: Option<String>,
    /// Type code.
    pub kind: Option<String>,
    /// Channel code.
    pub channel: Option<String>,
    /// A receipt code, or words of the description.
    pub q: Option<String>,
    /// Page number.
    pub page: Option<u32>,
    /// Rows per page.
    pub per_page: Option<u32>,
}

/// A unit's queue: open reports by deadline, nearest first.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", params(QueueParams),
    responses((status = 200, body = ReportList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<QueueParams>,
) -> Result<Json<ReportList>, ApiError> {
    let q = QueueQuery {
        unit: p.unit,
        all_states: p.all_states,
        overdue: p.overdue,
        state: p.state,
        kind: p.kind,
        channel: p.channel,
        q: p.q,
    };
    let paging = Paging { page: p.page, per_page: p.per_page };
    Ok(Json(reports::queue(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// A recorded report, with the reporter's receipt when one was asked for (shown once).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct IntakeBody {
    /// The report.
    pub report: Report,
    /// Code and secret for the reporter.
    pub receipt: Option<Receipt>,
}

/// Records a report received through any channel (JSON, or multipart with the JSON in the part
/// `report` and files in parts `files`). It lands in the caller's unit with its clock running.
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", request_body = IntakeInput,
    responses((status = 201, body = IntakeBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    body: JsonOrMultipart<IntakeInput>,
) -> Result<(StatusCode, Json<IntakeBody>), ApiError> {
    let (report, receipt) = intake::record(&s.ctx, &a, &body.value, body.files).await?;
    Ok((StatusCode::CREATED, Json(IntakeBody { report, receipt })))
}

/// Open and overdue reports per unit in scope (communes of the province, or provinces).
#[utoipa::path(get, path = "/api/v1/reports/overdue", tag = "reports", params(Paging),
    responses((status = 200, body = UnitLoadList), (status = 403, body = ErrorBody)))]
pub async fn overdue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<UnitLoadList>, ApiError> {
    Ok(Json(antq_domain::page::Page::slice(reports::load_by_unit(&s.ctx, &a).await?, paging.request()).into()))
}

/// A report with its trail, dialogue, attachments and clocks.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReportDetailBody {
    /// The report.
    pub report: Report,
    /// Time left on the running deadline.
    pub countdown: Option<Countdown>,
    /// The trail, oldest first.
    pub events: Vec<ReportEvent>,
    /// The dialogue with the citizen.
    pub messages: Vec<ReportMessage>,
    /// Attachments.
    pub attachments: Vec<ReportAttachment>,
    /// A sealed identity exists (`POST …/identity` with a reason reads it).
    pub has_identity: bool,
    /// Steps allowed now.
    pub allowed: Vec<ReportAction>,
    /// The clocks in force.
    pub rules: ClockRules,
    /// Latest day of an extension and of the procuracy's extension.
    pub caps: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports", params(("id" = i64, Path)),
    responses((status = 200, body = ReportDetailBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReportDetailBody>, ApiError> {
    let d = reports::detail(&s.ctx, &a, id).await?;
    Ok(Json(ReportDetailBody {
        countdown: d.report.countdown(s.ctx.now()),
        report: d.report,
        events: d.events,
        messages: d.messages,
        attachments: d.attachments,
        has_identity: d.has_identity,
        allowed: d.allowed,
        rules: d.rules,
        caps: d.caps,
    }))
}

/// Corrects content and flags (`valuable`: "tin có giá trị"); merge patch. The unit changes
/// only by a transfer, the state only by transitions.
#[utoipa::path(patch, path = "/api/v1/reports/{id}", tag = "reports", params(("id" = i64, Path)), request_body = ReportEdit,
    responses((status = 200, body = Report), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> Result<Json<Report>, ApiError> {
    let current = reports::get_for_handling(&s.ctx, &a, id).await?;
    let input: ReportEdit = merge_patch(&handling::edit_of(&current), &patch)?;
    Ok(Json(handling::update(&s.ctx, &a, id, &input).await?))
}

/// Takes a step: verify, accept, transfer (`to_unit`), extend / extend_procuracy (`until`,
/// `authority`, `reason`), suspend (`ground`, `decision_no`), resume, prosecute, decline,
/// refer (`authority`), not_crime (`reason`), notify_reporter.
#[utoipa::path(post, path = "/api/v1/reports/{id}/transitions", tag = "reports", params(("id" = i64, Path)), request_body = StepInput,
    responses((status = 200, body = Report), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody, description = "Bước không được phép hoặc sai thời hạn")))]
pub async fn transition(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<StepInput>,
) -> Result<Json<Report>, ApiError> {
    Ok(Json(handling::transition(&s.ctx, &a, id, &b).await?))
}

/// Writes to the citizen (reports with a receipt); they read it on the receipt page.
#[utoipa::path(post, path = "/api/v1/reports/{id}/messages", tag = "reports", params(("id" = i64, Path)), request_body = MessageInput,
    responses((status = 201, body = ReportMessage), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn message(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MessageInput>,
) -> Result<(StatusCode, Json<ReportMessage>), ApiError> {
    Ok((StatusCode::CREATED, Json(handling::send_message(&s.ctx, &a, id, &b).await?)))
}

/// The reporter's identity, after a stated reason (≥ 10 characters); the read is audited.
#[utoipa::path(post, path = "/api/v1/reports/{id}/identity", tag = "reports", params(("id" = i64, Path)), request_body = IdentityRequest,
    responses((status = 200, body = Identity), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "Tin ẩn danh"), (status = 422, body = ErrorBody)))]
pub async fn identity(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<IdentityRequest>,
) -> Result<Json<Identity>, ApiError> {
    Ok(Json(handling::reveal_identity(&s.ctx, &a, id, &b).await?))
}

/// Adds files (multipart, parts `files`): images and PDF, metadata removed.
#[utoipa::path(post, path = "/api/v1/reports/{id}/attachments", tag = "reports", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "Tệp trong các phần `files`"),
    responses((status = 201, body = Vec<ReportAttachment>), (status = 422, body = ErrorBody)))]
pub async fn add_files(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<Vec<ReportAttachment>>), ApiError> {
    let form = form.map_err(|e| {
        antq_app::AppError::Invalid(antq_domain::FieldErrors::single(
            "files",
            format!("Cần gửi tệp dạng multipart: {}", e.body_text()),
        ))
    })?;
    let (_, files) = crate::documents::read_multipart(form).await?;
    Ok((StatusCode::CREATED, Json(handling::add_files(&s.ctx, &a, id, files).await?)))
}

#[utoipa::path(get, path = "/api/v1/reports/{id}/attachments/{attachment_id}", tag = "reports",
    params(("id" = i64, Path), ("attachment_id" = i64, Path)),
    responses((status = 200, description = "Tệp", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn attachment(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, attachment_id)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (meta, bytes) = reports::attachment(&s.ctx, &a, id, attachment_id).await?;
    Ok(crate::documents::download(&meta.file_name, &meta.content_type, bytes))
}

/// Period and grouping of the statistics.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct StatsParams {
    /// First day of receipt (YYYY-MM-DD; default 1 January).
    pub from: Option<String>,
    /// Last day (default today).
    pub to: Option<String>,
    /// place (default), kind, channel, category, month.
    pub by: Option<String>,
    /// Province code (national scope).
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Export format: xlsx (default) or csv.
    pub format: Option<String>,
}

impl StatsParams {
    /// The use-case query.
    pub fn query(&self) -> StatsQuery {
        StatsQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            by: self.by.clone(),
            province: self.province.clone(),
            commune: self.commune.clone(),
        }
    }
}

/// Received by type, channel, category, place or month; on time and overdue; outcomes;
/// valuable tips; anonymous share; average hours to transfer and days to resolve.
#[utoipa::path(get, path = "/api/v1/stats/reports", tag = "reports", params(StatsParams),
    responses((status = 200, body = ReportStats), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<StatsParams>,
) -> Result<Json<ReportStats>, ApiError> {
    Ok(Json(reports::stats::stats(&s.ctx, &a, &p.query()).await?))
}

/// The statistics as XLSX (default) or CSV.
#[utoipa::path(get, path = "/api/v1/stats/reports/export", tag = "reports", params(StatsParams),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream"), (status = 422, body = ErrorBody)))]
pub async fn stats_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<StatsParams>,
) -> Result<Response, ApiError> {
    Ok(stats_file(&s, &a, &p).await?)
}

/// The statistics file (shared with the page's export link).
pub async fn stats_file(s: &AppState, a: &antq_app::Actor, p: &StatsParams) -> Result<Response, antq_app::AppError> {
    let format = format_or_xlsx(p.format.as_deref())?;
    let bytes = reports::stats::export(&s.ctx, a, &p.query(), format).await?;
    Ok(download(bytes, format, "to-giac-tin-bao"))
}
