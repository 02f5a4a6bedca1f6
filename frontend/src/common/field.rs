//! One field of a service's form, rendered by its kind, for every form that asks a service's
//! questions: the application (the journey), a supplement on Mina sidor, and next the builder's
//! preview. A field has a label (a legend for a group of options), its help text and its error,
//! tied to the input with `aria-describedby`, and the input itself.
//!
//! Where the answers live, what is said about them and what a change sets off is the form's own,
//! its [`FieldHost`]: the journey validates live, saves a draft and uploads files; a supplement
//! keeps its answers until it is sent, and says that files cannot be changed there.

use leptos::prelude::*;
use serde_json::Value;
use shared::form::ChoiceDisplay;
use shared::prefill::PrefillSource;
use shared::text::Text;
use shared::validate::Localized;
use shared::{Field, FieldKind};
use wasm_bindgen::JsCast;

use crate::common::components::TextBlock;
use crate::common::i18n::{Own, loc, own_str, pick, swedish, tx};
use crate::common::parts::parts_input;
use shared::text::after_label;

/// The form a field is part of: its answers, its errors, and what only some forms have.
pub trait FieldHost: Copy + Send + Sync + 'static {
    /// The answer to a field (reactive).
    fn answer(&self, key: &str) -> Option<Value>;
    /// The answer to a field, without tracking.
    fn answer_untracked(&self, key: &str) -> Option<Value>;
    /// Sets (or, with `None`, clears) an answer.
    fn set_answer(&self, key: &str, value: Option<Value>);
    /// The error to show at a field now, if any (reactive).
    fn error(&self, key: &str) -> Option<Localized>;
    /// Whether leaving a field means something to the form ([`touch`](Self::touch)).
    const TOUCHES: bool = false;
    /// The person left the field: its error may show from now on.
    fn touch(&self, _key: &str) {}
    /// Whether the form asks the population register for the applicant's children (a "Välj
    /// barn" field is a choice of them, [`child_choices`](Self::child_choices)); else it is a
    /// text input.
    const CHILDREN: bool = false;
    /// The choices of a "Välj barn" field, where [`CHILDREN`](Self::CHILDREN).
    fn child_choices(&self, _key: String, _id: String) -> AnyView {
        ().into_any()
    }
    /// Whether the field's answer was filled in from the population register or the e-ID (reactive).
    fn prefilled(&self, _key: &str) -> bool {
        false
    }
    /// Whether files can be sent with the form ([`file_input`](Self::file_input)); else a file
    /// field says that files cannot be changed here.
    const FILES: bool = false;
    /// A file field's input, where [`FILES`](Self::FILES).
    fn file_input(&self, _file: FileField) -> AnyView {
        ().into_any()
    }
}

/// What a file field's input is given.
pub struct FileField {
    pub key: String,
    /// The input's `id`.
    pub id: String,
    pub max_files: u32,
    pub max_size: u64,
    pub accept: Vec<String>,
    /// A file that could not be taken (checked before upload, or refused by the server).
    pub local_error: RwSignal<Option<Localized>>,
    /// The field's `aria-describedby`.
    pub described: Signal<Option<String>>,
    /// The field's `aria-invalid`.
    pub invalid: Signal<Option<&'static str>>,
}

/// `id` of the input of the field `key` in a form whose fields are prefixed `prefix` (none in
/// the application, `k0` in a supplement's first form): error summaries link there.
pub fn field_id(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { format!("f-{key}") } else { format!("{prefix}-f-{key}") }
}

