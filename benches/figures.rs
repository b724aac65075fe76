//! The performance figures of the foundation issue, measured against the real release binary
//! on the national demo dataset (SQLite):
//!
//! ```sh
//! cargo bench --bench figures
//! ```
//!
//! It builds the dataset in a temporary data directory, starts `antq serve`, times HTTP
//! requests from this process (so every figure includes HTTP and JSON), reads the server's
//! resident memory from /proc, and times the CLI import of a generated 100,000-row XLSX.
//! Set `ANTQ_BENCH_DATA=DIR` to keep (and reuse) the dataset between runs.
//!
//! The base-level force: the coverage alerts of a province with 100,000 members, on a dataset
//! of its own (`force-79` in the data directory).
//!
//! Crime reports: the officer queue page with the demo's million reports, and public
//! submissions sustained by a load generator in this process (keep-alive HTTP/1.1 clients,
//! `ANTQ_BENCH_LOAD_CLIENTS`, default 64, for `ANTQ_BENCH_LOAD_SECS`, default 20) against a
//! server started with the public limits lifted (the per-client limits would otherwise stop
//! one machine's flood) on SQLite with `synchronous = FULL`, on a copy of the national dataset;
//! the server is then killed with SIGKILL and every acknowledged report is counted in the file.
//!
//! Movement activities: the statistics by place × kind of one year with the demo's million
//! activities (national, and three provinces' communes), and the CLI import of a generated
//! 100,000-row activities XLSX. In the same section: the camera coverage with the demo's half
//! million cameras, and the targets' progress of every commune of a province against every
//! indicator with a target, computed live from the registers.
//!
//! The official report (`official`): a province's yearly report as PDF and XLSX, the
//! country's, the dashboard's charts, the map and pivots, and the release binary's size.
//!
//! The administrative map's history (`history`): a pivot of five years of ratings by the former
//! districts (with the same total restated in today's communes), and restating a million
//! rows of former communes with the import's resolver.
//!
//! `ANTQ_BENCH_ONLY=activities,postgres` measures only the sections named (`core`, `flood`,
//! `import`, `force`, `activities`, `official`, `history`, `postgres`); `ANTQ_BENCH_POSTGRES=URL`
//! adds the PostgreSQL figures of the sections named.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_antq");

struct Row {
    figure: &'static str,
    target: &'static str,
    measured: String,
}

fn antq(data: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(data).env_remove("ANTQ_DATABASE_URL").env("ANTQ_LOG", "warn");
    c
}

