//! Answer validation: the single implementation the browser uses for instant
//! feedback and the server uses to decide. Hidden fields are dropped, values
//! are normalised, and every problem is reported with a stable code and a
//! Swedish and English message.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::condition::is_answered;
use crate::form::{Field, FieldKind, FormDefinition, LONG_TEXT_MAX, SHORT_TEXT_MAX, page_evaluation_order};
use crate::formats;
use crate::limits::{MAX_SAFE_NUMBER, PATTERN_INPUT_MAX};
use crate::personnummer::{Personnummer, PersonnummerError};
use crate::rule::{Outcome, Rule};

/// Answers keyed by field key, as JSON values.
pub type Answers = BTreeMap<String, Value>;

/// A machine-readable reason why an answer is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorCode {
    /// A required field has no answer.
    Required,
    /// The answer is of the wrong JSON type for the field.
    InvalidType,
    /// The answer names a field the form does not have.
    UnknownField,
    /// The answer is for an info text, which takes none.
    NotAnswerable,
    /// Text shorter than `min_length`.
    TooShort,
    /// Text longer than `max_length`.
    TooLong,
    /// Text does not match the field's pattern.
    PatternMismatch,
    /// Not a number.
    NotANumber,
    /// Not a whole number.
    NotAnInteger,
    /// A number larger than 2^53 − 1, which cannot be held exactly.
    NumberTooLarge,
    /// Number below `min`.
    BelowMinimum,
    /// Number above `max`.
    AboveMaximum,
    /// Not a date `YYYY-MM-DD`, or a date that does not exist.
    InvalidDate,
    /// Date before `min`.
    DateTooEarly,
    /// Date after `max`.
    DateTooLate,
    /// Not an e-mail address.
    InvalidEmail,
    /// Not a telephone number (`reason`: `area_code` for a Swedish number without its 0).
    InvalidPhone,
    /// Not a valid personnummer.
    InvalidPersonnummer,
    /// A samordningsnummer where only personnummer are accepted.
    SamordningsnummerNotAllowed,
    /// A value that is not one of the options.
    InvalidOption,
    /// The same option chosen twice.
    DuplicateOption,
    /// Fewer options chosen than `min_selected`.
    TooFewSelected,
    /// More options chosen than `max_selected`.
    TooManySelected,
    /// More files than `max_files`.
    TooManyFiles,
    /// A file larger than `max_size_bytes`.
    FileTooLarge,
    /// A file type not in `accept`.
    FileTypeNotAllowed,
    /// A file that was not uploaded by the applicant, is gone, or belongs to another case.
    FileUnavailable,
    /// A rule across fields does not hold (`FieldError.rule` names it; the message is the rule's).
    Rule,
    /// Not an organisationsnummer (`reason`: `format`, `group` or `checksum`).
    InvalidOrganisationsnummer,
    /// Not a Swedish postnummer.
    InvalidPostnummer,
    /// Not a bankgiro number (`reason`: `format` or `checksum`).
    InvalidBankgiro,
    /// Not a plusgiro number (`reason`: `format` or `checksum`).
    InvalidPlusgiro,
    /// Not an amount in kronor (`reason`: `format`, `too_large`, or `ore` where only whole kronor are taken).
    InvalidAmount,
    /// Fewer rows in a repeating group than `min_rows`.
    TooFewRows,
    /// More rows in a repeating group than `max_rows`.
    TooManyRows,
}

