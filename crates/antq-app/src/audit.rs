//! The audit trail: writing entries in the transaction of each change, reading and
//! exporting them (auditors and administrators, in scope), verifying the chain.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::{AuditAction, AuditEntry, AuditRecord};
use antq_domain::model::Change;
use antq_domain::page::{Page, PageRequest};
use antq_store::Tx;
use antq_store::audit::{self, AuditFilter, Verdict};
use chrono::{NaiveDate, TimeZone, Utc};

use crate::areas::non_empty;
use crate::{Actor, AppCtx, AppResult};

/// What an entry is about.
#[derive(Clone, Debug)]
pub struct Target {
    /// Object type (`area`, `model`, `user`, …).
    pub kind: &'static str,
    /// Object id.
    pub id: Option<String>,
    /// Province of the object.
    pub province: Option<String>,
    /// Commune of the object.
    pub commune: Option<String>,
}

impl Target {
    /// An object placed in a province and maybe a commune.
    pub fn placed(kind: &'static str, id: impl ToString, province: &str, commune: Option<&str>) -> Self {
        Target {
            kind,
            id: Some(id.to_string()),
            province: Some(province.to_string()),
            commune: commune.map(str::to_string),
        }
    }
}

/// Appends an entry for `actor` doing `action` on `target` inside `tx`, the transaction that
/// makes the change, so the change and its entry are written together or not at all.
pub async fn record(
    tx: &mut Tx,
    ctx: &AppCtx,
    actor: &Actor,
    action: AuditAction,
    target: Target,
    changes: &[Change],
) -> AppResult<()> {
    let who = (actor.user_id, actor.username.as_str(), actor.unit_code.as_str());
    record_by(tx, ctx, who, actor.request_id.clone(), action, target, changes).await
}

/// Like [`record`] for someone who is not (yet) an actor: a failed login.
pub async fn record_by(
    tx: &mut Tx,
    ctx: &AppCtx,
    (user_id, username, unit_code): (Option<i64>, &str, &str),
    request_id: Option<String>,
    action: AuditAction,
    target: Target,
    changes: &[Change],
) -> AppResult<()> {
    let changes = serde_json::to_string(changes).map_err(|e| crate::AppError::Internal(e.to_string()))?;
    let r = AuditRecord {
        user_id,
        username: username.to_string(),
        unit_code: unit_code.to_string(),
        action: action.code().to_string(),
        object_type: target.kind.to_string(),
        object_id: target.id,
        province_code: target.province,
        commune_code: target.commune,
        changes,
        request_id,
    };
    audit::append(tx, ctx.now(), &r).await?;
    Ok(())
}

/// One change meaning "this is what happened" (for actions without field changes).
pub fn note(field: &str, text: impl Into<String>) -> Vec<Change> {
    vec![Change { field: field.to_string(), before: None, after: Some(text.into()) }]
}

/// Filters of the audit page, as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AuditQuery {
    /// Province of the object.
    pub province: Option<String>,
    /// Commune of the object.
    pub commune: Option<String>,
    /// Login name.
    pub username: Option<String>,
    /// Unit of the actor (code).
    pub unit: Option<String>,
    /// Action code.
    pub action: Option<String>,
    /// Object type.
    pub object_type: Option<String>,
    /// Object id.
    pub object_id: Option<String>,
    /// First day (YYYY-MM-DD, Vietnam time).
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, Vietnam time).
    pub to: Option<String>,
}

fn day_start(field: &str, v: &Option<String>, days_after: i64, e: &mut FieldErrors) -> Option<chrono::DateTime<Utc>> {
    let s = non_empty(v)?;
    match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        Ok(d) => {
            let local = (d + chrono::Duration::days(days_after)).and_hms_opt(0, 0, 0)?;
            Some(Utc.from_utc_datetime(&local) - chrono::Duration::hours(7))
        }
        Err(_) => {
            e.add(field, "Ngày phải có dạng NNNN-TT-NN.");
            None
        }
    }
}

impl AuditQuery {
    /// The store filter, narrowed to the actor's scope; bad dates are refused.
    pub fn filter(&self, actor: &Actor) -> AppResult<AuditFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        let mut e = FieldErrors::new();
        let from = day_start("from", &self.from, 0, &mut e);
        let until = day_start("to", &self.to, 1, &mut e);
        if let Some(a) = non_empty(&self.action)
            && AuditAction::from_code(&a).is_none()
        {
            e.add("action", format!("Không có thao tác «{a}»."));
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok(AuditFilter {
            province,
            commune,
            username: non_empty(&self.username),
            unit: non_empty(&self.unit),
            action: non_empty(&self.action),
            object_type: non_empty(&self.object_type),
            object_id: non_empty(&self.object_id),
            from,
            until,
        })
    }
}

