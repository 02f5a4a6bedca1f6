//! `/mina-sidor/underskrifter/{id}`: a request to co-sign someone's
//! application (for example the other guardian's). The co-signer reads
//! exactly what they are asked to sign — the text the applicant signed, and the
//! digest of the answers — and signs it with BankID (the order can only be
//! completed by them), or declines with an optional message to the applicant.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::error_code::ErrorCode;
use shared::signing::{SignatureRequestView, SignatureState, SigningProgress};
use shared::validate::Localized;

use crate::common::api::{self, FetchError};
use crate::common::bankid::{
    BankIdOrderPanel, SIGN_TITLES, SignPhase, SignedText, SigningFlow, refused_text, start_error_text,
};
use crate::common::components::{focus_id, focus_later};
use crate::common::i18n::{format_instant, is_en, loc, pick, set_title, tx};
use crate::common::loader::{load, show_page};
use crate::common::session::{Auth, RequireLogin, use_auth};
use crate::common::status::{request_state_text, status_name, status_name_lang};

/// `id` of the page's `<h1>`, where focus goes when the request is signed or declined.
const HEADING: &str = "forfragan-rubrik";
/// `id` of the BankID panel's heading.
const PANEL: &str = "bankid-underskrift";
/// `id` of the decline message's text area.
const MESSAGE: &str = "avboj-meddelande";
/// Longest message to the applicant, in characters (as the server counts).
const MAX_MESSAGE: usize = 1000;

#[component]
pub fn SignatureRequestPage(id: String) -> impl IntoView {
    set_title("Förfrågan om underskrift", "Request to sign");
    view! {
        <RequireLogin>
            <Loader id=id.clone() />
        </RequireLogin>
    }
}

#[component]
fn Loader(id: String) -> impl IntoView {
    let auth = use_auth();
    let id = StoredValue::new(id);
    let (request, retry) = load(move || {
        let id = id.get_value();
        auth.call(move |t| async move { api::signature_request(&t, &id).await })
    });
    move || {
        show_page(
            request.get(),
            retry,
            ("Hämtar förfrågan …", "Loading the request …"),
            ("Förfrågan kunde inte visas", "The request could not be shown"),
            || view! { <RequestNotFound /> }.into_any(),
            |r| view! { <RequestView request=r /> }.into_any(),
        )
    }
}

#[component]
fn RequestNotFound() -> impl IntoView {
    set_title("Förfrågan finns inte", "The request does not exist");
    view! {
        <h1>{tx("Förfrågan finns inte", "The request does not exist")}</h1>
        <p>
            {tx(
                "Det finns ingen förfrågan om underskrift till dig med den här adressen.",
                "There is no request for your signature at this address.",
            )}
        </p>
        <p>
            <a href="/mina-sidor?flik=underskrifter">{tx("Till dina underskrifter", "To your signatures")}</a>
        </p>
    }
}

