//! Accounts: passwords, browser sessions, API tokens, the first-run setup link and user
//! administration. Every change to an account, every login, logout and failed login writes an
//! audit entry in the same transaction.

use std::time::Instant;

use antq_domain::FieldErrors;
use antq_domain::access::{Permission, Role};
use antq_domain::audit::AuditAction;
use antq_domain::model::Change;
use antq_domain::unit::UnitLevel;
pub use antq_store::users::TokenRow;
use antq_store::users::{self, NewToken, NewUser, UserRow};
use antq_store::{StoreError, Tx, units};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::throttle::{ACCOUNT, ADDRESS};
use crate::{Actor, AppCtx, AppError, AppResult};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;

/// A fresh random secret (256 bits, hex).
pub fn random_secret() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// SHA-256 of a secret, hex: what the database keeps instead of the secret.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Hashes a password with argon2id.
pub fn hash_password(password: &str) -> AppResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

static COMMON_PASSWORDS: std::sync::LazyLock<std::collections::HashSet<String>> = std::sync::LazyLock::new(|| {
    include_str!("common_passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(antq_domain::text::fold)
        .collect()
});

/// Checks a new password for `username`; the message is shown under the password field.
pub fn check_password(password: &str, username: &str) -> Result<(), FieldErrors> {
    let bad = |m: String| Err(FieldErrors::single("password", m));
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        return bad(format!("Mật khẩu phải có ít nhất {MIN_PASSWORD_LEN} ký tự."));
    }
    if n > 256 {
        return bad("Mật khẩu dài quá 256 ký tự.".into());
    }
    let folded = antq_domain::text::fold(password).replace(' ', "");
    let distinct = password.chars().collect::<std::collections::HashSet<_>>().len();
    if COMMON_PASSWORDS.contains(&folded) || distinct < 5 {
        return bad("Mật khẩu này quá phổ biến hoặc quá đơn giản; hãy chọn mật khẩu khác.".into());
    }
    let user = antq_domain::text::fold(username);
    if user.len() >= 3 && folded.contains(&user) {
        return bad("Mật khẩu không được chứa tên đăng nhập.".into());
    }
    Ok(())
}

/// A logged-in browser session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The secret for the cookie (shown once, stored hashed).
    pub token: String,
    /// The CSRF token forms must echo.
    pub csrf: String,
    /// Who logged in.
    pub actor: Actor,
}

/// A login attempt.
#[derive(Clone, Debug, Default)]
pub struct LoginAttempt {
    /// Login name as typed.
    pub username: String,
    /// Password.
    pub password: String,
    /// Six-digit code or a recovery code, for accounts with two-step login.
    pub code: Option<String>,
    /// Client address, for throttling only (never stored).
    pub client: Option<String>,
    /// Request id, for the audit entry.
    pub request_id: Option<String>,
}

fn wait_error(wait: std::time::Duration) -> AppError {
    AppError::TooManyAttempts(wait.as_secs().max(1) + u64::from(wait.subsec_nanos() > 0))
}

