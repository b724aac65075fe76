//! Activity files: the import layout (one row per activity, item lines in one cell), the
//! all-or-nothing import with row errors, and the export of a filtered register.

use std::collections::HashMap;

use antq_domain::activity::{Activity, ActivityInput, ParticipantGroup, WeaponLineInput};
use antq_domain::text::fold;
use antq_interchange::{Column, Format};
use antq_store::keys::Keyed;

use super::{ActivityQuery, Links};
use crate::interchange::{
    Errors, FORMER_COMMUNE, FORMER_DISTRICT, FORMER_PROVINCE, FormerCells, ImportReport, Registry, Restated,
    audit_import, col, export_layout, finish, ids_by_name, keep_former, parse_int,
};
use crate::{Actor, AppCtx, AppResult};
use antq_store::former_places::Placed;

/// The columns of the activity file.
pub static ACTIVITY_COLUMNS: &[Column] = &[
    col(
        "commune_code",
        "Mã xã",
        &["ma don vi", "ma phuong", "ma xa phuong"],
        false,
        "Mã 5 chữ số của xã, phường, đặc khu; để trống: hoạt động của cấp tỉnh (tài khoản cấp tỉnh).",
    ),
    col(
        "kind",
        "Loại hoạt động",
        &["loai", "hinh thuc"],
        true,
        "Tên hoặc mã loại trong danh mục (Tuyên truyền, Hội nghị «Công an lắng nghe ý kiến Nhân dân», Ký cam kết …).",
    ),
    col("title", "Chủ đề, nội dung", &["chu de", "noi dung", "ten hoat dong"], true, "Tối đa 300 ký tự."),
    col("starts_on", "Ngày tổ chức", &["ngay", "tu ngay", "ngay bat dau"], true, "dd/mm/yyyy, không sau hôm nay."),
    col("ends_on", "Ngày kết thúc", &["den ngay"], false, "dd/mm/yyyy; để trống nếu trong một ngày."),
    col("location", "Địa điểm", &["dia diem", "noi to chuc"], false, "Hội trường, nhà văn hóa thôn …"),
    col(
        "area",
        "Khu dân cư",
        &["khu dan cu", "thon", "to dan pho"],
        false,
        "Tên khu dân cư của xã (như trong danh mục).",
    ),
    col(
        "organiser_kind",
        "Đơn vị tổ chức (loại)",
        &["loai don vi to chuc"],
        false,
        "Công an; Ủy ban nhân dân, chính quyền; Mặt trận Tổ quốc, đoàn thể; Cơ quan, doanh nghiệp, trường học (mặc định: Công an).",
    ),
    col(
        "organiser_name",
        "Tên đơn vị tổ chức",
        &["don vi to chuc", "to chuc"],
        false,
        "Ví dụ: Công an xã, Hội Phụ nữ xã.",
    ),
    col("models", "Mô hình liên quan", &["mo hinh"], false, "Tên các mô hình của xã, cách nhau bằng dấu chấm phẩy."),
    col("participants", "Số người tham dự", &["so nguoi", "nguoi tham du", "luot nguoi"], false, "Số nguyên."),
    col("p_nhan_dan", "Trong đó: quần chúng nhân dân", &["nhan dan"], false, "Số nguyên."),
    col("p_hoc_sinh", "Trong đó: học sinh, sinh viên", &["hoc sinh", "sinh vien"], false, "Số nguyên."),
    col("p_cong_nhan", "Trong đó: công nhân, người lao động", &["cong nhan"], false, "Số nguyên."),
    col("p_ton_giao", "Trong đó: chức sắc, tín đồ tôn giáo", &["ton giao"], false, "Số nguyên."),
    col("p_can_bo", "Trong đó: cán bộ, đảng viên", &["can bo"], false, "Số nguyên."),
    col("commitment_topic", "Nội dung cam kết", &["cam ket"], false, "Ký cam kết: nội dung."),
    col("households", "Số hộ ký cam kết", &["so ho"], false, "Số nguyên."),
    col("individuals", "Số cá nhân ký cam kết", &["so ca nhan"], false, "Số nguyên."),
    col("establishments", "Số cơ sở ký cam kết", &["so co so"], false, "Số nguyên."),
    col(
        "weapons",
        "Vũ khí, vật liệu nổ, CCHT thu hồi",
        &["vu khi", "vu khi thu hoi", "giao nop"],
        false,
        "Từng loại cách nhau bằng «;», ví dụ: «Súng tự chế: 2 khẩu; Vật liệu nổ: 1,5 kg; Pháo: 3 kg».",
    ),
    col("receiving_unit", "Đơn vị tiếp nhận", &["don vi tiep nhan"], false, "Giao nộp: đơn vị tiếp nhận."),
    col("minutes_no", "Số biên bản", &["bien ban"], false, "Giao nộp: số biên bản."),
    col(
        "medium",
        "Loại hình phát hành",
        &["loai hinh", "phuong tien"],
        false,
        "Báo in; Báo điện tử; Truyền hình; Phát thanh; Loa truyền thanh cơ sở; Mạng xã hội; Tờ rơi, pa nô, áp phích.",
    ),
    col("publications", "Số tin bài, tài liệu", &["so tin bai", "so luong"], false, "Số nguyên."),
    col("training_topics", "Nội dung tập huấn", &["noi dung tap huan"], false, "Tập huấn: nội dung."),
    col("trainees", "Số học viên", &["hoc vien"], false, "Số nguyên."),
    col(
        "trainee_kind",
        "Đối tượng học viên",
        &["doi tuong"],
        false,
        "Cán bộ, chiến sĩ Công an; Cán bộ xã, thôn; Lực lượng tham gia bảo vệ ANTT ở cơ sở …",
    ),
    col("certificates", "Số chứng chỉ", &["chung chi"], false, "Số nguyên."),
    col("note", "Ghi chú", &["ghi chu"], false, "Tùy ý."),
    FORMER_COMMUNE,
    FORMER_DISTRICT,
    FORMER_PROVINCE,
];

