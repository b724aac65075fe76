//! Pages of the model registry, the taxonomy, the dashboard and the statistics.

use antq_app::models::{self, ListQuery};
use antq_app::stats::{LabelledCounts, ModelGroup};
use antq_app::{AppError, model_types};
use antq_domain::FieldErrors;
use antq_domain::access::{Permission, Role};
use antq_domain::ids::{ModelId, ModelTypeId, SiteId};
use antq_domain::model::{
    Change, EventInput, HistoryEntry, HostOrg, Model, ModelEvent, ModelEventKind, ModelInput, ModelLevel, ModelScope,
    ModelState, OriginKind, SiteInput, SiteState, TeamInput, TransitionInput,
};
use antq_domain::page::PageRequest;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};

use super::place::{CommuneField, PlaceFilter};
use super::{
    Chrome, InLang, Opt, OptionsFragment, PageResult, Pager, blank_none, enum_opts, form_errors, form_int,
    query_string, render, render_status, see_other,
};
use crate::AppState;
use crate::auth::{HxRequest, PageActor};
use crate::i18n::Tr;
use crate::routes::{READ, Routes, TAXONOMY, WRITE};
use axum::http::Method;

/// Routes of the model pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/models", get(list).post(create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/models/new", get(new), &[(Method::GET, WRITE)])
        .route("/models/{id}", get(show).post(update), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/models/{id}/edit", get(edit), &[(Method::GET, WRITE)])
        .route("/models/{id}/transitions", post(transition), &[(Method::POST, WRITE)])
        .route("/models/{id}/events", post(add_event), &[(Method::POST, WRITE)])
        .route("/models/{id}/sites", post(add_site), &[(Method::POST, WRITE)])
        .route("/models/{id}/sites/{site}/teams", post(add_team), &[(Method::POST, WRITE)])
        .route(
            "/models/{id}/documents",
            post(add_document).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/models/{id}/documents/{doc}", get(document_file), &[(Method::GET, READ)])
        .route("/model-types", get(types).post(create_type), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route("/model-types/{id}", post(update_type), &[(Method::POST, TAXONOMY)])
        .route("/stats/models", get(stats), &[(Method::GET, READ)])
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    scope: String,
    totals: antq_app::stats::ModelCounts,
    areas: i64,
    establishments: i64,
    by_state: Vec<LabelledCounts>,
    /// Crime reports in scope (roles that read their content).
    reports: Option<ReportKpis>,
    /// The charts of the scope, each with its table.
    charts: Vec<antq_app::dashboard::Chart>,
    /// When they were read.
    charts_at: String,
}

/// Open and overdue crime reports of the dashboard.
struct ReportKpis {
    open: i64,
    overdue: i64,
}

/// `GET /`: the dashboard of the user's scope.
pub async fn home(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    let totals = antq_app::stats::place_totals(&s.ctx, &p.actor, None, None).await.lang(tr)?;
    let by_state = antq_app::stats::models(&s.ctx, &p.actor, ModelGroup::State).await.lang(tr)?;
    let by_state = ModelState::ALL
        .iter()
        .map(|st| {
            let r = by_state.iter().find(|r| r.key == st.code());
            LabelledCounts {
                key: st.code().into(),
                label: tr.l(st).into(),
                models: r.map_or(0, |r| r.models),
                sites: r.map_or(0, |r| r.sites),
                teams: r.map_or(0, |r| r.teams),
            }
        })
        .collect();
    let one = PageRequest::new(Some(1), Some(1));
    let q = antq_app::areas::ListQuery::default();
    let areas = antq_app::areas::list(&s.ctx, &p.actor, &q, one).await.lang(tr)?.total;
    let establishments = antq_app::establishments::list(&s.ctx, &p.actor, &q, one).await.lang(tr)?.total;
    let scope = super::scope_name(&s, &p.actor, tr).await;
    let reports = if p.actor.role.grants(antq_domain::access::Permission::ReadReportContent) {
        let all = |overdue| antq_app::reports::QueueQuery { unit: Some("all".into()), overdue, ..Default::default() };
        let open = antq_app::reports::queue(&s.ctx, &p.actor, &all(false), one).await.lang(tr)?.total;
        let late = antq_app::reports::queue(&s.ctx, &p.actor, &all(true), one).await.lang(tr)?.total;
        Some(ReportKpis { open, overdue: late })
    } else {
        None
    };
    let charts = antq_app::dashboard::charts(&s.ctx, &p.actor).await.lang(tr)?;
    Ok(render(&HomePage {
        c: Chrome::new(tr, &p, "home", tr.t("home.title")),
        scope,
        totals,
        areas,
        establishments,
        by_state,
        reports,
        charts_at: tr.datetime(charts.computed_at),
        charts: charts.charts,
    }))
}

/// Filters from the query string.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListParams {
    province: Option<String>,
    commune: Option<String>,
    type_id: Option<String>,
    state: Option<String>,
    level: Option<String>,
    q: Option<String>,
    former_district: Option<String>,
    former_commune: Option<String>,
    page: Option<u32>,
}

impl ListParams {
    fn query(&self) -> ListQuery {
        ListQuery {
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            type_id: blank_none(&self.type_id).and_then(|t| t.parse().ok()),
            state: blank_none(&self.state),
            level: blank_none(&self.level),
            q: blank_none(&self.q),
            former_district: blank_none(&self.former_district),
            former_commune: blank_none(&self.former_commune),
        }
    }

    fn base_query(&self) -> String {
        let q = self.query();
        query_string(&[
            ("province", q.province.unwrap_or_default()),
            ("commune", q.commune.unwrap_or_default()),
            ("type_id", q.type_id.map(|t| t.to_string()).unwrap_or_default()),
            ("state", q.state.unwrap_or_default()),
            ("level", q.level.unwrap_or_default()),
            ("q", q.q.unwrap_or_default()),
            ("former_district", q.former_district.unwrap_or_default()),
            ("former_commune", q.former_commune.unwrap_or_default()),
        ])
    }
}

/// A row of the model list.
pub struct ModelRow {
    id: i64,
    name: String,
    type_name: String,
    level: ModelLevel,
    place: String,
    state: ModelState,
    site_count: i64,
    team_count: i64,
}

#[derive(Template)]
#[template(path = "_models.html")]
struct ModelsFragment {
    c: Chrome,
    query: String,
    rows: Vec<ModelRow>,
    total: i64,
    sites: i64,
    teams: i64,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "models.html")]
