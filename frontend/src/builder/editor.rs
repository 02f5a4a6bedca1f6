//! `/bygga/{slug}/formular`: the form editor. The newest draft version's pages and questions:
//! add, edit, move (buttons, so the keyboard does all of it) and remove pages and questions;
//! every change is checked at once with `shared`'s definition check, whose problem names the
//! page or question; a live preview beside it, drawn by the applicants' own field component
//! (`common::field::FieldInput`) with conditions and checks as the applicant will meet them, at
//! phone or desktop width. The draft is saved with the revision it was loaded at (a save over
//! someone else's newer one is refused and says who saved and when) and saves itself a moment
//! after the last change when the check passes. A service owner gets the same editor for texts
//! only (headings, questions, help texts, options' labels): nothing that adds, moves or removes,
//! no keys, no "must be answered"; the server refuses them anything else too.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use shared::analysis::FlowSettings;
use shared::api::{FormVersionInput, FormVersionState, FormVersionView, StaffRole};
use shared::error_code::ErrorCode;
use shared::form::{ChoiceDisplay, ChoiceOption, Field, FieldKind, FormDefinition, Page};
use shared::text::Text;
use shared::validate::{Answers, Localized};

use super::{BUILDER_PATH, RequireBuilder};
use crate::common::api;
use crate::common::field::{FieldHost, FieldInput, field_id};
use crate::common::i18n::{format_instant, is_en, set_title, tx};
use crate::common::loader::{load, show_loaded};
use crate::common::session::{StaffAuth, use_staff};

/// How long after the last change a draft saves itself.
const AUTOSAVE_AFTER: Duration = Duration::from_secs(2);

/// The kinds a new question may have, with their names.
const NEW_KINDS: [(&str, &str, &str); 9] = [
    ("short_text", "Kort text", "Short text"),
    ("long_text", "Lång text", "Long text"),
    ("number", "Tal", "Number"),
    ("date", "Datum", "Date"),
    ("email", "E-postadress", "E-mail address"),
    ("phone", "Telefonnummer", "Telephone number"),
    ("yes_no", "Ja eller nej", "Yes or no"),
    ("single_choice", "Ett val av flera", "One choice of several"),
    ("multiple_choice", "Flera val", "Several choices"),
];

/// The editor's path for a service.
pub fn editor_path(slug: &str) -> String {
    format!("{BUILDER_PATH}/{slug}/formular")
}

#[component]
pub fn FormEditorPage(slug: String) -> impl IntoView {
    set_title("Formulär – bygga e-tjänster", "Form – service builder");
    let staff = use_staff();
    view! {
        <RequireBuilder>
            {
                let slug = slug.clone();
                move || {
                    let texts_only = !staff.may_have(&[StaffRole::PlatformAdmin]);
                    view! { <Draft staff=staff slug=slug.clone() texts_only=texts_only /> }
                }
            }
        </RequireBuilder>
    }
}

