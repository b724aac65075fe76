//! Handling a report: a step as entered, checked, and applied to the report with its clocks.
//! [`apply`] is the whole workflow (legal-rules §9.4 E): it is pure, so every allowed and
//! forbidden step and every deadline is unit-tested here.

use chrono::{DateTime, NaiveDate, Utc};

use super::clock::{ClockRules, Period, end_of_day, vn_date};
use super::record::Report;
use super::state::{ReportAction, ReportState, SuspendGround};
use crate::FieldErrors;
use crate::calendar::WorkCalendar;
use crate::model::parse_date;
use crate::validate::{Validated, choice, optional_text, required_text};

/// A step as entered (`POST /api/v1/reports/{id}/transitions`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct StepInput {
    /// Step code: verify, accept, transfer, extend, extend_procuracy, suspend, resume, prosecute,
    /// decline, refer, not_crime, notify_reporter.
    pub action: Option<String>,
    /// Date of the decision (default today; not in the future).
    pub on_date: Option<String>,
    /// New last day (extensions).
    pub until: Option<String>,
    /// Decision or document number (required for procuracy extensions, suspension,
    /// resumption, and the decisions to prosecute or not).
    pub decision_no: Option<String>,
    /// Who decides the extension, or the agency a report is referred to.
    pub authority: Option<String>,
    /// Why (extensions, transfers, decisions not to prosecute), or how a non-crime report is handled.
    pub reason: Option<String>,
    /// Suspension ground: giam_dinh, tai_lieu, khac.
    pub ground: Option<String>,
    /// Transfer target: a province code (its investigating body / duty desk) or a commune code.
    pub to_unit: Option<String>,
}

/// A checked step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Start preliminary verification.
    Verify,
    /// Take the report on for resolution.
    Accept,
    /// Move it to another unit.
    Transfer {
        /// Unit code.
        to_unit: String,
        /// Why.
        reason: String,
    },
    /// Extend the resolution (head of the investigating body), or by the procuracy.
    Extend {
        /// New last day.
        until: NaiveDate,
        /// Who decided.
        authority: String,
        /// Why.
        reason: String,
        /// Decision number.
        decision_no: Option<String>,
        /// The procuracy's one extension.
        procuracy: bool,
    },
    /// Suspend the resolution.
    Suspend {
        /// Ground.
        ground: SuspendGround,
        /// Decision number.
        decision_no: String,
        /// Decision date.
        on: NaiveDate,
        /// Details.
        reason: Option<String>,
    },
    /// Resume after a suspension.
    Resume {
        /// Decision number.
        decision_no: String,
        /// Decision date (the new period starts here).
        on: NaiveDate,
    },
    /// Decide to prosecute (`prosecute: true`) or not.
    Decide {
        /// Prosecute.
        prosecute: bool,
        /// Decision number.
        decision_no: String,
        /// Decision date.
        on: NaiveDate,
        /// Grounds (required for a decision not to prosecute).
        reason: Option<String>,
    },
    /// Refer to another competent agency.
    Refer {
        /// The agency.
        agency: String,
        /// Document number.
        decision_no: Option<String>,
        /// Date.
        on: NaiveDate,
    },
    /// Not a crime information source: handled otherwise.
    NotCrime {
        /// How it is handled.
        handling: String,
    },
    /// The reporter was told the result.
    NotifyReporter {
        /// Date.
        on: NaiveDate,
        /// How (letter, call, receipt page …).
        how: Option<String>,
    },
}

impl Step {
    /// The step's action.
    pub fn action(&self) -> ReportAction {
        match self {
            Step::Verify => ReportAction::Verify,
            Step::Accept => ReportAction::Accept,
            Step::Transfer { .. } => ReportAction::Transfer,
            Step::Extend { procuracy: false, .. } => ReportAction::Extend,
            Step::Extend { procuracy: true, .. } => ReportAction::ExtendProcuracy,
            Step::Suspend { .. } => ReportAction::Suspend,
            Step::Resume { .. } => ReportAction::Resume,
            Step::Decide { prosecute: true, .. } => ReportAction::Prosecute,
            Step::Decide { prosecute: false, .. } => ReportAction::Decline,
            Step::Refer { .. } => ReportAction::Refer,
            Step::NotCrime { .. } => ReportAction::NotCrime,
            Step::NotifyReporter { .. } => ReportAction::NotifyReporter,
        }
    }
}

