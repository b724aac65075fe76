//! Rules as data (legal-rules §9.5): every period, deadline, rate and band is a stored value
//! with its legal basis and validity, seeded with today's values and editable per province.
//! This module knows what each value means and how to read it; the values live in the database.

use chrono::{Datelike, NaiveDate};

use crate::labelled_enum;
use crate::model::parse_date;
use crate::validate::{FieldErrors, Validated, optional_text, required_text};

labelled_enum!(
    /// A rule whose value is configurable.
    RuleCode {
        ModelMinMonths = "model_min_months", "Thời gian hoạt động tối thiểu để xếp loại mô hình (tháng)";
        ModelRatingWindow = "model_rating_window", "Kỳ xếp loại mô hình hằng năm";
        ModelRatingBands = "model_rating_bands", "Ngưỡng điểm gợi ý xếp loại mô hình (% điểm tối đa)";
        AnttRegistration = "antt_registration", "Thời hạn đăng ký «An toàn về ANTT»";
        AnttWindowKhuDanCu = "antt_window_khu_dan_cu", "Kỳ đánh giá «An toàn về ANTT» của khu dân cư";
        AnttWindowOther = "antt_window_other", "Kỳ đánh giá «An toàn về ANTT» của xã, cơ quan, doanh nghiệp, cơ sở giáo dục";
        AnttHouseholdsPct = "antt_households_pct", "Tỷ lệ hộ gia đình đăng ký của khu dân cư (%)";
        AnttCommuneRegisteredPct = "antt_commune_registered_pct", "Tỷ lệ đơn vị thuộc xã đã đăng ký (%)";
        AnttCommuneRecognisedPct = "antt_commune_recognised_pct", "Tỷ lệ đơn vị thuộc xã được công nhận (%)";
        PtDeadlineKhuDanCu = "pt_deadline_khu_dan_cu", "Hạn phân loại phong trào của khu dân cư";
        PtDeadlineCoSo = "pt_deadline_co_so", "Hạn phân loại phong trào của xã, cơ quan, doanh nghiệp, cơ sở giáo dục";
        PtDeadlineCapTinh = "pt_deadline_cap_tinh", "Hạn phân loại phong trào cấp huyện (đến 30/06/2025)";
        PtBands = "pt_bands", "Thang điểm phân loại phong trào (% điểm tối đa)";
        ReportTransferHours = "report_transfer_hours", "Thời hạn Công an xã chuyển tố giác, tin báo (giờ)";
        ReportTransferHoursRemote = "report_transfer_hours_remote", "Thời hạn chuyển tố giác, tin báo ở vùng sâu, vùng xa, hải đảo (giờ)";
        ReportResolveDays = "report_resolve_days", "Thời hạn giải quyết tố giác, tin báo (ngày)";
        ReportExtensionMonths = "report_extension_months", "Thời hạn giải quyết kéo dài tối đa (tháng)";
        ReportProcuracyMonths = "report_procuracy_months", "Viện kiểm sát gia hạn một lần tối đa (tháng)";
        ReportResumeDays = "report_resume_days", "Thời hạn giải quyết sau khi phục hồi (ngày)";
        ForceAgeMin = "force_age_min", "Tuổi tối thiểu của thành viên Tổ bảo vệ ANTT";
        ForceAgeMax = "force_age_max", "Tuổi tối đa của thành viên Tổ bảo vệ ANTT (trên tuổi này cần quyết định của Chủ tịch UBND xã)";
        ForceResidenceMonths = "force_residence_months", "Thời gian cư trú tối thiểu của thành viên Tổ bảo vệ ANTT (tháng)";
        ForceEducation = "force_education", "Trình độ học vấn tối thiểu của thành viên Tổ bảo vệ ANTT";
        ForceEducationSpecial = "force_education_special", "Trình độ học vấn tối thiểu ở vùng biên giới, hải đảo, miền núi, đặc biệt khó khăn, đồng bào dân tộc thiểu số";
        ForceProposalDays = "force_proposal_days", "Công an xã đề nghị thành lập tổ, công nhận thành viên sau biên bản lựa chọn (ngày)";
        ForceDecisionDays = "force_decision_days", "Chủ tịch UBND xã ra quyết định sau khi nhận đề nghị (ngày)";
        ForceDissolveWorkingDays = "force_dissolve_working_days", "Thời hạn quyết định giải thể Tổ bảo vệ ANTT (ngày làm việc)";
        ForceTerminateWorkingDays = "force_terminate_working_days", "Thời hạn quyết định cho thôi tham gia (ngày làm việc)";
        ForceDeputiesMax = "force_deputies_max", "Số tổ phó tối đa của một Tổ bảo vệ ANTT";
        ForceQuota = "force_quota", "Định mức Tổ bảo vệ ANTT theo số hộ hoặc nhân khẩu của khu dân cư";
        ForceRatingWindow = "force_rating_window", "Kỳ đánh giá, xếp loại Tổ bảo vệ ANTT và thành viên";
        ForceMinMonths = "force_min_months", "Thời gian tham gia, thành lập tối thiểu để xếp loại Tổ bảo vệ ANTT (tháng)";
        ForceExcellentCapPct = "force_excellent_cap_pct", "Số «Hoàn thành xuất sắc» tối đa so với số «Hoàn thành tốt» trong xã (%)";
        ForceMedalYearsMale = "force_medal_years_male", "Thời gian tham gia để xét Kỷ niệm chương — nam (năm)";
        ForceMedalYearsFemale = "force_medal_years_female", "Thời gian tham gia để xét Kỷ niệm chương — nữ (năm)";
        ForceMedalSpecialFactor = "force_medal_special_factor", "Hệ số thời gian tham gia ở vùng đặc biệt khó khăn, biên giới, hải đảo";
        ForceAllowanceToTruong = "force_allowance_to_truong", "Mức hỗ trợ hằng tháng — Tổ trưởng (đồng)";
        ForceAllowanceToPho = "force_allowance_to_pho", "Mức hỗ trợ hằng tháng — Tổ phó (đồng)";
        ForceAllowanceToVien = "force_allowance_to_vien", "Mức hỗ trợ hằng tháng — Tổ viên (đồng)";
        NgayHoiDay = "ngay_hoi_day", "Ngày hội toàn dân bảo vệ an ninh Tổ quốc";
        NgayHoiWindow = "ngay_hoi_window", "Khoảng thời gian tổ chức Ngày hội ở khu dân cư, xã (do tỉnh quy định)";
        KncRequestDeadline = "knc_request_deadline", "Hạn gửi đề nghị cấp, đổi hiện vật khen thưởng, Kỷ niệm chương";
        KncAwardDeadline = "knc_award_deadline", "Hạn trả kết quả, trao Kỷ niệm chương";
        KhenThuongTinh = "khen_thuong_tinh", "Kỳ xét khen thưởng phong trào tại Công an cấp tỉnh";
        KncLeaderYears = "knc_leader_years", "Số năm giữ chức vụ để xét Kỷ niệm chương — người đứng đầu";
        KncLeaderPrior = "knc_leader_prior", "Số lần đã được khen thưởng về công tác bảo vệ ANTQ để xét Kỷ niệm chương — người đứng đầu";
        CameraBrokenDays = "camera_broken_days", "Số ngày camera hỏng chưa sửa thì đưa vào danh sách cần sửa chữa";
    }
);

