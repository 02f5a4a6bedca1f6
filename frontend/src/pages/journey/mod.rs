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

mod fields;
mod steps;

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use shared::api::{
    ApplicantCase, CatalogueService, DraftView, IdentityRequirement, PersonalData, ReanswerField, SaveDraftRequest,
    SubmitCaseRequest,
};
use shared::signing::{SigningProgress, SigningRequirement, SigningStarted, StartSigningRequest};
use shared::status::StatusKind;
use shared::validate::{Answers, FieldError, Localized, Visibility};
use shared::{Field, Page};
use wasm_bindgen::JsValue;

use super::NotFound;
use crate::api::{self, FetchError};
use crate::auth::{self, Auth, use_auth};
use crate::bankid::{SignPhase, SigningFlow, start_error_text};
use crate::components::{LoadError, Loading, focus_later, load};
use crate::i18n::{loc, tx};
use crate::router::{self, navigate};

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
    move || match loaded.get() {
        None => view! { <Loading sv="Hämtar e-tjänsten …" en="Loading the e-service …" /> }.into_any(),
        Some(Ok((service, draft))) => match draft {
            Some(Err(e)) if e.is_unauthorized() => {
                auth::send_to_login(auth, None);
                ().into_any()
            }
            Some(Err(e)) if e.is_not_found() => view! { <DraftGone /> }.into_any(),
            Some(Err(error)) => view! { <LoadError error=error retry=reload /> }.into_any(),
            Some(Ok(draft)) => {
                view! { <Form service=service draft=Some(draft) carried=carried reload=reload /> }.into_any()
            }
            None if draft_param().is_some() && auth.token().is_none() => {
                // A draft belongs to someone: log in first.
                auth::send_to_login(auth, None);
                ().into_any()
            }
            None => view! { <Form service=service draft=None carried=carried reload=reload /> }.into_any(),
        },
        Some(Err(error)) if error.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(error)) => view! {
            <h1>{tx("E-tjänsten kunde inte visas", "The e-service could not be shown")}</h1>
            <LoadError error=error retry=reload />
        }
        .into_any(),
    }
}

#[component]
fn DraftGone() -> impl IntoView {
    crate::i18n::set_title("Utkastet finns inte", "The draft does not exist");
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
fn Form(
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
        Shown::Sign => view! { <steps::SignStep form=form /> }.into_any(),
        Shown::Done => view! { <steps::Receipt form=form /> }.into_any(),
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
        steps.push(StepInfo { id: page.key.clone(), title: loc(&page.title, &page.title) });
    }
    steps.push(StepInfo { id: SUMMARY.into(), title: loc("Granska och skicka", "Check and send") });
    if requires_signing(service) {
        steps.push(StepInfo { id: SIGN.into(), title: loc("Skriv under", "Sign") });
    }
    steps
}

impl Form {
    fn slug(&self) -> String {
        self.service.with_value(|s| s.slug.clone())
    }

    /// The address of a step of this application.
    fn url(&self, step: &str) -> String {
        let mut url = format!("/tjanster/{}/ansokan?steg={step}", self.slug());
        if let Some(draft) = self.draft.get_untracked() {
            url.push_str("&utkast=");
            url.push_str(&router::encode(&draft));
        }
        url
    }

    /// The step before or after the current one (`offset` -1 or 1).
    fn neighbour(&self, offset: isize) -> Option<String> {
        let current = self.step.get_untracked();
        self.steps.with_untracked(|steps| {
            let i = steps.iter().position(|s| s.id == current)?;
            steps.get(i.checked_add_signed(offset)?).map(|s| s.id.clone())
        })
    }

    fn go(&self, step: &str) {
        navigate(&self.url(step), false);
    }

    fn page<R>(&self, index: usize, f: impl FnOnce(&Page) -> R) -> Option<R> {
        self.service.with_value(|s| s.form.pages.get(index).map(f))
    }

    fn field<R>(&self, key: &str, f: impl FnOnce(&Field) -> R) -> Option<R> {
        self.service.with_value(|s| s.form.field(key).map(f))
    }

    /// The answer to a field (reactive).
    fn answer(&self, key: &str) -> Option<Value> {
        self.answers.with(|a| a.get(key).cloned())
    }

