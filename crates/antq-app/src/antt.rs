//! "An toàn về ANTT" recognition (C5): registration in quarter I, self-evaluation in the
//! subject's period, dossier, appraisal, decision and revocation; the commune's computed
//! conditions, with a province officer's override.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::antt::{
    AnttDocument, AnttRecord, AnttStep, AnttSubject, CommuneConditions, DecisionInput, EvaluationInput,
    RegistrationInput, RevocationInput,
};
use antq_domain::audit::AuditAction;
use antq_domain::model::Change;
use antq_domain::page::{Page, PageRequest};
use antq_domain::rating::{CriteriaSet, set_for};
use antq_domain::rules::{RuleCode, required_date};
use antq_domain::validate::{optional_text, required_text};
use antq_store::antt::{self, AnttFilter, NewRecord};
use antq_store::{StoreError, Tx};
use chrono::NaiveDate;

use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// List filters as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AnttQuery {
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

/// Records in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &AnttQuery, page: PageRequest) -> AppResult<Page<AnttRecord>> {
    Ok(antt::list_page(&ctx.db, &filter(actor, q)?, page).await?)
}

/// Every record matching the query in scope (a commune's, for its page).
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &AnttQuery) -> AppResult<Vec<AnttRecord>> {
    Ok(antt::list(&ctx.db, &filter(actor, q)?).await?)
}

fn filter(actor: &Actor, q: &AnttQuery) -> AppResult<AnttFilter> {
    actor.require(Permission::ReadRegistry)?;
    let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let (province, commune) = actor.narrow(blank(&q.province), blank(&q.commune))?;
    Ok(AnttFilter { year: q.year, province, commune, subject: blank(&q.subject), state: blank(&q.state) })
}

/// One record, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<AnttRecord> {
    let r = antt::get(&ctx.db, id).await.not_found_as("hồ sơ «An toàn về ANTT»")?;
    actor.require_in_scope(Permission::ReadRegistry, &r.province_code, Some(&r.commune_code))?;
    Ok(r)
}

/// A record with everything its page shows.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AnttDetail {
    /// The record.
    pub record: AnttRecord,
    /// Dossier documents.
    pub documents: Vec<AnttDocument>,
    /// The criteria set of its checklist.
    pub criteria_set: Option<CriteriaSet>,
    /// The evaluation period of its subject and year.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// For a commune: its computed conditions.
    pub conditions: Option<CommuneConditions>,
}

