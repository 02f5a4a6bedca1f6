//! `/tjanster/:slug/ansokan`: the applicant's journey through a service.
//!
//! Steps, each its own address (`?steg=…`, so back and forward work and
//! nothing is lost): for an anonymous-friendly service the choice to log in or
//! not; for a logged-in applicant their personal data from the population
//! register; the service's own pages one at a time (shown and hidden live by
//! their conditions); a summary to check; the signing step when a service
//! requires it; the receipt. Conditions and validation run in the browser with
//! `shared::validate` — the code the server decides with — so there is no
//! request per change. A logged-in applicant's answers are saved as a draft
//! (`?utkast=…`) a second after each change and on every step change.
//!
//! This file has the loader, the application's state and its steps; `state.rs` what the state
//! does (addresses, answers, the draft), `send.rs` sending and signing, `fields.rs` and
//! `files.rs` the journey's side of the field input (the register's children, file uploads),
//! `frame.rs` what every step has (progress, error summary, buttons), `steps.rs` the steps,
//! `sign.rs` the signing step and `receipt.rs` the receipt.

mod fields;
mod files;
mod frame;
mod receipt;
mod send;
mod sign;
mod state;
mod steps;

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::prelude::*;
use shared::api::{CatalogueService, DraftView, IdentityRequirement, PersonalData, ReanswerField};
use shared::signing::SigningRequirement;
use shared::validate::{Answers, FieldError, Localized, Visibility};
use wasm_bindgen::JsValue;

use crate::common::api::{self, FetchError};
use crate::common::bankid::{SignPhase, SigningFlow};
use crate::common::components::focus_later;
use crate::common::i18n::{loc, tx};
use crate::common::loader::{LoadError, load, show_page};
use crate::common::not_found::NotFound;
use crate::common::router::{self, navigate};
use crate::common::session::{self as auth, Auth, use_auth};
use send::stored_receipt;

/// Step ids besides the form's page keys. They contain `-`, which page keys cannot.
const PERSON: &str = "dina-uppgifter";
const SUMMARY: &str = "granska-och-skicka";
const SIGN: &str = "skriv-under";
const DONE: &str = "ansokan-skickad";
/// `id` of each step's `<h1>`, which receives focus when the step changes.
const HEADING: &str = "steg-rubrik";
/// How long after the last change a draft is saved.
const AUTOSAVE_DELAY: Duration = Duration::from_secs(1);
/// How long after a failed save it is tried again.
const SAVE_RETRY: Duration = Duration::from_secs(10);
/// `sessionStorage` key of the last receipt, so a reload of the receipt page still shows it.
const RECEIPT_KEY: &str = "etjanster.kvitto";

/// Whether a service requires signing before it is submitted: its send button then starts a
/// BankID signature of the answers (`POST /catalogue/{slug}/signings`), followed on the signing step.
fn requires_signing(service: &CatalogueService) -> bool {
    service.signing != SigningRequirement::NotRequired
}

#[component]
pub fn Journey(slug: String) -> impl IntoView {
    let auth = use_auth();
    // The draft to resume (`?utkast=`), read when the form is loaded; later changes to the address are ours.
    let draft_param =
        || router::location().search.with_untracked(|s| router::query_param(s, "utkast")).filter(|d| !d.is_empty());
    // Answers kept over a reload of the form (a new form version was published meanwhile).
    let carried = StoredValue::new(None::<Answers>);
    let (loaded, reload) = load(move || {
        let (slug, draft_id) = (slug.clone(), draft_param());
        async move {
            let service = api::service(slug).await?;
            let draft = match draft_id {
                Some(id) if auth.token().is_some() => {
                    Some(auth.call(|token| async move { api::draft(&token, &id).await }).await)
                }
                _ => None,
            };
            Ok((service, draft))
        }
    });
    let service_page = move |(service, draft): (CatalogueService, Option<Result<DraftView, FetchError>>)| match draft {
        Some(Err(e)) if e.is_unauthorized() => {
            auth::send_to_login(auth, None);
            ().into_any()
        }
        Some(Err(e)) if e.is_not_found() => view! { <DraftGone /> }.into_any(),
        Some(Err(error)) => view! { <LoadError error=error retry=reload /> }.into_any(),
        Some(Ok(draft)) => {
            view! { <Application service=service draft=Some(draft) carried=carried reload=reload /> }.into_any()
        }
        None if draft_param().is_some() && auth.token().is_none() => {
            // A draft belongs to someone: log in first.
            auth::send_to_login(auth, None);
            ().into_any()
        }
        None => view! { <Application service=service draft=None carried=carried reload=reload /> }.into_any(),
    };
    move || {
        show_page(
            loaded.get(),
            reload,
            ("Hämtar e-tjänsten …", "Loading the e-service …"),
            ("E-tjänsten kunde inte visas", "The e-service could not be shown"),
            || view! { <NotFound /> }.into_any(),
            service_page,
        )
    }
}

