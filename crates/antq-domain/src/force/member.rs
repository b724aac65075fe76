//! A membership of a person in a Tổ bảo vệ ANTT: the person's particulars, role, dossier,
//! recognition decision, badge and certificate, and termination with its legal ground.
//! The citizen id number is personal data: the application seals it, keeps its last four
//! digits for display and a keyed hash to find the same person; this type only carries
//! the masked form.

use chrono::NaiveDate;

use super::clock::{ClockRules, Deadline, add_days};
use super::team::{allowed_action, step_date};
use super::{Education, MemberRole, MemberState, PriorService, Sex, TerminationGround, parse_citizen_id};
use crate::calendar::WorkCalendar;
use crate::ids::{ForceTeamId, MemberId};
use crate::model::{optional_past_date, parse_date};
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

/// A membership as stored (the citizen id masked).
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Member {
    /// Id.
    pub id: MemberId,
    /// Team.
    pub team_id: ForceTeamId,
    /// Team name.
    pub team_name: String,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: String,
    /// Full name.
    pub full_name: String,
    /// Date of birth.
    pub born_on: NaiveDate,
    /// Sex.
    pub sex: Sex,
    /// Citizen id number, masked (`••••••••1234`).
    pub citizen_id_masked: String,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Education.
    pub education: Education,
    /// Date of the health certificate.
    pub health_cert_on: Option<NaiveDate>,
    /// Residing in the commune since.
    pub resident_since: Option<NaiveDate>,
    /// Service before joining.
    pub prior_service: PriorService,
    /// Months of that service.
    pub prior_months: i64,
    /// Of which in especially difficult, border or island areas.
    pub prior_special_months: i64,
    /// Chairman's decision allowing a person over the age limit.
    pub over_age_decision: Option<String>,
    /// Role.
    pub role: MemberRole,
    /// State.
    pub state: MemberState,
    /// Day the application was filed.
    pub applied_on: NaiveDate,
    /// Day of the selection minutes.
    pub selection_on: Option<NaiveDate>,
    /// Day commune police proposed the recognition (Mẫu 05).
    pub proposed_on: Option<NaiveDate>,
    /// Recognition decision number.
    pub decision_no: Option<String>,
    /// Recognition date.
    pub decided_on: Option<NaiveDate>,
    /// Signer of the recognition.
    pub signer: Option<String>,
    /// Day the recognition was posted.
    pub posted_on: Option<NaiveDate>,
    /// Badge (biển hiệu) number.
    pub badge_no: Option<String>,
    /// Certificate (giấy chứng nhận) number.
    pub certificate_no: Option<String>,
    /// Day a termination was requested (application or proposal).
    pub termination_requested_on: Option<NaiveDate>,
    /// Ground of the termination.
    pub termination_ground: Option<TerminationGround>,
    /// Termination decision number.
    pub termination_decision_no: Option<String>,
    /// Last day of membership.
    pub terminated_on: Option<NaiveDate>,
    /// Why the application was not recognised.
    pub rejection_reason: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Member {
    /// What is due next and by when.
    pub fn deadline(&self, rules: &ClockRules, cal: &WorkCalendar, today: NaiveDate) -> Option<Deadline> {
        match self.state {
            MemberState::DaXetTuyen => self.selection_on.map(|s| {
                Deadline::new("Công an xã đề nghị công nhận (Mẫu 05)", add_days(s, rules.proposal_days), today)
            }),
            MemberState::ChoQuyetDinh => self.proposed_on.map(|p| {
                Deadline::new("Chủ tịch UBND xã quyết định công nhận (Mẫu 08)", add_days(p, rules.decision_days), today)
            }),
            MemberState::DangThamGia => self.termination_requested_on.map(|r| {
                Deadline::new(
                    "Quyết định cho thôi tham gia",
                    cal.add_working_days(r, rules.terminate_working_days),
                    today,
                )
            }),
            _ => None,
        }
    }

    /// Months of membership until `until` (from recognition to termination).
    pub fn months_served(&self, until: NaiveDate) -> i64 {
        match self.decided_on {
            Some(from) if self.state == MemberState::DangThamGia || self.state == MemberState::ThoiThamGia => {
                let end = self.terminated_on.map_or(until, |t| t.min(until));
                crate::rules::months_between(from, end)
            }
            _ => 0,
        }
    }
}

/// The fields of a member, as typed (form, JSON, import row).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MemberInput {
    /// Team id (on creation; a PATCH may move an applicant to another team of the commune).
    pub team_id: Option<i64>,
    /// Full name.
    pub full_name: Option<String>,
    /// Date of birth.
    pub born_on: Option<String>,
    /// `nam` or `nu`.
    pub sex: Option<String>,
    /// Citizen id number, 12 digits (required on creation; absent in a PATCH keeps it).
    pub citizen_id: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Education code or label.
    pub education: Option<String>,
    /// Date of the health certificate.
    pub health_cert_on: Option<String>,
    /// Residing in the commune since.
    pub resident_since: Option<String>,
    /// Prior service code or label.
    pub prior_service: Option<String>,
    /// Months of prior service.
    pub prior_months: Option<i64>,
    /// Of which in especially difficult, border or island areas.
    pub prior_special_months: Option<i64>,
    /// Chairman's decision allowing a person over the age limit.
    pub over_age_decision: Option<String>,
    /// Role code or label.
    pub role: Option<String>,
    /// Day the application was filed (default today).
    pub applied_on: Option<String>,
    /// Recording a member already recognised: the decision number…
    pub decision_no: Option<String>,
    /// …its date…
    pub decided_on: Option<String>,
    /// …and signer.
    pub signer: Option<String>,
    /// Badge number.
    pub badge_no: Option<String>,
    /// Certificate number.
    pub certificate_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// Validated member fields.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MemberFields {
    /// Team.
    pub team_id: Option<ForceTeamId>,
    /// Full name.
    pub full_name: String,
    /// Date of birth.
    pub born_on: NaiveDate,
    /// Sex.
    pub sex: Sex,
    /// Citizen id (never serialised into audit entries).
    #[serde(skip)]
    pub citizen_id: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Education.
    pub education: Education,
    /// Health certificate date.
    pub health_cert_on: Option<NaiveDate>,
    /// Resident since.
    pub resident_since: Option<NaiveDate>,
    /// Prior service.
    pub prior_service: PriorService,
    /// Months.
    pub prior_months: i64,
    /// Special months.
    pub prior_special_months: i64,
    /// Over-age decision.
    pub over_age_decision: Option<String>,
    /// Role.
    pub role: MemberRole,
    /// Application day.
    pub applied_on: NaiveDate,
    /// Already recognised: `(decision number, date, signer)`.
    pub recognised: Option<(String, NaiveDate, String)>,
    /// Badge.
    pub badge_no: Option<String>,
    /// Certificate.
    pub certificate_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl MemberFields {
    /// The day eligibility is checked at: the recognition of a recorded member, otherwise
    /// the application.
    pub fn entry_on(&self) -> NaiveDate {
        self.recognised.as_ref().map_or(self.applied_on, |r| r.1)
    }
}

fn required_past_date(
    e: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: Option<&str>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if raw.map(str::trim).is_none_or(str::is_empty) {
        e.add(field, format!("Chưa nhập {}.", label.to_lowercase()));
        return None;
    }
    optional_past_date(e, field, label, raw, today)
}

impl MemberInput {
    /// Checks what needs no database; `creating` makes the citizen id required.
    pub fn validate(&self, today: NaiveDate, creating: bool) -> Validated<MemberFields> {
        let mut e = FieldErrors::new();
        let full_name = required_text(&mut e, "full_name", "Họ và tên", self.full_name.as_deref().unwrap_or(""), 200);
        let born_on = required_past_date(&mut e, "born_on", "Ngày sinh", self.born_on.as_deref(), today);
        let sex = choice(&mut e, "sex", "giới tính", self.sex.as_deref(), Sex::Nam);
        let citizen_id = match self.citizen_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => match parse_citizen_id(raw) {
                Ok(c) => Some(c),
                Err(m) => {
                    e.add("citizen_id", m);
                    None
                }
            },
            None if creating => {
                e.add("citizen_id", "Chưa nhập số định danh cá nhân (CCCD).");
                None
            }
            None => None,
        };
        let address = optional_text(&mut e, "address", "Địa chỉ", self.address.as_deref(), 300);
        let phone = optional_text(&mut e, "phone", "Số điện thoại", self.phone.as_deref(), 30);
        if let Some(p) = &phone
            && !p.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-'))
        {
            e.add("phone", "Số điện thoại chỉ gồm chữ số.");
        }
        let education = choice(&mut e, "education", "trình độ học vấn", self.education.as_deref(), Education::Thcs);
        let health_cert_on = optional_past_date(
            &mut e,
            "health_cert_on",
            "Ngày giấy chứng nhận sức khỏe",
            self.health_cert_on.as_deref(),
            today,
        );
        let resident_since =
            optional_past_date(&mut e, "resident_since", "Ngày bắt đầu cư trú", self.resident_since.as_deref(), today);
        let prior_service = match self.prior_service.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => PriorService::Khong,
            Some(_) => choice(
                &mut e,
                "prior_service",
                "quá trình tham gia trước",
                self.prior_service.as_deref(),
                PriorService::Khong,
            ),
        };
        let prior_months = self.prior_months.unwrap_or(0);
        let prior_special_months = self.prior_special_months.unwrap_or(0);
        if !(0..=720).contains(&prior_months) {
            e.add("prior_months", "Số tháng tham gia trước phải từ 0 đến 720.");
        }
        if !(0..=prior_months.max(0)).contains(&prior_special_months) {
            e.add(
                "prior_special_months",
                "Số tháng ở vùng đặc biệt khó khăn không được âm hoặc lớn hơn tổng số tháng.",
            );
        }
        if prior_service == PriorService::Khong && prior_months > 0 {
            e.add("prior_service", "Có số tháng tham gia trước thì phải chọn lực lượng đã tham gia.");
        }
        let over_age_decision = optional_text(
            &mut e,
            "over_age_decision",
            "Quyết định cho phép trên tuổi",
            self.over_age_decision.as_deref(),
            100,
        );
        let role = choice(&mut e, "role", "vai trò", self.role.as_deref(), MemberRole::ToVien);
        let decision_no =
            optional_text(&mut e, "decision_no", "Số quyết định công nhận", self.decision_no.as_deref(), 100);
        let decided_on =
            optional_past_date(&mut e, "decided_on", "Ngày quyết định công nhận", self.decided_on.as_deref(), today);
        // Without a date, the application is filed today, or on the day of a recorded recognition.
        let applied_on = match self.applied_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(decided_on.unwrap_or(today)),
            Some(_) => optional_past_date(&mut e, "applied_on", "Ngày nộp hồ sơ", self.applied_on.as_deref(), today),
        };
        let signer = optional_text(&mut e, "signer", "Người ký", self.signer.as_deref(), 200);
        let recognised = match (decision_no, decided_on, signer) {
            (None, None, None) => None,
            (Some(n), Some(d), Some(s)) => Some((n, d, s)),
            (n, d, s) => {
                for (field, missing, label) in [
                    ("decision_no", n.is_none(), "số quyết định"),
                    ("decided_on", d.is_none(), "ngày quyết định"),
                    ("signer", s.is_none(), "người ký"),
                ] {
                    if missing {
                        e.add(field, format!("Ghi nhận thành viên đã được công nhận cần đủ số, ngày quyết định và người ký (thiếu {label})."));
                    }
                }
                None
            }
        };
        if let (Some(b), Some(a)) = (born_on, applied_on)
            && a < b
        {
            e.add("applied_on", "Ngày nộp hồ sơ không được trước ngày sinh.");
        }
        if let (Some(a), Some(d)) = (applied_on, decided_on)
            && d < a
        {
            e.add("decided_on", "Ngày quyết định công nhận không được trước ngày nộp hồ sơ.");
        }
        let badge_no = optional_text(&mut e, "badge_no", "Số biển hiệu", self.badge_no.as_deref(), 50);
        let certificate_no =
            optional_text(&mut e, "certificate_no", "Số giấy chứng nhận", self.certificate_no.as_deref(), 50);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        match (born_on, applied_on) {
            (Some(born_on), Some(applied_on)) if e.is_empty() => Ok(MemberFields {
                team_id: self.team_id.map(ForceTeamId),
                full_name,
                born_on,
                sex,
                citizen_id,
                address,
                phone,
                education,
                health_cert_on,
                resident_since,
                prior_service,
                prior_months,
                prior_special_months,
                over_age_decision,
                role,
                applied_on,
                recognised,
                badge_no,
                certificate_no,
                note,
            }),
            _ => Err(e),
        }
    }
}

