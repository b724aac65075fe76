//! The coverage and composition alerts of a province or commune, read in a few indexed
//! queries: areas short of teams (quota by band as a `CASE`), teams whose counters break the
//! composition rules, and active members reaching the age limit.

use antq_domain::force::quota::{AlertCounts, Quota, QuotaBasis};
use chrono::NaiveDate;

use crate::sql::{Arg, Sql, fetch_all};
use crate::{Db, StoreResult};

/// Where and against which rules alerts are read.
#[derive(Clone, Debug)]
pub struct AlertScope<'a> {
    /// Province.
    pub province: &'a str,
    /// Commune, or the whole province.
    pub commune: Option<&'a str>,
    /// The quota rule in force.
    pub quota: &'a Quota,
    /// Most tổ phó allowed.
    pub deputies_max: i64,
    /// Active members born on or before this day reach the age limit within the alert window.
    pub born_by: NaiveDate,
}

/// `CASE` over the bands giving teams (`teams == true`) or members of a quota for the
/// households/population columns named `hh`/`pop`.
fn quota_case(q: &mut Sql, quota: &Quota, hh: &str, pop: &str, teams: bool) {
    let col = match quota.basis {
        QuotaBasis::Households => hh,
        QuotaBasis::Population => pop,
    };
    let value = |b: &antq_domain::force::quota::QuotaBand| if teams { b.teams } else { b.members };
    if quota.bands.len() == 1 {
        q.push("(").bind(Arg::I64(value(&quota.bands[0]))).push(")");
        return;
    }
    q.push("(CASE");
    for b in quota.bands.iter().skip(1).rev() {
        q.push(" WHEN ").push(col).push(" >= ").bind(Arg::I64(b.from)).push(" THEN ").bind(Arg::I64(value(b)));
    }
    q.push(" ELSE ").bind(Arg::I64(value(&quota.bands[0]))).push(" END)");
}

/// An area with fewer open teams than its quota.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AreaShort {
    /// Area id.
    pub id: i64,
    /// Commune.
    pub commune_code: String,
    /// Name.
    pub name: String,
    /// Open teams covering it.
    pub teams: i64,
    /// Teams its quota asks for.
    pub quota_teams: i64,
}

fn areas_sql(s: &AlertScope, select: &str) -> Sql {
    let mut q = Sql::new("SELECT ");
    q.push(select).push(" FROM (SELECT a.id, a.commune_code, a.name, a.search_key, ");
    q.push("(SELECT COUNT(*) FROM force_team_areas ta WHERE ta.area_id = a.id AND ta.open) AS teams, ");
    quota_case(&mut q, s.quota, "a.households", "a.population", true);
    q.push(" AS quota_teams FROM areas a WHERE a.province_code = ").bind(Arg::Text(s.province.into()));
    q.and_eq("a.commune_code", s.commune);
    q.push(" AND a.valid_to IS NULL) x WHERE teams < quota_teams");
    q
}

/// Every area short of teams (none, or fewer than the quota), by commune and name: the
/// list and the per-commune counts come from this one scan.
pub async fn areas_short(db: &Db, s: &AlertScope<'_>) -> StoreResult<Vec<AreaShort>> {
    let mut q = areas_sql(s, "id, commune_code, name, teams, quota_teams");
    q.push(" ORDER BY commune_code, search_key, id");
    fetch_all(db, &q).await
}

/// An open team breaking a composition rule.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TeamOff {
    /// Team id.
    pub id: i64,
    /// Commune.
    pub commune_code: String,
    /// Name.
    pub name: String,
    /// Tổ trưởng.
    pub leaders: i64,
    /// Tổ phó.
    pub deputies: i64,
    /// Members holding a place.
    pub size: i64,
    /// Members its quota asks for.
    pub quota_members: i64,
}

