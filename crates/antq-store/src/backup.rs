//! Backups and restores.
//!
//! - SQLite: `VACUUM INTO` writes a consistent copy of the live database; restoring puts that
//!   file in place of an empty or missing target database.
//! - PostgreSQL: `pg_dump --format=custom` when the tool is installed (restored with
//!   `pg_restore` into a database without tables), otherwise a logical export of every table
//!   (JSON lines, values as PostgreSQL's own text forms) restored by antq itself.

use std::io::{BufRead, Write};
use std::path::Path;

use crate::{Backend, Db, StoreError, StoreResult, Tx, with_db, with_tx};

/// Every table, parents before children, with the order its rows are written in.
pub const TABLES: &[(&str, &str)] = &[
    ("units", "level DESC, code"),
    ("unit_generations", "id"),
    ("former_units", "generation, level, code"),
    ("unit_successions", "generation, from_level, from_code, to_level, to_code"),
    ("unit_changes", "id"),
    ("unit_change_steps", "change_id, row_no"),
    ("unit_change_moves", "change_id, level, from_code"),
    ("record_places", "register, record_id, generation"),
    ("model_types", "id"),
    ("areas", "id"),
    ("establishments", "id"),
    ("models", "id"),
    ("model_sites", "id"),
    ("model_teams", "id"),
    ("model_events", "id"),
    ("model_history", "id"),
    ("model_documents", "id"),
    ("rule_values", "id"),
    ("criteria_sets", "id"),
    ("criteria", "id"),
    ("rating_rounds", "id"),
    ("rating_sheets", "round_id, unit_code"),
    ("model_ratings", "id"),
    ("antt_records", "id"),
    ("antt_documents", "id"),
    ("movement_classifications", "id"),
    ("exemplars", "id"),
    ("force_teams", "id"),
    ("force_team_areas", "team_id, area_id"),
    ("force_members", "id"),
    ("force_events", "id"),
    ("force_documents", "id"),
    ("force_rating_sheets", "id"),
    ("force_ratings", "id"),
    ("force_courses", "id"),
    ("force_trainees", "id"),
    ("activity_kinds", "id"),
    ("activities", "id"),
    ("activity_models", "activity_id, model_id"),
    ("activity_weapons", "id"),
    ("activity_opinions", "id"),
    ("activity_documents", "id"),
    ("activity_totals", "year, level, province_code, commune_code, kind_id, month"),
    ("activity_weapon_totals", "year, level, province_code, commune_code, category, unit, month"),
    ("commendations", "id"),
    ("camera_centres", "id"),
    ("cameras", "id"),
    ("camera_status_changes", "id"),
    ("camera_totals", "province_code, commune_code, status, funding"),
    ("target_indicators", "id"),
    ("targets", "id"),
    ("official_reports", "id"),
    ("reports", "id"),
    ("report_identities", "report_id"),
    ("report_events", "id"),
    ("report_messages", "id"),
    ("report_attachments", "id"),
    ("calendar_days", "day"),
    ("users", "id"),
    ("sessions", "token_hash"),
    ("api_tokens", "id"),
    ("setup_tokens", "token_hash"),
    ("audit_head", "id"),
    ("audit_log", "id"),
];

/// The kind of a backup file, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupKind {
    /// A SQLite database file.
    Sqlite,
    /// A `pg_dump` custom-format archive.
    PgDump,
    /// antq's logical export.
    Logical,
}

const LOGICAL_MAGIC: &str = "{\"format\":\"antq-logical-backup\"";

/// Recognises a backup file.
pub fn kind_of(head: &[u8]) -> Option<BackupKind> {
    if head.starts_with(b"SQLite format 3\0") {
        Some(BackupKind::Sqlite)
    } else if head.starts_with(b"PGDMP") {
        Some(BackupKind::PgDump)
    } else if head.starts_with(LOGICAL_MAGIC.as_bytes()) {
        Some(BackupKind::Logical)
    } else {
        None
    }
}

/// Writes a consistent copy of a SQLite database to `path` (which must not exist).
pub async fn sqlite_vacuum_into(db: &Db, path: &Path) -> StoreResult<()> {
    let Db::Sqlite(p) = db else { return Err(StoreError::BadUrl("VACUUM INTO chỉ dùng cho SQLite.".into())) };
    sqlx::query("VACUUM INTO $1").bind(path.to_string_lossy().to_string()).execute(p).await?;
    Ok(())
}

/// Tables the migrations fill (the seeded taxonomy, the audit head): they do not make a
/// database "not empty", and a restore replaces their rows.
const SEEDED: &[&str] =
    &["model_types", "audit_head", "rule_values", "criteria_sets", "criteria", "activity_kinds", "target_indicators"];

