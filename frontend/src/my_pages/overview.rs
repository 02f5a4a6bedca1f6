//! `/mina-sidor`: the logged-in applicant's drafts (to continue, on any
//! device, or to delete) and submitted cases with their status, ongoing and
//! closed apart (grouped by the status's *kind*, never its name).
//!
//! The tabs are links that set `?flik=utkast|pagaende|avslutade` (so back,
//! forward and bookmarks work, and there is no script-only widget to get
//! wrong); without `flik` every group is shown, one under the other.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{ApplicantCase, DraftSummary};
use shared::signing::{SignatureRequestView, SignatureState};
use shared::validate::Localized;

use crate::common::api::{self, FetchError};
use crate::common::components::focus_id;
use crate::common::i18n::{format_day, format_instant, is_en, pick, set_title, tx};
use crate::common::loader::{Loaded, load, show_loaded};
use crate::common::router;
use crate::common::session::{Auth, RequireLogin, use_auth};
use crate::common::status::{
    is_closed, request_state_text, sent_label, status_explanation_of, status_name, status_name_lang,
};

/// What `/mina-sidor` shows, from `?flik=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    /// No `flik`: every group.
    All,
    Drafts,
    Ongoing,
    Closed,
    /// Requests to co-sign someone's application.
    Signatures,
}

impl Tab {
    fn from_query(flik: Option<&str>) -> Tab {
        match flik {
            Some("utkast") => Tab::Drafts,
            Some("pagaende") => Tab::Ongoing,
            Some("avslutade") => Tab::Closed,
            Some("underskrifter") => Tab::Signatures,
            _ => Tab::All,
        }
    }

    fn href(self) -> &'static str {
        match self {
            Tab::All => "/mina-sidor",
            Tab::Drafts => "/mina-sidor?flik=utkast",
            Tab::Ongoing => "/mina-sidor?flik=pagaende",
            Tab::Closed => "/mina-sidor?flik=avslutade",
            Tab::Signatures => "/mina-sidor?flik=underskrifter",
        }
    }

    fn shows(self, group: Tab) -> bool {
        self == Tab::All || self == group
    }
}

#[component]
pub fn MyPages() -> impl IntoView {
    set_title("Mina sidor", "My pages");
    let saved = router::location().query("sparat").is_some();
    view! {
        <RequireLogin>
            <h1>{tx("Mina sidor", "My pages")}</h1>
            {saved
                .then(|| {
                    view! {
                        <div class="notice" role="status">
                            <p>
                                {tx(
                                    "Ditt utkast är sparat. Du kan fortsätta när du vill, även från en annan enhet.",
                                    "Your draft is saved. You can continue whenever you like, from another device too.",
                                )}
                            </p>
                        </div>
                    }
                })}
            <Overview />
        </RequireLogin>
    }
}

