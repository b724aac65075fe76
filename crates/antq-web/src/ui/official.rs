//! Official report pages (C13): the report of a unit and period read live, with its PDF and
//! XLSX; the stored reports; a draft's form (header, free text, signature), issuing, and an
//! issued report, frozen, with its files and their SHA-256.

use antq_app::official::{self, DraftInput, MovementQuery, OfficialQuery};
use antq_domain::access::Permission;
use antq_domain::official::{Document, OfficialReport, OfficialState, Section};
use antq_domain::page::PageRequest;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use chrono::Datelike;

use super::place::PlaceFilter;
use super::{Chrome, InLang, Notice, PageResult, Pager, blank_none, query_string, refused, render_status, see_other};
use crate::AppState;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, WRITE};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/official-reports", get(index).post(create), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/official-reports/{id}", get(show).post(update), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/official-reports/{id}/issue", post(issue), &[(Method::POST, WRITE)])
        .route("/official-reports/{id}/delete", post(delete), &[(Method::POST, WRITE)])
}

/// A section as shown: its table's rows with the values as text.
struct ShownSection {
    heading: String,
    text: String,
    columns: [&'static str; 3],
    rows: Vec<(String, u8, String, String, String)>,
}

fn shown(sections: &[Section]) -> Vec<ShownSection> {
    sections
        .iter()
        .map(|s| ShownSection {
            heading: s.heading.clone(),
            text: s.text.clone(),
            columns: s.columns(),
            rows: s
                .lines
                .iter()
                .map(|l| (l.label.clone(), l.level, l.current_text(), l.previous_text(), s.change(l)))
                .collect(),
        })
        .collect()
}

/// Unit and period as typed.
#[derive(Debug, Default, serde::Deserialize)]
struct Params {
    province: Option<String>,
    commune: Option<String>,
    year: Option<String>,
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
}

impl Params {
    fn unit(&self) -> Option<String> {
        blank_none(&self.commune).or(blank_none(&self.province))
    }

    fn period(&self) -> Option<String> {
        blank_none(&self.year).map(|y| format!("{y}-{}", blank_none(&self.kind).unwrap_or("nam".into())))
    }

    fn movement(&self) -> MovementQuery {
        MovementQuery {
            unit: self.unit(),
            period: self.period(),
            from: blank_none(&self.from),
            to: blank_none(&self.to),
        }
    }

