//! Residential areas (khu dân cư).

use antq_domain::area::{Area, AreaFields, AreaKind};
use antq_domain::ids::AreaId;
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

/// Filters shared by the area and establishment lists.
#[derive(Clone, Debug, Default)]
pub struct RegistryFilter {
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Text in the name.
    pub q: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Include retired rows.
    pub include_retired: bool,
}

impl RegistryFilter {
    pub(crate) fn where_clause(&self, table: &str) -> Sql {
        let mut s = Sql::new(&format!("FROM {table} WHERE 1=1"));
        s.and_eq("province_code", self.province.as_deref())
            .and_eq("commune_code", self.commune.as_deref())
            .and_eq("kind", self.kind.as_deref());
        if let Some(q) = self.q.as_deref().filter(|q| !q.trim().is_empty()) {
            s.push(" AND search_key LIKE ")
                .bind(Arg::Text(antq_domain::text::contains_pattern(q)))
                .push(" ESCAPE '\\'");
        }
        if !self.include_retired {
            s.push(" AND valid_to IS NULL");
        }
        s
    }
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: i64,
    province_code: String,
    commune_code: String,
    name: String,
    kind: String,
    households: Option<i64>,
    population: Option<i64>,
    special_zone: bool,
    note: Option<String>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<AreaRow> for Area {
    type Error = StoreError;
    fn try_from(r: AreaRow) -> Result<Area, StoreError> {
        Ok(Area {
            id: AreaId(r.id),
            kind: AreaKind::from_code(&r.kind).unwrap_or(AreaKind::TuongDuong),
            province_code: r.province_code,
            commune_code: r.commune_code,
            name: r.name,
            households: r.households,
            population: r.population,
            special_zone: r.special_zone,
            note: r.note,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, province_code, commune_code, name, kind, households, population, special_zone, note, valid_from, valid_to, created_at, updated_at";

/// One page of areas, sorted by commune then name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, f: &RegistryFilter, page: PageRequest) -> StoreResult<Page<Area>> {
    let (rows, total) =
        fetch_page::<AreaRow>(db, COLUMNS, &f.where_clause("areas"), "commune_code, search_key, id", page).await?;
    let items = rows.into_iter().map(Area::try_from).collect::<Result<_, _>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// Every matching area (exports).
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &RegistryFilter) -> StoreResult<Vec<Area>> {
    let mut q = f.where_clause("areas");
    q.text = format!("SELECT {COLUMNS} {} ORDER BY commune_code, search_key, id", q.text);
    fetch_all::<AreaRow>(db, &q).await?.into_iter().map(Area::try_from).collect()
}

/// One area by id.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn get(db: &Db, id: AreaId) -> StoreResult<Area> {
    const SQL: &str = "SELECT id, province_code, commune_code, name, kind, households, population, special_zone, note, valid_from, valid_to, created_at, updated_at FROM areas WHERE id = $1";
    let r: AreaRow = with_db!(db, p => sqlx::query_as(SQL).bind(id.0).fetch_one(p).await)?;
    r.try_into()
}

/// Inserts an area in `commune` (of `province`).
#[tracing::instrument(skip_all)]
pub async fn insert(
    tx: &mut Tx,
    province: &str,
    commune: &str,
    f: &AreaFields,
    valid_from: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<AreaId> {
    const SQL: &str = "INSERT INTO areas (province_code, commune_code, name, search_key, kind, households, population, special_zone, note, valid_from, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
    let key = antq_domain::text::fold(&f.name);
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(province).bind(commune).bind(&f.name).bind(&key).bind(f.kind.code()).bind(f.households)
        .bind(f.population).bind(f.special_zone).bind(&f.note).bind(valid_from).bind(now).fetch_one(c).await)?;
    Ok(AreaId(id))
}

/// Replaces the editable fields of an area.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(tx: &mut Tx, id: AreaId, f: &AreaFields, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE areas SET name = $1, search_key = $2, kind = $3, households = $4, population = $5, special_zone = $6, note = $7, updated_at = $8 WHERE id = $9";
    let key = antq_domain::text::fold(&f.name);
    let n = with_tx!(tx, c => sqlx::query(SQL)
        .bind(&f.name).bind(&key).bind(f.kind.code()).bind(f.households).bind(f.population).bind(f.special_zone).bind(&f.note).bind(now).bind(id.0)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::force::teams::refresh_area_teams(tx, id).await
}

/// Sets (or clears, with `None`) the retirement date.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn set_valid_to(tx: &mut Tx, id: AreaId, valid_to: Option<NaiveDate>, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE areas SET valid_to = $1, updated_at = $2 WHERE id = $3";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(valid_to).bind(now).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
