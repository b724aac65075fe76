//! The yearly rating of models (C4): rounds, sheets, ratings, approval and locking, and the
//! follow-up of models rated "cần thanh loại". Shared by the pages, the API and imports.

use std::collections::HashMap;

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::ids::{ModelId, SiteId};
use antq_domain::model::{Change, ModelState, SiteState, TransitionInput};
use antq_domain::rating::{
    CriteriaSet, CriteriaSubject, FollowUpDecision, FollowUpInput, Rating, RatingFields, RatingInput, RatingLevel,
    Round, RoundInput, RoundState, Sheet, SheetAction, SheetState, SheetView, Target, set_for, too_young,
};
use antq_domain::rules::RuleCode;
use antq_store::ratings::{self, NewRating};
use antq_store::{StoreError, Tx};

use crate::audit::{self, Target as AuditTarget};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// Rounds visible to the actor (their province's, or every province's for national users).
pub async fn rounds(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<Round>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(ratings::rounds(&ctx.db, actor.scope.province()).await?)
}

/// Years that have rating rounds, newest first.
pub async fn years(ctx: &AppCtx) -> AppResult<Vec<i32>> {
    Ok(ratings::years(&ctx.db).await?)
}

/// One round, if the actor's scope touches its province.
pub async fn round(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Round> {
    actor.require(Permission::ReadRegistry)?;
    let r = ratings::round(&ctx.db, id).await.not_found_as("đợt xếp loại")?;
    if actor.scope.province().is_some_and(|p| p != r.province_code) {
        return Err(AppError::Forbidden("Dữ liệu này nằm ngoài địa bàn bạn được giao.".into()));
    }
    Ok(r)
}

/// The sheets of a round the actor may see (a commune user: their commune's only).
pub async fn sheets(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<(Round, Vec<Sheet>)> {
    let r = round(ctx, actor, id).await?;
    Ok((r, ratings::sheets(&ctx.db, id, actor.scope.commune()).await?))
}

/// Opens the round of a province and year. The window defaults to the rule
/// `model_rating_window` that applies in the province.
#[tracing::instrument(skip_all)]
pub async fn open_round(ctx: &AppCtx, actor: &Actor, input: &RoundInput) -> AppResult<Round> {
    actor.require(Permission::ApproveEvaluations)?;
    let province = input
        .province_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .or(actor.scope.province())
        .map(str::to_string);
    let Some(province) = province else {
        return Err(FieldErrors::single("province_code", "Chọn tỉnh, thành phố của đợt xếp loại.").into());
    };
    match antq_store::units::get(&ctx.db, &province).await {
        Ok(u) if u.level == antq_domain::unit::UnitLevel::Province => {}
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(
                FieldErrors::single("province_code", format!("Không có tỉnh, thành phố mã «{province}».")).into()
            );
        }
        Err(e) => return Err(e.into()),
    }
    actor.require_in_scope(Permission::ApproveEvaluations, &province, None)?;
    let window = match input.year {
        Some(y) => crate::rules::value(ctx, RuleCode::ModelRatingWindow, Some(&province), ctx.today())
            .await?
            .and_then(|v| v.period_of(y)),
        None => None,
    };
    let f = input.validate(ctx.today(), window)?;
    let mut tx = ctx.db.begin().await?;
    let id = match ratings::insert_round(&mut tx, &province, &f, &actor.username, ctx.now()).await {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict(format!("Tỉnh này đã có đợt xếp loại mô hình năm {}.", f.year)));
        }
        r => r?,
    };
    let changes = [
        audit::note("year", f.year.to_string()),
        audit::note("window", format!("{} – {}", f.window_from, f.window_to)),
        audit::note("deadline", f.deadline.to_string()),
    ]
    .concat();
    audit::record(&mut tx, ctx, actor, AuditAction::Create, round_target(id, &province), &changes).await?;
    tx.commit().await?;
    round(ctx, actor, id).await
}

fn round_target(id: i64, province: &str) -> AuditTarget {
    AuditTarget::placed("rating_round", id, province, None)
}

fn sheet_target(s: &Sheet) -> AuditTarget {
    AuditTarget::placed(
        "rating_sheet",
        format!("{}/{}", s.round_id, s.unit_code),
        &s.province_code,
        s.commune_code.as_deref(),
    )
}

