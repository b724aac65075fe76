//! Movement activities: their kinds, the register and its children (linked models, item
//! lines, opinions, documents), and the monthly totals by place and kind that every change
//! keeps in its own transaction, so a country's year of statistics reads a few thousand rows.

use std::collections::HashMap;

use antq_domain::activity::opinion::{Opinion, OpinionFields, OpinionState, is_overdue};
use antq_domain::activity::{
    Activity, ActivityDocument, ActivityFields, ActivityKind, ActivityShape, LinkedModel, MeasureUnit, Measures,
    Medium, OrganiserKind, ShapeFields, TraineeKind, WeaponCategory, WeaponLine,
};
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::sql::{Arg, Sql, execute, fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult, Tx, bind_args, with_db, with_tx};

fn bad(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("unknown code in {what}").into()))
}

// ---------------------------------------------------------------------------------------
// Kinds

#[derive(sqlx::FromRow)]
struct KindRow {
    id: i64,
    code: Option<String>,
    province_code: Option<String>,
    name: String,
    shape: String,
    active: bool,
}

impl TryFrom<KindRow> for ActivityKind {
    type Error = StoreError;
    fn try_from(r: KindRow) -> StoreResult<ActivityKind> {
        Ok(ActivityKind {
            shape: ActivityShape::from_code(&r.shape).ok_or_else(|| bad("activity_kinds"))?,
            id: r.id,
            code: r.code,
            province_code: r.province_code,
            name: r.name,
            active: r.active,
        })
    }
}

const KIND_SELECT: &str = "SELECT id, code, province_code, name, shape, active FROM activity_kinds WHERE 1=1";

/// The national kinds and those of `province` (every province's when `None`), in catalogue order.
pub async fn kinds(db: &Db, province: Option<&str>) -> StoreResult<Vec<ActivityKind>> {
    let mut q = Sql::new(KIND_SELECT);
    if let Some(p) = province {
        q.push(" AND (province_code IS NULL OR province_code = ").bind(Arg::Text(p.into())).push(")");
    }
    q.push(" ORDER BY province_code IS NOT NULL, province_code, sort_order, name");
    fetch_all::<KindRow>(db, &q).await?.into_iter().map(ActivityKind::try_from).collect()
}

/// One kind.
pub async fn kind(db: &Db, id: i64) -> StoreResult<ActivityKind> {
    let mut q = Sql::new(KIND_SELECT);
    q.push(" AND id = ").bind(Arg::I64(id));
    fetch_all::<KindRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// Adds a province's kind; a name the province already has is a `Conflict`.
pub async fn insert_kind(
    tx: &mut Tx,
    province: Option<&str>,
    (name, shape, active): (&str, ActivityShape, bool),
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO activity_kinds (code, province_code, name, shape, active, sort_order, created_at) \
         VALUES (NULL, $1, $2, $3, $4, 1000, $5) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL).bind(province).bind(name).bind(shape.code()).bind(active).bind(now)
        .fetch_one(c).await)?)
}

