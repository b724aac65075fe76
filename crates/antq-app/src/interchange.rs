//! Import and export of the registries (C14): file layouts with Vietnamese headers, a dry
//! run that reports every bad row, an all-or-nothing commit, and exports of any filtered list.

use std::collections::{HashMap, HashSet};

use antq_domain::access::Permission;
use antq_domain::area::AreaInput;
use antq_domain::establishment::EstablishmentInput;
use antq_domain::model::{ModelInput, ModelState, parse_date};
use antq_domain::text::fold;
use antq_domain::unit::{Unit, UnitLevel};
use antq_interchange::{Column, Format, RawRow, ReadError};
use antq_store::former_places::Placed;
use antq_store::keys::{Keyed, keys};
use antq_store::{areas, establishments, models, units};

use crate::{Actor, AppCtx, AppError, AppResult};

/// A registry that can be imported and exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registry {
    /// Residential areas.
    Areas,
    /// Agencies, businesses, schools.
    Establishments,
    /// Movement models.
    Models,
    /// Tổ bảo vệ ANTT.
    Teams,
    /// Members of the Tổ bảo vệ ANTT.
    Members,
    /// Movement activities.
    Activities,
    /// Commendations.
    Commendations,
    /// Security cameras.
    Cameras,
    /// Yearly targets of provinces and communes.
    Targets,
}

impl Registry {
    /// Parses the path segment (`areas`, `establishments`, `models`).
    pub fn parse(s: &str) -> Option<Registry> {
        match s {
            "areas" => Some(Registry::Areas),
            "establishments" => Some(Registry::Establishments),
            "models" => Some(Registry::Models),
            "teams" => Some(Registry::Teams),
            "members" => Some(Registry::Members),
            "activities" => Some(Registry::Activities),
            "commendations" => Some(Registry::Commendations),
            "cameras" => Some(Registry::Cameras),
            "targets" => Some(Registry::Targets),
            _ => None,
        }
    }

    /// The path segment.
    pub fn slug(self) -> &'static str {
        match self {
            Registry::Areas => "areas",
            Registry::Establishments => "establishments",
            Registry::Models => "models",
            Registry::Teams => "teams",
            Registry::Members => "members",
            Registry::Activities => "activities",
            Registry::Commendations => "commendations",
            Registry::Cameras => "cameras",
            Registry::Targets => "targets",
        }
    }

    /// Vietnamese name, also the sheet name.
    pub fn title(self) -> &'static str {
        match self {
            Registry::Areas => "Khu dân cư",
            Registry::Establishments => "Cơ quan, doanh nghiệp, trường học",
            Registry::Models => "Mô hình",
            Registry::Teams => "Tổ bảo vệ ANTT",
            Registry::Members => "Thành viên Tổ bảo vệ ANTT",
            Registry::Activities => "Hoạt động phong trào",
            Registry::Commendations => "Khen thưởng",
            Registry::Cameras => "Camera giám sát ANTT",
            Registry::Targets => "Chỉ tiêu",
        }
    }

    /// The import layout (exports add an id column and a few read-only columns).
    pub fn columns(self) -> &'static [Column] {
        match self {
            Registry::Areas => AREA_COLUMNS,
            Registry::Establishments => ESTABLISHMENT_COLUMNS,
            Registry::Models => MODEL_COLUMNS,
            Registry::Teams => crate::force::files::TEAM_COLUMNS,
            Registry::Members => crate::force::files::MEMBER_COLUMNS,
            Registry::Activities => crate::activities::files::ACTIVITY_COLUMNS,
            Registry::Commendations => crate::commendations::files::COMMENDATION_COLUMNS,
            Registry::Cameras => crate::cameras::files::CAMERA_COLUMNS,
            Registry::Targets => crate::targets::files::TARGET_COLUMNS,
        }
    }
}

pub(crate) const fn col(
    key: &'static str,
    header: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    help: &'static str,
) -> Column {
    Column { key, header, aliases, required, help }
}

/// The former place of a row recorded in the map that ended on 30 June 2025: the row is
/// restated to the successor commune and keeps where it was recorded.
pub(crate) const FORMER_COMMUNE: Column = col(
    "former_commune",
    "Xã cũ (trước 01/7/2025)",
    &["xa cu", "xa phuong cu", "ma xa cu", "xa phuong thi tran cu", "xa truoc 2025"],
    false,
    "Ghi theo địa giới cũ: mã hoặc tên xã, phường, thị trấn trước 01/7/2025 (có hoặc không dấu); \
     dòng được tính vào xã mới kế thừa. Xã cũ đã chia cho nhiều xã mới thì ghi thêm «Mã xã» mới.",
);
/// The former district of [`FORMER_COMMUNE`].
pub(crate) const FORMER_DISTRICT: Column = col(
    "former_district",
    "Huyện cũ",
    &["huyen cu", "quan huyen cu", "huyen quan cu"],
    false,
    "Huyện, quận, thị xã, thành phố cũ của xã cũ (mã hoặc tên, ví dụ «TP Nha Trang»), khi tên xã trùng nhau.",
);
/// The former province of [`FORMER_COMMUNE`].
pub(crate) const FORMER_PROVINCE: Column =
    col("former_province", "Tỉnh cũ", &["tinh cu", "tinh thanh pho cu"], false, "Tỉnh, thành phố cũ (mã hoặc tên).");

/// The three former-place columns, in file order.
pub(crate) const FORMER_COLUMNS: [Column; 3] = [FORMER_COMMUNE, FORMER_DISTRICT, FORMER_PROVINCE];

fn is_former(c: &Column) -> bool {
    matches!(c.key, "former_commune" | "former_district" | "former_province")
}

/// An export's columns: the import layout without the former place, `extra`, then the former
/// place (written by [`FormerCells`]), read back by its headers when the file is imported.
pub(crate) fn export_layout(id: Column, layout: &[Column], extra: &[Column]) -> Vec<Column> {
    let mut cols = vec![id];
    cols.extend(layout.iter().filter(|c| !is_former(c)).cloned());
    cols.extend_from_slice(extra);
    if layout.iter().any(is_former) {
        cols.extend(FORMER_COLUMNS);
    }
    cols
}

