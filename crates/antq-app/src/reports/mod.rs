//! Crime reports and tips (C9): intake by officers and by citizens, routing to the commune
//! of the place (or the province's duty queue), handling with the legal clocks, the
//! dialogue with the citizen, the sealed identity, and the statistics.
//!
//! Content is for police roles of the unit in charge and above (`read_report_content` and
//! the report's unit in scope); identity also needs `read_reporter_identity` and a stated
//! reason; counts (`read_report_counts`) are all the other roles see.

pub mod handling;
pub mod intake;
pub mod receipt;
pub mod stats;

use antq_domain::FieldErrors;
use antq_domain::access::{Permission, Scope};
use antq_domain::page::{Page, PageRequest};
use antq_domain::report::input::PlaceFields;
use antq_domain::report::{
    ClockRules, Report, ReportAction, ReportAttachment, ReportEvent, ReportListItem, ReportMessage, UnitTarget,
};
use antq_domain::unit::UnitLevel;
use antq_store::StoreError;
use antq_store::reports::{self, QueueFilter, UnitFilter};
use chrono::NaiveDate;

use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// What "not found" says for a report (also for one outside the caller's scope).
pub(crate) const REPORT: &str = "tố giác, tin báo";

/// The clocks in force for a report of `province` received on `day`.
pub(crate) async fn clock_rules(ctx: &AppCtx, province: &str, day: NaiveDate) -> AppResult<ClockRules> {
    crate::rules::clock(ctx, province, day).await
}

