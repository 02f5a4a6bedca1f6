//! The form definition: a form version has ordered pages, a page has ordered
//! fields, and pages and fields may carry a [`Condition`] that decides whether
//! they are shown. [`FormDefinition::check`] rejects definitions that cannot be
//! evaluated, naming the offending field.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::date::IsoDate;
use crate::limits::{
    MAX_CONDITION_DEPTH, MAX_CONDITION_NODES, MAX_FIELDS, MAX_OPTIONS, MAX_PAGES, MAX_PATTERNS, MAX_ROWS,
    condition_size,
};
use crate::rule::{MAX_RULES, Rule, check_rule};
use crate::text::Text;

/// A complete form: the pages an applicant walks through, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FormDefinition {
    /// The pages in the order the applicant sees them.
    pub pages: Vec<Page>,
    /// Rules across fields of several pages, checked after every page (see [`Rule`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
}

/// One page of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Page {
    /// Stable key, unique in the form: lowercase letters, digits and `_`.
    pub key: String,
    /// The page heading.
    pub title: Text,
    /// Optional text shown under the heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The page is shown only when this holds. It may refer only to fields on earlier pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// The fields (questions) of the page, in order.
    pub fields: Vec<Field>,
    /// Rules across the fields of this page and earlier pages, checked when the page is left
    /// (and as the applicant answers); see [`Rule`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
}

/// One field (question) of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Field {
    /// Stable key, unique in the form: lowercase letters, digits and `_`, starting with a letter.
    pub key: String,
    /// The question as the applicant reads it.
    pub label: Text,
    /// Help text shown under the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// An answer is required when the field is shown.
    #[serde(default)]
    pub required: bool,
    /// The field is shown only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// What kind of answer the field takes, with its constraints.
    pub kind: FieldKind,
    /// The purpose of a field that asks about the applicant themselves, as an HTML
    /// `autocomplete` token (WCAG 2.1 1.3.5), e.g. `email`, `tel`, `given-name`. An e-mail
    /// field marked `email` is the applicant's contact address: the confirmation e-mail goes there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autocomplete: Option<String>,
    /// The answer is filled in before the applicant answers: from the population register, the
    /// e-ID or their previous case (see [`crate::prefill`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<crate::prefill::Prefill>,
    /// A repeating group's row: the fields each row answers (only a field of kind `group` has
    /// them). No groups, addresses, files, info texts or chosen children, and no conditions or
    /// prefills; their keys are unique in the whole form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "server", schema(no_recursion))]
    pub fields: Vec<Field>,
    /// A repeating group's rules across the fields of one row, checked in every row (only a
    /// field of kind `group` has them); their `field` is one of the row's fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
}

/// The `autocomplete` tokens a field may carry (the WCAG 2.1 input purposes a municipal form uses).
pub const AUTOCOMPLETE_TOKENS: &[&str] = &[
    "name",
    "given-name",
    "family-name",
    "email",
    "tel",
    "street-address",
    "postal-code",
    "address-level2",
    "organization",
    "bday",
];

/// An option of a single- or multiple-choice field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    /// The stored value.
    pub value: String,
    /// The text the applicant sees.
    pub label: Text,
}

/// How a single-choice field is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChoiceDisplay {
    /// Radio buttons.
    #[default]
    Radio,
    /// A drop-down list.
    Select,
}