/// One sheet, checked against the actor's scope for `p`.
async fn sheet(ctx: &AppCtx, actor: &Actor, round_id: i64, unit: &str, p: Permission) -> AppResult<(Round, Sheet)> {
    let r = round(ctx, actor, round_id).await?;
    let s = ratings::sheets(&ctx.db, round_id, None)
        .await?
        .into_iter()
        .find(|s| s.unit_code == unit)
        .ok_or(AppError::NotFound("đơn vị trong đợt xếp loại"))?;
    actor.require_in_scope(p, &s.province_code, s.commune_code.as_deref())?;
    Ok((r, s))
}

/// Rules read once per round.
pub(crate) struct SheetRules {
    sets: Vec<CriteriaSet>,
    min_months: i64,
    bands: Option<antq_domain::rules::RuleValue>,
}

impl SheetRules {
    async fn load(ctx: &AppCtx, r: &Round) -> AppResult<SheetRules> {
        let min = crate::rules::value(ctx, RuleCode::ModelMinMonths, Some(&r.province_code), r.window_to).await?;
        Ok(SheetRules {
            sets: antq_store::rules::criteria_sets(&ctx.db).await?,
            min_months: min.and_then(|v| v.number()).unwrap_or(0),
            bands: crate::rules::value(ctx, RuleCode::ModelRatingBands, Some(&r.province_code), r.window_to).await?,
        })
    }

    fn set(&self, type_id: i64, r: &Round) -> Option<&CriteriaSet> {
        set_for(&self.sets, CriteriaSubject::Model, Some(type_id), &r.province_code, r.window_to)
    }

    /// The rating a score suggests under the set of `set_id`.
    fn suggest(&self, set_id: Option<i64>, rating: Option<&Rating>) -> Option<RatingLevel> {
        let (set, rating) = (self.sets.iter().find(|s| Some(s.id) == set_id)?, rating?);
        let code = self.bands.as_ref()?.band_for(rating.score, set.max_points())?;
        RatingLevel::from_code(code)
    }
}

async fn build_targets(ctx: &AppCtx, r: &Round, s: &Sheet, rules: &SheetRules) -> AppResult<Vec<Target>> {
    let rows = ratings::targets(&ctx.db, &s.province_code, s.commune_code.as_deref()).await?;
    let mut rated: HashMap<(i64, Option<i64>), Rating> = ratings::sheet_ratings(&ctx.db, r.id, &s.unit_code)
        .await?
        .into_iter()
        .map(|x| ((x.model_id, x.site_id), x))
        .collect();
    let mut out: Vec<Target> = rows
        .into_iter()
        .map(|t| Target {
            forced_reason: too_young(t.operating_since, r.window_to, rules.min_months),
            rating: rated.remove(&(t.model_id, t.site_id)),
            criteria_set_id: rules.set(t.type_id, r).map(|s| s.id),
            suggested: None,
            model_id: t.model_id,
            site_id: t.site_id,
            model_name: t.model_name,
            site_name: t.site_name,
            type_id: t.type_id,
            type_name: t.type_name,
            operating_since: t.operating_since,
        })
        .collect();
    // Ratings of models that are no longer active stay on the sheet they were entered on.
    let mut rest: Vec<Rating> = rated.into_values().collect();
    rest.sort_by(|a, b| (&a.model_name, a.model_id, &a.site_name).cmp(&(&b.model_name, b.model_id, &b.site_name)));
    out.extend(rest.into_iter().map(|x| Target {
        model_id: x.model_id,
        site_id: x.site_id,
        model_name: x.model_name.clone(),
        site_name: x.site_name.clone(),
        type_id: x.type_id,
        type_name: String::new(),
        operating_since: None,
        forced_reason: None,
        criteria_set_id: x.criteria_set_id,
        suggested: None,
        rating: Some(x),
    }));
    for t in &mut out {
        t.suggested = rules.suggest(t.criteria_set_id, t.rating.as_ref());
    }
    Ok(out)
}

