//! Stored official reports (C13): drafts with the parts an officer writes, and issued reports
//! frozen with their document, PDF and XLSX.

use antq_domain::official::{OfficialReport, OfficialState, Parts, Period, PeriodKind};
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all, fetch_page, update_in_state};
use crate::{Db, StoreError, StoreResult, Tx, bind_args, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    province_code: Option<String>,
    commune_code: Option<String>,
    unit_code: String,
    period_kind: String,
    period_year: i64,
    period_from: NaiveDate,
    period_to: NaiveDate,
    state: String,
    parts: String,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    issued_by: Option<String>,
    issued_at: Option<DateTime<Utc>>,
    pdf_sha256: Option<String>,
    xlsx_sha256: Option<String>,
}

fn bad() -> StoreError {
    StoreError::Database(sqlx::Error::Decode("unknown code in official_reports".into()))
}

impl TryFrom<Row> for OfficialReport {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<OfficialReport> {
        Ok(OfficialReport {
            id: r.id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            unit_code: r.unit_code,
            period: Period {
                kind: PeriodKind::from_code(&r.period_kind).ok_or_else(bad)?,
                year: i32::try_from(r.period_year).map_err(|_| bad())?,
                from: r.period_from,
                to: r.period_to,
            },
            state: OfficialState::from_code(&r.state).ok_or_else(bad)?,
            parts: serde_json::from_str(&r.parts).map_err(|_| bad())?,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            issued_by: r.issued_by,
            issued_at: r.issued_at,
            pdf_sha256: r.pdf_sha256,
            xlsx_sha256: r.xlsx_sha256,
        })
    }
}

const COLUMNS: &str = "id, province_code, commune_code, unit_code, period_kind, period_year, period_from, period_to, \
     state, parts, created_by, created_at, updated_at, issued_by, issued_at, pdf_sha256, xlsx_sha256";
const ORDER: &str = "period_year DESC, period_to DESC, unit_code, id DESC";

/// Filters of the list.
#[derive(Clone, Debug, Default)]
pub struct OfficialFilter {
    /// Province (the country's reports are listed only without one).
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Year reported on.
    pub year: Option<i32>,
    /// Draft or issued.
    pub state: Option<OfficialState>,
}

fn filter(f: &OfficialFilter) -> Sql {
    let mut q = Sql::new("FROM official_reports WHERE 1=1");
    q.and_eq("province_code", f.province.as_deref()).and_eq("commune_code", f.commune.as_deref());
    if let Some(y) = f.year {
        q.push(" AND period_year = ").bind(Arg::I64(i64::from(y)));
    }
    q.and_eq("state", f.state.map(OfficialState::code));
    q
}