impl FieldErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [FieldErrorCode; 35] = {
        use FieldErrorCode as C;
        [
            C::Required,
            C::InvalidType,
            C::UnknownField,
            C::NotAnswerable,
            C::TooShort,
            C::TooLong,
            C::PatternMismatch,
            C::NotANumber,
            C::NotAnInteger,
            C::NumberTooLarge,
            C::BelowMinimum,
            C::AboveMaximum,
            C::InvalidDate,
            C::DateTooEarly,
            C::DateTooLate,
            C::InvalidEmail,
            C::InvalidPhone,
            C::InvalidPersonnummer,
            C::SamordningsnummerNotAllowed,
            C::InvalidOption,
            C::DuplicateOption,
            C::TooFewSelected,
            C::TooManySelected,
            C::TooManyFiles,
            C::FileTooLarge,
            C::FileTypeNotAllowed,
            C::FileUnavailable,
            C::Rule,
            C::InvalidOrganisationsnummer,
            C::InvalidPostnummer,
            C::InvalidBankgiro,
            C::InvalidPlusgiro,
            C::InvalidAmount,
            C::TooFewRows,
            C::TooManyRows,
        ]
    };

    /// The wire name, e.g. `too_long` (as serde writes it; a test keeps the two the same).
    pub fn as_str(self) -> &'static str {
        use FieldErrorCode as C;
        match self {
            C::Required => "required",
            C::InvalidType => "invalid_type",
            C::UnknownField => "unknown_field",
            C::NotAnswerable => "not_answerable",
            C::TooShort => "too_short",
            C::TooLong => "too_long",
            C::PatternMismatch => "pattern_mismatch",
            C::NotANumber => "not_a_number",
            C::NotAnInteger => "not_an_integer",
            C::NumberTooLarge => "number_too_large",
            C::BelowMinimum => "below_minimum",
            C::AboveMaximum => "above_maximum",
            C::InvalidDate => "invalid_date",
            C::DateTooEarly => "date_too_early",
            C::DateTooLate => "date_too_late",
            C::InvalidEmail => "invalid_email",
            C::InvalidPhone => "invalid_phone",
            C::InvalidPersonnummer => "invalid_personnummer",
            C::SamordningsnummerNotAllowed => "samordningsnummer_not_allowed",
            C::InvalidOption => "invalid_option",
            C::DuplicateOption => "duplicate_option",
            C::TooFewSelected => "too_few_selected",
            C::TooManySelected => "too_many_selected",
            C::TooManyFiles => "too_many_files",
            C::FileTooLarge => "file_too_large",
            C::FileTypeNotAllowed => "file_type_not_allowed",
            C::FileUnavailable => "file_unavailable",
            C::Rule => "rule",
            C::InvalidOrganisationsnummer => "invalid_organisationsnummer",
            C::InvalidPostnummer => "invalid_postnummer",
            C::InvalidBankgiro => "invalid_bankgiro",
            C::InvalidPlusgiro => "invalid_plusgiro",
            C::InvalidAmount => "invalid_amount",
            C::TooFewRows => "too_few_rows",
            C::TooManyRows => "too_many_rows",
        }
    }
}

// Read by hand rather than derived: the derived reader matches every name twice (as text and as
// bytes), a large piece of every app that shows a field's error; this one looks the name up in
// `as_str`.
impl<'de> Deserialize<'de> for FieldErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format_args!("unknown field error code `{name}`")))
    }
}

/// A message in both platform languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Localized {
    /// Swedish.
    pub sv: String,
    /// English.
    pub en: String,
}

/// One problem with one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The key of the field.
    pub field: String,
    /// What is wrong, as a stable code.
    pub code: FieldErrorCode,
    /// What is wrong, in words for the applicant.
    pub message: Localized,
    /// The key of the rule across fields that does not hold, for the code `rule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// In a repeating group: the row (counted from 0) the problem is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// In an address or a group's row: the part the problem is in (`street`, `postnummer` or
    /// `ort`; or the key of the row's field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

impl FieldError {
    /// A problem with the answer to `field`, said with the code's own message.
    pub fn new(field: &str, code: FieldErrorCode) -> FieldError {
        FieldError::saying(field, code, message(code, &[]))
    }

    /// A problem with the answer to `field`, said in `message`.
    fn saying(field: &str, code: FieldErrorCode, message: Localized) -> FieldError {
        FieldError { field: field.to_owned(), code, message, rule: None, row: None, part: None }
    }

    /// Where the problem is, as an answer path (see [`crate::parts::answer_at`]): the field's
    /// key, with its row and part after dots (`styrelse.1.namn`, `adress.postnummer`).
    pub fn path(&self) -> String {
        let mut path = self.field.clone();
        for step in self.row.map(|r| r.to_string()).into_iter().chain(self.part.clone()) {
            path.push('.');
            path.push_str(&step);
        }
        path
    }
}

/// An uploaded file referred to by a file field's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FileRef {
    /// The upload's id.
    pub id: String,
    /// The file name the applicant gave.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// The media type, e.g. `application/pdf`.
    pub content_type: String,
}

/// Which pages and fields are shown for a set of answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    /// Keys of the pages shown.
    pub pages: std::collections::BTreeSet<String>,
    /// Keys of the fields shown (on shown pages).
    pub fields: std::collections::BTreeSet<String>,
}

/// The outcome of walking a form over some answers.
struct Walk {
    accepted: Answers,
    errors: Vec<FieldError>,
    visibility: Visibility,
}

