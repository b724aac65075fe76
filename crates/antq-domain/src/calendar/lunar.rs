//! The Vietnamese lunisolar calendar (UTC+7), after Hồ Ngọc Đức's published algorithm
//! (mean new moons corrected by the main periodic terms, Meeus ch. 49; months numbered by
//! the sun's longitude; the leap month is the first without a major solar term). Enough to
//! place Tết and the 10th of the third month, the two lunar public holidays.

use chrono::NaiveDate;
use std::f64::consts::PI;

/// Hours east of Greenwich of Vietnamese civil time.
const TIME_ZONE: f64 = 7.0;
/// The length of a mean synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530588853;
/// Days between 1 January of year 1 (proleptic Gregorian) and Julian day 0.
const CE_TO_JD: i64 = 1_721_425;

fn jd(d: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d)) + CE_TO_JD
}

fn date(jd: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jd - CE_TO_JD).ok()?)
}

/// The local day (as a Julian day number) of the `k`-th new moon after 1900-01-01.
fn new_moon_day(k: i64) -> i64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    (jd1 + c1 - delta_t + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The sun's longitude at the start of local day `jdn`, in twelfths of the circle (0–11).
fn sun_longitude(jdn: i64) -> i64 {
    let t = (jdn as f64 - 2_451_545.5 - TIME_ZONE / 24.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl = dl + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = ((l0 + dl) * dr).rem_euclid(2.0 * PI);
    (l / PI * 6.0).floor() as i64
}

/// The first day of the 11th lunar month (the one holding the winter solstice) of `year`.
fn month_11(year: i32) -> Option<i64> {
    let off = jd(NaiveDate::from_ymd_opt(year, 12, 31)?) - 2_415_021;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k);
    Some(if sun_longitude(nm) >= 9 { new_moon_day(k - 1) } else { nm })
}

/// How many months after the 11th month starting on `a11` the leap month falls.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2_415_021.076_998_695) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_longitude(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_longitude(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

/// The solar date of day `day` of (non-leap) lunar month `month` of lunar year `year`.
pub fn to_solar(day: u32, month: u32, year: i32) -> Option<NaiveDate> {
    let (a11, b11) =
        if month < 11 { (month_11(year - 1)?, month_11(year)?) } else { (month_11(year)?, month_11(year + 1)?) };
    let k = ((a11 as f64 - 2_415_021.076_998_695) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut off = (i64::from(month) - 11).rem_euclid(12);
    if b11 - a11 > 365 && off >= leap_month_offset(a11) {
        off += 1;
    }
    date(new_moon_day(k + off) + i64::from(day) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tet_falls_on_the_published_days() {
        // 2007 and 2030: a day before the Chinese New Year, the new moon falling before
        // midnight in UTC+7 but after it in UTC+8.
        let tet = [
            (2007, d(2007, 2, 17)),
            (2019, d(2019, 2, 5)),
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2027, d(2027, 2, 6)),
            (2028, d(2028, 1, 26)),
            (2030, d(2030, 2, 2)),
        ];
        for (year, day) in tet {
            assert_eq!(to_solar(1, 1, year), Some(day), "Tết {year}");
        }
    }

    #[test]
    fn hung_kings_day_across_leap_years() {
        // 2020 and 2023 had a leap month (4th and 2nd): the 10th of the third month moves.
        let days = [
            (2020, d(2020, 4, 2)),
            (2023, d(2023, 4, 29)),
            (2024, d(2024, 4, 18)),
            (2025, d(2025, 4, 7)),
            (2026, d(2026, 4, 26)),
        ];
        for (year, day) in days {
            assert_eq!(to_solar(10, 3, year), Some(day), "Giỗ Tổ {year}");
        }
    }
}
