//! Receiving reports: an officer's intake (any channel, written at once) and a citizen's
//! submission (the public form and API, written by one writer task in batches).
//!
//! Public submissions never touch the database from the request: they are checked, their
//! secret hashed and their files cleaned, then queued to a single writer that commits up to
//! `intake_batch` of them per transaction (one disk sync) and answers each only after the
//! commit. A full queue answers "busy" at once, so a flood holds one database connection at
//! most and officers' pages keep theirs. Nothing about the submitter's connection (address,
//! user agent) reaches this module.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::report::handling::arrive;
use antq_domain::report::input::{ContentFields, Identity};
use antq_domain::report::{Channel, IntakeInput, MessageAuthor, PublicReportInput, Report, ReportState, UnitTarget};
use antq_interchange::media::{Media, strip_metadata};
use antq_store::reports::{self, NewAttachment, NewEvent};
use antq_store::{StoreError, Tx};
use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};

use super::receipt::{self, Receipt};
use crate::audit::{self, Target};
use crate::models::Upload;
use crate::{Actor, AppCtx, AppError, AppResult};

/// Most files with one report or message.
pub const MAX_FILES: usize = 5;
/// Largest file.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Login name recorded for what citizens do.
pub const CITIZEN: &str = "cong_dan";

/// A file checked by its content, metadata removed.
#[derive(Clone, Debug)]
pub(crate) struct CheckedFile {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Checks files: images (JPEG, PNG, WebP) and PDF only, by content; size-limited; image
/// metadata (EXIF, GPS, XMP, comments) removed.
pub(crate) fn check_files(files: Vec<Upload>) -> Result<Vec<CheckedFile>, FieldErrors> {
    let files: Vec<Upload> = files.into_iter().filter(|f| !f.bytes.is_empty() || !f.name.is_empty()).collect();
    let mut e = FieldErrors::new();
    if files.len() > MAX_FILES {
        e.add("files", format!("Gửi tối đa {MAX_FILES} tệp mỗi lần."));
        return Err(e);
    }
    let mut out = Vec::new();
    for f in files {
        let name = crate::models::sanitize_file_name(&f.name).to_string();
        let checked = if f.bytes.is_empty() {
            Err("Tệp rỗng.".to_string())
        } else if f.bytes.len() > MAX_FILE_BYTES {
            Err(format!("Tệp lớn quá {} MB.", MAX_FILE_BYTES / 1024 / 1024))
        } else {
            match Media::sniff(&f.bytes) {
                None => Err("Chỉ nhận ảnh (JPEG, PNG, WebP) hoặc tệp PDF.".to_string()),
                Some(m) => strip_metadata(m, &f.bytes).map(|b| (m, b)),
            }
        };
        match checked {
            Ok((m, bytes)) => out.push(CheckedFile { name, content_type: m.content_type(), bytes }),
            Err(msg) => e.add("files", format!("«{name}»: {msg}")),
        }
    }
    e.into_result(out)
}

/// Who records an intake in the audit trail and the report's trail.
#[derive(Clone, Debug)]
pub(crate) struct Recorder {
    user_id: Option<i64>,
    username: String,
    unit_code: String,
    request_id: Option<String>,
}

impl Recorder {
    fn of(actor: &Actor) -> Self {
        Recorder {
            user_id: actor.user_id,
            username: actor.username.clone(),
            unit_code: actor.unit_code.clone(),
            request_id: actor.request_id.clone(),
        }
    }

    fn citizen() -> Self {
        Recorder { user_id: None, username: CITIZEN.into(), unit_code: String::new(), request_id: None }
    }
}

/// A report ready to be written.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub report: Report,
    pub secret_hash: Option<String>,
    pub identity: Option<Identity>,
    pub files: Vec<CheckedFile>,
    pub by: Recorder,
    pub added_by: MessageAuthor,
    /// The movement activity where it was received (its tips are counted with the report).
    pub activity: Option<antq_domain::activity::Activity>,
}

