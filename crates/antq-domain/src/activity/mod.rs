//! Movement activities (C10; legal-rules §3.4, §3.5, §6.3, §6.4, §9.3 no. 20): one register,
//! a kind per activity. The kind is a province-extensible catalogue row whose *shape* says
//! which fields the activity needs: a conference ("Công an lắng nghe ý kiến Nhân dân") has
//! opinions and their answers, a commitment signing its signatories, a weapon surrender its
//! item lines, a publication its medium, a training its trainees. Everything here is pure: the
//! application resolves places, organisers and linked models.

pub mod opinion;

use chrono::{Datelike, NaiveDate};

use crate::labelled_enum;
use crate::rules::required_date;
use crate::validate::{FieldErrors, Validated, choice, count_in_range, optional_text, required_text};

labelled_enum!(
    /// Which fields an activity kind needs.
    ActivityShape {
        Chung = "chung", "Hoạt động chung (ngày, nơi, đơn vị tổ chức, người tham dự)";
        HoiNghi = "hoi_nghi", "Hội nghị lắng nghe ý kiến (ý kiến và trả lời)";
        CamKet = "cam_ket", "Ký cam kết (hộ, cá nhân, cơ sở ký)";
        GiaoNop = "giao_nop", "Vận động giao nộp (vũ khí, vật liệu nổ, công cụ hỗ trợ)";
        PhatHanh = "phat_hanh", "Tin bài, tài liệu phát hành (loại hình, số lượng)";
        TapHuan = "tap_huan", "Tập huấn, bồi dưỡng (nội dung, học viên, chứng chỉ)";
    }
);

labelled_enum!(
    /// Who organised an activity.
    OrganiserKind {
        CongAn = "cong_an", "Công an";
        ChinhQuyen = "chinh_quyen", "Ủy ban nhân dân, chính quyền";
        MatTranDoanThe = "mat_tran_doan_the", "Mặt trận Tổ quốc, đoàn thể";
        CoQuan = "co_quan", "Cơ quan, doanh nghiệp, trường học";
        MoHinh = "mo_hinh", "Mô hình";
        ToBaoVe = "to_bao_ve", "Tổ bảo vệ ANTT";
    }
);

labelled_enum!(
    /// A group of participants counted apart.
    ParticipantGroup {
        NhanDan = "nhan_dan", "Quần chúng nhân dân";
        HocSinh = "hoc_sinh", "Học sinh, sinh viên";
        CongNhan = "cong_nhan", "Công nhân, người lao động";
        TonGiao = "ton_giao", "Chức sắc, tín đồ tôn giáo";
        CanBo = "can_bo", "Cán bộ, đảng viên, công chức";
    }
);

labelled_enum!(
    /// A category of items handed in (legal-rules §6.3).
    WeaponCategory {
        VuKhiQuanDung = "vu_khi_quan_dung", "Vũ khí quân dụng";
        SungSan = "sung_san", "Súng săn";
        SungTuChe = "sung_tu_che", "Súng tự chế, súng có tính năng tương tự";
        VuKhiTheThao = "vu_khi_the_thao", "Vũ khí thể thao";
        VuKhiThoSo = "vu_khi_tho_so", "Vũ khí thô sơ";
        Dan = "dan", "Đạn các loại";
        VatLieuNo = "vat_lieu_no", "Vật liệu nổ (thuốc nổ, kíp, lựu đạn, bom, mìn)";
        CongCuHoTro = "cong_cu_ho_tro", "Công cụ hỗ trợ";
        LinhKien = "linh_kien", "Linh kiện súng";
        Phao = "phao", "Pháo";
    }
);

labelled_enum!(
    /// The unit an item line is counted in.
    MeasureUnit {
        Khau = "khau", "khẩu";
        Chiec = "chiec", "chiếc";
        Kg = "kg", "kg";
        Qua = "qua", "quả";
        Vien = "vien", "viên";
    }
);

impl WeaponCategory {
    /// The units a line of this category may be counted in, the usual one first.
    pub fn units(self) -> &'static [MeasureUnit] {
        use MeasureUnit::*;
        use WeaponCategory::*;
        match self {
            VuKhiQuanDung => &[Khau, Qua, Chiec],
            SungSan | SungTuChe => &[Khau],
            VuKhiTheThao => &[Khau, Chiec],
            VuKhiThoSo | CongCuHoTro | LinhKien => &[Chiec],
            Dan => &[Vien],
            VatLieuNo => &[Kg, Qua, Chiec],
            Phao => &[Kg, Chiec],
        }
    }

    /// Every `(category, unit)` pair, the columns of the weapons statistics.
    pub fn pairs() -> Vec<(WeaponCategory, MeasureUnit)> {
        Self::ALL.iter().flat_map(|c| c.units().iter().map(move |u| (*c, *u))).collect()
    }
}

