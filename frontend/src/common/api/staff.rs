//! Case handling for staff: login, the inbox, a case, its messages, notes,
//! supplements, documents and legal hold (`/api/v1/cases/…`, `/api/v1/services`), and
//! retention: the dry run, the purge log and the purge job (`/api/v1/services/{slug}/…`,
//! `/api/v1/retention`).

use shared::api::{
    CaseDetail, CaseList, CaseRetention, ChangeStatusRequest, LegalHold, LegalHoldRequest, OutboxList, PurgeLog,
    RetentionPreview, RetentionStatus, ServiceView, StaffLoginRequest, StaffUserView, TokenResponse,
};
use shared::documents::CaseDocument;
use shared::handling::{
    AccessLogEntry, AssignRequest, Assignment, CaseMessage, CaseNote, CaseStatusLookup, HandlerName, MessageAttachment,
    NewMessage, NewText, StatusCount, Supplement, SupplementRequestInput,
};
use shared::signing::{CaseSignatureView, SignatureVerification};

use super::{Extra, FetchError, bearer, decode, json, path_segment, send};

/// Logs a staff member in (`POST /api/v1/auth/staff/token`).
pub async fn staff_login(username: &str, password: &str) -> Result<TokenResponse, FetchError> {
    let body = json(&StaffLoginRequest { username: username.to_owned(), password: password.to_owned() });
    decode(send("POST", "/auth/staff/token", Extra { json: body, ..Extra::default() }).await)
}

/// The services the handler is permitted on (`GET /api/v1/services`).
pub async fn staff_services(token: &str) -> Result<Vec<ServiceView>, FetchError> {
    decode(send("GET", "/services", bearer(token)).await)
}

/// A page of the inbox (`POST /api/v1/cases/search`): the filters as the body's fields, so that
/// a personnummer searched for never stands in a URL.
pub async fn inbox(token: &str, search: &[(&str, String)]) -> Result<CaseList, FetchError> {
    let body: serde_json::Map<String, serde_json::Value> =
        search.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone()))).collect();
    decode(send("POST", "/cases/search", Extra { json: json(&body), ..bearer(token) }).await)
}

/// Cases per status (`GET /api/v1/cases/counts`).
pub async fn case_counts(token: &str) -> Result<Vec<StatusCount>, FetchError> {
    decode(send("GET", "/cases/counts", bearer(token)).await)
}

/// `/cases/{reference}` plus `rest`, with the reference as one path segment.
fn case_path(reference: &str, rest: &str) -> String {
    format!("/cases/{}{rest}", path_segment(reference))
}

/// One case as a handler sees it (`GET /api/v1/cases/{reference}`).
pub async fn staff_case(token: &str, reference: &str) -> Result<CaseDetail, FetchError> {
    decode(send("GET", &case_path(reference, ""), bearer(token)).await)
}

/// Moves a case to another status (`POST /api/v1/cases/{reference}/status`).
pub async fn change_status(token: &str, reference: &str, body: &ChangeStatusRequest) -> Result<CaseDetail, FetchError> {
    decode(send("POST", &case_path(reference, "/status"), Extra { json: json(body), ..bearer(token) }).await)
}

/// Assigns the case to the caller (`POST /api/v1/cases/{reference}/assign-to-me`).
pub async fn assign_to_me(token: &str, reference: &str) -> Result<Assignment, FetchError> {
    decode(send("POST", &case_path(reference, "/assign-to-me"), bearer(token)).await)
}

/// Assigns the case to a handler, or with `None` leaves it unassigned (`PUT /api/v1/cases/{reference}/assignee`).
pub async fn assign(token: &str, reference: &str, assignee: Option<uuid::Uuid>) -> Result<Assignment, FetchError> {
    let body = json(&AssignRequest { assignee });
    decode(send("PUT", &case_path(reference, "/assignee"), Extra { json: body, ..bearer(token) }).await)
}

/// The handlers the case can be assigned to (`GET /api/v1/cases/{reference}/handlers`).
pub async fn case_handlers(token: &str, reference: &str) -> Result<Vec<HandlerName>, FetchError> {
    decode(send("GET", &case_path(reference, "/handlers"), bearer(token)).await)
}

/// The case's messages (`GET /api/v1/cases/{reference}/messages`); marks the applicant's as read.
pub async fn staff_messages(token: &str, reference: &str) -> Result<Vec<CaseMessage>, FetchError> {
    decode(send("GET", &case_path(reference, "/messages"), bearer(token)).await)
}