/// Renames a kind or stops offering it (its shape never changes: activities depend on it).
pub async fn update_kind(tx: &mut Tx, id: i64, name: &str, active: bool) -> StoreResult<()> {
    const SQL: &str = "UPDATE activity_kinds SET name = $1, active = $2 WHERE id = $3";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(name).bind(active).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

// ---------------------------------------------------------------------------------------
// Activities

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    province_code: String,
    commune_code: Option<String>,
    area_id: Option<i64>,
    area_name: Option<String>,
    establishment_id: Option<i64>,
    establishment_name: Option<String>,
    kind_id: i64,
    kind_name: String,
    kind_code: Option<String>,
    shape: String,
    title: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    location: Option<String>,
    organiser_kind: String,
    organiser_name: Option<String>,
    organiser_model_id: Option<i64>,
    organiser_team_id: Option<i64>,
    organiser_label: String,
    participants: i64,
    p_nhan_dan: i64,
    p_hoc_sinh: i64,
    p_cong_nhan: i64,
    p_ton_giao: i64,
    p_can_bo: i64,
    commitment_topic: Option<String>,
    households: i64,
    individuals: i64,
    establishments: i64,
    receiving_unit: Option<String>,
    minutes_no: Option<String>,
    medium: Option<String>,
    publications: i64,
    training_topics: Option<String>,
    trainees: i64,
    trainee_kind: Option<String>,
    certificates: i64,
    opinions: i64,
    answered: i64,
    tips: i64,
    note: Option<String>,
    created_by: String,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Activity {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Activity> {
        let code = |v: Option<String>| v.filter(|s| !s.is_empty());
        Ok(Activity {
            id: r.id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            area_id: r.area_id,
            area_name: r.area_name,
            establishment_id: r.establishment_id,
            establishment_name: r.establishment_name,
            kind_id: r.kind_id,
            kind_name: r.kind_name,
            kind_code: r.kind_code,
            shape: ActivityShape::from_code(&r.shape).ok_or_else(|| bad("activities.shape"))?,
            title: r.title,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            location: r.location,
            organiser_kind: OrganiserKind::from_code(&r.organiser_kind)
                .ok_or_else(|| bad("activities.organiser_kind"))?,
            organiser_name: r.organiser_name,
            organiser_model_id: r.organiser_model_id,
            organiser_team_id: r.organiser_team_id,
            organiser_label: r.organiser_label,
            participants: r.participants,
            groups: vec![r.p_nhan_dan, r.p_hoc_sinh, r.p_cong_nhan, r.p_ton_giao, r.p_can_bo],
            details: ShapeFields {
                commitment_topic: r.commitment_topic,
                households: r.households,
                individuals: r.individuals,
                establishments: r.establishments,
                weapons: Vec::new(),
                receiving_unit: r.receiving_unit,
                minutes_no: r.minutes_no,
                medium: code(r.medium).and_then(|m| Medium::from_code(&m)),
                publications: r.publications,
                training_topics: r.training_topics,
                trainees: r.trainees,
                trainee_kind: code(r.trainee_kind).and_then(|k| TraineeKind::from_code(&k)),
                certificates: r.certificates,
            },
            opinions: r.opinions,
            answered: r.answered,
            tips: r.tips,
            models: Vec::new(),
            note: r.note,
            created_by: r.created_by,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "a.id, a.province_code, a.commune_code, a.area_id, ar.name AS area_name, a.establishment_id, \
     es.name AS establishment_name, a.kind_id, k.name AS kind_name, k.code AS kind_code, a.shape, a.title, a.starts_on, \
     a.ends_on, a.location, a.organiser_kind, a.organiser_name, a.organiser_model_id, a.organiser_team_id, \
     COALESCE(om.name, ot.name, a.organiser_name, '') AS organiser_label, a.participants, a.p_nhan_dan, a.p_hoc_sinh, \
     a.p_cong_nhan, a.p_ton_giao, a.p_can_bo, a.commitment_topic, a.households, a.individuals, a.establishments, \
     a.receiving_unit, a.minutes_no, a.medium, a.publications, a.training_topics, a.trainees, a.trainee_kind, \
     a.certificates, a.opinions, a.answered, a.tips, a.note, a.created_by, a.updated_at";
const FROM: &str = "FROM activities a JOIN activity_kinds k ON k.id = a.kind_id \
     LEFT JOIN areas ar ON ar.id = a.area_id LEFT JOIN establishments es ON es.id = a.establishment_id \
     LEFT JOIN models om ON om.id = a.organiser_model_id LEFT JOIN force_teams ot ON ot.id = a.organiser_team_id WHERE 1=1";
const ORDER: &str = "a.starts_on DESC, a.id DESC";

/// Filters of the activity list.
#[derive(Clone, Debug, Default)]
pub struct ActivityFilter {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Only the province's own activities (no commune).
    pub province_only: bool,
    /// Kind.
    pub kind_id: Option<i64>,
    /// From this day (first day of the activity).
    pub from: Option<NaiveDate>,
    /// Until this day.
    pub to: Option<NaiveDate>,
    /// Words of the title (folded).
    pub q: Option<String>,
    /// Organiser kind code.
    pub organiser_kind: Option<String>,
    /// Counting for this model.
    pub model_id: Option<i64>,
    /// Held in this residential area.
    pub area_id: Option<i64>,
}

fn filter(q: &mut Sql, f: &ActivityFilter) {
    q.and_eq("a.province_code", f.province.as_deref()).and_eq("a.commune_code", f.commune.as_deref());
    if f.province_only {
        q.push(" AND a.commune_code IS NULL");
    }
    if let Some(k) = f.kind_id {
        q.push(" AND a.kind_id = ").bind(Arg::I64(k));
    }
    if let Some(d) = f.from {
        q.push(" AND a.starts_on >= ").bind(Arg::Date(d));
    }
    if let Some(d) = f.to {
        q.push(" AND a.starts_on <= ").bind(Arg::Date(d));
    }
    if let Some(t) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
        q.push(" AND a.search_key LIKE ").bind(Arg::Text(antq_domain::text::contains_pattern(t))).push(" ESCAPE '\\'");
    }
    q.and_eq("a.organiser_kind", f.organiser_kind.as_deref());
    if let Some(m) = f.model_id {
        q.push(" AND a.id IN (SELECT activity_id FROM activity_models WHERE model_id = ").bind(Arg::I64(m)).push(")");
    }
    if let Some(a) = f.area_id {
        q.push(" AND a.area_id = ").bind(Arg::I64(a));
    }
}

/// One page of the activities matching `f`, newest first, with their models and item lines.
#[tracing::instrument(skip_all)]
pub async fn list_page(db: &Db, f: &ActivityFilter, page: PageRequest) -> StoreResult<Page<Activity>> {
    let mut q = Sql::new(FROM);
    filter(&mut q, f);
    let (rows, total) = fetch_page::<Row>(db, COLUMNS, &q, ORDER, page).await?;
    let mut items = rows.into_iter().map(Activity::try_from).collect::<StoreResult<Vec<_>>>()?;
    complete(db, &mut items).await?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// Every activity matching `f` (exports), newest first, with their models and item lines.
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &ActivityFilter) -> StoreResult<Vec<Activity>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} {FROM}"));
    filter(&mut q, f);
    q.push(&format!(" ORDER BY {ORDER}"));
    let mut items =
        fetch_all::<Row>(db, &q).await?.into_iter().map(Activity::try_from).collect::<StoreResult<Vec<_>>>()?;
    complete(db, &mut items).await?;
    Ok(items)
}

/// One activity with its models and item lines.
pub async fn get(db: &Db, id: i64) -> StoreResult<Activity> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} {FROM} AND a.id = "));
    q.bind(Arg::I64(id));
    let mut a: Activity = fetch_all::<Row>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()?;
    complete(db, std::slice::from_mut(&mut a)).await?;
    Ok(a)
}

