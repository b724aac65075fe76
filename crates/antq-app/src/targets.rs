//! Yearly targets (C12): indicators as data (the national ones and each province's own), the
//! targets of a province and of its communes with the check that the split adds up, and the
//! progress computed live from the registers — a unit's overview, and every commune of a
//! province against one or all indicators, worst first.

use std::collections::{BTreeMap, HashMap};

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::page::{Page, PageRequest};
use antq_domain::rating::RatingLevel;
use antq_domain::target::{
    Formula, Indicator, IndicatorInput, IndicatorUnit, Progress, Source, Target, TargetInput, Term, split_adds_up,
    year_elapsed_milli,
};
use antq_store::targets::{self as store, NewTarget, TargetFilter};
use chrono::Datelike;

use crate::areas::non_empty;
use crate::audit::{self, Target as AuditTarget};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

pub mod files;

// ---------------------------------------------------------------------------------------
// Indicators

/// The indicators the actor may use: the national ones and their province's (every
/// province's for a national user).
pub async fn indicators(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<Indicator>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::indicators(&ctx.db, actor.scope.province()).await?)
}

/// One indicator, if the actor may use it.
pub async fn indicator(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Indicator> {
    actor.require(Permission::ReadRegistry)?;
    let i = store::indicator(&ctx.db, id).await.not_found_as("chỉ tiêu")?;
    match (&i.province_code, actor.scope.province()) {
        (Some(p), Some(own)) if p != own => Err(AppError::NotFound("chỉ tiêu")),
        _ => Ok(i),
    }
}

/// Checks that the codes a formula names exist: model types, ratings, national activity kinds.
async fn check_codes(ctx: &AppCtx, f: &Formula) -> AppResult<Result<(), String>> {
    let types: Vec<String> = antq_store::model_types::list(&ctx.db, None).await?.into_iter().map(|t| t.code).collect();
    let kinds: Vec<String> =
        antq_store::activities::kinds(&ctx.db, None).await?.into_iter().filter_map(|k| k.code).collect();
    for t in f.terms() {
        for (name, value) in &t.params {
            for code in value.split('|') {
                let known = match name.as_str() {
                    "type" => types.iter().any(|c| c == code),
                    "rating" => RatingLevel::from_code(code).is_some(),
                    _ => kinds.iter().any(|c| c == code),
                };
                if !known {
                    let what = match name.as_str() {
                        "type" => "loại mô hình",
                        "rating" => "mức xếp loại",
                        _ => "loại hoạt động (toàn quốc)",
                    };
                    return Ok(Err(format!("Không có {what} mã «{code}».")));
                }
            }
        }
    }
    Ok(Ok(()))
}

fn indicator_target(id: i64, province: Option<&str>) -> AuditTarget {
    AuditTarget {
        kind: "target_indicator",
        id: Some(id.to_string()),
        province: province.map(Into::into),
        commune: None,
    }
}

/// Adds an indicator: a province officer's is their province's, a national user's is national.
#[tracing::instrument(skip_all)]
pub async fn create_indicator(ctx: &AppCtx, actor: &Actor, input: &IndicatorInput) -> AppResult<Indicator> {
    actor.require(Permission::ManageTaxonomy)?;
    if actor.scope.commune().is_some() {
        return Err(AppError::Forbidden("Chỉ tiêu do Công an tỉnh hoặc Bộ Công an đặt.".into()));
    }
    let (f, formula) = input.validate()?;
    check_codes(ctx, &formula).await?.map_err(|m| FieldErrors::single("formula", m))?;
    let province = actor.scope.province();
    if province.is_some() && store::national_code_taken(&ctx.db, &f.code).await? {
        return Err(FieldErrors::single("code", format!("Mã «{}» là của một chỉ tiêu toàn quốc.", f.code)).into());
    }
    let mut tx = ctx.db.begin().await?;
    let id = store::insert_indicator(&mut tx, province, &f, ctx.now()).await.map_err(|e| match e {
        antq_store::StoreError::Conflict => {
            AppError::Invalid(FieldErrors::single("code", format!("Đã có chỉ tiêu mã «{}».", f.code)))
        }
        other => other.into(),
    })?;
    audit::record(
        &mut tx,
        ctx,
        actor,
        AuditAction::Create,
        indicator_target(id, province),
        &audit::changes(None::<&()>, &f),
    )
    .await?;
    tx.commit().await?;
    Ok(store::indicator(&ctx.db, id).await?)
}

/// Changes an indicator's name, formula, source or whether it is offered; its code and unit
/// stay (its targets are written in that unit). Only its owner (the province, or a national
/// user for a national one) changes it.
#[tracing::instrument(skip_all, fields(id))]
pub async fn update_indicator(ctx: &AppCtx, actor: &Actor, id: i64, input: &IndicatorInput) -> AppResult<Indicator> {
    actor.require(Permission::ManageTaxonomy)?;
    let before = indicator(ctx, actor, id).await?;
    if actor.scope.commune().is_some() || before.province_code.as_deref() != actor.scope.province() {
        return Err(AppError::Forbidden("Chỉ đơn vị đặt chỉ tiêu này mới sửa được.".into()));
    }
    let input =
        IndicatorInput { code: Some(before.code.clone()), unit: Some(before.unit.code().into()), ..input.clone() };
    let (f, formula) = input.validate()?;
    check_codes(ctx, &formula).await?.map_err(|m| FieldErrors::single("formula", m))?;
    let old = IndicatorInput {
        code: Some(before.code.clone()),
        name: Some(before.name.clone()),
        formula: Some(before.formula.clone()),
        unit: Some(before.unit.code().into()),
        source: Some(before.source.clone()),
        active: Some(before.active),
    };
    let changes = audit::changes(Some(&old), &input);
    if changes.is_empty() {
        return Ok(before);
    }
    let mut tx = ctx.db.begin().await?;
    store::update_indicator(&mut tx, id, &f, ctx.now()).await?;
    let target = indicator_target(id, before.province_code.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    Ok(store::indicator(&ctx.db, id).await?)
}

// ---------------------------------------------------------------------------------------
// Targets

/// List filters as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct TargetQuery {
    /// Year.
    pub year: Option<i32>,
    /// Province.
    pub province: Option<String>,
    /// Commune (its own targets).
    pub commune: Option<String>,
    /// `tinh`: only provinces' own targets; `xa`: only communes'.
    pub level: Option<String>,
    /// Indicator id.
    pub indicator_id: Option<i64>,
}

impl TargetQuery {
    fn filter(&self, actor: &Actor) -> AppResult<TargetFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        let province_level = match non_empty(&self.level).as_deref() {
            None => None,
            Some("tinh") => Some(true),
            Some("xa") => Some(false),
            Some(other) => {
                return Err(
                    FieldErrors::single("level", format!("Cấp «{other}» không hợp lệ: «tinh» hoặc «xa».")).into()
                );
            }
        };
        // A commune officer sees the province's targets too (theirs are measured against them).
        let (commune, province_level) = match (actor.scope.commune(), province_level) {
            (Some(_), Some(true)) => (None, Some(true)),
            _ => (commune, province_level),
        };
        Ok(TargetFilter { year: self.year, province, commune, province_level, indicator_id: self.indicator_id })
    }
}