/// How a rule's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// A whole number (months).
    Count,
    /// A number of hours.
    Hours,
    /// A number of days.
    Days,
    /// A percentage 0–100.
    Percent,
    /// A day of the year, `dd/mm`.
    DayMonth,
    /// A yearly period `dd/mm-dd/mm`; when the start is later in the year than the end, the
    /// period starts in the previous year (16/11-15/11 of 2025 is 16/11/2024 → 15/11/2025).
    Period,
    /// Score bands `code:min;code:min…`, highest first, the last with minimum 0.
    Bands(&'static [&'static str]),
    /// One code among a list.
    Choice(&'static [&'static str]),
    /// An amount of money in đồng.
    Money,
    /// Team quota bands by households or population (see [`crate::force::Quota`]).
    Quota,
}

/// Codes allowed in the model rating bands (every rating except "chưa đánh giá").
pub const MODEL_BAND_CODES: &[&str] = &["tot", "kha", "trung_binh", "can_thanh_loai"];
/// Codes allowed in the movement classification bands (QĐ 510).
pub const MOVEMENT_BAND_CODES: &[&str] = &["xuat_sac", "kha", "trung_binh", "yeu"];

impl RuleCode {
    /// How the value is written.
    pub fn kind(self) -> RuleKind {
        use RuleCode::*;
        match self {
            ModelMinMonths | ReportExtensionMonths | ReportProcuracyMonths => RuleKind::Count,
            ForceAgeMin | ForceAgeMax | ForceResidenceMonths | ForceDeputiesMax | ForceMinMonths => RuleKind::Count,
            ForceMedalYearsMale | ForceMedalYearsFemale | ForceMedalSpecialFactor => RuleKind::Count,
            KncLeaderYears | KncLeaderPrior => RuleKind::Count,
            ReportTransferHours | ReportTransferHoursRemote => RuleKind::Hours,
            ReportResolveDays | ReportResumeDays | CameraBrokenDays => RuleKind::Days,
            ForceProposalDays | ForceDecisionDays | ForceDissolveWorkingDays | ForceTerminateWorkingDays => {
                RuleKind::Days
            }
            AnttHouseholdsPct | AnttCommuneRegisteredPct | AnttCommuneRecognisedPct | ForceExcellentCapPct => {
                RuleKind::Percent
            }
            PtDeadlineKhuDanCu | PtDeadlineCoSo | PtDeadlineCapTinh => RuleKind::DayMonth,
            NgayHoiDay | KncRequestDeadline | KncAwardDeadline => RuleKind::DayMonth,
            ModelRatingWindow | AnttRegistration | AnttWindowKhuDanCu | AnttWindowOther | ForceRatingWindow => {
                RuleKind::Period
            }
            NgayHoiWindow | KhenThuongTinh => RuleKind::Period,
            ModelRatingBands => RuleKind::Bands(MODEL_BAND_CODES),
            PtBands => RuleKind::Bands(MOVEMENT_BAND_CODES),
            ForceEducation | ForceEducationSpecial => RuleKind::Choice(crate::force::EDUCATION_CODES),
            ForceAllowanceToTruong | ForceAllowanceToPho | ForceAllowanceToVien => RuleKind::Money,
            ForceQuota => RuleKind::Quota,
        }
    }