fn text(e: &mut FieldErrors, field: &str, label: &str, v: Option<&str>, max: usize) -> String {
    required_text(e, field, label, v.unwrap_or(""), max)
}

fn day(e: &mut FieldErrors, field: &str, label: &str, v: Option<&str>, default: Option<NaiveDate>) -> NaiveDate {
    let fallback = default.unwrap_or(NaiveDate::MIN);
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None if default.is_some() => fallback,
        None => {
            e.add(field, format!("Chưa nhập {}.", label.to_lowercase()));
            fallback
        }
        Some(s) => parse_date(s).unwrap_or_else(|| {
            e.add(field, format!("{label} «{s}» không đúng định dạng ngày (dd/mm/yyyy)."));
            fallback
        }),
    }
}

impl StepInput {
    /// Checks the fields the step needs; `today` bounds decision dates.
    pub fn validate(&self, today: NaiveDate) -> Validated<Step> {
        let mut e = FieldErrors::new();
        let action = choice(&mut e, "action", "bước xử lý", self.action.as_deref(), ReportAction::Verify);
        if !e.is_empty() {
            return Err(e);
        }
        let decision = |e: &mut FieldErrors| text(e, "decision_no", "Số quyết định", self.decision_no.as_deref(), 100);
        let opt_decision =
            |e: &mut FieldErrors| optional_text(e, "decision_no", "Số văn bản", self.decision_no.as_deref(), 100);
        let reason = |e: &mut FieldErrors, label| text(e, "reason", label, self.reason.as_deref(), 2000);
        let on = |e: &mut FieldErrors| {
            let d = day(e, "on_date", "Ngày quyết định", self.on_date.as_deref(), Some(today));
            if d > today {
                e.add("on_date", "Ngày quyết định không được sau ngày hôm nay.");
            }
            d
        };
        let step = match action {
            ReportAction::Verify => Step::Verify,
            ReportAction::Accept => Step::Accept,
            ReportAction::Transfer => Step::Transfer {
                to_unit: text(&mut e, "to_unit", "Đơn vị nhận", self.to_unit.as_deref(), 10),
                reason: reason(&mut e, "Lý do chuyển"),
            },
            ReportAction::Extend | ReportAction::ExtendProcuracy => {
                let procuracy = action == ReportAction::ExtendProcuracy;
                Step::Extend {
                    until: day(&mut e, "until", "Ngày hết hạn mới", self.until.as_deref(), None),
                    authority: text(
                        &mut e,
                        "authority",
                        if procuracy { "Viện kiểm sát gia hạn" } else { "Người quyết định gia hạn" },
                        self.authority.as_deref(),
                        300,
                    ),
                    reason: reason(&mut e, "Lý do gia hạn"),
                    decision_no: if procuracy { Some(decision(&mut e)) } else { opt_decision(&mut e) },
                    procuracy,
                }
            }
            ReportAction::Suspend => Step::Suspend {
                ground: choice(&mut e, "ground", "căn cứ tạm đình chỉ", self.ground.as_deref(), SuspendGround::Khac),
                decision_no: decision(&mut e),
                on: on(&mut e),
                reason: optional_text(&mut e, "reason", "Ghi rõ căn cứ", self.reason.as_deref(), 2000),
            },
            ReportAction::Resume => Step::Resume { decision_no: decision(&mut e), on: on(&mut e) },
            ReportAction::Prosecute | ReportAction::Decline => {
                let prosecute = action == ReportAction::Prosecute;
                Step::Decide {
                    prosecute,
                    decision_no: decision(&mut e),
                    on: on(&mut e),
                    reason: if prosecute {
                        optional_text(&mut e, "reason", "Ghi chú", self.reason.as_deref(), 2000)
                    } else {
                        Some(reason(&mut e, "Lý do không khởi tố"))
                    },
                }
            }
            ReportAction::Refer => Step::Refer {
                agency: text(&mut e, "authority", "Cơ quan có thẩm quyền nhận", self.authority.as_deref(), 300),
                decision_no: opt_decision(&mut e),
                on: on(&mut e),
            },
            ReportAction::NotCrime => Step::NotCrime { handling: reason(&mut e, "Hướng xử lý") },
            ReportAction::NotifyReporter => Step::NotifyReporter {
                on: on(&mut e),
                how: optional_text(&mut e, "reason", "Hình thức thông báo", self.reason.as_deref(), 500),
            },
        };
        if let Step::Suspend { ground: SuspendGround::Khac, reason: None, .. } = &step {
            e.add("reason", "Căn cứ «khác» phải ghi rõ.");
        }
        e.into_result(step)
    }
}