fn teams_sql(s: &AlertScope, select: &str) -> Sql {
    let mut q = Sql::new("SELECT ");
    q.push(select).push(" FROM (SELECT t.id, t.commune_code, t.name, t.leaders, t.deputies, t.size, ");
    q.push("CASE WHEN t.deputies > ").bind(Arg::I64(s.deputies_max)).push(" THEN 1 ELSE 0 END AS deputies_over, ");
    quota_case(&mut q, s.quota, "t.households", "t.population", false);
    q.push(" AS quota_members FROM force_teams t WHERE t.province_code = ").bind(Arg::Text(s.province.into()));
    q.and_eq("t.commune_code", s.commune);
    q.push(" AND t.state <> 'giai_the') x WHERE leaders <> 1 OR deputies_over = 1 OR size <> quota_members");
    q
}

/// Teams breaking a composition rule, at most `limit`, by commune (the order of the index,
/// so a province's first page is read without a sort).
pub async fn teams_off(db: &Db, s: &AlertScope<'_>, limit: i64) -> StoreResult<Vec<TeamOff>> {
    let mut q = teams_sql(s, "id, commune_code, name, leaders, deputies, size, quota_members");
    q.push(" ORDER BY commune_code LIMIT ").bind(Arg::I64(limit));
    fetch_all(db, &q).await
}

/// An active member reaching the age limit without the chairman's decision.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Ageing {
    /// Member id.
    pub id: i64,
    /// Team id.
    pub team_id: i64,
    /// Commune.
    pub commune_code: String,
    /// Full name.
    pub full_name: String,
    /// Team name.
    pub team_name: String,
    /// Date of birth.
    pub born_on: NaiveDate,
}

fn ageing_sql(s: &AlertScope, select: &str, with_team: bool) -> Sql {
    let mut q = Sql::new("SELECT ");
    q.push(select).push(" FROM force_members m");
    if with_team {
        q.push(" JOIN force_teams t ON t.id = m.team_id");
    }
    q.push(" WHERE m.province_code = ");
    q.bind(Arg::Text(s.province.into()));
    q.push(" AND m.state = 'dang_tham_gia' AND m.born_on <= ").bind(Arg::Date(s.born_by));
    q.and_eq("m.commune_code", s.commune);
    q.push(" AND m.over_age_decision IS NULL");
    q
}

/// Members reaching the age limit, oldest first, at most `limit`.
pub async fn ageing(db: &Db, s: &AlertScope<'_>, limit: i64) -> StoreResult<Vec<Ageing>> {
    let mut q = ageing_sql(s, "m.id, m.team_id, m.commune_code, m.full_name, t.name AS team_name, m.born_on", true);
    q.push(" ORDER BY m.born_on, m.id LIMIT ").bind(Arg::I64(limit));
    fetch_all(db, &q).await
}

/// Counts per commune of the scope (communes without alerts are absent), `areas` being the
/// scope's [`areas_short`].
pub async fn counts(db: &Db, s: &AlertScope<'_>, areas: &[AreaShort]) -> StoreResult<Vec<AlertCounts>> {
    use std::collections::BTreeMap;
    let mut by: BTreeMap<String, AlertCounts> = BTreeMap::new();
    for a in areas {
        let e = by
            .entry(a.commune_code.clone())
            .or_insert_with(|| AlertCounts { code: a.commune_code.clone(), ..Default::default() });
        if a.teams == 0 {
            e.areas_without_team += 1;
        } else {
            e.areas_below_teams += 1;
        }
    }
    let mut q = teams_sql(
        s,
        "commune_code, SUM(CASE WHEN leaders = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN leaders > 1 THEN 1 ELSE 0 END), \
         SUM(deputies_over), SUM(CASE WHEN size < quota_members THEN 1 ELSE 0 END), \
         SUM(CASE WHEN size > quota_members THEN 1 ELSE 0 END)",
    );
    q.push(" GROUP BY commune_code");
    for (c, none, many, deputies, below, above) in fetch_all::<(String, i64, i64, i64, i64, i64)>(db, &q).await? {
        let e = by.entry(c.clone()).or_insert_with(|| AlertCounts { code: c, ..Default::default() });
        e.no_leader = none;
        e.many_leaders = many;
        e.too_many_deputies = deputies;
        e.below_quota = below;
        e.above_quota = above;
    }
    let mut q = ageing_sql(s, "m.commune_code, COUNT(*)", false);
    q.push(" GROUP BY m.commune_code");
    for (c, n) in fetch_all::<(String, i64)>(db, &q).await? {
        by.entry(c.clone()).or_insert_with(|| AlertCounts { code: c, ..Default::default() }).reaching_age_limit = n;
    }
    Ok(by.into_values().collect())
}

