//! The history of the administrative map for users: former units found by their names of the
//! time, what each became, what a current unit came from, the succession table exported
//! whole, and the pages that show it.

use crate::app_tests;

app_tests! {
    former_units_their_successors_and_the_pages(app) {
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        let (s, g) = api.get("/api/v1/unit-generations").await;
        assert_eq!(s, 200, "{g}");
        let ids: Vec<&str> = g["generations"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["truoc_2025", "2025"]);
        assert_eq!(g["generations"][0]["valid_to"], "2025-06-30");

        // A former commune by its name without diacritics: where it was, what it became.
        let (s, found) = api.get("/api/v1/former-units?q=vinh%20luong&level=commune&province=56").await;
        assert_eq!(s, 200, "{found}");
        let hit = found["items"].as_array().unwrap().iter().find(|h| h["unit"]["code"] == "22384").expect("Vĩnh Lương");
        assert_eq!(hit["name"], "Xã Vĩnh Lương");
        assert_eq!(hit["place"], "thành phố Nha Trang, tỉnh Khánh Hòa");
        assert_eq!(hit["now"][0]["succession"]["to_code"], "22333");
        assert_eq!(hit["now"][0]["name"], "Phường Bắc Nha Trang");
        assert_eq!(hit["now"][0]["succession"]["relation"], "nhap_toan_bo");
        assert_eq!(hit["now"][0]["succession"]["legal_basis"], "1667/NQ-UBTVQH15");

        // The unit search of the API lists former names beside current ones.
        let (s, u) = api.get("/api/v1/units?q=vinh%20luong").await;
        assert_eq!(s, 200, "{u}");
        let f = u["former"].as_array().unwrap().iter().find(|h| h["unit"]["code"] == "22384").expect("former hit");
        assert_eq!(f["now"][0]["succession"]["to_code"], "22333");
        assert!(u["former_total"].as_i64().unwrap() >= 1 && u["former_next"] == "/api/v1/former-units?q=vinh+luong", "{u}");
        let (_, none) = api.get("/api/v1/units?level=province").await;
        assert!(none["former"].as_array().unwrap().is_empty() && none["former_next"].is_null(), "{none}");

        // A former district: no successor of its own; its communes listed under it.
        let (s, d) = api.get("/api/v1/former-units/truoc_2025/district/568").await;
        assert_eq!(s, 200, "{d}");
        assert_eq!((d["name"].as_str(), d["became"].as_array().map(Vec::len)), (Some("Thành phố Nha Trang"), Some(0)));
        let (_, communes) = api.get("/api/v1/former-units?district=568&per_page=200").await;
        assert!(communes["total"].as_i64().unwrap() >= 20, "{communes}");

        // A split ward names every successor, the default first, shares summing to 100%.
        let (_, split) = api.get("/api/v1/former-units/truoc_2025/commune/00007").await;
        let became = split["became"].as_array().unwrap();
        assert!(became.len() >= 2 && became[0]["succession"]["is_default"] == true, "{split}");
        assert_eq!(became.iter().map(|s| s["succession"]["weight_milli"].as_i64().unwrap()).sum::<i64>(), 1000);
        assert_eq!(became[0]["place"], "Thành phố Hà Nội");

        // What a current ward came from.
        let (_, lineage) = api.get("/api/v1/units/22333/lineage").await;
        let from = lineage["came_from"].as_array().unwrap();
        let vl = from.iter().find(|s| s["succession"]["from_code"] == "22384").expect("Vĩnh Lương in the lineage");
        assert_eq!((vl["name"].as_str(), vl["place"].as_str()), (Some("Xã Vĩnh Lương"), Some("thành phố Nha Trang, tỉnh Khánh Hòa")));
        assert_eq!(vl["href"], "/units/former/truoc_2025/commune/22384");
        // A province's lineage: Khánh Hòa took in Ninh Thuận.
        let (_, p) = api.get("/api/v1/units/56/lineage").await;
        let names: Vec<&str> = p["came_from"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Tỉnh Khánh Hòa", "Tỉnh Ninh Thuận"]);

        // Unknown things are 404 / 422 with a Vietnamese message.
        let (s, _) = api.get("/api/v1/former-units/truoc_2025/commune/99999").await;
        assert_eq!(s, 404);
        let (s, _) = api.get("/api/v1/former-units/khong_co/commune/22384").await;
        assert_eq!(s, 404);
        let (s, e) = api.get("/api/v1/former-units?level=tinh").await;
        assert_eq!(s, 422, "{e}");
        assert!(e["error"]["fields"]["level"].as_str().unwrap().contains("Cấp"), "{e}");

        // The whole succession, exported.
        let (s, csv) = api.get_bytes("/api/v1/unit-successions/export?format=csv").await;
        assert_eq!(s, 200);
        let text = String::from_utf8(csv).unwrap();
        let rows = text.lines().count() - 1;
        assert_eq!(rows, antq_store::seed::SUCCESSION_2025_CSV.lines().count() - 1);
        assert!(text.lines().any(|l| l.contains("22384") && l.contains("Xã Vĩnh Lương") && l.contains("Phường Bắc Nha Trang")), "no Vĩnh Lương row");

        // The pages: a search finds the former name and says what it is now; the former unit's
        // page and the current unit's lineage link to each other.
        let b = app.browser();
        app.user("xem", "province_officer", "56").await;
        b.login("xem", "mat-khau-du-dai-123").await;
        let (s, page, _) = b.get("/units?q=vinh%20luong").await;
        assert_eq!(s, 200);
        assert!(page.contains("/units/former/truoc_2025/commune/22384") && page.contains("Phường Bắc Nha Trang"), "search page");
        let (s, page, _) = b.get("/units/former/truoc_2025/commune/22384").await;
        assert_eq!(s, 200);
        assert!(page.contains("thành phố Nha Trang, tỉnh Khánh Hòa") && page.contains("href=\"/units/22333\""), "former page");
        let (s, page, _) = b.get("/units/22333").await;
        assert_eq!(s, 200);
        assert!(page.contains("id=\"came-from\"") && page.contains("/units/former/truoc_2025/commune/22384"), "unit page");
        let (s, page, _) = b.get("/units/former/truoc_2025/district/568").await;
        assert_eq!(s, 200);
        assert!(page.contains("/units/former/truoc_2025/commune/22384"), "district page lists its communes");
        let (s, _, _) = b.get("/units/former/truoc_2025/tinh/56").await;
        assert_eq!(s, 404);
    }
}

/// Former communes of Khánh Hòa and Ninh Thuận (now one province, 56): code, name, district
/// code and successors, from the committed data.
fn former_communes() -> Vec<(String, String, String, Vec<String>)> {
    let mut communes = Vec::new();
    for l in antq_store::seed::FORMER_UNITS_CSV.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        if f[0] == "commune" && (f[4] == "56" || f[4] == "58") {
            communes.push((f[1].to_string(), f[3].to_string(), f[5].to_string()));
        }
    }
    let mut next: std::collections::HashMap<String, Vec<String>> = Default::default();
    for l in antq_store::seed::SUCCESSION_2025_CSV.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        if f[0] == "commune" {
            next.entry(f[1].to_string()).or_default().push(f[3].to_string());
        }
    }
    communes
        .into_iter()
        .map(|(code, name, d)| {
            let succ = next.remove(&code).unwrap_or_default();
            (code, name, d, succ)
        })
        .collect()
}

