//! "Kompletteringar": the supplement requests with what the applicant changed, and the form
//! that asks for one (of the fields shown for the case's answers).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::handling::SupplementRequestInput;
use wasm_bindgen::JsCast;

use super::{CaseNow, Ctx, OutcomeRegions};
use crate::common::api;
use crate::common::components::answer_display;
use crate::common::i18n::{format_instant, tx};
use crate::common::loader::{load, show_loaded};
use crate::staff::table::column_heads;

/// The fields a supplement request can name, as (key, label): those that take an answer (no
/// info blocks) and are shown for the case's answers (no field its conditions hide).
fn supplementable(form: &shared::FormDefinition, answers: &shared::Answers) -> Vec<(String, String)> {
    let shown = shared::validate::visibility(form, answers);
    form.pages
        .iter()
        .flat_map(|p| &p.fields)
        .filter(|f| f.kind.takes_answer() && shown.fields.contains(&f.key))
        .map(|f| (f.key.clone(), f.label.sv.clone()))
        .collect()
}

/// Supplement requests with what the applicant changed, and the form that asks for one.
#[component]
pub(super) fn Supplements(ctx: Ctx, case: CaseNow) -> impl IntoView {
    let fields = ctx.fields;
    let offered =
        Memo::new(move |_| case.with(|c| c.as_ref().map(|c| supplementable(&c.form, &c.answers)).unwrap_or_default()));
    let (list, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::staff_supplements(&t, &r).await })
    });
    let outcome = ctx.outcome();
    let message = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ctx.starting();
        let m = message.get_untracked();
        if m.trim().is_empty() {
            outcome.set(Some(Err(tx(
                "Skriv vad den sökande ska komplettera.",
                "Write what the applicant should supplement.",
            )()
            .to_owned())));
            return;
        }
        // Only fields still offered (the answers may have changed since one was ticked).
        let asked = offered.with_untracked(|o| {
            chosen.with_untracked(|c| c.iter().filter(|k| o.iter().any(|(key, _)| key == *k)).cloned().collect())
        });
        let body = SupplementRequestInput { message: m.trim().to_owned(), fields: asked, status: None };
        let r = ctx.reference();
        spawn_local(async move {
            match ctx.staff.call(move |t| async move { api::request_supplement(&t, &r, &body).await }).await {
                Ok(_) => {
                    message.set(String::new());
                    chosen.set(Vec::new());
                    outcome.set(Some(Ok(tx(
                        "Begäran om komplettering är skickad till den sökande.",
                        "The request for a supplement has been sent to the applicant.",
                    )()
                    .to_owned())));
                    ctx.changed();
                }
                Err(e) => outcome.set(Some(Err(e.reason()))),
            }
        });
    };
    let label_of = move |key: &str| {
        fields
            .with_untracked(|fs| fs.iter().find(|f| f.key == key).map(|f| f.label.sv.clone()))
            .unwrap_or_else(|| key.to_owned())
    };
    let show = move |key: &str, v: Option<&serde_json::Value>| {
        fields
            .with_untracked(|fs| fs.iter().find(|f| f.key == key).map(|f| answer_display(f, v)))
            .unwrap_or_else(|| v.map(ToString::to_string).unwrap_or_default())
    };
    view! {
        <section aria-labelledby="kompletteringar">
            <h2 id="kompletteringar" tabindex="-1">{tx("Kompletteringar", "Supplements")}</h2>
            {move || show_loaded(list.get(), retry, ("Hämtar kompletteringar …", "Loading supplements …"), |value| match value {
                items if items.is_empty() => {
                    view! { <p>{tx("Ingen komplettering har begärts.", "No supplement has been requested.")}</p> }
                        .into_any()
                }
                items => {
                    view! {
                        <ul class="supplements">
                            {items
                                .into_iter()
                                .map(|s| {
                                    let asked: Vec<String> = s.fields.iter().map(|k| label_of(k)).collect();
                                    view! {
                                        <li class="supplement">
                                            <p>
                                                <strong>{tx("Begärd", "Requested")}</strong>
                                                " "
                                                {format_instant(&s.requested_at)}
                                                {(!asked.is_empty())
                                                    .then(|| format!(" – {}: {}", tx("fält", "fields")(), asked.join(", ")))}
                                            </p>
                                            <p class="message-body">{s.message.clone()}</p>
                                            {match s.answered_at {
                                                None if s.closed_at.is_some() => {
                                                    view! {
                                                        <p class="pending">
                                                            {tx("Stängd utan svar.", "Closed without an answer.")}
                                                        </p>
                                                    }
                                                        .into_any()
                                                }
                                                None => {
                                                    view! {
                                                        <p class="pending">{tx("Väntar på svar.", "Waiting for an answer.")}</p>
                                                    }
                                                        .into_any()
                                                }
                                                Some(at) => {
                                                    view! {
                                                        <p>
                                                            <strong>{tx("Besvarad", "Answered")}</strong>
                                                            " "
                                                            {format_instant(&at)}
                                                        </p>
                                                        <table class="diff">
                                                            <caption>{tx("Ändrade svar", "Changed answers")}</caption>
                                                            {column_heads(&[("Fält", "Field"), ("Före", "Before"), ("Efter", "After")])}
                                                            <tbody>
                                                                {s
                                                                    .changes
                                                                    .iter()
                                                                    .map(|c| {
                                                                        view! {
                                                                            <tr>
                                                                                <th scope="row">{label_of(&c.field)}</th>
                                                                                <td class="before">{show(&c.field, c.before.as_ref())}</td>
                                                                                <td class="after">{show(&c.field, c.after.as_ref())}</td>
                                                                            </tr>
                                                                        }
                                                                    })
                                                                    .collect_view()}
                                                            </tbody>
                                                        </table>
                                                    }
                                                        .into_any()
                                                }
                                            }}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            })}
            <h3>{tx("Begär komplettering", "Request a supplement")}</h3>
            <OutcomeRegions outcome=outcome />
            <form on:submit=submit>
                <div class="field">
                    <label for="komplettering-meddelande">
                        {tx("Vad ska den sökande komplettera?", "What should the applicant supplement?")}
                    </label>
                    <textarea
                        id="komplettering-meddelande"
                        rows="3"
                        prop:value=message
                        on:input=move |ev| message.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <fieldset class="field">
                    <legend>{tx("Fält som får ändras (inga valda: alla)", "Fields that may be changed (none chosen: all)")}</legend>
                    {move || {
                        offered
                            .get()
                            .into_iter()
                            .map(|(key, label)| {
                            let id = format!("komplettera-{key}");
                            let key2 = key.clone();
                            view! {
                                <div class="checkbox">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        prop:checked=move || chosen.with(|c| c.contains(&key))
                                        on:change=move |ev| {
                                            let on = ev
                                                .target()
                                                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                                .is_some_and(|i| i.checked());
                                            chosen
                                                .update(|c| {
                                                    c.retain(|k| *k != key2);
                                                    if on {
                                                        c.push(key2.clone());
                                                    }
                                                });
                                        }
                                    />
                                    <label for=id>{label}</label>
                                </div>
                            }
                        })
                        .collect_view()
                    }}
                </fieldset>
                <button type="submit" class="button">{tx("Begär komplettering", "Request a supplement")}</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supplement_request_offers_only_the_fields_shown_for_the_answers_and_no_info_block() {
        let form: shared::FormDefinition = serde_json::from_value(serde_json::json!({"pages": [
            {"key": "felet", "title": "Vad är fel?", "fields": [
                {"key": "om", "label": "Om felanmälan", "kind": {"type": "info", "text": "Akuta fel: ring."}},
                {"key": "typ", "label": "Vad gäller det?", "required": true, "kind": {"type": "single_choice", "options": [
                    {"value": "klotter", "label": "Klotter"}, {"value": "annat", "label": "Annat"}]}},
                {"key": "beskriv_annat", "label": "Beskriv vad det gäller", "required": true,
                 "condition": {"op": "equals", "field": "typ", "value": "annat"}, "kind": {"type": "short_text"}},
                {"key": "plats", "label": "Var är felet?", "required": true, "kind": {"type": "short_text"}}
            ]},
            {"key": "foto", "title": "Foto", "condition": {"op": "equals", "field": "typ", "value": "annat"}, "fields": [
                {"key": "bild", "label": "Bild", "kind": {"type": "short_text"}}
            ]}
        ]}))
        .expect("form");
        let answers = |typ: &str| -> shared::Answers {
            serde_json::from_value(serde_json::json!({"typ": typ, "plats": "Hamntorget"})).expect("answers")
        };
        let keys = |typ| supplementable(&form, &answers(typ)).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(keys("klotter"), ["typ", "plats"]);
        assert_eq!(keys("annat"), ["typ", "beskriv_annat", "plats", "bild"]);
        assert_eq!(supplementable(&form, &answers("klotter"))[1].1, "Var är felet?");
    }
}
