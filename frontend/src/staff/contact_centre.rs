//! `/handlaggning/kundtjanst`: the contact centre's look-up of a case's status
//! by its reference, for a caller. Only the status: never the answers. Every
//! look-up is logged by the server.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::handling::CaseStatusLookup;

use crate::common::api::{self, FetchError};
use crate::common::components::focus_later;
use crate::common::i18n::{format_instant, pick, set_title, tx};
use crate::common::session::{RequireStaff, use_staff};
use crate::common::status::status_name_now;

#[component]
pub fn ContactCentre() -> impl IntoView {
    set_title("Kundtjänst – ärendestatus", "Contact centre – case status");
    view! {
        <RequireStaff>
            <Lookup />
        </RequireStaff>
    }
}

#[component]
fn Lookup() -> impl IntoView {
    let staff = use_staff();
    let answer = RwSignal::new(None::<Result<CaseStatusLookup, String>>);
    let look_up = Callback::new(move |reference: Result<String, String>| {
        let r = match reference {
            Ok(r) => r,
            Err(empty) => return answer.set(Some(Err(empty))),
        };
        spawn_local(async move {
            let result = staff.call(move |t| async move { api::lookup_status(&t, &r).await }).await;
            answer.set(Some(result.map_err(|e| lookup_failure(&e))));
            focus_later("svar-rubrik");
        });
    });
    view! {
        <h1>{tx("Slå upp ett ärendes status", "Look up a case's status")}</h1>
        <p class="hint">
            {tx(
                "Visar bara status, aldrig ärendets innehåll. Varje uppslag loggas.",
                "Shows the status only, never the case's content. Every look-up is logged.",
            )}
        </p>
        <ReferenceForm input_id="kc-referens" button=("Slå upp", "Look up") on_reference=look_up />
        <div role="status">
            {move || {
                answer
                    .get()
                    .and_then(Result::ok)
                    .map(|s| {
                        view! {
                            <h2 id="svar-rubrik" tabindex="-1">{s.reference.clone()}</h2>
                            <dl class="case-facts">
                                <dt>{tx("Tjänst", "Service")}</dt>
                                <dd>{s.service_name.clone()}</dd>
                                <dt>{tx("Status", "Status")}</dt>
                                <dd>{status_name_now(&s.status)}</dd>
                                <dt>{tx("Inkommet", "Submitted")}</dt>
                                <dd>{format_instant(&s.submitted_at)}</dd>
                                <dt>{tx("Senast ändrat", "Last changed")}</dt>
                                <dd>{format_instant(&s.updated_at)}</dd>
                            </dl>
                        }
                    })
            }}
        </div>
        <div role="alert">
            {move || {
                answer.get().and_then(Result::err).map(|e| view! { <div class="alert"><p id="svar-rubrik" tabindex="-1">{e}</p></div> })
            }}
        </div>
    }
}

/// The one form staff find a case by its reference with (here, and on the admin's page): a search
/// field and a button. `on_reference` gets the reference trimmed and in capitals, or what to say
/// when none was written.
#[component]
pub fn ReferenceForm(
    /// The field's `id`.
    input_id: &'static str,
    /// The button's words, in Swedish and English.
    button: (&'static str, &'static str),
    on_reference: Callback<Result<String, String>>,
) -> impl IntoView {
    let reference = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = reference.get_untracked().trim().to_uppercase();
        if r.is_empty() {
            on_reference.run(Err(tx("Skriv ett ärendenummer.", "Enter a case reference.")().to_owned()));
        } else {
            on_reference.run(Ok(r));
        }
    };
    view! {
        <form class="inline-form" role="search" on:submit=submit>
            <label for=input_id>{tx("Ärendenummer", "Case reference")}</label>
            <input
                id=input_id
                type="search"
                prop:value=reference
                on:input=move |ev| reference.set(event_target_value(&ev))
            />
            <button type="submit" class="button">{tx(button.0, button.1)}</button>
        </form>
    }
}

/// Why a case could not be looked up by its reference, in the current language.
pub fn lookup_failure(e: &FetchError) -> String {
    match e {
        e if e.is_not_found() => {
            tx("Det finns inget ärende med det numret.", "There is no case with that reference.")().to_owned()
        }
        FetchError::Status { status: 403, .. } => {
            tx("Du har inte behörighet att slå upp ärenden.", "You are not permitted to look up cases.")().to_owned()
        }
        e => pick(&e.user_message()).to_owned(),
    }
}
