//! `/mina-sidor/arenden/{reference}`: one of the applicant's cases — its
//! status in plain words, what happened so far, an open supplement request
//! with a form for the fields the handler asked about, the messages with the
//! handlers, the decisions and documents to download, and the answers as
//! submitted.
//!
//! The "Händelser" list joins the case's status history (each change with its
//! date and the handler's comment, never who made it) with the supplement
//! requests and answers and the documents. The message form is offered while
//! the current status allows messages (`messaging_allowed`; when the server
//! does not say, on every case that is not closed); a refusal from the server
//! is shown, and the form goes. A message may carry one file, uploaded first
//! (`POST /api/v1/uploads`) and sent by its id; the files of all messages can
//! be downloaded.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use shared::api::{ApplicantCase, CatalogueService};
use shared::documents::{CaseDocument, DocumentKind};
use shared::form::ChoiceDisplay;
use shared::handling::{CaseMessage, MessageAuthor, Supplement, SupplementAnswer};
use shared::signing::{ApplicantSignatureView, SignatureRole, SignatureState, SigningOutcome, SigningRequirement};
use shared::validate::{Answers, FieldError, Localized};
use shared::{Field, FieldKind, FormDefinition, StatusKind};

use super::my_pages::{format_day, is_closed, sent_label, status_explanation_of, status_name, status_name_lang};
use crate::api::{self, FetchError};
use crate::auth::{Auth, RequireLogin, use_auth};
use crate::components::{
    LoadError, Loaded, Loading, TextBlock, answer_display, answer_in_service_words, focus_id, focus_later, load,
};
use crate::i18n::{format_instant, format_size, loc, pick, set_title, tx};
use crate::upload::{Uploader, upload};

/// `id` of the page's `<h1>`, where focus goes after a supplement is sent.
const HEADING: &str = "arende-rubrik";
/// `id` of the messages' heading, where focus goes after a message is sent.
const MESSAGES: &str = "meddelanden";
/// Longest message the server takes, in characters.
const MAX_MESSAGE: usize = 10_000;
/// `id` of the message form's file input.
const MESSAGE_FILE: &str = "meddelande-fil";

#[component]
pub fn MyCase(reference: String) -> impl IntoView {
    set_title(&format!("Ärende {reference}"), &format!("Case {reference}"));
    view! {
        <RequireLogin>
            <CaseLoader reference=reference.clone() />
        </RequireLogin>
    }
}

#[component]
fn CaseLoader(reference: String) -> impl IntoView {
    let auth = use_auth();
    let reference = StoredValue::new(reference);
    let (case, retry) = load(move || {
        let r = reference.get_value();
        auth.call(move |t| async move { api::my_case(&t, &r).await })
    });
    move || match case.get() {
        None => view! { <Loading sv="Hämtar ärendet …" en="Loading the case …" /> }.into_any(),
        Some(Ok(c)) => view! { <CaseView case=c /> }.into_any(),
        Some(Err(e)) if e.is_not_found() => view! { <CaseNotFound reference=reference.get_value() /> }.into_any(),
        Some(Err(e)) if e.is_unauthorized() => ().into_any(),
        Some(Err(error)) => view! {
            <h1>{tx("Ärendet kunde inte visas", "The case could not be shown")}</h1>
            <LoadError error=error retry=retry />
        }
        .into_any(),
    }
}

#[component]
fn CaseNotFound(reference: String) -> impl IntoView {
    set_title("Ärendet finns inte", "The case does not exist");
    view! {
        <h1>{tx("Ärendet finns inte", "The case does not exist")}</h1>
        <p>
            {tx("Du har inget ärende med numret", "You have no case with the reference")} " " <strong>{reference}</strong>
            ". "
            {tx(
                "Kontrollera numret. Ett avslutat ärende raderas när tiden för att spara det har gått ut.",
                "Check the reference. A closed case is deleted when the time it is kept for has passed.",
            )}
        </p>
        <p>
            <a href="/mina-sidor">{tx("Till Mina sidor", "Go to My pages")}</a>
        </p>
    }
}

/// The page's state, shared by its sections. Cheap to copy.
#[derive(Clone, Copy)]
struct Ctx {
    auth: Auth,
    case: RwSignal<ApplicantCase>,
    /// The service with its form (for the fields' labels), loaded after the case.
    service: Loaded<CatalogueService>,
    /// Bumped after a supplement is sent: the case, its requests and documents are fetched again.
    version: RwSignal<u32>,
    /// The page's announcement under the heading, after an action.
    notice: RwSignal<Option<Localized>>,
}

impl Ctx {
    fn reference(&self) -> String {
        self.case.with_untracked(|c| c.reference.clone())
    }

