//! The base-level security force (C8; Luật 30/2023/QH15, NĐ 40/2024/NĐ-CP, TT 14/2024/TT-BCA,
//! HD 01/HD-BCA-V05, TT 20/2025/TT-BCA): Tổ bảo vệ ANTT per commune covering residential
//! areas, their members with eligibility checks at entry, the 5 + 5-day recognition clocks,
//! termination with its legal ground, quotas set by the province, composition and coverage
//! alerts, the yearly rating with its 20 % cap, and the Kỷ niệm chương service count.
//! Every number here is read from a rule value (`rules.rs`); this module only knows what the
//! numbers mean.

pub mod clock;
pub mod course;
pub mod eligibility;
pub mod medal;
pub mod member;
pub mod quota;
pub mod rating;
pub mod team;

pub use clock::Deadline;
pub use eligibility::{EligibilityRules, Person};
pub use member::{Member, MemberInput, MemberStep, MemberStepInput};
pub use quota::{Composition, Quota, QuotaBasis, Warning};
pub use team::{Team, TeamInput, TeamStep, TeamStepInput};

use crate::labelled_enum;

labelled_enum!(
    /// Where a Tổ bảo vệ ANTT is (legal-rules §9.4 D).
    TeamState {
        DuKien = "du_kien", "Dự kiến thành lập";
        ChoQuyetDinh = "cho_quyet_dinh", "Chờ quyết định thành lập";
        DaThanhLap = "da_thanh_lap", "Đã thành lập";
        ChoGiaiThe = "cho_giai_the", "Đề nghị giải thể";
        GiaiThe = "giai_the", "Đã giải thể";
    }
);

impl TeamState {
    /// The team exists in law (decision issued, not dissolved).
    pub fn is_established(self) -> bool {
        matches!(self, TeamState::DaThanhLap | TeamState::ChoGiaiThe)
    }

    /// Not yet dissolved.
    pub fn is_open(self) -> bool {
        self != TeamState::GiaiThe
    }
}

labelled_enum!(
    /// A member's role in the team (Luật 30/2023 Điều 16).
    MemberRole {
        ToTruong = "to_truong", "Tổ trưởng";
        ToPho = "to_pho", "Tổ phó";
        ToVien = "to_vien", "Tổ viên";
    }
);

impl MemberRole {
    /// Rank for "leader not rated above the team" and sorting (leader first).
    pub fn rank(self) -> u8 {
        match self {
            MemberRole::ToTruong => 0,
            MemberRole::ToPho => 1,
            MemberRole::ToVien => 2,
        }
    }

    /// The rule holding the monthly allowance of the role.
    pub fn allowance_rule(self) -> crate::rules::RuleCode {
        use crate::rules::RuleCode;
        match self {
            MemberRole::ToTruong => RuleCode::ForceAllowanceToTruong,
            MemberRole::ToPho => RuleCode::ForceAllowanceToPho,
            MemberRole::ToVien => RuleCode::ForceAllowanceToVien,
        }
    }
}

labelled_enum!(
    /// Where a member is (legal-rules §9.4 D; TT 14/2024 Điều 3–5).
    MemberState {
        HoSo = "ho_so", "Đã nộp hồ sơ";
        DaXetTuyen = "da_xet_tuyen", "Đã lựa chọn (có biên bản)";
        ChoQuyetDinh = "cho_quyet_dinh", "Chờ quyết định công nhận";
        DangThamGia = "dang_tham_gia", "Đang tham gia";
        ThoiThamGia = "thoi_tham_gia", "Đã thôi tham gia";
        KhongCongNhan = "khong_cong_nhan", "Không được công nhận";
    }
);

impl MemberState {
    /// Holds (or is on the way to) a place in a team: one person, one such membership.
    pub fn holds_place(self) -> bool {
        !matches!(self, MemberState::ThoiThamGia | MemberState::KhongCongNhan)
    }
}

labelled_enum!(
    /// Sex (for the Kỷ niệm chương service years and statistics).
    Sex {
        Nam = "nam", "Nam";
        Nu = "nu", "Nữ";
    }
);

