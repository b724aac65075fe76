//! Yearly targets end to end: indicators as data (a province adds its own, a bad formula is
//! refused), targets of a province split among its communes with the check that the split adds
//! up, values computed live from models and cameras recorded through the API, the communes'
//! progress worst first, scope, refusals that write nothing, the file round trip and the audit.

use serde_json::{Value, json};

use crate::api_models::{model_body, type_id};
use crate::app_tests;
use crate::support::PASSWORD;

async fn indicator(api: &crate::support::Api, code: &str) -> i64 {
    let (_, list) = api.get("/api/v1/target-indicators?per_page=200").await;
    list["items"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap_or_else(|| panic!("{code}: {list}"))["id"]
        .as_i64()
        .unwrap()
}

fn of(overview: &Value, indicator: i64) -> &Value {
    overview["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"]["id"] == indicator)
        .unwrap_or_else(|| panic!("{overview}"))
}

app_tests! {
    targets_progress_split_and_scope(app) {
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let commune = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let elsewhere = app.api(&app.token("tinh2", "province_officer", "01").await);
        let communes = province.get("/api/v1/units?parent=56&per_page=1").await.1["total"].as_i64().unwrap();
        assert!(communes > 2);

        // What there is to count: two models registered in 2025 in 22333, one in 2024; two
        // cameras installed in 2025 in 22333 and 22366 (the latter broken), one in 2024.
        let camera = type_id(&commune, "camera_giam_sat").await;
        for (name, on) in [("Camera tổ 1", "2025-02-01"), ("Camera tổ 2", "2025-05-01"), ("Camera tổ 3", "2024-05-01")] {
            let mut b = model_body(camera, "22333", name);
            b["registered_on"] = json!(on);
            assert_eq!(commune.post("/api/v1/models", b).await.0, 201);
        }
        let cam = |commune: &str, name: &str, on: &str| json!({"commune_code": commune, "name": name, "installed_on": on,
            "watches": "cho", "funding": "xa_hoi_hoa", "cost_vnd": 1_000_000});
        for body in [cam("22333", "Chợ", "2025-03-01"), cam("22366", "Bến xe", "2025-04-01"), cam("22333", "Trường", "2024-04-01")] {
            assert_eq!(province.post("/api/v1/cameras", body).await.0, 201);
        }
        let (_, broken) = province.get("/api/v1/cameras?commune=22366").await;
        let broken = broken["items"][0]["id"].as_i64().unwrap();
        province.post(&format!("/api/v1/cameras/{broken}/status"), json!({"status": "hong", "on": "2025-06-01"})).await;

        let new_models = indicator(&province, "mo_hinh_moi").await;
        let with_camera = indicator(&province, "xa_co_camera").await;
        let installed = indicator(&province, "camera_lap_moi").await;

        // The province's target and its split: 4 + 3 of 10 does not add up.
        let (s, t) = province.post("/api/v1/targets", json!({"year": 2025, "unit_code": "56", "indicator_id": new_models, "value": "10"})).await;
        assert_eq!(s, 201, "{t}");
        assert_eq!(t["target_milli"], 10_000);
        let (s, _) = province.post("/api/v1/targets", json!({"year": 2025, "unit_code": "22333", "indicator_id": new_models, "value": 4})).await;
        assert_eq!(s, 201);
        let (_, t22366) = province.post("/api/v1/targets", json!({"year": 2025, "unit_code": "22366", "indicator_id": new_models, "value": "3"})).await;
        province.post("/api/v1/targets", json!({"year": 2025, "unit_code": "56", "indicator_id": with_camera, "value": "75,5"})).await;
        province.post("/api/v1/targets", json!({"year": 2025, "unit_code": "56", "indicator_id": installed, "value": "1.200"})).await;

        let (s, o) = province.get("/api/v1/stats/targets?year=2025").await;
        assert_eq!(s, 200, "{o}");
        assert_eq!(o["elapsed_milli"], 1000, "2025 is over");
        let r = of(&o, new_models);
        assert_eq!((r["value_milli"].as_i64(), r["progress"]["of_target_milli"].as_i64(), r["progress"]["on_track"].as_bool()), (Some(2_000), Some(20_000), Some(false)), "{r}");
        assert_eq!((r["split"]["adds_up"].as_bool(), r["split"]["gap_milli"].as_i64(), r["split"]["communes_with_target"].as_i64()), (Some(false), Some(-3_000), Some(2)), "{r}");
        let r = of(&o, with_camera);
        assert_eq!(r["value_milli"].as_i64(), Some(100_000 / communes), "one commune of {communes} has a working camera: {r}");
        assert_eq!(of(&o, installed)["value_milli"], 2_000, "two installed in 2025");
        let (_, o24) = province.get("/api/v1/stats/targets?year=2024").await;
        assert!(o24["rows"].as_array().unwrap().is_empty(), "no target in 2024: {o24}");

        // Raising 22366's share to 6 makes the split add up.
        let (s, _) = province.patch(&format!("/api/v1/targets/{}", t22366["id"]), json!({"value": "6"})).await;
        assert_eq!(s, 200);
        let (_, o) = province.get("/api/v1/stats/targets?year=2025").await;
        assert_eq!(of(&o, new_models)["split"]["adds_up"], true, "{o}");

        // Refusals write nothing.
        let before = province.get("/api/v1/targets?year=2025").await.1["total"].as_i64().unwrap();
        for (body, field) in [
            (json!({"year": 2025, "unit_code": "56", "indicator_id": with_camera, "value": "120"}), "value"),
            (json!({"year": 2025, "unit_code": "22339", "indicator_id": new_models, "value": "abc"}), "value"),
            (json!({"year": 2090, "unit_code": "22339", "indicator_id": new_models, "value": "1"}), "year"),
            (json!({"year": 2025, "unit_code": "99999", "indicator_id": new_models, "value": "1"}), "unit_code"),
            (json!({"year": 2025, "unit_code": "56", "value": "1"}), "indicator_id"),
        ] {
            let (s, e) = province.post("/api/v1/targets", body.clone()).await;
            assert!(s == 422 && e["error"]["fields"][field].is_string(), "{body}: {e}");
        }
        let (s, e) = province.post("/api/v1/targets", json!({"year": 2025, "unit_code": "22333", "indicator_id": new_models, "value": "5"})).await;
        assert!(s == 422 && e["error"]["fields"]["indicator_id"].as_str().unwrap().contains("đã có"), "a second target of the same unit: {e}");
        assert_eq!(commune.post("/api/v1/targets", json!({"year": 2025, "unit_code": "22333", "indicator_id": new_models, "value": "9"})).await.0, 403);
        assert_eq!(elsewhere.post("/api/v1/targets", json!({"year": 2025, "unit_code": "22333", "indicator_id": new_models, "value": "9"})).await.0, 403);
        assert_eq!(province.get("/api/v1/targets?year=2025").await.1["total"].as_i64().unwrap(), before, "nothing written");

        // The communes worst first: 22366 (0 of 6) before 22333 (2 of 4); every commune listed.
        let (s, p) = province.get(&format!("/api/v1/stats/targets/communes?year=2025&indicator_id={new_models}")).await;
        assert_eq!(s, 200, "{p}");
        let rows = p["rows"].as_array().unwrap();
        assert_eq!(rows.len() as i64, communes);
        assert_eq!((rows[0]["code"].as_str(), rows[0]["cells"][0]["value_milli"].as_i64()), (Some("22366"), Some(0)), "{p}");
        let mine = rows.iter().find(|r| r["code"] == "22333").unwrap();
        assert_eq!(mine["cells"][0]["progress"]["of_target_milli"], 50_000, "{mine}");
        // All indicators with a target: three columns; a commune without its own share target is
        // measured against the province's.
        let (_, all) = province.get("/api/v1/stats/targets/communes?year=2025").await;
        assert_eq!(all["columns"].as_array().unwrap().len(), 3, "{}", all["columns"]);
        let c = all["columns"].as_array().unwrap().iter().position(|c| c["indicator"]["id"] == with_camera).unwrap();
        let r22333 = all["rows"].as_array().unwrap().iter().find(|r| r["code"] == "22333").unwrap();
        assert_eq!((r22333["cells"][c]["value_milli"].as_i64(), r22333["cells"][c]["target_milli"].as_i64(), r22333["cells"][c]["own_target"].as_bool()), (Some(100_000), Some(75_500), Some(false)));

        // A commune officer sees their commune alone, measured against their own target.
        let (s, o) = commune.get("/api/v1/stats/targets?year=2025").await;
        assert_eq!(s, 200, "{o}");
        assert_eq!((o["commune"].as_str(), of(&o, new_models)["applied_milli"].as_i64(), of(&o, new_models)["value_milli"].as_i64()), (Some("22333"), Some(4_000), Some(2_000)));
        assert_eq!(commune.get("/api/v1/stats/targets/communes?year=2025").await.1["rows"].as_array().unwrap().len(), 1);
        assert_eq!(commune.get("/api/v1/stats/targets?province=01").await.0, 403);
        assert_eq!(elsewhere.get(&format!("/api/v1/targets/{}", t["id"])).await.0, 403);
        let (s, e) = app.api(&app.token("admin2", "admin", "56").await).get("/api/v1/stats/targets").await;
        assert!(s == 422 && e["error"]["fields"]["province"].is_string(), "a national user chooses a province: {e}");
        let (s, e) = province.get("/api/v1/stats/targets?commune=00004").await;
        assert!(s == 422 && e["error"]["fields"]["commune"].as_str().unwrap().contains("không thuộc"), "{e}");

        // A province's own indicator; bad formulas say why.
        let body = json!({"code": "camera_dang_chay", "name": "Số mô hình camera đang hoạt động", "formula": "models_active(type=camera_giam_sat)",
            "unit": "count", "source": "Sổ theo dõi mô hình"});
        let (s, i) = province.post("/api/v1/target-indicators", body.clone()).await;
        assert_eq!((s, i["province_code"].as_str()), (201, Some("56")), "{i}");
        for (formula, unit, says) in [("villages()", "count", "Không có nguồn"), ("models_active(type=khong_co)", "count", "loại mô hình"),
            ("areas_recognised() / areas()", "count", "phép chia"), ("sessions(kind=a;b)", "count", "phải là mã")] {
            let mut b = body.clone();
            b["code"] = json!("khac");
            b["formula"] = json!(formula);
            b["unit"] = json!(unit);
            let (s, e) = province.post("/api/v1/target-indicators", b).await;
            assert!(s == 422 && e["error"]["fields"]["formula"].as_str().unwrap_or("").contains(says), "{formula}: {e}");
        }
        assert_eq!(commune.post("/api/v1/target-indicators", body.clone()).await.0, 403);
        let (_, theirs) = elsewhere.get("/api/v1/target-indicators?per_page=200").await;
        assert!(!theirs["items"].as_array().unwrap().iter().any(|x| x["code"] == "camera_dang_chay"), "another province's indicator is not offered");
        let (s, _) = elsewhere.post("/api/v1/targets", json!({"year": 2025, "unit_code": "01", "indicator_id": i["id"], "value": "1"})).await;
        assert_eq!(s, 422);
        let (s, p) = province.patch(&format!("/api/v1/target-indicators/{}", i["id"]), json!({"unit": "percent", "name": "Mô hình camera đang hoạt động"})).await;
        assert_eq!((s, p["unit"].as_str(), p["name"].as_str()), (200, Some("count"), Some("Mô hình camera đang hoạt động")), "the unit stays: {p}");
        assert_eq!(province.patch(&format!("/api/v1/target-indicators/{new_models}"), json!({"name": "X"})).await.0, 403, "a national indicator is the ministry's");

        // Delete, audit.
        assert_eq!(province.delete(&format!("/api/v1/targets/{}", t22366["id"])).await.0, 204);
        assert_eq!(province.get(&format!("/api/v1/targets/{}", t22366["id"])).await.0, 404);
        let admin = app.api(&app.token("kiemtra", "auditor", "56").await);
        let (_, audit) = admin.get(&format!("/api/v1/audit?object_type=target&object_id={}", t22366["id"])).await;
        assert_eq!(audit["total"], 3, "created, changed, deleted: {audit}");
    }

    targets_files_round_trip(app) {
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let bad = "Năm;Mã đơn vị;Mã chỉ tiêu;Giá trị chỉ tiêu\n\
            2026;56;mo_hinh_moi;20\n\
            2026;22333;Số mô hình mới xây dựng trong năm;12\n\
            2026;22366;mo_hinh_moi;mười\n\
            2026;00004;mo_hinh_moi;3\n\
            2026;22333;mo_hinh_moi;4\n";
        let (s, r) = province.post_bytes("/api/v1/targets/import?dry_run=false&format=csv", bad.as_bytes().to_vec()).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!((r["valid"].as_i64(), r["created"].as_i64()), (Some(2), Some(0)), "{r}");
        let errors = r["errors"].to_string();
        assert!(errors.contains("số nguyên") && errors.contains("ngoài địa bàn") && errors.contains("Trùng với dòng"), "{r}");
        assert_eq!(province.get("/api/v1/targets").await.1["total"], 0, "nothing written");
        let good = "nam;ma don vi;ma chi tieu;gia tri;ghi chu\n2026;56;mo_hinh_moi;20;Nghị quyết HĐND\n2026;22333;mo_hinh_moi;12;\n2026;56;kdc_an_toan;80,5;\n";
        let (_, r) = province.post_bytes("/api/v1/targets/import?dry_run=false&format=csv", good.as_bytes().to_vec()).await;
        assert_eq!(r["created"], 3, "{r}");
        // Importing again sets new values instead of failing.
        let again = "nam;ma don vi;ma chi tieu;gia tri\n2026;22333;mo_hinh_moi;15\n";
        let (_, r) = province.post_bytes("/api/v1/targets/import?dry_run=false&format=csv", again.as_bytes().to_vec()).await;
        assert_eq!(r["created"], 1, "{r}");
        let (_, list) = province.get("/api/v1/targets?year=2026&level=xa").await;
        assert_eq!((list["total"].as_i64(), list["items"][0]["target_milli"].as_i64()), (Some(1), Some(15_000)), "{list}");
        let (s, bytes) = province.get_bytes("/api/v1/targets/export?format=csv&year=2026").await;
        let text = String::from_utf8(bytes).unwrap();
        assert!(s == 200 && text.contains("80,5") && text.contains("Nghị quyết HĐND") && text.contains("Tỷ lệ (%)"), "{text}");
        let (s, bytes) = province.get_bytes("/api/v1/stats/targets/communes/export?format=csv&year=2026").await;
        let text = String::from_utf8(bytes).unwrap();
        assert!(s == 200 && text.contains("Toàn tỉnh") && text.contains("Số mô hình mới xây dựng trong năm: chỉ tiêu") && text.contains(",15,"), "{text}");
    }

    target_pages_work_without_javascript(app) {
        app.user("tinh", "province_officer", "56").await;
        let b = app.browser();
        let csrf = b.login("tinh", PASSWORD).await;
        let (s, page, _) = b.get("/targets?year=2026").await;
        assert!(s == 200 && page.contains("target-form"), "{page}");
        let id = {
            let start = page.find("name=\"indicator_id\" required><option value=\"").unwrap() + 44;
            page[start..].split('"').next().unwrap().to_string()
        };
        let form = [("_csrf", csrf.as_str()), ("province", "56"), ("year", "2026"), ("unit_code", "56"), ("indicator_id", id.as_str()), ("value", "mười")];
        let (s, page, _) = b.post("/targets", &form).await;
        assert!(s == 422 && page.contains("số nguyên") && page.contains("value=\"mười\""), "refused and refilled: {page}");
        let form = [("_csrf", csrf.as_str()), ("province", "56"), ("year", "2026"), ("unit_code", "56"), ("indicator_id", id.as_str()), ("value", "7")];
        let (s, _, loc) = b.post("/targets", &form).await;
        assert_eq!((s, loc.as_deref()), (303, Some("/targets?year=2026&province=56")));
        let (_, page, _) = b.get("/targets?year=2026&province=56").await;
        assert!(page.contains("targets-table") && page.contains(">7<"), "{page}");
        let (s, page, _) = b.get("/targets/communes?year=2026").await;
        assert!(s == 200 && page.contains("progress-table") && page.contains("Toàn tỉnh"), "{page}");
        app.user("quantri", "admin", "56").await;
        let admin = app.browser();
        admin.login("quantri", PASSWORD).await;
        let (s, page, _) = admin.get("/targets/communes").await;
        assert!(s == 200 && page.contains("Chọn tỉnh, thành phố") && !page.contains("progress-table"), "a national user is asked for a province: {page}");
        let (s, page, _) = b.get("/target-indicators").await;
        assert!(s == 200 && page.contains("kdc_an_toan") && page.contains("indicator-form"), "{page}");
        let form = [("_csrf", csrf.as_str()), ("code", "moi"), ("name", "Mới"), ("formula", "areas() / areas()"), ("unit", "count"), ("source", "x"), ("active", "1")];
        let (s, page, _) = b.post("/target-indicators", &form).await;
        assert!(s == 422 && page.contains("phép chia"), "{page}");
    }
}
