//! `/handlaggning/gallring`: retention for service owners and platform admins. The service
//! chosen lives in the address (`?tjanst=…`), so a reload shows the same service. For it: the
//! retention periods that apply, the dry run of the next purge (what it would delete; nothing is
//! deleted), and the purge log (one row per purged case, no personal data) with "Visa fler" and
//! the CSV export for the archive. Platform admins also see the purge job: its schedule, totals,
//! the files waiting to be removed and the latest runs.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{
    PurgeRecordView, PurgeRule, RetentionPreview, RetentionRules, RetentionRunView, RetentionStatus, ServiceView,
    StaffRole,
};

use super::table::{column_heads, table};
use crate::common::api::{self, FetchError};
use crate::common::components::focus_later;
use crate::common::download::download;
use crate::common::i18n::{format_day, format_instant, set_title, tx};
use crate::common::loader::{LoadError, Loading, load, show_loaded};
use crate::common::router::{self, encode, navigate};
use crate::common::session::{RequireStaff, StaffAuth, use_staff};
use crate::common::status::status_name_now;

/// The page's path.
pub const RETENTION_PATH: &str = "/handlaggning/gallring";

/// The roles that see retention.
pub const RETENTION_ROLES: [StaffRole; 2] = [StaffRole::ServiceOwner, StaffRole::PlatformAdmin];

#[component]
pub fn StaffRetention() -> impl IntoView {
    set_title("Gallring – handläggning", "Retention – case handling");
    view! {
        <RequireStaff>
            <RetentionView />
        </RequireStaff>
    }
}

#[component]
fn RetentionView() -> impl IntoView {
    let staff = use_staff();
    let location = router::location();
    let (services, retry) = load(move || staff.call(|t| async move { api::staff_services(&t).await }));
    let chosen = Memo::new(move |_| location.query("tjanst").filter(|s| !s.is_empty()));
    view! {
        <h1>{tx("Gallring", "Retention")}</h1>
        <p>
            {tx(
                "Avslutade ärenden och gamla utkast tas bort när deras tid har gått ut, om inte en gallringsspärr håller kvar dem. Här ser du vad nästa gallring skulle ta bort och vad som har gallrats.",
                "Closed cases and old drafts are deleted when their time has run out, unless a legal hold keeps them. Here you see what the next purge would delete and what has been purged.",
            )}
        </p>
        {move || staff.may_have(&[StaffRole::PlatformAdmin]).then(|| view! { <JobStatus staff=staff /> })}
        {move || show_loaded(services.get(), retry, ("Hämtar tjänster …", "Loading services …"), |value| match value {
            list if list.is_empty() => {
                view! {
                    <p>{tx("Du har inga tjänster att se gallringen av.", "You have no services whose retention you can see.")}</p>
                }
                    .into_any()
            }
            list => {
                let services = StoredValue::new(list.clone());
                // Only this part follows the address: the picker keeps its focus.
                let chosen_part = move || {
                    let slug = chosen.get()?;
                    let service = services.with_value(|l| l.iter().find(|s| s.slug == slug).cloned());
                    Some(match service {
                        Some(s) => view! { <ServiceRetention staff=staff service=s /> }.into_any(),
                        None => view! {
                            <div class="alert" role="alert">
                                <p>{tx("Det finns ingen sådan tjänst som du har behörighet till.", "There is no such service that you are permitted on.")}</p>
                            </div>
                        }
                        .into_any(),
                    })
                };
                view! {
                    <ServicePicker services=list chosen=chosen />
                    {chosen_part}
                }
                    .into_any()
            }
        })}
    }
}

