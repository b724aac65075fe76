//! Administration pages: accounts (create, change role or unit, disable, reset password, end
//! sessions), API tokens, the roles/permissions matrix, one's own account (password,
//! two-step login) and the audit trail.

use antq_app::accounts::{self, AccountChange, NewAccount, TokenOptions, TokenRow, UserSummary};
use antq_app::audit::AuditQuery;
use antq_app::totp;
use antq_domain::FieldErrors;
use antq_domain::access::{MATRIX, Permission, Role};
use antq_domain::audit::{AuditAction, AuditEntry};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use super::{Chrome, InLang, Opt, PageResult, Pager, blank_none, enum_opts, form_errors, query_string, render_status};
use crate::AppState;
use crate::api::interchange::{download, format_or_xlsx};
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{AUDIT, Guard, Routes, USERS};
use axum::http::Method;

/// Routes of the administration pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/admin/users", get(users).post(create_user), &[(Method::GET, USERS), (Method::POST, USERS)])
        .route("/admin/users/{id}", get(user).post(update_user), &[(Method::GET, USERS), (Method::POST, USERS)])
        .route("/admin/users/{id}/active", post(set_active), &[(Method::POST, USERS)])
        .route("/admin/users/{id}/password", post(reset_password), &[(Method::POST, USERS)])
        .route("/admin/users/{id}/totp", post(reset_totp), &[(Method::POST, USERS)])
        .route("/admin/users/{id}/sessions", post(revoke_sessions), &[(Method::POST, USERS)])
        .route("/admin/users/{id}/tokens", post(create_token), &[(Method::POST, USERS)])
        .route("/admin/tokens/{id}/revoke", post(revoke_token), &[(Method::POST, USERS)])
        .route("/account", get(account), &[(Method::GET, Guard::User)])
        .route("/account/password", post(change_password), &[(Method::POST, Guard::User)])
        .route("/account/totp", post(enable_totp), &[(Method::POST, Guard::User)])
        .route("/account/totp/disable", post(disable_totp), &[(Method::POST, Guard::User)])
        .route("/audit", get(audit), &[(Method::GET, AUDIT)])
        .route("/audit/export", get(audit_export), &[(Method::GET, AUDIT)])
}

/// 200 for a form shown clean, 422 when it comes back with errors.
fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

/// One row of the permissions matrix: a permission, its data class and a mark per role.
pub struct MatrixRow {
    /// Permission label.
    pub permission: String,
    /// Data class label.
    pub class: String,
    /// Granted, in the order of [`Role::ALL`].
    pub granted: Vec<bool>,
}