labelled_enum!(
    /// Where a publication appeared.
    Medium {
        BaoIn = "bao_in", "Báo in";
        BaoDienTu = "bao_dien_tu", "Báo điện tử";
        TruyenHinh = "truyen_hinh", "Truyền hình";
        PhatThanh = "phat_thanh", "Phát thanh";
        LoaTruyenThanh = "loa_truyen_thanh", "Loa truyền thanh cơ sở";
        MangXaHoi = "mang_xa_hoi", "Mạng xã hội";
        ToRoi = "to_roi", "Tờ rơi, pa nô, áp phích";
    }
);

labelled_enum!(
    /// Who was trained.
    TraineeKind {
        CanBoCongAn = "can_bo_cong_an", "Cán bộ, chiến sĩ Công an";
        CanBoXa = "can_bo_xa", "Cán bộ xã, thôn, tổ dân phố";
        DoanThe = "doan_the", "Cán bộ Mặt trận, đoàn thể";
        LucLuongCoSo = "luc_luong_co_so", "Lực lượng tham gia bảo vệ ANTT ở cơ sở";
        NhanDan = "nhan_dan", "Quần chúng nhân dân";
        HocSinh = "hoc_sinh", "Học sinh, sinh viên";
    }
);

/// Most people counted at one activity.
pub const MAX_PEOPLE: i64 = 10_000_000;
/// Most days an activity lasts.
pub const MAX_DAYS: i64 = 366;
/// Largest quantity of one item line, in thousandths of its unit.
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000_000_000;

/// A kind of activity: national (seeded) or a province's own.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ActivityKind {
    /// Id.
    pub id: i64,
    /// Stable code of a national kind (`ngay_hoi`, `hoi_nghi_lang_nghe` …); `None` for a province's.
    pub code: Option<String>,
    /// Province of a province's own kind.
    pub province_code: Option<String>,
    /// Name.
    pub name: String,
    /// The fields it needs.
    pub shape: ActivityShape,
    /// Offered for new activities.
    pub active: bool,
}

/// The stable code of the Ngày hội toàn dân bảo vệ ANTQ (its window is a rule).
pub const NGAY_HOI: &str = "ngay_hoi";

/// A new kind as typed (a province adds its own).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ActivityKindInput {
    /// Name.
    pub name: Option<String>,
    /// Shape code (`chung`, `hoi_nghi`, `cam_ket`, `giao_nop`, `phat_hanh`, `tap_huan`).
    pub shape: Option<String>,
    /// Offered for new activities (default yes).
    pub active: Option<bool>,
}

impl ActivityKindInput {
    /// Checks the name and the shape.
    pub fn validate(&self) -> Validated<(String, ActivityShape, bool)> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên loại hoạt động", self.name.as_deref().unwrap_or(""), 200);
        let shape = choice(&mut e, "shape", "dạng thông tin", self.shape.as_deref(), ActivityShape::Chung);
        e.into_result((name, shape, self.active.unwrap_or(true)))
    }
}

/// One line of items handed in, as typed.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct WeaponLineInput {
    /// Category code or label.
    pub category: Option<String>,
    /// Quantity (whole numbers; kg with up to three decimals, `1,5` or `1.5`).
    pub quantity: Option<String>,
    /// Unit code or label (khẩu, chiếc, kg, quả, viên); the category's usual one when empty.
    pub unit: Option<String>,
    /// Who handed it in (optional, never required).
    pub handed_by: Option<String>,
}

/// A validated item line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct WeaponLine {
    /// Category.
    pub category: WeaponCategory,
    /// Unit.
    pub unit: MeasureUnit,
    /// Quantity in thousandths of the unit (1,5 kg is 1500).
    pub quantity_milli: i64,
    /// Who handed it in.
    pub handed_by: Option<String>,
}

impl WeaponLine {
    /// The quantity as written in Vietnamese (`1,5`; `12`).
    pub fn quantity_text(&self) -> String {
        milli_text(self.quantity_milli)
    }
}

