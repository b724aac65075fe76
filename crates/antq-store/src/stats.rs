//! Counts for the statistics pages and the API.

use std::collections::BTreeMap;

use crate::sql::{Sql, fetch_all};
use crate::{Db, StoreResult};

/// How model counts are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelGroup {
    /// By province code.
    Province,
    /// By commune code.
    Commune,
    /// By model type.
    Type,
    /// By lifecycle state.
    State,
    /// By the place recorded before 1 July 2025 (`""`: none); sites and teams by their model's.
    Former(antq_domain::succession::FormerLevel),
}

/// Counts of models, sites and teams for one group key.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ModelCounts {
    /// Group key (code, type id or state code; empty for province-level models by commune).
    pub key: String,
    /// Models.
    pub models: i64,
    /// Sites (điểm).
    pub sites: i64,
    /// Teams (tổ).
    pub teams: i64,
}

/// Counts grouped by `by`, within an optional province/commune filter. Sites and teams
/// are counted where they are (their own place) when grouping by place, and by their
/// model's type or state otherwise.
#[tracing::instrument(skip_all)]
pub async fn model_counts(
    db: &Db,
    by: ModelGroup,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<ModelCounts>> {
    let (model_key, own_key, via_model) = match by {
        ModelGroup::Province => ("m.province_code", "x.province_code", false),
        ModelGroup::Commune => ("COALESCE(m.commune_code, '')", "x.commune_code", false),
        ModelGroup::Type => ("CAST(m.type_id AS TEXT)", "CAST(m.type_id AS TEXT)", true),
        ModelGroup::State => ("m.state", "m.state", true),
        ModelGroup::Former(l) => {
            let key = match l {
                antq_domain::succession::FormerLevel::Province => "COALESCE(m.former_province_code, '')",
                antq_domain::succession::FormerLevel::District => "COALESCE(m.former_district_code, '')",
                antq_domain::succession::FormerLevel::Commune => "COALESCE(m.former_commune_code, '')",
            };
            (key, key, true)
        }
    };
    let mut out: BTreeMap<String, ModelCounts> = BTreeMap::new();
    let mut models = Sql::new(&format!("SELECT {model_key} AS k, COUNT(*) AS n FROM models m WHERE 1=1"));
    models.and_eq("m.province_code", province).and_eq("m.commune_code", commune).push(" GROUP BY 1");
    for (k, n) in fetch_all::<(String, i64)>(db, &models).await? {
        out.entry(k.clone()).or_insert_with(|| ModelCounts { key: k, ..Default::default() }).models = n;
    }
    for (table, is_sites) in [("model_sites", true), ("model_teams", false)] {
        let mut q = if via_model {
            Sql::new(&format!(
                "SELECT {own_key} AS k, COUNT(*) AS n FROM {table} x JOIN models m ON m.id = x.model_id WHERE 1=1"
            ))
        } else {
            Sql::new(&format!("SELECT {own_key} AS k, COUNT(*) AS n FROM {table} x WHERE 1=1"))
        };
        q.and_eq("x.province_code", province).and_eq("x.commune_code", commune).push(" GROUP BY 1");
        for (k, n) in fetch_all::<(String, i64)>(db, &q).await? {
            let e = out.entry(k.clone()).or_insert_with(|| ModelCounts { key: k, ..Default::default() });
            if is_sites {
                e.sites = n;
            } else {
                e.teams = n;
            }
        }
    }
    Ok(out.into_values().collect())
}

/// How many active models and sites each rating unit of a province has (communes by their
/// code, province-level models under the province code).
#[tracing::instrument(skip_all)]
pub async fn rating_targets(db: &Db, province: &str) -> StoreResult<Vec<(String, i64)>> {
    const SQL: &str = "SELECT k, CAST(SUM(n) AS BIGINT) FROM ( \
         SELECT COALESCE(commune_code, province_code) AS k, COUNT(*) AS n FROM models \
         WHERE province_code = $1 AND state IN ('da_ra_mat', 'hoat_dong', 'can_cung_co') GROUP BY 1 \
         UNION ALL SELECT s.commune_code, COUNT(*) FROM model_sites s JOIN models m ON m.id = s.model_id \
         WHERE s.province_code = $1 AND s.state = 'hoat_dong' AND m.state IN ('da_ra_mat', 'hoat_dong', 'can_cung_co') GROUP BY 1 \
         ) x GROUP BY k";
    let rows: Vec<(String, i64)> = crate::with_db!(db, p => sqlx::query_as(SQL).bind(province).fetch_all(p).await)?;
    Ok(rows)
}
