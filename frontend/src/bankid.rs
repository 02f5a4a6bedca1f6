//! The BankID panel the login page and every signature share — BankID's
//! message in a polite live region, the animated QR code (drawn by the
//! server), "Öppna BankID på den här enheten" (first on a phone) — and
//! [`SigningFlow`], which follows a started signature
//! (`GET /api/v1/signings/{id}` every second) until it is complete or has
//! failed, or cancels it (`DELETE`).
//!
//! A signature is started by its page (the applicant's answers from the
//! journey, a co-signer's request on Mina sidor), because each has its own
//! errors to show; the flow takes over from the [`SigningStarted`] answer.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::BankIdLoginStatus;
use shared::signing::{SigningProgress, SigningStarted};
use shared::validate::Localized;

use crate::api::{self, FetchError};
use crate::auth::Auth;
use crate::components::is_phone;
use crate::i18n::{is_en, loc, pick, tx};

/// How often an order is polled: the QR code changes every second.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Polls in a row without an answer before the order is given up.
pub const MAX_NETWORK_FAILURES: u32 = 10;

/// What the panel shows: BankID's message, this second's QR code and the autostart token.
#[derive(Clone, Copy)]
pub struct BankIdUi {
    /// What BankID recommends telling the user (its "RFA" messages).
    pub message: RwSignal<Localized>,
    /// This second's QR code (an SVG with role="img" and a label), while waiting for a scan.
    pub qr: RwSignal<Option<String>>,
    /// Starts BankID on this device.
    pub auto_start: RwSignal<Option<String>>,
}

impl BankIdUi {
    pub fn new() -> Self {
        BankIdUi { message: RwSignal::new(loc("", "")), qr: RwSignal::new(None), auto_start: RwSignal::new(None) }
    }

    /// Changes the message only when it changes, so the live region is not read out again every second.
    pub fn set_message(self, text: Localized) {
        if self.message.try_with_untracked(|m| *m != text) == Some(true) {
            self.message.set(text);
        }
    }

    /// The QR code and the same-device link go (the order is over or not started).
    pub fn clear(self) {
        self.qr.try_set(None);
        self.auto_start.try_set(None);
    }
}

impl Default for BankIdUi {
    fn default() -> Self {
        Self::new()
    }
}

/// The BankID part of a page: a section with its heading (which receives focus when the order
/// starts or fails), the live message, the QR code and the same-device link (the link first on
/// a phone, [`is_phone`]), then `children` (the page's buttons) in the button row.
#[component]
pub fn BankIdPanel(
    /// `id` of the section's heading.
    heading_id: &'static str,
    /// The heading's text (reactive: it changes when the order fails).
    #[prop(into)]
    title: Signal<&'static str>,
    /// Whether the order failed (the panel is marked as an error).
    #[prop(into)]
    failed: Signal<bool>,
    ui: BankIdUi,
    children: Children,
) -> impl IntoView {
    // On a phone BankID on this device is the first choice and the QR code (for another device)
    // second; elsewhere the QR code comes first. The order is decided here, not by the stylesheet,
    // so that screen readers and the keyboard meet the choices in the order they are shown.
    let phone = is_phone();
    // "Öppna BankID på den här enheten" in one of its two places: before the QR code (`first`)
    // on a phone, in the button row elsewhere.
    let same_device = move |first: bool| {
        move || {
            let token = ui.auto_start.get().filter(|_| first == phone && ui.qr.with(Option::is_some))?;
            Some(view! {
                <a
                    class=if phone { "button button-start" } else { "button button-secondary" }
                    href=format!("bankid:///?autostarttoken={token}&redirect=null")
                >
                    {tx("Öppna BankID på den här enheten", "Open BankID on this device")}
                </a>
            })
        }
    };
    view! {
        <section class="bankid" class:bankid-failed=failed aria-labelledby=heading_id>
            <h2 id=heading_id tabindex="-1">
                {title}
            </h2>
            // BankID's own words for where the order is (its "RFA" messages), read out as they change.
            <div class="bankid-message" aria-live="polite" aria-atomic="true">
                <p>{move || ui.message.with(|m| pick(m).to_owned())}</p>
            </div>
            {same_device(true)}
            {move || {
                ui.qr
                    .with(Option::is_some)
                    .then(|| {
                        view! {
                            <figure class="bankid-qr">
                                // The server draws the QR code (an SVG with role="img" and a label): no QR
                                // code library in the browser.
                                <div class="bankid-qr-code" inner_html=move || ui.qr.get().unwrap_or_default()></div>
                                <figcaption>
                                    {tx(
                                        "Öppna BankID-appen i din mobil eller surfplatta, tryck på QR-symbolen och rikta kameran mot QR-koden. Koden byts ut varje sekund.",
                                        "Open the BankID app on your phone or tablet, tap the QR symbol and point the camera at the QR code. The code changes every second.",
                                    )}
                                </figcaption>
                            </figure>
                        }
                    })
            }}
            <div class="button-row">
                {same_device(false)}
                {children()}
            </div>
        </section>
    }
}

