//! Yearly targets (chỉ tiêu, C12): indicators defined as data — a formula over named sources of
//! what antq already records, never a typed number — and the progress of a target against the
//! share of the year elapsed.
//!
//! A formula is one term, or a term divided by another for a percentage:
//! `communes_with_model(type=camera_giam_sat) / communes()`. A term names a [`Source`] and its
//! parameters (`type=` a model type code, `rating=` rating codes joined by `|`, `kind=` an
//! activity kind code), so a province adds an indicator without code.

use std::collections::BTreeMap;

use crate::labelled_enum;
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

labelled_enum!(
    /// What a term counts, in a unit (province or commune) and a year.
    Source {
        Communes = "communes", "Số xã, phường, đặc khu";
        CommunesWithModel = "communes_with_model", "Số xã có mô hình đang hoạt động";
        ModelsNew = "models_new", "Số mô hình mới trong năm";
        ModelsActive = "models_active", "Số mô hình đang hoạt động";
        ModelsRated = "models_rated", "Số mô hình được xếp loại trong năm";
        Areas = "areas", "Số khu dân cư";
        AreasRecognised = "areas_recognised", "Số khu dân cư được công nhận «An toàn về ANTT»";
        AreasCoveredByTeam = "areas_covered_by_team", "Số khu dân cư có Tổ bảo vệ ANTT";
        ReportsHandled = "reports_handled", "Số tố giác, tin báo đã giải quyết trong năm";
        ReportsOnTime = "reports_on_time", "Số tố giác, tin báo giải quyết đúng hạn";
        CamerasInstalled = "cameras_installed", "Số camera lắp đặt trong năm";
        CommunesWithCamera = "communes_with_camera", "Số xã có camera hoạt động";
        Sessions = "sessions", "Số hoạt động phong trào trong năm";
        Participants = "participants", "Lượt người tham dự hoạt động trong năm";
    }
);

impl Source {
    /// The parameters a term of this source accepts.
    pub fn params(self) -> &'static [&'static str] {
        use Source::*;
        match self {
            CommunesWithModel | ModelsNew | ModelsActive => &["type"],
            ModelsRated => &["type", "rating"],
            Sessions | Participants => &["kind"],
            _ => &[],
        }
    }
}

labelled_enum!(
    /// How an indicator's value is read.
    IndicatorUnit {
        Count = "count", "Số lượng";
        Percent = "percent", "Tỷ lệ (%)";
    }
);

/// One term: a source and its parameters.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Term {
    /// What it counts.
    pub source: Source,
    /// Parameters by name (`type`, `rating`, `kind`).
    pub params: BTreeMap<String, String>,
}

/// A parsed formula: a count, or a share of one count in another.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Formula {
    /// The term counted.
    pub numerator: Term,
    /// What it is a share of (percentages).
    pub denominator: Option<Term>,
}

fn parse_term(s: &str) -> Result<Term, String> {
    let s = s.trim();
    let (name, rest) = s.split_once('(').ok_or_else(|| format!("«{s}»: thiếu dấu ngoặc, ví dụ «communes()»."))?;
    let inner = rest.strip_suffix(')').ok_or_else(|| format!("«{s}»: thiếu dấu «)» ở cuối."))?;
    let source = Source::from_code(name.trim()).ok_or_else(|| {
        let known: Vec<&str> = Source::ALL.iter().map(|s| s.code()).collect();
        format!("Không có nguồn số liệu «{}». Chọn một trong: {}.", name.trim(), known.join(", "))
    })?;
    let mut params = BTreeMap::new();
    for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| format!("«{part}»: ghi tham số dạng «tên=giá trị»."))?;
        let (k, v) = (k.trim(), v.trim());
        if !source.params().contains(&k) {
            return Err(if source.params().is_empty() {
                format!("Nguồn «{}» không có tham số «{k}».", source.code())
            } else {
                format!("Nguồn «{}» chỉ nhận tham số: {}.", source.code(), source.params().join(", "))
            });
        }
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '|') {
            return Err(format!("Giá trị «{v}» của «{k}» phải là mã (chữ không dấu, số, «_», «|»)."));
        }
        if params.insert(k.to_string(), v.to_string()).is_some() {
            return Err(format!("Tham số «{k}» ghi hai lần."));
        }
    }
    Ok(Term { source, params })
}

