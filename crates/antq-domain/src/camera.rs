//! Security cameras (camera giám sát ANTT, C3) and the monitoring centres they stream to.
//!
//! A camera point records where it is, what it watches, who paid for it and how much, who keeps
//! it, and its status with dated changes. No video and no stream address is ever stored: a
//! centre is a name and a place, never a URL with credentials.

use chrono::NaiveDate;

use crate::labelled_enum;
use crate::model::parse_date;
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

labelled_enum!(
    /// What kind of camera.
    CameraKind {
        CoDinh = "co_dinh", "Cố định";
        Ptz = "ptz", "Quay quét (PTZ)";
        Ai = "ai", "Tích hợp AI";
    }
);

labelled_enum!(
    /// What the camera watches.
    CameraWatch {
        DuongGiaoThong = "duong_giao_thong", "Đường giao thông, nút giao";
        KhuDanCu = "khu_dan_cu", "Ngõ, xóm, khu dân cư";
        Cho = "cho", "Chợ, trung tâm thương mại";
        CongTruong = "cong_truong", "Cổng trường học";
        CoSoTonGiao = "co_so_ton_giao", "Cơ sở tôn giáo, tín ngưỡng";
        BenXe = "ben_xe", "Bến xe, bến tàu, nhà ga";
        CoQuan = "co_quan", "Trụ sở cơ quan, doanh nghiệp";
        DiemDuLich = "diem_du_lich", "Điểm du lịch, công viên, quảng trường";
        Khac = "khac", "Khác";
    }
);

labelled_enum!(
    /// Who paid for the camera.
    CameraFunding {
        NganSach = "ngan_sach", "Ngân sách nhà nước";
        XaHoiHoa = "xa_hoi_hoa", "Xã hội hóa";
        DoanhNghiep = "doanh_nghiep", "Doanh nghiệp";
        HoGiaDinh = "ho_gia_dinh", "Hộ gia đình";
    }
);

labelled_enum!(
    /// Status of a camera point.
    CameraStatus {
        HoatDong = "hoat_dong", "Hoạt động";
        Hong = "hong", "Hỏng";
        DaThao = "da_thao", "Đã tháo";
    }
);

impl CameraStatus {
    /// The statuses a camera in `self` may move to. A removed camera stays removed: a camera
    /// put back up is a new point, so its history and its cost are not counted twice.
    pub fn next(self) -> &'static [CameraStatus] {
        match self {
            CameraStatus::HoatDong => &[CameraStatus::Hong, CameraStatus::DaThao],
            CameraStatus::Hong => &[CameraStatus::HoatDong, CameraStatus::DaThao],
            CameraStatus::DaThao => &[],
        }
    }
}

/// Largest cost accepted for one camera point (VND).
pub const MAX_COST_VND: i64 = 100_000_000_000;

/// Latitude and longitude (WGS84, decimal degrees) of a point inside Vietnam's extent: the
/// mainland from Lũng Cú to Cà Mau, Phú Quốc, and the Hoàng Sa and Trường Sa archipelagos.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Coordinates {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

impl Coordinates {
    /// Southernmost, northernmost latitude; westernmost, easternmost longitude of the extent.
    pub const EXTENT: (f64, f64, f64, f64) = (6.0, 23.5, 102.0, 118.0);

    /// Whether the point lies inside Vietnam's extent.
    pub fn inside_vietnam(self) -> bool {
        let (s, n, w, e) = Self::EXTENT;
        (s..=n).contains(&self.lat) && (w..=e).contains(&self.lon)
    }
}

