//! Quotas set by the province (Luật 30/2023 Điều 14: HĐND tỉnh sets the criteria, UBND tỉnh
//! the numbers per residential area) and the composition rules of a team (one tổ trưởng, at
//! most the configured number of tổ phó, size within the quota). Breaking a composition rule
//! is a warning shown on the team and in the alerts, never a silent acceptance.

use crate::labelled_enum;

labelled_enum!(
    /// What a quota is counted by.
    QuotaBasis {
        Households = "ho", "Theo số hộ";
        Population = "nk", "Theo số nhân khẩu";
    }
);

/// One band: from `from` households (or residents) up, `teams` teams of `members` members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct QuotaBand {
    /// Lower bound (inclusive).
    pub from: i64,
    /// Teams per residential area.
    pub teams: i64,
    /// Members per team.
    pub members: i64,
}

/// The quota rule of a province: `ho:0=1x3;350=1x4` (by households) or `nk:0=1x3;2000=1x4`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Quota {
    /// Households or population.
    pub basis: QuotaBasis,
    /// Bands by ascending lower bound, the first from 0.
    pub bands: Vec<QuotaBand>,
}

/// The quota that applies to one area or team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AppliedQuota {
    /// Teams the area should have.
    pub teams: i64,
    /// Members a team should have.
    pub members: i64,
    /// The households or population the band was chosen by (`None`: not recorded, first band).
    pub measure: Option<i64>,
}

impl Quota {
    /// Parses the rule value; the message says what is wrong.
    pub fn parse(raw: &str) -> Result<Quota, String> {
        let (basis, rest) = raw.trim().split_once(':').ok_or("Thiếu «ho:» hoặc «nk:» ở đầu.")?;
        let basis =
            QuotaBasis::from_code(basis.trim()).ok_or("Cơ sở tính phải là «ho» (số hộ) hoặc «nk» (nhân khẩu).")?;
        let mut bands = Vec::new();
        for part in rest.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (from, size) = part.split_once('=').ok_or("Mỗi mức viết «từ=số tổ x số người».")?;
            let (teams, members) = size
                .to_lowercase()
                .split_once(['x', '×'])
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                .ok_or("Mỗi mức viết «từ=số tổ x số người».")?;
            let n = |s: &str| s.trim().parse::<i64>().map_err(|_| "Các giá trị phải là số nguyên.".to_string());
            let band = QuotaBand { from: n(from)?, teams: n(&teams)?, members: n(&members)? };
            if !(1..=20).contains(&band.teams) || !(1..=50).contains(&band.members) || band.from < 0 {
                return Err("Số tổ phải từ 1 đến 20, số người mỗi tổ từ 1 đến 50.".into());
            }
            bands.push(band);
        }
        if bands.first().map(|b| b.from) != Some(0) || !bands.windows(2).all(|w| w[0].from < w[1].from) {
            return Err("Mức đầu tiên phải bắt đầu từ 0 và các mức tăng dần.".into());
        }
        Ok(Quota { basis, bands })
    }

    /// The band for `households` and `population` (the one the basis uses); an unknown
    /// measure falls in the first band.
    pub fn apply(&self, households: Option<i64>, population: Option<i64>) -> AppliedQuota {
        let measure = match self.basis {
            QuotaBasis::Households => households,
            QuotaBasis::Population => population,
        };
        let band = self.bands.iter().rev().find(|b| measure.is_some_and(|m| m >= b.from)).unwrap_or(&self.bands[0]);
        AppliedQuota { teams: band.teams, members: band.members, measure }
    }
}

impl std::fmt::Display for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.basis {
            QuotaBasis::Households => "hộ",
            QuotaBasis::Population => "nhân khẩu",
        };
        let parts: Vec<String> = self
            .bands
            .iter()
            .map(|b| {
                format!("từ {} {unit}: {} tổ × {} người", crate::text::group_thousands(b.from), b.teams, b.members)
            })
            .collect();
        f.write_str(&parts.join("; "))
    }
}

labelled_enum!(
    /// An alert about the force in a commune.
    WarningKind {
        AreaWithoutTeam = "area_without_team", "Khu dân cư chưa có Tổ bảo vệ ANTT";
        AreaBelowTeams = "area_below_teams", "Khu dân cư chưa đủ số tổ theo định mức";
        NoLeader = "no_leader", "Tổ chưa có tổ trưởng";
        ManyLeaders = "many_leaders", "Tổ có hơn một tổ trưởng";
        TooManyDeputies = "too_many_deputies", "Tổ có quá số tổ phó cho phép";
        BelowQuota = "below_quota", "Tổ thiếu người so với định mức";
        AboveQuota = "above_quota", "Tổ vượt số người theo định mức";
        ReachingAgeLimit = "reaching_age_limit", "Thành viên đến tuổi giới hạn";
        OverdueDecision = "overdue_decision", "Quá hạn đề nghị hoặc ra quyết định";
    }
);

