//! "An toàn về ANTT" recognition (C5) through the API: registration in quarter I, the
//! evaluation period, dossier, appraisal, decision, revocation, the commune's computed
//! conditions with the province's override, and the recognition statistics.

use serde_json::{Value, json};

use crate::app_tests;
use crate::support::{Api, TestApp};

async fn created(r: (u16, Value)) -> i64 {
    assert_eq!(r.0, 201, "{}", r.1);
    r.1["id"].as_i64().unwrap()
}

async fn upload(app: &TestApp, api: &Api, id: i64, name: &str, bytes: &[u8]) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .text("title", "Biên bản họp")
        .part("file", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()));
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/antt/{id}/documents")))
        .bearer_auth(api.token_for_raw_requests())
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

fn all_criteria(detail: &Value) -> Value {
    let mut m = serde_json::Map::new();
    for c in detail["criteria_set"]["criteria"].as_array().unwrap() {
        m.insert(c["code"].as_str().unwrap().into(), json!(true));
    }
    Value::Object(m)
}

app_tests! {
    recognition_end_to_end(app) {
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let area = created(commune.post("/api/v1/areas", json!({"commune_code": "22333", "name": "Tổ dân phố 3", "kind": "to_dan_pho"})).await).await;
        let primary = created(commune.post("/api/v1/establishments", json!({"commune_code": "22333", "name": "Trường Tiểu học Lộc Thọ",
            "kind": "co_so_giao_duc", "primary_or_preschool": true})).await).await;
        created(commune.post("/api/v1/establishments", json!({"commune_code": "22333", "name": "Công ty CP Hải Sản", "kind": "doanh_nghiep"})).await).await;

        // Excluded by TT 124 Điều 1; outside quarter I; fewer than 100 % of households.
        let (s, b) = commune.post("/api/v1/antt", json!({"establishment_id": primary, "year": 2026, "registered_on": "2026-02-01"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["establishment_id"].as_str().unwrap().contains("không thuộc đối tượng"), "{b}");
        let reg = |date: &str, pct: i64| json!({"area_id": area, "year": 2026, "registered_on": date, "households_pct": pct});
        let (s, b) = commune.post("/api/v1/antt", reg("2026-05-10", 100)).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["registered_on"].as_str().unwrap().contains("31/03/2026"), "{b}");
        let (s, b) = commune.post("/api/v1/antt", reg("2026-02-15", 90)).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["households_pct"].as_str().unwrap().contains("100%"), "{b}");
        assert_eq!(commune.get("/api/v1/antt?year=2026").await.1["total"].as_i64(), Some(0), "nothing written");
        let kdc = created(commune.post("/api/v1/antt", reg("2026-02-15", 100)).await).await;
        let (s, _) = commune.post("/api/v1/antt", reg("2026-03-01", 100)).await;
        assert_eq!(s, 409, "one registration per subject and year");

        // Self-evaluation within 01/11/2025 – 31/10/2026.
        let (_, d) = commune.get(&format!("/api/v1/antt/{kdc}")).await;
        assert_eq!(d["period"], json!(["2025-11-01", "2026-10-31"]));
        let criteria = all_criteria(&d);
        assert_eq!(criteria.as_object().unwrap().len(), 5);
        let (s, b) = commune.post(&format!("/api/v1/antt/{kdc}/evaluation"), json!({"evaluated_on": "2026-11-05", "checklist": criteria})).await;
        assert_eq!(s, 422, "a recognition outside the window: {b}");
        let (s, r) = commune.post(&format!("/api/v1/antt/{kdc}/evaluation"), json!({"evaluated_on": "2026-10-20", "checklist": criteria})).await;
        assert_eq!((s, r["state"].as_str(), r["all_met"].as_bool()), (200, Some("da_tu_danh_gia"), Some(true)), "{r}");

        // The dossier needs a document; files are checked by content.
        let (s, _) = commune.post(&format!("/api/v1/antt/{kdc}/submit"), json!({})).await;
        assert_eq!(s, 422);
        let (s, _) = upload(app, &commune, kdc, "bien-ban.pdf", b"<html>not a pdf</html>").await;
        assert_eq!(s, 422);
        let (s, doc) = upload(app, &commune, kdc, "bien-ban.pdf", b"%PDF-1.4 bien ban").await;
        assert_eq!(s, 201, "{doc}");
        let (s, bytes) = commune.get_bytes(&format!("/api/v1/antt/{kdc}/documents/{}", doc["id"])).await;
        assert_eq!((s, &bytes[..5]), (200, &b"%PDF-"[..]));
        let (s, r) = commune.post(&format!("/api/v1/antt/{kdc}/submit"), json!({})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("da_nop_ho_so")));
        let decision = json!({"result": "dat", "decision_no": "15/QĐ-UBND", "decided_on": "2026-11-20", "authority": "UBND phường Bắc Nha Trang", "certificate_no": "GCN-01"});
        let (s, _) = commune.post(&format!("/api/v1/antt/{kdc}/decision"), decision.clone()).await;
        assert_eq!(s, 409, "no decision before the appraisal");
        let (s, _) = commune.post(&format!("/api/v1/antt/{kdc}/appraisal"), json!({})).await;
        assert_eq!(s, 200);
        let (s, b) = commune.post(&format!("/api/v1/antt/{kdc}/decision"), json!({"result": "dat", "decided_on": "2026-11-20", "authority": "UBND"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["decision_no"].is_string() && b["error"]["fields"]["certificate_no"].is_string(), "{b}");
        let (s, r) = commune.post(&format!("/api/v1/antt/{kdc}/decision"), decision).await;
        assert_eq!((s, r["state"].as_str(), r["certificate_no"].as_str()), (200, Some("dat"), Some("GCN-01")), "{r}");

        // The commune itself: its conditions are computed; only the province decides, and
        // recognising it although they fail needs a reason.
        let xa = created(commune.post("/api/v1/antt", json!({"commune_code": "22333", "year": 2026, "registered_on": "2026-03-01"})).await).await;
        let (_, d) = commune.get(&format!("/api/v1/antt/{xa}")).await;
        assert_eq!(d["period"], json!(["2025-11-16", "2026-11-15"]));
        let c = &d["conditions"];
        assert_eq!((c["units"].as_i64(), c["registered"].as_i64(), c["recognised"].as_i64(), c["met"].as_bool()), (Some(2), Some(1), Some(1), Some(false)), "{c}");
        let (_, c2) = commune.get("/api/v1/antt/conditions?commune=22333&year=2026").await;
        assert_eq!(&c2, c);
        let (s, _) = commune.post(&format!("/api/v1/antt/{xa}/evaluation"), json!({"evaluated_on": "2026-11-10", "checklist": all_criteria(&d)})).await;
        assert_eq!(s, 200);
        assert_eq!(upload(app, &commune, xa, "to-trinh.pdf", b"%PDF-1.4 to trinh").await.0, 201);
        assert_eq!(commune.post(&format!("/api/v1/antt/{xa}/submit"), json!({})).await.0, 200);
        assert_eq!(commune.post(&format!("/api/v1/antt/{xa}/appraisal"), json!({})).await.0, 403);
        assert_eq!(province.post(&format!("/api/v1/antt/{xa}/appraisal"), json!({})).await.0, 200);
        let xa_decision = |reason: Option<&str>| json!({"result": "dat", "decision_no": "99/QĐ-UBND", "decided_on": "2026-11-21",
            "authority": "UBND tỉnh Khánh Hòa", "certificate_no": "GCN-X", "override_reason": reason});
        let (s, b) = province.post(&format!("/api/v1/antt/{xa}/decision"), xa_decision(None)).await;
        assert_eq!(s, 422);
        let msg = b["error"]["fields"]["override_reason"].as_str().unwrap();
        assert!(msg.contains("1/2") && msg.contains("mô hình"), "{msg}");
        let (s, r) = province.post(&format!("/api/v1/antt/{xa}/decision"), xa_decision(Some("Doanh nghiệp mới thành lập tháng 10"))).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("dat")), "{r}");
        assert!(r["override_reason"].as_str().unwrap().contains("tháng 10"));

        // Revocation needs a reason.
        let (s, _) = commune.post(&format!("/api/v1/antt/{kdc}/revocation"), json!({"decision_no": "20/QĐ", "on_date": "2026-11-22"})).await;
        assert_eq!(s, 422);
        let (s, r) = commune.post(&format!("/api/v1/antt/{kdc}/revocation"), json!({"reason": "Xảy ra vụ việc phức tạp", "decision_no": "20/QĐ", "on_date": "2026-11-22"})).await;
        assert_eq!((s, r["state"].as_str()), (200, Some("da_thu_hoi")), "{r}");

        // Statistics: recognised / registered / total by subject and place.
        let (_, st) = province.get("/api/v1/stats/recognition?year=2026").await;
        assert_eq!(st["by"].as_str(), Some("commune"));
        let row = |subject: &str| st["rows"].as_array().unwrap().iter().find(|r| r["key"] == "22333" && r["subject"] == subject).unwrap().clone();
        let kdc_row = row("khu_dan_cu");
        assert_eq!((kdc_row["total"].as_i64(), kdc_row["registered"].as_i64(), kdc_row["recognised"].as_i64()), (Some(1), Some(1), Some(0)), "{st}");
        assert_eq!(row("xa")["recognised"].as_i64(), Some(1));
        assert_eq!(row("doanh_nghiep")["registered"].as_i64(), Some(0));
        let (_, by_subject) = province.get("/api/v1/stats/recognition?year=2026&by=subject").await;
        assert_eq!(by_subject["rows"].as_array().unwrap().len(), 5, "{by_subject}");
        assert_eq!(province.get("/api/v1/stats/recognition?year=2026&by=khac").await.0, 422);
        let (s, bytes) = province.get_bytes("/api/v1/stats/recognition/export?year=2026").await;
        assert_eq!((s, &bytes[..2]), (200, &b"PK"[..]));

        // Counts only for the commune government; no writes.
        let gov = app.api(&app.token("ubndxa", "commune_government", "22333").await);
        assert_eq!(gov.get("/api/v1/antt?year=2026").await.0, 200);
        assert_eq!(gov.post("/api/v1/antt", reg("2026-02-15", 100)).await.0, 403);
        let auditor = app.api(&app.token("kiemtra", "auditor", "56").await);
        let (_, a) = auditor.get("/api/v1/audit?object_type=antt_record").await;
        assert!(a["items"].to_string().contains("Doanh nghiệp mới thành lập"), "the override is audited");
    }
}
