//! Conditions as data: comparisons of another field's answer combined with
//! all / any / not. There is no scripting: a condition is a tree of these
//! variants and nothing else.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::form::{DefinitionError, FieldKind, FieldPos};

/// A condition on the answers given so far.
///
/// A field that is hidden counts as unanswered, so a condition on it is
/// false unless it is negated.
// `Deserialize` is written by hand (below, with `crate::wire`) to keep the browser's
// download small; it accepts what the derive would. (Not a doc comment: that would
// change the OpenAPI schema's description.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Condition {
    /// Every condition holds (true when empty).
    All {
        /// The conditions.
        #[cfg_attr(feature = "server", schema(no_recursion))]
        conditions: Vec<Condition>,
    },
    /// At least one condition holds (false when empty).
    Any {
        /// The conditions.
        #[cfg_attr(feature = "server", schema(no_recursion))]
        conditions: Vec<Condition>,
    },
    /// The condition does not hold.
    Not {
        /// The negated condition.
        #[cfg_attr(feature = "server", schema(no_recursion))]
        condition: Box<Condition>,
    },
    /// The answer equals the value.
    Equals {
        /// Key of the field whose answer is compared.
        field: String,
        /// The value to compare with.
        value: Value,
    },
    /// The field is answered and the answer differs from the value.
    NotEquals {
        /// Key of the field whose answer is compared.
        field: String,
        /// The value to compare with.
        value: Value,
    },
    /// The answer is one of the values.
    OneOf {
        /// Key of the field whose answer is compared.
        field: String,
        /// The accepted values.
        values: Vec<Value>,
    },
    /// A multiple-choice answer includes the value, or a text answer contains it (ignoring case).
    Contains {
        /// Key of the field whose answer is compared.
        field: String,
        /// The value or text looked for.
        value: Value,
    },
    /// A number or date answer is greater (later) than the value.
    GreaterThan {
        /// Key of the field whose answer is compared.
        field: String,
        /// A number, or a date `YYYY-MM-DD`.
        value: Value,
    },
    /// A number or date answer is less (earlier) than the value.
    LessThan {
        /// Key of the field whose answer is compared.
        field: String,
        /// A number, or a date `YYYY-MM-DD`.
        value: Value,
    },
    /// The field has an answer.
    IsAnswered {
        /// Key of the field.
        field: String,
    },
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::wire::deserialize(deserializer)
    }
}

impl crate::wire::Tagged for Condition {
    const EXPECTING: &'static str = "internally tagged enum Condition";
    const TAG: &'static str = "op";
    const VARIANTS: &'static [&'static str] = &[
        "all",
        "any",
        "not",
        "equals",
        "not_equals",
        "one_of",
        "contains",
        "greater_than",
        "less_than",
        "is_answered",
    ];
    const KEYS: &'static [&'static str] = &["conditions", "condition", "field", "value", "values"];

    fn build(variant: usize, mut f: crate::wire::Fields) -> Result<Self, serde_json::Error> {
        Ok(match variant {
            0 => Condition::All { conditions: f.req("conditions")? },
            1 => Condition::Any { conditions: f.req("conditions")? },
            2 => Condition::Not { condition: f.req("condition")? },
            3 => Condition::Equals { field: f.req("field")?, value: f.value("value")? },
            4 => Condition::NotEquals { field: f.req("field")?, value: f.value("value")? },
            5 => Condition::OneOf { field: f.req("field")?, values: f.req("values")? },
            6 => Condition::Contains { field: f.req("field")?, value: f.value("value")? },
            7 => Condition::GreaterThan { field: f.req("field")?, value: f.value("value")? },
            8 => Condition::LessThan { field: f.req("field")?, value: f.value("value")? },
            _ => Condition::IsAnswered { field: f.req("field")? },
        })
    }
}

