//! Member pages: list (citizen id masked), entry with the eligibility checks, the member page
//! (particulars, steps, reading the full citizen id, documents, trail, courses).

use antq_app::force::members::{self, MemberQuery, MemberView};
use antq_app::force::teams::TeamQuery;
use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::force::member::{ForceEvent, MemberDocument};
use antq_domain::force::{
    Education, MemberInput, MemberRole, MemberState, MemberStepInput, PriorService, Sex, TerminationGround,
};
use antq_domain::ids::MemberId;
use antq_domain::page::PageRequest;
use askama::Template;
use axum::Form;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::super::place::PlaceFilter;
use super::super::{
    Chrome, InLang, Notice, Opt, PageResult, Pager, blank_none, enum_opts, form_errors, query_string, refused, render,
    render_status, see_other,
};
use super::{Clock, ForceNav};
use crate::AppState;
use crate::auth::{HxRequest, PageActor};
use crate::i18n::Tr;
use crate::routes::{Guard, READ, Routes, WRITE};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/members", get(list).post(create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/members/new", get(new_page), &[(Method::GET, WRITE)])
        .route("/members/{id}", get(show).post(update), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/members/{id}/step", post(step), &[(Method::POST, WRITE)])
        .route("/members/{id}/citizen-id", post(reveal), &[(Method::POST, Guard::Can(Permission::ReadPersonalData))])
        .route(
            "/members/{id}/documents",
            post(add_document).layer(DefaultBodyLimit::max(12 * 1024 * 1024)),
            &[(Method::POST, WRITE)],
        )
        .route("/members/{id}/documents/{document_id}", get(document), &[(Method::GET, READ)])
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListParams {
    province: Option<String>,
    commune: Option<String>,
    team: Option<String>,
    q: Option<String>,
    state: Option<String>,
    role: Option<String>,
    include_former: Option<String>,
    citizen_id: Option<String>,
    page: Option<u32>,
}

impl ListParams {
    fn query(&self) -> MemberQuery {
        MemberQuery {
            province: blank_none(&self.province),
            commune: blank_none(&self.commune),
            team: blank_none(&self.team).and_then(|t| t.parse().ok()),
            q: blank_none(&self.q),
            state: blank_none(&self.state),
            role: blank_none(&self.role),
            include_former: self.include_former.as_deref() == Some("true"),
            citizen_id: blank_none(&self.citizen_id),
        }
    }

    fn base(&self) -> String {
        let q = self.query();
        query_string(&[
            ("province", q.province.unwrap_or_default()),
            ("commune", q.commune.unwrap_or_default()),
            ("team", q.team.map(|t| t.to_string()).unwrap_or_default()),
            ("q", q.q.unwrap_or_default()),
            ("state", q.state.unwrap_or_default()),
            ("role", q.role.unwrap_or_default()),
            ("include_former", if q.include_former { "true".into() } else { String::new() }),
        ])
    }
}

/// A row of the member list.
pub struct Row {
    pub v: MemberView,
    pub commune: String,
    pub clock: Option<Clock>,
}

#[derive(Template)]
#[template(path = "_members.html")]
struct Fragment {
    c: Chrome,
    query: String,
    rows: Vec<Row>,
    total: i64,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "members.html")]
struct ListPage {
    c: Chrome,
    nav: ForceNav,
    place: PlaceFilter,
    states: Vec<Opt>,
    roles: Vec<Opt>,
    q: String,
    team: String,
    include_former: bool,
    can_search_cid: bool,
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
    let page = members::list(&s.ctx, &p.actor, &q, PageRequest::new(lp.page, None)).await.lang(tr)?;
    let names = antq_app::units::names(&s.ctx, page.items.iter().map(|m| m.member.commune_code.clone()))
        .await
        .unwrap_or_default();
    let base = lp.base();
    let pager = Pager::new(&page, &base);
    let total = page.total;
    let rows = page
        .items
        .into_iter()
        .map(|v| Row {
            commune: names.get(&v.member.commune_code).cloned().unwrap_or_default(),
            clock: v.deadline.as_ref().map(|d| Clock::of(d, tr)),
            v,
        })
        .collect();
    let title = tr.t("force.members");
    let fragment = Fragment { c: Chrome::new(tr, &p, "force", title), query: base, rows, total, pager };
    if hx {
        return Ok(render(&fragment));
    }
    Ok(render(&ListPage {
        c: Chrome::new(tr, &p, "force", title),
        nav: ForceNav { tab: "members" },
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        states: enum_opts(tr, MemberState::ALL, q.state.as_deref()),
        roles: enum_opts(tr, MemberRole::ALL, q.role.as_deref()),
        q: q.q.clone().unwrap_or_default(),
        team: q.team.map(|t| t.to_string()).unwrap_or_default(),
        include_former: q.include_former,
        can_search_cid: p.actor.role.grants(Permission::ReadPersonalData),
        results: fragment.render().unwrap_or_default(),
    }))
}

