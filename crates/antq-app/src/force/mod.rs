//! Use-cases of the base-level security force (C8): teams, members (the citizen id sealed,
//! shown in full only with `read_personal_data`, every read audited), the TT 14/2024 steps,
//! alerts, the HD 01 rating, training, allowances, the Kỷ niệm chương report, statistics,
//! imports and exports. Every number comes from the rule values in force in the province.

pub mod alerts;
pub mod allowance;
pub mod courses;
pub mod files;
pub mod medal;
pub mod members;
pub mod ratings;
pub mod stats;
pub mod teams;

use antq_domain::force::clock::ClockRules;
use antq_domain::force::eligibility::{Cited, EligibilityRules};
use antq_domain::force::{Education, Quota};
use antq_domain::rules::{RuleCode, RuleValue};
use chrono::NaiveDate;

use crate::{AppError, AppResult};

/// A store error of a step: a conflict means someone else moved the row first.
pub(crate) fn moved(e: antq_store::StoreError, what: &str) -> AppError {
    match e {
        antq_store::StoreError::Conflict => {
            AppError::Conflict(format!("{what} vừa được người khác chuyển trạng thái; hãy tải lại trang."))
        }
        other => other.into(),
    }
}

/// The rule values of one province on one day, with what the force reads from them.
pub type ForceRules = crate::rules::RulesOn;

impl ForceRules {
    fn cited(&self, code: RuleCode) -> AppResult<Cited<i64>> {
        let (r, v) = self.rule(code)?;
        let value = v.number().ok_or_else(|| AppError::Internal(format!("quy định {} không phải số", code.code())))?;
        Ok(Cited { value, basis: r.legal_basis.clone() })
    }

    fn education(&self, code: RuleCode) -> AppResult<Cited<Education>> {
        let (r, v) = self.rule(code)?;
        match v {
            RuleValue::Code(c) => {
                Ok(Cited { value: Education::from_code(&c).unwrap_or(Education::Thcs), basis: r.legal_basis.clone() })
            }
            _ => Err(AppError::Internal(format!("quy định {} không phải mã", code.code()))),
        }
    }

    /// Eligibility at entry.
    pub fn eligibility(&self) -> AppResult<EligibilityRules> {
        Ok(EligibilityRules {
            age_min: self.cited(RuleCode::ForceAgeMin)?,
            age_max: self.cited(RuleCode::ForceAgeMax)?,
            residence_months: self.cited(RuleCode::ForceResidenceMonths)?,
            education: self.education(RuleCode::ForceEducation)?,
            education_special: self.education(RuleCode::ForceEducationSpecial)?,
        })
    }

    /// The TT 14/2024 clocks.
    pub fn clocks(&self) -> AppResult<ClockRules> {
        Ok(ClockRules {
            proposal_days: self.number(RuleCode::ForceProposalDays)?,
            decision_days: self.number(RuleCode::ForceDecisionDays)?,
            dissolve_working_days: self.number(RuleCode::ForceDissolveWorkingDays)?,
            terminate_working_days: self.number(RuleCode::ForceTerminateWorkingDays)?,
        })
    }

    /// The quota bands.
    pub fn quota(&self) -> AppResult<Quota> {
        match self.rule(RuleCode::ForceQuota)?.1 {
            RuleValue::Quota(q) => Ok(q),
            _ => Err(AppError::Internal("quy định force_quota không phải định mức".into())),
        }
    }

    /// The Kỷ niệm chương values.
    pub fn medal(&self) -> AppResult<antq_domain::force::medal::MedalRules> {
        Ok(antq_domain::force::medal::MedalRules {
            years_male: self.number(RuleCode::ForceMedalYearsMale)?,
            years_female: self.number(RuleCode::ForceMedalYearsFemale)?,
            special_factor: self.number(RuleCode::ForceMedalSpecialFactor)?,
        })
    }

    /// The rating period of `year` (the one ending in it).
    pub fn rating_period(&self, year: i32) -> AppResult<(NaiveDate, NaiveDate)> {
        self.rule(RuleCode::ForceRatingWindow)?
            .1
            .period_of(year)
            .ok_or_else(|| AppError::Internal("quy định force_rating_window không phải kỳ".into()))
    }

    /// The monthly allowance of a role, if the province set one.
    pub fn allowance(&self, role: antq_domain::force::MemberRole) -> Option<(i64, String)> {
        let (r, v) = self.rule(role.allowance_rule()).ok()?;
        v.number().map(|n| (n, r.legal_basis.clone()))
    }
}
