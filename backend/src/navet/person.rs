//! The typed [`Person`] as the population register knows them: name,
//! address, protection flags and relations. A protected person's address and
//! relations are dropped by [`Person::new`], and `Debug` of every type here
//! prints neither names, addresses, relations nor a full personnummer.

use std::fmt;

use shared::Personnummer;

use super::view::{AddressView, PersonView, RelationView};

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
}
