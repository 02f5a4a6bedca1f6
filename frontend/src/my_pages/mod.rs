//! Mina sidor (src/bin/mina-sidor.rs, mina-sidor.html), its own app under `/mina-sidor` and
//! `/embed/`: the applicant's drafts, cases and requests to co-sign (`overview.rs`), one case
//! with its timeline, supplements, messages, documents and signing (`my_case/`), a co-signer's
//! request (`signature_request.rs`), an anonymous applicant's case through its private link
//! (`follow.rs`), and the city portal's embedded list of cases (`embed.rs`).

mod embed;
mod follow;
mod my_case;
mod overview;
mod signature_request;

use leptos::prelude::*;

use crate::common::frame::{self, APPLICANT_FOOTER, MAIN_ID, SiteHeader};
use crate::common::not_found::NotFound;
use crate::common::router::is_my_pages_path;
use crate::common::session::Applicant;
use embed::EmbedCases;
use follow::FollowCase;
use my_case::MyCase;
use overview::MyPages;
use signature_request::SignatureRequestPage;

/// Mina sidor: the applicant's drafts and cases, one case, and the portal's embedded list.
#[component]
pub fn MyPagesApp() -> AnyView {
    let location = frame::start::<Applicant>(is_my_pages_path);
    if location.path.get_untracked().starts_with("/embed/") {
        return embed_page();
    }
    frame::frame(location, view! { <SiteHeader /> }, route, APPLICANT_FOOTER).into_any()
}

/// The portal's `/embed/…` page, shown inside the city portal's iframe: no header, footer or
/// skip link of our own. Only Mina sidor's app has it (the server serves that app for
/// `/embed/…`), so the applicants' app does not carry its code.
fn embed_page() -> AnyView {
    view! {
        <main id=MAIN_ID class="embed">
            <EmbedCases />
        </main>
    }
    .into_any()
}

/// Mina sidor's page for a path.
fn route(path: &str) -> AnyView {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["mina-sidor"] => view! { <MyPages /> }.into_any(),
        ["mina-sidor", "arenden", reference] => view! { <MyCase reference=reference.to_string() /> }.into_any(),
        ["mina-sidor", "underskrifter", id] => view! { <SignatureRequestPage id=id.to_string() /> }.into_any(),
        ["mina-sidor", "folj", reference] => view! { <FollowCase reference=reference.to_string() /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}