fn run(cmd: &mut Command, input: Option<&str>) -> String {
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("spawn antq");
    if let Some(i) = input {
        child.stdin.take().unwrap().write_all(i.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "antq failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn time_requests(client: &reqwest::Client, token: &str, urls: &[String], rounds: usize) -> (Duration, Duration) {
    for u in urls.iter().take(5) {
        client.get(u).bearer_auth(token).send().await.unwrap().bytes().await.unwrap();
    }
    let mut times = Vec::new();
    for i in 0..rounds {
        let u = &urls[i % urls.len()];
        let t = Instant::now();
        let r = client.get(u).bearer_auth(token).send().await.unwrap();
        assert!(r.status().is_success(), "{u}: {}", r.status());
        r.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn serve(data: &std::path::Path) -> (Child, String) {
    serve_with(data, &[])
}

fn serve_with(data: &std::path::Path, extra: &[&str]) -> (Child, String) {
    spawn_serve(&mut antq(data), extra)
}

/// Writes a one-sheet workbook of `headers` and `n` rows made by `row`.
fn workbook(path: &std::path::Path, headers: &[&str], n: usize, row: impl Fn(usize) -> Vec<String>) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..n {
        for (c, v) in row(i).iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// A 100,000-row models workbook spread over every commune, names unique per commune.
fn import_file(path: &std::path::Path, communes: &[String], run_id: u64) {
    let headers = [
        "Mã xã",
        "Tên mô hình",
        "Loại mô hình",
        "Cấp",
        "Nơi hình thành",
        "Tổ chức chủ trì",
        "Phạm vi",
        "Trạng thái",
        "Ngày đăng ký",
        "Số thành viên",
        "Kinh phí xã hội hóa (đồng)",
    ];
    let types = [
        "Camera giám sát ANTT",
        "Phòng, chống ma túy",
        "Tổ hòa giải ở cơ sở",
        "Câu lạc bộ",
        "Trật tự an toàn giao thông",
    ];
    workbook(path, &headers, 100_000, |i| {
        vec![
            communes[i % communes.len()].clone(),
            format!("Mô hình nhập thử {run_id} số {i}"),
            types[i % types.len()].to_string(),
            "Cấp xã".into(),
            "Xã, phường, đặc khu".into(),
            "Công an".into(),
            "Toàn diện".into(),
            "Đang hoạt động".into(),
            "15/03/2024".into(),
            (10 + i % 30).to_string(),
            "5000000".into(),
        ]
    });
}

/// A 100,000-row activities workbook over every commune: propaganda sessions, launches,
/// drills, reviews and conferences of the last 300 days, kinds by name or by code.
fn activity_file(path: &std::path::Path, communes: &[String]) {
    let headers = ["Mã xã", "Loại hoạt động", "Chủ đề, nội dung", "Ngày tổ chức", "Địa điểm", "Số người tham dự"];
    let kinds = ["tuyen_truyen", "Phát động phong trào", "dien_tap", "Sơ kết, tổng kết", "hoi_nghi_lang_nghe"];
    // Yesterday in Vietnam, so no row is ever "after today".
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    workbook(path, &headers, 100_000, |i| {
        let day = today - chrono::Duration::days(1 + (i % 300) as i64);
        vec![
            communes[i % communes.len()].clone(),
            kinds[i % kinds.len()].to_string(),
            format!("Tuyên truyền phòng, chống tội phạm, đợt {}", i % 97),
            day.format("%d/%m/%Y").to_string(),
            "Nhà văn hóa thôn".into(),
            (20 + i % 200).to_string(),
        ]
    });
}

/// The activity statistics of the demo's last twelve months: every province × kind
/// nationally, and the communes × kinds of the three largest provinces, this year and last.
fn activity_urls(base: &str) -> Vec<String> {
    use chrono::Datelike;
    let this_year = chrono::Utc::now().year();
    (this_year - 1..=this_year)
        .flat_map(|y| {
            let q = format!("{base}/api/v1/stats/activities?year={y}&by=place_kind");
            [q.clone(), format!("{q}&province=79"), format!("{q}&province=01"), format!("{q}&province=56")]
        })
        .collect()
}

/// The camera coverage of the country (by province) and of three provinces (by commune).
fn camera_urls(base: &str) -> Vec<String> {
    let q = format!("{base}/api/v1/stats/cameras");
    vec![q.clone(), format!("{q}?province=79"), format!("{q}?province=01"), format!("{q}?province=56")]
}

/// The progress of every commune of three provinces against every indicator with a target
/// this year (the demo sets all eleven national ones).
fn target_urls(base: &str) -> Vec<String> {
    let q = format!("{base}/api/v1/stats/targets/communes");
    vec![format!("{q}?province=79"), format!("{q}?province=01"), format!("{q}?province=56")]
}

/// The columns (indicators) and rows (communes) of a province's progress table.
async fn progress_shape(client: &reqwest::Client, token: &str, base: &str) -> (usize, usize) {
    let url = format!("{base}/api/v1/stats/targets/communes?province=79");
    let t: serde_json::Value = client.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    (t["columns"].as_array().map_or(0, Vec::len), t["rows"].as_array().map_or(0, Vec::len))
}

/// The total of column `col` of the statistics table at `url`.
async fn stat_total(client: &reqwest::Client, token: &str, url: &str, col: &str) -> i64 {
    let t: serde_json::Value = client.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let c = t["columns"].as_array().unwrap().iter().position(|c| c["code"] == col).unwrap();
    t["totals"][c].as_i64().unwrap()
}

/// Camera points (not removed) counted by the national coverage.
async fn cameras_counted(client: &reqwest::Client, token: &str, base: &str) -> i64 {
    stat_total(client, token, &format!("{base}/api/v1/stats/cameras"), "cameras").await
}

/// Activities counted by the statistics over this year and the last.
async fn activities_counted(client: &reqwest::Client, token: &str, base: &str) -> i64 {
    use chrono::Datelike;
    let this_year = chrono::Utc::now().year();
    let mut n = 0;
    for y in this_year - 1..=this_year {
        n += stat_total(client, token, &format!("{base}/api/v1/stats/activities?year={y}"), "sessions").await;
    }
    n
}

/// Creates an account if it is not there yet (reused datasets keep theirs); returns a token.
fn officer_token(mut antq: impl FnMut() -> Command, username: &str, role: &str, unit: &str) -> String {
    let _ = antq()
        .args(["user", "create", "--username", username, "--role", role, "--unit", unit, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(b"mat-khau-do-hieu-nang-12345\n")?;
            c.wait()
        });
    run(antq().args(["token", "create", "--username", username]), None).trim().to_string()
}

/// The queue pages of a province officer of Thành phố Hồ Chí Minh (the largest province) and
/// of an officer of one of its wards.
fn queue_urls(base: &str, province: &str, commune: &str) -> Vec<(String, String)> {
    let q = |path: &str, t: &str| (format!("{base}{path}"), t.to_string());
    vec![
        q("/reports", province),
        q("/reports?unit=all", province),
        q("/reports?unit=all&overdue=1", province),
        q("/reports", commune),
    ]
}

/// p50 and p95 of GET `urls` (round robin) each with its own token.
async fn time_as(client: &reqwest::Client, urls: &[(String, String)], rounds: usize) -> (Duration, Duration) {
    let mut times = Vec::new();
    for i in 0..rounds + 5 {
        let (u, token) = &urls[i % urls.len()];
        let t = Instant::now();
        let r = client.get(u).bearer_auth(token).send().await.unwrap();
        assert!(r.status().is_success(), "{u}: {}", r.status());
        r.bytes().await.unwrap();
        if i >= 5 {
            times.push(t.elapsed());
        }
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

/// Public submissions for `secs` from `clients` concurrent keep-alive clients:
/// `(acknowledged, refused, elapsed, p50, p95)`.
async fn flood(base: &str, clients: usize, secs: u64) -> (usize, usize, Duration, Duration, Duration) {
    let url = format!("{base}/api/v1/public/reports");
    let end = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let (mut ok, mut refused, mut times) = (0usize, 0usize, Vec::new());
            let mut i = 0u64;
            while Instant::now() < end {
                i += 1;
                let body = serde_json::json!({"category": "trom_cuop", "province_code": "79", "commune_code": "26740",
                    "summary": format!("Đo tải {c}-{i}: mất trộm xe máy trước cửa nhà"), "anonymous": true});
                let t = Instant::now();
                match client.post(&url).json(&body).send().await {
                    Ok(r) if r.status().as_u16() == 201 => {
                        let _ = r.bytes().await;
                        ok += 1;
                        times.push(t.elapsed());
                    }
                    _ => refused += 1,
                }
            }
            (ok, refused, times)
        }));
    }
    let (mut ok, mut refused, mut times) = (0, 0, Vec::new());
    for t in tasks {
        let (o, r, ts) = t.await.unwrap();
        ok += o;
        refused += r;
        times.extend(ts);
    }
    let elapsed = started.elapsed();
    times.sort();
    (ok, refused, elapsed, percentile(&times, 0.5), percentile(&times, 0.95))
}

/// A copy of the data directory's database and key in `to` (the server is stopped).
fn copy_of(data: &std::path::Path, to: &std::path::Path) -> std::path::PathBuf {
    std::fs::create_dir_all(to).unwrap();
    for f in ["antq.db", "antq.db-wal", "identity.key"] {
        if data.join(f).exists() {
            std::fs::copy(data.join(f), to.join(f)).unwrap();
        }
    }
    to.to_path_buf()
}

/// Public reports in the SQLite file of `data`.
fn public_reports(data: &std::path::Path) -> i64 {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", data.join("antq.db").display());
        let db = antq_store::Db::connect(&url).await.unwrap();
        let n: i64 = match &db {
            antq_store::Db::Sqlite(p) => sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE channel = 'cong_khai'")
                .fetch_one(p)
                .await
                .unwrap(),
            antq_store::Db::Postgres(_) => unreachable!(),
        };
        db.close().await;
        n
    })
}

/// Whether a section of the figures is to be measured: `ANTQ_BENCH_ONLY` lists them
/// (`core`, `flood`, `import`, `force`, `activities`, `postgres`, comma-separated); unset, all.
fn wanted(section: &str) -> bool {
    std::env::var("ANTQ_BENCH_ONLY").map(|v| v.split(',').any(|s| s.trim() == section)).unwrap_or(true)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let keep = std::env::var("ANTQ_BENCH_DATA").ok();
    let tmp = tempfile::tempdir().unwrap();
    let data = keep.as_ref().map(std::path::PathBuf::from).unwrap_or_else(|| tmp.path().to_path_buf());
    let mut rows = Vec::new();

    if !data.join("antq.db").exists() {
        let t = Instant::now();
        let out = run(antq(&data).args(["demo", "--scale", "national"]), None);
        eprintln!("{}", out.trim());
        rows.push(Row {
            figure: "antq demo --scale national (SQLite)",
            target: "—",
            measured: format!("{:.1} s", t.elapsed().as_secs_f64()),
        });
        run(
            antq(&data).args([
                "user",
                "create",
                "--username",
                "bench",
                "--role",
                "admin",
                "--unit",
                "01",
                "--password-stdin",
            ]),
            Some("mat-khau-do-hieu-nang-12345\n"),
        );
    }
    let token = run(antq(&data).args(["token", "create", "--username", "bench"]), None).trim().to_string();
    if wanted("core") {
        rows.extend(core_figures(&data, &token));
    }
    if wanted("flood") {
        rows.push(flood_figure(&data, tmp.path()));
    }
    let communes: Vec<String> = antq_store::seed::units_2025()
        .into_iter()
        .filter(|u| u.level == "commune")
        .map(|u| u.code.to_string())
        .collect();
    if wanted("import") {
        let file = tmp.path().join("import-100k.xlsx");
        let run_id =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        import_file(&file, &communes, run_id);
        rows.push(import_figure(
            &data,
            tmp.path(),
            "models",
            &file,
            "import of a 100,000-row models XLSX (CLI, validation + commit)",
        ));
    }
    if wanted("force") {
        rows.extend(force_figures(&data));
    }
    if wanted("activities") {
        rows.extend(activity_figures(&data, &token));
        let file = tmp.path().join("activities-100k.xlsx");
        activity_file(&file, &communes);
        rows.push(import_figure(
            &data,
            tmp.path(),
            "activities",
            &file,
            "import of a 100,000-row activities XLSX (CLI, validation + commit)",
        ));
    }
    if wanted("official") {
        let (mut server, base) = serve(&data);
        let province = officer_token(|| antq(&data), "benchtinh79", "province_officer", "79");
        rows.extend(official_figures(&base, &token, &province, "SQLite"));
        let _ = server.kill();
        let _ = server.wait();
        let (mut server, base) = serve_with(&data, &["--chart-cache-secs", "0"]);
        rows.push(dashboard_figure(&base, &token, &province, "SQLite, charts read on every request"));
        let _ = server.kill();
        let _ = server.wait();
        let size = std::fs::metadata(BIN).map(|m| m.len()).unwrap_or(0);
        rows.push(Row {
            figure: "release binary size (fonts, typst, Chart.js, Leaflet, the 34-province map embedded)",
            target: "stated",
            measured: format!("{:.1} MB", size as f64 / 1_048_576.0),
        });
    }
    if wanted("history") {
        let (mut server, base) = serve(&data);
        rows.extend(history_figures(&base, &token, "SQLite"));
        let _ = server.kill();
        let _ = server.wait();
        rows.push(restate_figure(&data));
    }
    if wanted("postgres")
        && let Ok(url) = std::env::var("ANTQ_BENCH_POSTGRES")
    {
        rows.extend(postgres_figures(&data, &url));
    }

    println!("\n| figure | target | measured |\n|---|---|---|");
    for r in rows {
        println!("| {} | {} | {} |", r.figure, r.target, r.measured);
    }
}

/// Searches, lists, statistics, queues and memory on the national dataset (SQLite).
fn core_figures(data: &std::path::Path, token: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let data = data.to_path_buf();
    let token = token.to_string();
    let province_token = officer_token(|| antq(&data), "benchtinh", "province_officer", "79");
    let commune_token = officer_token(|| antq(&data), "benchxa", "commune_officer", "26740");
    let (mut server, base) = serve(&data);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();

    rt.block_on(async {
        let units: Vec<String> =
            ["khanh hoa", "nha trang", "ba dinh", "phu", "an", "dak lak", "truong sa", "TÂN", "hoa binh", "long"]
                .iter()
                .map(|q| format!("{base}/api/v1/units?q={}", q.replace(' ', "%20")))
                .collect();
        let (p50, p95) = time_requests(&client, &token, &units, 300).await;
        rows.push(Row {
            figure: "unit search p95 (p50)",
            target: "≤ 5 ms",
            measured: format!("{} ({})", ms(p95), ms(p50)),
        });

        let (_, types) = {
            let r: serde_json::Value = client
                .get(format!("{base}/api/v1/model-types"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            ((), r["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect::<Vec<_>>())
        };
        let provinces = ["01", "79", "56", "48", "38", "66", "92", "31", "24", "04"];
        let mut lists = Vec::new();
        for (i, p) in provinces.iter().enumerate() {
            let t = types[i % types.len()];
            lists.push(format!("{base}/api/v1/models?province={p}&state=hoat_dong"));
            lists.push(format!("{base}/api/v1/models?province={p}&type_id={t}&page=2"));
            lists.push(format!("{base}/api/v1/models?q=camera&province={p}"));
            lists.push(format!("{base}/api/v1/models?type_id={t}&state=can_cung_co"));
            lists.push(format!("{base}/api/v1/models?q=thon%201&level=khu_dan_cu"));
        }
        lists.push(format!("{base}/api/v1/models"));
        let (p50, p95) = time_requests(&client, &token, &lists, 300).await;
        rows.push(Row {
            figure: "model list with filters p95 (p50)",
            target: "≤ 20 ms",
            measured: format!("{} ({})", ms(p95), ms(p50)),
        });

        let stats = vec![format!("{base}/api/v1/stats/models?by=province")];
        let (p50, p95) = time_requests(&client, &token, &stats, 40).await;
        rows.push(Row {
            figure: "stats/models?by=province p95 (p50)",
            target: "≤ 50 ms",
            measured: format!("{} ({})", ms(p95), ms(p50)),
        });

        let (p50, p95) = time_requests(&client, &token, &pivot_urls(&base), 200).await;
        rows.push(Row {
            figure: "stats/ratings pivot, national, 5 years of rounds, SQLite p95 (p50)",
            target: "≤ 50 ms",
            measured: format!("{} ({})", ms(p95), ms(p50)),
        });

        let queue = |path: &str, t: &str| (format!("{base}{path}"), t.to_string());
        let (p50, p95) = time_as(
            &client,
            &[
                queue("/reports", &province_token),
                queue("/reports?unit=all", &province_token),
                queue("/reports?unit=all&overdue=1", &province_token),
                queue("/reports", &commune_token),
            ],
            400,
        )
        .await;
        rows.push(Row {
            figure: "officer queue page (HTML, province and commune officers), 1,000,000 reports, p95 (p50)",
            target: "≤ 30 ms",
            measured: format!("{} ({})", ms(p95), ms(p50)),
        });
        let api = [(format!("{base}/api/v1/reports?unit=all"), province_token.clone())];
        let (p50, p95) = time_as(&client, &api, 200).await;
        rows.push(Row {
            figure: "GET /api/v1/reports?unit=all (province officer) p95 (p50)",
            target: "—",
            measured: format!("{} ({})", ms(p95), ms(p50)),
        });

        let pages = ["/", "/models", "/areas", "/stats/models", "/units/79", "/stats/ratings", "/stats/reports"];
        for p in pages {
            client.get(format!("{base}{p}")).bearer_auth(&token).send().await.unwrap().bytes().await.unwrap();
        }
    });
    let pid = server.id();
    rows.push(Row {
        figure: "server memory after loading the national dataset: private (RSS, peak RSS)",
        target: "≤ 150 MB",
        // RSS also counts the pages of the database file that SQLite maps (`mmap_size`), which
        // belong to the kernel's page cache and are shared with it; the private part is what
        // the server itself holds.
        measured: format!(
            "{:.1} MB ({:.1} MB, {:.1} MB)",
            rss_kib(pid, "RssAnon:") as f64 / 1024.0,
            rss_kib(pid, "VmRSS:") as f64 / 1024.0,
            rss_kib(pid, "VmHWM:") as f64 / 1024.0
        ),
    });
    let _ = server.kill();
    let _ = server.wait();
    rows
}

/// Public submissions sustained on a copy of the national dataset, then SIGKILL and a count
/// of what is in the file.
fn flood_figure(data: &std::path::Path, tmp: &std::path::Path) -> Row {
    let clients: usize = std::env::var("ANTQ_BENCH_LOAD_CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    let secs: u64 = std::env::var("ANTQ_BENCH_LOAD_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    // On a copy of the national dataset, so a reused dataset stays as the demo made it.
    let flood_data = copy_of(data, &tmp.join("flood"));
    let before = public_reports(&flood_data);
    let lifted = [
        "--public-rate",
        "1000000",
        "--public-burst",
        "1000000",
        "--public-report-per-minute",
        "100000000",
        "--public-report-burst",
        "100000000",
    ];
    let (mut server, base) = serve_with(&flood_data, &lifted);
    let (ok, refused, elapsed, p50, p95) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(flood(&base, clients, secs));
    // No graceful stop: what was acknowledged must already be on disk.
    let _ = server.kill();
    let _ = server.wait();
    let durable = public_reports(&flood_data) - before;
    let _ = std::fs::remove_dir_all(&flood_data);
    assert_eq!(durable as usize, ok, "every acknowledged report is durable");
    Row {
        figure: "public submissions sustained (POST /api/v1/public/reports, SQLite synchronous=FULL)",
        target: "≥ 500/s, every one durable",
        measured: format!(
            "{:.0}/s ({ok} in {:.1} s, {clients} clients, p50 {} p95 {}, {refused} refused); after SIGKILL {durable} of {ok} in the file",
            ok as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64(),
            ms(p50),
            ms(p95)
        ),
    }
}

/// The CLI import of `file` into `registry`, on a copy of the dataset: the rows of every run
/// would otherwise stay in a reused dataset and slow the lists measured by the next run.
fn import_figure(
    data: &std::path::Path,
    tmp: &std::path::Path,
    registry: &str,
    file: &std::path::Path,
    figure: &'static str,
) -> Row {
    let import_data = copy_of(data, &tmp.join(format!("import-{registry}")));
    let t = Instant::now();
    let out = run(antq(&import_data).args(["import", registry]).arg(file), None);
    let secs = t.elapsed().as_secs_f64();
    eprintln!("{}", out.trim());
    let _ = std::fs::remove_dir_all(&import_data);
    Row { figure, target: "≤ 15 s", measured: format!("{secs:.1} s") }
}

/// The activity statistics (place × kind, one year) with the demo's million activities.
fn activity_figures(data: &std::path::Path, token: &str) -> Vec<Row> {
    let (mut server, base) = serve(data);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let n = rt.block_on(activities_counted(&client, token, &base));
    let (p50, p95) = rt.block_on(time_requests(&client, token, &activity_urls(&base), 200));
    let cameras = rt.block_on(cameras_counted(&client, token, &base));
    let (c50, c95) = rt.block_on(time_requests(&client, token, &camera_urls(&base), 200));
    let (cols, communes) = rt.block_on(progress_shape(&client, token, &base));
    let (t50, t95) = rt.block_on(time_requests(&client, token, &target_urls(&base), 200));
    let _ = server.kill();
    let _ = server.wait();
    vec![
        Row {
            figure: "stats/activities by place × kind, one year (national and three provinces), SQLite p95 (p50)",
            target: "≤ 50 ms",
            measured: format!("{} ({}), {n} activities", ms(p95), ms(p50)),
        },
        Row {
            figure: "stats/cameras coverage (national by province, three provinces by commune), SQLite p95 (p50)",
            target: "≤ 50 ms",
            measured: format!("{} ({}), {cameras} cameras", ms(c95), ms(c50)),
        },
        Row {
            figure: "targets progress of every commune × every indicator (provinces 79, 01, 56), SQLite p95 (p50)",
            target: "≤ 100 ms",
            measured: format!("{} ({}), {cols} indicators × {communes} communes of 79", ms(t95), ms(t50)),
        },
    ]
}

/// The coverage alerts of Thành phố Hồ Chí Minh with about 100,000 members of the base-level
/// force (`antq demo --province 79 --force-members 100000`, its own data directory next to the
/// national one): the province's counts per ward with the first alerts of each kind, as the
/// JSON API and as the page, read by a province officer.
fn force_figures(data: &std::path::Path) -> Vec<Row> {
    let dir = data.join("force-79");
    let mut rows = Vec::new();
    if !dir.join("antq.db").exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let t = Instant::now();
        let out = run(antq(&dir).args(["demo", "--province", "79", "--force-members", "100000"]), None);
        eprintln!("{}", out.trim());
        rows.push(Row {
            figure: "antq demo --province 79 --force-members 100000 (SQLite)",
            target: "—",
            measured: format!("{:.1} s", t.elapsed().as_secs_f64()),
        });
    }
    let province = officer_token(|| antq(&dir), "benchluclg", "province_officer", "79");
    let (mut server, base) = serve(&dir);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let members: i64 = rt.block_on(async {
        let r: serde_json::Value = client
            .get(format!("{base}/api/v1/stats/force?by=role"))
            .bearer_auth(&province)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["totals"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).sum()
    });
    let api = [(format!("{base}/api/v1/force/alerts"), province.clone())];
    let (p50, p95) = rt.block_on(time_as(&client, &api, 200));
    rows.push(Row {
        figure: "coverage alert list of a province (GET /api/v1/force/alerts, province officer), SQLite p95 (p50)",
        target: "≤ 50 ms",
        measured: format!("{} ({}), {members} active members", ms(p95), ms(p50)),
    });
    let page = [(format!("{base}/force/alerts"), province.clone())];
    let (p50, p95) = rt.block_on(time_as(&client, &page, 200));
    rows.push(Row {
        figure: "the same as the page /force/alerts p95 (p50)",
        target: "—",
        measured: format!("{} ({})", ms(p95), ms(p50)),
    });
    let _ = server.kill();
    let _ = server.wait();
    rows
}

/// The ratings pivot of every province × 5 ratings for each of the five demo years, by
/// place and by type.
fn pivot_urls(base: &str) -> Vec<String> {
    use chrono::Datelike;
    let this_year = chrono::Utc::now().year();
    (this_year - 5..this_year)
        .flat_map(|y| {
            [
                format!("{base}/api/v1/stats/ratings?year={y}&by=place"),
                format!("{base}/api/v1/stats/ratings?year={y}&by=type"),
            ]
        })
        .collect()
}

/// `antq serve` on port 0 with `extra` arguments: the child and its base URL.
fn spawn_serve(cmd: &mut Command, extra: &[&str]) -> (Child, String) {
    let mut child = cmd
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// The figures measured on PostgreSQL (`ANTQ_BENCH_POSTGRES` = URL of a database that is
/// empty or already holds the national demo).
fn postgres_figures(data: &std::path::Path, url: &str) -> Vec<Row> {
    let pg = || {
        let mut c = antq(data);
        c.arg("--database-url").arg(url);
        c
    };
    let mut rows = Vec::new();
    let t = Instant::now();
    let generated = pg().args(["demo", "--scale", "national"]).stderr(Stdio::inherit()).status().unwrap().success();
    if generated {
        rows.push(Row {
            figure: "antq demo --scale national (PostgreSQL)",
            target: "—",
            measured: format!("{:.1} s", t.elapsed().as_secs_f64()),
        });
    }
    let _ = pg()
        .args(["user", "create", "--username", "benchpg", "--role", "admin", "--unit", "01", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(b"mat-khau-do-hieu-nang-12345\n")?;
            c.wait()
        });
    let token = run(pg().args(["token", "create", "--username", "benchpg"]), None).trim().to_string();
    let (mut child, base) = spawn_serve(&mut pg(), &[]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let (p50, p95) = rt.block_on(time_requests(&client, &token, &pivot_urls(&base), 200));
    rows.push(Row {
        figure: "stats/ratings pivot, national, 5 years of rounds, PostgreSQL p95 (p50)",
        target: "≤ 100 ms",
        measured: format!("{} ({})", ms(p95), ms(p50)),
    });
    let province = officer_token(pg, "benchtinhpg", "province_officer", "79");
    let commune = officer_token(pg, "benchxapg", "commune_officer", "26740");
    let (p50, p95) = rt.block_on(time_as(&client, &queue_urls(&base, &province, &commune), 400));
    rows.push(Row {
        figure: "officer queue page, 1,000,000 reports, PostgreSQL p95 (p50)",
        target: "≤ 30 ms",
        measured: format!("{} ({})", ms(p95), ms(p50)),
    });
    let n = rt.block_on(activities_counted(&client, &token, &base));
    let (p50, p95) = rt.block_on(time_requests(&client, &token, &activity_urls(&base), 200));
    rows.push(Row {
        figure: "stats/activities by place × kind, one year (national and three provinces), PostgreSQL p95 (p50)",
        target: "≤ 50 ms",
        measured: format!("{} ({}), {n} activities", ms(p95), ms(p50)),
    });
    let cameras = rt.block_on(cameras_counted(&client, &token, &base));
    let (p50, p95) = rt.block_on(time_requests(&client, &token, &camera_urls(&base), 200));
    rows.push(Row {
        figure: "stats/cameras coverage (national by province, three provinces by commune), PostgreSQL p95 (p50)",
        target: "≤ 50 ms",
        measured: format!("{} ({}), {cameras} cameras", ms(p95), ms(p50)),
    });
    let (cols, communes) = rt.block_on(progress_shape(&client, &token, &base));
    let (p50, p95) = rt.block_on(time_requests(&client, &token, &target_urls(&base), 200));
    rows.push(Row {
        figure: "targets progress of every commune × every indicator (provinces 79, 01, 56), PostgreSQL p95 (p50)",
        target: "≤ 100 ms",
        measured: format!("{} ({}), {cols} indicators × {communes} communes of 79", ms(p95), ms(p50)),
    });
    let tinh = officer_token(pg, "benchtinh79pg", "province_officer", "79");
    if wanted("official") {
        rows.extend(official_figures(&base, &token, &tinh, "PostgreSQL"));
        let (mut uncached, base) = spawn_serve(&mut pg(), &["--chart-cache-secs", "0"]);
        rows.push(dashboard_figure(&base, &token, &tinh, "PostgreSQL, charts read on every request"));
        let _ = uncached.kill();
        let _ = uncached.wait();
    }
    if wanted("history") {
        rows.extend(history_figures(&base, &token, "PostgreSQL"));
    }
    let _ = child.kill();
    let _ = child.wait();
    rows
}

/// Times `rounds` requests of each URL in turn: (p50, p95, slowest).
async fn time_files(
    client: &reqwest::Client,
    token: &str,
    urls: &[String],
    rounds: usize,
) -> (Duration, Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..rounds {
        for u in urls {
            let t = Instant::now();
            let r = client.get(u).bearer_auth(token).send().await.unwrap();
            assert!(r.status().is_success(), "{u}: {}", r.status());
            bytes = bytes.max(r.bytes().await.unwrap().len());
            times.push(t.elapsed());
        }
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), *times.last().unwrap(), bytes)
}

/// The official report (a province's yearly report as PDF and XLSX, the country's), the
/// dashboard's charts, the map and a pivot, on the national dataset.
fn official_figures(base: &str, admin: &str, province: &str, backend: &str) -> Vec<Row> {
    use chrono::Datelike;
    let year = chrono::Utc::now().year() - 1;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let report = |unit: &str, f: &str| format!("{base}/api/v1/reports/movement?unit={unit}&period={year}&format={f}");
    let mut rows = Vec::new();
    for (f, what) in [("pdf", "PDF"), ("xlsx", "XLSX")] {
        let urls = vec![report("79", f), report("56", f), report("01", f)];
        let (p50, p95, max, bytes) = rt.block_on(time_files(&client, admin, &urls, 5));
        rows.push(Row {
            figure: leak(format!(
                "yearly movement report of a province ({what}; 79, 56, 01), {backend} p95 (p50, slowest)"
            )),
            target: "≤ 2 s",
            measured: format!("{} ({}, {}), {} KB", ms(p95), ms(p50), ms(max), bytes / 1024),
        });
    }
    let (p50, p95, max, bytes) = rt.block_on(time_files(&client, admin, &[report("", "pdf")], 3));
    rows.push(Row {
        figure: leak(format!("yearly movement report of the country (PDF), {backend} p95 (p50, slowest)")),
        target: "≤ 10 s",
        measured: format!("{} ({}, {}), {} KB", ms(p95), ms(p50), ms(max), bytes / 1024),
    });
    rows.push(dashboard_figure(base, admin, province, &format!("{backend}, charts kept 60 s (the default)")));
    let map = vec![
        (format!("{base}/api/v1/map?kpi=models"), admin.to_string()),
        (format!("{base}/api/v1/map?kpi=force_coverage"), admin.to_string()),
        (format!("{base}/api/v1/map?kpi=cameras"), province.to_string()),
        (format!("{base}/api/v1/pivot?source=models&rows=province&cols=type"), admin.to_string()),
        (
            format!("{base}/api/v1/pivot?source=ratings&rows=commune&cols=rating&from_year={year}&to_year={year}"),
            province.to_string(),
        ),
    ];
    let (p50, p95) = rt.block_on(time_as(&client, &map, 50));
    rows.push(Row {
        figure: leak(format!(
            "map (national by province, 79 by commune with its cameras) and pivots, {backend} p95 (p50)"
        )),
        target: "—",
        measured: format!("{} ({})", ms(p95), ms(p50)),
    });
    rows
}

/// The map's history: five years of ratings by the districts as they were, and the same
/// restated in today's communes (both views of one set of rows).
fn history_figures(base: &str, admin: &str, backend: &str) -> Vec<Row> {
    use chrono::Datelike;
    let year = chrono::Utc::now().year();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let years = format!("from_year={}&to_year={}", year - 5, year - 1);
    let urls = vec![
        (format!("{base}/api/v1/pivot?source=ratings&rows=legacy_district&cols=year&{years}"), admin.to_string()),
        (format!("{base}/api/v1/pivot?source=ratings&by=legacy_district&cols=rating&{years}"), admin.to_string()),
        (
            format!("{base}/api/v1/pivot?source=ratings&as_of=2024-12-31&province=56&cols=year&{years}"),
            admin.to_string(),
        ),
    ];
    let (p50, p95) = rt.block_on(time_as(&client, &urls, 50));
    let total = |url: String| {
        rt.block_on(async {
            let r: serde_json::Value = client.get(url).bearer_auth(admin).send().await.unwrap().json().await.unwrap();
            r["table"]["totals"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).sum::<i64>()
        })
    };
    let by_then = total(urls[0].0.clone());
    let by_now = total(format!("{base}/api/v1/pivot?source=ratings&rows=commune&cols=year&{years}"));
    vec![Row {
        figure: leak(format!(
            "pivot of 5 years of ratings by former district (national; by year, by rating; a province as of 2024), \
             {backend} p95 (p50)"
        )),
        target: "≤ 50 ms",
        measured: format!(
            "{} ({}); {by_then} ratings by former district = {by_now} in today's communes",
            ms(p95),
            ms(p50)
        ),
    }]
}

/// Restating a million rows of former communes (codes, and names with their districts and
/// provinces written several ways) with the resolver an import builds once.
fn restate_figure(data: &std::path::Path) -> Row {
    use antq_domain::succession::{FORMER_2025, FormerKind, FormerLevel, Resolver};
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (units, steps) = rt.block_on(async {
        let db = antq_store::Db::connect(&format!("sqlite://{}", data.join("antq.db").display())).await.unwrap();
        let units = antq_store::former_units::all(&db, FORMER_2025).await.unwrap();
        let steps = antq_store::former_units::all_steps(&db, FORMER_2025).await.unwrap();
        (units, steps)
    });
    let t = Instant::now();
    let resolver = Resolver::new(units.clone(), &steps);
    let built = t.elapsed();
    let district = |code: &Option<String>| {
        units.iter().find(|u| u.level == FormerLevel::District && Some(&u.code) == code.as_ref())
    };
    let province = |code: &str| units.iter().find(|u| u.level == FormerLevel::Province && u.code == code);
    // Each former commune as an import may give it: code, name, district, province, the new commune.
    let communes: Vec<[String; 7]> = units
        .iter()
        .filter(|u| u.level == FormerLevel::Commune)
        .map(|u| {
            let d = district(&u.district_code).unwrap();
            let short = match d.kind {
                FormerKind::ThanhPhoThuocTinh => "TP",
                FormerKind::ThiXa => "TX",
                FormerKind::Quan => "Q.",
                _ => "H.",
            };
            let chosen = resolver.successors(&u.code).first().cloned().unwrap_or_default();
            let p = province(&u.province_code).map(|p| p.full_name()).unwrap_or_default();
            [
                u.code.clone(),
                u.full_name(),
                antq_domain::text::fold(&u.full_name()),
                format!("{short} {}", d.name),
                antq_domain::text::fold(&d.full_name()),
                p,
                chosen,
            ]
        })
        .collect();
    let n = 1_000_000;
    let t = Instant::now();
    let mut restated = 0;
    for i in 0..n {
        let [code, name, folded, district, district_folded, province, chosen] = &communes[i % communes.len()];
        let r = match i % 4 {
            0 => resolver.restate(code, None, None, Some(chosen)),
            1 => resolver.restate(name, Some(district), None, Some(chosen)),
            2 => resolver.restate(folded, Some(district_folded), Some(province), Some(chosen)),
            _ => resolver.restate(name, Some(&district_folded[..]), Some(province), Some(chosen)),
        };
        restated += usize::from(r.is_ok());
    }
    let secs = t.elapsed().as_secs_f64();
    Row {
        figure: "restating 1,000,000 rows of former communes (codes; names with district as «TP/H./Q./TX …»; split wards with their new commune) at import",
        target: "≤ 30 s",
        measured: format!(
            "{secs:.2} s ({restated} restated; resolver built in {} from {} units)",
            ms(built),
            units.len()
        ),
    }
}

/// The dashboard's charts, national and of province 79.
fn dashboard_figure(base: &str, admin: &str, province: &str, how: &str) -> Row {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let dashboard = vec![
        (format!("{base}/api/v1/dashboard"), admin.to_string()),
        (format!("{base}/api/v1/dashboard"), province.to_string()),
    ];
    let (p50, p95) = rt.block_on(time_as(&client, &dashboard, 50));
    Row {
        figure: leak(format!("dashboard charts (national and province 79), {how}, p95 (p50)")),
        target: "≤ 100 ms",
        measured: format!("{} ({})", ms(p95), ms(p50)),
    }
}

/// A figure's name that lives as long as the table.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
