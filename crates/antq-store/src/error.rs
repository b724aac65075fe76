//! Storage errors, mapped once from sqlx whatever the backend.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row matched.
    #[error("không tìm thấy")]
    NotFound,
    /// A unique constraint was violated.
    #[error("trùng dữ liệu đã có")]
    Conflict,
    /// A reference points to a row that does not exist.
    #[error("tham chiếu không tồn tại")]
    ForeignKey,
    /// Text the database cannot store (PostgreSQL refuses NUL characters).
    #[error("dữ liệu chứa ký tự không hợp lệ")]
    InvalidText,
    /// The database URL is not one antq can open.
    #[error("{0}")]
    BadUrl(String),
    /// Anything else from the database.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[source] sqlx::Error),
    /// Migration failure.
    #[error("lỗi nâng cấp cơ sở dữ liệu: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict,
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::ForeignKey,
            // 22021: character_not_in_repertoire (a NUL byte in text).
            sqlx::Error::Database(d) if d.code().as_deref() == Some("22021") => StoreError::InvalidText,
            _ => StoreError::Database(e),
        }
    }
}
