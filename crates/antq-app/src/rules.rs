//! Rules as data and criteria sets: read by everyone, extended by province officers for
//! their province and by administrators nationally. Nothing is edited in place: a new
//! value or version starts on a date and ends the previous one the day before.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::rating::{CriteriaSet, CriteriaSetInput};
use antq_domain::rules::{Rule, RuleCode, RuleInput, RuleValue};
use antq_store::rules;
use chrono::NaiveDate;

use crate::audit::{self, Target};
use crate::{Actor, AppCtx, AppError, AppResult};

/// Every rule value (all provinces' and the national ones).
pub async fn list(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<Rule>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(rules::list(&ctx.db).await?)
}

/// The value of `code` that applies in `province` on `day`, parsed.
pub async fn value(
    ctx: &AppCtx,
    code: RuleCode,
    province: Option<&str>,
    day: NaiveDate,
) -> AppResult<Option<RuleValue>> {
    let all = rules::list(&ctx.db).await?;
    Ok(antq_domain::rules::effective(&all, code, province, day).and_then(Rule::parsed))
}

/// The rule values of one province on one day.
pub struct RulesOn {
    all: Vec<Rule>,
    province: String,
    day: NaiveDate,
}

impl RulesOn {
    /// Loads every rule value, to read those of `province` on `day`.
    pub async fn load(ctx: &AppCtx, province: &str, day: NaiveDate) -> AppResult<RulesOn> {
        Ok(RulesOn { all: rules::list(&ctx.db).await?, province: province.to_string(), day })
    }

    /// The value in force and the row it comes from; a conflict naming the rule when none is.
    pub(crate) fn rule(&self, code: RuleCode) -> AppResult<(&Rule, RuleValue)> {
        antq_domain::rules::effective(&self.all, code, Some(&self.province), self.day)
            .and_then(|r| r.parsed().map(|v| (r, v)))
            .ok_or_else(|| {
                AppError::Conflict(format!(
                    "Chưa có quy định «{}» áp dụng ngày {} (trang Quy định).",
                    code.label(),
                    self.day.format("%d/%m/%Y")
                ))
            })
    }

    /// A count, day or percentage rule.
    pub fn number(&self, code: RuleCode) -> AppResult<i64> {
        self.rule(code)?.1.number().ok_or_else(|| AppError::Internal(format!("quy định {} không phải số", code.code())))
    }
}

/// The report clocks in force in `province` on `day` (legal-rules §9.5 NT_TRANSFER, NT_RESOLVE).
pub async fn clock(ctx: &AppCtx, province: &str, day: NaiveDate) -> AppResult<antq_domain::report::ClockRules> {
    let r = RulesOn::load(ctx, province, day).await?;
    Ok(antq_domain::report::ClockRules {
        transfer_hours: r.number(RuleCode::ReportTransferHours)?,
        transfer_hours_remote: r.number(RuleCode::ReportTransferHoursRemote)?,
        resolve_days: r.number(RuleCode::ReportResolveDays)?,
        extension_months: u32::try_from(r.number(RuleCode::ReportExtensionMonths)?).unwrap_or(2),
        procuracy_months: u32::try_from(r.number(RuleCode::ReportProcuracyMonths)?).unwrap_or(2),
        resume_days: r.number(RuleCode::ReportResumeDays)?,
    })
}

/// Checks where a new value or version may be written: a province's own value needs the
/// province in scope; a national one needs national scope.
fn check_place(actor: &Actor, province: Option<&str>) -> AppResult<()> {
    actor.require(Permission::ManageTaxonomy)?;
    match province {
        Some(p) => actor.require_in_scope(Permission::ManageTaxonomy, p, None),
        None if actor.scope.province().is_none() => Ok(()),
        None => {
            Err(AppError::Forbidden("Chỉ quản trị cấp toàn quốc được sửa giá trị chung; hãy chọn tỉnh của bạn.".into()))
        }
    }
}

