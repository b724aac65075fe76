//! Target files: a province's targets and their split among its communes in one sheet (one row
//! per unit and indicator), imported all or nothing — a row for a target that exists sets its
//! new value — and the export of the filtered targets.

use std::collections::HashMap;

use antq_domain::access::Permission;
use antq_domain::target::{TargetInput, format_milli};
use antq_domain::text::fold;
use antq_interchange::{Column, Format, RawRow};
use antq_store::targets::{self as store, NewTarget, TargetFilter};

use super::{TargetQuery, unit_place, usable_in};
use crate::interchange::{Errors, ImportReport, Registry, audit_import, col, finish};
use crate::{Actor, AppCtx, AppResult};

/// The columns of the target file.
pub static TARGET_COLUMNS: &[Column] = &[
    col("year", "Năm", &["nam", "nam ke hoach"], true, "Năm của chỉ tiêu, ví dụ 2026."),
    col(
        "unit_code",
        "Mã đơn vị",
        &["ma don vi", "ma tinh", "ma xa", "ma xa phuong"],
        true,
        "Mã tỉnh (2 chữ số) cho chỉ tiêu của tỉnh, mã xã (5 chữ số) cho chỉ tiêu giao xã.",
    ),
    col(
        "indicator",
        "Mã chỉ tiêu",
        &["ma chi tieu", "chi tieu"],
        true,
        "Mã hoặc tên chỉ tiêu như trong danh mục, ví dụ mo_hinh_moi.",
    ),
    col(
        "value",
        "Giá trị chỉ tiêu",
        &["gia tri", "chi tieu giao", "muc chi tieu"],
        true,
        "Số lượng (12; 1.200) hoặc tỷ lệ phần trăm (75; 75,5).",
    ),
    col("note", "Ghi chú", &["ghi chu"], false, "Tùy ý."),
];

/// Checks every row and, unless `dry_run` or any row is bad, writes them all in one transaction.
pub(crate) async fn import(
    ctx: &AppCtx,
    actor: &Actor,
    rows: &[RawRow],
    errs: &mut Errors<'_>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    actor.require(Permission::ManageTaxonomy)?;
    let indicators = super::indicators(ctx, actor).await?;
    let mut existing: HashMap<(i32, String, Option<String>, i64), i64> = HashMap::new();
    let mut years_loaded: Vec<(i32, String)> = Vec::new();
    let mut seen = HashMap::new();
    let mut inserts = Vec::new();
    let mut updates = Vec::new();
    for r in rows {
        let before = errs.list.len();
        let place = match r.get("unit_code") {
            Some(code) => unit_place(ctx, code).await?.map_err(|m| errs.cell(r.row, "unit_code", m)).ok(),
            None => None,
        };
        if let Some((p, c)) = &place
            && !actor.scope.contains(p, c.as_deref())
        {
            errs.cell(r.row, "unit_code", "Đơn vị này nằm ngoài địa bàn bạn được giao.");
        }
        let wanted = r.get("indicator").map(fold).unwrap_or_default();
        let ind = indicators.iter().find(|i| {
            place.as_ref().is_some_and(|(p, _)| usable_in(i, p)) && (fold(&i.code) == wanted || fold(&i.name) == wanted)
        });
        match (ind, r.get("indicator")) {
            (Some(i), _) if !i.active => {
                errs.cell(r.row, "indicator", format!("Chỉ tiêu «{}» đã ngừng áp dụng.", i.name))
            }
            (None, Some(v)) if place.is_some() => {
                errs.cell(r.row, "indicator", format!("Không có chỉ tiêu «{v}» của tỉnh này hay toàn quốc."))
            }
            _ => {}
        }
        let year = match r.get("year").map(|y| y.trim().parse::<i32>()) {
            Some(Ok(y)) => Some(y),
            Some(Err(_)) => {
                errs.cell(r.row, "year", "Năm phải là số, ví dụ 2026.");
                None
            }
            None => None,
        };
        let input = TargetInput {
            year,
            unit_code: r.get("unit_code").map(Into::into),
            indicator_id: ind.map(|i| i.id),
            value: r.get("value").map(Into::into),
            note: r.get("note").map(Into::into),
        };
        let fields = ind.map(|i| input.validate(i.unit, ctx.today()));
        if let Some(Err(e)) = &fields {
            errs.fields(r.row, e, &[("indicator_id", "indicator")]);
        }
        let (Some((province, commune)), Some(ind), Some(Ok(f))) = (place, ind, fields) else { continue };
        if errs.list.len() != before {
            continue;
        }
        if !years_loaded.contains(&(f.year, province.clone())) {
            let filter = TargetFilter { year: Some(f.year), province: Some(province.clone()), ..Default::default() };
            for t in store::list_all(&ctx.db, &filter).await? {
                existing.insert((t.year, t.province_code, t.commune_code, t.indicator_id), t.id);
            }
            years_loaded.push((f.year, province.clone()));
        }
        let key = (f.year, province, commune, ind.id);
        if let Some(first) = seen.insert(key.clone(), r.row) {
            errs.cell(r.row, "indicator", format!("Trùng với dòng {first}: cùng năm, đơn vị và chỉ tiêu."));
            continue;
        }
        match existing.get(&key) {
            Some(id) => updates.push((*id, key, f)),
            None => inserts.push((key, f)),
        }
    }
    let valid = inserts.len() + updates.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let new: Vec<NewTarget<'_>> = inserts
        .iter()
        .map(|((year, p, c, id), f)| NewTarget {
            year: *year,
            province: p,
            commune: c.as_deref(),
            indicator_id: *id,
            target_milli: f.target_milli,
            note: f.note.as_deref(),
        })
        .collect();
    let mut tx = ctx.db.begin().await?;
    for chunk in new.chunks(2000) {
        store::insert_many(&mut tx, chunk, &actor.username, ctx.now()).await?;
    }
    for (id, _, f) in &updates {
        store::update(&mut tx, *id, f.target_milli, f.note.as_deref(), ctx.now()).await?;
    }
    let places = inserts.iter().map(|(k, _)| k).chain(updates.iter().map(|(_, k, _)| k));
    audit_import(&mut tx, ctx, actor, Registry::Targets, places.map(|(_, p, c, _)| (p.as_str(), c.as_deref()))).await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), valid, false))
}