/// The former places of exported rows, by id.
pub(crate) struct FormerCells(HashMap<i64, antq_domain::succession::FormerPlace>);

impl FormerCells {
    /// Reads the former places of `ids`.
    pub(crate) async fn load(ctx: &AppCtx, what: Placed, ids: impl Iterator<Item = i64>) -> AppResult<FormerCells> {
        let ids: Vec<i64> = ids.collect();
        Ok(FormerCells(antq_store::former_places::of(&ctx.db, what, &ids).await?))
    }

    /// The three cells of a row: former commune, district, province codes.
    pub(crate) fn cells(&self, id: i64) -> [String; 3] {
        match self.0.get(&id) {
            Some(p) => [
                p.commune_code.clone().unwrap_or_default(),
                p.district_code.clone().unwrap_or_default(),
                p.province_code.clone(),
            ],
            None => Default::default(),
        }
    }
}

/// Records the former places of freshly inserted rows (`ids` and `former` in the same order).
pub(crate) async fn keep_former(
    tx: &mut antq_store::Tx,
    what: Placed,
    ids: &[i64],
    former: &[Option<&antq_domain::succession::FormerPlace>],
) -> AppResult<()> {
    let rows: Vec<(i64, &antq_domain::succession::FormerPlace)> =
        ids.iter().zip(former).filter_map(|(id, f)| f.map(|f| (*id, f))).collect();
    Ok(antq_store::former_places::set(tx, what, &rows).await?)
}

/// Rows of a file recorded in the former map, restated before the register checks them: the
/// row's `commune_code` becomes the successor, and its former place is kept by row number.
pub(crate) struct Restated {
    /// The rows to check, former communes replaced by their successors.
    pub(crate) rows: Vec<RawRow>,
    /// Former place by row number.
    pub(crate) former: HashMap<usize, antq_domain::succession::FormerPlace>,
    /// Rows refused while restating (their errors are listed).
    refused: usize,
}

impl Restated {
    /// The former place of a row, if it was recorded in the former map.
    pub(crate) fn of(&self, row: usize) -> Option<&antq_domain::succession::FormerPlace> {
        self.former.get(&row)
    }
}

/// Restates the rows that name a former commune (one resolver for the whole file, no query per
/// row). A row whose former ward was split needs the new commune in `commune_code`; a row
/// whose successor is outside the actor's scope, or that names a former district or province
/// without the commune, is refused with its reason.
async fn restate(
    ctx: &AppCtx,
    actor: &Actor,
    rows: Vec<RawRow>,
    lookup: &Lookup,
    errs: &mut Errors<'_>,
) -> AppResult<Restated> {
    let mut out = Restated { rows: Vec::with_capacity(rows.len()), former: HashMap::new(), refused: 0 };
    if !rows.iter().any(|r| r.values.keys().any(|k| k.starts_with("former_"))) {
        out.rows = rows;
        return Ok(out);
    }
    let resolver = crate::lineage::resolver(ctx).await?;
    for mut r in rows {
        let Some(former) = r.get("former_commune") else {
            match ["former_district", "former_province"].into_iter().find(|k| r.get(k).is_some()) {
                Some(k) => {
                    errs.cell(r.row, k, "Ghi địa giới cũ thì cần cả «Xã cũ (trước 01/7/2025)».");
                    out.refused += 1;
                }
                None => out.rows.push(r),
            }
            continue;
        };
        let restated = resolver
            .restate(former, r.get("former_district"), r.get("former_province"), r.get("commune_code"))
            .and_then(|x| lookup.commune(Some(&x.commune)).map(|(p, c)| (p, c, x.former)));
        match restated {
            Ok((p, c, f)) if actor.scope.contains(&p, Some(&c)) => {
                r.values.insert("commune_code", c);
                out.former.insert(r.row, f);
                out.rows.push(r);
            }
            Ok(_) => {
                errs.cell(r.row, "former_commune", "Xã mới kế thừa xã cũ này nằm ngoài địa bàn bạn được giao.");
                out.refused += 1;
            }
            Err(m) => {
                errs.cell(r.row, "former_commune", m);
                out.refused += 1;
            }
        }
    }
    Ok(out)
}

static AREA_COLUMNS: &[Column] = &[
    col(
        "commune_code",
        "Mã xã",
        &["ma don vi", "ma phuong", "ma xa phuong"],
        true,
        "Mã 5 chữ số của xã, phường, đặc khu (QĐ 19/2025/QĐ-TTg), ví dụ 22333.",
    ),
    col(
        "name",
        "Tên khu dân cư",
        &["ten", "ten thon", "ten to dan pho", "khu dan cu"],
        true,
        "Ví dụ: Thôn Phú Lộc, Tổ dân phố số 5.",
    ),
    col(
        "kind",
        "Loại",
        &["loai khu dan cu", "loai hinh"],
        true,
        "Thôn, Làng, Bản, Ấp, Buôn, Bon, Phum, Sóc, Khóm, Tổ dân phố, Khu phố, Khối phố, Tiểu khu, Đơn vị dân cư tương đương.",
    ),
    col("households", "Số hộ", &["so ho gia dinh", "ho"], false, "Số hộ gia đình (số nguyên)."),
    col(
        "population",
        "Số nhân khẩu",
        &["nhan khau", "dan so", "so dan"],
        false,
        "Số nhân khẩu (số nguyên, không ít hơn số hộ).",
    ),
    col(
        "special_zone",
        "Vùng đặc biệt",
        &["vung dac biet", "vung bien gioi hai dao mien nui"],
        false,
        "Có/Không — thuộc vùng biên giới, hải đảo, miền núi, đặc biệt khó khăn, đồng bào dân tộc thiểu số.",
    ),
    col("note", "Ghi chú", &[], false, "Tùy ý."),
];