/// Checks a username and password (and the second factor when the account has one) and opens
/// a new session. Unknown users and wrong passwords take the same time and give the same
/// answer; repeated failures are throttled per account and per client address.
#[tracing::instrument(skip_all)]
pub async fn login(ctx: &AppCtx, a: &LoginAttempt) -> AppResult<Session> {
    let username = a.username.trim();
    let account_key = format!("u:{}", username.to_lowercase());
    let address_key = a.client.as_deref().map(|c| format!("a:{c}"));
    let t0 = Instant::now();
    for key in std::iter::once(&account_key).chain(address_key.as_ref()) {
        ctx.throttle.check(key, t0).map_err(wait_error)?;
    }
    let user = match users::by_username(&ctx.db, username).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let hash = user.as_ref().map(|u| u.password_hash.as_str()).unwrap_or(DUMMY_HASH.as_str());
    let password_ok = verify_password(&a.password, hash);
    let second = match &user {
        Some(u) if password_ok => crate::totp::check_second_factor(u, a.code.as_deref(), ctx.now()),
        _ => crate::totp::SecondFactor::Failed,
    };
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let user = match (user, second) {
        (Some(u), crate::totp::SecondFactor::Ok { remaining_recovery }) if u.active => {
            if let Some(rest) = remaining_recovery {
                users::set_totp(&mut tx, u.id, u.totp_secret.as_deref(), Some(&rest), now).await?;
            }
            u
        }
        (user, _) => {
            let who = user.as_ref().map(|u| (Some(u.id), u.username.as_str(), u.unit_code.as_str()));
            let target = user.as_ref().map(user_target).unwrap_or(Target {
                kind: "user",
                id: None,
                province: None,
                commune: None,
            });
            let why = match &user {
                None => "tên đăng nhập không tồn tại",
                Some(u) if !u.active => "tài khoản đã bị khoá",
                Some(_) if !password_ok => "sai mật khẩu",
                Some(_) => "sai mã xác thực hai bước",
            };
            let who = who.unwrap_or((None, "?", ""));
            let changes = audit::note("reason", why);
            audit::record_by(&mut tx, ctx, who, a.request_id.clone(), AuditAction::LoginFailed, target, &changes)
                .await?;
            tx.commit().await?;
            let t = Instant::now();
            ctx.throttle.fail(&account_key, ACCOUNT, t);
            if let Some(k) = &address_key {
                ctx.throttle.fail(k, ADDRESS, t);
            }
            return Err(AppError::Unauthenticated);
        }
    };
    ctx.throttle.clear(&account_key);
    let token = random_secret();
    let csrf = random_secret();
    users::insert_session(&mut tx, &secret_hash(&token), user.id, &csrf, now, now + idle(ctx)).await?;
    let actor = Actor { request_id: a.request_id.clone(), ..Actor::from_user(&user)? };
    audit::record(&mut tx, ctx, &actor, AuditAction::Login, user_target(&user), &[]).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, "login");
    Ok(Session { token, csrf, actor })
}

/// An argon2id hash of a random password, verified against when the user does not exist so
/// that both cases cost the same.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_secret()).unwrap_or_default());

fn idle(ctx: &AppCtx) -> chrono::Duration {
    chrono::Duration::from_std(ctx.settings.session_idle).unwrap_or(chrono::Duration::hours(8))
}

fn user_target(u: &UserRow) -> Target {
    Target::placed("user", u.id, &u.province_code, u.commune_code.as_deref())
}

/// The actor and CSRF token behind a session cookie; extends the session.
pub async fn session(ctx: &AppCtx, token: &str) -> AppResult<(Actor, String)> {
    let now = ctx.now();
    match users::touch_session(&ctx.db, &secret_hash(token), now, now + idle(ctx)).await {
        Ok((user, csrf)) => Ok((Actor::from_user(&user)?, csrf)),
        Err(StoreError::NotFound) => Err(AppError::Unauthenticated),
        Err(e) => Err(e.into()),
    }
}

/// Ends a session.
#[tracing::instrument(skip_all)]
pub async fn logout(ctx: &AppCtx, actor: &Actor, token: &str) -> AppResult<()> {
    let mut tx = ctx.db.begin().await?;
    if let Some(user_id) = users::delete_session(&mut tx, &secret_hash(token)).await? {
        let (province, commune) = actor.place();
        let target = Target { kind: "user", id: Some(user_id.to_string()), province, commune };
        audit::record(&mut tx, ctx, actor, AuditAction::Logout, target, &[]).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The actor behind an API token (read-only tokens give a read-only actor).
pub async fn token_actor(ctx: &AppCtx, token: &str) -> AppResult<Actor> {
    match users::user_by_token(&ctx.db, &secret_hash(token), ctx.now()).await {
        Ok((u, read_only)) => Ok(Actor { read_only, ..Actor::from_user(&u)? }),
        Err(StoreError::NotFound) => Err(AppError::Unauthenticated),
        Err(e) => Err(e.into()),
    }
}

/// Data for a new account.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct NewAccount {
    /// Login name.
    pub username: String,
    /// Display name (defaults to the login name).
    pub display_name: Option<String>,
    /// Role code.
    pub role: String,
    /// Unit code (province or commune).
    pub unit_code: String,
    /// Password.
    pub password: String,
}

/// A role and unit, checked: (role, province, commune).
async fn check_role_unit(
    ctx: &AppCtx,
    role: &str,
    unit_code: &str,
    e: &mut FieldErrors,
) -> AppResult<Option<(Role, String, Option<String>)>> {
    let role_parsed = Role::parse_loose(role);
    if role_parsed.is_none() {
        let codes = Role::ALL.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ");
        e.add("role", format!("Vai trò «{role}» không tồn tại. Chọn: {codes}."));
    }
    let unit = match units::get(&ctx.db, unit_code.trim()).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => {
            e.add("unit", format!("Không có đơn vị hành chính mã «{}».", unit_code.trim()));
            None
        }
        Err(err) => return Err(err.into()),
    };
    let (Some(role), Some(unit)) = (role_parsed, unit) else { return Ok(None) };
    if let Some(level) = role.required_unit_level()
        && level != unit.level
    {
        let want = if level == UnitLevel::Province {
            "một tỉnh, thành phố"
        } else {
            "một xã, phường, đặc khu"
        };
        e.add("unit", format!("Vai trò «{}» phải gắn với {want}.", role.label()));
        return Ok(None);
    }
    Ok(Some(match unit.parent_code {
        Some(p) => (role, p, Some(unit.code)),
        None => (role, unit.code, None),
    }))
}

