//! The citizens' pages, without an account: `/to-giac` (send a report or tip, anonymously if
//! they wish), the receipt shown once, and `/to-giac/tra-cuu` (status, questions, adding
//! information). Every page works without JavaScript; htmx only narrows the commune list.
//! Nothing about the visitor's connection is stored or logged here.

use antq_app::AppError;
use antq_app::reports::{intake, receipt};
use antq_domain::FieldErrors;
use antq_domain::report::input::{PublicMessageInput, ReceiptInput, ReporterInput};
use antq_domain::report::{Category, CitizenView, ContentInput, PublicReportInput, ReportKind};
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{Extensions, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::session::{pre_token, with_pre_cookie};
use super::{Chrome, Opt, OptionsFragment, enum_opts, field, render, render_status};
use crate::AppState;
use crate::api::public::gate;
use crate::api::reports::FILES_LIMIT;
use crate::i18n::Tr;
use crate::routes::{Guard, Routes};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The hidden field people never fill in and robots do.
pub const HONEYPOT: &str = "ghi_chu_noi_bo";

/// Routes of the citizens' pages.
pub fn routes() -> Routes {
    let public = Guard::Public;
    Routes::new(false)
        .route(
            "/to-giac",
            get(form_page).post(submit).layer(DefaultBodyLimit::max(FILES_LIMIT)),
            &[(Method::GET, public), (Method::POST, public)],
        )
        .route("/to-giac/xa", get(commune_options), &[(Method::GET, public)])
        .route("/to-giac/tra-cuu", get(lookup_page).post(lookup), &[(Method::GET, public), (Method::POST, public)])
        .route("/to-giac/bo-sung", post(add).layer(DefaultBodyLimit::max(FILES_LIMIT)), &[(Method::POST, public)])
}

/// The anti-forgery token of a page anyone may use: the session's when the visitor is logged
/// in (an officer trying the form), otherwise the pre-login cookie's (set when new).
pub struct FormToken {
    token: String,
    fresh: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for FormToken {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(crate::auth::Auth { via: crate::auth::Via::Session { csrf, .. }, .. }) = parts.extensions.get() {
            return Ok(FormToken { token: csrf.clone(), fresh: false });
        }
        let (token, fresh) = pre_token(&parts.headers);
        Ok(FormToken { token, fresh })
    }
}

impl FormToken {
    /// Sets the pre-login cookie on `res` when the token is new.
    fn finish(&self, res: Response, secure: bool) -> Response {
        with_pre_cookie(res, &self.token, self.fresh, secure)
    }
}

/// What the citizen typed, to show the form again.
#[derive(Debug, Default)]
struct Values {
    content: ContentValues,
    anonymous: bool,
    r: ReporterValues,
}

/// What happened and where, as typed in a form (the citizens' form, the officers' intake and
/// the correction form).
#[derive(Debug, Default)]
pub(super) struct ContentValues {
    pub kind: String,
    pub category: String,
    pub summary: String,
    pub source: String,
    pub occurred_on: String,
    pub occurred_time: String,
    pub province_code: String,
    pub commune_code: String,
    pub address: String,
    pub place_unknown: bool,
}

impl ContentValues {
    /// The content fields of a posted form.
    pub(super) fn from_fields(f: &[(String, String)]) -> Self {
        let v = |n: &str| field(f, n).unwrap_or_default();
        ContentValues {
            kind: v("kind"),
            category: v("category"),
            summary: v("summary"),
            source: v("source"),
            occurred_on: v("occurred_on"),
            occurred_time: v("occurred_time"),
            province_code: v("province_code"),
            commune_code: v("commune_code"),
            address: v("address"),
            place_unknown: f.iter().any(|(k, v)| k == "place_unknown" && !v.is_empty()),
        }
    }

    /// As the use-cases take it.
    pub(super) fn input(&self) -> ContentInput {
        let o = |s: &String| (!s.is_empty()).then(|| s.clone());
        ContentInput {
            kind: o(&self.kind),
            category: o(&self.category),
            summary: o(&self.summary),
            source: o(&self.source),
            occurred_on: o(&self.occurred_on),
            occurred_time: o(&self.occurred_time),
            province_code: o(&self.province_code),
            commune_code: o(&self.commune_code),
            address: o(&self.address),
            place_unknown: self.place_unknown,
        }
    }
}

/// The identity part of a form, shared by the citizens' form and the officers' intake.
#[derive(Debug, Default)]
pub(super) struct ReporterValues {
    full_name: String,
    id_number: String,
    phone: String,
    email: String,
    address: String,
    organisation: String,
    tax_code: String,
    pub protection_requested: bool,
}

impl ReporterValues {
    /// The identity fields of a posted form.
    pub(super) fn from_fields(f: &[(String, String)]) -> Self {
        let v = |n: &str| field(f, n).unwrap_or_default();
        ReporterValues {
            full_name: v("full_name"),
            id_number: v("id_number"),
            phone: v("phone"),
            email: v("email"),
            address: v("reporter_address"),
            organisation: v("organisation"),
            tax_code: v("tax_code"),
            protection_requested: f.iter().any(|(k, v)| k == "protection_requested" && !v.is_empty()),
        }
    }

    /// As the use-cases take it.
    pub(super) fn input(&self) -> ReporterInput {
        let o = |s: &String| (!s.is_empty()).then(|| s.clone());
        ReporterInput {
            full_name: o(&self.full_name),
            id_number: o(&self.id_number),
            phone: o(&self.phone),
            email: o(&self.email),
            address: o(&self.address),
            organisation: o(&self.organisation),
            tax_code: o(&self.tax_code),
            protection_requested: self.protection_requested,
        }
    }

    /// The inputs: `(name, field of its errors and label key, value, max length)`.
    pub(super) fn fields(&self) -> Vec<(&'static str, &'static str, String, usize)> {
        vec![
            ("full_name", "reporter.full_name", self.full_name.clone(), 200),
            ("phone", "reporter.phone", self.phone.clone(), 30),
            ("email", "reporter.email", self.email.clone(), 200),
            ("id_number", "reporter.id_number", self.id_number.clone(), 12),
            ("reporter_address", "reporter.address", self.address.clone(), 500),
            ("organisation", "reporter.organisation", self.organisation.clone(), 300),
            ("tax_code", "reporter.tax_code", self.tax_code.clone(), 14),
        ]
    }
}

impl Values {
    fn from_fields(f: &[(String, String)]) -> Values {
        Values {
            content: ContentValues::from_fields(f),
            anonymous: f.iter().any(|(k, v)| k == "anonymous" && !v.is_empty()),
            r: ReporterValues::from_fields(f),
        }
    }

    fn input(&self) -> PublicReportInput {
        PublicReportInput { content: self.content.input(), anonymous: self.anonymous, reporter: Some(self.r.input()) }
    }
}

#[derive(Template)]
#[template(path = "public_report.html")]
struct FormPage {
    c: Chrome,
    pre: String,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
    provinces: Vec<Opt>,
    communes: Vec<Opt>,
    v: Values,
    errors: FieldErrors,
    notice: Option<String>,
    files_hint: String,
    reporter_fields: Vec<(&'static str, &'static str, String, usize)>,
}

/// "Up to N files, …" in the page's language.
pub(super) fn files_hint(tr: Tr) -> String {
    tr.t("public.files_hint").replace("{n}", &intake::MAX_FILES.to_string())
}

async fn communes(s: &AppState, province: &str, selected: &str) -> Vec<Opt> {
    if province.is_empty() {
        return Vec::new();
    }
    antq_app::units::communes_of(&s.ctx, province)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| Opt { selected: u.code == selected, label: u.full_name(), value: u.code })
        .collect()
}

