//! `/api/v1/users`, `/api/v1/tokens`, `/api/v1/access` and `/api/v1/audit`.

use antq_app::accounts::{self, AccountChange, NewAccount, TokenOptions, TokenRow, UserSummary};
use antq_app::audit::AuditQuery;
use antq_domain::access::{MATRIX, Permission};
use antq_domain::audit::AuditEntry;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};

use super::{ApiJson, ApiPath, ApiQuery, ErrorBody, Paging, list_type};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use antq_domain::page::Page;

list_type!(AuditList, AuditEntry);
list_type!(UserList, User);
list_type!(TokenList, Token);
list_type!(RoleGrantsList, RoleGrants);

/// An account (never its password).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Full name.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Unit code.
    pub unit_code: String,
    /// Can log in.
    pub active: bool,
    /// Two-step login on.
    pub totp: bool,
}

impl From<UserSummary> for User {
    fn from(u: UserSummary) -> Self {
        User {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            unit_code: u.unit_code,
            active: u.active,
            totp: u.totp,
        }
    }
}

/// A new account.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Full name.
    pub display_name: Option<String>,
    /// Role code.
    pub role: String,
    /// Unit code (province or commune).
    pub unit_code: String,
    /// Password (at least 12 characters, not a common one).
    pub password: String,
}

/// Changes to an account; absent fields stay as they are.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct UserPatch {
    /// Full name.
    pub display_name: Option<String>,
    /// Role code (a change ends the user's sessions).
    pub role: Option<String>,
    /// Unit code (a change ends the user's sessions).
    pub unit_code: Option<String>,
    /// `false` disables the account: sessions and tokens stop working at once.
    pub active: Option<bool>,
}

/// A new password.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct PasswordBody {
    /// The password.
    pub password: String,
}

/// An API token as listed (never the secret).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Token {
    /// Id.
    pub id: i64,
    /// Owner id.
    pub user_id: i64,
    /// Owner login name.
    pub username: String,
    /// Name.
    pub name: String,
    /// Read-only.
    pub read_only: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used.
    pub last_used: Option<DateTime<Utc>>,
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenRow> for Token {
    fn from(t: TokenRow) -> Self {
        Token {
            id: t.id,
            user_id: t.user_id,
            username: t.username,
            name: t.name,
            read_only: t.read_only,
            created_at: t.created_at,
            last_used: t.last_used,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A new API token.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    /// What it is for.
    pub name: String,
    /// Refuse every change.
    #[serde(default)]
    pub read_only: bool,
    /// Days until it stops working (1–3650; absent: until revoked).
    pub expires_in_days: Option<i64>,
}

/// The secret of a new token (shown once).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// The token, for `Authorization: Bearer`.
    pub token: String,
}

/// `GET /api/v1/users`.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(Paging),
    responses((status = 200, body = UserList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<UserList>, ApiError> {
    let users = accounts::list_users(&s.ctx, &a).await?.into_iter().map(User::from).collect();
    Ok(Json(Page::slice(users, paging.request()).into()))
}

/// `POST /api/v1/users`.
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let n = NewAccount {
        username: b.username,
        display_name: b.display_name,
        role: b.role,
        unit_code: b.unit_code,
        password: b.password,
    };
    let id = accounts::create_user(&s.ctx, &a, &n).await?;
    Ok((StatusCode::CREATED, Json(accounts::get_user(&s.ctx, &a, id).await?.into())))
}

/// `GET /api/v1/users/{id}`.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(accounts::get_user(&s.ctx, &a, id).await?.into()))
}

/// `PATCH /api/v1/users/{id}`: name, role, unit, active.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "accounts", params(("id" = i64, Path)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_user(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<UserPatch>,
) -> Result<Json<User>, ApiError> {
    let u = accounts::get_user(&s.ctx, &a, id).await?;
    let mut out = u.clone();
    if p.display_name.is_some() || p.role.is_some() || p.unit_code.is_some() {
        let c = AccountChange {
            display_name: p.display_name.or(Some(u.display_name)),
            role: p.role.unwrap_or(u.role),
            unit_code: p.unit_code.unwrap_or(u.unit_code),
        };
        out = accounts::update_user(&s.ctx, &a, id, &c).await?;
    }
    if let Some(active) = p.active {
        out = accounts::set_active(&s.ctx, &a, id, active).await?;
    }
    Ok(Json(out.into()))
}

/// `POST /api/v1/users/{id}/password`: sets a new password and ends the user's sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "accounts", params(("id" = i64, Path)), request_body = PasswordBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reset_password(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    accounts::reset_password(&s.ctx, &a, id, &b.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/users/{id}/revoke-sessions`.
#[utoipa::path(post, path = "/api/v1/users/{id}/revoke-sessions", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_sessions(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    accounts::revoke_sessions(&s.ctx, &a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Filter of the token list.
#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct TokenParams {
    /// Only this account's tokens.
    pub user_id: Option<i64>,
}

