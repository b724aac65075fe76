//! Crime reports: the report row, the sealed identity, the trail, the dialogue, attachments,
//! a unit's queue, overdue counts and the statistics sums.
//!
//! The identity table holds only what the application sealed; this crate never sees a name.

use antq_domain::page::{Page, PageRequest};
use antq_domain::report::stats::{ReportCounts, ReportStatsBy};
use antq_domain::report::{
    Category, Channel, MessageAuthor, Report, ReportAttachment, ReportEvent, ReportKind, ReportListItem, ReportMessage,
    ReportState,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult, Tx, bind_args, with_db, with_tx};

fn bad(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("unknown code in {what}").into()))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code: String,
    has_receipt: bool,
    kind: String,
    channel: String,
    category: String,
    summary: String,
    source: Option<String>,
    occurred_on: Option<NaiveDate>,
    occurred_time: Option<String>,
    place_province_code: String,
    place_commune_code: Option<String>,
    place_address: Option<String>,
    place_unknown: bool,
    province_code: String,
    commune_code: Option<String>,
    state: String,
    received_at: DateTime<Utc>,
    unit_received_at: DateTime<Utc>,
    transfer_due_at: Option<DateTime<Utc>>,
    clock_start_on: Option<NaiveDate>,
    resolve_due_on: Option<NaiveDate>,
    procuracy_extended: bool,
    due_at: Option<DateTime<Utc>>,
    remote: bool,
    anonymous: bool,
    confidential: bool,
    urgent: bool,
    valuable: bool,
    citizen_unread: bool,
    minutes_no: Option<String>,
    received_by: String,
    decision_no: Option<String>,
    decided_on: Option<NaiveDate>,
    outcome_note: Option<String>,
    closed_at: Option<DateTime<Utc>>,
    closed_on_time: Option<bool>,
    transfer_on_time: Option<bool>,
    first_transfer_secs: Option<i64>,
    resolve_secs: Option<i64>,
    reporter_notified_at: Option<DateTime<Utc>>,
    activity_id: Option<i64>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Report {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Report> {
        Ok(Report {
            kind: ReportKind::from_code(&r.kind).ok_or_else(|| bad("reports.kind"))?,
            channel: Channel::from_code(&r.channel).ok_or_else(|| bad("reports.channel"))?,
            category: Category::from_code(&r.category).ok_or_else(|| bad("reports.category"))?,
            state: ReportState::from_code(&r.state).ok_or_else(|| bad("reports.state"))?,
            id: r.id,
            code: r.code,
            has_receipt: r.has_receipt,
            summary: r.summary,
            source: r.source,
            occurred_on: r.occurred_on,
            occurred_time: r.occurred_time,
            place_province_code: r.place_province_code,
            place_commune_code: r.place_commune_code,
            place_address: r.place_address,
            place_unknown: r.place_unknown,
            province_code: r.province_code,
            commune_code: r.commune_code,
            received_at: r.received_at,
            unit_received_at: r.unit_received_at,
            transfer_due_at: r.transfer_due_at,
            clock_start_on: r.clock_start_on,
            resolve_due_on: r.resolve_due_on,
            procuracy_extended: r.procuracy_extended,
            due_at: r.due_at,
            remote: r.remote,
            anonymous: r.anonymous,
            confidential: r.confidential,
            urgent: r.urgent,
            valuable: r.valuable,
            citizen_unread: r.citizen_unread,
            minutes_no: r.minutes_no,
            received_by: r.received_by,
            decision_no: r.decision_no,
            decided_on: r.decided_on,
            outcome_note: r.outcome_note,
            closed_at: r.closed_at,
            closed_on_time: r.closed_on_time,
            transfer_on_time: r.transfer_on_time,
            first_transfer_secs: r.first_transfer_secs,
            resolve_secs: r.resolve_secs,
            reporter_notified_at: r.reporter_notified_at,
            activity_id: r.activity_id,
            updated_at: r.updated_at,
        })
    }
}

