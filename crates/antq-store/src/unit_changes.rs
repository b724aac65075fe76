//! Later changes of the administrative map (issue 16): the loaded tables, their dry run and
//! their application in one transaction (`docs/next-map-change.md`).

use std::collections::{HashMap, HashSet};

use antq_domain::page::{Page, PageRequest};
use antq_domain::succession::Relation;
use antq_domain::unit::{UnitKind, UnitLevel};
use antq_domain::unit_change::{
    Applied, ChangeHeader, ChangeState, ChangeStep, Collision, Effect, MapUnit, Plan, RegisterEffect, UnitChange,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, execute, fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult, Tx, with_tx};

/// A table whose rows belong to a place: its province column, and its commune and unit columns
/// when it has them. `placed`: a pivot register, whose re-keyed rows keep their place.
struct Register {
    table: &'static str,
    label: &'static str,
    province: &'static str,
    commune: Option<&'static str>,
    unit: Option<&'static str>,
    placed: bool,
}

const fn reg(table: &'static str, label: &'static str) -> Register {
    Register { table, label, province: "province_code", commune: Some("commune_code"), unit: None, placed: false }
}
const fn province_only(table: &'static str, label: &'static str) -> Register {
    Register { commune: None, ..reg(table, label) }
}
const fn placed(table: &'static str, label: &'static str) -> Register {
    Register { placed: true, ..reg(table, label) }
}
const fn with_unit(r: Register) -> Register {
    Register { unit: Some("unit_code"), ..r }
}

/// Every register re-keyed by a change. Not here: `audit_log` and `model_history` (what was
/// written then), `units` and `former_units` (the map itself), and the kept totals (rebuilt).
const REGISTERS: &[Register] = &[
    province_only("model_types", "Loại mô hình"),
    reg("areas", "Địa bàn"),
    reg("establishments", "Cơ sở"),
    placed("models", "Mô hình"),
    reg("model_sites", "Điểm của mô hình"),
    reg("model_teams", "Tổ của mô hình"),
    reg("model_events", "Sự kiện của mô hình"),
    reg("model_documents", "Tài liệu của mô hình"),
    with_unit(reg("users", "Tài khoản")),
    province_only("rule_values", "Tham số quy tắc"),
    province_only("criteria_sets", "Bộ tiêu chí"),
    province_only("rating_rounds", "Đợt đánh giá"),
    with_unit(reg("rating_sheets", "Phiếu đánh giá")),
    Register { unit: Some("unit_code"), ..placed("model_ratings", "Kết quả xếp loại mô hình") },
    placed("antt_records", "Hồ sơ «An toàn về ANTT»"),
    reg("antt_documents", "Tài liệu «An toàn về ANTT»"),
    reg("movement_classifications", "Phân loại phong trào"),
    reg("exemplars", "Điển hình"),
    reg("report_identities", "Danh tính người báo tin"),
    reg("report_events", "Diễn biến tin báo"),
    reg("report_messages", "Trao đổi về tin báo"),
    reg("report_attachments", "Tệp của tin báo"),
    reg("reports", "Tin báo (đơn vị xử lý)"),
    Register {
        province: "place_province_code",
        commune: Some("place_commune_code"),
        ..placed("reports", "Tin báo (nơi xảy ra)")
    },
    placed("force_teams", "Tổ bảo vệ ANTT"),
    reg("force_team_areas", "Địa bàn của tổ"),
    placed("force_members", "Thành viên tổ"),
    reg("force_events", "Biến động lực lượng"),
    reg("force_documents", "Tài liệu lực lượng"),
    reg("force_rating_sheets", "Phiếu đánh giá lực lượng"),
    reg("force_ratings", "Kết quả đánh giá lực lượng"),
    reg("force_courses", "Lớp bồi dưỡng"),
    reg("force_trainees", "Học viên"),
    province_only("activity_kinds", "Loại hoạt động"),
    placed("activities", "Hoạt động"),
    reg("activity_models", "Mô hình của hoạt động"),
    reg("activity_weapons", "Vũ khí, vật liệu thu hồi"),
    reg("activity_opinions", "Ý kiến của hoạt động"),
    reg("activity_documents", "Tài liệu của hoạt động"),
    placed("commendations", "Khen thưởng"),
    reg("camera_centres", "Trung tâm camera"),
    placed("cameras", "Camera"),
    reg("camera_status_changes", "Thay đổi trạng thái camera"),
    province_only("target_indicators", "Chỉ tiêu"),
    reg("targets", "Chỉ tiêu giao"),
    with_unit(reg("official_reports", "Báo cáo chính thức")),
];