async fn render_form(
    s: &AppState,
    tr: Tr,
    t: &FormToken,
    v: Values,
    errors: FieldErrors,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let page = FormPage {
        c: Chrome::anonymous(tr, tr.t("public.title")),
        kinds: enum_opts(
            tr,
            ReportKind::PUBLIC,
            Some(if v.content.kind.is_empty() { "to_giac" } else { &v.content.kind }),
        ),
        categories: enum_opts(tr, Category::ALL, Some(&v.content.category)),
        provinces: super::units::province_opts(s, Some(&v.content.province_code)).await,
        communes: communes(s, &v.content.province_code, &v.content.commune_code).await,
        pre: t.token.clone(),
        reporter_fields: v.r.fields(),
        v,
        errors,
        notice,
        files_hint: files_hint(tr),
    };
    t.finish(render_status(&page, status), s.web.secure_cookies)
}

/// `?province=` of the form and of the commune options.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ProvinceQuery {
    #[serde(alias = "province_code")]
    province: Option<String>,
}

/// `GET /to-giac`: the form (`?province=` preselects a province and lists its communes).
async fn form_page(State(s): State<AppState>, tr: Tr, t: FormToken, Query(q): Query<ProvinceQuery>) -> Response {
    let v = Values {
        content: ContentValues { province_code: q.province.unwrap_or_default(), ..Default::default() },
        ..Default::default()
    };
    render_form(&s, tr, &t, v, FieldErrors::new(), None, StatusCode::OK).await
}

