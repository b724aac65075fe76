//! Crime reports of the demo: received over the last years through every channel, each
//! taken through the real workflow ([`apply`]) so states, clocks, trails and outcomes are
//! what the application itself would have written; identities sealed with the instance key.

use antq_domain::report::clock::{end_of_day, vn_date};
use antq_domain::report::handling::{Step, UnitTarget, apply, arrive};
use antq_domain::report::input::{ContentFields, Identity, PlaceFields};
use antq_domain::report::receipt::code_from;
use antq_domain::report::state::SuspendGround;
use antq_domain::report::{Category, Channel, ClockRules, Report, ReportKind};
use antq_domain::unit::Unit;
use antq_store::reports::{DemoEvent, insert_demo, insert_identities};
use chrono::{DateTime, Duration, Utc};

use super::{GIVEN, Rng, SURNAMES, Sizes};
use crate::{AppCtx, AppResult};

const WHERE: &[&str] =
    &["khu vực chợ", "đầu hẻm", "bãi đất trống cạnh trường", "quán cà phê ven đường", "bến xe", "khu nhà trọ"];

fn summary(category: Category, rng: &mut Rng) -> String {
    let w = rng.pick_str(WHERE);
    match category {
        Category::MaTuy => format!("Phát hiện nhóm người tụ tập sử dụng, mua bán trái phép chất ma túy tại {w}."),
        Category::TromCuop => format!("Người dân bị mất trộm xe máy dựng trước {w}."),
        Category::LuaDao => "Bị đối tượng giả danh cơ quan chức năng gọi điện yêu cầu chuyển tiền.".to_string(),
        Category::CoBac => format!("Có tụ điểm đánh bạc, cá độ bóng đá thường xuyên tại {w}."),
        Category::VuKhi => "Phát hiện người tàng trữ súng tự chế, pháo nổ trong nhà.".to_string(),
        Category::TinhMang => format!("Xô xát, đánh nhau gây thương tích tại {w}."),
        Category::TreEm => "Nghi có hành vi bạo lực, xâm hại trẻ em trong khu dân cư.".to_string(),
        Category::MuaBanNguoi => "Nghi có người môi giới đưa phụ nữ ra nước ngoài lao động trái phép.".to_string(),
        Category::BuonLau => format!("Xe tải vận chuyển hàng lậu, hàng giả tập kết tại {w}."),
        Category::MoiTruong => "Khai thác cát trái phép ban đêm trên sông.".to_string(),
        Category::ThamNhung => "Phản ánh cán bộ nhận tiền khi giải quyết hồ sơ đất đai.".to_string(),
        Category::TratTu => format!("Nhóm thanh niên đua xe, gây rối trật tự tại {w} lúc đêm khuya."),
        Category::Khac => format!("Phát hiện người lạ có biểu hiện nghi vấn quanh {w}."),
    }
}

fn pick_category(rng: &mut Rng) -> Category {
    const WEIGHTED: &[(Category, u64)] = &[
        (Category::TromCuop, 24),
        (Category::LuaDao, 20),
        (Category::MaTuy, 12),
        (Category::CoBac, 8),
        (Category::TinhMang, 8),
        (Category::TratTu, 8),
        (Category::VuKhi, 4),
        (Category::BuonLau, 4),
        (Category::TreEm, 3),
        (Category::MoiTruong, 3),
        (Category::ThamNhung, 2),
        (Category::MuaBanNguoi, 1),
        (Category::Khac, 3),
    ];
    let mut n = rng.next() % WEIGHTED.iter().map(|(_, w)| w).sum::<u64>();
    for (c, w) in WEIGHTED {
        if n < *w {
            return *c;
        }
        n -= w;
    }
    Category::Khac
}

fn pick_channel(kind: ReportKind, rng: &mut Rng) -> Channel {
    match kind {
        ReportKind::KienNghiKhoiTo => Channel::CoQuanKhac,
        ReportKind::TuThu | ReportKind::DauThu | ReportKind::PhamToiQuaTang => Channel::TrucTiep,
        _ => match rng.range(0, 99) {
            0..=15 => Channel::CongKhai,
            16..=45 => Channel::TrucTiep,
            46..=68 => Channel::DienThoai,
            69..=79 => Channel::Vneid,
            80..=84 => Channel::VanBan,
            85..=88 => Channel::ThuDienTu,
            89..=91 => Channel::HomThu,
            92..=94 => Channel::BaoChi,
            _ => Channel::ToBaoVe,
        },
    }
}