/// Thousandths as a Vietnamese decimal: `1500` → `1,5`, `12000` → `12`, `2000000` → `2.000`.
pub fn milli_text(m: i64) -> String {
    let whole = crate::text::group_thousands(m / 1000);
    let frac = (m % 1000).abs();
    if frac == 0 { whole } else { format!("{whole},{}", format!("{frac:03}").trim_end_matches('0')) }
}

/// Parses a quantity: digits with at most three decimals after `,` or `.` (a `.` followed by
/// exactly three digits is read as a thousands separator, as Vietnamese writes `1.500`).
pub fn parse_quantity(raw: &str) -> Option<i64> {
    let s: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() || s.starts_with(['-', '+']) {
        return None;
    }
    let grouped = |s: &str| {
        let parts: Vec<&str> = s.split('.').collect();
        parts.len() > 1 && parts[1..].iter().all(|p| p.len() == 3) && !parts[0].is_empty() && parts[0].len() <= 3
    };
    let (int, frac) = if let Some((i, f)) = s.split_once(',') {
        (i.replace('.', ""), f.to_string())
    } else if grouped(&s) {
        (s.replace('.', ""), String::new())
    } else if let Some((i, f)) = s.split_once('.') {
        (i.to_string(), f.to_string())
    } else {
        (s.clone(), String::new())
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 3 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = int.parse().ok()?;
    let frac_milli: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<3}").parse().ok()? };
    whole.checked_mul(1000)?.checked_add(frac_milli)
}

impl WeaponLineInput {
    /// Checks one line (`field` names it in messages, e.g. `weapons.2`).
    pub fn validate(&self, e: &mut FieldErrors, field: &str) -> Option<WeaponLine> {
        let before = e.0.len();
        let category =
            choice(e, field, "loại vũ khí, vật liệu nổ, công cụ hỗ trợ", self.category.as_deref(), {
                WeaponCategory::VuKhiThoSo
            });
        let unit = match self.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => category.units()[0],
            Some(u) => match MeasureUnit::parse_loose(u) {
                Some(u) if category.units().contains(&u) => u,
                _ => {
                    let allowed: Vec<&str> = category.units().iter().map(|u| u.label()).collect();
                    e.add(field, format!("{} tính bằng {}.", category.label(), allowed.join(" hoặc ")));
                    category.units()[0]
                }
            },
        };
        let quantity = match self.quantity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.add(field, format!("Chưa nhập số lượng {}.", category.label().to_lowercase()));
                0
            }
            Some(q) => match parse_quantity(q) {
                Some(m) if m > 0 && m <= MAX_QUANTITY_MILLI && (unit == MeasureUnit::Kg || m % 1000 == 0) => m,
                Some(m) if m > 0 && unit != MeasureUnit::Kg && m % 1000 != 0 => {
                    e.add(field, format!("Số lượng tính bằng {} phải là số nguyên («{q}»).", unit.label()));
                    0
                }
                _ => {
                    e.add(field, format!("Số lượng «{q}» không hợp lệ: cần một số dương, ví dụ 2 hoặc 1,5."));
                    0
                }
            },
        };
        let handed_by = optional_text(e, field, "Người giao nộp", self.handed_by.as_deref(), 200);
        (e.0.len() == before).then_some(WeaponLine { category, unit, quantity_milli: quantity, handed_by })
    }
}

/// An activity as typed (pages, API, imports). Place and organiser links are resolved by the
/// application.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ActivityInput {
    /// Commune code (empty: an activity of the province itself).
    pub commune_code: Option<String>,
    /// Residential area where it took place (optional).
    pub area_id: Option<i64>,
    /// Establishment where it took place (optional).
    pub establishment_id: Option<i64>,
    /// Kind id.
    pub kind_id: Option<i64>,
    /// Topic or title.
    pub title: Option<String>,
    /// First day.
    pub starts_on: Option<String>,
    /// Last day (the first when empty).
    pub ends_on: Option<String>,
    /// Place as words (hall, village house …).
    pub location: Option<String>,
    /// Organiser kind code.
    pub organiser_kind: Option<String>,
    /// Organising unit or organisation (for a unit, a mass organisation or an establishment).
    pub organiser_name: Option<String>,
    /// Organising model.
    pub organiser_model_id: Option<i64>,
    /// Organising Tổ bảo vệ ANTT.
    pub organiser_team_id: Option<i64>,
    /// Models it counts for (rating evidence).
    #[serde(default)]
    pub model_ids: Vec<i64>,
    /// Participants in all.
    pub participants: Option<i64>,
    /// Participants by group code (optional; their sum may not exceed the total).
    #[serde(default)]
    pub groups: std::collections::BTreeMap<String, i64>,
    /// Commitment signing: what is committed to.
    pub commitment_topic: Option<String>,
    /// Households signing.
    pub households: Option<i64>,
    /// Individuals signing.
    pub individuals: Option<i64>,
    /// Establishments signing.
    pub establishments: Option<i64>,
    /// Weapon surrender: the lines handed in.
    #[serde(default)]
    pub weapons: Vec<WeaponLineInput>,
    /// Weapon surrender: the receiving unit.
    pub receiving_unit: Option<String>,
    /// Weapon surrender: number of the minutes (biên bản).
    pub minutes_no: Option<String>,
    /// Publication: medium code.
    pub medium: Option<String>,
    /// Publication: items published (articles, broadcasts, copies).
    pub publications: Option<i64>,
    /// Training: topics.
    pub training_topics: Option<String>,
    /// Training: trainees.
    pub trainees: Option<i64>,
    /// Training: kind of trainees (code).
    pub trainee_kind: Option<String>,
    /// Training: certificates issued.
    pub certificates: Option<i64>,
    /// Note.
    pub note: Option<String>,
}

