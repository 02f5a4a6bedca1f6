//! `/mina-sidor/folj/{reference}#{token}`: an anonymous applicant follows their
//! case through the private link their mail gave them — its status, what has
//! happened, and the messages with the case officer, which they answer here.
//! The token is read from the address's `#` part (never sent in a request
//! line), kept for the tab in `sessionStorage` and then taken out of the
//! address, and sent as `Authorization: CaseLink …`. The answers are not shown.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::ApplicantCase;
use shared::validate::Localized;

use crate::common::api::{self, FetchError};
use crate::common::components::focus_later;
use crate::common::i18n::{format_instant, loc, pick, set_title, tx};
use crate::common::loader::{LoadError, Loading, load, show_loaded};
use crate::common::messages::message_list;
use crate::common::session::Applicant;
use crate::common::status::{status_explanation_of, status_name, status_name_lang};

/// `sessionStorage` key of a case's link token, for reloads of the page.
fn storage_key(reference: &str) -> String {
    format!("etjanster.folj.{reference}")
}

/// The token: from the address's `#` part (then kept for the tab and taken out of the
/// address), else the one kept for this tab.
fn take_token(reference: &str) -> Option<String> {
    let window = web_sys::window()?;
    let storage = window.session_storage().ok().flatten();
    let hash = window.location().hash().ok().unwrap_or_default();
    let from_address = hash.trim_start_matches('#').trim().to_owned();
    if !from_address.is_empty() {
        if let Some(s) = &storage {
            let _ = s.set_item(&storage_key(reference), &from_address);
        }
        // Out of the address bar, the history entry and a shared screenshot.
        if let Ok(history) = window.history() {
            let path = window.location().pathname().unwrap_or_default();
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
        return Some(from_address);
    }
    storage.and_then(|s| s.get_item(&storage_key(reference)).ok().flatten())
}

/// The page.
#[component]
pub fn FollowCase(reference: String) -> impl IntoView {
    set_title(&format!("Ditt ärende {reference}"), &format!("Your case {reference}"));
    match take_token(&reference) {
        None => view! {
            <h1>{tx("Länken är inte hel", "The link is not complete")}</h1>
            <p>
                {tx(
                    "Öppna länken i e-postmeddelandet igen, hela länken. Den slutar med en lång kod efter tecknet #.",
                    "Open the link in the e-mail again, the whole link. It ends with a long code after the sign #.",
                )}
            </p>
        }
        .into_any(),
        Some(token) => view! { <Followed reference=reference token=token /> }.into_any(),
    }
}

#[component]
fn Followed(reference: String, token: String) -> impl IntoView {
    let (reference, token) = (StoredValue::new(reference), StoredValue::new(token));
    let version = RwSignal::new(0u32);
    let (case, retry) = load(move || {
        version.track();
        let (r, t) = (reference.get_value(), token.get_value());
        async move { api::followed_case(&t, &r).await }
    });
    view! {
        {move || match case.get() {
            None => view! { <Loading sv="Hämtar ärendet …" en="Loading the case …" /> }.into_any(),
            Some(Err(e)) if e.is_not_found() => view! {
                <h1>{tx("Länken fungerar inte", "The link does not work")}</h1>
                <p>
                    {tx(
                        "Ärendet finns inte längre, eller så har länken stängts. Kontakta kommunen och uppge ärendenumret om du har frågor.",
                        "The case no longer exists, or the link has been closed. Contact the municipality with the case reference if you have questions.",
                    )}
                </p>
            }
            .into_any(),
            Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
            Some(Ok(c)) => view! { <CaseView case=c token=token version=version /> }.into_any(),
        }}
    }
}

#[component]
fn CaseView(case: ApplicantCase, token: StoredValue<String>, version: RwSignal<u32>) -> impl IntoView {
    let reference = StoredValue::new(case.reference.clone());
    let (sv, en) = status_explanation_of(&case.status);
    let status = status_name(&case.status);
    let status_lang = status_name_lang(&case.status);
    let messaging = case.messaging_allowed.unwrap_or(false);
    let history = case
        .history
        .iter()
        .map(|h| {
            let (name, name_lang) = (status_name(&h.status), status_name_lang(&h.status));
            let (at, comment) = (h.at, h.comment.clone());
            view! {
                <li>
                    <span class="timeline-when">{move || format_instant(&at)}</span>
                    " "
                    <span class="timeline-what">
                        {tx("Ärendet fick status", "The case's status became")} " "
                        <span lang=name_lang>{move || pick(&name).to_owned()}</span> "."
                    </span>
                    {comment.map(|text| view! { <div class="timeline-comment">{text}</div> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>
            <span lang="sv">{case.service_name.clone()}</span>
            " "
            <span class="heading-sub">{case.reference.clone()}</span>
        </h1>
        <p class="hint">
            {tx(
                "Du följer ärendet med din personliga länk. Dela den inte med någon: den som har länken kan läsa och skriva meddelanden i ärendet.",
                "You follow the case with your personal link. Do not share it: whoever has the link can read and write messages in the case.",
            )}
        </p>
        <section aria-labelledby="status-nu">
            <h2 id="status-nu">{tx("Status", "Status")}</h2>
            <p class="status-now">
                <strong lang=status_lang>{move || pick(&status).to_owned()}</strong>
            </p>
            <p>{tx(sv, en)}</p>
        </section>
        <section aria-labelledby="handelser">
            <h2 id="handelser">{tx("Vad har hänt", "What has happened")}</h2>
            <ol class="timeline">{history}</ol>
        </section>
        <Messages reference=reference token=token messaging=messaging version=version />
    }
}

#[component]
fn Messages(
    reference: StoredValue<String>,
    token: StoredValue<String>,
    messaging: bool,
    version: RwSignal<u32>,
) -> impl IntoView {
    // Bumped when a message is sent: the list is fetched again, the rest of the page stays.
    let sent = RwSignal::new(0u32);
    let (list, retry) = load(move || {
        version.track();
        sent.track();
        let (r, t) = (reference.get_value(), token.get_value());
        async move { api::followed_case_messages(&t, &r).await }
    });
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<(), Localized>>);
    let sending = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked();
        if body.trim().is_empty() {
            outcome.set(Some(Err(loc("Skriv ett meddelande först.", "Write a message first."))));
            focus_later("folj-resultat");
            return;
        }
        sending.set(true);
        outcome.set(None);
        spawn_local(async move {
            let (r, t) = (reference.get_value(), token.get_value());
            let result = api::send_followed_case_message(&t, &r, &body).await;
            sending.set(false);
            match result {
                Ok(_) => {
                    text.set(String::new());
                    outcome.set(Some(Ok(())));
                    sent.update(|v| *v += 1);
                }
                Err(e) => {
                    let why = match &e {
                        FetchError::Status { status: 409, .. } => loc(
                            "Det går inte att skicka meddelanden i ärendet nu.",
                            "Messages cannot be sent on the case now.",
                        ),
                        e => e.user_message(),
                    };
                    outcome.set(Some(Err(Localized {
                        sv: format!("Meddelandet skickades inte. {}", why.sv),
                        en: format!("The message was not sent. {}", why.en),
                    })));
                }
            }
            focus_later("folj-resultat");
        });
    };
    view! {
        <section aria-labelledby="meddelanden">
            <h2 id="meddelanden">{tx("Meddelanden", "Messages")}</h2>
            // A link refused is said too (it has no session to end).
            {move || match list.get() {
                Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
                answer => show_loaded(
                    answer,
                    retry,
                    ("Hämtar meddelanden …", "Loading messages …"),
                    |items| {
                        if items.is_empty() {
                            view! { <p class="empty">{tx("Inga meddelanden än.", "No messages yet.")}</p> }.into_any()
                        } else {
                            message_list::<Applicant>(items, None, false)
                        }
                    },
                ),
            }}
            {if messaging {
                view! {
                    <form class="stacked-form" on:submit=send>
                        <label for="folj-meddelande">{tx("Skriv till handläggaren", "Write to the case officer")}</label>
                        <textarea
                            id="folj-meddelande"
                            rows="4"
                            prop:value=text
                            on:input=move |ev| text.set(event_target_value(&ev))
                        ></textarea>
                        <button type="submit" class="button" disabled=sending>
                            {tx("Skicka meddelandet", "Send the message")}
                        </button>
                    </form>
                }
                    .into_any()
            } else {
                view! {
                    <p class="hint">
                        {tx(
                            "I ärendets nuvarande status går det inte att skicka meddelanden.",
                            "Messages cannot be sent in the case's current status.",
                        )}
                    </p>
                }
                    .into_any()
            }}
            <div role="status" aria-live="polite">
                {move || {
                    outcome
                        .get()
                        .map(|o| match o {
                            Ok(()) => view! {
                                <p id="folj-resultat" tabindex="-1" class="notice">
                                    {tx("Meddelandet är skickat.", "The message is sent.")}
                                </p>
                            }
                            .into_any(),
                            Err(why) => view! {
                                <div class="alert">
                                    <p id="folj-resultat" tabindex="-1">{move || pick(&why).to_owned()}</p>
                                </div>
                            }
                            .into_any(),
                        })
                }}
            </div>
        </section>
    }
}
