//! The working-day calendar page: the year's public holidays, days in lieu and recorded
//! changes, with the form national administrators use to record a Government notice.

use antq_app::calendar;
use antq_domain::access::{Permission, Scope};
use antq_domain::calendar::{CalendarDay, DayChangeInput, DayKind};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};

use super::{Chrome, Notice, Opt, PageResult, enum_opts, refused, render_status};
use crate::AppState;
use crate::api::calendar::YearParams;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, TAXONOMY};

/// Routes of the calendar page.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/calendar", get(page).post(record), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route("/calendar/{day}/remove", post(remove), &[(Method::POST, TAXONOMY)])
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    c: Chrome,
    notice: Notice,
    year: i32,
    days: Vec<(CalendarDay, String)>,
    can_manage: bool,
    kinds: Vec<Opt>,
    form: DayChangeInput,
}

/// Renders a year; `form` refills the form after a refusal.
async fn render(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    year: i32,
    form: DayChangeInput,
    notice: Notice,
    status: StatusCode,
) -> PageResult {
    let days = calendar::year(&s.ctx, &p.actor, year).await?;
    let weekday = |d: NaiveDate| tr.t(&format!("weekday.{}", d.weekday().number_from_monday())).to_string();
    let page = CalendarPage {
        c: Chrome::new(tr, p, "rules", format!("{} {year}", tr.t("calendar.title"))),
        notice,
        year,
        days: days.into_iter().map(|d| (d.clone(), weekday(d.day))).collect(),
        can_manage: p.actor.role.grants(Permission::ManageTaxonomy) && matches!(p.actor.scope, Scope::National),
        kinds: enum_opts(tr, DayKind::ALL, form.kind.as_deref()),
        form,
    };
    Ok(render_status(&page, status))
}

async fn page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<YearParams>) -> PageResult {
    let year = q.checked(s.ctx.today()).unwrap_or_else(|_| s.ctx.today().year());
    render(&s, tr, &p, year, DayChangeInput::default(), None, StatusCode::OK).await
}

async fn record(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<DayChangeInput>) -> PageResult {
    match calendar::record(&s.ctx, &p.actor, &f).await {
        Ok(c) => {
            let text = format!("{}: {} — {}", tr.t("calendar.recorded"), c.day.format("%d/%m/%Y"), tr.l(&c.kind));
            render(&s, tr, &p, c.day.year(), DayChangeInput::default(), Some((text, false)), StatusCode::OK).await
        }
        Err(e) => {
            let year = f.day.as_deref().and_then(antq_domain::model::parse_date).map(|d| d.year());
            let (notice, status) = refused(e, tr)?;
            render(&s, tr, &p, year.unwrap_or_else(|| s.ctx.today().year()), f, notice, status).await
        }
    }
}

async fn remove(State(s): State<AppState>, tr: Tr, p: PageActor, Path(day): Path<String>) -> PageResult {
    let day = antq_domain::model::parse_date(&day).ok_or(antq_app::AppError::NotFound("ngày"))?;
    let old = calendar::remove(&s.ctx, &p.actor, day).await?;
    let text = format!("{}: {} — {}", tr.t("calendar.removed"), day.format("%d/%m/%Y"), old.name);
    render(&s, tr, &p, day.year(), DayChangeInput::default(), Some((text, false)), StatusCode::OK).await
}
