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

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{
    ApplicantReach, CaseDetail, ChangeStatusRequest, LegalHold, LegalHoldRequest, StaffRole, StatusChange,
};
use shared::documents::{CaseDocument, DocumentKind};
use shared::handling::{MessageAttachment, MessageAuthor, NewMessage, NewText, SupplementRequestInput};
use shared::signing::{CaseSignatureView, SignatureRole, SignatureState, SignatureVerification};
use shared::status::StatusKind;
use shared::{Field, FieldKind};
use wasm_bindgen::JsCast;

use super::{reason, status_name};
use crate::api::{self, FetchError};
use crate::components::{LoadError, Loading, answer_display, focus_later, format_personnummer, load};
use crate::i18n::{format_instant, format_iso_date, format_size, is_en, set_title, tx};
use crate::staff_auth::{RequireStaff, StaffAuth, use_staff};

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

/// The id of the assignment's outcome, which takes the keyboard focus ("Tilldela mig" is gone
/// once the case is the handler's, and the form is redrawn for the new assignee).
const ASSIGNED: &str = "tilldelning-resultat";
/// The id of the status change's outcome, which takes the keyboard focus (the form is redrawn
/// for the new status).
const STATUS_CHANGED: &str = "status-resultat";

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
                <Answers ctx=ctx case=case />
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
            <dd class="case-status">{fact(|c| status_name(&c.status))}</dd>
            <dt>{tx("Sökande", "Applicant")}</dt>
            <dd>
                {fact(|c| {
                    let name = c.applicant.name.clone().unwrap_or_else(|| tx("Anonym", "Anonymous")().to_owned());
                    match &c.applicant.personnummer {
                        Some(p) => format!("{name} ({})", format_personnummer(p)),
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
                        (Some(day), false) => format_iso_date(&day.to_string()),
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

/// "Tilldela mig", a choice of handler, "Ta bort tilldelning". The outcome takes the focus: the
/// button is gone once the case is the handler's own.
#[component]
fn Assign(ctx: Ctx, case: CaseNow) -> impl IntoView {
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
                Err(e) => outcome.set(Some(Err(reason(&e)))),
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

/// The statuses a handler can move the case to, as (key, name): the service's list without the
/// current one and the awaiting-supplement ones (a supplement request moves there).
fn status_choices(case: &CaseDetail) -> Vec<(String, String)> {
    case.statuses
        .iter()
        .filter(|s| s.key != case.status.key && s.kind != StatusKind::AwaitingSupplement && s.kind != StatusKind::Draft)
        .map(|s| {
            let name = match (&s.name_en, is_en()) {
                (Some(en), true) => en.clone(),
                _ => s.name.clone(),
            };
            (s.key.clone(), name)
        })
        .collect()
}

/// "Ändra status": the current status, a choice of the next (starting at "Välj status", never at
/// a status the handler did not choose) and a comment. The outcome takes the focus: the form is
/// drawn anew for the new status.
#[component]
fn ChangeStatus(ctx: Ctx, case: CaseNow) -> impl IntoView {
    let outcome = ctx.outcome();
    let choices = Memo::new(move |_| case.with(|c| c.as_ref().map(|c| (status_name(&c.status), status_choices(c)))));
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
                        status_name(&case.status)
                    ))));
                    ctx.changed();
                }
                Err(e) => outcome.set(Some(Err(reason(&e)))),
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

/// The answers page by page, as the form version of the case has them; files with a download
/// button. Redrawn only when the answers change (a supplement).
#[component]
fn Answers(ctx: Ctx, case: CaseNow) -> impl IntoView {
    let content = Memo::new(move |_| case.with(|c| c.as_ref().map(|c| (c.form.clone(), c.answers.clone()))));
    view! {
        <section aria-labelledby="svar">
            <h2 id="svar" tabindex="-1">{tx("Svar", "Answers")}</h2>
            {move || {
                content
                    .get()
                    .map(|(form, answers)| {
                        form.pages
                            .into_iter()
                            .filter(|p| p.fields.iter().any(|f| answers.contains_key(&f.key)))
                            .map(|page| {
                                view! {
                                    <h3>{page.title.clone()}</h3>
                                    <dl class="answers">
                                        {page
                                            .fields
                                            .iter()
                                            .filter(|f| answers.contains_key(&f.key))
                                            .map(|f| {
                                                let value = answers.get(&f.key);
                                                let files = match (&f.kind, value) {
                                                    (FieldKind::File { .. }, Some(serde_json::Value::Array(files))) => {
                                                        files.clone()
                                                    }
                                                    _ => Vec::new(),
                                                };
                                                let text = answer_display(f, value);
                                                view! {
                                                    <dt>{f.label.clone()}</dt>
                                                    <dd>
                                                        {if files.is_empty() {
                                                            view! { <span class="answer">{text}</span> }.into_any()
                                                        } else {
                                                            view! { <FileList ctx=ctx files=files /> }.into_any()
                                                        }}
                                                    </dd>
                                                }
                                            })
                                            .collect_view()}
                                    </dl>
                                }
                            })
                            .collect_view()
                    })
            }}
        </section>
    }
}

/// The applicant's files of one answer, each with a download button.
#[component]
fn FileList(ctx: Ctx, files: Vec<serde_json::Value>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    view! {
        <ul class="files">
            {files
                .into_iter()
                .map(|f| {
                    let id = f.get("id").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                    let name = f.get("name").and_then(|v| v.as_str()).unwrap_or("fil").to_owned();
                    let path = api::attachment_path(&ctx.reference(), &id);
                    view! {
                        <li>
                            <DownloadButton ctx=ctx path=path name=name error=error />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <div role="alert">{move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
    }
}

/// "Ladda ner {name}": fetches the file at the API `path` with the staff token and saves it;
/// a failure is said in `error`.
#[component]
fn DownloadButton(ctx: Ctx, path: String, name: String, error: RwSignal<Option<String>>) -> impl IntoView {
    let label = name.clone();
    let get = move |_| {
        let (path, name) = (path.clone(), name.clone());
        spawn_local(async move {
            let result = ctx.staff.call(|t| async move { api::download(&path, &t, &name).await }).await;
            error.set(result.err().map(|e| reason(&e)));
        });
    };
    view! {
        <button type="button" class="link-button" on:click=get>
            {tx("Ladda ner", "Download")}
            " "
            {label}
        </button>
    }
}

/// What the retention section shows of the case.
#[derive(Debug, Clone, PartialEq)]
struct RetentionFacts {
    /// Whether the case is closed (its retention clock runs).
    closed: bool,
    /// The day it is purged (closed cases without a hold).
    purge_on: Option<chrono::NaiveDate>,
    /// The hold that keeps it, if any.
    legal_hold: Option<LegalHold>,
}

/// Retention: the day the closed case is purged, or the legal hold that keeps it; for service
/// owners and platform admins the form that sets a hold and the button that lifts it. Drawn
/// once, so that its outcome regions stay in the page (and are announced) while the case reloads.
#[component]
fn Retention(ctx: Ctx, facts: Memo<Option<RetentionFacts>>) -> impl IntoView {
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
                Err(e) => outcome.set(Some(Err(reason(&e)))),
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
                    {tx("Gallringsdag:", "Purge day:")} " " <strong>{format_iso_date(&day.to_string())}</strong> ". "
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

/// Every status change, oldest first: when, from, to, who, comment. Redrawn when the history
/// or the statuses change.
#[component]
fn Timeline(case: CaseNow) -> impl IntoView {
    let content = Memo::new(move |_| case.with(|c| c.as_ref().map(|c| (c.statuses.clone(), c.history.clone()))));
    view! {
        <section aria-labelledby="historik">
            <h2 id="historik" tabindex="-1">{tx("Händelser", "Timeline")}</h2>
            {move || {
                content
                    .get()
                    .map(|(statuses, history)| {
                        let name_of = |key: &str| {
                            statuses
                                .iter()
                                .find(|s| s.key == key)
                                .map(|s| match (&s.name_en, is_en()) {
                                    (Some(en), true) => en.clone(),
                                    _ => s.name.clone(),
                                })
                                .unwrap_or_else(|| key.to_owned())
                        };
                        view! {
                            <ol class="timeline">
                                {history
                                    .into_iter()
                                    .map(|h| {
                                        let who = ChangedBy::of(&h).text();
                                        view! {
                                            <li>
                                                <span class="when">{format_instant(&h.at)}</span>
                                                " "
                                                <strong>{name_of(&h.to)}</strong>
                                                {h
                                                    .from
                                                    .as_deref()
                                                    .map(|f| format!(" ({} {})", tx("från", "from")(), name_of(f)))}
                                                " – "
                                                {who}
                                                {h.comment.map(|c| view! { <p class="comment">{c}</p> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                    })
            }}
        </section>
    }
}

/// Who made a status change, as the timeline says it.
#[derive(Debug, PartialEq)]
enum ChangedBy {
    /// A staff member, by name (by user name only for an account the server no longer names).
    Staff(String),
    /// The applicant, a co-signer or the system, in Swedish and English.
    Party(&'static str, &'static str),
}

impl ChangedBy {
    fn of(change: &StatusChange) -> ChangedBy {
        if let Some(name) = &change.by_name {
            return ChangedBy::Staff(name.clone());
        }
        match change.by.as_str() {
            "applicant" => ChangedBy::Party("sökanden", "the applicant"),
            "co_signer" => ChangedBy::Party("en medundertecknare", "a co-signer"),
            "system" => ChangedBy::Party("systemet", "the system"),
            other => ChangedBy::Staff(other.to_owned()),
        }
    }

    fn text(self) -> String {
        match self {
            ChangedBy::Staff(name) => name,
            ChangedBy::Party(sv, en) => tx(sv, en)().to_owned(),
        }
    }
}

/// The fields a supplement request can name, as (key, label): those that take an answer (no
/// info blocks) and are shown for the case's answers (no field its conditions hide).
fn supplementable(form: &shared::FormDefinition, answers: &shared::Answers) -> Vec<(String, String)> {
    let shown = shared::validate::visibility(form, answers);
    form.pages
        .iter()
        .flat_map(|p| &p.fields)
        .filter(|f| f.kind.takes_answer() && shown.fields.contains(&f.key))
        .map(|f| (f.key.clone(), f.label.clone()))
        .collect()
}

/// Supplement requests with what the applicant changed, and the form that asks for one.
#[component]
fn Supplements(ctx: Ctx, case: CaseNow) -> impl IntoView {
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
                Err(e) => outcome.set(Some(Err(reason(&e)))),
            }
        });
    };
    let label_of = move |key: &str| {
        fields
            .with_untracked(|fs| fs.iter().find(|f| f.key == key).map(|f| f.label.clone()))
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
            {move || match list.get() {
                None => view! { <Loading sv="Hämtar kompletteringar …" en="Loading supplements …" /> }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => {
                    view! { <p>{tx("Ingen komplettering har begärts.", "No supplement has been requested.")}</p> }
                        .into_any()
                }
                Some(Ok(items)) => {
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
                                                            <thead>
                                                                <tr>
                                                                    <th scope="col">{tx("Fält", "Field")}</th>
                                                                    <th scope="col">{tx("Före", "Before")}</th>
                                                                    <th scope="col">{tx("Efter", "After")}</th>
                                                                </tr>
                                                            </thead>
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
            }}
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
            Err(e) => outcome.set(Some(Err(reason(&e)))),
        }
    });
}

/// Messages with the applicant, both ways, with their files, and a form for a new one.
#[component]
fn Messages(ctx: Ctx) -> impl IntoView {
    let (list, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::staff_messages(&t, &r).await })
    });
    let form = TextForm::new(ctx);
    let (body, outcome, busy) = (form.body, form.outcome, form.busy);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0));
        let texts =
            [("Skriv ett meddelande.", "Write a message."), ("Meddelandet är skickat.", "The message has been sent.")];
        send_text(ctx, form, texts, move |t, r, text| async move {
            // The file first; its id goes with the message.
            let attachments = match file {
                Some(file) => vec![api::attach_message_file(&t, &r, &file).await?.id],
                None => Vec::new(),
            };
            let sent = api::staff_send_message(&t, &r, &NewMessage { body: text, attachments }).await?;
            if let Some(input) = file_input.get_untracked() {
                input.set_value("");
            }
            Ok(sent)
        });
    };
    let error = RwSignal::new(None::<String>);
    let attachment = move |a: MessageAttachment| {
        let path = api::staff_message_attachment_path(&ctx.reference(), &a.id.to_string());
        view! {
            <li>
                <DownloadButton ctx=ctx path=path name=a.name error=error />
                " "
                <span class="meta">"(" {format_size(a.size)} ")"</span>
            </li>
        }
    };
    view! {
        <section aria-labelledby="meddelanden">
            <h2 id="meddelanden" tabindex="-1">{tx("Meddelanden", "Messages")}</h2>
            {move || match list.get() {
                None => view! { <Loading sv="Hämtar meddelanden …" en="Loading messages …" /> }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => {
                    view! { <p>{tx("Inga meddelanden ännu.", "No messages yet.")}</p> }.into_any()
                }
                Some(Ok(items)) => {
                    view! {
                        <ul class="messages">
                            {items
                                .into_iter()
                                .map(|m| {
                                    let from_staff = m.author == MessageAuthor::Staff;
                                    let who = if from_staff {
                                        m.author_name.clone().unwrap_or_else(|| tx("Handläggare", "Handler")().to_owned())
                                    } else {
                                        tx("Sökande", "Applicant")().to_owned()
                                    };
                                    let read = m.read_at.map(|at| format!("{} {}", tx("Läst", "Read")(), format_instant(&at)));
                                    let files = (!m.attachments.is_empty())
                                        .then(|| view! { <ul class="files">{m.attachments.into_iter().map(attachment).collect_view()}</ul> });
                                    view! {
                                        <li class=if from_staff { "message from-staff" } else { "message from-applicant" }>
                                            <p class="meta">
                                                <strong>{who}</strong>
                                                " · "
                                                {format_instant(&m.sent_at)}
                                                {read.map(|r| format!(" · {r}"))}
                                            </p>
                                            <p class="message-body">{m.body}</p>
                                            {files}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            <div role="alert">{move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
            <OutcomeRegions outcome=outcome />
            <Reach ctx=ctx />
            <form on:submit=submit hidden=move || ctx.reach.get() == ApplicantReach::Unreachable>
                <div class="field">
                    <label for="nytt-meddelande">{tx("Nytt meddelande till den sökande", "New message to the applicant")}</label>
                    <textarea id="nytt-meddelande" rows="3" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for="meddelande-fil">{tx("Bifoga en fil (valfritt)", "Attach a file (optional)")}</label>
                    <input id="meddelande-fil" type="file" node_ref=file_input />
                </div>
                <button type="submit" class="button" aria-disabled=move || busy.get().to_string()>
                    {tx("Skicka meddelande", "Send message")}
                </button>
            </form>
        </section>
    }
}

/// How the applicant is reached: through the private link of an anonymous case (which the
/// handler can close), or not at all (then no message form: nobody would read it).
#[component]
fn Reach(ctx: Ctx) -> impl IntoView {
    let outcome = ctx.outcome();
    let revoke = move |_| {
        ctx.starting();
        spawn_local(async move {
            let r = ctx.reference();
            let result = ctx.staff.call(move |t| async move { api::revoke_follow_link(&t, &r).await }).await;
            outcome.set(Some(match result {
                Ok(()) => Ok(tx("Den personliga länken är stängd.", "The personal link is closed.")().to_owned()),
                Err(e) => Err(reason(&e)),
            }));
            ctx.changed();
            focus_later("lank-resultat");
        });
    };
    view! {
        {move || match ctx.reach.get() {
            ApplicantReach::MinSida => ().into_any(),
            ApplicantReach::PrivateLink => view! {
                <p class="hint" id="lank-info">
                    {tx(
                        "Ärendet skickades anonymt. Den sökande följer det och läser och svarar på meddelanden med en personlig länk i sin e-post.",
                        "The case was sent anonymously. The applicant follows it and reads and answers messages with a personal link in their e-mail.",
                    )}
                </p>
                <button type="button" class="button button-secondary" aria-describedby="lank-info lank-varning" on:click=revoke>
                    {tx("Stäng den personliga länken", "Close the personal link")}
                </button>
                <p class="hint" id="lank-varning">
                    {tx(
                        "Gör det om länken har hamnat hos fel person. Det går inte att ångra, och sedan går det inte att nå den sökande.",
                        "Do so if the link has reached the wrong person. It cannot be undone, and the applicant can no longer be reached.",
                    )}
                </p>
            }
            .into_any(),
            ApplicantReach::Unreachable => view! {
                <p class="notice" id="ej-nabar">
                    {tx(
                        "Den sökande går inte att nå: ärendet skickades anonymt utan e-postadress, eller så har den personliga länken stängts. Meddelanden kan inte skickas.",
                        "The applicant cannot be reached: the case was sent anonymously without an e-mail address, or its personal link was closed. Messages cannot be sent.",
                    )}
                </p>
            }
            .into_any(),
        }}
        <OutcomeRegions outcome=outcome focus="lank-resultat" />
    }
}

/// Internal notes: staff only.
#[component]
fn Notes(ctx: Ctx) -> impl IntoView {
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
            {move || match list.get() {
                None => view! { <Loading sv="Hämtar anteckningar …" en="Loading notes …" /> }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
                Some(Ok(items)) => {
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
            }}
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

/// Decisions and documents: the list with downloads, and the form that attaches one.
#[component]
fn Documents(ctx: Ctx) -> impl IntoView {
    let (list, retry) = load(move || {
        ctx.version.track();
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::staff_documents(&t, &r).await })
    });
    let outcome = ctx.outcome();
    let kind = RwSignal::new("decision".to_owned());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ctx.starting();
        let Some(file) = file_input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            outcome.set(Some(Err(tx("Välj en fil att bifoga.", "Choose a file to attach.")().to_owned())));
            return;
        };
        let r = ctx.reference();
        let k = kind.get_untracked();
        spawn_local(async move {
            match ctx.staff.call(move |t| async move { api::attach_document(&t, &r, &k, &file).await }).await {
                Ok(doc) => {
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    outcome.set(Some(Ok(format!("{} {}.", tx("Bifogat:", "Attached:")(), doc.name))));
                    ctx.changed();
                }
                Err(e) => outcome.set(Some(Err(reason(&e)))),
            }
        });
    };
    let error = RwSignal::new(None::<String>);
    let row = move |d: CaseDocument| {
        let path = api::staff_document_path(&ctx.reference(), &d.id.to_string());
        view! {
            <li>
                <span class="doc-kind">{document_kind(d.kind)}</span>
                " "
                <DownloadButton ctx=ctx path=path name=d.name error=error />
                " "
                <span class="meta">
                    "(" {format_size(d.size)} ", " {format_instant(&d.created_at)}
                    {d.created_by_name.map(|n| format!(", {n}"))} ")"
                </span>
            </li>
        }
    };
    view! {
        <section aria-labelledby="dokument">
            <h2 id="dokument" tabindex="-1">{tx("Beslut och dokument", "Decisions and documents")}</h2>
            {move || match list.get() {
                None => view! { <Loading sv="Hämtar dokument …" en="Loading documents …" /> }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => {
                    view! { <p>{tx("Inga beslut eller dokument ännu.", "No decisions or documents yet.")}</p> }.into_any()
                }
                Some(Ok(items)) => view! { <ul class="documents">{items.into_iter().map(row).collect_view()}</ul> }.into_any(),
            }}
            <div role="alert">{move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
            <h3>{tx("Bifoga beslut eller dokument", "Attach a decision or document")}</h3>
            <OutcomeRegions outcome=outcome />
            <form on:submit=submit>
                <div class="field">
                    <label for="dokument-typ">{tx("Typ", "Kind")}</label>
                    <select id="dokument-typ" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="decision" selected=move || kind.get() == "decision">{tx("Beslut", "Decision")}</option>
                        <option value="document" selected=move || kind.get() == "document">{tx("Dokument", "Document")}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="dokument-fil">{tx("Fil", "File")}</label>
                    <input id="dokument-fil" type="file" node_ref=file_input />
                </div>
                <button type="submit" class="button">{tx("Bifoga", "Attach")}</button>
            </form>
        </section>
    }
}

/// "Underskrifter" of a signed case: who signed, in which role, with which e-ID and when, the
/// evidence of each signature to download, and "Kontrollera underskrifterna", which re-checks the
/// stored digests against the case's answers now (the outcome in a live region). Nothing for a
/// case that was not signed.
#[component]
fn Signatures(ctx: Ctx) -> impl IntoView {
    // Loaded once: nothing a handler does here changes the signatures.
    let (list, retry) = load(move || {
        let r = ctx.reference();
        ctx.staff.call(move |t| async move { api::case_signatures(&t, &r).await })
    });
    let error = RwSignal::new(None::<String>);
    let checked = RwSignal::new(None::<Result<SignatureVerification, String>>);
    ctx.cleared_on_start(checked);
    // The menu links to the section when there is one.
    Effect::new(move |_| ctx.signed.set(list.with(|l| matches!(l, Some(Ok(items)) if !items.is_empty()))));
    let busy = RwSignal::new(false);
    let verify = move |_| {
        if busy.get_untracked() {
            return;
        }
        ctx.starting();
        busy.set(true);
        checked.set(None);
        let r = ctx.reference();
        spawn_local(async move {
            let result = ctx.staff.call(move |t| async move { api::verify_case_signatures(&t, &r).await }).await;
            busy.try_set(false);
            checked.try_set(Some(result.map_err(|e| reason(&e))));
        });
    };
    let table = move |items: Vec<CaseSignatureView>| {
        let reference = ctx.reference();
        view! {
            <div class="table-wrap">
                <table class="cases signatures">
                    <caption class="visually-hidden">{tx("Underskrifter", "Signatures")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tx("Roll", "Role")}</th>
                            <th scope="col">{tx("Namn", "Name")}</th>
                            <th scope="col">{tx("Personnummer", "Personal identity number")}</th>
                            <th scope="col">{tx("E-legitimation", "e-ID")}</th>
                            <th scope="col">{tx("Underskriven", "Signed")}</th>
                            <th scope="col">{tx("Bevis", "Evidence")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {items
                            .into_iter()
                            .enumerate()
                            .map(|(i, s)| {
                                let signed = s.state == SignatureState::Signed;
                                let path = api::signature_evidence_path(&reference, &s.id.to_string());
                                let file = format!("underskrift-{reference}-{i}.json");
                                view! {
                                    <tr>
                                        <th scope="row">{role_name(s.role)}</th>
                                        <td>{s.name.unwrap_or_else(|| "–".into())}</td>
                                        <td>{format_personnummer(&s.personnummer)}</td>
                                        <td>{s.provider.unwrap_or_else(|| "–".into())}</td>
                                        <td>
                                            {match s.signed_at {
                                                Some(at) if signed => format_instant(&at),
                                                _ => signature_state_name(s.state).to_owned(),
                                            }}
                                        </td>
                                        <td>
                                            {signed
                                                .then(|| {
                                                    view! { <DownloadButton ctx=ctx path=path name=file error=error /> }
                                                })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    let roles = move || {
        list.with(|l| match l {
            Some(Ok(items)) => items.iter().map(|s| (s.id, s.role, s.name.clone())).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    };
    let outcome = move || {
        checked.get().map(|result| match result {
            Err(why) => view! { <div class="alert"><p>{why}</p></div> }.into_any(),
            Ok(v) => {
                let known = roles();
                let (sv, en) = if v.valid {
                    (
                        "Underskrifterna är giltiga: de stämmer med ärendets svar.",
                        "The signatures are valid: they match the case's answers.",
                    )
                } else {
                    (
                        "Underskrifterna är inte giltiga: de stämmer inte med ärendets svar.",
                        "The signatures are not valid: they do not match the case's answers.",
                    )
                };
                view! {
                    <div class=if v.valid { "notice" } else { "alert" }>
                        <p>
                            <strong>{tx(sv, en)}</strong>
                        </p>
                        <ul>
                            {v
                                .signatures
                                .into_iter()
                                .map(|c| {
                                    let name = known.iter().find(|k| k.0 == c.id).and_then(|k| k.2.clone());
                                    let why = match (c.digest_matches_answers, c.signature_carries_digest) {
                                        (true, true) => None,
                                        (false, _) => Some(tx(
                                            "kontrollsumman stämmer inte med svaren",
                                            "the checksum does not match the answers",
                                        )),
                                        (true, false) => Some(tx(
                                            "underskriften bär inte kontrollsumman",
                                            "the signature does not carry the checksum",
                                        )),
                                    };
                                    view! {
                                        <li>
                                            {role_name(c.role)}
                                            {name.map(|n| format!(" ({n})"))}
                                            ": "
                                            <strong>
                                                {if c.valid { tx("giltig", "valid") } else { tx("ogiltig", "invalid") }}
                                            </strong>
                                            {why.map(|w| view! { " – " {w} })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                }
                .into_any()
            }
        })
    };
    move || match list.get() {
        // Most cases have none: nothing is shown until the answer says otherwise.
        None => ().into_any(),
        Some(Err(e)) if e.is_not_found() => ().into_any(),
        Some(Err(e)) => view! { <LoadError heading=("Underskrifter", "Signatures") error=e retry=retry /> }.into_any(),
        // Not a signed case.
        Some(Ok(items)) if items.is_empty() => ().into_any(),
        Some(Ok(items)) => view! {
            <section aria-labelledby="underskrifter">
                <h2 id="underskrifter" tabindex="-1">{tx("Underskrifter", "Signatures")}</h2>
                {table(items)}
                <div role="alert">{move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
                <div class="button-row">
                    <button type="button" class="button" on:click=verify disabled=move || busy.get()>
                        {tx("Kontrollera underskrifterna", "Check the signatures")}
                    </button>
                </div>
                // The outcome of the check, read out when it comes.
                <div role="status" aria-live="polite" class="verification">
                    {move || busy.get().then(|| view! { <p>{tx("Kontrollerar …", "Checking …")}</p> })}
                    {outcome}
                </div>
            </section>
        }
        .into_any(),
    }
}

/// A signature's role in words.
fn role_name(role: SignatureRole) -> &'static str {
    match role {
        SignatureRole::Applicant => tx("Sökande", "Applicant")(),
        SignatureRole::CoSigner => tx("Medundertecknare", "Co-signer")(),
    }
}

/// An unsigned signature's state in words.
fn signature_state_name(state: SignatureState) -> &'static str {
    match state {
        SignatureState::Pending => tx("Inte än", "Not yet")(),
        SignatureState::Signed => tx("Underskriven", "Signed")(),
        SignatureState::Declined => tx("Avböjde", "Declined")(),
        SignatureState::Expired => tx("Skrev inte under i tid", "Did not sign in time")(),
    }
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
                    {super::access_log_table(entries)}
                </section>
            }
        })
    }
}

fn document_kind(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Decision => tx("Beslut:", "Decision:")(),
        _ => tx("Dokument:", "Document:")(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_personnummer_is_shown_with_its_dash() {
        assert_eq!(format_personnummer("191212121212"), "19121212-1212");
        assert_eq!(format_personnummer("abc"), "abc");
    }

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

    #[test]
    fn the_timeline_says_who_changed_the_status_in_words_and_staff_by_name() {
        let change = |by: &str, by_name: Option<&str>| StatusChange {
            from: None,
            to: "inskickat".into(),
            by: by.into(),
            by_name: by_name.map(Into::into),
            at: chrono::Utc::now(),
            comment: None,
        };
        let who = |by, by_name| ChangedBy::of(&change(by, by_name));
        assert_eq!(who("applicant", None), ChangedBy::Party("sökanden", "the applicant"));
        assert_eq!(who("system", None), ChangedBy::Party("systemet", "the system"));
        assert_eq!(who("co_signer", None), ChangedBy::Party("en medundertecknare", "a co-signer"));
        assert_eq!(who("handlaggare", Some("Demo Handläggare")), ChangedBy::Staff("Demo Handläggare".into()));
        // The name wins even over a user name that reads like a party's.
        assert_eq!(who("system", Some("Sys Temsson")), ChangedBy::Staff("Sys Temsson".into()));
        // An account the server no longer names keeps its user name.
        assert_eq!(who("borttagen", None), ChangedBy::Staff("borttagen".into()));
    }
}
