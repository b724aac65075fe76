//! The yearly rating of teams and members (HD 01/HD-BCA-V05) on one sheet per commune and
//! year: the commune officer rates every established team and active member, submits; the
//! province officer returns, approves (locks) or unlocks with a reason — the workflow of the
//! model ratings. The cap on "xuất sắc" and "leader not above the team" are checked on
//! saving (leader) and on submission and approval (both), with the rule values in force.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::force::rating::{ForceLevel, ForceRatingInput, check_cap, check_leader, excellent_allowed, too_new};
use antq_domain::force::rating::{ForceRating, ForceSheet};
use antq_domain::force::{MemberRole, MemberState};
use antq_domain::rating::SheetAction;
use antq_domain::rules::RuleCode;
use antq_store::force::ratings as store;
use chrono::NaiveDate;

use super::ForceRules;
use crate::audit::{self, Target};
use crate::{Actor, AppCtx, AppError, AppResult};

/// One line of a sheet: a team, or a member under it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SheetLine {
    /// Team.
    pub team_id: i64,
    /// Member (`None`: the team).
    pub member_id: Option<i64>,
    /// Team or member name.
    pub name: String,
    /// Role of a member.
    pub role: Option<MemberRole>,
    /// Established or recognised on.
    pub since: Option<NaiveDate>,
    /// Why only "chưa đánh giá" is possible.
    pub forced: Option<String>,
    /// The rating entered.
    pub rating: Option<ForceRating>,
}

/// Counts per level ([`ForceLevel::ALL`] order) of teams and of members, and the cap.
#[derive(Clone, Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct SheetSummary {
    /// Teams per level.
    pub teams: Vec<i64>,
    /// Members per level.
    pub members: Vec<i64>,
    /// Most "xuất sắc" teams allowed.
    pub teams_excellent_allowed: i64,
    /// Most "xuất sắc" members allowed.
    pub members_excellent_allowed: i64,
    /// Lines not rated yet.
    pub unrated: i64,
}

/// A commune's sheet of a year.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = ForceSheetView)]
pub struct SheetView {
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: String,
    /// Year.
    pub year: i32,
    /// First day of the period.
    pub period_from: NaiveDate,
    /// Last day.
    pub period_to: NaiveDate,
    /// The sheet (`None`: not opened yet).
    pub sheet: Option<ForceSheet>,
    /// Minimum months (rule `force_min_months`).
    pub min_months: i64,
    /// Cap (rule `force_excellent_cap_pct`).
    pub cap_pct: i64,
    /// Teams, each followed by its members.
    pub lines: Vec<SheetLine>,
    /// Counts.
    pub summary: SheetSummary,
}

async fn place(ctx: &AppCtx, actor: &Actor, commune: &str) -> AppResult<(String, String)> {
    let (p, c) = crate::units::commune_place(ctx, commune, "commune").await?;
    actor.require_in_scope(Permission::ReadRegistry, &p, Some(&c))?;
    Ok((p, c))
}

/// The sheet of a commune and year with every team and member to rate.
pub async fn sheet(ctx: &AppCtx, actor: &Actor, commune: &str, year: i32) -> AppResult<SheetView> {
    let (province, commune) = place(ctx, actor, commune).await?;
    let rules = ForceRules::load(ctx, &province, ctx.today()).await?;
    let (period_from, period_to) = rules.rating_period(year)?;
    let rules = ForceRules::load(ctx, &province, period_to).await?;
    let min_months = rules.number(RuleCode::ForceMinMonths)?;
    let cap_pct = rules.number(RuleCode::ForceExcellentCapPct)?;
    let sheet = store::sheet(&ctx.db, &commune, year).await?;
    let ratings = match &sheet {
        Some(s) => store::ratings(&ctx.db, s.id).await?,
        None => Vec::new(),
    };
    let find = |team: i64, member: Option<i64>| {
        ratings.iter().find(|r| r.member_id == member && (member.is_some() || r.team_id == team)).cloned()
    };
    let teams = antq_store::force::teams::list_all(
        &ctx.db,
        &antq_store::force::TeamFilter { commune: Some(commune.clone()), ..Default::default() },
    )
    .await?;
    let members = antq_store::force::members::list_all(
        &ctx.db,
        &antq_store::force::MemberFilter {
            commune: Some(commune.clone()),
            state: Some(MemberState::DangThamGia.code().into()),
            ..Default::default()
        },
    )
    .await?;
    let mut lines = Vec::new();
    for t in teams.iter().filter(|t| t.state.is_established() && t.decided_on.is_some_and(|d| d <= period_to)) {
        lines.push(SheetLine {
            team_id: t.id.0,
            member_id: None,
            name: t.name.clone(),
            role: None,
            since: t.decided_on,
            forced: too_new(t.decided_on, period_to, min_months, "Tổ thành lập"),
            rating: find(t.id.0, None),
        });
        let mut ms: Vec<_> =
            members.iter().filter(|m| m.team_id == t.id && m.decided_on.is_some_and(|d| d <= period_to)).collect();
        ms.sort_by_key(|m| (m.role.rank(), m.full_name.clone()));
        for m in ms {
            lines.push(SheetLine {
                team_id: t.id.0,
                member_id: Some(m.id.0),
                name: m.full_name.clone(),
                role: Some(m.role),
                since: m.decided_on,
                forced: too_new(m.decided_on, period_to, min_months, "Tham gia"),
                rating: find(t.id.0, Some(m.id.0)),
            });
        }
    }
    let summary = summarise(&lines, cap_pct);
    Ok(SheetView {
        province_code: province,
        commune_code: commune,
        year,
        period_from,
        period_to,
        sheet,
        min_months,
        cap_pct,
        lines,
        summary,
    })
}

