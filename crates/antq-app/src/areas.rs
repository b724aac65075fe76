//! Residential areas: list, create, edit, retire.

use antq_domain::access::Permission;
use antq_domain::area::{Area, AreaFields, AreaInput};
use antq_domain::ids::AreaId;
use antq_domain::page::{Page, PageRequest};
use antq_store::areas::{self, RegistryFilter};
use chrono::NaiveDate;

use antq_domain::audit::AuditAction;
use antq_domain::model::Change;

use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppResult};

/// List filters as the user gives them (narrowed to the actor's scope here).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Text.
    pub q: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Include retired rows.
    #[serde(default)]
    pub include_retired: bool,
}

impl ListQuery {
    /// The store filter, narrowed to the actor's scope.
    pub fn filter(&self, actor: &Actor) -> AppResult<RegistryFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        Ok(RegistryFilter {
            province,
            commune,
            q: non_empty(&self.q),
            kind: non_empty(&self.kind),
            include_retired: self.include_retired,
        })
    }
}

/// `None` for absent or blank text.
pub fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// One page of areas in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &ListQuery, page: PageRequest) -> AppResult<Page<Area>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(areas::list(&ctx.db, &q.filter(actor)?, page).await?)
}

/// One area, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: AreaId) -> AppResult<Area> {
    let a = areas::get(&ctx.db, id).await.not_found_as("khu dân cư")?;
    actor.require_in_scope(Permission::ReadRegistry, &a.province_code, Some(&a.commune_code))?;
    Ok(a)
}

/// Creates an area in a commune.
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, commune_code: &str, input: &AreaInput) -> AppResult<Area> {
    actor.require(Permission::WriteRegistry)?;
    let (province, commune) = crate::units::commune_place(ctx, commune_code, "commune_code").await?;
    actor.require_in_scope(Permission::WriteRegistry, &province, Some(&commune))?;
    let fields = input.validate()?;
    let mut tx = ctx.db.begin().await?;
    let id = areas::insert(&mut tx, &province, &commune, &fields, ctx.today(), ctx.now()).await?;
    let target = Target::placed("area", id, &province, Some(&commune));
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &fields)).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Changes an area's fields.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: AreaId, input: &AreaInput) -> AppResult<Area> {
    let a = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &a.province_code, Some(&a.commune_code))?;
    let fields: AreaFields = input.validate()?;
    let changes = audit::changes(Some(&a), &fields);
    if changes.is_empty() {
        return Ok(a);
    }
    let mut tx = ctx.db.begin().await?;
    areas::update(&mut tx, id, &fields, ctx.now()).await?;
    let target = Target::placed("area", id, &a.province_code, Some(&a.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Retires an area from `on` (it stays in the database with its history), or restores it
/// with `None`.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn set_retired(ctx: &AppCtx, actor: &Actor, id: AreaId, on: Option<NaiveDate>) -> AppResult<Area> {
    let a = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &a.province_code, Some(&a.commune_code))?;
    check_retire_date(a.valid_from, on, ctx.today())?;
    let mut tx = ctx.db.begin().await?;
    areas::set_valid_to(&mut tx, id, on, ctx.now()).await?;
    let action = if on.is_some() { AuditAction::Retire } else { AuditAction::Restore };
    let change = Change {
        field: "valid_to".into(),
        before: a.valid_to.map(|d| d.to_string()),
        after: on.map(|d| d.to_string()),
    };
    let target = Target::placed("area", id, &a.province_code, Some(&a.commune_code));
    audit::record(&mut tx, ctx, actor, action, target, &[change]).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// A retirement date must lie between the start of validity and today.
pub fn check_retire_date(valid_from: NaiveDate, on: Option<NaiveDate>, today: NaiveDate) -> AppResult<()> {
    match on {
        Some(d) if d < valid_from => Err(antq_domain::FieldErrors::single(
            "valid_to",
            format!("Ngày thôi hiệu lực không được trước ngày bắt đầu hiệu lực ({}).", valid_from.format("%d/%m/%Y")),
        )
        .into()),
        Some(d) if d > today => {
            Err(antq_domain::FieldErrors::single("valid_to", "Ngày thôi hiệu lực không được sau hôm nay.").into())
        }
        _ => Ok(()),
    }
}
