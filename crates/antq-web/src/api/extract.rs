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

/// A body sent as JSON, or as `multipart/form-data` with the JSON in a part named `report`
/// (or `message`) and files in parts named `files`: 422 JSON on a bad body.
pub struct JsonOrMultipart<T> {
    /// The JSON part.
    pub value: T,
    /// The files.
    pub files: Vec<antq_app::models::Upload>,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonOrMultipart<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, s: &S) -> Result<Self, ApiError> {
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let ApiJson(value) = ApiJson::<T>::from_request(req, s).await?;
            return Ok(JsonOrMultipart { value, files: Vec::new() });
        }
        let form = axum::extract::Multipart::from_request(req, s).await.map_err(|e| {
            ApiError(AppError::Invalid(FieldErrors::single(
                "body",
                format!("Dữ liệu gửi lên không hợp lệ: {}", e.body_text()),
            )))
        })?;
        let (fields, files) = crate::documents::read_multipart(form).await?;
        let json =
            fields.iter().find(|(k, _)| k == "report" || k == "message").map(|(_, v)| v.as_str()).unwrap_or("{}");
        let value = serde_json::from_str(json).map_err(|e| {
            ApiError(AppError::Invalid(FieldErrors::single(
                "body",
                format!("Phần «report» không phải JSON hợp lệ: {e}"),
            )))
        })?;
        Ok(JsonOrMultipart { value, files })
    }
}
