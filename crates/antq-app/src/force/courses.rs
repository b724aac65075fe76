//! Training courses: a commune's own or the province's, trainees from the force, results and
//! certificates.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::force::course::{Course, Trainee};
use antq_domain::force::course::{CourseInput, ResultInput};
use antq_domain::ids::{CourseId, MemberId};
use antq_store::force::courses as store;

use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// Courses visible to the actor, newest first.
pub async fn list(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<Course>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list(&ctx.db, actor.scope.province(), actor.scope.commune()).await?)
}

/// A course visible to the actor (the province's courses are open to its communes).
pub async fn get(ctx: &AppCtx, actor: &Actor, id: CourseId) -> AppResult<Course> {
    let c = store::get(&ctx.db, id).await.not_found_as("lớp huấn luyện")?;
    actor.require(Permission::ReadRegistry)?;
    // A province's own course is open to its communes.
    let in_scope = match c.commune_code.as_deref() {
        Some(commune) => actor.scope.contains(&c.province_code, Some(commune)),
        None => actor.scope.province().is_none_or(|p| p == c.province_code),
    };
    if !in_scope {
        return Err(AppError::Forbidden("Lớp này nằm ngoài địa bàn bạn được giao.".into()));
    }
    Ok(c)
}

/// The trainees of a course the actor may see (a commune sees its own).
pub async fn trainees(ctx: &AppCtx, actor: &Actor, id: CourseId) -> AppResult<Vec<Trainee>> {
    get(ctx, actor, id).await?;
    Ok(store::trainees(&ctx.db, id, actor.scope.commune()).await?)
}

fn target(c: &Course) -> Target {
    Target {
        kind: "force_course",
        id: Some(c.id.to_string()),
        province: Some(c.province_code.clone()),
        commune: c.commune_code.clone(),
    }
}

/// Creates a course of a commune, or of the province (`commune` empty; province officers).
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, unit: Option<&str>, input: &CourseInput) -> AppResult<Course> {
    actor.require(Permission::WriteRegistry)?;
    let (province, commune) = match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(code) => {
            let (p, c) = crate::units::commune_place(ctx, code, "commune_code").await?;
            (p, Some(c))
        }
        None => match (actor.scope.province(), actor.scope.commune()) {
            (Some(p), c) => (p.to_string(), c.map(Into::into)),
            (None, None) => {
                return Err(
                    FieldErrors::single("commune_code", "Chọn xã (hoặc đăng nhập bằng tài khoản cấp tỉnh).").into()
                );
            }
            (None, Some(_)) => unreachable!("a commune scope has a province"),
        },
    };
    actor.require_in_scope(Permission::WriteRegistry, &province, commune.as_deref())?;
    let f = input.validate()?;
    let mut tx = ctx.db.begin().await?;
    let id = store::insert(&mut tx, &province, commune.as_deref(), &f, &actor.username, ctx.now()).await?;
    let t = Target {
        kind: "force_course",
        id: Some(id.to_string()),
        province: Some(province.clone()),
        commune: commune.clone(),
    };
    audit::record(&mut tx, ctx, actor, AuditAction::Create, t, &audit::changes(None::<&()>, &f)).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Adds a member of the actor's scope to a course.
#[tracing::instrument(skip_all)]
pub async fn add_trainee(ctx: &AppCtx, actor: &Actor, id: CourseId, member: MemberId) -> AppResult<Vec<Trainee>> {
    let c = get(ctx, actor, id).await?;
    let m = match super::members::get(ctx, actor, member).await {
        Err(AppError::NotFound(_)) => {
            return Err(FieldErrors::single("member_id", format!("Không có thành viên số {member}.")).into());
        }
        other => other?,
    };
    actor.require_in_scope(Permission::WriteRegistry, &m.province_code, Some(&m.commune_code))?;
    if m.province_code != c.province_code || c.commune_code.as_ref().is_some_and(|cc| *cc != m.commune_code) {
        return Err(FieldErrors::single("member_id", "Thành viên không thuộc địa bàn của lớp.").into());
    }
    if !m.state.holds_place() {
        return Err(FieldErrors::single("member_id", format!("{} đã «{}».", m.full_name, m.state.label())).into());
    }
    let mut tx = ctx.db.begin().await?;
    store::add_trainee(&mut tx, id, member, &m.province_code, &m.commune_code).await.map_err(|e| match e {
        antq_store::StoreError::Conflict => AppError::Conflict(format!("{} đã có trong lớp.", m.full_name)),
        other => other.into(),
    })?;
    audit::record(&mut tx, ctx, actor, AuditAction::Record, target(&c), &audit::note("trainee", member.to_string()))
        .await?;
    tx.commit().await?;
    trainees(ctx, actor, id).await
}

/// Records a trainee's result.
#[tracing::instrument(skip_all)]
pub async fn set_result(
    ctx: &AppCtx,
    actor: &Actor,
    id: CourseId,
    trainee: i64,
    input: &ResultInput,
) -> AppResult<Vec<Trainee>> {
    let c = get(ctx, actor, id).await?;
    let t = store::trainees(&ctx.db, id, actor.scope.commune())
        .await?
        .into_iter()
        .find(|t| t.id == trainee)
        .ok_or(AppError::NotFound("học viên"))?;
    actor.require_in_scope(Permission::WriteRegistry, &c.province_code, Some(&t.commune_code))?;
    let (result, cert, note) = input.validate()?;
    let mut tx = ctx.db.begin().await?;
    store::set_result(&mut tx, id, trainee, result, cert.as_deref(), note.as_deref()).await?;
    let changes = [audit::note("trainee", t.member_id.to_string()), audit::note("result", result.code())].concat();
    audit::record(&mut tx, ctx, actor, AuditAction::Record, target(&c), &changes).await?;
    tx.commit().await?;
    trainees(ctx, actor, id).await
}

/// The courses a member attended, with the member's result.
pub async fn of_member(ctx: &AppCtx, actor: &Actor, member: MemberId) -> AppResult<Vec<(Course, Trainee)>> {
    super::members::get(ctx, actor, member).await?;
    Ok(store::of_member(&ctx.db, member).await?)
}
