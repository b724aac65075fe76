//! Security cameras, their status history and monitoring centres, and the totals per commune,
//! status and funding source that every change keeps in its own transaction, so the coverage of
//! the country reads one row per commune.

use std::collections::HashMap;

use antq_domain::camera::CameraPoint;
use antq_domain::camera::{
    Camera, CameraFields, CameraFunding, CameraKind, CameraStatus, CameraWatch, Centre, CentreFields, Coverage,
    StatusChange, StatusEntry,
};
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, execute, fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult, Tx, bind_args, with_db, with_tx};

fn bad() -> StoreError {
    StoreError::Database(sqlx::Error::Decode("unknown code in cameras".into()))
}

// ---------------------------------------------------------------------------------------
// Monitoring centres

const CENTRE_SELECT: &str = "SELECT c.id, c.province_code, c.commune_code, c.name, c.address, c.operator, c.note, \
     (SELECT COUNT(*) FROM cameras k WHERE k.centre_id = c.id AND k.status <> 'da_thao') AS cameras \
     FROM camera_centres c WHERE 1=1";

#[derive(sqlx::FromRow)]
struct CentreRow {
    id: i64,
    province_code: String,
    commune_code: Option<String>,
    name: String,
    address: Option<String>,
    operator: Option<String>,
    note: Option<String>,
    cameras: i64,
}

impl From<CentreRow> for Centre {
    fn from(r: CentreRow) -> Centre {
        Centre {
            id: r.id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            name: r.name,
            address: r.address,
            operator: r.operator,
            note: r.note,
            cameras: r.cameras,
        }
    }
}

/// The centres of a province (all, or with `commune`, the province's own and the commune's).
#[tracing::instrument(skip_all)]
pub async fn centres(db: &Db, province: Option<&str>, commune: Option<&str>) -> StoreResult<Vec<Centre>> {
    let mut q = Sql::new(CENTRE_SELECT);
    q.and_eq("c.province_code", province);
    if let Some(c) = commune {
        q.push(" AND (c.commune_code IS NULL OR c.commune_code = ").bind(Arg::Text(c.into())).push(")");
    }
    q.push(" ORDER BY c.province_code, c.commune_code IS NOT NULL, c.commune_code, c.name");
    Ok(fetch_all::<CentreRow>(db, &q).await?.into_iter().map(Into::into).collect())
}

/// One centre.
pub async fn centre(db: &Db, id: i64) -> StoreResult<Centre> {
    let mut q = Sql::new(&format!("{CENTRE_SELECT} AND c.id = "));
    q.bind(Arg::I64(id));
    Ok(fetch_all::<CentreRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.into())
}

/// Registers a centre; a second one of the same name in the same place is a `Conflict`.
#[tracing::instrument(skip_all)]
pub async fn insert_centre(
    tx: &mut Tx,
    province: &str,
    commune: Option<&str>,
    f: &CentreFields,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO camera_centres (province_code, commune_code, name, address, operator, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(province).bind(commune).bind(&f.name).bind(&f.address).bind(&f.operator).bind(&f.note).bind(now)
        .fetch_one(c).await)?)
}