    /// Sets (or, with `None`, clears) an answer: conditions and validation follow at once,
    /// the server's old error for the field goes, and the draft is saved a moment later.
    fn set_answer(&self, key: &str, value: Option<Value>) {
        self.answers.update(|a| {
            match value {
                Some(v) => a.insert(key.to_owned(), v),
                None => a.remove(key),
            };
        });
        if self.server_errors.with_untracked(|e| e.iter().any(|e| e.field == key)) {
            self.server_errors.update(|e| e.retain(|e| e.field != key));
        }
        self.generation.update_value(|g| *g += 1);
        self.schedule_save(AUTOSAVE_DELAY);
    }

    fn touch(&self, key: &str) {
        if self.touched.with_untracked(|t| !t.contains(key)) {
            self.touched.update(|t| {
                t.insert(key.to_owned());
            });
        }
    }

    /// The error to show at a field now, if any (reactive).
    fn error(&self, key: &str) -> Option<FieldError> {
        let server = self.server_errors.with(|e| e.iter().find(|e| e.field == key).cloned());
        server.or_else(|| {
            let shown = self.touched.with(|t| t.contains(key));
            shown.then(|| self.page_errors.with(|e| e.iter().find(|e| e.field == key).cloned())).flatten()
        })
    }

    /// Whether answers can be saved as a draft: logged in and not yet submitted.
    fn keeps_draft(&self) -> bool {
        self.auth.token().is_some() && self.receipt.with_untracked(Option::is_none)
    }

    fn schedule_save(&self, delay: Duration) {
        if !self.keeps_draft() {
            return;
        }
        if let Some(Some(timer)) = self.save_timer.try_get_value() {
            timer.clear();
        }
        let form = *self;
        self.save_timer.try_set_value(set_timeout_with_handle(move || form.save_now(), delay).ok());
    }

    /// The page to resume on: the current page, or the last one from the summary.
    fn resume_page(&self) -> Option<String> {
        match self.shown.get_untracked() {
            Shown::Page(i) => self.page(i, |p| p.key.clone()),
            Shown::Summary | Shown::Sign => {
                let visible = self.visibility.with_untracked(|v| v.pages.clone());
                self.service
                    .with_value(|s| s.form.pages.iter().rev().find(|p| visible.contains(&p.key)).map(|p| p.key.clone()))
            }
            _ => None,
        }
    }

    /// Saves the draft now (one save at a time; a change during a save is saved right after).
    fn save_now(self) {
        if let Some(Some(timer)) = self.save_timer.try_get_value() {
            timer.clear();
        }
        self.save_timer.try_set_value(None);
        if !self.keeps_draft() {
            return;
        }
        if self.saving.get_value() {
            self.save_again.set_value(true);
            return;
        }
        let generation = self.generation.get_value();
        let draft = self.draft.get_untracked();
        // Nothing answered yet: no draft to keep.
        if draft.is_none() && self.answers.with_untracked(Answers::is_empty) {
            return;
        }
        self.saving.set_value(true);
        self.saved.set(Saved::Saving);
        spawn_local(async move {
            let result = self.save(draft).await;
            self.saving.try_set_value(false);
            if self.receipt.try_with_untracked(Option::is_some) != Some(false) {
                return;
            }
            match result {
                Ok(view) => {
                    self.saved_generation.set_value(generation);
                    self.saved.set(Saved::At(crate::i18n::format_instant(&view.updated_at)));
                    if self.draft.with_untracked(Option::is_none) {
                        self.draft.set(Some(view.id.to_string()));
                        navigate(&self.url(&self.step.get_untracked()), true);
                    }
                    if view.form_version != self.service.with_value(|s| s.form_version) {
                        return self.reload_form();
                    }
                }
                Err(e) if e.code() == Some("form_version_outdated") => return self.reload_form(),
                Err(e) => {
                    self.saved.set(Saved::Failed);
                    self.leave_after_save.set_value(false);
                    if !e.is_unauthorized() {
                        self.schedule_save(SAVE_RETRY);
                    }
                    return;
                }
            }
            if self.save_again.get_value() {
                self.save_again.set_value(false);
                self.save_now();
            } else if self.leave_after_save.get_value() {
                navigate("/mina-sidor?sparat=1", false);
            }
        });
    }

    /// One save: creates the draft the first time, then replaces its answers.
    async fn save(self, draft: Option<String>) -> Result<DraftView, FetchError> {
        let answers = self.answers.get_untracked();
        match draft {
            None => {
                let slug = self.slug();
                self.auth.call(|token| async move { api::create_draft(&token, &slug, &answers).await }).await
            }
            Some(id) => {
                let body = SaveDraftRequest {
                    form_version: self.service.with_value(|s| s.form_version),
                    answers,
                    current_page: self.resume_page(),
                };
                self.auth.call(|token| async move { api::save_draft(&token, &id, &body).await }).await
            }
        }
    }

