//! Statistics of the model registry.

use antq_domain::access::Permission;
use antq_store::stats;

pub use antq_store::stats::ModelCounts;

pub use antq_store::stats::ModelGroup;

use crate::{Actor, AppCtx, AppResult};

/// A row of the model statistics with a readable label for its key.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LabelledCounts {
    /// Group key.
    pub key: String,
    /// Label (unit name, type name or state label).
    pub label: String,
    /// Models.
    pub models: i64,
    /// Sites.
    pub sites: i64,
    /// Teams.
    pub teams: i64,
}

/// Models, sites and teams in the actor's scope grouped by `by`, with totals last.
pub async fn models(ctx: &AppCtx, actor: &Actor, by: ModelGroup) -> AppResult<Vec<LabelledCounts>> {
    actor.require(Permission::ReadRegistry)?;
    let rows: Vec<ModelCounts> =
        stats::model_counts(&ctx.db, by, actor.scope.province(), actor.scope.commune()).await?;
    let labels: std::collections::HashMap<String, String> = match by {
        ModelGroup::Province | ModelGroup::Commune => {
            crate::units::names(ctx, rows.iter().map(|r| r.key.clone())).await?
        }
        ModelGroup::Type => {
            crate::model_types::list(ctx, actor).await?.into_iter().map(|t| (t.id.0.to_string(), t.name)).collect()
        }
        ModelGroup::State => {
            antq_domain::model::ModelState::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string())).collect()
        }
    };
    let mut out: Vec<LabelledCounts> = rows
        .into_iter()
        .map(|r| LabelledCounts {
            label: labels
                .get(&r.key)
                .cloned()
                .unwrap_or_else(|| if r.key.is_empty() { "Cấp tỉnh".into() } else { r.key.clone() }),
            key: r.key,
            models: r.models,
            sites: r.sites,
            teams: r.teams,
        })
        .collect();
    out.sort_by_cached_key(|r| antq_domain::text::fold(&r.label));
    Ok(out)
}

/// Models, sites and teams of one place (a province, or a commune with its province).
pub async fn place_totals(
    ctx: &AppCtx,
    actor: &Actor,
    province: Option<&str>,
    commune: Option<&str>,
) -> AppResult<ModelCounts> {
    let (province, commune) = actor.narrow(province.map(Into::into), commune.map(Into::into))?;
    actor.require(Permission::ReadRegistry)?;
    let rows = stats::model_counts(&ctx.db, ModelGroup::Province, province.as_deref(), commune.as_deref()).await?;
    Ok(rows.into_iter().fold(ModelCounts::default(), |mut t, r| {
        t.models += r.models;
        t.sites += r.sites;
        t.teams += r.teams;
        t
    }))
}
