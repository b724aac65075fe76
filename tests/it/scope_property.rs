//! A property: whatever sequence of API calls users of any role make, no answer reveals an
//! object placed outside the caller's scope. Sequences are generated from fixed seeds
//! (reproducible: a failure names its seed and step).

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::app_tests;
use crate::support::{Api, TestApp};

/// SplitMix64: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// (province, commune) of the places used.
const PLACES: &[(&str, &str)] = &[("56", "22333"), ("56", "22366"), ("01", "00004")];

struct Caller {
    api: Api,
    province: Option<&'static str>,
    commune: Option<&'static str>,
    name: String,
}

impl Caller {
    fn sees(&self, province: &str, commune: Option<&str>) -> bool {
        self.province.is_none_or(|p| p == province) && self.commune.is_none_or(|c| Some(c) == commune)
    }
}

/// Every object in a JSON answer that carries a place.
fn placed(v: &Value, out: &mut Vec<(String, Option<String>, String)>) {
    match v {
        Value::Object(o) => {
            if let Some(p) = o.get("province_code").and_then(Value::as_str) {
                let c = o.get("commune_code").and_then(Value::as_str).map(str::to_string);
                out.push((p.to_string(), c, o.get("name").and_then(Value::as_str).unwrap_or("").to_string()));
            }
            o.values().for_each(|x| placed(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| placed(x, out)),
        _ => {}
    }
}

async fn callers(app: &TestApp) -> Vec<Caller> {
    let specs: &[(&str, &str, Option<&'static str>, Option<&'static str>)] = &[
        ("admin", "56", None, None),
        ("province_officer", "56", Some("56"), None),
        ("province_officer", "01", Some("01"), None),
        ("commune_officer", "22333", Some("56"), Some("22333")),
        ("commune_officer", "00004", Some("01"), Some("00004")),
        ("viewer", "22366", Some("56"), Some("22366")),
        ("commune_government", "22333", Some("56"), Some("22333")),
        ("mass_organisation", "01", Some("01"), None),
        ("auditor", "56", Some("56"), None),
    ];
    let mut out = Vec::new();
    for (i, (role, unit, province, commune)) in specs.iter().enumerate() {
        let name = format!("u{i}_{role}");
        out.push(Caller {
            api: app.api(&app.token(&name, role, unit).await),
            province: *province,
            commune: *commune,
            name,
        });
    }
    out
}

app_tests! {
    random_calls_never_reveal_objects_outside_scope(app) {
        let callers = callers(app).await;
        // id → (province, commune, name) of every object created, for "get" probes.
        let mut areas: HashMap<i64, (String, String, String)> = HashMap::new();
        let mut models: HashMap<i64, (String, String, String)> = HashMap::new();
        let (_, types) = callers[0].api.get("/api/v1/model-types").await;
        let type_id = types["items"][0]["id"].as_i64().unwrap();
        for seed in [1u64, 2, 3] {
            let mut rng = Rng(seed);
            for step in 0..60 {
                let c = rng.pick(&callers);
                let (province, commune) = *rng.pick(PLACES);
                let op = rng.next() % 9;
                let name = format!("Đối tượng [{seed}-{step}]");
                let (status, body) = match op {
                    0 => c.api.post("/api/v1/areas", json!({"commune_code": commune, "name": name, "kind": "thon"})).await,
                    1 => c.api.post("/api/v1/models", json!({"name": name, "type_id": type_id, "level": "xa", "commune_code": commune,
                        "origin_kind": "xa", "host_org": "cong_an", "scope": "toan_dien"})).await,
                    2 => c.api.get(&format!("/api/v1/areas?province={province}")).await,
                    3 => c.api.get(&format!("/api/v1/models?commune={commune}&per_page=200")).await,
                    4 => c.api.get("/api/v1/areas?per_page=200").await,
                    5 => match areas.keys().copied().collect::<Vec<_>>().as_slice() {
                        [] => continue,
                        ids => c.api.get(&format!("/api/v1/areas/{}", rng.pick(ids))).await,
                    },
                    6 => match models.keys().copied().collect::<Vec<_>>().as_slice() {
                        [] => continue,
                        ids => c.api.get(&format!("/api/v1/models/{}", rng.pick(ids))).await,
                    },
                    7 => match areas.keys().copied().collect::<Vec<_>>().as_slice() {
                        [] => continue,
                        ids => c.api.patch(&format!("/api/v1/areas/{}", rng.pick(ids)), json!({"households": step})).await,
                    },
                    _ => c.api.get("/api/v1/stats/models?by=commune").await,
                };
                let at = format!("seed {seed} step {step}: {} op {op} ({province}/{commune}) → {status}", c.name);
                assert!(status < 500, "{at}: {body}");
                let mut seen = Vec::new();
                placed(&body, &mut seen);
                for (p, cm, n) in &seen {
                    assert!(c.sees(p, cm.as_deref()), "{at}: revealed «{n}» in {p}/{cm:?}");
                }
                // Creation succeeds exactly in scope (for roles that write).
                if op <= 1 && status == 201 {
                    assert!(c.sees(province, Some(commune)), "{at}: created outside scope");
                    let id = body["id"].as_i64().unwrap();
                    let entry = (province.to_string(), commune.to_string(), name.clone());
                    if op == 0 { areas.insert(id, entry); } else { models.insert(id, entry); }
                }
                if op <= 1 && !c.sees(province, Some(commune)) {
                    assert_eq!(status, 403, "{at}");
                }
                // Names of objects outside scope never appear in any answer.
                let text = body.to_string();
                for (p, cm, n) in areas.values().chain(models.values()) {
                    if !c.sees(p, Some(cm)) {
                        assert!(!text.contains(n.as_str()), "{at}: leaked «{n}»");
                    }
                }
            }
        }
        assert!(!areas.is_empty() && !models.is_empty(), "the sequences created objects");
    }
}
