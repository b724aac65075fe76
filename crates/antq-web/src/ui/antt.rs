//! Pages of the "An toàn về ANTT" recognition (C5) and its statistics.

use antq_app::antt::{self, AnttDetail, AnttQuery};
use antq_app::{AppError, areas, establishments};
use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::antt::{
    AnttRecord, AnttState, AnttSubject, DecisionInput, EvaluationInput, RecognitionStats, RegistrationInput,
    RevocationInput,
};
use antq_domain::page::PageRequest;
use askama::Template;
use axum::Form;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use chrono::Datelike;

use super::place::PlaceFilter;
use super::{Chrome, InLang, Notice, Opt, PageResult, blank_none, enum_opts, refused, render_status, see_other};
use crate::AppState;
use crate::api::antt::{RecognitionParams, read_upload, recognition_file};
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, WRITE};

/// Routes of the recognition pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/antt", get(list_page).post(register), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/antt/{id}", get(record_page), &[(Method::GET, READ)])
        .route("/antt/{id}/step", post(step), &[(Method::POST, WRITE)])
        .route(
            "/antt/{id}/documents",
            post(add_document).layer(DefaultBodyLimit::max(12 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/antt/{id}/documents/{doc}", get(document_file), &[(Method::GET, READ)])
        .route("/stats/recognition", get(stats_page), &[(Method::GET, READ)])
        .route("/stats/recognition/export", get(stats_export), &[(Method::GET, READ)])
}

/// Year and place filters of the yearly lists (recognition, classification, exemplars).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListParams {
    pub(super) year: Option<String>,
    pub(super) province: Option<String>,
    pub(super) commune: Option<String>,
    pub(super) page: Option<u32>,
}

impl ListParams {
    /// The year asked for, this year by default.
    pub(super) fn year(&self, today: chrono::NaiveDate) -> i32 {
        blank_none(&self.year).and_then(|y| y.parse().ok()).unwrap_or(today.year())
    }

    /// The commune asked for, or the user's own.
    pub(super) fn commune(&self, p: &PageActor) -> Option<String> {
        blank_none(&self.commune).or_else(|| p.actor.scope.commune().map(str::to_string))
    }
}

/// A unit of a commune that can be recognised or classified: the commune itself, its
/// residential areas and its establishments (with the reason an establishment is excluded).
pub(super) struct Subject {
    pub subject: AnttSubject,
    pub name: String,
    pub area_id: Option<i64>,
    pub establishment_id: Option<i64>,
    pub commune_code: String,
    pub exclusion: Option<String>,
}

/// The units of `commune` in the order the pages list them.
pub(super) async fn commune_subjects(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    commune: &str,
) -> Result<Vec<Subject>, crate::error::PageError> {
    let c = commune.to_string();
    let name = antq_app::units::names(&s.ctx, [c.clone()]).await.lang(tr)?.remove(&c).unwrap_or(c.clone());
    let mut out = vec![Subject {
        subject: AnttSubject::Xa,
        name,
        area_id: None,
        establishment_id: None,
        commune_code: c.clone(),
        exclusion: None,
    }];
    let q = areas::ListQuery { commune: Some(c.clone()), ..Default::default() };
    let all = PageRequest::new(Some(1), Some(200));
    for a in areas::list(&s.ctx, &p.actor, &q, all).await.lang(tr)?.items {
        out.push(Subject {
            subject: AnttSubject::KhuDanCu,
            name: a.name,
            area_id: Some(a.id.0),
            establishment_id: None,
            commune_code: c.clone(),
            exclusion: None,
        });
    }
    for e in establishments::list(&s.ctx, &p.actor, &q, all).await.lang(tr)?.items {
        out.push(Subject {
            subject: AnttSubject::of_establishment(e.kind),
            name: e.name,
            area_id: None,
            establishment_id: Some(e.id.0),
            commune_code: c.clone(),
            exclusion: e.antt_exclusion,
        });
    }
    Ok(out)
}

/// Whether a record is about `k`.
pub(super) fn is_about(k: &Subject, area: Option<i64>, establishment: Option<i64>, commune: &str) -> bool {
    match (k.area_id, k.establishment_id) {
        (Some(a), _) => area == Some(a),
        (_, Some(e)) => establishment == Some(e),
        _ => area.is_none() && establishment.is_none() && commune == k.commune_code,
    }
}

#[derive(Template)]
#[template(path = "antt.html")]
struct ListPage {
    c: Chrome,
    notice: Notice,
    place: PlaceFilter,
    year: i32,
    commune: Option<String>,
    candidates: Vec<(Subject, Option<AnttRecord>)>,
    records: Vec<AnttRecord>,
    pager: Option<super::Pager>,
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
    let province = blank_none(&q.province);
    let query =
        AnttQuery { year: Some(year), province: province.clone(), commune: commune.clone(), ..Default::default() };
    // A commune's page matches every record to its subjects; a province's lists them by pages.
    let (records, pager) = if commune.is_some() {
        (antt::list_all(&s.ctx, &p.actor, &query).await.lang(tr)?, None)
    } else {
        let page = antt::list(&s.ctx, &p.actor, &query, PageRequest::new(q.page, Some(100))).await.lang(tr)?;
        let base =
            super::query_string(&[("year", year.to_string()), ("province", province.clone().unwrap_or_default())]);
        let pager = super::Pager::new(&page, &base).plain();
        (page.items, Some(pager))
    };
    let mut candidates = Vec::new();
    if let Some(c) = &commune {
        for k in commune_subjects(s, tr, p, c).await? {
            let record = records.iter().find(|r| is_about(&k, r.area_id, r.establishment_id, &r.commune_code)).cloned();
            candidates.push((k, record));
        }
    }
    let page = ListPage {
        c: Chrome::new(tr, p, "antt", tr.t("antt.title")),
        notice,
        place: PlaceFilter::build(s, p, province.as_deref(), commune.as_deref()).await,
        year,
        commune,
        candidates,
        records,
        pager,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
    };
    Ok(render_status(&page, status))
}

async fn list_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<ListParams>) -> PageResult {
    render_list(&s, tr, &p, &q, None, StatusCode::OK).await
}