impl From<&Member> for MemberInput {
    fn from(m: &Member) -> Self {
        let d = |v: Option<NaiveDate>| v.map(|d| d.to_string());
        MemberInput {
            team_id: Some(m.team_id.0),
            full_name: Some(m.full_name.clone()),
            born_on: Some(m.born_on.to_string()),
            sex: Some(m.sex.code().into()),
            citizen_id: None,
            address: m.address.clone(),
            phone: m.phone.clone(),
            education: Some(m.education.code().into()),
            health_cert_on: d(m.health_cert_on),
            resident_since: d(m.resident_since),
            prior_service: Some(m.prior_service.code().into()),
            prior_months: Some(m.prior_months),
            prior_special_months: Some(m.prior_special_months),
            over_age_decision: m.over_age_decision.clone(),
            role: Some(m.role.code().into()),
            applied_on: Some(m.applied_on.to_string()),
            decision_no: None,
            decided_on: None,
            signer: None,
            badge_no: m.badge_no.clone(),
            certificate_no: m.certificate_no.clone(),
            note: m.note.clone(),
        }
    }
}

/// A step of the membership workflow, as typed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MemberStepInput {
    /// `select`, `propose`, `recognise`, `reject`, `request_termination` or `terminate`.
    pub action: Option<String>,
    /// Day of the step.
    pub on_date: Option<String>,
    /// Decision number (recognise, terminate).
    pub decision_no: Option<String>,
    /// Signer (recognise, terminate).
    pub signer: Option<String>,
    /// Reason (reject).
    pub reason: Option<String>,
    /// Legal ground code (request_termination, terminate).
    pub ground: Option<String>,
    /// Day the recognition was posted (recognise).
    pub posted_on: Option<String>,
}

