//! The official movement report (báo cáo sơ kết 6 tháng, tổng kết năm): its period, its
//! sections of figures each beside the same period a year earlier, the parts of a document
//! laid out per Nghị định 30/2020/NĐ-CP (Phụ lục I), and numbers written the Vietnamese way.
//!
//! The body is a list of [`Section`]s of [`Line`]s; every renderer (page, PDF, XLSX, JSON)
//! walks that list, so a new module adds a section and no renderer changes.

use chrono::{Datelike, NaiveDate};

use crate::labelled_enum;
use crate::text::group_thousands;
use crate::validate::{FieldErrors, optional_text, required_text};

labelled_enum!(
    /// Which report of the year.
    PeriodKind {
        HalfYear = "6t", "Sơ kết 6 tháng";
        Year = "nam", "Tổng kết năm";
    }
);

labelled_enum!(
    /// What a section's figures are set against: the same period a year earlier, or the
    /// year's target.
    Compare {
        PreviousYear = "cung_ky", "So với cùng kỳ";
        Target = "chi_tieu", "So với chỉ tiêu";
    }
);

labelled_enum!(
    /// Where an official report stands.
    OfficialState {
        Draft = "du_thao", "Dự thảo";
        Issued = "da_ban_hanh", "Đã ban hành";
    }
);

/// The period a report covers: by default 1/1–30/6 or the calendar year, or the province's
/// own dates (many provinces count from 15/12 of the year before).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Period {
    /// Which report.
    pub kind: PeriodKind,
    /// The year reported on.
    pub year: i32,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).or_else(|| NaiveDate::from_ymd_opt(y, m, d - 1)).expect("valid calendar day")
}

impl Period {
    /// Parses `2026` (the year), `2026-nam` or `2026-6t` (the first six months).
    pub fn parse(s: &str) -> Result<Period, String> {
        let s = s.trim();
        let (year, kind) = match s.split_once('-') {
            None => (s, PeriodKind::Year),
            Some((y, k)) => (y, PeriodKind::from_code(k).ok_or_else(|| bad_period(s))?),
        };
        let year: i32 = year.parse().map_err(|_| bad_period(s))?;
        if !(2000..=2100).contains(&year) {
            return Err(bad_period(s));
        }
        let to = match kind {
            PeriodKind::HalfYear => day(year, 6, 30),
            PeriodKind::Year => day(year, 12, 31),
        };
        Ok(Period { kind, year, from: day(year, 1, 1), to })
    }

    /// The same report with the province's own first and last day: at most a year, ending
    /// in the year reported on.
    pub fn with_dates(self, from: NaiveDate, to: NaiveDate) -> Result<Period, String> {
        if from > to || (to - from).num_days() > 366 || to.year() != self.year {
            return Err(format!(
                "Kỳ báo cáo từ {} đến {} không hợp lệ: ngày đầu phải trước ngày cuối, không quá một năm, và ngày cuối thuộc năm {}.",
                dmy(from),
                dmy(to),
                self.year
            ));
        }
        Ok(Period { from, to, ..self })
    }

    /// The stable code (`2026-6t`, `2026-nam`).
    pub fn code(&self) -> String {
        format!("{}-{}", self.year, self.kind.code())
    }

    /// The same period a year earlier (29/2 becomes 28/2).
    pub fn previous(&self) -> Period {
        let back = |d: NaiveDate| day(d.year() - 1, d.month(), d.day());
        Period { kind: self.kind, year: self.year - 1, from: back(self.from), to: back(self.to) }
    }

    /// Whether the dates are the default ones of the kind.
    fn is_default(&self) -> bool {
        Period::parse(&self.code()).is_ok_and(|p| p.from == self.from && p.to == self.to)
    }

    /// "6 tháng đầu năm 2026", "năm 2026", with the dates when they are the province's own.
    pub fn label(&self) -> String {
        let base = match self.kind {
            PeriodKind::HalfYear => format!("6 tháng đầu năm {}", self.year),
            PeriodKind::Year => format!("năm {}", self.year),
        };
        if self.is_default() { base } else { format!("{base} (từ {} đến {})", dmy(self.from), dmy(self.to)) }
    }

