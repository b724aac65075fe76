//! Pages of the residential-area and establishment registries.

use antq_app::areas::ListQuery;
use antq_app::{areas, establishments};
use antq_domain::FieldErrors;
use antq_domain::area::{Area, AreaInput, AreaKind};
use antq_domain::establishment::{Establishment, EstablishmentInput, EstablishmentKind};
use antq_domain::ids::{AreaId, EstablishmentId};
use antq_domain::page::PageRequest;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};

use super::place::{CommuneField, PlaceFilter};
use super::{
    Chrome, InLang, Opt, PageResult, Pager, blank_none, enum_opts, form_errors, form_int, query_string, render,
    render_status, see_other,
};
use crate::AppState;
use crate::auth::{HxRequest, PageActor};
use crate::i18n::Tr;
use crate::routes::{READ, Routes, WRITE};
use axum::http::Method;

/// Routes of both registries.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/areas", get(list_areas).post(create_area), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/areas/new", get(new_area), &[(Method::GET, WRITE)])
        .route("/areas/{id}", get(show_area).post(update_area), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/areas/{id}/retire", post(retire_area), &[(Method::POST, WRITE)])
        .route(
            "/establishments",
            get(list_establishments).post(create_establishment),
            &[(Method::GET, READ), (Method::POST, WRITE)],
        )
        .route("/establishments/new", get(new_establishment), &[(Method::GET, WRITE)])
        .route(
            "/establishments/{id}",
            get(show_establishment).post(update_establishment),
            &[(Method::GET, READ), (Method::POST, WRITE)],
        )
        .route("/establishments/{id}/retire", post(retire_establishment), &[(Method::POST, WRITE)])
}

/// Filters from the query string, with paging.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListParams {
    province: Option<String>,
    commune: Option<String>,
    q: Option<String>,
    kind: Option<String>,
    include_retired: Option<String>,
    page: Option<u32>,
}

impl ListParams {
    fn query(&self) -> ListQuery {
        ListQuery {
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            q: blank_none(&self.q),
            kind: blank_none(&self.kind),
            include_retired: self.include_retired.as_deref() == Some("true"),
        }
    }

    fn base_query(&self) -> String {
        let q = self.query();
        query_string(&[
            ("province", q.province.unwrap_or_default()),
            ("commune", q.commune.unwrap_or_default()),
            ("q", q.q.unwrap_or_default()),
            ("kind", q.kind.unwrap_or_default()),
            ("include_retired", if q.include_retired { "true".into() } else { String::new() }),
        ])
    }
}

async fn commune_names(
    s: &AppState,
    codes: impl IntoIterator<Item = String>,
) -> std::collections::HashMap<String, String> {
    antq_app::units::names(&s.ctx, codes).await.unwrap_or_default()
}

/// A row of the area list.
pub struct AreaRow {
    id: i64,
    name: String,
    kind: AreaKind,
    commune: String,
    households: Option<i64>,
    population: Option<i64>,
    valid_to: Option<chrono::NaiveDate>,
}

#[derive(Template)]
#[template(path = "_areas.html")]
struct AreasFragment {
    c: Chrome,
    query: String,
    rows: Vec<AreaRow>,
    total: i64,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "areas.html")]
struct AreasPage {
    c: Chrome,
    place: PlaceFilter,
    kinds: Vec<Opt>,
    q: String,
    include_retired: bool,
    results: String,
}