async fn check_province(ctx: &AppCtx, province: Option<&str>, errs: &mut FieldErrors) -> AppResult<()> {
    if let Some(code) = province {
        match antq_store::units::get(&ctx.db, code).await {
            Ok(u) if u.level == antq_domain::unit::UnitLevel::Province => {}
            Ok(_) | Err(antq_store::StoreError::NotFound) => {
                errs.add("province_code", format!("Không có tỉnh, thành phố mã «{code}»."))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn after_latest(errs: &mut FieldErrors, latest: Option<NaiveDate>, from: NaiveDate) {
    if let Some(l) = latest.filter(|l| from <= *l) {
        errs.add(
            "valid_from",
            format!("Ngày bắt đầu áp dụng phải sau {} (ngày bắt đầu của giá trị gần nhất).", l.format("%d/%m/%Y")),
        );
    }
}

/// Adds a value of a rule.
#[tracing::instrument(skip_all)]
pub async fn add(ctx: &AppCtx, actor: &Actor, input: &RuleInput) -> AppResult<Rule> {
    let f = input.validate()?;
    check_place(actor, f.province_code.as_deref())?;
    let mut errs = FieldErrors::new();
    check_province(ctx, f.province_code.as_deref(), &mut errs).await?;
    after_latest(&mut errs, rules::latest_start(&ctx.db, f.code, f.province_code.as_deref()).await?, f.valid_from);
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let mut tx = ctx.db.begin().await?;
    let id = rules::insert(&mut tx, &f, &actor.username, ctx.now()).await?;
    let target = Target { kind: "rule", id: Some(id.to_string()), province: f.province_code.clone(), commune: None };
    let changes = [
        audit::note("code", f.code.code()),
        audit::note("value", &f.value),
        audit::note("legal_basis", &f.legal_basis),
        audit::note("valid_from", f.valid_from.to_string()),
    ]
    .concat();
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &changes).await?;
    tx.commit().await?;
    rules::list(&ctx.db).await?.into_iter().find(|r| r.id == id).ok_or(AppError::NotFound("quy định"))
}

/// Every criteria set version.
pub async fn criteria_sets(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<CriteriaSet>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(rules::criteria_sets(&ctx.db).await?)
}

/// Adds a version of a criteria set (model ratings or an «An toàn về ANTT» subject).
#[tracing::instrument(skip_all)]
pub async fn add_criteria_set(ctx: &AppCtx, actor: &Actor, input: &CriteriaSetInput) -> AppResult<CriteriaSet> {
    let f = input.validate()?;
    check_place(actor, f.province_code.as_deref())?;
    let mut errs = FieldErrors::new();
    check_province(ctx, f.province_code.as_deref(), &mut errs).await?;
    if let Some(t) = f.model_type_id
        && let Err(AppError::NotFound(_)) = crate::model_types::get(ctx, actor, antq_domain::ids::ModelTypeId(t)).await
    {
        errs.add("model_type_id", format!("Không có loại mô hình mã {t}."));
    }
    let latest = rules::latest_set_start(&ctx.db, f.subject, f.model_type_id, f.province_code.as_deref()).await?;
    after_latest(&mut errs, latest, f.valid_from);
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let mut tx = ctx.db.begin().await?;
    let (id, version) = rules::insert_criteria_set(&mut tx, &f, &actor.username, ctx.now()).await?;
    let target =
        Target { kind: "criteria_set", id: Some(id.to_string()), province: f.province_code.clone(), commune: None };
    let criteria = f.criteria.iter().map(|c| format!("{} ({} điểm)", c.code, c.points)).collect::<Vec<_>>().join(", ");
    let changes = [
        audit::note("name", &f.name),
        audit::note("version", version.to_string()),
        audit::note("criteria", criteria),
        audit::note("valid_from", f.valid_from.to_string()),
    ]
    .concat();
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &changes).await?;
    tx.commit().await?;
    rules::criteria_sets(&ctx.db).await?.into_iter().find(|s| s.id == id).ok_or(AppError::NotFound("bộ tiêu chí"))
}