    /// The evaluation year whose results the report gives (ratings, "An toàn về ANTT",
    /// classification and exemplars are decided once a year, in November): the year itself
    /// for the yearly report, the year before for the six-month one.
    pub fn evaluation_year(&self) -> i32 {
        match self.kind {
            PeriodKind::Year => self.year,
            PeriodKind::HalfYear => self.year - 1,
        }
    }
}

fn bad_period(s: &str) -> String {
    format!("Kỳ báo cáo «{s}» không hợp lệ: ghi năm (2026), «2026-nam» hoặc «2026-6t» (6 tháng đầu năm).")
}

/// `05/02/2026`.
pub fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The date line of a document (Nghị định 30/2020, Phụ lục I, mục II.6): "Khánh Hòa, ngày 05
/// tháng 02 năm 2026" — a day below 10 and a month below 3 take a leading zero.
pub fn place_date(place: &str, d: NaiveDate) -> String {
    let month = if d.month() < 3 { format!("{:02}", d.month()) } else { d.month().to_string() };
    format!("{place}, ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// What a line counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Amount {
    /// A number of things.
    Count,
    /// Đồng.
    Vnd,
    /// Thousandths of a percent.
    PercentMilli,
}

impl Amount {
    /// A value written the Vietnamese way: `1.534`, `1,5 tỷ đồng`, `87,5%`.
    pub fn text(self, v: i64) -> String {
        match self {
            Amount::Count => group_thousands(v),
            Amount::Vnd => vnd_words(v),
            Amount::PercentMilli => format!("{}%", decimal(v, 1000, 1)),
        }
    }
}

/// `part` of `whole` as an [`Amount::PercentMilli`] (0 when `whole` is 0).
pub fn share(part: i64, whole: i64) -> i64 {
    if whole == 0 { 0 } else { part * 100_000 / whole }
}

/// `v / unit` rounded to `places` decimals, with a decimal comma and trailing zeros kept (`8,0`).
fn decimal(v: i64, unit: i64, places: u32) -> String {
    let scale = 10i128.pow(places);
    let d = unit as i128;
    let q = ((v as i128).abs() * scale + d / 2) / d;
    let sign = if v < 0 && q > 0 { "-" } else { "" };
    let whole = group_thousands((q / scale) as i64);
    if places == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole},{:0w$}", q % scale, w = places as usize) }
}

/// Money in words of magnitude: `1,5 tỷ đồng`, `350 triệu đồng`, `45.000 đồng`.
pub fn vnd_words(v: i64) -> String {
    let trim = |s: String| {
        if s.contains(',') { s.trim_end_matches('0').trim_end_matches(',').to_string() } else { s }
    };
    match v.unsigned_abs() {
        n if n >= 1_000_000_000 => format!("{} tỷ đồng", trim(decimal(v, 1_000_000_000, 2))),
        n if n >= 1_000_000 => format!("{} triệu đồng", trim(decimal(v, 1_000_000, 1))),
        _ => format!("{} đồng", group_thousands(v)),
    }
}

/// The comparison with the same period a year earlier: "tăng 8,0%", "giảm 12", "bằng cùng kỳ".
pub fn change_text(amount: Amount, current: i64, previous: i64) -> String {
    let diff = current - previous;
    if diff == 0 {
        return "bằng cùng kỳ".into();
    }
    let word = if diff > 0 { "tăng" } else { "giảm" };
    match amount {
        Amount::PercentMilli => format!("{word} {} điểm %", decimal(diff.abs(), 1000, 1)),
        _ if previous == 0 => format!("{word} {}", amount.text(diff.abs())),
        _ => format!("{word} {}%", decimal(diff.abs() * 100_000 / previous, 1000, 1)),
    }
}

