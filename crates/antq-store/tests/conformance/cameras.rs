use antq_domain::camera::{
    CameraFields, CameraFunding, CameraKind, CameraStatus, CameraWatch, CentreFields, Coordinates, StatusChange,
};
use antq_store::cameras::{self, CameraFilter, NewCamera};
use antq_store::{StoreError, backend_tests};

use crate::{day, now};

fn fields(name: &str, funding: CameraFunding, cost_vnd: i64) -> CameraFields {
    CameraFields {
        name: name.into(),
        address: None,
        coordinates: Some(Coordinates { lat: 12.2388, lon: 109.1967 }),
        installed_on: day("2025-03-01"),
        kind: CameraKind::CoDinh,
        watches: CameraWatch::Cho,
        funding,
        cost_vnd,
        keeper: None,
        note: None,
    }
}

fn at<'a>(commune: &'a str, f: &'a CameraFields, status: CameraStatus) -> NewCamera<'a> {
    NewCamera {
        province: "56",
        commune,
        area_id: None,
        establishment_id: None,
        model_id: None,
        centre_id: None,
        fields: f,
        status,
    }
}

backend_tests! {
    camera_totals_follow_every_change(t) {
        let mut tx = t.db.begin().await.unwrap();
        cameras::insert_centre(&mut tx, "56", None, &CentreFields { name: "Trung tâm tỉnh".into(), address: None, operator: None, note: None }, now()).await.unwrap();
        let dup = cameras::insert_centre(&mut tx, "56", None, &CentreFields { name: "Trung tâm tỉnh".into(), address: None, operator: None, note: None }, now()).await;
        assert!(matches!(dup, Err(StoreError::Conflict)), "a centre's name is unique in its place");
        drop(tx);
        let mut tx = t.db.begin().await.unwrap();
        let centre2 = cameras::insert_centre(&mut tx, "56", None, &CentreFields { name: "Trung tâm tỉnh".into(), address: None, operator: None, note: None }, now()).await.unwrap();
        let (a, b, c) = (fields("Chợ", CameraFunding::XaHoiHoa, 12_000_000), fields("Cổng trường", CameraFunding::NganSach, 8_000_000), fields("Nút giao", CameraFunding::XaHoiHoa, 5_000_000));
        let mut with_centre = at("22333", &a, CameraStatus::HoatDong);
        with_centre.centre_id = Some(centre2);
        let ids = cameras::insert_many(&mut tx, &[with_centre, at("22333", &b, CameraStatus::Hong), at("22366", &c, CameraStatus::HoatDong)], "t", now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(ids.len(), 3);

        let cov = cameras::coverage(&t.db, Some("56"), None).await.unwrap();
        let of = |commune: &str| cov.iter().find(|c| c.commune == commune).unwrap().coverage;
        assert_eq!((of("22333").working, of("22333").broken, of("22333").communes_covered), (1, 1, 1));
        assert_eq!(of("22333").cost_by_funding, [8_000_000, 12_000_000, 0, 0]);
        assert_eq!(of("22366").cameras, 1);

        // The broken one is repaired, then the market's is removed; moving the school's camera to
        // 22366 moves its money.
        let school = cameras::get(&t.db, ids[1]).await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        cameras::change_status(&mut tx, &school, &StatusChange { status: CameraStatus::HoatDong, on: day("2025-04-01"), note: None }, "t", now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        let stale = cameras::change_status(&mut tx, &school, &StatusChange { status: CameraStatus::DaThao, on: day("2025-04-02"), note: None }, "t", now()).await;
        assert!(matches!(stale, Err(StoreError::Conflict)), "a change made on a stale read is refused");
        drop(tx);
        let market = cameras::get(&t.db, ids[0]).await.unwrap();
        assert_eq!((market.centre_name.as_deref(), market.latitude), (Some("Trung tâm tỉnh"), Some(12.2388)));
        let mut tx = t.db.begin().await.unwrap();
        cameras::change_status(&mut tx, &market, &StatusChange { status: CameraStatus::DaThao, on: day("2025-05-01"), note: Some("Giải tỏa chợ".into()) }, "t", now()).await.unwrap();
        let school = cameras::get(&t.db, ids[1]).await.unwrap();
        let moved = fields("Cổng trường", CameraFunding::DoanhNghiep, 9_000_000);
        cameras::update(&mut tx, &school, &at("22366", &moved, CameraStatus::HoatDong), now()).await.unwrap();
        tx.commit().await.unwrap();

        let cov = cameras::coverage(&t.db, Some("56"), None).await.unwrap();
        let of = |commune: &str| cov.iter().find(|c| c.commune == commune).unwrap().coverage;
        assert_eq!((of("22333").cameras, of("22333").removed, of("22333").communes_covered), (0, 1, 0), "the removed camera leaves its commune uncovered");
        assert_eq!(of("22333").cost_by_funding, [0, 12_000_000, 0, 0], "the money spent stays counted");
        assert_eq!((of("22366").working, of("22366").cost_by_funding), (2, [0, 5_000_000, 9_000_000, 0]));
        let (recount, kept) = cameras::recount_and_kept(&t.db).await.unwrap();
        assert_eq!(recount, kept);

        let history = cameras::history(&t.db, ids[0]).await.unwrap();
        assert_eq!(history.iter().map(|h| h.status).collect::<Vec<_>>(), [CameraStatus::HoatDong, CameraStatus::DaThao]);
        let broken = CameraFilter { province: Some("56".into()), status: Some("da_thao".into()), since_before: Some(day("2025-05-31")), ..Default::default() };
        let page = cameras::list_page(&t.db, &broken, antq_domain::page::PageRequest { page: 1, per_page: 10 }).await.unwrap();
        assert_eq!((page.total, page.items[0].id), (1, ids[0]));
        let installed = cameras::installed_counts(&t.db, Some("56"), (day("2025-01-01"), day("2025-12-31"))).await.unwrap();
        assert_eq!(installed.iter().map(|(_, n)| n).sum::<i64>(), 3);
        let centres = cameras::centres(&t.db, Some("56"), Some("22333")).await.unwrap();
        assert_eq!(centres[0].cameras, 0, "a removed camera no longer streams to its centre");
    }
}
