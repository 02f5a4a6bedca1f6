//! Carrying a draft's answers over to a newer version of its form. Answers
//! that still fit the new version are kept; the applicant is told which
//! fields to answer (again). Pure, so the browser could run it too.

use std::collections::BTreeSet;

use crate::api::ReanswerField;
use crate::condition::is_answered;
use crate::form::{FieldKind, FormDefinition};
use crate::validate::{Answers, check_answer, visibility};

/// Moves `answers`, given for the form `old`, to the form `new`.
///
/// An answer is kept, as it was given, when the new version has a field
/// with the same key that takes an answer and either
/// - the field's kind and constraints did not change (so the answer is
///   exactly as valid, or as unfinished, as it was), or
/// - the kinds are compatible (the same kind; text, e-mail and telephone
///   among each other) and the answer validates against the new field
///   (with the same normalisation as [`crate::validate()`]).
///
/// Answers to fields that the new version hides are kept silently (the
/// server drops hidden answers at submission anyway). Blank answers are
/// left out.
///
/// The second value lists, in form order, the fields the applicant must
/// answer (again): every field whose answer was dropped, and every field
/// that became required (new, or optional before) and has no answer. Only
/// fields shown under the kept answers are listed: a field that cannot be
/// seen cannot be answered, and should it appear later it is asked for as
/// usual.
pub fn carry_over(old: &FormDefinition, new: &FormDefinition, answers: &Answers) -> (Answers, Vec<ReanswerField>) {
    let mut kept = Answers::new();
    let mut dropped = BTreeSet::new();
    for (key, value) in answers {
        if !is_answered(value) {
            continue;
        }
        let Some(field) = new.field(key).filter(|f| f.kind.takes_answer()) else {
            // The field is gone (or is now an info text): nothing to answer again.
            continue;
        };
        let before = old.field(key).filter(|f| f.kind.takes_answer());
        let keep = match before {
            Some(b) if b.kind == field.kind => true,
            Some(b) => compatible(&b.kind, &field.kind) && check_answer(field, value, None).is_ok(),
            None => false,
        };
        if keep {
            kept.insert(key.clone(), value.clone());
        } else {
            dropped.insert(key.as_str());
        }
    }
    let shown = visibility(new, &kept).fields;
    let reanswer = new
        .fields()
        .map(|(_, f)| f)
        .filter(|f| f.kind.takes_answer() && shown.contains(&f.key) && !kept.contains_key(&f.key))
        .filter(|f| {
            let newly_required = f.required && !old.field(&f.key).is_some_and(|b| b.required && b.kind.takes_answer());
            dropped.contains(f.key.as_str()) || newly_required
        })
        .map(|f| ReanswerField { field: f.key.clone(), label: f.label.clone() })
        .collect();
    (kept, reanswer)
}

/// Whether an answer given for a field of kind `old` can stand for one of kind `new`.
fn compatible(old: &FieldKind, new: &FieldKind) -> bool {
    fn textual(k: &FieldKind) -> bool {
        matches!(k, FieldKind::ShortText { .. } | FieldKind::LongText { .. } | FieldKind::Email | FieldKind::Phone)
    }
    (textual(old) && textual(new)) || old.type_name() == new.type_name()
}

#[cfg(test)]
#[path = "carry_over_tests.rs"]
mod tests;
