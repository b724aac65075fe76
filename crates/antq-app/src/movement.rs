//! Movement classification (C6; QĐ 510) and exemplary units (C7).

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::antt::{AnttSubject, RegistrationInput};
use antq_domain::audit::AuditAction;
use antq_domain::exemplar::{Exemplar, ExemplarInput, ExemplarKind, ExemplarResultInput, registration_texts};
use antq_domain::movement::{
    Classification, ClassificationDecisionInput, ClassificationState, ClassificationStep, MovementSubject, ScoresInput,
    class_for, days_left,
};
use antq_domain::rating::{CriteriaSet, set_for};
use antq_domain::rules::{RuleCode, required_date};
use antq_store::movement::{self, NewClassification};
use antq_store::{StoreError, exemplars};
use chrono::NaiveDate;

use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// Classifications of a year in the actor's scope (optionally one commune).
pub async fn list(ctx: &AppCtx, actor: &Actor, year: i32, commune: Option<String>) -> AppResult<Vec<Classification>> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(None, commune)?;
    Ok(movement::list(&ctx.db, year, province.as_deref(), commune.as_deref()).await?)
}

/// One classification, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Classification> {
    let c = movement::get(&ctx.db, id).await.not_found_as("phân loại phong trào")?;
    actor.require_in_scope(Permission::ReadRegistry, &c.province_code, Some(&c.commune_code))?;
    Ok(c)
}

/// A classification with its score sheet and deadline.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ClassificationDetail {
    /// The classification.
    pub classification: Classification,
    /// Its score sheet.
    pub sheet: Option<CriteriaSet>,
    /// Deadline of the subject type (QĐ 510 Điều 11 khoản 3).
    pub deadline: Option<NaiveDate>,
    /// Days until the deadline (negative: overdue).
    pub days_left: Option<i64>,
}

/// The classification with its sheet and countdown.
pub async fn detail(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<ClassificationDetail> {
    let classification = get(ctx, actor, id).await?;
    let sheet = sheet(ctx, classification.subject, &classification.province_code, classification.year).await?;
    let deadline = deadline(ctx, classification.subject, &classification.province_code, classification.year).await?;
    Ok(ClassificationDetail { days_left: deadline.map(|d| days_left(d, ctx.today())), classification, sheet, deadline })
}

/// The deadline of a subject type in a province and year.
pub async fn deadline(
    ctx: &AppCtx,
    subject: MovementSubject,
    province: &str,
    year: i32,
) -> AppResult<Option<NaiveDate>> {
    let day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(ctx.today());
    Ok(crate::rules::value(ctx, subject.deadline_rule(), Some(province), day).await?.and_then(|v| v.date_in(year)))
}

async fn sheet(ctx: &AppCtx, subject: MovementSubject, province: &str, year: i32) -> AppResult<Option<CriteriaSet>> {
    let sets = antq_store::rules::criteria_sets(&ctx.db).await?;
    let day = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(ctx.today());
    Ok(set_for(&sets, subject.criteria_subject(), None, province, day).cloned())
}

fn movement_subject(s: AnttSubject) -> MovementSubject {
    match s {
        AnttSubject::KhuDanCu => MovementSubject::KhuDanCu,
        AnttSubject::Xa => MovementSubject::Xa,
        _ => MovementSubject::CoSo,
    }
}

fn target(c: &Classification) -> Target {
    Target::placed("movement_classification", c.id, &c.province_code, Some(&c.commune_code))
}

/// Starts the self-scoring of a residential area (`area_id`), an establishment
/// (`establishment_id`) or a commune (`commune_code`) for a year.
#[tracing::instrument(skip_all)]
pub async fn start(ctx: &AppCtx, actor: &Actor, input: &RegistrationInput) -> AppResult<Classification> {
    actor.require(Permission::WriteRegistry)?;
    let mut errs = FieldErrors::new();
    let year = input.year.filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errs.add("year", "Chưa nhập năm phân loại (từ 2000 đến 2100).");
    }
    let subject = crate::antt::resolve_subject(ctx, input, &mut errs).await?;
    let (Some((kind, province, commune, name)), Some(year)) = (subject, year) else { return Err(errs.into()) };
    if !errs.is_empty() {
        return Err(errs.into());
    }
    actor.require_in_scope(Permission::WriteRegistry, &province, Some(&commune))?;
    let subject = movement_subject(kind);
    let sheet = sheet(ctx, subject, &province, year).await?;
    let new = NewClassification {
        year,
        subject,
        area_id: input.area_id,
        establishment_id: input.establishment_id.filter(|_| input.area_id.is_none()),
        province_code: &province,
        commune_code: &commune,
        subject_name: &name,
        criteria_set_id: sheet.as_ref().map(|s| s.id),
        max: sheet.as_ref().map_or(0, CriteriaSet::max_points),
    };
    let mut tx = ctx.db.begin().await?;
    let id = match movement::insert(&mut tx, &new, &actor.username, ctx.now()).await {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict(format!("«{name}» đã có phân loại phong trào năm {year}.")));
        }
        r => r?,
    };
    let t = Target::placed("movement_classification", id, &province, Some(&commune));
    audit::record(&mut tx, ctx, actor, AuditAction::Create, t, &audit::note("name", &name)).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// The permission a step needs: a commune's own classification is reviewed and decided at
