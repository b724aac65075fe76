//! A later change of the administrative map (issue 16, `docs/next-map-change.md`): the table of
//! a resolution that merges, splits or renames current provinces and communes, checked against
//! the current map and turned into what applying it does. No I/O: the store writes the plan.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::labelled_enum;
use crate::succession::Relation;
use crate::unit::{UnitCode, UnitKind, UnitLevel};

labelled_enum!(
    /// Where a loaded change stands.
    ChangeState {
        Pending = "cho_ap_dung", "Chờ áp dụng";
        Applied = "da_ap_dung", "Đã áp dụng";
        Cancelled = "da_huy", "Đã hủy";
    }
);

/// What the file names once: the new map and the resolution that makes it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ChangeHeader {
    /// Id of the new map (letters, digits, `_`), e.g. `2027`.
    pub generation: String,
    /// Name of the new map.
    pub name: String,
    /// Số hiệu of the resolution.
    pub legal_basis: String,
    /// The first day of the new map.
    pub effective_on: NaiveDate,
}

/// Checks the header; the Vietnamese messages of what is wrong.
pub fn check_header(h: &ChangeHeader, known_generations: &[String], today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let id_ok = !h.generation.is_empty()
        && h.generation.len() <= 32
        && h.generation.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !id_ok {
        out.push("Mã bản đồ mới chỉ gồm chữ không dấu, chữ số và «_», tối đa 32 ký tự.".into());
    } else if known_generations.contains(&h.generation) {
        out.push(format!("Đã có bản đồ hành chính mã «{}».", h.generation));
    }
    if h.name.trim().is_empty() {
        out.push("Thiếu tên bản đồ mới.".into());
    }
    if h.legal_basis.trim().is_empty() {
        out.push("Thiếu số hiệu nghị quyết (căn cứ pháp lý).".into());
    }
    if h.effective_on < today - chrono::Days::new(366) {
        out.push("Ngày có hiệu lực đã qua quá một năm; kiểm tra lại.".into());
    }
    out
}

/// One row of the table: where a current unit (or a share of it) goes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ChangeStep {
    /// Row of the file (from 2, after the header), for messages.
    pub row: usize,
    /// Province or commune.
    pub level: UnitLevel,
    /// The current unit.
    pub from_code: String,
    /// Its successor: a current unit, itself (renamed, moved or keeping a share), or a new unit.
    pub to_code: String,
    /// Name of the successor without its kind (a new unit; a rename).
    pub to_name: Option<String>,
    /// Kind of the successor (a new unit; a change of kind).
    pub to_kind: Option<UnitKind>,
    /// A commune's province in the new map, when it changes.
    pub to_province: Option<String>,
    /// How.
    pub relation: Relation,
    /// Share of the unit, in thousandths.
    pub weight_milli: i64,
    /// Where its records go when no one chose otherwise.
    pub is_default: bool,
}

/// A current unit as the plan needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapUnit {
    /// Province or commune.
    pub level: UnitLevel,
    /// Kind.
    pub kind: UnitKind,
    /// Name without the kind.
    pub name: String,
    /// Its province (itself for a province).
    pub province_code: String,
}

/// A unit the change creates.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct NewUnit {
    /// Code.
    pub code: String,
    /// Level.
    pub level: UnitLevel,
    /// Kind.
    pub kind: UnitKind,
    /// Name without the kind.
    pub name: String,
    /// Province (itself for a province).
    pub province_code: String,
}

/// Where the records of a unit go: its default successor and, for a commune, its province.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Move {
    /// Province or commune.
    pub level: UnitLevel,
    /// The current code.
    pub from_code: String,
    /// The code in the new map.
    pub to_code: String,
    /// The province in the new map (the successor itself for a province).
    pub to_province: String,
}

/// What applying a checked table does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Current units that end (by level and code).
    pub ended: Vec<(UnitLevel, String)>,
    /// New units, provinces first.
    pub created: Vec<NewUnit>,
    /// Units that continue with a new kind or name: `(code, kind, name)`.
    pub renamed: Vec<(String, UnitKind, String)>,
    /// Communes that continue in another province: `(code, province)`.
    pub reparented: Vec<(String, String)>,
    /// Every unit whose records change key, with its default successor.
    pub moves: Vec<Move>,
    /// Units that end in several successors: their records all go to the default one.
    pub split: Vec<String>,
    /// The steps into the new map: the table's rows, plus one per commune that follows its
    /// province (its `row` is 0).
    pub steps: Vec<ChangeStep>,
}