/// The tabs and the groups they show. Drafts and cases are loaded once; the tabs only filter.
#[component]
fn Overview() -> impl IntoView {
    let auth = use_auth();
    let location = router::location();
    let tab = Memo::new(move |_| Tab::from_query(location.query("flik").as_deref()));
    let (drafts, drafts_retry) = load(move || auth.call(|token| async move { api::my_drafts(&token).await }));
    let (cases, cases_retry) = load(move || auth.call(|token| async move { api::my_cases(&token).await }));
    let (requests, requests_retry) =
        load(move || auth.call(|token| async move { api::signature_requests(&token).await }));
    let count_requests = move || {
        requests.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|l| l.iter().filter(|r| r.state == SignatureState::Pending).count())
        })
    };
    // Everything shows the requests only when there are any; their tab always does.
    let has_requests =
        move || requests.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).is_some_and(|l| !l.is_empty()));
    let count_drafts = move || drafts.with(|d| d.as_ref().and_then(|r| r.as_ref().ok()).map(Vec::len));
    let count_cases = move |closed: bool| {
        cases.with(|c| {
            c.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|l| l.iter().filter(|c| is_closed(&c.status) == closed).count())
        })
    };
    let tab_link = move |which: Tab, (sv, en): (&'static str, &'static str), count: Signal<Option<usize>>| {
        view! {
            <li>
                <a href=which.href() aria-current=move || (tab.get() == which).then_some("page")>
                    {tx(sv, en)}
                    {move || count.get().map(|n| format!(" ({n})"))}
                </a>
            </li>
        }
    };
    view! {
        <nav class="tabs" aria-label=tx("Visa", "Show")>
            <ul>
                {tab_link(Tab::All, ("Alla", "All"), Signal::derive(|| None))}
                {tab_link(Tab::Drafts, ("Påbörjade", "Started"), Signal::derive(count_drafts))}
                {tab_link(Tab::Ongoing, ("Pågående", "Ongoing"), Signal::derive(move || count_cases(false)))}
                {tab_link(Tab::Closed, ("Avslutade", "Closed"), Signal::derive(move || count_cases(true)))}
                {tab_link(Tab::Signatures, ("Underskrifter", "Signatures"), Signal::derive(count_requests))}
            </ul>
        </nav>
        {move || {
            let tab = tab.get();
            (tab == Tab::Signatures || (tab == Tab::All && has_requests()))
                .then(|| view! { <SignatureRequests requests=requests retry=requests_retry /> })
        }}
        {move || tab.get().shows(Tab::Drafts).then(|| view! { <Drafts drafts=drafts retry=drafts_retry /> })}
        {move || match tab.get() {
            Tab::All => view! { <Cases cases=cases retry=cases_retry group=None /> }.into_any(),
            Tab::Ongoing => view! { <Cases cases=cases retry=cases_retry group=Some(false) /> }.into_any(),
            Tab::Closed => view! { <Cases cases=cases retry=cases_retry group=Some(true) /> }.into_any(),
            Tab::Drafts | Tab::Signatures => ().into_any(),
        }}
    }
}

