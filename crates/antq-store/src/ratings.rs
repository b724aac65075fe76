//! Model rating rounds, sheets, ratings, follow-ups and the yearly pivot.

use std::collections::BTreeMap;

use antq_domain::rating::Rating;
use antq_domain::rating::{
    FollowUp, FollowUpDecision, RatingFields, RatingLevel, Round, RoundFields, RoundState, Sheet, SheetState,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all};
use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

fn bad(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("unknown code in {what}").into()))
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: i64,
    province_code: String,
    year: i64,
    window_from: NaiveDate,
    window_to: NaiveDate,
    deadline: NaiveDate,
    state: String,
    approved_note: Option<String>,
    approved_by: Option<String>,
    approved_at: Option<DateTime<Utc>>,
    created_by: String,
}

impl TryFrom<RoundRow> for Round {
    type Error = StoreError;
    fn try_from(r: RoundRow) -> StoreResult<Round> {
        Ok(Round {
            id: r.id,
            province_code: r.province_code,
            year: r.year as i32,
            window_from: r.window_from,
            window_to: r.window_to,
            deadline: r.deadline,
            state: RoundState::from_code(&r.state).ok_or_else(|| bad("rating_rounds"))?,
            approved_note: r.approved_note,
            approved_by: r.approved_by,
            approved_at: r.approved_at,
            created_by: r.created_by,
        })
    }
}

const ROUND_COLUMNS: &str = "id, province_code, year, window_from, window_to, deadline, state, approved_note, approved_by, \
     approved_at, created_by";

/// Rounds, newest year first, optionally of one province.
#[tracing::instrument(skip_all)]
pub async fn rounds(db: &Db, province: Option<&str>) -> StoreResult<Vec<Round>> {
    let mut q = Sql::new(&format!("SELECT {ROUND_COLUMNS} FROM rating_rounds WHERE 1=1"));
    q.and_eq("province_code", province).push(" ORDER BY year DESC, province_code");
    fetch_all::<RoundRow>(db, &q).await?.into_iter().map(Round::try_from).collect()
}

/// One round.
#[tracing::instrument(skip_all, fields(id))]
pub async fn round(db: &Db, id: i64) -> StoreResult<Round> {
    let mut q = Sql::new(&format!("SELECT {ROUND_COLUMNS} FROM rating_rounds WHERE id = "));
    q.bind(Arg::I64(id));
    fetch_all::<RoundRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// Opens a round with one sheet per current commune of the province and one for the
/// province itself. A second round for the same province and year is a `Conflict`.
#[tracing::instrument(skip_all)]
pub async fn insert_round(
    tx: &mut Tx,
    province: &str,
    f: &RoundFields,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO rating_rounds (province_code, year, window_from, window_to, deadline, state, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) RETURNING id";
    const SHEETS: &str = "INSERT INTO rating_sheets (round_id, unit_code, province_code, commune_code, state) \
         SELECT $1, code, $2, CASE WHEN level = 'commune' THEN code END, 'dang_danh_gia' FROM units \
         WHERE (code = $2 OR (parent_code = $2 AND level = 'commune')) AND valid_to IS NULL";
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(province).bind(f.year as i64).bind(f.window_from).bind(f.window_to).bind(f.deadline).bind(by).bind(now)
        .fetch_one(c).await)?;
    with_tx!(tx, c => sqlx::query(SHEETS).bind(id).bind(province).execute(c).await.map(|_| ()))?;
    Ok(id)
}

/// Marks a round approved with its note.
pub async fn approve_round(tx: &mut Tx, id: i64, note: Option<&str>, by: &str, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE rating_rounds SET state = 'approved', approved_note = $1, approved_by = $2, approved_at = $3 \
         WHERE id = $4 AND state = 'open'";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(note).bind(by).bind(now).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::Conflict) } else { Ok(()) }
}

