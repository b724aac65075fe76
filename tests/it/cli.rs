//! The real `antq` binary: serve, user and token creation, import/export, bad URLs.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_antq");

fn antq(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN).arg("--data-dir").arg(data).args(args).env_remove("ANTQ_DATABASE_URL").output().unwrap()
}

#[test]
fn unknown_database_scheme_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = antq(dir.path(), &["--database-url", "mysql://root@localhost/antq", "migrate"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sqlite://") && err.contains("postgres://"), "{err}");
}

#[test]
fn user_token_import_export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "user",
            "create",
            "--username",
            "tinh",
            "--role",
            "province_officer",
            "--unit",
            "56",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"mat-khau-du-dai-123\n").unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    // The role must match the unit level.
    let mut bad = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["user", "create", "--username", "xa", "--role", "commune_officer", "--unit", "56", "--password-stdin"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    bad.stdin.take().unwrap().write_all(b"mat-khau-du-dai-123\n").unwrap();
    let out = bad.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("xã, phường, đặc khu"));

    let out = antq(dir.path(), &["token", "create", "--username", "tinh"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).trim().starts_with("antq_"));

    let csv = dir.path().join("kdc.csv");
    std::fs::write(&csv, "ma xa,ten khu dan cu,loai\n22333,Tổ dân phố 1,Tổ dân phố\n22333,,Thôn\n").unwrap();
    let out = antq(dir.path(), &["import", "areas", csv.to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Dòng 3, cột «Tên khu dân cư»"), "{text}");
    std::fs::write(&csv, "ma xa,ten khu dan cu,loai\n22333,Tổ dân phố 1,Tổ dân phố\n22333,Thôn 2,Thôn\n").unwrap();
    let out = antq(dir.path(), &["import", "areas", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let xlsx = dir.path().join("kdc.xlsx");
    let out = antq(dir.path(), &["export", "areas", "--format", "xlsx", "-o", xlsx.to_str().unwrap()]);
    assert!(out.status.success());
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    let name = wb.sheet_names()[0].clone();
    assert_eq!(wb.worksheet_range(&name).unwrap().rows().count(), 3);
}

#[test]
fn serve_prints_the_setup_link_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env_remove("ANTQ_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    let _ = lines.next();
    let link = lines.next().unwrap().unwrap().trim().to_string();
    assert!(link.starts_with(&format!("{base}/setup/")), "{link}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        assert_eq!(reqwest::get(format!("{base}/healthz")).await.unwrap().status(), 200);
        assert_eq!(reqwest::get(&link).await.unwrap().status(), 200);
    });
    assert!(dir.path().join("antq.db").exists());
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn audit_verify_names_the_first_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["motmot", "haihai", "babaa"] {
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["user", "create", "--username", name, "--role", "viewer", "--unit", "56", "--password-stdin"])
            .env_remove("ANTQ_DATABASE_URL")
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(b"mat-khau-du-dai-123\n").unwrap();
        assert!(child.wait().unwrap().success());
    }
    let out = antq(dir.path(), &["user", "disable", "--username", "haihai"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = antq(dir.path(), &["audit", "verify"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 mục"), "{}", String::from_utf8_lossy(&out.stdout));

    // Someone edits the database file directly: the trigger must be dropped first.
    let db = dir.path().join("antq.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        let refused = sqlx::query("UPDATE audit_log SET username = 'ke_gian' WHERE id = 2").execute(&mut c).await;
        assert!(refused.is_err(), "the database refuses UPDATE on audit rows");
        sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut c).await.unwrap();
        sqlx::query("UPDATE audit_log SET username = 'ke_gian' WHERE id = 2").execute(&mut c).await.unwrap();
    });
    let out = antq(dir.path(), &["audit", "verify"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("số 2"), "{err}");

    let csv = dir.path().join("audit.csv");
    let out = antq(dir.path(), &["audit", "export", "--format", "csv", "-o", csv.to_str().unwrap()]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 5, "{text}");
}

#[test]
fn serve_over_tls_sends_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0", "--tls-cert"])
        .arg(format!("{fixtures}/test-cert.pem"))
        .arg("--tls-key")
        .arg(format!("{fixtures}/test-key.pem"))
        .env_remove("ANTQ_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first.split_whitespace().find(|w| w.starts_with("https://")).unwrap().to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let http = reqwest::Client::builder().danger_accept_invalid_certs(true).build().unwrap();
        let r = http.get(format!("{base}/login")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let hsts = r.headers().get("strict-transport-security").unwrap().to_str().unwrap();
        assert!(hsts.contains("max-age="), "{hsts}");
        let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap();
        assert!(cookie.contains("Secure"), "{cookie}");
        // Plain HTTP on the TLS port gets no page.
        let plain = base.replace("https://", "http://");
        assert!(reqwest::get(format!("{plain}/login")).await.is_err());
    });
    let _ = child.kill();
    let _ = child.wait();
}

/// Every table of two databases holds the same rows.
async fn assert_same_tables(a: &antq_store::Db, b: &antq_store::Db) {
    for (table, _) in antq_store::backup::TABLES {
        let x = antq_store::backup::table_rows(a, table).await.unwrap();
        let y = antq_store::backup::table_rows(b, table).await.unwrap();
        assert_eq!(x, y, "table {table} differs after restore");
    }
}

fn create_user(db_args: &[&str], name: &str) {
    let mut child = Command::new(BIN)
        .args(db_args)
        .args([
            "user",
            "create",
            "--username",
            name,
            "--role",
            "commune_officer",
            "--unit",
            "22333",
            "--password-stdin",
        ])
        .env_remove("ANTQ_DATABASE_URL")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"mat-khau-du-dai-123\n").unwrap();
    assert!(child.wait().unwrap().success());
}

/// Reports of every shape (sealed identity, files, dialogue, trail) in the database at `url`.
async fn add_reports(url: &str) {
    use antq_domain::access::{Role, Scope};
    let db = antq_store::Db::connect(url).await.unwrap();
    let ctx =
        antq_app::AppCtx::new(db.clone(), antq_app::Settings::default(), antq_app::keys::IdentityKey::generate().0);
    let officer = antq_app::Actor {
        user_id: None,
        username: "canbo1".into(),
        display_name: "Cán bộ".into(),
        role: Role::CommuneOfficer,
        unit_code: "22333".into(),
        scope: Scope::Commune("56".into(), "22333".into()),
        read_only: false,
        request_id: None,
    };
    let input: antq_domain::report::IntakeInput = serde_json::from_value(serde_json::json!({
        "kind": "tin_bao", "channel": "dien_thoai", "category": "trom_cuop", "summary": "Mất trộm xe máy trước nhà",
        "commune_code": "22333", "issue_receipt": true, "reporter": {"full_name": "Nguyễn Văn A", "phone": "0912345678"}}))
    .unwrap();
    let file = antq_app::models::Upload { name: "bb.pdf".into(), bytes: b"%PDF-1.4 bien ban".to_vec() };
    let (r, _) = antq_app::reports::intake::record(&ctx, &officer, &input, vec![file]).await.unwrap();
    let step = antq_domain::report::StepInput { action: Some("accept".into()), ..Default::default() };
    antq_app::reports::handling::transition(&ctx, &officer, r.id, &step).await.unwrap();
    let public: antq_domain::report::PublicReportInput = serde_json::from_value(serde_json::json!({
        "category": "ma_tuy", "summary": "Bán ma túy ở đầu ngõ", "province_code": "56", "place_unknown": true, "anonymous": true}))
    .unwrap();
    antq_app::reports::intake::submit(&ctx, &public, Vec::new()).await.unwrap();
    db.close().await;
}

fn run(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).env_remove("ANTQ_DATABASE_URL").output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn sqlite_backup_restores_every_table() {
    let src = tempfile::tempdir().unwrap();
    let dst = tempfile::tempdir().unwrap();
    let s = src.path().to_str().unwrap();
    create_user(&["--data-dir", s], "canbo1");
    let csv = src.path().join("kdc.csv");
    std::fs::write(&csv, "ma xa,ten khu dan cu,loai\n22333,Thôn 1,Thôn\n22333,Thôn 2,Thôn\n").unwrap();
    run(&["--data-dir", s, "import", "areas", csv.to_str().unwrap()]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(add_reports(&format!("sqlite://{s}/antq.db")));
    let file = src.path().join("sao-luu.sqlite");
    run(&["--data-dir", s, "backup", "-o", file.to_str().unwrap()]);
    let refused = antq(src.path(), &["backup", "-o", file.to_str().unwrap()]);
    assert!(!refused.status.success(), "never overwrites");
    let out = run(&["--data-dir", dst.path().to_str().unwrap(), "restore", file.to_str().unwrap()]);
    assert!(out.contains("nguyên vẹn"), "{out}");
    // A database with data is never overwritten.
    let again = antq(dst.path(), &["restore", file.to_str().unwrap()]);
    assert!(!again.status.success());
    rt.block_on(async {
        let a = antq_store::Db::connect(&format!("sqlite://{}/antq.db", s)).await.unwrap();
        let b = antq_store::Db::connect(&format!("sqlite://{}/antq.db", dst.path().display())).await.unwrap();
        assert!(antq_store::backup::data_rows(&b).await.unwrap() > 3000);
        assert_same_tables(&a, &b).await;
    });
}

#[test]
fn postgres_backup_restores_every_table() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(src) = rt.block_on(antq_store::testing::TestDb::new(antq_store::Backend::Postgres)) else {
        eprintln!("TEST_POSTGRES_URL not set: PostgreSQL backup test skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    create_user(&["--data-dir", data, "--database-url", &src.url], "canbo1");
    create_user(&["--data-dir", data, "--database-url", &src.url], "canbo2");
    run(&["--data-dir", data, "--database-url", &src.url, "user", "disable", "--username", "canbo2"]);
    rt.block_on(add_reports(&src.url));
    let with_pg_dump = Command::new("pg_dump").arg("--version").output().is_ok_and(|o| o.status.success());
    let mut modes = vec![("logical", vec!["--logical"])];
    if with_pg_dump {
        modes.push(("pg_dump", vec![]));
    }
    for (name, extra) in modes {
        let file = dir.path().join(format!("{name}.backup"));
        let mut args = vec!["--data-dir", data, "--database-url", &src.url, "backup", "-o", file.to_str().unwrap()];
        args.extend(extra);
        run(&args);
        let dst = rt.block_on(antq_store::testing::TestDb::empty(antq_store::Backend::Postgres)).unwrap();
        let out = run(&["--data-dir", data, "--database-url", &dst.url, "restore", file.to_str().unwrap()]);
        assert!(out.contains("nguyên vẹn"), "{name}: {out}");
        rt.block_on(async {
            // The source has one more entry: the second backup's own.
            let src_now = antq_store::Db::connect(&src.url).await.unwrap();
            let restored = antq_store::Db::connect(&dst.url).await.unwrap();
            for (table, _) in antq_store::backup::TABLES.iter().filter(|(t, _)| !t.starts_with("audit")) {
                let x = antq_store::backup::table_rows(&src_now, table).await.unwrap();
                let y = antq_store::backup::table_rows(&restored, table).await.unwrap();
                assert_eq!(x, y, "{name}: table {table} differs after restore");
            }
            let (_, src_log) = antq_store::backup::table_rows(&src_now, "audit_log").await.unwrap();
            let (_, dst_log) = antq_store::backup::table_rows(&restored, "audit_log").await.unwrap();
            assert_eq!(&src_log[..dst_log.len()], &dst_log[..], "{name}: audit entries");
            // The restored database accepts new writes (sequences moved past the restored ids).
            assert!(antq_store::audit::verify(&restored).await.unwrap().is_ok());
            src_now.close().await;
            restored.close().await;
        });
        create_user(&["--data-dir", data, "--database-url", &dst.url], &format!("moi{name}").replace('_', ""));
    }
}

#[test]
fn activities_import_stats_and_export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1;
    let csv = dir.path().join("hoat-dong.csv");
    std::fs::write(
        &csv,
        format!(
            "Mã xã,Loại hoạt động,Chủ đề,Ngày tổ chức,Số người tham dự\n\
             22333,Tuyên truyền,Phòng chống ma túy,15/03/{year},120\n\
             22333,Tuyên truyền,An toàn giao thông,20/09/{year},80\n"
        ),
    )
    .unwrap();
    let out = antq(dir.path(), &["import", "activities", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));

    let table = dir.path().join("thong-ke.csv");
    let y = year.to_string();
    let out = antq(
        dir.path(),
        &["stats", "activities", "--year", &y, "--by", "kind", "--format", "csv", "-o", table.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&table).unwrap();
    let row = text.lines().find(|l| l.contains("Tuyên truyền")).unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains(",2,200,"), "two sessions, 200 participants: {row}");
    let out = antq(dir.path(), &["stats", "activities", "--by", "nonsense", "-o", table.to_str().unwrap()]);
    assert!(!out.status.success(), "an unknown grouping is refused");

    let half = dir.path().join("nua-dau.csv");
    let (from, to) = (format!("{year}-01-01"), format!("{year}-06-30"));
    let args = ["export", "activities", "--from", &from, "--to", &to, "--format", "csv", "-o", half.to_str().unwrap()];
    assert!(antq(dir.path(), &args).status.success());
    let text = std::fs::read_to_string(&half).unwrap();
    assert!(text.contains("Phòng chống ma túy") && !text.contains("An toàn giao thông"), "{text}");

    let out = antq(dir.path(), &["stats", "commendations", "--year", &y, "-o", table.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // An activity of 2024 recorded in a former commune, and the movement by former district.
    let old = dir.path().join("hoat-dong-2024.csv");
    std::fs::write(
        &old,
        "Xã cũ (trước 01/7/2025),Huyện cũ,Loại hoạt động,Chủ đề,Ngày tổ chức,Số người tham dự
        Vĩnh Lương,TP Nha Trang,Tuyên truyền,Họp dân,10/05/2024,70
",
    )
    .unwrap();
    let out = antq(dir.path(), &["import", "activities", old.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let args =
        ["stats", "former", "--year", "2024", "--province", "56", "--format", "csv", "-o", table.to_str().unwrap()];
    let out = antq(dir.path(), &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&table).unwrap();
    let row = text.lines().find(|l| l.contains("Thành phố Nha Trang")).unwrap_or_else(|| panic!("{text}"));
    assert!(row.ends_with(",1,70,0,0"), "one activity, 70 participants: {row}");
}

#[test]
fn cameras_import_and_filtered_export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("camera.csv");
    std::fs::write(
        &csv,
        "Mã xã,Tên điểm camera,Vĩ độ,Kinh độ,Ngày lắp đặt,Loại camera,Vị trí giám sát,Nguồn kinh phí,Kinh phí\n\
         22333,Nút giao 1,\"12,25\",\"109,19\",01/03/2025,PTZ,Đường giao thông,Xã hội hóa,\"15.000.000\"\n\
         22333,Cổng chợ,,,02/03/2025,Cố định,Chợ,Ngân sách nhà nước,\n",
    )
    .unwrap();
    let out = antq(dir.path(), &["import", "cameras", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let file = dir.path().join("ptz.csv");
    let out =
        antq(dir.path(), &["export", "cameras", "--kind", "ptz", "--format", "csv", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Nút giao 1") && !text.contains("Cổng chợ"), "{text}");
}

#[test]
fn the_movement_report_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("hoat-dong.csv");
    std::fs::write(
        &csv,
        "Mã xã,Loại hoạt động,Chủ đề,Ngày tổ chức,Số người tham dự\n\
         22333,Tuyên truyền,Phòng chống ma túy,15/03/2025,120\n\
         22333,Tuyên truyền,An toàn giao thông,20/09/2025,80\n\
         22333,Tuyên truyền,Phòng cháy,20/03/2024,40\n",
    )
    .unwrap();
    assert!(antq(dir.path(), &["import", "activities", csv.to_str().unwrap()]).status.success());
    let json = dir.path().join("bao-cao.json");
    let out = antq(
        dir.path(),
        &["report", "--unit", "56", "--period", "2025-6t", "--format", "json", "-o", json.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let s = doc["sections"].as_array().unwrap().iter().find(|s| s["code"] == "activities").unwrap();
    let line = |code: &str| s["lines"].as_array().unwrap().iter().find(|l| l["code"] == code).unwrap().clone();
    assert_eq!((line("activities")["current"].as_i64(), line("activities")["previous"].as_i64()), (Some(1), Some(1)));
    assert_eq!(line("participants")["current"], 120, "the September session is after the half-year");
    let pdf = dir.path().join("bao-cao.pdf");
    let out = antq(dir.path(), &["report", "--period", "2025", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"), "the country's yearly report");
    let out = antq(dir.path(), &["report", "--period", "2025-9t", "-o", pdf.to_str().unwrap()]);
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("không hợp lệ"),
        "a bad period is refused"
    );
}

#[test]
fn a_change_of_the_map_is_loaded_and_applied_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("bang.csv");
    std::fs::write(
        &table,
        "Cấp,Mã hiện tại,Mã mới,Tên mới,Loại,Tỉnh mới,Hình thức,Tỷ lệ (‰),Mặc định\nxã,22333,22333,Bắc Nha Trang Mới,,,Đổi tên,,\n",
    )
    .unwrap();
    let today = chrono::Utc::now().date_naive().to_string();
    let load = |generation: &str, save: bool| {
        let mut args = vec!["unit-change", "load", table.to_str().unwrap(), "--generation", generation];
        args.extend(["--name", "Bản đồ mới", "--legal-basis", "1/NQ-THU", "--effective-on", &today]);
        if save {
            args.push("--save");
        }
        antq(dir.path(), &args)
    };
    // A dry run prints what it would do and saves nothing.
    let out = load("c2027", false);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"renamed\": 1"));
    assert!(antq(dir.path(), &["unit-change", "list"]).stdout.is_empty());
    // A generation that exists is refused with the reason.
    let out = load("2025", true);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã có bản đồ hành chính mã «2025»"));
    let out = load("c2027", true);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = String::from_utf8_lossy(&antq(dir.path(), &["unit-change", "list"]).stdout).to_string();
    assert!(list.starts_with("1\tc2027\t") && list.contains("Chờ áp dụng"), "{list}");
    let out = antq(dir.path(), &["unit-change", "apply-due"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Đã áp dụng bảng số 1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = antq(dir.path(), &["unit-change", "apply", "1"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("đã áp dụng"));
}
