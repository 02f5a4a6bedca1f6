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
pub mod simulator;
mod xml;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use shared::Personnummer;

pub use async_trait::async_trait;

use crate::config::IntegrationMode;

/// A person as the population register knows them.
///
/// Fields are private: a protected person's address and relations are
/// dropped by [`Person::new`], and the accessors cannot hand them out.
#[derive(Clone, PartialEq, Eq)]
pub struct Person {
    personnummer: Personnummer,
    name: Name,
    address: Option<Address>,
    protection: Protection,
    relations: Vec<Relation>,
}

/// A person's name as registered.
#[derive(Clone, PartialEq, Eq)]
pub struct Name {
    /// All given names (förnamn), space separated as registered.
    pub given_names: String,
    /// Middle name (mellannamn), when registered.
    pub middle_name: Option<String>,
    /// Surname (efternamn).
    pub surname: String,
    /// The given name the person is called by (tilltalsnamn), when marked.
    pub tilltalsnamn: Option<String>,
}

/// The registered address (folkbokföringsadress).
#[derive(Clone, PartialEq, Eq)]
pub struct Address {
    /// `c/o` line.
    pub care_of: Option<String>,
    /// The street address (Navet's `Utdelningsadress2`, or `Utdelningsadress1` when that is the only line).
    pub street: String,
    /// An extra address line (Navet's `Utdelningsadress1` when `Utdelningsadress2` is the street).
    pub additional_line: Option<String>,
    /// Postal code, five digits as registered.
    pub postal_code: String,
    /// Postal town (postort).
    pub city: String,
}

/// Protection flags of a person's identity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Protection {
    /// `Sekretessmarkering = J`: the person's data is confidential.
    pub sekretessmarkering: bool,
    /// `SkyddadFolkbokforing = J`: the person is registered at another place than where they live.
    pub skyddad_folkbokforing: bool,
}

impl Protection {
    /// True when either flag is set.
    pub fn is_protected(&self) -> bool {
        self.sekretessmarkering || self.skyddad_folkbokforing
    }
}

/// What a related person is to the person looked up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RelationKind {
    /// A custodian (vårdnadshavare) of the person.
    Guardian,
    /// A child of the person.
    Child,
    /// Husband or wife (make/maka).
    Spouse,
    /// Registered partner.
    RegisteredPartner,
    /// Any other relation, with Navet's code.
    Other(String),
}

impl RelationKind {
    /// The kind for a Navet relation code (see `client` for the assumed codes).
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "V" => Self::Guardian,
            "B" => Self::Child,
            "M" => Self::Spouse,
            "P" => Self::RegisteredPartner,
            other => Self::Other(other.to_string()),
        }
    }

    /// The Navet code of this kind.
    pub fn code(&self) -> &str {
        match self {
            Self::Guardian => "V",
            Self::Child => "B",
            Self::Spouse => "M",
            Self::RegisteredPartner => "P",
            Self::Other(code) => code,
        }
    }
}

/// A relation of a person to another person.
#[derive(Clone, PartialEq, Eq)]
pub struct Relation {
    /// What the other person is to this one.
    pub kind: RelationKind,
    /// The other person's number; absent when they have none (e.g. a guardian abroad).
    pub personnummer: Option<Personnummer>,
    /// The other person's name, when the register gives it.
    pub name: Option<Name>,
}

impl Person {
    /// Makes a person. When either protection flag is set, `address` and
    /// `relations` are dropped here and never stored.
    pub fn new(
        personnummer: Personnummer,
        name: Name,
        address: Option<Address>,
        protection: Protection,
        relations: Vec<Relation>,
    ) -> Self {
        let (address, relations) = if protection.is_protected() { (None, Vec::new()) } else { (address, relations) };
        Self { personnummer, name, address, protection, relations }
    }

    /// The person's personnummer or samordningsnummer.
    pub fn personnummer(&self) -> &Personnummer {
        &self.personnummer
    }

    /// The registered name.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// The protection flags.
    pub fn protection(&self) -> Protection {
        self.protection
    }

    /// True when the person has sekretessmarkering or skyddad folkbokföring.
    pub fn is_protected(&self) -> bool {
        self.protection.is_protected()
    }

