//! The yearly rating of models (C4; HD 22/HD-BCA-V05): rounds, versioned criteria sets, the
//! per-unit submission workflow (DHIS2-style approval and locking) and the follow-up of
//! models rated "cần thanh loại".

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::labelled_enum;
use crate::rules::required_date;
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

labelled_enum!(
    /// A model's yearly rating.
    RatingLevel {
        Tot = "tot", "Tốt";
        Kha = "kha", "Khá";
        TrungBinh = "trung_binh", "Trung bình";
        CanThanhLoai = "can_thanh_loai", "Cần thanh loại";
        ChuaDanhGia = "chua_danh_gia", "Chưa đánh giá";
    }
);

labelled_enum!(
    /// Where one unit (a commune, or the province for province-level models) is in a round.
    SheetState {
        DangDanhGia = "dang_danh_gia", "Đang đánh giá";
        DaNop = "da_nop", "Đã nộp, chờ duyệt";
        TraLai = "tra_lai", "Bị trả lại";
        DaDuyet = "da_duyet", "Đã duyệt (khoá)";
    }
);

labelled_enum!(
    /// Where a rating round is.
    RoundState {
        Open = "open", "Đang thực hiện";
        Approved = "approved", "Đã duyệt toàn đợt";
    }
);

labelled_enum!(
    /// What is done with a model rated "cần thanh loại".
    FollowUpDecision {
        CungCo = "cung_co", "Củng cố";
        ThanhLoai = "thanh_loai", "Thanh loại";
    }
);

labelled_enum!(
    /// What the subject of a criteria set is.
    CriteriaSubject {
        Model = "model", "Xếp loại mô hình";
        AnttKhuDanCu = "antt_khu_dan_cu", "«An toàn về ANTT» — khu dân cư";
        AnttXa = "antt_xa", "«An toàn về ANTT» — xã, phường, đặc khu";
        AnttCoQuanDoanhNghiep = "antt_co_quan_doanh_nghiep", "«An toàn về ANTT» — cơ quan, doanh nghiệp";
        AnttCoSoGiaoDuc = "antt_co_so_giao_duc", "«An toàn về ANTT» — cơ sở giáo dục";
        PtKhuDanCu = "pt_khu_dan_cu", "Phân loại phong trào — khu dân cư";
        PtXa = "pt_xa", "Phân loại phong trào — xã, phường, đặc khu";
        PtCoSo = "pt_co_so", "Phân loại phong trào — cơ quan, doanh nghiệp, cơ sở giáo dục";
    }
);

/// A step of the sheet workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetAction {
    /// The commune officer submits the sheet.
    Submit,
    /// The province officer sends it back with a comment.
    Return,
    /// The province officer approves (locks) it.
    Approve,
    /// The province officer unlocks an approved sheet, with a reason.
    Unlock,
}

impl SheetState {
    /// Whether ratings may still be entered or changed.
    pub fn editable(self) -> bool {
        matches!(self, SheetState::DangDanhGia | SheetState::TraLai)
    }

    /// The state after `action`, or why it is not allowed.
    pub fn apply(self, action: SheetAction) -> Result<SheetState, String> {
        use SheetAction::*;
        use SheetState::*;
        match (self, action) {
            (DangDanhGia | TraLai, Submit) => Ok(DaNop),
            (DaNop, Return) => Ok(TraLai),
            (DaNop, Approve) => Ok(DaDuyet),
            (DaDuyet, Unlock) => Ok(DangDanhGia),
            (DaDuyet, _) => {
                Err("Kết quả xếp loại của đơn vị đã được duyệt và khoá; phải mở khoá (nêu lý do) trước.".into())
            }
            (DaNop, Submit) => Err("Đơn vị đã nộp kết quả xếp loại, đang chờ duyệt.".into()),
            (DangDanhGia | TraLai, Return | Approve) => {
                Err("Đơn vị chưa nộp kết quả xếp loại nên chưa thể duyệt hoặc trả lại.".into())
            }
            (_, Unlock) => Err("Chỉ mở khoá được kết quả đã duyệt.".into()),
        }
    }
}

