//! The steps of the application: the choice to log in, personal data, a page of the form, and
//! the summary to check before sending.

use leptos::prelude::*;
use shared::signing::SigningRequirement;
use shared::validate::FieldError;

use super::fields::answer_text;
use super::frame::{Buttons, ERROR_SUMMARY, StepFrame};
use super::{Form, HEADING, SUMMARY, Sending, requires_signing};
use crate::applicant::my_details::PersonFacts;
use crate::common::api;
use crate::common::components::{TextBlock, answer_in_service_words, focus_later};
use crate::common::field::{FieldInput, field_id};
use crate::common::i18n::{Own, is_en, pick, set_title, tx};
use crate::common::loader::{load, show_loaded};
use crate::common::router;
use crate::common::session::login_href;

/// "Logga in" or "Fortsätt utan att logga in" (services that allow both).
#[component]
pub fn Choose(form: Form) -> impl IntoView {
    let name = form.service_name();
    set_title(&name.sv, name.in_english());
    let login = login_href(&router::location().here());
    let first = form.steps.with_untracked(|s| s.first().map(|s| s.id.clone()).unwrap_or_default());
    view! {
        <p class="caption">
            <Own text=name />
        </p>
        <h1 id=HEADING tabindex="-1">
            {tx("Vill du logga in?", "Do you want to log in?")}
        </h1>
        <p>
            {tx(
                "Du kan använda e-tjänsten utan att logga in. Om du loggar in med e-legitimation sparas dina svar medan du fyller i, och du kan följa ärendet på Mina sidor.",
                "You can use the e-service without logging in. If you log in with e-ID, your answers are saved as you go, and you can follow the case on My pages.",
            )}
        </p>
        <div class="button-row">
            <a class="button button-start" href=login>
                {tx("Logga in", "Log in")}
            </a>
            <a class="button button-secondary" href=form.url(&first)>
                {tx("Fortsätt utan att logga in", "Continue without logging in")}
            </a>
        </div>
    }
}

/// Personal data from the population register (logged-in applicants).
#[component]
pub fn PersonStep(form: Form) -> impl IntoView {
    let auth = form.auth;
    let (person, retry) = load(move || auth.call(|token| async move { api::personal_data(&token).await }));
    let next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(to) = form.neighbour(1) {
            form.go(&to);
        }
    };
    view! {
        <StepFrame
            form=form
            title=("Dina uppgifter".into(), "Your details".into())
            errors=Signal::derive(Vec::new)
        >
            <p>
                {tx(
                    "Uppgifterna kommer från folkbokföringen och skickas med din ansökan.",
                    "The details come from the population register and are sent with your application.",
                )}
            </p>
            {move || show_loaded(person.get(), retry, ("Hämtar dina uppgifter …", "Loading your details …"), |person| view! { <PersonFacts person=person /> }.into_any()
            )}
            {form.service.with_value(|s| shared::prefill::asks_previous_case(&s.form)).then(|| view! { <PreviousCase form=form /> })}
            <form novalidate on:submit=next>
                <Buttons form=form />
            </form>
        </StepFrame>
    }
}

/// "Fyll i från ditt förra ärende": a recurring application takes the answers of the applicant's
/// newest case in this service to the fields that ask for them (`shared::prefill`), once the
/// applicant says so. Only the applicant's own newest case is read, by the server
/// (`GET /me/previous-answers/{slug}`), which sends only the answers the form takes.
#[component]
fn PreviousCase(form: Form) -> impl IntoView {
    let auth = form.auth;
    let slug = form.slug();
    let (previous, _) = load(move || {
        let slug = slug.clone();
        auth.call(move |token| {
            let slug = slug.clone();
            async move { api::previous_answers(&token, &slug).await }
        })
    });
    let filled = RwSignal::new(false);
    move || {
        // None (404) when there is no case to take answers from.
        let shared::api::PreviousAnswers { reference, answers } = previous.get()?.ok()?;
        let fill = move |_| {
            for (key, value) in answers.clone() {
                form.set_answer(&key, Some(value));
            }
            filled.set(true);
        };
        Some(view! {
            <div class="notice" role="status">
                <p>
                    {tx("Du har ansökt här förut, i ärende ", "You have applied here before, in case ")}
                    <strong>{reference}</strong> "."
                </p>
                {move || {
                    if filled.get() {
                        view! {
                            <p>
                                {tx(
                                    "Svaren därifrån är ifyllda. Kontrollera dem på varje sida och ändra det som inte stämmer längre.",
                                    "The answers from it are filled in. Check them on every page and change what is no longer right.",
                                )}
                            </p>
                        }
                            .into_any()
                    } else {
                        let fill = fill.clone();
                        view! {
                            <button type="button" class="button button-secondary" on:click=fill>
                                {tx("Fyll i svaren från mitt förra ärende", "Fill in the answers from my previous case")}
                            </button>
                        }
                            .into_any()
                    }
                }}
            </div>
        })
    }
}

