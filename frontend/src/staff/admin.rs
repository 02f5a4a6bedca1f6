//! `/handlaggning/admin`, and `/handlaggning` for a platform admin who handles
//! no cases: the admin's start page, beside the service builder (`/bygga`). The
//! services with their published versions, the staff, the mail queue, links
//! to retention and the contact centre, and one case by its reference: its
//! status, purge day and legal hold (set and lifted here) and its access log —
//! never its content. Only requests an admin may make are sent.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{CaseRetention, LegalHoldRequest, StaffRole};
use shared::handling::AccessLogEntry;

use super::contact_centre::{ReferenceForm, lookup_failure};
use super::retention::RETENTION_PATH;
use super::table::{access_log_table, table};
use crate::common::api::{self, FetchError};
use crate::common::components::focus_later;
use crate::common::i18n::{format_instant, pick, set_title, tx};
use crate::common::loader::{load, show_loaded};
use crate::common::session::{RequireStaff, StaffAuth, use_staff};
use crate::common::status::status_name_now;

/// The admin's start page.
pub const ADMIN_PATH: &str = "/handlaggning/admin";

#[component]
pub fn AdminStart() -> impl IntoView {
    set_title("Administration – handläggning", "Administration – case handling");
    view! {
        <RequireStaff>
            <Start />
        </RequireStaff>
    }
}

#[component]
fn Start() -> impl IntoView {
    let staff = use_staff();
    view! {
        <h1>{tx("Administration", "Administration")}</h1>
        {move || {
            if staff.may_have(&[StaffRole::PlatformAdmin]) {
                view! {
                    <nav aria-label=tx("Administration", "Administration")>
                        <ul class="admin-links">
                            <li>
                                <a href="/bygga">{tx("Bygga e-tjänster", "Service builder")}</a>
                            </li>
                            <li>
                                <a href=RETENTION_PATH>{tx("Gallring", "Retention")}</a>
                            </li>
                            <li>
                                <a href="/handlaggning/kundtjanst">{tx("Kundtjänst", "Contact centre")}</a>
                            </li>
                            <li>
                                <a href="/api/docs/">{tx("API-dokumentation", "API documentation")}</a>
                            </li>
                        </ul>
                    </nav>
                    <CaseLookup staff=staff />
                    <Services staff=staff />
                    <StaffList staff=staff />
                    <Outbox staff=staff />
                }
                    .into_any()
            } else {
                view! {
                    <div class="alert" role="alert">
                        <p>{tx("Sidan är för plattformsadministratörer.", "This page is for platform admins.")}</p>
                    </div>
                }
                    .into_any()
            }
        }}
    }
}