/// Re-opens an approved round (a sheet of it was unlocked).
pub async fn reopen_round(tx: &mut Tx, id: i64) -> StoreResult<()> {
    const SQL: &str = "UPDATE rating_rounds SET state = 'open' WHERE id = $1";
    with_tx!(tx, c => sqlx::query(SQL).bind(id).execute(c).await.map(|_| ()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SheetRow {
    round_id: i64,
    unit_code: String,
    province_code: String,
    commune_code: Option<String>,
    state: String,
    comment: Option<String>,
    submitted_by: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    reviewed_by: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
    rated: i64,
}

impl TryFrom<SheetRow> for Sheet {
    type Error = StoreError;
    fn try_from(r: SheetRow) -> StoreResult<Sheet> {
        Ok(Sheet {
            state: SheetState::from_code(&r.state).ok_or_else(|| bad("rating_sheets"))?,
            round_id: r.round_id,
            unit_code: r.unit_code,
            province_code: r.province_code,
            commune_code: r.commune_code,
            comment: r.comment,
            submitted_by: r.submitted_by,
            submitted_at: r.submitted_at,
            reviewed_by: r.reviewed_by,
            reviewed_at: r.reviewed_at,
            rated: r.rated,
        })
    }
}

/// The sheets of a round (optionally one commune's), the province's own first.
#[tracing::instrument(skip_all)]
pub async fn sheets(db: &Db, round: i64, commune: Option<&str>) -> StoreResult<Vec<Sheet>> {
    let mut q = Sql::new(
        "SELECT s.round_id, s.unit_code, s.province_code, s.commune_code, s.state, s.comment, s.submitted_by, \
         s.submitted_at, s.reviewed_by, s.reviewed_at, \
         (SELECT COUNT(*) FROM model_ratings r WHERE r.round_id = s.round_id AND r.unit_code = s.unit_code) AS rated \
         FROM rating_sheets s WHERE s.round_id = ",
    );
    q.bind(Arg::I64(round)).and_eq("s.commune_code", commune).push(" ORDER BY s.commune_code IS NOT NULL, s.unit_code");
    fetch_all::<SheetRow>(db, &q).await?.into_iter().map(Sheet::try_from).collect()
}

/// Moves a sheet from `from` to `to`, but only if it is still in `from`. `submitted` says
/// whether this is a submission (recorded as such) or a review.
#[allow(clippy::too_many_arguments)]
pub async fn move_sheet(
    tx: &mut Tx,
    round: i64,
    unit: &str,
    from: SheetState,
    to: SheetState,
    comment: Option<&str>,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = if to == SheetState::DaNop {
        "UPDATE rating_sheets SET state = $1, comment = COALESCE($2, comment), submitted_by = $3, submitted_at = $4 \
         WHERE round_id = $5 AND unit_code = $6 AND state = $7"
    } else {
        "UPDATE rating_sheets SET state = $1, comment = $2, reviewed_by = $3, reviewed_at = $4 \
         WHERE round_id = $5 AND unit_code = $6 AND state = $7"
    };
    let n = with_tx!(tx, c => sqlx::query(sql).bind(to.code()).bind(comment).bind(by).bind(now).bind(round).bind(unit)
        .bind(from.code()).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    const APPROVED: &str = "UPDATE model_ratings SET approved = $1 WHERE round_id = $2 AND unit_code = $3";
    with_tx!(tx, c => sqlx::query(APPROVED).bind(to == SheetState::DaDuyet).bind(round).bind(unit)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// A model or site a sheet must rate, before the application adds its reason.
#[derive(sqlx::FromRow)]
pub struct TargetRow {
    /// Model.
    pub model_id: i64,
    /// Site.
    pub site_id: Option<i64>,
    /// Model name.
    pub model_name: String,
    /// Site name.
    pub site_name: Option<String>,
    /// Type.
    pub type_id: i64,
    /// Type name.
    pub type_name: String,
    /// Launch date (models) or start (sites).
    pub operating_since: Option<NaiveDate>,
}

const ACTIVE: &str = "('da_ra_mat', 'hoat_dong', 'can_cung_co')";

/// The active models of a unit (communes: the commune's models; a province: its
/// province-level models) and the active sites located in a commune.
#[tracing::instrument(skip_all)]
pub async fn targets(db: &Db, province: &str, commune: Option<&str>) -> StoreResult<Vec<TargetRow>> {
    let since = "COALESCE((SELECT MIN(e.on_date) FROM model_events e WHERE e.model_id = m.id AND e.kind = 'ra_mat'), m.state_since)";
    let mut q = Sql::new(&format!(
        "SELECT m.id AS model_id, CAST(NULL AS BIGINT) AS site_id, m.name AS model_name, CAST(NULL AS TEXT) AS site_name, m.type_id, t.name AS type_name, \
         {since} AS operating_since FROM models m JOIN model_types t ON t.id = m.type_id \
         WHERE m.state IN {ACTIVE} AND m.province_code = "
    ));
    q.bind(Arg::Text(province.into()));
    match commune {
        Some(c) => {
            q.push(" AND m.commune_code = ").bind(Arg::Text(c.into()));
            q.push(&format!(
                " UNION ALL SELECT m.id, s.id, m.name, s.name, m.type_id, t.name, s.started_on \
                 FROM model_sites s JOIN models m ON m.id = s.model_id JOIN model_types t ON t.id = m.type_id \
                 WHERE s.state = 'hoat_dong' AND m.state IN {ACTIVE} AND s.commune_code = "
            ))
            .bind(Arg::Text(c.into()));
        }
        None => {
            q.push(" AND m.commune_code IS NULL");
        }
    }
    q.push(" ORDER BY 3, 1, 4");
    fetch_all::<TargetRow>(db, &q).await
}

#[derive(sqlx::FromRow)]
struct RatingRow {
    id: i64,
    round_id: i64,
    year: i64,
    unit_code: String,
    province_code: String,
    commune_code: Option<String>,
    model_id: i64,
    model_name: String,
    site_id: Option<i64>,
    site_name: Option<String>,
    type_id: i64,
    rating: String,
    checklist: String,
    score: i64,
    criteria_set_id: Option<i64>,
    note: Option<String>,
    approved: bool,
    follow_up: Option<String>,
    follow_up_on: Option<NaiveDate>,
    follow_up_plan: Option<NaiveDate>,
    follow_up_decision: Option<String>,
    rated_by: String,
    updated_at: DateTime<Utc>,
}

impl TryFrom<RatingRow> for Rating {
    type Error = StoreError;
    fn try_from(r: RatingRow) -> StoreResult<Rating> {
        Ok(Rating {
            rating: RatingLevel::from_code(&r.rating).ok_or_else(|| bad("model_ratings"))?,
            follow_up: match r.follow_up.as_deref() {
                None => None,
                Some(f) => Some(FollowUpDecision::from_code(f).ok_or_else(|| bad("model_ratings"))?),
            },
            checklist: serde_json::from_str(&r.checklist).unwrap_or_default(),
            id: r.id,
            round_id: r.round_id,
            year: r.year as i32,
            unit_code: r.unit_code,
            province_code: r.province_code,
            commune_code: r.commune_code,
            model_id: r.model_id,
            model_name: r.model_name,
            site_id: r.site_id,
            site_name: r.site_name,
            type_id: r.type_id,
            score: r.score,
            criteria_set_id: r.criteria_set_id,
            note: r.note,
            approved: r.approved,
            follow_up_on: r.follow_up_on,
            follow_up_plan: r.follow_up_plan,
            follow_up_decision: r.follow_up_decision,
            rated_by: r.rated_by,
            updated_at: r.updated_at,
        })
    }
}

const RATING_SELECT: &str = "SELECT r.id, r.round_id, r.year, r.unit_code, r.province_code, r.commune_code, r.model_id, \
     m.name AS model_name, r.site_id, s.name AS site_name, r.type_id, r.rating, r.checklist, r.score, r.criteria_set_id, r.note, \
     r.approved, r.follow_up, r.follow_up_on, r.follow_up_plan, r.follow_up_decision, r.rated_by, r.updated_at \
     FROM model_ratings r JOIN models m ON m.id = r.model_id LEFT JOIN model_sites s ON s.id = r.site_id WHERE ";

/// The ratings of one sheet.
#[tracing::instrument(skip_all)]
pub async fn sheet_ratings(db: &Db, round: i64, unit: &str) -> StoreResult<Vec<Rating>> {
    let mut q = Sql::new(RATING_SELECT);
    q.push("r.round_id = ").bind(Arg::I64(round)).push(" AND r.unit_code = ").bind(Arg::Text(unit.into()));
    q.push(" ORDER BY m.name, r.model_id, s.name");
    fetch_all::<RatingRow>(db, &q).await?.into_iter().map(Rating::try_from).collect()
}

/// One rating.
#[tracing::instrument(skip_all)]
pub async fn rating(db: &Db, id: i64) -> StoreResult<Rating> {
    let mut q = Sql::new(RATING_SELECT);
    q.push("r.id = ").bind(Arg::I64(id));
    fetch_all::<RatingRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// The ratings of a model, newest year first.
pub async fn model_ratings(db: &Db, model: i64) -> StoreResult<Vec<Rating>> {
    let mut q = Sql::new(RATING_SELECT);
    q.push("r.model_id = ").bind(Arg::I64(model)).push(" ORDER BY r.year DESC, r.site_id IS NOT NULL, s.name");
    fetch_all::<RatingRow>(db, &q).await?.into_iter().map(Rating::try_from).collect()
}

/// Approved ratings "cần thanh loại" of models and replication sites still without a decision,
/// in a place.
#[tracing::instrument(skip_all)]
pub async fn follow_ups(db: &Db, province: Option<&str>, commune: Option<&str>) -> StoreResult<Vec<Rating>> {
    let mut q = Sql::new(RATING_SELECT);
    q.push("r.rating = 'can_thanh_loai' AND r.approved = ").bind(Arg::Bool(true));
    q.push(" AND r.follow_up IS NULL AND m.state <> 'da_thanh_loai'");
    q.push(" AND (r.site_id IS NULL OR s.state <> 'da_thanh_loai')");
    // Only while it is the latest approved rating of the model (or of the site).
    q.push(" AND NOT EXISTS (SELECT 1 FROM model_ratings n WHERE n.model_id = r.model_id")
        .push(" AND COALESCE(n.site_id, 0) = COALESCE(r.site_id, 0) AND n.approved = ")
        .bind(Arg::Bool(true))
        .push(" AND n.year > r.year)");
    q.and_eq("r.province_code", province).and_eq("r.commune_code", commune);
    q.push(" ORDER BY r.year DESC, r.province_code, r.commune_code, m.name, r.site_id IS NOT NULL, s.name");
    fetch_all::<RatingRow>(db, &q).await?.into_iter().map(Rating::try_from).collect()
}

/// Where and what a new rating is.
pub struct NewRating<'a> {
    /// Round.
    pub round_id: i64,
    /// Year.
    pub year: i32,
    /// Sheet unit.
    pub unit_code: &'a str,
    /// Province.
    pub province_code: &'a str,
    /// Commune.
    pub commune_code: Option<&'a str>,
    /// Model.
    pub model_id: i64,
    /// Site.
    pub site_id: Option<i64>,
    /// Type.
    pub type_id: i64,
    /// Criteria set used.
    pub criteria_set_id: Option<i64>,
    /// Whether the sheet is already approved (demo data only).
    pub approved: bool,
}

fn checklist_json(c: &BTreeMap<String, bool>) -> String {
    serde_json::to_string(c).unwrap_or_else(|_| "{}".into())
}

/// Inserts a rating; a second rating of the same target in the round is a `Conflict`.
#[tracing::instrument(skip_all)]
pub async fn insert_rating(
    tx: &mut Tx,
    n: &NewRating<'_>,
    f: &RatingFields,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    // A rating of a year before the 2025 map carries its model's former place.
    const SQL: &str = "INSERT INTO model_ratings (round_id, year, unit_code, province_code, commune_code, model_id, site_id, type_id, \
         rating, checklist, score, criteria_set_id, note, approved, rated_by, created_at, updated_at, \
         former_province_code, former_district_code, former_commune_code) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, \
         (SELECT m.former_province_code FROM models m WHERE m.id = $6 AND $2 < 2025), \
         (SELECT m.former_district_code FROM models m WHERE m.id = $6 AND $2 < 2025), \
         (SELECT m.former_commune_code FROM models m WHERE m.id = $6 AND $2 < 2025)) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(n.round_id).bind(n.year as i64).bind(n.unit_code).bind(n.province_code).bind(n.commune_code).bind(n.model_id)
        .bind(n.site_id).bind(n.type_id).bind(f.rating.code()).bind(checklist_json(&f.checklist)).bind(f.score)
        .bind(n.criteria_set_id).bind(&f.note).bind(n.approved).bind(by).bind(now).fetch_one(c).await)?)
}

/// Replaces a rating's values.
#[tracing::instrument(skip_all)]
pub async fn update_rating(tx: &mut Tx, id: i64, f: &RatingFields, by: &str, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE model_ratings SET rating = $1, checklist = $2, score = $3, note = $4, rated_by = $5, updated_at = $6 \
         WHERE id = $7 AND approved = $8";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(f.rating.code()).bind(checklist_json(&f.checklist)).bind(f.score)
        .bind(&f.note).bind(by).bind(now).bind(id).bind(false).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::Conflict) } else { Ok(()) }
}

/// Records the follow-up decision of a rating that has none yet.
pub async fn set_follow_up(tx: &mut Tx, id: i64, f: &FollowUp) -> StoreResult<()> {
    const SQL: &str = "UPDATE model_ratings SET follow_up = $1, follow_up_on = $2, follow_up_plan = $3, follow_up_decision = $4 \
         WHERE id = $5 AND follow_up IS NULL";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(f.decision.code()).bind(f.on_date).bind(f.plan_date)
        .bind(&f.decision_no).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::Conflict) } else { Ok(()) }
}

