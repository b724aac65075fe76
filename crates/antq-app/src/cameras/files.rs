//! Camera files: the import layout (coordinates in decimal degrees, headers with or without
//! diacritics), the all-or-nothing import with row errors, and the export of a filtered register.

use std::collections::HashMap;

use antq_domain::camera::CameraInput;
use antq_domain::text::fold;
use antq_interchange::{Column, Format};
use antq_store::keys::Keyed;

use super::{CameraQuery, Links};
use crate::interchange::{
    Errors, FORMER_COMMUNE, FORMER_DISTRICT, FORMER_PROVINCE, FormerCells, ImportReport, Registry, Restated,
    audit_import, col, export_layout, finish, ids_by_name, keep_former, parse_int,
};
use crate::{Actor, AppCtx, AppResult};
use antq_store::former_places::Placed;

/// The columns of the camera file.
pub static CAMERA_COLUMNS: &[Column] = &[
    col(
        "commune_code",
        "Mã xã",
        &["ma don vi", "ma phuong", "ma xa phuong"],
        false,
        "Mã xã, phường, đặc khu 5 chữ số (bắt buộc, trừ dòng ghi theo «Xã cũ»).",
    ),
    col(
        "name",
        "Tên, số hiệu điểm camera",
        &["ten diem camera", "ten camera", "ten diem", "so hieu", "ten"],
        true,
        "Ví dụ: Ngã ba chợ Vĩnh Lương.",
    ),
    col("address", "Địa chỉ", &["dia chi", "vi tri lap dat"], false, "Số nhà, đường, thôn, tổ dân phố."),
    col(
        "latitude",
        "Vĩ độ",
        &["vi do", "lat", "latitude"],
        false,
        "Độ thập phân (WGS84), ví dụ 12,2388; để trống cùng kinh độ nếu chưa có.",
    ),
    col(
        "longitude",
        "Kinh độ",
        &["kinh do", "lon", "lng", "longitude"],
        false,
        "Độ thập phân (WGS84), ví dụ 109,1967.",
    ),
    col(
        "area",
        "Khu dân cư",
        &["khu dan cu", "thon", "to dan pho"],
        false,
        "Tên khu dân cư của xã (như trong danh mục).",
    ),
    col(
        "establishment",
        "Cơ quan, doanh nghiệp, trường học",
        &["co so", "co quan", "doanh nghiep"],
        false,
        "Tên cơ sở của xã (như trong danh mục).",
    ),
    col("model", "Mô hình quản lý", &["mo hinh"], false, "Tên mô hình của xã, thường là mô hình camera giám sát ANTT."),
    col(
        "installed_on",
        "Ngày lắp đặt",
        &["ngay lap dat", "ngay lap", "lap dat"],
        true,
        "dd/mm/yyyy, không sau hôm nay.",
    ),
    col(
        "kind",
        "Loại camera",
        &["loai camera", "loai"],
        false,
        "Cố định; Quay quét (PTZ); Tích hợp AI (mặc định: Cố định).",
    ),
    col(
        "watches",
        "Vị trí giám sát",
        &["vi tri giam sat", "giam sat"],
        true,
        "Đường giao thông, nút giao; Ngõ, xóm, khu dân cư; Chợ, trung tâm thương mại; Cổng trường học; Cơ sở tôn giáo, tín ngưỡng; Bến xe, bến tàu, nhà ga; Trụ sở cơ quan, doanh nghiệp; Điểm du lịch, công viên, quảng trường; Khác.",
    ),
    col(
        "funding",
        "Nguồn kinh phí",
        &["nguon kinh phi", "nguon von", "kinh phi tu"],
        true,
        "Ngân sách nhà nước; Xã hội hóa; Doanh nghiệp; Hộ gia đình.",
    ),
    col("cost_vnd", "Kinh phí (đồng)", &["kinh phi", "so tien", "chi phi"], false, "Số nguyên, ví dụ 12.500.000."),
    col(
        "keeper",
        "Người, đơn vị quản lý",
        &["nguoi quan ly", "don vi quan ly", "quan ly"],
        false,
        "Hộ gia đình, tổ bảo vệ ANTT, Công an xã …",
    ),
    col(
        "centre",
        "Trung tâm giám sát",
        &["trung tam", "trung tam giam sat"],
        false,
        "Tên trung tâm của tỉnh hoặc xã (như trong danh mục).",
    ),
    col("status", "Trạng thái", &["trang thai", "tinh trang"], false, "Hoạt động; Hỏng (mặc định: Hoạt động)."),
    col("note", "Ghi chú", &["ghi chu"], false, "Tùy ý. Không ghi địa chỉ luồng video hay mật khẩu."),
    FORMER_COMMUNE,
    FORMER_DISTRICT,
    FORMER_PROVINCE,
];

/// Import-file keys of the input fields whose names differ.
fn cell_key(field: &str) -> &str {
    match field {
        "area_id" => "area",
        "establishment_id" => "establishment",
        "model_id" => "model",
        "centre_id" => "centre",
        other => other,
    }
}

