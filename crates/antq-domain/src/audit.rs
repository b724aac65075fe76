//! The audit trail: what an entry says and how entries are chained.
//!
//! Every entry carries the SHA-256 of the previous entry's hash and its own canonical form,
//! so changing, removing or reordering any stored entry breaks the chain at that entry.

use chrono::{DateTime, SubsecRound, Utc};
use sha2::{Digest, Sha256};

use crate::labelled_enum;
use crate::model::Change;

labelled_enum!(
    /// What was done.
    AuditAction {
        Create = "create", "Tạo mới";
        Update = "update", "Sửa";
        Retire = "retire", "Thôi hiệu lực";
        Restore = "restore", "Khôi phục hiệu lực";
        Transition = "transition", "Chuyển trạng thái";
        Record = "record", "Ghi nhận";
        Import = "import", "Nhập dữ liệu";
        Login = "login", "Đăng nhập";
        Logout = "logout", "Đăng xuất";
        LoginFailed = "login_failed", "Đăng nhập thất bại";
        PermissionChange = "permission_change", "Đổi quyền";
        Disable = "disable", "Khoá";
        Enable = "enable", "Mở khoá";
        PasswordReset = "password_reset", "Đặt lại mật khẩu";
        RevokeSessions = "revoke_sessions", "Thu hồi phiên";
        TokenCreate = "token_create", "Cấp khoá API";
        TokenRevoke = "token_revoke", "Thu hồi khoá API";
        TotpEnable = "totp_enable", "Bật xác thực hai bước";
        TotpDisable = "totp_disable", "Tắt xác thực hai bước";
        IdentityRead = "identity_read", "Xem danh tính người báo";
        PersonalRead = "personal_read", "Xem số định danh cá nhân";
        Backup = "backup", "Sao lưu";
        Submit = "submit", "Nộp kết quả";
        Return = "return", "Trả lại";
        Approve = "approve", "Duyệt";
        Unlock = "unlock", "Mở khoá kết quả";
        Delete = "delete", "Xoá";
        Issue = "issue", "Ban hành";
    }
);

/// The first entry's `prev_hash`.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry as written: everything but its sequence number and hashes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditRecord {
    /// User id (`None` for the command line or an unknown login name).
    pub user_id: Option<i64>,
    /// Login name of the actor (or the name typed at a failed login).
    pub username: String,
    /// The actor's unit code.
    pub unit_code: String,
    /// Action code ([`AuditAction::code`]).
    pub action: String,
    /// Object type (`area`, `establishment`, `model`, `user`, …).
    pub object_type: String,
    /// Object id, when there is one object.
    pub object_id: Option<String>,
    /// Province the object belongs to (scope of who may read the entry).
    pub province_code: Option<String>,
    /// Commune the object belongs to.
    pub commune_code: Option<String>,
    /// Field changes, as JSON text (a list of [`Change`] or an object).
    pub changes: String,
    /// The request that caused it.
    pub request_id: Option<String>,
}

/// A stored entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Sequence number: 1, 2, 3, … without gaps.
    pub id: i64,
    /// When (UTC, microsecond precision).
    pub at: DateTime<Utc>,
    /// User id.
    pub user_id: Option<i64>,
    /// Login name.
    pub username: String,
    /// Unit code of the actor.
    pub unit_code: String,
    /// Action code.
    pub action: String,
    /// Object type.
    pub object_type: String,
    /// Object id.
    pub object_id: Option<String>,
    /// Province of the object.
    pub province_code: Option<String>,
    /// Commune of the object.
    pub commune_code: Option<String>,
    /// Changes (JSON text).
    pub changes: String,
    /// Request id.
    pub request_id: Option<String>,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Timestamps are kept to the microsecond, the precision both databases store exactly.
pub fn audit_time(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// The hash of entry `id` written at `at` with contents `r`, chained to `prev_hash`.
pub fn entry_hash(prev_hash: &str, id: i64, at: DateTime<Utc>, r: &AuditRecord) -> String {
    let canonical = serde_json::json!([
        id,
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        r.user_id,
        r.username,
        r.unit_code,
        r.action,
        r.object_type,
        r.object_id,
        r.province_code,
        r.commune_code,
        r.changes,
        r.request_id,
    ]);
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.to_string().as_bytes());
    hex::encode(h.finalize())
}

impl AuditEntry {
    /// The contents that were hashed.
    pub fn record(&self) -> AuditRecord {
        AuditRecord {
            user_id: self.user_id,
            username: self.username.clone(),
            unit_code: self.unit_code.clone(),
            action: self.action.clone(),
            object_type: self.object_type.clone(),
            object_id: self.object_id.clone(),
            province_code: self.province_code.clone(),
            commune_code: self.commune_code.clone(),
            changes: self.changes.clone(),
            request_id: self.request_id.clone(),
        }
    }

    /// The changes as a list, when they are one (for display).
    pub fn change_list(&self) -> Vec<Change> {
        serde_json::from_str(&self.changes).unwrap_or_default()
    }
}