/// The unit a report arrives at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitTarget {
    /// Province.
    pub province_code: String,
    /// Commune (`None`: the province's duty desk and investigating body).
    pub commune_code: Option<String>,
    /// A remote or island commune.
    pub remote: bool,
}

/// What a step records in the trail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepRecord {
    /// Unit before (transfers).
    pub from_unit: Option<String>,
    /// Unit after (transfers).
    pub to_unit: Option<String>,
    /// Date of the decision.
    pub on_date: Option<NaiveDate>,
    /// New last day.
    pub until_on: Option<NaiveDate>,
    /// Decision number.
    pub decision_no: Option<String>,
    /// Who decided, or the agency.
    pub authority: Option<String>,
    /// Why.
    pub note: Option<String>,
}

/// Sets the clocks of a report that has just arrived at its unit (intake or transfer): a
/// commune has the transfer hours; the province, as the investigating body, starts the
/// resolution period on the day of receipt.
pub fn arrive(r: &mut Report, rules: &ClockRules) {
    r.state = ReportState::DaTiepNhan;
    r.procuracy_extended = false;
    if r.commune_code.is_some() {
        r.transfer_due_at = Some(rules.transfer_due(r.unit_received_at, r.remote));
        r.clock_start_on = None;
        r.resolve_due_on = None;
    } else {
        let start = vn_date(r.unit_received_at);
        r.transfer_due_at = None;
        r.clock_start_on = Some(start);
        r.resolve_due_on = Some(rules.resolve_due(start));
    }
    r.due_at = running_due(r);
}

/// The deadline that runs in the report's state.
pub fn running_due(r: &Report) -> Option<DateTime<Utc>> {
    match r.state {
        ReportState::DaTiepNhan | ReportState::XacMinhSoBo => r.transfer_due_at.or(r.resolve_due_on.map(end_of_day)),
        ReportState::DangGiaiQuyet => r.resolve_due_on.map(end_of_day),
        _ => None,
    }
}

