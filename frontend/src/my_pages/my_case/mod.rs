//! `/mina-sidor/arenden/{reference}`: one of the applicant's cases — its
//! status in plain words, what happened so far, an open supplement request
//! with a form for the fields the handler asked about, the messages with the
//! handlers, the decisions and documents to download, and the answers as
//! submitted.
//!
//! The "Händelser" list joins the case's status history (each change with its
//! date and the handler's comment, never who made it) with the supplement
//! requests and answers and the documents. The message form is offered while
//! the current status allows messages (`messaging_allowed`; when the server
//! does not say, on every case that is not closed); a refusal from the server
//! is shown, and the form goes. A message may carry one file, uploaded first
//! (`POST /api/v1/uploads`) and sent by its id; the files of all messages can
//! be downloaded.
//!
//! One file per section: `signing.rs`, `supplements.rs`, `timeline.rs`, `messages.rs`,
//! `documents.rs` (decisions and documents) and `answers.rs` (the answers as submitted).

mod answers;
mod documents;
mod messages;
mod signing;
mod supplements;
mod timeline;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::FormDefinition;
use shared::api::{ApplicantCase, CatalogueService};
use shared::signing::SigningRequirement;
use shared::validate::Localized;

use crate::common::api;
use crate::common::i18n::{format_day, format_instant, pick, set_title, tx};
use crate::common::loader::{Loaded, load, show_page};
use crate::common::session::{Auth, RequireLogin, use_auth};
use crate::common::status::{is_closed, sent_label, status_explanation_of, status_name, status_name_lang};
use answers::SubmittedAnswers;
use documents::Documents;
use messages::Messages;
use signing::Signing;
use supplements::Supplements;
use timeline::Timeline;

/// `id` of the page's `<h1>`, where focus goes after a supplement is sent.
const HEADING: &str = "arende-rubrik";

#[component]
pub fn MyCase(reference: String) -> impl IntoView {
    set_title(&format!("Ärende {reference}"), &format!("Case {reference}"));
    view! {
        <RequireLogin>
            <CaseLoader reference=reference.clone() />
        </RequireLogin>
    }
}

#[component]
fn CaseLoader(reference: String) -> impl IntoView {
    let auth = use_auth();
    let reference = StoredValue::new(reference);
    let (case, retry) = load(move || {
        let r = reference.get_value();
        auth.call(move |t| async move { api::my_case(&t, &r).await })
    });
    move || {
        show_page(
            case.get(),
            retry,
            ("Hämtar ärendet …", "Loading the case …"),
            ("Ärendet kunde inte visas", "The case could not be shown"),
            || view! { <CaseNotFound reference=reference.get_value() /> }.into_any(),
            |c| view! { <CaseView case=c /> }.into_any(),
        )
    }
}

#[component]
fn CaseNotFound(reference: String) -> impl IntoView {
    set_title("Ärendet finns inte", "The case does not exist");
    view! {
        <h1>{tx("Ärendet finns inte", "The case does not exist")}</h1>
        <p>
            {tx("Du har inget ärende med numret", "You have no case with the reference")} " " <strong>{reference}</strong>
            ". "
            {tx(
                "Kontrollera numret. Ett avslutat ärende raderas när tiden för att spara det har gått ut.",
                "Check the reference. A closed case is deleted when the time it is kept for has passed.",
            )}
        </p>
        <p>
            <a href="/mina-sidor">{tx("Till Mina sidor", "Go to My pages")}</a>
        </p>
    }
}

/// The page's state, shared by its sections. Cheap to copy.
#[derive(Clone, Copy)]
struct Ctx {
    auth: Auth,
    case: RwSignal<ApplicantCase>,
    /// The service with its form (for the fields' labels), loaded after the case.
    service: Loaded<CatalogueService>,
    /// Bumped after a supplement is sent: the case, its requests and documents are fetched again.
    version: RwSignal<u32>,
    /// The page's announcement under the heading, after an action.
    notice: RwSignal<Option<Localized>>,
}

impl Ctx {
    fn reference(&self) -> String {
        self.case.with_untracked(|c| c.reference.clone())
    }

    /// The form (reactive); `None` while it loads or when the service cannot be shown any more.
    fn with_form<R>(&self, f: impl FnOnce(Option<&FormDefinition>) -> R) -> R {
        self.service.with(|s| f(s.as_ref().and_then(|r| r.as_ref().ok()).map(|s| &s.form)))
    }

