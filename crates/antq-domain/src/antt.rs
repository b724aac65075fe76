//! The "An toàn về an ninh, trật tự" standard (C5; TT 124/2021/TT-BCA amended by TT 48/2025):
//! subjects, the yearly recognition workflow (legal-rules §9.4 A), its inputs and the commune's
//! computed conditions (Điều 5: criterion 4 and "at least one effective model").

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::labelled_enum;
use crate::rating::CriteriaSet;
use crate::rules::{RuleCode, required_date};
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

labelled_enum!(
    /// Who can be recognised (TT 124 Điều 2).
    AnttSubject {
        KhuDanCu = "khu_dan_cu", "Khu dân cư";
        Xa = "xa", "Xã, phường, đặc khu";
        CoQuan = "co_quan", "Cơ quan";
        DoanhNghiep = "doanh_nghiep", "Doanh nghiệp";
        CoSoGiaoDuc = "co_so_giao_duc", "Cơ sở giáo dục";
    }
);

impl AnttSubject {
    /// The rule holding the subject's evaluation period (TT 124 Điều 8).
    pub fn window_rule(self) -> RuleCode {
        match self {
            AnttSubject::KhuDanCu => RuleCode::AnttWindowKhuDanCu,
            _ => RuleCode::AnttWindowOther,
        }
    }

    /// The criteria subject of its checklist.
    pub fn criteria_subject(self) -> crate::rating::CriteriaSubject {
        use crate::rating::CriteriaSubject as C;
        match self {
            AnttSubject::KhuDanCu => C::AnttKhuDanCu,
            AnttSubject::Xa => C::AnttXa,
            AnttSubject::CoQuan | AnttSubject::DoanhNghiep => C::AnttCoQuanDoanhNghiep,
            AnttSubject::CoSoGiaoDuc => C::AnttCoSoGiaoDuc,
        }
    }

    /// The subject an establishment is.
    pub fn of_establishment(k: crate::establishment::EstablishmentKind) -> AnttSubject {
        use crate::establishment::EstablishmentKind as K;
        match k {
            K::CoQuan => AnttSubject::CoQuan,
            K::DoanhNghiep => AnttSubject::DoanhNghiep,
            K::CoSoGiaoDuc => AnttSubject::CoSoGiaoDuc,
        }
    }
}

labelled_enum!(
    /// Where a subject is in the year's recognition (legal-rules §9.4 A).
    AnttState {
        DaDangKy = "da_dang_ky", "Đã đăng ký";
        DaTuDanhGia = "da_tu_danh_gia", "Đã tự đánh giá";
        DaNopHoSo = "da_nop_ho_so", "Đã nộp hồ sơ";
        DangThamDinh = "dang_tham_dinh", "Đang thẩm định";
        Dat = "dat", "Đạt tiêu chuẩn «An toàn về ANTT»";
        ChuaDat = "chua_dat", "Chưa đạt";
        DaThuHoi = "da_thu_hoi", "Đã thu hồi công nhận";
    }
);

/// A step of the recognition workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnttStep {
    /// Self-evaluation meeting with its checklist (may be repeated until the dossier is filed).
    Evaluate,
    /// The dossier is filed with the commune police or the competent body.
    Submit,
    /// Appraisal starts (meeting or written consultation).
    Appraise,
    /// The decision: recognised or not.
    Decide(bool),
    /// Recognition revoked.
    Revoke,
}

impl AnttState {
    /// The state after `step`, or why it is not allowed.
    pub fn apply(self, step: AnttStep) -> Result<AnttState, String> {
        use AnttState::*;
        use AnttStep::*;
        match (self, step) {
            (DaDangKy | DaTuDanhGia, Evaluate) => Ok(DaTuDanhGia),
            (DaTuDanhGia, Submit) => Ok(DaNopHoSo),
            (DaNopHoSo, Appraise) => Ok(DangThamDinh),
            (DangThamDinh, Decide(true)) => Ok(Dat),
            (DangThamDinh, Decide(false)) => Ok(ChuaDat),
            (Dat, Revoke) => Ok(DaThuHoi),
            (from, step) => Err(format!(
                "Không thể {} khi hồ sơ đang ở trạng thái «{}».",
                match step {
                    Evaluate => "ghi kết quả tự đánh giá",
                    Submit => "nộp hồ sơ",
                    Appraise => "bắt đầu thẩm định",
                    Decide(_) => "ra quyết định công nhận",
                    Revoke => "thu hồi công nhận",
                },
                from.label()
            )),
        }
    }
}

