//! `/mina-sidor`: the logged-in applicant's drafts (to continue, on any
//! device, or to delete) and submitted cases with their status.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{ApplicantCase, DraftSummary};
use shared::validate::Localized;

use crate::api::{self, FetchError};
use crate::auth::{Auth, RequireLogin, use_auth};
use crate::components::{LoadError, Loading, focus_id, load};
use crate::i18n::{format_instant, is_en, pick, set_title, tx};
use crate::router;

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
            <Drafts />
            <Cases />
        </RequireLogin>
    }
}

/// What became of the last deletion of a draft: done, or why not.
type Deletion = RwSignal<Option<Result<(), Localized>>>;

#[component]
fn Drafts() -> impl IntoView {
    let auth = use_auth();
    let (drafts, retry) = load(move || auth.call(|token| async move { api::my_drafts(&token).await }));
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
            {move || match drafts.get() {
                None => view! { <Loading sv="Hämtar dina utkast …" en="Loading your drafts …" /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="empty">{tx("Du har inga påbörjade ansökningar.", "You have no applications in progress.")}</p>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <ul class="item-list">
                        {list
                            .into_iter()
                            .map(|d| view! { <DraftItem draft=d auth=auth retry=retry deletion=deletion /> })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Some(Err(e)) if e.is_unauthorized() => ().into_any(),
                Some(Err(error)) => view! { <LoadError error=error retry=retry /> }.into_any(),
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

#[component]
fn Cases() -> impl IntoView {
    let auth = use_auth();
    let (cases, retry) = load(move || auth.call(|token| async move { api::my_cases(&token).await }));
    view! {
        <section aria-labelledby="arenden">
            <h2 id="arenden">{tx("Mina ärenden", "My cases")}</h2>
            {move || match cases.get() {
                None => view! { <Loading sv="Hämtar dina ärenden …" en="Loading your cases …" /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="empty">{tx("Du har inga inskickade ärenden.", "You have no submitted cases.")}</p>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <ul class="item-list">{list.into_iter().map(|c| view! { <CaseItem case=c /> }).collect_view()}</ul>
                }
                .into_any(),
                Some(Err(e)) if e.is_unauthorized() => ().into_any(),
                Some(Err(error)) => view! { <LoadError error=error retry=retry /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CaseItem(case: ApplicantCase) -> impl IntoView {
    let ApplicantCase { reference, service_name, status, submitted_at, .. } = case;
    let status_sv = status.name.clone();
    let status_en = status.name_en.unwrap_or(status.name);
    view! {
        <li class="item">
            <h3 lang="sv">{service_name}</h3>
            <dl class="facts">
                <dt>{tx("Ärendenummer", "Case reference")}</dt>
                <dd>{reference}</dd>
                <dt>{tx("Status", "Status")}</dt>
                <dd>{move || if is_en() { status_en.clone() } else { status_sv.clone() }}</dd>
                <dt>{tx("Skickad", "Sent")}</dt>
                <dd>{move || format_instant(&submitted_at)}</dd>
            </dl>
        </li>
    }
}
