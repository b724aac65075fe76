//! The authorisation matrix: every route of the router (read from the router's own table,
//! so a new route cannot escape) × every role × an object in the caller's place and one
//! outside it, plus anonymous callers and CSRF on every unsafe method.

use antq_domain::access::{Permission, Role};
use antq_web::{Guard, RouteRule};
use reqwest::Method;
use serde_json::{Value, json};

use crate::app_tests;
use crate::support::{Api, TestApp};

/// Ids of one set of objects placed in one commune.
pub(crate) struct Place {
    area: i64,
    establishment: i64,
    model: i64,
    site: i64,
    document: i64,
    model_type: i64,
    round: i64,
    rating: i64,
    antt: i64,
    classification: i64,
    exemplar: i64,
    report: i64,
    attachment: i64,
    user: i64,
    token: i64,
    team: i64,
    member: i64,
    member_document: i64,
    course: i64,
    trainee: i64,
    activity: i64,
    activity_kind: i64,
    opinion: i64,
    activity_document: i64,
    commendation: i64,
    commune: &'static str,
}

async fn id(r: (u16, Value)) -> i64 {
    assert!(r.0 == 200 || r.0 == 201, "{r:?}");
    r.1["id"].as_i64().unwrap_or_else(|| panic!("{r:?}"))
}

