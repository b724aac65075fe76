use antq_store::users::{self, NewUser};
use antq_store::{StoreError, backend_tests};
use chrono::Duration;

use crate::now;

fn user<'a>(name: &'a str) -> NewUser<'a> {
    NewUser {
        username: name,
        display_name: "Nguyễn Văn A",
        password_hash: "$argon2id$x",
        role: "commune_officer",
        unit_code: "22333",
        province_code: "56",
        commune_code: Some("22333"),
    }
}

backend_tests! {
    sessions_expire_and_tokens_resolve(t) {
        let id = users::insert(&t.db, &user("canbo"), now()).await.unwrap();
        assert!(matches!(users::insert(&t.db, &user("canbo"), now()).await, Err(StoreError::Conflict)));
        users::insert_session(&t.db, "h1", id, "csrf", now(), now() + Duration::hours(1)).await.unwrap();
        let (u, csrf) = users::touch_session(&t.db, "h1", now() + Duration::minutes(30), now() + Duration::hours(2)).await.unwrap();
        assert_eq!((u.username.as_str(), csrf.as_str(), u.commune_code.as_deref()), ("canbo", "csrf", Some("22333")));
        // Touching extended the expiry; past it the session is gone.
        assert!(users::touch_session(&t.db, "h1", now() + Duration::minutes(90), now() + Duration::hours(3)).await.is_ok());
        assert!(matches!(users::touch_session(&t.db, "h1", now() + Duration::hours(4), now()).await, Err(StoreError::NotFound)));
        assert_eq!(users::purge_sessions(&t.db, now() + Duration::hours(4)).await.unwrap(), 1);
        users::insert_token(&t.db, id, "th", "cli", now()).await.unwrap();
        assert_eq!(users::user_by_token(&t.db, "th", now()).await.unwrap().id, id);
        assert!(matches!(users::user_by_token(&t.db, "nope", now()).await, Err(StoreError::NotFound)));
    }

    setup_token_is_single_use(t) {
        users::insert_setup_token(&t.db, "s1", now()).await.unwrap();
        users::insert_setup_token(&t.db, "s2", now()).await.unwrap();
        assert!(users::setup_token_valid(&t.db, "s1").await.unwrap());
        let admin = NewUser { role: "admin", unit_code: "56", commune_code: None, ..user("admin") };
        users::consume_setup_token(&t.db, "s1", &admin, now()).await.unwrap();
        assert!(!users::setup_token_valid(&t.db, "s1").await.unwrap());
        assert!(matches!(users::consume_setup_token(&t.db, "s1", &admin, now()).await, Err(StoreError::NotFound)));
        // Another unused link cannot create a second first administrator.
        let other = NewUser { username: "admin2", ..admin };
        assert!(matches!(users::consume_setup_token(&t.db, "s2", &other, now()).await, Err(StoreError::Conflict)));
        assert_eq!(users::count(&t.db).await.unwrap(), 1);
    }
}
