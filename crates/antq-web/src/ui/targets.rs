//! Target pages: a unit's targets of a year with their live progress and the split among the
//! communes, the form that sets a target, the communes' progress (worst first) with its export,
//! and the catalogue of indicators with the form that adds a province's own.

use antq_app::targets::{self, IndicatorProgress, Overview, ProgressQuery, ProgressTable};
use antq_domain::access::Permission;
use antq_domain::target::{
    Indicator, IndicatorInput, IndicatorUnit, Progress, Source, Target, TargetInput, format_milli,
};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Datelike;

use super::place::PlaceFilter;
use super::{Chrome, InLang, Notice, PageResult, blank_none, query_string, refused, render_status, see_other};
use crate::AppState;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, TAXONOMY};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/targets", get(overview_page).post(create), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route("/targets/communes", get(communes_page), &[(Method::GET, READ)])
        .route("/targets/communes/export", get(communes_export), &[(Method::GET, READ)])
        .route("/targets/{id}", get(edit_page).post(update), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route("/targets/{id}/delete", post(delete), &[(Method::POST, TAXONOMY)])
        .route(
            "/target-indicators",
            get(indicators_page).post(create_indicator),
            &[(Method::GET, READ), (Method::POST, TAXONOMY)],
        )
        .route(
            "/target-indicators/{id}",
            get(indicator_page).post(update_indicator),
            &[(Method::GET, READ), (Method::POST, TAXONOMY)],
        )
}

/// The tabs of the target pages.
pub struct TargetNav {
    /// Active tab.
    pub tab: &'static str,
    /// Query of the year and place, carried between the tabs.
    pub query: String,
}

/// A value in its unit, as shown: `1.200`, `75,5 %`.
fn shown(unit: IndicatorUnit, milli: i64) -> String {
    match unit {
        IndicatorUnit::Count => format_milli(unit, milli),
        IndicatorUnit::Percent => format!("{} %", format_milli(unit, milli)),
    }
}

/// A progress as shown: the share of the target reached, and on track or behind.
struct Shown {
    pct: String,
    on_track: bool,
}

fn shown_progress(p: Option<Progress>) -> Option<Shown> {
    p.map(|p| Shown { pct: shown(IndicatorUnit::Percent, p.of_target_milli), on_track: p.on_track })
}

/// Year, place and indicator as typed.
#[derive(Debug, Default, serde::Deserialize)]
struct Params {
    year: Option<String>,
    province: Option<String>,
    commune: Option<String>,
    indicator_id: Option<String>,
    format: Option<String>,
}

impl Params {
    fn query(&self) -> ProgressQuery {
        ProgressQuery {
            year: blank_none(&self.year).and_then(|y| y.parse().ok()),
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            indicator_id: blank_none(&self.indicator_id).and_then(|i| i.parse().ok()),
        }
    }

    fn base(&self, with_commune: bool) -> String {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut pairs = vec![("year", o(&self.year)), ("province", o(&self.province))];
        if with_commune {
            pairs.push(("commune", o(&self.commune)));
        }
        query_string(&pairs)
    }
}

/// A national user who has not chosen a province yet is asked to (a prompt, not a refusal).
fn choose_province(p: &PageActor, q: &ProgressQuery) -> Option<Result<(Notice, StatusCode), crate::error::PageError>> {
    (p.actor.scope.province().is_none() && q.province.is_none())
        .then(|| Ok((Some((targets::CHOOSE_PROVINCE.to_string(), false)), StatusCode::OK)))
}

fn years(today: chrono::NaiveDate, selected: i32) -> Vec<(i32, bool)> {
    (today.year() - 4..=today.year() + 1).rev().map(|y| (y, y == selected)).collect()
}

// ---------------------------------------------------------------------------------------
// Overview and the target form

struct Row {
    indicator: Indicator,
    target_id: Option<i64>,
    target: String,
    applied: String,
    value: String,
    progress: Option<Shown>,
    split: Option<(String, bool)>,
}

