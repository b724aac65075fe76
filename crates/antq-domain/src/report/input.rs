//! Reports as citizens and officers enter them, and their checks. Messages name the field
//! in Vietnamese and say what is expected; nothing invalid reaches the store.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::state::{Category, Channel, ReportKind};
use crate::FieldErrors;
use crate::model::parse_date;
use crate::validate::{Validated, choice, optional_text, required_text};

/// Longest description.
pub const MAX_SUMMARY: usize = 20_000;
/// Longest message of the dialogue.
pub const MAX_MESSAGE: usize = 5_000;

/// Who reports, as entered (everything optional; nothing is kept when the report is anonymous).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ReporterInput {
    /// Full name.
    pub full_name: Option<String>,
    /// Citizen identity card number (9 or 12 digits).
    pub id_number: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// The organisation the reporter represents.
    pub organisation: Option<String>,
    /// Its tax code (mã số thuế).
    pub tax_code: Option<String>,
    /// Asks for confidentiality and protection (BLTTHS Chương XXXIV).
    #[serde(default)]
    pub protection_requested: bool,
}

/// A reporter's identity: what is encrypted and kept apart from the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Identity {
    /// Full name.
    pub full_name: Option<String>,
    /// Citizen identity card number.
    pub id_number: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Organisation represented.
    pub organisation: Option<String>,
    /// Its tax code.
    pub tax_code: Option<String>,
    /// Asked for confidentiality and protection.
    pub protection_requested: bool,
}

impl Identity {
    /// Nothing that identifies anyone.
    pub fn is_empty(&self) -> bool {
        [&self.full_name, &self.id_number, &self.phone, &self.email, &self.address, &self.organisation, &self.tax_code]
            .iter()
            .all(|v| v.is_none())
    }
}

fn digits_only(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

impl ReporterInput {
    /// Checks the identity fields (prefix `reporter.` in field names).
    pub fn validate(&self, e: &mut FieldErrors) -> Identity {
        let full_name = optional_text(e, "reporter.full_name", "Họ tên", self.full_name.as_deref(), 200);
        let id_number = self.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| {
            let d = digits_only(s);
            if d.len() != s.len() || !matches!(d.len(), 9 | 12) {
                e.add("reporter.id_number", "Số CCCD/CMND gồm 12 (hoặc 9) chữ số.");
            }
            d
        });
        let phone = self.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| {
            let ok_chars = s.chars().all(|c| c.is_ascii_digit() || " .+-()".contains(c));
            if !ok_chars || !(8..=15).contains(&digits_only(s).len()) {
                e.add("reporter.phone", "Số điện thoại gồm 8 đến 15 chữ số.");
            }
            s.to_string()
        });
        let email = optional_text(e, "reporter.email", "Thư điện tử", self.email.as_deref(), 200);
        if let Some(m) = &email
            && (!m.contains('@') || m.contains(char::is_whitespace) || m.starts_with('@') || m.ends_with('@'))
        {
            e.add("reporter.email", "Địa chỉ thư điện tử không hợp lệ.");
        }
        let address = optional_text(e, "reporter.address", "Địa chỉ", self.address.as_deref(), 500);
        let organisation =
            optional_text(e, "reporter.organisation", "Cơ quan, tổ chức", self.organisation.as_deref(), 300);
        let tax_code = self.tax_code.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| {
            let d = digits_only(s);
            if !s.chars().all(|c| c.is_ascii_digit() || c == '-') || !matches!(d.len(), 10 | 13) {
                e.add("reporter.tax_code", "Mã số thuế gồm 10 hoặc 13 chữ số.");
            }
            s.to_string()
        });
        Identity {
            full_name,
            id_number,
            phone,
            email,
            address,
            organisation,
            tax_code,
            protection_requested: self.protection_requested,
        }
    }
}

/// Where it happened, validated (the unit codes are checked against the geography by the app).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceFields {
    /// Province (always known: it routes a report without a commune).
    pub province_code: String,
    /// Commune, when known.
    pub commune_code: Option<String>,
    /// Free address.
    pub address: Option<String>,
    /// "Không nhớ địa điểm xảy ra".
    pub unknown: bool,
}

