//! The signing of a case that needed signatures: where it is, the deadline, and who has
//! signed, declined or not yet.

use leptos::prelude::*;
use shared::signing::{ApplicantSignatureView, SignatureRole, SignatureState, SigningOutcome};

use super::Ctx;
use crate::common::api;
use crate::common::components::TextBlock;
use crate::common::i18n::{format_instant, tx};
use crate::common::loader::{LoadError, load};

/// The signing of a case that needed signatures (`GET /me/cases/{reference}/signing`; nothing
/// for other cases): where it is, the deadline, and each signature — who, signed, declined (with
/// the message) or not yet.
#[component]
pub(super) fn Signing(ctx: Ctx) -> impl IntoView {
    let (signing, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.auth.call(move |t| async move { api::my_case_signing(&t, &r).await })
    });
    move || match signing.get() {
        None => ().into_any(),
        // Not a case that needed signatures.
        Some(Err(e)) if e.is_not_found() || e.is_unauthorized() => ().into_any(),
        Some(Err(error)) => {
            view! { <LoadError heading=("Underskrifter", "Signatures") error=error retry=retry /> }.into_any()
        }
        Some(Ok(signing)) => {
            let (sv, en) = match signing.outcome {
                SigningOutcome::Awaiting => (
                    "Ansökan väntar på underskrift. Den skickas till handläggaren först när alla har skrivit under.",
                    "The application is waiting for signatures. It is sent to the case officer only when everyone has signed.",
                ),
                SigningOutcome::Complete => (
                    "Alla har skrivit under, och ansökan är inskickad.",
                    "Everyone has signed, and the application has been sent.",
                ),
                SigningOutcome::Declined => (
                    "Ansökan är inte inskickad: någon avböjde att skriva under. Vill du ändå ansöka behöver du göra en ny ansökan.",
                    "The application has not been sent: someone declined to sign. If you still want to apply, you need to make a new application.",
                ),
                SigningOutcome::Expired => (
                    "Ansökan är inte inskickad: alla skrev inte under i tid. Vill du ändå ansöka behöver du göra en ny ansökan.",
                    "The application has not been sent: not everyone signed in time. If you still want to apply, you need to make a new application.",
                ),
            };
            let deadline = signing.deadline.filter(|_| signing.outcome == SigningOutcome::Awaiting);
            view! {
                <section class="case-signing" aria-labelledby="underskrifter-rubrik">
                    <h2 id="underskrifter-rubrik">{tx("Underskrifter", "Signatures")}</h2>
                    <p>{tx(sv, en)}</p>
                    {deadline
                        .map(|at| {
                            view! {
                                <p>
                                    {tx("Sista dag att skriva under:", "Last day to sign:")} " "
                                    <strong>{move || format_instant(&at)}</strong>
                                </p>
                            }
                        })}
                    <ul class="item-list signatures">
                        {signing.signatures.into_iter().map(|s| view! { <SignatureItem signature=s /> }).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        }
    }
}

/// One signature of the applicant's case.
#[component]
fn SignatureItem(signature: ApplicantSignatureView) -> impl IntoView {
    let ApplicantSignatureView { role, name, state, decided_at, decline_message } = signature;
    let who = match (role, name) {
        (SignatureRole::Applicant, _) => tx("Du", "You")().to_owned(),
        (SignatureRole::CoSigner, Some(name)) => name,
        (SignatureRole::CoSigner, None) => tx("Medundertecknare", "Co-signer")().to_owned(),
    };
    let (sv, en) = match state {
        SignatureState::Pending => ("Har inte skrivit under än", "Has not signed yet"),
        SignatureState::Signed => ("Har skrivit under", "Has signed"),
        SignatureState::Declined => ("Har avböjt att skriva under", "Has declined to sign"),
        SignatureState::Expired => ("Skrev inte under", "Did not sign"),
    };
    view! {
        <li class="item">
            <p>
                <strong>{who}</strong>
                ": "
                {tx(sv, en)}
                {decided_at.map(|at| view! { ", " {move || format_instant(&at)} })}
            </p>
            {decline_message
                .filter(|m| !m.trim().is_empty())
                .map(|message| {
                    view! {
                        <div class="handler-message">
                            <h3>{tx("Meddelande", "Message")}</h3>
                            <TextBlock text=message />
                        </div>
                    }
                })}
        </li>
    }
}
