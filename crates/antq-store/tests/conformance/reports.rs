use antq_domain::calendar::WorkCalendar;
use antq_domain::page::PageRequest;
use antq_domain::report::handling::{Step, UnitTarget, apply, arrive};
use antq_domain::report::stats::ReportStatsBy;
use antq_domain::report::{Category, Channel, ClockRules, MessageAuthor, Report, ReportKind, ReportState};
use antq_store::reports::{self, NewAttachment, NewEvent, QueueFilter, StatsFilter, UnitFilter};
use antq_store::{StoreError, backend_tests};
use chrono::{DateTime, Duration, Utc};

use crate::{day, now};

const RULES: ClockRules = ClockRules {
    transfer_hours: 24,
    transfer_hours_remote: 48,
    resolve_days: 20,
    extension_months: 2,
    procuracy_months: 2,
    resume_days: 20,
};

fn report(code: &str, commune: Option<&str>, received: DateTime<Utc>) -> Report {
    let mut r = Report {
        id: 0,
        code: code.into(),
        kind: ReportKind::ToGiac,
        channel: Channel::CongKhai,
        category: Category::MaTuy,
        summary: "Có người bán ma túy ở chợ Đầm".into(),
        source: None,
        occurred_on: Some(day("2025-08-30")),
        occurred_time: Some("21:30".into()),
        place_province_code: "56".into(),
        place_commune_code: commune.map(Into::into),
        place_address: None,
        place_unknown: commune.is_none(),
        province_code: "56".into(),
        commune_code: commune.map(Into::into),
        state: ReportState::DaTiepNhan,
        received_at: received,
        unit_received_at: received,
        transfer_due_at: None,
        clock_start_on: None,
        resolve_due_on: None,
        procuracy_extended: false,
        due_at: None,
        remote: false,
        anonymous: true,
        confidential: false,
        urgent: false,
        valuable: false,
        has_receipt: false,
        citizen_unread: false,
        minutes_no: None,
        received_by: "t".into(),
        decision_no: None,
        decided_on: None,
        outcome_note: None,
        closed_at: None,
        closed_on_time: None,
        transfer_on_time: None,
        first_transfer_secs: None,
        resolve_secs: None,
        reporter_notified_at: None,
        activity_id: None,
        updated_at: received,
    };
    arrive(&mut r, &RULES);
    r
}

