//! Yearly rating sheets of the force (one per commune and year) and their ratings.

use antq_domain::force::rating::{ForceLevel, ForceRating, ForceRatingFields, ForceSheet, NotRatedReason};
use antq_domain::rating::SheetState;
use chrono::{DateTime, Utc};

use crate::sql::{Arg, Sql, fetch_all, update_in_state};
use crate::{Db, StoreError, StoreResult, Tx, with_tx};

#[derive(sqlx::FromRow)]
struct SheetRow {
    id: i64,
    province_code: String,
    commune_code: String,
    year: i64,
    state: String,
    comment: Option<String>,
    submitted_by: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    reviewed_by: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
}

impl From<SheetRow> for ForceSheet {
    fn from(r: SheetRow) -> Self {
        ForceSheet {
            id: r.id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            year: r.year as i32,
            state: SheetState::from_code(&r.state).unwrap_or(SheetState::DangDanhGia),
            comment: r.comment,
            submitted_by: r.submitted_by,
            submitted_at: r.submitted_at,
            reviewed_by: r.reviewed_by,
            reviewed_at: r.reviewed_at,
        }
    }
}

const SHEET_COLUMNS: &str =
    "id, province_code, commune_code, year, state, comment, submitted_by, submitted_at, reviewed_by, reviewed_at";

/// The sheets of a province (or one commune) for a year.
pub async fn sheets(db: &Db, province: Option<&str>, commune: Option<&str>, year: i32) -> StoreResult<Vec<ForceSheet>> {
    let mut q = Sql::new(&format!("SELECT {SHEET_COLUMNS} FROM force_rating_sheets WHERE year = "));
    q.bind(Arg::I64(year.into()));
    q.and_eq("province_code", province).and_eq("commune_code", commune);
    q.push(" ORDER BY commune_code");
    Ok(fetch_all::<SheetRow>(db, &q).await?.into_iter().map(ForceSheet::from).collect())
}

/// The sheet of a commune and year, if opened.
pub async fn sheet(db: &Db, commune: &str, year: i32) -> StoreResult<Option<ForceSheet>> {
    Ok(sheets(db, None, Some(commune), year).await?.into_iter().next())
}

/// Opens the sheet of a commune and year.
pub async fn create_sheet(
    tx: &mut Tx,
    province: &str,
    commune: &str,
    year: i32,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO force_rating_sheets (province_code, commune_code, year, state, created_at) VALUES ($1, $2, $3, 'dang_danh_gia', $4) RETURNING id";
    Ok(
        with_tx!(tx, c => sqlx::query_scalar(SQL).bind(province).bind(commune).bind(i64::from(year)).bind(now).fetch_one(c).await)?,
    )
}

/// Moves a sheet from `from` to `to`, recording who submitted or reviewed it.
pub async fn move_sheet(
    tx: &mut Tx,
    id: i64,
    from: SheetState,
    to: SheetState,
    comment: Option<&str>,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (set, args) = if to == SheetState::DaNop {
        (
            "state = ?, submitted_by = ?, submitted_at = ?",
            vec![Arg::Text(to.code().into()), Arg::Text(by.into()), Arg::Time(now)],
        )
    } else {
        (
            "state = ?, comment = ?, reviewed_by = ?, reviewed_at = ?",
            vec![
                Arg::Text(to.code().into()),
                Arg::OptText(comment.map(Into::into)),
                Arg::Text(by.into()),
                Arg::Time(now),
            ],
        )
    };
    update_in_state(tx, "force_rating_sheets", id, from.code(), set, args).await
}

#[derive(sqlx::FromRow)]
struct RatingRow {
    id: i64,
    sheet_id: i64,
    year: i64,
    team_id: i64,
    member_id: Option<i64>,
    level: String,
    reason: Option<String>,
    newly_transferred: bool,
    note: Option<String>,
    rated_by: String,
    updated_at: DateTime<Utc>,
}