/// Finds the newest draft (or offers to start one from the newest version).
#[component]
fn Draft(staff: StaffAuth, slug: String, texts_only: bool) -> impl IntoView {
    let slug = StoredValue::new(slug);
    // The service's login and signing, for the flow diagram.
    let (service, _) =
        load(move || staff.call(move |t| async move { api::builder_service(&t, &slug.get_value()).await }));
    let settings = Signal::derive(move || {
        service.with(|s| match s {
            Some(Ok(s)) => FlowSettings {
                login: s.identity == shared::api::IdentityRequirement::EId,
                signing: s.signing.requirement != shared::signing::SigningRequirement::NotRequired,
            },
            _ => FlowSettings { login: true, signing: false },
        })
    });
    let (versions, retry) =
        load(move || staff.call(move |t| async move { api::form_versions(&t, &slug.get_value()).await }));
    let error = RwSignal::new(None::<String>);
    let start = move |from: Option<FormDefinition>| {
        let definition = from.unwrap_or_else(starter_form);
        spawn_local(async move {
            let s = slug.get_value();
            let input = FormVersionInput { definition };
            match staff.call(move |t| async move { api::create_form_version(&t, &s, &input).await }).await {
                Ok(_) => retry.run(()),
                Err(e) => error.set(Some(e.reason())),
            }
        });
    };
    view! {
        <p><a href=move || format!("{BUILDER_PATH}/{}", slug.get_value())>{tx("Tillbaka till tjänsten", "Back to the service")}</a></p>
        <h1>{tx("Formulär", "Form")}</h1>
        {texts_only.then(|| view! {
            <p class="hint">{tx(
                "Du ändrar formulärets texter. Frågor, villkor och regler ändras av plattformsadministratörerna, som också publicerar.",
                "You change the form's texts. Questions, conditions and rules are changed by the platform admins, who also publish.",
            )}</p>
        })}
        {move || error.get().map(|e| view! { <div class="alert" role="alert"><p>{e}</p></div> })}
        {move || show_loaded(versions.get(), retry, ("Hämtar formuläret …", "Loading the form …"), move |list| {
            match list.iter().find(|v| v.state == FormVersionState::Draft).cloned() {
                Some(draft) => view! { <Editor staff=staff draft=draft texts_only=texts_only settings=settings /> }.into_any(),
                None if texts_only && list.is_empty() => view! {
                    <p>{tx("Tjänsten har inget formulär ännu.", "The service has no form yet.")}</p>
                }.into_any(),
                None => {
                    let newest = list.first().map(|v| v.definition.clone());
                    let label = if newest.is_some() {
                        tx("Skapa ett utkast från den senaste versionen", "Start a draft from the newest version")
                    } else {
                        tx("Skapa formuläret", "Create the form")
                    };
                    view! {
                        <p>{tx("Det finns inget utkast att ändra.", "There is no draft to change.")}</p>
                        <button type="button" class="button" on:click=move |_| start(newest.clone())>{label}</button>
                    }
                    .into_any()
                }
            }
        })}
    }
}

/// A first form: one page with one question.
fn starter_form() -> FormDefinition {
    FormDefinition {
        pages: vec![Page {
            key: "sida_1".into(),
            title: Text::from("Sida 1"),
            description: None,
            condition: None,
            fields: vec![new_field("fraga_1", "short_text")],
            rules: Vec::new(),
        }],
        rules: Vec::new(),
    }
}

/// A new question of a kind from [`NEW_KINDS`].
fn new_field(key: &str, kind: &str) -> Field {
    let options = || {
        vec![
            ChoiceOption { value: "alternativ_1".into(), label: Text::from("Alternativ 1") },
            ChoiceOption { value: "alternativ_2".into(), label: Text::from("Alternativ 2") },
        ]
    };
    let kind = match kind {
        "long_text" => FieldKind::LongText { min_length: None, max_length: None },
        "number" => FieldKind::Number { min: None, max: None, integer: false },
        "date" => FieldKind::Date { min: None, max: None },
        "email" => FieldKind::Email,
        "phone" => FieldKind::Phone,
        "yes_no" => FieldKind::YesNo,
        "single_choice" => FieldKind::SingleChoice { options: options(), display: ChoiceDisplay::Radio },
        "multiple_choice" => FieldKind::MultipleChoice { options: options(), min_selected: None, max_selected: None },
        _ => FieldKind::ShortText { min_length: None, max_length: None, pattern: None, pattern_description: None },
    };
    Field {
        key: key.to_owned(),
        label: Text::from("Ny fråga"),
        help: None,
        required: false,
        condition: None,
        kind,
        autocomplete: None,
        prefill: None,
        fields: Vec::new(),
        rules: Vec::new(),
    }
}

/// A key not yet used in the form: `stem_1`, `stem_2`, …
fn free_key(def: &FormDefinition, stem: &str) -> String {
    let used = |k: &str| {
        def.pages
            .iter()
            .any(|p| p.key == k || p.fields.iter().any(|f| f.key == k || f.fields.iter().any(|row| row.key == k)))
    };
    (1..).map(|n| format!("{stem}_{n}")).find(|k| !used(k)).unwrap_or_else(|| stem.to_owned())
}

