//! Crime reports (C9) end to end: the citizen's submission and receipt, routing, the
//! officer's queue and workflow with its clocks, the dialogue, the sealed identity and its
//! audited reads, who sees what, attachments without metadata, floods, and statistics.

use antq_app::Settings;
use antq_store::Backend;
use antq_web::WebSettings;
use serde_json::{Value, json};

use crate::app_tests;
use crate::support::{Api, TestApp, hidden};

fn citizen_report(commune: Option<&str>) -> Value {
    json!({
        "kind": "to_giac",
        "category": "ma_tuy",
        "summary": "Có nhóm người bán ma túy ở đầu hẻm 12 vào buổi tối.",
        "occurred_on": "2026-11-30",
        "province_code": "56",
        "commune_code": commune,
        "place_unknown": commune.is_none(),
        "anonymous": true,
    })
}

async fn submitted(app: &TestApp, body: Value) -> (String, String) {
    let (s, b) = app.public_post("/api/v1/public/reports", body).await;
    assert_eq!(s, 201, "{b}");
    (b["code"].as_str().unwrap().to_string(), b["secret"].as_str().unwrap().to_string())
}

/// The id of the report with `code` in the caller's queue.
async fn id_of(api: &Api, code: &str, unit: &str) -> i64 {
    let (s, b) = api.get(&format!("/api/v1/reports?unit={unit}&all_states=true&q={code}")).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["total"], 1, "{b}");
    b["items"][0]["id"].as_i64().unwrap()
}

async fn step(api: &Api, id: i64, body: Value) -> (u16, Value) {
    api.post(&format!("/api/v1/reports/{id}/transitions"), body).await
}

fn iso(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339()
}

fn vn_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