const HEADER: &str = "Mã xã,Xã cũ (trước 01/7/2025),Huyện cũ,Tên mô hình,Loại mô hình,Cấp,Nơi hình thành,Tổ chức chủ trì,Phạm vi,Trạng thái,Ngày đăng ký";

fn model_row(commune: &str, former: &str, district: &str, name: &str) -> String {
    format!(
        "{commune},{former},{district},{name},Camera giám sát ANTT,Cấp xã,\"Xã, phường, đặc khu\",Công an,Toàn diện,Đang hoạt động,15/03/2019"
    )
}

/// `(row key → total)` and the grand total of a pivot of models.
async fn pivot(api: &crate::support::Api, q: &str) -> (std::collections::BTreeMap<String, i64>, i64) {
    let (s, p) = api.get(&format!("/api/v1/pivot?source=models&{q}")).await;
    assert_eq!(s, 200, "{q}: {p}");
    let rows = p["table"]["rows"].as_array().unwrap();
    let by: std::collections::BTreeMap<String, i64> = rows
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["values"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).sum(),
            )
        })
        .collect();
    let total = by.values().sum();
    (by, total)
}

app_tests! {
    models_imported_by_former_names_are_restated_and_counted_both_ways(app) {
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        // A former commune by name, its district written the short way; no new code needed.
        let csv = format!("{HEADER}\n{}\n", model_row("", "xa vinh luong", "TP Nha Trang", "Camera Vĩnh Lương"));
        let (s, r) = api.post_bytes("/api/v1/models/import?dry_run=false&format=csv", csv.into_bytes()).await;
        assert_eq!((s, r["created"].as_i64()), (200, Some(1)), "{r}");
        let (_, list) = api.get("/api/v1/models?former_district=568").await;
        let m = &list["items"][0];
        assert_eq!((list["total"].as_i64(), m["commune_code"].as_str()), (Some(1), Some("22333")), "{list}");
        assert_eq!(m["former"], serde_json::json!({"province_code": "56", "district_code": "568", "commune_code": "22384"}));
        let (_, now) = api.get("/api/v1/models?commune=22333").await;
        assert_eq!(now["total"], 1, "the same model under today's commune");

        // A split ward without its new commune is refused, naming the successors; nothing is written.
        let csv = format!("{HEADER}\n{}\n{}\n", model_row("", "Cam Tân", "H. Cam Lâm", "Camera Cam Tân"), model_row("", "Vĩnh Lương", "Nha Trang", "Camera thứ hai"));
        let (s, r) = api.post_bytes("/api/v1/models/import?dry_run=false&format=csv", csv.into_bytes()).await;
        assert_eq!((s, r["created"].as_i64()), (200, Some(0)), "{r}");
        let e = &r["errors"][0];
        assert_eq!((e["row"].as_i64(), e["column"].as_str()), (Some(2), Some("Xã cũ (trước 01/7/2025)")), "{r}");
        assert!(e["message"].as_str().unwrap().contains("chia cho nhiều xã") && e["message"].as_str().unwrap().contains("22453"), "{e}");
        assert_eq!(api.get("/api/v1/models").await.1["total"], 1);
        // With a successor it is taken; with a commune that did not succeed it, refused.
        let csv = format!("{HEADER}\n{}\n", model_row("22333", "Cam Tân", "H. Cam Lâm", "Camera Cam Tân"));
        let (_, r) = api.post_bytes("/api/v1/models/import?dry_run=false&format=csv", csv.into_bytes()).await;
        assert!(r["errors"][0]["message"].as_str().unwrap().contains("không kế thừa"), "{r}");
        let csv = format!("{HEADER}\n{}\n", model_row("22453", "Cam Tân", "H. Cam Lâm", "Camera Cam Tân"));
        let (_, r) = api.post_bytes("/api/v1/models/import?dry_run=false&format=csv", csv.into_bytes()).await;
        assert_eq!(r["created"], 1, "{r}");
        // A former commune of another province is outside the officer's scope.
        let csv = format!("{HEADER}\n{}\n", model_row("", "Phúc Xá", "Ba Đình", "Camera Phúc Xá"));
        let (_, r) = api.post_bytes("/api/v1/models/import?dry_run=false&format=csv", csv.into_bytes()).await;
        assert!(r["errors"][0]["message"].as_str().unwrap().contains("ngoài địa bàn"), "{r}");

        // The model's page names its former place and links to it; the former unit lists it.
        let b = app.browser();
        app.user("xem", "province_officer", "56").await;
        b.login("xem", "mat-khau-du-dai-123").await;
        let (_, page, _) = b.get(&format!("/models/{}", m["id"])).await;
        assert!(page.contains("id=\"former-place\"") && page.contains("Xã Vĩnh Lương, thành phố Nha Trang, tỉnh Khánh Hòa"), "model page");
        let (_, page, _) = b.get("/models?former_district=568").await;
        assert!(page.contains("id=\"former-filter\"") && page.contains("Camera Vĩnh Lương"), "list by former district");
        let (s, page, _) = b.get("/pivot?source=models&as_of=2024-06-30").await;
        assert!(s == 200 && page.contains("Thành phố Nha Trang") && page.contains("Huyện Cam Lâm"), "pivot by former district");
        let (s, page, _) = b.get("/pivot?source=models&as_of=2024-06-30&rows=province").await;
        assert!(s == 200 && page.contains("Tỉnh Khánh Hòa"), "province as of 2024 is the former province");
        let (s, e) = api.get("/api/v1/pivot?source=models&as_of=30/06/2024").await;
        assert_eq!(s, 422, "{e}");
    }

    totals_restated_in_the_new_map_equal_the_totals_in_the_old(app) {
        // Property: for random sets of models recorded in former communes (by code or name,
        // split wards with a successor chosen at random) and in current ones, every view
        // counts each model once, and each former commune's models sit only in its successors.
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        let communes = former_communes();
        assert!(communes.len() > 150, "{}", communes.len());
        let mut seed: u64 = 0x5eed_2025;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        let mut expected: std::collections::BTreeMap<String, i64> = Default::default();
        let mut current_only = 0;
        let mut total = 0;
        for round in 0..3 {
            let mut csv = format!("{HEADER}\n");
            for i in 0..(20 + next(30)) {
                let name = format!("Mô hình {round}-{i}");
                if next(5) == 0 {
                    csv.push_str(&model_row("22333", "", "", &name));
                    current_only += 1;
                } else {
                    let (code, former, district, succ) = &communes[next(communes.len())];
                    let chosen = if succ.len() > 1 { succ[next(succ.len())].clone() } else { String::new() };
                    // By name where the name is one of a kind in its district, else by code.
                    let unique = communes.iter().filter(|o| o.1 == *former && o.2 == *district).count() == 1;
                    let (c, d) = if next(2) == 0 || !unique { (code.clone(), String::new()) } else { (antq_domain::text::fold(former), district.clone()) };
                    csv.push_str(&model_row(&chosen, &c, &d, &name));
                    *expected.entry(code.clone()).or_default() += 1;
                }
                csv.push('\n');
                total += 1;
            }
            let (s, r) = api.post_bytes("/api/v1/models/import?dry_run=false&format=csv", csv.into_bytes()).await;
            assert_eq!(s, 200, "{r}");
            let refused = r["errors"].as_array().unwrap();
            assert!(refused.is_empty(), "round {round}: {r}");
            for view in ["rows=legacy_province", "rows=legacy_district", "rows=legacy_commune", "rows=commune", "as_of=2024-12-31"] {
                let (_, t) = pivot(&api, view).await;
                assert_eq!(t, total, "round {round}: {view}");
            }
            let (by_old, _) = pivot(&api, "rows=legacy_commune").await;
            assert_eq!(by_old.get("").copied().unwrap_or(0), current_only);
            let old: std::collections::BTreeMap<String, i64> = by_old.into_iter().filter(|(k, _)| !k.is_empty()).collect();
            assert_eq!(old, expected, "round {round}");
            // Each former commune's models are in its successors only.
            let (s, cross) = api.get("/api/v1/pivot?source=models&rows=legacy_commune&cols=commune").await;
            assert_eq!(s, 200);
            let cols: Vec<String> = cross["table"]["columns"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap().to_string()).collect();
            for r in cross["table"]["rows"].as_array().unwrap() {
                let from = r["code"].as_str().unwrap();
                let Some((_, _, _, succ)) = communes.iter().find(|c| c.0 == from) else { continue };
                for (v, to) in r["values"].as_array().unwrap().iter().zip(&cols) {
                    assert!(v.as_i64() == Some(0) || succ.contains(to), "{from} counted in {to}, not a successor");
                }
            }
        }
    }
}