/// Checks every row and, unless `dry_run` or any row is bad, writes them all in one transaction.
pub(crate) async fn import(
    ctx: &AppCtx,
    actor: &Actor,
    restated: &Restated,
    errs: &mut Errors<'_>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let rows = &restated.rows;
    let areas = ids_by_name(ctx, actor, Keyed::Areas).await?;
    let establishments = ids_by_name(ctx, actor, Keyed::Establishments).await?;
    let models = ids_by_name(ctx, actor, Keyed::Models).await?;
    let centres: Vec<_> = super::centres(ctx, actor).await?;
    let mut links = Links::default();
    let (mut good, mut former) = (Vec::new(), Vec::new());
    for r in rows {
        let before = errs.list.len();
        let commune = r.get("commune_code").unwrap_or("").to_string();
        let mut named = |key: &str, map: &HashMap<(String, String), i64>, what: &str| {
            r.get(key).and_then(|v| {
                map.get(&(commune.clone(), fold(v))).copied().or_else(|| {
                    errs.cell(r.row, key, format!("Không có {what} «{v}» ở xã này."));
                    None
                })
            })
        };
        let area_id = named("area", &areas, "khu dân cư");
        let establishment_id = named("establishment", &establishments, "cơ quan, doanh nghiệp, trường học");
        let model_id = named("model", &models, "mô hình");
        let centre_id = r.get("centre").and_then(|v| {
            let f = fold(v);
            let own = |c: &&antq_domain::camera::Centre| {
                fold(&c.name) == f && c.commune_code.as_deref().is_none_or(|cc| cc == commune)
            };
            centres.iter().find(own).map(|c| c.id).or_else(|| {
                errs.cell(r.row, "centre", format!("Không có trung tâm giám sát «{v}» của tỉnh hoặc xã này."));
                None
            })
        });
        let cost_vnd = parse_int(r.get("cost_vnd")).unwrap_or_else(|_| {
            errs.cell(r.row, "cost_vnd", "Kinh phí phải là số nguyên (đồng).");
            None
        });
        let input = CameraInput {
            commune_code: r.get("commune_code").map(Into::into),
            area_id,
            establishment_id,
            name: r.get("name").map(Into::into),
            address: r.get("address").map(Into::into),
            latitude: r.get("latitude").map(Into::into),
            longitude: r.get("longitude").map(Into::into),
            model_id,
            installed_on: r.get("installed_on").map(Into::into),
            kind: r.get("kind").map(Into::into),
            watches: r.get("watches").map(Into::into),
            funding: r.get("funding").map(Into::into),
            cost_vnd,
            keeper: r.get("keeper").map(Into::into),
            centre_id,
            status: r.get("status").map(Into::into),
            note: r.get("note").map(Into::into),
        };
        match links.resolve(ctx, actor, &input).await? {
            Ok(resolved) if errs.list.len() == before => {
                good.push(resolved);
                former.push(restated.of(r.row));
            }
            Ok(_) => {}
            Err(e) => {
                for (k, m) in e.0 {
                    errs.cell(r.row, cell_key(&k), m);
                }
            }
        }
    }
    let valid = good.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let new: Vec<_> = good.iter().map(|g| g.new_camera()).collect();
    let mut tx = ctx.db.begin().await?;
    for (chunk, former) in new.chunks(5000).zip(former.chunks(5000)) {
        let ids = antq_store::cameras::insert_many(&mut tx, chunk, &actor.username, ctx.now()).await?;
        keep_former(&mut tx, Placed::Cameras, &ids, former).await?;
    }
    audit_import(&mut tx, ctx, actor, Registry::Cameras, new.iter().map(|c| (c.province, Some(c.commune)))).await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), good.len(), false))
}

/// Exports the filtered register: the import columns, then id, status since, names.
#[tracing::instrument(skip_all)]
pub async fn export(ctx: &AppCtx, actor: &Actor, q: &CameraQuery, format: Format) -> AppResult<Vec<u8>> {
    let list = super::list_all(ctx, actor, q).await?;
    let codes: std::collections::BTreeSet<String> =
        list.iter().flat_map(|c| [c.province_code.clone(), c.commune_code.clone()]).collect();
    let names = crate::units::names(ctx, codes.into_iter()).await?;
    let extra = [
        col("status_since", "Trạng thái từ ngày", &[], false, ""),
        col("commune_name", "Tên xã", &[], false, ""),
        col("province_name", "Tên tỉnh", &[], false, ""),
    ];
    let cols = export_layout(col("id", "Số hiệu", &[], false, ""), CAMERA_COLUMNS, &extra);
    let former = FormerCells::load(ctx, Placed::Cameras, list.iter().map(|c| c.id)).await?;
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let deg = |v: Option<f64>| v.map(|v| format!("{v:.6}").replace('.', ",")).unwrap_or_default();
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            let mut v = vec![
                c.id.to_string(),
                c.commune_code.clone(),
                c.name.clone(),
                o(&c.address),
                deg(c.latitude),
                deg(c.longitude),
                o(&c.area_name),
                o(&c.establishment_name),
                o(&c.model_name),
                c.installed_on.format("%d/%m/%Y").to_string(),
                c.kind.label().to_string(),
                c.watches.label().to_string(),
                c.funding.label().to_string(),
                c.cost_vnd.to_string(),
                o(&c.keeper),
                o(&c.centre_name),
                c.status.label().to_string(),
                o(&c.note),
                c.status_since.format("%d/%m/%Y").to_string(),
                names.get(&c.commune_code).cloned().unwrap_or_default(),
                names.get(&c.province_code).cloned().unwrap_or_default(),
            ];
            v.extend(former.cells(c.id));
            v
        })
        .collect();
    Ok(antq_interchange::write(format, Registry::Cameras.title(), &cols, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_fields_map_to_cells() {
        let mut seen = std::collections::HashSet::new();
        assert!(CAMERA_COLUMNS.iter().all(|c| seen.insert(c.key)));
        for f in ["area_id", "establishment_id", "model_id", "centre_id", "latitude", "name"] {
            let key = cell_key(f);
            assert!(CAMERA_COLUMNS.iter().any(|c| c.key == key), "{f}");
        }
    }
}
