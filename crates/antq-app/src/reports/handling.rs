//! An officer's work on a report: the steps of the workflow with their clocks, corrections,
//! files, the dialogue with the citizen, and reading the reporter's identity. Every change
//! is one transaction with its trail entry and its audit entry; the audit trail records
//! what happened (state, unit, flags, field names), never the report's content.

use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::model::Change;
use antq_domain::report::clock::vn_date;
use antq_domain::report::handling::{apply, citizen_notice};
use antq_domain::report::input::MessageInput;
use antq_domain::report::{
    ContentInput, Identity, IdentityRequest, MessageAuthor, Report, ReportAttachment, ReportEdit, ReportMessage, Step,
    StepInput,
};
use antq_store::StoreError;
use antq_store::reports::{self, NewAttachment, NewEvent};

use super::intake::check_files;
use super::{clock_rules, readable, route, unit_target};
use crate::audit::{self, Target};
use crate::models::Upload;
use crate::{Actor, AppCtx, AppError, AppResult};

fn stale(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict => {
            AppError::Conflict("Tin vừa được người khác cập nhật; hãy tải lại trang rồi thử lại.".into())
        }
        other => other.into(),
    }
}

fn target_of(r: &Report) -> Target {
    Target::placed("report", r.id, &r.province_code, r.commune_code.as_deref())
}

fn change(field: &str, before: impl ToString, after: impl ToString) -> Change {
    Change { field: field.into(), before: Some(before.to_string()), after: Some(after.to_string()) }
}

/// Takes a step (legal-rules §9.4 E): refused with the reason when the state does not allow
/// it or a clock rule is broken; the citizen is told when the status they see changes.
#[tracing::instrument(skip_all, fields(report_id = id))]
pub async fn transition(ctx: &AppCtx, actor: &Actor, id: i64, input: &StepInput) -> AppResult<Report> {
    let before = readable(ctx, actor, id, Permission::WriteReports).await?;
    let now = ctx.now();
    let step = input.validate(vn_date(now))?;
    let target = match &step {
        Step::Transfer { to_unit, .. } => Some(unit_target(ctx, to_unit, "to_unit").await?),
        _ => None,
    };
    let province = target.as_ref().map_or(before.province_code.as_str(), |t| t.province_code.as_str());
    let rules = clock_rules(ctx, province, vn_date(now)).await?;
    let calendar = crate::calendar::current(ctx).await?;
    let (after, rec) = apply(&before, &step, now, &rules, &calendar, target.as_ref())?;
    let mut tx = ctx.db.begin().await?;
    reports::update(&mut tx, &after, before.updated_at).await.map_err(stale)?;
    let moved = after.province_code != before.province_code || after.commune_code != before.commune_code;
    if moved {
        reports::move_children(&mut tx, id, &after.province_code, after.commune_code.as_deref()).await?;
    }
    let event = NewEvent {
        action: step.action().code(),
        from_state: Some(before.state),
        to_state: Some(after.state),
        from_unit: rec.from_unit.clone(),
        to_unit: rec.to_unit.clone(),
        on_date: rec.on_date,
        until_on: rec.until_on,
        decision_no: rec.decision_no,
        authority: rec.authority,
        note: rec.note,
        username: &actor.username,
    };
    reports::insert_event(&mut tx, &after, &event, now).await?;
    if after.has_receipt
        && let Some(notice) = citizen_notice(before.state, after.state)
    {
        reports::insert_message(&mut tx, &after, MessageAuthor::System, None, &notice, now).await?;
    }
    let mut changes = vec![change("state", before.state.code(), after.state.code())];
    if moved {
        changes.push(change("unit", before.unit_code(), after.unit_code()));
    }
    if let Some(until) = rec.until_on {
        changes.push(change("resolve_due_on", before.resolve_due_on.map(|d| d.to_string()).unwrap_or_default(), until));
    }
    audit::record(&mut tx, ctx, actor, AuditAction::Transition, target_of(&before), &changes).await?;
    tx.commit().await?;
    tracing::info!(action = step.action().code(), "report step");
    Ok(after)
}

/// The current values of a report as an edit (the base of a PATCH and of the edit form).
pub fn edit_of(r: &Report) -> ReportEdit {
    ReportEdit {
        content: ContentInput {
            kind: Some(r.kind.code().into()),
            category: Some(r.category.code().into()),
            summary: Some(r.summary.clone()),
            source: r.source.clone(),
            occurred_on: r.occurred_on.map(|d| d.to_string()),
            occurred_time: r.occurred_time.clone(),
            province_code: Some(r.place_province_code.clone()),
            commune_code: r.place_commune_code.clone(),
            address: r.place_address.clone(),
            place_unknown: r.place_unknown,
        },
        minutes_no: r.minutes_no.clone(),
        urgent: r.urgent,
        valuable: r.valuable,
        confidential: r.confidential,
    }
}

