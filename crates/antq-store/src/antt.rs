//! "An toàn về ANTT" records, their dossier documents, the counts behind a commune's
//! conditions and the recognition statistics.

use antq_domain::antt::{AnttDocument, AnttRecord, AnttState, AnttSubject, Decision, Evaluation};
use chrono::{DateTime, NaiveDate, Utc};

use antq_domain::page::{Page, PageRequest};

use crate::sql::{Arg, Sql, fetch_all, fetch_page, update_in_state};
use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

fn bad() -> StoreError {
    StoreError::Database(sqlx::Error::Decode("unknown code in antt_records".into()))
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
    registered_on: NaiveDate,
    households_pct: Option<i64>,
    registration_note: Option<String>,
    evaluated_on: Option<NaiveDate>,
    checklist: String,
    all_met: bool,
    criteria_set_id: Option<i64>,
    evaluation_note: Option<String>,
    submitted_on: Option<NaiveDate>,
    decision_no: Option<String>,
    decided_on: Option<NaiveDate>,
    authority: Option<String>,
    certificate_no: Option<String>,
    override_reason: Option<String>,
    revoked_on: Option<NaiveDate>,
    revoke_reason: Option<String>,
    revoke_decision_no: Option<String>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for AnttRecord {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<AnttRecord> {
        Ok(AnttRecord {
            subject: AnttSubject::from_code(&r.subject).ok_or_else(bad)?,
            state: AnttState::from_code(&r.state).ok_or_else(bad)?,
            checklist: serde_json::from_str(&r.checklist).unwrap_or_default(),
            id: r.id,
            year: r.year as i32,
            area_id: r.area_id,
            establishment_id: r.establishment_id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            subject_name: r.subject_name,
            registered_on: r.registered_on,
            households_pct: r.households_pct,
            registration_note: r.registration_note,
            evaluated_on: r.evaluated_on,
            all_met: r.all_met,
            criteria_set_id: r.criteria_set_id,
            evaluation_note: r.evaluation_note,
            submitted_on: r.submitted_on,
            decision_no: r.decision_no,
            decided_on: r.decided_on,
            authority: r.authority,
            certificate_no: r.certificate_no,
            override_reason: r.override_reason,
            revoked_on: r.revoked_on,
            revoke_reason: r.revoke_reason,
            revoke_decision_no: r.revoke_decision_no,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, year, subject, area_id, establishment_id, province_code, commune_code, subject_name, state, \
     registered_on, households_pct, registration_note, evaluated_on, checklist, all_met, criteria_set_id, evaluation_note, \
     submitted_on, decision_no, decided_on, authority, certificate_no, override_reason, revoked_on, revoke_reason, \
     revoke_decision_no, updated_at";
const FROM: &str = "FROM antt_records WHERE 1=1";

/// Filters of the record list.
#[derive(Clone, Debug, Default)]
pub struct AnttFilter {
    /// Year.
    pub year: Option<i32>,
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Subject code.
    pub subject: Option<String>,
    /// State code.
    pub state: Option<String>,
}

/// Records matching `f`, by commune, subject and name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, f: &AnttFilter) -> StoreResult<Vec<AnttRecord>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} {FROM}"));
    filter(&mut q, f).push(&format!(" ORDER BY {ORDER}"));
    fetch_all::<Row>(db, &q).await?.into_iter().map(AnttRecord::try_from).collect()
}

/// One page of the records matching `f`, in the order of [`list`].
pub async fn list_page(db: &Db, f: &AnttFilter, page: PageRequest) -> StoreResult<Page<AnttRecord>> {
    let mut q = Sql::new(FROM);
    filter(&mut q, f);
    let (rows, total) = fetch_page::<Row>(db, COLUMNS, &q, ORDER, page).await?;
    let items = rows.into_iter().map(AnttRecord::try_from).collect::<StoreResult<_>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

const ORDER: &str = "year DESC, commune_code, subject, subject_name, id";

fn filter<'q>(q: &'q mut Sql, f: &AnttFilter) -> &'q mut Sql {
    if let Some(y) = f.year {
        q.push(" AND year = ").bind(Arg::I64(y as i64));
    }
    q.and_eq("province_code", f.province.as_deref())
        .and_eq("commune_code", f.commune.as_deref())
        .and_eq("subject", f.subject.as_deref())
        .and_eq("state", f.state.as_deref())
}

/// One record.
pub async fn get(db: &Db, id: i64) -> StoreResult<AnttRecord> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} {FROM}"));
    q.push(" AND id = ").bind(Arg::I64(id));
    fetch_all::<Row>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// A registration ready to be written.
pub struct NewRecord<'a> {
    /// Year.
    pub year: i32,
    /// Subject.
    pub subject: AnttSubject,
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
    /// Date.
    pub registered_on: NaiveDate,
    /// Households registered, %.
    pub households_pct: Option<i64>,
    /// Note.
    pub note: Option<&'a str>,
}

/// Registers a subject for a year; a second registration is a `Conflict`.
#[tracing::instrument(skip_all)]
pub async fn insert(tx: &mut Tx, r: &NewRecord<'_>, by: &str, now: DateTime<Utc>) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO antt_records (year, subject, area_id, establishment_id, province_code, commune_code, subject_name, \
         state, registered_on, households_pct, registration_note, checklist, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'da_dang_ky', $8, $9, $10, '{}', $11, $12, $12) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(r.year as i64).bind(r.subject.code()).bind(r.area_id).bind(r.establishment_id).bind(r.province_code)
        .bind(r.commune_code).bind(r.subject_name).bind(r.registered_on).bind(r.households_pct).bind(r.note).bind(by).bind(now)
        .fetch_one(c).await)?)
}