    /// How to write a value, for forms and messages.
    pub fn format_hint(self) -> &'static str {
        match self.kind() {
            RuleKind::Count => "số nguyên, ví dụ 6",
            RuleKind::Hours => "số giờ từ 1 đến 720, ví dụ 24",
            RuleKind::Days => "số ngày từ 1 đến 365, ví dụ 20",
            RuleKind::Percent => "số từ 0 đến 100, ví dụ 70",
            RuleKind::DayMonth => "ngày/tháng, ví dụ 20/11",
            RuleKind::Period => "từ ngày/tháng - đến ngày/tháng, ví dụ 16/11-15/11",
            RuleKind::Bands(_) => "mã:điểm tối thiểu; …, ví dụ tot:80;kha:65;trung_binh:50;can_thanh_loai:0",
            RuleKind::Choice(_) => "một mã trong danh sách, ví dụ thcs",
            RuleKind::Money => "số tiền (đồng), ví dụ 1.800.000",
            RuleKind::Quota => {
                "ho (theo số hộ) hoặc nk (theo nhân khẩu): từ mức=số tổ x số người; …, ví dụ ho:0=1x3;350=1x4"
            }
        }
    }
}

/// A parsed rule value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleValue {
    /// A count or a percentage.
    Number(i64),
    /// `(day, month)`.
    DayMonth(u32, u32),
    /// `((day, month), (day, month))`.
    Period((u32, u32), (u32, u32)),
    /// `(code, minimum %)`, highest first.
    Bands(Vec<(String, i64)>),
    /// A code of a choice rule.
    Code(String),
    /// Team quota bands.
    Quota(crate::force::Quota),
}

fn day_month(s: &str) -> Option<(u32, u32)> {
    let (d, m) = s.trim().split_once('/')?;
    let (d, m): (u32, u32) = (d.trim().parse().ok()?, m.trim().parse().ok()?);
    // 2024 is a leap year, so 29/02 is accepted.
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (d, m))
}

/// The date `(day, month)` in `year`; 29/02 falls back to 28/02 in common years.
pub fn date_in(year: i32, (d, m): (u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, m, d).or_else(|| NaiveDate::from_ymd_opt(year, m, d - 1)).unwrap_or(NaiveDate::MIN)
}

