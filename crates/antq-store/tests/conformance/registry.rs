use antq_domain::ids::AreaId;
use antq_domain::model::{ModelState, SiteFields, SiteState, TeamFields, Transition};
use antq_domain::page::PageRequest;
use antq_domain::unit::UnitLevel;
use antq_store::areas::{self, RegistryFilter};
use antq_store::models::{self, ModelFilter};
use antq_store::stats::{ModelGroup, model_counts};
use antq_store::{StoreError, backend_tests, model_types, units};

use crate::{area, day, model, now};

backend_tests! {
    geography_is_complete(t) {
        let provinces = units::search(&t.db, &units::UnitQuery { level: Some(UnitLevel::Province), limit: 100, ..Default::default() }).await.unwrap();
        assert_eq!(provinces.len(), 34);
        let communes = units::search(&t.db, &units::UnitQuery { level: Some(UnitLevel::Commune), limit: 5000, ..Default::default() }).await.unwrap();
        assert_eq!(communes.len(), 3321);
        let kh = units::get(&t.db, "56").await.unwrap();
        assert_eq!(kh.name, "Khánh Hòa");
        assert_eq!(kh.commune_count, Some(65));
        // Trường Sa and Hoàng Sa are special zones of Khánh Hòa and Đà Nẵng.
        let ts = units::search(&t.db, &units::UnitQuery { q: Some("truong sa".into()), level: Some(UnitLevel::Commune), limit: 10, ..Default::default() }).await.unwrap();
        assert!(ts.iter().any(|u| u.kind.code() == "dac_khu" && u.parent_code.as_deref() == Some("56")), "{ts:?}");
        for q in ["khanh hoa", "KHÁNH HÒA", "Khanh Hoa", "khánh hoà"] {
            let found = units::search(&t.db, &units::UnitQuery { q: Some(q.into()), level: Some(UnitLevel::Province), limit: 10, ..Default::default() }).await.unwrap();
            assert_eq!(found.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), vec!["56"], "{q}");
        }
        assert!(matches!(units::get(&t.db, "99999").await, Err(StoreError::NotFound)));
    }

    areas_round_trip_and_retire(t) {
        let mut tx = t.db.begin().await.unwrap();
        let a = areas::insert(&mut tx, "56", "22333", &area("Thôn Phú Lộc"), day("2025-07-01"), now()).await.unwrap();
        let b = areas::insert(&mut tx, "56", "22366", &area("Tổ dân phố 5"), day("2025-07-01"), now()).await.unwrap();
        tx.commit().await.unwrap();
        let got = areas::get(&t.db, a).await.unwrap();
        assert_eq!((got.name.as_str(), got.households, got.created_at), ("Thôn Phú Lộc", Some(120), now()));
        let f = RegistryFilter { province: Some("56".into()), q: Some("phu loc".into()), ..Default::default() };
        let page = areas::list(&t.db, &f, PageRequest::default()).await.unwrap();
        assert_eq!((page.total, page.items[0].id), (1, a));
        // LIKE metacharacters in the search text are literal.
        let none = areas::list(&t.db, &RegistryFilter { q: Some("%".into()), ..Default::default() }, PageRequest::default()).await.unwrap();
        assert_eq!(none.total, 0);
        let commune = areas::list(&t.db, &RegistryFilter { commune: Some("22366".into()), ..Default::default() }, PageRequest::default()).await.unwrap();
        assert_eq!(commune.items.iter().map(|x| x.id).collect::<Vec<_>>(), vec![b]);
        let mut tx = t.db.begin().await.unwrap();
        areas::set_valid_to(&mut tx, a, Some(day("2025-08-01")), now()).await.unwrap();
        tx.commit().await.unwrap();
        let current = areas::list(&t.db, &RegistryFilter::default(), PageRequest::default()).await.unwrap();
        assert_eq!(current.total, 1);
        let all = areas::list(&t.db, &RegistryFilter { include_retired: true, ..Default::default() }, PageRequest::default()).await.unwrap();
        assert_eq!(all.total, 2);
        assert_eq!(areas::get(&t.db, a).await.unwrap().valid_to, Some(day("2025-08-01")));
        let mut tx = t.db.begin().await.unwrap();
        assert!(matches!(areas::update(&mut tx, AreaId(9999), &area("x"), now()).await, Err(StoreError::NotFound)));
    }

    foreign_keys_are_enforced(t) {
        let mut tx = t.db.begin().await.unwrap();
        let r = areas::insert(&mut tx, "56", "00000", &area("Không tồn tại"), day("2025-07-01"), now()).await;
        assert!(matches!(r, Err(StoreError::ForeignKey)), "{r:?}");
    }

    uncommitted_transaction_writes_nothing(t) {
        {
            let mut tx = t.db.begin().await.unwrap();
            areas::insert(&mut tx, "56", "22333", &area("Thôn tạm"), day("2025-07-01"), now()).await.unwrap();
            // dropped without commit
        }
        let page = areas::list(&t.db, &RegistryFilter::default(), PageRequest::default()).await.unwrap();
        assert_eq!(page.total, 0);
    }

    model_lifecycle_and_counts(t) {
        let types = model_types::list(&t.db, None).await.unwrap();
        assert!(types.len() >= 13);
        let camera = types.iter().find(|t| t.code == "camera_giam_sat").unwrap().id.0;
        let mut tx = t.db.begin().await.unwrap();
        let m = models::insert(&mut tx, "56", Some("22333"), &model("Camera giám sát ANTT thôn Phú Lộc", camera), ModelState::DeXuat, Some(day("2024-03-01")), now()).await.unwrap();
        let other = models::insert(&mut tx, "01", Some("00004"), &model("Câu lạc bộ pháp luật", types[0].id.0), ModelState::HoatDong, None, now()).await.unwrap();
        models::insert_history(&mut tx, m, "56", Some("22333"), None, "test", "create", "Tạo", &[], now()).await.unwrap();
        tx.commit().await.unwrap();

        let got = models::get(&t.db, m).await.unwrap();
        assert_eq!((got.type_name.as_str(), got.funding_social, got.state), ("Camera giám sát ANTT", 1_500_000_000, ModelState::DeXuat));

        let t1 = Transition { from: ModelState::DeXuat, to: ModelState::XayDung, on_date: day("2024-04-01"), decision_no: None, note: None };
        let mut tx = t.db.begin().await.unwrap();
        models::apply_transition(&mut tx, m, &t1, now()).await.unwrap();
        tx.commit().await.unwrap();
        // Applying the same transition again finds the model no longer in "đề xuất".
        let mut tx = t.db.begin().await.unwrap();
        assert!(matches!(models::apply_transition(&mut tx, m, &t1, now()).await, Err(StoreError::Conflict)));
        drop(tx);
        let got = models::get(&t.db, m).await.unwrap();
        assert_eq!((got.state, got.state_since), (ModelState::XayDung, Some(day("2024-04-01"))));

        let mut tx = t.db.begin().await.unwrap();
        let site = SiteFields { name: "Điểm thôn 2".into(), commune_code: "22366".into(), area_id: None, establishment_id: None, started_on: Some(day("2024-05-01")), state: SiteState::HoatDong, note: None };
        models::insert_site(&mut tx, m, "56", &site, now()).await.unwrap();
        tx.commit().await.unwrap();
        let sites = models::sites(&t.db, m).await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        for n in 1..=2 {
            models::insert_team(&mut tx, &sites[0], &TeamFields { name: format!("Tổ {n}"), members: Some(5), leader: None }, now()).await.unwrap();
        }
        tx.commit().await.unwrap();
        let got = models::get(&t.db, m).await.unwrap();
        assert_eq!((got.site_count, got.team_count), (1, 2));
        assert_eq!(models::sites(&t.db, m).await.unwrap()[0].teams.len(), 2);

        let by_commune = model_counts(&t.db, ModelGroup::Commune, Some("56"), None).await.unwrap();
        // The model counts in its own commune; its site and teams where they are.
        let c = |k: &str| by_commune.iter().find(|r| r.key == k).cloned().unwrap_or_default();
        assert_eq!((c("22333").models, c("22333").sites), (1, 0));
        assert_eq!((c("22366").models, c("22366").sites, c("22366").teams), (0, 1, 2));
        let by_state = model_counts(&t.db, ModelGroup::State, None, None).await.unwrap();
        let s = |k: &str| by_state.iter().find(|r| r.key == k).cloned().unwrap_or_default();
        assert_eq!((s("xay_dung").models, s("xay_dung").sites, s("xay_dung").teams, s("hoat_dong").models), (1, 1, 2, 1));
        let by_type = model_counts(&t.db, ModelGroup::Type, None, None).await.unwrap();
        assert_eq!(by_type.iter().find(|r| r.key == camera.to_string()).unwrap().models, 1);

        let filtered = models::list(&t.db, &ModelFilter { q: Some("phu loc".into()), state: Some("xay_dung".into()), ..Default::default() }, PageRequest::default()).await.unwrap();
        assert_eq!(filtered.items.iter().map(|m| m.id).collect::<Vec<_>>(), vec![m]);
        let scoped = models::list(&t.db, &ModelFilter { province: Some("01".into()), ..Default::default() }, PageRequest::default()).await.unwrap();
        assert_eq!(scoped.items.iter().map(|m| m.id).collect::<Vec<_>>(), vec![other]);
        let history = models::history(&t.db, m).await.unwrap();
        assert_eq!(history.len(), 1);
    }

    paging_counts_everything(t) {
        let mut tx = t.db.begin().await.unwrap();
        for i in 0..53 {
            areas::insert(&mut tx, "56", "22333", &area(&format!("Thôn {i:02}")), day("2025-07-01"), now()).await.unwrap();
        }
        tx.commit().await.unwrap();
        let p3 = areas::list(&t.db, &RegistryFilter::default(), PageRequest::new(Some(3), Some(25))).await.unwrap();
        assert_eq!((p3.total, p3.items.len(), p3.pages()), (53, 3, 3));
        assert_eq!(p3.items[0].name, "Thôn 50");
    }
}