/// `GET /api/v1/tokens`.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", params(TokenParams, Paging),
    responses((status = 200, body = TokenList), (status = 403, body = ErrorBody)))]
pub async fn list_tokens(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<TokenParams>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<TokenList>, ApiError> {
    let tokens = accounts::list_tokens(&s.ctx, &a, p.user_id).await?.into_iter().map(Token::from).collect();
    Ok(Json(Page::slice(tokens, paging.request()).into()))
}

/// `POST /api/v1/users/{id}/tokens`: the secret is in this response only.
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", tag = "accounts", params(("id" = i64, Path)), request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let u = accounts::get_user(&s.ctx, &a, id).await?;
    let o = TokenOptions { name: b.name, read_only: b.read_only, expires_in_days: b.expires_in_days };
    let token = accounts::create_token(&s.ctx, &a, &u.username, &o).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token })))
}

/// `POST /api/v1/tokens/{id}/revoke`: the token stops working at once.
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = Token), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Token>, ApiError> {
    Ok(Json(accounts::revoke_token(&s.ctx, &a, id).await?.into()))
}

/// One role with the permissions it grants.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RoleGrants {
    /// Role code.
    pub role: String,
    /// Permission codes.
    pub permissions: Vec<String>,
}

/// `GET /api/v1/access`: the roles/permissions matrix and the caller's own permissions.
#[utoipa::path(get, path = "/api/v1/access", tag = "accounts", params(Paging),
    responses((status = 200, body = RoleGrantsList), (status = 401, body = ErrorBody)))]
pub async fn access(_caller: ApiActor, ApiQuery(paging): ApiQuery<Paging>) -> Json<RoleGrantsList> {
    let roles = MATRIX
        .iter()
        .map(|(r, ps)| RoleGrants {
            role: r.code().into(),
            permissions: ps.iter().map(|p: &Permission| p.code().to_string()).collect(),
        })
        .collect();
    Json(Page::slice(roles, paging.request()).into())
}

/// Filters of the audit list.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct AuditParams {
    /// Province of the object.
    pub province: Option<String>,
    /// Commune of the object.
    pub commune: Option<String>,
    /// Login name.
    pub username: Option<String>,
    /// Unit of the actor (code).
    pub unit: Option<String>,
    /// Action code.
    pub action: Option<String>,
    /// Object type.
    pub object_type: Option<String>,
    /// Object id.
    pub object_id: Option<String>,
    /// First day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD).
    pub to: Option<String>,
    /// Page number.
    pub page: Option<u32>,
    /// Rows per page.
    pub per_page: Option<u32>,
    /// Export format (xlsx or csv), for the export.
    pub format: Option<String>,
}

impl AuditParams {
    fn query(&self) -> AuditQuery {
        AuditQuery {
            province: self.province.clone(),
            commune: self.commune.clone(),
            username: self.username.clone(),
            unit: self.unit.clone(),
            action: self.action.clone(),
            object_type: self.object_type.clone(),
            object_id: self.object_id.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

/// `GET /api/v1/audit`: newest first, in the caller's scope.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn audit(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> Result<Json<AuditList>, ApiError> {
    let page = antq_domain::page::PageRequest::new(p.page, p.per_page);
    Ok(Json(antq_app::audit::list(&s.ctx, &a, &p.query(), page).await?.into()))
}

/// `GET /api/v1/audit/export?format=xlsx|csv&…filters`.
#[utoipa::path(get, path = "/api/v1/audit/export", tag = "audit", params(AuditParams),
    responses((status = 200, description = "Tệp XLSX hoặc CSV"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn audit_export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> Result<Response, ApiError> {
    let format = super::interchange::format_or_xlsx(p.format.as_deref())?;
    let bytes = antq_app::audit::export(&s.ctx, &a, &p.query(), format).await?;
    Ok(super::interchange::download(bytes, format, "nhat-ky"))
}

/// The outcome of a chain check.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// Whether the whole chain is intact.
    pub intact: bool,
    /// Entries checked (when intact).
    pub entries: Option<i64>,
    /// The first broken entry.
    pub first_broken: Option<i64>,
    /// What is wrong, in Vietnamese.
    pub message: String,
}

/// `GET /api/v1/audit/verify`: checks the whole hash chain.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = Verification), (status = 403, body = ErrorBody)))]
pub async fn audit_verify(State(s): State<AppState>, ApiActor(a): ApiActor) -> Result<Json<Verification>, ApiError> {
    Ok(Json(match antq_app::audit::verify(&s.ctx, &a).await? {
        Ok(n) => {
            Verification {
                intact: true, entries: Some(n), first_broken: None, message: "Nhật ký nguyên vẹn.".into()
            }
        }
        Err(e) => Verification { intact: false, entries: None, first_broken: Some(e.entry()), message: e.to_string() },
    }))
}
