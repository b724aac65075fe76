//! The commendations register (C11; legal-rules §6.1, §9.4 F): form, level, granting
//! authority, decision, reason, the movement year or campaign it rewards, the recipient — a
//! collective (unit, establishment, model, team) or a named individual (a member of the force,
//! an officer, a citizen) — and cash. A proposal is filed (đề xuất), put before the deciding
//! level (trình) and decided or refused. A Kỷ niệm chương is given at most once per person:
//! the person is the citizen id (its keyed hash), and the database refuses a second one.

use chrono::{Datelike, NaiveDate};

use crate::labelled_enum;
use crate::rules::required_date;
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

labelled_enum!(
    /// The level that grants a commendation.
    CommendationLevel {
        NhaNuoc = "nha_nuoc", "Nhà nước";
        ChinhPhu = "chinh_phu", "Thủ tướng Chính phủ";
        Bo = "bo", "Bộ Công an";
        Tinh = "tinh", "Cấp tỉnh";
        Xa = "xa", "Cấp xã";
    }
);

labelled_enum!(
    /// A form of commendation (legal-rules §6.1, §9.3).
    CommendationForm {
        HuanChuong = "huan_chuong", "Huân chương";
        BangKhenThuTuong = "bang_khen_thu_tuong", "Bằng khen của Thủ tướng Chính phủ";
        CoThiDuaBca = "co_thi_dua_bca", "Cờ thi đua của Bộ Công an";
        BangKhenBoTruong = "bang_khen_bo_truong", "Bằng khen của Bộ trưởng Bộ Công an";
        KncViAnNinh = "knc_vi_an_ninh_to_quoc", "Kỷ niệm chương «Vì an ninh Tổ quốc»";
        KncBaoVeAnNinh = "knc_bao_ve_an_ninh_to_quoc", "Kỷ niệm chương «Bảo vệ an ninh Tổ quốc»";
        KncCoSo = "knc_bao_ve_antt_co_so", "Kỷ niệm chương «Bảo vệ an ninh, trật tự ở cơ sở»";
        BangKhenUbndTinh = "bang_khen_ubnd_tinh", "Bằng khen của Chủ tịch UBND tỉnh";
        GiayKhenGiamDoc = "giay_khen_giam_doc_ca_tinh", "Giấy khen của Giám đốc Công an tỉnh";
        GiayKhenUbndXa = "giay_khen_ubnd_xa", "Giấy khen của Chủ tịch UBND xã";
        GiayKhenTruongCaXa = "giay_khen_truong_ca_xa", "Giấy khen của Trưởng Công an xã";
        ThuKhen = "thu_khen", "Thư khen";
        Khac = "khac", "Hình thức khác";
    }
);

impl CommendationForm {
    /// The level a form is always granted at (`None`: chosen with the award).
    pub fn fixed_level(self) -> Option<CommendationLevel> {
        use CommendationForm::*;
        use CommendationLevel as L;
        match self {
            HuanChuong => Some(L::NhaNuoc),
            BangKhenThuTuong => Some(L::ChinhPhu),
            CoThiDuaBca | BangKhenBoTruong | KncViAnNinh | KncBaoVeAnNinh | KncCoSo => Some(L::Bo),
            BangKhenUbndTinh | GiayKhenGiamDoc => Some(L::Tinh),
            GiayKhenUbndXa | GiayKhenTruongCaXa => Some(L::Xa),
            ThuKhen | Khac => None,
        }
    }

    /// A Kỷ niệm chương: to individuals, at most once per person.
    pub fn is_medal(self) -> bool {
        matches!(self, Self::KncViAnNinh | Self::KncBaoVeAnNinh | Self::KncCoSo)
    }

    /// The usual granting authority.
    pub fn authority(self) -> &'static str {
        use CommendationForm::*;
        match self {
            HuanChuong => "Chủ tịch nước",
            BangKhenThuTuong => "Thủ tướng Chính phủ",
            CoThiDuaBca | BangKhenBoTruong | KncViAnNinh | KncBaoVeAnNinh | KncCoSo => "Bộ trưởng Bộ Công an",
            BangKhenUbndTinh => "Chủ tịch UBND tỉnh",
            GiayKhenGiamDoc => "Giám đốc Công an tỉnh",
            GiayKhenUbndXa => "Chủ tịch UBND xã",
            GiayKhenTruongCaXa => "Trưởng Công an xã",
            ThuKhen | Khac => "",
        }
    }
}