/// The registration form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RegisterForm {
    year: Option<String>,
    area_id: Option<String>,
    establishment_id: Option<String>,
    commune_code: Option<String>,
    registered_on: Option<String>,
    households_pct: Option<String>,
    note: Option<String>,
}

async fn register(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<RegisterForm>) -> PageResult {
    let num = |v: &Option<String>| blank_none(v).and_then(|x| x.parse::<i64>().ok());
    let input = RegistrationInput {
        subject: None,
        area_id: num(&f.area_id),
        establishment_id: num(&f.establishment_id),
        commune_code: blank_none(&f.commune_code),
        year: num(&f.year).map(|y| y as i32),
        registered_on: blank_none(&f.registered_on),
        households_pct: num(&f.households_pct),
        note: blank_none(&f.note),
    };
    match antt::register(&s.ctx, &p.actor, &input).await {
        Ok(r) => Ok(see_other(&format!("/antt/{}", r.id))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            let q = ListParams { year: f.year.clone(), province: None, commune: f.commune_code.clone(), page: None };
            render_list(&s, tr, &p, &q, notice, status).await
        }
    }
}

/// A criterion checkbox.
struct CritBox {
    code: String,
    text: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "antt_record.html")]
struct RecordPage {
    c: Chrome,
    notice: Notice,
    d: AnttDetail,
    criteria: Vec<CritBox>,
    can_write: bool,
    can_decide: bool,
    results: Vec<Opt>,
    today: String,
}

