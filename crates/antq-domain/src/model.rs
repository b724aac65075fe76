//! Movement models (C2): fields, lifecycle, replication sites and teams (HD 22/HD-BCA-V05).

use chrono::NaiveDate;

use crate::labelled_enum;
use crate::validate::{FieldErrors, Validated, choice, count_in_range, optional_text, required_text};

labelled_enum!(
    /// Lifecycle state of a model (legal-rules §9.4 C).
    ModelState {
        DeXuat = "de_xuat", "Đề xuất";
        XayDung = "xay_dung", "Đang xây dựng";
        DaRaMat = "da_ra_mat", "Đã ra mắt";
        HoatDong = "hoat_dong", "Đang hoạt động";
        CanCungCo = "can_cung_co", "Cần củng cố";
        DaThanhLoai = "da_thanh_loai", "Đã thanh loại";
    }
);

impl ModelState {
    /// The states this state may move to.
    pub fn next_states(self) -> &'static [ModelState] {
        use ModelState::*;
        match self {
            DeXuat => &[XayDung],
            XayDung => &[DaRaMat],
            DaRaMat => &[HoatDong],
            HoatDong => &[CanCungCo],
            CanCungCo => &[HoatDong, DaThanhLoai],
            DaThanhLoai => &[],
        }
    }

    /// Whether a model in this state counts as active (operating).
    pub fn is_active(self) -> bool {
        matches!(self, ModelState::HoatDong | ModelState::CanCungCo | ModelState::DaRaMat)
    }
}

labelled_enum!(
    /// The level at which a model is built.
    ModelLevel {
        Tinh = "tinh", "Cấp tỉnh";
        Xa = "xa", "Cấp xã";
        KhuDanCu = "khu_dan_cu", "Khu dân cư";
        CoSo = "co_so", "Cơ quan, doanh nghiệp, trường học";
    }
);

labelled_enum!(
    /// Where a model originated.
    OriginKind {
        Xa = "xa", "Xã, phường, đặc khu";
        KhuDanCu = "khu_dan_cu", "Khu dân cư";
        CoSo = "co_so", "Cơ quan, doanh nghiệp, trường học";
        ToChuc = "to_chuc", "Tổ chức quần chúng";
        CaNhan = "ca_nhan", "Cá nhân";
    }
);

labelled_enum!(
    /// The organisation that hosts (chủ trì) a model.
    HostOrg {
        CongAn = "cong_an", "Công an";
        ChinhQuyen = "chinh_quyen", "Chính quyền";
        Mttq = "mttq", "Mặt trận Tổ quốc Việt Nam";
        HoiCcb = "hoi_ccb", "Hội Cựu chiến binh";
        HoiPhuNu = "hoi_phu_nu", "Hội Liên hiệp Phụ nữ";
        DoanThanhNien = "doan_thanh_nien", "Đoàn Thanh niên";
        HoiNongDan = "hoi_nong_dan", "Hội Nông dân";
        CongDoan = "cong_doan", "Công đoàn";
        TonGiao = "ton_giao", "Cộng đồng tôn giáo";
        DongHo = "dong_ho", "Dòng họ";
        CoQuanDonVi = "co_quan_don_vi", "Cơ quan, doanh nghiệp, trường học";
        Khac = "khac", "Khác";
    }
);

labelled_enum!(
    /// Whether a model covers security and order comprehensively or one field.
    ModelScope {
        ToanDien = "toan_dien", "Toàn diện";
        ChuyenDe = "chuyen_de", "Một lĩnh vực";
    }
);

labelled_enum!(
    /// Dated events in a model's life that do not change its state.
    ModelEventKind {
        DangKy = "dang_ky", "Đăng ký";
        RaMat = "ra_mat", "Ra mắt";
        SoKet = "so_ket", "Sơ kết";
        TongKet = "tong_ket", "Tổng kết";
        CungCo = "cung_co", "Củng cố";
        ThanhLoai = "thanh_loai", "Thanh loại";
    }
);

labelled_enum!(
    /// State of a replication site (điểm).
    SiteState {
        HoatDong = "hoat_dong", "Đang hoạt động";
        TamDung = "tam_dung", "Tạm dừng";
        DaThanhLoai = "da_thanh_loai", "Đã thanh loại";
    }
);