/// Unique keys that hold a place: `(table, label, what the key is, key with {P}, {C}, {U}
/// for the province, commune and unit after the change)`.
const UNIQUE: &[(&str, &str, &str, &str)] = &[
    (
        "antt_records",
        "Hồ sơ «An toàn về ANTT»",
        "năm, đối tượng, xã",
        "year, subject, {C}, COALESCE(area_id, 0), COALESCE(establishment_id, 0)",
    ),
    (
        "movement_classifications",
        "Phân loại phong trào",
        "năm, đối tượng, xã",
        "year, subject, {C}, COALESCE(area_id, 0), COALESCE(establishment_id, 0)",
    ),
    ("exemplars", "Điển hình", "năm, loại, xã", "year, kind, {C}, COALESCE(establishment_id, 0)"),
    ("rating_rounds", "Đợt đánh giá", "tỉnh, năm", "{P}, year"),
    ("rating_sheets", "Phiếu đánh giá", "đợt, đơn vị", "round_id, {U}"),
    ("force_rating_sheets", "Phiếu đánh giá lực lượng", "xã, năm", "{C}, year"),
    ("activity_kinds", "Loại hoạt động", "tỉnh, tên", "COALESCE({P}, ''), name"),
    ("camera_centres", "Trung tâm camera", "tỉnh, xã, tên", "{P}, COALESCE({C}, ''), name"),
    ("target_indicators", "Chỉ tiêu", "tỉnh, mã", "COALESCE({P}, ''), code"),
    ("targets", "Chỉ tiêu giao", "năm, tỉnh, xã, chỉ tiêu", "year, {P}, COALESCE({C}, ''), indicator_id"),
];

/// A kept total: its key columns besides the place, its measures, and whether it has
/// province rows (`level = 'p'`, commune `''`) summed from its commune rows.
struct Kept {
    table: &'static str,
    keys: &'static [&'static str],
    measures: &'static [&'static str],
    levels: bool,
}

const KEPT: &[Kept] = &[
    Kept {
        table: "activity_totals",
        keys: &["year", "kind_id", "month"],
        measures: &[
            "sessions",
            "participants",
            "opinions",
            "answered",
            "households",
            "individuals",
            "establishments",
            "publications",
            "trainees",
            "tips",
        ],
        levels: true,
    },
    Kept {
        table: "activity_weapon_totals",
        keys: &["year", "category", "unit", "month"],
        measures: &["quantity_milli", "lines"],
        levels: true,
    },
    Kept { table: "camera_totals", keys: &["status", "funding"], measures: &["cameras", "cost_vnd"], levels: false },
];

/// How [`mapped`] reads a row's moves: through the `LEFT JOIN`s it returns (`cm` by commune,
/// `pm` by province), or by subqueries (an `UPDATE` joins nothing portably).
#[derive(Clone, Copy, PartialEq)]
enum Read {
    Joined,
    Correlated,
}

/// The joins of a row of `table` to its moves, and its province, commune and unit after the
/// change. The change's id is written as a number (PostgreSQL binds no parameter in
/// `CREATE TABLE … AS`).
fn mapped(read: Read, id: i64, r: &Register) -> [String; 4] {
    let t = r.table;
    let on = |alias: &str, level: &str, col: &str| {
        format!("{alias}.change_id = {id} AND {alias}.level = '{level}' AND {alias}.from_code = {t}.{col}")
    };
    let field = |alias: &str, level: &str, col: &str, f: &str| match read {
        Read::Joined => format!("{alias}.{f}"),
        Read::Correlated => format!("(SELECT m.{f} FROM unit_change_moves m WHERE {})", on("m", level, col)),
    };
    let mut joins = String::new();
    if read == Read::Joined {
        if let Some(c) = r.commune {
            joins.push_str(&format!(" LEFT JOIN unit_change_moves cm ON {}", on("cm", "commune", c)));
        }
        joins.push_str(&format!(" LEFT JOIN unit_change_moves pm ON {}", on("pm", "province", r.province)));
    }
    let pm_to = field("pm", "province", r.province, "to_code");
    let (p, c) = match r.commune {
        Some(col) => (
            format!("COALESCE({}, {pm_to}, {t}.{})", field("cm", "commune", col, "to_province"), r.province),
            format!("COALESCE({}, {t}.{col})", field("cm", "commune", col, "to_code")),
        ),
        None => (format!("COALESCE({pm_to}, {t}.{})", r.province), "NULL".to_string()),
    };
    let u = match r.unit {
        Some(u) => format!(
            "CASE WHEN {t}.{u} = {t}.{} THEN {c} WHEN {t}.{u} = {t}.{} THEN {p} ELSE {t}.{u} END",
            r.commune.unwrap_or(r.province),
            r.province
        ),
        None => "NULL".to_string(),
    };
    [joins, p, c, u]
}