/// A figure of a section, beside the same period a year earlier.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Line {
    /// Stable code within the section.
    pub code: String,
    /// What it counts.
    pub label: String,
    /// 0 a main figure, 1 a detail of the main figure above it.
    pub level: u8,
    /// Count, money or percent.
    pub amount: Amount,
    /// This period.
    pub current: i64,
    /// The same period a year earlier.
    pub previous: i64,
}

impl Line {
    /// This period's value as text.
    pub fn current_text(&self) -> String {
        self.amount.text(self.current)
    }

    /// The previous value as text.
    pub fn previous_text(&self) -> String {
        self.amount.text(self.previous)
    }

    /// The comparison as text.
    pub fn change(&self) -> String {
        change_text(self.amount, self.current, self.previous)
    }

    /// "1.534 (cùng kỳ 1.420, tăng 8,0%)".
    pub fn with_comparison(&self) -> String {
        format!("{} (cùng kỳ {}, {})", self.current_text(), self.previous_text(), self.change())
    }
}

/// A section of the body: one module's figures, a short text generated from them, the table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Section {
    /// Stable code (`models`, `reports` …).
    pub code: String,
    /// Heading.
    pub heading: String,
    /// The generated paragraph.
    pub text: String,
    /// What the second column is.
    pub compare: Compare,
    /// The figures.
    pub lines: Vec<Line>,
}

impl Section {
    /// The headings of the three value columns: this period, what it is set against, and the
    /// comparison.
    pub fn columns(&self) -> [&'static str; 3] {
        match self.compare {
            Compare::PreviousYear => ["Kỳ báo cáo", "Cùng kỳ năm trước", "So sánh"],
            Compare::Target => ["Thực hiện", "Chỉ tiêu", "Tỷ lệ đạt"],
        }
    }

    /// A line's comparison: "tăng 8,0%" against the year before, "đạt 85,0%" of a target.
    pub fn change(&self, l: &Line) -> String {
        match self.compare {
            Compare::PreviousYear => l.change(),
            Compare::Target if l.previous == 0 => "—".into(),
            Compare::Target => format!("đạt {}%", decimal(l.current * 100_000 / l.previous, 1000, 1)),
        }
    }

    /// The line of a code (sections are built from known codes).
    pub fn line(&self, code: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.code == code)
    }
}

/// The parts of the document an officer writes or checks before issuing (Nghị định
/// 30/2020/NĐ-CP, Điều 8 and Phụ lục I): issuing body, number and symbol, place and date,
/// abstract, recipients and signature; and the free-text parts of the body.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Parts {
    /// Cơ quan, tổ chức chủ quản ("BỘ CÔNG AN"), may be empty.
    pub issuer_parent: String,
    /// Cơ quan ban hành ("CÔNG AN TỈNH KHÁNH HÒA").
    pub issuer: String,
    /// Số và ký hiệu ("125/BC-CAT-PV05").
    pub number: String,
    /// Địa danh ("Khánh Hòa").
    pub place_name: String,
    /// Ngày ban hành; the day of issue when empty.
    pub dated: Option<NaiveDate>,
    /// Trích yếu (the abstract under "BÁO CÁO").
    pub subject: String,
    /// Đánh giá chung: results, strengths.
    pub assessment: String,
    /// Tồn tại, hạn chế và nguyên nhân.
    pub limitations: String,
    /// Phương hướng, nhiệm vụ.
    pub tasks: String,
    /// Nơi nhận, one per line.
    pub recipients: String,
    /// Quyền hạn ký ("KT. GIÁM ĐỐC"), may be empty.
    pub signer_authority: String,
    /// Chức vụ ("PHÓ GIÁM ĐỐC").
    pub signer_title: String,
    /// Họ tên người ký.
    pub signer_name: String,
}

