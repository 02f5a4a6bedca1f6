//! `/logga-in`: choose Mobilt BankID (animated QR code, or BankID on this
//! device) or another e-ID through the OIDC broker (Freja eID+ and others).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{BankIdLoginProgress, BankIdLoginStatus};
use shared::error_code::ErrorCode;
use shared::validate::Localized;

use crate::common::api::{self, FetchError};
use crate::common::bankid::{
    ALREADY_IN_PROGRESS, BankIdOrderPanel, BankIdUi, INTERNAL_ERROR, OrderPoller, UNKNOWN_ERROR,
};
use crate::common::components::focus_later;
use crate::common::i18n::{loc, set_title, tx};
use crate::common::router::{self, navigate};
use crate::common::session::{self as auth, Auth, DEFAULT_RETURN, use_auth};

/// The browser goes here (a full page load) for the OIDC broker.
const OIDC_START: &str = "/api/v1/auth/oidc/start";

const CHOOSE_HEADING: &str = "valj-legitimation";
const BANKID_HEADING: &str = "bankid-rubrik";

/// A text in Swedish and English.
type Pair = (&'static str, &'static str);

const STARTING: Pair = ("Startar BankID …", "Starting BankID …");
const LOGGED_IN: Pair = ("Du är inloggad.", "You are logged in.");
const GONE: Pair = (
    "Inloggningen avbröts eftersom den tog för lång tid. Försök igen.",
    "The login was cancelled because it took too long. Try again.",
);
const BANKID_OFF: Pair = (
    "Inloggning med BankID är inte tillgänglig just nu. Välj ett annat sätt att logga in.",
    "Logging in with BankID is not available right now. Choose another way to log in.",
);
const NO_CONTACT: Pair = (
    "Vi fick ingen kontakt med servern. Kontrollera din internetanslutning och försök igen.",
    "We could not reach the server. Check your internet connection and try again.",
);

fn pair(p: Pair) -> Localized {
    loc(p.0, p.1)
}

/// Which part of the page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Choose,
    BankId,
}

/// Where a BankID login is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Starting,
    Waiting,
    Failed,
    LoggedIn,
}

#[component]
pub fn Login() -> impl IntoView {
    set_title("Logga in", "Log in");
    let auth = use_auth();
    let location = router::location();
    let return_to = Memo::new(move |_| {
        location
            .query("till")
            .and_then(|t| auth::safe_return_path(&t))
            .or_else(auth::remembered_return_path)
            .unwrap_or_else(|| DEFAULT_RETURN.to_owned())
    });

    // Logged in, now or already when the page opened: go on.
    Effect::new(move |_| {
        if auth.is_logged_in() {
            auth::forget_return_path();
            navigate(&return_to.get_untracked(), true);
        }
    });

    let flow = BankIdFlow::new(auth);
    on_cleanup(move || flow.stop());

    // Keyboard and screen-reader users follow the step changes: focus goes to the new step's heading.
    Effect::new(move |previous: Option<(Step, bool)>| {
        let now = (flow.step.get(), flow.phase.get() == Phase::Failed);
        if previous.is_some_and(|p| p != now) {
            focus_later(if now.0 == Step::Choose { CHOOSE_HEADING } else { BANKID_HEADING });
        }
        now
    });

    // A message from a login that came back here (`?fel=`), until another login starts.
    let notice = move || {
        if flow.started.get() {
            return None;
        }
        location.query("fel").map(|code| notice_for(&code))
    };

    view! {
        <h1>{tx("Logga in", "Log in")}</h1>
        <p class="lead">
            {tx(
                "Logga in med e-legitimation för att se dina uppgifter och använda e-tjänsterna.",
                "Log in with e-ID to see your details and use the e-services.",
            )}
        </p>
        {move || {
            notice()
                .map(|(text, is_error)| {
                    if is_error {
                        view! {
                            <div class="alert" role="alert">
                                <p>{tx(text.0, text.1)}</p>
                            </div>
                        }
                            .into_any()
                    } else {
                        view! {
                            <div class="notice" role="status">
                                <p>{tx(text.0, text.1)}</p>
                            </div>
                        }
                            .into_any()
                    }
                })
        }}
        {move || match flow.step.get() {
            Step::Choose => view! { <ChooseMethod flow=flow return_to=return_to /> }.into_any(),
            Step::BankId => view! { <BankIdLogin flow=flow /> }.into_any(),
        }}
    }
}

