//! The text a signer sees in the BankID app (`userVisibleData`): the service,
//! the applicant, each shown answer in form order, who else will be asked to
//! sign, and the digest of the exact answers. Plain text made safe for
//! BankID's `simpleMarkdownV1` (every formatting character in the form's texts
//! and the answers is escaped, answers are kept on one line), and bounded so
//! that its base64 stays well under BankID's 40,000 characters: answers that
//! do not fit are left out with a note — the digest still covers all of them.

use std::collections::BTreeMap;

use serde_json::Value;
use shared::formats::{show_answer, show_personnummer};
use shared::validate::FileRef;
use shared::{Answers, Field, FieldKind, FormDefinition};

/// The most bytes of text sent (base64 of it: at most 38,668 characters).
pub const MAX_SUMMARY_BYTES: usize = 29_000;
/// The most characters of one answer shown.
const MAX_ANSWER_CHARS: usize = 1_000;

/// The words before the other signers' names.
const ALSO_SIGNING: &str = "Ska också skriva under: ";

/// A field's label and its answer's separator: `Label: answer`, but a label that ends in a
/// question mark or colon already separates (`Behövs skolskjuts? Ja`, never `?:`).
fn labelled(label: &str, answer: &str) -> String {
    let label = plain(label);
    format!("{label}{}{answer}\n", shared::text::after_label(&label))
}

/// The summary as co-signer number `me` (of `co_signers`, as shown) reads and signs it: the
/// same text, but the line of who else signs names the others only, never the reader.
pub fn for_co_signer(summary: &str, co_signers: &[String], me: usize) -> String {
    let names = |keep: &dyn Fn(usize) -> bool| {
        co_signers.iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, n)| plain(n)).collect::<Vec<_>>()
    };
    let all = format!("{ALSO_SIGNING}{}\n\n", names(&|_| true).join(", "));
    let others = names(&|i| i != me);
    let replacement =
        if others.is_empty() { String::new() } else { format!("{ALSO_SIGNING}{}\n\n", others.join(", ")) };
    summary.replacen(&all, &replacement, 1)
}

/// The note that ends a shortened summary.
pub const SHORTENED_NOTE: &str =
    "Sammanfattningen är förkortad. Alla svar finns i ansökan och omfattas av kontrollsumman nedan.";

/// What the summary shows.
#[derive(Clone, Copy)]
pub struct SummaryInput<'a> {
    /// The service's name.
    pub service_name: &'a str,
    /// The applicant's name, when known.
    pub applicant_name: Option<&'a str>,
    /// The form version answered.
    pub definition: &'a FormDefinition,
    /// The validated answers.
    pub answers: &'a Answers,
    /// Names of the children the answers choose, by personnummer (12 digits).
    pub child_names: &'a BTreeMap<String, String>,
    /// Who will be asked to sign after the applicant (as shown).
    pub co_signers: &'a [String],
    /// SHA-256 (hex) of the answers.
    pub digest: &'a str,
}

/// Makes text plain for `simpleMarkdownV1`: one line (line breaks and tabs become
/// spaces), every formatting character escaped with a backslash.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = c == ' ';
        if matches!(c, '\\' | '*' | '+' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out.trim().to_string()
}

fn shorten(text: String) -> String {
    if text.chars().count() <= MAX_ANSWER_CHARS {
        return text;
    }
    let mut s: String = text.chars().take(MAX_ANSWER_CHARS).collect();
    // Never end on a lone escaping backslash.
    if s.ends_with('\\') && !s.ends_with("\\\\") {
        s.pop();
    }
    s.push('…');
    s
}

fn option_label(options: &[shared::ChoiceOption], value: &str) -> String {
    options.iter().find(|o| o.value == value).map(|o| o.label.sv.clone()).unwrap_or_else(|| value.to_string())
}

