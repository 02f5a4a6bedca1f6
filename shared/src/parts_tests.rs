//! Tests of answers with parts: addresses, repeating groups (rows, their limits and row rules),
//! answer paths, their checks in a definition and how they read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};

use super::*;
use crate::form::{DefinitionError, FormDefinition};
use crate::test_support::{answers, def};
use crate::validate::{validate, validate_on, visibility};

/// The association's board: name, role and year of birth per member, at least one and at most
/// three rows, and a row rule that the chair is at least 18 (born 2008 or earlier).
fn board() -> FormDefinition {
    def(json!({"pages": [{"key": "p", "title": "Styrelsen", "fields": [
        {"key": "adress", "label": "Föreningens adress", "required": true, "kind": {"type": "address"}},
        {"key": "styrelse", "label": "Styrelsens ledamöter", "required": true, "kind": {"type": "group",
            "min_rows": 2, "max_rows": 3, "row_label": {"sv": "Ledamot", "en": "Member"}},
            "fields": [
                {"key": "namn", "label": "Namn", "required": true, "kind": {"type": "short_text"}},
                {"key": "roll", "label": "Roll", "kind": {"type": "single_choice", "options": [
                    {"value": "ordforande", "label": "Ordförande"}, {"value": "ledamot", "label": "Ledamot"}]}},
                {"key": "fodd", "label": "Födelseår", "kind": {"type": "number", "integer": true}}
            ],
            "rules": [{"key": "vuxen_ordforande", "field": "fodd",
                "condition": {"op": "equals", "field": "roll", "value": "ordforande"},
                "check": {"type": "compare", "field": "fodd", "op": "le", "value": 2008},
                "message": {"sv": "Ordföranden måste vara myndig.", "en": "The chair must be an adult."}}]
        }
    ]}]}))
}

fn address() -> Value {
    json!({"street": " Drottninggatan 1 ", "postnummer": "252 21", "ort": "Helsingborg"})
}

fn member(name: &str, role: &str, born: Value) -> Value {
    json!({"namn": name, "roll": role, "fodd": born})
}

fn problems(result: Result<Answers, Vec<FieldError>>) -> Vec<(String, FieldErrorCode)> {
    result.expect_err("should be refused").into_iter().map(|e| (e.path(), e.code)).collect()
}

fn problem(path: &str, code: FieldErrorCode) -> (String, FieldErrorCode) {
    (path.to_owned(), code)
}

#[test]
fn an_address_and_the_boards_rows_are_accepted_normalised() {
    let given = answers(json!({"adress": address(), "styrelse": [
        member("Anna Andersson", "ordforande", json!("1970")),
        member(" Bo Berg ", "ledamot", json!(1990)),
    ]}));
    let accepted = validate(&board(), &given).unwrap();
    assert_eq!(accepted["adress"], json!({"street": "Drottninggatan 1", "postnummer": "25221", "ort": "Helsingborg"}));
    assert_eq!(
        accepted["styrelse"],
        json!([
            {"namn": "Anna Andersson", "roll": "ordforande", "fodd": 1970},
            {"namn": "Bo Berg", "roll": "ledamot", "fodd": 1990}
        ])
    );
}

#[test]
fn an_address_with_a_part_missing_or_wrong_names_that_part() {
    let partial = json!({"street": "Drottninggatan 1", "postnummer": "2522", "ort": " "});
    let given = answers(
        json!({"adress": partial, "styrelse": [member("A", "ledamot", json!(1990)), member("B", "ledamot", json!(1990))]}),
    );
    assert_eq!(
        problems(validate(&board(), &given)),
        [
            problem("adress.postnummer", FieldErrorCode::InvalidPostnummer),
            problem("adress.ort", FieldErrorCode::Required)
        ]
    );
    let odd = answers(json!({"adress": {"street": "Gatan 1", "postnummer": "25221", "ort": "Ort", "land": "SE"}}));
    assert!(problems(validate(&board(), &odd)).contains(&problem("adress.land", FieldErrorCode::UnknownField)));
    let not_an_object = answers(json!({"adress": "Drottninggatan 1"}));
    assert!(problems(validate(&board(), &not_an_object)).contains(&problem("adress", FieldErrorCode::InvalidType)));
}

#[test]
fn an_address_of_nothing_but_blanks_is_not_an_answer() {
    let blank = answers(json!({"adress": {"street": " ", "postnummer": "", "ort": "\u{200B}"}}));
    assert!(problems(validate(&board(), &blank)).contains(&problem("adress", FieldErrorCode::Required)));
}