/// The shape-specific fields, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ShapeFields {
    /// What is committed to.
    pub commitment_topic: Option<String>,
    /// Households signing.
    pub households: i64,
    /// Individuals signing.
    pub individuals: i64,
    /// Establishments signing.
    pub establishments: i64,
    /// Items handed in.
    pub weapons: Vec<WeaponLine>,
    /// Receiving unit.
    pub receiving_unit: Option<String>,
    /// Minutes number.
    pub minutes_no: Option<String>,
    /// Medium.
    pub medium: Option<Medium>,
    /// Items published.
    pub publications: i64,
    /// Training topics.
    pub training_topics: Option<String>,
    /// Trainees.
    pub trainees: i64,
    /// Kind of trainees.
    pub trainee_kind: Option<TraineeKind>,
    /// Certificates issued.
    pub certificates: i64,
}

/// An activity's validated fields.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ActivityFields {
    /// Topic or title.
    pub title: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Place as words.
    pub location: Option<String>,
    /// Organiser kind.
    pub organiser_kind: OrganiserKind,
    /// Organising unit or organisation.
    pub organiser_name: Option<String>,
    /// Participants in all.
    pub participants: i64,
    /// Participants by group, in [`ParticipantGroup::ALL`] order.
    pub groups: [i64; 5],
    /// Shape-specific fields.
    pub shape: ShapeFields,
    /// Note.
    pub note: Option<String>,
}

/// The group counts in [`ParticipantGroup::ALL`] order, from codes or labels.
fn groups(e: &mut FieldErrors, raw: &std::collections::BTreeMap<String, i64>) -> [i64; 5] {
    let mut out = [0; 5];
    for (k, v) in raw {
        match ParticipantGroup::parse_loose(k) {
            Some(g) => {
                let i = ParticipantGroup::ALL.iter().position(|x| *x == g).unwrap_or(0);
                count_in_range(e, &format!("groups.{}", g.code()), g.label(), Some(*v), MAX_PEOPLE);
                out[i] = *v;
            }
            None => e.add(
                "groups",
                format!("Nhóm người tham dự «{k}» không hợp lệ. Chọn: {}.", ParticipantGroup::labels_list()),
            ),
        }
    }
    out
}

