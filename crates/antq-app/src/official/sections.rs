//! The body of the movement report: one [`Section`] per module, each read from the measures of
//! `antq-store::official` for the period and the same period a year earlier, with a short
//! generated paragraph. A module joins the report by adding a function here and its name to
//! [`build`].

use std::collections::{BTreeMap, HashMap};

use antq_domain::antt::{AnttState, AnttSubject};
use antq_domain::camera::CameraFunding;
use antq_domain::commendation::CommendationForm;
use antq_domain::enums::Labelled;
use antq_domain::exemplar::ExemplarResult;
use antq_domain::force::MemberRole;
use antq_domain::movement::MovementClass;
use antq_domain::official::{Amount, Compare, Line, Period, Section, dmy, share};
use antq_domain::rating::{FollowUpDecision, RatingLevel};
use antq_domain::target::IndicatorUnit;
use antq_store::official::{Measure, Window, measure};

use crate::force::ForceRules;
use crate::{Actor, AppCtx, AppResult};

/// A measure's rows by key.
type Rows = BTreeMap<String, Vec<i64>>;

/// Where and when the body is read.
pub(super) struct Scope<'a> {
    /// Province (none: the country).
    pub province: Option<&'a str>,
    /// Commune.
    pub commune: Option<&'a str>,
    /// "toàn quốc", "toàn tỉnh", "toàn xã".
    pub whole: &'a str,
    /// The period.
    pub period: &'a Period,
    /// The same period a year earlier.
    pub previous: &'a Period,
}

impl Scope<'_> {
    fn window(p: &Period) -> Window {
        Window { from: p.from, to: p.to, year: p.evaluation_year() }
    }

    /// A measure for the period and for the year before.
    async fn pair(&self, ctx: &AppCtx, m: Measure) -> AppResult<(Rows, Rows)> {
        let place = (self.province, self.commune);
        let cur = measure(&ctx.db, m, place, Self::window(self.period)).await?;
        let prev = measure(&ctx.db, m, place, Self::window(self.previous)).await?;
        Ok((cur.into_iter().collect(), prev.into_iter().collect()))
    }

    /// "Trong 6 tháng đầu năm 2026", "Trong năm 2026".
    fn during(&self) -> String {
        format!("Trong {}", self.period.label())
    }
}

fn get(r: &Rows, key: &str, i: usize) -> i64 {
    r.get(key).map_or(0, |v| v[i])
}

fn total(r: &Rows, i: usize) -> i64 {
    r.values().map(|v| v[i]).sum()
}

fn line(
    code: impl Into<String>,
    label: impl Into<String>,
    level: u8,
    amount: Amount,
    (current, previous): (i64, i64),
) -> Line {
    Line { code: code.into(), label: label.into(), level, amount, current, previous }
}

/// A count line read from both periods.
fn counted(code: &str, label: &str, level: u8, (c, p): (&Rows, &Rows), key: &str, i: usize) -> Line {
    line(code, label, level, Amount::Count, (get(c, key, i), get(p, key, i)))
}

/// Detail lines by the codes of a labelled enum, in its order, labelled by it.
fn enum_details<T: Labelled>(prefix: &str, rows: (&Rows, &Rows)) -> Vec<Line> {
    let order: Vec<&str> = T::all().iter().map(|v| v.code()).collect();
    details(prefix, rows, 0, Amount::Count, &order, |k| {
        T::all().iter().find(|v| v.code() == k).map_or(k.to_string(), |v| v.label().to_string())
    })
}

/// Detail lines, one per key present in either period, labelled by `label` (unknown keys by
/// themselves), in the order of `order` then by key.
fn details(
    prefix: &str,
    (c, p): (&Rows, &Rows),
    i: usize,
    amount: Amount,
    order: &[&str],
    label: impl Fn(&str) -> String,
) -> Vec<Line> {
    let mut keys: Vec<&String> = c.keys().chain(p.keys()).collect();
    keys.sort_by_key(|k| (order.iter().position(|o| o == k).unwrap_or(usize::MAX), (*k).clone()));
    keys.dedup();
    keys.into_iter().map(|k| line(format!("{prefix}.{k}"), label(k), 1, amount, (get(c, k, i), get(p, k, i)))).collect()
}

fn section(code: &str, heading: &str, text: String, lines: Vec<Line>) -> Section {
    Section { code: code.into(), heading: heading.into(), text, compare: Compare::PreviousYear, lines }
}

