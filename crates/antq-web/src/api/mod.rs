//! The JSON API under `/api/v1`, documented at `/api/v1/openapi.json`.

pub(crate) mod activities;
mod admin;
pub(crate) mod antt;
pub(crate) mod calendar;
pub(crate) mod cameras;
mod dashboard;
mod extract;
pub(crate) mod force;
pub(crate) mod interchange;
pub(crate) mod lineage;
mod models;
pub(crate) mod movement;
pub(crate) mod official;
mod pivot;
pub(crate) mod public;
pub(crate) mod ratings;
mod registry;
pub(crate) mod reports;
pub(crate) mod targets;
mod unit_changes;
mod units;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use utoipa::OpenApi;

use crate::AppState;
use crate::routes::{AUDIT, Guard, READ, Routes, TAXONOMY, USERS, WRITE};
use axum::http::Method;

pub use extract::{ApiJson, ApiPath, ApiQuery, merge_patch};
pub use models::{GROUPS, parse_group};

/// Routes of the API (nested under `/api/v1`).
pub fn routes() -> Routes {
    Routes::new(true)
        .route("/openapi.json", get(openapi), &[(Method::GET, Guard::Public)])
        .route("/units", get(units::list), &[(Method::GET, READ)])
        .route(
            "/units/{code}",
            get(units::get_one).patch(units::patch),
            &[(Method::GET, READ), (Method::PATCH, TAXONOMY)],
        )
        .route(
            "/areas",
            get(registry::list_areas).post(registry::create_area),
            &[(Method::GET, READ), (Method::POST, WRITE)],
        )
        .route(
            "/areas/{id}",
            get(registry::get_area).patch(registry::patch_area),
            &[(Method::GET, READ), (Method::PATCH, WRITE)],
        )
        .route(
            "/establishments",
            get(registry::list_establishments).post(registry::create_establishment),
            &[(Method::GET, READ), (Method::POST, WRITE)],
        )
        .route(
            "/establishments/{id}",
            get(registry::get_establishment).patch(registry::patch_establishment),
            &[(Method::GET, READ), (Method::PATCH, WRITE)],
        )
        .route(
            "/model-types",
            get(models::list_types).post(models::create_type),
            &[(Method::GET, READ), (Method::POST, TAXONOMY)],
        )
        .route("/model-types/{id}", axum::routing::patch(models::patch_type), &[(Method::PATCH, TAXONOMY)])
        .route("/models", get(models::list).post(models::create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route(
            "/models/{id}",
            get(models::get_one).patch(models::patch),
            &[(Method::GET, READ), (Method::PATCH, WRITE)],
        )
        .route("/models/{id}/transitions", post(models::transition), &[(Method::POST, WRITE)])
        .route("/models/{id}/events", post(models::add_event), &[(Method::POST, WRITE)])
        .route("/models/{id}/sites", post(models::add_site), &[(Method::POST, WRITE)])
        .route("/models/{id}/sites/{site_id}/teams", post(models::add_team), &[(Method::POST, WRITE)])
        .route(
            "/models/{id}/documents",
            post(models::add_document).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/models/{id}/documents/{document_id}", get(models::document_file), &[(Method::GET, READ)])
        .route("/stats/models", get(models::stats), &[(Method::GET, READ)])
        .route(
            "/users",
            get(admin::list_users).post(admin::create_user),
            &[(Method::GET, USERS), (Method::POST, USERS)],
        )
        .route(
            "/users/{id}",
            get(admin::get_user).patch(admin::patch_user),
            &[(Method::GET, USERS), (Method::PATCH, USERS)],
        )
        .route("/users/{id}/password", post(admin::reset_password), &[(Method::POST, USERS)])
        .route("/users/{id}/revoke-sessions", post(admin::revoke_sessions), &[(Method::POST, USERS)])
        .route("/users/{id}/tokens", post(admin::create_token), &[(Method::POST, USERS)])
        .route("/tokens", get(admin::list_tokens), &[(Method::GET, USERS)])
        .route("/tokens/{id}/revoke", post(admin::revoke_token), &[(Method::POST, USERS)])
        .route("/access", get(admin::access), &[(Method::GET, Guard::User)])
        .route("/audit", get(admin::audit), &[(Method::GET, AUDIT)])
        .route("/audit/export", get(admin::audit_export), &[(Method::GET, AUDIT)])
        .route("/audit/verify", get(admin::audit_verify), &[(Method::GET, AUDIT)])
        .merge(interchange::routes())
        .merge(ratings::routes())
        .merge(calendar::routes())
        .merge(antt::routes())
        .merge(movement::routes())
        .merge(reports::routes())
        .merge(public::routes())
        .merge(force::routes())
        .merge(activities::routes())
        .merge(cameras::routes())
        .merge(targets::routes())
        .merge(official::routes())
        .merge(lineage::routes())
        .merge(unit_changes::routes())
        .merge(dashboard::routes())
        .merge(pivot::routes())
}

/// `GET /healthz`: 200 when the database answers.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, description = "Đang hoạt động"), (status = 503, description = "Cơ sở dữ liệu không trả lời")))]
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.ctx.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({"status": "ok"}))),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "unavailable"})))
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "antq API", version = "1", description = "API của hệ thống quản lý phong trào Toàn dân bảo vệ an ninh Tổ quốc. \
        Xác thực: `Authorization: Bearer <token>` (tạo bằng `antq token create`) hoặc cookie phiên đăng nhập (kèm `X-CSRF-Token` cho yêu cầu ghi). \
        Lỗi: `{\"error\":{\"code\",\"message\",\"fields\"}}`."),
    paths(
        healthz,
        units::list, units::get_one,
        lineage::list, lineage::get_one, lineage::of_unit, lineage::generations, lineage::export,
        lineage::former_stats, lineage::former_stats_export,
        unit_changes::list, unit_changes::upload, unit_changes::template, unit_changes::get_one, unit_changes::steps,
        unit_changes::apply, unit_changes::cancel,
        registry::list_areas, registry::create_area, registry::get_area, registry::patch_area,
        registry::list_establishments, registry::create_establishment, registry::get_establishment, registry::patch_establishment,
        models::list_types, models::create_type, models::patch_type,
        models::list, models::create, models::get_one, models::patch, models::transition, models::add_event, models::add_site, models::add_team, models::add_document, models::document_file,
        models::stats,
        interchange::import, interchange::export, interchange::template,
        admin::list_users, admin::create_user, admin::get_user, admin::patch_user, admin::reset_password, admin::revoke_sessions,
        admin::list_tokens, admin::create_token, admin::revoke_token, admin::access,
        admin::audit, admin::audit_export, admin::audit_verify,
        ratings::list_rules, ratings::add_rule, ratings::list_criteria_sets, ratings::add_criteria_set,
        calendar::year, calendar::record, calendar::remove,
        ratings::list_rounds, ratings::open_round, ratings::get_round, ratings::approve_round, ratings::rate,
        ratings::template, ratings::import, ratings::get_sheet, ratings::submit, ratings::review,
        ratings::get_rating, ratings::patch_rating, ratings::follow_up, ratings::follow_ups,
        ratings::stats, ratings::stats_export,
        antt::list, antt::register, antt::get_one, antt::conditions, antt::evaluate, antt::submit, antt::appraise,
        antt::decide, antt::revoke, antt::add_document, antt::document_file, antt::stats, antt::stats_export,
        movement::list, movement::start, movement::get_one, movement::score, movement::step, movement::decide,
        movement::list_exemplars, movement::register_exemplar, movement::get_exemplar, movement::decide_exemplar, movement::stats,
        units::patch,
        reports::list, reports::create, reports::overdue, reports::get_one, reports::patch, reports::transition,
        reports::message, reports::identity, reports::add_files, reports::attachment, reports::stats, reports::stats_export,
        public::submit, public::lookup, public::message,
        force::list_teams, force::create_team, force::get_team, force::patch_team, force::team_transition,
        force::list_members, force::create_member, force::get_member, force::patch_member, force::member_transition,
        force::citizen_id, force::add_document, force::document_file, force::get_alerts, force::get_stats, force::stats_export,
        force::list_sheets, force::get_sheet, force::open_sheet, force::rate, force::sheet_action,
        force::list_courses, force::create_course, force::get_course, force::add_trainee, force::set_result,
        force::get_allowance, force::allowance_export, force::get_medals, force::medals_export,
        activities::list_kinds, activities::create_kind, activities::patch_kind,
        activities::list, activities::create, activities::get_one, activities::patch,
        activities::add_opinion, activities::answer, activities::add_document, activities::document_file,
        activities::opinions, activities::stats, activities::stats_export,
        activities::list_commendations, activities::create_commendation, activities::get_commendation,
        activities::commendation_step, activities::medal_proposals,
        activities::commendation_stats, activities::commendation_stats_export,
        cameras::list, cameras::create, cameras::get_one, cameras::patch_one, cameras::change_status,
        cameras::centres, cameras::create_centre, cameras::patch_centre, cameras::stats, cameras::stats_export,
        targets::indicators, targets::create_indicator, targets::patch_indicator,
        targets::list, targets::create, targets::get_one, targets::patch_one, targets::delete_one,
        targets::overview, targets::communes, targets::communes_export,
        official::movement, official::list, official::export, official::create, official::get_one, official::patch_one,
        official::delete_one, official::issue, official::document, official::file,
        dashboard::charts, dashboard::map, pivot::table, pivot::export,
    ),
    modifiers(&Security),
    security(("bearer" = [])),
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document as JSON text.
pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}

