//! Officers' pages of crime reports: the unit's queue with deadlines, intake, a report with
//! its clocks, steps, corrections, files, dialogue and identity, and the statistics (the
//! only page roles without content access see).

use antq_app::AppError;
use antq_app::reports::handling::{self, edit_of};
use antq_app::reports::receipt::Receipt;
use antq_app::reports::{self, QueueQuery, ReportDetail, UnitLoad, intake};
use antq_domain::FieldErrors;
use antq_domain::access::{Permission, Scope};
use antq_domain::page::Page;
use antq_domain::report::clock::vn_date;
use antq_domain::report::handling::StepInput;
use antq_domain::report::input::{IntakeInput, MessageInput};
use antq_domain::report::state::SuspendGround;
use antq_domain::report::stats::{ReportStats, ReportStatsBy};
use antq_domain::report::{
    Category, Channel, Identity, IdentityRequest, ReportAction, ReportKind, ReportListItem, ReportState,
};
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::place::PlaceFilter;
use super::public::{ContentValues, ReporterValues};
use super::{
    Chrome, InLang, Notice, Opt, PageResult, Pager, blank_none, enum_opts, field, query_string, refused, render,
    render_status, see_other,
};
use crate::AppState;
use crate::api::reports::{CONTENT, COUNTS, FILES_LIMIT, HANDLE, IDENTITY, StatsParams, stats_file};
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{Routes, TAXONOMY};

/// Routes of the officers' report pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .route("/reports", get(queue_page), &[(Method::GET, CONTENT)])
        .route(
            "/reports/new",
            get(new_page).post(create).layer(DefaultBodyLimit::max(FILES_LIMIT)),
            &[(Method::GET, HANDLE), (Method::POST, HANDLE)],
        )
        .route("/reports/{id}", get(report_page), &[(Method::GET, CONTENT)])
        .route("/reports/{id}/step", post(step), &[(Method::POST, HANDLE)])
        .route("/reports/{id}/edit", post(edit), &[(Method::POST, HANDLE)])
        .route("/reports/{id}/messages", post(message), &[(Method::POST, HANDLE)])
        .route(
            "/reports/{id}/files",
            post(add_files).layer(DefaultBodyLimit::max(FILES_LIMIT)),
            &[(Method::POST, HANDLE)],
        )
        .route("/reports/{id}/identity", post(identity), &[(Method::POST, IDENTITY)])
        .route("/reports/{id}/attachments/{attachment_id}", get(attachment), &[(Method::GET, CONTENT)])
        .route("/stats/reports", get(stats_page), &[(Method::GET, COUNTS)])
        .route("/stats/reports/export", get(stats_export), &[(Method::GET, COUNTS)])
        .route("/units/{code}/remote", post(set_remote), &[(Method::POST, TAXONOMY)])
}

/// Names of units by code (for lists and the trail).
async fn unit_names(
    s: &AppState,
    codes: impl IntoIterator<Item = String>,
) -> std::collections::HashMap<String, String> {
    antq_app::units::names(&s.ctx, codes).await.unwrap_or_default()
}

/// A row of the queue, ready to show.
struct QueueRow {
    item: ReportListItem,
    unit: String,
    countdown: Option<String>,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct QueuePage {
    c: Chrome,
    scope_name: String,
    units: Vec<Opt>,
    states: Vec<Opt>,
    kinds: Vec<Opt>,
    channels: Vec<Opt>,
    q: QueueParams,
    rows: Vec<QueueRow>,
    total: i64,
    pager: Pager,
    loads: Vec<(UnitLoad, String)>,
    can_handle: bool,
}

/// Queue filters of the page.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct QueueParams {
    unit: Option<String>,
    state: Option<String>,
    kind: Option<String>,
    channel: Option<String>,
    q: Option<String>,
    overdue: Option<String>,
    page: Option<u32>,
}