/// Sends a message to the applicant (`POST /api/v1/cases/{reference}/messages`).
pub async fn staff_send_message(token: &str, reference: &str, body: &NewMessage) -> Result<CaseMessage, FetchError> {
    decode(send("POST", &case_path(reference, "/messages"), Extra { json: json(body), ..bearer(token) }).await)
}

/// Uploads a file to send with a message (`POST /api/v1/cases/{reference}/message-attachments?name=…`).
pub async fn attach_message_file(
    token: &str,
    reference: &str,
    file: &web_sys::File,
) -> Result<MessageAttachment, FetchError> {
    let name = crate::common::router::encode(&file.name());
    let path = case_path(reference, &format!("/message-attachments?name={name}"));
    decode(super::send_file("POST", &path, token, file).await)
}

/// The API path of a file sent with a message, for [`super::download`].
pub fn staff_message_attachment_path(reference: &str, id: &str) -> String {
    case_path(reference, &format!("/message-attachments/{}", path_segment(id)))
}

/// The internal notes (`GET /api/v1/cases/{reference}/notes`).
pub async fn notes(token: &str, reference: &str) -> Result<Vec<CaseNote>, FetchError> {
    decode(send("GET", &case_path(reference, "/notes"), bearer(token)).await)
}

/// Adds an internal note (`POST /api/v1/cases/{reference}/notes`).
pub async fn add_note(token: &str, reference: &str, body: &NewText) -> Result<CaseNote, FetchError> {
    decode(send("POST", &case_path(reference, "/notes"), Extra { json: json(body), ..bearer(token) }).await)
}

/// The supplement requests and what the answers changed (`GET /api/v1/cases/{reference}/supplements`).
pub async fn staff_supplements(token: &str, reference: &str) -> Result<Vec<Supplement>, FetchError> {
    decode(send("GET", &case_path(reference, "/supplements"), bearer(token)).await)
}

/// Asks the applicant to supplement the case (`POST /api/v1/cases/{reference}/supplement-requests`).
pub async fn request_supplement(
    token: &str,
    reference: &str,
    body: &SupplementRequestInput,
) -> Result<Supplement, FetchError> {
    let path = case_path(reference, "/supplement-requests");
    decode(send("POST", &path, Extra { json: json(body), ..bearer(token) }).await)
}

/// The case's decisions and documents (`GET /api/v1/cases/{reference}/documents`).
pub async fn staff_documents(token: &str, reference: &str) -> Result<Vec<CaseDocument>, FetchError> {
    decode(send("GET", &case_path(reference, "/documents"), bearer(token)).await)
}

/// The API path of a document of the case, for [`super::download`].
pub fn staff_document_path(reference: &str, id: &str) -> String {
    case_path(reference, &format!("/documents/{}", path_segment(id)))
}

/// The API path of a file the applicant attached to an answer, for [`super::download`].
pub fn attachment_path(reference: &str, upload_id: &str) -> String {
    case_path(reference, &format!("/attachments/{}", path_segment(upload_id)))
}

/// Attaches a decision or document to the case (`POST /api/v1/cases/{reference}/documents?kind=…&name=…`),
/// the file as the raw body.
pub async fn attach_document(
    token: &str,
    reference: &str,
    kind: &str,
    file: &web_sys::File,
) -> Result<CaseDocument, FetchError> {
    let name = crate::common::router::encode(&file.name());
    let path = case_path(reference, &format!("/documents?kind={}&name={name}", path_segment(kind)));
    decode(super::send_file("POST", &path, token, file).await)
}

/// Who read or changed the case (`GET /api/v1/cases/{reference}/access-log`, platform admins).
pub async fn case_access_log(token: &str, reference: &str) -> Result<Vec<AccessLogEntry>, FetchError> {
    decode(send("GET", &case_path(reference, "/access-log"), bearer(token)).await)
}

/// A case's status, purge day and legal hold, without its content
/// (`GET /api/v1/cases/{reference}/legal-hold`; platform admins, and staff permitted on its service).
pub async fn case_retention(token: &str, reference: &str) -> Result<CaseRetention, FetchError> {
    decode(send("GET", &case_path(reference, "/legal-hold"), bearer(token)).await)
}

/// The staff accounts (`GET /api/v1/staff`, platform admins).
pub async fn staff_users(token: &str) -> Result<Vec<StaffUserView>, FetchError> {
    decode(send("GET", "/staff", bearer(token)).await)
}

/// The mail queue's counts and newest item (`GET /api/v1/outbox?limit=1`, platform admins).
pub async fn outbox_counts(token: &str) -> Result<OutboxList, FetchError> {
    decode(send("GET", "/outbox?limit=1", bearer(token)).await)
}

