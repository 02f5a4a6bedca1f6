//! What changed between two versions of a form, in words, for the builder's version history:
//! pages, questions (with a group's row questions), options, rules and conditions added, removed,
//! moved or changed, and their texts in Swedish and English. Each change names the page, question
//! or rule it is about (`target`, its key), so the builder can point at it. Conditions are put in
//! words by [`crate::analysis::describe`].

use serde::{Deserialize, Serialize};

use crate::form::{Field, FieldKind, FormDefinition, Page};
use crate::rule::Rule;
use crate::text::Text;
use crate::validate::Localized;

/// One change, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Change {
    /// The key of the page, question or rule it is about (empty for the form as a whole).
    pub target: String,
    /// The change in Swedish and English.
    pub words: Localized,
}

fn change(target: &str, sv: String, en: String) -> Change {
    Change { target: target.to_owned(), words: Localized { sv, en } }
}

/// The changes from `old` to `new`, page by page in `new`'s order, then what was removed.
pub fn diff(old: &FormDefinition, new: &FormDefinition) -> Vec<Change> {
    let mut out = Vec::new();
    pages(old, new, &mut out);
    let old_fields = all_fields(old);
    let new_fields = all_fields(new);
    for (page, field) in &new_fields {
        match old_fields.iter().find(|(_, f)| f.key == field.key) {
            None => out.push(change(
                &field.key,
                format!("Frågan ”{}” ({}) är ny på sidan ”{}”.", field.label.sv, field.key, page.title.sv),
                format!("The question “{}” ({}) is new on the page “{}”.", field.label.sv, field.key, page.title.sv),
            )),
            Some((old_page, old_field)) => {
                if old_page.key != page.key {
                    out.push(change(
                        &field.key,
                        format!(
                            "Frågan ”{}” har flyttats från sidan ”{}” till ”{}”.",
                            field.label.sv, old_page.title.sv, page.title.sv
                        ),
                        format!(
                            "The question “{}” moved from the page “{}” to “{}”.",
                            field.label.sv, old_page.title.sv, page.title.sv
                        ),
                    ));
                }
                field_changes(old, new, old_field, field, &mut out);
            }
        }
    }
    for (page, field) in &old_fields {
        if !new_fields.iter().any(|(_, f)| f.key == field.key) {
            out.push(change(
                &field.key,
                format!("Frågan ”{}” ({}) på sidan ”{}” är borttagen.", field.label.sv, field.key, page.title.sv),
                format!(
                    "The question “{}” ({}) on the page “{}” is removed.",
                    field.label.sv, field.key, page.title.sv
                ),
            ));
        }
    }
    rules(old, new, &all_rules(old), &all_rules(new), &mut out);
    out
}

/// Every question with its page, a group's row questions after the group.
fn all_fields(def: &FormDefinition) -> Vec<(&Page, &Field)> {
    let mut out = Vec::new();
    for page in &def.pages {
        for field in &page.fields {
            out.push((page, field));
            out.extend(field.fields.iter().map(|row| (page, row)));
        }
    }
    out
}

/// Every rule: the form's, each page's and each group's row rules.
fn all_rules(def: &FormDefinition) -> Vec<&Rule> {
    let mut out: Vec<&Rule> = def.rules.iter().collect();
    for page in &def.pages {
        out.extend(page.rules.iter());
        for field in &page.fields {
            out.extend(field.rules.iter());
        }
    }
    out
}