/// A new report received at `at` by `unit`.
pub(crate) fn new_report(c: ContentFields, channel: Channel, at: DateTime<Utc>, unit: &UnitTarget, by: &str) -> Report {
    Report {
        id: 0,
        code: receipt::new_code(),
        kind: c.kind,
        channel,
        category: c.category,
        summary: c.summary,
        source: c.source,
        occurred_on: c.occurred_on,
        occurred_time: c.occurred_time,
        place_province_code: c.place.province_code,
        place_commune_code: c.place.commune_code,
        place_address: c.place.address,
        place_unknown: c.place.unknown,
        province_code: unit.province_code.clone(),
        commune_code: unit.commune_code.clone(),
        state: ReportState::DaTiepNhan,
        received_at: at,
        unit_received_at: at,
        transfer_due_at: None,
        clock_start_on: None,
        resolve_due_on: None,
        procuracy_extended: false,
        due_at: None,
        remote: unit.remote,
        anonymous: false,
        confidential: false,
        urgent: false,
        valuable: false,
        has_receipt: false,
        citizen_unread: false,
        minutes_no: None,
        received_by: by.to_string(),
        decision_no: None,
        decided_on: None,
        outcome_note: None,
        closed_at: None,
        closed_on_time: None,
        transfer_on_time: None,
        first_transfer_secs: None,
        resolve_secs: None,
        reporter_notified_at: None,
        activity_id: None,
        updated_at: at,
    }
}

/// Writes a prepared report with its identity, first trail entry, files, welcome notice and
/// audit entry inside `tx`; returns its id.
pub(crate) async fn write(tx: &mut Tx, ctx: &AppCtx, p: &Prepared) -> AppResult<i64> {
    let now = ctx.now();
    let id = reports::insert(tx, &p.report, p.secret_hash.as_deref(), now).await?;
    let r = Report { id, ..p.report.clone() };
    if let Some(identity) = &p.identity {
        let plain = serde_json::to_vec(identity).map_err(|e| AppError::Internal(e.to_string()))?;
        let sealed = ctx.identity_key.seal(id, &plain)?;
        reports::insert_identity(tx, &r, ctx.identity_key.id(), &sealed, now).await?;
    }
    let event =
        NewEvent { action: "received", to_state: Some(r.state), username: &p.by.username, ..Default::default() };
    reports::insert_event(tx, &r, &event, r.received_at).await?;
    for f in &p.files {
        let a =
            NewAttachment { file_name: &f.name, content_type: f.content_type, content: &f.bytes, added_by: p.added_by };
        reports::insert_attachment(tx, &r, &a, now).await?;
    }
    if r.has_receipt {
        let notice =
            format!("Cơ quan Công an đã tiếp nhận tin của bạn. Tình trạng: {}.", r.state.public_status().label());
        reports::insert_message(tx, &r, MessageAuthor::System, None, &notice, now).await?;
    }
    if let Some(a) = &p.activity {
        antq_store::activities::add_tip(tx, a.into()).await?;
    }
    let who = (p.by.user_id, p.by.username.as_str(), p.by.unit_code.as_str());
    let target = Target::placed("report", id, &r.province_code, r.commune_code.as_deref());
    let changes = audit::note("channel", r.channel.code());
    audit::record_by(tx, ctx, who, p.by.request_id.clone(), AuditAction::Create, target, &changes).await?;
    Ok(id)
}

