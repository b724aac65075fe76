//! Training course pages.

use antq_app::force::courses;
use antq_domain::FieldErrors;
use antq_domain::force::TaskGroup;
use antq_domain::force::TrainingResult;
use antq_domain::force::course::{Course, CourseInput, ResultInput, Trainee};
use antq_domain::ids::{CourseId, MemberId};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};

use super::super::place::CommuneField;
use super::super::{
    Chrome, InLang, Notice, Opt, PageResult, enum_opts, field, refused, render, render_status, see_other,
};
use super::ForceNav;
use crate::AppState;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, WRITE};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/force/courses", get(index).post(create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/force/courses/{id}", get(show), &[(Method::GET, READ)])
        .route("/force/courses/{id}/trainees", post(add_trainee), &[(Method::POST, WRITE)])
        .route("/force/courses/{id}/trainees/{trainee_id}", post(set_result), &[(Method::POST, WRITE)])
}

#[derive(Template)]
#[template(path = "force_courses.html")]
struct IndexPage {
    c: Chrome,
    nav: ForceNav,
    courses: Vec<Course>,
    topics: Vec<Opt>,
    commune_field: Option<CommuneField>,
    errors: FieldErrors,
    f: Vec<(String, String)>,
}

impl IndexPage {
    fn v(&self, name: &str) -> String {
        field(&self.f, name).unwrap_or_default()
    }
}

async fn index_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    f: Vec<(String, String)>,
    errors: FieldErrors,
) -> Result<IndexPage, crate::error::PageError> {
    let list = courses::list(&s.ctx, &p.actor).await.lang(tr)?;
    let chosen: Vec<String> = f.iter().filter(|(n, _)| n == "topics").map(|(_, v)| v.clone()).collect();
    let topics = TaskGroup::ALL
        .iter()
        .map(|g| Opt { value: g.code().into(), label: tr.l(g).into(), selected: chosen.iter().any(|c| c == g.code()) })
        .collect();
    let commune_field = if p.actor.scope.commune().is_some() {
        None
    } else {
        Some(CommuneField::build(s, p, field(&f, "commune_code").as_deref()).await)
    };
    Ok(IndexPage {
        c: Chrome::new(tr, p, "force", tr.t("force.courses")),
        nav: ForceNav { tab: "courses" },
        courses: list,
        topics,
        commune_field,
        errors,
        f,
    })
}

async fn index(State(s): State<AppState>, tr: Tr, p: PageActor) -> PageResult {
    Ok(render(&index_page(&s, tr, &p, Vec::new(), FieldErrors::new()).await?))
}

async fn create(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<Vec<(String, String)>>) -> PageResult {
    let input = CourseInput {
        title: field(&f, "title"),
        topics: f.iter().filter(|(n, _)| n == "topics").map(|(_, v)| v.clone()).collect(),
        starts_on: field(&f, "starts_on"),
        ends_on: field(&f, "ends_on"),
        organiser: field(&f, "organiser"),
        location: field(&f, "location"),
        note: field(&f, "note"),
    };
    let unit = field(&f, "commune_code").or_else(|| p.actor.scope.commune().map(Into::into));
    match courses::create(&s.ctx, &p.actor, unit.as_deref(), &input).await {
        Ok(c) => Ok(see_other(&format!("/force/courses/{}", c.id))),
        Err(antq_app::AppError::Invalid(e)) => {
            Ok(render_status(&index_page(&s, tr, &p, f, e).await?, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(e).lang(tr),
    }
}

#[derive(Template)]
#[template(path = "force_course.html")]
struct CoursePage {
    c: Chrome,
    nav: ForceNav,
    course: Course,
    trainees: Vec<Trainee>,
    members: Vec<Opt>,
    results: Vec<Opt>,
    notice: Notice,
    can_write: bool,
}

async fn course_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: CourseId,
    notice: Notice,
) -> Result<CoursePage, crate::error::PageError> {
    let course = courses::get(&s.ctx, &p.actor, id).await.lang(tr)?;
    let trainees = courses::trainees(&s.ctx, &p.actor, id).await.lang(tr)?;
    let can_write = p
        .actor
        .require_in_scope(
            antq_domain::access::Permission::WriteRegistry,
            &course.province_code,
            course.commune_code.as_deref().or(p.actor.scope.commune()),
        )
        .is_ok();
    let q = antq_app::force::members::MemberQuery {
        commune: course.commune_code.clone(),
        province: Some(course.province_code.clone()),
        ..Default::default()
    };
    let members = if can_write {
        antq_app::force::members::list_all(&s.ctx, &p.actor, &q)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|m| !trainees.iter().any(|t| t.member_id == m.id.0))
            .map(|m| Opt {
                value: m.id.to_string(),
                label: format!("{} — {}", m.full_name, m.team_name),
                selected: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(CoursePage {
        c: Chrome::new(tr, p, "force", course.title.clone()),
        nav: ForceNav { tab: "courses" },
        course,
        trainees,
        members,
        results: enum_opts(tr, TrainingResult::ALL, None),
        notice,
        can_write,
    })
}

async fn show(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    Ok(render(&course_page(&s, tr, &p, CourseId(id), None).await?))
}

async fn refresh(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: i64,
    r: Result<Vec<Trainee>, antq_app::AppError>,
) -> PageResult {
    match r {
        Ok(_) => Ok(see_other(&format!("/force/courses/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&course_page(s, tr, p, CourseId(id), notice).await?, status))
        }
    }
}

async fn add_trainee(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let member = field(&f, "member_id").and_then(|v| v.parse().ok()).unwrap_or(0);
    let r = courses::add_trainee(&s.ctx, &p.actor, CourseId(id), MemberId(member)).await;
    refresh(&s, tr, &p, id, r).await
}

async fn set_result(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, trainee)): Path<(i64, i64)>,
    Form(input): Form<ResultInput>,
) -> PageResult {
    let r = courses::set_result(&s.ctx, &p.actor, CourseId(id), trainee, &input).await;
    refresh(&s, tr, &p, id, r).await
}