impl PlaceFields {
    /// The place as typed, before the rest of a form is valid (so its codes are checked too).
    pub fn raw(province: Option<&str>, commune: Option<&str>, unknown: bool) -> Option<PlaceFields> {
        Some(PlaceFields {
            province_code: blank(province)?.to_string(),
            commune_code: if unknown { None } else { blank(commune).map(str::to_string) },
            address: None,
            unknown,
        })
    }
}

/// What every report holds, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentFields {
    /// Type.
    pub kind: ReportKind,
    /// Category.
    pub category: Category,
    /// What happened.
    pub summary: String,
    /// The agency or organisation that sent it (written sources).
    pub source: Option<String>,
    /// When it happened.
    pub occurred_on: Option<NaiveDate>,
    /// At what time (HH:MM).
    pub occurred_time: Option<String>,
    /// Where.
    pub place: PlaceFields,
}

/// What happened and where, as entered: the part every input shares (flattened into the
/// JSON of each).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ContentInput {
    /// Type code (citizens: to_giac (default), tin_bao, phan_anh_antt).
    pub kind: Option<String>,
    /// Category code (ma_tuy, trom_cuop, lua_dao, …, khac).
    pub category: Option<String>,
    /// What happened.
    pub summary: Option<String>,
    /// The agency or organisation that sent it (officers only).
    pub source: Option<String>,
    /// When (YYYY-MM-DD or dd/mm/yyyy).
    pub occurred_on: Option<String>,
    /// At what time (HH:MM).
    pub occurred_time: Option<String>,
    /// Province where it happened (it routes a report without a commune).
    pub province_code: Option<String>,
    /// Commune where it happened (required unless `place_unknown`).
    pub commune_code: Option<String>,
    /// Free address.
    pub address: Option<String>,
    /// "Không nhớ địa điểm xảy ra".
    #[serde(default)]
    pub place_unknown: bool,
}

fn blank(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

impl ContentInput {
    /// The place as typed, before the rest is valid (so its codes are checked too).
    pub fn raw_place(&self) -> Option<PlaceFields> {
        PlaceFields::raw(self.province_code.as_deref(), self.commune_code.as_deref(), self.place_unknown)
    }

    /// Checks the content; `kinds` are the types allowed (the first is the default); the
    /// source is kept only when `with_source`.
    fn validate(
        &self,
        e: &mut FieldErrors,
        kinds: &'static [ReportKind],
        with_source: bool,
        today: NaiveDate,
    ) -> Option<ContentFields> {
        let kind = match blank(self.kind.as_deref()) {
            None => kinds[0],
            Some(k) => match ReportKind::parse_loose(k).filter(|k| kinds.contains(k)) {
                Some(k) => k,
                None => {
                    let allowed = kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ");
                    e.add("kind", format!("Loại tin «{k}» không hợp lệ. Chọn một trong: {allowed}."));
                    kinds[0]
                }
            },
        };
        let category = choice(e, "category", "lĩnh vực", self.category.as_deref(), Category::Khac);
        let summary =
            required_text(e, "summary", "Nội dung sự việc", self.summary.as_deref().unwrap_or(""), MAX_SUMMARY);
        if !summary.is_empty() && summary.chars().count() < 10 {
            e.add("summary", "Nội dung sự việc quá ngắn: hãy mô tả sự việc (ít nhất 10 ký tự).");
        }
        let source = if with_source {
            optional_text(e, "source", "Cơ quan, tổ chức chuyển tin", self.source.as_deref(), 300)
        } else {
            None
        };
        let occurred_on = blank(self.occurred_on.as_deref()).and_then(|s| match parse_date(s) {
            Some(d) if d > today => {
                e.add("occurred_on", "Ngày xảy ra không được sau ngày hôm nay.");
                None
            }
            Some(d) if d.year() < 1945 => {
                e.add("occurred_on", "Ngày xảy ra không hợp lệ.");
                None
            }
            Some(d) => Some(d),
            None => {
                e.add("occurred_on", format!("Ngày xảy ra «{s}» không đúng định dạng ngày (dd/mm/yyyy)."));
                None
            }
        });
        let occurred_time =
            blank(self.occurred_time.as_deref()).and_then(|s| match NaiveTime::parse_from_str(s, "%H:%M") {
                Ok(t) => Some(t.format("%H:%M").to_string()),
                Err(_) => {
                    e.add("occurred_time", format!("Giờ xảy ra «{s}» phải có dạng giờ:phút, ví dụ 21:30."));
                    None
                }
            });
        let address = optional_text(e, "address", "Địa chỉ nơi xảy ra", self.address.as_deref(), 500);
        let commune_code = blank(self.commune_code.as_deref()).map(str::to_string);
        let province_code = blank(self.province_code.as_deref()).map(str::to_string);
        if province_code.is_none() {
            e.add(
                "province_code",
                "Chọn tỉnh, thành phố nơi xảy ra (hoặc nơi bạn muốn gửi tin, nếu không nhớ địa điểm).",
            );
        }
        if commune_code.is_none() && !self.place_unknown {
            e.add("commune_code", "Chọn xã, phường, đặc khu nơi xảy ra, hoặc đánh dấu «Không nhớ địa điểm xảy ra».");
        }
        let place = PlaceFields {
            province_code: province_code?,
            commune_code: if self.place_unknown { None } else { commune_code },
            address,
            unknown: self.place_unknown,
        };
        Some(ContentFields { kind, category, summary, source, occurred_on, occurred_time, place })
    }
}

/// A report as a citizen sends it (public form and `POST /api/v1/public/reports`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PublicReportInput {
    /// What happened and where (`source` is ignored).
    #[serde(flatten)]
    pub content: ContentInput,
    /// Send anonymously: no identity is accepted or kept.
    #[serde(default)]
    pub anonymous: bool,
    /// Identity and contact (optional).
    pub reporter: Option<ReporterInput>,
}