/// One page of targets in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &TargetQuery, page: PageRequest) -> AppResult<Page<Target>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_page(&ctx.db, &q.filter(actor)?, page).await?)
}

/// Every target in scope matching the filters (exports).
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &TargetQuery) -> AppResult<Vec<Target>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_all(&ctx.db, &q.filter(actor)?).await?)
}

/// One target, if in scope (a commune officer also sees their province's).
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Target> {
    let t = store::get(&ctx.db, id).await.not_found_as("chỉ tiêu")?;
    let commune = if t.commune_code.is_none() { actor.scope.commune() } else { t.commune_code.as_deref() };
    actor.require_in_scope(Permission::ReadRegistry, &t.province_code, commune)?;
    Ok(t)
}

/// The province and commune of a target's unit code (2 digits: a province, 5: a commune), or
/// the message saying it is unknown.
pub(crate) async fn unit_place(ctx: &AppCtx, code: &str) -> AppResult<Result<(String, Option<String>), String>> {
    let code = code.trim();
    let unknown = format!("Không có tỉnh, xã mã «{code}».");
    Ok(match antq_store::units::get(&ctx.db, code).await {
        Ok(u) if u.parent_code.is_none() => Ok((u.code, None)),
        Ok(u) => Ok((u.parent_code.unwrap_or_default(), Some(u.code))),
        Err(antq_store::StoreError::NotFound) => Err(unknown),
        Err(e) => return Err(e.into()),
    })
}