app_tests! {
    every_register_and_the_model_form_take_a_former_place(app) {
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        // Cameras by a former commune's name, no new code: restated, former place kept,
        // counted by former district and exported with it.
        let cams = "Xã cũ (trước 01/7/2025);Huyện cũ;Tên, số hiệu điểm camera;Vĩ độ;Kinh độ;Ngày lắp đặt;Vị trí giám sát;Nguồn kinh phí;Kinh phí (đồng)\n\
            Vĩnh Lương;TP Nha Trang;Chợ Vĩnh Lương;12,33;109,19;01/03/2024;Chợ, trung tâm thương mại;Xã hội hóa;15.000.000\n\
            Cam Tân;H. Cam Lâm;Ngã ba Cam Tân;;;01/03/2024;Đường giao thông, nút giao;Xã hội hóa;5.000.000\n";
        let (s, r) = api.post_bytes("/api/v1/cameras/import?dry_run=false&format=csv", cams.as_bytes().to_vec()).await;
        assert_eq!((s, r["rows"].as_i64(), r["created"].as_i64()), (200, Some(2), Some(0)), "{r}");
        let e = &r["errors"].as_array().unwrap();
        assert!(e.len() == 1 && e[0]["row"] == 3 && e[0]["message"].as_str().unwrap().contains("chia cho nhiều xã"), "{r}");
        let one = cams.lines().take(2).collect::<Vec<_>>().join("\n");
        let (_, r) = api.post_bytes("/api/v1/cameras/import?dry_run=false&format=csv", one.into_bytes()).await;
        assert_eq!(r["created"], 1, "{r}");
        let (_, list) = api.get("/api/v1/cameras").await;
        assert_eq!(list["items"][0]["commune_code"], "22333", "{list}");
        let camera = list["items"][0]["id"].as_i64().unwrap();
        let (_, c) = api.get(&format!("/api/v1/cameras/{camera}")).await;
        assert_eq!(c["former"]["name"], "Xã Vĩnh Lương, thành phố Nha Trang, tỉnh Khánh Hòa", "{c}");
        assert_eq!(c["former"]["href"], "/units/former/truoc_2025/commune/22384");
        let (_, p) = api.get("/api/v1/pivot?source=cameras&rows=legacy_district").await;
        let rows = p["table"]["rows"].as_array().unwrap();
        assert!(rows.iter().any(|r| r["code"] == "568" && r["values"][0] == 1), "{p}");
        let (_, bytes) = api.get_bytes("/api/v1/cameras/export?format=csv").await;
        let text = String::from_utf8(bytes).unwrap();
        let header = text.lines().next().unwrap();
        assert!(header.ends_with("Xã cũ (trước 01/7/2025),Huyện cũ,Tỉnh cũ"), "{header}");
        assert!(text.lines().nth(1).unwrap().ends_with("22384,568,56"), "{text}");

        // Activities the same way; a former district without the commune is refused.
        let acts = "Xã cũ (trước 01/7/2025);Huyện cũ;Loại hoạt động;Chủ đề;Ngày tổ chức;Số người tham dự\n\
            22384;;tuyen_truyen;Họp dân Vĩnh Lương;10/01/2024;45\n\
            ;TP Nha Trang;tuyen_truyen;Họp dân;11/01/2024;30\n";
        let (_, r) = api.post_bytes("/api/v1/activities/import?dry_run=false&format=csv", acts.as_bytes().to_vec()).await;
        assert_eq!((r["rows"].as_i64(), r["created"].as_i64()), (Some(2), Some(0)), "{r}");
        assert_eq!(r["errors"][0]["column"], "Huyện cũ", "{r}");
        let one = acts.lines().take(2).collect::<Vec<_>>().join("\n");
        let (_, r) = api.post_bytes("/api/v1/activities/import?dry_run=false&format=csv", one.into_bytes()).await;
        assert_eq!(r["created"], 1, "{r}");
        let (_, acts) = api.get("/api/v1/activities").await;
        let activity = acts["items"][0]["id"].as_i64().unwrap();
        let (_, a) = api.get(&format!("/api/v1/activities/{activity}")).await;
        assert_eq!(a["former"]["place"]["commune_code"], "22384", "{a}");
        let (_, p) = api.get("/api/v1/pivot?source=activities&as_of=2024-12-31&from_year=2024&to_year=2024").await;
        assert!(p["table"]["rows"].as_array().unwrap().iter().any(|r| r["code"] == "568"), "{p}");

        // A commendation decided in 2024 in a former commune.
        let awards = "Xã cũ (trước 01/7/2025);Huyện cũ;Hình thức khen thưởng;Thành tích, lý do;Đối tượng;Tên tập thể, cá nhân;Số quyết định;Ngày quyết định\n\
            Vĩnh Lương;Nha Trang;giay_khen_giam_doc_ca_tinh;Phát hiện tội phạm;cong_dan;Trần Thị B;15/QĐ-CAT;10/05/2024\n";
        let (_, r) = api.post_bytes("/api/v1/commendations/import?dry_run=false&format=csv", awards.as_bytes().to_vec()).await;
        assert_eq!(r["created"], 1, "{r}");
        let (_, list) = api.get("/api/v1/commendations").await;
        let award = list["items"][0]["id"].as_i64().unwrap();
        let (_, k) = api.get(&format!("/api/v1/commendations/{award}")).await;
        assert_eq!((k["commune_code"].as_str(), k["former"]["place"]["district_code"].as_str()), (Some("22333"), Some("568")), "{k}");

        // The model API and form: a former commune restated, a non-successor refused.
        let t = crate::api_models::type_id(&api, "camera_giam_sat").await;
        let mut body = crate::api_models::model_body(t, "", "Camera Vĩnh Lương 2019");
        body["former_commune"] = "xa vinh luong".into();
        body["former_district"] = "Nha Trang".into();
        let (s, m) = api.post("/api/v1/models", body.clone()).await;
        assert_eq!((s, m["commune_code"].as_str()), (201, Some("22333")), "{m}");
        assert_eq!(m["former"]["commune_code"], "22384");
        body["commune_code"] = "22453".into();
        body["name"] = "Camera khác".into();
        let (s, e) = api.post("/api/v1/models", body).await;
        assert_eq!(s, 422, "{e}");
        assert!(e["error"]["fields"]["former_commune"].as_str().unwrap().contains("không kế thừa"), "{e}");
        let b = app.browser();
        app.user("xem", "province_officer", "56").await;
        b.login("xem", "mat-khau-du-dai-123").await;
        for page in [format!("/cameras/{camera}"), format!("/activities/{activity}"), format!("/commendations/{award}")] {
            let (s, html, _) = b.get(&page).await;
            assert!(s == 200 && html.contains("id=\"former-place\"") && html.contains("Xã Vĩnh Lương"), "{page}");
        }
        let (s, page, _) = b.get(&format!("/models/{}/edit", m["id"])).await;
        assert!(s == 200 && page.contains("name=\"former_commune\" value=\"22384\""), "edit form keeps the former place");
    }
}