fn summarise(lines: &[SheetLine], cap_pct: i64) -> SheetSummary {
    let mut s = SheetSummary {
        teams: vec![0; ForceLevel::ALL.len()],
        members: vec![0; ForceLevel::ALL.len()],
        ..Default::default()
    };
    for l in lines {
        match &l.rating {
            None => s.unrated += 1,
            Some(r) => {
                let i = ForceLevel::ALL.iter().position(|x| *x == r.level).unwrap_or(0);
                if l.member_id.is_some() { s.members[i] += 1 } else { s.teams[i] += 1 }
            }
        }
    }
    s.teams_excellent_allowed = excellent_allowed(s.teams[1], cap_pct);
    s.members_excellent_allowed = excellent_allowed(s.members[1], cap_pct);
    s
}

/// Problems that stop a submission or an approval.
fn sheet_problems(v: &SheetView) -> Vec<String> {
    let mut out = Vec::new();
    if v.summary.unrated > 0 {
        out.push(format!("Còn {} tổ, thành viên chưa xếp loại.", v.summary.unrated));
    }
    if let Err(m) = check_cap(v.summary.teams[0], v.summary.teams[1], v.cap_pct, "tổ") {
        out.push(m);
    }
    if let Err(m) = check_cap(v.summary.members[0], v.summary.members[1], v.cap_pct, "thành viên") {
        out.push(m);
    }
    for l in v.lines.iter().filter(|l| l.role == Some(MemberRole::ToTruong)) {
        let team =
            v.lines.iter().find(|t| t.member_id.is_none() && t.team_id == l.team_id).and_then(|t| t.rating.as_ref());
        if let (Some(t), Some(r)) = (team, &l.rating)
            && let Err(m) = check_leader(t.level, r.level, r.newly_transferred)
        {
            out.push(format!("{}: {m}", l.name));
        }
    }
    out
}

fn target(v: &SheetView) -> Target {
    Target {
        kind: "force_rating_sheet",
        id: v.sheet.as_ref().map(|s| s.id.to_string()),
        province: Some(v.province_code.clone()),
        commune: Some(v.commune_code.clone()),
    }
}

/// Opens the sheet of a commune and year.
#[tracing::instrument(skip_all)]
pub async fn open(ctx: &AppCtx, actor: &Actor, commune: &str, year: i32) -> AppResult<SheetView> {
    let v = sheet(ctx, actor, commune, year).await?;
    actor.require_in_scope(Permission::WriteRegistry, &v.province_code, Some(&v.commune_code))?;
    if v.sheet.is_some() {
        return Err(AppError::Conflict(format!("Xã đã mở kỳ xếp loại năm {year}.")));
    }
    if v.period_from > ctx.today() {
        return Err(FieldErrors::single("year", format!("Kỳ xếp loại năm {year} chưa bắt đầu.")).into());
    }
    let mut tx = ctx.db.begin().await?;
    store::create_sheet(&mut tx, &v.province_code, &v.commune_code, year, ctx.now()).await?;
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target(&v), &audit::note("year", year.to_string())).await?;
    tx.commit().await?;
    sheet(ctx, actor, commune, year).await
}

