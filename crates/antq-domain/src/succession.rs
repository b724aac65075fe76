//! The administrative map's history (C1, legal-rules §7.3): former units of maps that ended,
//! and how each went into the next map. Until 30 June 2025: 63 provinces, 696 districts and
//! 10,035 communes; from 1 July 2025 (NQ 202/2025/QH15 and one UBTVQH resolution per
//! province): 34 provinces and 3,321 communes without districts.

use chrono::NaiveDate;

use crate::labelled_enum;

/// The generation of the current map (from 1 July 2025).
pub const CURRENT_2025: &str = "2025";
/// The generation of the map that ended on 30 June 2025.
pub const FORMER_2025: &str = "truoc_2025";

/// The first day of the 2025 map.
pub fn change_2025() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("1 July 2025")
}

labelled_enum!(
    /// Level of a former unit.
    FormerLevel {
        Province = "province", "Tỉnh, thành phố trực thuộc trung ương";
        District = "district", "Huyện, quận, thị xã, thành phố thuộc tỉnh";
        Commune = "commune", "Xã, phường, thị trấn";
    }
);

labelled_enum!(
    /// Kind of a former unit.
    FormerKind {
        Tinh = "tinh", "Tỉnh";
        ThanhPho = "thanh_pho", "Thành phố";
        Huyen = "huyen", "Huyện";
        Quan = "quan", "Quận";
        ThiXa = "thi_xa", "Thị xã";
        ThanhPhoThuocTinh = "thanh_pho_thuoc_tinh", "Thành phố";
        Xa = "xa", "Xã";
        Phuong = "phuong", "Phường";
        ThiTran = "thi_tran", "Thị trấn";
        DacKhu = "dac_khu", "Đặc khu";
    }
);

labelled_enum!(
    /// How a unit went into the next map.
    Relation {
        NhapToanBo = "nhap_toan_bo", "Nhập toàn bộ";
        NhapMotPhan = "nhap_mot_phan", "Nhập một phần";
        ChiaTach = "chia_tach", "Chia, tách";
        DoiTen = "doi_ten", "Đổi tên";
        GiuNguyen = "giu_nguyen", "Giữ nguyên";
    }
);

impl Relation {
    /// Whether only a part of the unit went this way (the unit was split).
    pub fn partial(self) -> bool {
        matches!(self, Relation::NhapMotPhan | Relation::ChiaTach)
    }
}

/// A map of a period: the current one has no last day.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Generation {
    /// Stable id (`truoc_2025`, `2025`).
    pub id: String,
    /// Name.
    pub name: String,
    /// First day, when known.
    pub valid_from: Option<NaiveDate>,
    /// Last day; none for the current map.
    pub valid_to: Option<NaiveDate>,
    /// The legal basis of its coming into force.
    pub legal_basis: String,
}

/// A unit of a map that ended.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct FormerUnit {
    /// Its generation.
    pub generation: String,
    /// Province, district or commune.
    pub level: FormerLevel,
    /// Official code of its time (may be reused by a current unit).
    pub code: String,
    /// Kind.
    pub kind: FormerKind,
    /// Name without the kind.
    pub name: String,
    /// Its province of the time.
    pub province_code: String,
    /// Its district of the time (communes).
    pub district_code: Option<String>,
    /// Centroid latitude.
    pub lat: Option<f64>,
    /// Centroid longitude.
    pub lon: Option<f64>,
}

impl FormerUnit {
    /// The full name of its time, e.g. "Xã Vĩnh Lương".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.kind.label(), self.name)
    }

    /// Its centroid, when known.
    pub fn centroid(&self) -> Option<(f64, f64)> {
        self.lat.zip(self.lon)
    }
}

