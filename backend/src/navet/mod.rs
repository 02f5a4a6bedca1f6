//! Navet, Skatteverket's population register for public bodies: the typed
//! [`Person`], the [`PopulationRegister`] trait, the production SOAP client
//! ([`client::NavetClient`], service "Folkbokföringsuppgifter för offentliga
//! aktörer", operation `personpostXML` V2, mutual TLS with the organisation
//! certificate) and a loopback simulator that speaks the same protocol
//! ([`simulator::NavetSimulator`]) with Skatteverket's test persons only.
//!
//! # Protected identities
//!
//! A person with `Sekretessmarkering` or `SkyddadFolkbokforing` must never
//! have an address or relations prefilled, shown, stored, e-mailed or
//! exported. [`Person::new`] therefore drops both the moment a protected
//! record enters the system: nothing downstream can leak what it never holds.
//! `Debug` of every type here prints neither names, addresses, relations nor a
//! full personnummer, so a stray `{:?}` in a log line is harmless.
//!
//! # Intended use
//!
//! `GET /api/v1/me/person` (`routes/me/get_my_personal_data.rs`) looks the
//! applicant up with `state.population_register.lookup(..)` and answers only
//! `protected: true` for a protected person, the name, address and children
//! otherwise, and `found_in_register: false` when the register does not know
//! the number.
//!
//! A [`NavetError`] is a failure of the register (unreachable, TLS refused,
//! SOAP fault, malformed answer): answer 502/503 and log it; its `Display`
//! never contains a full personnummer.
//!
//! A test double implements the trait with `#[backend::navet::async_trait]`
//! (re-exported from `sea-orm-migration`) and builds persons with
//! [`Person::new`]; the simulator's numbers by shape are in
//! [`simulator::fixtures`].

pub mod client;
mod person;
pub mod simulator;
mod view;
mod xml;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use shared::Personnummer;

pub use async_trait::async_trait;

use crate::config::IntegrationMode;

pub use person::{Address, Name, Person, Protection, Relation, RelationKind};
pub use view::{AddressView, PersonView, RelationKindView, RelationView, personal_data};

/// Why the register could not answer. `Display` never contains a full
/// personnummer, an address or a name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NavetError {
    /// The register is turned off by configuration.
    #[error("the population register is turned off (navet.mode = \"off\")")]
    Disabled,
    /// Configuration or TLS material is missing or unusable.
    #[error("Navet configuration: {0}")]
    Config(String),
    /// The call timed out.
    #[error("Navet did not answer in time")]
    Timeout,
    /// The connection failed (refused, TLS handshake refused, reset).
    #[error("cannot reach Navet: {0}")]
    Transport(String),
    /// An HTTP status without a SOAP fault.
    #[error("Navet answered HTTP {0} without a SOAP fault")]
    Http(u16),
    /// A SOAP fault other than "no such person".
    #[error("Navet SOAP fault {faultcode} (Felkod {}): {description}", felkod.as_deref().unwrap_or("-"))]
    Fault {
        /// SOAP `faultcode`, e.g. `S:Client`.
        faultcode: String,
        /// Skatteverket's `Felkod` from the fault detail.
        felkod: Option<String>,
        /// `Beskrivning` or `faultstring`, with anything that looks like a personnummer removed.
        description: String,
    },
    /// The answer could not be read as a Navet answer.
    #[error("malformed Navet answer: {0}")]
    Malformed(String),
}

/// The population register: Navet in production, its simulator in
/// development and tests.
#[async_trait]
pub trait PopulationRegister: Send + Sync {
    /// Looks a person up by personnummer or samordningsnummer. `Ok(None)`
    /// when the register does not know the number.
    async fn lookup(&self, personnummer: &Personnummer) -> Result<Option<Person>, NavetError>;
}

/// `[navet]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct NavetSettings {
    /// `simulator` (default: an in-process simulator with Skatteverket's test
    /// persons, over real mutual TLS), `production` or `off`.
    pub mode: IntegrationMode,
    /// The `personpostXML` V2 endpoint (production mode).
    pub url: String,
    /// The organisation's number as registered with Skatteverket (`OrgNr`, 10 or 12 digits).
    pub organisation_number: String,
    /// The order identity (beställningsidentitet, `BestallningsId`) from the agreement with Skatteverket.
    pub order_identity: String,
    /// PEM file with the organisation certificate (and chain).
    pub client_cert: Option<PathBuf>,
    /// PEM file with the organisation certificate's private key.
    pub client_key: Option<PathBuf>,
    /// PEM file with the CA Navet's server certificate must chain to.
    pub server_ca: Option<PathBuf>,
    /// Timeout of one call, in seconds.
    pub timeout_seconds: u64,
}

