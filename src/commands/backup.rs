//! `antq backup` and `antq restore`.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use antq_app::Actor;
use antq_store::backup::{self, BackupKind};
use antq_store::{Backend, Db};
use anyhow::{Context, bail};

use crate::cli::Global;
use crate::config;

fn pg_tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Writes a consistent backup of the database to `output` (never overwriting a file).
pub async fn backup(g: &Global, output: &Path, logical: bool) -> anyhow::Result<()> {
    if output.exists() {
        bail!("tệp {} đã có; hãy chọn tên khác (bản sao lưu không ghi đè)", output.display());
    }
    let ctx = config::context(g, antq_app::Settings::default()).await?;
    let db = ctx.db.clone();
    let url = config::database_url(g)?;
    // Recorded first, so the backup holds its own entry and a restore matches the source.
    antq_app::audit::record_backup(&ctx, &Actor::cli(), &output.display().to_string())
        .await
        .map_err(super::app_error)?;
    let how = match db.backend() {
        Backend::Sqlite => {
            backup::sqlite_vacuum_into(&db, output).await.context("sao lưu SQLite thất bại")?;
            "SQLite (VACUUM INTO)"
        }
        Backend::Postgres if !logical && pg_tool("pg_dump") => {
            let status = Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(output)
                .arg(&url)
                .status()
                .context("không chạy được pg_dump")?;
            if !status.success() {
                let _ = std::fs::remove_file(output);
                bail!("pg_dump thất bại ({status})");
            }
            "PostgreSQL (pg_dump)"
        }
        Backend::Postgres => {
            let file =
                std::fs::File::create_new(output).with_context(|| format!("không tạo được {}", output.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let written = backup::write_logical(&db, &mut w).await;
            if let Err(e) = written {
                let _ = std::fs::remove_file(output);
                return Err(e).context("sao lưu logic thất bại");
            }
            "PostgreSQL (xuất logic mọi bảng)"
        }
    };
    db.close().await;
    println!("Đã sao lưu vào {} — {how}.", output.display());
    println!(
        "Danh tính người tố giác trong bản sao lưu đã được mã hoá: hãy sao lưu riêng khoá {} \
         (hoặc ANTQ_IDENTITY_KEY, mã khoá {}); thiếu khoá thì không đọc lại được.",
        g.data_dir.join(config::IDENTITY_KEY_FILE).display(),
        ctx.identity_key.id()
    );
    Ok(())
}

/// Restores a backup into an empty database (a missing SQLite file counts as empty).
pub async fn restore(g: &Global, file: &Path) -> anyhow::Result<()> {
    let mut head = [0u8; 64];
    let n = std::fs::File::open(file)
        .and_then(|mut f| f.read(&mut head))
        .with_context(|| format!("không đọc được {}", file.display()))?;
    let kind =
        backup::kind_of(&head[..n]).context("tệp không phải bản sao lưu của antq (SQLite, pg_dump hoặc xuất logic)")?;
    let url = config::database_url(g)?;
    let is_sqlite = url.starts_with("sqlite:");
    match kind {
        BackupKind::Sqlite => {
            if !is_sqlite {
                bail!("bản sao lưu SQLite chỉ khôi phục vào SQLite (--data-dir hoặc --database-url sqlite://…)");
            }
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:").to_string();
            if Path::new(&path).exists() {
                let db = Db::connect(&url).await?;
                db.migrate().await?;
                let rows = backup::data_rows(&db).await?;
                db.close().await;
                if rows > 0 {
                    bail!("cơ sở dữ liệu đích {path} đã có dữ liệu; chỉ khôi phục vào cơ sở dữ liệu trống");
                }
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{path}{suffix}"));
                }
            }
            std::fs::copy(file, &path).with_context(|| format!("không chép được vào {path}"))?;
        }
        BackupKind::PgDump | BackupKind::Logical if is_sqlite => {
            bail!("bản sao lưu PostgreSQL chỉ khôi phục vào PostgreSQL (--database-url postgres://…)");
        }
        BackupKind::PgDump => {
            let db = Db::connect(&url).await?;
            let has_tables = backup::pg_has_tables(&db).await?;
            db.close().await;
            if has_tables {
                bail!("cơ sở dữ liệu đích đã có bảng; pg_restore cần một cơ sở dữ liệu mới, chưa có bảng nào");
            }
            if !pg_tool("pg_restore") {
                bail!("cần công cụ pg_restore (gói postgresql-client) để khôi phục bản sao lưu pg_dump");
            }
            let status = Command::new("pg_restore")
                .args(["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname"])
                .arg(&url)
                .arg(file)
                .status()
                .context("không chạy được pg_restore")?;
            if !status.success() {
                bail!("pg_restore thất bại ({status}); cơ sở dữ liệu đích không thay đổi");
            }
        }
        BackupKind::Logical => {
            let db = Db::connect(&url).await?;
            db.migrate().await?;
            if backup::data_rows(&db).await? > 0 {
                bail!("cơ sở dữ liệu đích đã có dữ liệu; chỉ khôi phục vào cơ sở dữ liệu trống");
            }
            let f = std::fs::File::open(file)?;
            let rows = backup::read_logical(&db, std::io::BufReader::new(f))
                .await
                .context("khôi phục thất bại; không ghi gì")?;
            db.close().await;
            println!("Đã nạp {rows} dòng.");
        }
    }
    let db = config::open(g).await?;
    let verdict = antq_store::audit::verify(&db).await?;
    db.close().await;
    match verdict {
        Ok(n) => println!("Đã khôi phục từ {}; nhật ký {n} mục, chuỗi băm nguyên vẹn.", file.display()),
        Err(e) => println!("Đã khôi phục từ {}; CẢNH BÁO: nhật ký hỏng ({e}).", file.display()),
    }
    Ok(())
}