/// "1.534 (cùng kỳ 1.420, tăng 8,0%)".
fn cmp(l: &Line) -> String {
    l.with_comparison()
}

/// Every section the actor may read, in the report's order.
pub(super) async fn build(ctx: &AppCtx, actor: &Actor, s: &Scope<'_>) -> AppResult<Vec<Section>> {
    let mut out = vec![
        models(ctx, s).await?,
        ratings(ctx, s).await?,
        antt(ctx, s).await?,
        classification(ctx, s).await?,
        exemplars(ctx, s).await?,
        force(ctx, s).await?,
    ];
    if actor.role.grants(antq_domain::access::Permission::ReadReportCounts) {
        out.push(reports(ctx, s).await?);
    }
    out.push(activities(ctx, s).await?);
    out.push(commendations(ctx, s).await?);
    out.push(cameras(ctx, s).await?);
    if let Some(t) = targets(ctx, actor, s).await? {
        out.push(t);
    }
    let counts = actor.role.grants(antq_domain::access::Permission::ReadReportCounts);
    if let Some(f) = former_map(ctx, s, counts).await? {
        out.push(f);
    }
    Ok(out)
}

/// The annex of a report whose comparison period lies (partly) before 1 July 2025: the main
/// figures of both periods by the place recorded then (former provinces nationally, former
/// districts in a province, former communes in a commune); records of the current map count
/// in one row, so each figure's total equals the one in the sections above.
async fn former_map(ctx: &AppCtx, s: &Scope<'_>, with_reports: bool) -> AppResult<Option<Section>> {
    use antq_domain::succession::FormerLevel;
    if s.previous.from >= antq_domain::succession::change_2025() {
        return Ok(None);
    }
    let level = match (s.province, s.commune) {
        (None, _) => FormerLevel::Province,
        (Some(_), None) => FormerLevel::District,
        (Some(_), Some(_)) => FormerLevel::Commune,
    };
    let mut figures = vec![
        (Measure::ModelsWorking, "models", "Mô hình đang hoạt động (cuối kỳ)"),
        (Measure::Ratings, "ratings", "Lượt xếp loại mô hình"),
        (Measure::Activities, "activities", "Hoạt động phong trào"),
        (Measure::Commendations, "commendations", "Khen thưởng"),
    ];
    if with_reports {
        figures.insert(2, (Measure::Reports, "reports", "Tin báo, tố giác tiếp nhận"));
    }
    let place = (s.province, s.commune);
    let mut read = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (m, code, label) in figures {
        let by = |w| antq_store::official::by_former(&ctx.db, m, level, place, w);
        let c: Rows = by(Scope::window(s.period)).await?.unwrap_or_default().into_iter().collect();
        let p: Rows = by(Scope::window(s.previous)).await?.unwrap_or_default().into_iter().collect();
        keys.extend(c.keys().chain(p.keys()).cloned());
        read.push((code, label, c, p));
    }
    keys.sort();
    keys.dedup();
    let names = crate::lineage::former_labels(ctx, level, &keys).await?;
    let mut lines = Vec::new();
    for (code, label, c, p) in &read {
        lines.push(line(*code, *label, 0, Amount::Count, (total(c, 0), total(p, 0))));
        let mut rows = details(code, (c, p), 0, Amount::Count, &[], |k| names.get(k).cloned().unwrap_or(k.into()));
        // By name, the current map's row last.
        rows.sort_by_cached_key(|l| (l.code.ends_with('.'), antq_domain::text::fold(&l.label)));
        lines.extend(rows);
    }
    let text = format!(
        "Các số liệu chính của {} và cùng kỳ năm trước theo nơi ghi nhận trước ngày 01/7/2025 ({}); \
         số liệu ghi theo địa giới mới tính ở một dòng riêng, nên tổng của mỗi chỉ tiêu bằng tổng ở các phần trên.",
        s.period.label(),
        match level {
            FormerLevel::Province => "theo tỉnh, thành phố cũ",
            FormerLevel::District => "theo huyện, quận, thị xã, thành phố cũ",
            FormerLevel::Commune => "theo xã, phường, thị trấn cũ",
        }
    );
    Ok(Some(section("former_map", "Phụ lục: Số liệu theo địa giới hành chính trước 01/7/2025", text, lines)))
}