struct ModelsPage {
    c: Chrome,
    place: PlaceFilter,
    types: Vec<Opt>,
    states: Vec<Opt>,
    levels: Vec<Opt>,
    q: String,
    /// The former place filtered by: `(field, code, name of the time)`.
    former: Vec<(&'static str, String, String)>,
    results: String,
}

async fn type_opts(s: &AppState, p: &PageActor, selected: Option<i64>, only_active: bool) -> Vec<Opt> {
    model_types::list(&s.ctx, &p.actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|t| !only_active || t.active || Some(t.id.0) == selected)
        .map(|t| Opt { selected: Some(t.id.0) == selected, value: t.id.0.to_string(), label: t.name })
        .collect()
}

/// Where a model is, as text.
async fn place_names(s: &AppState, models: &[&Model]) -> std::collections::HashMap<String, String> {
    antq_app::units::names(
        &s.ctx,
        models.iter().flat_map(|m| [m.province_code.clone(), m.commune_code.clone().unwrap_or_default()]),
    )
    .await
    .unwrap_or_default()
}

fn place_of(m: &Model, names: &std::collections::HashMap<String, String>) -> String {
    let code = m.commune_code.as_ref().unwrap_or(&m.province_code);
    names.get(code).cloned().unwrap_or_else(|| code.clone())
}

async fn list(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    HxRequest(hx): HxRequest,
    Query(lp): Query<ListParams>,
) -> PageResult {
    let q = lp.query();
    let page = models::list(&s.ctx, &p.actor, &q, PageRequest::new(lp.page, None)).await.lang(tr)?;
    let names = place_names(&s, &page.items.iter().collect::<Vec<_>>()).await;
    let base = lp.base_query();
    let pager = Pager::new(&page, &base);
    let rows: Vec<ModelRow> = page
        .items
        .iter()
        .map(|m| ModelRow {
            id: m.id.0,
            name: m.name.clone(),
            type_name: m.type_name.clone(),
            level: m.level,
            place: place_of(m, &names),
            state: m.state,
            site_count: m.site_count,
            team_count: m.team_count,
        })
        .collect();
    let title = tr.t("models.title");
    let fragment = ModelsFragment {
        c: Chrome::new(tr, &p, "models", title),
        query: base.clone(),
        sites: rows.iter().map(|r| r.site_count).sum(),
        teams: rows.iter().map(|r| r.team_count).sum(),
        rows,
        total: page.total,
        pager,
    };
    if hx {
        return Ok(render(&fragment));
    }
    Ok(render(&ModelsPage {
        c: Chrome::new(tr, &p, "models", title),
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        types: type_opts(&s, &p, q.type_id, false).await,
        states: enum_opts(tr, ModelState::ALL, q.state.as_deref()),
        levels: enum_opts(tr, ModelLevel::ALL, q.level.as_deref()),
        q: q.q.clone().unwrap_or_default(),
        former: former_filters(&s, &p, &q).await,
        results: fragment.render().unwrap_or_default(),
    }))
}

/// The former district and commune a list is filtered by, named as they were.
async fn former_filters(s: &AppState, p: &PageActor, q: &ListQuery) -> Vec<(&'static str, String, String)> {
    use antq_domain::succession::{FORMER_2025, FormerLevel};
    let mut out = Vec::new();
    for (field, level, code) in [
        ("former_district", FormerLevel::District, &q.former_district),
        ("former_commune", FormerLevel::Commune, &q.former_commune),
    ] {
        if let Some(code) = code {
            let name = antq_app::lineage::former(&s.ctx, &p.actor, FORMER_2025, level, code)
                .await
                .map(|v| if v.place.is_empty() { v.name } else { format!("{}, {}", v.name, v.place) })
                .unwrap_or_else(|_| code.clone());
            out.push((field, code.clone(), name));
        }
    }
    out
}

/// The model form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ModelForm {
    name: String,
    type_id: Option<String>,
    level: Option<String>,
    province_code: Option<String>,
    commune_code: Option<String>,
    origin_kind: Option<String>,
    origin_area_id: Option<String>,
    origin_establishment_id: Option<String>,
    origin_note: Option<String>,
    host_org: Option<String>,
    host_note: Option<String>,
    scope: Option<String>,
    field_note: Option<String>,
    registered_on: Option<String>,
    members: Option<String>,
    funding_state: Option<String>,
    funding_social: Option<String>,
    channels: Option<String>,
    description: Option<String>,
    former_commune: Option<String>,
    former_district: Option<String>,
    former_province: Option<String>,
}

