use antq_domain::model::ModelState;
use antq_store::official::{self, Measure, Window};
use antq_store::{backend_tests, model_types, models};

use crate::{day, model, now};

fn window(from: &str, to: &str, year: i32) -> Window {
    Window { from: day(from), to: day(to), year }
}

backend_tests! {
    every_measure_reads_and_models_count_in_their_window(t) {
        // Every measure reads on this backend, for the country, a province and a commune.
        let w = window("2024-01-01", "2024-12-31", 2024);
        for m in official::ALL {
            for place in [(None, None), (Some("56"), None), (Some("56"), Some("22333"))] {
                let rows = official::measure(&t.db, *m, place, w).await.unwrap_or_else(|e| panic!("{m:?}: {e}"));
                assert!(rows.iter().all(|(_, v)| v.len() == official::width(*m)), "{m:?}");
            }
        }
        // Two working models registered in 2024 and a proposal, in two provinces.
        let types = model_types::list(&t.db, None).await.unwrap();
        let (a, b) = (types[0].id.0, types[1].id.0);
        let mut tx = t.db.begin().await.unwrap();
        for (p, c, ty, state) in [("56", "22333", a, ModelState::HoatDong), ("56", "22333", b, ModelState::DaRaMat), ("01", "00004", a, ModelState::HoatDong), ("56", "22333", a, ModelState::DeXuat)] {
            models::insert(&mut tx, p, Some(c), &model("Mô hình", ty), state, None, now()).await.unwrap();
        }
        tx.commit().await.unwrap();
        let working = official::measure(&t.db, Measure::ModelsWorking, (Some("56"), None), w).await.unwrap();
        let mut expected = vec![(a.to_string(), vec![1]), (b.to_string(), vec![1])];
        expected.sort();
        assert_eq!(working, expected, "the proposal and the other province are left out");
        let national = official::measure(&t.db, Measure::ModelsNew, (None, None), w).await.unwrap();
        assert_eq!(national.iter().map(|(_, v)| v[0]).sum::<i64>(), 3, "registered 1/3/2024, proposals aside");
        let before = official::measure(&t.db, Measure::ModelsWorking, (None, None), window("2023-01-01", "2023-12-31", 2023)).await.unwrap();
        assert!(before.is_empty(), "not yet registered at the end of 2023");
        // By place: the country by province, a province by commune, every measure reads.
        assert_eq!(official::by_place(&t.db, Measure::ModelsWorking, None, w).await.unwrap(), vec![("01".to_string(), vec![1]), ("56".to_string(), vec![2])]);
        assert_eq!(official::by_place(&t.db, Measure::ModelsWorking, Some("56"), w).await.unwrap(), vec![("22333".to_string(), vec![2])]);
        for m in official::ALL {
            official::by_place(&t.db, *m, Some("56"), w).await.unwrap_or_else(|e| panic!("{m:?}: {e}"));
        }
    }
}
