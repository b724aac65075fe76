//! The command line (clap). Every subcommand shares `--data-dir` and `--database-url`, so
//! the CLI and the server always open the same database.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// antq — hệ thống quản lý phong trào Toàn dân bảo vệ an ninh Tổ quốc.
#[derive(Debug, Parser)]
#[command(name = "antq", version, about)]
pub struct Cli {
    /// Options of every command.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct Global {
    /// Data directory (the SQLite database and keys live here).
    #[arg(long, env = "ANTQ_DATA_DIR", default_value = "./antq-data", global = true)]
    pub data_dir: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB (default: SQLite in the data directory).
    #[arg(long, env = "ANTQ_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Log filter (tracing EnvFilter syntax), e.g. `info,sqlx=warn`.
    #[arg(long, env = "ANTQ_LOG", default_value = "info,sqlx=warn,tower_http=info", global = true)]
    pub log: String,
    /// Log format.
    #[arg(long, env = "ANTQ_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

/// Log output format.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (pages and API).
    Serve(ServeArgs),
    /// Apply database migrations and load the geography, then exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Write a consistent backup of the database to a new file.
    Backup {
        /// Output file (must not exist).
        #[arg(short, long)]
        output: std::path::PathBuf,
        /// PostgreSQL: write antq's logical export even when pg_dump is installed.
        #[arg(long)]
        logical: bool,
    },
    /// Restore a backup into an empty database.
    Restore {
        /// Backup file (SQLite copy, pg_dump archive or logical export).
        file: std::path::PathBuf,
    },
    /// Check or export the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import a CSV or XLSX file into a registry (all rows or none).
    Import(ImportArgs),
    /// Export a registry to CSV or XLSX.
    Export(ExportArgs),
    /// Fill the database with a generated, realistic dataset.
    Demo(DemoArgs),
    /// Write statistics to a CSV or XLSX file (counts only).
    Stats(StatsArgs),
    /// Write the six-month or yearly movement report of a unit (PDF per Nghị định 30/2020,
    /// XLSX or JSON), or the file of a stored report.
    Report(ReportArgs),
    /// Print the OpenAPI document of the JSON API.
    Openapi,
    /// Load, list, apply or cancel a change of the administrative map (a resolution's table).
    #[command(subcommand)]
    UnitChange(UnitChangeCommand),
}

/// `antq unit-change`.
#[derive(Debug, Subcommand)]
pub enum UnitChangeCommand {
    /// Check a table against the current map and print what it would do; `--save` keeps it
    /// as pending when it holds.
    Load {
        /// The table (CSV or XLSX).
        file: PathBuf,
        /// Id of the new map (letters, digits, `_`).
        #[arg(long)]
        generation: String,
        /// Name of the new map.
        #[arg(long)]
        name: String,
        /// Số hiệu of the resolution.
        #[arg(long)]
        legal_basis: String,
        /// First day of the new map (YYYY-MM-DD).
        #[arg(long)]
        effective_on: String,
        /// Save it as pending (otherwise nothing is written).
        #[arg(long)]
        save: bool,
    },
    /// The loaded tables, newest first.
    List,
    /// Apply a pending table whose day has come.
    Apply {
        /// Its id.
        id: i64,
    },
    /// Apply every pending table whose day has come (`serve` does it hourly).
    ApplyDue,
    /// Cancel a pending table.
    Cancel {
        /// Its id.
        id: i64,
    },
}

/// `antq report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Unit: a province or commune code; empty for the country.
    #[arg(long, default_value = "")]
    pub unit: String,
    /// `2026` (the year), `2026-nam` or `2026-6t`; the last finished half-year by default.
    #[arg(long)]
    pub period: Option<String>,
    /// The province's own first day (YYYY-MM-DD), with --to.
    #[arg(long)]
    pub from: Option<String>,
    /// The province's own last day.
    #[arg(long)]
    pub to: Option<String>,
    /// A stored report (its issued file unchanged, or a draft rendered now) instead.
    #[arg(long, conflicts_with_all = ["unit", "period", "from", "to"])]
    pub id: Option<i64>,
    /// Format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Pdf)]
    pub format: ReportFormat,
    /// Output file.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Format of `antq report`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReportFormat {
    /// PDF per Nghị định 30/2020.
    Pdf,
    /// The tables as XLSX.
    Xlsx,
    /// The document as JSON (numbers and text).
    Json,
}