/// The kind of a field and its kind-specific constraints.
// `Deserialize` is written by hand (below, with `crate::wire`) to keep the browser's
// download small; it accepts what the derive would. (Not a doc comment: that would
// change the OpenAPI schema's description.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    ShortText {
        /// Minimum number of characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_length: Option<u32>,
        /// Maximum number of characters (at most 1000 when not given).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
        /// A regular expression the whole answer must match.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pattern: Option<String>,
        /// Explains the pattern to the applicant, e.g. "five digits".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pattern_description: Option<Text>,
    },
    /// Several lines of text.
    LongText {
        /// Minimum number of characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_length: Option<u32>,
        /// Maximum number of characters (at most 20000 when not given).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
    /// A number.
    Number {
        /// Smallest allowed value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// Largest allowed value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Only whole numbers.
        #[serde(default)]
        integer: bool,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date {
        /// Earliest allowed date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<chrono::NaiveDate>,
        /// Latest allowed date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<chrono::NaiveDate>,
    },
    /// An e-mail address.
    Email,
    /// A telephone number, Swedish or international, stored in E.164 (`+46701234567`; see
    /// [`crate::formats::normalise_phone`]).
    Phone,
    /// A Swedish personnummer; stored as 12 digits.
    Personnummer {
        /// Also accept samordningsnummer (coordination numbers).
        #[serde(default = "yes")]
        allow_samordningsnummer: bool,
    },
    /// Exactly one of the options.
    SingleChoice {
        /// The options, in order.
        options: Vec<ChoiceOption>,
        /// Radio buttons or a drop-down list.
        #[serde(default)]
        display: ChoiceDisplay,
    },
    /// Any number of the options (check boxes).
    MultipleChoice {
        /// The options, in order.
        options: Vec<ChoiceOption>,
        /// Fewest options to choose.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_selected: Option<u32>,
        /// Most options to choose.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_selected: Option<u32>,
    },
    /// Yes or no; the answer is `true` or `false`.
    YesNo,
    /// Uploaded files, referred to by their upload ids.
    File {
        /// Most files (1 when not given).
        #[serde(default = "one")]
        max_files: u32,
        /// Largest size of one file in bytes.
        max_size_bytes: u64,
        /// Allowed types: media types (`application/pdf`), wildcards (`image/*`) or
        /// file-name extensions (`.pdf`); empty means any.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        accept: Vec<String>,
    },
    /// Static information text; takes no answer.
    Info {
        /// The text to show.
        text: Text,
    },
    /// "Choose child": one of the logged-in applicant's children in the population register,
    /// chosen from a list; the answer is the child's personnummer (12 digits). The server checks
    /// that the register names the applicant as the child's guardian. A signing service can take
    /// the co-signers from it (the child's other guardians).
    Child,
    /// A Swedish organisationsnummer, stored as ten digits and shown `NNNNNN-NNNN`; the check
    /// digit and the group are checked and `16` before it is dropped
    /// ([`crate::formats::normalise_organisationsnummer`]).
    Organisationsnummer,
    /// A Swedish postnummer, stored as five digits and shown `NNN NN`.
    Postnummer,
    /// A bankgiro number, stored as its digits and shown `NNNN-NNNN`; the check digit is checked.
    Bankgiro,
    /// A plusgiro number, stored as its digits and shown `NNNNNN-N`; the check digit is checked.
    Plusgiro,
    /// An amount of money in kronor, typed as people write it (`1 234,50`) and stored as a whole
    /// number of öre (`123450`), shown `1 234,50 kr`. Never negative.
    Amount {
        /// Smallest amount, in whole kronor.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_kronor: Option<u64>,
        /// Largest amount, in whole kronor.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_kronor: Option<u64>,
        /// Only whole kronor (no öre).
        #[serde(default)]
        whole_kronor: bool,
    },
    /// A postal address in three parts, `{"street", "postnummer", "ort"}` (see
    /// [`crate::parts`]): all three are needed once any is answered. It can be filled in from the
    /// population register (`prefill: {"from": "address"}`).
    Address,
    /// A repeating group: the applicant adds rows that each answer the same fields (the
    /// association's board members, say), given like a page's beside the kind: the field's
    /// `fields` and `rules`. The answer is a list of rows, each an object of that row's answers
    /// by field key (see [`crate::parts`]).
    Group {
        /// Fewest rows (none when not given; a required group needs at least one).
        #[serde(default)]
        min_rows: u32,
        /// Most rows, at most [`MAX_ROWS`](crate::limits::MAX_ROWS) (10 when not given).
        #[serde(default = "ten")]
        max_rows: u32,
        /// What one row is called; rows are numbered after it ("Ledamot 1", "Ledamot 2").
        /// "Rad"/"Row" when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        row_label: Option<Text>,
    },
}

fn yes() -> bool {
    true
}
fn one() -> u32 {
    1
}
fn ten() -> u32 {
    10
}

impl<'de> Deserialize<'de> for FieldKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::wire::deserialize(deserializer)
    }
}

