//! antq's domain: identifiers, validated inputs, enumerations, rules and state machines.
//!
//! No I/O and no async here: everything in this crate is a pure function of its inputs, so
//! the web layer, the CLI and the tests share exactly the same rules.

pub mod access;
pub mod activity;
pub mod antt;
pub mod area;
pub mod audit;
pub mod calendar;
pub mod camera;
pub mod commendation;
pub mod enums;
pub mod establishment;
pub mod exemplar;
pub mod force;
pub mod ids;
pub mod model;
pub mod movement;
pub mod official;
pub mod page;
pub mod rating;
pub mod report;
pub mod rules;
pub mod succession;
pub mod table;
pub mod target;
pub mod text;
pub mod unit;
pub mod unit_change;
pub mod validate;

pub use validate::{FieldErrors, Validated};
