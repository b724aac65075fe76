//! Team pages: list, creation, the team page (fields, areas, steps, members, trail).

use antq_app::force::members::MemberQuery;
use antq_app::force::teams::{self, TeamQuery, TeamView};
use antq_domain::FieldErrors;
use antq_domain::force::{TeamInput, TeamState, TeamStepInput};
use antq_domain::ids::ForceTeamId;
use antq_domain::page::PageRequest;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};

use super::super::place::{CommuneField, PlaceFilter};
use super::super::{
    Chrome, InLang, Notice, Opt, PageResult, Pager, blank_none, enum_opts, field, form_errors, query_string, refused,
    render, render_status, see_other,
};
use super::{Clock, ForceNav};
use crate::AppState;
use crate::auth::{HxRequest, PageActor};
use crate::i18n::Tr;
use crate::routes::{READ, Routes, WRITE};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/teams", get(list).post(create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/teams/new", get(new_page), &[(Method::GET, WRITE)])
        .route("/teams/{id}", get(show).post(update), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/teams/{id}/step", post(step), &[(Method::POST, WRITE)])
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListParams {
    province: Option<String>,
    commune: Option<String>,
    q: Option<String>,
    state: Option<String>,
    include_dissolved: Option<String>,
    page: Option<u32>,
}

impl ListParams {
    fn query(&self) -> TeamQuery {
        TeamQuery {
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            q: blank_none(&self.q),
            state: blank_none(&self.state),
            include_dissolved: self.include_dissolved.as_deref() == Some("true"),
            area: None,
        }
    }

    fn base(&self) -> String {
        let q = self.query();
        query_string(&[
            ("province", q.province.unwrap_or_default()),
            ("commune", q.commune.unwrap_or_default()),
            ("q", q.q.unwrap_or_default()),
            ("state", q.state.unwrap_or_default()),
            ("include_dissolved", if q.include_dissolved { "true".into() } else { String::new() }),
        ])
    }
}

/// A row of the team list.
pub struct Row {
    pub v: TeamView,
    pub commune: String,
    pub clock: Option<Clock>,
}

#[derive(Template)]
#[template(path = "_teams.html")]
struct Fragment {
    c: Chrome,
    query: String,
    rows: Vec<Row>,
    total: i64,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "teams.html")]
struct ListPage {
    c: Chrome,
    nav: ForceNav,
    place: PlaceFilter,
    states: Vec<Opt>,
    q: String,
    include_dissolved: bool,
    results: String,
}

async fn list(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    HxRequest(hx): HxRequest,
    Query(lp): Query<ListParams>,
) -> PageResult {
    let q = lp.query();
    let page = teams::list(&s.ctx, &p.actor, &q, PageRequest::new(lp.page, None)).await.lang(tr)?;
    let names = antq_app::units::names(&s.ctx, page.items.iter().map(|t| t.team.commune_code.clone()))
        .await
        .unwrap_or_default();
    let base = lp.base();
    let pager = Pager::new(&page, &base);
    let total = page.total;
    let rows = page
        .items
        .into_iter()
        .map(|v| Row {
            commune: names.get(&v.team.commune_code).cloned().unwrap_or_default(),
            clock: v.deadline.as_ref().map(|d| Clock::of(d, tr)),
            v,
        })
        .collect();
    let title = tr.t("force.teams");
    let fragment = Fragment { c: Chrome::new(tr, &p, "force", title), query: base, rows, total, pager };
    if hx {
        return Ok(render(&fragment));
    }
    Ok(render(&ListPage {
        c: Chrome::new(tr, &p, "force", title),
        nav: ForceNav { tab: "teams" },
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        states: enum_opts(tr, TeamState::ALL, q.state.as_deref()),
        q: q.q.clone().unwrap_or_default(),
        include_dissolved: q.include_dissolved,
        results: fragment.render().unwrap_or_default(),
    }))
}

/// An area checkbox of the team form.
pub struct AreaBox {
    pub id: i64,
    pub name: String,
    pub households: Option<i64>,
    pub checked: bool,
}

/// The team form as typed.
#[derive(Clone, Debug, Default)]
pub struct TeamForm {
    commune_code: Option<String>,
    name: String,
    area_ids: Vec<i64>,
    selection_on: String,
    posted_on: String,
    posted_place: String,
    note: String,
}

