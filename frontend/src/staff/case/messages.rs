//! "Meddelanden": the messages with the applicant, both ways, with their files; the form for a
//! new one (with one file); and how the applicant is reached (an anonymous case's private link,
//! which the handler can close, or not at all: then no form).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::ApplicantReach;
use shared::handling::NewMessage;

use super::{Ctx, OutcomeRegions, TextForm, send_text};
use crate::common::api;
use crate::common::components::focus_later;
use crate::common::i18n::tx;
use crate::common::loader::{load, show_loaded};
use crate::common::messages::{MessageFiles, message_list};

/// Messages with the applicant, both ways, with their files, and a form for a new one.
#[component]
pub(super) fn Messages(ctx: Ctx) -> impl IntoView {
    let (list, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::staff_messages(&t, &r).await })
    });
    let form = TextForm::new(ctx);
    let (body, outcome, busy) = (form.body, form.outcome, form.busy);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0));
        let texts =
            [("Skriv ett meddelande.", "Write a message."), ("Meddelandet är skickat.", "The message has been sent.")];
        send_text(ctx, form, texts, move |t, r, text| async move {
            // The file first; its id goes with the message.
            let attachments = match file {
                Some(file) => vec![api::attach_message_file(&t, &r, &file).await?.id],
                None => Vec::new(),
            };
            let sent = api::staff_send_message(&t, &r, &NewMessage { body: text, attachments }).await?;
            if let Some(input) = file_input.get_untracked() {
                input.set_value("");
            }
            Ok(sent)
        });
    };
    let error = RwSignal::new(None::<String>);
    view! {
        <section aria-labelledby="meddelanden">
            <h2 id="meddelanden" tabindex="-1">{tx("Meddelanden", "Messages")}</h2>
            {move || show_loaded(list.get(), retry, ("Hämtar meddelanden …", "Loading messages …"), |value| match value {
                items if items.is_empty() => {
                    view! { <p>{tx("Inga meddelanden ännu.", "No messages yet.")}</p> }.into_any()
                }
                items => {
                    let reference = ctx.reference();
                    let files = MessageFiles {
                        session: ctx.staff,
                        path: Box::new(move |a| api::staff_message_attachment_path(&reference, &a.id.to_string())),
                        error,
                    };
                    message_list(items, Some(files), false)
                }
            })}
            <div role="alert">{move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
            <OutcomeRegions outcome=outcome />
            <Reach ctx=ctx />
            <form on:submit=submit hidden=move || ctx.reach.get() == ApplicantReach::Unreachable>
                <div class="field">
                    <label for="nytt-meddelande">{tx("Nytt meddelande till den sökande", "New message to the applicant")}</label>
                    <textarea id="nytt-meddelande" rows="3" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for="meddelande-fil">{tx("Bifoga en fil (valfritt)", "Attach a file (optional)")}</label>
                    <input id="meddelande-fil" type="file" node_ref=file_input />
                </div>
                <button type="submit" class="button" aria-disabled=move || busy.get().to_string()>
                    {tx("Skicka meddelande", "Send message")}
                </button>
            </form>
        </section>
    }
}

/// How the applicant is reached: through the private link of an anonymous case (which the
/// handler can close), or not at all (then no message form: nobody would read it).
#[component]
fn Reach(ctx: Ctx) -> impl IntoView {
    let outcome = ctx.outcome();
    let revoke = move |_| {
        ctx.starting();
        spawn_local(async move {
            let r = ctx.reference();
            let result = ctx.staff.call(move |t| async move { api::revoke_follow_link(&t, &r).await }).await;
            outcome.set(Some(match result {
                Ok(()) => Ok(tx("Den personliga länken är stängd.", "The personal link is closed.")().to_owned()),
                Err(e) => Err(e.reason()),
            }));
            ctx.changed();
            focus_later("lank-resultat");
        });
    };
    view! {
        {move || match ctx.reach.get() {
            ApplicantReach::MinSida => ().into_any(),
            ApplicantReach::PrivateLink => view! {
                <p class="hint" id="lank-info">
                    {tx(
                        "Ärendet skickades anonymt. Den sökande följer det och läser och svarar på meddelanden med en personlig länk i sin e-post.",
                        "The case was sent anonymously. The applicant follows it and reads and answers messages with a personal link in their e-mail.",
                    )}
                </p>
                <button type="button" class="button button-secondary" aria-describedby="lank-info lank-varning" on:click=revoke>
                    {tx("Stäng den personliga länken", "Close the personal link")}
                </button>
                <p class="hint" id="lank-varning">
                    {tx(
                        "Gör det om länken har hamnat hos fel person. Det går inte att ångra, och sedan går det inte att nå den sökande.",
                        "Do so if the link has reached the wrong person. It cannot be undone, and the applicant can no longer be reached.",
                    )}
                </p>
            }
            .into_any(),
            ApplicantReach::Unreachable => view! {
                <p class="notice" id="ej-nabar">
                    {tx(
                        "Den sökande går inte att nå: ärendet skickades anonymt utan e-postadress, eller så har den personliga länken stängts. Meddelanden kan inte skickas.",
                        "The applicant cannot be reached: the case was sent anonymously without an e-mail address, or its personal link was closed. Messages cannot be sent.",
                    )}
                </p>
            }
            .into_any(),
        }}
        <OutcomeRegions outcome=outcome focus="lank-resultat" />
    }
}