    /// The registered address; always `None` for a protected person.
    pub fn address(&self) -> Option<&Address> {
        self.address.as_ref()
    }

    /// Relations (guardians, children, spouse, …); always empty for a protected person.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    /// The person's custodians (vårdnadshavare) with a personnummer, e.g. to
    /// find the second guardian who must co-sign a child's application.
    pub fn guardians(&self) -> impl Iterator<Item = &Personnummer> {
        self.relations_of(RelationKind::Guardian)
    }

    /// The person's children with a personnummer.
    pub fn children(&self) -> impl Iterator<Item = &Personnummer> {
        self.relations_of(RelationKind::Child)
    }

    fn relations_of(&self, kind: RelationKind) -> impl Iterator<Item = &Personnummer> {
        self.relations.iter().filter(move |r| r.kind == kind).filter_map(|r| r.personnummer.as_ref())
    }

    /// What may be shown to the person themself (and prefilled in a form):
    /// name and number always, address and relations only when unprotected.
    pub fn for_display(&self) -> PersonView {
        let protected = self.is_protected();
        PersonView {
            personnummer: self.personnummer.as_digits(),
            given_names: self.name.given_names.clone(),
            middle_name: self.name.middle_name.clone(),
            surname: self.name.surname.clone(),
            tilltalsnamn: self.name.tilltalsnamn.clone(),
            protected,
            address: if protected { None } else { self.address.as_ref().map(AddressView::from) },
            relations: if protected { Vec::new() } else { self.relations.iter().map(RelationView::from).collect() },
        }
    }
}

impl fmt::Debug for Person {
    // Debug ends up in logs: the birth year of the number, the flags and counts only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Person")
            .field("personnummer", &self.personnummer)
            .field("protection", &self.protection)
            .field("has_address", &self.address.is_some())
            .field("relations", &self.relations.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Name { .. }")
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Address { .. }")
    }
}

impl fmt::Debug for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Relation").field("kind", &self.kind).field("personnummer", &self.personnummer).finish()
    }
}

/// The person as the API shows it to themself: a protected person's view has
/// `protected: true`, no address and no relations.
#[derive(Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonView {
    /// 12 digits.
    pub personnummer: String,
    /// All given names.
    pub given_names: String,
    /// Middle name.
    pub middle_name: Option<String>,
    /// Surname.
    pub surname: String,
    /// The given name the person is called by.
    pub tilltalsnamn: Option<String>,
    /// Sekretessmarkering or skyddad folkbokföring: no address or relations are given.
    pub protected: bool,
    /// The registered address (never for a protected person).
    pub address: Option<AddressView>,
    /// Guardians, children, spouse (never for a protected person).
    pub relations: Vec<RelationView>,
}

/// An address in a [`PersonView`].
#[derive(Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AddressView {
    /// `c/o` line.
    pub care_of: Option<String>,
    /// Street address.
    pub street: String,
    /// Extra address line.
    pub additional_line: Option<String>,
    /// Postal code (five digits).
    pub postal_code: String,
    /// Postal town.
    pub city: String,
}

impl From<&Address> for AddressView {
    fn from(a: &Address) -> Self {
        Self {
            care_of: a.care_of.clone(),
            street: a.street.clone(),
            additional_line: a.additional_line.clone(),
            postal_code: a.postal_code.clone(),
            city: a.city.clone(),
        }
    }
}

/// The kind of a relation in a [`PersonView`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelationKindView {
    /// Vårdnadshavare.
    Guardian,
    /// Barn.
    Child,
    /// Make/maka.
    Spouse,
    /// Registrerad partner.
    RegisteredPartner,
    /// Another relation.
    Other,
}

/// A relation in a [`PersonView`].
#[derive(Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RelationView {
    /// What the other person is to this one.
    pub kind: RelationKindView,
    /// The other person's number (12 digits), when they have one.
    pub personnummer: Option<String>,
    /// The other person's given names and surname, when known.
    pub name: Option<String>,
}

