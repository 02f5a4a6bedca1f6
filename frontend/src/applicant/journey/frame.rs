//! What every numbered step of the application has: the back link, the progress list, the
//! heading ("Steg 2 av 5"), the notice of questions to answer again after a new form version, the
//! error summary, and the buttons ("Nästa", "Spara och fortsätt senare").

use leptos::prelude::*;
use shared::validate::FieldError;

use super::{Form, HEADING, Saved};
use crate::common::components::{PhoneFold, focus_id};
use crate::common::field::{error_link, field_id};
use crate::common::i18n::{Own, is_en, pick, set_title, tx};
use crate::common::router;
use shared::parts::{error_input, error_label};

/// `id` of the error summary, which receives focus when a step cannot be left.
pub const ERROR_SUMMARY: &str = "felsammanfattning";

/// The frame of a numbered step: back link, progress, heading (with "Steg 2 av 5"), notices, error summary.
#[component]
pub(super) fn StepFrame(
    form: Form,
    /// The step's heading (a page title stays as the service owner wrote it).
    title: (String, String),
    /// The errors the summary lists when it is shown.
    errors: Signal<Vec<FieldError>>,
    children: Children,
) -> impl IntoView {
    let service_name = form.service_name();
    let has_errors = move || form.summary.get() && errors.with(|e| !e.is_empty());
    let (sv, en) = title.clone();
    let (name_sv, name_en) = (service_name.sv.clone(), service_name.in_english().to_owned());
    Effect::new(move |_| {
        let (prefix_sv, prefix_en) = if has_errors() { ("Fel: ", "Error: ") } else { ("", "") };
        set_title(&format!("{prefix_sv}{sv} – {name_sv}"), &format!("{prefix_en}{en} – {name_en}"));
    });
    let current = form.step.get_untracked();
    let (position, count) = form.steps.with(|s| (s.iter().position(|s| s.id == current).map_or(0, |i| i + 1), s.len()));
    let back = form.neighbour(-1).map(|id| form.url(&id));
    let is_page = title.0 == title.1;
    view! {
        {back
            .map(|href| {
                view! {
                    <a class="back-link" href=href>
                        {tx("Tillbaka", "Back")}
                    </a>
                }
            })}
        <p class="caption">
            <Own text=service_name />
        </p>
        <Progress form=form />
        <h1 id=HEADING tabindex="-1">
            <span class="step-count">
                {move || if is_en() { format!("Step {position} of {count}") } else { format!("Steg {position} av {count}") }}
            </span>
            <span lang=is_page.then_some("sv")>{move || if is_en() { title.1.clone() } else { title.0.clone() }}</span>
        </h1>
        <ReanswerNotice form=form />
        {move || has_errors().then(|| view! { <ErrorSummary form=form errors=errors /> })}
        {children()}
    }
}