impl CommendationLevel {
    /// Decided in the commune (its own officers record the decision); every other level is
    /// recorded by the province.
    pub fn is_commune(self) -> bool {
        self == CommendationLevel::Xa
    }
}

labelled_enum!(
    /// Who receives a commendation.
    RecipientKind {
        TapThe = "tap_the", "Tập thể (đơn vị, địa phương, khu dân cư)";
        CoSo = "co_so", "Cơ quan, doanh nghiệp, trường học";
        MoHinh = "mo_hinh", "Mô hình";
        ToBaoVe = "to_bao_ve", "Tổ bảo vệ ANTT";
        ThanhVien = "thanh_vien", "Thành viên Tổ bảo vệ ANTT";
        CanBo = "can_bo", "Cán bộ, chiến sĩ, người đứng đầu (cá nhân)";
        CongDan = "cong_dan", "Công dân (cá nhân)";
    }
);

impl RecipientKind {
    /// A person rather than a collective.
    pub fn is_individual(self) -> bool {
        matches!(self, Self::ThanhVien | Self::CanBo | Self::CongDan)
    }
}

labelled_enum!(
    /// Where a commendation is (legal-rules §9.4 F).
    CommendationState {
        DeXuat = "de_xuat", "Đề xuất";
        DaTrinh = "da_trinh", "Đã trình cấp có thẩm quyền";
        DaQuyetDinh = "da_quyet_dinh", "Đã quyết định khen thưởng";
        KhongDuocKhen = "khong_duoc_khen", "Không được khen thưởng";
    }
);

labelled_enum!(
    /// A step of the workflow.
    CommendationAction {
        Submit = "submit", "Trình cấp có thẩm quyền";
        Return = "return", "Trả lại để bổ sung";
        Decide = "decide", "Ghi quyết định khen thưởng";
        Refuse = "refuse", "Không khen thưởng";
    }
);

impl CommendationState {
    /// The state after `action`, or why not.
    pub fn apply(self, action: CommendationAction) -> Result<CommendationState, String> {
        use CommendationAction as A;
        use CommendationState::*;
        match (self, action) {
            (DeXuat, A::Submit) => Ok(DaTrinh),
            (DaTrinh, A::Return) => Ok(DeXuat),
            (DaTrinh, A::Decide) => Ok(DaQuyetDinh),
            (DaTrinh, A::Refuse) => Ok(KhongDuocKhen),
            (from, a) => {
                Err(format!("Không thể «{}» khi khen thưởng đang ở trạng thái «{}».", a.label(), from.label()))
            }
        }
    }

    /// The steps allowed from here.
    pub fn allowed(self) -> Vec<CommendationAction> {
        CommendationAction::ALL.iter().copied().filter(|a| self.apply(*a).is_ok()).collect()
    }
}

/// Largest cash award accepted (VND).
pub const MAX_CASH_VND: i64 = 10_000_000_000;