impl Formula {
    /// Parses `term` or `term / term`, with a Vietnamese message on failure.
    pub fn parse(s: &str) -> Result<Formula, String> {
        let mut parts = s.split('/');
        let numerator = parse_term(parts.next().unwrap_or(""))?;
        let denominator = parts.next().map(parse_term).transpose()?;
        if parts.next().is_some() {
            return Err("Công thức chỉ có một phép chia: «nguồn(...) / nguồn(...)».".into());
        }
        Ok(Formula { numerator, denominator })
    }

    /// Checks the formula fits the unit: a percentage divides, a count does not.
    pub fn check_unit(&self, unit: IndicatorUnit) -> Result<(), String> {
        match (unit, &self.denominator) {
            (IndicatorUnit::Percent, None) => Err("Chỉ tiêu tỷ lệ cần công thức có phép chia.".into()),
            (IndicatorUnit::Count, Some(_)) => Err("Chỉ tiêu số lượng không có phép chia.".into()),
            _ => Ok(()),
        }
    }

    /// The terms to count, numerator first.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        std::iter::once(&self.numerator).chain(self.denominator.as_ref())
    }

    /// The value in thousandths (a count of 12 is 12 000, a share of 75,5 % is 75 500), from
    /// each term's count; a share of nothing is 0.
    pub fn value_milli(&self, count: impl Fn(&Term) -> i64) -> i64 {
        let n = count(&self.numerator);
        match &self.denominator {
            None => n * 1000,
            Some(d) => (n * 100_000).checked_div(count(d)).unwrap_or(0),
        }
    }
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p: Vec<String> = self.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        write!(f, "{}({})", self.source.code(), p.join(", "))
    }
}

impl std::fmt::Display for Formula {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.denominator {
            None => write!(f, "{}", self.numerator),
            Some(d) => write!(f, "{} / {}", self.numerator, d),
        }
    }
}

/// Where a target stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Progress {
    /// Value now, thousandths.
    pub value_milli: i64,
    /// Target, thousandths.
    pub target_milli: i64,
    /// Value as a share of the target, thousandths of a per cent (above 100 % when exceeded).
    pub of_target_milli: i64,
    /// The value reached at least the target's share of the year elapsed.
    pub on_track: bool,
}

impl Progress {
    /// The progress of `value` towards `target` when `elapsed_milli` thousandths of the year
    /// have passed: on track when the value has reached that proportion of the target.
    pub fn of(value_milli: i64, target_milli: i64, elapsed_milli: i64) -> Progress {
        let of_target_milli = (value_milli * 100_000).checked_div(target_milli).unwrap_or(100_000);
        let due = target_milli * elapsed_milli.clamp(0, 1000) / 1000;
        Progress { value_milli, target_milli, of_target_milli, on_track: value_milli >= due }
    }
}

/// Whether the communes' targets add up to the province's: `Ok` or the gap (communes minus
/// province) for counts; for percentages, whether no commune target is below the province's.
pub fn split_adds_up(unit: IndicatorUnit, province_milli: i64, communes_milli: &[i64]) -> Result<(), i64> {
    match unit {
        IndicatorUnit::Count => {
            let gap = communes_milli.iter().sum::<i64>() - province_milli;
            if gap >= 0 { Ok(()) } else { Err(gap) }
        }
        IndicatorUnit::Percent => match communes_milli.iter().min() {
            Some(low) if *low < province_milli => Err(low - province_milli),
            _ => Ok(()),
        },
    }
}