app_tests! {
    citizens_send_follow_and_talk(app) {
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let other = app.api(&app.token("xakhac", "commune_officer", "22366").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let government = app.api(&app.token("ubndxa", "commune_government", "22333").await);

        // Routed to the commune of the place, with its 24-hour clock.
        let (code, secret) = submitted(app, citizen_report(Some("22333"))).await;
        assert!(code.starts_with("TG-") && secret.len() == 29, "{code} {secret}");
        let id = id_of(&commune, &code, "mine").await;
        let (_, d) = commune.get(&format!("/api/v1/reports/{id}")).await;
        let r = &d["report"];
        assert_eq!((r["state"].as_str(), r["commune_code"].as_str(), r["channel"].as_str()), (Some("da_tiep_nhan"), Some("22333"), Some("cong_khai")));
        let received = chrono::DateTime::parse_from_rfc3339(r["received_at"].as_str().unwrap()).unwrap();
        let due = chrono::DateTime::parse_from_rfc3339(r["due_at"].as_str().unwrap()).unwrap();
        assert_eq!(due - received, chrono::Duration::hours(24));
        assert_eq!(d["countdown"]["overdue"], false);
        assert_eq!(r["anonymous"], true);
        assert_eq!(d["has_identity"], false);

        // Outside the unit in charge: refused; counts-only roles: refused content, given counts.
        assert_eq!(other.get(&format!("/api/v1/reports/{id}")).await.0, 403);
        assert_eq!(government.get(&format!("/api/v1/reports/{id}")).await.0, 403);
        assert_eq!(government.get("/api/v1/reports").await.0, 403);
        let (s, st) = government.get("/api/v1/stats/reports?by=kind").await;
        assert_eq!(s, 200, "{st}");
        assert_eq!(st["total"]["counts"]["received"], 1);
        assert!(!st.to_string().contains("ma túy ở đầu hẻm"), "counts only");
        // The province sees every commune's reports, not the other province's.
        assert_eq!(province.get(&format!("/api/v1/reports/{id}")).await.0, 200);

        // No commune: the province's duty queue.
        let (code2, _) = submitted(app, citizen_report(None)).await;
        let id2 = id_of(&province, &code2, "mine").await;
        let (_, d2) = province.get(&format!("/api/v1/reports/{id2}")).await;
        assert_eq!(d2["report"]["commune_code"], Value::Null);
        assert!(d2["report"]["resolve_due_on"].is_string(), "the province's 20 days run from receipt");
        assert_eq!(commune.get(&format!("/api/v1/reports/{id2}")).await.0, 403);

        // The citizen's view: plain words, the welcome notice, no internal detail.
        let (s, v) = app.public_post("/api/v1/public/reports/lookup", json!({"code": code.to_lowercase(), "secret": secret})).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["status"], "da_tiep_nhan");
        assert_eq!(v["messages"].as_array().unwrap().len(), 1);
        assert!(!v.to_string().contains("\"22333\"") && !v.to_string().contains("username"), "{v}");

        // Wrong secret and unknown code: the same answer.
        let wrong = app.public_post("/api/v1/public/reports/lookup", json!({"code": code, "secret": "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"})).await;
        let unknown = app.public_post("/api/v1/public/reports/lookup", json!({"code": "TG-00000-00000", "secret": secret})).await;
        let garbage = app.public_post("/api/v1/public/reports/lookup", json!({"code": "xyz", "secret": ""})).await;
        assert_eq!(wrong.0, 422);
        assert_eq!(wrong, unknown);
        assert_eq!(wrong, garbage);

        // Dialogue: the officer asks, the citizen answers, the queue shows it unread.
        let (s, m) = commune.post(&format!("/api/v1/reports/{id}/messages"), json!({"body": "Bạn có nhớ biển số xe không?"})).await;
        assert_eq!(s, 201, "{m}");
        let (_, v) = app.public_post("/api/v1/public/reports/lookup", json!({"code": code, "secret": secret})).await;
        let last = v["messages"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["author"].as_str(), last["body"].as_str()), (Some("officer"), Some("Bạn có nhớ biển số xe không?")));
        assert!(last.get("username").is_none(), "officers are not named to the citizen");
        let (s, _) = app.public_post("/api/v1/public/reports/messages", json!({"code": code, "secret": secret, "body": "Biển số 43A-123.45"})).await;
        assert_eq!(s, 200);
        let (s, _) = app.public_post("/api/v1/public/reports/messages", json!({"code": code, "secret": "sai", "body": "x"})).await;
        assert_eq!(s, 422);
        let (_, q) = commune.get("/api/v1/reports").await;
        assert_eq!(q["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()["citizen_unread"], true);

        // A change of what the citizen sees is notified on the receipt page.
        let (s, b) = step(&commune, id, json!({"action": "accept"})).await;
        assert_eq!(s, 200, "{b}");
        let (_, v) = app.public_post("/api/v1/public/reports/lookup", json!({"code": code, "secret": secret})).await;
        assert_eq!(v["status"], "dang_giai_quyet");
        assert_eq!(v["messages"].as_array().unwrap().last().unwrap()["author"], "system");

        // Bad input: clear Vietnamese messages, nothing written.
        let (s, b) = app.public_post("/api/v1/public/reports", json!({"category": "ma_tuy", "summary": "ngắn", "province_code": "56", "commune_code": "00004"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["summary"].as_str().unwrap().contains("quá ngắn"), "{b}");
        assert!(b["error"]["fields"]["commune_code"].as_str().unwrap().contains("không thuộc tỉnh"), "{b}");
        let (s, b) = app.public_post("/api/v1/public/reports", json!({"category": "ma_tuy", "summary": "Có người bán ma túy ở chợ", "province_code": "56", "commune_code": "22333",
            "anonymous": true, "reporter": {"full_name": "Nguyễn Văn A"}})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["anonymous"].is_string(), "{b}");
        let (_, st) = province.get("/api/v1/stats/reports").await;
        assert_eq!(st["total"]["counts"]["received"], 2, "{st}");
    }

    officers_handle_reports_with_their_clocks(app) {
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let now = chrono::Utc::now();
        // Received by phone 30 days ago: taken on, it is overdue on its 20 days.
        let (s, b) = commune.post("/api/v1/reports", json!({
            "kind": "tin_bao", "channel": "dien_thoai", "category": "trom_cuop",
            "summary": "Người dân báo mất trộm xe máy trước cửa nhà.", "received_at": iso(now - chrono::Duration::days(30)),
            "minutes_no": "15/BB", "commune_code": "22333", "anonymous": true})).await;
        assert_eq!(s, 201, "{b}");
        assert_eq!(b["receipt"], Value::Null);
        let id = b["report"]["id"].as_i64().unwrap();
        assert_eq!(b["report"]["commune_code"], "22333", "it lands in the receiving unit");
        let (s, b) = step(&commune, id, json!({"action": "prosecute", "decision_no": "1/QĐ"})).await;
        assert_eq!(s, 422, "not before it is taken on");
        assert!(b["error"]["fields"]["action"].as_str().unwrap().contains("Đã tiếp nhận"), "{b}");
        let (s, r) = step(&commune, id, json!({"action": "accept"})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["transfer_on_time"], false, "taken on after its 24 hours");
        let received_on = (now - chrono::Duration::days(30) + chrono::Duration::hours(7)).date_naive();
        assert_eq!(r["resolve_due_on"], json!((received_on + chrono::Duration::days(20)).to_string()));
        let (_, overdue) = commune.get("/api/v1/reports?overdue=true").await;
        assert_eq!(overdue["total"], 1, "{overdue}");
        let (_, loads) = province.get("/api/v1/reports/overdue").await;
        let row = loads["items"].as_array().unwrap().iter().find(|l| l["commune_code"] == "22333").unwrap().clone();
        assert_eq!((row["open"].as_i64(), row["overdue"].as_i64()), (Some(1), Some(1)));

        // Extensions: at most 2 months from the start (the next working day when that is a day
        // off, BLTTHS Điều 134), then the procuracy once.
        let calendar = antq_domain::calendar::WorkCalendar::new(&Vec::new());
        let cap = calendar.working_on_or_after(received_on.checked_add_months(chrono::Months::new(2)).unwrap());
        let ext = |until: chrono::NaiveDate, action: &str| json!({"action": action, "until": until.to_string(),
            "authority": "Thủ trưởng Cơ quan CSĐT", "reason": "Phải xác minh tại nhiều nơi", "decision_no": "9/QĐ-VKS"});
        let (s, b) = step(&commune, id, ext(cap + chrono::Duration::days(1), "extend")).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["until"].as_str().unwrap().contains(&cap.format("%d/%m/%Y").to_string()), "{b}");
        let (s, r) = step(&commune, id, ext(cap, "extend")).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["resolve_due_on"], json!(cap.to_string()));
        let pcap = cap.checked_add_months(chrono::Months::new(2)).unwrap();
        let (s, r) = step(&commune, id, ext(pcap, "extend_procuracy")).await;
        assert_eq!((s, r["procuracy_extended"].as_bool()), (200, Some(true)), "{r}");
        let (s, _) = step(&commune, id, ext(pcap + chrono::Duration::days(1), "extend_procuracy")).await;
        assert_eq!(s, 422, "only once");
        // Suspension stops the clock; resumption restarts it.
        let (s, r) = step(&commune, id, json!({"action": "suspend", "ground": "giam_dinh", "decision_no": "3/QĐ"})).await;
        assert_eq!((s, r["due_at"].clone()), (200, Value::Null), "{r}");
        let (s, r) = step(&commune, id, json!({"action": "resume", "decision_no": "4/QĐ"})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(r["resolve_due_on"], json!((vn_today() + chrono::Duration::days(20)).to_string()));
        let (s, r) = step(&commune, id, json!({"action": "decline", "decision_no": "5/QĐ", "reason": "Không có sự việc phạm tội"})).await;
        assert_eq!((s, r["state"].as_str(), r["closed_on_time"].as_bool()), (200, Some("khong_khoi_to"), Some(true)), "{r}");
        let (s, _) = step(&commune, id, json!({"action": "notify_reporter"})).await;
        assert_eq!(s, 422, "an anonymous reporter cannot be told");
        let (_, d) = commune.get(&format!("/api/v1/reports/{id}")).await;
        let actions: Vec<&str> = d["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["received", "accept", "extend", "extend_procuracy", "suspend", "resume", "decline"]);

        // A transfer keeps the trail; the commune loses the content, the province gains it.
        let (s, b) = commune.post("/api/v1/reports", json!({"kind": "to_giac", "channel": "truc_tiep", "category": "co_bac",
            "summary": "Tụ điểm đánh bạc ở nhà văn hóa thôn", "commune_code": "22333", "issue_receipt": true,
            "reporter": {"full_name": "Trần Thị B", "phone": "0905 111 222"}})).await;
        assert_eq!(s, 201, "{b}");
        let id2 = b["report"]["id"].as_i64().unwrap();
        assert!(b["receipt"]["secret"].is_string(), "a receipt for the reporter");
        let (s, b) = step(&commune, id2, json!({"action": "transfer", "to_unit": "22333", "reason": "x"})).await;
        assert_eq!(s, 422, "{b}");
        let (s, r) = step(&commune, id2, json!({"action": "transfer", "to_unit": "56", "reason": "Thuộc thẩm quyền Cơ quan CSĐT tỉnh"})).await;
        assert_eq!((s, r["commune_code"].clone(), r["transfer_on_time"].as_bool()), (200, Value::Null, Some(true)), "{r}");
        assert_eq!(commune.get(&format!("/api/v1/reports/{id2}")).await.0, 403);
        let (s, d) = province.get(&format!("/api/v1/reports/{id2}")).await;
        assert_eq!(s, 200);
        let e = d["events"].as_array().unwrap().last().unwrap();
        assert_eq!((e["from_unit"].as_str(), e["to_unit"].as_str()), (Some("22333"), Some("56")));
        assert_eq!(d["has_identity"], true);

        // Corrections and the valuable flag; the audit names fields, never content.
        let (s, r) = province.patch(&format!("/api/v1/reports/{id2}"), json!({"valuable": true, "summary": "Tụ điểm đánh bạc ở nhà văn hóa thôn 3"})).await;
        assert_eq!((s, r["valuable"].as_bool()), (200, Some(true)), "{r}");
        let (s, _) = province.patch(&format!("/api/v1/reports/{id2}"), json!({"category": "bay"})).await;
        assert_eq!(s, 422);
        let entries = antq_store::audit::list_all(&app.ctx.db, &Default::default()).await.unwrap();
        let audit = serde_json::to_string(&entries).unwrap();
        assert!(!audit.contains("nhà văn hóa") && !audit.contains("Trần Thị B") && !audit.contains("0905 111 222") && !audit.contains("0905111222"),
            "no content in the audit trail");
        assert!(entries.iter().any(|e| e.action == "transition" && e.object_id.as_deref() == Some(&id2.to_string())));
        let (_, st) = province.get("/api/v1/stats/reports?by=channel&from=2000-01-01").await;
        let phone = st["rows"].as_array().unwrap().iter().find(|r| r["key"] == "dien_thoai").unwrap().clone();
        assert_eq!((phone["counts"]["khong_khoi_to"].as_i64(), phone["counts"]["transfer_late"].as_i64()), (Some(1), Some(1)));
        assert_eq!(st["total"]["counts"]["valuable"], 1);
        assert_eq!(st["total"]["counts"]["transferred"], 1);
    }

    identities_are_sealed_and_every_read_is_audited(app) {
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let auditor = app.api(&app.token("thanhtra", "auditor", "56").await);
        let mut body = citizen_report(Some("22333"));
        body["anonymous"] = json!(false);
        body["reporter"] = json!({"full_name": "Lê Văn Tố Giác", "phone": "0912 345 678", "id_number": "079123456789", "protection_requested": true});
        let (code, _) = submitted(app, body).await;
        let id = id_of(&commune, &code, "mine").await;
        let (_, d) = commune.get(&format!("/api/v1/reports/{id}")).await;
        assert_eq!((d["has_identity"].as_bool(), d["report"]["confidential"].as_bool()), (Some(true), Some(true)));
        assert!(!d.to_string().contains("Tố Giác"), "the report never carries the identity");
        let path = format!("/api/v1/reports/{id}/identity");
        let (s, b) = commune.post(&path, json!({"reason": "xem"})).await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(admin.post(&path, json!({"reason": "Kiểm tra hệ thống định kỳ"})).await.0, 403);
        assert_eq!(auditor.post(&path, json!({"reason": "Thanh tra việc giải quyết tin"})).await.0, 403);
        let (s, i) = commune.post(&path, json!({"reason": "Mời người tố giác đến làm việc, lấy lời khai"})).await;
        assert_eq!(s, 200, "{i}");
        assert_eq!((i["full_name"].as_str(), i["phone"].as_str()), (Some("Lê Văn Tố Giác"), Some("0912 345 678")));
        let entries = antq_store::audit::list_all(&app.ctx.db, &Default::default()).await.unwrap();
        let read = entries.iter().find(|e| e.action == "identity_read").expect("audited");
        assert_eq!((read.username.as_str(), read.object_id.as_deref()), ("canboxa", Some(id.to_string().as_str())));
        assert!(read.changes.contains("lấy lời khai"), "{}", read.changes);
        // Sealed with the app's key and bound to its report: the database alone reveals nothing.
        let (key_id, sealed) = antq_store::reports::identity(&app.ctx.db, id).await.unwrap().unwrap();
        assert_eq!(key_id, app.ctx.identity_key.id());
        assert!(!String::from_utf8_lossy(&sealed).contains("0912 345 678"));
        let anonymous = id_of(&commune, &submitted(app, citizen_report(Some("22333"))).await.0, "mine").await;
        let (s, b) = commune.post(&format!("/api/v1/reports/{anonymous}/identity"), json!({"reason": "Mời người tố giác đến làm việc"})).await;
        assert_eq!(s, 404, "{b}");
    }

    attachments_lose_their_metadata(app) {
        let commune = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let exif = b"Exif\0\0GPS 16.0544N 108.2022E";
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(exif);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 63, 0, 0x11, 0x22, 0xFF, 0xD9]);
        let part = |bytes: Vec<u8>, name: &str| reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new()
            .text("report", citizen_report(Some("22333")).to_string())
            .part("files", part(jpeg.clone(), "anh.jpg"))
            .part("files", part(b"%PDF-1.4 bien ban".to_vec(), "bb.pdf"));
        let r = reqwest::Client::new().post(app.url("/api/v1/public/reports")).multipart(form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 201);
        let code = r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_string();
        let id = id_of(&commune, &code, "mine").await;
        let (_, d) = commune.get(&format!("/api/v1/reports/{id}")).await;
        let files = d["attachments"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        let jpg = files.iter().find(|f| f["content_type"] == "image/jpeg").unwrap();
        let (s, bytes) = commune.get_bytes(&format!("/api/v1/reports/{id}/attachments/{}", jpg["id"])).await;
        assert_eq!(s, 200);
        assert!(!String::from_utf8_lossy(&bytes).contains("GPS"), "EXIF removed");
        assert!(bytes.ends_with(&[0x11, 0x22, 0xFF, 0xD9]), "pixels kept");
        let form = reqwest::multipart::Form::new()
            .text("report", citizen_report(Some("22333")).to_string())
            .part("files", part(b"MZ\x90\x00 program".to_vec(), "anh.jpg"));
        let r = reqwest::Client::new().post(app.url("/api/v1/public/reports")).multipart(form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 422, "checked by content, not name");
        let (_, q) = commune.get("/api/v1/reports").await;
        assert_eq!(q["total"], 1, "nothing written");
    }

    remote_communes_have_48_hours(app) {
        let province = app.api(&app.token("tinh", "province_officer", "56").await);
        let other = app.api(&app.token("tinhkhac", "province_officer", "01").await);
        assert_eq!(other.patch("/api/v1/units/22333", json!({"remote": true})).await.0, 403);
        let (s, u) = province.patch("/api/v1/units/22333", json!({"remote": true})).await;
        assert_eq!((s, u["remote"].as_bool()), (200, Some(true)), "{u}");
        let (code, _) = submitted(app, citizen_report(Some("22333"))).await;
        let id = id_of(&province, &code, "all").await;
        let (_, d) = province.get(&format!("/api/v1/reports/{id}")).await;
        let r = &d["report"];
        let received = chrono::DateTime::parse_from_rfc3339(r["received_at"].as_str().unwrap()).unwrap();
        let due = chrono::DateTime::parse_from_rfc3339(r["due_at"].as_str().unwrap()).unwrap();
        assert_eq!(due - received, chrono::Duration::hours(48));
        // Đặc khu are seeded remote.
        let (_, truong_sa) = province.get("/api/v1/units?q=truong%20sa&level=commune").await;
        assert_eq!(truong_sa["items"][0]["remote"], true, "{truong_sa}");
    }
}

/// A flood of public requests is limited per client and never touches officers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floods_are_limited_and_officers_keep_working() {
    let web = WebSettings { public_report_burst: 3, public_report_per_minute: 1, ..WebSettings::default() };
    let app = TestApp::spawn_with(Backend::Sqlite, Settings::default(), web).await.unwrap();
    let officer = app.api(&app.token("canboxa", "commune_officer", "22333").await);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(app.public_post("/api/v1/public/reports", citizen_report(Some("22333"))).await.0);
    }
    assert_eq!(statuses, [201, 201, 201, 429, 429, 429]);
    let (s, q) = officer.get("/api/v1/reports").await;
    assert_eq!((s, q["total"].as_i64()), (200, Some(3)));
    let (s, _) = officer
        .post(
            "/api/v1/reports",
            json!({"kind": "tin_bao", "channel": "truc_tiep", "category": "khac",
        "summary": "Người dân đến trình báo trực tiếp", "commune_code": "22333"}),
        )
        .await;
    assert_eq!(s, 201, "officers are not limited");
}

