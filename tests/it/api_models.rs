//! The model registry through the API: lifecycle, sites, teams, history, statistics.

use serde_json::{Value, json};

use crate::app_tests;
use crate::support::Api;

pub(crate) async fn type_id(api: &Api, code: &str) -> i64 {
    let (_, types) = api.get("/api/v1/model-types").await;
    types["items"].as_array().unwrap().iter().find(|t| t["code"] == code).unwrap()["id"].as_i64().unwrap()
}

pub(crate) fn model_body(type_id: i64, commune: &str, name: &str) -> Value {
    json!({
        "name": name, "type_id": type_id, "level": "xa", "commune_code": commune,
        "origin_kind": "xa", "host_org": "hoi_ccb", "scope": "chuyen_de", "field_note": "Trật tự ATGT",
        "registered_on": "2024-03-01", "members": 15, "funding_state": 10000000, "funding_social": 1500000000,
        "channels": "Nhóm Zalo Camera an ninh"
    })
}

app_tests! {
    model_lifecycle(app) {
        let api = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let camera = type_id(&api, "camera_giam_sat").await;
        let (s, m) = api.post("/api/v1/models", model_body(camera, "22333", "Camera giám sát ANTT tổ dân phố 5")).await;
        assert_eq!(s, 201, "{m}");
        assert_eq!((m["state"].as_str(), m["province_code"].as_str(), m["type_name"].as_str()), (Some("de_xuat"), Some("56"), Some("Camera giám sát ANTT")));
        let id = m["id"].as_i64().unwrap();
        let tr = |to: &str, date: &str| json!({"to": to, "on_date": date, "decision_no": "15/QĐ-UBND", "note": "ghi chú"});

        // Not allowed: skipping steps, with a message that names the allowed states.
        let (s, b) = api.post(&format!("/api/v1/models/{id}/transitions"), tr("hoat_dong", "2024-04-01")).await;
        assert_eq!(s, 422);
        let msg = b["error"]["fields"]["to"].as_str().unwrap();
        assert!(msg.contains("Đang xây dựng") && msg.contains("Không thể chuyển"), "{msg}");
        // Not allowed: a date before the current state began.
        let (s, b) = api.post(&format!("/api/v1/models/{id}/transitions"), tr("xay_dung", "2024-01-01")).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["on_date"].as_str().is_some());

        for (to, date) in [("xay_dung", "2024-04-01"), ("da_ra_mat", "2024-05-19"), ("hoat_dong", "2024-06-01"), ("can_cung_co", "2025-01-10")] {
            let (s, b) = api.post(&format!("/api/v1/models/{id}/transitions"), tr(to, date)).await;
            assert_eq!((s, b["state"].as_str()), (200, Some(to)), "{b}");
        }
        // Elimination needs a decision number.
        let (s, b) = api.post(&format!("/api/v1/models/{id}/transitions"), json!({"to": "da_thanh_loai", "on_date": "2025-02-01"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["decision_no"].is_string());
        let (s, b) = api.post(&format!("/api/v1/models/{id}/transitions"), tr("da_thanh_loai", "2025-02-01")).await;
        assert_eq!((s, b["state"].as_str(), b["state_since"].as_str()), (200, Some("da_thanh_loai"), Some("2025-02-01")));
        // Terminal.
        let (s, b) = api.post(&format!("/api/v1/models/{id}/transitions"), tr("hoat_dong", "2025-03-01")).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["to"].as_str().unwrap().contains("trạng thái cuối"));

        let (_, d) = api.get(&format!("/api/v1/models/{id}")).await;
        let events: Vec<&str> = d["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(events, vec!["dang_ky", "ra_mat", "cung_co", "thanh_loai"]);
        let history = d["history"].as_array().unwrap();
        assert_eq!(history.len(), 6);
        assert_eq!(history[0]["action"], "transition");
        assert!(history[0]["summary"].as_str().unwrap().contains("15/QĐ-UBND"));
        assert_eq!(history[5]["action"], "create");
    }

    edits_are_diffed_in_history(app) {
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        let t = type_id(&api, "camera_giam_sat").await;
        let (_, m) = api.post("/api/v1/models", model_body(t, "22333", "Camera thôn 1")).await;
        let id = m["id"].as_i64().unwrap();
        let (s, m) = api.patch(&format!("/api/v1/models/{id}"), json!({"name": "Camera giám sát thôn 1", "funding_social": 2000000000, "commune_code": "22366"})).await;
        assert_eq!((s, m["commune_code"].as_str(), m["funding_social"].as_i64()), (200, Some("22366"), Some(2_000_000_000)));
        let (_, d) = api.get(&format!("/api/v1/models/{id}")).await;
        let changes = d["history"][0]["changes"].as_array().unwrap();
        let fields: Vec<&str> = changes.iter().map(|c| c["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["name", "funding_social", "place"]);
        assert_eq!(changes[0]["before"], "Camera thôn 1");
        // State cannot be changed by PATCH.
        let (_, m) = api.patch(&format!("/api/v1/models/{id}"), json!({"state": "hoat_dong"})).await;
        assert_eq!(m["state"], "de_xuat");
        // A field that fails validation refuses the whole patch.
        let (s, _) = api.patch(&format!("/api/v1/models/{id}"), json!({"name": "", "members": 5})).await;
        assert_eq!(s, 422);
        assert_eq!(api.get(&format!("/api/v1/models/{id}")).await.1["members"], 15);
    }

    model_validation(app) {
        let api = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let t = type_id(&api, "tu_quan_dong_ho").await;
        let mut b = model_body(t, "22333", "Dòng họ Nguyễn tự quản");
        b["origin_kind"] = json!("ca_nhan");
        b["scope"] = json!("chuyen_de");
        b["field_note"] = json!("");
        let (s, r) = api.post("/api/v1/models", b).await;
        assert_eq!(s, 422);
        let f = &r["error"]["fields"];
        assert!(f["origin_note"].is_string() && f["field_note"].is_string(), "{f}");
        // Outside the officer's commune.
        assert_eq!(api.post("/api/v1/models", model_body(t, "22366", "Mô hình xã khác")).await.0, 403);
        // Unknown type, future registration date, origin area in another commune.
        let other = app.api(&app.token("canbo2", "commune_officer", "22366").await);
        let (_, area) = other.post("/api/v1/areas", json!({"commune_code": "22366", "name": "Thôn Xa", "kind": "thon"})).await;
        let mut b = model_body(9999, "22333", "Mô hình lỗi");
        b["registered_on"] = json!("2099-01-01");
        b["origin_kind"] = json!("khu_dan_cu");
        b["origin_area_id"] = area["id"].clone();
        let (s, r) = api.post("/api/v1/models", b).await;
        assert_eq!(s, 422);
        let f = &r["error"]["fields"];
        assert!(f["type_id"].is_string() && f["registered_on"].is_string() && f["origin_area_id"].is_string(), "{f}");
        assert_eq!(api.get("/api/v1/models").await.1["total"], 0);
    }

    sites_teams_and_statistics(app) {
        let admin = app.api(&app.token("admin", "admin", "56").await);
        let t = type_id(&admin, "phong_chong_ma_tuy").await;
        let (_, m) = admin.post("/api/v1/models", model_body(t, "22333", "Khu dân cư không có ma túy")).await;
        let id = m["id"].as_i64().unwrap();
        let (s, site) = admin.post(&format!("/api/v1/models/{id}/sites"), json!({"name": "Điểm Nha Trang", "commune_code": "22366", "started_on": "2024-09-01"})).await;
        assert_eq!(s, 201, "{site}");
        let sid = site["id"].as_i64().unwrap();
        for n in 1..=3 {
            let (s, _) = admin.post(&format!("/api/v1/models/{id}/sites/{sid}/teams"), json!({"name": format!("Tổ {n}"), "members": 6, "leader": "Trần Văn B"})).await;
            assert_eq!(s, 201);
        }
        let (_, site2) = admin.post(&format!("/api/v1/models/{id}/sites"), json!({"name": "Điểm Hà Nội", "commune_code": "00004"})).await;
        assert!(site2["id"].is_i64());
        let (s, b) = admin.post(&format!("/api/v1/models/{id}/sites"), json!({"name": "", "commune_code": "56"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["name"].is_string() && b["error"]["fields"]["commune_code"].is_string());
        let (_, m) = admin.get(&format!("/api/v1/models/{id}")).await;
        assert_eq!((m["site_count"].as_i64(), m["team_count"].as_i64()), (Some(2), Some(3)));

        let (s, by) = admin.get("/api/v1/stats/models?by=province").await;
        assert_eq!(s, 200);
        let row = |v: &Value, k: &str| v["items"].as_array().unwrap().iter().find(|r| r["key"] == k).cloned().unwrap();
        let kh = row(&by, "56");
        assert_eq!((kh["models"].as_i64(), kh["sites"].as_i64(), kh["teams"].as_i64(), kh["label"].as_str()), (Some(1), Some(1), Some(3), Some("Tỉnh Khánh Hòa")));
        assert_eq!(row(&by, "01")["sites"], 1);
        assert_eq!((by["total"]["models"].as_i64(), by["total"]["sites"].as_i64()), (Some(1), Some(2)));
        let (_, by_type) = admin.get("/api/v1/stats/models?by=type").await;
        assert_eq!(row(&by_type, &t.to_string())["sites"], 2);
        let (_, by_state) = admin.get("/api/v1/stats/models?by=state").await;
        assert_eq!(row(&by_state, "de_xuat")["teams"], 3);
        assert_eq!(admin.get("/api/v1/stats/models?by=huyen").await.0, 422);
        // A commune officer sees only their commune's counts.
        let nt = app.api(&app.token("canbo2", "commune_officer", "22366").await);
        let (_, mine) = nt.get("/api/v1/stats/models?by=commune").await;
        assert_eq!((mine["total"]["models"].as_i64(), mine["total"]["sites"].as_i64(), mine["total"]["teams"].as_i64()), (Some(0), Some(1), Some(3)));
    }

    list_filters_and_paging(app) {
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        let camera = type_id(&api, "camera_giam_sat").await;
        let club = type_id(&api, "cau_lac_bo").await;
        for i in 0..30 {
            let (t, commune) = if i % 3 == 0 { (club, "22366") } else { (camera, "22333") };
            let (s, _) = api.post("/api/v1/models", model_body(t, commune, &format!("Mô hình số {i:02}"))).await;
            assert_eq!(s, 201);
        }
        let (_, all) = api.get("/api/v1/models?per_page=7&page=2").await;
        assert_eq!((all["total"].as_i64(), all["items"].as_array().unwrap().len(), all["page"].as_i64()), (Some(30), 7, Some(2)));
        assert_eq!(all["items"][0]["name"], "Mô hình số 07");
        let (_, f) = api.get(&format!("/api/v1/models?type_id={club}&commune=22366")).await;
        assert_eq!(f["total"], 10);
        let (_, f) = api.get("/api/v1/models?q=MO%20HINH%20SO%201&state=de_xuat").await;
        assert_eq!(f["total"], 10);
        let (_, f) = api.get("/api/v1/models?per_page=1000").await;
        assert_eq!(f["per_page"], 200);
        // A province-level model.
        let mut b = model_body(club, "", "Câu lạc bộ pháp luật tỉnh");
        b["level"] = json!("tinh");
        b["commune_code"] = json!(null);
        b["province_code"] = json!("56");
        let (s, m) = api.post("/api/v1/models", b).await;
        assert_eq!((s, m["commune_code"].is_null()), (201, true), "{m}");
        let commune_officer = app.api(&app.token("canbo", "commune_officer", "22333").await);
        assert_eq!(commune_officer.get(&format!("/api/v1/models/{}", m["id"])).await.0, 403);
        assert_eq!(commune_officer.get("/api/v1/models").await.1["total"], 20);
    }

    documents_are_type_checked_and_scoped(app) {
        let token = app.token("canbo", "commune_officer", "22333").await;
        let api = app.api(&token);
        let t = type_id(&api, "camera_giam_sat").await;
        let (_, m) = api.post("/api/v1/models", model_body(t, "22333", "Camera tổ dân phố 3")).await;
        let id = m["id"].as_i64().unwrap();
        let http = reqwest::Client::new();
        let upload = |name: &'static str, bytes: &'static [u8]| {
            let form = reqwest::multipart::Form::new()
                .text("title", "Kế hoạch xây dựng mô hình")
                .text("doc_no", "25/KH-CAP")
                .text("issued_on", "2024-02-20")
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
            http.post(app.url(&format!("/api/v1/models/{id}/documents"))).bearer_auth(&token).multipart(form).send()
        };
        let r = upload("kế hoạch.pdf", b"%PDF-1.4 noi dung").await.unwrap();
        assert_eq!(r.status(), 201);
        let doc: serde_json::Value = r.json().await.unwrap();
        assert_eq!((doc["content_type"].as_str(), doc["size"].as_i64(), doc["file_name"].as_str()), (Some("application/pdf"), Some(17), Some("kế hoạch.pdf")));
        let r = upload("virus.pdf", b"MZ\x90\x00 not a pdf").await.unwrap();
        assert_eq!(r.status(), 422);
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["file"].as_str().unwrap().contains("PDF"));
        let (s, bytes) = api.get_bytes(&format!("/api/v1/models/{id}/documents/{}", doc["id"])).await;
        assert_eq!((s, bytes.as_slice()), (200, b"%PDF-1.4 noi dung".as_slice()));
        let other = app.api(&app.token("canbo2", "commune_officer", "22366").await);
        assert_eq!(other.get_bytes(&format!("/api/v1/models/{id}/documents/{}", doc["id"])).await.0, 403);
        let (_, d) = api.get(&format!("/api/v1/models/{id}")).await;
        assert_eq!(d["documents"].as_array().unwrap().len(), 1);
        assert_eq!(d["history"][0]["action"], "document");
    }

    taxonomy_is_province_extensible(app) {
        let kh = app.api(&app.token("khanhhoa", "province_officer", "56").await);
        let hn = app.api(&app.token("hanoi", "province_officer", "01").await);
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let (s, t) = kh.post("/api/v1/model-types", json!({"name": "Tàu cá an toàn", "legal_basis": "KH 12/KH-CAT"})).await;
        assert_eq!((s, t["province_code"].as_str()), (201, Some("56")));
        let tid = t["id"].as_i64().unwrap();
        assert!(kh.get("/api/v1/model-types").await.1["items"].as_array().unwrap().iter().any(|x| x["id"] == tid));
        assert!(!hn.get("/api/v1/model-types").await.1["items"].as_array().unwrap().iter().any(|x| x["id"] == tid));
        assert_eq!(commune.post("/api/v1/model-types", json!({"name": "X"})).await.0, 403);
        let national = type_id(&kh, "cau_lac_bo").await;
        assert_eq!(kh.patch(&format!("/api/v1/model-types/{national}"), json!({"name": "Đổi tên"})).await.0, 403);
        let (s, t) = kh.patch(&format!("/api/v1/model-types/{tid}"), json!({"active": false})).await;
        assert_eq!((s, t["active"].as_bool()), (200, Some(false)));
        // An inactive type is refused for new models.
        let (s, b) = commune.post("/api/v1/models", model_body(tid, "22333", "Tàu cá")).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["type_id"].as_str().unwrap().contains("ngừng"));
        let (s, _) = kh.post("/api/v1/model-types", json!({"name": "Tàu cá an toàn"})).await;
        assert_eq!(s, 422);
    }
}