/// Largest amount of money accepted in one funding field (VND).
pub const MAX_FUNDING_VND: i64 = 1_000_000_000_000;

/// The editable fields of a model, validated. Place (province, commune) and origin links are
/// resolved by the application layer, which knows the database.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFields {
    /// Name, e.g. "Camera giám sát ANTT thôn Phú Lộc".
    pub name: String,
    /// Model type (taxonomy id).
    pub type_id: i64,
    /// Level.
    pub level: ModelLevel,
    /// Origin kind.
    pub origin_kind: OriginKind,
    /// Origin residential area (when origin is a residential area).
    pub origin_area_id: Option<i64>,
    /// Origin establishment (when origin is an establishment).
    pub origin_establishment_id: Option<i64>,
    /// Origin organisation or person, as text.
    pub origin_note: Option<String>,
    /// Host organisation.
    pub host_org: HostOrg,
    /// Host organisation detail (e.g. "Chi hội CCB thôn 3").
    pub host_note: Option<String>,
    /// Comprehensive or one field.
    pub scope: ModelScope,
    /// The field, when scope is one field.
    pub field_note: Option<String>,
    /// Registration date.
    pub registered_on: Option<NaiveDate>,
    /// Number of members.
    pub members: Option<i64>,
    /// State budget funding, VND.
    pub funding_state: i64,
    /// Socialised (xã hội hóa) funding, VND.
    pub funding_social: i64,
    /// Zalo/Facebook groups and similar channels.
    pub channels: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// Raw input of a model, as from a form, JSON or an import row.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ModelInput {
    /// Name.
    pub name: Option<String>,
    /// Model type id.
    pub type_id: Option<i64>,
    /// Level code or label.
    pub level: Option<String>,
    /// Province code (for a province-level model) — the commune code otherwise implies it.
    pub province_code: Option<String>,
    /// Commune code.
    pub commune_code: Option<String>,
    /// Origin kind code or label.
    pub origin_kind: Option<String>,
    /// Origin residential area id.
    pub origin_area_id: Option<i64>,
    /// Origin establishment id.
    pub origin_establishment_id: Option<i64>,
    /// Origin organisation or person.
    pub origin_note: Option<String>,
    /// Host organisation code or label.
    pub host_org: Option<String>,
    /// Host organisation detail.
    pub host_note: Option<String>,
    /// Scope code or label.
    pub scope: Option<String>,
    /// Field (when one field).
    pub field_note: Option<String>,
    /// Registration date (YYYY-MM-DD or dd/mm/yyyy).
    pub registered_on: Option<String>,
    /// Members.
    pub members: Option<i64>,
    /// State budget funding, VND.
    pub funding_state: Option<i64>,
    /// Socialised funding, VND.
    pub funding_social: Option<i64>,
    /// Channels.
    pub channels: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Recorded before 1 July 2025: the former commune (code or name), restated to its
    /// successor; `commune_code` then chooses among the successors of a split ward.
    #[serde(default)]
    pub former_commune: Option<String>,
    /// The former district of `former_commune` (code or name), where names repeat.
    #[serde(default)]
    pub former_district: Option<String>,
    /// The former province of `former_commune` (code or name).
    #[serde(default)]
    pub former_province: Option<String>,
}

/// Parses a date written `YYYY-MM-DD` or `dd/mm/yyyy`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y")).ok()
}

/// Validates an optional date field that may not lie in the future.
pub fn optional_past_date(
    e: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: Option<&str>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let s = raw.map(str::trim).filter(|s| !s.is_empty())?;
    match parse_date(s) {
        None => {
            e.add(field, format!("{label} «{s}» không đúng định dạng ngày (dd/mm/yyyy)."));
            None
        }
        Some(d) if d > today => {
            e.add(field, format!("{label} không được sau ngày hôm nay."));
            None
        }
        Some(d) if d.year_ce().1 < 1945 => {
            e.add(field, format!("{label} không hợp lệ."));
            None
        }
        Some(d) => Some(d),
    }
}

use chrono::Datelike;