/// One step of a unit into the next map.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Succession {
    /// Generation of the unit.
    pub generation: String,
    /// Its level.
    pub from_level: FormerLevel,
    /// Its code.
    pub from_code: String,
    /// Generation of the successor.
    pub to_generation: String,
    /// Level of the successor (`province` or `commune`).
    pub to_level: FormerLevel,
    /// Code of the successor.
    pub to_code: String,
    /// How.
    pub relation: Relation,
    /// Share of the unit that went this way, in thousandths (1000 unless split; estimated
    /// equally where the resolution gives no figures).
    pub weight_milli: i64,
    /// The successor a record of the unit is restated to when no one chose another.
    pub is_default: bool,
    /// Số hiệu of the resolution.
    pub legal_basis: String,
    /// The day it took effect.
    pub effective_on: NaiveDate,
}

/// Where a record was, in a former map: province, district and commune of the time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FormerPlace {
    /// Former province code.
    pub province_code: String,
    /// Former district code.
    pub district_code: Option<String>,
    /// Former commune code.
    pub commune_code: Option<String>,
}

/// A former place restated in the current map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restated {
    /// As recorded.
    pub former: FormerPlace,
    /// The current commune it is counted in.
    pub commune: String,
}

/// Finds former communes by code or by name (with or without diacritics and kind, within a
/// former district and province given the same way) and restates them in the current map.
/// Built once from the whole former map, so an import of a million rows asks no query.
pub struct Resolver {
    units: std::collections::HashMap<(FormerLevel, String), FormerUnit>,
    /// Bare folded name → codes, per level.
    names: std::collections::HashMap<(FormerLevel, String), Vec<String>>,
    /// Former commune → successors (current commune codes), the default first.
    successors: std::collections::HashMap<String, Vec<String>>,
}

/// The kinds a name may begin with, folded, longest first, per level.
fn prefixes(level: FormerLevel) -> &'static [(&'static str, FormerKind)] {
    use FormerKind::*;
    match level {
        FormerLevel::Province => &[("thanh pho ", ThanhPho), ("tinh ", Tinh), ("tp. ", ThanhPho), ("tp ", ThanhPho)],
        FormerLevel::District => &[
            ("thanh pho ", ThanhPhoThuocTinh),
            ("thi xa ", ThiXa),
            ("huyen ", Huyen),
            ("quan ", Quan),
            ("tp. ", ThanhPhoThuocTinh),
            ("tx. ", ThiXa),
            ("tp ", ThanhPhoThuocTinh),
            ("tx ", ThiXa),
            ("h. ", Huyen),
            ("q. ", Quan),
            ("h ", Huyen),
            ("q ", Quan),
        ],
        FormerLevel::Commune => &[
            ("thi tran ", ThiTran),
            ("phuong ", Phuong),
            ("xa ", Xa),
            ("tt. ", ThiTran),
            ("tt ", ThiTran),
            ("p. ", Phuong),
            ("x. ", Xa),
        ],
    }
}

/// A name folded, without its kind ("TP Nha Trang", "Thành phố Nha Trang", "nha trang" →
/// "nha trang"), and the kind it named. A bare number keeps no prefix ("Phường 4" → "4").
pub fn bare_name(level: FormerLevel, s: &str) -> (Option<FormerKind>, String) {
    let f = crate::text::fold(s);
    for (p, kind) in prefixes(level) {
        if let Some(rest) = f.strip_prefix(p) {
            return (Some(*kind), rest.trim().to_string());
        }
    }
    (None, f)
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver").field("units", &self.units.len()).finish_non_exhaustive()
    }
}

impl Resolver {
    /// The resolver of one former map.
    pub fn new(units: Vec<FormerUnit>, steps: &[Succession]) -> Resolver {
        let mut names: std::collections::HashMap<(FormerLevel, String), Vec<String>> = Default::default();
        for u in &units {
            names.entry((u.level, crate::text::fold(&u.name))).or_default().push(u.code.clone());
        }
        let mut successors: std::collections::HashMap<String, Vec<(bool, String)>> = Default::default();
        for s in steps.iter().filter(|s| s.from_level == FormerLevel::Commune && s.to_level == FormerLevel::Commune) {
            successors.entry(s.from_code.clone()).or_default().push((!s.is_default, s.to_code.clone()));
        }
        let successors = successors
            .into_iter()
            .map(|(k, mut v)| {
                v.sort();
                (k, v.into_iter().map(|(_, c)| c).collect())
            })
            .collect();
        let units = units.into_iter().map(|u| ((u.level, u.code.clone()), u)).collect();
        Resolver { units, names, successors }
    }

