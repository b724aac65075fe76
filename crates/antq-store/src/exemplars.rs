//! Registrations of exemplary units and their results.

use antq_domain::exemplar::{Exemplar, ExemplarDecision, ExemplarKind, ExemplarResult};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all};
use crate::{Db, StoreError, StoreResult, Tx, with_tx};

type Row = (
    i64,
    i64,
    String,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    NaiveDate,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<String>,
);

fn decode(r: Row) -> StoreResult<Exemplar> {
    let bad = || StoreError::Database(sqlx::Error::Decode("unknown code in exemplars".into()));
    let (
        id,
        year,
        kind,
        establishment_id,
        province_code,
        commune_code,
        name,
        field,
        registered_on,
        result,
        decision_no,
        decided_on,
        note,
    ) = r;
    Ok(Exemplar {
        id,
        year: year as i32,
        kind: ExemplarKind::from_code(&kind).ok_or_else(bad)?,
        establishment_id,
        province_code,
        commune_code,
        name,
        field,
        registered_on,
        result: ExemplarResult::from_code(&result).ok_or_else(bad)?,
        decision_no,
        decided_on,
        note,
    })
}

const SELECT: &str = "SELECT id, year, kind, establishment_id, province_code, commune_code, name, field, registered_on, result, \
     decision_no, decided_on, note FROM exemplars WHERE 1=1";

/// Registrations of a year in a place.
pub async fn list(db: &Db, year: i32, province: Option<&str>, commune: Option<&str>) -> StoreResult<Vec<Exemplar>> {
    let mut q = Sql::new(SELECT);
    q.push(" AND year = ").bind(Arg::I64(year as i64));
    q.and_eq("province_code", province).and_eq("commune_code", commune).push(" ORDER BY commune_code, kind, name, id");
    fetch_all::<Row>(db, &q).await?.into_iter().map(decode).collect()
}

/// One registration.
pub async fn get(db: &Db, id: i64) -> StoreResult<Exemplar> {
    let mut q = Sql::new(SELECT);
    q.push(" AND id = ").bind(Arg::I64(id));
    decode(fetch_all::<Row>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?)
}

/// Records a registration; a second one of the same unit and year is a `Conflict`.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    year: i32,
    kind: ExemplarKind,
    establishment_id: Option<i64>,
    (province, commune): (&str, &str),
    name: &str,
    (field, note): (Option<&str>, Option<&str>),
    registered_on: NaiveDate,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO exemplars (year, kind, establishment_id, province_code, commune_code, name, field, registered_on, \
         result, note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'dang_ky', $9, $10, $11, $11) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(year as i64).bind(kind.code()).bind(establishment_id).bind(province).bind(commune).bind(name).bind(field)
        .bind(registered_on).bind(note).bind(by).bind(now).fetch_one(c).await)?)
}

/// Records the result of a registration still waiting for one.
pub async fn decide(tx: &mut Tx, id: i64, d: &ExemplarDecision, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE exemplars SET result = $1, decision_no = $2, decided_on = $3, updated_at = $4 WHERE id = $5 AND result = 'dang_ky'";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(d.result.code()).bind(&d.decision_no).bind(d.decided_on).bind(now).bind(id)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::Conflict) } else { Ok(()) }
}
