//! The city's Min sida portal: it may read the logged-in person's cases from
//! the browser (CORS, for the origins in `[portal] allowed_origins`, on
//! `GET`/`HEAD /api/v1/me/cases…` and the preflights of such reads only: a
//! write — a message, a supplement — never gets CORS headers, so the portal
//! cannot act for the person), and it may frame the embeddable views under
//! `/embed/` (`frame-ancestors`). Every other page may be framed by nobody.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// `[portal]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PortalSettings {
    /// Origins (`https://minasidor.example.se`) that may call the applicant's case
    /// list from the browser and frame `/embed/` views.
    pub allowed_origins: Vec<String>,
}

impl PortalSettings {
    /// Checks that every origin is `scheme://host[:port]` (no path, no trailing slash).
    pub fn check(&self) -> Result<(), String> {
        for o in &self.allowed_origins {
            let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
            let ok = rest.is_some_and(|r| !r.is_empty() && !r.contains(['/', '?', '#', ' ', '*', '\'', '"', ';', ',']));
            if !ok {
                return Err(format!(
                    "portal.allowed_origins: '{o}' is not an origin; write scheme://host[:port], e.g. https://minasidor.example.se"
                ));
            }
        }
        Ok(())
    }
}

fn is_portal_api(path: &str) -> bool {
    path == "/api/v1/me/cases" || path.starts_with("/api/v1/me/cases/")
}

/// The methods the portal may use: reads only.
fn is_read(method: &str) -> bool {
    method == "GET" || method == "HEAD"
}

/// Answers CORS preflights of reads for allowed origins, adds the CORS
/// headers to the responses of their reads (never of other methods), and sets
/// `frame-ancestors` on every response.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let origins: Vec<String> = req
        .app_data::<web::Data<crate::state::AppState>>()
        .map(|s| s.settings.portal.allowed_origins.clone())
        .unwrap_or_default();
    let path = req.path().to_string();
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| origins.iter().any(|a| a == o))
        .map(str::to_string);
    let cors = origin.filter(|_| is_portal_api(&path));
    let preflight_of_read = req.method() == actix_web::http::Method::OPTIONS
        && req.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD).and_then(|v| v.to_str().ok()).is_some_and(is_read);
    if let Some(origin) = &cors
        && preflight_of_read
    {
        let res = HttpResponse::NoContent()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.as_str()))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Accept, Accept-Language"))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, "600"))
            .insert_header((header::VARY, "Origin"))
            .finish();
        return Ok(req.into_response(res).map_into_right_body());
    }
    let cors = cors.filter(|_| is_read(req.method().as_str()));
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    if let Some(origin) = cors
        && let Ok(v) = HeaderValue::from_str(&origin)
    {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    let ancestors = if path.starts_with("/embed/") && !origins.is_empty() {
        format!("frame-ancestors 'self' {}", origins.join(" "))
    } else if path.starts_with("/embed/") {
        "frame-ancestors 'self'".to_string()
    } else {
        "frame-ancestors 'none'".to_string()
    };
    // A response with its own policy (a download's `default-src 'none'; sandbox`) keeps it.
    let policy = match headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()) {
        Some(own) if own.contains("frame-ancestors") => own.to_string(),
        Some(own) => format!("{own}; {ancestors}"),
        None => ancestors,
    };
    if let Ok(v) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    Ok(res.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_origins_are_accepted() {
        let ok = PortalSettings {
            allowed_origins: vec!["https://minasidor.example.se".into(), "http://localhost:3000".into()],
        };
        assert!(ok.check().is_ok());
        for bad in [
            "https://minasidor.example.se/",
            "minasidor.example.se",
            "https://*.example.se",
            "https://a.se 'unsafe-inline'",
        ] {
            let s = PortalSettings { allowed_origins: vec![bad.into()] };
            assert!(s.check().is_err(), "{bad}");
        }
    }
}
