//! Movement classification (C6; QĐ 510/QĐ-BCA-V05): a yearly score sheet per subject with
//! points per item, the class its score reaches under the configurable bands, and the
//! workflow self-scoring → proposal (tờ trình + bảng điểm) → review → classification
//! decision (legal-rules §9.4 B), with the deadlines of Điều 11 khoản 3.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::labelled_enum;
use crate::rating::{CriteriaSet, CriteriaSubject};
use crate::rules::{RuleCode, RuleValue, required_date};
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

labelled_enum!(
    /// Who is classified (QĐ 510 Điều 11 khoản 3 sets one deadline per group).
    MovementSubject {
        KhuDanCu = "khu_dan_cu", "Khu dân cư";
        Xa = "xa", "Xã, phường, đặc khu";
        CoSo = "co_so", "Cơ quan, doanh nghiệp, cơ sở giáo dục";
    }
);

impl MovementSubject {
    /// The rule holding the subject's deadline.
    pub fn deadline_rule(self) -> RuleCode {
        match self {
            MovementSubject::KhuDanCu => RuleCode::PtDeadlineKhuDanCu,
            _ => RuleCode::PtDeadlineCoSo,
        }
    }

    /// The criteria subject of its score sheet.
    pub fn criteria_subject(self) -> CriteriaSubject {
        match self {
            MovementSubject::KhuDanCu => CriteriaSubject::PtKhuDanCu,
            MovementSubject::Xa => CriteriaSubject::PtXa,
            MovementSubject::CoSo => CriteriaSubject::PtCoSo,
        }
    }
}

labelled_enum!(
    /// A movement class (bands in the rule `pt_bands`).
    MovementClass {
        XuatSac = "xuat_sac", "Xuất sắc";
        Kha = "kha", "Khá";
        TrungBinh = "trung_binh", "Trung bình";
        Yeu = "yeu", "Yếu";
    }
);

labelled_enum!(
    /// Where a classification is (legal-rules §9.4 B).
    ClassificationState {
        TuChamDiem = "tu_cham_diem", "Đang tự chấm điểm";
        DaDeXuat = "da_de_xuat", "Đã đề xuất";
        DaXet = "da_xet", "Đã xét";
        DaQuyetDinh = "da_quyet_dinh", "Đã quyết định phân loại";
    }
);

/// A step of the classification workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassificationStep {
    /// Scores entered or changed.
    Score,
    /// Proposal filed with its score sheet.
    Propose,
    /// Sent back to the unit with a comment.
    Return,
    /// Reviewed by the level above.
    Review,
    /// Classification decided.
    Decide,
}

impl ClassificationState {
    /// The state after `step`, or why it is not allowed.
    pub fn apply(self, step: ClassificationStep) -> Result<ClassificationState, String> {
        use ClassificationState::*;
        use ClassificationStep::*;
        match (self, step) {
            (TuChamDiem, Score) => Ok(TuChamDiem),
            (TuChamDiem, Propose) => Ok(DaDeXuat),
            (DaDeXuat, Return) => Ok(TuChamDiem),
            (DaDeXuat, Review) => Ok(DaXet),
            (DaXet, Decide) => Ok(DaQuyetDinh),
            (from, _) => {
                Err(format!("Thao tác này không thực hiện được khi phân loại đang ở trạng thái «{}».", from.label()))
            }
        }
    }
}

/// Scores as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ScoresInput {
    /// Points awarded per item code.
    #[serde(default)]
    pub scores: BTreeMap<String, i64>,
    /// Note.
    pub note: Option<String>,
}

/// Validated scores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scores {
    /// Points per item.
    pub scores: BTreeMap<String, i64>,
    /// Sum.
    pub total: i64,
    /// Maximum of the sheet.
    pub max: i64,
    /// Note.
    pub note: Option<String>,
}

impl ScoresInput {
    /// Checks every item against the sheet (0 ≤ points ≤ the item's maximum).
    pub fn validate(&self, sheet: &CriteriaSet) -> Validated<Scores> {
        let mut e = FieldErrors::new();
        for (code, points) in &self.scores {
            match sheet.criteria.iter().find(|c| &c.code == code) {
                None => e.add("scores", format!("Mục «{code}» không có trong bảng điểm.")),
                Some(c) if !(0..=c.points).contains(points) => {
                    e.add("scores", format!("Mục «{code}»: điểm phải từ 0 đến {}.", c.points))
                }
                Some(_) => {}
            }
        }
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        let total = self.scores.values().sum();
        e.into_result(Scores { scores: self.scores.clone(), total, max: sheet.max_points(), note })
    }
}

