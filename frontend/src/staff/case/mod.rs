//! `/handlaggning/arenden/{reference}`: one case for its handler. The answers
//! exactly as submitted (rendered from the case's own form version) with the
//! applicant's files, assignment, the status and its change, the timeline,
//! retention (the day it is purged, or the legal hold that stops it, which service owners and
//! platform admins set and lift), supplement requests and what the answers changed, messages,
//! internal notes, and decisions and documents.
//!
//! On a wide screen the case's own content (answers, supplements, messages, documents) and the
//! actions on it (assignment, status, timeline, notes, retention) stand side by side, and a menu
//! at the top links to every section's heading. The page is drawn once when the case has loaded;
//! each section then follows the case as it reloads after a change, so that the keyboard stays
//! where it was and each form's outcome stays on screen (until the next action starts).
//!
//! One file per section: `answers.rs`, `signatures.rs`, `supplements.rs`, `messages.rs`,
//! `documents.rs`, `assign.rs`, `status.rs`, `timeline.rs`, `notes.rs` and `retention.rs`; the
//! page's state, frame, menu and the access log are here.

mod answers;
mod assign;
mod documents;
mod messages;
mod notes;
mod retention;
mod signatures;
mod status;
mod supplements;
mod timeline;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::Field;
use shared::api::{ApplicantReach, CaseDetail, StaffRole};
use shared::status::StatusKind;

use super::table::access_log_table;
use crate::common::api::{self, FetchError};
use crate::common::i18n::{format_day, format_instant, set_title, tx};
use crate::common::loader::{LoadError, Loading, load};
use crate::common::session::{RequireStaff, StaffAuth, use_staff};
use crate::common::status::status_name_now;
use answers::CaseAnswers;
use assign::Assign;
use documents::Documents;
use messages::Messages;
use notes::Notes;
use retention::{Retention, RetentionFacts};
use shared::formats::show_personnummer;
use signatures::Signatures;
use status::ChangeStatus;
use supplements::Supplements;
use timeline::Timeline;

#[component]
pub fn StaffCase(reference: String) -> impl IntoView {
    set_title("Ärende – handläggning", "Case – case handling");
    view! {
        <RequireStaff>
            <CaseView reference=reference.clone() />
        </RequireStaff>
    }
}

/// What a form on the page says after it was sent: done (with a text), or the server's reason.
type Outcome = RwSignal<Option<Result<String, String>>>;

/// The case as last loaded (`None` while a reload has failed).
type CaseNow = Memo<Option<CaseDetail>>;

/// The page's state. Every list on it reloads when `version` changes (after each change made here).
#[derive(Clone, Copy)]
struct Ctx {
    staff: StaffAuth,
    reference: StoredValue<String>,
    version: RwSignal<u32>,
    /// The fields of the case's form version (for the supplements' diff).
    fields: RwSignal<Vec<Field>>,
    /// How to clear what each of the page's actions said: an action that starts clears them all.
    outcomes: StoredValue<Vec<Box<dyn Fn() + Send + Sync>>>,
    /// Whether the case has signatures (their section is shown, and the menu links to it).
    signed: RwSignal<bool>,
    /// How the applicant is reached (messages are offered only when they can be read).
    reach: RwSignal<ApplicantReach>,
}

impl Ctx {
    fn reference(&self) -> String {
        self.reference.get_value()
    }

    fn changed(&self) {
        self.version.update(|v| *v = v.wrapping_add(1));
    }

    /// A form's outcome, cleared when another action starts.
    fn outcome(&self) -> Outcome {
        let outcome = RwSignal::new(None);
        self.cleared_on_start(outcome);
        outcome
    }

    /// What an action said, emptied when another action starts.
    fn cleared_on_start<T: Send + Sync + 'static>(&self, said: RwSignal<Option<T>>) {
        self.outcomes.update_value(|all| {
            all.push(Box::new(move || {
                // A form no longer on the page has a disposed signal: passed over.
                if said.try_with_untracked(Option::is_some) == Some(true) {
                    said.set(None);
                }
            }));
        });
    }

    /// An action starts: what earlier actions said goes, so that the page only says what the
    /// newest one did.
    fn starting(&self) {
        self.outcomes.with_value(|all| all.iter().for_each(|clear| clear()));
    }
}

/// Where the page is: loading, no such case, failed, or the case loaded.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    NotFound,
    Failed(FetchError),
    Loaded,
}