async fn set_state(
    tx: &mut Tx,
    id: i64,
    from: AnttState,
    to: AnttState,
    extra: &str,
    mut args: Vec<Arg>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut all = vec![Arg::Text(to.code().into()), Arg::Time(now)];
    all.append(&mut args);
    update_in_state(tx, "antt_records", id, from.code(), &format!("state = ?, updated_at = ?{extra}"), all).await
}

/// Records the self-evaluation.
pub async fn evaluate(
    tx: &mut Tx,
    id: i64,
    from: AnttState,
    e: &Evaluation,
    set: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let checklist = serde_json::to_string(&e.checklist).unwrap_or_else(|_| "{}".into());
    set_state(
        tx,
        id,
        from,
        AnttState::DaTuDanhGia,
        ", evaluated_on = ?, checklist = ?, all_met = ?, criteria_set_id = ?, evaluation_note = ?",
        vec![
            Arg::Date(e.evaluated_on),
            Arg::Text(checklist),
            Arg::Bool(e.all_met),
            Arg::OptI64(set),
            Arg::OptText(e.note.clone()),
        ],
        now,
    )
    .await
}

/// Files the dossier.
pub async fn submit(tx: &mut Tx, id: i64, on: NaiveDate, now: DateTime<Utc>) -> StoreResult<()> {
    set_state(tx, id, AnttState::DaTuDanhGia, AnttState::DaNopHoSo, ", submitted_on = ?", vec![Arg::Date(on)], now)
        .await
}

/// Starts the appraisal.
pub async fn appraise(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    set_state(tx, id, AnttState::DaNopHoSo, AnttState::DangThamDinh, "", vec![], now).await
}

/// Records the decision.
pub async fn decide(tx: &mut Tx, id: i64, d: &Decision, now: DateTime<Utc>) -> StoreResult<()> {
    let to = if d.recognised { AnttState::Dat } else { AnttState::ChuaDat };
    set_state(
        tx,
        id,
        AnttState::DangThamDinh,
        to,
        ", decision_no = ?, decided_on = ?, authority = ?, certificate_no = ?, override_reason = ?",
        vec![
            Arg::Text(d.decision_no.clone()),
            Arg::Date(d.decided_on),
            Arg::Text(d.authority.clone()),
            Arg::OptText(d.certificate_no.clone()),
            Arg::OptText(d.override_reason.clone()),
        ],
        now,
    )
    .await
}