impl Condition {
    /// The keys of all fields this condition looks at.
    pub fn referenced_fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::All { conditions } | Condition::Any { conditions } => {
                conditions.iter().for_each(|c| c.collect_fields(out))
            }
            Condition::Not { condition } => condition.collect_fields(out),
            Condition::Equals { field, .. }
            | Condition::NotEquals { field, .. }
            | Condition::OneOf { field, .. }
            | Condition::Contains { field, .. }
            | Condition::GreaterThan { field, .. }
            | Condition::LessThan { field, .. }
            | Condition::IsAnswered { field } => out.push(field),
        }
    }

    /// Checks that every referenced field exists, takes an answer, is placed
    /// where `allowed` says it may be, and is compared in a way its kind supports.
    pub(crate) fn check_references(
        &self,
        on: &str,
        index: &BTreeMap<&str, FieldPos<'_>>,
        allowed: impl Fn(&FieldPos<'_>) -> bool + Copy,
    ) -> Result<(), DefinitionError> {
        let lookup = |field: &str| -> Result<&FieldKind, DefinitionError> {
            let pos = index
                .get(field)
                .ok_or_else(|| DefinitionError::UnknownField { on: on.to_string(), field: field.to_string() })?;
            if !pos.field.kind.takes_answer() {
                return Err(DefinitionError::NotAnswerable { on: on.to_string(), field: field.to_string() });
            }
            if !allowed(pos) {
                return Err(DefinitionError::ForwardReference { on: on.to_string(), field: field.to_string() });
            }
            Ok(&pos.field.kind)
        };
        let incompatible = |field: &str, reason: String| DefinitionError::IncompatibleComparison {
            on: on.to_string(),
            field: field.to_string(),
            reason,
        };
        match self {
            Condition::All { conditions } | Condition::Any { conditions } => {
                for c in conditions {
                    c.check_references(on, index, allowed)?;
                }
            }
            Condition::Not { condition } => condition.check_references(on, index, allowed)?,
            Condition::IsAnswered { field } => {
                lookup(field)?;
            }
            Condition::Equals { field, value } | Condition::NotEquals { field, value } => {
                let kind = lookup(field)?;
                check_comparable_value(kind, value).map_err(|r| incompatible(field, r))?;
            }
            Condition::OneOf { field, values } => {
                let kind = lookup(field)?;
                for v in values {
                    check_comparable_value(kind, v).map_err(|r| incompatible(field, r))?;
                }
            }
            Condition::Contains { field, value } => match lookup(field)? {
                FieldKind::MultipleChoice { options, .. } => {
                    let ok = value.as_str().is_some_and(|s| options.iter().any(|o| o.value == s));
                    if !ok {
                        return Err(incompatible(field, format!("{value} is not one of its options")));
                    }
                }
                FieldKind::ShortText { .. } | FieldKind::LongText { .. } => {
                    if !value.is_string() {
                        return Err(incompatible(field, "contains on a text field needs a text value".into()));
                    }
                }
                other => {
                    return Err(incompatible(
                        field,
                        format!("contains works on multiple choice and text fields, not {}", other.type_name()),
                    ));
                }
            },
            Condition::GreaterThan { field, value } | Condition::LessThan { field, value } => match lookup(field)? {
                k if k.is_numeric() && value.is_number() => {}
                FieldKind::Date { .. } if value.as_str().and_then(crate::date::parse_iso_date).is_some() => {}
                k if k.is_numeric() => {
                    return Err(incompatible(field, "compare a number field with a number".into()));
                }
                FieldKind::Date { .. } => {
                    return Err(incompatible(field, "compare a date field with a date YYYY-MM-DD".into()));
                }
                other => {
                    return Err(incompatible(
                        field,
                        format!("greater/less than works on number and date fields, not {}", other.type_name()),
                    ));
                }
            },
        }
        Ok(())
    }

    /// Evaluates the condition against answers that are already validated
    /// and normalised, holding only fields that are shown.
    pub fn evaluate(&self, answers: &BTreeMap<String, Value>) -> bool {
        match self {
            Condition::All { conditions } => conditions.iter().all(|c| c.evaluate(answers)),
            Condition::Any { conditions } => conditions.iter().any(|c| c.evaluate(answers)),
            Condition::Not { condition } => !condition.evaluate(answers),
            Condition::IsAnswered { field } => answers.get(field).is_some_and(is_answered),
            Condition::Equals { field, value } => answers.get(field).is_some_and(|a| values_equal(a, value)),
            Condition::NotEquals { field, value } => {
                answers.get(field).is_some_and(|a| is_answered(a) && !values_equal(a, value))
            }
            Condition::OneOf { field, values } => {
                answers.get(field).is_some_and(|a| values.iter().any(|v| values_equal(a, v)))
            }
            Condition::Contains { field, value } => match (answers.get(field), value) {
                (Some(Value::Array(items)), v) => items.iter().any(|i| values_equal(i, v)),
                (Some(Value::String(text)), Value::String(needle)) => {
                    text.to_lowercase().contains(&needle.to_lowercase())
                }
                _ => false,
            },
            Condition::GreaterThan { field, value } => {
                compare(answers.get(field), value).is_some_and(|o| o == std::cmp::Ordering::Greater)
            }
            Condition::LessThan { field, value } => {
                compare(answers.get(field), value).is_some_and(|o| o == std::cmp::Ordering::Less)
            }
        }
    }
}

/// An answer counts as given unless it is null, an empty list, or a string of nothing but white
/// space and invisible characters (zero-width spaces and joiners, direction marks, soft hyphens).
pub fn is_answered(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => is_answered_text(s),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// Whether a text answers: it has a character that is neither white space nor invisible.
pub fn is_answered_text(s: &str) -> bool {
    s.chars().any(|c| !c.is_whitespace() && !is_invisible(c))
}

/// A character that shows nothing: zero-width spaces and joiners, direction marks and embeddings,
/// word joiners and invisible operators, the byte-order mark, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn compare(answer: Option<&Value>, value: &Value) -> Option<std::cmp::Ordering> {
    match (answer?, value) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => {
            let a = crate::date::parse_iso_date(a)?;
            let b = crate::date::parse_iso_date(b)?;
            Some(a.cmp(&b))
        }
        _ => None,
    }
}

fn check_comparable_value(kind: &FieldKind, value: &Value) -> Result<(), String> {
    let ok = match kind {
        // The answer is a list, so it never equals a single value.
        FieldKind::MultipleChoice { .. } => {
            return Err("a multiple choice answer is a list; use contains to test for an option".into());
        }
        FieldKind::SingleChoice { options, .. } => {
            if let Some(s) = value.as_str() {
                if !options.iter().any(|o| o.value == s) {
                    return Err(format!("'{s}' is not one of its options"));
                }
                true
            } else {
                false
            }
        }
        FieldKind::YesNo => value.is_boolean(),
        k if k.is_numeric() => value.is_number(),
        FieldKind::Date { .. } => value.as_str().and_then(crate::date::parse_iso_date).is_some(),
        FieldKind::File { .. } => false,
        _ => value.is_string(),
    };
    if ok { Ok(()) } else { Err(format!("{value} is not a value a {} field can have", kind.type_name())) }
}

#[cfg(test)]
#[path = "condition_tests.rs"]
mod tests;
