//! `/api/v1/reports/movement` (the report of a unit and period, live) and
//! `/api/v1/official-reports` (drafts, issuing, the frozen files) — C13.

use antq_app::official::{self, DraftInput, FileFormat, MovementQuery, OfficialQuery};
use antq_domain::FieldErrors;
use antq_domain::official::{Document, OfficialReport};
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::activities::FormatParam;
use super::interchange::{download, format_or_xlsx};
use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes, WRITE};

list_type!(OfficialList, OfficialReport);

/// Routes of the official reports.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/reports/movement", get(movement), &[(Method::GET, READ)])
        .route("/official-reports", get(list).post(create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/official-reports/export", get(export), &[(Method::GET, READ)])
        .route(
            "/official-reports/{id}",
            get(get_one).patch(patch_one).delete(delete_one),
            &[(Method::GET, READ), (Method::PATCH, WRITE), (Method::DELETE, WRITE)],
        )
        .route("/official-reports/{id}/issue", post(issue), &[(Method::POST, WRITE)])
        .route("/official-reports/{id}/document", get(document), &[(Method::GET, READ)])
        .route("/official-reports/{id}/file", get(file), &[(Method::GET, READ)])
}

/// The format of a report: `json` (default for the document), `pdf` or `xlsx`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ReportFormat {
    /// `json`, `pdf` or `xlsx`.
    pub format: Option<String>,
}

fn file_format(f: Option<&str>, json_ok: bool) -> Result<Option<FileFormat>, ApiError> {
    match f.map(str::trim).filter(|f| !f.is_empty()) {
        None | Some("json") if json_ok => Ok(None),
        Some(f) => match FileFormat::parse(f) {
            Some(ff) => Ok(Some(ff)),
            None => Err(antq_app::AppError::Invalid(FieldErrors::single(
                "format",
                format!(
                    "Định dạng «{f}» không hợp lệ: chọn {}.",
                    if json_ok { "json, pdf hoặc xlsx" } else { "pdf hoặc xlsx" }
                ),
            ))
            .into()),
        },
        None => Ok(Some(FileFormat::Pdf)),
    }
}

fn attachment(bytes: Vec<u8>, f: FileFormat, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, f.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// The six-month or yearly movement report of a commune, a province or the country (`unit`
/// empty: the caller's own), every module beside the same period a year earlier, read live:
/// JSON, or the PDF per Nghị định 30/2020 and the XLSX of its tables.
#[utoipa::path(get, path = "/api/v1/reports/movement", tag = "official reports", params(MovementQuery, ReportFormat),
    responses((status = 200, body = Document, description = "JSON, or the PDF / XLSX file"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn movement(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<MovementQuery>,
    ApiQuery(f): ApiQuery<ReportFormat>,
) -> Result<Response, ApiError> {
    let format = file_format(f.format.as_deref(), true)?;
    let doc = official::movement(&s.ctx, &a, &q).await?;
    Ok(match format {
        None => Json(doc).into_response(),
        Some(ff) => {
            let name = official::file_name(&doc, ff);
            attachment(official::render(doc, ff).await?, ff, &name)
        }
    })
}

/// Stored reports in scope: drafts and issued ones.
#[utoipa::path(get, path = "/api/v1/official-reports", tag = "official reports", params(OfficialQuery, Paging),
    responses((status = 200, body = OfficialList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<OfficialQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<OfficialList>, ApiError> {
    Ok(Json(official::list(&s.ctx, &a, &q, paging.request()).await?.into()))
}

/// Every stored report in scope, as XLSX or CSV.
#[utoipa::path(get, path = "/api/v1/official-reports/export", tag = "official reports", params(OfficialQuery, FormatParam),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream"), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<OfficialQuery>,
    ApiQuery(f): ApiQuery<FormatParam>,
) -> Result<Response, ApiError> {
    let format = format_or_xlsx(f.format.as_deref())?;
    let rows = official::list_all(&s.ctx, &a, &q).await?;
    Ok(download(official::list_file(&rows, format), format, "bao-cao-phong-trao"))
}

/// Creates a draft of a unit (`unit`, the caller's own when empty) and period, with any part
/// set (the rest defaulted from the unit).
#[utoipa::path(post, path = "/api/v1/official-reports", tag = "official reports", request_body = DraftInput,
    responses((status = 201, body = OfficialReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<DraftInput>,
) -> Result<(StatusCode, Json<OfficialReport>), ApiError> {
    Ok((StatusCode::CREATED, Json(official::create(&s.ctx, &a, &b).await?)))
}

#[utoipa::path(get, path = "/api/v1/official-reports/{id}", tag = "official reports", params(("id" = i64, Path)),
    responses((status = 200, body = OfficialReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OfficialReport>, ApiError> {
    Ok(Json(official::get(&s.ctx, &a, id).await?))
}

/// Sets a draft's period or parts (fields left out stay); an issued report answers 409.
#[utoipa::path(patch, path = "/api/v1/official-reports/{id}", tag = "official reports", params(("id" = i64, Path)), request_body = DraftInput,
    responses((status = 200, body = OfficialReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DraftInput>,
) -> Result<Json<OfficialReport>, ApiError> {
    Ok(Json(official::update(&s.ctx, &a, id, &b).await?))
}

/// Deletes a draft; an issued report answers 409.
#[utoipa::path(delete, path = "/api/v1/official-reports/{id}", tag = "official reports", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_one(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    official::delete(&s.ctx, &a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issues a draft: its numbers, PDF and XLSX are frozen with their SHA-256 (audited).
#[utoipa::path(post, path = "/api/v1/official-reports/{id}/issue", tag = "official reports", params(("id" = i64, Path)),
    responses((status = 200, body = OfficialReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OfficialReport>, ApiError> {
    Ok(Json(official::issue(&s.ctx, &a, id).await?))
}

/// The document: as frozen when issued, read live for a draft.
#[utoipa::path(get, path = "/api/v1/official-reports/{id}/document", tag = "official reports", params(("id" = i64, Path)),
    responses((status = 200, body = Document), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn document(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Document>, ApiError> {
    Ok(Json(official::document(&s.ctx, &a, id).await?))
}

/// The PDF (default) or XLSX: the issued bytes unchanged, or a draft rendered now.
#[utoipa::path(get, path = "/api/v1/official-reports/{id}/file", tag = "official reports", params(("id" = i64, Path), ReportFormat),
    responses((status = 200, description = "PDF hoặc XLSX", content_type = "application/octet-stream"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn file(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(f): ApiQuery<ReportFormat>,
) -> Result<Response, ApiError> {
    let ff = file_format(f.format.as_deref(), false)?.unwrap_or(FileFormat::Pdf);
    let (bytes, name) = official::file(&s.ctx, &a, id, ff).await?;
    Ok(attachment(bytes, ff, &name))
}
