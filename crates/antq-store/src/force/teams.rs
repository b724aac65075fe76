//! Tổ bảo vệ ANTT rows and the areas they cover.

use antq_domain::force::team::{TeamArea, TeamFields};
use antq_domain::force::{Team, TeamState, TeamStep};
use antq_domain::ids::{AreaId, ForceTeamId};
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all, fetch_page, update_in_state};
use crate::{Db, StoreError, StoreResult, Tx, with_tx};

/// Filters of the team list.
#[derive(Clone, Debug, Default)]
pub struct TeamFilter {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Text in the name.
    pub q: Option<String>,
    /// State code.
    pub state: Option<String>,
    /// Include dissolved teams.
    pub include_dissolved: bool,
    /// Teams covering this area.
    pub area: Option<AreaId>,
}

impl TeamFilter {
    fn where_clause(&self) -> Sql {
        let mut s = Sql::new("FROM force_teams t WHERE 1=1");
        s.and_eq("t.province_code", self.province.as_deref())
            .and_eq("t.commune_code", self.commune.as_deref())
            .and_eq("t.state", self.state.as_deref());
        if let Some(q) = self.q.as_deref().filter(|q| !q.trim().is_empty()) {
            s.push(" AND t.search_key LIKE ")
                .bind(Arg::Text(antq_domain::text::contains_pattern(q)))
                .push(" ESCAPE '\\'");
        }
        if !self.include_dissolved && self.state.is_none() {
            s.push(" AND t.state <> 'giai_the'");
        }
        if let Some(a) = self.area {
            s.push(" AND t.id IN (SELECT team_id FROM force_team_areas WHERE area_id = ").bind(Arg::I64(a.0)).push(")");
        }
        s
    }
}

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: i64,
    province_code: String,
    commune_code: String,
    name: String,
    state: String,
    selection_on: Option<NaiveDate>,
    proposed_on: Option<NaiveDate>,
    decision_no: Option<String>,
    decided_on: Option<NaiveDate>,
    signer: Option<String>,
    posted_on: Option<NaiveDate>,
    posted_place: Option<String>,
    dissolution_proposed_on: Option<NaiveDate>,
    dissolution_reason: Option<String>,
    dissolution_decision_no: Option<String>,
    dissolved_on: Option<NaiveDate>,
    dissolution_signer: Option<String>,
    note: Option<String>,
    leaders: i64,
    deputies: i64,
    size: i64,
    active: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "t.id, t.province_code, t.commune_code, t.name, t.state, t.selection_on, t.proposed_on, \
    t.decision_no, t.decided_on, t.signer, t.posted_on, t.posted_place, t.dissolution_proposed_on, t.dissolution_reason, \
    t.dissolution_decision_no, t.dissolved_on, t.dissolution_signer, t.note, t.leaders, t.deputies, t.size, t.active, \
    t.created_at, t.updated_at";

impl TeamRow {
    fn into_team(self, areas: Vec<TeamArea>) -> Team {
        Team {
            id: ForceTeamId(self.id),
            state: TeamState::from_code(&self.state).unwrap_or(TeamState::DuKien),
            province_code: self.province_code,
            commune_code: self.commune_code,
            name: self.name,
            areas,
            selection_on: self.selection_on,
            proposed_on: self.proposed_on,
            decision_no: self.decision_no,
            decided_on: self.decided_on,
            signer: self.signer,
            posted_on: self.posted_on,
            posted_place: self.posted_place,
            dissolution_proposed_on: self.dissolution_proposed_on,
            dissolution_reason: self.dissolution_reason,
            dissolution_decision_no: self.dissolution_decision_no,
            dissolved_on: self.dissolved_on,
            dissolution_signer: self.dissolution_signer,
            note: self.note,
            leaders: self.leaders,
            deputies: self.deputies,
            size: self.size,
            active: self.active,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    team_id: i64,
    id: i64,
    name: String,
    households: Option<i64>,
    population: Option<i64>,
    special_zone: bool,
}

/// The areas of the teams `ids`, by team.
async fn areas_of(db: &Db, ids: &[i64]) -> StoreResult<std::collections::HashMap<i64, Vec<TeamArea>>> {
    let mut out: std::collections::HashMap<i64, Vec<TeamArea>> = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new(
            "SELECT ta.team_id, a.id, a.name, a.households, a.population, a.special_zone FROM force_team_areas ta \
             JOIN areas a ON a.id = ta.area_id WHERE ta.team_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(Arg::I64(*id));
        }
        q.push(") ORDER BY a.search_key, a.id");
        for r in fetch_all::<AreaRow>(db, &q).await? {
            out.entry(r.team_id).or_default().push(TeamArea {
                id: AreaId(r.id),
                name: r.name,
                households: r.households,
                population: r.population,
                special_zone: r.special_zone,
            });
        }
    }
    Ok(out)
}

async fn with_areas(db: &Db, rows: Vec<TeamRow>) -> StoreResult<Vec<Team>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut areas = areas_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let a = areas.remove(&r.id).unwrap_or_default();
            r.into_team(a)
        })
        .collect())
}

