//! Server-rendered pages. Each handler turns a request into a use-case call and a template;
//! htmx requests get only the fragment that changes.

mod activities;
mod admin;
mod antt;
mod calendar;
mod cameras;
mod commendations;
mod force;
mod interchange;
mod map;
mod models;
mod movement;
mod official;
mod pivot;
mod place;
mod public;
mod ratings;
mod registry;
mod reports;
mod session;
mod targets;
mod unit_changes;
mod units;

use antq_app::{Actor, AppError};
use antq_domain::FieldErrors;
use antq_domain::access::Scope;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use crate::AppState;
use crate::auth::PageActor;
use crate::error::PageError;
use crate::i18n::{Labelled, Tr};
use crate::routes::{Guard, READ, Routes};
use axum::http::Method;

/// Routes of the pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/", get(models::home), &[(Method::GET, Guard::User)])
        .route(
            "/login",
            get(session::login_page).post(session::login),
            &[(Method::GET, Guard::Public), (Method::POST, Guard::Public)],
        )
        .route("/logout", post(session::logout), &[(Method::POST, Guard::User)])
        .route(
            "/setup/{secret}",
            get(session::setup_page).post(session::setup),
            &[(Method::GET, Guard::Public), (Method::POST, Guard::Public)],
        )
        .route("/lang/{lang}", get(session::set_lang), &[(Method::GET, Guard::Public)])
        .route("/units", get(units::list), &[(Method::GET, READ)])
        .route("/units/{code}", get(units::show), &[(Method::GET, READ)])
        .route("/units/former/{generation}/{level}/{code}", get(units::former), &[(Method::GET, READ)])
        .route("/ui/communes", get(units::commune_options), &[(Method::GET, Guard::User)])
        .route("/ui/origin-options", get(models::origin_options), &[(Method::GET, READ)])
        .merge(registry::routes())
        .merge(models::routes())
        .merge(interchange::routes())
        .merge(admin::routes())
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
        .merge(map::routes())
        .merge(pivot::routes())
        .merge(commendations::routes())
        .merge(unit_changes::routes())
}

/// What every page shows around its content.
pub struct Chrome {
    /// Translator.
    pub tr: Tr,
    /// The logged-in user, if any.
    pub user: Option<UserBar>,
    /// CSRF token for forms.
    pub csrf: String,
    /// Active navigation entry.
    pub nav: &'static str,
    /// Page title.
    pub title: String,
}

/// The user shown in the header.
pub struct UserBar {
    /// Display name.
    pub name: String,
    /// Role label.
    pub role: &'static str,
    /// Unit code.
    pub unit: String,
    /// May administer accounts.
    pub admin: bool,
    /// May read the audit trail.
    pub audit: bool,
    /// Where the reports entry leads: the queue (content) or the statistics (counts).
    pub reports: Option<&'static str>,
}

impl Chrome {
    /// Chrome for a logged-in page.
    pub fn new(tr: Tr, p: &PageActor, nav: &'static str, title: impl Into<String>) -> Chrome {
        Chrome {
            tr,
            user: Some(UserBar {
                name: p.actor.display_name.clone(),
                role: tr.l(&p.actor.role),
                unit: p.actor.unit_code.clone(),
                admin: p.actor.role.grants(antq_domain::access::Permission::ManageUsers),
                audit: p.actor.role.grants(antq_domain::access::Permission::ReadAudit),
                reports: if p.actor.role.grants(antq_domain::access::Permission::ReadReportContent) {
                    Some("/reports")
                } else if p.actor.role.grants(antq_domain::access::Permission::ReadReportCounts) {
                    Some("/stats/reports")
                } else {
                    None
                },
            }),
            csrf: p.csrf.clone(),
            nav,
            title: title.into(),
        }
    }

    /// Chrome for a page shown before login.
    pub fn anonymous(tr: Tr, title: impl Into<String>) -> Chrome {
        Chrome { tr, user: None, csrf: String::new(), nav: "", title: title.into() }
    }
}

/// An `<option>`.
#[derive(Clone, Debug)]
pub struct Opt {
    /// Value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Selected.
    pub selected: bool,
}

/// Options for a labelled enum, selecting `current`.
pub fn enum_opts<T: Labelled + Copy>(tr: Tr, all: &[T], current: Option<&str>) -> Vec<Opt> {
    all.iter()
        .map(|v| Opt { value: v.code().into(), label: tr.l(v).into(), selected: current == Some(v.code()) })
        .collect()
}

/// `<option>`s swapped in by htmx (communes of a province, areas of a commune …).
#[derive(Template)]
#[template(path = "_options.html")]
pub struct OptionsFragment {
    /// Label of the empty option.
    pub empty: String,
    /// The options.
    pub options: Vec<Opt>,
}

/// Renders a template into a response (500 with a logged error if rendering fails).
pub fn render<T: Template>(t: &T) -> Response {
    render_status(t, StatusCode::OK)
}

/// Renders a template with a status (422 for a form with errors).
pub fn render_status<T: Template>(t: &T, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hiển thị trang.").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    c: Chrome,
    heading: &'static str,
    message: &'a str,
}