pub(crate) async fn place(app: &TestApp, admin: &Api, province: &'static str, commune: &'static str) -> Place {
    let officer = app.api(&app.token(&format!("tinh{province}"), "province_officer", province).await);
    let model_type =
        id(officer.post("/api/v1/model-types", json!({"name": format!("Mô hình riêng {province}")})).await).await;
    let area =
        id(admin.post("/api/v1/areas", json!({"commune_code": commune, "name": "Thôn A", "kind": "thon"})).await).await;
    let establishment = id(admin
        .post("/api/v1/establishments", json!({"commune_code": commune, "name": "Trường B", "kind": "co_so_giao_duc"}))
        .await)
    .await;
    let model = id(admin
        .post(
            "/api/v1/models",
            json!({"name": "Camera", "type_id": model_type, "level": "xa", "commune_code": commune,
            "origin_kind": "xa", "host_org": "cong_an", "scope": "toan_dien", "registered_on": "2023-12-01"}),
        )
        .await)
    .await;
    let site = id(admin
        .post(&format!("/api/v1/models/{model}/sites"), json!({"name": "Điểm 1", "commune_code": commune}))
        .await)
    .await;
    for (to, date) in [("xay_dung", "2024-01-01"), ("da_ra_mat", "2024-02-01"), ("hoat_dong", "2024-02-01")] {
        let (s, b) =
            admin.post(&format!("/api/v1/models/{model}/transitions"), json!({"to": to, "on_date": date})).await;
        assert_eq!(s, 200, "{b}");
    }
    let round = id(officer.post("/api/v1/rating-rounds", json!({"year": 2026})).await).await;
    let rating = id(admin
        .post(&format!("/api/v1/rating-rounds/{round}/ratings"), json!({"model_id": model, "rating": "kha"}))
        .await)
    .await;
    let antt = id(admin
        .post(
            "/api/v1/antt",
            json!({"area_id": area, "year": 2026, "registered_on": "2026-02-01", "households_pct": 100}),
        )
        .await)
    .await;
    let classification = id(admin.post("/api/v1/classifications", json!({"area_id": area, "year": 2026})).await).await;
    let exemplar = id(admin
        .post("/api/v1/exemplars", json!({"commune_code": commune, "year": 2026, "registered_on": "2026-03-01"}))
        .await)
    .await;
    let form = reqwest::multipart::Form::new()
        .text("title", "Kế hoạch")
        .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("kh.pdf"));
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/models/{model}/documents")))
        .bearer_auth(admin.token_for_raw_requests())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let document = id((r.status().as_u16(), r.json().await.unwrap())).await;
    // A citizen's report routed to the commune, with a file.
    let form = reqwest::multipart::Form::new()
        .text(
            "report",
            json!({"category": "ma_tuy", "summary": "Có người bán ma túy ở chợ", "province_code": province,
                "commune_code": commune, "anonymous": true})
            .to_string(),
        )
        .part("files", reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("anh.pdf"));
    let r = reqwest::Client::new().post(app.url("/api/v1/public/reports")).multipart(form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let code = r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_string();
    let (_, q) = officer.get(&format!("/api/v1/reports?unit=all&q={code}")).await;
    let report = q["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("{q}"));
    let (_, d) = officer.get(&format!("/api/v1/reports/{report}")).await;
    let attachment = d["attachments"][0]["id"].as_i64().unwrap();
    let username = format!("nguoi{commune}");
    app.user(&username, "viewer", commune).await;
    let (_, users) = admin.get("/api/v1/users").await;
    let user = users["items"].as_array().unwrap().iter().find(|u| u["username"] == username.as_str()).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (_, t) = admin.post(&format!("/api/v1/users/{user}/tokens"), json!({"name": "x"})).await;
    assert!(t["token"].is_string());
    let (_, tokens) = admin.get(&format!("/api/v1/tokens?user_id={user}")).await;
    let token = tokens["items"][0]["id"].as_i64().unwrap();
    // The base-level force: an established team, a member with a document, a course with
    // the member as trainee, and the commune's rating sheet of this year.
    let team =
        id(admin.post("/api/v1/teams", json!({"commune_code": commune, "name": "Tổ A", "area_ids": [area]})).await)
            .await;
    let (s, b) = admin
        .post(
            &format!("/api/v1/teams/{team}/transitions"),
            json!({"action": "establish", "on_date": "2025-01-10", "decision_no": "1/QĐ", "signer": "Chủ tịch"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let cid = format!("0{province}0800{}", &commune[..5]);
    let member = id(admin
        .post("/api/v1/members", json!({"team_id": team, "full_name": "Nguyễn Văn Tổ", "born_on": "1980-01-01", "sex": "nam",
            "citizen_id": cid, "education": "thcs", "health_cert_on": "2025-01-01", "resident_since": "2000-01-01", "role": "to_truong",
            "decision_no": "2/QĐ", "decided_on": "2025-01-15", "signer": "Chủ tịch"}))
        .await)
    .await;
    let form = reqwest::multipart::Form::new()
        .text("title", "Đơn đề nghị")
        .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("don.pdf"));
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/members/{member}/documents")))
        .bearer_auth(admin.token_for_raw_requests())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let member_document = id((r.status().as_u16(), r.json().await.unwrap())).await;
    let course = id(admin
        .post(
            "/api/v1/force/courses",
            json!({"commune_code": commune, "title": "Lớp", "topics": ["tuan_tra"],
            "starts_on": "2025-03-01", "ends_on": "2025-03-02", "organiser": "Công an xã"}),
        )
        .await)
    .await;
    let (s, t) = admin.post(&format!("/api/v1/force/courses/{course}/trainees"), json!({"member_id": member})).await;
    assert_eq!(s, 200, "{t}");
    let trainee = t["items"][0]["id"].as_i64().unwrap();
    let year = chrono::Datelike::year(&app.ctx.today());
    assert_eq!(admin.post(&format!("/api/v1/force/rating-sheets/{commune}/{year}"), json!({})).await.0, 201);
    // A conference with an opinion waiting for its answer and a document, the province's own
    // kind, and a commune's proposal for a commendation.
    let activity_kind = id(officer
        .post("/api/v1/activity-kinds", json!({"name": format!("Hội thi riêng {province}"), "shape": "chung"}))
        .await)
    .await;
    let (_, kinds) = admin.get("/api/v1/activity-kinds?per_page=200").await;
    let conference =
        kinds["items"].as_array().unwrap().iter().find(|k| k["code"] == "hoi_nghi_lang_nghe").unwrap()["id"]
            .as_i64()
            .unwrap();
    let activity = id(admin
        .post(
            "/api/v1/activities",
            json!({"commune_code": commune, "kind_id": conference, "title": "Hội nghị lắng nghe",
            "starts_on": "2025-05-10", "organiser_kind": "cong_an", "participants": 80, "model_ids": [model]}),
        )
        .await)
    .await;
    let opinion = id(admin
        .post(
            &format!("/api/v1/activities/{activity}/opinions"),
            json!({"topic": "Giao thông", "content": "Đèn đường hỏng",
            "tasked_unit": "UBND xã", "due_on": "2025-06-10"}),
        )
        .await)
    .await;
    let form = reqwest::multipart::Form::new()
        .text("title", "Biên bản hội nghị")
        .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("bien-ban.pdf"));
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/activities/{activity}/documents")))
        .bearer_auth(admin.token_for_raw_requests())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let activity_document = id((r.status().as_u16(), r.json().await.unwrap())).await;
    let commendation = id(admin
        .post(
            "/api/v1/commendations",
            json!({"commune_code": commune, "form": "giay_khen_ubnd_xa", "reason": "Thành tích",
            "recipient_kind": "tap_the", "recipient_name": "Thôn A"}),
        )
        .await)
    .await;
    Place {
        activity,
        activity_kind,
        opinion,
        activity_document,
        commendation,
        team,
        member,
        member_document,
        course,
        trainee,
        area,
        establishment,
        model,
        site,
        document,
        model_type,
        round,
        rating,
        antt,
        classification,
        exemplar,
        report,
        attachment,
        user,
        token,
        commune,
    }
}

/// The concrete path of a rule for objects of `p`; whether the object has a place.
fn concrete(rule: &RouteRule, p: &Place) -> (String, bool) {
    let path = rule.path.as_str();
    let object = match path.trim_start_matches("/api/v1").split('/').nth(1).unwrap_or("") {
        "areas" => Some(p.area),
        "establishments" => Some(p.establishment),
        "models" => Some(p.model),
        "model-types" => Some(p.model_type),
        "rating-rounds" => Some(p.round),
        "ratings" | "rating-follow-ups" => Some(p.rating),
        "antt" => Some(p.antt),
        "classifications" => Some(p.classification),
        "exemplars" => Some(p.exemplar),
        "reports" => Some(p.report),
        "teams" => Some(p.team),
        "members" => Some(p.member),
        "force" if path.contains("/courses/") => Some(p.course),
        "activities" => Some(p.activity),
        "activity-kinds" => Some(p.activity_kind),
        "commendations" => Some(p.commendation),
        "users" => Some(p.user),
        "tokens" => Some(p.token),
        "admin" if path.starts_with("/admin/users") => Some(p.user),
        "admin" => Some(p.token),
        _ => None,
    };
    let placed = (path.contains("{id}") && object.is_some()) || path.contains("{commune}");
    let document = if path.contains("/members/") {
        p.member_document
    } else if path.contains("/activities/") {
        p.activity_document
    } else {
        p.document
    };
    let year = chrono::Datelike::year(&chrono::Utc::now()).to_string();
    let out = path
        .replace("{id}", &object.unwrap_or(0).to_string())
        .replace("{trainee_id}", &p.trainee.to_string())
        .replace("{opinion_id}", &p.opinion.to_string())
        .replace("{commune}", p.commune)
        .replace("{year}", &year)
        .replace("{site_id}", &p.site.to_string())
        .replace("{site}", &p.site.to_string())
        .replace("{document_id}", &document.to_string())
        .replace("{doc}", &p.document.to_string())
        .replace("{attachment_id}", &p.attachment.to_string())
        .replace("{code}", p.commune)
        .replace("{unit}", p.commune)
        .replace("{secret}", "khong-hop-le")
        .replace("{lang}", "vi")
        .replace("{*path}", "app.css")
        .replace("{reg}", "areas");
    (out, placed)
}

async fn call(app: &TestApp, method: &Method, path: &str, token: Option<&str>) -> u16 {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = http.request(method.clone(), app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if *method != Method::GET {
        req = if path.starts_with("/api/") {
            req.json(&json!({}))
        } else {
            req.header("content-type", "application/x-www-form-urlencoded").body("")
        };
    }
    req.send().await.unwrap().status().as_u16()
}

const ROLES: &[(Role, &str)] = &[
    (Role::Admin, "56"),
    (Role::ProvinceOfficer, "56"),
    (Role::CommuneOfficer, "22333"),
    (Role::Viewer, "22333"),
    (Role::CommuneGovernment, "22333"),
    (Role::MassOrganisation, "56"),
    (Role::Auditor, "56"),
];

app_tests! {
    every_route_every_role_every_place(app) {
        let rules = antq_web::route_rules();
        assert!(rules.len() > 80, "the table holds every route ({})", rules.len());
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let own = place(app, &admin, "56", "22333").await;
        let other = place(app, &admin, "01", "00004").await;
        let mut tokens = Vec::new();
        for (role, unit) in ROLES {
            tokens.push((*role, app.token(&format!("vt_{}", role.code()), role.code(), unit).await));
        }
        let mut failures = Vec::new();
        for rule in &rules {
            for (role, token) in &tokens {
                for (p, is_own) in [(&own, true), (&other, false)] {
                    let (path, placed) = concrete(rule, p);
                    if !is_own && !placed {
                        continue;
                    }
                    let status = call(app, &rule.method, &path, Some(token)).await;
                    let granted = match rule.guard {
                        Guard::Public | Guard::User => true,
                        Guard::Can(perm) => role.grants(perm),
                    };
                    let in_scope = is_own || *role == Role::Admin || matches!(rule.guard, Guard::Public | Guard::User);
                    let allowed = granted && in_scope;
                    let ok = if allowed {
                        !matches!(status, 401 | 403) && status < 500
                    } else if rule.method == Method::GET || granted {
                        // Refused, or hidden; an unsafe call on another place's object may also be
                        // refused for its empty body before its place is looked at: nothing is written.
                        matches!(status, 403 | 404) || (rule.method != Method::GET && matches!(status, 400 | 422))
                    } else {
                        status == 403
                    };
                    if !ok {
                        failures.push(format!("{} {} as {} ({}): {status}", rule.method, path, role.code(),
                            if is_own { "own place" } else { "other place" }));
                    }
                }
            }
            // Anonymous callers: public routes answer, the rest ask for a login.
            let (path, _) = concrete(rule, &own);
            let status = call(app, &rule.method, &path, None).await;
            let ok = match rule.guard {
                Guard::Public if rule.method == Method::GET => !matches!(status, 401 | 403) && status < 500,
                // The citizens' API carries no ambient credentials: an empty body is invalid.
                Guard::Public if path.starts_with("/api/") => status == 422,
                // Unsafe public forms need the anti-forgery token of the page they came from.
                Guard::Public => status == 403,
                _ if path.starts_with("/api/") => status == 401,
                _ => status == 303 || (rule.method != Method::GET && status == 403),
            };
            if !ok {
                failures.push(format!("{} {} anonymous: {status}", rule.method, path));
            }
        }
        assert!(failures.is_empty(), "{} wrong answers:\n{}", failures.len(), failures.join("\n"));
        // The permission behind every guarded route exists in the matrix of some role.
        for rule in &rules {
            if let Guard::Can(p) = rule.guard {
                assert!(Role::ALL.iter().any(|r| r.grants(p)), "{p:?}");
            }
        }
        let _ = Permission::ALL;
    }

    csrf_is_required_on_every_unsafe_route(app) {
        app.user("qtadmin", "admin", "56").await;
        let b = app.browser();
        b.login("qtadmin", crate::support::PASSWORD).await;
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let own = place(app, &admin, "56", "22333").await;
        let mut failures = Vec::new();
        for rule in antq_web::route_rules().iter().filter(|r| r.method != Method::GET) {
            let (path, _) = concrete(rule, &own);
            let r = b.http.request(rule.method.clone(), app.url(&path))
                .header("content-type", "application/x-www-form-urlencoded").body("x=1").send().await.unwrap();
            if r.status() != 403 {
                failures.push(format!("{} {path}: {}", rule.method, r.status()));
            }
        }
        assert!(failures.is_empty(), "unsafe routes accepted a session request without CSRF token:\n{}", failures.join("\n"));
    }

    undeclared_methods_are_refused(app) {
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        let own = place(app, &admin, "56", "22333").await;
        let rules = antq_web::route_rules();
        let mut failures = Vec::new();
        for rule in &rules {
            let (path, _) = concrete(rule, &own);
            for m in [Method::GET, Method::POST, Method::PATCH, Method::PUT, Method::DELETE] {
                if rules.iter().any(|r| r.path == rule.path && r.method == m) {
                    continue;
                }
                let status = call(app, &m, &path, Some(&admin.token_for_raw_requests())).await;
                if status != 405 {
                    failures.push(format!("{m} {path}: {status}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
