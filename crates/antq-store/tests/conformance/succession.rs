use antq_domain::page::PageRequest;
use antq_domain::succession::{FORMER_2025, FormerLevel, Relation, check};
use antq_store::former_units::{self, End, FormerQuery};
use antq_store::{backend_tests, seed};

backend_tests! {
    the_former_map_and_its_succession_load_once_and_hold(t) {
        // Loaded with the geography: 63 provinces, 696 districts, 10,035 communes.
        for (level, n) in [(FormerLevel::Province, 63), (FormerLevel::District, 696), (FormerLevel::Commune, 10_035)] {
            let q = FormerQuery { level: Some(level), ..Default::default() };
            let page = former_units::search(&t.db, &q, PageRequest::new(Some(1), Some(1))).await.unwrap();
            assert_eq!(page.total, n, "{level:?}");
        }
        // Loading again adds nothing.
        seed::load_units_if_empty(&t.db).await.unwrap();
        let steps = former_units::all_steps(&t.db, FORMER_2025).await.unwrap();
        assert_eq!(steps.len(), seed::SUCCESSION_2025_CSV.lines().count() - 1);
        // Every former unit's successors: weights sum to 1000‰, exactly one default, parts
        // only where split.
        assert_eq!(check(&steps), Vec::<String>::new());
        // Every former commune has a successor; every current commune has a predecessor
        // (the five island districts without wards are the predecessors of their đặc khu).
        let communes = former_units::all(&t.db, FORMER_2025).await.unwrap();
        let from: std::collections::HashSet<(FormerLevel, &str)> = steps.iter().map(|s| (s.from_level, s.from_code.as_str())).collect();
        for u in communes.iter().filter(|u| u.level != FormerLevel::District) {
            assert!(from.contains(&(u.level, u.code.as_str())), "{} {} has no successor", u.code, u.name);
        }
        let to: std::collections::HashSet<&str> = steps.iter().filter(|s| s.to_level == FormerLevel::Commune).map(|s| s.to_code.as_str()).collect();
        assert_eq!(to.len(), 3_321);

        // A code reused by the new map still names the former unit: 00004 was Phường Trúc Bạch.
        let old = former_units::get(&t.db, FORMER_2025, FormerLevel::Commune, "00004").await.unwrap();
        assert_eq!((old.name.as_str(), old.district_code.as_deref()), ("Trúc Bạch", Some("001")));
        assert_eq!(antq_store::units::get(&t.db, "00004").await.unwrap().name, "Ba Đình");

        // A split ward: Phường Cống Vị went in part into two new wards.
        let split = former_units::steps(&t.db, End::From, FORMER_2025, FormerLevel::Commune, "00007").await.unwrap();
        assert!(split.len() >= 2 && split.iter().all(|s| s.relation == Relation::NhapMotPhan), "{split:?}");
        assert!(split[0].is_default);
        assert_eq!(split.iter().map(|s| s.weight_milli).sum::<i64>(), 1000);

        // What a current ward came from: Phường Bắc Nha Trang took in Xã Vĩnh Lương whole.
        let came = former_units::steps(&t.db, End::To, "2025", FormerLevel::Commune, "22333").await.unwrap();
        assert!(came.iter().any(|s| s.from_code == "22384" && s.relation == Relation::NhapToanBo), "{came:?}");

        // Search by a former name without diacritics, within the former district.
        let q = FormerQuery { q: Some("vinh luong".into()), district: Some("568".into()), ..Default::default() };
        let hits = former_units::search(&t.db, &q, PageRequest::new(None, None)).await.unwrap();
        assert_eq!(hits.items.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["22384"]);
    }
}
