//! What a form definition does, worked out for the people who build it: pages and fields that
//! can never be shown, rules that can never fail, never pass or never apply, and the service's
//! flow as a graph of steps the builder draws (the checklist asks the business to "draw and
//! describe the choices and flows of the e-service"; the platform draws it from the definition).
//!
//! Whether something can be shown is found by **trying answers**, with the same code that
//! validates them ([`crate::validate`]): for each page, field and rule, every combination of
//! boundary answers to the fields its conditions read (each option, yes and no, a number's
//! limits and the constants the form compares it with and the numbers beside them, the same for
//! dates, unanswered). Conditions and rules only compare with constants and limits, so these
//! answers reach every outcome there is. The work is bounded: at most [`MAX_COMBINATIONS`] per
//! question and [`MAX_WALKS`] in all; what is left unanswered is reported as not analysed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::condition::Condition;
use crate::form::{Field, FieldKind, FormDefinition};
use crate::limits::MAX_PAGES;
use crate::rule::{Check, Outcome};
use crate::validate::Answers;

/// Most combinations of answers tried for one page, field or rule.
pub const MAX_COMBINATIONS: usize = 2_048;
/// Most walks over the form in one analysis (a walk is one validation of the answers).
pub const MAX_WALKS: usize = 20_000;

/// What the analysis found about one page, field or rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// No answers show the page: its condition, or an earlier condition it depends on, never holds.
    PageNeverShown,
    /// No answers show the field (its condition or its page's never holds, or they contradict).
    FieldNeverShown,
    /// The rule never applies: its field is never shown or its condition never holds.
    RuleNeverApplies,
    /// No answers break the rule: it checks nothing.
    RuleNeverFails,
    /// Every answer that the rule applies to breaks it: the form cannot be sent past it.
    RuleNeverPasses,
    /// The question has too many combinations of answers to try; nothing is said about it.
    NotAnalysed,
}

/// One thing found, at a page, field or rule (its key), with a sentence for the builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// The key of the page, field or rule.
    pub key: String,
    /// What it means, in Swedish.
    pub message: String,
}

/// A step of the service's flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The applicant logs in with e-ID.
    Login,
    /// The applicant's personal data from the population register.
    PersonalData,
    /// A page of the form.
    Page,
    /// The summary of the answers.
    Summary,
    /// Signing with e-ID.
    Signing,
    /// The application is sent: a case is made.
    Send,
}

/// A node of the flow graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Step {
    /// Unique in the graph: the page's key, or `login`, `personal_data`, `summary`, `signing`, `send`.
    pub id: String,
    /// What kind of step it is.
    pub kind: StepKind,
    /// Its title, in Swedish.
    pub title: String,
    /// When a page is shown, in words; absent for a step every applicant takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown_when: Option<String>,
}

/// An arrow of the flow graph: from one step to a step that can come next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Edge {
    /// The step before.
    pub from: String,
    /// The step after.
    pub to: String,
    /// When this way is taken, in words; absent when it is the only way on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// The service's steps and the ways between them, for the builder's diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Flow {
    /// The steps, in the order an applicant meets them.
    pub steps: Vec<Step>,
    /// The ways from step to step.
    pub edges: Vec<Edge>,
}

/// What the flow has besides the form's pages, from the service's settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct FlowSettings {
    /// The applicant logs in with e-ID (and sees their personal data).
    pub login: bool,
    /// The application is signed with e-ID before it is sent.
    pub signing: bool,
}