    /// The query of the report's files.
    fn file_query(&self, doc: &Document) -> String {
        let mut pairs = vec![("unit", doc.unit_code.clone()), ("period", doc.period.code())];
        if blank_none(&self.from).is_some() {
            pairs.push(("from", doc.period.from.to_string()));
            pairs.push(("to", doc.period.to.to_string()));
        }
        query_string(&pairs)
    }
}

#[derive(Template)]
#[template(path = "official_reports.html")]
struct IndexPage {
    c: Chrome,
    place: PlaceFilter,
    years: Vec<(i32, bool)>,
    half: bool,
    from: String,
    to: String,
    doc: Option<Document>,
    sections: Vec<ShownSection>,
    file_query: String,
    rows: Vec<OfficialReport>,
    names: std::collections::HashMap<String, String>,
    total: i64,
    pager: Pager,
    can_write: bool,
    notice: Notice,
}

async fn index_view(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    params: &Params,
    notice: Notice,
    status: StatusCode,
) -> PageResult {
    let (doc, notice, status) = match official::movement(&s.ctx, &p.actor, &params.movement()).await {
        Ok(d) => (Some(d), notice, status),
        Err(e) => {
            let (n, st) = refused(e, tr)?;
            (None, notice.or(n), if status == StatusCode::OK { st } else { status })
        }
    };
    let list = official::list(&s.ctx, &p.actor, &OfficialQuery::default(), PageRequest::new(params.page, None))
        .await
        .lang(tr)?;
    let names =
        antq_app::units::names(&s.ctx, list.items.iter().map(|r| r.unit_code.clone()).filter(|u| !u.is_empty()))
            .await
            .lang(tr)?;
    let year = doc.as_ref().map_or(s.ctx.today().year(), |d| d.period.year);
    let page = IndexPage {
        c: Chrome::new(tr, p, "official", tr.t("official.title")),
        place: PlaceFilter::build(
            s,
            p,
            blank_none(&params.province).as_deref(),
            blank_none(&params.commune).as_deref(),
        )
        .await,
        years: (s.ctx.today().year() - 5..=s.ctx.today().year()).rev().map(|y| (y, y == year)).collect(),
        half: doc.as_ref().is_some_and(|d| d.period.kind == antq_domain::official::PeriodKind::HalfYear),
        from: blank_none(&params.from).unwrap_or_default(),
        to: blank_none(&params.to).unwrap_or_default(),
        sections: doc.as_ref().map(|d| shown(&d.sections)).unwrap_or_default(),
        file_query: doc.as_ref().map(|d| params.file_query(d)).unwrap_or_default(),
        doc,
        pager: Pager::new(&list, "").plain(),
        total: list.total,
        rows: list.items,
        names,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
        notice,
    };
    Ok(render_status(&page, status))
}

async fn index(State(s): State<AppState>, tr: Tr, p: PageActor, Query(params): Query<Params>) -> PageResult {
    index_view(&s, tr, &p, &params, None, StatusCode::OK).await
}

/// Creates a draft of the unit and period shown.
async fn create(State(s): State<AppState>, tr: Tr, p: PageActor, Form(f): Form<Params>) -> PageResult {
    let input = DraftInput {
        unit: f.unit(),
        period: f.period(),
        from: blank_none(&f.from),
        to: blank_none(&f.to),
        ..DraftInput::default()
    };
    match official::create(&s.ctx, &p.actor, &input).await {
        Ok(r) => Ok(see_other(&format!("/official-reports/{}", r.id))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            index_view(&s, tr, &p, &f, notice, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "official_report.html")]
struct ReportPage {
    c: Chrome,
    r: OfficialReport,
    doc: Document,
    sections: Vec<ShownSection>,
    v: DraftInput,
    draft: bool,
    can_write: bool,
    notice: Notice,
}

async fn show_view(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    id: i64,
    form: Option<DraftInput>,
    notice: Notice,
    status: StatusCode,
) -> PageResult {
    let r = official::get(&s.ctx, &p.actor, id).await.lang(tr)?;
    let doc = official::document(&s.ctx, &p.actor, id).await.lang(tr)?;
    let page = ReportPage {
        c: Chrome::new(tr, p, "official", doc.parts.subject.clone()),
        sections: shown(&doc.sections),
        v: form.unwrap_or_else(|| DraftInput::of(&r.parts)),
        draft: r.state == OfficialState::Draft,
        can_write: p.actor.role.grants(Permission::WriteRegistry),
        doc,
        r,
        notice,
    };
    Ok(render_status(&page, status))
}

async fn show(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    show_view(&s, tr, &p, id, None, None, StatusCode::OK).await
}

async fn update(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<DraftInput>,
) -> PageResult {
    match official::update(&s.ctx, &p.actor, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/official-reports/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            show_view(&s, tr, &p, id, Some(f), notice, status).await
        }
    }
}

async fn issue(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    match official::issue(&s.ctx, &p.actor, id).await {
        Ok(_) => Ok(see_other(&format!("/official-reports/{id}"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            show_view(&s, tr, &p, id, None, notice, status).await
        }
    }
}

async fn delete(State(s): State<AppState>, tr: Tr, p: PageActor, Path(id): Path<i64>) -> PageResult {
    match official::delete(&s.ctx, &p.actor, id).await {
        Ok(()) => Ok(see_other("/official-reports")),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            show_view(&s, tr, &p, id, None, notice, status).await
        }
    }
}