static ESTABLISHMENT_COLUMNS: &[Column] = &[
    col("commune_code", "Mã xã", &["ma don vi", "ma phuong"], true, "Mã 5 chữ số của xã, phường, đặc khu."),
    col("name", "Tên", &["ten co quan", "ten don vi", "ten doanh nghiep", "ten truong"], true, "Tên đầy đủ."),
    col("kind", "Loại", &["loai hinh"], true, "Cơ quan, Doanh nghiệp hoặc Cơ sở giáo dục."),
    col("sub_type", "Loại hình cụ thể", &["phan loai"], false, "Ví dụ: Trường THCS, Công ty TNHH, UBND xã."),
    col("address", "Địa chỉ", &["dia chi"], false, "Tùy ý."),
    col(
        "armed_forces",
        "Thuộc lực lượng vũ trang",
        &["llvt"],
        false,
        "Có/Không — chỉ với cơ quan (loại trừ theo TT 124/2021).",
    ),
    col(
        "small_enterprise",
        "Doanh nghiệp nhỏ, siêu nhỏ",
        &["dn nho", "doanh nghiep nho"],
        false,
        "Có/Không — chỉ với doanh nghiệp.",
    ),
    col(
        "primary_or_preschool",
        "Tiểu học, mầm non, nhà trẻ",
        &["tieu hoc mam non"],
        false,
        "Có/Không — chỉ với cơ sở giáo dục.",
    ),
    col("note", "Ghi chú", &[], false, "Tùy ý."),
];

static MODEL_COLUMNS: &[Column] = &[
    col("province_code", "Mã tỉnh", &["ma tinh thanh pho"], false, "Chỉ cần với mô hình cấp tỉnh (2 chữ số)."),
    col(
        "commune_code",
        "Mã xã",
        &["ma don vi", "ma phuong"],
        false,
        "Mã 5 chữ số của xã, phường, đặc khu (bắt buộc trừ mô hình cấp tỉnh và mô hình ghi theo xã cũ).",
    ),
    FORMER_COMMUNE,
    FORMER_DISTRICT,
    FORMER_PROVINCE,
    col("name", "Tên mô hình", &["ten", "mo hinh"], true, "Ví dụ: Camera giám sát ANTT thôn Phú Lộc."),
    col(
        "type",
        "Loại mô hình",
        &["loai", "nhom mo hinh"],
        true,
        "Tên loại trong danh mục, ví dụ: Phòng, chống ma túy.",
    ),
    col(
        "level",
        "Cấp",
        &["cap mo hinh"],
        true,
        "Cấp tỉnh, Cấp xã, Khu dân cư, hoặc Cơ quan, doanh nghiệp, trường học.",
    ),
    col(
        "origin_kind",
        "Nơi hình thành",
        &["noi xay dung"],
        true,
        "Xã, phường, đặc khu; Khu dân cư; Cơ quan, doanh nghiệp, trường học; Tổ chức quần chúng; Cá nhân.",
    ),
    col(
        "origin_area",
        "Khu dân cư hình thành",
        &["khu dan cu"],
        false,
        "Tên khu dân cư (đã có trong danh mục của xã) khi nơi hình thành là khu dân cư.",
    ),
    col(
        "origin_establishment",
        "Cơ quan, đơn vị hình thành",
        &["co quan hinh thanh"],
        false,
        "Tên cơ quan, doanh nghiệp, trường học (đã có trong danh mục của xã).",
    ),
    col(
        "origin_note",
        "Tổ chức, cá nhân hình thành",
        &["to chuc hinh thanh", "ca nhan hinh thanh"],
        false,
        "Khi nơi hình thành là tổ chức quần chúng hoặc cá nhân.",
    ),
    col(
        "host_org",
        "Tổ chức chủ trì",
        &["chu tri", "don vi chu tri"],
        true,
        "Công an, Chính quyền, Mặt trận Tổ quốc Việt Nam, Hội Cựu chiến binh, Hội Liên hiệp Phụ nữ, Đoàn Thanh niên, Hội Nông dân, Công đoàn, Cộng đồng tôn giáo, Dòng họ, …",
    ),
    col("host_note", "Chi tiết tổ chức chủ trì", &[], false, "Ví dụ: Chi hội CCB thôn 3."),
    col("scope", "Phạm vi", &["linh vuc hoat dong"], true, "Toàn diện hoặc Một lĩnh vực."),
    col("field_note", "Lĩnh vực", &["linh vuc"], false, "Bắt buộc khi phạm vi là một lĩnh vực."),
    col(
        "state",
        "Trạng thái",
        &["tinh trang"],
        false,
        "Đề xuất (mặc định), Đang xây dựng, Đã ra mắt, Đang hoạt động, Cần củng cố, Đã thanh loại.",
    ),
    col("state_since", "Ngày trạng thái", &["tu ngay"], false, "Ngày bắt đầu trạng thái hiện tại (dd/mm/yyyy)."),
    col("registered_on", "Ngày đăng ký", &["ngay dang ky"], false, "dd/mm/yyyy."),
    col("members", "Số thành viên", &["thanh vien"], false, "Số nguyên."),
    col(
        "funding_state",
        "Kinh phí ngân sách (đồng)",
        &["kinh phi ngan sach", "ngan sach"],
        false,
        "Số tiền (đồng), chỉ chữ số.",
    ),
    col(
        "funding_social",
        "Kinh phí xã hội hóa (đồng)",
        &["kinh phi xa hoi hoa", "xa hoi hoa"],
        false,
        "Số tiền (đồng), chỉ chữ số.",
    ),
    col("channels", "Kênh liên lạc", &["zalo", "facebook", "nhom zalo"], false, "Nhóm Zalo/Facebook …"),
    col("description", "Mô tả", &["mo ta", "noi dung"], false, "Tùy ý."),
];

/// One problem in an import file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ImportError {
    /// Spreadsheet row (the header is row 1); 0 for the file as a whole.
    pub row: usize,
    /// Column header, when one cell is at fault.
    pub column: Option<String>,
    /// Vietnamese reason.
    pub message: String,
}

/// The outcome of an import or a dry run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: usize,
    /// Rows that passed every check.
    pub valid: usize,
    /// Every problem found.
    pub errors: Vec<ImportError>,
    /// Whether rows were written (never partially: all or none).
    pub committed: bool,
    /// Rows written.
    pub created: usize,
    /// It was only a dry run.
    pub dry_run: bool,
}

