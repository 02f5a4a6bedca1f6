//! The production Navet client: SOAP 1.1 over HTTPS with mutual TLS (the
//! organisation certificate), service "Folkbokföringsuppgifter för
//! offentliga aktörer", operation `personpostXML` V2.
//!
//! # The wire format, and what is assumed about it
//!
//! Skatteverket's WSDL/XSD ("Teknisk beskrivning Navet") cannot be fetched
//! from here. The names below follow published client code that talks to the
//! real service (request, response envelope, `Folkbokforingspost`,
//! `Personpost`, `Namn`, `Adresser/Folkbokforingsadress`, the fault detail's
//! `Felkod`/`Beskrivning`); the parts marked *assumed* could not be checked
//! and must be verified against the technical description before going live.
//!
//! Request (namespace `http://xmls.skatteverket.se/se/skatteverket/folkbokforing/na/epersondata/V1`):
//! ```xml
//! <v1:PersonpostRequest>
//!   <v1:Bestallning><v1:OrgNr>…</v1:OrgNr><v1:BestallningsId>…</v1:BestallningsId></v1:Bestallning>
//!   <v1:PersonId>YYYYMMDDNNNC</v1:PersonId>
//! </v1:PersonpostRequest>
//! ```
//! Answer: `PersonpostXMLResponse/Folkbokforingsposter/Folkbokforingspost*`, each
//! ```xml
//! <Folkbokforingspost>
//!   <Sekretessmarkering>J|N</Sekretessmarkering>          <!-- absent or empty = N -->
//!   <SkyddadFolkbokforing>J|N</SkyddadFolkbokforing>      <!-- absent or empty = N -->
//!   <Personpost>
//!     <PersonId><PersonNr>…</PersonNr></PersonId>
//!     <Namn><Tilltalsnamnsmarkering>10</Tilltalsnamnsmarkering><Fornamn/><Mellannamn/><Efternamn/></Namn>
//!     <Adresser><Folkbokforingsadress>
//!       <CareOf/><Utdelningsadress1/><Utdelningsadress2/><PostNr/><Postort/>
//!     </Folkbokforingsadress></Adresser>
//!     <Relationer><Relation>…</Relation></Relationer>        <!-- assumed, see below -->
//!   </Personpost>
//! </Folkbokforingspost>
//! ```
//! Elements are matched by local name, whatever their namespace prefix, and
//! unknown elements are ignored. Further assumptions:
//! - *Tilltalsnamn*: Navet marks it with `Tilltalsnamnsmarkering`, a position
//!   code over the given names split at spaces and hyphens (`10` = the first,
//!   `20` = the second, `12` = the first two joined, as in "Karl-Erik"). A
//!   literal `Tilltalsnamn` element, if present, wins.
//! - *Relations* (assumed): `Relationer/Relation` with `Relationstyp` (or `Typ`)
//!   and the other person in `RelationId/PersonNr` (or `PersonNr`) and
//!   `Namn/{Fornamn,Mellannamn,Efternamn}` (or those directly in `Relation`).
//!   Codes (assumed): `V` vårdnadshavare, `B` barn, `M` make/maka,
//!   `P` registrerad partner; other codes are kept as `RelationKind::Other`.
//! - The protection flags are read from `Folkbokforingspost` and, should they
//!   appear there, from `Personpost`; any value other than `N` or empty counts
//!   as protected (fail closed).
//! - *Unknown person* (assumed): either an answer without any
//!   `Folkbokforingspost`, or a SOAP fault whose `Felkod` is in
//!   [`NOT_FOUND_FELKODER`] — both are `Ok(None)`. Every other fault is a
//!   [`NavetError::Fault`].
//! - An answer for another number than the one asked for (e.g. a
//!   hänvisning to a new number) is treated as malformed, never shown.
//! - `SOAPAction` is sent empty (`""`), as for a document/literal service.

mod parse;

use std::time::Duration;

use shared::Personnummer;

use super::xml;
use super::{NavetError, NavetSettings, Person, PopulationRegister, async_trait};

use parse::pick;
pub use parse::tilltalsnamn;
pub(crate) use parse::{Answer, parse_response};