/// `GET /to-giac/xa?province=`: the communes of a province (htmx).
async fn commune_options(State(s): State<AppState>, tr: Tr, Query(q): Query<ProvinceQuery>) -> Response {
    let options = communes(&s, q.province.as_deref().unwrap_or(""), "").await;
    render(&OptionsFragment { empty: format!("— {} —", tr.t("place.commune")), options })
}

#[derive(Template)]
#[template(path = "public_receipt.html")]
struct ReceiptPage {
    c: Chrome,
    receipt: receipt::Receipt,
}

/// The message of a refused public request, with its status.
fn refusal(tr: Tr, e: &AppError) -> (String, StatusCode) {
    match e {
        AppError::TooManyAttempts(secs) => {
            (tr.t("public.too_many").replace("{secs}", &secs.to_string()), StatusCode::TOO_MANY_REQUESTS)
        }
        AppError::Unavailable(m) => (m.clone(), StatusCode::SERVICE_UNAVAILABLE),
        AppError::Invalid(_) => (tr.t("form.has_errors").to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        _ => (tr.t("public.failed").to_string(), StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// `POST /to-giac` (multipart): the report; the receipt page, or the form again with what is wrong.
async fn submit(
    State(s): State<AppState>,
    tr: Tr,
    t: FormToken,
    ext: Extensions,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let read = match form {
        Ok(f) => crate::documents::read_multipart(f).await,
        Err(_) => Err(AppError::Invalid(FieldErrors::single("files", tr.t("public.bad_form")))),
    };
    let (fields, files) = match read {
        Ok(x) => x,
        Err(e) => {
            let (m, status) = refusal(tr, &e);
            return render_form(&s, tr, &t, Values::default(), FieldErrors::new(), Some(m), status).await;
        }
    };
    let v = Values::from_fields(&fields);
    if field(&fields, HONEYPOT).is_some() {
        let notice = Some(tr.t("public.bad_form").to_string());
        return render_form(&s, tr, &t, v, FieldErrors::new(), notice, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let sent = match gate(&s, &ext) {
        Ok(()) => intake::submit(&s.ctx, &v.input(), files).await,
        Err(e) => Err(e),
    };
    match sent {
        Ok(receipt) => render(&ReceiptPage { c: Chrome::anonymous(tr, tr.t("public.receipt_title")), receipt }),
        Err(e) => {
            let (m, status) = refusal(tr, &e);
            let errors = if let AppError::Invalid(f) = e { f } else { FieldErrors::new() };
            render_form(&s, tr, &t, v, errors, Some(m), status).await
        }
    }
}

#[derive(Template)]
#[template(path = "public_lookup.html")]
struct LookupPage {
    c: Chrome,
    pre: String,
    code: String,
    secret: String,
    view: Option<CitizenView>,
    notice: Option<(String, bool)>,
}

fn render_lookup(s: &AppState, t: &FormToken, page: LookupPage, status: StatusCode) -> Response {
    let page = LookupPage { pre: t.token.clone(), ..page };
    t.finish(render_status(&page, status), s.web.secure_cookies)
}

fn lookup_shell(tr: Tr, code: String, secret: String) -> LookupPage {
    LookupPage {
        c: Chrome::anonymous(tr, tr.t("public.lookup_title")),
        pre: String::new(),
        code,
        secret,
        view: None,
        notice: None,
    }
}

/// The lookup form again with why the receipt or the message was refused (the secret is
/// never put back in the page).
fn refused_lookup(s: &AppState, tr: Tr, t: &FormToken, code: String, e: &AppError) -> Response {
    let (m, status) = match e {
        AppError::Invalid(f) => (f.summary_values(), StatusCode::UNPROCESSABLE_ENTITY),
        other => refusal(tr, other),
    };
    let page = LookupPage { notice: Some((m, true)), ..lookup_shell(tr, code, String::new()) };
    render_lookup(s, t, page, status)
}

/// `GET /to-giac/tra-cuu`: the code and secret form.
async fn lookup_page(State(s): State<AppState>, tr: Tr, t: FormToken) -> Response {
    render_lookup(&s, &t, lookup_shell(tr, String::new(), String::new()), StatusCode::OK)
}

/// The receipt as typed on the lookup page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LookupForm {
    code: Option<String>,
    secret: Option<String>,
}

/// `POST /to-giac/tra-cuu`: the status and the dialogue, or the one answer for a wrong receipt.
async fn lookup(
    State(s): State<AppState>,
    tr: Tr,
    t: FormToken,
    ext: Extensions,
    Form(f): Form<LookupForm>,
) -> Response {
    let input = ReceiptInput { code: f.code.clone(), secret: f.secret.clone() };
    let found = match gate(&s, &ext) {
        Ok(()) => receipt::lookup(&s.ctx, &input).await,
        Err(e) => Err(e),
    };
    let (code, secret) = (f.code.unwrap_or_default(), f.secret.unwrap_or_default());
    match found {
        Ok(view) => {
            let page = LookupPage { view: Some(view), ..lookup_shell(tr, code, secret) };
            render_lookup(&s, &t, page, StatusCode::OK)
        }
        Err(e) => refused_lookup(&s, tr, &t, code, &e),
    }
}

/// `POST /to-giac/bo-sung` (multipart): adds information; the view again with a notice.
async fn add(
    State(s): State<AppState>,
    tr: Tr,
    t: FormToken,
    ext: Extensions,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let read = match form {
        Ok(f) => crate::documents::read_multipart(f).await,
        Err(_) => Err(AppError::Invalid(FieldErrors::single("files", tr.t("public.bad_form")))),
    };
    let (fields, files) = match read {
        Ok(x) => x,
        Err(e) => {
            let (m, status) = refusal(tr, &e);
            let page = LookupPage { notice: Some((m, true)), ..lookup_shell(tr, String::new(), String::new()) };
            return render_lookup(&s, &t, page, status);
        }
    };
    let (code, secret) = (field(&fields, "code").unwrap_or_default(), field(&fields, "secret").unwrap_or_default());
    let input =
        PublicMessageInput { code: Some(code.clone()), secret: Some(secret.clone()), body: field(&fields, "body") };
    let sent = match gate(&s, &ext) {
        Ok(()) => receipt::add_message(&s.ctx, &input, files).await,
        Err(e) => Err(e),
    };
    match sent {
        Ok(view) => {
            let page = LookupPage {
                view: Some(view),
                notice: Some((tr.t("public.added").to_string(), false)),
                ..lookup_shell(tr, code, secret)
            };
            render_lookup(&s, &t, page, StatusCode::OK)
        }
        Err(AppError::Invalid(f)) if f.get("secret").is_none() => {
            // The receipt was right: show the dialogue again with what is wrong in the message.
            let view =
                receipt::lookup(&s.ctx, &ReceiptInput { code: Some(code.clone()), secret: Some(secret.clone()) })
                    .await
                    .ok();
            let page = LookupPage { view, notice: Some((f.summary_values(), true)), ..lookup_shell(tr, code, secret) };
            render_lookup(&s, &t, page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => refused_lookup(&s, tr, &t, code, &e),
    }
}