/// The flow of a service with this form: login and personal data (when the service asks for
/// e-ID), each page with the condition that shows it, the summary, signing (when the service
/// asks for it) and sending. A conditional page gets an arrow from each step that can come
/// before it and one past it ("otherwise").
pub fn flow(definition: &FormDefinition, settings: FlowSettings) -> Flow {
    let mut flow = Flow::default();
    let checked = definition.check().is_ok();
    let fixed =
        |id: &str, kind: StepKind, title: &str| Step { id: id.into(), kind, title: title.into(), shown_when: None };
    let mut steps = Vec::new();
    if settings.login {
        steps.push(fixed("login", StepKind::Login, "Logga in med e-legitimation"));
        steps.push(fixed("personal_data", StepKind::PersonalData, "Dina uppgifter"));
    }
    for page in definition.pages.iter().take(MAX_PAGES) {
        let shown_when = page
            .condition
            .as_ref()
            .map(|c| if checked { describe(c, definition) } else { "när ett villkor gäller".to_owned() });
        steps.push(Step { id: page.key.clone(), kind: StepKind::Page, title: page.title.sv.clone(), shown_when });
    }
    steps.push(fixed("summary", StepKind::Summary, "Granska och skicka"));
    if settings.signing {
        steps.push(fixed("signing", StepKind::Signing, "Signera med e-legitimation"));
    }
    steps.push(fixed("send", StepKind::Send, "Skickat: ett ärende skapas"));
    // The steps an applicant can have just left, each with the pages skipped since (whose
    // conditions did not hold).
    let mut open: Vec<(usize, Vec<&str>)> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        for (from, skipped) in &open {
            let when = match (&step.shown_when, skipped.is_empty()) {
                (Some(w), _) => Some(w.clone()),
                (None, true) => None,
                (None, false) => Some(format!("annars (inte {})", skipped.join(", inte "))),
            };
            flow.edges.push(Edge { from: steps[*from].id.clone(), to: step.id.clone(), when });
        }
        match &step.shown_when {
            None => open = vec![(i, Vec::new())],
            Some(_) => {
                for (_, skipped) in open.iter_mut() {
                    skipped.push(&step.title);
                }
                open.push((i, Vec::new()));
            }
        }
    }
    flow.steps = steps;
    flow
}

/// A condition in words, with the form's labels: `"Vilket bidrag söker föreningen?" är
/// "Projektbidrag"`. For a checked definition (whose conditions are at most
/// [`crate::limits::MAX_CONDITION_DEPTH`] deep).
pub fn describe(condition: &Condition, definition: &FormDefinition) -> String {
    let label = |key: &str| definition.field(key).map_or_else(|| key.to_owned(), |f| f.label.sv.clone());
    let value = |key: &str, v: &Value| {
        let shown = definition.field(key).and_then(|f| match &f.kind {
            FieldKind::SingleChoice { options, .. } | FieldKind::MultipleChoice { options, .. } => {
                options.iter().find(|o| v.as_str() == Some(o.value.as_str())).map(|o| format!("”{}”", o.label))
            }
            kind => crate::formats::show_answer(kind, v),
        });
        match (shown, v) {
            (Some(shown), _) => shown,
            (None, Value::Bool(b)) => if *b { "ja" } else { "nej" }.to_owned(),
            (None, Value::String(s)) => format!("”{s}”"),
            (None, other) => other.to_string(),
        }
    };
    let join = |conditions: &[Condition], word: &str| {
        let parts: Vec<String> = conditions.iter().map(|c| format!("({})", describe(c, definition))).collect();
        parts.join(word)
    };
    match condition {
        Condition::All { conditions } if conditions.is_empty() => "alltid".into(),
        Condition::Any { conditions } if conditions.is_empty() => "aldrig".into(),
        Condition::All { conditions } => join(conditions, " och "),
        Condition::Any { conditions } => join(conditions, " eller "),
        Condition::Not { condition } => format!("inte ({})", describe(condition, definition)),
        Condition::Equals { field, value: v } => format!("”{}” är {}", label(field), value(field, v)),
        Condition::NotEquals { field, value: v } => {
            format!("”{}” är besvarad och inte {}", label(field), value(field, v))
        }
        Condition::OneOf { field, values } => {
            let vs: Vec<String> = values.iter().map(|v| value(field, v)).collect();
            format!("”{}” är något av {}", label(field), vs.join(", "))
        }
        Condition::Contains { field, value: v } => format!("”{}” innehåller {}", label(field), value(field, v)),
        Condition::GreaterThan { field, value: v } => format!("”{}” är mer än {}", label(field), value(field, v)),
        Condition::LessThan { field, value: v } => format!("”{}” är mindre än {}", label(field), value(field, v)),
        Condition::IsAnswered { field } => format!("”{}” är besvarad", label(field)),
    }
}

