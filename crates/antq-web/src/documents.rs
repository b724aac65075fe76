//! Document uploads and downloads of models, shared by the pages and the API.

use antq_app::AppError;
use antq_app::models::Upload;
use antq_domain::FieldErrors;
use antq_domain::model::DocumentInput;
use axum::extract::Multipart;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Reads a multipart form with `title`, `doc_no`, `issued_on` and an optional `file`.
pub async fn read_form(mut form: Multipart) -> Result<(DocumentInput, Option<Upload>), AppError> {
    let mut input = DocumentInput::default();
    let mut file = None;
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::Invalid(FieldErrors::single("file", format!("Không đọc được dữ liệu gửi lên: {e}")))
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "title" => input.title = Some(field.text().await.map_err(bad)?),
            "doc_no" => input.doc_no = Some(field.text().await.map_err(bad)?),
            "issued_on" => input.issued_on = Some(field.text().await.map_err(bad)?),
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(bad)?.to_vec();
                file = Some(Upload { name, bytes });
            }
            _ => {}
        }
    }
    Ok((input, file))
}

/// A download of a stored file, with a `Content-Disposition` that keeps Vietnamese names.
pub fn download(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>().replace('+', "%20");
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Reads a multipart form: text fields as `(name, value)` pairs, parts with a file name as
/// uploads (empty file inputs are skipped).
pub async fn read_multipart(mut form: Multipart) -> Result<(Vec<(String, String)>, Vec<Upload>), AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::Invalid(FieldErrors::single("files", format!("Không đọc được dữ liệu gửi lên: {e}")))
    };
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(bad)?.to_vec();
                if !bytes.is_empty() || !file_name.is_empty() {
                    files.push(Upload { name: file_name, bytes });
                }
            }
            None => fields.push((name, field.text().await.map_err(bad)?)),
        }
    }
    Ok((fields, files))
}