impl QueueParams {
    fn query(&self) -> QueueQuery {
        let state = blank_none(&self.state);
        QueueQuery {
            unit: blank_none(&self.unit),
            all_states: state.as_deref() == Some("all"),
            overdue: self.overdue.as_deref().is_some_and(|v| !v.is_empty()),
            state: state.filter(|s| s != "open" && s != "all"),
            kind: blank_none(&self.kind),
            channel: blank_none(&self.channel),
            q: blank_none(&self.q),
        }
    }

    fn base(&self) -> String {
        let v = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(&[
            ("unit", v(&self.unit)),
            ("state", v(&self.state)),
            ("kind", v(&self.kind)),
            ("channel", v(&self.channel)),
            ("q", v(&self.q)),
            ("overdue", v(&self.overdue)),
        ])
    }

    fn overdue_checked(&self) -> bool {
        self.overdue.as_deref().is_some_and(|v| !v.is_empty())
    }
}

/// The unit choices of the queue for the actor's scope.
async fn unit_opts(s: &AppState, tr: Tr, p: &PageActor, current: Option<&str>) -> Vec<Opt> {
    let cur = current.unwrap_or("mine");
    let opt = |value: &str, label: String| Opt { selected: cur == value, value: value.into(), label };
    match &p.actor.scope {
        Scope::Commune(..) => Vec::new(),
        Scope::Province(own) => {
            let mut v = vec![
                opt("mine", tr.t("reports.unit_mine_province").into()),
                opt("all", tr.t("reports.unit_all").into()),
            ];
            v.extend(super::units::commune_opts(s, p, Some(own.clone()), Some(cur)).await);
            v
        }
        Scope::National => {
            let mut v = vec![opt("all", tr.t("reports.unit_all").into())];
            v.extend(super::units::province_opts(s, Some(cur)).await);
            v
        }
    }
}

async fn queue_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<QueueParams>) -> PageResult {
    let page = antq_domain::page::PageRequest::new(q.page, Some(50));
    let list: Page<ReportListItem> = reports::queue(&s.ctx, &p.actor, &q.query(), page).await.lang(tr)?;
    let loads = if p.actor.scope.commune().is_none() {
        reports::load_by_unit(&s.ctx, &p.actor).await.lang(tr)?
    } else {
        Vec::new()
    };
    let codes = list.items.iter().map(|r| r.commune_code.clone().unwrap_or_else(|| r.province_code.clone()));
    let load_codes = loads.iter().map(|l| l.commune_code.clone().unwrap_or_else(|| l.province_code.clone()));
    let names = unit_names(&s, codes.chain(load_codes)).await;
    let now = s.ctx.now();
    let pager = Pager::new(&list, &q.base());
    let rows = list
        .items
        .iter()
        .cloned()
        .map(|item| {
            let code = item.commune_code.clone().unwrap_or_else(|| item.province_code.clone());
            let c = item.due_at.map(|d| antq_domain::report::Countdown::between(now, d));
            QueueRow {
                unit: names.get(&code).cloned().unwrap_or(code),
                countdown: c.as_ref().map(|c| tr.countdown(c)),
                overdue: c.is_some_and(|c| c.overdue),
                item,
            }
        })
        .collect();
    let loads = loads
        .into_iter()
        .map(|l| {
            let code = l.commune_code.clone().unwrap_or_else(|| l.province_code.clone());
            let name = match (&p.actor.scope, &l.commune_code) {
                (Scope::Province(_), None) => tr.t("reports.unit_mine_province").to_string(),
                _ => names.get(&code).cloned().unwrap_or(code),
            };
            (l, name)
        })
        .collect();
    let mut states = vec![
        Opt {
            value: "open".into(),
            label: tr.t("reports.state_open").into(),
            selected: blank_none(&q.state).is_none_or(|s| s == "open"),
        },
        Opt {
            value: "all".into(),
            label: tr.t("reports.state_all").into(),
            selected: q.state.as_deref() == Some("all"),
        },
    ];
    states.extend(enum_opts(tr, ReportState::ALL, q.state.as_deref()));
    let page = QueuePage {
        c: Chrome::new(tr, &p, "reports", tr.t("reports.title")),
        scope_name: super::scope_name(&s, &p.actor, tr).await,
        units: unit_opts(&s, tr, &p, q.unit.as_deref()).await,
        states,
        kinds: enum_opts(tr, ReportKind::ALL, q.kind.as_deref()),
        channels: enum_opts(tr, Channel::ALL, q.channel.as_deref()),
        total: list.total,
        pager,
        rows,
        loads,
        can_handle: p.actor.role.grants(Permission::WriteReports),
        q,
    };
    Ok(render(&page))
}

