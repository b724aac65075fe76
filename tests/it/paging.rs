//! Every list of the API pages the same way: `items`, `total`, `page`, `per_page` (at most
//! the documented maximum), and a client that walks the pages reads every row exactly once.
//! The routes come from the router's own table, so a new list cannot escape.

use std::collections::BTreeSet;

use antq_domain::page::MAX_PER_PAGE;
use reqwest::Method;
use serde_json::Value;

use crate::app_tests;
use crate::authz::place;

/// Lists that must be among those walked (a list that stopped answering would otherwise
/// silently leave the test).
const KNOWN: &[&str] = &[
    "/api/v1/units",
    "/api/v1/areas",
    "/api/v1/establishments",
    "/api/v1/model-types",
    "/api/v1/models",
    "/api/v1/users",
    "/api/v1/tokens",
    "/api/v1/access",
    "/api/v1/audit",
    "/api/v1/rules",
    "/api/v1/criteria-sets",
    "/api/v1/rating-rounds",
    "/api/v1/rating-follow-ups",
    "/api/v1/antt",
    "/api/v1/classifications",
    "/api/v1/exemplars",
    "/api/v1/reports",
    "/api/v1/reports/overdue",
    "/api/v1/teams",
    "/api/v1/members",
    "/api/v1/force/alerts",
    "/api/v1/force/courses",
    "/api/v1/force/rating-sheets",
    "/api/v1/force/medals",
    "/api/v1/activity-kinds",
    "/api/v1/activities",
    "/api/v1/opinions",
    "/api/v1/commendations",
    "/api/v1/commendations/medal-proposals",
    "/api/v1/cameras",
    "/api/v1/camera-centres",
    "/api/v1/target-indicators",
    "/api/v1/targets",
];

fn with(path: &str, query: &str) -> String {
    format!("{path}{}{query}", if path.contains('?') { '&' } else { '?' })
}

app_tests! {
    every_list_route_pages_to_its_last_row(app) {
        let admin = app.api(&app.token("quantri", "admin", "56").await);
        place(app, &admin, "56", "22333").await;
        place(app, &admin, "01", "00004").await;
        // Report content is read by police officers, not by administrators.
        let officer = app.api(&app.token("canbotinh", "province_officer", "56").await);
        let mut walked = Vec::new();
        let mut failures = Vec::new();
        for rule in antq_web::route_rules() {
            let path = rule.path.as_str();
            // Statistics are tables of aggregates (a row per place or category), not lists of rows.
            let skip = path.contains('{') || path.ends_with("/openapi.json") || path.starts_with("/api/v1/stats/");
            if rule.method != Method::GET || !path.starts_with("/api/v1/") || skip {
                continue;
            }
            // The reports queue lists the caller's unit by default; `unit=all` is the whole scope.
            let path = if path == "/api/v1/reports" { "/api/v1/reports?unit=all" } else { path };
            let mut answered = None;
            for api in [&admin, &officer] {
                let (s, b) = api.get(&with(path, "per_page=1")).await;
                if s == 200 {
                    answered = Some((api, b));
                    break;
                }
            }
            let Some((api, first)) = answered else { continue };
            if first.is_array() {
                failures.push(format!("{path}: a bare array, not a page"));
                continue;
            }
            let Some(items) = first.get("items").and_then(Value::as_array) else { continue };
            let total = first["total"].as_i64();
            if total.is_none() || first["page"] != 1 || first["per_page"] != 1 || items.len() > 1 {
                failures.push(format!("{path}: page 1 of 1 row answers {first}"));
                continue;
            }
            let total = total.unwrap();
            let (_, big) = api.get(&with(path, "per_page=100000")).await;
            if big["per_page"].as_u64() != Some(u64::from(MAX_PER_PAGE)) {
                failures.push(format!("{path}: per_page=100000 is not capped at {MAX_PER_PAGE}: {}", big["per_page"]));
            }
            // At least two pages whenever there are two rows; at most about five requests.
            let per_page = ((total + 3) / 4).clamp(1, i64::from(MAX_PER_PAGE));
            let mut seen = BTreeSet::new();
            let mut read = 0;
            let mut page = 1;
            while read < total {
                let (s, b) = api.get(&with(path, &format!("per_page={per_page}&page={page}"))).await;
                let rows = b["items"].as_array().cloned().unwrap_or_default();
                if s != 200 || b["total"].as_i64() != Some(total) || rows.is_empty() {
                    failures.push(format!("{path}: page {page} of {per_page} answers {s} {b}"));
                    break;
                }
                for r in rows {
                    read += 1;
                    if !seen.insert(r.to_string()) {
                        failures.push(format!("{path}: {r} on two pages"));
                    }
                }
                page += 1;
            }
            let (_, past) = api.get(&with(path, &format!("per_page={per_page}&page={page}"))).await;
            if read != total || past["items"].as_array().is_none_or(|r| !r.is_empty()) {
                failures.push(format!("{path}: read {read} of {total}; the page after the last answers {past}"));
            }
            walked.push(rule.path.clone());
        }
        for k in KNOWN {
            if !walked.iter().any(|w| w == k) {
                failures.push(format!("{k}: not walked as a paged list"));
            }
        }
        assert!(failures.is_empty(), "{} lists do not page:\n{}", failures.len(), failures.join("\n"));
    }
}