/// The error page.
pub fn error_page(tr: Tr, status: StatusCode, message: &str) -> Response {
    let heading = match status {
        StatusCode::FORBIDDEN => tr.t("error.forbidden"),
        StatusCode::NOT_FOUND => tr.t("error.not_found"),
        StatusCode::UNPROCESSABLE_ENTITY => tr.t("error.invalid"),
        StatusCode::CONFLICT => tr.t("error.conflict"),
        StatusCode::TOO_MANY_REQUESTS => tr.t("error.too_many"),
        _ => tr.t("error.other"),
    };
    render_status(&ErrorPage { c: Chrome::anonymous(tr, heading), heading, message }, status)
}

/// Fallback for unknown paths.
pub async fn not_found(tr: Tr) -> Response {
    error_page(tr, StatusCode::NOT_FOUND, tr.t("error.no_page"))
}

/// Page-level result: errors become the error page in the user's language.
pub type PageResult = Result<Response, PageError>;

/// Attaches the request language to an app error.
pub trait InLang<T> {
    /// Maps the error to a [`PageError`] in `tr`'s language.
    fn lang(self, tr: Tr) -> Result<T, PageError>;
}

impl<T> InLang<T> for Result<T, antq_app::AppError> {
    fn lang(self, tr: Tr) -> Result<T, PageError> {
        self.map_err(|err| PageError { err, lang: tr.lang })
    }
}

/// A readable name of the actor's scope.
pub async fn scope_name(state: &AppState, actor: &Actor, tr: Tr) -> String {
    let code = match &actor.scope {
        Scope::National => return tr.t("scope.national").to_string(),
        Scope::Province(p) => p.clone(),
        Scope::Commune(_, c) => c.clone(),
    };
    antq_app::units::names(&state.ctx, [code.clone()]).await.ok().and_then(|m| m.get(&code).cloned()).unwrap_or(code)
}

/// Encodes query pairs (skipping empty values).
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// Previous/next links for a list.
pub struct Pager {
    /// Current page.
    pub page: u32,
    /// Number of pages.
    pub pages: u32,
    /// Query of the previous page.
    pub prev: Option<String>,
    /// Query of the next page.
    pub next: Option<String>,
    /// The links swap `#results` by htmx (a page whose list is a fragment); otherwise plain links.
    pub htmx: bool,
}

impl Pager {
    /// Links keeping the filters in `base` (a query string without `page`).
    pub fn new<T>(p: &antq_domain::page::Page<T>, base: &str) -> Pager {
        let pages = p.pages();
        let link = |n: u32| {
            if base.is_empty() { format!("page={n}") } else { format!("{base}&page={n}") }
        };
        Pager {
            page: p.page,
            pages,
            prev: (p.page > 1).then(|| link(p.page - 1)),
            next: (p.page < pages).then(|| link(p.page + 1)),
            htmx: true,
        }
    }

    /// Plain links (the list is not a separate fragment).
    pub fn plain(self) -> Pager {
        Pager { htmx: false, ..self }
    }
}

/// `None` for absent or blank text.
pub fn blank_none(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Parses an optional integer form field, recording a Vietnamese error.
pub fn form_int(errs: &mut antq_domain::FieldErrors, field: &str, label: &str, v: &Option<String>) -> Option<i64> {
    let s = blank_none(v)?;
    let digits: String = s.chars().filter(|c| !matches!(c, '.' | ' ' | ',')).collect();
    match digits.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            errs.add(field, format!("{label} phải là số nguyên."));
            None
        }
    }
}

/// Redirect after a successful POST, with a flash message in the query.
pub fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

/// Splits an app result into "re-render the form with these errors" or a hard error.
pub fn form_errors<T>(r: Result<T, AppError>, tr: Tr) -> Result<Result<T, FieldErrors>, crate::error::PageError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(AppError::Invalid(e)) => Ok(Err(e)),
        Err(e) => Err(crate::error::PageError { err: e, lang: tr.lang }),
    }
}

/// A non-blank field of a form posted as pairs (pages with repeated or prefixed fields).
pub fn field(f: &[(String, String)], name: &str) -> Option<String> {
    f.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The checked boxes named `c:<criterion code>` of a checklist form.
pub fn checklist(f: &[(String, String)]) -> std::collections::BTreeMap<String, bool> {
    f.iter().filter_map(|(n, _)| n.strip_prefix("c:")).map(|code| (code.to_string(), true)).collect()
}

/// A message shown above a page: `(text, is_error)`.
pub type Notice = Option<(String, bool)>;

/// A refused form (invalid input, or a conflict with the current state) becomes a notice and
/// a status for re-rendering the page; other errors go to the error page.
pub fn refused(e: AppError, tr: Tr) -> Result<(Notice, StatusCode), crate::error::PageError> {
    let status = match &e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        _ => return Err(crate::error::PageError { err: e, lang: tr.lang }),
    };
    let text = match e {
        AppError::Invalid(f) => f.summary(),
        other => other.to_string(),
    };
    Ok((Some((text, true)), status))
}