impl ModelInput {
    /// Validates everything that needs no database.
    pub fn validate(&self, today: NaiveDate) -> Validated<ModelFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên mô hình", self.name.as_deref().unwrap_or(""), 300);
        let type_id = self.type_id.unwrap_or_else(|| {
            e.add("type_id", "Chưa chọn loại mô hình.");
            0
        });
        let level = choice(&mut e, "level", "cấp mô hình", self.level.as_deref(), ModelLevel::Xa);
        let origin_kind = choice(&mut e, "origin_kind", "nơi hình thành", self.origin_kind.as_deref(), OriginKind::Xa);
        let host_org = choice(&mut e, "host_org", "tổ chức chủ trì", self.host_org.as_deref(), HostOrg::CongAn);
        let scope = choice(&mut e, "scope", "phạm vi", self.scope.as_deref(), ModelScope::ToanDien);
        let origin_note =
            optional_text(&mut e, "origin_note", "Tổ chức/cá nhân hình thành", self.origin_note.as_deref(), 300);
        match origin_kind {
            OriginKind::KhuDanCu if self.origin_area_id.is_none() => {
                e.add("origin_area_id", "Chọn khu dân cư nơi hình thành mô hình.")
            }
            OriginKind::CoSo if self.origin_establishment_id.is_none() => {
                e.add("origin_establishment_id", "Chọn cơ quan, doanh nghiệp, trường học nơi hình thành mô hình.")
            }
            OriginKind::ToChuc | OriginKind::CaNhan if origin_note.is_none() => {
                e.add("origin_note", "Ghi tên tổ chức hoặc cá nhân hình thành mô hình.")
            }
            _ => {}
        }
        if level == ModelLevel::Tinh && self.commune_code.as_deref().is_some_and(|c| !c.trim().is_empty()) {
            e.add("commune_code", "Mô hình cấp tỉnh không gắn với một xã.");
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|c| c.trim().is_empty());
        if level != ModelLevel::Tinh && blank(&self.commune_code) && blank(&self.former_commune) {
            e.add("commune_code", "Chọn xã, phường, đặc khu của mô hình.");
        }
        let field_note = optional_text(&mut e, "field_note", "Lĩnh vực", self.field_note.as_deref(), 300);
        if scope == ModelScope::ChuyenDe && field_note.is_none() {
            e.add("field_note", "Ghi lĩnh vực của mô hình chuyên đề.");
        }
        let registered_on =
            optional_past_date(&mut e, "registered_on", "Ngày đăng ký", self.registered_on.as_deref(), today);
        count_in_range(&mut e, "members", "Số thành viên", self.members, 1_000_000);
        count_in_range(&mut e, "funding_state", "Kinh phí ngân sách", self.funding_state, MAX_FUNDING_VND);
        count_in_range(&mut e, "funding_social", "Kinh phí xã hội hóa", self.funding_social, MAX_FUNDING_VND);
        let channels = optional_text(&mut e, "channels", "Kênh liên lạc", self.channels.as_deref(), 1000);
        let description = optional_text(&mut e, "description", "Mô tả", self.description.as_deref(), 5000);
        let host_note = optional_text(&mut e, "host_note", "Chi tiết tổ chức chủ trì", self.host_note.as_deref(), 300);
        e.into_result(ModelFields {
            name,
            type_id,
            level,
            origin_kind,
            origin_area_id: self.origin_area_id.filter(|_| origin_kind == OriginKind::KhuDanCu),
            origin_establishment_id: self.origin_establishment_id.filter(|_| origin_kind == OriginKind::CoSo),
            origin_note,
            host_org,
            host_note,
            scope,
            field_note: field_note.filter(|_| scope == ModelScope::ChuyenDe),
            registered_on,
            members: self.members,
            funding_state: self.funding_state.unwrap_or(0),
            funding_social: self.funding_social.unwrap_or(0),
            channels,
            description,
        })
    }
}