/// The record with its documents, criteria, period and (for a commune) conditions.
pub async fn detail(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<AnttDetail> {
    let record = get(ctx, actor, id).await?;
    let period = period(ctx, &record).await?;
    let criteria_set = criteria_set(ctx, &record).await?;
    let conditions = match record.subject {
        AnttSubject::Xa => Some(conditions(ctx, &record.province_code, &record.commune_code, record.year).await?),
        _ => None,
    };
    Ok(AnttDetail { documents: antt::documents(&ctx.db, id).await?, record, criteria_set, period, conditions })
}

async fn period(ctx: &AppCtx, r: &AnttRecord) -> AppResult<Option<(NaiveDate, NaiveDate)>> {
    let day = NaiveDate::from_ymd_opt(r.year, 1, 1).unwrap_or(ctx.today());
    Ok(crate::rules::value(ctx, r.subject.window_rule(), Some(&r.province_code), day)
        .await?
        .and_then(|v| v.period_of(r.year)))
}

async fn criteria_set(ctx: &AppCtx, r: &AnttRecord) -> AppResult<Option<CriteriaSet>> {
    let sets = antq_store::rules::criteria_sets(&ctx.db).await?;
    let day = period(ctx, r).await?.map(|p| p.1).unwrap_or(ctx.today());
    Ok(set_for(&sets, r.subject.criteria_subject(), None, &r.province_code, day).cloned())
}

/// The commune's conditions for `year` (TT 124 Điều 5 khoản 1 and 4), with their inputs.
pub async fn conditions(ctx: &AppCtx, province: &str, commune: &str, year: i32) -> AppResult<CommuneConditions> {
    let day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(ctx.today());
    let pct = |code| async move {
        crate::rules::value(ctx, code, Some(province), day).await.map(|v| v.and_then(|v| v.number()).unwrap_or(100))
    };
    let reg = pct(RuleCode::AnttCommuneRegisteredPct).await?;
    let rec = pct(RuleCode::AnttCommuneRecognisedPct).await?;
    let (units, registered, recognised) = antt::commune_counts(&ctx.db, commune, year).await?;
    let models = antt::effective_models(&ctx.db, commune, year).await?;
    Ok(CommuneConditions::evaluate(units, registered, recognised, models, (reg, rec)))
}

/// Who the registration is for: `(subject, province, commune, name)`.
pub(crate) async fn resolve_subject(
    ctx: &AppCtx,
    input: &RegistrationInput,
    errs: &mut FieldErrors,
) -> AppResult<Option<(AnttSubject, String, String, String)>> {
    if let Some(id) = input.area_id {
        return match antq_store::areas::get(&ctx.db, antq_domain::ids::AreaId(id)).await {
            Ok(a) if a.valid_to.is_some() => {
                errs.add("area_id", format!("Khu dân cư «{}» đã thôi hiệu lực.", a.name));
                Ok(None)
            }
            Ok(a) => Ok(Some((AnttSubject::KhuDanCu, a.province_code, a.commune_code, a.name))),
            Err(StoreError::NotFound) => {
                errs.add("area_id", format!("Không có khu dân cư số {id}."));
                Ok(None)
            }
            Err(e) => Err(e.into()),
        };
    }
    if let Some(id) = input.establishment_id {
        return match antq_store::establishments::get(&ctx.db, antq_domain::ids::EstablishmentId(id)).await {
            Ok(e) if e.valid_to.is_some() => {
                errs.add("establishment_id", format!("«{}» đã thôi hiệu lực.", e.name));
                Ok(None)
            }
            Ok(e) => match &e.antt_exclusion {
                Some(why) => {
                    errs.add(
                        "establishment_id",
                        format!("«{}» không thuộc đối tượng xét công nhận (TT 124/2021 Điều 1): {why}.", e.name),
                    );
                    Ok(None)
                }
                None => Ok(Some((AnttSubject::of_establishment(e.kind), e.province_code, e.commune_code, e.name))),
            },
            Err(StoreError::NotFound) => {
                errs.add("establishment_id", format!("Không có cơ quan, doanh nghiệp, trường học số {id}."));
                Ok(None)
            }
            Err(e) => Err(e.into()),
        };
    }
    let Some(code) = input.commune_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        errs.add("subject", "Chọn khu dân cư, cơ quan, doanh nghiệp, trường học hoặc xã đăng ký.");
        return Ok(None);
    };
    match crate::units::commune_place(ctx, code, "commune_code").await {
        Ok((p, c)) => {
            let name = crate::units::names(ctx, [c.clone()]).await?.remove(&c).unwrap_or(c.clone());
            Ok(Some((AnttSubject::Xa, p, c, name)))
        }
        Err(AppError::Invalid(e)) => {
            errs.0.extend(e.0);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Registers a subject for a year: within the registration period (quarter I), with 100 % of
/// households for a residential area, never for an excluded establishment.
#[tracing::instrument(skip_all)]
pub async fn register(ctx: &AppCtx, actor: &Actor, input: &RegistrationInput) -> AppResult<AnttRecord> {
    actor.require(Permission::WriteRegistry)?;
    let mut errs = FieldErrors::new();
    let year = match input.year {
        Some(y) if (2000..=2100).contains(&y) => Some(y),
        _ => {
            errs.add("year", "Chưa nhập năm đăng ký (từ 2000 đến 2100).");
            None
        }
    };
    let registered_on = required_date(&mut errs, "registered_on", "Ngày đăng ký", input.registered_on.as_deref());
    if registered_on.is_some_and(|d| d > ctx.today()) {
        errs.add("registered_on", "Ngày đăng ký không được sau ngày hôm nay.");
    }
    let note = optional_text(&mut errs, "note", "Ghi chú", input.note.as_deref(), 2000);
    let subject = resolve_subject(ctx, input, &mut errs).await?;
    if let (Some((kind, province, ..)), Some(year), Some(on)) = (&subject, year, registered_on) {
        let day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(on);
        if let Some((a, b)) = crate::rules::value(ctx, RuleCode::AnttRegistration, Some(province), day)
            .await?
            .and_then(|v| v.period_of(year))
            && (on < a || on > b)
        {
            errs.add(
                "registered_on",
                format!(
                    "Đăng ký năm {year} phải trong thời hạn {} – {} (quý I, TT 124/2021 Điều 4–7).",
                    a.format("%d/%m/%Y"),
                    b.format("%d/%m/%Y")
                ),
            );
        }
        if *kind == AnttSubject::KhuDanCu {
            let need = crate::rules::value(ctx, RuleCode::AnttHouseholdsPct, Some(province), day)
                .await?
                .and_then(|v| v.number())
                .unwrap_or(100);
            match input.households_pct {
                None => errs.add("households_pct", "Nhập tỷ lệ hộ gia đình đã đăng ký tham gia (%)."),
                Some(p) if !(0..=100).contains(&p) => errs.add("households_pct", "Tỷ lệ hộ gia đình phải từ 0 đến 100."),
                Some(p) if p < need => errs.add(
                    "households_pct",
                    format!("Mới {p}% hộ gia đình đăng ký; khu dân cư phải có {need}% hộ đăng ký (TT 124/2021 Điều 4 khoản 1)."),
                ),
                Some(_) => {}
            }
        }
    }
    let (Some((kind, province, commune, name)), Some(year), Some(registered_on)) = (subject, year, registered_on)
    else {
        return Err(errs.into());
    };
    if !errs.is_empty() {
        return Err(errs.into());
    }
    actor.require_in_scope(Permission::WriteRegistry, &province, Some(&commune))?;
    let new = NewRecord {
        year,
        subject: kind,
        area_id: input.area_id,
        establishment_id: input.establishment_id.filter(|_| input.area_id.is_none()),
        province_code: &province,
        commune_code: &commune,
        subject_name: &name,
        registered_on,
        households_pct: input.households_pct.filter(|_| kind == AnttSubject::KhuDanCu),
        note: note.as_deref(),
    };
    let mut tx = ctx.db.begin().await?;
    let id = match antt::insert(&mut tx, &new, &actor.username, ctx.now()).await {
        Err(StoreError::Conflict) => return Err(AppError::Conflict(format!("«{name}» đã đăng ký năm {year}."))),
        r => r?,
    };
    let changes =
        [audit::note("subject", kind.label()), audit::note("name", &name), audit::note("year", year.to_string())]
            .concat();
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target(id, &province, &commune), &changes).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

fn target(id: i64, province: &str, commune: &str) -> Target {
    Target::placed("antt_record", id, province, Some(commune))
}

/// The permission a step on this record needs: a commune's own recognition is decided at the
/// province (approval permission); everything else by the unit's officers.
fn step_permission(r: &AnttRecord, step: AnttStep) -> Permission {
    match (r.subject, step) {
        (AnttSubject::Xa, AnttStep::Appraise | AnttStep::Decide(_) | AnttStep::Revoke) => {
            Permission::ApproveEvaluations
        }
        _ => Permission::WriteRegistry,
    }
}

/// Checks scope, permission and the workflow for `step`.
async fn begin(ctx: &AppCtx, actor: &Actor, id: i64, step: AnttStep) -> AppResult<AnttRecord> {
    let r = get(ctx, actor, id).await?;
    actor.require_in_scope(step_permission(&r, step), &r.province_code, Some(&r.commune_code))?;
    r.state.apply(step).map_err(AppError::Conflict)?;
    Ok(r)
}

async fn finish(
    tx: Tx,
    ctx: &AppCtx,
    actor: &Actor,
    r: &AnttRecord,
    action: AuditAction,
    changes: Vec<Change>,
) -> AppResult<AnttRecord> {
    let mut tx = tx;
    audit::record(&mut tx, ctx, actor, action, target(r.id, &r.province_code, &r.commune_code), &changes).await?;
    tx.commit().await?;
    get(ctx, actor, r.id).await
}

fn raced(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict => AppError::Conflict("Hồ sơ vừa được người khác cập nhật; hãy tải lại trang.".into()),
        other => other.into(),
    }
}

/// Records the self-evaluation: dated within the subject's period, checklist of its set.
#[tracing::instrument(skip_all, fields(id))]
pub async fn evaluate(ctx: &AppCtx, actor: &Actor, id: i64, input: &EvaluationInput) -> AppResult<AnttRecord> {
    let r = begin(ctx, actor, id, AnttStep::Evaluate).await?;
    let Some(p) = period(ctx, &r).await? else {
        return Err(AppError::Internal("thiếu quy định kỳ đánh giá".into()));
    };
    let set = criteria_set(ctx, &r).await?;
    let e = input.validate(set.as_ref(), p)?;
    let mut tx = ctx.db.begin().await?;
    antt::evaluate(&mut tx, id, r.state, &e, set.as_ref().map(|s| s.id), ctx.now()).await.map_err(raced)?;
    let met = e.checklist.keys().cloned().collect::<Vec<_>>().join(", ");
    let changes = [audit::note("evaluated_on", e.evaluated_on.to_string()), audit::note("criteria_met", met)].concat();
    finish(tx, ctx, actor, &r, AuditAction::Update, changes).await
}

/// Files the dossier (today).
pub async fn submit(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<AnttRecord> {
    let r = begin(ctx, actor, id, AnttStep::Submit).await?;
    if antt::documents(&ctx.db, id).await?.is_empty() {
        return Err(
            FieldErrors::single("documents", "Hồ sơ phải có ít nhất một tài liệu (tờ trình, biên bản họp …).").into()
        );
    }
    let mut tx = ctx.db.begin().await?;
    antt::submit(&mut tx, id, ctx.today(), ctx.now()).await.map_err(raced)?;
    finish(tx, ctx, actor, &r, AuditAction::Submit, audit::note("submitted_on", ctx.today().to_string())).await
}

/// Starts the appraisal.
pub async fn appraise(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<AnttRecord> {
    let r = begin(ctx, actor, id, AnttStep::Appraise).await?;
    let mut tx = ctx.db.begin().await?;
    antt::appraise(&mut tx, id, ctx.now()).await.map_err(raced)?;
    finish(tx, ctx, actor, &r, AuditAction::Transition, audit::note("state", "Đang thẩm định")).await
}

/// Records the decision. "Đạt" needs every criterion met; for a commune it also needs the
/// computed conditions, unless a province officer records an override with a reason.
#[tracing::instrument(skip_all, fields(id))]
pub async fn decide(ctx: &AppCtx, actor: &Actor, id: i64, input: &DecisionInput) -> AppResult<AnttRecord> {
    let recognised = input.result.as_deref().map(str::trim) == Some("dat");
    let r = begin(ctx, actor, id, AnttStep::Decide(recognised)).await?;
    let d = input.validate(r.evaluated_on, ctx.today())?;
    if d.recognised {
        let set = criteria_set(ctx, &r).await?;
        let missing: Vec<String> = set
            .iter()
            .flat_map(|s| s.criteria.iter())
            .filter(|c| !r.checklist.contains_key(&c.code))
            .map(|c| c.code.clone())
            .collect();
        if !missing.is_empty() {
            return Err(FieldErrors::single(
                "result",
                format!(
                    "Chưa đạt đủ tiêu chí khi tự đánh giá (thiếu {}); không thể công nhận đạt.",
                    missing.join(", ")
                ),
            )
            .into());
        }
        if r.subject == AnttSubject::Xa {
            let c = conditions(ctx, &r.province_code, &r.commune_code, r.year).await?;
            if !c.met && d.override_reason.is_none() {
                return Err(FieldErrors::single(
                    "override_reason",
                    format!(
                        "Xã chưa đủ điều kiện: {} Chỉ công nhận đạt khi Công an tỉnh ghi lý do.",
                        c.failures.join(" ")
                    ),
                )
                .into());
            }
        }
    }
    let override_reason = d.override_reason.clone().filter(|_| d.recognised && r.subject == AnttSubject::Xa);
    let d = antq_domain::antt::Decision { override_reason: override_reason.clone(), ..d };
    let mut tx = ctx.db.begin().await?;
    antt::decide(&mut tx, id, &d, ctx.now()).await.map_err(raced)?;
    let mut changes = [
        audit::note("result", if d.recognised { "Đạt" } else { "Chưa đạt" }),
        audit::note("decision_no", &d.decision_no),
        audit::note("authority", &d.authority),
    ]
    .concat();
    if let Some(o) = &override_reason {
        changes.extend(audit::note("override_reason", o));
    }
    finish(tx, ctx, actor, &r, AuditAction::Approve, changes).await
}

/// Revokes a recognition, with reason, decision number and date.
pub async fn revoke(ctx: &AppCtx, actor: &Actor, id: i64, input: &RevocationInput) -> AppResult<AnttRecord> {
    let r = begin(ctx, actor, id, AnttStep::Revoke).await?;
    let mut e = FieldErrors::new();
    let reason = required_text(&mut e, "reason", "Lý do thu hồi", input.reason.as_deref().unwrap_or(""), 2000);
    let decision_no =
        required_text(&mut e, "decision_no", "Số quyết định", input.decision_no.as_deref().unwrap_or(""), 100);
    let on = required_date(&mut e, "on_date", "Ngày thu hồi", input.on_date.as_deref());
    if on.is_some_and(|d| d > ctx.today() || r.decided_on.is_some_and(|x| d < x)) {
        e.add("on_date", "Ngày thu hồi phải sau ngày công nhận và không sau hôm nay.");
    }
    let Some(on) = on.filter(|_| e.is_empty()) else { return Err(e.into()) };
    let mut tx = ctx.db.begin().await?;
    antt::revoke(&mut tx, id, on, &reason, &decision_no, ctx.now()).await.map_err(raced)?;
    let changes = [audit::note("reason", &reason), audit::note("decision_no", &decision_no)].concat();
    finish(tx, ctx, actor, &r, AuditAction::Retire, changes).await
}

/// Adds a dossier document (type-checked by content, size-limited).
pub async fn add_document(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    title: Option<&str>,
    file: crate::models::Upload,
) -> AppResult<AnttDocument> {
    let r = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &r.province_code, Some(&r.commune_code))?;
    let mut e = FieldErrors::new();
    let title = required_text(&mut e, "title", "Tên tài liệu", title.unwrap_or(""), 300);
    let ctype = match antq_domain::model::check_document_file(&file.name, &file.bytes) {
        Ok(t) => Some(t),
        Err(m) => {
            e.add("file", m);
            None
        }
    };
    let Some(ctype) = ctype.filter(|_| e.is_empty()) else { return Err(e.into()) };
    let name = crate::models::sanitize_file_name(&file.name);
    let mut tx = ctx.db.begin().await?;
    let doc = antt::insert_document(&mut tx, &r, &title, name, ctype, &file.bytes, &actor.username, ctx.now()).await?;
    audit::record(
        &mut tx,
        ctx,
        actor,
        AuditAction::Record,
        target(id, &r.province_code, &r.commune_code),
        &audit::note("document", &title),
    )
    .await?;
    tx.commit().await?;
    antt::documents(&ctx.db, id).await?.into_iter().find(|d| d.id == doc).ok_or(AppError::NotFound("tài liệu"))
}

/// A dossier document's `(name, content type, bytes)`.
pub async fn document_file(ctx: &AppCtx, actor: &Actor, id: i64, doc: i64) -> AppResult<(String, String, Vec<u8>)> {
    get(ctx, actor, id).await?;
    antt::document_file(&ctx.db, id, doc).await.not_found_as("tài liệu")
}