/// The headings of a signature's [`BankIdOrderPanel`]: under way, failed.
pub const SIGN_TITLES: [(&str, &str); 2] = [
    ("Skriv under med Mobilt BankID", "Sign with Mobile BankID"),
    ("Det gick inte att skriva under", "The signing did not succeed"),
];

/// [`BankIdPanel`] with the buttons every BankID order has: "Avbryt" (`cancel`) while it is
/// under way; "Försök igen" (`retry`) and `back` once it failed; none once it is `done`.
/// One component for the login and the signatures, so that its code is there once.
#[component]
pub fn BankIdOrderPanel(
    /// `id` of the section's heading.
    heading_id: &'static str,
    /// The heading while the order is under way, and once it failed: (sv, en) each.
    titles: [(&'static str, &'static str); 2],
    #[prop(into)] failed: Signal<bool>,
    #[prop(into)] done: Signal<bool>,
    ui: BankIdUi,
    retry: Callback<()>,
    cancel: Callback<()>,
    back: Callback<()>,
    /// The text of the button that runs `back`.
    back_label: (&'static str, &'static str),
) -> impl IntoView {
    let title = Signal::derive(move || {
        let (sv, en) = titles[usize::from(failed.get())];
        if is_en() { en } else { sv }
    });
    view! {
        <BankIdPanel heading_id=heading_id title=title failed=failed ui=ui>
            {move || {
                if failed.get() {
                    view! {
                        <button type="button" class="button button-start" on:click=move |_| retry.run(())>
                            {tx("Försök igen", "Try again")}
                        </button>
                        <button type="button" class="button button-secondary" on:click=move |_| back.run(())>
                            {tx(back_label.0, back_label.1)}
                        </button>
                    }
                        .into_any()
                } else if done.get() {
                    ().into_any()
                } else {
                    view! {
                        <button type="button" class="button button-secondary" on:click=move |_| cancel.run(())>
                            {tx("Avbryt", "Cancel")}
                        </button>
                    }
                        .into_any()
                }
            }}
        </BankIdPanel>
    }
}

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

/// BankID's message when the order cannot be followed.
pub const UNKNOWN_ERROR: (&str, &str) = ("Okänt fel. Försök igen.", "Unknown error. Please try again.");
/// BankID's RFA4.
pub const ALREADY_IN_PROGRESS: (&str, &str) = (
    "En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen.",
    "An identification or signing for this personal number is already started. Please try again.",
);
/// BankID's RFA5.
pub const INTERNAL_ERROR: (&str, &str) = ("Internt tekniskt fel. Försök igen.", "Internal error. Please try again.");

/// What to say when a signature cannot be started for a reason BankID's messages cover
/// (the page handles its own refusals first).
pub fn start_error_text(error: &FetchError) -> Localized {
    match error {
        _ if error.code() == Some("bankid_already_in_progress") => loc(ALREADY_IN_PROGRESS.0, ALREADY_IN_PROGRESS.1),
        FetchError::Status { status: 503, .. } => loc(INTERNAL_ERROR.0, INTERNAL_ERROR.1),
        e => e.user_message(),
    }
}