/// ` WHERE (cm.from_code IS NOT NULL OR pm.from_code IS NOT NULL)`: the row moves.
fn moving(commune: Option<&str>) -> &'static str {
    if commune.is_some() {
        " WHERE (cm.from_code IS NOT NULL OR pm.from_code IS NOT NULL)"
    } else {
        " WHERE pm.from_code IS NOT NULL"
    }
}

/// Runs a query inside `tx` and decodes every row.
async fn fetch_tx<R: crate::sql::BothRows>(tx: &mut Tx, q: &Sql) -> StoreResult<Vec<R>> {
    let text = q.text_for(tx.backend());
    Ok(with_tx!(tx, c => crate::bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(text.clone())), q.args.clone())
        .fetch_all(c).await)?)
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    generation: String,
    name: String,
    legal_basis: String,
    effective_on: NaiveDate,
    state: String,
    from_generation: Option<String>,
    file_name: String,
    created_by: String,
    created_at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    moved_rows: Option<i64>,
}

impl TryFrom<ChangeRow> for UnitChange {
    type Error = StoreError;
    fn try_from(r: ChangeRow) -> StoreResult<UnitChange> {
        Ok(UnitChange {
            id: r.id,
            header: ChangeHeader {
                generation: r.generation,
                name: r.name,
                legal_basis: r.legal_basis,
                effective_on: r.effective_on,
            },
            state: ChangeState::from_code(&r.state).ok_or(StoreError::NotFound)?,
            from_generation: r.from_generation,
            file_name: r.file_name,
            created_by: r.created_by,
            created_at: r.created_at,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            moved_rows: r.moved_rows,
        })
    }
}

const CHANGE_COLUMNS: &str = "id, generation, name, legal_basis, effective_on, state, from_generation, file_name, \
     created_by, created_at, decided_by, decided_at, moved_rows";

/// The loaded changes, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, page: PageRequest) -> StoreResult<Page<UnitChange>> {
    let from = Sql::new("FROM unit_changes WHERE 1=1");
    let (rows, total) = fetch_page::<ChangeRow>(db, CHANGE_COLUMNS, &from, "id DESC", page).await?;
    let items = rows.into_iter().map(UnitChange::try_from).collect::<StoreResult<_>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// One change.
