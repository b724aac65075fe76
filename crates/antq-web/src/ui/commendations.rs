//! Commendation pages: the register, the proposal form, a commendation with its workflow
//! steps, the Kỷ niệm chương proposals the force module finds eligible, and the statistics.

use antq_app::commendations::{self, CommendationQuery, CommendationStatsQuery};
use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::commendation::{
    Commendation, CommendationForm, CommendationInput, CommendationLevel, CommendationState, CommendationStepInput,
    RecipientKind,
};
use antq_domain::page::PageRequest;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::activities::{MovementNav, StatsPage};
use super::place::{CommuneField, PlaceFilter};
use super::{
    Chrome, InLang, Notice, Opt, PageResult, Pager, blank_none, enum_opts, field, form_int, query_string, refused,
    render, render_status, see_other,
};
use crate::AppState;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, WRITE};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/commendations", get(index), &[(Method::GET, READ)])
        .route("/commendations/new", get(new_page).post(create), &[(Method::GET, WRITE), (Method::POST, WRITE)])
        .route("/commendations/proposals", get(proposals), &[(Method::GET, READ)])
        .route("/commendations/{id}", get(show), &[(Method::GET, READ)])
        .route("/commendations/{id}/steps", post(step), &[(Method::POST, WRITE)])
        .route("/stats/commendations", get(stats_page), &[(Method::GET, READ)])
        .route("/stats/commendations/export", get(stats_export), &[(Method::GET, READ)])
}

#[derive(Debug, Default, serde::Deserialize)]
struct ListParams {
    province: Option<String>,
    commune: Option<String>,
    form: Option<String>,
    state: Option<String>,
    recipient_kind: Option<String>,
    year: Option<String>,
    q: Option<String>,
    model_id: Option<i64>,
    member_id: Option<i64>,
    page: Option<u32>,
}

impl ListParams {
    fn query(&self) -> CommendationQuery {
        CommendationQuery {
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            form: blank_none(&self.form),
            state: blank_none(&self.state),
            recipient_kind: blank_none(&self.recipient_kind),
            movement_year: blank_none(&self.year).and_then(|y| y.parse().ok()),
            decided_year: None,
            q: blank_none(&self.q),
            member_id: self.member_id,
            model_id: self.model_id,
        }
    }

    fn base(&self) -> String {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        query_string(&[
            ("province", o(&self.province)),
            ("commune", o(&self.commune)),
            ("form", o(&self.form)),
            ("state", o(&self.state)),
            ("recipient_kind", o(&self.recipient_kind)),
            ("year", o(&self.year)),
            ("q", o(&self.q)),
            ("model_id", self.model_id.map(|m| m.to_string()).unwrap_or_default()),
            ("member_id", self.member_id.map(|m| m.to_string()).unwrap_or_default()),
        ])
    }
}

#[derive(Template)]
#[template(path = "commendations.html")]
struct IndexPage {
    c: Chrome,
    nav: MovementNav,
    place: PlaceFilter,
    forms: Vec<Opt>,
    states: Vec<Opt>,
    recipients: Vec<Opt>,
    lp: ListParams,
    query: String,
    rows: Vec<Commendation>,
    total: i64,
    pager: Pager,
    can_write: bool,
}

async fn index(State(s): State<AppState>, tr: Tr, p: PageActor, Query(lp): Query<ListParams>) -> PageResult {
    let q = lp.query();
    let page = commendations::list(&s.ctx, &p.actor, &q, PageRequest::new(lp.page, None)).await.lang(tr)?;
    let query = lp.base();
    Ok(render(&IndexPage {
        c: Chrome::new(tr, &p, "activities", tr.t("commendations.title")),
        nav: MovementNav { tab: "commendations" },
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        forms: enum_opts(tr, CommendationForm::ALL, lp.form.as_deref()),
        states: enum_opts(tr, CommendationState::ALL, lp.state.as_deref()),
        recipients: enum_opts(tr, RecipientKind::ALL, lp.recipient_kind.as_deref()),
        pager: Pager::new(&page, &query).plain(),
        query,
        total: page.total,
        rows: page.items,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
        lp,
    }))
}

#[derive(Template)]
#[template(path = "commendation_form.html")]
struct FormPage {
    c: Chrome,
    nav: MovementNav,
    f: Vec<(String, String)>,
    errors: FieldErrors,
    notice: Notice,
    commune_field: Option<CommuneField>,
    forms: Vec<Opt>,
    levels: Vec<Opt>,
    recipients: Vec<Opt>,
    models: Vec<Opt>,
    member: Option<String>,
}

impl FormPage {
    fn v(&self, name: &str) -> String {
        field(&self.f, name).unwrap_or_default()
    }
}

