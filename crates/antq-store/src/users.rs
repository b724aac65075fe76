//! Accounts, browser sessions, API tokens and the one-time setup link.
//!
//! Secrets are never stored: sessions, tokens and setup links are kept as SHA-256 hashes of
//! random values, passwords as argon2id hashes (computed by `antq-app`).

use chrono::{DateTime, Utc};

use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

/// A stored account.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role code.
    pub role: String,
    /// Unit the user belongs to.
    pub unit_code: String,
    /// Province of that unit.
    pub province_code: String,
    /// Commune of that unit, when it is a commune.
    pub commune_code: Option<String>,
    /// Can log in.
    pub active: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// TOTP secret (base32), when two-step login is on.
    pub totp_secret: Option<String>,
    /// Hashes of the unused recovery codes, JSON list.
    pub totp_recovery: Option<String>,
}

const USER_COLUMNS: &str = "id, username, display_name, password_hash, role, unit_code, province_code, commune_code, \
     active, created_at, totp_secret, totp_recovery";

/// New account data.
pub struct NewUser<'a> {
    /// Login name.
    pub username: &'a str,
    /// Display name.
    pub display_name: &'a str,
    /// argon2id hash.
    pub password_hash: &'a str,
    /// Role code.
    pub role: &'a str,
    /// Unit.
    pub unit_code: &'a str,
    /// Province.
    pub province_code: &'a str,
    /// Commune.
    pub commune_code: Option<&'a str>,
}

/// Creates an account; `Conflict` if the username is taken.
#[tracing::instrument(skip_all)]
pub async fn insert(tx: &mut Tx, u: &NewUser<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO users (username, display_name, password_hash, role, unit_code, province_code, commune_code, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(u.username).bind(u.display_name).bind(u.password_hash).bind(u.role).bind(u.unit_code).bind(u.province_code)
        .bind(u.commune_code).bind(now).fetch_one(c).await)?)
}

/// An account by login name.
#[tracing::instrument(skip_all)]
pub async fn by_username(db: &Db, username: &str) -> StoreResult<UserRow> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
    Ok(with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(username).fetch_one(p).await)?)
}

/// An account by id.
pub async fn by_id(db: &Db, id: i64) -> StoreResult<UserRow> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    Ok(with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_one(p).await)?)
}

/// Number of accounts.
pub async fn count(db: &Db) -> StoreResult<i64> {
    Ok(with_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?)
}

/// Accounts by name, optionally only those bound to a province (and commune).
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, province: Option<&str>, commune: Option<&str>) -> StoreResult<Vec<UserRow>> {
    let mut q = crate::sql::Sql::new(&format!("SELECT {USER_COLUMNS} FROM users WHERE 1=1"));
    q.and_eq("province_code", province).and_eq("commune_code", commune).push(" ORDER BY username");
    crate::sql::fetch_all(db, &q).await
}