/// Fills the linked models and the item lines of `items`, a query per 500 activities.
async fn complete(db: &Db, items: &mut [Activity]) -> StoreResult<()> {
    let mut at: HashMap<i64, usize> = HashMap::with_capacity(items.len());
    for (i, a) in items.iter().enumerate() {
        at.insert(a.id, i);
    }
    let ids: Vec<i64> = items.iter().map(|a| a.id).collect();
    for chunk in ids.chunks(500) {
        let list = |q: &mut Sql| {
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(Arg::I64(*id));
            }
            q.push(")");
        };
        let mut q = Sql::new(
            "SELECT l.activity_id, m.id, m.name FROM activity_models l JOIN models m ON m.id = l.model_id WHERE l.activity_id IN (",
        );
        list(&mut q);
        q.push(" ORDER BY l.activity_id, m.name");
        for (activity, id, name) in fetch_all::<(i64, i64, String)>(db, &q).await? {
            if let Some(i) = at.get(&activity) {
                items[*i].models.push(LinkedModel { id, name });
            }
        }
        let mut q = Sql::new(
            "SELECT activity_id, category, unit, quantity_milli, handed_by FROM activity_weapons WHERE activity_id IN (",
        );
        list(&mut q);
        q.push(" ORDER BY activity_id, position");
        for (activity, category, unit, quantity_milli, handed_by) in
            fetch_all::<(i64, String, String, i64, Option<String>)>(db, &q).await?
        {
            let line = WeaponLine {
                category: WeaponCategory::from_code(&category).ok_or_else(|| bad("activity_weapons"))?,
                unit: MeasureUnit::from_code(&unit).ok_or_else(|| bad("activity_weapons"))?,
                quantity_milli,
                handed_by,
            };
            if let Some(i) = at.get(&activity) {
                items[*i].details.weapons.push(line);
            }
        }
    }
    Ok(())
}

/// A new activity (or the new version of one), resolved and validated by the application.
#[derive(Clone, Debug)]
pub struct NewActivity<'a> {
    /// Province.
    pub province: &'a str,
    /// Commune (`None`: the province's own).
    pub commune: Option<&'a str>,
    /// Residential area.
    pub area_id: Option<i64>,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Kind.
    pub kind: &'a ActivityKind,
    /// Fields.
    pub fields: &'a ActivityFields,
    /// Organising model.
    pub organiser_model_id: Option<i64>,
    /// Organising team.
    pub organiser_team_id: Option<i64>,
    /// Linked models.
    pub model_ids: &'a [i64],
}

/// The columns written from a [`NewActivity`], in [`new_args`] order.
const MUTABLE: &[&str] = &[
    "province_code",
    "commune_code",
    "area_id",
    "establishment_id",
    "kind_id",
    "shape",
    "title",
    "search_key",
    "starts_on",
    "ends_on",
    "year",
    "month",
    "location",
    "organiser_kind",
    "organiser_name",
    "organiser_model_id",
    "organiser_team_id",
    "participants",
    "p_nhan_dan",
    "p_hoc_sinh",
    "p_cong_nhan",
    "p_ton_giao",
    "p_can_bo",
    "commitment_topic",
    "households",
    "individuals",
    "establishments",
    "receiving_unit",
    "minutes_no",
    "medium",
    "publications",
    "training_topics",
    "trainees",
    "trainee_kind",
    "certificates",
    "note",
    "updated_at",
];

fn new_args(a: &NewActivity<'_>, now: DateTime<Utc>) -> Vec<Arg> {
    let f = a.fields;
    let s = &f.shape;
    let mut v = vec![
        Arg::Text(a.province.into()),
        Arg::OptText(a.commune.map(Into::into)),
        Arg::OptI64(a.area_id),
        Arg::OptI64(a.establishment_id),
        Arg::I64(a.kind.id),
        Arg::Text(a.kind.shape.code().into()),
        Arg::Text(f.title.clone()),
        Arg::Text(antq_domain::text::fold(&f.title)),
        Arg::Date(f.starts_on),
        Arg::Date(f.ends_on),
        Arg::I64(i64::from(f.starts_on.year())),
        Arg::I64(i64::from(f.starts_on.month())),
        Arg::OptText(f.location.clone()),
        Arg::Text(f.organiser_kind.code().into()),
        Arg::OptText(f.organiser_name.clone()),
        Arg::OptI64(a.organiser_model_id),
        Arg::OptI64(a.organiser_team_id),
        Arg::I64(f.participants),
    ];
    v.extend(f.groups.iter().map(|n| Arg::I64(*n)));
    v.extend([
        Arg::OptText(s.commitment_topic.clone()),
        Arg::I64(s.households),
        Arg::I64(s.individuals),
        Arg::I64(s.establishments),
        Arg::OptText(s.receiving_unit.clone()),
        Arg::OptText(s.minutes_no.clone()),
        Arg::OptText(s.medium.map(|m| m.code().into())),
        Arg::I64(s.publications),
        Arg::OptText(s.training_topics.clone()),
        Arg::I64(s.trainees),
        Arg::OptText(s.trainee_kind.map(|k| k.code().into())),
        Arg::I64(s.certificates),
        Arg::OptText(f.note.clone()),
        Arg::Time(now),
    ]);
    v
}