/// What the structure is: the pages' keys and their questions' keys. The editor's inputs are
/// made again only when this changes, so typing a label keeps the focus where it is.
fn shape(def: &FormDefinition) -> Vec<(String, Vec<String>)> {
    def.pages.iter().map(|p| (p.key.clone(), p.fields.iter().map(|f| f.key.clone()).collect())).collect()
}

/// The kind's name.
fn kind_name(kind: &FieldKind) -> &'static str {
    let wire = match kind {
        FieldKind::ShortText { .. } => "short_text",
        FieldKind::LongText { .. } => "long_text",
        FieldKind::Number { .. } => "number",
        FieldKind::Date { .. } => "date",
        FieldKind::Email => "email",
        FieldKind::Phone => "phone",
        FieldKind::YesNo => "yes_no",
        FieldKind::SingleChoice { .. } => "single_choice",
        FieldKind::MultipleChoice { .. } => "multiple_choice",
        _ => "",
    };
    NEW_KINDS
        .iter()
        .find(|(w, _, _)| *w == wire)
        .map_or_else(|| tx("Annan sort", "Other kind")(), |(_, sv, en)| if is_en() { en } else { sv })
}

#[derive(Clone, Copy)]
struct Editing {
    def: RwSignal<FormDefinition>,
}

impl Editing {
    fn page<T>(&self, p: usize, f: impl FnOnce(&Page) -> T) -> Option<T> {
        self.def.with(|d| d.pages.get(p).map(f))
    }
    fn field<T>(&self, p: usize, i: usize, f: impl FnOnce(&Field) -> T) -> Option<T> {
        self.def.with(|d| d.pages.get(p).and_then(|pg| pg.fields.get(i)).map(f))
    }
    fn edit_page(&self, p: usize, f: impl FnOnce(&mut Page)) {
        self.def.update(|d| {
            if let Some(page) = d.pages.get_mut(p) {
                f(page);
            }
        });
    }
    fn edit_field(&self, p: usize, i: usize, f: impl FnOnce(&mut Field)) {
        self.edit_page(p, |page| {
            if let Some(field) = page.fields.get_mut(i) {
                f(field);
            }
        });
    }
}

/// Why the draft is not saved, if it is not.
#[derive(Clone, PartialEq)]
enum SaveState {
    Saved(String),
    Unsaved,
    Saving,
    Conflict(String),
    Failed(String),
}

