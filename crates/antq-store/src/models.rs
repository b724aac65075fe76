//! Movement models, their sites, teams, events and history.

use antq_domain::ids::{ModelId, SiteId, TeamId};
use antq_domain::model::{
    Change, HistoryEntry, HostOrg, Model, ModelFields, ModelLevel, ModelScope, ModelState, OriginKind, Site,
    SiteFields, SiteState, Team, TeamFields, Transition,
};
use antq_domain::page::{Page, PageRequest};
use antq_domain::succession::FormerPlace;
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all, fetch_page};
use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

/// Filters of the model list.
#[derive(Clone, Debug, Default)]
pub struct ModelFilter {
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Type id.
    pub type_id: Option<i64>,
    /// State code.
    pub state: Option<String>,
    /// Level code.
    pub level: Option<String>,
    /// Text in the name.
    pub q: Option<String>,
    /// Former district (as recorded before 1 July 2025).
    pub former_district: Option<String>,
    /// Former commune (as recorded before 1 July 2025).
    pub former_commune: Option<String>,
}

impl ModelFilter {
    fn where_clause(&self) -> Sql {
        let mut s = Sql::new("FROM models m JOIN model_types t ON t.id = m.type_id WHERE 1=1");
        s.and_eq("m.province_code", self.province.as_deref())
            .and_eq("m.commune_code", self.commune.as_deref())
            .and_eq("m.state", self.state.as_deref())
            .and_eq("m.level", self.level.as_deref())
            .and_eq("m.former_district_code", self.former_district.as_deref())
            .and_eq("m.former_commune_code", self.former_commune.as_deref());
        if let Some(t) = self.type_id {
            s.push(" AND m.type_id = ").bind(Arg::I64(t));
        }
        if let Some(q) = self.q.as_deref().filter(|q| !q.trim().is_empty()) {
            s.push(" AND m.search_key LIKE ")
                .bind(Arg::Text(antq_domain::text::contains_pattern(q)))
                .push(" ESCAPE '\\'");
        }
        s
    }
}

