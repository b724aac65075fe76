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