async fn list_areas(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    HxRequest(hx): HxRequest,
    Query(lp): Query<ListParams>,
) -> PageResult {
    let q = lp.query();
    let page = areas::list(&s.ctx, &p.actor, &q, PageRequest::new(lp.page, None)).await.lang(tr)?;
    let names = commune_names(&s, page.items.iter().map(|a| a.commune_code.clone())).await;
    let base = lp.base_query();
    let pager = Pager::new(&page, &base);
    let rows = page
        .items
        .iter()
        .map(|a| AreaRow {
            id: a.id.0,
            name: a.name.clone(),
            kind: a.kind,
            commune: names.get(&a.commune_code).cloned().unwrap_or_default(),
            households: a.households,
            population: a.population,
            valid_to: a.valid_to,
        })
        .collect();
    let title = tr.t("areas.title");
    let fragment =
        AreasFragment { c: Chrome::new(tr, &p, "areas", title), query: base, rows, total: page.total, pager };
    if hx {
        return Ok(render(&fragment));
    }
    Ok(render(&AreasPage {
        c: Chrome::new(tr, &p, "areas", title),
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        kinds: enum_opts(tr, AreaKind::ALL, q.kind.as_deref()),
        q: q.q.clone().unwrap_or_default(),
        include_retired: q.include_retired,
        results: fragment.render().unwrap_or_default(),
    }))
}

/// The area form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AreaForm {
    commune_code: Option<String>,
    name: String,
    kind: String,
    households: Option<String>,
    population: Option<String>,
    special_zone: Option<String>,
    note: Option<String>,
}

impl AreaForm {
    fn from_area(a: &Area) -> Self {
        AreaForm {
            commune_code: Some(a.commune_code.clone()),
            name: a.name.clone(),
            kind: a.kind.code().into(),
            households: a.households.map(|v| v.to_string()),
            population: a.population.map(|v| v.to_string()),
            special_zone: a.special_zone.then(|| "true".into()),
            note: a.note.clone(),
        }
    }

    fn input(&self, errs: &mut FieldErrors) -> AreaInput {
        AreaInput {
            name: Some(self.name.clone()),
            kind: Some(self.kind.clone()),
            households: form_int(errs, "households", "Số hộ", &self.households),
            population: form_int(errs, "population", "Số nhân khẩu", &self.population),
            special_zone: self.special_zone.as_deref() == Some("true"),
            note: self.note.clone(),
        }
    }
}

/// Display values of the area form.
pub struct AreaValues {
    name: String,
    households: String,
    population: String,
    special_zone: bool,
    note: String,
}

/// The retire/restore box of an edit page.
pub struct Retire {
    action: String,
    valid_to: Option<chrono::NaiveDate>,
    today: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "area_form.html")]
struct AreaFormPage {
    c: Chrome,
    action: String,
    commune_field: Option<CommuneField>,
    kinds: Vec<Opt>,
    v: AreaValues,
    errors: FieldErrors,
    flash: Option<&'static str>,
    retire: Option<Retire>,
}

#[derive(serde::Deserialize, Default)]
pub struct NewParams {
    commune: Option<String>,
    saved: Option<String>,
}

async fn area_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    area: Option<&Area>,
    f: &AreaForm,
    errors: FieldErrors,
    flash: bool,
) -> AreaFormPage {
    let (title, action, commune_field) = match area {
        Some(a) => (a.name.clone(), format!("/areas/{}", a.id), None),
        None => (
            tr.t("areas.new").to_string(),
            "/areas".to_string(),
            Some(CommuneField::build(s, p, f.commune_code.as_deref()).await),
        ),
    };
    AreaFormPage {
        c: Chrome::new(tr, p, "areas", title),
        action,
        commune_field,
        kinds: enum_opts(tr, AreaKind::ALL, Some(f.kind.as_str())),
        v: AreaValues {
            name: f.name.clone(),
            households: f.households.clone().unwrap_or_default(),
            population: f.population.clone().unwrap_or_default(),
            special_zone: f.special_zone.as_deref() == Some("true"),
            note: f.note.clone().unwrap_or_default(),
        },
        flash: flash.then(|| tr.t("form.saved")),
        retire: area.map(|a| Retire {
            action: format!("/areas/{}/retire", a.id),
            valid_to: a.valid_to,
            today: s.ctx.today().to_string(),
            error: None,
        }),
        errors,
    }
}