/// A registration, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RegistrationInput {
    /// Subject code: khu_dan_cu, xa, co_quan, doanh_nghiep, co_so_giao_duc (for establishments
    /// it follows the establishment's kind).
    pub subject: Option<String>,
    /// The residential area (khu_dan_cu).
    pub area_id: Option<i64>,
    /// The agency, business or school.
    pub establishment_id: Option<i64>,
    /// The commune (xa).
    pub commune_code: Option<String>,
    /// Year evaluated.
    pub year: Option<i32>,
    /// Date of registration (within quarter I).
    pub registered_on: Option<String>,
    /// Share of households that registered (residential areas), %.
    pub households_pct: Option<i64>,
    /// Note (resolution, plan).
    pub note: Option<String>,
}

/// A self-evaluation, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EvaluationInput {
    /// Date of the evaluation meeting (within the subject's period).
    pub evaluated_on: Option<String>,
    /// Criteria met, by code.
    #[serde(default)]
    pub checklist: BTreeMap<String, bool>,
    /// Minutes, remarks.
    pub note: Option<String>,
}

/// A validated self-evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Date.
    pub evaluated_on: NaiveDate,
    /// Criteria met.
    pub checklist: BTreeMap<String, bool>,
    /// Whether every criterion of the set is met.
    pub all_met: bool,
    /// Note.
    pub note: Option<String>,
}

impl EvaluationInput {
    /// Checks the date against the period and the checklist against the set.
    pub fn validate(&self, set: Option<&CriteriaSet>, period: (NaiveDate, NaiveDate)) -> Validated<Evaluation> {
        let mut e = FieldErrors::new();
        let evaluated_on = required_date(&mut e, "evaluated_on", "Ngày họp tự đánh giá", self.evaluated_on.as_deref());
        if let Some(d) = evaluated_on
            && (d < period.0 || d > period.1)
        {
            e.add(
                "evaluated_on",
                format!(
                    "Ngày tự đánh giá phải trong kỳ đánh giá {} – {} (TT 124/2021 Điều 8).",
                    period.0.format("%d/%m/%Y"),
                    period.1.format("%d/%m/%Y")
                ),
            );
        }
        for code in self.checklist.keys() {
            if !set.is_some_and(|s| s.criteria.iter().any(|c| &c.code == code)) {
                e.add("checklist", format!("Tiêu chí «{code}» không có trong bộ tiêu chí."));
            }
        }
        let checklist: BTreeMap<String, bool> =
            self.checklist.iter().filter(|(_, m)| **m).map(|(k, v)| (k.clone(), *v)).collect();
        let all_met = set.is_some_and(|s| s.criteria.iter().all(|c| checklist.contains_key(&c.code)));
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 4000);
        match evaluated_on {
            Some(evaluated_on) if e.is_empty() => Ok(Evaluation { evaluated_on, checklist, all_met, note }),
            _ => Err(e),
        }
    }
}

/// A decision, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// `dat` or `chua_dat`.
    pub result: Option<String>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Decision date.
    pub decided_on: Option<String>,
    /// Issuing authority (e.g. "UBND phường Bắc Nha Trang").
    pub authority: Option<String>,
    /// Certificate (Giấy công nhận) number, required for "đạt".
    pub certificate_no: Option<String>,
    /// For a commune whose computed conditions fail: why it is recognised anyway (province
    /// officers only; recorded in the audit trail).
    pub override_reason: Option<String>,
}

/// A validated decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// Recognised.
    pub recognised: bool,
    /// Number.
    pub decision_no: String,
    /// Date.
    pub decided_on: NaiveDate,
    /// Authority.
    pub authority: String,
    /// Certificate number.
    pub certificate_no: Option<String>,
    /// Override reason.
    pub override_reason: Option<String>,
}

