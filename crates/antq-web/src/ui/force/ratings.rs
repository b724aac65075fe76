//! The HD 01 rating pages: the sheets of a year (province) and a commune's sheet.

use antq_app::force::ratings::{self, SheetView};
use antq_domain::access::Permission;
use antq_domain::force::rating::{ForceLevel, ForceRatingInput, ForceSheet, NotRatedReason};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::routing::{get, post};

use super::super::{
    Chrome, InLang, Notice, Opt, PageResult, enum_opts, field, refused, render, render_status, see_other,
};
use super::ForceNav;
use crate::AppState;
use crate::api::force::parse_sheet_action;
use crate::auth::PageActor;
use crate::i18n::Tr;
use crate::routes::{READ, Routes, WRITE};

pub fn routes() -> Routes {
    Routes::new(false)
        .route("/force/ratings", get(index), &[(Method::GET, READ)])
        .route("/force/ratings/{commune}/{year}", get(show).post(open), &[(Method::GET, READ), (Method::POST, WRITE)])
        .route("/force/ratings/{commune}/{year}/rate", post(rate), &[(Method::POST, WRITE)])
        .route("/force/ratings/{commune}/{year}/action", post(action), &[(Method::POST, WRITE)])
}

#[derive(serde::Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "force_ratings.html")]
struct IndexPage {
    c: Chrome,
    nav: ForceNav,
    year: i32,
    sheets: Vec<(ForceSheet, String)>,
    communes: Vec<Opt>,
}

async fn index(State(s): State<AppState>, tr: Tr, p: PageActor, Query(q): Query<YearParams>) -> PageResult {
    let year = crate::api::checked_year(q.year, s.ctx.today()).lang(tr)?;
    if let Some(c) = p.actor.scope.commune() {
        return Ok(see_other(&format!("/force/ratings/{c}/{year}")));
    }
    let sheets = ratings::sheets(&s.ctx, &p.actor, year).await.lang(tr)?;
    let names = antq_app::units::names(&s.ctx, sheets.iter().map(|s| s.commune_code.clone())).await.unwrap_or_default();
    let communes = super::super::units::commune_opts(&s, &p, p.actor.scope.province().map(Into::into), None).await;
    Ok(render(&IndexPage {
        c: Chrome::new(tr, &p, "force", tr.t("force.ratings")),
        nav: ForceNav { tab: "ratings" },
        year,
        sheets: sheets
            .into_iter()
            .map(|sh| {
                let n = names.get(&sh.commune_code).cloned().unwrap_or_default();
                (sh, n)
            })
            .collect(),
        communes,
    }))
}

#[derive(Template)]
#[template(path = "force_sheet.html")]
struct SheetPage {
    c: Chrome,
    nav: ForceNav,
    v: SheetView,
    levels: Vec<Opt>,
    reasons: Vec<Opt>,
    notice: Notice,
    can_write: bool,
    can_approve: bool,
}

impl SheetPage {
    fn editable(&self) -> bool {
        self.can_write && self.v.sheet.as_ref().is_some_and(|s| s.state.editable())
    }

    fn state_is(&self, code: &str) -> bool {
        self.v.sheet.as_ref().is_some_and(|s| s.state.code() == code)
    }

    fn level_count(&self, members: bool, i: &usize) -> i64 {
        let v = if members { &self.v.summary.members } else { &self.v.summary.teams };
        v.get(*i).copied().unwrap_or(0)
    }
}

async fn sheet_page(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    commune: &str,
    year: i32,
    notice: Notice,
) -> Result<SheetPage, crate::error::PageError> {
    let v = ratings::sheet(&s.ctx, &p.actor, commune, year).await.lang(tr)?;
    let name = antq_app::units::names(&s.ctx, [v.commune_code.clone()])
        .await
        .ok()
        .and_then(|mut n| n.remove(&v.commune_code))
        .unwrap_or_default();
    let ok = |perm| p.actor.require_in_scope(perm, &v.province_code, Some(&v.commune_code)).is_ok();
    Ok(SheetPage {
        c: Chrome::new(tr, p, "force", format!("{} {year} — {name}", tr.t("force.ratings"))),
        nav: ForceNav { tab: "ratings" },
        levels: enum_opts(tr, ForceLevel::ALL, None),
        reasons: enum_opts(tr, NotRatedReason::ALL, None),
        can_write: ok(Permission::WriteRegistry),
        can_approve: ok(Permission::ApproveEvaluations),
        v,
        notice,
    })
}

async fn show(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((commune, year)): Path<(String, i32)>,
    Query(q): Query<YearParams>,
) -> PageResult {
    let notice = q.saved.is_some().then(|| (tr.t("form.saved").to_string(), false));
    Ok(render(&sheet_page(&s, tr, &p, &commune, year, notice).await?))
}

async fn done(
    s: &AppState,
    tr: Tr,
    p: &PageActor,
    commune: &str,
    year: i32,
    r: Result<SheetView, antq_app::AppError>,
) -> PageResult {
    match r {
        Ok(_) => Ok(see_other(&format!("/force/ratings/{commune}/{year}?saved=1"))),
        Err(e) => {
            let (notice, status) = refused(e, tr)?;
            Ok(render_status(&sheet_page(s, tr, p, commune, year, notice).await?, status))
        }
    }
}

async fn open(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((commune, year)): Path<(String, i32)>,
) -> PageResult {
    let r = ratings::open(&s.ctx, &p.actor, &commune, year).await;
    done(&s, tr, &p, &commune, year, r).await
}

async fn rate(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((commune, year)): Path<(String, i32)>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let input = ForceRatingInput {
        team_id: field(&f, "team_id").and_then(|v| v.parse().ok()),
        member_id: field(&f, "member_id").and_then(|v| v.parse().ok()),
        level: field(&f, "level"),
        reason: field(&f, "reason"),
        newly_transferred: field(&f, "newly_transferred").is_some(),
        note: field(&f, "note"),
    };
    let r = ratings::rate(&s.ctx, &p.actor, &commune, year, &input).await;
    done(&s, tr, &p, &commune, year, r).await
}

async fn action(
    State(s): State<AppState>,
    tr: Tr,
    p: PageActor,
    Path((commune, year)): Path<(String, i32)>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let r = match parse_sheet_action(&field(&f, "action").unwrap_or_default()) {
        Ok(a) => ratings::act(&s.ctx, &p.actor, &commune, year, a, field(&f, "comment").as_deref()).await,
        Err(e) => Err(e),
    };
    done(&s, tr, &p, &commune, year, r).await
}