async fn models(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let types: HashMap<String, String> = antq_store::model_types::list(&ctx.db, s.province)
        .await?
        .into_iter()
        .map(|t| (t.id.0.to_string(), t.name))
        .collect();
    let (wc, wp) = s.pair(ctx, Measure::ModelsWorking).await?;
    let (nc, np) = s.pair(ctx, Measure::ModelsNew).await?;
    let (fc, fp) = s.pair(ctx, Measure::ModelsFollowUp).await?;
    let (sc, sp) = s.pair(ctx, Measure::Sites).await?;
    let working = line("working", "Mô hình đang hoạt động (cuối kỳ)", 0, Amount::Count, (total(&wc, 0), total(&wp, 0)));
    let new = line("new", "Mô hình xây dựng mới trong kỳ", 0, Amount::Count, (total(&nc, 0), total(&np, 0)));
    let follow = |d: FollowUpDecision, label: &str| counted(d.code(), label, 0, (&fc, &fp), d.code(), 0);
    let consolidated = follow(FollowUpDecision::CungCo, "Mô hình được củng cố");
    let eliminated = follow(FollowUpDecision::ThanhLoai, "Mô hình bị thanh loại");
    let sites = counted("sites", "Điểm nhân rộng đang hoạt động", 0, (&sc, &sp), "", 0);
    let teams = counted("site_teams", "Tổ, nhóm của các điểm nhân rộng", 1, (&sc, &sp), "", 1);
    let text = format!(
        "Đến ngày {}, {} có {} mô hình, điển hình tự quản, tự phòng, tự bảo vệ, tự hòa giải đang hoạt động. {}, \
         xây dựng mới {} mô hình, củng cố {}, thanh loại {}; nhân rộng {} điểm với {} tổ, nhóm.",
        dmy(s.period.to),
        s.whole,
        cmp(&working),
        s.during(),
        new.current_text(),
        consolidated.current_text(),
        eliminated.current_text(),
        sites.current_text(),
        teams.current_text(),
    );
    let mut lines = vec![working];
    lines.extend(details("type", (&wc, &wp), 0, Amount::Count, &[], |k| {
        types.get(k).cloned().unwrap_or_else(|| format!("Loại {k}"))
    }));
    lines.extend([new, consolidated, eliminated, sites, teams]);
    Ok(section("models", "Xây dựng, nhân rộng mô hình, điển hình", text, lines))
}

async fn ratings(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let (c, p) = s.pair(ctx, Measure::Ratings).await?;
    let all = line("rated", "Mô hình được đánh giá, xếp loại", 0, Amount::Count, (total(&c, 0), total(&p, 0)));
    let by = enum_details::<RatingLevel>("rating", (&c, &p));
    let good = |r: &Rows| get(r, RatingLevel::Tot.code(), 0) + get(r, RatingLevel::Kha.code(), 0);
    let pct = line(
        "good_share",
        "Tỷ lệ xếp loại Tốt, Khá",
        0,
        Amount::PercentMilli,
        (share(good(&c), total(&c, 0)), share(good(&p), total(&p, 0))),
    );
    let year = s.period.evaluation_year();
    let parts: Vec<String> = by.iter().map(|l| format!("{} {}", l.label, l.current_text())).collect();
    let text = if all.current == 0 {
        format!("Năm {year}, {} chưa có kết quả đánh giá, xếp loại mô hình được duyệt.", s.whole)
    } else {
        format!(
            "Kết quả đánh giá, xếp loại năm {year}: {} mô hình được xếp loại ({}); tỷ lệ Tốt, Khá {} (năm {}: {}).",
            all.current_text(),
            parts.join(", "),
            pct.current_text(),
            year - 1,
            pct.previous_text(),
        )
    };
    let mut lines = vec![all];
    lines.extend(by);
    lines.push(pct);
    Ok(section("ratings", &format!("Đánh giá, xếp loại mô hình năm {year}"), text, lines))
}