/// The empty template file of a registry.
pub fn template(registry: Registry, format: Format) -> Vec<u8> {
    antq_interchange::template(format, registry.title(), registry.columns())
}

pub(crate) fn parse_bool(s: Option<&str>) -> Result<bool, ()> {
    match s.map(fold).as_deref() {
        None | Some("") | Some("khong") | Some("0") | Some("false") | Some("no") | Some("k") => Ok(false),
        Some("co") | Some("x") | Some("1") | Some("true") | Some("yes") | Some("c") => Ok(true),
        _ => Err(()),
    }
}

pub(crate) fn parse_int(s: Option<&str>) -> Result<Option<i64>, ()> {
    match s {
        None => Ok(None),
        Some(v) => {
            let digits: String = v.chars().filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}')).collect();
            digits.parse::<i64>().map(Some).map_err(|_| ())
        }
    }
}

/// The ids of the areas, establishments or models in the actor's scope by (commune, folded
/// name), for import rows that name them.
pub(crate) async fn ids_by_name(ctx: &AppCtx, actor: &Actor, what: Keyed) -> AppResult<HashMap<(String, String), i64>> {
    Ok(keys(&ctx.db, what, actor.scope.province(), actor.scope.commune())
        .await?
        .into_iter()
        .map(|(id, c, k)| ((c.unwrap_or_default(), k), id))
        .collect())
}

/// Reference data loaded once per import so that rows are checked without a query each.
pub(crate) struct Lookup {
    units: HashMap<String, Unit>,
}

impl Lookup {
    async fn load(ctx: &AppCtx) -> AppResult<Lookup> {
        let all = units::search(&ctx.db, &units::UnitQuery { limit: 5000, ..Default::default() }).await?;
        Ok(Lookup { units: all.into_iter().map(|u| (u.code.clone(), u)).collect() })
    }

    /// `(province, commune)` of a commune code, or the row error.
    pub(crate) fn commune(&self, code: Option<&str>) -> Result<(String, String), String> {
        let code = code.ok_or("Thiếu mã xã.")?;
        match self.units.get(code) {
            Some(u) if u.level == UnitLevel::Commune => Ok((u.parent_code.clone().unwrap_or_default(), u.code.clone())),
            Some(u) => Err(format!("«{code}» là mã tỉnh ({}); cần mã xã 5 chữ số.", u.full_name())),
            None => Err(format!("Không có xã, phường, đặc khu mã «{code}».")),
        }
    }
}

/// Collects row errors with the Vietnamese header of each column.
pub(crate) struct Errors<'a> {
    columns: &'a [Column],
    pub(crate) list: Vec<ImportError>,
}

impl Errors<'_> {
    pub(crate) fn cell(&mut self, row: usize, key: &str, message: impl Into<String>) {
        let column =
            self.columns.iter().find(|c| c.key == key).map(|c| c.header.to_string()).or_else(|| Some(key.to_string()));
        self.list.push(ImportError { row, column, message: message.into() });
    }

    /// Adds the field errors of a validated input, mapping field names to columns.
    pub(crate) fn fields(&mut self, row: usize, e: &antq_domain::FieldErrors, rename: &[(&str, &str)]) {
        for (field, msg) in &e.0 {
            let key = rename.iter().find(|(f, _)| f == field).map(|(_, k)| *k).unwrap_or(field);
            self.cell(row, key, msg.clone());
        }
    }
}

fn read_file(ctx: &AppCtx, registry: Registry, bytes: &[u8], format: Option<Format>) -> AppResult<Vec<RawRow>> {
    let format = format.unwrap_or_else(|| Format::detect(bytes));
    antq_interchange::read(bytes, format, registry.columns(), ctx.settings.max_import_rows)
        .map_err(|e: ReadError| AppError::Invalid(antq_domain::FieldErrors::single("file", e.to_string())))
}

/// Checks every row of a file and, unless `dry_run` or any row is bad, writes all rows in one
/// transaction. A file that cannot be read at all is an `Invalid` error; bad rows are listed
/// in the report.
#[tracing::instrument(skip_all, fields(registry = registry.slug(), dry_run))]
pub async fn import(
    ctx: &AppCtx,
    actor: &Actor,
    registry: Registry,
    bytes: &[u8],
    format: Option<Format>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    actor.require(Permission::WriteRegistry)?;
    let rows = read_file(ctx, registry, bytes, format)?;
    let lookup = Lookup::load(ctx).await?;
    let mut errs = Errors { columns: registry.columns(), list: Vec::new() };
    let restated = restate(ctx, actor, rows, &lookup, &mut errs).await?;
    let (rows, r) = (&restated.rows, &restated);
    let mut report = match registry {
        Registry::Areas => import_areas(ctx, actor, rows, &lookup, &mut errs, dry_run).await?,
        Registry::Establishments => import_establishments(ctx, actor, rows, &lookup, &mut errs, dry_run).await?,
        Registry::Models => import_models(ctx, actor, r, &lookup, &mut errs, dry_run).await?,
        Registry::Teams => crate::force::files::import_teams(ctx, actor, r, &lookup, &mut errs, dry_run).await?,
        Registry::Members => crate::force::files::import_members(ctx, actor, r, &lookup, &mut errs, dry_run).await?,
        Registry::Activities => crate::activities::files::import(ctx, actor, r, &mut errs, dry_run).await?,
        Registry::Commendations => crate::commendations::files::import(ctx, actor, r, &mut errs, dry_run).await?,
        Registry::Cameras => crate::cameras::files::import(ctx, actor, r, &mut errs, dry_run).await?,
        Registry::Targets => crate::targets::files::import(ctx, actor, rows, &mut errs, dry_run).await?,
    };
    // Rows refused while restating count as read, never as valid.
    report.rows += restated.refused;
    tracing::info!(rows = report.rows, errors = report.errors.len(), created = report.created, "import");
    Ok(report)
}

pub(crate) fn finish(
    rows: usize,
    valid: usize,
    errors: Vec<ImportError>,
    created: usize,
    dry_run: bool,
) -> ImportReport {
    ImportReport { rows, valid, committed: created > 0, created, dry_run, errors }
}