/// The two ways to log in.
#[component]
fn ChooseMethod(flow: BankIdFlow, return_to: Memo<String>) -> impl IntoView {
    view! {
        <section aria-labelledby=CHOOSE_HEADING>
            <h2 id=CHOOSE_HEADING tabindex="-1">
                {tx("Välj e-legitimation", "Choose e-ID")}
            </h2>
            <ul class="login-choices">
                <li>
                    <button
                        type="button"
                        class="login-choice"
                        aria-describedby="bankid-hjalp"
                        on:click=move |_| flow.start()
                    >
                        "Mobilt BankID"
                    </button>
                    <p id="bankid-hjalp" class="hint">
                        {tx(
                            "Skanna en QR-kod med BankID-appen, eller öppna BankID på den här enheten.",
                            "Scan a QR code with the BankID app, or open BankID on this device.",
                        )}
                    </p>
                </li>
                <li>
                    // A full page load (rel="external"): the server sends the browser on to the e-ID provider.
                    <a
                        class="login-choice"
                        href=OIDC_START
                        rel="external"
                        aria-describedby="annan-hjalp"
                        on:click=move |_| auth::remember_return_path(&return_to.get_untracked())
                    >
                        {tx("Annan e-legitimation (Freja eID+ m.fl.)", "Other e-ID (Freja eID+ and others)")}
                    </a>
                    <p id="annan-hjalp" class="hint">
                        {tx(
                            "Du loggar in hos en legitimeringstjänst och kommer sedan tillbaka hit.",
                            "You log in with an identification service and then come back here.",
                        )}
                    </p>
                </li>
            </ul>
        </section>
    }
}

/// A BankID login under way: the QR code, BankID's message, and the ways on.
#[component]
fn BankIdLogin(flow: BankIdFlow) -> impl IntoView {
    let cancel = Callback::new(move |()| flow.cancel());
    view! {
        <BankIdOrderPanel
            heading_id=BANKID_HEADING
            titles=[
                ("Logga in med Mobilt BankID", "Log in with Mobile BankID"),
                ("Det gick inte att logga in", "The login did not succeed"),
            ]
            failed=Signal::derive(move || flow.phase.get() == Phase::Failed)
            done=Signal::derive(move || flow.phase.get() == Phase::LoggedIn)
            ui=flow.ui
            retry=Callback::new(move |()| flow.start())
            cancel=cancel
            back=cancel
            back_label=("Välj ett annat sätt att logga in", "Choose another way to log in")
        />
    }
}

/// The state of the BankID part of the page, and what drives it.
#[derive(Clone, Copy)]
struct BankIdFlow {
    auth: Auth,
    step: RwSignal<Step>,
    phase: RwSignal<Phase>,
    /// Whether a BankID login was started on this page (hides an old `?fel=` message).
    started: RwSignal<bool>,
    /// BankID's message, the QR code and the autostart token.
    ui: BankIdUi,
    poller: OrderPoller,
}

impl BankIdFlow {
    fn new(auth: Auth) -> Self {
        BankIdFlow {
            auth,
            step: RwSignal::new(Step::Choose),
            phase: RwSignal::new(Phase::Starting),
            started: RwSignal::new(false),
            ui: BankIdUi::new(),
            poller: OrderPoller::new(),
        }
    }

    /// Starts a (new) login and polls it every second.
    fn start(self) {
        self.stop();
        let Some(run) = self.poller.run() else { return };
        self.started.set(true);
        self.ui.qr.set(None);
        self.ui.auto_start.set(None);
        self.set_message(pair(STARTING));
        self.phase.set(Phase::Starting);
        self.step.set(Step::BankId);
        spawn_local(async move {
            let result = api::start_bankid_login().await;
            if !self.poller.is_current(run) {
                // Cancelled while starting: cancel this one too.
                if let Ok(started) = result {
                    let _ = api::cancel_bankid_login(&started.login_id).await;
                }
                return;
            }
            match result {
                Ok(started) => {
                    self.ui.auto_start.set(Some(started.auto_start_token));
                    self.phase.set(Phase::Waiting);
                    let poll = |id: String| async move { api::poll_bankid_login(&id).await };
                    self.poller.follow(started.login_id, poll, move |answer| self.answer(answer));
                }
                Err(e) => self.fail(pair(start_error_text(&e))),
            }
        });
    }

    /// What the server said of the login.
    fn answer(self, answer: Result<BankIdLoginProgress, FetchError>) {
        match answer {
            Ok(progress) => self.show(progress),
            Err(FetchError::Network) => self.fail(FetchError::Network.user_message()),
            Err(e) if e.is_not_found() => self.fail(pair(GONE)),
            Err(_) => self.fail(pair(UNKNOWN_ERROR)),
        }
    }

