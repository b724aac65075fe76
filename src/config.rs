//! Turning the global options into a database connection.

use std::path::Path;

use antq_store::Db;
use anyhow::Context;

use crate::cli::Global;

/// The database URL to use: the explicit one, or SQLite inside the data directory.
pub fn database_url(g: &Global) -> anyhow::Result<String> {
    if let Some(url) = &g.database_url {
        return Ok(url.clone());
    }
    std::fs::create_dir_all(&g.data_dir)
        .with_context(|| format!("không tạo được thư mục dữ liệu {}", g.data_dir.display()))?;
    Ok(format!("sqlite://{}", g.data_dir.join("antq.db").display()))
}

/// Opens, migrates and seeds the database.
pub async fn open(g: &Global) -> anyhow::Result<Db> {
    let url = database_url(g)?;
    let db = Db::connect(&url)
        .await
        .with_context(|| format!("không mở được cơ sở dữ liệu {}", antq_store::redact_url(&url)))?;
    db.migrate().await.context("không nâng cấp được cơ sở dữ liệu")?;
    antq_store::seed::load_units_if_empty(&db).await.context("không nạp được danh mục đơn vị hành chính")?;
    Ok(db)
}

/// File of the identity key inside the data directory.
pub const IDENTITY_KEY_FILE: &str = "identity.key";

/// The key sealing reporters' identities: `ANTQ_IDENTITY_KEY` (64 hexadecimal digits), or
/// the key file in the data directory, created (readable by its owner only) on first use.
/// It never goes into the database, so a copy of the database alone reveals no reporter.
pub fn identity_key(g: &Global) -> anyhow::Result<antq_app::keys::IdentityKey> {
    if let Ok(hex) = std::env::var("ANTQ_IDENTITY_KEY")
        && !hex.trim().is_empty()
    {
        return antq_app::keys::IdentityKey::from_hex(&hex).map_err(|e| anyhow::anyhow!("ANTQ_IDENTITY_KEY: {e}"));
    }
    let path = g.data_dir.join(IDENTITY_KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            antq_app::keys::IdentityKey::from_hex(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&g.data_dir)
                .with_context(|| format!("không tạo được thư mục dữ liệu {}", g.data_dir.display()))?;
            let (key, hex) = antq_app::keys::IdentityKey::generate();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut f = options.open(&path).with_context(|| format!("không tạo được tệp khoá {}", path.display()))?;
            std::io::Write::write_all(&mut f, format!("{hex}\n").as_bytes())?;
            f.sync_all()?;
            eprintln!(
                "Đã tạo khoá mã hoá danh tính người tố giác: {} (mã khoá {}). Hãy sao lưu tệp này riêng với cơ sở dữ liệu: \
                 mất khoá là mất danh tính đã lưu.",
                path.display(),
                key.id()
            );
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("không đọc được tệp khoá {}", path.display())),
    }
}

/// Opens the database and builds the use-case context with the identity key.
pub async fn context(g: &Global, settings: antq_app::Settings) -> anyhow::Result<antq_app::AppCtx> {
    let db = open(g).await?;
    Ok(antq_app::AppCtx::new(db, settings, identity_key(g)?))
}

/// Reads a whole file with a readable error.
pub fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))
}