/// Where a contribution to the totals is counted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct TotalKey {
    year: i64,
    month: i64,
    province: String,
    commune: String,
    kind_id: i64,
}

/// Contributions waiting to be added to the totals (summed in memory first, so one upsert
/// touches each row once).
#[derive(Default)]
struct Pending {
    measures: HashMap<TotalKey, Measures>,
    weapons: HashMap<(TotalKey, &'static str, &'static str), (i64, i64)>,
}

impl Pending {
    fn add(&mut self, key: TotalKey, m: &Measures) {
        let e = self.measures.entry(key).or_default();
        *e = Measures::from_values(std::array::from_fn(|i| e.values()[i] + m.values()[i]));
    }

    fn add_lines(&mut self, key: &TotalKey, lines: &[WeaponLine], sign: i64) {
        for l in lines {
            let e = self.weapons.entry((key.clone(), l.category.code(), l.unit.code())).or_default();
            e.0 += sign * l.quantity_milli;
            e.1 += sign;
        }
    }

    /// Writes the sums: a commune row and its province row per key.
    async fn flush(self, tx: &mut Tx) -> StoreResult<()> {
        let mut rows: HashMap<(String, TotalKey), Measures> = HashMap::new();
        for (k, m) in self.measures {
            let province = TotalKey { commune: String::new(), ..k.clone() };
            for (level, key) in [("c", k), ("p", province)] {
                let e = rows.entry((level.to_string(), key)).or_default();
                *e = Measures::from_values(std::array::from_fn(|i| e.values()[i] + m.values()[i]));
            }
        }
        let rows: Vec<_> = rows.into_iter().collect();
        let cols = Measures::COLUMNS.iter().map(|(c, _)| *c).collect::<Vec<_>>();
        for chunk in rows.chunks(200) {
            let mut q = Sql::new(&format!(
                "INSERT INTO activity_totals (year, level, province_code, commune_code, kind_id, month, {}) VALUES ",
                cols.join(", ")
            ));
            for (i, ((level, k), m)) in chunk.iter().enumerate() {
                let mut args = vec![
                    Arg::I64(k.year),
                    Arg::Text(level.clone()),
                    Arg::Text(k.province.clone()),
                    Arg::Text(k.commune.clone()),
                    Arg::I64(k.kind_id),
                    Arg::I64(k.month),
                ];
                args.extend(m.values().iter().map(|v| Arg::I64(*v)));
                q.values_row(i == 0, args);
            }
            q.push(" ON CONFLICT (year, level, province_code, commune_code, kind_id, month) DO UPDATE SET ");
            let set: Vec<String> = cols.iter().map(|c| format!("{c} = activity_totals.{c} + excluded.{c}")).collect();
            q.push(&set.join(", "));
            execute(tx, &q).await?;
        }
        let mut lines: HashMap<(String, TotalKey, &str, &str), (i64, i64)> = HashMap::new();
        for ((k, cat, unit), (milli, n)) in self.weapons {
            let province = TotalKey { commune: String::new(), ..k.clone() };
            for (level, key) in [("c", k), ("p", province)] {
                let e = lines.entry((level.to_string(), key, cat, unit)).or_default();
                e.0 += milli;
                e.1 += n;
            }
        }
        let lines: Vec<_> = lines.into_iter().collect();
        for chunk in lines.chunks(300) {
            let mut q = Sql::new(
                "INSERT INTO activity_weapon_totals (year, level, province_code, commune_code, category, unit, month, quantity_milli, lines) VALUES ",
            );
            for (i, ((level, k, cat, unit), (milli, n))) in chunk.iter().enumerate() {
                q.values_row(
                    i == 0,
                    [
                        Arg::I64(k.year),
                        Arg::Text(level.clone()),
                        Arg::Text(k.province.clone()),
                        Arg::Text(k.commune.clone()),
                        Arg::Text((*cat).into()),
                        Arg::Text((*unit).into()),
                        Arg::I64(k.month),
                        Arg::I64(*milli),
                        Arg::I64(*n),
                    ],
                );
            }
            q.push(" ON CONFLICT (year, level, province_code, commune_code, category, unit, month) DO UPDATE SET ");
            q.push("quantity_milli = activity_weapon_totals.quantity_milli + excluded.quantity_milli, lines = activity_weapon_totals.lines + excluded.lines");
            execute(tx, &q).await?;
        }
        Ok(())
    }
}

fn key_of(province: &str, commune: Option<&str>, kind_id: i64, day: NaiveDate) -> TotalKey {
    TotalKey {
        year: i64::from(day.year()),
        month: i64::from(day.month()),
        province: province.into(),
        commune: commune.unwrap_or("").into(),
        kind_id,
    }
}

fn fresh_measures(f: &ActivityFields) -> Measures {
    let s = &f.shape;
    Measures {
        sessions: 1,
        participants: f.participants,
        households: s.households,
        individuals: s.individuals,
        establishments: s.establishments,
        publications: s.publications,
        trainees: s.trainees,
        ..Default::default()
    }
}