    /// The form (reactive); `None` while it loads or when the service cannot be shown any more.
    fn with_form<R>(&self, f: impl FnOnce(Option<&FormDefinition>) -> R) -> R {
        self.service.with(|s| f(s.as_ref().and_then(|r| r.as_ref().ok()).map(|s| &s.form)))
    }

    /// Fetches the case again (without unmounting the page).
    fn refresh(self) {
        self.version.update(|v| *v = v.wrapping_add(1));
        let r = self.reference();
        spawn_local(async move {
            if let Ok(fresh) = self.auth.call(move |t| async move { api::my_case(&t, &r).await }).await {
                self.case.try_set(fresh);
            }
        });
    }
}

#[component]
fn CaseView(case: ApplicantCase) -> impl IntoView {
    let auth = use_auth();
    set_title(
        &format!("{} {}", case.service_name, case.reference),
        &format!("{} {}", case.service_name, case.reference),
    );
    let slug = case.service.clone();
    let (service, _) = load(move || api::service(slug.clone()));
    let ctx = Ctx { auth, case: RwSignal::new(case), service, version: RwSignal::new(0), notice: RwSignal::new(None) };
    let (supplements, supplements_retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        auth.call(move |t| async move { api::my_case_supplements(&t, &r).await })
    });
    let (documents, documents_retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        auth.call(move |t| async move { api::my_case_documents(&t, &r).await })
    });
    let (name, reference) = ctx.case.with_untracked(|c| (c.service_name.clone(), c.reference.clone()));
    view! {
        <p>
            <a class="back-link" href="/mina-sidor">
                {tx("Mina sidor", "My pages")}
            </a>
        </p>
        <h1 id=HEADING tabindex="-1">
            <span lang="sv">{name}</span>
            " "
            <span class="case-ref">{tx("ärende", "case")} " " {reference}</span>
        </h1>
        <div role="status">
            {move || {
                ctx.notice
                    .get()
                    .map(|n| {
                        view! {
                            <div class="notice">
                                <p>{move || pick(&n).to_owned()}</p>
                            </div>
                        }
                    })
            }}
        </div>
        <StatusNow ctx=ctx />
        // Asked for only where the service has signatures: other cases have no signing to show (404).
        {move || {
            let signed = ctx.service.with(|s| {
                s.as_ref().and_then(|r| r.as_ref().ok()).is_some_and(|s| s.signing != SigningRequirement::NotRequired)
            });
            signed.then(|| view! { <Signing ctx=ctx /> })
        }}
        <Supplements ctx=ctx list=supplements retry=supplements_retry />
        <Timeline ctx=ctx supplements=supplements documents=documents />
        <Messages ctx=ctx />
        <Documents ctx=ctx list=documents retry=documents_retry />
        <SubmittedAnswers ctx=ctx />
    }
}

/// The current status in words, when the case was sent, and for a closed case when it is deleted.
#[component]
fn StatusNow(ctx: Ctx) -> impl IntoView {
    move || {
        let (status, submitted_at, purge_on) =
            ctx.case.with(|c| (c.status.clone(), c.submitted_at, c.purge_on.filter(|_| is_closed(&c.status))));
        let name = status_name(&status);
        let name_lang = status_name_lang(&status);
        let (sv, en) = status_explanation_of(&status);
        let (sent_sv, sent_en) = sent_label(&status);
        view! {
            <section class="case-status-now" aria-labelledby="status-rubrik">
                <h2 id="status-rubrik">{tx("Status", "Status")}</h2>
                <p class="status-line">
                    <strong class="status-name" lang=name_lang>{move || pick(&name).to_owned()}</strong>
                </p>
                <p>{tx(sv, en)}</p>
                <dl class="facts">
                    <dt>{tx(sent_sv, sent_en)}</dt>
                    <dd>{move || format_instant(&submitted_at)}</dd>
                    {purge_on
                        .map(|day| {
                            view! {
                                <dt>{tx("Raderas", "Deleted on")}</dt>
                                <dd>{move || format_day(day)}</dd>
                            }
                        })}
                </dl>
                {purge_on
                    .map(|_| {
                        view! {
                            <p class="hint">
                                {tx(
                                    "Då raderas ärendet med alla svar, meddelanden och dokument. Ladda ner det du vill spara innan dess.",
                                    "The case is then deleted with all answers, messages and documents. Download what you want to keep before then.",
                                )}
                            </p>
                        }
                    })}
            </section>
        }
    }
}