/// The intake form's values.
#[derive(Debug, Default)]
struct IntakeValues {
    content: ContentValues,
    channel: String,
    received_at: String,
    minutes_no: String,
    activity_id: String,
    urgent: bool,
    anonymous: bool,
    issue_receipt: bool,
    r: ReporterValues,
}

impl IntakeValues {
    fn from_fields(f: &[(String, String)]) -> Self {
        let v = |n: &str| field(f, n).unwrap_or_default();
        let on = |n: &str| f.iter().any(|(k, v)| k == n && !v.is_empty());
        IntakeValues {
            content: ContentValues::from_fields(f),
            channel: v("channel"),
            received_at: v("received_at"),
            minutes_no: v("minutes_no"),
            activity_id: v("activity_id"),
            urgent: on("urgent"),
            anonymous: on("anonymous"),
            issue_receipt: on("issue_receipt"),
            r: ReporterValues::from_fields(f),
        }
    }

    fn input(&self) -> IntakeInput {
        let o = |s: &String| (!s.is_empty()).then(|| s.clone());
        IntakeInput {
            content: self.content.input(),
            channel: o(&self.channel),
            received_at: o(&self.received_at),
            minutes_no: o(&self.minutes_no),
            activity_id: self.activity_id.trim().parse().ok(),
            urgent: self.urgent,
            anonymous: self.anonymous,
            issue_receipt: self.issue_receipt,
            reporter: Some(self.r.input()),
        }
    }
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct IntakePage {
    c: Chrome,
    v: IntakeValues,
    errors: FieldErrors,
    kinds: Vec<Opt>,
    channels: Vec<Opt>,
    activities: Vec<Opt>,
    categories: Vec<Opt>,
    provinces: Vec<Opt>,
    communes: Vec<Opt>,
    files_hint: String,
    reporter_fields: Vec<(&'static str, &'static str, String, usize)>,
}

/// The activities of the last 60 days in the officer's scope, for the intake form's choice.
async fn recent_activities(s: &AppState, p: &PageActor, current: &str) -> Vec<Opt> {
    let today = s.ctx.today();
    let q = antq_app::activities::ActivityQuery {
        from: Some((today - chrono::Duration::days(60)).to_string()),
        ..Default::default()
    };
    let page = antq_domain::page::PageRequest::new(Some(1), Some(200));
    let list = antq_app::activities::list(&s.ctx, &p.actor, &q, page).await.map(|p| p.items).unwrap_or_default();
    list.into_iter()
        .map(|a| Opt {
            selected: a.id.to_string() == current,
            value: a.id.to_string(),
            label: format!("{} — {} ({})", a.starts_on.format("%d/%m/%Y"), a.title, a.kind_name),
        })
        .collect()
}

async fn render_intake(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    v: IntakeValues,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let page = IntakePage {
        c: Chrome::new(tr, p, "reports", tr.t("reports.new")),
        kinds: enum_opts(tr, ReportKind::ALL, Some(&v.content.kind)),
        channels: enum_opts(tr, Channel::OFFICER, Some(&v.channel)),
        activities: recent_activities(s, p, &v.activity_id).await,
        categories: enum_opts(tr, Category::ALL, Some(&v.content.category)),
        provinces: super::units::province_opts(s, Some(&v.content.province_code)).await,
        communes: super::units::commune_opts(
            s,
            p,
            blank_none(&Some(v.content.province_code.clone())),
            Some(&v.content.commune_code),
        )
        .await,
        files_hint: super::public::files_hint(tr),
        reporter_fields: v.r.fields(),
        v,
        errors,
    };
    render_status(&page, status)
}

async fn new_page(State(s): State<AppState>, tr: Tr, p: PageActor) -> Response {
    let now = s.ctx.now() + chrono::Duration::hours(7);
    let v = IntakeValues {
        content: ContentValues {
            province_code: p.actor.scope.province().unwrap_or_default().to_string(),
            commune_code: p.actor.scope.commune().unwrap_or_default().to_string(),
            kind: ReportKind::ToGiac.code().into(),
            ..Default::default()
        },
        received_at: now.format("%Y-%m-%dT%H:%M").to_string(),
        channel: Channel::TrucTiep.code().into(),
        ..Default::default()
    };
    render_intake(&s, tr, &p, v, FieldErrors::new(), StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "report_receipt.html")]
struct IntakeReceiptPage {
    c: Chrome,
    id: i64,
    receipt: Receipt,
}

async fn create(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let form = form.map_err(|_| AppError::Invalid(FieldErrors::single("files", tr.t("public.bad_form")))).lang(tr)?;
    let (fields, files) = crate::documents::read_multipart(form).await.lang(tr)?;
    let v = IntakeValues::from_fields(&fields);
    match intake::record(&s.ctx, &p.actor, &v.input(), files).await {
        Ok((r, Some(receipt))) => Ok(render(&IntakeReceiptPage {
            c: Chrome::new(tr, &p, "reports", tr.t("public.receipt_title")),
            id: r.id,
            receipt,
        })),
        Ok((r, None)) => Ok(see_other(&format!("/reports/{}", r.id))),
        Err(AppError::Invalid(e)) => Ok(render_intake(&s, tr, &p, v, e, StatusCode::UNPROCESSABLE_ENTITY).await),
        Err(e) => Err(e).lang(tr),
    }
}

/// One trail entry, ready to show.
struct TrailRow {
    at: String,
    what: String,
    detail: String,
    username: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    notice: Notice,
    d: ReportDetail,
    unit: String,
    place: String,
    countdown: Option<(String, bool)>,
    trail: Vec<TrailRow>,
    identity: Option<Identity>,
    can_handle: bool,
    can_identity: bool,
    today: String,
    transfer_targets: Vec<Opt>,
    grounds: Vec<Opt>,
    edit: antq_domain::report::ReportEdit,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
}

impl ReportPage {
    /// The label of step `code`.
    fn label(&self, code: &str) -> &'static str {
        ReportAction::from_code(code).map(|a| self.c.tr.l(&a)).unwrap_or("")
    }

