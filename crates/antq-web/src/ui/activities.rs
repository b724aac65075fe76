//! Movement activity pages: the register with its filters, the form (every kind's fields,
//! the server asks only for those the chosen kind needs), the activity with its opinions,
//! answers and documents, the waiting opinions, the kinds, and the statistics.

use antq_app::activities::stats::{ActivityStatsQuery, StatsBy};
use antq_app::activities::{self, ActivityDetail, ActivityQuery, OpinionQuery};
use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::activity::opinion::{AnswerInput, Opinion, OpinionInput};
use antq_domain::activity::{
    Activity, ActivityInput, ActivityKind, ActivityKindInput, ActivityShape, MeasureUnit, Medium, OrganiserKind,
    ParticipantGroup, TraineeKind, WeaponCategory, WeaponLineInput,
};
use antq_domain::page::PageRequest;
use antq_domain::table::StatTable;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::place::{CommuneField, PlaceFilter};
use super::{
    Chrome, InLang, Notice, Opt, PageResult, Pager, blank_none, enum_opts, field, form_int, query_string, refused,
    render, render_status, see_other,
};
use crate::AppState;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, TAXONOMY, WRITE};

/// Item lines offered on the form.
const WEAPON_LINES: usize = 4;

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/activities", get(index), &[(Method::GET, READ)])
        .route("/activities/new", get(new_page).post(create), &[(Method::GET, WRITE), (Method::POST, WRITE)])
        .route("/activities/{id}", get(show), &[(Method::GET, READ)])
        .route("/activities/{id}/edit", get(edit_page).post(update), &[(Method::GET, WRITE), (Method::POST, WRITE)])
        .route("/activities/{id}/opinions", post(add_opinion), &[(Method::POST, WRITE)])
        .route("/activities/{id}/opinions/{opinion_id}/answer", post(answer), &[(Method::POST, WRITE)])
        .route(
            "/activities/{id}/documents",
            post(add_document).layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/activities/{id}/documents/{document_id}", get(document_file), &[(Method::GET, READ)])
        .route("/opinions", get(opinions), &[(Method::GET, READ)])
        .route("/activity-kinds", get(kinds_page).post(create_kind), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route("/activity-kinds/{id}", post(update_kind), &[(Method::POST, TAXONOMY)])
        .route("/stats/activities", get(stats_page), &[(Method::GET, READ)])
        .route("/stats/activities/export", get(stats_export), &[(Method::GET, READ)])
        .route("/stats/former", get(former_page), &[(Method::GET, READ)])
        .route("/stats/former/export", get(former_export), &[(Method::GET, READ)])
}

/// The tabs shared by the activity and commendation pages.
pub struct MovementNav {
    /// Active tab.
    pub tab: &'static str,
}

/// List filters as typed, with the page.
#[derive(Debug, Default, serde::Deserialize)]
struct ListParams {
    province: Option<String>,
    commune: Option<String>,
    kind_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    organiser_kind: Option<String>,
    model_id: Option<i64>,
    area_id: Option<i64>,
    page: Option<u32>,
}

impl ListParams {
    fn query(&self) -> ActivityQuery {
        ActivityQuery {
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            kind_id: blank_none(&self.kind_id).and_then(|k| k.parse().ok()),
            from: blank_none(&self.from),
            to: blank_none(&self.to),
            q: blank_none(&self.q),
            organiser_kind: blank_none(&self.organiser_kind),
            model_id: self.model_id,
            area_id: self.area_id,
        }
    }

    fn base(&self) -> String {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        query_string(&[
            ("province", o(&self.province)),
            ("commune", o(&self.commune)),
            ("kind_id", o(&self.kind_id)),
            ("from", o(&self.from)),
            ("to", o(&self.to)),
            ("q", o(&self.q)),
            ("organiser_kind", o(&self.organiser_kind)),
            ("model_id", self.model_id.map(|m| m.to_string()).unwrap_or_default()),
            ("area_id", self.area_id.map(|m| m.to_string()).unwrap_or_default()),
        ])
    }
}

fn kind_opts(kinds: &[ActivityKind], current: Option<&str>, only_active: bool) -> Vec<Opt> {
    kinds
        .iter()
        .filter(|k| !only_active || k.active || current == Some(k.id.to_string().as_str()))
        .map(|k| Opt {
            value: k.id.to_string(),
            label: k.name.clone(),
            selected: current == Some(k.id.to_string().as_str()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "activities.html")]
struct IndexPage {
    c: Chrome,
    nav: MovementNav,
    place: PlaceFilter,
    kinds: Vec<Opt>,
    organisers: Vec<Opt>,
    lp: ListParams,
    query: String,
    rows: Vec<Activity>,
    names: std::collections::HashMap<String, String>,
    total: i64,
    pager: Pager,
    can_write: bool,
}

async fn index(State(s): State<AppState>, tr: Tr, p: PageActor, Query(lp): Query<ListParams>) -> PageResult {
    let q = lp.query();
    let page = activities::list(&s.ctx, &p.actor, &q, PageRequest::new(lp.page, None)).await.lang(tr)?;
    let names =
        antq_app::units::names(&s.ctx, page.items.iter().filter_map(|a| a.commune_code.clone())).await.lang(tr)?;
    let kinds = activities::kinds(&s.ctx, &p.actor).await.lang(tr)?;
    let query = lp.base();
    Ok(render(&IndexPage {
        c: Chrome::new(tr, &p, "activities", tr.t("activities.title")),
        nav: MovementNav { tab: "activities" },
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        kinds: kind_opts(&kinds, lp.kind_id.as_deref(), false),
        organisers: enum_opts(tr, OrganiserKind::ALL, lp.organiser_kind.as_deref()),
        pager: Pager::new(&page, &query).plain(),
        query,
        total: page.total,
        rows: page.items,
        names,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
        lp,
    }))
}

// ---------------------------------------------------------------------------------------
// The form

/// The form's values as posted (pairs: weapons and groups are numbered fields).
struct FormValues(Vec<(String, String)>);

impl FormValues {
    fn v(&self, name: &str) -> String {
        field(&self.0, name).unwrap_or_default()
    }

    fn from_activity(a: &Activity) -> FormValues {
        let i = a.to_input();
        let mut f: Vec<(String, String)> = Vec::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                f.push((k.to_string(), v));
            }
        };
        put("commune_code", i.commune_code.clone());
        put("area_id", i.area_id.map(|x| x.to_string()));
        put("establishment_id", i.establishment_id.map(|x| x.to_string()));
        put("kind_id", i.kind_id.map(|x| x.to_string()));
        put("title", i.title.clone());
        put("starts_on", i.starts_on.clone());
        put("ends_on", i.ends_on.clone());
        put("location", i.location.clone());
        put("organiser_kind", i.organiser_kind.clone());
        put("organiser_name", i.organiser_name.clone());
        put("organiser_model_id", i.organiser_model_id.map(|x| x.to_string()));
        put("organiser_team_id", i.organiser_team_id.map(|x| x.to_string()));
        for m in &i.model_ids {
            put("model_ids", Some(m.to_string()));
        }
        put("participants", i.participants.map(|x| x.to_string()));
        for (g, n) in &i.groups {
            put(&format!("g_{g}"), Some(n.to_string()));
        }
        put("commitment_topic", i.commitment_topic.clone());
        put("households", i.households.map(|x| x.to_string()));
        put("individuals", i.individuals.map(|x| x.to_string()));
        put("establishments", i.establishments.map(|x| x.to_string()));
        for (n, w) in i.weapons.iter().enumerate() {
            put(&format!("w_category_{n}"), w.category.clone());
            put(&format!("w_quantity_{n}"), w.quantity.clone());
            put(&format!("w_unit_{n}"), w.unit.clone());
            put(&format!("w_handed_by_{n}"), w.handed_by.clone());
        }
        put("receiving_unit", i.receiving_unit.clone());
        put("minutes_no", i.minutes_no.clone());
        put("medium", i.medium.clone());
        put("publications", i.publications.map(|x| x.to_string()));
        put("training_topics", i.training_topics.clone());
        put("trainees", i.trainees.map(|x| x.to_string()));
        put("trainee_kind", i.trainee_kind.clone());
        put("certificates", i.certificates.map(|x| x.to_string()));
        put("note", i.note.clone());
        put("updated_at", Some(a.updated_at.to_rfc3339()));
        FormValues(f)
    }

    /// The input, or the errors of numbers that are not numbers.
    fn input(&self) -> (ActivityInput, FieldErrors) {
        let f = &self.0;
        let mut e = FieldErrors::new();
        let id = |n: &str| field(f, n).and_then(|v| v.parse::<i64>().ok());
        let mut num = |n: &str, label: &str| form_int(&mut e, n, label, &field(f, n));
        let participants = num("participants", "Số người tham dự");
        let households = num("households", "Số hộ");
        let individuals = num("individuals", "Số cá nhân");
        let establishments = num("establishments", "Số cơ sở");
        let publications = num("publications", "Số tin bài");
        let trainees = num("trainees", "Số học viên");
        let certificates = num("certificates", "Số chứng chỉ");
        let mut groups = std::collections::BTreeMap::new();
        for g in ParticipantGroup::ALL {
            let name = format!("g_{}", g.code());
            if let Some(n) = form_int(&mut e, &format!("groups.{}", g.code()), g.label(), &field(f, &name)) {
                groups.insert(g.code().to_string(), n);
            }
        }
        let weapons = (0..WEAPON_LINES + 8)
            .filter_map(|n| {
                let cat = field(f, &format!("w_category_{n}"));
                let qty = field(f, &format!("w_quantity_{n}"));
                (cat.is_some() || qty.is_some()).then(|| WeaponLineInput {
                    category: cat,
                    quantity: qty,
                    unit: field(f, &format!("w_unit_{n}")),
                    handed_by: field(f, &format!("w_handed_by_{n}")),
                })
            })
            .collect();
        let input = ActivityInput {
            commune_code: field(f, "commune_code"),
            area_id: id("area_id"),
            establishment_id: id("establishment_id"),
            kind_id: id("kind_id"),
            title: field(f, "title"),
            starts_on: field(f, "starts_on"),
            ends_on: field(f, "ends_on"),
            location: field(f, "location"),
            organiser_kind: field(f, "organiser_kind"),
            organiser_name: field(f, "organiser_name"),
            organiser_model_id: id("organiser_model_id"),
            organiser_team_id: id("organiser_team_id"),
            model_ids: f.iter().filter(|(k, _)| k == "model_ids").filter_map(|(_, v)| v.parse().ok()).collect(),
            participants,
            groups,
            commitment_topic: field(f, "commitment_topic"),
            households,
            individuals,
            establishments,
            weapons,
            receiving_unit: field(f, "receiving_unit"),
            minutes_no: field(f, "minutes_no"),
            medium: field(f, "medium"),
            publications,
            training_topics: field(f, "training_topics"),
            trainees,
            trainee_kind: field(f, "trainee_kind"),
            certificates,
            note: field(f, "note"),
        };
        (input, e)
    }
}

/// A row of the item lines on the form.
struct WeaponRow {
    n: usize,
    categories: Vec<Opt>,
    units: Vec<Opt>,
    quantity: String,
    handed_by: String,
}

/// A participant group field.
struct GroupField {
    code: &'static str,
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "activity_form.html")]
struct FormPage {
    c: Chrome,
    nav: MovementNav,
    action: String,
    id: Option<i64>,
    v: FormValues,
    errors: FieldErrors,
    commune_field: Option<CommuneField>,
    kinds: Vec<Opt>,
    organisers: Vec<Opt>,
    models: Vec<Opt>,
    organiser_models: Vec<Opt>,
    teams: Vec<Opt>,
    areas: Vec<Opt>,
    establishments: Vec<Opt>,
    groups: Vec<GroupField>,
    weapons: Vec<WeaponRow>,
    mediums: Vec<Opt>,
    trainee_kinds: Vec<Opt>,
}