/// One criterion of a set.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Criterion {
    /// Stable code within the set (e.g. `HD22.1`).
    pub code: String,
    /// What is checked.
    pub text: String,
    /// Points when met.
    pub points: i64,
}

/// A version of a criteria set.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CriteriaSet {
    /// Row id.
    pub id: i64,
    /// Subject.
    pub subject: CriteriaSubject,
    /// Model type it is for (`None`: every type without a set of its own).
    pub model_type_id: Option<i64>,
    /// Province (`None`: national).
    pub province_code: Option<String>,
    /// Version number (1, 2 …) within subject, type and province.
    pub version: i64,
    /// Name.
    pub name: String,
    /// Legal basis.
    pub legal_basis: String,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity.
    pub valid_to: Option<NaiveDate>,
    /// Criteria in order.
    pub criteria: Vec<Criterion>,
}

impl CriteriaSet {
    /// Highest possible score.
    pub fn max_points(&self) -> i64 {
        self.criteria.iter().map(|c| c.points).sum()
    }

    /// Whether the version is valid on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|t| day <= t)
    }
}

/// The set of `subject` that applies to a model type (for model ratings) in a province on a
/// day: the most specific valid one (province and type, then type, then province, then
/// national), the latest version first.
pub fn set_for<'a>(
    sets: &'a [CriteriaSet],
    subject: CriteriaSubject,
    model_type: Option<i64>,
    province: &str,
    day: NaiveDate,
) -> Option<&'a CriteriaSet> {
    let rank = |s: &CriteriaSet| match (s.model_type_id, s.province_code.as_deref()) {
        (Some(t), Some(p)) if Some(t) == model_type && p == province => Some(0),
        (Some(t), None) if Some(t) == model_type => Some(1),
        (None, Some(p)) if p == province => Some(2),
        (None, None) => Some(3),
        _ => None,
    };
    sets.iter()
        .filter(|s| s.subject == subject && s.valid_on(day))
        .filter_map(|s| rank(s).map(|r| (r, s)))
        .min_by_key(|(r, s)| (*r, -s.version))
        .map(|(_, s)| s)
}

/// A new version of a criteria set, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CriteriaSetInput {
    /// Subject code (default `model`).
    pub subject: Option<String>,
    /// Model type id (empty: every type; model sets only).
    pub model_type_id: Option<i64>,
    /// Province code (empty: national, administrators only).
    pub province_code: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Legal basis.
    pub legal_basis: Option<String>,
    /// First day of validity.
    pub valid_from: Option<String>,
    /// The criteria.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

/// A validated criteria set version (without id and version number).
#[derive(Clone, Debug, PartialEq)]
pub struct CriteriaSetFields {
    /// Subject.
    pub subject: CriteriaSubject,
    /// Model type.
    pub model_type_id: Option<i64>,
    /// Province.
    pub province_code: Option<String>,
    /// Name.
    pub name: String,
    /// Legal basis.
    pub legal_basis: String,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Criteria.
    pub criteria: Vec<Criterion>,
}