impl DecisionInput {
    /// Checks the decision; `evaluated_on` is the self-evaluation date it must not precede.
    pub fn validate(&self, evaluated_on: Option<NaiveDate>, today: NaiveDate) -> Validated<Decision> {
        let mut e = FieldErrors::new();
        let result = choice(&mut e, "result", "kết quả", self.result.as_deref(), AnttState::ChuaDat);
        if !matches!(result, AnttState::Dat | AnttState::ChuaDat) {
            e.add("result", "Kết quả phải là «Đạt» hoặc «Chưa đạt».");
        }
        let decision_no =
            required_text(&mut e, "decision_no", "Số quyết định", self.decision_no.as_deref().unwrap_or(""), 100);
        let decided_on = required_date(&mut e, "decided_on", "Ngày quyết định", self.decided_on.as_deref());
        if decided_on.is_some_and(|d| d > today) {
            e.add("decided_on", "Ngày quyết định không được sau ngày hôm nay.");
        }
        if let (Some(d), Some(ev)) = (decided_on, evaluated_on)
            && d < ev
        {
            e.add("decided_on", "Ngày quyết định không được trước ngày tự đánh giá.");
        }
        let authority =
            required_text(&mut e, "authority", "Cơ quan ra quyết định", self.authority.as_deref().unwrap_or(""), 300);
        let certificate_no =
            optional_text(&mut e, "certificate_no", "Số giấy công nhận", self.certificate_no.as_deref(), 100);
        if result == AnttState::Dat && certificate_no.is_none() && !e.0.contains_key("certificate_no") {
            e.add("certificate_no", "Công nhận đạt phải có số Giấy công nhận.");
        }
        let override_reason = optional_text(&mut e, "override_reason", "Lý do", self.override_reason.as_deref(), 2000);
        match decided_on {
            Some(decided_on) if e.is_empty() => Ok(Decision {
                recognised: result == AnttState::Dat,
                decision_no,
                decided_on,
                authority,
                certificate_no,
                override_reason,
            }),
            _ => Err(e),
        }
    }
}

/// A revocation, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RevocationInput {
    /// Why.
    pub reason: Option<String>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Date.
    pub on_date: Option<String>,
}

/// The inputs and outcome of a commune's computed conditions (TT 124 Điều 5 khoản 1 and 4).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CommuneConditions {
    /// Residential areas, agencies, businesses and schools of the commune that can be recognised.
    pub units: i64,
    /// Of them registered this year.
    pub registered: i64,
    /// Of them recognised this year.
    pub recognised: i64,
    /// Required registered share (%).
    pub registered_required_pct: i64,
    /// Required recognised share (%).
    pub recognised_required_pct: i64,
    /// Models of the commune rated "tốt" or "khá" (approved) this year.
    pub effective_models: i64,
    /// Every condition holds.
    pub met: bool,
    /// What fails, in Vietnamese.
    pub failures: Vec<String>,
}

impl CommuneConditions {
    /// Computes the outcome from the counts and the required shares.
    pub fn evaluate(
        units: i64,
        registered: i64,
        recognised: i64,
        effective_models: i64,
        (reg_pct, rec_pct): (i64, i64),
    ) -> CommuneConditions {
        let mut failures = Vec::new();
        if units == 0 {
            failures.push("Xã chưa có khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục nào trong sổ theo dõi.".into());
        } else {
            if registered * 100 < reg_pct * units {
                failures.push(format!(
                    "Mới {registered}/{units} đơn vị đăng ký ({}%), cần {reg_pct}% (TT 124/2021 Điều 5 khoản 4).",
                    registered * 100 / units
                ));
            }
            if recognised * 100 < rec_pct * units {
                failures.push(format!(
                    "Mới {recognised}/{units} đơn vị được công nhận ({}%), cần ít nhất {rec_pct}% (TT 124/2021 Điều 5 khoản 4).",
                    recognised * 100 / units
                ));
            }
        }
        if effective_models == 0 {
            failures.push(
                "Chưa có mô hình nào được xếp loại Tốt hoặc Khá trong năm (TT 124/2021 Điều 5 khoản 1: ít nhất 1 mô hình hiệu quả)."
                    .into(),
            );
        }
        CommuneConditions {
            units,
            registered,
            recognised,
            registered_required_pct: reg_pct,
            recognised_required_pct: rec_pct,
            effective_models,
            met: failures.is_empty(),
            failures,
        }
    }
}