async fn new_area(State(s): State<AppState>, tr: Tr, p: PageActor, Query(np): Query<NewParams>) -> PageResult {
    let f = AreaForm { commune_code: blank_none(&np.commune), ..Default::default() };
    Ok(render(&area_page(&s, tr, &p, None, &f, FieldErrors::new(), false).await))
}

async fn create_area(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<AreaForm>) -> PageResult {
    let mut errs = FieldErrors::new();
    let input = f.input(&mut errs);
    let result = if errs.is_empty() {
        form_errors(areas::create(&s.ctx, &p.actor, f.commune_code.as_deref().unwrap_or(""), &input).await, tr)?
    } else {
        Err(errs)
    };
    match result {
        Ok(a) => Ok(see_other(&format!("/areas/{}?saved=1", a.id))),
        Err(e) => Ok(render_status(&area_page(&s, tr, &p, None, &f, e, false).await, StatusCode::UNPROCESSABLE_ENTITY)),
    }
}

async fn show_area(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Query(np): Query<NewParams>,
) -> PageResult {
    let a = areas::get(&s.ctx, &p.actor, AreaId(id)).await.lang(tr)?;
    Ok(render(&area_page(&s, tr, &p, Some(&a), &AreaForm::from_area(&a), FieldErrors::new(), np.saved.is_some()).await))
}

