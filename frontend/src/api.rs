//! The one way the SPA talks to the backend: [`get_json`], a typed GET of a
//! same-origin `/api/v1` URL, and thin wrappers naming each endpoint.

use std::fmt;

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use shared::api::{ApiError, CatalogueEntry, CatalogueService};

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

/// GETs `path` (relative to [`API_BASE`]) and decodes the JSON answer as `T`.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, FetchError> {
    let url = format!("{API_BASE}{path}");
    let response = Request::get(&url).header("Accept", "application/json").send().await.map_err(|e| {
        leptos::logging::warn!("GET {url}: {e}");
        FetchError::Network
    })?;
    if response.ok() {
        response.json::<T>().await.map_err(|e| {
            leptos::logging::warn!("GET {url}: {e}");
            FetchError::Decode
        })
    } else {
        let status = response.status();
        let error = response.json::<ApiError>().await.ok();
        let failure = FetchError::Status { status, error };
        leptos::logging::warn!("GET {url}: {failure}");
        Err(failure)
    }
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

/// Whether `s` has the shape of a service's URL name.
fn is_slug(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
}