async fn antt(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let (c, p) = s.pair(ctx, Measure::Antt).await?;
    let sum = |r: &Rows, subject: AnttSubject, state: Option<AnttState>| -> i64 {
        r.iter()
            .filter(|(k, _)| {
                let (sub, st) = k.split_once(':').unwrap_or((k, ""));
                sub == subject.code() && state.is_none_or(|x| x.code() == st)
            })
            .map(|(_, v)| v[0])
            .sum()
    };
    let mut lines = Vec::new();
    let mut parts = Vec::new();
    for sub in AnttSubject::ALL {
        let reg = line(
            format!("{}.registered", sub.code()),
            format!("{}: đăng ký", sub.label()),
            0,
            Amount::Count,
            (sum(&c, *sub, None), sum(&p, *sub, None)),
        );
        let ok = line(
            format!("{}.recognised", sub.code()),
            "được công nhận đạt tiêu chuẩn",
            1,
            Amount::Count,
            (sum(&c, *sub, Some(AnttState::Dat)), sum(&p, *sub, Some(AnttState::Dat))),
        );
        if reg.current > 0 || reg.previous > 0 {
            parts.push(format!("{} {}/{} đăng ký", sub.label().to_lowercase(), ok.current_text(), reg.current_text()));
            lines.extend([reg, ok]);
        }
    }
    let year = s.period.evaluation_year();
    let text = if parts.is_empty() {
        format!("Năm {year}, {} chưa có hồ sơ đăng ký «An toàn về ANTT».", s.whole)
    } else {
        format!("Năm {year}, {} được công nhận đạt tiêu chuẩn «An toàn về ANTT»: {}.", s.whole, parts.join("; "))
    };
    Ok(section("antt", &format!("Công nhận «An toàn về an ninh, trật tự» năm {year}"), text, lines))
}

async fn classification(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let (c, p) = s.pair(ctx, Measure::Classification).await?;
    let all = line("classified", "Đơn vị được phân loại phong trào", 0, Amount::Count, (total(&c, 0), total(&p, 0)));
    let by = enum_details::<MovementClass>("class", (&c, &p));
    let year = s.period.evaluation_year();
    let parts: Vec<String> = by.iter().map(|l| format!("{} {}", l.label.to_lowercase(), l.current_text())).collect();
    let text = format!(
        "Năm {year}, {} có {} đơn vị được phân loại phong trào{}.",
        s.whole,
        all.current_text(),
        if parts.is_empty() { String::new() } else { format!(": {}", parts.join(", ")) }
    );
    let mut lines = vec![all];
    lines.extend(by);
    Ok(section("classification", &format!("Phân loại phong trào năm {year}"), text, lines))
}

async fn exemplars(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let (c, p) = s.pair(ctx, Measure::Exemplars).await?;
    let all =
        line("registered", "Đăng ký xây dựng điển hình tiên tiến", 0, Amount::Count, (total(&c, 0), total(&p, 0)));
    let by = enum_details::<ExemplarResult>("result", (&c, &p));
    let year = s.period.evaluation_year();
    let text = format!(
        "Năm {year}, {} có {} đăng ký xây dựng điển hình tiên tiến, {} được công nhận.",
        s.whole,
        all.current_text(),
        Amount::Count.text(get(&c, ExemplarResult::Dat.code(), 0)),
    );
    let mut lines = vec![all];
    lines.extend(by);
    Ok(section("exemplars", &format!("Điển hình tiên tiến năm {year}"), text, lines))
}

/// The monthly allowance of the members serving at the last day of a period, at their
/// province's rates then; `None` where no province has set a rate.
async fn allowance(ctx: &AppCtx, s: &Scope<'_>, p: &Period) -> AppResult<Option<i64>> {
    let provinces: Vec<String> = match s.province {
        Some(code) => vec![code.to_string()],
        None => crate::units::provinces(ctx).await?.into_iter().map(|u| u.code).collect(),
    };
    let mut sum = None;
    for code in provinces {
        let rules = ForceRules::load(ctx, &code, p.to).await?;
        let rates: Vec<(MemberRole, i64)> =
            MemberRole::ALL.iter().filter_map(|r| rules.allowance(*r).map(|(n, _)| (*r, n))).collect();
        if rates.is_empty() {
            continue;
        }
        let members = measure(&ctx.db, Measure::ForceMembers, (Some(&code), s.commune), Scope::window(p)).await?;
        let amount: i64 = members
            .iter()
            .map(|(role, v)| rates.iter().find(|(r, _)| r.code() == role).map_or(0, |(_, n)| n * v[0]))
            .sum();
        sum = Some(sum.unwrap_or(0) + amount);
    }
    Ok(sum)
}

