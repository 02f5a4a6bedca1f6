//! "Meddelanden": the messages with the handlers, and the form to write a new one (with one
//! file, uploaded first and sent by its id), offered while the case's status allows messages.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::StatusKind;
use shared::error_code::ErrorCode;
use shared::handling::CaseMessage;
use shared::validate::Localized;

use super::{Alert, Ctx};
use crate::common::api::{self, FetchError};
use crate::common::components::{focus_id, focus_later};
use crate::common::i18n::{loc, pick, tx};
use crate::common::loader::{load, show_loaded};
use crate::common::messages::{MessageFiles, message_list};
use crate::common::upload::{Uploader, upload};

/// `id` of the messages' heading, where focus goes after a message is sent.
const MESSAGES: &str = "meddelanden";
/// Longest message the server takes, in characters.
const MAX_MESSAGE: usize = 10_000;
/// `id` of the message form's file input.
const MESSAGE_FILE: &str = "meddelande-fil";

/// The messages with the handlers, and a form to write a new one.
#[component]
pub(super) fn Messages(ctx: Ctx) -> impl IntoView {
    let (list, retry) = load(move || {
        let r = ctx.reference();
        ctx.auth.call(move |t| async move { api::my_case_messages(&t, &r).await })
    });
    // Messages sent from this page, shown after the loaded ones.
    let sent = RwSignal::new(Vec::<CaseMessage>::new());
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<(&'static str, &'static str)>);
    let outcome = RwSignal::new(None::<Result<(), Localized>>);
    // The server said no messages in this status: the form goes.
    let refused = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Why a message's file could not be downloaded.
    let download_error = RwSignal::new(None::<Localized>);
    // Whether the current status allows messages; when the server does not say, any case not closed.
    let closed = move || {
        ctx.case.with(|c| {
            c.messaging_allowed == Some(false) || c.status.kind == StatusKind::Closed && c.messaging_allowed.is_none()
        })
    };
    // What happened after a message was sent (or not), with its text and file.
    let finish = move |result: Result<CaseMessage, FetchError>| {
        busy.try_set(false);
        match result {
            Ok(message) => {
                sent.update(|s| s.push(message));
                text.set(String::new());
                if let Some(input) = file_input() {
                    input.set_value("");
                }
                outcome.set(Some(Ok(())));
                focus_later(MESSAGES);
            }
            Err(e) if e.is_unauthorized() => {}
            Err(e) if e.is(ErrorCode::MessagingClosed) => {
                refused.set(true);
                outcome.set(Some(Err(loc(
                    "Meddelandet skickades inte: det går inte att skicka meddelanden i ärendet i dess nuvarande status.",
                    "The message was not sent: messages cannot be sent on the case in its current status.",
                ))));
            }
            Err(e) => {
                let why = e.user_message();
                outcome.set(Some(Err(Localized {
                    sv: format!("Meddelandet skickades inte. {}", why.sv),
                    en: format!("The message was not sent. {}", why.en),
                })));
            }
        }
    };
    let send_message = move |body: String, attachments: Vec<uuid::Uuid>| {
        let r = ctx.reference();
        spawn_local(async move {
            let result =
                ctx.auth.call(|t| async move { api::send_my_case_message(&t, &r, &body, attachments).await }).await;
            finish(result);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        outcome.set(None);
        let body = text.get_untracked().trim().to_owned();
        if body.is_empty() {
            error.set(Some(("Skriv ett meddelande.", "Write a message.")));
            focus_id("nytt-meddelande");
            return;
        }
        if body.chars().count() > MAX_MESSAGE {
            error.set(Some((
                "Meddelandet får vara högst 10 000 tecken.",
                "The message can be at most 10,000 characters.",
            )));
            focus_id("nytt-meddelande");
            return;
        }
        error.set(None);
        let file = file_input().and_then(|input| input.files()).and_then(|list| list.get(0));
        let Some(file) = file else {
            busy.set(true);
            send_message(body, Vec::new());
            return;
        };
        // The file goes first, as the applicant's upload; the message then takes it by its id.
        let Some(token) = ctx.auth.token() else {
            return;
        };
        let name = file.name();
        let done = move |result: Result<shared::api::UploadedFile, FetchError>| match result
            .and_then(|stored| stored.id.parse::<uuid::Uuid>().map_err(|_| FetchError::Decode))
        {
            Ok(id) => send_message(body, vec![id]),
            Err(e) => {
                busy.try_set(false);
                let why = match &e {
                    FetchError::Status { status: 413, .. } => loc("Filen är för stor.", "The file is too large."),
                    e => e.user_message(),
                };
                outcome.set(Some(Err(Localized {
                    sv: format!("Meddelandet skickades inte: filen {name} kunde inte laddas upp. {}", why.sv),
                    en: format!("The message was not sent: the file {name} could not be uploaded. {}", why.en),
                })));
            }
        };
        busy.set(true);
        if let Err(e) = upload(&file, Uploader { bearer: Some(&token), owner_token: None }, |_| {}, done) {
            busy.set(false);
            let why = e.user_message();
            outcome.set(Some(Err(Localized {
                sv: format!("Meddelandet skickades inte. {}", why.sv),
                en: format!("The message was not sent. {}", why.en),
            })));
        }
    };
    let described = move || error.with(Option::is_some).then_some("nytt-meddelande-fel");
    view! {
        <section aria-labelledby=MESSAGES>
            <h2 id=MESSAGES tabindex="-1">
                {tx("Meddelanden", "Messages")}
            </h2>
            {move || {
                show_loaded(
                    list.get(),
                    retry,
                    ("Hämtar meddelanden …", "Loading messages …"),
                    |loaded| {
                        let all: Vec<CaseMessage> = loaded.into_iter().chain(sent.get()).collect();
                        if all.is_empty() {
                            return view! {
                                <p class="empty">
                                    {tx("Inga meddelanden i ärendet än.", "No messages on the case yet.")}
                                </p>
                            }
                                .into_any();
                        }
                        let reference = ctx.reference();
                        let files = MessageFiles {
                            session: ctx.auth,
                            path: Box::new(move |a| api::my_case_message_attachment_path(&reference, &a.id.to_string())),
                            error: download_error,
                        };
                        message_list(all, Some(files), true)
                    },
                )
            }}
            <Alert why=download_error />
            <div role="status">
                {move || {
                    matches!(outcome.get(), Some(Ok(())))
                        .then(|| {
                            view! {
                                <p class="notice">
                                    {tx("Ditt meddelande är skickat.", "Your message has been sent.")}
                                </p>
                            }
                        })
                }}
            </div>
            <div role="alert">
                {move || {
                    outcome
                        .get()
                        .and_then(Result::err)
                        .map(|why| {
                            view! {
                                <div class="alert">
                                    <p>{move || pick(&why).to_owned()}</p>
                                </div>
                            }
                        })
                }}
            </div>
            {move || {
                if closed() || refused.get() {
                    return view! {
                        <p class="hint">
                            {tx(
                                "Det går inte att skicka meddelanden i ärendet nu.",
                                "Messages cannot be sent on the case now.",
                            )}
                        </p>
                    }
                        .into_any();
                }
                view! {
                    <form novalidate on:submit=submit class="message-form">
                        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
                            <label for="nytt-meddelande">{tx("Nytt meddelande", "New message")}</label>
                            <p id="nytt-meddelande-fel" class="field-error">
                                {move || {
                                    error
                                        .get()
                                        .map(|(sv, en)| {
                                            view! {
                                                <span class="visually-hidden">{tx("Fel: ", "Error: ")}</span>
                                                {tx(sv, en)}
                                            }
                                        })
                                }}
                            </p>
                            <textarea
                                id="nytt-meddelande"
                                rows="5"
                                aria-describedby=described
                                aria-invalid=move || error.with(Option::is_some).then_some("true")
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))
                            ></textarea>
                        </div>
                        <div class="field">
                            <label for=MESSAGE_FILE>
                                {tx("Bifoga en fil", "Attach a file")}
                                <span class="optional">{tx(" (valfritt)", " (optional)")}</span>
                            </label>
                            <p id="meddelande-fil-hjalp" class="hint">
                                {tx(
                                    "En fil, till exempel en PDF eller en bild.",
                                    "One file, for example a PDF or a picture.",
                                )}
                            </p>
                            <input
                                type="file"
                                id=MESSAGE_FILE
                                class="file-input"
                                aria-describedby="meddelande-fil-hjalp"
                            />
                        </div>
                        <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                            {move || {
                                if busy.get() {
                                    tx("Skickar …", "Sending …")()
                                } else {
                                    tx("Skicka meddelande", "Send message")()
                                }
                            }}
                        </button>
                    </form>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The message form's file input, when it is on the page.
fn file_input() -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    leptos::prelude::document().get_element_by_id(MESSAGE_FILE).and_then(|e| e.dyn_into().ok())
}