fn s_opt<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

impl ModelForm {
    fn from_model(m: &Model) -> Self {
        ModelForm {
            name: m.name.clone(),
            type_id: s_opt(Some(m.type_id)),
            level: Some(m.level.code().into()),
            province_code: Some(m.province_code.clone()),
            commune_code: m.commune_code.clone(),
            origin_kind: Some(m.origin_kind.code().into()),
            origin_area_id: s_opt(m.origin_area_id),
            origin_establishment_id: s_opt(m.origin_establishment_id),
            origin_note: m.origin_note.clone(),
            host_org: Some(m.host_org.code().into()),
            host_note: m.host_note.clone(),
            scope: Some(m.scope.code().into()),
            field_note: m.field_note.clone(),
            registered_on: s_opt(m.registered_on),
            members: s_opt(m.members),
            funding_state: Some(m.funding_state.to_string()),
            funding_social: Some(m.funding_social.to_string()),
            channels: m.channels.clone(),
            description: m.description.clone(),
            former_commune: m.former.as_ref().and_then(|f| f.commune_code.clone()),
            former_district: m.former.as_ref().and_then(|f| f.district_code.clone()),
            former_province: m.former.as_ref().map(|f| f.province_code.clone()),
        }
    }

    fn input(&self, errs: &mut FieldErrors) -> ModelInput {
        let id = |errs: &mut FieldErrors, field: &str, v: &Option<String>| form_int(errs, field, "Mã", v);
        ModelInput {
            name: Some(self.name.clone()),
            type_id: id(errs, "type_id", &self.type_id),
            level: self.level.clone(),
            province_code: blank_none(&self.province_code),
            commune_code: blank_none(&self.commune_code),
            origin_kind: self.origin_kind.clone(),
            origin_area_id: id(errs, "origin_area_id", &self.origin_area_id),
            origin_establishment_id: id(errs, "origin_establishment_id", &self.origin_establishment_id),
            origin_note: self.origin_note.clone(),
            host_org: self.host_org.clone(),
            host_note: self.host_note.clone(),
            scope: self.scope.clone(),
            field_note: self.field_note.clone(),
            registered_on: self.registered_on.clone(),
            members: form_int(errs, "members", "Số thành viên", &self.members),
            funding_state: form_int(errs, "funding_state", "Kinh phí ngân sách", &self.funding_state),
            funding_social: form_int(errs, "funding_social", "Kinh phí xã hội hóa", &self.funding_social),
            channels: self.channels.clone(),
            description: self.description.clone(),
            former_commune: blank_none(&self.former_commune),
            former_district: blank_none(&self.former_district),
            former_province: blank_none(&self.former_province),
        }
    }
}