#[component]
fn Editor(staff: StaffAuth, draft: FormVersionView, texts_only: bool, settings: Signal<FlowSettings>) -> impl IntoView {
    let slug = StoredValue::new(draft.service.clone());
    let version = draft.version;
    let revision = RwSignal::new(draft.revision);
    let def = RwSignal::new(draft.definition.clone());
    let editing = Editing { def };
    let shape = Memo::new(move |_| def.with(shape));
    let problem = Memo::new(move |_| def.with(|d| d.check().err().map(|e| e.to_string())));
    let state = RwSignal::new(SaveState::Saved(format_instant(&draft.updated_at.unwrap_or(draft.created_at))));
    let changes = RwSignal::new(0_u64);

    // One save at a time: a change made while one is under way is saved right after it, with the
    // revision it answered (two at once would refuse each other). The signals are read with
    // `try_`: after leaving the page a timer or an answer may still come, and finds them gone.
    let in_flight = RwSignal::new(false);
    let save = move || {
        if in_flight.try_get_untracked() != Some(false) {
            return;
        }
        in_flight.set(true);
        spawn_local(async move {
            while let (Some(None), Some(definition), Some(rev), Some(at_change), Some(now)) = (
                problem.try_get_untracked(),
                def.try_get_untracked(),
                revision.try_get_untracked(),
                changes.try_get_untracked(),
                state.try_get_untracked(),
            ) {
                if matches!(now, SaveState::Conflict(_)) {
                    break;
                }
                state.try_set(SaveState::Saving);
                let input = FormVersionInput { definition };
                let s = slug.try_get_value().unwrap_or_default();
                let result = staff
                    .call(move |t| async move { api::save_form_version(&t, &s, version, rev, &input).await })
                    .await;
                let changed_meanwhile = match result {
                    Ok(v) => {
                        revision.try_set(v.revision);
                        let changed = changes.try_get_untracked() != Some(at_change);
                        if !changed {
                            state.try_set(SaveState::Saved(format_instant(&v.updated_at.unwrap_or(v.created_at))));
                        }
                        changed
                    }
                    Err(e) if e.is(ErrorCode::EditConflict) => {
                        state.try_set(SaveState::Conflict(e.reason()));
                        false
                    }
                    Err(e) => {
                        state.try_set(SaveState::Failed(e.reason()));
                        false
                    }
                };
                // Changed while it was saved: save that too.
                if !changed_meanwhile {
                    break;
                }
            }
            in_flight.try_set(false);
        });
    };
    // Every change: unsaved, and a save a moment after the last one.
    Effect::new(move |first: Option<()>| {
        def.track();
        if first.is_some() {
            changes.update(|c| *c += 1);
            if !matches!(state.get_untracked(), SaveState::Conflict(_)) {
                state.set(SaveState::Unsaved);
            }
            let at_change = changes.get_untracked();
            set_timeout(
                move || {
                    if changes.try_get_untracked() == Some(at_change) {
                        save();
                    }
                },
                AUTOSAVE_AFTER,
            );
        }
    });

    let add_page = move |_| {
        def.update(|d| {
            let key = free_key(d, "sida");
            let field = free_key(d, "fraga");
            let n = d.pages.len() + 1;
            d.pages.push(Page {
                key,
                title: Text::from(format!("Sida {n}").as_str()),
                description: None,
                condition: None,
                fields: vec![new_field(&field, "short_text")],
                rules: Vec::new(),
            });
        });
    };

    view! {
        <p class="service-state">{move || format!("{} {version}", tx("Utkast, version", "Draft, version")())}</p>
        <div class="editor-status">
            <div role="status" class="save-status">
                {move || match state.get() {
                    SaveState::Saved(at) => format!("{} {at}.", tx("Sparat", "Saved")()),
                    SaveState::Unsaved => tx("Ändringar som inte är sparade ännu.", "Changes not saved yet.")().to_owned(),
                    SaveState::Saving => tx("Sparar …", "Saving …")().to_owned(),
                    SaveState::Conflict(_) | SaveState::Failed(_) => String::new(),
                }}
            </div>
            <div role="status" class="check-status">
                {move || match problem.get() {
                    None => tx("Formuläret är giltigt.", "The form is valid.")().to_owned(),
                    Some(p) => format!("{} {p}", tx("Rätta innan det kan sparas:", "Correct this before it can be saved:")()),
                }}
            </div>
            {move || match state.get() {
                SaveState::Conflict(reason) => view! {
                    <div class="alert" role="alert">
                        <p>{tx("Någon annan har sparat utkastet efter att du öppnade det. Dina ändringar är inte sparade.", "Someone else saved the draft after you opened it. Your changes are not saved.")}</p>
                        <p>{reason}</p>
                        <a class="button button-secondary" href=editor_path(&slug.get_value()) on:click=move |_| { let _ = window().location().reload(); }>
                            {tx("Hämta deras version", "Load their version")}
                        </a>
                    </div>
                }.into_any(),
                SaveState::Failed(reason) => view! { <div class="alert" role="alert"><p>{reason}</p></div> }.into_any(),
                _ => ().into_any(),
            }}
            <button type="button" class="button" on:click=move |_| save() disabled=move || problem.get().is_some()>
                {tx("Spara nu", "Save now")}
            </button>
        </div>
        <div class="editor-columns">
            <div class="editor-structure">
                <h2>{tx("Sidor och frågor", "Pages and questions")}</h2>
                {move || {
                    let pages = shape.get();
                    let count = pages.len();
                    pages
                        .into_iter()
                        .enumerate()
                        .map(|(p, (_, fields))| view! { <PageEditor editing=editing p=p pages=count fields=fields.len() texts_only=texts_only /> })
                        .collect_view()
                }}
                {(!texts_only).then(|| view! {
                    <button type="button" class="button button-secondary" on:click=add_page>{tx("Lägg till en sida", "Add a page")}</button>
                })}
            </div>
            <div>
                <Preview def=def />
                <super::flow::FlowDiagram def=def settings=settings />
            </div>
        </div>
    }
}

