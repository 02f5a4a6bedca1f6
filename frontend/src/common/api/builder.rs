//! The service builder's endpoints (`/api/v1/services/…`, `/api/v1/services/{slug}/forms/…`):
//! services with their settings, copies, versions, publishing and the builder's log. A save
//! carries the revision it was made from in `If-Match`, so a save over someone else's newer one
//! is refused (`edit_conflict`) instead of overwriting it.

use shared::api::{
    BuilderAuditEntry, FormDiff, FormVersionInput, FormVersionView, Page, PublishChecklist, PublishInput,
    ServiceCopyInput, ServiceInput, ServiceView,
};

use super::{Extra, FetchError, bearer, decode, json, path_segment, send};

fn service_path(slug: &str, rest: &str) -> String {
    format!("/services/{}{rest}", path_segment(slug))
}

/// One service (`GET /api/v1/services/{slug}`).
pub async fn builder_service(token: &str, slug: &str) -> Result<ServiceView, FetchError> {
    decode(send("GET", &service_path(slug, ""), bearer(token)).await)
}

/// Creates a service (`POST /api/v1/services`).
pub async fn create_service(token: &str, input: &ServiceInput) -> Result<ServiceView, FetchError> {
    decode(send("POST", "/services", Extra { json: json(input), ..bearer(token) }).await)
}

/// Saves a service's settings (`PUT /api/v1/services/{slug}`) if they are still at `revision`.
pub async fn save_service(
    token: &str,
    slug: &str,
    revision: u32,
    input: &ServiceInput,
) -> Result<ServiceView, FetchError> {
    let tag = format!("\"{revision}\"");
    let extra = Extra { json: json(input), header: Some(("If-Match", &tag)), ..bearer(token) };
    decode(send("PUT", &service_path(slug, ""), extra).await)
}

/// A new draft service copied from `slug` (`POST /api/v1/services/{slug}/copy`).
pub async fn copy_service(token: &str, slug: &str, input: &ServiceCopyInput) -> Result<ServiceView, FetchError> {
    decode(send("POST", &service_path(slug, "/copy"), Extra { json: json(input), ..bearer(token) }).await)
}

/// Takes a service out of the catalogue (`POST /api/v1/services/{slug}/unpublish`).
pub async fn unpublish_service(token: &str, slug: &str) -> Result<ServiceView, FetchError> {
    decode(send("POST", &service_path(slug, "/unpublish"), bearer(token)).await)
}

/// Deletes a service never published (`DELETE /api/v1/services/{slug}`).
pub async fn delete_service(token: &str, slug: &str) -> Result<(), FetchError> {
    send("DELETE", &service_path(slug, ""), bearer(token)).await.map(drop)
}

/// A service's form versions, newest first (`GET /api/v1/services/{slug}/forms`).
pub async fn form_versions(token: &str, slug: &str) -> Result<Vec<FormVersionView>, FetchError> {
    decode(send("GET", &service_path(slug, "/forms"), bearer(token)).await)
}

/// A new draft version (`POST /api/v1/services/{slug}/forms`).
pub async fn create_form_version(
    token: &str,
    slug: &str,
    input: &FormVersionInput,
) -> Result<FormVersionView, FetchError> {
    decode(send("POST", &service_path(slug, "/forms"), Extra { json: json(input), ..bearer(token) }).await)
}

/// Saves a draft version's definition (`PUT /api/v1/services/{slug}/forms/{version}`) if it is
/// still at `revision`.
pub async fn save_form_version(
    token: &str,
    slug: &str,
    version: u32,
    revision: u32,
    input: &FormVersionInput,
) -> Result<FormVersionView, FetchError> {
    let tag = format!("\"{revision}\"");
    let extra = Extra { json: json(input), header: Some(("If-Match", &tag)), ..bearer(token) };
    decode(send("PUT", &service_path(slug, &format!("/forms/{version}")), extra).await)
}

/// Publishes a version with a note (`POST /api/v1/services/{slug}/forms/{version}/publish`).
pub async fn publish_form_version(
    token: &str,
    slug: &str,
    version: u32,
    input: &PublishInput,
) -> Result<FormVersionView, FetchError> {
    let path = service_path(slug, &format!("/forms/{version}/publish"));
    decode(send("POST", &path, Extra { json: json(input), ..bearer(token) }).await)
}

/// An older version as a new draft (`POST /api/v1/services/{slug}/forms/{version}/restore`).
pub async fn restore_form_version(token: &str, slug: &str, version: u32) -> Result<FormVersionView, FetchError> {
    decode(send("POST", &service_path(slug, &format!("/forms/{version}/restore")), bearer(token)).await)
}

/// What changed from version `from` to `to`, in words (`GET /api/v1/services/{slug}/forms/{to}/diff?from={from}`).
pub async fn form_diff(token: &str, slug: &str, from: u32, to: u32) -> Result<FormDiff, FetchError> {
    decode(send("GET", &service_path(slug, &format!("/forms/{to}/diff?from={from}")), bearer(token)).await)
}

/// Whether a version can be published (`GET /api/v1/services/{slug}/forms/{version}/checklist`).
pub async fn publish_checklist(token: &str, slug: &str, version: u32) -> Result<PublishChecklist, FetchError> {
    decode(send("GET", &service_path(slug, &format!("/forms/{version}/checklist")), bearer(token)).await)
}

/// The newest page of the builder's log (`GET /api/v1/services/{slug}/log`).
pub async fn builder_log(token: &str, slug: &str) -> Result<Page<BuilderAuditEntry>, FetchError> {
    decode(send("GET", &service_path(slug, "/log"), bearer(token)).await)
}