/// The choice of service; "Visa" writes it into the address and moves focus to what it shows.
#[component]
fn ServicePicker(services: Vec<ServiceView>, chosen: Memo<Option<String>>) -> impl IntoView {
    let value = RwSignal::new(String::new());
    // The address changes (back, forward): the choice follows.
    Effect::new(move |_| value.set(chosen.get().unwrap_or_default()));
    let error = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let slug = value.get_untracked();
        error.set(slug.is_empty());
        if !slug.is_empty() {
            navigate(&format!("{RETENTION_PATH}?tjanst={}", encode(&slug)), false);
            focus_later("tjanst-rubrik");
        }
    };
    view! {
        <form class="inline-form" on:submit=submit novalidate>
            <label for="gallring-tjanst">{tx("Tjänst", "Service")}</label>
            <select
                id="gallring-tjanst"
                aria-describedby="gallring-tjanst-fel"
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" selected=move || value.get().is_empty()>
                    {tx("Välj en tjänst", "Choose a service")}
                </option>
                {services
                    .into_iter()
                    .map(|s| {
                        let slug = s.slug.clone();
                        let selected = move || value.get() == slug;
                        view! { <option value=s.slug selected=selected>{s.name}</option> }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button">{tx("Visa", "Show")}</button>
        </form>
        <div role="alert" id="gallring-tjanst-fel">
            {move || error.get().then(|| view! { <p class="field-error">{tx("Välj en tjänst.", "Choose a service.")}</p> })}
        </div>
    }
}

/// The chosen service's periods, dry run and purge log.
#[component]
fn ServiceRetention(staff: StaffAuth, service: ServiceView) -> impl IntoView {
    let slug = StoredValue::new(service.slug.clone());
    let (preview, retry_preview) = load(move || {
        let s = slug.get_value();
        staff.call(move |t| async move { api::retention_preview(&t, &s).await })
    });
    view! {
        <h2 id="tjanst-rubrik" tabindex="-1">{service.name.clone()}</h2>
        <Rules service=service />
        <section aria-labelledby="provgallring">
            <h3 id="provgallring">{tx("Provgallring", "Dry run")}</h3>
            <p class="hint">
                {tx(
                    "Vad nästa gallring skulle ta bort. Ingenting tas bort nu.",
                    "What the next purge would delete. Nothing is deleted now.",
                )}
            </p>
            {move || match preview.get() {
                None => view! { <Loading sv="Hämtar provgallringen …" en="Loading the dry run …" /> }.into_any(),
                Some(Err(e)) if refused(&e) => view! { <Refused /> }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=retry_preview /> }.into_any(),
                Some(Ok(p)) => view! { <Preview preview=p /> }.into_any(),
            }}
        </section>
        <PurgeLogSection staff=staff slug=slug />
    }
}

/// Whether the server refused to show the service's retention (a role or permission missing).
fn refused(e: &FetchError) -> bool {
    matches!(e, FetchError::Status { status: 403 | 404, .. })
}

#[component]
fn Refused() -> impl IntoView {
    view! {
        <div class="alert" role="alert">
            <p>
                {tx(
                    "Du har inte behörighet att se gallringen av den här tjänsten. Det har tjänsteägare och plattformsadministratörer.",
                    "You are not permitted to see this service's retention. Service owners and platform administrators are.",
                )}
            </p>
        </div>
    }
}

/// The periods that apply, and whether they are the service's own or the platform's.
#[component]
fn Rules(service: ServiceView) -> impl IntoView {
    let RetentionRules { days_after_closing, days_for_drafts, days_awaiting_signatures } = service.retention;
    let origin = |own: bool| {
        if own {
            tx("tjänstens egen tid", "the service's own period")
        } else {
            tx("plattformens standard", "the platform's default")
        }
    };
    let drafts_origin = origin(service.retention_days_for_drafts.is_some());
    let signatures_origin = origin(service.retention_days_awaiting_signatures.is_some());
    view! {
        <section aria-labelledby="gallringsregler">
            <h3 id="gallringsregler">{tx("Gallringsregler", "Retention periods")}</h3>
            <dl class="case-facts">
                <dt>{tx("Avslutade ärenden", "Closed cases")}</dt>
                <dd>{days_after_closing} " " {tx("dagar efter avslut", "days after closing")}</dd>
                <dt>{tx("Utkast som inte skickats in", "Drafts never submitted")}</dt>
                <dd>
                    {days_for_drafts} " " {tx("dagar efter att de senast sparades", "days after they were last saved")}
                    " (" {drafts_origin} ")"
                </dd>
                <dt>{tx("Ärenden som väntar på underskrifter", "Cases awaiting signatures")}</dt>
                <dd>
                    {days_awaiting_signatures} " " {tx("dagar efter att de påbörjades", "days after they were started")}
                    " (" {signatures_origin} ")"
                </dd>
            </dl>
            <p class="hint">
                {tx(
                    "Gallringsdagen är dagen för händelsen plus antalet dagar, räknat i hela dygn (UTC).",
                    "The purge day is the day of the event plus the number of days, counted in whole days (UTC).",
                )}
            </p>
        </section>
    }
}

fn rule_name(rule: PurgeRule) -> &'static str {
    match rule {
        PurgeRule::Closed => tx("Avslutat", "Closed")(),
        PurgeRule::AwaitingSignatures => tx("Väntade på underskrifter", "Awaited signatures")(),
    }
}

