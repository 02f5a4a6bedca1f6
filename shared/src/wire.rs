//! Hand-written decoding of the internally tagged enums [`FieldKind`](crate::FieldKind)
//! (`"type"`) and [`Condition`](crate::Condition) (`"op"`).
//!
//! serde's derive for an internally tagged enum first copies the whole object
//! into its private `Content` buffer and then decodes each variant from that
//! buffer, which makes a large amount of generic code (in the browser's wasm
//! it was the biggest single item of the form model). Here the object is read
//! once: the tag at once, the keys the enum knows into `serde_json::Value`s,
//! anything else skipped; the variant is then built from those values by code
//! that is not generic over the deserializer.
//!
//! The accepted inputs, the values and the error messages (with their
//! positions) are those of the derive; the tests compare the two on valid and
//! invalid inputs. Two differences remain: the derive also accepted a JSON
//! array (tag first, then the variant's fields by position), which no client
//! sends and which is refused here; and when an object has several faults the
//! derive names the first in document order, this decoder the first in the
//! variant's field order (both refuse it).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Unexpected, Visitor};
use serde_json::Value;

/// An enum decoded through [`TaggedVisitor`]: its tag, variant names, the
/// keys its variants use, and how a variant is built from their values.
pub(crate) trait Tagged: Sized {
    /// What the decoder expects, in error messages: "internally tagged enum Name".
    const EXPECTING: &'static str;
    /// The tag key.
    const TAG: &'static str;
    /// The variant names, in declaration order (the tag may also give the index).
    const VARIANTS: &'static [&'static str];
    /// Every key some variant reads.
    const KEYS: &'static [&'static str];
    /// Builds variant number `variant` from the keys read.
    fn build(variant: usize, fields: Fields) -> Result<Self, serde_json::Error>;
}

/// Decodes `T` from a map (see the module documentation).
pub(crate) fn deserialize<'de, T: Tagged, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    // The variant is built after the map is read, as the derive does (so errors carry the same position).
    let (variant, fields) = deserializer.deserialize_map(TaggedVisitor::<T>(PhantomData))?;
    T::build(variant, fields).map_err(as_error)
}

/// A variant's error as the deserializer's own: with serde_json's message on the server, where
/// it is read (the tests compare it with the derive's); in the browser, which never shows it,
/// without formatting serde_json's error, whose messages and formatter would be downloaded.
fn as_error<E: de::Error>(e: serde_json::Error) -> E {
    #[cfg(not(target_arch = "wasm32"))]
    return E::custom(e);
    #[cfg(target_arch = "wasm32")]
    {
        drop(e);
        E::custom("a value of the wrong form")
    }
}

/// A unit variant read by its wire name from `all` (every variant with its name), as a derived
/// reader would, with one copy of the names.
pub(crate) fn by_name<'de, T: Copy, D: Deserializer<'de>>(deserializer: D, all: &[(T, &str)]) -> Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    all.iter().find(|(_, n)| *n == name).map(|(v, _)| *v).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|(_, n)| *n).collect();
        de::Error::custom(format_args!("unknown variant `{name}`, expected one of `{}`", names.join("`, `")))
    })
}

/// A known key's value: not given, given once, or given more than once.
enum Slot {
    Absent,
    One(Value),
    Twice,
}

/// The known keys of an object, as read.
pub(crate) struct Fields {
    keys: &'static [&'static str],
    slots: Vec<Slot>,
}

impl Fields {
    /// The raw value of `key`, if given; a key given twice is an error (when the variant reads it).
    fn take(&mut self, key: &'static str) -> Result<Option<Value>, serde_json::Error> {
        let Some(i) = self.keys.iter().position(|k| *k == key) else {
            return Ok(None);
        };
        match std::mem::replace(&mut self.slots[i], Slot::Absent) {
            Slot::Absent => Ok(None),
            Slot::One(v) => Ok(Some(v)),
            Slot::Twice => Err(de::Error::duplicate_field(key)),
        }
    }

    /// A required field.
    pub(crate) fn req<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, serde_json::Error> {
        match self.take(key)? {
            Some(v) => T::deserialize(v),
            None => Err(de::Error::missing_field(key)),
        }
    }

    /// A field with a default (`#[serde(default)]`).
    pub(crate) fn or<T: DeserializeOwned>(&mut self, key: &'static str, default: T) -> Result<T, serde_json::Error> {
        match self.take(key)? {
            Some(v) => T::deserialize(v),
            None => Ok(default),
        }
    }

    /// An optional field (`Option<T>` with `#[serde(default)]`; `null` is `None`).
    pub(crate) fn opt<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<Option<T>, serde_json::Error> {
        self.or(key, None)
    }

    /// A required field of any JSON value (kept as it is).
    pub(crate) fn value(&mut self, key: &'static str) -> Result<Value, serde_json::Error> {
        self.take(key)?.ok_or_else(|| de::Error::missing_field(key))
    }
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
    type Value = (usize, Fields);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(usize, Fields), A::Error> {
        let mut variant = None;
        let mut slots: Vec<Slot> = T::KEYS.iter().map(|_| Slot::Absent).collect();
        while let Some(key) = map.next_key::<String>()? {
            if key == T::TAG {
                if variant.is_some() {
                    return Err(de::Error::duplicate_field(T::TAG));
                }
                variant = Some(map.next_value_seed(TagSeed(T::VARIANTS))?);
            } else if let Some(i) = T::KEYS.iter().position(|k| *k == key) {
                let v = map.next_value::<Value>()?;
                slots[i] = match slots[i] {
                    Slot::Absent => Slot::One(v),
                    _ => Slot::Twice,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let variant = variant.ok_or_else(|| de::Error::missing_field(T::TAG))?;
        Ok((variant, Fields { keys: T::KEYS, slots }))
    }
}

/// Reads the tag as serde's derive reads a variant identifier: a name, or an index.
struct TagSeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for TagSeed {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        match usize::try_from(v) {
            Ok(i) if i < self.0.len() => Ok(i),
            _ => Err(E::invalid_value(Unexpected::Unsigned(v), &IndexRange(self.0.len()))),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0.iter().position(|n| *n == v).ok_or_else(|| E::unknown_variant(v, self.0))
    }
}

/// "variant index 0 <= i < N", as serde's derive words it.
struct IndexRange(usize);

impl de::Expected for IndexRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "variant index 0 <= i < {}", self.0)
    }
}

/// Reads an object of answers (field key to value), refusing one that names a field twice:
/// JSON allows it, and the last would otherwise win without a word. For the request bodies
/// that carry answers (`#[serde(deserialize_with = ...)]`).
pub(crate) fn unique_answers<'de, D, M>(deserializer: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: Default + Extend<(String, Value)>,
{
    struct AnswersVisitor<M>(PhantomData<M>);

    impl<'de, M: Default + Extend<(String, Value)>> Visitor<'de> for AnswersVisitor<M> {
        type Value = M;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of answers keyed by field")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
            let mut seen = std::collections::BTreeSet::new();
            let mut answers = M::default();
            while let Some(key) = map.next_key::<String>()? {
                let value = map.next_value::<Value>()?;
                if !seen.insert(key.clone()) {
                    return Err(de::Error::custom(format_args!("the answers name the field '{key}' twice")));
                }
                answers.extend([(key, value)]);
            }
            Ok(answers)
        }
    }

    deserializer.deserialize_map(AnswersVisitor(PhantomData))
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