/// Place of a row, checked against the actor's scope.
pub(crate) fn place(actor: &Actor, lookup: &Lookup, r: &RawRow, errs: &mut Errors) -> Option<(String, String)> {
    match lookup.commune(r.get("commune_code")) {
        Ok((p, c)) if actor.scope.contains(&p, Some(&c)) => Some((p, c)),
        Ok(_) => {
            errs.cell(r.row, "commune_code", "Xã này nằm ngoài địa bàn bạn được giao.");
            None
        }
        Err(m) => {
            errs.cell(r.row, "commune_code", m);
            None
        }
    }
}

/// Existing `(commune, folded name)` pairs of a registry in the actor's scope.
async fn existing(ctx: &AppCtx, actor: &Actor, what: Keyed) -> AppResult<HashSet<(Option<String>, String)>> {
    Ok(keys(&ctx.db, what, actor.scope.province(), actor.scope.commune())
        .await?
        .into_iter()
        .map(|(_, c, k)| (c, k))
        .collect())
}

fn duplicate(seen: &mut HashSet<(Option<String>, String)>, commune: Option<&str>, name: &str) -> bool {
    !seen.insert((commune.map(str::to_string), fold(name)))
}

async fn import_areas(
    ctx: &AppCtx,
    actor: &Actor,
    rows: &[RawRow],
    lookup: &Lookup,
    errs: &mut Errors<'_>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let mut seen = existing(ctx, actor, Keyed::Areas).await?;
    let mut good = Vec::new();
    for r in rows {
        let before = errs.list.len();
        let place = place(actor, lookup, r, errs);
        let households = parse_int(r.get("households")).unwrap_or_else(|_| {
            errs.cell(r.row, "households", "Số hộ phải là số nguyên.");
            None
        });
        let population = parse_int(r.get("population")).unwrap_or_else(|_| {
            errs.cell(r.row, "population", "Số nhân khẩu phải là số nguyên.");
            None
        });
        let special_zone = parse_bool(r.get("special_zone")).unwrap_or_else(|_| {
            errs.cell(r.row, "special_zone", "Vùng đặc biệt phải là Có hoặc Không.");
            false
        });
        let input = AreaInput {
            name: r.get("name").map(Into::into),
            kind: r.get("kind").map(Into::into),
            households,
            population,
            special_zone,
            note: r.get("note").map(Into::into),
        };
        match input.validate() {
            Ok(f) => {
                if let Some((p, c)) = place {
                    if duplicate(&mut seen, Some(&c), &f.name) {
                        errs.cell(
                            r.row,
                            "name",
                            format!("Khu dân cư «{}» đã có trong xã này (trong tệp hoặc trong hệ thống).", f.name),
                        );
                    } else if errs.list.len() == before {
                        good.push((p, c, f));
                    }
                }
            }
            Err(e) => errs.fields(r.row, &e, &[]),
        }
    }
    let valid = good.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let (today, now) = (ctx.today(), ctx.now());
    let mut tx = ctx.db.begin().await?;
    for (p, c, f) in &good {
        areas::insert(&mut tx, p, c, f, today, now).await?;
    }
    audit_import(&mut tx, ctx, actor, Registry::Areas, good.iter().map(|(p, c, _)| (p.as_str(), Some(c.as_str()))))
        .await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), good.len(), false))
}

async fn import_establishments(
    ctx: &AppCtx,
    actor: &Actor,
    rows: &[RawRow],
    lookup: &Lookup,
    errs: &mut Errors<'_>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let mut seen = existing(ctx, actor, Keyed::Establishments).await?;
    let mut good = Vec::new();
    for r in rows {
        let before = errs.list.len();
        let place = place(actor, lookup, r, errs);
        let mut flag = |key: &str| {
            parse_bool(r.get(key)).unwrap_or_else(|_| {
                errs.cell(r.row, key, "Ghi «Có» hoặc «Không».");
                false
            })
        };
        let input = EstablishmentInput {
            armed_forces: flag("armed_forces"),
            small_enterprise: flag("small_enterprise"),
            primary_or_preschool: flag("primary_or_preschool"),
            name: r.get("name").map(Into::into),
            kind: r.get("kind").map(Into::into),
            sub_type: r.get("sub_type").map(Into::into),
            address: r.get("address").map(Into::into),
            note: r.get("note").map(Into::into),
        };
        match input.validate() {
            Ok(f) => {
                if let Some((p, c)) = place {
                    if duplicate(&mut seen, Some(&c), &f.name) {
                        errs.cell(
                            r.row,
                            "name",
                            format!("«{}» đã có trong xã này (trong tệp hoặc trong hệ thống).", f.name),
                        );
                    } else if errs.list.len() == before {
                        good.push((p, c, f));
                    }
                }
            }
            Err(e) => errs.fields(r.row, &e, &[]),
        }
    }
    let valid = good.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let (today, now) = (ctx.today(), ctx.now());
    let mut tx = ctx.db.begin().await?;
    for (p, c, f) in &good {
        establishments::insert(&mut tx, p, c, f, today, now).await?;
    }
    let places = good.iter().map(|(p, c, _)| (p.as_str(), Some(c.as_str())));
    audit_import(&mut tx, ctx, actor, Registry::Establishments, places).await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), good.len(), false))
}