const NUMBERS: &[(&str, &str)] = &[
    ("participants", "Số người tham dự"),
    ("households", "Số hộ"),
    ("individuals", "Số cá nhân"),
    ("establishments", "Số cơ sở"),
    ("publications", "Số tin bài"),
    ("trainees", "Số học viên"),
    ("certificates", "Số chứng chỉ"),
];

/// Parses «Súng tự chế: 2 khẩu; Vật liệu nổ: 1,5 kg» into item lines (checked by the domain).
pub fn parse_weapons(cell: &str) -> Result<Vec<WeaponLineInput>, String> {
    let mut out = Vec::new();
    for part in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((cat, rest)) = part.rsplit_once(':') else {
            return Err(format!("«{part}»: ghi «loại: số lượng đơn vị», ví dụ «Súng tự chế: 2 khẩu»."));
        };
        let mut words = rest.split_whitespace();
        let quantity = words.next().map(str::to_string);
        let unit = words.collect::<Vec<_>>().join(" ");
        out.push(WeaponLineInput {
            category: Some(cat.trim().to_string()),
            quantity,
            unit: Some(unit).filter(|u| !u.is_empty()),
            handed_by: None,
        });
    }
    Ok(out)
}

/// The weapons cell of an activity.
fn weapons_cell(a: &Activity) -> String {
    a.details
        .weapons
        .iter()
        .map(|w| format!("{}: {} {}", w.category.label(), w.quantity_text(), w.unit.label()))
        .collect::<Vec<_>>()
        .join("; ")
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
    let active: Vec<_> = super::kinds(ctx, actor).await?.into_iter().filter(|k| k.active).collect();
    let mut kinds: HashMap<String, i64> = active
        .iter()
        .flat_map(|k| {
            let mut v = vec![(fold(&k.name), k.id), (k.id.to_string(), k.id)];
            v.extend(k.code.as_deref().map(|c| (fold(c), k.id)));
            v
        })
        .collect();
    // "Tuyên truyền" for "Tuyên truyền (buổi tuyên truyền, họp dân)", when no other kind shares it.
    let mut short: HashMap<String, Option<i64>> = HashMap::new();
    for k in &active {
        if let Some((head, _)) = k.name.split_once(" (") {
            short.entry(fold(head)).and_modify(|id| *id = None).or_insert(Some(k.id));
        }
    }
    for (name, id) in short {
        if let Some(id) = id {
            kinds.entry(name).or_insert(id);
        }
    }
    let areas = ids_by_name(ctx, actor, Keyed::Areas).await?;
    let models = ids_by_name(ctx, actor, Keyed::Models).await?;
    let today = ctx.today();
    let mut links = Links::default();
    let (mut good, mut former) = (Vec::new(), Vec::new());
    for r in rows {
        let before = errs.list.len();
        let commune = r.get("commune_code").unwrap_or("").to_string();
        let kind_id = match r.get("kind") {
            Some(k) => kinds.get(&fold(k)).copied().or_else(|| {
                errs.cell(r.row, "kind", format!("Không có loại hoạt động «{k}» trong danh mục."));
                None
            }),
            None => None,
        };
        let mut num = |key: &str, label: &str| {
            parse_int(r.get(key)).unwrap_or_else(|_| {
                errs.cell(r.row, key, format!("{label} phải là số nguyên."));
                None
            })
        };
        let n: HashMap<&str, Option<i64>> = NUMBERS.iter().map(|(k, l)| (*k, num(k, l))).collect();
        let mut groups = std::collections::BTreeMap::new();
        for g in ParticipantGroup::ALL {
            let key = format!("p_{}", g.code());
            if let Some(v) = num(&key, g.label()) {
                groups.insert(g.code().to_string(), v);
            }
        }
        let weapons = match r.get("weapons").map(parse_weapons) {
            None => Vec::new(),
            Some(Ok(w)) => w,
            Some(Err(m)) => {
                errs.cell(r.row, "weapons", m);
                Vec::new()
            }
        };
        let area_id = r.get("area").and_then(|a| {
            areas.get(&(commune.clone(), fold(a))).copied().or_else(|| {
                errs.cell(r.row, "area", format!("Không có khu dân cư «{a}» trong danh mục của xã."));
                None
            })
        });
        let mut model_ids = Vec::new();
        for m in r.get("models").unwrap_or("").split(';').map(str::trim).filter(|m| !m.is_empty()) {
            match models.get(&(commune.clone(), fold(m))) {
                Some(id) => model_ids.push(*id),
                None => errs.cell(r.row, "models", format!("Không có mô hình «{m}» ở xã này.")),
            }
        }
        let input = ActivityInput {
            commune_code: r.get("commune_code").map(Into::into),
            area_id,
            kind_id,
            title: r.get("title").map(Into::into),
            starts_on: r.get("starts_on").map(Into::into),
            ends_on: r.get("ends_on").map(Into::into),
            location: r.get("location").map(Into::into),
            organiser_kind: r.get("organiser_kind").map(Into::into),
            organiser_name: r.get("organiser_name").map(Into::into),
            model_ids,
            participants: n["participants"],
            groups,
            commitment_topic: r.get("commitment_topic").map(Into::into),
            households: n["households"],
            individuals: n["individuals"],
            establishments: n["establishments"],
            weapons,
            receiving_unit: r.get("receiving_unit").map(Into::into),
            minutes_no: r.get("minutes_no").map(Into::into),
            medium: r.get("medium").map(Into::into),
            publications: n["publications"],
            training_topics: r.get("training_topics").map(Into::into),
            trainees: n["trainees"],
            trainee_kind: r.get("trainee_kind").map(Into::into),
            certificates: n["certificates"],
            note: r.get("note").map(Into::into),
            ..Default::default()
        };
        match links.resolve(ctx, actor, &input, today).await? {
            Ok(resolved) if errs.list.len() == before => {
                good.push(resolved);
                former.push(restated.of(r.row));
            }
            Ok(_) => {}
            Err(e) => {
                // A kind given by name was already reported.
                let e = antq_domain::FieldErrors(
                    e.0.into_iter().filter(|(k, _)| !(k == "kind_id" && r.get("kind").is_some())).collect(),
                );
                let renamed: Vec<(String, String)> =
                    e.0.into_iter()
                        .map(|(k, m)| {
                            let key = match k.as_str() {
                                "kind_id" => "kind".to_string(),
                                "area_id" => "area".to_string(),
                                "model_ids" => "models".to_string(),
                                k if k.starts_with("weapons") => "weapons".to_string(),
                                k if k.starts_with("groups.") => format!("p_{}", &k[7..]),
                                k => k.to_string(),
                            };
                            (key, m)
                        })
                        .collect();
                for (k, m) in renamed {
                    errs.cell(r.row, &k, m);
                }
            }
        }
    }
    let valid = good.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let new: Vec<_> = good.iter().map(|g| g.new_activity()).collect();
    let mut tx = ctx.db.begin().await?;
    let ids = antq_store::activities::insert_many(&mut tx, &new, &actor.username, ctx.now()).await?;
    keep_former(&mut tx, Placed::Activities, &ids, &former).await?;
    audit_import(&mut tx, ctx, actor, Registry::Activities, new.iter().map(|a| (a.province, a.commune))).await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), good.len(), false))
}