/// Parses one coordinate in decimal degrees, with a point or a comma as decimal separator
/// (`12.2388`, `12,2388`, `109.1967°`).
pub fn parse_degrees(s: &str) -> Option<f64> {
    let t = s.trim().trim_end_matches('°').trim().replace(',', ".");
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Validates a latitude and longitude given together (both or neither).
pub fn coordinates(e: &mut FieldErrors, lat: Option<&str>, lon: Option<&str>) -> Option<Coordinates> {
    fn blank(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    match (blank(lat), blank(lon)) {
        (None, None) => None,
        (Some(_), None) => {
            e.add("longitude", "Thiếu kinh độ (nhập cả vĩ độ và kinh độ, hoặc để trống cả hai).");
            None
        }
        (None, Some(_)) => {
            e.add("latitude", "Thiếu vĩ độ (nhập cả vĩ độ và kinh độ, hoặc để trống cả hai).");
            None
        }
        (Some(a), Some(o)) => {
            let (la, lo) = (parse_degrees(a), parse_degrees(o));
            if la.is_none() {
                e.add("latitude", format!("Vĩ độ «{a}» không phải số thập phân (ví dụ 12,2388)."));
            }
            if lo.is_none() {
                e.add("longitude", format!("Kinh độ «{o}» không phải số thập phân (ví dụ 109,1967)."));
            }
            let c = Coordinates { lat: la?, lon: lo? };
            if c.inside_vietnam() {
                Some(c)
            } else if (102.0..=118.0).contains(&c.lat) && (6.0..=23.5).contains(&c.lon) {
                e.add(
                    "latitude",
                    "Vĩ độ và kinh độ bị đảo chỗ: vĩ độ ở Việt Nam từ 6 đến 23,5, kinh độ từ 102 đến 118.",
                );
                None
            } else {
                e.add("latitude", "Tọa độ nằm ngoài lãnh thổ Việt Nam (vĩ độ 6–23,5; kinh độ 102–118, hệ WGS84).");
                None
            }
        }
    }
}

/// Raw input of a camera point, as from a form, JSON or an import row. The place (commune,
/// area, establishment) and the links (model, centre) are resolved by the use-case.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CameraInput {
    /// Commune code (5 digits).
    pub commune_code: Option<String>,
    /// Residential area id (in the commune).
    pub area_id: Option<i64>,
    /// Establishment id (in the commune).
    pub establishment_id: Option<i64>,
    /// Name or number of the point (e.g. "Ngã ba chợ Vĩnh Lương").
    pub name: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Latitude, decimal degrees (WGS84).
    pub latitude: Option<String>,
    /// Longitude, decimal degrees (WGS84).
    pub longitude: Option<String>,
    /// Owning model id (usually a camera model of the commune).
    pub model_id: Option<i64>,
    /// Installed on (`YYYY-MM-DD` or `dd/mm/yyyy`).
    pub installed_on: Option<String>,
    /// Kind: code or label.
    pub kind: Option<String>,
    /// What it watches: code or label.
    pub watches: Option<String>,
    /// Funding source: code or label.
    pub funding: Option<String>,
    /// Cost in VND.
    pub cost_vnd: Option<i64>,
    /// Who keeps it (household, team, unit).
    pub keeper: Option<String>,
    /// Monitoring centre id.
    pub centre_id: Option<i64>,
    /// Status when first recorded (default: hoạt động).
    pub status: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// The validated fields of a camera point (its place and links are checked by the use-case).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CameraFields {
    /// Name or number of the point.
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Coordinates, if given.
    pub coordinates: Option<Coordinates>,
    /// Installed on.
    pub installed_on: NaiveDate,
    /// Kind.
    pub kind: CameraKind,
    /// What it watches.
    pub watches: CameraWatch,
    /// Funding source.
    pub funding: CameraFunding,
    /// Cost in VND (0 when unknown).
    pub cost_vnd: i64,
    /// Who keeps it.
    pub keeper: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl CameraInput {
    /// Validates the fields; `today` bounds the installation date.
    pub fn validate(&self, today: NaiveDate) -> Validated<CameraFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên, số hiệu điểm camera", self.name.as_deref().unwrap_or(""), 200);
        let address = optional_text(&mut e, "address", "Địa chỉ", self.address.as_deref(), 500);
        let coordinates = coordinates(&mut e, self.latitude.as_deref(), self.longitude.as_deref());
        let installed_on = match self.installed_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.add("installed_on", "Ngày lắp đặt không được để trống.");
                today
            }
            Some(s) => match parse_date(s) {
                None => {
                    e.add("installed_on", format!("Ngày lắp đặt «{s}» không đúng định dạng ngày (dd/mm/yyyy)."));
                    today
                }
                Some(d) if d > today => {
                    e.add("installed_on", "Ngày lắp đặt không được sau ngày hôm nay.");
                    today
                }
                Some(d) => d,
            },
        };
        let kind = match self.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => CameraKind::CoDinh,
            Some(_) => choice(&mut e, "kind", "loại camera", self.kind.as_deref(), CameraKind::CoDinh),
        };
        let watches = choice(&mut e, "watches", "vị trí giám sát", self.watches.as_deref(), CameraWatch::Khac);
        let funding = choice(&mut e, "funding", "nguồn kinh phí", self.funding.as_deref(), CameraFunding::XaHoiHoa);
        let cost_vnd = self.cost_vnd.unwrap_or(0);
        if !(0..=MAX_COST_VND).contains(&cost_vnd) {
            e.add("cost_vnd", "Kinh phí phải từ 0 đến 100.000.000.000 đồng.");
        }
        let keeper = optional_text(&mut e, "keeper", "Người, đơn vị quản lý", self.keeper.as_deref(), 300);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        e.into_result(CameraFields {
            name,
            address,
            coordinates,
            installed_on,
            kind,
            watches,
            funding,
            cost_vnd,
            keeper,
            note,
        })
    }

    /// The status the point starts in (default hoạt động); a point cannot be created removed.
    pub fn initial_status(&self) -> Validated<CameraStatus> {
        let mut e = FieldErrors::new();
        let s = match self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => CameraStatus::HoatDong,
            Some(_) => choice(&mut e, "status", "trạng thái", self.status.as_deref(), CameraStatus::HoatDong),
        };
        if s == CameraStatus::DaThao {
            e.add("status", "Không thể ghi nhận một camera đã tháo: chỉ ghi điểm đang hoạt động hoặc hỏng.");
        }
        e.into_result(s)
    }
}

