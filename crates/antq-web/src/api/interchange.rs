//! `/api/v1/{areas|establishments|models}/{import,export,template}`.

use antq_app::interchange::{ImportReport, Registry};
use antq_app::{AppError, interchange};
use antq_domain::FieldErrors;
use antq_interchange::Format;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::{ApiQuery, ErrorBody};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes, WRITE};
use axum::http::Method;

/// Routes for the three registries (explicit paths, so they win over `/{id}`).
pub fn routes() -> Routes {
    let mut r = Routes::new(true);
    for reg in
        ["areas", "establishments", "models", "teams", "members", "activities", "commendations", "cameras", "targets"]
    {
        r = r
            .route(
                &format!("/{reg}/import"),
                post(import).layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
                &[(Method::POST, WRITE)],
            )
            .route(&format!("/{reg}/export"), get(export), &[(Method::GET, READ)])
            .route(&format!("/{reg}/template"), get(template), &[(Method::GET, READ)]);
    }
    r
}

fn registry_of(uri: &axum::http::Uri) -> Result<Registry, ApiError> {
    uri.path().split('/').rev().nth(1).and_then(Registry::parse).ok_or(ApiError(AppError::NotFound("danh mục")))
}

/// Import options.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ImportParams {
    /// `true` (default) only checks the file; `false` writes every row or none.
    pub dry_run: Option<bool>,
    /// `csv` or `xlsx`; detected from the content when absent.
    pub format: Option<String>,
}

/// The report of an import or dry run.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ImportReportBody {
    /// Data rows read.
    pub rows: usize,
    /// Rows without errors.
    pub valid: usize,
    /// Every problem: `row` (spreadsheet row, header = 1), `column` (header), `message`.
    pub errors: Vec<serde_json::Value>,
    /// Rows were written.
    pub committed: bool,
    /// Rows written.
    pub created: usize,
    /// Only a dry run.
    pub dry_run: bool,
}

fn parse_format(s: Option<&str>) -> Result<Option<Format>, ApiError> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(f) => Format::from_name(f)
            .map(Some)
            .ok_or_else(|| ApiError(AppError::Invalid(FieldErrors::single("format", "format phải là csv hoặc xlsx.")))),
    }
}

/// The `format` parameter of a download, XLSX when absent; 422 when unknown.
pub(crate) fn format_or_xlsx(s: Option<&str>) -> Result<Format, AppError> {
    parse_format(s).map(|f| f.unwrap_or(Format::Xlsx)).map_err(|e| e.0)
}

/// Imports a CSV or XLSX file sent as the request body. Answers 200 with the report; when any
/// row is bad nothing is written and `committed` is false.
#[utoipa::path(post, path = "/api/v1/{registry}/import", tag = "import/export",
    params(("registry" = String, Path, description = "areas | establishments | models | teams | members | activities | commendations"), ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Tệp CSV hoặc XLSX"),
    responses((status = 200, body = ImportReportBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "Không đọc được tệp")))]
pub async fn import(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let registry = registry_of(&uri)?;
    let format = parse_format(p.format.as_deref())?;
    Ok(Json(interchange::import(&s.ctx, &a, registry, &body, format, p.dry_run.unwrap_or(true)).await?))
}

/// Export filters (the list filters of each registry) and the format.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ExportParams {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Text in the name.
    pub q: Option<String>,
    /// Kind code (areas, establishments).
    pub kind: Option<String>,
    /// Include retired rows (areas, establishments).
    #[serde(default)]
    pub include_retired: bool,
    /// Model type id (models).
    pub type_id: Option<i64>,
    /// State code (models, teams, members).
    pub state: Option<String>,
    /// Level code (models).
    pub level: Option<String>,
    /// Former district code (models recorded before 1 July 2025).
    pub former_district: Option<String>,
    /// Former commune code (models recorded before 1 July 2025).
    pub former_commune: Option<String>,
    /// Team id (members).
    pub team: Option<i64>,
    /// Role code (members).
    pub role: Option<String>,
    /// Include dissolved teams, former members.
    #[serde(default)]
    pub include_former: bool,
    /// Activity kind id (activities).
    pub kind_id: Option<i64>,
    /// From this day (activities).
    pub from: Option<String>,
    /// Until this day (activities).
    pub to: Option<String>,
    /// Form code (commendations).
    pub form: Option<String>,
    /// Movement year (commendations).
    pub year: Option<i32>,
}

/// Builds the file of a filtered export (shared with the UI's download links).
pub async fn export_file(
    s: &AppState,
    a: &antq_app::Actor,
    registry: Registry,
    p: ExportParams,
) -> Result<Response, AppError> {
    let format = format_or_xlsx(p.format.as_deref())?;
    let filter = interchange::ExportFilter {
        province: p.province,
        commune: p.commune,
        q: p.q,
        kind: p.kind,
        include_retired: p.include_retired,
        type_id: p.type_id,
        state: p.state,
        level: p.level,
        former_district: p.former_district,
        former_commune: p.former_commune,
        team: p.team,
        role: p.role,
        include_former: p.include_former,
        kind_id: p.kind_id,
        from: p.from,
        to: p.to,
        form: p.form,
        year: p.year,
    };
    let bytes = interchange::export(&s.ctx, a, registry, &filter, format).await?;
    Ok(download(bytes, format, registry.slug()))
}

/// A file download response.
pub fn download(bytes: Vec<u8>, format: Format, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"antq-{name}.{}\"", format.extension());
    ([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/{registry}/export", tag = "import/export",
    params(("registry" = String, Path, description = "areas | establishments | models | teams | members | activities | commendations"), ExportParams),
    responses((status = 200, description = "Tệp XLSX hoặc CSV", content_type = "application/octet-stream"), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let registry = registry_of(&uri)?;
    Ok(export_file(&s, &a, registry, p).await?)
}

/// Template format.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct TemplateParams {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/{registry}/template", tag = "import/export",
    params(("registry" = String, Path, description = "areas | establishments | models | teams | members | activities | commendations"), TemplateParams),
    responses((status = 200, description = "Tệp mẫu", content_type = "application/octet-stream")))]
pub async fn template(
    ApiActor(_a): ApiActor,
    uri: axum::http::Uri,
    ApiQuery(p): ApiQuery<TemplateParams>,
) -> Result<Response, ApiError> {
    let registry = registry_of(&uri)?;
    let format = parse_format(p.format.as_deref())?.unwrap_or(Format::Xlsx);
    Ok(download(interchange::template(registry, format), format, &format!("{}-mau", registry.slug())))
}