/// The class a score reaches under the bands (`None` without bands or maximum).
pub fn class_for(bands: Option<&RuleValue>, total: i64, max: i64) -> Option<MovementClass> {
    bands?.band_for(total, max).and_then(MovementClass::from_code)
}

/// Days from `today` to `deadline` (negative when overdue).
pub fn days_left(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (deadline - today).num_days()
}

/// A classification decision, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ClassificationDecisionInput {
    /// Class decided (default: the proposed class).
    pub class: Option<String>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Decision date.
    pub decided_on: Option<String>,
}

/// A validated decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassificationDecision {
    /// Class.
    pub class: MovementClass,
    /// Number.
    pub decision_no: String,
    /// Date.
    pub decided_on: NaiveDate,
}

impl ClassificationDecisionInput {
    /// Checks class, number and date (`proposed` is the default class).
    pub fn validate(&self, proposed: Option<MovementClass>, today: NaiveDate) -> Validated<ClassificationDecision> {
        let mut e = FieldErrors::new();
        let class = match (self.class.as_deref().map(str::trim).filter(|s| !s.is_empty()), proposed) {
            (None, Some(p)) => p,
            (raw, _) => choice(&mut e, "class", "mức phân loại", raw, MovementClass::Yeu),
        };
        let decision_no =
            required_text(&mut e, "decision_no", "Số quyết định", self.decision_no.as_deref().unwrap_or(""), 100);
        let decided_on = required_date(&mut e, "decided_on", "Ngày quyết định", self.decided_on.as_deref());
        if decided_on.is_some_and(|d| d > today) {
            e.add("decided_on", "Ngày quyết định không được sau ngày hôm nay.");
        }
        match decided_on {
            Some(decided_on) if e.is_empty() => Ok(ClassificationDecision { class, decision_no, decided_on }),
            _ => Err(e),
        }
    }
}

/// A subject's classification of one year.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Classification {
    /// Row id.
    pub id: i64,
    /// Year.
    pub year: i32,
    /// Subject type.
    pub subject: MovementSubject,
    /// Residential area.
    pub area_id: Option<i64>,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: String,
    /// Name.
    pub subject_name: String,
    /// State.
    pub state: ClassificationState,
    /// Points per item.
    pub scores: BTreeMap<String, i64>,
    /// Sum.
    pub total: i64,
    /// Maximum.
    pub max: i64,
    /// Score sheet (criteria set) used.
    pub criteria_set_id: Option<i64>,
    /// Class the score reaches.
    pub proposed_class: Option<MovementClass>,
    /// Class decided.
    pub decided_class: Option<MovementClass>,
    /// Proposal date.
    pub proposed_on: Option<NaiveDate>,
    /// Comment of a return or review.
    pub comment: Option<String>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Decision date.
    pub decided_on: Option<NaiveDate>,
    /// Note.
    pub note: Option<String>,
}

/// Decided classes of one place and subject type, in [`MovementClass::ALL`] order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ClassRow {
    /// Place code (empty for totals).
    pub key: String,
    /// Place name.
    pub label: String,
    /// Subject type.
    pub subject: MovementSubject,
    /// Counts per class.
    pub counts: Vec<i64>,
    /// Sum.
    pub total: i64,
}

/// The classification distribution of a year.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ClassificationStats {
    /// Year.
    pub year: i32,
    /// The class of each count column.
    pub columns: Vec<MovementClass>,
    /// Rows by place and subject type.
    pub rows: Vec<ClassRow>,
    /// One row per subject type.
    pub totals: Vec<ClassRow>,
}

