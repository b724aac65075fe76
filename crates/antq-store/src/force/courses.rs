//! Training courses of the force and their trainees (TT 14/2024: huấn luyện, bồi dưỡng).

use antq_domain::force::TrainingResult;
use antq_domain::force::course::{Course, CourseFields, Trainee};
use antq_domain::ids::{CourseId, MemberId};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all};
use crate::{Db, StoreError, StoreResult, Tx, with_tx};

#[derive(sqlx::FromRow)]
struct CourseRow {
    id: i64,
    province_code: String,
    commune_code: Option<String>,
    title: String,
    topics: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    organiser: String,
    location: Option<String>,
    note: Option<String>,
    trainees: i64,
    passed: i64,
}

impl From<CourseRow> for Course {
    fn from(r: CourseRow) -> Self {
        Course {
            id: CourseId(r.id),
            province_code: r.province_code,
            commune_code: r.commune_code,
            title: r.title,
            topics: r.topics.split(';').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            organiser: r.organiser,
            location: r.location,
            note: r.note,
            trainees: r.trainees,
            passed: r.passed,
        }
    }
}

const COLUMNS: &str = "c.id, c.province_code, c.commune_code, c.title, c.topics, c.starts_on, c.ends_on, c.organiser, c.location, c.note, \
    (SELECT COUNT(*) FROM force_trainees t WHERE t.course_id = c.id) AS trainees, \
    (SELECT COUNT(*) FROM force_trainees t WHERE t.course_id = c.id AND t.result = 'dat') AS passed";

/// Courses of a province (all its communes' and its own), or those open to one commune
/// (the commune's and the province's), newest first.
pub async fn list(db: &Db, province: Option<&str>, commune: Option<&str>) -> StoreResult<Vec<Course>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM force_courses c WHERE 1=1"));
    q.and_eq("c.province_code", province);
    if let Some(c) = commune {
        q.push(" AND (c.commune_code IS NULL OR c.commune_code = ").bind(Arg::Text(c.into())).push(")");
    }
    q.push(" ORDER BY c.starts_on DESC, c.id DESC");
    Ok(fetch_all::<CourseRow>(db, &q).await?.into_iter().map(Course::from).collect())
}

/// One course.
pub async fn get(db: &Db, id: CourseId) -> StoreResult<Course> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM force_courses c WHERE c.id = "));
    q.bind(Arg::I64(id.0));
    fetch_all::<CourseRow>(db, &q).await?.into_iter().next().map(Course::from).ok_or(StoreError::NotFound)
}

/// Inserts a course.
pub async fn insert(
    tx: &mut Tx,
    province: &str,
    commune: Option<&str>,
    f: &CourseFields,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<CourseId> {
    const SQL: &str = "INSERT INTO force_courses (province_code, commune_code, title, topics, starts_on, ends_on, organiser, location, note, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL).bind(province).bind(commune).bind(&f.title).bind(f.topics.join(";"))
        .bind(f.starts_on).bind(f.ends_on).bind(&f.organiser).bind(&f.location).bind(&f.note).bind(by).bind(now)
        .fetch_one(c).await)?;
    Ok(CourseId(id))
}

#[derive(sqlx::FromRow)]
struct TraineeRow {
    id: i64,
    course_id: i64,
    member_id: i64,
    full_name: String,
    team_name: String,
    commune_code: String,
    result: String,
    certificate_no: Option<String>,
    note: Option<String>,
}

const TRAINEE_COLUMNS: &str = "tr.id, tr.course_id, tr.member_id, m.full_name, t.name AS team_name, tr.commune_code, tr.result, tr.certificate_no, tr.note \
    FROM force_trainees tr JOIN force_members m ON m.id = tr.member_id JOIN force_teams t ON t.id = m.team_id";

fn trainee(r: TraineeRow) -> Trainee {
    Trainee {
        id: r.id,
        course_id: r.course_id,
        member_id: r.member_id,
        full_name: r.full_name,
        team_name: r.team_name,
        commune_code: r.commune_code,
        result: TrainingResult::from_code(&r.result).unwrap_or(TrainingResult::ChuaCo),
        certificate_no: r.certificate_no,
        note: r.note,
    }
}

/// The trainees of a course, optionally only those of one commune.
pub async fn trainees(db: &Db, course: CourseId, commune: Option<&str>) -> StoreResult<Vec<Trainee>> {
    let mut q = Sql::new(&format!("SELECT {TRAINEE_COLUMNS} WHERE tr.course_id = "));
    q.bind(Arg::I64(course.0));
    q.and_eq("tr.commune_code", commune);
    q.push(" ORDER BY tr.commune_code, m.search_key, tr.id");
    Ok(fetch_all::<TraineeRow>(db, &q).await?.into_iter().map(trainee).collect())
}

/// The courses a member attended: `(course title, end day, result, certificate)`.
pub async fn of_member(db: &Db, member: MemberId) -> StoreResult<Vec<(Course, Trainee)>> {
    let mut q = Sql::new(&format!("SELECT {TRAINEE_COLUMNS} WHERE tr.member_id = "));
    q.bind(Arg::I64(member.0)).push(" ORDER BY tr.id");
    let mut out = Vec::new();
    for t in fetch_all::<TraineeRow>(db, &q).await? {
        let c = get(db, CourseId(t.course_id)).await?;
        out.push((c, trainee(t)));
    }
    Ok(out)
}

/// Adds a member to a course (a duplicate is a conflict).
pub async fn add_trainee(
    tx: &mut Tx,
    course: CourseId,
    member: MemberId,
    province: &str,
    commune: &str,
) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO force_trainees (course_id, member_id, province_code, commune_code, result) VALUES ($1, $2, $3, $4, 'chua_co')";
    with_tx!(tx, c => sqlx::query(SQL).bind(course.0).bind(member.0).bind(province).bind(commune).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Records a trainee's result.
pub async fn set_result(
    tx: &mut Tx,
    course: CourseId,
    trainee: i64,
    result: TrainingResult,
    certificate_no: Option<&str>,
    note: Option<&str>,
) -> StoreResult<()> {
    const SQL: &str =
        "UPDATE force_trainees SET result = $1, certificate_no = $2, note = $3 WHERE id = $4 AND course_id = $5";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(result.code()).bind(certificate_no).bind(note).bind(trainee).bind(course.0)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