/// The contact centre's look-up of a case's status (`GET /api/v1/contact-centre/cases/{reference}`).
pub async fn lookup_status(token: &str, reference: &str) -> Result<CaseStatusLookup, FetchError> {
    decode(send("GET", &format!("/contact-centre/cases/{}", path_segment(reference)), bearer(token)).await)
}

/// Stops the case from being purged until the hold is lifted (`PUT /api/v1/cases/{reference}/legal-hold`).
pub async fn set_legal_hold(token: &str, reference: &str, body: &LegalHoldRequest) -> Result<LegalHold, FetchError> {
    decode(send("PUT", &case_path(reference, "/legal-hold"), Extra { json: json(body), ..bearer(token) }).await)
}

/// Closes an anonymous case's personal link (`DELETE /api/v1/cases/{reference}/follow-link`).
pub async fn revoke_follow_link(token: &str, reference: &str) -> Result<(), FetchError> {
    send("DELETE", &case_path(reference, "/follow-link"), bearer(token)).await.map(drop)
}

/// Lifts the case's legal hold (`DELETE /api/v1/cases/{reference}/legal-hold`).
pub async fn lift_legal_hold(token: &str, reference: &str) -> Result<(), FetchError> {
    send("DELETE", &case_path(reference, "/legal-hold"), bearer(token)).await.map(drop)
}

/// `/services/{slug}` plus `rest`, with the slug as one path segment.
fn service_path(slug: &str, rest: &str) -> String {
    format!("/services/{}{rest}", path_segment(slug))
}

/// What the next purge run would delete of a service (`GET /api/v1/services/{slug}/retention-preview`).
pub async fn retention_preview(token: &str, slug: &str) -> Result<RetentionPreview, FetchError> {
    decode(send("GET", &service_path(slug, "/retention-preview"), bearer(token)).await)
}

/// A page of a service's purge log, newest first, after `after` (a `next_cursor`) if given
/// (`GET /api/v1/services/{slug}/purge-log`).
pub async fn purge_log(token: &str, slug: &str, after: Option<String>) -> Result<PurgeLog, FetchError> {
    let query = after.map(|a| format!("?after={}", super::path_segment(&a))).unwrap_or_default();
    decode(send("GET", &service_path(slug, &format!("/purge-log{query}")), bearer(token)).await)
}

/// The API path of a service's whole purge log as CSV, for [`super::download`].
pub fn purge_log_csv_path(slug: &str) -> String {
    service_path(slug, "/purge-log.csv")
}

/// The purge job's schedule, totals and latest runs (`GET /api/v1/retention`, platform admins).
pub async fn retention_status(token: &str) -> Result<RetentionStatus, FetchError> {
    decode(send("GET", "/retention", bearer(token)).await)
}

/// The signatures of a case, the applicant's first (`GET /api/v1/cases/{reference}/signatures`).
pub async fn case_signatures(token: &str, reference: &str) -> Result<Vec<CaseSignatureView>, FetchError> {
    decode(send("GET", &case_path(reference, "/signatures"), bearer(token)).await)
}

/// The API path of one signature's evidence (JSON), for [`super::download`]
/// (`GET /api/v1/cases/{reference}/signatures/{id}/evidence`).
pub fn signature_evidence_path(reference: &str, id: &str) -> String {
    case_path(reference, &format!("/signatures/{}/evidence", path_segment(id)))
}

/// Checks the case's signatures against its answers now (`POST /api/v1/cases/{reference}/signatures/verify`).
pub async fn verify_case_signatures(token: &str, reference: &str) -> Result<SignatureVerification, FetchError> {
    decode(send("POST", &case_path(reference, "/signatures/verify"), bearer(token)).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_cannot_leave_its_path_segment() {
        assert_eq!(case_path("HBG-2026-000001", "/notes"), "/cases/HBG-2026-000001/notes");
        assert_eq!(case_path("../services?x", ""), "/cases/..%2Fservices%3Fx");
        assert_eq!(staff_document_path("R-1", "../x"), "/cases/R-1/documents/..%2Fx");
        assert_eq!(staff_document_path("R-1", ".."), "/cases/R-1/documents/%00");
    }

    #[test]
    fn a_slug_cannot_leave_its_path_segment() {
        assert_eq!(purge_log_csv_path("bygglov"), "/services/bygglov/purge-log.csv");
        assert_eq!(purge_log_csv_path("../retention?x"), "/services/..%2Fretention%3Fx/purge-log.csv");
    }
}
