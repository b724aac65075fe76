//! Members: list (citizen id masked), entry with the eligibility checks of Luật 30/2023 Điều
//! 13 and the one-place-per-person rule, edits, the recognition and termination steps,
//! dossier documents, and reading the full citizen id (permission `read_personal_data`,
//! audited).

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::force::clock::Deadline;
use antq_domain::force::eligibility::{self, Person};
use antq_domain::force::member::{ForceEvent, MemberDocument};
use antq_domain::force::member::{MemberFields, member_actions};
use antq_domain::force::{Member, MemberInput, MemberState, MemberStep, MemberStepInput, Team, age_on};
use antq_domain::ids::{ForceTeamId, MemberId};
use antq_domain::page::{Page, PageRequest};
use antq_store::Tx;
use antq_store::force::members::{self as store, NewEvent};
use antq_store::force::{MemberFilter, NewMember, SealedCid};

use super::ForceRules;
use crate::areas::non_empty;
use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// List filters as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct MemberQuery {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Team id.
    pub team: Option<i64>,
    /// Text in the name.
    pub q: Option<String>,
    /// State code.
    pub state: Option<String>,
    /// Role code.
    pub role: Option<String>,
    /// Include former members and refused applications.
    #[serde(default)]
    pub include_former: bool,
    /// Exactly this citizen id (needs `read_personal_data`).
    pub citizen_id: Option<String>,
}

impl MemberQuery {
    /// The store filter, narrowed to the actor's scope.
    pub fn filter(&self, ctx: &AppCtx, actor: &Actor) -> AppResult<MemberFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        let cid_index = match non_empty(&self.citizen_id) {
            None => None,
            Some(raw) => {
                actor.require(Permission::ReadPersonalData)?;
                let cid =
                    antq_domain::force::parse_citizen_id(&raw).map_err(|m| FieldErrors::single("citizen_id", m))?;
                Some(ctx.identity_key.cid_index(&cid))
            }
        };
        Ok(MemberFilter {
            province,
            commune,
            team: self.team.map(ForceTeamId),
            q: non_empty(&self.q),
            state: non_empty(&self.state),
            role: non_empty(&self.role),
            include_former: self.include_former,
            cid_index,
        })
    }
}

/// A member with age, clock and allowed steps.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MemberView {
    /// The membership.
    #[serde(flatten)]
    pub member: Member,
    /// Age today.
    pub age: i64,
    /// The running clock.
    pub deadline: Option<Deadline>,
    /// Steps allowed now.
    pub actions: Vec<String>,
}

/// A province's clocks and the calendar, kept while a page of one province is read.
type Clocks = Option<(String, antq_domain::force::clock::ClockRules, antq_domain::calendar::WorkCalendar)>;

async fn view_of(ctx: &AppCtx, m: Member, clocks: &mut Clocks) -> AppResult<MemberView> {
    let today = ctx.today();
    let loaded = match clocks.take() {
        Some(c) if c.0 == m.province_code => c,
        _ => (
            m.province_code.clone(),
            ForceRules::load(ctx, &m.province_code, today).await?.clocks()?,
            crate::calendar::current(ctx).await?,
        ),
    };
    let (_, rules, calendar) = clocks.insert(loaded);
    Ok(MemberView {
        age: age_on(m.born_on, today),
        deadline: m.deadline(rules, calendar, today),
        actions: member_actions(m.state).iter().map(|a| a.to_string()).collect(),
        member: m,
    })
}

/// One page of members in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &MemberQuery, page: PageRequest) -> AppResult<Page<MemberView>> {
    actor.require(Permission::ReadRegistry)?;
    let p = store::list(&ctx.db, &q.filter(ctx, actor)?, page).await?;
    let mut clocks = None;
    let mut items = Vec::with_capacity(p.items.len());
    for m in p.items {
        items.push(view_of(ctx, m, &mut clocks).await?);
    }
    Ok(Page { items, total: p.total, page: p.page, per_page: p.per_page })
}

/// Every member in scope matching the filters (exports, sheets).
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &MemberQuery) -> AppResult<Vec<Member>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_all(&ctx.db, &q.filter(ctx, actor)?).await?)
}

/// One member, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: MemberId) -> AppResult<Member> {
    let m = store::get(&ctx.db, id).await.not_found_as("thành viên")?;
    actor.require_in_scope(Permission::ReadRegistry, &m.province_code, Some(&m.commune_code))?;
    Ok(m)
}