impl RuleValue {
    /// Parses `raw` as a value of `code`, with a Vietnamese message on failure.
    pub fn parse(code: RuleCode, raw: &str) -> Result<RuleValue, String> {
        let raw = raw.trim();
        let bad = || format!("Giá trị «{raw}» không hợp lệ cho «{}»: cần {}.", code.label(), code.format_hint());
        match code.kind() {
            RuleKind::Count => match raw.parse::<i64>() {
                Ok(n) if (0..=600).contains(&n) => Ok(RuleValue::Number(n)),
                _ => Err(bad()),
            },
            RuleKind::Hours | RuleKind::Days => {
                let max = if code.kind() == RuleKind::Hours { 720 } else { 365 };
                match raw.parse::<i64>() {
                    Ok(n) if (1..=max).contains(&n) => Ok(RuleValue::Number(n)),
                    _ => Err(bad()),
                }
            }
            RuleKind::Choice(codes) => {
                if codes.contains(&raw) {
                    Ok(RuleValue::Code(raw.to_string()))
                } else {
                    Err(format!("Mã «{raw}» không hợp lệ cho «{}». Dùng: {}.", code.label(), codes.join(", ")))
                }
            }
            RuleKind::Money => {
                let digits: String = raw.chars().filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}')).collect();
                match digits.trim_end_matches("đồng").trim_end_matches('đ').parse::<i64>() {
                    Ok(n) if (0..=1_000_000_000).contains(&n) => Ok(RuleValue::Number(n)),
                    _ => Err(bad()),
                }
            }
            RuleKind::Quota => {
                crate::force::Quota::parse(raw).map(RuleValue::Quota).map_err(|m| format!("{} {m}", bad()))
            }
            RuleKind::Percent => match raw.trim_end_matches('%').trim().parse::<i64>() {
                Ok(n) if (0..=100).contains(&n) => Ok(RuleValue::Number(n)),
                _ => Err(bad()),
            },
            RuleKind::DayMonth => day_month(raw).map(|(d, m)| RuleValue::DayMonth(d, m)).ok_or_else(bad),
            RuleKind::Period => {
                let (a, b) = raw.split_once('-').ok_or_else(bad)?;
                match (day_month(a), day_month(b)) {
                    (Some(a), Some(b)) if a != b => Ok(RuleValue::Period(a, b)),
                    _ => Err(bad()),
                }
            }
            RuleKind::Bands(codes) => {
                let mut bands = Vec::new();
                for part in raw.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                    let (c, n) = part.split_once(':').ok_or_else(bad)?;
                    let c = c.trim();
                    if !codes.contains(&c) {
                        return Err(format!("Mã «{c}» không thuộc thang điểm. Dùng: {}.", codes.join(", ")));
                    }
                    let n: i64 = n.trim().parse().map_err(|_| bad())?;
                    if !(0..=100).contains(&n) || bands.iter().any(|(b, _): &(String, i64)| b == c) {
                        return Err(bad());
                    }
                    bands.push((c.to_string(), n));
                }
                let descending = bands.windows(2).all(|w| w[0].1 > w[1].1);
                if bands.len() != codes.len() || !descending || bands.last().map(|b| b.1) != Some(0) {
                    return Err(format!(
                        "Thang điểm phải có đủ {} mức, điểm tối thiểu giảm dần và mức cuối bằng 0.",
                        codes.len()
                    ));
                }
                Ok(RuleValue::Bands(bands))
            }
        }
    }

    /// The number of a count or percentage rule.
    pub fn number(&self) -> Option<i64> {
        match self {
            RuleValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The day of a deadline rule in `year`.
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        match self {
            RuleValue::DayMonth(d, m) => Some(date_in(year, (*d, *m))),
            _ => None,
        }
    }

    /// The first and last day of a period rule for the year `year` (the year it ends in).
    pub fn period_of(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            RuleValue::Period(a, b) => {
                let starts_before = (a.1, a.0) > (b.1, b.0);
                Some((date_in(if starts_before { year - 1 } else { year }, *a), date_in(year, *b)))
            }
            _ => None,
        }
    }

    /// The band a score reaches (`score` out of `max`), for band rules.
    pub fn band_for(&self, score: i64, max: i64) -> Option<&str> {
        let RuleValue::Bands(bands) = self else { return None };
        if max <= 0 {
            return None;
        }
        let pct = score * 100 / max;
        bands.iter().find(|(_, min)| pct >= *min).map(|(c, _)| c.as_str())
    }
}

