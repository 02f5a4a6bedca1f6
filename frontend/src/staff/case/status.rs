//! "Ändra status": the current status, a choice of the next and a comment.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{CaseDetail, ChangeStatusRequest};
use shared::status::StatusKind;

use super::{CaseNow, Ctx, Outcome, OutcomeRegions};
use crate::common::api;
use crate::common::components::focus_later;
use crate::common::i18n::tx;
use crate::common::status::{name_now, status_name_now};

/// The id of the status change's outcome, which takes the keyboard focus (the form is redrawn
/// for the new status).
const STATUS_CHANGED: &str = "status-resultat";

/// The statuses a handler can move the case to, as (key, name): the service's list without the
/// current one and the awaiting-supplement ones (a supplement request moves there).
fn status_choices(case: &CaseDetail) -> Vec<(String, String)> {
    case.statuses
        .iter()
        .filter(|s| s.key != case.status.key && s.kind != StatusKind::AwaitingSupplement && s.kind != StatusKind::Draft)
        .map(|s| (s.key.clone(), name_now(&s.name, s.name_en.as_deref())))
        .collect()
}

/// "Ändra status": the current status, a choice of the next (starting at "Välj status", never at
/// a status the handler did not choose) and a comment. The outcome takes the focus: the form is
/// drawn anew for the new status.
#[component]
pub(super) fn ChangeStatus(ctx: Ctx, case: CaseNow) -> impl IntoView {
    let outcome = ctx.outcome();
    let choices =
        Memo::new(move |_| case.with(|c| c.as_ref().map(|c| (status_name_now(&c.status), status_choices(c)))));
    view! {
        <section class="panel" aria-labelledby="status-rubrik">
            <h2 id="status-rubrik" tabindex="-1">{tx("Ändra status", "Change status")}</h2>
            <OutcomeRegions outcome=outcome focus=STATUS_CHANGED />
            {move || {
                choices
                    .get()
                    .map(|(current, options)| {
                        view! { <StatusForm ctx=ctx outcome=outcome current=current options=options /> }
                    })
            }}
        </section>
    }
}

#[component]
fn StatusForm(ctx: Ctx, outcome: Outcome, current: String, options: Vec<(String, String)>) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ctx.starting();
        let status = chosen.get_untracked();
        if status.is_empty() {
            outcome.set(Some(Err(tx("Välj den nya statusen.", "Choose the new status.")().to_owned())));
            focus_later(STATUS_CHANGED);
            return;
        }
        let c = comment.get_untracked();
        let body = ChangeStatusRequest { status, comment: (!c.trim().is_empty()).then(|| c.trim().to_owned()) };
        let r = ctx.reference();
        spawn_local(async move {
            match ctx.staff.call(move |t| async move { api::change_status(&t, &r, &body).await }).await {
                Ok(case) => {
                    outcome.set(Some(Ok(format!(
                        "{} {}.",
                        tx("Statusen är ändrad till", "The status is now")(),
                        status_name_now(&case.status)
                    ))));
                    ctx.changed();
                }
                Err(e) => outcome.set(Some(Err(e.reason()))),
            }
            focus_later(STATUS_CHANGED);
        });
    };
    view! {
        <p>{tx("Nuvarande status:", "Current status:")} " " <strong>{current}</strong></p>
        <form on:submit=submit>
            <div class="field">
                <label for="ny-status">{tx("Ny status", "New status")}</label>
                <select id="ny-status" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="" selected=move || chosen.get().is_empty()>
                        {tx("Välj status", "Choose a status")}
                    </option>
                    {options
                        .into_iter()
                        .map(|(k, name)| {
                            let selected = {
                                let k = k.clone();
                                move || chosen.get() == k
                            };
                            view! { <option value=k selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="status-kommentar">{tx("Kommentar (valfri)", "Comment (optional)")}</label>
                <textarea
                    id="status-kommentar"
                    rows="2"
                    prop:value=comment
                    on:input=move |ev| comment.set(event_target_value(&ev))
                ></textarea>
            </div>
            <button type="submit" class="button">{tx("Ändra status", "Change status")}</button>
        </form>
    }
}
