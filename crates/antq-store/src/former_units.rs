//! The former administrative maps and their succession (issue 16): lookup, search by former
//! name, and the steps from a unit into the next map and back.

use antq_domain::page::{Page, PageRequest};
use antq_domain::succession::{FormerKind, FormerLevel, FormerUnit, Generation, Relation, Succession};
use chrono::NaiveDate;

use crate::sql::{Arg, Sql, fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult};

fn bad(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("unknown code in {what}").into()))
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    generation: String,
    level: String,
    code: String,
    kind: String,
    name: String,
    province_code: String,
    district_code: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl TryFrom<UnitRow> for FormerUnit {
    type Error = StoreError;
    fn try_from(r: UnitRow) -> StoreResult<FormerUnit> {
        Ok(FormerUnit {
            level: FormerLevel::from_code(&r.level).ok_or_else(|| bad("former_units"))?,
            kind: FormerKind::from_code(&r.kind).ok_or_else(|| bad("former_units"))?,
            generation: r.generation,
            code: r.code,
            name: r.name,
            province_code: r.province_code,
            district_code: r.district_code,
            lat: r.lat,
            lon: r.lon,
        })
    }
}

const UNIT_COLUMNS: &str =
    "f.generation, f.level, f.code, f.kind, f.name, f.province_code, f.district_code, f.lat, f.lon";

/// The maps, oldest first (the current one last).
#[tracing::instrument(skip_all)]
pub async fn generations(db: &Db) -> StoreResult<Vec<Generation>> {
    let q = Sql::new(
        "SELECT id, name, valid_from, valid_to, legal_basis FROM unit_generations \
         ORDER BY CASE WHEN valid_to IS NULL THEN 1 ELSE 0 END, valid_to",
    );
    /// `id, name, valid_from, valid_to, legal_basis`.
    type Row = (String, String, Option<NaiveDate>, Option<NaiveDate>, String);
    let rows: Vec<Row> = fetch_all(db, &q).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, valid_from, valid_to, legal_basis)| Generation { id, name, valid_from, valid_to, legal_basis })
        .collect())
}

/// Filters of [`search`].
#[derive(Clone, Debug, Default)]
pub struct FormerQuery {
    /// Text in the name (folded) or the code.
    pub q: Option<String>,
    /// Only this generation.
    pub generation: Option<String>,
    /// Only this level.
    pub level: Option<FormerLevel>,
    /// Only units of this former province.
    pub province: Option<String>,
    /// Only communes of this former district.
    pub district: Option<String>,
}

/// One page of former units matching `q`: provinces, then districts, then communes, by name.
#[tracing::instrument(skip_all)]
pub async fn search(db: &Db, q: &FormerQuery, page: PageRequest) -> StoreResult<Page<FormerUnit>> {
    let mut from = Sql::new("FROM former_units f WHERE 1=1");
    if let Some(t) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        from.push(" AND (f.search_key LIKE ")
            .bind(Arg::Text(antq_domain::text::contains_pattern(t)))
            .push(" ESCAPE '\\' OR f.code = ")
            .bind(Arg::Text(t.to_string()))
            .push(")");
    }
    from.and_eq("f.generation", q.generation.as_deref())
        .and_eq("f.level", q.level.map(|l| l.code()))
        .and_eq("f.province_code", q.province.as_deref())
        .and_eq("f.district_code", q.district.as_deref());
    let order =
        "CASE f.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, f.search_key, f.code, f.generation";
    let (rows, total) = fetch_page::<UnitRow>(db, UNIT_COLUMNS, &from, order, page).await?;
    let items = rows.into_iter().map(FormerUnit::try_from).collect::<StoreResult<_>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// One former unit.
