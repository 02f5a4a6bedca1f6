//! "Underskrifter" of a signed case: who signed, in which role, with which e-ID and when, the
//! evidence of each signature to download, and the check of the signatures against the answers.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::signing::{CaseSignatureView, SignatureRole, SignatureState, SignatureVerification};

use super::Ctx;
use crate::common::api;
use crate::common::download::DownloadButton;
use crate::common::i18n::{format_instant, tx};
use crate::common::loader::{LoadError, load};
use crate::staff::table::column_heads;
use shared::formats::show_personnummer;

/// "Underskrifter" of a signed case: who signed, in which role, with which e-ID and when, the
/// evidence of each signature to download, and "Kontrollera underskrifterna", which re-checks the
/// stored digests against the case's answers now (the outcome in a live region). Nothing for a
/// case that was not signed.
#[component]
pub(super) fn Signatures(ctx: Ctx) -> impl IntoView {
    // Loaded once: nothing a handler does here changes the signatures.
    let (list, retry) = load(move || {
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::case_signatures(&t, &r).await })
    });
    let error = RwSignal::new(None::<String>);
    let checked = RwSignal::new(None::<Result<SignatureVerification, String>>);
    ctx.cleared_on_start(checked);
    // The menu links to the section when there is one.
    Effect::new(move |_| ctx.signed.set(list.with(|l| matches!(l, Some(Ok(items)) if !items.is_empty()))));
    let busy = RwSignal::new(false);
    let verify = move |_| {
        if busy.get_untracked() {
            return;
        }
        ctx.starting();
        busy.set(true);
        checked.set(None);
        let r = ctx.reference();
        spawn_local(async move {
            let result = ctx.staff.call(move |t| async move { api::verify_case_signatures(&t, &r).await }).await;
            busy.try_set(false);
            checked.try_set(Some(result.map_err(|e| e.reason())));
        });
    };
    let table = move |items: Vec<CaseSignatureView>| {
        let reference = ctx.reference();
        view! {
            <div class="table-wrap">
                <table class="cases signatures">
                    <caption class="visually-hidden">{tx("Underskrifter", "Signatures")}</caption>
                    {column_heads(&[("Roll", "Role"), ("Namn", "Name"), ("Personnummer", "Personal identity number"), ("E-legitimation", "e-ID"), ("Underskriven", "Signed"), ("Bevis", "Evidence")])}
                    <tbody>
                        {items
                            .into_iter()
                            .enumerate()
                            .map(|(i, s)| {
                                let signed = s.state == SignatureState::Signed;
                                let path = api::signature_evidence_path(&reference, &s.id.to_string());
                                let file = format!("underskrift-{reference}-{i}.json");
                                view! {
                                    <tr>
                                        <th scope="row">{role_name(s.role)}</th>
                                        <td>{s.name.unwrap_or_else(|| "–".into())}</td>
                                        <td>{show_personnummer(&s.personnummer)}</td>
                                        <td>{s.provider.unwrap_or_else(|| "–".into())}</td>
                                        <td>
                                            {match s.signed_at {
                                                Some(at) if signed => format_instant(&at),
                                                _ => signature_state_name(s.state).to_owned(),
                                            }}
                                        </td>
                                        <td>
                                            {signed
                                                .then(|| {
                                                    view! { <DownloadButton session=ctx.staff path=path name=file error=error /> }
                                                })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    let roles = move || {
        list.with(|l| match l {
            Some(Ok(items)) => items.iter().map(|s| (s.id, s.role, s.name.clone())).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    };
    let outcome = move || {
        checked.get().map(|result| match result {
            Err(why) => view! { <div class="alert"><p>{why}</p></div> }.into_any(),
            Ok(v) => {
                let known = roles();
                let (sv, en) = if v.valid {
                    (
                        "Underskrifterna är giltiga: de stämmer med ärendets svar.",
                        "The signatures are valid: they match the case's answers.",
                    )
                } else {
                    (
                        "Underskrifterna är inte giltiga: de stämmer inte med ärendets svar.",
                        "The signatures are not valid: they do not match the case's answers.",
                    )
                };
                view! {
                    <div class=if v.valid { "notice" } else { "alert" }>
                        <p>
                            <strong>{tx(sv, en)}</strong>
                        </p>
                        <ul>
                            {v
                                .signatures
                                .into_iter()
                                .map(|c| {
                                    let name = known.iter().find(|k| k.0 == c.id).and_then(|k| k.2.clone());
                                    let why = match (c.digest_matches_answers, c.signature_carries_digest) {
                                        (true, true) => None,
                                        (false, _) => Some(tx(
                                            "kontrollsumman stämmer inte med svaren",
                                            "the checksum does not match the answers",
                                        )),
                                        (true, false) => Some(tx(
                                            "underskriften bär inte kontrollsumman",
                                            "the signature does not carry the checksum",
                                        )),
                                    };
                                    view! {
                                        <li>
                                            {role_name(c.role)}
                                            {name.map(|n| format!(" ({n})"))}
                                            ": "
                                            <strong>
                                                {if c.valid { tx("giltig", "valid") } else { tx("ogiltig", "invalid") }}
                                            </strong>
                                            {why.map(|w| view! { " – " {w} })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                }
                .into_any()
            }
        })
    };
    move || {
        match list.get() {
            // Most cases have none: nothing is shown until the answer says otherwise.
            None => ().into_any(),
            Some(Err(e)) if e.is_not_found() => ().into_any(),
            Some(Err(e)) => {
                view! { <LoadError heading=("Underskrifter", "Signatures") error=e retry=retry /> }.into_any()
            }
            // Not a signed case.
            Some(Ok(items)) if items.is_empty() => ().into_any(),
            Some(Ok(items)) => view! {
                <section aria-labelledby="underskrifter">
                    <h2 id="underskrifter" tabindex="-1">{tx("Underskrifter", "Signatures")}</h2>
                    {table(items)}
                    <div role="alert">{move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
                    <div class="button-row">
                        <button type="button" class="button" on:click=verify disabled=move || busy.get()>
                            {tx("Kontrollera underskrifterna", "Check the signatures")}
                        </button>
                    </div>
                    // The outcome of the check, read out when it comes.
                    <div role="status" aria-live="polite" class="verification">
                        {move || busy.get().then(|| view! { <p>{tx("Kontrollerar …", "Checking …")}</p> })}
                        {outcome}
                    </div>
                </section>
            }
            .into_any(),
        }
    }
}

/// A signature's role in words.
fn role_name(role: SignatureRole) -> &'static str {
    match role {
        SignatureRole::Applicant => tx("Sökande", "Applicant")(),
        SignatureRole::CoSigner => tx("Medundertecknare", "Co-signer")(),
    }
}

/// An unsigned signature's state in words.
fn signature_state_name(state: SignatureState) -> &'static str {
    match state {
        SignatureState::Pending => tx("Inte än", "Not yet")(),
        SignatureState::Signed => tx("Underskriven", "Signed")(),
        SignatureState::Declined => tx("Avböjde", "Declined")(),
        SignatureState::Expired => tx("Skrev inte under i tid", "Did not sign in time")(),
    }
}