/// Placeholder organisation number of the default configuration; accepted by the simulator only.
pub const PLACEHOLDER_ORGANISATION_NUMBER: &str = "000000000000";
/// Placeholder order identity of the default configuration; accepted by the simulator only.
pub const PLACEHOLDER_ORDER_IDENTITY: &str = "00000000-FO01-0001";

impl Default for NavetSettings {
    fn default() -> Self {
        Self {
            mode: IntegrationMode::Simulator,
            url: String::new(),
            organisation_number: PLACEHOLDER_ORGANISATION_NUMBER.into(),
            order_identity: PLACEHOLDER_ORDER_IDENTITY.into(),
            client_cert: None,
            client_key: None,
            server_ca: None,
            timeout_seconds: 10,
        }
    }
}

/// A register that is turned off.
struct DisabledRegister;

#[async_trait]
impl PopulationRegister for DisabledRegister {
    async fn lookup(&self, _: &Personnummer) -> Result<Option<Person>, NavetError> {
        Err(NavetError::Disabled)
    }
}

/// The production client talking to an in-process simulator; the simulator
/// stops when this is dropped.
struct SimulatedRegister {
    client: client::NavetClient,
    _simulator: simulator::NavetSimulator,
}

#[async_trait]
impl PopulationRegister for SimulatedRegister {
    async fn lookup(&self, personnummer: &Personnummer) -> Result<Option<Person>, NavetError> {
        self.client.lookup(personnummer).await
    }
}

/// The register the configuration asks for. In simulator mode this starts
/// the simulator on 127.0.0.1 with a fresh throw-away PKI and points the real
/// client at it (a few milliseconds); it must run inside a tokio runtime.
pub fn from_settings(settings: &NavetSettings) -> Result<Arc<dyn PopulationRegister>, NavetError> {
    match settings.mode {
        IntegrationMode::Off => Ok(Arc::new(DisabledRegister)),
        IntegrationMode::Production => Ok(Arc::new(client::NavetClient::from_settings(settings)?)),
        IntegrationMode::Simulator => {
            let pki = crate::eid::tls::TestPki::generate("navet-simulator-client")
                .map_err(|e| NavetError::Config(e.to_string()))?;
            let simulator = simulator::NavetSimulator::start(&pki)?;
            let tls = pki.client_config().map_err(|e| NavetError::Config(e.to_string()))?;
            let client = client::NavetClient::new(
                client::NavetClientConfig {
                    url: simulator.url().to_string(),
                    organisation_number: settings.organisation_number.clone(),
                    order_identity: settings.order_identity.clone(),
                    timeout: std::time::Duration::from_secs(settings.timeout_seconds.max(1)),
                },
                tls,
            )?;
            tracing::info!(url = %simulator.url(), "Navet simulator started (Skatteverket test persons only)");
            Ok(Arc::new(SimulatedRegister { client, _simulator: simulator }))
        }
    }
}

/// Replaces runs of 10 or more digits (with an optional `-`/`+` separator)
/// by `[number]`, so that text from Navet can be logged.
pub(crate) fn redact_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            let mut digits = 0;
            while i < chars.len() && (chars[i].is_ascii_digit() || (matches!(chars[i], '-' | '+') && digits > 0)) {
                if chars[i].is_ascii_digit() {
                    digits += 1;
                }
                i += 1;
            }
            if digits >= 10 {
                out.push_str("[number]");
            } else {
                out.extend(&chars[start..i]);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_redacted_from_text() {
        assert_eq!(redact_numbers("Personen 197803012389 saknas"), "Personen [number] saknas");
        assert_eq!(redact_numbers("Personen 19780301-2389 saknas"), "Personen [number] saknas");
        assert_eq!(redact_numbers("felkod 42, 780301-2389"), "felkod 42, [number]");
        assert_eq!(redact_numbers("år 2024"), "år 2024");
    }

    #[test]
    fn the_base_configuration_selects_the_simulator_with_placeholders() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config");
        let s = crate::config::Settings::load_from(&dir).unwrap().navet;
        assert_eq!(s.mode, IntegrationMode::Simulator);
        assert_eq!(s.organisation_number, PLACEHOLDER_ORGANISATION_NUMBER);
        assert_eq!(s.order_identity, PLACEHOLDER_ORDER_IDENTITY);
        assert_eq!(s.timeout_seconds, 10);
    }

    #[test]
    fn the_default_settings_use_the_simulator() {
        let s = NavetSettings::default();
        assert_eq!(s.mode, IntegrationMode::Simulator);
        assert!(s.timeout_seconds > 0);
    }
}