fn pick_kind(rng: &mut Rng) -> ReportKind {
    match rng.range(0, 99) {
        0..=44 => ReportKind::ToGiac,
        45..=84 => ReportKind::TinBao,
        85..=87 => ReportKind::KienNghiKhoiTo,
        88..=89 => ReportKind::TuThu,
        90..=91 => ReportKind::DauThu,
        92..=94 => ReportKind::PhamToiQuaTang,
        _ => ReportKind::PhanAnhAntt,
    }
}

/// The trail being written for the demo's reports, and what steps need.
struct Trail<'a> {
    now: DateTime<Utc>,
    rules: &'a ClockRules,
    calendar: &'a antq_domain::calendar::WorkCalendar,
    events: Vec<DemoEvent>,
}

impl Trail<'_> {
    /// Takes `step` at `at` if it is allowed and in the past; records it for report `index`.
    fn take(
        &mut self,
        index: usize,
        r: &mut Report,
        step: Step,
        at: DateTime<Utc>,
        target: Option<&UnitTarget>,
    ) -> bool {
        if at >= self.now {
            return false;
        }
        match apply(r, &step, at, self.rules, self.calendar, target) {
            Ok((next, rec)) => {
                self.events.push(DemoEvent {
                    report: index,
                    at,
                    action: step.action().code(),
                    from_state: Some(r.state),
                    to_state: next.state,
                    decision_no: rec.decision_no,
                });
                *r = next;
                true
            }
            Err(_) => false,
        }
    }
}