/// Columns written by [`insert`] and rewritten by [`update`] (every column but the id,
/// code, secret and creation time).
const MUTABLE: &[&str] = &[
    "kind",
    "channel",
    "category",
    "summary",
    "search_key",
    "source",
    "occurred_on",
    "occurred_time",
    "place_province_code",
    "place_commune_code",
    "place_address",
    "place_unknown",
    "province_code",
    "commune_code",
    "state",
    "is_open",
    "received_at",
    "received_on",
    "received_month",
    "unit_received_at",
    "transfer_due_at",
    "clock_start_on",
    "resolve_due_on",
    "procuracy_extended",
    "due_at",
    "remote",
    "anonymous",
    "confidential",
    "urgent",
    "valuable",
    "citizen_unread",
    "minutes_no",
    "received_by",
    "decision_no",
    "decided_on",
    "outcome_note",
    "closed_at",
    "closed_on_time",
    "transfer_on_time",
    "first_transfer_secs",
    "resolve_secs",
    "reporter_notified_at",
    "updated_at",
];

/// The values of [`MUTABLE`] for `r`, in order.
fn mutable_args(r: &Report) -> Vec<Arg> {
    let day = antq_domain::report::clock::vn_date(r.received_at);
    vec![
        Arg::Text(r.kind.code().into()),
        Arg::Text(r.channel.code().into()),
        Arg::Text(r.category.code().into()),
        Arg::Text(r.summary.clone()),
        Arg::Text(antq_domain::text::fold(&r.summary)),
        Arg::OptText(r.source.clone()),
        Arg::OptDate(r.occurred_on),
        Arg::OptText(r.occurred_time.clone()),
        Arg::Text(r.place_province_code.clone()),
        Arg::OptText(r.place_commune_code.clone()),
        Arg::OptText(r.place_address.clone()),
        Arg::Bool(r.place_unknown),
        Arg::Text(r.province_code.clone()),
        Arg::OptText(r.commune_code.clone()),
        Arg::Text(r.state.code().into()),
        Arg::Bool(r.state.is_open()),
        Arg::Time(r.received_at),
        Arg::Date(day),
        Arg::Text(day.format("%Y-%m").to_string()),
        Arg::Time(r.unit_received_at),
        Arg::OptTime(r.transfer_due_at),
        Arg::OptDate(r.clock_start_on),
        Arg::OptDate(r.resolve_due_on),
        Arg::Bool(r.procuracy_extended),
        Arg::OptTime(r.due_at),
        Arg::Bool(r.remote),
        Arg::Bool(r.anonymous),
        Arg::Bool(r.confidential),
        Arg::Bool(r.urgent),
        Arg::Bool(r.valuable),
        Arg::Bool(r.citizen_unread),
        Arg::OptText(r.minutes_no.clone()),
        Arg::Text(r.received_by.clone()),
        Arg::OptText(r.decision_no.clone()),
        Arg::OptDate(r.decided_on),
        Arg::OptText(r.outcome_note.clone()),
        Arg::OptTime(r.closed_at),
        Arg::OptBool(r.closed_on_time),
        Arg::OptBool(r.transfer_on_time),
        Arg::OptI64(r.first_transfer_secs),
        Arg::OptI64(r.resolve_secs),
        Arg::OptTime(r.reporter_notified_at),
        Arg::Time(r.updated_at),
    ]
}

const SELECT: &str = "SELECT id, code, secret_hash IS NOT NULL AS has_receipt, kind, channel, category, summary, source, \
     occurred_on, occurred_time, place_province_code, place_commune_code, place_address, place_unknown, province_code, \
     commune_code, state, received_at, unit_received_at, transfer_due_at, clock_start_on, resolve_due_on, \
     procuracy_extended, due_at, remote, anonymous, confidential, urgent, valuable, citizen_unread, minutes_no, \
     received_by, decision_no, decided_on, outcome_note, closed_at, closed_on_time, transfer_on_time, \
     first_transfer_secs, resolve_secs, reporter_notified_at, activity_id, updated_at FROM reports";