/// A requested lifecycle transition.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TransitionInput {
    /// Target state code.
    pub to: Option<String>,
    /// Date of the transition (YYYY-MM-DD or dd/mm/yyyy).
    pub on_date: Option<String>,
    /// Decision number (required to eliminate a model).
    pub decision_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A validated transition.
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    /// From state.
    pub from: ModelState,
    /// To state.
    pub to: ModelState,
    /// Date.
    pub on_date: NaiveDate,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl TransitionInput {
    /// Checks the transition against the lifecycle: `from` is the model's state, `since` the
    /// date it entered it.
    pub fn validate(&self, from: ModelState, since: Option<NaiveDate>, today: NaiveDate) -> Validated<Transition> {
        let mut e = FieldErrors::new();
        let to = match self.to.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.add("to", "Chưa chọn trạng thái mới.");
                None
            }
            Some(s) => match ModelState::parse_loose(s) {
                None => {
                    e.add("to", format!("Trạng thái «{s}» không tồn tại."));
                    None
                }
                Some(to) if !from.next_states().contains(&to) => {
                    let allowed = from.next_states().iter().map(|s| s.label()).collect::<Vec<_>>();
                    let msg = if allowed.is_empty() {
                        format!(
                            "Mô hình «{}» là trạng thái cuối, không chuyển được sang «{}».",
                            from.label(),
                            to.label()
                        )
                    } else {
                        format!(
                            "Không thể chuyển mô hình từ «{}» sang «{}». Chỉ được chuyển sang: {}.",
                            from.label(),
                            to.label(),
                            allowed.join(", ")
                        )
                    };
                    e.add("to", msg);
                    None
                }
                Some(to) => Some(to),
            },
        };
        let on_date = match self.on_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.add("on_date", "Chưa nhập ngày chuyển trạng thái.");
                None
            }
            Some(_) => optional_past_date(&mut e, "on_date", "Ngày chuyển trạng thái", self.on_date.as_deref(), today),
        };
        if let (Some(d), Some(s)) = (on_date, since)
            && d < s
        {
            e.add(
                "on_date",
                format!(
                    "Ngày chuyển trạng thái không được trước ngày của trạng thái hiện tại ({}).",
                    s.format("%d/%m/%Y")
                ),
            );
        }
        let decision_no = optional_text(&mut e, "decision_no", "Số quyết định", self.decision_no.as_deref(), 100);
        if to == Some(ModelState::DaThanhLoai) && decision_no.is_none() {
            e.add("decision_no", "Thanh loại mô hình phải có số quyết định.");
        }
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        match (to, on_date) {
            (Some(to), Some(on_date)) if e.is_empty() => Ok(Transition { from, to, on_date, decision_no, note }),
            _ => Err(e),
        }
    }
}

/// Raw input of a replication site.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SiteInput {
    /// Name of the site, e.g. "Điểm thôn Phú Lộc".
    pub name: Option<String>,
    /// Commune code of the site.
    pub commune_code: Option<String>,
    /// Residential area id, when the site is an area.
    pub area_id: Option<i64>,
    /// Establishment id, when the site is an establishment.
    pub establishment_id: Option<i64>,
    /// Start date.
    pub started_on: Option<String>,
    /// State code (default: operating).
    pub state: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A validated site.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteFields {
    /// Name.
    pub name: String,
    /// Commune code.
    pub commune_code: String,
    /// Area.
    pub area_id: Option<i64>,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Start date.
    pub started_on: Option<NaiveDate>,
    /// State.
    pub state: SiteState,
    /// Note.
    pub note: Option<String>,
}

impl SiteInput {
    /// Validates what needs no database.
    pub fn validate(&self, today: NaiveDate) -> Validated<SiteFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên điểm", self.name.as_deref().unwrap_or(""), 300);
        let commune_code =
            required_text(&mut e, "commune_code", "Xã của điểm", self.commune_code.as_deref().unwrap_or(""), 5);
        let started_on = optional_past_date(&mut e, "started_on", "Ngày bắt đầu", self.started_on.as_deref(), today);
        let state = match self.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => SiteState::HoatDong,
            Some(s) => SiteState::parse_loose(s).unwrap_or_else(|| {
                e.add("state", format!("Trạng thái «{s}» không hợp lệ."));
                SiteState::HoatDong
            }),
        };
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        e.into_result(SiteFields {
            name,
            commune_code,
            area_id: self.area_id,
            establishment_id: self.establishment_id,
            started_on,
            state,
            note,
        })
    }
}

/// Raw input of an implementing team (tổ) of a site.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TeamInput {
    /// Name, e.g. "Tổ tự quản số 2".
    pub name: Option<String>,
    /// Number of members.
    pub members: Option<i64>,
    /// Leader's name.
    pub leader: Option<String>,
}

/// A validated team.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamFields {
    /// Name.
    pub name: String,
    /// Members.
    pub members: Option<i64>,
    /// Leader.
    pub leader: Option<String>,
}