impl From<RatingRow> for ForceRating {
    fn from(r: RatingRow) -> Self {
        ForceRating {
            id: r.id,
            sheet_id: r.sheet_id,
            year: r.year as i32,
            team_id: r.team_id,
            member_id: r.member_id,
            level: ForceLevel::from_code(&r.level).unwrap_or(ForceLevel::ChuaDanhGia),
            reason: r.reason.as_deref().and_then(NotRatedReason::from_code),
            newly_transferred: r.newly_transferred,
            note: r.note,
            rated_by: r.rated_by,
            updated_at: r.updated_at,
        }
    }
}

const RATING_COLUMNS: &str = "r.id, r.sheet_id, r.year, r.team_id, r.member_id, r.level, r.reason, r.newly_transferred, r.note, r.rated_by, r.updated_at";

/// The ratings of a sheet.
pub async fn ratings(db: &Db, sheet: i64) -> StoreResult<Vec<ForceRating>> {
    let mut q = Sql::new(&format!("SELECT {RATING_COLUMNS} FROM force_ratings r WHERE r.sheet_id = "));
    q.bind(Arg::I64(sheet)).push(" ORDER BY r.team_id, r.member_id");
    Ok(fetch_all::<RatingRow>(db, &q).await?.into_iter().map(ForceRating::from).collect())
}

/// Approved ratings of these members, newest year first.
pub async fn approved_of_members(db: &Db, members: &[i64]) -> StoreResult<Vec<ForceRating>> {
    let mut out = Vec::new();
    for chunk in members.chunks(500) {
        let mut q = Sql::new(&format!(
            "SELECT {RATING_COLUMNS} FROM force_ratings r JOIN force_rating_sheets s ON s.id = r.sheet_id \
             WHERE s.state = 'da_duyet' AND r.member_id IN ("
        ));
        for (i, m) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(Arg::I64(*m));
        }
        q.push(") ORDER BY r.year DESC, r.id");
        out.extend(fetch_all::<RatingRow>(db, &q).await?.into_iter().map(ForceRating::from));
    }
    Ok(out)
}

/// Writes the rating of a subject (`t<team>` or `m<member>`) in a sheet, replacing the previous one.
#[allow(clippy::too_many_arguments)]
pub async fn put_rating(
    tx: &mut Tx,
    sheet: &ForceSheet,
    team: i64,
    member: Option<i64>,
    f: &ForceRatingFields,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let subject = member.map_or_else(|| format!("t{team}"), |m| format!("m{m}"));
    const UPDATE: &str = "UPDATE force_ratings SET level = $1, reason = $2, newly_transferred = $3, note = $4, rated_by = $5, updated_at = $6, team_id = $7 \
         WHERE sheet_id = $8 AND subject = $9";
    let reason = f.reason.map(|r| r.code());
    let n = with_tx!(tx, c => sqlx::query(UPDATE).bind(f.level.code()).bind(reason).bind(f.newly_transferred).bind(&f.note)
        .bind(by).bind(now).bind(team).bind(sheet.id).bind(&subject).execute(c).await.map(|r| r.rows_affected()))?;
    if n > 0 {
        return Ok(());
    }
    const INSERT: &str = "INSERT INTO force_ratings (sheet_id, year, province_code, commune_code, subject, team_id, member_id, level, reason, newly_transferred, note, rated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
    with_tx!(tx, c => sqlx::query(INSERT).bind(sheet.id).bind(i64::from(sheet.year)).bind(&sheet.province_code).bind(&sheet.commune_code)
        .bind(&subject).bind(team).bind(member).bind(f.level.code()).bind(reason).bind(f.newly_transferred).bind(&f.note)
        .bind(by).bind(now).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Removes a sheet's rating of a subject (a member who left the team before submission).
pub async fn delete_rating(tx: &mut Tx, sheet: i64, subject: &str) -> StoreResult<()> {
    with_tx!(tx, c => sqlx::query("DELETE FROM force_ratings WHERE sheet_id = $1 AND subject = $2").bind(sheet).bind(subject).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// A sheet by id.
pub async fn sheet_by_id(db: &Db, id: i64) -> StoreResult<ForceSheet> {
    let mut q = Sql::new(&format!("SELECT {SHEET_COLUMNS} FROM force_rating_sheets WHERE id = "));
    q.bind(Arg::I64(id));
    fetch_all::<SheetRow>(db, &q).await?.into_iter().next().map(ForceSheet::from).ok_or(StoreError::NotFound)
}