/// Revokes a recognition.
pub async fn revoke(
    tx: &mut Tx,
    id: i64,
    on: NaiveDate,
    reason: &str,
    decision_no: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    set_state(
        tx,
        id,
        AnttState::Dat,
        AnttState::DaThuHoi,
        ", revoked_on = ?, revoke_reason = ?, revoke_decision_no = ?",
        vec![Arg::Date(on), Arg::Text(reason.into()), Arg::Text(decision_no.into())],
        now,
    )
    .await
}

/// Stores a dossier document.
#[allow(clippy::too_many_arguments)]
pub async fn insert_document(
    tx: &mut Tx,
    r: &AnttRecord,
    title: &str,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO antt_documents (record_id, province_code, commune_code, title, file_name, content_type, size, content, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(r.id).bind(&r.province_code).bind(&r.commune_code).bind(title).bind(file_name).bind(content_type)
        .bind(bytes.len() as i64).bind(bytes).bind(by).bind(now).fetch_one(c).await)?)
}

/// The documents of a record (without bytes).
pub async fn documents(db: &Db, record: i64) -> StoreResult<Vec<AnttDocument>> {
    const SQL: &str = "SELECT id, title, file_name, content_type, size, created_at FROM antt_documents WHERE record_id = $1 ORDER BY id";
    let rows: Vec<(i64, String, String, String, i64, DateTime<Utc>)> =
        with_db!(db, p => sqlx::query_as(SQL).bind(record).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, title, file_name, content_type, size, created_at)| AnttDocument {
            id,
            title,
            file_name,
            content_type,
            size,
            created_at,
        })
        .collect())
}

/// A document's `(file name, content type, bytes)`.
pub async fn document_file(db: &Db, record: i64, document: i64) -> StoreResult<(String, String, Vec<u8>)> {
    const SQL: &str = "SELECT file_name, content_type, content FROM antt_documents WHERE record_id = $1 AND id = $2";
    Ok(with_db!(db, p => sqlx::query_as(SQL).bind(record).bind(document).fetch_one(p).await)?)
}

/// The subjects of a commune that can be recognised in `year` (areas and establishments
/// current at the start of the year, establishments not excluded by TT 124 Điều 1), with
/// how many registered and how many were recognised that year.
pub async fn commune_counts(db: &Db, commune: &str, year: i32) -> StoreResult<(i64, i64, i64)> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    const UNITS: &str = "SELECT (SELECT COUNT(*) FROM areas WHERE commune_code = $1 AND (valid_to IS NULL OR valid_to >= $2)) + \
         (SELECT COUNT(*) FROM establishments WHERE commune_code = $1 AND (valid_to IS NULL OR valid_to >= $2) \
          AND armed_forces = $3 AND small_enterprise = $3 AND primary_or_preschool = $3)";
    const RECORDS: &str = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'dat' THEN 1 ELSE 0 END), 0) FROM antt_records \
         WHERE commune_code = $1 AND year = $2 AND subject <> 'xa'";
    let units: i64 =
        with_db!(db, p => sqlx::query_scalar(UNITS).bind(commune).bind(start).bind(false).fetch_one(p).await)?;
    let (registered, recognised): (i64, i64) =
        with_db!(db, p => sqlx::query_as(RECORDS).bind(commune).bind(year as i64).fetch_one(p).await)?;
    Ok((units, registered, recognised))
}

/// Models of a commune rated "tốt" or "khá" (approved) in `year`.
pub async fn effective_models(db: &Db, commune: &str, year: i32) -> StoreResult<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM model_ratings WHERE commune_code = $1 AND year = $2 AND approved = $3 \
         AND site_id IS NULL AND rating IN ('tot', 'kha')";
    Ok(with_db!(db, p => sqlx::query_scalar(SQL).bind(commune).bind(year as i64).bind(true).fetch_one(p).await)?)
}