/// Changes role, unit and display name.
#[tracing::instrument(skip_all, fields(id))]
pub async fn update_account(tx: &mut Tx, id: i64, u: &NewUser<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE users SET display_name = $1, role = $2, unit_code = $3, province_code = $4, commune_code = $5, \
         updated_at = $6 WHERE id = $7";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(u.display_name).bind(u.role).bind(u.unit_code).bind(u.province_code)
        .bind(u.commune_code).bind(now).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Enables or disables an account.
#[tracing::instrument(skip_all, fields(id))]
pub async fn set_active(tx: &mut Tx, id: i64, active: bool, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE users SET active = $1, updated_at = $2 WHERE id = $3";
    with_tx!(tx, c => sqlx::query(SQL).bind(active).bind(now).bind(id).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Replaces the password hash.
#[tracing::instrument(skip_all, fields(id))]
pub async fn set_password(tx: &mut Tx, id: i64, hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3";
    with_tx!(tx, c => sqlx::query(SQL).bind(hash).bind(now).bind(id).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Sets or clears (with `None`) the TOTP secret and recovery code hashes.
#[tracing::instrument(skip_all, fields(id))]
pub async fn set_totp(
    tx: &mut Tx,
    id: i64,
    secret: Option<&str>,
    recovery: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "UPDATE users SET totp_secret = $1, totp_recovery = $2, updated_at = $3 WHERE id = $4";
    with_tx!(tx, c => sqlx::query(SQL).bind(secret).bind(recovery).bind(now).bind(id).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Creates a session.
#[tracing::instrument(skip_all)]
pub async fn insert_session(
    tx: &mut Tx,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $4, $4, $5)";
    with_tx!(tx, c => sqlx::query(SQL).bind(token_hash).bind(user_id).bind(csrf).bind(now).bind(expires).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// How often a session's or token's last use is written: reading pages and calling the API
/// must not turn every request into a durable write (each one a `fsync` and a turn of the
/// single SQLite writer). A session's idle expiry is therefore extended at most once a minute.
pub const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(1);

/// Whether a last use recorded at `last` is old enough to be written again at `now`.
fn stale(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last.is_none_or(|l| now - l >= TOUCH_EVERY)
}

/// The active user and CSRF token behind a live session, extending its expiry (written at
/// most once per [`TOUCH_EVERY`]).
#[tracing::instrument(skip_all)]
pub async fn touch_session(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> StoreResult<(UserRow, String)> {
    const FIND: &str = "SELECT user_id, csrf_token, last_seen FROM sessions WHERE token_hash = $1 AND expires_at > $2";
    const TOUCH: &str = "UPDATE sessions SET last_seen = $1, expires_at = $2 WHERE token_hash = $3";
    let (user_id, csrf, last_seen): (i64, String, DateTime<Utc>) =
        with_db!(db, p => sqlx::query_as(FIND).bind(token_hash).bind(now).fetch_one(p).await)?;
    let user = by_id(db, user_id).await?;
    if !user.active {
        return Err(StoreError::NotFound);
    }
    if stale(Some(last_seen), now) {
        with_db!(db, p => sqlx::query(TOUCH).bind(now).bind(expires).bind(token_hash).execute(p).await.map(|_| ()))?;
    }
    Ok((user, csrf))
}

/// Ends a session; returns its user.
#[tracing::instrument(skip_all)]
pub async fn delete_session(tx: &mut Tx, token_hash: &str) -> StoreResult<Option<i64>> {
    const SQL: &str = "DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL).bind(token_hash).fetch_optional(c).await)?)
}

/// Ends every session of a user; returns how many.
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn delete_sessions_of(tx: &mut Tx, user_id: i64) -> StoreResult<u64> {
    const SQL: &str = "DELETE FROM sessions WHERE user_id = $1";
    Ok(with_tx!(tx, c => sqlx::query(SQL).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?)
}

/// Removes expired sessions.
pub async fn purge_sessions(db: &Db, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(
        with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(p).await.map(|r| r.rows_affected()))?,
    )
}

/// A new API token.
pub struct NewToken<'a> {
    /// Owner.
    pub user_id: i64,
    /// SHA-256 of the secret.
    pub token_hash: &'a str,
    /// What it is for.
    pub name: &'a str,
    /// Refuses every change when set.
    pub read_only: bool,
    /// Stops working at this instant.
    pub expires_at: Option<DateTime<Utc>>,
}

/// An API token as listed (never the secret).
#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct TokenRow {
    /// Id.
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// Owner's login name.
    pub username: String,
    /// What it is for.
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

/// Stores a new API token hash.
#[tracing::instrument(skip_all)]
pub async fn insert_token(tx: &mut Tx, t: &NewToken<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO api_tokens (user_id, token_hash, name, created_at, read_only, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL).bind(t.user_id).bind(t.token_hash).bind(t.name).bind(now)
        .bind(t.read_only).bind(t.expires_at).fetch_one(c).await)?)
}

const TOKEN_SELECT: &str = "SELECT t.id, t.user_id, u.username, t.name, t.read_only, t.created_at, t.last_used, t.expires_at, \
     t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id";

/// Tokens, newest first, optionally of one user.
#[tracing::instrument(skip_all)]
pub async fn list_tokens(db: &Db, user_id: Option<i64>) -> StoreResult<Vec<TokenRow>> {
    let mut q = crate::sql::Sql::new(&format!("{TOKEN_SELECT} WHERE 1=1"));
    if let Some(u) = user_id {
        q.push(" AND t.user_id = ").bind(crate::Arg::I64(u));
    }
    q.push(" ORDER BY t.id DESC");
    crate::sql::fetch_all(db, &q).await
}

/// One token by id.
pub async fn token(db: &Db, id: i64) -> StoreResult<TokenRow> {
    let sql = format!("{TOKEN_SELECT} WHERE t.id = $1");
    Ok(with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_one(p).await)?)
}

/// Revokes a token (kept for the record).
#[tracing::instrument(skip_all, fields(id))]
pub async fn revoke_token(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";
    with_tx!(tx, c => sqlx::query(SQL).bind(now).bind(id).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The active user owning a live API token, and whether the token is read-only; records its
/// last use (at most once per [`TOUCH_EVERY`]).
#[tracing::instrument(skip_all)]
pub async fn user_by_token(db: &Db, token_hash: &str, now: DateTime<Utc>) -> StoreResult<(UserRow, bool)> {
    const FIND: &str = "SELECT user_id, read_only, last_used FROM api_tokens WHERE token_hash = $1 \
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)";
    const TOUCH: &str = "UPDATE api_tokens SET last_used = $1 WHERE token_hash = $2";
    let (user_id, read_only, last_used): (i64, bool, Option<DateTime<Utc>>) =
        with_db!(db, p => sqlx::query_as(FIND).bind(token_hash).bind(now).fetch_one(p).await)?;
    let user = by_id(db, user_id).await?;
    if !user.active {
        return Err(StoreError::NotFound);
    }
    if stale(last_used, now) {
        with_db!(db, p => sqlx::query(TOUCH).bind(now).bind(token_hash).execute(p).await.map(|_| ()))?;
    }
    Ok((user, read_only))
}

/// Stores a one-time setup link hash.
pub async fn insert_setup_token(db: &Db, token_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
    with_db!(db, p => sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)").bind(token_hash).bind(now).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// Whether a setup link is valid (exists, unused).
pub async fn setup_token_valid(db: &Db, token_hash: &str) -> StoreResult<bool> {
    const SQL: &str = "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL";
    let n: i64 = with_db!(db, p => sqlx::query_scalar(SQL).bind(token_hash).fetch_one(p).await)?;
    Ok(n > 0)
}

/// Uses a setup link and creates the first administrator in the caller's transaction: only
/// one request can win, and only while no account exists.
#[tracing::instrument(skip_all)]
pub async fn consume_setup_token(
    tx: &mut Tx,
    token_hash: &str,
    u: &NewUser<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const USE: &str = "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL";
    const INSERT: &str = "INSERT INTO users (username, display_name, password_hash, role, unit_code, province_code, commune_code, active, created_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, TRUE, $8 WHERE NOT EXISTS (SELECT 1 FROM users) RETURNING id";
    let n = with_tx!(tx, c => sqlx::query(USE).bind(now).bind(token_hash).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    let id: Option<i64> = with_tx!(tx, c => sqlx::query_scalar(INSERT)
        .bind(u.username).bind(u.display_name).bind(u.password_hash).bind(u.role).bind(u.unit_code).bind(u.province_code)
        .bind(u.commune_code).bind(now).fetch_optional(c).await)?;
    id.ok_or(StoreError::Conflict)
}
