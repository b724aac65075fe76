//! The import page (upload, dry run, commit) and the download links of exports and templates.

use antq_app::AppError;
use antq_app::interchange::{self, ImportReport, Registry};
use antq_interchange::Format;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::{Chrome, InLang, PageResult, render, render_status};
use crate::AppState;
use crate::api::interchange::{ExportParams, download, export_file};
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, WRITE};
use axum::http::Method;

/// Routes of the import page and the downloads.
pub fn routes() -> Routes {
    let mut r = Routes::new(false).route(
        "/import",
        get(page).post(upload).layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
        &[(Method::GET, WRITE), (Method::POST, WRITE)],
    );
    for reg in
        ["areas", "establishments", "models", "teams", "members", "activities", "commendations", "cameras", "targets"]
    {
        r = r.route(&format!("/{reg}/export"), get(export), &[(Method::GET, READ)]).route(
            &format!("/{reg}/template"),
            get(template),
            &[(Method::GET, READ)],
        );
    }
    r
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    registries: Vec<(&'static str, &'static str)>,
    selected: String,
    report: Option<ImportReport>,
    error: Option<String>,
}

fn registries(tr: Tr) -> Vec<(&'static str, &'static str)> {
    vec![
        ("areas", tr.t("nav.areas")),
        ("establishments", tr.t("nav.establishments")),
        ("models", tr.t("nav.models")),
        ("teams", tr.t("force.teams")),
        ("members", tr.t("force.members")),
        ("activities", tr.t("activities.title")),
        ("commendations", tr.t("commendations.title")),
        ("cameras", tr.t("cameras.title")),
        ("targets", tr.t("targets.section")),
    ]
}

#[derive(serde::Deserialize)]
pub struct PageParams {
    registry: Option<String>,
}

async fn page(tr: Tr, p: PageActor, Query(q): Query<PageParams>) -> Response {
    let selected = q.registry.unwrap_or_else(|| "models".into());
    render(&ImportPage {
        c: Chrome::new(tr, &p, "import", tr.t("import.title")),
        registries: registries(tr),
        selected,
        report: None,
        error: None,
    })
}

async fn upload(State(s): State<AppState>, tr: Tr, p: PageActor, mut form: Multipart) -> PageResult {
    let (mut registry, mut dry_run, mut file, mut name) = (None, true, None, String::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name().unwrap_or("") {
                "registry" => registry = field.text().await.ok().as_deref().and_then(Registry::parse),
                "mode" => dry_run = field.text().await.ok().as_deref() != Some("commit"),
                "file" => {
                    name = field.file_name().unwrap_or("").to_lowercase();
                    file = field.bytes().await.ok();
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) => {
                return Err(AppError::Invalid(antq_domain::FieldErrors::single(
                    "file",
                    format!("Không đọc được tệp tải lên: {e}"),
                )))
                .lang(tr);
            }
        }
    }
    let registry = registry.unwrap_or(Registry::Models);
    let mut page = ImportPage {
        c: Chrome::new(tr, &p, "import", tr.t("import.title")),
        registries: registries(tr),
        selected: registry.slug().into(),
        report: None,
        error: None,
    };
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        page.error = Some(tr.t("import.no_file").into());
        return Ok(render_status(&page, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let format = name.rsplit('.').next().and_then(Format::from_name);
    match interchange::import(&s.ctx, &p.actor, registry, &bytes, format, dry_run).await {
        Ok(report) => {
            let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            page.report = Some(report);
            Ok(render_status(&page, status))
        }
        Err(AppError::Invalid(e)) => {
            page.error = Some(e.summary());
            Ok(render_status(&page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e).lang(tr),
    }
}

fn registry_of(uri: &axum::http::Uri) -> Registry {
    uri.path().split('/').nth(1).and_then(Registry::parse).unwrap_or(Registry::Models)
}

async fn export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    uri: axum::http::Uri,
    Query(q): Query<ExportParams>,
) -> PageResult {
    export_file(&s, &p.actor, registry_of(&uri), q).await.lang(tr)
}

#[derive(serde::Deserialize)]
pub struct TemplateParams {
    format: Option<String>,
}

async fn template(_p: PageActor, uri: axum::http::Uri, Query(q): Query<TemplateParams>) -> Response {
    let registry = registry_of(&uri);
    let format = q.format.as_deref().and_then(Format::from_name).unwrap_or(Format::Xlsx);
    download(interchange::template(registry, format), format, &format!("{}-mau", registry.slug()))
}