/// A unit's sheet with its targets.
pub async fn sheet_view(ctx: &AppCtx, actor: &Actor, round_id: i64, unit: &str) -> AppResult<SheetView> {
    let (r, s) = sheet(ctx, actor, round_id, unit, Permission::ReadRegistry).await?;
    let rules = SheetRules::load(ctx, &r).await?;
    let targets = build_targets(ctx, &r, &s, &rules).await?;
    let mut used: Vec<i64> = targets.iter().filter_map(|t| t.criteria_set_id).collect();
    used.sort_unstable();
    used.dedup();
    let criteria_sets = rules.sets.iter().filter(|c| used.contains(&c.id)).cloned().collect();
    Ok(SheetView { round: r, sheet: s, targets, criteria_sets, min_months: rules.min_months })
}

/// Refuses changes to a sheet that is submitted or locked, or in an approved round.
fn check_editable(r: &Round, s: &Sheet) -> AppResult<()> {
    if r.state == RoundState::Approved {
        return Err(AppError::Conflict(format!(
            "Đợt xếp loại năm {} đã được duyệt toàn đợt và khoá; không thể nhập hoặc sửa xếp loại.",
            r.year
        )));
    }
    if !s.state.editable() {
        return Err(AppError::Conflict(format!(
            "Kết quả xếp loại của đơn vị đang ở trạng thái «{}»; không thể nhập hoặc sửa.",
            s.state.label()
        )));
    }
    Ok(())
}

/// Where a target belongs: `(sheet unit, the model's type, operating since)`, after checking
/// that the model (and site) exist, are active and lie in the round's province.
async fn locate(
    ctx: &AppCtx,
    r: &Round,
    model_id: i64,
    site_id: Option<i64>,
) -> AppResult<(String, i64, Option<chrono::NaiveDate>)> {
    let m = match antq_store::models::get(&ctx.db, ModelId(model_id)).await {
        Err(StoreError::NotFound) => {
            return Err(FieldErrors::single("model_id", format!("Không có mô hình số {model_id}.")).into());
        }
        r => r?,
    };
    if m.province_code != r.province_code {
        return Err(FieldErrors::single("model_id", "Mô hình không thuộc tỉnh của đợt xếp loại.").into());
    }
    if !m.state.is_active() {
        return Err(FieldErrors::single(
            "model_id",
            format!("Mô hình «{}» đang ở trạng thái «{}», không thuộc diện xếp loại.", m.name, m.state.label()),
        )
        .into());
    }
    let since = antq_store::models::events(&ctx.db, m.id)
        .await?
        .iter()
        .filter(|e| e.kind == antq_domain::model::ModelEventKind::RaMat)
        .map(|e| e.on_date)
        .min()
        .or(m.state_since);
    match site_id {
        None => Ok((m.commune_code.clone().unwrap_or(m.province_code.clone()), m.type_id, since)),
        Some(sid) => {
            let site = antq_store::models::sites(&ctx.db, m.id)
                .await?
                .into_iter()
                .find(|s| s.id.0 == sid)
                .ok_or_else(|| FieldErrors::single("site_id", format!("Mô hình không có điểm số {sid}.")))?;
            if site.state != antq_domain::model::SiteState::HoatDong {
                return Err(FieldErrors::single("site_id", format!("Điểm «{}» không còn hoạt động.", site.name)).into());
            }
            Ok((site.commune_code, m.type_id, site.started_on))
        }
    }
}

/// A checked rating ready to be written.
pub(crate) struct Checked {
    round: Round,
    sheet: Sheet,
    model_id: i64,
    site_id: Option<i64>,
    type_id: i64,
    set_id: Option<i64>,
    fields: RatingFields,
}

/// The rules of a round, loaded once for many checks.
pub(crate) async fn rules_for(ctx: &AppCtx, actor: &Actor, round_id: i64) -> AppResult<SheetRules> {
    SheetRules::load(ctx, &round(ctx, actor, round_id).await?).await
}

/// Checks a rating fully: target, sheet, scope, lock, scale and checklist.
pub(crate) async fn check(
    ctx: &AppCtx,
    actor: &Actor,
    round_id: i64,
    input: &RatingInput,
    rules: Option<&SheetRules>,
) -> AppResult<Checked> {
    actor.require(Permission::WriteRegistry)?;
    let Some(model_id) = input.model_id else {
        return Err(FieldErrors::single("model_id", "Chưa chọn mô hình.").into());
    };
    let r = round(ctx, actor, round_id).await?;
    let (unit, type_id, since) = locate(ctx, &r, model_id, input.site_id).await?;
    let (r, s) = sheet(ctx, actor, r.id, &unit, Permission::WriteRegistry).await?;
    check_editable(&r, &s)?;
    let loaded;
    let rules = match rules {
        Some(x) => x,
        None => {
            loaded = SheetRules::load(ctx, &r).await?;
            &loaded
        }
    };
    let set = rules.set(type_id, &r);
    let forced = too_young(since, r.window_to, rules.min_months);
    let fields = input.validate(set, forced.as_deref())?;
    Ok(Checked { set_id: set.map(|s| s.id), round: r, sheet: s, model_id, site_id: input.site_id, type_id, fields })
}