/// One page of teams, by commune then name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, f: &TeamFilter, page: PageRequest) -> StoreResult<Page<Team>> {
    let (rows, total) =
        fetch_page::<TeamRow>(db, COLUMNS, &f.where_clause(), "t.commune_code, t.search_key, t.id", page).await?;
    Ok(Page { items: with_areas(db, rows).await?, total, page: page.page, per_page: page.per_page })
}

/// Every matching team (exports, pickers).
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &TeamFilter) -> StoreResult<Vec<Team>> {
    let mut q = f.where_clause();
    q.text = format!("SELECT {COLUMNS} {} ORDER BY t.commune_code, t.search_key, t.id", q.text);
    let rows = fetch_all::<TeamRow>(db, &q).await?;
    with_areas(db, rows).await
}

/// One team.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn get(db: &Db, id: ForceTeamId) -> StoreResult<Team> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM force_teams t WHERE t.id = "));
    q.bind(Arg::I64(id.0));
    let row = fetch_all::<TeamRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?;
    Ok(with_areas(db, vec![row]).await?.remove(0))
}

/// Inserts a team (state "dự kiến") with its areas.
#[tracing::instrument(skip_all)]
pub async fn insert(
    tx: &mut Tx,
    province: &str,
    commune: &str,
    f: &TeamFields,
    now: DateTime<Utc>,
) -> StoreResult<ForceTeamId> {
    const SQL: &str = "INSERT INTO force_teams (province_code, commune_code, name, search_key, state, selection_on, posted_on, posted_place, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'du_kien', $5, $6, $7, $8, $9, $9) RETURNING id";
    let key = antq_domain::text::fold(&f.name);
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(province).bind(commune).bind(&f.name).bind(&key).bind(f.selection_on).bind(f.posted_on)
        .bind(&f.posted_place).bind(&f.note).bind(now).fetch_one(c).await)?;
    let id = ForceTeamId(id);
    set_areas(tx, id, province, commune, &f.area_ids).await?;
    Ok(id)
}

/// Replaces the editable fields and the areas.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(
    tx: &mut Tx,
    id: ForceTeamId,
    province: &str,
    commune: &str,
    f: &TeamFields,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "UPDATE force_teams SET name = $1, search_key = $2, selection_on = $3, posted_on = $4, posted_place = $5, note = $6, updated_at = $7 WHERE id = $8";
    let key = antq_domain::text::fold(&f.name);
    let n = with_tx!(tx, c => sqlx::query(SQL)
        .bind(&f.name).bind(&key).bind(f.selection_on).bind(f.posted_on).bind(&f.posted_place).bind(&f.note).bind(now).bind(id.0)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    set_areas(tx, id, province, commune, &f.area_ids).await
}

async fn set_areas(tx: &mut Tx, id: ForceTeamId, province: &str, commune: &str, areas: &[AreaId]) -> StoreResult<()> {
    with_tx!(tx, c => sqlx::query("DELETE FROM force_team_areas WHERE team_id = $1").bind(id.0).execute(c).await.map(|_| ()))?;
    const SQL: &str = "INSERT INTO force_team_areas (team_id, area_id, province_code, commune_code, open) \
         SELECT $1, $2, $3, $4, state <> 'giai_the' FROM force_teams WHERE id = $1";
    for a in areas {
        with_tx!(tx, c => sqlx::query(SQL).bind(id.0).bind(a.0).bind(province).bind(commune).execute(c).await.map(|_| ()))?;
    }
    refresh_measures(tx, id).await
}

