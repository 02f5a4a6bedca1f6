//! The signing step (services that require it): what is signed — the text BankID shows and the
//! digest of the answers — and the BankID panel, followed until the applicant has signed.

use leptos::prelude::*;

use super::frame::StepFrame;
use super::{Form, SUMMARY};
use crate::common::bankid::{BankIdOrderPanel, SIGN_TITLES, SignPhase, SignedText};
use crate::common::components::focus_later;
use crate::common::i18n::tx;

/// `id` of the BankID panel's heading, where focus goes when the signature fails.
const SIGN_PANEL: &str = "bankid-underskrift";

/// Signing (services that require it): what is signed — the text BankID shows and the digest of
/// the answers — and the BankID panel, followed until the applicant has signed.
#[component]
pub fn SignStep(form: Form) -> impl IntoView {
    let flow = form.signing;
    // Leaving the step (back to the summary, another page) cancels an order under way.
    on_cleanup(move || {
        if matches!(flow.phase.try_get_untracked(), Some(SignPhase::Starting | SignPhase::Waiting)) {
            flow.cancel();
        }
    });
    // A failure moves focus to the panel's heading, which says so.
    Effect::new(move |previous: Option<SignPhase>| {
        let now = flow.phase.get();
        if previous.is_some_and(|p| p != now) && now == SignPhase::Failed {
            focus_later(SIGN_PANEL);
        }
        now
    });
    let back = Callback::new(move |()| {
        flow.cancel();
        form.go(SUMMARY);
    });
    view! {
        <StepFrame form=form title=("Skriv under".into(), "Sign".into()) errors=Signal::derive(Vec::new)>
            {move || {
                flow.started
                    .get()
                    .map(|started| {
                        let names = started.co_signers.join(", ");
                        view! {
                            <SignedText
                                heading_id="det-har-skriver-du-under"
                                heading=("Det här skriver du under", "This is what you sign")
                                summary=started.summary
                                digest=started.digest
                            />
                            {(!names.is_empty())
                                .then(|| {
                                    view! {
                                        <p class="notice">
                                            {tx(
                                                "När du har skrivit under får de här personerna ansökan att skriva under på sina Mina sidor: ",
                                                "When you have signed, these people get the application to sign on their My pages: ",
                                            )}
                                            <strong>{names}</strong>
                                            ". "
                                            {tx(
                                                "Ansökan kommer in till kommunen först när alla har skrivit under.",
                                                "The application reaches the municipality only when everyone has signed.",
                                            )}
                                        </p>
                                    }
                                })}
                        }
                    })
            }}
            <BankIdOrderPanel
                heading_id=SIGN_PANEL
                titles=SIGN_TITLES
                failed=Signal::derive(move || flow.phase.get() == SignPhase::Failed)
                done=Signal::derive(move || flow.phase.get() == SignPhase::Complete)
                ui=flow.ui
                retry=Callback::new(move |()| form.sign())
                cancel=back
                back=back
                back_label=("Tillbaka till dina svar", "Back to your answers")
            />
        </StepFrame>
    }
}
