//! Commendation files: the import layout (proposals, or awards already decided with their
//! decision), the all-or-nothing import with row errors, and the export of the register.

use std::collections::HashSet;

use antq_domain::commendation::CommendationInput;
use antq_domain::text::fold;
use antq_interchange::{Column, Format};
use antq_store::keys::{Keyed, keys};

use super::CommendationQuery;
use crate::interchange::{
    Errors, FORMER_COMMUNE, FORMER_DISTRICT, FORMER_PROVINCE, FormerCells, ImportReport, Registry, Restated,
    audit_import, col, export_layout, finish, keep_former, parse_int,
};
use crate::{Actor, AppCtx, AppError, AppResult};
use antq_store::former_places::Placed;

/// The columns of the commendation file.
pub static COMMENDATION_COLUMNS: &[Column] = &[
    col("commune_code", "Mã xã", &["ma don vi", "ma phuong"], false, "Mã 5 chữ số của xã; để trống: của cấp tỉnh."),
    col(
        "form",
        "Hình thức khen thưởng",
        &["hinh thuc"],
        true,
        "Bằng khen của Chủ tịch UBND tỉnh; Giấy khen của Giám đốc Công an tỉnh; Giấy khen của Chủ tịch UBND xã; Kỷ niệm chương «Bảo vệ an ninh Tổ quốc» …",
    ),
    col(
        "level",
        "Cấp khen thưởng",
        &["cap"],
        false,
        "Nhà nước; Thủ tướng Chính phủ; Bộ Công an; Cấp tỉnh; Cấp xã (theo hình thức khi để trống).",
    ),
    col(
        "authority",
        "Cấp, người quyết định",
        &["nguoi quyet dinh", "co quan quyet dinh"],
        false,
        "Theo hình thức khi để trống.",
    ),
    col("reason", "Thành tích, lý do", &["thanh tich", "ly do"], true, "Tối đa 2.000 ký tự."),
    col("movement_year", "Năm phong trào", &["nam"], false, "Năm được khen (mặc định: năm quyết định)."),
    col("campaign", "Đợt, phong trào", &["dot", "chuyen de"], false, "Ví dụ: Ngày hội toàn dân bảo vệ ANTQ 2026."),
    col(
        "recipient_kind",
        "Đối tượng",
        &["doi tuong", "loai doi tuong"],
        true,
        "Tập thể; Cơ quan, doanh nghiệp, trường học; Mô hình; Cán bộ, chiến sĩ, người đứng đầu (cá nhân); Công dân (cá nhân).",
    ),
    col("recipient_name", "Tên tập thể, cá nhân", &["ho ten", "ten"], false, "Bắt buộc với tập thể, cán bộ, công dân."),
    col("model", "Tên mô hình", &["mo hinh"], false, "Đối tượng «Mô hình»: tên mô hình của xã."),
    col(
        "citizen_id",
        "Số định danh cá nhân",
        &["cccd", "so cccd", "so dinh danh"],
        false,
        "12 chữ số; bắt buộc với Kỷ niệm chương (mỗi người một lần).",
    ),
    col("cash_vnd", "Tiền thưởng (đồng)", &["tien thuong"], false, "Số tiền, chỉ chữ số."),
    col("decision_no", "Số quyết định", &["so qd", "quyet dinh"], false, "Có số và ngày: ghi nhận là đã quyết định."),
    col("decided_on", "Ngày quyết định", &["ngay qd"], false, "dd/mm/yyyy."),
    col("note", "Ghi chú", &["ghi chu"], false, "Tùy ý."),
    FORMER_COMMUNE,
    FORMER_DISTRICT,
    FORMER_PROVINCE,
];