fn new_rating<'a>(c: &'a Checked) -> NewRating<'a> {
    NewRating {
        round_id: c.round.id,
        year: c.round.year,
        unit_code: &c.sheet.unit_code,
        province_code: &c.sheet.province_code,
        commune_code: c.sheet.commune_code.as_deref(),
        model_id: c.model_id,
        site_id: c.site_id,
        type_id: c.type_id,
        criteria_set_id: c.set_id,
        approved: false,
    }
}

fn rating_changes(before: Option<&Rating>, f: &RatingFields) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |field: &str, b: Option<String>, a: Option<String>| {
        if b != a {
            out.push(Change { field: field.into(), before: b, after: a });
        }
    };
    push("rating", before.map(|b| b.rating.label().into()), Some(f.rating.label().into()));
    push("score", before.map(|b| b.score.to_string()), Some(f.score.to_string()));
    push("note", before.and_then(|b| b.note.clone()), f.note.clone());
    out
}

fn rating_target(c: &Checked, id: i64) -> AuditTarget {
    AuditTarget::placed("model_rating", id, &c.sheet.province_code, c.sheet.commune_code.as_deref())
}

async fn insert_checked(tx: &mut Tx, ctx: &AppCtx, actor: &Actor, c: &Checked) -> AppResult<i64> {
    let id = match ratings::insert_rating(tx, &new_rating(c), &c.fields, &actor.username, ctx.now()).await {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict(
                "Mô hình (điểm) này đã được xếp loại trong đợt; hãy sửa xếp loại đã có thay vì nhập lần nữa.".into(),
            ));
        }
        r => r?,
    };
    let mut changes = rating_changes(None, &c.fields);
    changes.push(Change { field: "model_id".into(), before: None, after: Some(c.model_id.to_string()) });
    audit::record(tx, ctx, actor, AuditAction::Create, rating_target(c, id), &changes).await?;
    Ok(id)
}

async fn update_checked(tx: &mut Tx, ctx: &AppCtx, actor: &Actor, c: &Checked, before: &Rating) -> AppResult<()> {
    let changes = rating_changes(Some(before), &c.fields);
    if changes.is_empty() {
        return Ok(());
    }
    match ratings::update_rating(tx, before.id, &c.fields, &actor.username, ctx.now()).await {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict("Xếp loại này vừa được duyệt; không thể sửa.".into()));
        }
        r => r?,
    }
    audit::record(tx, ctx, actor, AuditAction::Update, rating_target(c, before.id), &changes).await
}

/// Records a new rating. A second rating of the same model (or site) in the round, a rating
/// outside the scale, or one on a submitted or locked sheet is refused and nothing is written.
#[tracing::instrument(skip_all, fields(round = round_id))]
pub async fn rate(ctx: &AppCtx, actor: &Actor, round_id: i64, input: &RatingInput) -> AppResult<Rating> {
    let c = check(ctx, actor, round_id, input, None).await?;
    let mut tx = ctx.db.begin().await?;
    let id = insert_checked(&mut tx, ctx, actor, &c).await?;
    tx.commit().await?;
    Ok(ratings::rating(&ctx.db, id).await?)
}

/// One rating, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Rating> {
    let x = ratings::rating(&ctx.db, id).await.not_found_as("kết quả xếp loại")?;
    actor.require_in_scope(Permission::ReadRegistry, &x.province_code, x.commune_code.as_deref())?;
    Ok(x)
}

