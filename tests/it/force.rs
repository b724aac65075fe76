//! The base-level security force (C8) end to end: teams and their TT 14/2024 clocks, members
//! with the eligibility rules of Luật 30/2023 Điều 13, one place per person, sealed citizen
//! ids, alerts, the HD 01 rating, imports, allowances, the Kỷ niệm chương report, statistics,
//! training, and the pages without JavaScript.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

use crate::app_tests;
use crate::support::{Api, PASSWORD, TestApp};

fn d(x: NaiveDate) -> String {
    x.to_string()
}

/// Today minus `years` years and `days` days.
fn ago(app: &TestApp, years: i32, days: i64) -> String {
    let t = app.ctx.today();
    let y = NaiveDate::from_ymd_opt(t.year() - years, t.month(), t.day().min(28)).unwrap();
    d(y - Duration::days(days))
}

async fn area(api: &Api, name: &str, households: i64) -> i64 {
    let (s, b) = api
        .post("/api/v1/areas", json!({"commune_code": "22333", "name": name, "kind": "thon", "households": households}))
        .await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

/// An established team over `areas`.
async fn team(app: &TestApp, api: &Api, name: &str, areas: &[i64]) -> i64 {
    let (s, t) = api
        .post(
            "/api/v1/teams",
            json!({"commune_code": "22333", "name": name, "area_ids": areas, "selection_on": ago(app, 2, 20)}),
        )
        .await;
    assert_eq!(s, 201, "{t}");
    let id = t["id"].as_i64().unwrap();
    let (s, b) = api
        .post(
            &format!("/api/v1/teams/{id}/transitions"),
            json!({"action": "establish", "on_date": ago(app, 2, 10), "decision_no": "12/QĐ-UBND", "signer": "Chủ tịch UBND xã"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    id
}

/// A person's fields (eligible by default).
fn person(app: &TestApp, team: i64, cid: &str, name: &str) -> Value {
    json!({"team_id": team, "full_name": name, "born_on": "1980-05-01", "sex": "nam", "citizen_id": cid,
        "education": "thcs", "health_cert_on": ago(app, 0, 30), "resident_since": "2010-01-01", "role": "to_vien",
        "applied_on": ago(app, 0, 20)})
}

/// The person recorded as already recognised `years` years ago.
fn recognised(app: &TestApp, mut p: Value, years: i32, role: &str) -> Value {
    p["decision_no"] = json!("20/QĐ-UBND");
    p["decided_on"] = json!(ago(app, years, 0));
    p["signer"] = json!("Chủ tịch UBND xã");
    p["applied_on"] = json!(ago(app, years, 5));
    p["health_cert_on"] = json!(ago(app, years, 10));
    p["role"] = json!(role);
    p
}

async fn member(api: &Api, body: Value) -> i64 {
    let (s, b) = api.post("/api/v1/members", body).await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

fn kinds(alerts: &Value) -> Vec<String> {
    alerts["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap().to_string()).collect()
}

app_tests! {
    team_and_member_lifecycle(app) {
        let api = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let a1 = area(&api, "Thôn Phú Lộc", 120).await;
        let a2 = area(&api, "Thôn Đông", 400).await;
        let today = app.ctx.today();

        // A planned team: the commune police have 5 days from the selection minutes.
        let (s, t) = api.post("/api/v1/teams", json!({"commune_code": "22333", "name": "Tổ bảo vệ ANTT thôn Phú Lộc",
            "area_ids": [a1], "selection_on": d(today - Duration::days(6))})).await;
        assert_eq!(s, 201, "{t}");
        assert_eq!(t["state"], "du_kien");
        assert_eq!(t["deadline"]["days_left"], -1, "5 days from the minutes: overdue by one");
        let id = t["id"].as_i64().unwrap();
        let tr = format!("/api/v1/teams/{id}/transitions");
        let (s, b) = api.post(&tr, json!({"action": "dissolve", "on_date": d(today)})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["action"].as_str().unwrap().contains("propose"), "{b}");
        let (s, t) = api.post(&tr, json!({"action": "propose", "on_date": d(today - Duration::days(2))})).await;
        assert_eq!(s, 200, "{t}");
        assert_eq!((t["state"].as_str(), t["deadline"]["days_left"].as_i64()), (Some("cho_quyet_dinh"), Some(3)));
        let (s, b) = api.post(&tr, json!({"action": "establish", "on_date": d(today - Duration::days(3)), "decision_no": "1/QĐ", "signer": "A"})).await;
        assert_eq!(s, 422, "a decision before the proposal");
        assert!(b["error"]["fields"]["on_date"].as_str().unwrap().contains("ngày đề nghị"), "{b}");
        let (s, t) = api.post(&tr, json!({"action": "establish", "on_date": d(today), "decision_no": "15/QĐ-UBND", "signer": "Nguyễn Văn B"})).await;
        assert_eq!(s, 200, "{t}");
        assert_eq!(t["state"], "da_thanh_lap");
        assert!(t["deadline"].is_null());

        // Eligibility at entry names the rule and its legal basis.
        let ok = person(app, id, "056080001111", "Nguyễn Văn An");
        let mut young = ok.clone();
        young["born_on"] = json!(ago(app, 17, 0));
        let (s, b) = api.post("/api/v1/members", young).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["born_on"].as_str().unwrap().contains("Điều 13 khoản 1 Luật 30/2023/QH15"), "{b}");
        let mut newcomer = ok.clone();
        newcomer["resident_since"] = json!(ago(app, 0, 100));
        let (s, b) = api.post("/api/v1/members", newcomer).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["resident_since"].as_str().unwrap().contains("chưa đủ 12 tháng"), "{b}");
        let mut no_health = ok.clone();
        no_health["health_cert_on"] = Value::Null;
        let (s, b) = api.post("/api/v1/members", no_health).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["health_cert_on"].as_str().unwrap().contains("Điều 13 khoản 5"), "{b}");
        let mut primary = ok.clone();
        primary["education"] = json!("tieu_hoc");
        primary["citizen_id"] = json!("056080002222");
        let (s, b) = api.post("/api/v1/members", primary.clone()).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["education"].as_str().unwrap().contains("THCS"), "{b}");
        // In a mountain or ethnic-minority area primary school is enough.
        let (s, b) = api.patch(&format!("/api/v1/areas/{a1}"), json!({"special_zone": true})).await;
        assert_eq!(s, 200, "{b}");
        let primary_id = member(&api, primary).await;
        let mut old = ok.clone();
        old["born_on"] = json!(ago(app, 71, 0));
        old["citizen_id"] = json!("056055003333");
        let (s, b) = api.post("/api/v1/members", old.clone()).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["over_age_decision"].as_str().unwrap().contains("70"), "{b}");
        old["over_age_decision"] = json!("30/QĐ-UBND");
        member(&api, old).await;

        // The leader and a deputy, recorded as recognised; one person holds one place.
        let leader = member(&api, recognised(app, ok.clone(), 0, "to_truong")).await;
        member(&api, recognised(app, person(app, id, "056080006666", "Đỗ Văn Phó"), 0, "to_pho")).await;
        let (s, t2) = api.post("/api/v1/teams", json!({"commune_code": "22333", "name": "Tổ thôn Đông", "area_ids": [a2]})).await;
        assert_eq!(s, 201);
        let other = t2["id"].as_i64().unwrap();
        let mut twice = ok.clone();
        twice["team_id"] = json!(other);
        let (s, b) = api.post("/api/v1/members", twice).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["citizen_id"].as_str().unwrap().contains("một Tổ bảo vệ ANTT"), "{b}");
        // A team without a decision cannot take a recognised member.
        let mut early = recognised(app, person(app, other, "056080004444", "Lê C"), 0, "to_vien");
        early["team_id"] = json!(other);
        let (s, b) = api.post("/api/v1/members", early).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["team_id"].as_str().unwrap().contains("chưa có quyết định thành lập"), "{b}");
        let (s, _) = api.post(&format!("/api/v1/teams/{other}/transitions"),
            json!({"action": "establish", "on_date": d(today), "decision_no": "17/QĐ-UBND", "signer": "B"})).await;
        assert_eq!(s, 200);

        // An application goes through the recognition steps.
        let m = format!("/api/v1/members/{primary_id}/transitions");
        let (s, v) = api.post(&m, json!({"action": "select", "on_date": d(today - Duration::days(4))})).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["deadline"]["days_left"], 1, "propose within 5 days of the minutes");
        let (s, _) = api.post(&m, json!({"action": "propose", "on_date": d(today)})).await;
        assert_eq!(s, 200);
        let (s, v) = api.post(&m, json!({"action": "recognise", "on_date": d(today), "decision_no": "16/QĐ-UBND", "signer": "B"})).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["state"], "dang_tham_gia");

        // The team: 4 people (1 leader) against a quota of 3; warnings, not refusal.
        let (_, t) = api.get(&format!("/api/v1/teams/{id}")).await;
        assert_eq!((t["size"].as_i64(), t["leaders"].as_i64()), (Some(4), Some(1)), "{t}");
        assert_eq!(t["quota"]["members"], 3);
        assert_eq!(t["warnings"][0]["kind"], "above_quota", "{t}");
        assert_eq!(t["members"].as_array().unwrap().len(), 4);
        assert!(t["events"].as_array().unwrap().iter().any(|e| e["action"] == "establish"));

        // Alerts of the commune: the second area's team has no leader and is short; a member
        // turns 70 within the alert window.
        let mut ageing = recognised(app, person(app, other, "056056005555", "Cụ Sắp Bảy Mươi"), 0, "to_vien");
        ageing["born_on"] = json!(ago(app, 70, -30));
        member(&api, ageing).await;
        let (s, al) = api.get("/api/v1/force/alerts?unit=22333").await;
        assert_eq!(s, 200, "{al}");
        let k = kinds(&al);
        assert!(k.contains(&"no_leader".into()) && k.contains(&"below_quota".into()) && k.contains(&"above_quota".into()), "{al}");
        assert!(k.contains(&"reaching_age_limit".into()), "{al}");
        assert!(!k.contains(&"area_without_team".into()), "both areas have a team: {al}");
        let prov = app.api(&app.token("tinh", "province_officer", "56").await);
        let (s, pal) = prov.get("/api/v1/force/alerts").await;
        assert_eq!(s, 200);
        let row = pal["counts"].as_array().unwrap().iter().find(|c| c["code"] == "22333").unwrap().clone();
        assert_eq!((row["no_leader"].as_i64(), row["above_quota"].as_i64()), (Some(1), Some(1)), "{pal}");

        // Termination with its legal ground and the 5-working-day clock.
        let lt = format!("/api/v1/members/{leader}/transitions");
        let (s, v) = api.post(&lt, json!({"action": "request_termination", "on_date": d(today), "ground": "don_xin_thoi"})).await;
        assert_eq!(s, 200, "{v}");
        assert!(v["deadline"]["days_left"].as_i64().unwrap() >= 5);
        // The clock counts the working days of the calendar: a day off recorded from a notice
        // by a national administrator moves it by one working day; removing it moves it back.
        let law = antq_domain::calendar::WorkCalendar::default();
        let due = |v: &Value| NaiveDate::parse_from_str(v["deadline"]["due_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let next_working = |from: NaiveDate| (1..).map(|i| from + Duration::days(i)).find(|x| law.is_working(*x)).unwrap();
        let before = due(&v);
        assert_eq!(before, law.add_working_days(today, 5));
        let off = next_working(today);
        let change = json!({"day": d(off), "kind": "nghi", "name": "Nghỉ theo thông báo", "legal_basis": "Thông báo 1/TB-CP"});
        let (s, b) = prov.post("/api/v1/calendar", change.clone()).await;
        assert_eq!(s, 403, "the calendar is national: {b}");
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let (s, b) = admin.post("/api/v1/calendar", change).await;
        assert_eq!(s, 201, "{b}");
        let member_path = format!("/api/v1/members/{leader}");
        assert_eq!(due(&api.get(&member_path).await.1), next_working(before));
        let (_, y) = api.get(&format!("/api/v1/calendar?year={}", off.year())).await;
        let row = y["days"].as_array().unwrap().iter().find(|x| x["day"] == d(off)).cloned().unwrap();
        assert_eq!((row["kind"].as_str(), row["recorded"].as_bool(), row["default_kind"].as_str()), (Some("nghi"), Some(true), Some("lam_viec")));
        let (s, b) = admin.post("/api/v1/calendar", json!({"day": d(off), "kind": "lam_viec", "name": "x", "legal_basis": "y"})).await;
        assert_eq!(s, 422, "a working weekday needs no change: {b}");
        assert!(b["error"]["fields"]["kind"].as_str().unwrap().contains("theo lịch mặc định"), "{b}");
        assert_eq!(api.delete(&format!("/api/v1/calendar/{}", d(off))).await.0, 403);
        assert_eq!(admin.delete(&format!("/api/v1/calendar/{}", d(off))).await.0, 200);
        assert_eq!(admin.delete(&format!("/api/v1/calendar/{}", d(off))).await.0, 404);
        assert_eq!(due(&api.get(&member_path).await.1), before);
        let entries = antq_store::audit::list_all(&app.ctx.db, &Default::default()).await.unwrap();
        assert_eq!(entries.iter().filter(|e| e.object_type == "calendar_day").count(), 2, "recorded and removed, audited");
        let (s, v) = api.post(&lt, json!({"action": "terminate", "on_date": d(today), "decision_no": "40/QĐ-UBND"})).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!((v["state"].as_str(), v["termination_ground"].as_str()), (Some("thoi_tham_gia"), Some("don_xin_thoi")));
        // Having left, the person may join another team.
        let mut again = ok.clone();
        again["team_id"] = json!(other);
        member(&api, again).await;

        // Dissolution closes every place held in the team.
        let (s, _) = api.post(&tr, json!({"action": "propose_dissolution", "on_date": d(today), "reason": "Sáp nhập thôn"})).await;
        assert_eq!(s, 200);
        let (s, t) = api.post(&tr, json!({"action": "dissolve", "on_date": d(today), "decision_no": "50/QĐ-UBND", "signer": "B"})).await;
        assert_eq!(s, 200, "{t}");
        assert_eq!((t["state"].as_str(), t["size"].as_i64()), (Some("giai_the"), Some(0)));
        let (_, v) = api.get(&format!("/api/v1/members/{primary_id}")).await;
        assert_eq!((v["state"].as_str(), v["termination_ground"].as_str()), (Some("thoi_tham_gia"), Some("giai_the_to")));
        let (_, al) = api.get("/api/v1/force/alerts?unit=22333").await;
        assert!(kinds(&al).contains(&"area_without_team".into()), "the dissolved team's area: {al}");
        let (s, _) = api.patch(&format!("/api/v1/teams/{id}"), json!({"name": "Đổi tên"})).await;
        assert_eq!(s, 409, "a dissolved team is not edited");
    }

    citizen_ids_are_sealed_and_read_with_permission(app) {
        let officer = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let government = app.api(&app.token("ubnd", "commune_government", "22333").await);
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let a = area(&officer, "Thôn 1", 100).await;
        let t = team(app, &officer, "Tổ 1", &[a]).await;
        let cid = "079190123456";
        let id = member(&officer, recognised(app, person(app, t, cid, "Phạm Thị Riêng"), 1, "to_truong")).await;
        for api in [&officer, &government] {
            let (s, list) = api.get("/api/v1/members").await;
            assert_eq!(s, 200);
            assert_eq!(list["items"][0]["citizen_id_masked"], "••••••••3456");
            assert!(!list.to_string().contains(cid));
        }
        let path = format!("/api/v1/members/{id}/citizen-id");
        assert_eq!(government.post(&path, json!({})).await.0, 403);
        assert_eq!(admin.post(&path, json!({})).await.0, 403, "administrators never read citizen ids");
        let (s, b) = officer.post(&path, json!({})).await;
        assert_eq!((s, b["citizen_id"].as_str()), (200, Some(cid)));
        let (_, audit) = admin.get("/api/v1/audit?action=personal_read").await;
        assert_eq!(audit["total"], 1, "{audit}");
        // Searching by the number needs the permission too.
        let (s, found) = officer.get(&format!("/api/v1/members?citizen_id={cid}")).await;
        assert_eq!((s, found["total"].as_i64()), (200, Some(1)));
        assert_eq!(government.get(&format!("/api/v1/members?citizen_id={cid}")).await.0, 403);
        // Exports: masked for the administrator, in full (and audited) for the officer.
        let (s, masked) = admin.get_bytes("/api/v1/members/export?format=csv").await;
        assert_eq!(s, 200);
        let masked = String::from_utf8(masked).unwrap();
        assert!(masked.contains("••••••••3456") && !masked.contains(cid), "{masked}");
        let (_, full) = officer.get_bytes("/api/v1/members/export?format=csv").await;
        assert!(String::from_utf8(full).unwrap().contains(cid));
        let (_, audit) = admin.get("/api/v1/audit?action=personal_read").await;
        assert_eq!(audit["total"], 2);
        // Nowhere in the database file in clear.
        if let Some(path) = app.sqlite_path() {
            let mut bytes = std::fs::read(&path).unwrap();
            if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
                bytes.extend(wal);
            }
            assert!(!bytes.windows(cid.len()).any(|w| w == cid.as_bytes()), "citizen id in clear in the SQLite file");
            assert!(bytes.windows("Phạm Thị Riêng".len()).any(|w| w == "Phạm Thị Riêng".as_bytes()), "the file was read");
        }
    }

    rating_with_cap_and_leader_rule(app) {
        let api = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let prov = app.api(&app.token("tinh", "province_officer", "56").await);
        let a = area(&api, "Thôn 2", 200).await;
        let t = team(app, &api, "Tổ 2", &[a]).await;
        let year = app.ctx.today().year() - 1;
        let mut ids = Vec::new();
        for (i, role) in ["to_truong", "to_pho", "to_vien", "to_vien", "to_vien"].iter().enumerate() {
            let p = person(app, t, &format!("05608000{i:04}"), &format!("Thành viên {i}"));
            ids.push(member(&api, recognised(app, p, 2, role)).await);
        }
        let mut newcomer = recognised(app, person(app, t, "056080009999", "Người mới"), 0, "to_vien");
        newcomer["decided_on"] = json!(ago(app, 0, 180));
        newcomer["applied_on"] = json!(ago(app, 0, 190));
        newcomer["health_cert_on"] = json!(ago(app, 0, 200));
        let newcomer = member(&api, newcomer).await;
        let sheet = format!("/api/v1/force/rating-sheets/22333/{year}");
        let (s, v) = api.get(&sheet).await;
        assert_eq!((s, v["sheet"].is_null()), (200, true));
        assert_eq!(v["lines"].as_array().unwrap().len(), 6, "the team and five members recognised before the period ended: {v}");
        let (s, v) = api.post(&sheet, json!({})).await;
        assert_eq!(s, 201, "{v}");
        let rate = |member: Option<i64>, level: &str, extra: Value| {
            let mut b = json!({"team_id": t, "member_id": member, "level": level});
            for (k, x) in extra.as_object().unwrap() {
                b[k] = x.clone();
            }
            b
        };
        let r = format!("{sheet}/ratings");
        assert_eq!(api.post(&r, rate(None, "htt", json!({}))).await.0, 200);
        let (s, b) = api.post(&r, rate(Some(ids[0]), "htxs", json!({}))).await;
        assert_eq!(s, 422, "the leader above the team");
        assert!(b["error"]["fields"]["level"].as_str().unwrap().contains("Tổ trưởng không được xếp loại cao hơn tổ"), "{b}");
        assert_eq!(api.post(&r, rate(Some(ids[0]), "htxs", json!({"newly_transferred": true}))).await.0, 200);
        for m in &ids[1..] {
            assert_eq!(api.post(&r, rate(Some(*m), "htt", json!({}))).await.0, 200);
        }
        // Too new to rate: only "chưa đánh giá" (not on this year's sheet: recognised after it ended).
        let (_, v) = api.get(&sheet).await;
        assert!(!v["lines"].as_array().unwrap().iter().any(|l| l["member_id"] == newcomer));
        // 1 "xuất sắc" for 4 "hoàn thành tốt" is above 20 %.
        let (s, b) = api.post(&format!("{sheet}/actions"), json!({"action": "submit"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["sheet"].as_str().unwrap().contains("vượt 20 %"), "{b}");
        assert_eq!(api.post(&r, rate(Some(ids[0]), "htt", json!({}))).await.0, 200);
        let (s, v) = api.post(&format!("{sheet}/actions"), json!({"action": "submit"})).await;
        assert_eq!((s, v["sheet"]["state"].as_str()), (200, Some("da_nop")), "{v}");
        assert_eq!(api.post(&format!("{sheet}/actions"), json!({"action": "approve"})).await.0, 403);
        let (s, v) = prov.post(&format!("{sheet}/actions"), json!({"action": "approve"})).await;
        assert_eq!((s, v["sheet"]["state"].as_str()), (200, Some("da_duyet")));
        assert_eq!(api.post(&r, rate(None, "ht", json!({}))).await.0, 409, "locked");
        assert_eq!(prov.post(&format!("{sheet}/actions"), json!({"action": "unlock"})).await.0, 422, "a reason");
        let (s, v) = prov.post(&format!("{sheet}/actions"), json!({"action": "unlock", "comment": "Sửa xếp loại tổ"})).await;
        assert_eq!((s, v["sheet"]["state"].as_str()), (200, Some("dang_danh_gia")));
        // This year's sheet: the newcomer (recognised 6 months ago) can only be "chưa đánh giá".
        let now = format!("/api/v1/force/rating-sheets/22333/{}", year + 1);
        assert_eq!(api.post(&now, json!({})).await.0, 201);
        let (s, b) = api.post(&format!("{now}/ratings"), json!({"team_id": t, "member_id": newcomer, "level": "htt"})).await;
        assert_eq!(s, 422);
        assert!(b["error"]["fields"]["level"].as_str().unwrap().contains("Chưa đánh giá"), "{b}");
        assert_eq!(api.post(&format!("{now}/ratings"), json!({"team_id": t, "member_id": newcomer, "level": "chua_danh_gia"})).await.0, 200);
    }

    import_is_all_or_nothing(app) {
        let api = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        area(&api, "Thôn Phú Lộc", 150).await;
        area(&api, "Thôn Tây", 700).await;
        let (s, tpl) = api.get_bytes("/api/v1/teams/template?format=csv").await;
        assert_eq!(s, 200);
        assert!(String::from_utf8(tpl).unwrap().contains("Khu dân cư phụ trách"));
        let teams = "Mã xã,Tên tổ,Khu dân cư phụ trách,Số quyết định thành lập,Ngày quyết định,Người ký\n\
            22333,Tổ Phú Lộc,Thôn Phú Lộc,10/QĐ-UBND,01/02/2024,Chủ tịch UBND xã\n\
            22333,Tổ Tây,thon tay,,,\n";
        let (s, r) = api.post_bytes("/api/v1/teams/import?dry_run=false", teams.as_bytes().to_vec()).await;
        assert_eq!((s, r["created"].as_i64()), (200, Some(2)), "{r}");
        let (_, list) = api.get("/api/v1/teams").await;
        let states: Vec<&str> = list["items"].as_array().unwrap().iter().map(|t| t["state"].as_str().unwrap()).collect();
        assert!(states.contains(&"da_thanh_lap") && states.contains(&"du_kien"), "{list}");
        let (_, r) = api.post_bytes("/api/v1/teams/import?dry_run=false", teams.as_bytes().to_vec()).await;
        assert_eq!(r["created"], 0, "duplicates refused: {r}");

        let members = "Mã xã,Tên tổ,Họ và tên,Ngày sinh,Giới tính,CCCD,Trình độ học vấn,Ngày giấy chứng nhận sức khỏe,Cư trú từ ngày,Chức danh,Số quyết định công nhận,Ngày quyết định công nhận,Người ký\n\
            22333,Tổ Phú Lộc,Nguyễn Văn A,01/01/1975,Nam,056075000001,THCS,01/01/2024,01/01/2000,Tổ trưởng,11/QĐ-UBND,05/02/2024,Chủ tịch\n\
            22333,Tổ Phú Lộc,Trần Thị B,02/02/2015,Nữ,056015000002,THCS,01/01/2024,01/01/2000,Tổ viên,,,\n";
        let (s, r) = api.post_bytes("/api/v1/members/import?dry_run=false", members.as_bytes().to_vec()).await;
        assert_eq!(s, 200);
        assert_eq!((r["committed"].as_bool(), r["created"].as_i64()), (Some(false), Some(0)), "{r}");
        assert!(r["errors"].to_string().contains("Chưa đủ 18 tuổi"), "{r}");
        assert_eq!(api.get("/api/v1/members").await.1["total"], 0, "nothing written");
        let fixed = members.replace("02/02/2015", "02/02/1985");
        let (_, r) = api.post_bytes("/api/v1/members/import?dry_run=true", fixed.as_bytes().to_vec()).await;
        assert_eq!((r["valid"].as_i64(), r["created"].as_i64()), (Some(2), Some(0)), "{r}");
        let (_, r) = api.post_bytes("/api/v1/members/import?dry_run=false", fixed.as_bytes().to_vec()).await;
        assert_eq!(r["created"], 2, "{r}");
        let (_, list) = api.get("/api/v1/members?role=to_truong").await;
        assert_eq!((list["total"].as_i64(), list["items"][0]["state"].as_str()), (Some(1), Some("dang_tham_gia")));
        let (_, r) = api.post_bytes("/api/v1/members/import?dry_run=true", fixed.as_bytes().to_vec()).await;
        assert!(r["errors"].to_string().contains("một Tổ bảo vệ ANTT"), "a second import of the same people: {r}");
        let (s, x) = api.get_bytes("/api/v1/teams/export?format=xlsx").await;
        assert_eq!((s, &x[..2]), (200, &b"PK"[..]));
    }

    allowance_medal_stats_and_training(app) {
        let api = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let prov = app.api(&app.token("tinh", "province_officer", "56").await);
        let a = area(&api, "Thôn 3", 300).await;
        area(&api, "Thôn 4", 100).await;
        let t = team(app, &api, "Tổ 3", &[a]).await;
        let leader = member(&api, recognised(app, person(app, t, "056080000010", "Tổ Trưởng"), 1, "to_truong")).await;
        let mut woman = recognised(app, person(app, t, "056080000011", "Bà Năm"), 2, "to_vien");
        woman["sex"] = json!("nu");
        woman["prior_service"] = json!("bao_ve_dan_pho");
        woman["prior_months"] = json!(96);
        woman["prior_special_months"] = json!(24);
        let woman = member(&api, woman).await;

        // No rate set by the province yet: a clear message.
        let month = app.ctx.today().format("%Y-%m").to_string();
        let (s, b) = api.get(&format!("/api/v1/force/allowances?month={month}")).await;
        assert_eq!(s, 409);
        assert!(b["error"]["message"].as_str().unwrap().contains("mức hỗ trợ"), "{b}");
        for (code, v) in [("force_allowance_to_truong", "1.800.000"), ("force_allowance_to_vien", "1200000")] {
            let (s, b) = prov.post("/api/v1/rules", json!({"code": code, "province_code": "56", "value": v,
                "legal_basis": "Nghị quyết HĐND tỉnh", "valid_from": "2024-07-01"})).await;
            assert_eq!(s, 201, "{b}");
        }
        let (s, sheet) = api.get(&format!("/api/v1/force/allowances?month={month}")).await;
        assert_eq!(s, 200, "{sheet}");
        assert_eq!((sheet["lines"].as_array().unwrap().len(), sheet["total"].as_i64()), (2, Some(3_000_000)), "{sheet}");
        let (s, x) = api.get_bytes(&format!("/api/v1/force/allowances/export?month={month}")).await;
        assert_eq!((s, &x[..2]), (200, &b"PK"[..]));

        // Kỷ niệm chương: 72 + 24 × 2 months before, 24 as a member = 144 months ≥ 10 years
        // for a woman; no approved rating yet, so not eligible.
        let (_, m) = api.get("/api/v1/force/medals").await;
        let line = m["items"].as_array().unwrap().iter().find(|l| l["member_id"] == woman).unwrap().clone();
        assert_eq!((line["standing"]["counted_months"].as_i64(), line["standing"]["required_months"].as_i64()), (Some(144), Some(120)), "{line}");
        assert_eq!((line["standing"]["enough_time"].as_bool(), line["standing"]["eligible"].as_bool()), (Some(true), Some(false)));
        let l2 = m["items"].as_array().unwrap().iter().find(|l| l["member_id"] == leader).unwrap().clone();
        assert_eq!(l2["standing"]["enough_time"], false);

        // Statistics: coverage 1 of 2 areas; members by role and sex.
        let (s, st) = prov.get("/api/v1/stats/force").await;
        assert_eq!(s, 200, "{st}");
        let row = st["rows"].as_array().unwrap().iter().find(|r| r["code"] == "22333").unwrap().clone();
        assert_eq!(row["counts"], json!([1, 1, 2, 2, 1]), "{row}");
        assert_eq!(row["coverage"], 50.0);
        let (_, st) = prov.get("/api/v1/stats/force?by=sex").await;
        assert_eq!(st["totals"], json!([1, 1]));
        let (_, st) = prov.get("/api/v1/stats/force?by=age").await;
        assert_eq!(st["totals"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).sum::<i64>(), 2);
        assert_eq!(prov.get("/api/v1/stats/force?by=mau").await.0, 422);
        let (s, x) = prov.get_bytes("/api/v1/stats/force/export?by=education").await;
        assert_eq!((s, &x[..2]), (200, &b"PK"[..]));

        // Training: a province course, a trainee, a pass needs the certificate number.
        let (s, c) = prov.post("/api/v1/force/courses", json!({"title": "Bồi dưỡng nghiệp vụ", "topics": ["tuan_tra", "pccc"],
            "starts_on": ago(app, 0, 10), "ends_on": ago(app, 0, 8), "organiser": "Công an tỉnh"})).await;
        assert_eq!(s, 201, "{c}");
        let course = c["id"].as_i64().unwrap();
        let (s, tr) = api.post(&format!("/api/v1/force/courses/{course}/trainees"), json!({"member_id": woman})).await;
        assert_eq!(s, 200, "{tr}");
        assert_eq!(api.post(&format!("/api/v1/force/courses/{course}/trainees"), json!({"member_id": woman})).await.0, 409);
        let trainee = tr["items"][0]["id"].as_i64().unwrap();
        let (s, _) = api.post(&format!("/api/v1/force/courses/{course}/trainees/{trainee}"), json!({"result": "dat"})).await;
        assert_eq!(s, 422);
        let (s, tr) = api.post(&format!("/api/v1/force/courses/{course}/trainees/{trainee}"), json!({"result": "dat", "certificate_no": "CC-001"})).await;
        assert_eq!((s, tr["items"][0]["result"].as_str()), (200, Some("dat")));
        let (_, c) = prov.get(&format!("/api/v1/force/courses/{course}")).await;
        assert_eq!((c["trainees"].as_array().unwrap().len(), c["passed"].as_i64()), (1, Some(1)));
    }

    the_calendar_page_shows_holidays_and_records_notices(app) {
        app.user("quantri", "admin", "56").await;
        let b = app.browser();
        let csrf = b.login("quantri", PASSWORD).await;
        let (s, page, _) = b.get("/calendar?year=2026").await;
        assert_eq!(s, 200);
        assert!(page.contains("Tết Âm lịch") && page.contains("17/02/2026") && page.contains("Nghỉ bù Giỗ Tổ Hùng Vương"), "{page}");
        let (s, page, _) = b.post("/calendar", &[("_csrf", &csrf), ("day", "2026-01-03"), ("kind", "nghi"), ("name", "Nghỉ"), ("legal_basis", "TB 1")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("theo lịch mặc định") && page.contains("value=\"TB 1\""), "refused and refilled: {page}");
        let (s, page, _) = b.post("/calendar", &[("_csrf", &csrf), ("day", "2026-01-10"), ("kind", "lam_viec"), ("name", "Làm bù cho ngày 2/1"), ("legal_basis", "Thông báo 6150/TB-BNV")]).await;
        assert_eq!(s, 200, "{page}");
        assert!(page.contains("Làm bù cho ngày 2/1") && page.contains("/calendar/2026-01-10/remove"), "{page}");
        let (s, page, _) = b.post("/calendar/2026-01-10/remove", &[("_csrf", &csrf)]).await;
        assert_eq!(s, 200);
        assert!(!page.contains("Làm bù cho ngày 2/1</td>"), "{page}");
        // Officers of a province read the calendar but do not change it.
        app.user("canbotinh", "province_officer", "56").await;
        let o = app.browser();
        o.login("canbotinh", PASSWORD).await;
        let (s, page, _) = o.get("/calendar").await;
        assert_eq!(s, 200);
        assert!(!page.contains("action=\"/calendar\""), "no form: {page}");
    }

    force_pages_work_without_javascript(app) {
        app.user("canbo", "commune_officer", "22333").await;
        let api = app.api(&app.token("canboxa", "commune_officer", "22333").await);
        let a = area(&api, "Thôn Bắc", 250).await;
        let b = app.browser();
        let csrf = b.login("canbo", PASSWORD).await;
        let (s, page, _) = b.get("/teams/new").await;
        assert_eq!(s, 200);
        assert!(page.contains("Thôn Bắc"), "the commune's areas to tick: {page}");
        let area_id = a.to_string();
        let (s, page, _) = b.post("/teams", &[("_csrf", &csrf), ("commune_code", "22333"), ("name", "")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("Tên tổ không được để trống"), "{page}");
        let (s, _, loc) = b.post("/teams", &[("_csrf", &csrf), ("commune_code", "22333"), ("name", "Tổ thôn Bắc"), ("area_ids", &area_id)]).await;
        assert_eq!(s, 303);
        let team = loc.unwrap().split('?').next().unwrap().to_string();
        let (s, page, _) = b.get(&team).await;
        assert_eq!(s, 200);
        assert!(page.contains("Tổ thôn Bắc") && page.contains("Dự kiến thành lập") && page.contains("id=\"steps\""), "{page}");
        let (s, _, _) = b.post(&format!("{team}/step"), &[("_csrf", &csrf), ("action", "establish"), ("on_date", &app.ctx.today().to_string()), ("decision_no", "9/QĐ"), ("signer", "B")]).await;
        assert_eq!(s, 303);
        let team_id = team.rsplit('/').next().unwrap().to_string();
        let (s, page, _) = b.get(&format!("/members/new?team={team_id}")).await;
        assert_eq!(s, 200);
        let (s, page2, _) = b.post("/members", &[("_csrf", &csrf), ("team_id", &team_id), ("full_name", "Vũ Văn Nhỏ"), ("born_on", "2015-01-01"),
            ("sex", "nam"), ("citizen_id", "056015000777"), ("education", "thcs"), ("health_cert_on", "2026-01-01"), ("resident_since", "2015-01-01"), ("role", "to_vien")]).await;
        assert_eq!(s, 422, "{page}");
        assert!(page2.contains("Chưa đủ 18 tuổi"), "{page2}");
        let (s, _, loc) = b.post("/members", &[("_csrf", &csrf), ("team_id", &team_id), ("full_name", "Vũ Văn Lớn"), ("born_on", "1985-01-01"),
            ("sex", "nam"), ("citizen_id", "056085000777"), ("education", "thcs"), ("health_cert_on", "2026-01-01"), ("resident_since", "2015-01-01"), ("role", "to_truong")]).await;
        assert_eq!(s, 303);
        let m = loc.unwrap().split('?').next().unwrap().to_string();
        let (_, page, _) = b.get(&m).await;
        assert!(page.contains("••••••••0777") && !page.contains("056085000777"), "masked on the page");
        let (s, page, _) = b.post(&format!("{m}/citizen-id"), &[("_csrf", &csrf)]).await;
        assert_eq!(s, 200);
        assert!(page.contains("056085000777"), "shown in full on request");
        for p in ["/teams", "/members", "/force/alerts", "/force/courses", "/force/allowances", "/force/medals", "/stats/force", "/stats/force?by=age", &format!("/force/ratings/22333/{}", app.ctx.today().year())] {
            let (s, page, _) = b.get(p).await;
            assert_eq!(s, 200, "{p}: {page}");
        }
        let (s, _, loc) = b.get("/force/ratings").await;
        assert_eq!((s, loc.is_some()), (303, true), "a commune officer goes to the commune's sheet");
        // The dashboard counts open and overdue crime reports for roles that read them only.
        let (_, home, _) = b.get("/").await;
        assert!(home.contains("id=\"kpi-reports-open\"") && home.contains("id=\"kpi-reports-overdue\""), "{home}");
        app.user("ubndxa", "commune_government", "22333").await;
        let g = app.browser();
        g.login("ubndxa", PASSWORD).await;
        let (_, home, _) = g.get("/").await;
        assert!(!home.contains("kpi-reports-open"), "counts-only roles do not see the report queue on the dashboard");
    }
}

app_tests! {
    demo_dataset_holds_a_consistent_force(app) {
        let sum = antq_app::demo::generate(&app.ctx, antq_app::demo::Scope::Province("56".into()), 7, None).await.unwrap();
        assert!(sum.force_teams > 500 && sum.force_members > 3 * sum.force_teams / 2, "{sum:?}");
        let prov = app.api(&app.token("tinh", "province_officer", "56").await);
        let (s, st) = prov.get("/api/v1/stats/force").await;
        assert_eq!(s, 200);
        let coverage = st["coverage"].as_f64().unwrap();
        assert!((90.0..100.0).contains(&coverage), "most areas have a team, a few do not: {coverage}");
        let al = serde_json::json!({"items": prov.all_items("/api/v1/force/alerts").await});
        let k = kinds(&al);
        for kind in ["area_without_team", "below_quota", "no_leader", "reaching_age_limit"] {
            assert!(k.contains(&kind.to_string()), "the demo shows every kind of alert: {kind} in {al}");
        }
        // Every generated member passes the same checks as one entered by hand: re-saving
        // any of them unchanged is accepted.
        let (_, list) = prov.get("/api/v1/members?per_page=50&state=dang_tham_gia").await;
        for m in list["items"].as_array().unwrap() {
            let (s, b) = prov.patch(&format!("/api/v1/members/{}", m["id"]), json!({})).await;
            assert_eq!(s, 200, "{m} → {b}");
        }
        let (s, sheet) = prov.get(&format!("/api/v1/force/allowances?commune={}", list["items"][0]["commune_code"].as_str().unwrap())).await;
        assert_eq!(s, 200, "the demo province has allowance rates: {sheet}");
    }
}