/// Whether `indicator` may carry targets of `province`: national or the province's own.
pub(crate) fn usable_in(indicator: &Indicator, province: &str) -> bool {
    indicator.province_code.as_deref().is_none_or(|p| p == province)
}

fn target_audit(t: &NewTarget<'_>) -> serde_json::Value {
    serde_json::json!({ "year": t.year, "indicator_id": t.indicator_id, "target_milli": t.target_milli, "note": t.note })
}

fn duplicate(e: antq_store::StoreError) -> AppError {
    match e {
        antq_store::StoreError::Conflict => AppError::Invalid(FieldErrors::single(
            "indicator_id",
            "Đơn vị này đã có chỉ tiêu này trong năm; sửa chỉ tiêu đã có.",
        )),
        other => other.into(),
    }
}

/// Sets a target of a province or of one of its communes.
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, input: &TargetInput) -> AppResult<Target> {
    actor.require(Permission::ManageTaxonomy)?;
    let mut e = FieldErrors::new();
    let place = match non_empty(&input.unit_code).or_else(|| actor.scope.province().map(Into::into)) {
        Some(code) => unit_place(ctx, &code).await?.map_err(|m| e.add("unit_code", m)).ok(),
        None => {
            e.add("unit_code", "Chọn tỉnh hoặc xã được giao chỉ tiêu.");
            None
        }
    };
    let ind = match input.indicator_id {
        Some(id) => store::indicator(&ctx.db, id).await.ok(),
        None => None,
    };
    match (&ind, &place) {
        (None, _) => e.add("indicator_id", "Chọn chỉ tiêu."),
        (Some(i), Some((p, _))) if !usable_in(i, p) => e.add("indicator_id", "Chỉ tiêu này là của tỉnh khác."),
        (Some(i), _) if !i.active => e.add("indicator_id", format!("Chỉ tiêu «{}» đã ngừng áp dụng.", i.name)),
        _ => {}
    }
    let fields = ind.as_ref().map(|i| input.validate(i.unit, ctx.today()).map_err(|err| e.0.extend(err.0)).ok());
    let (Some((province, commune)), Some(ind), Some(Some(f))) = (place, ind, fields) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    actor.require_in_scope(Permission::ManageTaxonomy, &province, commune.as_deref())?;
    let new = NewTarget {
        year: f.year,
        province: &province,
        commune: commune.as_deref(),
        indicator_id: ind.id,
        target_milli: f.target_milli,
        note: f.note.as_deref(),
    };
    let mut tx = ctx.db.begin().await?;
    let id = store::insert_many(&mut tx, std::slice::from_ref(&new), &actor.username, ctx.now())
        .await
        .map_err(duplicate)?[0];
    let target = AuditTarget::placed("target", id, &province, commune.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &target_audit(&new)))
        .await?;
    tx.commit().await?;
    Ok(store::get(&ctx.db, id).await?)
}

/// Changes a target's value or note (its year, unit and indicator stay).
#[tracing::instrument(skip_all, fields(id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: i64, input: &TargetInput) -> AppResult<Target> {
    let before = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::ManageTaxonomy, &before.province_code, before.commune_code.as_deref())?;
    let input = TargetInput { year: Some(before.year), ..input.clone() };
    let f = input.validate(before.unit, ctx.today())?;
    let old = serde_json::json!({ "target_milli": before.target_milli, "note": before.note });
    let new = serde_json::json!({ "target_milli": f.target_milli, "note": f.note });
    let changes = audit::changes(Some(&old), &new);
    if changes.is_empty() {
        return Ok(before);
    }
    let mut tx = ctx.db.begin().await?;
    store::update(&mut tx, id, f.target_milli, f.note.as_deref(), ctx.now()).await?;
    let target = AuditTarget::placed("target", id, &before.province_code, before.commune_code.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    Ok(store::get(&ctx.db, id).await?)
}