#[tracing::instrument(skip_all)]
pub async fn get(db: &Db, id: i64) -> StoreResult<UnitChange> {
    let mut q = Sql::new(&format!("SELECT {CHANGE_COLUMNS} FROM unit_changes WHERE id = "));
    q.bind(Arg::I64(id));
    fetch_all::<ChangeRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// Pending changes whose day has come, oldest day first.
#[tracing::instrument(skip_all)]
pub async fn due(db: &Db, today: NaiveDate) -> StoreResult<Vec<UnitChange>> {
    let mut q = Sql::new(&format!(
        "SELECT {CHANGE_COLUMNS} FROM unit_changes WHERE state = 'cho_ap_dung' AND effective_on <= "
    ));
    q.bind(Arg::Date(today)).push(" ORDER BY effective_on, id");
    fetch_all::<ChangeRow>(db, &q).await?.into_iter().map(UnitChange::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct StepRow {
    row_no: i64,
    level: String,
    from_code: String,
    to_code: String,
    to_name: Option<String>,
    to_kind: Option<String>,
    to_province: Option<String>,
    relation: String,
    weight_milli: i64,
    is_default: bool,
}

impl TryFrom<StepRow> for ChangeStep {
    type Error = StoreError;
    fn try_from(r: StepRow) -> StoreResult<ChangeStep> {
        Ok(ChangeStep {
            row: usize::try_from(r.row_no).unwrap_or_default(),
            level: UnitLevel::from_code(&r.level).ok_or(StoreError::NotFound)?,
            to_kind: r.to_kind.as_deref().and_then(UnitKind::from_code),
            relation: Relation::from_code(&r.relation).ok_or(StoreError::NotFound)?,
            from_code: r.from_code,
            to_code: r.to_code,
            to_name: r.to_name,
            to_province: r.to_province,
            weight_milli: r.weight_milli,
            is_default: r.is_default,
        })
    }
}

const STEP_COLUMNS: &str =
    "row_no, level, from_code, to_code, to_name, to_kind, to_province, relation, weight_milli, is_default";

/// One page of a change's rows, in file order.
#[tracing::instrument(skip_all)]
pub async fn steps_page(db: &Db, id: i64, page: PageRequest) -> StoreResult<Page<ChangeStep>> {
    let mut from = Sql::new("FROM unit_change_steps WHERE change_id = ");
    from.bind(Arg::I64(id));
    let (rows, total) = fetch_page::<StepRow>(db, STEP_COLUMNS, &from, "row_no", page).await?;
    let items = rows.into_iter().map(ChangeStep::try_from).collect::<StoreResult<_>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// Every row of a change, in file order.
#[tracing::instrument(skip_all)]
pub async fn steps(db: &Db, id: i64) -> StoreResult<Vec<ChangeStep>> {
    let mut q = Sql::new(&format!("SELECT {STEP_COLUMNS} FROM unit_change_steps WHERE change_id = "));
    q.bind(Arg::I64(id)).push(" ORDER BY row_no");
    fetch_all::<StepRow>(db, &q).await?.into_iter().map(ChangeStep::try_from).collect()
}

/// The current map, and every code ever used (current, ended or former), for [`antq_domain::unit_change::plan`].
#[tracing::instrument(skip_all)]
pub async fn current_map(db: &Db) -> StoreResult<(HashMap<String, MapUnit>, HashSet<String>)> {
    type Row = (String, String, String, String, String, Option<NaiveDate>);
    let rows: Vec<Row> =
        fetch_all(db, &Sql::new("SELECT code, level, kind, name, province_code, valid_to FROM units")).await?;
    let mut taken: HashSet<String> = fetch_all::<(String,)>(db, &Sql::new("SELECT DISTINCT code FROM former_units"))
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect();
    let mut map = HashMap::new();
    for (code, level, kind, name, province_code, valid_to) in rows {
        taken.insert(code.clone());
        if valid_to.is_some() {
            continue;
        }
        let (Some(level), Some(kind)) = (UnitLevel::from_code(&level), UnitKind::from_code(&kind)) else { continue };
        map.insert(code, MapUnit { level, kind, name, province_code });
    }
    Ok((map, taken))
}

/// The id of the current generation (the one without a last day).
#[tracing::instrument(skip_all)]
pub async fn current_generation(db: &Db) -> StoreResult<String> {
    let q = Sql::new("SELECT id FROM unit_generations WHERE valid_to IS NULL ORDER BY id");
    fetch_all::<(String,)>(db, &q).await?.into_iter().next().map(|r| r.0).ok_or(StoreError::NotFound)
}

/// A change to write: its header, the file it came from, its rows.
pub struct NewChange<'a> {
    /// The new map.
    pub header: &'a ChangeHeader,
    /// The uploaded file's name.
    pub file_name: &'a str,
    /// The table's rows as loaded.
    pub steps: &'a [ChangeStep],
    /// Who.
    pub by: &'a str,
    /// When.
    pub now: DateTime<Utc>,
}

/// Inserts the change and its rows; returns its id.
async fn insert(tx: &mut Tx, c: &NewChange<'_>) -> StoreResult<i64> {
    let mut q = Sql::new(
        "INSERT INTO unit_changes (generation, name, legal_basis, effective_on, state, file_name, created_by, created_at) VALUES ",
    );
    q.values_row(
        true,
        [
            Arg::Text(c.header.generation.clone()),
            Arg::Text(c.header.name.trim().to_string()),
            Arg::Text(c.header.legal_basis.trim().to_string()),
            Arg::Date(c.header.effective_on),
            Arg::Text(ChangeState::Pending.code().into()),
            Arg::Text(c.file_name.to_string()),
            Arg::Text(c.by.to_string()),
            Arg::Time(c.now),
        ],
    )
    .push(" RETURNING id");
    let id = fetch_tx::<(i64,)>(tx, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.0;
    for chunk in c.steps.chunks(400) {
        let mut q = Sql::new(&format!("INSERT INTO unit_change_steps (change_id, {STEP_COLUMNS}) VALUES "));
        for (i, s) in chunk.iter().enumerate() {
            q.values_row(
                i == 0,
                [
                    Arg::I64(id),
                    Arg::I64(i64::try_from(s.row).unwrap_or_default()),
                    Arg::Text(s.level.code().into()),
                    Arg::Text(s.from_code.clone()),
                    Arg::Text(s.to_code.clone()),
                    Arg::OptText(s.to_name.clone()),
                    Arg::OptText(s.to_kind.map(|k| k.code().to_string())),
                    Arg::OptText(s.to_province.clone()),
                    Arg::Text(s.relation.code().into()),
                    Arg::I64(s.weight_milli),
                    Arg::Bool(s.is_default),
                ],
            );
        }
        execute(tx, &q).await?;
    }
    Ok(id)
}

/// Writes where each unit's records go (replacing what an earlier count wrote).
async fn write_moves(tx: &mut Tx, id: i64, plan: &Plan) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM unit_change_moves WHERE change_id = ");
    q.bind(Arg::I64(id));
    execute(tx, &q).await?;
    let split: HashSet<&str> = plan.split.iter().map(String::as_str).collect();
    for chunk in plan.moves.chunks(400) {
        let mut q = Sql::new(
            "INSERT INTO unit_change_moves (change_id, level, from_code, to_code, to_province, split) VALUES ",
        );
        for (i, m) in chunk.iter().enumerate() {
            q.values_row(
                i == 0,
                [
                    Arg::I64(id),
                    Arg::Text(m.level.code().into()),
                    Arg::Text(m.from_code.clone()),
                    Arg::Text(m.to_code.clone()),
                    Arg::Text(m.to_province.clone()),
                    Arg::Bool(split.contains(m.from_code.as_str())),
                ],
            );
        }
        execute(tx, &q).await?;
    }
    Ok(())
}

/// What the moves written for `id` do: rows per register, colliding keys, accounts.
async fn effect(tx: &mut Tx, id: i64) -> StoreResult<Effect> {
    let mut out = Effect::default();
    for r in REGISTERS {
        let [joins, ..] = mapped(Read::Joined, id, r);
        let split = if r.commune.is_some() { "cm.split OR pm.split" } else { "pm.split" };
        let q = Sql::new(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN {split} THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM {}{joins}{}",
            r.table,
            moving(r.commune)
        ));
        let (rows, split_rows) = fetch_tx::<(i64, i64)>(tx, &q).await?.into_iter().next().unwrap_or_default();
        if r.table == "users" {
            out.accounts = rows;
        }
        if rows > 0 {
            out.registers.push(RegisterEffect { register: r.label.into(), rows, split_rows });
        }
    }
    for (table, label, what, key) in UNIQUE {
        let r = REGISTERS.iter().find(|r| r.table == *table && !r.province.starts_with("place_")).expect("a register");
        let [joins, p, c, u] = mapped(Read::Joined, id, r);
        let key = key.replace("{P}", &p).replace("{C}", &c).replace("{U}", &u);
        let q = Sql::new(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 AS one FROM {table}{joins} GROUP BY {key} HAVING COUNT(*) > 1) x"
        ));
        let keys = fetch_tx::<(i64,)>(tx, &q).await?.into_iter().next().map(|r| r.0).unwrap_or_default();
        if keys > 0 {
            out.collisions.push(Collision { register: (*label).into(), key: (*what).into(), keys });
        }
    }
    Ok(out)
}

