//! The checks that a record's links (commune, residential area, establishment, model) name
//! real rows of the same place, cached across the rows of an import so a file is checked with a
//! query per distinct link, not per row.

use std::collections::{HashMap, hash_map::Entry};

use antq_domain::FieldErrors;

use crate::{AppCtx, AppError, AppResult};

/// Cached lookups of the places and rows a record may link to.
#[derive(Default)]
pub(crate) struct PlaceLinks {
    communes: HashMap<String, Option<(String, String)>>,
    areas: HashMap<i64, Option<(String, bool, String)>>,
    establishments: HashMap<i64, Option<(String, String)>>,
    models: HashMap<i64, Option<(String, Option<String>, String)>>,
}

/// `Some` for a row, `None` for a missing one, an error for anything else.
pub(crate) fn found<T>(r: Result<T, antq_store::StoreError>) -> AppResult<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(antq_store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

impl PlaceLinks {
    /// The (province, commune) of a commune code, or a message on `commune_code`.
    pub(crate) async fn commune(
        &mut self,
        ctx: &AppCtx,
        code: &str,
        e: &mut FieldErrors,
    ) -> AppResult<Option<(String, String)>> {
        if !self.communes.contains_key(code) {
            let got = match crate::units::commune_place(ctx, code, "commune_code").await {
                Ok(p) => Some(p),
                Err(AppError::Invalid(_)) => None,
                Err(err) => return Err(err),
            };
            self.communes.insert(code.to_string(), got);
        }
        let got = self.communes[code].clone();
        if got.is_none() {
            e.add("commune_code", format!("Không có xã, phường, đặc khu mã «{code}»."));
        }
        Ok(got)
    }

    /// Checks that area `id` is a current area of `commune` ("where" names the act: "nơi tổ
    /// chức", "đặt camera").
    pub(crate) async fn area(
        &mut self,
        ctx: &AppCtx,
        id: Option<i64>,
        commune: &str,
        what: &str,
        e: &mut FieldErrors,
    ) -> AppResult<()> {
        let Some(id) = id else { return Ok(()) };
        if let Entry::Vacant(slot) = self.areas.entry(id) {
            let a = found(antq_store::areas::get(&ctx.db, antq_domain::ids::AreaId(id)).await)?;
            slot.insert(a.map(|a| (a.commune_code, a.valid_to.is_some(), a.name)));
        }
        match &self.areas[&id] {
            Some((c, _, name)) if c != commune => {
                e.add("area_id", format!("Khu dân cư «{name}» không thuộc xã nơi {what}."))
            }
            Some((_, true, name)) => e.add("area_id", format!("Khu dân cư «{name}» đã thôi hiệu lực.")),
            Some(_) => {}
            None => e.add("area_id", format!("Không có khu dân cư số {id}.")),
        }
        Ok(())
    }

    /// Checks that establishment `id` is one of `commune`.
    pub(crate) async fn establishment(
        &mut self,
        ctx: &AppCtx,
        id: Option<i64>,
        commune: &str,
        what: &str,
        e: &mut FieldErrors,
    ) -> AppResult<()> {
        let Some(id) = id else { return Ok(()) };
        if let Entry::Vacant(slot) = self.establishments.entry(id) {
            let x = found(antq_store::establishments::get(&ctx.db, antq_domain::ids::EstablishmentId(id)).await)?;
            slot.insert(x.map(|x| (x.commune_code, x.name)));
        }
        match &self.establishments[&id] {
            Some((c, name)) if c != commune => {
                e.add("establishment_id", format!("Cơ sở «{name}» không thuộc xã nơi {what}."))
            }
            Some(_) => {}
            None => e.add("establishment_id", format!("Không có cơ quan, doanh nghiệp số {id}.")),
        }
        Ok(())
    }

    /// Checks that model `id` belongs to the province and, when both have one, the commune;
    /// the message goes on `field`.
    pub(crate) async fn model(
        &mut self,
        ctx: &AppCtx,
        field: &str,
        id: Option<i64>,
        (province, commune): (&str, Option<&str>),
        what: &str,
        e: &mut FieldErrors,
    ) -> AppResult<()> {
        let Some(id) = id else { return Ok(()) };
        if let Entry::Vacant(slot) = self.models.entry(id) {
            let m = found(antq_store::models::get(&ctx.db, antq_domain::ids::ModelId(id)).await)?;
            slot.insert(m.map(|m| (m.province_code, m.commune_code, m.name)));
        }
        match &self.models[&id] {
            Some((p, c, name)) if p != province || (commune.is_some() && c.is_some() && c.as_deref() != commune) => {
                e.add(field, format!("Mô hình «{name}» không thuộc địa bàn nơi {what}."))
            }
            Some(_) => {}
            None => e.add(field, format!("Không có mô hình số {id}.")),
        }
        Ok(())
    }
}