/// The request, what it asks to sign, and the ways to answer it.
#[component]
fn RequestView(request: SignatureRequestView) -> impl IntoView {
    let auth = use_auth();
    set_title(
        &format!("Förfrågan om underskrift – {}", request.service_name),
        &format!("Request to sign – {}", request.service_name),
    );
    let request = RwSignal::new(request);
    let id = request.with_untracked(|r| r.id.to_string());
    let flow = SigningFlow::new(auth);
    // What happened, announced politely (done) or at once (refused).
    let notice = RwSignal::new(None::<Localized>);
    let failure = RwSignal::new(None::<Localized>);
    let declining = RwSignal::new(false);
    let pending = move || request.with(|r| r.state == SignatureState::Pending);

    // The panel appears (or fails): focus goes to its heading, as on the login page.
    Effect::new(move |previous: Option<SignPhase>| {
        let now = flow.phase.get();
        if previous.is_some_and(|p| p != now) && matches!(now, SignPhase::Waiting | SignPhase::Failed) {
            focus_later(PANEL);
        }
        now
    });

    let signed = Callback::new(move |progress: SigningProgress| {
        if let Some(view) = progress.request {
            request.set(view);
        } else {
            request.update(|r| r.state = SignatureState::Signed);
        }
        notice.set(Some(loc(
            "Du har skrivit under. Tack! Den som ansökte ser det på sina Mina sidor.",
            "You have signed. Thank you! The applicant sees it on their My pages.",
        )));
        focus_later(HEADING);
    });
    let sign_id = id.clone();
    let sign = Callback::new(move |()| {
        if matches!(flow.phase.get_untracked(), SignPhase::Starting | SignPhase::Waiting) {
            return;
        }
        failure.set(None);
        notice.set(None);
        declining.set(false);
        flow.starting();
        let (id, again) = (sign_id.clone(), sign_id.clone());
        spawn_local(async move {
            let result = auth.call(|t| async move { api::sign_request(&t, &id).await }).await;
            match result {
                Ok(started) => flow.follow(started, signed),
                Err(e) if e.is_unauthorized() => flow.cancel(),
                Err(e) => {
                    flow.cancel();
                    failure.set(Some(sign_failure(&e)));
                    if e.is(ErrorCode::RequestNotPending) {
                        reload(auth, again, request);
                    }
                    focus_later(HEADING);
                }
            }
        });
    });
    let (service_name, summary, digest) =
        request.with_untracked(|r| (r.service_name.clone(), r.summary.clone(), r.digest.clone()));
    view! {
        <p>
            <a class="back-link" href="/mina-sidor?flik=underskrifter">
                {tx("Underskrifter", "Signatures")}
            </a>
        </p>
        <p class="caption">{tx("Förfrågan om underskrift", "Request to sign")}</p>
        <h1 id=HEADING tabindex="-1" lang="sv">
            {service_name}
        </h1>
        <div role="status">
            {move || {
                notice
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
        <div role="alert">
            {move || {
                failure
                    .get()
                    .map(|f| {
                        view! {
                            <div class="alert">
                                <p>{move || pick(&f).to_owned()}</p>
                            </div>
                        }
                    })
            }}
        </div>
        {move || {
            pending()
                .then(|| {
                    view! {
                        <p class="lead">
                            {tx(
                                "Du har fått en förfrågan att skriva under en ansökan. Läs igenom det du skriver under. Ansökan skickas in först när alla har skrivit under.",
                                "You have been asked to sign an application. Read what you sign. The application is sent only when everyone has signed.",
                            )}
                        </p>
                    }
                })
        }}
        <Facts request=request />
        <SignedText
            heading_id="det-har-skriver-du-under"
            heading=("Det här skriver du under", "This is what you sign")
            summary=summary
            digest=digest
        />
        {move || {
            if !pending() {
                return ().into_any();
            }
            match flow.phase.get() {
                SignPhase::Idle | SignPhase::Complete => {
                    view! { <Actions sign=sign declining=declining /> }.into_any()
                }
                _ => view! { <Panel flow=flow retry=sign /> }.into_any(),
            }
        }}
        {move || {
            (pending() && declining.get() && flow.phase.get() == SignPhase::Idle)
                .then(|| {
                    view! {
                        <DeclineForm
                            id=id.clone()
                            request=request
                            declining=declining
                            notice=notice
                            failure=failure
                        />
                    }
                })
        }}
    }
}

/// The request's state, when it was sent, the deadline, when it was answered.
#[component]
fn Facts(request: RwSignal<SignatureRequestView>) -> impl IntoView {
    move || {
        let SignatureRequestView { state, requested_at, deadline, decided_at, case_status, .. } = request.get();
        let (sv, en) = request_state_text(state);
        view! {
            <dl class="facts">
                <dt>{tx("Status", "Status")}</dt>
                <dd>
                    <strong>{tx(sv, en)}</strong>
                </dd>
                // Once signed, the signer follows the application until it closes (its status only).
                {case_status
                    .map(|status| {
                        let (name, name_lang) = (status_name(&status), status_name_lang(&status));
                        view! {
                            <dt>{tx("Ansökans status", "The application's status")}</dt>
                            <dd lang=name_lang>{move || pick(&name).to_owned()}</dd>
                        }
                    })}
                <dt>{tx("Skickad till dig", "Sent to you")}</dt>
                <dd>{move || format_instant(&requested_at)}</dd>
                <dt>{tx("Skriv under senast", "Sign by")}</dt>
                <dd>{move || format_instant(&deadline)}</dd>
                {decided_at
                    .map(|at| {
                        view! {
                            <dt>{tx("Besvarad", "Answered")}</dt>
                            <dd>{move || format_instant(&at)}</dd>
                        }
                    })}
            </dl>
        }
    }
}

/// "Skriv under med BankID" and "Avböj".
#[component]
fn Actions(sign: Callback<()>, declining: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="button-row">
            <button type="button" class="button button-start" on:click=move |_| sign.run(())>
                {tx("Skriv under med BankID", "Sign with BankID")}
            </button>
            <button
                type="button"
                class="button button-secondary"
                aria-expanded=move || if declining.get() { "true" } else { "false" }
                on:click=move |_| {
                    declining.update(|d| *d = !*d);
                    if declining.get_untracked() {
                        focus_later(MESSAGE);
                    }
                }
            >
                {tx("Avböj", "Decline")}
            </button>
        </div>
    }
}

/// The BankID order under way, or why it failed.
#[component]
fn Panel(flow: SigningFlow, retry: Callback<()>) -> impl IntoView {
    let cancel = Callback::new(move |()| flow.cancel());
    view! {
        <BankIdOrderPanel
            heading_id=PANEL
            titles=SIGN_TITLES
            failed=Signal::derive(move || flow.phase.get() == SignPhase::Failed)
            done=Signal::derive(move || flow.phase.get() == SignPhase::Complete)
            ui=flow.ui
            retry=retry
            cancel=cancel
            back=cancel
            back_label=("Tillbaka", "Back")
        />
    }
}

/// "Avböj": an optional message to the applicant, then a confirmation.
#[component]
fn DeclineForm(
    id: String,
    request: RwSignal<SignatureRequestView>,
    declining: RwSignal<bool>,
    notice: RwSignal<Option<Localized>>,
    failure: RwSignal<Option<Localized>>,
) -> impl IntoView {
    let auth = use_auth();
    let message = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let too_long = move || message.with(|m| m.chars().count() > MAX_MESSAGE);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if too_long() {
            focus_id(MESSAGE);
            return;
        }
        let question = if is_en() {
            "Decline to sign? The application will then not be sent. This cannot be undone."
        } else {
            "Vill du avböja att skriva under? Ansökan skickas då inte in. Det går inte att ångra."
        };
        if !window().confirm_with_message(question).unwrap_or(false) {
            return;
        }
        let text = message.get_untracked().trim().to_owned();
        let (id, again) = (id.clone(), id.clone());
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let result = auth
                .call(|t| async move { api::decline_request(&t, &id, (!text.is_empty()).then_some(text)).await })
                .await;
            busy.try_set(false);
            match result {
                Ok(view) => {
                    request.set(view);
                    declining.set(false);
                    notice.set(Some(loc(
                        "Du har avböjt att skriva under. Den som ansökte får veta det, och ansökan skickas inte in.",
                        "You have declined to sign. The applicant is told, and the application is not sent.",
                    )));
                    focus_later(HEADING);
                }
                Err(e) if e.is_unauthorized() => {}
                Err(e) => {
                    failure.set(Some(sign_failure(&e)));
                    if e.is(ErrorCode::RequestNotPending) {
                        reload(auth, again, request);
                    }
                }
            }
        });
    };
    view! {
        <section class="decline" aria-labelledby="avboj-rubrik">
            <h2 id="avboj-rubrik">{tx("Avböj att skriva under", "Decline to sign")}</h2>
            <form novalidate on:submit=submit>
                <div class="field" class:field-invalid=too_long>
                    <label for=MESSAGE>
                        {tx("Meddelande till den som ansökte", "Message to the applicant")}
                        <span class="optional">{tx(" (valfritt)", " (optional)")}</span>
                    </label>
                    <p id="avboj-hjalp" class="hint">
                        {tx(
                            "Den som ansökte kan läsa meddelandet på sina Mina sidor. Högst 1 000 tecken.",
                            "The applicant can read the message on their My pages. At most 1,000 characters.",
                        )}
                    </p>
                    <p id="avboj-fel" class="field-error">
                        {move || {
                            too_long()
                                .then(|| {
                                    tx(
                                        "Fel: Meddelandet är för långt. Korta det till högst 1 000 tecken.",
                                        "Error: The message is too long. Shorten it to at most 1,000 characters.",
                                    )
                                })
                        }}
                    </p>
                    <textarea
                        id=MESSAGE
                        rows="5"
                        aria-describedby="avboj-hjalp avboj-fel avboj-antal"
                        aria-invalid=move || too_long().then_some("true")
                        prop:value=message
                        on:input=move |ev| message.set(event_target_value(&ev))
                    ></textarea>
                    <p id="avboj-antal" class="hint">
                        {move || {
                            let n = message.with(|m| m.chars().count());
                            if is_en() { format!("{n} of {MAX_MESSAGE} characters") } else { format!("{n} av {MAX_MESSAGE} tecken") }
                        }}
                    </p>
                </div>
                <div class="button-row">
                    <button type="submit" class="button button-danger" disabled=move || busy.get()>
                        {tx("Avböj underskriften", "Decline the signature")}
                    </button>
                    <button type="button" class="button button-secondary" on:click=move |_| declining.set(false)>
                        {tx("Avbryt", "Cancel")}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Fetches the request again (it was answered elsewhere).
fn reload(auth: Auth, id: String, request: RwSignal<SignatureRequestView>) {
    spawn_local(async move {
        if let Ok(view) = auth.call(|t| async move { api::signature_request(&t, &id).await }).await {
            request.try_set(view);
        }
    });
}

/// Why a request could not be signed or declined.
fn sign_failure(e: &FetchError) -> Localized {
    if let Some(text) = refused_text(e) {
        return text;
    }
    match () {
        _ if e.is(ErrorCode::MessageTooLong) => loc(
            "Meddelandet är för långt. Korta det till högst 1 000 tecken.",
            "The message is too long. Shorten it to at most 1,000 characters.",
        ),
        _ => start_error_text(e),
    }
}
