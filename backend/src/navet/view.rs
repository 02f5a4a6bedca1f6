//! The person as the API shows it to themself ([`PersonView`]): a protected
//! person's view has `protected: true`, no address and no relations.

use std::fmt;

use serde::Serialize;
use shared::Personnummer;

use super::person::{Address, Relation, RelationKind};

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

/// What the applicant is shown of themself and what prefills their answers: for a protected
/// identity only the personnummer and `protected: true`, never a name, address or relation.
pub fn personal_data(personnummer: &Personnummer, person: Option<&super::Person>) -> shared::api::PersonalData {
    use shared::api::{PersonalData, PostalAddress, RelatedPerson};
    let personnummer = personnummer.as_digits();
    match person {
        None => PersonalData {
            personnummer,
            protected: false,
            given_name: None,
            surname: None,
            address: None,
            children: Vec::new(),
            found_in_register: false,
        },
        Some(p) if p.is_protected() => PersonalData {
            personnummer,
            protected: true,
            given_name: None,
            surname: None,
            address: None,
            children: Vec::new(),
            found_in_register: true,
        },
        Some(p) => {
            let name = p.name();
            let display =
                |n: &crate::navet::Name| format!("{} {}", n.tilltalsnamn.as_ref().unwrap_or(&n.given_names), n.surname);
            PersonalData {
                personnummer,
                protected: false,
                given_name: Some(name.tilltalsnamn.clone().unwrap_or_else(|| name.given_names.clone())),
                surname: Some(name.surname.clone()),
                address: p.address().map(|a| PostalAddress {
                    care_of: a.care_of.clone(),
                    street: match &a.additional_line {
                        Some(extra) => format!("{extra}, {}", a.street),
                        None => a.street.clone(),
                    },
                    postal_code: a.postal_code.clone(),
                    city: a.city.clone(),
                }),
                children: p
                    .relations()
                    .iter()
                    .filter(|r| r.kind == RelationKind::Child)
                    .filter_map(|r| {
                        Some(RelatedPerson {
                            personnummer: r.personnummer.as_ref()?.as_digits(),
                            name: r.name.as_ref().map(display).unwrap_or_default(),
                        })
                    })
                    .collect(),
                found_in_register: true,
            }
        }
    }
}
