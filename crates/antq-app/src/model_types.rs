//! The model-type taxonomy: national types plus each province's own.

use antq_domain::access::{Permission, Role};
use antq_domain::ids::ModelTypeId;
use antq_domain::model::{ModelType, ModelTypeInput};
use antq_store::model_types;

use antq_domain::audit::AuditAction;

use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// Types visible to the actor: national ones and those of the actor's province.
pub async fn list(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<ModelType>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(model_types::list(&ctx.db, actor.scope.province()).await?)
}

/// One type, if visible to the actor.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: ModelTypeId) -> AppResult<ModelType> {
    actor.require(Permission::ReadRegistry)?;
    let t = model_types::get(&ctx.db, id).await.not_found_as("loại mô hình")?;
    match (&t.province_code, actor.scope.province()) {
        (Some(p), Some(own)) if p != own => Err(AppError::NotFound("loại mô hình")),
        _ => Ok(t),
    }
}

/// Adds a type. A province officer adds it for their province; an administrator adds a
/// national type.
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, input: &ModelTypeInput) -> AppResult<ModelType> {
    actor.require(Permission::ManageTaxonomy)?;
    let fields = input.validate()?;
    let province = if actor.role == Role::Admin { None } else { actor.scope.province() };
    let mut tx = ctx.db.begin().await?;
    let id = match model_types::insert(&mut tx, province, &fields).await {
        Err(antq_store::StoreError::Conflict) => {
            return Err(
                antq_domain::FieldErrors::single("name", format!("Đã có loại mô hình «{}».", fields.name)).into()
            );
        }
        r => r?,
    };
    let target =
        Target { kind: "model_type", id: Some(id.to_string()), province: province.map(str::to_string), commune: None };
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &fields)).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Edits a type. National types are edited by administrators only; a province's own types
/// by that province's officers.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: ModelTypeId, input: &ModelTypeInput) -> AppResult<ModelType> {
    actor.require(Permission::ManageTaxonomy)?;
    let t = get(ctx, actor, id).await?;
    if t.province_code.is_none() && actor.role != Role::Admin {
        return Err(AppError::Forbidden(
            "Loại mô hình toàn quốc chỉ quản trị hệ thống được sửa; tỉnh có thể thêm loại của riêng mình.".into(),
        ));
    }
    let fields = input.validate()?;
    let mut tx = ctx.db.begin().await?;
    model_types::update(&mut tx, id, &fields).await?;
    let target =
        Target { kind: "model_type", id: Some(id.to_string()), province: t.province_code.clone(), commune: None };
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &audit::changes(Some(&t), &fields)).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}