#[test]
fn each_row_is_checked_and_each_problem_names_its_row_and_field() {
    let given = answers(json!({"adress": address(), "styrelse": [
        member("Anna", "ordforande", json!(2015)),
        {"roll": "kassor", "fodd": "nittio"},
        {"namn": "Cecilia", "skostorlek": 38},
    ]}));
    assert_eq!(
        problems(validate_on(&board(), &given, (2026, 12, 7))),
        [
            problem("styrelse.0.fodd", FieldErrorCode::Rule),
            problem("styrelse.1.namn", FieldErrorCode::Required),
            problem("styrelse.1.roll", FieldErrorCode::InvalidOption),
            problem("styrelse.1.fodd", FieldErrorCode::NotANumber),
            problem("styrelse.2.skostorlek", FieldErrorCode::UnknownField),
        ]
    );
}

#[test]
fn a_row_rule_has_its_own_message_and_key_and_holds_only_where_its_condition_does() {
    let given = answers(json!({"adress": address(), "styrelse": [
        member("Anna", "ledamot", json!(2015)),
        member("Bo", "ordforande", json!(2012)),
    ]}));
    let errors = validate_on(&board(), &given, (2026, 12, 7)).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].row, errors[0].part.as_deref()), (Some(1), Some("fodd")));
    assert_eq!(errors[0].rule.as_deref(), Some("vuxen_ordforande"));
    assert_eq!(errors[0].message.sv, "Ordföranden måste vara myndig.");
    assert_eq!(errors[0].message.en, "The chair must be an adult.");
}

#[test]
fn too_few_and_too_many_rows_are_refused_before_any_row_is_read() {
    let one = answers(json!({"adress": address(), "styrelse": [member("Anna", "ledamot", json!(1990))]}));
    assert_eq!(problems(validate(&board(), &one)), [problem("styrelse", FieldErrorCode::TooFewRows)]);
    assert_eq!(validate(&board(), &one).unwrap_err()[0].message.sv, "Fyll i minst 2 rader.");
    // A thousand broken rows give one error, not a thousand.
    let many = answers(json!({"adress": address(), "styrelse": vec![json!("trasig"); 1000]}));
    assert_eq!(problems(validate(&board(), &many)), [problem("styrelse", FieldErrorCode::TooManyRows)]);
    let empty = answers(json!({"adress": address(), "styrelse": []}));
    assert_eq!(problems(validate(&board(), &empty)), [problem("styrelse", FieldErrorCode::Required)]);
    let not_a_row = answers(json!({"adress": address(), "styrelse": [member("A", "ledamot", json!(1990)), 7]}));
    assert_eq!(problems(validate(&board(), &not_a_row)), [problem("styrelse.1", FieldErrorCode::InvalidType)]);
}

#[test]
fn the_visibility_walk_does_not_check_row_rules() {
    let given = answers(json!({"adress": address(), "styrelse": [member("Anna", "ordforande", json!(2015))]}));
    assert!(visibility(&board(), &given).fields.contains("styrelse"));
}

#[test]
fn paths_read_and_write_the_parts_of_answers() {
    let mut a = answers(json!({"styrelse": [{}, {"namn": "Bo"}]}));
    assert_eq!(answer_at(&a, "styrelse.1.namn"), Some(&json!("Bo")));
    assert_eq!(answer_at(&a, "styrelse.0.namn"), None);
    assert_eq!(answer_at(&a, "styrelse.9.namn"), None);
    assert_eq!(answer_at(&a, "styrelse.x.namn"), None);
    set_answer_at(&mut a, "styrelse.0.namn", Some(json!("Anna")));
    set_answer_at(&mut a, "styrelse.1.namn", None);
    assert_eq!(a["styrelse"], json!([{"namn": "Anna"}, {}]));
    // Writing past the last row adds the rows before it, as the browser shows them, but never
    // more than a group may have.
    set_answer_at(&mut a, "styrelse.3.namn", Some(json!("Ulf")));
    assert_eq!(a["styrelse"], json!([{"namn": "Anna"}, {}, {}, {"namn": "Ulf"}]));
    set_answer_at(&mut a, "styrelse.4000000000.namn", Some(json!("x")));
    set_answer_at(&mut a, "styrelse.x.namn", Some(json!("x")));
    assert_eq!(a["styrelse"].as_array().unwrap().len(), 4);
    // The first row of a group not yet answered.
    set_answer_at(&mut a, "ny.0.namn", Some(json!("Bo")));
    assert_eq!(a["ny"], json!([{"namn": "Bo"}]));
    set_answer_at(&mut a, "adress.ort", Some(json!("Helsingborg")));
    assert_eq!(answer_at(&a, "adress.ort"), Some(&json!("Helsingborg")));
    set_answer_at(&mut a, "adress.ort", None);
    assert!(!a.contains_key("adress"), "an address with nothing left in it is gone");
    set_answer_at(&mut a, "namn", Some(json!("x")));
    assert_eq!(answer_at(&a, "namn"), Some(&json!("x")));
}

