//! The JSON API of units, areas and establishments, with scopes and bad input.

use serde_json::json;

use crate::app_tests;

app_tests! {
    health_and_auth(app) {
        let r = reqwest::get(app.url("/healthz")).await.unwrap();
        assert_eq!(r.status(), 200);
        // Security headers on every response.
        let csp = r.headers().get("content-security-policy").unwrap().to_str().unwrap().to_string();
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(r.headers().get("x-content-type-options").unwrap(), "nosniff");
        let anon = reqwest::get(app.url("/api/v1/areas")).await.unwrap();
        assert_eq!(anon.status(), 401);
        let body: serde_json::Value = anon.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthenticated");
        let bad = app.api("antq_not-a-token");
        assert_eq!(bad.get("/api/v1/areas").await.0, 401);
        let spec: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
        for path in ["/api/v1/units", "/api/v1/areas/{id}", "/api/v1/models/{id}/transitions", "/api/v1/stats/models", "/api/v1/{registry}/import"] {
            assert!(spec["paths"].get(path).is_some(), "{path} missing from OpenAPI");
        }
    }

    units_search_ignores_diacritics(app) {
        let api = app.api(&app.token("admin", "admin", "56").await);
        for q in ["khanh%20hoa", "KH%C3%81NH%20H%C3%92A", "Khanh%20Hoa"] {
            let (s, b) = api.get(&format!("/api/v1/units?q={q}&level=province")).await;
            assert_eq!(s, 200);
            assert_eq!(b["items"][0]["code"], "56", "{q}");
            assert_eq!(b["total"], 1);
        }
        let (_, communes) = api.get("/api/v1/units?parent=56").await;
        assert_eq!((communes["total"].as_i64(), communes["per_page"].as_i64()), (Some(65), Some(25)));
        // Every commune of Hồ Chí Minh city, page by page, each once.
        let (_, first) = api.get("/api/v1/units?parent=79&per_page=1000").await;
        let total = first["total"].as_i64().unwrap();
        assert!(total > 160 && first["per_page"] == 200, "{}", first["total"]);
        let mut seen = std::collections::BTreeSet::new();
        for page in 1..=(total + 49) / 50 {
            let (s, b) = api.get(&format!("/api/v1/units?parent=79&per_page=50&page={page}")).await;
            assert_eq!((s, b["page"].as_i64()), (200, Some(page)));
            for u in b["items"].as_array().unwrap() {
                assert_eq!(u["parent_code"], "79");
                assert!(seen.insert(u["code"].as_str().unwrap().to_string()), "{u} twice");
            }
        }
        assert_eq!(seen.len() as i64, total);
        let (_, all) = api.get("/api/v1/units?level=commune&per_page=1").await;
        assert_eq!(all["total"].as_i64(), Some(3321));
        let (s, u) = api.get("/api/v1/units/22333").await;
        assert_eq!((s, u["name"].as_str(), u["kind"].as_str(), u["parent_code"].as_str()), (200, Some("Bắc Nha Trang"), Some("phuong"), Some("56")));
        assert_eq!(api.get("/api/v1/units/77777").await.0, 404);
        assert_eq!(api.get("/api/v1/units?level=huyen").await.0, 422);
    }

    areas_crud_and_retire(app) {
        let api = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let (s, a) = api.post("/api/v1/areas", json!({"commune_code": "22333", "name": "Tổ dân phố 5", "kind": "Tổ dân phố", "households": 210, "population": 800})).await;
        assert_eq!(s, 201, "{a}");
        assert_eq!((a["kind"].as_str(), a["province_code"].as_str()), (Some("to_dan_pho"), Some("56")));
        let id = a["id"].as_i64().unwrap();
        let (s, a) = api.patch(&format!("/api/v1/areas/{id}"), json!({"households": 230})).await;
        assert_eq!((s, a["households"].as_i64(), a["name"].as_str()), (200, Some(230), Some("Tổ dân phố 5")));
        let (s, l) = api.get("/api/v1/areas?q=TO%20DAN%20PHO").await;
        assert_eq!((s, l["total"].as_i64()), (200, Some(1)));
        let today = app.ctx.today().to_string();
        let (s, b) = api.patch(&format!("/api/v1/areas/{id}"), json!({"valid_to": "2025-01-01"})).await;
        assert_eq!(s, 422, "a retirement before the area existed: {b}");
        let (s, a) = api.patch(&format!("/api/v1/areas/{id}"), json!({"valid_to": today})).await;
        assert_eq!((s, a["valid_to"].as_str()), (200, Some(today.as_str())));
        assert_eq!(api.get("/api/v1/areas").await.1["total"], 0);
        assert_eq!(api.get("/api/v1/areas?include_retired=true").await.1["total"], 1);
        // Retired but never deleted: still readable.
        assert_eq!(api.get(&format!("/api/v1/areas/{id}")).await.0, 200);
        let (s, a) = api.patch(&format!("/api/v1/areas/{id}"), json!({"valid_to": null})).await;
        assert_eq!((s, a["valid_to"].is_null()), (200, true));
    }

    bad_input_is_422_and_writes_nothing(app) {
        let api = app.api(&app.token("admin", "admin", "56").await);
        let cases = [
            json!({"commune_code": "22333", "name": "", "kind": "Thôn"}),
            json!({"commune_code": "22333", "name": "Thôn 1", "kind": "Quận"}),
            json!({"commune_code": "56", "name": "Thôn 1", "kind": "Thôn"}),
            json!({"commune_code": "99999", "name": "Thôn 1", "kind": "Thôn"}),
            json!({"commune_code": "22333", "name": "Thôn 1", "kind": "Thôn", "households": 100, "population": 10}),
            json!({"commune_code": "22333", "name": "Thôn 1", "kind": "Thôn", "households": -5}),
        ];
        for c in cases {
            let (s, b) = api.post("/api/v1/areas", c.clone()).await;
            assert_eq!(s, 422, "{c} → {b}");
            assert_eq!(b["error"]["code"], "invalid");
            assert!(!b["error"]["fields"].as_object().unwrap().is_empty());
        }
        let r = reqwest::Client::new().post(app.url("/api/v1/areas")).bearer_auth(api_token(&api)).header("content-type", "application/json").body("{not json").send().await.unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(api.get("/api/v1/areas?page=abc").await.0, 422);
        let (s, b) = api.get("/api/v1/areas/abc").await;
        assert_eq!((s, b["error"]["code"].as_str()), (404, Some("not_found")));
        let (s, b) = api.get("/api/v1/models/99999999999999999999999").await;
        assert_eq!((s, b["error"]["code"].as_str()), (404, Some("not_found")));
        assert_eq!(api.get("/api/v1/areas").await.1["total"], 0);
        let (s, b) = api.post("/api/v1/establishments", json!({"commune_code": "22333", "name": "UBND phường", "kind": "co_quan", "small_enterprise": true})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["small_enterprise"].as_str().unwrap().contains("doanh nghiệp"));
    }

    garbage_never_causes_a_500(app) {
        let api = app.api(&app.token("admin", "admin", "56").await);
        let queries = ["page=-1", "per_page=0", "page=99999999999", "q=%25%25%5F%5C", "q=%00", "commune=%27%3B%20DROP%20TABLE%20areas", "type_id=x", "include_retired=maybe", "by=%F0%9F%92%A5"];
        for path in ["/api/v1/areas", "/api/v1/establishments", "/api/v1/models", "/api/v1/units", "/api/v1/stats/models", "/api/v1/models/export"] {
            for q in queries {
                let (s, _) = api.get_bytes(&format!("{path}?{q}")).await;
                assert!(s < 500, "{path}?{q} → {s}");
            }
        }
        let bodies = [json!(null), json!([]), json!("x"), json!(42), json!({"name": {"a": 1}}), json!({"commune_code": 22333, "name": "X", "kind": "thon"}),
            json!({"to": "hoat_dong", "on_date": "31/02/2025"}), json!({"name": "x".repeat(100_000)}),
            json!({"commune_code": "22333", "name": "Thôn\u{0} 1", "kind": "thon"}), json!({"commune_code": "2233\u{0}3", "name": "Thôn 1", "kind": "thon"})];
        for path in ["/api/v1/areas", "/api/v1/establishments", "/api/v1/models", "/api/v1/model-types", "/api/v1/models/1/transitions", "/api/v1/models/1/sites"] {
            for b in &bodies {
                let (s, r) = api.post(path, b.clone()).await;
                assert!(s < 500, "{path} {b} → {s} {r}");
            }
        }
        assert_eq!(api.get("/api/v1/areas").await.1["total"], 0);
    }

    scope_is_enforced(app) {
        let own = app.api(&app.token("bacnt", "commune_officer", "22333").await);
        let other = app.api(&app.token("canbo2", "commune_officer", "22366").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let hanoi = app.api(&app.token("hanoi", "province_officer", "01").await);
        let viewer = app.api(&app.token("nguoixem", "viewer", "22333").await);
        let (s, a) = own.post("/api/v1/areas", json!({"commune_code": "22333", "name": "Thôn A", "kind": "thon"})).await;
        assert_eq!(s, 201);
        let id = a["id"].as_i64().unwrap();
        assert_eq!(other.get(&format!("/api/v1/areas/{id}")).await.0, 403);
        assert_eq!(other.patch(&format!("/api/v1/areas/{id}"), json!({"name": "X"})).await.0, 403);
        assert_eq!(other.post("/api/v1/areas", json!({"commune_code": "22333", "name": "Thôn B", "kind": "thon"})).await.0, 403);
        assert_eq!(other.get("/api/v1/areas").await.1["total"], 0);
        assert_eq!(other.get("/api/v1/areas?commune=22333").await.0, 403);
        assert_eq!(province.get(&format!("/api/v1/areas/{id}")).await.0, 200);
        assert_eq!(province.get("/api/v1/areas").await.1["total"], 1);
        assert_eq!(hanoi.get(&format!("/api/v1/areas/{id}")).await.0, 403);
        assert_eq!(hanoi.get("/api/v1/areas").await.1["total"], 0);
        assert_eq!(viewer.get(&format!("/api/v1/areas/{id}")).await.0, 200);
        let (s, b) = viewer.patch(&format!("/api/v1/areas/{id}"), json!({"name": "X"})).await;
        assert_eq!((s, b["error"]["code"].as_str()), (403, Some("forbidden")));
        assert_eq!(own.get(&format!("/api/v1/areas/{id}")).await.1["name"], "Thôn A");
    }

    establishments_record_exclusions(app) {
        let api = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let (s, e) = api.post("/api/v1/establishments", json!({"commune_code": "22333", "name": "Trường Mầm non Hoa Sen", "kind": "co_so_giao_duc", "primary_or_preschool": true})).await;
        assert_eq!(s, 201);
        assert_eq!(e["antt_exclusion"], "Trường tiểu học, mầm non, nhà trẻ");
        let (s, e2) = api.post("/api/v1/establishments", json!({"commune_code": "22333", "name": "Công ty CP Yến Sào", "kind": "Doanh nghiệp"})).await;
        assert_eq!((s, e2["antt_exclusion"].is_null()), (201, true));
        let (_, l) = api.get("/api/v1/establishments?kind=co_so_giao_duc").await;
        assert_eq!(l["total"], 1);
        let id = e["id"].as_i64().unwrap();
        let (s, e) = api.patch(&format!("/api/v1/establishments/{id}"), json!({"primary_or_preschool": false, "sub_type": "Trường THCS"})).await;
        assert_eq!((s, e["antt_exclusion"].is_null(), e["sub_type"].as_str()), (200, true, Some("Trường THCS")));
    }
}

fn api_token(api: &crate::support::Api) -> String {
    api.token_for_raw_requests()
}
