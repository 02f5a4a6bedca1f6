//! Answers with parts: an address (street, postnummer, ort) and a repeating group's rows.
//!
//! An address's answer is an object `{"street", "postnummer", "ort"}`; once any part is answered
//! all three are needed, and each problem names its part. A group's answer is a list of rows,
//! each an object of the row's answers by field key; every row is checked like a small page
//! (required fields, each field's kind, the group's row rules), and each problem names its row
//! (counted from 0) and field. A part of an answer is addressed by a path, the field's key with
//! the row and part after dots (`styrelse.1.namn`, `adress.ort`): the browser's inputs read and
//! write answers by path ([`answer_at`], [`set_answer_at`]) and find their errors by it
//! ([`FieldError::path`]).

use serde_json::{Map, Value};

use crate::condition::{is_answered, is_answered_text};
use crate::form::{Field, FieldKind};
use crate::formats::normalise_postnummer;
use crate::rule::Outcome;
use crate::text::Text;
use crate::validate::{Answers, FieldError, FieldErrorCode, error, normalise, rule_error};

/// The parts of an address: key, Swedish and English label, longest answer in characters.
pub const ADDRESS_PARTS: [(&str, &str, &str, usize); 3] = [
    ("street", "Gatuadress", "Street address", 200),
    ("postnummer", "Postnummer", "Postcode", 5),
    ("ort", "Ort", "Town", 100),
];

