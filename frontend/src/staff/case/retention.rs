//! "Gallring": the day the closed case is purged, or the legal hold that keeps it; for service
//! owners and platform admins the form that sets a hold and the button that lifts it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{LegalHold, LegalHoldRequest, StaffRole};

use super::{Ctx, OutcomeRegions, TextForm, send_text};
use crate::common::api;
use crate::common::components::focus_later;
use crate::common::i18n::{format_day, format_instant, tx};

/// What the retention section shows of the case.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RetentionFacts {
    /// Whether the case is closed (its retention clock runs).
    pub(super) closed: bool,
    /// The day it is purged (closed cases without a hold).
    pub(super) purge_on: Option<chrono::NaiveDate>,
    /// The hold that keeps it, if any.
    pub(super) legal_hold: Option<LegalHold>,
}

/// Retention: the day the closed case is purged, or the legal hold that keeps it; for service
/// owners and platform admins the form that sets a hold and the button that lifts it. Drawn
/// once, so that its outcome regions stay in the page (and are announced) while the case reloads.
#[component]
pub(super) fn Retention(ctx: Ctx, facts: Memo<Option<RetentionFacts>>) -> impl IntoView {
    let form = TextForm::new(ctx);
    let (body, outcome, busy) = (form.body, form.outcome, form.busy);
    let may_hold = move || ctx.staff.may_have(&[StaffRole::ServiceOwner, StaffRole::PlatformAdmin]);
    let held = Memo::new(move |_| facts.with(|f| f.as_ref().map(|f| f.legal_hold.is_some())));
    // The form and the button replace each other: keep the keyboard in the section.
    Effect::new(move |previous: Option<Option<bool>>| {
        let now = held.get();
        if matches!((previous, now), (Some(Some(before)), Some(after)) if before != after) {
            focus_later("gallring");
        }
        now
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let texts = [
            ("Skriv skälet till spärren.", "Write the reason for the hold."),
            ("Ärendet är spärrat mot gallring.", "The case is held from purging."),
        ];
        send_text(ctx, form, texts, |t, r, reason| async move {
            api::set_legal_hold(&t, &r, &LegalHoldRequest { reason }).await
        });
    };
    let lift = move |_| {
        if busy.get_untracked() {
            return;
        }
        ctx.starting();
        busy.set(true);
        let r = ctx.reference();
        spawn_local(async move {
            let result = ctx.staff.call(move |t| async move { api::lift_legal_hold(&t, &r).await }).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    outcome.set(Some(Ok(tx("Spärren är hävd.", "The hold has been lifted.")().to_owned())));
                    ctx.changed();
                }
                Err(e) => outcome.set(Some(Err(e.reason()))),
            }
        });
    };
    let state = move || {
        facts.get().map(|f| match (f.legal_hold, f.purge_on) {
            (Some(hold), _) => view! {
                <h3>{tx("Gallringsspärr", "Legal hold")}</h3>
                <p>{tx("Ärendet sparas så länge spärren gäller.", "The case is kept as long as the hold lasts.")}</p>
                <dl class="case-facts">
                    <dt>{tx("Skäl", "Reason")}</dt>
                    <dd class="message-body">{hold.reason}</dd>
                    <dt>{tx("Spärrad av", "Set by")}</dt>
                    <dd>{hold.set_by}</dd>
                    <dt>{tx("Spärrad", "Set")}</dt>
                    <dd>{format_instant(&hold.set_at)}</dd>
                </dl>
            }
            .into_any(),
            (None, Some(day)) => view! {
                <p>
                    {tx("Gallringsdag:", "Purge day:")} " " <strong>{format_day(day)}</strong> ". "
                    {tx(
                        "Då tas ärendet bort med svar, meddelanden, anteckningar och filer.",
                        "Then the case is deleted with its answers, messages, notes and files.",
                    )}
                </p>
            }
            .into_any(),
            (None, None) if f.closed => {
                view! { <p>{tx("Ärendet har ingen gallringsdag.", "The case has no purge day.")}</p> }.into_any()
            }
            (None, None) => view! {
                <p>
                    {tx(
                        "Ärendet är inte avslutat. Gallringsdagen räknas från den dag det avslutas.",
                        "The case is not closed. Its purge day counts from the day it is closed.",
                    )}
                </p>
            }
            .into_any(),
        })
    };
    let controls = move || {
        let held = held.get()?;
        if !may_hold() {
            return None;
        }
        Some(if held {
            view! {
                <button type="button" class="button button-secondary" aria-disabled=move || busy.get().to_string() on:click=lift>
                    {tx("Häv spärren", "Lift the hold")}
                </button>
            }
            .into_any()
        } else {
            view! {
                <form on:submit=submit novalidate>
                    <div class="field">
                        <label for="sparr-skal">{tx("Skäl", "Reason")}</label>
                        <p class="hint" id="sparr-skal-hint">
                            {tx(
                                "Till exempel ett överklagande eller en begäran om allmän handling.",
                                "For example an appeal or a request for an official document.",
                            )}
                        </p>
                        <textarea
                            id="sparr-skal"
                            rows="2"
                            required
                            aria-describedby="sparr-skal-hint"
                            prop:value=body
                            on:input=move |ev| body.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <button type="submit" class="button" aria-disabled=move || busy.get().to_string()>
                        {tx("Spärra mot gallring", "Hold from purging")}
                    </button>
                </form>
            }
            .into_any()
        })
    };
    view! {
        <section class="panel" aria-labelledby="gallring">
            <h2 id="gallring" tabindex="-1">{tx("Gallring", "Retention")}</h2>
            {state}
            <OutcomeRegions outcome=outcome />
            {controls}
        </section>
    }
}
