//! Kỷ niệm chương "Bảo vệ an ninh Tổ quốc" for members (TT 20/2025/TT-BCA): at least 15 years
//! of service for men and 10 for women, counting prior service in bảo vệ dân phố or Công an
//! xã bán chuyên trách; time in especially difficult, border or island areas counts double;
//! rated as completing tasks well.

use super::Sex;

/// The values in force (rules `force_medal_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct MedalRules {
    /// Years required of men.
    pub years_male: i64,
    /// Years required of women.
    pub years_female: i64,
    /// Factor of time in special areas.
    pub special_factor: i64,
}

impl Default for MedalRules {
    /// TT 20/2025 (for tests; the application reads the rules).
    fn default() -> Self {
        MedalRules { years_male: 15, years_female: 10, special_factor: 2 }
    }
}

/// One period of service in months, and whether it was in a special area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// Whole months.
    pub months: i64,
    /// In a special area.
    pub special: bool,
}

/// Where a person stands.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct MedalStanding {
    /// Months counted (special time multiplied).
    pub counted_months: i64,
    /// Months required.
    pub required_months: i64,
    /// Enough time.
    pub enough_time: bool,
    /// Latest approved rating at least "hoàn thành tốt nhiệm vụ".
    pub good_rating: bool,
    /// Both.
    pub eligible: bool,
}

impl MedalRules {
    /// Months required of a person of `sex`.
    pub fn required_months(&self, sex: Sex) -> i64 {
        12 * match sex {
            Sex::Nam => self.years_male,
            Sex::Nu => self.years_female,
        }
    }

    /// Months counted for `periods` (prior service and memberships).
    pub fn counted(&self, periods: &[Period]) -> i64 {
        periods.iter().map(|p| p.months * if p.special { self.special_factor } else { 1 }).sum()
    }

    /// The standing of a person.
    pub fn standing(&self, sex: Sex, periods: &[Period], good_rating: bool) -> MedalStanding {
        let counted_months = self.counted(periods);
        let required_months = self.required_months(sex);
        let enough_time = counted_months >= required_months;
        MedalStanding {
            counted_months,
            required_months,
            enough_time,
            good_rating,
            eligible: enough_time && good_rating,
        }
    }
}

/// Months as "X năm Y tháng".
pub fn years_months(m: i64) -> String {
    match (m / 12, m % 12) {
        (0, mo) => format!("{mo} tháng"),
        (y, 0) => format!("{y} năm"),
        (y, mo) => format!("{y} năm {mo} tháng"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_time_counts_double_and_sex_sets_the_years() {
        let r = MedalRules::default();
        let p = |months, special| Period { months, special };
        // 5 years prior (2 of them on an island) + 6 years in a normal team = 13 years.
        let periods = [p(36, false), p(24, true), p(72, false)];
        assert_eq!(r.counted(&periods), 36 + 48 + 72);
        let man = r.standing(Sex::Nam, &periods, true);
        assert!(!man.enough_time && !man.eligible);
        let woman = r.standing(Sex::Nu, &periods, true);
        assert!(woman.enough_time && woman.eligible);
        assert!(!r.standing(Sex::Nu, &periods, false).eligible, "rating required");
        assert!(r.standing(Sex::Nam, &[p(180, false)], true).eligible);
        assert_eq!(years_months(156), "13 năm");
        assert_eq!(years_months(157), "13 năm 1 tháng");
        assert_eq!(years_months(7), "7 tháng");
    }
}