fn pages(old: &FormDefinition, new: &FormDefinition, out: &mut Vec<Change>) {
    for page in &new.pages {
        let Some(before) = old.pages.iter().find(|p| p.key == page.key) else {
            out.push(change(
                &page.key,
                format!("Sidan ”{}” ({}) är ny.", page.title.sv, page.key),
                format!("The page “{}” ({}) is new.", page.title.sv, page.key),
            ));
            continue;
        };
        let name = &page.title.sv;
        text_change(
            &page.key,
            ("Sidans rubrik", "The page's heading"),
            name,
            Some(&before.title),
            Some(&page.title),
            out,
        );
        text_change(
            &page.key,
            ("Sidans text", "The page's text"),
            name,
            before.description.as_ref(),
            page.description.as_ref(),
            out,
        );
        if before.condition != page.condition {
            out.push(condition_change(
                &page.key,
                ("Sidan", "The page"),
                name,
                old,
                new,
                &before.condition,
                &page.condition,
            ));
        }
        let order = |p: &Page, other: &Page| -> Vec<String> {
            p.fields.iter().filter(|f| other.fields.iter().any(|o| o.key == f.key)).map(|f| f.key.clone()).collect()
        };
        if order(before, page) != order(page, before) {
            out.push(change(
                &page.key,
                format!("Frågornas ordning på sidan ”{name}” är ändrad."),
                format!("The order of the questions on the page “{name}” changed."),
            ));
        }
    }
    for page in &old.pages {
        if !new.pages.iter().any(|p| p.key == page.key) {
            out.push(change(
                &page.key,
                format!("Sidan ”{}” ({}) är borttagen.", page.title.sv, page.key),
                format!("The page “{}” ({}) is removed.", page.title.sv, page.key),
            ));
        }
    }
    let common = |a: &FormDefinition, b: &FormDefinition| -> Vec<String> {
        a.pages.iter().filter(|p| b.pages.iter().any(|o| o.key == p.key)).map(|p| p.key.clone()).collect()
    };
    if common(old, new) != common(new, old) {
        out.push(change("", "Sidornas ordning är ändrad.".into(), "The order of the pages changed.".into()));
    }
}

fn field_changes(old: &FormDefinition, new: &FormDefinition, before: &Field, after: &Field, out: &mut Vec<Change>) {
    let key = &after.key;
    let name = &after.label.sv;
    text_change(key, ("Frågan", "The question"), &before.label.sv, Some(&before.label), Some(&after.label), out);
    text_change(key, ("Hjälptexten till", "The help text of"), name, before.help.as_ref(), after.help.as_ref(), out);
    if before.required != after.required {
        out.push(if after.required {
            change(
                key,
                format!("Frågan ”{name}” måste nu besvaras."),
                format!("The question “{name}” must now be answered."),
            )
        } else {
            change(
                key,
                format!("Frågan ”{name}” behöver inte längre besvaras."),
                format!("The question “{name}” no longer needs an answer."),
            )
        });
    }
    if before.condition != after.condition {
        out.push(condition_change(
            key,
            ("Frågan", "The question"),
            name,
            old,
            new,
            &before.condition,
            &after.condition,
        ));
    }
    kind_changes(key, name, &before.kind, &after.kind, out);
    if before.prefill != after.prefill {
        out.push(change(
            key,
            format!("Förifyllningen av ”{name}” är ändrad."),
            format!("How “{name}” is filled in beforehand changed."),
        ));
    }
    if before.autocomplete != after.autocomplete {
        out.push(change(
            key,
            format!("Syftet (autocomplete) för ”{name}” är ändrat."),
            format!("The purpose (autocomplete) of “{name}” changed."),
        ));
    }
}

