//! Opinions raised at a "Công an lắng nghe ý kiến Nhân dân" conference (legal-rules §3.5):
//! who raised it (optional, never required), its topic and content, and either the answer
//! given on the spot or the unit tasked to answer with its deadline; an opinion waits in
//! "chờ trả lời" until it is answered, and is overdue once its deadline has passed.

use chrono::NaiveDate;

use crate::labelled_enum;
use crate::rules::required_date;
use crate::validate::{FieldErrors, Validated, optional_text, required_text};

labelled_enum!(
    /// Where an opinion is.
    OpinionState {
        ChoTraLoi = "cho_tra_loi", "Chờ trả lời";
        DaTraLoi = "da_tra_loi", "Đã trả lời";
    }
);

/// An opinion as typed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct OpinionInput {
    /// Who raised it (optional).
    pub raised_by: Option<String>,
    /// Topic.
    pub topic: Option<String>,
    /// What was said.
    pub content: Option<String>,
    /// The answer given on the spot (then nothing else is needed).
    pub answer: Option<String>,
    /// The unit tasked to answer (when not answered on the spot).
    pub tasked_unit: Option<String>,
    /// The deadline of that answer.
    pub due_on: Option<String>,
}

/// A validated new opinion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpinionFields {
    /// Who raised it.
    pub raised_by: Option<String>,
    /// Topic.
    pub topic: String,
    /// Content.
    pub content: String,
    /// Answer on the spot.
    pub answer: Option<String>,
    /// Unit tasked.
    pub tasked_unit: Option<String>,
    /// Deadline.
    pub due_on: Option<NaiveDate>,
}

impl OpinionFields {
    /// The state the opinion starts in.
    pub fn state(&self) -> OpinionState {
        if self.answer.is_some() { OpinionState::DaTraLoi } else { OpinionState::ChoTraLoi }
    }
}

impl OpinionInput {
    /// Checks an opinion raised at a conference held on `held_on`.
    pub fn validate(&self, held_on: NaiveDate) -> Validated<OpinionFields> {
        let mut e = FieldErrors::new();
        let raised_by = optional_text(&mut e, "raised_by", "Người nêu ý kiến", self.raised_by.as_deref(), 200);
        let topic = required_text(&mut e, "topic", "Lĩnh vực, chủ đề", self.topic.as_deref().unwrap_or(""), 200);
        let content = required_text(&mut e, "content", "Nội dung ý kiến", self.content.as_deref().unwrap_or(""), 4000);
        let answer = optional_text(&mut e, "answer", "Nội dung trả lời", self.answer.as_deref(), 4000);
        let tasked_unit =
            optional_text(&mut e, "tasked_unit", "Đơn vị được giao trả lời", self.tasked_unit.as_deref(), 300);
        let mut due_on = None;
        if answer.is_none() && !e.0.contains_key("answer") {
            if tasked_unit.is_none() && !e.0.contains_key("tasked_unit") {
                e.add("tasked_unit", "Ý kiến chưa được trả lời tại chỗ phải giao cho một đơn vị trả lời.");
            }
            due_on = required_date(&mut e, "due_on", "Hạn trả lời", self.due_on.as_deref());
            if due_on.is_some_and(|d| d < held_on) {
                e.add("due_on", "Hạn trả lời không được trước ngày hội nghị.");
            }
        }
        e.into_result(OpinionFields { raised_by, topic, content, answer, tasked_unit, due_on })
    }
}

/// The answer to an opinion that was waiting.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AnswerInput {
    /// The answer.
    pub answer: Option<String>,
    /// The day it was given.
    pub answered_on: Option<String>,
}

impl AnswerInput {
    /// Checks an answer to an opinion raised on `held_on`, given no later than `today`.
    pub fn validate(
        &self,
        state: OpinionState,
        held_on: NaiveDate,
        today: NaiveDate,
    ) -> Validated<(String, NaiveDate)> {
        let mut e = FieldErrors::new();
        if state == OpinionState::DaTraLoi {
            e.add("answer", "Ý kiến này đã được trả lời.");
            return Err(e);
        }
        let answer = required_text(&mut e, "answer", "Nội dung trả lời", self.answer.as_deref().unwrap_or(""), 4000);
        let on = required_date(&mut e, "answered_on", "Ngày trả lời", self.answered_on.as_deref());
        match on {
            Some(d) if d < held_on => e.add("answered_on", "Ngày trả lời không được trước ngày hội nghị."),
            Some(d) if d > today => e.add("answered_on", "Ngày trả lời không được sau hôm nay."),
            _ => {}
        }
        match on {
            Some(on) if e.is_empty() => Ok((answer, on)),
            _ => Err(e),
        }
    }
}

/// A stored opinion.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Opinion {
    /// Id.
    pub id: i64,
    /// The conference.
    pub activity_id: i64,
    /// Conference title.
    pub activity_title: String,
    /// Day of the conference.
    pub held_on: NaiveDate,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Who raised it.
    pub raised_by: Option<String>,
    /// Topic.
    pub topic: String,
    /// Content.
    pub content: String,
    /// State.
    pub state: OpinionState,
    /// Answer.
    pub answer: Option<String>,
    /// Day answered.
    pub answered_on: Option<NaiveDate>,
    /// Unit tasked to answer.
    pub tasked_unit: Option<String>,
    /// Deadline of the answer.
    pub due_on: Option<NaiveDate>,
    /// Waiting past its deadline.
    pub overdue: bool,
}

/// Whether an opinion in `state` with deadline `due_on` is overdue on `today`.
pub fn is_overdue(state: OpinionState, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    state == OpinionState::ChoTraLoi && due_on.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn answered_on_the_spot_or_tasked_with_a_deadline() {
        let held = d(2026, 3, 10);
        let spot = OpinionInput {
            topic: Some("Trật tự giao thông".into()),
            content: Some("Xe tải chạy nhanh qua trường học".into()),
            answer: Some("Công an xã sẽ bố trí tuần tra giờ tan học".into()),
            ..Default::default()
        };
        assert_eq!(spot.validate(held).unwrap().state(), OpinionState::DaTraLoi);
        let e = OpinionInput { answer: None, ..spot.clone() }.validate(held).unwrap_err();
        assert!(e.get("tasked_unit").is_some() && e.get("due_on").is_some());
        let tasked = OpinionInput {
            answer: None,
            tasked_unit: Some("UBND xã".into()),
            due_on: Some("2026-03-09".into()),
            ..spot
        };
        assert!(tasked.validate(held).unwrap_err().get("due_on").is_some());
        let ok = OpinionInput { due_on: Some("2026-03-25".into()), ..tasked }.validate(held).unwrap();
        assert_eq!((ok.state(), ok.due_on), (OpinionState::ChoTraLoi, Some(d(2026, 3, 25))));
        assert!(is_overdue(OpinionState::ChoTraLoi, ok.due_on, d(2026, 3, 26)));
        assert!(!is_overdue(OpinionState::ChoTraLoi, ok.due_on, d(2026, 3, 25)));
        assert!(!is_overdue(OpinionState::DaTraLoi, ok.due_on, d(2026, 4, 1)));
        let a = AnswerInput { answer: Some("Đã lắp biển báo".into()), answered_on: Some("2026-03-20".into()) };
        assert_eq!(a.validate(OpinionState::ChoTraLoi, held, d(2026, 3, 21)).unwrap().1, d(2026, 3, 20));
        assert!(a.validate(OpinionState::DaTraLoi, held, d(2026, 3, 21)).is_err());
        assert!(a.validate(OpinionState::ChoTraLoi, held, d(2026, 3, 19)).is_err(), "not after today");
    }
}