/// A validated report with its (possibly empty) identity.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportFields {
    /// Content.
    pub content: ContentFields,
    /// Identity; `None` when anonymous.
    pub identity: Option<Identity>,
}

fn identity_of(e: &mut FieldErrors, anonymous: bool, reporter: Option<&ReporterInput>) -> Option<Identity> {
    let identity = reporter.map(|r| r.validate(e)).filter(|i| !i.is_empty() || i.protection_requested);
    match identity {
        Some(i) if anonymous && !i.is_empty() => {
            e.add(
                "anonymous",
                "Bạn đã chọn gửi ẩn danh nhưng vẫn nhập thông tin cá nhân. Hãy xóa thông tin cá nhân hoặc bỏ chọn «Ẩn danh».",
            );
            None
        }
        Some(i) if i.is_empty() => None,
        other => other,
    }
}

impl PublicReportInput {
    /// Checks everything but the unit codes against the geography.
    pub fn validate(&self, today: NaiveDate) -> Validated<ReportFields> {
        let mut e = FieldErrors::new();
        let content = self.content.validate(&mut e, ReportKind::PUBLIC, false, today);
        let identity = identity_of(&mut e, self.anonymous, self.reporter.as_ref());
        match content {
            Some(content) if e.is_empty() => Ok(ReportFields { content, identity }),
            _ => Err(e),
        }
    }
}

/// A report as an officer records it at intake (`POST /api/v1/reports`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct IntakeInput {
    /// What happened and where (`kind`: to_giac, tin_bao, kien_nghi_khoi_to, tu_thu, dau_thu,
    /// pham_toi_qua_tang, phan_anh_antt; the province defaults to the officer's).
    #[serde(flatten)]
    pub content: ContentInput,
    /// truc_tiep, van_ban, dien_thoai, vneid, thu_dien_tu, hom_thu, bao_chi, to_bao_ve, co_quan_khac,
    /// tai_hoat_dong (with `activity_id`; the channel is implied when only the activity is given).
    pub channel: Option<String>,
    /// The movement activity (conference, propaganda session …) where it was received.
    pub activity_id: Option<i64>,
    /// When it was received (YYYY-MM-DDTHH:MM Vietnam time, or RFC 3339); now when absent.
    pub received_at: Option<String>,
    /// Number of the receipt minutes (biên bản tiếp nhận).
    pub minutes_no: Option<String>,
    /// Very serious crime, public concern or flight risk: report at once (TT 129/2021).
    #[serde(default)]
    pub urgent: bool,
    /// The reporter stays anonymous.
    #[serde(default)]
    pub anonymous: bool,
    /// Identity and contact.
    pub reporter: Option<ReporterInput>,
    /// Give the reporter a receipt (code and secret) to follow the report.
    #[serde(default)]
    pub issue_receipt: bool,
}

