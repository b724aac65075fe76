//! The history of the administrative map for users: former units found by their names of the
//! time, what each became, what a current unit came from, the succession table exported
//! whole, and the pages that show it.

use crate::app_tests;

app_tests! {
    former_units_their_successors_and_the_pages(app) {
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        let (s, g) = api.get("/api/v1/unit-generations").await;
        assert_eq!(s, 200, "{g}");
        let ids: Vec<&str> = g["generations"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["truoc_2025", "2025"]);
        assert_eq!(g["generations"][0]["valid_to"], "2025-06-30");

        // A former commune by its name without diacritics: where it was, what it became.
        let (s, found) = api.get("/api/v1/former-units?q=vinh%20luong&level=commune&province=56").await;
        assert_eq!(s, 200, "{found}");
        let hit = found["items"].as_array().unwrap().iter().find(|h| h["unit"]["code"] == "22384").expect("Vĩnh Lương");
        assert_eq!(hit["name"], "Xã Vĩnh Lương");
        assert_eq!(hit["place"], "thành phố Nha Trang, tỉnh Khánh Hòa");
        assert_eq!(hit["now"][0]["succession"]["to_code"], "22333");
        assert_eq!(hit["now"][0]["name"], "Phường Bắc Nha Trang");
        assert_eq!(hit["now"][0]["succession"]["relation"], "nhap_toan_bo");
        assert_eq!(hit["now"][0]["succession"]["legal_basis"], "1667/NQ-UBTVQH15");

        // A former district: no successor of its own; its communes listed under it.
        let (s, d) = api.get("/api/v1/former-units/truoc_2025/district/568").await;
        assert_eq!(s, 200, "{d}");
        assert_eq!((d["name"].as_str(), d["became"].as_array().map(Vec::len)), (Some("Thành phố Nha Trang"), Some(0)));
        let (_, communes) = api.get("/api/v1/former-units?district=568&per_page=200").await;
        assert!(communes["total"].as_i64().unwrap() >= 20, "{communes}");

        // A split ward names every successor, the default first, shares summing to 100%.
        let (_, split) = api.get("/api/v1/former-units/truoc_2025/commune/00007").await;
        let became = split["became"].as_array().unwrap();
        assert!(became.len() >= 2 && became[0]["succession"]["is_default"] == true, "{split}");
        assert_eq!(became.iter().map(|s| s["succession"]["weight_milli"].as_i64().unwrap()).sum::<i64>(), 1000);
        assert_eq!(became[0]["place"], "Thành phố Hà Nội");

        // What a current ward came from.
        let (_, lineage) = api.get("/api/v1/units/22333/lineage").await;
        let from = lineage["came_from"].as_array().unwrap();
        let vl = from.iter().find(|s| s["succession"]["from_code"] == "22384").expect("Vĩnh Lương in the lineage");
        assert_eq!((vl["name"].as_str(), vl["place"].as_str()), (Some("Xã Vĩnh Lương"), Some("thành phố Nha Trang, tỉnh Khánh Hòa")));
        assert_eq!(vl["href"], "/units/former/truoc_2025/commune/22384");
        // A province's lineage: Khánh Hòa took in Ninh Thuận.
        let (_, p) = api.get("/api/v1/units/56/lineage").await;
        let names: Vec<&str> = p["came_from"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Tỉnh Khánh Hòa", "Tỉnh Ninh Thuận"]);

        // Unknown things are 404 / 422 with a Vietnamese message.
        let (s, _) = api.get("/api/v1/former-units/truoc_2025/commune/99999").await;
        assert_eq!(s, 404);
        let (s, _) = api.get("/api/v1/former-units/khong_co/commune/22384").await;
        assert_eq!(s, 404);
        let (s, e) = api.get("/api/v1/former-units?level=tinh").await;
        assert_eq!(s, 422, "{e}");
        assert!(e["error"]["fields"]["level"].as_str().unwrap().contains("Cấp"), "{e}");

        // The whole succession, exported.
        let (s, csv) = api.get_bytes("/api/v1/unit-successions/export?format=csv").await;
        assert_eq!(s, 200);
        let text = String::from_utf8(csv).unwrap();
        let rows = text.lines().count() - 1;
        assert_eq!(rows, antq_store::seed::SUCCESSION_2025_CSV.lines().count() - 1);
        assert!(text.lines().any(|l| l.contains("22384") && l.contains("Xã Vĩnh Lương") && l.contains("Phường Bắc Nha Trang")), "no Vĩnh Lương row");

        // The pages: a search finds the former name and says what it is now; the former unit's
        // page and the current unit's lineage link to each other.
        let b = app.browser();
        app.user("xem", "province_officer", "56").await;
        b.login("xem", "mat-khau-du-dai-123").await;
        let (s, page, _) = b.get("/units?q=vinh%20luong").await;
        assert_eq!(s, 200);
        assert!(page.contains("/units/former/truoc_2025/commune/22384") && page.contains("Phường Bắc Nha Trang"), "search page");
        let (s, page, _) = b.get("/units/former/truoc_2025/commune/22384").await;
        assert_eq!(s, 200);
        assert!(page.contains("thành phố Nha Trang, tỉnh Khánh Hòa") && page.contains("href=\"/units/22333\""), "former page");
        let (s, page, _) = b.get("/units/22333").await;
        assert_eq!(s, 200);
        assert!(page.contains("id=\"came-from\"") && page.contains("/units/former/truoc_2025/commune/22384"), "unit page");
        let (s, page, _) = b.get("/units/former/truoc_2025/district/568").await;
        assert_eq!(s, 200);
        assert!(page.contains("/units/former/truoc_2025/commune/22384"), "district page lists its communes");
        let (s, _, _) = b.get("/units/former/truoc_2025/tinh/56").await;
        assert_eq!(s, 404);
    }
}