/// Finds the pages and fields that can never be shown and the rules that never apply, never
/// fail or never pass, as on `today`. An unchecked definition gets no findings (its error is
/// [`FormDefinition::check`]'s to report).
pub fn findings(definition: &FormDefinition, today: (i32, u32, u32)) -> Vec<Finding> {
    if definition.check().is_err() {
        return Vec::new();
    }
    let Some(today) = NaiveDate::from_ymd_opt(today.0, today.1, today.2) else {
        return Vec::new();
    };
    let mut explorer = Explorer::new(definition, today);
    let mut out = Vec::new();
    let mut say = |kind: FindingKind, key: &str, message: String| out.push(Finding { kind, key: key.into(), message });
    for page in &definition.pages {
        match explorer.explore(explorer.page_deps(&page.key)) {
            None => say(FindingKind::NotAnalysed, &page.key, too_many(&page.title.sv)),
            Some(seen) if !seen.pages.contains(&page.key) => say(
                FindingKind::PageNeverShown,
                &page.key,
                format!("Sidan ”{}” visas aldrig: inga svar gör att villkoret för den gäller.", page.title),
            ),
            Some(_) => {}
        }
        for field in &page.fields {
            match explorer.explore(explorer.field_deps(&field.key)) {
                None => say(FindingKind::NotAnalysed, &field.key, too_many(&field.label.sv)),
                Some(seen) if seen.pages.contains(&page.key) && !seen.fields.contains(&field.key) => say(
                    FindingKind::FieldNeverShown,
                    &field.key,
                    format!(
                        "Frågan ”{}” visas aldrig: inga svar gör att villkoret för den gäller på sidan ”{}”.",
                        field.label, page.title
                    ),
                ),
                Some(_) => {}
            }
        }
    }
    let rules = definition.pages.iter().flat_map(|p| &p.rules).chain(&definition.rules);
    for rule in rules {
        let mut deps = BTreeSet::new();
        for key in rule.check.fields().into_iter().chain([rule.field.as_str()]) {
            deps.insert(key.to_owned());
            deps.extend(explorer.field_deps(key));
        }
        for key in rule.condition.iter().flat_map(|c| c.referenced_fields()) {
            deps.insert(key.to_owned());
            deps.extend(explorer.field_deps(key));
        }
        let Some(seen) = explorer.explore(deps) else {
            say(FindingKind::NotAnalysed, &rule.key, too_many(&rule.key));
            continue;
        };
        let [pass, fail, _] = seen.outcomes.get(&rule.key).copied().unwrap_or_default();
        // An age depends on a birth date the analysis does not vary; say only whether it applies.
        let varied = !matches!(rule.check, Check::Age { .. });
        let (kind, message) = match (pass, fail) {
            (false, false) => (
                FindingKind::RuleNeverApplies,
                "gäller aldrig: dess fråga visas aldrig eller dess villkor gäller aldrig",
            ),
            (true, false) if varied => (FindingKind::RuleNeverFails, "kan aldrig bli fel: den kontrollerar ingenting"),
            (false, true) if varied => {
                (FindingKind::RuleNeverPasses, "blir alltid fel när den gäller: ansökan kan inte skickas förbi den")
            }
            _ => continue,
        };
        say(kind, &rule.key, format!("Regeln ”{}” {message}.", rule.key));
    }
    out
}

fn too_many(what: &str) -> String {
    format!("”{what}” beror på för många svar för att analyseras.")
}

/// What the answers tried showed: pages and fields seen, and each rule's outcomes seen
/// (pass, fail, skip).
#[derive(Default, Clone)]
struct Seen {
    pages: BTreeSet<String>,
    fields: BTreeSet<String>,
    outcomes: BTreeMap<String, [bool; 3]>,
}