/// A commendation as typed (a proposal, or an award already decided).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CommendationInput {
    /// Commune code (empty: of the province itself).
    pub commune_code: Option<String>,
    /// Form code or label.
    pub form: Option<String>,
    /// Level code (the form's own level when it has one).
    pub level: Option<String>,
    /// Granting authority (the form's usual one when empty).
    pub authority: Option<String>,
    /// Reason (thành tích).
    pub reason: Option<String>,
    /// Movement year it rewards.
    pub movement_year: Option<i32>,
    /// Campaign or occasion (đợt, chuyên đề, Ngày hội …).
    pub campaign: Option<String>,
    /// Recipient kind code.
    pub recipient_kind: Option<String>,
    /// Name of the collective or the person (members, models, teams, establishments are named
    /// from their records).
    pub recipient_name: Option<String>,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Model.
    pub model_id: Option<i64>,
    /// Tổ bảo vệ ANTT.
    pub team_id: Option<i64>,
    /// Member of the force.
    pub member_id: Option<i64>,
    /// Citizen id (12 digits) of an officer or citizen; required for a Kỷ niệm chương.
    pub citizen_id: Option<String>,
    /// Years in the leading post (a leader's Kỷ niệm chương, TT 20/2025).
    pub tenure_years: Option<i64>,
    /// Earlier commendations for ANTQ work (a leader's Kỷ niệm chương).
    pub prior_commendations: Option<i64>,
    /// Cash in VND.
    pub cash_vnd: Option<i64>,
    /// Decision number (an award already decided is recorded with it).
    pub decision_no: Option<String>,
    /// Decision date.
    pub decided_on: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// Validated commendation fields.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CommendationFields {
    /// Form.
    pub form: CommendationForm,
    /// Level.
    pub level: CommendationLevel,
    /// Granting authority.
    pub authority: String,
    /// Reason.
    pub reason: String,
    /// Movement year.
    pub movement_year: i32,
    /// Campaign.
    pub campaign: Option<String>,
    /// Recipient kind.
    pub recipient_kind: RecipientKind,
    /// Name typed for a collective, an officer or a citizen.
    pub recipient_name: Option<String>,
    /// Citizen id of an officer or citizen.
    pub citizen_id: Option<String>,
    /// Years in the leading post.
    pub tenure_years: Option<i64>,
    /// Earlier commendations.
    pub prior_commendations: Option<i64>,
    /// Cash.
    pub cash_vnd: i64,
    /// Decision `(number, date)`, when recorded as already decided.
    pub decision: Option<(String, NaiveDate)>,
    /// Note.
    pub note: Option<String>,
}