/// What to say when the server refuses to finish an order it had started.
fn poll_error_text(error: &FetchError) -> Localized {
    match error.code() {
        Some("request_not_pending") => loc(
            "Förfrågan är redan besvarad, eller så har tiden för att skriva under gått ut.",
            "The request has already been answered, or the time to sign has run out.",
        ),
        Some("answers_changed") => loc(
            "Svaren i ansökan har ändrats sedan den skrevs under, så den kan inte skrivas under. Kontakta den som ansökte.",
            "The answers of the application have changed since it was signed, so it cannot be signed. Contact the applicant.",
        ),
        _ => loc(UNKNOWN_ERROR.0, UNKNOWN_ERROR.1),
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
    signing_id: StoredValue<Option<String>>,
    ticker: StoredValue<Option<IntervalHandle>>,
    in_flight: StoredValue<bool>,
    network_failures: StoredValue<u32>,
    /// Bumped on every start and stop: answers that arrive for an older order are dropped.
    run: StoredValue<u32>,
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
            signing_id: StoredValue::new(None),
            ticker: StoredValue::new(None),
            in_flight: StoredValue::new(false),
            network_failures: StoredValue::new(0),
            run: StoredValue::new(0),
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
        self.signing_id.set_value(Some(started.signing_id.clone()));
        self.ui.auto_start.set(Some(started.auto_start_token.clone()));
        self.started.set(Some(started));
        self.on_complete.set_value(Some(done));
        self.network_failures.set_value(0);
        self.phase.set(SignPhase::Waiting);
        self.poll();
        let ticker = set_interval_with_handle(move || self.poll(), POLL_INTERVAL).ok();
        self.ticker.set_value(ticker);
    }

    /// Asks the server where the order is (one request at a time).
    fn poll(self) {
        if self.in_flight.try_get_value() != Some(false) {
            return;
        }
        let (Some(Some(id)), Some(run)) = (self.signing_id.try_get_value(), self.run.try_get_value()) else {
            return;
        };
        self.in_flight.set_value(true);
        spawn_local(async move {
            let result = self.auth.call(|t| async move { api::poll_signing(&t, &id).await }).await;
            self.in_flight.try_set_value(false);
            if self.run.try_get_value() != Some(run) {
                return;
            }
            match result {
                Ok(progress) => {
                    self.network_failures.set_value(0);
                    self.show(progress);
                }
                Err(FetchError::Network) => {
                    let failures = self.network_failures.get_value() + 1;
                    self.network_failures.set_value(failures);
                    if failures >= MAX_NETWORK_FAILURES {
                        self.fail(FetchError::Network.user_message());
                    }
                }
                // The session is over: the login page takes over.
                Err(e) if e.is_unauthorized() => self.stop(),
                Err(e) if e.is_not_found() => self.fail(loc(
                    "Underskriften avbröts eftersom den tog för lång tid. Försök igen.",
                    "The signing was cancelled because it took too long. Try again.",
                )),
                Err(e) => self.fail(poll_error_text(&e)),
            }
        });
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
                self.signing_id.set_value(None);
                let text =
                    progress.message.map_or_else(|| loc(UNKNOWN_ERROR.0, UNKNOWN_ERROR.1), |m| loc(&m.sv, &m.en));
                self.fail(text);
            }
            BankIdLoginStatus::Complete => {
                self.signing_id.set_value(None);
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
        self.run.try_update_value(|run| *run = run.wrapping_add(1));
        if let Some(Some(ticker)) = self.ticker.try_get_value() {
            ticker.clear();
        }
        self.ticker.try_set_value(None);
        self.in_flight.try_set_value(false);
        if let Some(Some(id)) = self.signing_id.try_get_value() {
            self.signing_id.try_set_value(None);
            if let Some(token) = self.auth.token() {
                spawn_local(async move {
                    if let Err(e) = api::cancel_signing(&token, &id).await {
                        leptos::logging::warn!("cancelling the signature: {e}");
                    }
                });
            }
        }
    }
}

/// The lines of a text in BankID's `simpleMarkdownV1` as people read it: `# ` lines bold,
/// escapes undone, blank lines between groups, the checksum line left out (shown apart).
fn signed_lines(text: &str) -> impl IntoView + use<> {
    let unescape = |line: &str| {
        let mut out = String::with_capacity(line.len());
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
        }
        out
    };
    text.split('\n')
        .filter(|line| !line.trim().is_empty() && !line.starts_with("Kontrollsumma (SHA-256):"))
        .map(|line| match line.strip_prefix("# ") {
            Some(title) => view! { <p class="signed-title"><strong>{unescape(title)}</strong></p> }.into_any(),
            None => view! { <p>{unescape(line)}</p> }.into_any(),
        })
        .collect_view()
}

/// The text being signed, exactly as BankID shows it, and the digest of the answers it covers:
/// "Det här skriver du under".
#[component]
pub fn SignedText(
    /// `id` of the heading.
    heading_id: &'static str,
    /// The heading's text.
    heading: (&'static str, &'static str),
    summary: String,
    digest: String,
) -> impl IntoView {
    view! {
        <section class="signed" aria-labelledby=heading_id>
            <h2 id=heading_id>{tx(heading.0, heading.1)}</h2>
            // The text BankID shows, formatted as BankID formats it (its heading bold, its lines
            // kept), marked as Swedish; the checksum line is shown once, below, with what it means.
            <div class="signed-text" lang="sv">{signed_lines(&summary)}</div>
            <p class="digest">
                {tx("Kontrollsumma för svaren (SHA-256):", "Checksum of the answers (SHA-256):")}
                " "
                <code>{digest}</code>
            </p>
            <p class="hint">
                {tx(
                    "Kontrollsumman räknas fram ur exakt de svar som skrivs under och följer med underskriften. Ändras ett svar efteråt stämmer den inte längre.",
                    "The checksum is computed from exactly the answers being signed and goes with the signature. If an answer is changed afterwards, it no longer matches.",
                )}
            </p>
        </section>
    }
}
