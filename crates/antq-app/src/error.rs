//! Errors of the use-cases. `antq-web` maps them to HTTP; the CLI prints them.

use antq_domain::FieldErrors;
use antq_store::StoreError;

/// What a use-case can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not logged in, or the credentials are wrong.
    #[error("Chưa đăng nhập hoặc thông tin đăng nhập không đúng.")]
    Unauthenticated,
    /// Logged in but not allowed (role or scope).
    #[error("{0}")]
    Forbidden(String),
    /// The object does not exist (or is hidden).
    #[error("Không tìm thấy {0}.")]
    NotFound(&'static str),
    /// Input failed validation; nothing was written.
    #[error("Dữ liệu không hợp lệ: {0}")]
    Invalid(FieldErrors),
    /// The request conflicts with the current state (duplicate, concurrent change).
    #[error("{0}")]
    Conflict(String),
    /// Too many failed attempts; try again after this many seconds.
    #[error("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {0} giây.")]
    TooManyAttempts(u64),
    /// The service is saturated (a flood of public submissions); try again shortly.
    #[error("{0}")]
    Unavailable(String),
    /// A failure that is not the caller's fault.
    #[error("Lỗi hệ thống: {0}")]
    Internal(String),
}

/// Result of a use-case.
pub type AppResult<T> = Result<T, AppError>;

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound("dữ liệu"),
            StoreError::Conflict => AppError::Conflict("Dữ liệu trùng với dữ liệu đã có.".into()),
            StoreError::ForeignKey => AppError::Conflict("Dữ liệu tham chiếu không tồn tại.".into()),
            StoreError::InvalidText => {
                AppError::Invalid(FieldErrors::single("body", "Dữ liệu chứa ký tự không hợp lệ (ký tự điều khiển)."))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// Maps a store `NotFound` to a named `NotFound`.
pub(crate) trait NotFoundAs<T> {
    fn not_found_as(self, what: &'static str) -> AppResult<T>;
}

impl<T> NotFoundAs<T> for Result<T, StoreError> {
    fn not_found_as(self, what: &'static str) -> AppResult<T> {
        self.map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound(what),
            other => other.into(),
        })
    }
}