/// A validated membership step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberStep {
    /// Selected at the selection meeting (minutes).
    Select { on: NaiveDate },
    /// Proposed for recognition (Mẫu 05).
    Propose { on: NaiveDate },
    /// Recognised by the chairman (Mẫu 08).
    Recognise { on: NaiveDate, decision_no: String, signer: String, posted_on: Option<NaiveDate> },
    /// Not recognised.
    Reject { on: NaiveDate, reason: String },
    /// Termination requested (application, or proposal on another ground).
    RequestTermination { on: NaiveDate, ground: TerminationGround },
    /// Membership ended by decision.
    Terminate { on: NaiveDate, ground: TerminationGround, decision_no: String },
}

impl MemberStep {
    /// The state after the step.
    pub fn to_state(&self) -> MemberState {
        match self {
            MemberStep::Select { .. } => MemberState::DaXetTuyen,
            MemberStep::Propose { .. } => MemberState::ChoQuyetDinh,
            MemberStep::Recognise { .. } | MemberStep::RequestTermination { .. } => MemberState::DangThamGia,
            MemberStep::Reject { .. } => MemberState::KhongCongNhan,
            MemberStep::Terminate { .. } => MemberState::ThoiThamGia,
        }
    }

    /// The action code.
    pub fn code(&self) -> &'static str {
        match self {
            MemberStep::Select { .. } => "select",
            MemberStep::Propose { .. } => "propose",
            MemberStep::Recognise { .. } => "recognise",
            MemberStep::Reject { .. } => "reject",
            MemberStep::RequestTermination { .. } => "request_termination",
            MemberStep::Terminate { .. } => "terminate",
        }
    }
}

