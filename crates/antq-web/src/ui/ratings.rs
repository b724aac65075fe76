//! Pages of the yearly model rating (C4), the rules and criteria sets, and the ratings
//! statistics.

use std::collections::HashMap;

use antq_app::interchange::ImportReport;
use antq_app::{AppError, rating_files, ratings, rules};
use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::rating::{
    CriteriaSetInput, FollowUpDecision, FollowUpInput, Rating, RatingInput, RatingLevel, RatingsPivot, Round,
    RoundInput, RoundState, Sheet, parse_criteria_lines,
};
use antq_domain::rules::{Rule, RuleCode, RuleInput};
use antq_interchange::Format;
use askama::Template;
use axum::Form;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};

use super::{Chrome, InLang, Notice, Opt, PageResult, blank_none, enum_opts, refused, render_status, see_other};
use crate::AppState;
use crate::api::ratings::{RatingsParams, ratings_file, review_action};
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{APPROVE, READ, Routes, TAXONOMY, WRITE};

/// Routes of the rating pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/ratings", get(rounds_page).post(open_round), &[(Method::GET, READ), (Method::POST, APPROVE)])
        .route("/rating-rounds/{id}", get(round_page), &[(Method::GET, READ)])
        .route("/rating-rounds/{id}/approve", post(approve_round), &[(Method::POST, APPROVE)])
        .route("/rating-rounds/{id}/template", get(template), &[(Method::GET, READ)])
        .route(
            "/rating-rounds/{id}/import",
            post(import).layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route(
            "/rating-rounds/{id}/units/{unit}",
            get(sheet_page).post(save_rating),
            &[(Method::GET, READ), (Method::POST, WRITE)],
        )
        .route("/rating-rounds/{id}/units/{unit}/submit", post(submit), &[(Method::POST, WRITE)])
        .route("/rating-rounds/{id}/units/{unit}/review", post(review), &[(Method::POST, APPROVE)])
        .route("/rating-follow-ups", get(follow_ups_page), &[(Method::GET, READ)])
        .route("/rating-follow-ups/{id}", post(decide), &[(Method::POST, WRITE)])
        .route("/rules", get(rules_page).post(add_rule), &[(Method::GET, READ), (Method::POST, TAXONOMY)])
        .route("/criteria-sets", post(add_criteria_set), &[(Method::POST, TAXONOMY)])
        .route("/stats/ratings", get(stats_page), &[(Method::GET, READ)])
        .route("/stats/ratings/export", get(stats_export), &[(Method::GET, READ)])
}

async fn unit_names(s: &AppState, codes: impl IntoIterator<Item = String>) -> HashMap<String, String> {
    antq_app::units::names(&s.ctx, codes).await.unwrap_or_default()
}

#[derive(Template)]
#[template(path = "ratings.html")]
struct RoundsPage {
    c: Chrome,
    notice: Notice,
    rounds: Vec<(Round, String)>,
    can_open: bool,
    provinces: Vec<Opt>,
    year: i32,
}

async fn render_rounds(s: &AppState, tr: Tr, p: &PageActor, notice: Notice, status: StatusCode) -> PageResult {
    use chrono::Datelike;
    let rounds = ratings::rounds(&s.ctx, &p.actor).await.lang(tr)?;
    let names = unit_names(s, rounds.iter().map(|r| r.province_code.clone())).await;
    let rounds = rounds
        .into_iter()
        .map(|r| {
            let n = names.get(&r.province_code).cloned().unwrap_or(r.province_code.clone());
            (r, n)
        })
        .collect();
    let can_open = p.actor.role.grants(Permission::ApproveEvaluations);
    let provinces = match p.actor.scope.province() {
        Some(code) => vec![Opt { value: code.into(), label: super::scope_name(s, &p.actor, tr).await, selected: true }],
        None => super::units::province_opts(s, None).await,
    };
    let page = RoundsPage {
        c: Chrome::new(tr, p, "ratings", tr.t("ratings.title")),
        notice,
        rounds,
        can_open,
        provinces,
        year: s.ctx.today().year(),
    };
    Ok(render_status(&page, status))
}

async fn rounds_page(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    render_rounds(&s, tr, &p, None, StatusCode::OK).await
}

/// The round form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RoundForm {
    province_code: Option<String>,
    year: Option<String>,
    window_from: Option<String>,
    window_to: Option<String>,
    deadline: Option<String>,
}

