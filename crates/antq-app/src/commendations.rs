//! The commendations register (C11): proposals and awards, the workflow đề xuất → trình →
//! quyết định (or không được khen), a Kỷ niệm chương at most once per person, the members the
//! force module finds eligible offered as proposals, and counts by form × level × recipient.

use std::collections::HashMap;

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::commendation::{
    Commendation, CommendationAction, CommendationFields, CommendationForm, CommendationInput, CommendationLevel,
    CommendationState, CommendationStep, CommendationStepInput, RecipientKind,
};
use antq_domain::page::{Page, PageRequest};
use antq_domain::rules::RuleCode;
use antq_domain::table::{StatRow, StatTable, column};
use antq_store::commendations::{self as store, CommendationFilter, NewCommendation, Step};

use crate::areas::non_empty;
use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

pub mod files;

/// List filters as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct CommendationQuery {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Form code.
    pub form: Option<String>,
    /// State code.
    pub state: Option<String>,
    /// Recipient kind code.
    pub recipient_kind: Option<String>,
    /// Movement year rewarded.
    pub movement_year: Option<i32>,
    /// Year of the decision.
    pub decided_year: Option<i32>,
    /// Words of the recipient's name or the reason.
    pub q: Option<String>,
    /// Of this member of the force.
    pub member_id: Option<i64>,
    /// Of this model.
    pub model_id: Option<i64>,
}

impl CommendationQuery {
    /// The store filter, narrowed to the actor's scope.
    pub fn filter(&self, actor: &Actor) -> AppResult<CommendationFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        Ok(CommendationFilter {
            province,
            commune,
            form: non_empty(&self.form),
            state: non_empty(&self.state),
            recipient_kind: non_empty(&self.recipient_kind),
            movement_year: self.movement_year,
            decided_year: self.decided_year,
            q: non_empty(&self.q),
            member_id: self.member_id,
            model_id: self.model_id,
        })
    }
}

/// One page of the register in scope.
pub async fn list(
    ctx: &AppCtx,
    actor: &Actor,
    q: &CommendationQuery,
    page: PageRequest,
) -> AppResult<Page<Commendation>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_page(&ctx.db, &q.filter(actor)?, page).await?)
}

/// The whole register in scope matching the filters (exports).
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &CommendationQuery) -> AppResult<Vec<Commendation>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_all(&ctx.db, &q.filter(actor)?).await?)
}

/// One commendation, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Commendation> {
    let c = store::get(&ctx.db, id).await.not_found_as("khen thưởng")?;
    actor.require_in_scope(Permission::ReadRegistry, &c.province_code, c.commune_code.as_deref())?;
    Ok(c)
}

/// The steps `actor` may take on `c` now.
pub fn actions(actor: &Actor, c: &Commendation) -> Vec<CommendationAction> {
    c.state
        .allowed()
        .into_iter()
        .filter(|a| may(actor, c.level, (&c.province_code, c.commune_code.as_deref()), *a).is_ok())
        .collect()
}

/// Whether `actor` may take `action` on a commendation of `level` in a place: anyone who
/// writes the register of the place files and submits; the decision of a commune's own
/// commendation is recorded by the commune, every other level's by the province (it approves).
fn may(
    actor: &Actor,
    level: CommendationLevel,
    (province, commune): (&str, Option<&str>),
    action: CommendationAction,
) -> AppResult<()> {
    match action {
        CommendationAction::Submit => actor.require_in_scope(Permission::WriteRegistry, province, commune),
        _ if level.is_commune() => actor.require_in_scope(Permission::WriteRegistry, province, commune),
        _ => actor.require_in_scope(Permission::ApproveEvaluations, province, None).map_err(|_| {
            AppError::Forbidden(format!(
                "Quyết định khen thưởng {} do Công an tỉnh ghi nhận (quyền duyệt của cấp tỉnh).",
                level.label().to_lowercase()
            ))
        }),
    }
}

/// The person-level key of a Kỷ niệm chương: its form and the keyed hash of the citizen id.
fn medal_key(form: CommendationForm, index: &str) -> String {
    format!("{}:{index}", form.code())
}

/// The recipient as resolved from its record: place, name, links.
struct Recipient {
    province: String,
    commune: Option<String>,
    name: String,
    establishment_id: Option<i64>,
    model_id: Option<i64>,
    team_id: Option<i64>,
    member_id: Option<i64>,
    index: Option<String>,
    last4: Option<String>,
    eligibility: Option<String>,
}

