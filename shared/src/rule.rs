//! Rules across fields: what one field cannot say alone ("the end date after the start date",
//! "at most two years", "members aged 7–25 no more than the members"). A rule is data in the
//! definition, on a page (checked with that page's answers and the earlier pages') or on the
//! whole form (checked last), and is evaluated by the same code in the browser, while the
//! applicant fills in the page, and on the server, which decides.
//!
//! A rule is **skipped** — it neither passes nor fails — when its own condition does not hold,
//! or when a field it reads is hidden or unanswered (the field's own `required` says whether an
//! answer is needed; a rule never does). Two checks read unanswered fields on purpose:
//! `at_least_one` (unanswered is what it looks at; it is skipped only when none of its fields is
//! shown) and `sum_at_most` (an unanswered number counts as 0; skipped when the bound is a field
//! that is hidden or unanswered, or when no number is answered). A field whose own answer is
//! wrong is never also given a rule's message.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::condition::Condition;
use crate::date::parse_iso_date;
use crate::form::{DefinitionError, FieldKind, FieldPos, is_valid_key};
use crate::text::Text;

/// The most rules a form may have: on all its pages and its own together.
pub const MAX_RULES: usize = 200;
/// The most fields one rule may read.
pub const MAX_RULE_FIELDS: usize = 50;

/// A validation rule across fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Rule {
    /// Stable key, unique among the form's rules: lowercase letters, digits and `_` (it names
    /// the rule in a refused submission's errors, `FieldError.rule`).
    pub key: String,
    /// The field the message is shown at, and that the error summary names.
    pub field: String,
    /// What must hold.
    pub check: Check,
    /// What to tell the applicant when it does not hold: what to do, not only what is wrong.
    pub message: Text,
    /// The rule applies only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
}

/// How [`Check::Compare`] compares.
// `Deserialize` by hand, through `ALL` (a derived reader matches each name twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CompareOp {
    /// Less than (earlier than).
    Lt,
    /// At most (not later than).
    Le,
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// At least (not earlier than).
    Ge,
    /// Greater than (later than).
    Gt,
}

impl CompareOp {
    /// Every operator with its wire name (as serde writes it; a test keeps the two the same).
    pub const ALL: [(CompareOp, &'static str); 6] = [
        (CompareOp::Lt, "lt"),
        (CompareOp::Le, "le"),
        (CompareOp::Eq, "eq"),
        (CompareOp::Ne, "ne"),
        (CompareOp::Ge, "ge"),
        (CompareOp::Gt, "gt"),
    ];

    fn holds(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            CompareOp::Lt => o == Less,
            CompareOp::Le => o != Greater,
            CompareOp::Eq => o == Equal,
            CompareOp::Ne => o != Equal,
            CompareOp::Ge => o != Less,
            CompareOp::Gt => o == Greater,
        }
    }
}

/// A unit of calendar time, for [`Check::DateWithin`].
// `Deserialize` by hand, through `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DateUnit {
    /// Days.
    Days,
    /// Calendar months (31 January + 1 month is 28 or 29 February).
    Months,
    /// Calendar years.
    Years,
}

impl DateUnit {
    /// Every unit with its wire name (as serde writes it; a test keeps the two the same).
    pub const ALL: [(DateUnit, &'static str); 3] =
        [(DateUnit::Days, "days"), (DateUnit::Months, "months"), (DateUnit::Years, "years")];
}

impl<'de> Deserialize<'de> for CompareOp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::wire::by_name(deserializer, &Self::ALL)
    }
}

impl<'de> Deserialize<'de> for DateUnit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::wire::by_name(deserializer, &Self::ALL)
    }
}

/// What a rule checks. Every field named must exist and take an answer; a page's rule may
/// read fields on its page and earlier pages.
// `Deserialize` is written by hand (below, with `crate::wire`) to keep the browser's download
// small; it accepts what the derive would. (Not a doc comment: that would change the schema.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Check {
    /// A number or date field compared with another field of the same kind (`other`) or with a
    /// constant (`value`: a number, or a date `YYYY-MM-DD`); exactly one of the two.
    Compare {
        /// The field compared.
        field: String,
        /// How.
        op: CompareOp,
        /// The field compared with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
        /// The constant compared with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<Value>,
    },
    /// A date at most `max` `unit`s after the date in `after` ("the project lasts at most two years").
    DateWithin {
        /// The later date's field.
        field: String,
        /// The earlier date's field.
        after: String,
        /// How many units at most.
        max: u32,
        /// Days, months or years.
        unit: DateUnit,
    },
    /// A date relative to the day it is checked: at least `min_days` and at most `max_days`
    /// days from today (negative: in the past). "Not before today" is `min_days: 0`; "at most
    /// 90 days ahead" is `max_days: 90`. Today is the UTC date of the check.
    FromToday {
        /// The date's field.
        field: String,
        /// Fewest days from today.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_days: Option<i32>,
        /// Most days from today.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_days: Option<i32>,
    },
    /// The age in whole years, today, of the person a personnummer (or a chosen child) names.
    Age {
        /// A personnummer or child field.
        field: String,
        /// Youngest age.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        /// Oldest age.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    /// At least one of the fields answered (two or more fields).
    AtLeastOne {
        /// The fields.
        fields: Vec<String>,
    },
    /// The sum of number fields at most another number field (`other`) or a constant (`value`).
    SumAtMost {
        /// The number fields added up.
        fields: Vec<String>,
        /// The field the sum may not exceed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
        /// The constant the sum may not exceed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<f64>,
    },
    /// How many options of a multiple-choice field are chosen: at least `min`, at most `max`.
    ChosenCount {
        /// A multiple-choice field.
        field: String,
        /// Fewest options.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        /// Most options.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
}

impl<'de> Deserialize<'de> for Check {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::wire::deserialize(deserializer)
    }
}