/// A field with its label, help, error and input; `id` is its input's (see [`field_id`]).
#[component]
pub fn FieldInput<H: FieldHost>(host: H, field: Field, id: String) -> impl IntoView {
    // An address or a group: its parts' inputs are made from the whole field.
    let whole = matches!(field.kind, FieldKind::Address | FieldKind::Group { .. }).then(|| field.clone());
    let Field { key, label, help, required, kind, autocomplete: purpose, prefill, .. } = field;
    if let FieldKind::Info { text } = kind {
        return view! {
            <div class="info-text">
                <h2>
                    <Own text=label />
                </h2>
                <TextBlock text=text rich=true />
            </div>
        }
        .into_any();
    }
    let hint_id = format!("{id}-hjalp");
    let error_id = format!("{id}-fel");
    // A file that could not be taken (checked before upload, or refused by the server).
    let local_error = RwSignal::new(None::<Localized>);
    let error_key = key.clone();
    let error = Memo::new(move |_| local_error.get().or_else(|| host.error(&error_key)));
    let has_help = help.is_some();
    let (hint, err) = (hint_id.clone(), error_id.clone());
    let described = move || {
        let with_error = error.with(Option::is_some);
        match (has_help, with_error) {
            (true, true) => Some(format!("{hint} {err}")),
            (true, false) => Some(hint.clone()),
            (false, true) => Some(err.clone()),
            (false, false) => None,
        }
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    let touch_key = key.clone();
    // Leaving the field shows its error, except when focus goes to a button: an error line
    // appearing then would move the button away from under the pointer before the click lands
    // ("Nästa" checks the whole page anyway).
    let touch = move |ev: leptos::ev::FocusEvent| {
        if !H::TOUCHES {
            return;
        }
        let to_button = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.tag_name() == "BUTTON");
        if !to_button {
            host.touch(&touch_key);
        }
    };
    let caption = view! {
        <Own text=label.clone() />
        {(!required).then(|| view! { <span class="optional">{tx(" (valfritt)", " (optional)")}</span> })}
        {
            let (key, e_id) = (key.clone(), prefill.is_some_and(|p| p.from == PrefillSource::Personnummer));
            // Said once, at an address's legend, not at each of its parts.
            let whole = !key.contains('.');
            move || {
                (whole && host.prefilled(&key))
                    .then(|| {
                        let (sv, en) = if e_id {
                            (" (från din e-legitimation)", " (from your e-ID)")
                        } else {
                            (" (från folkbokföringen)", " (from the population register)")
                        };
                        view! { <span class="optional">{tx(sv, en)}</span> }
                    })
            }
        }
    };
    let help = help.map(|h| {
        view! {
            <p id=hint_id class="hint">
                <Own text=h />
            </p>
        }
    });
    let error_view = view! {
        <p id=error_id class="field-error">
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <span class="visually-hidden">{tx("Fel: ", "Error: ")}</span>
                            {move || pick(&message).to_owned()}
                        }
                    })
            }}
        </p>
    };
    let choices = match &kind {
        FieldKind::SingleChoice { options, display: ChoiceDisplay::Radio }
        | FieldKind::MultipleChoice { options, .. } => {
            Some(options.iter().map(|o| (Value::String(o.value.clone()), o.label.localized())).collect::<Vec<_>>())
        }
        FieldKind::YesNo => Some(vec![(Value::Bool(true), loc("Ja", "Yes")), (Value::Bool(false), loc("Nej", "No"))]),
        _ => None,
    };
    // Options, and a child to choose, are a group with a legend.
    let group = match choices {
        Some(choices) => {
            let multiple = matches!(kind, FieldKind::MultipleChoice { .. });
            Some(
                view! { <Choices host=host key=key.clone() id=id.clone() choices=choices multiple=multiple /> }
                    .into_any(),
            )
        }
        None if H::CHILDREN && matches!(kind, FieldKind::Child) => Some(host.child_choices(key.clone(), id.clone())),
        None => whole.as_ref().and_then(|field| parts_input(host, field, &id)),
    };
    if let Some(group) = group {
        return view! {
            <fieldset
                class="field"
                class:field-invalid=move || error.with(Option::is_some)
                aria-describedby=described
                on:focusout=touch
            >
                <legend>{caption}</legend>
                {help}
                {error_view}
                {group}
            </fieldset>
        }
        .into_any();
    }
    let control = match kind {
        FieldKind::SingleChoice { options, .. } => {
            let key2 = key.clone();
            let current = move || as_text(host.answer(&key2).as_ref());
            let set_key = key.clone();
            view! {
                <select
                    id=id.clone()
                    aria-describedby=described.clone()
                    aria-invalid=invalid
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        host.set_answer(&set_key, (!v.is_empty()).then_some(Value::String(v)));
                    }
                >
                    <option value="">{tx("Välj", "Choose")}</option>
                    {options
                        .into_iter()
                        .map(|o| {
                            let value = o.value.clone();
                            let current = current.clone();
                            let label = o.label.clone();
                            let lang = move || swedish(&o.label);
                            view! {
                                <option value=value.clone() prop:selected=move || current() == value lang=lang>
                                    {move || own_str(&label).to_owned()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::File { max_files, max_size_bytes, accept } if H::FILES => {
            let file = FileField {
                key: key.clone(),
                id: id.clone(),
                max_files,
                max_size: max_size_bytes,
                accept,
                local_error,
                described: Signal::derive(described.clone()),
                invalid: Signal::derive(invalid),
            };
            host.file_input(file)
        }
        FieldKind::File { .. } => {
            return view! {
                <div class="field">
                    <p class="field-label">{caption}</p>
                    {help}
                    <p class="notice">
                        {tx(
                            "Filer kan inte bytas här. Skicka ett meddelande till handläggaren om du behöver lämna en ny fil.",
                            "Files cannot be replaced here. Send the case officer a message if you need to hand in a new file.",
                        )}
                    </p>
                </div>
            }
            .into_any();
        }
        kind => {
            let (input_type, inputmode) = match &kind {
                FieldKind::Email => ("email", None),
                FieldKind::Phone => ("tel", None),
                FieldKind::Date { .. } => ("date", None),
                FieldKind::Number { integer: true, .. }
                | FieldKind::Postnummer
                | FieldKind::Organisationsnummer
                | FieldKind::Bankgiro
                | FieldKind::Plusgiro
                | FieldKind::Amount { whole_kronor: true, .. } => ("text", Some("numeric")),
                FieldKind::Number { .. } | FieldKind::Amount { .. } => ("text", Some("decimal")),
                _ => ("text", None),
            };
            // The input purpose the service gave (WCAG 1.3.5); without one the browser suggests nothing.
            let autocomplete = purpose.unwrap_or_else(|| "off".into());
            let (min, max) = match &kind {
                FieldKind::Date { min, max } => (min.map(|d| d.to_string()), max.map(|d| d.to_string())),
                _ => (None, None),
            };
            // A locked prefilled answer is the register's: it can be read, not changed.
            let locked_key = key.clone();
            let locked = prefill.is_some_and(|p| p.locked);
            let readonly = move || locked && host.prefilled(&locked_key);
            let value_key = key.clone();
            // An amount is held in öre and typed in kronor.
            let amount = matches!(kind, FieldKind::Amount { .. });
            let value = move || match host.answer(&value_key) {
                Some(Value::Number(n)) if amount => n.as_u64().map(shared::formats::amount_input).unwrap_or_default(),
                v => as_text(v.as_ref()),
            };
            let set_key = key.clone();
            let on_input = move |ev| {
                let v = event_target_value(&ev);
                host.set_answer(&set_key, (!v.is_empty()).then_some(Value::String(v)));
            };
            if matches!(kind, FieldKind::LongText { .. }) {
                view! {
                    <textarea
                        id=id.clone()
                        rows="6"
                        aria-describedby=described.clone()
                        aria-invalid=invalid
                        prop:value=value
                        on:input=on_input
                    ></textarea>
                }
                .into_any()
            } else {
                let input = view! {
                    <input
                        id=id.clone()
                        type=input_type
                        inputmode=inputmode
                        autocomplete=autocomplete
                        spellcheck="false"
                        min=min
                        max=max
                        readonly=readonly
                        aria-describedby=described.clone()
                        aria-invalid=invalid
                        prop:value=value
                        on:input=on_input
                    />
                };
                if amount {
                    // The unit after the box, as a sighted reader sees it; the label says "belopp".
                    view! {
                        <span class="with-unit">
                            {input}
                            <span class="unit" aria-hidden="true">
                                "kr"
                            </span>
                        </span>
                    }
                    .into_any()
                } else {
                    input.into_any()
                }
            }
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some) on:focusout=touch>
            <label for=id>{caption}</label>
            {help}
            {error_view}
            {control}
        </div>
    }
    .into_any()
}

/// Radio buttons or check boxes (`multiple`). The first option's input has the field's id, for error links.
#[component]
pub fn Choices<H: FieldHost>(
    host: H,
    key: String,
    id: String,
    choices: Vec<(Value, Localized)>,
    multiple: bool,
) -> impl IntoView {
    choices
        .into_iter()
        .enumerate()
        .map(|(i, (value, label))| {
            let option_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
            let (k1, k2, v1, v2) = (key.clone(), key.clone(), value.clone(), value);
            let checked = move || match host.answer(&k1) {
                Some(Value::Array(items)) => items.contains(&v1),
                Some(v) => v == v1,
                None => false,
            };
            let change = move |ev| {
                if !multiple {
                    host.set_answer(&k2, Some(v2.clone()));
                    return;
                }
                let on = event_target_checked(&ev);
                let mut items = match host.answer_untracked(&k2) {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                items.retain(|x| *x != v2);
                if on {
                    items.push(v2.clone());
                }
                host.set_answer(&k2, (!items.is_empty()).then_some(Value::Array(items)));
            };
            let own_words = label.sv == label.en;
            view! {
                <div class="choice">
                    <input
                        type=if multiple { "checkbox" } else { "radio" }
                        id=option_id.clone()
                        name=id.clone()
                        prop:checked=checked
                        on:change=change
                    />
                    <label for=option_id lang=own_words.then_some("sv")>
                        {move || pick(&label).to_owned()}
                    </label>
                </div>
            }
        })
        .collect_view()
}

/// One line of an error summary: a link to the field (or to the page it is on) with its label
/// and what is wrong.
pub fn error_link(
    href: String,
    label: Text,
    message: Localized,
    jump: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    view! {
        <li>
            <a href=href on:click=jump>
                <Own text=label.clone() />
                {after_label(&label.sv)}
                {move || pick(&message).to_owned()}
            </a>
        </li>
    }
}

/// The answer's text for a text-like input.
pub fn as_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}
