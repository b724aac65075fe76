//! The citizen's side after submitting: with the code and the secret of the receipt they
//! read the status in plain words, the officers' questions, and add information.
//!
//! The secret is kept only as an argon2id hash. An unknown code is checked against a dummy
//! hash with the same parameters, so a wrong secret and an unknown code cost the same time
//! and give the same answer; codes cannot be enumerated. The parameters are lighter than
//! for passwords (1 MiB, one pass, about 0.6 ms): the secret is 125 random bits, which no
//! hashing speed makes guessable, and the intake must take hundreds of reports a second on
//! two cores. They are written in every stored hash, so raising them needs no migration.

use std::sync::LazyLock;

use antq_domain::FieldErrors;
use antq_domain::audit::AuditAction;
use antq_domain::report::input::{MAX_MESSAGE, PublicMessageInput, ReceiptInput};
use antq_domain::report::receipt::{code_from, parse_code, parse_secret, secret_from};
use antq_domain::report::{CitizenView, MessageAuthor, Report};
use antq_domain::validate::required_text;
use antq_store::reports::{self, NewAttachment};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use super::intake::{CITIZEN, check_files};
use crate::audit::{self, Target};
use crate::models::Upload;
use crate::{AppCtx, AppError, AppResult};

/// The receipt shown once after a submission.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Receipt {
    /// The public code (TG-XXXXX-XXXXX).
    pub code: String,
    /// The secret; antq keeps only its hash and cannot show it again.
    pub secret: String,
}

/// A fresh random code.
pub(crate) fn new_code() -> String {
    code_from(rand::random::<u64>())
}

/// A fresh random secret.
pub(crate) fn new_secret() -> String {
    secret_from(rand::random::<[u8; 16]>())
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(1024, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of a random secret with the same parameters, checked when the code is unknown.
static DUMMY: LazyLock<String> =
    LazyLock::new(|| hasher().hash_password(new_secret().as_bytes()).map(|h| h.to_string()).unwrap_or_default());

/// Runs the slow hash on a blocking thread, at most `hashing_threads` at a time; a long
/// wait (a flood) answers "busy" rather than queueing without bound.
async fn slow<T: Send + 'static>(ctx: &AppCtx, f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let wait = std::time::Duration::from_secs(5);
    let _permit = tokio::time::timeout(wait, ctx.hashing.acquire())
        .await
        .map_err(|_| AppError::Unavailable("Hệ thống đang bận. Vui lòng thử lại sau ít phút.".into()))?
        .map_err(|_| AppError::Internal("bộ băm đã dừng".into()))?;
    tokio::task::spawn_blocking(f).await.map_err(|e| AppError::Internal(e.to_string()))
}

/// The stored form of a secret.
pub(crate) async fn hash(ctx: &AppCtx, secret: &str) -> AppResult<String> {
    let secret = secret.to_string();
    slow(ctx, move || hasher().hash_password(secret.as_bytes()).map(|h| h.to_string()))
        .await?
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

/// Whether `secret` matches `stored` (the dummy when the code is unknown or has no receipt).
async fn verify(ctx: &AppCtx, secret: String, stored: Option<String>) -> AppResult<bool> {
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| DUMMY.clone());
    let ok = slow(ctx, move || {
        argon2::password_hash::phc::PasswordHash::new(&stored)
            .map(|h| hasher().verify_password(secret.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await?;
    Ok(ok && known)
}

/// The one answer for every failed receipt check.
fn wrong_receipt() -> AppError {
    AppError::Invalid(FieldErrors::single("secret", "Mã tra cứu hoặc mật mã không đúng."))
}

/// The report behind a receipt, or the same refusal for an unknown code and a wrong secret.
async fn open(ctx: &AppCtx, code: Option<&str>, secret: Option<&str>) -> AppResult<Report> {
    let code = code.and_then(parse_code);
    let secret = secret.and_then(parse_secret).unwrap_or_default();
    let found = match &code {
        Some(c) => reports::by_code(&ctx.db, c).await?,
        None => None,
    };
    let (id, stored) = match found {
        Some((id, stored)) => (Some(id), stored),
        None => (None, None),
    };
    if !verify(ctx, secret, stored).await? {
        return Err(wrong_receipt());
    }
    let id = id.ok_or_else(wrong_receipt)?;
    Ok(reports::get(&ctx.db, id).await?)
}

async fn view(ctx: &AppCtx, r: &Report) -> AppResult<CitizenView> {
    let messages = reports::messages(&ctx.db, r.id).await?.into_iter().map(Into::into).collect();
    let attachments =
        reports::attachments(&ctx.db, r.id).await?.iter().filter(|a| a.added_by == MessageAuthor::Citizen).count();
    let status = r.state.public_status();
    Ok(CitizenView {
        code: r.code.clone(),
        status,
        status_text: status.label().to_string(),
        kind: r.kind,
        category: r.category,
        received_on: antq_domain::report::clock::vn_date(r.received_at),
        messages,
        attachments: attachments as i64,
    })
}

/// What the citizen sees with their receipt.
#[tracing::instrument(skip_all)]
pub async fn lookup(ctx: &AppCtx, input: &ReceiptInput) -> AppResult<CitizenView> {
    let r = open(ctx, input.code.as_deref(), input.secret.as_deref()).await?;
    view(ctx, &r).await
}

/// The citizen adds information or answers a question (text and/or files); the unit in
/// charge sees it marked unread.
#[tracing::instrument(skip_all)]
pub async fn add_message(ctx: &AppCtx, input: &PublicMessageInput, files: Vec<Upload>) -> AppResult<CitizenView> {
    let r = open(ctx, input.code.as_deref(), input.secret.as_deref()).await?;
    let mut e = FieldErrors::new();
    let has_files = files.iter().any(|f| !f.bytes.is_empty());
    let body = match input.body.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(b) => required_text(&mut e, "body", "Nội dung bổ sung", b, MAX_MESSAGE),
        None if has_files => "(Gửi thêm tệp đính kèm)".to_string(),
        None => {
            e.add("body", "Chưa nhập nội dung bổ sung.");
            String::new()
        }
    };
    let files = check_files(files).map_err(|err| e.0.extend(err.0));
    let (Ok(files), true) = (files, e.is_empty()) else { return Err(AppError::Invalid(e)) };
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    reports::insert_message(&mut tx, &r, MessageAuthor::Citizen, None, &body, now).await?;
    for f in &files {
        let a = NewAttachment {
            file_name: &f.name,
            content_type: f.content_type,
            content: &f.bytes,
            added_by: MessageAuthor::Citizen,
        };
        reports::insert_attachment(&mut tx, &r, &a, now).await?;
    }
    reports::set_citizen_unread(&mut tx, r.id, true, now).await?;
    let target = Target::placed("report", r.id, &r.province_code, r.commune_code.as_deref());
    audit::record_by(
        &mut tx,
        ctx,
        (None, CITIZEN, ""),
        None,
        AuditAction::Record,
        target,
        &audit::note("message", "citizen"),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(report_id = r.id, "citizen message");
    view(ctx, &r).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_costs_what_a_real_hash_costs() {
        let real = hasher().hash_password(b"x").unwrap().to_string();
        let params = |h: &str| h.split('$').nth(3).unwrap().to_string();
        assert_eq!(params(&DUMMY), params(&real), "same argon2 parameters");
        assert!(DUMMY.starts_with("$argon2id$"));
    }
}