/// One page of the service's form.
#[component]
pub fn PageStep(form: Form, index: usize) -> impl IntoView {
    let (title, description, keys) = form
        .page(index, |p| {
            (p.title.clone(), p.description.clone(), p.fields.iter().map(|f| f.key.clone()).collect::<Vec<_>>())
        })
        .unwrap_or_default();
    // The errors shown: the shared validation's for fields left or sent once, and the server's.
    // A memo: leaving a field changes what is touched, and the summary's links must not be made
    // again (under a click on one of them) unless the errors change.
    let errors = Memo::new(move |_| {
        let mut all = form.page_errors.get();
        all.retain(|e| form.touched.with(|t| t.contains(&e.path())));
        form.server_errors.with(|s| {
            for e in s.iter().filter(|e| keys.contains(&e.field)) {
                all.retain(|x| x.path() != e.path());
                all.push(e.clone());
            }
        });
        all
    });
    let next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let uploading = form.uploads.with_untracked(|u| !u.is_empty());
        let wrong: Vec<String> = form.page_errors.with_untracked(|e| e.iter().map(FieldError::path).collect());
        if !wrong.is_empty() || errors.with_untracked(|e| !e.is_empty()) || uploading {
            form.touched.update(|t| t.extend(wrong));
            form.summary.set(true);
            focus_later(ERROR_SUMMARY);
            return;
        }
        // Changing an answer from the summary goes back to it.
        let back_to_summary = router::location().query("andra").is_some();
        let to = if back_to_summary { Some(SUMMARY.to_owned()) } else { form.neighbour(1) };
        if let Some(to) = to {
            form.go(&to);
        }
    };
    let fields = form.service.with_value(|s| s.form.pages[index].fields.clone());
    view! {
        <StepFrame form=form title=(title.sv.clone(), title.in_english().to_owned()) errors=errors.into()>
            {description.map(|d| view! { <TextBlock text=d rich=true /> })}
            <form novalidate on:submit=next>
                {fields
                    .into_iter()
                    .map(|field| {
                        let key = field.key.clone();
                        let id = StoredValue::new(field_id("", &key));
                        let visible = move || form.visibility.with(|v| v.fields.contains(&key));
                        let field = StoredValue::new(field);
                        move || {
                            visible().then(|| view! { <FieldInput host=form field=field.get_value() id=id.get_value() /> })
                        }
                    })
                    .collect_view()}
                {move || {
                    (form.summary.get() && form.uploads.with(|u| !u.is_empty()))
                        .then(|| {
                            view! {
                                <p class="field-error">
                                    {tx(
                                        "Vänta tills filerna har laddats upp.",
                                        "Wait until the files have been uploaded.",
                                    )}
                                </p>
                            }
                        })
                }}
                <Buttons form=form />
            </form>
        </StepFrame>
    }
}