/// The public writer commits in batches: many concurrent submissions, each durable and
/// answered only after its commit, none lost or duplicated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_are_all_written_once() {
    let web = WebSettings { public_report_burst: 1000, ..WebSettings::default() };
    let settings = Settings { intake_batch: 8, ..Settings::default() };
    let app = TestApp::spawn_with(Backend::Sqlite, settings, web).await.unwrap();
    let officer = app.api(&app.token("canboxa", "commune_officer", "22333").await);
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let url = app.url("/api/v1/public/reports");
        tasks.push(tokio::spawn(async move {
            let r = reqwest::Client::new().post(url).json(&citizen_report(Some("22333"))).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].as_str().unwrap_or("").to_string())
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        let (s, code) = t.await.unwrap();
        assert_eq!(s, 201);
        codes.push(code);
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 40);
    let (_, q) = officer.get("/api/v1/reports?per_page=100").await;
    assert_eq!(q["total"], 40);
    let verdict = antq_store::audit::verify(&app.ctx.db).await.unwrap();
    assert!(verdict.is_ok(), "the audit chain holds every submission in order");
}

app_tests! {
    public_pages_work_without_javascript(app) {
        let b = app.browser();
        let (s, page, _) = b.get("/to-giac?province=56").await;
        assert_eq!(s, 200);
        assert!(page.contains("name=\"summary\""));
        assert!(page.contains("value=\"22333\""), "the province's communes are in the page");
        let action = page.split("action=\"/to-giac?_csrf=").nth(1).unwrap().split('"').next().unwrap().to_string();
        let send = |fields: Vec<(&'static str, &'static str)>| {
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields {
                form = form.text(k, v);
            }
            b.http.post(app.url(&format!("/to-giac?_csrf={action}"))).multipart(form).send()
        };
        // Without the commune: the form again, values kept, the communes listed.
        let base = vec![("kind", "tin_bao"), ("category", "lua_dao"), ("summary", "Tôi bị lừa chuyển khoản 5 triệu đồng qua mạng xã hội."), ("province_code", "56")];
        let r = send(base.clone()).await.unwrap();
        assert_eq!(r.status().as_u16(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("Tôi bị lừa chuyển khoản") && page.contains("value=\"22333\""), "values kept");
        // The honeypot: refused, nothing written.
        let mut trap = base.clone();
        trap.extend([("commune_code", "22333"), ("ghi_chu_noi_bo", "http://spam.example")]);
        assert_eq!(send(trap).await.unwrap().status().as_u16(), 422);
        let mut ok = base.clone();
        ok.push(("commune_code", "22333"));
        let r = send(ok).await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let receipt = r.text().await.unwrap();
        let grab = |id: &str| receipt.split(&format!("id=\"{id}\">")).nth(1).unwrap().split('<').next().unwrap().to_string();
        let (code, secret) = (grab("receipt-code"), grab("receipt-secret"));
        // Follow it, then add information.
        let (_, page, _) = b.get("/to-giac/tra-cuu").await;
        let pre = hidden(&page, "_csrf");
        let (s, view, _) = b.post("/to-giac/tra-cuu", &[("_csrf", &pre), ("code", &code), ("secret", &secret)]).await;
        assert_eq!(s, 200);
        assert!(view.contains("id=\"citizen-status\"") && view.contains("Đã tiếp nhận, đang được kiểm tra"), "{view}");
        let (s, wrong, _) = b.post("/to-giac/tra-cuu", &[("_csrf", &pre), ("code", &code), ("secret", "sai")]).await;
        assert_eq!(s, 422);
        assert!(wrong.contains("Mã tra cứu hoặc mật mã không đúng."));
        let form = reqwest::multipart::Form::new().text("code", code.clone()).text("secret", secret.clone()).text("body", "Số tài khoản nhận tiền là 0123456789");
        let r = b.http.post(app.url(&format!("/to-giac/bo-sung?_csrf={pre}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.text().await.unwrap().contains("Số tài khoản nhận tiền"));
        let officer = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let (_, q) = officer.get("/api/v1/reports").await;
        assert_eq!(q["total"], 1, "the honeypot wrote nothing");
    }

    officers_pages_show_the_queue_and_the_steps(app) {
        app.user("canbo", "commune_officer", "22333").await;
        app.user("xem", "commune_government", "22333").await;
        submitted(app, citizen_report(Some("22333"))).await;
        let b = app.browser();
        let csrf = b.login("canbo", crate::support::PASSWORD).await;
        let (s, page, _) = b.get("/reports").await;
        assert_eq!(s, 200);
        assert!(page.contains("id=\"report-queue\"") && page.contains("còn 23 giờ"), "{page}");
        let queue = page.split("id=\"report-queue\"").nth(1).unwrap();
        let href = queue.split("href=\"/reports/").nth(1).unwrap().split('"').next().unwrap().to_string();
        let (s, detail, _) = b.get(&format!("/reports/{href}")).await;
        assert_eq!(s, 200);
        assert!(detail.contains("value=\"accept\"") && detail.contains("id=\"countdown\""));
        let (s, _, loc) = b.post(&format!("/reports/{href}/step"), &[("_csrf", &csrf), ("action", "accept")]).await;
        assert_eq!((s, loc), (303, Some(format!("/reports/{href}"))));
        let (s, refused, _) = b.post(&format!("/reports/{href}/step"), &[("_csrf", &csrf), ("action", "accept")]).await;
        assert_eq!(s, 422);
        assert!(refused.contains("id=\"notice\""));
        let (s, _, _) = b.get("/stats/reports?by=category").await;
        assert_eq!(s, 200);
        // The intake form records a report and shows the receipt once.
        let form = reqwest::multipart::Form::new().text("kind", "to_giac").text("channel", "truc_tiep").text("category", "vu_khi")
            .text("summary", "Người dân trình báo có người tàng trữ súng tự chế").text("province_code", "56").text("commune_code", "22333")
            .text("issue_receipt", "1").text("full_name", "Phạm Văn C");
        let r = b.http.post(app.url(&format!("/reports/new?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.text().await.unwrap().contains("id=\"receipt-secret\""));
        // Counts-only roles get the statistics page and nothing else.
        let g = app.browser();
        g.login("xem", crate::support::PASSWORD).await;
        assert_eq!(g.get("/reports").await.0, 403);
        assert_eq!(g.get(&format!("/reports/{href}")).await.0, 403);
        let (s, stats, _) = g.get("/stats/reports").await;
        assert_eq!(s, 200);
        assert!(stats.contains("id=\"kpi-received\">2<"), "counts");
    }
}
