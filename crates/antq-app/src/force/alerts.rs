//! Coverage alerts (C8): residential areas with no team or fewer than the quota, teams
//! without a leader, with too many deputies or off their member quota, members reaching the
//! age limit, and steps past their TT 14/2024 clock. A commune gets the list; a province gets
//! counts per commune and the list; the country gets counts per province.

use antq_domain::access::Permission;
use antq_domain::force::birthday;
use antq_domain::force::quota::AlertCounts;
use antq_domain::force::quota::WarningKind;
use antq_domain::rules::RuleCode;
use antq_store::force::alerts::{self as store, AlertScope};
use chrono::NaiveDate;

use super::ForceRules;
use crate::{Actor, AppCtx, AppError, AppResult};

/// Days ahead in which reaching the age limit is announced.
pub const AGE_ALERT_DAYS: i64 = 90;

/// One alert.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Alert {
    /// Kind.
    pub kind: WarningKind,
    /// Commune.
    pub commune_code: String,
    /// Area concerned.
    pub area_id: Option<i64>,
    /// Team concerned.
    pub team_id: Option<i64>,
    /// Member concerned.
    pub member_id: Option<i64>,
    /// Name of the area, team or member.
    pub subject: String,
    /// Details (Vietnamese).
    pub message: String,
}

/// The alerts of a unit.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Alerts {
    /// The unit asked for (province or commune code; empty: the country).
    pub unit: String,
    /// Counts per commune (for a province) or per province (for the country).
    pub counts: Vec<AlertCounts>,
    /// Alerts, at most `limit` of each kind (none for the country: ask a province).
    pub items: Vec<Alert>,
    /// Some kind had more than `limit` alerts.
    pub truncated: bool,
    /// The limit per kind.
    pub limit: i64,
}

/// Resolves `unit` (`mine`, empty, a province or commune code) within the actor's scope to
/// `(province, commune)`; `(None, None)` is the country.
pub async fn resolve_unit(
    ctx: &AppCtx,
    actor: &Actor,
    unit: Option<&str>,
) -> AppResult<(Option<String>, Option<String>)> {
    match unit.map(str::trim).filter(|u| !u.is_empty() && *u != "mine") {
        None => Ok((actor.scope.province().map(Into::into), actor.scope.commune().map(Into::into))),
        Some(code) => {
            let u = crate::units::get(ctx, actor, code).await?;
            let (p, c) = match u.level {
                antq_domain::unit::UnitLevel::Province => (u.code.clone(), None),
                antq_domain::unit::UnitLevel::Commune => {
                    (u.parent_code.clone().unwrap_or_default(), Some(u.code.clone()))
                }
            };
            actor.narrow(Some(p), c)
        }
    }
}

/// The alerts of a unit (see [`resolve_unit`]): at most `limit` of each kind (1–5000), or all
/// of them (`None`, for a client that pages through the whole list).
#[tracing::instrument(skip_all)]
pub async fn of_unit(ctx: &AppCtx, actor: &Actor, unit: Option<&str>, limit: Option<i64>) -> AppResult<Alerts> {
    actor.require(Permission::ReadRegistry)?;
    let limit = limit.map_or(i64::from(i32::MAX), |l| l.clamp(1, 5000));
    let (province, commune) = resolve_unit(ctx, actor, unit).await?;
    let today = ctx.today();
    let Some(province) = province else {
        let mut counts = Vec::new();
        for p in crate::units::provinces(ctx).await? {
            let rules = ForceRules::load(ctx, &p.code, today).await?;
            let scope = scope_of(&rules, &p.code, None, today)?;
            let mut total = AlertCounts { code: p.code.clone(), ..Default::default() };
            let scope = scope.as_scope();
            let areas = store::areas_short(&ctx.db, &scope).await?;
            for c in store::counts(&ctx.db, &scope, &areas).await? {
                add(&mut total, &c);
            }
            counts.push(total);
        }
        return Ok(Alerts { unit: String::new(), counts, items: Vec::new(), truncated: false, limit });
    };
    let rules = ForceRules::load(ctx, &province, today).await?;
    let owned = scope_of(&rules, &province, commune.as_deref(), today)?;
    let scope = owned.as_scope();
    let areas = store::areas_short(&ctx.db, &scope).await?;
    let counts = if commune.is_none() { store::counts(&ctx.db, &scope, &areas).await? } else { Vec::new() };
    let mut items = Vec::new();
    let mut truncated = false;
    truncated |= areas.len() as i64 > limit;
    for a in areas.into_iter().take(limit as usize) {
        let (kind, message) = if a.teams == 0 {
            (WarningKind::AreaWithoutTeam, format!("Chưa có Tổ bảo vệ ANTT (định mức {} tổ).", a.quota_teams))
        } else {
            (WarningKind::AreaBelowTeams, format!("Có {} tổ, định mức {} tổ.", a.teams, a.quota_teams))
        };
        items.push(Alert {
            kind,
            commune_code: a.commune_code,
            area_id: Some(a.id),
            team_id: None,
            member_id: None,
            subject: a.name,
            message,
        });
    }
    let teams = store::teams_off(&ctx.db, &scope, limit + 1).await?;
    truncated |= teams.len() as i64 > limit;
    for t in teams.into_iter().take(limit as usize) {
        let composition = antq_domain::force::Composition { leaders: t.leaders, deputies: t.deputies, size: t.size };
        for w in composition.warnings(owned.deputies_max, t.quota_members) {
            items.push(Alert {
                kind: w.kind,
                commune_code: t.commune_code.clone(),
                area_id: None,
                team_id: Some(t.id),
                member_id: None,
                subject: t.name.clone(),
                message: w.message,
            });
        }
    }
    let ageing = store::ageing(&ctx.db, &scope, limit + 1).await?;
    truncated |= ageing.len() as i64 > limit;
    for m in ageing.into_iter().take(limit as usize) {
        let at = birthday(m.born_on, owned.age_max);
        let message = if at <= today {
            format!(
                "Đã quá {} tuổi từ ngày {}, chưa có quyết định cho phép tiếp tục tham gia.",
                owned.age_max,
                at.format("%d/%m/%Y")
            )
        } else {
            format!("Đủ {} tuổi ngày {} (còn {} ngày).", owned.age_max, at.format("%d/%m/%Y"), (at - today).num_days())
        };
        items.push(Alert {
            kind: WarningKind::ReachingAgeLimit,
            commune_code: m.commune_code,
            area_id: None,
            team_id: Some(m.team_id),
            member_id: Some(m.id),
            subject: format!("{} ({})", m.full_name, m.team_name),
            message,
        });
    }
    let clocks = rules.clocks()?;
    let calendar = crate::calendar::current(ctx).await?;
    let before = store::OverdueBefore {
        proposal: today - chrono::Duration::days(clocks.proposal_days),
        decision: today - chrono::Duration::days(clocks.decision_days),
        request: today - chrono::Duration::days(clocks.dissolve_working_days.min(clocks.terminate_working_days)),
    };
    let overdue: Vec<_> = store::overdue(&ctx.db, &province, commune.as_deref(), before, limit + 1)
        .await?
        .into_iter()
        .filter_map(|p| pending_deadline(&p, &clocks, &calendar, today).filter(|d| d.overdue()).map(|d| (p, d)))
        .collect();
    truncated |= overdue.len() as i64 > limit;
    for (p, dl) in overdue.into_iter().take(limit as usize) {
        {
            let member = p.kind == "member";
            items.push(Alert {
                kind: WarningKind::OverdueDecision,
                commune_code: p.commune_code,
                area_id: None,
                team_id: Some(p.team_id),
                member_id: member.then_some(p.id),
                subject: p.name,
                message: format!("{}: hạn {}, quá hạn {} ngày.", dl.what, dl.due_on.format("%d/%m/%Y"), -dl.days_left),
            });
        }
    }
    Ok(Alerts { unit: commune.unwrap_or(province), counts, items, truncated, limit })
}