fn missing(field: &str, what: &str, id: i64) -> AppError {
    FieldErrors::single(field, format!("Không có {what} số {id}.")).into()
}

/// Resolves the recipient and the place of a commendation: a linked record gives its own
/// place and name; otherwise the commune typed (or the actor's province).
async fn recipient(
    ctx: &AppCtx,
    actor: &Actor,
    input: &CommendationInput,
    f: &CommendationFields,
) -> AppResult<Recipient> {
    let typed = f.recipient_name.clone().unwrap_or_default();
    let mut r = Recipient {
        province: String::new(),
        commune: None,
        name: typed.clone(),
        establishment_id: None,
        model_id: None,
        team_id: None,
        member_id: None,
        index: None,
        last4: f.citizen_id.as_ref().map(|c| c[c.len() - 4..].to_string()),
        eligibility: None,
    };
    let db = &ctx.db;
    match f.recipient_kind {
        RecipientKind::CoSo => {
            let id = input.establishment_id.unwrap_or_default();
            let x = antq_store::establishments::get(db, antq_domain::ids::EstablishmentId(id))
                .await
                .map_err(|_| missing("establishment_id", "cơ quan, doanh nghiệp", id))?;
            (r.province, r.commune, r.name, r.establishment_id) =
                (x.province_code, Some(x.commune_code), x.name, Some(id));
        }
        RecipientKind::MoHinh => {
            let id = input.model_id.unwrap_or_default();
            let m = antq_store::models::get(db, antq_domain::ids::ModelId(id))
                .await
                .map_err(|_| missing("model_id", "mô hình", id))?;
            (r.province, r.commune, r.name, r.model_id) = (m.province_code, m.commune_code, m.name, Some(id));
        }
        RecipientKind::ToBaoVe => {
            let id = input.team_id.unwrap_or_default();
            let t = antq_store::force::teams::get(db, antq_domain::ids::ForceTeamId(id))
                .await
                .map_err(|_| missing("team_id", "Tổ bảo vệ ANTT", id))?;
            (r.province, r.commune, r.name, r.team_id) = (t.province_code, Some(t.commune_code), t.name, Some(id));
        }
        RecipientKind::ThanhVien => {
            let id = input.member_id.unwrap_or_default();
            let mid = antq_domain::ids::MemberId(id);
            let m =
                antq_store::force::members::get(db, mid).await.map_err(|_| missing("member_id", "thành viên", id))?;
            let cid = antq_store::force::members::cid(db, mid).await?;
            (r.province, r.commune, r.name, r.member_id) =
                (m.province_code, Some(m.commune_code), m.full_name, Some(id));
            (r.index, r.last4) = (Some(cid.index), Some(cid.last4));
        }
        RecipientKind::TapThe | RecipientKind::CanBo | RecipientKind::CongDan => {
            match non_empty(&input.commune_code) {
                Some(c) => {
                    let (p, c) = crate::units::commune_place(ctx, &c, "commune_code").await?;
                    (r.province, r.commune) = (p, Some(c));
                }
                None => match (actor.scope.province(), actor.scope.commune()) {
                    (Some(p), c) => (r.province, r.commune) = (p.to_string(), c.map(Into::into)),
                    (None, _) => {
                        return Err(FieldErrors::single(
                            "commune_code",
                            "Chọn xã hoặc tỉnh của tập thể, cá nhân được khen.",
                        )
                        .into());
                    }
                },
            }
            r.index = f.citizen_id.as_deref().map(|c| ctx.identity_key.cid_index(c));
        }
    }
    Ok(r)
}

/// What the rules of a leader's Kỷ niệm chương (TT 20/2025) say about the years and the
/// earlier commendations declared.
async fn leader_eligibility(ctx: &AppCtx, province: &str, f: &CommendationFields) -> AppResult<Option<String>> {
    if !(f.form.is_medal() && f.recipient_kind == RecipientKind::CanBo) {
        return Ok(None);
    }
    let rules = crate::rules::RulesOn::load(ctx, province, ctx.today()).await?;
    let years = rules.number(RuleCode::KncLeaderYears)?;
    let prior = rules.number(RuleCode::KncLeaderPrior)?;
    let (y, p) = (f.tenure_years.unwrap_or(0), f.prior_commendations.unwrap_or(0));
    Ok(Some(if y >= years && p >= prior {
        format!("Đủ điều kiện: {y} năm giữ chức vụ (cần {years}), {p} lần khen thưởng (cần {prior}).")
    } else {
        format!("Chưa đủ điều kiện: {y} năm giữ chức vụ (cần {years}), {p} lần khen thưởng (cần {prior}).")
    }))
}