/// Writes activities (one, an import, the demo's) with their models, item lines and their
/// share of the totals; returns the new ids in order.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn insert_many(tx: &mut Tx, rows: &[NewActivity<'_>], by: &str, now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(100) {
        let mut q =
            Sql::new(&format!("INSERT INTO activities (created_by, created_at, {}) VALUES ", MUTABLE.join(", ")));
        for (i, a) in chunk.iter().enumerate() {
            let mut args = vec![Arg::Text(by.into()), Arg::Time(now)];
            args.extend(new_args(a, now));
            q.values_row(i == 0, args);
        }
        q.push(" RETURNING id");
        let text = q.text_for(tx.backend());
        let mut got: Vec<i64> = with_tx!(tx, c => bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(text.clone())), q.args.clone())
            .fetch_all(c).await)?;
        // Ids grow in insertion order, but RETURNING's order is not guaranteed: sort.
        got.sort_unstable();
        ids.extend(got);
    }
    let mut pending = Pending::default();
    for a in rows {
        let key = key_of(a.province, a.commune, a.kind.id, a.fields.starts_on);
        pending.add(key.clone(), &fresh_measures(a.fields));
        pending.add_lines(&key, &a.fields.shape.weapons, 1);
    }
    write_children(tx, rows, &ids).await?;
    pending.flush(tx).await?;
    Ok(ids)
}

async fn write_children(tx: &mut Tx, rows: &[NewActivity<'_>], ids: &[i64]) -> StoreResult<()> {
    let mut links = Vec::new();
    let mut lines = Vec::new();
    for (a, id) in rows.iter().zip(ids) {
        for m in a.model_ids {
            links.push([
                Arg::I64(*id),
                Arg::I64(*m),
                Arg::Text(a.province.into()),
                Arg::OptText(a.commune.map(Into::into)),
            ]);
        }
        for (pos, l) in a.fields.shape.weapons.iter().enumerate() {
            lines.push([
                Arg::I64(*id),
                Arg::Text(a.province.into()),
                Arg::OptText(a.commune.map(Into::into)),
                Arg::I64(pos as i64),
                Arg::Text(l.category.code().into()),
                Arg::Text(l.unit.code().into()),
                Arg::I64(l.quantity_milli),
                Arg::OptText(l.handed_by.clone()),
            ]);
        }
    }
    for chunk in links.chunks(500) {
        let mut q =
            Sql::new("INSERT INTO activity_models (activity_id, model_id, province_code, commune_code) VALUES ");
        for (i, args) in chunk.iter().enumerate() {
            q.values_row(i == 0, args.clone());
        }
        execute(tx, &q).await?;
    }
    for chunk in lines.chunks(300) {
        let mut q = Sql::new(
            "INSERT INTO activity_weapons (activity_id, province_code, commune_code, position, category, unit, quantity_milli, handed_by) VALUES ",
        );
        for (i, args) in chunk.iter().enumerate() {
            q.values_row(i == 0, args.clone());
        }
        execute(tx, &q).await?;
    }
    Ok(())
}

/// Replaces `before` by `a`, provided nobody changed it since it was read: its models and item
/// lines are rewritten and the totals move from the old place, kind and month to the new ones
/// (opinions, answers and tips go with it).
#[tracing::instrument(skip_all, fields(id = before.id))]
pub async fn update(tx: &mut Tx, before: &Activity, a: &NewActivity<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE activities SET ");
    for (i, (col, arg)) in MUTABLE.iter().zip(new_args(a, now)).enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push(col).push(" = ").bind(arg);
    }
    q.push(" WHERE id = ").bind(Arg::I64(before.id)).push(" AND updated_at = ").bind(Arg::Time(before.updated_at));
    if execute(tx, &q).await? == 0 {
        return Err(StoreError::Conflict);
    }
    for table in ["activity_models", "activity_weapons"] {
        let mut q = Sql::new(&format!("DELETE FROM {table} WHERE activity_id = "));
        q.bind(Arg::I64(before.id));
        execute(tx, &q).await?;
    }
    write_children(tx, std::slice::from_ref(a), &[before.id]).await?;
    let mut pending = Pending::default();
    let old = key_of(&before.province_code, before.commune_code.as_deref(), before.kind_id, before.starts_on);
    pending.add(old.clone(), &before.measures().negated());
    pending.add_lines(&old, &before.details.weapons, -1);
    let new = key_of(a.province, a.commune, a.kind.id, a.fields.starts_on);
    let carried = Measures {
        opinions: before.opinions,
        answered: before.answered,
        tips: before.tips,
        ..fresh_measures(a.fields)
    };
    pending.add(new.clone(), &carried);
    pending.add_lines(&new, &a.fields.shape.weapons, 1);
    // The children follow their activity's place.
    for table in ["activity_opinions", "activity_documents"] {
        let mut q = Sql::new(&format!("UPDATE {table} SET province_code = "));
        q.bind(Arg::Text(a.province.into()))
            .push(", commune_code = ")
            .bind(Arg::OptText(a.commune.map(Into::into)))
            .push(" WHERE activity_id = ")
            .bind(Arg::I64(before.id));
        execute(tx, &q).await?;
    }
    pending.flush(tx).await
}

/// Adds `m` to the counters of an activity and to its totals (an opinion raised or answered, a
/// tip received there).
/// What counting into an activity needs to know of it: which row, and where its totals are.
#[derive(Clone, Copy, Debug)]
pub struct ActivityAt<'a> {
    pub id: i64,
    pub province_code: &'a str,
    pub commune_code: Option<&'a str>,
    pub kind_id: i64,
    pub starts_on: NaiveDate,
}

