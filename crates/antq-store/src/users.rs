//! Accounts, browser sessions, API tokens and the one-time setup link.
//!
//! Secrets are never stored: sessions, tokens and setup links are kept as SHA-256 hashes of
//! random values, passwords as argon2id hashes (computed by `antq-app`).

use chrono::{DateTime, Utc};

use crate::{Db, StoreError, StoreResult, with_db};

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
}

const USER_COLUMNS: &str =
    "id, username, display_name, password_hash, role, unit_code, province_code, commune_code, active, created_at";

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
pub async fn insert(db: &Db, u: &NewUser<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO users (username, display_name, password_hash, role, unit_code, province_code, commune_code, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8) RETURNING id";
    Ok(with_db!(db, p => sqlx::query_scalar(SQL)
        .bind(u.username).bind(u.display_name).bind(u.password_hash).bind(u.role).bind(u.unit_code).bind(u.province_code)
        .bind(u.commune_code).bind(now).fetch_one(p).await)?)
}

/// An account by login name.
#[tracing::instrument(skip_all)]
pub async fn by_username(db: &Db, username: &str) -> StoreResult<UserRow> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
    Ok(with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(username).fetch_one(p).await)?)
}

/// Number of accounts.
pub async fn count(db: &Db) -> StoreResult<i64> {
    Ok(with_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?)
}

/// All accounts by name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db) -> StoreResult<Vec<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
    Ok(with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await)?)
}

/// Creates a session.
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $4, $4, $5)";
    with_db!(db, p => sqlx::query(SQL).bind(token_hash).bind(user_id).bind(csrf).bind(now).bind(expires).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// The active user and CSRF token behind a live session, extending its expiry.
#[tracing::instrument(skip_all)]
pub async fn touch_session(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> StoreResult<(UserRow, String)> {
    const FIND: &str = "SELECT user_id, csrf_token FROM sessions WHERE token_hash = $1 AND expires_at > $2";
    const TOUCH: &str = "UPDATE sessions SET last_seen = $1, expires_at = $2 WHERE token_hash = $3";
    let (user_id, csrf): (i64, String) =
        with_db!(db, p => sqlx::query_as(FIND).bind(token_hash).bind(now).fetch_one(p).await)?;
    let user = by_id(db, user_id).await?;
    if !user.active {
        return Err(StoreError::NotFound);
    }
    with_db!(db, p => sqlx::query(TOUCH).bind(now).bind(expires).bind(token_hash).execute(p).await.map(|_| ()))?;
    Ok((user, csrf))
}

/// An account by id.
pub async fn by_id(db: &Db, id: i64) -> StoreResult<UserRow> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    Ok(with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_one(p).await)?)
}

/// Ends a session.
#[tracing::instrument(skip_all)]
pub async fn delete_session(db: &Db, token_hash: &str) -> StoreResult<()> {
    with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// Removes expired sessions.
pub async fn purge_sessions(db: &Db, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(
        with_db!(db, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(p).await.map(|r| r.rows_affected()))?,
    )
}

/// Stores a new API token hash.
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn insert_token(db: &Db, user_id: i64, token_hash: &str, name: &str, now: DateTime<Utc>) -> StoreResult<i64> {
    const SQL: &str =
        "INSERT INTO api_tokens (user_id, token_hash, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(
        with_db!(db, p => sqlx::query_scalar(SQL).bind(user_id).bind(token_hash).bind(name).bind(now).fetch_one(p).await)?,
    )
}

/// The active user owning an API token.
#[tracing::instrument(skip_all)]
pub async fn user_by_token(db: &Db, token_hash: &str, now: DateTime<Utc>) -> StoreResult<UserRow> {
    const FIND: &str = "SELECT user_id FROM api_tokens WHERE token_hash = $1";
    const TOUCH: &str = "UPDATE api_tokens SET last_used = $1 WHERE token_hash = $2";
    let user_id: i64 = with_db!(db, p => sqlx::query_scalar(FIND).bind(token_hash).fetch_one(p).await)?;
    let user = by_id(db, user_id).await?;
    if !user.active {
        return Err(StoreError::NotFound);
    }
    with_db!(db, p => sqlx::query(TOUCH).bind(now).bind(token_hash).execute(p).await.map(|_| ()))?;
    Ok(user)
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

/// Uses a setup link and creates the first administrator in one transaction: only one
/// request can win, and only while no account exists.
#[tracing::instrument(skip_all)]
pub async fn consume_setup_token(db: &Db, token_hash: &str, u: &NewUser<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    const USE: &str = "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL";
    const INSERT: &str = "INSERT INTO users (username, display_name, password_hash, role, unit_code, province_code, commune_code, active, created_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, TRUE, $8 WHERE NOT EXISTS (SELECT 1 FROM users) RETURNING id";
    let mut tx = db.begin().await?;
    let n = crate::with_tx!(&mut tx, c => sqlx::query(USE).bind(now).bind(token_hash).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    let id: Option<i64> = crate::with_tx!(&mut tx, c => sqlx::query_scalar(INSERT)
        .bind(u.username).bind(u.display_name).bind(u.password_hash).bind(u.role).bind(u.unit_code).bind(u.province_code)
        .bind(u.commune_code).bind(now).fetch_optional(c).await)?;
    let id = id.ok_or(StoreError::Conflict)?;
    tx.commit().await?;
    Ok(id)
}