/// Walks the form over `answers`. `rules_on` is the day the rules across fields are checked as
/// on; `None` when only the visibility is wanted, which rules do not change (so the browser's
/// visibility walk after each keystroke does not evaluate them a second time).
fn walk(definition: &FormDefinition, answers: &Answers, rules_on: Option<(i32, u32, u32)>) -> Walk {
    let mut accepted = Answers::new();
    let mut errors = Vec::new();
    let mut visibility = Visibility::default();
    for page in &definition.pages {
        if !page.condition.as_ref().is_none_or(|c| c.evaluate(&accepted)) {
            continue;
        }
        visibility.pages.insert(page.key.clone());
        let first_error = errors.len();
        // A checked definition has no cycles; an unchecked one falls back to form order.
        let order = page_evaluation_order(page).unwrap_or_else(|_| page.fields.iter().collect());
        for field in order {
            if !field.condition.as_ref().is_none_or(|c| c.evaluate(&accepted)) {
                continue;
            }
            visibility.fields.insert(field.key.clone());
            if !field.kind.takes_answer() {
                continue;
            }
            match answers.get(&field.key).filter(|v| has_answer(&field.kind, v)) {
                None if field.required => errors.push(error(field, FieldErrorCode::Required, &[])),
                None => {}
                Some(raw) => match check_answer(field, raw, rules_on) {
                    Ok(v) => {
                        accepted.insert(field.key.clone(), v);
                    }
                    Err(mut e) => errors.append(&mut e),
                },
            }
        }
        if let Some(today) = rules_on {
            check_rules(&page.rules, &accepted, &visibility, today, &mut errors);
        }
        // Fields are evaluated in dependency order; report them in form order.
        errors[first_error..].sort_by_key(|e| page.fields.iter().position(|f| f.key == e.field));
    }
    if let Some(today) = rules_on {
        check_rules(&definition.rules, &accepted, &visibility, today, &mut errors);
    }
    Walk { accepted, errors, visibility }
}

/// Adds an error for each rule that does not hold: at its field, unless that field is hidden or
/// already has an error of its own (see [`crate::rule`] for when a rule is skipped).
fn check_rules(
    rules: &[Rule],
    accepted: &Answers,
    visibility: &Visibility,
    today: (i32, u32, u32),
    errors: &mut Vec<FieldError>,
) {
    for rule in rules {
        if !visibility.fields.contains(&rule.field) || errors.iter().any(|e| e.field == rule.field) {
            continue;
        }
        if rule.evaluate(accepted, |f| visibility.fields.contains(f), today) == Outcome::Fail {
            errors.push(rule_error(rule));
        }
    }
}

/// Validates `answers` against `definition`.
///
/// Returns the accepted answers, holding only fields that are shown and
/// normalised (trimmed text, numbers as numbers, personnummer as 12 digits,
/// choices in option order), or every problem found, in form order.
/// Answers to unknown fields or to info texts are errors; answers to hidden
/// fields are dropped without error.
pub fn validate(definition: &FormDefinition, answers: &Answers) -> Result<Answers, Vec<FieldError>> {
    validate_on(definition, answers, crate::date::today())
}

/// [`validate`] as on `today` (year, month, day), which rules about dates and ages read.
pub fn validate_on(
    definition: &FormDefinition,
    answers: &Answers,
    today: (i32, u32, u32),
) -> Result<Answers, Vec<FieldError>> {
    let index = definition.index();
    let mut errors: Vec<FieldError> = Vec::new();
    for key in answers.keys() {
        match index.get(key.as_str()) {
            None => errors.push(FieldError::new(key, FieldErrorCode::UnknownField)),
            Some(pos) if !pos.field.kind.takes_answer() => {
                errors.push(FieldError::new(key, FieldErrorCode::NotAnswerable))
            }
            Some(_) => {}
        }
    }
    let w = walk(definition, answers, Some(today));
    errors.extend(w.errors);
    if errors.is_empty() { Ok(w.accepted) } else { Err(errors) }
}

/// Validates only the answers of one page (for inline feedback and "next"),
/// taking earlier pages' answers into account for conditions.
pub fn validate_page(definition: &FormDefinition, page_key: &str, answers: &Answers) -> Vec<FieldError> {
    let Some(page) = definition.pages.iter().find(|p| p.key == page_key) else {
        return Vec::new();
    };
    let w = walk(definition, answers, Some(crate::date::today()));
    w.errors.into_iter().filter(|e| page.fields.iter().any(|f| f.key == e.field)).collect()
}

/// The answers accepted (normalised, hidden ones dropped) and what is shown, without the rules
/// (for [`crate::analysis`], which tries many answers).
pub(crate) fn accepted_and_visibility(definition: &FormDefinition, answers: &Answers) -> (Answers, Visibility) {
    let w = walk(definition, answers, None);
    (w.accepted, w.visibility)
}

/// Which pages and fields are shown for these (possibly incomplete) answers.
pub fn visibility(definition: &FormDefinition, answers: &Answers) -> Visibility {
    walk(definition, answers, None).visibility
}

pub(crate) fn error(field: &Field, code: FieldErrorCode, params: &[(&str, String)]) -> FieldError {
    FieldError::saying(&field.key, code, message(code, params))
}

/// The error of a rule across fields that does not hold: at its field, in its own words.
pub(crate) fn rule_error(rule: &Rule) -> FieldError {
    FieldError {
        rule: Some(rule.key.clone()),
        ..FieldError::saying(&rule.field, FieldErrorCode::Rule, rule.message.localized())
    }
}

