//! The working-day calendar: the law's public holidays with the Government's yearly changes,
//! read by everyone, changed by national administrators of rules (the calendar is national).

use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::calendar::{CalendarDay, DayChange, DayChangeInput, WorkCalendar, year_days};
use antq_store::calendar;
use chrono::NaiveDate;

use crate::audit::{self, Target};
use crate::{Actor, AppCtx, AppError, AppResult};

/// The calendar in force, for deadlines (no permission: it is public law).
pub async fn current(ctx: &AppCtx) -> AppResult<WorkCalendar> {
    Ok(WorkCalendar::new(&calendar::list(&ctx.db).await?))
}

/// The holidays and changes of one year.
pub async fn year(ctx: &AppCtx, actor: &Actor, year: i32) -> AppResult<Vec<CalendarDay>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(year_days(year, &calendar::list(&ctx.db).await?))
}

/// The calendar is national: changes need national scope (after the permission).
fn national_only(actor: &Actor) -> AppResult<()> {
    match actor.scope.province() {
        None => Ok(()),
        Some(_) => Err(AppError::Forbidden(
            "Lịch ngày nghỉ, ngày làm việc là lịch chung cả nước: chỉ quản trị cấp toàn quốc được sửa.".into(),
        )),
    }
}

fn target(day: NaiveDate) -> Target {
    Target { kind: "calendar_day", id: Some(day.to_string()), province: None, commune: None }
}

/// Records a change (a day off, or a day worked in exchange), replacing that day's change.
#[tracing::instrument(skip_all)]
pub async fn record(ctx: &AppCtx, actor: &Actor, input: &DayChangeInput) -> AppResult<DayChange> {
    actor.require(Permission::ManageTaxonomy)?;
    let c = input.validate()?;
    national_only(actor)?;
    let mut tx = ctx.db.begin().await?;
    let old = calendar::record(&mut tx, &c, &actor.username, ctx.now()).await?;
    let action = if old.is_some() { AuditAction::Update } else { AuditAction::Create };
    audit::record(&mut tx, ctx, actor, action, target(c.day), &audit::changes(old.as_ref(), &c)).await?;
    tx.commit().await?;
    Ok(c)
}

/// Removes the change of a day: the law's calendar applies to it again.
#[tracing::instrument(skip_all)]
pub async fn remove(ctx: &AppCtx, actor: &Actor, day: NaiveDate) -> AppResult<DayChange> {
    actor.require(Permission::ManageTaxonomy)?;
    national_only(actor)?;
    let mut tx = ctx.db.begin().await?;
    let old = match calendar::remove(&mut tx, day).await {
        Err(antq_store::StoreError::NotFound) => return Err(AppError::NotFound("thay đổi lịch của ngày này")),
        r => r?,
    };
    audit::record(&mut tx, ctx, actor, AuditAction::Retire, target(day), &audit::note("name", &old.name)).await?;
    tx.commit().await?;
    Ok(old)
}