impl TeamForm {
    fn from_pairs(f: &[(String, String)]) -> TeamForm {
        let v = |n: &str| field(f, n).unwrap_or_default();
        TeamForm {
            commune_code: field(f, "commune_code"),
            name: v("name"),
            area_ids: f.iter().filter(|(n, _)| n == "area_ids").filter_map(|(_, v)| v.parse().ok()).collect(),
            selection_on: v("selection_on"),
            posted_on: v("posted_on"),
            posted_place: v("posted_place"),
            note: v("note"),
        }
    }

    fn input(&self) -> TeamInput {
        let o = |s: &str| (!s.is_empty()).then(|| s.to_string());
        TeamInput {
            name: Some(self.name.clone()),
            area_ids: self.area_ids.clone(),
            selection_on: o(&self.selection_on),
            posted_on: o(&self.posted_on),
            posted_place: o(&self.posted_place),
            note: o(&self.note),
        }
    }

    fn of(t: &antq_domain::force::Team) -> TeamForm {
        let d = |v: Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
        TeamForm {
            commune_code: Some(t.commune_code.clone()),
            name: t.name.clone(),
            area_ids: t.areas.iter().map(|a| a.id.0).collect(),
            selection_on: d(t.selection_on),
            posted_on: d(t.posted_on),
            posted_place: t.posted_place.clone().unwrap_or_default(),
            note: t.note.clone().unwrap_or_default(),
        }
    }
}

async fn area_boxes(s: &AppState, p: &PageActor, commune: Option<&str>, checked: &[i64]) -> Vec<AreaBox> {
    let Some(commune) = commune.filter(|c| !c.is_empty()) else { return Vec::new() };
    let q = antq_app::areas::ListQuery { commune: Some(commune.into()), ..Default::default() };
    let mut out: Vec<AreaBox> = antq_app::areas::list(&s.ctx, &p.actor, &q, PageRequest::new(Some(1), Some(200)))
        .await
        .map(|pg| pg.items)
        .unwrap_or_default()
        .into_iter()
        .map(|a| AreaBox { checked: checked.contains(&a.id.0), id: a.id.0, name: a.name, households: a.households })
        .collect();
    out.sort_by_key(|a| !a.checked);
    out
}

#[derive(Template)]
#[template(path = "team_new.html")]
struct NewPage {
    c: Chrome,
    nav: ForceNav,
    commune_field: Option<CommuneField>,
    commune: String,
    areas: Vec<AreaBox>,
    form: TeamForm,
    errors: FieldErrors,
}

#[derive(serde::Deserialize, Default)]
pub struct NewParams {
    commune: Option<String>,
}

async fn new_form(s: &AppState, tr: Tr, p: &PageActor, f: TeamForm, errors: FieldErrors) -> NewPage {
    let commune = f.commune_code.clone().or_else(|| p.actor.scope.commune().map(Into::into)).unwrap_or_default();
    NewPage {
        c: Chrome::new(tr, p, "force", tr.t("force.new_team")),
        nav: ForceNav { tab: "teams" },
        commune_field: Some(CommuneField::build(s, p, Some(&commune)).await),
        areas: area_boxes(s, p, Some(&commune), &f.area_ids).await,
        commune,
        form: f,
        errors,
    }
}

async fn new_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(np): Query<NewParams>) -> PageResult {
    let f = TeamForm { commune_code: blank_none(&np.commune), ..Default::default() };
    Ok(render(&new_form(&s, tr, &p, f, FieldErrors::new()).await))
}

async fn create(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = TeamForm::from_pairs(&pairs);
    let commune = f.commune_code.clone().unwrap_or_default();
    match form_errors(teams::create(&s.ctx, &p.actor, &commune, &f.input()).await, tr)? {
        Ok(v) => Ok(see_other(&format!("/teams/{}?saved=1", v.team.id))),
        Err(e) => Ok(render_status(&new_form(&s, tr, &p, f, e).await, StatusCode::UNPROCESSABLE_ENTITY)),
    }
}