/// Rows of `INSERT INTO reports`, many at a time (the public intake writes batches, the demo
/// writes a million).
pub async fn insert_many(tx: &mut Tx, rows: &[(&Report, Option<&str>)], now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(200) {
        let mut q = Sql::new(&format!(
            "INSERT INTO reports (code, secret_hash, created_at, activity_id, {}) VALUES ",
            MUTABLE.join(", ")
        ));
        for (i, (r, secret)) in chunk.iter().enumerate() {
            let mut args = vec![
                Arg::Text(r.code.clone()),
                Arg::OptText(secret.map(str::to_string)),
                Arg::Time(now),
                Arg::OptI64(r.activity_id),
            ];
            args.extend(mutable_args(r));
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
    Ok(ids)
}

/// Inserts one report; a taken code is a `Conflict`.
pub async fn insert(tx: &mut Tx, r: &Report, secret_hash: Option<&str>, now: DateTime<Utc>) -> StoreResult<i64> {
    insert_many(tx, &[(r, secret_hash)], now).await?.pop().ok_or(StoreError::NotFound)
}

/// Rewrites the report as `r`, provided nobody changed it since `seen` (its `updated_at`
/// when read): a concurrent change is a `Conflict` and nothing is written.
pub async fn update(tx: &mut Tx, r: &Report, seen: DateTime<Utc>) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE reports SET ");
    for (i, (col, a)) in MUTABLE.iter().zip(mutable_args(r)).enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push(col).push(" = ").bind(a);
    }
    q.push(" WHERE id = ").bind(Arg::I64(r.id)).push(" AND updated_at = ").bind(Arg::Time(seen));
    let n = with_tx!(tx, c => bind_args!(sqlx::query(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::Conflict) } else { Ok(()) }
}

/// Marks whether the citizen wrote since an officer last acted (a change of the report:
/// an officer's page opened before it must be reloaded).
pub async fn set_citizen_unread(tx: &mut Tx, id: i64, unread: bool, now: DateTime<Utc>) -> StoreResult<()> {
    with_tx!(tx, c => sqlx::query("UPDATE reports SET citizen_unread = $1, updated_at = $2 WHERE id = $3")
        .bind(unread).bind(now).bind(id).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Moves the child rows of a transferred report to its new unit.
pub async fn move_children(tx: &mut Tx, id: i64, province: &str, commune: Option<&str>) -> StoreResult<()> {
    for table in ["report_identities", "report_events", "report_messages", "report_attachments"] {
        let sql = format!("UPDATE {table} SET province_code = $1, commune_code = $2 WHERE report_id = $3");
        with_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(province).bind(commune).bind(id)
            .execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

/// One report.
pub async fn get(db: &Db, id: i64) -> StoreResult<Report> {
    let mut q = Sql::new(SELECT);
    q.push(" WHERE id = ").bind(Arg::I64(id));
    fetch_all::<Row>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// The id and secret hash of the report with `code`.
pub async fn by_code(db: &Db, code: &str) -> StoreResult<Option<(i64, Option<String>)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT id, secret_hash FROM reports WHERE code = $1").bind(code)
        .fetch_optional(p).await)?)
}

/// Which units' reports a queue shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum UnitFilter {
    /// Every unit (of the province filter, if any).
    #[default]
    Any,
    /// The province's own queue (reports without a commune).
    ProvinceLevel,
    /// One commune.
    Commune(String),
}

/// Filters of a queue.
#[derive(Clone, Debug, Default)]
pub struct QueueFilter {
    /// Province of the unit in charge.
    pub province: Option<String>,
    /// Which units.
    pub unit: UnitFilter,
    /// Only reports still being handled.
    pub open_only: bool,
    /// Only those past their running deadline at this instant.
    pub overdue_at: Option<DateTime<Utc>>,
    /// State code.
    pub state: Option<String>,
    /// Type code.
    pub kind: Option<String>,
    /// Channel code.
    pub channel: Option<String>,
    /// Exact receipt code.
    pub code: Option<String>,
    /// Text in the description.
    pub text: Option<String>,
}

impl QueueFilter {
    fn where_clause(&self) -> Sql {
        let mut q = Sql::new("FROM reports WHERE 1=1");
        q.and_eq("province_code", self.province.as_deref());
        match &self.unit {
            UnitFilter::Any => {}
            UnitFilter::ProvinceLevel => {
                q.push(" AND commune_code IS NULL");
            }
            UnitFilter::Commune(c) => {
                q.and_eq("commune_code", Some(c));
            }
        }
        if self.open_only || self.overdue_at.is_some() {
            q.push(" AND is_open = ").bind(Arg::Bool(true));
        }
        if let Some(t) = self.overdue_at {
            q.push(" AND due_at < ").bind(Arg::Time(t));
        }
        q.and_eq("state", self.state.as_deref())
            .and_eq("kind", self.kind.as_deref())
            .and_eq("channel", self.channel.as_deref())
            .and_eq("code", self.code.as_deref());
        if let Some(t) = &self.text {
            q.push(" AND search_key LIKE ")
                .bind(Arg::Text(antq_domain::text::contains_pattern(t)))
                .push(" ESCAPE '\\'");
        }
        q
    }
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: i64,
    code: String,
    kind: String,
    channel: String,
    category: String,
    state: String,
    province_code: String,
    commune_code: Option<String>,
    received_at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    urgent: bool,
    valuable: bool,
    anonymous: bool,
    citizen_unread: bool,
    excerpt: String,
}

/// One page of a queue: open reports by running deadline (nearest first, those without one
/// last); with closed ones included, newest first.
#[tracing::instrument(skip_all)]
pub async fn queue(db: &Db, f: &QueueFilter, page: PageRequest) -> StoreResult<Page<ReportListItem>> {
    const COLUMNS: &str = "id, code, kind, channel, category, state, province_code, commune_code, received_at, due_at, \
         urgent, valuable, anonymous, citizen_unread, substr(summary, 1, 140) AS excerpt";
    let order = if f.open_only || f.overdue_at.is_some() {
        "(due_at IS NULL), due_at, id"
    } else {
        "received_at DESC, id DESC"
    };
    let (rows, total) = fetch_page::<ListRow>(db, COLUMNS, &f.where_clause(), order, page).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(ReportListItem {
                kind: ReportKind::from_code(&r.kind).ok_or_else(|| bad("reports.kind"))?,
                channel: Channel::from_code(&r.channel).ok_or_else(|| bad("reports.channel"))?,
                category: Category::from_code(&r.category).ok_or_else(|| bad("reports.category"))?,
                state: ReportState::from_code(&r.state).ok_or_else(|| bad("reports.state"))?,
                id: r.id,
                code: r.code,
                province_code: r.province_code,
                commune_code: r.commune_code,
                received_at: r.received_at,
                due_at: r.due_at,
                urgent: r.urgent,
                valuable: r.valuable,
                anonymous: r.anonymous,
                citizen_unread: r.citizen_unread,
                excerpt: r.excerpt,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// `(province, commune, open, overdue)` of one unit in charge.
pub type UnitCounts = (String, Option<String>, i64, i64);

/// Open and overdue reports per unit in charge: per province (`province` `None`) or per
/// commune of a province (the province's own queue has no commune).
#[tracing::instrument(skip_all)]
pub async fn open_by_unit(db: &Db, province: Option<&str>, now: DateTime<Utc>) -> StoreResult<Vec<UnitCounts>> {
    let mut q = Sql::new("SELECT province_code, ");
    q.push(if province.is_some() { "commune_code" } else { "CAST(NULL AS TEXT)" })
        .push(", COUNT(*), SUM(CASE WHEN due_at < ")
        .bind(Arg::Time(now))
        .push(" THEN 1 ELSE 0 END) FROM reports WHERE is_open = ")
        .bind(Arg::Bool(true));
    q.and_eq("province_code", province);
    q.push(if province.is_some() { " GROUP BY province_code, commune_code" } else { " GROUP BY province_code" })
        .push(" ORDER BY 4 DESC, 3 DESC, 1, 2");
    fetch_all(db, &q).await
}

/// A trail entry to write.
#[derive(Clone, Debug, Default)]
pub struct NewEvent<'a> {
    /// `received`, `edited`, or a step code.
    pub action: &'a str,
    /// State before.
    pub from_state: Option<ReportState>,
    /// State after.
    pub to_state: Option<ReportState>,
    /// Unit before.
    pub from_unit: Option<String>,
    /// Unit after.
    pub to_unit: Option<String>,
    /// Decision date.
    pub on_date: Option<NaiveDate>,
    /// New last day.
    pub until_on: Option<NaiveDate>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Who decided / agency.
    pub authority: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Login name.
    pub username: &'a str,
}

/// Appends a trail entry for report `r` (placed in its current unit).
pub async fn insert_event(tx: &mut Tx, r: &Report, e: &NewEvent<'_>, at: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO report_events (report_id, province_code, commune_code, at, action, from_state, to_state, \
         from_unit, to_unit, on_date, until_on, decision_no, authority, note, username) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
    with_tx!(tx, c => sqlx::query(SQL)
        .bind(r.id).bind(&r.province_code).bind(&r.commune_code).bind(at).bind(e.action)
        .bind(e.from_state.map(|s| s.code())).bind(e.to_state.unwrap_or(r.state).code()).bind(&e.from_unit).bind(&e.to_unit)
        .bind(e.on_date).bind(e.until_on).bind(&e.decision_no).bind(&e.authority).bind(&e.note).bind(e.username)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    at: DateTime<Utc>,
    action: String,
    from_state: Option<String>,
    to_state: String,
    from_unit: Option<String>,
    to_unit: Option<String>,
    on_date: Option<NaiveDate>,
    until_on: Option<NaiveDate>,
    decision_no: Option<String>,
    authority: Option<String>,
    note: Option<String>,
    username: String,
}

/// The trail of a report, oldest first.
pub async fn events(db: &Db, id: i64) -> StoreResult<Vec<ReportEvent>> {
    let mut q = Sql::new(
        "SELECT id, at, action, from_state, to_state, from_unit, to_unit, on_date, until_on, decision_no, authority, note, \
         username FROM report_events WHERE report_id = ",
    );
    q.bind(Arg::I64(id)).push(" ORDER BY id");
    fetch_all::<EventRow>(db, &q)
        .await?
        .into_iter()
        .map(|r| {
            Ok(ReportEvent {
                from_state: r.from_state.as_deref().and_then(ReportState::from_code),
                to_state: ReportState::from_code(&r.to_state).ok_or_else(|| bad("report_events.to_state"))?,
                id: r.id,
                at: r.at,
                action: r.action,
                from_unit: r.from_unit,
                to_unit: r.to_unit,
                on_date: r.on_date,
                until_on: r.until_on,
                decision_no: r.decision_no,
                authority: r.authority,
                note: r.note,
                username: r.username,
            })
        })
        .collect()
}

/// Adds a message to the dialogue of report `r`.
pub async fn insert_message(
    tx: &mut Tx,
    r: &Report,
    author: MessageAuthor,
    username: Option<&str>,
    body: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO report_messages (report_id, province_code, commune_code, at, author, username, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)";
    with_tx!(tx, c => sqlx::query(SQL).bind(r.id).bind(&r.province_code).bind(&r.commune_code).bind(at)
        .bind(author.code()).bind(username).bind(body).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The dialogue of a report, oldest first.
pub async fn messages(db: &Db, id: i64) -> StoreResult<Vec<ReportMessage>> {
    let mut q = Sql::new("SELECT id, at, author, username, body FROM report_messages WHERE report_id = ");
    q.bind(Arg::I64(id)).push(" ORDER BY id");
    fetch_all::<(i64, DateTime<Utc>, String, Option<String>, String)>(db, &q)
        .await?
        .into_iter()
        .map(|(id, at, author, username, body)| {
            let author = MessageAuthor::from_code(&author).ok_or_else(|| bad("report_messages.author"))?;
            Ok(ReportMessage { id, at, author, username, body })
        })
        .collect()
}

/// An attachment to write.
pub struct NewAttachment<'a> {
    /// File name as sent.
    pub file_name: &'a str,
    /// Content type.
    pub content_type: &'a str,
    /// Bytes (metadata already removed).
    pub content: &'a [u8],
    /// `Citizen` or `Officer`.
    pub added_by: MessageAuthor,
}

/// Stores an attachment of report `r`.
pub async fn insert_attachment(tx: &mut Tx, r: &Report, a: &NewAttachment<'_>, at: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO report_attachments (report_id, province_code, commune_code, file_name, content_type, \
         size, content, added_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    with_tx!(tx, c => sqlx::query(SQL).bind(r.id).bind(&r.province_code).bind(&r.commune_code).bind(a.file_name)
        .bind(a.content_type).bind(a.content.len() as i64).bind(a.content).bind(a.added_by.code()).bind(at)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

type AttachmentRow = (i64, String, String, i64, String, DateTime<Utc>);

fn attachment_of(
    (id, file_name, content_type, size, added_by, created_at): AttachmentRow,
) -> StoreResult<ReportAttachment> {
    let added_by = MessageAuthor::from_code(&added_by).ok_or_else(|| bad("report_attachments.added_by"))?;
    Ok(ReportAttachment { id, file_name, content_type, size, added_by, created_at })
}

/// The attachments of a report (without their bytes).
pub async fn attachments(db: &Db, id: i64) -> StoreResult<Vec<ReportAttachment>> {
    let mut q = Sql::new(
        "SELECT id, file_name, content_type, size, added_by, created_at FROM report_attachments WHERE report_id = ",
    );
    q.bind(Arg::I64(id)).push(" ORDER BY id");
    fetch_all::<AttachmentRow>(db, &q).await?.into_iter().map(attachment_of).collect()
}

/// One attachment of report `report_id` with its bytes.
pub async fn attachment(db: &Db, report_id: i64, id: i64) -> StoreResult<(ReportAttachment, Vec<u8>)> {
    const SQL: &str = "SELECT id, file_name, content_type, size, added_by, created_at, content FROM report_attachments \
         WHERE report_id = $1 AND id = $2";
    let row: (i64, String, String, i64, String, DateTime<Utc>, Vec<u8>) =
        with_db!(db, p => sqlx::query_as(SQL).bind(report_id).bind(id).fetch_one(p).await)?;
    let (id, name, ct, size, by, at, content) = row;
    Ok((attachment_of((id, name, ct, size, by, at))?, content))
}

/// Stores the sealed identity of report `r`.
pub async fn insert_identity(
    tx: &mut Tx,
    r: &Report,
    key_id: &str,
    sealed: &[u8],
    at: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO report_identities (report_id, province_code, commune_code, key_id, sealed, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)";
    with_tx!(tx, c => sqlx::query(SQL).bind(r.id).bind(&r.province_code).bind(&r.commune_code).bind(key_id).bind(sealed)
        .bind(at).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The sealed identity of a report: `(key id, sealed bytes)`.
pub async fn identity(db: &Db, id: i64) -> StoreResult<Option<(String, Vec<u8>)>> {
    Ok(with_db!(db, p => sqlx::query_as("SELECT key_id, sealed FROM report_identities WHERE report_id = $1").bind(id)
        .fetch_optional(p).await)?)
}

/// Filters of the statistics: reports received from `from` to `to` (Vietnam days) whose
/// place is in the province (and commune) given.
#[derive(Clone, Debug)]
pub struct StatsFilter {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Province of the place.
    pub province: Option<String>,
    /// Commune of the place.
    pub commune: Option<String>,
}

/// Sums per group (`by`; places are provinces without a province filter, communes with one,
/// an empty key for reports without a commune), ordered by key.
#[tracing::instrument(skip_all)]
pub async fn stats(
    db: &Db,
    f: &StatsFilter,
    by: ReportStatsBy,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(String, ReportCounts)>> {
    let key = match by {
        ReportStatsBy::Place if f.province.is_none() => "place_province_code",
        ReportStatsBy::Place => "COALESCE(place_commune_code, '')",
        ReportStatsBy::Kind => "kind",
        ReportStatsBy::Channel => "channel",
        ReportStatsBy::Category => "category",
        ReportStatsBy::Month => "received_month",
    };
    let n = |cond: &str| format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)");
    let state = |s: ReportState| n(&format!("state = '{}'", s.code()));
    let mut q = Sql::new(&format!(
        "SELECT {key} AS k, COUNT(*) AS received, {} AS anonymous, {} AS valuable, {} AS open, ",
        n("anonymous"),
        n("valuable"),
        n("is_open")
    ));
    q.push("SUM(CASE WHEN is_open AND due_at < ").bind(Arg::Time(now)).push(" THEN 1 ELSE 0 END) AS open_overdue, ");
    let decided = "state IN ('khoi_to', 'khong_khoi_to')";
    q.push(
        &[
            (n("closed_on_time = TRUE"), "closed_on_time"),
            (n("closed_on_time = FALSE"), "closed_late"),
            (state(ReportState::KhoiTo), "khoi_to"),
            (state(ReportState::KhongKhoiTo), "khong_khoi_to"),
            (state(ReportState::TamDinhChi), "tam_dinh_chi"),
            (state(ReportState::ChuyenThamQuyen), "chuyen_tham_quyen"),
            (state(ReportState::KhongPhaiNguonTin), "khong_phai_nguon_tin"),
            (n("first_transfer_secs IS NOT NULL"), "transferred"),
            ("CAST(COALESCE(SUM(first_transfer_secs), 0) AS BIGINT)".into(), "transfer_secs"),
            (n("transfer_on_time = TRUE"), "transfer_on_time"),
            (n("transfer_on_time = FALSE"), "transfer_late"),
            (
                format!("CAST(COALESCE(SUM(CASE WHEN {decided} THEN resolve_secs ELSE 0 END), 0) AS BIGINT)"),
                "resolve_secs",
            ),
        ]
        .iter()
        .map(|(e, name)| format!("{e} AS {name}"))
        .collect::<Vec<_>>()
        .join(", "),
    );
    q.push(" FROM reports WHERE received_on >= ")
        .bind(Arg::Date(f.from))
        .push(" AND received_on <= ")
        .bind(Arg::Date(f.to));
    q.and_eq("place_province_code", f.province.as_deref()).and_eq("place_commune_code", f.commune.as_deref());
    q.push(" GROUP BY 1 ORDER BY 1");
    let rows: Vec<CountsRow> = fetch_all(db, &q).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let c = ReportCounts {
                received: r.received,
                anonymous: r.anonymous,
                valuable: r.valuable,
                open: r.open,
                open_overdue: r.open_overdue,
                closed_on_time: r.closed_on_time,
                closed_late: r.closed_late,
                khoi_to: r.khoi_to,
                khong_khoi_to: r.khong_khoi_to,
                tam_dinh_chi: r.tam_dinh_chi,
                chuyen_tham_quyen: r.chuyen_tham_quyen,
                khong_phai_nguon_tin: r.khong_phai_nguon_tin,
                transferred: r.transferred,
                transfer_secs: r.transfer_secs,
                transfer_on_time: r.transfer_on_time,
                transfer_late: r.transfer_late,
                resolve_secs: r.resolve_secs,
            };
            (r.k, c)
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct CountsRow {
    k: String,
    received: i64,
    anonymous: i64,
    valuable: i64,
    open: i64,
    open_overdue: i64,
    closed_on_time: i64,
    closed_late: i64,
    khoi_to: i64,
    khong_khoi_to: i64,
    tam_dinh_chi: i64,
    chuyen_tham_quyen: i64,
    khong_phai_nguon_tin: i64,
    transferred: i64,
    transfer_secs: i64,
    transfer_on_time: i64,
    transfer_late: i64,
    resolve_secs: i64,
}

/// A trail entry of the demo, written in bulk.
pub struct DemoEvent {
    /// Index of its report in the batch.
    pub report: usize,
    /// When.
    pub at: DateTime<Utc>,
    /// Step code (or `received`).
    pub action: &'static str,
    /// State before.
    pub from_state: Option<ReportState>,
    /// State after.
    pub to_state: ReportState,
    /// Decision number.
    pub decision_no: Option<String>,
}

/// Writes demo reports and their trails in multi-row statements.
pub async fn insert_demo(
    tx: &mut Tx,
    reports: &[Report],
    events: &[DemoEvent],
    now: DateTime<Utc>,
) -> StoreResult<Vec<i64>> {
    let rows: Vec<(&Report, Option<&str>)> = reports.iter().map(|r| (r, None)).collect();
    let ids = insert_many(tx, &rows, now).await?;
    for chunk in events.chunks(500) {
        let mut q = Sql::new(
            "INSERT INTO report_events (report_id, province_code, commune_code, at, action, from_state, to_state, decision_no, \
             username) VALUES ",
        );
        for (i, e) in chunk.iter().enumerate() {
            let r = &reports[e.report];
            q.values_row(
                i == 0,
                [
                    Arg::I64(ids[e.report]),
                    Arg::Text(r.province_code.clone()),
                    Arg::OptText(r.commune_code.clone()),
                    Arg::Time(e.at),
                    Arg::Text(e.action.into()),
                    Arg::OptText(e.from_state.map(|s| s.code().into())),
                    Arg::Text(e.to_state.code().into()),
                    Arg::OptText(e.decision_no.clone()),
                    Arg::Text("demo".into()),
                ],
            );
        }
        let text = q.text_for(tx.backend());
        with_tx!(tx, c => bind_args!(sqlx::query(sqlx::AssertSqlSafe(text.clone())), q.args.clone())
            .execute(c).await.map(|_| ()))?;
    }
    Ok(ids)
}

/// Writes sealed identities in multi-row statements: `(report, province, commune, sealed)`.
pub async fn insert_identities(
    tx: &mut Tx,
    rows: &[(i64, String, Option<String>, Vec<u8>)],
    key_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for chunk in rows.chunks(500) {
        let mut q = Sql::new(
            "INSERT INTO report_identities (report_id, province_code, commune_code, key_id, sealed, created_at) VALUES ",
        );
        for (i, (id, province, commune, sealed)) in chunk.iter().enumerate() {
            q.values_row(
                i == 0,
                [
                    Arg::I64(*id),
                    Arg::Text(province.clone()),
                    Arg::OptText(commune.clone()),
                    Arg::Text(key_id.into()),
                    Arg::Bytes(sealed.clone()),
                    Arg::Time(now),
                ],
            );
        }
        let text = q.text_for(tx.backend());
        with_tx!(tx, c => bind_args!(sqlx::query(sqlx::AssertSqlSafe(text.clone())), q.args.clone())
            .execute(c).await.map(|_| ()))?;
    }
    Ok(())
}