/// Exports the filtered targets: the import columns, then names and the unit.
#[tracing::instrument(skip_all)]
pub async fn export(ctx: &AppCtx, actor: &Actor, q: &TargetQuery, format: Format) -> AppResult<Vec<u8>> {
    let list = super::list_all(ctx, actor, q).await?;
    let codes: std::collections::BTreeSet<String> =
        list.iter().flat_map(|t| std::iter::once(t.province_code.clone()).chain(t.commune_code.clone())).collect();
    let names = crate::units::names(ctx, codes.into_iter()).await?;
    let mut cols = vec![col("id", "Số hiệu", &[], false, "")];
    cols.extend_from_slice(TARGET_COLUMNS);
    cols.push(col("unit_name", "Tên đơn vị", &[], false, ""));
    cols.push(col("indicator_name", "Tên chỉ tiêu", &[], false, ""));
    cols.push(col("unit", "Đơn vị tính", &[], false, ""));
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|t| {
            let unit = t.commune_code.clone().unwrap_or_else(|| t.province_code.clone());
            vec![
                t.id.to_string(),
                t.year.to_string(),
                unit.clone(),
                t.indicator_code.clone(),
                format_milli(t.unit, t.target_milli),
                t.note.clone().unwrap_or_default(),
                names.get(&unit).cloned().unwrap_or_default(),
                t.indicator_name.clone(),
                t.unit.label().to_string(),
            ]
        })
        .collect();
    Ok(antq_interchange::write(format, Registry::Targets.title(), &cols, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_fields_map_to_cells() {
        let mut seen = std::collections::HashSet::new();
        assert!(TARGET_COLUMNS.iter().all(|c| seen.insert(c.key)));
        for f in ["year", "unit_code", "value", "note"] {
            assert!(TARGET_COLUMNS.iter().any(|c| c.key == f), "{f}");
        }
    }
}