impl<'a> From<&'a Activity> for ActivityAt<'a> {
    fn from(a: &'a Activity) -> Self {
        ActivityAt {
            id: a.id,
            province_code: &a.province_code,
            commune_code: a.commune_code.as_deref(),
            kind_id: a.kind_id,
            starts_on: a.starts_on,
        }
    }
}

async fn bump(tx: &mut Tx, a: ActivityAt<'_>, m: Measures) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE activities SET opinions = opinions + ");
    q.bind(Arg::I64(m.opinions))
        .push(", answered = answered + ")
        .bind(Arg::I64(m.answered))
        .push(", tips = tips + ")
        .bind(Arg::I64(m.tips))
        .push(" WHERE id = ")
        .bind(Arg::I64(a.id));
    execute(tx, &q).await?;
    let mut pending = Pending::default();
    pending.add(key_of(a.province_code, a.commune_code, a.kind_id, a.starts_on), &m);
    pending.flush(tx).await
}

/// Counts a crime report or tip received at the activity.
pub async fn add_tip(tx: &mut Tx, a: ActivityAt<'_>) -> StoreResult<()> {
    bump(tx, a, Measures { tips: 1, ..Default::default() }).await
}

// ---------------------------------------------------------------------------------------
// Opinions

#[derive(sqlx::FromRow)]
struct OpinionRow {
    id: i64,
    activity_id: i64,
    activity_title: String,
    held_on: NaiveDate,
    province_code: String,
    commune_code: Option<String>,
    raised_by: Option<String>,
    topic: String,
    content: String,
    state: String,
    answer: Option<String>,
    answered_on: Option<NaiveDate>,
    tasked_unit: Option<String>,
    due_on: Option<NaiveDate>,
}

fn opinion(r: OpinionRow, today: NaiveDate) -> StoreResult<Opinion> {
    let state = OpinionState::from_code(&r.state).ok_or_else(|| bad("activity_opinions"))?;
    Ok(Opinion {
        overdue: is_overdue(state, r.due_on, today),
        id: r.id,
        activity_id: r.activity_id,
        activity_title: r.activity_title,
        held_on: r.held_on,
        province_code: r.province_code,
        commune_code: r.commune_code,
        raised_by: r.raised_by,
        topic: r.topic,
        content: r.content,
        state,
        answer: r.answer,
        answered_on: r.answered_on,
        tasked_unit: r.tasked_unit,
        due_on: r.due_on,
    })
}

const OPINION_COLUMNS: &str = "o.id, o.activity_id, a.title AS activity_title, a.starts_on AS held_on, o.province_code, \
     o.commune_code, o.raised_by, o.topic, o.content, o.state, o.answer, o.answered_on, o.tasked_unit, o.due_on";
const OPINION_FROM: &str = "FROM activity_opinions o JOIN activities a ON a.id = o.activity_id WHERE 1=1";

/// The opinions of a conference, in the order raised.
pub async fn opinions(db: &Db, activity: i64, today: NaiveDate) -> StoreResult<Vec<Opinion>> {
    let mut q = Sql::new(&format!("SELECT {OPINION_COLUMNS} {OPINION_FROM} AND o.activity_id = "));
    q.bind(Arg::I64(activity)).push(" ORDER BY o.id");
    fetch_all::<OpinionRow>(db, &q).await?.into_iter().map(|r| opinion(r, today)).collect()
}

/// Opinions still waiting for an answer in a place, the oldest deadline first; only those
/// past their deadline on `today` when `overdue`.
pub async fn waiting_opinions(
    db: &Db,
    (province, commune): (Option<&str>, Option<&str>),
    overdue: bool,
    today: NaiveDate,
    page: PageRequest,
) -> StoreResult<Page<Opinion>> {
    let mut q = Sql::new(OPINION_FROM);
    q.push(" AND o.state = 'cho_tra_loi'");
    q.and_eq("o.province_code", province).and_eq("o.commune_code", commune);
    if overdue {
        q.push(" AND o.due_on < ").bind(Arg::Date(today));
    }
    let (rows, total) = fetch_page::<OpinionRow>(db, OPINION_COLUMNS, &q, "o.due_on, o.id", page).await?;
    let items = rows.into_iter().map(|r| opinion(r, today)).collect::<StoreResult<_>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// Records an opinion of a conference (and counts it, answered or not).
pub async fn insert_opinion(
    tx: &mut Tx,
    a: ActivityAt<'_>,
    f: &OpinionFields,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO activity_opinions (activity_id, province_code, commune_code, raised_by, topic, content, state, \
         answer, answered_on, tasked_unit, due_on, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id";
    let answered_on = f.answer.as_ref().map(|_| a.starts_on);
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL).bind(a.id).bind(a.province_code).bind(a.commune_code)
        .bind(&f.raised_by).bind(&f.topic).bind(&f.content).bind(f.state().code()).bind(&f.answer).bind(answered_on)
        .bind(&f.tasked_unit).bind(f.due_on).bind(by).bind(now).fetch_one(c).await)?;
    let answered = i64::from(f.state() == OpinionState::DaTraLoi);
    bump(tx, a, Measures { opinions: 1, answered, ..Default::default() }).await?;
    Ok(id)
}

