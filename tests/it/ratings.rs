//! Yearly model ratings (C4) through the API: rounds, sheets, locking, follow-ups, bulk
//! entry, statistics and the rules they read.

use serde_json::{Value, json};

use crate::app_tests;
use crate::support::Api;

/// A model of `commune` moved to "đang hoạt động", launched on `launch`.
async fn active_model(api: &Api, commune: &str, name: &str, launch: &str) -> i64 {
    let (_, types) = api.get("/api/v1/model-types").await;
    let type_id = types["items"][0]["id"].as_i64().unwrap();
    let body = json!({"name": name, "type_id": type_id, "level": "xa", "commune_code": commune, "origin_kind": "xa",
        "host_org": "cong_an", "scope": "toan_dien", "registered_on": "2023-01-10"});
    let (s, m) = api.post("/api/v1/models", body).await;
    assert_eq!(s, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    for (to, date) in [("xay_dung", "2023-02-01"), ("da_ra_mat", launch), ("hoat_dong", launch)] {
        let (s, b) = api.post(&format!("/api/v1/models/{id}/transitions"), json!({"to": to, "on_date": date})).await;
        assert_eq!(s, 200, "{b}");
    }
    id
}

fn rated(sheet: &Value) -> i64 {
    sheet["targets"].as_array().unwrap().iter().filter(|t| !t["rating"].is_null()).count() as i64
}

app_tests! {
    rating_round_end_to_end(app) {
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let old = active_model(&commune, "22333", "Camera an ninh tổ 1", "2024-05-19").await;
        let young = active_model(&commune, "22333", "Tổ tự quản mới", "2026-10-01").await;
        let other = active_model(&province, "22390", "Mô hình xã khác", "2024-05-19").await;

        // Only the province opens rounds; the window comes from the rule (16/11 → 15/11).
        let (s, _) = commune.post("/api/v1/rating-rounds", json!({"year": 2026})).await;
        assert_eq!(s, 403);
        let (s, round) = province.post("/api/v1/rating-rounds", json!({"year": 2026})).await;
        assert_eq!(s, 201, "{round}");
        assert_eq!((round["window_from"].as_str(), round["window_to"].as_str()), (Some("2025-11-16"), Some("2026-11-15")));
        let rid = round["id"].as_i64().unwrap();
        let (s, b) = province.post("/api/v1/rating-rounds", json!({"year": 2026})).await;
        assert_eq!(s, 409, "{b}");
        assert!(b["error"]["message"].as_str().unwrap().contains("2026"));

        let sheet_url = format!("/api/v1/rating-rounds/{rid}/units/22333");
        let (_, sheet) = commune.get(&sheet_url).await;
        assert_eq!(sheet["targets"].as_array().unwrap().len(), 2, "{sheet}");
        let young_target = sheet["targets"].as_array().unwrap().iter().find(|t| t["model_id"] == young).unwrap().clone();
        assert!(young_target["forced_reason"].as_str().unwrap().contains("chưa đủ 6 tháng"), "{young_target}");
        let criteria = sheet["criteria_sets"][0]["criteria"].as_array().unwrap();
        assert_eq!(criteria.len(), 5);

        let rate = format!("/api/v1/rating-rounds/{rid}/ratings");
        // Outside the scale: refused, nothing written.
        let (s, b) = commune.post(&rate, json!({"model_id": old, "rating": "xuat_sac"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["rating"].as_str().unwrap().contains("Tốt, Khá"), "{b}");
        // A criterion that is not in the set.
        let (s, b) = commune.post(&rate, json!({"model_id": old, "rating": "tot", "checklist": {"X.9": true}})).await;
        assert_eq!(s, 422, "{b}");
        // Too young for anything but "chưa đánh giá".
        let (s, b) = commune.post(&rate, json!({"model_id": young, "rating": "tot"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["rating"].as_str().unwrap().contains("Chưa đánh giá"), "{b}");
        // Another commune's model: out of scope.
        let (s, _) = commune.post(&rate, json!({"model_id": other, "rating": "tot"})).await;
        assert_eq!(s, 403);
        assert_eq!(rated(&commune.get(&sheet_url).await.1), 0);

        let (s, r) = commune.post(&rate, json!({"model_id": old, "rating": "kha", "checklist": {"HD22.1": true, "HD22.2": true, "HD22.3": true}})).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!((r["score"].as_i64(), r["rating"].as_str()), (Some(65), Some("kha")));
        let rating_id = r["id"].as_i64().unwrap();
        // A second rating of the same model in the round.
        let (s, b) = commune.post(&rate, json!({"model_id": old, "rating": "tot"})).await;
        assert_eq!(s, 409);
        assert!(b["error"]["message"].as_str().unwrap().contains("đã được xếp loại"), "{b}");
        let (s, r) = commune.patch(&format!("/api/v1/ratings/{rating_id}"), json!({"rating": "can_thanh_loai", "note": "Không duy trì"})).await;
        assert_eq!((s, r["rating"].as_str()), (200, Some("can_thanh_loai")), "{r}");
        let (_, sheet) = commune.get(&sheet_url).await;
        let t = sheet["targets"].as_array().unwrap().iter().find(|t| t["model_id"] == old).unwrap();
        assert_eq!(t["suggested"].as_str(), Some("can_thanh_loai"), "score 0 of 100 suggests elimination");

        // Submit: the young model is recorded as "chưa đánh giá" with its reason.
        let (s, sh) = commune.post(&format!("{sheet_url}/submit"), json!({})).await;
        assert_eq!((s, sh["state"].as_str()), (200, Some("da_nop")), "{sh}");
        let (_, sheet) = commune.get(&sheet_url).await;
        let y = sheet["targets"].as_array().unwrap().iter().find(|t| t["model_id"] == young).unwrap();
        assert_eq!(y["rating"]["rating"].as_str(), Some("chua_danh_gia"));
        assert!(y["rating"]["note"].as_str().unwrap().contains("tháng"));
        // Submitted: no more changes.
        let (s, _) = commune.patch(&format!("/api/v1/ratings/{rating_id}"), json!({"rating": "tot"})).await;
        assert_eq!(s, 409);
        // Only the province reviews; returning needs a comment.
        let review = format!("{sheet_url}/review");
        let (s, _) = commune.post(&review, json!({"action": "approve"})).await;
        assert_eq!(s, 403);
        let (s, b) = province.post(&review, json!({"action": "return"})).await;
        assert_eq!(s, 422, "{b}");
        let (s, sh) = province.post(&review, json!({"action": "return", "comment": "Xem lại mô hình camera"})).await;
        assert_eq!((s, sh["state"].as_str(), sh["comment"].as_str()), (200, Some("tra_lai"), Some("Xem lại mô hình camera")));
        let (s, _) = commune.post(&format!("{sheet_url}/submit"), json!({})).await;
        assert_eq!(s, 200);
        let (s, sh) = province.post(&review, json!({"action": "approve"})).await;
        assert_eq!((s, sh["state"].as_str()), (200, Some("da_duyet")));
        // Locked.
        let (s, b) = commune.patch(&format!("/api/v1/ratings/{rating_id}"), json!({"rating": "tot"})).await;
        assert_eq!(s, 409);
        assert!(b["error"]["message"].as_str().unwrap().contains("Đã duyệt"), "{b}");

        // The other commune has a model and has not submitted: the round needs a note.
        let (s, b) = province.post(&format!("/api/v1/rating-rounds/{rid}/approve"), json!({})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["note"].as_str().unwrap().contains("chưa nộp"), "{b}");
        let (s, r) = province.post(&format!("/api/v1/rating-rounds/{rid}/approve"), json!({"note": "Xã Tây Nha Trang nộp muộn"})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("approved")), "{r}");
        let (s, _) = province.post(&rate, json!({"model_id": other, "rating": "tot"})).await;
        assert_eq!(s, 409, "the approved round refuses new ratings");

        // Statistics count approved ratings only.
        let (_, st) = province.get("/api/v1/stats/ratings?year=2026").await;
        assert_eq!(st["total"]["total"].as_i64(), Some(2), "{st}");
        assert_eq!(st["total"]["counts"][3].as_i64(), Some(1));
        assert_eq!(st["total"]["counts"][4].as_i64(), Some(1));
        let (_, st) = province.get("/api/v1/stats/ratings?year=2026&by=type").await;
        assert_eq!(st["rows"].as_array().unwrap().len(), 1);
        let (s, _) = province.get("/api/v1/stats/ratings?by=khac").await;
        assert_eq!(s, 422);
        let (s, bytes) = province.get_bytes("/api/v1/stats/ratings/export?year=2026").await;
        assert_eq!((s, &bytes[..2]), (200, &b"PK"[..]));

        // Follow-up of the model rated "cần thanh loại".
        let (_, list) = commune.get("/api/v1/rating-follow-ups").await;
        assert_eq!(list["total"].as_i64(), Some(1), "{list}");
        let fu = format!("/api/v1/ratings/{rating_id}/follow-up");
        let (s, b) = commune.post(&fu, json!({"decision": "thanh_loai", "on_date": "2026-11-20"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["decision_no"].is_string());
        let (s, r) = commune.post(&fu, json!({"decision": "thanh_loai", "on_date": "2026-11-20", "decision_no": "45/QĐ-UBND"})).await;
        assert_eq!((s, r["follow_up"].as_str()), (200, Some("thanh_loai")), "{r}");
        let (_, m) = commune.get(&format!("/api/v1/models/{old}")).await;
        assert_eq!(m["state"].as_str(), Some("da_thanh_loai"));
        assert_eq!(commune.get("/api/v1/rating-follow-ups").await.1["total"].as_i64(), Some(0));
        let (s, _) = commune.post(&fu, json!({"decision": "cung_co", "on_date": "2026-11-20", "plan_date": "2027-03-01"})).await;
        assert_eq!(s, 409);

        // Unlocking needs a reason, re-opens the round and is in the audit trail.
        let (s, _) = province.post(&review, json!({"action": "unlock"})).await;
        assert_eq!(s, 422);
        let (s, sh) = province.post(&review, json!({"action": "unlock", "comment": "Sai sót khi chấm"})).await;
        assert_eq!((s, sh["state"].as_str()), (200, Some("dang_danh_gia")));
        let (_, r) = province.get(&format!("/api/v1/rating-rounds/{rid}")).await;
        assert_eq!(r["round"]["state"].as_str(), Some("open"));
        let auditor = app.api(&app.token("kiemtra", "auditor", "56").await);
        let (_, a) = auditor.get("/api/v1/audit?action=unlock").await;
        let e = &a["items"][0];
        assert_eq!(e["object_type"].as_str(), Some("rating_sheet"), "{a}");
        assert!(e["changes"].to_string().contains("Sai sót khi chấm"));
        let (_, a) = auditor.get("/api/v1/audit?object_type=model_rating").await;
        assert!(a["total"].as_i64().unwrap() >= 3, "{a}");

        // A commune officer sees only their own sheet of the round.
        let (_, r) = commune.get(&format!("/api/v1/rating-rounds/{rid}")).await;
        assert_eq!(r["sheets"].as_array().unwrap().len(), 1);
        let (s, _) = commune.get(&format!("/api/v1/rating-rounds/{rid}/units/22390")).await;
        assert_eq!(s, 403);
    }

    rating_import_is_all_or_nothing(app) {
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let a = active_model(&province, "22333", "Mô hình A", "2024-01-15").await;
        let b = active_model(&province, "22390", "Mô hình B", "2024-01-15").await;
        let (_, round) = province.post("/api/v1/rating-rounds", json!({"year": 2026})).await;
        let rid = round["id"].as_i64().unwrap();
        let (s, tpl) = province.get_bytes(&format!("/api/v1/rating-rounds/{rid}/template?format=csv")).await;
        assert_eq!(s, 200);
        let tpl = String::from_utf8(tpl).unwrap();
        assert!(tpl.contains("Mô hình A") && tpl.contains("Mô hình B"), "{tpl}");

        let import = format!("/api/v1/rating-rounds/{rid}/import?format=csv&dry_run=false");
        let bad = format!("Mã mô hình,Xếp loại,Tiêu chí đạt\n{a},Tốt,HD22.1\n{b},Xuất sắc,\n{a},Khá,\n");
        let (s, r) = province.post_bytes(&import, bad.into_bytes()).await;
        assert_eq!((s, r["committed"].as_bool()), (200, Some(false)), "{r}");
        let errors = r["errors"].as_array().unwrap();
        assert!(errors.iter().any(|e| e["row"] == 3 && e["column"] == "Xếp loại"), "{r}");
        assert!(errors.iter().any(|e| e["row"] == 4 && e["message"].as_str().unwrap().contains("hai lần")), "{r}");
        let (_, d) = province.get(&format!("/api/v1/rating-rounds/{rid}")).await;
        assert!(d["sheets"].as_array().unwrap().iter().all(|s| s["rated"] == 0), "nothing written");

        let good = format!("Mã mô hình,Xếp loại,Tiêu chí đạt,Ghi chú\n{a},Tốt,\"HD22.1, HD22.2\",\n{b},Trung bình,,ghi chú\n");
        let (s, r) = province.post_bytes(&import, good.into_bytes()).await;
        assert_eq!((s, r["committed"].as_bool(), r["created"].as_i64()), (200, Some(true), Some(2)), "{r}");
        let (_, sheet) = province.get(&format!("/api/v1/rating-rounds/{rid}/units/22333")).await;
        assert_eq!(sheet["targets"][0]["rating"]["score"].as_i64(), Some(40));
        // Importing again updates instead of duplicating.
        let again = format!("Mã mô hình,Xếp loại\n{a},Khá\n");
        let (_, r) = province.post_bytes(&import, again.into_bytes()).await;
        assert_eq!(r["committed"].as_bool(), Some(true), "{r}");
        let (_, sheet) = province.get(&format!("/api/v1/rating-rounds/{rid}/units/22333")).await;
        assert_eq!(sheet["targets"][0]["rating"]["rating"].as_str(), Some("kha"));
        assert_eq!(rated(&sheet), 1);
    }

    rules_are_data_with_validity(app) {
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let (_, rules) = commune.get("/api/v1/rules?per_page=200").await;
        let min = rules["items"].as_array().unwrap().iter().find(|r| r["code"] == "model_min_months").unwrap();
        assert_eq!((min["value"].as_str(), min["legal_basis"].as_str()), (Some("6"), Some("HD 22/HD-BCA-V05")));
        let body = |province_code: Option<&str>, value: &str| json!({"code": "model_min_months", "province_code": province_code,
            "value": value, "legal_basis": "HD 05/HD-CAT", "valid_from": "2026-01-01"});
        let (s, _) = commune.post("/api/v1/rules", body(Some("56"), "9")).await;
        assert_eq!(s, 403);
        let (s, _) = province.post("/api/v1/rules", body(None, "9")).await;
        assert_eq!(s, 403, "a national value needs national scope");
        let (s, _) = province.post("/api/v1/rules", body(Some("01"), "9")).await;
        assert_eq!(s, 403);
        let (s, b) = province.post("/api/v1/rules", body(Some("56"), "chín")).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["value"].as_str().unwrap().contains("số nguyên"));
        let (s, r) = province.post("/api/v1/rules", body(Some("56"), "9")).await;
        assert_eq!((s, r["province_code"].as_str()), (201, Some("56")), "{r}");
        let (s, b) = province.post("/api/v1/rules", body(Some("56"), "10")).await;
        assert_eq!(s, 422, "a value must start after the latest: {b}");

        // The province's value now applies to its sheets.
        let m = active_model(&commune, "22333", "Mô hình 8 tháng", "2026-03-01").await;
        let (_, round) = province.post("/api/v1/rating-rounds", json!({"year": 2026})).await;
        let (_, sheet) = commune.get(&format!("/api/v1/rating-rounds/{}/units/22333", round["id"])).await;
        assert_eq!(sheet["min_months"].as_i64(), Some(9));
        let t = sheet["targets"].as_array().unwrap().iter().find(|t| t["model_id"] == m).unwrap();
        assert!(t["forced_reason"].as_str().unwrap().contains("chưa đủ 9 tháng"), "{t}");

        // Criteria sets are versioned.
        let set = json!({"name": "Tiêu chí Khánh Hòa", "province_code": "56", "legal_basis": "HD 05/HD-CAT", "valid_from": "2026-01-01",
            "criteria": [{"code": "KH.1", "text": "Có kế hoạch", "points": 50}, {"code": "KH.1", "text": "Trùng", "points": 50}]});
        let (s, b) = province.post("/api/v1/criteria-sets", set).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["criteria"].as_str().unwrap().contains("trùng"), "{b}");
        let set = json!({"name": "Tiêu chí Khánh Hòa", "province_code": "56", "legal_basis": "HD 05/HD-CAT", "valid_from": "2026-01-01",
            "criteria": [{"code": "KH.1", "text": "Có kế hoạch", "points": 50}, {"code": "KH.2", "text": "Có hiệu quả", "points": 50}]});
        let (s, v1) = province.post("/api/v1/criteria-sets", set.clone()).await;
        assert_eq!((s, v1["version"].as_i64()), (201, Some(1)), "{v1}");
        let (_, sheet) = commune.get(&format!("/api/v1/rating-rounds/{}/units/22333", round["id"])).await;
        assert_eq!(sheet["criteria_sets"][0]["name"].as_str(), Some("Tiêu chí Khánh Hòa"));
        let mut v2 = set;
        v2["valid_from"] = json!("2027-01-01");
        let (s, v2) = province.post("/api/v1/criteria-sets", v2).await;
        assert_eq!((s, v2["version"].as_i64()), (201, Some(2)));
        let (_, sets) = commune.get("/api/v1/criteria-sets?per_page=200").await;
        let v1 = sets["items"].as_array().unwrap().iter().find(|s| s["id"] == v1["id"]).unwrap();
        assert_eq!(v1["valid_to"].as_str(), Some("2026-12-31"));
    }
}

app_tests! {
    rating_and_recognition_pages_work_without_javascript(app) {
        app.user("tinhkh", "province_officer", "56").await;
        app.user("canbo", "commune_officer", "22333").await;
        let api = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let m = active_model(&api, "22333", "Camera tổ dân phố 9", "2024-05-19").await;
        let prov = app.browser();
        let pc = prov.login("tinhkh", crate::support::PASSWORD).await;
        // Opening a round through the form; a bad year re-renders with the message.
        let (s, page, _) = prov.post("/ratings", &[("_csrf", &pc), ("province_code", "56"), ("year", "1990")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("Năm 1990 không hợp lệ"), "{page}");
        let (s, _, loc) = prov.post("/ratings", &[("_csrf", &pc), ("province_code", "56"), ("year", "2026")]).await;
        assert_eq!(s, 303);
        let round = loc.unwrap();
        let b = app.browser();
        let csrf = b.login("canbo", crate::support::PASSWORD).await;
        let sheet = format!("{round}/units/22333");
        let (s, page, _) = b.get(&sheet).await;
        assert_eq!(s, 200);
        assert!(page.contains("Camera tổ dân phố 9") && page.contains("HD22.1"), "{page}");
        let model = m.to_string();
        let (s, page, _) = b.post(&sheet, &[("_csrf", &csrf), ("model_id", &model), ("site_id", ""), ("rating", "ngoai_thang")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("không hợp lệ"), "a rating outside the scale is refused on the page");
        let (s, _, loc) = b.post(&sheet, &[("_csrf", &csrf), ("model_id", &model), ("site_id", ""), ("rating", "tot"), ("c:HD22.1", "on"), ("c:HD22.2", "on")]).await;
        assert_eq!((s, loc.unwrap()), (303, format!("/rating-rounds/{}/units/22333#t{m}-0", round.rsplit('/').next().unwrap())));
        let (_, page, _) = b.get(&sheet).await;
        assert!(page.contains("40/100"), "the score is shown");
        let (s, page, _) = b.post(&format!("{sheet}/submit"), &[("_csrf", &csrf)]).await;
        assert_eq!(s, 200);
        assert!(page.contains("Đã nộp"), "{page}");
        let (s, _, _) = prov.post(&format!("{sheet}/review"), &[("_csrf", &pc), ("action", "approve"), ("back", "round")]).await;
        assert_eq!(s, 303);
        let (_, page, _) = prov.get(&round).await;
        assert!(page.contains("Đã duyệt (khoá)"), "{page}");
        let (_, page, _) = b.get(&format!("/models/{m}")).await;
        assert!(page.contains("id=\"model-ratings\"") && page.contains("Tốt"), "the model page lists its ratings");
        let (s, page, _) = prov.get("/stats/ratings?year=2026&by=type").await;
        assert_eq!(s, 200);
        assert!(page.contains("id=\"pivot\""));
        let (s, _, _) = prov.get("/stats/ratings/export?year=2026").await;
        assert_eq!(s, 200);

        // «An toàn về ANTT»: the commune's units with a registration form each.
        let area = api.post("/api/v1/areas", serde_json::json!({"commune_code": "22333", "name": "Tổ dân phố 9", "kind": "to_dan_pho"})).await.1["id"].as_i64().unwrap();
        let (s, page, _) = b.get("/antt?year=2026").await;
        assert_eq!(s, 200);
        assert!(page.contains("Tổ dân phố 9") && page.contains("Chưa đăng ký"), "{page}");
        let area_id = area.to_string();
        let (s, page, _) = b.post("/antt", &[("_csrf", &csrf), ("year", "2026"), ("commune_code", "22333"), ("area_id", &area_id), ("registered_on", "2026-06-01"), ("households_pct", "100")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("quý I"), "{page}");
        let (s, _, loc) = b.post("/antt", &[("_csrf", &csrf), ("year", "2026"), ("commune_code", "22333"), ("area_id", &area_id), ("registered_on", "2026-02-10"), ("households_pct", "100")]).await;
        assert_eq!(s, 303);
        let record = loc.unwrap();
        let (s, page, _) = b.get(&record).await;
        assert_eq!(s, 200);
        assert!(page.contains("D4.1") && page.contains("Đã đăng ký"), "{page}");
        let (s, page, _) = b.post(&format!("{record}/step"), &[("_csrf", &csrf), ("step", "evaluate"), ("evaluated_on", "2026-11-10"), ("c:D4.1", "on")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("31/10/2026"), "{page}");
        let (s, _, _) = b.post(&format!("{record}/step"), &[("_csrf", &csrf), ("step", "evaluate"), ("evaluated_on", "2026-10-10"), ("c:D4.1", "on")]).await;
        assert_eq!(s, 303);
        let (_, page, _) = prov.get("/stats/recognition?year=2026").await;
        assert!(page.contains("id=\"recognition\"") && page.contains("Khu dân cư"), "{page}");
    }
}

app_tests! {
    replication_sites_rated_for_elimination_get_their_follow_up(app) {
        let commune = app.api(&app.token("xasite", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinhsite", "province_officer", "56").await);
        let model = active_model(&commune, "22333", "Tổ tự quản nhân rộng", "2024-05-19").await;
        let mut sites = Vec::new();
        for name in ["Điểm thôn Một", "Điểm thôn Hai"] {
            let (s, b) = commune.post(&format!("/api/v1/models/{model}/sites"),
                json!({"name": name, "commune_code": "22333", "started_on": "2024-06-01"})).await;
            assert_eq!(s, 201, "{b}");
            sites.push(b["id"].as_i64().unwrap());
        }
        let (_, round) = province.post("/api/v1/rating-rounds", json!({"year": 2026})).await;
        let rid = round["id"].as_i64().unwrap();
        let rate = format!("/api/v1/rating-rounds/{rid}/ratings");
        let mut ratings = Vec::new();
        for (site, level) in [(None, "kha"), (Some(sites[0]), "can_thanh_loai"), (Some(sites[1]), "can_thanh_loai")] {
            let (s, r) = commune.post(&rate, json!({"model_id": model, "site_id": site, "rating": level})).await;
            assert_eq!(s, 201, "{r}");
            ratings.push(r["id"].as_i64().unwrap());
        }
        let sheet = format!("/api/v1/rating-rounds/{rid}/units/22333");
        assert_eq!(commune.post(&format!("{sheet}/submit"), json!({})).await.0, 200);
        // Not approved yet: nothing to follow up.
        assert_eq!(commune.get("/api/v1/rating-follow-ups").await.1["total"].as_i64(), Some(0));
        assert_eq!(province.post(&format!("{sheet}/review"), json!({"action": "approve"})).await.0, 200);
        let (_, list) = commune.get("/api/v1/rating-follow-ups").await;
        assert_eq!(list["total"].as_i64(), Some(2), "{list}");
        assert!(list["items"].as_array().unwrap().iter().all(|r| r["site_name"].is_string()), "{list}");

        // Eliminating a site needs its decision; the site ends, the model keeps operating.
        let fu = |id: i64| format!("/api/v1/ratings/{id}/follow-up");
        let (s, b) = commune.post(&fu(ratings[1]), json!({"decision": "thanh_loai", "on_date": "2026-11-20"})).await;
        assert_eq!(s, 422, "{b}");
        assert!(b["error"]["fields"]["decision_no"].is_string());
        let (s, r) = commune.post(&fu(ratings[1]), json!({"decision": "thanh_loai", "on_date": "2026-11-20", "decision_no": "12/QĐ-UBND"})).await;
        assert_eq!((s, r["follow_up"].as_str(), r["follow_up_decision"].as_str()), (200, Some("thanh_loai"), Some("12/QĐ-UBND")), "{r}");
        // Consolidating the other: it stays in operation until the planned day.
        let (s, r) = commune.post(&fu(ratings[2]), json!({"decision": "cung_co", "on_date": "2026-11-20", "plan_date": "2027-03-01"})).await;
        assert_eq!((s, r["follow_up"].as_str()), (200, Some("cung_co")), "{r}");
        let (s, _) = commune.post(&fu(ratings[2]), json!({"decision": "thanh_loai", "on_date": "2026-11-21", "decision_no": "13/QĐ"})).await;
        assert_eq!(s, 409, "one decision per rating");
        let (_, m) = commune.get(&format!("/api/v1/models/{model}")).await;
        assert_eq!(m["state"].as_str(), Some("hoat_dong"), "{m}");
        let state = |id: i64| m["sites"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()["state"].clone();
        assert_eq!((state(sites[0]).as_str(), state(sites[1]).as_str()), (Some("da_thanh_loai"), Some("hoat_dong")));
        let history = m["history"].to_string();
        assert!(history.contains("Điểm «Điểm thôn Một»") && history.contains("12/QĐ-UBND") && history.contains("củng cố"), "{history}");
        assert_eq!(commune.get("/api/v1/rating-follow-ups").await.1["total"].as_i64(), Some(0));
        // Another commune cannot decide on them.
        let other = app.api(&app.token("xakhac", "commune_officer", "22390").await);
        let (s, _) = other.post(&fu(ratings[1]), json!({"decision": "cung_co", "on_date": "2026-11-20", "plan_date": "2027-03-01"})).await;
        assert!(matches!(s, 403 | 404), "{s}");
    }
}

app_tests! {
    the_rules_page_shows_the_rules_and_takes_a_province_value(app) {
        app.user("tinhrules", "province_officer", "56").await;
        app.user("xarules", "commune_officer", "22333").await;
        let commune = app.api(&app.token("xaapi", "commune_officer", "22333").await);
        let b = app.browser();
        let csrf = b.login("tinhrules", crate::support::PASSWORD).await;
        let (s, page, _) = b.get("/rules").await;
        assert_eq!(s, 200);
        // Every rule with its value, legal basis and validity; TT 124 from 10/02/2022.
        assert!(page.contains("model_min_months") && page.contains("HD 22/HD-BCA-V05") && page.contains("10/02/2022"), "{page}");
        assert!(page.contains("name=\"value\"") && page.contains("name=\"legal_basis\""), "a province officer gets the form");
        let row = |page: &str, marker: &str| page.split("<tr").filter(|r| r.contains("<code>model_min_months</code>") && r.contains(marker)).count();
        assert_eq!(row(&page, "Khánh Hòa"), 0);
        // A bad value re-renders the page with the message and writes nothing.
        let form = |value: &'static str| vec![("_csrf", csrf.clone()), ("code", "model_min_months".into()), ("value", value.into()),
            ("province_code", "56".into()), ("legal_basis", "HD 05/HD-CAT".into()), ("valid_from", "2026-01-01".into()), ("note", "".into())];
        let post = |f: Vec<(&'static str, String)>| { let b = &b; async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            b.post("/rules", &f).await
        }};
        let (s, page, _) = post(form("chín")).await;
        assert_eq!(s, 422);
        assert!(page.contains("số nguyên"), "{page}");
        assert_eq!(row(&b.get("/rules").await.1, "Khánh Hòa"), 0);
        let (s, page, _) = post(form("9")).await;
        assert!(s == 200 && page.contains("id=\"notice\""), "{page}");
        let (_, page, _) = b.get("/rules").await;
        assert_eq!(row(&page, "Khánh Hòa"), 1, "the province's own value is listed");
        assert!(page.contains("HD 05/HD-CAT") && page.contains("<strong>9</strong>"));
        // The national value stays, open-ended, for the other provinces.
        let (_, rules) = commune.get("/api/v1/rules?per_page=200").await;
        let mins: Vec<&Value> = rules["items"].as_array().unwrap().iter().filter(|r| r["code"] == "model_min_months").collect();
        assert_eq!(mins.len(), 2, "{mins:?}");
        let national = mins.iter().find(|r| r["province_code"].is_null()).unwrap();
        assert_eq!((national["value"].as_str(), national["valid_to"].as_str()), (Some("6"), None));
        // The behaviour follows: a model of 8 months is too young in Khánh Hòa, not in Hà Nội.
        let m = active_model(&commune, "22333", "Mô hình tám tháng", "2026-03-01").await;
        let province = app.api(&app.token("tinhapi", "province_officer", "56").await);
        let rid = province.post("/api/v1/rating-rounds", json!({"year": 2026})).await.1["id"].as_i64().unwrap();
        let (_, sheet) = commune.get(&format!("/api/v1/rating-rounds/{rid}/units/22333")).await;
        let t = sheet["targets"].as_array().unwrap().iter().find(|t| t["model_id"] == m).unwrap();
        assert!(t["forced_reason"].as_str().unwrap().contains("chưa đủ 9 tháng"), "{t}");
        let hanoi = app.api(&app.token("tinhhn", "province_officer", "01").await);
        let other = active_model(&hanoi, "00004", "Mô hình Hà Nội tám tháng", "2026-03-01").await;
        let rid = hanoi.post("/api/v1/rating-rounds", json!({"year": 2026})).await.1["id"].as_i64().unwrap();
        let (_, sheet) = hanoi.get(&format!("/api/v1/rating-rounds/{rid}/units/00004")).await;
        let t = sheet["targets"].as_array().unwrap().iter().find(|t| t["model_id"] == other).unwrap();
        assert!(t["forced_reason"].is_null(), "six months suffice in Hà Nội: {t}");
        // A commune officer reads the page without the form.
        let c = app.browser();
        c.login("xarules", crate::support::PASSWORD).await;
        let (s, page, _) = c.get("/rules").await;
        assert!(s == 200 && page.contains("HD 05/HD-CAT") && !page.contains("name=\"legal_basis\""));
    }
}