/// The unit a code names, as a place a report can be in charge of: a province (its duty
/// desk and investigating body) or a commune.
pub(crate) async fn unit_target(ctx: &AppCtx, code: &str, field: &str) -> AppResult<UnitTarget> {
    match antq_store::units::get(&ctx.db, code.trim()).await {
        Ok(u) if u.level == UnitLevel::Province => {
            Ok(UnitTarget { province_code: u.code, commune_code: None, remote: false })
        }
        Ok(u) => Ok(UnitTarget {
            province_code: u.parent_code.unwrap_or_default(),
            commune_code: Some(u.code),
            remote: u.remote,
        }),
        Err(StoreError::NotFound) => {
            Err(FieldErrors::single(field, format!("Không có đơn vị hành chính mã «{}».", code.trim())).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Checks a place against the geography; the unit in charge it routes to: its commune, or
/// the province's duty queue when the commune is not known.
pub(crate) async fn route(ctx: &AppCtx, place: &PlaceFields, errs: &mut FieldErrors) -> AppResult<Option<UnitTarget>> {
    let province = match unit_target(ctx, &place.province_code, "province_code").await {
        Ok(t) if t.commune_code.is_none() => t,
        Ok(_) => {
            errs.add("province_code", "Mã tỉnh, thành phố gồm 2 chữ số.");
            return Ok(None);
        }
        Err(AppError::Invalid(e)) => {
            errs.0.extend(e.0);
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let Some(code) = &place.commune_code else { return Ok(Some(province)) };
    match unit_target(ctx, code, "commune_code").await {
        Ok(t) if t.commune_code.is_some() && t.province_code == province.province_code => Ok(Some(t)),
        Ok(_) => {
            errs.add("commune_code", "Xã, phường, đặc khu đã chọn không thuộc tỉnh, thành phố đã chọn.");
            Ok(None)
        }
        Err(AppError::Invalid(e)) => {
            errs.0.extend(e.0);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Loads a report the actor may read the content of: the unit in charge is in scope. A
/// report outside the scope is refused the same way as any other content read.
pub(crate) async fn readable(ctx: &AppCtx, actor: &Actor, id: i64, p: Permission) -> AppResult<Report> {
    actor.require(p)?;
    let r = reports::get(&ctx.db, id).await.not_found_as(REPORT)?;
    actor.require_in_scope(p, &r.province_code, r.commune_code.as_deref())?;
    Ok(r)
}

/// One report (content).
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Report> {
    readable(ctx, actor, id, Permission::ReadReportContent).await
}

/// One report the actor may handle (`write_reports` with its unit in scope).
pub async fn get_for_handling(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Report> {
    readable(ctx, actor, id, Permission::WriteReports).await
}

/// Filters of a queue, as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct QueueQuery {
    /// `mine` (default: the caller's unit), `all` (every unit in scope), or a unit code.
    pub unit: Option<String>,
    /// Include closed reports.
    #[serde(default)]
    pub all_states: bool,
    /// Only overdue ones.
    #[serde(default)]
    pub overdue: bool,
    /// State code.
    pub state: Option<String>,
    /// Type code.
    pub kind: Option<String>,
    /// Channel code.
    pub channel: Option<String>,
    /// A receipt code, or words of the description.
    pub q: Option<String>,
}

fn blank(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl QueueQuery {
    /// The store filter for `actor`; a unit outside the scope is refused.
    pub fn filter(&self, ctx: &AppCtx, actor: &Actor) -> AppResult<QueueFilter> {
        let outside = || AppError::Forbidden("Đơn vị này nằm ngoài địa bàn bạn được giao.".into());
        let unit = blank(&self.unit).unwrap_or_else(|| "mine".into());
        let (province, unit) = match (&actor.scope, unit.as_str()) {
            (Scope::Commune(p, c), "mine" | "all") => (Some(p.clone()), UnitFilter::Commune(c.clone())),
            (Scope::Commune(p, c), code) if code == c => (Some(p.clone()), UnitFilter::Commune(c.clone())),
            (Scope::Commune(..), _) => return Err(outside()),
            (Scope::Province(p), "mine") => (Some(p.clone()), UnitFilter::ProvinceLevel),
            (Scope::Province(p), "all") => (Some(p.clone()), UnitFilter::Any),
            (Scope::Province(p), code) if code == p => (Some(p.clone()), UnitFilter::ProvinceLevel),
            (Scope::Province(p), code) if code.len() == 5 => (Some(p.clone()), UnitFilter::Commune(code.into())),
            (Scope::Province(_), _) => return Err(outside()),
            (Scope::National, "mine" | "all") => (None, UnitFilter::Any),
            (Scope::National, code) if code.len() == 2 => (Some(code.into()), UnitFilter::Any),
            (Scope::National, code) => (None, UnitFilter::Commune(code.into())),
        };
        let mut e = FieldErrors::new();
        let state = blank(&self.state);
        if let Some(s) = &state
            && antq_domain::report::ReportState::from_code(s).is_none()
        {
            e.add("state", format!("Không có trạng thái «{s}»."));
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let q = blank(&self.q);
        let code = q.as_deref().and_then(antq_domain::report::receipt::parse_code);
        Ok(QueueFilter {
            province,
            unit,
            open_only: !self.all_states && state.is_none(),
            overdue_at: self.overdue.then(|| ctx.now()),
            state,
            kind: blank(&self.kind),
            channel: blank(&self.channel),
            text: if code.is_some() { None } else { q },
            code,
        })
    }
}

/// One page of a unit's queue.
#[tracing::instrument(skip_all)]
pub async fn queue(ctx: &AppCtx, actor: &Actor, q: &QueueQuery, page: PageRequest) -> AppResult<Page<ReportListItem>> {
    actor.require(Permission::ReadReportContent)?;
    Ok(reports::queue(&ctx.db, &q.filter(ctx, actor)?, page).await?)
}

/// Open and overdue reports of one unit in charge.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct UnitLoad {
    /// Province.
    pub province_code: String,
    /// Commune (`None`: the province's own queue, or a whole province at national scope).
    pub commune_code: Option<String>,
    /// Open reports.
    pub open: i64,
    /// Of which overdue.
    pub overdue: i64,
}

/// Open and overdue reports per unit in the caller's scope (communes of a province, or
/// provinces): the overdue list per unit.
pub async fn load_by_unit(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<UnitLoad>> {
    actor.require(Permission::ReadReportContent)?;
    let rows = reports::open_by_unit(&ctx.db, actor.scope.province(), ctx.now()).await?;
    Ok(rows
        .into_iter()
        .filter(|(p, c, ..)| actor.scope.commune().is_none() || (actor.scope.contains(p, c.as_deref())))
        .map(|(province_code, commune_code, open, overdue)| UnitLoad { province_code, commune_code, open, overdue })
        .collect())
}

/// A report with everything its page shows.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ReportDetail {
    /// The report.
    pub report: Report,
    /// The trail, oldest first.
    pub events: Vec<ReportEvent>,
    /// The dialogue with the citizen.
    pub messages: Vec<ReportMessage>,
    /// Attachments.
    pub attachments: Vec<ReportAttachment>,
    /// A sealed identity exists (readable with permission and a reason).
    pub has_identity: bool,
    /// The steps allowed now.
    pub allowed: Vec<ReportAction>,
    /// The clocks in force.
    pub rules: ClockRules,
    /// Latest day an extension can reach, and the procuracy's (while being resolved).
    pub caps: Option<(NaiveDate, NaiveDate)>,
}

/// The report with its trail, dialogue, attachments and clocks.
pub async fn detail(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<ReportDetail> {
    let report = get(ctx, actor, id).await?;
    let rules =
        clock_rules(ctx, &report.province_code, antq_domain::report::clock::vn_date(report.received_at)).await?;
    let calendar = crate::calendar::current(ctx).await?;
    let caps = report
        .clock_start_on
        .filter(|_| report.state.is_open())
        .map(|s| (rules.extension_cap(s, &calendar), rules.procuracy_cap(s, &calendar)));
    Ok(ReportDetail {
        events: reports::events(&ctx.db, id).await?,
        messages: reports::messages(&ctx.db, id).await?,
        attachments: reports::attachments(&ctx.db, id).await?,
        has_identity: reports::identity(&ctx.db, id).await?.is_some(),
        allowed: report.state.allowed_actions(),
        rules,
        caps,
        report,
    })
}

/// One attachment with its bytes.
pub async fn attachment(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    attachment: i64,
) -> AppResult<(ReportAttachment, Vec<u8>)> {
    get(ctx, actor, id).await?;
    reports::attachment(&ctx.db, id, attachment).await.not_found_as("tệp đính kèm")
}
