//! `/handlaggning`: the handler's inbox. Filters, search and the page live in
//! the address (`?tjanst=…&status=…&tilldelad=mig&fran=…&till=…&sok=…&ordning=aldst&efter=…`),
//! so reloading, the back button and a shared link all show the same list — except a search by
//! personnummer, which is kept in the page only, never in the address (browser history, proxy
//! logs, the login page's return address).
//! Pages are keyset pages: "Nästa sida" carries the server's cursor.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shared::api::{CaseList, ServiceView, StaffRole};
use shared::error_code::ErrorCode;
use shared::handling::StatusCount;

use super::admin::AdminStart;
use super::table::table;
use crate::common::api::{self, FetchError};
use crate::common::i18n::{format_instant, set_title, tx};
use crate::common::loader::{LoadError, Loaded, Loading, load};
use crate::common::router::{self, encode, navigate};
use crate::common::session::{RequireStaff, use_staff};
use crate::common::status::{name_now, status_name_now};

/// The filters of the address, in the order they are written.
const FILTERS: [&str; 7] = ["tjanst", "status", "tilldelad", "fran", "till", "sok", "ordning"];

/// `/handlaggning`: the inbox; for a platform admin who handles no cases, the admin's start page.
#[component]
pub fn StaffInbox() -> impl IntoView {
    let staff = use_staff();
    move || {
        if staff.is_logged_in() && !staff.may_have(&[StaffRole::Handler]) && staff.may_have(&[StaffRole::PlatformAdmin])
        {
            view! { <AdminStart /> }.into_any()
        } else {
            set_title("Inkorg – handläggning", "Inbox – case handling");
            view! {
                <RequireStaff>
                    <Inbox />
                </RequireStaff>
            }
            .into_any()
        }
    }
}

#[component]
fn Inbox() -> impl IntoView {
    let staff = use_staff();
    let location = router::location();
    let (services, _) = load(move || staff.call(|t| async move { api::staff_services(&t).await }));
    let (counts, _) = load(move || staff.call(|t| async move { api::case_counts(&t).await }));
    // A personnummer searched for: in the page only.
    let personnummer = RwSignal::new(None::<String>);
    let (page, retry) = load(move || {
        let search = api_search(&location.search.get(), personnummer.get().as_deref());
        staff.call(move |t| async move { api::inbox(&t, &search).await })
    });
    view! {
        <h1>{tx("Inkorg", "Inbox")}</h1>
        <Counts counts=counts />
        <Filters services=services personnummer=personnummer />
        <section aria-labelledby="arenden" class="inbox">
            <h2 id="arenden">{tx("Ärenden", "Cases")}</h2>
            {move || match page.get() {
                None => view! { <Loading sv="Hämtar ärenden …" en="Loading cases …" /> }.into_any(),
                Some(Err(e)) if e.is(ErrorCode::InvalidFilter) || matches!(e, FetchError::Status { status: 400, .. }) => {
                    let message = e.user_message();
                    let detail = match &e {
                        FetchError::Status { error: Some(err), .. } => err.message.clone(),
                        _ => String::new(),
                    };
                    view! {
                        <div class="alert" role="alert">
                            <p>{tx("Filtret går inte att använda:", "The filter cannot be used:")} " " {detail}</p>
                            <p class="visually-hidden">{move || crate::common::i18n::pick(&message).to_owned()}</p>
                        </div>
                    }
                        .into_any()
                }
                Some(Err(FetchError::Status { status: 403, .. })) => {
                    view! {
                        <div class="alert" role="alert">
                            <p>
                                {tx(
                                    "Du har inte behörighet att handlägga ärenden. Kundtjänst slår upp ett ärendes status under Kundtjänst.",
                                    "You are not permitted to handle cases. The contact centre looks up a case's status under Contact centre.",
                                )}
                            </p>
                        </div>
                    }
                        .into_any()
                }
                Some(Err(e)) => view! { <LoadError error=e retry=retry /> }.into_any(),
                Some(Ok(list)) => {
                    let names = services
                        .get()
                        .and_then(Result::ok)
                        .map(|s| s.into_iter().map(|s| (s.slug, s.name)).collect())
                        .unwrap_or_default();
                    view! { <CaseTable list=list names=names /> }.into_any()
                }
            }}
        </section>
    }
}

