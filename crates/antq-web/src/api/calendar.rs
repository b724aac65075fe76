//! `/api/v1/calendar`: the working-day calendar (public holidays and the Government's changes).

use antq_app::{AppError, calendar};
use antq_domain::FieldErrors;
use antq_domain::calendar::{CalendarDay, DayChange, DayChangeInput};
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{delete, get};
use chrono::{Datelike, NaiveDate};

use super::{ApiJson, ApiPath, ApiQuery, ErrorBody};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use crate::routes::{READ, Routes, TAXONOMY};

/// Routes of the calendar.
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/calendar", get(year).post(record), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route("/calendar/{day}", delete(remove), &[(Method::DELETE, TAXONOMY)])
}

/// The year asked for.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct YearParams {
    /// Year (1945–2100; default: this year).
    pub year: Option<i32>,
}

impl YearParams {
    /// The year, checked.
    pub fn checked(&self, today: NaiveDate) -> Result<i32, AppError> {
        match self.year {
            None => Ok(today.year()),
            Some(y) if (1945..=2100).contains(&y) => Ok(y),
            Some(_) => Err(AppError::Invalid(FieldErrors::single("year", "Năm phải trong khoảng 1945–2100."))),
        }
    }
}

/// A year of the calendar.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CalendarYear {
    /// The year.
    pub year: i32,
    /// Its public holidays and days in lieu (computed from Điều 112 Bộ luật Lao động 2019) and
    /// the recorded changes (`recorded: true`), by day. Other days: Monday–Friday worked,
    /// Saturday and Sunday off.
    pub days: Vec<CalendarDay>,
}

/// The public holidays and recorded changes of a year: what the working-day deadlines (the
/// 5 working days of TT 14/2024) skip.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "rules", params(YearParams),
    responses((status = 200, body = CalendarYear), (status = 422, body = ErrorBody)))]
pub async fn year(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<YearParams>,
) -> Result<Json<CalendarYear>, ApiError> {
    let year = q.checked(s.ctx.today())?;
    Ok(Json(CalendarYear { year, days: calendar::year(&s.ctx, &a, year).await? }))
}

/// Records a change to the law's calendar from a Government notice: a day off (`nghi`) or a
/// day worked in exchange (`lam_viec`); it replaces that day's earlier change. National
/// administrators only; a change that leaves the day as the law makes it is refused.
#[utoipa::path(post, path = "/api/v1/calendar", tag = "rules", request_body = DayChangeInput,
    responses((status = 201, body = DayChange), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<DayChangeInput>,
) -> Result<(StatusCode, Json<DayChange>), ApiError> {
    Ok((StatusCode::CREATED, Json(calendar::record(&s.ctx, &a, &b).await?)))
}

/// Removes the recorded change of a day (`YYYY-MM-DD`): the law's calendar applies again.
#[utoipa::path(delete, path = "/api/v1/calendar/{day}", tag = "rules", params(("day" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = DayChange), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(day): ApiPath<NaiveDate>,
) -> Result<Json<DayChange>, ApiError> {
    Ok(Json(calendar::remove(&s.ctx, &a, day).await?))
}