fn id_opts(items: impl Iterator<Item = (i64, String)>, chosen: &[String]) -> Vec<Opt> {
    items
        .map(|(id, label)| Opt { selected: chosen.iter().any(|c| *c == id.to_string()), value: id.to_string(), label })
        .collect()
}

async fn form_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: Option<i64>,
    v: FormValues,
    errors: FieldErrors,
) -> Result<FormPage, crate::error::PageError> {
    let kinds = activities::kinds(&s.ctx, &p.actor).await.lang(tr)?;
    let commune = blank_none(&Some(v.v("commune_code"))).or_else(|| p.actor.scope.commune().map(Into::into));
    let place = (p.actor.scope.province().map(str::to_string), commune.clone());
    let chosen =
        |name: &str| -> Vec<String> { v.0.iter().filter(|(k, _)| k == name).map(|(_, x)| x.clone()).collect() };
    let models_q =
        antq_app::models::ListQuery { province: place.0.clone(), commune: commune.clone(), ..Default::default() };
    let models: Vec<(i64, String)> =
        antq_app::models::list(&s.ctx, &p.actor, &models_q, PageRequest::new(Some(1), Some(200)))
            .await
            .map(|pg| pg.items.into_iter().map(|m| (m.id.0, m.name)).collect())
            .unwrap_or_default();
    let (teams, areas, establishments) = match &commune {
        Some(c) => {
            let tq = antq_app::force::teams::TeamQuery { commune: Some(c.clone()), ..Default::default() };
            let teams = antq_app::force::teams::list_all(&s.ctx, &p.actor, &tq).await.unwrap_or_default();
            let rq = antq_app::areas::ListQuery { commune: Some(c.clone()), ..Default::default() };
            let areas = antq_app::areas::list(&s.ctx, &p.actor, &rq, PageRequest::new(Some(1), Some(200)))
                .await
                .map(|pg| pg.items)
                .unwrap_or_default();
            let ests = antq_app::establishments::list(&s.ctx, &p.actor, &rq, PageRequest::new(Some(1), Some(200)))
                .await
                .map(|pg| pg.items)
                .unwrap_or_default();
            (
                id_opts(teams.into_iter().map(|t| (t.id.0, t.name)), &chosen("organiser_team_id")),
                id_opts(areas.into_iter().map(|a| (a.id.0, a.name)), &chosen("area_id")),
                id_opts(ests.into_iter().map(|e| (e.id.0, e.name)), &chosen("establishment_id")),
            )
        }
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let weapons = (0..WEAPON_LINES.max(v.0.iter().filter(|(k, _)| k.starts_with("w_category_")).count()))
        .map(|n| WeaponRow {
            n,
            categories: enum_opts(tr, WeaponCategory::ALL, Some(&v.v(&format!("w_category_{n}")))),
            units: enum_opts(tr, MeasureUnit::ALL, Some(&v.v(&format!("w_unit_{n}")))),
            quantity: v.v(&format!("w_quantity_{n}")),
            handed_by: v.v(&format!("w_handed_by_{n}")),
        })
        .collect();
    let commune_field = if p.actor.scope.commune().is_some() {
        None
    } else {
        Some(CommuneField::build(s, p, commune.as_deref()).await)
    };
    Ok(FormPage {
        c: Chrome::new(
            tr,
            p,
            "activities",
            if id.is_some() { tr.t("activities.edit") } else { tr.t("activities.new") },
        ),
        nav: MovementNav { tab: "activities" },
        action: id.map_or("/activities/new".to_string(), |i| format!("/activities/{i}/edit")),
        id,
        kinds: kind_opts(&kinds, Some(&v.v("kind_id")), true),
        organisers: enum_opts(tr, OrganiserKind::ALL, Some(&v.v("organiser_kind"))),
        organiser_models: id_opts(models.iter().cloned(), &chosen("organiser_model_id")),
        models: id_opts(models.into_iter(), &chosen("model_ids")),
        teams,
        areas,
        establishments,
        groups: ParticipantGroup::ALL
            .iter()
            .map(|g| GroupField { code: g.code(), label: tr.l(g), value: v.v(&format!("g_{}", g.code())) })
            .collect(),
        weapons,
        mediums: enum_opts(tr, Medium::ALL, Some(&v.v("medium"))),
        trainee_kinds: enum_opts(tr, TraineeKind::ALL, Some(&v.v("trainee_kind"))),
        commune_field,
        v,
        errors,
    })
}

async fn new_page(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    let today = s.ctx.today().to_string();
    let v =
        FormValues(vec![("starts_on".into(), today), ("organiser_kind".into(), OrganiserKind::CongAn.code().into())]);
    Ok(render(&form_page(&s, tr, &p, None, v, FieldErrors::new()).await?))
}

async fn save(s: &AppState, tr: Tr, p: &PageActor, id: Option<i64>, f: Vec<(String, String)>) -> PageResult {
    let v = FormValues(f);
    let (input, mut errs) = v.input();
    let r = if !errs.is_empty() {
        Err(antq_app::AppError::Invalid(std::mem::take(&mut errs)))
    } else {
        match id {
            None => activities::create(&s.ctx, &p.actor, &input).await,
            Some(id) => {
                let seen = chrono::DateTime::parse_from_rfc3339(&v.v("updated_at")).ok().map(|t| t.to_utc());
                activities::update(&s.ctx, &p.actor, id, &input, seen).await
            }
        }
    };
    match r {
        Ok(d) => Ok(see_other(&format!("/activities/{}", d.activity.id))),
        Err(antq_app::AppError::Invalid(e)) => {
            Ok(render_status(&form_page(s, tr, p, id, v, e).await?, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(antq_app::AppError::Conflict(m)) => {
            Ok(render_status(&form_page(s, tr, p, id, v, FieldErrors::single("form", m)).await?, StatusCode::CONFLICT))
        }
        Err(e) => Err(e).lang(tr),
    }
}

async fn create(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<Vec<(String, String)>>) -> PageResult {
    save(&s, tr, &p, None, f).await
}

async fn edit_page(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    let a = activities::get(&s.ctx, &p.actor, id).await.lang(tr)?;
    Ok(render(&form_page(&s, tr, &p, Some(id), FormValues::from_activity(&a), FieldErrors::new()).await?))
}

async fn update(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    save(&s, tr, &p, Some(id), f).await
}

// ---------------------------------------------------------------------------------------
// The activity

#[derive(Template)]
#[template(path = "activity.html")]
struct ShowPage {
    c: Chrome,
    nav: MovementNav,
    d: ActivityDetail,
    place: String,
    groups: Vec<(&'static str, i64)>,
    conference: bool,
    can_write: bool,
    notice: Notice,
    today: String,
}

impl ShowPage {
    fn shape_is(&self, code: &str) -> bool {
        self.d.activity.shape.code() == code
    }
}

async fn show_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: i64,
    notice: Notice,
) -> Result<ShowPage, crate::error::PageError> {
    let d = activities::detail(&s.ctx, &p.actor, id).await.lang(tr)?;
    let a = &d.activity;
    let codes = std::iter::once(a.province_code.clone()).chain(a.commune_code.clone());
    let names = antq_app::units::names(&s.ctx, codes).await.lang(tr)?;
    let place = match &a.commune_code {
        Some(c) => names.get(c).cloned().unwrap_or_else(|| c.clone()),
        None => format!(
            "{} ({})",
            names.get(&a.province_code).cloned().unwrap_or_default(),
            tr.t("activities.province_level")
        ),
    };
    let can_write =
        p.actor.require_in_scope(Permission::WriteRegistry, &a.province_code, a.commune_code.as_deref()).is_ok();
    let groups =
        ParticipantGroup::ALL.iter().zip(&a.groups).filter(|(_, n)| **n > 0).map(|(g, n)| (tr.l(g), *n)).collect();
    Ok(ShowPage {
        c: Chrome::new(tr, p, "activities", a.title.clone()),
        nav: MovementNav { tab: "activities" },
        conference: a.shape == ActivityShape::HoiNghi,
        place,
        groups,
        can_write,
        notice,
        today: s.ctx.today().to_string(),
        d,
    })
}

async fn show(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    Ok(render(&show_page(&s, tr, &p, id, None).await?))
}

async fn after<T>(s: &AppState, tr: Tr, p: &PageActor, id: i64, r: Result<T, antq_app::AppError>) -> PageResult {
    match r {
        Ok(_) => Ok(see_other(&format!("/activities/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&show_page(s, tr, p, id, notice).await?, status))
        }
    }
}

async fn add_opinion(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<OpinionInput>,
) -> PageResult {
    let r = activities::add_opinion(&s.ctx, &p.actor, id, &f).await;
    after(&s, tr, &p, id, r).await
}

async fn answer(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, opinion)): Path<(i64, i64)>,
    Form(f): Form<AnswerInput>,
) -> PageResult {
    let r = activities::answer_opinion(&s.ctx, &p.actor, id, opinion, &f).await;
    after(&s, tr, &p, id, r).await
}

async fn add_document(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    form: Multipart,
) -> PageResult {
    let r = match crate::api::antt::read_upload(form).await {
        Ok((title, upload)) => {
            activities::add_document(&s.ctx, &p.actor, id, title.as_deref().unwrap_or(""), upload).await
        }
        Err(e) => Err(e),
    };
    after(&s, tr, &p, id, r).await
}

async fn document_file(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, doc)): Path<(i64, i64)>,
) -> PageResult {
    let (d, bytes) = activities::document(&s.ctx, &p.actor, id, doc).await.lang(tr)?;
    let name = d.file_name.unwrap_or_else(|| format!("tai-lieu-{}", d.id));
    Ok(crate::documents::download(&name, d.content_type.as_deref().unwrap_or("application/octet-stream"), bytes))
}

// ---------------------------------------------------------------------------------------
// Waiting opinions

#[derive(Debug, Default, serde::Deserialize)]
struct OpinionParams {
    province: Option<String>,
    commune: Option<String>,
    overdue: Option<String>,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "opinions.html")]
struct OpinionsPage {
    c: Chrome,
    nav: MovementNav,
    place: PlaceFilter,
    overdue: bool,
    rows: Vec<Opinion>,
    total: i64,
    pager: Pager,
}

async fn opinions(State(s): State<AppState>, tr: Tr, p: PageActor, Query(op): Query<OpinionParams>) -> PageResult {
    let overdue = op.overdue.as_deref().is_some_and(|v| !v.is_empty() && v != "false");
    let q = OpinionQuery { province: blank_none(&op.province), commune: blank_none(&op.commune), overdue };
    let page = activities::waiting_opinions(&s.ctx, &p.actor, &q, PageRequest::new(op.page, None)).await.lang(tr)?;
    let base = query_string(&[
        ("province", op.province.clone().unwrap_or_default()),
        ("commune", op.commune.clone().unwrap_or_default()),
        ("overdue", if overdue { "true".into() } else { String::new() }),
    ]);
    Ok(render(&OpinionsPage {
        c: Chrome::new(tr, &p, "activities", tr.t("opinions.title")),
        nav: MovementNav { tab: "opinions" },
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        overdue,
        pager: Pager::new(&page, &base).plain(),
        total: page.total,
        rows: page.items,
    }))
}

// ---------------------------------------------------------------------------------------
// Kinds

#[derive(Template)]
#[template(path = "activity_kinds.html")]
struct KindsPage {
    c: Chrome,
    nav: MovementNav,
    kinds: Vec<ActivityKind>,
    shapes: Vec<Opt>,
    can_edit: bool,
    own_province: Option<String>,
    notice: Notice,
}

async fn kinds_render(s: &AppState, tr: Tr, p: &PageActor, notice: Notice, status: StatusCode) -> PageResult {
    let kinds = activities::kinds(&s.ctx, &p.actor).await.lang(tr)?;
    Ok(render_status(
        &KindsPage {
            c: Chrome::new(tr, p, "activities", tr.t("activity_kinds.title")),
            nav: MovementNav { tab: "kinds" },
            kinds,
            shapes: enum_opts(tr, ActivityShape::ALL, None),
            can_edit: p.actor.role.grants(Permission::ManageTaxonomy),
            own_province: p.actor.scope.province().map(Into::into),
            notice,
        },
        status,
    ))
}

async fn kinds_page(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    kinds_render(&s, tr, &p, None, StatusCode::OK).await
}

/// The kind form as posted.
#[derive(Debug, Default, serde::Deserialize)]
struct KindForm {
    name: Option<String>,
    shape: Option<String>,
    active: Option<String>,
}

impl KindForm {
    fn input(&self, default_active: bool) -> ActivityKindInput {
        ActivityKindInput {
            name: self.name.clone(),
            shape: self.shape.clone(),
            active: Some(self.active.as_deref().map_or(default_active, |v| v == "true")),
        }
    }
}

async fn kind_result<T>(s: &AppState, tr: Tr, p: &PageActor, r: Result<T, antq_app::AppError>) -> PageResult {
    match r {
        Ok(_) => Ok(see_other("/activity-kinds")),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            kinds_render(s, tr, p, notice, status).await
        }
    }
}

