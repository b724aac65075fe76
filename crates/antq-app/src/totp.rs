//! Two-step login: time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 s)
//! and single-use recovery codes (stored as SHA-256 hashes).

use antq_domain::FieldErrors;
use antq_domain::audit::AuditAction;
use antq_store::users::{self, UserRow};
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};

use crate::accounts::{random_secret, secret_hash};
use crate::{Actor, AppCtx, AppError, AppResult};

const STEP: i64 = 30;
const DIGITS: u32 = 6;
const RECOVERY_CODES: usize = 10;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648, no padding), as authenticator apps expect.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(BASE32[((buf >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(BASE32[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| *c != b'=' && *c != b' ') {
        let v = BASE32.iter().position(|x| *x == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The code for time step `counter` (RFC 4226 HOTP).
pub fn hotp(key: &[u8], counter: u64) -> u32 {
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    bin % 10u32.pow(DIGITS)
}

/// Whether `code` is valid at `now` for the base32 `secret` (one step of clock drift allowed).
pub fn verify(secret: &str, code: &str, now: DateTime<Utc>) -> bool {
    let (Some(key), Ok(given)) = (base32_decode(secret), code.trim().parse::<u32>()) else { return false };
    if code.trim().len() != DIGITS as usize {
        return false;
    }
    let step = now.timestamp().div_euclid(STEP);
    (-1..=1).any(|d| u64::try_from(step + d).is_ok_and(|c| hotp(&key, c) == given))
}

/// The outcome of the second step at login.
pub enum SecondFactor {
    /// Passed; when a recovery code was used, the remaining hashes to store.
    Ok {
        /// Remaining recovery code hashes (JSON), when one was consumed.
        remaining_recovery: Option<String>,
    },
    /// Missing or wrong.
    Failed,
}

/// Checks the second step for an account (passes at once when it has none).
pub fn check_second_factor(u: &UserRow, code: Option<&str>, now: DateTime<Utc>) -> SecondFactor {
    let Some(secret) = &u.totp_secret else { return SecondFactor::Ok { remaining_recovery: None } };
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else { return SecondFactor::Failed };
    if verify(secret, code, now) {
        return SecondFactor::Ok { remaining_recovery: None };
    }
    let mut hashes: Vec<String> =
        u.totp_recovery.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
    let h = secret_hash(&code.to_lowercase().replace('-', ""));
    match hashes.iter().position(|x| *x == h) {
        Some(i) => {
            hashes.remove(i);
            SecondFactor::Ok { remaining_recovery: Some(serde_json::to_string(&hashes).unwrap_or_default()) }
        }
        None => SecondFactor::Failed,
    }
}

/// A secret to enrol, with the `otpauth://` link authenticator apps read.
pub struct Enrolment {
    /// Base32 secret.
    pub secret: String,
    /// `otpauth://totp/…` URI.
    pub uri: String,
}

/// A fresh secret for `actor` (not stored until confirmed with [`enable`]).
pub fn new_enrolment(actor: &Actor) -> Enrolment {
    let secret = base32_encode(&rand::random::<[u8; 20]>());
    let uri = format!("otpauth://totp/antq:{}?secret={secret}&issuer=antq&digits=6&period=30", actor.username);
    Enrolment { secret, uri }
}

/// Turns two-step login on after the user proved the app shows the right code; returns the
/// recovery codes, shown once.
#[tracing::instrument(skip_all)]
pub async fn enable(ctx: &AppCtx, actor: &Actor, secret: &str, code: &str) -> AppResult<Vec<String>> {
    let id = actor.user_id.ok_or(AppError::Unauthenticated)?;
    if base32_decode(secret).is_none_or(|k| k.len() < 16) || !verify(secret, code, ctx.now()) {
        return Err(
            FieldErrors::single("code", "Mã xác thực không đúng; kiểm tra giờ trên điện thoại rồi thử lại.").into()
        );
    }
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let s = &random_secret()[..16];
            format!("{}-{}-{}-{}", &s[..4], &s[4..8], &s[8..12], &s[12..])
        })
        .collect();
    let hashes: Vec<String> = codes.iter().map(|c| secret_hash(&c.replace('-', ""))).collect();
    let json = serde_json::to_string(&hashes).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = ctx.db.begin().await?;
    users::set_totp(&mut tx, id, Some(secret), Some(&json), ctx.now()).await?;
    crate::accounts::record_own(&mut tx, ctx, actor, AuditAction::TotpEnable).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns two-step login off (a current code or a recovery code is required).
#[tracing::instrument(skip_all)]
pub async fn disable(ctx: &AppCtx, actor: &Actor, code: &str) -> AppResult<()> {
    let id = actor.user_id.ok_or(AppError::Unauthenticated)?;
    let u = users::by_id(&ctx.db, id).await?;
    if u.totp_secret.is_none() {
        return Ok(());
    }
    if let SecondFactor::Failed = check_second_factor(&u, Some(code), ctx.now()) {
        return Err(FieldErrors::single("code", "Mã xác thực không đúng.").into());
    }
    let mut tx = ctx.db.begin().await?;
    users::set_totp(&mut tx, id, None, None, ctx.now()).await?;
    crate::accounts::record_own(&mut tx, ctx, actor, AuditAction::TotpDisable).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the actor's account has two-step login on.
pub async fn is_enabled(ctx: &AppCtx, actor: &Actor) -> AppResult<bool> {
    let id = actor.user_id.ok_or(AppError::Unauthenticated)?;
    Ok(users::by_id(&ctx.db, id).await?.totp_secret.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_test_vectors() {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890", truncated to 6 digits.
        let key = b"12345678901234567890";
        for (t, want) in [(59i64, 94287082u32), (1111111109, 7081804), (1234567890, 89005924), (2000000000, 69279037)] {
            assert_eq!(hotp(key, (t / 30) as u64), want % 1_000_000, "t={t}");
        }
        let secret = base32_encode(key);
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let now = DateTime::from_timestamp(1111111109, 0).unwrap();
        assert!(verify(&secret, "081804", now));
        assert!(verify(&secret, "081804", now + chrono::Duration::seconds(30)), "one step of drift");
        assert!(!verify(&secret, "081804", now + chrono::Duration::seconds(95)));
        assert!(!verify(&secret, "81804", now));
    }
}
