//! Alerts, allowance sheet, Kỷ niệm chương report and statistics of the force.

use antq_app::force::alerts::{self, Alerts};
use antq_app::force::allowance::{self, AllowanceSheet, parse_month};
use antq_app::force::medal::{self, MedalLine};
use antq_app::force::stats::{self, ForceBy, ForceStats};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::response::Response;
use axum::routing::get;

use super::super::{Chrome, InLang, Opt, PageResult, blank_none, render};
use super::ForceNav;
use crate::AppState;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/force/alerts", get(alerts_page), &[(Method::GET, READ)])
        .route("/force/allowances", get(allowance_page), &[(Method::GET, READ)])
        .route("/force/allowances/export", get(allowance_export), &[(Method::GET, READ)])
        .route("/force/medals", get(medals_page), &[(Method::GET, READ)])
        .route("/force/medals/export", get(medals_export), &[(Method::GET, READ)])
        .route("/stats/force", get(stats_page), &[(Method::GET, READ)])
        .route("/stats/force/export", get(stats_export), &[(Method::GET, READ)])
}

#[derive(serde::Deserialize, Default)]
pub struct UnitParams {
    unit: Option<String>,
    commune: Option<String>,
    month: Option<String>,
    by: Option<String>,
}

async fn names(s: &AppState, codes: impl IntoIterator<Item = String>) -> std::collections::HashMap<String, String> {
    antq_app::units::names(&s.ctx, codes).await.unwrap_or_default()
}

/// Communes of the actor's province as options (empty for a commune officer).
async fn communes(s: &AppState, p: &PageActor, selected: Option<&str>) -> Vec<Opt> {
    if p.actor.scope.commune().is_some() {
        return Vec::new();
    }
    super::super::units::commune_opts(s, p, p.actor.scope.province().map(Into::into), selected).await
}

#[derive(Template)]
#[template(path = "force_alerts.html")]
struct AlertsPage {
    c: Chrome,
    nav: ForceNav,
    a: Alerts,
    names: std::collections::HashMap<String, String>,
    communes: Vec<Opt>,
}

impl AlertsPage {
    fn name(&self, code: &str) -> String {
        self.names.get(code).cloned().unwrap_or_else(|| code.to_string())
    }
}

async fn alerts_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<UnitParams>) -> PageResult {
    let unit = blank_none(&q.unit);
    let a = alerts::of_unit(&s.ctx, &p.actor, unit.as_deref(), Some(200)).await.lang(tr)?;
    let names = names(
        &s,
        a.counts
            .iter()
            .map(|c| c.code.clone())
            .chain(a.items.iter().map(|i| i.commune_code.clone()))
            .chain([a.unit.clone()]),
    )
    .await;
    Ok(render(&AlertsPage {
        c: Chrome::new(tr, &p, "force", tr.t("force.alerts")),
        nav: ForceNav { tab: "alerts" },
        communes: communes(&s, &p, unit.as_deref()).await,
        a,
        names,
    }))
}

#[derive(Template)]
#[template(path = "force_allowance.html")]
struct AllowancePage {
    c: Chrome,
    nav: ForceNav,
    communes: Vec<Opt>,
    commune: String,
    month: String,
    sheet: Option<AllowanceSheet>,
    message: Option<String>,
}

fn month_of(s: &AppState, raw: Option<&str>) -> chrono::NaiveDate {
    raw.and_then(parse_month).unwrap_or_else(|| s.ctx.today())
}

async fn allowance_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<UnitParams>) -> PageResult {
    let commune = blank_none(&q.commune).or_else(|| p.actor.scope.commune().map(Into::into)).unwrap_or_default();
    let month = month_of(&s, q.month.as_deref());
    let (sheet, message) = if commune.is_empty() {
        (None, None)
    } else {
        match allowance::sheet(&s.ctx, &p.actor, &commune, month).await {
            Ok(sh) => (Some(sh), None),
            Err(antq_app::AppError::Conflict(m)) => (None, Some(m)),
            Err(e) => return Err(e).lang(tr),
        }
    };
    Ok(render(&AllowancePage {
        c: Chrome::new(tr, &p, "force", tr.t("force.allowances")),
        nav: ForceNav { tab: "allowances" },
        communes: communes(&s, &p, Some(&commune)).await,
        month: month.format("%Y-%m").to_string(),
        commune,
        sheet,
        message,
    }))
}

async fn allowance_export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(q): Query<UnitParams>,
) -> Result<Response, crate::error::PageError> {
    let commune = blank_none(&q.commune).or_else(|| p.actor.scope.commune().map(Into::into)).unwrap_or_default();
    let month = month_of(&s, q.month.as_deref());
    let bytes = allowance::export(&s.ctx, &p.actor, &commune, month).await.lang(tr)?;
    Ok(crate::api::interchange::download(
        bytes,
        antq_interchange::Format::Xlsx,
        &format!("ho-tro-{}", month.format("%Y-%m")),
    ))
}

#[derive(Template)]
#[template(path = "force_medals.html")]
struct MedalsPage {
    c: Chrome,
    nav: ForceNav,
    communes: Vec<Opt>,
    commune: String,
    lines: Vec<MedalLine>,
    names: std::collections::HashMap<String, String>,
}

impl MedalsPage {
    fn ym(&self, months: &i64) -> String {
        antq_domain::force::medal::years_months(*months)
    }
}

async fn medals_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<UnitParams>) -> PageResult {
    let commune = blank_none(&q.commune);
    let lines = medal::report(&s.ctx, &p.actor, commune.as_deref()).await.lang(tr)?;
    let names = names(&s, lines.iter().map(|l| l.commune_code.clone())).await;
    Ok(render(&MedalsPage {
        c: Chrome::new(tr, &p, "force", tr.t("force.medals")),
        nav: ForceNav { tab: "medals" },
        communes: communes(&s, &p, commune.as_deref()).await,
        commune: commune.unwrap_or_default(),
        lines,
        names,
    }))
}

async fn medals_export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(q): Query<UnitParams>,
) -> Result<Response, crate::error::PageError> {
    let bytes = medal::export(&s.ctx, &p.actor, blank_none(&q.commune).as_deref()).await.lang(tr)?;
    Ok(crate::api::interchange::download(bytes, antq_interchange::Format::Xlsx, "ky-niem-chuong"))
}

#[derive(Template)]
#[template(path = "force_stats.html")]
struct StatsPage {
    c: Chrome,
    nav: ForceNav,
    st: ForceStats,
    by: String,
}

async fn stats_page(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<UnitParams>) -> PageResult {
    let by = ForceBy::parse(q.by.as_deref()).lang(tr)?;
    let st = stats::stats(&s.ctx, &p.actor, by).await.lang(tr)?;
    Ok(render(&StatsPage {
        c: Chrome::new(tr, &p, "force", tr.t("force.stats")),
        nav: ForceNav { tab: "stats" },
        by: q.by.unwrap_or_else(|| "place".into()),
        st,
    }))
}

async fn stats_export(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Query(q): Query<UnitParams>,
) -> Result<Response, crate::error::PageError> {
    let by = ForceBy::parse(q.by.as_deref()).lang(tr)?;
    let bytes = stats::export(&s.ctx, &p.actor, by).await.lang(tr)?;
    Ok(crate::api::interchange::download(bytes, antq_interchange::Format::Xlsx, "luc-luong"))
}