fn check_username(username: &str, e: &mut FieldErrors) {
    if username.len() < 3
        || username.len() > 64
        || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        e.add("username", "Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới.");
    }
}

fn display_name<'a>(given: &'a Option<String>, username: &'a str) -> AppResult<&'a str> {
    let d = given.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(username);
    if d.chars().count() > 200 || d.chars().any(char::is_control) {
        return Err(FieldErrors::single("display_name", "Họ tên dài quá 200 ký tự hoặc có ký tự không hợp lệ.").into());
    }
    Ok(d)
}

async fn validate_account(ctx: &AppCtx, a: &NewAccount) -> AppResult<(Role, String, Option<String>)> {
    let mut e = FieldErrors::new();
    check_username(a.username.trim(), &mut e);
    if let Err(pe) = check_password(&a.password, a.username.trim()) {
        e.0.extend(pe.0);
    }
    let checked = check_role_unit(ctx, &a.role, &a.unit_code, &mut e).await?;
    match checked {
        Some(c) if e.is_empty() => Ok(c),
        _ => Err(AppError::Invalid(e)),
    }
}

fn account_changes(u: &NewUser<'_>) -> Vec<Change> {
    let set = |f: &str, v: &str| Change { field: f.into(), before: None, after: Some(v.to_string()) };
    vec![
        set("username", u.username),
        set("display_name", u.display_name),
        set("role", u.role),
        set("unit", u.unit_code),
    ]
}