/// A validated intake.
#[derive(Clone, Debug, PartialEq)]
pub struct IntakeFields {
    /// Content and identity.
    pub report: ReportFields,
    /// Channel.
    pub channel: Channel,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Minutes number.
    pub minutes_no: Option<String>,
    /// Urgent.
    pub urgent: bool,
    /// Issue a receipt.
    pub issue_receipt: bool,
    /// The activity where it was received.
    pub activity_id: Option<i64>,
}

/// Parses a reception time: RFC 3339, or `YYYY-MM-DDTHH:MM[:SS]` / `dd/mm/yyyy HH:MM` in Vietnam time.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| t.and_utc() - chrono::Duration::hours(7))
}

impl IntakeInput {
    /// Checks the intake; `now` bounds the reception time.
    pub fn validate(&self, now: DateTime<Utc>) -> Validated<IntakeFields> {
        let mut e = FieldErrors::new();
        let today = super::clock::vn_date(now);
        let content = self.content.validate(&mut e, ReportKind::ALL, true, today);
        let activity_id = self.activity_id.filter(|a| *a > 0);
        let channel = match blank(self.channel.as_deref()) {
            None if activity_id.is_some() => Channel::TaiHoatDong,
            Some(c) => match Channel::parse_loose(c).filter(|c| Channel::OFFICER.contains(c)) {
                Some(c) => c,
                None => {
                    let allowed = Channel::OFFICER.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ");
                    e.add("channel", format!("Kênh tiếp nhận «{c}» không hợp lệ. Chọn một trong: {allowed}."));
                    Channel::TrucTiep
                }
            },
            None => {
                e.add("channel", "Chưa chọn kênh tiếp nhận.");
                Channel::TrucTiep
            }
        };
        let received_at = match blank(self.received_at.as_deref()) {
            None => now,
            Some(s) => match parse_instant(s) {
                Some(t) if t > now + chrono::Duration::minutes(5) => {
                    e.add("received_at", "Thời điểm tiếp nhận không được sau thời điểm hiện tại.");
                    now
                }
                Some(t) if t.year() < 2000 => {
                    e.add("received_at", "Thời điểm tiếp nhận không hợp lệ.");
                    now
                }
                Some(t) => t.min(now),
                None => {
                    e.add("received_at", format!("Thời điểm tiếp nhận «{s}» phải có dạng dd/mm/yyyy giờ:phút."));
                    now
                }
            },
        };
        match (channel == Channel::TaiHoatDong, activity_id) {
            (true, None) if !e.0.contains_key("channel") => {
                e.add("activity_id", "Chọn hoạt động phong trào (hội nghị, buổi tuyên truyền) nơi tiếp nhận tin.")
            }
            (false, Some(_)) if !e.0.contains_key("channel") => e.add(
                "channel",
                format!("Tin tiếp nhận tại hoạt động phong trào dùng kênh «{}».", Channel::TaiHoatDong.label()),
            ),
            _ => {}
        }
        let minutes_no = optional_text(&mut e, "minutes_no", "Số biên bản tiếp nhận", self.minutes_no.as_deref(), 100);
        let identity = identity_of(&mut e, self.anonymous, self.reporter.as_ref());
        match content {
            Some(content) if e.is_empty() => Ok(IntakeFields {
                report: ReportFields { content, identity },
                channel,
                received_at,
                minutes_no,
                urgent: self.urgent,
                issue_receipt: self.issue_receipt,
                activity_id,
            }),
            _ => Err(e),
        }
    }
}