/// The request namespace of `personpostXML` V2.
pub const NAMESPACE: &str = "http://xmls.skatteverket.se/se/skatteverket/folkbokforing/na/epersondata/V1";
/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENVELOPE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// `Felkod` values that mean "no such person" (assumed; the simulator uses the first).
pub const NOT_FOUND_FELKODER: &[&str] = &["PERSON_SAKNAS"];
/// Largest answer accepted, in bytes.
const MAX_ANSWER_BYTES: usize = 1 << 20;

/// Where and as whom the client calls Navet.
#[derive(Debug, Clone)]
pub struct NavetClientConfig {
    /// The `personpostXML` V2 endpoint (https).
    pub url: String,
    /// `OrgNr`.
    pub organisation_number: String,
    /// `BestallningsId`.
    pub order_identity: String,
    /// Timeout of one call (the connect timeout is at most 5 s of it).
    pub timeout: Duration,
}

/// The production Navet client.
pub struct NavetClient {
    http: reqwest::Client,
    config: NavetClientConfig,
}

impl std::fmt::Debug for NavetClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NavetClient").field("url", &self.config.url).finish_non_exhaustive()
    }
}

impl NavetClient {
    /// A client presenting the certificate in `tls` (a rustls configuration with
    /// the `ring` provider, e.g. from [`crate::eid::tls::client_config`]).
    pub fn new(config: NavetClientConfig, tls: rustls::ClientConfig) -> Result<Self, NavetError> {
        if !config.url.starts_with("https://") {
            return Err(NavetError::Config("navet.url must be an https:// URL".into()));
        }
        if config.organisation_number.trim().is_empty() || config.order_identity.trim().is_empty() {
            return Err(NavetError::Config("navet.organisation_number and navet.order_identity are required".into()));
        }
        // Idle pooled connections are dropped after 2 s, before a server's keep-alive
        // (actix: 5 s) closes them under a request ("connection closed before message completed").
        let http = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(2))
            .tls_backend_preconfigured(tls)
            .https_only(true)
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(5)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| NavetError::Config(format!("HTTP client: {e}")))?;
        Ok(Self { http, config })
    }

    /// The production client from `[navet]` settings: every key must be set,
    /// and the placeholders of the default configuration are refused.
    pub fn from_settings(s: &NavetSettings) -> Result<Self, NavetError> {
        let need = |v: &Option<std::path::PathBuf>, key: &str| {
            v.clone().ok_or_else(|| NavetError::Config(format!("navet.{key} is required in production mode")))
        };
        if s.url.trim().is_empty() {
            return Err(NavetError::Config("navet.url is required in production mode".into()));
        }
        let digits = s.organisation_number.chars().filter(char::is_ascii_digit).count();
        if s.organisation_number == super::PLACEHOLDER_ORGANISATION_NUMBER || !(digits == 10 || digits == 12) {
            return Err(NavetError::Config("navet.organisation_number must be the organisation's number".into()));
        }
        if s.order_identity == super::PLACEHOLDER_ORDER_IDENTITY || s.order_identity.trim().is_empty() {
            return Err(NavetError::Config(
                "navet.order_identity must be the beställningsidentitet from Skatteverket".into(),
            ));
        }
        let files = crate::eid::tls::ClientTlsFiles {
            client_cert: need(&s.client_cert, "client_cert")?,
            client_key: need(&s.client_key, "client_key")?,
            server_ca: need(&s.server_ca, "server_ca")?,
        };
        let tls = crate::eid::tls::client_config(&files).map_err(|e| NavetError::Config(e.to_string()))?;
        Self::new(
            NavetClientConfig {
                url: s.url.trim().to_string(),
                organisation_number: s.organisation_number.trim().to_string(),
                order_identity: s.order_identity.trim().to_string(),
                timeout: Duration::from_secs(s.timeout_seconds.max(1)),
            },
            tls,
        )
    }

    /// Looks a person up.
    pub async fn lookup(&self, personnummer: &Personnummer) -> Result<Option<Person>, NavetError> {
        let started = std::time::Instant::now();
        let result = self.call(personnummer).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(found) => tracing::debug!(
                personnummer = %personnummer.redacted(), found = found.is_some(), elapsed_ms, "Navet lookup"
            ),
            Err(e) => {
                tracing::warn!(personnummer = %personnummer.redacted(), error = %e, elapsed_ms, "Navet lookup failed")
            }
        }
        result
    }

    async fn call(&self, personnummer: &Personnummer) -> Result<Option<Person>, NavetError> {
        let body = request_envelope(&self.config.organisation_number, &self.config.order_identity, personnummer);
        let response = self
            .http
            .post(&self.config.url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", "\"\"")
            .body(body)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        if response.content_length().is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
            return Err(NavetError::Malformed("answer too large".into()));
        }
        let bytes = response.bytes().await.map_err(transport_error)?;
        if bytes.len() > MAX_ANSWER_BYTES {
            return Err(NavetError::Malformed("answer too large".into()));
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| NavetError::Malformed("answer is not UTF-8".into()));
        match text.and_then(parse_response) {
            Ok(Answer::Fault(fault)) => fault.into_result(),
            Ok(Answer::Posts(_)) if !status.is_success() => Err(NavetError::Http(status.as_u16())),
            Ok(Answer::Posts(posts)) => pick(posts, personnummer),
            Err(_) if !status.is_success() => Err(NavetError::Http(status.as_u16())),
            Err(e) => Err(e),
        }
    }
}