async fn import_models(
    ctx: &AppCtx,
    actor: &Actor,
    restated: &Restated,
    lookup: &Lookup,
    errs: &mut Errors<'_>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let types: HashMap<String, i64> = crate::model_types::list(ctx, actor)
        .await?
        .into_iter()
        .filter(|t| t.active)
        .flat_map(|t| [(fold(&t.name), t.id.0), (fold(&t.code), t.id.0)])
        .collect();
    let mut seen = existing(ctx, actor, Keyed::Models).await?;
    let area_ids = ids_by_name(ctx, actor, Keyed::Areas).await?;
    let establishment_ids = ids_by_name(ctx, actor, Keyed::Establishments).await?;
    let today = ctx.today();
    let rows = &restated.rows;
    let mut good = Vec::new();
    for r in rows {
        let before = errs.list.len();
        let former_place = restated.of(r.row).cloned();
        let level = r.get("level").and_then(antq_domain::model::ModelLevel::parse_loose);
        let place: Option<(String, Option<String>)> = if level == Some(antq_domain::model::ModelLevel::Tinh) {
            match r.get("province_code").and_then(|c| lookup.units.get(c)) {
                Some(u) if u.level == UnitLevel::Province && actor.scope.contains(&u.code, None) => {
                    Some((u.code.clone(), None))
                }
                Some(u) if u.level == UnitLevel::Province => {
                    errs.cell(r.row, "province_code", "Tỉnh này nằm ngoài địa bàn bạn được giao.");
                    None
                }
                _ => {
                    errs.cell(
                        r.row,
                        "province_code",
                        format!("Không có tỉnh, thành phố mã «{}».", r.get("province_code").unwrap_or("")),
                    );
                    None
                }
            }
        } else if r.get("commune_code").is_some() {
            place(actor, lookup, r, errs).map(|(p, c)| (p, Some(c)))
        } else {
            None
        };
        let type_id = match r.get("type") {
            Some(t) => types.get(&fold(t)).copied().or_else(|| {
                errs.cell(r.row, "type", format!("Không có loại mô hình «{t}» trong danh mục."));
                None
            }),
            None => None,
        };
        let commune = place.as_ref().and_then(|(_, c)| c.clone()).unwrap_or_default();
        let link = |key: &str, ids: &HashMap<(String, String), i64>, errs: &mut Errors, what: &str| -> Option<i64> {
            let name = r.get(key)?;
            ids.get(&(commune.clone(), fold(name))).copied().or_else(|| {
                errs.cell(r.row, key, format!("Không có {what} «{name}» trong danh mục của xã."));
                None
            })
        };
        let origin_area_id = link("origin_area", &area_ids, errs, "khu dân cư");
        let origin_establishment_id = link("origin_establishment", &establishment_ids, errs, "cơ quan, đơn vị");
        let mut num = |key: &str, label: &str| {
            parse_int(r.get(key)).unwrap_or_else(|_| {
                errs.cell(r.row, key, format!("{label} phải là số nguyên."));
                None
            })
        };
        let members = num("members", "Số thành viên");
        let funding_state = num("funding_state", "Kinh phí");
        let funding_social = num("funding_social", "Kinh phí");
        let state = match r.get("state") {
            None => ModelState::DeXuat,
            Some(s) => ModelState::parse_loose(s).unwrap_or_else(|| {
                errs.cell(r.row, "state", format!("Trạng thái «{s}» không hợp lệ."));
                ModelState::DeXuat
            }),
        };
        let state_since = match r.get("state_since") {
            None => None,
            Some(s) => match parse_date(s) {
                Some(d) if d <= today => Some(d),
                _ => {
                    errs.cell(
                        r.row,
                        "state_since",
                        format!("Ngày «{s}» không hợp lệ (dd/mm/yyyy, không sau hôm nay)."),
                    );
                    None
                }
            },
        };
        let input = ModelInput {
            name: r.get("name").map(Into::into),
            type_id,
            level: r.get("level").map(Into::into),
            province_code: place.as_ref().map(|(p, _)| p.clone()),
            commune_code: place.as_ref().and_then(|(_, c)| c.clone()).or_else(|| r.get("commune_code").map(Into::into)),
            origin_kind: r.get("origin_kind").map(Into::into),
            origin_area_id,
            origin_establishment_id,
            origin_note: r.get("origin_note").map(Into::into),
            host_org: r.get("host_org").map(Into::into),
            host_note: r.get("host_note").map(Into::into),
            scope: r.get("scope").map(Into::into),
            field_note: r.get("field_note").map(Into::into),
            registered_on: r.get("registered_on").map(Into::into),
            members,
            funding_state,
            funding_social,
            channels: r.get("channels").map(Into::into),
            description: r.get("description").map(Into::into),
            // Former places were restated before the rows came here.
            ..Default::default()
        };
        match input.validate(today) {
            Ok(f) => {
                if type_id.is_none() && r.get("type").is_none() {
                    errs.cell(r.row, "type", "Thiếu loại mô hình.");
                }
                if let Some((p, c)) = place {
                    if duplicate(&mut seen, c.as_deref(), &f.name) {
                        errs.cell(
                            r.row,
                            "name",
                            format!("Mô hình «{}» đã có ở địa bàn này (trong tệp hoặc trong hệ thống).", f.name),
                        );
                    } else if errs.list.len() == before {
                        let since = state_since.or(f.registered_on).or(Some(today));
                        good.push((p, c, f, state, since, former_place));
                    }
                }
            }
            Err(e) => {
                // A missing type was already reported by name.
                let e = antq_domain::FieldErrors(
                    e.0.into_iter().filter(|(k, _)| !(k == "type_id" && r.get("type").is_some())).collect(),
                );
                errs.fields(
                    r.row,
                    &e,
                    &[
                        ("type_id", "type"),
                        ("origin_area_id", "origin_area"),
                        ("origin_establishment_id", "origin_establishment"),
                    ],
                );
            }
        }
    }
    let valid = good.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let rows_to_insert: Vec<models::NewModel> = good
        .iter()
        .map(|(p, c, f, state, since, former)| models::NewModel {
            province: p,
            commune: c.as_deref(),
            fields: f,
            state: *state,
            state_since: *since,
            former: former.as_ref(),
        })
        .collect();
    let mut tx = ctx.db.begin().await?;
    models::insert_many(&mut tx, &rows_to_insert, actor.user_id, &actor.username, ctx.now()).await?;
    audit_import(&mut tx, ctx, actor, Registry::Models, rows_to_insert.iter().map(|m| (m.province, m.commune))).await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), good.len(), false))
}

