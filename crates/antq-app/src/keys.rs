//! The key that seals reporters' identities. It never enters the database: the binary reads
//! it from `ANTQ_IDENTITY_KEY` or a key file in the data directory, created on first start.
//! Each identity is sealed with XChaCha20-Poly1305 under a fresh random nonce, bound to its
//! report (the report id is the associated data), so a sealed row copied onto another report
//! does not open. The same key seals the citizen id numbers of the force's members (bound to
//! their keyed index) and derives the key of that index (HMAC-SHA-256), so the database can
//! find one person without holding the number in clear.

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
    index_key: [u8; 32],
}

impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityKey").field("id", &self.id).finish_non_exhaustive()
    }
}

fn aad(report_id: i64) -> Vec<u8> {
    format!("antq-identity-v1:{report_id}").into_bytes()
}

fn cid_aad(index: &str) -> Vec<u8> {
    format!("antq-member-cid-v1:{index}").into_bytes()
}

/// HMAC-SHA-256 (RFC 2104) over SHA-256 of the `sha2` crate.
fn hmac_sha256(key: &[u8; 32], msg: &[u8]) -> [u8; 32] {
    let mut ipad = [0x36u8; 64];
    let mut opad = [0x5cu8; 64];
    for (i, k) in key.iter().enumerate() {
        ipad[i] ^= k;
        opad[i] ^= k;
    }
    let inner = Sha256::new().chain_update(ipad).chain_update(msg).finalize();
    Sha256::new().chain_update(opad).chain_update(inner).finalize().into()
}

impl IdentityKey {
    /// The key of 32 bytes.
    pub fn from_bytes(key: [u8; 32]) -> IdentityKey {
        let id = hex::encode(&Sha256::digest([&b"antq-identity-key-id:"[..], &key].concat())[..8]);
        let index_key: [u8; 32] = Sha256::digest([&b"antq-index-key-v1:"[..], &key].concat()).into();
        IdentityKey { cipher: XChaCha20Poly1305::new(&key.into()), id, index_key }
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
        self.seal_with(&aad(report_id), plain)
    }

    /// Opens what [`seal`](Self::seal) wrote for `report_id` under the key `key_id`.
    pub fn open(&self, report_id: i64, key_id: &str, sealed: &[u8]) -> AppResult<Vec<u8>> {
        self.open_with(&aad(report_id), key_id, sealed)
    }

    /// The keyed index of a citizen id number (hex), equal for equal numbers.
    pub fn cid_index(&self, cid: &str) -> String {
        hex::encode(hmac_sha256(&self.index_key, format!("cid:{cid}").as_bytes()))
    }

    /// Seals a citizen id number, bound to its index.
    pub fn seal_cid(&self, index: &str, cid: &str) -> AppResult<Vec<u8>> {
        self.seal_with(&cid_aad(index), cid.as_bytes())
    }

    /// Opens a citizen id number sealed by [`seal_cid`](Self::seal_cid).
    pub fn open_cid(&self, index: &str, key_id: &str, sealed: &[u8]) -> AppResult<String> {
        let plain = self.open_with(&cid_aad(index), key_id, sealed)?;
        String::from_utf8(plain).map_err(|_| AppError::Internal("số định danh hỏng".into()))
    }

    fn seal_with(&self, aad: &[u8], plain: &[u8]) -> AppResult<Vec<u8>> {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let ct = self
            .cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad })
            .map_err(|_| AppError::Internal("không mã hoá được dữ liệu cá nhân".into()))?;
        Ok([&nonce[..], &ct].concat())
    }

    fn open_with(&self, aad: &[u8], key_id: &str, sealed: &[u8]) -> AppResult<Vec<u8>> {
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
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
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

    #[test]
    fn citizen_ids_are_indexed_and_bound_to_their_index() {
        let (k, _) = IdentityKey::generate();
        let (other, _) = IdentityKey::generate();
        let i = k.cid_index("056090001234");
        assert_eq!(i, k.cid_index("056090001234"));
        assert_ne!(i, k.cid_index("056090001235"));
        assert_ne!(i, other.cid_index("056090001234"), "keyed");
        assert_eq!(i.len(), 64);
        let sealed = k.seal_cid(&i, "056090001234").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"056090"));
        assert_eq!(k.open_cid(&i, k.id(), &sealed).unwrap(), "056090001234");
        assert!(k.open_cid(&k.cid_index("1"), k.id(), &sealed).is_err(), "bound to its index");
        // RFC 4231 test case 2 shape: HMAC with a short key equals the padded-key HMAC.
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        assert_eq!(
            hex::encode(hmac_sha256(&key, b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