#[component]
fn CaseView(reference: String) -> impl IntoView {
    let ctx = Ctx {
        staff: use_staff(),
        reference: StoredValue::new(reference),
        version: RwSignal::new(0),
        fields: RwSignal::new(Vec::new()),
        outcomes: StoredValue::new(Vec::new()),
        signed: RwSignal::new(false),
        reach: RwSignal::new(ApplicantReach::default()),
    };
    let (case, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::staff_case(&t, &r).await })
    });
    // The case as last loaded: kept on screen while it reloads after a change.
    let shown = RwSignal::new(None::<Result<CaseDetail, FetchError>>);
    Effect::new(move |_| {
        if let Some(result) = case.get() {
            if let Ok(c) = &result {
                ctx.reach.set(c.applicant_reach);
                let fields: Vec<Field> = c.form.pages.iter().flat_map(|p| p.fields.iter().cloned()).collect();
                if ctx.fields.with_untracked(Vec::is_empty) {
                    ctx.fields.set(fields);
                }
            }
            // Redrawn only when something shown changed: a form being filled in stays as it is.
            if shown.with_untracked(|s| s.as_ref() != Some(&result)) {
                shown.set(Some(result));
            }
        }
    });
    let phase = Memo::new(move |_| {
        shown.with(|s| match s {
            None => Phase::Loading,
            Some(Err(e)) if e.is_not_found() => Phase::NotFound,
            Some(Err(e)) => Phase::Failed(e.clone()),
            Some(Ok(_)) => Phase::Loaded,
        })
    });
    let now: CaseNow = Memo::new(move |_| shown.with(|s| s.as_ref().and_then(|r| r.as_ref().ok()).cloned()));
    move || match phase.get() {
        Phase::Loading => view! { <Loading sv="Hämtar ärendet …" en="Loading the case …" /> }.into_any(),
        Phase::NotFound => view! {
            <h1>{tx("Ärendet finns inte", "The case does not exist")}</h1>
            <p>
                {tx(
                    "Det finns inget ärende med det numret som du har behörighet till.",
                    "There is no case with that reference that you are permitted on.",
                )}
            </p>
            <p>
                <a href="/handlaggning">{tx("Till inkorgen", "To the inbox")}</a>
            </p>
        }
        .into_any(),
        Phase::Failed(e) => view! { <LoadError error=e retry=retry /> }.into_any(),
        // Drawn once, when the case has loaded: each part follows the case, or reloads its own list.
        Phase::Loaded => view! { <CaseLayout ctx=ctx case=now /> }.into_any(),
    }
}

/// The heading, the facts, the menu, and the sections in two columns: the case's content, and
/// the actions on it.
#[component]
fn CaseLayout(ctx: Ctx, case: CaseNow) -> impl IntoView {
    let (service_name, reference) =
        case.with_untracked(|c| c.as_ref().map(|c| (c.service_name.clone(), c.reference.clone()))).unwrap_or_default();
    let retention = Memo::new(move |_| {
        case.with(|c| {
            c.as_ref().map(|c| RetentionFacts {
                closed: c.status.kind == StatusKind::Closed,
                purge_on: c.purge_on,
                legal_hold: c.legal_hold.clone(),
            })
        })
    });
    view! {
        <p class="breadcrumb">
            <a href="/handlaggning">{tx("Inkorg", "Inbox")}</a>
        </p>
        <h1 id="arende" tabindex="-1">
            {service_name}
            ": "
            {reference}
        </h1>
        <CaseFacts case=case />
        <CaseMenu ctx=ctx />
        <div class="case-layout">
            <div class="case-content">
                <CaseAnswers ctx=ctx case=case />
                <Signatures ctx=ctx />
                <Supplements ctx=ctx case=case />
                <Messages ctx=ctx />
                <Documents ctx=ctx />
                <AccessLog ctx=ctx />
            </div>
            <div class="case-actions">
                <Assign ctx=ctx case=case />
                <ChangeStatus ctx=ctx case=case />
                <Timeline case=case />
                <Notes ctx=ctx />
                <Retention ctx=ctx facts=retention />
            </div>
        </div>
    }
}

/// Status, applicant, submission, form version, handler and purge day.
#[component]
fn CaseFacts(case: CaseNow) -> impl IntoView {
    let fact = move |f: fn(&CaseDetail) -> String| move || case.with(|c| c.as_ref().map(f).unwrap_or_default());
    view! {
        <dl class="case-facts">
            <dt>{tx("Status", "Status")}</dt>
            <dd class="case-status">{fact(|c| status_name_now(&c.status))}</dd>
            <dt>{tx("Sökande", "Applicant")}</dt>
            <dd>
                {fact(|c| {
                    let name = c.applicant.name.clone().unwrap_or_else(|| tx("Anonym", "Anonymous")().to_owned());
                    match &c.applicant.personnummer {
                        Some(p) => format!("{name} ({})", show_personnummer(p)),
                        None => name,
                    }
                })}
            </dd>
            <dt>{tx("Inkommet", "Submitted")}</dt>
            <dd>{fact(|c| format_instant(&c.submitted_at))}</dd>
            <dt>{tx("Formulärversion", "Form version")}</dt>
            <dd>{fact(|c| c.form_version.to_string())}</dd>
            <dt>{tx("Handläggare", "Handler")}</dt>
            <dd>
                {fact(|c| c.assignee_name.clone().unwrap_or_else(|| tx("Ej tilldelad", "Unassigned")().to_owned()))}
            </dd>
            {move || {
                case.with(|c| {
                    let c = c.as_ref()?;
                    let when = match (c.purge_on, c.legal_hold.is_some()) {
                        (_, true) => tx("Inte så länge gallringsspärren gäller", "Not while the legal hold lasts")()
                            .to_owned(),
                        (Some(day), false) => format_day(day),
                        (None, false) => return None,
                    };
                    Some(view! {
                        <dt>{tx("Gallras", "Purged on")}</dt>
                        <dd>{when}</dd>
                    })
                })
            }}
        </dl>
    }
}