/// Enters or changes the rating of a team or member.
#[tracing::instrument(skip_all)]
pub async fn rate(
    ctx: &AppCtx,
    actor: &Actor,
    commune: &str,
    year: i32,
    input: &ForceRatingInput,
) -> AppResult<SheetView> {
    let v = sheet(ctx, actor, commune, year).await?;
    actor.require_in_scope(Permission::WriteRegistry, &v.province_code, Some(&v.commune_code))?;
    let Some(s) = &v.sheet else {
        return Err(AppError::Conflict(format!("Xã chưa mở kỳ xếp loại năm {year}.")));
    };
    if !s.state.editable() {
        return Err(AppError::Conflict(format!("Kết quả xếp loại đang «{}», không sửa được.", s.state.label())));
    }
    let line = v
        .lines
        .iter()
        .find(|l| l.member_id == input.member_id && (input.member_id.is_some() || Some(l.team_id) == input.team_id))
        .ok_or_else(|| {
            FieldErrors::single("member_id", "Tổ hoặc thành viên này không thuộc danh sách xếp loại của xã.")
        })?;
    let f = input.validate(line.forced.as_deref())?;
    if let Some(MemberRole::ToTruong) = line.role {
        let team =
            v.lines.iter().find(|t| t.member_id.is_none() && t.team_id == line.team_id).and_then(|t| t.rating.as_ref());
        if let Some(t) = team {
            check_leader(t.level, f.level, f.newly_transferred).map_err(|m| FieldErrors::single("level", m))?;
        }
    } else if line.member_id.is_none()
        && let Some(leader) = v.lines.iter().find(|l| l.team_id == line.team_id && l.role == Some(MemberRole::ToTruong))
        && let Some(r) = &leader.rating
    {
        check_leader(f.level, r.level, r.newly_transferred).map_err(|m| FieldErrors::single("level", m))?;
    }
    let mut tx = ctx.db.begin().await?;
    store::put_rating(&mut tx, s, line.team_id, line.member_id, &f, &actor.username, ctx.now()).await?;
    let subject = line.member_id.map_or_else(|| format!("tổ {}", line.team_id), |m| format!("thành viên {m}"));
    let changes = [audit::note("subject", subject), audit::note("level", f.level.code())].concat();
    audit::record(&mut tx, ctx, actor, AuditAction::Record, target(&v), &changes).await?;
    tx.commit().await?;
    sheet(ctx, actor, commune, year).await
}

/// Submits, returns, approves or unlocks a sheet.
#[tracing::instrument(skip_all)]
pub async fn act(
    ctx: &AppCtx,
    actor: &Actor,
    commune: &str,
    year: i32,
    action: SheetAction,
    comment: Option<&str>,
) -> AppResult<SheetView> {
    let v = sheet(ctx, actor, commune, year).await?;
    let permission =
        if action == SheetAction::Submit { Permission::WriteRegistry } else { Permission::ApproveEvaluations };
    actor.require_in_scope(permission, &v.province_code, Some(&v.commune_code))?;
    let Some(s) = &v.sheet else {
        return Err(AppError::Conflict(format!("Xã chưa mở kỳ xếp loại năm {year}.")));
    };
    let to = s.state.apply(action).map_err(AppError::Conflict)?;
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if matches!(action, SheetAction::Return | SheetAction::Unlock) && comment.is_none() {
        return Err(FieldErrors::single("comment", "Cần nêu lý do trả lại hoặc mở khoá.").into());
    }
    if matches!(action, SheetAction::Submit | SheetAction::Approve) {
        let problems = sheet_problems(&v);
        if !problems.is_empty() {
            return Err(FieldErrors::single("sheet", problems.join(" ")).into());
        }
    }
    let mut tx = ctx.db.begin().await?;
    store::move_sheet(&mut tx, s.id, s.state, to, comment, &actor.username, ctx.now())
        .await
        .map_err(|e| super::moved(e, "Kết quả xếp loại"))?;
    let audit_action = match action {
        SheetAction::Submit => AuditAction::Submit,
        SheetAction::Return => AuditAction::Return,
        SheetAction::Approve => AuditAction::Approve,
        SheetAction::Unlock => AuditAction::Unlock,
    };
    let mut changes = audit::note("state", to.code());
    if let Some(c) = comment {
        changes.extend(audit::note("comment", c));
    }
    audit::record(&mut tx, ctx, actor, audit_action, target(&v), &changes).await?;
    tx.commit().await?;
    sheet(ctx, actor, commune, year).await
}

/// The sheets of a province (or the actor's commune) for a year, with the state of each commune.
pub async fn sheets(ctx: &AppCtx, actor: &Actor, year: i32) -> AppResult<Vec<ForceSheet>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::sheets(&ctx.db, actor.scope.province(), actor.scope.commune(), year).await?)
}
