//! The yearly rating of teams and members (HD 01/HD-BCA-V05): four levels plus "chưa đánh
//! giá" with its reason, the cap on "xuất sắc" against "hoàn thành tốt" in a commune, and the
//! leader not rated above the team. The sheet workflow (submit, return, approve, unlock) is
//! the one of the model ratings ([`crate::rating::SheetState`]).

use chrono::NaiveDate;

use crate::labelled_enum;
use crate::rules::months_between;
use crate::validate::{FieldErrors, Validated, choice, optional_text};

labelled_enum!(
    /// The rating of a team or member.
    ForceLevel {
        Htxs = "htxs", "Hoàn thành xuất sắc nhiệm vụ";
        Htt = "htt", "Hoàn thành tốt nhiệm vụ";
        Ht = "ht", "Hoàn thành nhiệm vụ";
        Kht = "kht", "Không hoàn thành nhiệm vụ";
        ChuaDanhGia = "chua_danh_gia", "Chưa đánh giá";
    }
);

impl ForceLevel {
    /// Order for comparisons (`None`: not rated).
    pub fn rank(self) -> Option<u8> {
        match self {
            ForceLevel::Htxs => Some(3),
            ForceLevel::Htt => Some(2),
            ForceLevel::Ht => Some(1),
            ForceLevel::Kht => Some(0),
            ForceLevel::ChuaDanhGia => None,
        }
    }

    /// Rated as completing tasks well or better (Kỷ niệm chương condition).
    pub fn at_least_good(self) -> bool {
        self.rank().is_some_and(|r| r >= 2)
    }
}

labelled_enum!(
    /// Why a team or member is not rated (HD 01).
    NotRatedReason {
        KhieuNai = "khieu_nai", "Đang bị khiếu nại, tố cáo";
        ChuaDuThoiGian = "chua_du_thoi_gian", "Thành lập, tham gia chưa đủ thời gian tối thiểu";
    }
);

/// A rating as typed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ForceRatingInput {
    /// The team rated (or the member's team).
    pub team_id: Option<i64>,
    /// The member rated (`None`: the team itself).
    pub member_id: Option<i64>,
    /// Level code or label.
    pub level: Option<String>,
    /// Reason code for "chưa đánh giá".
    pub reason: Option<String>,
    /// A leader newly transferred in may be rated above the team.
    #[serde(default)]
    pub newly_transferred: bool,
    /// Note.
    pub note: Option<String>,
}

/// A validated rating.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ForceRatingFields {
    /// Level.
    pub level: ForceLevel,
    /// Reason when not rated.
    pub reason: Option<NotRatedReason>,
    /// Newly transferred leader.
    pub newly_transferred: bool,
    /// Note.
    pub note: Option<String>,
}

impl ForceRatingInput {
    /// Checks the level; `forced` is the reason only "chưa đánh giá" is possible (too new).
    pub fn validate(&self, forced: Option<&str>) -> Validated<ForceRatingFields> {
        let mut e = FieldErrors::new();
        let level = choice(&mut e, "level", "mức xếp loại", self.level.as_deref(), ForceLevel::ChuaDanhGia);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 1000);
        let mut reason = None;
        if let Some(why) = forced
            && level != ForceLevel::ChuaDanhGia
            && e.is_empty()
        {
            e.add("level", format!("Chỉ được «Chưa đánh giá»: {why}"));
        }
        if level == ForceLevel::ChuaDanhGia && e.get("level").is_none() {
            reason = match (forced, self.reason.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
                (Some(_), None) => Some(NotRatedReason::ChuaDuThoiGian),
                (_, raw) => Some(choice(&mut e, "reason", "lý do chưa đánh giá", raw, NotRatedReason::KhieuNai)),
            };
        }
        e.into_result(ForceRatingFields { level, reason, newly_transferred: self.newly_transferred, note })
    }
}

/// Why only "chưa đánh giá" is possible: established or joined less than `min_months` before
/// the end of the rating period.
pub fn too_new(since: Option<NaiveDate>, period_end: NaiveDate, min_months: i64, what: &str) -> Option<String> {
    match since {
        None => Some(format!("{what} chưa có quyết định công nhận, thành lập.")),
        Some(s) if months_between(s, period_end) < min_months => Some(format!(
            "{what} từ ngày {}, chưa đủ {min_months} tháng đến hết kỳ đánh giá ({}).",
            s.format("%d/%m/%Y"),
            period_end.format("%d/%m/%Y")
        )),
        Some(_) => None,
    }
}

/// The most "xuất sắc" allowed for `good` ratings "hoàn thành tốt" at `pct` %.
pub fn excellent_allowed(good: i64, pct: i64) -> i64 {
    good * pct / 100
}

