//! Answers filled in before the applicant answers, declared per field in the definition: from
//! the logged-in person's data in the population register (names, address parts), from the e-ID
//! (the personnummer), or from the applicant's previous case in the service (for recurring
//! applications, after the applicant confirms). A prefilled answer is shown as such and can be
//! changed, unless the field is `locked`: then the server puts the register's value in place of
//! whatever is sent. A protected identity's register data is never used: the person's data holds
//! none of it, so nothing is filled in and nothing is locked.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::PersonalData;
use crate::form::{FieldKind, FormDefinition};
use crate::validate::Answers;

/// Where a field's answer comes from.
// `Deserialize` is written by hand (below, through `PrefillSource::ALL`): the derived readers of
// this and of `Prefill` were a large piece of the applicants' app. (Not a doc comment: that
// would change the OpenAPI description.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrefillSource {
    /// The given name (tilltalsnamn) from the population register.
    GivenName,
    /// The surname from the population register.
    Surname,
    /// Given name and surname.
    FullName,
    /// The registered street address.
    Street,
    /// The registered postnummer.
    Postnummer,
    /// The registered ort (city).
    Ort,
    /// The registered address, all three parts, into an address field.
    Address,
    /// The personnummer the applicant logged in with (from the e-ID).
    Personnummer,
    /// The same field's answer in the applicant's latest case in this service, when they confirm.
    PreviousCase,
}

/// A field's prefill: where from, and whether the applicant may change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Prefill {
    /// Where the answer comes from.
    pub from: PrefillSource,
    /// The applicant cannot change it (register and e-ID sources only); the server enforces it.
    #[serde(default)]
    pub locked: bool,
}

impl PrefillSource {
    /// Every source with its wire name (as serde writes it; a test keeps the two the same).
    pub const ALL: [(PrefillSource, &'static str); 9] = [
        (PrefillSource::GivenName, "given_name"),
        (PrefillSource::Surname, "surname"),
        (PrefillSource::FullName, "full_name"),
        (PrefillSource::Street, "street"),
        (PrefillSource::Postnummer, "postnummer"),
        (PrefillSource::Ort, "ort"),
        (PrefillSource::Address, "address"),
        (PrefillSource::Personnummer, "personnummer"),
        (PrefillSource::PreviousCase, "previous_case"),
    ];

    /// Whether a field of `kind` can take this source's value; `None` when it can, else why not.
    pub(crate) fn fits(self, kind: &FieldKind) -> Option<&'static str> {
        let text = matches!(kind, FieldKind::ShortText { .. } | FieldKind::LongText { .. });
        let ok = match self {
            PrefillSource::GivenName
            | PrefillSource::Surname
            | PrefillSource::FullName
            | PrefillSource::Street
            | PrefillSource::Ort => text,
            PrefillSource::Postnummer => text || matches!(kind, FieldKind::Postnummer),
            PrefillSource::Personnummer => matches!(kind, FieldKind::Personnummer { .. }),
            PrefillSource::Address => matches!(kind, FieldKind::Address),
            PrefillSource::PreviousCase => {
                kind.takes_answer() && !matches!(kind, FieldKind::File { .. } | FieldKind::Child)
            }
        };
        (!ok).then_some(match self {
            PrefillSource::Personnummer => "a personnummer is filled into a personnummer field",
            PrefillSource::Postnummer => "a postnummer is filled into a postnummer or text field",
            PrefillSource::Address => "an address is filled into an address field",
            PrefillSource::PreviousCase => "a previous case fills any field but files and a chosen child",
            _ => "a name or an address part is filled into a text field",
        })
    }