fn kind_changes(key: &str, name: &str, before: &FieldKind, after: &FieldKind, out: &mut Vec<Change>) {
    if before == after {
        return;
    }
    let options = |k: &FieldKind| match k {
        FieldKind::SingleChoice { options, .. } | FieldKind::MultipleChoice { options, .. } => Some(options.clone()),
        _ => None,
    };
    if std::mem::discriminant(before) != std::mem::discriminant(after) {
        out.push(change(
            key,
            format!("Frågan ”{name}” har bytt sort av svar."),
            format!("The question “{name}” takes another kind of answer."),
        ));
        return;
    }
    match (options(before), options(after)) {
        (Some(old), Some(new)) => {
            for o in &new {
                match old.iter().find(|x| x.value == o.value) {
                    None => out.push(change(
                        key,
                        format!("Frågan ”{name}” har ett nytt alternativ: ”{}”.", o.label.sv),
                        format!("The question “{name}” has a new option: “{}”.", o.label.sv),
                    )),
                    Some(x) if x.label != o.label => out.push(change(
                        key,
                        format!("Alternativet ”{}” i ”{name}” heter nu ”{}”.", x.label.sv, o.label.sv),
                        format!("The option “{}” of “{name}” now reads “{}”.", x.label.sv, o.label.sv),
                    )),
                    Some(_) => {}
                }
            }
            for x in old.iter().filter(|x| !new.iter().any(|o| o.value == x.value)) {
                out.push(change(
                    key,
                    format!("Alternativet ”{}” i ”{name}” är borttaget.", x.label.sv),
                    format!("The option “{}” of “{name}” is removed.", x.label.sv),
                ));
            }
            // Whatever else of the kind changed (radio or list, how many may be chosen).
            let mut rest = before.clone();
            if let (
                FieldKind::SingleChoice { options, .. } | FieldKind::MultipleChoice { options, .. },
                Some(new_opts),
            ) = (&mut rest, options(after))
            {
                *options = new_opts;
            }
            if rest != *after {
                out.push(limits_changed(key, name));
            }
        }
        _ => out.push(limits_changed(key, name)),
    }
}

fn limits_changed(key: &str, name: &str) -> Change {
    change(
        key,
        format!("Vad ”{name}” tar emot som svar är ändrat."),
        format!("What “{name}” accepts as an answer changed."),
    )
}

fn rules(old: &FormDefinition, new: &FormDefinition, before: &[&Rule], after: &[&Rule], out: &mut Vec<Change>) {
    for rule in after {
        match before.iter().find(|r| r.key == rule.key) {
            None => out.push(change(
                &rule.key,
                format!("Regeln ”{}” är ny: ”{}”.", rule.key, rule.message.sv),
                format!("The rule “{}” is new: “{}”.", rule.key, rule.message.sv),
            )),
            Some(r) if **r != **rule => {
                text_change(
                    &rule.key,
                    ("Meddelandet i regeln", "The message of the rule"),
                    &rule.key,
                    Some(&r.message),
                    Some(&rule.message),
                    out,
                );
                if r.check != rule.check || r.field != rule.field {
                    out.push(change(
                        &rule.key,
                        format!("Vad regeln ”{}” kräver är ändrat.", rule.key),
                        format!("What the rule “{}” requires changed.", rule.key),
                    ));
                }
                if r.condition != rule.condition {
                    out.push(condition_change(
                        &rule.key,
                        ("Regeln", "The rule"),
                        &rule.key,
                        old,
                        new,
                        &r.condition,
                        &rule.condition,
                    ));
                }
            }
            Some(_) => {}
        }
    }
    for r in before.iter().filter(|r| !after.iter().any(|a| a.key == r.key)) {
        out.push(change(
            &r.key,
            format!("Regeln ”{}” är borttagen.", r.key),
            format!("The rule “{}” is removed.", r.key),
        ));
    }
}

/// A text that changed: in Swedish (with before and after), or only its English.
fn text_change(
    target: &str,
    (what_sv, what_en): (&str, &str),
    name: &str,
    before: Option<&Text>,
    after: Option<&Text>,
    out: &mut Vec<Change>,
) {
    let sv = |t: Option<&Text>| t.map(|t| t.sv.clone()).unwrap_or_default();
    let en = |t: Option<&Text>| t.and_then(|t| t.en.clone());
    if sv(before) != sv(after) {
        out.push(match (sv(before).is_empty(), sv(after).is_empty()) {
            (true, _) => change(
                target,
                format!("{what_sv} ”{name}” har fått texten ”{}”.", sv(after)),
                format!("{what_en} “{name}” now has the text “{}”.", sv(after)),
            ),
            (_, true) => change(
                target,
                format!("{what_sv} ”{name}” har inte längre någon text (var ”{}”).", sv(before)),
                format!("{what_en} “{name}” no longer has a text (was “{}”).", sv(before)),
            ),
            _ => change(
                target,
                format!("{what_sv} ”{name}” lyder nu ”{}” (var ”{}”).", sv(after), sv(before)),
                format!("{what_en} “{name}” now reads “{}” (was “{}”).", sv(after), sv(before)),
            ),
        });
    }
    if en(before) != en(after) {
        out.push(match en(after) {
            Some(text) => change(
                target,
                format!("{what_sv} ”{name}” har ny engelska: ”{text}”."),
                format!("{what_en} “{name}” has new English: “{text}”."),
            ),
            None => change(
                target,
                format!("{what_sv} ”{name}” saknar nu engelska."),
                format!("{what_en} “{name}” no longer has English."),
            ),
        });
    }
}

