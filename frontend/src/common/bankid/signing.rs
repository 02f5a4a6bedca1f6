//! A signature followed from its start to its end: its phase, BankID's messages and the QR
//! code while it is under way, and what it came to.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::BankIdLoginStatus;
use shared::error_code::ErrorCode;
use shared::signing::{SigningProgress, SigningStarted};
use shared::validate::Localized;

use super::{BankIdUi, OrderPoller, UNKNOWN_ERROR};
use crate::common::api::{self, FetchError};
use crate::common::i18n::loc;
use crate::common::session::Auth;

/// Where a signature order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignPhase {
    /// Nothing started (or cancelled).
    Idle,
    /// Being started by the page.
    Starting,
    /// Started: waiting for the person to scan and sign.
    Waiting,
    /// Failed at BankID (or could not be followed); the message says why.
    Failed,
    /// Signed.
    Complete,
}

/// What to say when the server refuses to finish an order it had started.
fn poll_error_text(error: &FetchError) -> Localized {
    refused_text(error).unwrap_or_else(|| loc(UNKNOWN_ERROR.0, UNKNOWN_ERROR.1))
}

/// What to say when a co-signature cannot go on: the request is answered or has run out, or
/// the answers changed since the applicant signed them.
pub fn refused_text(error: &FetchError) -> Option<Localized> {
    match () {
        _ if error.is(ErrorCode::RequestNotPending) => Some(loc(
            "Förfrågan är redan besvarad, eller så har tiden för att skriva under gått ut.",
            "The request has already been answered, or the time to sign has run out.",
        )),
        _ if error.is(ErrorCode::AnswersChanged) => Some(loc(
            "Svaren i ansökan har ändrats sedan den skrevs under, så den kan inte skrivas under. Kontakta den som ansökte.",
            "The answers of the application have changed since it was signed, so it cannot be signed. Contact the applicant.",
        )),
        _ => None,
    }
}

/// A signature followed from its start to its end. Cheap to copy.
#[derive(Clone, Copy)]
pub struct SigningFlow {
    auth: Auth,
    pub phase: RwSignal<SignPhase>,
    pub ui: BankIdUi,
    /// The started order: the text being signed, its digest, the co-signers' names.
    pub started: RwSignal<Option<SigningStarted>>,
    poller: OrderPoller,
    /// Called once with the final progress when the order is complete.
    on_complete: StoredValue<Option<Callback<SigningProgress>>>,
}

impl SigningFlow {
    pub fn new(auth: Auth) -> Self {
        let flow = SigningFlow {
            auth,
            phase: RwSignal::new(SignPhase::Idle),
            ui: BankIdUi::new(),
            started: RwSignal::new(None),
            poller: OrderPoller::new(),
            on_complete: StoredValue::new(None),
        };
        on_cleanup(move || flow.stop());
        flow
    }

    /// The page is starting an order.
    pub fn starting(self) {
        self.stop();
        self.ui.clear();
        self.ui.set_message(loc("Startar BankID …", "Starting BankID …"));
        self.phase.set(SignPhase::Starting);
    }

    /// Follows a started order, polling it every second; `done` gets the final progress.
    pub fn follow(self, started: SigningStarted, done: Callback<SigningProgress>) {
        self.stop();
        let id = started.signing_id.clone();
        self.ui.auto_start.set(Some(started.auto_start_token.clone()));
        self.started.set(Some(started));
        self.on_complete.set_value(Some(done));
        self.phase.set(SignPhase::Waiting);
        let auth = self.auth;
        let poll =
            move |id: String| async move { auth.call(|t| async move { api::poll_signing(&t, &id).await }).await };
        self.poller.follow(id, poll, move |answer| self.answer(answer));
    }

    /// What the server said of the order.
    fn answer(self, answer: Result<SigningProgress, FetchError>) {
        match answer {
            Ok(progress) => self.show(progress),
            Err(FetchError::Network) => self.fail(FetchError::Network.user_message()),
            // The session is over: the login page takes over.
            Err(e) if e.is_unauthorized() => self.stop(),
            Err(e) if e.is_not_found() => self.fail(loc(
                "Underskriften avbröts eftersom den tog för lång tid. Försök igen.",
                "The signing was cancelled because it took too long. Try again.",
            )),
            Err(e) => self.fail(poll_error_text(&e)),
        }
    }

    fn show(self, progress: SigningProgress) {
        match progress.status {
            BankIdLoginStatus::Pending => {
                if let Some(m) = &progress.message {
                    self.ui.set_message(loc(&m.sv, &m.en));
                }
                self.ui.qr.set(progress.qr_svg);
            }
            BankIdLoginStatus::Failed => {
                // The order is over at the server: nothing to cancel.
                self.poller.finished();
                let text =
                    progress.message.map_or_else(|| loc(UNKNOWN_ERROR.0, UNKNOWN_ERROR.1), |m| loc(&m.sv, &m.en));
                self.fail(text);
            }
            BankIdLoginStatus::Complete => {
                self.poller.finished();
                let done = self.on_complete.get_value();
                self.stop();
                self.ui.clear();
                self.ui.set_message(loc("Underskriften är klar.", "The signature is done."));
                self.phase.set(SignPhase::Complete);
                if let Some(done) = done {
                    done.run(progress);
                }
            }
        }
    }

    /// The order failed (or could not be started): the message says why.
    pub fn fail(self, text: Localized) {
        self.stop();
        self.ui.clear();
        self.ui.set_message(text);
        self.phase.set(SignPhase::Failed);
    }

    /// "Avbryt": cancels the order and goes back to before it.
    pub fn cancel(self) {
        self.stop();
        self.ui.clear();
        self.phase.set(SignPhase::Idle);
    }

    /// Stops polling and cancels the order at the server if one is under way.
    /// Also runs when the page goes away, so it only uses the `try_` accessors.
    pub fn stop(self) {
        if let Some(id) = self.poller.stop()
            && let Some(token) = self.auth.token()
        {
            spawn_local(async move {
                if let Err(e) = api::cancel_signing(&token, &id).await {
                    leptos::logging::warn!("cancelling the signature: {e}");
                }
            });
        }
    }
}