/// The fields an officer may correct (`PATCH /api/v1/reports/{id}`; absent fields keep their value).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ReportEdit {
    /// What happened and where.
    #[serde(flatten)]
    pub content: ContentInput,
    /// Minutes number.
    pub minutes_no: Option<String>,
    /// Urgent.
    #[serde(default)]
    pub urgent: bool,
    /// "Tin có giá trị".
    #[serde(default)]
    pub valuable: bool,
    /// The reporter asked for confidentiality.
    #[serde(default)]
    pub confidential: bool,
}

/// A validated correction.
#[derive(Clone, Debug, PartialEq)]
pub struct EditFields {
    /// Content.
    pub content: ContentFields,
    /// Minutes number.
    pub minutes_no: Option<String>,
    /// Urgent.
    pub urgent: bool,
    /// Valuable.
    pub valuable: bool,
    /// Confidential.
    pub confidential: bool,
}

impl ReportEdit {
    /// Checks a correction.
    pub fn validate(&self, today: NaiveDate) -> Validated<EditFields> {
        let mut e = FieldErrors::new();
        let content = self.content.validate(&mut e, ReportKind::ALL, true, today);
        let minutes_no = optional_text(&mut e, "minutes_no", "Số biên bản tiếp nhận", self.minutes_no.as_deref(), 100);
        match content {
            Some(content) if e.is_empty() => Ok(EditFields {
                content,
                minutes_no,
                urgent: self.urgent,
                valuable: self.valuable,
                confidential: self.confidential,
            }),
            _ => Err(e),
        }
    }
}

/// A message of the dialogue (officer side: `POST /api/v1/reports/{id}/messages`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MessageInput {
    /// The text.
    pub body: Option<String>,
}

impl MessageInput {
    /// The checked text.
    pub fn validate(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let body = required_text(&mut e, "body", "Nội dung tin nhắn", self.body.as_deref().unwrap_or(""), MAX_MESSAGE);
        e.into_result(body)
    }
}

/// A receipt as the citizen types it back.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ReceiptInput {
    /// The code (TG-XXXXX-XXXXX).
    pub code: Option<String>,
    /// The secret shown once.
    pub secret: Option<String>,
}

/// A citizen's message: the receipt and the text (`POST /api/v1/public/reports/messages`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PublicMessageInput {
    /// The code.
    pub code: Option<String>,
    /// The secret.
    pub secret: Option<String>,
    /// The text.
    pub body: Option<String>,
}

/// Why an officer reads a reporter's identity (`POST /api/v1/reports/{id}/identity`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct IdentityRequest {
    /// The reason (recorded in the audit trail).
    pub reason: Option<String>,
}

