use antq_domain::activity::opinion::OpinionFields;
use antq_domain::activity::{ActivityFields, MeasureUnit, OrganiserKind, ShapeFields, WeaponCategory, WeaponLine};
use antq_domain::commendation::{CommendationFields, CommendationForm, CommendationState, RecipientKind};
use antq_store::activities::{self, Group, NewActivity, TotalsQuery};
use antq_store::commendations::{self, NewCommendation};
use antq_store::{StoreError, backend_tests};

use crate::{day, now};

fn fields(title: &str, on: &str, participants: i64) -> ActivityFields {
    ActivityFields {
        title: title.into(),
        starts_on: day(on),
        ends_on: day(on),
        location: None,
        organiser_kind: OrganiserKind::CongAn,
        organiser_name: None,
        participants,
        groups: [0; 5],
        shape: ShapeFields::default(),
        note: None,
    }
}

fn medal(name: &str) -> CommendationFields {
    CommendationFields {
        form: CommendationForm::KncCoSo,
        level: antq_domain::commendation::CommendationLevel::Bo,
        authority: "Bộ trưởng Bộ Công an".into(),
        reason: "Có thành tích".into(),
        movement_year: 2025,
        campaign: None,
        recipient_kind: RecipientKind::CongDan,
        recipient_name: Some(name.into()),
        citizen_id: None,
        tenure_years: None,
        prior_commendations: None,
        cash_vnd: 0,
        decision: Some(("12/QĐ-BCA".into(), day("2025-08-15"))),
        note: None,
    }
}