/// Replaces a centre's fields.
#[tracing::instrument(skip_all, fields(id))]
pub async fn update_centre(tx: &mut Tx, id: i64, f: &CentreFields, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str =
        "UPDATE camera_centres SET name = $1, address = $2, operator = $3, note = $4, updated_at = $5 WHERE id = $6";
    let n = with_tx!(tx, c => sqlx::query(SQL)
        .bind(&f.name).bind(&f.address).bind(&f.operator).bind(&f.note).bind(now).bind(id)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

// ---------------------------------------------------------------------------------------
// Cameras

const COLUMNS: &str = "k.id, k.province_code, k.commune_code, k.area_id, ar.name AS area_name, k.establishment_id, \
     es.name AS establishment_name, k.name, k.address, k.latitude, k.longitude, k.model_id, m.name AS model_name, \
     k.installed_on, k.kind, k.watches, k.funding, k.cost_vnd, k.keeper, k.centre_id, ce.name AS centre_name, \
     k.status, k.status_since, k.note, k.created_at, k.updated_at";
const FROM: &str = "FROM cameras k LEFT JOIN areas ar ON ar.id = k.area_id \
     LEFT JOIN establishments es ON es.id = k.establishment_id LEFT JOIN models m ON m.id = k.model_id \
     LEFT JOIN camera_centres ce ON ce.id = k.centre_id WHERE 1=1";
const ORDER: &str = "k.province_code, k.commune_code, k.id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    province_code: String,
    commune_code: String,
    area_id: Option<i64>,
    area_name: Option<String>,
    establishment_id: Option<i64>,
    establishment_name: Option<String>,
    name: String,
    address: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    model_id: Option<i64>,
    model_name: Option<String>,
    installed_on: NaiveDate,
    kind: String,
    watches: String,
    funding: String,
    cost_vnd: i64,
    keeper: Option<String>,
    centre_id: Option<i64>,
    centre_name: Option<String>,
    status: String,
    status_since: NaiveDate,
    note: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Camera {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Camera> {
        Ok(Camera {
            kind: CameraKind::from_code(&r.kind).ok_or_else(bad)?,
            watches: CameraWatch::from_code(&r.watches).ok_or_else(bad)?,
            funding: CameraFunding::from_code(&r.funding).ok_or_else(bad)?,
            status: CameraStatus::from_code(&r.status).ok_or_else(bad)?,
            id: r.id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            area_id: r.area_id,
            area_name: r.area_name,
            establishment_id: r.establishment_id,
            establishment_name: r.establishment_name,
            name: r.name,
            address: r.address,
            latitude: r.latitude,
            longitude: r.longitude,
            model_id: r.model_id,
            model_name: r.model_name,
            installed_on: r.installed_on,
            cost_vnd: r.cost_vnd,
            keeper: r.keeper,
            centre_id: r.centre_id,
            centre_name: r.centre_name,
            status_since: r.status_since,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// Filters of the camera list.
#[derive(Clone, Debug, Default)]
pub struct CameraFilter {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Residential area.
    pub area_id: Option<i64>,
    /// Owning model.
    pub model_id: Option<i64>,
    /// Monitoring centre.
    pub centre_id: Option<i64>,
    /// Status code.
    pub status: Option<String>,
    /// Funding source code.
    pub funding: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Installed from this day.
    pub installed_from: Option<NaiveDate>,
    /// Installed until this day.
    pub installed_to: Option<NaiveDate>,
    /// In its current status since this day or earlier (with `status = hong`: broken for long).
    pub since_before: Option<NaiveDate>,
    /// Words of the name or address (folded).
    pub q: Option<String>,
    /// Leave out removed cameras.
    pub standing: bool,
}

fn filter(q: &mut Sql, f: &CameraFilter) {
    q.and_eq("k.province_code", f.province.as_deref())
        .and_eq("k.commune_code", f.commune.as_deref())
        .and_eq("k.status", f.status.as_deref())
        .and_eq("k.funding", f.funding.as_deref())
        .and_eq("k.kind", f.kind.as_deref());
    for (col, v) in [("k.area_id", f.area_id), ("k.model_id", f.model_id), ("k.centre_id", f.centre_id)] {
        if let Some(v) = v {
            q.push(" AND ").push(col).push(" = ").bind(Arg::I64(v));
        }
    }
    if let Some(d) = f.installed_from {
        q.push(" AND k.installed_on >= ").bind(Arg::Date(d));
    }
    if let Some(d) = f.installed_to {
        q.push(" AND k.installed_on <= ").bind(Arg::Date(d));
    }
    if let Some(d) = f.since_before {
        q.push(" AND k.status_since <= ").bind(Arg::Date(d));
    }
    if let Some(t) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
        q.push(" AND k.search_key LIKE ").bind(Arg::Text(antq_domain::text::contains_pattern(t))).push(" ESCAPE '\\'");
    }
    if f.standing {
        q.push(" AND k.status <> 'da_thao'");
    }
}

/// One page of the cameras matching `f`, by place.
#[tracing::instrument(skip_all)]
pub async fn list_page(db: &Db, f: &CameraFilter, page: PageRequest) -> StoreResult<Page<Camera>> {
    let mut q = Sql::new(FROM);
    filter(&mut q, f);
    let order = if f.since_before.is_some() { "k.status_since, k.id" } else { ORDER };
    let (rows, total) = fetch_page::<Row>(db, COLUMNS, &q, order, page).await?;
    let items = rows.into_iter().map(Camera::try_from).collect::<StoreResult<Vec<_>>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// Every camera matching `f` (exports).
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &CameraFilter) -> StoreResult<Vec<Camera>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} {FROM}"));
    filter(&mut q, f);
    q.push(&format!(" ORDER BY {ORDER}"));
    fetch_all::<Row>(db, &q).await?.into_iter().map(Camera::try_from).collect()
}

/// One camera.
pub async fn get(db: &Db, id: i64) -> StoreResult<Camera> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} {FROM} AND k.id = "));
    q.bind(Arg::I64(id));
    fetch_all::<Row>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// One camera, read inside `tx` (rows the transaction wrote included).
pub async fn get_in(tx: &mut Tx, id: i64) -> StoreResult<Camera> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} {FROM} AND k.id = "));
    q.bind(Arg::I64(id));
    let text = q.text_for(tx.backend());
    let r: Row = with_tx!(tx, c => bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(text.clone())), q.args.clone())
        .fetch_one(c).await)?;
    r.try_into()
}

