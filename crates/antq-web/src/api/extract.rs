//! Extractors whose rejections are JSON errors, and JSON merge for PATCH.

use antq_app::AppError;
use antq_domain::FieldErrors;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// `Query<T>` that answers 422 JSON on bad parameters.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, s).await {
            Ok(q) => Ok(ApiQuery(q.0)),
            Err(e) => Err(ApiError(AppError::Invalid(FieldErrors::single(
                "query",
                format!("Tham số không hợp lệ: {}", e.body_text()),
            )))),
        }
    }
}

/// `Path<T>` that answers 404 JSON when a path segment does not parse (`/areas/abc`).
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, s).await {
            Ok(p) => Ok(ApiPath(p.0)),
            Err(_) => Err(ApiError(AppError::NotFound("đường dẫn"))),
        }
    }
}

/// `Json<T>` that answers 422 JSON on a bad body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, s: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, s).await {
            Ok(j) => Ok(ApiJson(j.0)),
            Err(e) => Err(ApiError(AppError::Invalid(FieldErrors::single(
                "body",
                format!("Nội dung JSON không hợp lệ: {}", e.body_text()),
            )))),
        }
    }
}

/// Applies a JSON merge patch (RFC 7396 without deletion: `null` clears a field) to the
/// current input of an object.
pub fn merge_patch<T: Serialize + DeserializeOwned>(base: &T, patch: &serde_json::Value) -> Result<T, ApiError> {
    let serde_json::Value::Object(patch) = patch else {
        return Err(ApiError(AppError::Invalid(FieldErrors::single(
            "body",
            "Nội dung PATCH phải là một đối tượng JSON.",
        ))));
    };
    let mut value = serde_json::to_value(base).map_err(|e| ApiError(AppError::Internal(e.to_string())))?;
    if let serde_json::Value::Object(map) = &mut value {
        for (k, v) in patch {
            if map.contains_key(k) {
                map.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::from_value(value).map_err(|e| {
        ApiError(AppError::Invalid(FieldErrors::single("body", format!("Nội dung PATCH không hợp lệ: {e}"))))
    })
}