/// The measures of a team's areas: households and population (when every area has them) and
/// a special area among them, for the row being updated.
const MEASURES: &str = "households = (SELECT CASE WHEN COUNT(a.households) = COUNT(*) THEN SUM(a.households) END FROM force_team_areas ta JOIN areas a ON a.id = ta.area_id WHERE ta.team_id = force_teams.id), \
     population = (SELECT CASE WHEN COUNT(a.population) = COUNT(*) THEN SUM(a.population) END FROM force_team_areas ta JOIN areas a ON a.id = ta.area_id WHERE ta.team_id = force_teams.id), \
     special_zone = COALESCE((SELECT MAX(CASE WHEN a.special_zone THEN 1 ELSE 0 END) FROM force_team_areas ta JOIN areas a ON a.id = ta.area_id WHERE ta.team_id = force_teams.id), 0) = 1";

/// The member counters of the row being updated.
const COUNTERS: &str = "leaders = (SELECT COUNT(*) FROM force_members m WHERE m.team_id = force_teams.id AND m.holds_place AND m.role = 'to_truong'), \
     deputies = (SELECT COUNT(*) FROM force_members m WHERE m.team_id = force_teams.id AND m.holds_place AND m.role = 'to_pho'), \
     size = (SELECT COUNT(*) FROM force_members m WHERE m.team_id = force_teams.id AND m.holds_place), \
     active = (SELECT COUNT(*) FROM force_members m WHERE m.team_id = force_teams.id AND m.state = 'dang_tham_gia')";

/// Recomputes the households, population and special-area flag of a team from its areas.
pub async fn refresh_measures(tx: &mut Tx, id: ForceTeamId) -> StoreResult<()> {
    let sql = format!("UPDATE force_teams SET {MEASURES} WHERE id = $1");
    with_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id.0).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Recomputes the measures of the teams covering an area (after the area changed).
pub async fn refresh_area_teams(tx: &mut Tx, area: AreaId) -> StoreResult<()> {
    let ids: Vec<i64> = with_tx!(tx, c => sqlx::query_scalar("SELECT team_id FROM force_team_areas WHERE area_id = $1")
        .bind(area.0).fetch_all(c).await)?;
    for id in ids {
        refresh_measures(tx, ForceTeamId(id)).await?;
    }
    Ok(())
}