impl CommendationInput {
    /// Checks the fields; a Kỷ niệm chương goes to individuals only and needs the person's
    /// citizen id unless the person is a member of the force.
    pub fn validate(&self, today: NaiveDate) -> Validated<CommendationFields> {
        let mut e = FieldErrors::new();
        let form = choice(&mut e, "form", "hình thức khen thưởng", self.form.as_deref(), CommendationForm::Khac);
        let level = match (self.level.as_deref().map(str::trim).filter(|s| !s.is_empty()), form.fixed_level()) {
            (None, Some(l)) => l,
            (raw, fixed) => {
                let l = choice(&mut e, "level", "cấp khen thưởng", raw, CommendationLevel::Xa);
                if let Some(f) = fixed
                    && f != l
                    && !e.0.contains_key("level")
                {
                    e.add("level", format!("{} là khen thưởng {}.", form.label(), f.label().to_lowercase()));
                }
                l
            }
        };
        let authority =
            match optional_text(&mut e, "authority", "Cấp, người quyết định", self.authority.as_deref(), 200)
            {
                Some(a) => a,
                None if !form.authority().is_empty() => form.authority().to_string(),
                None => {
                    e.add("authority", "Ghi cấp, người quyết định khen thưởng.");
                    String::new()
                }
            };
        let reason = required_text(
            &mut e,
            "reason",
            "Thành tích, lý do khen thưởng",
            self.reason.as_deref().unwrap_or(""),
            2000,
        );
        let campaign = optional_text(&mut e, "campaign", "Đợt, phong trào", self.campaign.as_deref(), 300);
        let recipient_kind = choice(
            &mut e,
            "recipient_kind",
            "đối tượng được khen",
            self.recipient_kind.as_deref(),
            RecipientKind::TapThe,
        );
        let recipient_name =
            optional_text(&mut e, "recipient_name", "Tên tập thể, cá nhân", self.recipient_name.as_deref(), 300);
        let link = |id: Option<i64>| id.filter(|i| *i > 0);
        match recipient_kind {
            RecipientKind::CoSo if link(self.establishment_id).is_none() => {
                e.add("establishment_id", "Chọn cơ quan, doanh nghiệp, trường học được khen.")
            }
            RecipientKind::MoHinh if link(self.model_id).is_none() => e.add("model_id", "Chọn mô hình được khen."),
            RecipientKind::ToBaoVe if link(self.team_id).is_none() => {
                e.add("team_id", "Chọn Tổ bảo vệ ANTT được khen.")
            }
            RecipientKind::ThanhVien if link(self.member_id).is_none() => {
                e.add("member_id", "Chọn thành viên Tổ bảo vệ ANTT được khen.")
            }
            RecipientKind::TapThe | RecipientKind::CanBo | RecipientKind::CongDan
                if recipient_name.is_none() && !e.0.contains_key("recipient_name") =>
            {
                e.add("recipient_name", "Ghi tên tập thể hoặc họ tên cá nhân được khen.")
            }
            _ => {}
        }
        let citizen_id = match self.citizen_id.as_deref().map(|s| s.trim().replace(' ', "")).filter(|s| !s.is_empty()) {
            Some(c) if c.len() == 12 && c.bytes().all(|b| b.is_ascii_digit()) => Some(c),
            Some(_) => {
                e.add("citizen_id", "Số định danh cá nhân gồm 12 chữ số.");
                None
            }
            None => None,
        };
        if form.is_medal() && !e.0.contains_key("recipient_kind") {
            if !recipient_kind.is_individual() {
                e.add("recipient_kind", format!("{} chỉ tặng cá nhân.", form.label()));
            } else if recipient_kind != RecipientKind::ThanhVien
                && citizen_id.is_none()
                && !e.0.contains_key("citizen_id")
            {
                e.add("citizen_id", "Kỷ niệm chương tặng mỗi người một lần: cần số định danh cá nhân để đối chiếu.");
            }
        }
        for (field, label, v) in [
            ("tenure_years", "Số năm giữ chức vụ", self.tenure_years),
            ("prior_commendations", "Số lần được khen thưởng trước", self.prior_commendations),
        ] {
            if v.is_some_and(|n| !(0..=80).contains(&n)) {
                e.add(field, format!("{label} phải từ 0 đến 80."));
            }
        }
        let cash_vnd = self.cash_vnd.unwrap_or(0);
        if !(0..=MAX_CASH_VND).contains(&cash_vnd) {
            e.add("cash_vnd", "Tiền thưởng phải từ 0 đến 10.000.000.000 đồng.");
        }
        let decision_no = optional_text(&mut e, "decision_no", "Số quyết định", self.decision_no.as_deref(), 100);
        let decided_on = match self.decided_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(_) => required_date(&mut e, "decided_on", "Ngày quyết định", self.decided_on.as_deref()),
            None => None,
        };
        if decided_on.is_some_and(|d| d > today) {
            e.add("decided_on", "Ngày quyết định không được sau hôm nay.");
        }
        let decision = match (decision_no, decided_on) {
            (Some(n), Some(d)) => Some((n, d)),
            (None, None) => None,
            (Some(_), None) if !e.0.contains_key("decided_on") => {
                e.add("decided_on", "Ghi ngày quyết định cùng số quyết định.");
                None
            }
            (None, Some(_)) => {
                e.add("decision_no", "Ghi số quyết định cùng ngày quyết định.");
                None
            }
            _ => None,
        };
        let movement_year =
            self.movement_year.unwrap_or_else(|| decision.as_ref().map_or(today.year(), |d| d.1.year()));
        if !(2000..=2100).contains(&movement_year) {
            e.add("movement_year", "Năm phong trào phải từ 2000 đến 2100.");
        }
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        e.into_result(CommendationFields {
            form,
            level,
            authority,
            reason,
            movement_year,
            campaign,
            recipient_kind,
            recipient_name,
            citizen_id,
            tenure_years: self.tenure_years,
            prior_commendations: self.prior_commendations,
            cash_vnd,
            decision,
            note,
        })
    }
}

/// A step as typed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CommendationStepInput {
    /// `submit`, `return`, `decide` or `refuse`.
    pub action: Option<String>,
    /// Decision number (decide).
    pub decision_no: Option<String>,
    /// Decision date (decide).
    pub decided_on: Option<String>,
    /// Granting authority, when not the one proposed (decide).
    pub authority: Option<String>,
    /// Cash in VND, when the decision sets it (decide).
    pub cash_vnd: Option<i64>,
    /// Why (return, refuse).
    pub comment: Option<String>,
}

