//! Camera pages: the register with its filters (broken for long among them), the form, the
//! camera with its status history and the status change, the monitoring centres, and the
//! coverage statistics with their table.

use antq_app::cameras::{self, CameraDetail, CameraQuery, CoverageQuery};
use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::camera::{
    Camera, CameraFunding, CameraInput, CameraKind, CameraStatus, CameraWatch, Centre, CentreInput, StatusChangeInput,
};
use antq_domain::page::PageRequest;
use antq_domain::table::StatTable;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
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
use crate::routes::{READ, Routes, WRITE};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/cameras", get(index), &[(Method::GET, READ)])
        .route("/cameras/new", get(new_page).post(create), &[(Method::GET, WRITE), (Method::POST, WRITE)])
        .route("/cameras/{id}", get(show), &[(Method::GET, READ)])
        .route("/cameras/{id}/edit", get(edit_page).post(update), &[(Method::GET, WRITE), (Method::POST, WRITE)])
        .route("/cameras/{id}/status", post(change_status), &[(Method::POST, WRITE)])
        .route("/camera-centres", get(centres_page).post(create_centre), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/camera-centres/{id}", post(update_centre), &[(Method::POST, WRITE)])
        .route("/stats/cameras", get(stats_page), &[(Method::GET, READ)])
        .route("/stats/cameras/export", get(stats_export), &[(Method::GET, READ)])
}

/// The tabs of the camera pages.
pub struct CameraNav {
    /// Active tab.
    pub tab: &'static str,
}

/// List filters as typed, with the page.
#[derive(Debug, Default, serde::Deserialize)]
struct ListParams {
    province: Option<String>,
    commune: Option<String>,
    status: Option<String>,
    funding: Option<String>,
    kind: Option<String>,
    broken_days: Option<String>,
    q: Option<String>,
    model_id: Option<i64>,
    centre_id: Option<i64>,
    page: Option<u32>,
}

impl ListParams {
    fn query(&self) -> CameraQuery {
        CameraQuery {
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            status: blank_none(&self.status),
            funding: blank_none(&self.funding),
            kind: blank_none(&self.kind),
            broken_days: blank_none(&self.broken_days).and_then(|d| d.parse().ok()),
            q: blank_none(&self.q),
            model_id: self.model_id,
            centre_id: self.centre_id,
            ..Default::default()
        }
    }

    fn base(&self) -> String {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let n = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        query_string(&[
            ("province", o(&self.province)),
            ("commune", o(&self.commune)),
            ("status", o(&self.status)),
            ("funding", o(&self.funding)),
            ("kind", o(&self.kind)),
            ("broken_days", o(&self.broken_days)),
            ("q", o(&self.q)),
            ("model_id", n(self.model_id)),
            ("centre_id", n(self.centre_id)),
        ])
    }
}

#[derive(Template)]
#[template(path = "cameras.html")]
struct IndexPage {
    c: Chrome,
    nav: CameraNav,
    place: PlaceFilter,
    statuses: Vec<Opt>,
    fundings: Vec<Opt>,
    kinds: Vec<Opt>,
    lp: ListParams,
    query: String,
    rows: Vec<Camera>,
    names: std::collections::HashMap<String, String>,
    total: i64,
    pager: Pager,
    can_write: bool,
    notice: Notice,
}

async fn index(State(s): State<AppState>, tr: Tr, p: PageActor, Query(lp): Query<ListParams>) -> PageResult {
    let q = lp.query();
    let (page, notice, status) = match cameras::list(&s.ctx, &p.actor, &q, PageRequest::new(lp.page, None)).await {
        Ok(page) => (page, None, StatusCode::OK),
        Err(e) => {
            let (n, st) = refused(e, tr)?;
            (antq_domain::page::Page { items: Vec::new(), total: 0, page: 1, per_page: 50 }, n, st)
        }
    };
    let names = antq_app::units::names(&s.ctx, page.items.iter().map(|c| c.commune_code.clone())).await.lang(tr)?;
    let query = lp.base();
    let page_view = IndexPage {
        c: Chrome::new(tr, &p, "cameras", tr.t("cameras.title")),
        nav: CameraNav { tab: "cameras" },
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        statuses: enum_opts(tr, CameraStatus::ALL, lp.status.as_deref()),
        fundings: enum_opts(tr, CameraFunding::ALL, lp.funding.as_deref()),
        kinds: enum_opts(tr, CameraKind::ALL, lp.kind.as_deref()),
        pager: Pager::new(&page, &query).plain(),
        query,
        total: page.total,
        rows: page.items,
        names,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
        notice,
        lp,
    };
    Ok(render_status(&page_view, status))
}

