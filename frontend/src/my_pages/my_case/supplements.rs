//! "Komplettera ditt ärende": the open supplement requests, each with the handler's message and
//! a form for the fields asked about (the one field input of [`crate::common::field`]), checked
//! with the shared validation before it is sent.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use shared::error_code::ErrorCode;
use shared::handling::{Supplement, SupplementAnswer};
use shared::parts::{answer_at, error_input, error_label, set_answer_at};
use shared::text::Text;
use shared::validate::{Answers, FieldError, Localized};
use shared::{Field, FieldKind, FormDefinition};

use super::{Alert, Ctx, HEADING};
use crate::common::api::{self, FetchError};
use crate::common::components::{TextBlock, focus_id, focus_later};
use crate::common::field::{FieldHost, FieldInput, error_link, field_id};
use crate::common::i18n::{format_instant, loc, tx};
use crate::common::loader::{LoadError, Loaded, Loading};

/// The open supplement requests, each with the handler's message and a form.
#[component]
pub(super) fn Supplements(ctx: Ctx, list: Loaded<Vec<Supplement>>, retry: Callback<()>) -> impl IntoView {
    move || match list.get() {
        None => {
            view! { <Loading sv="Hämtar begäran om komplettering …" en="Loading supplement requests …" /> }.into_any()
        }
        Some(Err(e)) if e.is_unauthorized() || e.is_not_found() => ().into_any(),
        Some(Err(error)) => view! {
            <LoadError heading=("Komplettering", "Supplement") error=error retry=retry />
        }
        .into_any(),
        Some(Ok(all)) => {
            let open: Vec<Supplement> = all.into_iter().filter(|s| s.answered_at.is_none()).collect();
            if open.is_empty() {
                return ().into_any();
            }
            view! {
                <section class="supplement" aria-labelledby="komplettering">
                    <h2 id="komplettering">{tx("Komplettera ditt ärende", "Add to your case")}</h2>
                    {open
                        .into_iter()
                        .enumerate()
                        .map(|(i, request)| view! { <SupplementRequest ctx=ctx request=request index=i /> })
                        .collect_view()}
                </section>
            }
            .into_any()
        }
    }
}

/// One open request: the handler's message and the form for the fields asked about.
#[component]
fn SupplementRequest(ctx: Ctx, request: Supplement, index: usize) -> impl IntoView {
    let prefix = format!("k{index}");
    let requested_at = request.requested_at;
    let message = request.message.clone();
    view! {
        <div class="handler-message">
            <h3>{tx("Handläggarens meddelande", "The case officer's message")}</h3>
            <p class="hint">{tx("Skickat", "Sent")} " " {move || format_instant(&requested_at)}</p>
            <TextBlock text=message />
        </div>
        {move || {
            let request = request.clone();
            let prefix = prefix.clone();
            match ctx.service.with(|s| s.as_ref().map(Result::is_ok)) {
                None => view! { <Loading sv="Hämtar formuläret …" en="Loading the form …" /> }.into_any(),
                Some(true) => view! { <SupplementForm ctx=ctx request=request prefix=prefix /> }.into_any(),
                Some(false) => view! {
                    <p class="alert">
                        {tx(
                            "Formuläret kan inte visas just nu, så kompletteringen kan inte göras här. Skicka ett meddelande till handläggaren i stället.",
                            "The form cannot be shown right now, so the supplement cannot be made here. Send the case officer a message instead.",
                        )}
                    </p>
                }
                .into_any(),
            }
        }}
    }
}

/// The fields a request lets the applicant change (all answerable fields when it names none).
fn requested_fields(form: &FormDefinition, request: &Supplement) -> Vec<Field> {
    form.fields()
        .map(|(_, f)| f)
        .filter(|f| f.kind.takes_answer())
        .filter(|f| request.fields.is_empty() || request.fields.contains(&f.key))
        .cloned()
        .collect()
}

