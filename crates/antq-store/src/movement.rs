//! Movement classifications (QĐ 510) and their distribution.

use antq_domain::movement::{
    Classification, ClassificationDecision, ClassificationState, MovementClass, MovementSubject, Scores,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all, update_in_state};
use crate::{Db, StoreError, StoreResult, Tx, with_tx};

fn bad() -> StoreError {
    StoreError::Database(sqlx::Error::Decode("unknown code in movement_classifications".into()))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    year: i64,
    subject: String,
    area_id: Option<i64>,
    establishment_id: Option<i64>,
    province_code: String,
    commune_code: String,
    subject_name: String,
    state: String,
    scores: String,
    total: i64,
    max_points: i64,
    criteria_set_id: Option<i64>,
    proposed_class: Option<String>,
    decided_class: Option<String>,
    proposed_on: Option<NaiveDate>,
    comment: Option<String>,
    decision_no: Option<String>,
    decided_on: Option<NaiveDate>,
    note: Option<String>,
}

fn class(c: Option<String>) -> StoreResult<Option<MovementClass>> {
    c.map(|c| MovementClass::from_code(&c).ok_or_else(bad)).transpose()
}

impl TryFrom<Row> for Classification {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Classification> {
        Ok(Classification {
            subject: MovementSubject::from_code(&r.subject).ok_or_else(bad)?,
            state: ClassificationState::from_code(&r.state).ok_or_else(bad)?,
            scores: serde_json::from_str(&r.scores).unwrap_or_default(),
            proposed_class: class(r.proposed_class)?,
            decided_class: class(r.decided_class)?,
            id: r.id,
            year: r.year as i32,
            area_id: r.area_id,
            establishment_id: r.establishment_id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            subject_name: r.subject_name,
            total: r.total,
            max: r.max_points,
            criteria_set_id: r.criteria_set_id,
            proposed_on: r.proposed_on,
            comment: r.comment,
            decision_no: r.decision_no,
            decided_on: r.decided_on,
            note: r.note,
        })
    }
}

const SELECT: &str = "SELECT id, year, subject, area_id, establishment_id, province_code, commune_code, subject_name, state, \
     scores, total, max_points, criteria_set_id, proposed_class, decided_class, proposed_on, comment, decision_no, decided_on, note \
     FROM movement_classifications WHERE 1=1";

/// Classifications of a year in a place, by commune, subject and name.
pub async fn list(
    db: &Db,
    year: i32,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<Classification>> {
    let mut q = Sql::new(SELECT);
    q.push(" AND year = ").bind(Arg::I64(year as i64));
    q.and_eq("province_code", province).and_eq("commune_code", commune);
    q.push(" ORDER BY commune_code, subject, subject_name, id LIMIT 2000");
    fetch_all::<Row>(db, &q).await?.into_iter().map(Classification::try_from).collect()
}

/// One classification.
pub async fn get(db: &Db, id: i64) -> StoreResult<Classification> {
    let mut q = Sql::new(SELECT);
    q.push(" AND id = ").bind(Arg::I64(id));
    fetch_all::<Row>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// A new classification (self-scoring starts empty).
pub struct NewClassification<'a> {
    /// Year.
    pub year: i32,
    /// Subject.
    pub subject: MovementSubject,
    /// Area.
    pub area_id: Option<i64>,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Province.
    pub province_code: &'a str,
    /// Commune.
    pub commune_code: &'a str,
    /// Name.
    pub subject_name: &'a str,
    /// Score sheet.
    pub criteria_set_id: Option<i64>,
    /// Its maximum.
    pub max: i64,
}

/// Starts a classification; a second one of the same subject and year is a `Conflict`.
pub async fn insert(tx: &mut Tx, n: &NewClassification<'_>, by: &str, now: DateTime<Utc>) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO movement_classifications (year, subject, area_id, establishment_id, province_code, commune_code, \
         subject_name, state, scores, total, max_points, criteria_set_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'tu_cham_diem', '{}', 0, $8, $9, $10, $11, $11) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(n.year as i64).bind(n.subject.code()).bind(n.area_id).bind(n.establishment_id).bind(n.province_code)
        .bind(n.commune_code).bind(n.subject_name).bind(n.max).bind(n.criteria_set_id).bind(by).bind(now)
        .fetch_one(c).await)?)
}

async fn update(tx: &mut Tx, id: i64, from: ClassificationState, set: &str, args: Vec<Arg>) -> StoreResult<()> {
    update_in_state(tx, "movement_classifications", id, from.code(), set, args).await
}

/// Stores the scores and the class they reach.
pub async fn score(
    tx: &mut Tx,
    id: i64,
    s: &Scores,
    class: Option<MovementClass>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let scores = serde_json::to_string(&s.scores).unwrap_or_else(|_| "{}".into());
    update(
        tx,
        id,
        ClassificationState::TuChamDiem,
        "scores = ?, total = ?, max_points = ?, proposed_class = ?, note = ?, updated_at = ?",
        vec![
            Arg::Text(scores),
            Arg::I64(s.total),
            Arg::I64(s.max),
            Arg::OptText(class.map(|c| c.code().into())),
            Arg::OptText(s.note.clone()),
            Arg::Time(now),
        ],
    )
    .await
}

/// Moves to `to` (a proposal, a return or a review), with the date of a proposal and a comment.
pub async fn step(
    tx: &mut Tx,
    id: i64,
    from: ClassificationState,
    to: ClassificationState,
    proposed_on: Option<NaiveDate>,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    update(
        tx,
        id,
        from,
        "state = ?, proposed_on = COALESCE(?, proposed_on), comment = ?, updated_at = ?",
        vec![
            Arg::Text(to.code().into()),
            Arg::OptDate(proposed_on),
            Arg::OptText(comment.map(Into::into)),
            Arg::Time(now),
        ],
    )
    .await
}

/// Records the classification decision.
pub async fn decide(tx: &mut Tx, id: i64, d: &ClassificationDecision, now: DateTime<Utc>) -> StoreResult<()> {
    update(
        tx,
        id,
        ClassificationState::DaXet,
        "state = 'da_quyet_dinh', decided_class = ?, decision_no = ?, decided_on = ?, updated_at = ?",
        vec![
            Arg::Text(d.class.code().into()),
            Arg::Text(d.decision_no.clone()),
            Arg::Date(d.decided_on),
            Arg::Time(now),
        ],
    )
    .await
}

/// `(group key, subject, class, count)` of the decided classifications of a year; keys are
/// provinces nationally, communes within a province.
pub async fn distribution(
    db: &Db,
    year: i32,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<(String, String, String, i64)>> {
    let key = if province.is_some() { "commune_code" } else { "province_code" };
    let mut q = Sql::new(&format!(
        "SELECT {key}, subject, decided_class, CAST(COUNT(*) AS BIGINT) FROM movement_classifications \
         WHERE state = 'da_quyet_dinh' AND year = "
    ));
    q.bind(Arg::I64(year as i64)).and_eq("province_code", province).and_eq("commune_code", commune);
    q.push(" GROUP BY 1, 2, 3");
    fetch_all(db, &q).await
}
