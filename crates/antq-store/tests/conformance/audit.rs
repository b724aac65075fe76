use antq_domain::audit::{AuditRecord, ChainError};
use antq_store::{audit, backend_tests};

use crate::now;

fn record(n: usize) -> AuditRecord {
    AuditRecord {
        user_id: Some(7),
        username: "canbo".into(),
        unit_code: "22333".into(),
        action: "update".into(),
        object_type: "area".into(),
        object_id: Some(n.to_string()),
        province_code: Some("56".into()),
        commune_code: Some("22333".into()),
        changes: format!(r#"[{{"field":"name","before":"A{n}","after":"B{n}"}}]"#),
        request_id: Some(format!("req-{n}")),
    }
}

async fn append(t: &antq_store::testing::TestDb, n: usize) {
    let mut tx = t.db.begin().await.unwrap();
    for i in 0..n {
        audit::append(&mut tx, now() + chrono::Duration::nanoseconds(i as i64 * 1_234_567), &record(i)).await.unwrap();
    }
    tx.commit().await.unwrap();
}

backend_tests! {
    chain_verifies_and_the_database_refuses_changes(t) {
        assert_eq!(audit::verify(&t.db).await.unwrap(), Ok(0));
        append(t, 5).await;
        assert_eq!(audit::verify(&t.db).await.unwrap(), Ok(5));
        // The triggers refuse UPDATE and DELETE, and entries out of order.
        assert!(t.execute("UPDATE audit_log SET username = 'x' WHERE id = 3").await.is_err());
        assert!(t.execute("DELETE FROM audit_log WHERE id = 5").await.is_err());
        assert!(t.execute("DELETE FROM audit_head").await.is_err());
        assert!(t.execute("UPDATE audit_head SET seq = 2").await.is_err());
        assert!(t.execute("INSERT INTO audit_log (id, at, username, unit_code, action, object_type, changes, prev_hash, hash) \
            VALUES (99, '2025-01-01T00:00:00Z', 'x', '', 'create', 'area', '[]', 'x', 'x')").await.is_err());
        assert_eq!(audit::verify(&t.db).await.unwrap(), Ok(5));
        // A rolled-back transaction leaves no gap.
        let mut tx = t.db.begin().await.unwrap();
        audit::append(&mut tx, now(), &record(9)).await.unwrap();
        drop(tx);
        append(t, 1).await;
        assert_eq!(audit::verify(&t.db).await.unwrap(), Ok(6));
        let page = audit::list(&t.db, &audit::AuditFilter { object_id: Some("2".into()), ..Default::default() },
            antq_domain::page::PageRequest::new(None, None)).await.unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].request_id.as_deref(), Some("req-2"));
    }

    tampering_is_found_and_named(t) {
        append(t, 4).await;
        // Someone with direct access drops the trigger and edits entry 3.
        let drop = match t.db.backend() {
            antq_store::Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
            antq_store::Backend::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log",
        };
        t.execute(drop).await.unwrap();
        t.execute("UPDATE audit_log SET changes = '[]' WHERE id = 3").await.unwrap();
        assert_eq!(audit::verify(&t.db).await.unwrap(), Err(ChainError::Content { id: 3 }));
    }

    removing_an_entry_is_found(t) {
        append(t, 4).await;
        let drop = match t.db.backend() {
            antq_store::Backend::Sqlite => "DROP TRIGGER audit_log_no_delete",
            antq_store::Backend::Postgres => "DROP TRIGGER audit_log_no_delete ON audit_log",
        };
        t.execute(drop).await.unwrap();
        t.execute("DELETE FROM audit_log WHERE id = 4").await.unwrap();
        assert_eq!(audit::verify(&t.db).await.unwrap().unwrap_err().entry(), 4);
    }
}