    /// The form changed on the server: load it again, keeping the answers
    /// (the draft, when there is one, is moved to the new version by the server).
    fn reload_form(self) {
        if self.draft.with_untracked(Option::is_none) {
            self.carried.set_value(Some(self.answers.get_untracked()));
        } else if let Some(id) = self.draft.get_untracked() {
            // The loader reads the draft from the address.
            navigate(&format!("/tjanster/{}/ansokan?utkast={}", self.slug(), router::encode(&id)), true);
        }
        self.reload.run(());
    }

    /// Loads the applicant's data from the register once (the children of a `child` field).
    fn load_person(self) {
        if self.person_requested.get_value() || self.auth.token().is_none() {
            return;
        }
        self.person_requested.set_value(true);
        self.person.set(None);
        spawn_local(async move {
            let result = self.auth.call(|t| async move { api::personal_data(&t).await }).await;
            self.person.try_set(Some(result));
        });
    }

    /// Loads the applicant's data from the register again (after a failure).
    fn reload_person(self) {
        self.person_requested.set_value(false);
        self.load_person();
    }

    /// The name of one of the applicant's children (reactive).
    fn child_name(&self, personnummer: &str) -> Option<String> {
        self.person.with(|p| {
            let person = p.as_ref()?.as_ref().ok()?;
            person.children.iter().find(|c| c.personnummer == personnummer).map(|c| c.name.clone())
        })
    }

    /// "Skicka in": validates everything, then sends the answers once. A
    /// double click or a retry after a network failure reuses the same
    /// idempotency key, so the server makes one case; changed answers make a new key.
    fn submit(self) {
        if self.sending.get_untracked() == Sending::Busy {
            return;
        }
        let Some(key) = self.checked_key() else { return };
        self.sending.set(Sending::Busy);
        spawn_local(async move {
            // A save under way finishes first, so the draft holds these answers when it is submitted.
            while self.saving.try_get_value() == Some(true) {
                sleep(50).await;
            }
            let result = self.send(&key).await;
            match result {
                Ok(case) => {
                    if let Some(Some(timer)) = self.save_timer.try_get_value() {
                        timer.clear();
                    }
                    self.sending.set(Sending::Idle);
                    self.sent(&case, Vec::new());
                }
                Err(e) => self.sending.set(Sending::Failed(self.submit_failure(e))),
            }
        });
    }

    /// Validates every answer as the server will (errors go to the summary) and gives the
    /// idempotency key of this intent: the same while the answers are unchanged.
    fn checked_key(self) -> Option<String> {
        let all = self.service.with_value(|s| self.answers.with_untracked(|a| shared::validate(&s.form, a)));
        if let Err(errors) = all {
            self.server_errors.set(errors);
            self.summary.set(true);
            focus_later(steps::ERROR_SUMMARY);
            return None;
        }
        let generation = self.generation.get_value();
        let key = match self.submit_key.get_value() {
            Some((key, g)) if g == generation => key,
            _ => new_key(),
        };
        self.submit_key.set_value(Some((key.clone(), generation)));
        Some(key)
    }

    /// The case is made (submitted, or waiting for `co_signers`): the receipt.
    fn sent(self, case: &ApplicantCase, co_signers: Vec<String>) {
        if let Some(Some(timer)) = self.save_timer.try_get_value() {
            timer.clear();
        }
        let receipt =
            Sent { reference: case.reference.clone(), at: case.submitted_at.timestamp_millis() as f64, co_signers };
        store_receipt(&self.slug(), &receipt);
        self.receipt.set(Some(receipt));
        // The draft is gone with the submission: the receipt's address does not name it.
        self.draft.set(None);
        self.go(DONE);
    }