#[component]
fn PageEditor(editing: Editing, p: usize, pages: usize, fields: usize, texts_only: bool) -> impl IntoView {
    let n = p + 1;
    let title_id = format!("p{p}-title");
    let new_kind = RwSignal::new("short_text".to_owned());
    let move_page = move |to: usize| {
        editing.def.update(|d| {
            if to < d.pages.len() {
                d.pages.swap(p, to);
            }
        })
    };
    let add_field = move |_| {
        editing.def.update(|d| {
            let key = free_key(d, "fraga");
            if let Some(page) = d.pages.get_mut(p) {
                page.fields.push(new_field(&key, &new_kind.get_untracked()));
            }
        })
    };
    // This page's heading alone: typing elsewhere does not touch it.
    let title = Memo::new(move |_| editing.page(p, |pg| pg.title.sv.clone()).unwrap_or_default());
    let heading = move || {
        let title = title.get();
        if is_en() { format!("Page {n}: {title}") } else { format!("Sida {n}: {title}") }
    };
    view! {
        <fieldset class="builder-group page-editor">
            <legend>{heading}</legend>
            <div class="field">
                <label for=title_id.clone()>{move || if is_en() { format!("Heading of page {n}") } else { format!("Rubrik på sida {n}") }}</label>
                <input id=title_id type="text"
                    prop:value=move || title.get()
                    on:input=move |ev| { let v = event_target_value(&ev); editing.edit_page(p, |pg| pg.title.sv = v) } />
            </div>
            {(!texts_only).then(|| view! {
            <div class="button-row">
                <button type="button" class="button button-secondary" disabled=p == 0 on:click=move |_| move_page(p.wrapping_sub(1))>
                    {move || if is_en() { format!("Move page {n} up") } else { format!("Flytta sida {n} uppåt") }}
                </button>
                <button type="button" class="button button-secondary" disabled=p + 1 == pages on:click=move |_| move_page(p + 1)>
                    {move || if is_en() { format!("Move page {n} down") } else { format!("Flytta sida {n} nedåt") }}
                </button>
                <button type="button" class="button button-danger" disabled=pages == 1 on:click=move |_| editing.def.update(|d| { d.pages.remove(p); })>
                    {move || if is_en() { format!("Remove page {n}") } else { format!("Ta bort sida {n}") }}
                </button>
            </div>
            })}
            <ol class="field-list">
                {(0..fields).map(|i| view! { <FieldEditor editing=editing p=p i=i fields=fields texts_only=texts_only /> }).collect_view()}
            </ol>
            {(!texts_only).then(|| view! {
            <div class="add-field">
                <label for=format!("p{p}-kind")>{move || if is_en() { format!("Kind of new question on page {n}") } else { format!("Sort av ny fråga på sida {n}") }}</label>
                <select id=format!("p{p}-kind") on:change=move |ev| new_kind.set(event_target_value(&ev))>
                    {NEW_KINDS.iter().map(|(wire, sv, en)| view! { <option value=*wire>{tx(sv, en)}</option> }).collect_view()}
                </select>
                <button type="button" class="button button-secondary" on:click=add_field>
                    {move || if is_en() { format!("Add a question to page {n}") } else { format!("Lägg till en fråga på sida {n}") }}
                </button>
            </div>
            })}
        </fieldset>
    }
}