#[async_trait]
impl PopulationRegister for NavetClient {
    async fn lookup(&self, personnummer: &Personnummer) -> Result<Option<Person>, NavetError> {
        NavetClient::lookup(self, personnummer).await
    }
}

fn transport_error(e: reqwest::Error) -> NavetError {
    if e.is_timeout() {
        return NavetError::Timeout;
    }
    // The chain names the TLS alert or the refused connection; it never holds a personnummer.
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    NavetError::Transport(message)
}

/// The SOAP request for one person.
pub fn request_envelope(organisation_number: &str, order_identity: &str, personnummer: &Personnummer) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<soapenv:Envelope xmlns:soapenv="{env}" xmlns:v1="{ns}">"#,
            "<soapenv:Header/><soapenv:Body><v1:PersonpostRequest><v1:Bestallning>",
            "<v1:OrgNr>{org}</v1:OrgNr><v1:BestallningsId>{order}</v1:BestallningsId>",
            "</v1:Bestallning><v1:PersonId>{id}</v1:PersonId></v1:PersonpostRequest>",
            "</soapenv:Body></soapenv:Envelope>"
        ),
        env = SOAP_ENVELOPE,
        ns = NAMESPACE,
        org = xml::escape(organisation_number),
        order = xml::escape(order_identity),
        id = personnummer.as_digits(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_carries_order_and_number_escaped() {
        let pnr = Personnummer::parse("197803012389").unwrap();
        let xml = request_envelope("162021004748", "A&B<1>", &pnr);
        let root = xml::parse(&xml).unwrap();
        let req = root.at(&["Body", "PersonpostRequest"]).unwrap();
        assert_eq!(req.text_at(&["Bestallning", "OrgNr"]), Some("162021004748"));
        assert_eq!(req.text_at(&["Bestallning", "BestallningsId"]), Some("A&B<1>"));
        assert_eq!(req.text_at(&["PersonId"]), Some("197803012389"));
        assert!(xml.contains(NAMESPACE));
    }

    #[test]
    fn production_settings_refuse_placeholders_and_missing_files() {
        let mut s = NavetSettings { url: "https://navet.example".into(), ..NavetSettings::default() };
        assert!(
            matches!(NavetClient::from_settings(&s), Err(NavetError::Config(m)) if m.contains("organisation_number"))
        );
        s.organisation_number = "2120001132".into();
        assert!(matches!(NavetClient::from_settings(&s), Err(NavetError::Config(m)) if m.contains("order_identity")));
        s.order_identity = "00000236-FO01-0001".into();
        assert!(matches!(NavetClient::from_settings(&s), Err(NavetError::Config(m)) if m.contains("client_cert")));
        s.url = String::new();
        assert!(matches!(NavetClient::from_settings(&s), Err(NavetError::Config(m)) if m.contains("navet.url")));
    }
}
