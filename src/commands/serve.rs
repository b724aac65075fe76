//! `antq serve`.

use std::time::Duration;

use antq_app::{Settings, accounts};
use antq_web::{AppState, WebSettings};
use anyhow::Context;

use crate::cli::{Global, ServeArgs};

/// Opens the database, prints the one-time setup link when there is no account yet, and
/// serves until Ctrl-C or SIGTERM.
pub async fn run(g: &Global, args: ServeArgs) -> anyhow::Result<()> {
    let settings = Settings {
        session_idle: Duration::from_secs(args.session_idle_minutes.max(1) * 60),
        intake_queue: args.intake_queue,
        chart_cache: Duration::from_secs(args.chart_cache_secs),
        ..Settings::default()
    };
    let ctx = crate::config::context(g, settings).await?;
    let db = ctx.db.clone();
    let listener =
        tokio::net::TcpListener::bind(&args.bind).await.with_context(|| format!("không mở được cổng {}", args.bind))?;
    let addr = listener.local_addr()?;
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(antq_web::load_tls_config(cert, key).map_err(anyhow::Error::msg)?),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let base = args.base_url.clone().unwrap_or_else(|| format!("{scheme}://{addr}"));
    println!("antq đang chạy tại {base} (cơ sở dữ liệu: {:?})", db.backend());
    if let Some(secret) = accounts::setup_secret_if_needed(&ctx).await.map_err(super::app_error)? {
        println!("Chưa có tài khoản nào. Mở liên kết sau (dùng một lần) để tạo tài khoản quản trị:");
        println!("  {}/setup/{secret}", base.trim_end_matches('/'));
    }
    let web = WebSettings {
        secure_cookies: args.secure_cookies || tls.is_some(),
        hsts: tls.is_some(),
        public_rate: args.public_rate,
        public_burst: args.public_burst,
        public_report_per_minute: args.public_report_per_minute,
        public_report_burst: args.public_report_burst,
        ..WebSettings::default()
    };
    // A change of the administrative map is applied on its day (start-up, then hourly).
    let due = ctx.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            match antq_app::unit_changes::apply_due(&due, &antq_app::Actor::cli()).await {
                Ok(done) => {
                    for (id, r) in done {
                        if let Err(e) = r {
                            tracing::warn!(change = id, error = %e, "a due change of the map was not applied");
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "due changes of the map not checked"),
            }
        }
    });
    let state = AppState::new(ctx, web);
    match tls {
        Some(config) => antq_web::serve_tls(listener, config, state, shutdown_signal()).await,
        None => antq_web::serve(listener, state, shutdown_signal()).await,
    }
    .context("máy chủ dừng do lỗi")?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