// ---------------------------------------------------------------------------------------
// The form

/// The form's values as posted.
struct FormValues(Vec<(String, String)>);

impl FormValues {
    fn v(&self, name: &str) -> String {
        field(&self.0, name).unwrap_or_default()
    }

    fn from_camera(c: &Camera) -> FormValues {
        let i = CameraInput::from(c);
        let pairs = [
            ("commune_code", i.commune_code),
            ("area_id", i.area_id.map(|x| x.to_string())),
            ("establishment_id", i.establishment_id.map(|x| x.to_string())),
            ("name", i.name),
            ("address", i.address),
            ("latitude", i.latitude),
            ("longitude", i.longitude),
            ("model_id", i.model_id.map(|x| x.to_string())),
            ("installed_on", i.installed_on),
            ("kind", i.kind),
            ("watches", i.watches),
            ("funding", i.funding),
            ("cost_vnd", i.cost_vnd.map(|x| x.to_string())),
            ("keeper", i.keeper),
            ("centre_id", i.centre_id.map(|x| x.to_string())),
            ("note", i.note),
        ];
        FormValues(pairs.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_string(), v))).collect())
    }

    /// The input, or the error of a cost that is not a number.
    fn input(&self) -> (CameraInput, FieldErrors) {
        let f = &self.0;
        let mut e = FieldErrors::new();
        let id = |n: &str| field(f, n).and_then(|v| v.parse::<i64>().ok());
        let cost_vnd = form_int(&mut e, "cost_vnd", "Kinh phí", &field(f, "cost_vnd"));
        let input = CameraInput {
            commune_code: field(f, "commune_code"),
            area_id: id("area_id"),
            establishment_id: id("establishment_id"),
            name: field(f, "name"),
            address: field(f, "address"),
            latitude: field(f, "latitude"),
            longitude: field(f, "longitude"),
            model_id: id("model_id"),
            installed_on: field(f, "installed_on"),
            kind: field(f, "kind"),
            watches: field(f, "watches"),
            funding: field(f, "funding"),
            cost_vnd,
            keeper: field(f, "keeper"),
            centre_id: id("centre_id"),
            status: field(f, "status"),
            note: field(f, "note"),
        };
        (input, e)
    }
}

#[derive(Template)]
#[template(path = "camera_form.html")]
struct FormPage {
    c: Chrome,
    nav: CameraNav,
    action: String,
    id: Option<i64>,
    v: FormValues,
    errors: FieldErrors,
    commune_field: Option<CommuneField>,
    kinds: Vec<Opt>,
    watches: Vec<Opt>,
    fundings: Vec<Opt>,
    statuses: Vec<Opt>,
    models: Vec<Opt>,
    centres: Vec<Opt>,
    areas: Vec<Opt>,
    establishments: Vec<Opt>,
}

fn id_opts(items: impl Iterator<Item = (i64, String)>, chosen: &str) -> Vec<Opt> {
    items.map(|(id, label)| Opt { selected: chosen == id.to_string(), value: id.to_string(), label }).collect()
}