/// A commendation checked and resolved, ready to be written.
pub(crate) struct Prepared {
    fields: CommendationFields,
    r: Recipient,
    state: CommendationState,
    key: Option<String>,
    eligibility: Option<String>,
}

impl Prepared {
    pub(crate) fn place(&self) -> (&str, Option<&str>) {
        (&self.r.province, self.r.commune.as_deref())
    }

    pub(crate) fn medal_key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    pub(crate) fn row<'a>(&'a self, actor: &'a Actor, today: chrono::NaiveDate) -> NewCommendation<'a> {
        NewCommendation {
            province: &self.r.province,
            commune: self.r.commune.as_deref(),
            fields: &self.fields,
            recipient_name: &self.r.name,
            establishment_id: self.r.establishment_id,
            model_id: self.r.model_id,
            team_id: self.r.team_id,
            member_id: self.r.member_id,
            citizen_last4: self.r.last4.clone(),
            medal_key: self.key.clone(),
            eligibility: self.eligibility.clone(),
            state: self.state,
            by: &actor.username,
            today,
        }
    }
}

/// Checks a commendation for `actor`: fields, recipient, scope, who may record a decision,
/// and a Kỷ niệm chương the person already has.
pub(crate) async fn prepare(ctx: &AppCtx, actor: &Actor, input: &CommendationInput) -> AppResult<Prepared> {
    let f = input.validate(ctx.today())?;
    let r = recipient(ctx, actor, input, &f).await?;
    actor.require_in_scope(Permission::WriteRegistry, &r.province, r.commune.as_deref())?;
    let state = if f.decision.is_some() {
        may(actor, f.level, (&r.province, r.commune.as_deref()), CommendationAction::Decide)?;
        CommendationState::DaQuyetDinh
    } else {
        CommendationState::DeXuat
    };
    let key = if f.form.is_medal() { r.index.as_deref().map(|i| medal_key(f.form, i)) } else { None };
    if let Some(k) = &key
        && let Some(prev) = store::medal_of(&ctx.db, k).await?
    {
        return Err(already(&prev));
    }
    let eligibility = match r.eligibility.clone() {
        Some(e) => Some(e),
        None => leader_eligibility(ctx, &r.province, &f).await?,
    };
    Ok(Prepared { fields: f, r, state, key, eligibility })
}

/// The answer to a second Kỷ niệm chương the database refused.
pub(crate) fn second_medal(e: antq_store::StoreError) -> AppError {
    match e {
        antq_store::StoreError::Conflict => {
            AppError::Conflict("Kỷ niệm chương này đã được đề nghị hoặc tặng cho người này (mỗi người một lần).".into())
        }
        other => other.into(),
    }
}

/// Files a proposal, or records an award already decided (with its decision number and date).
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, input: &CommendationInput) -> AppResult<Commendation> {
    actor.require(Permission::WriteRegistry)?;
    let p = prepare(ctx, actor, input).await?;
    let mut tx = ctx.db.begin().await?;
    let id = store::insert_many(&mut tx, &[p.row(actor, ctx.today())], ctx.now()).await.map_err(second_medal)?[0];
    let logged = CommendationInput { citizen_id: None, recipient_name: Some(p.r.name.clone()), ..input.clone() };
    let (province, commune) = p.place();
    let target = Target::placed("commendation", id, province, commune);
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &logged)).await?;
    tx.commit().await?;
    Ok(store::get(&ctx.db, id).await?)
}

fn already(prev: &Commendation) -> AppError {
    let when = match (&prev.decision_no, prev.decided_on) {
        (Some(no), Some(on)) => format!("theo Quyết định {no} ngày {}", on.format("%d/%m/%Y")),
        _ => format!("đề xuất ngày {} (đang ở «{}»)", prev.proposed_on.format("%d/%m/%Y"), prev.state.label()),
    };
    AppError::Conflict(format!(
        "{} chỉ tặng mỗi người một lần: «{}» đã có {when} (hồ sơ số {}).",
        prev.form.label(),
        prev.recipient_name,
        prev.id
    ))
}

