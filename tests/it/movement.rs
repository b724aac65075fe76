//! Movement classification (C6) and exemplary units (C7) through the API.

use serde_json::json;

use crate::app_tests;

app_tests! {
    classification_workflow(app) {
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let (_, area) = commune.post("/api/v1/areas", json!({"commune_code": "22333", "name": "Tổ dân phố 4", "kind": "to_dan_pho"})).await;
        let (s, c) = commune.post("/api/v1/classifications", json!({"area_id": area["id"], "year": 2026})).await;
        assert_eq!((s, c["state"].as_str(), c["max"].as_i64()), (201, Some("tu_cham_diem"), Some(100)), "{c}");
        let id = c["id"].as_i64().unwrap();
        assert_eq!(commune.post("/api/v1/classifications", json!({"area_id": area["id"], "year": 2026})).await.0, 409);
        let (_, d) = commune.get(&format!("/api/v1/classifications/{id}")).await;
        assert_eq!(d["deadline"].as_str(), Some("2026-11-20"), "QĐ 510 Điều 11: residential areas by 20/11");
        assert!(d["days_left"].is_i64());
        assert_eq!(d["sheet"]["criteria"].as_array().unwrap().len(), 6);

        let scores = format!("/api/v1/classifications/{id}/scores");
        let (s, b) = commune.post(&scores, json!({"scores": {"PT.1": 11}})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["scores"].as_str().unwrap().contains("0 đến 10"), "{b}");
        assert_eq!(commune.post(&scores, json!({"scores": {"X": 1}})).await.0, 422);
        let steps = format!("/api/v1/classifications/{id}/steps");
        assert_eq!(commune.post(&steps, json!({"step": "propose"})).await.0, 422, "no scores yet");
        let (s, c) = commune.post(&scores, json!({"scores": {"PT.1": 10, "PT.2": 8, "PT.3": 15, "PT.4": 20, "PT.5": 20, "PT.6": 10}})).await;
        assert_eq!((s, c["total"].as_i64(), c["proposed_class"].as_str()), (200, Some(83), Some("kha")), "{c}");
        let decision = format!("/api/v1/classifications/{id}/decision");
        assert_eq!(commune.post(&decision, json!({"decision_no": "1/QĐ", "decided_on": "2026-11-21"})).await.0, 409);
        assert_eq!(commune.post(&steps, json!({"step": "propose"})).await.1["state"].as_str(), Some("da_de_xuat"));
        assert_eq!(commune.post(&scores, json!({"scores": {"PT.1": 1}})).await.0, 409, "proposed: scores are locked");
        assert_eq!(commune.post(&steps, json!({"step": "return"})).await.0, 422);
        let (_, c) = commune.post(&steps, json!({"step": "return", "comment": "Thiếu biên bản"})).await;
        assert_eq!((c["state"].as_str(), c["comment"].as_str()), (Some("tu_cham_diem"), Some("Thiếu biên bản")));
        commune.post(&steps, json!({"step": "propose"})).await;
        assert_eq!(commune.post(&steps, json!({"step": "review"})).await.1["state"].as_str(), Some("da_xet"));
        assert_eq!(commune.post(&decision, json!({"decided_on": "2026-11-21"})).await.0, 422);
        let (s, c) = commune.post(&decision, json!({"decision_no": "7/QĐ-UBND", "decided_on": "2026-11-21"})).await;
        assert_eq!((s, c["state"].as_str(), c["decided_class"].as_str()), (200, Some("da_quyet_dinh"), Some("kha")), "{c}");

        // A commune's own classification is reviewed by the province.
        let (_, x) = commune.post("/api/v1/classifications", json!({"commune_code": "22333", "year": 2026})).await;
        let xid = x["id"].as_i64().unwrap();
        commune.post(&format!("/api/v1/classifications/{xid}/scores"), json!({"scores": {"PT.1": 10}})).await;
        commune.post(&format!("/api/v1/classifications/{xid}/steps"), json!({"step": "propose"})).await;
        assert_eq!(commune.post(&format!("/api/v1/classifications/{xid}/steps"), json!({"step": "review"})).await.0, 403);
        assert_eq!(province.post(&format!("/api/v1/classifications/{xid}/steps"), json!({"step": "review"})).await.0, 200);

        let (_, st) = province.get("/api/v1/stats/classification?year=2026").await;
        let row = st["rows"].as_array().unwrap().iter().find(|r| r["subject"] == "khu_dan_cu").unwrap();
        assert_eq!((row["key"].as_str(), row["counts"][1].as_i64(), row["total"].as_i64()), (Some("22333"), Some(1), Some(1)), "{st}");
    }

    exemplar_registration_and_result(app) {
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let (s, x) = commune.post("/api/v1/exemplars", json!({"commune_code": "22333", "kind": "cong_an_xa", "year": 2026, "registered_on": "2026-03-02", "field": "Phòng, chống ma túy"})).await;
        assert_eq!((s, x["kind"].as_str(), x["result"].as_str()), (201, Some("cong_an_xa"), Some("dang_ky")), "{x}");
        assert!(x["name"].as_str().unwrap().starts_with("Công an"));
        assert_eq!(commune.post("/api/v1/exemplars", json!({"commune_code": "22333", "kind": "cong_an_xa", "year": 2026, "registered_on": "2026-03-05"})).await.0, 409);
        let (s, b) = commune.post("/api/v1/exemplars", json!({"commune_code": "22333", "year": 2026})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["registered_on"].is_string());
        let (s, w) = commune.post("/api/v1/exemplars", json!({"commune_code": "22333", "year": 2026, "registered_on": "2026-03-02"})).await;
        assert_eq!((s, w["kind"].as_str()), (201, Some("phuong")), "Bắc Nha Trang is a ward: {w}");
        let result = format!("/api/v1/exemplars/{}/result", x["id"]);
        assert_eq!(commune.post(&result, json!({"result": "dat", "decision_no": "3/QĐ", "decided_on": "2026-11-01"})).await.0, 403);
        assert_eq!(province.post(&result, json!({"result": "dat"})).await.0, 422);
        let (s, r) = province.post(&result, json!({"result": "dat", "decision_no": "3/QĐ-CAT", "decided_on": "2026-11-01"})).await;
        assert_eq!((s, r["result"].as_str()), (200, Some("dat")), "{r}");
        assert_eq!(province.post(&result, json!({"result": "khong_dat", "decision_no": "4/QĐ", "decided_on": "2026-11-02"})).await.0, 409);
        let (_, list) = commune.get("/api/v1/exemplars?year=2026").await;
        assert_eq!((list["items"].as_array().unwrap().len(), list["total"].as_i64()), (2, Some(2)));
    }
}