impl crate::wire::Tagged for Check {
    const EXPECTING: &'static str = "internally tagged enum Check";
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] =
        &["compare", "date_within", "from_today", "age", "at_least_one", "sum_at_most", "chosen_count"];
    const KEYS: &'static [&'static str] =
        &["field", "op", "other", "value", "after", "max", "unit", "min_days", "max_days", "min", "fields"];

    fn build(variant: usize, mut f: crate::wire::Fields) -> Result<Self, serde_json::Error> {
        Ok(match variant {
            0 => Check::Compare {
                field: f.req("field")?,
                op: f.req("op")?,
                other: f.opt("other")?,
                value: f.opt("value")?,
            },
            1 => Check::DateWithin {
                field: f.req("field")?,
                after: f.req("after")?,
                max: f.req("max")?,
                unit: f.req("unit")?,
            },
            2 => {
                Check::FromToday { field: f.req("field")?, min_days: f.opt("min_days")?, max_days: f.opt("max_days")? }
            }
            3 => Check::Age { field: f.req("field")?, min: f.opt("min")?, max: f.opt("max")? },
            4 => Check::AtLeastOne { fields: f.req("fields")? },
            5 => Check::SumAtMost { fields: f.req("fields")?, other: f.opt("other")?, value: f.opt("value")? },
            _ => Check::ChosenCount { field: f.req("field")?, min: f.opt("min")?, max: f.opt("max")? },
        })
    }
}

impl Check {
    /// The machine name, as in the JSON `type` tag.
    pub fn type_name(&self) -> &'static str {
        match self {
            Check::Compare { .. } => "compare",
            Check::DateWithin { .. } => "date_within",
            Check::FromToday { .. } => "from_today",
            Check::Age { .. } => "age",
            Check::AtLeastOne { .. } => "at_least_one",
            Check::SumAtMost { .. } => "sum_at_most",
            Check::ChosenCount { .. } => "chosen_count",
        }
    }

    /// Every field the check reads.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Check::Compare { field, other, .. } => std::iter::once(field.as_str()).chain(other.as_deref()).collect(),
            Check::DateWithin { field, after, .. } => vec![field, after],
            Check::FromToday { field, .. } | Check::Age { field, .. } | Check::ChosenCount { field, .. } => {
                vec![field]
            }
            Check::AtLeastOne { fields } => fields.iter().map(String::as_str).collect(),
            Check::SumAtMost { fields, other, .. } => {
                fields.iter().map(String::as_str).chain(other.as_deref()).collect()
            }
        }
    }
}

/// What a rule makes of some answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It holds.
    Pass,
    /// It does not hold: the rule's message is shown.
    Fail,
    /// It does not apply (its condition is false, or a field it reads is hidden or unanswered).
    Skip,
}

impl From<Option<bool>> for Outcome {
    fn from(holds: Option<bool>) -> Self {
        match holds {
            Some(true) => Outcome::Pass,
            Some(false) => Outcome::Fail,
            None => Outcome::Skip,
        }
    }
}