/// The steps as an ordered list; the current one has `aria-current="step"`. On a phone the list
/// is folded behind "Alla steg" (the heading says "Steg 3 av 7"), so that the heading is near the
/// top; elsewhere it is open.
#[component]
fn Progress(form: Form) -> impl IntoView {
    view! {
        <nav class="progress" aria-label=tx("Steg i ansökan", "Steps of the application")>
            <PhoneFold summary=("Alla steg", "All steps")>
                <ol>
                    {move || {
                        let current = form.step.get();
                        form.steps
                            .get()
                            .into_iter()
                            .map(|s| {
                                let here = s.id == current;
                                let own_words = s.title.sv == s.title.en;
                                view! {
                                    <li aria-current=here.then_some("step") lang=own_words.then_some("sv")>
                                        {move || pick(&s.title).to_owned()}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
            </PhoneFold>
        </nav>
    }
}

/// "Det finns fel": one link per error, to its field (on this page) or to the page it is on.
#[component]
fn ErrorSummary(form: Form, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    view! {
        <div class="error-summary" id=ERROR_SUMMARY tabindex="-1" role="alert" aria-labelledby="fel-rubrik">
            <h2 id="fel-rubrik">{tx("Det finns fel som du behöver rätta", "There is a problem")}</h2>
            <ul>
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|e| {
                            let (label, path) = form
                                .field(&e.field, |f| (error_label(f, &e), error_input(f, &e)))
                                .unwrap_or_else(|| (Default::default(), e.path()));
                            let page = form.service.with_value(|s| {
                                s.form.pages.iter().find(|p| p.fields.iter().any(|f| f.key == e.field)).map(|p| p.key.clone())
                            });
                            let on_this_page = page.as_deref() == Some(form.step.get_untracked().as_str());
                            let href = match &page {
                                Some(p) if !on_this_page => form.url(p),
                                _ => format!("#{}", field_id("", &path)),
                            };
                            let jump = move |ev: leptos::ev::MouseEvent| {
                                if on_this_page {
                                    ev.prevent_default();
                                    focus_id(&field_id("", &path));
                                } else {
                                    form.touch(&path);
                                }
                            };
                            error_link(href, label, e.message, jump)
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// After a draft moved to a new form version: what to answer again, until it is answered.
#[component]
fn ReanswerNotice(form: Form) -> impl IntoView {
    let open = move || {
        form.reanswer.with(|r| {
            r.iter()
                .filter(|f| form.answers.with(|a| !a.get(&f.field).is_some_and(shared::condition::is_answered)))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    move || {
        let fields = open();
        (!fields.is_empty()).then(|| {
            view! {
                <div class="notice" role="status">
                    <h2>{tx("Formuläret har ändrats", "The form has changed")}</h2>
                    <p>
                        {tx(
                            "E-tjänsten har fått en ny version sedan du sparade. Dina svar är kvar där frågorna är desamma. Svara på de här frågorna igen:",
                            "The e-service has a new version since you saved. Your answers are kept where the questions are the same. Answer these questions again:",
                        )}
                    </p>
                    <ul>
                        {fields
                            .into_iter()
                            .map(|f| {
                                let page = form.service.with_value(|s| {
                                    s.form.pages.iter().find(|p| p.fields.iter().any(|x| x.key == f.field)).map(|p| p.key.clone())
                                });
                                let here = page.as_deref() == Some(form.step.get_untracked().as_str());
                                let href = page.map(|p| form.url(&p)).unwrap_or_default();
                                let field = f.field.clone();
                                // On this page the link goes straight to the field.
                                let jump = move |ev: leptos::ev::MouseEvent| {
                                    if here {
                                        ev.prevent_default();
                                        focus_id(&format!("f-{field}"));
                                    }
                                };
                                view! {
                                    <li>
                                        <a href=href on:click=jump>
                                            <Own text=f.label />
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// "Nästa" and, for a logged-in applicant, "Spara och fortsätt senare".
#[component]
pub(super) fn Buttons(form: Form, #[prop(optional)] next: Option<(&'static str, &'static str)>) -> impl IntoView {
    let (sv, en) = next.unwrap_or(("Nästa", "Next"));
    let save_later = move |_| {
        form.leave_after_save.set_value(true);
        form.save_now();
        if form.draft.with_untracked(Option::is_none) && form.answers.with_untracked(|a| a.is_empty()) {
            router::navigate("/mina-sidor", false);
        }
    };
    view! {
        <div class="button-row">
            <button type="submit" class="button button-start">
                {tx(sv, en)}
            </button>
        </div>
        {move || {
            form.auth
                .is_logged_in()
                .then(|| {
                    view! {
                        <div class="save-row">
                            <button type="button" class="button-link" on:click=save_later>
                                {tx("Spara och fortsätt senare", "Save and continue later")}
                            </button>
                            <span class="save-status">
                                {move || match form.saved.get() {
                                    Saved::Nothing => String::new(),
                                    Saved::Saving => tx("Sparar …", "Saving …")().to_owned(),
                                    Saved::At(at) => format!("{} {at}", tx("Utkastet sparades", "Draft saved")()),
                                    Saved::Failed => {
                                        tx(
                                            "Utkastet kunde inte sparas just nu. Vi försöker igen.",
                                            "The draft could not be saved just now. We will try again.",
                                        )()
                                            .to_owned()
                                    }
                                }}
                            </span>
                        </div>
                    }
                })
        }}
    }
}