/// Removes a target (a mistaken one; the audit log keeps what it was).
#[tracing::instrument(skip_all, fields(id))]
pub async fn delete(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<()> {
    let before = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::ManageTaxonomy, &before.province_code, before.commune_code.as_deref())?;
    let old = serde_json::json!({ "year": before.year, "indicator_id": before.indicator_id, "target_milli": before.target_milli, "note": before.note });
    let mut tx = ctx.db.begin().await?;
    store::delete(&mut tx, id).await?;
    let target = AuditTarget::placed("target", id, &before.province_code, before.commune_code.as_deref());
    audit::record(
        &mut tx,
        ctx,
        actor,
        AuditAction::Delete,
        target,
        &audit::changes(Some(&old), &serde_json::json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Progress

/// The counts of every term of some formulas in each commune of a province and year, read once
/// per distinct term.
pub(crate) struct Counts(HashMap<String, HashMap<String, i64>>);

impl Counts {
    /// Reads every term of `formulas`.
    pub(crate) async fn load(ctx: &AppCtx, province: &str, year: i32, formulas: &[&Formula]) -> AppResult<Counts> {
        let mut terms: Vec<&Term> = formulas.iter().flat_map(|f| f.terms()).collect();
        terms.sort_by_key(|t| t.to_string());
        terms.dedup();
        let mut out = HashMap::new();
        // Both report sources come from one query: read it once when both are wanted.
        let both =
            [Source::ReportsHandled, Source::ReportsOnTime].map(|s| Term { source: s, params: Default::default() });
        if both.iter().all(|t| terms.contains(&t)) {
            let (handled, on_time) = store::report_outcomes(&ctx.db, province, year).await?;
            out.insert(both[0].to_string(), handled.into_iter().collect());
            out.insert(both[1].to_string(), on_time.into_iter().collect());
        }
        for t in terms {
            if let std::collections::hash_map::Entry::Vacant(e) = out.entry(t.to_string()) {
                let rows = store::term_counts(&ctx.db, province, year, t).await?;
                e.insert(rows.into_iter().collect());
            }
        }
        Ok(Counts(out))
    }

    fn of(&self, t: &Term, commune: Option<&str>) -> i64 {
        let Some(by) = self.0.get(&t.to_string()) else { return 0 };
        match commune {
            Some(c) => by.get(c).copied().unwrap_or(0),
            None => by.values().sum(),
        }
    }

    /// The formula's value, thousandths, in one commune or (`None`) the whole province.
    pub(crate) fn value(&self, f: &Formula, commune: Option<&str>) -> i64 {
        f.value_milli(|t| self.of(t, commune))
    }
}

/// What progress is asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ProgressQuery {
    /// Year (this year when empty).
    pub year: Option<i32>,
    /// Province (a national user chooses one).
    pub province: Option<String>,
    /// Commune (its own overview).
    pub commune: Option<String>,
    /// One indicator (communes' page: that indicator alone).
    pub indicator_id: Option<i64>,
}

/// How a province's target is split among its communes.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Split {
    /// Communes with a target of their own.
    pub communes_with_target: usize,
    /// Communes of the province.
    pub communes: usize,
    /// Sum of the communes' targets (counts) or the lowest of them (percentages), thousandths.
    pub communes_milli: i64,
    /// The split covers the province's target: counts sum to at least it, no commune's share
    /// is below it.
    pub adds_up: bool,
    /// How far short the split is (negative), thousandths; 0 when it adds up.
    pub gap_milli: i64,
}

/// One indicator of a unit's overview.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct IndicatorProgress {
    /// The indicator.
    pub indicator: Indicator,
    /// The unit's own target.
    pub target: Option<Target>,
    /// The target measured against: the unit's own, or for a commune's percentage without one,
    /// the province's.
    pub applied_milli: Option<i64>,
    /// Value now, thousandths.
    pub value_milli: i64,
    /// Progress against the applied target.
    pub progress: Option<Progress>,
    /// The split among the communes (a province's target).
    pub split: Option<Split>,
}