/// Cases per status, each a link that filters the list by it.
#[component]
fn Counts(counts: Loaded<Vec<StatusCount>>) -> impl IntoView {
    move || {
        counts.get().and_then(Result::ok).map(|counts| {
            // Services may share a status key: one entry per key.
            let mut by_key: BTreeMap<String, (String, u64, usize)> = BTreeMap::new();
            for (i, c) in counts.iter().enumerate() {
                let e = by_key.entry(c.status.key.clone()).or_insert((status_name_now(&c.status), 0, i));
                e.1 += c.count;
            }
            let mut rows: Vec<(String, String, u64, usize)> =
                by_key.into_iter().map(|(k, (name, n, order))| (k, name, n, order)).collect();
            rows.sort_by_key(|r| r.3);
            view! {
                <nav class="status-counts" aria-label=tx("Ärenden per status", "Cases per status")>
                    <ul>
                        {rows
                            .into_iter()
                            .map(|(key, name, n, _)| {
                                let href = format!("/handlaggning?status={}", encode(&key));
                                view! {
                                    <li>
                                        <a href=href>
                                            <span class="count">{n}</span>
                                            " "
                                            {name}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
            }
        })
    }
}

/// The filter form; "Filtrera" writes the filters into the address (first page).
#[component]
fn Filters(services: Loaded<Vec<ServiceView>>, personnummer: RwSignal<Option<String>>) -> impl IntoView {
    let location = router::location();
    let value = move |key: &str| location.query(key).unwrap_or_default();
    let fields: Vec<(&'static str, RwSignal<String>)> = FILTERS.iter().map(|k| (*k, RwSignal::new(value(k)))).collect();
    let get = {
        let fields = fields.clone();
        move |key: &str| {
            fields.iter().find(|(k, _)| *k == key).map(|(_, s)| *s).unwrap_or_else(|| RwSignal::new(String::new()))
        }
    };
    let (service, status, assignee, from, to, search, order) =
        (get("tjanst"), get("status"), get("tilldelad"), get("fran"), get("till"), get("sok"), get("ordning"));
    // The address changes (a count link, back): the form follows.
    Effect::new({
        let fields = fields.clone();
        move |_| {
            location.search.track();
            for (k, s) in &fields {
                let v = value(k);
                let v = if *k == "sok" && v.is_empty() { personnummer.get_untracked().unwrap_or_default() } else { v };
                s.set(v);
            }
        }
    });
    let submit = {
        let fields = fields.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let query: Vec<String> = fields
                .iter()
                .filter_map(|(k, s)| {
                    let v = s.get_untracked();
                    let v = v.trim();
                    if *k == "sok" {
                        let is_personnummer = looks_like_personnummer(v);
                        personnummer.set(is_personnummer.then(|| v.to_owned()));
                        if is_personnummer {
                            return None;
                        }
                    }
                    (!v.is_empty()).then(|| format!("{k}={}", encode(v)))
                })
                .collect();
            let to = if query.is_empty() {
                "/handlaggning".to_owned()
            } else {
                format!("/handlaggning?{}", query.join("&"))
            };
            navigate(&to, false);
        }
    };
    // The statuses of the chosen service, or of all the handler's services (one per key).
    let statuses = move || {
        let chosen = service.get();
        let mut seen = Vec::<(String, String)>::new();
        if let Some(Ok(list)) = services.get() {
            for s in list.iter().filter(|s| chosen.is_empty() || s.slug == chosen) {
                for st in &s.statuses {
                    if !seen.iter().any(|(k, _)| *k == st.key) {
                        seen.push((st.key.clone(), name_now(&st.name, st.name_en.as_deref())));
                    }
                }
            }
        }
        seen
    };
    let option = move |signal: RwSignal<String>, v: String, label: String| {
        let selected = {
            let v = v.clone();
            move || signal.get() == v
        };
        view! { <option value=v selected=selected>{label}</option> }
    };
    view! {
        <form class="inbox-filters" role="search" aria-label=tx("Filtrera ärenden", "Filter cases") on:submit=submit>
            <div class="field">
                <label for="f-sok">{tx("Sök ärendenummer eller personnummer", "Search case reference or personal identity number")}</label>
                <input id="f-sok" type="search" prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="f-tjanst">{tx("Tjänst", "Service")}</label>
                <select id="f-tjanst" on:change=move |ev| { service.set(event_target_value(&ev)); status.set(String::new()); }>
                    {move || option(service, String::new(), tx("Alla tjänster", "All services")().to_owned())}
                    {move || {
                        services
                            .get()
                            .and_then(Result::ok)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|s| option(service, s.slug, s.name))
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="f-status">{tx("Status", "Status")}</label>
                <select id="f-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    {move || option(status, String::new(), tx("Alla statusar", "All statuses")().to_owned())}
                    {move || statuses().into_iter().map(|(k, name)| option(status, k, name)).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-tilldelad">{tx("Handläggare", "Handler")}</label>
                <select id="f-tilldelad" on:change=move |ev| assignee.set(event_target_value(&ev))>
                    {move || option(assignee, String::new(), tx("Alla", "Anyone")().to_owned())}
                    {move || option(assignee, "mig".into(), tx("Mina ärenden", "My cases")().to_owned())}
                    {move || option(assignee, "ingen".into(), tx("Ej tilldelade", "Unassigned")().to_owned())}
                </select>
            </div>
            <div class="field">
                <label for="f-fran">{tx("Inkommet från och med", "Submitted from")}</label>
                <input id="f-fran" type="date" prop:value=from on:input=move |ev| from.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="f-till">{tx("Inkommet till och med", "Submitted until")}</label>
                <input id="f-till" type="date" prop:value=to on:input=move |ev| to.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="f-ordning">{tx("Ordning", "Order")}</label>
                <select id="f-ordning" on:change=move |ev| order.set(event_target_value(&ev))>
                    {move || option(order, String::new(), tx("Nyaste först", "Newest first")().to_owned())}
                    {move || option(order, "aldst".into(), tx("Äldsta först", "Oldest first")().to_owned())}
                </select>
            </div>
            <div class="filter-buttons">
                <button type="submit" class="button">{tx("Filtrera", "Filter")}</button>
                <a class="button button-secondary" href="/handlaggning" on:click=move |_| personnummer.set(None)>
                    {tx("Rensa", "Clear")}
                </a>
            </div>
        </form>
    }
}

/// One page of cases and the link to the next.
#[component]
fn CaseTable(list: CaseList, names: BTreeMap<String, String>) -> impl IntoView {
    let location = router::location();
    if list.items.is_empty() {
        return view! { <p>{tx("Inga ärenden matchar filtret.", "No cases match the filter.")}</p> }.into_any();
    }
    let next = list.next_cursor.map(|cursor| {
        let search = location.search.get_untracked();
        let mut query: Vec<String> =
            search.split('&').filter(|p| !p.is_empty() && !p.starts_with("efter=")).map(str::to_owned).collect();
        query.push(format!("efter={}", encode(&cursor)));
        format!("/handlaggning?{}", query.join("&"))
    });
    let paged = location.query("efter").is_some();
    let first = {
        let search = location.search.get_untracked();
        let query: Vec<&str> = search.split('&').filter(|p| !p.is_empty() && !p.starts_with("efter=")).collect();
        if query.is_empty() { "/handlaggning".to_owned() } else { format!("/handlaggning?{}", query.join("&")) }
    };
    view! {
        {table(
            None,
            &[("Ärende", "Case"), ("Tjänst", "Service"), ("Sökande", "Applicant"), ("Status", "Status"), ("Handläggare", "Handler"), ("Inkommet", "Submitted")],
            list
                        .items
                        .into_iter()
                        .map(|c| {
                            let href = format!("/handlaggning/arenden/{}", encode(&c.reference));
                            let service = names.get(&c.service).cloned().unwrap_or_else(|| c.service.clone());
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=href>{c.reference}</a>
                                    </th>
                                    <td>{service}</td>
                                    <td>{c.applicant_name.unwrap_or_else(|| "–".into())}</td>
                                    <td>{status_name_now(&c.status)}</td>
                                    <td>
                                        {c
                                            .assignee_name
                                            .unwrap_or_else(|| tx("Ej tilldelad", "Unassigned")().to_owned())}
                                    </td>
                                    <td>{format_instant(&c.submitted_at)}</td>
                                </tr>
                            }
                        })
                        .collect_view(),
        )}
        <nav class="pager" aria-label=tx("Sidor", "Pages")>
            {paged.then(|| view! { <a href=first.clone()>{tx("Första sidan", "First page")}</a> })}
            {next.map(|href| view! { <a href=href rel="next">{tx("Nästa sida", "Next page")}</a> })}
        </nav>
    }
    .into_any()
}

/// The search (`POST /cases/search`) for the address's query and the personnummer searched
/// for: the names translated, the address's search sent as a personnummer when it looks like one
/// and as a reference otherwise. The personnummer goes in the body, never in a URL.
pub fn api_search(search: &str, personnummer: Option<&str>) -> Vec<(&'static str, String)> {
    let get = |k: &str| router::query_param(search, k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let mut q: Vec<(&'static str, String)> = Vec::new();
    let mut push = |k: &'static str, v: &str| q.push((k, v.to_owned()));
    if let Some(v) = get("tjanst") {
        push("service", &v);
    }
    if let Some(v) = get("status") {
        push("status", &v);
    }
    match get("tilldelad").as_deref() {
        Some("mig") => push("assignee", "me"),
        Some("ingen") => push("assignee", "unassigned"),
        _ => {}
    }
    if let Some(v) = get("fran") {
        push("submitted_from", &v);
    }
    if let Some(v) = get("till") {
        push("submitted_to", &v);
    }
    if let Some(v) = get("sok") {
        if looks_like_personnummer(&v) {
            push("personnummer", &v);
        } else {
            push("reference", &v.to_uppercase());
        }
    }
    if let Some(p) = personnummer {
        push("personnummer", p);
    }
    if get("ordning").as_deref() == Some("aldst") {
        push("sort", "oldest");
    }
    if let Some(v) = get("efter") {
        push("after", &v);
    }
    q
}

/// Digits with an optional `-` or `+` before the last four: 10 or 12 digits.
fn looks_like_personnummer(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+') && (digits == 10 || digits == 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_that_looks_like_a_personnummer_is_sent_as_one() {
        assert!(looks_like_personnummer("19121212-1212"));
        assert!(looks_like_personnummer("1212121212"));
        assert!(!looks_like_personnummer("HBG-2026-000001"));
        assert!(!looks_like_personnummer("2026"));
    }
}