#[component]
fn SupplementForm(ctx: Ctx, request: Supplement, prefix: String) -> impl IntoView {
    let fields = ctx.with_form(|f| f.map(|f| requested_fields(f, &request)).unwrap_or_default());
    if fields.is_empty() {
        return view! {
            <p class="alert">
                {tx(
                    "Fälten som handläggaren frågar om finns inte i formuläret längre. Skicka ett meddelande till handläggaren i stället.",
                    "The fields the case officer asks about are no longer in the form. Send the case officer a message instead.",
                )}
            </p>
        }
        .into_any();
    }
    let keys: Vec<String> = fields.iter().map(|f| f.key.clone()).collect();
    let original = ctx.case.with_untracked(|c| c.answers.clone());
    let values = RwSignal::new(original.clone());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<Localized>);
    let busy = RwSignal::new(false);
    let summary_id = format!("{prefix}-fel");
    let any_field = request.fields.is_empty();
    let id = request.id.to_string();
    let file_keys: Vec<String> =
        fields.iter().filter(|f| matches!(f.kind, FieldKind::File { .. })).map(|f| f.key.clone()).collect();
    let summary_focus = summary_id.clone();
    let host = SupplementAnswers { values, errors };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        failure.set(None);
        let merged = values.get_untracked();
        // The shared validation, as the server will run it; only the fields asked about can be helped here.
        let found = ctx.with_form(|f| f.map(|f| shared::validate(f, &merged).err().unwrap_or_default()));
        let found: Vec<FieldError> =
            found.unwrap_or_default().into_iter().filter(|e| keys.contains(&e.field)).collect();
        if !found.is_empty() {
            errors.set(found);
            focus_later(&summary_focus);
            return;
        }
        errors.set(Vec::new());
        let mut answers = serde_json::Map::new();
        for key in keys.iter().filter(|k| !file_keys.contains(k)) {
            let now = merged.get(key);
            if any_field && now == original.get(key) {
                continue;
            }
            answers.insert(key.clone(), now.cloned().unwrap_or(Value::Null));
        }
        let body = SupplementAnswer { answers };
        let (r, id) = (ctx.reference(), id.clone());
        let summary = summary_focus.clone();
        busy.set(true);
        spawn_local(async move {
            let result = ctx.auth.call(|t| async move { api::answer_supplement(&t, &r, &id, &body).await }).await;
            busy.try_set(false);
            match result {
                Ok(_) => {
                    ctx.notice.set(Some(loc(
                        "Din komplettering är skickad till handläggaren.",
                        "Your supplement has been sent to the case officer.",
                    )));
                    ctx.refresh();
                    focus_later(HEADING);
                }
                Err(e) if e.is_unauthorized() => {}
                Err(FetchError::Status { error: Some(error), .. }) if !error.errors.is_empty() => {
                    errors.set(error.errors);
                    focus_later(&summary);
                }
                Err(e) => failure.set(Some(supplement_failure(&e))),
            }
        });
    };
    let labels = fields.clone();
    let link_prefix = prefix.clone();
    let summary_view = move || {
        let list = errors.get();
        let empty = list.is_empty();
        let labels = labels.clone();
        view! {
            <div
                class="error-summary"
                id=summary_id.clone()
                tabindex="-1"
                role="alert"
                hidden=empty
                aria-labelledby=format!("{summary_id}-rubrik")
            >
                <h4 id=format!("{summary_id}-rubrik")>{tx("Det finns fel som du behöver rätta", "There is a problem")}</h4>
                <ul>
                    {list
                        .into_iter()
                        .map(|e| {
                            let (label, path) = labels
                                .iter()
                                .find(|f| f.key == e.field)
                                .map_or_else(|| (Text::from(e.field.as_str()), e.path()), |f| (error_label(f, &e), error_input(f, &e)));
                            let target = field_id(&link_prefix, &path);
                            let href = format!("#{target}");
                            let jump = move |ev: leptos::ev::MouseEvent| {
                                ev.prevent_default();
                                focus_id(&target);
                            };
                            error_link(href, label, e.message, jump)
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    };
    view! {
        <form novalidate on:submit=submit class="supplement-form">
            {summary_view}
            {fields
                .into_iter()
                .map(|field| {
                    let id = field_id(&prefix, &field.key);
                    view! { <FieldInput host=host field=field id=id /> }
                })
                .collect_view()}
            <Alert why=failure />
            <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                {move || {
                    if busy.get() {
                        tx("Skickar …", "Sending …")()
                    } else {
                        tx("Skicka komplettering", "Send supplement")()
                    }
                }}
            </button>
        </form>
    }
    .into_any()
}

/// Why a supplement was not taken, in words.
fn supplement_failure(e: &FetchError) -> Localized {
    match () {
        _ if e.is(ErrorCode::SupplementClosed) => loc(
            "Ärendet tar inte emot komplettering just nu. Ladda om sidan för att se ärendets status.",
            "The case does not take a supplement right now. Reload the page to see the case's status.",
        ),
        _ if e.is(ErrorCode::FileSupplementUnsupported) => loc(
            "Filer kan inte kompletteras här. Skicka ett meddelande till handläggaren.",
            "Files cannot be added here. Send the case officer a message.",
        ),
        _ if e.is(ErrorCode::FieldNotRequested) || e.is(ErrorCode::UnknownField) => loc(
            "Formuläret har ändrats sedan begäran skickades. Ladda om sidan och försök igen.",
            "The form has changed since the request was sent. Reload the page and try again.",
        ),
        _ if e.is_not_found() => loc(
            "Begäran om komplettering är redan besvarad eller borttagen. Ladda om sidan.",
            "The supplement request has already been answered or withdrawn. Reload the page.",
        ),
        _ => e.user_message(),
    }
}

/// A supplement's answers (the case's, with the applicant's changes) and the errors found in
/// them, until the supplement is sent: the form's [`FieldHost`]. Files cannot be changed here.
#[derive(Clone, Copy)]
struct SupplementAnswers {
    values: RwSignal<Answers>,
    errors: RwSignal<Vec<FieldError>>,
}

impl FieldHost for SupplementAnswers {
    fn answer(&self, path: &str) -> Option<Value> {
        self.values.with(|a| answer_at(a, path).cloned())
    }

    fn answer_untracked(&self, path: &str) -> Option<Value> {
        self.values.with_untracked(|a| answer_at(a, path).cloned())
    }

    /// Sets the answer (or a part of one); the error there goes (the form is checked again when
    /// it is sent).
    fn set_answer(&self, path: &str, value: Option<Value>) {
        self.values.update(|a| set_answer_at(a, path, value));
        if self.errors.with_untracked(|e| e.iter().any(|e| e.path() == path)) {
            self.errors.update(|e| e.retain(|e| e.path() != path));
        }
    }

    fn error(&self, path: &str) -> Option<Localized> {
        self.errors.with(|e| e.iter().find(|e| e.path() == path).map(|e| e.message.clone()))
    }
}
