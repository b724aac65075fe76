use antq_domain::calendar::{DayChange, DayKind};
use antq_store::{StoreError, backend_tests, calendar};

use crate::{day, now};

fn change(d: &str, kind: DayKind, name: &str) -> DayChange {
    DayChange { day: day(d), kind, name: name.into(), legal_basis: "Thông báo 6150/TB-BNV".into() }
}

backend_tests! {
    calendar_changes_are_recorded_replaced_and_removed(t) {
        let mut tx = t.db.begin().await.unwrap();
        assert_eq!(calendar::record(&mut tx, &change("2026-01-02", DayKind::Off, "Nghỉ"), "admin", now()).await.unwrap(), None);
        calendar::record(&mut tx, &change("2026-01-10", DayKind::Working, "Làm bù"), "admin", now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(calendar::list(&t.db).await.unwrap().iter().map(|c| c.day).collect::<Vec<_>>(), [day("2026-01-02"), day("2026-01-10")]);

        // Recording the same day again replaces it and answers what was there.
        let mut tx = t.db.begin().await.unwrap();
        let old = calendar::record(&mut tx, &change("2026-01-10", DayKind::Working, "Làm bù ngày 2/1"), "admin", now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(old.map(|o| o.name), Some("Làm bù".to_string()));
        let all = calendar::list(&t.db).await.unwrap();
        assert_eq!((all.len(), all[1].name.as_str(), all[1].kind), (2, "Làm bù ngày 2/1", DayKind::Working));

        let mut tx = t.db.begin().await.unwrap();
        assert_eq!(calendar::remove(&mut tx, day("2026-01-02")).await.unwrap().kind, DayKind::Off);
        assert!(matches!(calendar::remove(&mut tx, day("2026-01-03")).await, Err(StoreError::NotFound)));
        tx.commit().await.unwrap();
        assert_eq!(calendar::list(&t.db).await.unwrap().len(), 1);
    }
}

backend_tests! {
    backups_cover_every_table(t) {
        let mut listed: Vec<String> = antq_store::backup::TABLES.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(antq_store::backup::schema_tables(&t.db).await.unwrap(), listed, "backup::TABLES must list every table");
    }
}