/// One alert: what, about which team, area or member, and the details.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Warning {
    /// Kind.
    pub kind: WarningKind,
    /// Details (Vietnamese).
    pub message: String,
}

/// The members of a team that count for its composition (members holding a place).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Composition {
    /// Tổ trưởng.
    pub leaders: i64,
    /// Tổ phó.
    pub deputies: i64,
    /// Everyone.
    pub size: i64,
}

impl Composition {
    /// The composition warnings against the configured maximum of deputies and the quota.
    pub fn warnings(&self, deputies_max: i64, quota_members: i64) -> Vec<Warning> {
        let w = |kind: WarningKind, message: String| Warning { kind, message };
        let mut out = Vec::new();
        match self.leaders {
            0 => out.push(w(WarningKind::NoLeader, "Tổ chưa có tổ trưởng (cần đúng một).".into())),
            1 => {}
            n => out.push(w(WarningKind::ManyLeaders, format!("Tổ có {n} tổ trưởng (chỉ được một)."))),
        }
        if self.deputies > deputies_max {
            out.push(w(
                WarningKind::TooManyDeputies,
                format!("Tổ có {} tổ phó, tối đa {deputies_max}.", self.deputies),
            ));
        }
        if self.size < quota_members {
            out.push(w(
                WarningKind::BelowQuota,
                format!("Tổ có {} người, định mức {quota_members} (thiếu {}).", self.size, quota_members - self.size),
            ));
        } else if self.size > quota_members {
            out.push(w(
                WarningKind::AboveQuota,
                format!("Tổ có {} người, định mức {quota_members} (thừa {}).", self.size, self.size - quota_members),
            ));
        }
        out
    }
}

/// Alert counts of one commune.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AlertCounts {
    /// Commune (or province) code.
    pub code: String,
    /// Areas without any team.
    pub areas_without_team: i64,
    /// Areas with fewer teams than the quota.
    pub areas_below_teams: i64,
    /// Teams without a leader.
    pub no_leader: i64,
    /// Teams with more than one leader.
    pub many_leaders: i64,
    /// Teams with too many deputies.
    pub too_many_deputies: i64,
    /// Teams below the member quota.
    pub below_quota: i64,
    /// Teams above the member quota.
    pub above_quota: i64,
    /// Members reaching the age limit.
    pub reaching_age_limit: i64,
}

impl AlertCounts {
    /// Sum of every count.
    pub fn total(&self) -> i64 {
        self.areas_without_team
            + self.areas_below_teams
            + self.no_leader
            + self.many_leaders
            + self.too_many_deputies
            + self.below_quota
            + self.above_quota
            + self.reaching_age_limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_applies_bands() {
        let q = Quota::parse("ho:0=1x3;350=1x4; 1000 = 2 x 4").unwrap();
        assert_eq!(q.apply(Some(120), None), AppliedQuota { teams: 1, members: 3, measure: Some(120) });
        assert_eq!(q.apply(Some(350), None).members, 4);
        assert_eq!(q.apply(Some(1200), Some(5000)).teams, 2);
        assert_eq!(q.apply(None, Some(5000)).members, 3, "unknown households: the first band");
        let p = Quota::parse("nk:0=1x3;2000=1x4").unwrap();
        assert_eq!(p.apply(Some(900), Some(2500)).members, 4);
        assert!(q.to_string().contains("từ 1.000 hộ: 2 tổ × 4 người"), "{q}");
        for bad in ["0=1x3", "xx:0=1x3", "ho:10=1x3", "ho:0=1x3;0=1x4", "ho:0=1x0", "ho:0=3", "ho:0=ax3"] {
            assert!(Quota::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn composition_warnings() {
        let ok = Composition { leaders: 1, deputies: 1, size: 3 };
        assert!(ok.warnings(1, 3).is_empty());
        let kinds = |c: Composition, q| c.warnings(1, q).into_iter().map(|w| w.kind).collect::<Vec<_>>();
        assert_eq!(
            kinds(Composition { leaders: 0, deputies: 0, size: 2 }, 3),
            [WarningKind::NoLeader, WarningKind::BelowQuota]
        );
        assert_eq!(
            kinds(Composition { leaders: 2, deputies: 2, size: 5 }, 4),
            [WarningKind::ManyLeaders, WarningKind::TooManyDeputies, WarningKind::AboveQuota]
        );
    }
}