impl Parts {
    /// Checks lengths and the parts a document cannot go without.
    pub fn validate(self) -> Result<Parts, FieldErrors> {
        let mut e = FieldErrors::new();
        let p = Parts {
            issuer_parent: optional_text(&mut e, "issuer_parent", "Cơ quan chủ quản", Some(&self.issuer_parent), 200)
                .unwrap_or_default(),
            issuer: required_text(&mut e, "issuer", "Cơ quan ban hành", &self.issuer, 200),
            number: optional_text(&mut e, "number", "Số, ký hiệu", Some(&self.number), 60).unwrap_or_default(),
            place_name: required_text(&mut e, "place_name", "Địa danh", &self.place_name, 100),
            dated: self.dated,
            subject: required_text(&mut e, "subject", "Trích yếu", &self.subject, 500),
            assessment: long_text(&mut e, "assessment", "Đánh giá chung", &self.assessment),
            limitations: long_text(&mut e, "limitations", "Tồn tại, hạn chế", &self.limitations),
            tasks: long_text(&mut e, "tasks", "Phương hướng, nhiệm vụ", &self.tasks),
            recipients: long_text(&mut e, "recipients", "Nơi nhận", &self.recipients),
            signer_authority: optional_text(
                &mut e,
                "signer_authority",
                "Quyền hạn ký",
                Some(&self.signer_authority),
                100,
            )
            .unwrap_or_default(),
            signer_title: required_text(&mut e, "signer_title", "Chức vụ người ký", &self.signer_title, 100),
            signer_name: optional_text(&mut e, "signer_name", "Họ tên người ký", Some(&self.signer_name), 100)
                .unwrap_or_default(),
        };
        if e.is_empty() { Ok(p) } else { Err(e) }
    }

    /// The recipients, one per line, blank lines left out.
    pub fn recipient_list(&self) -> Vec<String> {
        self.recipients.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
    }
}

fn long_text(e: &mut FieldErrors, field: &str, label: &str, v: &str) -> String {
    let v = v.replace("\r\n", "\n");
    if v.chars().count() > 20_000 {
        e.add(field, format!("{label} dài quá 20.000 ký tự."));
    }
    v.trim().to_string()
}

/// A whole report: what it is about, its parts and its body.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Document {
    /// Code of the unit reported on (`""` for the country).
    pub unit_code: String,
    /// Its name ("tỉnh Khánh Hòa", "toàn quốc").
    pub unit_name: String,
    /// The period.
    pub period: Period,
    /// The period a year earlier that every figure is compared with.
    pub previous: Period,
    /// Header, free text and signature.
    pub parts: Parts,
    /// The day the document carries.
    pub dated: NaiveDate,
    /// Draft or issued.
    pub state: OfficialState,
    /// The figures, module by module.
    pub sections: Vec<Section>,
}

impl Document {
    /// The title line under "BÁO CÁO" when no abstract was written.
    pub fn default_subject(period: &Period) -> String {
        let what = match period.kind {
            PeriodKind::HalfYear => "Sơ kết",
            PeriodKind::Year => "Tổng kết",
        };
        format!("{what} phong trào Toàn dân bảo vệ an ninh Tổ quốc {}", period.label())
    }

    /// The date line.
    pub fn place_date(&self) -> String {
        place_date(&self.parts.place_name, self.dated)
    }
}

