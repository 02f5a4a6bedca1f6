//! What the population register (Navet) tells about a person: address and relations.

use serde::{Deserialize, Serialize};

/// A postal address from the population register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PostalAddress {
    /// c/o line, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_of: Option<String>,
    /// Street address.
    pub street: String,
    /// Postal code, e.g. `252 21`.
    pub postal_code: String,
    /// City.
    pub city: String,
}

/// A person related to the applicant (e.g. a child in their custody).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RelatedPerson {
    /// Personnummer, 12 digits.
    pub personnummer: String,
    /// Name.
    pub name: String,
}

/// The logged-in applicant's own data from the population register (Navet),
/// for the personal data step. For a person with sekretessmarkering or
/// skyddad folkbokföring only `personnummer` and `protected: true` are
/// given: no name, address or relations, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PersonalData {
    /// The applicant's personnummer (12 digits), as logged in.
    pub personnummer: String,
    /// True when the person's data is protected; the app then offers a contact route instead.
    pub protected: bool,
    /// First name(s), unless protected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Surname, unless protected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Registered address, unless protected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<PostalAddress>,
    /// Children in the applicant's custody, unless protected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<RelatedPerson>,
    /// False when the register had no record of the person.
    pub found_in_register: bool,
}
