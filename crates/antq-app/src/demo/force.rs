//! The base-level force of the demo: a team per residential area (a few areas share one, a
//! few have none), three or four members each with their particulars and sealed citizen ids,
//! a few teams and applications waiting for a decision, and the province's allowance rates.
//! `members_target` scales the teams per area up (for the alert benchmark).

use std::collections::BTreeMap;

use antq_domain::force::member::MemberFields;
use antq_domain::force::{Education, MemberRole, MemberState, PriorService, Sex, TeamState};
use antq_domain::ids::AreaId;
use antq_domain::unit::Unit;
use antq_store::force::members::{BulkMember, NewMember, insert_many};
use antq_store::force::teams::{BulkTeam, refresh_province};
use antq_store::{Tx, areas};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::{GIVEN, Rng, SURNAMES, lower_first};
use crate::{AppCtx, AppResult};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Adds the force of one province; returns `(teams, members)`.
pub(super) async fn add(
    ctx: &AppCtx,
    tx: &mut Tx,
    province: &Unit,
    rng: &mut Rng,
    members_target: Option<usize>,
    now: DateTime<Utc>,
) -> AppResult<(usize, usize)> {
    let today = ctx.today();
    let filter = areas::RegistryFilter { province: Some(province.code.clone()), ..Default::default() };
    let mut by_commune: BTreeMap<String, Vec<antq_domain::area::Area>> = BTreeMap::new();
    for a in areas::list_all(&ctx.db, &filter).await? {
        by_commune.entry(a.commune_code.clone()).or_default().push(a);
    }
    let total_areas: usize = by_commune.values().map(Vec::len).sum();
    let per_area = match members_target {
        Some(n) if total_areas > 0 => (n as f64 / (total_areas as f64 * 3.3)).ceil().max(1.0) as usize,
        _ => 1,
    };
    let law = day(2024, 7, 1);
    let span = (today - law).num_days().max(60);
    let mut teams = Vec::new();
    for (commune, list) in &by_commune {
        let mut i = 0;
        while i < list.len() {
            let a = &list[i];
            i += 1;
            if per_area == 1 && rng.chance(3) {
                continue; // an area still without a team (an alert)
            }
            let mut covered = vec![AreaId(a.id.0)];
            if per_area == 1 && i < list.len() && rng.chance(5) {
                covered.push(AreaId(list[i].id.0)); // two small areas share one team
                i += 1;
            }
            for k in 0..per_area {
                let suffix = if per_area > 1 { format!(" số {}", k + 1) } else { String::new() };
                let selection = law + Duration::days(rng.range(5, span - 40));
                let pending = rng.range(0, 99);
                let (state, proposed, decision) = match pending {
                    0..=1 => (TeamState::DuKien, None, None),
                    2..=3 => (TeamState::ChoQuyetDinh, Some(today - Duration::days(rng.range(0, 6))), None),
                    _ => {
                        let on = selection + Duration::days(rng.range(3, 9));
                        (
                            TeamState::DaThanhLap,
                            Some(selection + Duration::days(2)),
                            Some((format!("{}/QĐ-UBND", rng.range(1, 400)), on, "Chủ tịch UBND xã".to_string())),
                        )
                    }
                };
                let selection_on = match state {
                    TeamState::DuKien => Some(today - Duration::days(rng.range(0, 7))),
                    _ => Some(selection),
                };
                teams.push(BulkTeam {
                    province: province.code.clone(),
                    commune: commune.clone(),
                    name: format!("Tổ bảo vệ ANTT {}{suffix}", lower_first(&a.name)),
                    state,
                    selection_on,
                    proposed_on: proposed,
                    decision,
                    areas: covered.clone(),
                });
            }
        }
    }
    let ids = antq_store::force::teams::insert_many(tx, &teams, now).await?;

    // Members: fields first (sealing needs no database), then one bulk write.
    let special: std::collections::HashSet<i64> =
        by_commune.values().flatten().filter(|a| a.special_zone).map(|a| a.id.0).collect();
    let mut people: Vec<(usize, MemberFields, antq_store::force::SealedCid, MemberState, Option<NaiveDate>)> =
        Vec::new();
    let mut seq = 0u32;
    let province_no: u32 = province.code.parse().unwrap_or(0);
    for (ti, t) in teams.iter().enumerate() {
        let in_special = t.areas.iter().any(|a| special.contains(&a.0));
        let n = match rng.range(0, 99) {
            0..=9 => 2,
            10..=84 => 3,
            85..=96 => 4,
            _ => 5,
        };
        let no_leader = rng.chance(2);
        for k in 0..n {
            seq += 1;
            let given = rng.pick_str(GIVEN);
            let sex = if given.starts_with("Thị") { Sex::Nu } else { Sex::Nam };
            let born = if rng.chance(1) {
                // Turning 70 within the next few weeks: an alert.
                day(today.year() - 70, today.month(), today.day().min(28)) + Duration::days(rng.range(1, 80))
            } else {
                day(rng.range(1958, 2004) as i32, rng.range(1, 12) as u32, rng.range(1, 28) as u32)
            };
            let role = match k {
                0 if !no_leader => MemberRole::ToTruong,
                1 => MemberRole::ToPho,
                _ => MemberRole::ToVien,
            };
            let education = match rng.range(0, 99) {
                0..=19 if in_special => Education::TieuHoc,
                0..=54 => Education::Thcs,
                55..=89 => Education::Thpt,
                90..=95 => Education::TrungCap,
                _ => Education::DaiHoc,
            };
            let (prior_service, prior_months, prior_special_months) = if rng.chance(30) {
                let m = rng.range(12, 180);
                (PriorService::BaoVeDanPho, m, if in_special { m / 2 } else { 0 })
            } else {
                (PriorService::Khong, 0, 0)
            };
            let (state, recognised, selection_on) = match &t.decision {
                Some((no, on, signer)) => {
                    let d = *on + Duration::days(rng.range(0, 5));
                    (MemberState::DangThamGia, Some((no.clone(), d.min(today), signer.clone())), None)
                }
                None if t.state == TeamState::ChoQuyetDinh => (MemberState::ChoQuyetDinh, None, t.selection_on),
                None => (MemberState::DaXetTuyen, None, t.selection_on),
            };
            let applied_on = recognised.as_ref().map_or(today, |r| r.1) - Duration::days(rng.range(15, 40));
            let f = MemberFields {
                team_id: None,
                full_name: format!("{} {given}", rng.pick_str(SURNAMES)),
                born_on: born,
                sex,
                citizen_id: None,
                address: None,
                phone: None,
                education,
                health_cert_on: Some(applied_on - Duration::days(rng.range(1, 30))),
                resident_since: Some(day(born.year() + 18, 1, 1).max(day(1990, 1, 1))),
                prior_service,
                prior_months,
                prior_special_months,
                over_age_decision: None,
                role,
                applied_on,
                recognised,
                badge_no: None,
                certificate_no: None,
                note: None,
            };
            let century = if born.year() >= 2000 { 2 } else { 0 } + u32::from(sex == Sex::Nu);
            let cid = format!("{province_no:03}{century}{:02}{seq:06}", born.year() % 100);
            let sealed = crate::force::members::seal(ctx, &cid)?;
            people.push((ti, f, sealed, state, selection_on));
        }
    }
    let bulk: Vec<BulkMember> = people
        .iter()
        .map(|(ti, f, cid, state, selection_on)| BulkMember {
            m: NewMember {
                team: ids[*ti],
                province: &teams[*ti].province,
                commune: &teams[*ti].commune,
                fields: f,
                cid,
            },
            state: *state,
            selection_on: *selection_on,
        })
        .collect();
    insert_many(tx, &bulk, now).await?;
    refresh_province(tx, &province.code).await?;
    Ok((teams.len(), people.len()))
}

/// The province's monthly allowance rates (a stand-in for its council's resolution).
pub(super) async fn add_rates(tx: &mut Tx, province: &str, now: DateTime<Utc>) -> AppResult<()> {
    use antq_domain::rules::{RuleCode, RuleFields};
    for (code, value) in [
        (RuleCode::ForceAllowanceToTruong, "1800000"),
        (RuleCode::ForceAllowanceToPho, "1500000"),
        (RuleCode::ForceAllowanceToVien, "1200000"),
    ] {
        let f = RuleFields {
            code,
            province_code: Some(province.to_string()),
            value: value.into(),
            legal_basis: "Nghị quyết HĐND tỉnh (dữ liệu mẫu: thay bằng nghị quyết của tỉnh)".into(),
            valid_from: day(2024, 7, 1),
            note: None,
        };
        antq_store::rules::insert(tx, &f, "demo", now).await?;
    }
    Ok(())
}