    /// "Signera och skicka": validates every answer like "Skicka in", saves the draft, and starts
    /// the BankID signature of the answers; the signing step shows it (the text, its digest, the
    /// QR code) until it is signed. From the signing step ("Försök igen") it starts a new order.
    fn sign(self) {
        if self.sending.get_untracked() == Sending::Busy {
            return;
        }
        let Some(key) = self.checked_key() else { return };
        let on_sign_step = self.shown.get_untracked() == Shown::Sign;
        self.sending.set(Sending::Busy);
        self.signing.starting();
        spawn_local(async move {
            while self.saving.try_get_value() == Some(true) {
                sleep(50).await;
            }
            let result = self.start_signing(&key).await;
            self.sending.try_set(Sending::Idle);
            match result {
                Ok(started) => {
                    let co_signers = started.co_signers.clone();
                    let done =
                        Callback::new(move |progress: SigningProgress| self.signed(progress, co_signers.clone()));
                    self.signing.follow(started, done);
                    if !on_sign_step {
                        self.go(SIGN);
                    }
                }
                // The session is over: the login page takes over.
                Err(e) if e.is_unauthorized() => self.signing.cancel(),
                Err(e) if on_sign_step && e.code() != Some("validation_failed") => {
                    self.signing.fail(self.sign_failure(e));
                }
                Err(e) => {
                    self.signing.cancel();
                    let why = self.sign_failure(e);
                    self.sending.set(Sending::Failed(why));
                }
            }
        });
    }

    /// Saves the draft (when there is one) and starts the signature.
    async fn start_signing(self, key: &str) -> Result<SigningStarted, FetchError> {
        let answers = self.answers.get_untracked();
        let form_version = self.service.with_value(|s| s.form_version);
        let owner = self.owner_token.get_value();
        let draft = match self.draft.get_untracked() {
            Some(id) => Some(self.save_draft_first(id, form_version, answers.clone()).await?.id),
            None => None,
        };
        let body = StartSigningRequest { form_version, answers, draft, same_device: false };
        let slug = self.slug();
        self.auth.call(|t| async move { api::start_signing(&t, &slug, &body, key, owner.as_deref()).await }).await
    }

    /// The applicant has signed: the case is made, submitted or waiting for the co-signers.
    fn signed(self, progress: SigningProgress, co_signers: Vec<String>) {
        match progress.case {
            Some(case) => {
                let waiting = case.status.kind == StatusKind::AwaitingSignatures;
                self.sent(&case, if waiting { co_signers } else { Vec::new() });
            }
            None => self.signing.fail(loc(crate::bankid::UNKNOWN_ERROR.0, crate::bankid::UNKNOWN_ERROR.1)),
        }
    }

    /// What to do and say when a signature could not be started.
    fn sign_failure(self, e: FetchError) -> Localized {
        let server_message = |e: &FetchError| match e {
            FetchError::Status { error: Some(error), .. } if !error.message.trim().is_empty() => {
                Some(error.message.clone())
            }
            _ => None,
        };
        match e.code() {
            // A protected identity among the applicant, the child and the co-signer: the service's
            // contact route (the server's message) instead of the co-signer flow.
            Some("co_signing_unavailable") => {
                let route = server_message(&e)
                    .or_else(|| self.service.with_value(|s| s.signing_contact_route.clone()))
                    .unwrap_or_else(|| shared::signing::DEFAULT_CONTACT_ROUTE.to_owned());
                Localized { sv: route.clone(), en: route }
            }
            Some(code @ ("self_co_signing" | "child_not_in_register" | "invalid_co_signer")) => {
                let text = match code {
                    "self_co_signing" => loc(
                        "Du kan inte skriva under din egen ansökan som medundertecknare. Ange personnumret till den andra personen som ska skriva under.",
                        "You cannot co-sign your own application. Enter the personal identity number of the other person who is to sign.",
                    ),
                    "child_not_in_register" => loc(
                        "Barnet du valde finns inte som ditt barn i folkbokföringen. Välj ett annat barn eller kontakta kommunen.",
                        "The child you chose is not registered as your child in the population register. Choose another child or contact the municipality.",
                    ),
                    _ => server_message(&e).map_or_else(
                        || {
                            loc(
                                "Den som ska skriva under med dig kan inte göra det här. Kontrollera personnumret.",
                                "The person who is to sign with you cannot do so here. Check the personal identity number.",
                            )
                        },
                        |m| Localized { sv: m.clone(), en: m },
                    ),
                };
                // On the field it concerns, when the server names it.
                if let FetchError::Status { error: Some(error), .. } = &e
                    && !error.errors.is_empty()
                {
                    self.server_errors.set(error.errors.clone());
                    self.summary.set(true);
                    focus_later(steps::ERROR_SUMMARY);
                }
                text
            }
            Some("already_submitted") => loc(
                "Ansökan är redan inskickad. Se efter på Mina sidor.",
                "The application has already been sent. Check My pages.",
            ),
            Some("signing_not_required") => {
                self.reload_form();
                loc(
                    "E-tjänsten kräver inte längre underskrift. Kontrollera dina svar och skicka in igen.",
                    "The e-service no longer requires a signature. Check your answers and send again.",
                )
            }
            Some("bankid_already_in_progress") => start_error_text(&e),
            _ if matches!(e, FetchError::Status { status: 503, .. }) || e.code() == Some("unavailable") => {
                server_message(&e).map_or_else(|| start_error_text(&e), |m| Localized { sv: m.clone(), en: m })
            }
            _ => self.submit_failure(e),
        }
    }

