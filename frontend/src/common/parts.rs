//! The inputs of answers with parts ([`shared::parts`]): an address's three inputs, and a
//! repeating group's rows with a button to add a row and one to remove each. Every part is the
//! one field input ([`FieldInput`]) addressed by its path (`adress.ort`, `styrelse.1.namn`), so
//! it reads, writes and shows its error through the form's [`FieldHost`] like any field.

use leptos::prelude::*;
use serde_json::{Map, Value};
use shared::parts::{ADDRESS_PARTS, row_title};
use shared::text::Text;
use shared::{Field, FieldKind};

use crate::common::components::focus_later;
use crate::common::field::{FieldHost, FieldInput};
use crate::common::i18n::{Own, tx};

/// The inputs of an address's or a group's parts (nothing for other kinds). An address about
/// the applicant (the field has an `autocomplete` purpose) lets the browser fill in its parts;
/// the field's prefill locks the parts with it.
pub fn parts_input<H: FieldHost>(host: H, field: &Field, id: &str) -> Option<AnyView> {
    let (key, own, prefill) = (&field.key, field.autocomplete.is_some(), field.prefill);
    match &field.kind {
        FieldKind::Address => Some(
            ADDRESS_PARTS
                .iter()
                .map(|&(part, sv, en, max)| {
                    let (kind, purpose) = match part {
                        "postnummer" => (FieldKind::Postnummer, "postal-code"),
                        "street" => (short_text(max), "street-address"),
                        _ => (short_text(max), "address-level2"),
                    };
                    let field = Field {
                        key: format!("{key}.{part}"),
                        label: Text::both(sv, en),
                        help: None,
                        required: true,
                        condition: None,
                        kind,
                        autocomplete: own.then(|| purpose.to_owned()),
                        prefill,
                        fields: Vec::new(),
                        rules: Vec::new(),
                    };
                    view! { <FieldInput host=host field=field id=format!("{id}.{part}") /> }
                })
                .collect_view()
                .into_any(),
        ),
        FieldKind::Group { min_rows, max_rows, row_label } => Some(
            view! {
                <GroupRows
                    host=host
                    key=key.to_owned()
                    id=id.to_owned()
                    fields=field.fields.clone()
                    least=(*min_rows).max(u32::from(field.required)) as usize
                    max_rows=*max_rows as usize
                    row_label=row_label.clone()
                />
            }
            .into_any(),
        ),
        _ => None,
    }
}

fn short_text(max: usize) -> FieldKind {
    FieldKind::ShortText { min_length: None, max_length: Some(max as u32), pattern: None, pattern_description: None }
}

/// A group's rows: `least` rows shown from the start (the group's minimum, or one when it is
/// required), a row added below the last with focus on its first input, each row above the
/// minimum removable (focus then goes to the add button).
#[component]
fn GroupRows<H: FieldHost>(
    host: H,
    key: String,
    id: String,
    fields: Vec<Field>,
    least: usize,
    max_rows: usize,
    row_label: Option<Text>,
) -> impl IntoView {
    let answer_key = key.clone();
    let rows =
        Memo::new(move |_| host.answer(&answer_key).and_then(|v| v.as_array().map(Vec::len)).unwrap_or(0).max(least));
    let add_id = format!("{id}-ny-rad");
    // The rows as they are, with the empty ones shown but not yet written.
    let current = {
        let key = key.clone();
        move || {
            let mut list = match host.answer_untracked(&key) {
                Some(Value::Array(list)) => list,
                _ => Vec::new(),
            };
            list.resize_with(list.len().max(rows.get_untracked()), || Value::Object(Map::new()));
            list
        }
    };
    let first = fields.first().map(|f| f.key.clone()).unwrap_or_default();
    let add = {
        let (key, id, current) = (key.clone(), id.clone(), current.clone());
        move |_: leptos::ev::MouseEvent| {
            let mut list = current();
            if list.len() >= max_rows {
                return;
            }
            list.push(Value::Object(Map::new()));
            focus_later(&format!("{id}.{}.{first}", list.len() - 1));
            host.set_answer(&key, Some(Value::Array(list)));
        }
    };
    let remove = {
        let (key, add_id) = (key.clone(), add_id.clone());
        move |row: usize| {
            let mut list = current();
            if row < list.len() {
                list.remove(row);
            }
            host.set_answer(&key, (!list.is_empty()).then_some(Value::Array(list)));
            focus_later(&add_id);
        }
    };
    let add_label = match &row_label {
        Some(label) => Text {
            sv: format!("Lägg till {}", first_lower(&label.sv)),
            en: label.en.as_ref().map(|en| format!("Add {}", first_lower(en))),
        },
        None => Text::both("Lägg till rad", "Add row"),
    };
    let row_view = move |row: usize| {
        let title = row_title(row_label.as_ref(), row);
        let inputs = fields
            .iter()
            .map(|f| {
                let part = Field { key: format!("{key}.{row}.{}", f.key), ..f.clone() };
                view! { <FieldInput host=host field=part id=format!("{id}.{row}.{}", f.key) /> }
            })
            .collect_view();
        let remove = remove.clone();
        let removable = rows.get_untracked() > least;
        view! {
            <fieldset class="group-row">
                <legend>
                    <Own text=title.clone() />
                </legend>
                {inputs}
                {removable
                    .then(|| {
                        view! {
                            <button type="button" class="button-secondary" on:click=move |_| remove(row)>
                                {tx("Ta bort", "Remove")}
                                <span class="visually-hidden">
                                    " "
                                    <Own text=title />
                                </span>
                            </button>
                        }
                    })}
            </fieldset>
        }
    };
    view! {
        {move || (0..rows.get()).map(row_view.clone()).collect_view()}
        <p>
            <button
                type="button"
                id=add_id
                class="button-secondary"
                hidden=move || { rows.get() >= max_rows }
                on:click=add
            >
                <Own text=add_label />
            </button>
            <span class="hint" hidden=move || { rows.get() < max_rows }>
                {tx("Inga fler rader kan läggas till.", "No more rows can be added.")}
            </span>
        </p>
    }
}

/// `s` with its first letter in lower case ("Ledamot" in "Lägg till ledamot"): the Swedish
/// alphabet's letters (the full Unicode case tables would be a large part of the download).
fn first_lower(s: &str) -> String {
    let mut chars = s.chars();
    let first = match chars.next() {
        Some('Å') => 'å',
        Some('Ä') => 'ä',
        Some('Ö') => 'ö',
        Some(c) => c.to_ascii_lowercase(),
        None => return String::new(),
    };
    std::iter::once(first).chain(chars).collect()
}