/// Why the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// An entry's number is not the one after its predecessor (a row was removed or inserted).
    #[error("mục nhật ký số {expected} bị thiếu (gặp số {found})")]
    Gap {
        /// The number that should have come.
        expected: i64,
        /// The number found.
        found: i64,
    },
    /// An entry does not point at its predecessor's hash.
    #[error("mục nhật ký số {id}: liên kết với mục trước bị sai")]
    Link {
        /// Entry.
        id: i64,
    },
    /// An entry's contents no longer match its hash.
    #[error("mục nhật ký số {id}: nội dung đã bị sửa")]
    Content {
        /// Entry.
        id: i64,
    },
    /// The chain ends before the last entry that was written (entries removed at the end).
    #[error("nhật ký kết thúc ở mục số {last}, nhưng đã ghi đến mục số {head}")]
    Truncated {
        /// Last entry present.
        last: i64,
        /// Last entry written.
        head: i64,
    },
}

impl ChainError {
    /// The first broken entry's number.
    pub fn entry(&self) -> i64 {
        match self {
            ChainError::Gap { expected, .. } => *expected,
            ChainError::Link { id } | ChainError::Content { id } => *id,
            ChainError::Truncated { last, .. } => last + 1,
        }
    }
}

/// Checks entries one by one, in order; feed it every entry, then call [`ChainVerifier::finish`].
#[derive(Debug)]
pub struct ChainVerifier {
    next_id: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { next_id: 1, prev_hash: GENESIS.to_string() }
    }
}

impl ChainVerifier {
    /// Checks the next entry.
    pub fn check(&mut self, e: &AuditEntry) -> Result<(), ChainError> {
        if e.id != self.next_id {
            return Err(ChainError::Gap { expected: self.next_id, found: e.id });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainError::Link { id: e.id });
        }
        if entry_hash(&e.prev_hash, e.id, e.at, &e.record()) != e.hash {
            return Err(ChainError::Content { id: e.id });
        }
        self.next_id += 1;
        self.prev_hash = e.hash.clone();
        Ok(())
    }

    /// Compares the end of the chain with the head the writer keeps (last number and hash).
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<i64, ChainError> {
        let last = self.next_id - 1;
        if last != head_seq {
            return Err(ChainError::Truncated { last, head: head_seq });
        }
        if head_seq > 0 && head_hash != self.prev_hash {
            return Err(ChainError::Link { id: last });
        }
        Ok(last)
    }
}

/// The fields of `after` whose value differs from the same field of `before` (top-level keys,
/// values shown as text), ignoring bookkeeping fields. With `before` null: every field set.
pub fn json_diff(before: &serde_json::Value, after: &serde_json::Value) -> Vec<Change> {
    const SKIP: &[&str] = &["id", "created_at", "updated_at", "search_key"];
    let empty = serde_json::Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = a.keys().collect();
    keys.sort();
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(v) => Some(v.to_string()),
    };
    keys.into_iter()
        .filter(|k| !SKIP.contains(&k.as_str()))
        .filter_map(|k| {
            let (x, y) = (show(b.get(k)), show(a.get(k)));
            (x != y).then(|| Change { field: k.clone(), before: x, after: y })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        let at = audit_time(Utc::now());
        (1..=n)
            .map(|id| {
                let r = AuditRecord {
                    username: "u".into(),
                    action: "update".into(),
                    object_type: "area".into(),
                    object_id: Some(id.to_string()),
                    changes: "[]".into(),
                    ..Default::default()
                };
                let hash = entry_hash(&prev, id, at, &r);
                AuditEntry {
                    id,
                    at,
                    user_id: r.user_id,
                    username: r.username,
                    unit_code: r.unit_code,
                    action: r.action,
                    object_type: r.object_type,
                    object_id: r.object_id,
                    province_code: None,
                    commune_code: None,
                    changes: r.changes,
                    request_id: None,
                    prev_hash: std::mem::replace(&mut prev, hash.clone()),
                    hash,
                }
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry], head: i64, head_hash: &str) -> Result<i64, ChainError> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e)?;
        }
        v.finish(head, head_hash)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, 5, &c[4].hash), Ok(5));
        assert_eq!(verify(&[], 0, GENESIS), Ok(0));
    }

    #[test]
    fn every_kind_of_tampering_names_the_entry() {
        let c = chain(5);
        let mut edited = c.clone();
        edited[2].changes = r#"[{"field":"name"}]"#.into();
        assert_eq!(verify(&edited, 5, &c[4].hash).unwrap_err().entry(), 3);

        let mut removed = c.clone();
        removed.remove(1);
        assert_eq!(verify(&removed, 5, &c[4].hash).unwrap_err().entry(), 2);

        assert_eq!(verify(&c[..4], 5, &c[4].hash).unwrap_err().entry(), 5);

        let mut rehashed = c.clone();
        rehashed[3].username = "khác".into();
        rehashed[3].hash = entry_hash(&rehashed[3].prev_hash, 4, rehashed[3].at, &rehashed[3].record());
        assert_eq!(verify(&rehashed, 5, &c[4].hash).unwrap_err().entry(), 5);
    }

    #[test]
    fn diff_names_changed_fields_only() {
        let b = serde_json::json!({"id": 1, "name": "A", "households": 10, "note": null, "updated_at": "x"});
        let a = serde_json::json!({"id": 1, "name": "B", "households": 10, "note": "n", "updated_at": "y"});
        let d = json_diff(&b, &a);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].field.as_str(), d[0].after.as_deref()), ("name", Some("B")));
        assert_eq!((d[1].field.as_str(), d[1].before.as_deref()), ("note", None));
    }
}