/// Checks the cap on "xuất sắc" of one kind of subject (`what`: "tổ", "thành viên").
pub fn check_cap(excellent: i64, good: i64, pct: i64, what: &str) -> Result<(), String> {
    let max = excellent_allowed(good, pct);
    if excellent <= max {
        Ok(())
    } else {
        Err(format!(
            "Số {what} xếp loại «Hoàn thành xuất sắc nhiệm vụ» ({excellent}) vượt {pct} % số «Hoàn thành tốt nhiệm vụ» ({good}) của xã: tối đa {max} (HD 01/HD-BCA-V05)."
        ))
    }
}

/// A tổ trưởng may not be rated above the team, unless newly transferred (HD 01).
pub fn check_leader(team: ForceLevel, leader: ForceLevel, newly_transferred: bool) -> Result<(), String> {
    match (team.rank(), leader.rank()) {
        (Some(t), Some(l)) if l > t && !newly_transferred => Err(format!(
            "Tổ trưởng không được xếp loại cao hơn tổ («{}» > «{}»), trừ tổ trưởng mới chuyển đến (HD 01/HD-BCA-V05).",
            leader.label(),
            team.label()
        )),
        _ => Ok(()),
    }
}

/// A commune's rating sheet of a year.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ForceSheet {
    /// Id.
    pub id: i64,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: String,
    /// Year rated (the period ends on 14/11 of it).
    pub year: i32,
    /// State.
    pub state: crate::rating::SheetState,
    /// Comment of the last return, approval or unlock.
    pub comment: Option<String>,
    /// Who submitted.
    pub submitted_by: Option<String>,
    /// When.
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who reviewed last.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A rating of a team (`member_id` `None`) or of a member.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ForceRating {
    /// Id.
    pub id: i64,
    /// Sheet.
    pub sheet_id: i64,
    /// Year.
    pub year: i32,
    /// Team.
    pub team_id: i64,
    /// Member.
    pub member_id: Option<i64>,
    /// Level.
    pub level: ForceLevel,
    /// Reason when not rated.
    pub reason: Option<NotRatedReason>,
    /// Newly transferred leader.
    pub newly_transferred: bool,
    /// Note.
    pub note: Option<String>,
    /// Who rated.
    pub rated_by: String,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::force::team::tests::d;

    #[test]
    fn cap_of_twenty_percent() {
        assert!(check_cap(2, 10, 20, "thành viên").is_ok());
        let e = check_cap(3, 10, 20, "thành viên").unwrap_err();
        assert!(e.contains("(3)") && e.contains("tối đa 2"), "{e}");
        assert!(check_cap(1, 4, 20, "tổ").is_err(), "20 % of 4 is 0");
        assert!(check_cap(0, 0, 20, "tổ").is_ok());
    }

    #[test]
    fn leader_not_above_team() {
        assert!(check_leader(ForceLevel::Htt, ForceLevel::Htxs, false).is_err());
        assert!(check_leader(ForceLevel::Htt, ForceLevel::Htxs, true).is_ok());
        assert!(check_leader(ForceLevel::Htt, ForceLevel::Htt, false).is_ok());
        assert!(check_leader(ForceLevel::ChuaDanhGia, ForceLevel::Htxs, false).is_ok());
    }

    #[test]
    fn nine_months_rule_and_reasons() {
        let end = d(2026, 11, 14);
        assert!(too_new(Some(d(2026, 2, 15)), end, 9, "Tổ thành lập").is_some());
        assert!(too_new(Some(d(2026, 2, 14)), end, 9, "Tổ thành lập").is_none());
        assert!(too_new(None, end, 9, "Thành viên").is_some());
        let forced = ForceRatingInput { level: Some("htt".into()), ..Default::default() }.validate(Some("mới"));
        assert!(forced.unwrap_err().get("level").unwrap().contains("Chưa đánh giá"));
        let f = ForceRatingInput { level: Some("chua_danh_gia".into()), ..Default::default() }
            .validate(Some("mới"))
            .unwrap();
        assert_eq!(f.reason, Some(NotRatedReason::ChuaDuThoiGian));
        let e =
            ForceRatingInput { level: Some("chua_danh_gia".into()), ..Default::default() }.validate(None).unwrap_err();
        assert!(e.get("reason").is_some());
        let f = ForceRatingInput { level: Some("Hoàn thành tốt nhiệm vụ".into()), ..Default::default() }
            .validate(None)
            .unwrap();
        assert_eq!((f.level, f.reason), (ForceLevel::Htt, None));
    }
}