/// The signing of a case that needed signatures (`GET /me/cases/{reference}/signing`; nothing
/// for other cases): where it is, the deadline, and each signature — who, signed, declined (with
/// the message) or not yet.
#[component]
fn Signing(ctx: Ctx) -> impl IntoView {
    let (signing, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.auth.call(move |t| async move { api::my_case_signing(&t, &r).await })
    });
    move || match signing.get() {
        None => ().into_any(),
        // Not a case that needed signatures.
        Some(Err(e)) if e.is_not_found() || e.is_unauthorized() => ().into_any(),
        Some(Err(error)) => {
            view! { <LoadError heading=("Underskrifter", "Signatures") error=error retry=retry /> }.into_any()
        }
        Some(Ok(signing)) => {
            let (sv, en) = match signing.outcome {
                SigningOutcome::Awaiting => (
                    "Ansökan väntar på underskrift. Den skickas till handläggaren först när alla har skrivit under.",
                    "The application is waiting for signatures. It is sent to the case officer only when everyone has signed.",
                ),
                SigningOutcome::Complete => (
                    "Alla har skrivit under, och ansökan är inskickad.",
                    "Everyone has signed, and the application has been sent.",
                ),
                SigningOutcome::Declined => (
                    "Ansökan är inte inskickad: någon avböjde att skriva under. Vill du ändå ansöka behöver du göra en ny ansökan.",
                    "The application has not been sent: someone declined to sign. If you still want to apply, you need to make a new application.",
                ),
                SigningOutcome::Expired => (
                    "Ansökan är inte inskickad: alla skrev inte under i tid. Vill du ändå ansöka behöver du göra en ny ansökan.",
                    "The application has not been sent: not everyone signed in time. If you still want to apply, you need to make a new application.",
                ),
            };
            let deadline = signing.deadline.filter(|_| signing.outcome == SigningOutcome::Awaiting);
            view! {
                <section class="case-signing" aria-labelledby="underskrifter-rubrik">
                    <h2 id="underskrifter-rubrik">{tx("Underskrifter", "Signatures")}</h2>
                    <p>{tx(sv, en)}</p>
                    {deadline
                        .map(|at| {
                            view! {
                                <p>
                                    {tx("Sista dag att skriva under:", "Last day to sign:")} " "
                                    <strong>{move || format_instant(&at)}</strong>
                                </p>
                            }
                        })}
                    <ul class="item-list signatures">
                        {signing.signatures.into_iter().map(|s| view! { <SignatureItem signature=s /> }).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        }
    }
}

/// One signature of the applicant's case.
#[component]
fn SignatureItem(signature: ApplicantSignatureView) -> impl IntoView {
    let ApplicantSignatureView { role, name, state, decided_at, decline_message } = signature;
    let who = match (role, name) {
        (SignatureRole::Applicant, _) => tx("Du", "You")().to_owned(),
        (SignatureRole::CoSigner, Some(name)) => name,
        (SignatureRole::CoSigner, None) => tx("Medundertecknare", "Co-signer")().to_owned(),
    };
    let (sv, en) = match state {
        SignatureState::Pending => ("Har inte skrivit under än", "Has not signed yet"),
        SignatureState::Signed => ("Har skrivit under", "Has signed"),
        SignatureState::Declined => ("Har avböjt att skriva under", "Has declined to sign"),
        SignatureState::Expired => ("Skrev inte under", "Did not sign"),
    };
    view! {
        <li class="item">
            <p>
                <strong>{who}</strong>
                ": "
                {tx(sv, en)}
                {decided_at.map(|at| view! { ", " {move || format_instant(&at)} })}
            </p>
            {decline_message
                .filter(|m| !m.trim().is_empty())
                .map(|message| {
                    view! {
                        <div class="handler-message">
                            <h3>{tx("Meddelande", "Message")}</h3>
                            <TextBlock text=message />
                        </div>
                    }
                })}
        </li>
    }
}

/// The open supplement requests, each with the handler's message and a form.
#[component]
fn Supplements(ctx: Ctx, list: Loaded<Vec<Supplement>>, retry: Callback<()>) -> impl IntoView {
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
            focus_soon(summary_focus.clone());
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
                    focus_soon(summary);
                }
                Err(e) => failure.set(Some(supplement_failure(&e))),
            }
        });
    };
    let labels: Vec<(String, String)> = fields.iter().map(|f| (f.key.clone(), f.label.clone())).collect();
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
                            let label = labels
                                .iter()
                                .find(|(k, _)| *k == e.field)
                                .map_or_else(|| e.field.clone(), |(_, l)| l.clone());
                            let target = format!("{}-f-{}", summary_id.trim_end_matches("-fel"), e.field);
                            let href = format!("#{target}");
                            let jump = move |ev: leptos::ev::MouseEvent| {
                                ev.prevent_default();
                                focus_id(&target);
                            };
                            view! {
                                <li>
                                    <a href=href on:click=jump>
                                        <span lang="sv">{label.clone()}</span>
                                        {crate::components::after_label(&label)}
                                        {move || pick(&e.message).to_owned()}
                                    </a>
                                </li>
                            }
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
                    view! { <SupplementField field=field prefix=prefix.clone() values=values errors=errors /> }
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

/// Moves focus to the element with this `id` once the page has been redrawn.
fn focus_soon(id: String) {
    request_animation_frame(move || focus_id(&id));
}