/// The dry run's figures and the cases it would purge.
#[component]
fn Preview(preview: RetentionPreview) -> impl IntoView {
    let RetentionPreview { run_at, cases, case_count, draft_count, held_count, .. } = preview;
    let shown = cases.len() as u64;
    let listing = if cases.is_empty() {
        view! { <p>{tx("Inga ärenden gallras vid nästa körning.", "No cases are purged by the next run.")}</p> }
            .into_any()
    } else {
        view! {
            {table(
                Some(("Ärenden som nästa körning skulle gallra", "Cases the next run would purge")),
                &[("Ärende", "Case"), ("Status", "Status"), ("Regel", "Rule"), ("Avslutat", "Closed"), ("Gallringsdag", "Purge day")],
                cases
                            .into_iter()
                            .map(|c| {
                                let href = format!("/handlaggning/arenden/{}", encode(&c.reference));
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a href=href>{c.reference}</a>
                                        </th>
                                        <td>{status_name_now(&c.status)}</td>
                                        <td>{rule_name(c.rule)}</td>
                                        <td>{c.closed_at.map_or_else(|| "–".to_owned(), |at| format_instant(&at))}</td>
                                        <td>{format_day(c.purge_on)}</td>
                                    </tr>
                                }
                            })
                            .collect_view(),
            )}
            {(case_count > shown)
                .then(|| {
                    view! {
                        <p class="hint">
                            {tx("Listan visar de första", "The list shows the first")} " " {shown} " "
                            {tx("av", "of")} " " {case_count} "."
                        </p>
                    }
                })}
        }
        .into_any()
    };
    view! {
        <dl class="case-facts">
            <dt>{tx("Nästa körning", "Next run")}</dt>
            <dd>{format_instant(&run_at)}</dd>
            <dt>{tx("Ärenden som skulle gallras", "Cases that would be purged")}</dt>
            <dd class="preview-cases">{case_count}</dd>
            <dt>{tx("Utkast som skulle raderas", "Drafts that would be deleted")}</dt>
            <dd>{draft_count}</dd>
            <dt>{tx("Ärenden med gallringsspärr", "Cases under a legal hold")}</dt>
            <dd>{held_count}</dd>
        </dl>
        {listing}
    }
}