/// How the ratings pivot is grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PivotBy {
    /// By province.
    Province,
    /// By sheet unit (communes, and the province for province-level models).
    Unit,
    /// By model type.
    Type,
    /// By the place recorded in the map that ended on 30 June 2025 (`""`: recorded in the
    /// current map).
    Former(antq_domain::succession::FormerLevel),
}

/// `(group key, rating, count)` of the approved model ratings (sites excluded) of a year.
#[tracing::instrument(skip_all)]
pub async fn pivot(
    db: &Db,
    year: i32,
    by: PivotBy,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<(String, String, i64)>> {
    let key = match by {
        PivotBy::Province => "province_code",
        PivotBy::Unit => "unit_code",
        PivotBy::Type => "CAST(type_id AS TEXT)",
        PivotBy::Former(l) => match l {
            antq_domain::succession::FormerLevel::Province => "COALESCE(former_province_code, '')",
            antq_domain::succession::FormerLevel::District => "COALESCE(former_district_code, '')",
            antq_domain::succession::FormerLevel::Commune => "COALESCE(former_commune_code, '')",
        },
    };
    let mut q = Sql::new(&format!("SELECT {key} AS k, rating, COUNT(*) FROM model_ratings WHERE year = "));
    q.bind(Arg::I64(year as i64)).push(" AND approved = ").bind(Arg::Bool(true));
    q.and_eq("province_code", province).and_eq("unit_code", commune);
    q.push(" AND site_id IS NULL GROUP BY 1, 2");
    fetch_all::<(String, String, i64)>(db, &q).await
}

/// Years that have rounds, newest first.
pub async fn years(db: &Db) -> StoreResult<Vec<i32>> {
    let rows: Vec<i64> = with_db!(db, p => sqlx::query_scalar("SELECT DISTINCT year FROM rating_rounds ORDER BY year DESC")
        .fetch_all(p).await)?;
    Ok(rows.into_iter().map(|y| y as i32).collect())
}

/// One rating of demo data: target, rating and score.
pub struct DemoRating<'a> {
    /// Where and what.
    pub target: NewRating<'a>,
    /// Rating.
    pub rating: RatingLevel,
    /// Score.
    pub score: i64,
}