/// the province; residential areas and establishments at the commune.
fn step_permission(c: &Classification, step: ClassificationStep) -> Permission {
    match (c.subject, step) {
        (MovementSubject::Xa, ClassificationStep::Return | ClassificationStep::Review | ClassificationStep::Decide) => {
            Permission::ApproveEvaluations
        }
        _ => Permission::WriteRegistry,
    }
}

async fn begin(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    step: ClassificationStep,
) -> AppResult<(Classification, ClassificationState)> {
    let c = get(ctx, actor, id).await?;
    actor.require_in_scope(step_permission(&c, step), &c.province_code, Some(&c.commune_code))?;
    let to = c.state.apply(step).map_err(AppError::Conflict)?;
    Ok((c, to))
}

fn raced(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict => AppError::Conflict("Phân loại vừa được người khác cập nhật; hãy tải lại trang.".into()),
        other => other.into(),
    }
}

/// Enters the scores; the proposed class follows from the bands (rule `pt_bands`).
#[tracing::instrument(skip_all, fields(id))]
pub async fn score(ctx: &AppCtx, actor: &Actor, id: i64, input: &ScoresInput) -> AppResult<Classification> {
    let (c, _) = begin(ctx, actor, id, ClassificationStep::Score).await?;
    let Some(sheet) = sheet(ctx, c.subject, &c.province_code, c.year).await? else {
        return Err(AppError::Conflict("Chưa có bảng điểm cho đối tượng này.".into()));
    };
    let s = input.validate(&sheet)?;
    let day = NaiveDate::from_ymd_opt(c.year, 12, 31).unwrap_or(ctx.today());
    let bands = crate::rules::value(ctx, RuleCode::PtBands, Some(&c.province_code), day).await?;
    let class = class_for(bands.as_ref(), s.total, s.max);
    let mut tx = ctx.db.begin().await?;
    movement::score(&mut tx, id, &s, class, ctx.now()).await.map_err(raced)?;
    let changes = [
        audit::note("total", format!("{}/{}", s.total, s.max)),
        audit::note("proposed_class", class.map(|c| c.label()).unwrap_or("")),
    ]
    .concat();
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target(&c), &changes).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Proposes (needs scores), returns (needs a comment) or reviews a classification.
#[tracing::instrument(skip_all, fields(id))]
pub async fn step(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    step: ClassificationStep,
    comment: Option<&str>,
) -> AppResult<Classification> {
    let (c, to) = begin(ctx, actor, id, step).await?;
    let comment = comment.map(str::trim).filter(|s| !s.is_empty());
    match step {
        ClassificationStep::Propose if c.scores.is_empty() => {
            return Err(FieldErrors::single("scores", "Chưa chấm điểm; hãy nhập bảng điểm trước khi đề xuất.").into());
        }
        ClassificationStep::Return if comment.is_none() => {
            return Err(FieldErrors::single("comment", "Trả lại phải ghi lý do.").into());
        }
        ClassificationStep::Score | ClassificationStep::Decide => {
            return Err(AppError::Conflict("Thao tác không hợp lệ.".into()));
        }
        _ => {}
    }
    let proposed_on = (step == ClassificationStep::Propose).then(|| ctx.today());
    let mut tx = ctx.db.begin().await?;
    movement::step(&mut tx, id, c.state, to, proposed_on, comment, ctx.now()).await.map_err(raced)?;
    let action = match step {
        ClassificationStep::Propose => AuditAction::Submit,
        ClassificationStep::Return => AuditAction::Return,
        _ => AuditAction::Transition,
    };
    let mut changes = audit::note("state", to.label());
    if let Some(m) = comment {
        changes.extend(audit::note("comment", m));
    }
    audit::record(&mut tx, ctx, actor, action, target(&c), &changes).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Records the classification decision (class defaults to the proposed one).
#[tracing::instrument(skip_all, fields(id))]
pub async fn decide(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    input: &ClassificationDecisionInput,
) -> AppResult<Classification> {
    let (c, _) = begin(ctx, actor, id, ClassificationStep::Decide).await?;
    let d = input.validate(c.proposed_class, ctx.today())?;
    let mut tx = ctx.db.begin().await?;
    movement::decide(&mut tx, id, &d, ctx.now()).await.map_err(raced)?;
    let changes = [audit::note("class", d.class.label()), audit::note("decision_no", &d.decision_no)].concat();
    audit::record(&mut tx, ctx, actor, AuditAction::Approve, target(&c), &changes).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Exemplary unit registrations of a year in the actor's scope.
pub async fn exemplars(ctx: &AppCtx, actor: &Actor, year: i32, commune: Option<String>) -> AppResult<Vec<Exemplar>> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(None, commune)?;
    Ok(exemplars::list(&ctx.db, year, province.as_deref(), commune.as_deref()).await?)
}

/// Registers an exemplary unit for a year: an establishment (`establishment_id`), the commune
/// or ward itself (`kind` = `commune`) or its police (`kind` = `cong_an_xa`).
#[tracing::instrument(skip_all)]
pub async fn register_exemplar(ctx: &AppCtx, actor: &Actor, input: &ExemplarInput) -> AppResult<Exemplar> {
    actor.require(Permission::WriteRegistry)?;
    let mut e = FieldErrors::new();
    let year = input.year.filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        e.add("year", "Chưa nhập năm đăng ký (từ 2000 đến 2100).");
    }
    let on = required_date(&mut e, "registered_on", "Ngày đăng ký", input.registered_on.as_deref());
    if on.is_some_and(|d| d > ctx.today()) {
        e.add("registered_on", "Ngày đăng ký không được sau ngày hôm nay.");
    }
    let (field, note) = registration_texts(input, &mut e);
    let unit = match input.establishment_id {
        Some(id) => match antq_store::establishments::get(&ctx.db, antq_domain::ids::EstablishmentId(id)).await {
            Ok(x) => {
                let kind = match x.kind {
                    antq_domain::establishment::EstablishmentKind::CoQuan => ExemplarKind::CoQuan,
                    antq_domain::establishment::EstablishmentKind::DoanhNghiep => ExemplarKind::DoanhNghiep,
                    antq_domain::establishment::EstablishmentKind::CoSoGiaoDuc => ExemplarKind::CoSoGiaoDuc,
                };
                Some((kind, Some(id), x.province_code, x.commune_code, x.name))
            }
            Err(StoreError::NotFound) => {
                e.add("establishment_id", format!("Không có cơ quan, doanh nghiệp, trường học số {id}."));
                None
            }
            Err(err) => return Err(err.into()),
        },
        None => match input.commune_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.add("commune_code", "Chọn xã, phường hoặc cơ quan, doanh nghiệp, trường học đăng ký.");
                None
            }
            Some(code) => match antq_store::units::get(&ctx.db, code).await {
                Ok(u) if u.level == antq_domain::unit::UnitLevel::Commune => {
                    let police = input.kind.as_deref() == Some("cong_an_xa");
                    let kind = match (police, u.kind) {
                        (true, _) => ExemplarKind::CongAnXa,
                        (false, antq_domain::unit::UnitKind::Phuong) => ExemplarKind::Phuong,
                        (false, _) => ExemplarKind::Xa,
                    };
                    let name = format!("{}{} {}", if police { "Công an " } else { "" }, u.kind.label(), u.name);
                    Some((kind, None, u.parent_code.unwrap_or_default(), u.code, name))
                }
                _ => {
                    e.add("commune_code", format!("Không có xã, phường, đặc khu mã «{code}»."));
                    None
                }
            },
        },
    };
    let (Some((kind, est, province, commune, name)), Some(year), Some(on)) = (unit, year, on) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    actor.require_in_scope(Permission::WriteRegistry, &province, Some(&commune))?;
    let mut tx = ctx.db.begin().await?;
    let texts = (field.as_deref(), note.as_deref());
    let id = match exemplars::insert(
        &mut tx,
        year,
        kind,
        est,
        (&province, &commune),
        &name,
        texts,
        on,
        &actor.username,
        ctx.now(),
    )
    .await
    {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict(format!("«{name}» đã đăng ký điển hình năm {year}.")));
        }
        r => r?,
    };
    let t = Target::placed("exemplar", id, &province, Some(&commune));
    audit::record(&mut tx, ctx, actor, AuditAction::Create, t, &audit::note("name", &name)).await?;
    tx.commit().await?;
    get_exemplar(ctx, actor, id).await
}