/// Builds rows from `(key, subject, class, count)`.
pub fn class_rows(
    counts: &[(String, String, String, i64)],
    label: impl Fn(&str) -> String,
) -> (Vec<ClassRow>, Vec<ClassRow>) {
    let n = MovementClass::ALL.len();
    let blank =
        |key: &str, label: String, subject| ClassRow { key: key.into(), label, subject, counts: vec![0; n], total: 0 };
    let mut rows: BTreeMap<(String, MovementSubject), ClassRow> = BTreeMap::new();
    let mut totals: BTreeMap<MovementSubject, ClassRow> =
        MovementSubject::ALL.iter().map(|s| (*s, blank("", "Tổng cộng".into(), *s))).collect();
    for (k, subject, class, c) in counts {
        let (Some(subject), Some(i)) = (
            MovementSubject::from_code(subject),
            MovementClass::from_code(class).and_then(|x| MovementClass::ALL.iter().position(|y| *y == x)),
        ) else {
            continue;
        };
        let row = rows.entry((k.clone(), subject)).or_insert_with(|| blank(k, label(k), subject));
        row.counts[i] += c;
        row.total += c;
        if let Some(t) = totals.get_mut(&subject) {
            t.counts[i] += c;
            t.total += c;
        }
    }
    let mut rows: Vec<ClassRow> = rows.into_values().collect();
    rows.sort_by_cached_key(|r| (crate::text::fold(&r.label), r.subject));
    (rows, totals.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rating::Criterion;

    fn sheet() -> CriteriaSet {
        CriteriaSet {
            id: 9,
            subject: CriteriaSubject::PtKhuDanCu,
            model_type_id: None,
            province_code: None,
            version: 1,
            name: "Bảng điểm".into(),
            legal_basis: "QĐ 510".into(),
            valid_from: NaiveDate::from_ymd_opt(2022, 1, 20).unwrap(),
            valid_to: None,
            criteria: vec![
                Criterion { code: "1".into(), text: "Kế hoạch".into(), points: 30 },
                Criterion { code: "2".into(), text: "Tuyên truyền".into(), points: 70 },
            ],
        }
    }

    #[test]
    fn scores_stay_within_each_item() {
        let ok = ScoresInput { scores: [("1".to_string(), 30), ("2".to_string(), 55)].into(), note: None }
            .validate(&sheet())
            .unwrap();
        assert_eq!((ok.total, ok.max), (85, 100));
        let bands = RuleValue::parse(RuleCode::PtBands, "xuat_sac:90;kha:70;trung_binh:50;yeu:0").unwrap();
        assert_eq!(class_for(Some(&bands), ok.total, ok.max), Some(MovementClass::Kha));
        assert_eq!(class_for(Some(&bands), 95, 100), Some(MovementClass::XuatSac));
        assert_eq!(class_for(None, 95, 100), None);
        let e = ScoresInput { scores: [("2".to_string(), 71)].into(), note: None }.validate(&sheet()).unwrap_err();
        assert!(e.get("scores").unwrap().contains("0 đến 70"));
        assert!(ScoresInput { scores: [("9".to_string(), 1)].into(), note: None }.validate(&sheet()).is_err());
    }

    #[test]
    fn workflow_and_countdown() {
        use ClassificationState::*;
        use ClassificationStep::*;
        assert_eq!(TuChamDiem.apply(Propose), Ok(DaDeXuat));
        assert_eq!(DaDeXuat.apply(Return), Ok(TuChamDiem));
        assert_eq!(DaDeXuat.apply(Review), Ok(DaXet));
        assert_eq!(DaXet.apply(Decide), Ok(DaQuyetDinh));
        for (from, step) in [(DaDeXuat, Score), (TuChamDiem, Decide), (DaQuyetDinh, Score), (DaXet, Propose)] {
            assert!(from.apply(step).unwrap_err().contains(from.label()));
        }
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(days_left(d(11, 20), d(11, 13)), 7);
        assert_eq!(days_left(d(11, 20), d(11, 23)), -3);
    }

    #[test]
    fn distribution_adds_up() {
        let c = |k: &str, s: &str, x: &str, n| (k.to_string(), s.to_string(), x.to_string(), n);
        let (rows, totals) =
            class_rows(&[c("56", "xa", "kha", 3), c("56", "xa", "yeu", 1), c("01", "co_so", "xuat_sac", 2)], |k| {
                k.into()
            });
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].counts.clone(), rows[1].total), (vec![0, 3, 0, 1], 4));
        assert_eq!(totals.iter().map(|t| t.total).sum::<i64>(), 6);
    }

    #[test]
    fn decisions_default_to_the_proposed_class() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = ClassificationDecisionInput {
            decision_no: Some("5/QĐ".into()),
            decided_on: Some("2026-11-22".into()),
            ..Default::default()
        }
        .validate(Some(MovementClass::Kha), today)
        .unwrap();
        assert_eq!(d.class, MovementClass::Kha);
        let e = ClassificationDecisionInput { class: Some("tot".into()), ..Default::default() }
            .validate(None, today)
            .unwrap_err();
        assert!(e.get("class").is_some() && e.get("decision_no").is_some());
    }
}
