//! Recorded changes to the working-day calendar, one row per day.

use antq_domain::calendar::{DayChange, DayKind};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

/// Every recorded change, by day.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db) -> StoreResult<Vec<DayChange>> {
    const SQL: &str = "SELECT day, kind, name, legal_basis FROM calendar_days ORDER BY day";
    let rows: Vec<(NaiveDate, String, String, String)> = with_db!(db, p => sqlx::query_as(SQL).fetch_all(p).await)?;
    rows.into_iter()
        .map(|(day, kind, name, legal_basis)| {
            let kind = DayKind::from_code(&kind)
                .ok_or_else(|| StoreError::Database(sqlx::Error::Decode("unknown kind in calendar_days".into())))?;
            Ok(DayChange { day, kind, name, legal_basis })
        })
        .collect()
}

/// Records a change, replacing the one recorded for the same day; returns the one replaced.
#[tracing::instrument(skip_all)]
pub async fn record(tx: &mut Tx, c: &DayChange, by: &str, now: DateTime<Utc>) -> StoreResult<Option<DayChange>> {
    const OLD: &str = "SELECT kind, name, legal_basis FROM calendar_days WHERE day = $1";
    const SQL: &str = "INSERT INTO calendar_days (day, kind, name, legal_basis, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
         legal_basis = excluded.legal_basis, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at";
    let old: Option<(String, String, String)> =
        with_tx!(tx, t => sqlx::query_as(OLD).bind(c.day).fetch_optional(&mut *t).await)?;
    with_tx!(tx, t => sqlx::query(SQL).bind(c.day).bind(c.kind.code()).bind(&c.name).bind(&c.legal_basis).bind(by).bind(now)
        .execute(t).await.map(|_| ()))?;
    Ok(old.and_then(|(kind, name, legal_basis)| {
        Some(DayChange { day: c.day, kind: DayKind::from_code(&kind)?, name, legal_basis })
    }))
}

/// Removes the change of a day (the law's calendar applies again); returns it.
#[tracing::instrument(skip_all)]
pub async fn remove(tx: &mut Tx, day: NaiveDate) -> StoreResult<DayChange> {
    const SQL: &str = "DELETE FROM calendar_days WHERE day = $1 RETURNING kind, name, legal_basis";
    let row: Option<(String, String, String)> =
        with_tx!(tx, t => sqlx::query_as(SQL).bind(day).fetch_optional(t).await)?;
    let (kind, name, legal_basis) = row.ok_or(StoreError::NotFound)?;
    let kind = DayKind::from_code(&kind).ok_or(StoreError::NotFound)?;
    Ok(DayChange { day, kind, name, legal_basis })
}