/// The services, their published versions and URL names.
#[component]
fn Services(staff: StaffAuth) -> impl IntoView {
    let (list, retry) = load(move || staff.call(|t| async move { api::staff_services(&t).await }));
    view! {
        <section aria-labelledby="tjanster">
            <h2 id="tjanster">{tx("Tjänster", "Services")}</h2>
            {move || show_loaded(list.get(), retry, ("Hämtar tjänster …", "Loading services …"), |services| table(
                                None,
                                &[("Tjänst", "Service"), ("Adress", "Address"), ("Publicerad", "Published")],
                                services
                                    .into_iter()
                                    .map(|s| {
                                        let published = match s.published_version {
                                            Some(v) => format!("{} {v}", tx("Version", "Version")()),
                                            None => tx("Inte publicerad", "Not published")().to_owned(),
                                        };
                                        view! {
                                            <tr>
                                                <td lang="sv">{s.name}</td>
                                                <td>
                                                    <a href=format!("/tjanster/{}", s.slug)>{format!("/tjanster/{}", s.slug)}</a>
                                                </td>
                                                <td>{published}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view(),
                            )
                                .into_any()
            )}
        </section>
    }
}

/// The staff accounts and their roles.
#[component]
fn StaffList(staff: StaffAuth) -> impl IntoView {
    let (list, retry) = load(move || staff.call(|t| async move { api::staff_users(&t).await }));
    let role = |r: StaffRole| match r {
        StaffRole::PlatformAdmin => tx("plattformsadministratör", "platform admin")(),
        StaffRole::ServiceOwner => tx("tjänsteägare", "service owner")(),
        StaffRole::Handler => tx("handläggare", "case handler")(),
        StaffRole::ContactCentre => tx("kundtjänst", "contact centre")(),
    };
    view! {
        <section aria-labelledby="personal">
            <h2 id="personal">{tx("Personal", "Staff")}</h2>
            {move || show_loaded(list.get(), retry, ("Hämtar personal …", "Loading staff …"), |users| table(
                                None,
                                &[("Namn", "Name"), ("Användarnamn", "User name"), ("Roller", "Roles"), ("Tjänster", "Services")],
                                users
                                    .into_iter()
                                    .map(|u| {
                                        let roles = u.roles.iter().map(|r| role(*r)).collect::<Vec<_>>().join(", ");
                                        view! {
                                            <tr>
                                                <td>{u.display_name}</td>
                                                <td>{u.username}</td>
                                                <td>{roles}</td>
                                                <td>{u.services.join(", ")}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view(),
                            )
                                .into_any()
            )}
        </section>
    }
}

/// The mail queue's counts.
#[component]
fn Outbox(staff: StaffAuth) -> impl IntoView {
    let (counts, retry) = load(move || staff.call(|t| async move { api::outbox_counts(&t).await }));
    view! {
        <section aria-labelledby="utskick">
            <h2 id="utskick">{tx("E-post som skickas", "Outgoing mail")}</h2>
            {move || show_loaded(counts.get(), retry, ("Hämtar utskick …", "Loading mail …"), |o| view! {
                    <dl class="case-facts">
                        <dt>{tx("Väntar", "Waiting")}</dt>
                        <dd>{o.pending}</dd>
                        <dt>{tx("Skickade", "Sent")}</dt>
                        <dd>{o.sent}</dd>
                        <dt>{tx("Gick inte att skicka", "Could not be sent")}</dt>
                        <dd>{o.dead}</dd>
                    </dl>
                }
                    .into_any()
            )}
        </section>
    }
}

/// One case by its reference: status, purge day, legal hold and access log.
#[component]
fn CaseLookup(staff: StaffAuth) -> impl IntoView {
    let found = RwSignal::new(None::<Result<(CaseRetention, Vec<AccessLogEntry>), String>>);
    let reason = RwSignal::new(String::new());
    let hold_error = RwSignal::new(None::<String>);
    let fetch = move |r: String| {
        spawn_local(async move {
            let r2 = r.clone();
            let result = staff.call(move |t| async move { api::case_retention(&t, &r).await }).await;
            let result = match result {
                Ok(retention) => staff
                    .call(move |t| async move { api::case_access_log(&t, &r2).await })
                    .await
                    .map(|log| (retention, log)),
                Err(e) => Err(e),
            };
            found.set(Some(result.map_err(|e| lookup_failure(&e))));
            focus_later("arende-rubrik");
        });
    };
    let look_up = Callback::new(move |reference: Result<String, String>| match reference {
        Ok(r) => {
            hold_error.set(None);
            fetch(r);
        }
        Err(empty) => {
            found.set(Some(Err(empty)));
            focus_later("arende-rubrik");
        }
    });
    let hold = move |set: bool| {
        let Some(Ok((c, _))) = found.get_untracked() else { return };
        let r = c.reference.clone();
        let why = reason.get_untracked();
        hold_error.set(None);
        spawn_local(async move {
            let r2 = r.clone();
            let result: Result<(), FetchError> = if set {
                staff
                    .call(move |t| async move {
                        api::set_legal_hold(&t, &r2, &LegalHoldRequest { reason: why }).await.map(drop)
                    })
                    .await
            } else {
                staff.call(move |t| async move { api::lift_legal_hold(&t, &r2).await }).await
            };
            match result {
                Ok(()) => {
                    reason.set(String::new());
                    fetch(r);
                }
                Err(e) => {
                    hold_error.set(Some(pick(&e.user_message()).to_owned()));
                    focus_later("sparr-fel");
                }
            }
        });
    };
    view! {
        <section aria-labelledby="ett-arende">
            <h2 id="ett-arende">{tx("Ett ärende", "One case")}</h2>
            <p class="hint">
                {tx(
                    "Visar status, gallringsdag, gallringsspärr och åtkomstlogg, aldrig ärendets innehåll. Uppslaget loggas.",
                    "Shows the status, purge day, legal hold and access log, never the case's content. The look-up is logged.",
                )}
            </p>
            <ReferenceForm input_id="admin-referens" button=("Visa", "Show") on_reference=look_up />
            {move || match found.get() {
                None => ().into_any(),
                Some(Err(e)) => view! {
                    <div class="alert" role="alert">
                        <p id="arende-rubrik" tabindex="-1">{e}</p>
                    </div>
                }
                    .into_any(),
                Some(Ok((c, log))) => {
                    let held = c.legal_hold.clone();
                    view! {
                        <h3 id="arende-rubrik" tabindex="-1">{c.reference.clone()}</h3>
                        <dl class="case-facts">
                            <dt>{tx("Tjänst", "Service")}</dt>
                            <dd lang="sv">{c.service_name.clone()}</dd>
                            <dt>{tx("Status", "Status")}</dt>
                            <dd>{status_name_now(&c.status)}</dd>
                            <dt>{tx("Gallras", "Purged on")}</dt>
                            <dd>
                                {match (&held, c.purge_on) {
                                    (Some(_), _) => tx("Inte så länge gallringsspärren gäller", "Not while the legal hold stands")().to_owned(),
                                    (None, Some(day)) => day.to_string(),
                                    (None, None) => tx("När ärendet har avslutats", "Once the case is closed")().to_owned(),
                                }}
                            </dd>
                            <dt>{tx("Gallringsspärr", "Legal hold")}</dt>
                            <dd>
                                {match &held {
                                    Some(h) => format!("{} ({}, {})", h.reason, h.set_by, format_instant(&h.set_at)),
                                    None => tx("Ingen", "None")().to_owned(),
                                }}
                            </dd>
                        </dl>
                        {if held.is_some() {
                            view! {
                                <button type="button" class="button" on:click=move |_| hold(false)>
                                    {tx("Häv gallringsspärren", "Lift the legal hold")}
                                </button>
                            }
                                .into_any()
                        } else {
                            view! {
                                <form class="stacked-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                                    ev.prevent_default();
                                    hold(true);
                                }>
                                    <label for="sparr-skal">{tx("Skäl till gallringsspärr", "Reason for the legal hold")}</label>
                                    <input
                                        id="sparr-skal"
                                        type="text"
                                        prop:value=reason
                                        on:input=move |ev| reason.set(event_target_value(&ev))
                                    />
                                    <button type="submit" class="button">{tx("Spärra mot gallring", "Put on legal hold")}</button>
                                </form>
                            }
                                .into_any()
                        }}
                        <h3>{tx("Åtkomstlogg", "Access log")}</h3>
                        {access_log_table(log)}
                    }
                        .into_any()
                }
            }}
            <div role="alert">
                {move || hold_error.get().map(|e| view! { <div class="alert"><p id="sparr-fel" tabindex="-1">{e}</p></div> })}
            </div>
        </section>
    }
}
