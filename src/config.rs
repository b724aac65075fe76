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

/// Reads a whole file with a readable error.
pub fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))
}
