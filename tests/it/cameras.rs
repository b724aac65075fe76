//! Security cameras end to end: a point with its model and centre, bad input that writes
//! nothing, dated status changes, coverage that follows them, scope, the model's cameras, and
//! the files.

use serde_json::{Value, json};

use crate::api_models::{model_body, type_id};
use crate::app_tests;
use crate::support::PASSWORD;

fn row<'a>(table: &'a Value, code: &str) -> &'a Value {
    table["rows"].as_array().unwrap().iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("{code}: {table}"))
}

fn cell(table: &Value, code: &str, col: &str) -> i64 {
    let c =
        table["columns"].as_array().unwrap().iter().position(|c| c["code"] == col).unwrap_or_else(|| panic!("{col}"));
    row(table, code)["values"][c].as_i64().unwrap()
}

fn total(table: &Value, col: &str) -> i64 {
    let c = table["columns"].as_array().unwrap().iter().position(|c| c["code"] == col).unwrap();
    table["totals"][c].as_i64().unwrap()
}

app_tests! {
    cameras_statuses_coverage_and_scope(app) {
        let commune = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let other = app.api(&app.token("canbo2", "commune_officer", "22366").await);
        let camera_type = type_id(&commune, "camera_giam_sat").await;
        let (_, m) = commune.post("/api/v1/models", model_body(camera_type, "22333", "Camera an ninh tổ dân phố 5")).await;
        let model = m["id"].as_i64().unwrap();
        let (s, centre) = province.post("/api/v1/camera-centres", json!({"unit_code": "56", "name": "Trung tâm giám sát Công an tỉnh",
            "operator": "Phòng Tham mưu"})).await;
        assert_eq!(s, 201, "{centre}");
        let (s, e) = province.post("/api/v1/camera-centres", json!({"unit_code": "56", "name": "Trung tâm 2",
            "note": "rtsp://admin:123456@10.0.0.5/stream"})).await;
        assert!(s == 422 && e["error"]["fields"]["note"].as_str().unwrap().contains("luồng video"), "{e}");
        let body = json!({"name": "Ngã ba chợ Vĩnh Lương", "installed_on": "2025-03-01", "watches": "Chợ, trung tâm thương mại",
            "funding": "xa_hoi_hoa", "cost_vnd": 12_500_000, "latitude": "12,2388", "longitude": "109.1967",
            "model_id": model, "centre_id": centre["id"], "kind": "ptz", "keeper": "Tổ bảo vệ ANTT tổ 5"});
        let (s, c) = commune.post("/api/v1/cameras", body.clone()).await;
        assert_eq!(s, 201, "{c}");
        assert_eq!((c["commune_code"].as_str(), c["status"].as_str(), c["latitude"].as_f64()), (Some("22333"), Some("hoat_dong"), Some(12.2388)));
        assert_eq!(c["history"].as_array().unwrap().len(), 1);
        let id = c["id"].as_i64().unwrap();

        // Bad input: outside Vietnam, swapped, in the future, unknown funding, another commune's place.
        let mut bad = body.clone();
        bad["latitude"] = json!("48.85");
        bad["longitude"] = json!("2.35");
        bad["installed_on"] = json!("2999-01-01");
        bad["funding"] = json!("tiền chùa");
        let (s, e) = commune.post("/api/v1/cameras", bad).await;
        assert_eq!(s, 422, "{e}");
        let f = &e["error"]["fields"];
        assert!(f["latitude"].as_str().unwrap().contains("ngoài lãnh thổ") && f["installed_on"].is_string() && f["funding"].is_string(), "{e}");
        let (s, _) = commune.post("/api/v1/cameras", json!({"commune_code": "22366", "name": "X", "installed_on": "2025-01-01",
            "watches": "khac", "funding": "ngan_sach"})).await;
        assert_eq!(s, 422, "a commune officer records only in their commune");
        let (s, e) = other.post("/api/v1/cameras", json!({"name": "X", "installed_on": "2025-01-01", "watches": "khac",
            "funding": "ngan_sach", "model_id": model})).await;
        assert!(s == 422 && e["error"]["fields"]["model_id"].is_string(), "another commune's model: {e}");
        assert_eq!(commune.get("/api/v1/cameras").await.1["total"], 1, "nothing else was written");
        assert_eq!(other.get(&format!("/api/v1/cameras/{id}")).await.0, 403);

        // A second camera, broken since long ago; the first breaks and is repaired.
        let (_, c2) = commune.post("/api/v1/cameras", json!({"name": "Cổng trường THCS", "installed_on": "2024-09-01",
            "watches": "cong_truong", "funding": "Ngân sách nhà nước", "cost_vnd": 8_000_000})).await;
        let id2 = c2["id"].as_i64().unwrap();
        let (s, _) = commune.post(&format!("/api/v1/cameras/{id2}/status"), json!({"status": "hong", "on": "2025-01-05", "note": "Hỏng nguồn"})).await;
        assert_eq!(s, 200);
        let (s, e) = commune.post(&format!("/api/v1/cameras/{id}/status"), json!({"status": "hong", "on": "2025-02-01"})).await;
        assert!(s == 422 && e["error"]["fields"]["on"].is_string(), "before its installation: {e}");
        let (s, e) = commune.post(&format!("/api/v1/cameras/{id}/status"), json!({"status": "hoat_dong"})).await;
        assert!(s == 422 && e["error"]["fields"]["status"].is_string(), "already working: {e}");
        let (s, d) = commune.post(&format!("/api/v1/cameras/{id}/status"), json!({"status": "hong", "on": "2025-06-01"})).await;
        assert_eq!((s, d["status"].as_str()), (200, Some("hong")));
        commune.post(&format!("/api/v1/cameras/{id}/status"), json!({"status": "hoat_dong", "on": "2025-06-03"})).await;
        let (_, long) = commune.get("/api/v1/cameras?broken_days=30").await;
        assert_eq!((long["total"].as_i64(), long["items"][0]["id"].as_i64()), (Some(1), Some(id2)), "{long}");

        // Coverage: 22333 covered, 22366 not; the money by source; the province's totals.
        let (s, t) = province.get("/api/v1/stats/cameras").await;
        assert_eq!(s, 200, "{t}");
        assert_eq!((cell(&t, "22333", "working"), cell(&t, "22333", "broken"), cell(&t, "22333", "communes_covered")), (1, 1, 1));
        assert_eq!((cell(&t, "22366", "cameras"), cell(&t, "22366", "communes_covered")), (0, 0));
        assert_eq!((cell(&t, "22333", "cost_xa_hoi_hoa"), cell(&t, "22333", "cost_ngan_sach")), (12_500_000, 8_000_000));
        let communes = total(&t, "communes");
        assert!(communes > 40, "every commune of Khánh Hòa is listed: {communes}");
        assert_eq!(total(&t, "covered_pct"), 100_000 / communes, "1 commune of {communes}, in thousandths of a per cent");
        let (_, national) = app.api(&app.token("quantri", "admin", "56").await).get("/api/v1/stats/cameras").await;
        assert_eq!((cell(&national, "56", "cameras"), cell(&national, "56", "communes_covered"), cell(&national, "01", "cameras")), (2, 1, 0));
        assert_eq!(total(&national, "communes"), 3321);

        // Moving the school's camera to the model, removing it: final.
        let (s, p) = commune.patch(&format!("/api/v1/cameras/{id2}"), json!({"model_id": model, "cost_vnd": 9_000_000})).await;
        assert_eq!((s, p["model_name"].as_str()), (200, Some("Camera an ninh tổ dân phố 5")), "{p}");
        commune.post(&format!("/api/v1/cameras/{id2}/status"), json!({"status": "da_thao"})).await;
        let (s, e) = commune.post(&format!("/api/v1/cameras/{id2}/status"), json!({"status": "hoat_dong"})).await;
        assert!(s == 422 && e["error"]["fields"]["status"].as_str().unwrap().contains("không chuyển được"), "{e}");
        let (_, t) = province.get("/api/v1/stats/cameras?commune=22333").await;
        assert_eq!((cell(&t, "22333", "cameras"), cell(&t, "22333", "removed"), cell(&t, "22333", "cost_ngan_sach")), (1, 1, 9_000_000));
        let (recount, kept) = antq_store::cameras::recount_and_kept(&app.ctx.db).await.unwrap();
        assert_eq!(recount, kept);

        // Every change is audited.
        let admin = app.api(&app.token("admin2", "admin", "56").await);
        let (_, audit) = admin.get(&format!("/api/v1/audit?object_type=camera&object_id={id2}")).await;
        assert!(audit["total"].as_i64().unwrap() >= 4, "{audit}");
    }

    camera_import_is_all_or_nothing(app) {
        let api = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let bad = "ma xa;ten diem;vi do;kinh do;ngay lap dat;vi tri giam sat;nguon kinh phi;kinh phi\n\
            22333;Nút giao 1;12,25;109,19;01/03/2025;Đường giao thông, nút giao;Xã hội hóa;15.000.000\n\
            22333;Nút giao 2;109,19;12,25;01/03/2025;duong giao thong;xa hoi hoa;15.000.000\n\
            22333;Nút giao 3;;;01/03/2025;Khác;Tiền túi;\n";
        let (s, r) = api.post_bytes("/api/v1/cameras/import?dry_run=false&format=csv", bad.as_bytes().to_vec()).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!((r["valid"].as_i64(), r["created"].as_i64()), (Some(1), Some(0)), "{r}");
        let columns: Vec<&str> = r["errors"].as_array().unwrap().iter().filter_map(|e| e["column"].as_str()).collect();
        assert!(columns.contains(&"Vĩ độ") && columns.contains(&"Nguồn kinh phí"), "{r}");
        assert_eq!(api.get("/api/v1/cameras").await.1["total"], 0, "nothing written");
        let good = "Mã xã;Tên, số hiệu điểm camera;Vĩ độ;Kinh độ;Ngày lắp đặt;Vị trí giám sát;Nguồn kinh phí;Kinh phí (đồng)\n\
            22333;Nút giao 1;12,25;109,19;01/03/2025;Đường giao thông, nút giao;Xã hội hóa;15.000.000\n\
            22333;Nút giao 2;12.26;109.18;02/03/2025;duong giao thong;ho gia dinh;3.000.000\n";
        let (_, r) = api.post_bytes("/api/v1/cameras/import?dry_run=false&format=csv", good.as_bytes().to_vec()).await;
        assert_eq!(r["created"], 2, "{r}");
        let (s, bytes) = api.get_bytes("/api/v1/cameras/export?format=csv").await;
        let text = String::from_utf8(bytes).unwrap();
        assert!(s == 200 && text.contains("12,260000") && text.contains("Hộ gia đình"), "{text}");
        let (_, t) = api.get("/api/v1/stats/cameras").await;
        assert_eq!(cell(&t, "22333", "cost_total"), 18_000_000);
    }
}