/// A stored rule value.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Rule {
    /// Row id.
    pub id: i64,
    /// Rule code.
    pub code: RuleCode,
    /// Province the value applies to; `None`: national.
    pub province_code: Option<String>,
    /// The value as written.
    pub value: String,
    /// Legal basis (document number and article).
    pub legal_basis: String,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity, if ended.
    pub valid_to: Option<NaiveDate>,
    /// Note (e.g. "not confirmed in a primary text").
    pub note: Option<String>,
}

impl Rule {
    /// The parsed value (values are checked when written, so this only fails on a corrupted row).
    pub fn parsed(&self) -> Option<RuleValue> {
        RuleValue::parse(self.code, &self.value).ok()
    }

    /// Whether the value applies on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|t| day <= t)
    }
}

/// The value that applies to a province on a day: the province's own value if it has one,
/// otherwise the national value.
pub fn effective<'a>(rules: &'a [Rule], code: RuleCode, province: Option<&str>, day: NaiveDate) -> Option<&'a Rule> {
    let valid = |r: &&Rule| r.code == code && r.valid_on(day);
    rules
        .iter()
        .filter(valid)
        .find(|r| r.province_code.is_some() && r.province_code.as_deref() == province)
        .or_else(|| rules.iter().filter(valid).find(|r| r.province_code.is_none()))
}

/// A new value of a rule, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RuleInput {
    /// Rule code.
    pub code: Option<String>,
    /// Province code (empty: national value, administrators only).
    pub province_code: Option<String>,
    /// The value (see each rule's format).
    pub value: Option<String>,
    /// Legal basis (required).
    pub legal_basis: Option<String>,
    /// First day of validity (YYYY-MM-DD or dd/mm/yyyy).
    pub valid_from: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A validated new rule value.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleFields {
    /// Rule code.
    pub code: RuleCode,
    /// Province code, `None` for the national value.
    pub province_code: Option<String>,
    /// Value as written (normalised).
    pub value: String,
    /// Legal basis.
    pub legal_basis: String,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Note.
    pub note: Option<String>,
}

impl RuleInput {
    /// Checks the code, the value against the code's format, the legal basis and the date.
    pub fn validate(&self) -> Validated<RuleFields> {
        let mut e = FieldErrors::new();
        let code = crate::validate::choice(&mut e, "code", "quy định", self.code.as_deref(), RuleCode::ModelMinMonths);
        let raw = required_text(&mut e, "value", "Giá trị", self.value.as_deref().unwrap_or(""), 200);
        if !e.0.contains_key("code")
            && !raw.is_empty()
            && let Err(m) = RuleValue::parse(code, &raw)
        {
            e.add("value", m);
        }
        let legal_basis =
            required_text(&mut e, "legal_basis", "Căn cứ pháp lý", self.legal_basis.as_deref().unwrap_or(""), 300);
        let valid_from = required_date(&mut e, "valid_from", "Ngày bắt đầu áp dụng", self.valid_from.as_deref());
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 1000);
        let province_code = self.province_code.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(Into::into);
        match valid_from {
            Some(valid_from) if e.is_empty() => {
                Ok(RuleFields { code, province_code, value: raw, legal_basis, valid_from, note })
            }
            _ => Err(e),
        }
    }
}

/// Parses a required date field.
pub fn required_date(e: &mut FieldErrors, field: &str, label: &str, raw: Option<&str>) -> Option<NaiveDate> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.add(field, format!("Chưa nhập {}.", label.to_lowercase()));
            None
        }
        Some(s) => match parse_date(s) {
            Some(d) if (1945..=2100).contains(&d.year()) => Some(d),
            _ => {
                e.add(field, format!("{label} «{s}» không đúng định dạng ngày (dd/mm/yyyy)."));
                None
            }
        },
    }
}