/// The member form as typed (field names are the API's).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct MemberForm {
    team_id: Option<String>,
    full_name: Option<String>,
    born_on: Option<String>,
    sex: Option<String>,
    citizen_id: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    education: Option<String>,
    health_cert_on: Option<String>,
    resident_since: Option<String>,
    prior_service: Option<String>,
    prior_months: Option<String>,
    prior_special_months: Option<String>,
    over_age_decision: Option<String>,
    role: Option<String>,
    applied_on: Option<String>,
    decision_no: Option<String>,
    decided_on: Option<String>,
    signer: Option<String>,
    badge_no: Option<String>,
    certificate_no: Option<String>,
    note: Option<String>,
}

impl MemberForm {
    fn input(&self, errs: &mut FieldErrors) -> MemberInput {
        let b = blank_none;
        MemberInput {
            team_id: b(&self.team_id).and_then(|t| t.parse().ok()),
            full_name: self.full_name.clone(),
            born_on: b(&self.born_on),
            sex: b(&self.sex),
            citizen_id: b(&self.citizen_id),
            address: b(&self.address),
            phone: b(&self.phone),
            education: b(&self.education),
            health_cert_on: b(&self.health_cert_on),
            resident_since: b(&self.resident_since),
            prior_service: b(&self.prior_service),
            prior_months: super::super::form_int(errs, "prior_months", "Số tháng đã tham gia", &self.prior_months),
            prior_special_months: super::super::form_int(
                errs,
                "prior_special_months",
                "Số tháng ở vùng đặc biệt",
                &self.prior_special_months,
            ),
            over_age_decision: b(&self.over_age_decision),
            role: b(&self.role),
            applied_on: b(&self.applied_on),
            decision_no: b(&self.decision_no),
            decided_on: b(&self.decided_on),
            signer: b(&self.signer),
            badge_no: b(&self.badge_no),
            certificate_no: b(&self.certificate_no),
            note: b(&self.note),
        }
    }

    fn of(m: &antq_domain::force::Member) -> MemberForm {
        let i = MemberInput::from(m);
        MemberForm {
            team_id: i.team_id.map(|t| t.to_string()),
            full_name: i.full_name,
            born_on: i.born_on,
            sex: i.sex,
            citizen_id: None,
            address: i.address,
            phone: i.phone,
            education: i.education,
            health_cert_on: i.health_cert_on,
            resident_since: i.resident_since,
            prior_service: i.prior_service,
            prior_months: i.prior_months.map(|v| v.to_string()),
            prior_special_months: i.prior_special_months.map(|v| v.to_string()),
            over_age_decision: i.over_age_decision,
            role: i.role,
            applied_on: i.applied_on,
            decision_no: None,
            decided_on: None,
            signer: None,
            badge_no: i.badge_no,
            certificate_no: i.certificate_no,
            note: i.note,
        }
    }

    /// A text value for the template.
    pub fn v(&self, name: &str) -> &str {
        let f = match name {
            "full_name" => &self.full_name,
            "born_on" => &self.born_on,
            "address" => &self.address,
            "phone" => &self.phone,
            "health_cert_on" => &self.health_cert_on,
            "resident_since" => &self.resident_since,
            "prior_months" => &self.prior_months,
            "prior_special_months" => &self.prior_special_months,
            "over_age_decision" => &self.over_age_decision,
            "applied_on" => &self.applied_on,
            "decision_no" => &self.decision_no,
            "decided_on" => &self.decided_on,
            "signer" => &self.signer,
            "badge_no" => &self.badge_no,
            "certificate_no" => &self.certificate_no,
            "note" => &self.note,
            _ => &None,
        };
        f.as_deref().unwrap_or("")
    }
}

/// Choices of the member form.
pub struct Choices {
    pub teams: Vec<Opt>,
    pub sexes: Vec<Opt>,
    pub educations: Vec<Opt>,
    pub roles: Vec<Opt>,
    pub prior: Vec<Opt>,
}