#[tracing::instrument(skip_all)]
pub async fn get(db: &Db, generation: &str, level: FormerLevel, code: &str) -> StoreResult<FormerUnit> {
    let mut q = Sql::new(&format!("SELECT {UNIT_COLUMNS} FROM former_units f WHERE 1=1"));
    q.and_eq("f.generation", Some(generation)).and_eq("f.level", Some(level.code())).and_eq("f.code", Some(code));
    fetch_all::<UnitRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// Former units by `(level, code)` of one generation, for naming many at once: one
/// `level = … AND code IN (…)` per level and chunk, so the primary key answers it.
#[tracing::instrument(skip_all)]
pub async fn many(db: &Db, generation: &str, keys: &[(FormerLevel, String)]) -> StoreResult<Vec<FormerUnit>> {
    let select = format!("SELECT {UNIT_COLUMNS} FROM former_units f WHERE 1=1");
    let rows: Vec<UnitRow> = by_level(db, &select, ("f.generation", "f.level", "f.code"), "", generation, keys).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// The rows of `select` for a set of `(level, code)` of one generation: per level, in IN lists
/// of 500, so the primary key answers each (an OR of pairs scans the table).
async fn by_level<R: crate::sql::BothRows>(
    db: &Db,
    select: &str,
    (generation_col, level_col, code_col): (&str, &str, &str),
    order: &str,
    generation: &str,
    keys: &[(FormerLevel, String)],
) -> StoreResult<Vec<R>> {
    let mut out = Vec::new();
    for level in FormerLevel::ALL {
        let codes: Vec<&String> = keys.iter().filter(|(l, _)| l == level).map(|(_, c)| c).collect();
        for chunk in codes.chunks(500) {
            let mut q = Sql::new(select);
            q.and_eq(generation_col, Some(generation)).and_eq(level_col, Some(level.code()));
            q.in_texts(code_col, chunk);
            q.push(order);
            out.extend(fetch_all::<R>(db, &q).await?);
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct StepRow {
    generation: String,
    from_level: String,
    from_code: String,
    to_generation: String,
    to_level: String,
    to_code: String,
    relation: String,
    weight_milli: i64,
    is_default: bool,
    legal_basis: String,
    effective_on: NaiveDate,
}

impl TryFrom<StepRow> for Succession {
    type Error = StoreError;
    fn try_from(r: StepRow) -> StoreResult<Succession> {
        let level = |c: &str| FormerLevel::from_code(c).ok_or_else(|| bad("unit_successions"));
        Ok(Succession {
            from_level: level(&r.from_level)?,
            to_level: level(&r.to_level)?,
            relation: Relation::from_code(&r.relation).ok_or_else(|| bad("unit_successions"))?,
            generation: r.generation,
            from_code: r.from_code,
            to_generation: r.to_generation,
            to_code: r.to_code,
            weight_milli: r.weight_milli,
            is_default: r.is_default,
            legal_basis: r.legal_basis,
            effective_on: r.effective_on,
        })
    }
}

const STEP_COLUMNS: &str = "s.generation, s.from_level, s.from_code, s.to_generation, s.to_level, s.to_code, \
     s.relation, s.weight_milli, s.is_default, s.legal_basis, s.effective_on";

/// Which end of a step a lookup starts from.
#[derive(Clone, Copy, Debug)]
pub enum End {
    /// The unit that went (`generation`, `from_level`, `from_code`): what it became.
    From,
    /// The unit it went into (`to_generation`, `to_level`, `to_code`): what it came from.
    To,
}

/// The steps from or into a unit, the default first.
#[tracing::instrument(skip_all)]
pub async fn steps(
    db: &Db,
    end: End,
    generation: &str,
    level: FormerLevel,
    code: &str,
) -> StoreResult<Vec<Succession>> {
    let (g, l, c) = match end {
        End::From => ("s.generation", "s.from_level", "s.from_code"),
        End::To => ("s.to_generation", "s.to_level", "s.to_code"),
    };
    let mut q = Sql::new(&format!("SELECT {STEP_COLUMNS} FROM unit_successions s WHERE 1=1"));
    q.and_eq(g, Some(generation)).and_eq(l, Some(level.code())).and_eq(c, Some(code));
    q.push(" ORDER BY s.is_default DESC, s.from_level, s.from_code, s.to_code");
    fetch_all::<StepRow>(db, &q).await?.into_iter().map(Succession::try_from).collect()
}

/// Every step of a generation into the next, in key order (exports and checks).
#[tracing::instrument(skip_all)]
pub async fn all_steps(db: &Db, generation: &str) -> StoreResult<Vec<Succession>> {
    let mut q = Sql::new(&format!("SELECT {STEP_COLUMNS} FROM unit_successions s WHERE 1=1"));
    q.and_eq("s.generation", Some(generation));
    q.push(" ORDER BY s.from_level, s.from_code, s.to_level, s.to_code");
    fetch_all::<StepRow>(db, &q).await?.into_iter().map(Succession::try_from).collect()
}

/// Every unit of a generation, by level and code (exports).
#[tracing::instrument(skip_all)]
pub async fn all(db: &Db, generation: &str) -> StoreResult<Vec<FormerUnit>> {
    let mut q = Sql::new(&format!("SELECT {UNIT_COLUMNS} FROM former_units f WHERE 1=1"));
    q.and_eq("f.generation", Some(generation));
    q.push(" ORDER BY f.level, f.code");
    fetch_all::<UnitRow>(db, &q).await?.into_iter().map(FormerUnit::try_from).collect()
}

/// The steps from many units of one generation (what each became), the defaults first.
#[tracing::instrument(skip_all)]
pub async fn steps_from_many(
    db: &Db,
    generation: &str,
    keys: &[(FormerLevel, String)],
) -> StoreResult<Vec<Succession>> {
    let select = format!("SELECT {STEP_COLUMNS} FROM unit_successions s WHERE 1=1");
    let order = " ORDER BY s.from_code, s.is_default DESC, s.to_code";
    let rows: Vec<StepRow> =
        by_level(db, &select, ("s.generation", "s.from_level", "s.from_code"), order, generation, keys).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}