fn row(tr: Tr, r: IndicatorProgress) -> Row {
    let unit = r.indicator.unit;
    let split = r.split.map(|s| {
        let what = match unit {
            IndicatorUnit::Count => tr.t("targets.split_sum"),
            IndicatorUnit::Percent => tr.t("targets.split_min"),
        };
        let mut text = format!(
            "{}/{} {}; {what} {}",
            s.communes_with_target,
            s.communes,
            tr.t("targets.communes_set"),
            shown(unit, s.communes_milli)
        );
        if !s.adds_up {
            text.push_str(&format!(" ({} {})", tr.t("targets.short_by"), shown(unit, -s.gap_milli)));
        }
        (text, s.adds_up)
    });
    Row {
        target_id: r.target.as_ref().map(|t| t.id),
        target: r.target.as_ref().map(|t| shown(unit, t.target_milli)).unwrap_or_default(),
        applied: r.applied_milli.map(|t| shown(unit, t)).unwrap_or_default(),
        value: shown(unit, r.value_milli),
        progress: shown_progress(r.progress),
        split,
        indicator: r.indicator,
    }
}

/// The target form's values as posted.
#[derive(Debug, Default, Clone, serde::Deserialize)]
struct TargetForm {
    /// The overview the form was posted from (to show it again on a refusal).
    province: Option<String>,
    commune: Option<String>,
    year: Option<String>,
    unit_code: Option<String>,
    indicator_id: Option<String>,
    value: Option<String>,
    note: Option<String>,
}

impl TargetForm {
    fn input(&self) -> TargetInput {
        TargetInput {
            year: blank_none(&self.year).and_then(|y| y.trim().parse().ok()),
            unit_code: blank_none(&self.unit_code),
            indicator_id: blank_none(&self.indicator_id).and_then(|i| i.parse().ok()),
            value: blank_none(&self.value),
            note: blank_none(&self.note),
        }
    }
}

#[derive(Template)]
#[template(path = "targets.html")]
struct OverviewPage {
    c: Chrome,
    nav: TargetNav,
    place: PlaceFilter,
    years: Vec<(i32, bool)>,
    overview: Option<Overview>,
    rows: Vec<Row>,
    unit_name: String,
    elapsed: String,
    indicators: Vec<Indicator>,
    can_manage: bool,
    notice: Notice,
    v: TargetForm,
}

async fn overview_view(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    params: &Params,
    notice: Notice,
    v: TargetForm,
    status: StatusCode,
) -> PageResult {
    let q = params.query();
    let result = match choose_province(p, &q) {
        Some(n) => Err(n),
        None => targets::overview(&s.ctx, &p.actor, &q).await.map_err(|e| refused(e, tr)),
    };
    let (overview, notice, status) = match result {
        Ok(o) => (Some(o), notice, status),
        Err(e) => {
            let (n, st) = e?;
            (None, notice.or(n), if status == StatusCode::OK { st } else { status })
        }
    };
    let unit = overview.as_ref().map(|o| o.commune.clone().unwrap_or(o.province.clone()));
    let unit_name = match &unit {
        Some(u) => antq_app::units::names(&s.ctx, [u.clone()]).await.lang(tr)?.remove(u).unwrap_or_default(),
        None => String::new(),
    };
    let year = overview.as_ref().map_or(s.ctx.today().year(), |o| o.year);
    let rows = overview.as_ref().map(|o| o.rows.iter().cloned().map(|r| row(tr, r)).collect()).unwrap_or_default();
    let can_manage = p.actor.role.grants(Permission::ManageTaxonomy) && p.actor.scope.commune().is_none();
    let indicators = if can_manage {
        targets::indicators(&s.ctx, &p.actor).await.lang(tr)?.into_iter().filter(|i| i.active).collect()
    } else {
        Vec::new()
    };
    let v = TargetForm { year: v.year.or(Some(year.to_string())), unit_code: v.unit_code.or(unit.clone()), ..v };
    let page = OverviewPage {
        c: Chrome::new(tr, p, "targets", tr.t("targets.title")),
        nav: TargetNav { tab: "overview", query: params.base(true) },
        place: PlaceFilter::build(s, p, q.province.as_deref(), q.commune.as_deref()).await,
        years: years(s.ctx.today(), year),
        elapsed: overview.as_ref().map(|o| shown(IndicatorUnit::Percent, o.elapsed_milli * 100)).unwrap_or_default(),
        overview,
        rows,
        unit_name,
        indicators,
        can_manage,
        notice,
        v,
    };
    Ok(render_status(&page, status))
}

