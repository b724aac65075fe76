//! Eligibility at entry (Luật 30/2023/QH15 Điều 13): age, residence, education by area and
//! a health certificate. A refusal names the rule and its legal basis, which come from the
//! rule values in force.

use chrono::NaiveDate;

use super::{Education, birthday};
use crate::FieldErrors;
use crate::rules::months_between;

/// Legal basis of the health certificate requirement (not a number, so not a rule value).
pub const HEALTH_BASIS: &str = "Điều 13 khoản 5 Luật 30/2023/QH15";

/// A rule value with its legal basis.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Cited<T> {
    /// The value.
    pub value: T,
    /// Its legal basis.
    pub basis: String,
}

/// The eligibility rules in force in a province on a day.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct EligibilityRules {
    /// Youngest age.
    pub age_min: Cited<i64>,
    /// Oldest age without the chairman's decision.
    pub age_max: Cited<i64>,
    /// Months of residence.
    pub residence_months: Cited<i64>,
    /// Education required.
    pub education: Cited<Education>,
    /// Education required in border, island, mountain, especially difficult or ethnic areas.
    pub education_special: Cited<Education>,
}

impl EligibilityRules {
    /// The values of Luật 30/2023 (for tests; the application reads the rules).
    pub fn law_30() -> Self {
        let c = |v, b: &str| Cited { value: v, basis: b.to_string() };
        EligibilityRules {
            age_min: c(18, "Điều 13 khoản 1 Luật 30/2023/QH15"),
            age_max: c(70, "Điều 13 khoản 1 Luật 30/2023/QH15"),
            residence_months: c(12, "Điều 13 khoản 4 Luật 30/2023/QH15"),
            education: Cited { value: Education::Thcs, basis: "Điều 13 khoản 3 Luật 30/2023/QH15".into() },
            education_special: Cited {
                value: Education::TieuHoc, basis: "Điều 13 khoản 3 Luật 30/2023/QH15".into()
            },
        }
    }
}

/// What eligibility looks at.
#[derive(Clone, Debug)]
pub struct Person<'a> {
    /// Date of birth.
    pub born_on: NaiveDate,
    /// Permanent or temporary residence in the commune since.
    pub resident_since: Option<NaiveDate>,
    /// Education.
    pub education: Education,
    /// Date of the health certificate.
    pub health_cert_on: Option<NaiveDate>,
    /// Number of the chairman's decision allowing a person over the age limit.
    pub over_age_decision: Option<&'a str>,
    /// The team's area is a border, island, mountain, especially difficult or ethnic area.
    pub special_area: bool,
}

