//! Import and export through the API: templates, dry runs, all-or-nothing, round trips.

use calamine::{Reader, Xlsx};
use serde_json::json;

use crate::app_tests;

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn read_xlsx(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

app_tests! {
    templates_have_vietnamese_headers(app) {
        let api = app.api(&app.token("admin", "admin", "56").await);
        let (s, bytes) = api.get_bytes("/api/v1/models/template?format=xlsx").await;
        assert_eq!(s, 200);
        let rows = read_xlsx(bytes);
        assert!(rows[0].contains(&"Tên mô hình".to_string()) && rows[0].contains(&"Mã xã".to_string()), "{:?}", rows[0]);
        let (s, csv) = api.get_bytes("/api/v1/areas/template?format=csv").await;
        assert_eq!(s, 200);
        let text = String::from_utf8(csv).unwrap();
        assert!(text.trim_start_matches('\u{feff}').starts_with("Mã xã,Tên khu dân cư,Loại"), "{text}");
    }

    dry_run_lists_every_bad_row_and_commit_is_all_or_nothing(app) {
        let api = app.api(&app.token("canbo", "commune_officer", "22333").await);
        // Headers without diacritics and in another case are accepted.
        let file = xlsx(&[
            &["MA XA", "ten khu dan cu", "Loai", "So ho", "So nhan khau"],
            &["22333", "Tổ dân phố 1", "Tổ dân phố", "120", "500"],
            &["22333", "", "Tổ dân phố", "120", "500"],
            &["22333", "Tổ dân phố 3", "Quận", "abc", "500"],
            &["22366", "Tổ dân phố 4", "Tổ dân phố", "10", "50"],
            &["22333", "Tổ dân phố 1", "to dan pho", "", ""],
        ]);
        let (s, r) = api.post_bytes("/api/v1/areas/import?dry_run=true", file.clone()).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!((r["rows"].as_i64(), r["valid"].as_i64(), r["committed"].as_bool()), (Some(5), Some(1), Some(false)));
        let errors: Vec<(i64, String)> = r["errors"].as_array().unwrap().iter().map(|e| (e["row"].as_i64().unwrap(), e["column"].as_str().unwrap_or("").to_string())).collect();
        assert!(errors.contains(&(3, "Tên khu dân cư".into())), "{errors:?}");
        assert!(errors.contains(&(4, "Loại".into())) && errors.contains(&(4, "Số hộ".into())), "{errors:?}");
        assert!(errors.contains(&(5, "Mã xã".into())), "outside the officer's commune: {errors:?}");
        assert!(errors.contains(&(6, "Tên khu dân cư".into())), "duplicate within the file: {errors:?}");
        // The real import with errors writes nothing.
        let (s, r) = api.post_bytes("/api/v1/areas/import?dry_run=false", file).await;
        assert_eq!((s, r["committed"].as_bool(), r["created"].as_i64()), (200, Some(false), Some(0)));
        assert_eq!(api.get("/api/v1/areas").await.1["total"], 0);
        // A clean file writes every row.
        let good = "Mã xã;Tên khu dân cư;Loại;Số hộ\n22333;Tổ dân phố 1;Tổ dân phố;120\n22333;Tổ dân phố 2;Tổ dân phố;1.250\n";
        let (s, r) = api.post_bytes("/api/v1/areas/import?dry_run=false&format=csv", good.as_bytes().to_vec()).await;
        assert_eq!((s, r["created"].as_i64()), (200, Some(2)), "{r}");
        assert_eq!(api.get("/api/v1/areas?q=to%20dan%20pho%202").await.1["items"][0]["households"], 1250);
        // Importing the same rows again is refused as duplicates.
        let (_, r) = api.post_bytes("/api/v1/areas/import?dry_run=false&format=csv", good.as_bytes().to_vec()).await;
        assert_eq!((r["created"].as_i64(), r["errors"].as_array().unwrap().len()), (Some(0), 2));
    }

    unreadable_files_are_422(app) {
        let api = app.api(&app.token("admin", "admin", "56").await);
        let (s, r) = api.post_bytes("/api/v1/models/import", b"PK\x03\x04garbage".to_vec()).await;
        assert_eq!(s, 422, "{r}");
        assert!(r["error"]["fields"]["file"].as_str().unwrap().contains("Không đọc được"));
        let (s, r) = api.post_bytes("/api/v1/models/import?format=csv", "Tên mô hình\nX\n".as_bytes().to_vec()).await;
        assert_eq!(s, 422);
        assert!(r["error"]["fields"]["file"].as_str().unwrap().contains("Loại mô hình"), "{r}");
        assert_eq!(api.post_bytes("/api/v1/models/import?format=pdf", vec![]).await.0, 422);
    }

    models_import_and_export_round_trip(app) {
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        let (_, area) = api.post("/api/v1/areas", json!({"commune_code": "22333", "name": "Tổ dân phố 7", "kind": "to_dan_pho"})).await;
        assert!(area["id"].is_i64());
        let file = xlsx(&[
            &["Mã xã", "Tên mô hình", "Loại mô hình", "Cấp", "Nơi hình thành", "Khu dân cư hình thành", "Tổ chức chủ trì", "Phạm vi", "Lĩnh vực", "Trạng thái", "Ngày trạng thái", "Kinh phí xã hội hóa (đồng)"],
            &["22333", "Camera an ninh tổ dân phố 7", "Camera giám sát ANTT", "Khu dân cư", "Khu dân cư", "to dan pho 7", "Công an", "Một lĩnh vực", "Camera", "Đang hoạt động", "15/03/2024", "25.000.000"],
            &["22366", "Câu lạc bộ pháp luật Nha Trang", "cau lac bo", "Cấp xã", "Xã, phường, đặc khu", "", "Hội Cựu chiến binh", "Toàn diện", "", "", "", ""],
        ]);
        let (s, r) = api.post_bytes("/api/v1/models/import?dry_run=false", file).await;
        assert_eq!((s, r["created"].as_i64()), (200, Some(2)), "{r}");
        let (_, list) = api.get("/api/v1/models?q=camera").await;
        let m = &list["items"][0];
        assert_eq!((m["state"].as_str(), m["state_since"].as_str(), m["origin_area_id"].clone(), m["funding_social"].as_i64()), (Some("hoat_dong"), Some("2024-03-15"), area["id"].clone(), Some(25_000_000)));
        let (_, d) = api.get(&format!("/api/v1/models/{}", m["id"])).await;
        assert_eq!(d["history"][0]["action"], "import");

        let (s, bytes) = api.get_bytes("/api/v1/models/export?format=xlsx&q=camera").await;
        assert_eq!(s, 200);
        let rows = read_xlsx(bytes);
        assert_eq!(rows.len(), 2, "header + one filtered row");
        let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(rows[1][col("Tên mô hình")], "Camera an ninh tổ dân phố 7");
        assert_eq!(rows[1][col("Khu dân cư hình thành")], "Tổ dân phố 7");
        assert_eq!(rows[1][col("Tên xã")], "Phường Bắc Nha Trang");
        assert_eq!(rows[1][col("Mã xã")], "22333");
        let (s, csv) = api.get_bytes("/api/v1/models/export?format=csv").await;
        assert_eq!(s, 200);
        let text = String::from_utf8(csv).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains("Câu lạc bộ pháp luật Nha Trang"));
    }
}