/// "Ärendets delar": a link to each section's heading, in the page's order.
#[component]
fn CaseMenu(ctx: Ctx) -> impl IntoView {
    let link = |id: &'static str, sv: &'static str, en: &'static str| {
        view! {
            <li>
                <a href=format!("#{id}")>{tx(sv, en)}</a>
            </li>
        }
    };
    view! {
        <nav class="case-menu" aria-label=tx("Ärendets delar", "Parts of the case")>
            <ul>
                {link("svar", "Svar", "Answers")}
                {move || ctx.signed.get().then(|| link("underskrifter", "Underskrifter", "Signatures"))}
                {link("kompletteringar", "Kompletteringar", "Supplements")}
                {link("meddelanden", "Meddelanden", "Messages")}
                {link("dokument", "Beslut och dokument", "Decisions and documents")}
                {move || {
                    ctx.staff
                        .may_have(&[StaffRole::PlatformAdmin])
                        .then(|| link("atkomstlogg", "Åtkomstlogg", "Access log"))
                }}
                {link("tilldelning", "Tilldelning", "Assignment")}
                {link("status-rubrik", "Ändra status", "Change status")}
                {link("historik", "Händelser", "Timeline")}
                {link("anteckningar", "Interna anteckningar", "Internal notes")}
                {link("gallring", "Gallring", "Retention")}
            </ul>
        </nav>
    }
}

/// The role="status" and role="alert" regions of a form's outcome (always present, so changes
/// are announced). With `focus`, the message has that id and can take the keyboard focus
/// (`tabindex="-1"`).
#[component]
fn OutcomeRegions(outcome: Outcome, #[prop(optional)] focus: Option<&'static str>) -> impl IntoView {
    let tabindex = focus.map(|_| "-1");
    view! {
        <div role="status">
            {move || {
                outcome.get().and_then(Result::ok).map(|text| view! { <p class="notice" id=focus tabindex=tabindex>{text}</p> })
            }}
        </div>
        <div role="alert">
            {move || {
                outcome
                    .get()
                    .and_then(Result::err)
                    .map(|text| view! { <div class="alert" id=focus tabindex=tabindex><p>{text}</p></div> })
            }}
        </div>
    }
}

/// A text form's state: the text, what became of the last send, and whether one is under way.
#[derive(Clone, Copy)]
struct TextForm {
    body: RwSignal<String>,
    outcome: Outcome,
    busy: RwSignal<bool>,
}

impl TextForm {
    fn new(ctx: Ctx) -> TextForm {
        TextForm { body: RwSignal::new(String::new()), outcome: ctx.outcome(), busy: RwSignal::new(false) }
    }
}

/// Sends the text of `body` with `send` (after checking it is not empty): on
/// success the field is emptied, `done` is said and the page reloads; a
/// refusal is said with the server's reason. Messages, notes and the legal hold use it.
fn send_text<T, F, Fut>(ctx: Ctx, form: TextForm, texts: [(&'static str, &'static str); 2], send: F)
where
    F: FnOnce(String, String, String) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<T, FetchError>> + 'static,
{
    let TextForm { body, outcome, busy } = form;
    // One send at a time: a double click must not send the message (and its mail) twice.
    if busy.get_untracked() {
        return;
    }
    ctx.starting();
    let [(empty_sv, empty_en), (done_sv, done_en)] = texts;
    let text = body.get_untracked().trim().to_owned();
    if text.is_empty() {
        outcome.set(Some(Err(tx(empty_sv, empty_en)().to_owned())));
        return;
    }
    let r = ctx.reference();
    busy.set(true);
    spawn_local(async move {
        let result = ctx.staff.call(move |t| send(t, r, text)).await;
        busy.set(false);
        match result {
            Ok(_) => {
                body.set(String::new());
                outcome.set(Some(Ok(tx(done_sv, done_en)().to_owned())));
                ctx.changed();
            }
            Err(e) => outcome.set(Some(Err(e.reason()))),
        }
    });
}

/// Who read or changed the case, for platform admins only (asked for only by them: the server
/// refuses everybody else).
#[component]
fn AccessLog(ctx: Ctx) -> impl IntoView {
    move || ctx.staff.may_have(&[StaffRole::PlatformAdmin]).then(|| view! { <AccessLogTable ctx=ctx /> })
}

#[component]
fn AccessLogTable(ctx: Ctx) -> impl IntoView {
    let (list, _) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::case_access_log(&t, &r).await })
    });
    move || {
        list.get().and_then(Result::ok).map(|entries| {
            view! {
                <section aria-labelledby="atkomstlogg">
                    <h2 id="atkomstlogg" tabindex="-1">{tx("Åtkomstlogg", "Access log")}</h2>
                    {access_log_table(entries)}
                </section>
            }
        })
    }
}