impl ActivityInput {
    /// Checks the fields the kind's `shape` needs, refusing dates after `today`.
    pub fn validate(&self, shape: ActivityShape, today: NaiveDate) -> Validated<ActivityFields> {
        let mut e = FieldErrors::new();
        let title = required_text(&mut e, "title", "Chủ đề, nội dung", self.title.as_deref().unwrap_or(""), 300);
        let starts_on = required_date(&mut e, "starts_on", "Ngày tổ chức", self.starts_on.as_deref());
        let ends_on = match self.ends_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => starts_on,
            Some(_) => required_date(&mut e, "ends_on", "Ngày kết thúc", self.ends_on.as_deref()),
        };
        if let Some(s) = starts_on
            && s > today
        {
            e.add("starts_on", "Chỉ ghi hoạt động đã diễn ra: ngày tổ chức không được sau hôm nay.");
        }
        if let (Some(s), Some(t)) = (starts_on, ends_on) {
            if t < s {
                e.add("ends_on", "Ngày kết thúc không được trước ngày tổ chức.");
            } else if (t - s).num_days() >= MAX_DAYS {
                e.add("ends_on", "Một hoạt động không kéo dài quá một năm; hãy ghi từng đợt.");
            }
        }
        let location = optional_text(&mut e, "location", "Địa điểm", self.location.as_deref(), 300);
        // The police of the place organise unless another organiser is named.
        let organiser_kind = match self.organiser_kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => OrganiserKind::CongAn,
            raw => choice(&mut e, "organiser_kind", "đơn vị tổ chức", raw, OrganiserKind::CongAn),
        };
        let organiser_name =
            optional_text(&mut e, "organiser_name", "Tên đơn vị tổ chức", self.organiser_name.as_deref(), 300);
        match organiser_kind {
            OrganiserKind::MoHinh if self.organiser_model_id.is_none() => {
                e.add("organiser_model_id", "Chọn mô hình tổ chức hoạt động.")
            }
            OrganiserKind::ToBaoVe if self.organiser_team_id.is_none() => {
                e.add("organiser_team_id", "Chọn Tổ bảo vệ ANTT tổ chức hoạt động.")
            }
            OrganiserKind::MoHinh | OrganiserKind::ToBaoVe | OrganiserKind::CongAn => {}
            _ if organiser_name.is_none() && !e.0.contains_key("organiser_name") => {
                e.add("organiser_name", "Ghi tên đơn vị, tổ chức đứng ra tổ chức.")
            }
            _ => {}
        }
        let participants = self.participants.unwrap_or(0);
        count_in_range(&mut e, "participants", "Số người tham dự", Some(participants), MAX_PEOPLE);
        let groups = groups(&mut e, &self.groups);
        if groups.iter().sum::<i64>() > participants && !e.0.contains_key("participants") {
            e.add("groups", "Tổng số người theo nhóm không được lớn hơn số người tham dự.");
        }
        let shape = self.shape_fields(&mut e, shape);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        match (starts_on, ends_on) {
            (Some(starts_on), Some(ends_on)) if e.is_empty() => Ok(ActivityFields {
                title,
                starts_on,
                ends_on,
                location,
                organiser_kind,
                organiser_name,
                participants,
                groups,
                shape,
                note,
            }),
            _ => Err(e),
        }
    }

    fn shape_fields(&self, e: &mut FieldErrors, shape: ActivityShape) -> ShapeFields {
        let mut f = ShapeFields {
            commitment_topic: None,
            households: 0,
            individuals: 0,
            establishments: 0,
            weapons: Vec::new(),
            receiving_unit: None,
            minutes_no: None,
            medium: None,
            publications: 0,
            training_topics: None,
            trainees: 0,
            trainee_kind: None,
            certificates: 0,
        };
        match shape {
            ActivityShape::Chung | ActivityShape::HoiNghi => {}
            ActivityShape::CamKet => {
                let topic = self.commitment_topic.as_deref().unwrap_or("");
                f.commitment_topic = Some(required_text(e, "commitment_topic", "Nội dung cam kết", topic, 300));
                for (field, label, v, slot) in [
                    ("households", "Số hộ ký cam kết", self.households, &mut f.households),
                    ("individuals", "Số cá nhân ký cam kết", self.individuals, &mut f.individuals),
                    ("establishments", "Số cơ sở ký cam kết", self.establishments, &mut f.establishments),
                ] {
                    count_in_range(e, field, label, v, MAX_PEOPLE);
                    *slot = v.unwrap_or(0);
                }
                if f.households + f.individuals + f.establishments == 0 {
                    e.add("households", "Ghi số hộ, cá nhân hoặc cơ sở đã ký cam kết.");
                }
            }
            ActivityShape::GiaoNop => {
                for (i, w) in self.weapons.iter().enumerate() {
                    if let Some(line) = w.validate(e, &format!("weapons.{i}")) {
                        f.weapons.push(line);
                    }
                }
                if self.weapons.is_empty() {
                    e.add("weapons", "Ghi ít nhất một loại vũ khí, vật liệu nổ, công cụ hỗ trợ đã tiếp nhận.");
                }
                f.receiving_unit =
                    optional_text(e, "receiving_unit", "Đơn vị tiếp nhận", self.receiving_unit.as_deref(), 300);
                f.minutes_no = optional_text(e, "minutes_no", "Số biên bản", self.minutes_no.as_deref(), 100);
                if f.receiving_unit.is_none() && !e.0.contains_key("receiving_unit") {
                    e.add("receiving_unit", "Ghi đơn vị tiếp nhận (thường là Công an xã).");
                }
            }
            ActivityShape::PhatHanh => {
                f.medium = Some(choice(e, "medium", "loại hình phát hành", self.medium.as_deref(), Medium::BaoIn));
                f.publications = self.publications.unwrap_or(0);
                if !(1..=MAX_PEOPLE).contains(&f.publications) {
                    e.add("publications", "Số tin bài, tài liệu phát hành phải từ 1 trở lên.");
                }
            }
            ActivityShape::TapHuan => {
                let topics = self.training_topics.as_deref().unwrap_or("");
                f.training_topics = Some(required_text(e, "training_topics", "Nội dung tập huấn", topics, 1000));
                f.trainees = self.trainees.unwrap_or(0);
                if !(1..=MAX_PEOPLE).contains(&f.trainees) {
                    e.add("trainees", "Số học viên phải từ 1 trở lên.");
                }
                f.trainee_kind = Some(choice(
                    e,
                    "trainee_kind",
                    "đối tượng học viên",
                    self.trainee_kind.as_deref(),
                    TraineeKind::NhanDan,
                ));
                f.certificates = self.certificates.unwrap_or(0);
                count_in_range(e, "certificates", "Số chứng chỉ, giấy chứng nhận", Some(f.certificates), MAX_PEOPLE);
                if f.certificates > f.trainees && !e.0.contains_key("trainees") {
                    e.add("certificates", "Số chứng chỉ không được lớn hơn số học viên.");
                }
            }
        }
        f
    }
}