struct Explorer<'a> {
    definition: &'a FormDefinition,
    /// Each field by key, with its page (built once: every question looks fields up).
    index: BTreeMap<&'a str, crate::form::FieldPos<'a>>,
    today: NaiveDate,
    /// The constants each field is compared with by a condition or a rule.
    constants: BTreeMap<&'a str, Vec<Value>>,
    /// Dates a rule puts relative to another date or today, as days from a base date.
    date_offsets: Vec<i64>,
    /// How many options of a multiple choice a rule counts.
    counts: BTreeMap<&'a str, Vec<u32>>,
    explored: BTreeMap<BTreeSet<String>, Option<Seen>>,
    walks: usize,
}

impl<'a> Explorer<'a> {
    fn new(definition: &'a FormDefinition, today: NaiveDate) -> Self {
        let mut e = Explorer {
            definition,
            index: definition.index(),
            today,
            constants: BTreeMap::new(),
            date_offsets: vec![0, -1],
            counts: BTreeMap::new(),
            explored: BTreeMap::new(),
            walks: 0,
        };
        let conditions = definition
            .pages
            .iter()
            .flat_map(|p| p.condition.iter().chain(p.fields.iter().flat_map(|f| &f.condition)))
            .chain(definition.pages.iter().flat_map(|p| &p.rules).chain(&definition.rules).flat_map(|r| &r.condition));
        for condition in conditions {
            e.collect(condition);
        }
        for rule in definition.pages.iter().flat_map(|p| &p.rules).chain(&definition.rules) {
            match &rule.check {
                Check::Compare { field, value: Some(v), .. } => e.constants.entry(field).or_default().push(v.clone()),
                Check::SumAtMost { fields, value: Some(v), .. } => {
                    for f in fields {
                        e.constants.entry(f).or_default().push(json!(v));
                    }
                }
                Check::DateWithin { max, unit, .. } => {
                    // Surely within the limit and surely past it, whatever the months' and years' lengths.
                    let n = i64::from(*max);
                    let (within, past) = match unit {
                        crate::rule::DateUnit::Days => (n, n + 1),
                        crate::rule::DateUnit::Months => (28 * n - 1, 31 * n + 1),
                        crate::rule::DateUnit::Years => (365 * n - 1, 366 * n + 1),
                    };
                    e.date_offsets.extend([within, past]);
                }
                Check::FromToday { field, min_days, max_days } => {
                    for d in min_days.iter().chain(max_days).map(|d| i64::from(*d)) {
                        for date in [d - 1, d, d + 1].into_iter().filter_map(|d| shift(today, d)) {
                            e.constants.entry(field).or_default().push(json!(date.to_string()));
                        }
                    }
                }
                Check::ChosenCount { field, min, max } => {
                    let c = e.counts.entry(field).or_default();
                    for n in min.iter().chain(max) {
                        c.extend([n.saturating_sub(1), *n, n + 1]);
                    }
                }
                _ => {}
            }
        }
        e
    }

    /// Collects the constants a condition compares with, iteratively.
    fn collect(&mut self, condition: &'a Condition) {
        let mut stack = vec![condition];
        while let Some(c) = stack.pop() {
            match c {
                Condition::All { conditions } | Condition::Any { conditions } => stack.extend(conditions),
                Condition::Not { condition } => stack.push(condition),
                Condition::Equals { field, value }
                | Condition::NotEquals { field, value }
                | Condition::Contains { field, value }
                | Condition::GreaterThan { field, value }
                | Condition::LessThan { field, value } => self.constants.entry(field).or_default().push(value.clone()),
                Condition::OneOf { field, values } => self.constants.entry(field).or_default().extend(values.clone()),
                Condition::IsAnswered { .. } => {}
            }
        }
    }

    /// The fields whose answers decide whether the page is shown.
    fn page_deps(&self, key: &str) -> BTreeSet<String> {
        let page = self.definition.pages.iter().find(|p| p.key == key);
        self.closure(page.and_then(|p| p.condition.as_ref()).map(|c| c.referenced_fields()).unwrap_or_default())
    }

