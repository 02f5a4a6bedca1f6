//! The one way the SPA talks to the backend: [`send`], a request to a
//! same-origin `/api/v1` URL with the browser's `fetch` (JSON in and out,
//! optionally with the applicant's Bearer token and an idempotency key), and
//! thin typed wrappers naming each endpoint. File uploads, which need upload
//! progress, go through `upload.rs` instead. The wrappers of the handlers' endpoints are in
//! `staff.rs`, those of Mina sidor's (`/me/cases/…`, a case's private link, co-signing) in
//! `my_pages.rs`; each app's wasm keeps only the ones it calls.

mod builder;
mod my_pages;
mod staff;

pub use builder::*;
pub use my_pages::*;
pub use staff::*;

use std::fmt;

use leptos::prelude::window;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::{
    ApiError, ApplicantCase, BankIdLoginProgress, BankIdLoginRequest, BankIdLoginStarted, CatalogueEntry,
    CatalogueService, DraftSummary, DraftView, NewDraftRequest, PersonalData, PreviousAnswers, SaveDraftRequest,
    SubmitCaseRequest, TokenResponse,
};
use shared::signing::{SigningProgress, SigningStarted, StartSigningRequest};
use shared::validate::{Answers, Localized};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::common::i18n::loc;

/// Root of the REST API, relative to the page's origin.
const API_BASE: &str = "/api/v1";

/// Why a request to the API did not give the expected answer.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// No answer at all: the network is down or the server is unreachable.
    Network,
    /// The server answered with an error status (and usually an [`ApiError`]).
    Status {
        /// The HTTP status code.
        status: u16,
        /// The API's error body, when it could be read.
        error: Option<ApiError>,
    },
    /// The server answered 2xx, but not with the JSON this app expects.
    Decode,
}

impl FetchError {
    /// Whether the server said the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, FetchError::Status { status: 404, .. })
    }

    /// Whether the server refused the token (missing, expired or ended session).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, FetchError::Status { status: 401, .. })
    }

    /// Whether the API answered with the error code `code` (e.g. `bankid_already_in_progress`).
    /// A comparison rather than a reading of the code, so that an app carries only the names
    /// of the codes it acts on, not the whole table (inlined, so that each call compares with
    /// one constant name).
    #[inline(always)]
    pub fn is(&self, code: shared::error_code::ErrorCode) -> bool {
        matches!(self, FetchError::Status { error: Some(e), .. } if e.is(code))
    }

    /// The server's reason for a refusal (its message, for a 4xx answer that has one), else
    /// [`user_message`](Self::user_message), in the current language: what the handlers' pages say.
    pub fn reason(&self) -> String {
        match self {
            FetchError::Status { status, error: Some(err) } if *status < 500 => err.message.clone(),
            e => crate::common::i18n::pick(&e.user_message()).to_owned(),
        }
    }

    /// What to tell the user, in both languages.
    pub fn user_message(&self) -> Localized {
        match self {
            FetchError::Network => loc(
                "Vi fick ingen kontakt med servern. Kontrollera din internetanslutning och försök igen.",
                "We could not reach the server. Check your internet connection and try again.",
            ),
            FetchError::Status { status, .. } if *status >= 500 => loc(
                "Tjänsten fungerar inte som den ska just nu. Försök igen om en stund.",
                "The service is not working as it should right now. Try again in a while.",
            ),
            FetchError::Status { status, .. } => Localized {
                sv: format!("Något gick fel när sidan skulle hämtas (felkod {status}). Försök igen."),
                en: format!("Something went wrong while loading the page (error code {status}). Try again."),
            },
            FetchError::Decode => loc(
                "Svaret från servern gick inte att läsa. Försök igen om en stund.",
                "The answer from the server could not be read. Try again in a while.",
            ),
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network => write!(f, "network error"),
            FetchError::Status { status, error: Some(e) } => {
                write!(f, "HTTP {status}: {} ({})", e.message, e.code_name())
            }
            FetchError::Status { status, error: None } => write!(f, "HTTP {status}"),
            FetchError::Decode => write!(f, "unexpected response body"),
        }
    }
}