    /// Whether step `code` is allowed now.
    fn allows(&self, code: &str) -> bool {
        self.can_handle && self.d.allowed.iter().any(|a| a.code() == code)
    }
}

fn describe(
    tr: Tr,
    e: &antq_domain::report::ReportEvent,
    names: &std::collections::HashMap<String, String>,
) -> (String, String) {
    let what = match e.action.as_str() {
        "received" => tr.t("reports.event_received").to_string(),
        "edited" => tr.t("reports.event_edited").to_string(),
        code => ReportAction::from_code(code).map(|a| tr.l(&a).to_string()).unwrap_or_else(|| code.to_string()),
    };
    let name = |c: &Option<String>| c.as_ref().map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()));
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (name(&e.from_unit), name(&e.to_unit)) {
        parts.push(format!("{a} → {b}"));
    }
    if let Some(u) = e.until_on {
        parts.push(format!("{} {}", tr.t("reports.until"), tr.date(&u)));
    }
    if let Some(d) = &e.decision_no {
        parts.push(format!("{} {d}", tr.t("reports.decision_no")));
    }
    if let Some(d) = e.on_date {
        parts.push(tr.date(&d));
    }
    if let Some(a) = &e.authority {
        parts.push(a.clone());
    }
    if let Some(n) = &e.note {
        parts.push(n.clone());
    }
    if e.from_state != Some(e.to_state) && e.action != "edited" {
        parts.push(format!("→ {}", tr.l(&e.to_state)));
    }
    (what, parts.join(" · "))
}