/// One audit entry for a whole import, placed in the province (and commune) its rows share.
pub(crate) async fn audit_import<'a>(
    tx: &mut antq_store::Tx,
    ctx: &AppCtx,
    actor: &Actor,
    registry: Registry,
    mut places: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> AppResult<()> {
    let Some((p0, c0)) = places.next() else { return Ok(()) };
    let (mut province, mut commune, mut n) = (Some(p0), c0, 1usize);
    for (p, c) in places {
        n += 1;
        province = province.filter(|x| *x == p);
        commune = commune.filter(|x| Some(*x) == c && province.is_some());
    }
    let target = crate::audit::Target {
        kind: registry.slug(),
        id: None,
        province: province.map(str::to_string),
        commune: commune.map(str::to_string),
    };
    let changes = crate::audit::note("rows", n.to_string());
    crate::audit::record(tx, ctx, actor, antq_domain::audit::AuditAction::Import, target, &changes).await
}

/// Extra read-only columns of exports (after the import columns).
pub(crate) fn export_columns(registry: Registry) -> Vec<Column> {
    let mut cols = vec![col("id", "Số hiệu", &[], false, "Số hiệu trong hệ thống.")];
    cols.extend_from_slice(registry.columns());
    cols.push(col("commune_name", "Tên xã", &[], false, ""));
    cols.push(col("province_name", "Tên tỉnh", &[], false, ""));
    match registry {
        Registry::Models => {
            cols.push(col("sites", "Số điểm", &[], false, ""));
            cols.push(col("teams", "Số tổ", &[], false, ""));
        }
        _ => cols.push(col("valid_to", "Ngày thôi hiệu lực", &[], false, "")),
    }
    cols
}

pub(crate) fn yes_no(b: bool) -> String {
    if b { "Có".into() } else { "Không".into() }
}

pub(crate) fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

pub(crate) fn date(d: &Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
}

/// The filters of every export (each registry reads those that apply to it).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ExportFilter {
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Text in the name.
    pub q: Option<String>,
    /// Kind code (areas, establishments).
    pub kind: Option<String>,
    /// Include retired rows (areas, establishments).
    #[serde(default)]
    pub include_retired: bool,
    /// Model type id (models).
    pub type_id: Option<i64>,
    /// State code (models, teams, members, commendations; cameras: the status).
    pub state: Option<String>,
    /// Level code (models).
    pub level: Option<String>,
    /// Former district code (models recorded before 1 July 2025).
    pub former_district: Option<String>,
    /// Former commune code (models recorded before 1 July 2025).
    pub former_commune: Option<String>,
    /// Team id (members).
    pub team: Option<i64>,
    /// Role code (members).
    pub role: Option<String>,
    /// Include dissolved teams, former members.
    #[serde(default)]
    pub include_former: bool,
    /// Activity kind id (activities).
    pub kind_id: Option<i64>,
    /// From this day (activities; cameras: installed).
    pub from: Option<String>,
    /// Until this day (activities).
    pub to: Option<String>,
    /// Form code (commendations).
    pub form: Option<String>,
    /// Year (commendations: the movement year; targets).
    pub year: Option<i32>,
}

/// Exports a registry's filtered list.
pub async fn export(
    ctx: &AppCtx,
    actor: &Actor,
    registry: Registry,
    f: &ExportFilter,
    format: Format,
) -> AppResult<Vec<u8>> {
    let registry_query = || crate::areas::ListQuery {
        province: f.province.clone(),
        commune: f.commune.clone(),
        q: f.q.clone(),
        kind: f.kind.clone(),
        include_retired: f.include_retired,
    };
    match registry {
        Registry::Areas => export_areas(ctx, actor, &registry_query(), format).await,
        Registry::Establishments => export_establishments(ctx, actor, &registry_query(), format).await,
        Registry::Models => {
            let q = crate::models::ListQuery {
                province: f.province.clone(),
                commune: f.commune.clone(),
                type_id: f.type_id,
                state: f.state.clone(),
                level: f.level.clone(),
                q: f.q.clone(),
                former_district: f.former_district.clone(),
                former_commune: f.former_commune.clone(),
            };
            export_models(ctx, actor, &q, format).await
        }
        Registry::Teams => {
            let q = crate::force::teams::TeamQuery {
                province: f.province.clone(),
                commune: f.commune.clone(),
                q: f.q.clone(),
                state: f.state.clone(),
                include_dissolved: f.include_former,
                area: None,
            };
            crate::force::files::export_teams(ctx, actor, &q, format).await
        }
        Registry::Members => {
            let q = crate::force::members::MemberQuery {
                province: f.province.clone(),
                commune: f.commune.clone(),
                team: f.team,
                q: f.q.clone(),
                state: f.state.clone(),
                role: f.role.clone(),
                include_former: f.include_former,
                citizen_id: None,
            };
            crate::force::files::export_members(ctx, actor, &q, format).await
        }
        Registry::Activities => {
            let q = crate::activities::ActivityQuery {
                province: f.province.clone(),
                commune: f.commune.clone(),
                kind_id: f.kind_id,
                from: f.from.clone(),
                to: f.to.clone(),
                q: f.q.clone(),
                ..Default::default()
            };
            crate::activities::files::export(ctx, actor, &q, format).await
        }
        Registry::Commendations => {
            let q = crate::commendations::CommendationQuery {
                province: f.province.clone(),
                commune: f.commune.clone(),
                form: f.form.clone(),
                state: f.state.clone(),
                movement_year: f.year,
                q: f.q.clone(),
                ..Default::default()
            };
            crate::commendations::files::export(ctx, actor, &q, format).await
        }
        Registry::Cameras => {
            let q = crate::cameras::CameraQuery {
                province: f.province.clone(),
                commune: f.commune.clone(),
                status: f.state.clone(),
                kind: f.kind.clone(),
                installed_from: f.from.clone(),
                installed_to: f.to.clone(),
                q: f.q.clone(),
                ..Default::default()
            };
            crate::cameras::files::export(ctx, actor, &q, format).await
        }
        Registry::Targets => {
            let q = crate::targets::TargetQuery {
                province: f.province.clone(),
                commune: f.commune.clone(),
                year: f.year,
                ..Default::default()
            };
            crate::targets::files::export(ctx, actor, &q, format).await
        }
    }
}