#[component]
fn FieldEditor(editing: Editing, p: usize, i: usize, fields: usize, texts_only: bool) -> impl IntoView {
    let id = format!("p{p}-f{i}");
    // This question alone: a change elsewhere in the form does not touch its inputs.
    let this = Memo::new(move |_| editing.field(p, i, Clone::clone));
    let label_of = move || with_field(this, |f| f.label.sv.clone()).unwrap_or_default();
    let name = move || {
        let label = label_of();
        if label.trim().is_empty() { format!("{}", i + 1) } else { label }
    };
    let move_field = move |to: usize| {
        editing.edit_page(p, |pg| {
            if to < pg.fields.len() {
                pg.fields.swap(i, to);
            }
        })
    };
    let options_text = move || {
        editing
            .field(p, i, |f| match &f.kind {
                FieldKind::SingleChoice { options, .. } | FieldKind::MultipleChoice { options, .. } => {
                    Some(options.iter().map(|o| o.label.sv.clone()).collect::<Vec<_>>().join("\n"))
                }
                _ => None,
            })
            .flatten()
    };
    // One option per line (see `options_from_lines`).
    let set_options = move |text: String| {
        editing.edit_field(p, i, |f| match &mut f.kind {
            FieldKind::SingleChoice { options, .. } | FieldKind::MultipleChoice { options, .. } => {
                *options = options_from_lines(options, &text);
            }
            _ => {}
        });
    };
    let (label_id, key_id, help_id, req_id, opt_id) = (
        format!("{id}-label"),
        format!("{id}-key"),
        format!("{id}-help"),
        format!("{id}-required"),
        format!("{id}-options"),
    );
    view! {
        <li class="field-editor">
            <p class="field-kind">{move || with_field(this, |f| kind_name(&f.kind)).unwrap_or_default()}</p>
            <div class="field">
                <label for=label_id.clone()>{tx("Frågan", "The question")}</label>
                <input id=label_id type="text" prop:value=label_of
                    on:input=move |ev| { let v = event_target_value(&ev); editing.edit_field(p, i, |f| f.label.sv = v) } />
            </div>
            <div class="field">
                <label for=help_id.clone()>{tx("Hjälptext", "Help text")}</label>
                <input id=help_id type="text" prop:value=move || with_field(this, |f| f.help.as_ref().map(|h| h.sv.clone()).unwrap_or_default()).unwrap_or_default()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        // The Swedish only: an English help text stays.
                        editing.edit_field(p, i, |f| match (&mut f.help, v.trim().is_empty()) {
                            (Some(help), false) => help.sv = v,
                            (None, false) => f.help = Some(Text::from(v.as_str())),
                            (help, true) => *help = None,
                        })
                    } />
            </div>
            {(!texts_only).then(|| view! {
            <div class="field">
                <label for=key_id.clone()>{tx("Nyckel (i svaren och API:t)", "Key (in the answers and the API)")}</label>
                <input id=key_id type="text" prop:value=move || with_field(this, |f| f.key.clone()).unwrap_or_default()
                    on:change=move |ev| { let v = event_target_value(&ev); editing.edit_field(p, i, |f| f.key = v.trim().to_owned()) } />
            </div>
            <div class="field checkbox">
                <input id=req_id.clone() type="checkbox" prop:checked=move || with_field(this, |f| f.required).unwrap_or(false)
                    on:change=move |ev| { let v = event_target_checked(&ev); editing.edit_field(p, i, |f| f.required = v) } />
                <label for=req_id>{tx("Måste besvaras", "Must be answered")}</label>
            </div>
            })}
            {move || options_text().map(|text| view! {
                <div class="field">
                    <label for=opt_id.clone()>{tx("Alternativ, ett per rad", "Options, one per line")}</label>
                    <textarea id=opt_id.clone() rows="3" prop:value=text on:change=move |ev| set_options(event_target_value(&ev))></textarea>
                </div>
            })}
            {(!texts_only).then(|| view! {
            <div class="button-row">
                <button type="button" class="button button-secondary" disabled=i == 0 on:click=move |_| move_field(i.wrapping_sub(1))>
                    {move || if is_en() { format!("Move \u{201c}{}\u{201d} up", name()) } else { format!("Flytta \u{201d}{}\u{201d} uppåt", name()) }}
                </button>
                <button type="button" class="button button-secondary" disabled=i + 1 == fields on:click=move |_| move_field(i + 1)>
                    {move || if is_en() { format!("Move \u{201c}{}\u{201d} down", name()) } else { format!("Flytta \u{201d}{}\u{201d} nedåt", name()) }}
                </button>
                <button type="button" class="button button-danger" on:click=move |_| editing.edit_page(p, |pg| { pg.fields.remove(i); })>
                    {move || if is_en() { format!("Remove \u{201c}{}\u{201d}", name()) } else { format!("Ta bort \u{201d}{}\u{201d}", name()) }}
                </button>
            </div>
            })}
        </li>
    }
}