    fn show(self, progress: BankIdLoginProgress) {
        let BankIdLoginProgress { status, message, qr_svg, token, .. } = progress;
        match status {
            BankIdLoginStatus::Pending => {
                if let Some(message) = message {
                    self.set_message(loc(&message.sv, &message.en));
                }
                self.ui.qr.set(qr_svg);
            }
            BankIdLoginStatus::Failed => {
                // The login is over at the server: nothing to cancel.
                self.poller.finished();
                self.fail(message.map_or_else(|| pair(UNKNOWN_ERROR), |m| loc(&m.sv, &m.en)));
            }
            BankIdLoginStatus::Complete => {
                self.poller.finished();
                self.poller.stop_polling();
                match token {
                    Some(token) => {
                        self.ui.qr.set(None);
                        self.set_message(pair(LOGGED_IN));
                        self.phase.set(Phase::LoggedIn);
                        // The page's effect takes the applicant on from here.
                        self.auth.sign_in(token);
                    }
                    None => self.fail(pair(UNKNOWN_ERROR)),
                }
            }
        }
    }

    fn fail(self, text: Localized) {
        self.stop();
        self.ui.qr.set(None);
        self.ui.auto_start.set(None);
        self.set_message(text);
        self.phase.set(Phase::Failed);
    }

    /// "Avbryt": cancels the login and goes back to the choice.
    fn cancel(self) {
        self.stop();
        self.ui.qr.set(None);
        self.step.set(Step::Choose);
    }

    /// Stops polling and cancels the login at the server if one is under way.
    /// Also runs when the page goes away, so it only uses the `try_` accessors.
    fn stop(self) {
        if let Some(login_id) = self.poller.stop() {
            spawn_local(async move {
                if let Err(e) = api::cancel_bankid_login(&login_id).await {
                    leptos::logging::warn!("cancelling the BankID login: {e}");
                }
            });
        }
    }

    fn set_message(self, text: Localized) {
        self.ui.set_message(text);
    }
}

/// What to say when a BankID login cannot start.
fn start_error_text(error: &FetchError) -> Pair {
    match error {
        _ if error.is(ErrorCode::BankidAlreadyInProgress) => ALREADY_IN_PROGRESS,
        FetchError::Status { status: 404, .. } => BANKID_OFF,
        FetchError::Status { status: 503, .. } => INTERNAL_ERROR,
        FetchError::Network => NO_CONTACT,
        _ => UNKNOWN_ERROR,
    }
}

/// The message for `?fel=CODE`, and whether it is an error (else a plain notice).
fn notice_for(code: &str) -> (Pair, bool) {
    let text = match code {
        "avbruten" => (
            "Inloggningen avbröts. Försök igen, eller välj ett annat sätt att logga in.",
            "The login was cancelled. Try again, or choose another way to log in.",
        ),
        "utgangen" => (
            "Inloggningen tog för lång tid och hann gå ut. Försök igen.",
            "The login took too long and expired. Try again.",
        ),
        "otillracklig-niva" => (
            "Den e-legitimation du använde har för låg säkerhetsnivå för e-tjänsterna. Logga in med \
             Mobilt BankID eller med en annan e-legitimation med tillitsnivå 3, till exempel Freja eID+.",
            "The e-ID you used has too low a level of assurance for the e-services. Log in with Mobile BankID \
             or with another e-ID at assurance level 3, for example Freja eID+.",
        ),
        "ej-tillganglig" => (
            "Vi får ingen kontakt med tjänsten för e-legitimation just nu. Försök igen om en stund, eller \
             logga in med Mobilt BankID.",
            "We cannot reach the e-ID service right now. Try again in a while, or log in with Mobile BankID.",
        ),
        "utloggad" => {
            return (
                (
                    "Du har loggats ut eftersom det gick för lång tid. Logga in igen för att fortsätta.",
                    "You have been logged out because too much time passed. Log in again to continue.",
                ),
                false,
            );
        }
        _ => ("Det gick inte att logga in. Försök igen.", "The login did not succeed. Try again."),
    };
    (text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_return_code_has_a_swedish_message() {
        for code in ["avbruten", "utgangen", "otillracklig-niva", "ej-tillganglig", "misslyckad", "okand"] {
            let (text, is_error) = notice_for(code);
            assert!(is_error && text.0.ends_with('.') && text.1.ends_with('.'), "{code}");
        }
        assert!(!notice_for("utloggad").1);
    }

    #[test]
    fn start_errors_use_bankids_messages() {
        // The API's error body, read as the browser reads it.
        let status = |status, code: &str| FetchError::Status {
            status,
            error: serde_json::from_value(serde_json::json!({ "message": "x", "code": code, "type": "internal" })).ok(),
        };
        assert_eq!(start_error_text(&status(409, "bankid_already_in_progress")), ALREADY_IN_PROGRESS);
        assert_eq!(start_error_text(&status(503, "bankid_unavailable")), INTERNAL_ERROR);
        assert_eq!(start_error_text(&status(404, "not_found")), BANKID_OFF);
        assert_eq!(start_error_text(&status(500, "internal")), UNKNOWN_ERROR);
    }
}