async fn openapi() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], openapi_json())
}

/// The error body of every failed request.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Error details.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable code: unauthenticated, forbidden, not_found, invalid, conflict, too_many_requests, internal.
    pub code: String,
    /// Vietnamese message.
    pub message: String,
    /// Messages per field (for `invalid`).
    pub fields: std::collections::BTreeMap<String, String>,
}

/// The `year` parameter of a yearly list or statistic: this year when absent, 2000–2100.
pub fn checked_year(year: Option<i32>, today: chrono::NaiveDate) -> Result<i32, antq_app::AppError> {
    use chrono::Datelike;
    match year.unwrap_or(today.year()) {
        y if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(antq_app::AppError::Invalid(antq_domain::FieldErrors::single("year", "Năm phải từ 2000 đến 2100."))),
    }
}

/// Paging parameters shared by every list.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct Paging {
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Rows per page (1–200, default 25).
    pub per_page: Option<u32>,
}

impl Paging {
    /// The clamped request.
    pub fn request(&self) -> antq_domain::page::PageRequest {
        antq_domain::page::PageRequest::new(self.page, self.per_page)
    }
}

/// Declares a concrete list type `{items, total, page, per_page}` for the OpenAPI document.
macro_rules! list_type {
    ($name:ident, $item:ty) => {
        /// A page of results.
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            /// Rows of this page.
            pub items: Vec<$item>,
            /// Rows matching in all.
            pub total: i64,
            /// Page number.
            pub page: u32,
            /// Rows per page.
            pub per_page: u32,
        }

        impl From<antq_domain::page::Page<$item>> for $name {
            fn from(p: antq_domain::page::Page<$item>) -> Self {
                $name { items: p.items, total: p.total, page: p.page, per_page: p.per_page }
            }
        }
    };
}
pub(crate) use list_type;