/// An officer records a report received through any channel. It lands in the officer's own
/// unit (which received it and must transfer or take it on); with `issue_receipt` the
/// reporter gets a code and secret to follow it.
#[tracing::instrument(skip_all)]
pub async fn record(
    ctx: &AppCtx,
    actor: &Actor,
    input: &IntakeInput,
    files: Vec<Upload>,
) -> AppResult<(Report, Option<Receipt>)> {
    actor.require(Permission::WriteReports)?;
    let own = match (actor.scope.province(), actor.scope.commune()) {
        (Some(p), c) => UnitTarget {
            province_code: p.to_string(),
            commune_code: c.map(str::to_string),
            remote: match c {
                Some(c) => super::unit_target(ctx, c, "commune_code").await?.remote,
                None => false,
            },
        },
        (None, _) => {
            return Err(AppError::Forbidden(
                "Tài khoản cấp toàn quốc không tiếp nhận tin; hãy dùng tài khoản của đơn vị.".into(),
            ));
        }
    };
    let mut input = input.clone();
    if input.content.province_code.as_deref().is_none_or(|p| p.trim().is_empty()) {
        input.content.province_code = Some(own.province_code.clone());
    }
    let mut errs = FieldErrors::new();
    let fields = input.validate(ctx.now()).map_err(|e| errs.0.extend(e.0)).ok();
    let place = match &fields {
        Some(f) => Some(f.report.content.place.clone()),
        None => input.content.raw_place(),
    };
    if let Some(place) = &place {
        super::route(ctx, place, &mut errs).await?;
    }
    let files = check_files(files).map_err(|e| errs.0.extend(e.0));
    let (Some(f), Ok(files)) = (fields, files) else { return Err(AppError::Invalid(errs)) };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let activity = match f.activity_id {
        Some(id) => Some(crate::activities::tip_source(ctx, actor, id, f.received_at).await?),
        None => None,
    };
    let rules = super::clock_rules(ctx, &own.province_code, antq_domain::report::clock::vn_date(f.received_at)).await?;
    let mut report = new_report(f.report.content, f.channel, f.received_at, &own, &actor.username);
    report.anonymous = f.report.identity.is_none();
    report.confidential = f.report.identity.as_ref().is_some_and(|i| i.protection_requested);
    report.urgent = f.urgent;
    report.minutes_no = f.minutes_no;
    report.has_receipt = f.issue_receipt;
    report.activity_id = activity.as_ref().map(|a| a.id);
    arrive(&mut report, &rules);
    let secret = if f.issue_receipt { Some(receipt::new_secret()) } else { None };
    let secret_hash = match &secret {
        Some(s) => Some(receipt::hash(ctx, s).await?),
        None => None,
    };
    let mut p = Prepared {
        report,
        secret_hash,
        identity: f.report.identity,
        files,
        by: Recorder::of(actor),
        added_by: MessageAuthor::Officer,
        activity,
    };
    let id = write_retrying(ctx, &mut p).await?;
    tracing::info!(report_id = id, "report recorded");
    let receipt = secret.map(|secret| Receipt { code: p.report.code.clone(), secret });
    Ok((super::get(ctx, actor, id).await?, receipt))
}

/// Writes one prepared report in its own transaction; a taken code (one chance in 2^50)
/// is replaced and tried again.
async fn write_retrying(ctx: &AppCtx, p: &mut Prepared) -> AppResult<i64> {
    let mut attempts = 0;
    loop {
        let mut tx = ctx.db.begin().await?;
        let written = match write(&mut tx, ctx, p).await {
            Ok(id) => tx.commit().await.map(|_| id).map_err(AppError::from),
            Err(e) => Err(e),
        };
        match written {
            Err(AppError::Conflict(_)) if attempts < 3 => {
                attempts += 1;
                p.report.code = receipt::new_code();
            }
            other => return other,
        }
    }
}