async fn overview_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(params): Query<Params>) -> PageResult {
    overview_view(&s, tr, &p, &params, None, TargetForm::default(), StatusCode::OK).await
}

async fn create(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<TargetForm>) -> PageResult {
    let input = f.input();
    match targets::create(&s.ctx, &p.actor, &input).await {
        Ok(t) => {
            let back = query_string(&[
                ("year", t.year.to_string()),
                ("province", t.province_code.clone()),
                ("commune", t.commune_code.clone().unwrap_or_default()),
            ]);
            Ok(see_other(&format!("/targets?{back}")))
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            let params = Params {
                year: f.year.clone(),
                province: f.province.clone(),
                commune: f.commune.clone(),
                ..Default::default()
            };
            overview_view(&s, tr, &p, &params, notice, f, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "target.html")]
struct EditPage {
    c: Chrome,
    nav: TargetNav,
    t: Target,
    unit_name: String,
    value: String,
    can_manage: bool,
    notice: Notice,
}

async fn edit_view(s: &AppState, tr: Tr, p: &PageActor, id: i64, notice: Notice, status: StatusCode) -> PageResult {
    let t = targets::get(&s.ctx, &p.actor, id).await.lang(tr)?;
    let unit = t.commune_code.clone().unwrap_or(t.province_code.clone());
    let unit_name = antq_app::units::names(&s.ctx, [unit.clone()]).await.lang(tr)?.remove(&unit).unwrap_or_default();
    let query = query_string(&[
        ("year", t.year.to_string()),
        ("province", t.province_code.clone()),
        ("commune", t.commune_code.clone().unwrap_or_default()),
    ]);
    let can_manage = p.actor.role.grants(Permission::ManageTaxonomy) && p.actor.scope.commune().is_none();
    let page = EditPage {
        c: Chrome::new(tr, p, "targets", t.indicator_name.clone()),
        nav: TargetNav { tab: "overview", query },
        value: format_milli(t.unit, t.target_milli),
        unit_name,
        t,
        can_manage,
        notice,
    };
    Ok(render_status(&page, status))
}

async fn edit_page(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    edit_view(&s, tr, &p, id, None, StatusCode::OK).await
}

fn back_to(t: &Target) -> String {
    let q = query_string(&[
        ("year", t.year.to_string()),
        ("province", t.province_code.clone()),
        ("commune", t.commune_code.clone().unwrap_or_default()),
    ]);
    format!("/targets?{q}")
}

async fn update(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<TargetForm>,
) -> PageResult {
    match targets::update(&s.ctx, &p.actor, id, &f.input()).await {
        Ok(t) => Ok(see_other(&back_to(&t))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            edit_view(&s, tr, &p, id, notice, status).await
        }
    }
}

async fn delete(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    let t = targets::get(&s.ctx, &p.actor, id).await.lang(tr)?;
    targets::delete(&s.ctx, &p.actor, id).await.lang(tr)?;
    Ok(see_other(&back_to(&t)))
}

// ---------------------------------------------------------------------------------------
// The communes' progress

struct Column {
    indicator: Indicator,
    province_target: String,
    province_value: String,
    province_progress: Option<Shown>,
}

struct Cell {
    value: String,
    target: String,
    own: bool,
    progress: Option<Shown>,
}

struct CommuneRow {
    code: String,
    name: String,
    cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "target_communes.html")]
struct CommunesPage {
    c: Chrome,
    nav: TargetNav,
    place: PlaceFilter,
    years: Vec<(i32, bool)>,
    indicators: Vec<(i64, String, bool)>,
    columns: Vec<Column>,
    rows: Vec<CommuneRow>,
    shown_table: bool,
    notice: Notice,
    query: String,
}

fn columns_of(t: &ProgressTable) -> Vec<Column> {
    t.columns
        .iter()
        .map(|c| {
            let unit = c.indicator.unit;
            Column {
                province_target: c.province_target_milli.map(|x| shown(unit, x)).unwrap_or_default(),
                province_value: shown(unit, c.province_value_milli),
                province_progress: shown_progress(
                    c.province_target_milli.map(|x| Progress::of(c.province_value_milli, x, t.elapsed_milli)),
                ),
                indicator: c.indicator.clone(),
            }
        })
        .collect()
}

fn rows_of(t: ProgressTable) -> Vec<CommuneRow> {
    let units: Vec<IndicatorUnit> = t.columns.iter().map(|c| c.indicator.unit).collect();
    t.rows
        .into_iter()
        .map(|r| CommuneRow {
            cells: r
                .cells
                .into_iter()
                .zip(&units)
                .map(|(x, u)| Cell {
                    value: shown(*u, x.value_milli),
                    target: x.target_milli.map(|t| shown(*u, t)).unwrap_or_default(),
                    own: x.own_target,
                    progress: shown_progress(x.progress),
                })
                .collect(),
            code: r.code,
            name: r.name,
        })
        .collect()
}

async fn communes_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(params): Query<Params>) -> PageResult {
    let q = params.query();
    let result = match choose_province(&p, &q) {
        Some(n) => Err(n),
        None => targets::communes(&s.ctx, &p.actor, &q).await.map_err(|e| refused(e, tr)),
    };
    let (table, notice, status) = match result {
        Ok(t) => (Some(t), None, StatusCode::OK),
        Err(e) => {
            let (n, st) = e?;
            (None, n, st)
        }
    };
    let all = targets::indicators(&s.ctx, &p.actor).await.lang(tr)?;
    let indicators = all.into_iter().map(|i| (i.id, i.name, Some(i.id) == q.indicator_id)).collect();
    let year = table.as_ref().map_or(s.ctx.today().year(), |t| t.year);
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let query = query_string(&[
        ("year", year.to_string()),
        ("province", table.as_ref().map(|t| t.province.clone()).unwrap_or_else(|| o(&params.province))),
        ("commune", o(&params.commune)),
        ("indicator_id", o(&params.indicator_id)),
    ]);
    let page = CommunesPage {
        c: Chrome::new(tr, &p, "targets", tr.t("targets.communes")),
        nav: TargetNav { tab: "communes", query: params.base(false) },
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        years: years(s.ctx.today(), year),
        indicators,
        columns: table.as_ref().map(columns_of).unwrap_or_default(),
        shown_table: table.is_some(),
        rows: table.map(rows_of).unwrap_or_default(),
        notice,
        query,
    };
    Ok(render_status(&page, status))
}

