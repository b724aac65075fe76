//! Yearly targets (C12): the indicators (national and each province's), the targets of
//! provinces and communes, and the live counts of every source of a formula, per commune of a
//! province and year, read straight from the registers.

use antq_domain::page::{Page, PageRequest};
use antq_domain::target::{Indicator, IndicatorFields, IndicatorUnit, Source, Target, Term};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, execute, fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult, Tx, bind_args, with_tx};

fn bad(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("unknown code in {what}").into()))
}

// ---------------------------------------------------------------------------------------
// Indicators

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    id: i64,
    code: String,
    province_code: Option<String>,
    name: String,
    formula: String,
    unit: String,
    source: String,
    active: bool,
}

impl TryFrom<IndicatorRow> for Indicator {
    type Error = StoreError;
    fn try_from(r: IndicatorRow) -> StoreResult<Indicator> {
        Ok(Indicator {
            unit: IndicatorUnit::from_code(&r.unit).ok_or_else(|| bad("target_indicators"))?,
            id: r.id,
            code: r.code,
            province_code: r.province_code,
            name: r.name,
            formula: r.formula,
            source: r.source,
            active: r.active,
        })
    }
}

const INDICATOR_SELECT: &str =
    "SELECT id, code, province_code, name, formula, unit, source, active FROM target_indicators WHERE 1=1";

/// The national indicators and those of `province` (every province's when `None`), national
/// first, in catalogue order.
pub async fn indicators(db: &Db, province: Option<&str>) -> StoreResult<Vec<Indicator>> {
    let mut q = Sql::new(INDICATOR_SELECT);
    if let Some(p) = province {
        q.push(" AND (province_code IS NULL OR province_code = ").bind(Arg::Text(p.into())).push(")");
    }
    q.push(" ORDER BY province_code IS NOT NULL, province_code, sort_order, id");
    fetch_all::<IndicatorRow>(db, &q).await?.into_iter().map(Indicator::try_from).collect()
}