/// Whole months from `since` to `until` (0 when `until` is earlier).
pub fn months_between(since: NaiveDate, until: NaiveDate) -> i64 {
    if until < since {
        return 0;
    }
    let mut m = (until.year() - since.year()) as i64 * 12 + until.month() as i64 - since.month() as i64;
    if until.day() < since.day() {
        m -= 1;
    }
    m.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_cross_the_year() {
        let v = RuleValue::parse(RuleCode::AnttWindowOther, "16/11-15/11").unwrap();
        assert_eq!(v.period_of(2025), Some((d(2024, 11, 16), d(2025, 11, 15))));
        let v = RuleValue::parse(RuleCode::AnttWindowKhuDanCu, "01/11 - 31/10").unwrap();
        assert_eq!(v.period_of(2026), Some((d(2025, 11, 1), d(2026, 10, 31))));
        let q1 = RuleValue::parse(RuleCode::AnttRegistration, "01/01-31/03").unwrap();
        assert_eq!(q1.period_of(2026), Some((d(2026, 1, 1), d(2026, 3, 31))));
        assert!(RuleValue::parse(RuleCode::AnttRegistration, "31/02-01/03").is_err());
        assert_eq!(date_in(2025, (29, 2)), d(2025, 2, 28));
        assert_eq!(date_in(2024, (29, 2)), d(2024, 2, 29));
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert_eq!(RuleValue::parse(RuleCode::ModelMinMonths, "6"), Ok(RuleValue::Number(6)));
        assert!(RuleValue::parse(RuleCode::ModelMinMonths, "sáu").is_err());
        assert_eq!(RuleValue::parse(RuleCode::AnttCommuneRecognisedPct, "70%"), Ok(RuleValue::Number(70)));
        assert!(RuleValue::parse(RuleCode::AnttCommuneRecognisedPct, "170").is_err());
        assert_eq!(
            RuleValue::parse(RuleCode::PtDeadlineKhuDanCu, "20/11").unwrap().date_in(2026),
            Some(d(2026, 11, 20))
        );
        let bands =
            RuleValue::parse(RuleCode::ModelRatingBands, "tot:80;kha:65;trung_binh:50;can_thanh_loai:0").unwrap();
        assert_eq!(bands.band_for(17, 20), Some("tot"));
        assert_eq!(bands.band_for(13, 20), Some("kha"));
        assert_eq!(bands.band_for(0, 20), Some("can_thanh_loai"));
        let e = RuleValue::parse(RuleCode::ModelRatingBands, "tot:80;kha:85;trung_binh:50;can_thanh_loai:0");
        assert!(e.unwrap_err().contains("giảm dần"));
        assert!(RuleValue::parse(RuleCode::PtBands, "tot:80;kha:65;trung_binh:50;yeu:0").is_err());
    }

    #[test]
    fn province_value_wins_while_valid() {
        let rule = |id, province: Option<&str>, value: &str, from, to| Rule {
            id,
            code: RuleCode::ModelMinMonths,
            province_code: province.map(Into::into),
            value: value.into(),
            legal_basis: "x".into(),
            valid_from: from,
            valid_to: to,
            note: None,
        };
        let rules = vec![
            rule(1, None, "6", d(2022, 1, 1), None),
            rule(2, Some("56"), "9", d(2025, 1, 1), Some(d(2025, 12, 31))),
        ];
        assert_eq!(effective(&rules, RuleCode::ModelMinMonths, Some("56"), d(2025, 6, 1)).unwrap().value, "9");
        assert_eq!(effective(&rules, RuleCode::ModelMinMonths, Some("56"), d(2026, 6, 1)).unwrap().value, "6");
        assert_eq!(effective(&rules, RuleCode::ModelMinMonths, Some("01"), d(2025, 6, 1)).unwrap().value, "6");
        assert!(effective(&rules, RuleCode::ModelMinMonths, None, d(2021, 6, 1)).is_none());
    }

    #[test]
    fn months_between_counts_whole_months() {
        assert_eq!(months_between(d(2025, 1, 31), d(2025, 7, 30)), 5);
        assert_eq!(months_between(d(2025, 1, 31), d(2025, 7, 31)), 6);
        assert_eq!(months_between(d(2024, 2, 29), d(2025, 2, 28)), 11);
        assert_eq!(months_between(d(2026, 1, 1), d(2025, 1, 1)), 0);
    }

    #[test]
    fn rule_input_names_the_format() {
        let e = RuleInput {
            code: Some("pt_deadline_khu_dan_cu".into()),
            value: Some("32/11".into()),
            legal_basis: Some("QĐ 510".into()),
            valid_from: Some("2026-01-01".into()),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.get("value").unwrap().contains("20/11"), "{e}");
    }
}