/// Parses a target value typed the Vietnamese way, in thousandths: a count is a whole number
/// (`1.200` is twelve hundred), a percentage has up to three decimals after a comma or a point
/// (`75,5`, `75.5`) and is at most 100.
pub fn parse_value(unit: IndicatorUnit, raw: &str) -> Result<i64, String> {
    let s: String = raw.trim().trim_end_matches('%').chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err("Nhập giá trị chỉ tiêu.".into());
    }
    match unit {
        IndicatorUnit::Count => {
            let digits: String = s.chars().filter(|c| *c != '.').collect();
            match digits.parse::<i64>() {
                Ok(n) if n <= 1_000_000_000 && !digits.starts_with('-') => Ok(n * 1000),
                _ => Err(format!("Chỉ tiêu số lượng «{raw}» phải là số nguyên không âm, ví dụ 12 hoặc 1.200.")),
            }
        }
        IndicatorUnit::Percent => {
            let t = s.replace(',', ".");
            let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
            let ok = !whole.is_empty()
                && whole.len() <= 3
                && whole.chars().all(|c| c.is_ascii_digit())
                && frac.len() <= 3
                && frac.chars().all(|c| c.is_ascii_digit());
            let milli = ok.then(|| {
                let w: i64 = whole.parse().unwrap_or(0);
                let f: i64 = format!("{frac:0<3}").parse().unwrap_or(0);
                w * 1000 + f
            });
            match milli {
                Some(m) if m <= 100_000 => Ok(m),
                _ => Err(format!("Chỉ tiêu tỷ lệ «{raw}» phải từ 0 đến 100 (%), ví dụ 75 hoặc 75,5.")),
            }
        }
    }
}

/// A value in thousandths written the Vietnamese way: `1.200`, `75,5`.
pub fn format_milli(unit: IndicatorUnit, milli: i64) -> String {
    let whole = crate::text::group_thousands(milli / 1000);
    let frac = (milli % 1000).abs();
    match unit {
        _ if frac == 0 => whole,
        _ => {
            let f = format!("{frac:03}");
            format!("{whole},{}", f.trim_end_matches('0'))
        }
    }
}

/// An indicator as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Indicator {
    /// Id.
    pub id: i64,
    /// Code, unique nationally or within its province.
    pub code: String,
    /// Province that added it (none: national).
    pub province_code: Option<String>,
    /// Name.
    pub name: String,
    /// Formula, e.g. `areas_recognised() / areas()`.
    pub formula: String,
    /// Count or percentage.
    pub unit: IndicatorUnit,
    /// Where its figures come from, in words.
    pub source: String,
    /// Offered for new targets.
    pub active: bool,
}

impl Indicator {
    /// The parsed formula (stored formulas were checked when saved).
    pub fn parsed(&self) -> Result<Formula, String> {
        Formula::parse(&self.formula)
    }
}

/// Raw input of an indicator.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct IndicatorInput {
    /// Code: lower-case letters without diacritics, digits and `_`.
    pub code: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Formula over the sources, e.g. `communes_with_model(type=camera_giam_sat) / communes()`.
    pub formula: Option<String>,
    /// `count` or `percent`.
    pub unit: Option<String>,
    /// Where its figures come from, in words.
    pub source: Option<String>,
    /// Offered for new targets (default true).
    pub active: Option<bool>,
}

/// An indicator's validated fields.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct IndicatorFields {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The formula, written back in its canonical form.
    pub formula: String,
    /// Unit.
    pub unit: IndicatorUnit,
    /// Source in words.
    pub source: String,
    /// Active.
    pub active: bool,
}

impl IndicatorInput {
    /// Validates the fields; the formula must parse and fit the unit.
    pub fn validate(&self) -> Validated<(IndicatorFields, Formula)> {
        let mut e = FieldErrors::new();
        let code = required_text(&mut e, "code", "Mã chỉ tiêu", self.code.as_deref().unwrap_or(""), 60);
        if !code.is_empty() && !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            e.add("code", "Mã chỉ tiêu chỉ gồm chữ thường không dấu, số và «_».");
        }
        let name = required_text(&mut e, "name", "Tên chỉ tiêu", self.name.as_deref().unwrap_or(""), 300);
        let source = required_text(&mut e, "source", "Nguồn số liệu", self.source.as_deref().unwrap_or(""), 500);
        let unit = choice(&mut e, "unit", "đơn vị tính", self.unit.as_deref(), IndicatorUnit::Count);
        let formula = match Formula::parse(self.formula.as_deref().unwrap_or("")) {
            Ok(f) => Some(f),
            Err(m) => {
                e.add("formula", m);
                None
            }
        };
        if let Some(f) = &formula
            && let Err(m) = f.check_unit(unit)
        {
            e.add("formula", m);
        }
        match formula {
            Some(f) if e.is_empty() => Ok((
                IndicatorFields {
                    code,
                    name,
                    formula: f.to_string(),
                    unit,
                    source,
                    active: self.active.unwrap_or(true),
                },
                f,
            )),
            _ => Err(e),
        }
    }
}

