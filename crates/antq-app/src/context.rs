//! The application context handed to every use-case.

use std::time::Duration;

use antq_store::Db;
use chrono::{DateTime, NaiveDate, Utc};

/// Settings the use-cases need.
#[derive(Clone, Debug)]
pub struct Settings {
    /// A browser session expires after this much inactivity.
    pub session_idle: Duration,
    /// Largest import file, in rows.
    pub max_import_rows: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { session_idle: Duration::from_secs(8 * 3600), max_import_rows: 200_000 }
    }
}

/// Database plus settings; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppCtx {
    /// The database.
    pub db: Db,
    /// Settings.
    pub settings: Settings,
    /// Login failure counters.
    pub throttle: std::sync::Arc<crate::throttle::Throttle>,
}

impl AppCtx {
    /// A context over an open (migrated) database.
    pub fn new(db: Db, settings: Settings) -> Self {
        AppCtx { db, settings, throttle: Default::default() }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    /// Today's date in Vietnam (UTC+7), which is what "today" means to users.
    pub fn today(&self) -> NaiveDate {
        (self.now() + chrono::Duration::hours(7)).date_naive()
    }
}
