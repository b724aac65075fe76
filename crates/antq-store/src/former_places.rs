//! Where a record was recorded in the map that ended on 30 June 2025 (issue 16): the
//! `former_province_code`, `former_district_code`, `former_commune_code` columns every
//! register that belongs to a place carries, beside its current (restated) place.

use std::collections::HashMap;

use antq_domain::succession::FormerPlace;

use crate::sql::{Arg, Sql, execute, fetch_all};
use crate::{Db, StoreResult, Tx};

/// A register whose rows carry a former place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placed {
    /// Movement models.
    Models,
    /// Movement activities.
    Activities,
    /// Commendations.
    Commendations,
    /// Security cameras.
    Cameras,
    /// Tổ bảo vệ ANTT.
    ForceTeams,
    /// Their members.
    ForceMembers,
}

impl Placed {
    fn table(self) -> &'static str {
        match self {
            Placed::Models => "models",
            Placed::Activities => "activities",
            Placed::Commendations => "commendations",
            Placed::Cameras => "cameras",
            Placed::ForceTeams => "force_teams",
            Placed::ForceMembers => "force_members",
        }
    }
}

/// Records the former place of each row given (ids of `what`).
pub async fn set(tx: &mut Tx, what: Placed, rows: &[(i64, &FormerPlace)]) -> StoreResult<()> {
    for (id, p) in rows {
        let mut q = Sql::new(&format!("UPDATE {} SET former_province_code = ", what.table()));
        q.bind(Arg::Text(p.province_code.clone()));
        q.push(", former_district_code = ").bind(Arg::OptText(p.district_code.clone()));
        q.push(", former_commune_code = ").bind(Arg::OptText(p.commune_code.clone()));
        q.push(" WHERE id = ").bind(Arg::I64(*id));
        execute(tx, &q).await?;
    }
    Ok(())
}

/// The former places of the rows given that have one.
pub async fn of(db: &Db, what: Placed, ids: &[i64]) -> StoreResult<HashMap<i64, FormerPlace>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new(&format!(
            "SELECT id, former_province_code, former_district_code, former_commune_code FROM {} \
             WHERE former_province_code IS NOT NULL AND id IN (",
            what.table()
        ));
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(Arg::I64(*id));
        }
        q.push(")");
        for (id, province_code, district_code, commune_code) in
            fetch_all::<(i64, String, Option<String>, Option<String>)>(db, &q).await?
        {
            out.insert(id, FormerPlace { province_code, district_code, commune_code });
        }
    }
    Ok(out)
}