impl CriteriaSetInput {
    /// Checks the fields and every criterion (unique codes, points 0–100, at least one).
    pub fn validate(&self) -> Validated<CriteriaSetFields> {
        let mut e = FieldErrors::new();
        let subject = match self.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => CriteriaSubject::Model,
            Some(_) => choice(&mut e, "subject", "đối tượng", self.subject.as_deref(), CriteriaSubject::Model),
        };
        if subject != CriteriaSubject::Model && self.model_type_id.is_some() {
            e.add("model_type_id", "Chỉ bộ tiêu chí xếp loại mô hình mới gắn với loại mô hình.");
        }
        let name = required_text(&mut e, "name", "Tên bộ tiêu chí", self.name.as_deref().unwrap_or(""), 300);
        let legal_basis =
            required_text(&mut e, "legal_basis", "Căn cứ pháp lý", self.legal_basis.as_deref().unwrap_or(""), 300);
        let valid_from = required_date(&mut e, "valid_from", "Ngày bắt đầu áp dụng", self.valid_from.as_deref());
        let mut criteria: Vec<Criterion> = Vec::new();
        if self.criteria.is_empty() {
            e.add("criteria", "Bộ tiêu chí phải có ít nhất một tiêu chí.");
        }
        for (i, c) in self.criteria.iter().enumerate() {
            let n = i + 1;
            let code = c.code.trim().to_string();
            let text = c.text.trim().to_string();
            if code.is_empty() || code.chars().count() > 40 || code.chars().any(|ch| ch.is_whitespace()) {
                e.add("criteria", format!("Tiêu chí thứ {n}: mã phải có 1–40 ký tự, không có khoảng trắng."));
            } else if criteria.iter().any(|x| x.code == code) {
                e.add("criteria", format!("Tiêu chí thứ {n}: mã «{code}» bị trùng."));
            }
            if text.is_empty() || text.chars().count() > 1000 {
                e.add("criteria", format!("Tiêu chí thứ {n}: nội dung phải có 1–1000 ký tự."));
            }
            if !(0..=100).contains(&c.points) {
                e.add("criteria", format!("Tiêu chí thứ {n}: điểm phải từ 0 đến 100."));
            }
            criteria.push(Criterion { code, text, points: c.points });
        }
        let province_code = self.province_code.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(Into::into);
        match valid_from {
            Some(valid_from) if e.is_empty() => Ok(CriteriaSetFields {
                subject,
                model_type_id: self.model_type_id,
                province_code,
                name,
                legal_basis,
                valid_from,
                criteria,
            }),
            _ => Err(e),
        }
    }
}

/// Parses criteria written one per line as `code | points | text` (the form's text area).
pub fn parse_criteria_lines(text: &str) -> Result<Vec<Criterion>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
        let [code, points, text] = parts[..] else {
            return Err(format!("Dòng {}: cần viết «mã | điểm | nội dung».", i + 1));
        };
        let points = points.parse().map_err(|_| format!("Dòng {}: điểm «{points}» không phải số nguyên.", i + 1))?;
        out.push(Criterion { code: code.into(), text: text.into(), points });
    }
    Ok(out)
}

/// A new rating round, as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RoundInput {
    /// Province code.
    pub province_code: Option<String>,
    /// The year rated.
    pub year: Option<i32>,
    /// First day of the window (default: from the rule `model_rating_window`).
    pub window_from: Option<String>,
    /// Last day of the window.
    pub window_to: Option<String>,
    /// Deadline for communes to submit.
    pub deadline: Option<String>,
}

/// A validated round.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundFields {
    /// Year.
    pub year: i32,
    /// Window start.
    pub window_from: NaiveDate,
    /// Window end.
    pub window_to: NaiveDate,
    /// Deadline.
    pub deadline: NaiveDate,
}

impl RoundInput {
    /// Checks year and dates; `default_window` fills missing window dates.
    pub fn validate(&self, today: NaiveDate, default_window: Option<(NaiveDate, NaiveDate)>) -> Validated<RoundFields> {
        let mut e = FieldErrors::new();
        let year = match self.year {
            Some(y) if (2000..=today.year() + 1).contains(&y) => Some(y),
            Some(y) => {
                e.add("year", format!("Năm {y} không hợp lệ (từ 2000 đến {}).", today.year() + 1));
                None
            }
            None => {
                e.add("year", "Chưa nhập năm xếp loại.");
                None
            }
        };
        let blank = |s: &Option<String>| s.as_deref().map(str::trim).is_none_or(str::is_empty);
        let (from, to) = match (blank(&self.window_from), blank(&self.window_to), default_window) {
            (true, true, Some((a, b))) => (Some(a), Some(b)),
            _ => (
                required_date(&mut e, "window_from", "Ngày bắt đầu kỳ", self.window_from.as_deref()),
                required_date(&mut e, "window_to", "Ngày kết thúc kỳ", self.window_to.as_deref()),
            ),
        };
        let deadline = if blank(&self.deadline) {
            to
        } else {
            required_date(&mut e, "deadline", "Hạn nộp", self.deadline.as_deref())
        };
        if let (Some(a), Some(b)) = (from, to)
            && a >= b
        {
            e.add("window_to", "Ngày kết thúc kỳ phải sau ngày bắt đầu.");
        }
        if let (Some(a), Some(d)) = (from, deadline)
            && d < a
        {
            e.add("deadline", "Hạn nộp không được trước ngày bắt đầu kỳ.");
        }
        match (year, from, to, deadline) {
            (Some(year), Some(window_from), Some(window_to), Some(deadline)) if e.is_empty() => {
                Ok(RoundFields { year, window_from, window_to, deadline })
            }
            _ => Err(e),
        }
    }
}