/// Records the answer to a waiting opinion; one already answered is a `Conflict`.
pub async fn answer_opinion(
    tx: &mut Tx,
    a: ActivityAt<'_>,
    opinion: i64,
    (answer, on): (&str, NaiveDate),
    now: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "UPDATE activity_opinions SET state = 'da_tra_loi', answer = $1, answered_on = $2, updated_at = $3 \
         WHERE id = $4 AND activity_id = $5 AND state = 'cho_tra_loi'";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(answer).bind(on).bind(now).bind(opinion).bind(a.id)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    bump(tx, a, Measures { answered: 1, ..Default::default() }).await
}

/// Waiting opinions past their deadline on `today` of the activities held between `from` and
/// `to`, by place (`by_commune`: communes of `province`; otherwise provinces) and kind.
pub async fn overdue_counts(
    db: &Db,
    (province, commune): (Option<&str>, Option<&str>),
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> StoreResult<Vec<(String, i64, i64)>> {
    let place = if province.is_some() { "COALESCE(o.commune_code, '')" } else { "o.province_code" };
    let mut q = Sql::new(&format!(
        "SELECT {place}, a.kind_id, COUNT(*) {OPINION_FROM} AND o.state = 'cho_tra_loi' AND o.due_on < "
    ));
    q.bind(Arg::Date(today));
    q.and_eq("o.province_code", province).and_eq("o.commune_code", commune);
    q.push(" AND a.starts_on >= ").bind(Arg::Date(from)).push(" AND a.starts_on <= ").bind(Arg::Date(to));
    q.push(&format!(" GROUP BY {place}, a.kind_id"));
    fetch_all(db, &q).await
}

// ---------------------------------------------------------------------------------------
// Documents

#[derive(sqlx::FromRow)]
struct DocRow {
    id: i64,
    activity_id: i64,
    title: String,
    file_name: Option<String>,
    content_type: Option<String>,
    size: i64,
    created_at: DateTime<Utc>,
}

impl From<DocRow> for ActivityDocument {
    fn from(r: DocRow) -> Self {
        ActivityDocument {
            id: r.id,
            activity_id: r.activity_id,
            title: r.title,
            file_name: r.file_name,
            content_type: r.content_type,
            size: r.size,
            created_at: r.created_at,
        }
    }
}

const DOC_COLUMNS: &str = "id, activity_id, title, file_name, content_type, size, created_at";

/// Stores a document with its file.
pub async fn add_document(
    tx: &mut Tx,
    a: &Activity,
    title: &str,
    file: &crate::models::DocumentFile<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO activity_documents (activity_id, province_code, commune_code, title, file_name, content_type, size, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL).bind(a.id).bind(&a.province_code).bind(&a.commune_code).bind(title)
        .bind(file.name).bind(file.content_type).bind(file.bytes.len() as i64).bind(file.bytes).bind(now).fetch_one(c).await)?)
}

/// The documents of an activity (without their files).
pub async fn documents(db: &Db, activity: i64) -> StoreResult<Vec<ActivityDocument>> {
    let sql = format!("SELECT {DOC_COLUMNS} FROM activity_documents WHERE activity_id = $1 ORDER BY id");
    let rows: Vec<DocRow> =
        with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(activity).fetch_all(p).await)?;
    Ok(rows.into_iter().map(ActivityDocument::from).collect())
}

/// One document with its file.
pub async fn document(db: &Db, activity: i64, id: i64) -> StoreResult<(ActivityDocument, Vec<u8>)> {
    let sql = format!("SELECT {DOC_COLUMNS} FROM activity_documents WHERE activity_id = $1 AND id = $2");
    let doc: DocRow =
        with_db!(db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(activity).bind(id).fetch_one(p).await)?;
    let content: Option<Vec<u8>> = with_db!(db, p => sqlx::query_scalar("SELECT content FROM activity_documents WHERE id = $1")
        .bind(id).fetch_one(p).await)?;
    Ok((doc.into(), content.unwrap_or_default()))
}

// ---------------------------------------------------------------------------------------
// Statistics

/// What the rows of a totals query are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Provinces (national scope) or communes (a province's).
    Place,
    /// Kinds.
    Kind,
    /// Months.
    Month,
    /// Places and kinds.
    PlaceKind,
}

/// Which totals to read: a year's months `from_month..=to_month` of the country
/// (`province` `None`), of a province, or of one commune.
#[derive(Clone, Debug)]
pub struct TotalsQuery<'a> {
    /// Year.
    pub year: i32,
    /// First month.
    pub from_month: u32,
    /// Last month.
    pub to_month: u32,
    /// Province.
    pub province: Option<&'a str>,
    /// Commune.
    pub commune: Option<&'a str>,
    /// Only this kind.
    pub kind_id: Option<i64>,
}

impl TotalsQuery<'_> {
    /// `SELECT key, kind, sums FROM table WHERE …` for `group`: the province rows for the
    /// country (and for a province's kinds or months), the commune rows within a province.
    fn select(&self, table: &str, group: Group, sums: &str) -> Sql {
        let (level, place) = match (self.province, self.commune, group) {
            (None, _, _) | (Some(_), None, Group::Kind | Group::Month) => ("p", "province_code"),
            _ => ("c", "commune_code"),
        };
        let (key, kind) = match group {
            Group::Place => (place.to_string(), "CAST(0 AS BIGINT)"),
            Group::Kind => ("CAST(kind_id AS TEXT)".into(), "kind_id"),
            Group::Month => ("CAST(month AS TEXT)".into(), "CAST(0 AS BIGINT)"),
            Group::PlaceKind => (place.to_string(), "kind_id"),
        };
        let mut q = Sql::new(&format!("SELECT {key} AS k, {kind} AS kind, {sums} FROM {table} WHERE year = "));
        q.bind(Arg::I64(i64::from(self.year)))
            .push(" AND level = ")
            .bind(Arg::Text(level.into()))
            .push(" AND month >= ")
            .bind(Arg::I64(i64::from(self.from_month)))
            .push(" AND month <= ")
            .bind(Arg::I64(i64::from(self.to_month)));
        q.and_eq("province_code", self.province).and_eq("commune_code", self.commune);
        q
    }
}