impl std::error::Error for FetchError {}

/// What a request carries besides its method and path.
#[derive(Default)]
struct Extra<'a> {
    /// The applicant's token, sent as `Authorization: Bearer …`.
    token: Option<&'a str>,
    /// The token of an anonymous case's private link, sent as `Authorization: CaseLink …`.
    case_link: Option<&'a str>,
    /// A JSON body, already serialised.
    json: Option<String>,
    /// `Idempotency-Key`, for submissions.
    idempotency_key: Option<&'a str>,
    /// One more header, its name and value: `X-Upload-Token` (the owner token of anonymous
    /// uploads the answers refer to) or `If-Match` (the revision a builder's save was made from,
    /// `"3"`). One slot for both, so the applicants' app carries no code for the builder's.
    header: Option<(&'static str, &'a str)>,
    /// A file as the raw body (instead of `json`), sent with its own media type.
    file: Option<&'a web_sys::File>,
}

/// Sends a request to `path` (relative to [`API_BASE`]) with the browser's
/// `fetch` and returns the body of a 2xx answer as text; any other answer
/// becomes [`FetchError::Status`]. Not generic, so it is in the wasm once.
async fn send(method: &str, path: &str, extra: Extra<'_>) -> Result<String, FetchError> {
    let url = format!("{API_BASE}{path}");
    let result = fetch_text(method, &url, extra).await;
    if let Err(e) = &result {
        leptos::logging::warn!("{method} {url}: {e}");
    }
    result
}

async fn fetch_text(method: &str, url: &str, extra: Extra<'_>) -> Result<String, FetchError> {
    let response = fetch_response(method, url, extra).await?;
    // A body that cannot be read counts as empty: the status still tells what happened.
    Ok(match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    })
}

/// Sends the request; a 2xx answer is returned unread, any other becomes [`FetchError::Status`].
async fn fetch_response(method: &str, url: &str, extra: Extra<'_>) -> Result<web_sys::Response, FetchError> {
    let network = |_| FetchError::Network;
    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("Accept", "application/json").map_err(network)?;
    // The app's language, not the browser's: the server writes the applicant's e-mail in it.
    let language = if leptos::prelude::untrack(crate::common::i18n::is_en) { "en" } else { "sv" };
    headers.set("Accept-Language", language).map_err(network)?;
    if let Some(token) = extra.token {
        headers.set("Authorization", &format!("Bearer {token}")).map_err(network)?;
    } else if let Some(token) = extra.case_link {
        headers.set("Authorization", &format!("CaseLink {token}")).map_err(network)?;
    }
    if let Some(key) = extra.idempotency_key {
        headers.set("Idempotency-Key", key).map_err(network)?;
    }
    if let Some((name, value)) = extra.header {
        headers.set(name, value).map_err(network)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(json) = &extra.json {
        headers.set("Content-Type", "application/json").map_err(network)?;
        init.set_body(&JsValue::from_str(json));
    } else if let Some(file) = extra.file {
        let media_type = file.type_();
        let media_type = if media_type.is_empty() { "application/octet-stream".to_owned() } else { media_type };
        headers.set("Content-Type", &media_type).map_err(network)?;
        init.set_body(file);
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(network)?;
    let response: web_sys::Response =
        JsFuture::from(window().fetch_with_request(&request)).await.map_err(network)?.unchecked_into();
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Err(FetchError::Status { status, error: serde_json::from_str::<ApiError>(&text).ok() })
}

/// Sends `file` as the raw body of a request with the staff member's or applicant's token.
async fn send_file(method: &str, path: &str, token: &str, file: &web_sys::File) -> Result<String, FetchError> {
    send(method, path, Extra { file: Some(file), ..bearer(token) }).await
}

/// Downloads a file the API only gives with a Bearer token (`GET /api/v1{path}`)
/// and hands it to the browser to save as `name`.
pub async fn download(path: &str, token: &str, name: &str) -> Result<(), FetchError> {
    let url = format!("{API_BASE}{path}");
    let response = fetch_response("GET", &url, bearer(token)).await.inspect_err(|e| {
        leptos::logging::warn!("GET {url}: {e}");
    })?;
    let promise = response.blob().map_err(|_| FetchError::Decode)?;
    let blob: web_sys::Blob = JsFuture::from(promise).await.map_err(|_| FetchError::Network)?.unchecked_into();
    let object_url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| FetchError::Decode)?;
    let document = leptos::prelude::document();
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| FetchError::Decode)?.unchecked_into();
    link.set_href(&object_url);
    link.set_download(name);
    // The router leaves links with `download` to the browser.
    link.click();
    // Freed once the browser has surely taken the file.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&object_url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// Decodes a 2xx answer's JSON body as `T`.
fn decode<T: DeserializeOwned>(text: Result<String, FetchError>) -> Result<T, FetchError> {
    // The decoder's own words are not logged: formatting them would put serde_json's table of
    // error messages into every app, for a line in the console.
    serde_json::from_str(&text?).map_err(|_| {
        leptos::logging::warn!("unexpected answer: not the JSON this page expects");
        FetchError::Decode
    })
}

/// `body` as JSON for [`Extra::json`].
fn json<T: Serialize>(body: &T) -> Option<String> {
    serde_json::to_string(body).ok()
}

/// GETs `path` (relative to [`API_BASE`]) and decodes the JSON answer as `T`.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, FetchError> {
    decode(send("GET", path, Extra::default()).await)
}

