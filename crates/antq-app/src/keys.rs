//! The key that seals reporters' identities. It never enters the database: the binary reads
//! it from `ANTQ_IDENTITY_KEY` or a key file in the data directory, created on first start.
//! Each identity is sealed with XChaCha20-Poly1305 under a fresh random nonce, bound to its
//! report (the report id is the associated data), so a sealed row copied onto another report
//! does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

use crate::{AppError, AppResult};

const NONCE_LEN: usize = 24;

/// A 256-bit identity key.
#[derive(Clone)]
pub struct IdentityKey {
    cipher: XChaCha20Poly1305,
    id: String,
}

impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityKey").field("id", &self.id).finish_non_exhaustive()
    }
}

fn aad(report_id: i64) -> Vec<u8> {
    format!("antq-identity-v1:{report_id}").into_bytes()
}

impl IdentityKey {
    /// The key of 32 bytes.
    pub fn from_bytes(key: [u8; 32]) -> IdentityKey {
        let id = hex::encode(&Sha256::digest([&b"antq-identity-key-id:"[..], &key].concat())[..8]);
        IdentityKey { cipher: XChaCha20Poly1305::new(&key.into()), id }
    }

    /// The key written as 64 hexadecimal digits.
    pub fn from_hex(s: &str) -> Result<IdentityKey, String> {
        let bytes = hex::decode(s.trim()).map_err(|_| "khoá danh tính phải là 64 chữ số thập lục phân".to_string())?;
        let key: [u8; 32] =
            bytes.try_into().map_err(|_| "khoá danh tính phải dài 32 byte (64 chữ số thập lục phân)".to_string())?;
        Ok(IdentityKey::from_bytes(key))
    }

    /// A new random key and its hexadecimal form (to write to the key file).
    pub fn generate() -> (IdentityKey, String) {
        let key: [u8; 32] = rand::random();
        (IdentityKey::from_bytes(key), hex::encode(key))
    }

    /// A short public fingerprint of the key, stored with each sealed identity.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Seals `plain` for report `report_id`: nonce followed by ciphertext and tag.
    pub fn seal(&self, report_id: i64, plain: &[u8]) -> AppResult<Vec<u8>> {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let ct = self
            .cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad: &aad(report_id) })
            .map_err(|_| AppError::Internal("không mã hoá được danh tính".into()))?;
        Ok([&nonce[..], &ct].concat())
    }

    /// Opens what [`seal`](Self::seal) wrote for `report_id` under the key `key_id`.
    pub fn open(&self, report_id: i64, key_id: &str, sealed: &[u8]) -> AppResult<Vec<u8>> {
        if key_id != self.id {
            return Err(AppError::Internal(format!(
                "danh tính được mã hoá bằng khoá {key_id}, khoá đang dùng là {}: hãy dùng đúng tệp khoá hoặc ANTQ_IDENTITY_KEY",
                self.id
            )));
        }
        if sealed.len() < NONCE_LEN {
            return Err(AppError::Internal("dữ liệu danh tính hỏng".into()));
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] =
            nonce.try_into().map_err(|_| AppError::Internal("dữ liệu danh tính hỏng".into()))?;
        self.cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad: &aad(report_id) })
            .map_err(|_| AppError::Internal("dữ liệu danh tính hỏng hoặc đã bị sửa".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_per_report_and_detects_tampering() {
        let (k, hex_key) = IdentityKey::generate();
        let again = IdentityKey::from_hex(&hex_key).unwrap();
        assert_eq!(k.id(), again.id());
        let sealed = k.seal(7, "Nguyễn Văn A 0912345678".as_bytes()).unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"091234"), "no plaintext");
        assert_ne!(sealed, k.seal(7, "Nguyễn Văn A 0912345678".as_bytes()).unwrap(), "fresh nonce");
        assert_eq!(again.open(7, k.id(), &sealed).unwrap(), "Nguyễn Văn A 0912345678".as_bytes());
        assert!(k.open(8, k.id(), &sealed).is_err(), "bound to its report");
        let mut bad = sealed.clone();
        bad[30] ^= 1;
        assert!(k.open(7, k.id(), &bad).is_err());
        let (other, _) = IdentityKey::generate();
        let e = other.open(7, k.id(), &sealed).unwrap_err().to_string();
        assert!(e.contains(k.id()), "{e}");
        assert!(IdentityKey::from_hex("abc").is_err());
        assert!(!format!("{k:?}").contains(&hex_key));
    }
}