/// Changes a rating while its sheet is open.
#[tracing::instrument(skip_all, fields(id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: i64, input: &RatingInput) -> AppResult<Rating> {
    let before = get(ctx, actor, id).await?;
    let input = RatingInput { model_id: Some(before.model_id), site_id: before.site_id, ..input.clone() };
    let c = check(ctx, actor, before.round_id, &input, None).await?;
    let mut tx = ctx.db.begin().await?;
    update_checked(&mut tx, ctx, actor, &c, &before).await?;
    tx.commit().await?;
    Ok(ratings::rating(&ctx.db, id).await?)
}

/// Records or changes the rating of a target (the sheet form).
pub async fn set(ctx: &AppCtx, actor: &Actor, round_id: i64, input: &RatingInput) -> AppResult<Rating> {
    let c = check(ctx, actor, round_id, input, None).await?;
    write_many(ctx, actor, std::slice::from_ref(&c)).await?;
    ratings::sheet_ratings(&ctx.db, round_id, &c.sheet.unit_code)
        .await?
        .into_iter()
        .find(|x| x.model_id == c.model_id && x.site_id == c.site_id)
        .ok_or(AppError::NotFound("kết quả xếp loại"))
}

/// Writes checked ratings in one transaction (an import): all or nothing.
pub(crate) async fn write_many(ctx: &AppCtx, actor: &Actor, checked: &[Checked]) -> AppResult<usize> {
    let mut existing: HashMap<(i64, String), Vec<Rating>> = HashMap::new();
    for c in checked {
        if let std::collections::hash_map::Entry::Vacant(e) = existing.entry((c.round.id, c.sheet.unit_code.clone())) {
            e.insert(ratings::sheet_ratings(&ctx.db, c.round.id, &c.sheet.unit_code).await?);
        }
    }
    let mut tx = ctx.db.begin().await?;
    for c in checked {
        let rows = &existing[&(c.round.id, c.sheet.unit_code.clone())];
        match rows.iter().find(|x| x.model_id == c.model_id && x.site_id == c.site_id) {
            Some(before) => update_checked(&mut tx, ctx, actor, c, before).await?,
            None => {
                insert_checked(&mut tx, ctx, actor, c).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(checked.len())
}

/// Submits a sheet: every target must be rated; targets that have not operated long enough
/// are recorded as "chưa đánh giá" with their reason.
#[tracing::instrument(skip_all, fields(round = round_id))]
pub async fn submit(ctx: &AppCtx, actor: &Actor, round_id: i64, unit: &str) -> AppResult<Sheet> {
    let (r, s) = sheet(ctx, actor, round_id, unit, Permission::WriteRegistry).await?;
    check_editable(&r, &s)?;
    let to = s.state.apply(SheetAction::Submit).map_err(AppError::Conflict)?;
    let rules = SheetRules::load(ctx, &r).await?;
    let targets = build_targets(ctx, &r, &s, &rules).await?;
    let missing: Vec<String> = targets
        .iter()
        .filter(|t| t.rating.is_none() && t.forced_reason.is_none())
        .map(|t| match &t.site_name {
            Some(site) => format!("{} — {}", t.model_name, site),
            None => t.model_name.clone(),
        })
        .collect();
    if !missing.is_empty() {
        let shown = missing.iter().take(10).cloned().collect::<Vec<_>>().join("; ");
        let more =
            if missing.len() > 10 { format!(" và {} mô hình khác", missing.len() - 10) } else { String::new() };
        return Err(FieldErrors::single(
            "ratings",
            format!("Còn {} mô hình, điểm chưa xếp loại: {shown}{more}.", missing.len()),
        )
        .into());
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    for t in targets.iter().filter(|t| t.rating.is_none()) {
        let reason = t.forced_reason.clone().unwrap_or_default();
        let c = Checked {
            round: r.clone(),
            sheet: s.clone(),
            model_id: t.model_id,
            site_id: t.site_id,
            type_id: t.type_id,
            set_id: t.criteria_set_id,
            fields: RatingFields {
                rating: RatingLevel::ChuaDanhGia,
                checklist: Default::default(),
                score: 0,
                note: Some(reason),
            },
        };
        insert_checked(&mut tx, ctx, actor, &c).await?;
    }
    move_sheet(&mut tx, ctx, actor, &s, to, None, AuditAction::Submit, now).await?;
    tx.commit().await?;
    Ok(sheet(ctx, actor, round_id, unit, Permission::ReadRegistry).await?.1)
}

#[allow(clippy::too_many_arguments)]
async fn move_sheet(
    tx: &mut Tx,
    ctx: &AppCtx,
    actor: &Actor,
    s: &Sheet,
    to: SheetState,
    comment: Option<&str>,
    action: AuditAction,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    match ratings::move_sheet(tx, s.round_id, &s.unit_code, s.state, to, comment, &actor.username, now).await {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict("Đơn vị vừa được người khác chuyển trạng thái; hãy tải lại trang.".into()));
        }
        r => r?,
    }
    let mut changes =
        vec![Change { field: "state".into(), before: Some(s.state.label().into()), after: Some(to.label().into()) }];
    if let Some(c) = comment {
        changes.extend(audit::note("comment", c));
    }
    audit::record(tx, ctx, actor, action, sheet_target(s), &changes).await
}

fn required_reason(field: &str, what: &str, text: Option<&str>) -> AppResult<String> {
    let mut e = FieldErrors::new();
    let t = antq_domain::validate::required_text(&mut e, field, what, text.unwrap_or(""), 2000);
    if e.is_empty() { Ok(t) } else { Err(e.into()) }
}

/// The province officer's step on a sheet: return (with a comment), approve, or unlock (with
/// a reason; the round re-opens if it was approved).
#[tracing::instrument(skip_all, fields(round = round_id))]
pub async fn review(
    ctx: &AppCtx,
    actor: &Actor,
    round_id: i64,
    unit: &str,
    action: SheetAction,
    comment: Option<&str>,
) -> AppResult<Sheet> {
    let (r, s) = sheet(ctx, actor, round_id, unit, Permission::ApproveEvaluations).await?;
    let comment = match action {
        SheetAction::Return => Some(required_reason("comment", "Lý do trả lại", comment)?),
        SheetAction::Unlock => Some(required_reason("comment", "Lý do mở khoá", comment)?),
        SheetAction::Approve => comment.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string),
        SheetAction::Submit => return Err(AppError::Forbidden("Nộp kết quả là việc của đơn vị.".into())),
    };
    if r.state == RoundState::Approved && action != SheetAction::Unlock {
        return Err(AppError::Conflict(format!("Đợt xếp loại năm {} đã được duyệt toàn đợt.", r.year)));
    }
    let to = s.state.apply(action).map_err(AppError::Conflict)?;
    let audit_action = match action {
        SheetAction::Return => AuditAction::Return,
        SheetAction::Approve => AuditAction::Approve,
        _ => AuditAction::Unlock,
    };
    let mut tx = ctx.db.begin().await?;
    move_sheet(&mut tx, ctx, actor, &s, to, comment.as_deref(), audit_action, ctx.now()).await?;
    if action == SheetAction::Unlock && r.state == RoundState::Approved {
        ratings::reopen_round(&mut tx, r.id).await?;
    }
    tx.commit().await?;
    Ok(sheet(ctx, actor, round_id, unit, Permission::ReadRegistry).await?.1)
}

/// Approves a whole round: every submitted sheet is approved and the round locked. Sheets
/// that have something to rate but were not submitted block the approval unless a note
/// explains a partial approval.
#[tracing::instrument(skip_all, fields(round = round_id))]
pub async fn approve_round(ctx: &AppCtx, actor: &Actor, round_id: i64, note: Option<&str>) -> AppResult<Round> {
    let r = round(ctx, actor, round_id).await?;
    actor.require_in_scope(Permission::ApproveEvaluations, &r.province_code, None)?;
    if r.state == RoundState::Approved {
        return Err(AppError::Conflict("Đợt xếp loại đã được duyệt.".into()));
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let all = ratings::sheets(&ctx.db, round_id, None).await?;
    let counts = target_counts(ctx, &r.province_code).await?;
    let pending: Vec<&Sheet> = all
        .iter()
        .filter(|s| matches!(s.state, SheetState::DangDanhGia | SheetState::TraLai))
        .filter(|s| s.rated > 0 || counts.get(&s.unit_code).copied().unwrap_or(0) > 0)
        .collect();
    if !pending.is_empty() && note.is_none() {
        let names = crate::units::names(ctx, pending.iter().map(|s| s.unit_code.clone())).await?;
        let shown: Vec<String> =
            pending.iter().take(10).map(|s| names.get(&s.unit_code).cloned().unwrap_or(s.unit_code.clone())).collect();
        return Err(FieldErrors::single(
            "note",
            format!(
                "Còn {} đơn vị chưa nộp kết quả ({}{}). Chờ các đơn vị nộp, hoặc ghi chú lý do để duyệt một phần.",
                pending.len(),
                shown.join(", "),
                if pending.len() > 10 { ", …" } else { "" }
            ),
        )
        .into());
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let mut approved = 0;
    for s in all.iter().filter(|s| s.state == SheetState::DaNop) {
        move_sheet(&mut tx, ctx, actor, s, SheetState::DaDuyet, None, AuditAction::Approve, now).await?;
        approved += 1;
    }
    match ratings::approve_round(&mut tx, r.id, note, &actor.username, now).await {
        Err(StoreError::Conflict) => return Err(AppError::Conflict("Đợt xếp loại vừa được duyệt.".into())),
        x => x?,
    }
    let mut changes = audit::note("sheets_approved", approved.to_string());
    changes.extend(audit::note("not_submitted", pending.len().to_string()));
    if let Some(n) = note {
        changes.extend(audit::note("note", n));
    }
    audit::record(&mut tx, ctx, actor, AuditAction::Approve, round_target(r.id, &r.province_code), &changes).await?;
    tx.commit().await?;
    round(ctx, actor, round_id).await
}

/// How many targets each unit of a province has now.
pub async fn target_counts(ctx: &AppCtx, province: &str) -> AppResult<HashMap<String, i64>> {
    Ok(antq_store::stats::rating_targets(&ctx.db, province).await?.into_iter().collect())
}

/// Approved "cần thanh loại" ratings without a decision, in the actor's scope.
pub async fn follow_ups(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<Rating>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(ratings::follow_ups(&ctx.db, actor.scope.province(), actor.scope.commune()).await?)
}

/// Decides on a model rated "cần thanh loại": consolidate (state → cần củng cố, with a
/// planned date) or eliminate (state → đã thanh loại, with the decision number). The model
/// moves along its lifecycle step by step, each step in its history, all in one transaction.
#[tracing::instrument(skip_all, fields(id))]
pub async fn decide_follow_up(ctx: &AppCtx, actor: &Actor, id: i64, input: &FollowUpInput) -> AppResult<Rating> {
    let x = get(ctx, actor, id).await?;
    let m = crate::models::get(ctx, actor, ModelId(x.model_id)).await?;
    actor.require_in_scope(Permission::WriteRegistry, &m.province_code, m.commune_code.as_deref())?;
    if x.rating != RatingLevel::CanThanhLoai || !x.approved {
        return Err(AppError::Conflict("Chỉ xử lý kết quả «Cần thanh loại» đã được duyệt.".into()));
    }
    if x.follow_up.is_some() {
        return Err(AppError::Conflict("Kết quả xếp loại này đã có quyết định xử lý.".into()));
    }
    let f = input.validate(ctx.today())?;
    if let Some(site) = x.site_id {
        return decide_site_follow_up(ctx, actor, &x, &m, SiteId(site), &f).await;
    }
    let goal = match f.decision {
        FollowUpDecision::CungCo => ModelState::CanCungCo,
        FollowUpDecision::ThanhLoai => ModelState::DaThanhLoai,
    };
    let path = path_to(m.state, goal).ok_or_else(|| {
        AppError::Conflict(format!(
            "Mô hình đang ở trạng thái «{}», không thể chuyển sang «{}».",
            m.state.label(),
            goal.label()
        ))
    })?;
    let note = match (f.decision, f.plan_date) {
        (FollowUpDecision::CungCo, Some(p)) => {
            format!("Theo kết quả xếp loại năm {}: củng cố, dự kiến hoàn thành {}", x.year, p.format("%d/%m/%Y"))
        }
        _ => format!("Theo kết quả xếp loại năm {}: thanh loại", x.year),
    };
    let note = match &f.note {
        Some(n) => format!("{note}. {n}"),
        None => note,
    };
    let mut tx = ctx.db.begin().await?;
    match ratings::set_follow_up(&mut tx, id, &f).await {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict("Kết quả xếp loại này vừa có quyết định xử lý.".into()));
        }
        r => r?,
    }
    let mut current = m.clone();
    for step in path {
        let t = TransitionInput {
            to: Some(step.code().into()),
            on_date: Some(f.on_date.to_string()),
            decision_no: if step == ModelState::DaThanhLoai { f.decision_no.clone() } else { None },
            note: Some(note.clone()),
        }
        .validate(current.state, current.state_since, ctx.today())?;
        crate::models::apply_transition(&mut tx, ctx, actor, &current, &t).await?;
        current.state = step;
        current.state_since = Some(f.on_date);
    }
    let mut changes = audit::note("follow_up", f.decision.label());
    if let Some(p) = f.plan_date {
        changes.extend(audit::note("plan_date", p.to_string()));
    }
    if let Some(d) = &f.decision_no {
        changes.extend(audit::note("decision_no", d));
    }
    let target = AuditTarget::placed("model_rating", id, &x.province_code, x.commune_code.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Record, target, &changes).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// The follow-up of a replication site rated "cần thanh loại": consolidate (the site keeps
/// operating until the planned date) or eliminate (the site becomes "đã thanh loại" by the
/// decision), recorded on the rating, in the model's history and in the audit trail.
async fn decide_site_follow_up(
    ctx: &AppCtx,
    actor: &Actor,
    x: &Rating,
    m: &antq_domain::model::Model,
    site: SiteId,
    f: &antq_domain::rating::FollowUp,
) -> AppResult<Rating> {
    let s = crate::models::site(ctx, m.id, site).await?;
    actor.require_in_scope(Permission::WriteRegistry, &s.province_code, Some(&s.commune_code))?;
    if s.state == SiteState::DaThanhLoai {
        return Err(AppError::Conflict(format!("Điểm «{}» đã thanh loại.", s.name)));
    }
    let summary = match (f.decision, f.plan_date) {
        (FollowUpDecision::CungCo, Some(p)) => format!(
            "Điểm «{}», theo kết quả xếp loại năm {}: củng cố, dự kiến hoàn thành {}",
            s.name,
            x.year,
            p.format("%d/%m/%Y")
        ),
        _ => format!(
            "Điểm «{}», theo kết quả xếp loại năm {}: thanh loại (quyết định {} ngày {})",
            s.name,
            x.year,
            f.decision_no.as_deref().unwrap_or(""),
            f.on_date.format("%d/%m/%Y")
        ),
    };
    let summary = match &f.note {
        Some(n) => format!("{summary}. {n}"),
        None => summary,
    };
    let mut tx = ctx.db.begin().await?;
    match ratings::set_follow_up(&mut tx, x.id, f).await {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict("Kết quả xếp loại này vừa có quyết định xử lý.".into()));
        }
        r => r?,
    }
    if f.decision == FollowUpDecision::ThanhLoai {
        antq_store::models::set_site_state(&mut tx, site, SiteState::DaThanhLoai).await?;
    }
    crate::models::record_history(&mut tx, ctx, actor, m, "site", &summary).await?;
    let mut changes = audit::note("follow_up", f.decision.label());
    changes.extend(audit::note("site", site.to_string()));
    if let Some(d) = &f.decision_no {
        changes.extend(audit::note("decision_no", d));
    }
    let target = AuditTarget::placed("model_rating", x.id, &x.province_code, x.commune_code.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Record, target, &changes).await?;
    tx.commit().await?;
    get(ctx, actor, x.id).await
}

/// The lifecycle steps from `from` to `to` (empty when already there), shortest first.
fn path_to(from: ModelState, to: ModelState) -> Option<Vec<ModelState>> {
    let mut queue = std::collections::VecDeque::from([(from, Vec::new())]);
    let mut seen = vec![from];
    while let Some((s, path)) = queue.pop_front() {
        if s == to {
            return Some(path);
        }
        for n in s.next_states() {
            if !seen.contains(n) {
                seen.push(*n);
                let mut p = path.clone();
                p.push(*n);
                queue.push_back((*n, p));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_paths() {
        use ModelState::*;
        assert_eq!(path_to(HoatDong, DaThanhLoai), Some(vec![CanCungCo, DaThanhLoai]));
        assert_eq!(path_to(DaRaMat, CanCungCo), Some(vec![HoatDong, CanCungCo]));
        assert_eq!(path_to(CanCungCo, CanCungCo), Some(vec![]));
        assert_eq!(path_to(DaThanhLoai, CanCungCo), None);
    }
}
