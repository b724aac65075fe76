use antq_domain::target::{Formula, IndicatorUnit, Source, Term};
use antq_store::targets::{self, NewTarget, TargetFilter};
use antq_store::{StoreError, backend_tests};

use crate::now;

backend_tests! {
    every_source_counts_and_targets_are_unique(t) {
        // Every source, with every parameter it takes, reads on this backend.
        for s in Source::ALL {
            let mut params = std::collections::BTreeMap::new();
            for p in s.params() {
                let v = match *p { "type" => "camera_giam_sat|phong_chay_chua_chay", "rating" => "tot|kha", _ => "tuyen_truyen" };
                params.insert(p.to_string(), v.to_string());
            }
            let term = Term { source: *s, params };
            let rows = targets::term_counts(&t.db, "56", 2025, &term).await.unwrap_or_else(|e| panic!("{term}: {e}"));
            match s {
                Source::Communes => assert!(rows.len() > 10 && rows.iter().all(|(_, n)| *n == 1), "every commune once"),
                _ => assert!(rows.is_empty(), "{term}: nothing recorded yet"),
            }
        }
        // The seeded indicators parse and fit their unit.
        let seeded = targets::indicators(&t.db, None).await.unwrap();
        assert!(seeded.len() >= 8);
        for i in &seeded {
            let f = Formula::parse(&i.formula).unwrap_or_else(|e| panic!("{}: {e}", i.code));
            f.check_unit(i.unit).unwrap();
        }
        let id = seeded.iter().find(|i| i.unit == IndicatorUnit::Count).unwrap().id;
        let row = |commune| NewTarget { year: 2025, province: "56", commune, indicator_id: id, target_milli: 5_000, note: None };
        let mut tx = t.db.begin().await.unwrap();
        targets::insert_many(&mut tx, &[row(None), row(Some("22333"))], "t", now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        assert!(matches!(targets::insert_many(&mut tx, &[row(None)], "t", now()).await, Err(StoreError::Conflict)), "one target per unit, year and indicator");
        drop(tx);
        let all = targets::list_all(&t.db, &TargetFilter { province: Some("56".into()), ..Default::default() }).await.unwrap();
        assert_eq!((all.len(), all[0].commune_code.as_deref()), (2, None), "the province's own first");
    }
}
