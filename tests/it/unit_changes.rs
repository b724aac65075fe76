//! The next change of the administrative map (issue 16): a table loaded, checked without
//! writing, refused while rows would collide, applied on its day in one transaction, with
//! every total the same before and after and every moved record keeping its place.

use crate::app_tests;
use serde_json::Value;

/// One number from a portable query.
async fn count(app: &crate::support::TestApp, sql: &str) -> i64 {
    antq_store::with_db!(&app.ctx.db, p => sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(p).await)
        .unwrap()
}

/// Texts of the first column of a portable query.
async fn texts(app: &crate::support::TestApp, sql: &str) -> Vec<String> {
    antq_store::with_db!(&app.ctx.db, p => sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_string())).fetch_all(p).await)
        .unwrap()
}

const HEADER: &str = "Cấp,Mã hiện tại,Mã mới,Tên mới,Loại,Tỉnh mới,Hình thức,Tỷ lệ (‰),Mặc định\n";

fn upload_path(generation: &str, day: &str, dry_run: bool) -> String {
    format!(
        "/api/v1/unit-changes?generation={generation}&name=B%E1%BA%A3n%20%C4%91%E1%BB%93%20{generation}\
         &legal_basis=99%2FNQ-UBTVQH16&effective_on={day}&format=csv&dry_run={dry_run}"
    )
}

/// The totals the movement's statistics give for a year (every module by former place).
async fn movement_totals(api: &crate::support::Api, year: i32) -> Value {
    let (s, t) = api.get(&format!("/api/v1/stats/former?year={year}")).await;
    assert_eq!(s, 200, "{t}");
    t["totals"].clone()
}