impl IdentityRequest {
    /// The checked reason (at least 10 characters).
    pub fn validate(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let reason = required_text(&mut e, "reason", "Lý do xem danh tính", self.reason.as_deref().unwrap_or(""), 500);
        if !reason.is_empty() && reason.chars().count() < 10 {
            e.add("reason", "Hãy nêu rõ lý do xem danh tính (ít nhất 10 ký tự); lý do được ghi vào nhật ký.");
        }
        e.into_result(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    fn content() -> ContentInput {
        ContentInput {
            category: Some("ma_tuy".into()),
            summary: Some("Có người bán ma túy ở đầu ngõ 5 vào buổi tối.".into()),
            province_code: Some("56".into()),
            commune_code: Some("22333".into()),
            ..Default::default()
        }
    }

    fn public() -> PublicReportInput {
        PublicReportInput { content: content(), ..Default::default() }
    }

    /// The public report with its content changed by `f`.
    fn with(f: impl FnOnce(&mut ContentInput)) -> PublicReportInput {
        let mut c = content();
        f(&mut c);
        PublicReportInput { content: c, ..Default::default() }
    }

    #[test]
    fn public_report_needs_a_place_or_unknown() {
        let ok = public().validate(today()).unwrap();
        assert_eq!(ok.content.kind, ReportKind::ToGiac);
        assert_eq!(ok.content.place.commune_code.as_deref(), Some("22333"));
        assert!(ok.identity.is_none());
        let e = with(|c| c.commune_code = None).validate(today()).unwrap_err();
        assert!(e.get("commune_code").unwrap().contains("Không nhớ"));
        let unknown = with(|c| c.place_unknown = true);
        assert_eq!(unknown.validate(today()).unwrap().content.place.commune_code, None);
        let e = with(|c| c.province_code = None).validate(today()).unwrap_err();
        assert!(e.get("province_code").is_some());
    }

    #[test]
    fn citizens_choose_only_public_kinds() {
        let e = with(|c| c.kind = Some("kien_nghi_khoi_to".into())).validate(today()).unwrap_err();
        assert!(e.get("kind").unwrap().contains("Tố giác về tội phạm"));
        let e = with(|c| c.summary = Some("ngắn".into())).validate(today()).unwrap_err();
        assert!(e.get("summary").unwrap().contains("quá ngắn"));
        let e = with(|c| {
            c.occurred_on = Some("2027-01-01".into());
            c.occurred_time = Some("25:00".into());
        })
        .validate(today())
        .unwrap_err();
        assert!(e.get("occurred_on").is_some() && e.get("occurred_time").is_some());
    }

    #[test]
    fn anonymity_and_identity_do_not_mix() {
        let reporter = ReporterInput { full_name: Some("Nguyễn Văn A".into()), ..Default::default() };
        let e = PublicReportInput { anonymous: true, reporter: Some(reporter.clone()), ..public() }
            .validate(today())
            .unwrap_err();
        assert!(e.get("anonymous").unwrap().contains("ẩn danh"));
        let ok = PublicReportInput { reporter: Some(reporter), ..public() }.validate(today()).unwrap();
        assert_eq!(ok.identity.unwrap().full_name.as_deref(), Some("Nguyễn Văn A"));
        let blank = ReporterInput { full_name: Some("  ".into()), ..Default::default() };
        assert!(PublicReportInput { reporter: Some(blank), ..public() }.validate(today()).unwrap().identity.is_none());
        let bad = ReporterInput {
            id_number: Some("12345".into()),
            phone: Some("abc".into()),
            email: Some("khong-co-a-cong".into()),
            tax_code: Some("12".into()),
            ..Default::default()
        };
        let e = PublicReportInput { reporter: Some(bad), ..public() }.validate(today()).unwrap_err();
        for f in ["reporter.id_number", "reporter.phone", "reporter.email", "reporter.tax_code"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }

    #[test]
    fn intake_checks_channel_and_time() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T03:00:00Z").unwrap().with_timezone(&Utc);
        let base = IntakeInput {
            content: ContentInput {
                kind: Some("tin_bao".into()),
                category: Some("trom_cuop".into()),
                summary: Some("Người dân báo mất trộm xe máy trước cửa nhà.".into()),
                ..content()
            },
            channel: Some("dien_thoai".into()),
            received_at: Some("02/12/2026 08:15".into()),
            ..Default::default()
        };
        let ok = base.validate(now).unwrap();
        assert_eq!(ok.received_at, DateTime::parse_from_rfc3339("2026-12-02T01:15:00Z").unwrap());
        assert_eq!(ok.channel, Channel::DienThoai);
        let e = IntakeInput { channel: Some("cong_khai".into()), ..base.clone() }.validate(now).unwrap_err();
        assert!(e.get("channel").is_some(), "the web form is not an officer channel");
        let e = IntakeInput { received_at: Some("2026-12-03T08:00".into()), ..base.clone() }.validate(now).unwrap_err();
        assert!(e.get("received_at").unwrap().contains("sau thời điểm hiện tại"));
        let e = IntakeInput { received_at: Some("hôm qua".into()), ..base }.validate(now).unwrap_err();
        assert!(e.get("received_at").unwrap().contains("dd/mm/yyyy"));
    }

    #[test]
    fn identity_reads_need_a_reason() {
        assert!(IdentityRequest { reason: Some("xem".into()) }.validate().is_err());
        assert!(IdentityRequest { reason: None }.validate().is_err());
        assert!(IdentityRequest { reason: Some("Mời người tố giác lên làm việc".into()) }.validate().is_ok());
    }
}