impl crate::wire::Tagged for FieldKind {
    const EXPECTING: &'static str = "internally tagged enum FieldKind";
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] = &[
        "short_text",
        "long_text",
        "number",
        "date",
        "email",
        "phone",
        "personnummer",
        "single_choice",
        "multiple_choice",
        "yes_no",
        "file",
        "info",
        "child",
        "organisationsnummer",
        "postnummer",
        "bankgiro",
        "plusgiro",
        "amount",
        "address",
        "group",
    ];
    const KEYS: &'static [&'static str] = &[
        "min_length",
        "max_length",
        "pattern",
        "pattern_description",
        "min",
        "max",
        "integer",
        "allow_samordningsnummer",
        "options",
        "display",
        "min_selected",
        "max_selected",
        "max_files",
        "max_size_bytes",
        "accept",
        "text",
        "min_kronor",
        "max_kronor",
        "whole_kronor",
        "min_rows",
        "max_rows",
        "row_label",
    ];

    fn build(variant: usize, mut f: crate::wire::Fields) -> Result<Self, serde_json::Error> {
        Ok(match variant {
            0 => FieldKind::ShortText {
                min_length: f.opt("min_length")?,
                max_length: f.opt("max_length")?,
                pattern: f.opt("pattern")?,
                pattern_description: f.opt("pattern_description")?,
            },
            1 => FieldKind::LongText { min_length: f.opt("min_length")?, max_length: f.opt("max_length")? },
            2 => FieldKind::Number { min: f.opt("min")?, max: f.opt("max")?, integer: f.or("integer", false)? },
            3 => FieldKind::Date {
                min: f.opt::<IsoDate>("min")?.map(|d| d.0),
                max: f.opt::<IsoDate>("max")?.map(|d| d.0),
            },
            4 => FieldKind::Email,
            5 => FieldKind::Phone,
            6 => FieldKind::Personnummer { allow_samordningsnummer: f.or("allow_samordningsnummer", yes())? },
            7 => FieldKind::SingleChoice {
                options: f.req("options")?,
                display: f.or("display", ChoiceDisplay::default())?,
            },
            8 => FieldKind::MultipleChoice {
                options: f.req("options")?,
                min_selected: f.opt("min_selected")?,
                max_selected: f.opt("max_selected")?,
            },
            9 => FieldKind::YesNo,
            10 => FieldKind::File {
                max_files: f.or("max_files", one())?,
                max_size_bytes: f.req("max_size_bytes")?,
                accept: f.or("accept", Vec::new())?,
            },
            11 => FieldKind::Info { text: f.req("text")? },
            12 => FieldKind::Child,
            13 => FieldKind::Organisationsnummer,
            14 => FieldKind::Postnummer,
            15 => FieldKind::Bankgiro,
            16 => FieldKind::Plusgiro,
            17 => FieldKind::Amount {
                min_kronor: f.opt("min_kronor")?,
                max_kronor: f.opt("max_kronor")?,
                whole_kronor: f.or("whole_kronor", false)?,
            },
            18 => FieldKind::Address,
            _ => FieldKind::Group {
                min_rows: f.or("min_rows", 0)?,
                max_rows: f.or("max_rows", ten())?,
                row_label: f.opt("row_label")?,
            },
        })
    }
}

/// Default longest answer of a short text field.
pub const SHORT_TEXT_MAX: u32 = 1_000;
/// Default longest answer of a long text field.
pub const LONG_TEXT_MAX: u32 = 20_000;

impl FieldKind {
    /// True for kinds that take an answer (everything but static info text).
    pub fn takes_answer(&self) -> bool {
        !matches!(self, FieldKind::Info { .. })
    }

    /// True for kinds whose answer is a number that rules and conditions compare: numbers and
    /// amounts (in öre).
    pub fn is_numeric(&self) -> bool {
        matches!(self, FieldKind::Number { .. } | FieldKind::Amount { .. })
    }

    /// The machine name of the kind, as in the JSON `type` tag.
    pub fn type_name(&self) -> &'static str {
        match self {
            FieldKind::ShortText { .. } => "short_text",
            FieldKind::LongText { .. } => "long_text",
            FieldKind::Number { .. } => "number",
            FieldKind::Date { .. } => "date",
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::Personnummer { .. } => "personnummer",
            FieldKind::SingleChoice { .. } => "single_choice",
            FieldKind::MultipleChoice { .. } => "multiple_choice",
            FieldKind::YesNo => "yes_no",
            FieldKind::File { .. } => "file",
            FieldKind::Info { .. } => "info",
            FieldKind::Child => "child",
            FieldKind::Organisationsnummer => "organisationsnummer",
            FieldKind::Postnummer => "postnummer",
            FieldKind::Bankgiro => "bankgiro",
            FieldKind::Plusgiro => "plusgiro",
            FieldKind::Amount { .. } => "amount",
            FieldKind::Address => "address",
            FieldKind::Group { .. } => "group",
        }
    }
}

