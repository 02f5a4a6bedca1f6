//! `/tjanster/:slug`: a service's first page — what it is, who it is for, how to identify, how
//! personal data is processed — and the way in.

use leptos::prelude::*;
use shared::api::{CatalogueService, IdentityRequirement, with_english};

use crate::common::api;
use crate::common::components::TextBlock;
use crate::common::i18n::{Own, set_title, tx};
use crate::common::loader::{LoadError, Loading, load};
use crate::common::not_found::NotFound;
use crate::common::session::{login_href, use_auth};

/// `/tjanster/:slug`: a service's first page — what it is, who it is for,
/// how to identify, how personal data is processed — and the way in.
#[component]
pub fn ServiceFirstPage(slug: String) -> impl IntoView {
    let (service, retry) = load(move || api::service(slug.clone()));
    move || match service.get() {
        None => view! { <Loading sv="Hämtar e-tjänsten …" en="Loading the e-service …" /> }.into_any(),
        Some(Ok(service)) => view! { <FirstPage service=service /> }.into_any(),
        Some(Err(error)) if error.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(error)) => {
            set_title("E-tjänsten kunde inte visas", "The e-service could not be shown");
            view! {
                <h1>{tx("E-tjänsten kunde inte visas", "The e-service could not be shown")}</h1>
                <LoadError error=error retry=retry />
                <p>
                    <a href="/">{tx("Se alla e-tjänster", "See all e-services")}</a>
                </p>
            }
            .into_any()
        }
    }
}

#[component]
fn FirstPage(service: CatalogueService) -> impl IntoView {
    let CatalogueService { slug, name, audience, first_page_text, privacy_text, identity, english, .. } = service;
    let name = with_english(&name, &english.name);
    set_title(&name.sv, name.in_english());
    let auth = use_auth();
    let start = format!("/tjanster/{slug}/ansokan");
    // An e-ID service goes through the login page first (it comes back to the application).
    let start_href = move || {
        if identity == IdentityRequirement::EId && !auth.is_logged_in() { login_href(&start) } else { start.clone() }
    };
    view! {
        <nav class="breadcrumbs" aria-label=tx("Du är här", "You are here")>
            <ol>
                <li>
                    <a href="/">{tx("E-tjänster", "E-services")}</a>
                </li>
                <li aria-current="page">
                    <Own text=name.clone() />
                </li>
            </ol>
        </nav>
        <article class="first-page">
            <h1>
                <Own text=name />
            </h1>
            <TextBlock text=with_english(&first_page_text, &english.first_page_text) rich=true />

            <section aria-labelledby="vem">
                <h2 id="vem">{tx("Vem kan använda e-tjänsten", "Who can use the e-service")}</h2>
                <TextBlock text=with_english(&audience, &english.audience) rich=true />
            </section>

            <section aria-labelledby="inloggning">
                <h2 id="inloggning">{tx("Inloggning", "Logging in")}</h2>
                <p>{identity_text(identity)}</p>
            </section>

            <section aria-labelledby="personuppgifter">
                <h2 id="personuppgifter">
                    {tx("Så behandlar vi dina personuppgifter", "How we process your personal data")}
                </h2>
                <TextBlock text=with_english(&privacy_text, &english.privacy_text) rich=true />
            </section>

            <p class="actions">
                <a class="button button-start" href=start_href>
                    {tx("Starta", "Start")}
                    <span class="arrow" aria-hidden="true">
                        " →"
                    </span>
                </a>
            </p>
        </article>
    }
}

/// How the applicant identifies, in full.
fn identity_text(identity: IdentityRequirement) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    match identity {
        IdentityRequirement::EId => tx(
            "Du behöver logga in med e-legitimation, till exempel BankID eller Freja eID+.",
            "You need to log in with e-ID, for example BankID or Freja eID+.",
        ),
        IdentityRequirement::AnonymousAllowed => tx(
            "Du kan logga in med e-legitimation, till exempel BankID eller Freja eID+, eller använda e-tjänsten \
             utan att logga in.",
            "You can log in with e-ID, for example BankID or Freja eID+, or use the e-service without logging in.",
        ),
    }
}
