//! A Tổ bảo vệ ANTT: its areas, its establishment and dissolution by decision with the
//! TT 14/2024 clocks, and its public posting.

use chrono::NaiveDate;

use super::TeamState;
use super::clock::{ClockRules, Deadline, add_days};
use super::quota::{AppliedQuota, Composition, Warning};
use crate::calendar::WorkCalendar;
use crate::ids::{AreaId, ForceTeamId};
use crate::model::{optional_past_date, parse_date};
use crate::validate::{FieldErrors, Validated, optional_text, required_text};

/// An area a team covers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TeamArea {
    /// Area id.
    pub id: AreaId,
    /// Name.
    pub name: String,
    /// Households.
    pub households: Option<i64>,
    /// Population.
    pub population: Option<i64>,
    /// Border, island, mountain, especially difficult or ethnic area.
    pub special_zone: bool,
}

/// A team as stored, with its areas and the counts of members holding a place.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = ForceTeam)]
pub struct Team {
    /// Id.
    pub id: ForceTeamId,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: String,
    /// Name, e.g. "Tổ bảo vệ ANTT thôn Phú Lộc".
    pub name: String,
    /// State.
    pub state: TeamState,
    /// Areas covered.
    pub areas: Vec<TeamArea>,
    /// Date of the selection minutes (biên bản kết quả lựa chọn).
    pub selection_on: Option<NaiveDate>,
    /// Date the commune police proposed the establishment (Mẫu số 05).
    pub proposed_on: Option<NaiveDate>,
    /// Establishment decision number (Mẫu số 08).
    pub decision_no: Option<String>,
    /// Establishment decision date.
    pub decided_on: Option<NaiveDate>,
    /// Who signed it.
    pub signer: Option<String>,
    /// Day the decision was publicly posted.
    pub posted_on: Option<NaiveDate>,
    /// Where it was posted.
    pub posted_place: Option<String>,
    /// Day the dissolution was proposed.
    pub dissolution_proposed_on: Option<NaiveDate>,
    /// Why.
    pub dissolution_reason: Option<String>,
    /// Dissolution decision number.
    pub dissolution_decision_no: Option<String>,
    /// Dissolution date.
    pub dissolved_on: Option<NaiveDate>,
    /// Who signed the dissolution.
    pub dissolution_signer: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Tổ trưởng holding a place.
    pub leaders: i64,
    /// Tổ phó holding a place.
    pub deputies: i64,
    /// Members holding a place (active or on the way).
    pub size: i64,
    /// Active members (recognised, not terminated).
    pub active: i64,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Team {
    /// Any covered area is a border, island, mountain, especially difficult or ethnic area.
    pub fn special_zone(&self) -> bool {
        self.areas.iter().any(|a| a.special_zone)
    }

    /// Households and population of the covered areas (`None` when any is unknown).
    pub fn measures(&self) -> (Option<i64>, Option<i64>) {
        let sum = |f: fn(&TeamArea) -> Option<i64>| self.areas.iter().map(f).sum::<Option<i64>>();
        (sum(|a| a.households), sum(|a| a.population))
    }

    /// What is due next and by when (TT 14/2024 Điều 4–5).
    pub fn deadline(&self, rules: &ClockRules, cal: &WorkCalendar, today: NaiveDate) -> Option<Deadline> {
        match self.state {
            TeamState::DuKien => self.selection_on.map(|s| {
                Deadline::new("Công an xã đề nghị thành lập tổ (Mẫu 05)", add_days(s, rules.proposal_days), today)
            }),
            TeamState::ChoQuyetDinh => self.proposed_on.map(|p| {
                Deadline::new("Chủ tịch UBND xã quyết định thành lập (Mẫu 08)", add_days(p, rules.decision_days), today)
            }),
            TeamState::ChoGiaiThe => self.dissolution_proposed_on.map(|p| {
                Deadline::new(
                    "Chủ tịch UBND xã quyết định giải thể",
                    cal.add_working_days(p, rules.dissolve_working_days),
                    today,
                )
            }),
            TeamState::DaThanhLap | TeamState::GiaiThe => None,
        }
    }

    /// Composition warnings of an open team against its quota.
    pub fn warnings(&self, deputies_max: i64, quota: &AppliedQuota) -> Vec<Warning> {
        if !self.state.is_open() {
            return Vec::new();
        }
        Composition { leaders: self.leaders, deputies: self.deputies, size: self.size }
            .warnings(deputies_max, quota.members)
    }
}

/// The editable fields of a team, as typed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = ForceTeamInput)]
pub struct TeamInput {
    /// Name.
    pub name: Option<String>,
    /// Ids of the residential areas covered (of the team's commune).
    #[serde(default)]
    pub area_ids: Vec<i64>,
    /// Date of the selection minutes (YYYY-MM-DD or dd/mm/yyyy).
    pub selection_on: Option<String>,
    /// Day the decision was posted.
    pub posted_on: Option<String>,
    /// Where it was posted.
    pub posted_place: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// Validated team fields.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TeamFields {
    /// Name.
    pub name: String,
    /// Areas.
    pub area_ids: Vec<AreaId>,
    /// Selection minutes date.
    pub selection_on: Option<NaiveDate>,
    /// Posting day.
    pub posted_on: Option<NaiveDate>,
    /// Posting place.
    pub posted_place: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl TeamInput {
    /// Checks what needs no database (the areas' commune is checked by the use-case).
    pub fn validate(&self, today: NaiveDate) -> Validated<TeamFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên tổ", self.name.as_deref().unwrap_or(""), 200);
        let mut area_ids: Vec<AreaId> = self.area_ids.iter().copied().map(AreaId).collect();
        area_ids.sort();
        area_ids.dedup();
        if area_ids.is_empty() {
            e.add("area_ids", "Chọn ít nhất một khu dân cư (thôn, tổ dân phố) tổ phụ trách.");
        }
        let selection_on =
            optional_past_date(&mut e, "selection_on", "Ngày biên bản lựa chọn", self.selection_on.as_deref(), today);
        let posted_on = optional_past_date(&mut e, "posted_on", "Ngày niêm yết", self.posted_on.as_deref(), today);
        let posted_place = optional_text(&mut e, "posted_place", "Nơi niêm yết", self.posted_place.as_deref(), 300);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        e.into_result(TeamFields { name, area_ids, selection_on, posted_on, posted_place, note })
    }
}

impl From<&Team> for TeamInput {
    fn from(t: &Team) -> Self {
        TeamInput {
            name: Some(t.name.clone()),
            area_ids: t.areas.iter().map(|a| a.id.0).collect(),
            selection_on: t.selection_on.map(|d| d.to_string()),
            posted_on: t.posted_on.map(|d| d.to_string()),
            posted_place: t.posted_place.clone(),
            note: t.note.clone(),
        }
    }
}

/// A step of the team workflow, as typed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TeamStepInput {
    /// `propose`, `establish`, `propose_dissolution`, `cancel_dissolution` or `dissolve`.
    pub action: Option<String>,
    /// Day of the step (proposal, decision).
    pub on_date: Option<String>,
    /// Decision number (establish, dissolve).
    pub decision_no: Option<String>,
    /// Who signed the decision.
    pub signer: Option<String>,
    /// Reason (dissolution).
    pub reason: Option<String>,
}