/// Why a form definition is rejected. Every variant names the page or field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DefinitionError {
    /// The form has no page.
    #[error("the form has no page")]
    NoPages,
    /// A page or field key is not of the form `[a-z][a-z0-9_]{0,63}`.
    #[error("the key '{key}' is not valid: use 1 to 64 lowercase letters, digits or '_', starting with a letter")]
    InvalidKey {
        /// The offending key.
        key: String,
    },
    /// Two pages or two fields share a key.
    #[error("the key '{key}' is used more than once")]
    DuplicateKey {
        /// The duplicated key.
        key: String,
    },
    /// A page without any field.
    #[error("page '{page}' has no field")]
    EmptyPage {
        /// The page key.
        page: String,
    },
    /// A condition names a field that does not exist.
    #[error("the condition on '{on}' refers to the unknown field '{field}'")]
    UnknownField {
        /// The page or field carrying the condition.
        on: String,
        /// The unknown field key.
        field: String,
    },
    /// A condition names an info field, which has no answer.
    #[error("the condition on '{on}' refers to '{field}', which takes no answer")]
    NotAnswerable {
        /// The page or field carrying the condition.
        on: String,
        /// The referenced field key.
        field: String,
    },
    /// A condition refers to a field that is not yet answered when it must be evaluated.
    #[error(
        "the condition on '{on}' refers to '{field}', which comes later in the form; it can refer only to earlier pages or to fields on the same page"
    )]
    ForwardReference {
        /// The page or field carrying the condition.
        on: String,
        /// The referenced field key.
        field: String,
    },
    /// Conditions of fields on one page depend on each other in a circle.
    #[error("the conditions of field '{field}' form a cycle: {path}")]
    Cycle {
        /// A field on the cycle.
        field: String,
        /// The cycle, e.g. `a -> b -> a`.
        path: String,
    },
    /// A condition compares a field in a way its kind does not support.
    #[error("the condition on '{on}' cannot compare '{field}' that way: {reason}")]
    IncompatibleComparison {
        /// The page or field carrying the condition.
        on: String,
        /// The referenced field key.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A rule across fields cannot be evaluated as written.
    #[error("the rule '{rule}' is not valid: {reason}")]
    InvalidRule {
        /// The rule's key.
        rule: String,
        /// What is wrong.
        reason: String,
    },
    /// The definition is larger than a limit allows (see `shared::limits`).
    #[error("{what} is over the limit of {limit}")]
    OverLimit {
        /// What is too large, e.g. "the number of fields".
        what: String,
        /// The limit.
        limit: usize,
    },
    /// A text that must be written has no Swedish text.
    #[error("the {what} of '{at}' needs a Swedish text")]
    MissingText {
        /// The key of the page, field or rule.
        at: String,
        /// Which of its texts, e.g. `label`.
        what: String,
    },
    /// A field's constraints contradict each other or are out of range.
    #[error("field '{field}' has invalid settings: {reason}")]
    InvalidConstraint {
        /// The field key.
        field: String,
        /// What is wrong.
        reason: String,
    },
}

/// True when `key` is a valid page or field key.
pub fn is_valid_key(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// Where a field sits: page index and position on the page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldPos<'a> {
    pub page: usize,
    pub field: &'a Field,
}

impl FormDefinition {
    /// All fields with their page index, in form order.
    pub fn fields(&self) -> impl Iterator<Item = (usize, &Field)> {
        self.pages.iter().enumerate().flat_map(|(i, p)| p.fields.iter().map(move |f| (i, f)))
    }

