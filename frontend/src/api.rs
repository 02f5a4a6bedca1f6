//! The one way the SPA talks to the backend: [`send`], a typed request to a
//! same-origin `/api/v1` URL (JSON in and out, optionally with the
//! applicant's Bearer token), and thin wrappers naming each endpoint.

use std::fmt;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::api::{
    ApiError, BankIdLoginProgress, BankIdLoginRequest, BankIdLoginStarted, CatalogueEntry, CatalogueService,
    PersonalData, TokenResponse,
};

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

    /// The API's stable error code (e.g. `bankid_already_in_progress`), if it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            FetchError::Status { error: Some(e), .. } => Some(e.code.as_str()),
            _ => None,
        }
    }

    /// What to tell the user, in Swedish.
    pub fn user_message(&self) -> String {
        match self {
            FetchError::Network => "Vi fick ingen kontakt med servern. Kontrollera din \
                                    internetanslutning och försök igen."
                .to_owned(),
            FetchError::Status { status, .. } if *status >= 500 => {
                "Tjänsten fungerar inte som den ska just nu. Försök igen om en stund.".to_owned()
            }
            FetchError::Status { status, .. } => {
                format!("Något gick fel när sidan skulle hämtas (felkod {status}). Försök igen.")
            }
            FetchError::Decode => "Svaret från servern gick inte att läsa. Försök igen om en stund.".to_owned(),
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network => write!(f, "network error"),
            FetchError::Status { status, error: Some(e) } => {
                write!(f, "HTTP {status}: {} ({})", e.message, e.code)
            }
            FetchError::Status { status, error: None } => write!(f, "HTTP {status}"),
            FetchError::Decode => write!(f, "unexpected response body"),
        }
    }
}

impl std::error::Error for FetchError {}

/// Sends a request to `path` (relative to [`API_BASE`]) with an optional JSON
/// body and Bearer token; any non-2xx answer becomes [`FetchError::Status`].
async fn send(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&(dyn ErasedBody + '_)>,
) -> Result<Response, FetchError> {
    let url = format!("{API_BASE}{path}");
    let mut builder: RequestBuilder = match method {
        "POST" => Request::post(&url),
        "DELETE" => Request::delete(&url),
        _ => Request::get(&url),
    }
    .header("Accept", "application/json");
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => body.attach(builder),
        None => builder.build(),
    }
    .map_err(|e| {
        leptos::logging::warn!("{method} {url}: {e}");
        FetchError::Network
    })?;
    let response = request.send().await.map_err(|e| {
        leptos::logging::warn!("{method} {url}: {e}");
        FetchError::Network
    })?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let error = response.json::<ApiError>().await.ok();
    let failure = FetchError::Status { status, error };
    leptos::logging::warn!("{method} {url}: {failure}");
    Err(failure)
}

/// A JSON request body without making [`send`] generic (one copy of it in the wasm).
trait ErasedBody {
    fn attach(&self, builder: RequestBuilder) -> Result<Request, gloo_net::Error>;
}

impl<T: Serialize> ErasedBody for T {
    fn attach(&self, builder: RequestBuilder) -> Result<Request, gloo_net::Error> {
        builder.json(self)
    }
}

/// Decodes a 2xx answer's JSON body as `T`.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, FetchError> {
    response.json::<T>().await.map_err(|e| {
        leptos::logging::warn!("{}: {e}", response.url());
        FetchError::Decode
    })
}

/// GETs `path` (relative to [`API_BASE`]) and decodes the JSON answer as `T`.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, FetchError> {
    decode(send("GET", path, None, None).await?).await
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
    decode(send("POST", "/auth/bankid", None, Some(&BankIdLoginRequest { same_device: false })).await?).await
}

/// Where a BankID login is, with this second's QR code (`GET /api/v1/auth/bankid/{login_id}`).
pub async fn poll_bankid_login(login_id: &str) -> Result<BankIdLoginProgress, FetchError> {
    decode(send("GET", &format!("/auth/bankid/{}", path_segment(login_id)), None, None).await?).await
}

/// Cancels a BankID login (`DELETE /api/v1/auth/bankid/{login_id}`).
pub async fn cancel_bankid_login(login_id: &str) -> Result<(), FetchError> {
    send("DELETE", &format!("/auth/bankid/{}", path_segment(login_id)), None, None).await.map(drop)
}

/// Exchanges the one-time ticket of an OIDC login for a token (`POST /api/v1/auth/oidc/ticket`).
pub async fn redeem_login_ticket(ticket: &str) -> Result<TokenResponse, FetchError> {
    let body = shared::api::TicketRequest { ticket: ticket.to_string() };
    decode(send("POST", "/auth/oidc/ticket", None, Some(&body)).await?).await
}

/// A fresh token for the same session (`POST /api/v1/auth/session/renew`).
pub async fn renew_session(token: &str) -> Result<TokenResponse, FetchError> {
    decode(send("POST", "/auth/session/renew", Some(token), None).await?).await
}

/// Ends the session on the server (`POST /api/v1/auth/session/logout`).
pub async fn end_session(token: &str) -> Result<(), FetchError> {
    send("POST", "/auth/session/logout", Some(token), None).await.map(drop)
}

/// The applicant's own data from the population register (`GET /api/v1/me/person`).
pub async fn personal_data(token: &str) -> Result<PersonalData, FetchError> {
    decode(send("GET", "/me/person", Some(token), None).await?).await
}

/// Whether `s` has the shape of a service's URL name.
fn is_slug(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An id from the server as one URL path segment: anything but ASCII letters,
/// digits, `-` and `_` is dropped, so it can never change the API path.
fn path_segment(id: &str) -> String {
    id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
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
    fn only_404_counts_as_not_found() {
        assert!(FetchError::Status { status: 404, error: None }.is_not_found());
        assert!(!FetchError::Status { status: 500, error: None }.is_not_found());
        assert!(!FetchError::Network.is_not_found());
    }

    #[test]
    fn ids_cannot_change_the_api_path() {
        assert_eq!(path_segment("5042e0ea-AB_9"), "5042e0ea-AB_9");
        assert_eq!(path_segment("../../admin?x=1#"), "adminx1");
    }
}