async fn communes_export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(params): Query<Params>,
) -> Result<Response, crate::error::PageError> {
    let format = crate::api::interchange::format_or_xlsx(params.format.as_deref()).lang(tr)?;
    let t = targets::communes(&s.ctx, &p.actor, &params.query()).await.lang(tr)?;
    Ok(crate::api::interchange::download(targets::progress_file(&t, format), format, "tien-do-chi-tieu"))
}

// ---------------------------------------------------------------------------------------
// Indicators

#[derive(Template)]
#[template(path = "target_indicators.html")]
struct IndicatorsPage {
    c: Chrome,
    nav: TargetNav,
    rows: Vec<Indicator>,
    sources: Vec<(Source, String)>,
    units: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    editing: Option<Indicator>,
    notice: Notice,
    v: IndicatorInput,
}

fn may_edit(p: &PageActor, i: &Indicator) -> bool {
    p.actor.role.grants(Permission::ManageTaxonomy)
        && p.actor.scope.commune().is_none()
        && i.province_code.as_deref() == p.actor.scope.province()
}

async fn indicators_view(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    editing: Option<Indicator>,
    notice: Notice,
    v: IndicatorInput,
    status: StatusCode,
) -> PageResult {
    let rows = targets::indicators(&s.ctx, &p.actor).await.lang(tr)?;
    let sources = targets::sources()
        .into_iter()
        .map(|(src, params)| {
            let args = params.iter().map(|p| format!("{p}=…")).collect::<Vec<_>>().join(", ");
            (src, format!("{}({args})", src.code()))
        })
        .collect();
    let can_manage = p.actor.role.grants(Permission::ManageTaxonomy) && p.actor.scope.commune().is_none();
    let title = editing.as_ref().map_or_else(|| tr.t("targets.indicators").to_string(), |i| i.name.clone());
    let page = IndicatorsPage {
        c: Chrome::new(tr, p, "targets", title),
        nav: TargetNav { tab: "indicators", query: String::new() },
        rows,
        sources,
        units: IndicatorUnit::ALL.iter().map(|u| (u.code(), tr.l(u))).collect(),
        can_manage: can_manage && editing.as_ref().is_none_or(|i| may_edit(p, i)),
        editing,
        notice,
        v,
    };
    Ok(render_status(&page, status))
}

