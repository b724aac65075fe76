//! antq's use-cases, shared by the web pages, the JSON API and the CLI.
//!
//! Every use-case takes an [`Actor`] and checks permission and scope here, so the three
//! front ends cannot disagree about who may do what. Errors are [`AppError`]: outcomes in
//! domain terms, turned into HTTP statuses in exactly one place (`antq-web`).

pub mod accounts;
pub mod activities;
pub mod actor;
pub mod antt;
pub mod areas;
pub mod audit;
pub mod calendar;
pub mod cameras;
pub mod commendations;
mod context;
pub mod dashboard;
pub mod demo;
mod error;
pub mod establishments;
pub mod force;
pub mod former_stats;
pub mod interchange;
pub mod keys;
pub mod lineage;
mod links;
pub mod model_types;
pub mod models;
pub mod movement;
pub mod official;
pub mod pivot;
pub mod rating_files;
pub mod ratings;
pub mod reports;
pub mod rules;
pub mod stats;
pub mod targets;
pub mod throttle;
pub mod totp;
pub mod unit_changes;
pub mod units;

pub use actor::Actor;
pub use context::{AppCtx, Settings};
pub use error::{AppError, AppResult};