/// One indicator.
pub async fn indicator(db: &Db, id: i64) -> StoreResult<Indicator> {
    let mut q = Sql::new(INDICATOR_SELECT);
    q.push(" AND id = ").bind(Arg::I64(id));
    fetch_all::<IndicatorRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// Adds an indicator of a province (or national, `None`); a code its owner already has is a
/// `Conflict`.
pub async fn insert_indicator(
    tx: &mut Tx,
    province: Option<&str>,
    f: &IndicatorFields,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let mut q = Sql::new(
        "INSERT INTO target_indicators (code, province_code, name, formula, unit, source, active, sort_order, created_at, updated_at) VALUES ",
    );
    q.values_row(
        true,
        [
            Arg::Text(f.code.clone()),
            Arg::OptText(province.map(Into::into)),
            Arg::Text(f.name.clone()),
            Arg::Text(f.formula.clone()),
            Arg::Text(f.unit.code().into()),
            Arg::Text(f.source.clone()),
            Arg::Bool(f.active),
            Arg::I64(1000),
            Arg::Time(now),
            Arg::Time(now),
        ],
    );
    q.push(" RETURNING id");
    Ok(with_tx!(tx, c => bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
        .fetch_one(c).await)?)
}

/// Changes an indicator (its code and unit stay: targets are written in its unit).
pub async fn update_indicator(tx: &mut Tx, id: i64, f: &IndicatorFields, now: DateTime<Utc>) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE target_indicators SET name = ");
    q.bind(Arg::Text(f.name.clone()))
        .push(", formula = ")
        .bind(Arg::Text(f.formula.clone()))
        .push(", source = ")
        .bind(Arg::Text(f.source.clone()))
        .push(", active = ")
        .bind(Arg::Bool(f.active))
        .push(", updated_at = ")
        .bind(Arg::Time(now))
        .push(" WHERE id = ")
        .bind(Arg::I64(id));
    if execute(tx, &q).await? == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Whether a national indicator with this code exists (a province's code may not shadow it).
pub async fn national_code_taken(db: &Db, code: &str) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT id FROM target_indicators WHERE province_code IS NULL AND code = ");
    q.bind(Arg::Text(code.into()));
    Ok(!fetch_all::<(i64,)>(db, &q).await?.is_empty())
}

// ---------------------------------------------------------------------------------------
// Targets

#[derive(sqlx::FromRow)]
struct TargetRow {
    id: i64,
    year: i64,
    province_code: String,
    commune_code: Option<String>,
    indicator_id: i64,
    indicator_code: String,
    indicator_name: String,
    unit: String,
    target_milli: i64,
    note: Option<String>,
    created_by: String,
    updated_at: DateTime<Utc>,
}

impl TryFrom<TargetRow> for Target {
    type Error = StoreError;
    fn try_from(r: TargetRow) -> StoreResult<Target> {
        Ok(Target {
            unit: IndicatorUnit::from_code(&r.unit).ok_or_else(|| bad("target_indicators"))?,
            id: r.id,
            year: i32::try_from(r.year).map_err(|_| bad("targets"))?,
            province_code: r.province_code,
            commune_code: r.commune_code,
            indicator_id: r.indicator_id,
            indicator_code: r.indicator_code,
            indicator_name: r.indicator_name,
            target_milli: r.target_milli,
            note: r.note,
            created_by: r.created_by,
            updated_at: r.updated_at,
        })
    }
}

const TARGET_COLUMNS: &str = "t.id, t.year, t.province_code, t.commune_code, t.indicator_id, i.code AS indicator_code, \
     i.name AS indicator_name, i.unit, t.target_milli, t.note, t.created_by, t.updated_at";
const TARGET_FROM: &str = "FROM targets t JOIN target_indicators i ON i.id = t.indicator_id WHERE 1=1";
const TARGET_ORDER: &str =
    "t.year DESC, t.province_code, t.commune_code IS NOT NULL, t.commune_code, i.sort_order, t.indicator_id";

/// Filters of the target list.
#[derive(Clone, Debug, Default)]
pub struct TargetFilter {
    /// Year.
    pub year: Option<i32>,
    /// Province.
    pub province: Option<String>,
    /// Commune (its own targets).
    pub commune: Option<String>,
    /// Only the provinces' own targets (`Some(true)`) or only the communes' (`Some(false)`).
    pub province_level: Option<bool>,
    /// Indicator.
    pub indicator_id: Option<i64>,
}

fn target_filter(q: &mut Sql, f: &TargetFilter) {
    if let Some(y) = f.year {
        q.push(" AND t.year = ").bind(Arg::I64(i64::from(y)));
    }
    q.and_eq("t.province_code", f.province.as_deref()).and_eq("t.commune_code", f.commune.as_deref());
    match f.province_level {
        Some(true) => q.push(" AND t.commune_code IS NULL"),
        Some(false) => q.push(" AND t.commune_code IS NOT NULL"),
        None => q,
    };
    if let Some(i) = f.indicator_id {
        q.push(" AND t.indicator_id = ").bind(Arg::I64(i));
    }
}

/// One page of targets.
#[tracing::instrument(skip_all)]
pub async fn list_page(db: &Db, f: &TargetFilter, page: PageRequest) -> StoreResult<Page<Target>> {
    let mut q = Sql::new(TARGET_FROM);
    target_filter(&mut q, f);
    let (rows, total) = fetch_page::<TargetRow>(db, TARGET_COLUMNS, &q, TARGET_ORDER, page).await?;
    let items = rows.into_iter().map(Target::try_from).collect::<StoreResult<Vec<_>>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// Every target matching `f`.
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &TargetFilter) -> StoreResult<Vec<Target>> {
    let mut q = Sql::new(&format!("SELECT {TARGET_COLUMNS} {TARGET_FROM}"));
    target_filter(&mut q, f);
    q.push(&format!(" ORDER BY {TARGET_ORDER}"));
    fetch_all::<TargetRow>(db, &q).await?.into_iter().map(Target::try_from).collect()
}

/// One target.
pub async fn get(db: &Db, id: i64) -> StoreResult<Target> {
    let mut q = Sql::new(&format!("SELECT {TARGET_COLUMNS} {TARGET_FROM}"));
    q.push(" AND t.id = ").bind(Arg::I64(id));
    fetch_all::<TargetRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// A target to write.
#[derive(Clone, Debug)]
pub struct NewTarget<'a> {
    /// Year.
    pub year: i32,
    /// Province.
    pub province: &'a str,
    /// Commune (none: the province's own).
    pub commune: Option<&'a str>,
    /// Indicator.
    pub indicator_id: i64,
    /// Value in thousandths.
    pub target_milli: i64,
    /// Note.
    pub note: Option<&'a str>,
}

/// Writes targets in one statement; one that exists already (same year, unit, indicator) is a
/// `Conflict`.
pub async fn insert_many(tx: &mut Tx, rows: &[NewTarget<'_>], by: &str, now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(
        "INSERT INTO targets (year, province_code, commune_code, indicator_id, target_milli, note, created_by, created_at, updated_at) VALUES ",
    );
    for (k, r) in rows.iter().enumerate() {
        q.values_row(
            k == 0,
            [
                Arg::I64(i64::from(r.year)),
                Arg::Text(r.province.into()),
                Arg::OptText(r.commune.map(Into::into)),
                Arg::I64(r.indicator_id),
                Arg::I64(r.target_milli),
                Arg::OptText(r.note.map(Into::into)),
                Arg::Text(by.into()),
                Arg::Time(now),
                Arg::Time(now),
            ],
        );
    }
    q.push(" RETURNING id");
    let mut ids: Vec<i64> = with_tx!(tx, c => bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
        .fetch_all(c).await)?;
    ids.sort_unstable();
    Ok(ids)
}

/// Sets a target's value and note.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    target_milli: i64,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE targets SET target_milli = ");
    q.bind(Arg::I64(target_milli))
        .push(", note = ")
        .bind(Arg::OptText(note.map(Into::into)))
        .push(", updated_at = ")
        .bind(Arg::Time(now))
        .push(" WHERE id = ")
        .bind(Arg::I64(id));
    if execute(tx, &q).await? == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Removes a target.
pub async fn delete(tx: &mut Tx, id: i64) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM targets WHERE id = ");
    q.bind(Arg::I64(id));
    if execute(tx, &q).await? == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

// ---------------------------------------------------------------------------------------
// Sources

/// Model states that count as a working model.
const ACTIVE_MODEL: &str = "('da_ra_mat', 'hoat_dong', 'can_cung_co')";

/// `AND {col} IN ($…)` for the `|`-separated codes of parameter `name`, when given.
fn and_in(q: &mut Sql, col: &str, term: &Term, name: &str) {
    if let Some(v) = term.params.get(name) {
        q.push(" AND ").push(col).push(" IN (");
        for (k, code) in v.split('|').enumerate() {
            if k > 0 {
                q.push(", ");
            }
            q.bind(Arg::Text(code.into()));
        }
        q.push(")");
    }
}

/// `AND {col} IN (SELECT id FROM model_types WHERE code IN …)` for a `type=` parameter.
fn and_type(q: &mut Sql, col: &str, term: &Term) {
    if term.params.contains_key("type") {
        q.push(" AND ").push(col).push(" IN (SELECT id FROM model_types WHERE 1=1");
        and_in(q, "code", term, "type");
        q.push(")");
    }
}

/// The first and last day of a year.
fn year_days(year: i32) -> StoreResult<(NaiveDate, NaiveDate)> {
    Ok((
        NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| bad("year"))?,
        NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| bad("year"))?,
    ))
}