impl Rule {
    /// Checks the rule against validated answers, which hold only the fields that are shown
    /// (`shown` says whether a field is), as on `today` (year, month, day).
    pub fn evaluate(&self, answers: &crate::Answers, shown: impl Fn(&str) -> bool, today: (i32, u32, u32)) -> Outcome {
        if self.condition.as_ref().is_some_and(|c| !c.evaluate(answers)) {
            return Outcome::Skip;
        }
        let answer = |key: &str| answers.get(key).filter(|v| crate::condition::is_answered(v));
        let number = |key: &str| answer(key).and_then(Value::as_f64);
        let date = |key: &str| answer(key).and_then(Value::as_str).and_then(parse_iso_date);
        let today = chrono::NaiveDate::from_ymd_opt(today.0, today.1, today.2);
        match &self.check {
            Check::Compare { field, op, other, value } => {
                let ordering = match (answer(field), other, value) {
                    (Some(Value::Number(a)), Some(b), _) => {
                        a.as_f64().zip(number(b)).and_then(|(a, b)| a.partial_cmp(&b))
                    }
                    (Some(Value::Number(a)), None, Some(b)) => {
                        a.as_f64().zip(b.as_f64()).and_then(|(a, b)| a.partial_cmp(&b))
                    }
                    (Some(Value::String(a)), Some(b), _) => parse_iso_date(a).zip(date(b)).map(|(a, b)| a.cmp(&b)),
                    (Some(Value::String(a)), None, Some(b)) => {
                        parse_iso_date(a).zip(b.as_str().and_then(parse_iso_date)).map(|(a, b)| a.cmp(&b))
                    }
                    _ => None,
                };
                ordering.map(|o| op.holds(o)).into()
            }
            Check::DateWithin { field, after, max, unit } => {
                date(field).zip(date(after)).and_then(|(d, start)| Some(d <= add(start, *max, *unit)?)).into()
            }
            Check::FromToday { field, min_days, max_days } => date(field)
                .zip(today)
                .map(|(d, today)| {
                    let days = (d - today).num_days();
                    min_days.is_none_or(|m| days >= i64::from(m)) && max_days.is_none_or(|m| days <= i64::from(m))
                })
                .into(),
            Check::Age { field, min, max } => answer(field)
                .and_then(Value::as_str)
                .and_then(|p| crate::personnummer::Personnummer::parse(p).ok())
                .zip(today)
                .map(|(p, today)| {
                    let age = p.age_on(today);
                    min.is_none_or(|m| age >= i64::from(m)) && max.is_none_or(|m| age <= i64::from(m))
                })
                .into(),
            Check::AtLeastOne { fields } => {
                if !fields.iter().any(|f| shown(f)) {
                    return Outcome::Skip;
                }
                Some(fields.iter().any(|f| answer(f).is_some())).into()
            }
            Check::SumAtMost { fields, other, value } => {
                let bound = match (other, value) {
                    (Some(b), _) => number(b),
                    (None, Some(v)) => Some(*v),
                    (None, None) => None,
                };
                let summands: Vec<f64> = fields.iter().filter_map(|f| number(f)).collect();
                bound.filter(|_| !summands.is_empty()).map(|b| summands.iter().sum::<f64>() <= b).into()
            }
            Check::ChosenCount { field, min, max } => answer(field)
                .and_then(Value::as_array)
                .map(|chosen| {
                    let n = chosen.len() as u64;
                    min.is_none_or(|m| n >= u64::from(m)) && max.is_none_or(|m| n <= u64::from(m))
                })
                .into(),
        }
    }
}

/// `start` + `n` `unit`s; `None` past the calendar's end.
fn add(start: chrono::NaiveDate, n: u32, unit: DateUnit) -> Option<chrono::NaiveDate> {
    match unit {
        DateUnit::Days => start.checked_add_days(chrono::Days::new(u64::from(n))),
        DateUnit::Months => start.checked_add_months(chrono::Months::new(n)),
        DateUnit::Years => start.checked_add_months(chrono::Months::new(n.checked_mul(12)?)),
    }
}

/// Whether `value` is a constant a field of this kind can be compared with: a number for a
/// number field, a date `YYYY-MM-DD` for a date field.
fn fits(kind: &FieldKind, value: &Value) -> bool {
    match kind {
        k if k.is_numeric() => value.as_f64().is_some_and(f64::is_finite),
        FieldKind::Date { .. } => value.as_str().and_then(parse_iso_date).is_some(),
        _ => false,
    }
}