/// A target as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Target {
    /// Id.
    pub id: i64,
    /// Year.
    pub year: i32,
    /// Province code.
    pub province_code: String,
    /// Commune code (none: the province's own target).
    pub commune_code: Option<String>,
    /// Indicator id.
    pub indicator_id: i64,
    /// Indicator code.
    pub indicator_code: String,
    /// Indicator name.
    pub indicator_name: String,
    /// Indicator unit.
    pub unit: IndicatorUnit,
    /// Target value in thousandths (12 models: 12 000; 75,5 %: 75 500).
    pub target_milli: i64,
    /// Note.
    pub note: Option<String>,
    /// Who set it.
    pub created_by: String,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Raw input of a target.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TargetInput {
    /// Year.
    pub year: Option<i32>,
    /// Province code (2 digits) for the province's target, commune code (5) for a commune's.
    pub unit_code: Option<String>,
    /// Indicator id.
    pub indicator_id: Option<i64>,
    /// Target value as written: `12`, `1.200`, `75,5` (a number in JSON is accepted too).
    #[serde(default, deserialize_with = "crate::validate::number_or_text")]
    #[schema(value_type = Option<String>)]
    pub value: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A target's validated value and note, once its indicator is known.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TargetFields {
    /// Year.
    pub year: i32,
    /// Value in thousandths.
    pub target_milli: i64,
    /// Note.
    pub note: Option<String>,
}

impl TargetInput {
    /// Validates year, value (in the indicator's unit) and note; `today` bounds the year.
    pub fn validate(&self, unit: IndicatorUnit, today: chrono::NaiveDate) -> Validated<TargetFields> {
        use chrono::Datelike;
        let mut e = FieldErrors::new();
        let year = match self.year {
            Some(y) if (2015..=today.year() + 5).contains(&y) => y,
            Some(y) => {
                e.add("year", format!("Năm {y} không hợp lệ (từ 2015 đến {}).", today.year() + 5));
                0
            }
            None => {
                e.add("year", "Chọn năm của chỉ tiêu.");
                0
            }
        };
        let target_milli = parse_value(unit, self.value.as_deref().unwrap_or("")).unwrap_or_else(|m| {
            e.add("value", m);
            0
        });
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        e.into_result(TargetFields { year, target_milli, note })
    }
}