/// A subject's recognition record of one year.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AnttRecord {
    /// Row id.
    pub id: i64,
    /// Year evaluated.
    pub year: i32,
    /// Subject type.
    pub subject: AnttSubject,
    /// The residential area.
    pub area_id: Option<i64>,
    /// The agency, business or school.
    pub establishment_id: Option<i64>,
    /// Province.
    pub province_code: String,
    /// Commune (the subject's, or the commune itself).
    pub commune_code: String,
    /// Name of the subject at registration.
    pub subject_name: String,
    /// State.
    pub state: AnttState,
    /// Registration date.
    pub registered_on: NaiveDate,
    /// Households registered (residential areas), %.
    pub households_pct: Option<i64>,
    /// Registration note.
    pub registration_note: Option<String>,
    /// Self-evaluation date.
    pub evaluated_on: Option<NaiveDate>,
    /// Criteria met.
    pub checklist: BTreeMap<String, bool>,
    /// Every criterion met.
    pub all_met: bool,
    /// Criteria set used.
    pub criteria_set_id: Option<i64>,
    /// Minutes, remarks.
    pub evaluation_note: Option<String>,
    /// Dossier filed on.
    pub submitted_on: Option<NaiveDate>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Decision date.
    pub decided_on: Option<NaiveDate>,
    /// Issuing authority.
    pub authority: Option<String>,
    /// Certificate number.
    pub certificate_no: Option<String>,
    /// Why a commune was recognised although its computed conditions failed.
    pub override_reason: Option<String>,
    /// Revocation date.
    pub revoked_on: Option<NaiveDate>,
    /// Revocation reason.
    pub revoke_reason: Option<String>,
    /// Revocation decision.
    pub revoke_decision_no: Option<String>,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A dossier document (without its bytes).
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AnttDocument {
    /// Row id.
    pub id: i64,
    /// Title (tờ trình, biên bản họp …).
    pub title: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Uploaded.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Recognition counts of one place (or the whole scope) and subject type.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct RecognitionRow {
    /// Place code (empty for totals).
    pub key: String,
    /// Place name.
    pub label: String,
    /// Subject type.
    pub subject: AnttSubject,
    /// Subjects that can be recognised.
    pub total: i64,
    /// Registered this year.
    pub registered: i64,
    /// Recognised this year.
    pub recognised: i64,
    /// `registered / total`, %.
    pub registered_pct: f64,
    /// `recognised / registered`, %.
    pub recognised_of_registered_pct: f64,
    /// `recognised / total`, %.
    pub recognised_pct: f64,
}

/// Recognition rates of a year by place and subject type, with totals per subject type.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RecognitionStats {
    /// Year.
    pub year: i32,
    /// `province` or `commune`: what the row keys are.
    pub by: String,
    /// Rows by place, then subject type.
    pub rows: Vec<RecognitionRow>,
    /// One row per subject type for the whole scope.
    pub totals: Vec<RecognitionRow>,
}

fn pct(n: i64, d: i64) -> f64 {
    if d == 0 { 0.0 } else { (n as f64 * 1000.0 / d as f64).round() / 10.0 }
}