/// A validated step and what it writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamStep {
    /// Commune police propose the establishment to the chairman (Mẫu 05).
    Propose { on: NaiveDate },
    /// The chairman establishes the team (Mẫu 08).
    Establish { on: NaiveDate, decision_no: String, signer: String },
    /// Dissolution proposed (report of commune police, village head and Front committee).
    ProposeDissolution { on: NaiveDate, reason: String },
    /// The proposal is withdrawn.
    CancelDissolution,
    /// The chairman dissolves the team; its members' memberships end on the same decision.
    Dissolve { on: NaiveDate, decision_no: String, signer: String, reason: String },
}

impl TeamStep {
    /// The state after the step.
    pub fn to_state(&self) -> TeamState {
        match self {
            TeamStep::Propose { .. } => TeamState::ChoQuyetDinh,
            TeamStep::Establish { .. } | TeamStep::CancelDissolution => TeamState::DaThanhLap,
            TeamStep::ProposeDissolution { .. } => TeamState::ChoGiaiThe,
            TeamStep::Dissolve { .. } => TeamState::GiaiThe,
        }
    }

    /// The action code.
    pub fn code(&self) -> &'static str {
        match self {
            TeamStep::Propose { .. } => "propose",
            TeamStep::Establish { .. } => "establish",
            TeamStep::ProposeDissolution { .. } => "propose_dissolution",
            TeamStep::CancelDissolution => "cancel_dissolution",
            TeamStep::Dissolve { .. } => "dissolve",
        }
    }
}

/// The actions allowed from a state.
pub fn team_actions(state: TeamState) -> &'static [&'static str] {
    match state {
        TeamState::DuKien => &["propose", "establish"],
        TeamState::ChoQuyetDinh => &["establish"],
        TeamState::DaThanhLap => &["propose_dissolution", "dissolve"],
        TeamState::ChoGiaiThe => &["cancel_dissolution", "dissolve"],
        TeamState::GiaiThe => &[],
    }
}