fn matrix_rows(tr: Tr) -> Vec<MatrixRow> {
    Permission::ALL
        .iter()
        .map(|p| MatrixRow {
            permission: tr.l(p).to_string(),
            class: tr.l(&p.data_class()).to_string(),
            granted: MATRIX.iter().map(|(_, ps)| ps.contains(p)).collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserSummary>,
    roles: Vec<Opt>,
    role_names: Vec<String>,
    matrix: Vec<MatrixRow>,
    form: NewUserForm,
    errors: FieldErrors,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct NewUserForm {
    username: String,
    display_name: Option<String>,
    role: String,
    unit_code: String,
    password: String,
}

async fn users_page(s: &AppState, tr: Tr, p: &PageActor, form: NewUserForm, errors: FieldErrors) -> PageResult {
    let users = accounts::list_users(&s.ctx, &p.actor).await.lang(tr)?;
    let page = UsersPage {
        c: Chrome::new(tr, p, "admin", tr.t("admin.users")),
        users,
        roles: enum_opts(tr, Role::ALL, Some(form.role.as_str())),
        role_names: MATRIX.iter().map(|(r, _)| tr.l(r).to_string()).collect(),
        matrix: matrix_rows(tr),
        form,
        errors,
    };
    let status = form_status(&page.errors);
    Ok(render_status(&page, status))
}

/// `GET /admin/users`.
pub async fn users(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    let form = NewUserForm { role: Role::CommuneOfficer.code().into(), ..Default::default() };
    users_page(&s, tr, &p, form, FieldErrors::new()).await
}

/// `POST /admin/users`.
pub async fn create_user(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<NewUserForm>) -> PageResult {
    let a = NewAccount {
        username: f.username.clone(),
        display_name: blank_none(&f.display_name),
        role: f.role.clone(),
        unit_code: f.unit_code.clone(),
        password: f.password.clone(),
    };
    match form_errors(accounts::create_user(&s.ctx, &p.actor, &a).await, tr)? {
        Ok(id) => Ok(super::see_other(&format!("/admin/users/{id}"))),
        Err(errors) => users_page(&s, tr, &p, NewUserForm { password: String::new(), ..f }, errors).await,
    }
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    c: Chrome,
    u: UserSummary,
    roles: Vec<Opt>,
    tokens: Vec<TokenRow>,
    errors: FieldErrors,
    flash: Option<String>,
    new_token: Option<String>,
}

async fn user_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: i64,
    errors: FieldErrors,
    flash: Option<String>,
    new_token: Option<String>,
) -> PageResult {
    let u = accounts::get_user(&s.ctx, &p.actor, id).await.lang(tr)?;
    let tokens = accounts::list_tokens(&s.ctx, &p.actor, Some(id)).await.lang(tr)?;
    let status = form_status(&errors);
    let page = UserPage {
        c: Chrome::new(tr, p, "admin", u.username.clone()),
        roles: enum_opts(tr, Role::ALL, Some(u.role.as_str())),
        u,
        tokens,
        errors,
        flash,
        new_token,
    };
    Ok(render_status(&page, status))
}

#[derive(serde::Deserialize)]
pub struct Flash {
    done: Option<String>,
}

/// `GET /admin/users/{id}`.
pub async fn user(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Query(f): Query<Flash>,
) -> PageResult {
    let flash = f.done.map(|k| tr.t(&format!("admin.done.{k}")).to_string());
    user_page(&s, tr, &p, id, FieldErrors::new(), flash, None).await
}

/// `POST /admin/users/{id}`: role, unit, name.
pub async fn update_user(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<AccountChange>,
) -> PageResult {
    match form_errors(accounts::update_user(&s.ctx, &p.actor, id, &f).await, tr)? {
        Ok(_) => Ok(super::see_other(&format!("/admin/users/{id}?done=updated"))),
        Err(errors) => user_page(&s, tr, &p, id, errors, None, None).await,
    }
}

#[derive(serde::Deserialize)]
pub struct ActiveForm {
    active: String,
}

/// `POST /admin/users/{id}/active`.
pub async fn set_active(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> PageResult {
    let active = f.active == "true";
    accounts::set_active(&s.ctx, &p.actor, id, active).await.lang(tr)?;
    Ok(super::see_other(&format!("/admin/users/{id}?done={}", if active { "enabled" } else { "disabled" })))
}

#[derive(serde::Deserialize)]
pub struct PasswordForm {
    password: String,
}

/// `POST /admin/users/{id}/password`.
pub async fn reset_password(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    match form_errors(accounts::reset_password(&s.ctx, &p.actor, id, &f.password).await, tr)? {
        Ok(()) => Ok(super::see_other(&format!("/admin/users/{id}?done=password"))),
        Err(errors) => user_page(&s, tr, &p, id, errors, None, None).await,
    }
}

/// `POST /admin/users/{id}/totp`: turns the user's two-step login off.
pub async fn reset_totp(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    accounts::reset_totp(&s.ctx, &p.actor, id).await.lang(tr)?;
    Ok(super::see_other(&format!("/admin/users/{id}?done=totp")))
}

/// `POST /admin/users/{id}/sessions`.
pub async fn revoke_sessions(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    accounts::revoke_sessions(&s.ctx, &p.actor, id).await.lang(tr)?;
    Ok(super::see_other(&format!("/admin/users/{id}?done=sessions")))
}

#[derive(serde::Deserialize)]
pub struct TokenForm {
    name: String,
    read_only: Option<String>,
    expires_in_days: Option<String>,
}

/// `POST /admin/users/{id}/tokens`: the new token is shown once, on this response only.
pub async fn create_token(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<TokenForm>,
) -> PageResult {
    let u = accounts::get_user(&s.ctx, &p.actor, id).await.lang(tr)?;
    let mut errors = FieldErrors::new();
    let days = super::form_int(&mut errors, "expires_in_days", tr.t("token.expires_in_days"), &f.expires_in_days);
    if !errors.is_empty() {
        return user_page(&s, tr, &p, id, errors, None, None).await;
    }
    let o = TokenOptions { name: f.name, read_only: f.read_only.as_deref() == Some("true"), expires_in_days: days };
    match form_errors(accounts::create_token(&s.ctx, &p.actor, &u.username, &o).await, tr)? {
        Ok(token) => user_page(&s, tr, &p, id, FieldErrors::new(), None, Some(token)).await,
        Err(errors) => user_page(&s, tr, &p, id, errors, None, None).await,
    }
}

/// `POST /admin/tokens/{id}/revoke`.
pub async fn revoke_token(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    let t = accounts::revoke_token(&s.ctx, &p.actor, id).await.lang(tr)?;
    Ok(super::see_other(&format!("/admin/users/{}?done=token_revoked", t.user_id)))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    totp_on: bool,
    enrol_secret: String,
    enrol_uri: String,
    recovery: Vec<String>,
    errors: FieldErrors,
    flash: Option<String>,
}

async fn account_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    errors: FieldErrors,
    flash: Option<String>,
    recovery: Vec<String>,
) -> PageResult {
    let totp_on = totp::is_enabled(&s.ctx, &p.actor).await.lang(tr)?;
    let e = totp::new_enrolment(&p.actor);
    let status = form_status(&errors);
    let page = AccountPage {
        c: Chrome::new(tr, p, "account", tr.t("account.title")),
        totp_on,
        enrol_secret: e.secret,
        enrol_uri: e.uri,
        recovery,
        errors,
        flash,
    };
    Ok(render_status(&page, status))
}

/// `GET /account`.
pub async fn account(State(s): State<AppState>, tr: Tr, p: PageActor, Query(f): Query<Flash>) -> PageResult {
    let flash = f.done.map(|k| tr.t(&format!("account.done.{k}")).to_string());
    account_page(&s, tr, &p, FieldErrors::new(), flash, Vec::new()).await
}

#[derive(serde::Deserialize)]
pub struct OwnPasswordForm {
    current_password: String,
    password: String,
    password2: String,
}

/// `POST /account/password`: ends every session, this one included.
pub async fn change_password(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Form(f): Form<OwnPasswordForm>,
) -> PageResult {
    if f.password != f.password2 {
        let e = FieldErrors::single("password", tr.t("setup.mismatch"));
        return account_page(&s, tr, &p, e, None, Vec::new()).await;
    }
    match form_errors(accounts::change_own_password(&s.ctx, &p.actor, &f.current_password, &f.password).await, tr)? {
        Ok(()) => Ok(super::see_other("/login")),
        Err(errors) => account_page(&s, tr, &p, errors, None, Vec::new()).await,
    }
}

#[derive(serde::Deserialize)]
pub struct TotpForm {
    secret: Option<String>,
    code: String,
}

/// `POST /account/totp`: turns two-step login on; shows the recovery codes once.
pub async fn enable_totp(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<TotpForm>) -> PageResult {
    let secret = f.secret.unwrap_or_default();
    match form_errors(totp::enable(&s.ctx, &p.actor, &secret, &f.code).await, tr)? {
        Ok(codes) => {
            account_page(&s, tr, &p, FieldErrors::new(), Some(tr.t("account.done.totp_on").into()), codes).await
        }
        Err(errors) => account_page(&s, tr, &p, errors, None, Vec::new()).await,
    }
}

/// `POST /account/totp/disable`.
pub async fn disable_totp(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<TotpForm>) -> PageResult {
    match form_errors(totp::disable(&s.ctx, &p.actor, &f.code).await, tr)? {
        Ok(()) => Ok(super::see_other("/account?done=totp_off")),
        Err(errors) => account_page(&s, tr, &p, errors, None, Vec::new()).await,
    }
}

/// Filters of the audit page, with paging.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AuditParams {
    #[serde(flatten)]
    q: AuditQuery,
    /// Text, not a number: `flatten` hands every value over as text.
    page: Option<String>,
    format: Option<String>,
}

impl AuditParams {
    fn base_query(&self) -> String {
        let q = &self.q;
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(&[
            ("province", v(&q.province)),
            ("commune", v(&q.commune)),
            ("username", v(&q.username)),
            ("unit", v(&q.unit)),
            ("action", v(&q.action)),
            ("object_type", v(&q.object_type)),
            ("object_id", v(&q.object_id)),
            ("from", v(&q.from)),
            ("to", v(&q.to)),
        ])
    }
}

/// An entry as shown.
pub struct AuditRow {
    /// The entry.
    pub e: AuditEntry,
    /// Action label.
    pub action: String,
    /// Changes, one line each.
    pub changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<AuditRow>,
    total: i64,
    pager: Pager,
    actions: Vec<Opt>,
    f: AuditQuery,
    base: String,
}

/// `GET /audit`.
pub async fn audit(State(s): State<AppState>, tr: Tr, p: PageActor, Query(params): Query<AuditParams>) -> PageResult {
    let page = antq_domain::page::PageRequest::new(params.page.as_deref().and_then(|p| p.parse().ok()), Some(50));
    let list = antq_app::audit::list(&s.ctx, &p.actor, &params.q, page).await.lang(tr)?;
    let base = params.base_query();
    let pager = Pager::new(&list, &base);
    let total = list.total;
    let rows = list
        .items
        .into_iter()
        .map(|e| AuditRow {
            action: AuditAction::from_code(&e.action).map(|a| tr.l(&a).to_string()).unwrap_or_else(|| e.action.clone()),
            changes: e.change_list().iter().map(|c| c.to_string()).collect(),
            e,
        })
        .collect();
    let page = AuditPage {
        c: Chrome::new(tr, &p, "audit", tr.t("audit.title")),
        rows,
        total,
        pager,
        actions: enum_opts(tr, AuditAction::ALL, params.q.action.as_deref()),
        f: params.q,
        base,
    };
    Ok(super::render(&page))
}

/// `GET /audit/export?format=xlsx|csv&…filters`.
pub async fn audit_export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(params): Query<AuditParams>,
) -> Result<Response, crate::error::PageError> {
    let format = format_or_xlsx(params.format.as_deref()).lang(tr)?;
    let bytes = antq_app::audit::export(&s.ctx, &p.actor, &params.q, format).await.lang(tr)?;
    Ok(download(bytes, format, "nhat-ky"))
}