/// A validated step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommendationStep {
    /// Put before the deciding level.
    Submit,
    /// Sent back with a comment.
    Return(String),
    /// Decided.
    Decide {
        /// Number.
        decision_no: String,
        /// Date.
        decided_on: NaiveDate,
        /// Authority, when changed.
        authority: Option<String>,
        /// Cash, when set.
        cash_vnd: Option<i64>,
    },
    /// Refused, with the reason.
    Refuse(String),
}

impl CommendationStepInput {
    /// Checks the step and what it needs.
    pub fn validate(&self, today: NaiveDate) -> Validated<CommendationStep> {
        let mut e = FieldErrors::new();
        let action = choice(&mut e, "action", "thao tác", self.action.as_deref(), CommendationAction::Submit);
        if !e.is_empty() {
            return Err(e);
        }
        let comment = |e: &mut FieldErrors, label: &str| {
            required_text(e, "comment", label, self.comment.as_deref().unwrap_or(""), 2000)
        };
        let step = match action {
            CommendationAction::Submit => CommendationStep::Submit,
            CommendationAction::Return => CommendationStep::Return(comment(&mut e, "Nội dung cần bổ sung")),
            CommendationAction::Refuse => CommendationStep::Refuse(comment(&mut e, "Lý do không khen thưởng")),
            CommendationAction::Decide => {
                let no = required_text(
                    &mut e,
                    "decision_no",
                    "Số quyết định",
                    self.decision_no.as_deref().unwrap_or(""),
                    100,
                );
                let on = required_date(&mut e, "decided_on", "Ngày quyết định", self.decided_on.as_deref());
                if on.is_some_and(|d| d > today) {
                    e.add("decided_on", "Ngày quyết định không được sau hôm nay.");
                }
                let authority =
                    optional_text(&mut e, "authority", "Cấp, người quyết định", self.authority.as_deref(), 200);
                if self.cash_vnd.is_some_and(|c| !(0..=MAX_CASH_VND).contains(&c)) {
                    e.add("cash_vnd", "Tiền thưởng phải từ 0 đến 10.000.000.000 đồng.");
                }
                CommendationStep::Decide {
                    decision_no: no,
                    decided_on: on.unwrap_or(today),
                    authority,
                    cash_vnd: self.cash_vnd,
                }
            }
        };
        e.into_result(step)
    }
}

impl CommendationStep {
    /// The action of the step.
    pub fn action(&self) -> CommendationAction {
        match self {
            CommendationStep::Submit => CommendationAction::Submit,
            CommendationStep::Return(_) => CommendationAction::Return,
            CommendationStep::Decide { .. } => CommendationAction::Decide,
            CommendationStep::Refuse(_) => CommendationAction::Refuse,
        }
    }
}