/// `X-Upload-Token` with the owner token of anonymous uploads, if any.
fn upload_header(token: Option<&str>) -> Option<(&'static str, &str)> {
    token.map(|t| ("X-Upload-Token", t))
}

fn bearer(token: &str) -> Extra<'_> {
    Extra { token: Some(token), ..Extra::default() }
}

/// The published services (`GET /api/v1/catalogue`).
pub async fn catalogue() -> Result<Vec<CatalogueEntry>, FetchError> {
    get_json("/catalogue").await
}

/// One published service with its form (`GET /api/v1/catalogue/{slug}`).
///
/// The slug comes from the address bar, so anything that cannot be a slug
/// (lowercase letters, digits and `-`) is answered as "not found" without
/// asking the server; it can then never change the API path.
pub async fn service(slug: String) -> Result<CatalogueService, FetchError> {
    if !is_slug(&slug) {
        return Err(FetchError::Status { status: 404, error: None });
    }
    get_json(&format!("/catalogue/{slug}")).await
}

/// Starts a BankID login for the animated QR code (`POST /api/v1/auth/bankid`).
pub async fn start_bankid_login() -> Result<BankIdLoginStarted, FetchError> {
    let body = json(&BankIdLoginRequest { same_device: false });
    decode(send("POST", "/auth/bankid", Extra { json: body, ..Extra::default() }).await)
}

/// Where a BankID login is, with this second's QR code (`GET /api/v1/auth/bankid/{login_id}`).
pub async fn poll_bankid_login(login_id: &str) -> Result<BankIdLoginProgress, FetchError> {
    decode(send("GET", &format!("/auth/bankid/{}", path_segment(login_id)), Extra::default()).await)
}

/// Cancels a BankID login (`DELETE /api/v1/auth/bankid/{login_id}`).
pub async fn cancel_bankid_login(login_id: &str) -> Result<(), FetchError> {
    send("DELETE", &format!("/auth/bankid/{}", path_segment(login_id)), Extra::default()).await.map(drop)
}

/// Exchanges the one-time ticket of an OIDC login for a token (`POST /api/v1/auth/oidc/ticket`).
pub async fn redeem_login_ticket(ticket: &str) -> Result<TokenResponse, FetchError> {
    let body = json(&shared::api::TicketRequest { ticket: ticket.to_string() });
    decode(send("POST", "/auth/oidc/ticket", Extra { json: body, ..Extra::default() }).await)
}