/// A unit's targets of a year and where each stands.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Overview {
    /// Year.
    pub year: i32,
    /// Thousandths of the year elapsed.
    pub elapsed_milli: i64,
    /// Province.
    pub province: String,
    /// Commune (its overview).
    pub commune: Option<String>,
    /// Indicators with a target of the unit (or, for a province, of its communes), in order.
    pub rows: Vec<IndicatorProgress>,
}

/// The province and commune asked for, within scope; a national user must choose a province,
/// and a commune must be the province's.
async fn progress_place(ctx: &AppCtx, actor: &Actor, q: &ProgressQuery) -> AppResult<(String, Option<String>)> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(non_empty(&q.province), non_empty(&q.commune))?;
    let province = province.ok_or_else(|| FieldErrors::single("province", CHOOSE_PROVINCE))?;
    if let Some(c) = &commune {
        let (p, _) = crate::units::commune_place(ctx, c, "commune").await?;
        if p != province {
            return Err(FieldErrors::single("commune", format!("Xã mã «{c}» không thuộc tỉnh mã «{province}».")).into());
        }
    }
    Ok((province, commune))
}

/// What a national user is asked before any progress is shown.
pub const CHOOSE_PROVINCE: &str = "Chọn tỉnh, thành phố để xem chỉ tiêu.";

fn year_of(ctx: &AppCtx, q: &ProgressQuery) -> AppResult<i32> {
    match q.year.unwrap_or_else(|| ctx.today().year()) {
        y if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(FieldErrors::single("year", "Năm phải từ 2000 đến 2100.").into()),
    }
}

/// The targets of a province's year, by indicator: the province's own and its communes'.
async fn targets_by_indicator(
    ctx: &AppCtx,
    province: &str,
    year: i32,
) -> AppResult<BTreeMap<i64, (Option<Target>, Vec<Target>)>> {
    let f = TargetFilter { year: Some(year), province: Some(province.into()), ..Default::default() };
    let mut by: BTreeMap<i64, (Option<Target>, Vec<Target>)> = BTreeMap::new();
    for t in store::list_all(&ctx.db, &f).await? {
        let e = by.entry(t.indicator_id).or_default();
        if t.commune_code.is_none() { e.0 = Some(t) } else { e.1.push(t) }
    }
    Ok(by)
}

/// The target a commune is measured against: its own, or the province's share for a percentage.
fn applied(unit: IndicatorUnit, own: Option<&Target>, province: Option<&Target>) -> Option<i64> {
    own.map(|t| t.target_milli).or_else(|| province.filter(|_| unit == IndicatorUnit::Percent).map(|t| t.target_milli))
}

