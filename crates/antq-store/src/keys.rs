//! Light lookups used by imports to find duplicates without loading whole rows.

use crate::sql::{Sql, fetch_all};
use crate::{Db, StoreResult};

/// A registry table whose rows are identified by place and folded name.
#[derive(Clone, Copy, Debug)]
pub enum Keyed {
    /// `areas`.
    Areas,
    /// `establishments`.
    Establishments,
    /// `models`.
    Models,
}

impl Keyed {
    fn table(self) -> &'static str {
        match self {
            Keyed::Areas => "areas",
            Keyed::Establishments => "establishments",
            Keyed::Models => "models",
        }
    }
}

/// `(id, commune_code, search_key)` of current rows in a province/commune.
#[tracing::instrument(skip_all)]
pub async fn keys(
    db: &Db,
    what: Keyed,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<(i64, Option<String>, String)>> {
    let mut q = Sql::new(&format!("SELECT id, commune_code, search_key FROM {} WHERE 1=1", what.table()));
    q.and_eq("province_code", province).and_eq("commune_code", commune);
    if !matches!(what, Keyed::Models) {
        q.push(" AND valid_to IS NULL");
    }
    fetch_all(db, &q).await
}