/// A fresh token for the same session (`POST /api/v1/auth/session/renew`).
pub async fn renew_session(token: &str) -> Result<TokenResponse, FetchError> {
    decode(send("POST", "/auth/session/renew", bearer(token)).await)
}

/// Ends the session on the server (`POST /api/v1/auth/session/logout`).
pub async fn end_session(token: &str) -> Result<(), FetchError> {
    send("POST", "/auth/session/logout", bearer(token)).await.map(drop)
}

/// The applicant's own data from the population register (`GET /api/v1/me/person`).
pub async fn personal_data(token: &str) -> Result<PersonalData, FetchError> {
    decode(send("GET", "/me/person", bearer(token)).await)
}

/// The applicant's submitted cases, newest first (`GET /api/v1/me/cases`).
pub async fn my_cases(token: &str) -> Result<Vec<ApplicantCase>, FetchError> {
    decode(send("GET", "/me/cases", bearer(token)).await)
}

/// The answers the service's form takes over from the applicant's newest case in it
/// (`GET /api/v1/me/previous-answers/{slug}`; 404 when there is none).
pub async fn previous_answers(token: &str, slug: &str) -> Result<PreviousAnswers, FetchError> {
    decode(send("GET", &format!("/me/previous-answers/{}", path_segment(slug)), bearer(token)).await)
}

/// The applicant's drafts (`GET /api/v1/me/drafts`).
pub async fn my_drafts(token: &str) -> Result<Vec<DraftSummary>, FetchError> {
    decode(send("GET", "/me/drafts", bearer(token)).await)
}

/// Starts a draft of a service (`POST /api/v1/catalogue/{slug}/drafts`).
pub async fn create_draft(token: &str, slug: &str, answers: &Answers) -> Result<DraftView, FetchError> {
    let body = json(&NewDraftRequest { answers: answers.clone() });
    let path = format!("/catalogue/{}/drafts", path_segment(slug));
    decode(send("POST", &path, Extra { json: body, ..bearer(token) }).await)
}

/// One draft, carried over to the current form version (`GET /api/v1/me/drafts/{id}`).
pub async fn draft(token: &str, id: &str) -> Result<DraftView, FetchError> {
    decode(send("GET", &format!("/me/drafts/{}", path_segment(id)), bearer(token)).await)
}

/// Saves a draft's answers (`PUT /api/v1/me/drafts/{id}`).
pub async fn save_draft(token: &str, id: &str, body: &SaveDraftRequest) -> Result<DraftView, FetchError> {
    let path = format!("/me/drafts/{}", path_segment(id));
    decode(send("PUT", &path, Extra { json: json(body), ..bearer(token) }).await)
}

/// Deletes a draft (`DELETE /api/v1/me/drafts/{id}`).
pub async fn delete_draft(token: &str, id: &str) -> Result<(), FetchError> {
    send("DELETE", &format!("/me/drafts/{}", path_segment(id)), bearer(token)).await.map(drop)
}

/// Submits a draft as a case (`POST /api/v1/me/drafts/{id}/submit`); a retry
/// with the same `key` returns the same case.
pub async fn submit_draft(
    token: &str,
    id: &str,
    key: &str,
    upload_token: Option<&str>,
) -> Result<ApplicantCase, FetchError> {
    let path = format!("/me/drafts/{}/submit", path_segment(id));
    decode(
        send("POST", &path, Extra { idempotency_key: Some(key), header: upload_header(upload_token), ..bearer(token) })
            .await,
    )
}

/// Submits answers as a case without a draft (`POST /api/v1/catalogue/{slug}/cases`),
/// with the applicant's token when logged in; a retry with the same `key` returns the same case.
pub async fn submit_case(
    token: Option<&str>,
    slug: &str,
    body: &SubmitCaseRequest,
    key: &str,
    upload_token: Option<&str>,
) -> Result<ApplicantCase, FetchError> {
    let path = format!("/catalogue/{}/cases", path_segment(slug));
    decode(
        send(
            "POST",
            &path,
            Extra {
                token,
                json: json(body),
                idempotency_key: Some(key),
                header: upload_header(upload_token),
                ..Extra::default()
            },
        )
        .await,
    )
}

