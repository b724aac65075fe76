//! Reports as stored and shown: the officer's view, the trail, the dialogue, attachments and
//! the citizen's view (which carries nothing internal).

use chrono::{DateTime, NaiveDate, Utc};

use super::clock::Countdown;
use super::state::{Category, Channel, MessageAuthor, PublicStatus, ReportKind, ReportState};

/// A report as officers see it. `province_code`/`commune_code` are the unit in charge (a
/// report without a commune is in the province's duty queue); the place of the events is
/// `place_*`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Row id.
    pub id: i64,
    /// Public reference (the receipt code).
    pub code: String,
    /// Type.
    pub kind: ReportKind,
    /// How it arrived.
    pub channel: Channel,
    /// Category.
    pub category: Category,
    /// What happened.
    pub summary: String,
    /// The sending agency or organisation.
    pub source: Option<String>,
    /// When it happened.
    pub occurred_on: Option<NaiveDate>,
    /// At what time (HH:MM).
    pub occurred_time: Option<String>,
    /// Province where it happened.
    pub place_province_code: String,
    /// Commune where it happened.
    pub place_commune_code: Option<String>,
    /// Free address.
    pub place_address: Option<String>,
    /// The place is not known.
    pub place_unknown: bool,
    /// Province of the unit in charge.
    pub province_code: String,
    /// Commune of the unit in charge (`None`: the province).
    pub commune_code: Option<String>,
    /// State.
    pub state: ReportState,
    /// First receipt by any unit.
    pub received_at: DateTime<Utc>,
    /// Receipt by the unit in charge.
    pub unit_received_at: DateTime<Utc>,
    /// When the commune must have transferred or taken it on.
    pub transfer_due_at: Option<DateTime<Utc>>,
    /// First day of the running resolution period.
    pub clock_start_on: Option<NaiveDate>,
    /// Last day of the running resolution period (extensions included).
    pub resolve_due_on: Option<NaiveDate>,
    /// The procuracy has extended the running period.
    pub procuracy_extended: bool,
    /// The deadline running now (`None`: suspended or closed).
    pub due_at: Option<DateTime<Utc>>,
    /// The unit in charge is a remote or island commune (48 h).
    pub remote: bool,
    /// The reporter is anonymous.
    pub anonymous: bool,
    /// The reporter asked for confidentiality and protection.
    pub confidential: bool,
    /// Report at once to the investigating body (TT 129/2021).
    pub urgent: bool,
    /// "Tin có giá trị".
    pub valuable: bool,
    /// The reporter holds a receipt (can read and answer messages).
    pub has_receipt: bool,
    /// The citizen wrote since an officer last acted.
    pub citizen_unread: bool,
    /// Number of the receipt minutes.
    pub minutes_no: Option<String>,
    /// Who received it (login name, or `cong_dan` for the public form).
    pub received_by: String,
    /// Number of the closing decision or document.
    pub decision_no: Option<String>,
    /// Its date.
    pub decided_on: Option<NaiveDate>,
    /// The agency referred to, or how a non-crime report is handled.
    pub outcome_note: Option<String>,
    /// When handling ended.
    pub closed_at: Option<DateTime<Utc>>,
    /// It ended before its deadline.
    pub closed_on_time: Option<bool>,
    /// The commune transferred or took it on within the 24 h / 48 h.
    pub transfer_on_time: Option<bool>,
    /// Seconds from receipt to the first transfer.
    pub first_transfer_secs: Option<i64>,
    /// Seconds from receipt to the end of handling.
    pub resolve_secs: Option<i64>,
    /// When the reporter was told the result.
    pub reporter_notified_at: Option<DateTime<Utc>>,
    /// The movement activity it was received at (channel «tại hội nghị, buổi tuyên truyền»).
    pub activity_id: Option<i64>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Report {
    /// Time left on the running deadline at `now`.
    pub fn countdown(&self, now: DateTime<Utc>) -> Option<Countdown> {
        self.due_at.map(|d| Countdown::between(now, d))
    }

    /// The running deadline has passed.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.due_at.is_some_and(|d| d < now)
    }

    /// The unit in charge, as a code (the commune, or the province).
    pub fn unit_code(&self) -> &str {
        self.commune_code.as_deref().unwrap_or(&self.province_code)
    }
}

/// A row of a unit's queue.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ReportListItem {
    /// Row id.
    pub id: i64,
    /// Reference.
    pub code: String,
    /// Type.
    pub kind: ReportKind,
    /// Channel.
    pub channel: Channel,
    /// Category.
    pub category: Category,
    /// State.
    pub state: ReportState,
    /// Province of the unit in charge.
    pub province_code: String,
    /// Commune of the unit in charge.
    pub commune_code: Option<String>,
    /// First receipt.
    pub received_at: DateTime<Utc>,
    /// Running deadline.
    pub due_at: Option<DateTime<Utc>>,
    /// Urgent.
    pub urgent: bool,
    /// Valuable.
    pub valuable: bool,
    /// Anonymous.
    pub anonymous: bool,
    /// Unread citizen message.
    pub citizen_unread: bool,
    /// The first words of the description.
    pub excerpt: String,
}

/// One entry of a report's trail.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ReportEvent {
    /// Row id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// `received`, `edited`, or a step code.
    pub action: String,
    /// State before.
    pub from_state: Option<ReportState>,
    /// State after.
    pub to_state: ReportState,
    /// Unit before (transfers).
    pub from_unit: Option<String>,
    /// Unit after (transfers).
    pub to_unit: Option<String>,
    /// Date of the decision or step.
    pub on_date: Option<NaiveDate>,
    /// New last day (extensions).
    pub until_on: Option<NaiveDate>,
    /// Decision or document number.
    pub decision_no: Option<String>,
    /// Who decided, or the agency referred to.
    pub authority: Option<String>,
    /// Why, or what changed.
    pub note: Option<String>,
    /// Login name of the officer (`cong_dan` for the citizen).
    pub username: String,
}

/// A message of the dialogue with the citizen.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReportMessage {
    /// Row id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who wrote it.
    pub author: MessageAuthor,
    /// Officer's login name (officers only; never shown to the citizen).
    pub username: Option<String>,
    /// The text.
    pub body: String,
}

/// An attachment (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReportAttachment {
    /// Row id.
    pub id: i64,
    /// File name as sent.
    pub file_name: String,
    /// Content type (checked by content).
    pub content_type: String,
    /// Size in bytes (after metadata removal).
    pub size: i64,
    /// `citizen` or `officer`.
    pub added_by: MessageAuthor,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// What the citizen sees with their receipt.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct CitizenView {
    /// The code.
    pub code: String,
    /// Status in plain words.
    pub status: PublicStatus,
    /// The same as text.
    pub status_text: String,
    /// Type.
    pub kind: ReportKind,
    /// Category.
    pub category: Category,
    /// Day it was received.
    pub received_on: NaiveDate,
    /// The dialogue, oldest first (officers are not named).
    pub messages: Vec<CitizenMessage>,
    /// Number of files sent.
    pub attachments: i64,
}

/// A message as the citizen sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CitizenMessage {
    /// When.
    pub at: DateTime<Utc>,
    /// Who wrote it.
    pub author: MessageAuthor,
    /// The text.
    pub body: String,
}

impl From<ReportMessage> for CitizenMessage {
    fn from(m: ReportMessage) -> Self {
        CitizenMessage { at: m.at, author: m.author, body: m.body }
    }
}