/// Whether `value` answers a field of `kind`: an address when any of its parts is answered,
/// anything else as [`is_answered`] says.
pub fn has_answer(kind: &FieldKind, value: &Value) -> bool {
    match (kind, value) {
        (FieldKind::Address, Value::Object(parts)) => parts.values().any(is_answered),
        _ => is_answered(value),
    }
}

pub(crate) type Failure = (FieldErrorCode, Vec<(&'static str, String)>);

/// Checks and normalises one answer for one field, ignoring conditions and `required`: every
/// problem found (an address or a group's rows can have several). `rules_on` is the day a group's
/// row rules are checked as on (`None`: not checked).
pub(crate) fn check_answer(
    field: &Field,
    raw: &Value,
    rules_on: Option<(i32, u32, u32)>,
) -> Result<Value, Vec<FieldError>> {
    match &field.kind {
        FieldKind::Address => crate::parts::address(field, raw),
        FieldKind::Group { .. } => crate::parts::group(field, raw, rules_on),
        _ => normalise(field, raw).map_err(|(code, params)| vec![error(field, code, &params)]),
    }
}

fn fail(code: FieldErrorCode) -> Failure {
    (code, Vec::new())
}

/// Checks and normalises one answer for one field of a kind without parts, ignoring conditions
/// and `required` (see [`check_answer`]).
pub(crate) fn normalise(field: &Field, raw: &Value) -> Result<Value, Failure> {
    match &field.kind {
        FieldKind::ShortText { min_length, max_length, pattern, pattern_description } => {
            let s = text(raw)?;
            check_length(&s, *min_length, Some(max_length.unwrap_or(SHORT_TEXT_MAX)))?;
            if let Some(p) = pattern {
                check_length(&s, None, Some(PATTERN_INPUT_MAX))?;
                let matches = crate::pattern::Pattern::new(p).is_ok_and(|r| r.matches(&s));
                if !matches {
                    let hint = pattern_description.clone().unwrap_or_default();
                    let hint_en = hint.in_english().to_owned();
                    return Err((FieldErrorCode::PatternMismatch, vec![("hint", hint.sv), ("hint_en", hint_en)]));
                }
            }
            Ok(Value::String(s))
        }
        FieldKind::LongText { min_length, max_length } => {
            let s = text(raw)?;
            check_length(&s, *min_length, Some(max_length.unwrap_or(LONG_TEXT_MAX)))?;
            Ok(Value::String(s))
        }
        FieldKind::Number { min, max, integer } => {
            let n = match raw {
                Value::Number(n) => n.as_f64().ok_or_else(|| fail(FieldErrorCode::NotANumber))?,
                Value::String(s) => parse_number(s).ok_or_else(|| fail(FieldErrorCode::NotANumber))?,
                _ => return Err(fail(FieldErrorCode::NotANumber)),
            };
            if !n.is_finite() {
                return Err(fail(FieldErrorCode::NotANumber));
            }
            if n.abs() > MAX_SAFE_NUMBER {
                return Err(fail(FieldErrorCode::NumberTooLarge));
            }
            if *integer && n.fract() != 0.0 {
                return Err(fail(FieldErrorCode::NotAnInteger));
            }
            if let Some(m) = min.filter(|m| n < *m) {
                return Err((FieldErrorCode::BelowMinimum, vec![("min", fmt_num(m))]));
            }
            if let Some(m) = max.filter(|m| n > *m) {
                return Err((FieldErrorCode::AboveMaximum, vec![("max", fmt_num(m))]));
            }
            if n.fract() == 0.0 {
                Ok(Value::Number(Number::from(n as i64)))
            } else {
                Number::from_f64(n).map(Value::Number).ok_or_else(|| fail(FieldErrorCode::NotANumber))
            }
        }
        FieldKind::Date { min, max } => {
            let s = raw.as_str().ok_or_else(|| fail(FieldErrorCode::InvalidDate))?.trim();
            let d = crate::date::parse_iso_date(s).ok_or_else(|| fail(FieldErrorCode::InvalidDate))?;
            if let Some(m) = min.filter(|m| d < *m) {
                return Err((FieldErrorCode::DateTooEarly, vec![("min", m.to_string())]));
            }
            if let Some(m) = max.filter(|m| d > *m) {
                return Err((FieldErrorCode::DateTooLate, vec![("max", m.to_string())]));
            }
            Ok(Value::String(d.to_string()))
        }
        FieldKind::Email => {
            let s = raw.as_str().ok_or_else(|| fail(FieldErrorCode::InvalidEmail))?;
            normalise_email(s).map(Value::String).ok_or_else(|| fail(FieldErrorCode::InvalidEmail))
        }
        FieldKind::Phone => formatted(raw, formats::normalise_phone, FieldErrorCode::InvalidPhone),
        FieldKind::Organisationsnummer => {
            formatted(raw, formats::normalise_organisationsnummer, FieldErrorCode::InvalidOrganisationsnummer)
        }
        FieldKind::Postnummer => formatted(raw, formats::normalise_postnummer, FieldErrorCode::InvalidPostnummer),
        FieldKind::Bankgiro => formatted(raw, formats::normalise_bankgiro, FieldErrorCode::InvalidBankgiro),
        FieldKind::Plusgiro => formatted(raw, formats::normalise_plusgiro, FieldErrorCode::InvalidPlusgiro),
        FieldKind::Amount { min_kronor, max_kronor, whole_kronor } => {
            let reason = |r: &str| (FieldErrorCode::InvalidAmount, vec![("reason", r.to_string())]);
            let ore = formats::normalise_amount(raw).map_err(reason)?;
            if *whole_kronor && !ore.is_multiple_of(100) {
                return Err(reason("ore"));
            }
            if let Some(m) = min_kronor.filter(|m| ore < m * 100) {
                return Err((FieldErrorCode::BelowMinimum, vec![("min", formats::show_amount(m * 100))]));
            }
            if let Some(m) = max_kronor.filter(|m| ore > m.saturating_mul(100)) {
                return Err((FieldErrorCode::AboveMaximum, vec![("max", formats::show_amount(m * 100))]));
            }
            Ok(Value::Number(ore.into()))
        }
        FieldKind::Personnummer { allow_samordningsnummer } => {
            let s = raw.as_str().ok_or_else(|| fail(FieldErrorCode::InvalidPersonnummer))?;
            let p = Personnummer::parse(s).map_err(|e| {
                let reason = match e {
                    PersonnummerError::Format => "format",
                    PersonnummerError::Date => "date",
                    PersonnummerError::Checksum => "checksum",
                };
                (FieldErrorCode::InvalidPersonnummer, vec![("reason", reason.to_string())])
            })?;
            if p.is_samordningsnummer() && !allow_samordningsnummer {
                return Err(fail(FieldErrorCode::SamordningsnummerNotAllowed));
            }
            Ok(Value::String(p.as_digits()))
        }
        FieldKind::Child => {
            let s = raw.as_str().ok_or_else(|| fail(FieldErrorCode::InvalidPersonnummer))?;
            let p = Personnummer::parse(s).map_err(|_| fail(FieldErrorCode::InvalidPersonnummer))?;
            Ok(Value::String(p.as_digits()))
        }
        FieldKind::SingleChoice { options, .. } => {
            let s = raw.as_str().ok_or_else(|| fail(FieldErrorCode::InvalidOption))?;
            if options.iter().any(|o| o.value == s) {
                Ok(Value::String(s.to_string()))
            } else {
                Err(fail(FieldErrorCode::InvalidOption))
            }
        }
        FieldKind::MultipleChoice { options, min_selected, max_selected } => {
            let items = raw.as_array().ok_or_else(|| fail(FieldErrorCode::InvalidType))?;
            let mut chosen = Vec::with_capacity(items.len());
            for item in items {
                let s = item.as_str().ok_or_else(|| fail(FieldErrorCode::InvalidOption))?;
                if !options.iter().any(|o| o.value == s) {
                    return Err(fail(FieldErrorCode::InvalidOption));
                }
                if chosen.contains(&s) {
                    return Err(fail(FieldErrorCode::DuplicateOption));
                }
                chosen.push(s);
            }
            let n = chosen.len() as u32;
            if let Some(m) = min_selected.filter(|m| n < *m) {
                return Err((FieldErrorCode::TooFewSelected, vec![("min", m.to_string())]));
            }
            if let Some(m) = max_selected.filter(|m| n > *m) {
                return Err((FieldErrorCode::TooManySelected, vec![("max", m.to_string())]));
            }
            Ok(Value::Array(
                options
                    .iter()
                    .filter(|o| chosen.contains(&o.value.as_str()))
                    .map(|o| Value::String(o.value.clone()))
                    .collect(),
            ))
        }
        FieldKind::YesNo => raw.as_bool().map(Value::Bool).ok_or_else(|| fail(FieldErrorCode::InvalidType)),
        FieldKind::File { max_files, max_size_bytes, accept } => {
            let files: Vec<FileRef> = match raw {
                Value::Array(_) => {
                    serde_json::from_value(raw.clone()).map_err(|_| fail(FieldErrorCode::InvalidType))?
                }
                Value::Object(_) => {
                    vec![serde_json::from_value(raw.clone()).map_err(|_| fail(FieldErrorCode::InvalidType))?]
                }
                _ => return Err(fail(FieldErrorCode::InvalidType)),
            };
            if files.len() as u32 > *max_files {
                return Err((FieldErrorCode::TooManyFiles, vec![("max", max_files.to_string())]));
            }
            for f in &files {
                if f.size > *max_size_bytes {
                    return Err((FieldErrorCode::FileTooLarge, vec![("max", fmt_bytes(*max_size_bytes))]));
                }
                if !accept.is_empty() && !accept.iter().any(|a| accepts(a, f)) {
                    return Err((FieldErrorCode::FileTypeNotAllowed, vec![("accept", accept.join(", "))]));
                }
            }
            serde_json::to_value(files).map_err(|_| fail(FieldErrorCode::InvalidType))
        }
        FieldKind::Info { .. } => Err(fail(FieldErrorCode::NotAnswerable)),
        FieldKind::Address | FieldKind::Group { .. } => Err(fail(FieldErrorCode::InvalidType)),
    }
}

/// A text answer read by one of [`crate::formats`]' `normalise_*`, its refusal under `code` with
/// the reason.
fn formatted(
    raw: &Value,
    normalise: fn(&str) -> Result<String, formats::Reason>,
    code: FieldErrorCode,
) -> Result<Value, Failure> {
    let s = raw.as_str().ok_or_else(|| fail(code))?;
    normalise(s).map(Value::String).map_err(|r| (code, vec![("reason", r.to_string())]))
}

fn text(raw: &Value) -> Result<String, Failure> {
    raw.as_str().map(|s| s.trim().to_string()).ok_or_else(|| fail(FieldErrorCode::InvalidType))
}

fn check_length(s: &str, min: Option<u32>, max: Option<u32>) -> Result<(), Failure> {
    let n = s.chars().count() as u32;
    if let Some(m) = min.filter(|m| n < *m) {
        return Err((FieldErrorCode::TooShort, vec![("min", m.to_string())]));
    }
    if let Some(m) = max.filter(|m| n > *m) {
        return Err((FieldErrorCode::TooLong, vec![("max", m.to_string())]));
    }
    Ok(())
}

/// Parses a number as people write it: `1 234,5`, `1234.5`, `-3`.
fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s.trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if cleaned.is_empty() || cleaned.len() > 40 {
        return None;
    }
    let cleaned = cleaned.replace(',', ".");
    if !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+') {
        return None;
    }
    cleaned.parse::<f64>().ok()
}

