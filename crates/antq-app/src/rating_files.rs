//! Bulk entry of ratings: a template per round filled with the models and sites to rate
//! (one row each), and its import with a dry run, all or nothing.

use std::collections::{BTreeMap, HashSet};

use antq_domain::access::Permission;
use antq_domain::rating::RatingInput;
use antq_interchange::{Column, Format, RawRow};

use crate::interchange::{ImportError, ImportReport, col};
use crate::ratings::{self, Checked};
use crate::{Actor, AppCtx, AppError, AppResult};

/// The columns of the rating file.
pub static COLUMNS: &[Column] = &[
    col(
        "model_id",
        "Mã mô hình",
        &["ma mo hinh", "so hieu mo hinh"],
        true,
        "Số hiệu mô hình trong hệ thống (có sẵn trong mẫu).",
    ),
    col(
        "site_id",
        "Mã điểm",
        &["ma diem", "so hieu diem"],
        false,
        "Số hiệu điểm mô hình; để trống khi xếp loại chính mô hình.",
    ),
    col("unit", "Đơn vị", &["don vi", "xa"], false, "Chỉ để đọc."),
    col("model_name", "Tên mô hình", &["ten mo hinh"], false, "Chỉ để đọc."),
    col("site_name", "Tên điểm", &["ten diem"], false, "Chỉ để đọc."),
    col(
        "rating",
        "Xếp loại",
        &["xep loai", "muc xep loai"],
        true,
        "Tốt, Khá, Trung bình, Cần thanh loại hoặc Chưa đánh giá (phải ghi lý do).",
    ),
    col(
        "criteria",
        "Tiêu chí đạt",
        &["tieu chi dat", "tieu chi"],
        false,
        "Mã các tiêu chí đạt, cách nhau bằng dấu phẩy, ví dụ: HD22.1, HD22.3.",
    ),
    col("note", "Ghi chú, lý do", &["ghi chu", "ly do"], false, "Bắt buộc khi xếp «Chưa đánh giá»."),
];

/// The template of a round: every model and site the actor may rate, with what is entered.
pub async fn template(ctx: &AppCtx, actor: &Actor, round_id: i64, format: Format) -> AppResult<Vec<u8>> {
    let (round, sheets) = ratings::sheets(ctx, actor, round_id).await?;
    let names = crate::units::names(ctx, sheets.iter().map(|s| s.unit_code.clone())).await?;
    let mut rows = Vec::new();
    for s in sheets.iter().filter(|s| actor.scope.contains(&s.province_code, s.commune_code.as_deref())) {
        let view = ratings::sheet_view(ctx, actor, round.id, &s.unit_code).await?;
        for t in view.targets {
            let r = t.rating.as_ref();
            rows.push(vec![
                t.model_id.to_string(),
                t.site_id.map(|i| i.to_string()).unwrap_or_default(),
                names.get(&s.unit_code).cloned().unwrap_or(s.unit_code.clone()),
                t.model_name,
                t.site_name.unwrap_or_default(),
                r.map(|r| r.rating.label().to_string()).unwrap_or_default(),
                r.map(|r| r.checklist.keys().cloned().collect::<Vec<_>>().join(", ")).unwrap_or_default(),
                r.and_then(|r| r.note.clone()).or(t.forced_reason).unwrap_or_default(),
            ]);
        }
    }
    Ok(antq_interchange::write(format, &format!("Xếp loại {}", round.year), COLUMNS, &rows))
}

fn row_input(r: &RawRow, errs: &mut Vec<ImportError>) -> Option<RatingInput> {
    let mut bad = |key: &str, message: String| {
        let column = COLUMNS.iter().find(|c| c.key == key).map(|c| c.header.to_string());
        errs.push(ImportError { row: r.row, column, message });
    };
    let int = |key: &str| -> Result<Option<i64>, String> {
        r.get(key).map(|v| v.parse::<i64>().map_err(|_| format!("«{v}» không phải số hiệu."))).transpose()
    };
    let model_id = match int("model_id") {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            bad("model_id", "Thiếu mã mô hình.".into());
            None
        }
        Err(m) => {
            bad("model_id", m);
            None
        }
    };
    let site_id = int("site_id").unwrap_or_else(|m| {
        bad("site_id", m);
        None
    });
    let checklist: BTreeMap<String, bool> = r
        .get("criteria")
        .unwrap_or("")
        .split([',', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| (c.to_string(), true))
        .collect();
    model_id.map(|m| RatingInput {
        model_id: Some(m),
        site_id,
        rating: r.get("rating").map(Into::into),
        checklist,
        note: r.get("note").map(Into::into),
    })
}

/// Checks every row of a rating file against the round and, unless `dry_run` or any row is
/// bad, writes all ratings in one transaction.
#[tracing::instrument(skip_all, fields(round = round_id, dry_run))]
pub async fn import(
    ctx: &AppCtx,
    actor: &Actor,
    round_id: i64,
    bytes: &[u8],
    format: Option<Format>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    actor.require(Permission::WriteRegistry)?;
    ratings::round(ctx, actor, round_id).await?;
    let format = format.unwrap_or_else(|| Format::detect(bytes));
    let rows = antq_interchange::read(bytes, format, COLUMNS, ctx.settings.max_import_rows)
        .map_err(|e| AppError::Invalid(antq_domain::FieldErrors::single("file", e.to_string())))?;
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut checked: Vec<Checked> = Vec::new();
    let rules = ratings::rules_for(ctx, actor, round_id).await?;
    for r in &rows {
        let Some(input) = row_input(r, &mut errors) else { continue };
        if !seen.insert((input.model_id, input.site_id)) {
            errors.push(ImportError {
                row: r.row,
                column: None,
                message: "Mô hình (điểm) này xuất hiện hai lần trong tệp; mỗi mô hình chỉ một dòng.".into(),
            });
            continue;
        }
        match ratings::check(ctx, actor, round_id, &input, Some(&rules)).await {
            Ok(c) => checked.push(c),
            Err(AppError::Invalid(e)) => errors.extend(e.0.into_iter().map(|(field, message)| {
                ImportError {
                    row: r.row,
                    column: COLUMNS
                        .iter()
                        .find(|c| c.key == field || (field == "checklist" && c.key == "criteria"))
                        .map(|c| c.header.to_string()),
                    message,
                }
            })),
            Err(e @ (AppError::Conflict(_) | AppError::Forbidden(_) | AppError::NotFound(_))) => {
                errors.push(ImportError { row: r.row, column: None, message: e.to_string() })
            }
            Err(e) => return Err(e),
        }
    }
    let valid = checked.len();
    if !errors.is_empty() || dry_run || rows.is_empty() {
        return Ok(ImportReport { rows: rows.len(), valid, errors, committed: false, created: 0, dry_run });
    }
    let written = ratings::write_many(ctx, actor, &checked).await?;
    tracing::info!(rows = rows.len(), written, "ratings import");
    Ok(ImportReport { rows: rows.len(), valid, errors, committed: true, created: written, dry_run })
}