async fn indicators_page(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    let v = IndicatorInput { unit: Some(IndicatorUnit::Count.code().into()), ..Default::default() };
    indicators_view(&s, tr, &p, None, None, v, StatusCode::OK).await
}

/// The indicator form's values as posted.
#[derive(Debug, Default, serde::Deserialize)]
struct IndicatorForm {
    code: Option<String>,
    name: Option<String>,
    formula: Option<String>,
    unit: Option<String>,
    source: Option<String>,
    active: Option<String>,
}

impl IndicatorForm {
    fn input(&self) -> IndicatorInput {
        IndicatorInput {
            code: blank_none(&self.code),
            name: blank_none(&self.name),
            formula: blank_none(&self.formula),
            unit: blank_none(&self.unit),
            source: blank_none(&self.source),
            active: Some(self.active.is_some()),
        }
    }
}

fn input_of(i: &Indicator) -> IndicatorInput {
    IndicatorInput {
        code: Some(i.code.clone()),
        name: Some(i.name.clone()),
        formula: Some(i.formula.clone()),
        unit: Some(i.unit.code().into()),
        source: Some(i.source.clone()),
        active: Some(i.active),
    }
}

async fn create_indicator(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<IndicatorForm>) -> PageResult {
    let input = f.input();
    match targets::create_indicator(&s.ctx, &p.actor, &input).await {
        Ok(_) => Ok(see_other("/target-indicators")),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            indicators_view(&s, tr, &p, None, notice, input, status).await
        }
    }
}

async fn indicator_page(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    let i = targets::indicator(&s.ctx, &p.actor, id).await.lang(tr)?;
    let v = input_of(&i);
    indicators_view(&s, tr, &p, Some(i), None, v, StatusCode::OK).await
}

async fn update_indicator(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<IndicatorForm>,
) -> PageResult {
    let input = f.input();
    match targets::update_indicator(&s.ctx, &p.actor, id, &input).await {
        Ok(_) => Ok(see_other("/target-indicators")),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            let i = targets::indicator(&s.ctx, &p.actor, id).await.lang(tr)?;
            indicators_view(&s, tr, &p, Some(i), notice, input, status).await
        }
    }
}
