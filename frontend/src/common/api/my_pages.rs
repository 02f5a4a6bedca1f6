//! The applicant's own cases on Min sida: one case, its messages, supplement
//! requests and documents (`/api/v1/me/cases/{reference}/…`). The list of
//! cases and the drafts are `my_cases` and `my_drafts` in the parent module.

use shared::api::ApplicantCase;
use shared::documents::CaseDocument;
use shared::handling::{CaseMessage, NewMessage, Supplement, SupplementAnswer};
use shared::signing::{
    ApplicantSigning, DeclineSignatureRequest, SignRequestBody, SignatureRequestView, SigningStarted,
};
use uuid::Uuid;

use super::{Extra, FetchError, bearer, decode, json, path_segment, send};

/// `/me/cases/{reference}` plus `rest`, with the reference as one path segment.
fn my_case_path(reference: &str, rest: &str) -> String {
    format!("/me/cases/{}{rest}", path_segment(reference))
}

/// One of the applicant's cases (`GET /api/v1/me/cases/{reference}`).
pub async fn my_case(token: &str, reference: &str) -> Result<ApplicantCase, FetchError> {
    decode(send("GET", &my_case_path(reference, ""), bearer(token)).await)
}

/// `/follow/{reference}` plus `rest`: an anonymous case through its private link.
fn follow_path(reference: &str, rest: &str) -> String {
    format!("/follow/{}{rest}", path_segment(reference))
}

/// An anonymous case through its private link, without its answers (`GET /api/v1/follow/{reference}`).
pub async fn followed_case(link: &str, reference: &str) -> Result<ApplicantCase, FetchError> {
    decode(send("GET", &follow_path(reference, ""), Extra { case_link: Some(link), ..Extra::default() }).await)
}

/// The messages on an anonymous case through its private link (`GET /api/v1/follow/{reference}/messages`).
pub async fn followed_case_messages(link: &str, reference: &str) -> Result<Vec<CaseMessage>, FetchError> {
    let extra = Extra { case_link: Some(link), ..Extra::default() };
    decode(send("GET", &follow_path(reference, "/messages"), extra).await)
}

/// Answers the handlers of an anonymous case through its private link (`POST /api/v1/follow/{reference}/messages`).
pub async fn send_followed_case_message(link: &str, reference: &str, body: &str) -> Result<CaseMessage, FetchError> {
    let json = json(&NewMessage { body: body.to_owned(), attachments: Vec::new() });
    decode(
        send("POST", &follow_path(reference, "/messages"), Extra { json, case_link: Some(link), ..Extra::default() })
            .await,
    )
}

/// The messages on a case, oldest first (`GET /api/v1/me/cases/{reference}/messages`);
/// reading them marks the handlers' messages read.
pub async fn my_case_messages(token: &str, reference: &str) -> Result<Vec<CaseMessage>, FetchError> {
    decode(send("GET", &my_case_path(reference, "/messages"), bearer(token)).await)
}

/// Sends a message to the case's handlers (`POST /api/v1/me/cases/{reference}/messages`),
/// with the applicant's uploads (`POST /api/v1/uploads`) given by id as its files.
pub async fn send_my_case_message(
    token: &str,
    reference: &str,
    body: &str,
    attachments: Vec<Uuid>,
) -> Result<CaseMessage, FetchError> {
    let body = json(&NewMessage { body: body.to_owned(), attachments });
    decode(send("POST", &my_case_path(reference, "/messages"), Extra { json: body, ..bearer(token) }).await)
}

/// The API path of one file sent with a message on a case, for [`super::download`]
/// (`GET /api/v1/me/cases/{reference}/message-attachments/{id}`).
pub fn my_case_message_attachment_path(reference: &str, id: &str) -> String {
    my_case_path(reference, &format!("/message-attachments/{}", path_segment(id)))
}

/// The supplement requests on a case, oldest first (`GET /api/v1/me/cases/{reference}/supplements`).
pub async fn my_case_supplements(token: &str, reference: &str) -> Result<Vec<Supplement>, FetchError> {
    decode(send("GET", &my_case_path(reference, "/supplements"), bearer(token)).await)
}

/// Answers an open supplement request
/// (`POST /api/v1/me/cases/{reference}/supplements/{id}/answer`).
pub async fn answer_supplement(
    token: &str,
    reference: &str,
    id: &str,
    answer: &SupplementAnswer,
) -> Result<Supplement, FetchError> {
    let path = my_case_path(reference, &format!("/supplements/{}/answer", path_segment(id)));
    decode(send("POST", &path, Extra { json: json(answer), ..bearer(token) }).await)
}

/// The decisions and other documents on a case (`GET /api/v1/me/cases/{reference}/documents`).
pub async fn my_case_documents(token: &str, reference: &str) -> Result<Vec<CaseDocument>, FetchError> {
    decode(send("GET", &my_case_path(reference, "/documents"), bearer(token)).await)
}

/// The API path of a file the applicant sent with the case (an upload its file answer names),
/// for [`super::download`] (`GET /api/v1/me/cases/{reference}/attachments/{id}`).
pub fn my_case_attachment_path(reference: &str, id: &str) -> String {
    my_case_path(reference, &format!("/attachments/{}", path_segment(id)))
}

/// The API path of one document's bytes, for [`super::download`].
pub fn my_case_document_path(reference: &str, id: &str) -> String {
    my_case_path(reference, &format!("/documents/{}", path_segment(id)))
}

/// How the signing of one of the applicant's cases goes: who has signed, declined or not yet
/// (`GET /api/v1/me/cases/{reference}/signing`; 404 for a case that needs no signature).
pub async fn my_case_signing(token: &str, reference: &str) -> Result<ApplicantSigning, FetchError> {
    decode(send("GET", &my_case_path(reference, "/signing"), bearer(token)).await)
}

/// `/me/signature-requests/{id}` plus `rest`, with the id as one path segment.
fn request_path(id: &str, rest: &str) -> String {
    format!("/me/signature-requests/{}{rest}", path_segment(id))
}

/// The requests to co-sign that name the logged-in person, pending first
/// (`GET /api/v1/me/signature-requests`).
pub async fn signature_requests(token: &str) -> Result<Vec<SignatureRequestView>, FetchError> {
    decode(send("GET", "/me/signature-requests", bearer(token)).await)
}

/// One request to co-sign (`GET /api/v1/me/signature-requests/{id}`).
pub async fn signature_request(token: &str, id: &str) -> Result<SignatureRequestView, FetchError> {
    decode(send("GET", &request_path(id, ""), bearer(token)).await)
}

/// Starts the co-signer's BankID signature of a request
/// (`POST /api/v1/me/signature-requests/{id}/sign`); poll it with [`super::poll_signing`].
pub async fn sign_request(token: &str, id: &str) -> Result<SigningStarted, FetchError> {
    let body = json(&SignRequestBody { same_device: false });
    decode(send("POST", &request_path(id, "/sign"), Extra { json: body, ..bearer(token) }).await)
}

/// Declines a request to co-sign, with an optional message to the applicant
/// (`POST /api/v1/me/signature-requests/{id}/decline`).
pub async fn decline_request(
    token: &str,
    id: &str,
    message: Option<String>,
) -> Result<SignatureRequestView, FetchError> {
    let body = json(&DeclineSignatureRequest { message });
    decode(send("POST", &request_path(id, "/decline"), Extra { json: body, ..bearer(token) }).await)
}
