//! One field of a page, rendered by its kind: a label (a legend for groups of
//! options), help text and the error tied to the input with
//! `aria-describedby`, and the input itself. File fields upload as soon as a
//! file is chosen, after the same size and type checks the server makes.

use leptos::prelude::*;
use serde_json::{Map, Value};
use shared::form::ChoiceDisplay;
use shared::validate::{FieldError, FieldErrorCode, Localized};
use shared::{Field, FieldKind};
use wasm_bindgen::JsCast;

use super::{Form, Upload, as_text};
use crate::api::FetchError;
use crate::components::{LoadError, Loading, TextBlock, focus_id};
use crate::i18n::{format_size, is_en, loc, pick, tx};
use crate::upload::{Uploader, upload};

/// A field with its label, help, error and input.
#[component]
pub fn FieldView(form: Form, field: Field) -> impl IntoView {
    let Field { key, label, help, required, kind, autocomplete: purpose, .. } = field;
    if let FieldKind::Info { text } = kind {
        return view! {
            <div class="info-text">
                <h2 lang="sv">{label}</h2>
                <TextBlock text=text />
            </div>
        }
        .into_any();
    }
    let id = format!("f-{key}");
    let hint_id = format!("{id}-hjalp");
    let error_id = format!("{id}-fel");
    // A file that could not be taken (checked before upload, or refused by the server).
    let local_error = RwSignal::new(None::<Localized>);
    let error_key = key.clone();
    let error = Memo::new(move |_| local_error.get().or_else(|| form.error(&error_key).map(|e: FieldError| e.message)));
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
        let to_button = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.tag_name() == "BUTTON");
        if !to_button {
            form.touch(&touch_key);
        }
    };
    let caption = view! {
        <span lang="sv">{label}</span>
        {(!required).then(|| view! { <span class="optional">{tx(" (valfritt)", " (optional)")}</span> })}
    };
    let help = help.map(|h| {
        view! {
            <p id=hint_id class="hint" lang="sv">
                {h}
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
    if matches!(kind, FieldKind::Child) {
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
                <ChildChoices form=form key=key id=id />
            </fieldset>
        }
        .into_any();
    }
    let choices = match &kind {
        FieldKind::SingleChoice { options, display: ChoiceDisplay::Radio }
        | FieldKind::MultipleChoice { options, .. } => {
            Some(options.iter().map(|o| (Value::String(o.value.clone()), loc(&o.label, &o.label))).collect::<Vec<_>>())
        }
        FieldKind::YesNo => Some(vec![(Value::Bool(true), loc("Ja", "Yes")), (Value::Bool(false), loc("Nej", "No"))]),
        _ => None,
    };
    if let Some(choices) = choices {
        let multiple = matches!(kind, FieldKind::MultipleChoice { .. });
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
                <Choices form=form key=key id=id choices=choices multiple=multiple />
            </fieldset>
        }
        .into_any();
    }
    let control = match kind {
        FieldKind::SingleChoice { options, .. } => {
            let key2 = key.clone();
            let current = move || as_text(form.answer(&key2).as_ref());
            let set_key = key.clone();
            view! {
                <select
                    id=id
                    aria-describedby=described
                    aria-invalid=invalid
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        form.set_answer(&set_key, (!v.is_empty()).then_some(Value::String(v)));
                    }
                >
                    <option value="">{tx("Välj", "Choose")}</option>
                    {options
                        .into_iter()
                        .map(|o| {
                            let value = o.value.clone();
                            let current = current.clone();
                            view! {
                                <option value=o.value prop:selected=move || current() == value lang="sv">
                                    {o.label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::File { max_files, max_size_bytes, accept } => view! {
            <FileInput
                form=form
                key=key.clone()
                id=id
                max_files=max_files
                max_size=max_size_bytes
                accept=accept
                local_error=local_error
                described=Signal::derive(described)
                invalid=Signal::derive(invalid)
            />
        }
        .into_any(),
        kind => {
            let (input_type, inputmode) = match &kind {
                FieldKind::Email => ("email", None),
                FieldKind::Phone => ("tel", None),
                FieldKind::Date { .. } => ("date", None),
                FieldKind::Number { integer: true, .. } => ("text", Some("numeric")),
                FieldKind::Number { .. } => ("text", Some("decimal")),
                _ => ("text", None),
            };
            // The input purpose the service gave (WCAG 1.3.5); without one the browser suggests nothing.
            let autocomplete = purpose.unwrap_or_else(|| "off".into());
            let (min, max) = match &kind {
                FieldKind::Date { min, max } => (min.map(|d| d.to_string()), max.map(|d| d.to_string())),
                _ => (None, None),
            };
            let value_key = key.clone();
            let value = move || as_text(form.answer(&value_key).as_ref());
            let set_key = key.clone();
            let on_input = move |ev| {
                let v = event_target_value(&ev);
                form.set_answer(&set_key, (!v.is_empty()).then_some(Value::String(v)));
            };
            if matches!(kind, FieldKind::LongText { .. }) {
                view! {
                    <textarea
                        id=id
                        rows="6"
                        aria-describedby=described
                        aria-invalid=invalid
                        prop:value=value
                        on:input=on_input
                    ></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input
                        id=id
                        type=input_type
                        inputmode=inputmode
                        autocomplete=autocomplete
                        spellcheck="false"
                        min=min
                        max=max
                        aria-describedby=described
                        aria-invalid=invalid
                        prop:value=value
                        on:input=on_input
                    />
                }
                .into_any()
            }
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some) on:focusout=touch>
            <label for=format!("f-{key}")>{caption}</label>
            {help}
            {error_view}
            {control}
        </div>
    }
    .into_any()
}

/// "Välj barn": the applicant's children from the population register, one radio button each
/// (the answer is the child's personnummer). A protected identity, or no children in the register,
/// is said plainly, with the service's contact route when it has one.
#[component]
fn ChildChoices(form: Form, key: String, id: String) -> impl IntoView {
    form.load_person();
    let retry = Callback::new(move |()| form.reload_person());
    let contact_route = form.service.with_value(|s| s.signing_contact_route.clone());
    let route = move || contact_route.clone().map(|text| view! { <TextBlock text=text /> });
    move || {
        match form.person.get() {
        None => view! { <Loading sv="Hämtar dina barn från folkbokföringen …" en="Loading your children from the population register …" /> }
            .into_any(),
        Some(Err(e)) if e.is_unauthorized() => ().into_any(),
        Some(Err(error)) => view! { <LoadError error=error retry=retry /> }.into_any(),
        Some(Ok(person)) if person.protected => view! {
            <div class="notice child-notice">
                <p>
                    {tx(
                        "Du har skyddade personuppgifter. Därför kan vi inte visa dina barn här.",
                        "You have protected personal data. That is why we cannot show your children here.",
                    )}
                </p>
                {route()}
            </div>
        }
        .into_any(),
        Some(Ok(person)) if person.children.is_empty() => view! {
            <div class="notice child-notice">
                <p>
                    {tx(
                        "Det finns inga barn som du har vårdnaden om i folkbokföringen.",
                        "There are no children in your custody in the population register.",
                    )}
                </p>
                {route()}
            </div>
        }
        .into_any(),
        Some(Ok(person)) => {
            let choices = person
                .children
                .into_iter()
                .map(|c| {
                    let label = format!("{} ({})", c.name, crate::components::format_personnummer(&c.personnummer));
                    (Value::String(c.personnummer), loc(&label, &label))
                })
                .collect::<Vec<_>>();
            view! { <Choices form=form key=key.clone() id=id.clone() choices=choices multiple=false /> }.into_any()
        }
    }
    }
}

/// Radio buttons or check boxes (`multiple`). The first option's input has the field's id, for error links.
#[component]
fn Choices(form: Form, key: String, id: String, choices: Vec<(Value, Localized)>, multiple: bool) -> impl IntoView {
    choices
        .into_iter()
        .enumerate()
        .map(|(i, (value, label))| {
            let option_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
            let (k1, k2, v1, v2) = (key.clone(), key.clone(), value.clone(), value);
            let checked = move || {
                form.answers.with(|a| match a.get(&k1) {
                    Some(Value::Array(items)) => items.contains(&v1),
                    Some(v) => *v == v1,
                    None => false,
                })
            };
            let change = move |ev| {
                if !multiple {
                    form.set_answer(&k2, Some(v2.clone()));
                    return;
                }
                let on = event_target_checked(&ev);
                let mut items = match form.answers.with_untracked(|a| a.get(&k2).cloned()) {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                items.retain(|x| *x != v2);
                if on {
                    items.push(v2.clone());
                }
                form.set_answer(&k2, (!items.is_empty()).then_some(Value::Array(items)));
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

/// Uploaded files with "Ta bort", files on their way with progress, and the file input;
/// a polite live region tells screen-reader users when an upload starts, ends or fails.
#[component]
fn FileInput(
    form: Form,
    key: String,
    id: String,
    max_files: u32,
    max_size: u64,
    accept: Vec<String>,
    local_error: RwSignal<Option<Localized>>,
    described: Signal<Option<String>>,
    invalid: Signal<Option<&'static str>>,
) -> impl IntoView {
    let rules_id = format!("{id}-regler");
    let status_id = format!("{id}-status");
    // What the live region says: "Laddar upp a.pdf …", "a.pdf är uppladdad.", or why not.
    let status = RwSignal::new(None::<Localized>);
    let size = format_size(max_size);
    let rules_size = size.clone();
    let rules_accept = accept.clone();
    let rules = move || {
        let en = is_en();
        let mut text =
            if en { format!("At most {rules_size} per file") } else { format!("Högst {rules_size} per fil") };
        if max_files > 1 {
            text.push_str(&if en { format!(", {max_files} files") } else { format!(", {max_files} filer") });
        }
        let rules_types = shared::validate::file_type_names(&rules_accept, en);
        if !rules_types.is_empty() {
            text.push_str(&if en {
                format!(". File types: {rules_types}")
            } else {
                format!(". Filtyper: {rules_types}")
            });
        }
        text.push('.');
        text
    };
    let rules_ref = rules_id.clone();
    let describedby = move || match described.get() {
        Some(d) => format!("{rules_ref} {d}"),
        None => rules_ref.clone(),
    };
    let list_key = key.clone();
    let files = move || match form.answer(&list_key) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let uploads_key = key.clone();
    let uploading =
        move || form.uploads.with(|u| u.iter().filter(|u| u.field == uploads_key).cloned().collect::<Vec<_>>());
    let input_id = id.clone();
    let choose_key = key.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        local_error.set(None);
        if let Some(list) = input.files() {
            for i in 0..list.length() {
                if let Some(file) = list.get(i) {
                    start_upload(form, &choose_key, file, local_error, status);
                }
            }
        }
        // The same file can be chosen again after a failure.
        input.set_value("");
    };
    view! {
        <p id=rules_id class="hint">
            {rules}
        </p>
        <ul class="files">
            {move || {
                files()
                    .into_iter()
                    .map(|file| {
                        let name = file.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
                        let size = file.get("size").and_then(Value::as_u64).unwrap_or(0);
                        let file_id = file.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
                        let (k, focus) = (key.clone(), input_id.clone());
                        let remove = move |_| {
                            let rest: Vec<Value> = files_of(form, &k)
                                .into_iter()
                                .filter(|f| f.get("id").and_then(Value::as_str) != Some(file_id.as_str()))
                                .collect();
                            form.set_answer(&k, (!rest.is_empty()).then_some(Value::Array(rest)));
                            focus_id(&focus);
                        };
                        view! {
                            <li class="file">
                                <span class="file-name">{name.clone()}</span>
                                <span class="file-size">{move || format_size(size)}</span>
                                <button type="button" class="button-link" on:click=remove>
                                    {tx("Ta bort", "Remove")}
                                    <span class="visually-hidden">" " {name}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
            {move || {
                uploading()
                    .into_iter()
                    .map(|u| {
                        let percent = (u.progress * 100.0).round();
                        let request = u.request.clone();
                        let id = u.id;
                        let cancelled = u.name.clone();
                        let cancel = move |_| {
                            form.uploads.update(|all| all.retain(|x| x.id != id));
                            let _ = request.abort();
                            status.set(Some(Localized {
                                sv: format!("Uppladdningen av {cancelled} avbröts."),
                                en: format!("The upload of {cancelled} was cancelled."),
                            }));
                        };
                        view! {
                            <li class="file">
                                <span class="file-name">{u.name.clone()}</span>
                                <progress max="100" value=percent aria-label=u.name.clone()></progress>
                                <span class="file-size">{format!("{percent} %")}</span>
                                <button type="button" class="button-link" on:click=cancel>
                                    {tx("Avbryt", "Cancel")}
                                    <span class="visually-hidden">" " {u.name}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        <p id=status_id class="visually-hidden" role="status">
            {move || status.with(|m| m.as_ref().map(|m| pick(m).to_owned()))}
        </p>
        <input
            type="file"
            id=id
            class="file-input"
            multiple=(max_files > 1).then_some("")
            accept=accept.join(",")
            aria-describedby=describedby
            aria-invalid=invalid
            on:change=on_change
        />
    }
}

fn files_of(form: Form, key: &str) -> Vec<Value> {
    match form.answers.with_untracked(|a| a.get(key).cloned()) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

/// A file reference as a file field's answer holds it.
fn file_value(id: &str, name: &str, size: u64, content_type: &str) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::String(id.into()));
    m.insert("name".into(), Value::String(name.into()));
    m.insert("size".into(), Value::from(size));
    m.insert("content_type".into(), Value::String(content_type.into()));
    Value::Object(m)
}

/// Checks a chosen file with the shared validation (size, type, number of
/// files: the server's own rules and messages), then uploads it. `status` (the
/// field's live region) follows the upload: started, stored, or why not.
fn start_upload(
    form: Form,
    key: &str,
    file: web_sys::File,
    local_error: RwSignal<Option<Localized>>,
    status: RwSignal<Option<Localized>>,
) {
    let name = file.name();
    let size = file.size() as u64;
    let content_type = file.type_();
    // The new file alone is judged by size and type (the server tells an uploaded file's type
    // from its content; the ones still on their way are not known yet); all of them by count.
    let judge = |files: Vec<Value>, codes: &[FieldErrorCode]| {
        form.service.with_value(|s| {
            let page = s.form.pages.iter().find(|p| p.fields.iter().any(|f| f.key == key))?;
            let mut answers = form.answers.get_untracked();
            answers.insert(key.to_owned(), Value::Array(files));
            shared::validate::validate_page(&s.form, &page.key, &answers)
                .into_iter()
                .find(|e| e.field == key && codes.contains(&e.code))
        })
    };
    let new_file = file_value("", &name, size, &content_type);
    let refused = judge(vec![new_file.clone()], &[FieldErrorCode::FileTooLarge, FieldErrorCode::FileTypeNotAllowed])
        .or_else(|| {
            let mut all = files_of(form, key);
            form.uploads.with_untracked(|u| {
                for up in u.iter().filter(|u| u.field == key) {
                    all.push(file_value("", &up.name, 0, ""));
                }
            });
            all.push(new_file);
            judge(all, &[FieldErrorCode::TooManyFiles])
        });
    if let Some(e) = refused {
        // Only the new file is judged here: the size and type rules name the file.
        let why = Localized { sv: format!("{name}: {}", e.message.sv), en: format!("{name}: {}", e.message.en) };
        status.set(Some(why.clone()));
        local_error.set(Some(why));
        return;
    }
    let id = form.upload_seq.get_value().wrapping_add(1);
    form.upload_seq.set_value(id);
    let key = key.to_owned();
    let token = form.auth.token();
    let owner = form.owner_token.get_value();
    let progress = move |p: f64| {
        form.uploads.try_update(|all| {
            if let Some(u) = all.iter_mut().find(|u| u.id == id) {
                u.progress = p;
            }
        });
    };
    let done_key = key.clone();
    let done = move |result: Result<shared::api::UploadedFile, FetchError>| {
        // Cancelled (or the page is gone): nothing to do.
        let was_on = form.uploads.try_with_untracked(|all| all.iter().any(|u| u.id == id)) == Some(true);
        if !was_on {
            return;
        }
        form.uploads.update(|all| all.retain(|u| u.id != id));
        match result {
            Ok(stored) => {
                if stored.owner_token.is_some() && form.owner_token.with_value(Option::is_none) {
                    form.owner_token.set_value(stored.owner_token.clone());
                }
                let mut files = files_of(form, &done_key);
                files.push(file_value(&stored.id, &stored.name, stored.size, &stored.content_type));
                form.set_answer(&done_key, Some(Value::Array(files)));
                status.set(Some(Localized {
                    sv: format!("{name} är uppladdad."),
                    en: format!("{name} has been uploaded."),
                }));
            }
            Err(e) => {
                let why = match &e {
                    FetchError::Status { status: 413, .. } => loc("Filen är för stor.", "The file is too large."),
                    e => e.user_message(),
                };
                let why = Localized { sv: format!("{name}: {}", why.sv), en: format!("{name}: {}", why.en) };
                status.set(Some(why.clone()));
                local_error.set(Some(why));
            }
        }
    };
    let who = Uploader { bearer: token.as_deref(), owner_token: owner.as_deref() };
    let started =
        Localized { sv: format!("Laddar upp {} …", file.name()), en: format!("Uploading {} …", file.name()) };
    match upload(&file, who, progress, done) {
        Ok(request) => {
            form.uploads.update(|all| {
                all.push(Upload { id, field: key, name: file.name(), progress: 0.0, request });
            });
            status.set(Some(started));
        }
        Err(e) => {
            status.set(Some(e.user_message()));
            local_error.set(Some(e.user_message()));
        }
    }
}

/// An answer as the summary shows it (reactive; see [`crate::components::answer_display`]).
pub fn answer_text(form: Form, key: &str) -> String {
    let value = form.answer(key);
    // A chosen child by name, as the register gives it.
    if let Some(Value::String(child)) = &value
        && form.field(key, |f| matches!(f.kind, FieldKind::Child)) == Some(true)
        && let Some(name) = form.child_name(child)
    {
        return name;
    }
    form.field(key, |f| crate::components::answer_display(f, value.as_ref()))
        .unwrap_or_else(crate::components::answer_display_none)
}
