//! The model-type taxonomy.

use antq_domain::ids::ModelTypeId;
use antq_domain::model::{ModelType, ModelTypeFields};

use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

#[derive(sqlx::FromRow)]
struct TypeRow {
    id: i64,
    code: String,
    name: String,
    description: Option<String>,
    legal_basis: Option<String>,
    province_code: Option<String>,
    active: bool,
    sort_order: i64,
}

impl From<TypeRow> for ModelType {
    fn from(r: TypeRow) -> Self {
        ModelType {
            id: ModelTypeId(r.id),
            code: r.code,
            name: r.name,
            description: r.description,
            legal_basis: r.legal_basis,
            province_code: r.province_code,
            active: r.active,
            sort_order: r.sort_order,
        }
    }
}

/// National types plus those of `province` (all provinces' when `None`).
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, province: Option<&str>) -> StoreResult<Vec<ModelType>> {
    const SQL: &str = "SELECT id, code, name, description, legal_basis, province_code, active, sort_order FROM model_types \
         WHERE province_code IS NULL OR $1 IS NULL OR province_code = $1 ORDER BY sort_order, id";
    let rows: Vec<TypeRow> = with_db!(db, p => sqlx::query_as(SQL).bind(province).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One type by id.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn get(db: &Db, id: ModelTypeId) -> StoreResult<ModelType> {
    const SQL: &str = "SELECT id, code, name, description, legal_basis, province_code, active, sort_order FROM model_types WHERE id = $1";
    let r: TypeRow = with_db!(db, p => sqlx::query_as(SQL).bind(id.0).fetch_one(p).await)?;
    Ok(r.into())
}

/// Adds a province's own type; its code is derived from the province and the name.
#[tracing::instrument(skip_all)]
pub async fn insert(tx: &mut Tx, province: Option<&str>, f: &ModelTypeFields) -> StoreResult<ModelTypeId> {
    const SQL: &str = "INSERT INTO model_types (code, name, description, legal_basis, province_code, active, sort_order) \
         VALUES ($1, $2, $3, $4, $5, $6, 1000) RETURNING id";
    let code = format!(
        "{}_{}",
        province.unwrap_or("vn"),
        antq_domain::text::fold(&f.name).replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(&code).bind(&f.name).bind(&f.description).bind(&f.legal_basis).bind(province).bind(f.active)
        .fetch_one(c).await)?;
    Ok(ModelTypeId(id))
}

/// Changes a type's name, description, legal basis and active flag.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(tx: &mut Tx, id: ModelTypeId, f: &ModelTypeFields) -> StoreResult<()> {
    const SQL: &str = "UPDATE model_types SET name = $1, description = $2, legal_basis = $3, active = $4 WHERE id = $5";
    let n = with_tx!(tx, c => sqlx::query(SQL)
        .bind(&f.name).bind(&f.description).bind(&f.legal_basis).bind(f.active).bind(id.0)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