#[derive(sqlx::FromRow)]
struct ModelRow {
    id: i64,
    province_code: String,
    commune_code: Option<String>,
    type_id: i64,
    type_name: String,
    name: String,
    level: String,
    origin_kind: String,
    origin_area_id: Option<i64>,
    origin_establishment_id: Option<i64>,
    origin_note: Option<String>,
    host_org: String,
    host_note: Option<String>,
    scope: String,
    field_note: Option<String>,
    state: String,
    state_since: Option<NaiveDate>,
    registered_on: Option<NaiveDate>,
    members: Option<i64>,
    funding_state: i64,
    funding_social: i64,
    channels: Option<String>,
    description: Option<String>,
    site_count: i64,
    team_count: i64,
    former_province_code: Option<String>,
    former_district_code: Option<String>,
    former_commune_code: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn decode<T>(v: Option<T>) -> StoreResult<T> {
    v.ok_or_else(|| StoreError::Database(sqlx::Error::Decode("unknown enum code in models".into())))
}

impl TryFrom<ModelRow> for Model {
    type Error = StoreError;
    fn try_from(r: ModelRow) -> StoreResult<Model> {
        Ok(Model {
            id: ModelId(r.id),
            level: decode(ModelLevel::from_code(&r.level))?,
            origin_kind: decode(OriginKind::from_code(&r.origin_kind))?,
            host_org: decode(HostOrg::from_code(&r.host_org))?,
            scope: decode(ModelScope::from_code(&r.scope))?,
            state: decode(ModelState::from_code(&r.state))?,
            province_code: r.province_code,
            commune_code: r.commune_code,
            type_id: r.type_id,
            type_name: r.type_name,
            name: r.name,
            origin_area_id: r.origin_area_id,
            origin_establishment_id: r.origin_establishment_id,
            origin_note: r.origin_note,
            host_note: r.host_note,
            field_note: r.field_note,
            state_since: r.state_since,
            registered_on: r.registered_on,
            members: r.members,
            funding_state: r.funding_state,
            funding_social: r.funding_social,
            channels: r.channels,
            description: r.description,
            site_count: r.site_count,
            team_count: r.team_count,
            former: r.former_province_code.map(|province_code| FormerPlace {
                province_code,
                district_code: r.former_district_code,
                commune_code: r.former_commune_code,
            }),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "m.id, m.province_code, m.commune_code, m.type_id, t.name AS type_name, m.name, m.level, m.origin_kind, \
     m.origin_area_id, m.origin_establishment_id, m.origin_note, m.host_org, m.host_note, m.scope, m.field_note, m.state, \
     m.state_since, m.registered_on, m.members, m.funding_state, m.funding_social, m.channels, m.description, \
     (SELECT COUNT(*) FROM model_sites s WHERE s.model_id = m.id) AS site_count, \
     (SELECT COUNT(*) FROM model_teams k WHERE k.model_id = m.id) AS team_count, \
     m.former_province_code, m.former_district_code, m.former_commune_code, m.created_at, m.updated_at";

/// One page of models, by name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, f: &ModelFilter, page: PageRequest) -> StoreResult<Page<Model>> {
    let (rows, total) = fetch_page::<ModelRow>(db, COLUMNS, &f.where_clause(), "m.search_key, m.id", page).await?;
    let items = rows.into_iter().map(Model::try_from).collect::<Result<_, _>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// Every matching model (exports).
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &ModelFilter) -> StoreResult<Vec<Model>> {
    let mut q = f.where_clause();
    q.text = format!("SELECT {COLUMNS} {} ORDER BY m.province_code, m.commune_code, m.search_key, m.id", q.text);
    fetch_all::<ModelRow>(db, &q).await?.into_iter().map(Model::try_from).collect()
}

/// One model by id.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn get(db: &Db, id: ModelId) -> StoreResult<Model> {
    let mut q =
        Sql::new(&format!("SELECT {COLUMNS} FROM models m JOIN model_types t ON t.id = m.type_id WHERE m.id = "));
    q.bind(Arg::I64(id.0));
    fetch_all::<ModelRow>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// Inserts a model in the given initial state.
#[tracing::instrument(skip_all)]
pub async fn insert(
    tx: &mut Tx,
    province: &str,
    commune: Option<&str>,
    f: &ModelFields,
    state: ModelState,
    state_since: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> StoreResult<ModelId> {
    const SQL: &str = "INSERT INTO models (province_code, commune_code, type_id, name, search_key, level, origin_kind, origin_area_id, \
         origin_establishment_id, origin_note, host_org, host_note, scope, field_note, state, state_since, registered_on, members, \
         funding_state, funding_social, channels, description, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23) RETURNING id";
    let key = antq_domain::text::fold(&f.name);
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(province).bind(commune).bind(f.type_id).bind(&f.name).bind(&key).bind(f.level.code()).bind(f.origin_kind.code())
        .bind(f.origin_area_id).bind(f.origin_establishment_id).bind(&f.origin_note).bind(f.host_org.code()).bind(&f.host_note)
        .bind(f.scope.code()).bind(&f.field_note).bind(state.code()).bind(state_since).bind(f.registered_on).bind(f.members)
        .bind(f.funding_state).bind(f.funding_social).bind(&f.channels).bind(&f.description).bind(now)
        .fetch_one(c).await)?;
    Ok(ModelId(id))
}

/// A model to insert in bulk: place, fields, state and the date the state began.
pub struct NewModel<'a> {
    /// Province code.
    pub province: &'a str,
    /// Commune code.
    pub commune: Option<&'a str>,
    /// Fields.
    pub fields: &'a ModelFields,
    /// Initial state.
    pub state: ModelState,
    /// Date the state began.
    pub state_since: Option<NaiveDate>,
    /// Where it was recorded before 1 July 2025 (its place above restated).
    pub former: Option<&'a FormerPlace>,
}

/// Inserts many models with multi-row statements (imports), then one history entry per
/// model, all inside `tx`. Returns how many were inserted.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn insert_many(
    tx: &mut Tx,
    rows: &[NewModel<'_>],
    user_id: Option<i64>,
    username: &str,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    const COLS: &str = "INSERT INTO models (province_code, commune_code, type_id, name, search_key, level, origin_kind, origin_area_id, \
         origin_establishment_id, origin_note, host_org, host_note, scope, field_note, state, state_since, registered_on, members, \
         funding_state, funding_social, channels, description, former_province_code, former_district_code, \
         former_commune_code, created_at, updated_at) VALUES ";
    let before: i64 =
        with_tx!(tx, c => sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM models").fetch_one(c).await)?;
    let mut inserted = 0;
    // Small chunks: SQLite looks bound parameters up by name with a linear scan, so the cost of
    // one statement grows with the square of its parameter count.
    for chunk in rows.chunks(25) {
        let mut q = Sql::new(COLS);
        for (i, r) in chunk.iter().enumerate() {
            let f = r.fields;
            let args = [
                Arg::Text(r.province.into()),
                Arg::OptText(r.commune.map(Into::into)),
                Arg::I64(f.type_id),
                Arg::Text(f.name.clone()),
                Arg::Text(antq_domain::text::fold(&f.name)),
                Arg::Text(f.level.code().into()),
                Arg::Text(f.origin_kind.code().into()),
                Arg::OptI64(f.origin_area_id),
                Arg::OptI64(f.origin_establishment_id),
                Arg::OptText(f.origin_note.clone()),
                Arg::Text(f.host_org.code().into()),
                Arg::OptText(f.host_note.clone()),
                Arg::Text(f.scope.code().into()),
                Arg::OptText(f.field_note.clone()),
                Arg::Text(r.state.code().into()),
                Arg::OptDate(r.state_since),
                Arg::OptDate(f.registered_on),
                Arg::OptI64(f.members),
                Arg::I64(f.funding_state),
                Arg::I64(f.funding_social),
                Arg::OptText(f.channels.clone()),
                Arg::OptText(f.description.clone()),
                Arg::OptText(r.former.map(|p| p.province_code.clone())),
                Arg::OptText(r.former.and_then(|p| p.district_code.clone())),
                Arg::OptText(r.former.and_then(|p| p.commune_code.clone())),
                Arg::Time(now),
                Arg::Time(now),
            ];
            q.values_row(i == 0, args);
        }
        inserted += with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
            .execute(c).await.map(|r| r.rows_affected()))?;
    }
    // One history entry per new model. Inside this transaction the new rows are exactly those
    // above the previous maximum id created at `now`.
    const HISTORY: &str = "INSERT INTO model_history (model_id, province_code, commune_code, at, user_id, username, action, summary, changes) \
         SELECT id, province_code, commune_code, $1, $2, $3, 'import', 'Nhập từ tệp: «' || name || '»', '[]' FROM models WHERE id > $4 AND created_at = $1";
    with_tx!(tx, c => sqlx::query(HISTORY).bind(now).bind(user_id).bind(username).bind(before).execute(c).await.map(|_| ()))?;
    Ok(inserted)
}

/// Replaces the editable fields and the place of a model.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(
    tx: &mut Tx,
    id: ModelId,
    province: &str,
    commune: Option<&str>,
    f: &ModelFields,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "UPDATE models SET province_code = $1, commune_code = $2, type_id = $3, name = $4, search_key = $5, level = $6, \
         origin_kind = $7, origin_area_id = $8, origin_establishment_id = $9, origin_note = $10, host_org = $11, host_note = $12, \
         scope = $13, field_note = $14, registered_on = $15, members = $16, funding_state = $17, funding_social = $18, \
         channels = $19, description = $20, updated_at = $21 WHERE id = $22";
    let key = antq_domain::text::fold(&f.name);
    let n = with_tx!(tx, c => sqlx::query(SQL)
        .bind(province).bind(commune).bind(f.type_id).bind(&f.name).bind(&key).bind(f.level.code()).bind(f.origin_kind.code())
        .bind(f.origin_area_id).bind(f.origin_establishment_id).bind(&f.origin_note).bind(f.host_org.code()).bind(&f.host_note)
        .bind(f.scope.code()).bind(&f.field_note).bind(f.registered_on).bind(f.members).bind(f.funding_state)
        .bind(f.funding_social).bind(&f.channels).bind(&f.description).bind(now).bind(id.0)
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Moves a model to a new state, but only if it is still in `t.from` (so two officers
/// acting at once cannot both apply a transition).
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn apply_transition(tx: &mut Tx, id: ModelId, t: &Transition, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "UPDATE models SET state = $1, state_since = $2, updated_at = $3 WHERE id = $4 AND state = $5";
    let n = with_tx!(tx, c => sqlx::query(SQL)
        .bind(t.to.code()).bind(t.on_date).bind(now).bind(id.0).bind(t.from.code())
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Records a dated event (ra mắt, sơ kết, thanh loại …).
#[tracing::instrument(skip_all, fields(id = %model.id))]
pub async fn insert_event(
    tx: &mut Tx,
    model: &Model,
    kind: &str,
    on_date: NaiveDate,
    decision_no: Option<&str>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO model_events (model_id, province_code, commune_code, kind, on_date, decision_no, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    with_tx!(tx, c => sqlx::query(SQL)
        .bind(model.id.0).bind(&model.province_code).bind(&model.commune_code).bind(kind).bind(on_date).bind(decision_no).bind(note).bind(now)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Appends a history entry.
#[tracing::instrument(skip_all, fields(id = %model_id))]
#[allow(clippy::too_many_arguments)]
pub async fn insert_history(
    tx: &mut Tx,
    model_id: ModelId,
    province: &str,
    commune: Option<&str>,
    user_id: Option<i64>,
    username: &str,
    action: &str,
    summary: &str,
    changes: &[Change],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO model_history (model_id, province_code, commune_code, at, user_id, username, action, summary, changes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let changes = serde_json::to_string(changes).map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
    with_tx!(tx, c => sqlx::query(SQL)
        .bind(model_id.0).bind(province).bind(commune).bind(now).bind(user_id).bind(username).bind(action).bind(summary).bind(&changes)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The history of a model, newest first.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn history(db: &Db, id: ModelId) -> StoreResult<Vec<HistoryEntry>> {
    const SQL: &str =
        "SELECT at, username, action, summary, changes FROM model_history WHERE model_id = $1 ORDER BY id DESC";
    let rows: Vec<(DateTime<Utc>, String, String, String, String)> =
        with_db!(db, p => sqlx::query_as(SQL).bind(id.0).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(at, username, action, summary, changes)| HistoryEntry {
            at,
            username,
            action,
            summary,
            changes: serde_json::from_str(&changes).unwrap_or_default(),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    id: i64,
    model_id: i64,
    province_code: String,
    commune_code: String,
    name: String,
    area_id: Option<i64>,
    establishment_id: Option<i64>,
    started_on: Option<NaiveDate>,
    state: String,
    note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: i64,
    site_id: i64,
    name: String,
    members: Option<i64>,
    leader: Option<String>,
}

/// The sites of a model with their teams.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn sites(db: &Db, id: ModelId) -> StoreResult<Vec<Site>> {
    const SITES: &str = "SELECT id, model_id, province_code, commune_code, name, area_id, establishment_id, started_on, state, note \
         FROM model_sites WHERE model_id = $1 ORDER BY id";
    const TEAMS: &str = "SELECT id, site_id, name, members, leader FROM model_teams WHERE model_id = $1 ORDER BY id";
    let sites: Vec<SiteRow> = with_db!(db, p => sqlx::query_as(SITES).bind(id.0).fetch_all(p).await)?;
    let teams: Vec<TeamRow> = with_db!(db, p => sqlx::query_as(TEAMS).bind(id.0).fetch_all(p).await)?;
    Ok(sites
        .into_iter()
        .map(|s| Site {
            id: SiteId(s.id),
            teams: teams
                .iter()
                .filter(|t| t.site_id == s.id)
                .map(|t| Team {
                    id: TeamId(t.id),
                    site_id: t.site_id,
                    name: t.name.clone(),
                    members: t.members,
                    leader: t.leader.clone(),
                })
                .collect(),
            model_id: s.model_id,
            province_code: s.province_code,
            commune_code: s.commune_code,
            name: s.name,
            area_id: s.area_id,
            establishment_id: s.establishment_id,
            started_on: s.started_on,
            state: SiteState::from_code(&s.state).unwrap_or(SiteState::HoatDong),
            note: s.note,
        })
        .collect())
}

/// Adds a site to a model.
#[tracing::instrument(skip_all, fields(id = %model))]
pub async fn insert_site(
    tx: &mut Tx,
    model: ModelId,
    province: &str,
    f: &SiteFields,
    now: DateTime<Utc>,
) -> StoreResult<SiteId> {
    const SQL: &str = "INSERT INTO model_sites (model_id, province_code, commune_code, name, area_id, establishment_id, started_on, state, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(model.0).bind(province).bind(&f.commune_code).bind(&f.name).bind(f.area_id).bind(f.establishment_id)
        .bind(f.started_on).bind(f.state.code()).bind(&f.note).bind(now).fetch_one(c).await)?;
    Ok(SiteId(id))
}

/// Moves a site to `state` (the follow-up of a "cần thanh loại" rating).
#[tracing::instrument(skip_all, fields(id = %site))]
pub async fn set_site_state(tx: &mut Tx, site: SiteId, state: antq_domain::model::SiteState) -> StoreResult<()> {
    const SQL: &str = "UPDATE model_sites SET state = $1 WHERE id = $2";
    let n = with_tx!(tx, c => sqlx::query(SQL).bind(state.code()).bind(site.0).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Adds a team to a site (placed where the site is).
#[tracing::instrument(skip_all, fields(id = %site.id))]
pub async fn insert_team(tx: &mut Tx, site: &Site, f: &TeamFields, now: DateTime<Utc>) -> StoreResult<TeamId> {
    const SQL: &str = "INSERT INTO model_teams (site_id, model_id, province_code, commune_code, name, members, leader, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    let id: i64 = with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(site.id.0).bind(site.model_id).bind(&site.province_code).bind(&site.commune_code).bind(&f.name).bind(f.members)
        .bind(&f.leader).bind(now).fetch_one(c).await)?;
    Ok(TeamId(id))
}

/// The dated events of a model, oldest first.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn events(db: &Db, id: ModelId) -> StoreResult<Vec<antq_domain::model::ModelEvent>> {
    const SQL: &str =
        "SELECT kind, on_date, decision_no, note FROM model_events WHERE model_id = $1 ORDER BY on_date, id";
    let rows: Vec<(String, NaiveDate, Option<String>, Option<String>)> =
        with_db!(db, p => sqlx::query_as(SQL).bind(id.0).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, on_date, decision_no, note)| {
            Some(antq_domain::model::ModelEvent {
                kind: antq_domain::model::ModelEventKind::from_code(&kind)?,
                on_date,
                decision_no,
                note,
            })
        })
        .collect())
}

/// A file to store with a document.
pub struct DocumentFile<'a> {
    /// Original file name.
    pub name: &'a str,
    /// Checked content type.
    pub content_type: &'a str,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// Stores a document (and its file, if any) of a model.
#[tracing::instrument(skip_all, fields(id = %model.id))]
pub async fn insert_document(
    tx: &mut Tx,
    model: &Model,
    f: &antq_domain::model::DocumentFields,
    file: Option<DocumentFile<'_>>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO model_documents (model_id, province_code, commune_code, title, doc_no, issued_on, file_name, content_type, size, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    let (name, ctype, size, bytes) = match &file {
        Some(d) => (Some(d.name), Some(d.content_type), d.bytes.len() as i64, Some(d.bytes)),
        None => (None, None, 0, None),
    };
    Ok(with_tx!(tx, c => sqlx::query_scalar(SQL)
        .bind(model.id.0).bind(&model.province_code).bind(&model.commune_code).bind(&f.title).bind(&f.doc_no).bind(f.issued_on)
        .bind(name).bind(ctype).bind(size).bind(bytes).bind(now).fetch_one(c).await)?)
}

/// The documents of a model (without their files), newest first.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn documents(db: &Db, id: ModelId) -> StoreResult<Vec<antq_domain::model::ModelDocument>> {
    const SQL: &str = "SELECT id, title, doc_no, issued_on, file_name, content_type, size, created_at FROM model_documents WHERE model_id = $1 ORDER BY id DESC";
    type DocRow = (i64, String, Option<String>, Option<NaiveDate>, Option<String>, Option<String>, i64, DateTime<Utc>);
    let rows: Vec<DocRow> = with_db!(db, p => sqlx::query_as(SQL).bind(id.0).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, title, doc_no, issued_on, file_name, content_type, size, created_at)| {
            antq_domain::model::ModelDocument {
                id,
                title,
                doc_no,
                issued_on,
                file_name,
                content_type,
                size,
                created_at,
            }
        })
        .collect())
}

/// The file of one document of a model: `(file name, content type, bytes)`.
#[tracing::instrument(skip_all, fields(id = %model))]
pub async fn document_file(db: &Db, model: ModelId, document: i64) -> StoreResult<(String, String, Vec<u8>)> {
    const SQL: &str = "SELECT file_name, content_type, content FROM model_documents WHERE model_id = $1 AND id = $2 AND content IS NOT NULL";
    let row: (String, String, Vec<u8>) =
        with_db!(db, p => sqlx::query_as(SQL).bind(model.0).bind(document).fetch_one(p).await)?;
    Ok(row)
}
