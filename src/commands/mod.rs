//! One function per subcommand.

mod backup;
mod data;
mod serve;

use std::io::BufRead;

use antq_app::{Actor, AppCtx, Settings, accounts};
use anyhow::{Context, bail};

use crate::cli::{AuditCommand, Cli, Command, TokenCommand, UserCommand};
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
        Command::Token(cmd) => token(&cli.global, cmd).await,
        Command::Audit(cmd) => audit(&cli.global, cmd).await,
        Command::Backup { output, logical } => backup::backup(&cli.global, &output, logical).await,
        Command::Restore { file } => backup::restore(&cli.global, &file).await,
        Command::Import(args) => data::import(&cli.global, args).await,
        Command::Export(args) => data::export(&cli.global, args).await,
        Command::Demo(args) => data::demo(&cli.global, args).await,
        Command::Stats(args) => data::stats(&cli.global, args).await,
        Command::Report(args) => data::report(&cli.global, args).await,
        Command::UnitChange(cmd) => unit_change(&cli.global, cmd).await,
        Command::Openapi => {
            println!("{}", antq_web::openapi_json());
            Ok(())
        }
    }
}

/// Opens the database and builds the use-case context.
pub async fn context(g: &crate::cli::Global) -> anyhow::Result<AppCtx> {
    config::context(g, Settings::default()).await
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

fn read_password(password_stdin: bool) -> anyhow::Result<String> {
    if !password_stdin {
        bail!("hãy truyền mật khẩu qua đầu vào chuẩn với --password-stdin (để mật khẩu không nằm trong lịch sử lệnh)");
    }
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password).context("không đọc được mật khẩu từ đầu vào chuẩn")?;
    Ok(password.trim_end_matches(['\r', '\n']).to_string())
}

async fn user_id(ctx: &AppCtx, username: &str) -> anyhow::Result<i64> {
    let users = accounts::list_users(ctx, &Actor::cli()).await.map_err(app_error)?;
    users
        .iter()
        .find(|u| u.username == username)
        .map(|u| u.id)
        .with_context(|| format!("không có tài khoản «{username}»"))
}

