//! The receipt: the case reference, the service's own text and where to follow the case — or,
//! when the case waits for co-signers, who is to sign and what happens then.

use leptos::prelude::*;
use shared::api::with_english;
use shared::text::Text;

use super::{Form, HEADING, Sent, instant};
use crate::common::components::TextBlock;
use crate::common::i18n::{Own, format_date, is_en, set_title, tx};

/// The top of a receipt: its heading, the case reference, and when (`at`, unless NaN) it was
/// sent or signed.
#[component]
fn ReceiptHead(
    heading: (&'static str, &'static str),
    reference: String,
    at: f64,
    at_label: (&'static str, &'static str),
    /// The service's own heading, in place of `heading`.
    own_heading: Option<Text>,
) -> impl IntoView {
    view! {
        <div class="confirmation">
            <h1 id=HEADING tabindex="-1">
                {match own_heading {
                    Some(h) => view! { <Own text=h /> }.into_any(),
                    None => tx(heading.0, heading.1).into_any(),
                }}
            </h1>
            <p>
                {tx("Ditt ärendenummer", "Your case reference")} <br />
                <strong class="reference">{reference}</strong>
            </p>
        </div>
        {(!at.is_nan())
            .then(|| {
                view! {
                    <p>
                        {tx(at_label.0, at_label.1)} " " {move || format_date(instant(at), true)}
                    </p>
                }
            })}
    }
}

/// The last page: the case reference, the service's own text, and where to follow the case.
#[component]
pub fn Receipt(form: Form) -> impl IntoView {
    let name = form.service_name();
    let text = form.service.with_value(|s| with_english(&s.last_page_text, &s.english.last_page_text));
    let Some(Sent { reference, at, co_signers }) = form.receipt.get_untracked() else {
        return ().into_any();
    };
    if !co_signers.is_empty() {
        return view! { <AwaitingReceipt form=form reference=reference at=at co_signers=co_signers /> }.into_any();
    }
    let own_heading =
        form.service.with_value(|s| s.receipt_heading.as_ref().map(|h| with_english(h, &s.english.receipt_heading)));
    let (heading_sv, heading_en) = match &own_heading {
        Some(h) => (h.sv.as_str(), h.in_english()),
        None => ("Ditt ärende är skickat", "Your case is sent"),
    };
    set_title(&format!("{heading_sv} – {}", name.sv), &format!("{heading_en} – {}", name.in_english()));
    let logged_in = form.auth.is_logged_in();
    // An anonymous applicant who gave an address gets the case's private link by mail (the
    // server's rule: the form's contact e-mail among the answers it kept).
    let reachable = !logged_in
        && form.service.with_value(|s| {
            form.answers.with_untracked(|a| {
                shared::validate::validate(&s.form, a).ok().and_then(|kept| s.form.contact_email(&kept)).is_some()
            })
        });
    view! {
        <ReceiptHead
            heading=("Ditt ärende är skickat", "Your case is sent")
            own_heading=own_heading
            reference=reference
            at=at
            at_label=("Skickad", "Sent")
        />
        <TextBlock text=text rich=true />
        {(!logged_in)
            .then(|| {
                let (sv, en) = if reachable {
                    (
                        "Du får ett e-postmeddelande med en personlig länk. Där följer du ärendet och läser och svarar på våra meddelanden. Dela inte länken med någon.",
                        "You will get an e-mail with a personal link. There you follow the case and read and answer our messages. Do not share the link with anyone.",
                    )
                } else {
                    (
                        "Du lämnade ingen e-postadress, så vi kan inte svara dig om ärendet. Spara ärendenumret: du behöver det om du kontaktar oss.",
                        "You left no e-mail address, so we cannot answer you about the case. Keep the case reference: you need it if you contact us.",
                    )
                };
                view! { <p class="notice">{tx(sv, en)}</p> }
            })}
        {onward(logged_in)}
    }
    .into_any()
}

/// The last page when the case waits for co-signers: it reaches the handlers only when they have signed.
#[component]
fn AwaitingReceipt(form: Form, reference: String, at: f64, co_signers: Vec<String>) -> impl IntoView {
    let name = form.service_name();
    set_title(
        &format!("Ansökan väntar på underskrift – {}", name.sv),
        &format!("The application is waiting for signatures – {}", name.in_english()),
    );
    let names = co_signers.join(", ");
    let several = co_signers.len() > 1;
    view! {
        <ReceiptHead
            own_heading=None
            heading=(
                "Du har skrivit under – ansökan väntar på fler underskrifter",
                "You have signed – the application is waiting for more signatures",
            )
            reference=reference
            at=at
            at_label=("Underskriven", "Signed")
        />
        <p>
            {tx("Ansökan väntar nu på att ", "The application is now waiting for ")} <strong>{names}</strong>
            {move || match (several, is_en()) {
                (false, false) => " skriver under. Hen får en förfrågan på sin Min sida.",
                (true, false) => " skriver under. De får en förfrågan på sina Mina sidor.",
                (_, true) => " to sign. They get a request on their My pages.",
            }}
        </p>
        <p>
            <strong>
                {tx(
                    "Ansökan skickas till handläggaren först när alla har skrivit under.",
                    "The application is sent to the case officer only when everyone has signed.",
                )}
            </strong>
            " "
            {tx(
                "Om någon avböjer, eller inte skriver under i tid, skickas ansökan inte in. Du ser hur det går på Mina sidor.",
                "If someone declines, or does not sign in time, the application is not sent. You can follow it on My pages.",
            )}
        </p>
        {onward(true)}
    }
}

/// Where to go from a receipt: Mina sidor to follow the case (`follow`: for a logged-in
/// applicant), and all e-services.
fn onward(follow: bool) -> impl IntoView {
    view! {
        <ul class="link-list">
            {follow
                .then(|| {
                    view! {
                        <li>
                            <a href="/mina-sidor">{tx("Följ ärendet på Mina sidor", "Follow the case on My pages")}</a>
                        </li>
                    }
                })}
            <li>
                <a href="/">{tx("Till alla e-tjänster", "To all e-services")}</a>
            </li>
        </ul>
    }
}