/// A model an activity counts for.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LinkedModel {
    /// Model id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A stored activity.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Activity {
    /// Id.
    pub id: i64,
    /// Province.
    pub province_code: String,
    /// Commune (`None`: an activity of the province itself).
    pub commune_code: Option<String>,
    /// Residential area.
    pub area_id: Option<i64>,
    /// Area name.
    pub area_name: Option<String>,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Establishment name.
    pub establishment_name: Option<String>,
    /// Kind.
    pub kind_id: i64,
    /// Kind name.
    pub kind_name: String,
    /// Kind code of a national kind.
    pub kind_code: Option<String>,
    /// Shape of the kind.
    pub shape: ActivityShape,
    /// Topic or title.
    pub title: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Place as words.
    pub location: Option<String>,
    /// Organiser kind.
    pub organiser_kind: OrganiserKind,
    /// Organising unit or organisation.
    pub organiser_name: Option<String>,
    /// Organising model.
    pub organiser_model_id: Option<i64>,
    /// Organising team.
    pub organiser_team_id: Option<i64>,
    /// Name of the organising model or team (or the organiser name).
    pub organiser_label: String,
    /// Participants.
    pub participants: i64,
    /// Participants by group, in [`ParticipantGroup::ALL`] order.
    pub groups: Vec<i64>,
    /// Shape-specific fields.
    pub details: ShapeFields,
    /// Opinions raised (conferences).
    pub opinions: i64,
    /// Opinions answered.
    pub answered: i64,
    /// Crime reports and tips received at it.
    pub tips: i64,
    /// Linked models.
    pub models: Vec<LinkedModel>,
    /// Note.
    pub note: Option<String>,
    /// Who recorded it.
    pub created_by: String,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Activity {
    /// What the activity adds to the statistics of its place, kind and month.
    pub fn measures(&self) -> Measures {
        let d = &self.details;
        Measures {
            sessions: 1,
            participants: self.participants,
            opinions: self.opinions,
            answered: self.answered,
            households: d.households,
            individuals: d.individuals,
            establishments: d.establishments,
            publications: d.publications,
            trainees: d.trainees,
            tips: self.tips,
        }
    }

    /// `(year, month)` the activity is counted in: its first day.
    pub fn month(&self) -> (i32, u32) {
        (self.starts_on.year(), self.starts_on.month())
    }

    /// The input that reproduces it (the base of a PATCH).
    pub fn to_input(&self) -> ActivityInput {
        let d = &self.details;
        ActivityInput {
            commune_code: self.commune_code.clone(),
            area_id: self.area_id,
            establishment_id: self.establishment_id,
            kind_id: Some(self.kind_id),
            title: Some(self.title.clone()),
            starts_on: Some(self.starts_on.to_string()),
            ends_on: Some(self.ends_on.to_string()),
            location: self.location.clone(),
            organiser_kind: Some(self.organiser_kind.code().into()),
            organiser_name: self.organiser_name.clone(),
            organiser_model_id: self.organiser_model_id,
            organiser_team_id: self.organiser_team_id,
            model_ids: self.models.iter().map(|m| m.id).collect(),
            participants: Some(self.participants),
            groups: ParticipantGroup::ALL
                .iter()
                .zip(&self.groups)
                .filter(|(_, n)| **n > 0)
                .map(|(g, n)| (g.code().to_string(), *n))
                .collect(),
            commitment_topic: d.commitment_topic.clone(),
            households: Some(d.households).filter(|n| *n > 0),
            individuals: Some(d.individuals).filter(|n| *n > 0),
            establishments: Some(d.establishments).filter(|n| *n > 0),
            weapons: d
                .weapons
                .iter()
                .map(|w| WeaponLineInput {
                    category: Some(w.category.code().into()),
                    quantity: Some(w.quantity_text()),
                    unit: Some(w.unit.code().into()),
                    handed_by: w.handed_by.clone(),
                })
                .collect(),
            receiving_unit: d.receiving_unit.clone(),
            minutes_no: d.minutes_no.clone(),
            medium: d.medium.map(|m| m.code().into()),
            publications: Some(d.publications).filter(|n| *n > 0),
            training_topics: d.training_topics.clone(),
            trainees: Some(d.trainees).filter(|n| *n > 0),
            trainee_kind: d.trainee_kind.map(|k| k.code().into()),
            certificates: Some(d.certificates).filter(|n| *n > 0),
            note: self.note.clone(),
        }
    }
}