async fn open_round(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<RoundForm>) -> PageResult {
    let year = blank_none(&f.year).map(|y| y.parse::<i32>());
    let input = RoundInput {
        province_code: blank_none(&f.province_code),
        year: match year {
            Some(Ok(y)) => Some(y),
            Some(Err(_)) => Some(0),
            None => None,
        },
        window_from: blank_none(&f.window_from),
        window_to: blank_none(&f.window_to),
        deadline: blank_none(&f.deadline),
    };
    match ratings::open_round(&s.ctx, &p.actor, &input).await {
        Ok(r) => Ok(see_other(&format!("/rating-rounds/{}", r.id))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_rounds(&s, tr, &p, notice, status).await
        }
    }
}

/// A sheet row of the round page.
struct SheetLine {
    sheet: Sheet,
    name: String,
    targets: i64,
}

#[derive(Template)]
#[template(path = "rating_round.html")]
struct RoundPage {
    c: Chrome,
    notice: Notice,
    round: Round,
    province: String,
    sheets: Vec<SheetLine>,
    can_review: bool,
    can_write: bool,
    report: Option<ImportReport>,
    pending: usize,
    back: &'static str,
}

async fn render_round(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: i64,
    notice: Notice,
    report: Option<ImportReport>,
    status: StatusCode,
) -> PageResult {
    let (round, sheets) = ratings::sheets(&s.ctx, &p.actor, id).await.lang(tr)?;
    let counts = ratings::target_counts(&s.ctx, &round.province_code).await.lang(tr)?;
    let names = unit_names(s, sheets.iter().map(|x| x.unit_code.clone())).await;
    let province = names.get(&round.province_code).cloned().unwrap_or(round.province_code.clone());
    let sheets: Vec<SheetLine> = sheets
        .into_iter()
        .map(|x| SheetLine {
            name: match &x.commune_code {
                Some(_) => names.get(&x.unit_code).cloned().unwrap_or(x.unit_code.clone()),
                None => format!("{province} — {}", tr.t("ratings.province_models")),
            },
            targets: counts.get(&x.unit_code).copied().unwrap_or(0),
            sheet: x,
        })
        .collect();
    let pending = sheets.iter().filter(|l| l.sheet.state.editable() && (l.targets > 0 || l.sheet.rated > 0)).count();
    let page = RoundPage {
        c: Chrome::new(tr, p, "ratings", format!("{} {}", tr.t("ratings.round"), round.year)),
        notice,
        can_review: p.actor.role.grants(Permission::ApproveEvaluations)
            && p.actor.scope.contains(&round.province_code, None),
        can_write: p.actor.role.grants(Permission::WriteRegistry) && round.state == RoundState::Open,
        province,
        round,
        sheets,
        report,
        pending,
        back: "round",
    };
    Ok(render_status(&page, status))
}

async fn round_page(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    render_round(&s, tr, &p, id, None, None, StatusCode::OK).await
}

/// The partial-approval note.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoteForm {
    note: Option<String>,
}