async fn user(g: &crate::cli::Global, cmd: UserCommand) -> anyhow::Result<()> {
    let ctx = context(g).await?;
    let cli = Actor::cli();
    match cmd {
        UserCommand::Create { username, role, unit, display_name, password_stdin } => {
            let password = read_password(password_stdin)?;
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
        UserCommand::Update { username, role, unit, display_name } => {
            let id = user_id(&ctx, &username).await?;
            let u = accounts::get_user(&ctx, &cli, id).await.map_err(app_error)?;
            let change = accounts::AccountChange {
                display_name: Some(display_name.unwrap_or(u.display_name)),
                role: role.unwrap_or(u.role),
                unit_code: unit.unwrap_or(u.unit_code),
            };
            let u = accounts::update_user(&ctx, &cli, id, &change).await.map_err(app_error)?;
            println!("Đã cập nhật «{}»: {} · {}.", u.username, u.role, u.unit_code);
        }
        UserCommand::Disable { username } => {
            let id = user_id(&ctx, &username).await?;
            accounts::set_active(&ctx, &cli, id, false).await.map_err(app_error)?;
            println!("Đã khoá «{username}»; mọi phiên và khoá API của tài khoản này ngừng hoạt động.");
        }
        UserCommand::Enable { username } => {
            let id = user_id(&ctx, &username).await?;
            accounts::set_active(&ctx, &cli, id, true).await.map_err(app_error)?;
            println!("Đã mở khoá «{username}».");
        }
        UserCommand::ResetPassword { username, password_stdin } => {
            let password = read_password(password_stdin)?;
            let id = user_id(&ctx, &username).await?;
            accounts::reset_password(&ctx, &cli, id, &password).await.map_err(app_error)?;
            println!("Đã đặt lại mật khẩu của «{username}» và kết thúc mọi phiên.");
        }
        UserCommand::ResetTotp { username } => {
            let id = user_id(&ctx, &username).await?;
            accounts::reset_totp(&ctx, &cli, id).await.map_err(app_error)?;
            println!("Đã tắt xác thực hai bước của «{username}».");
        }
        UserCommand::RevokeSessions { username } => {
            let id = user_id(&ctx, &username).await?;
            let n = accounts::revoke_sessions(&ctx, &cli, id).await.map_err(app_error)?;
            println!("Đã kết thúc {n} phiên của «{username}».");
        }
    }
    ctx.db.close().await;
    Ok(())
}

async fn token(g: &crate::cli::Global, cmd: TokenCommand) -> anyhow::Result<()> {
    let ctx = context(g).await?;
    let cli = Actor::cli();
    match cmd {
        TokenCommand::Create { username, name, read_only, expires_days } => {
            let o = accounts::TokenOptions { name, read_only, expires_in_days: expires_days };
            let token = accounts::create_token(&ctx, &cli, &username, &o).await.map_err(app_error)?;
            println!("{token}");
            eprintln!("Lưu mã này ngay: hệ thống chỉ giữ bản băm và không hiển thị lại.");
        }
        TokenCommand::List { username } => {
            let user = match username {
                Some(u) => Some(user_id(&ctx, &u).await?),
                None => None,
            };
            for t in accounts::list_tokens(&ctx, &cli, user).await.map_err(app_error)? {
                let state = match (t.revoked_at, t.expires_at) {
                    (Some(_), _) => "đã thu hồi".to_string(),
                    (None, Some(e)) if e <= ctx.now() => "đã hết hạn".to_string(),
                    (None, Some(e)) => format!("hết hạn {}", e.format("%Y-%m-%d")),
                    (None, None) => "không thời hạn".to_string(),
                };
                let scope = if t.read_only { "chỉ đọc" } else { "đọc và ghi" };
                println!("{}\t{}\t{}\t{scope}\t{state}", t.id, t.username, t.name);
            }
        }
        TokenCommand::Revoke { id } => {
            let t = accounts::revoke_token(&ctx, &cli, id).await.map_err(app_error)?;
            println!("Đã thu hồi khoá API số {} («{}» của {}).", t.id, t.name, t.username);
        }
    }
    ctx.db.close().await;
    Ok(())
}

async fn audit(g: &crate::cli::Global, cmd: AuditCommand) -> anyhow::Result<()> {
    let ctx = context(g).await?;
    let cli = Actor::cli();
    let result = match cmd {
        AuditCommand::Verify => match antq_app::audit::verify(&ctx, &cli).await.map_err(app_error)? {
            Ok(n) => {
                println!("Nhật ký nguyên vẹn: {n} mục, chuỗi băm khớp từ đầu đến cuối.");
                Ok(())
            }
            Err(e) => Err(anyhow::anyhow!("NHẬT KÝ ĐÃ BỊ SỬA: {e}. Mục hỏng đầu tiên: số {}.", e.entry())),
        },
        AuditCommand::Export { format, output, from, to } => {
            let q = antq_app::audit::AuditQuery { from, to, ..Default::default() };
            let bytes = antq_app::audit::export(&ctx, &cli, &q, data::format(format)).await.map_err(app_error)?;
            std::fs::write(&output, bytes).with_context(|| format!("không ghi được {}", output.display()))?;
            println!("Đã xuất nhật ký ra {}.", output.display());
            Ok(())
        }
    };
    ctx.db.close().await;
    result
}

async fn unit_change(g: &crate::cli::Global, cmd: crate::cli::UnitChangeCommand) -> anyhow::Result<()> {
    use crate::cli::UnitChangeCommand as C;
    use antq_app::unit_changes;
    let ctx = context(g).await?;
    let cli = Actor::cli();
    let print_applied = |id: i64, a: &antq_domain::unit_change::Applied| {
        println!(
            "Đã áp dụng bảng số {id}: bản đồ «{}» kết thúc; {} dòng hồ sơ, {} tài khoản chuyển sang đơn vị kế thừa.",
            a.from_generation, a.moved_rows, a.accounts
        )
    };
    match cmd {
        C::Load { file, generation, name, legal_basis, effective_on, save } => {
            let bytes =
                std::fs::read(&file).map_err(|e| anyhow::anyhow!("Không đọc được tệp {}: {e}", file.display()))?;
            let format = file
                .extension()
                .and_then(|e| e.to_str())
                .and_then(antq_interchange::Format::from_name)
                .ok_or_else(|| anyhow::anyhow!("Tệp phải là .csv hoặc .xlsx."))?;
            let effective_on = chrono::NaiveDate::parse_from_str(&effective_on, "%Y-%m-%d")
                .map_err(|_| anyhow::anyhow!("Ngày có hiệu lực phải có dạng NNNN-TT-NN."))?;
            let header = antq_domain::unit_change::ChangeHeader { generation, name, legal_basis, effective_on };
            let file_name = file.file_name().and_then(|n| n.to_str()).unwrap_or("bang.csv").to_string();
            let u = unit_changes::Upload { header, file_name: &file_name, bytes: &bytes, format };
            let (check, ..) = unit_changes::check(&ctx, &cli, &u).await.map_err(app_error)?;
            println!("{}", serde_json::to_string_pretty(&check)?);
            if !check.errors.is_empty() {
                anyhow::bail!("Bảng có {} lỗi; không lưu.", check.errors.len());
            }
            if save {
                let (id, _) = unit_changes::load(&ctx, &cli, &u).await.map_err(app_error)?;
                println!("Đã lưu bảng số {id}, chờ áp dụng từ {effective_on}.");
            }
        }
        C::List => {
            let mut page = 1;
            loop {
                let p = unit_changes::list(&ctx, &cli, antq_domain::page::PageRequest::new(Some(page), Some(200)))
                    .await
                    .map_err(app_error)?;
                for c in &p.items {
                    let h = &c.header;
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        c.id,
                        h.generation,
                        h.effective_on,
                        c.state.label(),
                        h.legal_basis,
                        h.name
                    );
                }
                if page >= p.pages() {
                    break;
                }
                page += 1;
            }
        }
        C::Apply { id } => {
            let a = unit_changes::apply(&ctx, &cli, id).await.map_err(app_error)?;
            print_applied(id, &a);
        }
        C::ApplyDue => {
            for (id, r) in unit_changes::apply_due(&ctx, &cli).await.map_err(app_error)? {
                match r {
                    Ok(a) => print_applied(id, &a),
                    Err(e) => eprintln!("Bảng số {id} chưa áp dụng được: {e}"),
                }
            }
        }
        C::Cancel { id } => {
            unit_changes::cancel(&ctx, &cli, id).await.map_err(app_error)?;
            println!("Đã hủy bảng số {id}.");
        }
    }
    ctx.db.close().await;
    Ok(())
}