/// A question's part, from its memo.
fn with_field<T>(field: Memo<Option<Field>>, f: impl FnOnce(&Field) -> T) -> Option<T> {
    field.with(|o| o.as_ref().map(f))
}

/// The options a text of one label per line makes of `options`: each line keeps the option
/// whose label it is (moved or not), a line that is no label takes the unused option where it
/// stands (a reworded label), and any other line is a new option with a value of its own. So an
/// option keeps its stored value, and answers, conditions and rules their meaning.
fn options_from_lines(options: &[ChoiceOption], text: &str) -> Vec<ChoiceOption> {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    // Each line keeps the option whose label it is (moved or not); a line that is no
    // label takes the unused option where it stands (a reworded label), else it is new.
    let mut used = vec![false; options.len()];
    let mut kept: Vec<Option<usize>> = lines
        .iter()
        .map(|line| {
            let i = options.iter().enumerate().position(|(i, o)| !used[i] && o.label.sv == *line)?;
            used[i] = true;
            Some(i)
        })
        .collect();
    for (n, slot) in kept.iter_mut().enumerate() {
        if slot.is_none() && n < options.len() && !used[n] {
            used[n] = true;
            *slot = Some(n);
        }
    }
    let mut next: Vec<ChoiceOption> = Vec::new();
    for (n, (line, slot)) in lines.iter().zip(kept).enumerate() {
        let option = match slot {
            Some(i) => ChoiceOption {
                value: options[i].value.clone(),
                label: Text { sv: (*line).to_owned(), en: options[i].label.en.clone() },
            },
            None => {
                let stem = option_value(line, n);
                let taken = |v: &str| next.iter().any(|o| o.value == v) || options.iter().any(|o| o.value == v);
                let value = (0..)
                    .map(|k| if k == 0 { stem.clone() } else { format!("{stem}_{k}") })
                    .find(|v| !taken(v))
                    .unwrap_or(stem);
                ChoiceOption { value, label: Text::from(*line) }
            }
        };
        next.push(option);
    }
    next
}

/// An option's stored value from its label: lowercase letters, digits and `_`.
fn option_value(label: &str, n: usize) -> String {
    let v: String = label
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c if c.is_ascii_alphanumeric() => c,
            _ => '_',
        })
        .collect();
    let v = v.trim_matches('_').to_owned();
    if v.is_empty() { format!("alternativ_{}", n + 1) } else { v }
}

/// The preview's answers, and the checks the applicant would see for the questions left.
#[derive(Clone, Copy)]
struct PreviewHost {
    def: RwSignal<FormDefinition>,
    answers: RwSignal<Answers>,
    touched: RwSignal<Vec<String>>,
}

impl FieldHost for PreviewHost {
    fn answer(&self, key: &str) -> Option<Value> {
        self.answers.with(|a| shared::parts::answer_at(a, key).cloned())
    }
    fn answer_untracked(&self, key: &str) -> Option<Value> {
        self.answers.with_untracked(|a| shared::parts::answer_at(a, key).cloned())
    }
    fn set_answer(&self, key: &str, value: Option<Value>) {
        self.answers.update(|a| shared::parts::set_answer_at(a, key, value));
    }
    fn error(&self, key: &str) -> Option<Localized> {
        if !self.touched.with(|t| t.iter().any(|k| k == key)) {
            return None;
        }
        let answers = self.answers.get();
        self.def.with(|d| {
            let page = d.pages.iter().find(|p| p.fields.iter().any(|f| f.key == key))?;
            shared::validate::validate_page(d, &page.key, &answers)
                .into_iter()
                .find(|e| e.path() == key)
                .map(|e| e.message)
        })
    }
    const TOUCHES: bool = true;
    fn touch(&self, key: &str) {
        let key = key.to_owned();
        self.touched.update(|t| {
            if !t.contains(&key) {
                t.push(key);
            }
        });
    }
}