/// Takes a step of the workflow.
#[tracing::instrument(skip_all, fields(id))]
pub async fn step(ctx: &AppCtx, actor: &Actor, id: i64, input: &CommendationStepInput) -> AppResult<Commendation> {
    let c = get(ctx, actor, id).await?;
    let s = input.validate(ctx.today())?;
    may(actor, c.level, (&c.province_code, c.commune_code.as_deref()), s.action())?;
    let to = c.state.apply(s.action()).map_err(AppError::Conflict)?;
    let today = ctx.today();
    let step = match &s {
        CommendationStep::Submit => Step::Submit { by: &actor.username, on: today },
        CommendationStep::Return(comment) => Step::Return { comment },
        CommendationStep::Decide { decision_no, decided_on, authority, cash_vnd } => {
            if *decided_on < c.proposed_on {
                return Err(FieldErrors::single("decided_on", "Ngày quyết định không được trước ngày đề xuất.").into());
            }
            Step::Decide {
                by: &actor.username,
                decision_no,
                decided_on: *decided_on,
                authority: authority.as_deref(),
                cash_vnd: *cash_vnd,
            }
        }
        CommendationStep::Refuse(comment) => Step::Refuse { by: &actor.username, comment },
    };
    let mut tx = ctx.db.begin().await?;
    store::step(&mut tx, id, (c.state, to), &step, ctx.now()).await.map_err(|e| match e {
        antq_store::StoreError::Conflict | antq_store::StoreError::NotFound => {
            AppError::Conflict("Hồ sơ khen thưởng vừa được người khác chuyển bước; hãy tải lại trang.".into())
        }
        other => other.into(),
    })?;
    let mut changes = vec![antq_domain::model::Change {
        field: "state".into(),
        before: Some(c.state.code().into()),
        after: Some(to.code().into()),
    }];
    if let CommendationStep::Decide { decision_no, .. } = &s {
        changes.extend(audit::note("decision_no", decision_no.clone()));
    }
    let target = Target::placed("commendation", id, &c.province_code, c.commune_code.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Transition, target, &changes).await?;
    tx.commit().await?;
    Ok(store::get(&ctx.db, id).await?)
}

/// Members of the scope the force module finds eligible for the Kỷ niệm chương «Bảo vệ an
/// ninh Tổ quốc» who hold none and have none proposed: the proposals to file.
pub async fn medal_proposals(
    ctx: &AppCtx,
    actor: &Actor,
    commune: Option<&str>,
) -> AppResult<Vec<crate::force::medal::MedalLine>> {
    let lines = crate::force::medal::report(ctx, actor, commune).await?;
    let (province, commune) = actor.narrow(None, commune.map(str::to_string).filter(|c| !c.is_empty()))?;
    let held = store::medal_keys(&ctx.db).await?;
    let indexes: HashMap<i64, String> =
        antq_store::force::members::active_indexes(&ctx.db, province.as_deref(), commune.as_deref())
            .await?
            .into_iter()
            .collect();
    Ok(lines
        .into_iter()
        .filter(|l| l.standing.eligible)
        .filter(|l| {
            indexes.get(&l.member_id).is_none_or(|i| !held.contains(&medal_key(CommendationForm::KncBaoVeAnNinh, i)))
        })
        .collect())
}

/// The statistics asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct CommendationStatsQuery {
    /// Year of the decisions (default: this year).
    pub year: Option<i32>,
    /// Province (national scope).
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Rows: `form` (default: form × recipient kind) or `place` (places × level); or the
    /// place recorded before 1 July 2025: `legacy_province`, `legacy_district`, `legacy_commune`.
    pub by: Option<String>,
    /// The map of a day (YYYY-MM-DD): before 1 July 2025, `place` is the former province
    /// (nationally) or district.
    pub as_of: Option<String>,
}