/// A limit as written: `5` or `2.5`. (Through serde_json's number writer, which the apps carry
/// anyway, not `{}` on an `f64`, which would bring the float formatter to them.)
fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        (n as i64).to_string()
    } else {
        serde_json::Number::from_f64(n).map_or_else(String::new, |x| x.to_string())
    }
}

fn fmt_bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{} MB", n / (1024 * 1024))
    } else if n >= 1024 {
        format!("{} kB", n / 1024)
    } else {
        format!("{n} B")
    }
}

/// The file types the platform tells from their content (the server sniffs
/// every upload), with their extensions and the names people use for them.
const KNOWN_TYPES: &[(&[&str], &str, &str, &str)] = &[
    (&["pdf"], "application/pdf", "PDF", "PDF"),
    (&["jpg", "jpeg"], "image/jpeg", "JPG", "JPG"),
    (&["png"], "image/png", "PNG", "PNG"),
    (&["gif"], "image/gif", "GIF", "GIF"),
    (&["webp"], "image/webp", "WebP", "WebP"),
    (&["docx"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", "Word"),
    (&["xlsx"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", "Excel"),
    (&["odt"], "application/vnd.oasis.opendocument.text", "OpenDocument-text", "OpenDocument text"),
    (&["ods"], "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument-kalkylark", "OpenDocument spreadsheet"),
    (&["txt"], "text/plain", "textfil", "text file"),
];

fn known_by_extension(ext: &str) -> Option<&'static str> {
    KNOWN_TYPES.iter().find(|(exts, ..)| exts.iter().any(|e| e.eq_ignore_ascii_case(ext))).map(|(_, m, ..)| *m)
}

/// An `accept` entry is a media type (`application/pdf`), a wildcard
/// (`image/*`) or a file-name extension (`.pdf`), as in HTML's `accept`. The
/// file's type is the one the server told from its content: an extension the
/// platform knows (`.pdf`) needs content of that type, whatever the name says;
/// another extension is matched on the name.
fn accepts(entry: &str, file: &FileRef) -> bool {
    let entry = entry.trim();
    // Parameters such as `; charset=utf-8` do not change the type.
    let media_type = file.content_type.split(';').next().unwrap_or("");
    if let Some(ext) = entry.strip_prefix('.') {
        if let Some(known) = known_by_extension(ext) {
            return media_type_matches(known, media_type);
        }
        return !ext.is_empty() && file.name.rsplit_once('.').is_some_and(|(_, e)| e.eq_ignore_ascii_case(ext));
    }
    media_type_matches(entry, media_type)
}

/// An `accept` list as people name file types: "PDF, JPG eller PNG" (or
/// "PDF, JPG or PNG"), never `application/pdf` or `image/*`.
pub fn file_type_names(accept: &[String], en: bool) -> String {
    let mut names: Vec<String> = Vec::new();
    for entry in accept {
        let entry = entry.trim().to_ascii_lowercase();
        let known = match entry.strip_prefix('.') {
            Some(ext) => KNOWN_TYPES.iter().find(|(exts, ..)| exts.contains(&ext)),
            None => KNOWN_TYPES.iter().find(|(_, m, ..)| *m == entry),
        };
        let name = match (known, entry.strip_suffix("/*")) {
            (Some((_, _, sv, eng)), _) => if en { eng } else { sv }.to_string(),
            (None, Some("image")) => {
                if en { "an image (JPG, PNG, GIF or WebP)" } else { "en bild (JPG, PNG, GIF eller WebP)" }.to_string()
            }
            (None, Some(kind)) => kind.to_string(),
            (None, None) => match entry.strip_prefix('.') {
                Some(ext) => ext.to_ascii_uppercase(),
                None => entry.rsplit('/').next().unwrap_or(&entry).to_ascii_uppercase(),
            },
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), if en { "or" } else { "eller" }),
    }
}

fn media_type_matches(pattern: &str, actual: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    let actual = actual.trim().to_ascii_lowercase();
    match pattern.strip_suffix("/*") {
        Some(prefix) => actual.split('/').next() == Some(prefix),
        None => pattern == actual,
    }
}

/// Trims an e-mail address and lowercases its domain; `None` if it is not one.
pub fn normalise_email(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = s.rsplit_once('@')?;
    // Check the lowercased domain, which is what is stored: lowercasing can
    // add characters (e.g. 'İ' becomes 'i' and a combining dot).
    let domain = domain.to_lowercase();
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok || local.len() + 1 + domain.len() > 254
    {
        return None;
    }
    Some(format!("{local}@{domain}"))
}

/// The Swedish and English message for a code, with its parameters filled in.
pub fn message(code: FieldErrorCode, params: &[(&str, String)]) -> Localized {
    let p = |k: &str| params.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str()).unwrap_or("");
    use FieldErrorCode as C;
    let (sv, en) = match code {
        C::Required => ("Fältet måste fyllas i.".into(), "This field is required.".into()),
        C::InvalidType => ("Svaret har fel form.".into(), "The answer has the wrong form.".into()),
        C::UnknownField => ("Formuläret har inget sådant fält.".into(), "The form has no such field.".into()),
        C::NotAnswerable => ("Fältet tar inget svar.".into(), "This field takes no answer.".into()),
        C::TooShort => {
            (format!("Skriv minst {} tecken.", p("min")), format!("Enter at least {} characters.", p("min")))
        }
        C::TooLong => (format!("Skriv högst {} tecken.", p("max")), format!("Enter at most {} characters.", p("max"))),
        C::PatternMismatch => {
            let (hint, hint_en) = (p("hint"), p("hint_en"));
            let hint_en = if hint_en.is_empty() { hint } else { hint_en };
            if hint.is_empty() {
                ("Svaret har fel format.".into(), "The answer is not in the right format.".into())
            } else {
                (format!("Svaret har fel format: {hint}."), format!("The answer is not in the right format: {hint_en}."))
            }
        }
        C::NotANumber => ("Skriv ett tal.".into(), "Enter a number.".into()),
        C::NotAnInteger => ("Skriv ett heltal.".into(), "Enter a whole number.".into()),
        C::NumberTooLarge => (
            "Talet är för stort. Skriv ett tal med högst 15 siffror.".into(),
            "The number is too large. Enter a number of at most 15 digits.".into(),
        ),
        // An amount's limit is given in kronor ("50 000 kr").
        C::BelowMinimum | C::AboveMaximum => {
            let (limit, sv_cmp, en_cmp) =
                if code == C::BelowMinimum { (p("min"), "mindre", "more") } else { (p("max"), "större", "less") };
            let (sv, en) = if limit.ends_with("kr") { ("Beloppet", "amount") } else { ("Talet", "number") };
            (format!("{sv} får inte vara {sv_cmp} än {limit}."), format!("The {en} must be {limit} or {en_cmp}."))
        }
        C::InvalidDate => {
            ("Skriv ett datum som finns, som ÅÅÅÅ-MM-DD.".into(), "Enter a real date as YYYY-MM-DD.".into())
        }
        C::DateTooEarly => {
            (format!("Datumet får inte vara före {}.", p("min")), format!("The date must be {} or later.", p("min")))
        }
        C::DateTooLate => {
            (format!("Datumet får inte vara efter {}.", p("max")), format!("The date must be {} or earlier.", p("max")))
        }
        C::InvalidEmail => (
            "Skriv en e-postadress, som namn@exempel.se.".into(),
            "Enter an e-mail address, like name@example.com.".into(),
        ),
        C::InvalidPhone => match p("reason") {
            "area_code" => (
                "Skriv telefonnumret med riktnummer, som 070-123 45 67, eller med landsnummer, som +46 70 123 45 67."
                    .into(),
                "Enter the telephone number with its area code, like 070-123 45 67, or its country code, like +46 70 123 45 67."
                    .into(),
            ),
            _ => (
                "Skriv ett telefonnummer, som 070-123 45 67 eller +46 70 123 45 67.".into(),
                "Enter a telephone number, like 070-123 45 67 or +46 70 123 45 67.".into(),
            ),
        },
        C::InvalidOrganisationsnummer => match p("reason") {
            "checksum" => (
                "Organisationsnumret stämmer inte – kontrollera siffrorna.".into(),
                "The organisation number is not right – check the digits.".into(),
            ),
            "group" => (
                "Det är inte ett organisationsnummer. Skriv organisationens nummer, som 802002-4280.".into(),
                "That is not an organisation number. Enter the organisation's number, like 802002-4280.".into(),
            ),
            _ => (
                "Skriv organisationsnumret med tio siffror, som 802002-4280.".into(),
                "Enter the organisation number as ten digits, like 802002-4280.".into(),
            ),
        },
        C::InvalidPostnummer => {
            ("Skriv postnumret med fem siffror, som 252 25.".into(), "Enter the postcode as five digits, like 252 25.".into())
        }
        C::InvalidBankgiro | C::InvalidPlusgiro => {
            let (sv, en, example) =
                if code == C::InvalidBankgiro { ("Bankgiro", "bankgiro", "5050-1055") } else { ("Plusgiro", "plusgiro", "90 01 22-3") };
            match p("reason") {
                "checksum" => (
                    format!("{sv}numret stämmer inte – kontrollera siffrorna."),
                    format!("The {en} number is not right – check the digits."),
                ),
                _ => (
                    format!("Skriv {}numret som {example}.", sv.to_lowercase()),
                    format!("Enter the {en} number like {example}."),
                ),
            }
        }
        C::InvalidAmount => match p("reason") {
            "too_large" => ("Beloppet är för stort.".into(), "The amount is too large.".into()),
            "ore" => ("Skriv beloppet i hela kronor, utan öre.".into(), "Enter the amount in whole kronor.".into()),
            _ => (
                "Skriv beloppet i kronor, som 1 500 eller 1 500,50.".into(),
                "Enter the amount in kronor, like 1 500 or 1 500.50.".into(),
            ),
        },
        C::InvalidPersonnummer => match p("reason") {
            "checksum" => (
                "Personnumret är inte giltigt: kontrollsiffran stämmer inte.".into(),
                "The personal identity number is not valid: the check digit is wrong.".into(),
            ),
            "date" => (
                "Personnumret är inte giltigt: datumet finns inte.".into(),
                "The personal identity number is not valid: the date does not exist.".into(),
            ),
            _ => (
                "Skriv personnumret som ÅÅÅÅMMDD-XXXX.".into(),
                "Enter the personal identity number as YYYYMMDD-XXXX.".into(),
            ),
        },
        C::SamordningsnummerNotAllowed => {
            ("Samordningsnummer kan inte användas här.".into(), "A coordination number cannot be used here.".into())
        }
        C::InvalidOption => ("Välj ett av alternativen.".into(), "Choose one of the options.".into()),
        C::DuplicateOption => {
            ("Samma alternativ är valt två gånger.".into(), "The same option is chosen twice.".into())
        }
        C::TooFewSelected => (format!("Välj minst {}.", p("min")), format!("Choose at least {}.", p("min"))),
        C::TooManySelected => (format!("Välj högst {}.", p("max")), format!("Choose at most {}.", p("max"))),
        C::TooManyFiles => {
            (format!("Du kan bifoga högst {} filer.", p("max")), format!("You can attach at most {} files.", p("max")))
        }
        C::FileTooLarge => {
            (format!("Filen får vara högst {}.", p("max")), format!("The file must be at most {}.", p("max")))
        }
        C::FileTypeNotAllowed => {
            let accept: Vec<String> = p("accept").split(", ").map(str::to_string).collect();
            (
                format!("Filen måste vara {}.", file_type_names(&accept, false)),
                format!("The file must be {}.", file_type_names(&accept, true)),
            )
        }
        // A rule's message is its own (`Rule::message`); this is only a fallback.
        C::Rule => ("Svaren stämmer inte med varandra.".into(), "The answers do not agree with each other.".into()),
        C::TooFewRows | C::TooManyRows => {
            let (n, sv, en) = if code == C::TooFewRows { (p("min"), "minst", "at least") } else { (p("max"), "högst", "at most") };
            let (rows_sv, rows_en) = if n == "1" { ("rad", "row") } else { ("rader", "rows") };
            (format!("Fyll i {sv} {n} {rows_sv}."), format!("Fill in {en} {n} {rows_en}."))
        }
        C::FileUnavailable => (
            "Filen finns inte längre eller kan inte användas här. Ladda upp den igen.".into(),
            "The file is no longer there or cannot be used here. Upload it again.".into(),
        ),
    };
    Localized { sv, en }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