/// A rating as entered (form, API or a row of the import file).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RatingInput {
    /// The model rated.
    pub model_id: Option<i64>,
    /// The site rated (empty: the model itself).
    pub site_id: Option<i64>,
    /// Rating code or label: tot, kha, trung_binh, can_thanh_loai, chua_danh_gia.
    pub rating: Option<String>,
    /// Criteria met, by criterion code.
    #[serde(default)]
    pub checklist: BTreeMap<String, bool>,
    /// Note (required for a manual "chưa đánh giá").
    pub note: Option<String>,
}

/// A validated rating.
#[derive(Clone, Debug, PartialEq)]
pub struct RatingFields {
    /// Rating.
    pub rating: RatingLevel,
    /// Criteria met.
    pub checklist: BTreeMap<String, bool>,
    /// Points of the criteria met.
    pub score: i64,
    /// Note or reason.
    pub note: Option<String>,
}

impl RatingInput {
    /// Checks the rating against the scale and the checklist against `set`. `forced` holds the
    /// reason when the target must be "chưa đánh giá" (it has not operated long enough).
    pub fn validate(&self, set: Option<&CriteriaSet>, forced: Option<&str>) -> Validated<RatingFields> {
        let mut e = FieldErrors::new();
        let rating = choice(&mut e, "rating", "mức xếp loại", self.rating.as_deref(), RatingLevel::ChuaDanhGia);
        let mut note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        if let Some(reason) = forced {
            if e.is_empty() && rating != RatingLevel::ChuaDanhGia {
                e.add("rating", format!("Chỉ được xếp «Chưa đánh giá»: {reason}"));
            }
            note = note.or_else(|| Some(reason.to_string()));
        } else if rating == RatingLevel::ChuaDanhGia && note.is_none() && e.is_empty() {
            e.add("note", "Xếp «Chưa đánh giá» phải ghi lý do.");
        }
        let mut score = 0;
        for (code, met) in &self.checklist {
            match set.and_then(|s| s.criteria.iter().find(|c| &c.code == code)) {
                Some(c) if *met => score += c.points,
                Some(_) => {}
                None => e.add("checklist", format!("Tiêu chí «{code}» không có trong bộ tiêu chí của đợt.")),
            }
        }
        let checklist = self.checklist.iter().filter(|(_, m)| **m).map(|(k, v)| (k.clone(), *v)).collect();
        e.into_result(RatingFields { rating, checklist, score, note })
    }
}