/// Why a supplement was not taken, in words.
fn supplement_failure(e: &FetchError) -> Localized {
    match e.code() {
        Some("supplement_closed") => loc(
            "Ärendet tar inte emot komplettering just nu. Ladda om sidan för att se ärendets status.",
            "The case does not take a supplement right now. Reload the page to see the case's status.",
        ),
        Some("file_supplement_unsupported") => loc(
            "Filer kan inte kompletteras här. Skicka ett meddelande till handläggaren.",
            "Files cannot be added here. Send the case officer a message.",
        ),
        Some("field_not_requested" | "unknown_field") => loc(
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

/// The text of an answer for a text-like input.
fn as_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// One field of a supplement: label, help, error (tied with `aria-describedby`) and input.
#[component]
fn SupplementField(
    field: Field,
    prefix: String,
    values: RwSignal<Answers>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let Field { key, label, help, required, kind, autocomplete, .. } = field;
    let id = format!("{prefix}-f-{key}");
    let hint_id = format!("{id}-hjalp");
    let error_id = format!("{id}-fel");
    let error_key = key.clone();
    let error = Memo::new(move |_| errors.with(|e| e.iter().find(|e| e.field == error_key).map(|e| e.message.clone())));
    let has_help = help.is_some();
    let (hint, err) = (hint_id.clone(), error_id.clone());
    let described = move || match (has_help, error.with(Option::is_some)) {
        (true, true) => Some(format!("{hint} {err}")),
        (true, false) => Some(hint.clone()),
        (false, true) => Some(err.clone()),
        (false, false) => None,
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
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
    let set_key = key.clone();
    let set = move |v: Option<Value>| {
        values.update(|a| {
            match v {
                Some(v) => a.insert(set_key.clone(), v),
                None => a.remove(&set_key),
            };
        });
        if error.with_untracked(Option::is_some) {
            let k = set_key.clone();
            errors.update(|e| e.retain(|e| e.field != k));
        }
    };
    let value_key = key.clone();
    let current = move || values.with(|a| a.get(&value_key).cloned());
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
        let options = choices
            .into_iter()
            .enumerate()
            .map(|(i, (value, text))| {
                let option_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                let (v1, v2) = (value.clone(), value);
                let current = current.clone();
                let set = set.clone();
                let checked = move || match current() {
                    Some(Value::Array(items)) => items.contains(&v1),
                    Some(v) => v == v1,
                    None => false,
                };
                let value_key = key.clone();
                let change = move |ev| {
                    if !multiple {
                        set(Some(v2.clone()));
                        return;
                    }
                    let mut items = match values.with_untracked(|a| a.get(&value_key).cloned()) {
                        Some(Value::Array(items)) => items,
                        _ => Vec::new(),
                    };
                    items.retain(|x| *x != v2);
                    if event_target_checked(&ev) {
                        items.push(v2.clone());
                    }
                    set((!items.is_empty()).then_some(Value::Array(items)));
                };
                let own_words = text.sv == text.en;
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
                            {move || pick(&text).to_owned()}
                        </label>
                    </div>
                }
            })
            .collect_view();
        return view! {
            <fieldset class="field" class:field-invalid=move || error.with(Option::is_some) aria-describedby=described>
                <legend>{caption}</legend>
                {help}
                {error_view}
                {options}
            </fieldset>
        }
        .into_any();
    }
    let control = match kind {
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
        FieldKind::SingleChoice { options, .. } => {
            let set = set.clone();
            view! {
                <select
                    id=id.clone()
                    aria-describedby=described.clone()
                    aria-invalid=invalid
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set((!v.is_empty()).then_some(Value::String(v)));
                    }
                >
                    <option value="">{tx("Välj", "Choose")}</option>
                    {options
                        .into_iter()
                        .map(|o| {
                            let value = o.value.clone();
                            let current = current.clone();
                            view! {
                                <option
                                    value=o.value
                                    prop:selected=move || as_text(current().as_ref()) == value
                                    lang="sv"
                                >
                                    {o.label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        kind => {
            let (input_type, inputmode) = match &kind {
                FieldKind::Email => ("email", None),
                FieldKind::Phone => ("tel", None),
                FieldKind::Date { .. } => ("date", None),
                FieldKind::Number { integer: true, .. } => ("text", Some("numeric")),
                FieldKind::Number { .. } => ("text", Some("decimal")),
                _ => ("text", None),
            };
            let value = move || as_text(current().as_ref());
            let set = set.clone();
            let on_input = move |ev| {
                let v = event_target_value(&ev);
                set((!v.is_empty()).then_some(Value::String(v)));
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
                view! {
                    <input
                        id=id.clone()
                        type=input_type
                        inputmode=inputmode
                        autocomplete=autocomplete.unwrap_or_else(|| "off".into())
                        aria-describedby=described.clone()
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
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id>{caption}</label>
            {help}
            {error_view}
            {control}
        </div>
    }
    .into_any()
}

/// What happened in the case so far, oldest first, from what the applicant's API gives.
#[component]
fn Timeline(ctx: Ctx, supplements: Loaded<Vec<Supplement>>, documents: Loaded<Vec<CaseDocument>>) -> impl IntoView {
    let events = move || {
        // When, what, the status it became (its name, and `lang="sv"` when it has no English one), the comment.
        type Status = Option<(Localized, Option<&'static str>)>;
        let mut events: Vec<(chrono::DateTime<chrono::Utc>, Localized, Status, Option<String>)> = Vec::new();
        events.push((
            ctx.case.with(|c| c.submitted_at),
            loc("Du skickade in ärendet.", "You sent the case."),
            None,
            None,
        ));
        ctx.case.with(|c| {
            // The first entry is the submission itself, shown above.
            for (i, change) in c.history.iter().enumerate() {
                if i == 0 && change.status.kind == StatusKind::Submitted {
                    continue;
                }
                let status = Some((status_name(&change.status), status_name_lang(&change.status)));
                let what = loc("Ärendet fick status", "The case's status became");
                events.push((change.at, what, status, change.comment.clone()));
            }
        });
        supplements.with(|s| {
            for s in s.iter().flat_map(|r| r.iter()).flatten() {
                events.push((
                    s.requested_at,
                    loc("Handläggaren bad dig komplettera ärendet.", "The case officer asked you to add to the case."),
                    None,
                    None,
                ));
                if let Some(at) = s.answered_at {
                    events.push((at, loc("Du skickade en komplettering.", "You sent a supplement."), None, None));
                }
            }
        });
        documents.with(|d| {
            for d in d.iter().flat_map(|r| r.iter()).flatten() {
                let added = match d.kind {
                    DocumentKind::Decision => Localized {
                        sv: format!("Handläggaren lade till beslutet {}.", d.name),
                        en: format!("The case officer added the decision {}.", d.name),
                    },
                    DocumentKind::Document => Localized {
                        sv: format!("Handläggaren lade till dokumentet {}.", d.name),
                        en: format!("The case officer added the document {}.", d.name),
                    },
                };
                events.push((d.created_at, added, None, None));
            }
        });
        events.sort_by_key(|(at, _, _, _)| *at);
        events
            .into_iter()
            .map(|(at, what, status, comment)| {
                view! {
                    <li>
                        <span class="timeline-when">{move || format_instant(&at)}</span>
                        " "
                        <span class="timeline-what">
                            {move || pick(&what).to_owned()}
                            {status
                                .map(|(name, lang)| {
                                    view! { " " <span lang=lang>{move || pick(&name).to_owned()}</span> "." }
                                })}
                        </span>
                        {comment
                            .map(|text| {
                                view! {
                                    <div class="timeline-comment">
                                        <span class="visually-hidden">
                                            {tx("Handläggarens kommentar: ", "The case officer's comment: ")}
                                        </span>
                                        <TextBlock text=text />
                                    </div>
                                }
                            })}
                    </li>
                }
            })
            .collect_view()
    };
    let now = move || {
        let (name, name_lang) = ctx.case.with(|c| (status_name(&c.status), status_name_lang(&c.status)));
        view! {
            <li class="timeline-now">
                <span class="timeline-when">{tx("Nu", "Now")}</span>
                " "
                <span class="timeline-what">
                    {tx("Status:", "Status:")} " " <span lang=name_lang>{move || pick(&name).to_owned()}</span>
                </span>
            </li>
        }
    };
    view! {
        <section aria-labelledby="handelser">
            <h2 id="handelser">{tx("Händelser", "What has happened")}</h2>
            <ol class="timeline">{events} {now}</ol>
        </section>
    }
}

/// The messages with the handlers, and a form to write a new one.
#[component]
fn Messages(ctx: Ctx) -> impl IntoView {
    let (list, retry) = load(move || {
        let r = ctx.reference();
        ctx.auth.call(move |t| async move { api::my_case_messages(&t, &r).await })
    });
    // Messages sent from this page, shown after the loaded ones.
    let sent = RwSignal::new(Vec::<CaseMessage>::new());
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<(&'static str, &'static str)>);
    let outcome = RwSignal::new(None::<Result<(), Localized>>);
    // The server said no messages in this status: the form goes.
    let refused = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Why a message's file could not be downloaded.
    let download_error = RwSignal::new(None::<Localized>);
    // Whether the current status allows messages; when the server does not say, any case not closed.
    let closed = move || {
        ctx.case.with(|c| {
            c.messaging_allowed == Some(false) || c.status.kind == StatusKind::Closed && c.messaging_allowed.is_none()
        })
    };
    // What happened after a message was sent (or not), with its text and file.
    let finish = move |result: Result<CaseMessage, FetchError>| {
        busy.try_set(false);
        match result {
            Ok(message) => {
                sent.update(|s| s.push(message));
                text.set(String::new());
                if let Some(input) = file_input() {
                    input.set_value("");
                }
                outcome.set(Some(Ok(())));
                focus_later(MESSAGES);
            }
            Err(e) if e.is_unauthorized() => {}
            Err(e) if e.code() == Some("messaging_closed") => {
                refused.set(true);
                outcome.set(Some(Err(loc(
                    "Meddelandet skickades inte: det går inte att skicka meddelanden i ärendet i dess nuvarande status.",
                    "The message was not sent: messages cannot be sent on the case in its current status.",
                ))));
            }
            Err(e) => {
                let why = e.user_message();
                outcome.set(Some(Err(Localized {
                    sv: format!("Meddelandet skickades inte. {}", why.sv),
                    en: format!("The message was not sent. {}", why.en),
                })));
            }
        }
    };
    let send_message = move |body: String, attachments: Vec<uuid::Uuid>| {
        let r = ctx.reference();
        spawn_local(async move {
            let result =
                ctx.auth.call(|t| async move { api::send_my_case_message(&t, &r, &body, attachments).await }).await;
            finish(result);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        outcome.set(None);
        let body = text.get_untracked().trim().to_owned();
        if body.is_empty() {
            error.set(Some(("Skriv ett meddelande.", "Write a message.")));
            focus_id("nytt-meddelande");
            return;
        }
        if body.chars().count() > MAX_MESSAGE {
            error.set(Some((
                "Meddelandet får vara högst 10 000 tecken.",
                "The message can be at most 10,000 characters.",
            )));
            focus_id("nytt-meddelande");
            return;
        }
        error.set(None);
        let file = file_input().and_then(|input| input.files()).and_then(|list| list.get(0));
        let Some(file) = file else {
            busy.set(true);
            send_message(body, Vec::new());
            return;
        };
        // The file goes first, as the applicant's upload; the message then takes it by its id.
        let Some(token) = ctx.auth.token() else {
            return;
        };
        let name = file.name();
        let done = move |result: Result<shared::api::UploadedFile, FetchError>| match result
            .and_then(|stored| stored.id.parse::<uuid::Uuid>().map_err(|_| FetchError::Decode))
        {
            Ok(id) => send_message(body, vec![id]),
            Err(e) => {
                busy.try_set(false);
                let why = match &e {
                    FetchError::Status { status: 413, .. } => loc("Filen är för stor.", "The file is too large."),
                    e => e.user_message(),
                };
                outcome.set(Some(Err(Localized {
                    sv: format!("Meddelandet skickades inte: filen {name} kunde inte laddas upp. {}", why.sv),
                    en: format!("The message was not sent: the file {name} could not be uploaded. {}", why.en),
                })));
            }
        };
        busy.set(true);
        if let Err(e) = upload(&file, Uploader { bearer: Some(&token), owner_token: None }, |_| {}, done) {
            busy.set(false);
            let why = e.user_message();
            outcome.set(Some(Err(Localized {
                sv: format!("Meddelandet skickades inte. {}", why.sv),
                en: format!("The message was not sent. {}", why.en),
            })));
        }
    };
    let described = move || error.with(Option::is_some).then_some("nytt-meddelande-fel");
    view! {
        <section aria-labelledby=MESSAGES>
            <h2 id=MESSAGES tabindex="-1">
                {tx("Meddelanden", "Messages")}
            </h2>
            {move || match list.get() {
                None => view! { <Loading sv="Hämtar meddelanden …" en="Loading messages …" /> }.into_any(),
                Some(Err(e)) if e.is_unauthorized() => ().into_any(),
                Some(Err(error)) => view! { <LoadError error=error retry=retry /> }.into_any(),
                Some(Ok(loaded)) => {
                    let all: Vec<CaseMessage> = loaded.into_iter().chain(sent.get()).collect();
                    if all.is_empty() {
                        view! {
                            <p class="empty">
                                {tx("Inga meddelanden i ärendet än.", "No messages on the case yet.")}
                            </p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <ol class="messages">
                                {all.into_iter().map(|m| message_item(ctx, m, download_error)).collect_view()}
                            </ol>
                        }
                            .into_any()
                    }
                }
            }}
            <Alert why=download_error />
            <div role="status">
                {move || {
                    matches!(outcome.get(), Some(Ok(())))
                        .then(|| {
                            view! {
                                <p class="notice">
                                    {tx("Ditt meddelande är skickat.", "Your message has been sent.")}
                                </p>
                            }
                        })
                }}
            </div>
            <div role="alert">
                {move || {
                    outcome
                        .get()
                        .and_then(Result::err)
                        .map(|why| {
                            view! {
                                <div class="alert">
                                    <p>{move || pick(&why).to_owned()}</p>
                                </div>
                            }
                        })
                }}
            </div>
            {move || {
                if closed() || refused.get() {
                    return view! {
                        <p class="hint">
                            {tx(
                                "Det går inte att skicka meddelanden i ärendet nu.",
                                "Messages cannot be sent on the case now.",
                            )}
                        </p>
                    }
                        .into_any();
                }
                view! {
                    <form novalidate on:submit=submit class="message-form">
                        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
                            <label for="nytt-meddelande">{tx("Nytt meddelande", "New message")}</label>
                            <p id="nytt-meddelande-fel" class="field-error">
                                {move || {
                                    error
                                        .get()
                                        .map(|(sv, en)| {
                                            view! {
                                                <span class="visually-hidden">{tx("Fel: ", "Error: ")}</span>
                                                {tx(sv, en)}
                                            }
                                        })
                                }}
                            </p>
                            <textarea
                                id="nytt-meddelande"
                                rows="5"
                                aria-describedby=described
                                aria-invalid=move || error.with(Option::is_some).then_some("true")
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))
                            ></textarea>
                        </div>
                        <div class="field">
                            <label for=MESSAGE_FILE>
                                {tx("Bifoga en fil", "Attach a file")}
                                <span class="optional">{tx(" (valfritt)", " (optional)")}</span>
                            </label>
                            <p id="meddelande-fil-hjalp" class="hint">
                                {tx(
                                    "En fil, till exempel en PDF eller en bild.",
                                    "One file, for example a PDF or a picture.",
                                )}
                            </p>
                            <input
                                type="file"
                                id=MESSAGE_FILE
                                class="file-input"
                                aria-describedby="meddelande-fil-hjalp"
                            />
                        </div>
                        <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                            {move || {
                                if busy.get() {
                                    tx("Skickar …", "Sending …")()
                                } else {
                                    tx("Skicka meddelande", "Send message")()
                                }
                            }}
                        </button>
                    </form>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The message form's file input, when it is on the page.
fn file_input() -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    leptos::prelude::document().get_element_by_id(MESSAGE_FILE).and_then(|e| e.dyn_into().ok())
}

/// One message: who wrote it and when, the text, its files to download, and
/// for the applicant's own whether it has been read.
fn message_item(ctx: Ctx, m: CaseMessage, download_error: RwSignal<Option<Localized>>) -> impl IntoView {
    let mine = m.author == MessageAuthor::Applicant;
    let sent_at = m.sent_at;
    let read_at = m.read_at;
    let files = (!m.attachments.is_empty()).then(|| {
        let rows = m
            .attachments
            .into_iter()
            .map(|a| {
                let path = api::my_case_message_attachment_path(&ctx.reference(), &a.id.to_string());
                let get = download_file(ctx, path, a.name.clone(), download_error);
                view! {
                    <li>
                        <button type="button" class="button-link" on:click=get>
                            {tx("Ladda ner", "Download")}
                            " "
                            {a.name}
                        </button>
                        " "
                        <span class="hint">"(" {format_size(a.size)} ")"</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="message-files">{rows}</ul> }
    });
    view! {
        <li class="message" class:message-mine=mine>
            <p class="message-meta">
                <strong>{if mine { tx("Du", "You") } else { tx("Handläggare", "Case officer") }}</strong>
                " · "
                {move || format_instant(&sent_at)}
            </p>
            <p class="message-body">{m.body}</p>
            {files}
            {mine
                .then(|| {
                    view! {
                        <p class="message-receipt">
                            {move || match read_at {
                                Some(at) => format!("{} {}", tx("Läst av handläggaren", "Read by the case officer")(), format_instant(&at)),
                                None => tx("Inte läst än", "Not read yet")().to_owned(),
                            }}
                        </p>
                    }
                })}
        </li>
    }
}

/// Why an action failed, announced when it is set.
#[component]
fn Alert(why: RwSignal<Option<Localized>>) -> impl IntoView {
    view! {
        <div role="alert">
            {move || {
                why.get()
                    .map(|why| {
                        view! {
                            <div class="alert">
                                <p>{move || pick(&why).to_owned()}</p>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// A download button's action: the file at the API `path` saved as `name`;
/// why it failed, if it did, in `error`.
fn download_file(
    ctx: Ctx,
    path: String,
    name: String,
    error: RwSignal<Option<Localized>>,
) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |_| {
        let (path, name) = (path.clone(), name.clone());
        error.set(None);
        spawn_local(async move {
            let result = ctx.auth.call(|t| async move { api::download(&path, &t, &name).await }).await;
            match result {
                Ok(()) => {}
                Err(e) if e.is_unauthorized() => {}
                Err(e) => {
                    let why = e.user_message();
                    error.set(Some(Localized {
                        sv: format!("Filen kunde inte hämtas. {}", why.sv),
                        en: format!("The file could not be downloaded. {}", why.en),
                    }));
                }
            }
        });
    }
}

/// Decisions and other documents, each with a download button.
#[component]
fn Documents(ctx: Ctx, list: Loaded<Vec<CaseDocument>>, retry: Callback<()>) -> impl IntoView {
    let error = RwSignal::new(None::<Localized>);
    let row = move |d: CaseDocument| {
        let path = api::my_case_document_path(&ctx.reference(), &d.id.to_string());
        let get = download_file(ctx, path, d.name.clone(), error);
        let decision = d.kind == DocumentKind::Decision;
        let created_at = d.created_at;
        view! {
            <li class="document" class:document-decision=decision>
                <span class="doc-kind">{if decision { tx("Beslut", "Decision") } else { tx("Dokument", "Document") }}</span>
                " "
                <button type="button" class="button-link" on:click=get>
                    {tx("Ladda ner", "Download")}
                    " "
                    {d.name}
                </button>
                " "
                <span class="hint">
                    "(" {format_size(d.size)} ", " {move || format_instant(&created_at)} ")"
                </span>
            </li>
        }
    };
    view! {
        <section aria-labelledby="dokument">
            <h2 id="dokument">{tx("Beslut och dokument", "Decisions and documents")}</h2>
            {move || match list.get() {
                None => view! { <Loading sv="Hämtar dokument …" en="Loading documents …" /> }.into_any(),
                Some(Err(e)) if e.is_unauthorized() => ().into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <p class="empty">{tx("Inga beslut eller dokument än.", "No decisions or documents yet.")}</p>
                }
                .into_any(),
                Some(Ok(items)) => view! { <ul class="documents">{items.into_iter().map(row).collect_view()}</ul> }
                    .into_any(),
            }}
            <Alert why=error />
        </section>
    }
}

/// The answers as the case holds them, in the form's order (keys without a field in the current form last).
/// The files sent with the case can be downloaded from their answers.
#[component]
fn SubmittedAnswers(ctx: Ctx) -> impl IntoView {
    let error = RwSignal::new(None::<Localized>);
    let file_list = move |files: Vec<(String, String, u64)>| {
        let items = files
            .into_iter()
            .map(|(id, name, size)| {
                let get = download_file(ctx, api::my_case_attachment_path(&ctx.reference(), &id), name.clone(), error);
                view! {
                    <li>
                        <button type="button" class="button-link" on:click=get>
                            {tx("Ladda ner", "Download")}
                            " "
                            {name}
                        </button>
                        " "
                        <span class="hint">"(" {format_size(size)} ")"</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="message-files">{items}</ul> }.into_any()
    };
    let rows = move || {
        let answers = ctx.case.with(|c| c.answers.clone());
        // (label, answer, whether the answer is in the service's words: an option's label)
        let mut rows: Vec<(String, AnyView, bool)> = Vec::with_capacity(answers.len());
        ctx.with_form(|form| {
            if let Some(form) = form {
                for (_, field) in form.fields().filter(|(_, f)| answers.contains_key(&f.key)) {
                    let value = answers.get(&field.key);
                    let files = sent_files(field, value);
                    let shown =
                        if files.is_empty() { answer_display(field, value).into_any() } else { file_list(files) };
                    rows.push((field.label.clone(), shown, answer_in_service_words(field)));
                }
            }
            for (key, value) in &answers {
                if form.is_none_or(|f| f.field(key).is_none()) {
                    let text = match value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    rows.push((key.clone(), text.into_any(), false));
                }
            }
        });
        rows.into_iter()
            .map(|(label, value, own_words)| {
                view! {
                    <div class="summary-row">
                        <dt lang="sv">{label}</dt>
                        <dd lang=own_words.then_some("sv")>{value}</dd>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="svar">
            <h2 id="svar">{tx("Dina svar", "Your answers")}</h2>
            {move || {
                if ctx.service.with(Option::is_none) {
                    view! { <Loading sv="Hämtar formuläret …" en="Loading the form …" /> }.into_any()
                } else {
                    view! { <dl class="summary">{rows}</dl> }.into_any()
                }
            }}
            <Alert why=error />
        </section>
    }
}

/// The files a file field's answer names: id, name and size of each.
fn sent_files(field: &Field, value: Option<&Value>) -> Vec<(String, String, u64)> {
    match (&field.kind, value) {
        (FieldKind::File { .. }, Some(Value::Array(files))) => files
            .iter()
            .filter_map(|f| {
                let id = f.get("id")?.as_str()?.to_owned();
                let name = f.get("name").and_then(Value::as_str).unwrap_or("fil").to_owned();
                Some((id, name, f.get("size").and_then(Value::as_u64).unwrap_or(0)))
            })
            .collect(),
        _ => Vec::new(),
    }
}
