//! Accounts, tokens, throttling, two-step login and the audit trail, over HTTP.

use serde_json::{Value, json};

use crate::app_tests;
use crate::support::{PASSWORD, hidden};

async fn post_with_request_id(app: &crate::support::TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .header("x-request-id", "req-abc-123")
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

app_tests! {
    every_change_is_audited_and_readable_in_scope(app) {
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let officer = app.api(&app.token("canbo", "commune_officer", "22333").await);
        let auditor = app.api(&app.token("thanhtra", "auditor", "56").await);
        let other_auditor = app.api(&app.token("thanhtra_hn", "auditor", "01").await);
        let (s, area) = post_with_request_id(app, &officer.token_for_raw_requests(), "/api/v1/areas",
            json!({"commune_code": "22333", "name": "Thôn Một", "kind": "thon", "households": 10})).await;
        assert_eq!(s, 201, "{area}");
        let id = area["id"].as_i64().unwrap();
        let (s, _) = officer.patch(&format!("/api/v1/areas/{id}"), json!({"households": 12})).await;
        assert_eq!(s, 200);

        let (s, list) = admin.get(&format!("/api/v1/audit?object_type=area&object_id={id}")).await;
        assert_eq!(s, 200, "{list}");
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{list}");
        let (update, create) = (&items[0], &items[1]);
        assert_eq!((create["action"].as_str(), create["username"].as_str()), (Some("create"), Some("canbo")));
        assert_eq!(create["request_id"], "req-abc-123");
        assert_eq!(create["commune_code"], "22333");
        assert!(create["changes"].as_str().unwrap().contains("Thôn Một"));
        let changes: Value = serde_json::from_str(update["changes"].as_str().unwrap()).unwrap();
        assert_eq!(changes, json!([{"field": "households", "before": "10", "after": "12"}]));

        // Only audit readers, and only in their scope.
        assert_eq!(officer.get("/api/v1/audit").await.0, 403);
        assert_eq!(auditor.get("/api/v1/audit?object_type=area").await.1["total"], 2);
        assert_eq!(admin.get("/api/v1/audit?object_type=area&unit=22333").await.1["total"], 2);
        assert_eq!(admin.get("/api/v1/audit?object_type=area&unit=56").await.1["total"], 0);
        assert_eq!(other_auditor.get("/api/v1/audit?object_type=area").await.1["total"], 0);
        assert_eq!(other_auditor.get("/api/v1/audit?province=56").await.0, 403);
        // The auditor reads but never writes.
        let (s, _) = auditor.post("/api/v1/areas", json!({"commune_code": "22333", "name": "X", "kind": "thon"})).await;
        assert_eq!(s, 403);
        // The chain checks out.
        assert_eq!(admin.get("/api/v1/audit/verify").await.1["intact"], true);
        assert_eq!(auditor.get("/api/v1/audit/verify").await.1["intact"], true);
        assert_eq!(officer.get("/api/v1/audit/verify").await.0, 403);
        assert_eq!(admin.get("/api/v1/audit?from=2025-13-01").await.0, 422);
        let (s, csv) = admin.get_bytes("/api/v1/audit/export?format=csv&object_type=area").await;
        assert_eq!(s, 200);
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert!(csv.contains("req-abc-123"));
    }

    accounts_and_tokens_are_administered(app) {
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let weak = json!({"username": "xa1", "role": "commune_officer", "unit_code": "22333", "password": "password1234"});
        let (s, e) = admin.post("/api/v1/users", weak).await;
        assert_eq!((s, e["error"]["fields"]["password"].is_string()), (422, true), "{e}");
        let (s, u) = admin.post("/api/v1/users",
            json!({"username": "xa1", "role": "commune_officer", "unit_code": "22333", "password": PASSWORD})).await;
        assert_eq!(s, 201, "{u}");
        let uid = u["id"].as_i64().unwrap();
        let (s, t) = admin.post(&format!("/api/v1/users/{uid}/tokens"), json!({"name": "đọc", "read_only": true, "expires_in_days": 30})).await;
        assert_eq!(s, 201, "{t}");
        let ro = app.api(t["token"].as_str().unwrap());
        assert_eq!(ro.get("/api/v1/areas").await.0, 200);
        let (s, e) = ro.post("/api/v1/areas", json!({"commune_code": "22333", "name": "X", "kind": "thon"})).await;
        assert_eq!(s, 403, "{e}");
        // Non-admins cannot administer accounts.
        assert_eq!(ro.get("/api/v1/users").await.0, 403);
        // Disabling stops the token at once; enabling brings it back.
        assert_eq!(admin.patch(&format!("/api/v1/users/{uid}"), json!({"active": false})).await.0, 200);
        assert_eq!(ro.get("/api/v1/areas").await.0, 401);
        assert_eq!(admin.patch(&format!("/api/v1/users/{uid}"), json!({"active": true})).await.0, 200);
        assert_eq!(ro.get("/api/v1/areas").await.0, 200);
        // Revoking stops it for good.
        let (_, tokens) = admin.get(&format!("/api/v1/tokens?user_id={uid}")).await;
        let tid = tokens["items"][0]["id"].as_i64().unwrap();
        assert_eq!(tokens["items"][0]["read_only"], true);
        assert_eq!(admin.post(&format!("/api/v1/tokens/{tid}/revoke"), json!({})).await.0, 200);
        assert_eq!(ro.get("/api/v1/areas").await.0, 401);
        // A role change must fit the unit, and is audited as a permission change.
        let (s, _) = admin.patch(&format!("/api/v1/users/{uid}"), json!({"role": "province_officer"})).await;
        assert_eq!(s, 422);
        let (s, u) = admin.patch(&format!("/api/v1/users/{uid}"), json!({"role": "commune_government"})).await;
        assert_eq!((s, u["role"].as_str()), (200, Some("commune_government")));
        let (_, log) = admin.get("/api/v1/audit?action=permission_change").await;
        assert_eq!(log["total"], 1);
        // An administrator cannot lock themselves out.
        let (_, me) = admin.get("/api/v1/users").await;
        let my_id = me["items"].as_array().unwrap().iter().find(|u| u["username"] == "quantri").unwrap()["id"].as_i64().unwrap();
        assert_eq!(admin.patch(&format!("/api/v1/users/{my_id}"), json!({"active": false})).await.0, 409);
        let (_, access) = admin.get("/api/v1/access").await;
        assert_eq!((access["items"].as_array().unwrap().len(), access["total"].as_i64()), (7, Some(7)));
    }

    sessions_end_when_an_account_is_disabled(app) {
        app.user("xa2", "commune_officer", "22333").await;
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let b = app.browser();
        b.login("xa2", PASSWORD).await;
        assert_eq!(b.get("/areas").await.0, 200);
        let (_, users) = admin.get("/api/v1/users").await;
        let uid = users["items"].as_array().unwrap().iter().find(|u| u["username"] == "xa2").unwrap()["id"].as_i64().unwrap();
        assert_eq!(admin.post(&format!("/api/v1/users/{uid}/revoke-sessions"), json!({})).await.0, 204);
        let (s, _, loc) = b.get("/areas").await;
        assert_eq!((s, loc.as_deref().map(|l| l.starts_with("/login"))), (303, Some(true)));
    }

    failed_logins_are_throttled_and_audited(app) {
        app.user("xa3", "commune_officer", "22333").await;
        let b = app.browser();
        let (_, page, _) = b.get("/login").await;
        let pre = hidden(&page, "_csrf");
        let mut throttled = None;
        for _ in 0..10 {
            let r = b.http.post(app.url("/login"))
                .form(&[("_csrf", pre.as_str()), ("username", "xa3"), ("password", "sai-mat-khau-roi"), ("next", "/")])
                .send().await.unwrap();
            if r.status() == 429 {
                throttled = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
                break;
            }
            assert_eq!(r.status(), 401);
        }
        let wait: u64 = throttled.expect("throttled after repeated failures").parse().unwrap();
        assert!((1..=900).contains(&wait));
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let (_, log) = admin.get("/api/v1/audit?action=login_failed").await;
        assert!(log["total"].as_i64().unwrap() >= 6, "{log}");
        assert!(!log.to_string().contains("sai-mat-khau-roi"), "passwords never reach the audit trail");
    }

    two_step_login(app) {
        app.user("xa4", "commune_officer", "22333").await;
        let b = app.browser();
        let csrf = b.login("xa4", PASSWORD).await;
        let (_, page, _) = b.get("/account").await;
        let secret = page.split("id=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
        let code = |offset: i64| {
            let key = base32_decode(&secret);
            let step = (chrono::Utc::now().timestamp() / 30 + offset) as u64;
            format!("{:06}", antq_app::totp::hotp(&key, step))
        };
        let (s, page, _) = b.post("/account/totp", &[("_csrf", &csrf), ("secret", &secret), ("code", "000000")]).await;
        assert_eq!(s, 422, "a wrong code does not turn it on");
        assert!(page.contains("Mã xác thực không đúng"));
        let (s, page, _) = b.post("/account/totp", &[("_csrf", &csrf), ("secret", &secret), ("code", &code(0))]).await;
        assert_eq!(s, 200);
        let recovery = page.split("<code>").nth(1).unwrap().split('<').next().unwrap().to_string();
        let fresh = app.browser();
        let (_, login, _) = fresh.get("/login").await;
        let pre = hidden(&login, "_csrf");
        let (s, _, _) = fresh.post("/login", &[("_csrf", &pre), ("username", "xa4"), ("password", PASSWORD)]).await;
        assert_eq!(s, 401, "password alone is not enough");
        let (s, _, _) = fresh.post("/login", &[("_csrf", &pre), ("username", "xa4"), ("password", PASSWORD), ("code", &code(0))]).await;
        assert_eq!(s, 303);
        // A recovery code works once.
        let other = app.browser();
        let (_, login, _) = other.get("/login").await;
        let pre = hidden(&login, "_csrf");
        let form = [("_csrf", pre.as_str()), ("username", "xa4"), ("password", PASSWORD), ("code", recovery.as_str())];
        assert_eq!(other.post("/login", &form).await.0, 303);
        let again = app.browser();
        let (_, login, _) = again.get("/login").await;
        let pre = hidden(&login, "_csrf");
        let form = [("_csrf", pre.as_str()), ("username", "xa4"), ("password", PASSWORD), ("code", recovery.as_str())];
        assert_eq!(again.post("/login", &form).await.0, 401);
        // An administrator turns it off for a user who lost both.
        let users = antq_app::accounts::list_users(&app.ctx, &antq_app::Actor::cli()).await.unwrap();
        let id = users.iter().find(|u| u.username == "xa4").unwrap().id;
        antq_app::accounts::reset_totp(&app.ctx, &antq_app::Actor::cli(), id).await.unwrap();
        let last = app.browser();
        last.login("xa4", PASSWORD).await;
    }
}

fn base32_decode(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut out, mut buf, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.bytes() {
        buf = (buf << 5) | A.iter().position(|x| *x == c).unwrap() as u32;
        bits += 5;
        if bits >= 8 {
            out.push((buf >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    out
}