    /// The fields whose answers decide whether the field is shown.
    fn field_deps(&self, key: &str) -> BTreeSet<String> {
        self.closure(vec![key]).into_iter().filter(|k| k != key).collect()
    }

    /// `start` and every field their visibility depends on, through conditions of fields and pages.
    fn closure(&self, start: Vec<&str>) -> BTreeSet<String> {
        let index = &self.index;
        let mut out = BTreeSet::new();
        let mut todo = start;
        while let Some(key) = todo.pop() {
            if !out.insert(key.to_owned()) {
                continue;
            }
            if let Some(pos) = index.get(key) {
                let page = &self.definition.pages[pos.page];
                for c in pos.field.condition.iter().chain(&page.condition) {
                    todo.extend(c.referenced_fields().into_iter().filter(|k| !out.contains(*k)));
                }
            }
        }
        out
    }

    /// Tries every combination of answers to `deps` (memoised by `deps`); `None` when there are
    /// too many or the analysis's walks are used up.
    fn explore(&mut self, deps: BTreeSet<String>) -> Option<Seen> {
        if let Some(seen) = self.explored.get(&deps) {
            return seen.clone();
        }
        let domains: Vec<(&str, Vec<Option<Value>>)> = deps
            .iter()
            .filter_map(|k| self.index.get(k.as_str()).map(|p| p.field))
            .map(|f| (f.key.as_str(), self.domain(f)))
            .collect();
        let combinations =
            domains.iter().try_fold(1usize, |n, (_, d)| n.checked_mul(d.len()).filter(|n| *n <= MAX_COMBINATIONS));
        let seen = match combinations {
            Some(n) if self.walks + n <= MAX_WALKS => {
                self.walks += n;
                Some(self.try_all(&domains))
            }
            _ => None,
        };
        self.explored.insert(deps, seen.clone());
        seen
    }

    fn try_all(&self, domains: &[(&str, Vec<Option<Value>>)]) -> Seen {
        let mut seen = Seen::default();
        let mut at = vec![0usize; domains.len()];
        let today = (self.today.year(), self.today.month(), self.today.day());
        loop {
            let answers: Answers = domains
                .iter()
                .zip(&at)
                .filter_map(|((key, values), i)| values[*i].clone().map(|v| (key.to_string(), v)))
                .collect();
            let (accepted, visibility) = crate::validate::accepted_and_visibility(self.definition, &answers);
            seen.pages.extend(visibility.pages.iter().cloned());
            seen.fields.extend(visibility.fields.iter().cloned());
            for rule in self.definition.pages.iter().flat_map(|p| &p.rules).chain(&self.definition.rules) {
                let applies = visibility.fields.contains(&rule.field);
                let outcome = if applies {
                    rule.evaluate(&accepted, |f| visibility.fields.contains(f), today)
                } else {
                    Outcome::Skip
                };
                let slot = seen.outcomes.entry(rule.key.clone()).or_default();
                slot[match outcome {
                    Outcome::Pass => 0,
                    Outcome::Fail => 1,
                    Outcome::Skip => 2,
                }] = true;
            }
            // The next combination, as an odometer.
            let mut i = 0;
            loop {
                if i == at.len() {
                    return seen;
                }
                at[i] += 1;
                if at[i] < domains[i].1.len() {
                    break;
                }
                at[i] = 0;
                i += 1;
            }
        }
    }

