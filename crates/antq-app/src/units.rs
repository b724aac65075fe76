//! Browsing and searching administrative units (public reference data; any logged-in user).

use antq_domain::access::Permission;
use antq_domain::unit::{Unit, UnitLevel};
use antq_store::units::{self, UnitQuery};

use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppResult};

/// Searches units by name (diacritic-insensitive), level and parent.
pub async fn search(
    ctx: &AppCtx,
    actor: &Actor,
    q: Option<String>,
    level: Option<UnitLevel>,
    parent: Option<String>,
    limit: i64,
) -> AppResult<Vec<Unit>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(units::search(&ctx.db, &UnitQuery { q, level, parent, limit }).await?)
}

/// One page of the current units matching the filters (the API's list).
pub async fn search_page(
    ctx: &AppCtx,
    actor: &Actor,
    q: Option<String>,
    level: Option<UnitLevel>,
    parent: Option<String>,
    page: antq_domain::page::PageRequest,
) -> AppResult<antq_domain::page::Page<Unit>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(units::search_page(&ctx.db, &UnitQuery { q, level, parent, limit: 0 }, page).await?)
}

/// One unit by code.
pub async fn get(ctx: &AppCtx, actor: &Actor, code: &str) -> AppResult<Unit> {
    actor.require(Permission::ReadRegistry)?;
    units::get(&ctx.db, code).await.not_found_as("đơn vị hành chính")
}

/// Resolves a commune code to `(province, commune)`, refusing anything that is not a
/// current commune.
pub async fn commune_place(ctx: &AppCtx, code: &str, field: &str) -> AppResult<(String, String)> {
    match units::get(&ctx.db, code.trim()).await {
        Ok(u) if u.level == UnitLevel::Commune => Ok((u.parent_code.unwrap_or_default(), u.code)),
        Ok(u) => Err(antq_domain::FieldErrors::single(
            field,
            format!("«{}» là cấp tỉnh; hãy chọn một xã, phường, đặc khu.", u.full_name()),
        )
        .into()),
        Err(antq_store::StoreError::NotFound) => {
            Err(antq_domain::FieldErrors::single(field, format!("Không có xã, phường, đặc khu mã «{}».", code.trim()))
                .into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Full names of units by code, for labelling lists.
pub async fn names(
    ctx: &AppCtx,
    codes: impl IntoIterator<Item = String>,
) -> AppResult<std::collections::HashMap<String, String>> {
    let mut v: Vec<String> = codes.into_iter().collect();
    v.sort();
    v.dedup();
    Ok(units::names(&ctx.db, &v).await?)
}

/// The current provinces. Geography is public reference data, so no actor is needed (the
/// first-run setup page lists them before any account exists).
pub async fn provinces(ctx: &AppCtx) -> AppResult<Vec<Unit>> {
    Ok(units::search(&ctx.db, &UnitQuery { level: Some(UnitLevel::Province), limit: 100, ..Default::default() })
        .await?)
}

/// Marks a commune remote or island (48 h instead of 24 h to transfer a crime report);
/// province officers of its province, audited.
#[tracing::instrument(skip_all)]
pub async fn set_remote(ctx: &AppCtx, actor: &Actor, code: &str, remote: bool) -> AppResult<Unit> {
    let (province, commune) = commune_place(ctx, code, "code").await?;
    actor.require_in_scope(Permission::ManageTaxonomy, &province, None)?;
    let before = units::get(&ctx.db, &commune).await?;
    if before.remote == remote {
        return Ok(before);
    }
    let mut tx = ctx.db.begin().await?;
    units::set_remote(&mut tx, &commune, remote).await?;
    let change = antq_domain::model::Change {
        field: "remote".into(),
        before: Some(before.remote.to_string()),
        after: Some(remote.to_string()),
    };
    let target = crate::audit::Target::placed("unit", &commune, &province, Some(&commune));
    crate::audit::record(&mut tx, ctx, actor, antq_domain::audit::AuditAction::Update, target, &[change]).await?;
    tx.commit().await?;
    Ok(units::get(&ctx.db, &commune).await?)
}

/// The number of communes of each province.
pub async fn commune_counts(ctx: &AppCtx) -> AppResult<std::collections::HashMap<String, i64>> {
    Ok(units::commune_counts(&ctx.db).await?)
}

/// The current communes of a province (public reference data, for the citizens' form).
pub async fn communes_of(ctx: &AppCtx, province: &str) -> AppResult<Vec<Unit>> {
    let q = UnitQuery {
        level: Some(UnitLevel::Commune),
        parent: Some(province.to_string()),
        limit: 1000,
        ..Default::default()
    };
    Ok(units::search(&ctx.db, &q).await?)
}
