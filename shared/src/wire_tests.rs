//! The hand-written decoders of `FieldKind` and `Condition` against serde's
//! derive, kept here on mirror types (same attributes) as the reference.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::condition::Condition;
use crate::form::{ChoiceDisplay, ChoiceOption, FieldKind};

/// The two enums as they were, with serde's derive (same names, so the same messages).
mod old {
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    use crate::form::{ChoiceDisplay, ChoiceOption};

    fn yes() -> bool {
        true
    }
    fn one() -> u32 {
        1
    }

    /// `FieldKind` as it was, with serde's derive.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    pub enum FieldKind {
        ShortText {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            min_length: Option<u32>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            max_length: Option<u32>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pattern: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pattern_description: Option<crate::text::Text>,
        },
        LongText {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            min_length: Option<u32>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            max_length: Option<u32>,
        },
        Number {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            min: Option<f64>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            max: Option<f64>,
            #[serde(default)]
            integer: bool,
        },
        Date {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            min: Option<chrono::NaiveDate>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            max: Option<chrono::NaiveDate>,
        },
        Email,
        Phone,
        Personnummer {
            #[serde(default = "yes")]
            allow_samordningsnummer: bool,
        },
        SingleChoice {
            options: Vec<ChoiceOption>,
            #[serde(default)]
            display: ChoiceDisplay,
        },
        MultipleChoice {
            options: Vec<ChoiceOption>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            min_selected: Option<u32>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            max_selected: Option<u32>,
        },
        YesNo,
        File {
            #[serde(default = "one")]
            max_files: u32,
            max_size_bytes: u64,
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            accept: Vec<String>,
        },
        Info {
            text: crate::text::Text,
        },
        Child,
        Organisationsnummer,
        Postnummer,
        Bankgiro,
        Plusgiro,
        Amount {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            min_kronor: Option<u64>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            max_kronor: Option<u64>,
            #[serde(default)]
            whole_kronor: bool,
        },
        Address,
        Group {
            #[serde(default)]
            min_rows: u32,
            #[serde(default = "ten")]
            max_rows: u32,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            row_label: Option<crate::text::Text>,
        },
    }

    fn ten() -> u32 {
        10
    }

    /// `Condition` as it was, with serde's derive.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "op", rename_all = "snake_case")]
    pub enum Condition {
        All { conditions: Vec<Condition> },
        Any { conditions: Vec<Condition> },
        Not { condition: Box<Condition> },
        Equals { field: String, value: Value },
        NotEquals { field: String, value: Value },
        OneOf { field: String, values: Vec<Value> },
        Contains { field: String, value: Value },
        GreaterThan { field: String, value: Value },
        LessThan { field: String, value: Value },
        IsAnswered { field: String },
    }
}

use old::{Condition as ConditionRef, FieldKind as FieldKindRef};

/// A field holding the enum, to see errors (and their positions) inside a document.
#[derive(Debug, Serialize, Deserialize)]
struct Holder<T> {
    label: String,
    kind: Vec<T>,
}

/// What a decoder made of a text: the value again as JSON, or the error message.
fn outcome<T: Serialize + for<'de> Deserialize<'de>>(text: &str) -> Result<Value, String> {
    serde_json::from_str::<T>(text).map(|v| serde_json::to_value(v).unwrap()).map_err(|e| e.to_string())
}

fn outcome_of_value<T: Serialize + for<'de> Deserialize<'de>>(v: &Value) -> Result<Value, String> {
    serde_json::from_value::<T>(v.clone()).map(|v| serde_json::to_value(v).unwrap()).map_err(|e| e.to_string())
}

/// Both decoders give the same value or the same error, alone, inside a
/// document (spread over lines), and from a `serde_json::Value`.
fn assert_agree<New, Old>(text: &str)
where
    New: Serialize + for<'de> Deserialize<'de>,
    Old: Serialize + for<'de> Deserialize<'de>,
{
    assert_eq!(outcome::<New>(text), outcome::<Old>(text), "alone: {text}");
    let doc = format!("{{\n  \"label\": \"x\",\n  \"kind\": [\n    {text},\n    {text}\n  ]\n}}");
    assert_eq!(outcome::<Holder<New>>(&doc), outcome::<Holder<Old>>(&doc), "in a document: {doc}");
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        assert_eq!(outcome_of_value::<New>(&v), outcome_of_value::<Old>(&v), "from a Value: {text}");
    }
}

fn kinds_agree(text: &str) {
    assert_agree::<FieldKind, FieldKindRef>(text);
}

fn conditions_agree(text: &str) {
    assert_agree::<Condition, ConditionRef>(text);
}

fn options() -> Vec<ChoiceOption> {
    vec![ChoiceOption { value: "a".into(), label: "A".into() }, ChoiceOption { value: "b".into(), label: "B".into() }]
}