/// Display values of the model form.
pub struct ModelValues {
    name: String,
    origin_note: String,
    host_note: String,
    field_note: String,
    registered_on: String,
    members: String,
    funding_state: String,
    funding_social: String,
    channels: String,
    description: String,
    former_commune: String,
    former_district: String,
    former_province: String,
}

#[derive(Template)]
#[template(path = "model_form.html")]
struct ModelFormPage {
    c: Chrome,
    action: String,
    v: ModelValues,
    types: Vec<Opt>,
    levels: Vec<Opt>,
    origin_kinds: Vec<Opt>,
    host_orgs: Vec<Opt>,
    scopes: Vec<Opt>,
    areas: Vec<Opt>,
    establishments: Vec<Opt>,
    commune_field: Option<CommuneField>,
    province_field: Option<Vec<Opt>>,
    errors: FieldErrors,
}

/// Areas and establishments of a commune as options (for the origin selects).
async fn origin_opts(
    s: &AppState,
    p: &PageActor,
    commune: Option<&str>,
    area: Option<&str>,
    establishment: Option<&str>,
) -> (Vec<Opt>, Vec<Opt>) {
    let Some(commune) = commune else {
        return (Vec::new(), Vec::new());
    };
    let q = antq_app::areas::ListQuery { commune: Some(commune.into()), ..Default::default() };
    let all = PageRequest::new(Some(1), Some(antq_domain::page::MAX_PER_PAGE));
    let areas = antq_app::areas::list(&s.ctx, &p.actor, &q, all).await.map(|p| p.items).unwrap_or_default();
    let ests = antq_app::establishments::list(&s.ctx, &p.actor, &q, all).await.map(|p| p.items).unwrap_or_default();
    (
        areas
            .into_iter()
            .map(|a| Opt {
                selected: area == Some(a.id.0.to_string().as_str()),
                value: a.id.0.to_string(),
                label: a.name,
            })
            .collect(),
        ests.into_iter()
            .map(|e| Opt {
                selected: establishment == Some(e.id.0.to_string().as_str()),
                value: e.id.0.to_string(),
                label: e.name,
            })
            .collect(),
    )
}

/// Query of [`origin_options`].
#[derive(serde::Deserialize)]
pub struct OriginQuery {
    what: String,
    commune_code: Option<String>,
}

/// `GET /ui/origin-options`: the areas or establishments of a commune as `<option>`s (htmx).
pub async fn origin_options(
    State(s): State<AppState>,
    p: PageActor,
    Query(q): Query<OriginQuery>,
) -> axum::response::Response {
    let (areas, establishments) = origin_opts(&s, &p, blank_none(&q.commune_code).as_deref(), None, None).await;
    render(&OptionsFragment { empty: "—".into(), options: if q.what == "areas" { areas } else { establishments } })
}