/// Reports received in `year` in each commune of a province (by place; `""` without a
/// commune): those handled, and those handled within the legal deadline — one read of the
/// covering index `reports_outcome` for both sources.
pub async fn report_outcomes(
    db: &Db,
    province: &str,
    year: i32,
) -> StoreResult<(Vec<(String, i64)>, Vec<(String, i64)>)> {
    let (from, to) = year_days(year)?;
    let mut q = Sql::new(
        "SELECT COALESCE(place_commune_code, ''), \
         CAST(SUM(CASE WHEN closed_on_time IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN closed_on_time THEN 1 ELSE 0 END) AS BIGINT) FROM reports WHERE place_province_code = ",
    );
    q.bind(Arg::Text(province.into()))
        .push(" AND received_on >= ")
        .bind(Arg::Date(from))
        .push(" AND received_on <= ")
        .bind(Arg::Date(to))
        .push(" GROUP BY 1");
    let rows: Vec<(String, i64, i64)> = fetch_all(db, &q).await?;
    let keep = |n: i64| n > 0;
    let handled = rows.iter().filter(|r| keep(r.1)).map(|r| (r.0.clone(), r.1)).collect();
    let on_time = rows.iter().filter(|r| keep(r.2)).map(|r| (r.0.clone(), r.2)).collect();
    Ok((handled, on_time))
}