/// A citizen sends a report: checked, routed to the commune of its place (or the province's
/// duty queue), written durably; the receipt is returned once.
#[tracing::instrument(skip_all)]
pub async fn submit(ctx: &AppCtx, input: &PublicReportInput, files: Vec<Upload>) -> AppResult<Receipt> {
    let now = ctx.now();
    let mut errs = FieldErrors::new();
    let fields = input.validate(antq_domain::report::clock::vn_date(now)).map_err(|e| errs.0.extend(e.0)).ok();
    let place = match &fields {
        Some(f) => Some(f.content.place.clone()),
        None => input.content.raw_place(),
    };
    let unit = match &place {
        Some(place) => super::route(ctx, place, &mut errs).await?,
        None => None,
    };
    let files = check_files(files).map_err(|e| errs.0.extend(e.0));
    let (Some(f), Some(unit), Ok(files)) = (fields, unit, files) else { return Err(AppError::Invalid(errs)) };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let rules = super::clock_rules(ctx, &unit.province_code, antq_domain::report::clock::vn_date(now)).await?;
    let mut report = new_report(f.content, Channel::CongKhai, now, &unit, CITIZEN);
    report.anonymous = f.identity.is_none();
    report.confidential = f.identity.as_ref().is_some_and(|i| i.protection_requested);
    report.has_receipt = true;
    report.citizen_unread = true;
    arrive(&mut report, &rules);
    let secret = receipt::new_secret();
    let secret_hash = Some(receipt::hash(ctx, &secret).await?);
    let p = Prepared {
        report,
        secret_hash,
        identity: f.identity,
        files,
        by: Recorder::citizen(),
        added_by: MessageAuthor::Citizen,
        activity: None,
    };
    let (id, code) = queue(ctx).send(p).await?;
    tracing::info!(report_id = id, "public report received");
    Ok(Receipt { code, secret })
}

/// The writer of public reports for `ctx`, started on first use.
fn queue(ctx: &AppCtx) -> &IntakeQueue {
    ctx.intake.get_or_init(|| IntakeQueue::start(ctx))
}

struct Job {
    prepared: Prepared,
    reply: oneshot::Sender<AppResult<(i64, String)>>,
}

/// The queue in front of the single writer of public reports.
#[derive(Debug)]
pub struct IntakeQueue {
    tx: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

fn busy() -> AppError {
    AppError::Unavailable("Hệ thống đang nhận quá nhiều tin cùng lúc. Vui lòng gửi lại sau ít phút.".into())
}

impl IntakeQueue {
    fn start(ctx: &AppCtx) -> IntakeQueue {
        let (tx, rx) = mpsc::channel(ctx.settings.intake_queue.max(1));
        // The writer holds a context without the queue, so the task ends when the last
        // context holding the queue is dropped.
        let writer_ctx = AppCtx { intake: Default::default(), ..ctx.clone() };
        tokio::spawn(run(writer_ctx, rx));
        IntakeQueue { tx }
    }

    async fn send(&self, prepared: Prepared) -> AppResult<(i64, String)> {
        let (reply, answer) = oneshot::channel();
        self.tx.try_send(Job { prepared, reply }).map_err(|_| busy())?;
        answer.await.map_err(|_| AppError::Internal("bộ ghi tin dừng đột ngột".into()))?
    }
}

async fn run(ctx: AppCtx, mut rx: mpsc::Receiver<Job>) {
    let max = ctx.settings.intake_batch.max(1);
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < max {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        match write_batch(&ctx, &jobs).await {
            Ok(ids) => {
                for (j, id) in jobs.into_iter().zip(ids) {
                    let _ = j.reply.send(Ok((id, j.prepared.report.code)));
                }
            }
            // One bad job must not sink the others: write each alone.
            Err(_) => {
                for mut j in jobs {
                    let r = write_retrying(&ctx, &mut j.prepared).await.map(|id| (id, j.prepared.report.code.clone()));
                    let _ = j.reply.send(r);
                }
            }
        }
    }
}

/// Writes every job in one transaction: all or none.
async fn write_batch(ctx: &AppCtx, jobs: &[Job]) -> AppResult<Vec<i64>> {
    let mut tx = ctx.db.begin().await?;
    let mut ids = Vec::with_capacity(jobs.len());
    for j in jobs {
        ids.push(write(&mut tx, ctx, &j.prepared).await?);
    }
    tx.commit().await.map_err(|e: StoreError| AppError::from(e))?;
    Ok(ids)
}