    /// A former unit.
    pub fn unit(&self, level: FormerLevel, code: &str) -> Option<&FormerUnit> {
        self.units.get(&(level, code.to_string()))
    }

    /// The units of a level a text names: the one of that code, else every unit of that name
    /// (of the kind it names, when it names one: "Thị trấn Vạn Giã" is not "Xã Vạn Giã").
    fn find(&self, level: FormerLevel, text: &str) -> Vec<&FormerUnit> {
        let t = text.trim();
        if let Some(u) = self.unit(level, t) {
            return vec![u];
        }
        let named = |name: &str| -> Vec<&FormerUnit> {
            self.names
                .get(&(level, name.to_string()))
                .map(|codes| codes.iter().filter_map(|c| self.unit(level, c)).collect())
                .unwrap_or_default()
        };
        let (kind, bare) = bare_name(level, t);
        let Some(kind) = kind else { return named(&bare) };
        // "Thành phố" of a province and of a centrally run city read alike.
        let mut found: Vec<&FormerUnit> =
            named(&bare).into_iter().filter(|u| u.kind == kind || u.kind.label() == kind.label()).collect();
        // A name that only looks like it begins with a kind ("Xá Lượng").
        found.extend(named(&crate::text::fold(t)));
        found
    }

    /// One unit of a level named by `text`, within `within` (its province or district when
    /// given); the Vietnamese message of what is wrong otherwise.
    fn one<'a>(
        &'a self,
        level: FormerLevel,
        text: &str,
        within: &dyn Fn(&FormerUnit) -> bool,
        what: &str,
    ) -> Result<&'a FormerUnit, String> {
        let found: Vec<&FormerUnit> = self.find(level, text).into_iter().filter(|u| within(u)).collect();
        match found.as_slice() {
            [u] => Ok(u),
            [] => Err(format!("Không có {what} «{}» trong địa giới trước 01/7/2025.", text.trim())),
            many => {
                let mut places: Vec<String> = many.iter().map(|u| self.place_of(u)).collect();
                places.sort();
                Err(format!(
                    "Có {} {what} tên «{}» ({}); ghi thêm huyện, tỉnh cũ hoặc dùng mã.",
                    many.len(),
                    text.trim(),
                    places.join("; ")
                ))
            }
        }
    }

    /// "Xã X, huyện Y, tỉnh Z" of a former unit, for messages.
    pub fn place_of(&self, u: &FormerUnit) -> String {
        let mut parts = vec![u.full_name()];
        if let Some(d) = u.district_code.as_deref().and_then(|d| self.unit(FormerLevel::District, d)) {
            parts.push(format!("{} {}", d.kind.label().to_lowercase(), d.name));
        }
        if u.level != FormerLevel::Province
            && let Some(p) = self.unit(FormerLevel::Province, &u.province_code)
        {
            parts.push(format!("{} {}", p.kind.label().to_lowercase(), p.name));
        }
        parts.join(", ")
    }

    /// The current communes a former commune went into, the default first.
    pub fn successors(&self, commune: &str) -> &[String] {
        self.successors.get(commune).map(Vec::as_slice).unwrap_or_default()
    }

    /// Restates a former commune (a code, or a name within an optional district and province
    /// given by code or name) in the current map. A commune that was split needs `chosen`, one
    /// of its successors; a `chosen` commune that is not a successor is refused. The error is
    /// the Vietnamese message for the row.
    pub fn restate(
        &self,
        commune: &str,
        district: Option<&str>,
        province: Option<&str>,
        chosen: Option<&str>,
    ) -> Result<Restated, String> {
        let province = match province.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(self.one(FormerLevel::Province, p, &|_| true, "tỉnh, thành phố")?.code.clone()),
            None => None,
        };
        let in_province = |u: &FormerUnit| province.as_ref().is_none_or(|p| *p == u.province_code);
        let district = match district.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => {
                Some(self.one(FormerLevel::District, d, &in_province, "huyện, quận, thị xã, thành phố")?.code.clone())
            }
            None => None,
        };
        let within =
            |u: &FormerUnit| in_province(u) && district.as_ref().is_none_or(|d| u.district_code.as_ref() == Some(d));
        let u = self.one(FormerLevel::Commune, commune, &within, "xã, phường, thị trấn")?;
        let next = self.successors(&u.code);
        let current = match (next, chosen.map(str::trim).filter(|c| !c.is_empty())) {
            ([], _) => return Err(format!("{} không có đơn vị kế thừa trong bảng kế thừa.", self.place_of(u))),
            ([only], None) => only.clone(),
            (_, Some(c)) if next.iter().any(|n| n == c) => c.to_string(),
            (many, None) => {
                return Err(format!(
                    "{} đã được chia cho nhiều xã, phường mới (mã {}); ghi mã xã mới vào cột «Mã xã».",
                    self.place_of(u),
                    many.join(", ")
                ));
            }
            (many, Some(c)) => {
                return Err(format!(
                    "Xã mới mã «{c}» không kế thừa {} (kế thừa: mã {}).",
                    self.place_of(u),
                    many.join(", ")
                ));
            }
        };
        Ok(Restated {
            former: FormerPlace {
                province_code: u.province_code.clone(),
                district_code: u.district_code.clone(),
                commune_code: Some(u.code.clone()),
            },
            commune: current,
        })
    }
}