/// What `term` counts in each commune of `province` in `year` (between `from` and `to`, its
/// first and last day): `(commune code, count)`, the province's own records (a province-level
/// model, a report without a commune) under `""`. Communes with nothing are left out; the
/// province's figure is the sum. Sources of a state (models active, areas, teams, cameras
/// working) read the registers as they are now.
#[tracing::instrument(skip_all)]
pub async fn term_counts(db: &Db, province: &str, year: i32, term: &Term) -> StoreResult<Vec<(String, i64)>> {
    let p = || Arg::Text(province.to_string());
    let (from, to) = year_days(year)?;
    let y = Arg::I64(i64::from(year));
    let mut q;
    match term.source {
        Source::Communes => {
            q = Sql::new("SELECT code, CAST(1 AS BIGINT) FROM units WHERE level = 'commune' AND parent_code = ");
            q.bind(p());
            return fetch_all(db, &q).await;
        }
        Source::CommunesWithModel => {
            q = Sql::new(
                "SELECT c, CAST(1 AS BIGINT) FROM (SELECT m.commune_code AS c FROM models m WHERE m.province_code = ",
            );
            q.bind(p()).push(" AND m.commune_code IS NOT NULL AND m.state IN ").push(ACTIVE_MODEL);
            and_type(&mut q, "m.type_id", term);
            // A site belongs to a model of its own province: saying so lets the planner start
            // from the province's models instead of the country's.
            q.push(" UNION SELECT s.commune_code FROM model_sites s JOIN models m ON m.id = s.model_id WHERE s.province_code = ");
            q.bind(p()).push(" AND m.province_code = ").bind(p());
            q.push(" AND s.state = 'hoat_dong' AND m.state IN ").push(ACTIVE_MODEL);
            and_type(&mut q, "m.type_id", term);
            q.push(") x GROUP BY c");
            return fetch_all(db, &q).await;
        }
        Source::ModelsNew | Source::ModelsActive => {
            q = Sql::new("SELECT COALESCE(commune_code, ''), COUNT(*) FROM models WHERE province_code = ");
            q.bind(p());
            if term.source == Source::ModelsNew {
                q.push(" AND registered_on >= ")
                    .bind(Arg::Date(from))
                    .push(" AND registered_on <= ")
                    .bind(Arg::Date(to));
            } else {
                q.push(" AND state IN ").push(ACTIVE_MODEL);
            }
            and_type(&mut q, "type_id", term);
        }
        Source::ModelsRated => {
            q = Sql::new("SELECT COALESCE(commune_code, ''), COUNT(*) FROM model_ratings WHERE province_code = ");
            q.bind(p()).push(" AND year = ").bind(y).push(" AND approved = TRUE AND rating <> 'chua_danh_gia'");
            and_type(&mut q, "type_id", term);
            and_in(&mut q, "rating", term, "rating");
        }
        Source::Areas => {
            q = Sql::new("SELECT commune_code, COUNT(*) FROM areas WHERE province_code = ");
            q.bind(p()).push(" AND valid_to IS NULL");
        }
        Source::AreasRecognised => {
            q = Sql::new("SELECT commune_code, COUNT(*) FROM antt_records WHERE year = ");
            q.bind(y).push(" AND province_code = ").bind(p()).push(" AND subject = 'khu_dan_cu' AND state = 'dat'");
        }
        Source::AreasCoveredByTeam => {
            q = Sql::new(
                "SELECT a.commune_code, COUNT(DISTINCT a.area_id) FROM force_team_areas a \
                 JOIN force_teams t ON t.id = a.team_id WHERE a.province_code = ",
            );
            q.bind(p()).push(" AND t.province_code = ").bind(p());
            q.push(" AND a.open AND t.state IN ('da_thanh_lap', 'cho_giai_the') GROUP BY a.commune_code");
            return fetch_all(db, &q).await;
        }
        Source::ReportsHandled | Source::ReportsOnTime => {
            let (handled, on_time) = report_outcomes(db, province, year).await?;
            return Ok(if term.source == Source::ReportsOnTime { on_time } else { handled });
        }
        Source::CamerasInstalled => return crate::cameras::installed_counts(db, Some(province), (from, to)).await,
        Source::CommunesWithCamera => {
            q = Sql::new("SELECT commune_code, CAST(1 AS BIGINT) FROM camera_totals WHERE province_code = ");
            q.bind(p()).push(" AND status = 'hoat_dong' AND cameras > 0 GROUP BY commune_code");
            return fetch_all(db, &q).await;
        }
        Source::Sessions | Source::Participants => {
            let col = if term.source == Source::Sessions { "sessions" } else { "participants" };
            q = Sql::new(&format!(
                "SELECT commune_code, CAST(SUM({col}) AS BIGINT) FROM activity_totals WHERE year = "
            ));
            q.bind(y).push(" AND level = 'c' AND province_code = ").bind(p());
            if term.params.contains_key("kind") {
                q.push(" AND kind_id IN (SELECT id FROM activity_kinds WHERE 1=1");
                and_in(&mut q, "code", term, "kind");
                q.push(")");
            }
        }
    }
    q.push(" GROUP BY 1");
    fetch_all(db, &q).await
}