/// The decision on a model rated "cần thanh loại", as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FollowUpInput {
    /// `cung_co` (consolidate) or `thanh_loai` (eliminate).
    pub decision: Option<String>,
    /// Date of the decision.
    pub on_date: Option<String>,
    /// Date by which consolidation is planned (required to consolidate).
    pub plan_date: Option<String>,
    /// Decision number (required to eliminate).
    pub decision_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A validated follow-up decision.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp {
    /// Decision.
    pub decision: FollowUpDecision,
    /// Date.
    pub on_date: NaiveDate,
    /// Planned date of consolidation.
    pub plan_date: Option<NaiveDate>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl FollowUpInput {
    /// Checks the decision and the fields it needs.
    pub fn validate(&self, today: NaiveDate) -> Validated<FollowUp> {
        let mut e = FieldErrors::new();
        let decision = choice(&mut e, "decision", "hướng xử lý", self.decision.as_deref(), FollowUpDecision::CungCo);
        let on_date = required_date(&mut e, "on_date", "Ngày quyết định", self.on_date.as_deref());
        if on_date.is_some_and(|d| d > today) {
            e.add("on_date", "Ngày quyết định không được sau ngày hôm nay.");
        }
        let plan_date = match self.plan_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(_) => required_date(&mut e, "plan_date", "Ngày hoàn thành củng cố", self.plan_date.as_deref()),
            None => None,
        };
        let decision_no = optional_text(&mut e, "decision_no", "Số quyết định", self.decision_no.as_deref(), 100);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        if e.0.contains_key("decision") {
            return Err(e);
        }
        match decision {
            FollowUpDecision::CungCo if plan_date.is_none() && !e.0.contains_key("plan_date") => {
                e.add("plan_date", "Củng cố mô hình phải có ngày dự kiến hoàn thành.")
            }
            FollowUpDecision::ThanhLoai if decision_no.is_none() => {
                e.add("decision_no", "Thanh loại mô hình phải có số quyết định.")
            }
            _ => {}
        }
        if let (Some(p), Some(d)) = (plan_date, on_date)
            && p <= d
        {
            e.add("plan_date", "Ngày hoàn thành củng cố phải sau ngày quyết định.");
        }
        match on_date {
            Some(on_date) if e.is_empty() => Ok(FollowUp { decision, on_date, plan_date, decision_no, note }),
            _ => Err(e),
        }
    }
}

/// A rating round of a province and year.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Round {
    /// Row id.
    pub id: i64,
    /// Province.
    pub province_code: String,
    /// Year rated.
    pub year: i32,
    /// Window start.
    pub window_from: NaiveDate,
    /// Window end (the day criteria sets and minimum operating time are read at).
    pub window_to: NaiveDate,
    /// Deadline for communes.
    pub deadline: NaiveDate,
    /// State.
    pub state: RoundState,
    /// Note of the approval (required when some communes had not submitted).
    pub approved_note: Option<String>,
    /// Who approved.
    pub approved_by: Option<String>,
    /// When.
    pub approved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who opened the round.
    pub created_by: String,
}

/// One unit's sheet in a round.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Sheet {
    /// Round.
    pub round_id: i64,
    /// The commune, or the province for province-level models.
    pub unit_code: String,
    /// Province.
    pub province_code: String,
    /// Commune (`None` for the province's own sheet).
    pub commune_code: Option<String>,
    /// State.
    pub state: SheetState,
    /// Comment of the last return, approval or unlock.
    pub comment: Option<String>,
    /// Who submitted.
    pub submitted_by: Option<String>,
    /// When.
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who reviewed last.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Ratings entered.
    pub rated: i64,
}