/// Recomputes the member counters of a team.
pub async fn refresh_counts(tx: &mut Tx, id: ForceTeamId) -> StoreResult<()> {
    let sql = format!("UPDATE force_teams SET {COUNTERS} WHERE id = $1");
    with_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id.0).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Moves a team through a step (refused as a conflict when someone moved it first).
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn apply_step(
    tx: &mut Tx,
    id: ForceTeamId,
    from: TeamState,
    step: &TeamStep,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let to = Arg::Text(step.to_state().code().into());
    let (set, args): (&str, Vec<Arg>) = match step {
        TeamStep::Propose { on } => {
            ("state = ?, proposed_on = ?, updated_at = ?", vec![to, Arg::Date(*on), Arg::Time(now)])
        }
        TeamStep::Establish { on, decision_no, signer } => (
            "state = ?, decided_on = ?, decision_no = ?, signer = ?, updated_at = ?",
            vec![to, Arg::Date(*on), Arg::Text(decision_no.clone()), Arg::Text(signer.clone()), Arg::Time(now)],
        ),
        TeamStep::ProposeDissolution { on, reason } => (
            "state = ?, dissolution_proposed_on = ?, dissolution_reason = ?, updated_at = ?",
            vec![to, Arg::Date(*on), Arg::Text(reason.clone()), Arg::Time(now)],
        ),
        TeamStep::CancelDissolution => (
            "state = ?, dissolution_proposed_on = NULL, dissolution_reason = NULL, updated_at = ?",
            vec![to, Arg::Time(now)],
        ),
        TeamStep::Dissolve { on, decision_no, signer, reason } => (
            "state = ?, dissolved_on = ?, dissolution_decision_no = ?, dissolution_signer = ?, dissolution_reason = ?, updated_at = ?",
            vec![
                to,
                Arg::Date(*on),
                Arg::Text(decision_no.clone()),
                Arg::Text(signer.clone()),
                Arg::Text(reason.clone()),
                Arg::Time(now),
            ],
        ),
    };
    update_in_state(tx, "force_teams", id.0, from.code(), set, args).await?;
    let open = step.to_state().is_open();
    with_tx!(tx, c => sqlx::query("UPDATE force_team_areas SET open = $1 WHERE team_id = $2").bind(open).bind(id.0).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Every team of a commune: `(id, folded name)` (imports).
pub async fn keys(
    db: &Db,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<(i64, String, String, String)>> {
    let mut q = Sql::new("SELECT id, commune_code, search_key, state FROM force_teams WHERE 1=1");
    q.and_eq("province_code", province).and_eq("commune_code", commune);
    #[derive(sqlx::FromRow)]
    struct K {
        id: i64,
        commune_code: String,
        search_key: String,
        state: String,
    }
    Ok(fetch_all::<K>(db, &q).await?.into_iter().map(|k| (k.id, k.commune_code, k.search_key, k.state)).collect())
}

/// A team written in bulk (the demo generator): already established unless `decided_on` is `None`.
pub struct BulkTeam {
    /// Province.
    pub province: String,
    /// Commune.
    pub commune: String,
    /// Name (unique in the commune).
    pub name: String,
    /// State.
    pub state: TeamState,
    /// Selection minutes.
    pub selection_on: Option<NaiveDate>,
    /// Proposal.
    pub proposed_on: Option<NaiveDate>,
    /// Establishment decision `(number, date, signer)`.
    pub decision: Option<(String, NaiveDate, String)>,
    /// Areas covered.
    pub areas: Vec<AreaId>,
}

/// Writes teams with their areas in multi-row statements; returns the ids in order.
pub async fn insert_many(tx: &mut Tx, rows: &[BulkTeam], now: DateTime<Utc>) -> StoreResult<Vec<ForceTeamId>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(400) {
        let mut q = Sql::new(
            "INSERT INTO force_teams (province_code, commune_code, name, search_key, state, selection_on, proposed_on, decision_no, decided_on, signer, posted_on, created_at, updated_at) VALUES ",
        );
        for (i, t) in chunk.iter().enumerate() {
            let (no, on, signer) = match &t.decision {
                Some((n, d, s)) => (Some(n.clone()), Some(*d), Some(s.clone())),
                None => (None, None, None),
            };
            q.values_row(
                i == 0,
                [
                    Arg::Text(t.province.clone()),
                    Arg::Text(t.commune.clone()),
                    Arg::Text(t.name.clone()),
                    Arg::Text(antq_domain::text::fold(&t.name)),
                    Arg::Text(t.state.code().into()),
                    Arg::OptDate(t.selection_on),
                    Arg::OptDate(t.proposed_on),
                    Arg::OptText(no),
                    Arg::OptDate(on),
                    Arg::OptText(signer),
                    Arg::OptDate(on),
                    Arg::Time(now),
                    Arg::Time(now),
                ],
            );
        }
        let text = q.text_for(tx.backend());
        with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(text.clone())), q.args.clone()).execute(c).await.map(|_| ()))?;
    }
    // Names are unique per commune: read the ids back by name.
    let mut by_name = std::collections::HashMap::new();
    for province in rows.iter().map(|t| t.province.as_str()).collect::<std::collections::BTreeSet<_>>() {
        let found: Vec<(i64, String, String)> = with_tx!(tx, c => sqlx::query_as(
            "SELECT id, commune_code, name FROM force_teams WHERE province_code = $1").bind(province).fetch_all(c).await)?;
        by_name.extend(found.into_iter().map(|(id, c, n)| ((c, n), id)));
    }
    for t in rows {
        ids.push(ForceTeamId(*by_name.get(&(t.commune.clone(), t.name.clone())).ok_or(StoreError::NotFound)?));
    }
    let links: Vec<(i64, i64, &BulkTeam)> =
        rows.iter().zip(&ids).flat_map(|(t, id)| t.areas.iter().map(move |a| (id.0, a.0, t))).collect();
    for chunk in links.chunks(800) {
        let mut q =
            Sql::new("INSERT INTO force_team_areas (team_id, area_id, province_code, commune_code, open) VALUES ");
        for (i, (team, area, t)) in chunk.iter().enumerate() {
            q.values_row(
                i == 0,
                [
                    Arg::I64(*team),
                    Arg::I64(*area),
                    Arg::Text(t.province.clone()),
                    Arg::Text(t.commune.clone()),
                    Arg::Bool(t.state.is_open()),
                ],
            );
        }
        let text = q.text_for(tx.backend());
        with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(text.clone())), q.args.clone()).execute(c).await.map(|_| ()))?;
    }
    Ok(ids)
}

/// Recomputes the counters and measures of every team of a province (after bulk writes).
pub async fn refresh_province(tx: &mut Tx, province: &str) -> StoreResult<()> {
    let sql = format!("UPDATE force_teams SET {COUNTERS}, {MEASURES} WHERE province_code = $1");
    with_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(province).execute(c).await.map(|_| ()))?;
    Ok(())
}