#[component]
fn DraftGone() -> impl IntoView {
    crate::common::i18n::set_title("Utkastet finns inte", "The draft does not exist");
    view! {
        <h1>{tx("Utkastet finns inte", "The draft does not exist")}</h1>
        <p>
            {tx(
                "Utkastet kan ha skickats in eller tagits bort. På Mina sidor ser du dina utkast och ärenden.",
                "The draft may have been sent or deleted. On My pages you find your drafts and cases.",
            )}
        </p>
        <p>
            <a href="/mina-sidor">{tx("Till Mina sidor", "Go to My pages")}</a>
        </p>
    }
}

/// A step of the journey, for the progress list and for back and next.
#[derive(Debug, Clone, PartialEq)]
struct StepInfo {
    /// The `steg` value.
    id: String,
    title: Localized,
}

/// What the current address shows.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    /// Log in or continue without (anonymous-friendly services, not logged in).
    Choose,
    Person,
    /// The form's page with this index.
    Page(usize),
    Summary,
    Sign,
    Done,
    /// Not a step to show now: go to this step id instead.
    Elsewhere(String),
    /// Nothing to show (on the way to the login page).
    Nothing,
}

/// Where a submission is.
#[derive(Debug, Clone, PartialEq)]
enum Sending {
    Idle,
    Busy,
    Failed(Localized),
}

/// Where the draft's saving is, shown next to "Spara och fortsätt senare".
#[derive(Debug, Clone, PartialEq)]
enum Saved {
    Nothing,
    Saving,
    At(String),
    Failed,
}

/// A file on its way to the server.
#[derive(Clone)]
struct Upload {
    id: u32,
    field: String,
    name: String,
    /// Sent so far, 0 to 1.
    progress: f64,
    request: web_sys::XmlHttpRequest,
}

/// The state of one application, shared by its steps. Cheap to copy.
#[derive(Clone, Copy)]
struct Form {
    auth: Auth,
    service: StoredValue<CatalogueService>,
    answers: RwSignal<Answers>,
    visibility: Memo<Visibility>,
    /// The step id in the address (`?steg=`).
    step: Memo<String>,
    steps: Memo<Vec<StepInfo>>,
    shown: Memo<Shown>,
    /// Errors of the current page as the shared validation finds them.
    page_errors: Memo<Vec<FieldError>>,
    /// Fields whose errors are shown: left once, or wrong when "Nästa" was pressed.
    touched: RwSignal<BTreeSet<String>>,
    /// Errors the server gave for the last submission, until the field changes.
    server_errors: RwSignal<Vec<FieldError>>,
    /// Whether the error summary is shown on this step (after "Nästa" or "Skicka in" failed).
    summary: RwSignal<bool>,
    uploads: RwSignal<Vec<Upload>, LocalStorage>,
    upload_seq: StoredValue<u32>,
    /// Anonymous uploads: the owner token of the first, sent with the later ones and the submission.
    owner_token: StoredValue<Option<String>>,
    draft: RwSignal<Option<String>>,
    reanswer: RwSignal<Vec<ReanswerField>>,
    receipt: RwSignal<Option<Sent>>,
    /// The BankID signature of the answers (services that require signing).
    signing: SigningFlow,
    /// The applicant's data from the population register (the children of a `child` field),
    /// loaded when a page needs it.
    person: RwSignal<Option<Result<PersonalData, FetchError>>>,
    person_requested: StoredValue<bool>,
    /// Fields whose answer was filled in from the register or the e-ID (`shared::prefill`).
    prefilled: RwSignal<BTreeSet<String>>,
    sending: RwSignal<Sending>,
    saved: RwSignal<Saved>,
    /// Bumped on every change of an answer.
    generation: StoredValue<u64>,
    saved_generation: StoredValue<u64>,
    saving: StoredValue<bool>,
    save_again: StoredValue<bool>,
    /// "Spara och fortsätt senare": leave for Mina sidor once saved.
    leave_after_save: StoredValue<bool>,
    save_timer: StoredValue<Option<TimeoutHandle>>,
    /// The idempotency key of the current submit intent and the answers' generation it was made for.
    submit_key: StoredValue<Option<(String, u64)>>,
    carried: StoredValue<Option<Answers>>,
    reload: Callback<()>,
}