/// A member line of the team page.
pub struct MemberLine {
    pub id: i64,
    pub name: String,
    pub role: &'static str,
    pub state: &'static str,
    pub age: i64,
    pub clock: Option<Clock>,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    c: Chrome,
    nav: ForceNav,
    v: TeamView,
    commune: String,
    former: Option<antq_app::lineage::Recorded>,
    clock: Option<Clock>,
    form: TeamForm,
    areas: Vec<AreaBox>,
    errors: FieldErrors,
    members: Vec<MemberLine>,
    events: Vec<antq_domain::force::member::ForceEvent>,
    notice: Notice,
    can_write: bool,
    today: String,
}

#[derive(serde::Deserialize, Default)]
pub struct ShowParams {
    saved: Option<String>,
}

async fn team_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: ForceTeamId,
    form: Option<TeamForm>,
    errors: FieldErrors,
    notice: Notice,
) -> Result<TeamPage, crate::error::PageError> {
    let v = teams::view(&s.ctx, &p.actor, id).await.lang(tr)?;
    let commune = antq_app::units::names(&s.ctx, [v.team.commune_code.clone()])
        .await
        .ok()
        .and_then(|mut m| m.remove(&v.team.commune_code))
        .unwrap_or_default();
    let q = MemberQuery { team: Some(id.0), ..Default::default() };
    let members = antq_app::force::members::list(&s.ctx, &p.actor, &q, PageRequest::new(Some(1), Some(200)))
        .await
        .lang(tr)?
        .items
        .into_iter()
        .map(|m| MemberLine {
            id: m.member.id.0,
            name: m.member.full_name.clone(),
            role: tr.l(&m.member.role),
            state: tr.l(&m.member.state),
            age: m.age,
            clock: m.deadline.as_ref().map(|d| Clock::of(d, tr)),
        })
        .collect();
    let events = teams::events(&s.ctx, &p.actor, id).await.lang(tr)?;
    let form = form.unwrap_or_else(|| TeamForm::of(&v.team));
    let areas = area_boxes(s, p, Some(&v.team.commune_code), &form.area_ids).await;
    let can_write = p
        .actor
        .require_in_scope(
            antq_domain::access::Permission::WriteRegistry,
            &v.team.province_code,
            Some(&v.team.commune_code),
        )
        .is_ok();
    Ok(TeamPage {
        c: Chrome::new(tr, p, "force", v.team.name.clone()),
        nav: ForceNav { tab: "teams" },
        clock: v.deadline.as_ref().map(|d| Clock::of(d, tr)),
        former: antq_app::lineage::recorded(&s.ctx, antq_app::lineage::Placed::ForceTeams, id.0).await.lang(tr)?,
        v,
        commune,
        form,
        areas,
        errors,
        members,
        events,
        notice,
        can_write,
        today: s.ctx.today().to_string(),
    })
}

async fn show(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<ShowParams>,
) -> PageResult {
    let notice = q.saved.is_some().then(|| (tr.t("form.saved").to_string(), false));
    Ok(render(&team_page(&s, tr, &p, ForceTeamId(id), None, FieldErrors::new(), notice).await?))
}

async fn update(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = TeamForm::from_pairs(&pairs);
    match form_errors(teams::update(&s.ctx, &p.actor, ForceTeamId(id), &f.input()).await, tr) {
        Ok(Ok(_)) => Ok(see_other(&format!("/teams/{id}?saved=1"))),
        Ok(Err(e)) => {
            let page = team_page(&s, tr, &p, ForceTeamId(id), Some(f), e, Some((tr.t("form.has_errors").into(), true)))
                .await?;
            Ok(render_status(&page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => {
            let (notice, status) = refused(e.err, tr)?;
            Ok(render_status(&team_page(&s, tr, &p, ForceTeamId(id), None, FieldErrors::new(), notice).await?, status))
        }
    }
}

async fn step(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(input): Form<TeamStepInput>,
) -> PageResult {
    match teams::step(&s.ctx, &p.actor, ForceTeamId(id), &input).await {
        Ok(_) => Ok(see_other(&format!("/teams/{id}?saved=1"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&team_page(&s, tr, &p, ForceTeamId(id), None, FieldErrors::new(), notice).await?, status))
        }
    }
}