    /// The value from the person's data, if there is one (none for a protected identity but the
    /// personnummer, and none for [`PrefillSource::PreviousCase`]).
    pub fn value(self, person: &PersonalData) -> Option<Value> {
        let address = person.address.as_ref();
        let text = match self {
            PrefillSource::GivenName => person.given_name.clone(),
            PrefillSource::Surname => person.surname.clone(),
            PrefillSource::FullName => Some(format!("{} {}", person.given_name.as_ref()?, person.surname.as_ref()?)),
            PrefillSource::Street => address.map(|a| a.street.clone()),
            PrefillSource::Postnummer => address.map(|a| a.postal_code.clone()),
            PrefillSource::Ort => address.map(|a| a.city.clone()),
            PrefillSource::Personnummer => Some(person.personnummer.clone()),
            PrefillSource::PreviousCase => None,
            PrefillSource::Address => {
                let a = address.filter(|_| !person.protected)?;
                let mut parts = serde_json::Map::new();
                for (part, text) in [("street", &a.street), ("postnummer", &a.postal_code), ("ort", &a.city)] {
                    parts.insert(part.to_owned(), Value::String(text.clone()));
                }
                let value = Value::Object(parts);
                return crate::validate::has_answer(&FieldKind::Address, &value).then_some(value);
            }
        };
        text.filter(|t| !t.trim().is_empty() && (!person.protected || self == PrefillSource::Personnummer))
            .map(Value::String)
    }
}

impl<'de> Deserialize<'de> for PrefillSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::wire::by_name(deserializer, &Self::ALL)
    }
}

impl<'de> Deserialize<'de> for Prefill {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Prefill;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a prefill: {\"from\": …, \"locked\": false}")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Prefill, A::Error> {
                let (mut from, mut locked) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "from" if from.is_none() => from = Some(map.next_value()?),
                        "locked" if locked.is_none() => locked = Some(map.next_value()?),
                        "from" | "locked" => {
                            return Err(serde::de::Error::custom(format_args!("duplicate field `{key}`")));
                        }
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                let from = from.ok_or_else(|| serde::de::Error::missing_field("from"))?;
                Ok(Prefill { from, locked: locked.unwrap_or(false) })
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The answers the person's data fills in, in form order: each field with a register or e-ID
/// prefill whose value the data has. (A list, not a map: collecting a map costs the browser a
/// sort.)
pub fn from_person(definition: &FormDefinition, person: &PersonalData) -> Vec<(String, Value)> {
    definition.fields().filter_map(|(_, f)| Some((f.key.clone(), f.prefill?.from.value(person)?))).collect()
}

/// Puts the person's values in place of the answers to locked fields (whatever was sent), so
/// that a locked answer is the register's. A field whose value the data lacks is left as it is.
pub fn enforce_locked(definition: &FormDefinition, answers: &mut Answers, person: &PersonalData) {
    for (_, field) in definition.fields() {
        if let Some(value) = field.prefill.filter(|p| p.locked).and_then(|p| p.from.value(person)) {
            answers.insert(field.key.clone(), value);
        }
    }
}

/// Whether any field is filled in from the person's data (the register or the e-ID).
pub fn asks_person(definition: &FormDefinition) -> bool {
    definition.fields().any(|(_, f)| f.prefill.is_some_and(|p| p.from != PrefillSource::PreviousCase))
}

/// Whether any field is filled in from the applicant's previous case.
pub fn asks_previous_case(definition: &FormDefinition) -> bool {
    definition.fields().any(|(_, f)| f.prefill.is_some_and(|p| p.from == PrefillSource::PreviousCase))
}

/// Whether any field is locked to the person's data (the server then looks the person up).
pub fn has_locked(definition: &FormDefinition) -> bool {
    definition.fields().any(|(_, f)| f.prefill.is_some_and(|p| p.locked))
}

/// The answers of a previous case that the fields prefilled from it take (the applicant's own
/// case; they confirm before anything is filled in).
pub fn from_previous_case(definition: &FormDefinition, previous: &Answers) -> Vec<(String, Value)> {
    definition
        .fields()
        .filter(|(_, f)| f.prefill.is_some_and(|p| p.from == PrefillSource::PreviousCase))
        .filter_map(|(_, f)| Some((f.key.clone(), previous.get(&f.key)?.clone())))
        .collect()
}

#[cfg(test)]
#[path = "prefill_tests.rs"]
mod tests;