async fn render_report(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: i64,
    notice: Notice,
    identity: Option<Identity>,
    status: StatusCode,
) -> PageResult {
    let d = reports::detail(&s.ctx, &p.actor, id).await.lang(tr)?;
    let r = &d.report;
    let mut codes: Vec<String> = vec![r.unit_code().to_string(), r.place_province_code.clone()];
    codes.extend(r.place_commune_code.clone());
    codes.extend(d.events.iter().flat_map(|e| [e.from_unit.clone(), e.to_unit.clone()]).flatten());
    let names = unit_names(s, codes).await;
    let name = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_string());
    let place = match (&r.place_commune_code, r.place_unknown) {
        (_, true) => format!("{} · {}", tr.t("public.place_unknown"), name(&r.place_province_code)),
        (Some(c), _) => format!("{}, {}", name(c), name(&r.place_province_code)),
        (None, _) => name(&r.place_province_code),
    };
    let trail = d
        .events
        .iter()
        .map(|e| {
            let (what, detail) = describe(tr, e, &names);
            TrailRow { at: tr.time(&e.at), what, detail, username: e.username.clone() }
        })
        .collect();
    let countdown = r.countdown(s.ctx.now()).map(|c| (tr.countdown(&c), c.overdue));
    let mut transfer_targets =
        vec![Opt { value: r.province_code.clone(), label: name(&r.province_code), selected: false }];
    transfer_targets.extend(super::units::commune_opts(s, p, Some(r.province_code.clone()), None).await);
    transfer_targets.retain(|o| o.value != r.unit_code());
    let edit = edit_of(r);
    let page = ReportPage {
        c: Chrome::new(tr, p, "reports", r.code.clone()),
        notice,
        unit: name(r.unit_code()),
        place,
        countdown,
        trail,
        identity,
        can_handle: p.actor.role.grants(Permission::WriteReports),
        can_identity: p.actor.role.grants(Permission::ReadReporterIdentity),
        today: vn_date(s.ctx.now()).to_string(),
        transfer_targets,
        grounds: enum_opts(tr, SuspendGround::ALL, None),
        kinds: enum_opts(tr, ReportKind::ALL, edit.content.kind.as_deref()),
        categories: enum_opts(tr, Category::ALL, edit.content.category.as_deref()),
        edit,
        d,
    };
    Ok(render_status(&page, status))
}

async fn report_page(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    render_report(&s, tr, &p, id, None, None, StatusCode::OK).await
}