    /// The answers tried for a field: unanswered, and the boundary answers of its kind.
    fn domain(&self, field: &Field) -> Vec<Option<Value>> {
        let constants = self.constants.get(field.key.as_str()).map(Vec::as_slice).unwrap_or_default();
        let mut values: Vec<Value> = Vec::new();
        let numbers = |values: &mut Vec<Value>, limits: [Option<f64>; 2]| {
            let mut ns: Vec<f64> = vec![0.0, 1.0];
            ns.extend(limits.iter().flatten());
            for c in constants.iter().filter_map(Value::as_f64) {
                ns.extend([c - 1.0, c, c + 1.0]);
            }
            values.extend(ns.into_iter().filter_map(|n| serde_json::Number::from_f64(n).map(Value::Number)));
        };
        match &field.kind {
            FieldKind::Number { min, max, .. } => numbers(&mut values, [*min, *max]),
            FieldKind::Amount { min_kronor, max_kronor, .. } => {
                numbers(&mut values, [min_kronor.map(|k| k as f64 * 100.0), max_kronor.map(|k| k as f64 * 100.0)])
            }
            FieldKind::Date { min, max } => {
                let mut dates: Vec<NaiveDate> = min.iter().chain(max).copied().collect();
                // Dates around one base (today, within the field's limits), so that two date
                // fields are tried at every distance a rule speaks of.
                let base = self.today.max(min.unwrap_or(NaiveDate::MIN)).min(max.unwrap_or(NaiveDate::MAX));
                dates.extend(self.date_offsets.iter().filter_map(|d| shift(base, *d)));
                for c in constants.iter().filter_map(Value::as_str).filter_map(crate::date::parse_iso_date) {
                    dates.extend([c.pred_opt(), Some(c), c.succ_opt()].into_iter().flatten());
                }
                values.extend(dates.into_iter().map(|d| json!(d.to_string())));
            }
            FieldKind::SingleChoice { options, .. } => values.extend(options.iter().map(|o| json!(o.value))),
            FieldKind::MultipleChoice { options, .. } => {
                values.extend(options.iter().map(|o| json!([o.value])));
                let counts = self.counts.get(field.key.as_str()).map(Vec::as_slice).unwrap_or_default();
                for n in counts.iter().copied().chain([options.len() as u32]) {
                    values.push(Value::Array(options.iter().take(n as usize).map(|o| json!(o.value)).collect()));
                }
            }
            FieldKind::YesNo => values.extend([json!(true), json!(false)]),
            FieldKind::ShortText { .. } | FieldKind::LongText { .. } => {
                values.extend(constants.iter().filter(|v| v.is_string()).cloned());
                values.push(json!("x"));
            }
            FieldKind::Email => values.push(json!("namn@example.org")),
            FieldKind::Phone => values.push(json!("+46701234567")),
            // Skatteverket's test personnummer.
            FieldKind::Personnummer { .. } | FieldKind::Child => values.push(json!("189001019802")),
            FieldKind::Organisationsnummer => values.push(json!("8020024280")),
            FieldKind::Postnummer => values.push(json!("25225")),
            FieldKind::Bankgiro => values.push(json!("50501055")),
            FieldKind::Plusgiro => values.push(json!("9001223")),
            FieldKind::File { .. } => {
                values.push(json!([{"id": "x", "name": "x.pdf", "size": 1, "content_type": "application/pdf"}]))
            }
            FieldKind::Address => {
                values.push(json!({"street": "Drottninggatan 1", "postnummer": "25221", "ort": "Helsingborg"}))
            }
            // One row of the row's fields' first answers: conditions ask only whether a group is answered.
            FieldKind::Group { .. } => values.push(json!([field
                .fields
                .iter()
                .filter_map(|f| Some((f.key.clone(), self.domain(f).into_iter().flatten().next()?)))
                .collect::<serde_json::Map<_, _>>()])),
            FieldKind::Info { .. } => {}
        }
        let mut out: Vec<Option<Value>> = vec![None];
        for v in values {
            if !out.iter().any(|o| o.as_ref() == Some(&v)) {
                out.push(Some(v));
            }
        }
        out
    }
}

/// `date` moved by `days` (back when negative); `None` past the calendar's ends.
fn shift(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    let n = chrono::Days::new(days.unsigned_abs());
    if days < 0 { date.checked_sub_days(n) } else { date.checked_add_days(n) }
}

#[cfg(test)]
#[path = "analysis_tests.rs"]
mod tests;
