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
    /// have passed. A share (percentage) is on track when it has reached the target itself or the
    /// same proportion of it as of the year; a count when it has reached that proportion.
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
    }
}
