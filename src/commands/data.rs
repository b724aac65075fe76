//! `antq import`, `antq export` and `antq demo`.

use antq_app::Actor;
use antq_app::interchange::{self, Registry};
use antq_interchange::Format;
use anyhow::{Context, bail};

use super::{app_error, context};
use crate::cli::{DemoArgs, ExportArgs, FormatArg, Global, ImportArgs, ImportTarget, RegistryArg, Scale};

fn registry(r: RegistryArg) -> Registry {
    match r {
        RegistryArg::Areas => Registry::Areas,
        RegistryArg::Establishments => Registry::Establishments,
        RegistryArg::Models => Registry::Models,
        RegistryArg::Teams => Registry::Teams,
        RegistryArg::Members => Registry::Members,
        RegistryArg::Activities => Registry::Activities,
        RegistryArg::Commendations => Registry::Commendations,
        RegistryArg::Cameras => Registry::Cameras,
        RegistryArg::Targets => Registry::Targets,
    }
}

/// Imports a file; prints every bad row and fails when there is any.
pub async fn import(g: &Global, args: ImportArgs) -> anyhow::Result<()> {
    let ctx = context(g).await?;
    let bytes = crate::config::read_file(&args.file)?;
    let format = args.file.extension().and_then(|e| e.to_str()).and_then(Format::from_name);
    let started = std::time::Instant::now();
    let actor = Actor::cli();
    let report = match args.registry {
        ImportTarget::Ratings => {
            let Some(round) = args.round else {
                bail!("Nhập kết quả xếp loại cần --round SỐ_HIỆU_ĐỢT.")
            };
            antq_app::rating_files::import(&ctx, &actor, round, &bytes, format, args.dry_run).await
        }
        ImportTarget::Registry(r) => interchange::import(&ctx, &actor, registry(r), &bytes, format, args.dry_run).await,
    }
    .map_err(app_error)?;
    for e in &report.errors {
        match &e.column {
            Some(c) => println!("Dòng {}, cột «{c}»: {}", e.row, e.message),
            None => println!("Dòng {}: {}", e.row, e.message),
        }
    }
    let secs = started.elapsed().as_secs_f64();
    ctx.db.close().await;
    if !report.errors.is_empty() {
        bail!("{} dòng, {} lỗi: chưa ghi dòng nào", report.rows, report.errors.len());
    }
    if args.dry_run {
        println!("Tệp hợp lệ: {} dòng (kiểm tra, chưa ghi) trong {secs:.1} giây.", report.rows);
    } else {
        println!("Đã nhập {} dòng trong {secs:.1} giây.", report.created);
    }
    Ok(())
}

/// The file format of a `--format` argument.
pub fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Xlsx => Format::Xlsx,
        FormatArg::Csv => Format::Csv,
    }
}

/// Exports a registry with optional place and text filters.
pub async fn export(g: &Global, args: ExportArgs) -> anyhow::Result<()> {
    let ctx = context(g).await?;
    let format = format(args.format);
    let actor = Actor::cli();
    let filter = interchange::ExportFilter {
        province: args.province,
        commune: args.commune,
        q: args.q,
        include_former: args.include_former,
        kind_id: args.kind_id,
        from: args.from,
        to: args.to,
        form: args.form,
        year: args.year,
        state: args.state,
        kind: args.kind,
        ..Default::default()
    };
    let bytes = interchange::export(&ctx, &actor, registry(args.registry), &filter, format).await.map_err(app_error)?;
    std::fs::write(&args.output, &bytes).with_context(|| format!("không ghi được tệp {}", args.output.display()))?;
    println!("Đã ghi {} ({} byte).", args.output.display(), bytes.len());
    ctx.db.close().await;
    Ok(())
}

