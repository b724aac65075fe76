//! The Kỷ niệm chương "Bảo vệ an ninh Tổ quốc" report for members (TT 20/2025/TT-BCA): for
//! every active member, the service counted (prior service plus every recognised membership
//! of the same person, time in special areas multiplied), what the person's sex requires,
//! and the latest approved rating.

use std::collections::HashMap;

use antq_domain::access::Permission;
use antq_domain::force::medal::{MedalStanding, Period};
use antq_domain::force::rating::ForceLevel;
use antq_domain::force::{MemberState, Sex};
use antq_domain::rules::months_between;

use super::ForceRules;
use crate::{Actor, AppCtx, AppResult};

/// A year's approved rating.
#[derive(Clone, Copy, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct YearRating {
    /// Year.
    pub year: i32,
    /// Level.
    pub level: ForceLevel,
}

/// One member of the report.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MedalLine {
    /// Member.
    pub member_id: i64,
    /// Full name.
    pub full_name: String,
    /// Team.
    pub team_name: String,
    /// Commune.
    pub commune_code: String,
    /// Sex.
    pub sex: Sex,
    /// Months of prior service.
    pub prior_months: i64,
    /// Months of membership (all teams).
    pub member_months: i64,
    /// Latest approved rating.
    pub last_rating: Option<YearRating>,
    /// Where the member stands.
    pub standing: MedalStanding,
}

/// Active members of the actor's scope (or a commune of it), eligible first, then by service.
#[tracing::instrument(skip_all)]
pub async fn report(ctx: &AppCtx, actor: &Actor, commune: Option<&str>) -> AppResult<Vec<MedalLine>> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(None, commune.map(str::to_string).filter(|c| !c.is_empty()))?;
    let today = ctx.today();
    let members = antq_store::force::members::list_all(
        &ctx.db,
        &antq_store::force::MemberFilter {
            province: province.clone(),
            commune: commune.clone(),
            state: Some(MemberState::DangThamGia.code().into()),
            ..Default::default()
        },
    )
    .await?;
    let indexes: HashMap<i64, String> =
        antq_store::force::members::active_indexes(&ctx.db, province.as_deref(), commune.as_deref())
            .await?
            .into_iter()
            .collect();
    let mut periods: HashMap<String, Vec<Period>> = HashMap::new();
    for (index, from, to, special) in
        antq_store::force::members::service_periods(&ctx.db, province.as_deref(), commune.as_deref()).await?
    {
        let months = months_between(from, to.map_or(today, |t| t.min(today)));
        periods.entry(index).or_default().push(Period { months, special });
    }
    let ids: Vec<i64> = members.iter().map(|m| m.id.0).collect();
    let mut last: HashMap<i64, YearRating> = HashMap::new();
    for r in antq_store::force::ratings::approved_of_members(&ctx.db, &ids).await? {
        if let Some(m) = r.member_id {
            last.entry(m).or_insert(YearRating { year: r.year, level: r.level });
        }
    }
    let mut rules_by: HashMap<String, antq_domain::force::medal::MedalRules> = HashMap::new();
    let mut out = Vec::with_capacity(members.len());
    for m in members {
        if !rules_by.contains_key(&m.province_code) {
            rules_by.insert(m.province_code.clone(), ForceRules::load(ctx, &m.province_code, today).await?.medal()?);
        }
        let rules = &rules_by[&m.province_code];
        let own = indexes.get(&m.id.0).and_then(|i| periods.get(i)).cloned().unwrap_or_default();
        let member_months: i64 = own.iter().map(|p| p.months).sum();
        let mut all = own;
        all.push(Period { months: m.prior_months - m.prior_special_months, special: false });
        all.push(Period { months: m.prior_special_months, special: true });
        let last_rating = last.get(&m.id.0).copied();
        let good = last_rating.is_some_and(|r| r.level.at_least_good());
        out.push(MedalLine {
            member_id: m.id.0,
            full_name: m.full_name,
            team_name: m.team_name,
            commune_code: m.commune_code,
            sex: m.sex,
            prior_months: m.prior_months,
            member_months,
            last_rating,
            standing: rules.standing(m.sex, &all, good),
        });
    }
    out.sort_by(|a, b| {
        (b.standing.eligible, b.standing.counted_months - b.standing.required_months)
            .cmp(&(a.standing.eligible, a.standing.counted_months - a.standing.required_months))
    });
    Ok(out)
}

/// The report as an XLSX file.
pub async fn export(ctx: &AppCtx, actor: &Actor, commune: Option<&str>) -> AppResult<Vec<u8>> {
    use antq_domain::force::medal::years_months;
    let lines = report(ctx, actor, commune).await?;
    let names = crate::units::names(ctx, lines.iter().map(|l| l.commune_code.clone())).await?;
    let cols = [
        antq_interchange::Column::plain("full_name", "Họ và tên"),
        antq_interchange::Column::plain("sex", "Giới tính"),
        antq_interchange::Column::plain("team", "Tổ bảo vệ ANTT"),
        antq_interchange::Column::plain("commune", "Xã, phường, đặc khu"),
        antq_interchange::Column::plain("prior", "Tham gia trước (tháng)"),
        antq_interchange::Column::plain("member", "Thời gian là thành viên (tháng)"),
        antq_interchange::Column::plain("counted", "Thời gian được tính"),
        antq_interchange::Column::plain("required", "Yêu cầu"),
        antq_interchange::Column::plain("rating", "Xếp loại gần nhất"),
        antq_interchange::Column::plain("eligible", "Đủ điều kiện"),
    ];
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.full_name.clone(),
                l.sex.label().into(),
                l.team_name.clone(),
                names.get(&l.commune_code).cloned().unwrap_or_default(),
                l.prior_months.to_string(),
                l.member_months.to_string(),
                years_months(l.standing.counted_months),
                years_months(l.standing.required_months),
                l.last_rating.map(|r| format!("{} ({})", r.level.label(), r.year)).unwrap_or_default(),
                if l.standing.eligible { "Có".into() } else { "Không".into() },
            ]
        })
        .collect();
    Ok(antq_interchange::write(antq_interchange::Format::Xlsx, "Kỷ niệm chương", &cols, &rows))
}