/// The actions allowed from a state.
pub fn member_actions(state: MemberState) -> &'static [&'static str] {
    match state {
        MemberState::HoSo => &["select", "recognise", "reject"],
        MemberState::DaXetTuyen => &["propose", "recognise", "reject"],
        MemberState::ChoQuyetDinh => &["recognise", "reject"],
        MemberState::DangThamGia => &["request_termination", "terminate"],
        MemberState::ThoiThamGia | MemberState::KhongCongNhan => &[],
    }
}

impl MemberStepInput {
    /// Validates the step against the membership's state.
    pub fn validate(&self, m: &Member, today: NaiveDate) -> Validated<MemberStep> {
        let mut e = FieldErrors::new();
        let action = allowed_action(self.action.as_deref(), member_actions(m.state), "Thành viên", m.state.label())?;
        let last = m
            .proposed_on
            .map(|d| (d, "ngày đề nghị"))
            .or(m.selection_on.map(|d| (d, "ngày biên bản lựa chọn")))
            .or(Some((m.applied_on, "ngày nộp hồ sơ")));
        let on = |e: &mut FieldErrors, after| step_date(e, self.on_date.as_deref(), today, after);
        let ground = |e: &mut FieldErrors| {
            choice(e, "ground", "căn cứ thôi tham gia", self.ground.as_deref(), TerminationGround::DonXinThoi)
        };
        let step = match action {
            "select" => on(&mut e, Some((m.applied_on, "ngày nộp hồ sơ"))).map(|on| MemberStep::Select { on }),
            "propose" => on(&mut e, last).map(|on| MemberStep::Propose { on }),
            "recognise" => {
                let on = on(&mut e, last);
                let decision_no = required_text(
                    &mut e,
                    "decision_no",
                    "Số quyết định",
                    self.decision_no.as_deref().unwrap_or(""),
                    100,
                );
                let signer = required_text(&mut e, "signer", "Người ký", self.signer.as_deref().unwrap_or(""), 200);
                let posted_on =
                    optional_past_date(&mut e, "posted_on", "Ngày niêm yết", self.posted_on.as_deref(), today);
                on.map(|on| MemberStep::Recognise { on, decision_no, signer, posted_on })
            }
            "reject" => {
                let on = on(&mut e, Some((m.applied_on, "ngày nộp hồ sơ")));
                let reason = required_text(&mut e, "reason", "Lý do", self.reason.as_deref().unwrap_or(""), 1000);
                on.map(|on| MemberStep::Reject { on, reason })
            }
            "request_termination" => {
                let on = on(&mut e, m.decided_on.map(|d| (d, "ngày công nhận")));
                let ground = ground(&mut e);
                on.map(|on| MemberStep::RequestTermination { on, ground })
            }
            _ => {
                let after = m.termination_requested_on.or(m.decided_on).map(|d| (d, "ngày đề nghị hoặc công nhận"));
                let on = on(&mut e, after);
                let ground = match (&self.ground, m.termination_ground) {
                    (None, Some(g)) => g,
                    _ => ground(&mut e),
                };
                let decision_no = required_text(
                    &mut e,
                    "decision_no",
                    "Số quyết định",
                    self.decision_no.as_deref().unwrap_or(""),
                    100,
                );
                on.map(|on| MemberStep::Terminate { on, ground, decision_no })
            }
        };
        match step {
            Some(s) if e.is_empty() => Ok(s),
            _ => Err(e),
        }
    }
}

