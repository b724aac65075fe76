//! Counts of the force by place and by one dimension (role, age band, sex, education), and
//! the coverage of residential areas.

use chrono::NaiveDate;

use crate::sql::{Arg, Sql, fetch_all};
use crate::{Db, StoreResult};

/// A dimension of the member counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// Role.
    Role,
    /// Sex.
    Sex,
    /// Education.
    Education,
    /// Age band on a day: the bound birthdays between bands, oldest band last.
    Age,
}

/// Where the counts are grouped: by province (national) or by commune of a province.
#[derive(Clone, Debug)]
pub struct StatsScope {
    /// Province filter.
    pub province: Option<String>,
    /// Commune filter.
    pub commune: Option<String>,
}

impl StatsScope {
    fn key(&self, alias: &str) -> String {
        if self.province.is_some() { format!("{alias}.commune_code") } else { format!("{alias}.province_code") }
    }

    fn filter(&self, q: &mut Sql, alias: &str) {
        q.and_eq(&format!("{alias}.province_code"), self.province.as_deref())
            .and_eq(&format!("{alias}.commune_code"), self.commune.as_deref());
    }
}

/// Per place: `(code, open teams, established teams, active members, active areas, areas with an open team)`.
pub async fn by_place(db: &Db, s: &StatsScope) -> StoreResult<Vec<(String, i64, i64, i64, i64, i64)>> {
    use std::collections::BTreeMap;
    let mut out: BTreeMap<String, (i64, i64, i64, i64, i64)> = BTreeMap::new();
    let mut q = Sql::new(&format!(
        "SELECT {k}, COUNT(*), SUM(CASE WHEN t.state IN ('da_thanh_lap', 'cho_giai_the') THEN 1 ELSE 0 END), CAST(SUM(t.active) AS BIGINT) \
         FROM force_teams t WHERE t.state <> 'giai_the'",
        k = s.key("t")
    ));
    s.filter(&mut q, "t");
    q.push(" GROUP BY 1");
    for (code, teams, established, members) in fetch_all::<(String, i64, i64, i64)>(db, &q).await? {
        let e = out.entry(code).or_default();
        (e.0, e.1, e.2) = (teams, established, members);
    }
    let mut q = Sql::new(&format!(
        "SELECT {k}, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM force_team_areas ta WHERE ta.area_id = a.id AND ta.open) THEN 1 ELSE 0 END) \
         FROM areas a WHERE a.valid_to IS NULL",
        k = s.key("a")
    ));
    s.filter(&mut q, "a");
    q.push(" GROUP BY 1");
    for (code, areas, covered) in fetch_all::<(String, i64, i64)>(db, &q).await? {
        let e = out.entry(code).or_default();
        (e.3, e.4) = (areas, covered);
    }
    Ok(out.into_iter().map(|(k, v)| (k, v.0, v.1, v.2, v.3, v.4)).collect())
}

/// Active members per place and category of `dim`: `(code, category, count)`. For ages,
/// `bounds` are the birthdays separating the bands, youngest band first: a member born after
/// `bounds[0]` is in band 0, after `bounds[1]` in band 1, …
pub async fn members_by(
    db: &Db,
    s: &StatsScope,
    dim: Dimension,
    bounds: &[NaiveDate],
) -> StoreResult<Vec<(String, String, i64)>> {
    let mut q = Sql::new(&format!("SELECT {}, ", s.key("m")));
    match dim {
        Dimension::Role => {
            q.push("m.role");
        }
        Dimension::Sex => {
            q.push("m.sex");
        }
        Dimension::Education => {
            q.push("m.education");
        }
        Dimension::Age => {
            q.push("CASE");
            for (i, b) in bounds.iter().enumerate() {
                q.push(" WHEN m.born_on > ").bind(Arg::Date(*b)).push(&format!(" THEN '{i}'"));
            }
            q.push(&format!(" ELSE '{}' END", bounds.len()));
        }
    }
    q.push(", COUNT(*) FROM force_members m WHERE m.state = 'dang_tham_gia'");
    s.filter(&mut q, "m");
    q.push(" GROUP BY 1, 2");
    fetch_all(db, &q).await
}