/// A stored official report: a draft (figures read live) or an issued, frozen one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct OfficialReport {
    /// Id.
    pub id: i64,
    /// Province (none for the country's report).
    pub province_code: Option<String>,
    /// Commune (a commune's report).
    pub commune_code: Option<String>,
    /// Code of the unit reported on (`""` for the country).
    pub unit_code: String,
    /// The period.
    pub period: Period,
    /// Draft or issued.
    pub state: OfficialState,
    /// Header, free text and signature.
    pub parts: Parts,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Who issued it.
    pub issued_by: Option<String>,
    /// When.
    pub issued_at: Option<chrono::DateTime<chrono::Utc>>,
    /// SHA-256 of the issued PDF (hex).
    pub pdf_sha256: Option<String>,
    /// SHA-256 of the issued XLSX (hex).
    pub xlsx_sha256: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn periods() {
        let h = Period::parse("2026-6t").unwrap();
        assert_eq!((h.from, h.to), (d(2026, 1, 1), d(2026, 6, 30)));
        assert_eq!(h.label(), "6 tháng đầu năm 2026");
        assert_eq!(h.previous().to, d(2025, 6, 30));
        assert_eq!(h.evaluation_year(), 2025);
        let y = Period::parse("2024").unwrap();
        assert_eq!((y.kind, y.to, y.code()), (PeriodKind::Year, d(2024, 12, 31), "2024-nam".to_string()));
        assert!(Period::parse("2026-7t").is_err() && Period::parse("abc").is_err() && Period::parse("1999").is_err());
        let own = Period::parse("2026-6t").unwrap().with_dates(d(2025, 12, 15), d(2026, 6, 14)).unwrap();
        assert_eq!(own.label(), "6 tháng đầu năm 2026 (từ 15/12/2025 đến 14/06/2026)");
        assert_eq!(own.previous().from, d(2024, 12, 15));
        assert!(Period::parse("2026").unwrap().with_dates(d(2026, 6, 1), d(2026, 1, 1)).is_err());
        let leap = Period::parse("2025").unwrap().with_dates(d(2024, 3, 1), d(2025, 2, 28)).unwrap();
        assert_eq!(leap.previous().to, d(2024, 2, 28));
    }

    #[test]
    fn dates_per_decree() {
        assert_eq!(place_date("Khánh Hòa", d(2026, 2, 5)), "Khánh Hòa, ngày 05 tháng 02 năm 2026");
        assert_eq!(place_date("Hà Nội", d(2026, 12, 15)), "Hà Nội, ngày 15 tháng 12 năm 2026");
    }

    #[test]
    fn numbers_the_vietnamese_way() {
        assert_eq!(Amount::Count.text(1534), "1.534");
        assert_eq!(vnd_words(1_500_000_000), "1,5 tỷ đồng");
        assert_eq!(vnd_words(2_000_000_000), "2 tỷ đồng");
        assert_eq!(vnd_words(1_234_567_890_000), "1.234,57 tỷ đồng");
        assert_eq!(vnd_words(350_000_000), "350 triệu đồng");
        assert_eq!(vnd_words(45_000), "45.000 đồng");
        assert_eq!(Amount::PercentMilli.text(87_500), "87,5%");
        assert_eq!(change_text(Amount::Count, 1534, 1420), "tăng 8,0%");
        assert_eq!(change_text(Amount::Count, 90, 100), "giảm 10,0%");
        assert_eq!(change_text(Amount::Count, 5, 0), "tăng 5");
        assert_eq!(change_text(Amount::Count, 7, 7), "bằng cùng kỳ");
        assert_eq!(change_text(Amount::PercentMilli, 80_000, 75_500), "tăng 4,5 điểm %");
        let line =
            Line { code: "x".into(), label: "x".into(), level: 0, amount: Amount::Count, current: 17, previous: 20 };
        let mut s = Section {
            code: "t".into(),
            heading: "t".into(),
            text: String::new(),
            compare: Compare::Target,
            lines: vec![],
        };
        assert_eq!((s.change(&line), s.columns()[1]), ("đạt 85,0%".to_string(), "Chỉ tiêu"));
        s.compare = Compare::PreviousYear;
        assert_eq!(s.change(&line), "giảm 15,0%");
    }

    #[test]
    fn parts_are_checked() {
        let e = Parts::default().validate().unwrap_err();
        for f in ["issuer", "place_name", "subject", "signer_title"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let p = Parts {
            issuer: "CÔNG AN TỈNH KHÁNH HÒA".into(),
            place_name: "Khánh Hòa".into(),
            subject: "Sơ kết".into(),
            signer_title: "GIÁM ĐỐC".into(),
            recipients: "- Bộ Công an;\r\n\n- Lưu: VT.".into(),
            ..Parts::default()
        };
        assert_eq!(p.validate().unwrap().recipient_list(), vec!["- Bộ Công an;", "- Lưu: VT."]);
    }
}
