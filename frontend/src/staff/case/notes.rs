//! "Interna anteckningar": notes for staff only, and the form for a new one.

use leptos::prelude::*;
use shared::handling::NewText;

use super::{Ctx, OutcomeRegions, TextForm, send_text};
use crate::common::api;
use crate::common::i18n::{format_instant, tx};
use crate::common::loader::{load, show_loaded};

/// Internal notes: staff only.
#[component]
pub(super) fn Notes(ctx: Ctx) -> impl IntoView {
    let (list, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::notes(&t, &r).await })
    });
    let form = TextForm::new(ctx);
    let (body, outcome, busy) = (form.body, form.outcome, form.busy);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let texts =
            [("Skriv en anteckning.", "Write a note."), ("Anteckningen är sparad.", "The note has been saved.")];
        send_text(ctx, form, texts, |t, r, text| async move { api::add_note(&t, &r, &NewText { body: text }).await });
    };
    view! {
        <section aria-labelledby="anteckningar">
            <h2 id="anteckningar" tabindex="-1">{tx("Interna anteckningar", "Internal notes")}</h2>
            <p class="hint">{tx("Syns bara för handläggare.", "Visible to staff only.")}</p>
            {move || show_loaded(list.get(), retry, ("Hämtar anteckningar …", "Loading notes …"), |items| {
                    view! {
                        <ul class="notes">
                            {items
                                .into_iter()
                                .map(|n| {
                                    view! {
                                        <li>
                                            <p class="meta">
                                                <strong>{n.author_name}</strong>
                                                " · "
                                                {format_instant(&n.created_at)}
                                            </p>
                                            <p class="message-body">{n.body}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            )}
            <OutcomeRegions outcome=outcome />
            <form on:submit=submit>
                <div class="field">
                    <label for="ny-anteckning">{tx("Ny anteckning", "New note")}</label>
                    <textarea id="ny-anteckning" rows="2" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="button button-secondary" aria-disabled=move || busy.get().to_string()>
                    {tx("Spara anteckning", "Save note")}
                </button>
            </form>
        </section>
    }
}