async fn form_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    f: Vec<(String, String)>,
    errors: FieldErrors,
    notice: Notice,
) -> Result<FormPage, crate::error::PageError> {
    let v = |n: &str| field(&f, n).unwrap_or_default();
    let commune = blank_none(&Some(v("commune_code"))).or_else(|| p.actor.scope.commune().map(Into::into));
    let mq = antq_app::models::ListQuery { commune: commune.clone(), ..Default::default() };
    let models = antq_app::models::list(&s.ctx, &p.actor, &mq, PageRequest::new(Some(1), Some(200)))
        .await
        .map(|pg| pg.items)
        .unwrap_or_default()
        .into_iter()
        .map(|m| Opt { selected: v("model_id") == m.id.to_string(), value: m.id.to_string(), label: m.name })
        .collect();
    let member = match field(&f, "member_id").and_then(|m| m.parse().ok()) {
        Some(id) => antq_app::force::members::get(&s.ctx, &p.actor, antq_domain::ids::MemberId(id))
            .await
            .ok()
            .map(|m| format!("{} — {}", m.full_name, m.team_name)),
        None => None,
    };
    let commune_field = if p.actor.scope.commune().is_some() {
        None
    } else {
        Some(CommuneField::build(s, p, commune.as_deref()).await)
    };
    Ok(FormPage {
        c: Chrome::new(tr, p, "activities", tr.t("commendations.new")),
        nav: MovementNav { tab: "commendations" },
        forms: enum_opts(tr, CommendationForm::ALL, Some(&v("form"))),
        levels: enum_opts(tr, CommendationLevel::ALL, Some(&v("level"))),
        recipients: enum_opts(tr, RecipientKind::ALL, Some(&v("recipient_kind"))),
        models,
        member,
        commune_field,
        f,
        errors,
        notice,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
struct NewParams {
    member_id: Option<i64>,
    form: Option<String>,
}

async fn new_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(np): Query<NewParams>) -> PageResult {
    let mut f = vec![("recipient_kind".to_string(), RecipientKind::TapThe.code().to_string())];
    if let Some(m) = np.member_id {
        f = vec![
            ("recipient_kind".into(), RecipientKind::ThanhVien.code().into()),
            ("member_id".into(), m.to_string()),
        ];
    }
    if let Some(form) = np.form {
        f.push(("form".into(), form));
    }
    Ok(render(&form_page(&s, tr, &p, f, FieldErrors::new(), None).await?))
}

fn input_of(f: &[(String, String)]) -> (CommendationInput, FieldErrors) {
    let mut e = FieldErrors::new();
    let id = |n: &str| field(f, n).and_then(|v| v.parse::<i64>().ok());
    let cash_vnd = form_int(&mut e, "cash_vnd", "Tiền thưởng", &field(f, "cash_vnd"));
    let movement_year =
        form_int(&mut e, "movement_year", "Năm phong trào", &field(f, "movement_year")).map(|y| y as i32);
    let tenure_years = form_int(&mut e, "tenure_years", "Số năm giữ chức vụ", &field(f, "tenure_years"));
    let prior_commendations =
        form_int(&mut e, "prior_commendations", "Số lần khen thưởng", &field(f, "prior_commendations"));
    let input = CommendationInput {
        commune_code: field(f, "commune_code"),
        form: field(f, "form"),
        level: field(f, "level"),
        authority: field(f, "authority"),
        reason: field(f, "reason"),
        movement_year,
        campaign: field(f, "campaign"),
        recipient_kind: field(f, "recipient_kind"),
        recipient_name: field(f, "recipient_name"),
        establishment_id: id("establishment_id"),
        model_id: id("model_id"),
        team_id: id("team_id"),
        member_id: id("member_id"),
        citizen_id: field(f, "citizen_id"),
        tenure_years,
        prior_commendations,
        cash_vnd,
        decision_no: field(f, "decision_no"),
        decided_on: field(f, "decided_on"),
        note: field(f, "note"),
    };
    (input, e)
}

async fn create(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<Vec<(String, String)>>) -> PageResult {
    let (input, errs) = input_of(&f);
    let r = if errs.is_empty() { commendations::create(&s.ctx, &p.actor, &input).await } else { Err(errs.into()) };
    match r {
        Ok(c) => Ok(see_other(&format!("/commendations/{}", c.id))),
        Err(antq_app::AppError::Invalid(e)) => {
            Ok(render_status(&form_page(&s, tr, &p, f, e, None).await?, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&form_page(&s, tr, &p, f, FieldErrors::new(), notice).await?, status))
        }
    }
}

#[derive(Template)]
#[template(path = "commendation.html")]
struct ShowPage {
    c: Chrome,
    nav: MovementNav,
    k: Commendation,
    place: String,
    former: Option<antq_app::lineage::Recorded>,
    actions: Vec<String>,
    notice: Notice,
    today: String,
}

async fn show_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: i64,
    notice: Notice,
) -> Result<ShowPage, crate::error::PageError> {
    let k = commendations::get(&s.ctx, &p.actor, id).await.lang(tr)?;
    let codes = std::iter::once(k.province_code.clone()).chain(k.commune_code.clone());
    let names = antq_app::units::names(&s.ctx, codes).await.lang(tr)?;
    let place =
        k.commune_code.as_ref().or(Some(&k.province_code)).and_then(|c| names.get(c).cloned()).unwrap_or_default();
    Ok(ShowPage {
        c: Chrome::new(tr, p, "activities", k.recipient_name.clone()),
        nav: MovementNav { tab: "commendations" },
        actions: commendations::actions(&p.actor, &k).iter().map(|a| a.code().to_string()).collect(),
        place,
        former: antq_app::lineage::recorded(&s.ctx, antq_app::lineage::Placed::Commendations, id).await.lang(tr)?,
        k,
        notice,
        today: s.ctx.today().to_string(),
    })
}

async fn show(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    Ok(render(&show_page(&s, tr, &p, id, None).await?))
}

async fn step(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut e = FieldErrors::new();
    let cash_vnd = form_int(&mut e, "cash_vnd", "Tiền thưởng", &field(&f, "cash_vnd"));
    let input = CommendationStepInput {
        action: field(&f, "action"),
        decision_no: field(&f, "decision_no"),
        decided_on: field(&f, "decided_on"),
        authority: field(&f, "authority"),
        cash_vnd,
        comment: field(&f, "comment"),
    };
    let r = if e.is_empty() { commendations::step(&s.ctx, &p.actor, id, &input).await } else { Err(e.into()) };
    match r {
        Ok(_) => Ok(see_other(&format!("/commendations/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&show_page(&s, tr, &p, id, notice).await?, status))
        }
    }
}

#[derive(Template)]
#[template(path = "commendation_proposals.html")]
struct ProposalsPage {
    c: Chrome,
    nav: MovementNav,
    rows: Vec<antq_app::force::medal::MedalLine>,
    form: &'static str,
    can_write: bool,
}

async fn proposals(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    let rows = commendations::medal_proposals(&s.ctx, &p.actor, None).await.lang(tr)?;
    Ok(render(&ProposalsPage {
        c: Chrome::new(tr, &p, "activities", tr.t("commendations.proposals")),
        nav: MovementNav { tab: "proposals" },
        rows,
        form: CommendationForm::KncBaoVeAnNinh.code(),
        can_write: p.actor.role.grants(Permission::WriteRegistry),
    }))
}

#[derive(Debug, Default, serde::Deserialize)]
struct StatsParams {
    year: Option<String>,
    province: Option<String>,
    commune: Option<String>,
    by: Option<String>,
    format: Option<String>,
}

impl StatsParams {
    fn query(&self) -> Result<CommendationStatsQuery, antq_app::AppError> {
        let mut e = FieldErrors::new();
        let year = form_int(&mut e, "year", "Năm", &self.year).map(|y| y as i32);
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok(CommendationStatsQuery {
            year,
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            by: blank_none(&self.by),
            as_of: None,
        })
    }
}

async fn stats_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(sp): Query<StatsParams>) -> PageResult {
    let r = match sp.query() {
        Ok(q) => commendations::stats(&s.ctx, &p.actor, &q).await,
        Err(e) => Err(e),
    };
    let (table, notice, status) = super::activities::shown(r, tr)?;
    let by = sp.by.clone().unwrap_or_else(|| "form".into());
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let page = StatsPage {
        c: Chrome::new(tr, &p, "activities", tr.t("commendations.stats")),
        nav: MovementNav { tab: "commendation_stats" },
        action: "/stats/commendations",
        place: PlaceFilter::build(&s, &p, blank_none(&sp.province).as_deref(), blank_none(&sp.commune).as_deref())
            .await,
        year: sp.year.clone().unwrap_or_else(|| chrono::Datelike::year(&s.ctx.today()).to_string()),
        months: None,
        kinds: Vec::new(),
        by: [("form", "commendations.by_form"), ("place", "commendations.by_place")]
            .iter()
            .chain(antq_app::former_stats::BY)
            .map(|(code, key)| Opt { value: (*code).into(), label: tr.t(key).into(), selected: by == *code })
            .collect(),
        table,
        notice,
        query: query_string(&[
            ("year", o(&sp.year)),
            ("province", o(&sp.province)),
            ("commune", o(&sp.commune)),
            ("by", o(&sp.by)),
        ]),
        help: None,
    };
    Ok(render_status(&page, status))
}

async fn stats_export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(sp): Query<StatsParams>,
) -> Result<Response, crate::error::PageError> {
    let format = crate::api::interchange::format_or_xlsx(sp.format.as_deref()).lang(tr)?;
    let t = commendations::stats(&s.ctx, &p.actor, &sp.query().lang(tr)?).await.lang(tr)?;
    let bytes = antq_app::activities::stats::table_file(&t, format);
    Ok(crate::api::interchange::download(bytes, format, "thong-ke-khen-thuong"))
}