/// "Underskrifter som väntar på mig": requests to co-sign someone's application, pending first;
/// the ones already signed, declined or run out under their own heading.
#[component]
fn SignatureRequests(requests: Loaded<Vec<SignatureRequestView>>, retry: Callback<()>) -> impl IntoView {
    view! {
        <section aria-labelledby="underskrifter">
            <h2 id="underskrifter">{tx("Underskrifter som väntar på mig", "Signatures waiting for me")}</h2>
            {move || {
                show_loaded(requests.get(), retry, ("Hämtar underskrifter …", "Loading signatures …"), |all| {
                    let (pending, done): (Vec<_>, Vec<_>) =
                        all.into_iter().partition(|r| r.state == SignatureState::Pending);
                    view! {
                        {if pending.is_empty() {
                            view! {
                                <p class="empty">
                                    {tx(
                                        "Inga underskrifter väntar på dig.",
                                        "No signatures are waiting for you.",
                                    )}
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <ul class="item-list">
                                    {pending.into_iter().map(|r| view! { <RequestItem request=r /> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }}
                        {(!done.is_empty())
                            .then(|| {
                                view! {
                                    <h3 class="group-heading">{tx("Tidigare förfrågningar", "Earlier requests")}</h3>
                                    <ul class="item-list">
                                        {done.into_iter().map(|r| view! { <RequestItem request=r /> }).collect_view()}
                                    </ul>
                                }
                            })}
                    }
                        .into_any()
                })
            }}
        </section>
    }
}

/// One request: the service, its state, the deadline, a link to read and sign it.
#[component]
fn RequestItem(request: SignatureRequestView) -> impl IntoView {
    let SignatureRequestView { id, service_name, state, requested_at, deadline, .. } = request;
    let href = format!("/mina-sidor/underskrifter/{id}");
    let (sv, en) = request_state_text(state);
    let pending = state == SignatureState::Pending;
    view! {
        <li class="item">
            <h3 lang="sv">{service_name.clone()}</h3>
            <dl class="facts">
                <dt>{tx("Status", "Status")}</dt>
                <dd>{tx(sv, en)}</dd>
                <dt>{tx("Skickad till dig", "Sent to you")}</dt>
                <dd>{move || format_instant(&requested_at)}</dd>
                {pending
                    .then(|| {
                        view! {
                            <dt>{tx("Skriv under senast", "Sign by")}</dt>
                            <dd>{move || format_instant(&deadline)}</dd>
                        }
                    })}
            </dl>
            <p class="item-actions">
                <a class=if pending { "button button-start" } else { "" } href=href>
                    {if pending { tx("Läs och skriv under", "Read and sign") } else { tx("Visa", "Show") }}
                    <span class="visually-hidden" lang="sv">
                        " "
                        {service_name}
                    </span>
                </a>
            </p>
        </li>
    }
}

/// What became of the last deletion of a draft: done, or why not.
type Deletion = RwSignal<Option<Result<(), Localized>>>;

#[component]
fn Drafts(drafts: Loaded<Vec<DraftSummary>>, retry: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let deletion: Deletion = RwSignal::new(None);
    view! {
        <section aria-labelledby="utkast">
            // Focus comes here after a draft is deleted (its button is gone with it).
            <h2 id="utkast" tabindex="-1">
                {tx("Påbörjade ansökningar", "Applications in progress")}
            </h2>
            // Both regions are always there, so that what is put in them is announced.
            <div role="status">
                {move || {
                    matches!(deletion.get(), Some(Ok(())))
                        .then(|| {
                            view! {
                                <p class="notice">{tx("Utkastet är borttaget.", "The draft has been deleted.")}</p>
                            }
                        })
                }}
            </div>
            <div role="alert">
                {move || {
                    deletion
                        .get()
                        .and_then(Result::err)
                        .map(|why| {
                            view! {
                                <div class="alert">
                                    <p>
                                        {tx("Utkastet kunde inte tas bort.", "The draft could not be deleted.")} " "
                                        {move || pick(&why).to_owned()}
                                    </p>
                                </div>
                            }
                        })
                }}
            </div>
            {move || {
                show_loaded(drafts.get(), retry, ("Hämtar dina utkast …", "Loading your drafts …"), |list| {
                    if list.is_empty() {
                        return view! {
                            <p class="empty">
                                {tx("Du har inga påbörjade ansökningar.", "You have no applications in progress.")}
                            </p>
                        }
                            .into_any();
                    }
                    view! {
                        <ul class="item-list">
                            {list
                                .into_iter()
                                .map(|d| view! { <DraftItem draft=d auth=auth retry=retry deletion=deletion /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                })
            }}
        </section>
    }
}

#[component]
fn DraftItem(draft: DraftSummary, auth: Auth, retry: Callback<()>, deletion: Deletion) -> impl IntoView {
    let DraftSummary { id, service, service_name, updated_at } = draft;
    let href = format!("/tjanster/{service}/ansokan?utkast={id}");
    let id = id.to_string();
    let name = service_name.clone();
    let delete = move |_| {
        let question = if is_en() {
            format!("Delete the draft of {name}? This cannot be undone.")
        } else {
            format!("Ta bort utkastet till {name}? Det går inte att ångra.")
        };
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let id = id.clone();
        deletion.set(None);
        spawn_local(async move {
            match auth.call(|token| async move { api::delete_draft(&token, &id).await }).await {
                // Already gone (deleted in another tab, or submitted): gone all the same.
                Ok(()) | Err(FetchError::Status { status: 404, .. }) => {
                    deletion.try_set(Some(Ok(())));
                    focus_id("utkast");
                    retry.run(());
                }
                // The session is over: the login page takes over.
                Err(e) if e.is_unauthorized() => {}
                Err(e) => {
                    deletion.try_set(Some(Err(e.user_message())));
                }
            }
        });
    };
    view! {
        <li class="item">
            <h3 lang="sv">{service_name.clone()}</h3>
            <p class="hint">{tx("Sparad", "Saved")} " " {move || format_instant(&updated_at)}</p>
            <p class="item-actions">
                <a class="button button-start" href=href>
                    {tx("Fortsätt", "Continue")}
                    <span class="visually-hidden" lang="sv">
                        " "
                        {service_name.clone()}
                    </span>
                </a>
                <button type="button" class="button-link" on:click=delete>
                    {tx("Ta bort", "Delete")}
                    <span class="visually-hidden" lang="sv">
                        " "
                        {service_name}
                    </span>
                </button>
            </p>
        </li>
    }
}

/// Submitted cases: with `group` `None` both groups under "Mina ärenden", else only the
/// closed (`Some(true)`) or the ongoing (`Some(false)`) ones.
#[component]
fn Cases(cases: Loaded<Vec<ApplicantCase>>, retry: Callback<()>, group: Option<bool>) -> impl IntoView {
    let (heading_sv, heading_en) = match group {
        None => ("Mina ärenden", "My cases"),
        Some(false) => ("Pågående ärenden", "Ongoing cases"),
        Some(true) => ("Avslutade ärenden", "Closed cases"),
    };
    let list = move |closed: bool, items: &[ApplicantCase], level: u8| {
        let items: Vec<ApplicantCase> = items.iter().filter(|c| is_closed(&c.status) == closed).cloned().collect();
        if items.is_empty() {
            let (sv, en) = if closed {
                ("Du har inga avslutade ärenden.", "You have no closed cases.")
            } else {
                ("Du har inga pågående ärenden.", "You have no ongoing cases.")
            };
            return view! { <p class="empty">{tx(sv, en)}</p> }.into_any();
        }
        view! {
            <ul class="item-list">
                {items.into_iter().map(|c| view! { <CaseItem case=c level=level /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="arenden">
            <h2 id="arenden">{tx(heading_sv, heading_en)}</h2>
            {move || {
                show_loaded(cases.get(), retry, ("Hämtar dina ärenden …", "Loading your cases …"), |all| {
                    match group {
                        _ if all.is_empty() => view! {
                            <p class="empty">{tx("Du har inga inskickade ärenden.", "You have no submitted cases.")}</p>
                        }
                        .into_any(),
                        Some(closed) => list(closed, &all, 3),
                        None => view! {
                            <h3 class="group-heading">{tx("Pågående", "Ongoing")}</h3>
                            {list(false, &all, 4)}
                            <h3 class="group-heading">{tx("Avslutade", "Closed")}</h3>
                            {list(true, &all, 4)}
                        }
                        .into_any(),
                    }
                })
            }}
        </section>
    }
}

/// One case: service, reference, status in words, when it was sent, when it will be deleted, a link to it.
#[component]
fn CaseItem(case: ApplicantCase, level: u8) -> impl IntoView {
    let ApplicantCase { reference, service_name, status, submitted_at, purge_on, .. } = case;
    let name = status_name(&status);
    let name_lang = status_name_lang(&status);
    let (explain_sv, explain_en) = status_explanation_of(&status);
    let (sent_sv, sent_en) = sent_label(&status);
    let href = format!("/mina-sidor/arenden/{}", router::encode(&reference));
    let title = if level == 3 {
        view! { <h3 lang="sv">{service_name}</h3> }.into_any()
    } else {
        view! { <h4 lang="sv">{service_name}</h4> }.into_any()
    };
    view! {
        <li class="item case-item">
            {title}
            <dl class="facts">
                <dt>{tx("Ärendenummer", "Case reference")}</dt>
                // The reference is the link to the case: unique, and what people quote.
                <dd>
                    <a href=href>{reference}</a>
                </dd>
                <dt>{tx("Status", "Status")}</dt>
                <dd>
                    <span class="status-name" lang=name_lang>
                        {move || pick(&name).to_owned()}
                    </span>
                    " – "
                    {tx(explain_sv, explain_en)}
                </dd>
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
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_picks_the_tab_and_anything_else_shows_all() {
        assert_eq!(Tab::from_query(Some("utkast")), Tab::Drafts);
        assert_eq!(Tab::from_query(Some("pagaende")), Tab::Ongoing);
        assert_eq!(Tab::from_query(Some("avslutade")), Tab::Closed);
        for other in [None, Some(""), Some("Pagaende"), Some("x")] {
            assert_eq!(Tab::from_query(other), Tab::All, "{other:?}");
        }
        assert_eq!(Tab::from_query(Some("underskrifter")), Tab::Signatures);
        for tab in [Tab::Drafts, Tab::Ongoing, Tab::Closed, Tab::Signatures] {
            let flik = tab.href().split_once("flik=").map(|(_, f)| f);
            assert_eq!(Tab::from_query(flik), tab, "a tab's link opens that tab");
        }
    }
}