#[test]
fn every_error_path_is_where_a_path_reads_its_answer() {
    let given = answers(json!({"adress": {"street": "Gatan 1", "postnummer": "1", "ort": "Ort"},
        "styrelse": [member("A", "ledamot", json!(1990)), member("B", "vd", json!(1990))]}));
    for e in validate(&board(), &given).unwrap_err() {
        assert!(answer_at(&given, &e.path()).is_some(), "{}", e.path());
    }
}

fn refused(v: Value) -> DefinitionError {
    serde_json::from_value::<FormDefinition>(v).unwrap().check().unwrap_err()
}

/// A form with a text field and the group `g`: `group` is its kind with the row's `fields` and
/// `rules` in it, which go beside the kind.
fn one_group(mut group: Value) -> Value {
    let mut field = json!({"key": "g", "label": "G"});
    for key in ["fields", "rules"] {
        if let Some(v) = group.as_object_mut().unwrap().remove(key) {
            field[key] = v;
        }
    }
    field["kind"] = group;
    json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "namn", "label": "Namn", "kind": {"type": "short_text"}},
        field
    ]}]})
}

#[test]
fn a_group_holds_only_plain_fields() {
    for inner in
        [json!({"type": "group", "fields": []}), json!({"type": "address"}), json!({"type": "info", "text": "x"})]
    {
        let e = refused(one_group(json!({"type": "group", "fields": [{"key": "i", "label": "I", "kind": inner}]})));
        assert!(matches!(&e, DefinitionError::InvalidConstraint { field, .. } if field == "i"), "{e}");
    }
    let with_condition = json!({"type": "group", "fields": [{"key": "i", "label": "I", "kind": {"type": "yes_no"},
        "condition": {"op": "is_answered", "field": "namn"}}]});
    assert!(refused(one_group(with_condition)).to_string().contains("no condition or prefill"));
    let empty = json!({"type": "group", "fields": []});
    assert!(refused(one_group(empty)).to_string().contains("at least one field"));
}

#[test]
fn a_groups_rows_are_bounded_and_counted_toward_the_forms_fields() {
    let field = |k: usize| json!({"key": format!("f{k}"), "label": "F", "kind": {"type": "short_text"}});
    let over = json!({"type": "group", "max_rows": 51, "fields": [field(0)]});
    assert!(refused(one_group(over)).to_string().contains("max_rows must be between 1 and 50"));
    let reversed = json!({"type": "group", "min_rows": 3, "max_rows": 2, "fields": [field(0)]});
    assert!(refused(one_group(reversed)).to_string().contains("min_rows is greater than max_rows"));
    // 10 fields in 50 rows are 500 fields, and the form has two more.
    let wide = json!({"type": "group", "max_rows": 50, "fields": (0..10).map(field).collect::<Vec<_>>()});
    assert!(matches!(refused(one_group(wide)), DefinitionError::OverLimit { limit: 500, .. }));
    let pattern = json!({"key": "p0", "label": "P", "kind": {"type": "short_text", "pattern": "[0-9]+"}});
    let patterns = json!({"type": "group", "max_rows": 11, "fields": [pattern]});
    assert!(matches!(refused(one_group(patterns)), DefinitionError::OverLimit { limit: 10, .. }));
}

#[test]
fn a_rows_keys_are_unique_in_the_form_and_its_rules_read_only_the_row() {
    let clash = json!({"type": "group", "fields": [{"key": "namn", "label": "N", "kind": {"type": "short_text"}}]});
    assert_eq!(refused(one_group(clash)), DefinitionError::DuplicateKey { key: "namn".into() });
    let outside = json!({"type": "group", "fields": [{"key": "n", "label": "N", "kind": {"type": "number"}}],
        "rules": [{"key": "r", "field": "n", "check": {"type": "at_least_one", "fields": ["n", "namn"]},
            "message": "Fyll i"}]});
    assert!(matches!(refused(one_group(outside)), DefinitionError::UnknownField { field, .. } if field == "namn"));
    // A condition elsewhere in the form cannot read a row's field.
    let mut v = one_group(json!({"type": "group", "fields": [{"key": "n", "label": "N", "kind": {"type": "number"}}]}));
    v["pages"][0]["fields"][0]["condition"] = json!({"op": "is_answered", "field": "n"});
    assert!(matches!(
        serde_json::from_value::<FormDefinition>(v).unwrap().check(),
        Err(DefinitionError::UnknownField { .. })
    ));
}