/// One page of reports.
#[tracing::instrument(skip_all)]
pub async fn list_page(db: &Db, f: &OfficialFilter, page: PageRequest) -> StoreResult<Page<OfficialReport>> {
    let (rows, total) = fetch_page::<Row>(db, COLUMNS, &filter(f), ORDER, page).await?;
    let items = rows.into_iter().map(OfficialReport::try_from).collect::<StoreResult<Vec<_>>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// Every report matching `f`.
pub async fn list_all(db: &Db, f: &OfficialFilter) -> StoreResult<Vec<OfficialReport>> {
    let w = filter(f);
    let q = Sql { text: format!("SELECT {COLUMNS} {} ORDER BY {ORDER}", w.text), args: w.args };
    fetch_all::<Row>(db, &q).await?.into_iter().map(OfficialReport::try_from).collect()
}

/// One report.
pub async fn get(db: &Db, id: i64) -> StoreResult<OfficialReport> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM official_reports WHERE id = "));
    q.bind(Arg::I64(id));
    fetch_all::<Row>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

fn parts_json(p: &Parts) -> String {
    serde_json::to_string(p).expect("parts serialise")
}

/// A new draft.
pub async fn insert(
    tx: &mut Tx,
    place: (Option<&str>, Option<&str>),
    unit_code: &str,
    period: &Period,
    parts: &Parts,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let mut q = Sql::new(
        "INSERT INTO official_reports (province_code, commune_code, unit_code, period_kind, period_year, period_from, \
         period_to, state, parts, created_by, created_at, updated_at) VALUES ",
    );
    q.values_row(
        true,
        [
            Arg::OptText(place.0.map(Into::into)),
            Arg::OptText(place.1.map(Into::into)),
            Arg::Text(unit_code.into()),
            Arg::Text(period.kind.code().into()),
            Arg::I64(i64::from(period.year)),
            Arg::Date(period.from),
            Arg::Date(period.to),
            Arg::Text(OfficialState::Draft.code().into()),
            Arg::Text(parts_json(parts)),
            Arg::Text(by.into()),
            Arg::Time(now),
            Arg::Time(now),
        ],
    );
    q.push(" RETURNING id");
    Ok(with_tx!(tx, c => bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
        .fetch_one(c).await)?)
}

/// Sets a draft's period and parts; an issued report is a `Conflict`.
pub async fn update_draft(tx: &mut Tx, id: i64, period: &Period, parts: &Parts, now: DateTime<Utc>) -> StoreResult<()> {
    update_in_state(
        tx,
        "official_reports",
        id,
        OfficialState::Draft.code(),
        "period_kind = ?, period_year = ?, period_from = ?, period_to = ?, parts = ?, updated_at = ?",
        vec![
            Arg::Text(period.kind.code().into()),
            Arg::I64(i64::from(period.year)),
            Arg::Date(period.from),
            Arg::Date(period.to),
            Arg::Text(parts_json(parts)),
            Arg::Time(now),
        ],
    )
    .await
}

/// What an issued report is frozen with.
#[derive(Clone, Debug)]
pub struct Frozen {
    /// The parts as issued (the date filled in).
    pub parts: Parts,
    /// The whole document, JSON.
    pub body: String,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The XLSX.
    pub xlsx: Vec<u8>,
    /// SHA-256 of the PDF, hex.
    pub pdf_sha256: String,
    /// SHA-256 of the XLSX, hex.
    pub xlsx_sha256: String,
}

/// Issues a draft; one already issued is a `Conflict`.
pub async fn issue(tx: &mut Tx, id: i64, f: Frozen, by: &str, now: DateTime<Utc>) -> StoreResult<()> {
    update_in_state(
        tx,
        "official_reports",
        id,
        OfficialState::Draft.code(),
        "state = ?, parts = ?, body = ?, pdf = ?, xlsx = ?, pdf_sha256 = ?, xlsx_sha256 = ?, issued_by = ?, issued_at = ?, updated_at = ?",
        vec![
            Arg::Text(OfficialState::Issued.code().into()),
            Arg::Text(parts_json(&f.parts)),
            Arg::Text(f.body),
            Arg::Bytes(f.pdf),
            Arg::Bytes(f.xlsx),
            Arg::Text(f.pdf_sha256),
            Arg::Text(f.xlsx_sha256),
            Arg::Text(by.into()),
            Arg::Time(now),
            Arg::Time(now),
        ],
    )
    .await
}

/// Removes a draft; an issued report is a `Conflict` (it is never deleted).
pub async fn delete_draft(tx: &mut Tx, id: i64) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM official_reports WHERE id = ");
    q.bind(Arg::I64(id)).push(" AND state = ").bind(Arg::Text(OfficialState::Draft.code().into()));
    let n = with_tx!(tx, c => bind_args!(sqlx::query(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::Conflict) } else { Ok(()) }
}

/// Which stored file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// The frozen document, JSON.
    Body,
    /// The PDF.
    Pdf,
    /// The XLSX.
    Xlsx,
}

/// The frozen body (JSON bytes) or a file of an issued report; `None` for a draft.
pub async fn stored(db: &Db, id: i64, which: Stored) -> StoreResult<Option<Vec<u8>>> {
    let col = match which {
        Stored::Body => "body",
        Stored::Pdf => "pdf",
        Stored::Xlsx => "xlsx",
    };
    let mut q = Sql::new(&format!("SELECT {col} FROM official_reports WHERE id = "));
    q.bind(Arg::I64(id));
    let sql = q.text.clone();
    let v: Option<Option<Vec<u8>>> = if which == Stored::Body {
        let r: Option<Option<String>> = crate::with_db!(db, p => bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())), q.args.clone())
            .fetch_optional(p).await)?;
        r.map(|b| b.map(String::into_bytes))
    } else {
        crate::with_db!(db, p => bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())), q.args.clone())
            .fetch_optional(p).await)?
    };
    v.ok_or(StoreError::NotFound)
}