backend_tests! {
    activity_totals_follow_every_change(t) {
        let kinds = activities::kinds(&t.db, None).await.unwrap();
        let kind = |code: &str| kinds.iter().find(|k| k.code.as_deref() == Some(code)).unwrap().clone();
        let (talk, conference, surrender) = (kind("tuyen_truyen"), kind("hoi_nghi_lang_nghe"), kind("giao_nop_vu_khi"));
        let mut weapons = fields("Vận động giao nộp", "2025-03-10", 30);
        weapons.shape.weapons = vec![
            WeaponLine { category: WeaponCategory::Phao, unit: MeasureUnit::Kg, quantity_milli: 1_500, handed_by: None },
            WeaponLine { category: WeaponCategory::SungTuChe, unit: MeasureUnit::Khau, quantity_milli: 2_000, handed_by: None },
        ];
        let (f1, f2, f3) = (fields("Tuyên truyền", "2025-03-02", 120), fields("Hội nghị lắng nghe", "2025-04-20", 80), fields("Tập huấn tỉnh", "2025-04-25", 40));
        let rows = [
            NewActivity { province: "56", commune: Some("22333"), area_id: None, establishment_id: None, kind: &talk, fields: &f1, organiser_model_id: None, organiser_team_id: None, model_ids: &[] },
            NewActivity { province: "56", commune: Some("22333"), area_id: None, establishment_id: None, kind: &conference, fields: &f2, organiser_model_id: None, organiser_team_id: None, model_ids: &[] },
            NewActivity { province: "56", commune: Some("22366"), area_id: None, establishment_id: None, kind: &surrender, fields: &weapons, organiser_model_id: None, organiser_team_id: None, model_ids: &[] },
            NewActivity { province: "56", commune: None, area_id: None, establishment_id: None, kind: &talk, fields: &f3, organiser_model_id: None, organiser_team_id: None, model_ids: &[] },
        ];
        let mut tx = t.db.begin().await.unwrap();
        let ids = activities::insert_many(&mut tx, &rows, "test", now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(ids.len(), 4);

        // Two opinions, one answered on the spot; then the other answered; a tip.
        let held = activities::get(&t.db, ids[1]).await.unwrap();
        let spot = OpinionFields { raised_by: None, topic: "Giao thông".into(), content: "Đua xe".into(), answer: Some("Đã trả lời".into()), tasked_unit: None, due_on: None };
        let later = OpinionFields { answer: None, tasked_unit: Some("Công an xã".into()), due_on: Some(day("2025-05-20")), ..spot.clone() };
        let mut tx = t.db.begin().await.unwrap();
        activities::insert_opinion(&mut tx, (&held).into(), &spot, "test", now()).await.unwrap();
        let waiting = activities::insert_opinion(&mut tx, (&held).into(), &later, "test", now()).await.unwrap();
        activities::add_tip(&mut tx, (&held).into()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        activities::answer_opinion(&mut tx, (&held).into(), waiting, ("Đã trả lời bằng văn bản", day("2025-05-02")), now()).await.unwrap();
        tx.commit().await.unwrap();
        // A second answer is refused and changes nothing.
        let mut tx = t.db.begin().await.unwrap();
        let again = activities::answer_opinion(&mut tx, (&held).into(), waiting, ("Lần hai", day("2025-05-03")), now()).await;
        assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
        drop(tx);

        // The conference moves to another commune and month; the surrender loses a line.
        let held = activities::get(&t.db, ids[1]).await.unwrap();
        let moved = fields("Hội nghị lắng nghe", "2025-06-02", 95);
        let mut tx = t.db.begin().await.unwrap();
        activities::update(&mut tx, &held, &NewActivity { commune: Some("22366"), fields: &moved, ..rows[1].clone() }, now()).await.unwrap();
        let before = activities::get(&t.db, ids[2]).await.unwrap();
        let mut fewer = weapons.clone();
        fewer.shape.weapons.truncate(1);
        activities::update(&mut tx, &before, &NewActivity { fields: &fewer, ..rows[2].clone() }, now()).await.unwrap();
        tx.commit().await.unwrap();

        let (recount, kept) = activities::recount_and_kept(&t.db).await.unwrap();
        assert!(!recount.is_empty());
        assert_eq!(recount, kept, "the kept totals are what the activities add up to");

        // The province's rows: every session, the opinions moved with their conference.
        let q = TotalsQuery { year: 2025, from_month: 1, to_month: 12, province: None, commune: None, kind_id: None };
        let national = activities::totals(&t.db, &q, Group::Place).await.unwrap();
        let (_, _, m) = national.iter().find(|(k, _, _)| k == "56").unwrap();
        assert_eq!((m.sessions, m.participants, m.opinions, m.answered, m.tips), (4, 120 + 95 + 30 + 40, 2, 2, 1));
        let q = TotalsQuery { province: Some("56"), ..q };
        let communes = activities::totals(&t.db, &q, Group::Place).await.unwrap();
        let of = |c: &str| communes.iter().filter(|(k, _, _)| k == c).map(|(_, _, m)| m.sessions).sum::<i64>();
        assert_eq!((of("22333"), of("22366"), of("")), (1, 2, 1));
        let lines = activities::weapon_totals(&t.db, &q).await.unwrap();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!((lines[0].category.as_str(), lines[0].unit.as_str(), lines[0].milli), ("phao", "kg", 1_500));
    }

    a_person_receives_a_medal_once(t) {
        let (a, b) = (medal("Bà Lê Thị Hoa"), medal("Bà Lê Thị Hoa"));
        fn new(f: &CommendationFields) -> NewCommendation<'_> {
            NewCommendation {
                province: "56", commune: Some("22333"), fields: f, recipient_name: "Bà Lê Thị Hoa", establishment_id: None,
                model_id: None, team_id: None, member_id: None, citizen_last4: Some("1234".into()),
                medal_key: Some("knc:abc".into()), eligibility: None, state: CommendationState::DaQuyetDinh, by: "test",
                today: day("2025-08-01"),
            }
        }
        let mut tx = t.db.begin().await.unwrap();
        commendations::insert_many(&mut tx, &[new(&a)], now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        let second = commendations::insert_many(&mut tx, &[new(&b)], now()).await;
        assert!(matches!(second, Err(StoreError::Conflict)), "{second:?}");
        drop(tx);
        assert!(commendations::medal_of(&t.db, "knc:abc").await.unwrap().is_some());
        let counts = commendations::decided_counts(&t.db, 2025, (Some("56"), None)).await.unwrap();
        assert_eq!(counts.iter().map(|c| c.count).sum::<i64>(), 1);
    }
}
