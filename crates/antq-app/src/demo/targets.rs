//! Targets in the demo: every province sets this year's target of every national indicator a
//! little above last year's result or where this year's points by its end, whichever is more,
//! and splits its count targets among its communes the same way — so some communes are ahead,
//! some behind, and some splits fall short of the province's figure.

use antq_domain::target::{IndicatorUnit, year_elapsed_milli};
use antq_domain::unit::Unit;
use antq_store::Tx;
use antq_store::targets::{self as store, NewTarget};
use chrono::Datelike;

use super::Rng;
use crate::targets::Counts;
use crate::{AppCtx, AppResult};

/// A target near the larger of last year's value and this year's projected to its end: 90–130 %
/// of it for a count (at least one), up to 20 points above it for a share.
fn target_near(unit: IndicatorUnit, (now, last_year): (i64, i64), elapsed_milli: i64, rng: &mut Rng) -> i64 {
    match unit {
        IndicatorUnit::Count => {
            let base = (now * 1000 / elapsed_milli.max(1)).max(last_year);
            (base * rng.range(90, 130) / 100 / 1000).max(1) * 1000
        }
        IndicatorUnit::Percent => (now.max(last_year) / 1000 + rng.range(0, 20)).min(100) * 1000,
    }
}

/// This year's targets of a province and its communes; returns the targets written.
pub(super) async fn add(
    ctx: &AppCtx,
    tx: &mut Tx,
    (province, communes): (&Unit, &[Unit]),
    rng: &mut Rng,
) -> AppResult<usize> {
    let today = ctx.today();
    let year = today.year();
    let elapsed = year_elapsed_milli(year, today);
    let indicators: Vec<_> = store::indicators(&ctx.db, Some(&province.code))
        .await?
        .into_iter()
        .filter(|i| i.province_code.is_none())
        .collect();
    let parsed: Vec<_> = indicators.iter().filter_map(|i| i.parsed().ok().map(|f| (i, f))).collect();
    let formulas: Vec<_> = parsed.iter().map(|(_, f)| f).collect();
    let counts = Counts::load(ctx, &province.code, year, &formulas).await?;
    let before = Counts::load(ctx, &province.code, year - 1, &formulas).await?;
    let mut rows = Vec::new();
    for (i, f) in &parsed {
        let value = (counts.value(f, None), before.value(f, None));
        rows.push((None, i.id, target_near(i.unit, value, elapsed, rng)));
        if i.unit == IndicatorUnit::Count {
            for c in communes {
                let v = (counts.value(f, Some(&c.code)), before.value(f, Some(&c.code)));
                rows.push((Some(c.code.as_str()), i.id, target_near(i.unit, v, elapsed, rng)));
            }
        }
    }
    let new: Vec<NewTarget<'_>> = rows
        .iter()
        .map(|(commune, id, milli)| NewTarget {
            year,
            province: &province.code,
            commune: *commune,
            indicator_id: *id,
            target_milli: *milli,
            note: None,
        })
        .collect();
    for chunk in new.chunks(2000) {
        store::insert_many(tx, chunk, "demo", ctx.now()).await?;
    }
    Ok(new.len())
}