/// The applicant's view of one page, drawn by the applicants' own field component.
#[component]
fn Preview(def: RwSignal<FormDefinition>) -> impl IntoView {
    let host = PreviewHost { def, answers: RwSignal::new(Answers::new()), touched: RwSignal::new(Vec::new()) };
    let page = RwSignal::new(0_usize);
    let phone = RwSignal::new(true);
    let visible = Memo::new(move |_| host.answers.with(|a| def.with(|d| shared::validate::visibility(d, a))));
    view! {
        <section class="editor-preview" aria-labelledby="forhandsvisning">
            <h2 id="forhandsvisning">{tx("Förhandsvisning", "Preview")}</h2>
            <div class="button-row">
                <label for="preview-page">{tx("Sida", "Page")}</label>
                <select id="preview-page" on:change=move |ev| page.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || def.with(|d| d.pages.iter().enumerate().map(|(n, p)| {
                        let title = format!("{}. {}", n + 1, p.title.sv);
                        view! { <option value=n.to_string() selected=move || page.get() == n>{title}</option> }
                    }).collect_view())}
                </select>
                <button type="button" class="button button-secondary" aria-pressed=move || phone.get().to_string() on:click=move |_| phone.update(|p| *p = !*p)>
                    {tx("Mobilbredd", "Phone width")}
                </button>
            </div>
            <div class=move || if phone.get() { "preview-frame phone" } else { "preview-frame desktop" }>
                {move || {
                    let current = def.with(|d| d.pages.get(page.get()).cloned());
                    let Some(current) = current else { return ().into_any() };
                    let shown = visible.with(|v| v.pages.contains(&current.key));
                    let title = current.title.sv.clone();
                    let fields: Vec<Field> = current.fields.into_iter().filter(|f| visible.with(|v| v.fields.contains(&f.key))).collect();
                    view! {
                        <h3 lang="sv">{title}</h3>
                        {(!shown).then(|| view! { <p class="hint">{tx("Sidan visas inte med svaren i förhandsvisningen.", "The page is not shown with the preview's answers.")}</p> })}
                        {fields.into_iter().map(|f| {
                            let id = field_id("preview", &f.key);
                            view! { <FieldInput host=host field=f id=id /> }
                        }).collect_view()}
                    }
                    .into_any()
                }}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use shared::form::ChoiceOption;
    use shared::text::Text;

    use super::options_from_lines;

    fn options(pairs: &[(&str, &str)]) -> Vec<ChoiceOption> {
        pairs.iter().map(|(v, l)| ChoiceOption { value: (*v).into(), label: Text::from(*l) }).collect()
    }

    fn values(o: &[ChoiceOption]) -> Vec<(&str, &str)> {
        o.iter().map(|o| (o.value.as_str(), o.label.sv.as_str())).collect()
    }

    #[test]
    fn options_keep_their_values_when_moved_removed_or_reworded_and_new_lines_get_new_values() {
        let before = options(&[("projekt", "Projektbidrag"), ("drift", "Driftbidrag"), ("lokal", "Lokalbidrag")]);
        // Removed from the middle: the others keep theirs.
        assert_eq!(
            values(&options_from_lines(&before, "Projektbidrag\nLokalbidrag")),
            [("projekt", "Projektbidrag"), ("lokal", "Lokalbidrag")]
        );
        // Reordered.
        assert_eq!(
            values(&options_from_lines(&before, "Lokalbidrag\nProjektbidrag\nDriftbidrag")),
            [("lokal", "Lokalbidrag"), ("projekt", "Projektbidrag"), ("drift", "Driftbidrag")]
        );
        // Reworded where it stands, and one new.
        assert_eq!(
            values(&options_from_lines(&before, "Projektbidrag\nVerksamhetsbidrag\nLokalbidrag\nÖvrigt")),
            [
                ("projekt", "Projektbidrag"),
                ("drift", "Verksamhetsbidrag"),
                ("lokal", "Lokalbidrag"),
                ("ovrigt", "Övrigt")
            ]
        );
    }
}