impl TeamInput {
    /// Validates the team.
    pub fn validate(&self) -> Validated<TeamFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên tổ", self.name.as_deref().unwrap_or(""), 300);
        count_in_range(&mut e, "members", "Số thành viên", self.members, 10_000);
        let leader = optional_text(&mut e, "leader", "Tổ trưởng", self.leader.as_deref(), 200);
        e.into_result(TeamFields { name, members: self.members, leader })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn every_transition_allowed_or_refused() {
        use ModelState::*;
        let allowed = [
            (DeXuat, XayDung),
            (XayDung, DaRaMat),
            (DaRaMat, HoatDong),
            (HoatDong, CanCungCo),
            (CanCungCo, HoatDong),
            (CanCungCo, DaThanhLoai),
        ];
        for &from in ModelState::ALL {
            for &to in ModelState::ALL {
                let input = TransitionInput {
                    to: Some(to.code().into()),
                    on_date: Some("2025-03-01".into()),
                    decision_no: Some("12/QĐ-UBND".into()),
                    note: None,
                };
                let r = input.validate(from, Some(d("2025-01-01")), d("2025-06-01"));
                assert_eq!(r.is_ok(), allowed.contains(&(from, to)), "{from:?} -> {to:?}");
                if let Err(e) = r {
                    assert!(e.get("to").unwrap().contains("Không thể chuyển") || from == DaThanhLoai);
                }
            }
        }
    }

    #[test]
    fn elimination_needs_decision_and_sane_date() {
        let t = TransitionInput {
            to: Some("da_thanh_loai".into()),
            on_date: Some("01/02/2025".into()),
            decision_no: None,
            note: None,
        };
        let e = t.validate(ModelState::CanCungCo, Some(d("2025-03-01")), d("2025-06-01")).unwrap_err();
        assert!(e.get("decision_no").is_some());
        assert!(e.get("on_date").unwrap().contains("01/03/2025"));
        let future =
            TransitionInput { to: Some("hoat_dong".into()), on_date: Some("2030-01-01".into()), ..Default::default() };
        assert!(future.validate(ModelState::CanCungCo, None, d("2025-06-01")).unwrap_err().get("on_date").is_some());
    }

    #[test]
    fn model_input_rules() {
        let today = d("2025-06-01");
        let base = ModelInput {
            name: Some("Camera giám sát".into()),
            type_id: Some(1),
            level: Some("Cấp xã".into()),
            commune_code: Some("22333".into()),
            origin_kind: Some("ca nhan".into()),
            host_org: Some("hoi_ccb".into()),
            scope: Some("chuyen_de".into()),
            ..Default::default()
        };
        let e = base.validate(today).unwrap_err();
        assert!(e.get("origin_note").is_some());
        assert!(e.get("field_note").is_some());
        let ok = ModelInput {
            origin_note: Some("Ông Nguyễn Văn A".into()),
            field_note: Some("Trật tự ATGT".into()),
            funding_social: Some(15_000_000),
            ..base
        };
        let f = ok.validate(today).unwrap();
        assert_eq!(f.origin_kind, OriginKind::CaNhan);
        assert_eq!(f.funding_social, 15_000_000);
    }
}

/// An entry in the model-type taxonomy.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ModelType {
    /// Id.
    pub id: crate::ids::ModelTypeId,
    /// Stable code.
    pub code: String,
    /// Vietnamese name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Legal basis of the type.
    pub legal_basis: Option<String>,
    /// The province that added it (`None`: national).
    pub province_code: Option<String>,
    /// Offered for new models.
    pub active: bool,
    /// Display order.
    pub sort_order: i64,
}

/// Raw input of a model type.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ModelTypeInput {
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Legal basis.
    pub legal_basis: Option<String>,
    /// Offered for new models (default true).
    pub active: Option<bool>,
}

/// A validated model type.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ModelTypeFields {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Legal basis.
    pub legal_basis: Option<String>,
    /// Active.
    pub active: bool,
}

impl ModelTypeInput {
    /// Validates the type.
    pub fn validate(&self) -> Validated<ModelTypeFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên loại mô hình", self.name.as_deref().unwrap_or(""), 200);
        let description = optional_text(&mut e, "description", "Mô tả", self.description.as_deref(), 2000);
        let legal_basis = optional_text(&mut e, "legal_basis", "Căn cứ", self.legal_basis.as_deref(), 300);
        e.into_result(ModelTypeFields { name, description, legal_basis, active: self.active.unwrap_or(true) })
    }
}