/// The action typed, if `allowed` holds it; otherwise the refusal naming the allowed ones
/// (`who`: "Tổ", "Thành viên"; `state`: the current state's label).
pub(crate) fn allowed_action<'a>(
    typed: Option<&'a str>,
    allowed: &[&str],
    who: &str,
    state: &str,
) -> Validated<&'a str> {
    let action = typed.map(str::trim).unwrap_or("");
    if allowed.contains(&action) {
        return Ok(action);
    }
    let msg = if allowed.is_empty() {
        format!("{who} đang ở trạng thái «{state}», không còn bước nào.")
    } else {
        format!(
            "Không thực hiện được «{action}» khi {} đang «{state}». Bước được phép: {}.",
            who.to_lowercase(),
            allowed.join(", ")
        )
    };
    Err(FieldErrors::single("action", msg))
}

/// A required date of a step, not in the future and not before `after` (named by `after_label`).
pub(crate) fn step_date(
    e: &mut FieldErrors,
    raw: Option<&str>,
    today: NaiveDate,
    after: Option<(NaiveDate, &str)>,
) -> Option<NaiveDate> {
    let s = raw.map(str::trim).filter(|s| !s.is_empty());
    let Some(s) = s else {
        e.add("on_date", "Chưa nhập ngày.");
        return None;
    };
    match parse_date(s) {
        None => {
            e.add("on_date", format!("Ngày «{s}» không đúng định dạng (dd/mm/yyyy)."));
            None
        }
        Some(d) if d > today => {
            e.add("on_date", "Ngày không được sau hôm nay.");
            None
        }
        Some(d) => match after {
            Some((a, label)) if d < a => {
                e.add("on_date", format!("Ngày không được trước {label} ({}).", a.format("%d/%m/%Y")));
                None
            }
            _ => Some(d),
        },
    }
}

