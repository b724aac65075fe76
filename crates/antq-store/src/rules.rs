//! Rule values and criteria sets: rows with legal basis and validity, never edited in place.

use antq_domain::rating::{CriteriaSet, CriteriaSetFields, CriteriaSubject, Criterion};
use antq_domain::rules::{Rule, RuleCode, RuleFields};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

type RuleRow = (i64, String, Option<String>, String, String, NaiveDate, Option<NaiveDate>, Option<String>);

fn bad(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("unknown code in {what}").into()))
}

/// Every rule value, by code, province and start.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db) -> StoreResult<Vec<Rule>> {
    const SQL: &str = "SELECT id, code, province_code, value, legal_basis, valid_from, valid_to, note FROM rule_values \
         ORDER BY code, COALESCE(province_code, ''), valid_from";
    let rows: Vec<RuleRow> = with_db!(db, p => sqlx::query_as(SQL).fetch_all(p).await)?;
    rows.into_iter()
        .map(|(id, code, province_code, value, legal_basis, valid_from, valid_to, note)| {
            Ok(Rule {
                id,
                code: RuleCode::from_code(&code).ok_or_else(|| bad("rule_values"))?,
                province_code,
                value,
                legal_basis,
                valid_from,
                valid_to,
                note,
            })
        })
        .collect()
}

/// The latest start of a value of `code` for `province` (`None`: national).
pub async fn latest_start(db: &Db, code: RuleCode, province: Option<&str>) -> StoreResult<Option<NaiveDate>> {
    const SQL: &str = "SELECT MAX(valid_from) FROM rule_values WHERE code = $1 AND COALESCE(province_code, '') = $2";
    Ok(with_db!(db, p => sqlx::query_scalar(SQL).bind(code.code()).bind(province.unwrap_or("")).fetch_one(p).await)?)
}

/// Adds a value; the open value of the same code and province ends the day before.
#[tracing::instrument(skip_all)]
pub async fn insert(tx: &mut Tx, f: &RuleFields, by: &str, now: DateTime<Utc>) -> StoreResult<i64> {
    const CLOSE: &str = "UPDATE rule_values SET valid_to = $1 WHERE code = $2 AND COALESCE(province_code, '') = $3 \
         AND valid_to IS NULL AND valid_from < $4";
    const SQL: &str = "INSERT INTO rule_values (code, province_code, value, legal_basis, valid_from, valid_to, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8) RETURNING id";
    let day_before = f.valid_from.pred_opt().unwrap_or(f.valid_from);
    let province = f.province_code.as_deref().unwrap_or("");
    with_tx!(tx, c => sqlx::query(CLOSE).bind(day_before).bind(f.code.code()).bind(province).bind(f.valid_from)
        .execute(c).await.map(|_| ()))?;
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(f.code.code()).bind(&f.province_code).bind(&f.value).bind(&f.legal_basis).bind(f.valid_from)
        .bind(&f.note).bind(by).bind(now).fetch_one(c).await)?)
}

type SetRow = (i64, String, Option<i64>, Option<String>, i64, String, String, NaiveDate, Option<NaiveDate>);

/// Every criteria set version with its criteria.
#[tracing::instrument(skip_all)]
pub async fn criteria_sets(db: &Db) -> StoreResult<Vec<CriteriaSet>> {
    const SETS: &str = "SELECT id, subject, model_type_id, province_code, version, name, legal_basis, valid_from, valid_to \
         FROM criteria_sets ORDER BY subject, COALESCE(model_type_id, 0), COALESCE(province_code, ''), version";
    const ITEMS: &str = "SELECT set_id, code, text, points FROM criteria ORDER BY set_id, position";
    let sets: Vec<SetRow> = with_db!(db, p => sqlx::query_as(SETS).fetch_all(p).await)?;
    let items: Vec<(i64, String, String, i64)> = with_db!(db, p => sqlx::query_as(ITEMS).fetch_all(p).await)?;
    sets.into_iter()
        .map(|(id, subject, model_type_id, province_code, version, name, legal_basis, valid_from, valid_to)| {
            Ok(CriteriaSet {
                id,
                subject: CriteriaSubject::from_code(&subject).ok_or_else(|| bad("criteria_sets"))?,
                model_type_id,
                province_code,
                version,
                name,
                legal_basis,
                valid_from,
                valid_to,
                criteria: items
                    .iter()
                    .filter(|i| i.0 == id)
                    .map(|(_, code, text, points)| Criterion {
                        code: code.clone(),
                        text: text.clone(),
                        points: *points,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Adds a version of the criteria set of `(subject, type, province)`; the open version ends
/// the day before. Returns `(id, version)`.
#[tracing::instrument(skip_all)]
pub async fn insert_criteria_set(
    tx: &mut Tx,
    f: &CriteriaSetFields,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<(i64, i64)> {
    const KEY: &str = "subject = $1 AND COALESCE(model_type_id, 0) = $2 AND COALESCE(province_code, '') = $3";
    let close = format!("UPDATE criteria_sets SET valid_to = $4 WHERE {KEY} AND valid_to IS NULL AND valid_from < $5");
    let max = format!("SELECT COALESCE(MAX(version), 0) FROM criteria_sets WHERE {KEY}");
    const SQL: &str = "INSERT INTO criteria_sets (subject, model_type_id, province_code, version, name, legal_basis, valid_from, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    const ITEM: &str = "INSERT INTO criteria (set_id, code, text, points, position) VALUES ($1, $2, $3, $4, $5)";
    let subject = f.subject;
    let (t, p) = (f.model_type_id.unwrap_or(0), f.province_code.as_deref().unwrap_or(""));
    let day_before = f.valid_from.pred_opt().unwrap_or(f.valid_from);
    with_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(close.clone())).bind(subject.code()).bind(t).bind(p)
        .bind(day_before).bind(f.valid_from).execute(c).await.map(|_| ()))?;
    let version: i64 = with_tx!(tx, c => sqlx::query_scalar(sqlx::AssertSqlSafe(max.clone()))
        .bind(subject.code()).bind(t).bind(p).fetch_one(c).await)?;
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(subject.code()).bind(f.model_type_id).bind(&f.province_code).bind(version + 1).bind(&f.name)
        .bind(&f.legal_basis).bind(f.valid_from).bind(by).bind(now).fetch_one(c).await)?;
    for (i, c) in f.criteria.iter().enumerate() {
        with_tx!(tx, conn => sqlx::query(ITEM).bind(id).bind(&c.code).bind(&c.text).bind(c.points).bind(i as i64 + 1)
            .execute(conn).await.map(|_| ()))?;
    }
    Ok((id, version + 1))
}

/// The latest start of a version of `(subject, type, province)`.
pub async fn latest_set_start(
    db: &Db,
    subject: CriteriaSubject,
    model_type: Option<i64>,
    province: Option<&str>,
) -> StoreResult<Option<NaiveDate>> {
    const SQL: &str = "SELECT MAX(valid_from) FROM criteria_sets WHERE subject = $1 AND COALESCE(model_type_id, 0) = $2 \
         AND COALESCE(province_code, '') = $3";
    Ok(with_db!(db, p => sqlx::query_scalar(SQL)
        .bind(subject.code()).bind(model_type.unwrap_or(0)).bind(province.unwrap_or("")).fetch_one(p).await)?)
}