fn every_kind() -> Vec<FieldKind> {
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    vec![
        FieldKind::ShortText { min_length: None, max_length: None, pattern: None, pattern_description: None },
        FieldKind::ShortText {
            min_length: Some(2),
            max_length: Some(10),
            pattern: Some("[0-9]{5}".into()),
            pattern_description: Some("fem siffror".into()),
        },
        FieldKind::LongText { min_length: None, max_length: None },
        FieldKind::LongText { min_length: Some(1), max_length: Some(20_000) },
        FieldKind::Number { min: None, max: None, integer: false },
        FieldKind::Number { min: Some(-1.5), max: Some(1e9), integer: true },
        FieldKind::Date { min: None, max: None },
        FieldKind::Date { min: Some(date("2020-01-01")), max: Some(date("2030-12-31")) },
        FieldKind::Email,
        FieldKind::Phone,
        FieldKind::Personnummer { allow_samordningsnummer: true },
        FieldKind::Personnummer { allow_samordningsnummer: false },
        FieldKind::SingleChoice { options: options(), display: ChoiceDisplay::Radio },
        FieldKind::SingleChoice { options: options(), display: ChoiceDisplay::Select },
        FieldKind::MultipleChoice { options: options(), min_selected: None, max_selected: None },
        FieldKind::MultipleChoice { options: options(), min_selected: Some(1), max_selected: Some(2) },
        FieldKind::YesNo,
        FieldKind::File { max_files: 1, max_size_bytes: 10_000_000, accept: vec![] },
        FieldKind::File { max_files: 5, max_size_bytes: 1, accept: vec![".pdf".into(), "image/*".into()] },
        FieldKind::Info { text: "Läs detta.\n\nOch detta.".into() },
        FieldKind::Child,
        FieldKind::Organisationsnummer,
        FieldKind::Postnummer,
        FieldKind::Bankgiro,
        FieldKind::Plusgiro,
        FieldKind::Amount { min_kronor: None, max_kronor: None, whole_kronor: false },
        FieldKind::Amount { min_kronor: Some(100), max_kronor: Some(50_000), whole_kronor: true },
        FieldKind::Address,
        FieldKind::Group { min_rows: 1, max_rows: 5, row_label: Some("Ledamot".into()) },
    ]
}

fn every_condition() -> Vec<Condition> {
    let eq = Condition::Equals { field: "a".into(), value: json!("x") };
    vec![
        Condition::All { conditions: vec![] },
        Condition::All { conditions: vec![eq.clone(), Condition::IsAnswered { field: "b".into() }] },
        Condition::Any { conditions: vec![] },
        Condition::Any { conditions: vec![eq.clone()] },
        Condition::Not { condition: Box::new(eq.clone()) },
        eq,
        Condition::Equals { field: "a".into(), value: json!({ "nested": [1, 2.5, null, true] }) },
        Condition::NotEquals { field: "a".into(), value: json!(3) },
        Condition::OneOf { field: "a".into(), values: vec![json!("x"), json!(2), json!(false)] },
        Condition::OneOf { field: "a".into(), values: vec![] },
        Condition::Contains { field: "a".into(), value: json!("text") },
        Condition::GreaterThan { field: "a".into(), value: json!(10) },
        Condition::LessThan { field: "a".into(), value: json!("2027-01-01") },
        Condition::IsAnswered { field: "a".into() },
    ]
}

#[test]
fn every_field_kind_survives_a_json_round_trip_and_the_old_decoder_reads_it_the_same() {
    for kind in every_kind() {
        let text = serde_json::to_string(&kind).unwrap();
        assert_eq!(serde_json::from_str::<FieldKind>(&text).unwrap(), kind, "{text}");
        assert_eq!(serde_json::from_value::<FieldKind>(serde_json::to_value(&kind).unwrap()).unwrap(), kind);
        kinds_agree(&text);
    }
}

#[test]
fn every_condition_survives_a_json_round_trip_and_the_old_decoder_reads_it_the_same() {
    for c in every_condition() {
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Condition>(&text).unwrap(), c, "{text}");
        assert_eq!(serde_json::from_value::<Condition>(serde_json::to_value(&c).unwrap()).unwrap(), c);
        conditions_agree(&text);
    }
}

#[test]
fn serialization_is_unchanged() {
    for kind in every_kind() {
        let old: FieldKindRef = serde_json::from_value(serde_json::to_value(&kind).unwrap()).unwrap();
        assert_eq!(serde_json::to_string(&kind).unwrap(), serde_json::to_string(&old).unwrap());
    }
    for c in every_condition() {
        let old: ConditionRef = serde_json::from_value(serde_json::to_value(&c).unwrap()).unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), serde_json::to_string(&old).unwrap());
    }
}

