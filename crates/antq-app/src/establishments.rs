//! Agencies, businesses and schools: list, create, edit, retire.

use antq_domain::access::Permission;
use antq_domain::establishment::{Establishment, EstablishmentInput};
use antq_domain::ids::EstablishmentId;
use antq_domain::page::{Page, PageRequest};
use antq_store::establishments;
use chrono::NaiveDate;

use crate::areas::{ListQuery, check_retire_date};
use antq_domain::audit::AuditAction;
use antq_domain::model::Change;

use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppResult};

/// One page of establishments in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &ListQuery, page: PageRequest) -> AppResult<Page<Establishment>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(establishments::list(&ctx.db, &q.filter(actor)?, page).await?)
}

/// One establishment, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: EstablishmentId) -> AppResult<Establishment> {
    let e = establishments::get(&ctx.db, id).await.not_found_as("cơ quan, doanh nghiệp, cơ sở giáo dục")?;
    actor.require_in_scope(Permission::ReadRegistry, &e.province_code, Some(&e.commune_code))?;
    Ok(e)
}

/// Creates an establishment in a commune.
#[tracing::instrument(skip_all)]
pub async fn create(
    ctx: &AppCtx,
    actor: &Actor,
    commune_code: &str,
    input: &EstablishmentInput,
) -> AppResult<Establishment> {
    actor.require(Permission::WriteRegistry)?;
    let (province, commune) = crate::units::commune_place(ctx, commune_code, "commune_code").await?;
    actor.require_in_scope(Permission::WriteRegistry, &province, Some(&commune))?;
    let fields = input.validate()?;
    let mut tx = ctx.db.begin().await?;
    let id = establishments::insert(&mut tx, &province, &commune, &fields, ctx.today(), ctx.now()).await?;
    let target = Target::placed("establishment", id, &province, Some(&commune));
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &fields)).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Changes an establishment's fields.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(
    ctx: &AppCtx,
    actor: &Actor,
    id: EstablishmentId,
    input: &EstablishmentInput,
) -> AppResult<Establishment> {
    let e = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &e.province_code, Some(&e.commune_code))?;
    let fields = input.validate()?;
    let changes = audit::changes(Some(&e), &fields);
    if changes.is_empty() {
        return Ok(e);
    }
    let mut tx = ctx.db.begin().await?;
    establishments::update(&mut tx, id, &fields, ctx.now()).await?;
    let target = Target::placed("establishment", id, &e.province_code, Some(&e.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Retires (or, with `None`, restores) an establishment.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn set_retired(
    ctx: &AppCtx,
    actor: &Actor,
    id: EstablishmentId,
    on: Option<NaiveDate>,
) -> AppResult<Establishment> {
    let e = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &e.province_code, Some(&e.commune_code))?;
    check_retire_date(e.valid_from, on, ctx.today())?;
    let mut tx = ctx.db.begin().await?;
    establishments::set_valid_to(&mut tx, id, on, ctx.now()).await?;
    let action = if on.is_some() { AuditAction::Retire } else { AuditAction::Restore };
    let change = Change {
        field: "valid_to".into(),
        before: e.valid_to.map(|d| d.to_string()),
        after: on.map(|d| d.to_string()),
    };
    let target = Target::placed("establishment", id, &e.province_code, Some(&e.commune_code));
    audit::record(&mut tx, ctx, actor, action, target, &[change]).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}