/// Inserts many approved ratings with multi-row statements (the demo generator).
pub async fn insert_many(tx: &mut Tx, rows: &[DemoRating<'_>], by: &str, now: DateTime<Utc>) -> StoreResult<()> {
    const COLS: &str = "INSERT INTO model_ratings (round_id, year, unit_code, province_code, commune_code, model_id, site_id, type_id, \
         rating, checklist, score, criteria_set_id, note, approved, rated_by, created_at, updated_at) VALUES ";
    for chunk in rows.chunks(40) {
        let mut q = Sql::new(COLS);
        for (i, r) in chunk.iter().enumerate() {
            let n = &r.target;
            let args = [
                Arg::I64(n.round_id),
                Arg::I64(n.year as i64),
                Arg::Text(n.unit_code.into()),
                Arg::Text(n.province_code.into()),
                Arg::OptText(n.commune_code.map(Into::into)),
                Arg::I64(n.model_id),
                Arg::OptI64(n.site_id),
                Arg::I64(n.type_id),
                Arg::Text(r.rating.code().into()),
                Arg::Text("{}".into()),
                Arg::I64(r.score),
                Arg::OptI64(n.criteria_set_id),
                Arg::OptText(None),
                Arg::Bool(n.approved),
                Arg::Text(by.into()),
                Arg::Time(now),
                Arg::Time(now),
            ];
            q.values_row(i == 0, args);
        }
        with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
            .execute(c).await.map(|_| ()))?;
    }
    let mut rounds: Vec<i64> = rows.iter().map(|r| r.target.round_id).collect();
    rounds.sort_unstable();
    rounds.dedup();
    for round in rounds {
        copy_former_places(tx, round).await?;
    }
    Ok(())
}