fn condition_change(
    target: &str,
    (what_sv, what_en): (&str, &str),
    name: &str,
    old: &FormDefinition,
    new: &FormDefinition,
    before: &Option<crate::condition::Condition>,
    after: &Option<crate::condition::Condition>,
) -> Change {
    let words = |c: &Option<crate::condition::Condition>, d: &FormDefinition| {
        c.as_ref().map_or_else(|| "alltid".to_owned(), |c| crate::analysis::describe(c, d))
    };
    let (was, now) = (words(before, old), words(after, new));
    change(
        target,
        format!("{what_sv} ”{name}” visas nu när {now} (förut: {was})."),
        format!("{what_en} “{name}” is now shown when {now} (before: {was})."),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::diff;
    use crate::form::FormDefinition;

    fn form(v: serde_json::Value) -> FormDefinition {
        serde_json::from_value(v).expect("a form")
    }

    fn base() -> serde_json::Value {
        json!({"pages": [
            {"key": "om", "title": "Om föreningen", "fields": [
                {"key": "namn", "label": "Föreningens namn", "required": true, "kind": {"type": "short_text"}},
                {"key": "bidrag", "label": "Vilket bidrag?", "required": true, "kind": {"type": "single_choice", "options": [
                    {"value": "projekt", "label": "Projektbidrag"}, {"value": "drift", "label": "Driftbidrag"}]}}
            ]},
            {"key": "projekt", "title": "Projektet", "condition": {"op": "equals", "field": "bidrag", "value": "projekt"}, "fields": [
                {"key": "beskrivning", "label": "Beskriv projektet", "kind": {"type": "long_text"}}
            ]}
        ]})
    }

    fn sv(changes: &[super::Change]) -> Vec<String> {
        changes.iter().map(|c| c.words.sv.clone()).collect()
    }

    #[test]
    fn the_same_form_has_no_changes() {
        assert_eq!(diff(&form(base()), &form(base())), []);
    }

    #[test]
    fn a_changed_label_names_the_question_with_before_and_after() {
        let mut new = base();
        new["pages"][0]["fields"][0]["label"] = json!("Namn på föreningen");
        let changes = diff(&form(base()), &form(new));
        assert_eq!(sv(&changes), ["Frågan ”Föreningens namn” lyder nu ”Namn på föreningen” (var ”Föreningens namn”)."]);
        assert_eq!(changes[0].target, "namn");
        assert!(changes[0].words.en.contains("now reads “Namn på föreningen”"));
    }

    #[test]
    fn added_removed_and_moved_questions_pages_and_options_are_named() {
        let mut new = base();
        new["pages"][0]["fields"][1]["kind"]["options"][1]["label"] = json!("Verksamhetsbidrag");
        new["pages"][0]["fields"][1]["kind"]["options"]
            .as_array_mut()
            .unwrap()
            .push(json!({"value": "lokal", "label": "Lokalbidrag"}));
        new["pages"][1]["fields"]
            .as_array_mut()
            .unwrap()
            .push(json!({"key": "budget", "label": "Budget", "kind": {"type": "number"}}));
        let moved = new["pages"][0]["fields"].as_array_mut().unwrap().remove(0);
        new["pages"][1]["fields"].as_array_mut().unwrap().push(moved);
        new["pages"].as_array_mut().unwrap().push(json!({"key": "kontakt", "title": "Kontakt", "fields": [
            {"key": "epost", "label": "E-post", "kind": {"type": "email"}}]}));
        let changes = sv(&diff(&form(base()), &form(new)));
        assert_eq!(
            changes,
            [
                "Sidan ”Kontakt” (kontakt) är ny.",
                "Alternativet ”Driftbidrag” i ”Vilket bidrag?” heter nu ”Verksamhetsbidrag”.",
                "Frågan ”Vilket bidrag?” har ett nytt alternativ: ”Lokalbidrag”.",
                "Frågan ”Budget” (budget) är ny på sidan ”Projektet”.",
                "Frågan ”Föreningens namn” har flyttats från sidan ”Om föreningen” till ”Projektet”.",
                "Frågan ”E-post” (epost) är ny på sidan ”Kontakt”.",
            ],
            "{changes:#?}"
        );
        let mut display = base();
        display["pages"][0]["fields"][1]["kind"]["display"] = json!("select");
        assert_eq!(sv(&diff(&form(base()), &form(display))), ["Vad ”Vilket bidrag?” tar emot som svar är ändrat."]);
    }

    #[test]
    fn a_changed_condition_and_required_are_said_in_words() {
        let mut new = base();
        new["pages"][1]["condition"]["value"] = json!("drift");
        new["pages"][1]["fields"][0]["required"] = json!(true);
        new["pages"][1]["fields"][0]["label"] = json!({"sv": "Beskriv projektet", "en": "Describe the project"});
        let changes = sv(&diff(&form(base()), &form(new)));
        assert_eq!(changes.len(), 3, "{changes:#?}");
        assert!(
            changes[0].starts_with("Sidan ”Projektet” visas nu när")
                && changes[0].contains("Driftbidrag")
                && changes[0].contains("Projektbidrag"),
            "{}",
            changes[0]
        );
        assert_eq!(changes[1], "Frågan ”Beskriv projektet” har ny engelska: ”Describe the project”.");
        assert_eq!(changes[2], "Frågan ”Beskriv projektet” måste nu besvaras.");
    }

    #[test]
    fn a_removed_page_and_question_are_named_and_a_new_order_noticed() {
        let mut new = base();
        new["pages"].as_array_mut().unwrap().remove(1);
        new["pages"][0]["fields"].as_array_mut().unwrap().reverse();
        let changes = sv(&diff(&form(base()), &form(new)));
        assert_eq!(
            changes,
            [
                "Frågornas ordning på sidan ”Om föreningen” är ändrad.",
                "Sidan ”Projektet” (projekt) är borttagen.",
                "Frågan ”Beskriv projektet” (beskrivning) på sidan ”Projektet” är borttagen.",
            ]
        );
    }
}

/// Whether `new` differs from `old` in its texts only (headings, page texts, questions, help
/// texts, options' labels, pattern descriptions, info texts, row labels and rules' messages, in
/// either language): what a service owner may change. Keys, kinds, options' values, conditions,
/// rules, prefills and the order of anything are structure.
pub fn only_texts_differ(old: &FormDefinition, new: &FormDefinition) -> bool {
    match (structure(old), structure(new)) {
        (Some(a), Some(b)) => a == b,
        // Not comparable: not a change of texts only.
        _ => false,
    }
}

/// The names under which a definition's texts stand in its JSON (every text
/// [`FormDefinition::texts`] lists; a test checks the two agree).
const TEXT_NAMES: [&str; 8] =
    ["title", "description", "label", "help", "pattern_description", "text", "row_label", "message"];

/// The definition as JSON without its texts (an optional text written or cleared is a change of
/// texts too).
fn structure(def: &FormDefinition) -> Option<serde_json::Value> {
    let mut v = serde_json::to_value(def).ok()?;
    let mut stack = vec![&mut v];
    while let Some(node) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                // A text is a string or `{sv, en}`.
                map.retain(|k, child| {
                    !(TEXT_NAMES.contains(&k.as_str()) && (child.is_string() || child.get("sv").is_some()))
                });
                stack.extend(map.values_mut());
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    Some(v)
}

#[cfg(test)]
mod structure_tests {
    use serde_json::json;

    use super::{only_texts_differ, structure};
    use crate::form::FormDefinition;

    fn every_text() -> serde_json::Value {
        json!({"pages": [
            {"key": "p", "title": "Rubrik", "description": {"sv": "Text", "en": "Text"}, "fields": [
                {"key": "a", "label": "A", "help": "Hjälp", "kind": {"type": "short_text", "pattern": "[0-9]+", "pattern_description": "siffror"}},
                {"key": "b", "label": "B", "kind": {"type": "single_choice", "options": [{"value": "x", "label": "X"}]}},
                {"key": "i", "label": "Info", "kind": {"type": "info", "text": "Läs detta"}},
                {"key": "g", "label": "Grupp", "kind": {"type": "group", "row_label": "Rad"}, "fields": [
                    {"key": "g_namn", "label": "Namn", "kind": {"type": "short_text"}}],
                 "rules": [{"key": "r1", "field": "g_namn", "check": {"type": "at_least_one", "fields": ["g_namn"]}, "message": "Fyll i"}]}
            ], "rules": [{"key": "r2", "field": "a", "check": {"type": "at_least_one", "fields": ["a", "b"]}, "message": "Svara"}]}
        ], "rules": [{"key": "r3", "field": "a", "check": {"type": "at_least_one", "fields": ["a"]}, "message": "Minst en"}]})
    }

    #[test]
    fn every_text_the_definition_lists_is_blanked_and_nothing_else() {
        let def: FormDefinition = serde_json::from_value(every_text()).expect("a form");
        let blanked = structure(&def).expect("serialises").to_string();
        for t in def.texts() {
            assert!(
                !blanked.contains(&format!("\"{}\"", t.text.sv)),
                "{} of {} is still there: {blanked}",
                t.what,
                t.at
            );
        }
        for kept in ["\"x\"", "\"g_namn\"", "\"[0-9]+\"", "\"r1\"", "\"at_least_one\""] {
            assert!(blanked.contains(kept), "{kept} is structure: {blanked}");
        }
    }

    #[test]
    fn texts_may_change_and_structure_may_not() {
        let old: FormDefinition = serde_json::from_value(every_text()).expect("a form");
        let mut texts = every_text();
        texts["pages"][0]["fields"][1]["kind"]["options"][0]["label"] = json!({"sv": "Ex", "en": "Ex"});
        texts["pages"][0]["fields"][0]["label"] = json!("Nytt A");
        texts["rules"][0]["message"] = json!("Svara på minst en");
        // An optional text written where there was none, and one cleared.
        texts["pages"][0]["fields"][1]["help"] = json!("Välj ett");
        texts["pages"][0]["fields"][0].as_object_mut().unwrap().remove("help");
        assert!(only_texts_differ(&old, &serde_json::from_value(texts).expect("a form")));
        for change in [
            json!({"pointer": "/pages/0/fields/1/kind/options/0/value", "to": "y"}),
            json!({"pointer": "/pages/0/fields/0/key", "to": "aa"}),
            json!({"pointer": "/pages/0/fields/0/required", "to": true}),
            json!({"pointer": "/pages/0/fields/0/kind/pattern", "to": "[a-z]+"}),
        ] {
            let mut v = every_text();
            let pointer = change["pointer"].as_str().unwrap();
            match v.pointer_mut(pointer) {
                Some(slot) => *slot = change["to"].clone(),
                None => {
                    let (parent, name) = pointer.rsplit_once('/').unwrap();
                    v.pointer_mut(parent).unwrap()[name] = change["to"].clone();
                }
            }
            let new: FormDefinition = serde_json::from_value(v).expect("a form");
            assert!(!only_texts_differ(&old, &new), "{pointer} is structure");
        }
    }
}