/// A unit's overview: every indicator with a target this year, its value now, its progress
/// against the share of the year elapsed, and for a province how the target is split.
#[tracing::instrument(skip_all)]
pub async fn overview(ctx: &AppCtx, actor: &Actor, q: &ProgressQuery) -> AppResult<Overview> {
    let (province, commune) = progress_place(ctx, actor, q).await?;
    let year = year_of(ctx, q)?;
    let elapsed = year_elapsed_milli(year, ctx.today());
    let indicators: HashMap<i64, Indicator> =
        store::indicators(&ctx.db, Some(&province)).await?.into_iter().map(|i| (i.id, i)).collect();
    let by = targets_by_indicator(ctx, &province, year).await?;
    let mut chosen: Vec<(Indicator, Formula, Option<Target>, Vec<Target>)> = Vec::new();
    for (id, (own, communes)) in by {
        let Some(ind) = indicators.get(&id) else { continue };
        let Ok(f) = ind.parsed() else { continue };
        chosen.push((ind.clone(), f, own, communes));
    }
    let fs: Vec<&Formula> = chosen.iter().map(|c| &c.1).collect();
    let counts = Counts::load(ctx, &province, year, &fs).await?;
    let n_communes = antq_store::units::commune_counts(&ctx.db).await?.get(&province).copied().unwrap_or(0) as usize;
    let rows = chosen
        .into_iter()
        .filter_map(|(ind, f, own, communes)| {
            let value_milli = counts.value(&f, commune.as_deref());
            let (target, applied_milli, split) = match &commune {
                Some(c) => {
                    let mine = communes.into_iter().find(|t| t.commune_code.as_deref() == Some(c));
                    let applied_milli = applied(ind.unit, mine.as_ref(), own.as_ref());
                    if mine.is_none() && applied_milli.is_none() {
                        return None;
                    }
                    (mine, applied_milli, None)
                }
                None => {
                    let milli: Vec<i64> = communes.iter().map(|t| t.target_milli).collect();
                    let split = own.as_ref().filter(|_| !milli.is_empty()).map(|p| {
                        let gap = split_adds_up(ind.unit, p.target_milli, &milli).err().unwrap_or(0);
                        Split {
                            communes_with_target: milli.len(),
                            communes: n_communes,
                            communes_milli: match ind.unit {
                                IndicatorUnit::Count => milli.iter().sum(),
                                IndicatorUnit::Percent => milli.iter().copied().min().unwrap_or(0),
                            },
                            adds_up: gap == 0,
                            gap_milli: gap,
                        }
                    });
                    let applied_milli = own.as_ref().map(|t| t.target_milli);
                    (own, applied_milli, split)
                }
            };
            let progress = applied_milli.map(|t| Progress::of(value_milli, t, elapsed));
            Some(IndicatorProgress { indicator: ind, target, applied_milli, value_milli, progress, split })
        })
        .collect::<Vec<_>>();
    let mut rows = rows;
    rows.sort_by_key(|r| (r.indicator.province_code.is_some(), r.indicator.id));
    Ok(Overview { year, elapsed_milli: elapsed, province, commune, rows })
}

/// One column of the communes' progress table.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProgressColumn {
    /// The indicator.
    pub indicator: Indicator,
    /// The province's own target, thousandths.
    pub province_target_milli: Option<i64>,
    /// The province's value now, thousandths.
    pub province_value_milli: i64,
}

/// One commune's cell of an indicator.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProgressCell {
    /// Value now, thousandths.
    pub value_milli: i64,
    /// The target measured against (own, or the province's share for a percentage).
    pub target_milli: Option<i64>,
    /// The target is the commune's own.
    pub own_target: bool,
    /// Progress against it.
    pub progress: Option<Progress>,
}

/// One commune's row.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProgressRow {
    /// Commune code.
    pub code: String,
    /// Commune name.
    pub name: String,
    /// One cell per column.
    pub cells: Vec<ProgressCell>,
}

/// Every commune of a province against the indicators of the year, worst first by the first
/// indicator.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProgressTable {
    /// Year.
    pub year: i32,
    /// Thousandths of the year elapsed.
    pub elapsed_milli: i64,
    /// Province.
    pub province: String,
    /// The indicators, in column order.
    pub columns: Vec<ProgressColumn>,
    /// The communes, worst first.
    pub rows: Vec<ProgressRow>,
}