impl Plan {
    /// The current units the change touches (copied into the ending map's history).
    pub fn touched(&self) -> Vec<(UnitLevel, String)> {
        let mut v: Vec<(UnitLevel, String)> = self.steps.iter().map(|s| (s.level, s.from_code.clone())).collect();
        v.sort_by(|a, b| (a.0.code(), &a.1).cmp(&(b.0.code(), &b.1)));
        v.dedup();
        v
    }
}

/// Checks a table against the current map (`current`: every current unit by code; `taken`:
/// every code ever used, current or former, which a new unit may not reuse — QĐ 19/2025).
/// Returns what applying it does, or the Vietnamese messages of every fault, by row.
pub fn plan(
    steps: &[ChangeStep],
    current: &HashMap<String, MapUnit>,
    taken: &HashSet<String>,
) -> Result<Plan, Vec<String>> {
    let mut errors = Vec::new();
    if steps.is_empty() {
        return Err(vec!["Bảng không có dòng nào.".into()]);
    }
    let mut by_from: BTreeMap<(&'static str, &str), Vec<&ChangeStep>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for s in steps {
        let r = s.row;
        match current.get(&s.from_code) {
            None => errors.push(format!("Dòng {r}: không có đơn vị hiện hành mã «{}».", s.from_code)),
            Some(u) if u.level != s.level => {
                errors.push(format!("Dòng {r}: mã «{}» là {}, không phải cấp đã ghi.", s.from_code, u.level.label()))
            }
            Some(_) => {}
        }
        if UnitCode::parse(&s.to_code).map(|c| c.level()) != Some(s.level) {
            errors.push(format!("Dòng {r}: mã mới «{}» không đúng mã của cấp {}.", s.to_code, s.level.label()));
        }
        if !(1..=1000).contains(&s.weight_milli) {
            errors.push(format!("Dòng {r}: tỷ lệ phải từ 1 đến 1000‰."));
        }
        if !seen.insert((s.level, &s.from_code, &s.to_code)) {
            errors.push(format!("Dòng {r}: lặp lại cặp mã «{}» → «{}».", s.from_code, s.to_code));
        }
        if s.level == UnitLevel::Province && s.to_province.is_some() {
            errors.push(format!("Dòng {r}: cột «Tỉnh mới» chỉ dùng cho cấp xã."));
        }
        if let Some(k) = s.to_kind
            && kind_level(k) != s.level
        {
            errors.push(format!("Dòng {r}: loại «{}» không phải loại của cấp {}.", k.label(), s.level.label()));
        }
        by_from.entry((s.level.code(), &s.from_code)).or_default().push(s);
    }
    // Each unit: shares, one default, a split only by partial relations.
    let mut ends: HashSet<&str> = HashSet::new();
    for ((_, code), v) in &by_from {
        let weight: i64 = v.iter().map(|s| s.weight_milli).sum();
        let first = v[0].row;
        if weight != 1000 {
            errors.push(format!("Dòng {first}: mã «{code}»: tổng tỷ lệ {weight}‰, phải là 1000‰."));
        }
        if v.iter().filter(|s| s.is_default).count() != 1 {
            errors.push(format!("Dòng {first}: mã «{code}»: phải có đúng một đơn vị kế thừa mặc định."));
        }
        if v.len() > 1 && v.iter().any(|s| !s.relation.partial()) {
            errors.push(format!(
                "Dòng {first}: mã «{code}» chia cho nhiều nơi chỉ có quan hệ «nhập một phần» hoặc «chia, tách»."
            ));
        }
        if !v.iter().any(|s| s.to_code == *code) {
            ends.insert(code);
        }
    }
    // Successors: a current unit that stays, or a new one described once.
    let mut created: BTreeMap<&str, NewUnit> = BTreeMap::new();
    for s in steps {
        let r = s.row;
        match current.get(&s.to_code) {
            Some(_) if ends.contains(s.to_code.as_str()) && s.to_code != s.from_code => {
                errors.push(format!("Dòng {r}: đơn vị nhận «{}» cũng kết thúc trong bảng này.", s.to_code));
            }
            Some(_) => {}
            None if taken.contains(&s.to_code) => errors.push(format!(
                "Dòng {r}: mã «{}» đã từng được dùng; mã của đơn vị mới không được trùng mã cũ.",
                s.to_code
            )),
            None => {
                let (Some(kind), Some(name)) =
                    (s.to_kind, s.to_name.as_deref().map(str::trim).filter(|n| !n.is_empty()))
                else {
                    errors.push(format!("Dòng {r}: đơn vị mới «{}» cần tên và loại.", s.to_code));
                    continue;
                };
                let province = match s.level {
                    UnitLevel::Province => s.to_code.clone(),
                    UnitLevel::Commune => s.to_province.clone().unwrap_or_else(|| {
                        current.get(&s.from_code).map(|u| u.province_code.clone()).unwrap_or_default()
                    }),
                };
                let unit = NewUnit {
                    code: s.to_code.clone(),
                    level: s.level,
                    kind,
                    name: name.into(),
                    province_code: province,
                };
                match created.get(s.to_code.as_str()) {
                    Some(u) if *u != unit => {
                        errors.push(format!("Dòng {r}: đơn vị mới «{}» được mô tả khác nhau ở các dòng.", s.to_code))
                    }
                    Some(_) => {}
                    None => {
                        created.insert(&s.to_code, unit);
                    }
                }
            }
        }
    }
    // Provinces: the default successor of each that ends; the province of every commune after.
    let province_after = |p: &str| -> String {
        by_from
            .get(&(UnitLevel::Province.code(), p))
            .and_then(|v| v.iter().find(|s| s.is_default))
            .map(|s| s.to_code.clone())
            .unwrap_or_else(|| p.to_string())
    };
    let is_province = |p: &str| {
        created.get(p).is_some_and(|u| u.level == UnitLevel::Province)
            || current.get(p).is_some_and(|u| u.level == UnitLevel::Province && !ends.contains(p))
    };
    for s in steps.iter().filter(|s| s.level == UnitLevel::Commune) {
        if let Some(p) = &s.to_province
            && !is_province(p)
        {
            errors.push(format!("Dòng {}: tỉnh mới «{p}» không phải tỉnh của bản đồ mới.", s.row));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut plan = Plan { steps: steps.to_vec(), ..Plan::default() };
    // Communes of an ending province that the table does not name follow its default successor.
    let mut followers: Vec<(&String, &MapUnit)> = current
        .iter()
        .filter(|(c, u)| {
            u.level == UnitLevel::Commune
                && ends.contains(u.province_code.as_str())
                && !by_from.contains_key(&(UnitLevel::Commune.code(), c.as_str()))
        })
        .collect();
    followers.sort_by(|a, b| a.0.cmp(b.0));
    for (code, u) in followers {
        plan.steps.push(ChangeStep {
            row: 0,
            level: UnitLevel::Commune,
            from_code: code.clone(),
            to_code: code.clone(),
            to_name: None,
            to_kind: None,
            to_province: Some(province_after(&u.province_code)),
            relation: Relation::GiuNguyen,
            weight_milli: 1000,
            is_default: true,
        });
    }
    for s in plan.steps.iter().filter(|s| s.is_default) {
        let from = &current[&s.from_code];
        let to_province = match s.level {
            UnitLevel::Province => s.to_code.clone(),
            UnitLevel::Commune => match (&s.to_province, created.get(s.to_code.as_str()), current.get(&s.to_code)) {
                (Some(p), _, _) => p.clone(),
                (None, Some(n), _) => n.province_code.clone(),
                (None, None, Some(t)) => province_after(&t.province_code),
                (None, None, None) => province_after(&from.province_code),
            },
        };
        let stays = s.to_code == s.from_code;
        if stays && s.level == UnitLevel::Commune && to_province != from.province_code {
            plan.reparented.push((s.from_code.clone(), to_province.clone()));
        }
        if !stays || to_province != from.province_code {
            plan.moves.push(Move {
                level: s.level,
                from_code: s.from_code.clone(),
                to_code: s.to_code.clone(),
                to_province,
            });
        }
    }
    for s in &plan.steps {
        if s.to_code == s.from_code {
            let u = &current[&s.from_code];
            let kind = s.to_kind.unwrap_or(u.kind);
            let name = s.to_name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&u.name);
            if kind != u.kind || name != u.name {
                plan.renamed.push((s.from_code.clone(), kind, name.to_string()));
            }
        }
    }
    for ((level, code), v) in &by_from {
        if ends.contains(code) {
            let level = UnitLevel::from_code(level).unwrap_or(UnitLevel::Commune);
            plan.ended.push((level, code.to_string()));
            if v.len() > 1 {
                plan.split.push(code.to_string());
            }
        }
    }
    plan.created = created.into_values().collect();
    plan.created.sort_by_key(|u| (u.level != UnitLevel::Province, u.code.clone()));
    Ok(plan)
}

/// The level a kind belongs to.
fn kind_level(k: UnitKind) -> UnitLevel {
    match k {
        UnitKind::Tinh | UnitKind::ThanhPho => UnitLevel::Province,
        UnitKind::Xa | UnitKind::Phuong | UnitKind::DacKhu => UnitLevel::Commune,
    }
}

/// What applying a change does to the registers, counted in a dry run.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Effect {
    /// Rows that change place, per register: `(register label, rows, of which from a split unit)`.
    pub registers: Vec<RegisterEffect>,
    /// Rows whose key would meet another row's in the successor (they block applying).
    pub collisions: Vec<Collision>,
    /// Accounts that move to a successor.
    pub accounts: i64,
}

