//! Geography pages: provinces, communes, search.

use antq_domain::unit::UnitLevel;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::{Chrome, InLang, Opt, OptionsFragment, PageResult, render};
use crate::AppState;
use crate::auth::{HxRequest, PageActor};
use crate::i18n::Tr;

/// A row of the unit tables.
pub struct UnitRow {
    code: String,
    name: String,
    kind: antq_domain::unit::UnitKind,
    parent: String,
    communes: Option<i64>,
}

#[derive(Template)]
#[template(path = "_units.html")]
struct UnitsFragment {
    c: Chrome,
    units: Vec<UnitRow>,
    count: i64,
    /// Former units whose name matches (a search only).
    former: Vec<antq_app::lineage::FormerHit>,
    former_total: i64,
    q: String,
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    c: Chrome,
    q: String,
    results: String,
}

#[derive(serde::Deserialize)]
pub struct UnitsQuery {
    q: Option<String>,
}

/// `GET /units`: the provinces, or units matching `q`.
pub async fn list(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    HxRequest(hx): HxRequest,
    Query(q): Query<UnitsQuery>,
) -> PageResult {
    let text = super::blank_none(&q.q);
    let level = if text.is_none() { Some(UnitLevel::Province) } else { None };
    let units = antq_app::units::search(&s.ctx, &p.actor, text.clone(), level, None, 300).await.lang(tr)?;
    let names = antq_app::units::names(&s.ctx, units.iter().filter_map(|u| u.parent_code.clone())).await.lang(tr)?;
    let rows: Vec<UnitRow> = units
        .into_iter()
        .map(|u| UnitRow {
            parent: u.parent_code.as_ref().and_then(|p| names.get(p).cloned()).unwrap_or_default(),
            name: u.full_name(),
            code: u.code,
            kind: u.kind,
            communes: u.commune_count,
        })
        .collect();
    let former = match &text {
        Some(t) => {
            let f = antq_app::lineage::FormerSearch { q: Some(t.clone()), ..Default::default() };
            let first = antq_domain::page::PageRequest::new(Some(1), Some(50));
            antq_app::lineage::search(&s.ctx, &p.actor, &f, first).await.lang(tr)?
        }
        None => antq_domain::page::Page { items: Vec::new(), total: 0, page: 1, per_page: 50 },
    };
    let title = tr.t("units.title");
    let fragment = UnitsFragment {
        c: Chrome::new(tr, &p, "units", title),
        count: rows.len() as i64,
        units: rows,
        former_total: former.total,
        former: former.items,
        q: super::query_string(&[("q", text.clone().unwrap_or_default())]),
    };
    if hx {
        return Ok(render(&fragment));
    }
    let results = fragment.render().unwrap_or_default();
    Ok(render(&UnitsPage { c: Chrome::new(tr, &p, "units", title), q: text.unwrap_or_default(), results }))
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    c: Chrome,
    code: String,
    title: String,
    parent: Option<(String, String)>,
    counts: antq_app::stats::ModelCounts,
    areas: i64,
    establishments: i64,
    filter: String,
    centroid: Option<(f64, f64)>,
    communes: Vec<UnitRow>,
    remote: Option<bool>,
    can_set_remote: bool,
    /// The former units it came from.
    came_from: Vec<antq_app::lineage::Step>,
}

/// `GET /units/{code}`: a province with its communes, or a commune with its registries.
pub async fn show(State(s): State<AppState>, tr: Tr, p: PageActor, Path(code): Path<String>) -> PageResult {
    let unit = antq_app::units::get(&s.ctx, &p.actor, &code).await.lang(tr)?;
    let (province, commune) = match &unit.parent_code {
        Some(pc) => (pc.clone(), Some(unit.code.clone())),
        None => (unit.code.clone(), None),
    };
    let in_scope = p.actor.scope.province().is_none_or(|own| own == province)
        && p.actor.scope.commune().is_none_or(|own| Some(own) == commune.as_deref());
    let (counts, areas, establishments) = if in_scope {
        let counts =
            antq_app::stats::place_totals(&s.ctx, &p.actor, Some(&province), commune.as_deref()).await.lang(tr)?;
        let q = antq_app::areas::ListQuery {
            province: Some(province.clone()),
            commune: commune.clone(),
            ..Default::default()
        };
        let one = antq_domain::page::PageRequest::new(Some(1), Some(1));
        let areas = antq_app::areas::list(&s.ctx, &p.actor, &q, one).await.lang(tr)?.total;
        let establishments = antq_app::establishments::list(&s.ctx, &p.actor, &q, one).await.lang(tr)?.total;
        (counts, areas, establishments)
    } else {
        Default::default()
    };
    let communes = if unit.level == UnitLevel::Province {
        antq_app::units::search(&s.ctx, &p.actor, None, Some(UnitLevel::Commune), Some(unit.code.clone()), 1000)
            .await
            .lang(tr)?
            .into_iter()
            .map(|u| UnitRow { name: u.full_name(), code: u.code, kind: u.kind, parent: String::new(), communes: None })
            .collect()
    } else {
        Vec::new()
    };
    let parent = match &unit.parent_code {
        Some(pc) => Some((
            pc.clone(),
            antq_app::units::names(&s.ctx, [pc.clone()]).await.lang(tr)?.remove(pc).unwrap_or_default(),
        )),
        None => None,
    };
    let came_from = antq_app::lineage::came_from(&s.ctx, &p.actor, &unit.code).await.lang(tr)?;
    let filter =
        super::query_string(&[("province", province.clone()), ("commune", commune.clone().unwrap_or_default())]);
    let title = unit.full_name();
    Ok(render(&UnitPage {
        c: Chrome::new(tr, &p, "units", title.clone()),
        code: unit.code.clone(),
        title,
        parent,
        counts,
        areas,
        establishments,
        filter,
        centroid: unit.lat.zip(unit.lon),
        communes,
        remote: (unit.level == UnitLevel::Commune).then_some(unit.remote),
        can_set_remote: p
            .actor
            .require_in_scope(antq_domain::access::Permission::ManageTaxonomy, &province, None)
            .is_ok(),
        came_from,
    }))
}