async fn approve_round(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> PageResult {
    match ratings::approve_round(&s.ctx, &p.actor, id, f.note.as_deref()).await {
        Ok(_) => Ok(see_other(&format!("/rating-rounds/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_round(&s, tr, &p, id, notice, None, status).await
        }
    }
}

/// Download format.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FormatParams {
    format: Option<String>,
}

async fn template(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<FormatParams>,
) -> PageResult {
    let format = q.format.as_deref().and_then(Format::from_name).unwrap_or(Format::Xlsx);
    let bytes = rating_files::template(&s.ctx, &p.actor, id, format).await.lang(tr)?;
    Ok(crate::api::interchange::download(bytes, format, &format!("xep-loai-{id}")))
}

async fn import(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> PageResult {
    let (mut dry_run, mut file, mut name) = (true, None, String::new());
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "mode" => dry_run = field.text().await.ok().as_deref() != Some("commit"),
            "file" => {
                name = field.file_name().unwrap_or("").to_lowercase();
                file = field.bytes().await.ok();
            }
            _ => {}
        }
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let notice = Some((tr.t("import.no_file").to_string(), true));
        return render_round(&s, tr, &p, id, notice, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let format = name.rsplit('.').next().and_then(Format::from_name);
    match rating_files::import(&s.ctx, &p.actor, id, &bytes, format, dry_run).await {
        Ok(r) => {
            let status = if r.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            render_round(&s, tr, &p, id, None, Some(r), status).await
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_round(&s, tr, &p, id, notice, None, status).await
        }
    }
}

/// A criterion checkbox of a sheet row.
struct CritBox {
    code: String,
    text: String,
    points: i64,
    checked: bool,
}

/// A row of the sheet page.
struct SheetRow {
    anchor: String,
    model_id: i64,
    site_id: String,
    model_name: String,
    site_name: Option<String>,
    type_name: String,
    since: String,
    forced: Option<String>,
    rating: Option<Rating>,
    suggested: Option<RatingLevel>,
    max_points: i64,
    criteria: Vec<CritBox>,
    ratings: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "rating_sheet.html")]
struct SheetPage {
    c: Chrome,
    notice: Notice,
    round: Round,
    l: SheetLine,
    criteria_sets: Vec<antq_domain::rating::CriteriaSet>,
    min_months: i64,
    unit_name: String,
    rows: Vec<SheetRow>,
    editable: bool,
    can_review: bool,
    back: &'static str,
}

async fn render_sheet(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    (id, unit): (i64, &str),
    notice: Notice,
    status: StatusCode,
) -> PageResult {
    let v = ratings::sheet_view(&s.ctx, &p.actor, id, unit).await.lang(tr)?;
    let names = unit_names(s, [unit.to_string()]).await;
    let unit_name = names.get(unit).cloned().unwrap_or(unit.to_string());
    let rows = v
        .targets
        .iter()
        .map(|t| {
            let set = v.criteria_sets.iter().find(|c| Some(c.id) == t.criteria_set_id);
            let current = t.rating.as_ref().map(|r| r.rating.code());
            let allowed: Vec<RatingLevel> =
                if t.forced_reason.is_some() { vec![RatingLevel::ChuaDanhGia] } else { RatingLevel::ALL.to_vec() };
            SheetRow {
                anchor: format!("t{}-{}", t.model_id, t.site_id.unwrap_or(0)),
                model_id: t.model_id,
                site_id: t.site_id.map(|i| i.to_string()).unwrap_or_default(),
                model_name: t.model_name.clone(),
                site_name: t.site_name.clone(),
                type_name: t.type_name.clone(),
                since: t.operating_since.map(|d| tr.date(&d)).unwrap_or_default(),
                forced: t.forced_reason.clone(),
                suggested: t.suggested,
                max_points: set.map_or(0, |c| c.max_points()),
                criteria: set
                    .map(|c| {
                        c.criteria
                            .iter()
                            .map(|k| CritBox {
                                code: k.code.clone(),
                                text: k.text.clone(),
                                points: k.points,
                                checked: t.rating.as_ref().is_some_and(|r| r.checklist.contains_key(&k.code)),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                ratings: enum_opts(tr, &allowed, current),
                rating: t.rating.clone(),
            }
        })
        .collect();
    let editable = v.sheet.state.editable()
        && v.round.state == RoundState::Open
        && p.actor.role.grants(Permission::WriteRegistry)
        && p.actor.scope.contains(&v.sheet.province_code, v.sheet.commune_code.as_deref());
    let can_review = p.actor.role.grants(Permission::ApproveEvaluations)
        && p.actor.scope.contains(&v.sheet.province_code, v.sheet.commune_code.as_deref());
    let title = format!("{} {} — {unit_name}", tr.t("ratings.round"), v.round.year);
    let page = SheetPage {
        c: Chrome::new(tr, p, "ratings", title),
        notice,
        l: SheetLine { name: unit_name.clone(), targets: v.targets.len() as i64, sheet: v.sheet },
        round: v.round,
        criteria_sets: v.criteria_sets,
        min_months: v.min_months,
        unit_name,
        rows,
        editable,
        can_review,
        back: "sheet",
    };
    Ok(render_status(&page, status))
}

async fn sheet_page(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, unit)): Path<(i64, String)>,
) -> PageResult {
    render_sheet(&s, tr, &p, (id, &unit), None, StatusCode::OK).await
}

async fn save_rating(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, unit)): Path<(i64, String)>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| super::field(&f, k);
    let mut errs = FieldErrors::new();
    let int = |k: &str, errs: &mut FieldErrors| {
        get(k).and_then(|v| v.parse::<i64>().map_err(|_| errs.add(k, format!("«{v}» không phải số hiệu."))).ok())
    };
    let model_id = int("model_id", &mut errs);
    let site_id = int("site_id", &mut errs);
    let checklist = super::checklist(&f);
    let input = RatingInput { model_id, site_id, rating: get("rating"), checklist, note: get("note") };
    let result = if errs.is_empty() { ratings::set(&s.ctx, &p.actor, id, &input).await } else { Err(errs.into()) };
    match result {
        Ok(r) => Ok(see_other(&format!("/rating-rounds/{id}/units/{unit}#t{}-{}", r.model_id, r.site_id.unwrap_or(0)))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_sheet(&s, tr, &p, (id, &unit), notice, status).await
        }
    }
}

async fn submit(State(s): State<AppState>, tr: Tr, p: PageActor, Path((id, unit)): Path<(i64, String)>) -> PageResult {
    match ratings::submit(&s.ctx, &p.actor, id, &unit).await {
        Ok(_) => {
            render_sheet(&s, tr, &p, (id, &unit), Some((tr.t("ratings.submitted").into(), false)), StatusCode::OK).await
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_sheet(&s, tr, &p, (id, &unit), notice, status).await
        }
    }
}

/// A review form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReviewForm {
    action: Option<String>,
    comment: Option<String>,
    back: Option<String>,
}

async fn review(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, unit)): Path<(i64, String)>,
    Form(f): Form<ReviewForm>,
) -> PageResult {
    let result = match review_action(f.action.as_deref()) {
        Ok(a) => ratings::review(&s.ctx, &p.actor, id, &unit, a, f.comment.as_deref()).await,
        Err(e) => Err(e),
    };
    let to_sheet = f.back.as_deref() == Some("sheet");
    match result {
        Ok(_) if to_sheet => Ok(see_other(&format!("/rating-rounds/{id}/units/{unit}"))),
        Ok(_) => Ok(see_other(&format!("/rating-rounds/{id}#u{unit}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            if to_sheet {
                render_sheet(&s, tr, &p, (id, &unit), notice, status).await
            } else {
                render_round(&s, tr, &p, id, notice, None, status).await
            }
        }
    }
}

#[derive(Template)]
#[template(path = "rating_follow_ups.html")]
struct FollowUpsPage {
    c: Chrome,
    notice: Notice,
    rows: Vec<(Rating, String)>,
    can_write: bool,
    decisions: Vec<Opt>,
    today: String,
}

async fn render_follow_ups(s: &AppState, tr: Tr, p: &PageActor, notice: Notice, status: StatusCode) -> PageResult {
    let list = ratings::follow_ups(&s.ctx, &p.actor).await.lang(tr)?;
    let names = unit_names(s, list.iter().map(|r| r.unit_code.clone())).await;
    let rows = list
        .into_iter()
        .map(|r| {
            let n = names.get(&r.unit_code).cloned().unwrap_or(r.unit_code.clone());
            (r, n)
        })
        .collect();
    let page = FollowUpsPage {
        c: Chrome::new(tr, p, "ratings", tr.t("ratings.follow_ups")),
        notice,
        rows,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
        decisions: enum_opts(tr, FollowUpDecision::ALL, None),
        today: s.ctx.today().to_string(),
    };
    Ok(render_status(&page, status))
}

async fn follow_ups_page(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    render_follow_ups(&s, tr, &p, None, StatusCode::OK).await
}

async fn decide(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(input): Form<FollowUpInput>,
) -> PageResult {
    match ratings::decide_follow_up(&s.ctx, &p.actor, id, &input).await {
        Ok(r) => {
            let msg = format!("{}: {}", tr.t("ratings.decided"), r.model_name);
            render_follow_ups(&s, tr, &p, Some((msg, false)), StatusCode::OK).await
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_follow_ups(&s, tr, &p, notice, status).await
        }
    }
}

/// A rule value row of the rules page.
struct RuleLine {
    rule: Rule,
    place: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    c: Chrome,
    notice: Notice,
    rules: Vec<RuleLine>,
    sets: Vec<(antq_domain::rating::CriteriaSet, String, String)>,
    can_manage: bool,
    codes: Vec<(Opt, &'static str)>,
    types: Vec<Opt>,
    subjects: Vec<Opt>,
    own_province: String,
}

async fn render_rules(s: &AppState, tr: Tr, p: &PageActor, notice: Notice, status: StatusCode) -> PageResult {
    let today = s.ctx.today();
    let all = rules::list(&s.ctx, &p.actor).await.lang(tr)?;
    let sets = rules::criteria_sets(&s.ctx, &p.actor).await.lang(tr)?;
    let codes =
        all.iter().filter_map(|r| r.province_code.clone()).chain(sets.iter().filter_map(|x| x.province_code.clone()));
    let places = unit_names(s, codes.collect::<Vec<_>>()).await;
    let place = |c: &Option<String>| match c {
        Some(code) => places.get(code).cloned().unwrap_or(code.clone()),
        None => tr.t("scope.national").to_string(),
    };
    let types = antq_app::model_types::list(&s.ctx, &p.actor).await.lang(tr)?;
    let type_name = |t: Option<i64>| match t {
        Some(id) => types.iter().find(|x| x.id.0 == id).map(|x| x.name.clone()).unwrap_or(id.to_string()),
        None => tr.t("rules.all_types").to_string(),
    };
    let rules = all
        .iter()
        .map(|r| RuleLine { place: place(&r.province_code), current: r.valid_on(today), rule: r.clone() })
        .collect();
    let sets = sets
        .into_iter()
        .map(|x| {
            let (pl, t) = (place(&x.province_code), type_name(x.model_type_id));
            (x, pl, t)
        })
        .collect();
    let page = RulesPage {
        c: Chrome::new(tr, p, "rules", tr.t("rules.title")),
        notice,
        rules,
        sets,
        can_manage: p.actor.role.grants(Permission::ManageTaxonomy),
        codes: RuleCode::ALL
            .iter()
            .map(|c| (Opt { value: c.code().into(), label: tr.l(c).into(), selected: false }, c.format_hint()))
            .collect(),
        types: types.into_iter().map(|t| Opt { value: t.id.0.to_string(), label: t.name, selected: false }).collect(),
        subjects: enum_opts(tr, antq_domain::rating::CriteriaSubject::ALL, Some("model")),
        own_province: p.actor.scope.province().unwrap_or("").to_string(),
    };
    Ok(render_status(&page, status))
}

async fn rules_page(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    render_rules(&s, tr, &p, None, StatusCode::OK).await
}

async fn add_rule(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<RuleInput>) -> PageResult {
    match rules::add(&s.ctx, &p.actor, &f).await {
        Ok(r) => {
            render_rules(
                &s,
                tr,
                &p,
                Some((format!("{}: {}", tr.t("rules.added"), tr.l(&r.code)), false)),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_rules(&s, tr, &p, notice, status).await
        }
    }
}

/// The criteria set form (criteria one per line: `code | points | text`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct CriteriaSetForm {
    subject: Option<String>,
    model_type_id: Option<String>,
    province_code: Option<String>,
    name: Option<String>,
    legal_basis: Option<String>,
    valid_from: Option<String>,
    criteria: Option<String>,
}

async fn add_criteria_set(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Form(f): Form<CriteriaSetForm>,
) -> PageResult {
    let result = match parse_criteria_lines(f.criteria.as_deref().unwrap_or("")) {
        Err(m) => Err(AppError::Invalid(FieldErrors::single("criteria", m))),
        Ok(criteria) => {
            let input = CriteriaSetInput {
                subject: blank_none(&f.subject),
                model_type_id: blank_none(&f.model_type_id).and_then(|t| t.parse().ok()),
                province_code: blank_none(&f.province_code),
                name: blank_none(&f.name),
                legal_basis: blank_none(&f.legal_basis),
                valid_from: blank_none(&f.valid_from),
                criteria,
            };
            rules::add_criteria_set(&s.ctx, &p.actor, &input).await
        }
    };
    match result {
        Ok(x) => {
            render_rules(
                &s,
                tr,
                &p,
                Some((format!("{}: {} (v{})", tr.t("rules.set_added"), x.name, x.version), false)),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_rules(&s, tr, &p, notice, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "stats_ratings.html")]
struct StatsPage {
    c: Chrome,
    pivot: RatingsPivot,
    years: Vec<Opt>,
    groups: Vec<Opt>,
    query: String,
}

async fn stats_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<RatingsParams>) -> PageResult {
    let (year, by) = q.parse(s.ctx.today()).lang(tr)?;
    let pivot = antq_app::stats::ratings(&s.ctx, &p.actor, year, by).await.lang(tr)?;
    let mut known = ratings::years(&s.ctx).await.unwrap_or_default();
    if !known.contains(&year) {
        known.push(year);
        known.sort_unstable_by(|a, b| b.cmp(a));
    }
    let by_code = by.code(p.actor.scope.province().is_none());
    let page = StatsPage {
        c: Chrome::new(tr, &p, "stats", tr.t("ratings.stats_title")),
        years: known.iter().map(|y| Opt { value: y.to_string(), label: y.to_string(), selected: *y == year }).collect(),
        groups: antq_app::stats::RatingsBy::CODES
            .iter()
            .map(|g| Opt {
                value: (*g).into(),
                label: tr.t(&format!("ratings.by_{g}")).into(),
                selected: *g == by_code,
            })
            .collect(),
        query: super::query_string(&[("year", year.to_string()), ("by", by_code.to_string())]),
        pivot,
    };
    Ok(render_status(&page, StatusCode::OK))
}

async fn stats_export(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<RatingsParams>) -> PageResult {
    ratings_file(&s, &p.actor, &q).await.lang(tr)
}