fn vn(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Checks a person on `on` (the day of entry); the errors are keyed by the API field names.
pub fn check(p: &Person, rules: &EligibilityRules, on: NaiveDate) -> FieldErrors {
    let mut e = FieldErrors::new();
    let adult = birthday(p.born_on, rules.age_min.value);
    if on < adult {
        e.add(
            "born_on",
            format!(
                "Chưa đủ {} tuổi vào ngày {} (đủ tuổi ngày {}) — {}.",
                rules.age_min.value,
                vn(on),
                vn(adult),
                rules.age_min.basis
            ),
        );
    }
    let limit = birthday(p.born_on, rules.age_max.value);
    if on > limit && p.over_age_decision.is_none() {
        e.add(
            "over_age_decision",
            format!(
                "Đã quá {} tuổi (đủ {} tuổi ngày {}): cần số quyết định của Chủ tịch UBND xã cho phép tham gia — {}.",
                rules.age_max.value,
                rules.age_max.value,
                vn(limit),
                rules.age_max.basis
            ),
        );
    }
    match p.resident_since {
        None => e.add(
            "resident_since",
            format!(
                "Chưa nhập ngày bắt đầu cư trú (cần cư trú từ {} tháng trở lên) — {}.",
                rules.residence_months.value, rules.residence_months.basis
            ),
        ),
        Some(since) if months_between(since, on) < rules.residence_months.value => e.add(
            "resident_since",
            format!(
                "Cư trú từ ngày {}, chưa đủ {} tháng vào ngày {} — {}.",
                vn(since),
                rules.residence_months.value,
                vn(on),
                rules.residence_months.basis
            ),
        ),
        Some(_) => {}
    }
    let need = if p.special_area { &rules.education_special } else { &rules.education };
    if p.education.level() < need.value.level() {
        let area = if p.special_area {
            " (vùng biên giới, hải đảo, miền núi, đặc biệt khó khăn, đồng bào dân tộc thiểu số)"
        } else {
            ""
        };
        e.add(
            "education",
            format!(
                "Trình độ «{}» chưa đạt yêu cầu tối thiểu «{}»{area} — {}.",
                p.education.label(),
                need.value.label(),
                need.basis
            ),
        );
    }
    match p.health_cert_on {
        None => e.add(
            "health_cert_on",
            format!("Chưa có giấy chứng nhận sức khỏe của cơ sở y tế có thẩm quyền — {HEALTH_BASIS}."),
        ),
        Some(h) if h > on => e.add("health_cert_on", "Ngày cấp giấy chứng nhận sức khỏe không được sau ngày vào tổ."),
        Some(_) => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person() -> Person<'static> {
        Person {
            born_on: d(1980, 5, 1),
            resident_since: Some(d(2010, 1, 1)),
            education: Education::Thcs,
            health_cert_on: Some(d(2026, 11, 1)),
            over_age_decision: None,
            special_area: false,
        }
    }

    #[test]
    fn an_eligible_person_passes() {
        assert!(check(&person(), &EligibilityRules::law_30(), d(2026, 12, 2)).is_empty());
    }

    #[test]
    fn age_limits_name_the_law() {
        let r = EligibilityRules::law_30();
        let young = Person { born_on: d(2008, 12, 3), ..person() };
        let e = check(&young, &r, d(2026, 12, 2));
        assert!(e.get("born_on").unwrap().contains("Chưa đủ 18 tuổi"), "{e}");
        assert!(e.get("born_on").unwrap().contains("Điều 13 khoản 1 Luật 30/2023/QH15"));
        assert!(check(&Person { born_on: d(2008, 12, 2), ..person() }, &r, d(2026, 12, 2)).is_empty());
        // Turned 70 today: still within the limit; the day after needs a decision.
        let old = Person { born_on: d(1956, 12, 2), ..person() };
        assert!(check(&old, &r, d(2026, 12, 2)).is_empty());
        let e = check(&old, &r, d(2026, 12, 3));
        assert!(e.get("over_age_decision").unwrap().contains("quá 70 tuổi"), "{e}");
        let allowed = Person { over_age_decision: Some("12/QĐ-UBND"), ..old };
        assert!(check(&allowed, &r, d(2026, 12, 3)).is_empty());
    }

    #[test]
    fn residence_education_and_health() {
        let r = EligibilityRules::law_30();
        let new_resident = Person { resident_since: Some(d(2026, 1, 3)), ..person() };
        let e = check(&new_resident, &r, d(2026, 12, 2));
        assert!(e.get("resident_since").unwrap().contains("chưa đủ 12 tháng"), "{e}");
        assert!(check(&Person { resident_since: Some(d(2025, 12, 2)), ..person() }, &r, d(2026, 12, 2)).is_empty());
        let primary = Person { education: Education::TieuHoc, ..person() };
        let e = check(&primary, &r, d(2026, 12, 2));
        assert!(e.get("education").unwrap().contains("Tốt nghiệp, hoàn thành THCS"), "{e}");
        assert!(check(&Person { special_area: true, ..primary.clone() }, &r, d(2026, 12, 2)).is_empty());
        let none = Person { education: Education::ChuaTieuHoc, special_area: true, ..person() };
        assert!(check(&none, &r, d(2026, 12, 2)).get("education").unwrap().contains("vùng biên giới"));
        let e = check(&Person { health_cert_on: None, ..person() }, &r, d(2026, 12, 2));
        assert!(e.get("health_cert_on").unwrap().contains(HEALTH_BASIS));
    }
}