/// A new camera point (or the new version of one), resolved and validated by the application.
#[derive(Clone, Debug)]
pub struct NewCamera<'a> {
    /// Province.
    pub province: &'a str,
    /// Commune.
    pub commune: &'a str,
    /// Residential area (checked to be in the commune).
    pub area_id: Option<i64>,
    /// Establishment (checked to be in the commune).
    pub establishment_id: Option<i64>,
    /// Owning model (checked to be in the province).
    pub model_id: Option<i64>,
    /// Monitoring centre (checked to be in the province).
    pub centre_id: Option<i64>,
    /// The fields.
    pub fields: &'a CameraFields,
    /// Status when first recorded (ignored by [`update`]).
    pub status: CameraStatus,
}

fn place_args(c: &NewCamera<'_>) -> Vec<Arg> {
    let f = c.fields;
    vec![
        Arg::Text(c.province.into()),
        Arg::Text(c.commune.into()),
        Arg::OptI64(c.area_id),
        Arg::OptI64(c.establishment_id),
        Arg::Text(f.name.clone()),
        Arg::Text(antq_domain::text::fold(&format!("{} {}", f.name, f.address.as_deref().unwrap_or("")))),
        Arg::OptText(f.address.clone()),
        Arg::OptF64(f.coordinates.map(|c| c.lat)),
        Arg::OptF64(f.coordinates.map(|c| c.lon)),
        Arg::OptI64(c.model_id),
        Arg::Date(f.installed_on),
        Arg::Text(f.kind.code().into()),
        Arg::Text(f.watches.code().into()),
        Arg::Text(f.funding.code().into()),
        Arg::I64(f.cost_vnd),
        Arg::OptText(f.keeper.clone()),
        Arg::OptI64(c.centre_id),
        Arg::OptText(f.note.clone()),
    ]
}

const MUTABLE: &[&str] = &[
    "province_code",
    "commune_code",
    "area_id",
    "establishment_id",
    "name",
    "search_key",
    "address",
    "latitude",
    "longitude",
    "model_id",
    "installed_on",
    "kind",
    "watches",
    "funding",
    "cost_vnd",
    "keeper",
    "centre_id",
    "note",
];

