use antq_domain::force::member::MemberFields;
use antq_domain::force::quota::Quota;
use antq_domain::force::team::TeamFields;
use antq_domain::force::{Education, MemberRole, MemberState, MemberStep, PriorService, Sex, TeamState, TeamStep};
use antq_domain::ids::AreaId;
use antq_domain::page::PageRequest;
use antq_store::force::alerts::{self, AlertScope};
use antq_store::force::members::{self, NewMember, SealedCid};
use antq_store::force::{MemberFilter, TeamFilter, stats, teams};
use antq_store::{StoreError, areas, backend_tests};

use crate::{area, day, now};

fn fields(name: &str, role: MemberRole, recognised: bool) -> MemberFields {
    MemberFields {
        team_id: None,
        full_name: name.into(),
        born_on: day("1956-12-20"),
        sex: Sex::Nam,
        citizen_id: None,
        address: None,
        phone: None,
        education: Education::Thcs,
        health_cert_on: Some(day("2025-01-01")),
        resident_since: Some(day("2000-01-01")),
        prior_service: PriorService::Khong,
        prior_months: 0,
        prior_special_months: 0,
        over_age_decision: None,
        role,
        applied_on: day("2025-01-05"),
        recognised: recognised.then(|| ("1/QĐ".to_string(), day("2025-01-10"), "Chủ tịch".to_string())),
        badge_no: None,
        certificate_no: None,
        note: None,
    }
}

fn cid(index: &str) -> SealedCid {
    SealedCid { key_id: "k".into(), sealed: vec![1, 2, 3], index: index.into(), last4: "1234".into() }
}

