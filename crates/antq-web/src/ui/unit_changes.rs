//! The pages of a change of the administrative map (issue 16): upload with a dry run, the list
//! of loaded tables, one table with what it does, apply and cancel. National administrators.

use antq_app::AppError;
use antq_app::unit_changes::{self, ChangeView, Checked, Upload};
use antq_domain::page::PageRequest;
use antq_domain::unit_change::{ChangeHeader, ChangeStep, UnitChange};
use antq_interchange::Format;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::{Chrome, InLang, PageResult, Pager, render, render_status, see_other};
use crate::AppState;
use crate::api::interchange::download;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{Routes, USERS};

/// Routes of the pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .route(
            "/admin/unit-changes",
            get(list).post(upload).layer(DefaultBodyLimit::max(16 * 1024 * 1024)),
            &[(Method::GET, USERS), (Method::POST, USERS)],
        )
        .route("/admin/unit-changes/template", get(template), &[(Method::GET, USERS)])
        .route("/admin/unit-changes/{id}", get(show), &[(Method::GET, USERS)])
        .route("/admin/unit-changes/{id}/apply", post(apply), &[(Method::POST, USERS)])
        .route("/admin/unit-changes/{id}/cancel", post(cancel), &[(Method::POST, USERS)])
}

/// What the upload form holds.
#[derive(Default)]
struct ChangeForm {
    generation: String,
    name: String,
    legal_basis: String,
    effective_on: String,
}

#[derive(Template)]
#[template(path = "unit_changes.html")]
struct ListPage {
    c: Chrome,
    form: ChangeForm,
    check: Option<Checked>,
    error: Option<String>,
    changes: Vec<UnitChange>,
    pager: Pager,
}

#[derive(serde::Deserialize)]
pub struct PageParams {
    page: Option<u32>,
    done: Option<String>,
}

async fn list_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    page: Option<u32>,
    form: ChangeForm,
) -> Result<ListPage, AppError> {
    let changes = unit_changes::list(&s.ctx, &p.actor, PageRequest::new(page, None)).await?;
    Ok(ListPage {
        c: Chrome::new(tr, p, "units", tr.t("changes.title")),
        form,
        check: None,
        error: None,
        pager: Pager::new(&changes, "").plain(),
        changes: changes.items,
    })
}

/// `GET /admin/unit-changes`.
async fn list(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<PageParams>) -> PageResult {
    Ok(render(&list_page(&s, tr, &p, q.page, ChangeForm::default()).await.lang(tr)?))
}

/// `POST /admin/unit-changes` (multipart): `mode=check` counts, `mode=save` saves and shows it.
async fn upload(State(s): State<AppState>, tr: Tr, p: PageActor, mut form: Multipart) -> PageResult {
    let (mut f, mut save, mut file, mut file_name) = (ChangeForm::default(), false, None, String::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name().unwrap_or("") {
                "file" => {
                    file_name = field.file_name().unwrap_or("").to_string();
                    file = field.bytes().await.ok();
                }
                name => {
                    let name = name.to_string();
                    let v = field.text().await.unwrap_or_default().trim().to_string();
                    match name.as_str() {
                        "generation" => f.generation = v,
                        "name" => f.name = v,
                        "legal_basis" => f.legal_basis = v,
                        "effective_on" => f.effective_on = v,
                        "mode" => save = v == "save",
                        _ => {}
                    }
                }
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
    let day = chrono::NaiveDate::parse_from_str(&f.effective_on, "%Y-%m-%d").ok();
    let format = file_name.to_lowercase().rsplit('.').next().and_then(Format::from_name);
    let header = ChangeHeader {
        generation: f.generation.clone(),
        name: f.name.clone(),
        legal_basis: f.legal_basis.clone(),
        effective_on: day.unwrap_or_default(),
    };
    let mut page = list_page(&s, tr, &p, None, f).await.lang(tr)?;
    let (Some(day), Some(bytes), Some(format)) = (day, file.filter(|b| !b.is_empty()), format) else {
        page.error = Some("Cần ngày có hiệu lực (NNNN-TT-NN) và một tệp XLSX hoặc CSV của bảng sắp xếp.".to_string());
        return Ok(render_status(&page, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let u =
        Upload { header: ChangeHeader { effective_on: day, ..header }, file_name: &file_name, bytes: &bytes, format };
    if save {
        return match unit_changes::load(&s.ctx, &p.actor, &u).await {
            Ok((id, _)) => Ok(see_other(&format!("/admin/unit-changes/{id}?done=saved"))),
            Err(AppError::Invalid(_)) | Err(AppError::Conflict(_)) => {
                // Shown with the check, which names every fault.
                let (check, ..) = unit_changes::check(&s.ctx, &p.actor, &u).await.lang(tr)?;
                page.error =
                    check.errors.is_empty().then(|| format!("Đã có bảng cho bản đồ «{}».", u.header.generation));
                page.check = Some(check);
                Ok(render_status(&page, StatusCode::UNPROCESSABLE_ENTITY))
            }
            Err(e) => Err(e).lang(tr),
        };
    }
    let (check, ..) = unit_changes::check(&s.ctx, &p.actor, &u).await.lang(tr)?;
    let status = if check.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    page.check = Some(check);
    Ok(render_status(&page, status))
}

#[derive(serde::Deserialize)]
pub struct TemplateParams {
    format: Option<String>,
}

/// `GET /admin/unit-changes/template?format=xlsx|csv`.
async fn template(_p: PageActor, Query(q): Query<TemplateParams>) -> Response {
    let format = q.format.as_deref().and_then(Format::from_name).unwrap_or(Format::Xlsx);
    download(unit_changes::template(format), format, "sap-xep-don-vi-hanh-chinh-mau")
}

#[derive(Template)]
#[template(path = "unit_change.html")]
struct ShowPage {
    c: Chrome,
    flash: Option<String>,
    check: Option<Checked>,
    v: ChangeView,
    steps: Vec<ChangeStep>,
    pager: Pager,
}

/// `GET /admin/unit-changes/{id}`.
async fn show(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<PageParams>,
) -> PageResult {
    let v = unit_changes::show(&s.ctx, &p.actor, id).await.lang(tr)?;
    let steps = unit_changes::steps(&s.ctx, &p.actor, id, PageRequest::new(q.page, None)).await.lang(tr)?;
    let flash = q.done.as_deref().map(|k| tr.t(&format!("changes.done.{k}")).to_string());
    Ok(render(&ShowPage {
        c: Chrome::new(tr, &p, "units", v.change.header.name.clone()),
        flash,
        check: v.check.clone(),
        pager: Pager::new(&steps, "").plain(),
        steps: steps.items,
        v,
    }))
}

/// `POST /admin/unit-changes/{id}/apply`.
async fn apply(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    unit_changes::apply(&s.ctx, &p.actor, id).await.lang(tr)?;
    Ok(see_other(&format!("/admin/unit-changes/{id}?done=applied")))
}

/// `POST /admin/unit-changes/{id}/cancel`.
async fn cancel(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    unit_changes::cancel(&s.ctx, &p.actor, id).await.lang(tr)?;
    Ok(see_other(&format!("/admin/unit-changes/{id}?done=cancelled")))
}