/// Rows in the data tables: zero means empty.
pub async fn data_rows(db: &Db) -> StoreResult<i64> {
    let mut n = 0;
    for (t, _) in TABLES.iter().filter(|(t, _)| !SEEDED.contains(t)) {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let c: i64 = with_db!(db, p => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).fetch_one(p).await)?;
        n += c;
    }
    Ok(n)
}

/// Whether the PostgreSQL database has any table of antq.
pub async fn pg_has_tables(db: &Db) -> StoreResult<bool> {
    const SQL: &str =
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'units'";
    let n: i64 = with_db!(db, p => sqlx::query_scalar(SQL).fetch_one(p).await)?;
    Ok(n > 0)
}

/// Every table of the schema (migrations' own bookkeeping aside), for the check that
/// [`TABLES`] misses none.
pub async fn schema_tables(db: &Db) -> StoreResult<Vec<String>> {
    let mut names: Vec<String> = match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .fetch_all(p)
                .await?
        }
        Db::Postgres(p) => {
            sqlx::query_scalar(
                "SELECT table_name::TEXT FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(p)
            .await?
        }
    };
    names.retain(|n| n != "_sqlx_migrations");
    names.sort();
    Ok(names)
}

/// `(name, type)` of a table's columns in order.
async fn columns(db: &Db, table: &str) -> StoreResult<Vec<(String, String)>> {
    Ok(match db {
        Db::Sqlite(p) => {
            let sql = format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
        }
        Db::Postgres(p) => {
            sqlx::query_as(
                "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(p)
            .await?
        }
    })
}

fn is_binary(ty: &str) -> bool {
    matches!(ty.to_ascii_lowercase().as_str(), "bytea" | "blob")
}

/// Every row of a table as text (binary columns as hex), in the table's backup order.
pub async fn table_rows(db: &Db, table: &str) -> StoreResult<(Vec<String>, Vec<Vec<Option<String>>>)> {
    let order = TABLES.iter().find(|(t, _)| *t == table).map(|(_, o)| *o).unwrap_or("1");
    let cols = columns(db, table).await?;
    let exprs: Vec<String> = cols
        .iter()
        .map(|(c, ty)| match (db.backend(), is_binary(ty)) {
            (Backend::Postgres, true) => format!("encode({c}, 'hex')"),
            (Backend::Sqlite, true) => format!("lower(hex({c}))"),
            _ => format!("CAST({c} AS TEXT)"),
        })
        .collect();
    let sql = format!("SELECT {} FROM {table} ORDER BY {order}", exprs.join(", "));
    let rows: Vec<Vec<Option<String>>> = match db {
        Db::Sqlite(p) => {
            use sqlx::Row;
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?;
            rows.iter().map(|r| (0..cols.len()).map(|i| r.get::<Option<String>, _>(i)).collect()).collect()
        }
        Db::Postgres(p) => {
            use sqlx::Row;
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?;
            rows.iter().map(|r| (0..cols.len()).map(|i| r.get::<Option<String>, _>(i)).collect()).collect()
        }
    };
    Ok((cols.into_iter().map(|(c, _)| c).collect(), rows))
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::BadUrl(format!("lỗi đọc/ghi tệp sao lưu: {e}"))
}

/// Writes the logical export of every table (one consistent snapshot: a repeatable-read
/// transaction on PostgreSQL).
pub async fn write_logical(db: &Db, out: &mut impl Write) -> StoreResult<u64> {
    writeln!(out, "{LOGICAL_MAGIC},\"version\":1,\"backend\":\"{:?}\"}}", db.backend()).map_err(io)?;
    let mut n = 0u64;
    for (table, _) in TABLES {
        let (cols, rows) = table_rows(db, table).await?;
        writeln!(out, "{}", serde_json::json!({"table": table, "columns": cols})).map_err(io)?;
        for r in rows {
            writeln!(
                out,
                "{}",
                serde_json::Value::from(r.into_iter().map(serde_json::Value::from).collect::<Vec<_>>())
            )
            .map_err(io)?;
            n += 1;
        }
    }
    out.flush().map_err(io)?;
    Ok(n)
}

/// Loads a logical export into an empty, migrated PostgreSQL database, all or nothing.
pub async fn read_logical(db: &Db, input: impl BufRead) -> StoreResult<u64> {
    let Db::Postgres(_) = db else {
        return Err(StoreError::BadUrl("Bản sao lưu logic chỉ khôi phục vào PostgreSQL.".into()));
    };
    let bad = |m: &str| StoreError::BadUrl(format!("tệp sao lưu hỏng: {m}"));
    let mut tx = db.begin().await?;
    let mut current: Option<(String, Vec<String>, String)> = None;
    let mut n = 0u64;
    let mut lines = input.lines();
    let first = lines.next().ok_or_else(|| bad("trống"))?.map_err(io)?;
    if !first.starts_with(LOGICAL_MAGIC) {
        return Err(bad("không phải bản sao lưu logic của antq"));
    }
    let mut head: Option<(i64, String)> = None;
    // The seeded rows are replaced by the backup's, children first.
    let seeded = TABLES.iter().rev().map(|(t, _)| *t).filter(|t| SEEDED.contains(t) && *t != "audit_head");
    for table in seeded {
        let sql = format!("DELETE FROM {table}");
        with_tx!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(c).await.map(|_| ()))?;
    }
    for line in lines {
        let line = line.map_err(io)?;
        let v: serde_json::Value = serde_json::from_str(&line).map_err(|_| bad("dòng không phải JSON"))?;
        match v {
            serde_json::Value::Object(o) => {
                let table = o.get("table").and_then(|t| t.as_str()).ok_or_else(|| bad("thiếu tên bảng"))?;
                if !TABLES.iter().any(|(t, _)| *t == table) {
                    return Err(bad("bảng lạ"));
                }
                let cols: Vec<String> = serde_json::from_value(o.get("columns").cloned().unwrap_or_default())
                    .map_err(|_| bad("danh sách cột"))?;
                let types = columns(db, table).await?;
                if types.iter().map(|(c, _)| c).ne(cols.iter()) {
                    return Err(bad(&format!("cột của bảng {table} khác phiên bản hiện tại")));
                }
                let values: Vec<String> = types
                    .iter()
                    .enumerate()
                    .map(|(i, (_, ty))| {
                        if is_binary(ty) {
                            format!("decode(${}, 'hex')", i + 1)
                        } else {
                            format!("CAST(${} AS {ty})", i + 1)
                        }
                    })
                    .collect();
                let sql = format!("INSERT INTO {table} ({}) VALUES ({})", cols.join(", "), values.join(", "));
                current = Some((table.to_string(), cols, sql));
            }
            serde_json::Value::Array(vals) => {
                let (table, cols, sql) = current.as_ref().ok_or_else(|| bad("dòng dữ liệu trước tên bảng"))?;
                if vals.len() != cols.len() {
                    return Err(bad("số cột"));
                }
                let vals: Vec<Option<String>> = vals.into_iter().map(|v| v.as_str().map(str::to_string)).collect();
                match table.as_str() {
                    "audit_head" => {
                        head = Some((
                            vals[1].as_deref().and_then(|s| s.parse().ok()).unwrap_or(0),
                            vals[2].clone().unwrap_or_default(),
                        ));
                        continue;
                    }
                    "audit_log" => {
                        // Entries are numbered by the head: move it to each entry before writing it.
                        let id: i64 = vals[0].as_deref().and_then(|s| s.parse().ok()).ok_or_else(|| bad("số mục"))?;
                        with_tx!(&mut tx, c => sqlx::query("UPDATE audit_head SET seq = $1 WHERE id = 1").bind(id).execute(c).await.map(|_| ()))?;
                    }
                    _ => {}
                }
                insert(&mut tx, sql, &vals).await?;
                n += 1;
            }
            _ => return Err(bad("dòng không hợp lệ")),
        }
    }
    if let Some((seq, hash)) = head {
        with_tx!(&mut tx, c => sqlx::query("UPDATE audit_head SET seq = $1, last_hash = $2 WHERE id = 1").bind(seq).bind(&hash).execute(c).await.map(|_| ()))?;
    }
    for (table, _) in TABLES {
        let sql = format!(
            "SELECT setval(s, (SELECT COALESCE(MAX(id), 1) FROM {table}), (SELECT COUNT(*) > 0 FROM {table})) \
             FROM pg_get_serial_sequence('{table}', 'id') AS s WHERE s IS NOT NULL"
        );
        // Only a numeric id has a sequence (`unit_generations` is keyed by text).
        if columns(db, table).await?.iter().any(|(c, t)| c == "id" && t.to_ascii_lowercase().contains("int")) {
            with_tx!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(c).await.map(|_| ()))?;
        }
    }
    tx.commit().await?;
    Ok(n)
}

async fn insert(tx: &mut Tx, sql: &str, vals: &[Option<String>]) -> StoreResult<()> {
    let sql = sql.to_string();
    with_tx!(tx, c => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
        for v in vals {
            q = q.bind(v.clone());
        }
        q.execute(c).await.map(|_| ())
    })?;
    Ok(())
}