impl TeamStepInput {
    /// Validates the step against the team's state; a step not allowed names the allowed ones.
    pub fn validate(&self, team: &Team, today: NaiveDate) -> Validated<TeamStep> {
        let mut e = FieldErrors::new();
        let action = allowed_action(self.action.as_deref(), team_actions(team.state), "Tổ", team.state.label())?;
        let decision = |e: &mut FieldErrors| {
            let no = required_text(e, "decision_no", "Số quyết định", self.decision_no.as_deref().unwrap_or(""), 100);
            let signer = required_text(e, "signer", "Người ký", self.signer.as_deref().unwrap_or(""), 200);
            (no, signer)
        };
        let step = match action {
            "propose" => {
                let after = team.selection_on.map(|s| (s, "ngày biên bản lựa chọn"));
                step_date(&mut e, self.on_date.as_deref(), today, after).map(|on| TeamStep::Propose { on })
            }
            "establish" => {
                let after = team
                    .proposed_on
                    .map(|s| (s, "ngày đề nghị"))
                    .or(team.selection_on.map(|s| (s, "ngày biên bản lựa chọn")));
                let on = step_date(&mut e, self.on_date.as_deref(), today, after);
                let (decision_no, signer) = decision(&mut e);
                on.map(|on| TeamStep::Establish { on, decision_no, signer })
            }
            "propose_dissolution" => {
                let on =
                    step_date(&mut e, self.on_date.as_deref(), today, team.decided_on.map(|d| (d, "ngày thành lập")));
                let reason =
                    required_text(&mut e, "reason", "Lý do giải thể", self.reason.as_deref().unwrap_or(""), 1000);
                on.map(|on| TeamStep::ProposeDissolution { on, reason })
            }
            "cancel_dissolution" => Some(TeamStep::CancelDissolution),
            _ => {
                let after = team
                    .dissolution_proposed_on
                    .or(team.decided_on)
                    .map(|d| (d, "ngày đề nghị giải thể hoặc thành lập"));
                let on = step_date(&mut e, self.on_date.as_deref(), today, after);
                let (decision_no, signer) = decision(&mut e);
                let reason = team.dissolution_reason.clone().or_else(|| self.reason.clone()).unwrap_or_default();
                let reason = required_text(&mut e, "reason", "Lý do giải thể", &reason, 1000);
                on.map(|on| TeamStep::Dissolve { on, decision_no, signer, reason })
            }
        };
        match step {
            Some(s) if e.is_empty() => Ok(s),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn team(state: TeamState) -> Team {
        let now = chrono::Utc::now();
        Team {
            id: ForceTeamId(1),
            province_code: "56".into(),
            commune_code: "22333".into(),
            name: "Tổ bảo vệ ANTT thôn 1".into(),
            state,
            areas: vec![TeamArea {
                id: AreaId(1),
                name: "Thôn 1".into(),
                households: Some(200),
                population: Some(800),
                special_zone: false,
            }],
            selection_on: Some(d(2026, 11, 20)),
            proposed_on: Some(d(2026, 11, 23)),
            decision_no: None,
            decided_on: None,
            signer: None,
            posted_on: None,
            posted_place: None,
            dissolution_proposed_on: None,
            dissolution_reason: None,
            dissolution_decision_no: None,
            dissolved_on: None,
            dissolution_signer: None,
            note: None,
            leaders: 1,
            deputies: 1,
            size: 3,
            active: 3,
            created_at: now,
            updated_at: now,
        }
    }

    fn step(action: &str, on: &str) -> TeamStepInput {
        TeamStepInput {
            action: Some(action.into()),
            on_date: Some(on.into()),
            decision_no: Some("15/QĐ-UBND".into()),
            signer: Some("Nguyễn Văn B".into()),
            reason: Some("Sáp nhập thôn".into()),
        }
    }

    #[test]
    fn every_step_allowed_and_forbidden() {
        let today = d(2026, 12, 2);
        for state in TeamState::ALL {
            for action in ["propose", "establish", "propose_dissolution", "cancel_dissolution", "dissolve"] {
                let mut t = team(*state);
                t.decided_on = Some(d(2026, 11, 25));
                t.dissolution_proposed_on = Some(d(2026, 11, 26));
                let r = step(action, "2026-11-28").validate(&t, today);
                let allowed = team_actions(*state).contains(&action);
                assert_eq!(r.is_ok(), allowed, "{state:?} {action}: {r:?}");
                if let Ok(s) = r {
                    assert_eq!(s.code(), action);
                } else {
                    assert!(r.unwrap_err().get("action").is_some());
                }
            }
        }
    }

    #[test]
    fn steps_check_dates_and_decisions() {
        let t = team(TeamState::ChoQuyetDinh);
        let today = d(2026, 12, 2);
        let e = step("establish", "2026-11-22").validate(&t, today).unwrap_err();
        assert!(e.get("on_date").unwrap().contains("ngày đề nghị"), "{e}");
        let e = step("establish", "2026-12-03").validate(&t, today).unwrap_err();
        assert!(e.get("on_date").is_some());
        let mut no_number = step("establish", "2026-11-25");
        no_number.decision_no = None;
        assert!(no_number.validate(&t, today).unwrap_err().get("decision_no").is_some());
        let ok = step("establish", "2026-11-25").validate(&t, today).unwrap();
        assert_eq!(ok.to_state(), TeamState::DaThanhLap);
    }

    #[test]
    fn clocks_of_tt_14() {
        let rules = ClockRules::default();
        let mut t = team(TeamState::DuKien);
        t.proposed_on = None;
        let dl = t.deadline(&rules, &WorkCalendar::default(), d(2026, 11, 24)).unwrap();
        assert_eq!((dl.due_on, dl.days_left), (d(2026, 11, 25), 1));
        let t = team(TeamState::ChoQuyetDinh);
        let dl = t.deadline(&rules, &WorkCalendar::default(), d(2026, 12, 2)).unwrap();
        assert_eq!(dl.due_on, d(2026, 11, 28));
        assert!(dl.overdue());
        let mut t = team(TeamState::ChoGiaiThe);
        t.dissolution_proposed_on = Some(d(2026, 12, 4)); // Friday
        assert_eq!(t.deadline(&rules, &WorkCalendar::default(), d(2026, 12, 4)).unwrap().due_on, d(2026, 12, 11));
        assert!(team(TeamState::DaThanhLap).deadline(&rules, &WorkCalendar::default(), d(2026, 12, 2)).is_none());
    }

    #[test]
    fn input_needs_a_name_and_an_area() {
        let e = TeamInput::default().validate(d(2026, 12, 2)).unwrap_err();
        assert!(e.get("name").is_some() && e.get("area_ids").is_some());
        let f = TeamInput { name: Some(" Tổ 1 ".into()), area_ids: vec![3, 2, 3], ..Default::default() }
            .validate(d(2026, 12, 2))
            .unwrap();
        assert_eq!(f.area_ids, [AreaId(2), AreaId(3)]);
    }
}
