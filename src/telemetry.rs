//! Logging: tracing to stderr, text or JSON, filtered by `ANTQ_LOG`.

use tracing_subscriber::EnvFilter;

use crate::cli::{Global, LogFormat};

/// Installs the global subscriber.
pub fn init(g: &Global) {
    let filter = EnvFilter::try_new(&g.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false);
    let _ = match g.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
