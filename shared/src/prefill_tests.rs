use serde_json::json;

use super::*;
use crate::api::PostalAddress;

/// Skatteverket's test person Tolvan Tolvansson.
fn tolvan() -> PersonalData {
    PersonalData {
        personnummer: "191212121212".into(),
        protected: false,
        given_name: Some("Tolvan".into()),
        surname: Some("Tolvansson".into()),
        address: Some(PostalAddress {
            care_of: None,
            street: "Tolvansgatan 12".into(),
            postal_code: "12345".into(),
            city: "Tolvsby".into(),
        }),
        children: Vec::new(),
        found_in_register: true,
    }
}

fn form() -> FormDefinition {
    let d: FormDefinition = serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "fornamn", "label": "Förnamn", "prefill": {"from": "given_name"}, "kind": {"type": "short_text"}},
        {"key": "namn", "label": "Namn", "prefill": {"from": "full_name", "locked": true}, "kind": {"type": "short_text"}},
        {"key": "gata", "label": "Gata", "prefill": {"from": "street"}, "kind": {"type": "short_text"}},
        {"key": "postnr", "label": "Postnummer", "prefill": {"from": "postnummer"}, "kind": {"type": "postnummer"}},
        {"key": "ort", "label": "Ort", "prefill": {"from": "ort"}, "kind": {"type": "short_text"}},
        {"key": "pnr", "label": "Personnummer", "prefill": {"from": "personnummer", "locked": true}, "kind": {"type": "personnummer"}},
        {"key": "forening", "label": "Förening", "prefill": {"from": "previous_case"}, "kind": {"type": "short_text"}},
        {"key": "ovrigt", "label": "Övrigt", "kind": {"type": "long_text"}}
    ]}]}))
    .unwrap();
    d.check().unwrap();
    d
}

#[test]
fn the_register_and_the_e_id_fill_in_the_fields_that_ask_for_them() {
    let filled: Answers = from_person(&form(), &tolvan()).into_iter().collect();
    assert_eq!(
        serde_json::to_value(filled).unwrap(),
        json!({"fornamn": "Tolvan", "namn": "Tolvan Tolvansson", "gata": "Tolvansgatan 12", "postnr": "12345",
               "ort": "Tolvsby", "pnr": "191212121212"})
    );
}

#[test]
fn a_protected_identity_gets_nothing_from_the_register_only_its_own_personnummer() {
    // What the server sends for a protected identity: no name, no address.
    let protected = PersonalData { protected: true, given_name: None, surname: None, address: None, ..tolvan() };
    assert_eq!(from_person(&form(), &protected), [("pnr".to_string(), json!("191212121212"))]);
    // Even data that were there are not used for a protected identity.
    let leaked = PersonalData { protected: true, ..tolvan() };
    assert_eq!(from_person(&form(), &leaked), [("pnr".to_string(), json!("191212121212"))]);
    let mut answers: Answers = [("namn".to_string(), json!("Eget namn"))].into();
    enforce_locked(&form(), &mut answers, &protected);
    assert_eq!(answers["namn"], json!("Eget namn"), "nothing to lock to: the answer stays");
}

#[test]
fn a_locked_answer_is_the_registers_whatever_is_sent_and_an_unlocked_one_can_change() {
    let mut answers: Answers =
        [("namn".to_string(), json!("Någon annan")), ("fornamn".to_string(), json!("Tolle"))].into();
    enforce_locked(&form(), &mut answers, &tolvan());
    assert_eq!(answers["namn"], json!("Tolvan Tolvansson"));
    assert_eq!(answers["pnr"], json!("191212121212"));
    assert_eq!(answers["fornamn"], json!("Tolle"));
    assert!(has_locked(&form()));
}

#[test]
fn a_previous_case_fills_only_the_fields_that_ask_for_it() {
    let previous: Answers = [("forening".to_string(), json!("Råå IF")), ("ovrigt".to_string(), json!("x"))].into();
    assert_eq!(from_previous_case(&form(), &previous), [("forening".to_string(), json!("Råå IF"))]);
}

#[test]
fn a_prefill_that_does_not_fit_its_field_or_locks_a_previous_case_is_refused() {
    for (kind, prefill, says) in [
        (json!({"type": "number"}), json!({"from": "given_name"}), "a name or an address part"),
        (json!({"type": "short_text"}), json!({"from": "personnummer"}), "personnummer field"),
        (json!({"type": "file", "max_size_bytes": 10}), json!({"from": "previous_case"}), "files"),
        (json!({"type": "short_text"}), json!({"from": "previous_case", "locked": true}), "locked"),
    ] {
        let d: FormDefinition = serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": [
            {"key": "f", "label": "F", "prefill": prefill, "kind": kind}]}]}))
        .unwrap();
        let e = d.check().unwrap_err().to_string();
        assert!(e.contains(says) && e.contains("'f'"), "{e}");
    }
}

#[test]
fn prefill_sources_have_the_wire_names_serde_writes_and_unknown_ones_are_refused() {
    for (source, name) in PrefillSource::ALL {
        assert_eq!(serde_json::to_value(source).unwrap(), json!(name));
        assert_eq!(serde_json::from_value::<PrefillSource>(json!(name)).unwrap(), source);
    }
    let e = serde_json::from_value::<Prefill>(json!({"from": "skatteverket"})).unwrap_err().to_string();
    assert!(e.contains("unknown variant `skatteverket`, expected one of `given_name`"), "{e}");
    let e = serde_json::from_value::<Prefill>(json!({"locked": true})).unwrap_err().to_string();
    assert!(e.contains("missing field `from`"), "{e}");
    let p: Prefill = serde_json::from_str(r#"{"from": "ort"}"#).unwrap();
    assert_eq!(p, Prefill { from: PrefillSource::Ort, locked: false });
}

#[test]
fn the_register_fills_in_a_whole_address_but_never_a_protected_ones() {
    let mut person = tolvan();
    assert_eq!(
        PrefillSource::Address.value(&person),
        Some(json!({"street": "Tolvansgatan 12", "postnummer": "12345", "ort": "Tolvsby"}))
    );
    person.protected = true;
    assert_eq!(PrefillSource::Address.value(&person), None);
    let text_field: FormDefinition = serde_json::from_value(json!({"pages": [{"key": "p", "title": "P", "fields": [
        {"key": "a", "label": "A", "prefill": {"from": "address"}, "kind": {"type": "short_text"}}]}]}))
    .unwrap();
    assert!(text_field.check().unwrap_err().to_string().contains("an address is filled into an address field"));
}
