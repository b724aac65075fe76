//! The base-level security force (C8): teams, memberships, their trail and dossier documents,
//! rating sheets, training courses, alerts and statistics.
//!
//! A team row keeps counters (members by role, households of its areas) that every write of
//! this module refreshes in the same transaction, so that a province's alerts read one row
//! per team.

pub mod alerts;
pub mod courses;
pub mod members;
pub mod ratings;
pub mod stats;
pub mod teams;

pub use members::{MemberFilter, NewMember, SealedCid};
pub use teams::TeamFilter;
