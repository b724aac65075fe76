//! The web pages: first-run setup, login, CSRF, forms, scope, language.

use crate::app_tests;
use crate::support::{PASSWORD, hidden, meta_csrf};

app_tests! {
    first_run_setup_creates_the_administrator(app) {
        let secret = antq_app::accounts::setup_secret_if_needed(&app.ctx).await.unwrap().expect("no account yet");
        let b = app.browser();
        assert_eq!(b.get("/setup/wrong").await.0, 404);
        let (s, page, _) = b.get(&format!("/setup/{secret}")).await;
        assert_eq!(s, 200);
        let pre = hidden(&page, "_csrf");
        // A short password is refused with a Vietnamese message and nothing is created.
        let (s, page, _) = b.post(&format!("/setup/{secret}"), &[("_csrf", &pre), ("username", "admin"), ("unit_code", "56"), ("password", "ngan"), ("password2", "ngan")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("ít nhất 12 ký tự"), "{page}");
        let form = [("_csrf", pre.as_str()), ("username", "admin"), ("display_name", "Quản trị viên"), ("unit_code", "56"), ("password", PASSWORD), ("password2", PASSWORD)];
        let (s, _, loc) = b.post(&format!("/setup/{secret}"), &form).await;
        assert_eq!((s, loc.as_deref()), (303, Some("/")));
        let (s, home, _) = b.get("/").await;
        assert_eq!(s, 200);
        assert!(home.contains("Quản trị viên") && home.contains("Toàn quốc"));
        // The link works once.
        assert_eq!(b.get(&format!("/setup/{secret}")).await.0, 404);
        let (s, _, _) = app.browser().post(&format!("/setup/{secret}"), &form).await;
        assert_eq!(s, 403, "no pre-login token: refused before anything else");
        assert!(antq_app::accounts::setup_secret_if_needed(&app.ctx).await.unwrap().is_none());
    }

    login_logout_and_csrf(app) {
        app.user("canbo", "commune_officer", "22333").await;
        let b = app.browser();
        let (s, _, loc) = b.get("/models").await;
        assert_eq!((s, loc.as_deref()), (303, Some("/login?next=%2Fmodels")));
        let (_, page, _) = b.get("/login").await;
        let pre = hidden(&page, "_csrf");
        let (s, page, _) = b.post("/login", &[("_csrf", &pre), ("username", "canbo"), ("password", "sai-mat-khau-roi"), ("next", "/")]).await;
        assert_eq!(s, 401);
        assert!(page.contains("không đúng"));
        // Login without the anti-forgery token is refused.
        assert_eq!(b.post("/login", &[("username", "canbo"), ("password", PASSWORD)]).await.0, 403);
        let csrf = b.login("canbo", PASSWORD).await;
        let (s, page, _) = b.get("/areas").await;
        assert_eq!(s, 200);
        assert!(page.contains("Khu dân cư"));
        // A form post without the session's CSRF token changes nothing.
        let (s, _, _) = b.post("/areas", &[("commune_code", "22333"), ("name", "Tổ 1"), ("kind", "to_dan_pho")]).await;
        assert_eq!(s, 403);
        let (s, _, _) = b.post("/areas", &[("_csrf", "0000"), ("commune_code", "22333"), ("name", "Tổ 1"), ("kind", "to_dan_pho")]).await;
        assert_eq!(s, 403);
        let (s, _, loc) = b.post("/areas", &[("_csrf", &csrf), ("commune_code", "22333"), ("name", "Tổ 1"), ("kind", "to_dan_pho"), ("households", "50")]).await;
        assert_eq!(s, 303);
        assert!(loc.unwrap().starts_with("/areas/"));
        let (s, _, _) = b.post("/logout", &[("_csrf", &csrf)]).await;
        assert_eq!(s, 303);
        assert_eq!(b.get("/areas").await.0, 303);
    }

    forms_rerender_with_messages(app) {
        app.user("canbo", "commune_officer", "22333").await;
        let b = app.browser();
        let csrf = b.login("canbo", PASSWORD).await;
        let (s, page, _) = b.post("/areas", &[("_csrf", &csrf), ("commune_code", "22333"), ("name", ""), ("kind", "to_dan_pho"), ("households", "nhiều")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("Số hộ phải là số nguyên"), "{page}");
        assert_eq!(antq_store::areas::list(&app.ctx.db, &Default::default(), Default::default()).await.unwrap().total, 0);
        let (s, page, _) = b.get("/models/new").await;
        assert_eq!(s, 200);
        assert!(page.contains("Đăng ký mô hình mới"));
        let types = antq_store::model_types::list(&app.ctx.db, None).await.unwrap();
        let tid = types[0].id.0.to_string();
        let form = [("_csrf", csrf.as_str()), ("name", "Tổ tự quản tổ dân phố 1"), ("type_id", tid.as_str()), ("level", "xa"), ("commune_code", "22333"), ("origin_kind", "xa"), ("host_org", "cong_an"), ("scope", "toan_dien"), ("registered_on", "2025-01-15"), ("members", "12"), ("funding_state", ""), ("funding_social", "1.500.000")];
        let (s, _, loc) = b.post("/models", &form).await;
        assert_eq!(s, 303);
        let loc = loc.unwrap();
        let (s, page, _) = b.get(&loc).await;
        assert_eq!(s, 200);
        assert!(page.contains("1.500.000 đồng") && page.contains("Đề xuất") && page.contains("Đã lưu"), "{page}");
        assert!(page.contains(&meta_csrf(&page)));
        let id = loc.trim_start_matches("/models/").split('?').next().unwrap().to_string();
        // A refused transition shows the reason on the page.
        let (s, page, _) = b.post(&format!("/models/{id}/transitions"), &[("_csrf", &csrf), ("to", "hoat_dong"), ("on_date", "2025-02-01")]).await;
        assert_eq!(s, 422);
        assert!(page.contains("Không thể chuyển mô hình"), "{page}");
        let (s, _, _) = b.post(&format!("/models/{id}/transitions"), &[("_csrf", &csrf), ("to", "xay_dung"), ("on_date", "2025-02-01")]).await;
        assert_eq!(s, 303);
        let (_, page, _) = b.get(&format!("/models/{id}")).await;
        assert!(page.contains("Đang xây dựng") && page.contains("Chuyển trạng thái: Đề xuất → Đang xây dựng"));
    }

    pages_respect_scope_and_language(app) {
        app.user("bacnt", "commune_officer", "22333").await;
        app.user("canbo2", "commune_officer", "22366").await;
        let a = app.browser();
        let csrf = a.login("bacnt", PASSWORD).await;
        let (_, _, loc) = a.post("/areas", &[("_csrf", &csrf), ("name", "Tổ 9"), ("kind", "to_dan_pho"), ("commune_code", "22333")]).await;
        let path = loc.unwrap().split('?').next().unwrap().to_string();
        let b = app.browser();
        b.login("canbo2", PASSWORD).await;
        let (s, page, _) = b.get(&path).await;
        assert_eq!(s, 403);
        assert!(page.contains("ngoài địa bàn"), "{page}");
        for p in ["/", "/units", "/units/56", "/units?q=khanh%20hoa", "/areas", "/establishments", "/models", "/model-types", "/stats/models?by=type", "/import", "/areas/new", "/establishments/new", "/models/new"] {
            let (s, page, _) = b.get(p).await;
            assert_eq!(s, 200, "{p}");
            assert!(page.contains("<html lang=\"vi\">"), "{p}");
        }
        assert_eq!(b.get("/khong-co-trang-nay").await.0, 404);
        // htmx asks for the fragment only.
        let r = b.http.get(app.url("/areas?q=to")).header("HX-Request", "true").send().await.unwrap();
        let fragment = r.text().await.unwrap();
        assert!(!fragment.contains("<html") && fragment.contains("<table"), "{fragment}");
        // English.
        let (s, _, _) = b.get("/lang/en").await;
        assert_eq!(s, 303);
        let (_, page, _) = b.get("/models").await;
        assert!(page.contains("<html lang=\"en\">") && page.contains("Movement models"), "{page}");
    }
}