/// `(group key, subject, registered, recognised)` of a year; keys are provinces nationally,
/// communes within a province.
pub async fn recognition_counts(
    db: &Db,
    year: i32,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<(String, String, i64, i64)>> {
    let key = if province.is_some() { "commune_code" } else { "province_code" };
    let mut q = Sql::new(&format!(
        "SELECT {key}, subject, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN state = 'dat' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM antt_records WHERE year = "
    ));
    q.bind(Arg::I64(year as i64))
        .and_eq("province_code", province)
        .and_eq("commune_code", commune)
        .push(" GROUP BY 1, 2");
    fetch_all(db, &q).await
}

/// `(group key, subject, total)` of the subjects that can be recognised, grouped like
/// [`recognition_counts`].
pub async fn subject_totals(
    db: &Db,
    year: i32,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<(String, String, i64)>> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let (key, unit_key) =
        if province.is_some() { ("commune_code", "code") } else { ("province_code", "province_code") };
    let mut q = Sql::new(&format!(
        "SELECT {key}, 'khu_dan_cu', CAST(COUNT(*) AS BIGINT) FROM areas WHERE (valid_to IS NULL OR valid_to >= "
    ));
    q.bind(Arg::Date(start))
        .push(")")
        .and_eq("province_code", province)
        .and_eq("commune_code", commune)
        .push(" GROUP BY 1");
    q.push(&format!(
        " UNION ALL SELECT {key}, kind, CAST(COUNT(*) AS BIGINT) FROM establishments WHERE (valid_to IS NULL OR valid_to >= "
    ))
    .bind(Arg::Date(start))
    .push(") AND armed_forces = ")
    .bind(Arg::Bool(false))
    .push(" AND small_enterprise = ")
    .bind(Arg::Bool(false))
    .push(" AND primary_or_preschool = ")
    .bind(Arg::Bool(false));
    q.and_eq("province_code", province).and_eq("commune_code", commune).push(" GROUP BY 1, 2");
    q.push(&format!(" UNION ALL SELECT {unit_key}, 'xa', CAST(COUNT(*) AS BIGINT) FROM units WHERE level = 'commune' AND valid_to IS NULL"));
    q.and_eq("province_code", province).and_eq("code", commune).push(" GROUP BY 1");
    fetch_all(db, &q).await
}

/// A demo record already in its final state.
pub struct DemoRecord<'a> {
    /// The registration.
    pub new: NewRecord<'a>,
    /// Final state.
    pub state: AnttState,
    /// Self-evaluation date (and, when decided, decision date).
    pub evaluated_on: Option<NaiveDate>,
    /// Decision date.
    pub decided_on: Option<NaiveDate>,
}

/// Inserts many records with multi-row statements (the demo generator).
pub async fn insert_many(tx: &mut Tx, rows: &[DemoRecord<'_>], by: &str, now: DateTime<Utc>) -> StoreResult<()> {
    const COLS: &str = "INSERT INTO antt_records (year, subject, area_id, establishment_id, province_code, commune_code, subject_name, \
         state, registered_on, households_pct, checklist, all_met, evaluated_on, submitted_on, decision_no, decided_on, authority, \
         certificate_no, created_by, created_at, updated_at) VALUES ";
    for chunk in rows.chunks(20) {
        let mut q = Sql::new(COLS);
        for (i, r) in chunk.iter().enumerate() {
            let n = &r.new;
            let decided = r.decided_on.is_some();
            q.values_row(
                i == 0,
                [
                    Arg::I64(n.year as i64),
                    Arg::Text(n.subject.code().into()),
                    Arg::OptI64(n.area_id),
                    Arg::OptI64(n.establishment_id),
                    Arg::Text(n.province_code.into()),
                    Arg::Text(n.commune_code.into()),
                    Arg::Text(n.subject_name.into()),
                    Arg::Text(r.state.code().into()),
                    Arg::Date(n.registered_on),
                    Arg::OptI64(n.households_pct),
                    Arg::Text("{}".into()),
                    Arg::Bool(r.state == AnttState::Dat),
                    Arg::OptDate(r.evaluated_on),
                    Arg::OptDate(r.decided_on),
                    Arg::OptText(decided.then(|| format!("{}/QĐ-UBND", n.year))),
                    Arg::OptDate(r.decided_on),
                    Arg::OptText(decided.then(|| "Ủy ban nhân dân cấp xã".into())),
                    Arg::OptText(
                        (r.state == AnttState::Dat).then(|| format!("GCN-{}-{}", n.year, n.subject_name.len())),
                    ),
                    Arg::Text(by.into()),
                    Arg::Time(now),
                    Arg::Time(now),
                ],
            );
        }
        with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
            .execute(c).await.map(|_| ()))?;
    }
    Ok(())
}