impl From<&Relation> for RelationView {
    fn from(r: &Relation) -> Self {
        let kind = match r.kind {
            RelationKind::Guardian => RelationKindView::Guardian,
            RelationKind::Child => RelationKindView::Child,
            RelationKind::Spouse => RelationKindView::Spouse,
            RelationKind::RegisteredPartner => RelationKindView::RegisteredPartner,
            RelationKind::Other(_) => RelationKindView::Other,
        };
        Self {
            kind,
            personnummer: r.personnummer.as_ref().map(Personnummer::as_digits),
            name: r.name.as_ref().map(|n| format!("{} {}", n.given_names, n.surname).trim().to_string()),
        }
    }
}

impl fmt::Debug for PersonView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonView")
            .field("protected", &self.protected)
            .field("has_address", &self.address.is_some())
            .field("relations", &self.relations.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for AddressView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AddressView { .. }")
    }
}

impl fmt::Debug for RelationView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelationView").field("kind", &self.kind).finish_non_exhaustive()
    }
}

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

    fn name() -> Name {
        Name {
            given_names: "Testa Maria".into(),
            middle_name: None,
            surname: "Exempelsson".into(),
            tilltalsnamn: Some("Testa".into()),
        }
    }

    fn address() -> Address {
        Address {
            care_of: None,
            street: "PROVGATAN 12".into(),
            additional_line: None,
            postal_code: "99991".into(),
            city: "TESTSTAD".into(),
        }
    }

    fn relation() -> Relation {
        Relation {
            kind: RelationKind::Child,
            personnummer: Some(Personnummer::parse("201505012391").unwrap()),
            name: Some(name()),
        }
    }

    fn person(protection: Protection) -> Person {
        Person::new(Personnummer::parse("197803012389").unwrap(), name(), Some(address()), protection, vec![relation()])
    }

    #[test]
    fn either_flag_makes_a_person_protected() {
        assert!(!Protection::default().is_protected());
        assert!(Protection { sekretessmarkering: true, skyddad_folkbokforing: false }.is_protected());
        assert!(Protection { sekretessmarkering: false, skyddad_folkbokforing: true }.is_protected());
    }

    #[test]
    fn a_protected_person_never_holds_an_address_or_relations() {
        for protection in [
            Protection { sekretessmarkering: true, skyddad_folkbokforing: false },
            Protection { sekretessmarkering: false, skyddad_folkbokforing: true },
        ] {
            let p = person(protection);
            assert!(p.is_protected());
            assert!(p.address().is_none());
            assert!(p.relations().is_empty());
            let view = p.for_display();
            assert!(view.protected && view.address.is_none() && view.relations.is_empty());
            let json = serde_json::to_string(&view).unwrap();
            assert!(!json.contains("PROVGATAN") && !json.contains("201505012391"), "{json}");
        }
    }

    #[test]
    fn an_unprotected_person_shows_address_and_relations() {
        let view = person(Protection::default()).for_display();
        assert!(!view.protected);
        assert_eq!(view.address.as_ref().map(|a| a.city.as_str()), Some("TESTSTAD"));
        assert_eq!(view.relations.len(), 1);
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["relations"][0]["kind"], "child");
        assert_eq!(json["relations"][0]["personnummer"], "201505012391");
        assert_eq!(json["personnummer"], "197803012389");
    }

    #[test]
    fn debug_output_holds_no_name_address_relation_or_full_number() {
        for p in [person(Protection::default()), person(Protection { sekretessmarkering: true, ..Default::default() })]
        {
            for dbg in [format!("{p:?}"), format!("{p:#?}"), format!("{:?}", p.for_display())] {
                for secret in ["Testa", "Exempelsson", "PROVGATAN", "TESTSTAD", "99991", "0301", "20150501"] {
                    assert!(!dbg.contains(secret), "{secret} in {dbg}");
                }
            }
        }
    }

    #[test]
    fn guardians_and_children_are_found_by_kind() {
        let p = person(Protection::default());
        assert_eq!(p.children().count(), 1);
        assert_eq!(p.guardians().count(), 0);
    }

    #[test]
    fn relation_codes_round_trip_and_unknown_codes_are_kept() {
        for code in ["V", "B", "M", "P", "XY"] {
            assert_eq!(RelationKind::from_code(code).code(), code);
        }
        assert_eq!(RelationKind::from_code("XY"), RelationKind::Other("XY".into()));
    }

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