#[test]
fn the_old_and_new_field_kind_decoders_agree_on_valid_and_invalid_inputs() {
    for text in [
        // Valid: defaults, nulls for options, the tag anywhere, keys of other kinds and unknown keys ignored.
        r#"{"type":"short_text"}"#,
        r#"{"min_length":3,"type":"short_text","max_length":null}"#,
        r#"{"type":"email","min_length":"not a number","min":{},"unknown":[1,2]}"#,
        r#"{"type":"yes_no","type2":1}"#,
        r#"{"type":"number","min":1,"max":2.5,"integer":true}"#,
        r#"{"type":"number","min":-3}"#,
        r#"{"type":"date","min":"2024-02-29"}"#,
        r#"{"type":"personnummer"}"#,
        r#"{"type":"personnummer","allow_samordningsnummer":false}"#,
        r#"{"type":"single_choice","options":[{"value":"a","label":"A","x":1}],"display":"select"}"#,
        r#"{"type":"multiple_choice","options":[],"min_selected":0}"#,
        r#"{"type":"file","max_size_bytes":18446744073709551615}"#,
        r#"{"type":"file","max_size_bytes":1,"max_files":3,"accept":[]}"#,
        r#"{"type":"info","text":""}"#,
        r#"{"type":"child"}"#,
        r#"{"type":"child","text":"x"}"#,
        r#"{"type":"address"}"#,
        r#"{"type":"group"}"#,
        r#"{"type":"group","fields":[],"min_rows":1,"row_label":{"sv":"R"}}"#,
        r#"{"type":"email","max_files":1,"max_files":2}"#,
        // The tag as a variant index, as the derive allows.
        r#"{"type":0}"#,
        r#"{"type":11,"text":"t"}"#,
        // Invalid: the tag.
        r#"{}"#,
        r#"{"min_length":1}"#,
        r#"{"type":"script"}"#,
        r#"{"type":"ShortText"}"#,
        r#"{"type":12}"#,
        r#"{"type":-1}"#,
        r#"{"type":1.5}"#,
        r#"{"type":null}"#,
        r#"{"type":true}"#,
        r#"{"type":["email"]}"#,
        r#"{"type":{"x":1}}"#,
        r#"{"type":"email","type":"phone"}"#,
        r#"{"type":"group","max_rows":-1}"#,
        r#"{"type":"group","row_label":5}"#,
        r#"{"type":"nope","later":}"#,
        // Invalid: fields.
        r#"{"type":"file"}"#,
        r#"{"type":"file","max_size_bytes":-1}"#,
        r#"{"type":"file","max_size_bytes":1.5}"#,
        r#"{"type":"file","max_size_bytes":"1"}"#,
        r#"{"type":"file","max_size_bytes":null}"#,
        r#"{"type":"file","max_size_bytes":1,"max_files":null}"#,
        r#"{"type":"file","max_size_bytes":1,"accept":".pdf"}"#,
        r#"{"type":"info"}"#,
        r#"{"type":"info","text":5}"#,
        r#"{"type":"single_choice"}"#,
        r#"{"type":"single_choice","options":[{"value":"a"}]}"#,
        r#"{"type":"single_choice","options":[],"display":"dropdown"}"#,
        r#"{"type":"short_text","min_length":4294967296}"#,
        r#"{"type":"short_text","min_length":1,"min_length":2}"#,
        r#"{"type":"short_text","pattern":1}"#,
        r#"{"type":"number","integer":null}"#,
        r#"{"type":"number","min":"1"}"#,
        r#"{"type":"date","min":"2023-02-29"}"#,
        r#"{"type":"date","max":20240101}"#,
        r#"{"type":"personnummer","allow_samordningsnummer":"yes"}"#,
        // Invalid: not an object.
        r#""short_text""#,
        r#"null"#,
        r#"12"#,
        r#"{"type":"email""#,
        r#"{"type":"email",}"#,
    ] {
        kinds_agree(text);
    }
}