/// Checks every row and, unless `dry_run` or any row is bad, writes them all in one transaction.
pub(crate) async fn import(
    ctx: &AppCtx,
    actor: &Actor,
    restated: &Restated,
    errs: &mut Errors<'_>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let rows = &restated.rows;
    let models: std::collections::HashMap<(String, String), i64> =
        keys(&ctx.db, Keyed::Models, actor.scope.province(), actor.scope.commune())
            .await?
            .into_iter()
            .map(|(id, c, k)| ((c.unwrap_or_default(), k), id))
            .collect();
    let mut medals = HashSet::new();
    let (mut good, mut former) = (Vec::new(), Vec::new());
    for r in rows {
        let before = errs.list.len();
        let commune = r.get("commune_code").unwrap_or("").to_string();
        let mut num = |key: &str, label: &str| {
            parse_int(r.get(key)).unwrap_or_else(|_| {
                errs.cell(r.row, key, format!("{label} phải là số nguyên."));
                None
            })
        };
        let cash_vnd = num("cash_vnd", "Tiền thưởng");
        let movement_year = num("movement_year", "Năm phong trào").map(|y| y as i32);
        let model_id = r.get("model").and_then(|m| {
            models.get(&(commune.clone(), fold(m))).copied().or_else(|| {
                errs.cell(r.row, "model", format!("Không có mô hình «{m}» ở xã này."));
                None
            })
        });
        let input = CommendationInput {
            commune_code: r.get("commune_code").map(Into::into),
            form: r.get("form").map(Into::into),
            level: r.get("level").map(Into::into),
            authority: r.get("authority").map(Into::into),
            reason: r.get("reason").map(Into::into),
            movement_year,
            campaign: r.get("campaign").map(Into::into),
            recipient_kind: r.get("recipient_kind").map(Into::into),
            recipient_name: r.get("recipient_name").map(Into::into),
            model_id,
            citizen_id: r.get("citizen_id").map(Into::into),
            cash_vnd,
            decision_no: r.get("decision_no").map(Into::into),
            decided_on: r.get("decided_on").map(Into::into),
            note: r.get("note").map(Into::into),
            ..Default::default()
        };
        match super::prepare(ctx, actor, &input).await {
            Ok(p) => {
                if let Some(k) = p.medal_key()
                    && !medals.insert(k.to_string())
                {
                    errs.cell(r.row, "citizen_id", "Người này đã có một dòng Kỷ niệm chương cùng loại trong tệp.");
                } else if errs.list.len() == before {
                    good.push(p);
                    former.push(restated.of(r.row));
                }
            }
            Err(AppError::Invalid(e)) => {
                for (k, m) in e.0 {
                    let key = if k == "model_id" { "model".to_string() } else { k };
                    errs.cell(r.row, &key, m);
                }
            }
            Err(AppError::Conflict(m) | AppError::Forbidden(m)) => errs.cell(r.row, "recipient_name", m),
            Err(e) => return Err(e),
        }
    }
    let valid = good.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let today = ctx.today();
    let new: Vec<_> = good.iter().map(|p| p.row(actor, today)).collect();
    let mut tx = ctx.db.begin().await?;
    let ids = antq_store::commendations::insert_many(&mut tx, &new, ctx.now()).await.map_err(super::second_medal)?;
    keep_former(&mut tx, Placed::Commendations, &ids, &former).await?;
    audit_import(&mut tx, ctx, actor, Registry::Commendations, good.iter().map(|p| p.place())).await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), good.len(), false))
}

/// Exports the filtered register (the citizen id only as its last four digits).
#[tracing::instrument(skip_all)]
pub async fn export(ctx: &AppCtx, actor: &Actor, q: &CommendationQuery, format: Format) -> AppResult<Vec<u8>> {
    let list = super::list_all(ctx, actor, q).await?;
    let codes: std::collections::BTreeSet<String> =
        list.iter().flat_map(|c| std::iter::once(c.province_code.clone()).chain(c.commune_code.clone())).collect();
    let names = crate::units::names(ctx, codes.into_iter()).await?;
    let extra = [
        col("state", "Trạng thái", &[], false, ""),
        col("proposed_on", "Ngày đề xuất", &[], false, ""),
        col("commune_name", "Tên xã", &[], false, ""),
        col("province_name", "Tên tỉnh", &[], false, ""),
    ];
    let cols = export_layout(col("id", "Số hiệu", &[], false, ""), COMMENDATION_COLUMNS, &extra);
    let former = FormerCells::load(ctx, Placed::Commendations, list.iter().map(|c| c.id)).await?;
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            let mut v = vec![
                c.id.to_string(),
                o(&c.commune_code),
                c.form.label().into(),
                c.level.label().into(),
                c.authority.clone(),
                c.reason.clone(),
                c.movement_year.to_string(),
                o(&c.campaign),
                c.recipient_kind.label().into(),
                c.recipient_name.clone(),
                if c.model_id.is_some() { c.recipient_name.clone() } else { String::new() },
                o(&c.citizen_id_masked),
                if c.cash_vnd == 0 { String::new() } else { c.cash_vnd.to_string() },
                o(&c.decision_no),
                c.decided_on.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                o(&c.note),
                c.state.label().into(),
                c.proposed_on.format("%d/%m/%Y").to_string(),
                c.commune_code.as_ref().and_then(|x| names.get(x)).cloned().unwrap_or_default(),
                names.get(&c.province_code).cloned().unwrap_or_default(),
            ];
            v.extend(former.cells(c.id));
            v
        })
        .collect();
    Ok(antq_interchange::write(format, Registry::Commendations.title(), &cols, &rows))
}