async fn create_kind(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<KindForm>) -> PageResult {
    let r = activities::create_kind(&s.ctx, &p.actor, &f.input(true)).await;
    kind_result(&s, tr, &p, r).await
}

async fn update_kind(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<KindForm>,
) -> PageResult {
    let r = activities::update_kind(&s.ctx, &p.actor, id, &f.input(false)).await;
    kind_result(&s, tr, &p, r).await
}

// ---------------------------------------------------------------------------------------
// Statistics

#[derive(Debug, Default, serde::Deserialize)]
struct StatsParams {
    year: Option<String>,
    from_month: Option<String>,
    to_month: Option<String>,
    province: Option<String>,
    commune: Option<String>,
    kind_id: Option<String>,
    by: Option<String>,
    format: Option<String>,
}

impl StatsParams {
    fn query(&self) -> Result<ActivityStatsQuery, antq_app::AppError> {
        let mut e = FieldErrors::new();
        let year = form_int(&mut e, "year", "Năm", &self.year).map(|y| y as i32);
        let from_month = form_int(&mut e, "from_month", "Tháng", &self.from_month).map(|m| m as u32);
        let to_month = form_int(&mut e, "to_month", "Tháng", &self.to_month).map(|m| m as u32);
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok(ActivityStatsQuery {
            year,
            from_month,
            to_month,
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            kind_id: blank_none(&self.kind_id).and_then(|k| k.parse().ok()),
            by: blank_none(&self.by),
            as_of: None,
        })
    }