/// Checks a rule of the page at `page` (or of the whole form, `None`): its key, the field its
/// message is shown at, the fields it reads and whether the check fits their kinds, and its
/// condition. `seen` collects the rule keys, which are unique in the form.
pub(crate) fn check_rule<'a>(
    rule: &'a Rule,
    page: Option<usize>,
    index: &BTreeMap<&str, FieldPos<'_>>,
    seen: &mut BTreeSet<&'a str>,
) -> Result<(), DefinitionError> {
    let bad = |reason: String| Err(DefinitionError::InvalidRule { rule: rule.key.clone(), reason });
    if !is_valid_key(&rule.key) {
        return Err(DefinitionError::InvalidKey { key: rule.key.clone() });
    }
    if !seen.insert(&rule.key) {
        return Err(DefinitionError::DuplicateKey { key: rule.key.clone() });
    }
    // A message without Swedish is refused with every other text (`FormDefinition::texts`).
    if rule.message.sv.chars().count() > 500 || rule.message.en.as_ref().is_some_and(|e| e.chars().count() > 500) {
        return bad("the message is longer than 500 characters".into());
    }
    // The message's field: on the rule's page (a form's rule: anywhere), taking an answer.
    match index.get(rule.field.as_str()) {
        None => return bad(format!("its message is shown at '{}', which the form does not have", rule.field)),
        Some(pos) if page.is_some_and(|p| pos.page != p) => {
            return bad(format!("its message is shown at '{}', which is not on its page", rule.field));
        }
        Some(pos) if !pos.field.kind.takes_answer() => {
            return bad(format!("its message is shown at '{}', which takes no answer", rule.field));
        }
        Some(_) => {}
    }
    let fields = rule.check.fields();
    if fields.len() > MAX_RULE_FIELDS {
        return bad(format!("it reads more than {MAX_RULE_FIELDS} fields"));
    }
    let allowed = |pos: &FieldPos<'_>| page.is_none_or(|p| pos.page <= p);
    let mut kinds = Vec::with_capacity(fields.len());
    for key in &fields {
        let Some(pos) = index.get(key) else {
            return Err(DefinitionError::UnknownField { on: rule.key.clone(), field: key.to_string() });
        };
        if !pos.field.kind.takes_answer() {
            return Err(DefinitionError::NotAnswerable { on: rule.key.clone(), field: key.to_string() });
        }
        if !allowed(pos) {
            return Err(DefinitionError::ForwardReference { on: rule.key.clone(), field: key.to_string() });
        }
        kinds.push(&pos.field.kind);
    }
    let kind_of = |i: usize| kinds[i];
    let is_number = |k: &FieldKind| k.is_numeric();
    let is_date = |k: &FieldKind| matches!(k, FieldKind::Date { .. });
    let both = |min: Option<i64>, max: Option<i64>| match (min, max) {
        (None, None) => bad("give min, max or both".into()),
        (Some(a), Some(b)) if a > b => bad("min is greater than max".into()),
        _ => Ok(()),
    };
    match &rule.check {
        Check::Compare { other, value, .. } => {
            let first = kind_of(0);
            if !is_number(first) && !is_date(first) {
                return bad(format!("compare works on number and date fields, not {}", first.type_name()));
            }
            match (other, value) {
                (Some(_), None) => {
                    if kind_of(1).type_name() != first.type_name() {
                        return bad(format!("'{}' is compared with a field of another kind", fields[0]));
                    }
                }
                (None, Some(v)) if fits(first, v) => {}
                (None, Some(v)) => return bad(format!("{v} is not a value a {} field can have", first.type_name())),
                _ => return bad("compare with either another field (other) or a constant (value)".into()),
            }
        }
        Check::DateWithin { max, .. } => {
            if !is_date(kind_of(0)) || !is_date(kind_of(1)) {
                return bad("date_within works on two date fields".into());
            }
            if *max > 10_000 {
                return bad("max can be at most 10000".into());
            }
        }
        Check::FromToday { min_days, max_days, .. } => {
            if !is_date(kind_of(0)) {
                return bad("from_today works on a date field".into());
            }
            both(min_days.map(i64::from), max_days.map(i64::from))?;
        }
        Check::Age { min, max, .. } => {
            if !matches!(kind_of(0), FieldKind::Personnummer { .. } | FieldKind::Child) {
                return bad("age works on a personnummer or child field".into());
            }
            both(min.map(i64::from), max.map(i64::from))?;
        }
        Check::AtLeastOne { .. } => {
            if fields.len() < 2 || fields.iter().collect::<BTreeSet<_>>().len() != fields.len() {
                return bad("at_least_one needs two or more different fields".into());
            }
        }
        Check::SumAtMost { fields: summed, other, value } => {
            if summed.is_empty() || !kinds.iter().all(|k| is_number(k) && k.type_name() == kinds[0].type_name()) {
                return bad(
                    "sum_at_most adds up number fields (or amount fields) and compares with one of the same kind or a constant"
                        .into(),
                );
            }
            match (other, value) {
                (Some(_), None) => {}
                (None, Some(v)) if v.is_finite() => {}
                _ => {
                    return bad(
                        "compare the sum with either a number field (other) or a finite constant (value)".into()
                    );
                }
            }
        }
        Check::ChosenCount { min, max, .. } => {
            let FieldKind::MultipleChoice { options, .. } = kind_of(0) else {
                return bad("chosen_count works on a multiple choice field".into());
            };
            both(min.map(i64::from), max.map(i64::from))?;
            if min.is_some_and(|m| m as usize > options.len()) {
                return bad("min is greater than the number of options".into());
            }
        }
    }
    if let Some(condition) = &rule.condition {
        condition.check_references(&rule.key, index, allowed)?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "rule_tests.rs"]
mod tests;