/// One member with age, clock and steps.
pub async fn view(ctx: &AppCtx, actor: &Actor, id: MemberId) -> AppResult<MemberView> {
    let m = get(ctx, actor, id).await?;
    view_of(ctx, m, &mut None).await
}

/// The member's trail.
pub async fn events(ctx: &AppCtx, actor: &Actor, id: MemberId) -> AppResult<Vec<ForceEvent>> {
    get(ctx, actor, id).await?;
    Ok(store::events(&ctx.db, None, Some(id)).await?)
}

/// The full citizen id of a member: the permission, the place in scope, and an audit entry.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn citizen_id(ctx: &AppCtx, actor: &Actor, id: MemberId) -> AppResult<String> {
    let m = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::ReadPersonalData, &m.province_code, Some(&m.commune_code))?;
    let sealed = store::cid(&ctx.db, id).await?;
    let cid = ctx.identity_key.open_cid(&sealed.index, &sealed.key_id, &sealed.sealed)?;
    let mut tx = ctx.db.begin().await?;
    let target = Target::placed("force_member", id, &m.province_code, Some(&m.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::PersonalRead, target, &audit::note("field", "citizen_id")).await?;
    tx.commit().await?;
    Ok(cid)
}

/// Seals a citizen id number.
pub(crate) fn seal(ctx: &AppCtx, cid: &str) -> AppResult<SealedCid> {
    let index = ctx.identity_key.cid_index(cid);
    Ok(SealedCid {
        key_id: ctx.identity_key.id().to_string(),
        sealed: ctx.identity_key.seal_cid(&index, cid)?,
        last4: cid[cid.len().saturating_sub(4)..].to_string(),
        index,
    })
}

/// The eligibility errors of a person entering `team` (empty when eligible).
pub(crate) fn eligibility_errors(rules: &ForceRules, f: &MemberFields, team: &Team) -> AppResult<FieldErrors> {
    let person = Person {
        born_on: f.born_on,
        resident_since: f.resident_since,
        education: f.education,
        health_cert_on: f.health_cert_on,
        over_age_decision: f.over_age_decision.as_deref(),
        special_area: team.special_zone(),
    };
    Ok(eligibility::check(&person, &rules.eligibility()?, f.entry_on()))
}

/// The message when a person already holds a place.
pub(crate) async fn place_taken(
    tx: &mut Tx,
    actor: &Actor,
    index: &str,
    except: Option<MemberId>,
) -> AppResult<Option<String>> {
    Ok(store::place_holder(tx, index, except).await?.map(|(team, province, commune)| {
        // The other team is named only when it is in the actor's scope.
        let place = if actor.scope.contains(&province, Some(&commune)) {
            format!("«{team}» (xã mã {commune})")
        } else {
            "một tổ ngoài địa bàn của bạn".to_string()
        };
        format!("Người có số định danh này đang là thành viên hoặc đang nộp hồ sơ vào {place}; một người chỉ tham gia một Tổ bảo vệ ANTT.")
    }))
}

fn member_event<'a>(
    m: &'a Member,
    action: &'a str,
    on: Option<chrono::NaiveDate>,
    detail: Option<String>,
    actor: &'a Actor,
) -> NewEvent<'a> {
    NewEvent {
        team: m.team_id,
        member: Some(m.id),
        province: &m.province_code,
        commune: &m.commune_code,
        action,
        on,
        detail,
        actor: &actor.username,
    }
}

/// The team a member enters: in scope, open, and established for a recognised member.
async fn entry_team(ctx: &AppCtx, actor: &Actor, team: Option<ForceTeamId>, recognised: bool) -> AppResult<Team> {
    let id = team.ok_or_else(|| FieldErrors::single("team_id", "Chưa chọn Tổ bảo vệ ANTT."))?;
    let t = match super::teams::get(ctx, actor, id).await {
        Err(AppError::NotFound(_)) => {
            return Err(FieldErrors::single("team_id", format!("Không có tổ số {id}.")).into());
        }
        other => other?,
    };
    actor.require_in_scope(Permission::WriteRegistry, &t.province_code, Some(&t.commune_code))?;
    if !t.state.is_open() {
        return Err(FieldErrors::single("team_id", format!("Tổ «{}» đã giải thể.", t.name)).into());
    }
    if recognised && !t.state.is_established() {
        return Err(FieldErrors::single(
            "team_id",
            format!("Tổ «{}» chưa có quyết định thành lập: chưa công nhận thành viên được.", t.name),
        )
        .into());
    }
    Ok(t)
}