#[component]
fn Application(
    service: CatalogueService,
    draft: Option<DraftView>,
    carried: StoredValue<Option<Answers>>,
    reload: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let location = router::location();
    let identity = service.identity;
    let (answers, draft_id, reanswer, resume_at) = match draft {
        Some(d) => (d.answers, Some(d.id.to_string()), d.reanswer, d.current_page),
        None => (Answers::new(), None, Vec::new(), None),
    };
    // After a reload for a new form version the applicant's own answers win over the draft's.
    let answers = carried.try_update_value(Option::take).flatten().unwrap_or(answers);
    let service = StoredValue::new(service);
    let answers = RwSignal::new(answers);
    let visibility =
        Memo::new(move |_| service.with_value(|s| answers.with(|a| shared::validate::visibility(&s.form, a))));
    let step = Memo::new(move |_| location.query("steg").unwrap_or_default());
    let steps = Memo::new(move |_| {
        let logged_in = auth.is_logged_in();
        service.with_value(|s| visibility.with(|v| journey_steps(s, v, logged_in)))
    });
    let receipt = RwSignal::new(stored_receipt(&service.with_value(|s| s.slug.clone())));
    let signing = SigningFlow::new(auth);
    let shown = Memo::new(move |_| {
        let logged_in = auth.is_logged_in();
        // The signing step shows a signature under way; without one it is the summary's.
        let signing = signing.phase.get() != SignPhase::Idle;
        let id = step.get();
        if receipt.with(Option::is_some) {
            return if id == DONE { Shown::Done } else { Shown::Elsewhere(DONE.into()) };
        }
        service.with_value(|s| {
            let first = || steps.with(|st| st.first().map(|f| f.id.clone()).unwrap_or_default());
            if !logged_in && s.identity == IdentityRequirement::EId {
                return Shown::Nothing;
            }
            match id.as_str() {
                "" if !logged_in => Shown::Choose,
                "" => Shown::Elsewhere(resume_at.clone().unwrap_or_else(first)),
                PERSON if logged_in => Shown::Person,
                SUMMARY => Shown::Summary,
                SIGN if requires_signing(s) && signing => Shown::Sign,
                SIGN if requires_signing(s) => Shown::Elsewhere(SUMMARY.into()),
                key => match s.form.pages.iter().position(|p| p.key == key) {
                    Some(i) if visibility.with(|v| v.pages.contains(key)) => Shown::Page(i),
                    _ => Shown::Elsewhere(first()),
                },
            }
        })
    });
    let page_errors = Memo::new(move |_| match shown.get() {
        Shown::Page(i) => {
            service.with_value(|s| answers.with(|a| shared::validate::validate_page(&s.form, &s.form.pages[i].key, a)))
        }
        _ => Vec::new(),
    });
    let form = Form {
        auth,
        service,
        answers,
        visibility,
        step,
        steps,
        shown,
        page_errors,
        touched: RwSignal::new(BTreeSet::new()),
        server_errors: RwSignal::new(Vec::new()),
        summary: RwSignal::new(false),
        uploads: RwSignal::new_local(Vec::new()),
        upload_seq: StoredValue::new(0),
        owner_token: StoredValue::new(None),
        draft: RwSignal::new(draft_id),
        reanswer: RwSignal::new(reanswer),
        receipt,
        signing,
        person: RwSignal::new(None),
        person_requested: StoredValue::new(false),
        prefilled: RwSignal::new(BTreeSet::new()),
        sending: RwSignal::new(Sending::Idle),
        saved: RwSignal::new(Saved::Nothing),
        generation: StoredValue::new(0),
        saved_generation: StoredValue::new(0),
        saving: StoredValue::new(false),
        save_again: StoredValue::new(false),
        leave_after_save: StoredValue::new(false),
        save_timer: StoredValue::new(None),
        submit_key: StoredValue::new(None),
        carried,
        reload,
    };

    // Not logged in (any more) where that is needed: to the login page, which brings the applicant back.
    Effect::new(move |was_logged_in: Option<bool>| {
        let logged_in = auth.is_logged_in();
        if !logged_in && (identity == IdentityRequirement::EId || form.draft.with_untracked(Option::is_some)) {
            auth::send_to_login(auth, was_logged_in);
        }
        logged_in
    });
    // Answers from the population register and the e-ID, for the fields that ask for them: filled
    // in once the person's data is here where not answered yet, a locked one always.
    if service.with_value(|s| shared::prefill::asks_person(&s.form)) {
        Effect::new(move |_| {
            if auth.is_logged_in() {
                form.load_person();
            }
        });
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) {
                return true;
            }
            let Some(Ok(person)) = form.person.get() else { return false };
            service.with_value(|s| {
                for (key, value) in shared::prefill::from_person(&s.form, &person) {
                    let locked = s.form.field(&key).and_then(|f| f.prefill).is_some_and(|p| p.locked);
                    let empty =
                        form.answers.with_untracked(|a| !a.get(&key).is_some_and(shared::condition::is_answered));
                    if empty || locked {
                        form.set_answer(&key, Some(value));
                        form.prefilled.update(|p| {
                            p.insert(key);
                        });
                    }
                }
            });
            true
        });
    }
    // An address that is not a step to show now (hidden page, old link, start): go to the right one.
    Effect::new(move |_| {
        if let Shown::Elsewhere(to) = shown.get() {
            navigate(&form.url(&to), true);
        }
    });
    // A new step: the error summary goes, the draft is saved, focus goes to the new heading. (The
    // first run may already see the step an address without one was sent on to.)
    let opened_at = step.get_untracked();
    Effect::new(move |previous: Option<String>| {
        let now = step.get();
        if previous.as_ref().unwrap_or(&opened_at) != &now {
            form.summary.set(false);
            form.save_now();
            focus_later(HEADING);
        }
        now
    });
    on_cleanup(move || {
        if let Some(Some(timer)) = form.save_timer.try_get_value() {
            timer.clear();
        }
    });

    move || match shown.get() {
        Shown::Choose => view! { <steps::Choose form=form /> }.into_any(),
        Shown::Person => view! { <steps::PersonStep form=form /> }.into_any(),
        Shown::Page(i) => view! { <steps::PageStep form=form index=i /> }.into_any(),
        Shown::Summary => view! { <steps::SummaryStep form=form /> }.into_any(),
        Shown::Sign => view! { <sign::SignStep form=form /> }.into_any(),
        Shown::Done => view! { <receipt::Receipt form=form /> }.into_any(),
        Shown::Elsewhere(_) | Shown::Nothing => ().into_any(),
    }
}