/// A dated change of status, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct StatusChangeInput {
    /// New status: code or label.
    pub status: Option<String>,
    /// Day of the change (`YYYY-MM-DD` or `dd/mm/yyyy`; default today).
    pub on: Option<String>,
    /// What happened (e.g. "Hỏng nguồn, đã báo đơn vị bảo trì").
    pub note: Option<String>,
}

/// A validated status change.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StatusChange {
    /// New status.
    pub status: CameraStatus,
    /// Day of the change.
    pub on: NaiveDate,
    /// Note.
    pub note: Option<String>,
}

impl StatusChangeInput {
    /// Validates the change against the camera's current status and the day of its last change
    /// (a change may not predate it nor lie in the future).
    pub fn validate(&self, current: CameraStatus, since: NaiveDate, today: NaiveDate) -> Validated<StatusChange> {
        let mut e = FieldErrors::new();
        let status = choice(&mut e, "status", "trạng thái mới", self.status.as_deref(), current);
        if e.is_empty() && !current.next().contains(&status) {
            let allowed: Vec<&str> = current.next().iter().map(|s| s.label()).collect();
            e.add(
                "status",
                if allowed.is_empty() {
                    format!("Camera đã ở trạng thái «{}»: không chuyển được nữa.", current.label())
                } else {
                    format!("Từ «{}» chỉ chuyển được sang: {}.", current.label(), allowed.join(", "))
                },
            );
        }
        let on = match self.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => today,
            Some(s) => parse_date(s).unwrap_or_else(|| {
                e.add("on", format!("Ngày «{s}» không đúng định dạng ngày (dd/mm/yyyy)."));
                today
            }),
        };
        if on > today {
            e.add("on", "Ngày chuyển trạng thái không được sau ngày hôm nay.");
        } else if on < since {
            e.add(
                "on",
                format!("Ngày chuyển trạng thái không được trước {} (lần ghi trước).", since.format("%d/%m/%Y")),
            );
        }
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 1000);
        e.into_result(StatusChange { status, on, note })
    }
}

/// A camera point as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Camera {
    /// Id.
    pub id: i64,
    /// Province code.
    pub province_code: String,
    /// Commune code.
    pub commune_code: String,
    /// Residential area id.
    pub area_id: Option<i64>,
    /// Residential area name.
    pub area_name: Option<String>,
    /// Establishment id.
    pub establishment_id: Option<i64>,
    /// Establishment name.
    pub establishment_name: Option<String>,
    /// Name or number of the point.
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Latitude (WGS84).
    pub latitude: Option<f64>,
    /// Longitude (WGS84).
    pub longitude: Option<f64>,
    /// Owning model id.
    pub model_id: Option<i64>,
    /// Owning model name.
    pub model_name: Option<String>,
    /// Installed on.
    pub installed_on: NaiveDate,
    /// Kind.
    pub kind: CameraKind,
    /// What it watches.
    pub watches: CameraWatch,
    /// Funding source.
    pub funding: CameraFunding,
    /// Cost, VND.
    pub cost_vnd: i64,
    /// Who keeps it.
    pub keeper: Option<String>,
    /// Monitoring centre id.
    pub centre_id: Option<i64>,
    /// Monitoring centre name.
    pub centre_name: Option<String>,
    /// Current status.
    pub status: CameraStatus,
    /// Day the current status began.
    pub status_since: NaiveDate,
    /// Note.
    pub note: Option<String>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&Camera> for CameraInput {
    fn from(c: &Camera) -> Self {
        CameraInput {
            commune_code: Some(c.commune_code.clone()),
            area_id: c.area_id,
            establishment_id: c.establishment_id,
            name: Some(c.name.clone()),
            address: c.address.clone(),
            latitude: c.latitude.map(|v| v.to_string()),
            longitude: c.longitude.map(|v| v.to_string()),
            model_id: c.model_id,
            installed_on: Some(c.installed_on.to_string()),
            kind: Some(c.kind.code().into()),
            watches: Some(c.watches.code().into()),
            funding: Some(c.funding.code().into()),
            cost_vnd: Some(c.cost_vnd),
            keeper: c.keeper.clone(),
            centre_id: c.centre_id,
            status: Some(c.status.code().into()),
            note: c.note.clone(),
        }
    }
}

