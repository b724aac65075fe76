//! The pivot page (C13): a registry's counts or sums by two dimensions, each cell a link to
//! the list behind it, and the XLSX of the table.

use antq_app::pivot::{self, Pivot, PivotQuery};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::routing::get;

use super::place::PlaceFilter;
use super::{Chrome, Notice, PageResult, blank_none, query_string, refused, render_status};
use crate::AppState;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes};

pub fn routes() -> Routes {
    Routes::new(false).route("/pivot", get(page), &[(Method::GET, READ)])
}

/// The choices as typed.
#[derive(Debug, Default, serde::Deserialize)]
struct Params {
    source: Option<String>,
    rows: Option<String>,
    cols: Option<String>,
    value: Option<String>,
    province: Option<String>,
    commune: Option<String>,
    from_year: Option<String>,
    to_year: Option<String>,
    as_of: Option<String>,
}

#[derive(Template)]
#[template(path = "pivot.html")]
struct PivotPage {
    c: Chrome,
    place: PlaceFilter,
    sources: Vec<(&'static str, &'static str, bool)>,
    dims: Vec<(&'static str, &'static str)>,
    values: Vec<(&'static str, &'static str)>,
    rows: String,
    cols: String,
    value: String,
    from_year: String,
    to_year: String,
    as_of: String,
    p: Option<Pivot>,
    body: Vec<ShownRow>,
    export: String,
    notice: Notice,
}

/// A row as shown: label, each cell and the total as text with the link behind it.
struct ShownRow {
    label: String,
    cells: Vec<(String, Option<String>)>,
    total: (String, Option<String>),
}

fn body(tr: Tr, p: &Pivot) -> Vec<ShownRow> {
    p.table
        .rows
        .iter()
        .zip(&p.links)
        .zip(&p.row_totals)
        .map(|((r, links), total)| ShownRow {
            label: r.label.clone(),
            cells: r.values.iter().zip(links).map(|(v, l)| (tr.num(*v), l.clone())).collect(),
            total: (tr.num(*total), links.last().cloned().flatten()),
        })
        .collect()
}

async fn page(State(s): State<AppState>, tr: Tr, pa: PageActor, Query(params): Query<Params>) -> PageResult {
    let year = |v: &Option<String>| blank_none(v).and_then(|y| y.trim().parse().ok());
    let q = PivotQuery {
        source: blank_none(&params.source),
        rows: blank_none(&params.rows),
        cols: blank_none(&params.cols),
        value: blank_none(&params.value),
        province: blank_none(&params.province),
        commune: blank_none(&params.commune),
        from_year: year(&params.from_year),
        to_year: year(&params.to_year),
        as_of: blank_none(&params.as_of),
    };
    let (p, notice, status) = match pivot::pivot(&s.ctx, &pa.actor, &q).await {
        Ok(p) => (Some(p), None, StatusCode::OK),
        Err(e) => {
            let (n, st) = refused(e, tr)?;
            (None, n, st)
        }
    };
    let code = p.as_ref().map_or(q.source.clone().unwrap_or("models".into()), |p| p.source.clone());
    let source = pivot::source_or_first(&code);
    let export = p
        .as_ref()
        .map(|p| {
            query_string(&[
                ("source", p.source.clone()),
                ("rows", p.rows.clone()),
                ("cols", p.cols.clone().unwrap_or_default()),
                ("value", p.value.clone()),
                ("province", q.province.clone().unwrap_or_default()),
                ("commune", q.commune.clone().unwrap_or_default()),
                ("from_year", p.years.map(|y| y.0.to_string()).unwrap_or_default()),
                ("to_year", p.years.map(|y| y.1.to_string()).unwrap_or_default()),
            ])
        })
        .unwrap_or_default();
    let page = PivotPage {
        c: Chrome::new(tr, &pa, "stats", tr.t("pivot.title")),
        place: PlaceFilter::build(&s, &pa, q.province.as_deref(), q.commune.as_deref()).await,
        sources: pivot::sources().into_iter().map(|(c, l)| (c, l, c == source.code)).collect(),
        dims: pivot::dims(source),
        values: pivot::values(source),
        body: p.as_ref().map(|p| body(tr, p)).unwrap_or_default(),
        rows: p.as_ref().map_or(q.rows.clone().unwrap_or_default(), |p| p.rows.clone()),
        cols: p.as_ref().map_or(q.cols.clone().unwrap_or_default(), |p| p.cols.clone().unwrap_or_default()),
        value: p.as_ref().map_or("count".into(), |p| p.value.clone()),
        from_year: p.as_ref().and_then(|p| p.years).map(|y| y.0.to_string()).unwrap_or_default(),
        to_year: p.as_ref().and_then(|p| p.years).map(|y| y.1.to_string()).unwrap_or_default(),
        as_of: q.as_of.clone().unwrap_or_default(),
        p,
        export,
        notice,
    };
    Ok(render_status(&page, status))
}