/// Exports the filtered areas.
#[tracing::instrument(skip_all)]
pub async fn export_areas(
    ctx: &AppCtx,
    actor: &Actor,
    q: &crate::areas::ListQuery,
    format: Format,
) -> AppResult<Vec<u8>> {
    actor.require(Permission::ReadRegistry)?;
    let list = areas::list_all(&ctx.db, &q.filter(actor)?).await?;
    let names =
        crate::units::names(ctx, list.iter().flat_map(|a| [a.commune_code.clone(), a.province_code.clone()])).await?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|a| {
            vec![
                a.id.to_string(),
                a.commune_code.clone(),
                a.name.clone(),
                a.kind.label().into(),
                opt(&a.households),
                opt(&a.population),
                yes_no(a.special_zone),
                opt(&a.note),
                names.get(&a.commune_code).cloned().unwrap_or_default(),
                names.get(&a.province_code).cloned().unwrap_or_default(),
                date(&a.valid_to),
            ]
        })
        .collect();
    Ok(antq_interchange::write(format, Registry::Areas.title(), &export_columns(Registry::Areas), &rows))
}

/// Exports the filtered establishments.
#[tracing::instrument(skip_all)]
pub async fn export_establishments(
    ctx: &AppCtx,
    actor: &Actor,
    q: &crate::areas::ListQuery,
    format: Format,
) -> AppResult<Vec<u8>> {
    actor.require(Permission::ReadRegistry)?;
    let list = establishments::list_all(&ctx.db, &q.filter(actor)?).await?;
    let names =
        crate::units::names(ctx, list.iter().flat_map(|a| [a.commune_code.clone(), a.province_code.clone()])).await?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                e.commune_code.clone(),
                e.name.clone(),
                e.kind.label().into(),
                opt(&e.sub_type),
                opt(&e.address),
                yes_no(e.armed_forces),
                yes_no(e.small_enterprise),
                yes_no(e.primary_or_preschool),
                opt(&e.note),
                names.get(&e.commune_code).cloned().unwrap_or_default(),
                names.get(&e.province_code).cloned().unwrap_or_default(),
                date(&e.valid_to),
            ]
        })
        .collect();
    Ok(antq_interchange::write(
        format,
        Registry::Establishments.title(),
        &export_columns(Registry::Establishments),
        &rows,
    ))
}

/// Exports the filtered models.
#[tracing::instrument(skip_all)]
pub async fn export_models(
    ctx: &AppCtx,
    actor: &Actor,
    q: &crate::models::ListQuery,
    format: Format,
) -> AppResult<Vec<u8>> {
    actor.require(Permission::ReadRegistry)?;
    let list = models::list_all(&ctx.db, &q.filter(actor)?).await?;
    let names = crate::units::names(
        ctx,
        list.iter().flat_map(|m| [m.commune_code.clone().unwrap_or_default(), m.province_code.clone()]),
    )
    .await?;
    let area_names = id_names(ctx, actor, Keyed::Areas).await?;
    let establishment_names = id_names(ctx, actor, Keyed::Establishments).await?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|m| {
            let commune = m.commune_code.clone().unwrap_or_default();
            vec![
                m.id.to_string(),
                if m.commune_code.is_none() { m.province_code.clone() } else { String::new() },
                commune.clone(),
                m.former.as_ref().and_then(|f| f.commune_code.clone()).unwrap_or_default(),
                m.former.as_ref().and_then(|f| f.district_code.clone()).unwrap_or_default(),
                m.former.as_ref().map(|f| f.province_code.clone()).unwrap_or_default(),
                m.name.clone(),
                m.type_name.clone(),
                m.level.label().into(),
                m.origin_kind.label().into(),
                m.origin_area_id.and_then(|id| area_names.get(&id).cloned()).unwrap_or_default(),
                m.origin_establishment_id.and_then(|id| establishment_names.get(&id).cloned()).unwrap_or_default(),
                opt(&m.origin_note),
                m.host_org.label().into(),
                opt(&m.host_note),
                m.scope.label().into(),
                opt(&m.field_note),
                m.state.label().into(),
                date(&m.state_since),
                date(&m.registered_on),
                opt(&m.members),
                m.funding_state.to_string(),
                m.funding_social.to_string(),
                opt(&m.channels),
                opt(&m.description),
                names.get(&commune).cloned().unwrap_or_default(),
                names.get(&m.province_code).cloned().unwrap_or_default(),
                m.site_count.to_string(),
                m.team_count.to_string(),
            ]
        })
        .collect();
    Ok(antq_interchange::write(format, Registry::Models.title(), &export_columns(Registry::Models), &rows))
}

/// Names of areas or establishments by id (exports show names, imports match names).
async fn id_names(ctx: &AppCtx, actor: &Actor, what: Keyed) -> AppResult<HashMap<i64, String>> {
    // The folded key is not a display name; fetch names only for rows that exist.
    let ids = keys(&ctx.db, what, actor.scope.province(), actor.scope.commune()).await?;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let filter = areas::RegistryFilter {
        province: actor.scope.province().map(Into::into),
        commune: actor.scope.commune().map(Into::into),
        ..Default::default()
    };
    Ok(match what {
        Keyed::Areas => areas::list_all(&ctx.db, &filter).await?.into_iter().map(|a| (a.id.0, a.name)).collect(),
        Keyed::Establishments => {
            establishments::list_all(&ctx.db, &filter).await?.into_iter().map(|e| (e.id.0, e.name)).collect()
        }
        Keyed::Models => HashMap::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_have_unique_keys_and_headers() {
        for r in [Registry::Areas, Registry::Establishments, Registry::Models] {
            let cols = export_columns(r);
            let mut keys: Vec<_> = cols.iter().map(|c| c.key).collect();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), cols.len(), "{r:?}");
        }
    }

    #[test]
    fn parses_booleans_and_numbers() {
        assert_eq!(parse_bool(Some("Có")), Ok(true));
        assert_eq!(parse_bool(Some("không")), Ok(false));
        assert_eq!(parse_bool(None), Ok(false));
        assert!(parse_bool(Some("maybe")).is_err());
        assert_eq!(parse_int(Some("1.500.000")), Ok(Some(1_500_000)));
        assert!(parse_int(Some("mười")).is_err());
    }
}