    /// Looks a field up by key.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields().map(|(_, f)| f).find(|f| f.key == key)
    }

    /// The applicant's contact address in (validated) answers: the answer to the first e-mail
    /// field the form marks as the applicant's own (`autocomplete: email`). Where mail about
    /// the case goes, and what an anonymous applicant's private link is sent to.
    pub fn contact_email(&self, answers: &crate::Answers) -> Option<String> {
        self.fields()
            .filter(|(_, f)| matches!(f.kind, FieldKind::Email) && f.autocomplete.as_deref() == Some("email"))
            .find_map(|(_, f)| answers.get(&f.key).and_then(serde_json::Value::as_str).map(str::to_string))
    }

    pub(crate) fn index(&self) -> BTreeMap<&str, FieldPos<'_>> {
        self.fields().map(|(page, field)| (field.key.as_str(), FieldPos { page, field })).collect()
    }

    /// Checks that the definition is well formed and its conditions can be
    /// evaluated: keys valid and unique, conditions refer to known answerable
    /// fields on earlier pages (or, for fields, the same page) without cycles,
    /// comparisons fit the referenced field, and constraints are consistent.
    pub fn check(&self) -> Result<(), DefinitionError> {
        if self.pages.is_empty() {
            return Err(DefinitionError::NoPages);
        }
        let over = |what: String, limit: usize| Err(DefinitionError::OverLimit { what, limit });
        if self.pages.len() > MAX_PAGES {
            return over("the number of pages".into(), MAX_PAGES);
        }
        // A group's fields and rules count once for each row it may have.
        let has_pattern = |f: &Field| matches!(f.kind, FieldKind::ShortText { pattern: Some(_), .. });
        let (mut fields, mut rules, mut patterns) = (0_usize, self.rules.len(), 0_usize);
        for (_, field) in self.fields() {
            let rows = match &field.kind {
                FieldKind::Group { max_rows, .. } => (*max_rows).min(MAX_ROWS) as usize,
                _ => 0,
            };
            fields += 1 + field.fields.len() * rows;
            rules += field.rules.len() * rows;
            patterns += usize::from(has_pattern(field)) + field.fields.iter().filter(|f| has_pattern(f)).count() * rows;
        }
        rules += self.pages.iter().map(|p| p.rules.len()).sum::<usize>();
        if fields > MAX_FIELDS {
            return over("the number of fields".into(), MAX_FIELDS);
        }
        if rules > MAX_RULES {
            return over("the number of rules".into(), MAX_RULES);
        }
        if patterns > MAX_PATTERNS {
            return over("the number of fields with a pattern".into(), MAX_PATTERNS);
        }
        let conditions = self.pages.iter().map(|p| (&p.key, &p.condition));
        let conditions = conditions.chain(self.fields().map(|(_, f)| (&f.key, &f.condition)));
        let rules = self.pages.iter().flat_map(|p| &p.rules).chain(&self.rules);
        for (on, condition) in conditions.chain(rules.map(|r| (&r.key, &r.condition))) {
            let Some(condition) = condition else { continue };
            let (depth, nodes) = condition_size(condition);
            if depth > MAX_CONDITION_DEPTH {
                return over(format!("the depth of the condition on '{on}'"), MAX_CONDITION_DEPTH);
            }
            if nodes > MAX_CONDITION_NODES {
                return over(format!("the number of parts of the condition on '{on}'"), MAX_CONDITION_NODES);
            }
        }
        let mut seen = BTreeSet::new();
        for page in &self.pages {
            if !is_valid_key(&page.key) {
                return Err(DefinitionError::InvalidKey { key: page.key.clone() });
            }
            if !seen.insert(page.key.as_str()) {
                return Err(DefinitionError::DuplicateKey { key: page.key.clone() });
            }
            if page.fields.is_empty() {
                return Err(DefinitionError::EmptyPage { page: page.key.clone() });
            }
        }
        let mut field_keys = BTreeSet::new();
        for field in self.fields().flat_map(|(_, f)| std::iter::once(f).chain(&f.fields)) {
            if !is_valid_key(&field.key) {
                return Err(DefinitionError::InvalidKey { key: field.key.clone() });
            }
            if !field_keys.insert(field.key.as_str()) || seen.contains(field.key.as_str()) {
                return Err(DefinitionError::DuplicateKey { key: field.key.clone() });
            }
            check_constraints(field)?;
            if let Some(p) = field.prefill {
                let bad = |reason: &str| {
                    Err(DefinitionError::InvalidConstraint { field: field.key.clone(), reason: reason.into() })
                };
                if let Some(reason) = p.from.fits(&field.kind) {
                    return bad(reason);
                }
                if p.locked && p.from == crate::prefill::PrefillSource::PreviousCase {
                    return bad(
                        "a prefill from a previous case cannot be locked: the applicant confirms and may change it",
                    );
                }
            }
        }
        let index = self.index();
        for (page_idx, page) in self.pages.iter().enumerate() {
            if let Some(cond) = &page.condition {
                cond.check_references(&page.key, &index, |pos| pos.page < page_idx)?;
            }
            for field in &page.fields {
                if let Some(cond) = &field.condition {
                    cond.check_references(&field.key, &index, |pos| pos.page <= page_idx)?;
                }
            }
            check_page_cycles(page)?;
        }
        if let Some(t) = self.texts().into_iter().find(|t| t.required && t.text.is_blank()) {
            return Err(DefinitionError::MissingText { at: t.at.to_owned(), what: t.what.into_owned() });
        }
        let mut rule_keys = BTreeSet::new();
        for (page_idx, page) in self.pages.iter().enumerate() {
            for rule in &page.rules {
                check_rule(rule, Some(page_idx), &index, &mut rule_keys)?;
            }
        }
        for rule in &self.rules {
            check_rule(rule, None, &index, &mut rule_keys)?;
        }
        // A row's rules read the fields of the row.
        for (page, group) in self.fields() {
            let row: BTreeMap<&str, FieldPos<'_>> =
                group.fields.iter().map(|field| (field.key.as_str(), FieldPos { page, field })).collect();
            for rule in &group.rules {
                check_rule(rule, Some(page), &row, &mut rule_keys)?;
            }
        }
        Ok(())
    }
}