async fn form_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: Option<i64>,
    v: FormValues,
    errors: FieldErrors,
) -> Result<FormPage, crate::error::PageError> {
    let commune = blank_none(&Some(v.v("commune_code"))).or_else(|| p.actor.scope.commune().map(Into::into));
    let province = p.actor.scope.province().map(str::to_string);
    let models_q = antq_app::models::ListQuery { province, commune: commune.clone(), ..Default::default() };
    let models = antq_app::models::list(&s.ctx, &p.actor, &models_q, PageRequest::new(Some(1), Some(200)))
        .await
        .map(|pg| pg.items.into_iter().map(|m| (m.id.0, m.name)).collect::<Vec<_>>())
        .unwrap_or_default();
    let centres = cameras::centres(&s.ctx, &p.actor).await.lang(tr)?;
    let centres =
        centres.into_iter().filter(|c| c.commune_code.is_none() || c.commune_code == commune).map(|c| (c.id, c.name));
    let (areas, establishments) = match &commune {
        Some(c) => {
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
                id_opts(areas.into_iter().map(|a| (a.id.0, a.name)), &v.v("area_id")),
                id_opts(ests.into_iter().map(|e| (e.id.0, e.name)), &v.v("establishment_id")),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let commune_field = if p.actor.scope.commune().is_some() {
        None
    } else {
        Some(CommuneField::build(s, p, commune.as_deref()).await)
    };
    Ok(FormPage {
        c: Chrome::new(tr, p, "cameras", if id.is_some() { tr.t("cameras.edit") } else { tr.t("cameras.new") }),
        nav: CameraNav { tab: "cameras" },
        action: id.map_or("/cameras/new".to_string(), |i| format!("/cameras/{i}/edit")),
        id,
        kinds: enum_opts(tr, CameraKind::ALL, Some(&v.v("kind"))),
        watches: enum_opts(tr, CameraWatch::ALL, Some(&v.v("watches"))),
        fundings: enum_opts(tr, CameraFunding::ALL, Some(&v.v("funding"))),
        statuses: enum_opts(tr, &[CameraStatus::HoatDong, CameraStatus::Hong], Some(&v.v("status"))),
        models: id_opts(models.into_iter(), &v.v("model_id")),
        centres: id_opts(centres, &v.v("centre_id")),
        areas,
        establishments,
        commune_field,
        v,
        errors,
    })
}

#[derive(serde::Deserialize)]
struct NewParams {
    model_id: Option<i64>,
}

async fn new_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(np): Query<NewParams>) -> PageResult {
    let mut v = vec![
        ("installed_on".to_string(), s.ctx.today().to_string()),
        ("kind".into(), CameraKind::CoDinh.code().into()),
        ("status".into(), CameraStatus::HoatDong.code().into()),
    ];
    if let Some(m) = np.model_id {
        v.push(("model_id".into(), m.to_string()));
    }
    Ok(render(&form_page(&s, tr, &p, None, FormValues(v), FieldErrors::new()).await?))
}

async fn save(s: &AppState, tr: Tr, p: &PageActor, id: Option<i64>, f: Vec<(String, String)>) -> PageResult {
    let v = FormValues(f);
    let (input, mut errs) = v.input();
    let r = if !errs.is_empty() {
        Err(antq_app::AppError::Invalid(std::mem::take(&mut errs)))
    } else {
        match id {
            None => cameras::create(&s.ctx, &p.actor, &input).await,
            Some(id) => cameras::update(&s.ctx, &p.actor, id, &input).await,
        }
    };
    match r {
        Ok(d) => Ok(see_other(&format!("/cameras/{}", d.camera.id))),
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
    let c = cameras::get(&s.ctx, &p.actor, id).await.lang(tr)?;
    Ok(render(&form_page(&s, tr, &p, Some(id), FormValues::from_camera(&c), FieldErrors::new()).await?))
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
// The camera

#[derive(Template)]
#[template(path = "camera.html")]
struct ShowPage {
    c: Chrome,
    nav: CameraNav,
    d: CameraDetail,
    place: String,
    next: Vec<Opt>,
    can_write: bool,
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
    let d = cameras::detail(&s.ctx, &p.actor, id).await.lang(tr)?;
    let k = &d.camera;
    let names = antq_app::units::names(&s.ctx, [k.commune_code.clone(), k.province_code.clone()]).await.lang(tr)?;
    let place = format!(
        "{}, {}",
        names.get(&k.commune_code).cloned().unwrap_or_default(),
        names.get(&k.province_code).cloned().unwrap_or_default()
    );
    let can_write =
        p.actor.require_in_scope(Permission::WriteRegistry, &k.province_code, Some(&k.commune_code)).is_ok();
    Ok(ShowPage {
        c: Chrome::new(tr, p, "cameras", k.name.clone()),
        nav: CameraNav { tab: "cameras" },
        next: d.next.iter().map(|s| Opt { value: s.code().into(), label: tr.l(s).into(), selected: false }).collect(),
        place,
        can_write,
        notice,
        today: s.ctx.today().to_string(),
        d,
    })
}

async fn show(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    Ok(render(&show_page(&s, tr, &p, id, None).await?))
}

async fn change_status(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<StatusChangeInput>,
) -> PageResult {
    match cameras::change_status(&s.ctx, &p.actor, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/cameras/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&show_page(&s, tr, &p, id, notice).await?, status))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Monitoring centres

#[derive(Template)]
#[template(path = "camera_centres.html")]
struct CentresPage {
    c: Chrome,
    nav: CameraNav,
    rows: Vec<Centre>,
    names: std::collections::HashMap<String, String>,
    can_write: bool,
    notice: Notice,
    v: CentreInput,
}

async fn centres_view(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    notice: Notice,
    v: CentreInput,
    status: StatusCode,
) -> PageResult {
    let rows = cameras::centres(&s.ctx, &p.actor).await.lang(tr)?;
    let codes = rows.iter().flat_map(|c| std::iter::once(c.province_code.clone()).chain(c.commune_code.clone()));
    let names = antq_app::units::names(&s.ctx, codes).await.lang(tr)?;
    let page = CentresPage {
        c: Chrome::new(tr, p, "cameras", tr.t("cameras.centres")),
        nav: CameraNav { tab: "centres" },
        rows,
        names,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
        notice,
        v,
    };
    Ok(render_status(&page, status))
}

async fn centres_page(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    centres_view(&s, tr, &p, None, CentreInput::default(), StatusCode::OK).await
}

async fn create_centre(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<CentreInput>) -> PageResult {
    match cameras::create_centre(&s.ctx, &p.actor, &f).await {
        Ok(_) => Ok(see_other("/camera-centres")),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            centres_view(&s, tr, &p, notice, f, status).await
        }
    }
}

async fn update_centre(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<CentreInput>,
) -> PageResult {
    match cameras::update_centre(&s.ctx, &p.actor, id, &f).await {
        Ok(_) => Ok(see_other("/camera-centres")),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            centres_view(&s, tr, &p, notice, CentreInput::default(), status).await
        }
    }
}

// ---------------------------------------------------------------------------------------
// Coverage

#[derive(Debug, Default, serde::Deserialize)]
struct StatsParams {
    province: Option<String>,
    commune: Option<String>,
    format: Option<String>,
}

impl StatsParams {
    fn query(&self) -> CoverageQuery {
        CoverageQuery { province: blank_none(&self.province), commune: blank_none(&self.commune) }
    }
}

#[derive(Template)]
#[template(path = "camera_stats.html")]
struct StatsPage {
    c: Chrome,
    nav: CameraNav,
    place: PlaceFilter,
    table: Option<StatTable>,
    broken: Option<(i64, i64)>,
    notice: Notice,
    query: String,
}

async fn stats_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(sp): Query<StatsParams>) -> PageResult {
    let q = sp.query();
    let (table, broken, notice, status) = match cameras::coverage(&s.ctx, &p.actor, &q).await {
        Ok((t, _)) => {
            let broken = cameras::broken_for_long(&s.ctx, &p.actor, &q).await.lang(tr)?;
            (Some(t), Some(broken), None, StatusCode::OK)
        }
        Err(e) => {
            let (n, st) = refused(e, tr)?;
            (None, None, n, st)
        }
    };
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let page = StatsPage {
        c: Chrome::new(tr, &p, "cameras", tr.t("cameras.stats")),
        nav: CameraNav { tab: "stats" },
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        table,
        broken,
        notice,
        query: query_string(&[("province", o(&sp.province)), ("commune", o(&sp.commune))]),
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
    let (t, _) = cameras::coverage(&s.ctx, &p.actor, &sp.query()).await.lang(tr)?;
    let bytes = antq_app::activities::stats::table_file(&t, format);
    Ok(crate::api::interchange::download(bytes, format, "thong-ke-camera"))
}