/// `antq serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ANTQ_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Mark cookies Secure (set when a TLS proxy serves antq over HTTPS).
    #[arg(long, env = "ANTQ_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Public base URL used in the printed setup link (default: http://BIND).
    #[arg(long, env = "ANTQ_BASE_URL")]
    pub base_url: Option<String>,
    /// PEM certificate chain: serve HTTPS directly (with --tls-key); cookies become Secure and
    /// Strict-Transport-Security is sent.
    #[arg(long, env = "ANTQ_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// PEM private key of the certificate.
    #[arg(long, env = "ANTQ_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
    /// Minutes of inactivity after which a browser session ends.
    #[arg(long, env = "ANTQ_SESSION_IDLE_MINUTES", default_value_t = 480)]
    pub session_idle_minutes: u64,
    /// Requests per second one client without credentials may make (average).
    #[arg(long, env = "ANTQ_PUBLIC_RATE", default_value_t = 20)]
    pub public_rate: u32,
    /// Burst of those.
    #[arg(long, env = "ANTQ_PUBLIC_BURST", default_value_t = 200)]
    pub public_burst: u32,
    /// Crime reports, lookups and messages one citizen's client may send per minute (average).
    #[arg(long, env = "ANTQ_PUBLIC_REPORT_PER_MINUTE", default_value_t = 6)]
    pub public_report_per_minute: u32,
    /// Burst of those.
    #[arg(long, env = "ANTQ_PUBLIC_REPORT_BURST", default_value_t = 20)]
    pub public_report_burst: u32,
    /// Public reports waiting to be written; beyond this the form answers "busy" (503).
    #[arg(long, env = "ANTQ_INTAKE_QUEUE", default_value_t = 4096)]
    pub intake_queue: usize,
    /// Seconds the dashboard's charts of a scope are kept before they are read again (0: never kept).
    #[arg(long, env = "ANTQ_CHART_CACHE_SECS", default_value_t = 60)]
    pub chart_cache_secs: u64,
}

/// `antq user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account bound to a unit.
    Create {
        /// Login name.
        #[arg(long)]
        username: String,
        /// admin | province_officer | commune_officer | viewer | commune_government | mass_organisation | auditor
        #[arg(long)]
        role: String,
        /// Official code of the unit (2-digit province or 5-digit commune).
        #[arg(long)]
        unit: String,
        /// Full name.
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Change an account's role, unit or name (ends its sessions when role or unit change).
    Update {
        /// Login name.
        #[arg(long)]
        username: String,
        /// New role.
        #[arg(long)]
        role: Option<String>,
        /// New unit code.
        #[arg(long)]
        unit: Option<String>,
        /// New full name.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Disable an account: its sessions end and its API tokens stop working at once.
    Disable {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled account.
    Enable {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// Set a new password (read from standard input) and end the account's sessions.
    ResetPassword {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Turn off an account's two-step login (lost phone and recovery codes).
    ResetTotp {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// End every session of an account.
    RevokeSessions {
        /// Login name.
        #[arg(long)]
        username: String,
    },
}

/// `antq token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it (shown once).
    Create {
        /// Account the token acts as.
        #[arg(long)]
        username: String,
        /// A name to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
        /// The token may only read.
        #[arg(long)]
        read_only: bool,
        /// Days until the token stops working (default: until revoked).
        #[arg(long)]
        expires_days: Option<i64>,
    },
    /// List API tokens (never their secrets).
    List {
        /// Only this account's tokens.
        #[arg(long)]
        username: Option<String>,
    },
    /// Revoke an API token by number; it stops working at once.
    Revoke {
        /// Token number (from `antq token list`).
        id: i64,
    },
}

/// `antq audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain; exits with an error naming the first broken entry.
    Verify,
    /// Export entries to CSV or XLSX.
    Export {
        /// Format.
        #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
        format: FormatArg,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
    },
}

/// Registries that can be imported and exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RegistryArg {
    /// Residential areas.
    Areas,
    /// Agencies, businesses, schools.
    Establishments,
    /// Movement models.
    Models,
    /// Tổ bảo vệ ANTT.
    Teams,
    /// Members of the Tổ bảo vệ ANTT.
    Members,
    /// Movement activities.
    Activities,
    /// Commendations.
    Commendations,
    /// Security cameras.
    Cameras,
    /// Yearly targets (chỉ tiêu) of provinces and communes.
    Targets,
}

/// What a file is imported into: a registry, or the model ratings of a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportTarget {
    /// A registry.
    Registry(RegistryArg),
    /// Model ratings of a round (`--round`), from the round's template.
    Ratings,
}

impl ValueEnum for ImportTarget {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            ImportTarget::Registry(RegistryArg::Areas),
            ImportTarget::Registry(RegistryArg::Establishments),
            ImportTarget::Registry(RegistryArg::Models),
            ImportTarget::Registry(RegistryArg::Teams),
            ImportTarget::Registry(RegistryArg::Members),
            ImportTarget::Registry(RegistryArg::Activities),
            ImportTarget::Registry(RegistryArg::Commendations),
            ImportTarget::Registry(RegistryArg::Cameras),
            ImportTarget::Registry(RegistryArg::Targets),
            ImportTarget::Ratings,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        match self {
            ImportTarget::Registry(r) => r.to_possible_value(),
            ImportTarget::Ratings => Some(clap::builder::PossibleValue::new("ratings")),
        }
    }
}