/// Carries steps into a map through the later changes of that map: a step into a unit that
/// a later change ended or split becomes the steps into that unit's successors (weights
/// multiplied, the default path kept), so a 2024 record restates into today's map. `later`
/// holds the steps of every later map; steps that reach a unit unchanged stay as they are.
pub fn compose(first: &[Succession], later: &[Succession]) -> Vec<Succession> {
    let mut next: std::collections::HashMap<(&str, FormerLevel, &str), Vec<&Succession>> = Default::default();
    for t in later {
        next.entry((&t.generation, t.from_level, &t.from_code)).or_default().push(t);
    }
    let mut out: Vec<Succession> = Vec::with_capacity(first.len());
    let mut todo: Vec<Succession> = first.to_vec();
    while let Some(s) = todo.pop() {
        // A unit kept under its code (a rename, a move to another province) is still the unit.
        let onward = next.get(&(s.to_generation.as_str(), s.to_level, s.to_code.as_str()));
        match onward {
            Some(v) if !v.is_empty() => todo.extend(v.iter().map(|t| Succession {
                to_generation: t.to_generation.clone(),
                to_level: t.to_level,
                to_code: t.to_code.clone(),
                relation: if t.relation.partial() { t.relation } else { s.relation },
                weight_milli: (s.weight_milli * t.weight_milli / 1000).max(1),
                is_default: s.is_default && t.is_default,
                legal_basis: t.legal_basis.clone(),
                effective_on: t.effective_on,
                ..s.clone()
            })),
            _ => out.push(s),
        }
    }
    // Two paths into one unit are one step.
    let mut merged: Vec<Succession> = Vec::with_capacity(out.len());
    out.sort_by(|a, b| {
        (&a.from_code, a.from_level.code(), &a.to_code).cmp(&(&b.from_code, b.from_level.code(), &b.to_code))
    });
    for s in out {
        match merged.last_mut() {
            Some(m) if m.from_code == s.from_code && m.from_level == s.from_level && m.to_code == s.to_code => {
                m.weight_milli = (m.weight_milli + s.weight_milli).min(1000);
                m.is_default |= s.is_default;
            }
            _ => merged.push(s),
        }
    }
    merged
}