async fn choices(s: &AppState, tr: Tr, p: &PageActor, f: &MemberForm, commune: Option<String>) -> Choices {
    let q = TeamQuery { commune, ..Default::default() };
    let teams = antq_app::force::teams::list_all(&s.ctx, &p.actor, &q)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|t| Opt {
            selected: f.team_id.as_deref() == Some(&t.id.to_string()),
            value: t.id.to_string(),
            label: format!("{} ({})", t.name, tr.l(&t.state)),
        })
        .collect();
    Choices {
        teams,
        sexes: enum_opts(tr, Sex::ALL, f.sex.as_deref()),
        educations: enum_opts(tr, Education::ALL, f.education.as_deref()),
        roles: enum_opts(tr, MemberRole::ALL, f.role.as_deref().or(Some("to_vien"))),
        prior: enum_opts(tr, PriorService::ALL, f.prior_service.as_deref().or(Some("khong"))),
    }
}

#[derive(Template)]
#[template(path = "member_new.html")]
struct NewPage {
    c: Chrome,
    nav: ForceNav,
    f: MemberForm,
    ch: Choices,
    errors: FieldErrors,
}

#[derive(serde::Deserialize, Default)]
pub struct NewParams {
    team: Option<String>,
    commune: Option<String>,
}

async fn new_form(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    f: MemberForm,
    commune: Option<String>,
    errors: FieldErrors,
) -> NewPage {
    NewPage {
        c: Chrome::new(tr, p, "force", tr.t("force.new_member")),
        nav: ForceNav { tab: "members" },
        ch: choices(s, tr, p, &f, commune.or_else(|| p.actor.scope.commune().map(Into::into))).await,
        f,
        errors,
    }
}

async fn team_commune(s: &AppState, p: &PageActor, team: Option<&str>) -> Option<String> {
    let id = team?.parse().ok()?;
    antq_app::force::teams::get(&s.ctx, &p.actor, antq_domain::ids::ForceTeamId(id)).await.ok().map(|t| t.commune_code)
}

async fn new_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(np): Query<NewParams>) -> PageResult {
    let f = MemberForm { team_id: blank_none(&np.team), ..Default::default() };
    let commune = match team_commune(&s, &p, f.team_id.as_deref()).await {
        Some(c) => Some(c),
        None => blank_none(&np.commune),
    };
    Ok(render(&new_form(&s, tr, &p, f, commune, FieldErrors::new()).await))
}

