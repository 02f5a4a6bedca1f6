//! Sending the application: "Skicka in" (once, with an idempotency key), or "Signera och
//! skicka" (a BankID signature of the answers, followed on the signing step); what a refusal
//! says; and the receipt, kept for the tab so that a reload of the receipt page still shows it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{ApplicantCase, DraftView, SaveDraftRequest, SubmitCaseRequest};
use shared::error_code::ErrorCode;
use shared::signing::{SigningProgress, SigningStarted, StartSigningRequest};
use shared::status::StatusKind;
use shared::validate::{Answers, Localized};

use super::{DONE, Form, RECEIPT_KEY, SIGN, Sending, Sent, Shown, frame};
use crate::common::api::{self, FetchError};
use crate::common::bankid::{UNKNOWN_ERROR, start_error_text};
use crate::common::components::focus_later;
use crate::common::i18n::loc;
use crate::common::router;

impl Form {
    /// "Skicka in": validates everything, then sends the answers once. A
    /// double click or a retry after a network failure reuses the same
    /// idempotency key, so the server makes one case; changed answers make a new key.
    pub(super) fn submit(self) {
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
            focus_later(frame::ERROR_SUMMARY);
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
    pub(super) fn sign(self) {
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
                Err(e) if on_sign_step && !e.is(ErrorCode::ValidationFailed) => {
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
            None => self.signing.fail(loc(UNKNOWN_ERROR.0, UNKNOWN_ERROR.1)),
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
        match () {
            // A protected identity among the applicant, the child and the co-signer: the service's
            // contact route (the server's message) instead of the co-signer flow.
            _ if e.is(ErrorCode::CoSigningUnavailable) => {
                let route = server_message(&e)
                    .or_else(|| self.service.with_value(|s| s.signing_contact_route.clone()))
                    .unwrap_or_else(|| shared::signing::DEFAULT_CONTACT_ROUTE.to_owned());
                Localized { sv: route.clone(), en: route }
            }
            _ if e.is(ErrorCode::SelfCoSigning)
                || e.is(ErrorCode::ChildNotInRegister)
                || e.is(ErrorCode::InvalidCoSigner) =>
            {
                let text = match () {
                    _ if e.is(ErrorCode::SelfCoSigning) => loc(
                        "Du kan inte skriva under din egen ansökan som medundertecknare. Ange personnumret till den andra personen som ska skriva under.",
                        "You cannot co-sign your own application. Enter the personal identity number of the other person who is to sign.",
                    ),
                    _ if e.is(ErrorCode::ChildNotInRegister) => loc(
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
                    focus_later(frame::ERROR_SUMMARY);
                }
                text
            }
            _ if e.is(ErrorCode::AlreadySubmitted) => loc(
                "Ansökan är redan inskickad. Se efter på Mina sidor.",
                "The application has already been sent. Check My pages.",
            ),
            _ if e.is(ErrorCode::SigningNotRequired) => {
                self.reload_form();
                loc(
                    "E-tjänsten kräver inte längre underskrift. Kontrollera dina svar och skicka in igen.",
                    "The e-service no longer requires a signature. Check your answers and send again.",
                )
            }
            _ if e.is(ErrorCode::BankidAlreadyInProgress) => start_error_text(&e),
            _ if matches!(e, FetchError::Status { status: 503, .. }) || e.is(ErrorCode::Unavailable) => {
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
        match () {
            _ if e.is(ErrorCode::ValidationFailed) => {
                if let FetchError::Status { error: Some(error), .. } = e {
                    self.server_errors.set(error.errors);
                }
                self.summary.set(true);
                focus_later(frame::ERROR_SUMMARY);
                loc(
                    "Några svar behöver ändras innan ansökan kan skickas in.",
                    "Some answers need to be changed before the application can be sent.",
                )
            }
            _ if e.is(ErrorCode::FormVersionOutdated) => {
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

/// Separates the co-signers' names in the stored receipt.
const NAME_SEPARATOR: char = '\u{1f}';

fn store_receipt(slug: &str, sent: &Sent) {
    if let Ok(Some(storage)) = window().session_storage() {
        let names = sent.co_signers.join(&NAME_SEPARATOR.to_string());
        // The time in whole milliseconds: formatting the `f64` itself would bring the float
        // formatter (about 7 KB gzip) into the app.
        let _ = storage.set_item(RECEIPT_KEY, &format!("{slug} {} {} {names}", sent.at as i64, sent.reference));
    }
}

/// The receipt of this service's last submission in this tab, if any.
pub(super) fn stored_receipt(slug: &str) -> Option<Sent> {
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