/// Counts what a change would do, writing nothing: the change, its rows and its moves are
/// written in a transaction that is rolled back.
#[tracing::instrument(skip_all)]
pub async fn dry_run(db: &Db, c: &NewChange<'_>, plan: &Plan) -> StoreResult<Effect> {
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, c).await?;
    write_moves(&mut tx, id, plan).await?;
    effect(&mut tx, id).await
    // Dropping the transaction rolls it back.
}

/// Saves a checked change as pending, in `tx`; returns its id.
#[tracing::instrument(skip_all)]
pub async fn save(tx: &mut Tx, c: &NewChange<'_>) -> StoreResult<i64> {
    insert(tx, c).await
}

/// The effect of a saved change against the map of now (its moves rolled back).
#[tracing::instrument(skip_all)]
pub async fn effect_of(db: &Db, id: i64, plan: &Plan) -> StoreResult<Effect> {
    let mut tx = db.begin().await?;
    write_moves(&mut tx, id, plan).await?;
    effect(&mut tx, id).await
}

/// Cancels a pending change, in `tx` (`Conflict` when it is not pending).
#[tracing::instrument(skip_all)]
pub async fn cancel(tx: &mut Tx, id: i64, by: &str, now: DateTime<Utc>) -> StoreResult<()> {
    crate::sql::update_in_state(
        tx,
        "unit_changes",
        id,
        ChangeState::Pending.code(),
        "state = ?, decided_by = ?, decided_at = ?",
        vec![Arg::Text(ChangeState::Cancelled.code().into()), Arg::Text(by.into()), Arg::Time(now)],
    )
    .await
}

