//! BankID in the browser, for the login page and every signature: the BankID panel — BankID's
//! message in a polite live region, the animated QR code (drawn by the server), "Öppna BankID på
//! den här enheten" (first on a phone) — [`OrderPoller`], which follows an order until it is over
//! (`poller.rs`), and [`SigningFlow`], a signature followed from its start to its end, or
//! cancelled (`signing.rs`). The text being signed is shown by [`SignedText`].
//!
//! A signature is started by its page (the applicant's answers from the journey, a co-signer's
//! request on Mina sidor), because each has its own errors to show; the flow takes over from the
//! [`SigningStarted`](shared::signing::SigningStarted) answer.

mod poller;
mod signing;

pub use poller::OrderPoller;
pub use signing::{SignPhase, SigningFlow, refused_text};

use leptos::prelude::*;
use shared::error_code::ErrorCode;
use shared::validate::Localized;

use crate::common::api::FetchError;
use crate::common::components::is_phone;
use crate::common::i18n::{is_en, loc, pick, tx};

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
        _ if error.is(ErrorCode::BankidAlreadyInProgress) => loc(ALREADY_IN_PROGRESS.0, ALREADY_IN_PROGRESS.1),
        FetchError::Status { status: 503, .. } => loc(INTERNAL_ERROR.0, INTERNAL_ERROR.1),
        e => e.user_message(),
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