/// Changes of the kept totals, summed before they are written.
#[derive(Default)]
struct Pending(HashMap<(String, String, &'static str, &'static str), (i64, i64)>);

impl Pending {
    fn add(&mut self, province: &str, commune: &str, status: CameraStatus, funding: CameraFunding, n: i64, cost: i64) {
        let e = self.0.entry((province.into(), commune.into(), status.code(), funding.code())).or_default();
        e.0 += n;
        e.1 += cost;
    }

    async fn flush(self, tx: &mut Tx) -> StoreResult<()> {
        let rows: Vec<_> = self.0.into_iter().filter(|(_, (n, c))| *n != 0 || *c != 0).collect();
        for chunk in rows.chunks(300) {
            let mut q = Sql::new(
                "INSERT INTO camera_totals (province_code, commune_code, status, funding, cameras, cost_vnd) VALUES ",
            );
            for (i, ((p, c, s, f), (n, cost))) in chunk.iter().enumerate() {
                q.values_row(
                    i == 0,
                    [
                        Arg::Text(p.clone()),
                        Arg::Text(c.clone()),
                        Arg::Text((*s).into()),
                        Arg::Text((*f).into()),
                        Arg::I64(*n),
                        Arg::I64(*cost),
                    ],
                );
            }
            q.push(" ON CONFLICT (province_code, commune_code, status, funding) DO UPDATE SET ");
            q.push("cameras = camera_totals.cameras + excluded.cameras, cost_vnd = camera_totals.cost_vnd + excluded.cost_vnd");
            execute(tx, &q).await?;
        }
        Ok(())
    }
}

/// Writes camera points (one, an import, the demo's) with their first status entry and their
/// share of the totals; returns the new ids in order.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn insert_many(tx: &mut Tx, rows: &[NewCamera<'_>], by: &str, now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(200) {
        let mut q = Sql::new(&format!(
            "INSERT INTO cameras (status, status_since, created_by, created_at, updated_at, {}) VALUES ",
            MUTABLE.join(", ")
        ));
        for (i, c) in chunk.iter().enumerate() {
            let mut args = vec![
                Arg::Text(c.status.code().into()),
                Arg::Date(c.fields.installed_on),
                Arg::Text(by.into()),
                Arg::Time(now),
                Arg::Time(now),
            ];
            args.extend(place_args(c));
            q.values_row(i == 0, args);
        }
        q.push(" RETURNING id");
        let text = q.text_for(tx.backend());
        let mut got: Vec<i64> = with_tx!(tx, c => bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(text.clone())), q.args.clone())
            .fetch_all(c).await)?;
        got.sort_unstable();
        ids.extend(got);
    }
    let mut pending = Pending::default();
    let entries: Vec<_> = rows.iter().zip(&ids).collect();
    for chunk in entries.chunks(300) {
        let mut q = Sql::new(
            "INSERT INTO camera_status_changes (camera_id, province_code, commune_code, status, changed_on, note, recorded_by, recorded_at) VALUES ",
        );
        for (i, (c, id)) in chunk.iter().enumerate() {
            q.values_row(
                i == 0,
                [
                    Arg::I64(**id),
                    Arg::Text(c.province.into()),
                    Arg::Text(c.commune.into()),
                    Arg::Text(c.status.code().into()),
                    Arg::Date(c.fields.installed_on),
                    Arg::OptText(Some("Lắp đặt".into())),
                    Arg::Text(by.into()),
                    Arg::Time(now),
                ],
            );
        }
        execute(tx, &q).await?;
    }
    for c in rows {
        pending.add(c.province, c.commune, c.status, c.fields.funding, 1, c.fields.cost_vnd);
    }
    pending.flush(tx).await?;
    Ok(ids)
}