/// A model as stored, with its counts.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Model {
    /// Id.
    pub id: crate::ids::ModelId,
    /// Province code.
    pub province_code: String,
    /// Commune code (absent for a province-level model).
    pub commune_code: Option<String>,
    /// Type id.
    pub type_id: i64,
    /// Type name.
    pub type_name: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: ModelLevel,
    /// Origin kind.
    pub origin_kind: OriginKind,
    /// Origin residential area.
    pub origin_area_id: Option<i64>,
    /// Origin establishment.
    pub origin_establishment_id: Option<i64>,
    /// Origin organisation or person.
    pub origin_note: Option<String>,
    /// Host organisation.
    pub host_org: HostOrg,
    /// Host detail.
    pub host_note: Option<String>,
    /// Scope.
    pub scope: ModelScope,
    /// Field (one-field models).
    pub field_note: Option<String>,
    /// Lifecycle state.
    pub state: ModelState,
    /// Date the current state began.
    pub state_since: Option<NaiveDate>,
    /// Registration date.
    pub registered_on: Option<NaiveDate>,
    /// Members.
    pub members: Option<i64>,
    /// State budget funding, VND.
    pub funding_state: i64,
    /// Socialised funding, VND.
    pub funding_social: i64,
    /// Channels.
    pub channels: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Replication sites.
    pub site_count: i64,
    /// Implementing teams.
    pub team_count: i64,
    /// Where it was recorded in the map that ended on 30 June 2025 (its place above is that
    /// place restated); none when recorded in the current map.
    pub former: Option<crate::succession::FormerPlace>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Model {
    /// The editable fields, for diffs and forms.
    pub fn fields(&self) -> ModelFields {
        ModelFields {
            name: self.name.clone(),
            type_id: self.type_id,
            level: self.level,
            origin_kind: self.origin_kind,
            origin_area_id: self.origin_area_id,
            origin_establishment_id: self.origin_establishment_id,
            origin_note: self.origin_note.clone(),
            host_org: self.host_org,
            host_note: self.host_note.clone(),
            scope: self.scope,
            field_note: self.field_note.clone(),
            registered_on: self.registered_on,
            members: self.members,
            funding_state: self.funding_state,
            funding_social: self.funding_social,
            channels: self.channels.clone(),
            description: self.description.clone(),
        }
    }
}

/// A replication site as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Site {
    /// Id.
    pub id: crate::ids::SiteId,
    /// Model.
    pub model_id: i64,
    /// Province code.
    pub province_code: String,
    /// Commune code.
    pub commune_code: String,
    /// Name.
    pub name: String,
    /// Residential area.
    pub area_id: Option<i64>,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Start date.
    pub started_on: Option<NaiveDate>,
    /// State.
    pub state: SiteState,
    /// Note.
    pub note: Option<String>,
    /// Teams of this site.
    pub teams: Vec<Team>,
}

/// An implementing team as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Team {
    /// Id.
    pub id: crate::ids::TeamId,
    /// Site.
    pub site_id: i64,
    /// Name.
    pub name: String,
    /// Members.
    pub members: Option<i64>,
    /// Leader.
    pub leader: Option<String>,
}

/// One changed field in a history entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Change {
    /// Field name (API name).
    pub field: String,
    /// Value before (display form).
    pub before: Option<String>,
    /// Value after (display form).
    pub after: Option<String>,
}

impl std::fmt::Display for Change {
    /// `field: before → after`, with `∅` for no value.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (b, a) = (self.before.as_deref().unwrap_or("∅"), self.after.as_deref().unwrap_or("∅"));
        write!(f, "{}: {b} → {a}", self.field)
    }
}

/// An entry of a model's history.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (username).
    pub username: String,
    /// `create`, `update`, `transition`, `site`, `team`, `import`.
    pub action: String,
    /// One-line Vietnamese summary.
    pub summary: String,
    /// Field changes.
    pub changes: Vec<Change>,
}