/// Applies a pending change in `tx`, the caller's one transaction: refused (`Conflict`) when it
/// is not pending or its plan has colliding keys; on any error the caller drops `tx` and
/// nothing is written.
#[tracing::instrument(skip_all)]
pub async fn apply(
    tx: &mut Tx,
    change: &UnitChange,
    plan: &Plan,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<Applied> {
    let id = change.id;
    let h = &change.header;
    let day = h.effective_on;
    let last_day = day.pred_opt().ok_or(StoreError::Conflict)?;
    // A write first: SQLite takes the write lock now rather than failing to upgrade a read
    // when another connection has written meanwhile.
    write_moves(tx, id, plan).await?;
    let current = fetch_tx::<(String,)>(tx, &Sql::new("SELECT id FROM unit_generations WHERE valid_to IS NULL"))
        .await?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?
        .0;
    let e = effect(tx, id).await?;
    if !e.collisions.is_empty() {
        return Err(StoreError::Conflict);
    }
    crate::sql::update_in_state(
        tx,
        "unit_changes",
        id,
        ChangeState::Pending.code(),
        "state = ?, decided_by = ?, decided_at = ?, from_generation = ?, moved_rows = ?",
        vec![
            Arg::Text(ChangeState::Applied.code().into()),
            Arg::Text(by.into()),
            Arg::Time(now),
            Arg::Text(current.clone()),
            Arg::I64(e.moved()),
        ],
    )
    .await?;
    // The maps: the current one ends the day before; the new one begins.
    let mut q = Sql::new("UPDATE unit_generations SET valid_to = ");
    q.bind(Arg::Date(last_day)).push(" WHERE id = ").bind(Arg::Text(current.clone()));
    execute(tx, &q).await?;
    let mut q = Sql::new("INSERT INTO unit_generations (id, name, valid_from, valid_to, legal_basis) VALUES ");
    q.values_row(
        true,
        [
            Arg::Text(h.generation.clone()),
            Arg::Text(h.name.clone()),
            Arg::OptDate(Some(day)),
            Arg::OptDate(None),
            Arg::Text(h.legal_basis.clone()),
        ],
    );
    execute(tx, &q).await?;
    // The touched units as they were, under the ending map.
    let touched: Vec<String> = plan.touched().into_iter().map(|(_, c)| c).collect();
    for chunk in touched.chunks(500) {
        let mut q = Sql::new(
            "INSERT INTO former_units (generation, level, code, kind, name, search_key, province_code, district_code, lat, lon) \
             SELECT ",
        );
        q.bind(Arg::Text(current.clone()))
            .push(", level, code, kind, name, search_key, province_code, NULL, lat, lon FROM units WHERE 1=1");
        q.in_texts("code", chunk);
        execute(tx, &q).await?;
    }
    for u in &plan.created {
        let parent = (u.level == UnitLevel::Commune).then(|| u.province_code.clone());
        let mut q = Sql::new(
            "INSERT INTO units (code, parent_code, level, kind, name, search_key, lat, lon, province_code, valid_from, remote) VALUES ",
        );
        q.values_row(
            true,
            [
                Arg::Text(u.code.clone()),
                Arg::OptText(parent),
                Arg::Text(u.level.code().into()),
                Arg::Text(u.kind.code().into()),
                Arg::Text(u.name.clone()),
                Arg::Text(antq_domain::text::fold(&u.name)),
                Arg::OptF64(None),
                Arg::OptF64(None),
                Arg::Text(u.province_code.clone()),
                Arg::Date(day),
                Arg::Bool(u.kind == UnitKind::DacKhu),
            ],
        );
        execute(tx, &q).await?;
    }
    for (code, kind, name) in &plan.renamed {
        let mut q = Sql::new("UPDATE units SET kind = ");
        q.bind(Arg::Text(kind.code().into()))
            .push(", name = ")
            .bind(Arg::Text(name.clone()))
            .push(", search_key = ")
            .bind(Arg::Text(antq_domain::text::fold(name)))
            .push(" WHERE code = ")
            .bind(Arg::Text(code.clone()));
        execute(tx, &q).await?;
    }
    for (code, province) in &plan.reparented {
        let mut q = Sql::new("UPDATE units SET parent_code = ");
        q.bind(Arg::Text(province.clone()))
            .push(", province_code = ")
            .bind(Arg::Text(province.clone()))
            .push(" WHERE code = ")
            .bind(Arg::Text(code.clone()));
        execute(tx, &q).await?;
    }
    for chunk in plan.steps.chunks(300) {
        let mut q = Sql::new(
            "INSERT INTO unit_successions (generation, from_level, from_code, to_generation, to_level, to_code, relation, \
             weight_milli, is_default, legal_basis, effective_on) VALUES ",
        );
        for (i, s) in chunk.iter().enumerate() {
            q.values_row(
                i == 0,
                [
                    Arg::Text(current.clone()),
                    Arg::Text(s.level.code().into()),
                    Arg::Text(s.from_code.clone()),
                    Arg::Text(h.generation.clone()),
                    Arg::Text(s.level.code().into()),
                    Arg::Text(s.to_code.clone()),
                    Arg::Text(s.relation.code().into()),
                    Arg::I64(s.weight_milli),
                    Arg::Bool(s.is_default),
                    Arg::Text(h.legal_basis.clone()),
                    Arg::Date(day),
                ],
            );
        }
        execute(tx, &q).await?;
    }
    // Every register: the place of the ending map kept, then the successor's.
    for r in REGISTERS {
        let t = r.table;
        if r.placed {
            let [joins, ..] = mapped(Read::Joined, id, r);
            let commune = r.commune.map(|c| format!("{t}.{c}")).unwrap_or_else(|| "NULL".into());
            let mut q = Sql::new(&format!(
                "INSERT INTO record_places (register, record_id, generation, province_code, commune_code) SELECT '{t}', {t}.id, "
            ));
            q.bind(Arg::Text(current.clone())).push(&format!(
                ", {t}.{}, {commune} FROM {t}{joins}{}",
                r.province,
                moving(r.commune)
            ));
            execute(tx, &q).await?;
        }
        let [_, p, c, u] = mapped(Read::Correlated, id, r);
        let mut set = vec![format!("{} = {p}", r.province)];
        set.extend(r.commune.map(|col| format!("{col} = {c}")));
        set.extend(r.unit.map(|col| format!("{col} = {u}")));
        let moved = |level: &str, col: &str| {
            format!(
                "{t}.{col} IN (SELECT from_code FROM unit_change_moves WHERE change_id = {id} AND level = '{level}')"
            )
        };
        let mut cond = vec![moved("province", r.province)];
        cond.extend(r.commune.map(|col| moved("commune", col)));
        let q = Sql::new(&format!("UPDATE {t} SET {} WHERE {}", set.join(", "), cond.join(" OR ")));
        execute(tx, &q).await?;
    }
    rekey_totals(tx, id).await?;
    for chunk in plan.ended.chunks(500) {
        let codes: Vec<String> = chunk.iter().map(|(_, c)| c.clone()).collect();
        let mut q = Sql::new("UPDATE units SET valid_to = ");
        q.bind(Arg::Date(last_day)).push(" WHERE 1=1");
        q.in_texts("code", &codes);
        execute(tx, &q).await?;
    }
    Ok(Applied { from_generation: current, moved_rows: e.moved(), accounts: e.accounts })
}

/// Re-keys the kept totals: the commune rows of moved units summed into their successors,
/// then every province row summed again from the commune rows.
async fn rekey_totals(tx: &mut Tx, id: i64) -> StoreResult<()> {
    for k in KEPT {
        let t = k.table;
        let [joins, p, c, _] = mapped(Read::Joined, id, &reg(t, t));
        let keys = k.keys.join(", ");
        let sums =
            k.measures.iter().map(|m| format!("CAST(SUM({t}.{m}) AS BIGINT) AS {m}")).collect::<Vec<_>>().join(", ");
        let level = if k.levels { format!(" AND {t}.level = 'c'") } else { String::new() };
        let level_col = if k.levels { "level, " } else { "" };
        let level_val = if k.levels { "'c' AS level, " } else { "" };
        let qualified = k.keys.iter().map(|c| format!("{t}.{c}")).collect::<Vec<_>>().join(", ");
        let q = Sql::new(&format!(
            "CREATE TEMP TABLE antq_rekey AS SELECT {level_val}{p} AS province_code, {c} AS commune_code, {qualified}, {sums} \
             FROM {t}{joins}{}{level} GROUP BY {p}, {c}, {qualified}",
            moving(Some("commune_code"))
        ));
        execute(tx, &q).await?;
        let del = format!(
            "DELETE FROM {t} WHERE (commune_code IN (SELECT from_code FROM unit_change_moves WHERE change_id = {id} AND level = 'commune') \
             OR province_code IN (SELECT from_code FROM unit_change_moves WHERE change_id = {id} AND level = 'province')){}",
            level.replace(&format!("{t}."), "")
        );
        execute(tx, &Sql::new(&del)).await?;
        let measures = k.measures.join(", ");
        let update = k.measures.iter().map(|m| format!("{m} = {t}.{m} + excluded.{m}")).collect::<Vec<_>>().join(", ");
        let ins = format!(
            "INSERT INTO {t} ({level_col}province_code, commune_code, {keys}, {measures}) \
             SELECT {level_col}province_code, commune_code, {keys}, {measures} FROM antq_rekey WHERE TRUE \
             ON CONFLICT ({level_col}province_code, commune_code, {keys}) DO UPDATE SET {update}"
        );
        execute(tx, &Sql::new(&ins)).await?;
        execute(tx, &Sql::new("DROP TABLE antq_rekey")).await?;
        if k.levels {
            execute(tx, &Sql::new(&format!("DELETE FROM {t} WHERE level = 'p'"))).await?;
            let sums = k.measures.iter().map(|m| format!("CAST(SUM({m}) AS BIGINT)")).collect::<Vec<_>>().join(", ");
            let ins = format!(
                "INSERT INTO {t} (level, province_code, commune_code, {keys}, {measures}) \
                 SELECT 'p', province_code, '', {keys}, {sums} FROM {t} WHERE level = 'c' GROUP BY province_code, {keys}"
            );
            execute(tx, &Sql::new(&ins)).await?;
        }
    }
    Ok(())
}

/// A record's place in a later map's predecessor (`record_places`), if it was re-keyed.
#[tracing::instrument(skip_all)]
pub async fn record_place(
    db: &Db,
    register: &str,
    record_id: i64,
    generation: &str,
) -> StoreResult<Option<(String, Option<String>)>> {
    let mut q = Sql::new("SELECT province_code, commune_code FROM record_places WHERE register = ");
    q.bind(Arg::Text(register.into()))
        .push(" AND record_id = ")
        .bind(Arg::I64(record_id))
        .push(" AND generation = ")
        .bind(Arg::Text(generation.into()));
    Ok(fetch_all::<(String, Option<String>)>(db, &q).await?.into_iter().next())
}

/// Rows kept in `record_places` for a generation, per register (checks and reports).
#[tracing::instrument(skip_all)]
pub async fn record_place_counts(db: &Db, generation: &str) -> StoreResult<Vec<(String, i64)>> {
    let mut q = Sql::new("SELECT register, CAST(COUNT(*) AS BIGINT) FROM record_places WHERE generation = ");
    q.bind(Arg::Text(generation.into())).push(" GROUP BY register ORDER BY register");
    fetch_all(db, &q).await
}

/// The SQL of a row's province (`province`) or commune in the map of the ended generations
/// `maps` (the asked map first, then each later one that ended): the place kept for the row by
/// the first of them that re-keyed it, or its place now. `from` is the `FROM` clause holding
/// the row's table, `alias` the prefix of its place columns (`m.`, `r.place_`). `None` when
/// `maps` is empty, a generation is not a plain code, or the table is not in `from`.
pub fn place_in_map(from: &str, alias: &str, province: bool, maps: &[String]) -> Option<String> {
    let plain = |g: &String| !g.is_empty() && g.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if maps.is_empty() || !maps.iter().all(plain) {
        return None;
    }
    let row = alias.split_once('.')?.0;
    let words: Vec<&str> = from.split_whitespace().collect();
    let table = words.windows(2).find(|w| w[1] == row)?[0];
    let col = if province { "province_code" } else { "commune_code" };
    let kept: Vec<String> = maps
        .iter()
        .map(|g| {
            format!(
                "(SELECT k.{col} FROM record_places k WHERE k.register = '{table}' AND k.record_id = {row}.id \
                 AND k.generation = '{g}')"
            )
        })
        .collect();
    Some(format!("COALESCE({}, {alias}{col})", kept.join(", ")))
}

#[cfg(test)]
mod place_tests {
    use super::place_in_map;

    #[test]
    fn reads_the_first_kept_place_then_the_current_one() {
        let maps = ["2025".to_string(), "b2027".to_string()];
        let sql = place_in_map("reports r", "r.place_", false, &maps).unwrap();
        assert!(sql.starts_with("COALESCE((SELECT k.commune_code FROM record_places k WHERE k.register = 'reports'"));
        assert!(sql.find("'2025'").unwrap() < sql.find("'b2027'").unwrap());
        assert!(sql.ends_with(", r.place_commune_code)"), "{sql}");
        let joined = place_in_map("force_team_areas x JOIN force_teams t ON t.id = x.team_id", "t.", true, &maps);
        assert!(joined.unwrap().contains("register = 'force_teams' AND k.record_id = t.id"));
        assert_eq!(place_in_map("models m", "m.", true, &[]), None);
        assert_eq!(place_in_map("models m", "m.", true, &["x'--".to_string()]), None);
    }
}
