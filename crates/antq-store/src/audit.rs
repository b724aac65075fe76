//! The append-only, hash-chained audit trail.

use antq_domain::audit::{AuditEntry, AuditRecord, ChainError, ChainVerifier, audit_time, entry_hash};
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, Utc};

use crate::sql::{Arg, Sql, fetch_all, fetch_page};
use crate::{Db, StoreResult, Tx, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: DateTime<Utc>,
    user_id: Option<i64>,
    username: String,
    unit_code: String,
    action: String,
    object_type: String,
    object_id: Option<String>,
    province_code: Option<String>,
    commune_code: Option<String>,
    changes: String,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<Row> for AuditEntry {
    fn from(r: Row) -> Self {
        AuditEntry {
            id: r.id,
            at: r.at,
            user_id: r.user_id,
            username: r.username,
            unit_code: r.unit_code,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            changes: r.changes,
            request_id: r.request_id,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const COLUMNS: &str = "id, at, user_id, username, unit_code, action, object_type, object_id, province_code, \
     commune_code, changes, request_id, prev_hash, hash";

/// Appends an entry inside the transaction that makes the change; returns its number.
///
/// Moving the head first takes the write lock (SQLite) or the head row's lock (PostgreSQL)
/// until the transaction ends, so concurrent writers append one after another.
#[tracing::instrument(skip_all)]
pub async fn append(tx: &mut Tx, at: DateTime<Utc>, r: &AuditRecord) -> StoreResult<i64> {
    const HEAD: &str = "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash";
    const SET_HASH: &str = "UPDATE audit_head SET last_hash = $1 WHERE id = 1";
    const INSERT: &str = "INSERT INTO audit_log (id, at, user_id, username, unit_code, action, object_type, object_id, \
         province_code, commune_code, changes, request_id, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
    let at = audit_time(at);
    let (seq, prev): (i64, String) = with_tx!(tx, c => sqlx::query_as(HEAD).fetch_one(c).await)?;
    let hash = entry_hash(&prev, seq, at, r);
    with_tx!(tx, c => sqlx::query(INSERT)
        .bind(seq).bind(at).bind(r.user_id).bind(&r.username).bind(&r.unit_code).bind(&r.action).bind(&r.object_type)
        .bind(&r.object_id).bind(&r.province_code).bind(&r.commune_code).bind(&r.changes).bind(&r.request_id)
        .bind(&prev).bind(&hash).execute(c).await.map(|_| ()))?;
    with_tx!(tx, c => sqlx::query(SET_HASH).bind(&hash).execute(c).await.map(|_| ()))?;
    Ok(seq)
}

/// Filters of the audit page.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Province of the object.
    pub province: Option<String>,
    /// Commune of the object.
    pub commune: Option<String>,
    /// Login name.
    pub username: Option<String>,
    /// Unit of the actor.
    pub unit: Option<String>,
    /// Action code.
    pub action: Option<String>,
    /// Object type.
    pub object_type: Option<String>,
    /// Object id.
    pub object_id: Option<String>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
}

impl AuditFilter {
    fn where_clause(&self) -> Sql {
        let mut s = Sql::new("FROM audit_log WHERE 1=1");
        s.and_eq("province_code", self.province.as_deref())
            .and_eq("commune_code", self.commune.as_deref())
            .and_eq("username", self.username.as_deref())
            .and_eq("unit_code", self.unit.as_deref())
            .and_eq("action", self.action.as_deref())
            .and_eq("object_type", self.object_type.as_deref())
            .and_eq("object_id", self.object_id.as_deref());
        if let Some(t) = self.from {
            s.push(" AND at >= ").bind(Arg::Time(t));
        }
        if let Some(t) = self.until {
            s.push(" AND at < ").bind(Arg::Time(t));
        }
        s
    }
}

/// One page of entries, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, f: &AuditFilter, page: PageRequest) -> StoreResult<Page<AuditEntry>> {
    let (rows, total) = fetch_page::<Row>(db, COLUMNS, &f.where_clause(), "id DESC", page).await?;
    Ok(Page {
        items: rows.into_iter().map(AuditEntry::from).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching entry, oldest first (exports).
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
    let mut q = f.where_clause();
    q.text = format!("SELECT {COLUMNS} {} ORDER BY id", q.text);
    Ok(fetch_all::<Row>(db, &q).await?.into_iter().map(AuditEntry::from).collect())
}

/// The outcome of [`verify`].
pub type Verdict = Result<i64, ChainError>;

/// Reads the whole chain in order, in batches, and checks every link; `Ok(n)` is the number
/// of entries verified.
#[tracing::instrument(skip_all)]
pub async fn verify(db: &Db) -> StoreResult<Verdict> {
    const BATCH: i64 = 5_000;
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2");
    let (head_seq, head_hash): (i64, String) =
        with_db!(db, p => sqlx::query_as("SELECT seq, last_hash FROM audit_head WHERE id = 1").fetch_one(p).await)?;
    let mut v = ChainVerifier::default();
    let mut after = 0i64;
    loop {
        let rows: Vec<Row> = with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(after).bind(BATCH).fetch_all(p).await)?;
        let n = rows.len() as i64;
        for r in rows {
            let e = AuditEntry::from(r);
            after = e.id;
            if let Err(err) = v.check(&e) {
                return Ok(Err(err));
            }
        }
        if n < BATCH {
            break;
        }
    }
    Ok(v.finish(head_seq, &head_hash))
}
