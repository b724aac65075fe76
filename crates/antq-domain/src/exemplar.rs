//! Exemplary units (C7; điển hình tiên tiến, HD 22/HD-BCA-V05): the yearly registration of
//! communes, wards, agencies, businesses, schools and commune police, and its result.

use chrono::NaiveDate;

use crate::labelled_enum;
use crate::rules::required_date;
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

labelled_enum!(
    /// What kind of unit registers.
    ExemplarKind {
        Xa = "xa", "Xã, đặc khu";
        Phuong = "phuong", "Phường";
        CoQuan = "co_quan", "Cơ quan";
        DoanhNghiep = "doanh_nghiep", "Doanh nghiệp";
        CoSoGiaoDuc = "co_so_giao_duc", "Cơ sở giáo dục";
        CongAnXa = "cong_an_xa", "Công an xã, phường, đặc khu";
    }
);

impl ExemplarKind {
    /// Whether the unit is an establishment (agency, business, school).
    pub fn is_establishment(self) -> bool {
        matches!(self, ExemplarKind::CoQuan | ExemplarKind::DoanhNghiep | ExemplarKind::CoSoGiaoDuc)
    }
}

labelled_enum!(
    /// The result of a registration.
    ExemplarResult {
        DangKy = "dang_ky", "Đã đăng ký, chờ kết quả";
        Dat = "dat", "Được công nhận điển hình tiên tiến";
        KhongDat = "khong_dat", "Không được công nhận";
    }
);

/// A registration, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ExemplarInput {
    /// Year.
    pub year: Option<i32>,
    /// Commune code (communes, wards, commune police; and the place of an establishment).
    pub commune_code: Option<String>,
    /// `co_quan`, `doanh_nghiep`, `co_so_giao_duc`: the establishment; otherwise
    /// `commune` (the commune or ward itself, by its kind) or `cong_an_xa`.
    pub kind: Option<String>,
    /// The establishment.
    pub establishment_id: Option<i64>,
    /// Field of the movement the unit stands out in.
    pub field: Option<String>,
    /// Registration date.
    pub registered_on: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// The result, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ExemplarResultInput {
    /// `dat` or `khong_dat`.
    pub result: Option<String>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Decision date.
    pub decided_on: Option<String>,
}

/// A validated result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExemplarDecision {
    /// Result.
    pub result: ExemplarResult,
    /// Number.
    pub decision_no: String,
    /// Date.
    pub decided_on: NaiveDate,
}

impl ExemplarResultInput {
    /// Checks result, decision number and date (not before `registered_on`, not after today).
    pub fn validate(&self, registered_on: NaiveDate, today: NaiveDate) -> Validated<ExemplarDecision> {
        let mut e = FieldErrors::new();
        let result = choice(&mut e, "result", "kết quả", self.result.as_deref(), ExemplarResult::KhongDat);
        if result == ExemplarResult::DangKy {
            e.add("result", "Kết quả phải là «được công nhận» hoặc «không được công nhận».");
        }
        let decision_no =
            required_text(&mut e, "decision_no", "Số quyết định", self.decision_no.as_deref().unwrap_or(""), 100);
        let decided_on = required_date(&mut e, "decided_on", "Ngày quyết định", self.decided_on.as_deref());
        if decided_on.is_some_and(|d| d > today || d < registered_on) {
            e.add("decided_on", "Ngày quyết định phải sau ngày đăng ký và không sau hôm nay.");
        }
        match decided_on {
            Some(decided_on) if e.is_empty() => Ok(ExemplarDecision { result, decision_no, decided_on }),
            _ => Err(e),
        }
    }
}

/// Checks the free-text fields of a registration.
pub fn registration_texts(input: &ExemplarInput, e: &mut FieldErrors) -> (Option<String>, Option<String>) {
    (
        optional_text(e, "field", "Lĩnh vực", input.field.as_deref(), 300),
        optional_text(e, "note", "Ghi chú", input.note.as_deref(), 2000),
    )
}

/// A registration of an exemplary unit.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Exemplar {
    /// Row id.
    pub id: i64,
    /// Year.
    pub year: i32,
    /// Kind.
    pub kind: ExemplarKind,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: String,
    /// Name.
    pub name: String,
    /// Field.
    pub field: Option<String>,
    /// Registration date.
    pub registered_on: NaiveDate,
    /// Result.
    pub result: ExemplarResult,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Decision date.
    pub decided_on: Option<NaiveDate>,
    /// Note.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_need_a_decision() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let e = ExemplarResultInput { result: Some("dang_ky".into()), ..Default::default() }
            .validate(d(2026, 3, 1), d(2026, 11, 23))
            .unwrap_err();
        assert!(e.get("result").is_some() && e.get("decision_no").is_some() && e.get("decided_on").is_some());
        let e = ExemplarResultInput {
            result: Some("dat".into()),
            decision_no: Some("1/QĐ".into()),
            decided_on: Some("2026-02-01".into()),
        }
        .validate(d(2026, 3, 1), d(2026, 11, 23))
        .unwrap_err();
        assert!(e.get("decided_on").is_some());
        let ok = ExemplarResultInput {
            result: Some("dat".into()),
            decision_no: Some("1/QĐ".into()),
            decided_on: Some("2026-11-01".into()),
        }
        .validate(d(2026, 3, 1), d(2026, 11, 23))
        .unwrap();
        assert_eq!(ok.result, ExemplarResult::Dat);
        assert!(ExemplarKind::DoanhNghiep.is_establishment() && !ExemplarKind::CongAnXa.is_establishment());
    }
}