/// One answer as text (before escaping); `None` for a field that takes no answer.
fn answer_text(field: &Field, value: &Value, child_names: &BTreeMap<String, String>) -> Option<String> {
    let text = match (&field.kind, value) {
        (FieldKind::Info { .. }, _) => return None,
        // A group's rows on one line, one after the other.
        (FieldKind::Group { .. }, v) => {
            let show = |f: &Field, v: &Value| answer_text(f, v, child_names).unwrap_or_default();
            shared::parts::show_rows(field, v, false, show).join("; ")
        }
        (FieldKind::YesNo, Value::Bool(b)) => if *b { "Ja" } else { "Nej" }.to_string(),
        (FieldKind::SingleChoice { options, .. }, Value::String(v)) => option_label(options, v),
        (FieldKind::MultipleChoice { options, .. }, Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(|v| option_label(options, v)).unwrap_or_else(|| i.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        (FieldKind::File { .. }, v) => {
            let files: Vec<FileRef> = match v {
                Value::Array(_) => serde_json::from_value(v.clone()).unwrap_or_default(),
                Value::Object(_) => serde_json::from_value(v.clone()).map(|f| vec![f]).unwrap_or_default(),
                _ => Vec::new(),
            };
            if files.is_empty() {
                "(inga filer)".to_string()
            } else {
                files.into_iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
            }
        }
        (FieldKind::Child, Value::String(v)) => match child_names.get(v) {
            Some(name) => format!("{name} ({})", show_personnummer(v)),
            None => show_personnummer(v),
        },
        (kind, v) => match (show_answer(kind, v), v) {
            (Some(shown), _) => shown,
            (None, Value::String(s)) => s.clone(),
            (None, Value::Number(n)) => n.to_string(),
            (None, Value::Bool(b)) => if *b { "Ja" } else { "Nej" }.to_string(),
            (None, Value::Null) => return None,
            (None, other) => other.to_string(),
        },
    };
    Some(text)
}

/// The summary text.
pub fn summary(input: SummaryInput<'_>) -> String {
    let mut head = format!("# {}\n", plain(input.service_name));
    if let Some(name) = input.applicant_name.filter(|n| !n.trim().is_empty()) {
        head.push_str(&format!("Sökande: {}\n", plain(name)));
    }
    head.push('\n');
    let mut tail = String::from("\n");
    if !input.co_signers.is_empty() {
        let names: Vec<String> = input.co_signers.iter().map(|n| plain(n)).collect();
        tail.push_str(&format!("{ALSO_SIGNING}{}\n\n", names.join(", ")));
    }
    tail.push_str(&format!("Kontrollsumma (SHA-256): {}", plain(input.digest)));
    let note = format!("\n{SHORTENED_NOTE}\n");
    let mut body = String::new();
    let mut shortened = false;
    for (_, field) in input.definition.fields() {
        let Some(value) = input.answers.get(&field.key) else { continue };
        let Some(text) = answer_text(field, value, input.child_names) else { continue };
        let line = labelled(&field.label.sv, &shorten(plain(&text)));
        if head.len() + body.len() + line.len() + note.len() + tail.len() > MAX_SUMMARY_BYTES {
            shortened = true;
            break;
        }
        body.push_str(&line);
    }
    let mut out = head;
    out.push_str(&body);
    if shortened {
        out.push_str(&note);
    }
    out.push_str(&tail);
    out
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::*;

    fn form() -> FormDefinition {
        serde_json::from_value(serde_json::json!({"pages": [{"key": "p", "title": "Sida", "fields": [
            {"key": "info", "label": "Läs detta", "kind": {"type": "info", "text": "Hej"}},
            {"key": "barn", "label": "Barn", "kind": {"type": "child"}},
            {"key": "skola", "label": "Skola", "kind": {"type": "single_choice", "options": [
                {"value": "a", "label": "Östra skolan"}, {"value": "b", "label": "Västra skolan"}]}},
            {"key": "val", "label": "Önskemål", "kind": {"type": "multiple_choice", "options": [
                {"value": "x", "label": "Fritids"}, {"value": "y", "label": "Skolskjuts"}]}},
            {"key": "allergi", "label": "Allergi?", "kind": {"type": "yes_no"}},
            {"key": "text", "label": "Övrigt *viktigt*", "kind": {"type": "long_text"}},
            {"key": "filer", "label": "Intyg", "kind": {"type": "file", "max_files": 2, "max_size_bytes": 1000}},
            {"key": "antal", "label": "Antal", "kind": {"type": "number"}}
        ]}]}))
        .expect("form")
    }

    #[test]
    fn the_summary_lists_the_shown_answers_in_form_order_with_labels_names_and_the_digest() {
        let answers: Answers = serde_json::from_value(serde_json::json!({
            "antal": 2, "allergi": false, "skola": "b", "val": ["y", "x"], "barn": "201505012391",
            "text": "Rad ett\nrad två # inte rubrik",
            "filer": [{"id": "00000000-0000-0000-0000-000000000001", "name": "intyg.pdf", "size": 10, "content_type": "application/pdf"}]
        }))
        .expect("answers");
        let children = BTreeMap::from([("201505012391".to_string(), "Lill-Test Familjesson".to_string())]);
        let digest = "ab".repeat(32);
        let text = summary(SummaryInput {
            service_name: "Skolval",
            applicant_name: Some("Prova Familjesson"),
            definition: &form(),
            answers: &answers,
            child_names: &children,
            co_signers: &["Karl Familjesson".to_string()],
            digest: &digest,
        });
        let expected = format!(
            "# Skolval\nSökande: Prova Familjesson\n\nBarn: Lill-Test Familjesson (20150501-2391)\nSkola: Västra skolan\n\
             Önskemål: Skolskjuts, Fritids\nAllergi? Nej\nÖvrigt \\*viktigt\\*: Rad ett rad två \\# inte rubrik\n\
             Intyg: intyg.pdf\nAntal: 2\n\nSka också skriva under: Karl Familjesson\n\nKontrollsumma (SHA-256): {digest}"
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn an_address_reads_on_one_line_and_a_groups_rows_one_after_the_other() {
        let definition: FormDefinition =
            serde_json::from_value(serde_json::json!({"pages": [{"key": "p", "title": "P", "fields": [
                {"key": "adress", "label": "Adress", "kind": {"type": "address"}},
                {"key": "styrelse", "label": "Styrelsen", "kind": {"type": "group", "row_label": "Ledamot"}, "fields": [
                    {"key": "namn", "label": "Namn", "kind": {"type": "short_text"}},
                    {"key": "ordforande", "label": "Ordförande?", "kind": {"type": "yes_no"}}]}
            ]}]}))
            .expect("form");
        let answers: Answers = serde_json::from_value(serde_json::json!({
            "adress": {"street": "Drottninggatan 1", "postnummer": "25221", "ort": "Helsingborg"},
            "styrelse": [{"namn": "Anna", "ordforande": true}, {"namn": "Bo *B*", "ordforande": false}]
        }))
        .expect("answers");
        let text = summary(SummaryInput {
            service_name: "Bidrag",
            applicant_name: None,
            definition: &definition,
            answers: &answers,
            child_names: &BTreeMap::new(),
            co_signers: &[],
            digest: "ab",
        });
        assert!(text.contains("Adress: Drottninggatan 1, 252 21 Helsingborg\n"), "{text}");
        assert!(
            text.contains(
                "Styrelsen: Ledamot 1: Namn: Anna, Ordförande? Ja; Ledamot 2: Namn: Bo \\*B\\*, Ordförande? Nej\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_co_signer_reads_the_others_names_and_never_their_own() {
        let text = "# Byte av skola\nSökande: Anna\n\nSkola: Norr\n\nSka också skriva under: Karl, Lisa\n\nKontrollsumma (SHA-256): ab";
        let names = ["Karl".to_string(), "Lisa".to_string()];
        assert_eq!(
            for_co_signer(text, &names, 0),
            "# Byte av skola\nSökande: Anna\n\nSkola: Norr\n\nSka också skriva under: Lisa\n\nKontrollsumma (SHA-256): ab"
        );
        let one = text.replace("Karl, Lisa", "Karl");
        assert_eq!(
            for_co_signer(&one, &names[..1], 0),
            "# Byte av skola\nSökande: Anna\n\nSkola: Norr\n\nKontrollsumma (SHA-256): ab"
        );
    }

    #[test]
    fn a_long_summary_is_shortened_with_a_note_and_keeps_the_digest_under_the_bankid_limit() {
        let fields: Vec<Value> = (0..100)
            .map(|i| serde_json::json!({"key": format!("f{i}"), "label": format!("Fråga {i}"), "kind": {"type": "long_text"}}))
            .collect();
        let def: FormDefinition =
            serde_json::from_value(serde_json::json!({"pages": [{"key": "p", "title": "S", "fields": fields}]}))
                .expect("form");
        let answers: Answers = (0..100).map(|i| (format!("f{i}"), Value::String("å*".repeat(5_000)))).collect();
        let digest = "cd".repeat(32);
        let text = summary(SummaryInput {
            service_name: "Tjänst",
            applicant_name: None,
            definition: &def,
            answers: &answers,
            child_names: &BTreeMap::new(),
            co_signers: &[],
            digest: &digest,
        });
        assert!(text.len() <= MAX_SUMMARY_BYTES, "{}", text.len());
        assert!(base64::engine::general_purpose::STANDARD.encode(&text).len() < 40_000);
        assert!(text.contains(SHORTENED_NOTE));
        assert!(text.ends_with(&format!("Kontrollsumma (SHA-256): {digest}")));
        assert!(text.contains("Fråga 0: ") && !text.contains("Fråga 99: "));
        assert!(!text.contains("Sökande"));
    }

    #[test]
    fn plain_text_escapes_formatting_and_stays_on_one_line() {
        assert_eq!(plain("  a\r\n\tb|c+d_e\\f  "), "a b\\|c\\+d_e\\\\f");
        assert_eq!(plain("Karl-Prov"), "Karl-Prov");
    }
}
