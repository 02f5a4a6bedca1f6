//! The steps of the journey: the choice to log in, personal data, a page of
//! the form, the summary, signing, and the receipt; and what they share (the
//! progress list, the error summary, the buttons).

use leptos::prelude::*;
use shared::signing::SigningRequirement;
use shared::validate::FieldError;

use super::fields::{FieldView, answer_text};
use super::{Form, HEADING, SUMMARY, Saved, Sending, Sent, instant, requires_signing};
use crate::api;
use crate::auth::login_href;
use crate::bankid::{BankIdOrderPanel, SIGN_TITLES, SignPhase, SignedText};
use crate::components::{
    LoadError, Loading, PhoneFold, TextBlock, answer_in_service_words, focus_id, focus_later, load,
};
use crate::i18n::{format_date, is_en, pick, set_title, tx};
use crate::pages::my_details::PersonFacts;
use crate::router;

/// `id` of the error summary, which receives focus when a step cannot be left.
pub const ERROR_SUMMARY: &str = "felsammanfattning";

/// "Logga in" or "Fortsätt utan att logga in" (services that allow both).
#[component]
pub fn Choose(form: Form) -> impl IntoView {
    let name = form.service.with_value(|s| s.name.clone());
    set_title(&name, &name);
    let login = login_href(&router::location().here());
    let first = form.steps.with_untracked(|s| s.first().map(|s| s.id.clone()).unwrap_or_default());
    view! {
        <p class="caption" lang="sv">
            {name}
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

/// The frame of a numbered step: back link, progress, heading (with "Steg 2 av 5"), notices, error summary.
#[component]
fn StepFrame(
    form: Form,
    /// The step's heading (a page title stays as the service owner wrote it).
    title: (String, String),
    /// The errors the summary lists when it is shown.
    errors: Signal<Vec<FieldError>>,
    children: Children,
) -> impl IntoView {
    let service_name = form.service.with_value(|s| s.name.clone());
    let has_errors = move || form.summary.get() && errors.with(|e| !e.is_empty());
    let (sv, en) = title.clone();
    let name = service_name.clone();
    Effect::new(move |_| {
        let (prefix_sv, prefix_en) = if has_errors() { ("Fel: ", "Error: ") } else { ("", "") };
        set_title(&format!("{prefix_sv}{sv} – {name}"), &format!("{prefix_en}{en} – {name}"));
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
        <p class="caption" lang="sv">
            {service_name}
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
                            let label = form.field(&e.field, |f| f.label.clone()).unwrap_or_default();
                            let page = form.service.with_value(|s| {
                                s.form.pages.iter().find(|p| p.fields.iter().any(|f| f.key == e.field)).map(|p| p.key.clone())
                            });
                            let on_this_page = page.as_deref() == Some(form.step.get_untracked().as_str());
                            let href = match &page {
                                Some(p) if !on_this_page => form.url(p),
                                _ => format!("#f-{}", e.field),
                            };
                            let field = e.field.clone();
                            let jump = move |ev: leptos::ev::MouseEvent| {
                                if on_this_page {
                                    ev.prevent_default();
                                    focus_id(&format!("f-{field}"));
                                } else {
                                    form.touch(&field);
                                }
                            };
                            view! {
                                <li>
                                    <a href=href on:click=jump>
                                        <span lang="sv">{label.clone()}</span>
                                        {crate::components::after_label(&label)}
                                        {move || pick(&e.message).to_owned()}
                                    </a>
                                </li>
                            }
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
                    <ul lang="sv">
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
                                            {f.label}
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
fn Buttons(form: Form, #[prop(optional)] next: Option<(&'static str, &'static str)>) -> impl IntoView {
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
            {move || match person.get() {
                None => view! { <Loading sv="Hämtar dina uppgifter …" en="Loading your details …" /> }.into_any(),
                Some(Ok(person)) => view! { <PersonFacts person=person /> }.into_any(),
                Some(Err(e)) if e.is_unauthorized() => ().into_any(),
                Some(Err(error)) => view! { <LoadError error=error retry=retry /> }.into_any(),
            }}
            <form novalidate on:submit=next>
                <Buttons form=form />
            </form>
        </StepFrame>
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
    let errors = Signal::derive(move || {
        let mut all = form.page_errors.get();
        all.retain(|e| form.touched.with(|t| t.contains(&e.field)));
        form.server_errors.with(|s| {
            for e in s.iter().filter(|e| keys.contains(&e.field)) {
                all.retain(|x| x.field != e.field);
                all.push(e.clone());
            }
        });
        all
    });
    let next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let uploading = form.uploads.with_untracked(|u| !u.is_empty());
        let wrong: Vec<String> = form.page_errors.with_untracked(|e| e.iter().map(|e| e.field.clone()).collect());
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
        <StepFrame form=form title=(title.clone(), title) errors=errors>
            {description.map(|d| view! { <TextBlock text=d /> })}
            <form novalidate on:submit=next>
                {fields
                    .into_iter()
                    .map(|field| {
                        let key = field.key.clone();
                        let visible = move || form.visibility.with(|v| v.fields.contains(&key));
                        let field = StoredValue::new(field);
                        move || visible().then(|| view! { <FieldView form=form field=field.get_value() /> })
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
                                    <h2 id=heading_id lang="sv">
                                        {title.clone()}
                                    </h2>
                                    <a href=href>
                                        {tx("Ändra", "Change")}
                                        <span class="visually-hidden" lang="sv">
                                            " "
                                            {title}
                                        </span>
                                    </a>
                                </div>
                                <dl class="summary">
                                    {rows
                                        .into_iter()
                                        .map(|(field, label, choice)| {
                                            view! {
                                                <div class="summary-row">
                                                    <dt lang="sv">{label}</dt>
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

/// The top of a receipt: its heading, the case reference, and when (`at`, unless NaN) it was
/// sent or signed.
#[component]
fn ReceiptHead(
    heading: (&'static str, &'static str),
    reference: String,
    at: f64,
    at_label: (&'static str, &'static str),
    /// The service's own heading (Swedish), in place of `heading`.
    own_heading: Option<String>,
) -> impl IntoView {
    view! {
        <div class="confirmation">
            <h1 id=HEADING tabindex="-1">
                {match own_heading {
                    Some(h) => view! { <span lang="sv">{h}</span> }.into_any(),
                    None => tx(heading.0, heading.1).into_any(),
                }}
            </h1>
            <p>
                {tx("Ditt ärendenummer", "Your case reference")} <br />
                <strong class="reference">{reference}</strong>
            </p>
        </div>
        {(!at.is_nan())
            .then(|| {
                view! {
                    <p>
                        {tx(at_label.0, at_label.1)} " " {move || format_date(instant(at), true)}
                    </p>
                }
            })}
    }
}

/// The last page: the case reference, the service's own text, and where to follow the case.
#[component]
pub fn Receipt(form: Form) -> impl IntoView {
    let (name, text) = form.service.with_value(|s| (s.name.clone(), s.last_page_text.clone()));
    let Some(Sent { reference, at, co_signers }) = form.receipt.get_untracked() else {
        return ().into_any();
    };
    if !co_signers.is_empty() {
        return view! { <AwaitingReceipt form=form reference=reference at=at co_signers=co_signers /> }.into_any();
    }
    let own_heading = form.service.with_value(|s| s.receipt_heading.clone());
    match &own_heading {
        Some(h) => set_title(&format!("{h} – {name}"), &format!("{h} – {name}")),
        None => set_title(&format!("Ditt ärende är skickat – {name}"), &format!("Your case is sent – {name}")),
    }
    let logged_in = form.auth.is_logged_in();
    // An anonymous applicant who gave an address gets the case's private link by mail (the
    // server's rule: the form's contact e-mail among the answers it kept).
    let reachable = !logged_in
        && form.service.with_value(|s| {
            form.answers.with_untracked(|a| {
                shared::validate::validate(&s.form, a).ok().and_then(|kept| s.form.contact_email(&kept)).is_some()
            })
        });
    view! {
        <ReceiptHead
            heading=("Ditt ärende är skickat", "Your case is sent")
            own_heading=own_heading
            reference=reference
            at=at
            at_label=("Skickad", "Sent")
        />
        <TextBlock text=text />
        {(!logged_in)
            .then(|| {
                let (sv, en) = if reachable {
                    (
                        "Du får ett e-postmeddelande med en personlig länk. Där följer du ärendet och läser och svarar på våra meddelanden. Dela inte länken med någon.",
                        "You will get an e-mail with a personal link. There you follow the case and read and answer our messages. Do not share the link with anyone.",
                    )
                } else {
                    (
                        "Du lämnade ingen e-postadress, så vi kan inte svara dig om ärendet. Spara ärendenumret: du behöver det om du kontaktar oss.",
                        "You left no e-mail address, so we cannot answer you about the case. Keep the case reference: you need it if you contact us.",
                    )
                };
                view! { <p class="notice">{tx(sv, en)}</p> }
            })}
        <ul class="link-list">
            {logged_in
                .then(|| {
                    view! {
                        <li>
                            <a href="/mina-sidor">{tx("Följ ärendet på Mina sidor", "Follow the case on My pages")}</a>
                        </li>
                    }
                })}
            <li>
                <a href="/">{tx("Till alla e-tjänster", "To all e-services")}</a>
            </li>
        </ul>
    }
    .into_any()
}

/// The last page when the case waits for co-signers: it reaches the handlers only when they have signed.
#[component]
fn AwaitingReceipt(form: Form, reference: String, at: f64, co_signers: Vec<String>) -> impl IntoView {
    let name = form.service.with_value(|s| s.name.clone());
    set_title(
        &format!("Ansökan väntar på underskrift – {name}"),
        &format!("The application is waiting for signatures – {name}"),
    );
    let names = co_signers.join(", ");
    let several = co_signers.len() > 1;
    view! {
        <ReceiptHead
            own_heading=None
            heading=(
                "Du har skrivit under – ansökan väntar på fler underskrifter",
                "You have signed – the application is waiting for more signatures",
            )
            reference=reference
            at=at
            at_label=("Underskriven", "Signed")
        />
        <p>
            {tx("Ansökan väntar nu på att ", "The application is now waiting for ")} <strong>{names}</strong>
            {move || match (several, is_en()) {
                (false, false) => " skriver under. Hen får en förfrågan på sin Min sida.",
                (true, false) => " skriver under. De får en förfrågan på sina Mina sidor.",
                (_, true) => " to sign. They get a request on their My pages.",
            }}
        </p>
        <p>
            <strong>
                {tx(
                    "Ansökan skickas till handläggaren först när alla har skrivit under.",
                    "The application is sent to the case officer only when everyone has signed.",
                )}
            </strong>
            " "
            {tx(
                "Om någon avböjer, eller inte skriver under i tid, skickas ansökan inte in. Du ser hur det går på Mina sidor.",
                "If someone declines, or does not sign in time, the application is not sent. You can follow it on My pages.",
            )}
        </p>
        <ul class="link-list">
            <li>
                <a href="/mina-sidor">{tx("Följ ärendet på Mina sidor", "Follow the case on My pages")}</a>
            </li>
            <li>
                <a href="/">{tx("Till alla e-tjänster", "To all e-services")}</a>
            </li>
        </ul>
    }
}