/// The field-level differences between two versions of a model's fields.
pub fn diff(before: &ModelFields, after: &ModelFields) -> Vec<Change> {
    let mut out = Vec::new();
    let mut cmp = |field: &str, b: Option<String>, a: Option<String>| {
        if b != a {
            out.push(Change { field: field.to_string(), before: b, after: a });
        }
    };
    let d = |v: Option<NaiveDate>| v.map(|d| d.format("%d/%m/%Y").to_string());
    let n = |v: Option<i64>| v.map(|v| v.to_string());
    cmp("name", Some(before.name.clone()), Some(after.name.clone()));
    cmp("type_id", Some(before.type_id.to_string()), Some(after.type_id.to_string()));
    cmp("level", Some(before.level.label().into()), Some(after.level.label().into()));
    cmp("origin_kind", Some(before.origin_kind.label().into()), Some(after.origin_kind.label().into()));
    cmp("origin_area_id", n(before.origin_area_id), n(after.origin_area_id));
    cmp("origin_establishment_id", n(before.origin_establishment_id), n(after.origin_establishment_id));
    cmp("origin_note", before.origin_note.clone(), after.origin_note.clone());
    cmp("host_org", Some(before.host_org.label().into()), Some(after.host_org.label().into()));
    cmp("host_note", before.host_note.clone(), after.host_note.clone());
    cmp("scope", Some(before.scope.label().into()), Some(after.scope.label().into()));
    cmp("field_note", before.field_note.clone(), after.field_note.clone());
    cmp("registered_on", d(before.registered_on), d(after.registered_on));
    cmp("members", n(before.members), n(after.members));
    cmp("funding_state", Some(before.funding_state.to_string()), Some(after.funding_state.to_string()));
    cmp("funding_social", Some(before.funding_social.to_string()), Some(after.funding_social.to_string()));
    cmp("channels", before.channels.clone(), after.channels.clone());
    cmp("description", before.description.clone(), after.description.clone());
    out
}

/// A dated event of a model.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ModelEvent {
    /// Kind.
    pub kind: ModelEventKind,
    /// Date.
    pub on_date: NaiveDate,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// Raw input of an event.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EventInput {
    /// Kind code or label.
    pub kind: Option<String>,
    /// Date.
    pub on_date: Option<String>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl EventInput {
    /// Validates an event recorded by hand (sơ kết, tổng kết …).
    pub fn validate(&self, today: NaiveDate) -> Validated<ModelEvent> {
        let mut e = FieldErrors::new();
        let kind = choice(&mut e, "kind", "loại sự kiện", self.kind.as_deref(), ModelEventKind::SoKet);
        let on_date = optional_past_date(&mut e, "on_date", "Ngày", self.on_date.as_deref(), today);
        if on_date.is_none() && !e.0.contains_key("on_date") {
            e.add("on_date", "Chưa nhập ngày.");
        }
        let decision_no = optional_text(&mut e, "decision_no", "Số quyết định", self.decision_no.as_deref(), 100);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        match on_date {
            Some(on_date) if e.is_empty() => Ok(ModelEvent { kind, on_date, decision_no, note }),
            _ => Err(e),
        }
    }
}

impl ModelState {
    /// The event a transition into this state records, if any.
    pub fn entry_event(self) -> Option<ModelEventKind> {
        match self {
            ModelState::DaRaMat => Some(ModelEventKind::RaMat),
            ModelState::CanCungCo => Some(ModelEventKind::CungCo),
            ModelState::DaThanhLoai => Some(ModelEventKind::ThanhLoai),
            _ => None,
        }
    }
}

impl From<&Model> for ModelInput {
    fn from(m: &Model) -> Self {
        ModelInput {
            name: Some(m.name.clone()),
            type_id: Some(m.type_id),
            level: Some(m.level.code().into()),
            province_code: Some(m.province_code.clone()),
            commune_code: m.commune_code.clone(),
            origin_kind: Some(m.origin_kind.code().into()),
            origin_area_id: m.origin_area_id,
            origin_establishment_id: m.origin_establishment_id,
            origin_note: m.origin_note.clone(),
            host_org: Some(m.host_org.code().into()),
            host_note: m.host_note.clone(),
            scope: Some(m.scope.code().into()),
            field_note: m.field_note.clone(),
            registered_on: m.registered_on.map(|d| d.to_string()),
            members: m.members,
            funding_state: Some(m.funding_state),
            funding_social: Some(m.funding_social),
            channels: m.channels.clone(),
            description: m.description.clone(),
            former_commune: m.former.as_ref().and_then(|f| f.commune_code.clone()),
            former_district: m.former.as_ref().and_then(|f| f.district_code.clone()),
            former_province: m.former.as_ref().map(|f| f.province_code.clone()),
        }
    }
}