/// One text of a definition, where it is and what it is.
pub struct TextAt<'a> {
    /// The key of the page, field or rule it belongs to.
    pub at: &'a str,
    /// Which text: `title`, `description`, `label`, `help`, `pattern_description`, `option
    /// '<value>'`, `text` (an info block's) or `message` (a rule's).
    pub what: std::borrow::Cow<'static, str>,
    /// Whether it must be written (in Swedish).
    pub required: bool,
    /// The text.
    pub text: &'a Text,
}

/// A text of a definition without its English translation, for the builder's publish checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Untranslated {
    /// The key of the page, field or rule.
    pub at: String,
    /// Which of its texts, e.g. `label`, `option 'ja'`.
    pub what: String,
}

impl FormDefinition {
    /// Every text of the definition, in form order: the one list that `check` (a required text
    /// needs Swedish) and [`FormDefinition::untranslated`] read.
    pub fn texts(&self) -> Vec<TextAt<'_>> {
        use std::borrow::Cow;
        fn at<'a>(at: &'a str, what: &'static str, required: bool, text: &'a Text) -> TextAt<'a> {
            TextAt { at, what: Cow::Borrowed(what), required, text }
        }
        let mut out = Vec::new();
        for page in &self.pages {
            out.push(at(&page.key, "title", true, &page.title));
            out.extend(page.description.iter().map(|d| at(&page.key, "description", false, d)));
            let fields = page.fields.iter().flat_map(|f| std::iter::once(f).chain(&f.fields));
            for field in fields {
                out.push(at(&field.key, "label", true, &field.label));
                out.extend(field.help.iter().map(|h| at(&field.key, "help", false, h)));
                match &field.kind {
                    FieldKind::ShortText { pattern_description: Some(d), .. } => {
                        out.push(at(&field.key, "pattern_description", false, d))
                    }
                    FieldKind::SingleChoice { options, .. } | FieldKind::MultipleChoice { options, .. } => {
                        out.extend(options.iter().map(|o| TextAt {
                            at: &field.key,
                            what: Cow::Owned(format!("option '{}'", o.value)),
                            required: true,
                            text: &o.label,
                        }))
                    }
                    FieldKind::Info { text } => out.push(at(&field.key, "text", true, text)),
                    FieldKind::Group { row_label: Some(label), .. } => {
                        out.push(at(&field.key, "row_label", false, label))
                    }
                    _ => {}
                }
                out.extend(field.rules.iter().map(|r| at(&r.key, "message", true, &r.message)));
            }
            out.extend(page.rules.iter().map(|r| at(&r.key, "message", true, &r.message)));
        }
        out.extend(self.rules.iter().map(|r| at(&r.key, "message", true, &r.message)));
        out
    }

    /// The texts written in Swedish only (warnings, not errors: English falls back to Swedish).
    pub fn untranslated(&self) -> Vec<Untranslated> {
        self.texts()
            .into_iter()
            .filter(|t| !t.text.is_blank() && !t.text.is_translated())
            .map(|t| Untranslated { at: t.at.to_owned(), what: t.what.into_owned() })
            .collect()
    }
}