async fn create(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<MemberForm>) -> PageResult {
    let mut errs = FieldErrors::new();
    let input = f.input(&mut errs);
    let result =
        if errs.is_empty() { form_errors(members::create(&s.ctx, &p.actor, &input).await, tr)? } else { Err(errs) };
    match result {
        Ok(v) => Ok(see_other(&format!("/members/{}?saved=1", v.member.id))),
        Err(e) => {
            let commune = team_commune(&s, &p, f.team_id.as_deref()).await;
            Ok(render_status(&new_form(&s, tr, &p, f, commune, e).await, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

#[derive(Template)]
#[template(path = "member.html")]
struct MemberPage {
    c: Chrome,
    nav: ForceNav,
    v: MemberView,
    commune: String,
    clock: Option<Clock>,
    f: MemberForm,
    ch: Choices,
    grounds: Vec<Opt>,
    errors: FieldErrors,
    events: Vec<ForceEvent>,
    documents: Vec<MemberDocument>,
    courses: Vec<(String, String, String)>,
    notice: Notice,
    can_write: bool,
    can_reveal: bool,
    citizen_id: Option<String>,
    today: String,
}

struct PageState {
    form: Option<MemberForm>,
    errors: FieldErrors,
    notice: Notice,
    citizen_id: Option<String>,
}

async fn member_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: MemberId,
    st: PageState,
) -> Result<MemberPage, crate::error::PageError> {
    let v = members::view(&s.ctx, &p.actor, id).await.lang(tr)?;
    let m = &v.member;
    let commune = antq_app::units::names(&s.ctx, [m.commune_code.clone()])
        .await
        .ok()
        .and_then(|mut n| n.remove(&m.commune_code))
        .unwrap_or_default();
    let events = members::events(&s.ctx, &p.actor, id).await.lang(tr)?;
    let documents = members::documents(&s.ctx, &p.actor, id).await.lang(tr)?;
    let courses = antq_app::force::courses::of_member(&s.ctx, &p.actor, id)
        .await
        .lang(tr)?
        .into_iter()
        .map(|(c, t)| {
            (
                c.title,
                tr.date(&c.ends_on),
                format!("{}{}", tr.l(&t.result), t.certificate_no.map(|n| format!(" · {n}")).unwrap_or_default()),
            )
        })
        .collect();
    let f = st.form.unwrap_or_else(|| MemberForm::of(m));
    let ch = choices(s, tr, p, &f, Some(m.commune_code.clone())).await;
    let scope_ok = |perm| p.actor.require_in_scope(perm, &m.province_code, Some(&m.commune_code)).is_ok();
    let (can_write, can_reveal) = (scope_ok(Permission::WriteRegistry), scope_ok(Permission::ReadPersonalData));
    Ok(MemberPage {
        c: Chrome::new(tr, p, "force", m.full_name.clone()),
        nav: ForceNav { tab: "members" },
        clock: v.deadline.as_ref().map(|d| Clock::of(d, tr)),
        commune,
        f,
        ch,
        grounds: enum_opts(tr, TerminationGround::ALL, m.termination_ground.map(|g| g.code())),
        errors: st.errors,
        events,
        documents,
        courses,
        notice: st.notice,
        can_write,
        can_reveal,
        citizen_id: st.citizen_id,
        today: s.ctx.today().to_string(),
        v,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct ShowParams {
    saved: Option<String>,
}

fn plain(notice: Notice) -> PageState {
    PageState { form: None, errors: FieldErrors::new(), notice, citizen_id: None }
}

async fn show(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<ShowParams>,
) -> PageResult {
    let notice = q.saved.is_some().then(|| (tr.t("form.saved").to_string(), false));
    Ok(render(&member_page(&s, tr, &p, MemberId(id), plain(notice)).await?))
}

async fn update(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<MemberForm>,
) -> PageResult {
    let mut errs = FieldErrors::new();
    let input = f.input(&mut errs);
    let result =
        if errs.is_empty() { members::update(&s.ctx, &p.actor, MemberId(id), &input).await } else { Err(errs.into()) };
    match result {
        Ok(_) => Ok(see_other(&format!("/members/{id}?saved=1"))),
        Err(antq_app::AppError::Invalid(e)) => {
            let st = PageState {
                form: Some(f),
                errors: e,
                notice: Some((tr.t("form.has_errors").into(), true)),
                citizen_id: None,
            };
            Ok(render_status(&member_page(&s, tr, &p, MemberId(id), st).await?, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&member_page(&s, tr, &p, MemberId(id), plain(notice)).await?, status))
        }
    }
}

async fn step(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(input): Form<MemberStepInput>,
) -> PageResult {
    match members::step(&s.ctx, &p.actor, MemberId(id), &input).await {
        Ok(_) => Ok(see_other(&format!("/members/{id}?saved=1"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&member_page(&s, tr, &p, MemberId(id), plain(notice)).await?, status))
        }
    }
}

async fn reveal(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    let cid = members::citizen_id(&s.ctx, &p.actor, MemberId(id)).await.lang(tr)?;
    let st = PageState { citizen_id: Some(cid), ..plain(None) };
    let mut res = render(&member_page(&s, tr, &p, MemberId(id), st).await?);
    res.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(res)
}

async fn add_document(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    form: Multipart,
) -> PageResult {
    let result = match crate::documents::read_multipart(form).await {
        Ok((fields, files)) => {
            let title = crate::ui::field(&fields, "title").unwrap_or_default();
            match files.into_iter().next() {
                Some(file) => members::add_document(&s.ctx, &p.actor, MemberId(id), &title, &file.name, &file.bytes)
                    .await
                    .map(|_| ()),
                None => Err(FieldErrors::single("file", "Chưa chọn tệp.").into()),
            }
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/members/{id}?saved=1"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&member_page(&s, tr, &p, MemberId(id), plain(notice)).await?, status))
        }
    }
}

async fn document(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((id, doc)): Path<(i64, i64)>,
) -> Result<Response, crate::error::PageError> {
    let (d, bytes) = members::document(&s.ctx, &p.actor, MemberId(id), doc).await.lang(tr)?;
    Ok(crate::documents::download(&d.file_name, &d.content_type, bytes))
}