    fn base(&self) -> String {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        query_string(&[
            ("year", o(&self.year)),
            ("from_month", o(&self.from_month)),
            ("to_month", o(&self.to_month)),
            ("province", o(&self.province)),
            ("commune", o(&self.commune)),
            ("kind_id", o(&self.kind_id)),
            ("by", o(&self.by)),
        ])
    }
}

#[derive(Template)]
#[template(path = "stats_table.html")]
pub(crate) struct StatsPage {
    pub(crate) c: Chrome,
    pub(crate) nav: MovementNav,
    pub(crate) action: &'static str,
    pub(crate) place: PlaceFilter,
    pub(crate) year: String,
    pub(crate) months: Option<(String, String)>,
    pub(crate) kinds: Vec<Opt>,
    pub(crate) by: Vec<Opt>,
    pub(crate) table: Option<StatTable>,
    pub(crate) notice: Notice,
    pub(crate) query: String,
    /// Locale key of a line explaining the table.
    pub(crate) help: Option<&'static str>,
}

/// A statistics table, or the notice and status of why it was refused.
pub(crate) type Shown = (Option<StatTable>, Notice, StatusCode);

/// The table read, or the refusal shown above the form.
pub(crate) fn shown(r: antq_app::AppResult<StatTable>, tr: Tr) -> Result<Shown, crate::error::PageError> {
    match r {
        Ok(t) => Ok((Some(t), None, StatusCode::OK)),
        Err(e) => refused(e, tr).map(|(n, st)| (None, n, st)),
    }
}

