//! The application context handed to every use-case.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use antq_store::Db;
use chrono::{DateTime, NaiveDate, Utc};

use crate::keys::IdentityKey;

/// Settings the use-cases need.
#[derive(Clone, Debug)]
pub struct Settings {
    /// A browser session expires after this much inactivity.
    pub session_idle: Duration,
    /// Largest import file, in rows.
    pub max_import_rows: usize,
    /// Public reports waiting to be written; beyond this the public form answers "busy".
    pub intake_queue: usize,
    /// Public reports written in one transaction (one disk sync) at most.
    pub intake_batch: usize,
    /// Receipt secrets hashed at the same time (the slow hash uses one core each).
    pub hashing_threads: usize,
    /// How long the dashboard's charts of a scope are kept before they are read again.
    pub chart_cache: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_idle: Duration::from_secs(8 * 3600),
            max_import_rows: 200_000,
            intake_queue: 4096,
            intake_batch: 64,
            hashing_threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            chart_cache: Duration::from_secs(60),
        }
    }
}

/// A resolver of the former map and the id of the current map it restates into.
pub(crate) type CachedResolver = (String, Arc<antq_domain::succession::Resolver>);

/// Database, settings and keys; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppCtx {
    /// The database.
    pub db: Db,
    /// Settings.
    pub settings: Settings,
    /// Login failure counters.
    pub throttle: Arc<crate::throttle::Throttle>,
    /// The key sealing reporters' identities.
    pub identity_key: Arc<IdentityKey>,
    /// Permits to run the slow receipt hash.
    pub(crate) hashing: Arc<tokio::sync::Semaphore>,
    /// The writer of public reports, started on the first one.
    pub(crate) intake: Arc<OnceLock<crate::reports::intake::IntakeQueue>>,
    /// The dashboard's charts of each scope, kept for a short while.
    pub(crate) charts: Arc<crate::dashboard::ChartCache>,
    /// The resolver of the former map into the current one, with the current map's id: built
    /// on first use, and again once a change of the map was applied (by any process).
    pub(crate) former: Arc<tokio::sync::RwLock<Option<CachedResolver>>>,
}

impl AppCtx {
    /// A context over an open (migrated) database, sealing identities with `identity_key`.
    pub fn new(db: Db, settings: Settings, identity_key: IdentityKey) -> Self {
        let hashing = Arc::new(tokio::sync::Semaphore::new(settings.hashing_threads.max(1)));
        AppCtx {
            db,
            settings,
            throttle: Default::default(),
            identity_key: Arc::new(identity_key),
            hashing,
            intake: Default::default(),
            charts: Default::default(),
            former: Default::default(),
        }
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