backend_tests! {
    reports_round_trip_and_queue_by_deadline(t) {
        let mut tx = t.db.begin().await.unwrap();
        let a = report("TG-00000-0000A", Some("22333"), now());
        let b = report("TG-00000-0000B", Some("22333"), now() - Duration::hours(30));
        let c = report("TG-00000-0000C", None, now() - Duration::days(3));
        let ids = reports::insert_many(&mut tx, &[(&a, Some("$argon2id$x")), (&b, None), (&c, None)], now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(ids.len(), 3);
        assert!(ids[0] < ids[1] && ids[1] < ids[2], "ids in insertion order");
        let got = reports::get(&t.db, ids[0]).await.unwrap();
        assert_eq!(got, Report { id: ids[0], has_receipt: true, ..a.clone() }, "every field round-trips");
        assert_eq!(reports::by_code(&t.db, &a.code).await.unwrap(), Some((ids[0], Some("$argon2id$x".into()))));
        let mut tx = t.db.begin().await.unwrap();
        assert!(matches!(reports::insert(&mut tx, &a, None, now()).await, Err(StoreError::Conflict)), "codes are unique");
        drop(tx);

        // A commune's queue: nearest deadline first; the province's own queue apart.
        let commune = QueueFilter { province: Some("56".into()), unit: UnitFilter::Commune("22333".into()), open_only: true, ..Default::default() };
        let q = reports::queue(&t.db, &commune, PageRequest::default()).await.unwrap();
        assert_eq!(q.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), ["TG-00000-0000B", "TG-00000-0000A"]);
        let own = QueueFilter { province: Some("56".into()), unit: UnitFilter::ProvinceLevel, open_only: true, ..Default::default() };
        assert_eq!(reports::queue(&t.db, &own, PageRequest::default()).await.unwrap().total, 1);
        let overdue = QueueFilter { overdue_at: Some(now()), ..commune.clone() };
        let q = reports::queue(&t.db, &overdue, PageRequest::default()).await.unwrap();
        assert_eq!((q.total, q.items[0].code.as_str()), (1, "TG-00000-0000B"), "received 30 h ago at a commune");
        let text = QueueFilter { text: Some("CHO DAM".into()), ..Default::default() };
        assert_eq!(reports::queue(&t.db, &text, PageRequest::default()).await.unwrap().total, 3, "diacritic-insensitive");
        let by_unit = reports::open_by_unit(&t.db, Some("56"), now()).await.unwrap();
        assert_eq!(by_unit[0], ("56".to_string(), Some("22333".to_string()), 2, 1));
    }

    updates_are_refused_when_someone_changed_the_report(t) {
        let mut tx = t.db.begin().await.unwrap();
        let id = reports::insert(&mut tx, &report("TG-00000-0000D", Some("22333"), now()), None, now()).await.unwrap();
        tx.commit().await.unwrap();
        let before = reports::get(&t.db, id).await.unwrap();
        let to = UnitTarget { province_code: "56".into(), commune_code: None, remote: false };
        let step = Step::Transfer { to_unit: "56".into(), reason: "Vượt thẩm quyền".into() };
        let (after, _) = apply(&before, &step, now() + Duration::hours(2), &RULES, &WorkCalendar::new(&Vec::new()), Some(&to)).unwrap();
        let mut tx = t.db.begin().await.unwrap();
        reports::insert_event(&mut tx, &before, &NewEvent { action: "received", to_state: Some(before.state), username: "t", ..Default::default() }, now()).await.unwrap();
        reports::insert_message(&mut tx, &before, MessageAuthor::System, None, "Đã tiếp nhận", now()).await.unwrap();
        let file = NewAttachment { file_name: "a.pdf", content_type: "application/pdf", content: b"%PDF-1.4", added_by: MessageAuthor::Citizen };
        reports::insert_attachment(&mut tx, &before, &file, now()).await.unwrap();
        reports::insert_identity(&mut tx, &before, "k1", &[1, 2, 3, 0, 255], now()).await.unwrap();
        reports::update(&mut tx, &after, before.updated_at).await.unwrap();
        reports::move_children(&mut tx, id, "56", None).await.unwrap();
        tx.commit().await.unwrap();
        let stored = reports::get(&t.db, id).await.unwrap();
        assert_eq!(stored, after);
        // Another officer's page still holds the old version: refused, nothing written.
        let mut tx = t.db.begin().await.unwrap();
        let stale = Report { valuable: true, ..after.clone() };
        assert!(matches!(reports::update(&mut tx, &stale, before.updated_at).await, Err(StoreError::Conflict)));
        drop(tx);
        assert!(!reports::get(&t.db, id).await.unwrap().valuable);
        assert_eq!(reports::identity(&t.db, id).await.unwrap(), Some(("k1".into(), vec![1, 2, 3, 0, 255])));
        let (meta, bytes) = reports::attachment(&t.db, id, reports::attachments(&t.db, id).await.unwrap()[0].id).await.unwrap();
        assert_eq!((meta.size, bytes.as_slice()), (8, &b"%PDF-1.4"[..]));
        assert_eq!(reports::messages(&t.db, id).await.unwrap().len(), 1);
        let rows = antq_store::backup::table_rows(&t.db, "report_events").await.unwrap().1;
        assert!(rows.iter().all(|r| r[3].is_none()), "children moved with the report to the province");
    }

    statistics_sum_what_happened(t) {
        let base = now() - Duration::days(60);
        let mut tx = t.db.begin().await.unwrap();
        let mut rows = Vec::new();
        for (i, commune) in [Some("22333"), Some("22333"), Some("22366"), None].into_iter().enumerate() {
            let mut r = report(&format!("TG-00000-1000{i}"), commune, base + Duration::hours(i as i64));
            if i < 2 {
                r = apply(&r, &Step::Accept, base + Duration::hours(30), &RULES, &WorkCalendar::new(&Vec::new()), None).unwrap().0;
                let decide = Step::Decide { prosecute: i == 0, decision_no: "1/QĐ".into(), on: day("2025-07-20"), reason: Some("x".into()) };
                r = apply(&r, &decide, base + Duration::days(10 + 15 * i as i64), &RULES, &WorkCalendar::new(&Vec::new()), None).unwrap().0;
            }
            r.anonymous = i % 2 == 0;
            rows.push(r);
        }
        let refs: Vec<(&Report, Option<&str>)> = rows.iter().map(|r| (r, None)).collect();
        reports::insert_many(&mut tx, &refs, now()).await.unwrap();
        tx.commit().await.unwrap();
        let f = StatsFilter { from: day("2025-01-01"), to: day("2025-12-31"), province: Some("56".into()), commune: None };
        let groups = reports::stats(&t.db, &f, ReportStatsBy::Place, now()).await.unwrap();
        assert_eq!(groups.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), ["", "22333", "22366"]);
        let c = &groups[1].1;
        assert_eq!((c.received, c.anonymous, c.khoi_to, c.khong_khoi_to, c.open), (2, 1, 1, 1, 0));
        assert_eq!((c.closed_on_time, c.closed_late, c.transfer_late), (1, 1, 2), "taken on after 30 h; one decided after 20 days");
        assert_eq!(c.resolve_secs, (10 * 86400) + (25 * 86400 - 3600));
        let open = &groups[2].1;
        assert_eq!((open.open, open.open_overdue), (1, 1));
        let f = StatsFilter { province: None, ..f };
        let by_month = reports::stats(&t.db, &f, ReportStatsBy::Month, now()).await.unwrap();
        assert_eq!(by_month.iter().map(|g| g.1.received).sum::<i64>(), 4);
        let by_province = reports::stats(&t.db, &f, ReportStatsBy::Place, now()).await.unwrap();
        assert_eq!((by_province.len(), by_province[0].0.as_str()), (1, "56"));
    }
}
