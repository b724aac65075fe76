//! Accounts: passwords, browser sessions, API tokens and the first-run setup link.

use antq_domain::FieldErrors;
use antq_domain::access::{Permission, Role};
use antq_domain::unit::UnitLevel;
use antq_store::users::{self, NewUser};
use antq_store::{StoreError, units};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

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

/// Checks a new password; the message is shown under the password field.
pub fn check_password(password: &str) -> Result<(), FieldErrors> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(FieldErrors::single("password", format!("Mật khẩu phải có ít nhất {MIN_PASSWORD_LEN} ký tự.")));
    }
    if password.chars().count() > 256 {
        return Err(FieldErrors::single("password", "Mật khẩu dài quá 256 ký tự."));
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

/// Checks a username and password and opens a session. Unknown users and wrong passwords
/// take the same time and give the same answer.
#[tracing::instrument(skip_all)]
pub async fn login(ctx: &AppCtx, username: &str, password: &str) -> AppResult<Session> {
    let user = match users::by_username(&ctx.db, username.trim()).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let hash = user.as_ref().map(|u| u.password_hash.as_str()).unwrap_or(DUMMY_HASH.as_str());
    let ok = verify_password(password, hash);
    let user = match user {
        Some(u) if ok && u.active => u,
        _ => return Err(AppError::Unauthenticated),
    };
    let token = random_secret();
    let csrf = random_secret();
    let now = ctx.now();
    users::insert_session(&ctx.db, &secret_hash(&token), user.id, &csrf, now, now + idle(ctx)).await?;
    tracing::info!(user_id = user.id, "login");
    Ok(Session { token, csrf, actor: Actor::from_user(&user)? })
}

/// An argon2id hash of a random password, verified against when the user does not exist so
/// that both cases cost the same.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_secret()).unwrap_or_default());

fn idle(ctx: &AppCtx) -> chrono::Duration {
    chrono::Duration::from_std(ctx.settings.session_idle).unwrap_or(chrono::Duration::hours(8))
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
pub async fn logout(ctx: &AppCtx, token: &str) -> AppResult<()> {
    users::delete_session(&ctx.db, &secret_hash(token)).await?;
    Ok(())
}

/// The actor behind an API token.
pub async fn token_actor(ctx: &AppCtx, token: &str) -> AppResult<Actor> {
    match users::user_by_token(&ctx.db, &secret_hash(token), ctx.now()).await {
        Ok(u) => Actor::from_user(&u),
        Err(StoreError::NotFound) => Err(AppError::Unauthenticated),
        Err(e) => Err(e.into()),
    }
}

/// Data for a new account.
#[derive(Clone, Debug, Default)]
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

async fn validate_account(ctx: &AppCtx, a: &NewAccount) -> AppResult<(Role, String, Option<String>)> {
    let mut e = FieldErrors::new();
    let username = a.username.trim();
    if username.len() < 3
        || username.len() > 64
        || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        e.add("username", "Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới.");
    }
    let role = Role::parse_loose(&a.role);
    if role.is_none() {
        e.add(
            "role",
            format!("Vai trò «{}» không tồn tại. Chọn: admin, province_officer, commune_officer, viewer.", a.role),
        );
    }
    if let Err(pe) = check_password(&a.password) {
        e.0.extend(pe.0);
    }
    let unit = match units::get(&ctx.db, a.unit_code.trim()).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => {
            e.add("unit", format!("Không có đơn vị hành chính mã «{}».", a.unit_code.trim()));
            None
        }
        Err(err) => return Err(err.into()),
    };
    if let (Some(role), Some(unit)) = (role, &unit)
        && let Some(level) = role.required_unit_level()
        && level != unit.level
    {
        let want = if level == UnitLevel::Province {
            "một tỉnh, thành phố"
        } else {
            "một xã, phường, đặc khu"
        };
        e.add("unit", format!("Vai trò «{}» phải gắn với {want}.", role.label()));
    }
    match (role, unit) {
        (Some(role), Some(unit)) if e.is_empty() => {
            let (province, commune) = match unit.parent_code {
                Some(p) => (p, Some(unit.code)),
                None => (unit.code, None),
            };
            Ok((role, province, commune))
        }
        _ => Err(AppError::Invalid(e)),
    }
}

/// Creates an account (administrators only).
#[tracing::instrument(skip_all)]
pub async fn create_user(ctx: &AppCtx, actor: &Actor, a: &NewAccount) -> AppResult<i64> {
    actor.require(Permission::ManageUsers)?;
    let (role, province, commune) = validate_account(ctx, a).await?;
    let hash = hash_password(&a.password)?;
    let username = a.username.trim();
    let display = a.display_name.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(username);
    let new = NewUser {
        username,
        display_name: display,
        password_hash: &hash,
        role: role.code(),
        unit_code: a.unit_code.trim(),
        province_code: &province,
        commune_code: commune.as_deref(),
    };
    match users::insert(&ctx.db, &new, ctx.now()).await {
        Ok(id) => {
            tracing::info!(user_id = id, "user created");
            Ok(id)
        }
        Err(StoreError::Conflict) => {
            Err(AppError::Invalid(FieldErrors::single("username", format!("Tên đăng nhập «{username}» đã có."))))
        }
        Err(e) => Err(e.into()),
    }
}

/// Creates an API token for `username` (administrators only); returns the secret, which is
/// shown once and stored hashed.
#[tracing::instrument(skip_all)]
pub async fn create_token(ctx: &AppCtx, actor: &Actor, username: &str, name: &str) -> AppResult<String> {
    actor.require(Permission::ManageUsers)?;
    let user = match users::by_username(&ctx.db, username.trim()).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => return Err(AppError::NotFound("tài khoản")),
        Err(e) => return Err(e.into()),
    };
    let token = format!("antq_{}", random_secret());
    users::insert_token(&ctx.db, user.id, &secret_hash(&token), name, ctx.now()).await?;
    Ok(token)
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
        display_name: a.display_name.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(username),
        password_hash: &hash,
        role: Role::Admin.code(),
        unit_code: a.unit_code.trim(),
        province_code: &province,
        commune_code: commune.as_deref(),
    };
    match users::consume_setup_token(&ctx.db, &secret_hash(secret), &new, ctx.now()).await {
        Ok(id) => Ok(id),
        Err(StoreError::NotFound | StoreError::Conflict) => {
            Err(AppError::Forbidden("Liên kết thiết lập không còn hiệu lực.".into()))
        }
        Err(e) => Err(e.into()),
    }
}

/// All accounts (administrators only), without password hashes.
pub async fn list_users(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<UserSummary>> {
    actor.require(Permission::ManageUsers)?;
    Ok(users::list(&ctx.db)
        .await?
        .into_iter()
        .map(|u| UserSummary {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: Role::from_code(&u.role).map(|r| r.label()).unwrap_or("?").to_string(),
            unit_code: u.unit_code,
            active: u.active,
        })
        .collect())
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
    /// Role label.
    pub role: String,
    /// Unit code.
    pub unit_code: String,
    /// Can log in.
    pub active: bool,
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
    fn short_password_refused() {
        assert!(check_password("ngắn").is_err());
        assert!(check_password("đủ-dài-rồi-đấy").is_ok());
    }
}
