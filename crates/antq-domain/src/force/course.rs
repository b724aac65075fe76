//! Training courses of the force (TT 14/2024: huấn luyện, bồi dưỡng): topics among the six
//! task groups, dates, organiser, trainees with results and certificates.

use chrono::NaiveDate;

use super::{TaskGroup, TrainingResult};
use crate::rules::required_date;
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

/// A course as typed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CourseInput {
    /// Title.
    pub title: Option<String>,
    /// Task-group codes covered.
    #[serde(default)]
    pub topics: Vec<String>,
    /// First day.
    pub starts_on: Option<String>,
    /// Last day.
    pub ends_on: Option<String>,
    /// Organiser.
    pub organiser: Option<String>,
    /// Place.
    pub location: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A course's validated fields.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CourseFields {
    /// Title.
    pub title: String,
    /// Topic codes.
    pub topics: Vec<String>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Organiser.
    pub organiser: String,
    /// Place.
    pub location: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl CourseInput {
    /// Checks the fields.
    pub fn validate(&self) -> Validated<CourseFields> {
        let mut e = FieldErrors::new();
        let title = required_text(&mut e, "title", "Tên lớp", self.title.as_deref().unwrap_or(""), 300);
        let mut topics = Vec::new();
        for t in &self.topics {
            let g = choice(&mut e, "topics", "nội dung", Some(t), TaskGroup::NamTinhHinh);
            if !topics.contains(&g.code().to_string()) {
                topics.push(g.code().to_string());
            }
        }
        if self.topics.is_empty() {
            e.add("topics", "Chọn ít nhất một nội dung huấn luyện, bồi dưỡng.");
        }
        let starts_on = required_date(&mut e, "starts_on", "Ngày bắt đầu", self.starts_on.as_deref());
        let ends_on = required_date(&mut e, "ends_on", "Ngày kết thúc", self.ends_on.as_deref());
        if let (Some(s), Some(t)) = (starts_on, ends_on)
            && t < s
        {
            e.add("ends_on", "Ngày kết thúc không được trước ngày bắt đầu.");
        }
        let organiser =
            required_text(&mut e, "organiser", "Đơn vị tổ chức", self.organiser.as_deref().unwrap_or(""), 300);
        let location = optional_text(&mut e, "location", "Địa điểm", self.location.as_deref(), 300);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        match (starts_on, ends_on) {
            (Some(starts_on), Some(ends_on)) if e.is_empty() => {
                Ok(CourseFields { title, topics, starts_on, ends_on, organiser, location, note })
            }
            _ => Err(e),
        }
    }
}

/// A trainee's result as typed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ResultInput {
    /// `chua_co`, `dat` or `khong_dat`.
    pub result: Option<String>,
    /// Certificate number (required with "đạt").
    pub certificate_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl ResultInput {
    /// Checks the result: a pass needs the certificate number.
    pub fn validate(&self) -> Validated<(TrainingResult, Option<String>, Option<String>)> {
        let mut e = FieldErrors::new();
        let result = choice(&mut e, "result", "kết quả", self.result.as_deref(), TrainingResult::ChuaCo);
        let cert = optional_text(&mut e, "certificate_no", "Số chứng chỉ", self.certificate_no.as_deref(), 50);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 1000);
        if result == TrainingResult::Dat && cert.is_none() && e.is_empty() {
            e.add("certificate_no", "Học viên đạt yêu cầu cần số chứng chỉ.");
        }
        e.into_result((result, cert, note))
    }
}

/// A course.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Course {
    /// Id.
    pub id: crate::ids::CourseId,
    /// Province.
    pub province_code: String,
    /// Commune (`None`: a course of the province).
    pub commune_code: Option<String>,
    /// Title.
    pub title: String,
    /// Task-group codes covered.
    pub topics: Vec<String>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Organiser.
    pub organiser: String,
    /// Place.
    pub location: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Trainees.
    pub trainees: i64,
    /// Trainees who passed.
    pub passed: i64,
}

/// A trainee of a course.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Trainee {
    /// Row id.
    pub id: i64,
    /// Course.
    pub course_id: i64,
    /// Member.
    pub member_id: i64,
    /// Member's name.
    pub full_name: String,
    /// Team name.
    pub team_name: String,
    /// Commune.
    pub commune_code: String,
    /// Result.
    pub result: TrainingResult,
    /// Certificate (chứng chỉ) number.
    pub certificate_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn courses_and_results() {
        let ok = CourseInput {
            title: Some("Bồi dưỡng nghiệp vụ 2026".into()),
            topics: vec!["tuan_tra".into(), "Phòng cháy, chữa cháy, cứu nạn, cứu hộ".into(), "tuan_tra".into()],
            starts_on: Some("01/06/2026".into()),
            ends_on: Some("05/06/2026".into()),
            organiser: Some("Công an tỉnh".into()),
            ..Default::default()
        };
        assert_eq!(ok.validate().unwrap().topics, ["tuan_tra", "pccc"]);
        let bad = CourseInput { ends_on: Some("2026-05-01".into()), topics: vec![], ..ok };
        let e = bad.validate().unwrap_err();
        assert!(e.get("ends_on").is_some() && e.get("topics").is_some());
        let e = ResultInput { result: Some("dat".into()), ..Default::default() }.validate().unwrap_err();
        assert!(e.get("certificate_no").is_some());
        assert!(ResultInput { result: Some("khong_dat".into()), ..Default::default() }.validate().is_ok());
    }
}