/// The purge log, newest first, a page at a time, and its CSV export.
#[component]
fn PurgeLogSection(staff: StaffAuth, slug: StoredValue<String>) -> impl IntoView {
    let (first, retry) = load(move || {
        let s = slug.get_value();
        staff.call(move |t| async move { api::purge_log(&t, &s, None).await })
    });
    let items = RwSignal::new(Vec::<PurgeRecordView>::new());
    let next = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(log)) = first.get() {
            items.set(log.items);
            next.set(log.next_cursor);
        }
    });
    let more = move |_| {
        let Some(after) = next.get_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let s = slug.get_value();
        spawn_local(async move {
            let result = staff.call(move |t| async move { api::purge_log(&t, &s, Some(after)).await }).await;
            busy.set(false);
            match result {
                Ok(page) => {
                    let added = page.items.len();
                    items.update(|i| i.extend(page.items));
                    let last = page.next_cursor.is_none();
                    next.set(page.next_cursor);
                    error.set(None);
                    said.set(Some(format!(
                        "{} {added} {}",
                        tx("Visar", "Showing")(),
                        tx("poster till.", "more records.")()
                    )));
                    if last {
                        // The button is gone: keep the keyboard at the table.
                        focus_later("gallringslogg-tabell");
                    }
                }
                Err(e) => error.set(Some(e.reason())),
            }
        });
    };
    let export = move |_| {
        let s = slug.get_value();
        spawn_local(async move {
            let name = format!("gallringslogg-{s}.csv");
            let path = api::purge_log_csv_path(&s);
            let result = download(staff, path, name).await;
            error.set(result.err().map(|e| e.reason()));
        });
    };
    let listing = move || {
        let rows = items.get();
        if rows.is_empty() {
            return view! { <p>{tx("Inga ärenden har gallrats.", "No cases have been purged.")}</p> }.into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="cases" id="gallringslogg-tabell" tabindex="-1">
                    <caption>{tx("Gallrade ärenden, senast gallrade först", "Purged cases, most recent first")}</caption>
                    {column_heads(&[("Ärende", "Case"), ("Regel", "Rule"), ("Dagar", "Days"), ("Inkommet", "Submitted"), ("Avslutat", "Closed"), ("Gallrat", "Purged"), ("Filer", "Files")])}
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr>
                                        <th scope="row">{r.reference}</th>
                                        <td>{rule_name(r.rule)}</td>
                                        <td>{r.days}</td>
                                        <td>{format_day(r.submitted_on)}</td>
                                        <td>{r.closed_on.map_or_else(|| "–".to_owned(), format_day)}</td>
                                        <td>{format_instant(&r.purged_at)}</td>
                                        <td>{r.removed.files}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="gallringslogg">
            <h3 id="gallringslogg">{tx("Gallringslogg", "Purge log")}</h3>
            <p class="hint">
                {tx(
                    "Ett gallrat ärende per rad, utan personuppgifter: det arkivet behöver. Exporten innehåller hela loggen med antal borttagna uppgifter av varje slag.",
                    "One purged case per row, without personal data: what the archive needs. The export holds the whole log with counts of what was removed.",
                )}
            </p>
            {move || match first.get() {
                None => view! { <Loading sv="Hämtar gallringsloggen …" en="Loading the purge log …" /> }.into_any(),
                Some(Err(e)) if refused(&e) => view! { <Refused /> }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
                Some(Ok(_)) => {
                    view! {
                        <p>
                            <button type="button" class="button button-secondary" on:click=export>
                                {tx("Exportera CSV", "Export CSV")}
                            </button>
                        </p>
                        {listing}
                        {move || {
                            next.get()
                                .is_some()
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="button button-secondary"
                                            aria-disabled=move || busy.get().to_string()
                                            on:click=more
                                        >
                                            {tx("Visa fler", "Show more")}
                                        </button>
                                    }
                                })
                        }}
                    }
                        .into_any()
                }
            }}
            <div role="status">{move || said.get().map(|t| view! { <p class="visually-hidden">{t}</p> })}</div>
            <div role="alert">{move || error.get().map(|e| view! { <div class="alert"><p>{e}</p></div> })}</div>
        </section>
    }
}

/// The purge job, for platform admins (anyone else sees nothing: the server refuses them).
#[component]
fn JobStatus(staff: StaffAuth) -> impl IntoView {
    let (status, retry) = load(move || staff.call(|t| async move { api::retention_status(&t).await }));
    move || match status.get() {
        None | Some(Err(FetchError::Status { status: 403, .. })) => None,
        Some(Err(e)) => Some(
            view! {
                <section aria-labelledby="gallringsjobbet">
                    <h2 id="gallringsjobbet">{tx("Gallringsjobbet", "The purge job")}</h2>
                    <LoadError error=e retry=retry />
                </section>
            }
            .into_any(),
        ),
        Some(Ok(s)) => Some(view! { <Job status=s /> }.into_any()),
    }
}