/// A refused form re-renders the report with the reason; success redirects to it.
async fn after(s: &AppState, tr: Tr, p: &PageActor, id: i64, r: Result<(), AppError>) -> PageResult {
    match r {
        Ok(()) => Ok(see_other(&format!("/reports/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_report(s, tr, p, id, notice, None, status).await
        }
    }
}

async fn step(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let input = StepInput {
        action: field(&f, "action"),
        on_date: field(&f, "on_date"),
        until: field(&f, "until"),
        decision_no: field(&f, "decision_no"),
        authority: field(&f, "authority"),
        reason: field(&f, "reason"),
        ground: field(&f, "ground"),
        to_unit: field(&f, "to_unit_code").or_else(|| field(&f, "to_unit")),
    };
    let r = handling::transition(&s.ctx, &p.actor, id, &input).await;
    // A transfer out of the caller's scope leaves nothing to show here: back to the queue.
    if let Ok(after) = &r
        && !p.actor.scope.contains(&after.province_code, after.commune_code.as_deref())
    {
        return Ok(see_other("/reports"));
    }
    after(&s, tr, &p, id, r.map(|_| ())).await
}

async fn edit(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let on = |n: &str| f.iter().any(|(k, v)| k == n && !v.is_empty());
    let input = antq_domain::report::ReportEdit {
        content: ContentValues::from_fields(&f).input(),
        minutes_no: field(&f, "minutes_no"),
        urgent: on("urgent"),
        valuable: on("valuable"),
        confidential: on("confidential"),
    };
    let r = handling::update(&s.ctx, &p.actor, id, &input).await.map(|_| ());
    after(&s, tr, &p, id, r).await
}

/// An officer's message to the citizen.
#[derive(Debug, serde::Deserialize)]
pub struct MessageForm {
    body: Option<String>,
}

async fn message(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<MessageForm>,
) -> PageResult {
    let r = handling::send_message(&s.ctx, &p.actor, id, &MessageInput { body: f.body }).await.map(|_| ());
    after(&s, tr, &p, id, r).await
}

async fn add_files(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let r = match form {
        Ok(form) => match crate::documents::read_multipart(form).await {
            Ok((_, files)) => handling::add_files(&s.ctx, &p.actor, id, files).await.map(|_| ()),
            Err(e) => Err(e),
        },
        Err(_) => Err(AppError::Invalid(FieldErrors::single("files", tr.t("public.bad_form")))),
    };
    after(&s, tr, &p, id, r).await
}

/// The reason to read a reporter's identity.
#[derive(Debug, serde::Deserialize)]
pub struct IdentityForm {
    reason: Option<String>,
}

async fn identity(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<IdentityForm>,
) -> PageResult {
    match handling::reveal_identity(&s.ctx, &p.actor, id, &IdentityRequest { reason: f.reason }).await {
        Ok(identity) => render_report(&s, tr, &p, id, None, Some(identity), StatusCode::OK).await,
        Err(e @ AppError::NotFound(_)) => {
            let notice = Some((e.to_string(), true));
            render_report(&s, tr, &p, id, notice, None, StatusCode::NOT_FOUND).await
        }
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            render_report(&s, tr, &p, id, notice, None, status).await
        }
    }
}

async fn attachment(State(s): State<AppState>, tr: Tr, p: PageActor, Path((id, a)): Path<(i64, i64)>) -> PageResult {
    let (meta, bytes) = reports::attachment(&s.ctx, &p.actor, id, a).await.lang(tr)?;
    Ok(crate::documents::download(&meta.file_name, &meta.content_type, bytes))
}

#[derive(Template)]
#[template(path = "stats_reports.html")]
struct StatsPage {
    c: Chrome,
    stats: ReportStats,
    bys: Vec<Opt>,
    place: PlaceFilter,
    query: String,
    from: String,
    to: String,
}

async fn stats_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<StatsParams>) -> PageResult {
    let stats = reports::stats::stats(&s.ctx, &p.actor, &q.query()).await.lang(tr)?;
    let query = query_string(&[
        ("from", stats.from.to_string()),
        ("to", stats.to.to_string()),
        ("by", stats.by.code().to_string()),
        ("province", q.province.clone().unwrap_or_default()),
        ("commune", q.commune.clone().unwrap_or_default()),
    ]);
    let page = StatsPage {
        c: Chrome::new(tr, &p, "stats", tr.t("reports.stats_title")),
        bys: enum_opts(tr, ReportStatsBy::ALL, Some(stats.by.code())),
        place: PlaceFilter::build(&s, &p, q.province.as_deref(), q.commune.as_deref()).await,
        from: stats.from.to_string(),
        to: stats.to.to_string(),
        query,
        stats,
    };
    Ok(render(&page))
}

async fn stats_export(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<StatsParams>) -> PageResult {
    stats_file(&s, &p.actor, &q).await.lang(tr)
}

/// The remote/island flag of a commune.
#[derive(Debug, serde::Deserialize)]
pub struct RemoteForm {
    remote: Option<String>,
}

/// `POST /units/{code}/remote`: marks a commune remote or island (or not).
async fn set_remote(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(code): Path<String>,
    Form(f): Form<RemoteForm>,
) -> PageResult {
    let remote = f.remote.as_deref().is_some_and(|v| !v.is_empty());
    antq_app::units::set_remote(&s.ctx, &p.actor, &code, remote).await.lang(tr)?;
    Ok(see_other(&format!("/units/{code}")))
}