/// Teams and members waiting for a proposal or decision: `(kind, id, team id, commune, name,
/// state code, selection, proposal, requested termination / dissolution)`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Pending {
    /// `team` or `member`.
    pub kind: String,
    /// Row id.
    pub id: i64,
    /// Team id.
    pub team_id: i64,
    /// Commune.
    pub commune_code: String,
    /// Name.
    pub name: String,
    /// State code.
    pub state: String,
    /// Selection minutes.
    pub selection_on: Option<NaiveDate>,
    /// Proposal.
    pub proposed_on: Option<NaiveDate>,
    /// Dissolution proposed or termination requested.
    pub requested_on: Option<NaiveDate>,
}

/// The days before which a step is certainly overdue: a date of selection minutes before
/// `proposal`, of a proposal before `decision`, of a dissolution or termination request before
/// `request` (working days are never fewer than calendar days, so the caller checks those
/// exactly).
#[derive(Clone, Copy, Debug)]
pub struct OverdueBefore {
    /// Selection minutes older than this.
    pub proposal: NaiveDate,
    /// Proposals older than this.
    pub decision: NaiveDate,
    /// Requests older than this.
    pub request: NaiveDate,
}

/// Teams and memberships whose TT 14/2024 clock has (or may have) run out, at most `limit`
/// of each of six kinds, each read by a range of an index.
pub async fn overdue(
    db: &Db,
    province: &str,
    commune: Option<&str>,
    before: OverdueBefore,
    limit: i64,
) -> StoreResult<Vec<Pending>> {
    const TEAM: &str = "SELECT 'team' AS kind, t.id, t.id AS team_id, t.commune_code, t.name, t.state, t.selection_on, t.proposed_on, \
         t.dissolution_proposed_on AS requested_on FROM force_teams t WHERE t.province_code = ";
    const MEMBER: &str = "SELECT 'member' AS kind, m.id, m.team_id, m.commune_code, m.full_name AS name, m.state, m.selection_on, \
         m.proposed_on, m.termination_requested_on AS requested_on FROM force_members m WHERE m.province_code = ";
    let parts = [
        (TEAM, "t", " AND t.state = 'du_kien' AND t.selection_on < ", before.proposal),
        (TEAM, "t", " AND t.state = 'cho_quyet_dinh' AND t.proposed_on < ", before.decision),
        (TEAM, "t", " AND t.state = 'cho_giai_the' AND t.dissolution_proposed_on < ", before.request),
        (MEMBER, "m", " AND m.state = 'da_xet_tuyen' AND m.selection_on < ", before.proposal),
        (MEMBER, "m", " AND m.state = 'cho_quyet_dinh' AND m.proposed_on < ", before.decision),
        (MEMBER, "m", " AND m.termination_requested_on < ", before.request),
    ];
    let mut out = Vec::new();
    for (select, alias, condition, day) in parts {
        let mut q = Sql::new(select);
        q.bind(Arg::Text(province.into()));
        q.and_eq(&format!("{alias}.commune_code"), commune);
        q.push(condition).bind(Arg::Date(day));
        if alias == "m" && condition.contains("termination") {
            q.push(" AND m.state = 'dang_tham_gia'");
        }
        q.push(" LIMIT ").bind(Arg::I64(limit));
        out.extend(fetch_all::<Pending>(db, &q).await?);
    }
    out.sort_by(|a, b| a.commune_code.cmp(&b.commune_code).then(b.kind.cmp(&a.kind)).then(a.id.cmp(&b.id)));
    Ok(out)
}