/// Starts the applicant's BankID signature of their answers (`POST /api/v1/catalogue/{slug}/signings`),
/// for a service that requires signing; a retry with the same `key` is the same intent.
pub async fn start_signing(
    token: &str,
    slug: &str,
    body: &StartSigningRequest,
    key: &str,
    upload_token: Option<&str>,
) -> Result<SigningStarted, FetchError> {
    let path = format!("/catalogue/{}/signings", path_segment(slug));
    decode(
        send(
            "POST",
            &path,
            Extra {
                json: json(body),
                idempotency_key: Some(key),
                header: upload_header(upload_token),
                ..bearer(token)
            },
        )
        .await,
    )
}

/// Where a signature order is, with this second's QR code (`GET /api/v1/signings/{signing_id}`);
/// once complete, the case (the applicant's signature) or the request (a co-signer's).
pub async fn poll_signing(token: &str, signing_id: &str) -> Result<SigningProgress, FetchError> {
    decode(send("GET", &format!("/signings/{}", path_segment(signing_id)), bearer(token)).await)
}

/// Cancels a signature order (`DELETE /api/v1/signings/{signing_id}`).
pub async fn cancel_signing(token: &str, signing_id: &str) -> Result<(), FetchError> {
    send("DELETE", &format!("/signings/{}", path_segment(signing_id)), bearer(token)).await.map(drop)
}

/// Whether `s` has the shape of a service's URL name.
fn is_slug(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An id as one URL path segment, percent-encoded (RFC 3986: every byte but the unreserved
/// `A-Z a-z 0-9 - . _ ~`), so it stays the same id and can never change the API path: `/`, `?`
/// and `#` are encoded, nothing is dropped. A segment the browser's URL parser would remove (empty,
/// `.` or `..`, also when percent-encoded) cannot be sent as an id at all: it becomes `%00`,
/// which the server refuses as malformed (400), so the request never reaches another path.
fn path_segment(id: &str) -> String {
    if id.is_empty() || id.bytes().all(|b| b == b'.') && id.len() <= 2 {
        return "%00".to_owned();
    }
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_url_names_count_as_slugs() {
        assert!(is_slug("forskola-2"));
        for bad in ["", "..", "../admin", "a/b", "Bygglov", "å", "a?b", &"a".repeat(65)] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn an_id_is_percent_encoded_into_one_segment_and_never_loses_or_escapes_a_character() {
        assert_eq!(path_segment("HBG-2026-7KQ4-MX9C"), "HBG-2026-7KQ4-MX9C");
        assert_eq!(path_segment("../admin"), "..%2Fadmin");
        assert_eq!(path_segment("a?b#c d"), "a%3Fb%23c%20d");
        assert_eq!(path_segment("åä"), "%C3%A5%C3%A4");
        assert_eq!(path_segment("100%"), "100%25");
        for gone in ["", ".", ".."] {
            assert_eq!(path_segment(gone), "%00", "{gone:?} would be removed by the URL parser");
        }
        assert_eq!(path_segment("..."), "...", "three dots are an ordinary segment");
    }

    #[test]
    fn only_404_counts_as_not_found() {
        assert!(FetchError::Status { status: 404, error: None }.is_not_found());
        assert!(!FetchError::Status { status: 500, error: None }.is_not_found());
        assert!(!FetchError::Network.is_not_found());
    }

    #[test]
    fn ids_cannot_change_the_api_path() {
        assert_eq!(path_segment("5042e0ea-AB_9"), "5042e0ea-AB_9");
        assert_eq!(path_segment("../../admin?x=1#"), "..%2F..%2Fadmin%3Fx%3D1%23");
    }
}