async fn render_record(s: &AppState, tr: Tr, p: &PageActor, id: i64, notice: Notice, status: StatusCode) -> PageResult {
    let d = antt::detail(&s.ctx, &p.actor, id).await.lang(tr)?;
    let r = &d.record;
    let in_scope = p.actor.scope.contains(&r.province_code, Some(&r.commune_code));
    let can_write = in_scope && p.actor.role.grants(Permission::WriteRegistry);
    let decide_permission =
        if r.subject == AnttSubject::Xa { Permission::ApproveEvaluations } else { Permission::WriteRegistry };
    let criteria = d
        .criteria_set
        .iter()
        .flat_map(|s| s.criteria.iter())
        .map(|c| CritBox { code: c.code.clone(), text: c.text.clone(), checked: r.checklist.contains_key(&c.code) })
        .collect();
    let page = RecordPage {
        c: Chrome::new(tr, p, "antt", format!("{} — {}", tr.t("antt.title"), r.subject_name)),
        notice,
        criteria,
        can_write,
        can_decide: in_scope && p.actor.role.grants(decide_permission),
        results: enum_opts(tr, &[AnttState::Dat, AnttState::ChuaDat], None),
        today: s.ctx.today().to_string(),
        d,
    };
    Ok(render_status(&page, status))
}

async fn record_page(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    render_record(&s, tr, &p, id, None, StatusCode::OK).await
}

async fn step(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| super::field(&f, k);
    let (ctx, a) = (&s.ctx, &p.actor);
    let result = match get("step").as_deref() {
        Some("evaluate") => {
            let input = EvaluationInput {
                evaluated_on: get("evaluated_on"),
                checklist: super::checklist(&f),
                note: get("note"),
            };
            antt::evaluate(ctx, a, id, &input).await
        }
        Some("submit") => antt::submit(ctx, a, id).await,
        Some("appraise") => antt::appraise(ctx, a, id).await,
        Some("decide") => {
            let input = DecisionInput {
                result: get("result"),
                decision_no: get("decision_no"),
                decided_on: get("decided_on"),
                authority: get("authority"),
                certificate_no: get("certificate_no"),
                override_reason: get("override_reason"),
            };
            antt::decide(ctx, a, id, &input).await
        }
        Some("revoke") => {
            let input =
                RevocationInput { reason: get("reason"), decision_no: get("decision_no"), on_date: get("on_date") };
            antt::revoke(ctx, a, id, &input).await
        }
        _ => Err(AppError::Invalid(FieldErrors::single("step", "Thao tác không hợp lệ."))),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/antt/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_record(&s, tr, &p, id, notice, status).await
        }
    }
}

async fn add_document(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    form: Multipart,
) -> PageResult {
    let result = match read_upload(form).await {
        Ok((title, upload)) => antt::add_document(&s.ctx, &p.actor, id, title.as_deref(), upload).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/antt/{id}#documents"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_record(&s, tr, &p, id, notice, status).await
        }
    }
}

async fn document_file(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, doc)): Path<(i64, i64)>,
) -> PageResult {
    let (name, ctype, bytes) = antt::document_file(&s.ctx, &p.actor, id, doc).await.lang(tr)?;
    Ok(crate::documents::download(&name, &ctype, bytes))
}

#[derive(Template)]
#[template(path = "stats_recognition.html")]
struct StatsPage {
    c: Chrome,
    stats: RecognitionStats,
    year: i32,
}

async fn stats_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<RecognitionParams>) -> PageResult {
    let year = q.year.unwrap_or(s.ctx.today().year());
    let stats = antq_app::stats::recognition(&s.ctx, &p.actor, year).await.lang(tr)?;
    Ok(render_status(
        &StatsPage { c: Chrome::new(tr, &p, "stats", tr.t("antt.stats_title")), stats, year },
        StatusCode::OK,
    ))
}

async fn stats_export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(q): Query<RecognitionParams>,
) -> PageResult {
    recognition_file(&s, &p.actor, &q).await.lang(tr)
}