async fn force(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let (tc, tp) = s.pair(ctx, Measure::ForceTeams).await?;
    let (cc, cp) = s.pair(ctx, Measure::ForceCovered).await?;
    let (ac, ap) = s.pair(ctx, Measure::Areas).await?;
    let (mc, mp) = s.pair(ctx, Measure::ForceMembers).await?;
    let (kc, kp) = s.pair(ctx, Measure::ForceTrained).await?;
    let teams = counted("teams", "Tổ bảo vệ an ninh, trật tự (cuối kỳ)", 0, (&tc, &tp), "", 0);
    let covered = counted("areas_covered", "Thôn, tổ dân phố có Tổ bảo vệ ANTT", 0, (&cc, &cp), "", 0);
    let areas = counted("areas", "Thôn, tổ dân phố", 1, (&ac, &ap), "", 0);
    let coverage = line(
        "coverage",
        "Tỷ lệ thôn, tổ dân phố có Tổ bảo vệ ANTT",
        1,
        Amount::PercentMilli,
        (share(covered.current, areas.current), share(covered.previous, areas.previous)),
    );
    let members = line("members", "Thành viên đang tham gia", 0, Amount::Count, (total(&mc, 0), total(&mp, 0)));
    let roles = enum_details::<MemberRole>("role", (&mc, &mp));
    let trained = counted("trained", "Lượt thành viên được bồi dưỡng, huấn luyện đạt yêu cầu", 0, (&kc, &kp), "", 0);
    let mut text = format!(
        "Đến ngày {}, {} có {} Tổ bảo vệ an ninh, trật tự với {} thành viên, bảo đảm {} thôn, tổ dân phố có Tổ \
         (đạt {}). {}, {} lượt thành viên được bồi dưỡng, huấn luyện đạt yêu cầu.",
        dmy(s.period.to),
        s.whole,
        cmp(&teams),
        members.current_text(),
        covered.current_text(),
        coverage.current_text(),
        s.during(),
        trained.current_text(),
    );
    let mut lines = vec![teams, covered, areas, coverage, members];
    lines.extend(roles);
    lines.push(trained);
    if let (Some(c), p) = (allowance(ctx, s, s.period).await?, allowance(ctx, s, s.previous).await?) {
        let l = line(
            "allowance",
            "Kinh phí hỗ trợ hằng tháng theo mức của tỉnh (cuối kỳ)",
            0,
            Amount::Vnd,
            (c, p.unwrap_or(0)),
        );
        text.push_str(&format!(" Kinh phí hỗ trợ hằng tháng theo mức của tỉnh tại cuối kỳ: {}.", l.current_text()));
        lines.push(l);
    }
    Ok(section("force", "Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở", text, lines))
}

async fn reports(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let (c, p) = s.pair(ctx, Measure::Reports).await?;
    let received = counted("received", "Tin báo, tố giác tiếp nhận", 0, (&c, &p), "", 0);
    let handled = counted("handled", "Đã giải quyết", 1, (&c, &p), "", 1);
    let on_time = counted("on_time", "Giải quyết đúng hạn", 1, (&c, &p), "", 2);
    let rate = line(
        "on_time_share",
        "Tỷ lệ giải quyết đúng hạn",
        1,
        Amount::PercentMilli,
        (share(on_time.current, handled.current), share(on_time.previous, handled.previous)),
    );
    let valuable = counted("valuable", "Tin có giá trị", 1, (&c, &p), "", 3);
    let text = format!(
        "{}, {} tiếp nhận {} tin báo, tố giác của Nhân dân; đã giải quyết {}, trong đó đúng hạn {} ({}); {} tin có giá trị.",
        s.during(),
        s.whole,
        cmp(&received),
        handled.current_text(),
        on_time.current_text(),
        rate.current_text(),
        valuable.current_text(),
    );
    Ok(section(
        "reports",
        "Tiếp nhận, giải quyết tin báo, tố giác của Nhân dân",
        text,
        vec![received, handled, on_time, rate, valuable],
    ))
}