/// Exports the filtered register: the import columns, then id, names and counters.
#[tracing::instrument(skip_all)]
pub async fn export(ctx: &AppCtx, actor: &Actor, q: &ActivityQuery, format: Format) -> AppResult<Vec<u8>> {
    let list = super::list_all(ctx, actor, q).await?;
    let codes = list.iter().flat_map(|a| std::iter::once(a.province_code.clone()).chain(a.commune_code.clone()));
    let names = crate::units::names(ctx, codes.collect::<std::collections::BTreeSet<_>>().into_iter()).await?;
    let extra = [
        col("commune_name", "Tên xã", &[], false, ""),
        col("province_name", "Tên tỉnh", &[], false, ""),
        col("opinions", "Ý kiến được nêu", &[], false, ""),
        col("answered", "Ý kiến đã trả lời", &[], false, ""),
        col("tips", "Tin báo tiếp nhận", &[], false, ""),
    ];
    let cols = export_layout(col("id", "Số hiệu", &[], false, ""), ACTIVITY_COLUMNS, &extra);
    let former = FormerCells::load(ctx, Placed::Activities, list.iter().map(|a| a.id)).await?;
    let z = |n: i64| if n == 0 { String::new() } else { n.to_string() };
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|a| {
            let d = &a.details;
            let mut v = vec![
                a.id.to_string(),
                o(&a.commune_code),
                a.kind_name.clone(),
                a.title.clone(),
                a.starts_on.format("%d/%m/%Y").to_string(),
                if a.ends_on == a.starts_on { String::new() } else { a.ends_on.format("%d/%m/%Y").to_string() },
                o(&a.location),
                o(&a.area_name),
                a.organiser_kind.label().to_string(),
                a.organiser_label.clone(),
                a.models.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join("; "),
                a.participants.to_string(),
            ];
            v.extend(a.groups.iter().map(|n| z(*n)));
            v.extend([
                o(&d.commitment_topic),
                z(d.households),
                z(d.individuals),
                z(d.establishments),
                weapons_cell(a),
                o(&d.receiving_unit),
                o(&d.minutes_no),
                d.medium.map(|m| m.label().to_string()).unwrap_or_default(),
                z(d.publications),
                o(&d.training_topics),
                z(d.trainees),
                d.trainee_kind.map(|k| k.label().to_string()).unwrap_or_default(),
                z(d.certificates),
                o(&a.note),
                a.commune_code.as_ref().and_then(|c| names.get(c)).cloned().unwrap_or_default(),
                names.get(&a.province_code).cloned().unwrap_or_default(),
                a.opinions.to_string(),
                a.answered.to_string(),
                a.tips.to_string(),
            ]);
            v.extend(former.cells(a.id));
            v
        })
        .collect();
    Ok(antq_interchange::write(format, Registry::Activities.title(), &cols, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weapons_cell_round_trip() {
        let w = parse_weapons("Súng tự chế: 2 khẩu; Vật liệu nổ: 1,5 kg ;").unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].category.as_deref(), Some("Vật liệu nổ"));
        assert_eq!((w[1].quantity.as_deref(), w[1].unit.as_deref()), (Some("1,5"), Some("kg")));
        assert!(parse_weapons("hai khẩu súng").is_err());
        let mut seen = std::collections::HashSet::new();
        assert!(ACTIVITY_COLUMNS.iter().all(|c| seen.insert(c.key)));
    }
}