/// The steps of the journey for these answers: personal data (logged in),
/// the visible pages, the summary, and signing when the service requires it.
fn journey_steps(service: &CatalogueService, visibility: &Visibility, logged_in: bool) -> Vec<StepInfo> {
    let mut steps = Vec::with_capacity(service.form.pages.len() + 3);
    if logged_in {
        steps.push(StepInfo { id: PERSON.into(), title: loc("Dina uppgifter", "Your details") });
    }
    for page in service.form.pages.iter().filter(|p| visibility.pages.contains(&p.key)) {
        steps.push(StepInfo { id: page.key.clone(), title: page.title.localized() });
    }
    steps.push(StepInfo { id: SUMMARY.into(), title: loc("Granska och skicka", "Check and send") });
    if requires_signing(service) {
        steps.push(StepInfo { id: SIGN.into(), title: loc("Skriv under", "Sign") });
    }
    steps
}

/// What the receipt shows.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    reference: String,
    /// When it was sent (or signed), in milliseconds since the epoch.
    at: f64,
    /// The co-signers the case waits for (empty when it was submitted).
    co_signers: Vec<String>,
}

/// `JsValue` of a receipt's time, for the date formatter.
fn instant(ms: f64) -> JsValue {
    JsValue::from_f64(ms)
}