/// One entry of a camera's status history.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StatusEntry {
    /// Status entered.
    pub status: CameraStatus,
    /// Day.
    pub on: NaiveDate,
    /// Note.
    pub note: Option<String>,
    /// Who recorded it (username).
    pub recorded_by: String,
    /// When it was recorded.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// Raw input of a monitoring centre.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CentreInput {
    /// Province code (for a province's centre) or commune code (for a commune's).
    pub unit_code: Option<String>,
    /// Name (e.g. "Trung tâm giám sát camera Công an phường Nha Trang").
    pub name: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Operating unit.
    pub operator: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A centre's validated fields.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CentreFields {
    /// Name.
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Operating unit.
    pub operator: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl CentreInput {
    /// Validates the fields. A centre holds no stream address: a field that looks like one is
    /// refused, so credentials never land in the register.
    pub fn validate(&self) -> Validated<CentreFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên trung tâm", self.name.as_deref().unwrap_or(""), 300);
        let address = optional_text(&mut e, "address", "Địa chỉ", self.address.as_deref(), 500);
        let operator = optional_text(&mut e, "operator", "Đơn vị vận hành", self.operator.as_deref(), 300);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        for (field, v) in [("name", Some(&name)), ("address", address.as_ref()), ("note", note.as_ref())] {
            if v.is_some_and(|v| looks_like_stream(v)) {
                e.add(field, "Không lưu địa chỉ luồng video hay mật khẩu (rtsp://, http://…) trong hệ thống.");
            }
        }
        e.into_result(CentreFields { name, address, operator, note })
    }
}

/// Whether a text carries a stream or web address (`rtsp://`, `http://user:pass@…`).
pub fn looks_like_stream(s: &str) -> bool {
    let l = s.to_lowercase();
    ["rtsp://", "rtmp://", "http://", "https://", "onvif://"].iter().any(|p| l.contains(p))
}

/// A monitoring centre as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Centre {
    /// Id.
    pub id: i64,
    /// Province code.
    pub province_code: String,
    /// Commune code (none: the province's centre).
    pub commune_code: Option<String>,
    /// Name.
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Operating unit.
    pub operator: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Cameras streaming to it that are not removed.
    pub cameras: i64,
}

/// Coverage figures of one place (a province or a commune), from the kept totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Coverage {
    /// Camera points not removed.
    pub cameras: i64,
    /// Working.
    pub working: i64,
    /// Broken.
    pub broken: i64,
    /// Removed.
    pub removed: i64,
    /// Communes with at least one working camera.
    pub communes_covered: i64,
    /// Communes in the place.
    pub communes: i64,
    /// Money mobilised, VND, by [`CameraFunding::ALL`] order (removed cameras included: the money
    /// was spent).
    pub cost_by_funding: [i64; 4],
}

impl Coverage {
    /// Share of communes covered, in thousandths (0 when there are no communes).
    pub fn covered_milli(&self) -> i64 {
        (self.communes_covered * 1000).checked_div(self.communes).unwrap_or(0)
    }

    /// Money mobilised from every source.
    pub fn cost_total(&self) -> i64 {
        self.cost_by_funding.iter().sum()
    }

    /// Adds another place's figures.
    pub fn add(&mut self, o: &Coverage) {
        self.cameras += o.cameras;
        self.working += o.working;
        self.broken += o.broken;
        self.removed += o.removed;
        self.communes_covered += o.communes_covered;
        self.communes += o.communes;
        for (a, b) in self.cost_by_funding.iter_mut().zip(o.cost_by_funding) {
            *a += b;
        }
    }
}