/// A stored rating.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Rating {
    /// Row id.
    pub id: i64,
    /// Round.
    pub round_id: i64,
    /// Year.
    pub year: i32,
    /// Sheet unit.
    pub unit_code: String,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Model.
    pub model_id: i64,
    /// Model name.
    pub model_name: String,
    /// Site (`None`: the model itself).
    pub site_id: Option<i64>,
    /// Site name.
    pub site_name: Option<String>,
    /// Model type at rating time.
    pub type_id: i64,
    /// Rating.
    pub rating: RatingLevel,
    /// Criteria met.
    pub checklist: BTreeMap<String, bool>,
    /// Points of the criteria met.
    pub score: i64,
    /// Criteria set version used.
    pub criteria_set_id: Option<i64>,
    /// Note or reason.
    pub note: Option<String>,
    /// Whether the sheet is approved.
    pub approved: bool,
    /// Follow-up decision (for "cần thanh loại").
    pub follow_up: Option<FollowUpDecision>,
    /// Date of the follow-up decision.
    pub follow_up_on: Option<NaiveDate>,
    /// Planned end of consolidation.
    pub follow_up_plan: Option<NaiveDate>,
    /// Decision number of an elimination.
    pub follow_up_decision: Option<String>,
    /// Who rated.
    pub rated_by: String,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A model or site a sheet must rate.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Target {
    /// Model.
    pub model_id: i64,
    /// Site (`None`: the model itself).
    pub site_id: Option<i64>,
    /// Model name.
    pub model_name: String,
    /// Site name.
    pub site_name: Option<String>,
    /// Model type.
    pub type_id: i64,
    /// Type name.
    pub type_name: String,
    /// Since when it operates (launch, or the site's start).
    pub operating_since: Option<NaiveDate>,
    /// Why only "chưa đánh giá" is possible (operated less than the minimum).
    pub forced_reason: Option<String>,
    /// The criteria set that applies.
    pub criteria_set_id: Option<i64>,
    /// The rating the score of the entered checklist suggests (rule `model_rating_bands`).
    pub suggested: Option<RatingLevel>,
    /// The rating entered so far.
    pub rating: Option<Rating>,
}

/// A sheet with what it must rate.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SheetView {
    /// The round.
    pub round: Round,
    /// The sheet.
    pub sheet: Sheet,
    /// Models and sites with their ratings so far.
    pub targets: Vec<Target>,
    /// The criteria sets the targets use.
    pub criteria_sets: Vec<CriteriaSet>,
    /// Minimum operating months (rule `model_min_months`).
    pub min_months: i64,
}

/// One row of the ratings pivot: counts per rating (in [`RatingLevel::ALL`] order) for the
/// year and the previous year.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PivotRow {
    /// Group key (province or commune code, type id).
    pub key: String,
    /// Readable label.
    pub label: String,
    /// Ratings of the year, per level.
    pub counts: Vec<i64>,
    /// Sum of `counts`.
    pub total: i64,
    /// Ratings of the previous year, per level.
    pub previous: Vec<i64>,
    /// Sum of `previous`.
    pub previous_total: i64,
    /// `counts - previous`, per level.
    pub change: Vec<i64>,
    /// `total - previous_total`.
    pub total_change: i64,
}

/// Approved model ratings of a year by place or type × rating, with the previous year.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RatingsPivot {
    /// Year.
    pub year: i32,
    /// Grouping: `province`, `commune` or `type`.
    pub by: String,
    /// The rating of each count column.
    pub columns: Vec<RatingLevel>,
    /// Rows, by label.
    pub rows: Vec<PivotRow>,
    /// Column totals.
    pub total: PivotRow,
}

/// Builds pivot rows from `(key, rating code, count)` triples of the year and the previous
/// year; `label` names a key. Rows are sorted by label; the last value is the totals row.
pub fn pivot_rows(
    current: &[(String, String, i64)],
    previous: &[(String, String, i64)],
    label: impl Fn(&str) -> String,
) -> (Vec<PivotRow>, PivotRow) {
    let n = RatingLevel::ALL.len();
    let idx = |code: &str| RatingLevel::from_code(code).and_then(|r| RatingLevel::ALL.iter().position(|x| *x == r));
    let mut rows: BTreeMap<String, PivotRow> = BTreeMap::new();
    let blank = |k: &str| PivotRow { key: k.into(), counts: vec![0; n], previous: vec![0; n], ..Default::default() };
    for (set, is_current) in [(current, true), (previous, false)] {
        for (k, code, c) in set {
            let Some(i) = idx(code) else { continue };
            let row = rows.entry(k.clone()).or_insert_with(|| blank(k));
            if is_current { row.counts[i] += c } else { row.previous[i] += c }
        }
    }
    let mut total = PivotRow { label: "Tổng cộng".into(), ..blank("") };
    let mut out: Vec<PivotRow> = rows
        .into_values()
        .map(|mut r| {
            r.label = label(&r.key);
            r.total = r.counts.iter().sum();
            r.previous_total = r.previous.iter().sum();
            r.change = r.counts.iter().zip(&r.previous).map(|(a, b)| a - b).collect();
            r.total_change = r.total - r.previous_total;
            for i in 0..n {
                total.counts[i] += r.counts[i];
                total.previous[i] += r.previous[i];
            }
            r
        })
        .collect();
    total.total = total.counts.iter().sum();
    total.previous_total = total.previous.iter().sum();
    total.change = total.counts.iter().zip(&total.previous).map(|(a, b)| a - b).collect();
    total.total_change = total.total - total.previous_total;
    out.sort_by_cached_key(|r| crate::text::fold(&r.label));
    (out, total)
}