/// Corrects a report's content and flags (the place of events, not the unit in charge: a
/// report changes unit only by a transfer).
#[tracing::instrument(skip_all, fields(report_id = id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: i64, input: &ReportEdit) -> AppResult<Report> {
    let before = readable(ctx, actor, id, Permission::WriteReports).await?;
    let f = input.validate(ctx.today())?;
    let mut errs = antq_domain::FieldErrors::new();
    route(ctx, &f.content.place, &mut errs).await?;
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let c = f.content;
    let after = Report {
        kind: c.kind,
        category: c.category,
        summary: c.summary,
        source: c.source,
        occurred_on: c.occurred_on,
        occurred_time: c.occurred_time,
        place_province_code: c.place.province_code,
        place_commune_code: c.place.commune_code,
        place_address: c.place.address,
        place_unknown: c.place.unknown,
        minutes_no: f.minutes_no,
        urgent: f.urgent,
        valuable: f.valuable,
        confidential: f.confidential,
        updated_at: ctx.now(),
        ..before.clone()
    };
    // Content fields are named, never copied into the audit trail; flags keep their values.
    let mut changes = Vec::new();
    let content = [
        ("kind", before.kind != after.kind),
        ("category", before.category != after.category),
        ("summary", before.summary != after.summary),
        ("source", before.source != after.source),
        ("minutes_no", before.minutes_no != after.minutes_no),
        ("occurred", (before.occurred_on, &before.occurred_time) != (after.occurred_on, &after.occurred_time)),
        (
            "place",
            (&before.place_province_code, &before.place_commune_code, &before.place_address, before.place_unknown)
                != (&after.place_province_code, &after.place_commune_code, &after.place_address, after.place_unknown),
        ),
    ];
    for (field, changed) in content {
        if changed {
            changes.push(Change { field: field.into(), before: None, after: Some("đã sửa".into()) });
        }
    }
    for (field, b, a) in [
        ("urgent", before.urgent, after.urgent),
        ("valuable", before.valuable, after.valuable),
        ("confidential", before.confidential, after.confidential),
    ] {
        if b != a {
            changes.push(change(field, b, a));
        }
    }
    if changes.is_empty() {
        return Ok(before);
    }
    let now = after.updated_at;
    let mut tx = ctx.db.begin().await?;
    reports::update(&mut tx, &after, before.updated_at).await.map_err(stale)?;
    let names = changes.iter().map(|c| c.field.as_str()).collect::<Vec<_>>().join(", ");
    let event = NewEvent {
        action: "edited",
        from_state: Some(before.state),
        note: Some(names),
        username: &actor.username,
        ..Default::default()
    };
    reports::insert_event(&mut tx, &after, &event, now).await?;
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target_of(&before), &changes).await?;
    tx.commit().await?;
    Ok(after)
}

/// Writes to the citizen through the receipt page (only reports with a receipt).
#[tracing::instrument(skip_all, fields(report_id = id))]
pub async fn send_message(ctx: &AppCtx, actor: &Actor, id: i64, input: &MessageInput) -> AppResult<ReportMessage> {
    let r = readable(ctx, actor, id, Permission::WriteReports).await?;
    let body = input.validate()?;
    if !r.has_receipt {
        return Err(AppError::Conflict(
            "Người báo tin không có mã tra cứu nên không đọc được tin nhắn; hãy liên hệ theo cách khác.".into(),
        ));
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    reports::insert_message(&mut tx, &r, MessageAuthor::Officer, Some(&actor.username), &body, now).await?;
    reports::set_citizen_unread(&mut tx, id, false, now).await?;
    audit::record(&mut tx, ctx, actor, AuditAction::Record, target_of(&r), &audit::note("message", "officer")).await?;
    tx.commit().await?;
    reports::messages(&ctx.db, id).await?.pop().ok_or(AppError::NotFound("tin nhắn"))
}

/// Adds files (minutes, scans, photos) to a report.
#[tracing::instrument(skip_all, fields(report_id = id))]
pub async fn add_files(ctx: &AppCtx, actor: &Actor, id: i64, files: Vec<Upload>) -> AppResult<Vec<ReportAttachment>> {
    let r = readable(ctx, actor, id, Permission::WriteReports).await?;
    let files = check_files(files)?;
    if files.is_empty() {
        return Err(antq_domain::FieldErrors::single("files", "Chưa chọn tệp.").into());
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    for f in &files {
        let a = NewAttachment {
            file_name: &f.name,
            content_type: f.content_type,
            content: &f.bytes,
            added_by: MessageAuthor::Officer,
        };
        reports::insert_attachment(&mut tx, &r, &a, now).await?;
    }
    let note = audit::note("files", files.len().to_string());
    audit::record(&mut tx, ctx, actor, AuditAction::Record, target_of(&r), &note).await?;
    tx.commit().await?;
    Ok(reports::attachments(&ctx.db, id).await?)
}

/// The reporter's identity, for a role with the identity permission in scope, after a stated
/// reason. The read is in the audit trail (with the reason) before the identity is returned.
#[tracing::instrument(skip_all, fields(report_id = id))]
pub async fn reveal_identity(ctx: &AppCtx, actor: &Actor, id: i64, req: &IdentityRequest) -> AppResult<Identity> {
    let r = readable(ctx, actor, id, Permission::ReadReporterIdentity).await?;
    let reason = req.validate()?;
    let Some((key_id, sealed)) = reports::identity(&ctx.db, id).await? else {
        return Err(AppError::NotFound("danh tính người báo tin (tin ẩn danh)"));
    };
    let plain = ctx.identity_key.open(id, &key_id, &sealed)?;
    let identity: Identity = serde_json::from_slice(&plain).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = ctx.db.begin().await?;
    audit::record(&mut tx, ctx, actor, AuditAction::IdentityRead, target_of(&r), &audit::note("reason", reason))
        .await?;
    tx.commit().await?;
    tracing::info!("reporter identity read");
    Ok(identity)
}