/// One registration, if in scope.
pub async fn get_exemplar(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Exemplar> {
    let x = exemplars::get(&ctx.db, id).await.not_found_as("đăng ký điển hình")?;
    actor.require_in_scope(Permission::ReadRegistry, &x.province_code, Some(&x.commune_code))?;
    Ok(x)
}

/// Records the result of a registration (the province recognises exemplars).
pub async fn decide_exemplar(ctx: &AppCtx, actor: &Actor, id: i64, input: &ExemplarResultInput) -> AppResult<Exemplar> {
    let x = get_exemplar(ctx, actor, id).await?;
    actor.require_in_scope(Permission::ApproveEvaluations, &x.province_code, Some(&x.commune_code))?;
    let d = input.validate(x.registered_on, ctx.today())?;
    let mut tx = ctx.db.begin().await?;
    match exemplars::decide(&mut tx, id, &d, ctx.now()).await {
        Err(StoreError::Conflict) => return Err(AppError::Conflict("Đăng ký này đã có kết quả.".into())),
        r => r?,
    }
    let changes = [audit::note("result", d.result.label()), audit::note("decision_no", &d.decision_no)].concat();
    let t = Target::placed("exemplar", id, &x.province_code, Some(&x.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Approve, t, &changes).await?;
    tx.commit().await?;
    get_exemplar(ctx, actor, id).await
}