/// Builds rows from `(key, subject, total)` and `(key, subject, registered, recognised)`.
pub fn recognition_rows(
    totals: &[(String, String, i64)],
    counts: &[(String, String, i64, i64)],
    label: impl Fn(&str) -> String,
) -> (Vec<RecognitionRow>, Vec<RecognitionRow>) {
    let mut cells: BTreeMap<(String, AnttSubject), (i64, i64, i64)> = BTreeMap::new();
    for (k, s, n) in totals {
        if let Some(s) = AnttSubject::from_code(s) {
            cells.entry((k.clone(), s)).or_default().0 += n;
        }
    }
    for (k, s, reg, rec) in counts {
        if let Some(s) = AnttSubject::from_code(s) {
            let c = cells.entry((k.clone(), s)).or_default();
            c.1 += reg;
            c.2 += rec;
        }
    }
    let row = |key: String, label: String, subject, (total, registered, recognised): (i64, i64, i64)| RecognitionRow {
        key,
        label,
        subject,
        total,
        registered,
        recognised,
        registered_pct: pct(registered, total),
        recognised_of_registered_pct: pct(recognised, registered),
        recognised_pct: pct(recognised, total),
    };
    let mut sums: BTreeMap<AnttSubject, (i64, i64, i64)> = BTreeMap::new();
    let mut rows: Vec<RecognitionRow> = cells
        .into_iter()
        .map(|((k, s), c)| {
            let t = sums.entry(s).or_default();
            (t.0, t.1, t.2) = (t.0 + c.0, t.1 + c.1, t.2 + c.2);
            let l = label(&k);
            row(k, l, s, c)
        })
        .collect();
    rows.sort_by_cached_key(|r| (crate::text::fold(&r.label), r.subject));
    let totals = AnttSubject::ALL
        .iter()
        .map(|s| row(String::new(), "Tổng cộng".into(), *s, sums.get(s).copied().unwrap_or_default()))
        .collect();
    (rows, totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn workflow_allows_only_its_steps() {
        use AnttState::*;
        use AnttStep::*;
        let steps = [Evaluate, Submit, Appraise, Decide(true), Decide(false), Revoke];
        let allowed = [
            (DaDangKy, Evaluate, DaTuDanhGia),
            (DaTuDanhGia, Evaluate, DaTuDanhGia),
            (DaTuDanhGia, Submit, DaNopHoSo),
            (DaNopHoSo, Appraise, DangThamDinh),
            (DangThamDinh, Decide(true), Dat),
            (DangThamDinh, Decide(false), ChuaDat),
            (Dat, Revoke, DaThuHoi),
        ];
        for from in AnttState::ALL {
            for s in steps {
                let want = allowed.iter().find(|(f, x, _)| f == from && *x == s).map(|t| t.2);
                match (from.apply(s), want) {
                    (Ok(to), Some(w)) => assert_eq!(to, w),
                    (Err(m), None) => assert!(m.contains(from.label()), "{m}"),
                    (got, want) => panic!("{from:?} {s:?}: {got:?} vs {want:?}"),
                }
            }
        }
    }

    #[test]
    fn evaluation_must_lie_in_the_period() {
        let period = (d(2025, 11, 1), d(2026, 10, 31));
        let e =
            EvaluationInput { evaluated_on: Some("2026-11-05".into()), ..Default::default() }.validate(None, period);
        assert!(e.unwrap_err().get("evaluated_on").unwrap().contains("31/10/2026"));
        let ok =
            EvaluationInput { evaluated_on: Some("2026-10-20".into()), ..Default::default() }.validate(None, period);
        assert!(!ok.unwrap().all_met, "no set, nothing met");
    }

    #[test]
    fn decisions_need_number_and_certificate() {
        let today = d(2026, 11, 23);
        let e = DecisionInput {
            result: Some("dat".into()),
            decided_on: Some("2026-11-20".into()),
            authority: Some("UBND".into()),
            ..Default::default()
        }
        .validate(None, today)
        .unwrap_err();
        assert!(e.get("decision_no").is_some() && e.get("certificate_no").is_some());
        let e = DecisionInput { result: Some("da_thu_hoi".into()), ..Default::default() }
            .validate(None, today)
            .unwrap_err();
        assert!(e.get("result").is_some());
        let ok = DecisionInput {
            result: Some("chua_dat".into()),
            decision_no: Some("12/QĐ-UBND".into()),
            decided_on: Some("2026-11-20".into()),
            authority: Some("UBND phường".into()),
            ..Default::default()
        }
        .validate(Some(d(2026, 10, 30)), today)
        .unwrap();
        assert!(!ok.recognised);
    }

    #[test]
    fn recognition_rates() {
        let t = |k: &str, s: &str, n| (k.to_string(), s.to_string(), n);
        let totals = [t("56", "khu_dan_cu", 10), t("56", "xa", 4), t("01", "khu_dan_cu", 5)];
        let counts =
            [("56".to_string(), "khu_dan_cu".to_string(), 8, 6), ("01".to_string(), "khu_dan_cu".to_string(), 5, 5)];
        let (rows, totals) = recognition_rows(&totals, &counts, |k| format!("Tỉnh {k}"));
        let kdc56 = rows.iter().find(|r| r.key == "56" && r.subject == AnttSubject::KhuDanCu).unwrap();
        assert_eq!(
            (kdc56.registered_pct, kdc56.recognised_of_registered_pct, kdc56.recognised_pct),
            (80.0, 75.0, 60.0)
        );
        let kdc = totals.iter().find(|r| r.subject == AnttSubject::KhuDanCu).unwrap();
        assert_eq!((kdc.total, kdc.registered, kdc.recognised), (15, 13, 11));
        assert_eq!(totals.len(), AnttSubject::ALL.len());
        assert_eq!(rows.iter().find(|r| r.subject == AnttSubject::Xa).unwrap().recognised_pct, 0.0);
    }

    #[test]
    fn commune_conditions_name_what_fails() {
        let c = CommuneConditions::evaluate(10, 10, 7, 1, (100, 70));
        assert!(c.met, "{c:?}");
        let c = CommuneConditions::evaluate(10, 9, 6, 0, (100, 70));
        assert_eq!(c.failures.len(), 3, "{c:?}");
        assert!(c.failures[0].contains("9/10") && c.failures[1].contains("60%") && c.failures[2].contains("mô hình"));
    }
}