/// A stored commendation.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Commendation {
    /// Id.
    pub id: i64,
    /// Province.
    pub province_code: String,
    /// Commune (`None`: of the province).
    pub commune_code: Option<String>,
    /// Form.
    pub form: CommendationForm,
    /// Level.
    pub level: CommendationLevel,
    /// Granting authority.
    pub authority: String,
    /// Reason.
    pub reason: String,
    /// Movement year.
    pub movement_year: i32,
    /// Campaign.
    pub campaign: Option<String>,
    /// Recipient kind.
    pub recipient_kind: RecipientKind,
    /// Recipient's name (from the linked record, or as typed).
    pub recipient_name: String,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Model.
    pub model_id: Option<i64>,
    /// Tổ bảo vệ ANTT.
    pub team_id: Option<i64>,
    /// Member.
    pub member_id: Option<i64>,
    /// The citizen id, masked (`••••••••1234`).
    pub citizen_id_masked: Option<String>,
    /// Years in the leading post.
    pub tenure_years: Option<i64>,
    /// Earlier commendations.
    pub prior_commendations: Option<i64>,
    /// What the eligibility check found when it was proposed (Kỷ niệm chương).
    pub eligibility: Option<String>,
    /// Cash.
    pub cash_vnd: i64,
    /// State.
    pub state: CommendationState,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Decision date.
    pub decided_on: Option<NaiveDate>,
    /// Who proposed, and when.
    pub proposed_by: String,
    /// Day proposed.
    pub proposed_on: NaiveDate,
    /// Who submitted it.
    pub submitted_by: Option<String>,
    /// Day submitted.
    pub submitted_on: Option<NaiveDate>,
    /// Who recorded the decision or refusal.
    pub decided_by: Option<String>,
    /// Comment of the last return or the refusal.
    pub comment: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn forms_levels_and_recipients() {
        let today = d(2026, 12, 5);
        let ok = CommendationInput {
            form: Some("giay_khen_ubnd_xa".into()),
            reason: Some("Thành tích xuất sắc trong phong trào".into()),
            recipient_kind: Some("tap_the".into()),
            recipient_name: Some("Khu dân cư thôn Phú Lộc".into()),
            ..Default::default()
        };
        let f = ok.validate(today).unwrap();
        assert_eq!((f.level, f.authority.as_str(), f.movement_year), (CommendationLevel::Xa, "Chủ tịch UBND xã", 2026));
        let e = CommendationInput { level: Some("tinh".into()), ..ok.clone() }.validate(today).unwrap_err();
        assert!(e.get("level").unwrap().contains("cấp xã"), "{e}");
        let e = CommendationInput { form: Some("knc_bao_ve_an_ninh_to_quoc".into()), ..ok.clone() }
            .validate(today)
            .unwrap_err();
        assert!(e.get("recipient_kind").unwrap().contains("cá nhân"), "{e}");
        let medal = CommendationInput {
            form: Some("Kỷ niệm chương «Bảo vệ an ninh Tổ quốc»".into()),
            recipient_kind: Some("can_bo".into()),
            recipient_name: Some("Nguyễn Văn Trưởng".into()),
            ..ok.clone()
        };
        assert!(medal.validate(today).unwrap_err().get("citizen_id").is_some());
        let f =
            CommendationInput { citizen_id: Some("056 080 001234".into()), ..medal.clone() }.validate(today).unwrap();
        assert_eq!(f.citizen_id.as_deref(), Some("056080001234"));
        let member = CommendationInput { recipient_kind: Some("thanh_vien".into()), member_id: Some(7), ..medal };
        assert!(member.validate(today).is_ok(), "a member is identified by the force's record");
        let e = CommendationInput { decision_no: Some("12/QĐ".into()), ..ok.clone() }.validate(today).unwrap_err();
        assert!(e.get("decided_on").is_some());
        let f = CommendationInput { decision_no: Some("12/QĐ".into()), decided_on: Some("20/08/2025".into()), ..ok }
            .validate(today)
            .unwrap();
        assert_eq!((f.decision.unwrap().1, f.movement_year), (d(2025, 8, 20), 2025));
    }

    #[test]
    fn the_workflow() {
        use CommendationAction as A;
        use CommendationState as S;
        assert_eq!(S::DeXuat.apply(A::Submit), Ok(S::DaTrinh));
        assert_eq!(S::DaTrinh.apply(A::Return), Ok(S::DeXuat));
        assert_eq!(S::DaTrinh.apply(A::Decide), Ok(S::DaQuyetDinh));
        assert_eq!(S::DaTrinh.apply(A::Refuse), Ok(S::KhongDuocKhen));
        assert!(S::DeXuat.apply(A::Decide).is_err());
        assert!(S::DaQuyetDinh.allowed().is_empty() && S::KhongDuocKhen.allowed().is_empty());
        let today = d(2026, 12, 5);
        let e =
            CommendationStepInput { action: Some("refuse".into()), ..Default::default() }.validate(today).unwrap_err();
        assert!(e.get("comment").is_some());
        let e =
            CommendationStepInput { action: Some("decide".into()), ..Default::default() }.validate(today).unwrap_err();
        assert!(e.get("decision_no").is_some() && e.get("decided_on").is_some());
        let s = CommendationStepInput {
            action: Some("decide".into()),
            decision_no: Some("45/QĐ-BCA".into()),
            decided_on: Some("2026-08-15".into()),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        assert_eq!(s.action(), A::Decide);
    }
}