/// Applies `step` at `now` under `rules` and the working-day calendar `cal`; `target` is the resolved unit of a transfer.
/// Returns the report as it becomes and what the trail records, or why it is refused
/// (nothing changes then).
pub fn apply(
    report: &Report,
    step: &Step,
    now: DateTime<Utc>,
    rules: &ClockRules,
    cal: &WorkCalendar,
    target: Option<&UnitTarget>,
) -> Result<(Report, StepRecord), FieldErrors> {
    let refuse = |field: &str, m: String| Err(FieldErrors::single(field, m));
    let to = match report.state.apply(step.action()) {
        Ok(s) => s,
        Err(m) => return refuse("action", m),
    };
    let received_on = vn_date(report.received_at);
    let too_early = |on: NaiveDate| on < received_on;
    let mut r = report.clone();
    let mut rec = StepRecord::default();
    // The commune's transfer clock stops at its first move, whatever the move is.
    let stops_transfer_clock = report.state.is_intake() && !matches!(step, Step::Verify);
    if stops_transfer_clock
        && r.transfer_on_time.is_none()
        && let Some(due) = r.transfer_due_at
    {
        r.transfer_on_time = Some(now <= due);
    }
    match step {
        Step::Verify => {}
        Step::Accept => {
            let start = r.clock_start_on.unwrap_or_else(|| vn_date(r.unit_received_at));
            r.clock_start_on = Some(start);
            r.resolve_due_on = r.resolve_due_on.or(Some(rules.resolve_due(start)));
            r.transfer_due_at = None;
        }
        Step::Transfer { reason, .. } => {
            let Some(t) = target else { return refuse("to_unit", "Chưa chọn đơn vị nhận.".into()) };
            if t.province_code == r.province_code && t.commune_code == r.commune_code {
                return refuse("to_unit", "Tin đang ở đơn vị này; hãy chọn đơn vị khác.".into());
            }
            rec.from_unit = Some(r.unit_code().to_string());
            r.first_transfer_secs.get_or_insert((now - r.received_at).num_seconds().max(0));
            r.province_code = t.province_code.clone();
            r.commune_code = t.commune_code.clone();
            r.remote = t.remote;
            r.unit_received_at = now;
            arrive(&mut r, rules);
            rec.to_unit = Some(r.unit_code().to_string());
            rec.note = Some(reason.clone());
        }
        Step::Extend { until, authority, reason, decision_no, procuracy } => {
            let (Some(start), Some(due)) = (r.clock_start_on, r.resolve_due_on) else {
                return refuse("action", "Tin chưa có thời hạn giải quyết để gia hạn.".into());
            };
            let period = Period { start, due, procuracy_used: r.procuracy_extended };
            if let Err(m) = rules.check_extension(&period, *until, *procuracy, cal) {
                return refuse("until", m);
            }
            r.resolve_due_on = Some(*until);
            r.procuracy_extended |= *procuracy;
            rec.until_on = Some(*until);
            rec.authority = Some(authority.clone());
            rec.note = Some(reason.clone());
            rec.decision_no = decision_no.clone();
        }
        Step::Suspend { ground, decision_no, on, reason } => {
            if too_early(*on) {
                return refuse("on_date", "Ngày quyết định không được trước ngày tiếp nhận tin.".into());
            }
            rec.on_date = Some(*on);
            rec.decision_no = Some(decision_no.clone());
            rec.note = Some(match reason {
                Some(x) => format!("{}: {x}", ground.label()),
                None => ground.label().to_string(),
            });
        }
        Step::Resume { decision_no, on } => {
            if too_early(*on) {
                return refuse("on_date", "Ngày quyết định không được trước ngày tiếp nhận tin.".into());
            }
            r.clock_start_on = Some(*on);
            r.resolve_due_on = Some(rules.resume_due(*on));
            r.procuracy_extended = false;
            rec.on_date = Some(*on);
            rec.decision_no = Some(decision_no.clone());
        }
        Step::Decide { decision_no, on, reason, .. } => {
            if too_early(*on) {
                return refuse("on_date", "Ngày quyết định không được trước ngày tiếp nhận tin.".into());
            }
            r.decision_no = Some(decision_no.clone());
            r.decided_on = Some(*on);
            r.outcome_note = reason.clone();
            rec.on_date = Some(*on);
            rec.decision_no = Some(decision_no.clone());
            rec.note = reason.clone();
        }
        Step::Refer { agency, decision_no, on } => {
            if too_early(*on) {
                return refuse("on_date", "Ngày chuyển không được trước ngày tiếp nhận tin.".into());
            }
            r.decision_no = decision_no.clone();
            r.decided_on = Some(*on);
            r.outcome_note = Some(agency.clone());
            rec.on_date = Some(*on);
            rec.decision_no = decision_no.clone();
            rec.authority = Some(agency.clone());
        }
        Step::NotCrime { handling } => {
            r.outcome_note = Some(handling.clone());
            rec.note = Some(handling.clone());
        }
        Step::NotifyReporter { on, how } => {
            if r.reporter_notified_at.is_some() {
                return refuse("action", "Việc thông báo kết quả cho người báo tin đã được ghi nhận.".into());
            }
            if r.anonymous {
                return refuse("action", "Người báo tin ẩn danh: không có ai để thông báo trực tiếp.".into());
            }
            if too_early(*on) {
                return refuse("on_date", "Ngày thông báo không được trước ngày tiếp nhận tin.".into());
            }
            r.reporter_notified_at = Some(now);
            rec.on_date = Some(*on);
            rec.note = how.clone();
        }
    }
    r.state = to;
    if to.is_closed() && !report.state.is_closed() {
        r.closed_at = Some(now);
        r.closed_on_time = Some(report.due_at.is_none_or(|d| now <= d));
        r.resolve_secs = Some((now - r.received_at).num_seconds().max(0));
        r.transfer_due_at = None;
    }
    r.due_at = running_due(&r);
    r.citizen_unread = false;
    r.updated_at = now;
    Ok((r, rec))
}