impl Model {
    /// A model value carrying only its id and place: enough to write events of a model
    /// inserted in the same transaction.
    pub fn stub(id: crate::ids::ModelId, province: &str, commune: Option<&str>) -> Model {
        Model {
            id,
            province_code: province.into(),
            commune_code: commune.map(Into::into),
            type_id: 0,
            type_name: String::new(),
            name: String::new(),
            level: ModelLevel::Xa,
            origin_kind: OriginKind::Xa,
            origin_area_id: None,
            origin_establishment_id: None,
            origin_note: None,
            host_org: HostOrg::Khac,
            host_note: None,
            scope: ModelScope::ToanDien,
            field_note: None,
            state: ModelState::DeXuat,
            state_since: None,
            registered_on: None,
            members: None,
            funding_state: 0,
            funding_social: 0,
            channels: None,
            description: None,
            site_count: 0,
            team_count: 0,
            former: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }
}

/// Largest document file accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// A document of a model (plan, decision, report), as listed.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ModelDocument {
    /// Id.
    pub id: i64,
    /// Title, e.g. "Kế hoạch xây dựng mô hình".
    pub title: String,
    /// Document number, e.g. "25/KH-CAX".
    pub doc_no: Option<String>,
    /// Date of issue.
    pub issued_on: Option<NaiveDate>,
    /// File name, when a file is attached.
    pub file_name: Option<String>,
    /// Content type of the file.
    pub content_type: Option<String>,
    /// File size in bytes (0 without a file).
    pub size: i64,
    /// Recorded.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Raw input of a document.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DocumentInput {
    /// Title.
    pub title: Option<String>,
    /// Document number.
    pub doc_no: Option<String>,
    /// Date of issue.
    pub issued_on: Option<String>,
}

/// A validated document.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentFields {
    /// Title.
    pub title: String,
    /// Number.
    pub doc_no: Option<String>,
    /// Date.
    pub issued_on: Option<NaiveDate>,
}

impl DocumentInput {
    /// Validates the document's description.
    pub fn validate(&self, today: NaiveDate) -> Validated<DocumentFields> {
        let mut e = FieldErrors::new();
        let title = required_text(&mut e, "title", "Tên tài liệu", self.title.as_deref().unwrap_or(""), 300);
        let doc_no = optional_text(&mut e, "doc_no", "Số, ký hiệu", self.doc_no.as_deref(), 100);
        let issued_on = optional_past_date(&mut e, "issued_on", "Ngày ban hành", self.issued_on.as_deref(), today);
        e.into_result(DocumentFields { title, doc_no, issued_on })
    }
}

/// Checks an uploaded file by its content (not its name) and returns its content type:
/// PDF, PNG, JPEG, or an Office Open XML document (DOCX, XLSX).
pub fn check_document_file(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err("Tệp rỗng.".into());
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(format!("Tệp lớn quá {} MB.", MAX_DOCUMENT_BYTES / 1024 / 1024));
    }
    let ext = name.rsplit('.').next().unwrap_or("").to_lowercase();
    match bytes {
        [b'%', b'P', b'D', b'F', b'-', ..] => Ok("application/pdf"),
        [0x89, b'P', b'N', b'G', ..] => Ok("image/png"),
        [0xFF, 0xD8, 0xFF, ..] => Ok("image/jpeg"),
        [b'P', b'K', 3, 4, ..] if ext == "docx" => {
            Ok("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        }
        [b'P', b'K', 3, 4, ..] if ext == "xlsx" => {
            Ok("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        _ => Err("Chỉ nhận tệp PDF, ảnh PNG/JPEG, hoặc văn bản DOCX/XLSX.".into()),
    }
}

#[cfg(test)]
mod document_tests {
    use super::*;

    #[test]
    fn files_are_checked_by_content() {
        assert_eq!(check_document_file("kh.pdf", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(check_document_file("anh.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]), Ok("image/jpeg"));
        assert!(check_document_file("script.pdf", b"<script>alert(1)</script>").is_err());
        assert!(check_document_file("x.zip", b"PK\x03\x04").is_err());
        assert!(check_document_file("empty.pdf", b"").is_err());
        assert!(check_document_file("big.pdf", &vec![b'%'; MAX_DOCUMENT_BYTES + 1]).is_err());
    }
}