async fn activities(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let kinds: HashMap<String, String> = antq_store::activities::kinds(&ctx.db, s.province)
        .await?
        .into_iter()
        .map(|k| (k.id.to_string(), k.name))
        .collect();
    let (c, p) = s.pair(ctx, Measure::Activities).await?;
    let all = line("activities", "Hoạt động phong trào tổ chức", 0, Amount::Count, (total(&c, 0), total(&p, 0)));
    let by = details("kind", (&c, &p), 0, Amount::Count, &[], |k| {
        kinds.get(k).cloned().unwrap_or_else(|| format!("Loại {k}"))
    });
    let people = line("participants", "Lượt người tham gia", 0, Amount::Count, (total(&c, 1), total(&p, 1)));
    let text = format!(
        "{}, {} tổ chức {} hoạt động phong trào với {} lượt người tham gia.",
        s.during(),
        s.whole,
        cmp(&all),
        people.current_text()
    );
    let mut lines = vec![all];
    lines.extend(by);
    lines.push(people);
    Ok(section("activities", "Hoạt động phong trào", text, lines))
}

async fn commendations(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let (c, p) = s.pair(ctx, Measure::Commendations).await?;
    let all =
        line("commendations", "Tập thể, cá nhân được khen thưởng", 0, Amount::Count, (total(&c, 0), total(&p, 0)));
    let by = enum_details::<CommendationForm>("form", (&c, &p));
    let cash = line("cash", "Tiền thưởng", 0, Amount::Vnd, (total(&c, 1), total(&p, 1)));
    let text = format!(
        "{}, {} khen thưởng {} lượt tập thể, cá nhân có thành tích trong phong trào, tổng tiền thưởng {}.",
        s.during(),
        s.whole,
        cmp(&all),
        cash.current_text()
    );
    let mut lines = vec![all];
    lines.extend(by);
    lines.push(cash);
    Ok(section("commendations", "Khen thưởng", text, lines))
}

async fn cameras(ctx: &AppCtx, s: &Scope<'_>) -> AppResult<Section> {
    let (c, p) = s.pair(ctx, Measure::CamerasInstalled).await?;
    let (wc, wp) = s.pair(ctx, Measure::CamerasWorking).await?;
    let all = line("installed", "Camera an ninh lắp đặt mới trong kỳ", 0, Amount::Count, (total(&c, 0), total(&p, 0)));
    let by = enum_details::<CameraFunding>("funding", (&c, &p));
    let cost = line("cost", "Kinh phí lắp đặt", 0, Amount::Vnd, (total(&c, 1), total(&p, 1)));
    let working = counted("working", "Camera đang hoạt động (lắp đặt đến cuối kỳ)", 0, (&wc, &wp), "", 0);
    let text = format!(
        "{}, {} lắp đặt mới {} camera an ninh, kinh phí {}; hiện có {} camera đang hoạt động.",
        s.during(),
        s.whole,
        cmp(&all),
        cost.current_text(),
        working.current_text()
    );
    let mut lines = vec![all];
    lines.extend(by);
    lines.extend([cost, working]);
    Ok(section("cameras", "Camera an ninh", text, lines))
}

/// The year's targets of a province or commune against what is done: value beside target.
async fn targets(ctx: &AppCtx, actor: &Actor, s: &Scope<'_>) -> AppResult<Option<Section>> {
    let Some(province) = s.province else { return Ok(None) };
    let q = crate::targets::ProgressQuery {
        year: Some(s.period.year),
        province: Some(province.to_string()),
        commune: s.commune.map(Into::into),
        indicator_id: None,
    };
    let o = crate::targets::overview(ctx, actor, &q).await?;
    let mut lines = Vec::new();
    for r in o.rows {
        let Some(target) = r.applied_milli else { continue };
        let (amount, v, t) = match r.indicator.unit {
            IndicatorUnit::Count => (Amount::Count, r.value_milli / 1000, target / 1000),
            IndicatorUnit::Percent => (Amount::PercentMilli, r.value_milli, target),
        };
        lines.push(line(r.indicator.code.clone(), r.indicator.name.clone(), 0, amount, (v, t)));
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let mut sec = section("targets", &format!("Thực hiện chỉ tiêu năm {}", s.period.year), String::new(), lines);
    sec.compare = Compare::Target;
    let reached = sec.lines.iter().filter(|l| l.previous > 0 && l.current >= l.previous).count();
    sec.text = format!(
        "Đến ngày {}, {} đạt {}/{} chỉ tiêu năm {} được giao.",
        dmy(s.period.to.min(ctx.today())),
        s.whole,
        reached,
        sec.lines.len(),
        s.period.year
    );
    Ok(Some(sec))
}