app_tests! {
    ratings_of_a_year_before_the_change_by_district_as_they_were_and_restated_agree(app) {
        antq_app::demo::generate(&app.ctx, antq_app::demo::Scope::Province("56".into()), 3, None).await.unwrap();
        let api = app.api(&app.token("tinh", "province_officer", "56").await);
        let (_, now) = api.get("/api/v1/stats/ratings?year=2022").await;
        assert_eq!(now["by"], "commune", "{now}");
        let restated = now["total"]["total"].as_i64().unwrap();
        assert!(restated > 0, "{now}");
        // By former district, named or as of a day of the old map: the same total, split by
        // the districts of the two former provinces merged into Khánh Hòa.
        for q in ["by=legacy_district", "as_of=2022-12-31"] {
            let (s, old) = api.get(&format!("/api/v1/stats/ratings?year=2022&{q}")).await;
            assert_eq!((s, old["by"].as_str()), (200, Some("legacy_district")), "{q}: {old}");
            assert_eq!(old["total"]["total"].as_i64(), Some(restated), "{q}");
            assert_eq!(old["total"]["previous_total"], now["total"]["previous_total"], "{q}");
            let keys: Vec<&str> = old["rows"].as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
            // "": the province's own models, which have no former commune.
            assert!(keys.len() > 3 && keys.iter().all(|k| k.len() == 3 || k.is_empty()), "{keys:?}");
        }
        let (_, provinces) = api.get("/api/v1/stats/ratings?year=2022&by=legacy_province").await;
        let keys: Vec<&str> = provinces["rows"].as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).filter(|k| !k.is_empty()).collect();
        assert_eq!(keys, ["56", "58"], "{provinces}");
        assert_eq!(provinces["total"]["total"].as_i64(), Some(restated));
        // As of a day of the current map, a place is today's commune.
        let (_, today) = api.get("/api/v1/stats/ratings?year=2022&as_of=2025-07-01").await;
        assert_eq!(today["by"], "commune");
        let (s, e) = api.get("/api/v1/stats/ratings?year=2022&as_of=31/12/2022").await;
        assert_eq!(s, 422, "{e}");
        assert!(e["error"]["fields"]["as_of"].as_str().unwrap().contains("YYYY-MM-DD"), "{e}");
        let (s, bytes) = api.get_bytes("/api/v1/stats/ratings/export?year=2022&by=legacy_district&format=csv").await;
        let text = String::from_utf8(bytes).unwrap();
        assert!(s == 200 && text.contains("Thành phố Nha Trang"), "{text}");
        // Every module by former place: the movement table and each module's own statistics
        // agree with today's totals.
        let total_of = |t: &serde_json::Value, code: &str| {
            let i = t["columns"].as_array().unwrap().iter().position(|c| c["code"] == code).unwrap_or_else(|| panic!("{code} in {t}"));
            t["totals"][i].as_i64().unwrap()
        };
        let (s, movement) = api.get("/api/v1/stats/former?year=2022").await;
        assert_eq!(s, 200, "{movement}");
        assert_eq!(total_of(&movement, "ratings"), restated, "{movement}");
        assert!(movement["row_header"].as_str().unwrap().starts_with("Huyện"), "{movement}");
        let (_, by_province) = api.get("/api/v1/stats/former?year=2022&by=legacy_province").await;
        let keys: Vec<&str> = by_province["rows"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
        assert_eq!(keys, ["56", "58", ""], "{by_province}");
        assert_eq!(by_province["totals"], movement["totals"]);
        let (s, e) = api.get("/api/v1/stats/former?by=legacy_ward").await;
        assert_eq!(s, 422, "{e}");
        for (module, column, today) in [
            ("activities", "sessions", "/api/v1/stats/activities?year=2022"),
            ("commendations", "total", "/api/v1/stats/commendations?year=2022&by=place"),
        ] {
            let (_, now) = api.get(today).await;
            let (s, old) = api.get(&format!("/api/v1/stats/{module}?year=2022&by=legacy_district")).await;
            assert_eq!(s, 200, "{module}: {old}");
            assert_eq!(total_of(&old, column), total_of(&now, column), "{module}");
            let (_, as_of) = api.get(&format!("{today}&as_of=2022-12-31")).await;
            assert_eq!(as_of["row_header"], old["row_header"], "{module} as of a former day");
        }
        let (s, bytes) = api.get_bytes("/api/v1/stats/former/export?year=2022&format=csv").await;
        assert!(s == 200 && String::from_utf8(bytes).unwrap().contains("Thành phố Nha Trang"));

        // The yearly report of 2025 compares with 2024: its annex gives both years by former
        // district, each figure's total the same as in the sections above.
        let (s, doc) = api.get("/api/v1/reports/movement?unit=56&period=2025").await;
        assert_eq!(s, 200, "{doc}");
        let sections = doc["sections"].as_array().unwrap();
        let line = |section: &str, code: &str| {
            let sec = sections.iter().find(|x| x["code"] == section).unwrap_or_else(|| panic!("{section}"));
            sec["lines"].as_array().unwrap().iter().find(|l| l["code"] == code).unwrap_or_else(|| panic!("{section}.{code}")).clone()
        };
        let annex = line("former_map", "ratings");
        assert_eq!(annex["previous"], line("ratings", "rated")["previous"], "{annex}");
        assert_eq!(line("former_map", "activities")["current"], line("activities", "activities")["current"]);
        let former = sections.iter().find(|x| x["code"] == "former_map").unwrap();
        assert!(former["lines"].as_array().unwrap().iter().any(|l| l["label"] == "Thành phố Nha Trang"), "{former}");
        let (_, later) = api.get("/api/v1/reports/movement?unit=56&period=2027").await;
        assert!(later["sections"].as_array().unwrap().iter().all(|x| x["code"] != "former_map"), "no annex once both years are in the new map");

        // Models (with their sites and teams) by former district: the same totals.
        let (_, models_now) = api.get("/api/v1/stats/models?by=commune").await;
        let (s, models_old) = api.get("/api/v1/stats/models?by=legacy_district").await;
        assert_eq!((s, models_old["by"].as_str()), (200, Some("legacy_district")), "{models_old}");
        assert_eq!(models_old["total"], models_now["total"]);
        assert!(models_old["items"].as_array().unwrap().iter().any(|r| r["label"] == "Thành phố Nha Trang"), "{models_old}");
        let (_, as_of) = api.get("/api/v1/stats/models?by=commune&as_of=2024-06-30").await;
        assert_eq!(as_of["by"], "legacy_commune");
        let b = app.browser();
        app.user("xem", "province_officer", "56").await;
        b.login("xem", "mat-khau-du-dai-123").await;
        let (s, page, _) = b.get("/stats/ratings?year=2022&by=legacy_district").await;
        assert!(s == 200 && page.contains("Thành phố Nha Trang") && page.contains("value=\"legacy_district\" selected"), "stats page by former district");
        let (s, page, _) = b.get("/stats/models?by=legacy_district").await;
        assert!(s == 200 && page.contains("Thành phố Nha Trang"), "model statistics by former district");
        let (s, page, _) = b.get("/stats/former?year=2022").await;
        assert!(s == 200 && page.contains("id=\"stats-help\"") && page.contains("Thành phố Nha Trang"), "movement by former district");
        let (s, page, _) = b.get("/stats/activities?year=2022&by=legacy_district").await;
        assert!(s == 200 && page.contains("value=\"legacy_district\" selected"), "activities by former district");
    }
}