#[component]
fn Job(status: RetentionStatus) -> impl IntoView {
    let RetentionStatus {
        enabled,
        schedule,
        next_run_at,
        access_log,
        defaults,
        cases_purged_total,
        files_deleted_total,
        failures_total,
        files_pending,
        runs,
    } = status;
    let access_log = match access_log.as_str() {
        "delete" => tx("raderas", "deleted")(),
        _ => tx("pseudonymiseras", "pseudonymised")(),
    };
    view! {
        <section aria-labelledby="gallringsjobbet">
            <h2 id="gallringsjobbet">{tx("Gallringsjobbet", "The purge job")}</h2>
            <dl class="case-facts">
                <dt>{tx("Körs på den här servern", "Runs on this server")}</dt>
                <dd>{if enabled { tx("Ja", "Yes")() } else { tx("Nej", "No")() }}</dd>
                <dt>{tx("Schema (cron, UTC)", "Schedule (cron, UTC)")}</dt>
                <dd>
                    <code>{schedule}</code>
                </dd>
                <dt>{tx("Nästa körning", "Next run")}</dt>
                <dd>{next_run_at.map_or_else(|| "–".to_owned(), |at| format_instant(&at))}</dd>
                <dt>{tx("Handläggarnas åtkomstlogg vid gallring", "The staff's access log on purging")}</dt>
                <dd>{access_log}</dd>
                <dt>{tx("Standardtid för utkast", "Default period for drafts")}</dt>
                <dd>{defaults.days_for_drafts} " " {tx("dagar", "days")}</dd>
                <dt>{tx("Standardtid för ärenden som väntar på underskrifter", "Default period for cases awaiting signatures")}</dt>
                <dd>{defaults.days_awaiting_signatures} " " {tx("dagar", "days")}</dd>
                <dt>{tx("Gallrade ärenden totalt", "Cases purged in all")}</dt>
                <dd>{cases_purged_total}</dd>
                <dt>{tx("Borttagna filer totalt", "Files removed in all")}</dt>
                <dd>{files_deleted_total}</dd>
                <dt>{tx("Fel totalt", "Failures in all")}</dt>
                <dd>{failures_total}</dd>
                <dt>{tx("Filer som väntar på att tas bort", "Files waiting to be removed")}</dt>
                <dd>{files_pending}</dd>
            </dl>
            {if runs.is_empty() {
                view! { <p>{tx("Jobbet har inte körts än.", "The job has not run yet.")}</p> }.into_any()
            } else {
                view! { <Runs runs=runs /> }.into_any()
            }}
        </section>
    }
}

/// The latest runs of the purge job, newest first.
#[component]
fn Runs(runs: Vec<RetentionRunView>) -> impl IntoView {
    table(
        Some(("Senaste körningarna", "Latest runs")),
        &[
            ("Startad", "Started"),
            ("Hur", "How"),
            ("Gallrade per", "Purged as of"),
            ("Klar", "Finished"),
            ("Ärenden", "Cases"),
            ("Utkast", "Drafts"),
            ("Lösa filer", "Loose files"),
            ("Sessioner", "Sessions"),
            ("Filer", "Files"),
            ("Fel", "Failures"),
        ],
        runs.into_iter()
            .map(|r| {
                let how =
                    if r.trigger == "schedule" { tx("Schemalagd", "Scheduled")() } else { tx("Manuell", "Manual")() };
                let finished = r.finished_at.map_or_else(
                    || tx("Pågår eller avbruten", "Running or stopped")().to_owned(),
                    |at| format_instant(&at),
                );
                view! {
                    <tr>
                        <th scope="row">{format_instant(&r.started_at)}</th>
                        <td>{how}</td>
                        <td>{format_instant(&r.as_of)}</td>
                        <td>{finished}</td>
                        <td>{r.cases_purged}</td>
                        <td>{r.drafts_deleted}</td>
                        <td>{r.loose_files_deleted}</td>
                        <td>{r.sessions_deleted}</td>
                        <td>{r.files_deleted}</td>
                        <td>{r.case_failures + r.file_failures}</td>
                    </tr>
                }
            })
            .collect_view(),
    )
}