#[derive(serde::Deserialize)]
pub struct FormerParams {
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "former_unit.html")]
struct FormerPage {
    c: Chrome,
    v: antq_app::lineage::FormerView,
    /// Its districts (a province) or communes (a district), one page.
    children: Vec<antq_app::lineage::FormerHit>,
    pager: super::Pager,
}

/// `GET /units/former/{generation}/{level}/{code}`: a former unit, where it was, what it
/// became, and its districts or communes of the time.
pub async fn former(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((generation, level, code)): Path<(String, String, String)>,
    Query(pq): Query<FormerParams>,
) -> PageResult {
    use antq_domain::succession::FormerLevel;
    let level = FormerLevel::from_code(&level).ok_or(antq_app::AppError::NotFound("đơn vị hành chính cũ")).lang(tr)?;
    let v = antq_app::lineage::former(&s.ctx, &p.actor, &generation, level, &code).await.lang(tr)?;
    let (child, filter) = match level {
        FormerLevel::Province => (Some(FormerLevel::District), ("province", code.clone())),
        FormerLevel::District => (Some(FormerLevel::Commune), ("district", code.clone())),
        FormerLevel::Commune => (None, ("", String::new())),
    };
    let page = antq_domain::page::PageRequest::new(pq.page, None);
    let children = match child {
        Some(l) => {
            let mut f = antq_app::lineage::FormerSearch {
                level: Some(l.code().into()),
                generation: Some(generation.clone()),
                ..Default::default()
            };
            if filter.0 == "province" {
                f.province = Some(filter.1.clone());
            } else {
                f.district = Some(filter.1.clone());
            }
            antq_app::lineage::search(&s.ctx, &p.actor, &f, page).await.lang(tr)?
        }
        None => antq_domain::page::Page { items: Vec::new(), total: 0, page: 1, per_page: page.per_page },
    };
    let pager = super::Pager::new(&children, "").plain();
    let title = v.name.clone();
    Ok(render(&FormerPage { c: Chrome::new(tr, &p, "units", title), v, children: children.items, pager }))
}

#[derive(serde::Deserialize)]
pub struct CommuneQuery {
    #[serde(alias = "province_code")]
    province: Option<String>,
}

/// `GET /ui/communes?province=`: `<option>`s of a province's communes (htmx).
pub async fn commune_options(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(q): Query<CommuneQuery>,
) -> Response {
    let options = commune_opts(&s, &p, super::blank_none(&q.province), None).await;
    render(&OptionsFragment { empty: format!("— {} —", tr.t("place.commune")), options })
}

/// The communes of a province as options (empty without a province).
pub async fn commune_opts(s: &AppState, p: &PageActor, province: Option<String>, selected: Option<&str>) -> Vec<Opt> {
    let Some(province) = province else {
        return Vec::new();
    };
    antq_app::units::search(&s.ctx, &p.actor, None, Some(UnitLevel::Commune), Some(province), 1000)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| Opt { selected: selected == Some(u.code.as_str()), label: u.full_name(), value: u.code })
        .collect()
}

/// The provinces as options.
pub async fn province_opts(s: &AppState, selected: Option<&str>) -> Vec<Opt> {
    antq_app::units::provinces(&s.ctx)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| Opt { selected: selected == Some(u.code.as_str()), label: u.full_name(), value: u.code })
        .collect()
}