#[test]
fn the_old_and_new_condition_decoders_agree_on_valid_and_invalid_inputs() {
    for text in [
        r#"{"op":"all","conditions":[]}"#,
        r#"{"conditions":[{"op":"is_answered","field":"a"}],"op":"any"}"#,
        r#"{"op":"not","condition":{"op":"equals","field":"a","value":null}}"#,
        r#"{"op":"equals","field":"a","value":{"b":[1,-2,3.5,"x",true,null]}}"#,
        r#"{"op":"equals","field":"a","value":1,"conditions":"ignored","code":"alert(1)"}"#,
        r#"{"op":"one_of","field":"a","values":[1,"b"]}"#,
        r#"{"op":"is_answered","field":"a","value":1,"value":2}"#,
        r#"{"op":9,"field":"a"}"#,
        r#"{"op":"script","code":"alert(1)"}"#,
        r#"{"op":"equals","value":1}"#,
        r#"{"op":"equals","field":"a"}"#,
        r#"{"field":"x"}"#,
        r#"{"op":"all"}"#,
        r#"{"op":"all","conditions":{}}"#,
        r#"{"op":"all","conditions":[{"op":"nope"}]}"#,
        r#"{"op":"all","conditions":[{"op":"equals","field":"a"}]}"#,
        r#"{"op":"not","condition":null}"#,
        r#"{"op":"not","condition":{"op":"not","condition":{"op":"is_answered"}}}"#,
        r#"{"op":"one_of","field":"a","values":1}"#,
        r#"{"op":"equals","field":1,"value":1}"#,
        r#"{"op":"equals","field":"a","field":"b","value":1}"#,
        r#"{"op":"equals","field":"a","value":1,"value":2}"#,
        r#"{"op":"equals","op":"equals","field":"a","value":1}"#,
        r#"{"op":10,"field":"a"}"#,
        r#""equals""#,
    ] {
        conditions_agree(text);
    }
}

#[test]
fn only_an_array_in_place_of_the_object_is_no_longer_accepted() {
    // The derive read `["is_answered", "a"]` as {"op":"is_answered","field":"a"}; no client writes that.
    let text = r#"["is_answered","a"]"#;
    assert!(serde_json::from_str::<ConditionRef>(text).is_ok());
    let e = serde_json::from_str::<Condition>(text).unwrap_err().to_string();
    assert!(e.starts_with("invalid type: sequence, expected internally tagged enum Condition"), "{e}");
    assert!(serde_json::from_str::<FieldKind>(r#"["email"]"#).is_err());
    // An empty array: the derive missed the tag, this decoder the object.
    let e = serde_json::from_str::<Condition>("[]").unwrap_err().to_string();
    assert!(e.starts_with("invalid type: sequence"), "{e}");
}

// ---------------------------------------------------------------- properties

const KIND_TAGS: &[&str] = &["short_text", "number", "date", "personnummer", "single_choice", "file", "info", "email"];
const KIND_KEYS: &[&str] = &[
    "min_length",
    "max_length",
    "pattern",
    "min",
    "max",
    "integer",
    "allow_samordningsnummer",
    "options",
    "display",
    "max_files",
    "max_size_bytes",
    "accept",
    "text",
    "other",
];
const CONDITION_TAGS: &[&str] = &["all", "not", "equals", "one_of", "is_answered", "nope"];
const CONDITION_KEYS: &[&str] = &["conditions", "condition", "field", "value", "values", "other"];

fn arb_json() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "null",
        "true",
        "0",
        "7",
        "-1",
        "2.5",
        "\"x\"",
        "\"2027-06-01\"",
        "\"select\"",
        "[]",
        "{}",
        "[\".pdf\"]",
        "[{\"value\":\"a\",\"label\":\"A\"}]",
        "[{\"op\":\"is_answered\",\"field\":\"a\"}]",
        "{\"op\":\"is_answered\",\"field\":\"a\"}",
        "{\"op\":\"x\"}",
        "[1,\"a\"]",
    ])
}

/// A JSON object as text (so keys may repeat): maybe a tag, then some keys with values.
fn arb_object(
    tag: &'static str,
    tags: &'static [&'static str],
    keys: &'static [&'static str],
) -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(tags)),
        0..3usize,
        prop::collection::vec((prop::sample::select(keys), arb_json()), 0..5),
    )
        .prop_map(move |(t, at, entries)| {
            let mut parts: Vec<String> = entries.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            if let Some(t) = t {
                parts.insert(at.min(parts.len()), format!("\"{tag}\":\"{t}\""));
            }
            format!("{{{}}}", parts.join(","))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_decoders_agree_on_random_field_kind_objects(text in arb_object("type", KIND_TAGS, KIND_KEYS)) {
        let (new, old) = (outcome::<FieldKind>(&text), outcome::<FieldKindRef>(&text));
        // With more than one fault the two may name different ones first; both must refuse.
        match (&new, &old) {
            (Ok(_), _) | (_, Ok(_)) => prop_assert_eq!(new, old, "{}", text),
            (Err(_), Err(_)) => {}
        }
    }

    #[test]
    fn the_decoders_agree_on_random_condition_objects(text in arb_object("op", CONDITION_TAGS, CONDITION_KEYS)) {
        let (new, old) = (outcome::<Condition>(&text), outcome::<ConditionRef>(&text));
        match (&new, &old) {
            (Ok(_), _) | (_, Ok(_)) => prop_assert_eq!(new, old, "{}", text),
            (Err(_), Err(_)) => {}
        }
    }
}
