//! "Tilldelning": "Tilldela mig", a choice of handler, "Ta bort tilldelning".

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{CaseNow, Ctx, OutcomeRegions};
use crate::common::api;
use crate::common::components::focus_later;
use crate::common::i18n::tx;
use crate::common::loader::load;

/// The id of the assignment's outcome, which takes the keyboard focus ("Tilldela mig" is gone
/// once the case is the handler's, and the form is redrawn for the new assignee).
const ASSIGNED: &str = "tilldelning-resultat";

/// "Tilldela mig", a choice of handler, "Ta bort tilldelning". The outcome takes the focus: the
/// button is gone once the case is the handler's own.
#[component]
pub(super) fn Assign(ctx: Ctx, case: CaseNow) -> impl IntoView {
    let outcome = ctx.outcome();
    let (handlers, _) = load(move || {
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::case_handlers(&t, &r).await })
    });
    let assignee = Memo::new(move |_| case.with(|c| c.as_ref().and_then(|c| c.assignee).map(|id| id.to_string())));
    let run = move |to: Option<Option<uuid::Uuid>>| {
        ctx.starting();
        let r = ctx.reference();
        spawn_local(async move {
            let result = ctx
                .staff
                .call(move |t| async move {
                    match to {
                        None => api::assign_to_me(&t, &r).await,
                        Some(a) => api::assign(&t, &r, a).await,
                    }
                })
                .await;
            match result {
                Ok(a) => {
                    let text = match a.assignee_name {
                        Some(n) => format!("{} {n}.", tx("Ärendet är tilldelat", "The case is assigned to")()),
                        None => {
                            tx("Ärendet är inte tilldelat någon.", "The case is not assigned to anyone.")().to_owned()
                        }
                    };
                    outcome.set(Some(Ok(text)));
                    ctx.changed();
                }
                Err(e) => outcome.set(Some(Err(e.reason()))),
            }
            focus_later(ASSIGNED);
        });
    };
    // Drawn anew when the assignee changes: the choice starts at the case's handler.
    let form = move || {
        let current = assignee.get();
        let mine = current.is_some() && current == ctx.staff.id();
        let chosen = RwSignal::new(current.unwrap_or_default());
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let v = chosen.get_untracked();
            let to = if v.is_empty() { None } else { v.parse::<uuid::Uuid>().ok() };
            run(Some(to));
        };
        view! {
            {(!mine)
                .then(|| {
                    view! {
                        <button type="button" class="button" on:click=move |_| run(None)>
                            {tx("Tilldela mig", "Assign to me")}
                        </button>
                    }
                })}
            <form class="inline-form" on:submit=submit>
                <label for="tilldela">{tx("Tilldela handläggare", "Assign a handler")}</label>
                <select id="tilldela" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="" selected=move || chosen.get().is_empty()>
                        {tx("Ingen (ej tilldelad)", "Nobody (unassigned)")}
                    </option>
                    {move || {
                        handlers
                            .get()
                            .and_then(Result::ok)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|h| {
                                let id = h.id.to_string();
                                let selected = {
                                    let id = id.clone();
                                    move || chosen.get() == id
                                };
                                view! { <option value=id selected=selected>{h.name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <button type="submit" class="button button-secondary">{tx("Spara tilldelning", "Save assignment")}</button>
            </form>
        }
    };
    view! {
        <section class="panel" aria-labelledby="tilldelning">
            <h2 id="tilldelning" tabindex="-1">{tx("Tilldelning", "Assignment")}</h2>
            <OutcomeRegions outcome=outcome focus=ASSIGNED />
            {form}
        </section>
    }
}
