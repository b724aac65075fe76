//! Agencies, businesses and schools.

use antq_domain::establishment::{Establishment, EstablishmentFields, EstablishmentKind};
use antq_domain::ids::EstablishmentId;
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, NaiveDate, Utc};

use crate::areas::RegistryFilter;
use crate::sql::{fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct EstablishmentRow {
    id: i64,
    province_code: String,
    commune_code: String,
    name: String,
    kind: String,
    sub_type: Option<String>,
    address: Option<String>,
    armed_forces: bool,
    small_enterprise: bool,
    primary_or_preschool: bool,
    note: Option<String>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<EstablishmentRow> for Establishment {
    fn from(r: EstablishmentRow) -> Establishment {
        let kind = EstablishmentKind::from_code(&r.kind).unwrap_or(EstablishmentKind::CoQuan);
        let fields = EstablishmentFields {
            name: String::new(),
            kind,
            sub_type: None,
            address: None,
            armed_forces: r.armed_forces,
            small_enterprise: r.small_enterprise,
            primary_or_preschool: r.primary_or_preschool,
            note: None,
        };
        Establishment {
            id: EstablishmentId(r.id),
            antt_exclusion: fields.antt_exclusion().map(str::to_string),
            province_code: r.province_code,
            commune_code: r.commune_code,
            name: r.name,
            kind,
            sub_type: r.sub_type,
            address: r.address,
            armed_forces: r.armed_forces,
            small_enterprise: r.small_enterprise,
            primary_or_preschool: r.primary_or_preschool,
            note: r.note,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, province_code, commune_code, name, kind, sub_type, address, armed_forces, small_enterprise, \
     primary_or_preschool, note, valid_from, valid_to, created_at, updated_at";

/// One page of establishments.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, f: &RegistryFilter, page: PageRequest) -> StoreResult<Page<Establishment>> {
    let (rows, total) = fetch_page::<EstablishmentRow>(
        db,
        COLUMNS,
        &f.where_clause("establishments"),
        "commune_code, search_key, id",
        page,
    )
    .await?;
    Ok(Page { items: rows.into_iter().map(Into::into).collect(), total, page: page.page, per_page: page.per_page })
}

/// Every matching establishment (exports).
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &RegistryFilter) -> StoreResult<Vec<Establishment>> {
    let mut q = f.where_clause("establishments");
    q.text = format!("SELECT {COLUMNS} {} ORDER BY commune_code, search_key, id", q.text);
    Ok(fetch_all::<EstablishmentRow>(db, &q).await?.into_iter().map(Into::into).collect())
}

/// One establishment by id.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn get(db: &Db, id: EstablishmentId) -> StoreResult<Establishment> {
    const SQL: &str = "SELECT id, province_code, commune_code, name, kind, sub_type, address, armed_forces, small_enterprise, \
         primary_or_preschool, note, valid_from, valid_to, created_at, updated_at FROM establishments WHERE id = $1";
    let r: EstablishmentRow = with_db!(db, p => sqlx::query_as(SQL).bind(id.0).fetch_one(p).await)?;
    Ok(r.into())
}

/// Inserts an establishment.
#[tracing::instrument(skip_all)]
pub async fn insert(
    tx: &mut Tx,
    province: &str,
    commune: &str,
    f: &EstablishmentFields,
    valid_from: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<EstablishmentId> {
    const SQL: &str = "INSERT INTO establishments (province_code, commune_code, name, search_key, kind, sub_type, address, armed_forces, \
         small_enterprise, primary_or_preschool, note, valid_from, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id";
    let key = antq_domain::text::fold(&f.name);
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(province).bind(commune).bind(&f.name).bind(&key).bind(f.kind.code()).bind(&f.sub_type).bind(&f.address)
        .bind(f.armed_forces).bind(f.small_enterprise).bind(f.primary_or_preschool).bind(&f.note).bind(valid_from).bind(now)
        .fetch_one(c).await)?;
    Ok(EstablishmentId(id))
}

/// Replaces the editable fields.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(tx: &mut Tx, id: EstablishmentId, f: &EstablishmentFields, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE establishments SET name = $1, search_key = $2, kind = $3, sub_type = $4, address = $5, armed_forces = $6, \
         small_enterprise = $7, primary_or_preschool = $8, note = $9, updated_at = $10 WHERE id = $11";
    let key = antq_domain::text::fold(&f.name);
    let n = with_tx!(tx, c => sqlx::query(SQL)
        .bind(&f.name).bind(&key).bind(f.kind.code()).bind(&f.sub_type).bind(&f.address).bind(f.armed_forces)
        .bind(f.small_enterprise).bind(f.primary_or_preschool).bind(&f.note).bind(now).bind(id.0)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Sets (or clears) the retirement date.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn set_valid_to(
    tx: &mut Tx,
    id: EstablishmentId,
    valid_to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "UPDATE establishments SET valid_to = $1, updated_at = $2 WHERE id = $3";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(valid_to).bind(now).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
