//! The monthly allowance sheet of a commune (Luật 30/2023 Điều 23): every member active at
//! some time in the month, at the rate of their role in force in the province on the first
//! day of the month (rules `force_allowance_*`, set by the province's HĐND resolution).

use antq_domain::access::Permission;
use antq_domain::force::{MemberRole, MemberState};
use chrono::{Datelike, NaiveDate};

use super::ForceRules;
use crate::{Actor, AppCtx, AppError, AppResult};

/// One line of the sheet.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AllowanceLine {
    /// Member.
    pub member_id: i64,
    /// Full name.
    pub full_name: String,
    /// Team.
    pub team_name: String,
    /// Role.
    pub role: MemberRole,
    /// Amount (đồng).
    pub amount: i64,
}

/// The monthly rate of a role.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RoleRate {
    /// Role.
    pub role: MemberRole,
    /// Đồng per month (`None`: the province has not set one).
    pub amount: Option<i64>,
}

/// A commune's allowance sheet of a month.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AllowanceSheet {
    /// Commune.
    pub commune_code: String,
    /// First day of the month.
    pub month: NaiveDate,
    /// Rate per role.
    pub rates: Vec<RoleRate>,
    /// Legal basis of the rates.
    pub basis: Vec<String>,
    /// Lines.
    pub lines: Vec<AllowanceLine>,
    /// Sum.
    pub total: i64,
}

/// Parses `YYYY-MM` into the first day of the month.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// The sheet of `commune` for the month starting `month`.
#[tracing::instrument(skip_all)]
pub async fn sheet(ctx: &AppCtx, actor: &Actor, commune: &str, month: NaiveDate) -> AppResult<AllowanceSheet> {
    let (province, commune) = crate::units::commune_place(ctx, commune, "commune").await?;
    actor.require_in_scope(Permission::ReadRegistry, &province, Some(&commune))?;
    let first = month.with_day(1).ok_or(AppError::Internal("tháng không hợp lệ".into()))?;
    let last = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
    let rules = ForceRules::load(ctx, &province, first).await?;
    let rates: Vec<(MemberRole, Option<(i64, String)>)> =
        MemberRole::ALL.iter().map(|r| (*r, rules.allowance(*r))).collect();
    if rates.iter().all(|(_, r)| r.is_none()) {
        return Err(AppError::Conflict(format!(
            "Tỉnh chưa có mức hỗ trợ hằng tháng áp dụng tháng {}: nhập trên trang Quy định (theo nghị quyết HĐND tỉnh).",
            first.format("%m/%Y")
        )));
    }
    let members = antq_store::force::members::list_all(
        &ctx.db,
        &antq_store::force::MemberFilter { commune: Some(commune.clone()), include_former: true, ..Default::default() },
    )
    .await?;
    let mut lines = Vec::new();
    for m in members.into_iter().filter(|m| matches!(m.state, MemberState::DangThamGia | MemberState::ThoiThamGia)) {
        let active = m.decided_on.is_some_and(|d| d <= last) && m.terminated_on.is_none_or(|t| t >= first);
        if !active {
            continue;
        }
        let amount = rates.iter().find(|(r, _)| *r == m.role).and_then(|(_, v)| v.as_ref()).map_or(0, |(n, _)| *n);
        lines.push(AllowanceLine {
            member_id: m.id.0,
            full_name: m.full_name,
            team_name: m.team_name,
            role: m.role,
            amount,
        });
    }
    let total = lines.iter().map(|l| l.amount).sum();
    let mut basis: Vec<String> = rates.iter().filter_map(|(_, r)| r.as_ref().map(|(_, b)| b.clone())).collect();
    basis.dedup();
    Ok(AllowanceSheet {
        commune_code: commune,
        month: first,
        rates: rates.into_iter().map(|(role, v)| RoleRate { role, amount: v.map(|(n, _)| n) }).collect(),
        basis,
        lines,
        total,
    })
}

/// The sheet as an XLSX file.
pub async fn export(ctx: &AppCtx, actor: &Actor, commune: &str, month: NaiveDate) -> AppResult<Vec<u8>> {
    let s = sheet(ctx, actor, commune, month).await?;
    let names = crate::units::names(ctx, [s.commune_code.clone()]).await?;
    let cols = [
        antq_interchange::Column::plain("stt", "STT"),
        antq_interchange::Column::plain("full_name", "Họ và tên"),
        antq_interchange::Column::plain("team", "Tổ bảo vệ ANTT"),
        antq_interchange::Column::plain("role", "Chức danh"),
        antq_interchange::Column::plain("amount", "Số tiền (đồng)"),
        antq_interchange::Column::plain("sign", "Ký nhận"),
    ];
    let mut rows: Vec<Vec<String>> = s
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                (i + 1).to_string(),
                l.full_name.clone(),
                l.team_name.clone(),
                l.role.label().into(),
                l.amount.to_string(),
                String::new(),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        "Tổng cộng".into(),
        String::new(),
        String::new(),
        s.total.to_string(),
        String::new(),
    ]);
    let title = format!(
        "Hỗ trợ tháng {} — {}",
        s.month.format("%m-%Y"),
        names.get(&s.commune_code).cloned().unwrap_or_else(|| s.commune_code.clone())
    );
    Ok(antq_interchange::write(antq_interchange::Format::Xlsx, &title, &cols, &rows))
}