#[test]
fn a_rows_texts_are_listed_for_translation() {
    let untranslated: Vec<String> =
        board().untranslated().into_iter().map(|u| format!("{} {}", u.at, u.what)).collect();
    assert!(untranslated.contains(&"namn label".to_owned()), "{untranslated:?}");
    assert!(untranslated.contains(&"roll option 'ordforande'".to_owned()));
    assert!(!untranslated.iter().any(|u| u.starts_with("vuxen_ordforande")), "the row rule's message is translated");
    assert!(!untranslated.contains(&"styrelse row_label".to_owned()));
}

#[test]
fn a_group_and_an_address_read_as_lines() {
    let accepted = validate(
        &board(),
        &answers(json!({"adress": address(), "styrelse": [member("Anna", "ordforande", json!(1970)), {"namn": "Bo"}]})),
    )
    .unwrap();
    assert_eq!(
        crate::formats::show_answer(&FieldKind::Address, &accepted["adress"]).unwrap(),
        "Drottninggatan 1, 252 21 Helsingborg"
    );
    let group = board().field("styrelse").unwrap().clone();
    let show = |_: &Field, v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    assert_eq!(
        show_rows(&group, &accepted["styrelse"], false, show),
        ["Ledamot 1: Namn: Anna, Roll: ordforande, Födelseår: 1970", "Ledamot 2: Namn: Bo"]
    );
    assert_eq!(show_rows(&group, &accepted["styrelse"], true, show)[1], "Member 2: Namn: Bo");
    assert!(show_rows(&group, &json!("x"), false, show).is_empty());
    assert_eq!(row_title(None, 0).in_english(), "Row 1");
}

#[test]
fn a_group_without_its_optional_settings_reads_with_their_defaults_and_back() {
    let v = json!({"key": "g", "label": "G", "kind": {"type": "group"},
        "fields": [{"key": "n", "label": "N", "kind": {"type": "short_text"}}]});
    let field: Field = serde_json::from_value(v.clone()).unwrap();
    let FieldKind::Group { min_rows, max_rows, row_label } = &field.kind else { panic!("{field:?}") };
    assert_eq!((*min_rows, *max_rows, row_label, field.rules.len()), (0, 10, &None, 0));
    let back: Field = serde_json::from_value(serde_json::to_value(&field).unwrap()).unwrap();
    assert_eq!(back, field, "written and read back the same");
}

#[test]
fn only_a_group_has_fields_and_rules_of_its_own() {
    let v = json!({"pages": [{"key": "p", "title": "P", "fields": [{"key": "t", "label": "T", "kind": {"type": "short_text"},
        "fields": [{"key": "n", "label": "N", "kind": {"type": "short_text"}}]}]}]});
    assert!(refused(v).to_string().contains("only a field of kind group has fields and rules of its own"));
}

#[test]
fn an_error_summary_names_the_row_and_part_of_a_problem() {
    let form = board();
    let given = answers(json!({"adress": {"street": "Gatan 1", "postnummer": "1", "ort": "Ort"},
        "styrelse": [member("A", "ledamot", json!(1990)), {"roll": "ledamot"}]}));
    let labels: Vec<(String, String)> = validate(&form, &given)
        .unwrap_err()
        .iter()
        .map(|e| {
            let label = error_label(form.field(&e.field).unwrap(), e);
            (label.sv.clone(), label.in_english().to_owned())
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("Föreningens adress – Postnummer".to_owned(), "Föreningens adress – Postcode".to_owned()),
            ("Ledamot 2 – Namn".to_owned(), "Member 2 – Namn".to_owned()),
        ]
    );
}

#[test]
fn an_error_about_a_whole_address_or_group_links_to_its_first_input() {
    let form = board();
    let errors = validate(&form, &answers(json!({"adress": {}, "styrelse": [member("A", "ledamot", json!(1990))]})))
        .unwrap_err();
    let inputs: Vec<String> = errors.iter().map(|e| error_input(form.field(&e.field).unwrap(), e)).collect();
    assert_eq!(inputs, ["adress.street", "styrelse.0.namn"]);
    let row =
        validate(&form, &answers(json!({"adress": address(), "styrelse": [member("A", "ledamot", json!(1990)), 5]})))
            .unwrap_err();
    assert_eq!(error_input(form.field("styrelse").unwrap(), &row[0]), "styrelse.1.namn");
    let part = validate(&form, &answers(json!({"adress": address(), "styrelse": [member("A", "vd", json!(1990)), member("B", "ledamot", json!(1990))]}))).unwrap_err();
    assert_eq!(error_input(form.field("styrelse").unwrap(), &part[0]), "styrelse.0.roll");
}