/// A camera with coordinates, for the map.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct CameraPoint {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Commune.
    pub commune_code: String,
    /// Latitude.
    pub latitude: f64,
    /// Longitude.
    pub longitude: f64,
    /// Status code.
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn coordinates_are_checked_inside_vietnam() {
        let mut e = FieldErrors::new();
        assert_eq!(
            coordinates(&mut e, Some("12,2388"), Some("109.1967°")),
            Some(Coordinates { lat: 12.2388, lon: 109.1967 })
        );
        // Trường Sa (Song Tử Tây) and Hoàng Sa (Phú Lâm) are inside.
        assert!(coordinates(&mut e, Some("11.43"), Some("114.33")).is_some());
        assert!(coordinates(&mut e, Some("16.83"), Some("112.33")).is_some());
        assert!(e.is_empty());
        let mut e = FieldErrors::new();
        assert!(coordinates(&mut e, Some("109.19"), Some("12.23")).is_none());
        assert!(e.get("latitude").unwrap().contains("đảo chỗ"));
        let mut e = FieldErrors::new();
        assert!(coordinates(&mut e, Some("48.85"), Some("2.35")).is_none());
        assert!(e.get("latitude").unwrap().contains("ngoài lãnh thổ"));
        let mut e = FieldErrors::new();
        assert!(coordinates(&mut e, Some("12.2"), None).is_none());
        assert!(e.get("longitude").is_some());
        let mut e = FieldErrors::new();
        assert!(coordinates(&mut e, Some("mười hai"), Some("109")).is_none());
        assert!(e.get("latitude").unwrap().contains("số thập phân"));
    }

    #[test]
    fn a_camera_needs_its_place_in_time_and_its_funding() {
        let today = day("2026-06-01");
        let ok = CameraInput {
            name: Some("Ngã ba chợ".into()),
            installed_on: Some("15/03/2026".into()),
            watches: Some("Chợ, trung tâm thương mại".into()),
            funding: Some("xa hoi hoa".into()),
            cost_vnd: Some(12_500_000),
            ..Default::default()
        };
        let f = ok.validate(today).unwrap();
        assert_eq!(
            (f.kind, f.watches, f.funding, f.cost_vnd),
            (CameraKind::CoDinh, CameraWatch::Cho, CameraFunding::XaHoiHoa, 12_500_000)
        );
        let bad =
            CameraInput { installed_on: Some("2027-01-01".into()), cost_vnd: Some(-1), funding: None, ..ok.clone() };
        let e = bad.validate(today).unwrap_err();
        assert!(e.get("installed_on").is_some() && e.get("cost_vnd").is_some() && e.get("funding").is_some());
        let removed = CameraInput { status: Some("Đã tháo".into()), ..ok };
        assert!(removed.initial_status().unwrap_err().get("status").is_some());
    }

    #[test]
    fn status_changes_follow_the_machine_and_the_calendar() {
        let (since, today) = (day("2026-03-01"), day("2026-06-01"));
        let change = |s: &str, on: &str| StatusChangeInput { status: Some(s.into()), on: Some(on.into()), note: None };
        let c = change("hong", "2026-04-02").validate(CameraStatus::HoatDong, since, today).unwrap();
        assert_eq!((c.status, c.on), (CameraStatus::Hong, day("2026-04-02")));
        assert!(change("hoat_dong", "2026-04-02").validate(CameraStatus::HoatDong, since, today).is_err());
        assert!(
            change("hong", "2026-02-01")
                .validate(CameraStatus::HoatDong, since, today)
                .unwrap_err()
                .get("on")
                .is_some()
        );
        assert!(change("hong", "2026-07-01").validate(CameraStatus::HoatDong, since, today).is_err());
        let e = change("hoat_dong", "2026-04-02").validate(CameraStatus::DaThao, since, today).unwrap_err();
        assert!(e.get("status").unwrap().contains("không chuyển được"));
    }

    #[test]
    fn a_centre_never_holds_a_stream_address() {
        let c = CentreInput {
            name: Some("Trung tâm".into()),
            note: Some("rtsp://admin:123@10.0.0.1".into()),
            ..Default::default()
        };
        assert!(c.validate().unwrap_err().get("note").is_some());
    }

    #[test]
    fn coverage_adds_up() {
        let mut a = Coverage { communes: 2, communes_covered: 1, cost_by_funding: [1, 2, 3, 4], ..Default::default() };
        a.add(&Coverage { communes: 2, communes_covered: 2, cost_by_funding: [1, 0, 0, 0], ..Default::default() });
        assert_eq!((a.covered_milli(), a.cost_total()), (750, 11));
    }
}