/// One page of entries in scope, newest first.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &AuditQuery, page: PageRequest) -> AppResult<Page<AuditEntry>> {
    actor.require(Permission::ReadAudit)?;
    Ok(audit::list(&ctx.db, &q.filter(actor)?, page).await?)
}

/// Every entry in scope matching the filters, oldest first (exports).
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &AuditQuery) -> AppResult<Vec<AuditEntry>> {
    actor.require(Permission::ReadAudit)?;
    Ok(audit::list_all(&ctx.db, &q.filter(actor)?).await?)
}

/// Checks the whole chain. The answer (intact, or the number of the first broken entry)
/// reveals no entry's contents, so every reader of the audit trail may ask for it.
#[tracing::instrument(skip_all)]
pub async fn verify(ctx: &AppCtx, actor: &Actor) -> AppResult<Verdict> {
    actor.require(Permission::ReadAudit)?;
    Ok(audit::verify(&ctx.db).await?)
}

/// The fields of `after` that differ from `before` (`None`: a new object, every field).
pub fn changes(before: Option<&impl serde::Serialize>, after: &impl serde::Serialize) -> Vec<Change> {
    let before = before.map(|b| serde_json::to_value(b).unwrap_or_default()).unwrap_or_default();
    antq_domain::audit::json_diff(&before, &serde_json::to_value(after).unwrap_or_default())
}

static EXPORT_COLUMNS: &[antq_interchange::Column] = &[
    antq_interchange::Column::plain("id", "Số thứ tự"),
    antq_interchange::Column::plain("at", "Thời điểm (UTC)"),
    antq_interchange::Column::plain("username", "Người thực hiện"),
    antq_interchange::Column::plain("unit_code", "Đơn vị"),
    antq_interchange::Column::plain("action", "Thao tác"),
    antq_interchange::Column::plain("object_type", "Loại đối tượng"),
    antq_interchange::Column::plain("object_id", "Số hiệu đối tượng"),
    antq_interchange::Column::plain("province_code", "Mã tỉnh"),
    antq_interchange::Column::plain("commune_code", "Mã xã"),
    antq_interchange::Column::plain("changes", "Thay đổi"),
    antq_interchange::Column::plain("request_id", "Mã yêu cầu"),
    antq_interchange::Column::plain("prev_hash", "Băm mục trước"),
    antq_interchange::Column::plain("hash", "Băm"),
];

/// The filtered entries as a CSV or XLSX file, hashes included (so a copy can be checked).
#[tracing::instrument(skip_all)]
pub async fn export(
    ctx: &AppCtx,
    actor: &Actor,
    q: &AuditQuery,
    format: antq_interchange::Format,
) -> AppResult<Vec<u8>> {
    let rows: Vec<Vec<String>> = list_all(ctx, actor, q)
        .await?
        .into_iter()
        .map(|e| {
            let changes = e.change_list().iter().map(|c| c.to_string()).collect::<Vec<_>>().join("; ");
            vec![
                e.id.to_string(),
                e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                e.username,
                e.unit_code,
                AuditAction::from_code(&e.action).map(|a| a.label().to_string()).unwrap_or(e.action),
                e.object_type,
                e.object_id.unwrap_or_default(),
                e.province_code.unwrap_or_default(),
                e.commune_code.unwrap_or_default(),
                changes,
                e.request_id.unwrap_or_default(),
                e.prev_hash,
                e.hash,
            ]
        })
        .collect();
    Ok(antq_interchange::write(format, "Nhật ký hệ thống", EXPORT_COLUMNS, &rows))
}

/// Records that a backup was written (by the operator at the command line).
pub async fn record_backup(ctx: &AppCtx, actor: &Actor, file: &str) -> AppResult<()> {
    actor.require(Permission::ManageUsers)?;
    let mut tx = ctx.db.begin().await?;
    let target = Target { kind: "database", id: None, province: None, commune: None };
    record(&mut tx, ctx, actor, AuditAction::Backup, target, &note("file", file)).await?;
    tx.commit().await?;
    Ok(())
}
