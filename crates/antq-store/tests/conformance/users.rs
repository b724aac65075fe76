use antq_store::testing::TestDb;
use antq_store::users::{self, NewToken, NewUser};
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

async fn insert(t: &TestDb, u: &NewUser<'_>) -> Result<i64, StoreError> {
    let mut tx = t.db.begin().await?;
    let id = users::insert(&mut tx, u, now()).await?;
    tx.commit().await?;
    Ok(id)
}

backend_tests! {
    sessions_expire_and_tokens_resolve(t) {
        let id = insert(t, &user("canbo")).await.unwrap();
        assert!(matches!(insert(t, &user("canbo")).await, Err(StoreError::Conflict)));
        let mut tx = t.db.begin().await.unwrap();
        users::insert_session(&mut tx, "h1", id, "csrf", now(), now() + Duration::hours(1)).await.unwrap();
        tx.commit().await.unwrap();
        let (u, csrf) = users::touch_session(&t.db, "h1", now() + Duration::minutes(30), now() + Duration::hours(2)).await.unwrap();
        assert_eq!((u.username.as_str(), csrf.as_str(), u.commune_code.as_deref()), ("canbo", "csrf", Some("22333")));
        // A touch within a minute of the last one writes nothing: the expiry stays at +2 h.
        assert!(users::touch_session(&t.db, "h1", now() + Duration::seconds(1820), now() + Duration::hours(6)).await.is_ok());
        assert!(matches!(
            users::touch_session(&t.db, "h1", now() + Duration::minutes(121), now() + Duration::hours(7)).await,
            Err(StoreError::NotFound)
        ));
        // Touching extended the expiry; past it the session is gone.
        assert!(users::touch_session(&t.db, "h1", now() + Duration::minutes(90), now() + Duration::hours(3)).await.is_ok());
        assert!(matches!(users::touch_session(&t.db, "h1", now() + Duration::hours(4), now()).await, Err(StoreError::NotFound)));
        assert_eq!(users::purge_sessions(&t.db, now() + Duration::hours(4)).await.unwrap(), 1);
        let mut tx = t.db.begin().await.unwrap();
        let token = NewToken { user_id: id, token_hash: "th", name: "cli", read_only: false, expires_at: None };
        let tid = users::insert_token(&mut tx, &token, now()).await.unwrap();
        let ro = NewToken { token_hash: "ro", read_only: true, expires_at: Some(now() + Duration::days(1)), ..token };
        users::insert_token(&mut tx, &ro, now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(users::user_by_token(&t.db, "th", now()).await.unwrap().0.id, id);
        // The last use is written at most once a minute.
        let last_used = |tokens: Vec<users::TokenRow>| tokens.into_iter().find(|t| t.id == tid).unwrap().last_used;
        users::user_by_token(&t.db, "th", now() + Duration::seconds(30)).await.unwrap();
        assert_eq!(last_used(users::list_tokens(&t.db, Some(id)).await.unwrap()), Some(now()));
        users::user_by_token(&t.db, "th", now() + Duration::seconds(60)).await.unwrap();
        assert_eq!(last_used(users::list_tokens(&t.db, Some(id)).await.unwrap()), Some(now() + Duration::seconds(60)));
        assert!(users::user_by_token(&t.db, "ro", now()).await.unwrap().1, "read-only flag");
        assert!(matches!(users::user_by_token(&t.db, "ro", now() + Duration::days(2)).await, Err(StoreError::NotFound)), "expired");
        assert!(matches!(users::user_by_token(&t.db, "nope", now()).await, Err(StoreError::NotFound)));
        let mut tx = t.db.begin().await.unwrap();
        users::revoke_token(&mut tx, tid, now()).await.unwrap();
        tx.commit().await.unwrap();
        assert!(matches!(users::user_by_token(&t.db, "th", now()).await, Err(StoreError::NotFound)), "revoked");
        assert_eq!(users::list_tokens(&t.db, Some(id)).await.unwrap().len(), 2);
    }

    new_roles_are_accepted_by_the_database(t) {
        for role in ["auditor", "commune_government", "mass_organisation"] {
            insert(t, &NewUser { username: role, role, ..user("x") }).await.unwrap();
        }
        assert!(insert(t, &NewUser { username: "bad", role: "superuser", ..user("x") }).await.is_err());
    }

    setup_token_is_single_use(t) {
        users::insert_setup_token(&t.db, "s1", now()).await.unwrap();
        users::insert_setup_token(&t.db, "s2", now()).await.unwrap();
        assert!(users::setup_token_valid(&t.db, "s1").await.unwrap());
        let admin = NewUser { role: "admin", unit_code: "56", commune_code: None, ..user("admin") };
        let consume = |hash: &'static str, u: NewUser<'static>| {
            let db = t.db.clone();
            async move {
                let mut tx = db.begin().await?;
                let id = users::consume_setup_token(&mut tx, hash, &u, now()).await?;
                tx.commit().await?;
                Ok::<i64, StoreError>(id)
            }
        };
        consume("s1", NewUser { ..admin }).await.unwrap();
        assert!(!users::setup_token_valid(&t.db, "s1").await.unwrap());
        assert!(matches!(consume("s1", NewUser { ..admin }).await, Err(StoreError::NotFound)));
        // Another unused link cannot create a second first administrator.
        let other = NewUser { username: "admin2", ..admin };
        assert!(matches!(consume("s2", other).await, Err(StoreError::Conflict)));
        assert_eq!(users::count(&t.db).await.unwrap(), 1);
    }
}
