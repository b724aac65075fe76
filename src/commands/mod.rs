//! One function per subcommand.

mod data;
mod serve;

use std::io::BufRead;

use antq_app::{Actor, AppCtx, Settings, accounts};
use anyhow::{Context, bail};

use crate::cli::{Cli, Command, TokenCommand, UserCommand};
use crate::config;

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.global, args).await,
        Command::Migrate => {
            let db = config::open(&cli.global).await?;
            println!("Cơ sở dữ liệu đã được nâng cấp ({:?}).", db.backend());
            db.close().await;
            Ok(())
        }
        Command::User(cmd) => user(&cli.global, cmd).await,
        Command::Token(TokenCommand::Create { username, name }) => {
            let ctx = context(&cli.global).await?;
            let token = accounts::create_token(&ctx, &Actor::cli(), &username, &name).await.map_err(app_error)?;
            println!("{token}");
            eprintln!("Lưu mã này ngay: hệ thống chỉ giữ bản băm và không hiển thị lại.");
            Ok(())
        }
        Command::Import(args) => data::import(&cli.global, args).await,
        Command::Export(args) => data::export(&cli.global, args).await,
        Command::Demo(args) => data::demo(&cli.global, args).await,
        Command::Openapi => {
            println!("{}", antq_web::openapi_json());
            Ok(())
        }
    }
}

/// Opens the database and builds the use-case context.
pub async fn context(g: &crate::cli::Global) -> anyhow::Result<AppCtx> {
    Ok(AppCtx::new(config::open(g).await?, Settings::default()))
}

/// Turns a use-case error into a readable CLI error (field messages included).
pub fn app_error(e: antq_app::AppError) -> anyhow::Error {
    match e {
        antq_app::AppError::Invalid(f) => {
            anyhow::anyhow!("dữ liệu không hợp lệ:\n  {}", f.0.values().cloned().collect::<Vec<_>>().join("\n  "))
        }
        other => anyhow::anyhow!("{other}"),
    }
}

async fn user(g: &crate::cli::Global, cmd: UserCommand) -> anyhow::Result<()> {
    let ctx = context(g).await?;
    match cmd {
        UserCommand::Create { username, role, unit, display_name, password_stdin } => {
            if !password_stdin {
                bail!(
                    "hãy truyền mật khẩu qua đầu vào chuẩn với --password-stdin (để mật khẩu không nằm trong lịch sử lệnh)"
                );
            }
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password).context("không đọc được mật khẩu từ đầu vào chuẩn")?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let account =
                accounts::NewAccount { username: username.clone(), display_name, role, unit_code: unit, password };
            let id = accounts::create_user(&ctx, &Actor::cli(), &account).await.map_err(app_error)?;
            println!("Đã tạo tài khoản «{username}» (số {id}).");
        }
        UserCommand::List => {
            for u in accounts::list_users(&ctx, &Actor::cli()).await.map_err(app_error)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    u.username,
                    u.role,
                    u.unit_code,
                    if u.active { "hoạt động" } else { "đã khóa" },
                    u.display_name
                );
            }
        }
    }
    ctx.db.close().await;
    Ok(())
}