/// Gives the ratings of a round of a year before the 2025 map their models' former places.
async fn copy_former_places(tx: &mut Tx, round: i64) -> StoreResult<()> {
    const SQL: &str = "UPDATE model_ratings SET \
         former_province_code = (SELECT m.former_province_code FROM models m WHERE m.id = model_ratings.model_id), \
         former_district_code = (SELECT m.former_district_code FROM models m WHERE m.id = model_ratings.model_id), \
         former_commune_code = (SELECT m.former_commune_code FROM models m WHERE m.id = model_ratings.model_id) \
         WHERE round_id = $1 AND year < 2025";
    with_tx!(tx, c => sqlx::query(SQL).bind(round).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Marks every sheet of a round approved and the round closed (demo data).
pub async fn approve_all(tx: &mut Tx, round: i64, by: &str, now: DateTime<Utc>) -> StoreResult<()> {
    const SHEETS: &str = "UPDATE rating_sheets SET state = 'da_duyet', submitted_by = $1, submitted_at = $2, reviewed_by = $1, \
         reviewed_at = $2 WHERE round_id = $3";
    with_tx!(tx, c => sqlx::query(SHEETS).bind(by).bind(now).bind(round).execute(c).await.map(|_| ()))?;
    approve_round(tx, round, None, by, now).await
}