/// Writes statistics (counts only) to a file.
pub async fn stats(g: &Global, args: crate::cli::StatsArgs) -> anyhow::Result<()> {
    let ctx = context(g).await?;
    let (actor, format) = (Actor::cli(), format(args.format));
    let bytes = match args.what {
        crate::cli::StatsWhat::Reports => {
            let q = antq_app::reports::stats::StatsQuery {
                from: args.from,
                to: args.to,
                by: Some(args.by.unwrap_or_else(|| "place".into())),
                province: args.province,
                commune: args.commune,
            };
            antq_app::reports::stats::export(&ctx, &actor, &q, format).await
        }
        crate::cli::StatsWhat::Activities => {
            let q = antq_app::activities::stats::ActivityStatsQuery {
                year: args.year,
                by: args.by,
                as_of: args.as_of,
                province: args.province,
                commune: args.commune,
                ..Default::default()
            };
            antq_app::activities::stats::export(&ctx, &actor, &q, format).await
        }
        crate::cli::StatsWhat::Commendations => {
            let q = antq_app::commendations::CommendationStatsQuery {
                year: args.year,
                by: args.by,
                province: args.province,
                commune: args.commune,
                as_of: args.as_of,
            };
            antq_app::commendations::stats(&ctx, &actor, &q)
                .await
                .map(|t| antq_app::activities::stats::table_file(&t, format))
        }
        crate::cli::StatsWhat::Former => {
            let q = antq_app::former_stats::FormerStatsQuery {
                year: args.year,
                by: args.by,
                province: args.province,
                commune: args.commune,
            };
            antq_app::former_stats::movement(&ctx, &actor, &q)
                .await
                .map(|t| antq_app::activities::stats::table_file(&t, format))
        }
        crate::cli::StatsWhat::Targets => {
            let q = antq_app::targets::ProgressQuery {
                year: args.year,
                province: args.province,
                commune: args.commune,
                indicator_id: None,
            };
            antq_app::targets::communes(&ctx, &actor, &q).await.map(|t| antq_app::targets::progress_file(&t, format))
        }
    }
    .map_err(app_error)?;
    std::fs::write(&args.output, &bytes).with_context(|| format!("không ghi được tệp {}", args.output.display()))?;
    println!("Đã ghi {} ({} byte).", args.output.display(), bytes.len());
    ctx.db.close().await;
    Ok(())
}

/// Writes the movement report of a unit and period, or a stored report's file.
pub async fn report(g: &Global, args: crate::cli::ReportArgs) -> anyhow::Result<()> {
    use antq_app::official::{self, FileFormat};
    let ctx = context(g).await?;
    let actor = Actor::cli();
    let file = match args.format {
        crate::cli::ReportFormat::Pdf => Some(FileFormat::Pdf),
        crate::cli::ReportFormat::Xlsx => Some(FileFormat::Xlsx),
        crate::cli::ReportFormat::Json => None,
    };
    let bytes = match (args.id, file) {
        (Some(id), Some(f)) => official::file(&ctx, &actor, id, f).await.map_err(app_error)?.0,
        (Some(id), None) => serde_json::to_vec_pretty(&official::document(&ctx, &actor, id).await.map_err(app_error)?)?,
        (None, f) => {
            let q =
                official::MovementQuery { unit: Some(args.unit), period: args.period, from: args.from, to: args.to };
            let doc = official::movement(&ctx, &actor, &q).await.map_err(app_error)?;
            match f {
                Some(f) => official::render(doc, f).await.map_err(app_error)?,
                None => serde_json::to_vec_pretty(&doc)?,
            }
        }
    };
    std::fs::write(&args.output, &bytes).with_context(|| format!("không ghi được tệp {}", args.output.display()))?;
    println!("Đã ghi {} ({} byte).", args.output.display(), bytes.len());
    ctx.db.close().await;
    Ok(())
}

/// Generates the demo dataset.
pub async fn demo(g: &Global, args: DemoArgs) -> anyhow::Result<()> {
    let ctx = context(g).await?;
    let scope = match args.scale {
        Scale::Province => antq_app::demo::Scope::Province(args.province.clone()),
        Scale::National => antq_app::demo::Scope::National,
    };
    let started = std::time::Instant::now();
    let summary = antq_app::demo::generate(&ctx, scope, args.seed, args.force_members).await.map_err(app_error)?;
    println!(
        "Đã tạo dữ liệu mẫu trong {:.1} giây: {} xã, {} khu dân cư, {} cơ quan/doanh nghiệp/trường học, {} mô hình, {} điểm, {} tổ, {} kết quả xếp loại (5 năm), {} hồ sơ «An toàn về ANTT» (năm trước), {} tố giác, tin báo, {} Tổ bảo vệ ANTT với {} thành viên, {} hoạt động phong trào (12 tháng, {} ý kiến tại hội nghị), {} khen thưởng, {} điểm camera, {} chỉ tiêu năm nay.",
        started.elapsed().as_secs_f64(),
        summary.communes,
        summary.areas,
        summary.establishments,
        summary.models,
        summary.sites,
        summary.teams,
        summary.ratings,
        summary.recognitions,
        summary.reports,
        summary.force_teams,
        summary.force_members,
        summary.activities,
        summary.opinions,
        summary.commendations,
        summary.cameras,
        summary.targets
    );
    ctx.db.close().await;
    Ok(())
}
