//! antq's storage: the only crate that speaks SQL.
//!
//! One [`Db`] enum holds a SQLite or a PostgreSQL pool; every query is written once in
//! portable SQL and expanded per backend by [`with_db!`], so each expansion is type-checked
//! against its own driver. Migrations live in `migrations/sqlite` and `migrations/postgres`
//! with identical versions (a test checks it). Row types live here; the domain crate never
//! sees sqlx.

mod db;
mod error;
mod sql;

pub mod activities;
pub mod antt;
pub mod areas;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod cameras;
pub mod commendations;
pub mod establishments;
pub mod exemplars;
pub mod force;
pub mod former_places;
pub mod former_units;
pub mod keys;
pub mod model_types;
pub mod models;
pub mod movement;
pub mod official;
pub mod official_reports;
pub mod pivot;
pub mod ratings;
pub mod reports;
pub mod rules;
pub mod seed;
pub mod stats;
pub mod targets;
pub mod unit_changes;
pub mod units;
pub mod users;

pub use db::{Backend, Db, Tx, redact_url};
pub use error::{StoreError, StoreResult};
pub use sql::Arg;

#[cfg(feature = "testing")]
pub mod testing;
