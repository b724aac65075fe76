//! Store conformance: the same stories on SQLite and (with `TEST_POSTGRES_URL`) PostgreSQL.

mod activities;
mod audit;
mod calendar;
mod cameras;
mod force;
mod official;
mod ratings;
mod registry;
mod reports;
mod succession;
mod targets;
mod users;

use antq_domain::area::{AreaFields, AreaKind};
use antq_domain::model::{HostOrg, ModelFields, ModelLevel, ModelScope, OriginKind};
use chrono::{NaiveDate, TimeZone, Utc};

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 1, 8, 0, 0).unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn area(name: &str) -> AreaFields {
    AreaFields {
        name: name.into(),
        kind: AreaKind::Thon,
        households: Some(120),
        population: Some(480),
        special_zone: false,
        note: None,
    }
}

pub fn model(name: &str, type_id: i64) -> ModelFields {
    ModelFields {
        name: name.into(),
        type_id,
        level: ModelLevel::Xa,
        origin_kind: OriginKind::Xa,
        origin_area_id: None,
        origin_establishment_id: None,
        origin_note: None,
        host_org: HostOrg::CongAn,
        host_note: None,
        scope: ModelScope::ToanDien,
        field_note: None,
        registered_on: Some(day("2024-03-01")),
        members: Some(12),
        funding_state: 5_000_000,
        funding_social: 1_500_000_000,
        channels: None,
        description: Some("Mô tả có dấu: Khánh Hòa".into()),
    }
}