/// The communes' progress: for one indicator, or for every indicator with a target of the
/// province's year (every active indicator when there is none). A commune officer sees their
/// commune's row.
#[tracing::instrument(skip_all)]
pub async fn communes(ctx: &AppCtx, actor: &Actor, q: &ProgressQuery) -> AppResult<ProgressTable> {
    let (province, commune) = progress_place(ctx, actor, q).await?;
    let year = year_of(ctx, q)?;
    let elapsed = year_elapsed_milli(year, ctx.today());
    let all = store::indicators(&ctx.db, Some(&province)).await?;
    let by = targets_by_indicator(ctx, &province, year).await?;
    let chosen: Vec<Indicator> = match q.indicator_id {
        Some(id) => {
            let i = all.into_iter().find(|i| i.id == id).ok_or(AppError::NotFound("chỉ tiêu"))?;
            vec![i]
        }
        None if by.is_empty() => all.into_iter().filter(|i| i.active).collect(),
        None => all.into_iter().filter(|i| by.contains_key(&i.id)).collect(),
    };
    let formulas: Vec<(Indicator, Formula)> =
        chosen.into_iter().filter_map(|i| i.parsed().ok().map(|f| (i, f))).collect();
    let fs: Vec<&Formula> = formulas.iter().map(|(_, f)| f).collect();
    let counts = Counts::load(ctx, &province, year, &fs).await?;
    let empty = (None, Vec::new());
    let own: Vec<(Option<&Target>, HashMap<&str, &Target>)> = formulas
        .iter()
        .map(|(i, _)| {
            let (p, cs) = by.get(&i.id).unwrap_or(&empty);
            (p.as_ref(), cs.iter().filter_map(|t| Some((t.commune_code.as_deref()?, t))).collect())
        })
        .collect();
    let columns = formulas
        .iter()
        .zip(&own)
        .map(|((i, f), (p, _))| ProgressColumn {
            indicator: i.clone(),
            province_target_milli: p.map(|t| t.target_milli),
            province_value_milli: counts.value(f, None),
        })
        .collect();
    let mut rows: Vec<ProgressRow> = crate::units::communes_of(ctx, &province)
        .await?
        .into_iter()
        .filter(|u| commune.as_ref().is_none_or(|c| *c == u.code))
        .map(|u| {
            let cells = formulas
                .iter()
                .zip(&own)
                .map(|((i, f), (p, cs))| {
                    let value_milli = counts.value(f, Some(&u.code));
                    let mine = cs.get(u.code.as_str()).copied();
                    let target_milli = applied(i.unit, mine, *p);
                    ProgressCell {
                        value_milli,
                        target_milli,
                        own_target: mine.is_some(),
                        progress: target_milli.map(|t| Progress::of(value_milli, t, elapsed)),
                    }
                })
                .collect();
            ProgressRow { name: u.full_name(), code: u.code, cells }
        })
        .collect();
    rows.sort_by_key(|r| {
        let c = r.cells.first();
        (
            c.and_then(|c| c.progress).map_or(i64::MAX, |p| p.of_target_milli),
            c.map_or(0, |c| c.value_milli),
            r.code.clone(),
        )
    });
    Ok(ProgressTable { year, elapsed_milli: elapsed, province, columns, rows })
}

/// The sources a formula may name, with their parameters, for the indicator form's help.
pub fn sources() -> Vec<(Source, &'static [&'static str])> {
    Source::ALL.iter().map(|s| (*s, s.params())).collect()
}

/// The communes' progress as a file: per indicator its value, target, share of the target and
/// whether it is on track; the province's row first.
pub fn progress_file(t: &ProgressTable, format: antq_interchange::Format) -> Vec<u8> {
    use antq_domain::target::format_milli;
    let mut headers = vec!["Mã".to_string(), "Xã, phường, đặc khu".to_string()];
    for c in &t.columns {
        let n = &c.indicator.name;
        headers.extend([
            format!("{n}: thực hiện"),
            format!("{n}: chỉ tiêu"),
            format!("{n}: % chỉ tiêu"),
            format!("{n}: đúng tiến độ"),
        ]);
    }
    let cell = |unit, value: i64, target: Option<i64>, progress: Option<Progress>| {
        vec![
            format_milli(unit, value),
            target.map(|t| format_milli(unit, t)).unwrap_or_default(),
            progress.map(|p| format_milli(IndicatorUnit::Percent, p.of_target_milli)).unwrap_or_default(),
            progress.map(|p| if p.on_track { "Đạt tiến độ" } else { "Chậm" }.to_string()).unwrap_or_default(),
        ]
    };
    let mut province = vec![t.province.clone(), "Toàn tỉnh".to_string()];
    for c in &t.columns {
        let p = c.province_target_milli.map(|x| Progress::of(c.province_value_milli, x, t.elapsed_milli));
        province.extend(cell(c.indicator.unit, c.province_value_milli, c.province_target_milli, p));
    }
    let mut rows = vec![province];
    for r in &t.rows {
        let mut v = vec![r.code.clone(), r.name.clone()];
        for (c, x) in t.columns.iter().zip(&r.cells) {
            v.extend(cell(c.indicator.unit, x.value_milli, x.target_milli, x.progress));
        }
        rows.push(v);
    }
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    antq_interchange::write_headed(format, &format!("Tiến độ chỉ tiêu năm {}", t.year), &headers, &rows)
}
