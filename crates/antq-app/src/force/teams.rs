//! Teams: list, create, edit, the establishment and dissolution steps, and their views with
//! quota, composition warnings and the running clock.

use std::collections::HashMap;

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::force::clock::Deadline;
use antq_domain::force::quota::{AppliedQuota, Warning};
use antq_domain::force::team::team_actions;
use antq_domain::force::{Team, TeamInput, TeamStep, TeamStepInput};
use antq_domain::ids::{AreaId, ForceTeamId};
use antq_domain::page::{Page, PageRequest};
use antq_store::force::members::{self as store_members, NewEvent};
use antq_store::force::{TeamFilter, teams as store};

use super::ForceRules;
use crate::areas::non_empty;
use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// List filters as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct TeamQuery {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Text in the name.
    pub q: Option<String>,
    /// State code.
    pub state: Option<String>,
    /// Include dissolved teams.
    #[serde(default)]
    pub include_dissolved: bool,
    /// Teams covering an area.
    pub area: Option<i64>,
}

impl TeamQuery {
    /// The store filter, narrowed to the actor's scope.
    pub fn filter(&self, actor: &Actor) -> AppResult<TeamFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        Ok(TeamFilter {
            province,
            commune,
            q: non_empty(&self.q),
            state: non_empty(&self.state),
            include_dissolved: self.include_dissolved,
            area: self.area.map(AreaId),
        })
    }
}

/// A team with what the rules say about it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TeamView {
    /// The team.
    #[serde(flatten)]
    pub team: Team,
    /// Its quota.
    pub quota: AppliedQuota,
    /// Composition warnings.
    pub warnings: Vec<Warning>,
    /// The running clock.
    pub deadline: Option<Deadline>,
    /// Steps allowed now.
    pub actions: Vec<String>,
}

/// The rule-derived parts of team views, loaded once per province.
pub(crate) struct Views<'a> {
    ctx: &'a AppCtx,
    rules: HashMap<String, (antq_domain::force::Quota, i64, antq_domain::force::clock::ClockRules)>,
    calendar: Option<antq_domain::calendar::WorkCalendar>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(ctx: &'a AppCtx) -> Self {
        Views { ctx, rules: HashMap::new(), calendar: None }
    }

    pub(crate) async fn view(&mut self, team: Team) -> AppResult<TeamView> {
        let today = self.ctx.today();
        if !self.rules.contains_key(&team.province_code) {
            let r = ForceRules::load(self.ctx, &team.province_code, today).await?;
            let deputies = r.number(antq_domain::rules::RuleCode::ForceDeputiesMax)?;
            self.rules.insert(team.province_code.clone(), (r.quota()?, deputies, r.clocks()?));
        }
        let calendar = match self.calendar.take() {
            Some(c) => c,
            None => crate::calendar::current(self.ctx).await?,
        };
        let calendar = &*self.calendar.insert(calendar);
        let (quota, deputies, clocks) = &self.rules[&team.province_code];
        let (households, population) = team.measures();
        let applied = quota.apply(households, population);
        Ok(TeamView {
            warnings: team.warnings(*deputies, &applied),
            deadline: team.deadline(clocks, calendar, today),
            actions: team_actions(team.state).iter().map(|a| a.to_string()).collect(),
            quota: applied,
            team,
        })
    }
}

/// One page of teams in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &TeamQuery, page: PageRequest) -> AppResult<Page<TeamView>> {
    actor.require(Permission::ReadRegistry)?;
    let p = store::list(&ctx.db, &q.filter(actor)?, page).await?;
    let mut views = Views::new(ctx);
    let mut items = Vec::with_capacity(p.items.len());
    for t in p.items {
        items.push(views.view(t).await?);
    }
    Ok(Page { items, total: p.total, page: p.page, per_page: p.per_page })
}

/// Every team in scope matching the filters (pickers and exports).
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &TeamQuery) -> AppResult<Vec<Team>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_all(&ctx.db, &q.filter(actor)?).await?)
}

/// One team, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: ForceTeamId) -> AppResult<Team> {
    let t = store::get(&ctx.db, id).await.not_found_as("Tổ bảo vệ ANTT")?;
    actor.require_in_scope(Permission::ReadRegistry, &t.province_code, Some(&t.commune_code))?;
    Ok(t)
}

/// One team with its quota, warnings and clock.
pub async fn view(ctx: &AppCtx, actor: &Actor, id: ForceTeamId) -> AppResult<TeamView> {
    let t = get(ctx, actor, id).await?;
    Views::new(ctx).view(t).await
}

/// The team's trail.
pub async fn events(
    ctx: &AppCtx,
    actor: &Actor,
    id: ForceTeamId,
) -> AppResult<Vec<antq_domain::force::member::ForceEvent>> {
    get(ctx, actor, id).await?;
    Ok(store_members::events(&ctx.db, Some(id), None).await?)
}