/// Replaces `before`'s fields by `c`'s, provided nobody changed it since it was read (else
/// `Conflict`); the totals move from its old place, funding and cost to the new ones.
#[tracing::instrument(skip_all, fields(id = before.id))]
pub async fn update(tx: &mut Tx, before: &Camera, c: &NewCamera<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE cameras SET ");
    for (i, (col, a)) in MUTABLE.iter().zip(place_args(c)).enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push(col).push(" = ").bind(a);
    }
    q.push(", updated_at = ").bind(Arg::Time(now));
    q.push(" WHERE id = ").bind(Arg::I64(before.id)).push(" AND updated_at = ").bind(Arg::Time(before.updated_at));
    if execute(tx, &q).await? == 0 {
        return Err(StoreError::Conflict);
    }
    let mut pending = Pending::default();
    pending.add(&before.province_code, &before.commune_code, before.status, before.funding, -1, -before.cost_vnd);
    pending.add(c.province, c.commune, before.status, c.fields.funding, 1, c.fields.cost_vnd);
    pending.flush(tx).await
}

/// Records a status change of `before` (already validated against its status and date); a
/// camera changed meanwhile is a `Conflict`.
#[tracing::instrument(skip_all, fields(id = before.id))]
pub async fn change_status(
    tx: &mut Tx,
    before: &Camera,
    change: &StatusChange,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "UPDATE cameras SET status = $1, status_since = $2, updated_at = $3 \
         WHERE id = $4 AND status = $5 AND updated_at = $6";
    let n = with_tx!(tx, c => sqlx::query(SQL)
        .bind(change.status.code()).bind(change.on).bind(now).bind(before.id).bind(before.status.code()).bind(before.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    const LOG: &str = "INSERT INTO camera_status_changes (camera_id, province_code, commune_code, status, changed_on, note, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    with_tx!(tx, c => sqlx::query(LOG)
        .bind(before.id).bind(&before.province_code).bind(&before.commune_code).bind(change.status.code())
        .bind(change.on).bind(&change.note).bind(by).bind(now)
        .execute(c).await.map(|_| ()))?;
    let mut pending = Pending::default();
    pending.add(&before.province_code, &before.commune_code, before.status, before.funding, -1, -before.cost_vnd);
    pending.add(&before.province_code, &before.commune_code, change.status, before.funding, 1, before.cost_vnd);
    pending.flush(tx).await
}

/// A camera's status history, oldest first.
pub async fn history(db: &Db, id: i64) -> StoreResult<Vec<StatusEntry>> {
    const SQL: &str = "SELECT status, changed_on, note, recorded_by, recorded_at FROM camera_status_changes \
         WHERE camera_id = $1 ORDER BY changed_on, id";
    let rows: Vec<HistoryRow> = with_db!(db, p => sqlx::query_as(SQL).bind(id).fetch_all(p).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(StatusEntry {
                status: CameraStatus::from_code(&r.status).ok_or_else(bad)?,
                on: r.changed_on,
                note: r.note,
                recorded_by: r.recorded_by,
                recorded_at: r.recorded_at,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    status: String,
    changed_on: NaiveDate,
    note: Option<String>,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------------------
// Coverage

/// One commune's kept figures (its `communes` and `communes_covered` are 1 and 0 or 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommuneCoverage {
    /// Province code.
    pub province: String,
    /// Commune code.
    pub commune: String,
    /// The figures.
    pub coverage: Coverage,
}

/// `, CAST(SUM(cost of funding f) AS BIGINT)` for each funding source, in order.
fn cost_columns() -> String {
    CameraFunding::ALL
        .iter()
        .map(|f| format!(", CAST(SUM(CASE WHEN funding = '{}' THEN cost_vnd ELSE 0 END) AS BIGINT)", f.code()))
        .collect()
}

fn coverage_sql() -> String {
    let cost = cost_columns();
    format!(
        "SELECT province_code, commune_code, \
         CAST(SUM(CASE WHEN status = 'hoat_dong' THEN cameras ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status = 'hong' THEN cameras ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status = 'da_thao' THEN cameras ELSE 0 END) AS BIGINT){cost} \
         FROM camera_totals WHERE 1=1"
    )
}

type CoverageRow = (String, String, i64, i64, i64, i64, i64, i64, i64);

fn coverage_of(r: CoverageRow) -> CommuneCoverage {
    let (province, commune, working, broken, removed, a, b, c, d) = r;
    CommuneCoverage {
        province,
        commune,
        coverage: Coverage {
            cameras: working + broken,
            working,
            broken,
            removed,
            communes_covered: i64::from(working > 0),
            communes: 1,
            cost_by_funding: [a, b, c, d],
        },
    }
}

/// The kept figures of every commune with a camera, in a province or the country.
#[tracing::instrument(skip_all)]
pub async fn coverage(db: &Db, province: Option<&str>, commune: Option<&str>) -> StoreResult<Vec<CommuneCoverage>> {
    let mut q = Sql::new(&coverage_sql());
    q.and_eq("province_code", province).and_eq("commune_code", commune);
    q.push(" GROUP BY province_code, commune_code ORDER BY province_code, commune_code");
    Ok(fetch_all::<CoverageRow>(db, &q).await?.into_iter().map(coverage_of).collect())
}

/// Cameras installed per commune between two days (inclusive), in a province or the country.
#[tracing::instrument(skip_all)]
pub async fn installed_counts(
    db: &Db,
    province: Option<&str>,
    (from, to): (NaiveDate, NaiveDate),
) -> StoreResult<Vec<(String, i64)>> {
    let mut q = Sql::new("SELECT commune_code, COUNT(*) FROM cameras WHERE installed_on >= ");
    q.bind(Arg::Date(from)).push(" AND installed_on <= ").bind(Arg::Date(to));
    q.and_eq("province_code", province);
    q.push(" GROUP BY commune_code");
    fetch_all(db, &q).await
}

/// The figures recounted from the cameras and the kept ones, for the check that they agree.
pub async fn recount_and_kept(db: &Db) -> StoreResult<(Vec<CommuneCoverage>, Vec<CommuneCoverage>)> {
    let cost = cost_columns();
    let recount = format!(
        "SELECT province_code, commune_code, \
         CAST(SUM(CASE WHEN status = 'hoat_dong' THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN status = 'hong' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status = 'da_thao' THEN 1 ELSE 0 END) AS BIGINT){cost} \
         FROM cameras GROUP BY province_code, commune_code ORDER BY province_code, commune_code"
    );
    let a = fetch_all::<CoverageRow>(db, &Sql::new(&recount)).await?.into_iter().map(coverage_of).collect();
    let mut kept = coverage(db, None, None).await?;
    kept.retain(|c| c.coverage.cameras + c.coverage.removed > 0);
    Ok((a, kept))
}

/// The cameras of a province (or one of its communes) that have coordinates, at most `limit`,
/// and how many there are in all.
pub async fn points(
    db: &Db,
    province: &str,
    commune: Option<&str>,
    limit: i64,
) -> StoreResult<(Vec<CameraPoint>, i64)> {
    let mut q = Sql::new("FROM cameras WHERE latitude IS NOT NULL AND province_code = ");
    q.bind(Arg::Text(province.into())).and_eq("commune_code", commune);
    let count = Sql { text: format!("SELECT COUNT(*) AS n {}", q.text), args: q.args.clone() };
    let total: Vec<(i64,)> = fetch_all(db, &count).await?;
    let mut rows = Sql {
        text: format!("SELECT id, name, commune_code, latitude, longitude, status {} ORDER BY id LIMIT ", q.text),
        args: q.args,
    };
    rows.bind(Arg::I64(limit));
    let points = fetch_all::<(i64, String, String, f64, f64, String)>(db, &rows)
        .await?
        .into_iter()
        .map(|(id, name, commune_code, latitude, longitude, status)| CameraPoint {
            id,
            name,
            commune_code,
            latitude,
            longitude,
            status,
        })
        .collect();
    Ok((points, total.first().map_or(0, |t| t.0)))
}
