//! Movement activities and commendations end to end: each kind asks for its fields, bad
//! input writes nothing, opinions wait and go overdue, tips received at an activity are
//! counted, the statistics add up to what was recorded, the workflow of a commendation, a
//! medal once per person, and the files.

use serde_json::{Value, json};

use crate::app_tests;
use crate::support::Api;

/// The id of the national kind with `code`.
async fn kind(api: &Api, code: &str) -> i64 {
    let (_, k) = api.get("/api/v1/activity-kinds?per_page=200").await;
    k["items"].as_array().unwrap().iter().find(|k| k["code"] == code).unwrap_or_else(|| panic!("{code}"))["id"]
        .as_i64()
        .unwrap()
}

fn stat(table: &Value, row: &str, col: &str) -> i64 {
    let c =
        table["columns"].as_array().unwrap().iter().position(|c| c["code"] == col).unwrap_or_else(|| panic!("{col}"));
    let r =
        table["rows"].as_array().unwrap().iter().find(|r| r["code"] == row).unwrap_or_else(|| panic!("{row}: {table}"));
    r["values"][c].as_i64().unwrap()
}

app_tests! {
    activities_by_kind_opinions_tips_and_statistics(app) {
        let commune = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let year = chrono::Datelike::year(&app.ctx.today());
        let day = format!("{year}-01-15");
        // A propaganda session, a commitment signing, a weapon surrender.
        let propaganda = kind(&commune, "tuyen_truyen").await;
        let (s, a) = commune.post("/api/v1/activities", json!({"kind_id": propaganda, "title": "Tuyên truyền phòng chống ma túy",
            "starts_on": day, "organiser_kind": "mat_tran_doan_the", "organiser_name": "Đoàn Thanh niên xã",
            "participants": 150, "groups": {"hoc_sinh": 100, "nhan_dan": 50}})).await;
        assert_eq!(s, 201, "{a}");
        assert_eq!((a["commune_code"].as_str(), a["groups"][1].as_i64()), (Some("22333"), Some(100)), "the officer's commune");
        let signing = kind(&commune, "ky_cam_ket").await;
        let (s, e) = commune.post("/api/v1/activities", json!({"kind_id": signing, "title": "Ký cam kết không đốt pháo",
            "starts_on": day, "participants": 90})).await;
        assert_eq!(s, 422, "a signing needs its signatories");
        assert!(e["error"]["fields"]["households"].as_str().unwrap().contains("hộ"), "{e}");
        let (s, _) = commune.post("/api/v1/activities", json!({"kind_id": signing, "title": "Ký cam kết không đốt pháo",
            "starts_on": day, "participants": 90, "commitment_topic": "Không sử dụng pháo nổ", "households": 85,
            "individuals": 3})).await;
        assert_eq!(s, 201);
        let surrender = kind(&commune, "giao_nop_vu_khi").await;
        let (s, e) = commune.post("/api/v1/activities", json!({"kind_id": surrender, "title": "Vận động giao nộp",
            "starts_on": day, "receiving_unit": "Công an xã",
            "weapons": [{"category": "sung_tu_che", "quantity": "2,5"}]})).await;
        assert_eq!(s, 422);
        assert!(e["error"]["fields"]["weapons.0"].as_str().unwrap().contains("số nguyên"), "{e}");
        let (s, w) = commune.post("/api/v1/activities", json!({"kind_id": surrender, "title": "Vận động giao nộp",
            "starts_on": day, "receiving_unit": "Công an xã",
            "weapons": [{"category": "sung_tu_che", "quantity": "2"}, {"category": "Vật liệu nổ", "quantity": "1,5", "unit": "kg"}]})).await;
        assert_eq!(s, 201, "{w}");
        assert_eq!(w["details"]["weapons"][1]["quantity_milli"], 1500);
        // Outside the commune, in the future, or of an unknown kind: refused, nothing written.
        let (s, _) = commune.post("/api/v1/activities", json!({"commune_code": "22366", "kind_id": propaganda,
            "title": "X", "starts_on": day})).await;
        assert_eq!(s, 422);
        let (s, e) = commune.post("/api/v1/activities", json!({"kind_id": propaganda, "title": "X", "starts_on": "2999-01-01"})).await;
        assert!(s == 422 && e["error"]["fields"]["starts_on"].is_string(), "{e}");
        assert_eq!(commune.get("/api/v1/activities").await.1["total"], 3);

        // A conference: one opinion answered on the spot, one tasked and overdue.
        let conference = kind(&commune, "hoi_nghi_lang_nghe").await;
        let (s, c) = commune.post("/api/v1/activities", json!({"kind_id": conference, "title": "Công an lắng nghe ý kiến Nhân dân",
            "starts_on": day, "participants": 60})).await;
        assert_eq!(s, 201);
        let cid = c["id"].as_i64().unwrap();
        let (s, _) = commune.post(&format!("/api/v1/activities/{cid}/opinions"), json!({"topic": "Giao thông",
            "content": "Xe tải chạy nhanh", "answer": "Bố trí tuần tra giờ tan học"})).await;
        assert_eq!(s, 201);
        let (s, e) = commune.post(&format!("/api/v1/activities/{cid}/opinions"), json!({"topic": "Chiếu sáng",
            "content": "Đèn đường hỏng"})).await;
        assert!(s == 422 && e["error"]["fields"]["tasked_unit"].is_string(), "{e}");
        let (s, o) = commune.post(&format!("/api/v1/activities/{cid}/opinions"), json!({"topic": "Chiếu sáng",
            "content": "Đèn đường hỏng", "tasked_unit": "UBND xã", "due_on": format!("{year}-01-20")})).await;
        assert_eq!(s, 201, "{o}");
        let (_, waiting) = province.get("/api/v1/opinions?overdue=true").await;
        assert_eq!(waiting["total"], 1, "{waiting}");
        // Opinions belong to conferences only.
        let (s, _) = commune.post(&format!("/api/v1/activities/{}/opinions", a["id"]), json!({"topic": "X", "content": "Y", "answer": "Z"})).await;
        assert_eq!(s, 422);

        // A tip received at the conference is counted with it.
        let (s, r) = commune.post("/api/v1/reports", json!({"kind": "tin_bao", "category": "trom_cuop", "activity_id": cid,
            "summary": "Người dân báo có đối tượng lạ trộm chó trong thôn.", "received_at": format!("{day}T09:00"),
            "commune_code": "22333", "anonymous": true})).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["report"]["channel"], "tai_hoat_dong");
        let (s, e) = commune.post("/api/v1/reports", json!({"kind": "tin_bao", "category": "trom_cuop", "activity_id": cid,
            "summary": "Một tin khác nhận sau hội nghị nhiều ngày.", "received_at": format!("{year}-01-25T09:00"),
            "commune_code": "22333", "anonymous": true})).await;
        assert!(s == 422 && e["error"]["fields"]["activity_id"].is_string(), "{e}");
        let (_, d) = commune.get(&format!("/api/v1/activities/{cid}")).await;
        assert_eq!((d["opinions"].as_i64(), d["answered"].as_i64(), d["tips"].as_i64()), (Some(2), Some(1), Some(1)), "{d}");

        // Statistics: the commune's row holds what was recorded.
        let (s, t) = province.get(&format!("/api/v1/stats/activities?year={year}")).await;
        assert_eq!(s, 200, "{t}");
        assert_eq!(stat(&t, "22333", "sessions"), 4);
        assert_eq!(stat(&t, "22333", "participants"), 300);
        assert_eq!(stat(&t, "22333", "households"), 85);
        assert_eq!((stat(&t, "22333", "opinions"), stat(&t, "22333", "answered"), stat(&t, "22333", "overdue")), (2, 1, 1));
        assert_eq!(stat(&t, "22333", "tips"), 1);
        assert_eq!(stat(&t, "22366", "sessions"), 0, "every commune is a row");
        let (_, k) = province.get(&format!("/api/v1/stats/activities?year={year}&by=kind")).await;
        assert_eq!(stat(&k, &conference.to_string(), "opinions"), 2);
        let (_, wt) = province.get(&format!("/api/v1/stats/activities?year={year}&by=weapons")).await;
        assert_eq!(stat(&wt, "22333", "vat_lieu_no.kg"), 1500, "thousandths of a kg");
        assert_eq!(stat(&wt, "22333", "sung_tu_che.khau"), 2000);
        let (_, m) = province.get(&format!("/api/v1/stats/activities?year={year}&by=month")).await;
        assert_eq!(stat(&m, "1", "sessions"), 4);
        let (s, _) = province.get("/api/v1/stats/activities?by=nothing").await;
        assert_eq!(s, 422);
        let (s, bytes) = province.get_bytes(&format!("/api/v1/stats/activities/export?year={year}&by=place_kind")).await;
        assert!(s == 200 && bytes.starts_with(b"PK"));

        // Moving an activity to another month moves its totals (with its opinions and tips).
        let (s, p) = commune.patch(&format!("/api/v1/activities/{cid}"), json!({"starts_on": format!("{year}-02-01"), "ends_on": ""})).await;
        assert_eq!(s, 200, "{p}");
        let (_, m) = province.get(&format!("/api/v1/stats/activities?year={year}&by=month")).await;
        assert_eq!((stat(&m, "1", "sessions"), stat(&m, "2", "sessions"), stat(&m, "2", "tips")), (3, 1, 1));
        let (s, _) = commune.patch(&format!("/api/v1/activities/{cid}"), json!({"title": "Khác", "updated_at": "2000-01-01T00:00:00Z"})).await;
        assert_eq!(s, 409, "a stale version is refused");
    }

    commendations_workflow_and_one_medal_per_person(app) {
        let commune = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        // A commune's own award: filed, submitted and decided in the commune.
        let (s, c) = commune.post("/api/v1/commendations", json!({"form": "giay_khen_ubnd_xa", "reason": "Thành tích xuất sắc",
            "recipient_kind": "tap_the", "recipient_name": "Thôn Phú Lộc", "cash_vnd": 500000})).await;
        assert_eq!(s, 201, "{c}");
        assert_eq!((c["state"].as_str(), c["level"].as_str()), (Some("de_xuat"), Some("xa")));
        let id = c["id"].as_i64().unwrap();
        let (s, _) = commune.post(&format!("/api/v1/commendations/{id}/steps"), json!({"action": "decide",
            "decision_no": "1/QĐ", "decided_on": app.ctx.today().to_string()})).await;
        assert_eq!(s, 409, "not before it is submitted");
        assert_eq!(commune.post(&format!("/api/v1/commendations/{id}/steps"), json!({"action": "submit"})).await.0, 200);
        let (s, d) = commune.post(&format!("/api/v1/commendations/{id}/steps"), json!({"action": "decide",
            "decision_no": "1/QĐ-UBND", "decided_on": app.ctx.today().to_string()})).await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(d["state"], "da_quyet_dinh");
        // A provincial award proposed by the commune is decided by the province only.
        let (_, c) = commune.post("/api/v1/commendations", json!({"form": "giay_khen_giam_doc_ca_tinh", "reason": "Phát hiện tội phạm",
            "recipient_kind": "cong_dan", "recipient_name": "Trần Thị B"})).await;
        let pid = c["id"].as_i64().unwrap();
        commune.post(&format!("/api/v1/commendations/{pid}/steps"), json!({"action": "submit"})).await;
        let (s, _) = commune.post(&format!("/api/v1/commendations/{pid}/steps"), json!({"action": "refuse", "comment": "x"})).await;
        assert_eq!(s, 403);
        let (_, view) = province.get(&format!("/api/v1/commendations/{pid}")).await;
        assert!(view["actions"].as_array().unwrap().iter().any(|a| a == "decide"), "{view}");
        let (s, _) = province.post(&format!("/api/v1/commendations/{pid}/steps"), json!({"action": "decide",
            "decision_no": "12/QĐ-CAT", "decided_on": app.ctx.today().to_string(), "cash_vnd": 1000000})).await;
        assert_eq!(s, 200);
        // A Kỷ niệm chương: once per person, by citizen id.
        let medal = json!({"form": "knc_bao_ve_an_ninh_to_quoc", "reason": "Nhiều năm tham gia", "recipient_kind": "can_bo",
            "recipient_name": "Nguyễn Văn Trưởng", "citizen_id": "056080001234", "tenure_years": 12, "prior_commendations": 2});
        let (s, m) = commune.post("/api/v1/commendations", medal.clone()).await;
        assert_eq!(s, 201, "{m}");
        assert!(m["eligibility"].as_str().unwrap().starts_with("Đủ điều kiện"), "{m}");
        assert_eq!(m["citizen_id_masked"].as_str().map(|s| s.ends_with("1234")), Some(true));
        let mut again = medal.clone();
        again["commune_code"] = json!("22333");
        let (s, e) = province.post("/api/v1/commendations", again).await;
        assert_eq!(s, 409, "{e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("mỗi người một lần"), "{e}");
        // Statistics count the decided ones, with their cash.
        let year = chrono::Datelike::year(&app.ctx.today());
        let (_, t) = province.get(&format!("/api/v1/stats/commendations?year={year}&by=place")).await;
        assert_eq!((stat(&t, "22333", "total"), stat(&t, "22333", "cash_vnd")), (2, 1_500_000), "{t}");
        let (_, f) = province.get(&format!("/api/v1/stats/commendations?year={year}")).await;
        assert_eq!(stat(&f, "giay_khen_ubnd_xa.xa", "tap_the"), 1);
        // The register exports whole.
        let (s, bytes) = province.get_bytes("/api/v1/commendations/export?format=csv").await;
        let text = String::from_utf8(bytes).unwrap();
        assert!(s == 200 && text.contains("Trần Thị B") && !text.contains("056080001234"), "{text}");
    }

    activity_import_is_all_or_nothing(app) {
        let api = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let year = chrono::Datelike::year(&app.ctx.today());
        let bad = format!("Mã xã;Loại hoạt động;Chủ đề;Ngày tổ chức;So nguoi tham du;Vũ khí thu hồi\n\
            22333;Tuyên truyền (buổi tuyên truyền, họp dân);Họp dân;10/01/{year};45;\n\
            22333;Không có loại này;Họp dân;10/01/{year};45;\n\
            22333;vận động giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ;Giao nộp;12/01/{year};;Súng tự chế 2 khẩu\n");
        let (s, r) = api.post_bytes("/api/v1/activities/import?dry_run=false&format=csv", bad.into_bytes()).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!((r["valid"].as_i64(), r["created"].as_i64()), (Some(1), Some(0)), "{r}");
        let columns: Vec<&str> = r["errors"].as_array().unwrap().iter().filter_map(|e| e["column"].as_str()).collect();
        assert!(columns.contains(&"Loại hoạt động") && columns.contains(&"Vũ khí, vật liệu nổ, CCHT thu hồi"), "{r}");
        assert_eq!(api.get("/api/v1/activities").await.1["total"], 0, "nothing written");
        let good = format!("Mã xã;Loại hoạt động;Chủ đề;Ngày tổ chức;Số người tham dự;Vũ khí thu hồi;Đơn vị tiếp nhận\n\
            22333;tuyen_truyen;Họp dân;10/01/{year};45;;\n\
            22333;Vận động giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ;Giao nộp;12/01/{year};;\"Súng tự chế: 2 khẩu; Pháo: 3,5 kg\";Công an xã\n");
        let (_, r) = api.post_bytes("/api/v1/activities/import?dry_run=false&format=csv", good.into_bytes()).await;
        assert_eq!(r["created"], 2, "{r}");
        let (s, bytes) = api.get_bytes("/api/v1/activities/export?format=csv").await;
        let text = String::from_utf8(bytes).unwrap();
        assert!(s == 200 && text.contains("Pháo: 3,5 kg"), "{text}");
    }
}