/// `CAST(SUM(col) AS BIGINT) AS col` for each column (PostgreSQL sums integers as numeric).
fn sums(cols: &[&str]) -> String {
    cols.iter().map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}")).collect::<Vec<_>>().join(", ")
}

/// The summed measures of a row, in [`Measures`] order.
#[derive(sqlx::FromRow)]
struct Sums {
    sessions: i64,
    participants: i64,
    opinions: i64,
    answered: i64,
    households: i64,
    individuals: i64,
    establishments: i64,
    publications: i64,
    trainees: i64,
    tips: i64,
}

impl From<Sums> for Measures {
    fn from(r: Sums) -> Measures {
        Measures {
            sessions: r.sessions,
            participants: r.participants,
            opinions: r.opinions,
            answered: r.answered,
            households: r.households,
            individuals: r.individuals,
            establishments: r.establishments,
            publications: r.publications,
            trainees: r.trainees,
            tips: r.tips,
        }
    }
}

#[derive(sqlx::FromRow)]
struct SumsRow {
    k: String,
    kind: i64,
    #[sqlx(flatten)]
    m: Sums,
}

/// Summed measures by `group`: `(place, month or kind id as text; kind id of a PlaceKind
/// row, else 0 — or the kind id for Kind rows; measures)`.
#[tracing::instrument(skip_all)]
pub async fn totals(db: &Db, q: &TotalsQuery<'_>, group: Group) -> StoreResult<Vec<(String, i64, Measures)>> {
    let cols: Vec<&str> = Measures::COLUMNS.iter().map(|(c, _)| *c).collect();
    let mut sql = q.select("activity_totals", group, &sums(&cols));
    if let Some(k) = q.kind_id {
        sql.push(" AND kind_id = ").bind(Arg::I64(k));
    }
    sql.push(" GROUP BY k, kind ORDER BY k, kind");
    Ok(fetch_all::<SumsRow>(db, &sql).await?.into_iter().map(|r| (r.k, r.kind, r.m.into())).collect())
}

/// Summed item lines of one place, category and unit.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WeaponTotal {
    /// The place code the rows are grouped by.
    #[sqlx(rename = "k")]
    pub place: String,
    pub category: String,
    pub unit: String,
    /// Quantity in thousandths of the unit.
    #[sqlx(rename = "quantity_milli")]
    pub milli: i64,
    pub lines: i64,
}

/// Summed item lines by place, category and unit (none where every line was taken back).
#[tracing::instrument(skip_all)]
pub async fn weapon_totals(db: &Db, q: &TotalsQuery<'_>) -> StoreResult<Vec<WeaponTotal>> {
    let sql_sums = format!("category, unit, {}", sums(&["quantity_milli", "lines"]));
    let mut sql = q.select("activity_weapon_totals", Group::Place, &sql_sums);
    sql.push(" GROUP BY k, kind, category, unit HAVING SUM(lines) <> 0 ORDER BY k, category, unit");
    fetch_all(db, &sql).await
}

#[derive(sqlx::FromRow)]
struct TotalLine {
    year: i64,
    month: i64,
    province_code: String,
    commune_code: String,
    kind_id: i64,
    #[sqlx(flatten)]
    m: Sums,
}

/// Where a commune-level total is: `(year, month, province, commune or "", kind id)`.
pub type TotalPlace = (i64, i64, String, String, i64);

/// The commune-level totals as recounted from the activities themselves, and as kept, both
/// without empty rows and sorted (the check that every change kept them right).
pub async fn recount_and_kept(db: &Db) -> StoreResult<(Vec<(TotalPlace, Measures)>, Vec<(TotalPlace, Measures)>)> {
    let cols = Measures::COLUMNS.iter().map(|(c, _)| *c).filter(|c| *c != "sessions").collect::<Vec<_>>();
    let recount = format!(
        "SELECT year, month, province_code, COALESCE(commune_code, '') AS commune_code, kind_id, \
         CAST(COUNT(*) AS BIGINT) AS sessions, {} FROM activities \
         GROUP BY year, month, province_code, COALESCE(commune_code, ''), kind_id",
        sums(&cols)
    );
    let all = Measures::COLUMNS.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ");
    let kept = format!(
        "SELECT year, month, province_code, commune_code, kind_id, {all} FROM activity_totals WHERE level = 'c'"
    );
    let read = |rows: Vec<TotalLine>| {
        let mut v: Vec<(TotalPlace, Measures)> = rows
            .into_iter()
            .map(|r| ((r.year, r.month, r.province_code, r.commune_code, r.kind_id), Measures::from(r.m)))
            .filter(|(_, m)| *m != Measures::default())
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    Ok((read(fetch_all(db, &Sql::new(&recount)).await?), read(fetch_all(db, &Sql::new(&kept)).await?)))
}