/// Checks that every area exists, is in the commune and is not retired.
async fn check_areas(ctx: &AppCtx, commune: &str, areas: &[AreaId]) -> AppResult<()> {
    let mut e = FieldErrors::new();
    for a in areas {
        match antq_store::areas::get(&ctx.db, *a).await {
            Ok(area) if area.commune_code != commune => {
                e.add("area_ids", format!("Khu dân cư «{}» không thuộc xã của tổ.", area.name))
            }
            Ok(area) if area.valid_to.is_some() => {
                e.add("area_ids", format!("Khu dân cư «{}» đã thôi hiệu lực.", area.name))
            }
            Ok(_) => {}
            Err(antq_store::StoreError::NotFound) => e.add("area_ids", format!("Không có khu dân cư số {a}.")),
            Err(err) => return Err(err.into()),
        }
    }
    if e.is_empty() { Ok(()) } else { Err(e.into()) }
}

/// A trail entry of a team.
fn team_event<'a>(
    t: &'a Team,
    action: &'a str,
    on: Option<chrono::NaiveDate>,
    detail: Option<String>,
    actor: &'a Actor,
) -> NewEvent<'a> {
    NewEvent {
        team: t.id,
        member: None,
        province: &t.province_code,
        commune: &t.commune_code,
        action,
        on,
        detail,
        actor: &actor.username,
    }
}

/// Creates a team ("dự kiến") in a commune.
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, commune_code: &str, input: &TeamInput) -> AppResult<TeamView> {
    actor.require(Permission::WriteRegistry)?;
    let (province, commune) = crate::units::commune_place(ctx, commune_code, "commune_code").await?;
    actor.require_in_scope(Permission::WriteRegistry, &province, Some(&commune))?;
    let f = input.validate(ctx.today())?;
    check_areas(ctx, &commune, &f.area_ids).await?;
    let mut tx = ctx.db.begin().await?;
    let id = store::insert(&mut tx, &province, &commune, &f, ctx.now()).await?;
    let event = NewEvent {
        team: id,
        member: None,
        province: &province,
        commune: &commune,
        action: "create",
        on: f.selection_on,
        detail: None,
        actor: &actor.username,
    };
    store_members::add_event(&mut tx, &event, ctx.now()).await?;
    let target = Target::placed("force_team", id, &province, Some(&commune));
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &f)).await?;
    tx.commit().await?;
    view(ctx, actor, id).await
}

/// Changes a team's fields and areas (not after its dissolution).
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: ForceTeamId, input: &TeamInput) -> AppResult<TeamView> {
    let t = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &t.province_code, Some(&t.commune_code))?;
    if !t.state.is_open() {
        return Err(AppError::Conflict("Tổ đã giải thể, không sửa được.".into()));
    }
    let f = input.validate(ctx.today())?;
    check_areas(ctx, &t.commune_code, &f.area_ids).await?;
    let before = TeamInput::from(&t).validate(ctx.today()).ok();
    let changes = audit::changes(before.as_ref(), &f);
    if changes.is_empty() {
        return Views::new(ctx).view(t).await;
    }
    let mut tx = ctx.db.begin().await?;
    store::update(&mut tx, id, &t.province_code, &t.commune_code, &f, ctx.now()).await?;
    let target = Target::placed("force_team", id, &t.province_code, Some(&t.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    view(ctx, actor, id).await
}

/// Takes a step of the establishment or dissolution workflow. A dissolution ends every
/// place held in the team on the same decision.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn step(ctx: &AppCtx, actor: &Actor, id: ForceTeamId, input: &TeamStepInput) -> AppResult<TeamView> {
    let t = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &t.province_code, Some(&t.commune_code))?;
    let step = input.validate(&t, ctx.today())?;
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    store::apply_step(&mut tx, id, t.state, &step, now).await.map_err(|e| super::moved(e, "Tổ"))?;
    let (on, detail) = step_detail(&step);
    store_members::add_event(&mut tx, &team_event(&t, step.code(), on, detail, actor), now).await?;
    let mut changes = vec![antq_domain::model::Change {
        field: "state".into(),
        before: Some(t.state.code().into()),
        after: Some(step.to_state().code().into()),
    }];
    if let TeamStep::Dissolve { on, decision_no, .. } = &step {
        let closed = store_members::close_team(&mut tx, id, *on, decision_no, now).await?;
        for m in &closed {
            let e = NewEvent {
                member: Some(antq_domain::ids::MemberId(*m)),
                ..team_event(&t, "team_dissolved", Some(*on), Some(format!("Quyết định {decision_no}")), actor)
            };
            store_members::add_event(&mut tx, &e, now).await?;
        }
        changes.extend(audit::note("members_closed", closed.len().to_string()));
    }
    let target = Target::placed("force_team", id, &t.province_code, Some(&t.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Transition, target, &changes).await?;
    tx.commit().await?;
    view(ctx, actor, id).await
}

/// Day and details of a step, for the trail.
fn step_detail(s: &TeamStep) -> (Option<chrono::NaiveDate>, Option<String>) {
    match s {
        TeamStep::Propose { on } => (Some(*on), None),
        TeamStep::Establish { on, decision_no, signer } => {
            (Some(*on), Some(format!("Quyết định {decision_no}, {signer}")))
        }
        TeamStep::ProposeDissolution { on, reason } => (Some(*on), Some(reason.clone())),
        TeamStep::CancelDissolution => (None, None),
        TeamStep::Dissolve { on, decision_no, signer, reason } => {
            (Some(*on), Some(format!("Quyết định {decision_no}, {signer}: {reason}")))
        }
    }
}