app_tests! {
    a_change_of_the_map_is_checked_refused_on_collisions_and_applied_keeping_every_total(app) {
        antq_app::demo::generate(&app.ctx, antq_app::demo::Scope::Province("56".into()), 5, None).await.unwrap();
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let today = app.ctx.today().to_string();

        // Province officers may not touch the map.
        let officer = app.api(&app.token("tinh", "province_officer", "56").await);
        let (s, _) = officer.get("/api/v1/unit-changes").await;
        assert_eq!(s, 403);
        let (s, _) = officer.post_bytes(&upload_path("x2027", &today, true), HEADER.as_bytes().to_vec()).await;
        assert_eq!(s, 403);

        // Two communes rated "An toàn về ANTT" in the same year cannot simply merge.
        let pair = antq_store::with_db!(&app.ctx.db, p => sqlx::query_as::<_, (String, String)>(
            "SELECT a.commune_code, b.commune_code FROM antt_records a JOIN antt_records b ON a.year = b.year \
             AND a.subject = b.subject AND a.commune_code < b.commune_code \
             WHERE a.province_code = '56' AND a.area_id IS NULL AND b.area_id IS NULL \
             AND a.establishment_id IS NULL AND b.establishment_id IS NULL ORDER BY a.commune_code, b.commune_code LIMIT 1")
            .fetch_one(p).await).unwrap();
        let merge = format!("{HEADER}xã,{},{},,,,Nhập toàn bộ,,\n", pair.0, pair.1);
        let (s, dry) = admin.post_bytes(&upload_path("m2027", &today, true), merge.clone().into_bytes()).await;
        assert_eq!(s, 200, "{dry}");
        assert!(dry["id"].is_null(), "{dry}");
        let collisions = dry["check"]["effect"]["collisions"].as_array().unwrap();
        assert!(collisions.iter().any(|c| c["register"] == "Hồ sơ «An toàn về ANTT»" && c["keys"].as_i64().unwrap() >= 1), "{dry}");
        // The dry run wrote nothing.
        let (_, list) = admin.get("/api/v1/unit-changes").await;
        assert_eq!(list["total"], 0, "{list}");
        assert_eq!(count(app, "SELECT COUNT(*) FROM unit_change_moves").await, 0);
        // Saved, it cannot be applied: nothing changes.
        let (s, saved) = admin.post_bytes(&upload_path("m2027", &today, false), merge.into_bytes()).await;
        assert_eq!(s, 200, "{saved}");
        let merge_id = saved["id"].as_i64().unwrap();
        let before_merge = count(app, &format!("SELECT COUNT(*) FROM antt_records WHERE commune_code = '{}'", pair.0)).await;
        let (s, e) = admin.post(&format!("/api/v1/unit-changes/{merge_id}/apply"), serde_json::json!({})).await;
        assert_eq!(s, 409, "{e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("trùng khoá"), "{e}");
        assert_eq!(count(app, &format!("SELECT COUNT(*) FROM antt_records WHERE commune_code = '{}'", pair.0)).await, before_merge);
        let (s, _) = admin.post(&format!("/api/v1/unit-changes/{merge_id}/cancel"), serde_json::json!({})).await;
        assert_eq!(s, 204);
        let (s, _) = admin.post(&format!("/api/v1/unit-changes/{merge_id}/cancel"), serde_json::json!({})).await;
        assert_eq!(s, 409);

        // Faults are named by row and nothing is saved.
        let bad = format!("{HEADER}xã,00000,{},,,,Nhập toàn bộ,,\nxã,{},99001,,,,Chia tách,600,có\n", pair.1, pair.0);
        let (s, e) = admin.post_bytes(&upload_path("b2027", &today, true), bad.into_bytes()).await;
        assert_eq!(s, 422, "{e}");
        let msg = e["error"]["fields"]["file"].as_str().unwrap();
        assert!(msg.contains("Dòng 2: không có đơn vị hiện hành mã «00000»") && msg.contains("tổng tỷ lệ 600‰"), "{msg}");

        // A split of commune A into a new commune (default) and its neighbour C, a rename of D,
        // and a small province merged into Khánh Hòa.
        let communes = texts(app, "SELECT code FROM units WHERE parent_code = '56' AND valid_to IS NULL ORDER BY code").await;
        let a = texts(app, "SELECT commune_code FROM models WHERE province_code = '56' AND commune_code IS NOT NULL \
             GROUP BY commune_code ORDER BY COUNT(*) DESC, commune_code").await[0].clone();
        let c = communes.iter().find(|x| **x != a).unwrap().clone();
        let d = communes.iter().rev().find(|x| **x != a && **x != c).unwrap().clone();
        let small = texts(app, "SELECT parent_code FROM units WHERE level = 'commune' AND parent_code <> '56' \
             GROUP BY parent_code ORDER BY COUNT(*), parent_code").await[0].clone();
        let small_communes = count(app, &format!("SELECT COUNT(*) FROM units WHERE parent_code = '{small}'")).await;
        let table = format!(
            "{HEADER}xã,{a},99001,Tân An,Xã,,Chia tách,700,có\nxã,{a},{c},,,,Chia tách,300,\n\
             xã,{d},{d},Hòa Bình Mới,Phường,,Đổi tên,,\ntỉnh,{small},56,,,,Nhập toàn bộ,,\n"
        );
        let officer_a = app.api(&app.token("xa_a", "commune_officer", &a).await);
        let models_of_a = count(app, &format!("SELECT COUNT(*) FROM models WHERE commune_code = '{a}'")).await;
        let model_of_a = count(app, &format!("SELECT MIN(id) FROM models WHERE commune_code = '{a}'")).await;
        let rows_before = count(app, "SELECT COUNT(*) FROM models").await;
        let movement_before = movement_totals(&admin, 2022).await;
        let movement_2025 = movement_totals(&admin, 2025).await;
        let (_, acts_before) = admin.get("/api/v1/stats/activities?year=2025").await;
        let former_2024 = antq_store::former_units::steps(
            &app.ctx.db, antq_store::former_units::End::To, "2025", antq_domain::succession::FormerLevel::Commune, &a,
        ).await.unwrap()[0].from_code.clone();

        // Not yet its day: saved, shown with what it would do, refused.
        let tomorrow = (app.ctx.today() + chrono::Days::new(1)).to_string();
        let (s, later) = admin.post_bytes(&upload_path("l2027", &tomorrow, false), table.clone().into_bytes()).await;
        assert_eq!(s, 200, "{later}");
        let later_id = later["id"].as_i64().unwrap();
        let (s, e) = admin.post(&format!("/api/v1/unit-changes/{later_id}/apply"), serde_json::json!({})).await;
        assert_eq!(s, 409);
        assert!(e["error"]["message"].as_str().unwrap().contains("Chưa đến ngày"), "{e}");
        admin.post(&format!("/api/v1/unit-changes/{later_id}/cancel"), serde_json::json!({})).await;

        let (s, saved) = admin.post_bytes(&upload_path("n2027", &today, false), table.into_bytes()).await;
        assert_eq!(s, 200, "{saved}");
        let id = saved["id"].as_i64().unwrap();
        let check = &saved["check"];
        assert_eq!((check["ended"].as_i64(), check["renamed"].as_i64()), (Some(2), Some(1)), "{check}");
        assert_eq!(check["reparented"].as_i64(), Some(small_communes));
        assert_eq!(check["split"], serde_json::json!([a]));
        let models = check["effect"]["registers"].as_array().unwrap().iter().find(|r| r["register"] == "Mô hình").unwrap();
        assert_eq!((models["rows"].as_i64(), models["split_rows"].as_i64()), (Some(models_of_a), Some(models_of_a)), "{check}");
        assert!(check["effect"]["collisions"].as_array().unwrap().is_empty(), "{check}");
        assert_eq!(check["effect"]["accounts"], 1);
        let (_, view) = admin.get(&format!("/api/v1/unit-changes/{id}")).await;
        assert!(view["blocked"].is_null() && view["steps"] == 4, "{view}");
        let steps = admin.all_items(&format!("/api/v1/unit-changes/{id}/steps")).await;
        assert_eq!(steps.len(), 4);

        let (s, applied) = admin.post(&format!("/api/v1/unit-changes/{id}/apply"), serde_json::json!({})).await;
        assert_eq!(s, 200, "{applied}");
        assert_eq!(applied["from_generation"], "2025");
        let (s, _) = admin.post(&format!("/api/v1/unit-changes/{id}/apply"), serde_json::json!({})).await;
        assert_eq!(s, 409, "applied twice");

        // The maps: 2025 ended yesterday; the new one holds the new commune, the rename, the merge.
        let (_, g) = admin.get("/api/v1/unit-generations").await;
        let ids: Vec<&str> = g["generations"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["truoc_2025", "2025", "n2027"]);
        assert_eq!(g["generations"][1]["valid_to"], (app.ctx.today() - chrono::Days::new(1)).to_string());
        let (s, new) = admin.get("/api/v1/units/99001").await;
        assert_eq!((s, new["name"].as_str(), new["parent_code"].as_str()), (200, Some("Tân An"), Some("56")), "{new}");
        let (_, renamed) = admin.get(&format!("/api/v1/units/{d}")).await;
        assert_eq!((renamed["name"].as_str(), renamed["kind"].as_str()), (Some("Hòa Bình Mới"), Some("phuong")));
        let (s, _) = admin.get(&format!("/api/v1/units/{a}")).await;
        assert_eq!(s, 404, "the split commune is no longer current");
        assert_eq!(count(app, &format!("SELECT COUNT(*) FROM units WHERE parent_code = '{small}' AND valid_to IS NULL")).await, 0);

        // Every record of A is now in the new commune, keeping its place of the 2025 map.
        assert_eq!(count(app, &format!("SELECT COUNT(*) FROM models WHERE commune_code = '{a}'")).await, 0);
        assert_eq!(count(app, "SELECT COUNT(*) FROM models WHERE commune_code = '99001'").await, models_of_a);
        assert_eq!(count(app, "SELECT COUNT(*) FROM models").await, rows_before);
        assert_eq!(
            antq_store::unit_changes::record_place(&app.ctx.db, "models", model_of_a, "2025").await.unwrap(),
            Some(("56".to_string(), Some(a.clone())))
        );
        assert_eq!(count(app, "SELECT COUNT(*) FROM record_places WHERE register = 'models'").await, models_of_a);
        // The pivot of a day of the 2025 map counts them where they were then, under that
        // map's names, with the same total as today's map.
        let yesterday = (app.ctx.today() - chrono::Days::new(1)).to_string();
        let (s, then) = admin.get(&format!("/api/v1/pivot?source=models&province=56&as_of={yesterday}")).await;
        assert_eq!(s, 200, "{then}");
        assert_eq!(then["rows"], "map_commune");
        let row = |p: &Value, code: &str| p["table"]["rows"].as_array().unwrap().iter().find(|r| r["code"] == code).cloned();
        assert_eq!(row(&then, &a).unwrap()["values"][0].as_i64(), Some(models_of_a), "{then}");
        assert!(row(&then, "99001").is_none(), "{then}");
        let (_, now) = admin.get("/api/v1/pivot?source=models&province=56").await;
        assert_eq!(row(&now, "99001").unwrap()["values"][0].as_i64(), Some(models_of_a), "{now}");
        assert_eq!(then["table"]["totals"], now["table"]["totals"]);
        let (s, e) = admin.get("/api/v1/pivot?source=models&rows=map_commune").await;
        assert_eq!(s, 422, "a later map's place needs its day: {e}");
        // Totals restated in the new map equal the totals before, and the kept totals agree
        // with a recount of their registers.
        assert_eq!(movement_totals(&admin, 2022).await, movement_before);
        assert_eq!(movement_totals(&admin, 2025).await, movement_2025);
        let (_, acts_after) = admin.get("/api/v1/stats/activities?year=2025").await;
        assert_eq!(acts_after["totals"], acts_before["totals"]);
        let (recount, kept) = antq_store::activities::recount_and_kept(&app.ctx.db).await.unwrap();
        assert_eq!(recount, kept);
        let (recount, kept) = antq_store::cameras::recount_and_kept(&app.ctx.db).await.unwrap();
        assert_eq!(recount, kept);

        // The lineage: the new commune came from A of the 2025 map; A's page says what it became.
        let (_, lineage) = admin.get("/api/v1/units/99001/lineage").await;
        let from = &lineage["came_from"][0];
        assert_eq!((from["succession"]["from_code"].as_str(), from["href"].as_str()), (Some(a.as_str()), Some(format!("/units/former/2025/commune/{a}").as_str())), "{lineage}");
        let (s, former) = admin.get(&format!("/api/v1/former-units/2025/commune/{a}")).await;
        assert_eq!(s, 200, "{former}");
        let became: Vec<&str> = former["became"].as_array().unwrap().iter().map(|b| b["succession"]["to_code"].as_str().unwrap()).collect();
        assert_eq!(became, ["99001", c.as_str()]);
        // A commune of 2024 that went into A is now split: an import asks which new commune.
        let r = antq_app::lineage::resolver(&app.ctx).await.unwrap();
        let e = r.restate(&former_2024, None, None, None).unwrap_err();
        assert!(e.contains("99001"), "{e}");
        assert_eq!(r.restate(&former_2024, None, None, Some("99001")).unwrap().commune, "99001");

        // A's officer now works in the new commune.
        let users = admin.all_items("/api/v1/users").await;
        let xa = users.iter().find(|u| u["username"] == "xa_a").unwrap();
        assert_eq!(xa["unit_code"], "99001", "{xa}");
        let (s, _) = officer_a.get("/api/v1/models?commune=99001").await;
        assert_eq!(s, 200);

        // The pages.
        let b = app.browser();
        b.login("quantri", crate::support::PASSWORD).await;
        let (s, html, _) = b.get("/admin/unit-changes").await;
        assert!(s == 200 && html.contains("n2027") && html.contains("/admin/unit-changes/template?format=xlsx"), "{html}");
        let (s, html, _) = b.get(&format!("/admin/unit-changes/{id}")).await;
        assert!(s == 200 && html.contains("id=\"change-state\">Đã áp dụng") && html.contains("id=\"steps\""), "{html}");
        let (s, _, _) = b.get("/admin/unit-changes/template?format=csv").await;
        assert_eq!(s, 200);
        let tinh = app.browser();
        tinh.login("tinh", crate::support::PASSWORD).await;
        let (s, _, _) = tinh.get("/admin/unit-changes").await;
        assert_eq!(s, 403);
    }
}