async fn stats_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(sp): Query<StatsParams>) -> PageResult {
    let r = match sp.query() {
        Ok(q) => activities::stats::table(&s.ctx, &p.actor, &q).await,
        Err(e) => Err(e),
    };
    let (table, notice, status) = shown(r, tr)?;
    let kinds = activities::kinds(&s.ctx, &p.actor).await.lang(tr)?;
    let by = sp.by.clone().unwrap_or_else(|| "place".into());
    let page = StatsPage {
        c: Chrome::new(tr, &p, "activities", tr.t("activities.stats")),
        nav: MovementNav { tab: "stats" },
        action: "/stats/activities",
        place: PlaceFilter::build(&s, &p, blank_none(&sp.province).as_deref(), blank_none(&sp.commune).as_deref())
            .await,
        year: sp.year.clone().unwrap_or_else(|| chrono::Datelike::year(&s.ctx.today()).to_string()),
        months: Some((
            sp.from_month.clone().unwrap_or_else(|| "1".into()),
            sp.to_month.clone().unwrap_or_else(|| "12".into()),
        )),
        kinds: kind_opts(&kinds, sp.kind_id.as_deref(), false),
        by: StatsBy::ALL
            .iter()
            .map(|(_, code, label)| (*code, *label))
            .chain(antq_app::former_stats::BY.iter().copied())
            .map(|(code, label)| Opt { value: code.into(), label: tr.t(label).into(), selected: by == code })
            .collect(),
        table,
        notice,
        query: sp.base(),
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
    let q = sp.query().lang(tr)?;
    let bytes = activities::stats::export(&s.ctx, &p.actor, &q, format).await.lang(tr)?;
    Ok(crate::api::interchange::download(bytes, format, "thong-ke-hoat-dong"))
}

/// Filters of the statistics by former place, as typed.
#[derive(Debug, Default, serde::Deserialize)]
struct FormerParams {
    year: Option<String>,
    province: Option<String>,
    commune: Option<String>,
    by: Option<String>,
    format: Option<String>,
}

impl FormerParams {
    fn query(&self) -> Result<antq_app::former_stats::FormerStatsQuery, antq_app::AppError> {
        let mut e = FieldErrors::new();
        let year = form_int(&mut e, "year", "Năm", &self.year).map(|y| y as i32);
        e.into_result(antq_app::former_stats::FormerStatsQuery {
            year,
            by: blank_none(&self.by),
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
        })
        .map_err(Into::into)
    }
}

/// The movement's figures of a year by the place recorded before 1 July 2025.
async fn former_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(fp): Query<FormerParams>) -> PageResult {
    let r = match fp.query() {
        Ok(q) => antq_app::former_stats::movement(&s.ctx, &p.actor, &q).await,
        Err(e) => Err(e),
    };
    let (table, notice, status) = shown(r, tr)?;
    let national = p.actor.scope.province().is_none() && blank_none(&fp.province).is_none();
    let default = if national { "legacy_province" } else { "legacy_district" };
    let by = blank_none(&fp.by).unwrap_or_else(|| default.into());
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let page = StatsPage {
        c: Chrome::new(tr, &p, "activities", tr.t("stats.former_title")),
        nav: MovementNav { tab: "former" },
        action: "/stats/former",
        place: PlaceFilter::build(&s, &p, blank_none(&fp.province).as_deref(), blank_none(&fp.commune).as_deref())
            .await,
        year: fp.year.clone().unwrap_or_else(|| "2024".into()),
        months: None,
        kinds: Vec::new(),
        by: antq_app::former_stats::BY
            .iter()
            .map(|(code, key)| Opt { value: (*code).into(), label: tr.t(key).into(), selected: by == *code })
            .collect(),
        table,
        notice,
        query: query_string(&[
            ("year", o(&fp.year)),
            ("province", o(&fp.province)),
            ("commune", o(&fp.commune)),
            ("by", o(&fp.by)),
        ]),
        help: Some("stats.former_help"),
    };
    Ok(render_status(&page, status))
}

async fn former_export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(fp): Query<FormerParams>,
) -> Result<Response, crate::error::PageError> {
    let q = fp.query().lang(tr)?;
    crate::api::lineage::former_stats_file(&s, &p.actor, &q, fp.format.as_deref()).await.lang(tr)
}