/// Why a target that has operated `months` (< `min`) months must be "chưa đánh giá".
pub fn too_young(since: Option<NaiveDate>, until: NaiveDate, min: i64) -> Option<String> {
    let since = since?;
    let months = crate::rules::months_between(since, until);
    (months < min).then(|| {
        format!(
            "mới hoạt động {months} tháng (từ {}), chưa đủ {min} tháng tính đến {}.",
            since.format("%d/%m/%Y"),
            until.format("%d/%m/%Y")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn sheet_workflow_allows_only_its_steps() {
        use SheetAction::*;
        use SheetState::*;
        let all = [Submit, Return, Approve, Unlock];
        let allowed = [
            (DangDanhGia, Submit, DaNop),
            (TraLai, Submit, DaNop),
            (DaNop, Return, TraLai),
            (DaNop, Approve, DaDuyet),
            (DaDuyet, Unlock, DangDanhGia),
        ];
        for from in SheetState::ALL {
            for a in all {
                let expected = allowed.iter().find(|(f, x, _)| f == from && *x == a).map(|t| t.2);
                match (from.apply(a), expected) {
                    (Ok(to), Some(e)) => assert_eq!(to, e),
                    (Err(msg), None) => assert!(!msg.is_empty()),
                    (got, want) => panic!("{from:?} {a:?}: {got:?}, expected {want:?}"),
                }
            }
        }
        assert!(DangDanhGia.editable() && TraLai.editable() && !DaNop.editable() && !DaDuyet.editable());
    }

    fn set() -> CriteriaSet {
        CriteriaSet {
            id: 1,
            subject: CriteriaSubject::Model,
            model_type_id: None,
            province_code: None,
            version: 1,
            name: "Chung".into(),
            legal_basis: "HD 22".into(),
            valid_from: d(2022, 1, 1),
            valid_to: None,
            criteria: vec![
                Criterion { code: "a".into(), text: "A".into(), points: 60 },
                Criterion { code: "b".into(), text: "B".into(), points: 40 },
            ],
        }
    }

    #[test]
    fn ratings_are_checked_against_scale_and_checklist() {
        let s = set();
        let ok = RatingInput {
            rating: Some("Khá".into()),
            checklist: [("a".to_string(), true), ("b".to_string(), false)].into(),
            ..Default::default()
        }
        .validate(Some(&s), None)
        .unwrap();
        assert_eq!((ok.rating, ok.score), (RatingLevel::Kha, 60));
        let e = RatingInput { rating: Some("xuất sắc".into()), ..Default::default() }.validate(Some(&s), None);
        assert!(e.unwrap_err().get("rating").unwrap().contains("Tốt"));
        let e = RatingInput {
            rating: Some("tot".into()),
            checklist: [("z".to_string(), true)].into(),
            ..Default::default()
        }
        .validate(Some(&s), None);
        assert!(e.unwrap_err().get("checklist").is_some());
        let e = RatingInput { rating: Some("chua_danh_gia".into()), ..Default::default() }.validate(Some(&s), None);
        assert!(e.unwrap_err().get("note").is_some());
        let forced =
            RatingInput { rating: Some("tot".into()), ..Default::default() }.validate(Some(&s), Some("mới 3 tháng"));
        assert!(forced.unwrap_err().get("rating").unwrap().contains("mới 3 tháng"));
        let auto = RatingInput { rating: Some("chua_danh_gia".into()), ..Default::default() }
            .validate(Some(&s), Some("mới 3 tháng"))
            .unwrap();
        assert_eq!(auto.note.as_deref(), Some("mới 3 tháng"));
    }

    #[test]
    fn most_specific_valid_set_applies() {
        let mut national = set();
        let mut typed = CriteriaSet { id: 2, model_type_id: Some(7), ..set() };
        let v2 = CriteriaSet { id: 3, version: 2, valid_from: d(2026, 1, 1), ..set() };
        national.valid_to = Some(d(2025, 12, 31));
        typed.province_code = Some("56".into());
        let sets = vec![national, typed, v2];
        let m = CriteriaSubject::Model;
        assert_eq!(set_for(&sets, m, Some(7), "56", d(2025, 5, 1)).unwrap().id, 2);
        assert_eq!(set_for(&sets, m, Some(8), "56", d(2025, 5, 1)).unwrap().id, 1);
        assert_eq!(set_for(&sets, m, Some(8), "56", d(2026, 5, 1)).unwrap().id, 3);
        assert!(set_for(&sets, m, Some(8), "56", d(2021, 5, 1)).is_none());
        assert!(set_for(&sets, CriteriaSubject::AnttXa, None, "56", d(2025, 5, 1)).is_none());
    }

    #[test]
    fn rounds_and_follow_ups_are_checked() {
        let today = d(2026, 11, 23);
        let r = RoundInput { year: Some(2026), ..Default::default() }
            .validate(today, Some((d(2025, 11, 16), d(2026, 11, 15))))
            .unwrap();
        assert_eq!((r.window_from, r.deadline), (d(2025, 11, 16), d(2026, 11, 15)));
        let e = RoundInput {
            year: Some(2026),
            window_from: Some("2026-05-01".into()),
            window_to: Some("2026-01-01".into()),
            ..Default::default()
        }
        .validate(today, None)
        .unwrap_err();
        assert!(e.get("window_to").is_some());
        assert!(RoundInput { year: Some(1990), ..Default::default() }.validate(today, None).is_err());
        let e = FollowUpInput {
            decision: Some("thanh_loai".into()),
            on_date: Some("2026-11-01".into()),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        assert!(e.get("decision_no").is_some());
        let e = FollowUpInput {
            decision: Some("cung_co".into()),
            on_date: Some("2026-11-01".into()),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        assert!(e.get("plan_date").is_some());
        let ok = FollowUpInput {
            decision: Some("cung_co".into()),
            on_date: Some("2026-11-01".into()),
            plan_date: Some("2027-03-31".into()),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        assert_eq!(ok.decision, FollowUpDecision::CungCo);
    }

    #[test]
    fn pivot_adds_up_and_compares_years() {
        let t = |k: &str, r: &str, n| (k.to_string(), r.to_string(), n);
        let cur = [t("56", "tot", 3), t("56", "kha", 2), t("01", "can_thanh_loai", 1), t("01", "bogus", 9)];
        let prev = [t("56", "tot", 1), t("79", "kha", 4)];
        let (rows, total) = pivot_rows(&cur, &prev, |k| format!("Tỉnh {k}"));
        assert_eq!(rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["01", "56", "79"]);
        let r56 = &rows[1];
        assert_eq!((r56.counts[0], r56.counts[1], r56.total, r56.previous_total, r56.change[0]), (3, 2, 5, 1, 2));
        assert_eq!((rows[2].total, rows[2].total_change), (0, -4));
        assert_eq!((total.total, total.previous_total, total.total_change), (6, 5, 1));
        assert_eq!(total.counts.iter().sum::<i64>(), rows.iter().map(|r| r.total).sum::<i64>());
    }

    #[test]
    fn criteria_lines_parse() {
        let c = parse_criteria_lines("a | 10 | Có kế hoạch\n\nb|5|Có sổ sách").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].points, 5);
        assert!(parse_criteria_lines("a | mười | x").unwrap_err().contains("Dòng 1"));
    }
}