/// Creates an account (administrators only).
#[tracing::instrument(skip_all)]
pub async fn create_user(ctx: &AppCtx, actor: &Actor, a: &NewAccount) -> AppResult<i64> {
    actor.require(Permission::ManageUsers)?;
    let (role, province, commune) = validate_account(ctx, a).await?;
    let hash = hash_password(&a.password)?;
    let username = a.username.trim();
    let new = NewUser {
        username,
        display_name: display_name(&a.display_name, username)?,
        password_hash: &hash,
        role: role.code(),
        unit_code: a.unit_code.trim(),
        province_code: &province,
        commune_code: commune.as_deref(),
    };
    let mut tx = ctx.db.begin().await?;
    let id = match users::insert(&mut tx, &new, ctx.now()).await {
        Ok(id) => id,
        Err(StoreError::Conflict) => {
            return Err(AppError::Invalid(FieldErrors::single(
                "username",
                format!("Tên đăng nhập «{username}» đã có."),
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let target = Target::placed("user", id, &province, commune.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &account_changes(&new)).await?;
    tx.commit().await?;
    tracing::info!(user_id = id, "user created");
    Ok(id)
}

/// Options of a new API token.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct TokenOptions {
    /// What it is for.
    pub name: String,
    /// Refuse every change.
    #[serde(default)]
    pub read_only: bool,
    /// Days until it stops working (`None`: until revoked).
    pub expires_in_days: Option<i64>,
}

/// Creates an API token for `username` (administrators only); returns the secret, which is
/// shown once and stored hashed.
#[tracing::instrument(skip_all)]
pub async fn create_token(ctx: &AppCtx, actor: &Actor, username: &str, o: &TokenOptions) -> AppResult<String> {
    actor.require(Permission::ManageUsers)?;
    let user = users::by_username(&ctx.db, username.trim()).await.not_found_as("tài khoản")?;
    let mut e = FieldErrors::new();
    let name = o.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        e.add("name", "Tên khoá API gồm 1–100 ký tự.");
    }
    if let Some(d) = o.expires_in_days
        && !(1..=3650).contains(&d)
    {
        e.add("expires_in_days", "Thời hạn khoá API từ 1 đến 3.650 ngày.");
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let token = format!("antq_{}", random_secret());
    let now = ctx.now();
    let expires_at = o.expires_in_days.map(|d| now + chrono::Duration::days(d));
    let new = NewToken { user_id: user.id, token_hash: &secret_hash(&token), name, read_only: o.read_only, expires_at };
    let mut tx = ctx.db.begin().await?;
    let id = users::insert_token(&mut tx, &new, now).await?;
    let mut changes = audit::note("token", format!("#{id} «{name}»"));
    changes.extend(audit::note("read_only", o.read_only.to_string()));
    if let Some(t) = expires_at {
        changes.extend(audit::note("expires_at", t.to_rfc3339()));
    }
    audit::record(&mut tx, ctx, actor, AuditAction::TokenCreate, user_target(&user), &changes).await?;
    tx.commit().await?;
    Ok(token)
}

/// API tokens (never their secrets), optionally of one user.
pub async fn list_tokens(ctx: &AppCtx, actor: &Actor, user_id: Option<i64>) -> AppResult<Vec<TokenRow>> {
    actor.require(Permission::ManageUsers)?;
    Ok(users::list_tokens(&ctx.db, user_id).await?)
}

/// Revokes an API token; it stops working at once.
#[tracing::instrument(skip_all, fields(id))]
pub async fn revoke_token(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<TokenRow> {
    actor.require(Permission::ManageUsers)?;
    let t = users::token(&ctx.db, id).await.not_found_as("khoá API")?;
    if t.revoked_at.is_some() {
        return Ok(t);
    }
    let owner = users::by_id(&ctx.db, t.user_id).await?;
    let mut tx = ctx.db.begin().await?;
    users::revoke_token(&mut tx, id, ctx.now()).await?;
    let changes = audit::note("token", format!("#{id} «{}»", t.name));
    audit::record(&mut tx, ctx, actor, AuditAction::TokenRevoke, user_target(&owner), &changes).await?;
    tx.commit().await?;
    Ok(users::token(&ctx.db, id).await?)
}

/// When no account exists yet, creates a one-time setup secret and returns it (the caller
/// prints the link). Returns `None` once an account exists.
pub async fn setup_secret_if_needed(ctx: &AppCtx) -> AppResult<Option<String>> {
    if users::count(&ctx.db).await? > 0 {
        return Ok(None);
    }
    let secret = random_secret();
    users::insert_setup_token(&ctx.db, &secret_hash(&secret), ctx.now()).await?;
    Ok(Some(secret))
}

/// Whether a setup secret can still be used.
pub async fn setup_secret_valid(ctx: &AppCtx, secret: &str) -> AppResult<bool> {
    Ok(users::count(&ctx.db).await? == 0 && users::setup_token_valid(&ctx.db, &secret_hash(secret)).await?)
}

/// Uses the setup secret to create the first administrator.
#[tracing::instrument(skip_all)]
pub async fn complete_setup(ctx: &AppCtx, secret: &str, a: &NewAccount) -> AppResult<i64> {
    let a = NewAccount { role: Role::Admin.code().into(), ..a.clone() };
    let (_, province, commune) = validate_account(ctx, &a).await?;
    let hash = hash_password(&a.password)?;
    let username = a.username.trim();
    let new = NewUser {
        username,
        display_name: display_name(&a.display_name, username)?,
        password_hash: &hash,
        role: Role::Admin.code(),
        unit_code: a.unit_code.trim(),
        province_code: &province,
        commune_code: commune.as_deref(),
    };
    let mut tx = ctx.db.begin().await?;
    let id = match users::consume_setup_token(&mut tx, &secret_hash(secret), &new, ctx.now()).await {
        Ok(id) => id,
        Err(StoreError::NotFound | StoreError::Conflict) => {
            return Err(AppError::Forbidden("Liên kết thiết lập không còn hiệu lực.".into()));
        }
        Err(e) => return Err(e.into()),
    };
    let who = (Some(id), username, a.unit_code.trim());
    let target = Target::placed("user", id, &province, commune.as_deref());
    audit::record_by(&mut tx, ctx, who, None, AuditAction::Create, target, &account_changes(&new)).await?;
    tx.commit().await?;
    Ok(id)
}

/// An account as listed to administrators.
#[derive(Clone, Debug, serde::Serialize)]
pub struct UserSummary {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Role label.
    pub role_label: String,
    /// Unit code.
    pub unit_code: String,
    /// Can log in.
    pub active: bool,
    /// Two-step login is on.
    pub totp: bool,
}

impl From<UserRow> for UserSummary {
    fn from(u: UserRow) -> Self {
        UserSummary {
            id: u.id,
            role_label: Role::from_code(&u.role).map(|r| r.label()).unwrap_or("?").to_string(),
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            unit_code: u.unit_code,
            active: u.active,
            totp: u.totp_secret.is_some(),
        }
    }
}

/// All accounts (administrators only), without password hashes.
pub async fn list_users(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<UserSummary>> {
    actor.require(Permission::ManageUsers)?;
    let rows = users::list(&ctx.db, actor.scope.province(), actor.scope.commune()).await?;
    Ok(rows.into_iter().map(UserSummary::from).collect())
}

/// One account (administrators only).
pub async fn get_user(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<UserSummary> {
    Ok(managed_user(ctx, actor, id).await?.into())
}

async fn managed_user(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<UserRow> {
    actor.require(Permission::ManageUsers)?;
    let u = users::by_id(&ctx.db, id).await.not_found_as("tài khoản")?;
    actor.require_in_scope(Permission::ManageUsers, &u.province_code, u.commune_code.as_deref())?;
    Ok(u)
}

/// Changes to an account's role, unit and name.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AccountChange {
    /// Display name.
    pub display_name: Option<String>,
    /// Role code.
    pub role: String,
    /// Unit code.
    pub unit_code: String,
}

/// Changes role, unit or name. A change of role or unit ends the user's sessions, so the new
/// rights apply from the next login only (sessions rotate on privilege change).
#[tracing::instrument(skip_all, fields(id))]
pub async fn update_user(ctx: &AppCtx, actor: &Actor, id: i64, c: &AccountChange) -> AppResult<UserSummary> {
    let u = managed_user(ctx, actor, id).await?;
    let mut e = FieldErrors::new();
    let checked = check_role_unit(ctx, &c.role, &c.unit_code, &mut e).await?;
    let Some((role, province, commune)) = checked.filter(|_| e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    if actor.user_id == Some(id) && role != Role::Admin {
        return Err(FieldErrors::single("role", "Không thể tự bỏ quyền quản trị của chính mình.").into());
    }
    let new = NewUser {
        username: &u.username,
        display_name: display_name(&c.display_name, &u.username)?,
        password_hash: &u.password_hash,
        role: role.code(),
        unit_code: c.unit_code.trim(),
        province_code: &province,
        commune_code: commune.as_deref(),
    };
    let mut changes = Vec::new();
    let mut cmp = |f: &str, b: &str, a: &str| {
        if a != b {
            changes.push(Change { field: f.into(), before: Some(b.into()), after: Some(a.into()) })
        }
    };
    cmp("display_name", &u.display_name, new.display_name);
    cmp("role", &u.role, new.role);
    cmp("unit", &u.unit_code, new.unit_code);
    if changes.is_empty() {
        return Ok(u.into());
    }
    let privilege = u.role != new.role || u.unit_code != new.unit_code;
    let mut tx = ctx.db.begin().await?;
    users::update_account(&mut tx, id, &new, ctx.now()).await?;
    if privilege {
        users::delete_sessions_of(&mut tx, id).await?;
    }
    let action = if privilege { AuditAction::PermissionChange } else { AuditAction::Update };
    let target = Target::placed("user", id, &province, commune.as_deref());
    audit::record(&mut tx, ctx, actor, action, target, &changes).await?;
    tx.commit().await?;
    get_user(ctx, actor, id).await
}

/// Disables (or re-enables) an account. A disabled account's sessions end and its API tokens
/// stop working at once.
#[tracing::instrument(skip_all, fields(id))]
pub async fn set_active(ctx: &AppCtx, actor: &Actor, id: i64, active: bool) -> AppResult<UserSummary> {
    let u = managed_user(ctx, actor, id).await?;
    if actor.user_id == Some(id) && !active {
        return Err(AppError::Conflict("Không thể tự khoá tài khoản của chính mình.".into()));
    }
    if u.active == active {
        return Ok(u.into());
    }
    let mut tx = ctx.db.begin().await?;
    users::set_active(&mut tx, id, active, ctx.now()).await?;
    users::delete_sessions_of(&mut tx, id).await?;
    let action = if active { AuditAction::Enable } else { AuditAction::Disable };
    let change = Change { field: "active".into(), before: Some(u.active.to_string()), after: Some(active.to_string()) };
    audit::record(&mut tx, ctx, actor, action, user_target(&u), &[change]).await?;
    tx.commit().await?;
    get_user(ctx, actor, id).await
}

/// Sets a new password chosen by an administrator and ends the user's sessions.
#[tracing::instrument(skip_all, fields(id))]
pub async fn reset_password(ctx: &AppCtx, actor: &Actor, id: i64, password: &str) -> AppResult<()> {
    let u = managed_user(ctx, actor, id).await?;
    check_password(password, &u.username)?;
    let hash = hash_password(password)?;
    let mut tx = ctx.db.begin().await?;
    users::set_password(&mut tx, id, &hash, ctx.now()).await?;
    users::delete_sessions_of(&mut tx, id).await?;
    audit::record(&mut tx, ctx, actor, AuditAction::PasswordReset, user_target(&u), &[]).await?;
    tx.commit().await?;
    Ok(())
}

/// Turns a user's two-step login off (lost phone and recovery codes) and ends their sessions.
#[tracing::instrument(skip_all, fields(id))]
pub async fn reset_totp(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<()> {
    let u = managed_user(ctx, actor, id).await?;
    let mut tx = ctx.db.begin().await?;
    users::set_totp(&mut tx, id, None, None, ctx.now()).await?;
    users::delete_sessions_of(&mut tx, id).await?;
    audit::record(&mut tx, ctx, actor, AuditAction::TotpDisable, user_target(&u), &audit::note("by", "admin")).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of a user; returns how many were open.
#[tracing::instrument(skip_all, fields(id))]
pub async fn revoke_sessions(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<u64> {
    let u = managed_user(ctx, actor, id).await?;
    let mut tx = ctx.db.begin().await?;
    let n = users::delete_sessions_of(&mut tx, id).await?;
    let changes = audit::note("sessions", n.to_string());
    audit::record(&mut tx, ctx, actor, AuditAction::RevokeSessions, user_target(&u), &changes).await?;
    tx.commit().await?;
    Ok(n)
}

/// Changes one's own password (the current one is required) and ends one's other sessions.
#[tracing::instrument(skip_all)]
pub async fn change_own_password(ctx: &AppCtx, actor: &Actor, current: &str, new: &str) -> AppResult<()> {
    let id = actor.user_id.ok_or(AppError::Unauthenticated)?;
    let u = users::by_id(&ctx.db, id).await?;
    if !verify_password(current, &u.password_hash) {
        return Err(FieldErrors::single("current_password", "Mật khẩu hiện tại không đúng.").into());
    }
    check_password(new, &u.username)?;
    let hash = hash_password(new)?;
    let mut tx = ctx.db.begin().await?;
    users::set_password(&mut tx, id, &hash, ctx.now()).await?;
    users::delete_sessions_of(&mut tx, id).await?;
    audit::record(&mut tx, ctx, actor, AuditAction::PasswordReset, user_target(&u), &audit::note("by", "self")).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes `tx` helpers used by the TOTP module.
pub(crate) async fn record_own(tx: &mut Tx, ctx: &AppCtx, actor: &Actor, action: AuditAction) -> AppResult<()> {
    let (province, commune) = actor.place();
    let target = Target { kind: "user", id: actor.user_id.map(|i| i.to_string()), province, commune };
    audit::record(tx, ctx, actor, action, target, &[]).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("một mật khẩu đủ dài").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("một mật khẩu đủ dài", &h));
        assert!(!verify_password("sai mật khẩu", &h));
        assert!(!verify_password("x", &DUMMY_HASH));
    }

    #[test]
    fn weak_passwords_refused() {
        assert!(check_password("ngắn", "u").is_err());
        assert!(check_password("Password1234", "u").is_err(), "common");
        assert!(check_password("MẬT KHẨU 12345", "u").is_err(), "common after folding");
        assert!(check_password("aaaaaaaaaaaaab", "u").is_err(), "too few distinct characters");
        assert!(check_password("canbo.xa-2026!", "canbo.xa").is_err(), "contains the username");
        assert!(check_password("đủ-dài-rồi-đấy", "u").is_ok());
    }
}