app_tests! {
    demo_year_of_activities_adds_up_and_passes_the_checks(app) {
        let sum = antq_app::demo::generate(&app.ctx, antq_app::demo::Scope::Province("56".into()), 11, None).await.unwrap();
        assert!(sum.activities > sum.communes * 30 && sum.opinions >= sum.communes * 2 && sum.commendations >= sum.communes * 2, "{sum:?}");
        let (recount, kept) = antq_store::activities::recount_and_kept(&app.ctx.db).await.unwrap();
        assert_eq!(recount, kept, "the demo keeps its totals as every change does");
        assert!(sum.cameras > sum.communes * 5, "{sum:?}");
        let (recount, kept) = antq_store::cameras::recount_and_kept(&app.ctx.db).await.unwrap();
        assert_eq!(recount, kept, "the demo's cameras keep their totals");
        let prov = app.api(&app.token("tinh", "province_officer", "56").await);
        // The last twelve months fall in this year and the last: together, every activity.
        let year = chrono::Datelike::year(&app.ctx.today());
        let mut sessions = 0;
        for y in [year - 1, year] {
            let (s, t) = prov.get(&format!("/api/v1/stats/activities?year={y}")).await;
            assert_eq!(s, 200, "{t}");
            let c = t["columns"].as_array().unwrap().iter().position(|c| c["code"] == "sessions").unwrap();
            sessions += t["totals"][c].as_i64().unwrap();
        }
        assert_eq!(sessions, sum.activities as i64);
        let (_, overdue) = prov.get("/api/v1/opinions?overdue=true").await;
        assert!(overdue["total"].as_i64().unwrap() > 0, "some opinions are past their deadline: {overdue}");
        let (_, c) = prov.get(&format!("/api/v1/stats/commendations?year={}", year - 1)).await;
        let total = c["columns"].as_array().unwrap().iter().position(|c| c["code"] == "total").unwrap();
        assert!(c["totals"][total].as_i64().unwrap() > 0, "{c}");
        // Every generated activity passes the checks of one entered by hand: re-saving one of
        // each kind unchanged is accepted.
        let (_, kinds) = prov.get("/api/v1/activity-kinds?per_page=200").await;
        for k in kinds["items"].as_array().unwrap() {
            let (_, list) = prov.get(&format!("/api/v1/activities?kind_id={}&per_page=3", k["id"])).await;
            for a in list["items"].as_array().unwrap() {
                let (s, b) = prov.patch(&format!("/api/v1/activities/{}", a["id"]), json!({"updated_at": a["updated_at"]})).await;
                assert_eq!(s, 200, "{a} → {b}");
            }
        }
    }
}
