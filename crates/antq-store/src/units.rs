//! Administrative units: lookup and diacritic-insensitive search.

use antq_domain::unit::{Unit, UnitKind, UnitLevel};

use crate::sql::Sql;
use crate::{Db, StoreError, StoreResult, bind_args, with_db};

#[derive(sqlx::FromRow)]
struct UnitRow {
    code: String,
    parent_code: Option<String>,
    level: String,
    kind: String,
    name: String,
    lat: Option<f64>,
    lon: Option<f64>,
    commune_count: Option<i64>,
    remote: bool,
}

impl TryFrom<UnitRow> for Unit {
    type Error = StoreError;
    fn try_from(r: UnitRow) -> Result<Self, StoreError> {
        Ok(Unit {
            level: UnitLevel::from_code(&r.level).ok_or(StoreError::NotFound)?,
            kind: UnitKind::from_code(&r.kind).ok_or(StoreError::NotFound)?,
            code: r.code,
            parent_code: r.parent_code,
            name: r.name,
            lat: r.lat,
            lon: r.lon,
            commune_count: r.commune_count,
            remote: r.remote,
        })
    }
}

const SELECT: &str = "u.code, u.parent_code, u.level, u.kind, u.name, u.lat, u.lon, u.remote, \
     CASE WHEN u.level = 'province' THEN (SELECT COUNT(*) FROM units c WHERE c.parent_code = u.code AND c.valid_to IS NULL) END AS commune_count";
const FROM: &str = "FROM units u WHERE u.valid_to IS NULL";

/// `SELECT … FROM units u WHERE u.valid_to IS NULL`, ready for more conditions.
fn select() -> Sql {
    Sql::new(&format!("SELECT {SELECT} {FROM}"))
}

/// Filters for [`search`].
#[derive(Clone, Debug, Default)]
pub struct UnitQuery {
    /// Text to find in the name (folded; "khanh hoa" finds "Khánh Hòa").
    pub q: Option<String>,
    /// Only this level.
    pub level: Option<UnitLevel>,
    /// Only children of this province.
    pub parent: Option<String>,
    /// Most rows to return.
    pub limit: i64,
}

/// The filters of a search after `FROM … WHERE`.
fn filtered(mut sql: Sql, q: &UnitQuery) -> Sql {
    if let Some(t) = q.q.as_deref().filter(|t| !t.trim().is_empty()) {
        let folded = antq_domain::text::fold(t);
        // A code typed as-is also matches.
        sql.push(" AND (u.search_key LIKE ")
            .bind(crate::Arg::Text(antq_domain::text::contains_pattern(t)))
            .push(" ESCAPE '\\' OR u.code = ")
            .bind(crate::Arg::Text(folded))
            .push(")");
    }
    sql.and_eq("u.level", q.level.map(|l| l.code())).and_eq("u.parent_code", q.parent.as_deref());
    sql
}

/// Finds current units, at most `q.limit`. Provinces sort before communes, then by name.
#[tracing::instrument(skip_all)]
pub async fn search(db: &Db, q: &UnitQuery) -> StoreResult<Vec<Unit>> {
    let mut sql = filtered(select(), q);
    sql.push(" ORDER BY u.level DESC, u.search_key LIMIT ").bind(crate::Arg::I64(q.limit.clamp(1, 5000)));
    let rows: Vec<UnitRow> = with_db!(db, p => bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())), sql.args.clone()).fetch_all(p).await)?;
    rows.into_iter().map(Unit::try_from).collect()
}

/// One page of the current units matching `q` (its `limit` unused), in the order of [`search`].
#[tracing::instrument(skip_all)]
pub async fn search_page(
    db: &Db,
    q: &UnitQuery,
    page: antq_domain::page::PageRequest,
) -> StoreResult<antq_domain::page::Page<Unit>> {
    let from = filtered(Sql::new(FROM), q);
    let (rows, total) =
        crate::sql::fetch_page::<UnitRow>(db, SELECT, &from, "u.level DESC, u.search_key, u.code", page).await?;
    let items = rows.into_iter().map(Unit::try_from).collect::<StoreResult<_>>()?;
    Ok(antq_domain::page::Page { items, total, page: page.page, per_page: page.per_page })
}

/// One current unit by code.
#[tracing::instrument(skip_all, fields(code))]
pub async fn get(db: &Db, code: &str) -> StoreResult<Unit> {
    let mut sql = select();
    sql.and_eq("u.code", Some(code));
    let row: UnitRow = with_db!(db, p => bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())), sql.args.clone()).fetch_one(p).await)?;
    row.try_into()
}

/// Current units by code (codes not found are left out).
#[tracing::instrument(skip_all)]
pub async fn many(db: &Db, codes: &[String]) -> StoreResult<Vec<Unit>> {
    let mut out = Vec::new();
    for chunk in codes.chunks(500) {
        let mut sql = select();
        sql.push(" AND u.code IN (");
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(crate::Arg::Text(c.clone()));
        }
        sql.push(")");
        for r in crate::sql::fetch_all::<UnitRow>(db, &sql).await? {
            out.push(r.try_into()?);
        }
    }
    Ok(out)
}

/// Marks a commune remote (or not) inside `tx`.
pub async fn set_remote(tx: &mut crate::Tx, code: &str, remote: bool) -> StoreResult<()> {
    let n = crate::with_tx!(tx, c => sqlx::query("UPDATE units SET remote = $1 WHERE code = $2 AND level = 'commune'")
        .bind(remote).bind(code).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Names of units by code, for labelling lists (`code → full name`).
#[tracing::instrument(skip_all)]
pub async fn names(db: &Db, codes: &[String]) -> StoreResult<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::new();
    if codes.is_empty() {
        return Ok(out);
    }
    let mut sql = Sql::new("SELECT code, kind, name FROM units WHERE code IN (");
    for (i, c) in codes.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(crate::Arg::Text(c.clone()));
    }
    sql.push(")");
    let rows: Vec<(String, String, String)> = with_db!(db, p => bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql.text.clone())), sql.args.clone()).fetch_all(p).await)?;
    for (code, kind, name) in rows {
        let kind = UnitKind::from_code(&kind).map(|k| k.label()).unwrap_or("");
        out.insert(code, format!("{kind} {name}"));
    }
    Ok(out)
}

/// The number of communes of each province (`province code → count`).
#[tracing::instrument(skip_all)]
pub async fn commune_counts(db: &Db) -> StoreResult<std::collections::HashMap<String, i64>> {
    const SQL: &str = "SELECT parent_code, COUNT(*) FROM units WHERE level = 'commune' GROUP BY parent_code";
    let rows: Vec<(Option<String>, i64)> = with_db!(db, p => sqlx::query_as(SQL).fetch_all(p).await)?;
    Ok(rows.into_iter().filter_map(|(p, n)| Some((p?, n))).collect())
}