/// Decided commendations of a year in scope: by form × recipient kind, or by place × level,
/// with the cash given.
#[tracing::instrument(skip_all)]
pub async fn stats(ctx: &AppCtx, actor: &Actor, q: &CommendationStatsQuery) -> AppResult<StatTable> {
    use chrono::Datelike;
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(non_empty(&q.province), non_empty(&q.commune))?;
    let year = q.year.unwrap_or(ctx.today().year());
    if !(2000..=2100).contains(&year) {
        return Err(FieldErrors::single("year", "Năm phải từ 2000 đến 2100.").into());
    }
    let by = non_empty(&q.by).unwrap_or_else(|| "form".into());
    if let Some(level) = crate::former_stats::level_of(Some(&by), q.as_of.as_deref(), province.is_none())? {
        use crate::former_stats::{FormerColumn, row_header, table, window};
        use antq_store::official::Measure;
        const COLUMNS: &[FormerColumn] = &[
            FormerColumn { measure: Measure::Commendations, index: 0, code: "total", label: "Tổng số" },
            FormerColumn {
                measure: Measure::Commendations, index: 1, code: "cash_vnd", label: "Tiền thưởng (đồng)"
            },
        ];
        let title = format!("Khen thưởng năm {year} theo {}", row_header(level).to_lowercase());
        let place = (province.as_deref(), commune.as_deref());
        return table(ctx, title, COLUMNS, level, place, window(year, (1, 12))).await;
    }
    let counts = store::decided_counts(&ctx.db, year, (province.as_deref(), commune.as_deref())).await?;
    match non_empty(&q.by).as_deref() {
        None | Some("form") => {
            let mut cols: Vec<_> = RecipientKind::ALL.iter().map(|k| column(k.code(), k.label())).collect();
            cols.push(column("total", "Tổng số"));
            cols.push(column("cash_vnd", "Tiền thưởng (đồng)"));
            let mut rows = Vec::new();
            for form in CommendationForm::ALL {
                let levels: Vec<CommendationLevel> = match form.fixed_level() {
                    Some(l) => vec![l],
                    None => CommendationLevel::ALL.to_vec(),
                };
                for level in levels {
                    let mine: Vec<_> =
                        counts.iter().filter(|c| c.form == form.code() && c.level == level.code()).collect();
                    if mine.is_empty() && form.fixed_level().is_none() {
                        continue;
                    }
                    let mut values: Vec<i64> = RecipientKind::ALL
                        .iter()
                        .map(|k| mine.iter().filter(|c| c.recipient_kind == k.code()).map(|c| c.count).sum())
                        .collect();
                    values.push(mine.iter().map(|c| c.count).sum());
                    values.push(mine.iter().map(|c| c.cash_vnd).sum());
                    let label = if form.fixed_level().is_some() {
                        form.label().to_string()
                    } else {
                        format!("{} ({})", form.label(), level.label().to_lowercase())
                    };
                    rows.push(StatRow { code: format!("{}.{}", form.code(), level.code()), label, values });
                }
            }
            Ok(StatTable::new(
                format!("Khen thưởng năm {year} theo hình thức và đối tượng"),
                "Hình thức khen thưởng",
                cols,
                rows,
            ))
        }
        Some("place") => {
            let mut cols: Vec<_> = CommendationLevel::ALL.iter().map(|l| column(l.code(), l.label())).collect();
            cols.push(column("individuals", "Cá nhân"));
            cols.push(column("collectives", "Tập thể"));
            cols.push(column("total", "Tổng số"));
            cols.push(column("cash_vnd", "Tiền thưởng (đồng)"));
            let places = crate::activities::stats::scope_places(ctx, province.as_deref(), commune.as_deref()).await?;
            let rows = places
                .into_iter()
                .map(|(code, label)| {
                    let mine: Vec<_> = counts.iter().filter(|c| c.place == code).collect();
                    let sum = |pred: &dyn Fn(&store::DecidedCount) -> bool| -> i64 {
                        mine.iter().filter(|c| pred(c)).map(|c| c.count).sum()
                    };
                    let mut values: Vec<i64> =
                        CommendationLevel::ALL.iter().map(|l| sum(&|c| c.level == l.code())).collect();
                    let individual = |c: &store::DecidedCount| {
                        RecipientKind::from_code(&c.recipient_kind).is_some_and(RecipientKind::is_individual)
                    };
                    values.push(sum(&individual));
                    values.push(sum(&|c| !individual(c)));
                    values.push(mine.iter().map(|c| c.count).sum());
                    values.push(mine.iter().map(|c| c.cash_vnd).sum());
                    StatRow { code, label, values }
                })
                .collect();
            Ok(StatTable::new(format!("Khen thưởng năm {year} theo địa bàn"), "Địa bàn", cols, rows))
        }
        Some(other) => Err(FieldErrors::single(
            "by",
            format!(
                "Không thống kê theo «{other}». Chọn: form, place, legacy_province, legacy_district, legacy_commune."
            ),
        )
        .into()),
    }
}
