//! A file field of the application: files are checked with the shared validation (the server's
//! own rules and messages) as soon as they are chosen, uploaded with their progress shown, and
//! can be removed or cancelled; a polite live region says how it goes.

use leptos::prelude::*;
use serde_json::{Map, Value};
use shared::validate::{FieldErrorCode, Localized};

use super::{Form, Upload};
use crate::common::api::FetchError;
use crate::common::components::focus_id;
use crate::common::field::FileField;
use crate::common::i18n::{format_size, is_en, loc, pick, tx};
use crate::common::upload::{Uploader, upload};

/// Uploaded files with "Ta bort", files on their way with progress, and the file input;
/// a polite live region tells screen-reader users when an upload starts, ends or fails.
#[component]
pub(super) fn FileInput(form: Form, file: FileField) -> impl IntoView {
    let FileField { key, id, max_files, max_size, accept, local_error, described, invalid } = file;
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
                        // A whole number: formatting a float would bring the float formatter to the app.
                        let percent = (u.progress * 100.0).round() as u32;
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
