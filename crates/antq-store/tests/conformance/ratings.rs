use antq_domain::model::ModelState;
use antq_domain::rating::{
    CriteriaSetFields, CriteriaSubject, Criterion, RatingFields, RatingLevel, RoundFields, SheetState,
};
use antq_domain::rules::{RuleCode, RuleFields, effective};
use antq_store::ratings::{self, NewRating, PivotBy};
use antq_store::{StoreError, backend_tests, model_types, models, rules};

use crate::{day, model, now};

backend_tests! {
    seeded_rules_parse_and_new_values_close_the_old(t) {
        let all = rules::list(&t.db).await.unwrap();
        // Every rule has a national value, except the allowances each province's council sets.
        let provincial = [RuleCode::ForceAllowanceToTruong, RuleCode::ForceAllowanceToPho, RuleCode::ForceAllowanceToVien];
        assert!(RuleCode::ALL.iter().filter(|c| !provincial.contains(c)).all(|c| all.iter().any(|r| r.code == *c && r.parsed().is_some())), "{all:?}");
        // TT 124/2021 is in force from 10/02/2022 (migration 0011 corrects the seeded start).
        let antt: Vec<_> = all.iter().filter(|r| r.code.code().starts_with("antt_")).collect();
        assert!(antt.len() == 6 && antt.iter().all(|r| r.valid_from == day("2022-02-10")), "{antt:?}");
        assert!(effective(&all, RuleCode::AnttWindowOther, None, day("2022-01-31")).is_none());
        // The district level's deadline ended with the district level; nothing else is open-ended there.
        let cap = all.iter().find(|r| r.code == RuleCode::PtDeadlineCapTinh).unwrap();
        assert_eq!(cap.valid_to, Some(day("2025-06-30")));
        assert!(effective(&all, RuleCode::PtDeadlineCapTinh, Some("56"), day("2025-11-01")).is_none());
        let dissolve = all.iter().find(|r| r.code == RuleCode::ForceDissolveWorkingDays).unwrap();
        assert!(dissolve.note.as_deref().unwrap().contains("Bộ luật Lao động"), "{dissolve:?}");
        for code in [RuleCode::ForceRatingWindow, RuleCode::ForceMinMonths, RuleCode::ForceExcellentCapPct] {
            let r = all.iter().find(|r| r.code == code).unwrap();
            assert!(r.note.as_deref().unwrap().contains("mặc định"), "{r:?}");
        }
        let sets = rules::criteria_sets(&t.db).await.unwrap();
        let tt124: Vec<_> = sets.iter().filter(|s| s.legal_basis.starts_with("TT 124")).collect();
        assert!(tt124.len() == 4 && tt124.iter().all(|s| s.valid_from == day("2022-02-10")), "{tt124:?}");
        let mut tx = t.db.begin().await.unwrap();
        let f = RuleFields { code: RuleCode::ModelMinMonths, province_code: None, value: "9".into(),
            legal_basis: "HD mới".into(), valid_from: day("2026-01-01"), note: None };
        rules::insert(&mut tx, &f, "t", now()).await.unwrap();
        tx.commit().await.unwrap();
        let all = rules::list(&t.db).await.unwrap();
        let old = all.iter().find(|r| r.code == RuleCode::ModelMinMonths && r.value == "6").unwrap();
        assert_eq!(old.valid_to, Some(day("2025-12-31")));
        assert_eq!(effective(&all, RuleCode::ModelMinMonths, Some("56"), day("2025-06-01")).unwrap().value, "6");
        assert_eq!(effective(&all, RuleCode::ModelMinMonths, Some("56"), day("2026-06-01")).unwrap().value, "9");

        let model_sets = |all: Vec<antq_domain::rating::CriteriaSet>| all.into_iter().filter(|s| s.subject == CriteriaSubject::Model).collect::<Vec<_>>();
        let all = rules::criteria_sets(&t.db).await.unwrap();
        assert!(all.iter().any(|s| s.subject == CriteriaSubject::AnttKhuDanCu && s.criteria.len() == 5), "TT 124 Điều 4 is seeded");
        let sets = model_sets(all);
        assert_eq!((sets.len(), sets[0].max_points()), (1, 100));
        let v2 = CriteriaSetFields { subject: CriteriaSubject::Model, model_type_id: None, province_code: None, name: "Chung v2".into(), legal_basis: "HD".into(),
            valid_from: day("2026-01-01"), criteria: vec![Criterion { code: "A".into(), text: "A".into(), points: 10 }] };
        let mut tx = t.db.begin().await.unwrap();
        let (_, version) = rules::insert_criteria_set(&mut tx, &v2, "t", now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(version, 2);
        let sets = model_sets(rules::criteria_sets(&t.db).await.unwrap());
        assert_eq!(sets[0].valid_to, Some(day("2025-12-31")));
        assert_eq!(sets[1].criteria.len(), 1);
    }

    sheets_ratings_and_the_pivot(t) {
        let types = model_types::list(&t.db, None).await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        let m = models::insert(&mut tx, "56", Some("22333"), &model("Camera", types[0].id.0), ModelState::HoatDong, Some(day("2024-01-01")), now()).await.unwrap();
        let round = RoundFields { year: 2025, window_from: day("2024-11-16"), window_to: day("2025-11-15"), deadline: day("2025-11-30") };
        let rid = ratings::insert_round(&mut tx, "56", &round, "t", now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        assert!(matches!(ratings::insert_round(&mut tx, "56", &round, "t", now()).await, Err(StoreError::Conflict)));
        drop(tx);
        let sheets = ratings::sheets(&t.db, rid, None).await.unwrap();
        assert_eq!(sheets.len(), 66, "65 communes and the province itself");
        assert_eq!((sheets[0].unit_code.as_str(), sheets[0].commune_code.as_deref()), ("56", None));
        let targets = ratings::targets(&t.db, "56", Some("22333")).await.unwrap();
        assert_eq!(targets.iter().map(|x| x.model_id).collect::<Vec<_>>(), vec![m.0]);

        let n = NewRating { round_id: rid, year: 2025, unit_code: "22333", province_code: "56", commune_code: Some("22333"),
            model_id: m.0, site_id: None, type_id: types[0].id.0, criteria_set_id: Some(1), approved: false };
        let f = RatingFields { rating: RatingLevel::Kha, checklist: [("HD22.1".to_string(), true)].into(), score: 20, note: None };
        let mut tx = t.db.begin().await.unwrap();
        let id = ratings::insert_rating(&mut tx, &n, &f, "t", now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        assert!(matches!(ratings::insert_rating(&mut tx, &n, &f, "t", now()).await, Err(StoreError::Conflict)), "one rating per model and round");
        drop(tx);
        assert_eq!(ratings::rating(&t.db, id).await.unwrap().checklist.len(), 1);
        assert!(ratings::pivot(&t.db, 2025, PivotBy::Province, None, None).await.unwrap().is_empty(), "not approved yet");

        let mut tx = t.db.begin().await.unwrap();
        assert!(matches!(
            ratings::move_sheet(&mut tx, rid, "22333", SheetState::DaNop, SheetState::DaDuyet, None, "t", now()).await,
            Err(StoreError::Conflict)
        ), "the sheet is not in the state the caller saw");
        ratings::move_sheet(&mut tx, rid, "22333", SheetState::DangDanhGia, SheetState::DaNop, None, "t", now()).await.unwrap();
        ratings::move_sheet(&mut tx, rid, "22333", SheetState::DaNop, SheetState::DaDuyet, None, "t", now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        assert!(matches!(ratings::update_rating(&mut tx, id, &f, "t", now()).await, Err(StoreError::Conflict)), "approved ratings are locked");
        drop(tx);
        let by_province = ratings::pivot(&t.db, 2025, PivotBy::Province, None, None).await.unwrap();
        assert_eq!(by_province, vec![("56".to_string(), "kha".to_string(), 1)]);
        let by_type = ratings::pivot(&t.db, 2025, PivotBy::Type, Some("56"), Some("22333")).await.unwrap();
        assert_eq!(by_type, vec![(types[0].id.0.to_string(), "kha".to_string(), 1)]);
        assert_eq!(ratings::years(&t.db).await.unwrap(), vec![2025]);
    }
}