/// The answer at `path` (see the module's documentation).
pub fn answer_at<'a>(answers: &'a Answers, path: &str) -> Option<&'a Value> {
    let mut steps = path.split('.');
    let mut value = answers.get(steps.next()?)?;
    for step in steps {
        value = match value {
            Value::Array(rows) => rows.get(step.parse::<usize>().ok()?)?,
            Value::Object(parts) => parts.get(step)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Sets (or, with `None`, clears) the answer at `path`. Writing into a group's row past the last
/// adds empty rows up to it (the browser shows a group's first rows before anything is written
/// in them), never beyond [`MAX_ROWS`](crate::limits::MAX_ROWS); a whole answer left without
/// anything in it is removed.
pub fn set_answer_at(answers: &mut Answers, path: &str, value: Option<Value>) {
    let mut steps = path.splitn(3, '.');
    let key = steps.next().unwrap_or(path);
    let (Some(first), second) = (steps.next(), steps.next()) else {
        match value {
            Some(v) => answers.insert(path.to_owned(), v),
            None => answers.remove(path),
        };
        return;
    };
    let whole = answers.entry(key.to_owned()).or_insert(Value::Null);
    let (parts, part) = match second {
        Some(part) => match first.parse::<usize>() {
            Ok(row) if row < crate::limits::MAX_ROWS as usize => {
                if !whole.is_array() {
                    *whole = Value::Array(Vec::new());
                }
                let rows = whole.as_array_mut().map(|rows| {
                    rows.resize_with(rows.len().max(row + 1), || Value::Object(Map::new()));
                    &mut rows[row]
                });
                (rows, part)
            }
            _ => (None, part),
        },
        None => {
            if !whole.is_object() {
                *whole = Value::Object(Map::new());
            }
            (Some(whole), first)
        }
    };
    if let Some(Value::Object(parts)) = parts {
        match value {
            Some(v) => parts.insert(part.to_owned(), v),
            None => parts.remove(part),
        };
    }
    if answers.get(key).is_some_and(|v| v.is_null() || v.as_object().is_some_and(Map::is_empty)) {
        answers.remove(key);
    }
}

/// A problem at a part of `field`'s answer.
fn at(field: &Field, row: Option<usize>, part: &str, mut e: FieldError) -> FieldError {
    e.field = field.key.clone();
    e.row = row.map(|r| r as u32);
    e.part = Some(part.to_owned());
    e
}

/// Checks an address: an object of its three parts, each answered, the postnummer five digits.
pub(crate) fn address(field: &Field, raw: &Value) -> Result<Value, Vec<FieldError>> {
    let Some(given) = raw.as_object() else {
        return Err(vec![error(field, FieldErrorCode::InvalidType, &[])]);
    };
    let mut errors: Vec<FieldError> = given
        .keys()
        .filter(|k| !ADDRESS_PARTS.iter().any(|(p, ..)| p == k))
        .map(|k| at(field, None, k, FieldError::new("", FieldErrorCode::UnknownField)))
        .collect();
    let mut parts = Map::new();
    for (part, .., max) in ADDRESS_PARTS {
        let problem = |code, params: &[(&str, String)]| at(field, None, part, error(field, code, params));
        let text = match given.get(part) {
            None | Some(Value::Null) => "",
            Some(Value::String(s)) => s.trim(),
            Some(_) => {
                errors.push(problem(FieldErrorCode::InvalidType, &[]));
                continue;
            }
        };
        if !is_answered_text(text) {
            errors.push(problem(FieldErrorCode::Required, &[]));
        } else if part == "postnummer" {
            match normalise_postnummer(text) {
                Ok(n) => drop(parts.insert(part.into(), Value::String(n))),
                Err(_) => errors.push(problem(FieldErrorCode::InvalidPostnummer, &[])),
            }
        } else if text.chars().count() > max {
            errors.push(problem(FieldErrorCode::TooLong, &[("max", max.to_string())]));
        } else {
            parts.insert(part.into(), Value::String(text.to_owned()));
        }
    }
    if errors.is_empty() { Ok(Value::Object(parts)) } else { Err(errors) }
}

/// Checks a repeating group's rows: their number, each row's fields, and (with `rules_on`, the
/// day they are checked as on) the row rules, which read the row's own answers.
pub(crate) fn group(field: &Field, raw: &Value, rules_on: Option<(i32, u32, u32)>) -> Result<Value, Vec<FieldError>> {
    let FieldKind::Group { min_rows, max_rows, .. } = &field.kind else {
        return Err(vec![error(field, FieldErrorCode::InvalidType, &[])]);
    };
    let (fields, rules) = (&field.fields, &field.rules);
    let Some(rows) = raw.as_array() else {
        return Err(vec![error(field, FieldErrorCode::InvalidType, &[])]);
    };
    // The count first: no work on more rows than the group may have.
    if rows.len() > *max_rows as usize {
        return Err(vec![error(field, FieldErrorCode::TooManyRows, &[("max", max_rows.to_string())])]);
    }
    let mut errors = Vec::new();
    if rows.len() < *min_rows as usize {
        errors.push(error(field, FieldErrorCode::TooFewRows, &[("min", min_rows.to_string())]));
    }
    let mut accepted = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Some(given) = row.as_object() else {
            let mut e = error(field, FieldErrorCode::InvalidType, &[]);
            e.row = Some(i as u32);
            errors.push(e);
            continue;
        };
        let first = errors.len();
        for key in given.keys().filter(|k| !fields.iter().any(|f| f.key == **k)) {
            errors.push(at(field, Some(i), key, FieldError::new("", FieldErrorCode::UnknownField)));
        }
        let mut answers = Answers::new();
        for inner in fields {
            match given.get(&inner.key).filter(|v| is_answered(v)) {
                None if inner.required => {
                    errors.push(at(field, Some(i), &inner.key, error(inner, FieldErrorCode::Required, &[])))
                }
                None => {}
                Some(raw) => match normalise(inner, raw) {
                    Ok(v) => drop(answers.insert(inner.key.clone(), v)),
                    Err((code, params)) => errors.push(at(field, Some(i), &inner.key, error(inner, code, &params))),
                },
            }
        }
        if let Some(today) = rules_on {
            for rule in rules {
                let has_error = errors[first..].iter().any(|e| e.part.as_deref() == Some(rule.field.as_str()));
                if !has_error && rule.evaluate(&answers, |_| true, today) == Outcome::Fail {
                    errors.push(at(field, Some(i), &rule.field, rule_error(rule)));
                }
            }
        }
        // Inserted one by one: collecting a map sorts, which the browser would download.
        let mut accepted_row = Map::new();
        for (key, value) in answers {
            accepted_row.insert(key, value);
        }
        accepted.push(Value::Object(accepted_row));
    }
    if errors.is_empty() { Ok(Value::Array(accepted)) } else { Err(errors) }
}

/// The heading of a group's row `index` (from 0): its row label, or "Rad"/"Row", numbered from 1.
pub fn row_title(row_label: Option<&Text>, index: usize) -> Text {
    let n = index + 1;
    match row_label {
        Some(label) => Text { sv: format!("{} {n}", label.sv), en: label.en.as_ref().map(|en| format!("{en} {n}")) },
        None => Text::both(&format!("Rad {n}"), &format!("Row {n}")),
    }
}

/// How an error summary names where `error` is in `field`'s answer: the field's label, and for a
/// part its row and part ("Ledamot 2 – Namn", "Föreningens adress – Postnummer").
pub fn error_label(field: &Field, error: &FieldError) -> Text {
    let part = error.part.as_deref();
    let (whole, part) = match (&field.kind, error.row) {
        (FieldKind::Group { row_label, .. }, Some(row)) => (
            row_title(row_label.as_ref(), row as usize),
            field.fields.iter().find(|f| Some(f.key.as_str()) == part).map(|f| f.label.clone()),
        ),
        (FieldKind::Address, _) => (
            field.label.clone(),
            ADDRESS_PARTS.iter().find(|(p, ..)| Some(*p) == part).map(|(_, sv, en, _)| Text::both(sv, en)),
        ),
        _ => (field.label.clone(), None),
    };
    match part {
        None => whole,
        Some(part) => Text {
            sv: format!("{} – {}", whole.sv, part.sv),
            en: (whole.en.is_some() || part.en.is_some())
                .then(|| format!("{} – {}", whole.in_english(), part.in_english())),
        },
    }
}

/// The path of the input an error summary's link for `error` goes to: where the error is, and
/// for an error about a whole address or group (required, too few rows) its first input.
pub fn error_input(field: &Field, error: &FieldError) -> String {
    let path = error.path();
    match (&field.kind, &error.part) {
        (FieldKind::Address, None) => format!("{path}.street"),
        (FieldKind::Group { .. }, None) => {
            let first = field.fields.first().map_or("", |f| f.key.as_str());
            format!("{path}{}.{first}", if error.row.is_some() { "" } else { ".0" })
        }
        _ => path,
    }
}

/// An address as people read it, on one line: `Drottninggatan 1, 252 21 Helsingborg`.
pub fn show_address(value: &Value) -> String {
    let part = |p: &str| value.get(p).and_then(Value::as_str).unwrap_or("");
    let postnummer = crate::formats::show_answer(&FieldKind::Postnummer, &Value::String(part("postnummer").into()));
    let town = format!("{} {}", postnummer.unwrap_or_default(), part("ort"));
    [part("street"), town.trim()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
}

/// A repeating group's answer as lines people read, one per row: its title and each answered
/// field's label and answer as `show` writes it (`Ledamot 1: Namn: Anna, Roll: Ordförande`),
/// labels in Swedish or (`en`) English. Empty for an answer that is not a list of rows.
pub fn show_rows(group: &Field, value: &Value, en: bool, show: impl Fn(&Field, &Value) -> String) -> Vec<String> {
    let (FieldKind::Group { row_label, .. }, Some(rows)) = (&group.kind, value.as_array()) else {
        return Vec::new();
    };
    let fields = &group.fields;
    let pick = |t: &Text| if en { t.in_english().to_owned() } else { t.sv.clone() };
    let line = |(i, row): (usize, &Value)| {
        let answers = fields.iter().filter_map(|f| {
            let v = row.get(&f.key).filter(|v| is_answered(v))?;
            let label = pick(&f.label);
            Some(format!("{label}{}{}", crate::text::after_label(&label), show(f, v)))
        });
        format!("{}: {}", pick(&row_title(row_label.as_ref(), i)), answers.collect::<Vec<_>>().join(", "))
    };
    rows.iter().enumerate().map(line).collect()
}

#[cfg(test)]
#[path = "parts_tests.rs"]
mod tests;
