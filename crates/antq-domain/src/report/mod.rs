//! Crime information sources: denunciations, crime reports, petitions to prosecute and the
//! duty-desk types (C9; BLTTHS 2015 Điều 144–149, TTLT 01/2017, TT 28/2020). A report is
//! routed to the commune of its place (or the province's duty queue), handled through the
//! state machine of legal-rules §9.4 E with its legal clocks, and followed by the citizen
//! with a receipt. The reporter's identity is a separate [`input::Identity`], encrypted by the
//! application and never part of [`Report`].

pub mod clock;
pub mod handling;
pub mod input;
pub mod receipt;
pub mod record;
pub mod state;
pub mod stats;

pub use clock::{ClockRules, Countdown};
pub use handling::{Step, StepInput, StepRecord, UnitTarget};
pub use input::{ContentInput, Identity, IdentityRequest, IntakeInput, PublicReportInput, ReportEdit, ReporterInput};
pub use record::{CitizenView, Report, ReportAttachment, ReportEvent, ReportListItem, ReportMessage};
pub use state::{Category, Channel, MessageAuthor, PublicStatus, ReportAction, ReportKind, ReportState};