/// Enters a member (an application, or a member already recognised when the decision is
/// given). Ineligibility answers `Invalid` naming the rule and its legal basis.
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, input: &MemberInput) -> AppResult<MemberView> {
    actor.require(Permission::WriteRegistry)?;
    let f = input.validate(ctx.today(), true)?;
    let team = entry_team(ctx, actor, f.team_id, f.recognised.is_some()).await?;
    let rules = ForceRules::load(ctx, &team.province_code, f.entry_on()).await?;
    let errs = eligibility_errors(&rules, &f, &team)?;
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let cid = seal(ctx, f.citizen_id.as_deref().unwrap_or_default())?;
    let mut tx = ctx.db.begin().await?;
    if let Some(msg) = place_taken(&mut tx, actor, &cid.index, None).await? {
        return Err(FieldErrors::single("citizen_id", msg).into());
    }
    let new =
        NewMember { team: team.id, province: &team.province_code, commune: &team.commune_code, fields: &f, cid: &cid };
    let id = store::insert(&mut tx, &new, ctx.now()).await.map_err(|e| match e {
        antq_store::StoreError::Conflict => AppError::Invalid(FieldErrors::single(
            "citizen_id",
            "Người có số định danh này đã giữ một chỗ trong Tổ bảo vệ ANTT.",
        )),
        other => other.into(),
    })?;
    let e = NewEvent {
        team: team.id,
        member: Some(id),
        province: &team.province_code,
        commune: &team.commune_code,
        action: if f.recognised.is_some() { "record" } else { "apply" },
        on: Some(f.entry_on()),
        detail: f.recognised.as_ref().map(|(n, _, s)| format!("Quyết định {n}, {s}")),
        actor: &actor.username,
    };
    store::add_event(&mut tx, &e, ctx.now()).await?;
    let mut changes = audit::changes(None::<&()>, &f);
    changes.extend(audit::note("citizen_id", antq_domain::force::mask_citizen_id(&cid.last4)));
    let target = Target::placed("force_member", id, &team.province_code, Some(&team.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &changes).await?;
    tx.commit().await?;
    view(ctx, actor, id).await
}

/// Changes a member's particulars, role, badge and certificate (and, for an application
/// not yet recognised, the team). Eligibility is checked again at the day of entry.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: MemberId, input: &MemberInput) -> AppResult<MemberView> {
    let m = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &m.province_code, Some(&m.commune_code))?;
    if !m.state.holds_place() {
        return Err(AppError::Conflict(format!("Thành viên đã «{}», không sửa được.", m.state.label())));
    }
    let mut f = input.validate(ctx.today(), false)?;
    f.recognised = m.decision_no.clone().zip(m.decided_on).map(|(n, d)| (n, d, m.signer.clone().unwrap_or_default()));
    let team_id = f.team_id.unwrap_or(m.team_id);
    if team_id != m.team_id && m.state == MemberState::DangThamGia {
        return Err(FieldErrors::single(
            "team_id",
            "Thành viên đã được công nhận không chuyển tổ được: cho thôi tham gia tổ cũ rồi nộp hồ sơ vào tổ mới.",
        )
        .into());
    }
    let team = entry_team(ctx, actor, Some(team_id), m.state == MemberState::DangThamGia).await?;
    if team.commune_code != m.commune_code {
        return Err(FieldErrors::single("team_id", "Chỉ chuyển được sang tổ cùng xã.").into());
    }
    let rules = ForceRules::load(ctx, &team.province_code, f.entry_on()).await?;
    let errs = eligibility_errors(&rules, &f, &team)?;
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let cid = match &f.citizen_id {
        Some(c) => Some(seal(ctx, c)?),
        None => None,
    };
    let before = MemberInput::from(&m).validate(ctx.today(), false).ok();
    let mut changes = audit::changes(before.as_ref(), &f);
    changes.retain(|c| c.field != "recognised");
    if let Some(c) = &cid {
        changes.extend(audit::note("citizen_id", antq_domain::force::mask_citizen_id(&c.last4)));
    }
    if changes.is_empty() {
        return view(ctx, actor, id).await;
    }
    let mut tx = ctx.db.begin().await?;
    if let Some(c) = &cid
        && let Some(msg) = place_taken(&mut tx, actor, &c.index, Some(id)).await?
    {
        return Err(FieldErrors::single("citizen_id", msg).into());
    }
    store::update(&mut tx, id, m.team_id, team.id, &f, cid.as_ref(), ctx.now()).await?;
    let target = Target::placed("force_member", id, &m.province_code, Some(&m.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    view(ctx, actor, id).await
}

/// Takes a step of the recognition or termination workflow.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn step(ctx: &AppCtx, actor: &Actor, id: MemberId, input: &MemberStepInput) -> AppResult<MemberView> {
    let m = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &m.province_code, Some(&m.commune_code))?;
    let step = input.validate(&m, ctx.today())?;
    if let MemberStep::Recognise { .. } = step {
        entry_team(ctx, actor, Some(m.team_id), true).await?;
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    store::apply_step(&mut tx, id, m.team_id, m.state, &step, now).await.map_err(|e| super::moved(e, "Thành viên"))?;
    let (on, detail) = match &step {
        MemberStep::Select { on } | MemberStep::Propose { on } => (Some(*on), None),
        MemberStep::Recognise { on, decision_no, signer, .. } => {
            (Some(*on), Some(format!("Quyết định {decision_no}, {signer}")))
        }
        MemberStep::Reject { on, reason } => (Some(*on), Some(reason.clone())),
        MemberStep::RequestTermination { on, ground } => {
            (Some(*on), Some(format!("{} ({})", ground.label(), ground.legal_basis())))
        }
        MemberStep::Terminate { on, ground, decision_no } => {
            (Some(*on), Some(format!("Quyết định {decision_no}: {} ({})", ground.label(), ground.legal_basis())))
        }
    };
    store::add_event(&mut tx, &member_event(&m, step.code(), on, detail, actor), now).await?;
    let changes = vec![antq_domain::model::Change {
        field: "state".into(),
        before: Some(m.state.code().into()),
        after: Some(step.to_state().code().into()),
    }];
    let target = Target::placed("force_member", id, &m.province_code, Some(&m.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Transition, target, &changes).await?;
    tx.commit().await?;
    view(ctx, actor, id).await
}

/// Adds a dossier document (PDF, images, DOCX, XLSX; checked by content; image metadata removed).
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn add_document(
    ctx: &AppCtx,
    actor: &Actor,
    id: MemberId,
    title: &str,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<MemberDocument> {
    let m = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &m.province_code, Some(&m.commune_code))?;
    let mut e = FieldErrors::new();
    let title = antq_domain::validate::required_text(&mut e, "title", "Tên giấy tờ", title, 200);
    let content_type = antq_domain::model::check_document_file(file_name, bytes).unwrap_or_else(|m| {
        e.add("file", m);
        ""
    });
    if !e.is_empty() {
        return Err(e.into());
    }
    let content = match antq_interchange::media::Media::sniff(bytes) {
        Some(media) if content_type.starts_with("image/") => antq_interchange::media::strip_metadata(media, bytes)
            .map_err(|m| AppError::Invalid(FieldErrors::single("file", m)))?,
        _ => bytes.to_vec(),
    };
    let file_name: String =
        file_name.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\')).take(200).collect();
    let mut tx = ctx.db.begin().await?;
    let doc_id =
        store::add_document(&mut tx, &m, &title, &file_name, content_type, &content, &actor.username, ctx.now())
            .await?;
    store::add_event(&mut tx, &member_event(&m, "document", None, Some(title.clone()), actor), ctx.now()).await?;
    let target = Target::placed("force_member", id, &m.province_code, Some(&m.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Record, target, &audit::note("document", &title)).await?;
    tx.commit().await?;
    store::documents(&ctx.db, id).await?.into_iter().find(|d| d.id == doc_id).ok_or(AppError::NotFound("giấy tờ"))
}

/// The documents of a member.
pub async fn documents(ctx: &AppCtx, actor: &Actor, id: MemberId) -> AppResult<Vec<MemberDocument>> {
    get(ctx, actor, id).await?;
    Ok(store::documents(&ctx.db, id).await?)
}

/// One document with its content.
pub async fn document(ctx: &AppCtx, actor: &Actor, id: MemberId, doc: i64) -> AppResult<(MemberDocument, Vec<u8>)> {
    get(ctx, actor, id).await?;
    store::document(&ctx.db, id, doc).await.not_found_as("giấy tờ")
}
