//! The official movement report end to end: the figures of a fixture whose rows are counted
//! here (models, cameras, activities recorded through the API), beside the same period a year
//! earlier; the PDF read back with `pdftotext` (header parts and a table value), the XLSX read
//! back with its merged header ranges; scope; drafts edited, issued, frozen and re-downloaded
//! unchanged; refusals that change nothing; the audit.

use calamine::{Data, Reader};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::api_models::{model_body, type_id};
use crate::app_tests;
use crate::support::Api;

/// A working model registered on `on` in 22333.
async fn model(api: &Api, type_id: i64, name: &str, on: &str) {
    let mut b = model_body(type_id, "22333", name);
    b["registered_on"] = json!(on);
    let (s, m) = api.post("/api/v1/models", b).await;
    assert_eq!(s, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    for to in ["xay_dung", "da_ra_mat"] {
        let (s, b) = api.post(&format!("/api/v1/models/{id}/transitions"), json!({"to": to, "on_date": on})).await;
        assert_eq!(s, 200, "{b}");
    }
}

fn section<'a>(doc: &'a Value, code: &str) -> &'a Value {
    doc["sections"].as_array().unwrap().iter().find(|s| s["code"] == code).unwrap_or_else(|| panic!("{code}: {doc}"))
}

fn figures(doc: &Value, code: &str, line: &str) -> (i64, i64) {
    let l = section(doc, code)["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == line)
        .unwrap_or_else(|| panic!("{line}"));
    (l["current"].as_i64().unwrap(), l["previous"].as_i64().unwrap())
}

/// The text `pdftotext` extracts.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by .ci/run");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

app_tests! {
    official_report_figures_files_and_freezing(app) {
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let commune = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let elsewhere = app.api(&app.token("tinh2", "province_officer", "01").await);
        let admin = app.api(&app.token("admin", "admin", "56").await);

        // Counted rows: models registered 01/02 and 01/05/2025 (new in the half-year), 01/05/2024
        // (new a year earlier, still working) and 01/08/2025 (after the half-year).
        let camera_type = type_id(&commune, "camera_giam_sat").await;
        for (name, on) in [("MH 1", "2025-02-01"), ("MH 2", "2025-05-01"), ("MH 3", "2024-05-01"), ("MH 4", "2025-08-01")] {
            model(&commune, camera_type, name, on).await;
        }
        // Cameras: two installed in the half-year (1 triệu + 500 triệu), one in 2024.
        let cam = |name: &str, on: &str, cost: i64| json!({"commune_code": "22333", "name": name, "installed_on": on,
            "watches": "cho", "funding": "xa_hoi_hoa", "cost_vnd": cost});
        for body in [cam("Chợ", "2025-03-01", 1_000_000), cam("Bến xe", "2025-04-01", 500_000_000), cam("Trường", "2024-04-01", 2_000_000)] {
            assert_eq!(province.post("/api/v1/cameras", body).await.0, 201);
        }

        // The live report of the province, first half of 2025.
        let (s, doc) = province.get("/api/v1/reports/movement?unit=56&period=2025-6t").await;
        assert_eq!(s, 200, "{doc}");
        assert_eq!((doc["unit_code"].as_str(), doc["period"]["to"].as_str(), doc["previous"]["to"].as_str()), (Some("56"), Some("2025-06-30"), Some("2024-06-30")));
        assert_eq!(doc["parts"]["issuer"], "CÔNG AN TỈNH KHÁNH HÒA");
        assert_eq!(figures(&doc, "models", "new"), (2, 1));
        assert_eq!(figures(&doc, "models", "working"), (3, 1), "MH 4 is not registered yet at 30/06/2025");
        assert_eq!(figures(&doc, "cameras", "installed"), (2, 1));
        assert_eq!(figures(&doc, "cameras", "cost"), (501_000_000, 2_000_000));
        assert_eq!(figures(&doc, "cameras", "working"), (3, 1));
        let text = section(&doc, "cameras")["text"].as_str().unwrap();
        assert!(text.contains("toàn tỉnh lắp đặt mới 2 (cùng kỳ 1, tăng 100,0%) camera an ninh, kinh phí 501 triệu đồng"), "{text}");
        let text = section(&doc, "models")["text"].as_str().unwrap();
        assert!(text.contains("Đến ngày 30/06/2025, toàn tỉnh có 3 (cùng kỳ 1, tăng 200,0%)") && text.contains("xây dựng mới 2 mô hình"), "{text}");
        for code in ["models", "ratings", "antt", "classification", "exemplars", "force", "reports", "activities", "commendations", "cameras"] {
            section(&doc, code);
        }
        // The yearly report counts MH 4 too; the country's report needs a national user.
        let (_, year) = province.get("/api/v1/reports/movement?unit=56&period=2025").await;
        assert_eq!(figures(&year, "models", "new"), (3, 1));
        let (s, national) = admin.get("/api/v1/reports/movement?period=2025").await;
        assert_eq!((s, national["unit_name"].as_str()), (200, Some("Toàn quốc")));
        assert_eq!(figures(&national, "cameras", "installed"), (2, 1));

        // Scope: a commune officer gets the commune's report and is refused the province's.
        let (s, own) = commune.get("/api/v1/reports/movement?period=2025-6t").await;
        assert_eq!((s, own["unit_code"].as_str()), (200, Some("22333")));
        assert_eq!(own["parts"]["issuer_parent"], "CÔNG AN TỈNH KHÁNH HÒA");
        assert_eq!(commune.get("/api/v1/reports/movement?unit=56&period=2025-6t").await.0, 403);
        assert_eq!(elsewhere.get("/api/v1/reports/movement?unit=56&period=2025-6t").await.0, 403);
        assert_eq!(elsewhere.get("/api/v1/reports/movement?period=2025").await.1["unit_code"], "01");
        let (s, e) = province.get("/api/v1/reports/movement?unit=56&period=2025-7t").await;
        assert_eq!(s, 422);
        assert!(e["error"]["fields"]["period"].as_str().unwrap().contains("không hợp lệ"), "{e}");
        let (s, e) = province.get("/api/v1/reports/movement?unit=56&period=2025-6t&from=2024-12-15").await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(province.get("/api/v1/reports/movement?unit=56&format=docx").await.0, 422);
        // The province's own period: from 15/12/2024 the 2024 camera is still outside.
        let (_, own_period) = province.get("/api/v1/reports/movement?unit=56&period=2025-6t&from=2024-12-15&to=2025-06-14").await;
        assert_eq!(own_period["period"]["from"], "2024-12-15");
        assert_eq!(figures(&own_period, "cameras", "installed"), (2, 1));

        // The PDF: header parts and a table value, extractable.
        let (s, pdf) = province.get_bytes("/api/v1/reports/movement?unit=56&period=2025-6t&format=pdf").await;
        assert_eq!(s, 200);
        assert!(pdf.starts_with(b"%PDF"));
        let t = pdf_text(&pdf);
        for part in ["BỘ CÔNG AN", "CÔNG AN TỈNH KHÁNH HÒA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            "BÁO CÁO", "Sơ kết phong trào Toàn dân bảo vệ an ninh Tổ quốc 6 tháng đầu năm 2025", "Nơi nhận:", "GIÁM ĐỐC",
            "501 triệu đồng", "tăng 100,0%", "DỰ THẢO"] {
            assert!(t.contains(part), "{part} not in the PDF text:\n{t}");
        }

        // The XLSX: the decree's header, every section's two-row merged header, numbers as numbers.
        let (s, x) = province.get_bytes("/api/v1/reports/movement?unit=56&period=2025-6t&format=xlsx").await;
        assert_eq!(s, 200);
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(x)).unwrap();
        let merged = wb.merge_cells_by_sheet_name("Báo cáo").unwrap();
        let sheet = wb.worksheet_range("Báo cáo").unwrap();
        let at = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(at(0, 2), Data::String("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into()));
        assert!(merged.iter().any(|d| d.start == (0, 2) && d.end == (0, 4)), "the national title spans three columns");
        let tt: Vec<_> = merged.iter().filter(|d| at(d.start.0, 0) == Data::String("TT".into()) && d.start.1 == 0).collect();
        assert_eq!(tt.len(), doc["sections"].as_array().unwrap().len(), "one table per section");
        assert!(tt.iter().all(|d| d.end == (d.start.0 + 1, 0)), "TT spans the two header rows");
        let row = (0..sheet.height() as u32).find(|r| at(*r, 1) == Data::String("Camera an ninh lắp đặt mới trong kỳ".into())).unwrap();
        assert_eq!((at(row, 2), at(row, 3)), (Data::Float(2.0), Data::Float(1.0)));

        // A draft: the province edits its parts; a bad part is refused and changes nothing.
        let (s, r) = province.post("/api/v1/official-reports", json!({"unit": "56", "period": "2025-6t",
            "assessment": "Phong trào tiếp tục được duy trì.", "number": "125/BC-CAT-PV05"})).await;
        assert_eq!(s, 201, "{r}");
        let id = r["id"].as_i64().unwrap();
        assert_eq!((r["state"].as_str(), r["parts"]["signer_title"].as_str()), (Some("du_thao"), Some("GIÁM ĐỐC")));
        let (s, e) = province.patch(&format!("/api/v1/official-reports/{id}"), json!({"issuer": " ", "signer_name": "Trần Văn B"})).await;
        assert_eq!(s, 422);
        assert!(e["error"]["fields"]["issuer"].as_str().is_some(), "{e}");
        assert_eq!(province.get(&format!("/api/v1/official-reports/{id}")).await.1["parts"]["signer_name"], "");
        let (s, r) = province.patch(&format!("/api/v1/official-reports/{id}"), json!({"signer_authority": "KT. GIÁM ĐỐC",
            "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Nguyễn Văn An", "dated": "2025-07-05"})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(elsewhere.get(&format!("/api/v1/official-reports/{id}")).await.0, 403);
        assert_eq!(elsewhere.get("/api/v1/official-reports").await.1["total"], 0);
        assert_eq!(province.get("/api/v1/official-reports?state=du_thao").await.1["total"], 1);

        // Issued: frozen with its numbers and files.
        let (s, r) = province.post(&format!("/api/v1/official-reports/{id}/issue"), json!({})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!((r["state"].as_str(), r["parts"]["dated"].as_str()), (Some("da_ban_hanh"), Some("2025-07-05")));
        let sha = r["pdf_sha256"].as_str().unwrap().to_string();
        assert_eq!(province.post("/api/v1/cameras", cam("Chợ đêm", "2025-06-01", 3_000_000)).await.0, 201);
        let (_, live) = province.get("/api/v1/reports/movement?unit=56&period=2025-6t").await;
        assert_eq!(figures(&live, "cameras", "installed"), (3, 1), "the live report sees the new camera");
        let (_, frozen) = province.get(&format!("/api/v1/official-reports/{id}/document")).await;
        assert_eq!(figures(&frozen, "cameras", "installed"), (2, 1), "the issued report keeps its numbers");
        let (s, pdf) = province.get_bytes(&format!("/api/v1/official-reports/{id}/file?format=pdf")).await;
        assert_eq!(s, 200);
        assert_eq!(hex::encode(Sha256::digest(&pdf)), sha, "re-downloaded unchanged");
        assert_eq!(province.get_bytes(&format!("/api/v1/official-reports/{id}/file")).await.1, pdf);
        let t = pdf_text(&pdf);
        assert!(t.contains("Số: 125/BC-CAT-PV05") && t.contains("Khánh Hòa, ngày 05 tháng 7 năm 2025") && t.contains("Nguyễn Văn An"), "{t}");
        assert!(t.contains("Phong trào tiếp tục được duy trì.") && !t.contains("DỰ THẢO"), "{t}");
        let (s, x) = province.get_bytes(&format!("/api/v1/official-reports/{id}/file?format=xlsx")).await;
        assert_eq!((s, hex::encode(Sha256::digest(&x))), (200, r["xlsx_sha256"].as_str().unwrap().to_string()));
        for (status, what) in [
            (province.patch(&format!("/api/v1/official-reports/{id}"), json!({"tasks": "x"})).await.0, "edit"),
            (province.delete(&format!("/api/v1/official-reports/{id}")).await.0, "delete"),
            (province.post(&format!("/api/v1/official-reports/{id}/issue"), json!({})).await.0, "issue again"),
        ] {
            assert_eq!(status, 409, "{what}");
        }
        let (_, audit) = admin.get(&format!("/api/v1/audit?object_type=official_report&object_id={id}")).await;
        let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"issue") && actions.contains(&"create") && actions.contains(&"update"), "{audit}");

        // A second draft is deleted; the list exports whole.
        let (_, d) = province.post("/api/v1/official-reports", json!({"period": "2025"})).await;
        assert_eq!(d["unit_code"], "56", "the officer's own unit");
        assert_eq!(province.delete(&format!("/api/v1/official-reports/{}", d["id"])).await.0, 204);
        let (s, x) = province.get_bytes("/api/v1/official-reports/export?format=csv").await;
        let csv = String::from_utf8(x).unwrap();
        assert_eq!((s, csv.lines().count()), (200, 2), "{csv}");
        assert!(csv.contains("Đã ban hành") && csv.contains(&sha));
    }
}

app_tests! {
    official_report_pages_work_without_javascript(app) {
        app.user("tinh", "province_officer", "56").await;
        let b = app.browser();
        let csrf = b.login("tinh", crate::support::PASSWORD).await;
        let (s, page, _) = b.get("/official-reports?year=2025&kind=6t").await;
        assert!(s == 200 && page.contains("Tỉnh Khánh Hòa — 6 tháng đầu năm 2025") && page.contains("official-pdf"), "{page}");
        assert!(page.contains("format=pdf") && page.contains("Camera an ninh lắp đặt mới trong kỳ"), "{page}");
        let (s, page, _) = b.get("/official-reports?year=2025&kind=6t&from=2025-06-01").await;
        assert!(s == 422 && page.contains("ngày đầu và ngày cuối"), "{page}");
        // A draft from the page, its parts edited, a bad one refused and refilled, then issued.
        let (s, _, loc) = b.post("/official-reports", &[("_csrf", csrf.as_str()), ("province", "56"), ("year", "2025"), ("kind", "6t")]).await;
        assert_eq!(s, 303);
        let loc = loc.unwrap();
        let (s, page, _) = b.get(&loc).await;
        assert!(s == 200 && page.contains("official-form") && page.contains("CÔNG AN TỈNH KHÁNH HÒA"), "{page}");
        let form = |issuer: &'static str| {
            vec![("_csrf", csrf.clone()), ("issuer_parent", "BỘ CÔNG AN".to_string()), ("issuer", issuer.to_string()),
                ("number", "7/BC-CAT".into()), ("place_name", "Khánh Hòa".into()), ("dated", "".into()),
                ("subject", "Sơ kết 6 tháng đầu năm 2025".into()), ("assessment", "Đánh giá trình duyệt".into()),
                ("limitations", "".into()), ("tasks", "".into()), ("recipients", "- Lưu: VT.".into()),
                ("signer_authority", "".into()), ("signer_title", "GIÁM ĐỐC".into()), ("signer_name", "Lê Văn C".into())]
        };
        let pairs = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        let bad = pairs(&form(""));
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (s, page, _) = b.post(&loc, &bad).await;
        assert!(s == 422 && page.contains("Cơ quan ban hành") && page.contains("Đánh giá trình duyệt"), "refused and refilled: {page}");
        let good = pairs(&form("CÔNG AN TỈNH KHÁNH HÒA"));
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (s, _, _) = b.post(&loc, &good).await;
        assert_eq!(s, 303);
        let (s, _, _) = b.post(&format!("{loc}/issue"), &[("_csrf", csrf.as_str())]).await;
        assert_eq!(s, 303);
        let (_, page, _) = b.get(&loc).await;
        assert!(page.contains("Đã ban hành") && page.contains("SHA-256 PDF") && !page.contains("official-form") && page.contains("Đánh giá trình duyệt"), "{page}");
        let (s, page, _) = b.post(&format!("{loc}/delete"), &[("_csrf", csrf.as_str())]).await;
        assert!(s == 409 && page.contains("đã ban hành"), "{page}");
        let (_, page, _) = b.get("/official-reports").await;
        assert!(page.contains("7/BC-CAT") && page.contains("official-list"), "{page}");
    }
}

app_tests! {
    dashboard_charts_and_the_map(app) {
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let commune = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let admin = app.api(&app.token("admin", "admin", "56").await);
        let year = chrono::Datelike::year(&app.ctx.today());
        let on = format!("{year}-01-02");
        let cam = |c: &str, lat: Option<f64>| json!({"commune_code": c, "name": "Chợ", "installed_on": on, "watches": "cho",
            "funding": "xa_hoi_hoa", "cost_vnd": 1_000_000, "latitude": lat.map(|v| v.to_string()), "longitude": lat.map(|_| "109.19")});
        for body in [cam("22333", Some(12.24)), cam("22333", None), cam("22366", Some(12.3))] {
            let (s, b) = province.post("/api/v1/cameras", body).await;
            assert_eq!(s, 201, "{b}");
        }
        // The country: 34 provinces, every one listed (zero where nothing is recorded).
        let (s, m) = admin.get("/api/v1/map?kpi=cameras").await;
        assert_eq!(s, 200, "{m}");
        let places = m["places"].as_array().unwrap();
        assert_eq!(places.len(), 34);
        let kh = places.iter().find(|p| p["code"] == "56").unwrap();
        assert_eq!((kh["value"].as_i64(), kh["name"].as_str()), (Some(3), Some("Tỉnh Khánh Hòa")));
        assert_eq!(places.iter().map(|p| p["value"].as_i64().unwrap()).sum::<i64>(), 3);
        // A province: its communes at their centroids, its cameras with coordinates.
        let (_, m) = province.get("/api/v1/map?kpi=cameras").await;
        assert_eq!(m["province"], "56", "a province officer's map is the province");
        let communes = m["places"].as_array().unwrap();
        assert!(communes.len() > 50 && communes.iter().all(|p| p["lat"].is_number()), "every commune has a centroid");
        assert_eq!(communes.iter().find(|p| p["code"] == "22333").unwrap()["value"], 2);
        assert_eq!((m["cameras"].as_array().unwrap().len(), m["cameras_total"].as_i64()), (2, Some(2)), "the camera without coordinates is not a point");
        let (_, m) = commune.get("/api/v1/map?kpi=cameras").await;
        let own: Vec<&str> = m["places"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
        assert_eq!(own, vec!["22333"], "a commune officer sees their own commune only");
        assert_eq!(m["cameras"].as_array().unwrap().len(), 1);
        assert_eq!(commune.get("/api/v1/map?province=01").await.0, 403);
        let (s, e) = admin.get("/api/v1/map?kpi=khong_co").await;
        assert!(s == 422 && e["error"]["fields"]["kpi"].as_str().unwrap().contains("force_coverage"), "{e}");

        // The dashboard's charts, each with its labels and series.
        let (s, d) = province.get("/api/v1/dashboard").await;
        let charts = &d["charts"];
        assert_eq!(s, 200, "{charts}");
        let ids: Vec<&str> = charts.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec!["models_by_type", "ratings_by_year", "reports_by_month", "force_coverage"]);
        let months = &charts[2];
        assert_eq!((months["labels"].as_array().unwrap().len(), months["series"].as_array().unwrap().len()), (12, 2));
        let (s, _, loc) = app.browser().get("/map").await;
        assert!(s == 303 && loc.unwrap_or_default().contains("/login"), "the map needs a login");
        let b = app.browser();
        app.user("tinh2", "province_officer", "56").await;
        b.login("tinh2", crate::support::PASSWORD).await;
        let (s, page, _) = b.get("/map?kpi=cameras").await;
        assert!(s == 200 && page.contains("id=\"map-table\"") && page.contains("data-geo=\"/assets/geo/vn-34.geojson\""), "{page}");
        let (s, page, _) = b.get("/").await;
        assert!(s == 200 && page.contains("chart-models_by_type") && page.contains("chart-data"), "{page}");
        let (s, geo) = province.get("/assets/geo/vn-34.geojson").await;
        let f = geo["features"].as_array().unwrap();
        assert_eq!(s, 200);
        assert_eq!(f.iter().filter(|f| f["geometry"]["type"] == "MultiPolygon").count(), 34);
        let labels: Vec<&str> = f.iter().filter_map(|f| f["properties"]["label"].as_str()).collect();
        assert_eq!(labels, vec!["Quần đảo Hoàng Sa", "Quần đảo Trường Sa"]);
    }
}

app_tests! {
    pivot_tables_with_drill_down_and_xlsx(app) {
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let commune = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let camera_type = type_id(&commune, "camera_giam_sat").await;
        let (_, types) = commune.get("/api/v1/model-types").await;
        let other = types["items"].as_array().unwrap().iter().find(|t| t["id"] != camera_type).unwrap()["id"].as_i64().unwrap();
        // Counted rows: 22333 has two camera models (2024, 2025) and one of the other type
        // (2025); 22366 has one camera model (2025).
        for (ty, name, on) in [(camera_type, "A", "2024-03-01"), (camera_type, "B", "2025-03-01"), (other, "C", "2025-04-01")] {
            model(&commune, ty, name, on).await;
        }
        let mut b = model_body(camera_type, "22366", "D");
        b["registered_on"] = json!("2025-05-01");
        let (_, m) = province.post("/api/v1/models", b).await;
        for to in ["xay_dung", "da_ra_mat"] {
            province.post(&format!("/api/v1/models/{}/transitions", m["id"]), json!({"to": to, "on_date": "2025-05-01"})).await;
        }

        let (s, p) = province.get("/api/v1/pivot?source=models&rows=commune&cols=type").await;
        assert_eq!(s, 200, "{p}");
        let t = &p["table"];
        let col = |id: i64| t["columns"].as_array().unwrap().iter().position(|c| c["code"].as_str() == Some(id.to_string().as_str())).unwrap();
        let row = |code: &str| t["rows"].as_array().unwrap().iter().position(|r| r["code"] == code).unwrap();
        let (r33, r66, cam, oth) = (row("22333"), row("22366"), col(camera_type), col(other));
        assert_eq!(t["rows"][r33]["values"][cam], 2);
        assert_eq!(t["rows"][r33]["values"][oth], 1);
        assert_eq!(t["rows"][r66]["values"][cam], 1);
        assert_eq!((p["row_totals"][r33].as_i64(), t["totals"][cam].as_i64()), (Some(3), Some(3)));
        // The drill-down: the list behind the cell holds exactly its rows.
        let href = p["links"][r33][cam].as_str().unwrap().to_string();
        assert!(href.starts_with("/models?") && href.contains(&format!("type_id={camera_type}")) && href.contains("commune=22333"), "{href}");
        let (_, list) = province.get(&format!("/api/v1/models?{}", href.trim_start_matches("/models?"))).await;
        assert_eq!(list["total"], 2, "{href}");
        // By year within 2025: the 2024 model is left out, and no link (the list has no year filter).
        let (_, p) = province.get("/api/v1/pivot?source=models&rows=year&from_year=2025&to_year=2025").await;
        let years: Vec<(&str, i64)> = p["table"]["rows"].as_array().unwrap().iter().map(|r| (r["code"].as_str().unwrap(), r["values"][0].as_i64().unwrap())).collect();
        assert_eq!(years, vec![("2025", 3)]);
        assert!(p["links"][0][0].is_null());
        // Refusals: an unknown dimension, the same dimension twice, another province.
        let (s, e) = province.get("/api/v1/pivot?source=models&rows=channel").await;
        assert!(s == 422 && e["error"]["fields"]["rows"].as_str().unwrap().contains("type"), "{e}");
        assert_eq!(province.get("/api/v1/pivot?rows=commune&cols=commune").await.0, 422);
        assert_eq!(province.get("/api/v1/pivot?province=01").await.0, 403);
        assert_eq!(province.get("/api/v1/pivot?source=ratings&rows=month").await.0, 422, "ratings have a year, not a day");
        for source in ["ratings", "antt", "force_teams", "force_members", "reports", "activities", "commendations", "cameras"] {
            let (s, p) = province.get(&format!("/api/v1/pivot?source={source}&rows=commune&cols=year&from_year=2020")).await;
            assert_eq!(s, 200, "{source}: {p}");
        }
        // The XLSX: the column dimension merged over its keys, the rows' header over two rows.
        let (s, x) = province.get_bytes("/api/v1/pivot/export?source=models&rows=commune&cols=type").await;
        assert_eq!(s, 200);
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(x)).unwrap();
        let merged = wb.merge_cells_by_sheet_name("Bảng tổng hợp").unwrap();
        let sheet = wb.worksheet_range("Bảng tổng hợp").unwrap();
        assert!(merged.iter().any(|d| d.start == (1, 0) && d.end == (2, 0)), "{merged:?}");
        assert!(merged.iter().any(|d| d.start == (1, 1) && d.end == (1, 2)), "the type header spans the two types: {merged:?}");
        assert_eq!(sheet.get_value((1, 1)), Some(&Data::String("Loại mô hình".into())));
        // The page, without JavaScript.
        app.user("tinh3", "province_officer", "56").await;
        let b = app.browser();
        b.login("tinh3", crate::support::PASSWORD).await;
        let (s, page, _) = b.get("/pivot?source=models&rows=commune&cols=type").await;
        assert!(s == 200 && page.contains("pivot-table") && page.contains(&format!("type_id={camera_type}")) && page.contains("colspan=\"2\""), "{page}");
        let (s, page, _) = b.get("/pivot?source=models&rows=nonsense").await;
        assert!(s == 422 && page.contains("không có chiều"), "{page}");
    }
}