/// Every visible answer, grouped by page with "Ändra" links; then send (or sign).
#[component]
pub fn SummaryStep(form: Form) -> impl IntoView {
    let signing = form.service.with_value(requires_signing);
    let errors = Signal::derive(move || form.server_errors.get());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if signing { form.sign() } else { form.submit() }
    };
    // The summary names a chosen child: the children come from the register.
    if form.service.with_value(|s| s.form.fields().any(|(_, f)| matches!(f.kind, shared::FieldKind::Child))) {
        form.load_person();
    }
    let pages = move || {
        form.visibility.with(|v| {
            form.service.with_value(|s| {
                s.form
                    .pages
                    .iter()
                    .filter(|p| v.pages.contains(&p.key))
                    .map(|p| {
                        let rows: Vec<_> = p
                            .fields
                            .iter()
                            .filter(|f| f.kind.takes_answer() && v.fields.contains(&f.key))
                            .map(|f| (f.key.clone(), f.label.clone(), answer_in_service_words(f)))
                            .collect();
                        (p.key.clone(), p.title.clone(), rows)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <StepFrame form=form title=("Granska och skicka".into(), "Check and send".into()) errors=errors>
            <p>
                {tx(
                    "Kontrollera dina svar innan du skickar in. Du kan ändra ett svar med länken Ändra.",
                    "Check your answers before you send them. You can change an answer with the Change link.",
                )}
            </p>
            {move || {
                pages()
                    .into_iter()
                    .map(|(key, title, rows)| {
                        let href = format!("{}&andra=1", form.url(&key));
                        let heading_id = format!("sammanfattning-{key}");
                        let labelled_by = heading_id.clone();
                        view! {
                            <section class="summary-section" aria-labelledby=labelled_by>
                                <div class="summary-heading">
                                    <h2 id=heading_id>
                                        <Own text=title.clone() />
                                    </h2>
                                    <a href=href>
                                        {tx("Ändra", "Change")}
                                        <span class="visually-hidden">
                                            " " <Own text=title />
                                        </span>
                                    </a>
                                </div>
                                <dl class="summary">
                                    {rows
                                        .into_iter()
                                        .map(|(field, label, choice)| {
                                            view! {
                                                <div class="summary-row">
                                                    <dt>
                                                        <Own text=label />
                                                    </dt>
                                                    // A choice's answer is the option's label, the service's own words.
                                                    <dd lang=choice.then_some("sv")>
                                                        {move || answer_text(form, &field)}
                                                    </dd>
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                </dl>
                            </section>
                        }
                    })
                    .collect_view()
            }}
            <form novalidate on:submit=send>
                {signing.then(|| view! { <SigningNotice form=form /> })}
                {move || match form.sending.get() {
                    Sending::Failed(message) => {
                        Some(
                            view! {
                                <div class="alert" role="alert">
                                    <p>{move || pick(&message).to_owned()}</p>
                                </div>
                            },
                        )
                    }
                    _ => None,
                }}
                <div class="button-row">
                    <button
                        type="submit"
                        class="button button-start"
                        disabled=move || form.sending.get() == Sending::Busy
                        aria-describedby="skicka-status"
                    >
                        {move || match (signing, is_en()) {
                            (true, false) => "Signera och skicka",
                            (true, true) => "Sign and send",
                            (false, false) => "Skicka in",
                            (false, true) => "Send",
                        }}
                    </button>
                    <span id="skicka-status" class="save-status" role="status">
                        {move || {
                            (form.sending.get() == Sending::Busy)
                                .then(|| if signing { tx("Startar BankID …", "Starting BankID …") } else { tx("Skickar …", "Sending …") })
                        }}
                    </span>
                </div>
            </form>
        </StepFrame>
    }
}

/// What "Signera och skicka" does, under the summary of a service that requires signing.
#[component]
fn SigningNotice(form: Form) -> impl IntoView {
    let co_signers = form.service.with_value(|s| s.signing == SigningRequirement::ApplicantAndCoSigners);
    view! {
        <p class="hint">
            {tx(
                "Du skriver under ansökan med Mobilt BankID. Det du skriver under är en sammanfattning av dina svar och en kontrollsumma av dem.",
                "You sign the application with Mobile BankID. What you sign is a summary of your answers and a checksum of them.",
            )}
            {co_signers
                .then(|| {
                    tx(
                        " Efter dig ska fler skriva under. Ansökan kommer in till kommunen först när alla har skrivit under.",
                        " After you, others are to sign. The application reaches the municipality only when everyone has signed.",
                    )
                })}
        </p>
    }
}
