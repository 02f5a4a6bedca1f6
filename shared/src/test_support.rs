//! What the form model's unit tests share: a checked definition and answers, from JSON.
#![allow(clippy::unwrap_used)]

use serde_json::Value;

use crate::{Answers, FormDefinition};

/// A definition from JSON, which `check` accepts.
pub(crate) fn def(v: Value) -> FormDefinition {
    let d: FormDefinition = serde_json::from_value(v).unwrap();
    d.check().unwrap();
    d
}

/// Answers from a JSON object.
pub(crate) fn answers(v: Value) -> Answers {
    serde_json::from_value(v).unwrap()
}
