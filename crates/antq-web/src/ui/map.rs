//! The map page (C13): the 34 provinces coloured by a figure, a province's communes as points
//! with its cameras; the table beside the map holds the same figures.

use antq_app::dashboard::{self, KPIS, MapData, MapQuery};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::routing::get;

use super::{Chrome, InLang, PageResult, blank_none, query_string, render};
use crate::AppState;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes};

pub fn routes() -> Routes {
    Routes::new(false).route("/map", get(page), &[(Method::GET, READ)])
}

/// The figure, year and province as typed.
#[derive(Debug, Default, serde::Deserialize)]
struct Params {
    kpi: Option<String>,
    year: Option<String>,
    province: Option<String>,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    c: Chrome,
    m: MapData,
    kpis: &'static [(&'static str, &'static str)],
    national: bool,
    provinces: Vec<(String, String, bool)>,
    query: String,
}

async fn page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(params): Query<Params>) -> PageResult {
    let q = MapQuery {
        kpi: blank_none(&params.kpi),
        year: blank_none(&params.year).and_then(|y| y.trim().parse().ok()),
        province: blank_none(&params.province),
    };
    let m = dashboard::map(&s.ctx, &p.actor, &q).await.lang(tr)?;
    let national = p.actor.scope.province().is_none();
    let provinces = if national {
        antq_app::units::provinces(&s.ctx)
            .await
            .lang(tr)?
            .into_iter()
            .map(|u| {
                let sel = m.province.as_deref() == Some(u.code.as_str());
                (u.code.clone(), u.full_name(), sel)
            })
            .collect()
    } else {
        Vec::new()
    };
    let query = query_string(&[
        ("kpi", m.kpi.clone()),
        ("year", m.year.to_string()),
        ("province", m.province.clone().unwrap_or_default()),
    ]);
    Ok(render(&MapPage { c: Chrome::new(tr, &p, "map", tr.t("map.title")), m, kpis: KPIS, national, provinces, query }))
}