async fn model_form_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    model: Option<&Model>,
    f: &ModelForm,
    errors: FieldErrors,
) -> ModelFormPage {
    let (title, action) = match model {
        Some(m) => (format!("{}: {}", tr.t("action.edit"), m.name), format!("/models/{}", m.id)),
        None => (tr.t("models.new").to_string(), "/models".to_string()),
    };
    let commune = blank_none(&f.commune_code);
    let (areas, establishments) =
        origin_opts(s, p, commune.as_deref(), f.origin_area_id.as_deref(), f.origin_establishment_id.as_deref()).await;
    let province_field = match &p.actor.scope {
        antq_domain::access::Scope::Commune(..) => None,
        _ => {
            let own = p.actor.scope.province().map(str::to_string);
            let selected = blank_none(&f.province_code).or(own.clone());
            let all = super::units::province_opts(s, selected.as_deref()).await;
            Some(all.into_iter().filter(|o| own.as_deref().is_none_or(|own| own == o.value)).collect())
        }
    };
    ModelFormPage {
        c: Chrome::new(tr, p, "models", title),
        action,
        v: ModelValues {
            name: f.name.clone(),
            origin_note: f.origin_note.clone().unwrap_or_default(),
            host_note: f.host_note.clone().unwrap_or_default(),
            field_note: f.field_note.clone().unwrap_or_default(),
            registered_on: f.registered_on.clone().unwrap_or_default(),
            members: f.members.clone().unwrap_or_default(),
            funding_state: f.funding_state.clone().unwrap_or_default(),
            funding_social: f.funding_social.clone().unwrap_or_default(),
            channels: f.channels.clone().unwrap_or_default(),
            description: f.description.clone().unwrap_or_default(),
            former_commune: f.former_commune.clone().unwrap_or_default(),
            former_district: f.former_district.clone().unwrap_or_default(),
            former_province: f.former_province.clone().unwrap_or_default(),
        },
        types: type_opts(s, p, f.type_id.as_deref().and_then(|t| t.parse().ok()), true).await,
        levels: enum_opts(tr, ModelLevel::ALL, Some(f.level.as_deref().unwrap_or("xa"))),
        origin_kinds: enum_opts(tr, OriginKind::ALL, Some(f.origin_kind.as_deref().unwrap_or("xa"))),
        host_orgs: enum_opts(tr, HostOrg::ALL, Some(f.host_org.as_deref().unwrap_or("cong_an"))),
        scopes: enum_opts(tr, ModelScope::ALL, Some(f.scope.as_deref().unwrap_or("toan_dien"))),
        areas,
        establishments,
        commune_field: Some(CommuneField::build(s, p, commune.as_deref()).await),
        province_field,
        errors,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NewParams {
    commune: Option<String>,
}

async fn new(State(s): State<AppState>, tr: Tr, p: PageActor, Query(np): Query<NewParams>) -> PageResult {
    p.actor.require(Permission::WriteRegistry).lang(tr)?;
    let f = ModelForm { commune_code: blank_none(&np.commune), ..Default::default() };
    Ok(render(&model_form_page(&s, tr, &p, None, &f, FieldErrors::new()).await))
}

async fn create(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<ModelForm>) -> PageResult {
    let mut errs = FieldErrors::new();
    let input = f.input(&mut errs);
    let result =
        if errs.is_empty() { form_errors(models::create(&s.ctx, &p.actor, &input).await, tr)? } else { Err(errs) };
    match result {
        Ok(m) => Ok(see_other(&format!("/models/{}?saved=1", m.id))),
        Err(e) => Ok(render_status(&model_form_page(&s, tr, &p, None, &f, e).await, StatusCode::UNPROCESSABLE_ENTITY)),
    }
}

async fn edit(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    let m = models::get(&s.ctx, &p.actor, ModelId(id)).await.lang(tr)?;
    p.actor.require_in_scope(Permission::WriteRegistry, &m.province_code, m.commune_code.as_deref()).lang(tr)?;
    Ok(render(&model_form_page(&s, tr, &p, Some(&m), &ModelForm::from_model(&m), FieldErrors::new()).await))
}

async fn update(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<ModelForm>,
) -> PageResult {
    let m = models::get(&s.ctx, &p.actor, ModelId(id)).await.lang(tr)?;
    let mut errs = FieldErrors::new();
    let input = f.input(&mut errs);
    let result = if errs.is_empty() {
        form_errors(models::update(&s.ctx, &p.actor, m.id, &input).await, tr)?
    } else {
        Err(errs)
    };
    match result {
        Ok(m) => Ok(see_other(&format!("/models/{}?saved=1", m.id))),
        Err(e) => {
            Ok(render_status(&model_form_page(&s, tr, &p, Some(&m), &f, e).await, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// A site on the model page.
pub struct SiteView {
    id: i64,
    name: String,
    state: SiteState,
    place: String,
    started_on: Option<chrono::NaiveDate>,
    teams: Vec<antq_domain::model::Team>,
}

#[derive(Template)]
#[template(path = "model.html")]
struct ModelPage {
    c: Chrome,
    m: Model,
    place: String,
    /// Where it was recorded before 1 July 2025, and that unit's page.
    former_place: Option<(String, String)>,
    origin: String,
    sites: Vec<SiteView>,
    events: Vec<ModelEvent>,
    documents: Vec<antq_domain::model::ModelDocument>,
    history: Vec<HistoryEntry>,
    ratings: Vec<antq_domain::rating::Rating>,
    activities: antq_domain::page::Page<antq_domain::activity::Activity>,
    commendations: Vec<antq_domain::commendation::Commendation>,
    cameras: (Vec<antq_domain::camera::Camera>, i64),
    next_states: Vec<Opt>,
    event_kinds: Vec<Opt>,
    can_write: bool,
    today: String,
    flash: Option<&'static str>,
    error: Option<String>,
    commune_field: Option<CommuneField>,
    errors: FieldErrors,
}

#[derive(serde::Deserialize, Default)]
pub struct ShowParams {
    saved: Option<String>,
}

fn field_label(tr: Tr, field: &str) -> String {
    let key = format!("model.{field}");
    let t = tr.t(&key);
    if t == key { field.to_string() } else { t.to_string() }
}

async fn model_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: ModelId,
    flash: bool,
    error: Option<String>,
) -> Result<ModelPage, crate::error::PageError> {
    let d = models::detail(&s.ctx, &p.actor, id).await.lang(tr)?;
    let m = d.model;
    let mut codes = vec![m.province_code.clone(), m.commune_code.clone().unwrap_or_default()];
    codes.extend(d.sites.iter().map(|s| s.commune_code.clone()));
    let names = antq_app::units::names(&s.ctx, codes).await.lang(tr)?;
    let place = place_of(&m, &names);
    let former_place = match &m.former {
        Some(f) => Some(antq_app::lineage::describe(&s.ctx, f).await.lang(tr)?),
        None => None,
    };
    let origin = match (m.origin_area_id, m.origin_establishment_id, &m.origin_note) {
        (Some(a), _, _) => antq_app::areas::get(&s.ctx, &p.actor, antq_domain::ids::AreaId(a))
            .await
            .map(|a| a.name)
            .unwrap_or_default(),
        (_, Some(e), _) => antq_app::establishments::get(&s.ctx, &p.actor, antq_domain::ids::EstablishmentId(e))
            .await
            .map(|e| e.name)
            .unwrap_or_default(),
        (_, _, Some(n)) => n.clone(),
        _ => String::new(),
    };
    let can_write =
        p.actor.require_in_scope(Permission::WriteRegistry, &m.province_code, m.commune_code.as_deref()).is_ok();
    let history = d
        .history
        .into_iter()
        .map(|mut h| {
            h.changes = h.changes.into_iter().map(|c| Change { field: field_label(tr, &c.field), ..c }).collect();
            h
        })
        .collect();
    let sites = d
        .sites
        .into_iter()
        .map(|st| SiteView {
            id: st.id.0,
            place: names.get(&st.commune_code).cloned().unwrap_or_default(),
            name: st.name,
            state: st.state,
            started_on: st.started_on,
            teams: st.teams,
        })
        .collect();
    let commune_field = if can_write { Some(CommuneField::build(s, p, m.commune_code.as_deref()).await) } else { None };
    let aq = antq_app::activities::ActivityQuery { model_id: Some(m.id.0), ..Default::default() };
    let activities =
        antq_app::activities::list(&s.ctx, &p.actor, &aq, PageRequest::new(Some(1), Some(10))).await.lang(tr)?;
    let cq = antq_app::commendations::CommendationQuery { model_id: Some(m.id.0), ..Default::default() };
    let commendations = antq_app::commendations::list_all(&s.ctx, &p.actor, &cq).await.lang(tr)?;
    let cameras = antq_app::cameras::of_model(&s.ctx, &p.actor, m.id.0).await.lang(tr)?;
    Ok(ModelPage {
        former_place,
        activities,
        commendations,
        cameras,
        c: Chrome::new(tr, p, "models", m.name.clone()),
        place,
        origin,
        sites,
        events: d.events,
        documents: d.documents,
        history,
        ratings: d.ratings,
        next_states: enum_opts(tr, m.state.next_states(), None),
        event_kinds: enum_opts(
            tr,
            &[ModelEventKind::SoKet, ModelEventKind::TongKet, ModelEventKind::CungCo, ModelEventKind::DangKy],
            None,
        ),
        can_write,
        today: s.ctx.today().to_string(),
        flash: flash.then(|| tr.t("form.saved")),
        error,
        commune_field,
        errors: FieldErrors::new(),
        m,
    })
}

async fn show(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Query(sp): Query<ShowParams>,
) -> PageResult {
    Ok(render(&model_page(&s, tr, &p, ModelId(id), sp.saved.is_some(), None).await?))
}

/// Runs an action of the model page: success redirects back with a flash; a refused input
/// re-renders the page with the message.
async fn model_action<T>(s: &AppState, tr: Tr, p: &PageActor, id: ModelId, r: Result<T, AppError>) -> PageResult {
    match form_errors(r, tr)? {
        Ok(_) => Ok(see_other(&format!("/models/{id}?saved=1"))),
        Err(e) => {
            let page = model_page(s, tr, p, id, false, Some(e.summary())).await?;
            Ok(render_status(&page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// Conflicts (a concurrent transition, an eliminated model) are shown on the page too.
fn conflict_as_invalid<T>(r: Result<T, AppError>) -> Result<T, AppError> {
    r.map_err(|e| match e {
        AppError::Conflict(m) => AppError::Invalid(FieldErrors::single("_", m)),
        other => other,
    })
}

async fn transition(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<TransitionInput>,
) -> PageResult {
    let r = conflict_as_invalid(models::transition(&s.ctx, &p.actor, ModelId(id), &f).await);
    model_action(&s, tr, &p, ModelId(id), r).await
}

async fn add_event(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<EventInput>,
) -> PageResult {
    let r = models::add_event(&s.ctx, &p.actor, ModelId(id), &f).await;
    model_action(&s, tr, &p, ModelId(id), r).await
}

async fn add_site(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<SiteInput>,
) -> PageResult {
    let r = conflict_as_invalid(models::add_site(&s.ctx, &p.actor, ModelId(id), &f).await);
    model_action(&s, tr, &p, ModelId(id), r).await
}

async fn add_document(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    form: axum::extract::Multipart,
) -> PageResult {
    let r = match crate::documents::read_form(form).await {
        Ok((input, file)) => models::add_document(&s.ctx, &p.actor, ModelId(id), &input, file).await,
        Err(e) => Err(e),
    };
    model_action(&s, tr, &p, ModelId(id), r).await
}

async fn document_file(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, doc)): Path<(i64, i64)>,
) -> PageResult {
    let (name, ctype, bytes) = models::document_file(&s.ctx, &p.actor, ModelId(id), doc).await.lang(tr)?;
    Ok(crate::documents::download(&name, &ctype, bytes))
}

/// The add-team form.
#[derive(serde::Deserialize)]
pub struct TeamForm {
    name: String,
    members: Option<String>,
    leader: Option<String>,
}

async fn add_team(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, site)): Path<(i64, i64)>,
    Form(f): Form<TeamForm>,
) -> PageResult {
    let mut errs = FieldErrors::new();
    let input = TeamInput {
        name: Some(f.name),
        members: form_int(&mut errs, "members", "Số thành viên", &f.members),
        leader: f.leader,
    };
    let r = if errs.is_empty() {
        models::add_team(&s.ctx, &p.actor, ModelId(id), SiteId(site), &input).await
    } else {
        Err(AppError::Invalid(errs))
    };
    model_action(&s, tr, &p, ModelId(id), r).await
}

/// A type row on the taxonomy page.
pub struct TypeRow {
    id: i64,
    name: String,
    description: Option<String>,
    legal_basis: String,
    owner: String,
    active: bool,
    editable: bool,
}

#[derive(Template)]
#[template(path = "model_types.html")]
struct TypesPage {
    c: Chrome,
    types: Vec<TypeRow>,
    can_manage: bool,
    flash: Option<&'static str>,
    errors: FieldErrors,
}

async fn types_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    flash: bool,
    errors: FieldErrors,
) -> Result<TypesPage, crate::error::PageError> {
    let list = model_types::list(&s.ctx, &p.actor).await.lang(tr)?;
    let names = antq_app::units::names(&s.ctx, list.iter().filter_map(|t| t.province_code.clone())).await.lang(tr)?;
    let can_manage = p.actor.role.grants(Permission::ManageTaxonomy);
    let types = list
        .into_iter()
        .map(|t| TypeRow {
            editable: t.province_code.is_some() || p.actor.role == Role::Admin,
            owner: t
                .province_code
                .as_ref()
                .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                .unwrap_or_else(|| tr.t("types.national").into()),
            id: t.id.0,
            name: t.name,
            description: t.description,
            legal_basis: t.legal_basis.unwrap_or_default(),
            active: t.active,
        })
        .collect();
    Ok(TypesPage {
        c: Chrome::new(tr, p, "models", tr.t("types.title")),
        types,
        can_manage,
        flash: flash.then(|| tr.t("form.saved")),
        errors,
    })
}

async fn types(State(s): State<AppState>, tr: Tr, p: PageActor, Query(sp): Query<ShowParams>) -> PageResult {
    Ok(render(&types_page(&s, tr, &p, sp.saved.is_some(), FieldErrors::new()).await?))
}

/// The model-type form.
#[derive(serde::Deserialize)]
pub struct TypeForm {
    name: String,
    description: Option<String>,
    legal_basis: Option<String>,
    active: Option<String>,
}

impl TypeForm {
    fn input(self) -> antq_domain::model::ModelTypeInput {
        antq_domain::model::ModelTypeInput {
            name: Some(self.name),
            description: self.description,
            legal_basis: self.legal_basis,
            active: Some(self.active.is_some()),
        }
    }
}

async fn type_result<T>(s: &AppState, tr: Tr, p: &PageActor, r: Result<T, AppError>) -> PageResult {
    match form_errors(r, tr)? {
        Ok(_) => Ok(see_other("/model-types?saved=1")),
        Err(e) => Ok(render_status(&types_page(s, tr, p, false, e).await?, StatusCode::UNPROCESSABLE_ENTITY)),
    }
}

async fn create_type(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<TypeForm>) -> PageResult {
    let r = model_types::create(&s.ctx, &p.actor, &f.input()).await;
    type_result(&s, tr, &p, r).await
}

async fn update_type(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<TypeForm>,
) -> PageResult {
    let current = model_types::get(&s.ctx, &p.actor, ModelTypeId(id)).await.lang(tr)?;
    let mut input = f.input();
    if input.description.is_none() {
        input.description = current.description;
    }
    let r = model_types::update(&s.ctx, &p.actor, ModelTypeId(id), &input).await;
    type_result(&s, tr, &p, r).await
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    c: Chrome,
    groups: Vec<Opt>,
    heading: String,
    rows: Vec<LabelledCounts>,
    total: (i64, i64, i64),
}

#[derive(serde::Deserialize)]
pub struct StatsParams {
    by: Option<String>,
    as_of: Option<String>,
}

async fn stats(State(s): State<AppState>, tr: Tr, p: PageActor, Query(sp): Query<StatsParams>) -> PageResult {
    let (by, by_code) = crate::api::parse_group(sp.by.as_deref(), sp.as_of.as_deref()).lang(tr)?;
    let rows = antq_app::stats::models(&s.ctx, &p.actor, by).await.lang(tr)?;
    let total = rows.iter().fold((0, 0, 0), |t, r| (t.0 + r.models, t.1 + r.sites, t.2 + r.teams));
    let groups = crate::api::GROUPS
        .iter()
        .map(|g| Opt { value: (*g).into(), label: tr.t(&format!("stats.by_{g}")).into(), selected: *g == by_code })
        .collect();
    let heading = tr.t(&format!("stats.by_{by_code}")).to_string();
    Ok(render(&StatsPage { c: Chrome::new(tr, &p, "stats", tr.t("stats.title")), groups, heading, rows, total }))
}