/// Orders the fields of one page so that every field comes after the fields
/// its condition refers to (on the same page). Fails on a cycle. A depth-first
/// walk with its own stack, so that a long chain of conditions cannot overflow
/// the call stack.
pub(crate) fn page_evaluation_order(page: &Page) -> Result<Vec<&Field>, DefinitionError> {
    let on_page: BTreeMap<&str, &Field> = page.fields.iter().map(|f| (f.key.as_str(), f)).collect();
    let deps = |field: &Field| -> Vec<&Field> {
        let referenced = field.condition.as_ref().map(Condition::referenced_fields).unwrap_or_default();
        referenced.into_iter().filter_map(|k| on_page.get(k).copied()).collect()
    };
    let mut order = Vec::with_capacity(page.fields.len());
    // Absent = unvisited, false = on the stack, true = done.
    let mut done: BTreeMap<&str, bool> = BTreeMap::new();
    for root in &page.fields {
        if done.contains_key(root.key.as_str()) {
            continue;
        }
        done.insert(&root.key, false);
        let mut stack = vec![(root, deps(root), 0_usize)];
        while let Some((field, field_deps, next)) = stack.last_mut() {
            let Some(&dep) = field_deps.get(*next) else {
                done.insert(&field.key, true);
                order.push(*field);
                stack.pop();
                continue;
            };
            *next += 1;
            match done.get(dep.key.as_str()) {
                Some(true) => {}
                Some(false) => {
                    let start = stack.iter().position(|(f, ..)| f.key == dep.key).unwrap_or(0);
                    let mut path: Vec<&str> = stack[start..].iter().map(|(f, ..)| f.key.as_str()).collect();
                    path.push(&dep.key);
                    return Err(DefinitionError::Cycle { field: dep.key.clone(), path: path.join(" -> ") });
                }
                None => {
                    done.insert(&dep.key, false);
                    stack.push((dep, deps(dep), 0));
                }
            }
        }
    }
    Ok(order)
}

fn check_page_cycles(page: &Page) -> Result<(), DefinitionError> {
    page_evaluation_order(page).map(|_| ())
}