    /// Fetches the case again (without unmounting the page).
    fn refresh(self) {
        self.version.update(|v| *v = v.wrapping_add(1));
        let r = self.reference();
        spawn_local(async move {
            if let Ok(fresh) = self.auth.call(move |t| async move { api::my_case(&t, &r).await }).await {
                self.case.try_set(fresh);
            }
        });
    }
}

#[component]
fn CaseView(case: ApplicantCase) -> impl IntoView {
    let auth = use_auth();
    set_title(
        &format!("{} {}", case.service_name, case.reference),
        &format!("{} {}", case.service_name, case.reference),
    );
    let slug = case.service.clone();
    let (service, _) = load(move || api::service(slug.clone()));
    let ctx = Ctx { auth, case: RwSignal::new(case), service, version: RwSignal::new(0), notice: RwSignal::new(None) };
    let (supplements, supplements_retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        auth.call(move |t| async move { api::my_case_supplements(&t, &r).await })
    });
    let (documents, documents_retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        auth.call(move |t| async move { api::my_case_documents(&t, &r).await })
    });
    let (name, reference) = ctx.case.with_untracked(|c| (c.service_name.clone(), c.reference.clone()));
    view! {
        <p>
            <a class="back-link" href="/mina-sidor">
                {tx("Mina sidor", "My pages")}
            </a>
        </p>
        <h1 id=HEADING tabindex="-1">
            <span lang="sv">{name}</span>
            " "
            <span class="case-ref">{tx("ärende", "case")} " " {reference}</span>
        </h1>
        <div role="status">
            {move || {
                ctx.notice
                    .get()
                    .map(|n| {
                        view! {
                            <div class="notice">
                                <p>{move || pick(&n).to_owned()}</p>
                            </div>
                        }
                    })
            }}
        </div>
        <StatusNow ctx=ctx />
        // Asked for only where the service has signatures: other cases have no signing to show (404).
        {move || {
            let signed = ctx.service.with(|s| {
                s.as_ref().and_then(|r| r.as_ref().ok()).is_some_and(|s| s.signing != SigningRequirement::NotRequired)
            });
            signed.then(|| view! { <Signing ctx=ctx /> })
        }}
        <Supplements ctx=ctx list=supplements retry=supplements_retry />
        <Timeline ctx=ctx supplements=supplements documents=documents />
        <Messages ctx=ctx />
        <Documents ctx=ctx list=documents retry=documents_retry />
        <SubmittedAnswers ctx=ctx />
    }
}

/// The current status in words, when the case was sent, and for a closed case when it is deleted.
#[component]
fn StatusNow(ctx: Ctx) -> impl IntoView {
    move || {
        let (status, submitted_at, purge_on) =
            ctx.case.with(|c| (c.status.clone(), c.submitted_at, c.purge_on.filter(|_| is_closed(&c.status))));
        let name = status_name(&status);
        let name_lang = status_name_lang(&status);
        let (sv, en) = status_explanation_of(&status);
        let (sent_sv, sent_en) = sent_label(&status);
        view! {
            <section class="case-status-now" aria-labelledby="status-rubrik">
                <h2 id="status-rubrik">{tx("Status", "Status")}</h2>
                <p class="status-line">
                    <strong class="status-name" lang=name_lang>{move || pick(&name).to_owned()}</strong>
                </p>
                <p>{tx(sv, en)}</p>
                <dl class="facts">
                    <dt>{tx(sent_sv, sent_en)}</dt>
                    <dd>{move || format_instant(&submitted_at)}</dd>
                    {purge_on
                        .map(|day| {
                            view! {
                                <dt>{tx("Raderas", "Deleted on")}</dt>
                                <dd>{move || format_day(day)}</dd>
                            }
                        })}
                </dl>
                {purge_on
                    .map(|_| {
                        view! {
                            <p class="hint">
                                {tx(
                                    "Då raderas ärendet med alla svar, meddelanden och dokument. Ladda ner det du vill spara innan dess.",
                                    "The case is then deleted with all answers, messages and documents. Download what you want to keep before then.",
                                )}
                            </p>
                        }
                    })}
            </section>
        }
    }
}

/// Why an action failed, announced when it is set.
#[component]
fn Alert(why: RwSignal<Option<Localized>>) -> impl IntoView {
    view! {
        <div role="alert">
            {move || {
                why.get()
                    .map(|why| {
                        view! {
                            <div class="alert">
                                <p>{move || pick(&why).to_owned()}</p>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