backend_tests! {
    teams_keep_their_counters_and_one_person_holds_one_place(t) {
        let mut tx = t.db.begin().await.unwrap();
        let mut big = area("Thôn Lớn");
        big.households = Some(500);
        let a = areas::insert(&mut tx, "56", "22333", &big, day("2025-07-01"), now()).await.unwrap();
        let b = areas::insert(&mut tx, "56", "22333", &area("Thôn Nhỏ"), day("2025-07-01"), now()).await.unwrap();
        let f = TeamFields { name: "Tổ 1".into(), area_ids: vec![a], selection_on: None, posted_on: None, posted_place: None, note: None };
        let team = teams::insert(&mut tx, "56", "22333", &f, now()).await.unwrap();
        teams::apply_step(&mut tx, team, TeamState::DuKien,
            &TeamStep::Establish { on: day("2025-01-05"), decision_no: "1".into(), signer: "A".into() }, now()).await.unwrap();
        let leader = fields("Trưởng", MemberRole::ToTruong, true);
        let m1 = members::insert(&mut tx, &NewMember { team, province: "56", commune: "22333", fields: &leader, cid: &cid("p1") }, now()).await.unwrap();
        let member = fields("Viên", MemberRole::ToVien, false);
        members::insert(&mut tx, &NewMember { team, province: "56", commune: "22333", fields: &member, cid: &cid("p2") }, now()).await.unwrap();
        tx.commit().await.unwrap();
        // (A failed statement ends a PostgreSQL transaction: the duplicate gets its own.)
        let mut tx = t.db.begin().await.unwrap();
        let again = members::insert(&mut tx, &NewMember { team, province: "56", commune: "22333", fields: &member, cid: &cid("p2") }, now()).await;
        assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
        drop(tx);

        let got = teams::get(&t.db, team).await.unwrap();
        assert_eq!((got.state, got.leaders, got.deputies, got.size, got.active), (TeamState::DaThanhLap, 1, 0, 2, 1));
        assert_eq!(got.areas.iter().map(|x| x.id).collect::<Vec<_>>(), vec![a]);
        let page = teams::list(&t.db, &TeamFilter { province: Some("56".into()), ..Default::default() }, PageRequest::default()).await.unwrap();
        assert_eq!(page.total, 1);
        let list = members::list(&t.db, &MemberFilter { team: Some(team), ..Default::default() }, PageRequest::default()).await.unwrap();
        assert_eq!(list.items.iter().map(|m| m.citizen_id_masked.as_str()).collect::<Vec<_>>(), vec!["••••••••1234"; 2]);

        // Alerts: 500 households want 4 members; the small area has no team; the leader turns 70.
        let quota = Quota::parse("ho:0=1x3;350=1x4").unwrap();
        let scope = AlertScope { province: "56", commune: None, quota: &quota, deputies_max: 1, born_by: day("1956-12-31") };
        let short = alerts::areas_short(&t.db, &scope).await.unwrap();
        assert_eq!(short.iter().map(|x| (x.id, x.teams)).collect::<Vec<_>>(), vec![(b.0, 0)]);
        let off = alerts::teams_off(&t.db, &scope, 10).await.unwrap();
        assert_eq!((off.len(), off[0].size, off[0].quota_members), (1, 2, 4));
        let ageing = alerts::ageing(&t.db, &scope, 10).await.unwrap();
        assert_eq!(ageing.iter().map(|x| x.id).collect::<Vec<_>>(), vec![m1.0], "only active members");
        let counts = alerts::counts(&t.db, &scope, &short).await.unwrap();
        assert_eq!((counts[0].areas_without_team, counts[0].below_quota, counts[0].reaching_age_limit), (1, 1, 1));
        let before = alerts::OverdueBefore { proposal: day("2026-01-01"), decision: day("2026-01-01"), request: day("2026-01-01") };
        assert_eq!(alerts::overdue(&t.db, "56", None, before, 10).await.unwrap().len(), 0, "no step waits");
        let flat = Quota::parse("ho:0=1x3").unwrap();
        let one_band = AlertScope { quota: &flat, ..scope.clone() };
        assert_eq!(alerts::teams_off(&t.db, &one_band, 10).await.unwrap()[0].quota_members, 3, "a single band");

        // Statistics read the counters.
        let st = stats::by_place(&t.db, &stats::StatsScope { province: Some("56".into()), commune: None }).await.unwrap();
        assert_eq!(st, vec![("22333".to_string(), 1, 1, 1, 2, 1)]);
        let roles = stats::members_by(&t.db, &stats::StatsScope { province: None, commune: None }, stats::Dimension::Role, &[]).await.unwrap();
        assert_eq!(roles, vec![("56".to_string(), "to_truong".to_string(), 1)]);

        // Terminating frees the place; dissolving closes the rest and the areas' coverage.
        let mut tx = t.db.begin().await.unwrap();
        members::apply_step(&mut tx, m1, team, MemberState::DangThamGia,
            &MemberStep::Terminate { on: day("2025-06-01"), ground: antq_domain::force::TerminationGround::DonXinThoi, decision_no: "9".into() }, now()).await.unwrap();
        let stale = members::apply_step(&mut tx, m1, team, MemberState::DangThamGia,
            &MemberStep::Terminate { on: day("2025-06-01"), ground: antq_domain::force::TerminationGround::DonXinThoi, decision_no: "9".into() }, now()).await;
        assert!(matches!(stale, Err(StoreError::Conflict)), "a step from a state the row has left");
        members::insert(&mut tx, &NewMember { team, province: "56", commune: "22333", fields: &leader, cid: &cid("p1") }, now()).await.unwrap();
        teams::apply_step(&mut tx, team, TeamState::DaThanhLap,
            &TeamStep::Dissolve { on: day("2025-07-01"), decision_no: "2".into(), signer: "A".into(), reason: "r".into() }, now()).await.unwrap();
        let closed = members::close_team(&mut tx, team, day("2025-07-01"), "2", now()).await.unwrap();
        assert_eq!(closed.len(), 2);
        tx.commit().await.unwrap();
        let got = teams::get(&t.db, team).await.unwrap();
        assert_eq!((got.size, got.active), (0, 0));
        assert_eq!(alerts::areas_short(&t.db, &scope).await.unwrap().len(), 2);

        // A changed area updates the measures of its teams.
        let mut tx = t.db.begin().await.unwrap();
        let mut smaller = big.clone();
        smaller.households = Some(100);
        areas::update(&mut tx, AreaId(a.0), &smaller, now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(teams::get(&t.db, team).await.unwrap().measures(), (Some(100), Some(480)));
    }
}