/// One province's reports: `sizes.reports` a commune, received within the last `sizes.report_days`.
pub(super) async fn add(
    ctx: &AppCtx,
    tx: &mut antq_store::Tx,
    (province, communes): (&Unit, &[Unit]),
    sizes: &Sizes,
    rng: &mut Rng,
    seq: &mut u64,
) -> AppResult<usize> {
    let (per_commune, days) = (sizes.reports, sizes.report_days);
    let now = ctx.now();
    let rules = crate::rules::clock(ctx, &province.code, vn_date(now)).await?;
    let to_province = UnitTarget { province_code: province.code.clone(), commune_code: None, remote: false };
    let mut reports: Vec<Report> = Vec::new();
    let calendar = crate::calendar::current(ctx).await?;
    let mut trail = Trail { now, rules: &rules, calendar: &calendar, events: Vec::new() };
    let mut identities: Vec<(usize, Identity)> = Vec::new();
    for commune in communes {
        let here = UnitTarget {
            province_code: province.code.clone(),
            commune_code: Some(commune.code.clone()),
            remote: commune.remote,
        };
        for _ in 0..rng.range(per_commune.0, per_commune.1) {
            let index = reports.len();
            let received = now - Duration::seconds(rng.range(600, days * 86400));
            let kind = pick_kind(rng);
            let channel = pick_channel(kind, rng);
            let category = pick_category(rng);
            let unknown = rng.chance(4);
            let content = ContentFields {
                kind,
                category,
                summary: summary(category, rng),
                source: (channel == Channel::CoQuanKhac).then(|| "Cơ quan Thuế".to_string()),
                occurred_on: Some(vn_date(received - Duration::hours(rng.range(1, 72)))),
                occurred_time: None,
                place: PlaceFields {
                    province_code: province.code.clone(),
                    commune_code: (!unknown).then(|| commune.code.clone()),
                    address: None,
                    unknown,
                },
            };
            let unit = if unknown { &to_province } else { &here };
            let by = if channel == Channel::CongKhai { crate::reports::intake::CITIZEN } else { "demo" };
            let mut r = crate::reports::intake::new_report(content, channel, received, unit, by);
            // Distinct codes: an odd multiplier is a bijection on 50 bits.
            *seq += 1;
            r.code = code_from(seq.wrapping_mul(0x9E37_79B9_7F4A_7C15) & ((1 << 50) - 1));
            r.anonymous = rng.chance(if channel == Channel::CongKhai { 55 } else { 15 });
            r.has_receipt = channel == Channel::CongKhai;
            r.urgent = rng.chance(3);
            r.valuable = rng.chance(8);
            arrive(&mut r, &rules);
            trail.events.push(DemoEvent {
                report: index,
                at: received,
                action: "received",
                from_state: None,
                to_state: r.state,
                decision_no: None,
            });
            // The commune moves it: transfer to the province's investigating body, or take it on.
            let slowest = if rng.chance(85) { 22 * 60 } else { 40 * 60 };
            let first = received + Duration::minutes(rng.range(20, slowest));
            // Now and then a report waits too long at its unit (the overdue list is for those).
            let forgotten = rng.chance(2);
            if forgotten {
            } else if r.commune_code.is_some() && rng.chance(12) {
                let t = Step::Transfer {
                    to_unit: province.code.clone(),
                    reason: "Vượt thẩm quyền của Công an xã".into(),
                };
                trail.take(index, &mut r, t, first, Some(&to_province));
            }
            let accepted = if r.unit_received_at > received {
                r.unit_received_at + Duration::hours(rng.range(1, 20))
            } else {
                first
            };
            if forgotten {
            } else if rng.chance(4) {
                trail.take(
                    index,
                    &mut r,
                    Step::NotCrime { handling: "Chuyển xử lý vi phạm hành chính".into() },
                    accepted,
                    None,
                );
            } else if trail.take(index, &mut r, Step::Accept, accepted, None) {
                let longest = if rng.chance(85) { 18 * 24 } else { 70 * 24 };
                let close = accepted + Duration::hours(rng.range(24, longest));
                let due = r.resolve_due_on.map(end_of_day).unwrap_or(close);
                if close > due
                    && rng.chance(75)
                    && let (Some(start), Some(d)) = (r.clock_start_on, r.resolve_due_on)
                {
                    let until = vn_date(close).max(d + Duration::days(1)).min(rules.extension_cap(start, &calendar));
                    let ext = Step::Extend {
                        until,
                        authority: "Thủ trưởng Cơ quan CSĐT".into(),
                        reason: "Cần xác minh tại nhiều nơi".into(),
                        decision_no: None,
                        procuracy: false,
                    };
                    trail.take(index, &mut r, ext, due - Duration::days(2), None);
                }
                let decision_no = format!("{}/QĐ", rng.range(1, 999));
                let decide = |prosecute: bool, at: DateTime<Utc>| Step::Decide {
                    prosecute,
                    decision_no: decision_no.clone(),
                    on: vn_date(at),
                    reason: (!prosecute).then(|| "Không có sự việc phạm tội".to_string()),
                };
                let step = match rng.range(0, 99) {
                    0..=29 => decide(true, close),
                    30..=82 => decide(false, close),
                    83..=94 => Step::Refer {
                        agency: "Cơ quan An ninh điều tra".into(),
                        decision_no: Some(decision_no.clone()),
                        on: vn_date(close),
                    },
                    _ => Step::Suspend {
                        ground: SuspendGround::GiamDinh,
                        decision_no: decision_no.clone(),
                        on: vn_date(close),
                        reason: None,
                    },
                };
                let suspended = matches!(step, Step::Suspend { .. });
                trail.take(index, &mut r, step, close, None);
                if suspended && rng.chance(60) {
                    let resumed = close + Duration::days(rng.range(15, 60));
                    let resume =
                        Step::Resume { decision_no: format!("{}/QĐ-PH", rng.range(1, 999)), on: vn_date(resumed) };
                    if trail.take(index, &mut r, resume, resumed, None) {
                        let end = resumed + Duration::days(rng.range(3, 18));
                        trail.take(index, &mut r, decide(rng.chance(40), end), end, None);
                    }
                }
            }
            if !r.anonymous {
                let name = format!("{} {}", rng.pick_str(SURNAMES), rng.pick_str(GIVEN));
                let phone = format!("09{} {:03} {:03}", rng.range(0, 9), rng.range(0, 999), rng.range(0, 999));
                identities.push((index, Identity { full_name: Some(name), phone: Some(phone), ..Default::default() }));
            }
            reports.push(r);
        }
    }
    // Rows in the order they were received, as the application would have written them.
    let mut order: Vec<usize> = (0..reports.len()).collect();
    order.sort_by_key(|&i| reports[i].received_at);
    let mut rank = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        rank[old] = new;
    }
    let reports: Vec<Report> = order.iter().map(|&i| reports[i].clone()).collect();
    let mut events = trail.events;
    for e in &mut events {
        e.report = rank[e.report];
    }
    events.sort_by_key(|e| e.at);
    let identities: Vec<(usize, Identity)> = identities.into_iter().map(|(i, id)| (rank[i], id)).collect();
    let ids = insert_demo(tx, &reports, &events, now).await?;
    let mut sealed = Vec::with_capacity(identities.len());
    for (index, identity) in identities {
        let r = &reports[index];
        let plain = serde_json::to_vec(&identity).map_err(|e| crate::AppError::Internal(e.to_string()))?;
        sealed.push((
            ids[index],
            r.province_code.clone(),
            r.commune_code.clone(),
            ctx.identity_key.seal(ids[index], &plain)?,
        ));
    }
    insert_identities(tx, &sealed, ctx.identity_key.id(), now).await?;
    Ok(reports.len())
}