/// Checks that every unit's successors are consistent: weights summing to 1000, exactly one
/// default, partial relations exactly when there are several successors. Returns the
/// messages of what is wrong (empty when the table holds).
pub fn check(rows: &[Succession]) -> Vec<String> {
    let mut by: std::collections::BTreeMap<(&str, &str, &str), Vec<&Succession>> = Default::default();
    for s in rows {
        by.entry((&s.generation, s.from_level.code(), &s.from_code)).or_default().push(s);
    }
    let mut out = Vec::new();
    for ((_, level, code), v) in by {
        let weight: i64 = v.iter().map(|s| s.weight_milli).sum();
        if weight != 1000 {
            out.push(format!("{level} {code}: tổng tỷ lệ {weight}‰, phải là 1000‰."));
        }
        if v.iter().filter(|s| s.is_default).count() != 1 {
            out.push(format!("{level} {code}: phải có đúng một đơn vị kế thừa mặc định."));
        }
        if v.len() > 1 && v.iter().any(|s| !s.relation.partial()) {
            out.push(format!(
                "{level} {code}: đơn vị chia cho nhiều nơi chỉ có quan hệ «nhập một phần» hoặc «chia, tách»."
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(code: &str, to: &str, relation: Relation, weight_milli: i64, is_default: bool) -> Succession {
        Succession {
            generation: FORMER_2025.into(),
            from_level: FormerLevel::Commune,
            from_code: code.into(),
            to_generation: CURRENT_2025.into(),
            to_level: FormerLevel::Commune,
            to_code: to.into(),
            relation,
            weight_milli,
            is_default,
            legal_basis: "1656/NQ-UBTVQH15".into(),
            effective_on: change_2025(),
        }
    }

    fn unit(level: FormerLevel, code: &str, kind: FormerKind, name: &str, district: Option<&str>) -> FormerUnit {
        FormerUnit {
            generation: FORMER_2025.into(),
            level,
            code: code.into(),
            kind,
            name: name.into(),
            province_code: "56".into(),
            district_code: district.map(Into::into),
            lat: None,
            lon: None,
        }
    }

    /// Two districts, each with a "Vĩnh Lương"-like namesake, a township and a commune of the
    /// same bare name, and a split ward.
    fn resolver() -> Resolver {
        use FormerKind::*;
        use FormerLevel::{Commune as C, District as D, Province as P};
        let units = vec![
            unit(P, "56", Tinh, "Khánh Hòa", None),
            unit(D, "568", ThanhPhoThuocTinh, "Nha Trang", None),
            unit(D, "569", Huyen, "Vạn Ninh", None),
            unit(C, "22384", Xa, "Vĩnh Lương", Some("568")),
            unit(C, "22500", Xa, "Vĩnh Lương", Some("569")),
            unit(C, "22501", ThiTran, "Vạn Giã", Some("569")),
            unit(C, "22502", Xa, "Vạn Giã", Some("569")),
            unit(C, "22390", Phuong, "Vĩnh Hải", Some("568")),
        ];
        let steps = vec![
            s("22384", "22333", Relation::NhapToanBo, 1000, true),
            s("22500", "22600", Relation::NhapToanBo, 1000, true),
            s("22501", "22600", Relation::NhapToanBo, 1000, true),
            s("22502", "22600", Relation::NhapToanBo, 1000, true),
            s("22390", "22333", Relation::NhapMotPhan, 500, true),
            s("22390", "22340", Relation::NhapMotPhan, 500, false),
        ];
        Resolver::new(units, &steps)
    }

    #[test]
    fn former_communes_are_found_by_code_or_name_and_restated() {
        let r = resolver();
        let vl = |c: &str, d: Option<&str>, p: Option<&str>| r.restate(c, d, p, None).map(|x| x.commune);
        assert_eq!(vl("22384", None, None), Ok("22333".into()));
        // By name, with or without diacritics and kind; the district written several ways.
        for d in ["Thành phố Nha Trang", "TP Nha Trang", "tp. nha trang", "Nha Trang", "568"] {
            assert_eq!(vl("xa vinh luong", Some(d), None), Ok("22333".into()), "{d}");
            assert_eq!(vl("Vĩnh Lương", Some(d), Some("Khánh Hòa")), Ok("22333".into()), "{d}");
        }
        let place = r.restate("Vĩnh Lương", Some("Nha Trang"), None, None).unwrap().former;
        assert_eq!((place.district_code.as_deref(), place.commune_code.as_deref()), (Some("568"), Some("22384")));
        // A name in two districts asks for the district.
        let e = vl("Vĩnh Lương", None, None).unwrap_err();
        assert!(e.contains("Có 2 xã") && e.contains("thành phố Nha Trang") && e.contains("huyện Vạn Ninh"), "{e}");
        // The kind tells a township from a commune of the same name.
        assert!(vl("Vạn Giã", Some("Vạn Ninh"), None).unwrap_err().contains("Có 2"));
        assert_eq!(
            r.restate("TT Vạn Giã", Some("H. Vạn Ninh"), None, None).unwrap().former.commune_code.as_deref(),
            Some("22501")
        );
        // Unknown names are named in the message.
        assert!(
            vl("Xã Không Có", Some("Nha Trang"), None)
                .unwrap_err()
                .contains("Không có xã, phường, thị trấn «Xã Không Có»")
        );
        assert!(vl("Vĩnh Lương", Some("Huyện Không Có"), None).unwrap_err().contains("Không có huyện"));
    }

    #[test]
    fn a_split_ward_needs_its_new_commune_and_only_a_successor_is_taken() {
        let r = resolver();
        let e = r.restate("Phường Vĩnh Hải", Some("Nha Trang"), None, None).unwrap_err();
        assert!(e.contains("chia cho nhiều xã") && e.contains("22333, 22340"), "{e}");
        assert_eq!(r.restate("22390", None, None, Some("22340")).unwrap().commune, "22340");
        let e = r.restate("22390", None, None, Some("22600")).unwrap_err();
        assert!(e.contains("không kế thừa"), "{e}");
        // A whole merge takes the commune given when it is the successor, refuses another.
        assert_eq!(r.restate("22384", None, None, Some("22333")).unwrap().commune, "22333");
        assert!(r.restate("22384", None, None, Some("22600")).is_err());
    }

    #[test]
    fn steps_are_carried_through_a_later_map() {
        let later = |from: &str, to: &str, relation, w, d| Succession {
            generation: CURRENT_2025.into(),
            to_generation: "2027".into(),
            ..s(from, to, relation, w, d)
        };
        let first = [
            s("22384", "22333", Relation::NhapToanBo, 1000, true),
            s("22390", "22333", Relation::NhapMotPhan, 500, true),
            s("22390", "22340", Relation::NhapMotPhan, 500, false),
        ];
        // 22333 is split in 2027 into 99001 (default, 600‰) and 22340; 22340 is unchanged.
        let next = [
            later("22333", "99001", Relation::ChiaTach, 600, true),
            later("22333", "22340", Relation::ChiaTach, 400, false),
        ];
        let c = compose(&first, &next);
        let of = |code: &str| -> Vec<(String, i64, bool)> {
            c.iter()
                .filter(|x| x.from_code == code)
                .map(|x| (x.to_code.clone(), x.weight_milli, x.is_default))
                .collect()
        };
        assert_eq!(of("22384"), vec![("22340".into(), 400, false), ("99001".into(), 600, true)]);
        // Two paths into 22340 are one step of 200 + 500 ‰.
        assert_eq!(of("22390"), vec![("22340".into(), 700, false), ("99001".into(), 300, true)]);
        assert!(check(&c).is_empty(), "{:?}", check(&c));
        assert_eq!(compose(&first, &[]).len(), 3);
    }

    #[test]
    fn a_consistent_table_passes_and_each_fault_is_named() {
        let good = [
            s("00001", "00097", Relation::NhapToanBo, 1000, true),
            s("00007", "00008", Relation::NhapMotPhan, 500, true),
            s("00007", "00025", Relation::NhapMotPhan, 500, false),
        ];
        assert!(check(&good).is_empty());
        let bad = [
            s("00007", "00008", Relation::NhapMotPhan, 500, true),
            s("00007", "00025", Relation::NhapToanBo, 400, true),
        ];
        let e = check(&bad);
        assert_eq!(e.len(), 3, "{e:?}");
    }
}