/// Parses an optional date, for callers outside forms.
pub fn date_or_none(raw: Option<&str>) -> Option<NaiveDate> {
    raw.and_then(parse_date)
}

/// An entry of a team's or member's trail.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ForceEvent {
    /// Row id.
    pub id: i64,
    /// Team.
    pub team_id: i64,
    /// Member (`None`: the team).
    pub member_id: Option<i64>,
    /// Action code.
    pub action: String,
    /// Day of the step.
    pub on_date: Option<NaiveDate>,
    /// Details.
    pub detail: Option<String>,
    /// Who.
    pub actor: String,
    /// When recorded.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A dossier document of a member (without its content).
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MemberDocument {
    /// Id.
    pub id: i64,
    /// Member.
    pub member_id: i64,
    /// Title (đơn, sơ yếu lý lịch, giấy chứng nhận sức khỏe, bằng …).
    pub title: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::force::team::tests::d;

    pub fn member(state: MemberState) -> Member {
        let now = chrono::Utc::now();
        Member {
            id: MemberId(1),
            team_id: ForceTeamId(1),
            team_name: "Tổ 1".into(),
            province_code: "56".into(),
            commune_code: "22333".into(),
            full_name: "Nguyễn Văn A".into(),
            born_on: d(1980, 5, 1),
            sex: Sex::Nam,
            citizen_id_masked: "••••••••1234".into(),
            address: None,
            phone: None,
            education: Education::Thcs,
            health_cert_on: Some(d(2026, 1, 1)),
            resident_since: Some(d(2000, 1, 1)),
            prior_service: PriorService::Khong,
            prior_months: 0,
            prior_special_months: 0,
            over_age_decision: None,
            role: MemberRole::ToVien,
            state,
            applied_on: d(2026, 11, 1),
            selection_on: Some(d(2026, 11, 10)),
            proposed_on: Some(d(2026, 11, 12)),
            decision_no: Some("1/QĐ".into()),
            decided_on: Some(d(2026, 11, 15)),
            signer: None,
            posted_on: None,
            badge_no: None,
            certificate_no: None,
            termination_requested_on: None,
            termination_ground: None,
            termination_decision_no: None,
            terminated_on: None,
            rejection_reason: None,
            note: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn step(action: &str) -> MemberStepInput {
        MemberStepInput {
            action: Some(action.into()),
            on_date: Some("2026-11-20".into()),
            decision_no: Some("20/QĐ-UBND".into()),
            signer: Some("Chủ tịch UBND xã".into()),
            reason: Some("Không đạt".into()),
            ground: Some("don_xin_thoi".into()),
            posted_on: None,
        }
    }

    #[test]
    fn every_step_allowed_and_forbidden() {
        let actions = ["select", "propose", "recognise", "reject", "request_termination", "terminate"];
        for state in MemberState::ALL {
            for action in actions {
                let r = step(action).validate(&member(*state), d(2026, 12, 2));
                assert_eq!(r.is_ok(), member_actions(*state).contains(&action), "{state:?} {action}: {r:?}");
            }
        }
    }

    #[test]
    fn termination_keeps_the_requested_ground_and_clock() {
        let mut m = member(MemberState::DangThamGia);
        let req = step("request_termination").validate(&m, d(2026, 12, 2)).unwrap();
        assert_eq!(req.to_state(), MemberState::DangThamGia);
        m.termination_requested_on = Some(d(2026, 12, 4));
        m.termination_ground = Some(TerminationGround::KhongDuSucKhoe);
        let law = WorkCalendar::default();
        assert_eq!(m.deadline(&ClockRules::default(), &law, d(2026, 12, 4)).unwrap().due_on, d(2026, 12, 11));
        // Requested on Friday 24 April 2026: Giỗ Tổ's day in lieu, 30/4 and 1/5 are not counted.
        m.termination_requested_on = Some(d(2026, 4, 24));
        assert_eq!(m.deadline(&ClockRules::default(), &law, d(2026, 4, 24)).unwrap().due_on, d(2026, 5, 6));
        m.termination_requested_on = Some(d(2026, 12, 4));
        let mut t = step("terminate");
        t.ground = None;
        t.on_date = Some("2026-12-05".into());
        match t.validate(&m, d(2026, 12, 7)).unwrap() {
            MemberStep::Terminate { ground, .. } => assert_eq!(ground, TerminationGround::KhongDuSucKhoe),
            other => panic!("{other:?}"),
        }
        let mut early = step("terminate");
        early.on_date = Some("2026-12-01".into());
        assert!(early.validate(&m, d(2026, 12, 7)).unwrap_err().get("on_date").is_some());
    }

    #[test]
    fn input_validation() {
        let today = d(2026, 12, 2);
        let ok = MemberInput {
            team_id: Some(1),
            full_name: Some("Trần Thị B".into()),
            born_on: Some("15/03/1985".into()),
            sex: Some("nu".into()),
            citizen_id: Some("056185001234".into()),
            education: Some("thpt".into()),
            role: Some("Tổ phó".into()),
            ..Default::default()
        };
        let f = ok.validate(today, true).unwrap();
        assert_eq!((f.sex, f.role, f.applied_on), (Sex::Nu, MemberRole::ToPho, today));
        assert!(!serde_json::to_string(&f).unwrap().contains("056185001234"), "never serialised");
        let e = MemberInput { citizen_id: None, ..ok.clone() }.validate(today, true).unwrap_err();
        assert!(e.get("citizen_id").is_some());
        assert!(MemberInput { citizen_id: None, ..ok.clone() }.validate(today, false).is_ok());
        let e = MemberInput { decision_no: Some("1/QĐ".into()), ..ok.clone() }.validate(today, true).unwrap_err();
        assert!(e.get("decided_on").is_some() && e.get("signer").is_some(), "{e}");
        let e = MemberInput { prior_months: Some(12), ..ok.clone() }.validate(today, true).unwrap_err();
        assert!(e.get("prior_service").is_some());
        let e = MemberInput { role: Some("đội trưởng".into()), ..ok }.validate(today, true).unwrap_err();
        assert!(e.get("role").unwrap().contains("Tổ trưởng"));
    }

    #[test]
    fn months_served() {
        let mut m = member(MemberState::DangThamGia);
        m.decided_on = Some(d(2020, 1, 15));
        assert_eq!(m.months_served(d(2026, 1, 15)), 72);
        m.state = MemberState::ThoiThamGia;
        m.terminated_on = Some(d(2021, 1, 14));
        assert_eq!(m.months_served(d(2026, 1, 15)), 11);
        assert_eq!(member(MemberState::HoSo).months_served(d(2026, 1, 1)), 0);
    }
}