/// The clock of a pending team or member row.
fn pending_deadline(
    p: &store::Pending,
    c: &antq_domain::force::clock::ClockRules,
    cal: &antq_domain::calendar::WorkCalendar,
    today: NaiveDate,
) -> Option<antq_domain::force::Deadline> {
    use antq_domain::force::clock::{Deadline, add_days};
    let member = p.kind == "member";
    match p.state.as_str() {
        "du_kien" | "da_xet_tuyen" => {
            p.selection_on.map(|s| Deadline::new("Đề nghị (Mẫu 05)", add_days(s, c.proposal_days), today))
        }
        "cho_quyet_dinh" => {
            p.proposed_on.map(|s| Deadline::new("Quyết định (Mẫu 08)", add_days(s, c.decision_days), today))
        }
        "cho_giai_the" => p
            .requested_on
            .map(|s| Deadline::new("Quyết định giải thể", cal.add_working_days(s, c.dissolve_working_days), today)),
        "dang_tham_gia" if member => p.requested_on.map(|s| {
            Deadline::new("Quyết định cho thôi tham gia", cal.add_working_days(s, c.terminate_working_days), today)
        }),
        _ => None,
    }
}

fn add(total: &mut AlertCounts, c: &AlertCounts) {
    total.areas_without_team += c.areas_without_team;
    total.areas_below_teams += c.areas_below_teams;
    total.no_leader += c.no_leader;
    total.many_leaders += c.many_leaders;
    total.too_many_deputies += c.too_many_deputies;
    total.below_quota += c.below_quota;
    total.above_quota += c.above_quota;
    total.reaching_age_limit += c.reaching_age_limit;
}

/// An [`AlertScope`] with owned parts.
struct OwnedScope {
    province: String,
    commune: Option<String>,
    quota: antq_domain::force::Quota,
    deputies_max: i64,
    age_max: i64,
    born_by: NaiveDate,
}

impl OwnedScope {
    fn as_scope(&self) -> AlertScope<'_> {
        AlertScope {
            province: &self.province,
            commune: self.commune.as_deref(),
            quota: &self.quota,
            deputies_max: self.deputies_max,
            born_by: self.born_by,
        }
    }
}

fn scope_of(rules: &ForceRules, province: &str, commune: Option<&str>, today: NaiveDate) -> AppResult<OwnedScope> {
    let age_max = rules.number(RuleCode::ForceAgeMax)?;
    // Born on or before this day: the age limit is reached within the alert window.
    let horizon = today + chrono::Duration::days(AGE_ALERT_DAYS);
    let born_by = birthday(horizon, -age_max);
    if born_by > horizon {
        return Err(AppError::Internal("ngày sinh giới hạn không hợp lệ".into()));
    }
    Ok(OwnedScope {
        province: province.to_string(),
        commune: commune.map(Into::into),
        quota: rules.quota()?,
        deputies_max: rules.number(RuleCode::ForceDeputiesMax)?,
        age_max,
        born_by,
    })
}