/// The notice the citizen reads on the receipt page when the status they see changes.
pub fn citizen_notice(before: ReportState, after: ReportState) -> Option<String> {
    let (a, b) = (before.public_status(), after.public_status());
    (a != b).then(|| format!("Tình trạng tin của bạn: {}.", b.label()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::state::{Category, Channel, ReportKind};

    const RULES: ClockRules = ClockRules {
        transfer_hours: 24,
        transfer_hours_remote: 48,
        resolve_days: 20,
        extension_months: 2,
        procuracy_months: 2,
        resume_days: 20,
    };

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The Labour Code's calendar without recorded changes.
    fn cal() -> WorkCalendar {
        WorkCalendar::new(&Vec::new())
    }

    /// A report received at 09:00 Vietnam time on 31/01/2024 by commune 22333.
    fn received(commune: Option<&str>, remote: bool) -> Report {
        let t = at("2024-01-31T02:00:00Z");
        let mut r = Report {
            id: 1,
            code: "TG-00000-00001".into(),
            kind: ReportKind::ToGiac,
            channel: Channel::CongKhai,
            category: Category::MaTuy,
            summary: "Có người bán ma túy".into(),
            source: None,
            occurred_on: None,
            occurred_time: None,
            place_province_code: "56".into(),
            place_commune_code: commune.map(Into::into),
            place_address: None,
            place_unknown: commune.is_none(),
            province_code: "56".into(),
            commune_code: commune.map(Into::into),
            state: ReportState::DaTiepNhan,
            received_at: t,
            unit_received_at: t,
            transfer_due_at: None,
            clock_start_on: None,
            resolve_due_on: None,
            procuracy_extended: false,
            due_at: None,
            remote,
            anonymous: false,
            confidential: false,
            urgent: false,
            valuable: false,
            has_receipt: true,
            citizen_unread: true,
            minutes_no: None,
            received_by: "cong_dan".into(),
            decision_no: None,
            decided_on: None,
            outcome_note: None,
            closed_at: None,
            closed_on_time: None,
            transfer_on_time: None,
            first_transfer_secs: None,
            resolve_secs: None,
            reporter_notified_at: None,
            activity_id: None,
            updated_at: t,
        };
        arrive(&mut r, &RULES);
        r
    }

    fn step(r: &Report, s: Step, now: &str) -> Report {
        apply(r, &s, at(now), &RULES, &cal(), None).unwrap_or_else(|e| panic!("{e}")).0
    }

    fn decide(prosecute: bool, on: NaiveDate) -> Step {
        Step::Decide {
            prosecute, decision_no: "12/QĐ".into(), on, reason: Some("Không có sự việc phạm tội".into())
        }
    }

    #[test]
    fn a_commune_has_24_hours_or_48_when_remote() {
        let r = received(Some("22333"), false);
        assert_eq!(r.due_at, Some(at("2024-02-01T02:00:00Z")));
        assert_eq!(received(Some("22333"), true).due_at, Some(at("2024-02-02T02:00:00Z")));
        let late = step(&r, Step::Accept, "2024-02-01T03:00:00Z");
        assert_eq!(late.transfer_on_time, Some(false));
        // Accepted: 20 days from the commune's receipt (31/01 not counted) across February 2024.
        assert_eq!(late.resolve_due_on, Some(d(2024, 2, 20)));
        assert_eq!(late.due_at, Some(at("2024-02-20T17:00:00Z")));
        let verified = step(&r, Step::Verify, "2024-01-31T05:00:00Z");
        assert_eq!((verified.state, verified.due_at), (ReportState::XacMinhSoBo, r.due_at), "the clock still runs");
        assert_eq!(verified.transfer_on_time, None);
    }

    #[test]
    fn the_province_resolves_from_the_day_of_receipt() {
        let r = received(None, false);
        assert_eq!(r.transfer_due_at, None);
        assert_eq!(r.resolve_due_on, Some(d(2024, 2, 20)));
        let a = step(&r, Step::Accept, "2024-02-10T02:00:00Z");
        assert_eq!(a.resolve_due_on, Some(d(2024, 2, 20)), "accepting does not restart the period");
    }

    #[test]
    fn transfer_keeps_the_trail_and_restarts_the_clock() {
        let r = received(Some("22333"), false);
        let to = UnitTarget { province_code: "56".into(), commune_code: None, remote: false };
        let transfer = Step::Transfer { to_unit: "56".into(), reason: "Vượt thẩm quyền".into() };
        let (moved, rec) = apply(&r, &transfer, at("2024-01-31T20:00:00Z"), &RULES, &cal(), Some(&to)).unwrap();
        assert_eq!((rec.from_unit.as_deref(), rec.to_unit.as_deref()), (Some("22333"), Some("56")));
        assert_eq!((moved.commune_code.as_deref(), moved.state), (None, ReportState::DaTiepNhan));
        assert_eq!(moved.transfer_on_time, Some(true));
        assert_eq!(moved.first_transfer_secs, Some(18 * 3600));
        // Received by the province at 03:00 on 01/02 Vietnam time: 20 days → 21/02.
        assert_eq!(moved.resolve_due_on, Some(d(2024, 2, 21)));
        let same = apply(&moved, &transfer, at("2024-02-01T00:00:00Z"), &RULES, &cal(), Some(&to)).unwrap_err();
        assert!(same.get("to_unit").unwrap().contains("đơn vị này"));
        let back = UnitTarget { province_code: "56".into(), commune_code: Some("22366".into()), remote: true };
        let (down, _) = apply(&moved, &transfer, at("2024-02-02T00:00:00Z"), &RULES, &cal(), Some(&back)).unwrap();
        assert_eq!(down.due_at, Some(at("2024-02-04T00:00:00Z")), "48 h at a remote commune");
        assert_eq!(down.first_transfer_secs, Some(18 * 3600), "the first transfer is kept");
    }

    #[test]
    fn extensions_then_the_procuracy_once() {
        let r = step(&received(Some("22333"), false), Step::Accept, "2024-01-31T03:00:00Z");
        let ext = |until, procuracy| Step::Extend {
            until,
            authority: if procuracy { "VKSND tỉnh".into() } else { "Thủ trưởng CQĐT".into() },
            reason: "Phải xác minh ở nhiều nơi".into(),
            decision_no: Some("5/QĐ".into()),
            procuracy,
        };
        // Two months after 31/01/2024 is Sunday 31/03/2024: the cap is the next working day.
        let e = apply(&r, &ext(d(2024, 4, 2), false), at("2024-02-15T00:00:00Z"), &RULES, &cal(), None).unwrap_err();
        assert!(e.get("until").unwrap().contains("01/04/2024"), "{e}");
        let r1 = step(&r, ext(d(2024, 3, 15), false), "2024-02-15T00:00:00Z");
        let r2 = step(&r1, ext(d(2024, 3, 31), false), "2024-03-10T00:00:00Z");
        assert_eq!(r2.due_at, Some(at("2024-03-31T17:00:00Z")));
        let e = apply(&r2, &ext(d(2024, 6, 1), true), at("2024-03-20T00:00:00Z"), &RULES, &cal(), None).unwrap_err();
        assert!(e.get("until").unwrap().contains("31/05/2024"), "{e}");
        let r3 = step(&r2, ext(d(2024, 5, 31), true), "2024-03-20T00:00:00Z");
        assert!(r3.procuracy_extended);
        let e = apply(&r3, &ext(d(2024, 5, 31), true), at("2024-04-01T00:00:00Z"), &RULES, &cal(), None).unwrap_err();
        assert!(e.get("until").is_some());
        // Suspension stops the clock; resumption starts a new period and a new procuracy extension.
        let s = Step::Suspend {
            ground: SuspendGround::GiamDinh,
            decision_no: "7/QĐ".into(),
            on: d(2024, 5, 1),
            reason: None,
        };
        let suspended = step(&r3, s, "2024-05-01T03:00:00Z");
        assert_eq!((suspended.state, suspended.due_at), (ReportState::TamDinhChi, None));
        let resumed =
            step(&suspended, Step::Resume { decision_no: "8/QĐ".into(), on: d(2024, 12, 20) }, "2024-12-20T03:00:00Z");
        assert_eq!((resumed.clock_start_on, resumed.resolve_due_on), (Some(d(2024, 12, 20)), Some(d(2025, 1, 9))));
        assert!(!resumed.procuracy_extended);
        let closed = step(&resumed, decide(true, d(2025, 1, 5)), "2025-01-05T03:00:00Z");
        assert_eq!((closed.state, closed.closed_on_time, closed.due_at), (ReportState::KhoiTo, Some(true), None));
        assert_eq!(closed.decision_no.as_deref(), Some("12/QĐ"));
    }

    #[test]
    fn closing_late_is_recorded() {
        let r = step(&received(None, false), Step::Accept, "2024-01-31T03:00:00Z");
        let late = step(&r, decide(false, d(2024, 2, 25)), "2024-02-25T03:00:00Z");
        assert_eq!((late.state, late.closed_on_time), (ReportState::KhongKhoiTo, Some(false)));
        assert_eq!(late.resolve_secs, Some(25 * 86400 + 3600));
        let early =
            apply(&r, &decide(false, d(2024, 1, 30)), at("2024-02-01T00:00:00Z"), &RULES, &cal(), None).unwrap_err();
        assert!(early.get("on_date").is_some(), "a decision before the receipt");
    }

    #[test]
    fn refused_steps_change_nothing() {
        let r = received(Some("22333"), false);
        let e = apply(&r, &decide(true, d(2024, 2, 1)), at("2024-02-01T00:00:00Z"), &RULES, &cal(), None).unwrap_err();
        assert!(e.get("action").unwrap().contains("Đã tiếp nhận"));
        let closed = step(&r, Step::NotCrime { handling: "Chuyển xử lý hành chính".into() }, "2024-01-31T05:00:00Z");
        assert_eq!(closed.transfer_on_time, Some(true));
        let n = Step::NotifyReporter { on: d(2024, 2, 1), how: Some("Gọi điện".into()) };
        let told = step(&closed, n.clone(), "2024-02-01T03:00:00Z");
        assert!(told.reporter_notified_at.is_some());
        assert!(apply(&told, &n, at("2024-02-02T00:00:00Z"), &RULES, &cal(), None).is_err(), "only once");
        let anonymous = Report { anonymous: true, ..closed };
        assert!(apply(&anonymous, &n, at("2024-02-02T00:00:00Z"), &RULES, &cal(), None).is_err());
    }

    #[test]
    fn steps_name_their_missing_fields() {
        let today = d(2026, 12, 2);
        let e = StepInput { action: Some("extend".into()), ..Default::default() }.validate(today).unwrap_err();
        for f in ["until", "authority", "reason"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let e =
            StepInput { action: Some("extend_procuracy".into()), ..Default::default() }.validate(today).unwrap_err();
        assert!(e.get("decision_no").is_some());
        let e = StepInput {
            action: Some("suspend".into()),
            ground: Some("khac".into()),
            decision_no: Some("1".into()),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        assert!(e.get("reason").unwrap().contains("ghi rõ"));
        let e = StepInput {
            action: Some("prosecute".into()),
            decision_no: Some("1".into()),
            on_date: Some("2026-12-03".into()),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        assert!(e.get("on_date").unwrap().contains("sau ngày hôm nay"));
        let e = StepInput { action: Some("fly".into()), ..Default::default() }.validate(today).unwrap_err();
        assert!(e.get("action").unwrap().contains("Thụ lý"));
        assert_eq!(StepInput { action: Some("accept".into()), ..Default::default() }.validate(today), Ok(Step::Accept));
        let e = StepInput { action: Some("decline".into()), decision_no: Some("1".into()), ..Default::default() }
            .validate(today)
            .unwrap_err();
        assert!(e.get("reason").is_some(), "a decision not to prosecute gives its grounds");
    }

    #[test]
    fn citizens_are_told_when_what_they_see_changes() {
        assert_eq!(citizen_notice(ReportState::DaTiepNhan, ReportState::XacMinhSoBo), None);
        assert!(citizen_notice(ReportState::DangGiaiQuyet, ReportState::KhoiTo).unwrap().contains("kết quả"));
    }
}