    /// Saves the draft with the answers before they are sent or signed (one function for both).
    async fn save_draft_first(self, id: String, form_version: u32, answers: Answers) -> Result<DraftView, FetchError> {
        let body = SaveDraftRequest { form_version, answers, current_page: self.resume_page() };
        self.saving.set_value(true);
        let saved = self.auth.call(|t| async move { api::save_draft(&t, &id, &body).await }).await;
        self.saving.try_set_value(false);
        saved
    }

    async fn send(self, key: &str) -> Result<ApplicantCase, FetchError> {
        let answers = self.answers.get_untracked();
        let form_version = self.service.with_value(|s| s.form_version);
        let owner = self.owner_token.get_value();
        match self.draft.get_untracked() {
            Some(id) if self.auth.token().is_some() => {
                let id = self.save_draft_first(id, form_version, answers).await?.id.to_string();
                self.auth.call(|t| async move { api::submit_draft(&t, &id, key, owner.as_deref()).await }).await
            }
            _ => {
                let body = SubmitCaseRequest { form_version, answers };
                let slug = self.slug();
                let token = self.auth.token();
                api::submit_case(token.as_deref(), &slug, &body, key, owner.as_deref()).await
            }
        }
    }

    /// What to do and say when a submission failed.
    fn submit_failure(self, e: FetchError) -> Localized {
        match e.code() {
            Some("validation_failed") => {
                if let FetchError::Status { error: Some(error), .. } = e {
                    self.server_errors.set(error.errors);
                }
                self.summary.set(true);
                focus_later(steps::ERROR_SUMMARY);
                loc(
                    "Några svar behöver ändras innan ansökan kan skickas in.",
                    "Some answers need to be changed before the application can be sent.",
                )
            }
            Some("form_version_outdated") => {
                self.reload_form();
                loc(
                    "Formuläret har ändrats. Kontrollera dina svar och skicka in igen.",
                    "The form has changed. Check your answers and send again.",
                )
            }
            _ if e.is_not_found() => loc(
                "Ansökan kan redan vara inskickad. Se efter på Mina sidor innan du försöker igen.",
                "The application may already have been sent. Check My pages before you try again.",
            ),
            _ => e.user_message(),
        }
    }
}

/// A new idempotency key: a random UUID from the browser (a time and random
/// number where `crypto.randomUUID` is missing; it only needs to be unique).
fn new_key() -> String {
    window()
        .crypto()
        .ok()
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k-{}-{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e15) as u64))
}

/// Waits `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
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

/// Separates the co-signers' names in the stored receipt.
const NAME_SEPARATOR: char = '\u{1f}';

fn store_receipt(slug: &str, sent: &Sent) {
    if let Ok(Some(storage)) = window().session_storage() {
        let names = sent.co_signers.join(&NAME_SEPARATOR.to_string());
        let _ = storage.set_item(RECEIPT_KEY, &format!("{slug} {} {} {names}", sent.at, sent.reference));
    }
}

/// The receipt of this service's last submission in this tab, if any.
fn stored_receipt(slug: &str) -> Option<Sent> {
    let stored = window().session_storage().ok().flatten()?.get_item(RECEIPT_KEY).ok().flatten()?;
    let mut parts = stored.splitn(4, ' ');
    let (s, at, reference) = (parts.next()?, parts.next()?, parts.next()?);
    let co_signers =
        parts.next().unwrap_or_default().split(NAME_SEPARATOR).filter(|n| !n.is_empty()).map(str::to_owned).collect();
    // Only on the receipt's own address: a new application of the same service starts afresh.
    let on_receipt = router::location().query("steg").as_deref() == Some(DONE);
    (s == slug && on_receipt).then(|| Sent {
        reference: reference.to_owned(),
        at: at.parse().unwrap_or(f64::NAN),
        co_signers,
    })
}

/// The answer's text for a text-like input.
fn as_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// `JsValue` of a receipt's time, for the date formatter.
fn instant(ms: f64) -> JsValue {
    JsValue::from_f64(ms)
}
