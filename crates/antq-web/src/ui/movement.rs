//! Pages of the movement classification (C6), the exemplary units (C7) and the
//! classification statistics.

use antq_app::movement::{self, ClassificationDetail};
use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::antt::RegistrationInput;
use antq_domain::exemplar::{Exemplar, ExemplarInput, ExemplarResult, ExemplarResultInput};
use antq_domain::movement::{
    Classification, ClassificationDecisionInput, ClassificationStats, MovementClass, ScoresInput,
};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};

use super::antt::{ListParams, Subject, commune_subjects, is_about};
use super::place::PlaceFilter;
use super::{Chrome, InLang, Notice, Opt, PageResult, blank_none, enum_opts, refused, render_status, see_other};
use crate::AppState;
use crate::api::movement::parse_step;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{APPROVE, READ, Routes, WRITE};

/// Routes of the classification and exemplar pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/classifications", get(list_page).post(start), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/classifications/{id}", get(record_page).post(act), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/exemplars", get(exemplars_page).post(register), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/exemplars/{id}", post(result), &[(Method::POST, APPROVE)])
        .route("/stats/classification", get(stats_page), &[(Method::GET, READ)])
}

#[derive(Template)]
#[template(path = "classifications.html")]
struct ListPage {
    c: Chrome,
    notice: Notice,
    place: PlaceFilter,
    year: i32,
    commune: Option<String>,
    candidates: Vec<(Subject, Option<Classification>)>,
    records: Vec<Classification>,
    can_write: bool,
}

async fn render_list(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    q: &ListParams,
    notice: Notice,
    status: StatusCode,
) -> PageResult {
    let year = q.year(s.ctx.today());
    let commune = q.commune(p);
    let records = movement::list(&s.ctx, &p.actor, year, commune.clone()).await.lang(tr)?;
    let mut candidates = Vec::new();
    if let Some(c) = &commune {
        for k in commune_subjects(s, tr, p, c).await? {
            let record = records.iter().find(|r| is_about(&k, r.area_id, r.establishment_id, &r.commune_code)).cloned();
            candidates.push((k, record));
        }
    }
    let page = ListPage {
        c: Chrome::new(tr, p, "ratings", tr.t("movement.title")),
        notice,
        place: PlaceFilter::build(s, p, blank_none(&q.province).as_deref(), commune.as_deref()).await,
        year,
        commune,
        candidates,
        records,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
    };
    Ok(render_status(&page, status))
}

async fn list_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<ListParams>) -> PageResult {
    render_list(&s, tr, &p, &q, None, StatusCode::OK).await
}

/// The form starting a classification (or registering an exemplar).
#[derive(Debug, Default, serde::Deserialize)]
pub struct SubjectForm {
    year: Option<String>,
    area_id: Option<String>,
    establishment_id: Option<String>,
    commune_code: Option<String>,
    kind: Option<String>,
    field: Option<String>,
    registered_on: Option<String>,
}

fn num(v: &Option<String>) -> Option<i64> {
    blank_none(v).and_then(|x| x.parse::<i64>().ok())
}

async fn start(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<SubjectForm>) -> PageResult {
    let input = RegistrationInput {
        area_id: num(&f.area_id),
        establishment_id: num(&f.establishment_id),
        commune_code: blank_none(&f.commune_code),
        year: num(&f.year).map(|y| y as i32),
        ..Default::default()
    };
    match movement::start(&s.ctx, &p.actor, &input).await {
        Ok(c) => Ok(see_other(&format!("/classifications/{}", c.id))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            let q = ListParams { year: f.year.clone(), province: None, commune: f.commune_code.clone(), page: None };
            render_list(&s, tr, &p, &q, notice, status).await
        }
    }
}

/// A score input of the sheet.
struct ScoreLine {
    code: String,
    text: String,
    max: i64,
    value: String,
}

#[derive(Template)]
#[template(path = "classification.html")]
struct RecordPage {
    c: Chrome,
    notice: Notice,
    d: ClassificationDetail,
    lines: Vec<ScoreLine>,
    can_write: bool,
    can_review: bool,
    classes: Vec<Opt>,
    today: String,
}

async fn render_record(s: &AppState, tr: Tr, p: &PageActor, id: i64, notice: Notice, status: StatusCode) -> PageResult {
    let d = movement::detail(&s.ctx, &p.actor, id).await.lang(tr)?;
    let r = &d.classification;
    let in_scope = p.actor.scope.contains(&r.province_code, Some(&r.commune_code));
    let review = if r.subject == antq_domain::movement::MovementSubject::Xa {
        Permission::ApproveEvaluations
    } else {
        Permission::WriteRegistry
    };
    let lines = d
        .sheet
        .iter()
        .flat_map(|sheet| sheet.criteria.iter())
        .map(|k| ScoreLine {
            code: k.code.clone(),
            text: k.text.clone(),
            max: k.points,
            value: r.scores.get(&k.code).map(|v| v.to_string()).unwrap_or_default(),
        })
        .collect();
    let page = RecordPage {
        c: Chrome::new(tr, p, "ratings", format!("{} — {}", tr.t("movement.title"), r.subject_name)),
        notice,
        lines,
        can_write: in_scope && p.actor.role.grants(Permission::WriteRegistry),
        can_review: in_scope && p.actor.role.grants(review),
        classes: enum_opts(tr, MovementClass::ALL, r.proposed_class.map(|c| c.code())),
        today: s.ctx.today().to_string(),
        d,
    };
    Ok(render_status(&page, status))
}