/// Education codes in ascending order (rules `force_education*` name one of them).
pub const EDUCATION_CODES: &[&str] =
    &["chua_tieu_hoc", "tieu_hoc", "thcs", "thpt", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc"];

labelled_enum!(
    /// Highest education completed.
    Education {
        ChuaTieuHoc = "chua_tieu_hoc", "Chưa hoàn thành tiểu học";
        TieuHoc = "tieu_hoc", "Hoàn thành tiểu học";
        Thcs = "thcs", "Tốt nghiệp, hoàn thành THCS";
        Thpt = "thpt", "Tốt nghiệp THPT";
        TrungCap = "trung_cap", "Trung cấp";
        CaoDang = "cao_dang", "Cao đẳng";
        DaiHoc = "dai_hoc", "Đại học";
        SauDaiHoc = "sau_dai_hoc", "Sau đại học";
    }
);

impl Education {
    /// Position in [`EDUCATION_CODES`] (higher is more).
    pub fn level(self) -> usize {
        EDUCATION_CODES.iter().position(|c| *c == self.code()).unwrap_or(0)
    }
}

labelled_enum!(
    /// Service before joining the team that counts towards the Kỷ niệm chương (TT 20/2025).
    PriorService {
        Khong = "khong", "Không";
        BaoVeDanPho = "bao_ve_dan_pho", "Bảo vệ dân phố";
        CongAnXaBanChuyenTrach = "cong_an_xa_ban_chuyen_trach", "Công an xã bán chuyên trách";
        DoiDanPhong = "doi_dan_phong", "Đội trưởng, đội phó đội dân phòng";
        Cand = "cand", "Công an nhân dân";
        Qdnd = "qdnd", "Quân đội nhân dân";
    }
);

labelled_enum!(
    /// Legal grounds to end a membership (Luật 30/2023 Điều 17 khoản 3; TT 14/2024 Điều 5).
    TerminationGround {
        DonXinThoi = "don_xin_thoi", "Có đơn xin thôi tham gia";
        KhongDuSucKhoe = "khong_du_suc_khoe", "Không còn bảo đảm sức khỏe";
        KhongChapHanh = "khong_chap_hanh_nhiem_vu", "Từ chối nhiệm vụ ≥ 2 lần, không hoàn thành nhiệm vụ hoặc lợi dụng danh nghĩa, đã nhắc nhở ≥ 2 lần bằng văn bản";
        ViPhamPhapLuat = "vi_pham_phap_luat", "Bị khởi tố, áp dụng biện pháp ngăn chặn hoặc biện pháp xử lý hành chính";
        GiaiTheTo = "giai_the_to", "Giải thể tổ, điều chỉnh số lượng";
    }
);

impl TerminationGround {
    /// The legal basis of the ground.
    pub fn legal_basis(self) -> &'static str {
        match self {
            TerminationGround::DonXinThoi => "Điều 17 khoản 3 điểm a Luật 30/2023/QH15",
            TerminationGround::KhongDuSucKhoe => "Điều 17 khoản 3 điểm b Luật 30/2023/QH15",
            TerminationGround::KhongChapHanh => "Điều 17 khoản 3 điểm c Luật 30/2023/QH15",
            TerminationGround::ViPhamPhapLuat => "Điều 17 khoản 3 điểm d Luật 30/2023/QH15",
            TerminationGround::GiaiTheTo => "Điều 5 Thông tư 14/2024/TT-BCA",
        }
    }
}

labelled_enum!(
    /// The six task groups of the force (Luật 30/2023 Chương II), used as training topics.
    TaskGroup {
        NamTinhHinh = "nam_tinh_hinh", "Nắm tình hình ANTT";
        PhongTrao = "phong_trao", "Xây dựng phong trào toàn dân bảo vệ ANTQ";
        Pccc = "pccc", "Phòng cháy, chữa cháy, cứu nạn, cứu hộ";
        QuanLyHanhChinh = "quan_ly_hanh_chinh", "Quản lý hành chính về trật tự xã hội";
        VanDongGiaoDuc = "van_dong_giao_duc", "Vận động, giáo dục người vi phạm pháp luật";
        TuanTra = "tuan_tra", "Tuần tra ANTT, ATGT, nhiệm vụ khi được điều động";
    }
);

labelled_enum!(
    /// A trainee's result.
    TrainingResult {
        ChuaCo = "chua_co", "Chưa có kết quả";
        Dat = "dat", "Đạt";
        KhongDat = "khong_dat", "Không đạt";
    }
);

/// Checks a 12-digit citizen identity number (CCCD / số định danh cá nhân).
pub fn parse_citizen_id(raw: &str) -> Result<String, String> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    if digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.".into())
    }
}

/// A citizen id shown without the permission to read it: only the last four digits.
pub fn mask_citizen_id(last4: &str) -> String {
    format!("••••••••{last4}")
}

/// Age in whole years on `day`.
pub fn age_on(born: chrono::NaiveDate, day: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    let mut a = i64::from(day.year() - born.year());
    if (day.month(), day.day()) < (born.month(), born.day()) {
        a -= 1;
    }
    a.max(0)
}

/// The day a person born on `born` turns `years` (29/02 birthdays turn on 01/03 in common years).
pub fn birthday(born: chrono::NaiveDate, years: i64) -> chrono::NaiveDate {
    use chrono::Datelike;
    let y = born.year() + i32::try_from(years).unwrap_or(0);
    chrono::NaiveDate::from_ymd_opt(y, born.month(), born.day())
        .or_else(|| chrono::NaiveDate::from_ymd_opt(y, 3, 1))
        .unwrap_or(born)
}

/// Age bands of the statistics.
pub const AGE_BANDS: &[(i64, i64, &str)] = &[
    (0, 29, "Dưới 30"),
    (30, 39, "30–39"),
    (40, 49, "40–49"),
    (50, 59, "50–59"),
    (60, 69, "60–69"),
    (70, 200, "Từ 70"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ages_and_birthdays() {
        assert_eq!(age_on(d(1956, 12, 2), d(2026, 12, 1)), 69);
        assert_eq!(age_on(d(1956, 12, 2), d(2026, 12, 2)), 70);
        assert_eq!(birthday(d(2008, 2, 29), 18), d(2026, 3, 1));
        assert_eq!(birthday(d(2004, 2, 29), 20), d(2024, 2, 29));
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
    }

    #[test]
    fn citizen_ids() {
        assert_eq!(parse_citizen_id("056 090 001 234").unwrap(), "056090001234");
        assert!(parse_citizen_id("05609000123").is_err());
        assert!(parse_citizen_id("05609000123A").is_err());
        assert_eq!(mask_citizen_id("1234"), "••••••••1234");
    }

    #[test]
    fn education_levels_follow_the_codes() {
        for (i, e) in Education::ALL.iter().enumerate() {
            assert_eq!(e.level(), i);
            assert_eq!(EDUCATION_CODES[i], e.code());
        }
    }
}