async fn update_area(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<AreaForm>,
) -> PageResult {
    let a = areas::get(&s.ctx, &p.actor, AreaId(id)).await.lang(tr)?;
    let mut errs = FieldErrors::new();
    let input = f.input(&mut errs);
    let result =
        if errs.is_empty() { form_errors(areas::update(&s.ctx, &p.actor, a.id, &input).await, tr)? } else { Err(errs) };
    match result {
        Ok(a) => Ok(see_other(&format!("/areas/{}?saved=1", a.id))),
        Err(e) => {
            Ok(render_status(&area_page(&s, tr, &p, Some(&a), &f, e, false).await, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// The retire/restore form.
#[derive(serde::Deserialize)]
pub struct RetireForm {
    valid_to: Option<String>,
    restore: Option<String>,
}

impl RetireForm {
    fn date(&self) -> Result<Option<chrono::NaiveDate>, FieldErrors> {
        if self.restore.is_some() {
            return Ok(None);
        }
        blank_none(&self.valid_to)
            .and_then(|d| antq_domain::model::parse_date(&d))
            .map(Some)
            .ok_or_else(|| FieldErrors::single("valid_to", "Chưa nhập ngày thôi hiệu lực hợp lệ."))
    }
}

async fn retire_area(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<RetireForm>,
) -> PageResult {
    let a = areas::get(&s.ctx, &p.actor, AreaId(id)).await.lang(tr)?;
    let result = match f.date() {
        Ok(on) => form_errors(areas::set_retired(&s.ctx, &p.actor, a.id, on).await, tr)?,
        Err(e) => Err(e),
    };
    match result {
        Ok(a) => Ok(see_other(&format!("/areas/{}?saved=1", a.id))),
        Err(e) => {
            let mut page = area_page(&s, tr, &p, Some(&a), &AreaForm::from_area(&a), FieldErrors::new(), false).await;
            if let Some(r) = page.retire.as_mut() {
                r.error = e.get("valid_to").map(str::to_string);
            }
            Ok(render_status(&page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// A row of the establishment list.
pub struct EstablishmentRow {
    id: i64,
    name: String,
    kind: EstablishmentKind,
    sub_type: String,
    commune: String,
    exclusion: String,
    valid_to: Option<chrono::NaiveDate>,
}

#[derive(Template)]
#[template(path = "_establishments.html")]
struct EstablishmentsFragment {
    c: Chrome,
    query: String,
    rows: Vec<EstablishmentRow>,
    total: i64,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "establishments.html")]
struct EstablishmentsPage {
    c: Chrome,
    place: PlaceFilter,
    kinds: Vec<Opt>,
    q: String,
    include_retired: bool,
    results: String,
}

async fn list_establishments(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    HxRequest(hx): HxRequest,
    Query(lp): Query<ListParams>,
) -> PageResult {
    let q = lp.query();
    let page = establishments::list(&s.ctx, &p.actor, &q, PageRequest::new(lp.page, None)).await.lang(tr)?;
    let names = commune_names(&s, page.items.iter().map(|a| a.commune_code.clone())).await;
    let base = lp.base_query();
    let pager = Pager::new(&page, &base);
    let rows = page
        .items
        .iter()
        .map(|e| EstablishmentRow {
            id: e.id.0,
            name: e.name.clone(),
            kind: e.kind,
            sub_type: e.sub_type.clone().unwrap_or_default(),
            commune: names.get(&e.commune_code).cloned().unwrap_or_default(),
            exclusion: e.antt_exclusion.clone().unwrap_or_default(),
            valid_to: e.valid_to,
        })
        .collect();
    let title = tr.t("establishments.title");
    let fragment = EstablishmentsFragment {
        c: Chrome::new(tr, &p, "establishments", title),
        query: base,
        rows,
        total: page.total,
        pager,
    };
    if hx {
        return Ok(render(&fragment));
    }
    Ok(render(&EstablishmentsPage {
        c: Chrome::new(tr, &p, "establishments", title),
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        kinds: enum_opts(tr, EstablishmentKind::ALL, q.kind.as_deref()),
        q: q.q.clone().unwrap_or_default(),
        include_retired: q.include_retired,
        results: fragment.render().unwrap_or_default(),
    }))
}

/// The establishment form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct EstablishmentForm {
    commune_code: Option<String>,
    name: String,
    kind: String,
    sub_type: Option<String>,
    address: Option<String>,
    armed_forces: Option<String>,
    small_enterprise: Option<String>,
    primary_or_preschool: Option<String>,
    note: Option<String>,
}

fn checked(v: bool) -> Option<String> {
    v.then(|| "true".to_string())
}

impl EstablishmentForm {
    fn from_establishment(e: &Establishment) -> Self {
        EstablishmentForm {
            commune_code: Some(e.commune_code.clone()),
            name: e.name.clone(),
            kind: e.kind.code().into(),
            sub_type: e.sub_type.clone(),
            address: e.address.clone(),
            armed_forces: checked(e.armed_forces),
            small_enterprise: checked(e.small_enterprise),
            primary_or_preschool: checked(e.primary_or_preschool),
            note: e.note.clone(),
        }
    }

    fn input(&self) -> EstablishmentInput {
        EstablishmentInput {
            name: Some(self.name.clone()),
            kind: Some(self.kind.clone()),
            sub_type: self.sub_type.clone(),
            address: self.address.clone(),
            armed_forces: self.armed_forces.is_some(),
            small_enterprise: self.small_enterprise.is_some(),
            primary_or_preschool: self.primary_or_preschool.is_some(),
            note: self.note.clone(),
        }
    }
}

/// Display values of the establishment form.
pub struct EstablishmentValues {
    name: String,
    sub_type: String,
    address: String,
    armed_forces: bool,
    small_enterprise: bool,
    primary_or_preschool: bool,
    note: String,
}

#[derive(Template)]
#[template(path = "establishment_form.html")]
struct EstablishmentFormPage {
    c: Chrome,
    action: String,
    commune_field: Option<CommuneField>,
    kinds: Vec<Opt>,
    v: EstablishmentValues,
    errors: FieldErrors,
    flash: Option<&'static str>,
    retire: Option<Retire>,
}

async fn establishment_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    e: Option<&Establishment>,
    f: &EstablishmentForm,
    errors: FieldErrors,
    flash: bool,
) -> EstablishmentFormPage {
    let (title, action, commune_field) = match e {
        Some(e) => (e.name.clone(), format!("/establishments/{}", e.id), None),
        None => (
            tr.t("establishments.new").to_string(),
            "/establishments".to_string(),
            Some(CommuneField::build(s, p, f.commune_code.as_deref()).await),
        ),
    };
    EstablishmentFormPage {
        c: Chrome::new(tr, p, "establishments", title),
        action,
        commune_field,
        kinds: enum_opts(tr, EstablishmentKind::ALL, Some(f.kind.as_str())),
        v: EstablishmentValues {
            name: f.name.clone(),
            sub_type: f.sub_type.clone().unwrap_or_default(),
            address: f.address.clone().unwrap_or_default(),
            armed_forces: f.armed_forces.is_some(),
            small_enterprise: f.small_enterprise.is_some(),
            primary_or_preschool: f.primary_or_preschool.is_some(),
            note: f.note.clone().unwrap_or_default(),
        },
        flash: flash.then(|| tr.t("form.saved")),
        retire: e.map(|e| Retire {
            action: format!("/establishments/{}/retire", e.id),
            valid_to: e.valid_to,
            today: s.ctx.today().to_string(),
            error: None,
        }),
        errors,
    }
}

async fn new_establishment(State(s): State<AppState>, tr: Tr, p: PageActor, Query(np): Query<NewParams>) -> PageResult {
    let f = EstablishmentForm { commune_code: blank_none(&np.commune), ..Default::default() };
    Ok(render(&establishment_page(&s, tr, &p, None, &f, FieldErrors::new(), false).await))
}

async fn create_establishment(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Form(f): Form<EstablishmentForm>,
) -> PageResult {
    match form_errors(
        establishments::create(&s.ctx, &p.actor, f.commune_code.as_deref().unwrap_or(""), &f.input()).await,
        tr,
    )? {
        Ok(e) => Ok(see_other(&format!("/establishments/{}?saved=1", e.id))),
        Err(e) => Ok(render_status(
            &establishment_page(&s, tr, &p, None, &f, e, false).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}

async fn show_establishment(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Query(np): Query<NewParams>,
) -> PageResult {
    let e = establishments::get(&s.ctx, &p.actor, EstablishmentId(id)).await.lang(tr)?;
    Ok(render(
        &establishment_page(
            &s,
            tr,
            &p,
            Some(&e),
            &EstablishmentForm::from_establishment(&e),
            FieldErrors::new(),
            np.saved.is_some(),
        )
        .await,
    ))
}

async fn update_establishment(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<EstablishmentForm>,
) -> PageResult {
    let e = establishments::get(&s.ctx, &p.actor, EstablishmentId(id)).await.lang(tr)?;
    match form_errors(establishments::update(&s.ctx, &p.actor, e.id, &f.input()).await, tr)? {
        Ok(e) => Ok(see_other(&format!("/establishments/{}?saved=1", e.id))),
        Err(errs) => Ok(render_status(
            &establishment_page(&s, tr, &p, Some(&e), &f, errs, false).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}

async fn retire_establishment(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<RetireForm>,
) -> PageResult {
    let e = establishments::get(&s.ctx, &p.actor, EstablishmentId(id)).await.lang(tr)?;
    let result = match f.date() {
        Ok(on) => form_errors(establishments::set_retired(&s.ctx, &p.actor, e.id, on).await, tr)?,
        Err(err) => Err(err),
    };
    match result {
        Ok(e) => Ok(see_other(&format!("/establishments/{}?saved=1", e.id))),
        Err(err) => {
            let mut page = establishment_page(
                &s,
                tr,
                &p,
                Some(&e),
                &EstablishmentForm::from_establishment(&e),
                FieldErrors::new(),
                false,
            )
            .await;
            if let Some(r) = page.retire.as_mut() {
                r.error = err.get("valid_to").map(str::to_string);
            }
            Ok(render_status(&page, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}