/// `antq import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Registry.
    #[arg(value_enum)]
    pub registry: ImportTarget,
    /// CSV or XLSX file.
    pub file: PathBuf,
    /// The rating round (for `ratings`).
    #[arg(long)]
    pub round: Option<i64>,
    /// Only check the file; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// File format.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// Excel workbook.
    Xlsx,
    /// Comma-separated values (UTF-8).
    Csv,
}

/// `antq export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Registry.
    #[arg(value_enum)]
    pub registry: RegistryArg,
    /// Format.
    #[arg(long, value_enum, default_value_t = FormatArg::Xlsx)]
    pub format: FormatArg,
    /// Output file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Only this province (code).
    #[arg(long)]
    pub province: Option<String>,
    /// Only this commune (code).
    #[arg(long)]
    pub commune: Option<String>,
    /// Only names containing this text.
    #[arg(long)]
    pub q: Option<String>,
    /// Include dissolved teams and former members (teams, members).
    #[arg(long)]
    pub include_former: bool,
    /// Only this activity kind (activities; the id from `/activity-kinds`).
    #[arg(long)]
    pub kind_id: Option<i64>,
    /// Held (activities) or installed (cameras) from this day, YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Held (activities) or installed (cameras) until this day, YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<String>,
    /// Only this state or status code (models, teams, members, commendations, cameras: `hong` …).
    #[arg(long)]
    pub state: Option<String>,
    /// Only this kind code (areas, establishments, cameras: `ptz` …).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only this form (commendations, e.g. `giay_khen_ubnd_xa`).
    #[arg(long)]
    pub form: Option<String>,
    /// Year (commendations: the movement year; targets).
    #[arg(long)]
    pub year: Option<i32>,
}

/// What statistics to write.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatsWhat {
    /// Crime reports and tips: received, on time, overdue, outcomes, anonymous share, averages.
    Reports,
    /// Movement activities of a year: sessions, participants, opinions, signatories, items
    /// handed in, publications, trainees, tips (`--by place|kind|month|place_kind|weapons`).
    Activities,
    /// Decided commendations of a year (`--by form|place`).
    Commendations,
    /// The movement's figures of a year by the place recorded before 1 July 2025
    /// (`--by legacy_province|legacy_district|legacy_commune`).
    Former,
    /// Progress of a province's targets of a year, every commune against every indicator with
    /// a target (`--province` required for a national account).
    Targets,
}

/// `antq stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Which statistics.
    #[arg(value_enum)]
    pub what: StatsWhat,
    /// First day of receipt (YYYY-MM-DD; default 1 January of this year).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (default today).
    #[arg(long)]
    pub to: Option<String>,
    /// Year (activities, commendations; default this year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Rows by: place, kind, channel, category, month (reports); place, kind, month,
    /// place_kind, weapons (activities); form, place (commendations); and legacy_province,
    /// legacy_district, legacy_commune (activities, commendations: the place recorded before
    /// 1 July 2025).
    #[arg(long)]
    pub by: Option<String>,
    /// The map of a day (YYYY-MM-DD): before 1 July 2025, `--by place` is the former province
    /// (nationally) or district (activities, commendations).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Only this province (code).
    #[arg(long)]
    pub province: Option<String>,
    /// Only this commune (code).
    #[arg(long)]
    pub commune: Option<String>,
    /// Format.
    #[arg(long, value_enum, default_value_t = FormatArg::Xlsx)]
    pub format: FormatArg,
    /// Output file.
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Size of the generated dataset.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Scale {
    /// One whole province.
    Province,
    /// Every commune of the country (for benchmarks).
    National,
}

/// `antq demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Dataset size.
    #[arg(long, value_enum, default_value_t = Scale::Province)]
    pub scale: Scale,
    /// Province of the province-scale dataset (code).
    #[arg(long, default_value = "56")]
    pub province: String,
    /// Random seed (the same seed gives the same data).
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// About this many members of the base-level force per province (more teams per
    /// residential area), for load tests; by default one team per area.
    #[arg(long)]
    pub force_members: Option<usize>,
}