/// The share of `year` elapsed on `today`, in thousandths (0 before it, 1000 after it).
pub fn year_elapsed_milli(year: i32, today: chrono::NaiveDate) -> i64 {
    use chrono::NaiveDate;
    let start = NaiveDate::from_ymd_opt(year, 1, 1);
    let end = NaiveDate::from_ymd_opt(year + 1, 1, 1);
    match (start, end) {
        (Some(s), Some(e)) if today >= s && today < e => {
            let days = (e - s).num_days();
            ((today - s).num_days() + 1) * 1000 / days
        }
        (Some(s), _) if today < s => 0,
        _ => 1000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_parse_and_evaluate() {
        let f = Formula::parse("communes_with_model(type=camera_giam_sat) / communes()").unwrap();
        assert_eq!(f.numerator.params.get("type").map(String::as_str), Some("camera_giam_sat"));
        assert!(f.check_unit(IndicatorUnit::Percent).is_ok() && f.check_unit(IndicatorUnit::Count).is_err());
        let counts = |t: &Term| if t.source == Source::Communes { 40 } else { 30 };
        assert_eq!(f.value_milli(counts), 75_000, "30 of 40 communes: 75 %");
        assert_eq!(f.to_string(), "communes_with_model(type=camera_giam_sat) / communes()");
        assert_eq!(Formula::parse(&f.to_string()).unwrap(), f, "round trip");
        let rated = Formula::parse("models_rated(rating=tot|kha) / models_rated()").unwrap();
        assert_eq!(rated.terms().count(), 2);
        assert_eq!(Formula::parse("sessions(kind=tuyen_truyen)").unwrap().value_milli(|_| 12), 12_000);
        assert_eq!(Formula::parse("areas_recognised() / areas()").unwrap().value_milli(|_| 0), 0, "nothing of nothing");
    }

    #[test]
    fn bad_formulas_say_why() {
        assert!(Formula::parse("communes").unwrap_err().contains("ngoặc"));
        assert!(Formula::parse("villages()").unwrap_err().contains("Không có nguồn"));
        assert!(Formula::parse("communes(type=x)").unwrap_err().contains("không có tham số"));
        assert!(Formula::parse("sessions(type=x)").unwrap_err().contains("chỉ nhận"));
        assert!(Formula::parse("sessions(kind=a; DROP)").unwrap_err().contains("phải là mã"));
        assert!(Formula::parse("areas() / areas() / areas()").unwrap_err().contains("một phép chia"));
    }

    #[test]
    fn progress_is_measured_against_the_year() {
        // 6 new models of 10 at mid-year: on track; 4 of 10: behind.
        let p = Progress::of(6_000, 10_000, 500);
        assert_eq!((p.of_target_milli, p.on_track), (60_000, true));
        assert!(!Progress::of(4_000, 10_000, 500).on_track);
        assert!(Progress::of(0, 0, 900).on_track, "a target of nothing is met");
        assert_eq!(split_adds_up(IndicatorUnit::Count, 10_000, &[4_000, 5_000]), Err(-1_000));
        assert_eq!(split_adds_up(IndicatorUnit::Count, 10_000, &[4_000, 6_000]), Ok(()));
        assert_eq!(split_adds_up(IndicatorUnit::Percent, 70_000, &[80_000, 65_000]), Err(-5_000));
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(year_elapsed_milli(2026, d(12, 31)), 1000);
        assert_eq!(year_elapsed_milli(2026, d(7, 2)), 501, "183 of 365 days");
        assert_eq!((year_elapsed_milli(2027, d(7, 2)), year_elapsed_milli(2025, d(7, 2))), (0, 1000));
    }

    #[test]
    fn values_are_read_and_written_the_vietnamese_way() {
        use IndicatorUnit::*;
        assert_eq!(parse_value(Count, "1.200"), Ok(1_200_000));
        assert_eq!(parse_value(Count, " 12 "), Ok(12_000));
        assert!(parse_value(Count, "12,5").unwrap_err().contains("số nguyên"));
        assert!(parse_value(Count, "-3").is_err());
        assert_eq!(parse_value(Percent, "75,5"), Ok(75_500));
        assert_eq!(parse_value(Percent, "75.5%"), Ok(75_500));
        assert_eq!(parse_value(Percent, "100"), Ok(100_000));
        assert!(parse_value(Percent, "100,1").unwrap_err().contains("từ 0 đến 100"));
        assert!(parse_value(Percent, "").unwrap_err().contains("Nhập"));
        assert_eq!(format_milli(Count, 1_200_000), "1.200");
        assert_eq!(format_milli(Percent, 75_500), "75,5");
        assert_eq!(format_milli(Percent, 66_667), "66,667");
        let t = TargetInput { year: Some(2030), value: Some("5".into()), ..Default::default() };
        assert!(t.validate(Count, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap().year == 2030);
        let e = TargetInput { year: Some(2040), value: Some("x".into()), ..Default::default() }
            .validate(Count, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
            .unwrap_err();
        assert!(e.get("year").is_some() && e.get("value").is_some());
    }

    #[test]
    fn an_indicator_checks_its_formula_against_its_unit() {
        let mut i = IndicatorInput {
            code: Some("xa_co_camera_ai".into()),
            name: Some("Tỷ lệ xã có camera".into()),
            formula: Some("communes_with_camera()/communes( )".into()),
            unit: Some("percent".into()),
            source: Some("Sổ camera".into()),
            active: None,
        };
        let (f, _) = i.validate().unwrap();
        assert!(f.active);
        assert_eq!(f.formula, "communes_with_camera() / communes()", "canonical form");
        i.unit = Some("count".into());
        assert!(i.validate().unwrap_err().get("formula").unwrap().contains("không có phép chia"));
        i.code = Some("Mã có dấu".into());
        assert!(i.validate().unwrap_err().get("code").is_some());
    }
}