/// One register in an [`Effect`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RegisterEffect {
    /// The register's name.
    pub register: String,
    /// Rows re-keyed.
    pub rows: i64,
    /// Of them, rows of a split unit that go to its default successor.
    pub split_rows: i64,
}

/// Rows of one register that would share a key after the change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Collision {
    /// The register's name.
    pub register: String,
    /// What the key is, e.g. "năm, đối tượng, xã".
    pub key: String,
    /// Keys held by more than one row.
    pub keys: i64,
}

impl Effect {
    /// Rows re-keyed in every register.
    pub fn moved(&self) -> i64 {
        self.registers.iter().map(|r| r.rows).sum()
    }
}

/// A loaded change as listed.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct UnitChange {
    /// Id.
    pub id: i64,
    /// The new map and its resolution.
    #[serde(flatten)]
    pub header: ChangeHeader,
    /// Where it stands.
    pub state: ChangeState,
    /// The map it ended (once applied).
    pub from_generation: Option<String>,
    /// Name of the uploaded file.
    pub file_name: String,
    /// Who loaded it.
    pub created_by: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Who applied or cancelled it.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Rows re-keyed when it was applied.
    pub moved_rows: Option<i64>,
}

/// What applying a change did.
#[derive(Clone, Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Applied {
    /// The map that ended.
    pub from_generation: String,
    /// Rows re-keyed.
    pub moved_rows: i64,
    /// Accounts moved.
    pub accounts: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> HashMap<String, MapUnit> {
        let u = |level, kind, name: &str, p: &str| MapUnit { level, kind, name: name.into(), province_code: p.into() };
        use UnitKind::*;
        use UnitLevel::{Commune as C, Province as P};
        [
            ("56", u(P, Tinh, "Khánh Hòa", "56")),
            ("66", u(P, Tinh, "Đắk Lắk", "66")),
            ("22333", u(C, Phuong, "Nha Trang", "56")),
            ("22334", u(C, Phuong, "Bắc Nha Trang", "56")),
            ("22335", u(C, Xa, "Vĩnh Lương", "56")),
            ("24000", u(C, Xa, "Ea Tu", "66")),
        ]
        .into_iter()
        .map(|(c, u)| (c.to_string(), u))
        .collect()
    }

    fn step(row: usize, level: UnitLevel, from: &str, to: &str, relation: Relation, w: i64, d: bool) -> ChangeStep {
        ChangeStep {
            row,
            level,
            from_code: from.into(),
            to_code: to.into(),
            to_name: None,
            to_kind: None,
            to_province: None,
            relation,
            weight_milli: w,
            is_default: d,
        }
    }

    #[test]
    fn a_merge_a_split_a_rename_and_a_province_merge_make_their_plan() {
        use Relation::*;
        use UnitLevel::{Commune as C, Province as P};
        let mut new = step(4, C, "22335", "99001", ChiaTach, 600, true);
        new.to_name = Some("Vĩnh Lương Mới".into());
        new.to_kind = Some(UnitKind::Xa);
        let mut renamed = step(5, C, "22333", "22333", DoiTen, 1000, true);
        renamed.to_name = Some("Nha Trang Mới".into());
        let steps = vec![
            step(2, C, "22334", "22333", NhapToanBo, 1000, true),
            step(3, C, "22335", "22333", ChiaTach, 400, false),
            new,
            renamed,
            step(6, P, "66", "56", NhapToanBo, 1000, true),
        ];
        let p = plan(&steps, &map(), &HashSet::new()).expect("a good table");
        let ended: HashSet<_> = p.ended.iter().map(|(_, c)| c.as_str()).collect();
        assert_eq!(ended, HashSet::from(["66", "22334", "22335"]));
        assert_eq!(p.split, vec!["22335".to_string()]);
        assert_eq!(p.created.len(), 1);
        assert_eq!((p.created[0].code.as_str(), p.created[0].province_code.as_str()), ("99001", "56"));
        assert_eq!(p.renamed, vec![("22333".into(), UnitKind::Phuong, "Nha Trang Mới".into())]);
        // The commune of the ending province follows it, keeping its code.
        assert_eq!(p.reparented, vec![("24000".into(), "56".into())]);
        let moves: HashMap<_, _> =
            p.moves.iter().map(|m| (m.from_code.as_str(), (m.to_code.as_str(), m.to_province.as_str()))).collect();
        assert_eq!(moves["22334"], ("22333", "56"));
        assert_eq!(moves["22335"], ("99001", "56"));
        assert_eq!(moves["24000"], ("24000", "56"));
        assert_eq!(moves["66"], ("56", "56"));
        assert!(!moves.contains_key("22333"), "a rename keeps the records' key");
        assert_eq!(p.touched().len(), 5);
    }

    #[test]
    fn every_fault_is_named_by_row() {
        use Relation::*;
        use UnitLevel::{Commune as C, Province as P};
        let taken = HashSet::from(["11111".to_string()]);
        let steps = vec![
            step(2, C, "00000", "22333", NhapToanBo, 1000, true),
            step(3, C, "22334", "22335", NhapToanBo, 1000, true),
            step(4, C, "22335", "22333", NhapMotPhan, 500, true),
            step(5, C, "22335", "11111", NhapToanBo, 400, true),
            step(6, P, "56", "5", NhapToanBo, 1000, true),
        ];
        let e = plan(&steps, &map(), &taken).unwrap_err().join("\n");
        for want in [
            "Dòng 2: không có đơn vị hiện hành mã «00000»",
            "Dòng 3: đơn vị nhận «22335» cũng kết thúc",
            "tổng tỷ lệ 900‰",
            "đúng một đơn vị kế thừa mặc định",
            "chỉ có quan hệ «nhập một phần»",
            "Dòng 5: mã «11111» đã từng được dùng",
            "Dòng 6: mã mới «5» không đúng mã",
        ] {
            assert!(e.contains(want), "{want} not in\n{e}");
        }
        let mut new = step(2, C, "22334", "99002", NhapToanBo, 1000, true);
        let e = plan(std::slice::from_ref(&new), &map(), &taken).unwrap_err().join("\n");
        assert!(e.contains("cần tên và loại"), "{e}");
        new.to_name = Some("X".into());
        new.to_kind = Some(UnitKind::Tinh);
        let e = plan(&[new], &map(), &taken).unwrap_err().join("\n");
        assert!(e.contains("không phải loại của cấp"), "{e}");
        assert!(plan(&[], &map(), &taken).is_err());
    }

    #[test]
    fn the_header_is_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let h = ChangeHeader {
            generation: "2025".into(),
            name: " ".into(),
            legal_basis: String::new(),
            effective_on: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        };
        assert_eq!(check_header(&h, &["2025".into()], today).len(), 4);
        let ok = ChangeHeader {
            generation: "2027".into(),
            name: "Bản đồ 2027".into(),
            legal_basis: "1/NQ".into(),
            effective_on: today,
        };
        assert!(check_header(&ok, &["2025".into()], today).is_empty());
    }
}
