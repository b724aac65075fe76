//! The route table: every route is registered together with the guard of each of its
//! methods, and the guard is enforced before any extractor runs. The same table is public
//! ([`route_rules`](crate::route_rules)) so the authorisation matrix test walks every route
//! the router has; a route cannot be added without a rule.
//!
//! Guards check the role; the place (scope) of the object is checked by `antq-app`.

use antq_app::AppError;
use antq_domain::access::Permission;
use axum::Router;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;

use crate::AppState;
use crate::auth::{Auth, error_response};

/// Who may call a route's method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Anyone, without logging in (rate-limited).
    Public,
    /// Any logged-in user.
    User,
    /// A logged-in user whose role grants the permission.
    Can(Permission),
}

/// Read the registries.
pub const READ: Guard = Guard::Can(Permission::ReadRegistry);
/// Change the registries.
pub const WRITE: Guard = Guard::Can(Permission::WriteRegistry);
/// Edit catalogues.
pub const TAXONOMY: Guard = Guard::Can(Permission::ManageTaxonomy);
/// Open rounds, approve, return and unlock evaluation results.
pub const APPROVE: Guard = Guard::Can(Permission::ApproveEvaluations);
/// Administer accounts.
pub const USERS: Guard = Guard::Can(Permission::ManageUsers);
/// Read the audit trail.
pub const AUDIT: Guard = Guard::Can(Permission::ReadAudit);

/// One method of one route and its guard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteRule {
    /// HTTP method.
    pub method: Method,
    /// Path pattern as registered (`/api/v1/areas/{id}`).
    pub path: String,
    /// Who may call it.
    pub guard: Guard,
}

/// A router under construction with its rules.
pub struct Routes {
    router: Router<AppState>,
    rules: Vec<RouteRule>,
    api: bool,
}

impl Routes {
    /// Routes of pages (`api == false`: unauthenticated callers are sent to the login page)
    /// or of the JSON API (401).
    pub fn new(api: bool) -> Self {
        Routes { router: Router::new(), rules: Vec::new(), api }
    }

    /// Adds a route whose methods are guarded by `guards`; a method without a guard is refused.
    pub fn route(mut self, path: &str, mr: MethodRouter<AppState>, guards: &[(Method, Guard)]) -> Self {
        let table: Vec<(Method, Guard)> = guards.to_vec();
        let api = self.api;
        let mr = mr.layer(axum::middleware::from_fn(move |req: Request, next: Next| {
            let table = table.clone();
            async move { check(&table, api, req, next).await }
        }));
        self.router = self.router.route(path, mr);
        self.rules.extend(guards.iter().map(|(m, g)| RouteRule { method: m.clone(), path: path.into(), guard: *g }));
        self
    }

    /// Adds the routes of `other`.
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.rules.extend(other.rules);
        self
    }

    /// Adds the routes of `other` under `prefix`.
    pub fn nest(mut self, prefix: &str, other: Routes) -> Self {
        self.router = self.router.nest(prefix, other.router);
        self.rules.extend(other.rules.into_iter().map(|r| RouteRule { path: format!("{prefix}{}", r.path), ..r }));
        self
    }

    /// The router and its rules.
    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteRule>) {
        (self.router, self.rules)
    }
}

async fn check(table: &[(Method, Guard)], api: bool, req: Request, next: Next) -> Response {
    let method = if req.method() == Method::HEAD { Method::GET } else { req.method().clone() };
    let Some((_, guard)) = table.iter().find(|(m, _)| *m == method) else {
        return next.run(req).await;
    };
    let auth = req.extensions().get::<Auth>();
    let denied = match (guard, auth) {
        (Guard::Public, _) => None,
        (_, None) => Some(AppError::Unauthenticated),
        (Guard::User, Some(_)) => None,
        (Guard::Can(p), Some(a)) => a.actor.require(*p).err(),
    };
    match denied {
        None => next.run(req).await,
        Some(AppError::Unauthenticated) if !api => {
            let path = req.extensions().get::<axum::extract::OriginalUri>().map(|u| u.0.clone()).unwrap_or_default();
            let next = path.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target =
                format!("/login?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
            Redirect::to(&target).into_response()
        }
        Some(e) => error_response(api, e),
    }
}