async fn record_page(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    render_record(&s, tr, &p, id, None, StatusCode::OK).await
}

async fn act(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| super::field(&f, k);
    let (ctx, a) = (&s.ctx, &p.actor);
    let result = match get("action").as_deref() {
        Some("score") => {
            let mut errs = FieldErrors::new();
            let mut scores = std::collections::BTreeMap::new();
            for (n, v) in &f {
                if let Some(code) = n.strip_prefix("s:").filter(|_| !v.trim().is_empty()) {
                    match v.trim().parse::<i64>() {
                        Ok(x) => {
                            scores.insert(code.to_string(), x);
                        }
                        Err(_) => errs.add("scores", format!("Mục «{code}»: «{v}» không phải số nguyên.")),
                    }
                }
            }
            if errs.is_empty() {
                movement::score(ctx, a, id, &ScoresInput { scores, note: get("note") }).await
            } else {
                Err(errs.into())
            }
        }
        Some("decide") => {
            let input = ClassificationDecisionInput {
                class: get("class"),
                decision_no: get("decision_no"),
                decided_on: get("decided_on"),
            };
            movement::decide(ctx, a, id, &input).await
        }
        other => match parse_step(other) {
            Ok(step) => movement::step(ctx, a, id, step, get("comment").as_deref()).await,
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/classifications/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_record(&s, tr, &p, id, notice, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "exemplars.html")]
struct ExemplarsPage {
    c: Chrome,
    notice: Notice,
    place: PlaceFilter,
    year: i32,
    commune: Option<String>,
    candidates: Vec<Subject>,
    list: Vec<Exemplar>,
    can_write: bool,
    can_decide: bool,
    results: Vec<Opt>,
    today: String,
}

async fn render_exemplars(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    q: &ListParams,
    notice: Notice,
    status: StatusCode,
) -> PageResult {
    let year = q.year(s.ctx.today());
    let commune = q.commune(p);
    let list = movement::exemplars(&s.ctx, &p.actor, year, commune.clone()).await.lang(tr)?;
    let candidates = match &commune {
        Some(c) => commune_subjects(s, tr, p, c).await?.into_iter().filter(|k| k.area_id.is_none()).collect(),
        None => Vec::new(),
    };
    let page = ExemplarsPage {
        c: Chrome::new(tr, p, "ratings", tr.t("exemplars.title")),
        notice,
        place: PlaceFilter::build(s, p, blank_none(&q.province).as_deref(), commune.as_deref()).await,
        year,
        commune,
        candidates,
        list,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
        can_decide: p.actor.role.grants(Permission::ApproveEvaluations),
        results: enum_opts(tr, &[ExemplarResult::Dat, ExemplarResult::KhongDat], None),
        today: s.ctx.today().to_string(),
    };
    Ok(render_status(&page, status))
}

async fn exemplars_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<ListParams>) -> PageResult {
    render_exemplars(&s, tr, &p, &q, None, StatusCode::OK).await
}

async fn register(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<SubjectForm>) -> PageResult {
    let input = ExemplarInput {
        year: num(&f.year).map(|y| y as i32),
        commune_code: blank_none(&f.commune_code),
        kind: blank_none(&f.kind),
        establishment_id: num(&f.establishment_id),
        field: blank_none(&f.field),
        registered_on: blank_none(&f.registered_on),
        note: None,
    };
    let q = ListParams { year: f.year.clone(), province: None, commune: f.commune_code.clone(), page: None };
    match movement::register_exemplar(&s.ctx, &p.actor, &input).await {
        Ok(x) => {
            render_exemplars(
                &s,
                tr,
                &p,
                &q,
                Some((format!("{}: {}", tr.t("exemplars.registered"), x.name), false)),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_exemplars(&s, tr, &p, &q, notice, status).await
        }
    }
}

async fn result(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(input): Form<ExemplarResultInput>,
) -> PageResult {
    let outcome = movement::decide_exemplar(&s.ctx, &p.actor, id, &input).await;
    let back = match &outcome {
        Ok(x) => ListParams {
            year: Some(x.year.to_string()),
            province: None,
            commune: Some(x.commune_code.clone()),
            page: None,
        },
        Err(_) => ListParams::default(),
    };
    match outcome {
        Ok(_) => render_exemplars(&s, tr, &p, &back, None, StatusCode::OK).await,
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_exemplars(&s, tr, &p, &back, notice, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "stats_classification.html")]
struct StatsPage {
    c: Chrome,
    stats: ClassificationStats,
}

async fn stats_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<ListParams>) -> PageResult {
    let year = q.year(s.ctx.today());
    let stats = antq_app::stats::classification(&s.ctx, &p.actor, year).await.lang(tr)?;
    Ok(render_status(
        &StatsPage { c: Chrome::new(tr, &p, "stats", tr.t("movement.stats_title")), stats },
        StatusCode::OK,
    ))
}