/// A document of an activity (minutes, photos, the list of participants …).
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ActivityDocument {
    /// Id.
    pub id: i64,
    /// Activity.
    pub activity_id: i64,
    /// Title.
    pub title: String,
    /// File name.
    pub file_name: Option<String>,
    /// Content type.
    pub content_type: Option<String>,
    /// Size in bytes.
    pub size: i64,
    /// When it was added.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The counted measures of activities, summed by place, kind and month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Measures {
    /// Activities held.
    pub sessions: i64,
    /// Participants.
    pub participants: i64,
    /// Opinions raised.
    pub opinions: i64,
    /// Opinions answered.
    pub answered: i64,
    /// Households signing commitments.
    pub households: i64,
    /// Individuals signing commitments.
    pub individuals: i64,
    /// Establishments signing commitments.
    pub establishments: i64,
    /// Items published.
    pub publications: i64,
    /// Trainees.
    pub trainees: i64,
    /// Crime reports and tips received at activities.
    pub tips: i64,
}

impl Measures {
    /// Codes and Vietnamese labels of the measures, in [`Measures::values`] order.
    pub const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("sessions", "Số hoạt động, buổi"),
        ("participants", "Lượt người tham dự"),
        ("opinions", "Ý kiến được nêu"),
        ("answered", "Ý kiến đã trả lời"),
        ("households", "Hộ ký cam kết"),
        ("individuals", "Cá nhân ký cam kết"),
        ("establishments", "Cơ sở ký cam kết"),
        ("publications", "Tin bài, tài liệu phát hành"),
        ("trainees", "Lượt học viên tập huấn"),
        ("tips", "Tin báo tiếp nhận qua phong trào"),
    ];

    /// The values in [`Measures::COLUMNS`] order.
    pub fn values(&self) -> [i64; 10] {
        [
            self.sessions,
            self.participants,
            self.opinions,
            self.answered,
            self.households,
            self.individuals,
            self.establishments,
            self.publications,
            self.trainees,
            self.tips,
        ]
    }

    /// The measures with every value negated (to take an old version out of the totals).
    pub fn negated(&self) -> Measures {
        let v = self.values().map(|x| -x);
        Measures::from_values(v)
    }

    /// From values in [`Measures::COLUMNS`] order.
    pub fn from_values(v: [i64; 10]) -> Measures {
        Measures {
            sessions: v[0],
            participants: v[1],
            opinions: v[2],
            answered: v[3],
            households: v[4],
            individuals: v[5],
            establishments: v[6],
            publications: v[7],
            trainees: v[8],
            tips: v[9],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn base() -> ActivityInput {
        ActivityInput {
            title: Some("Tuyên truyền phòng, chống ma túy".into()),
            starts_on: Some("12/05/2026".into()),
            organiser_kind: Some("cong_an".into()),
            organiser_name: Some("Công an xã".into()),
            participants: Some(120),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_activity() {
        let f = base().validate(ActivityShape::Chung, d(2026, 6, 1)).unwrap();
        assert_eq!((f.starts_on, f.ends_on, f.participants), (d(2026, 5, 12), d(2026, 5, 12), 120));
        let mut late = base();
        late.starts_on = Some("2026-06-02".into());
        assert!(late.validate(ActivityShape::Chung, d(2026, 6, 1)).unwrap_err().get("starts_on").is_some());
        let mut groups = base();
        groups.groups = [("hoc_sinh".to_string(), 100), ("Quần chúng nhân dân".to_string(), 30)].into();
        assert!(groups.validate(ActivityShape::Chung, d(2026, 6, 1)).unwrap_err().get("groups").is_some());
        groups.groups = [("hoc_sinh".to_string(), 100), ("Quần chúng nhân dân".to_string(), 20)].into();
        assert_eq!(groups.validate(ActivityShape::Chung, d(2026, 6, 1)).unwrap().groups, [20, 100, 0, 0, 0]);
        let mut model = base();
        model.organiser_kind = Some("mo_hinh".into());
        assert!(model.validate(ActivityShape::Chung, d(2026, 6, 1)).unwrap_err().get("organiser_model_id").is_some());
    }

    #[test]
    fn each_shape_asks_for_its_fields() {
        let today = d(2026, 6, 1);
        let e = base().validate(ActivityShape::CamKet, today).unwrap_err();
        assert!(e.get("commitment_topic").is_some() && e.get("households").is_some());
        let mut c = base();
        c.commitment_topic = Some("Không vi phạm pháp luật về pháo".into());
        c.households = Some(85);
        assert_eq!(c.validate(ActivityShape::CamKet, today).unwrap().shape.households, 85);

        let e = base().validate(ActivityShape::GiaoNop, today).unwrap_err();
        assert!(e.get("weapons").is_some() && e.get("receiving_unit").is_some());
        let mut w = base();
        w.receiving_unit = Some("Công an xã".into());
        w.weapons = vec![
            WeaponLineInput { category: Some("sung_tu_che".into()), quantity: Some("2".into()), ..Default::default() },
            WeaponLineInput {
                category: Some("Vật liệu nổ".into()),
                quantity: Some("1,5".into()),
                unit: Some("kg".into()),
                handed_by: None,
            },
        ];
        let f = w.validate(ActivityShape::GiaoNop, today).unwrap();
        assert_eq!(f.shape.weapons[0].unit, MeasureUnit::Khau);
        assert_eq!(f.shape.weapons[1].quantity_milli, 1500);
        w.weapons[0].quantity = Some("2,5".into());
        w.weapons[1].unit = Some("viên".into());
        let e = w.validate(ActivityShape::GiaoNop, today).unwrap_err();
        assert!(e.get("weapons.0").unwrap().contains("số nguyên"), "{e}");
        assert!(e.get("weapons.1").unwrap().contains("kg"), "{e}");

        let e = base().validate(ActivityShape::PhatHanh, today).unwrap_err();
        assert!(e.get("medium").is_some() && e.get("publications").is_some());
        let mut t = base();
        t.training_topics = Some("Kỹ năng tuần tra".into());
        t.trainees = Some(30);
        t.trainee_kind = Some("luc_luong_co_so".into());
        t.certificates = Some(31);
        assert!(t.validate(ActivityShape::TapHuan, today).unwrap_err().get("certificates").is_some());
        t.certificates = Some(30);
        assert_eq!(t.validate(ActivityShape::TapHuan, today).unwrap().shape.trainees, 30);
    }

    #[test]
    fn quantities_in_vietnamese() {
        assert_eq!(parse_quantity("1,5"), Some(1500));
        assert_eq!(parse_quantity("1.5"), Some(1500));
        assert_eq!(parse_quantity("1.500"), Some(1_500_000), "thousands separator");
        assert_eq!(parse_quantity("2.000,25"), Some(2_000_250));
        assert_eq!(parse_quantity("0,125"), Some(125));
        assert_eq!(parse_quantity("1,2345"), None);
        assert_eq!(parse_quantity("-2"), None);
        assert_eq!(parse_quantity("hai"), None);
        assert_eq!(milli_text(1500), "1,5");
        assert_eq!(milli_text(2_000_000), "2.000");
        assert_eq!(milli_text(125), "0,125");
    }

    #[test]
    fn measures_round_trip() {
        let m = Measures { sessions: 1, participants: 40, tips: 2, ..Default::default() };
        assert_eq!(Measures::from_values(m.values()), m);
        assert_eq!(m.negated().participants, -40);
        assert_eq!(Measures::COLUMNS.len(), m.values().len());
        assert!(WeaponCategory::pairs().len() > WeaponCategory::ALL.len());
    }
}