app_tests! {
    camera_pages_work_without_javascript(app) {
        app.user("canbo", "commune_officer", "22333").await;
        let b = app.browser();
        let csrf = b.login("canbo", PASSWORD).await;
        let (s, page, _) = b.get("/cameras/new").await;
        assert_eq!(s, 200, "{page}");
        let form = [("_csrf", csrf.as_str()), ("name", "Ngã tư chợ"), ("installed_on", "2025-02-01"), ("watches", "cho"),
            ("funding", "xa_hoi_hoa"), ("cost_vnd", "15.000.000"), ("latitude", "109,2"), ("longitude", "12,2")];
        let (s, page, _) = b.post("/cameras/new", &form).await;
        assert_eq!(s, 422);
        assert!(page.contains("đảo chỗ") && page.contains("value=\"Ngã tư chợ\""), "refused and refilled: {page}");
        let mut form = form.to_vec();
        form[6] = ("latitude", "12,2");
        form[7] = ("longitude", "109,2");
        let (s, _, loc) = b.post("/cameras/new", &form).await;
        assert_eq!(s, 303);
        let camera = loc.unwrap();
        let (s, page, _) = b.get(&camera).await;
        assert!(s == 200 && page.contains("Ngã tư chợ") && page.contains("15.000.000"), "{page}");
        let (s, _, _) = b.post(&format!("{camera}/status"), &[("_csrf", &csrf), ("status", "hong"), ("on", "2025-03-01"), ("note", "Mất tín hiệu")]).await;
        assert_eq!(s, 303);
        let (_, page, _) = b.get(&camera).await;
        assert!(page.contains("Mất tín hiệu") && page.contains("id=\"camera-status\">Hỏng"), "{page}");
        let (s, page, _) = b.post(&format!("{camera}/status"), &[("_csrf", &csrf), ("status", "hong")]).await;
        assert!(s == 422 && page.contains("chỉ chuyển được sang"), "{page}");
        let (_, page, _) = b.get("/cameras?broken_days=30").await;
        assert!(page.contains("Ngã tư chợ"), "broken since March: {page}");
        let (s, page, _) = b.get("/stats/cameras").await;
        assert!(s == 200 && page.contains("id=\"stats-table\"") && page.contains("15.000.000") && page.contains("id=\"broken-long\""), "{page}");
        let (s, page, _) = b.post("/camera-centres", &[("_csrf", &csrf), ("name", "Trung tâm xã"), ("note", "http://admin:1@cam")]).await;
        assert!(s == 422 && page.contains("luồng video"), "{page}");
        let (s, _, _) = b.post("/camera-centres", &[("_csrf", &csrf), ("name", "Trung tâm xã")]).await;
        assert_eq!(s, 303);
        let (_, page, _) = b.get("/camera-centres").await;
        assert!(page.contains("Trung tâm xã"), "{page}");
    }
}