fn check_constraints(field: &Field) -> Result<(), DefinitionError> {
    let bad =
        |reason: &str| Err(DefinitionError::InvalidConstraint { field: field.key.clone(), reason: reason.to_string() });
    let has_row = !field.fields.is_empty() || !field.rules.is_empty();
    if has_row && !matches!(field.kind, FieldKind::Group { .. }) {
        return bad("only a field of kind group has fields and rules of its own");
    }
    if let Some(token) = &field.autocomplete {
        if !AUTOCOMPLETE_TOKENS.contains(&token.as_str()) {
            return bad(&format!("autocomplete '{token}' is not one of: {}", AUTOCOMPLETE_TOKENS.join(", ")));
        }
        if token == "email" && !matches!(field.kind, FieldKind::Email) {
            return bad("autocomplete 'email' is for a field of kind email");
        }
    }
    match &field.kind {
        FieldKind::ShortText { min_length, max_length, pattern, .. } => {
            if let (Some(a), Some(b)) = (min_length, max_length)
                && a > b
            {
                return bad("min_length is greater than max_length");
            }
            if max_length.is_some_and(|m| m > SHORT_TEXT_MAX) {
                return bad("max_length of a short text can be at most 1000");
            }
            if min_length.is_some_and(|m| m > max_length.unwrap_or(SHORT_TEXT_MAX)) {
                return bad("min_length is greater than the longest answer allowed");
            }
            if let Some(p) = pattern {
                if p.len() > 500 {
                    return bad("pattern is longer than 500 characters");
                }
                // The one engine the server and the browser match with (see `shared::pattern`).
                if let Err(e) = crate::pattern::Pattern::new(p) {
                    return bad(&format!("pattern cannot be used: {e}"));
                }
            }
        }
        FieldKind::LongText { min_length, max_length } => {
            if let (Some(a), Some(b)) = (min_length, max_length)
                && a > b
            {
                return bad("min_length is greater than max_length");
            }
            if max_length.is_some_and(|m| m > LONG_TEXT_MAX) {
                return bad("max_length of a long text can be at most 20000");
            }
            if min_length.is_some_and(|m| m > max_length.unwrap_or(LONG_TEXT_MAX)) {
                return bad("min_length is greater than the longest answer allowed");
            }
        }
        FieldKind::Number { min, max, .. } => {
            if min.is_some_and(|v| !v.is_finite()) || max.is_some_and(|v| !v.is_finite()) {
                return bad("min and max must be finite numbers");
            }
            if let (Some(a), Some(b)) = (min, max)
                && a > b
            {
                return bad("min is greater than max");
            }
        }
        FieldKind::Date { min, max } => {
            if let (Some(a), Some(b)) = (min, max)
                && a > b
            {
                return bad("min is later than max");
            }
        }
        FieldKind::SingleChoice { options, .. } | FieldKind::MultipleChoice { options, .. } => {
            if options.is_empty() {
                return bad("a choice field needs at least one option");
            }
            if options.len() > MAX_OPTIONS {
                return bad(&format!("a choice field can have at most {MAX_OPTIONS} options"));
            }
            let mut values = BTreeSet::new();
            for o in options {
                if o.value.trim().is_empty() {
                    return bad("an option has an empty value");
                }
                if !values.insert(o.value.as_str()) {
                    return Err(DefinitionError::InvalidConstraint {
                        field: field.key.clone(),
                        reason: format!("the option value '{}' is used more than once", o.value),
                    });
                }
            }
            if let FieldKind::MultipleChoice { min_selected, max_selected, .. } = &field.kind {
                if let (Some(a), Some(b)) = (min_selected, max_selected)
                    && a > b
                {
                    return bad("min_selected is greater than max_selected");
                }
                if *max_selected == Some(0) {
                    return bad("max_selected must be at least 1");
                }
                if min_selected.is_some_and(|m| m as usize > options.len()) {
                    return bad("min_selected is greater than the number of options");
                }
            }
        }
        FieldKind::File { max_files, max_size_bytes, .. } => {
            if *max_files == 0 || *max_files > 50 {
                return bad("max_files must be between 1 and 50");
            }
            if *max_size_bytes == 0 {
                return bad("max_size_bytes must be greater than 0");
            }
        }
        FieldKind::Info { .. } => {
            if field.required {
                return bad("an info text cannot be required");
            }
        }
        FieldKind::Amount { min_kronor, max_kronor, .. } => {
            if let (Some(a), Some(b)) = (min_kronor, max_kronor)
                && a > b
            {
                return bad("min_kronor is greater than max_kronor");
            }
            if max_kronor.is_some_and(|m| m.saturating_mul(100) > crate::formats::AMOUNT_MAX_ORE) {
                return bad("max_kronor is larger than an amount can be");
            }
        }
        FieldKind::Group { min_rows, max_rows, .. } => {
            if field.fields.is_empty() {
                return bad("a group needs at least one field in its row");
            }
            if *max_rows == 0 || *max_rows > MAX_ROWS {
                return bad(&format!("max_rows must be between 1 and {MAX_ROWS}"));
            }
            if min_rows > max_rows {
                return bad("min_rows is greater than max_rows");
            }
            for inner in &field.fields {
                let bad = |reason: String| Err(DefinitionError::InvalidConstraint { field: inner.key.clone(), reason });
                if matches!(
                    inner.kind,
                    FieldKind::Group { .. }
                        | FieldKind::Address
                        | FieldKind::File { .. }
                        | FieldKind::Info { .. }
                        | FieldKind::Child
                ) {
                    return bad(format!("a group's row cannot hold a field of kind {}", inner.kind.type_name()));
                }
                if inner.condition.is_some() || inner.prefill.is_some() {
                    return bad("a field in a group's row has no condition or prefill of its own".into());
                }
            }
        }
        FieldKind::Address
        | FieldKind::Email
        | FieldKind::Phone
        | FieldKind::Personnummer { .. }
        | FieldKind::YesNo
        | FieldKind::Child
        | FieldKind::Organisationsnummer
        | FieldKind::Postnummer
        | FieldKind::Bankgiro
        | FieldKind::Plusgiro => {}
    }
    Ok(())
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
