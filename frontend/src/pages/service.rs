use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::{CatalogueService, IdentityRequirement};

use super::NotFound;
use crate::api;
use crate::components::{LoadError, Loading, TextBlock, load, set_title};

/// `/tjanster/:slug`: a service's first page — what it is, who it is for,
/// how to identify, how personal data is processed — and the way in.
#[component]
pub fn ServiceFirstPage() -> impl IntoView {
    let params = use_params_map();
    let (service, retry) = load(move || {
        let slug = params.read().get("slug").unwrap_or_default();
        api::service(slug)
    });
    move || match service.get() {
        None => view! { <Loading message="Hämtar e-tjänsten …" /> }.into_any(),
        Some(Ok(service)) => view! { <FirstPage service=service /> }.into_any(),
        Some(Err(error)) if error.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(error)) => {
            set_title("E-tjänsten kunde inte visas");
            view! {
                <h1>"E-tjänsten kunde inte visas"</h1>
                <LoadError error=error retry=retry />
                <p>
                    <a href="/">"Se alla e-tjänster"</a>
                </p>
            }
            .into_any()
        }
    }
}

#[component]
fn FirstPage(service: CatalogueService) -> impl IntoView {
    set_title(&service.name);
    let CatalogueService { name, audience, first_page_text, privacy_text, identity, .. } = service;
    view! {
        <nav class="breadcrumbs" aria-label="Du är här">
            <ol>
                <li>
                    <a href="/">"E-tjänster"</a>
                </li>
                <li aria-current="page">{name.clone()}</li>
            </ol>
        </nav>
        <article class="first-page">
            <h1>{name}</h1>
            <TextBlock text=first_page_text />

            <section aria-labelledby="vem">
                <h2 id="vem">"Vem kan använda e-tjänsten"</h2>
                <TextBlock text=audience />
            </section>

            <section aria-labelledby="inloggning">
                <h2 id="inloggning">"Inloggning"</h2>
                <p>{identity_text(identity)}</p>
            </section>

            <section aria-labelledby="personuppgifter">
                <h2 id="personuppgifter">"Så behandlar vi dina personuppgifter"</h2>
                <TextBlock text=privacy_text />
            </section>

            // The application journey itself comes with a later issue.
            <p class="actions">
                <a class="button button-start" href="#">
                    "Starta"
                    <span class="arrow" aria-hidden="true">" →"</span>
                </a>
            </p>
        </article>
    }
}

/// How the applicant identifies, in full.
fn identity_text(identity: IdentityRequirement) -> &'static str {
    match identity {
        IdentityRequirement::EId => "Du behöver logga in med e-legitimation, till exempel BankID eller Freja eID+.",
        IdentityRequirement::AnonymousAllowed => {
            "Du kan logga in med e-legitimation, till exempel BankID eller Freja eID+, \
             eller använda e-tjänsten utan att logga in."
        }
    }
}
